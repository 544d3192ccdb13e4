"""Cause-effect chains: where every goal's contribution links lead, in one linear analysis.

A *chain* starts at a goal and follows its ``supports`` links, goal to goal, until it meets an
**anchor**. The anchors are:

* an *active strategic-level goal* (:meth:`Cascade.level_of` is strategic and the status is
  active): the strategy itself. A chain ends at the first strategic-level goal it meets, so the
  links a strategic goal may have to other goals are not followed;
* a *stale* strategic-level goal (deprioritised or retired): still an end, but a dead one;
* a link to one of the organisation's *promises*, or to its *purpose* (only when the document
  states a purpose: a link to nothing anchors nothing).

A goal that is not strategic and has no ``supports`` at all reaches nothing. A goal reaches an
anchor when some chain from it ends at one; the chain is *explained* when every link on it
carries a mechanism (the cause-effect story). A fourth kind of end matters only for support
teams: a goal reaches a *served team* when, staying inside its own team, it links to a goal of
a team it serves (see :class:`ServedTeams`) that itself reaches strategy or purpose.

The analysis is a handful of passes over an int-indexed adjacency list, each O(goals + links):

* one topological test (Kahn) of the whole contribution graph, and Tarjan's strongly connected
  components only when it has a cycle (the ``contribution-cycle`` rule reports those);
* multi-source breadth-first searches backwards from each kind of anchor, over all links and
  over explained links only. They give every goal its distance to the nearest anchor of each
  kind; the next hop of a chain is the successor one step closer (smallest goal id on ties), so
  a chain is printed by walking distances, never by enumerating paths;
* the goals that reach no anchor at all are closed under their links: their chains end at a
  *break*, a goal that links to no existing goal (a sink) or a loop of such goals with no way
  out. One more backward search from the breaks assigns every cut-off goal to its nearest
  break (smallest id on ties), so each goal is counted under exactly one root cause.
  Goals whose chains end only at stale anchors are attributed the same way to the goal that
  links straight to the stale anchor.

Every adjacency visit is counted in :attr:`ChainAnalysis.visits`, which tests use to check the
analysis stays linear without timing it; every chain asked for is counted in
:attr:`ChainAnalysis.walks`, which tests use to check chains are printed only when wanted.
"""

from __future__ import annotations

import enum
import operator
from collections.abc import Callable, Sequence
from itertools import compress
from typing import TYPE_CHECKING

import attrs

from goalalign._collector import collector_paused as _shared_collector_paused
from goalalign.domain.cascade import Cascade
from goalalign.domain.model import Goal, Level, LinkTarget, Status

if TYPE_CHECKING:
    from goalalign.engine.context import CheckContext

__all__ = [
    "MAX_CHAIN_STEPS",
    "AnchorKind",
    "Break",
    "ChainAnalysis",
    "ChainPrinter",
    "ServedTeams",
    "Step",
    "analyse_chains",
    "chain_analysis",
    "collector_paused",
]

Step = tuple[str, "str | None"]
"""One step of a printed chain: a goal id (or ``promise:<id>`` / ``purpose``) and the mechanism
of the link that leaves it (``None`` on the last step or when the link has no mechanism)."""

MAX_CHAIN_STEPS = 64
"""Printed chains stop after this many steps (the last step is then ``("…", None)``), so that
printing every goal's chain stays linear even for pathologically deep cascades."""

PURPOSE_STEP = "purpose"
PROMISE_PREFIX = "promise:"


class AnchorKind(enum.StrEnum):
    """Where a chain can end."""

    STRATEGY = "strategy"
    """An active strategic-level goal."""
    STALE = "stale-strategy"
    """A deprioritised or retired strategic-level goal."""
    PURPOSE = "purpose"
    """A link to a promise or to the organisation's purpose."""
    SERVED = "served-team"
    """A goal of a team the goal's own team serves, which itself reaches strategy or purpose."""


@attrs.frozen(slots=True)
class Break:
    """Where chains stop: a goal that links to no existing goal, or a loop with no way out.

    ``goal`` is the break goal (the smallest id of the loop for a loop); ``members`` are the
    loop's goals (just ``goal`` for a single break goal); ``cut_off`` counts the *other* goals
    whose chains end here and nowhere else, each counted under one break only.
    """

    goal: str
    members: tuple[str, ...]
    cut_off: int
    is_loop: bool


