"""Reading a goal statement: the change it asks for, the measured thing, amounts and deadline.

A goal statement in a cascade is short and formulaic ("Increase US sales by 30% by Q3 2026",
"Cut the time to fill a vacancy from 75 to 30 days"), so a reader made of precompiled
regular expressions and word lists understands most of them, in tens of microseconds, with
no model to download. The reader finds, in this order:

1. **deadlines** (``by Q3 2026``, ``by end of FY2027``, ``within 6 months`` from ``as_of``);
   the latest one is the statement's deadline;
2. **amounts** outside the deadlines, each with a canonical unit (through
   :mod:`goalalign.domain.units`) and a **role** read from the words around it: ``from X`` is
   the baseline, ``to Y`` the target, ``by 30%`` a relative change, ``20 more`` a change,
   ``per month`` a rate, ``double``/``halve`` a multiplier, anything else absolute;
3. the **head verb**, which gives the intent (increase, decrease, maintain, achieve) and
   starts the **metric** phrase, which runs to the first amount, deadline, clause boundary or
   punctuation;
4. the **change** (:class:`~goalalign.domain.model.Change`): from the verb, else from the
   amounts (baseline above target means a decrease), else from comparatives (``fewer``);
   for "improve"-like verbs from the metric's polarity (a time improves by going down).
   :attr:`ParsedStatement.change_source` says which, so rules can trust a verb or numbers
   more than a guess from polarity;
5. **vague words** (``improve``, ``world-class``), for :func:`goalalign.text.classify.is_vague`.

Every part carries a ``(start, end)`` span into the original text. The reader never raises
on any string: what it cannot read, it leaves out.
"""

from __future__ import annotations

import calendar
import enum
import math
import re
import sys
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Hashable, Mapping
from datetime import date, timedelta
from functools import lru_cache, partial
from itertools import accumulate, chain
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, Any

import attrs

from goalalign._collector import collector_paused
from goalalign.domain.model import Change, Period
from goalalign.domain.units import CURRENCIES, QuantityError, parse_unit
from goalalign.text.language import LanguagePack, get_language

if TYPE_CHECKING:
    from goalalign.engine.context import CheckContext

__all__ = [
    "CheckReader",
    "Cue",
    "Intent",
    "ParsedAmount",
    "ParsedStatement",
    "Role",
    "parse_statement",
    "parsed_statements",
    "paused_collector",
]

Span = tuple[int, int]


class Intent(enum.StrEnum):
    """What the statement asks of its measured thing."""

    INCREASE = "increase"
    DECREASE = "decrease"
    MAINTAIN = "maintain"
    ACHIEVE = "achieve"
    """Reach a state or level, with no direction stated ("achieve ISO 27001 certification")."""


class Role(enum.StrEnum):
    """The part an amount plays in a statement."""

    BASELINE = "baseline"
    """Where the measure starts: ``from 75``, ``up from 12``, ``instead of 14``."""
    TARGET = "target"
    """Where it should end: ``to 30 days``, ``at least 95%``, ``within 4 hours``."""
    RELATIVE = "relative"
    """The size of the change: ``by 30%``, ``20 more``, ``30% fewer``."""
    ABSOLUTE = "absolute"
    """An amount with no marker: ``hire 3 sales people``, ``acquire 1,000 customers``."""
    RATE = "rate"
    """An amount per period: ``three articles a week``, ``20 emails per day``."""
    MULTIPLIER = "multiplier"
    """A factor: ``double`` (2), ``halve`` (0.5), ``10x``."""


@attrs.frozen(slots=True)
class ParsedAmount:
    """One amount in a statement.

    ``value`` is in ``unit`` (a canonical unit of :mod:`goalalign.domain.units`, ``"count"`` for
    counted nouns, ``None`` when the statement gives none). ``points`` marks percentage points
    (``5 percentage points`` is an absolute change of a percent, not 5% of it). ``noun`` is the
    counted thing (``"sales people"``). ``text`` is ``statement[span[0]:span[1]]``. ``marker``
    is the words before it that gave its role (``"from"``, ``"to under"``, ``"by"``).
    """

    value: float
    unit: str | None
    role: Role
    span: Span
    text: str
    noun: str | None = None
    points: bool = False
    marker: str | None = None


@attrs.frozen(slots=True)
class Cue:
    """A word that decided part of the reading (``text`` is the statement's own slice at
    ``span``), and what it decided.

    ``meaning`` is the head verb's class (``"increase"``, ``"decrease"``, ``"maintain"``,
    ``"achieve"``, ``"polar"`` for improve-like verbs, or ``"verb"`` for a verb that only
    starts the metric), ``"comparative"``, ``"baseline-marker"``, ``"target-marker"``,
    ``"multiplier"``, ``"deadline"`` or ``"vague"``.
    """

    text: str
    span: Span
    meaning: str


@attrs.frozen(slots=True)
class ParsedStatement:
    """What :func:`parse_statement` read in one goal statement."""

    text: str
    language: str = "en"
    intent: Intent | None = None
    change: Change | None = None
    change_source: str | None = None
    """Where :attr:`change` comes from: ``"verb"``, ``"amounts"``, ``"comparative"``,
    ``"polarity"`` (a guess from what is measured), or ``None``."""
    head_verb: str | None = None
    head_span: Span | None = None
    metric: str | None = None
    metric_span: Span | None = None
    amounts: tuple[ParsedAmount, ...] = ()
    deadline: Period | None = None
    deadline_span: Span | None = None
    cue_data: tuple[int | str, ...] = ()
    """The cues in compact form, flat ``(start, end, meaning, start, end, meaning, ...)``: a
    check keeps every goal's reading, so the reading keeps no object it can rebuild. Use
    :attr:`cues`."""
    vague_words: tuple[str, ...] = ()

    @property
    def cues(self) -> tuple[Cue, ...]:
        """The words that decided the reading, each with its span and what it decided."""
        text = self.text
        data = self.cue_data
        found = []
        for index in range(0, len(data) - 2, 3):
            start, end, meaning = int(data[index]), int(data[index + 1]), str(data[index + 2])
            found.append(Cue(text[start:end], (start, end), meaning))
        return tuple(found)

    @property
    def has_measure(self) -> bool:
        """Whether the statement states any measurable quantity."""
        return bool(self.amounts)

    def amount(self, role: Role) -> ParsedAmount | None:
        """The first amount playing ``role``."""
        for item in self.amounts:
            if item.role is role:
                return item
        return None

    @property
    def baseline(self) -> ParsedAmount | None:
        return self.amount(Role.BASELINE)

    @property
    def target(self) -> ParsedAmount | None:
        return self.amount(Role.TARGET)

    @property
    def strong_change(self) -> Change | None:
        """:attr:`change` when it comes from a verb, the numbers or a comparative, not from a
        guess of the measure's polarity."""
        if self.change_source in ("verb", "amounts", "comparative"):
            return self.change
        return None


# -- the compiled form of a language pack -------------------------------------------------------


def _lowered_pattern(source: str) -> str:
    """``source`` with its literal letters in lower case, for matching lower-cased text without
    ``re.IGNORECASE`` (about five times faster). Escapes (``\\d``, ``\\b``) and group names are
    left alone."""
    out: list[str] = []
    index = 0
    while index < len(source):
        char = source[index]
        if char == "\\":
            out.append(source[index : index + 2])
            index += 2
            continue
        if source.startswith("(?P<", index):
            close = source.index(">", index)
            out.append(source[index : close + 1])
            index = close + 1
            continue
        out.append(char.lower())
        index += 1
    return "".join(out)


@attrs.frozen(slots=True, eq=False)
class _Regex:
    """A pattern in two forms: for lower-cased ASCII text (fast) and for any text."""

    lower: re.Pattern[str]
    any: re.Pattern[str]

    @classmethod
    def of(cls, source: str, flags: int = 0) -> _Regex:
        return cls(
            re.compile(_lowered_pattern(source), flags | re.ASCII),
            re.compile(source, flags | re.IGNORECASE | re.ASCII),
        )

    def pick(self, fast: bool) -> re.Pattern[str]:
        return self.lower if fast else self.any


