# ruff: noqa: E501  (the bad/good examples are YAML documents; their lines stay whole)
"""False alignment: goals that echo the strategy, copy their parent, or duplicate each other.

A cascade can look aligned while nothing in it is: a team repeats the strategy's metric in its
own small form (*mini-me*), or copies its parent's statement instead of saying what it will
contribute (*clone*), or two teams own the same result without knowing about each other
(*duplicate*). All three are visible in the text of the goals once statements are normalised
(:mod:`goalalign.text.similarity`) and their measures read into metric families
(:mod:`goalalign.text.families`).

Every comparison here is bounded: a goal is compared with its direct parents and, through a
prefix-filtered index, with the few strategic goals; duplicates are found by grouping equal
feature sets and by the linear :class:`~goalalign.text.similarity.NearDuplicateIndex`, never by
reading every pair. :class:`StatementAnalysis` computes each goal's features once per check
(``ctx.derive``) and is shared with :mod:`goalalign.rules.conflicts`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, overload

import attrs

from goalalign.analysis.chains import chain_analysis, collector_paused
from goalalign.analysis.directions import DirectionAnalysis, direction_analysis
from goalalign.domain.model import KPI, Change, Direction, Goal, LinkTarget, Status
from goalalign.engine.context import CheckContext, built_from
from goalalign.engine.findings import Hit, Ref
from goalalign.engine.rule import Option, rule
from goalalign.rules.directions import is_generic_mechanism
from goalalign.text.families import DEFAULT_THESAURUS, FamilyHit
from goalalign.text.similarity import (
    SLOT,
    NearDuplicateIndex,
    Template,
    TemplateReader,
    extract_numbers,
    jaccard,
    stem,
    tokens_and_hits,
)
from goalalign.text.statement import CheckReader, parsed_statements

__all__ = [
    "CLONE_SIMILARITY",
    "DuplicateStats",
    "Measure",
    "StatementAnalysis",
    "cloned_goal",
    "duplicate_goal",
    "find_duplicates",
    "hits_paused",
    "kpi_change",
    "mini_me_goal",
    "statement_analysis",
    "statement_changes",
]

CLONE_SIMILARITY = 0.7
"""Default least similarity at which a goal with its parent's numbers is a copy of it."""

_GENERIC_WORDS = """
    help helps helping support supports supporting contribute contributes contribution
    contributing strategy strategic goal goals objective objectives target targets aligned
    align alignment directly direct impact impacts drive drives driving enable enables key
    important overall total organisation organization company business lead leads result
    results mean means better improve improves improvement achieve achieves success
    successful performance efficient efficiently positive positively effect effects affect
    towards toward hence therefore thus because since which whole plan priority priorities
    corporate agenda ambition vision value values benefit benefits deliver delivers
    directly way ways make makes making thing things good
"""
_GENERIC = frozenset(stem(w) for w in _GENERIC_WORDS.split())
"""Words that carry no cause-effect content in a mechanism ("this helps the strategy")."""

_DECOMPOSITION = re.compile(
    r"\b(?:(?:part|parts|share|portion|component|slice|subset|piece|fraction)\s+of"
    r"|adds?\s+(?:directly\s+)?to|counts?\s+(?:toward|towards|in|into)|makes?\s+up"
    r"|sums?\s+(?:up\s+)?(?:in)?to|included\s+in|rolls?\s+up)\b",
    re.IGNORECASE,
)
"""Mechanisms that say the goal's result is a part of the parent's total: a split of a sum
needs no further story ("US sales are part of revenue")."""

_DIGITS = re.compile(r"\d")
_ZEROS = bytes(ord("0") if chr(b).isdigit() else b for b in range(128)) + bytes(range(128, 256))
"""A translation table of bytes, ASCII digits to "0". An ASCII text is masked as bytes:
encoding, translating and decoding it takes a fifth of the time of :meth:`str.translate`,
which looks every character up in its table."""
_NOT_FEATURES = frozenset(["#", "|", SLOT])
"""The tokens that are no features: amounts and clause boundaries (the only tokens that
start with "#" or "|"), and a template's plain-word slots (their stems are added apart)."""
_NON_DIGITS = re.compile(r"\D+")
_DIGITS_ONLY = bytes(b if chr(b).isdigit() else ord(" ") for b in range(128)) + bytes(range(128, 256))
"""A translation table of bytes, all ASCII characters but digits to spaces (see
:data:`_ZEROS`)."""
_HEAD_VERBS = frozenset(
    stem(w) for w in ("bring", "get", "make", "achieve", "reach", "deliver", "ensure", "run",
                      "hit", "attain", "drive", "generate")
)  # fmt: skip


def _masked(text: str) -> str:
    """``text`` with every digit turned to "0" (in C for the usual ASCII text)."""
    return text.encode().translate(_ZEROS).decode() if text.isascii() else _DIGITS.sub("0", text)


@attrs.frozen(slots=True)
class Measure:
    """A metric family a goal pushes, and how.

    ``movement`` is +1 when the push makes the family's quantity better (less cost, more
    revenue), -1 when worse, 0 for holding it; ``change`` is the raw direction; ``source`` is
    ``"statement"`` or the KPI id the measure was read from.
    """

    family: str
    movement: int
    change: Change
    phrase: str
    ratio: bool
    per: str | None
    source: str


def _movement(change: Change, polarity: Change | None) -> int:
    if change is Change.MAINTAIN:
        return 0
    sign = 1 if change is Change.INCREASE else -1
    return -sign if polarity is Change.DECREASE else sign


def kpi_change(kpi: KPI) -> Change | None:
    """The KPI's declared direction, else the one its baseline and target imply."""
    if kpi.direction is not None:
        return kpi.direction
    if kpi.baseline is not None and kpi.target is not None:
        if kpi.target.value > kpi.baseline.value:
            return Change.INCREASE
        if kpi.target.value < kpi.baseline.value:
            return Change.DECREASE
    return None


@built_from(parsed_statements)
def statement_changes(ctx: CheckContext) -> Sequence[Change | None]:
    """The direction each goal's statement asks for, by goal position, as the statement
    reader read it: all the false-alignment rules need of the readings. Taken apart so that
    a check can free the readings (hundreds of bytes per goal) before these rules run.

    Taken from the check's readings when it has them (a full check: the SMART rules read
    every statement first). Otherwise, as in a check of these rules alone, a statement is
    read only when its direction is asked for (:class:`_ChangesOnDemand`): most goals take
    theirs from a KPI, and reading every statement would be most of such a check."""
    if not ctx.has(parsed_statements):
        return _ChangesOnDemand(ctx)
    parsed = ctx.derive(parsed_statements)
    return [
        None if (found := parsed.get(goal.id)) is None else found.change
        for goal in ctx.cascade.goals
    ]


class _ChangesOnDemand(Sequence["Change | None"]):
    """Each goal's statement direction, by goal position, read when first asked for by the
    reader :func:`parsed_statements` uses (:class:`CheckReader`), so with the same reading."""

    def __init__(self, ctx: CheckContext) -> None:
        self._goals = ctx.cascade.goals
        self._reader = CheckReader(ctx)
        self._read: dict[int, Change | None] = {}
        self.reads = 0
        """Statements read so far (tests check that few are)."""

    def __len__(self) -> int:
        return len(self._goals)

    @overload
    def __getitem__(self, index: int) -> Change | None: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Change | None]: ...

    def __getitem__(self, index: int | slice) -> Change | Sequence[Change | None] | None:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self._goals)
        read = self._read
        if index not in read:
            self.reads += 1
            read[index] = self._reader(self._goals[index].statement).change
        return read[index]