class ChainAnalysis:
    """The result of :func:`analyse_chains`: per-goal reach, distances and breaks.

    Distances are ``-1`` when a goal does not reach that kind of anchor, ``0`` when it is one
    (or, for purpose, links straight to a promise or the purpose), ``k`` when the nearest one is
    ``k`` links away. Use :meth:`reaches`, :meth:`explained`, :meth:`chain` rather than the raw
    arrays unless in a hot loop.

    Goals are numbered by document position: ``ids[i]`` is goal ``i``'s id and ``index`` maps
    back (it is the cascade's own :meth:`~Cascade.goal_positions` when no id repeats).
    ``out[i]`` lists the goals goal ``i`` supports (every existing target, strategic goals'
    links included; goals that support none share one empty list);
    ``is_strategic[i]`` says whether it is a strategic-level goal. All of it is read-only.
    ``dist_*``/``xdist_*`` are the distances over all links and over explained links.
    ``cycles`` holds each loop's goals (smallest id first); ``breaks`` maps a break's goal to
    its :class:`Break` and ``break_of`` every goal that reaches nothing to its break;
    ``stale_top_of`` maps every goal anchored only to stale goals to the goal that links to the
    stale goal, and ``stale_below`` counts, per such goal, the goals relying on it.
    ``visits`` counts adjacency-list entries read, for linearity tests; :attr:`walks` counts
    the chains asked for. Chains are printed by :attr:`printer`.
    """

    __slots__ = (
        "_cascade",
        "_goal_of",
        "_printer",
        "break_of",
        "breaks",
        "cycles",
        "dist_purpose",
        "dist_served",
        "dist_stale",
        "dist_strategy",
        "ids",
        "index",
        "is_strategic",
        "out",
        "served",
        "stale_below",
        "stale_top_of",
        "visits",
        "xdist_purpose",
        "xdist_served",
        "xdist_strategy",
    )

    def __init__(
        self,
        cascade: Cascade,
        ids: list[str],
        index: dict[str, int],
        out: list[list[int]],
        is_strategic: list[bool],
    ) -> None:
        self._cascade = cascade
        self._goal_of: Sequence[Goal] = cascade.goals
        self._printer: ChainPrinter | None = None
        self.ids = ids
        self.index = index
        self.out = out
        self.is_strategic = is_strategic
        self.served = ServedTeams(cascade)
        n = len(ids)
        empty = [-1] * n
        self.dist_strategy = empty
        self.xdist_strategy = empty
        self.dist_purpose = empty
        self.xdist_purpose = empty
        self.dist_stale = empty
        self.dist_served = empty
        self.xdist_served = empty
        self.cycles: tuple[tuple[int, ...], ...] = ()
        self.breaks: dict[int, Break] = {}
        self.break_of: dict[int, int] = {}
        self.stale_top_of: dict[int, int] = {}
        self.stale_below: dict[int, int] = {}
        self.visits = 0

    # -- per-goal questions ---------------------------------------------------------------

    def _i(self, goal_id: str) -> int:
        return self.index[goal_id]

    def reaches(self, goal_id: str) -> frozenset[AnchorKind]:
        """The kinds of anchor some chain from ``goal_id`` ends at (any links)."""
        i = self._i(goal_id)
        kinds = set()
        if self.dist_strategy[i] >= 0:
            kinds.add(AnchorKind.STRATEGY)
        if self.dist_stale[i] >= 0:
            kinds.add(AnchorKind.STALE)
        if self.dist_purpose[i] >= 0:
            kinds.add(AnchorKind.PURPOSE)
        if self.dist_served[i] >= 0:
            kinds.add(AnchorKind.SERVED)
        return frozenset(kinds)

    def reaches_live(self, goal_id: str) -> bool:
        """Whether some chain from ``goal_id`` ends at the active strategy, a promise or purpose."""
        i = self._i(goal_id)
        return self.dist_strategy[i] >= 0 or self.dist_purpose[i] >= 0

    def reaches_any(self, goal_id: str) -> bool:
        """Whether some chain from ``goal_id`` ends at any anchor, stale ones included."""
        i = self._i(goal_id)
        return self.dist_strategy[i] >= 0 or self.dist_purpose[i] >= 0 or self.dist_stale[i] >= 0

    def explained(self, goal_id: str, kind: AnchorKind) -> bool:
        """Whether a chain with a mechanism on every link leads from ``goal_id`` to ``kind``."""
        i = self._i(goal_id)
        if kind is AnchorKind.STRATEGY:
            return self.xdist_strategy[i] >= 0
        if kind is AnchorKind.PURPOSE:
            return self.xdist_purpose[i] >= 0
        if kind is AnchorKind.SERVED:
            return self.xdist_served[i] >= 0
        return False

    def distance(self, goal_id: str, kind: AnchorKind, *, explained: bool = False) -> int:
        """Links from ``goal_id`` to the nearest anchor of ``kind`` (``-1`` when none)."""
        return self._dist(kind, explained)[self._i(goal_id)]

    def _dist(self, kind: AnchorKind, explained: bool) -> list[int]:
        return _distances(self, kind, explained)

    def break_for(self, goal_id: str) -> Break | None:
        """The break a goal's chains end at, when it reaches no anchor at all."""
        owner = self.break_of.get(self._i(goal_id))
        return None if owner is None else self.breaks[owner]

    # -- chains as paths --------------------------------------------------------------------

    @property
    def printer(self) -> ChainPrinter:
        """What prints this analysis' chains; made on first use (the analysis is complete by
        then: only :func:`analyse_chains` fills it in) and shared, with its memo."""
        printer = self._printer
        if printer is None:
            printer = self._printer = ChainPrinter(self)
        return printer

    @property
    def walks(self) -> int:
        """How many chains were asked for (see :attr:`ChainPrinter.walks`)."""
        return 0 if self._printer is None else self._printer.walks

    def chain(self, goal_id: str, kind: AnchorKind | None = None) -> tuple[Step, ...]:
        """The chain from ``goal_id`` to its nearest anchor of ``kind``; see
        :meth:`ChainPrinter.chain`."""
        return self.printer.chain(goal_id, kind)