_WORD = re.compile(r"[A-Za-z](?:[A-Za-z'’]|-(?=[A-Za-z]))*", re.ASCII)
_CURRENCY_SYMBOLS = {
    alias.lower(): code
    for code, aliases in CURRENCIES.items()
    for alias in aliases
    if not alias.isalpha()
}
_AMOUNT = _Regex.of(
    r"""(?=[\d$€£¥₹.UACHNSuachns])(?<![\w.\-/])
    (?P<cur>US\$|A\$|C\$|NZ\$|S\$|HK\$|[$€£¥₹])?\s?
    (?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)
    (?:\s?(?P<mag>k|mn|m|bn|b|tn|thousand|million|billion|trillion)(?![A-Za-z0-9]))?
    (?:(?P<pct>\s?%|\s?(?:percent|per\s?cent)(?![A-Za-z]))|(?P<times>x|×)(?![A-Za-z0-9]))?
    (?![\w/]|-\d)""",
    re.VERBOSE,
)
_PUNCT = re.compile(r"[,;:.()!?\[\]{}\"]|\s[-–—]\s|[–—]")
_YEAR_PREPOSITIONS = frozenset(
    {"in", "by", "since", "before", "after", "until", "till", "from", "of", "during", "through"}
    | {"for", "the", "than", "to", "year", "fy"}
)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_YEAR_TRIGGER = frozenset({"<year>"})
_PARTICLES = frozenset(("up", "down", "out", "back", "on", "off"))
"""Particles of a phrasal verb ("ramp up", "roll out"), skipped after the head verb before the
metric starts (:meth:`_Reader._metric`)."""
_DIGIT = re.compile(r"\d", re.ASCII)
_WORD_SPLIT = re.compile(r"([A-Za-z][A-Za-z'’]*(?:-[A-Za-z][A-Za-z'’]*)*)", re.ASCII)
"""The words of :data:`_WORD` as the separators of a split: ``[gap, word, gap, ..., gap]``.
The same words, written as runs of one character class, which the engine scans faster than
an alternation tried at every character."""
_CUE_DATA = itemgetter(1, 2, 3)
"""A cue's ``(start, end, meaning)``, as :attr:`ParsedStatement.cue_data` keeps it."""
_SHARE_OF = _Regex.of(r"(?:%|\bper\s?cent|\bpercent)\s+of\b")
_CANONICAL: dict[str, str | None] = {}
"""Canonical unit per unit string the reader builds ("count/week"); a handful in practice."""
_intern = sys.intern
"""The words a reading keeps (metric, head verb, markers, nouns, amount texts) repeat across
a cascade's goals; one shared copy of each keeps a million readings small."""


def _canonical(unit: str) -> str | None:
    """The canonical form of a unit string, cached (see :data:`_CANONICAL`)."""
    try:
        return _CANONICAL[unit]
    except KeyError:
        pass
    try:
        canonical: str | None = parse_unit(unit).canonical
    except QuantityError:
        canonical = None
    if len(_CANONICAL) < 4096:
        _CANONICAL[unit] = canonical
    return canonical


_Deadline = tuple[str, frozenset[str], _Regex, int, bool]
"""``(kind, trigger words, pattern, lead, bare)``; ``lead`` >= 0 for a pattern that needs a
digit and starts at most ``lead`` words before its first one (``<digits:N>``), else -1;
``bare`` for a pattern without the ``prep`` and ``endof`` groups of a prefix."""
_ResolveKey = tuple[int, tuple[str | None, ...], tuple[str | None, ...] | None]
"""A deadline pattern's index, its match's groups and its prefix's groups (``None``: none)."""
_Prefix = tuple[int, tuple[str | None, ...], dict[str, str | None]]
"""A deadline prefix found before a deadline: where it starts, its groups and its named
groups (see :meth:`_Reader._prefix`)."""


@attrs.frozen(slots=True, eq=False)
class _Compiled:
    pack: LanguagePack
    deadlines: tuple[_Deadline, ...]
    deadline_words: frozenset[str]
    """Every trigger word of a deadline pattern and every month name: the only words of a
    statement the deadline search looks at."""
    month_only: _Regex
    month_words: frozenset[str]
    prefix: _Regex
    vague_first: frozenset[str]
    cue_words: frozenset[str]
    """:attr:`deadline_words`, :attr:`number_like`, the multipliers and :attr:`vague_first`
    together (see :attr:`_Reader.cue_words`)."""
    verbs: Mapping[str, str]
    """Every verb (one or two words) to its direction class."""
    verb_words: frozenset[str]
    any_verb: frozenset[str]
    vague_max: int
    lower_phrases: tuple[str, ...]
    number_like: frozenset[str]
    marker_max: int
    marker_ends: Mapping[str, tuple[int, ...]]
    """The last word of every baseline, target and change marker, to the marker lengths in
    words (longest first): an amount after any other word has no marker, and the reader
    tries only the lengths that can match."""
    marker_roles: Mapping[str, Role]
    """Every marker to the role it gives (a baseline marker wins over a change marker, which
    wins over a target marker): one look-up per candidate phrase instead of three."""
    prefix_ends: frozenset[str]
    """The words a deadline prefix can end with (see :meth:`_Reader._prefix`)."""
    prefix_starts: frozenset[str]
    """The words a deadline prefix can start with (see :meth:`_Reader._prefix`)."""
    unit_pair_firsts: frozenset[str]
    """First words of the two-word units and point words ("percentage points")."""
    metric_tested: frozenset[str]
    """The words :meth:`_Reader._metric` tests (see :func:`_metric_words`)."""
    tail_stops: frozenset[str]
    """Words after a number that end its reading at once (see :func:`_tail_stops`)."""
    active: dict[frozenset[str], tuple[tuple[int, str, _Regex, int, bool], ...]] = attrs.field(
        factory=dict
    )
    """The deadline patterns to try (with their index) per set of trigger words present."""
    resolved: dict[tuple[date, tuple[int, int]], dict[_ResolveKey, date | None]] = attrs.field(
        factory=dict
    )
    """Per ``(as_of, fiscal year end)``: the date each deadline phrase resolves to, by what
    the phrase's pattern and prefix captured (see :meth:`_Reader._deadlines`)."""
    prefixes: tuple[dict[str, _Prefix | None], dict[str, _Prefix | None]] = attrs.field(
        factory=lambda: ({}, {})
    )
    """The prefix read from each text before a deadline, for any text and for lower-cased
    ASCII text (see :meth:`_Reader._prefix`)."""


_INTENTS: dict[str, Intent] = {intent.value: intent for intent in Intent}
_CHANGES: dict[str, Change] = {change.value: change for change in Change}
"""Members by value: a dict look-up, where calling the enum (``Intent("increase")``) goes
through the enum machinery, once per statement."""

_BEFORE_AMOUNT = frozenset(
    ("in", "at", "under", "below", "above", "over", "per", "to", "for", "on")
)
"""Words that end the metric before an amount or deadline ("sales in 2027")."""
_CLAUSE_JOINS = frozenset(("and", "or", "while", "but"))
"""Words that end the metric before a second verb ("... and reduce ...")."""


def _metric_words(pack: LanguagePack) -> frozenset[str]:
    """Every word that one of :meth:`_Reader._metric`'s tests can stop at or skip; any other
    word simply joins the metric phrase."""
    return frozenset(
        pack.stop_words
        | pack.more_words
        | pack.fewer_words
        | pack.function_words
        | pack.boundary_words
        | pack.rate_words
        | _BEFORE_AMOUNT
        | _CLAUSE_JOINS
        | {"of", "to"}
    )


def _tail_stops(pack: LanguagePack) -> frozenset[str]:
    """Function and stop words that are no magnitude, unit, comparative or rate word: after a
    number, :meth:`_Reader._amount_tail` reads nothing past one of them (the noun it would
    start ends at a function or stop word)."""
    return (pack.function_words | pack.stop_words) - (
        frozenset(pack.magnitude_words)
        | frozenset(pack.unit_words)
        | frozenset(pack.time_units)
        | pack.point_words
        | pack.more_words
        | pack.fewer_words
        | frozenset(pack.rate_adverbs)
        | pack.rate_words
        | frozenset(w.split()[0] for w in (*pack.point_words, *pack.unit_words, *pack.time_units))
    )


_DIRECTION_ORDER = ("maintain", "decrease", "increase", "polar", "achieve")


def _compile(pack: LanguagePack) -> _Compiled:
    verbs: dict[str, str] = {}
    for name, words in (
        ("achieve", pack.achieve_verbs),
        ("polar", pack.polar_verbs),
        ("increase", pack.increase_verbs),
        ("decrease", pack.decrease_verbs),
        ("maintain", pack.maintain_verbs),
    ):
        for word in words:
            verbs[word] = name  # later sets win: maintain > decrease > increase > ...
    for word, factor in pack.multipliers.items():
        verbs[word] = "increase" if factor > 1 else "decrease"
    any_verb = frozenset(verbs) | pack.activity_verbs | pack.output_verbs
    months = _trie_regex(pack.month_names)
    vague_first = frozenset(w.split()[0] for w in pack.vague_words)
    number_like = frozenset(pack.number_words) | frozenset(pack.fraction_words)
    deadlines = tuple(
        (kind, words, regex, lead, not {"prep", "endof"} & set(regex.any.groupindex))
        for kind, (words, lead), regex in (
            (kind, _trigger(trigger), _Regex.of(source, re.VERBOSE))
            for kind, trigger, source in pack.deadline_patterns
        )
    )
    deadline_words = frozenset(chain.from_iterable(d[1] for d in deadlines)) | frozenset(
        pack.month_names
    )
    return _Compiled(
        pack=pack,
        deadlines=deadlines,
        deadline_words=deadline_words,
        cue_words=deadline_words | number_like | frozenset(pack.multipliers) | vague_first,
        prefix=_Regex.of(pack.deadline_prefix),
        month_words=frozenset(pack.month_names),
        vague_first=vague_first,
        month_only=_Regex.of(rf"\b(?P<month>{months})\b(?!\.?,?\s*\d)"),
        verbs=verbs,
        verb_words=frozenset(w for w in any_verb if " " not in w),
        any_verb=any_verb,
        vague_max=max((len(w.split()) for w in pack.vague_words), default=1),
        lower_phrases=tuple(w for w in pack.lower_is_better if " " in w),
        number_like=number_like,
        marker_max=max(
            len(w.split())
            for w in pack.baseline_markers | pack.target_markers | pack.change_markers
        ),
        prefix_ends=pack.deadline_prefix_ends,
        prefix_starts=pack.deadline_prefix_starts,
        metric_tested=_metric_words(pack),
        tail_stops=_tail_stops(pack),
        unit_pair_firsts=frozenset(
            w.split()[0]
            for w in (*pack.point_words, *pack.unit_words, *pack.time_units)
            if len(w.split()) > 1
        ),
        marker_ends=_marker_ends(pack.baseline_markers | pack.target_markers | pack.change_markers),
        marker_roles={
            **dict.fromkeys(pack.target_markers, Role.TARGET),
            **dict.fromkeys(pack.change_markers, Role.RELATIVE),
            **dict.fromkeys(pack.baseline_markers, Role.BASELINE),
        },
    )