@built_from(statement_changes)
class StatementAnalysis:
    """Every goal's statement normalised once per check, plus lazily computed extras.

    Statements are read for all goals up front, in one pass, by statement template
    (:class:`~goalalign.text.similarity.TemplateReader`): a template's reading and what
    follows from it (its :class:`_Plan`) are worked out once, and each statement only adds
    the stems of its plain words. Numbers, directions and measures are computed only when a
    rule asks, and then cached. Goals are addressed by their position in ``cascade.goals``.

    A goal keeps no frozenset of its own: a check of 1,000,000 goals must fit in a few
    gigabytes, and a frozenset of five or more features costs over 700 bytes. Each goal
    keeps its features and its metric's subject words as sorted tuples (a seventh of the
    memory, and as good a key to group goals by); :attr:`features` and :attr:`metrics` make
    a goal's frozensets from them on access. The rules that read every goal use the tuples
    (:attr:`sorted_features`, :attr:`metric_families` and :attr:`metric_subjects`). For the
    same reason a goal's parents are kept as positions (:attr:`parent_positions`), and the
    mechanisms of its links are read from the goal when asked (:meth:`parents`).
    """

    def __init__(self, ctx: CheckContext) -> None:
        with collector_paused():
            self._read(ctx)

    def _read(self, ctx: CheckContext) -> None:
        self._ctx = ctx
        cascade = ctx.cascade
        self.cascade = cascade
        self.goals: tuple[Goal, ...] = cascade.goals
        chains = chain_analysis(ctx)  # shared: its id index and levels are reused, not copied
        position: dict[str, int] = chains.index
        self.position = position
        # Statements are read by template (most of a large cascade's statements follow a few
        # thousand patterns), with their digits masked: numbers become "#" whatever they
        # are, and masking keeps every span in place. Each template's plan is made once;
        # a statement adds the stems of its plain words to the plan's features and subject.
        reader = TemplateReader(keep=_HEAD_VERBS)
        self.reader = reader
        readings = list(reader.read_many([_masked(goal.statement) for goal in self.goals]))
        plans = _Plans()  # dropped after the read: a template's plan serves only to read
        planned = [plans[template] for template, _ in readings]
        self.templates: list[Template] = [plan.template for plan in planned]
        self.metric_families: list[str | None] = [plan.family for plan in planned]
        """Each goal's metric family (``None`` when its statement names none)."""
        self.sorted_features: list[tuple[str, ...]] = [
            tuple(sorted(plan.features.union(stems))) if stems else plan.sorted_features
            for plan, (_, stems) in zip(planned, readings, strict=True)
        ]
        """Each goal's features as a sorted tuple, to group and index many goals by."""
        subjects = [
            tuple(sorted(plan.subject.union(map(stems.__getitem__, plan.subject_slots))))
            if plan.subject_slots
            else plan.sorted_subject
            for plan, (_, stems) in zip(planned, readings, strict=True)
        ]
        del readings, planned, plans
        # Equal subjects are kept once: goals whose statements differ only in numbers, or in
        # words outside the subject, are many in a large cascade.
        kept: dict[tuple[str, ...], tuple[str, ...]] = {}
        one_of = kept.setdefault
        self.metric_subjects: list[tuple[str, ...]] = list(map(one_of, subjects, subjects))
        """Each goal's metric subject words, sorted (see :meth:`metric_words`)."""
        del subjects, kept, one_of
        self.features: Sequence[frozenset[str]] = _FeatureSets(self.sorted_features)
        """Each goal's features (made on access; see the class docs)."""
        self.metrics: Sequence[tuple[str, frozenset[str]] | None] = _MetricKeys(
            self.metric_families, self.metric_subjects
        )
        """Each goal's :meth:`metric_key` (made on access)."""
        # Parents are kept as positions, in a tuple shared by every goal with the same lone
        # parent (most goals have one); only goals with several links keep their links apart
        # (a lone link's mechanism is read from the goal when asked).
        lone: dict[int, tuple[int]] = {}
        parents: list[tuple[int, ...]] = []
        several: dict[int, tuple[tuple[int, str | None], ...]] = {}
        goal_kind = LinkTarget.GOAL
        for i, goal in enumerate(self.goals):
            links = goal.supports
            if len(links) == 1:  # most goals: nothing to sort, no intermediate tuples
                link = links[0]
                target = (
                    position.get(link.target_id or "") if link.target_kind is goal_kind else None
                )
                if target is None:
                    parents.append(())
                else:
                    shared = lone.get(target)
                    if shared is None:
                        shared = lone[target] = (target,)
                    parents.append(shared)
                continue
            found_links = []
            for link in links:
                target_id = link.target_id or ""
                target = position.get(target_id) if link.target_kind is goal_kind else None
                if target is not None:
                    found_links.append((target_id, link.mechanism or "", target, link.mechanism))
            if len(found_links) > 1:
                found_links.sort()  # by target id: findings must not depend on link order
            parents.append(tuple(t[2] for t in found_links))
            if found_links:
                several[i] = tuple((t[2], t[3]) for t in found_links)
        del lone
        self.parent_positions = parents
        """The positions of the goals each goal supports, in the order of their ids (see
        :meth:`parents`)."""
        self._several_links = several
        self.hits: Sequence[tuple[FamilyHit, ...]] = _Hits(reader, self.goals)
        """Each goal's family hits, spans into its masked statement (computed on access:
        the rules read :meth:`family_hits`, which needs no spans)."""
        self.strategic: list[bool] = chains.is_strategic
        self._numbers: dict[int, frozenset[str]] = {}
        self._raw_numbers: dict[int, str] = {}
        self._rank: list[int] | None = None
        self._order: list[int] | None = None
        self._change: dict[int, Change | None] = {}
        self._measures: dict[int, tuple[Measure, ...]] = {}
        self._families: dict[int, frozenset[str]] = {}
        self._kpi_name_hits: dict[str, tuple[FamilyHit, ...]] = {}
        self._statement_changes = ctx.derive(statement_changes)
        self._directions: DirectionAnalysis | None = None
        self.comparisons = 0
        """Statement pairs compared so far by any rule (tests check it grows linearly)."""

    # -- lazily computed per goal ---------------------------------------------------------

    def family_hits(self, i: int) -> tuple[FamilyHit, ...]:
        """Goal ``i``'s family hits as its statement's template has them: the same families,
        phrases, polarities and ratios as :attr:`hits`, but spans into the template text."""
        return self.templates[i].hits

    def numbers(self, i: int) -> frozenset[str]:
        """The amounts in goal ``i``'s statement (years left out)."""
        found = self._numbers.get(i)
        if found is None:
            found = extract_numbers(self.goals[i].statement)
            self._numbers[i] = found
        return found

    @property
    def rank(self) -> list[int]:
        """Each goal's place in the order of goal ids: ties and "earlier" are decided by it,
        so findings do not depend on the order of the document."""
        if self._rank is None:
            ids = [goal.id for goal in self.goals]
            order = sorted(range(len(ids)), key=ids.__getitem__)
            rank = [0] * len(order)
            for place, i in enumerate(order):
                rank[i] = place
            self._rank = rank
            self._order = order
        return self._rank

    def in_id_order(self) -> list[int]:
        """Goal positions sorted by goal id."""
        if self._order is None:
            _ = self.rank
        assert self._order is not None
        return self._order

    def raw_numbers(self, i: int) -> str:
        """The digit runs of goal ``i``'s statement as written, in order ("46 5 54 2 2027" for
        "$46.5m to $54.2m by 2027"): a cheap key for "same numbers" between near-identical
        statements (:meth:`numbers` reads units and magnitudes, and costs more)."""
        found = self._raw_numbers.get(i)
        if found is None:
            statement = self.goals[i].statement
            if statement.isascii():
                found = " ".join(statement.encode().translate(_DIGITS_ONLY).decode().split())
            else:
                found = _NON_DIGITS.sub(" ", statement).strip()
            self._raw_numbers[i] = found
        return found

    def statement_change(self, i: int) -> Change | None:
        """The direction the statement asks for, read by :func:`parse_statement`."""
        return self._statement_changes[i]

    def change(self, i: int) -> Change | None:
        """The goal's direction: its first KPI's (declared or implied) wins over the text."""
        if i in self._change:
            return self._change[i]
        found: Change | None = None
        for kpi in self._ctx.cascade.kpis_of(self.goals[i].id):
            found = kpi_change(kpi)
            if found is not None:
                break
        if found is None:
            found = self.statement_change(i)
        self._change[i] = found
        return found

    def families(self, i: int) -> frozenset[str]:
        """The main family of goal ``i``'s statement and of each of its KPIs' names."""
        known = self._families.get(i)
        if known is None:
            hits = self.family_hits(i)
            found = {hits[0].family} if hits else set()
            for kpi in self.cascade.kpis_of(self.goals[i].id):
                kpi_hits = self._kpi_hits(kpi.name)
                if kpi_hits:
                    found.add(kpi_hits[0].family)
            known = frozenset(found)
            self._families[i] = known
        return known

    def _kpi_hits(self, name: str) -> tuple[FamilyHit, ...]:
        known = self._kpi_name_hits.get(name)
        if known is None:
            known = DEFAULT_THESAURUS.detect(name)
            self._kpi_name_hits[name] = known
        return known

    def measures(self, i: int) -> tuple[Measure, ...]:
        """The families goal ``i`` pushes: its statement's main one and each KPI's."""
        known = self._measures.get(i)
        if known is not None:
            return known
        found: list[Measure] = []
        goal_change = self.change(i)
        hits = self.family_hits(i)
        if hits and goal_change is not None:
            found.append(_measure(hits[0], goal_change, "statement"))
        for kpi in self._ctx.cascade.kpis_of(self.goals[i].id):
            kpi_hits = self._kpi_hits(kpi.name)
            change = kpi_change(kpi) or goal_change
            if kpi_hits and change is not None:
                found.append(_measure(kpi_hits[0], change, kpi.id))
        result = tuple(found)
        self._measures[i] = result
        return result

    def metric_key(self, i: int) -> tuple[str, frozenset[str]] | None:
        """What the statement measures: its main family and the subject words around it.

        The metric is read from the token stream: the words after the first verb of change
        up to the first amount, clause boundary or second verb of change. "Increase US
        territory sales by 30%" gives ``("revenue", {"us", "territor"})``.
        """
        return self.metrics[i]

    def metric_words(self, i: int) -> tuple[str, tuple[str, ...]] | None:
        """:meth:`metric_key` with the subject words as a sorted tuple, to group many goals
        by."""
        family = self.metric_families[i]
        return None if family is None else (family, self.metric_subjects[i])

    def team_direction(self, team_id: str) -> Direction | None:
        """The team's declared direction, else the inferred one when the analysis exists."""
        team = self._ctx.cascade.team(team_id)
        if team is None:
            return None
        if team.direction is not None:
            return team.direction
        if self._directions is None:
            self._directions = direction_analysis(self._ctx)
        found = self._directions.of(team_id)
        return None if found is None else found.direction

    # -- pairs ------------------------------------------------------------------------------

    def similarity(self, i: int, j: int) -> float:
        """Jaccard index of two goals' features."""
        self.comparisons += 1
        return jaccard(self.features[i], self.features[j])

    def is_clone(self, i: int, j: int, threshold: float = CLONE_SIMILARITY) -> bool:
        """Whether goal ``i`` copies goal ``j``: alike in words and none of its own numbers."""
        return self.similarity(i, j) >= threshold and self.numbers(i) <= self.numbers(j)

    def parents(self, i: int) -> tuple[tuple[int, str | None], ...]:
        """The positions of the goals ``i`` supports, with each link's mechanism."""
        links = self._several_links.get(i)
        if links is not None:
            return links
        parents = self.parent_positions[i]
        return ((parents[0], self.goals[i].supports[0].mechanism),) if parents else ()

    def mechanism(self, i: int, k: int) -> str | None:
        """The mechanism of goal ``i``'s link to its ``k``-th parent in
        :attr:`parent_positions`."""
        links = self._several_links.get(i)
        return self.goals[i].supports[0].mechanism if links is None else links[k][1]

    def linked(self, i: int, j: int) -> bool:
        """Whether either goal links to the other (supports or hinders) or both to one goal."""
        a, b = self.goals[i], self.goals[j]
        mine = {link.target_id for link in (*a.supports, *a.hinders)}
        theirs = {link.target_id for link in (*b.supports, *b.hinders)}
        if b.id in mine or a.id in theirs:
            return True
        shared = {t for t in mine & theirs if t is not None}
        return bool(shared)