class ChainPrinter:
    """Prints the chains of a :class:`ChainAnalysis`, holding only what printing reads.

    Reports print chains on demand, after the check (see
    :class:`~goalalign.analysis.three_questions.GoalChain`), so they keep a printer alive.
    It shares the analysis' id index, distances and breaks, but not its adjacency lists, the
    largest part, which go when the check releases its analyses. Chains are memoised per goal
    and kind of anchor; ``walks`` counts the calls of :meth:`chain`, for tests that chains are
    walked only when someone reads them.
    """

    __slots__ = (
        "_cascade",
        "_goal_of",
        "_memo",
        "break_of",
        "breaks",
        "dist_purpose",
        "dist_served",
        "dist_stale",
        "dist_strategy",
        "ids",
        "index",
        "is_strategic",
        "served",
        "walks",
        "xdist_purpose",
        "xdist_served",
        "xdist_strategy",
    )

    def __init__(self, analysis: ChainAnalysis) -> None:
        self._cascade = analysis._cascade
        self._goal_of = analysis._goal_of
        self._memo: dict[tuple[AnchorKind, bool], dict[int, tuple[Step, ...]]] = {}
        self.break_of = analysis.break_of
        self.breaks = analysis.breaks
        self.dist_purpose = analysis.dist_purpose
        self.dist_served = analysis.dist_served
        self.dist_stale = analysis.dist_stale
        self.dist_strategy = analysis.dist_strategy
        self.ids = analysis.ids
        self.index = analysis.index
        self.is_strategic = analysis.is_strategic
        self.served = analysis.served
        self.walks = 0
        self.xdist_purpose = analysis.xdist_purpose
        self.xdist_served = analysis.xdist_served
        self.xdist_strategy = analysis.xdist_strategy

    def _dist(self, kind: AnchorKind, explained: bool) -> list[int]:
        return _distances(self, kind, explained)

    def chain(self, goal_id: str, kind: AnchorKind | None = None) -> tuple[Step, ...]:
        """The chain from ``goal_id`` to its nearest anchor of ``kind``, as steps.

        Explained chains are preferred: when a fully explained chain exists it is the one
        shown, else the shortest chain. ``kind=None`` picks the nearest live anchor (strategy
        or purpose; strategy on a tie), then a stale one, then the break the chain stops at.
        A goal that reaches nothing of ``kind`` gives the one-step chain ``((goal_id, None),)``
        or, for ``kind=None``, the path to its break.
        """
        self.walks += 1
        i = self.index[goal_id]
        if kind is None:
            s, p = self.dist_strategy[i], self.dist_purpose[i]
            if s >= 0 and (p < 0 or s <= p):
                kind = AnchorKind.STRATEGY
            elif p >= 0:
                kind = AnchorKind.PURPOSE
            elif self.dist_stale[i] >= 0:
                kind = AnchorKind.STALE
            else:
                return self._walk_to_break(i)
        if kind is AnchorKind.SERVED:
            return self._walk_served(i)
        explained = kind is not AnchorKind.STALE and self._dist(kind, True)[i] >= 0
        return self._walk(i, kind, explained)

    def _candidates(
        self, i: int, dist: list[int], explained: bool, allowed: Callable[[int], bool] | None
    ) -> tuple[int, str | None] | None:
        """The next hop from goal ``i`` one step closer on ``dist`` (smallest id first)."""
        want = dist[i] - 1
        best: tuple[int, str | None] | None = None
        index, ids = self.index, self.ids
        for link in self._goal_of[i].supports:
            if link.target_kind is not LinkTarget.GOAL or link.target_id is None:
                continue
            j = index.get(link.target_id)
            if j is None or dist[j] != want or (explained and not link.mechanism):
                continue
            if allowed is not None and not allowed(j):
                continue
            if best is None or _link_key(ids[j], link.mechanism) < _link_key(ids[best[0]], best[1]):
                best = (j, link.mechanism)
        return best

    def _anchor_step(self, i: int, explained: bool) -> tuple[Step, Step]:
        """The last link of a purpose chain: the goal's link to a promise or the purpose."""
        promises = self._cascade.promise_ids()
        has_purpose = bool(self._cascade.organisation.purpose)
        options: list[tuple[str, str | None]] = []
        for link in self._goal_of[i].supports:
            if explained and not link.mechanism:
                continue
            if link.target_kind is LinkTarget.PROMISE and link.target_id in promises:
                options.append((PROMISE_PREFIX + str(link.target_id), link.mechanism))
            elif link.target_kind is LinkTarget.PURPOSE and has_purpose:
                options.append((PURPOSE_STEP, link.mechanism))
        target, mechanism = min(options, key=lambda o: _link_key(o[0], o[1]))
        return (self.ids[i], mechanism), (target, None)

    def _walk(self, i: int, kind: AnchorKind, explained: bool) -> tuple[Step, ...]:
        """The chain from ``i`` down ``kind``'s distances, memoised per goal.

        Chains share their tails, so each goal's next hop is chosen once per kind however
        many chains pass through it; stored chains are capped at :data:`MAX_CHAIN_STEPS`.
        """
        dist = self._dist(kind, explained)
        if dist[i] < 0:
            return ((self.ids[i], None),)
        memo = self._memo.setdefault((kind, explained), {})
        path: list[tuple[int, str | None]] = []
        while i not in memo:
            if dist[i] == 0:
                if kind is AnchorKind.PURPOSE:
                    memo[i] = self._anchor_step(i, explained)
                else:
                    memo[i] = ((self.ids[i], None),)
                break
            nxt = self._candidates(i, dist, explained, None)
            assert nxt is not None  # a goal at distance d > 0 has a successor at d - 1
            path.append((i, nxt[1]))
            i = nxt[0]
        tail = memo[i]
        for j, mechanism in reversed(path):
            chain = ((self.ids[j], mechanism), *tail)
            if len(chain) > MAX_CHAIN_STEPS:
                chain = (*chain[:MAX_CHAIN_STEPS], ("…", None))
            memo[j] = chain
            tail = chain
        return tail

    def _walk_served(self, i: int) -> tuple[Step, ...]:
        explained = self.xdist_served[i] >= 0
        dist = self.xdist_served if explained else self.dist_served
        if dist[i] < 0:
            return ((self.ids[i], None),)
        team = self._goal_of[i].team
        steps: list[Step] = []
        while dist[i] > 0 and len(steps) < MAX_CHAIN_STEPS:
            nxt = self._candidates(i, dist, explained, None)
            assert nxt is not None
            steps.append((self.ids[i], nxt[1]))
            i = nxt[0]
        if len(steps) >= MAX_CHAIN_STEPS:
            return (*steps, ("…", None))
        # i is a source: it links straight to a served goal that reaches strategy or purpose.
        xs, xp = self.xdist_strategy, self.xdist_purpose
        ds, dp = self.dist_strategy, self.dist_purpose
        best: tuple[str, int, str | None] | None = None
        for link in self._goal_of[i].supports:
            if link.target_kind is not LinkTarget.GOAL or link.target_id is None:
                continue
            j = self.index.get(link.target_id)
            if j is None or not self._serves(team, j):
                continue
            live = (xs[j] >= 0 or xp[j] >= 0) if explained else (ds[j] >= 0 or dp[j] >= 0)
            if not live or (explained and not link.mechanism):
                continue
            if best is None or _link_key(self.ids[j], link.mechanism) < _link_key(best[0], best[2]):
                best = (self.ids[j], j, link.mechanism)
        assert best is not None
        steps.append((self.ids[i], best[2]))
        rest = self.chain(best[0])
        steps.extend(rest)
        if len(steps) > MAX_CHAIN_STEPS:
            steps = [*steps[:MAX_CHAIN_STEPS], ("…", None)]
        return tuple(steps)

    def _serves(self, team: str, j: int) -> bool:
        return self.served.serves(team, self._goal_of[j], self.is_strategic[j])

    def _walk_to_break(self, i: int) -> tuple[Step, ...]:
        owner = self.break_of.get(i)
        if owner is None:
            return ((self.ids[i], None),)
        members = {self.index[m] for m in self.breaks[owner].members}
        steps: list[Step] = []
        seen: set[int] = set()
        # Follow, among successors that end at the same break, the one with the smallest id;
        # the successors of a goal that reaches nothing reach nothing either.
        while i not in members and i not in seen and len(steps) < MAX_CHAIN_STEPS:
            seen.add(i)
            best: tuple[str, int, str | None] | None = None
            for link in self._goal_of[i].supports:
                if link.target_kind is not LinkTarget.GOAL or link.target_id is None:
                    continue
                j = self.index.get(link.target_id)
                if j is None or self.break_of.get(j) != owner or j in seen:
                    continue
                if best is None or _link_key(self.ids[j], link.mechanism) < _link_key(
                    best[0], best[2]
                ):
                    best = (self.ids[j], j, link.mechanism)
            if best is None:
                break
            steps.append((self.ids[i], best[2]))
            i = best[1]
        steps.append((self.ids[i], None))
        return tuple(steps)