def _active(
    deadlines: tuple[_Deadline, ...], present: frozenset[str]
) -> tuple[tuple[int, str, _Regex, int, bool], ...]:
    """The deadline patterns triggered by ``present``, in the pack's order, with their index."""
    return tuple(
        (index, kind, pattern, lead, bare)
        for index, (kind, trigger, pattern, lead, bare) in enumerate(deadlines)
        if not trigger.isdisjoint(present)
    )


def _marker_ends(markers: frozenset[str]) -> dict[str, tuple[int, ...]]:
    lengths: dict[str, set[int]] = {}
    for marker in markers:
        words = marker.split()
        lengths.setdefault(words[-1], set()).add(len(words))
    return {word: tuple(sorted(found, reverse=True)) for word, found in lengths.items()}


_span_of = attrgetter("span")
"""An amount's span, the sort key of :attr:`ParsedStatement.amounts`."""


def _prefix_of(match: re.Match[str] | None) -> _Prefix | None:
    """A non-empty prefix match as a :data:`_Prefix` (an empty one is no prefix)."""
    if match is None or match.end() == match.start():
        return None
    return match.start(), match.groups(), match.groupdict()


def _trigger(trigger: str) -> tuple[frozenset[str], int]:
    """A pattern's trigger words, and its ``<digits:N>`` lead (-1 without one)."""
    words = set(trigger.split())
    lead = -1
    for word in list(words):
        if word.startswith("<digits:") and word.endswith(">"):
            lead = int(word[len("<digits:") : -1])
            words.discard(word)
    return frozenset(words), lead


_compiled_packs: dict[str, _Compiled] = {}


def _compiled(language: str) -> _Compiled:
    pack = get_language(language)
    found = _compiled_packs.get(language)
    if found is None or found.pack is not pack:
        found = _compile(pack)
        _compiled_packs[language] = found
    return found


# -- public entry points -----------------------------------------------------------------------


def parse_statement(
    text: str,
    as_of: date | None = None,
    language: str = "en",
    fiscal_year_end: tuple[int, int] = (12, 31),
) -> ParsedStatement:
    """Read a goal statement.

    >>> p = parse_statement("Increase US sales by 30% by Q3 2026")
    >>> p.change.value, p.metric, p.amounts[0].value, p.amounts[0].role.value
    ('increase', 'us sales', 30.0, 'relative')
    >>> p.deadline.end
    datetime.date(2026, 9, 30)

    ``as_of`` anchors relative deadlines (``within 6 months``, ``next year``; default: today);
    ``fiscal_year_end`` is ``(month, day)`` and decides when ``FY2027`` ends. The result is
    cached by all four arguments, because a check reads each goal once but several rules look
    at it. Never raises on any text; an unknown ``language`` raises
    :class:`~goalalign.text.language.UnknownLanguageError`.
    """
    if not isinstance(text, str):  # defensive: callers outside the type checker
        text = str(text)  # type: ignore[unreachable]
    _compiled(language)  # an unknown language is the caller's error, raised here
    return _parse_cached(text, as_of or date.today(), language, tuple(fiscal_year_end))


def parsed_statements(ctx: CheckContext) -> dict[str, ParsedStatement]:
    """Every goal's statement parsed once, by goal id: an analysis for ``ctx.derive``.

    Relative deadlines are read from the check's ``as_of`` and fiscal years from the
    organisation's fiscal year end. Statements are read by a :class:`CheckReader`: past the
    first :data:`_READ_ALONE` distinct statements, by template
    (:mod:`goalalign.text.statement_templates`), since a large cascade repeats a few thousand
    shapes of statement and each shape is read once. The readings are the same as
    :func:`parse_statement`'s.
    """
    read = CheckReader(ctx)
    # A check reads each distinct statement once; going past parse_statement's bounded
    # cache keeps it from churning (and from keeping the last readings alive afterwards).
    seen: dict[str, ParsedStatement] = {}
    readings: dict[str, ParsedStatement] = {}
    with paused_collector():
        for goal in ctx.cascade.goals:
            text = goal.statement
            found = seen.get(text)
            if found is None:
                found = seen[text] = read(text)
            readings[goal.id] = found
    return readings


class CheckReader:
    """Reads the statements of one check, one at a time, as :func:`parse_statement` would
    with the check's ``as_of`` and the organisation's fiscal year end.

    The first :data:`_READ_ALONE` statements it is given are read one by one; after them it
    reads by template (:mod:`goalalign.text.statement_templates`), which pays once a check
    has that many statements to read. For :func:`parsed_statements` and for rules that read
    only some goals' statements; the caller keeps the readings it needs.
    """

    __slots__ = ("_alone", "_as_of", "_batch", "_compiled", "_fye")

    def __init__(self, ctx: CheckContext) -> None:
        self._fye = ctx.cascade.organisation.fiscal_year_end
        self._as_of = ctx.as_of
        self._compiled = _compiled("en")
        self._batch: Callable[[str], ParsedStatement] | None = None
        self._alone = 0

    def __call__(self, text: str) -> ParsedStatement:
        """The reading of ``text``."""
        if self._batch is not None:
            return self._batch(text)
        if self._alone < _READ_ALONE:
            self._alone += 1
            return _read_safely(text, self._as_of, self._compiled, self._fye, "en")
        self._batch = _batch_reader(self._as_of, self._compiled, self._fye)
        return self._batch(text)


def _batch_reader(
    as_of: date, compiled: _Compiled, fye: tuple[int, int]
) -> Callable[[str], ParsedStatement]:
    """The template reader's ``read``, or the plain reader where the template reader cannot
    start: it analyses the language pack's patterns with the regular-expression parser of
    the standard library (``re._parser``), whose interface a later Python may change. The
    readings are the same either way; only the speed differs."""
    try:
        from goalalign.text.statement_templates import BatchReader

        return BatchReader(as_of, compiled, fye, "en").read
    except (ImportError, AttributeError):
        return partial(_read_plain, as_of=as_of, compiled=compiled, fye=fye)


def _read_plain(
    text: str, *, as_of: date, compiled: _Compiled, fye: tuple[int, int]
) -> ParsedStatement:
    return _read_safely(text, as_of, compiled, fye, "en")


_READ_ALONE = 1000
"""Statements a :class:`CheckReader` reads one by one before it reads the rest by template
(:mod:`goalalign.text.statement_templates`): fewer share too little to pay for setting that
up (about 20 ms)."""


paused_collector = collector_paused
"""Pause the collector while reading many statements; see :mod:`goalalign._collector`."""


@lru_cache(maxsize=32768)
def _parse_cached(
    text: str, as_of: date, language: str, fiscal_year_end: tuple[int, int]
) -> ParsedStatement:
    return _read_safely(text, as_of, _compiled(language), fiscal_year_end, language)


def _read_safely(
    text: str, as_of: date, compiled: _Compiled, fiscal_year_end: tuple[int, int], language: str
) -> ParsedStatement:
    try:
        return _Reader(text, as_of, compiled, fiscal_year_end, language).read()
    except Exception:  # the contract is to never raise on text; a bug degrades to "nothing read"
        return ParsedStatement(text=text, language=language)


def _read_traced(
    text: str, as_of: date, compiled: _Compiled, fiscal_year_end: tuple[int, int], language: str
) -> tuple[ParsedStatement, tuple[int, int] | None, bool]:
    """:func:`_read_safely`, with the positions in the reading's amounts of the baseline and
    target whose values decided the change (see :attr:`_Reader.compared`), and whether the
    reader finished (a reading that fell back to "nothing read" can serve no other text)."""
    try:
        reader = _Reader(text, as_of, compiled, fiscal_year_end, language)
        reading = reader.read()
    except Exception:  # as _read_safely
        return ParsedStatement(text=text, language=language), None, False
    if reader.compared is None:
        return reading, None, True
    baseline, target = reader.compared
    positions = {id(item): index for index, item in enumerate(reading.amounts)}
    return reading, (positions[id(baseline)], positions[id(target)]), True


