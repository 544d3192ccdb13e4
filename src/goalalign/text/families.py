"""Metric families: which phrases name the same kind of measure, and which way is better.

A strategic goal says "reduce operating expenditure"; a team goal says "cut the cost per policy
brief". The words differ, but both are about *cost*, and both want it down. Noticing that two
statements push the same family of measure is the heart of echo detection (a *mini-me* goal
repeats the strategy's metric instead of contributing to it) and of conflict detection (two
goals pushing one measure in opposite directions). Plain word overlap cannot see either, so
this module keeps a thesaurus: phrase -> (family, polarity).

*Polarity* is the direction in which the phrase's quantity gets better: cost and churn improve
by going down (:attr:`Change.DECREASE`), revenue and retention by going up
(:attr:`Change.INCREASE`); some phrases have no built-in good direction (headcount, inventory)
and carry ``None``. Two phrases of one family can have opposite polarity ("retention" and
"churn"), which is how "reduce churn" and "increase retention" are recognised as the same push.

A family is an *input* family when it measures what a team spends to produce something (cost,
time, effort). "<input> per <thing>" — cost per brief, time per ticket, hours per report — is a
**local efficiency ratio**: it measures how cheaply a team makes its own output, not whether
that output changes anything downstream. :func:`detect_families` marks such hits with
``ratio=True`` and keeps the denominator in ``per``.

The thesaurus is data. Add a family or phrases to the default one with
:func:`register_family`, or build a separate :class:`Thesaurus` (for another language or a
domain's jargon) and pass it to :func:`detect_families`.

>>> [(h.family, h.phrase, h.polarity.value, h.ratio) for h in detect_families(
...     "Reduce the cost per policy brief by 20%")]
[('cost', 'cost', 'decrease', True)]
>>> [(h.family, h.phrase) for h in detect_families("Lower customer churn and grow bookings")]
[('retention', 'customer churn'), ('revenue', 'booking')]
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

import attrs

from goalalign.domain.model import Change

__all__ = [
    "DEFAULT_THESAURUS",
    "Family",
    "FamilyHit",
    "Thesaurus",
    "detect_families",
    "register_family",
    "tokenize",
]

_UP = Change.INCREASE
_DOWN = Change.DECREASE

_WORD = re.compile(r"[a-z][a-z']*|\d+(?:[.,]\d+)*")


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """Lower-case word and number tokens of ``text`` with their character spans.

    Hyphens and punctuation separate words ("social-housing" is two words), so phrases
    match however a writer hyphenated them.
    """
    return [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text.lower())]


def _variants(word: str) -> tuple[str, ...]:
    """The word and its regular plural, so "cost" also matches "costs"."""
    if word.endswith(("s", "x", "ch", "sh")):
        return (word, word + "es")
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        return (word, word[:-1] + "ies")
    return (word, word + "s")


@attrs.frozen(slots=True)
class Family:
    """A family of measures: its name, its phrases and their polarities.

    ``phrases`` maps a lower-case phrase (one or more words, singular) to its polarity: the
    direction in which that quantity improves, or ``None`` when it has none of its own.
    ``input`` marks families that measure what a team spends (cost, time, effort): "<input>
    per <output>" is a local efficiency ratio.
    """

    name: str
    phrases: Mapping[str, Change | None]
    input: bool = False
    description: str = ""


class FamilyHit(NamedTuple):
    """One occurrence of a family phrase in a text.

    ``span`` is the character range of the phrase; ``polarity`` its good direction;
    ``ratio`` is true for a local efficiency ratio (an input family followed by "per
    <something>" that is not a unit of time), whose denominator is ``per``. A named tuple
    rather than an attrs class because a check makes one or two per goal, 100,000s in all,
    and a tuple is several times cheaper to build.
    """

    family: str
    phrase: str
    span: tuple[int, int]
    polarity: Change | None
    ratio: bool = False
    per: str | None = None


# Denominators that make "<input> per X" a rate or an average over people, not the efficiency
# of a team's own output: "cost per year", "spend per capita".
_NOT_OUTPUT = frozenset(
    {
        "cent", "percent", "annum", "capita", "head", "year", "quarter", "month", "week", "day",
        "hour", "minute", "second", "shift", "period", "cycle", "resident", "citizen",
        "person", "people", "household", "pupil", "student", "patient", "customer", "user",
    }
)
_DENOMINATOR_SKIP = frozenset({"a", "an", "each", "every", "the", "one", "single"})
_DENOMINATOR_STOP = frozenset(
    {
        "by", "to", "from", "in", "within", "under", "below", "above", "over", "at", "of",
        "for", "and", "or", "while", "through", "so", "that", "with", "on", "before", "after",
        "than", "instead", "across", "per", "this", "next", "during", "until", "is", "are",
    }
)


_Key = tuple[str, str, Change | None, bool]
"""A matched text's phrase, family, polarity and whether the family is an input family."""

_SEPARATOR = "\x00"
_DENOMINATOR = re.compile(r"[\s-]+per\s+((?:[a-z][a-z'-]*\s*){1,4})")


def _trie(phrases: Iterable[str]) -> str:
    """A regular expression matching any of ``phrases``, longest first, as a character trie.

    A trie keeps matching at C speed however many phrases there are (a flat alternation would
    try each phrase at each position); a greedy optional group after a phrase that is also a
    prefix of a longer one makes the longer phrase win, with backtracking to the shorter one
    when the longer one does not end on a word boundary. ``_SEPARATOR`` stands for the gap
    between two words and becomes ``[\\s-]+``.
    """
    trie: dict[str, Any] = {}
    for phrase in phrases:
        node = trie
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}

    def render(node: dict[str, Any]) -> str:
        ends = "" in node
        branches = []
        for char in sorted(k for k in node if k):
            head = r"[\s-]+" if char == _SEPARATOR else re.escape(char)
            branches.append(head + render(node[char]))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return "(?:" + body + ")?" if len(branches) == 1 else body + "?"
        return body

    return render(trie)


