"""The three-question test, per team.

1. **Direction** — which direction of alignment applies? Answered *yes* when the team declares
   a direction or one can be inferred from its goals (:mod:`goalalign.analysis.directions`),
   and its goals do not contradict a declared one. The answer reads the analysis, not the
   findings, so it does not change when the ``directions`` rules are switched off.
2. **Chain** — can the team's goals trace an unbroken cause-effect chain to that anchor?
   *Yes* when the team has at least one active goal and every active goal has a chain with a
   mechanism on every link to the anchor of the team's direction: an active strategic goal
   (strategic), a goal of a served team that itself reaches strategy or purpose (enabling), a
   promise or the purpose (purpose). Without a direction any live anchor will do.
3. **Evidence** — do its KPIs give genuine evidence of the results in that chain? *Yes* when
   the team has at least one active goal and every active goal has at least one KPI with a
   baseline and a target, and no finding of the ``kpis`` family of warning or above is
   reported on the goal, its links or its KPIs.

A team with no active goal has nothing to trace and nothing to measure, so questions 2 and 3
are answered *no* for it: the report should make the empty team visible, not wave it through.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, overload

import attrs

from goalalign.analysis.chains import (
    AnchorKind,
    ChainAnalysis,
    ChainPrinter,
    Step,
    chain_analysis,
    collector_paused,
)
from goalalign.analysis.directions import direction_analysis
from goalalign.domain.model import Direction, Status
from goalalign.engine.context import CheckContext
from goalalign.engine.findings import Finding, Severity, SubjectKind

if TYPE_CHECKING:
    from goalalign.domain.cascade import Cascade
    from goalalign.engine.config import Config

__all__ = [
    "EVIDENCE_FAMILY",
    "TEAM_ANALYSES",
    "GoalChain",
    "TeamAssessment",
    "assess_teams",
    "three_question_test",
]

EVIDENCE_FAMILY = "kpis"
"""The rule family whose warnings and errors on a goal deny question 3."""

_ANCHOR_OF = {
    Direction.STRATEGIC: AnchorKind.STRATEGY.value,
    Direction.ENABLING: AnchorKind.SERVED.value,
    Direction.PURPOSE: AnchorKind.PURPOSE.value,
}
"""The ``reaches`` of a complete chain, per direction (plain strings: read once per goal)."""
_STRATEGY, _PURPOSE, _STALE = (
    AnchorKind.STRATEGY.value,
    AnchorKind.PURPOSE.value,
    AnchorKind.STALE.value,
)


@attrs.frozen(slots=True, init=False, eq=False, repr=False)
class GoalChain:
    """One goal's chain towards the anchor of its team's direction.

    ``steps`` are ``(goal id, mechanism of the link leaving it)``; the last step is the
    anchor (a strategic goal, ``promise:<id>`` or ``purpose``) or, for a broken chain, the
    goal where it stops. ``complete`` says the chain reaches the anchor; ``explained`` that it
    does so with a mechanism on every link. ``reaches`` names the kind of anchor the shown
    chain ends at (an :class:`~goalalign.analysis.chains.AnchorKind` value), ``None`` for a
    chain that stops at a break: an incomplete chain may still end at another direction's
    anchor.

    A check builds a chain for every active goal, but the report prints only the chains that
    are not ``ok``. So the chains :func:`assess_teams` builds are *deferred*: they hold the
    check's shared :class:`~goalalign.analysis.chains.ChainPrinter` (not the context, nor the
    whole chain analysis) and walk ``steps`` the first time someone reads them, then keep the
    steps and let go of the printer. Everything else (``complete``, ``explained``,
    ``reaches``, ``status``) comes from the analysis' distance arrays up front. Equality,
    hashing, ``repr`` and pickling read ``steps``, so a deferred chain behaves exactly like one
    built with its steps; a pickled chain carries its steps, not the printer.
    """

    __match_args__ = ("goal", "steps", "complete", "explained", "reaches")

    goal: str
    _steps: tuple[Step, ...] | None
    complete: bool
    explained: bool
    reaches: str | None
    _source: ChainPrinter | None

    def __init__(
        self,
        goal: str,
        steps: tuple[Step, ...],
        complete: bool,
        explained: bool,
        reaches: str | None = None,
    ) -> None:
        self._fill(goal, steps, complete, explained, reaches, None)

    def _fill(
        self,
        goal: str,
        steps: tuple[Step, ...] | None,
        complete: bool,
        explained: bool,
        reaches: str | None,
        source: ChainPrinter | None,
    ) -> None:
        # The class is frozen: its slots are written through their descriptors, which is
        # some three times faster than ``object.__setattr__`` (a check builds a chain per
        # goal) and, like it, passes the frozen class's ``__setattr__`` by.
        _set_goal(self, goal)
        _set_steps(self, steps)
        _set_complete(self, complete)
        _set_explained(self, explained)
        _set_reaches(self, reaches)
        _set_source(self, source)

    @classmethod
    def _deferred(
        cls,
        goal: str,
        complete: bool,
        explained: bool,
        reaches: str | None,
        source: ChainPrinter,
    ) -> GoalChain:
        """A chain whose steps ``source`` walks on first access.

        No per-chain record of what to walk is needed: the chain shown is the one to the kind
        of anchor it ``reaches`` (or to its break when that is ``None``), and
        :meth:`ChainPrinter.chain` with that kind gives the same steps as without a kind
        whenever it is the nearest one.
        """
        chain = cls.__new__(cls)
        chain._fill(goal, None, complete, explained, reaches, source)
        return chain

    @property
    def steps(self) -> tuple[Step, ...]:
        """The chain's steps, walked on first access (see the class documentation)."""
        # The source is read before the steps and cleared after them, so a chain read from two
        # threads at once never finds neither.
        source = self._source
        steps = self._steps
        if steps is None:
            assert source is not None  # a chain without steps is a deferred one
            kind = None if self.reaches is None else AnchorKind(self.reaches)
            steps = source.chain(self.goal, kind)
            object.__setattr__(self, "_steps", steps)
            object.__setattr__(self, "_source", None)
        return steps

    def _key(self) -> tuple[str, tuple[Step, ...], bool, bool, str | None]:
        return (self.goal, self.steps, self.complete, self.explained, self.reaches)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, GoalChain) or other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (
            f"GoalChain(goal={self.goal!r}, steps={self.steps!r}, complete={self.complete!r}, "
            f"explained={self.explained!r}, reaches={self.reaches!r})"
        )

    def __reduce__(self) -> tuple[type[GoalChain], tuple[Any, ...]]:
        """Pickle the steps, not the printer: a report sent to another process stays
        self-contained, independent of the analysis' internals, and unpickles as an ordinary
        chain."""
        return (GoalChain, (self.goal, self.steps, self.complete, self.explained, self.reaches))

    @property
    def status(self) -> str:
        """``ok``, ``unexplained``, ``off-anchor`` (ends at another direction's anchor) or
        ``broken``."""
        if self.explained:
            return "ok"
        if self.complete:
            return "unexplained"
        return "broken" if self.reaches is None else "off-anchor"

    def to_dict(self) -> dict[str, Any]:
        """The JSON form; ``steps`` are ``[goal id, mechanism]`` pairs.

        Pairs rather than one object per step: the report lists a chain for every active
        goal, and at 100,000 goals the per-step objects made up a third of the JSON.
        """
        return {
            "goal": self.goal,
            "steps": [[goal, mechanism] for goal, mechanism in self.steps],
            "complete": self.complete,
            "explained": self.explained,
            "reaches": self.reaches,
            "status": self.status,
        }

    def render(self) -> str:
        """The chain as ``a --[mechanism]--> b --> s-goal``."""
        parts: list[str] = []
        for goal, mechanism in self.steps[:-1]:
            parts.append(f"{goal} --[{mechanism}]--> " if mechanism else f"{goal} --> ")
        parts.append(self.steps[-1][0])
        return "".join(parts)