def _distances(
    source: ChainAnalysis | ChainPrinter, kind: AnchorKind, explained: bool
) -> list[int]:
    """The distance array of ``kind`` (any or explained links) that ``source`` shares."""
    if kind is AnchorKind.STRATEGY:
        return source.xdist_strategy if explained else source.dist_strategy
    if kind is AnchorKind.PURPOSE:
        return source.xdist_purpose if explained else source.dist_purpose
    if kind is AnchorKind.SERVED:
        return source.xdist_served if explained else source.dist_served
    return source.dist_stale

def _link_key(target: str, mechanism: str | None) -> tuple[str, int, str]:
    """Order among candidate links: smallest target id, explained first, then by mechanism,
    so the chosen link never depends on the order links were written in."""
    return (target, 0 if mechanism else 1, mechanism or "")


_TeamFacts = tuple[list[bool], list["frozenset[int] | None"], list[bool], list[int], list[int]]


class ServedTeams:
    """Which goals count as goals of a team that a given team serves.

    A strategic-level goal never does (linking to it is a link to strategy), nor does a goal of
    the team itself. When the team declares ``serves``, the goal's team must be one of them.
    When it declares none, any goal of another team that is neither at the top of the chart
    nor one of the team's ancestors counts: a link across the chart rather than up it.
    Ancestry is answered in O(1) from the entry and exit times of one walk of the chart.
    """

    __slots__ = ("_cascade", "_enter", "_leave")

    def __init__(self, cascade: Cascade) -> None:
        self._cascade = cascade
        known = {t.id for t in cascade.teams}
        roots = [t.id for t in cascade.teams if t.parent is None or t.parent not in known]
        enter: dict[str, int] = {}
        leave: dict[str, int] = {}
        clock = 0
        for root in roots:
            stack: list[tuple[str, bool]] = [(root, False)]
            while stack:
                team, done = stack.pop()
                if done:
                    leave[team] = clock
                    clock += 1
                    continue
                if team in enter:
                    continue
                enter[team] = clock
                clock += 1
                stack.append((team, True))
                stack.extend((child, False) for child in cascade.child_teams(team))
        self._enter = enter
        self._leave = leave

    def is_ancestor(self, ancestor: str, team: str) -> bool:
        """Whether ``ancestor`` is above ``team`` in the chart (or is ``team``)."""
        a, t = self._enter.get(ancestor), self._enter.get(team)
        if a is None or t is None:
            return False
        return a <= t and self._leave[team] <= self._leave[ancestor]

    def by_number(self, names: Sequence[str]) -> Callable[[int, int], bool]:
        """:meth:`serves` for teams numbered by position in ``names``, as a fast predicate.

        ``predicate(a, b)`` says whether team ``names[a]`` serves team ``names[b]``'s
        (non-strategic) goals; the per-team facts are read once, so the hot loop does a few
        list reads instead of look-ups by id.
        """
        known, declared, below_top, enter, leave = self._facts(names)

        def predicate(a: int, b: int) -> bool:
            if a == b or not known[a]:
                return False
            served = declared[a]
            if served is not None:
                return b in served
            if not below_top[b]:
                return False
            # b above a in the chart is the vertical route, not service
            above = 0 <= enter[b] <= enter[a] and leave[a] <= leave[b]
            return not above

        return predicate

    def _facts(self, names: Sequence[str]) -> _TeamFacts:
        """What :meth:`by_number`'s predicate reads, per team numbered by position in
        ``names``: whether it exists, the numbers of the teams it declares it serves (``None``
        when it declares none), whether it sits below the top of the chart, and its entry and
        exit times in the walk of the chart (-1 when it is not in the chart)."""
        cascade = self._cascade
        number = {name: k for k, name in enumerate(names)}
        known: list[bool] = []
        declared: list[frozenset[int] | None] = []
        below_top: list[bool] = []
        enter: list[int] = []
        leave: list[int] = []
        for name in names:
            team = cascade.team(name)
            known.append(team is not None)
            if team is not None and team.serves:
                declared.append(frozenset(number[t] for t in team.serves if t in number))
            else:
                declared.append(None)
            below_top.append(team is not None and team.parent is not None)
            enter.append(self._enter.get(name, -1))
            leave.append(self._leave.get(name, -1))
        return known, declared, below_top, enter, leave

    def serves(self, team_id: str, goal: Goal, strategic: bool) -> bool:
        """Whether ``goal`` (strategic-level or not) is a goal of a team ``team_id`` serves."""
        if strategic or goal.team == team_id:
            return False
        team = self._cascade.team(team_id)
        if team is None:
            return False
        if team.serves:
            return goal.team in team.serves
        other = self._cascade.team(goal.team)
        if other is None or other.parent is None:
            return False
        return not self.is_ancestor(goal.team, team_id)