@attrs.frozen(slots=True)
class _Plan:
    """What a statement template gives every statement that follows it.

    ``features`` are the template's features without its plain words (``sorted_features``
    the same, sorted). The metric's ``family`` (``None`` when the template has no metric)
    and ``subject`` are the template's own; ``subject_slots`` says which plain words (by
    order) belong to the subject too (``sorted_subject`` is the subject, sorted, of the
    statements whose plain words all fall outside it).
    """

    template: Template
    features: frozenset[str]
    sorted_features: tuple[str, ...]
    family: str | None
    subject: frozenset[str]
    sorted_subject: tuple[str, ...]
    subject_slots: tuple[int, ...]


class _Plans(dict[Template, _Plan]):
    """Each template's :func:`_plan`, made on first sight."""

    def __missing__(self, template: Template) -> _Plan:
        plan = self[template] = _plan(template)
        return plan


class _FeatureSets(Sequence[frozenset[str]]):
    """:attr:`StatementAnalysis.features`: each goal's feature set, made on access from its
    sorted tuple. It holds the tuples, not the analysis: a reference cycle would outlive the
    check (the cyclic collector is paused)."""

    __slots__ = ("_features",)

    def __init__(self, features: list[tuple[str, ...]]) -> None:
        self._features = features

    def __len__(self) -> int:
        return len(self._features)

    @overload
    def __getitem__(self, index: int) -> frozenset[str]: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[frozenset[str]]: ...

    def __getitem__(self, index: int | slice) -> frozenset[str] | Sequence[frozenset[str]]:
        if isinstance(index, slice):
            return [frozenset(features) for features in self._features[index]]
        return frozenset(self._features[index])


class _MetricKeys(Sequence["tuple[str, frozenset[str]] | None"]):
    """:attr:`StatementAnalysis.metrics`: each goal's metric key, made on access from its
    family and its sorted subject words (see :class:`_FeatureSets`)."""

    __slots__ = ("_families", "_subjects")

    def __init__(self, families: list[str | None], subjects: list[tuple[str, ...]]) -> None:
        self._families = families
        self._subjects = subjects

    def __len__(self) -> int:
        return len(self._families)

    @overload
    def __getitem__(self, index: int) -> tuple[str, frozenset[str]] | None: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[tuple[str, frozenset[str]] | None]: ...

    def __getitem__(
        self, index: int | slice
    ) -> tuple[str, frozenset[str]] | Sequence[tuple[str, frozenset[str]] | None] | None:
        if isinstance(index, slice):
            return [self[i] for i in range(len(self))[index]]
        family = self._families[index]
        return None if family is None else (family, frozenset(self._subjects[index]))