def _slot_setter(name: str) -> Callable[[GoalChain, Any], None]:
    """The raw writer of one of :class:`GoalChain`'s slots (its member descriptor's ``__set__``)."""
    setter: Callable[[GoalChain, Any], None] = GoalChain.__dict__[name].__set__
    return setter


_set_goal, _set_steps, _set_complete, _set_explained, _set_reaches, _set_source = (
    _slot_setter(name)
    for name in ("goal", "_steps", "complete", "explained", "reaches", "_source")
)


@attrs.frozen(slots=True)
class TeamAssessment:
    """One team's answers to the three questions, with the evidence behind them."""

    id: str
    name: str
    direction: Direction | None
    direction_inferred: bool
    direction_evidence: Mapping[str, tuple[str, ...]]
    direction_ok: bool
    chain_ok: bool
    evidence_ok: bool
    chains: tuple[GoalChain, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        """Whether all three answers are yes."""
        return self.direction_ok and self.chain_ok and self.evidence_ok

    def to_dict(self, *, all_chains: bool = False) -> dict[str, Any]:
        """The team entry of the JSON report (SPEC section 4), plus name, chains and evidence.

        ``chains`` lists the chains that are not ``ok`` (the evidence behind a "no" to the
        second question), or with ``all_chains`` every goal's; ``chain_status`` counts the
        team's chains by :attr:`GoalChain.status`.
        """
        # A chain is ``ok`` exactly when it is explained: only the others need their status
        # read, and most chains of a large cascade are ``ok``.
        failing = [chain for chain in self.chains if not chain.explained]
        tally = Counter(chain.status for chain in failing)
        if len(failing) < len(self.chains):
            tally["ok"] = len(self.chains) - len(failing)
        shown = self.chains if all_chains else failing
        return {
            "id": self.id,
            "direction": None if self.direction is None else self.direction.value,
            "direction_inferred": self.direction_inferred,
            "three_question_test": {
                "direction": self.direction_ok,
                "chain": self.chain_ok,
                "evidence": self.evidence_ok,
            },
            "name": self.name,
            "chain_status": dict(sorted(tally.items())),
            "chains": [chain.to_dict() for chain in shown],
            "evidence": {key: list(ids) for key, ids in self.direction_evidence.items()},
            "notes": list(self.notes),
        }


def _goals_denied_evidence(ctx: CheckContext, findings: Sequence[Finding]) -> set[str]:
    denied: set[str] = set()
    for finding in findings:
        if finding.family != EVIDENCE_FAMILY or finding.severity.rank < Severity.WARNING.rank:
            continue
        subject = finding.subject
        if subject.kind in (SubjectKind.GOAL, SubjectKind.LINK):
            denied.add(subject.id)
        elif subject.kind is SubjectKind.KPI:
            kpi = ctx.cascade.kpi(subject.id)
            if kpi is not None and kpi.goal is not None:
                denied.add(kpi.goal)
    return denied


def _nearest_kind(chains: ChainAnalysis, i: int) -> str | None:
    """The kind of anchor :meth:`ChainAnalysis.chain` without a kind leads goal ``i`` to."""
    strategy, purpose = chains.dist_strategy[i], chains.dist_purpose[i]
    if strategy >= 0 and (purpose < 0 or strategy <= purpose):
        return _STRATEGY
    if purpose >= 0:
        return _PURPOSE
    if chains.dist_stale[i] >= 0:
        return _STALE
    return None


def _team_chains(
    chains: ChainAnalysis,
    printer: ChainPrinter,
    goal_ids: Sequence[str],
    direction: Direction | None,
) -> tuple[GoalChain, ...]:
    """The chains of one team's goals; their steps are walked only if someone reads them.

    Without a direction, or when the direction's anchor is out of reach, the chain shown is
    the one to the nearest anchor (``reaches``); else the one to the direction's anchor. The
    direction's distance arrays are picked once per team, not once per goal.
    """
    index = chains.index
    deferred = GoalChain._deferred
    built: list[GoalChain] = []
    if direction is None:
        ds, dp = chains.dist_strategy, chains.dist_purpose
        xs, xp = chains.xdist_strategy, chains.xdist_purpose
        for goal_id in goal_ids:
            i = index[goal_id]
            complete = ds[i] >= 0 or dp[i] >= 0
            explained = xs[i] >= 0 or xp[i] >= 0
            built.append(deferred(goal_id, complete, explained, _nearest_kind(chains, i), printer))
        return tuple(built)
    if direction is Direction.STRATEGIC:
        distance, explained_distance = chains.dist_strategy, chains.xdist_strategy
    elif direction is Direction.ENABLING:
        distance, explained_distance = chains.dist_served, chains.xdist_served
    else:
        distance, explained_distance = chains.dist_purpose, chains.xdist_purpose
    anchor = _ANCHOR_OF[direction]
    for goal_id in goal_ids:
        i = index[goal_id]
        if distance[i] >= 0:
            built.append(deferred(goal_id, True, explained_distance[i] >= 0, anchor, printer))
        else:
            built.append(deferred(goal_id, False, False, _nearest_kind(chains, i), printer))
    return tuple(built)


TEAM_ANALYSES = (chain_analysis, direction_analysis)
"""The shared analyses :func:`assess_teams` reads: a check that runs its rules in several
processes derives them in the calling process while the forked ones start (see
:func:`goalalign.engine.runner.run_rules`)."""


def assess_teams(ctx: CheckContext, findings: Sequence[Finding]) -> tuple[TeamAssessment, ...]:
    """Answer the three questions for every team of the cascade, ordered by team id.

    Each team's chains are listed by goal id, so the report does not depend on the order of
    the document.
    """
    with collector_paused():
        return _assess(ctx, findings)


def _assess(ctx: CheckContext, findings: Sequence[Finding]) -> tuple[TeamAssessment, ...]:
    cascade = ctx.cascade
    chains = chain_analysis(ctx)
    printer = chains.printer
    directions = direction_analysis(ctx)
    denied = _goals_denied_evidence(ctx, findings)
    measured = {
        k.goal for k in cascade.kpis if k.baseline is not None and k.target is not None
    }
    index, active = chains.index, Status.ACTIVE
    assessments: list[TeamAssessment] = []
    for team_id in sorted(directions.teams):
        team = cascade.team(team_id)
        record = directions.teams[team_id]
        if team is None:
            continue
        direction = record.direction
        goals = sorted(
            [g.id for g in cascade.goals_of(team_id) if g.status is active and g.id in index]
        )
        goal_chains = _team_chains(chains, printer, goals, direction)
        unmeasured = [g for g in goals if g in denied or g not in measured]
        notes: list[str] = []
        if direction is None:
            notes.append("no direction is declared and none can be inferred from the goals")
        elif record.contradicted:
            notes.append(
                f"declared {direction.value}, but no goal reaches that anchor"
            )
        if not goals:
            notes.append("the team owns no active goal")
        weak = [c.goal for c in goal_chains if not c.explained]
        if weak:
            notes.append("no explained chain to the anchor: " + ", ".join(sorted(weak)))
        if unmeasured:
            notes.append("no KPI evidence: " + ", ".join(sorted(unmeasured)))
        assessments.append(
            TeamAssessment(
                id=team_id,
                name=team.name,
                direction=direction,
                direction_inferred=record.is_inferred,
                direction_evidence=record.evidence,
                direction_ok=direction is not None and not record.contradicted,
                chain_ok=bool(goals) and not weak,
                evidence_ok=bool(goals) and not unmeasured,
                chains=goal_chains,
                notes=tuple(notes),
            )
        )
    return tuple(assessments)


@overload
def three_question_test(
    cascade: Cascade, team_id: None = None, config: Config | None = None
) -> tuple[TeamAssessment, ...]: ...


@overload
def three_question_test(
    cascade: Cascade, team_id: str, config: Config | None = None
) -> TeamAssessment: ...


def three_question_test(
    cascade: Cascade, team_id: str | None = None, config: Config | None = None
) -> TeamAssessment | tuple[TeamAssessment, ...]:
    """The three-question test for one team (by id) or, without ``team_id``, for every team.

    The rules run first (with ``config``), because question 3 reads the KPI findings.
    Raises :class:`KeyError` for an unknown team.
    """
    from goalalign.engine.runner import run_rules

    if team_id is not None and cascade.team(team_id) is None:
        raise KeyError(f"no team is called {team_id!r}")
    result = run_rules(cascade, config)
    assessments = assess_teams(result.context, result.findings)
    result.context.release()
    if team_id is None:
        return assessments
    return next(a for a in assessments if a.id == team_id)