# -- the analysis -------------------------------------------------------------------------------


class _Counter:
    __slots__ = ("visits",)

    def __init__(self) -> None:
        self.visits = 0


def _bfs(
    sources: Sequence[int], rev: list[list[int]], n: int, counter: _Counter
) -> tuple[list[int], list[int]]:
    """Distances to the nearest source along reversed edges, and the order goals were reached."""
    dist = [-1] * n
    order: list[int] = []
    for s in sources:
        if dist[s] < 0:
            dist[s] = 0
            order.append(s)
    frontier = list(order)
    depth = 0
    visits = 0
    while frontier:
        depth += 1
        found: list[int] = []
        for v in frontier:
            preds = rev[v]
            visits += len(preds)
            for u in preds:
                if dist[u] < 0:
                    dist[u] = depth
                    found.append(u)
        order.extend(found)
        frontier = found
    counter.visits += visits
    return dist, order


_TAINT_SHARE = 0.25
"""The explained searches redo only the goals an unexplained link can change, while these are
at most this share of all goals; past it, a plain search over explained links is cheaper."""


def _bfs_explained(
    dist: list[int],
    sources: Sequence[int],
    sources_x: Sequence[int],
    rev_x: list[list[int]],
    out: list[list[int]],
    edge: Callable[[int, int], bool],
    cut: Sequence[int],
    rev: list[list[int]],
    counter: _Counter,
) -> list[int]:
    """:func:`_bfs` from ``sources_x`` over ``rev_x``, derived from ``dist`` (the search from
    ``sources`` over ``rev``, which contains ``rev_x``: explained sources and links are a subset).

    A goal that cannot reach a *cut* (the source end of a link ``rev_x`` lacks, ``cut``, or a
    source that is not an explained source) has only explained chains, so its distance is the
    same either way. Only the goals that can reach a cut, found by a search backwards from the
    cuts, are searched again: from their explained links to goals outside that set, whose
    distances are known, then among themselves in order of distance. ``edge(u, v)`` says
    whether the link ``u -> v`` of ``out[u]`` is one of ``rev_x``'s.
    """
    n = len(dist)
    explained_sources = set(sources_x)
    tainted: set[int] = set()
    frontier: list[int] = []
    for u in (*(s for s in sources if s not in explained_sources), *cut):
        if u not in tainted:
            tainted.add(u)
            frontier.append(u)
    limit = n * _TAINT_SHARE
    visits = 0
    while frontier:
        found: list[int] = []
        for v in frontier:
            preds = rev[v]
            visits += len(preds)
            for u in preds:
                if u not in tainted:
                    tainted.add(u)
                    found.append(u)
        if len(tainted) > limit:
            counter.visits += visits
            return _bfs(sources_x, rev_x, n, counter)[0]
        frontier = found
    xdist = dist.copy()
    for u in tainted:
        xdist[u] = -1
    start: dict[int, list[int]] = {}
    for u in tainted:
        if u in explained_sources:
            start.setdefault(0, []).append(u)
            continue
        best = -1
        succ = out[u]
        visits += len(succ)
        for v in succ:
            d = dist[v]
            if d >= 0 and v not in tainted and (best < 0 or d < best) and edge(u, v):
                best = d
        if best >= 0:
            start.setdefault(best + 1, []).append(u)
    depths = sorted(start)
    k = 0
    depth = 0
    current: list[int] = []
    while current or k < len(depths):
        if not current:
            depth = depths[k]
        if k < len(depths) and depths[k] == depth:
            current.extend(start[depth])
            k += 1
        found = []
        for v in current:
            if xdist[v] >= 0:
                continue
            xdist[v] = depth
            preds = rev_x[v]
            visits += len(preds)
            for u in preds:
                if xdist[u] < 0 and u in tainted:
                    found.append(u)
        current = found
        depth += 1
    counter.visits += visits
    return xdist