class _Hits(Sequence[tuple[FamilyHit, ...]]):
    """:attr:`StatementAnalysis.hits`, each read again from the masked statement on access.

    It holds the reader and the goals, not the analysis: a reference cycle would outlive the
    check (the cyclic collector is paused) and make the next collection free it all."""

    def __init__(self, reader: TemplateReader, goals: Sequence[Goal]) -> None:
        self._reader = reader
        self._goals = goals

    def __len__(self) -> int:
        return len(self._goals)

    @overload
    def __getitem__(self, index: int) -> tuple[FamilyHit, ...]: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[tuple[FamilyHit, ...]]: ...

    def __getitem__(
        self, index: int | slice
    ) -> tuple[FamilyHit, ...] | Sequence[tuple[FamilyHit, ...]]:
        if isinstance(index, slice):
            return [self[i] for i in range(len(self))[index]]
        return self._reader.hits(_masked(self._goals[index].statement))


def _plan(template: Template) -> _Plan:
    """The features and metric of ``template``'s statements, but for their plain words."""
    tokens = template.tokens
    features = frozenset(tokens).difference(_NOT_FEATURES)
    ordered = tuple(sorted(features))
    metric = _metric_key(tokens)
    if metric is None:
        return _Plan(template, features, ordered, None, frozenset(), (), ())
    family, subject, slots = metric
    return _Plan(template, features, ordered, family, subject, tuple(sorted(subject)), slots)


def _metric_key(tokens: Sequence[str]) -> tuple[str, frozenset[str], tuple[int, ...]] | None:
    """The main family and subject words of a statement's token stream.

    :data:`SLOT` tokens (plain words of a template) count as subject words; their order
    among the slots of the stream is returned apart. A plain word is never a head verb
    (the reader keeps those in the template). Repeated tokens change nothing here, so the
    stream need not be reduced.
    """
    start = 0
    for position, token in enumerate(tokens):
        if token[0] == "@":
            break  # the metric comes before its verb: "bring lead time down to 4 days"
        if token[0] == "~":
            start = position + 1
            break
    family: str | None = None
    subject: set[str] = set()
    slots: list[int] = []
    slot = tokens[:start].count(SLOT)
    for token in tokens[start:]:
        if token == SLOT:
            slots.append(slot)
            slot += 1
            continue
        first = token[0]
        if first in "#|~":
            if family is not None or subject or slots:
                break
            continue
        if first == "@":
            if family is None:
                family = token[1:]
            continue
        if not subject and not slots and token in _HEAD_VERBS:
            continue
        subject.add(token)
    if family is None:
        return None
    return family, frozenset(subject), tuple(slots)


def _measure(hit: FamilyHit, change: Change, source: str) -> Measure:
    return Measure(
        hit.family,
        _movement(change, hit.polarity),
        change,
        hit.phrase,
        hit.ratio,
        hit.per,
        source,
    )


def hits_paused(hits: Iterator[Hit]) -> list[Hit]:
    """All of a rule's hits, collected with the cyclic garbage collector paused.

    A rule over 100,000 goals allocates many small objects that form no cycles; letting the
    collector re-walk the whole cascade meanwhile costs more than the rule itself."""
    with collector_paused():
        return list(hits)


def statement_analysis(ctx: CheckContext) -> StatementAnalysis:
    """The shared :class:`StatementAnalysis` of a check (computed once per context)."""
    return ctx.derive(StatementAnalysis)


# -- mini-me ------------------------------------------------------------------------------------


def _novel_words(
    analysis: StatementAnalysis, mechanism: str, known: frozenset[str]
) -> list[str]:
    """The mechanism's words that say something beyond the two statements it links."""
    tokens, _ = tokens_and_hits(mechanism)
    return sorted(
        {
            t
            for t in tokens
            if t[0] not in "#|~" and t not in _GENERIC and t not in known
        }
    )


def _decomposition(ctx: CheckContext, goal: Goal, parent: Goal, mechanism: str | None) -> bool:
    """Whether the goal is a slice of the parent's total (a sum or a declared share)."""
    if mechanism and _DECOMPOSITION.search(mechanism):
        return True
    parent_kpis = ctx.cascade.kpis_of(parent.id)
    if any(k.aggregation.value == "sum" for k in parent_kpis):
        return True
    parent_ids = {k.id for k in parent_kpis}
    return any(k.share_of in parent_ids for k in ctx.cascade.kpis_of(goal.id))


class _Suggester:
    """Where a team's real contribution may lie, read from its other goals and served teams.

    Per team (computed once): the strategic goals its goals reach within a few links, and the
    goals of the teams it serves; a mini-me goal's own links are left out of its suggestion.
    """

    _DEPTH = 6

    def __init__(self, ctx: CheckContext, analysis: StatementAnalysis) -> None:
        self._ctx = ctx
        self._analysis = analysis
        self._by_team: dict[str, list[tuple[int, int, int]]] = {}
        self._anchors: dict[int, int] = {}

    def _anchor(self, start: int) -> int:
        """The first strategic goal reached from ``start`` by following first links upward
        (at most ``_DEPTH`` links), or -1; remembered for every goal on the way."""
        anchors = self._anchors
        known = anchors.get(start)
        if known is not None:
            return known
        analysis = self._analysis
        path = []
        current = start
        found = -1
        for _ in range(self._DEPTH):
            if analysis.strategic[current]:
                found = current
                break
            known = anchors.get(current)
            if known is not None:
                found = known
                break
            path.append(current)
            parents = analysis.parent_positions[current]
            if not parents:
                break
            current = parents[0]
        for step in path:
            anchors[step] = found
        anchors[start] = found
        return found

    def _targets(self, i: int) -> dict[int, int]:
        found: dict[int, int] = {}
        for parent in self._analysis.parent_positions[i]:
            anchor = self._anchor(parent)
            if anchor >= 0:
                found[anchor] = found.get(anchor, 0) + 1
        return found

    def _team(self, team_id: str) -> list[tuple[int, int, int]]:
        """The team's candidate goals as ``(-count, id rank, position)``, best first (once
        per team)."""
        known = self._by_team.get(team_id)
        if known is not None:
            return known
        cascade = self._ctx.cascade
        analysis = self._analysis
        counter: dict[int, int] = {}
        # The sum of :meth:`_targets` over the team's goals, counted without a dict per goal.
        position, parent_positions = analysis.position, analysis.parent_positions
        anchors, find_anchor = self._anchors, self._anchor
        for goal in cascade.goals_of(team_id):
            for parent in parent_positions[position[goal.id]]:
                anchor = anchors.get(parent)
                if anchor is None:
                    anchor = find_anchor(parent)
                if anchor >= 0:
                    counter[anchor] = counter.get(anchor, 0) + 1
        team = cascade.team(team_id)
        for served in team.serves if team is not None else ():
            for goal in cascade.goals_of(served):
                j = analysis.position[goal.id]
                if not analysis.strategic[j] and goal.status is Status.ACTIVE:
                    counter[j] = counter.get(j, 0) + 1
        rank = analysis.rank
        ranked = sorted((-count, rank[j], j) for j, count in counter.items())
        self._by_team[team_id] = ranked
        return ranked

    def suggest(self, i: int, echoed: int) -> int | None:
        """The goal the team's other goals point to most, other than the echoed one.

        The goal's own links are discounted, so a team whose only link to a goal is the
        echoing goal itself gets no suggestion from it.
        """
        goals = self._analysis.goals
        own = self._targets(i)
        best: tuple[int, int, int] | None = None
        for negative, place, j in self._team(goals[i].team):
            if best is not None and -negative < -best[0]:
                break  # sorted by raw count, and discounting only lowers it
            count = -negative - own.get(j, 0)
            if count <= 0 or j in (i, echoed) or goals[j].status is not Status.ACTIVE:
                continue
            key = (-count, place, j)
            if best is None or key < best:
                best = key
        return None if best is None else best[2]