class Thesaurus:
    """A set of metric families, compiled into one regular expression for fast look-up.

    All phrases (and their plurals) go into one character-trie pattern, so detection is one
    C-level scan of the text whatever the size of the thesaurus; the pattern is rebuilt only
    when a family is added.
    """

    __slots__ = (
        "_after",
        "_families",
        "_generation",
        "_hits",
        "_keys",
        "_lock",
        "_lookup",
        "_pattern",
        "_stale",
        "_words",
    )

    def __init__(self, families: Iterable[Family] = ()) -> None:
        self._families: dict[str, Family] = {}
        self._lookup: dict[str, tuple[str, str, Change | None]] = {}
        self._keys: dict[str, _Key] = {}
        self._hits: dict[tuple[str, int], FamilyHit] = {}
        self._pattern: re.Pattern[str] | None = None
        self._after: re.Pattern[str] | None = None
        self._words: frozenset[str] = frozenset()
        self._generation = 0
        self._stale = False
        self._lock = threading.Lock()
        for family in families:
            self.add(family)

    @property
    def families(self) -> Mapping[str, Family]:
        """The families by name."""
        return dict(self._families)

    @property
    def pattern(self) -> re.Pattern[str] | None:
        """The compiled pattern of every phrase (``None`` for an empty thesaurus).

        Compiled on first use, so importing goalalign costs nothing for it."""
        if self._stale:
            with self._lock:
                if self._stale:
                    self._rebuild()
                    self._stale = False
        return self._pattern

    @property
    def generation(self) -> int:
        """A number that changes whenever the phrases change (for caches of detections)."""
        _ = self.pattern  # brings the look-ups up to date
        return self._generation

    def inert(self, word: str) -> bool:
        """Whether ``word``, a run of lower-case ASCII letters with white space (or the end of
        the text) on both sides, takes no part in detection.

        A phrase match covers whole words, so such a word is never part of one unless it is
        one of the phrases' words; and it steers no ratio's denominator unless it is "per" or
        one of the words the denominator skips, stops at or refuses. Replacing an inert word
        by another one moves the spans after it and, when it is inside a ratio's
        denominator, changes that :attr:`FamilyHit.per`; it changes nothing else.
        """
        _ = self.pattern
        return not (
            word in self._words
            or word == "per"
            or word in _DENOMINATOR_SKIP
            or word in _DENOMINATOR_STOP
            or word.rstrip("s") in _NOT_OUTPUT
        )

    def add(self, family: Family) -> None:
        """Add ``family``, or extend the family of that name with its phrases."""
        with self._lock:
            known = self._families.get(family.name)
            if known is not None:
                phrases = {**known.phrases, **family.phrases}
                family = Family(
                    family.name,
                    phrases,
                    input=known.input or family.input,
                    description=family.description or known.description,
                )
            self._families[family.name] = family
            self._stale = True

    def is_input(self, family: str) -> bool:
        """Whether ``family`` measures what a team spends (cost, time, effort)."""
        known = self._families.get(family)
        return known is not None and known.input

    def _rebuild(self) -> None:
        lookup: dict[str, tuple[str, str, Change | None]] = {}
        for family in self._families.values():
            for phrase, polarity in family.phrases.items():
                words = [w for w, _, _ in tokenize(phrase)]
                if not words:
                    continue
                for last in _variants(words[-1]):
                    key = " ".join([*words[:-1], last])
                    lookup.setdefault(key, (phrase, family.name, polarity))
        self._lookup = lookup
        self._words = frozenset(word for key in lookup for word in key.split())
        self._generation += 1
        self._keys = {}
        self._hits = {}
        keys = [key.replace(" ", _SEPARATOR) for key in lookup]
        trie = _trie(keys)
        self._pattern = re.compile(rf"\b{trie}\b") if keys else None
        # The same phrases with the non-word character before them (see detect_lower).
        self._after = re.compile(rf"\W(?:{trie})\b") if keys else None

    def detect(self, text: str) -> tuple[FamilyHit, ...]:
        """Every family phrase in ``text``, left to right, longest match first."""
        return self.detect_lower(text.lower())

    def detect_lower(self, lower: str) -> tuple[FamilyHit, ...]:
        """:meth:`detect` for text already in lower case (spans index into it).

        The phrases found are those of :attr:`pattern`'s ``finditer``. A phrase starts at a
        word boundary, so at the start of the text or after a non-word character, and that
        is how they are looked for: a search for "a non-word character, then a phrase" runs
        in C past the letters no phrase can start at, where a search for "a word boundary,
        then a phrase" enters the trie at every character.
        """
        pattern = self.pattern
        after = self._after
        if pattern is None or after is None:
            return ()
        hits: list[FamilyHit] = []
        hit_at = self.hit_at
        skip_to = 0
        position = 0
        first = pattern.match(lower)
        if first is not None:
            position = first.end()
            hit, skip_to = hit_at(lower, first.group(), 0, position)
            hits.append(hit)
        for match in after.finditer(lower, position):
            start = match.start() + 1
            if start < skip_to:
                continue
            end = match.end()
            hit, stop = hit_at(lower, lower[start:end], start, end)
            if stop:
                skip_to = stop
            hits.append(hit)
        return tuple(hits)

    def hit_at(self, lower: str, matched: str, start: int, end: int) -> tuple[FamilyHit, int]:
        """The hit for ``matched``, a match of :attr:`pattern` at ``start:end`` of ``lower``,
        and where its ratio's denominator ends (0 when it is no ratio).

        A ratio's denominator belongs to the ratio, not to a measure of its own ("cost per
        hire" is a cost, not a hiring goal), so the caller skips phrases that start before
        that end. Call it only after reading :attr:`pattern` (which brings the look-ups up to
        date).
        """
        key = self._keys.get(matched)
        if key is None:
            key = self._key(matched)
        phrase, family, polarity, is_input = key
        # Only an input family followed by "per" can be a ratio: most hits stop here, before
        # the denominator is read.
        if is_input and "per" in lower[end : end + 6]:
            per = self._denominator(family, lower, end)
            if per is not None:
                return FamilyHit(family, phrase, (start, end), polarity, True, per[0]), per[1]
        # Any other hit depends on the matched text and its place only. Statements written
        # from one pattern repeat both, so one hit object serves them all (fewer objects for
        # a check to build and keep).
        hits = self._hits
        hit = hits.get((matched, start))
        if hit is None:
            hit = FamilyHit(family, phrase, (start, end), polarity, False, None)
            if len(hits) < 100_000:
                hits[matched, start] = hit
        return hit, 0

    def _key(self, matched: str) -> _Key:
        """What a matched text stands for, normalised once per distinct spelling (hyphens and
        runs of spaces vary; the phrases matched are few)."""
        phrase, family, polarity = self._lookup[" ".join(matched.replace("-", " ").split())]
        known = self._families.get(family)
        key = (phrase, family, polarity, known is not None and known.input)
        if len(self._keys) < 100_000:
            self._keys[matched] = key
        return key

    def _denominator(self, family: str, lower: str, end: int) -> tuple[str, int] | None:
        """The output of "<input family> per <output>" and where it ends, if this is one."""
        if "per" not in lower[end : end + 6]:
            return None
        known = self._families.get(family)
        if known is None or not known.input:
            return None
        match = _DENOMINATOR.match(lower, end)
        if match is None:
            return None
        words: list[str] = []
        stop = match.start(1)
        for word, _, word_end in tokenize(match.group(1)):
            if word in _DENOMINATOR_SKIP and not words:
                stop = match.start(1) + word_end
                continue
            if word in _DENOMINATOR_STOP or len(words) == 3:
                break
            words.append(word)
            stop = match.start(1) + word_end
        if not words:
            return None
        if words[-1].rstrip("s") in _NOT_OUTPUT or words[0].rstrip("s") in _NOT_OUTPUT:
            return None
        return " ".join(words), stop