def _attribute(
    order: list[int],
    dist: list[int],
    out: list[list[int]],
    member: Callable[[int], bool],
    owner: dict[int, int],
    ids: list[str],
    counter: _Counter,
) -> None:
    """Give every member reached at distance d > 0 the owner of a successor at d - 1.

    ``owner`` holds the sources' owners on entry. Among several candidates the owner with the
    smallest goal id wins, so the attribution does not depend on input order.
    """
    visits = 0
    for u in order:
        d = dist[u]
        if d <= 0 or not member(u):
            continue
        best = -1
        succ = out[u]
        visits += len(succ)
        for v in succ:
            if dist[v] == d - 1:
                o = owner.get(v)
                if o is not None and (best < 0 or ids[o] < ids[best]):
                    best = o
        if best >= 0:
            owner[u] = best
    counter.visits += visits


def _strongly_connected(out: list[list[int]], n: int, counter: _Counter) -> list[list[int]]:
    """Tarjan's strongly connected components, iteratively (no recursion limit)."""
    index = [-1] * n
    low = [0] * n
    on_stack = [False] * n
    stack: list[int] = []
    components: list[list[int]] = []
    clock = 0
    visits = 0
    for root in range(n):
        if index[root] >= 0:
            continue
        work: list[tuple[int, int]] = [(root, 0)]
        index[root] = low[root] = clock
        clock += 1
        stack.append(root)
        on_stack[root] = True
        while work:
            v, k = work[-1]
            succ = out[v]
            if k < len(succ):
                work[-1] = (v, k + 1)
                w = succ[k]
                visits += 1
                if index[w] < 0:
                    index[w] = low[w] = clock
                    clock += 1
                    stack.append(w)
                    on_stack[w] = True
                    work.append((w, 0))
                elif on_stack[w] and index[w] < low[v]:
                    low[v] = index[w]
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                if low[v] < low[parent]:
                    low[parent] = low[v]
            if low[v] == index[v]:
                component: list[int] = []
                while True:
                    w = stack.pop()
                    on_stack[w] = False
                    component.append(w)
                    if w == v:
                        break
                components.append(component)
    counter.visits += visits
    return components


def _is_acyclic(out: list[list[int]], indegree: list[int], counter: _Counter) -> bool:
    """Kahn's test: a topological order covers every goal exactly when there is no cycle.

    ``indegree`` counts each goal's incoming links (it is used up)."""
    n = len(out)
    ready = list(compress(range(n), map(operator.not_, indegree)))
    done = 0
    visits = 0
    while ready:
        u = ready.pop()
        done += 1
        succ = out[u]
        visits += len(succ)
        for v in succ:
            indegree[v] -= 1
            if indegree[v] == 0:
                ready.append(v)
    counter.visits += visits + n
    return done == n


collector_paused = _shared_collector_paused
"""Shared with the other passes; see :func:`goalalign._collector.collector_paused`."""


def analyse_chains(cascade: Cascade) -> ChainAnalysis:
    """Analyse every goal's chains in O(goals + links); see the module documentation."""
    with collector_paused():
        return _analyse(cascade)


def _strategic_flags(cascade: Cascade) -> list[bool]:
    """Whether each goal is strategic-level: declared levels are read straight off the goals,
    and :meth:`Cascade.level_of` is asked only when some goal leaves its level undeclared."""
    goals = cascade.goals
    levels = [g.level for g in goals]
    strategic_level = Level.STRATEGIC
    flags = [level is strategic_level for level in levels]
    if None in levels:
        level_of = cascade.level_of
        for i, level in enumerate(levels):
            if level is None:
                flags[i] = level_of(goals[i]) is strategic_level
    return flags


