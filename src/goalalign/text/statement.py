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
from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from datetime import date, timedelta
from functools import lru_cache
from itertools import chain
from typing import TYPE_CHECKING, Any

import attrs

from goalalign._collector import collector_paused
from goalalign.domain.model import Change, Period
from goalalign.domain.units import CURRENCIES, QuantityError, parse_unit
from goalalign.text.language import LanguagePack, get_language

if TYPE_CHECKING:
    from goalalign.engine.context import CheckContext

__all__ = [
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
_DIGIT = re.compile(r"\d", re.ASCII)
_CANONICAL: dict[str, str | None] = {}
"""Canonical unit per unit string the reader builds ("count/week"); a handful in practice."""
_SHARE_OF = _Regex.of(r"(?:%|\bper\s?cent|\bpercent)\s+of\b")


@attrs.frozen(slots=True, eq=False)
class _Compiled:
    pack: LanguagePack
    deadlines: tuple[tuple[str, frozenset[str], _Regex, int], ...]
    """``(kind, trigger words, pattern, lead)``; ``lead`` >= 0 for a pattern that needs a
    digit and starts at most ``lead`` words before its first one (``<digits:N>``), else -1."""
    month_only: _Regex
    month_words: frozenset[str]
    prefix: _Regex
    vague_first: frozenset[str]
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
    prefix_ends: frozenset[str]
    """The words a deadline prefix can end with (see :meth:`_Reader._prefix`)."""
    unit_pair_firsts: frozenset[str]
    """First words of the two-word units and point words ("percentage points")."""


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
    return _Compiled(
        pack=pack,
        deadlines=tuple(
            (kind, words, _Regex.of(source, re.VERBOSE), lead)
            for kind, (words, lead), source in (
                (kind, _trigger(trigger), source)
                for kind, trigger, source in pack.deadline_patterns
            )
        ),
        prefix=_Regex.of(pack.deadline_prefix),
        month_words=frozenset(pack.month_names),
        vague_first=frozenset(w.split()[0] for w in pack.vague_words),
        month_only=_Regex.of(rf"\b(?P<month>{months})\b(?!\.?,?\s*\d)"),
        verbs=verbs,
        verb_words=frozenset(w for w in any_verb if " " not in w),
        any_verb=any_verb,
        vague_max=max((len(w.split()) for w in pack.vague_words), default=1),
        lower_phrases=tuple(w for w in pack.lower_is_better if " " in w),
        number_like=frozenset(pack.number_words) | frozenset(pack.fraction_words),
        marker_max=max(
            len(w.split())
            for w in pack.baseline_markers | pack.target_markers | pack.change_markers
        ),
        prefix_ends=pack.deadline_prefix_ends,
        unit_pair_firsts=frozenset(
            w.split()[0]
            for w in (*pack.point_words, *pack.unit_words, *pack.time_units)
            if len(w.split()) > 1
        ),
        marker_ends=_marker_ends(pack.baseline_markers | pack.target_markers | pack.change_markers),
    )


def _marker_ends(markers: frozenset[str]) -> dict[str, tuple[int, ...]]:
    lengths: dict[str, set[int]] = {}
    for marker in markers:
        words = marker.split()
        lengths.setdefault(words[-1], set()).add(len(words))
    return {word: tuple(sorted(found, reverse=True)) for word, found in lengths.items()}


def _span_of(item: ParsedAmount) -> Span:
    return item.span


def _non_empty(match: re.Match[str] | None) -> re.Match[str] | None:
    return match if match is not None and match.end() > match.start() else None


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
    organisation's fiscal year end.
    """
    fye = ctx.cascade.organisation.fiscal_year_end
    as_of = ctx.as_of
    with paused_collector():
        return {
            goal.id: parse_statement(goal.statement, as_of, "en", fye)
            for goal in ctx.cascade.goals
        }


paused_collector = collector_paused
"""Pause the collector while reading many statements; see :mod:`goalalign._collector`."""


@lru_cache(maxsize=32768)
def _parse_cached(
    text: str, as_of: date, language: str, fiscal_year_end: tuple[int, int]
) -> ParsedStatement:
    try:
        return _Reader(text, as_of, _compiled(language), fiscal_year_end, language).read()
    except Exception:  # the contract is to never raise on text; a bug degrades to "nothing read"
        return ParsedStatement(text=text, language=language)


parse_statement.cache_clear = _parse_cached.cache_clear  # type: ignore[attr-defined]


# -- the reader ------------------------------------------------------------------------------


class _Reader:
    """One statement being read; all state is local so reading is thread-safe."""

    __slots__ = (
        "amounts",
        "as_of",
        "blocked",
        "c",
        "cues",
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
        "tokens",
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
        self.fast = text.isascii()
        self.scan = text.lower() if self.fast else text
        self.as_of = as_of
        self.c = compiled
        self.pack = compiled.pack
        self.fye = fye
        self.language = language
        # findall and one span per match, zipped in C: far fewer calls than a tuple per match
        spans = [m.span() for m in _WORD.finditer(text)]
        lows: list[str]
        if self.fast:
            lows = _WORD.findall(self.scan)
        else:  # lower() may change the length of non-ASCII text: lower each word
            lows = [text[start:end].lower() for start, end in spans]
        if "’" in text:
            lows = [low.replace("’", "'") for low in lows]
        self.lows = lows
        starts: tuple[int, ...] = ()
        ends: tuple[int, ...] = ()
        if spans:
            starts, ends = zip(*spans, strict=True)
        self.starts = starts
        self.tokens: list[tuple[str, int, int]] = list(zip(lows, starts, ends, strict=True))
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
        """Per token: 0 free, 1 inside an amount, 2 inside a deadline (set after amounts)."""

    # -- helpers --------------------------------------------------------------------------

    def _token_at_or_after(self, pos: int) -> int:
        return bisect_left(self.starts, pos)

    def _gap_clean(self, end: int, start: int) -> bool:
        """Whether only spaces (and hyphens) separate two positions."""
        if start - end == 1:  # the common case: one character
            char = self.text[end]
            return char == " " or char == "-" or char.isspace()
        gap = self.text[end:start]
        return not gap.strip() or gap == "-"

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
        if head_index is not None:
            first = self.tokens[head_index]
            last = self.tokens[head_index + head_len - 1]
            head_span = (first[1], last[2])
            head_verb = " ".join(self.lows[head_index : head_index + head_len])
            # the verb that decided the intent ("increase", "polar", ...) or only began the metric
            self.cues.insert(
                0, (self.text[head_span[0] : head_span[1]], *head_span, direction or "verb")
            )
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
            amounts=tuple(
                sorted(self.amounts, key=_span_of) if len(self.amounts) > 1 else self.amounts
            ),
            deadline=deadline,
            deadline_span=deadline_span,
            cue_data=tuple(chain.from_iterable(cue[1:] for cue in self.cues)),
            vague_words=vague,
        )

    # -- deadlines ------------------------------------------------------------------------

    def _deadlines(self) -> tuple[Period | None, Span | None]:
        found: list[tuple[int, int, date]] = []
        words = set(self.lows)
        prefix_re = self.c.prefix.pick(self.fast)
        first_digit = self.first_digit
        if first_digit >= 0 and _YEAR.search(self.text, first_digit) is not None:
            words.add("<year>")
        for kind, trigger, pattern, lead in self.c.deadlines:
            if trigger.isdisjoint(words):
                continue
            begin = 0
            if lead >= 0:
                # a match starts at most `lead` words before its first digit: skip the rest
                if first_digit < 0:
                    continue
                index = bisect_left(self.starts, first_digit) - lead
                begin = self.starts[index] if index > 0 else 0
            compiled = pattern.pick(self.fast)
            bare_year = "prep" not in compiled.groupindex and "endof" not in compiled.groupindex
            for match in compiled.finditer(self.scan, begin):
                if match.end() == match.start():
                    continue
                start = match.start()
                prefix = None
                if kind != "relative":
                    prefix = self._prefix(prefix_re, start)
                    if prefix is None and kind == "year" and bare_year:
                        continue  # a bare year needs a preposition or "end of" (see _resolve)
                groups: dict[str, str | None] = match.groupdict()  # a new dict each call
                if prefix is not None:  # never empty
                    for name, value in prefix.groupdict().items():
                        if value is not None and groups.get(name) is None:
                            groups[name] = value
                    start = prefix.start()
                end = self._resolve(kind, groups, match.start(), match.end())
                if end is not None:
                    found.append((start, match.end(), end))
        if self.c.month_words.isdisjoint(words):
            return self._pick_deadline(found)
        for match in self.c.month_only.pick(self.fast).finditer(self.scan):
            # "by October": the next October from as_of; a month needs a preposition
            month = self.pack.month_names.get(match.group("month").lower().rstrip("."))
            prefix = self._prefix(prefix_re, match.start())
            if month is None or prefix is None or not prefix.group("prep"):
                continue
            if match.group("month").lower() == "may" and not prefix.group("endof"):
                continue  # "may" is far more often a verb
            year = self.as_of.year if month >= self.as_of.month else self.as_of.year + 1
            end = _month_end(year, month)
            if prefix.group("before"):
                end = date(year, month, 1) - timedelta(days=1)
            found.append((prefix.start(), match.end(), end))
        return self._pick_deadline(found)

    def _prefix(self, prefix_re: re.Pattern[str], start: int) -> re.Match[str] | None:
        """The deadline prefix ("by the end of ") ending at ``start``: the leftmost match of
        the pack's prefix pattern in the 28 characters before it, or ``None`` for none.

        Searching tries the pattern at every one of those positions (about 5 µs a deadline,
        once the most expensive step of reading a statement). A prefix starts at a word and
        ends in spaces after one of the pack's ``deadline_prefix_ends``, so: no such word
        right before ``start``, no prefix; else only the few word starts in the window are
        tried, leftmost first, which finds the same match as the search.
        """
        scan = self.scan
        window = max(0, start - 28)
        last = bisect_left(self.starts, start) - 1
        if last < 0 or not scan[self.tokens[last][2] : start].isspace():
            return None  # every prefix ends in spaces after a word
        ends = self.c.prefix_ends
        low = self.lows[last]
        if ends and low not in ends:
            if low.endswith("the"):  # the pattern's bare "the" may end a longer word ("bathe")
                return _non_empty(prefix_re.search(scan, window, start))
            return None
        index = bisect_left(self.starts, window)
        while index <= last:
            found = prefix_re.match(scan, self.starts[index], start)
            if found is not None:
                return _non_empty(found)
            index += 1
        if not ends:  # a pack that does not list its prefix ends: search, as always
            return _non_empty(prefix_re.search(scan, window, start))
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
        return Period(phrase, end), (start, end_pos)

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
        pack = self.pack
        # An amount needs a digit and starts at most 5 characters before it ("NZ$ .5"), so
        # the pattern need not try the words before the first digit.
        first_digit = self.first_digit
        matches = (
            _AMOUNT.pick(self.fast).finditer(self.scan, max(0, first_digit - 5))
            if first_digit >= 0
            else ()
        )
        text = self.text
        lows = self.lows
        for match in matches:
            start, end = match.span()
            if text[start].isspace():
                start += 1
            if self.blocked and self._in_blocked(start, end):
                continue
            number, cur, mag, pct, times = match.group("num", "cur", "mag", "pct", "times")
            value = float(number.replace(",", ""))
            if mag:
                value *= pack.magnitude_words.get(mag.lower(), 1.0)
            if not (cur or mag or pct or times):
                before = bisect_left(self.starts, start) - 1  # the word before the number
                if before >= 0 and (
                    # a label: "Year 6", "line 3", "ISO 9001" name something
                    (
                        lows[before] in pack.label_nouns
                        and self._gap_clean(self.tokens[before][2], start)
                    )
                    # a year after "in", "by", "since"...: a date, not an amount
                    or (
                        len(number) == 4
                        and number.isdigit()
                        and 1900 <= value <= 2100
                        and lows[before] in _YEAR_PREPOSITIONS
                    )
                ):
                    continue
            if times:
                self._add(value, None, Role.MULTIPLIER, start, end)
                continue
            unit: str | None = None
            if cur:
                unit = _CURRENCY_SYMBOLS.get(cur.lower())
            if pct:
                unit = "percent"
            self._amount_tail(value, unit, start, end, currency=bool(cur))
        self._number_words()
        self._multipliers()
        self._fill_units()
        self._mark_tokens()

    def _mark_tokens(self) -> None:
        """Flag the tokens inside amounts (1) and deadlines (2), once, for the loops after."""
        tokens = self.tokens
        flags = [0] * len(tokens)
        amount_spans = {a.span for a in self.amounts}
        for span in self.blocked:
            mark = 1 if span in amount_spans else 2
            start, end = span
            index = max(bisect_right(self.starts, start) - 1, 0)
            while index < len(tokens) and tokens[index][1] < end:
                if tokens[index][2] > start and flags[index] != 1:
                    flags[index] = mark
                index += 1
        self.flags = flags

    def _amount_tail(
        self, value: float, unit: str | None, start: int, end: int, *, currency: bool
    ) -> None:
        """Read the unit words, counted noun and rate after a number, then its role."""
        pack = self.pack
        tokens = self.tokens
        lows = self.lows
        gap_clean = self._gap_clean
        i = bisect_left(self.starts, end)
        n = len(tokens)
        points = False
        noun: str | None = None
        comparative: str | None = None
        last_end = end

        def next_words(k: int) -> str | None:
            if i + k > n or not gap_clean(last_end, tokens[i][1]):
                return None
            if k == 1:
                return lows[i]
            for j in range(i, i + k - 1):
                if not gap_clean(tokens[j][2], tokens[j + 1][1]):
                    return None
            return " ".join(lows[i : i + k])

        # magnitude written apart ("40 million USD") when the regex did not take it
        word = next_words(1)
        if word is not None and word in pack.magnitude_words and word not in ("m", "b", "k", "t"):
            value *= pack.magnitude_words[word]
            last_end = tokens[i][2]
            i += 1
            word = next_words(1)
        if unit is None or unit == "percent":
            # two-word units first ("percentage points"), tried only after their first word
            for k in (2, 1) if word in self.c.unit_pair_firsts else (1,):
                words = word if k == 1 else next_words(k)
                if words is None:
                    continue
                if unit == "percent" and words in pack.point_words:
                    points = True
                    last_end = tokens[i + k - 1][2]
                    i += k
                    break
                if unit is None and (words in pack.unit_words or words in pack.time_units):
                    unit = pack.unit_words.get(words) or pack.time_units[words]
                    points = words in pack.point_words
                    last_end = tokens[i + k - 1][2]
                    i += k
                    break
        elif currency and word is not None and pack.unit_words.get(word) == unit:
            last_end = tokens[i][2]
            i += 1
        span_end = last_end
        # comparatives right after the number: "20 more", "30% fewer"
        word = next_words(1)
        if word in pack.more_words or word in pack.fewer_words:
            comparative = word
            self.cues.append((*self.tokens[i], "comparative"))
            last_end = self.tokens[i][2]
            i += 1
        # a counted noun ("3 sales people", "40 pop-up business forums")
        if unit is None and not currency:
            noun_words: list[str] = []
            while i < n and len(noun_words) < 4 and self._gap_clean(last_end, self.tokens[i][1]):
                low = self.lows[i]
                if (
                    low in pack.function_words
                    or low in pack.stop_words
                    or (noun_words and low in self.c.verb_words and low not in pack.output_nouns)
                ):
                    break
                if low in pack.time_units and not noun_words:
                    unit = pack.time_units[low]
                    last_end = self.tokens[i][2]
                    span_end = last_end
                    i += 1
                    break
                noun_words.append(self.tokens[i][0])
                last_end = self.tokens[i][2]
                i += 1
            if noun_words and unit is None:
                noun = " ".join(noun_words)
                unit = "count"
        # a rate: "a week", "per day", "daily", "/day"
        rate: str | None = None
        if i < n and self._gap_clean(last_end, self.tokens[i][1]):
            low = self.lows[i]
            if low in pack.rate_adverbs:
                rate = pack.rate_adverbs[low]
            elif (
                low in pack.rate_words
                and i + 1 < n
                and self.lows[i + 1] in pack.time_units
                and self._gap_clean(self.tokens[i][2], self.tokens[i + 1][1])
            ):
                rate = pack.time_units[self.lows[i + 1]]
        elif (
            self.text[last_end : last_end + 1] == "/" and i < n and self.lows[i] in pack.time_units
        ):
            rate = pack.time_units[self.lows[i]]
        if rate is not None:
            unit = self._canonical(f"{unit or '1'}/{rate}")
        elif unit is not None:
            unit = self._canonical(unit)
        role = self._role(start, comparative, unit, rate is not None)
        self._add(value, unit, role, start, span_end, noun=noun, points=points)

    def _canonical(self, unit: str) -> str | None:
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

    def _role(self, start: int, comparative: str | None, unit: str | None, rate: bool) -> Role:
        pack = self.pack
        if comparative is not None:
            return Role.RELATIVE
        index = self._token_at_or_after(start)
        # the words right before the amount (a comma may sit between), longest marker first
        if index == 0 or self.text[self.tokens[index - 1][2] : start].strip() not in ("", ",", "-"):
            return self._rate_or_absolute(index, rate)
        lengths = self.c.marker_ends.get(self.lows[index - 1])
        if lengths is None:
            return self._rate_or_absolute(index, rate)
        for k in lengths:  # longest first
            if k > index:
                continue
            words = self.lows[index - 1] if k == 1 else " ".join(self.lows[index - k : index])
            if words in pack.baseline_markers:
                self.markers[start] = words
                self.cues.append(
                    (words, self.tokens[index - k][1], self.tokens[index - 1][2], "baseline-marker")
                )
                return Role.BASELINE
            if words in pack.change_markers:
                self.markers[start] = words
                return Role.RELATIVE
            if words in pack.target_markers:
                self.markers[start] = words
                self.cues.append(
                    (words, self.tokens[index - k][1], self.tokens[index - 1][2], "target-marker")
                )
                return Role.TARGET
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
                value,
                unit,
                role,
                (start, end),
                self.text[start:end],
                noun,
                points,
                self.markers.get(start),
            )
        )
        self.blocked.append((start, end))

    def _number_words(self) -> None:
        words = self.pack.number_words
        fractions = self.pack.fraction_words
        if self.c.number_like.isdisjoint(self.lows):
            return
        for index, (low, start, end) in enumerate(self.tokens):
            if (low not in words and low not in fractions) or self._in_blocked(start, end):
                continue
            prev = self.lows[index - 1] if index else ""
            nxt = self.lows[index + 1] if index + 1 < len(self.tokens) else ""
            if low in fractions:
                self._fraction(index, low, fractions[low])
                continue
            if low not in words:
                continue
            if (
                nxt in self.pack.rate_words
                and index + 2 < len(self.tokens)
                and (self.lows[index + 2] in self.pack.time_units)
            ):
                self._amount_tail(words[low], None, start, end, currency=False)
                continue
            if low == "none" and prev not in ("to", "at"):
                continue
            if low == "dozen" and prev == "a":
                start = self.tokens[index - 1][1]
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
        start, end = self.tokens[first][1], self.tokens[index][2]
        if marker == "by":
            self._add(round(fraction * 100, 4), "percent", Role.RELATIVE, start, end)
        elif marker == "in" and low == "half":
            self._add(0.5, None, Role.MULTIPLIER, start, end)

    def _multipliers(self) -> None:
        if self.pack.multipliers.keys().isdisjoint(self.lows):
            return
        for low, start, end in self.tokens:
            factor = self.pack.multipliers.get(low)
            if factor is not None and not self._in_blocked(start, end):
                self._add(factor, None, Role.MULTIPLIER, start, end)
                self.cues.append((self.text[start:end], start, end, "multiplier"))

    def _fill_units(self) -> None:
        """Give a unit-less baseline the unit of the statement's other amounts
        ("from 75 to 30 days": 75 is in days too)."""
        with_unit = [
            a for a in self.amounts if a.unit is not None and a.role is not Role.MULTIPLIER
        ]
        if not with_unit:
            return
        donor = next((a for a in with_unit if a.role is Role.TARGET), with_unit[0])
        for position, item in enumerate(self.amounts):
            if item.unit is None and item.role in (Role.BASELINE, Role.TARGET):
                self.amounts[position] = attrs.evolve(
                    item, unit=donor.unit, noun=donor.noun, points=donor.points
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
        pack = self.pack
        tokens = self.tokens
        lows = self.lows
        n = len(tokens)
        i = 0 if head is None else head + head_len
        # particles of a phrasal verb ("ramp up", "roll out")
        while i < n and lows[i] in ("up", "down", "out", "back", "on", "off"):
            i += 1
        words: list[int] = []
        flags = self.flags
        previous_end = tokens[i - 1][2] if 0 < i <= n else 0
        amount_skipped = False
        while i < n and len(words) < 10:
            low, start, end = tokens[i]
            if (
                words
                and previous_end < start
                and (start - previous_end > 1 or self.text[previous_end] != " ")  # one space
                and _PUNCT.search(self.text, previous_end, start)
            ):
                break
            flag = flags[i]
            if flag:
                if words:
                    break
                amount_skipped = amount_skipped or flag == 1
                previous_end = end
                i += 1
                continue
            nxt = lows[i + 1] if i + 1 < n else ""
            nxt_flag = flags[i + 1] if i + 1 < n else 0
            if not words:
                if (
                    low in pack.stop_words
                    or low in pack.more_words
                    or low in pack.fewer_words
                    or low == "of"
                ):
                    previous_end = end
                    i += 1
                    continue
                if low in pack.function_words or low in pack.boundary_words:
                    break
            else:
                if low in pack.boundary_words:
                    break
                if low == "to":
                    if not (lows[words[-1]] in pack.lower_is_better and nxt in self.c.verb_words):
                        break
                    # "time to fill a vacancy", "cost to serve": the verb is part of the measure
                    words.append(i)
                    previous_end = end
                    i += 1
                    continue
                if (
                    low
                    in (
                        "in",
                        "at",
                        "under",
                        "below",
                        "above",
                        "over",
                        "per",
                        "to",
                        "for",
                        "on",
                    )
                    and nxt_flag
                ):
                    break
                if low in pack.rate_words and nxt in pack.time_units:
                    break
                if low in ("and", "or", "while", "but") and (nxt in self.c.verb_words or not nxt):
                    break
            words.append(i)
            previous_end = end
            i += 1
        while words and (
            lows[words[-1]] in pack.function_words or lows[words[-1]] in pack.stop_words
        ):
            words.pop()
        if not words:
            if amount_skipped:
                nouns = [a for a in self.amounts if a.noun]
                if nouns:
                    first = min(nouns, key=lambda a: a.span)
                    noun_start = self.text.lower().find(first.noun or "", first.span[1])
                    if noun_start >= 0:
                        return first.noun, (noun_start, noun_start + len(first.noun or ""))
            return None, None
        span = (tokens[words[0]][1], tokens[words[-1]][2])
        normal = " ".join(lows[j] for j in words if lows[j] not in pack.stop_words)
        return normal or None, span

    def _amount_covering(self, position: int) -> ParsedAmount | None:
        for item in self.amounts:
            if item.span[0] <= position < item.span[1]:
                return item
        return None

    # -- direction ------------------------------------------------------------------------

    def _change(
        self, direction: str | None, metric: str | None
    ) -> tuple[Intent | None, Change | None, str | None]:
        pack = self.pack
        if direction in ("increase", "decrease"):
            return Intent(direction), Change(direction), "verb"
        if direction == "maintain":
            # "keep events free of disruption, from 6 to none" asks for a change after all
            moved = self._amount_direction()
            if moved is not None:
                return Intent(moved.value), moved, "amounts"
            return Intent.MAINTAIN, Change.MAINTAIN, "verb"
        intent = Intent.ACHIEVE if direction in ("achieve", "polar") else None
        from_amounts = self._amount_direction()
        if from_amounts is not None:
            return intent or Intent(from_amounts.value), from_amounts, "amounts"
        for item in self.amounts:
            if item.role is Role.RELATIVE:
                for cue_text, cue_start, _, meaning in self.cues:
                    if meaning == "comparative" and item.span[1] <= cue_start <= item.span[1] + 2:
                        change = (
                            Change.INCREASE
                            if cue_text.lower() in pack.more_words
                            else Change.DECREASE
                        )
                        return intent or Intent(change.value), change, "comparative"
        if direction == "polar":
            metric_text = metric or ""
            metric_words = set(metric_text.split())
            if metric_words & pack.lower_is_better or any(
                phrase in metric_text for phrase in self.c.lower_phrases
            ):
                return Intent.DECREASE, Change.DECREASE, "polarity"
            return Intent.INCREASE, Change.INCREASE, "polarity"
        if intent is None:
            for low, start, end in self.tokens:
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
        if target is None or target.unit != baseline.unit or target.value == baseline.value:
            return None
        return Change.INCREASE if target.value > baseline.value else Change.DECREASE

    # -- vague words ----------------------------------------------------------------------

    def _vague(self) -> tuple[str, ...]:
        vague = self.pack.vague_words
        found: list[str] = []
        lows = self.lows
        n = len(lows)
        first = self.c.vague_first
        if first.isdisjoint(lows):  # most statements: no word can start a vague phrase
            return ()
        for index in range(n):
            if lows[index] not in first:
                continue
            for k in range(min(self.c.vague_max, n - index), 0, -1):
                phrase = lows[index] if k == 1 else " ".join(lows[index : index + k])
                if phrase in vague:
                    if index and lows[index - 1] == "or":
                        break  # "grade B or better" qualifies a level, it is not a weasel word
                    found.append(phrase)
                    start, end = self.tokens[index][1], self.tokens[index + k - 1][2]
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