def _family(
    name: str,
    description: str,
    up: Iterable[str] = (),
    down: Iterable[str] = (),
    neutral: Iterable[str] = (),
    *,
    input: bool = False,
) -> Family:
    phrases: dict[str, Change | None] = {}
    for phrase in up:
        phrases[phrase] = _UP
    for phrase in down:
        phrases[phrase] = _DOWN
    for phrase in neutral:
        phrases[phrase] = None
    return Family(name, phrases, input=input, description=description)


_BUILTIN: tuple[Family, ...] = (
    _family(
        "cost",
        "What the organisation spends; better when lower (savings: better when higher).",
        up=["saving", "cost saving", "cost reduction", "savings target"],
        down=[
            "cost", "operating cost", "unit cost", "expenditure", "operating expenditure",
            "expense", "operating expense", "spend", "spending", "budget", "opex", "capex",
            "overhead", "outlay",
            "cheaper", "cost base", "run rate",
        ],
        input=True,
    ),
    _family(
        "effort",
        "Staff time and workload spent on the work; better when lower.",
        down=[
            "effort", "staff hour", "person hour", "person day", "man hour", "fte",
            "workload", "staff time", "labour", "labor", "manual work",
        ],
        input=True,
    ),
    _family(
        "time",
        "How long things take; better when shorter (speed: better when higher).",
        up=["speed", "faster", "quicker", "velocity"],
        down=[
            "time", "lead time", "wait", "waiting", "waiting time", "wait time", "waitlist",
            "waiting list", "wait list", "cycle time", "resolution time", "response time",
            "turnaround", "turnaround time", "days to", "days from", "weeks to", "months to",
            "months from", "time to", "delay", "backlog", "latency", "duration",
            "processing time", "time to market", "time to hire", "throughput time",
            "slower", "queue",
        ],
        input=True,
    ),
    _family(
        "revenue",
        "Money coming in: revenue, sales, income, bookings; better when higher.",
        up=[
            "revenue", "sale", "sales revenue", "income", "arr", "mrr", "booking",
            "order intake", "recurring revenue", "top line", "gross sales",
            "sales volume", "contract value",
        ],
    ),
    _family(
        "profit",
        "What is left after costs: profit, margin, earnings; better when higher.",
        up=["profit", "margin", "gross margin", "operating margin", "ebitda", "earnings",
            "profitability", "return on investment", "roi", "surplus", "bottom line"],
    ),
    _family(
        "quality",
        "Whether the work is right first time; defects and rework better when lower.",
        up=["quality", "yield", "first time right", "accuracy", "first pass yield",
            "right first time", "conformance"],
        down=["defect", "error", "scrap", "rework", "fault", "mistake", "non conformance",
              "return rate", "bug", "recall", "failure rate", "inconsistency"],
    ),
    _family(
        "satisfaction",
        "How served people feel about the service; complaints better when lower.",
        up=["satisfaction", "customer satisfaction", "nps", "net promoter score",
            "net promoter", "csat", "experience", "customer experience", "patient experience",
            "sentiment", "rating", "brand loyalty"],
        down=["complaint", "customer complaint", "customer effort"],
    ),
    _family(
        "retention",
        "Keeping customers, members or staff; churn and attrition better when lower.",
        up=["retention", "customer retention", "staff retention", "renewal", "loyalty",
            "repeat purchase"],
        down=["churn", "customer churn", "customer attrition", "attrition", "staff turnover",
              "employee turnover", "staff attrition", "cancellation", "leaver", "dropout",
              "drop out"],
    ),
    _family(
        "headcount",
        "The size and filling of the workforce; no built-in good direction.",
        up=["hiring", "hire", "recruitment", "recruit", "new starter"],
        down=["vacancies", "job vacancy", "staff vacancy", "vacant post", "open role",
              "unfilled role"],
        neutral=["headcount", "head count", "staffing", "workforce", "staff number"],
    ),
    _family(
        "safety",
        "Harm to people; incidents and injuries better when lower.",
        up=["safety", "safety record"],
        down=["incident", "safety incident", "injury", "accident", "lost time injury",
              "ltifr", "trifr", "near miss", "fatality", "harm", "hazard"],
    ),
    _family(
        "supply",
        "Homes, units or capacity delivered; better when higher.",
        up=["home", "housing unit", "dwelling", "unit delivered", "supply",
            "housing supply", "new home", "capacity", "homes delivered", "housing stock",
            "affordable home"],
    ),
    _family(
        "productivity",
        "Output per input across the organisation; better when higher.",
        up=["productivity", "efficiency", "throughput", "utilisation", "utilization",
            "output per", "value for money"],
    ),
    _family(
        "availability",
        "Whether services and systems are there when needed; outages better when lower.",
        up=["availability", "uptime", "reliability", "service availability",
            "opening hours", "resilience"],
        down=["outage", "downtime", "disruption", "interruption", "unplanned downtime",
              "breakdown", "system failure", "technology disruption", "technology failure"],
    ),
    _family(
        "footfall",
        "People coming to a place or event; better when higher.",
        up=["footfall", "foot traffic", "visitor", "visit", "attendance", "attendee",
            "pedestrian", "visitor number", "audience"],
    ),
    _family(
        "market-share",
        "The organisation's share of its market; better when higher.",
        up=["market share", "share of market", "share of sales", "share of wallet",
            "market penetration", "penetration"],
    ),
    _family(
        "customers",
        "How many customers, users or members the organisation serves; better when higher.",
        up=["customer", "customer base", "client", "user", "active user", "subscriber",
            "member", "membership", "enrolment", "enrollment"],
    ),
    _family(
        "conversion",
        "Turning interest into business: leads, pipeline, win rate; better when higher.",
        up=["conversion", "conversion rate", "win rate", "sales lead", "pipeline", "qualified lead",
            "close rate"],
    ),
    _family(
        "delivery",
        "Keeping promised dates to customers; better when higher.",
        up=["on time delivery", "on-time delivery", "delivery performance", "punctuality",
            "schedule adherence", "otif", "on time"],
        down=["late delivery", "missed deadline", "late order"],
    ),
    _family(
        "inventory",
        "Stock held; no built-in good direction (finance wants less, operations more).",
        neutral=["inventory", "stock", "stock level", "stock holding", "working capital",
                 "days of cover", "spare part stock"],
    ),
    _family(
        "engagement",
        "How staff feel and show up; absence better when lower.",
        up=["engagement", "employee engagement", "staff engagement", "wellbeing",
            "well being", "morale", "employee satisfaction", "staff satisfaction"],
        down=["absence", "sickness absence", "absenteeism", "burnout", "sick day"],
    ),
    _family(
        "environment",
        "Environmental footprint; emissions and waste better when lower.",
        up=["recycling", "recycling rate", "renewable energy", "renewable share"],
        down=["emission", "carbon", "carbon emission", "co2", "greenhouse gas", "waste",
              "energy use", "energy consumption", "landfill", "water use"],
    ),
    _family(
        "compliance",
        "Meeting rules and obligations; breaches and findings better when lower.",
        up=["compliance", "regulatory compliance"],
        down=["breach", "audit finding", "violation", "non compliance", "penalty"],
    ),
    _family(
        "health-outcomes",
        "Avoidable use of acute care; better when lower.",
        down=["hospitalisation", "hospitalization", "readmission", "admission",
              "preventable hospitalisation", "mortality", "emergency admission"],
    ),
)