def _analyse(cascade: Cascade) -> ChainAnalysis:
    goals = cascade.goals
    n = len(goals)
    ids = [g.id for g in goals]
    # The cascade's own id index, when every id is unique (always, for a loaded document);
    # a hand-built cascade that repeats an id gets one where the first goal of an id counts.
    index = cascade.goal_positions()
    if len(index) != n:
        index = {}
        for i, goal_id in enumerate(ids):
            index.setdefault(goal_id, i)
    promises = cascade.promise_ids()
    has_purpose = bool(cascade.organisation.purpose)
    strategic = _strategic_flags(cascade)
    counter = _Counter()

    # Goals without successors or predecessors, most of them, share one empty list, which is
    # never appended to; every goal with some gets its own.
    no_goals: list[int] = []
    out: list[list[int]] = [no_goals] * n
    rev: list[list[int]] = [no_goals] * n
    # The same, for links between goals of the same team: the served-team search climbs
    # only those.
    rev_team: list[list[int]] = [no_goals] * n
    # Links kept as parallel flat lists of ints: no tuple per link.
    unexplained_from: list[int] = []
    unexplained_to: list[int] = []
    cross_from: list[int] = []
    cross_to: list[int] = []
    cross_mechanism: list[str | None] = []
    purpose_sources: list[int] = []
    purpose_sources_x: list[int] = []
    # Teams as small ints (numbered in order of first appearance): cheap to compare in the hot
    # loops. ``tag`` folds in whether a goal is strategic (-1), so a link's target costs one read.
    team_names = [g.team for g in goals]
    team_number = {name: k for k, name in enumerate(dict.fromkeys(team_names))}
    teams = list(map(team_number.__getitem__, team_names))
    del team_names
    tag = [-1 if s else t for s, t in zip(strategic, teams, strict=True)]
    goal_kind, promise_kind, purpose_kind = LinkTarget.GOAL, LinkTarget.PROMISE, LinkTarget.PURPOSE
    find = index.get
    for i, goal in enumerate(goals):
        supports = goal.supports
        if not supports:
            continue
        anchored = anchored_x = False
        succ: list[int] | None = None
        team = tag[i]
        follow = team >= 0
        for link in supports:
            kind = link.target_kind
            if kind is goal_kind:
                j = find(link.target_id)  # type: ignore[arg-type]
                if j is None:
                    continue
                if succ is None:
                    succ = out[i] = [j]
                else:
                    succ.append(j)
                if follow:
                    preds = rev[j]
                    if preds:
                        preds.append(i)
                    else:
                        rev[j] = [i]
                    mechanism = link.mechanism
                    if not mechanism:
                        unexplained_from.append(i)
                        unexplained_to.append(j)
                    target_team = tag[j]
                    if target_team == team:
                        preds = rev_team[j]
                        if preds:
                            preds.append(i)
                        else:
                            rev_team[j] = [i]
                    elif target_team >= 0:
                        cross_from.append(i)
                        cross_to.append(j)
                        cross_mechanism.append(mechanism)
            elif (kind is promise_kind and link.target_id in promises) or (
                kind is purpose_kind and has_purpose
            ):
                anchored = True
                if link.mechanism:
                    anchored_x = True
        if anchored:
            purpose_sources.append(i)
        if anchored_x:
            purpose_sources_x.append(i)
    counter.visits += n

    # The explained graph shares every predecessor list without an unexplained link.
    rev_x = rev.copy()
    drop: dict[int, set[int]] = {}
    for i, j in zip(unexplained_from, unexplained_to, strict=True):
        if not any(
            link.target_id == ids[j] and link.mechanism and link.target_kind is goal_kind
            for link in goals[i].supports
        ):
            drop.setdefault(j, set()).add(i)
    rev_team_x = rev_team.copy()
    for j, sources in drop.items():
        rev_x[j] = [u for u in rev[j] if u not in sources]
        if rev_team[j]:
            rev_team_x[j] = [u for u in rev_team[j] if u not in sources]

    result = ChainAnalysis(cascade, ids, index, out, strategic)
    strategic_goals = list(compress(range(n), strategic))
    active = [i for i in strategic_goals if goals[i].status is Status.ACTIVE]
    stale = [i for i in strategic_goals if goals[i].status is not Status.ACTIVE]
    result.dist_strategy, _ = _bfs(active, rev, n, counter)
    # With every link explained the explained searches would repeat the plain ones.
    all_explained = not drop
    # The explained searches start from the plain ones and redo only what an unexplained
    # link can change (see _bfs_explained).
    cut = [u for sources in drop.values() for u in sources]

    def explained(u: int, v: int) -> bool:
        return tag[u] >= 0 and u not in drop.get(v, ())

    def explained_same_team(u: int, v: int) -> bool:
        return tag[u] >= 0 and tag[u] == tag[v] and u not in drop.get(v, ())

    result.xdist_strategy = (
        result.dist_strategy
        if all_explained
        else _bfs_explained(
            result.dist_strategy, active, active, rev_x, out, explained, cut, rev, counter
        )
    )
    result.dist_purpose, _ = _bfs(purpose_sources, rev, n, counter)
    result.xdist_purpose = (
        result.dist_purpose
        if all_explained and purpose_sources_x == purpose_sources
        else _bfs_explained(
            result.dist_purpose,
            purpose_sources,
            purpose_sources_x,
            rev_x,
            out,
            explained,
            cut,
            rev,
            counter,
        )
    )
    dist_stale, stale_order = _bfs(stale, rev, n, counter)
    result.dist_stale = dist_stale

    ds, dp = result.dist_strategy, result.dist_purpose
    xs, xp = result.xdist_strategy, result.xdist_purpose

    # Served teams: sources link straight to a served goal that reaches strategy or purpose;
    # the search then climbs only links inside the source's own team.
    served_sources: list[int] = []
    served_sources_x: list[int] = []
    serves = result.served.by_number(list(team_number))
    for i, j, mechanism in zip(cross_from, cross_to, cross_mechanism, strict=True):
        if ds[j] < 0 and dp[j] < 0:
            continue
        if not serves(teams[i], teams[j]):
            continue
        served_sources.append(i)
        if mechanism and (xs[j] >= 0 or xp[j] >= 0):
            served_sources_x.append(i)
    counter.visits += len(cross_from)
    result.dist_served = _bfs(served_sources, rev_team, n, counter)[0]
    result.xdist_served = (
        result.dist_served
        if all_explained and served_sources_x == served_sources
        else _bfs_explained(
            result.dist_served,
            served_sources,
            served_sources_x,
            rev_team_x,
            out,
            explained_same_team,
            cut,
            rev_team,
            counter,
        )
    )

    # Cycles, from strongly connected components, only when the graph has one.
    # Every link of a goal that is not strategic is in ``rev``; add those of strategic goals.
    indegree = list(map(len, rev))
    for i in strategic_goals:
        for j in out[i]:
            indegree[j] += 1
    if not _is_acyclic(out, indegree, counter):
        cycles = []
        for component in _strongly_connected(out, n, counter):
            if len(component) > 1 or component[0] in out[component[0]]:
                cycles.append(tuple(sorted(component, key=ids.__getitem__)))
        result.cycles = tuple(sorted(cycles, key=lambda c: ids[c[0]]))

    _find_breaks(result, ids, out, rev, ds, dp, dist_stale, strategic, counter)
    if stale:
        _attribute_stale(result, ids, out, ds, dp, dist_stale, stale_order, strategic, counter)
    result.visits = counter.visits
    return result


