# ruff: noqa: E501  (the bad/good examples are YAML documents; their lines stay whole)
"""Chain rules: does every goal trace an unbroken, explained chain to an anchor?

All of them read the shared chain analysis (:mod:`goalalign.analysis.chains`). Each problem is
reported once, at its root cause:

* ``orphan-goal`` — an active, non-strategic goal with no ``supports`` link at all, on which no
  other goal relies;
* ``broken-chain`` — a goal that reaches no anchor and on which other goals rely: the point
  where their chains stop. It is the *break*: a goal with no link to an existing goal (no links
  at all, or only links that dangle). The goals cut off above it are counted, not reported;
  each is counted under one break only (the nearest, smallest id on ties). A break that is a
  loop is left to ``contribution-cycle``; one whose links all dangle and that cuts nobody off
  is left to ``dangling-link``;
* ``stale-anchor`` — a goal whose chains end only at deprioritised or retired strategic goals,
  reported at the goal that links straight to the stale goal, with the goals below counted;
* ``unexplained-link`` — one per link without a mechanism (except links that
  ``forced-alignment`` already reports, whose fix is a different link, not a story);
* ``uncovered-strategic-goal`` — an active strategic goal no active goal contributes to.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Mapping
from itertools import compress
from typing import Any

from goalalign.analysis.chains import ChainAnalysis, chain_analysis
from goalalign.analysis.directions import direction_analysis
from goalalign.domain.model import Direction, LinkTarget, Status
from goalalign.engine.context import CheckContext
from goalalign.engine.findings import Hit, Ref
from goalalign.engine.rule import rule

__all__ = [
    "broken_chain",
    "orphan_goal",
    "stale_anchor",
    "uncovered_strategic_goal",
    "unexplained_link",
]

_SAMPLE = 10
"""How many related goals a finding names; the evidence always carries the full count."""

_HEAD = """goalalign: 1
organisation:
  name: Riverbend Clinics
  purpose: Safe, timely care for every patient in the valley
  promises:
    - {id: safe-sites, statement: Every clinic is safe, clean and ready for care}
  as_of: 2026-03-01
teams:
  - {id: board, name: Board}
  - {id: outpatients, name: Outpatients, parent: board, direction: strategic}
goals:
  - id: s-readmit
    team: board
    level: strategic
    statement: Cut 30-day cardiac readmissions from 14% to 10% of discharges by December 2026
    deadline: 2026-12
    kpis: [{name: 30-day cardiac readmission rate, unit: percent, baseline: 14, target: 10, direction: decrease, evidence: result}]
"""

_CLINIC = """  - id: outpatients-followup
    team: outpatients
    level: translational
    statement: Cut the wait for a cardiac follow-up appointment from 21 to 10 days by September 2026
    deadline: 2026-09
{links}    kpis: [{{name: Days from discharge to cardiac follow-up, unit: day, baseline: 21, target: 10, direction: decrease, evidence: result}}]
"""

_LINKED = """    supports:
      - {goal: s-readmit, mechanism: patients seen soon after discharge have their medication corrected before they relapse}