_MINI_ME_BAD = """goalalign: 1
organisation: {name: Coastal Housing Trust, purpose: Every household on the coast has a safe home it can afford, as_of: 2026-03-01}
teams:
  - {id: board, name: Board}
  - {id: research, name: Housing Research, parent: board, direction: strategic}
goals:
  - id: s-spend
    team: board
    level: strategic
    statement: Reduce operating expenditure from $210m to $195m by June 2027
    deadline: 2027-06
    last_reviewed: 2026-02-10
    kpis: [{name: Operating expenditure, unit: USD, baseline: "$210m", target: "$195m", direction: decrease, evidence: result}]
  - id: research-report-cost
    team: research
    level: operational
    statement: Cut the cost per research report from $9,000 to $7,000 by December 2026
    deadline: 2026-12
    last_reviewed: 2026-02-10
    supports:
      - {goal: s-spend, mechanism: cheaper reports lower spending}
    kpis: [{name: Cost per research report, unit: USD, baseline: 9000, target: 7000, direction: decrease, evidence: result}]
"""

_MINI_ME_GOOD = """goalalign: 1
organisation: {name: Coastal Housing Trust, purpose: Every household on the coast has a safe home it can afford, as_of: 2026-03-01}
teams:
  - {id: board, name: Board}
  - {id: repairs, name: Repairs, parent: board, direction: strategic}
goals:
  - id: s-spend
    team: board
    level: strategic
    statement: Reduce operating expenditure from $210m to $195m by June 2027
    deadline: 2027-06
    last_reviewed: 2026-02-10
    kpis: [{name: Operating expenditure, unit: USD, baseline: "$210m", target: "$195m", direction: decrease, evidence: result}]
  - id: repairs-contractor-spend
    team: repairs
    level: translational
    statement: Lower spending on emergency repair contractors from $14m to $10m by June 2027
    deadline: 2027-06
    last_reviewed: 2026-02-10
    supports:
      - {goal: s-spend, mechanism: planned roof and boiler replacements remove the call-outs that emergency contractors bill at premium rates}
    kpis: [{name: Spending on emergency repair contractors, unit: USD, baseline: "$14m", target: "$10m", direction: decrease, evidence: result}]
"""


@rule(
    name="mini-me-goal",
    code="GA801",
    family="echoes",
    severity="warning",
    summary="A goal echoes a strategic goal's wording or metric without a genuine contribution to it.",
    rationale=(
        "A departmental copy of a strategic metric looks aligned but moves nothing: "
        "cutting the cost per policy brief does not reduce the organisation's spending in any "
        "way that matters, and may cut the depth the strategy needs elsewhere. Thematic "
        "resemblance is not a cause-effect contribution; the team's real contribution usually "
        "lies where its other goals or the teams it serves point."
    ),
    fix=(
        "Ask what result the team really moves for the organisation; restate the goal as that "
        "result, with a mechanism that says how it changes the goal it supports, or drop the link."
    ),
    options=[
        Option("similarity", 0.5, "Least wording similarity (Jaccard of normalised words) with a linked strategic goal that counts as an echo."),
        Option("unlinked_similarity", 0.6, "Least wording similarity with a strategic goal the goal does not reach at all that counts as an echo."),
        Option("min_mechanism_words", 2, "Fewest words of its own a mechanism needs (beyond the two statements and generic words) not to be a restatement."),
        Option("ratio_mechanism_words", 4, "Words of its own a mechanism needs to redeem a local efficiency ratio (it must say how the unit saving reaches the total)."),
        Option("check_direction", True, "Treat an echo from an enabling or purpose team as a mini-me even with a mechanism."),
    ],
    bad=_MINI_ME_BAD,
    good=_MINI_ME_GOOD,
    uses=(StatementAnalysis,),
)
def mini_me_goal(ctx: CheckContext, options: Mapping[str, Any]) -> Iterator[Hit]:
    yield from hits_paused(_mini_me_goal(ctx, options))


def _mini_me_goal(ctx: CheckContext, options: Mapping[str, Any]) -> Iterator[Hit]:
    analysis = statement_analysis(ctx)
    similarity = float(options["similarity"])
    unlinked = float(options["unlinked_similarity"])
    min_words = int(options["min_mechanism_words"])
    ratio_words = int(options["ratio_mechanism_words"])
    check_direction = bool(options["check_direction"])
    suggester = _Suggester(ctx, analysis)
    goals = analysis.goals
    strategic, parent_positions = analysis.strategic, analysis.parent_positions
    strategic_ids = [
        j for j in analysis.in_id_order() if strategic[j] and goals[j].status is Status.ACTIVE
    ]
    echoes_by_goal = _unlinked_echoes(analysis, strategic_ids, unlinked)
    # Only goals with a strategic parent, or a strategic goal their wording echoes, can be
    # reported: the others (most goals) are passed over in one sweep, and the rest are read
    # in order of position, as every goal was.
    maybe = [
        i
        for i, parents in enumerate(parent_positions)
        if parents and (len(parents) > 1 or strategic[parents[0]])
    ]
    maybe = sorted(echoes_by_goal.keys() | maybe) if echoes_by_goal else maybe
    for i in maybe:
        goal = goals[i]
        if strategic[i] or goal.status is Status.RETIRED:
            continue
        reported = False
        for k, j in enumerate(parent_positions[i]):
            if not strategic[j] or goals[j].status is Status.RETIRED or analysis.is_clone(i, j):
                continue
            mechanism = analysis.mechanism(i, k)
            if _forced(analysis, goal, j, mechanism):
                continue
            hit = _assess_link(
                ctx,
                analysis,
                suggester,
                i,
                j,
                mechanism,
                similarity,
                min_words,
                ratio_words,
                check_direction,
            )
            if hit is not None:
                yield hit
                reported = True
                break
        if reported or not goal.supports:
            continue  # a goal that links to nothing is an orphan-goal, reported as such
        for j, value in echoes_by_goal.get(i, ()):
            if _reaches(analysis, i, j):
                continue
            yield _unlinked_hit(analysis, suggester, i, j, value)
            break


def _forced(analysis: StatementAnalysis, goal: Goal, j: int, mechanism: str | None) -> bool:
    """Whether ``forced-alignment`` already reports this link (a support or purpose team tied
    to strategy by a generic mechanism): one problem, one finding, at its root cause."""
    direction = analysis.team_direction(goal.team)
    if direction not in (Direction.ENABLING, Direction.PURPOSE):
        return False
    return is_generic_mechanism(mechanism, analysis.goals[j].statement) is not None