def _find_breaks(
    result: ChainAnalysis,
    ids: list[str],
    out: list[list[int]],
    rev: list[list[int]],
    ds: list[int],
    dp: list[int],
    dt: list[int],
    strategic: list[bool],
    counter: _Counter,
) -> None:
    """Breaks are the sinks of the goals that reach nothing; attribute the rest to them."""
    n = len(ids)
    unanchored = [
        not s and a < 0 and b < 0 and c < 0
        for s, a, b, c in zip(strategic, ds, dp, dt, strict=True)
    ]
    owner: dict[int, int] = {}
    sources: list[int] = []
    loops: dict[int, tuple[int, ...]] = {}
    for cycle in result.cycles:
        first = cycle[0]
        if not unanchored[first]:
            continue
        members = set(cycle)
        if all(v in members for u in cycle for v in out[u]):
            loops[first] = cycle
            for u in cycle:
                owner[u] = first
                sources.append(u)
    for i in range(n):
        if unanchored[i] and not out[i]:
            owner[i] = i
            sources.append(i)
    if not sources:
        return
    # Only the unanchored goals are searched: every predecessor of an unanchored goal that is
    # itself anchored reaches an anchor some other way.
    no_predecessors: list[int] = []
    rev_u = [no_predecessors] * n
    for v in range(n):
        if unanchored[v]:
            rev_u[v] = [u for u in rev[v] if unanchored[u]]
    dist, order = _bfs(sources, rev_u, n, counter)
    _attribute(order, dist, out, unanchored.__getitem__, owner, ids, counter)
    counts: dict[int, int] = {}
    for o in owner.values():
        counts[o] = counts.get(o, 0) + 1
    breaks: dict[int, Break] = {}
    for o, count in counts.items():
        loop = loops.get(o, (o,))
        breaks[o] = Break(
            goal=ids[o],
            members=tuple(ids[m] for m in loop),
            cut_off=count - len(loop),
            is_loop=o in loops,
        )
    result.breaks = breaks
    result.break_of = owner


def _attribute_stale(
    result: ChainAnalysis,
    ids: list[str],
    out: list[list[int]],
    ds: list[int],
    dp: list[int],
    dt: list[int],
    order: list[int],
    strategic: list[bool],
    counter: _Counter,
) -> None:
    """Goals whose chains end only at stale anchors, attributed to the goal linking to one."""
    n = len(ids)
    stale_only = [
        not strategic[i] and ds[i] < 0 and dp[i] < 0 and dt[i] >= 0 for i in range(n)
    ]
    owner = {i: i for i in range(n) if stale_only[i] and dt[i] == 1}
    if not owner:
        return
    _attribute(order, dt, out, stale_only.__getitem__, owner, ids, counter)
    below: dict[int, int] = dict.fromkeys((o for o in owner if owner[o] == o), 0)
    for u, o in owner.items():
        if u != o:
            below[o] += 1
    result.stale_top_of = owner
    result.stale_below = below


def chain_analysis(ctx: CheckContext) -> ChainAnalysis:
    """The chain analysis of the context's cascade, computed once per check."""
    return ctx.derive(_derive)


def _derive(ctx: CheckContext) -> ChainAnalysis:
    return analyse_chains(ctx.cascade)