parse_statement.cache_clear = _parse_cached.cache_clear  # type: ignore[attr-defined]


# -- the reader ------------------------------------------------------------------------------


def _gap_clean(text: str, end: int, start: int) -> bool:
    """Whether only spaces (and hyphens) separate two positions of ``text``."""
    if start - end == 1:  # the common case: one character
        char = text[end]
        return char == " " or char == "-" or char.isspace()
    gap = text[end:start]
    return not gap.strip() or gap == "-"


_MISSING: Any = object()
_RESOLVED_MAX = 8192
"""Deadline resolutions kept per ``(as_of, fiscal year end)``; a cascade has a few hundred."""
_PERIODS: dict[tuple[str, date], Period] = {}
"""One :class:`Period` per deadline phrase and date, shared by every statement that has it: a
check keeps every goal's reading, and cascades repeat their deadlines."""

def _sharing(limit: int) -> Callable[[Any], Any]:
    """A function that returns, for any value, the one equal object it has seen before.

    A check keeps every goal's reading, and readings repeat small values: spans (statements
    are short, so a few thousand cover a cascade), cue tuples, amounts' values (a cascade
    repeats its 30% and 5,000). Sharing them saves a few hundred bytes per goal at a million
    goals. The table is emptied when it holds ``limit`` values, so it stays bounded whatever
    is read; a plain closure, because it runs several times per statement.
    """
    table: dict[Hashable, Any] = {}

    def shared(value: Hashable) -> Any:
        found = table.get(value)
        if found is None:
            if len(table) >= limit:
                table.clear()
            found = table[value] = value
        return found

    return shared


_shared_span: Callable[[Span], Span] = _sharing(65536)
_cue_data: Callable[[tuple[int | str, ...]], tuple[int | str, ...]] = _sharing(65536)
"""The shared :attr:`ParsedStatement.cue_data` tuple equal to its argument."""
_shared_value: Callable[[float], float] = _sharing(65536)


def _value(value: float) -> float:
    """The shared float equal to ``value``. A number word's ``int`` stays as it is, and so
    does zero (to a dict, ``-0.0`` is ``0.0``)."""
    if value.__class__ is not float or not value:
        return value
    return _shared_value(value)


def _span(start: int, end: int) -> Span:
    """The shared ``(start, end)`` tuple."""
    return _shared_span((start, end))


def _period(phrase: str, end: date) -> Period:
    """The shared :class:`Period` for ``phrase`` ending on ``end`` (see :data:`_PERIODS`)."""
    key = (phrase, end)
    found = _PERIODS.get(key)
    if found is None:
        if len(_PERIODS) >= 16384:
            _PERIODS.clear()
        found = _PERIODS[key] = Period(phrase, end)
    return found


