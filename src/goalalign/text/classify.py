"""Is a goal or KPI about a result, an output or an activity? And is a statement vague?

A result is a change in a condition someone cares about (a wait, a cost, a rate, revenue,
people housed); an output is a thing produced (reports, applications, a launched system); an
activity is effort spent (meetings held, fairs run, calls made). Goals and KPIs that state
outputs or activities measure busy-ness, not whether anything moved.

The reader decides in a fixed order, so a reader of the code (and of a finding) can tell
why:

1. a statement whose amounts are durations or money ("in 5 days instead of 9", "$6m ARR") is
   about a result, whatever its verb;
2. a statement whose verb *decreases* an activity or output ("reduce the number of
   meetings") asks for a result (effort saved);
3. the head noun of the measured thing decides when it is known: ``calls`` in "number of
   sales calls" is an activity, ``applications`` an output, ``rate`` a result;
4. an activity or output verb (``hold``, ``submit``) decides next, unless a strong result
   measure (``rate``, ``satisfaction``, ``within 20 seconds``) sits in the main clause;
5. everything else is taken to be a result: the checks warn only on positive evidence.

KPIs are read the same way from their name, but a KPI's declared ``evidence`` always wins.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from goalalign.domain.model import KPI, EvidenceKind
from goalalign.domain.units import QuantityError, parse_unit
from goalalign.text.language import LanguagePack, get_language
from goalalign.text.statement import _WORD, ParsedStatement, Role, Span, parse_statement

__all__ = [
    "Classification",
    "classify_kpi",
    "classify_kpis",
    "classify_statement",
    "has_concrete_metric",
    "is_vague",
]

_PURPOSE = ("so that", "in order to", "in order that", "so as to", "because", "which will")
_PURPOSE_MARKERS = tuple(f" {marker} " for marker in _PURPOSE)


@attrs.frozen(slots=True)
class Classification:
    """What kind of evidence a statement or KPI states, and the word that decided it.

    ``source`` says what was read: ``"statement"``, ``"evidence-field"`` (a KPI's declared
    ``evidence``) or ``"name"`` (a KPI's name). ``span`` locates ``cue`` in the text read,
    when it is there.
    """

    kind: EvidenceKind
    cue: str
    span: Span | None = None
    source: str = "statement"


def classify_statement(statement: str | ParsedStatement, language: str = "en") -> Classification:
    """Classify a goal statement (text or an already parsed statement) as result, output or
    activity."""
    parsed = (
        statement
        if isinstance(statement, ParsedStatement)
        else parse_statement(statement, language=language)
    )
    pack = get_language(parsed.language)
    text = parsed.text

    def strong_cue() -> tuple[str, Span] | None:
        # Only some paths need it, and finding it reads every word twice: read on demand,
        # and not at all when no strong measure is anywhere in the text.
        if _names_no_strong_measure(text, pack):
            return None
        return _strong_cue(parsed, pack, _main_clause_end(parsed, pack))

    # 1. durations and money are results ("close the accounts in 5 days", "$6m ARR"), even in
    #    a "so that" clause: a statement that measures its result states it
    for item in parsed.amounts:
        if item.role is Role.RATE:
            continue
        if item.unit is not None and _is_result_unit(item.unit):
            return Classification(EvidenceKind.RESULT, item.text, item.span)

    head = parsed.head_verb
    metric_words = (parsed.metric or "").split()
    noun_words = metric_words or [
        w for a in parsed.amounts if a.noun for w in a.noun.lower().split()
    ]
    head_kind, head_noun = _head_noun_kind(noun_words, pack)

    # 2. decreasing effort or output is a result
    if (
        head is not None
        and head in pack.decrease_verbs
        and head_kind in (EvidenceKind.ACTIVITY, EvidenceKind.OUTPUT)
    ):
        return Classification(EvidenceKind.RESULT, head, parsed.head_span)

    if head is not None and (head in pack.activity_verbs or head in pack.output_verbs):
        # 4. an activity or output verb, unless what it acts on is a result measure
        if head_kind is EvidenceKind.RESULT and head_noun not in pack.population_nouns:
            return Classification(EvidenceKind.RESULT, head_noun or "", _find(text, head_noun))
        strong = strong_cue()
        if strong is not None:
            return Classification(EvidenceKind.RESULT, strong[0], strong[1])
        verb_kind = EvidenceKind.ACTIVITY if head in pack.activity_verbs else EvidenceKind.OUTPUT
        return Classification(verb_kind, head, parsed.head_span)

    # 3. a share of something reaching a standard ("97% of parcels on the promised day") is a
    #    service level, a result; then the measured thing decides, and a result named beside
    #    it ("without disruption") wins
    for item in parsed.amounts:
        if item.unit == "percent" and text[item.span[1] : item.span[1] + 4].lower() == " of ":
            return Classification(EvidenceKind.RESULT, item.text, item.span)
    if head_kind in (EvidenceKind.ACTIVITY, EvidenceKind.OUTPUT):
        strong = strong_cue()
        if strong is not None:
            return Classification(EvidenceKind.RESULT, strong[0], strong[1])
    if head_kind is not None:
        return Classification(head_kind, head_noun or "", _find(text, head_noun))
    for word in metric_words:
        if word in pack.activity_participles:
            return Classification(EvidenceKind.ACTIVITY, word, _find(text, word))
        if word in pack.output_participles:
            return Classification(EvidenceKind.OUTPUT, word, _find(text, word))
    strong = strong_cue()
    if strong is not None:
        return Classification(EvidenceKind.RESULT, strong[0], strong[1])
    return Classification(EvidenceKind.RESULT, head or "", parsed.head_span)


def classify_kpi(kpi: KPI, language: str = "en") -> Classification:
    """What a KPI is evidence of: its declared ``evidence`` when set, else read from its name.

    "Number of training sessions held" and "Emails answered per day" count activity and
    output; "Median wait for social housing" and "Contract renewal rate" measure results.
    """
    return classify_kpis((kpi,), language)[kpi.id]


def _classify_kpi_name(name: str, language: str) -> Classification:
    """What a KPI's name alone says it is evidence of."""
    pack = get_language(language)
    words = _lower_words(name)
    kind, noun = _head_noun_kind(words, pack)
    if kind is not None:
        if kind is not EvidenceKind.RESULT:  # only now is the full reading worth its cost
            parsed = parse_statement(name, language=language)
            strong = _strong_cue(parsed, pack, len(name))
            if strong is not None and strong[0].lower() not in pack.population_nouns:
                return Classification(EvidenceKind.RESULT, strong[0], strong[1], "name")
        return Classification(kind, noun or "", _find(name, noun), "name")
    for word in words:
        if word in pack.activity_participles:
            return Classification(EvidenceKind.ACTIVITY, word, _find(name, word), "name")
        if word in pack.output_participles:
            return Classification(EvidenceKind.OUTPUT, word, _find(name, word), "name")
    return Classification(EvidenceKind.RESULT, "", None, "name")


_DECLARED = {
    kind: Classification(kind, "evidence", None, "evidence-field") for kind in EvidenceKind
}
"""The classification of a KPI that declares its evidence, one per kind (they are frozen)."""


def classify_kpis(kpis: Iterable[KPI], language: str = "en") -> dict[str, Classification]:
    """Each KPI's :func:`classify_kpi` by id, read once per distinct unit or name.

    A classification depends only on a KPI's ``evidence``, ``unit`` and ``name`` and is
    frozen, so KPIs that share them share one. The declared evidence decides first, then a
    result unit, then the name; :func:`classify_kpi` is this for one KPI.
    """
    declared = _DECLARED
    by_unit: dict[str, Classification | None] = {}  # None: the unit does not decide
    by_name: dict[str, Classification] = {}
    classes: dict[str, Classification] = {}
    for kpi in kpis:
        evidence = kpi.evidence
        if evidence is not None:
            classes[kpi.id] = declared[evidence]
            continue
        unit = kpi.unit
        if unit is not None:
            if unit in by_unit:
                found = by_unit[unit]
            else:
                found = by_unit[unit] = (
                    Classification(EvidenceKind.RESULT, unit, None, "name")
                    if _is_result_unit(unit)
                    else None
                )
            if found is not None:
                classes[kpi.id] = found
                continue
        name = kpi.name
        found = by_name.get(name)
        if found is None:
            found = by_name[name] = _classify_kpi_name(name, language)
        classes[kpi.id] = found
    return classes


def has_concrete_metric(parsed: ParsedStatement) -> bool:
    """Whether the measured thing names a measurable quantity (``resolution time``, ``pass
    rate``, ``number of complaints``), as opposed to ``customer experience``."""
    pack = get_language(parsed.language)
    return any(
        word in pack.measure_nouns for word in _head_chunk((parsed.metric or "").split(), pack)
    )


def is_vague(parsed: ParsedStatement | str) -> tuple[bool, tuple[str, ...]]:
    """Whether the statement leans on weasel words with nothing measurable to pin them.

    Vague: weasel words (``improve``, ``world-class``, ``leverage``...) and neither an amount
    nor a concrete metric. "Improve customer experience" is vague; "Improve ticket resolution
    time" is not (it names a measure, even if it sets no target: that is ``unmeasured-goal``'s
    business). Returns the verdict and the weasel words found.
    """
    if isinstance(parsed, str):
        parsed = parse_statement(parsed)
    words = parsed.vague_words
    if not words:
        return False, ()
    return (not parsed.amounts and not has_concrete_metric(parsed)), words


# -- helpers -------------------------------------------------------------------------------


def _lower_words(text: str) -> list[str]:
    """The words of ``text``, lower-cased."""
    if text.isascii():
        # Fast path: lower-casing ASCII text first changes no word boundary, and one
        # ``findall`` is far cheaper than a method call per match.
        return _WORD.findall(text.lower())
    return [m.group(0).lower() for m in _WORD.finditer(text)]


def _find(text: str, word: str | None) -> Span | None:
    """Where ``word`` (or, failing that, its first word) is in ``text``."""
    if not word:
        return None
    lowered = text.lower()
    position = lowered.find(word)
    if position >= 0:  # the usual case: no need to split the word
        return position, position + len(word)
    first = word.split()[0]
    position = lowered.find(first)
    if position >= 0:
        return position, position + len(first)
    return None


def _head_chunk(words: list[str], pack: LanguagePack) -> list[str]:
    """The first chunk of a noun phrase, up to its first function word, looking past ``of``
    after a generic head: "number of sales calls made" -> "sales calls made"."""
    function_words, generic_heads = pack.function_words, pack.generic_heads
    chunk: list[str] = []
    for word in words:
        if word in function_words:
            if word == "of" and chunk and chunk[-1] in generic_heads:
                chunk = []
                continue
            if chunk:
                break
        else:
            chunk.append(word)
    return chunk


def _head_noun_kind(words: list[str], pack: LanguagePack) -> tuple[EvidenceKind | None, str | None]:
    """The kind of the head noun of a noun phrase: the last known noun of its first chunk
    ("sales calls" -> calls), looking past ``of`` after a generic head ("number of meetings")."""
    chunk = _head_chunk(words, pack)
    kind_of = _pack_words(pack).noun_kinds
    for offset in range(len(chunk) - 1, -1, -1):
        word = chunk[offset]
        if offset:
            pair = f"{chunk[offset - 1]} {word}"
            kind = kind_of.get(pair)
            if kind is not None:
                return kind, pair
        kind = kind_of.get(word)
        if kind is not None:
            return kind, word
    return None, None


def _strong_cue(
    parsed: ParsedStatement, pack: LanguagePack, main_end: int
) -> tuple[str, Span] | None:
    """The first strong result measure in the main clause, outside the deadline and the
    measured thing (whose head noun has already been read)."""
    strong = _pack_words(pack).strong
    text = parsed.text
    # Fast path: one set intersection over the lower-cased words (no per-word method calls)
    # tells that most statements name no strong measure at all.
    if text.isascii():
        low_words = _WORD.findall(text.lower(), 0, main_end)
        if strong.isdisjoint(low_words):
            return None
        hits = {index for index, low in enumerate(low_words) if low in strong}
    else:
        hits = None
    skip = [span for span in (parsed.deadline_span, parsed.metric_span) if span is not None]
    skip.extend(a.span for a in parsed.amounts)
    for index, match in enumerate(_WORD.finditer(text, 0, main_end)):
        if hits is None:
            if match.group(0).lower() not in strong:
                continue
        elif index not in hits:
            continue
        position = match.start()
        if any(start <= position < end for start, end in skip):
            continue
        return match.group(0), (position, match.end())
    return None


def _names_no_strong_measure(text: str, pack: LanguagePack) -> bool:
    """Whether an ASCII ``text`` names no strong result measure anywhere.

    Then its main clause names none either, and finding where that clause ends (the costly
    part of :func:`_strong_cue`'s work) can be skipped: most statements take this path.
    """
    return text.isascii() and _pack_words(pack).strong.isdisjoint(_WORD.findall(text.lower()))


def _main_clause_end(parsed: ParsedStatement, pack: LanguagePack) -> int:
    """Where the purpose clause starts ("... to reduce vacancies", "so that ..."): what
    follows says why, not what the goal is."""
    text = parsed.text
    lowered = text.lower()
    end = len(lowered)
    for marker in _PURPOSE_MARKERS:
        position = lowered.find(marker)
        if 0 <= position < end:
            end = position
    head_end = parsed.head_span[1] if parsed.head_span else 0
    words = _pack_words(pack)
    if text.isascii():
        # Fast path: compare neighbouring words of the lower-cased text (lower-casing ASCII
        # keeps every offset), and look for the position only when a purpose verb is found.
        low_words = _WORD.findall(lowered, head_end, end)
        for index in range(1, len(low_words)):
            previous = low_words[index - 1]
            if (previous == "to" or previous == "by") and _opens_purpose(
                previous, low_words[index], words
            ):
                return _nth_word_start(text, head_end, end, index)
        return end
    previous = ""
    for match in _WORD.finditer(text, head_end, end):
        low = match.group(0).lower()
        if _opens_purpose(previous, low, words):
            return match.start()
        previous = low
    return end


def _opens_purpose(previous: str, low: str, words: _PackWords) -> bool:
    """Whether ``low`` after ``previous`` starts a purpose clause: "to reduce", "by cutting"."""
    if previous == "to":
        return low in words.change_verbs
    return previous == "by" and low.endswith("ing") and low[:-3] in words.by_verbs


def _nth_word_start(text: str, start: int, end: int, index: int) -> int:
    for number, match in enumerate(_WORD.finditer(text, start, end)):
        if number == index:
            return match.start()
    return end


@attrs.frozen(slots=True, eq=False)
class _PackWords:
    """Word sets derived from a language pack, built once per pack instead of per call."""

    strong: frozenset[str]
    """Strong result measures that are not population nouns."""
    change_verbs: frozenset[str]
    """Verbs that open a purpose clause after "to" ("... to reduce vacancies")."""
    by_verbs: frozenset[str]
    """Verb stems that open a purpose clause after "by" and before "-ing"."""
    noun_kinds: dict[str, EvidenceKind]
    """The kind each known head noun (or two-word noun) names, one look-up instead of four
    set tests: activity nouns win over result measures and cues, which win over outputs."""


_pack_words_cache: dict[int, tuple[LanguagePack, _PackWords]] = {}


def _pack_words(pack: LanguagePack) -> _PackWords:
    found = _pack_words_cache.get(id(pack))
    if found is not None and found[0] is pack:
        return found[1]
    words = _PackWords(
        strong=pack.result_measures - pack.population_nouns,
        change_verbs=pack.increase_verbs
        | pack.decrease_verbs
        | pack.maintain_verbs
        | pack.polar_verbs
        | pack.achieve_verbs,
        by_verbs=pack.increase_verbs
        | pack.decrease_verbs
        | pack.activity_verbs
        | pack.output_verbs,
        noun_kinds={
            **dict.fromkeys(pack.output_nouns, EvidenceKind.OUTPUT),
            **dict.fromkeys(pack.result_measures | pack.result_cues, EvidenceKind.RESULT),
            **dict.fromkeys(pack.activity_nouns, EvidenceKind.ACTIVITY),
        },
    )
    _pack_words_cache[id(pack)] = (pack, words)
    return words


_RESULT_DIMENSIONS: dict[str, bool] = {}


def _is_result_unit(unit: str) -> bool:
    """Durations and money are results; counts and percents say nothing by themselves."""
    cached = _RESULT_DIMENSIONS.get(unit)
    if cached is None:
        try:
            info = parse_unit(unit)
        except QuantityError:
            cached = False
        else:
            dims = dict(info.dimensionality)
            cached = (
                any(name.startswith("[currency_") for name in dims) and len(dims) == 1
            ) or dims == {"[time]": 1.0}
        _RESULT_DIMENSIONS[unit] = cached
    return cached
