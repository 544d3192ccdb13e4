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
from typing import Protocol, runtime_checkable

import attrs

from goalalign.text.families import DEFAULT_THESAURUS, FamilyHit, Thesaurus

__all__ = [
    "BOUNDARY_WORDS",
    "CHANGE_WORDS",
    "STOP_WORDS",
    "DuplicatePair",
    "NearDuplicateIndex",
    "Normalised",
    "Similarity",
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


def _ranks(sets: Sequence[frozenset[str]]) -> dict[str, int]:
    """Each feature's place in the global order of prefix filtering: rarest first, ties by
    spelling, so that every set's prefix is taken in the same order."""
    frequency: Counter[str] = Counter()
    for features in sets:
        frequency.update(features)
    ordered = sorted(frequency, key=lambda f: (frequency[f], f))
    return {feature: position for position, feature in enumerate(ordered)}


class NearDuplicateIndex:
    """Linear near-duplicate search over many feature sets by prefix filtering.

    ``threshold`` is the least Jaccard index reported; ``max_postings`` caps how many sets are
    indexed under one feature (beyond it, sets still *probe* the feature and so still find the
    first ``max_postings`` holders, which keeps exact duplicates found, but are not added).
    :attr:`comparisons` counts verified candidate pairs and :attr:`probes` posting-list
    reads, for tests that assert linear growth.
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
        self, sets: Sequence[frozenset[str]], groups: Sequence[Hashable | None] | None = None
    ) -> Iterator[DuplicatePair]:
        """Every pair of ``sets`` (by position) with Jaccard index >= threshold, found once.

        Empty sets are never paired. Pairs come out in order of their second member.
        ``groups`` optionally labels each set; two sets with the same label (not ``None``) are
        not compared, which spares the similarity of pairs a caller would discard anyway
        (goals of one team, for :func:`goalalign.rules.echoes.find_duplicates`).
        """
        rank = _ranks(sets)
        postings: dict[str, list[int]] = {}
        threshold = self.threshold
        cap = self.max_postings
        label = groups if groups is not None else [None] * len(sets)
        for index, features in enumerate(sets):
            size = len(features)
            if not size:
                continue
            prefix = sorted(features, key=rank.__getitem__)[: self.prefix_length(size)]
            seen: set[int] = set()
            group = label[index]
            for feature in prefix:
                holders = postings.get(feature)
                if holders is None:
                    postings[feature] = [index]
                    continue
                self.probes += 1
                for other in holders:
                    if other in seen:
                        continue
                    seen.add(other)
                    if group is not None and label[other] == group:
                        continue
                    candidate = sets[other]
                    other_size = len(candidate)
                    if other_size < threshold * size or size < threshold * other_size:
                        continue
                    self.comparisons += 1
                    value = jaccard(features, candidate)
                    if value >= threshold:
                        yield DuplicatePair(other, index, value)
                if len(holders) < cap:
                    holders.append(index)


    def search(
        self, targets: Sequence[frozenset[str]], queries: Sequence[frozenset[str]]
    ) -> Iterator[tuple[int, int, float]]:
        """``(target, query, similarity)`` for every query reaching the threshold with a target.

        Meant for a few targets (the strategic goals) and many queries (every other goal).
        The global order puts the features no target has first (they can never be shared),
        then the targets' features, rarest first. A query whose prefix holds only features no
        target has is skipped without a look-up, which is most queries.
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
        for query, features in enumerate(queries):
            size = len(features)
            if not size:
                continue
            known = [f for f in features if f in rank]
            room = self.prefix_length(size) - (size - len(known))
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
                    value = jaccard(features, targets[target])
                    if value >= threshold:
                        yield target, query, value


def shared_words(a: Iterable[str], b: Iterable[str]) -> list[str]:
    """The features two sets share, sorted, for evidence in findings."""
    return sorted(set(a) & set(b))
