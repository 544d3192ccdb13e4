"""Each team's direction of alignment: declared, or inferred from where its goals' chains end.

Every active goal gets one *primary class*, read from the chain analysis
(:mod:`goalalign.analysis.chains`), in this order:

1. a strategic-level goal is **strategic**: it is the strategy;
2. a goal that reaches a goal of a team its team serves (and, through it, strategy or purpose)
   is **enabling**: the horizontal route comes first because it is what a support team owes;
3. a goal whose nearest live anchor is an active strategic goal is **strategic**, one whose
   nearest is a promise or the purpose is **purpose** (strategy wins a tie);
4. a goal whose chains end only at deprioritised or retired strategic goals is still
   **strategic** in intent (the ``stale-anchor`` rule reports the dead end);
5. otherwise it has no class: it reaches nothing.

A team's *inferred* direction is the class most of its active goals have; a tie goes to
enabling, then purpose, then strategic, because a narrower direction backed by as many goals as
the strategic one is the more specific statement about the team (and a link straight to
strategy is exactly what forced alignment produces). A team none of whose goals has a class
is *undetermined*. A declared direction always wins; it is *contradicted* when some active goal
of the team reaches an anchor but none reaches the declared one (strategic: strategy, stale or
not; enabling: a served team's goal; purpose: a promise or the purpose).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import attrs

from goalalign.analysis.chains import ChainAnalysis, analyse_chains, chain_analysis
from goalalign.domain.cascade import Cascade
from goalalign.domain.model import Direction, Status

if TYPE_CHECKING:
    from goalalign.engine.context import CheckContext

__all__ = [
    "DirectionAnalysis",
    "TeamDirection",
    "analyse_directions",
    "direction_analysis",
    "goal_classes",
]

_TIE_ORDER = (Direction.ENABLING, Direction.PURPOSE, Direction.STRATEGIC)


@attrs.frozen(slots=True)
class TeamDirection:
    """A team's direction and the goals that back it.

    ``evidence`` maps each direction (by value) to the ids of the team's active goals whose
    primary class it is, sorted; ``unanchored`` lists those that reach nothing.
    ``active_goals`` counts the active goals the direction is inferred from, ``goals`` all the
    team's goals whatever their status.
    ``contradicted`` is true when a declared direction is reached by none of the team's goals
    although some of them reach another anchor.
    """

    team: str
    declared: Direction | None
    inferred: Direction | None
    evidence: Mapping[str, tuple[str, ...]]
    unanchored: tuple[str, ...]
    contradicted: bool
    active_goals: int
    goals: int = 0

    @property
    def direction(self) -> Direction | None:
        """The declared direction, else the inferred one, else ``None`` (undetermined)."""
        return self.declared if self.declared is not None else self.inferred

    @property
    def is_inferred(self) -> bool:
        """Whether :attr:`direction` was inferred rather than declared."""
        return self.declared is None and self.inferred is not None

    def counts(self) -> dict[str, int]:
        """How many active goals back each direction."""
        return {key: len(ids) for key, ids in self.evidence.items()}

    def to_dict(self) -> dict[str, object]:
        """Plain data for reports."""
        return {
            "declared": None if self.declared is None else self.declared.value,
            "inferred": None if self.inferred is None else self.inferred.value,
            "goals": {key: list(ids) for key, ids in self.evidence.items()},
            "unanchored": list(self.unanchored),
            "contradicted": self.contradicted,
        }


@attrs.frozen(slots=True, eq=False)
class DirectionAnalysis:
    """Directions of every team (by id) and the primary class of every active goal."""

    teams: Mapping[str, TeamDirection]
    goal_class: Mapping[str, Direction | None]

    def of(self, team_id: str) -> TeamDirection | None:
        """The direction record of ``team_id``."""
        return self.teams.get(team_id)


def goal_classes(cascade: Cascade, chains: ChainAnalysis) -> dict[str, Direction | None]:
    """The primary class of every active goal (see the module documentation)."""
    ds, dp, dt = chains.dist_strategy, chains.dist_purpose, chains.dist_stale
    dv, strategic = chains.dist_served, chains.is_strategic
    index, active = chains.index, Status.ACTIVE
    classes: dict[str, Direction | None] = {}
    for i, goal in enumerate(cascade.goals):
        if goal.status is not active or index.get(goal.id) != i:
            continue
        s, p = ds[i], dp[i]
        if strategic[i]:
            cls: Direction | None = Direction.STRATEGIC
        elif dv[i] >= 0:
            cls = Direction.ENABLING
        elif s >= 0 and (p < 0 or s <= p):
            cls = Direction.STRATEGIC
        elif p >= 0:
            cls = Direction.PURPOSE
        elif dt[i] >= 0:
            cls = Direction.STRATEGIC
        else:
            cls = None
        classes[goal.id] = cls
    return classes


def _compatible(chains: ChainAnalysis, i: int, direction: Direction) -> bool:
    if direction is Direction.STRATEGIC:
        return chains.is_strategic[i] or chains.dist_strategy[i] >= 0 or chains.dist_stale[i] >= 0
    if direction is Direction.ENABLING:
        return chains.dist_served[i] >= 0
    return chains.dist_purpose[i] >= 0


def analyse_directions(cascade: Cascade, chains: ChainAnalysis | None = None) -> DirectionAnalysis:
    """Declared and inferred directions of every team, in O(goals)."""
    chains = chains or analyse_chains(cascade)
    classes = goal_classes(cascade, chains)
    teams: dict[str, TeamDirection] = {}
    for team in cascade.teams:
        if team.id in teams:
            continue
        evidence: dict[Direction, list[str]] = {d: [] for d in Direction}
        unanchored: list[str] = []
        compatible = False
        anchored = False
        active = 0
        owned = cascade.goals_of(team.id)
        for goal in owned:
            if goal.id not in classes:
                continue
            active += 1
            cls = classes[goal.id]
            if cls is None:
                unanchored.append(goal.id)
                continue
            anchored = True
            evidence[cls].append(goal.id)
            if team.direction is not None and not compatible:
                compatible = _compatible(chains, chains.index[goal.id], team.direction)
        best = max((len(ids) for ids in evidence.values()), default=0)
        inferred = next((d for d in _TIE_ORDER if best and len(evidence[d]) == best), None)
        teams[team.id] = TeamDirection(
            team=team.id,
            declared=team.direction,
            inferred=inferred,
            evidence={d.value: tuple(sorted(ids)) for d, ids in evidence.items() if ids},
            unanchored=tuple(sorted(unanchored)),
            contradicted=team.direction is not None and anchored and not compatible,
            active_goals=active,
            goals=len(owned),
        )
    return DirectionAnalysis(teams=teams, goal_class=classes)


def direction_analysis(ctx: CheckContext) -> DirectionAnalysis:
    """The direction analysis of the context's cascade, computed once per check."""
    return ctx.derive(_derive)


def _derive(ctx: CheckContext) -> DirectionAnalysis:
    return analyse_directions(ctx.cascade, chain_analysis(ctx))