class _Reader:
    """One statement being read; all state is local so reading is thread-safe.

    Words are kept as three parallel lists (``lows``, ``starts``, ``ends``) rather than one
    tuple per word: they come out of one split of the text with no Python step per word, and
    the loops below index the one they need.
    """

    __slots__ = (
        "amounts",
        "as_of",
        "blocked",
        "c",
        "compared",
        "cue_words",
        "cues",
        "ends",
        "fast",
        "first_digit",
        "flags",
        "fye",
        "language",
        "lows",
        "markers",
        "pack",
        "scan",
        "starts",
        "text",
    )

    def __init__(
        self,
        text: str,
        as_of: date,
        compiled: _Compiled,
        fye: tuple[int, int],
        language: str,
    ) -> None:
        self.text = text
        # Lower-cased ASCII text keeps every offset, so the fast patterns can scan it.
        fast = self.fast = text.isascii()
        scan = self.scan = text.lower() if fast else text
        self.as_of = as_of
        self.c = compiled
        self.pack = compiled.pack
        self.fye = fye
        self.language = language
        # The split alternates gaps and words ([gap, word, gap, ..., gap]); the running sum of
        # their lengths gives every word's offsets: all in C, however many words.
        parts = _WORD_SPLIT.split(scan)
        offsets = list(accumulate(map(len, parts)))
        lows: list[str] = parts[1::2]
        if not fast:  # words of the original text: lower each
            lows = [word.lower() for word in lows]
        if "’" in text:
            lows = [low.replace("’", "'") for low in lows]
        self.lows = lows
        self.cue_words = compiled.cue_words.intersection(lows)
        """The statement's words that can start a deadline, a number, a multiplier or a vague
        phrase: one pass over the words, after which each stage tests a set of a few."""
        self.starts: list[int] = offsets[0:-1:2]
        self.ends: list[int] = offsets[1::2]
        digit = _DIGIT.search(text)
        self.first_digit = -1 if digit is None else digit.start()
        """Where the first digit is (-1: none): no amount or dated deadline starts much before."""
        self.cues: list[tuple[str, int, int, str]] = []
        """``(text, start, end, meaning)`` per cue: plain tuples, as :class:`Cue` objects would
        only be flattened into :attr:`ParsedStatement.cue_data`."""
        self.amounts: list[ParsedAmount] = []
        self.blocked: list[Span] = []
        self.markers: dict[int, str] = {}
        self.flags: list[int] = []
        """Per word: 0 free, 1 inside an amount, 2 inside a deadline (set after amounts)."""
        self.compared: tuple[ParsedAmount, ParsedAmount] | None = None
        """The baseline and target whose values decided the change, if values did (see
        :meth:`_amount_direction`): the one decision the reader takes on an amount's value,
        which :mod:`goalalign.text.statement_templates` must take again."""

    # -- helpers --------------------------------------------------------------------------

    def _in_blocked(self, start: int, end: int) -> bool:
        for b_start, b_end in self.blocked:  # noqa: SIM110 (no generator per call: a hot path)
            if start < b_end and b_start < end:
                return True
        return False

    # -- reading --------------------------------------------------------------------------

    def read(self) -> ParsedStatement:
        deadline, deadline_span = self._deadlines()
        self._amounts()
        head_index, head_len, direction = self._head_verb()
        metric, metric_span = self._metric(head_index, head_len)
        intent, change, source = self._change(direction, metric)
        vague = self._vague()
        head_verb = head_span = None
        cue_data = chain.from_iterable(map(_CUE_DATA, self.cues))
        if head_index is not None:
            head_span = _span(self.starts[head_index], self.ends[head_index + head_len - 1])
            head_verb = _intern(" ".join(self.lows[head_index : head_index + head_len]))
            # the verb that decided the intent ("increase", "polar", ...) or only began the metric
            cue_data = chain((*head_span, direction or "verb"), cue_data)
        amounts = self.amounts
        return ParsedStatement(
            text=self.text,
            language=self.language,
            intent=intent,
            change=change,
            change_source=source,
            head_verb=head_verb,
            head_span=head_span,
            metric=metric,
            metric_span=metric_span,
            amounts=tuple(sorted(amounts, key=_span_of) if len(amounts) > 1 else amounts),
            deadline=deadline,
            deadline_span=deadline_span,
            cue_data=_cue_data(tuple(cue_data)),
            vague_words=vague,
        )

    # -- deadlines ------------------------------------------------------------------------

    def _deadlines(self) -> tuple[Period | None, Span | None]:
        """Every deadline phrase in the text; the latest one not overlapped by a longer one.

        Only the patterns triggered by one of the statement's words are tried. What a phrase
        resolves to depends only on what its pattern and prefix captured (and on ``as_of`` and
        the fiscal year end), except for relative deadlines, which look at the words around
        them; so the date of every other phrase is computed once and looked up after.

        A pattern with a ``<digits:N>`` lead is tried from N words before the first digit; a
        bare ``year`` pattern from N words before the first year, as its first digit begins
        its year (in "from 53 to 27 by 2027" it skips the amounts, the most costly stretch).
        """
        c = self.c
        present = c.deadline_words.intersection(self.cue_words)
        first_digit = first_year = self.first_digit
        if first_digit >= 0:
            year_match = _YEAR.search(self.text, first_digit)
            if year_match is not None:
                present = present.union(_YEAR_TRIGGER)
                first_year = year_match.start()
        if not present:
            return None, None
        found: list[tuple[int, int, date]] = []
        fast = self.fast
        scan = self.scan
        prefix_re = c.prefix.pick(fast)
        resolved = c.resolved.get((self.as_of, self.fye))
        if resolved is None or len(resolved) >= _RESOLVED_MAX:
            if len(c.resolved) >= 64:
                c.resolved.clear()
            resolved = c.resolved[(self.as_of, self.fye)] = {}
        active = c.active.get(present)
        if active is None:
            active = c.active[present] = _active(c.deadlines, present)
            if len(c.active) > 4096:
                c.active.clear()
        for index, kind, pattern, lead, bare_year in active:
            begin = 0
            if lead >= 0:
                # a match starts at most `lead` words before its first digit: skip the rest
                if first_digit < 0:
                    continue
                word = bisect_left(self.starts, first_year if kind == "year" else first_digit)
                word -= lead
                begin = self.starts[word] if word > 0 else 0
            for match in (pattern.lower if fast else pattern.any).finditer(scan, begin):
                start, match_end = match.span()
                if match_end == start:
                    continue
                if kind == "relative":  # carries its own preposition; looks around itself
                    end = self._resolve(kind, match.groupdict(), start, match_end)
                    if end is not None:
                        found.append((start, match_end, end))
                    continue
                prefix = self._prefix(prefix_re, start)
                if prefix is None and kind == "year" and bare_year:
                    continue  # a bare year needs a preposition or "end of" (see _resolve)
                key = (index, match.groups(), None if prefix is None else prefix[1])
                end = resolved.get(key, _MISSING)
                if end is _MISSING:
                    groups: dict[str, str | None] = match.groupdict()  # a new dict each call
                    if prefix is not None:  # never empty
                        for name, value in prefix[2].items():
                            if value is not None and groups.get(name) is None:
                                groups[name] = value
                    end = resolved[key] = self._resolve(kind, groups, start, match_end)
                if end is not None:
                    found.append((start if prefix is None else prefix[0], match_end, end))
        if c.month_words.isdisjoint(present):
            return self._pick_deadline(found)
        for match in c.month_only.pick(fast).finditer(scan):
            # "by October": the next October from as_of; a month needs a preposition
            month = self.pack.month_names.get(match.group("month").lower().rstrip("."))
            prefix = self._prefix(prefix_re, match.start())
            if month is None or prefix is None or not prefix[2]["prep"]:
                continue
            if match.group("month").lower() == "may" and not prefix[2]["endof"]:
                continue  # "may" is far more often a verb
            year = self.as_of.year if month >= self.as_of.month else self.as_of.year + 1
            end = _month_end(year, month)
            if prefix[2]["before"]:
                end = date(year, month, 1) - timedelta(days=1)
            found.append((prefix[0], match.end(), end))
        return self._pick_deadline(found)

    def _prefix(self, prefix_re: re.Pattern[str], start: int) -> _Prefix | None:
        """The deadline prefix ("by the end of ") ending at ``start``: the leftmost match of
        the pack's prefix pattern in the 28 characters before it, or ``None`` for none.

        Searching tries the pattern at every one of those positions (about 5 µs a deadline,
        once the most expensive step of reading a statement). A prefix starts at a word and
        ends in spaces after one of the pack's ``deadline_prefix_ends``, so: no such word
        right before ``start``, no prefix. A prefix holds only its words and spaces, so it
        cannot start before a gap with anything else in it ("from 75 to 30 by "). So only the
        words in the window after the last such gap that are among the pack's
        ``deadline_prefix_starts`` are tried, leftmost first, which finds the same match as
        the search. What they find depends only on the text from the first of those words
        (and the character before it), which repeats across a cascade ("days by "), so it is
        read once per such text.
        """
        scan = self.scan
        starts = self.starts
        ends = self.ends
        lows = self.lows
        last = bisect_left(starts, start) - 1
        if last < 0 or not scan[ends[last] : start].isspace():
            return None  # every prefix ends in spaces after a word
        window = max(0, start - 28)
        prefix_ends = self.c.prefix_ends
        low = lows[last]
        if prefix_ends and low not in prefix_ends:
            if low.endswith("the"):  # the pattern's bare "the" may end a longer word ("bathe")
                return _prefix_of(prefix_re.search(scan, window, start))
            return None
        first = bisect_left(starts, window)  # the first word starting in the window
        index = last
        while index > first and scan[ends[index - 1] : starts[index]].isspace():
            index -= 1
        if first <= index:
            begin = starts[index]
            key = scan[begin - 1 if begin else 0 : start]
            cache = self.c.prefixes[self.fast]
            found = cache.get(key, _MISSING)
            if found is _MISSING:
                found = self._prefix_at(prefix_re, index, last, start)
                if found is not None:
                    found = (found[0] - begin, found[1], found[2])
                if len(cache) >= 4096:
                    cache.clear()
                cache[key] = found
            if found is not None:
                return (begin + found[0], found[1], found[2])
        if not prefix_ends:  # a pack that does not list its prefix ends: search, as always
            return _prefix_of(prefix_re.search(scan, window, start))
        return None

    def _prefix_at(
        self, prefix_re: re.Pattern[str], index: int, last: int, start: int
    ) -> _Prefix | None:
        """The prefix match from the first of words ``index`` to ``last`` that can start one
        (see :meth:`_prefix`)."""
        firsts = self.c.prefix_starts
        lows = self.lows
        starts = self.starts
        while index <= last:
            if not firsts or lows[index] in firsts:
                found = prefix_re.match(self.scan, starts[index], start)
                if found is not None:
                    return _prefix_of(found)
            index += 1
        return None

    def _pick_deadline(
        self, found: list[tuple[int, int, date]]
    ) -> tuple[Period | None, Span | None]:
        """The latest of the non-overlapping deadlines found (longest first)."""
        if not found:
            return None, None
        if len(found) == 1:  # the common case
            start, end_pos, end = found[0]
            self.blocked.append((start, end_pos))
        else:
            found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))
            kept: list[tuple[int, int, date]] = []
            for item in found:
                if all(item[1] <= k[0] or k[1] <= item[0] for k in kept):
                    kept.append(item)
            self.blocked.extend((k[0], k[1]) for k in kept)
            start, end_pos, end = max(kept, key=lambda k: (k[2], k[0]))
        phrase = self.text[start:end_pos]
        self.cues.append((phrase, start, end_pos, "deadline"))
        return _period(phrase, end), _span(start, end_pos)

    def _resolve(
        self, kind: str, groups: Mapping[str, str | None], match_start: int, match_end: int
    ) -> date | None:
        try:
            if kind == "year" and not (groups.get("prep") or groups.get("endof")):
                return None  # a bare year is an amount or a name, not a deadline
            if kind in ("absolute", "year"):
                bounds = self._absolute(groups)
                if bounds is None:
                    return None
                start, end = bounds
                if groups.get("before"):
                    return start - timedelta(days=1)
                endof = (groups.get("endof") or "").lower()
                if endof in ("start", "beginning"):
                    return start - timedelta(days=1)
                if endof == "middle":
                    return start + (end - start) / 2
                return end
            if kind == "relative":
                return self._relative(groups, match_start, match_end)
            if kind == "season":
                return self._season(groups)
            if kind == "quarter":
                q = int(groups.get("quarter") or 1)
                year = self.as_of.year
                if _month_end(year, 3 * q) < self.as_of:
                    year += 1
                start = date(year, 3 * q - 2, 1)
                return (
                    start - timedelta(days=1) if groups.get("before") else _month_end(year, 3 * q)
                )
            if kind in ("next", "this"):
                span = " ".join(
                    (groups.get("span") or groups.get("span2") or "year").lower().split()
                )
                if groups.get("ye"):
                    span = "year"
                word = " ".join((groups.get("this_word") or "").lower().split())
                if word == "the" and not groups.get("endof"):
                    return None  # "the year" alone is no deadline; "end of the year" is
                start, end = self._calendar(span, next_one=kind == "next")
                return start - timedelta(days=1) if groups.get("before") else end
        except (ValueError, OverflowError):
            return None
        return None

    def _absolute(self, g: Mapping[str, str | None]) -> tuple[date, date] | None:
        months = self.pack.month_names
        if g.get("iso"):
            day = date.fromisoformat(g["iso"] or "")
            return day, day
        if g.get("d_day"):
            day = date(
                int(g["d_year"] or 0),
                months[(g["d_month"] or "").lower().rstrip(".")],
                int(g["d_day"] or 0),
            )
            return day, day
        if g.get("m_day"):
            day = date(
                int(g["month_year"] or 0),
                months[(g["month"] or "").lower().rstrip(".")],
                int(g["m_day"] or 0),
            )
            return day, day
        if g.get("month"):
            year, month = int(g["month_year"] or 0), months[(g["month"] or "").lower().rstrip(".")]
            return date(year, month, 1), _month_end(year, month)
        if g.get("ym_year"):
            year, month = int(g["ym_year"] or 0), int(g["ym_month"] or 0)
            return date(year, month, 1), _month_end(year, month)
        quarter = g.get("quarter") or g.get("quarter2")
        if g.get("q_ord"):
            quarter = str(
                ("first", "second", "third", "fourth").index((g["q_ord"] or "").lower()) + 1
            )
        if quarter:
            q = int(quarter)
            if g.get("q_fy"):
                fy_end = self._fy_end(_year(g["q_fy"] or ""))
                total = fy_end.year * 12 + fy_end.month - 1 - 12 + 3 * q
                year, month = divmod(total, 12)
                end = _month_end(year, month + 1)
                start_total = total - 2
                s_year, s_month = divmod(start_total, 12)
                return date(s_year, s_month + 1, 1), end
            year = int(g.get("q_year") or g.get("q_year2") or g.get("q_year3") or 0)
            return date(year, 3 * q - 2, 1), _month_end(year, 3 * q)
        if g.get("half"):
            half, year = int(g["half"] or 1), int(g["h_year"] or 0)
            return date(year, 6 * half - 5, 1), _month_end(year, 6 * half)
        if g.get("fy"):
            year = _year(g.get("fy_b") or g["fy"] or "")
            end = self._fy_end(year)
            return self._fy_end(year - 1) + timedelta(days=1), end
        year_text = g.get("year") or g.get("ye_year") or g.get("ye_year2")
        if year_text:
            year = int(year_text)
            return date(year, 1, 1), date(year, 12, 31)
        return None

    def _season(self, g: Mapping[str, str | None]) -> date | None:
        """The end of a season (northern hemisphere; winter ends in February)."""
        season = (g.get("season") or "").lower()
        month = {"spring": 5, "summer": 8, "autumn": 11, "fall": 11, "winter": 2}.get(season)
        if month is None:
            return None
        if g.get("s_year"):
            year = int(g["s_year"] or 0) + (1 if month == 2 else 0)
            return _month_end(year, month)
        year = self.as_of.year
        end = _month_end(year, month)
        while end < self.as_of:
            year += 1
            end = _month_end(year, month)
        return end

    def _fy_end(self, year: int) -> date:
        month, day = self.fye
        if (month, day) == (2, 29):
            return _month_end(year, 2)
        return date(year, month, min(day, calendar.monthrange(year, month)[1]))

    def _relative(self, g: Mapping[str, str | None], start: int, end: int) -> date | None:
        count_text = (g.get("count") or "").lower()
        if not count_text and not g.get("next"):
            return None
        span = " ".join((g.get("span") or "").lower().split())
        if (g.get("rprep") or "").lower() == "for" and not g.get("next"):
            return None  # "sustain their tenancy for 12 months" is a duration, not a deadline
        if not count_text and ("financial" in span or "fiscal" in span):
            return None  # "in the next financial year" is a fiscal period, read as such
        if span in self.pack.within_spans:
            return None
        if count_text in ("", "a", "an"):
            count = 1.0
        elif count_text.isdigit():
            count = float(count_text)
        else:
            count = self.pack.number_words.get(count_text, 0.0)
            if not count and count_text not in self.pack.number_words:
                return None
        # A duration followed by "of vacancy", "instead of 14" or "down from 45" is a measure
        # ("within 21 days of a vacancy"), not a deadline.
        after = self.text[end : end + 24].lstrip(" ,").lower()
        first_after = after.split(" ", 1)[0] if after else ""
        if first_after in ("of", "after", "from", "down", "up", "instead", "rather", "per",
                           "compared", "to", "on", "versus", "vs", "or", "and"):  # fmt: skip
            return None
        unit = self.pack.time_units.get(span.split()[-1], "year")
        if unit == "day" and count <= 31:
            return None
        # "process 95% of claims within 6 weeks": a service level, not a deadline
        if unit in ("day", "week") and _SHARE_OF.pick(self.fast).search(self.scan, 0, start):
            return None
        if count > 100:
            return None
        whole = int(count)
        if unit == "day":
            return self.as_of + timedelta(days=whole)
        if unit == "week":
            return self.as_of + timedelta(weeks=whole)
        months = {"month": 1, "quarter": 3, "year": 12}.get(unit, 12) * whole
        return _add_months(self.as_of, months)

    def _calendar(self, span: str, *, next_one: bool) -> tuple[date, date]:
        today = self.as_of
        if "academic" in span or "school" in span:
            end = date(today.year, 7, 31)
            if end < today:
                end = date(today.year + 1, 7, 31)
            if next_one:
                end = date(end.year + 1, 7, 31)
            return date(end.year - 1, 8, 1), end
        if "financial" in span or "fiscal" in span:
            end = self._fy_end(today.year)
            if end < today:
                end = self._fy_end(today.year + 1)
            if next_one:
                end = self._fy_end(end.year + 1)
            return self._fy_end(end.year - 1) + timedelta(days=1), end
        if span == "month":
            total = today.year * 12 + today.month - 1 + (1 if next_one else 0)
            year, month = divmod(total, 12)
            return date(year, month + 1, 1), _month_end(year, month + 1)
        if span == "quarter":
            q = (today.month - 1) // 3 + (1 if next_one else 0)
            year = today.year + q // 4
            q = q % 4
            return date(year, 3 * q + 1, 1), _month_end(year, 3 * q + 3)
        year = today.year + (1 if next_one else 0)
        return date(year, 1, 1), date(year, 12, 31)

    # -- amounts --------------------------------------------------------------------------

    def _amounts(self) -> None:
        """Every amount: numbers in digits, then number words and multipliers."""
        if self.first_digit >= 0:
            self._digits()
        number_like = self.c.number_like.intersection(self.cue_words)
        if number_like:
            self._number_words(number_like)
        if not self.pack.multipliers.keys().isdisjoint(self.cue_words):
            self._multipliers()
        if self.amounts:
            self._fill_units()
        self._mark_tokens()

    def _digits(self) -> None:
        """Every amount written in digits, except inside a deadline or an amount read before."""
        # An amount needs a digit and starts at most 5 characters before it ("NZ$ .5"), so
        # the pattern need not try the words before the first digit.
        matches = _AMOUNT.pick(self.fast).finditer(self.scan, max(0, self.first_digit - 5))
        text = self.text
        blocked = self.blocked
        for match in matches:
            start, end = match.span()
            if text[start].isspace():
                start += 1
            for b_start, b_end in blocked:  # inside a deadline or amount read before: skip
                if start < b_end and b_start < end:
                    break
            else:
                self._digit_amount(match, start, end)

    def _digit_amount(self, match: re.Match[str], start: int, end: int) -> None:
        """The amount of one number written in digits (``match`` of :data:`_AMOUNT`, at
        ``start``:``end``), unless it is a label ("Year 6") or a year after a preposition."""
        pack = self.pack
        text = self.text
        lows = self.lows
        starts = self.starts
        cur, number, mag, pct, times = match.groups()
        value = float(number.replace(",", ""))
        if mag:
            value *= pack.magnitude_words.get(mag.lower(), 1.0)
        after = bisect_left(starts, start)  # the word at or after the number
        if not (cur or mag or pct or times):
            before = after - 1  # the word before the number
            if before >= 0 and (
                # a label: "Year 6", "line 3", "ISO 9001" name something
                (
                    lows[before] in pack.label_nouns
                    and _gap_clean(text, self.ends[before], start)
                )
                # a year after "in", "by", "since"...: a date, not an amount
                or (
                    len(number) == 4
                    and number.isdigit()
                    and 1900 <= value <= 2100
                    and lows[before] in _YEAR_PREPOSITIONS
                )
            ):
                return
        if times:
            self._add(value, None, Role.MULTIPLIER, start, end)
            return
        unit: str | None = None
        if cur:
            unit = _CURRENCY_SYMBOLS.get(cur.lower())
        if pct:
            unit = "percent"
        self._amount_tail(value, unit, start, end, currency=bool(cur), index=after)

    def _mark_tokens(self) -> None:
        """Flag the words inside amounts (1) and deadlines (2), once, for the loops after.

        :attr:`blocked` holds the deadlines' spans, then one span per amount (see
        :meth:`_add`). Each span's words are found by two bisections and flagged with one
        slice assignment, amounts after deadlines: a word inside both is an amount word."""
        n = len(self.starts)
        flags = [0] * n
        blocked = self.blocked
        if blocked:
            starts = self.starts
            ends = self.ends
            deadlines = len(blocked) - len(self.amounts)
            for position, (start, end) in enumerate(blocked):
                first = bisect_right(ends, start)  # the first word ending after its start
                last = bisect_left(starts, end)  # the first word starting at or after its end
                if first < last:
                    flags[first:last] = [2 if position < deadlines else 1] * (last - first)
        self.flags = flags

    def _next_words(self, i: int, k: int, last_end: int) -> str | None:
        """The ``k`` words from word ``i``, if only spaces or hyphens separate them from
        ``last_end`` and from each other."""
        text = self.text
        starts = self.starts
        if i + k > len(starts) or not _gap_clean(text, last_end, starts[i]):
            return None
        if k == 1:
            return self.lows[i]
        ends = self.ends
        for j in range(i, i + k - 1):
            if not _gap_clean(text, ends[j], starts[j + 1]):
                return None
        return " ".join(self.lows[i : i + k])

    def _amount_tail(
        self,
        value: float,
        unit: str | None,
        start: int,
        end: int,
        *,
        currency: bool,
        index: int | None = None,
    ) -> None:
        """Read the unit words, counted noun and rate after a number, then its role.

        ``index`` is the first word at or after ``start``, when the caller has it."""
        pack = self.pack
        text = self.text
        lows = self.lows
        starts = self.starts
        ends = self.ends
        if index is None:
            index = bisect_left(starts, start)
        # the first word after the number (`index` itself, unless a word starts inside it)
        i = index if index < len(starts) and starts[index] >= end else bisect_left(starts, end)
        n = len(starts)
        if (
            text[end : end + 1] != "/"
            if i >= n or not _gap_clean(text, end, starts[i])
            else lows[i] in self.c.tail_stops
        ):
            # Nothing after the number can extend it (the usual "from 75 to", "by 30% by"):
            # every test below would fail on the next word, or need a space it lacks.
            self._add(
                value,
                None if unit is None else _canonical(unit),
                self._role(start, index, None, False),
                start,
                end,
            )
            return
        points = False
        noun: str | None = None
        comparative: str | None = None
        last_end = end
        # the word right after the number, if only a space or a hyphen is between
        word = lows[i] if i < n and _gap_clean(text, last_end, starts[i]) else None
        # magnitude written apart ("40 million USD") when the regex did not take it
        if word is not None and word in pack.magnitude_words and word not in ("m", "b", "k", "t"):
            value *= pack.magnitude_words[word]
            last_end = ends[i]
            i += 1
            word = lows[i] if i < n and _gap_clean(text, last_end, starts[i]) else None
        if unit is None or unit == "percent":
            # two-word units first ("percentage points"), tried only after their first word
            for k in (2, 1) if word in self.c.unit_pair_firsts else (1,):
                words = word if k == 1 else self._next_words(i, k, last_end)
                if words is None:
                    continue
                if unit == "percent" and words in pack.point_words:
                    points = True
                    last_end = ends[i + k - 1]
                    i += k
                    break
                if unit is None and (words in pack.unit_words or words in pack.time_units):
                    unit = pack.unit_words.get(words) or pack.time_units[words]
                    points = words in pack.point_words
                    last_end = ends[i + k - 1]
                    i += k
                    break
        elif currency and word is not None and pack.unit_words.get(word) == unit:
            last_end = ends[i]
            i += 1
        span_end = last_end
        # comparatives right after the number: "20 more", "30% fewer"
        if i < n and _gap_clean(text, last_end, starts[i]):
            word = lows[i]
            if word in pack.more_words or word in pack.fewer_words:
                comparative = word
                self.cues.append((word, starts[i], ends[i], "comparative"))
                last_end = ends[i]
                i += 1
        # a counted noun ("3 sales people", "40 pop-up business forums")
        if unit is None and not currency:
            noun_words: list[str] = []
            while i < n and len(noun_words) < 4 and _gap_clean(text, last_end, starts[i]):
                low = lows[i]
                if (
                    low in pack.function_words
                    or low in pack.stop_words
                    or (noun_words and low in self.c.verb_words and low not in pack.output_nouns)
                ):
                    break
                if low in pack.time_units and not noun_words:
                    unit = pack.time_units[low]
                    last_end = ends[i]
                    span_end = last_end
                    i += 1
                    break
                noun_words.append(low)
                last_end = ends[i]
                i += 1
            if noun_words and unit is None:
                noun = _intern(" ".join(noun_words))
                unit = "count"
        # a rate: "a week", "per day", "daily", "/day"
        rate: str | None = None
        if i < n and _gap_clean(text, last_end, starts[i]):
            low = lows[i]
            if low in pack.rate_adverbs:
                rate = pack.rate_adverbs[low]
            elif (
                low in pack.rate_words
                and i + 1 < n
                and lows[i + 1] in pack.time_units
                and _gap_clean(text, ends[i], starts[i + 1])
            ):
                rate = pack.time_units[lows[i + 1]]
        elif text[last_end : last_end + 1] == "/" and i < n and lows[i] in pack.time_units:
            rate = pack.time_units[lows[i]]
        if rate is not None:
            unit = _canonical(f"{unit or '1'}/{rate}")
        elif unit is not None:
            unit = _canonical(unit)
        role = self._role(start, index, comparative, rate is not None)
        self._add(value, unit, role, start, span_end, noun=noun, points=points)

    def _role(self, start: int, index: int, comparative: str | None, rate: bool) -> Role:
        """The role of the amount at ``start`` (``index``: the first word at or after it)."""
        if comparative is not None:
            return Role.RELATIVE
        lows = self.lows
        # the words right before the amount (a comma may sit between), longest marker first
        if index == 0 or self.text[self.ends[index - 1] : start].strip() not in ("", ",", "-"):
            return self._rate_or_absolute(index, rate)
        lengths = self.c.marker_ends.get(lows[index - 1])
        if lengths is None:
            return self._rate_or_absolute(index, rate)
        roles = self.c.marker_roles
        for k in lengths:  # longest first
            if k > index:
                continue
            words = lows[index - 1] if k == 1 else " ".join(lows[index - k : index])
            role = roles.get(words)
            if role is None:
                continue
            words = self.markers[start] = _intern(words)
            if role is Role.BASELINE:
                self.cues.append(
                    (words, self.starts[index - k], self.ends[index - 1], "baseline-marker")
                )
            elif role is Role.TARGET:
                self.cues.append(
                    (words, self.starts[index - k], self.ends[index - 1], "target-marker")
                )
            return role
        return self._rate_or_absolute(index, rate)

    def _rate_or_absolute(self, index: int, rate: bool) -> Role:
        if rate or (index > 0 and self.lows[index - 1] in ("every", "each", "per")):
            return Role.RATE
        return Role.ABSOLUTE

    def _add(
        self,
        value: float,
        unit: str | None,
        role: Role,
        start: int,
        end: int,
        *,
        noun: str | None = None,
        points: bool = False,
    ) -> None:
        if not math.isfinite(value):
            return
        self.amounts.append(
            ParsedAmount(
                _value(value),
                unit,
                role,
                _span(start, end),
                _intern(self.text[start:end]),
                noun,
                points,
                self.markers.get(start),
            )
        )
        self.blocked.append((start, end))

    def _number_words(self, present: frozenset[str]) -> None:
        """Amounts written as words ("two", "a dozen", "by half"); ``present`` holds the
        statement's number and fraction words, so only their positions are visited, in
        order (an amount read here blocks the words of a later one)."""
        words = self.pack.number_words
        fractions = self.pack.fraction_words
        lows = self.lows
        starts = self.starts
        ends = self.ends
        n = len(lows)
        positions: list[int] = []
        for word in present:  # list.index finds each occurrence in C
            index = -1
            for _ in range(lows.count(word)):
                index = lows.index(word, index + 1)
                positions.append(index)
        if len(positions) > 1:
            positions.sort()
        for index in positions:
            low = lows[index]
            start = starts[index]
            end = ends[index]
            if self._in_blocked(start, end):
                continue
            prev = lows[index - 1] if index else ""
            nxt = lows[index + 1] if index + 1 < n else ""
            if low in fractions:
                self._fraction(index, low, fractions[low])
                continue
            if low not in words:
                continue
            if (
                nxt in self.pack.rate_words
                and index + 2 < n
                and (lows[index + 2] in self.pack.time_units)
            ):
                self._amount_tail(words[low], None, start, end, currency=False)
                continue
            if low == "none" and prev not in ("to", "at"):
                continue
            if low == "dozen" and prev == "a":
                start = starts[index - 1]
            elif (
                low != "none"
                and low != "zero"
                and (not nxt or nxt in self.pack.function_words or nxt in self.pack.stop_words)
            ):
                continue
            if low == "one" and nxt in ("of", "another", "team", "place"):
                continue
            self._amount_tail(words[low], None, start, end, currency=False)

    def _fraction(self, index: int, low: str, fraction: float) -> None:
        """ "by half", "by a third" (a relative change) and "in half" (a multiplier)."""
        lows = self.lows
        first = index
        if index > 0 and lows[index - 1] in ("a", "one"):
            first = index - 1
        marker = lows[first - 1] if first > 0 else ""
        start, end = self.starts[first], self.ends[index]
        if marker == "by":
            self._add(round(fraction * 100, 4), "percent", Role.RELATIVE, start, end)
        elif marker == "in" and low == "half":
            self._add(0.5, None, Role.MULTIPLIER, start, end)

    def _multipliers(self) -> None:
        multipliers = self.pack.multipliers
        for low, start, end in zip(self.lows, self.starts, self.ends, strict=True):
            factor = multipliers.get(low)
            if factor is not None and not self._in_blocked(start, end):
                self._add(factor, None, Role.MULTIPLIER, start, end)
                self.cues.append((self.text[start:end], start, end, "multiplier"))

    def _fill_units(self) -> None:
        """Give a unit-less baseline the unit of the statement's other amounts
        ("from 75 to 30 days": 75 is in days too)."""
        for item in self.amounts:
            if item.unit is None and (item.role is Role.BASELINE or item.role is Role.TARGET):
                break
        else:
            return  # the usual case: no amount to fill
        with_unit = [
            a for a in self.amounts if a.unit is not None and a.role is not Role.MULTIPLIER
        ]
        if not with_unit:
            return
        donor = next((a for a in with_unit if a.role is Role.TARGET), with_unit[0])
        for position, item in enumerate(self.amounts):
            if item.unit is None and item.role in (Role.BASELINE, Role.TARGET):
                self.amounts[position] = ParsedAmount(  # attrs.evolve, without its overhead
                    item.value,
                    donor.unit,
                    item.role,
                    item.span,
                    item.text,
                    donor.noun,
                    donor.points,
                    item.marker,
                )

    # -- the head verb and the metric -------------------------------------------------------

    def _head_verb(self) -> tuple[int | None, int, str | None]:
        """The first verb of the statement: its token index, length in tokens and direction."""
        verbs = self.c.verbs
        any_verb = self.c.any_verb
        lows = self.lows
        for index, low in enumerate(lows):
            if index + 1 < len(lows):
                pair = f"{low} {lows[index + 1]}"
                if pair in any_verb:
                    return index, 2, verbs.get(pair)
            if low in any_verb and (low in self.pack.multipliers or not self.flags[index]):
                if index > 0 and lows[index - 1] in self.pack.stop_words:
                    continue  # "the increase", "a cut": a noun, not the head verb
                return index, 1, verbs.get(low)
        return None, 0, None

    def _metric(self, head: int | None, head_len: int) -> tuple[str | None, Span | None]:
        """The measured thing: the words after the head verb, up to the first amount,
        deadline, clause boundary or punctuation (ten words at most).

        Leading articles and comparatives are skipped; from the first word kept, each word
        either joins the phrase or ends it, so the phrase is a run of consecutive words
        ``[first, end)`` and the loop only moves ``end``."""
        pack = self.pack
        lows = self.lows
        starts = self.starts
        ends = self.ends
        text = self.text
        n = len(lows)
        i = 0 if head is None else head + head_len
        while i < n and lows[i] in _PARTICLES:
            i += 1
        flags = self.flags
        amount_skipped = False
        tested = self.c.metric_tested
        first = -1
        while i < n:  # the first word of the phrase
            flag = flags[i]
            if flag:
                amount_skipped = amount_skipped or flag == 1
                i += 1
                continue
            low = lows[i]
            if low in tested:
                if (
                    low in pack.stop_words
                    or low in pack.more_words
                    or low in pack.fewer_words
                    or low == "of"
                ):
                    i += 1
                    continue
                if low in pack.function_words or low in pack.boundary_words:
                    break
            first = i
            break
        end = first
        if first >= 0:
            previous_end = ends[first]
            end = first + 1
            limit = min(n, first + 10)
            while end < limit:
                start = starts[end]
                if (start - previous_end != 1 or text[previous_end] != " ") and (
                    previous_end < start and _PUNCT.search(text, previous_end, start)
                ):
                    break
                if flags[end]:
                    break
                low = lows[end]
                if low in tested:
                    nxt = lows[end + 1] if end + 1 < n else ""
                    if low in pack.boundary_words:
                        break
                    if low == "to":
                        # "time to fill a vacancy", "cost to serve": the verb is part of the measure
                        if not (lows[end - 1] in pack.lower_is_better and nxt in self.c.verb_words):
                            break
                    else:
                        if low in _BEFORE_AMOUNT and end + 1 < n and flags[end + 1]:
                            break
                        if low in pack.rate_words and nxt in pack.time_units:
                            break
                        if low in _CLAUSE_JOINS and (nxt in self.c.verb_words or not nxt):
                            break
                previous_end = ends[end]
                end += 1
            while end > first and (
                lows[end - 1] in pack.function_words or lows[end - 1] in pack.stop_words
            ):
                end -= 1
        if end <= first or first < 0:
            if amount_skipped:
                nouns = [a for a in self.amounts if a.noun]
                if nouns:
                    noun_item = min(nouns, key=lambda a: a.span)
                    noun_start = self.text.lower().find(noun_item.noun or "", noun_item.span[1])
                    if noun_start >= 0:
                        return noun_item.noun, _span(
                            noun_start, noun_start + len(noun_item.noun or "")
                        )
            return None, None
        span = _span(starts[first], ends[end - 1])
        stop_words = pack.stop_words
        normal = " ".join([low for low in lows[first:end] if low not in stop_words])
        return _intern(normal) or None, span

    # -- direction ------------------------------------------------------------------------

    def _change(
        self, direction: str | None, metric: str | None
    ) -> tuple[Intent | None, Change | None, str | None]:
        pack = self.pack
        if direction in ("increase", "decrease"):
            return _INTENTS[direction], _CHANGES[direction], "verb"
        if direction == "maintain":
            # "keep events free of disruption, from 6 to none" asks for a change after all
            moved = self._amount_direction()
            if moved is not None:
                return _INTENTS[moved.value], moved, "amounts"
            return Intent.MAINTAIN, Change.MAINTAIN, "verb"
        intent = Intent.ACHIEVE if direction in ("achieve", "polar") else None
        from_amounts = self._amount_direction()
        if from_amounts is not None:
            return intent or _INTENTS[from_amounts.value], from_amounts, "amounts"
        for item in self.amounts:
            if item.role is Role.RELATIVE:
                for cue_text, cue_start, _, meaning in self.cues:
                    if meaning == "comparative" and item.span[1] <= cue_start <= item.span[1] + 2:
                        change = (
                            Change.INCREASE
                            if cue_text.lower() in pack.more_words
                            else Change.DECREASE
                        )
                        return intent or _INTENTS[change.value], change, "comparative"
        if direction == "polar":
            metric_text = metric or ""
            metric_words = set(metric_text.split())
            if metric_words & pack.lower_is_better or any(
                phrase in metric_text for phrase in self.c.lower_phrases
            ):
                return Intent.DECREASE, Change.DECREASE, "polarity"
            return Intent.INCREASE, Change.INCREASE, "polarity"
        if intent is None:
            for low, start, end in zip(self.lows, self.starts, self.ends, strict=True):
                if low in ("fewer", "less"):
                    self.cues.append((self.text[start:end], start, end, "comparative"))
                    return Intent.DECREASE, Change.DECREASE, "comparative"
                if low == "more":
                    self.cues.append((self.text[start:end], start, end, "comparative"))
                    return Intent.INCREASE, Change.INCREASE, "comparative"
        return intent, None, None

    def _amount_direction(self) -> Change | None:
        baseline = next((a for a in self.amounts if a.role is Role.BASELINE), None)
        if baseline is None:
            return None
        for cue_text, _, cue_end, meaning in self.cues:
            if meaning == "baseline-marker" and cue_end <= baseline.span[0]:
                if cue_text.startswith("up "):
                    return Change.INCREASE
                if cue_text.startswith("down "):
                    return Change.DECREASE
        target = next(
            (
                a
                for a in self.amounts
                if a.role in (Role.TARGET, Role.ABSOLUTE, Role.RATE) and a is not baseline
            ),
            None,
        )
        if target is None or target.unit != baseline.unit:
            return None
        self.compared = (baseline, target)
        if target.value == baseline.value:
            return None
        return Change.INCREASE if target.value > baseline.value else Change.DECREASE

    # -- vague words ----------------------------------------------------------------------

    def _vague(self) -> tuple[str, ...]:
        vague = self.pack.vague_words
        found: list[str] = []
        lows = self.lows
        n = len(lows)
        first = self.c.vague_first
        if first.isdisjoint(self.cue_words):  # most statements: no vague phrase starts
            return ()
        for index in range(n):
            if lows[index] not in first:
                continue
            for k in range(min(self.c.vague_max, n - index), 0, -1):
                phrase = lows[index] if k == 1 else " ".join(lows[index : index + k])
                if phrase in vague:
                    if index and lows[index - 1] == "or":
                        break  # "grade B or better" qualifies a level, it is not a weasel word
                    found.append(_intern(phrase))
                    start, end = self.starts[index], self.ends[index + k - 1]
                    self.cues.append((self.text[start:end], start, end, "vague"))
                    break
        return tuple(dict.fromkeys(found))


def _trie_regex(words: Mapping[str, object] | frozenset[str]) -> str:
    """An alternation of ``words`` factored by common prefixes ("jan(?:uary)?"), which the
    regular-expression engine rejects far faster than a flat list."""
    trie: dict[str, Any] = {}
    for word in words:
        node: dict[str, Any] = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def render(node: dict[str, Any]) -> str:
        branches = []
        optional = False
        for char in sorted(node):
            if char == "":
                optional = True
                continue
            branches.append(re.escape(char) + render(node[char]))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if optional:
            return f"(?:{body})?"
        return body

    return render(trie)


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


_MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _month_end(year: int, month: int) -> date:
    """The last day of a month (``calendar.monthrange`` also computes a weekday: slower)."""
    if not 1 <= month <= 12:
        raise ValueError(f"bad month {month}")
    if month == 2 and calendar.isleap(year):
        return date(year, 2, 29)
    return date(year, month, _MONTH_DAYS[month])


def _add_months(day: date, months: int) -> date:
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
