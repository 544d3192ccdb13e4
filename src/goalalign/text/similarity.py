"""Statement similarity that survives rewording, and near-duplicate search that stays linear.

"Cut operating expenditure by 8%" and "Reduce operating expenses 8 percent" say the same
thing. Comparing raw words misses that; comparing *features* catches it. A statement's
features are what is left after normalisation:

* lower case, punctuation and hyphens gone;
* numbers replaced by a placeholder in the token stream (and kept apart, normalised, in
  :attr:`Normalised.numbers`, because a copied statement keeps its numbers while a translated
  one changes them — :mod:`goalalign.rules.echoes` tells clones from translations that way);
* metric-family phrases replaced by one token per family (``@cost`` for "expenditure",
  "spend", "budget"…, see :mod:`goalalign.text.families`);
* verbs of change folded into three tokens (``~up``, ``~down``, ``~keep``);
* stop words, month names and single letters dropped; the rest cut to a crude stem by a small
  suffix stripper (``reducing``/``reduced``/``reduces`` -> ``reduc``).

:class:`TokenSimilarity` compares feature sets by Jaccard index. It sits behind the
:class:`Similarity` protocol so a semantic backend (embeddings, TF-IDF) can replace it without
touching the rules.

Reading 100,000 statements one by one is most of the cost of comparing them. The
:class:`TemplateReader` reads each *template* once: statements written to one pattern differ
in plain words (names of sites, products, segments) that take no part in the reading but as
their own stems, so they share one reading with those words left as slots.

Finding near-duplicates among 100,000 goals must not compare every pair. The
:class:`NearDuplicateIndex` uses *prefix filtering*: two sets with Jaccard index at least *t*
must share one of the rarest ``|x| - ceil(t*|x|) + 1`` features of either, so each set is
indexed and probed only under those few features, and every posting list is capped. Work is
bounded by (goals x prefix length x cap); :attr:`NearDuplicateIndex.comparisons` counts it, so
tests can check that it grows linearly.

>>> sim = TokenSimilarity()
>>> round(sim.similarity("Cut operating expenditure by 8%",
...                      "Reduce operating expenses by 8 percent"), 2)
1.0
>>> sorted(sim.features("Reducing the cost per policy brief by 20% by December 2026"))
['@cost', 'brief', 'polic', '~down']
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Hashable, Iterable, Iterator, Sequence
from itertools import chain, repeat
from typing import Protocol, runtime_checkable

import attrs

from goalalign.text.families import DEFAULT_THESAURUS, FamilyHit, Thesaurus

__all__ = [
    "BOUNDARY_WORDS",
    "CHANGE_WORDS",
    "SLOT",
    "STOP_WORDS",
    "DuplicatePair",
    "NearDuplicateIndex",
    "Normalised",
    "Similarity",
    "Template",
    "TemplateReader",
    "TokenSimilarity",
    "containment",
    "extract_numbers",
    "jaccard",
    "normalise",
    "shared_words",
    "stem",
    "tokens_and_hits",
]



def _words(text: str) -> list[str]:
    return text.split()


STOP_WORDS: frozenset[str] = frozenset(
    _words(
        """
    a an the and or but of to in on at by for from with within into onto over under across
    through via per as than then so that this these those it its is are was were be been being
    will shall would should can could may might must do does did has have had not no nor all
    any each every both either neither our ours we your you their they them his her he she
    i me my mine who whom which what when where why how while during until till before after
    again further more most less least very too also just only own same such other up down
    out off about above below between against there here once new current currently
    instead least at around approximately about overall total etc percent pct cent
    million billion thousand bn mn
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec fy q h end year years quarter
    """
    )
)
"""Words left out of features: function words, month names and deadline vocabulary."""

_UP_WORDS = """
    increase increases increased increasing raise raises raised raising grow grows grew growing
    grown boost boosts boosted lift lifts lifted expand expands expanded expanding double
    doubles doubled triple add adds added adding rise rises higher more maximise maximize
    accelerate accelerates accelerated up