def _unlinked_echoes(
    analysis: StatementAnalysis, strategic_ids: Sequence[int], threshold: float
) -> dict[int, list[tuple[int, float]]]:
    """Non-strategic goals whose wording matches a strategic goal's, via one linear index."""
    if not strategic_ids:
        return {}
    index = NearDuplicateIndex(threshold, max_postings=max(32, len(strategic_ids)))
    found: dict[int, list[tuple[int, float]]] = {}
    # Goals whose statements differ only in digits share one feature set, and large cascades
    # repeat a few thousand wordings across 100,000 goals: each distinct set is searched once
    # and its matches are handed to every goal that holds it (each goal's list is sorted below).
    holders: dict[tuple[str, ...], list[int]] = {}
    strategic, features = analysis.strategic, analysis.sorted_features
    targets = [frozenset(features[j]) for j in strategic_ids]
    # A query shares too few features with all targets together to be searched (the search
    # would skip it unread) unless it holds ``size - prefix_length(size) + 1`` of them: most
    # goals are left out here, in C, before they are even grouped.
    shareable = frozenset().union(*targets)
    least = {size: size - index.prefix_length(size) + 1 for size in set(map(len, features))}
    retired = Status.RETIRED
    for i, goal in enumerate(analysis.goals):
        if strategic[i] or goal.status is retired:
            continue
        mine = features[i]
        if len(shareable.intersection(mine)) >= least[len(mine)]:
            holders.setdefault(mine, []).append(i)
    queries = list(holders)
    for target, query, value in index.search(targets, queries):
        echoed = strategic_ids[target]
        for i in holders[queries[query]]:
            found.setdefault(i, []).append((echoed, value))
    analysis.comparisons += index.comparisons
    rank = analysis.rank
    for matches in found.values():
        matches.sort(key=lambda m: (-m[1], rank[m[0]]))
    return found


def _reaches(analysis: StatementAnalysis, i: int, target: int, budget: int = 64) -> bool:
    """Whether ``target`` lies upstream of goal ``i`` (a bounded walk up its links)."""
    seen = {i}
    stack = [i]
    while stack and budget > 0:
        current = stack.pop()
        for parent in analysis.parent_positions[current]:
            budget -= 1
            if parent == target:
                return True
            if parent not in seen and not analysis.strategic[parent]:
                seen.add(parent)
                stack.append(parent)
    return False


def _assess_link(
    ctx: CheckContext,
    analysis: StatementAnalysis,
    suggester: _Suggester,
    i: int,
    j: int,
    mechanism: str | None,
    similarity: float,
    min_words: int,
    ratio_words: int,
    check_direction: bool,
) -> Hit | None:
    """A mini-me finding for goal ``i``'s link to strategic goal ``j``, if it is one."""
    goal, echoed = analysis.goals[i], analysis.goals[j]
    value = analysis.similarity(i, j)
    if value < similarity and not analysis.families(i) & analysis.families(j):
        return None  # no echo possible: spare the direction look-ups
    mine = analysis.measures(i)
    theirs = {(m.family, m.movement) for m in analysis.measures(j)}
    shared = [m for m in mine if (m.family, m.movement) in theirs]
    if value < similarity and not shared:
        return None
    mine_features, their_features = analysis.features[i], analysis.features[j]
    known = mine_features | their_features
    reasons: list[str] = []
    codes: list[str] = []
    evidence: dict[str, Any] = {
        "echoed": echoed.id,
        "similarity": round(value, 3),
        "shared_words": sorted(w for w in mine_features & their_features),
        "families": sorted({m.family for m in shared}),
        "mechanism": mechanism,
    }
    echoed_ratios = {m.per for m in analysis.measures(j) if m.ratio}
    ratio = next(
        (
            m
            for m in (shared or mine)
            if m.ratio
            and m.per not in echoed_ratios
            and not {stem(w) for w in (m.per or "").split()} & their_features
        ),
        None,
    )
    novel = _novel_words(analysis, mechanism, known) if mechanism and mechanism.strip() else []
    if ratio is not None:
        phrase = f"{ratio.phrase} per {ratio.per}"
        evidence["ratio"] = phrase
        if len(novel) < ratio_words:
            codes.append("local-efficiency-ratio")
            reasons.append(f"its measure is a local efficiency ratio ({phrase!r})")
    part_of_total = _decomposition(ctx, goal, echoed, mechanism)
    evidence["part_of_total"] = part_of_total
    if not mechanism or not mechanism.strip():
        if not part_of_total:
            codes.append("no-mechanism")
            reasons.append("the link states no mechanism")
    else:
        evidence["mechanism_new_words"] = novel
        if len(novel) < min_words and not part_of_total:
            codes.append("restated-mechanism")
            reasons.append(f"the mechanism ({mechanism!r}) only restates the shared measure")
    direction = analysis.team_direction(goal.team)
    evidence["team_direction"] = None if direction is None else direction.value
    if check_direction and direction in (Direction.ENABLING, Direction.PURPOSE):
        codes.append(f"{direction.value}-team")
        reasons.append(
            f"team {goal.team} is a {direction.value} team, whose anchor is "
            + ("the teams it serves" if direction is Direction.ENABLING else "the purpose")
        )
    if not codes:
        return None
    evidence["reasons"] = codes
    how = (
        "the same " + "/".join(sorted({m.family for m in shared})) + " measure, pushed the same way"
        if shared
        else f"its wording (similarity {value:.2f})"
    )
    return _hit(analysis, suggester, i, j, how, "; ".join(reasons), evidence)


def _unlinked_hit(
    analysis: StatementAnalysis, suggester: _Suggester, i: int, j: int, value: float
) -> Hit:
    goal, echoed = analysis.goals[i], analysis.goals[j]
    evidence: dict[str, Any] = {
        "echoed": echoed.id,
        "similarity": round(value, 3),
        "shared_words": sorted(analysis.features[i] & analysis.features[j]),
        "families": [],
        "reasons": ["unlinked-echo"],
    }
    direction = analysis.team_direction(goal.team)
    evidence["team_direction"] = None if direction is None else direction.value
    return _hit(
        analysis,
        suggester,
        i,
        j,
        f"its wording (similarity {value:.2f})",
        f"{goal.id} has no chain of links to {echoed.id} at all",
        evidence,
    )


def _hit(
    analysis: StatementAnalysis,
    suggester: _Suggester,
    i: int,
    j: int,
    how: str,
    why: str,
    evidence: dict[str, Any],
) -> Hit:
    goal, echoed = analysis.goals[i], analysis.goals[j]
    suggestion = suggester.suggest(i, j)
    related = [Ref.goal(echoed.id)]
    direction = evidence.get("team_direction")
    if suggestion is not None:
        target = analysis.goals[suggestion]
        related.append(Ref.goal(target.id))
        evidence["suggested"] = target.id
        fix = (
            f"Team {goal.team}'s other goals and served teams point to {target.id} "
            f"({target.statement!r}): restate {goal.id} as the result through which the team "
            f"moves {target.id}, with a mechanism that says how, and drop the echo of {echoed.id}."
        )
    elif direction == Direction.ENABLING.value:
        evidence["suggested"] = None
        fix = (
            f"Anchor {goal.id} to a goal of a team that {goal.team} serves: what do they need "
            f"from {goal.team} to deliver their results?"
        )
    elif direction == Direction.PURPOSE.value:
        evidence["suggested"] = None
        fix = f"Anchor {goal.id} to the organisation's purpose or one of its promises instead."
    else:
        evidence["suggested"] = None
        fix = (
            f"State how {goal.id}'s result changes {echoed.id} (the cause-effect mechanism), "
            "or restate it as the result the team really moves."
        )
    message = f"{goal.id} echoes strategic goal {echoed.id} ({how}) without a genuine contribution: {why}"
    return Hit(Ref.goal(goal.id), message, fix=fix, related=tuple(related), evidence=evidence)