DEFAULT_THESAURUS = Thesaurus(_BUILTIN)
"""The built-in English thesaurus; :func:`register_family` extends it."""


def register_family(
    name: str,
    phrases: Mapping[str, Change | None] | Iterable[str],
    *,
    polarity: Change | None = None,
    input: bool = False,
    description: str = "",
    thesaurus: Thesaurus | None = None,
) -> Family:
    """Add a family (or more phrases to an existing one) to ``thesaurus`` (default: built-in).

    ``phrases`` is either a mapping phrase -> polarity, or plain phrases that all take
    ``polarity``.

    >>> _ = register_family("bed-days", ["bed day"], polarity=Change.DECREASE,
    ...                     thesaurus=(t := Thesaurus()))
    >>> [h.family for h in t.detect("Cut bed days lost to delayed discharge")]
    ['bed-days']
    """
    if isinstance(phrases, Mapping):
        table: dict[str, Change | None] = dict(phrases)
    else:
        table = dict.fromkeys(phrases, polarity)
    family = Family(name, table, input=input, description=description)
    (thesaurus or DEFAULT_THESAURUS).add(family)
    return family


def detect_families(text: str, thesaurus: Thesaurus | None = None) -> tuple[FamilyHit, ...]:
    """The metric-family phrases in ``text``, left to right (see the module docs)."""
    return (thesaurus or DEFAULT_THESAURUS).detect(text)