"""
_DOWN_WORDS = """
    reduce reduces reduced reducing cut cuts cutting lower lowers lowered lowering decrease
    decreases decreased decreasing shrink shrinks shrinking halve halves halved minimise
    minimize minimised minimized lessen fewer less eliminate eliminates eliminated drop drops
    dropped trim trims trimmed shorten shortens shortened down
"""
_KEEP_WORDS = """
    keep keeps kept maintain maintains maintained sustain sustains sustained hold holds held
    preserve preserves protect protects
"""
CHANGE_WORDS: dict[str, str] = {
    **dict.fromkeys(_words(_UP_WORDS), "~up"),
    **dict.fromkeys(_words(_DOWN_WORDS), "~down"),
    **dict.fromkeys(_words(_KEEP_WORDS), "~keep"),
}
"""Verbs of change folded into ``~up``, ``~down`` and ``~keep``, so "cut" matches "reduce"."""

_SUFFIXES: tuple[str, ...] = (
    "isation", "ization", "ational", "ation", "ement", "ment", "ness", "ity", "ing", "ised",
    "ized", "ise", "ize", "ied", "ed", "al", "ly", "y", "e", "i",
)

_stem_cache: dict[str, str] = {}


def stem(word: str) -> str:
    """A crude stem: the word without its plural and one inflectional or derivational suffix.

    Not a linguist's stemmer; its only job is to send the forms of one word to one string
    ("reduce", "reduced", "reducing", "reduction" -> "reduc"), so it may over-cut. A stem keeps
    at least three letters.

    >>> [stem(w) for w in ("reduced", "reducing", "housing", "houses", "deliveries", "briefs")]
    ['reduc', 'reduc', 'hous', 'hous', 'deliver', 'brief']
    """
    cached = _stem_cache.get(word)
    if cached is not None:
        return cached
    result = word
    if len(result) > 3:
        if result.endswith("ies") and len(result) > 4:
            result = result[:-3] + "i"
        elif result.endswith("sses"):
            result = result[:-2]
        elif result.endswith("s") and not result.endswith(("ss", "us", "is")):
            result = result[:-1]
        for suffix in _SUFFIXES:
            if result.endswith(suffix) and len(result) - len(suffix) >= 3:
                result = result[: -len(suffix)]
                doubled = result[-1] == result[-2] and result[-1] not in "lsfz"
                if suffix in ("ing", "ed") and doubled:
                    result = result[:-1]
                break
        if result.endswith("ion") and len(result) > 5:
            result = result[:-3]
        if result.endswith(("e", "i")) and len(result) > 3:
            result = result[:-1]
    if len(_stem_cache) < 200_000:
        _stem_cache[word] = result
    return result


_NUMBER = re.compile(
    r"(?<![a-z0-9.,])(?P<cur>[$£€])?\s?(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)\s?"
    r"(?P<mag>%|percent\b|per cent\b|pct\b|k\b|m\b|bn\b|b\b|million\b|billion\b|thousand\b)?",
    re.IGNORECASE,
)
_MAGNITUDE = {
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "million": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "billion": 1e9,
}


def extract_numbers(text: str) -> frozenset[str]:
    """The amounts in ``text`` as canonical strings; calendar years are left out.

    "$6m" and "6 million" both give ``"6000000"``; "30 %" and "30 percent" give ``"30%"``.
    Years (1900-2100 without a unit) are deadlines, not targets, so a child goal due a year
    earlier than its parent still counts as copying its numbers.
    """
    found: set[str] = set()
    for match in _NUMBER.finditer(text):
        raw = match.group("num").replace(",", "")
        try:
            value = float(raw)
        except ValueError:  # pragma: no cover - the pattern only matches numbers
            continue
        mag = (match.group("mag") or "").lower().replace(" ", "")
        if mag in ("%", "percent", "percent.", "pct"):
            found.add(f"{value:g}%")
            continue
        if mag in _MAGNITUDE:
            value *= _MAGNITUDE[mag]
        elif not match.group("cur") and value.is_integer() and 1900 <= value <= 2100:
            continue
        found.add(f"{value:g}" if value < 1e15 else repr(value))
    return frozenset(found)


@attrs.frozen(slots=True)
class Normalised:
    """A statement reduced to comparable parts.

    ``tokens`` is the normalised token stream (numbers as ``#``, clause boundaries such as
    "by" or "from" as ``|``, family phrases as ``@family``, verbs of change as
    ``~up``/``~down``/``~keep``, other words stemmed, stop words dropped); ``features`` is its
    set without ``#`` and ``|``; ``numbers`` the canonical amounts;
    ``families`` the family hits found on the way.
    """

    tokens: tuple[str, ...]
    features: frozenset[str]
    numbers: frozenset[str]
    families: tuple[FamilyHit, ...]

    @property
    def content(self) -> frozenset[str]:
        """The features that are neither family tokens nor verbs of change: the subject."""
        return frozenset(f for f in self.features if f[0] not in "@~")


_TOKEN = re.compile(r"@[a-z-]+|[a-z][a-z']*|\d+(?:[.,]\d+)*")
BOUNDARY_WORDS: frozenset[str] = frozenset(
    _words("by to from within through via so while until before instead because than")
)
"""Words that end a measured-thing phrase; they stay in the token stream as ``|``."""

_token_of: dict[str, str] = {
    **dict.fromkeys(STOP_WORDS, ""),
    **dict.fromkeys(BOUNDARY_WORDS, "|"),
    **CHANGE_WORDS,
}
"""Each word seen so far mapped to its feature token ("" for a dropped word): one dictionary
read per word in the hot loop."""


def _token(word: str) -> str:
    if word[0].isdigit():
        return "#"
    if len(word) < 2:
        return ""
    token = stem(word.removesuffix("'s").rstrip("'"))
    if len(_token_of) < 200_000:
        _token_of[word] = token
    return token


def tokens_and_hits(
    text: str, thesaurus: Thesaurus | None = None
) -> tuple[list[str], tuple[FamilyHit, ...]]:
    """The normalised token stream of ``text`` and its family hits (the fast core of
    :func:`normalise`, without the numbers).

    By definition the tokens are those of the text's words with an ``@family`` marker put in
    place of each family phrase. No word runs across a phrase's ends or across white space,
    so the text between phrases is cut at white space (cheap, in C) and each piece's tokens
    are looked up in :data:`_piece_tokens` instead of being matched again: goal statements
    repeat the same few thousand pieces.
    """
    lower = text.lower()
    hits = (thesaurus or DEFAULT_THESAURUS).detect_lower(lower)
    if hits:
        pieces: list[str] = []
        position = 0
        for hit in hits:
            pieces += lower[position : hit.span[0]].split()
            pieces.append(f" @{hit.family} ")  # its own tokens, as the marker's piece
            position = hit.span[1]
        pieces += lower[position:].split()
    else:
        pieces = lower.split()
    known = _piece_tokens
    tokens: list[str] = []
    last = ""
    for piece in pieces:
        found = known.get(piece)
        if found is None:
            found = _tokens_of_piece(piece)
        for token in found:
            if token != last:
                tokens.append(token)
                last = token
    return tokens, hits


_piece_tokens: dict[str, tuple[str, ...]] = {}
"""The non-empty feature tokens of each piece of text between white space seen so far."""


def _tokens_of_piece(piece: str) -> tuple[str, ...]:
    found: list[str] = []
    for word in _TOKEN.findall(piece):
        token = _token_of.get(word)
        if token is None:
            token = word if word[0] == "@" else _token(word)
        if token:
            found.append(token)
    result = tuple(found)
    if len(_piece_tokens) < 200_000:
        _piece_tokens[piece] = result
    return result


def normalise(text: str, thesaurus: Thesaurus | None = None) -> Normalised:
    """Normalise ``text`` (see the module docs)."""
    tokens, hits = tokens_and_hits(text, thesaurus)
    features = frozenset(t for t in tokens if t[0] not in "#|")
    return Normalised(tuple(tokens), features, extract_numbers(text), hits)


SLOT = "\x00"
"""A plain word's place in a :class:`Template`'s token stream."""

_STAND_IN = "zq"
"""The word a template text has in place of each plain word (any plain word would do)."""


class Template:
    """The reading shared by every text that differs from one other only in its plain words.

    A *plain* word (see :class:`TemplateReader`) is one whose token is its stem and which
    takes no part in family detection. A template text has :data:`_STAND_IN` in place of each;
    ``tokens`` is its token stream with :data:`SLOT` for each plain word, consecutive repeats
    kept (so that the slots can be filled in order); ``hits`` are its family hits, with spans
    into the template text, and ``slots_before`` says how many plain words come before each
    hit (the hit's span moves by their lengths). ``slots`` counts the plain words and
    ``moves`` says whether any comes before a hit.
    """

    __slots__ = ("hits", "moves", "positions", "slots", "slots_before", "tokens")

    def __init__(
        self, tokens: tuple[str, ...], hits: tuple[FamilyHit, ...], slots_before: tuple[int, ...]
    ) -> None:
        self.tokens = tokens
        self.hits = hits
        self.slots_before = slots_before
        self.slots = tokens.count(SLOT)
        self.moves = any(slots_before)
        """Whether a plain word comes before a hit (whose span then moves)."""
        self.positions: tuple[int, ...] = ()
        """Where the plain words are among the words of a text (set by the reader)."""


class TemplateReader:
    """:func:`tokens_and_hits` for many texts written to a few patterns, once per pattern.

    Goal statements of a large cascade repeat a few thousand patterns with different names
    in them ("Cut the cost of rework in <segment> at <site> by 12%"). Reading each text
    anew (a regular-expression scan for family phrases, then a look-up per word) is most of
    the cost of comparing statements. A word of lower-case ASCII letters between white space
    is *plain* when its token is its stem (no stop word, clause boundary or verb of change)
    and family detection ignores it (:meth:`Thesaurus.inert`): putting another plain word in
    its place changes nothing in the reading but that word's stem and the spans after it.
    So each text is cut at white space (in C), its plain words are replaced by one
    stand-in, and the result, the *template text*, is read once for all texts that share it
    (:class:`Template`); a text's own reading is the template's with its plain words' stems
    put in the slots and the hits' spans moved.

    Two cases are read in full instead: texts with white space other than single spaces
    between words (spans could not be moved by word lengths alone), and templates with a
    plain word inside a ratio's denominator (its :attr:`FamilyHit.per` holds the word).
    ``keep`` names stems that must stay in the template even when plain (a caller whose
    reading depends on them, such as a metric's head verb). Caches live as long as the
    reader; make one per check.
    """

    __slots__ = (
        "_exact", "_generation", "_keep", "_part", "_stem", "_templates", "_usable", "thesaurus",
    )  # fmt: skip

    def __init__(self, thesaurus: Thesaurus | None = None, keep: Iterable[str] = ()) -> None:
        self.thesaurus = thesaurus or DEFAULT_THESAURUS
        self._keep = frozenset(keep)
        self._generation = -1
        self._stem: dict[str, str] = {}
        self._part = _Parts(self.thesaurus, self._keep, self._stem)
        self._templates: dict[str, Template | None] = {}
        self._exact: dict[str, Template] = {}
        self._usable = True

    def _reset(self) -> None:
        """Forget everything read with an older version of the thesaurus."""
        self._generation = self.thesaurus.generation
        self._stem = {}
        self._part = _Parts(self.thesaurus, self._keep, self._stem)
        self._templates = {}
        self._exact = {}
        self._usable = self.is_plain(_STAND_IN)  # else every text is read in full

    def is_plain(self, word: str) -> bool:
        """Whether ``word`` (a word between white space, lower case) is plain (see the class)."""
        return _is_plain(word, self.thesaurus, self._keep)

    def read(self, text: str) -> tuple[Template, list[str]]:
        """The template of ``text`` and the stems of the text's plain words, in order."""
        return next(self.read_many((text,)))

    def read_many(self, texts: Iterable[str]) -> Iterator[tuple[Template, list[str]]]:
        """:meth:`read` of each of ``texts``, in order."""
        if self.thesaurus.generation != self._generation:
            self._reset()
        usable = self._usable
        part_of, stem_of = self._part.__getitem__, self._stem.__getitem__
        templates, read_exact = self._templates, self._read_exact
        for text in texts:
            lower = text.lower()
            words = lower.split()
            if not usable:
                yield read_exact(lower), []
                continue
            key = " ".join(map(part_of, words))
            if key != lower and " ".join(words) != lower:
                yield read_exact(lower), []  # white space other than single spaces
                continue
            template = templates.get(key, _MISSING)
            if template is _MISSING:
                template = self._template(key)
                templates[key] = template
            if template is None:
                yield read_exact(lower), []
            elif not template.slots:
                yield template, []
            else:
                yield template, [stem_of(words[position]) for position in template.positions]

    def hits(self, text: str) -> tuple[FamilyHit, ...]:
        """The family hits of ``text``: its template's, with their spans moved."""
        template, _ = self.read(text)
        if not template.moves:
            return template.hits
        plain = self._stem
        words = [word for word in text.lower().split() if word in plain]
        moved: list[FamilyHit] = []
        for hit, before in zip(template.hits, template.slots_before, strict=True):
            if before:
                shift = sum(map(len, words[:before])) - before * len(_STAND_IN)
                start, end = hit.span
                hit = FamilyHit(
                    hit.family, hit.phrase, (start + shift, end + shift), hit.polarity,
                    hit.ratio, hit.per,
                )  # fmt: skip
            moved.append(hit)
        return tuple(moved)

    def tokens_and_hits(self, text: str) -> tuple[list[str], tuple[FamilyHit, ...]]:
        """:func:`tokens_and_hits` of ``text`` read by template (the same result)."""
        template, stems = self.read(text)
        fill = iter(stems)
        tokens: list[str] = []
        last = ""
        for token in template.tokens:
            if token == SLOT:
                token = next(fill)
            if token != last:
                tokens.append(token)
                last = token
        return tokens, self.hits(text)

    def _template(self, key: str) -> Template | None:
        """The template of the template text ``key``, or ``None`` when it cannot serve (a
        ratio's denominator holds a plain word)."""
        template = self._build(key, slots=True)
        for hit in template.hits:
            if hit.per is not None and _STAND_IN in hit.per.split():
                return None
        parts = key.split(" ")
        template.positions = tuple(n for n, part in enumerate(parts) if part == _STAND_IN)
        return template

    def _read_exact(self, lower: str) -> Template:
        known = self._exact.get(lower)
        if known is None:
            known = self._build(lower, slots=False)
            self._exact[lower] = known
        return known

    def _build(self, text: str, *, slots: bool) -> Template:
        """Read ``text`` (lower case) as :func:`tokens_and_hits` does, without dropping
        repeats, with :data:`SLOT` for each stand-in when ``slots``."""
        hits = self.thesaurus.detect_lower(text)
        pieces: list[str] = []
        before: list[int] = []
        position = 0
        for hit in hits:
            gap = text[position : hit.span[0]].split()
            pieces += gap
            before.append(pieces.count(_STAND_IN) if slots else 0)
            pieces.append(f" @{hit.family} ")
            position = hit.span[1]
        pieces += text[position:].split()
        tokens: list[str] = []
        known = _piece_tokens
        for piece in pieces:
            if slots and piece == _STAND_IN:
                tokens.append(SLOT)
                continue
            found = known.get(piece)
            if found is None:
                found = _tokens_of_piece(piece)
            tokens += found
        return Template(tuple(tokens), hits, tuple(before))


def _is_plain(word: str, thesaurus: Thesaurus, keep: frozenset[str]) -> bool:
    """See :meth:`TemplateReader.is_plain`."""
    return (
        len(word) > 1
        and word.isascii()
        and word.isalpha()
        and word not in _NOT_PLAIN
        and thesaurus.inert(word)
        and stem(word) not in keep
    )


class _Parts(dict[str, str]):
    """Each word seen by a :class:`TemplateReader` -> what stands for it in a template text
    (the stand-in for a plain word, whose stem goes to ``stems``, else the word itself),
    worked out on first sight. It holds no reference to the reader: no reference cycle."""

    __slots__ = ("_keep", "_stems", "_thesaurus")

    def __init__(self, thesaurus: Thesaurus, keep: frozenset[str], stems: dict[str, str]) -> None:
        super().__init__()
        self._thesaurus = thesaurus
        self._keep = keep
        self._stems = stems

    def __missing__(self, word: str) -> str:
        part = word
        if _is_plain(word, self._thesaurus, self._keep):
            self._stems[word] = stem(word)
            part = _STAND_IN
        self[word] = part
        return part


_NOT_PLAIN = STOP_WORDS | BOUNDARY_WORDS | frozenset(CHANGE_WORDS)
"""Words whose token is not their stem."""
_MISSING = Template((), (), ())


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """``|a & b| / |a | b|``; 0 for two empty sets."""
    if not a or not b:
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


def containment(a: frozenset[str], b: frozenset[str]) -> float:
    """The share of ``a``'s features that ``b`` also has; 0 when ``a`` is empty."""
    if not a:
        return 0.0
    return len(a & b) / len(a)


@runtime_checkable
class Similarity(Protocol):
    """How statements are compared: a set of features per text, and a score in [0, 1].

    ``features`` must be deterministic; ``similarity`` must be symmetric and give 1.0 for a
    text compared with itself (unless it has no features).
    """

    def features(self, text: str) -> frozenset[str]:
        """The comparable features of ``text``."""
        ...

    def similarity(self, a: str, b: str) -> float:
        """How alike ``a`` and ``b`` are, from 0 (nothing shared) to 1 (the same)."""
        ...


class TokenSimilarity:
    """The built-in :class:`Similarity`: Jaccard index of normalised feature sets.

    Normalisations are cached per distinct text, so comparing a goal with several others
    normalises it once.
    """

    __slots__ = ("_cache", "thesaurus")

    def __init__(self, thesaurus: Thesaurus | None = None) -> None:
        self.thesaurus = thesaurus or DEFAULT_THESAURUS
        self._cache: dict[str, Normalised] = {}

    def normalise(self, text: str) -> Normalised:
        """The cached :func:`normalise` of ``text``."""
        found = self._cache.get(text)
        if found is None:
            found = normalise(text, self.thesaurus)
            self._cache[text] = found
        return found

    def features(self, text: str) -> frozenset[str]:
        return self.normalise(text).features

    def similarity(self, a: str, b: str) -> float:
        return jaccard(self.features(a), self.features(b))


@attrs.frozen(slots=True)
class DuplicatePair:
    """Two indexed sets whose Jaccard index reaches the threshold; ``first < second``."""

    first: int
    second: int
    similarity: float


def _ranks(sets: Sequence[Iterable[str]]) -> dict[str, int]:
    """Each feature's place in the global order of prefix filtering: rarest first, ties by
    spelling, so that every set's prefix is taken in the same order."""
    frequency = Counter(chain.from_iterable(sets))
    ordered = sorted(frequency, key=lambda f: (frequency[f], f))
    return {feature: position for position, feature in enumerate(ordered)}


class NearDuplicateIndex:
    """Linear near-duplicate search over many feature sets by prefix filtering.

    ``threshold`` is the least Jaccard index reported; ``max_postings`` caps how many sets are
    indexed under one feature (beyond it, sets still *probe* the feature and so still find the
    first ``max_postings`` holders, which keeps exact duplicates found, but are not added).
    :attr:`comparisons` counts the candidates read from posting lists (each is then skipped,
    filtered out or compared) and :attr:`probes` the posting lists read, for tests that
    assert linear growth.
    """

    __slots__ = ("comparisons", "max_postings", "probes", "threshold")

    def __init__(self, threshold: float = 0.8, max_postings: int = 32) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError("threshold must be in (0, 1]")
        self.threshold = threshold
        self.max_postings = max_postings
        self.comparisons = 0
        self.probes = 0

    def prefix_length(self, size: int) -> int:
        """How many of a set's rarest features must be indexed for the threshold to hold."""
        return size - math.ceil(self.threshold * size - 1e-9) + 1

    def pairs(
        self,
        sets: Sequence[frozenset[str] | tuple[str, ...]],
        groups: Sequence[Hashable | None] | None = None,
    ) -> Iterator[DuplicatePair]:
        """Every pair of ``sets`` (by position) with Jaccard index >= threshold, found once.

        A set may also be given as a tuple of distinct features, which takes a fraction of
        the memory of a frozenset for a search over a million goals; a frozenset is made of
        it only when the set is compared. Empty sets are never paired. Pairs come out in
        order of their second member.
        ``groups`` optionally labels each set; two sets with the same label (not ``None``) are
        not compared, which spares the similarity of pairs a caller would discard anyway
        (goals of one team, for :func:`goalalign.rules.echoes.find_duplicates`).

        Each posting list is also kept split by its holders' features. A set that may lack
        at most ``d`` of its own features in a similar set (:meth:`_tolerance`; 0 to 2 at
        the thresholds duplicate search uses) reads only the holders that have one of
        ``d + 1`` of its other features (those fewest holders have), in list order; the
        others could not reach the threshold. Candidates then pass a size filter before
        the Jaccard index is computed; when a similar set of the candidate's size could have
        no feature outside the set (:meth:`_least_shared`), a subset test that stops at the
        first feature outside it stands in for counting the features shared. Every filter is
        exact, so the pairs are those of a plain prefix-filtered search, in the same order.
        """
        rank = _ranks(sets)
        rank_of = rank.__getitem__
        sizes = [len(features) for features in sets]
        postings: dict[str, list[int]] = {}
        holding: dict[str, dict[str, list[int]]] = {}
        sole: dict[str, Hashable | None] = {}  # the one group of all holders, if one
        # per size: tolerance, prefix length, and what a similar set must share (by its size)
        per_size: dict[int, tuple[int | None, int, dict[int, int]]] = {}
        threshold = self.threshold
        cap = self.max_postings
        label = groups if groups is not None else [None] * len(sets)
        no_holders: tuple[int, ...] = ()
        # The counters are kept in locals and written back before each pair is yielded (and
        # at the end), so a caller reading them between pairs sees them up to date.
        comparisons = probes = 0
        for index, features in enumerate(sets):
            size = sizes[index]
            if not size:
                continue
            known = per_size.get(size)
            if known is None:
                known = per_size[size] = (
                    self._tolerance(size), self.prefix_length(size), self._least_shared(size)
                )  # fmt: skip
            lacking, length, least_shared = known
            shared_with = least_shared.get
            ordered = sorted(features, key=rank_of)
            # One probed feature gives each candidate once: only a longer prefix needs to
            # remember the candidates seen.
            seen: set[int] | None = set() if length > 1 else None
            group = label[index]
            compared = features if isinstance(features, frozenset) else None
            for position, feature in enumerate(ordered[:length]):
                holders = postings.get(feature)
                if holders is None:
                    postings[feature] = [index]
                    holding[feature] = {f: [index] for f in features}
                    sole[feature] = group
                    continue
                probes += 1
                candidates: Sequence[int] = holders
                if (group is not None and sole[feature] == group) or lacking == -1:
                    candidates = ()  # all of the prober's own group, or none similar enough
                elif lacking is not None and size > lacking + 1:
                    # A similar set lacks at most d of these features, so it holds one of
                    # any d + 1 of them: read the holders of those with the fewest holders.
                    others = ordered[position + 1 :] if position == 0 else [
                        f for f in ordered if f != feature
                    ]  # fmt: skip
                    lists = list(map(holding[feature].get, others, repeat(no_holders)))
                    if lacking == 0:
                        candidates = min(lists, key=len)
                    else:
                        lists.sort(key=len)
                        candidates = sorted(set().union(*lists[: lacking + 1]))
                comparisons += len(candidates)
                for other in candidates:
                    if seen is not None:
                        if other in seen:
                            continue
                        seen.add(other)
                    if group is not None and label[other] == group:
                        continue
                    other_size = sizes[other]
                    needed = shared_with(other_size)
                    if needed is None:
                        continue  # the size filter: no set of that size can be similar enough
                    if compared is None:
                        compared = frozenset(features)
                    if needed == other_size:
                        # A similar set of that size has no feature outside this one: a test
                        # that stops at the first feature outside it, and makes no set.
                        if not compared.issuperset(sets[other]):
                            continue
                        shared = other_size
                    else:
                        shared = len(compared.intersection(sets[other]))  # jaccard(), inlined
                    value = shared / (size + other_size - shared)
                    if value >= threshold:
                        self.comparisons += comparisons
                        self.probes += probes
                        comparisons = probes = 0
                        yield DuplicatePair(other, index, value)
                if len(holders) < cap:
                    holders.append(index)
                    if sole[feature] != group:
                        sole[feature] = None
                    by_feature = holding[feature]
                    for f in features:
                        found = by_feature.get(f)
                        if found is None:
                            by_feature[f] = [index]
                        else:
                            found.append(index)
        self.comparisons += comparisons
        self.probes += probes

    def _least_shared(self, size: int) -> dict[int, int]:
        """For each size a set similar enough to a set of ``size`` features may have (that
        passes the size filter and can reach the threshold), the fewest features the two
        must share; the Jaccard index grows with the features shared."""
        threshold = self.threshold
        least: dict[int, int] = {}
        for other in range(1, math.floor(size / threshold) + 3):
            if other < threshold * size or size < threshold * other:
                continue
            for shared in range(1, min(size, other) + 1):
                if shared / (size + other - shared) >= threshold:
                    least[other] = shared
                    break
        return least

    def _tolerance(self, size: int) -> int | None:
        """How many of its ``size`` features a set may lack from a set it is similar to (of a
        size that passes the size filter): -1 when no such set can be similar enough, and
        ``None`` when it may lack more than two, or the threshold is under one half (reading
        every holder is then as cheap)."""
        threshold = self.threshold
        if threshold < 0.5:
            return None
        least: int | None = None
        for other in range(1, math.floor(size / threshold) + 2):
            if other < threshold * size or size < threshold * other:
                continue
            for shared in range(1, min(size, other) + 1):
                if shared / (size + other - shared) >= threshold:
                    least = shared if least is None else min(least, shared)
                    break
        if least is None:
            return -1  # no set of an allowed size can be similar enough
        lacking = size - least
        return lacking if lacking <= 2 else None

    def search(
        self,
        targets: Sequence[frozenset[str]],
        queries: Sequence[frozenset[str] | tuple[str, ...]],
    ) -> Iterator[tuple[int, int, float]]:
        """``(target, query, similarity)`` for every query reaching the threshold with a target.

        Meant for a few targets (the strategic goals) and many queries (every other goal).
        The global order puts the features no target has first (they can never be shared),
        then the targets' features, rarest first. A query whose prefix holds only features no
        target has is skipped without a look-up, which is most queries. A query may be given
        as a tuple of distinct features (as in :meth:`pairs`).
        """
        rank = _ranks(targets)
        postings: dict[str, list[int]] = {}
        for index, features in enumerate(targets):
            if not features:
                continue
            for feature in sorted(features, key=rank.__getitem__)[
                : self.prefix_length(len(features))
            ]:
                holders = postings.setdefault(feature, [])
                if len(holders) < self.max_postings:
                    holders.append(index)
        threshold = self.threshold
        shareable = frozenset(rank)
        lengths: dict[int, int] = {}
        for query, query_features in enumerate(queries):
            size = len(query_features)
            if not size:
                continue
            known = shareable.intersection(query_features)  # in C: most share next to nothing
            length = lengths.get(size)
            if length is None:
                length = lengths[size] = self.prefix_length(size)
            room = length - (size - len(known))
            if room <= 0:
                continue
            seen: set[int] = set()
            for feature in sorted(known, key=rank.__getitem__)[:room]:
                indexed = postings.get(feature)
                if indexed is None:
                    continue
                self.probes += 1
                for target in indexed:
                    if target in seen:
                        continue
                    seen.add(target)
                    self.comparisons += 1
                    target_features = targets[target]
                    shared = len(target_features.intersection(query_features))  # jaccard()
                    value = shared / (size + len(target_features) - shared)
                    if value >= threshold:
                        yield target, query, value


def shared_words(a: Iterable[str], b: Iterable[str]) -> list[str]:
    """The features two sets share, sorted, for evidence in findings."""
    return sorted(set(a) & set(b))