"""

_BASE = _HEAD + _CLINIC.format(links=_LINKED)

_MISSED = """  - id: outpatients-missed
    team: outpatients
    level: operational
    statement: Cut missed cardiac follow-up appointments from 18% to 12% by December 2026
    deadline: 2026-09
{links}    kpis: [{{name: Missed cardiac follow-up rate, unit: percent, baseline: 18, target: 12, direction: decrease, evidence: result}}]
"""

_MISSED_LINKED = """    supports:
      - {goal: outpatients-followup, mechanism: each missed appointment pushes a patient's follow-up back by another week}
"""

_SHIFTS = """  - id: outpatients-shifts
    team: outpatients
    level: operational
    statement: Cut the time to fill a vacant cardiac clinic shift from 10 to 5 days by September 2026
    deadline: 2026-09
{links}    kpis: [{{name: Days to fill a vacant cardiac clinic shift, unit: day, baseline: 10, target: 5, direction: decrease, evidence: result}}]
  - id: outpatients-vacancies
    team: outpatients
    level: operational
    statement: Cut the cardiac nurse vacancy rate from 12% to 8% by September 2026
    deadline: 2026-09
    supports:
      - {{goal: outpatients-shifts, mechanism: vacant shifts are filled from the nurse pool, which runs short while posts stand empty}}
    kpis: [{{name: Cardiac nurse vacancy rate, unit: percent, baseline: 12, target: 8, direction: decrease, evidence: result}}]
"""

_SHIFTS_LINKED = """    supports:
      - {goal: outpatients-followup, mechanism: every unfilled shift cancels a clinic's follow-up appointments}
"""

_ACCESS = """  - id: s-access
    team: board
    level: strategic
    statement: Cut the median wait for a first outpatient appointment from 9 to 7 weeks by March 2027
    deadline: 2027-03
    kpis: [{name: Median weeks to a first outpatient appointment, unit: week, baseline: 9, target: 7, direction: decrease, evidence: result}]
"""


def _sample(goal_ids: list[str]) -> list[str]:
    return heapq.nsmallest(_SAMPLE, goal_ids)


def _attributed(owner_of: dict[int, int]) -> dict[int, list[int]]:
    groups: dict[int, list[int]] = {}
    for goal, owner in owner_of.items():
        if goal != owner:
            groups.setdefault(owner, []).append(goal)
    return groups


@rule(
    name="orphan-goal",
    code="GA201",
    family="chains",
    severity="warning",
    summary="A goal has no chain to any anchor: it supports nothing.",
    rationale=(
        "A goal that supports no strategic goal, no served team's goal, no promise and not "
        "the purpose has no stated reason to exist in this cascade (SMART's Relevant fails). "
        "It may be legitimate work that belongs on an operational dashboard, but then it "
        "should say which promise or purpose it keeps. Strategic goals are anchors "
        "themselves and never orphans."
    ),
    fix="Link the goal to the goal, promise or purpose it contributes to, with the mechanism.",
    bad=_BASE + _MISSED.format(links=""),
    good=_BASE + _MISSED.format(links=_MISSED_LINKED),
)
def orphan_goal(ctx: CheckContext, options: Mapping[str, Any]) -> Iterator[Hit]:
    """A break goal with no links at all and nothing cut off above it."""
    chains = chain_analysis(ctx)
    goals = ctx.cascade.goals
    for owner, found in sorted(chains.breaks.items()):
        goal = goals[owner]
        if found.is_loop or found.cut_off or goal.supports or goal.status is not Status.ACTIVE:
            continue
        yield Hit(
            Ref.goal(goal.id),
            f"goal {goal.id!r} supports no goal, promise or purpose: it has no chain to any anchor",
        )


@rule(
    name="broken-chain",
    code="GA202",
    family="chains",
    severity="warning",
    summary="A chain stops at a goal that itself reaches no anchor (reported at the break).",
    rationale=(
        "When goals link to a goal that links to nothing, every chain through it stops there: "
        "the goals above look aligned, since they have links, yet none reaches the strategy, a "
        "promise or the purpose. Fixing the one goal where the chain breaks repairs them all, "
        "so the finding is reported there once, with the number of goals cut off."
    ),
    fix="Link the break goal to what it contributes to, so the goals relying on it reach an anchor.",
    bad=_BASE + _SHIFTS.format(links=""),
    good=_BASE + _SHIFTS.format(links=_SHIFTS_LINKED),
)
def broken_chain(ctx: CheckContext, options: Mapping[str, Any]) -> Iterator[Hit]:
    """One finding per break (not a loop) that cuts off at least one goal."""
    chains = chain_analysis(ctx)
    goals = ctx.cascade.goals
    groups = _attributed(chains.break_of)
    for owner, found in sorted(chains.breaks.items()):
        if found.is_loop or not found.cut_off:
            continue
        goal = goals[owner]
        below = [chains.ids[u] for u in groups.get(owner, [])]
        direct = sorted(
            chains.ids[u] for u in groups.get(owner, []) if owner in chains.out[u]
        )
        why = "links to no existing goal" if goal.supports else "supports nothing"
        yield Hit(
            Ref.goal(goal.id),
            f"the chain stops at goal {goal.id!r}, which {why}; {found.cut_off} goal(s) "
            "relying on it reach no anchor",
            related=tuple(Ref.goal(g) for g in direct[:_SAMPLE]),
            evidence={"cut_off": found.cut_off, "cut_off_sample": _sample(below)},
        )


def _forced(chains: ChainAnalysis, ctx: CheckContext, goal_team: str, target: int) -> bool:
    """Whether a link to ``target`` is one that ``forced-alignment`` reports instead."""
    if not chains.is_strategic[target] or ctx.cascade.goals[target].team == goal_team:
        return False
    record = direction_analysis(ctx).of(goal_team)
    return record is not None and record.direction in (Direction.ENABLING, Direction.PURPOSE)


@rule(
    name="unexplained-link",
    code="GA203",
    family="chains",
    severity="warning",
    summary="A contribution link has no mechanism: the cause-effect story is missing.",
    rationale=(
        "A link says one result contributes to another; the mechanism says how. Without it the "
        "link is a claim that nobody can test, and thematic resemblance passes for causation. "
        "Links of a support or purpose team straight to strategy are left to forced-alignment, "
        "since adding a story would not make them right."
    ),
    fix="Add a `mechanism:` that says how this result causes the one it supports.",
    bad=_HEAD
    + _CLINIC.format(
        links="""    supports: [s-readmit]
"""
    ),
    good=_BASE,
)
def unexplained_link(ctx: CheckContext, options: Mapping[str, Any]) -> Iterator[Hit]:
    """One finding per link of an active goal without a mechanism to an existing target."""
    chains = chain_analysis(ctx)
    cascade = ctx.cascade
    promises = cascade.promise_ids()
    has_purpose = bool(cascade.organisation.purpose)
    for goal in cascade.goals:
        if goal.status is not Status.ACTIVE:
            continue
        for link in goal.supports:
            if link.mechanism:
                continue
            kind = link.target_kind
            if kind is LinkTarget.GOAL:
                target_index = chains.index.get(str(link.target_id))
                if target_index is None or _forced(chains, ctx, goal.team, target_index):
                    continue
                target, what = str(link.target_id), f"goal {link.target_id!r}"
            elif kind is LinkTarget.PROMISE:
                if link.target_id not in promises:
                    continue
                target, what = str(link.target_id), f"promise {link.target_id!r}"
            else:
                if not has_purpose:
                    continue
                target, what = "purpose", "the organisation's purpose"
            yield Hit(
                Ref.link(goal.id, target),
                f"goal {goal.id!r} claims to support {what} but says not how",
                related=(Ref.goal(target),) if kind is LinkTarget.GOAL else (),
            )


@rule(
    name="stale-anchor",
    code="GA204",
    family="chains",
    severity="warning",
    summary="A goal's chains end only at deprioritised or retired strategic goals.",
    rationale=(
        "Strategy changes; goals anchored to a strategic goal that was dropped keep consuming "
        "effort for a result nobody has chosen to change any more. The finding is reported at "
        "the goal that links straight to the stale goal, with the goals relying on it counted."
    ),
    fix="Re-anchor the goal to an active strategic goal, a served team's goal or purpose, or retire it.",
    bad=_HEAD.replace(
        "    level: strategic\n", "    level: strategic\n    status: retired\n"
    )
    + _CLINIC.format(links=_LINKED),
    good=_BASE,
)
def stale_anchor(ctx: CheckContext, options: Mapping[str, Any]) -> Iterator[Hit]:
    """One finding per goal that links straight to a stale anchor and reaches nothing live."""
    chains = chain_analysis(ctx)
    cascade = ctx.cascade
    goals = cascade.goals
    groups = _attributed(chains.stale_top_of)
    for top in sorted(chains.stale_below):
        goal = goals[top]
        anchors = sorted(
            {
                chains.ids[j]
                for j in chains.out[top]
                if chains.is_strategic[j] and goals[j].status is not Status.ACTIVE
            }
        )
        statuses = {a: str(goals[chains.index[a]].status) for a in anchors}
        below = chains.stale_below[top]
        message = (
            f"goal {goal.id!r} contributes only to "
            + ", ".join(f"{statuses[a]} strategic goal {a!r}" for a in anchors)
        )
        if below:
            message += f"; {below} goal(s) relying on it are anchored there too"
        yield Hit(
            Ref.goal(goal.id),
            message,
            related=tuple(Ref.goal(a) for a in anchors),
            evidence={
                "anchors": statuses,
                "below": below,
                "below_sample": _sample([chains.ids[u] for u in groups.get(top, [])]),
            },
        )


@rule(
    name="uncovered-strategic-goal",
    code="GA205",
    family="chains",
    severity="warning",
    summary="An active strategic goal to which nothing contributes.",
    rationale=(
        "A strategic goal that no goal supports is intent without execution: no team has "
        "taken on a result that moves it. Either a contribution is missing from the cascade "
        "or the goal is not really part of the strategy."
    ),
    fix="Give a team a goal that contributes to it (with the mechanism), or drop it from the strategy.",
    bad=_BASE + _ACCESS,
    good=_BASE,
)
def uncovered_strategic_goal(ctx: CheckContext, options: Mapping[str, Any]) -> Iterator[Hit]:
    """One finding per active strategic-level goal with no active contributor."""
    chains = chain_analysis(ctx)
    goals = ctx.cascade.goals
    n = len(goals)
    # Only links into active strategic goals matter. A goal that is not strategic and links to
    # one is exactly one link from the strategy, so the contributors are among the goals at
    # distance 1 and the strategic goals themselves; the rest are never read.
    strategic = list(compress(range(n), chains.is_strategic))
    at_one = compress(range(n), map((1).__eq__, chains.dist_strategy))
    covered = [False] * n
    for u in (*strategic, *at_one):
        if goals[u].status is Status.ACTIVE:
            for v in chains.out[u]:
                if v != u:
                    covered[v] = True
    for i, goal in enumerate(goals):
        if (
            chains.is_strategic[i]
            and goal.status is Status.ACTIVE
            and not covered[i]
            and chains.index.get(goal.id) == i
        ):
            yield Hit(
                Ref.goal(goal.id),
                f"strategic goal {goal.id!r} has no goal contributing to it",
            )