# -- clones -------------------------------------------------------------------------------------

_CLONE_BAD = """goalalign: 1
organisation: {name: Meridian Foods, as_of: 2026-01-20}
teams:
  - {id: exec, name: Executive}
  - {id: west, name: Western Region, parent: exec, direction: strategic}
goals:
  - id: s-waste
    team: exec
    level: strategic
    statement: Cut food waste across all stores from 9% to 6% of stock by December 2026
    deadline: 2026-12
    last_reviewed: 2026-01-10
    kpis: [{name: Food waste share of stock, unit: percent, baseline: 9, target: 6, direction: decrease, evidence: result}]
  - id: west-waste
    team: west
    level: translational
    statement: Cut food waste across all stores from 9% to 6% of stock by October 2026
    deadline: 2026-10
    last_reviewed: 2026-01-10
    supports:
      - {goal: s-waste, mechanism: western stores hold a third of the chain's fresh stock, so their waste weighs on the total}
    kpis: [{name: Food waste share of stock in western stores, unit: percent, baseline: 9, target: 6, direction: decrease, evidence: result}]
"""

_CLONE_GOOD = """goalalign: 1
organisation: {name: Meridian Foods, as_of: 2026-01-20}
teams:
  - {id: exec, name: Executive}
  - {id: west, name: Western Region, parent: exec, direction: strategic}
goals:
  - id: s-waste
    team: exec
    level: strategic
    statement: Cut food waste across all stores from 9% to 6% of stock by December 2026
    deadline: 2026-12
    last_reviewed: 2026-01-10
    kpis: [{name: Food waste share of stock, unit: percent, baseline: 9, target: 6, direction: decrease, evidence: result}]
  - id: west-markdown
    team: west
    level: translational
    statement: Sell 80% of fresh produce nearing its date through evening markdowns in western stores, up from 35%, by October 2026
    deadline: 2026-10
    last_reviewed: 2026-01-10
    supports:
      - {goal: s-waste, mechanism: produce sold at a markdown before its date is produce that is not thrown away}
    kpis: [{name: Share of near-date produce sold at markdown, unit: percent, baseline: 35, target: 80, direction: increase, evidence: result}]
"""


@rule(
    name="cloned-goal",
    code="GA802",
    family="echoes",
    severity="warning",
    summary="A goal copies its parent's statement instead of translating it.",
    rationale=(
        "Cascading a goal means translating it: saying what this team will change so that "
        "the parent's result happens. A copy, with the parent's own words and numbers, gives "
        "the team nothing to act on and double-counts one result at two levels."
    ),
    fix="Rewrite the goal as this team's own contribution: its own result, measure and target.",
    options=[
        Option("similarity", CLONE_SIMILARITY, "Least wording similarity (Jaccard of normalised words) with the parent."),
    ],
    bad=_CLONE_BAD,
    good=_CLONE_GOOD,
    uses=(StatementAnalysis,),
)
def cloned_goal(ctx: CheckContext, options: Mapping[str, Any]) -> Iterator[Hit]:
    yield from hits_paused(_cloned_goal(ctx, options))


def _cloned_goal(ctx: CheckContext, options: Mapping[str, Any]) -> Iterator[Hit]:
    analysis = statement_analysis(ctx)
    threshold = float(options["similarity"])
    # :meth:`StatementAnalysis.is_clone` inlined: this loop runs over every link of the
    # cascade, and nearly every pair stops at the similarity.
    features, strategic = analysis.sorted_features, analysis.strategic
    parent_positions, retired = analysis.parent_positions, Status.RETIRED
    for i, goal in enumerate(analysis.goals):
        parents = parent_positions[i]
        if not parents or strategic[i] or goal.status is retired:
            continue
        mine = frozenset(features[i])  # made once for all the goal's links
        for j in parents:
            if j == i:
                continue
            analysis.comparisons += 1
            theirs = features[j]
            shared = len(mine.intersection(theirs))  # jaccard(), on a set and a tuple
            value = shared / (len(mine) + len(theirs) - shared) if mine and theirs else 0.0
            if value < threshold or not (analysis.numbers(i) <= analysis.numbers(j)):
                continue
            parent = analysis.goals[j]
            value = analysis.similarity(i, j)
            numbers = sorted(analysis.numbers(i))
            shown = ", ".join(numbers) if numbers else "no numbers of its own"
            yield Hit(
                Ref.goal(goal.id),
                f"{goal.id} copies its parent {parent.id} (similarity {value:.2f}; {shown}) "
                f"instead of translating it into team {goal.team}'s own contribution",
                related=(Ref.goal(parent.id),),
                evidence={
                    "parent": parent.id,
                    "similarity": round(value, 3),
                    "shared_words": sorted(analysis.features[i] & analysis.features[j]),
                    "numbers": numbers,
                    "parent_numbers": sorted(analysis.numbers(j)),
                },
            )
            break


# -- duplicates ---------------------------------------------------------------------------------


@attrs.frozen(slots=True)
class DuplicateStats:
    """How much work a duplicate search did: for tests that check it grows linearly."""

    goals: int
    distinct_sets: int
    comparisons: int
    member_checks: int


def _one_team(goals: Sequence[Goal], members: list[int]) -> str | None:
    """The team all ``members`` belong to, or ``None`` when they are of several teams."""
    team = goals[members[0]].team
    return team if all(goals[i].team == team for i in members) else None


def find_duplicates(
    analysis: StatementAnalysis,
    *,
    threshold: float = 0.85,
    min_features: int = 3,
    same_numbers: bool = True,
    max_postings: int = 32,
    max_checks: int = 8,
) -> tuple[list[tuple[int, int, float]], DuplicateStats]:
    """Near-identical goals of different teams with no link between them, in linear time.

    Goals with equal feature sets are grouped by a dictionary (no comparison at all); the
    distinct sets are paired by the prefix-filtered :class:`NearDuplicateIndex`. Within a
    group, goals are further split by their numbers when ``same_numbers`` (two teams with the
    same words but different targets are not copies of one goal). Each goal is checked against
    at most ``max_checks`` earlier candidates, and reported at most once, as
    ``(goal, earlier duplicate, similarity)``. "Earlier" is the order of goal ids, so the
    result does not depend on the order of the document.
    """
    goals = analysis.goals
    rank = analysis.rank
    # Sets are grouped and indexed as sorted tuples: distinct frozensets for a million goals
    # would weigh gigabytes.
    # Most sets are one goal's: a set keeps its first goal, and a list only for the others.
    set_index: dict[tuple[str, ...], int] = {}
    distinct: list[tuple[str, ...]] = []
    first_holder: list[int] = []
    more_holders: dict[int, list[int]] = {}
    features_of, active = analysis.sorted_features, Status.ACTIVE
    for i in analysis.in_id_order():
        features = features_of[i]
        if len(features) < min_features or goals[i].status is not active:
            continue
        d = set_index.get(features)
        if d is None:
            set_index[features] = len(distinct)
            distinct.append(features)
            first_holder.append(i)
        else:
            more = more_holders.get(d)
            if more is None:
                more_holders[d] = [first_holder[d], i]
            else:
                more.append(i)

    def groups(d: int) -> dict[str, list[int]]:
        split: dict[str, list[int]] = {}
        for i in more_holders.get(d) or (first_holder[d],):
            key = analysis.raw_numbers(i) if same_numbers else ""
            split.setdefault(key, []).append(i)
        return split

    found: dict[int, tuple[int, float]] = {}
    checks = 0

    def pair_up(earlier: list[int], later: list[int], value: float) -> None:
        nonlocal checks
        for i in later:
            if i in found:
                continue
            tried = 0
            for j in earlier:
                if j == i:
                    continue
                if tried >= max_checks:
                    break
                tried += 1
                checks += 1
                a, b = (j, i) if rank[j] < rank[i] else (i, j)
                if goals[a].team == goals[b].team or analysis.linked(a, b):
                    continue
                if b not in found:
                    found[b] = (a, value)
                break

    split_cache: dict[int, dict[str, list[int]]] = {}
    teams: list[str | None] = [goals[i].team for i in first_holder]
    for d, holders in more_holders.items():
        teams[d] = _one_team(goals, holders)
    for d in sorted(more_holders):
        # Goals of one team are never paired: a set only one team holds is passed over.
        if teams[d] is None:
            split_cache[d] = groups(d)
            for group in split_cache[d].values():
                for k in range(1, len(group)):
                    pair_up(group[: min(k, max_checks)], group[k : k + 1], 1.0)
    index = NearDuplicateIndex(threshold, max_postings=max_postings)
    for pair in index.pairs(distinct, groups=teams):
        first = split_cache.get(pair.first) or groups(pair.first)
        second = split_cache.get(pair.second) or groups(pair.second)
        for key, later in second.items():
            earlier = first.get(key)
            if earlier:
                pair_up(earlier, later, pair.similarity)
    result = sorted(
        ((b, a, value) for b, (a, value) in found.items()), key=lambda item: rank[item[0]]
    )
    stats = DuplicateStats(len(goals), len(distinct), index.comparisons, checks)
    analysis.comparisons += index.comparisons + checks
    return result, stats


_DUPLICATE_BAD = """goalalign: 1
organisation: {name: Valley Water, purpose: Safe, reliable water for every home in the valley, as_of: 2026-02-01}
teams:
  - {id: board, name: Board}
  - {id: ops, name: Network Operations, parent: board, direction: strategic}
  - {id: assets, name: Asset Management, parent: board, direction: strategic}
goals:
  - id: s-leaks
    team: board
    level: strategic
    statement: Cut water lost to leaks from 22% to 15% of supply by December 2027
    deadline: 2027-12
    last_reviewed: 2026-01-15
    kpis: [{name: Water lost to leaks, unit: percent, baseline: 22, target: 15, direction: decrease, evidence: result}]
  - id: s-bursts
    team: board
    level: strategic
    statement: Halve unplanned supply interruptions from 1,200 to 600 a year by December 2027
    deadline: 2027-12
    last_reviewed: 2026-01-15
    kpis: [{name: Unplanned supply interruptions, unit: count, baseline: 1200, target: 600, direction: decrease, evidence: result}]
  - id: ops-mains
    team: ops
    level: translational
    statement: Replace 40 km of the oldest cast-iron water mains by June 2027
    deadline: 2027-06
    last_reviewed: 2026-01-15
    supports:
      - {goal: s-leaks, mechanism: old cast-iron mains leak at joints, so replacing them stops the largest losses}
    kpis: [{name: Old cast-iron mains replaced, unit: km, baseline: 0, target: 40, direction: increase, evidence: result}]
  - id: assets-mains
    team: assets
    level: translational
    statement: Replace 40 km of the oldest cast-iron water mains by June 2027
    deadline: 2027-06
    last_reviewed: 2026-01-15
    supports:
      - {goal: s-bursts, mechanism: brittle cast-iron mains cause most bursts, which interrupt supply}
    kpis: [{name: Oldest cast-iron mains replaced, unit: km, baseline: 0, target: 40, direction: increase, evidence: result}]
"""

_DUPLICATE_GOOD = """goalalign: 1
organisation: {name: Valley Water, purpose: Safe, reliable water for every home in the valley, as_of: 2026-02-01}
teams:
  - {id: board, name: Board}
  - {id: ops, name: Network Operations, parent: board, direction: strategic}
  - {id: assets, name: Asset Management, parent: board, direction: strategic}
goals:
  - id: s-leaks
    team: board
    level: strategic
    statement: Cut water lost to leaks from 22% to 15% of supply by December 2027
    deadline: 2027-12
    last_reviewed: 2026-01-15
    kpis: [{name: Water lost to leaks, unit: percent, baseline: 22, target: 15, direction: decrease, evidence: result}]
  - id: assets-mains
    team: assets
    level: translational
    statement: Replace 40 km of the oldest cast-iron water mains by June 2027
    deadline: 2027-06
    last_reviewed: 2026-01-15
    supports:
      - {goal: s-leaks, mechanism: old cast-iron mains leak at joints, so replacing them stops the largest losses}
    kpis: [{name: Old cast-iron mains replaced, unit: km, baseline: 0, target: 40, direction: increase, evidence: result}]
  - id: ops-detection
    team: ops
    level: translational
    statement: Find and fix reported leaks within 3 days instead of 11 by June 2027
    deadline: 2027-06
    last_reviewed: 2026-01-15
    supports:
      - {goal: s-leaks, mechanism: every day a known leak runs adds to the water lost before it is fixed}
    kpis: [{name: Days from leak report to repair, unit: day, baseline: 11, target: 3, direction: decrease, evidence: result}]
"""


@rule(
    name="duplicate-goal",
    code="GA803",
    family="echoes",
    severity="info",
    summary="Two teams own near-identical goals with no link between them.",
    rationale=(
        "When two teams state the same result without knowing of each other, effort is "
        "doubled, credit is counted twice and nobody owns the result. Either one team owns "
        "it and the other links to it, or each states its own distinct part."
    ),
    fix="Decide which team owns the result; have the other link to it or state its own part.",
    options=[
        Option("similarity", 0.85, "Least wording similarity (Jaccard of normalised words) between the two statements."),
        Option("same_numbers", True, "Require the same amounts in both statements (different targets on the same words are not copies)."),
        Option("min_words", 3, "Fewest normalised words a statement needs to be compared (shorter ones are too vague to call duplicates)."),
    ],
    bad=_DUPLICATE_BAD,
    good=_DUPLICATE_GOOD,
    uses=(StatementAnalysis,),
)
def duplicate_goal(ctx: CheckContext, options: Mapping[str, Any]) -> Iterator[Hit]:
    yield from hits_paused(_duplicate_goal(ctx, options))


def _duplicate_goal(ctx: CheckContext, options: Mapping[str, Any]) -> Iterator[Hit]:
    analysis = statement_analysis(ctx)
    pairs, _ = find_duplicates(
        analysis,
        threshold=float(options["similarity"]),
        min_features=int(options["min_words"]),
        same_numbers=bool(options["same_numbers"]),
    )
    goals = analysis.goals
    for i, j, value in pairs:
        goal, other = goals[i], goals[j]
        yield Hit(
            Ref.goal(goal.id),
            f"{goal.id} (team {goal.team}) is nearly identical to {other.id} (team {other.team}), "
            f"similarity {value:.2f}, and neither goal links to the other",
            related=(Ref.goal(other.id),),
            evidence={
                "duplicate_of": other.id,
                "other_team": other.team,
                "similarity": round(value, 3),
                "shared_words": sorted(analysis.features[i] & analysis.features[j]),
                "numbers": analysis.raw_numbers(i).split(),
            },
        )
