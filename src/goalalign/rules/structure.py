# ruff: noqa: E501  (the bad/good examples are YAML documents; their lines stay whole)
"""Structure rules: references that point nowhere, loops, and links that run the wrong way.

These rules check the skeleton of the cascade before anything reads meaning into it: every id a
document names must exist, contribution links must not loop, and a link must run up the
cascade, from a lower level to a higher one and from an earlier result to a later one.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import Any

from goalalign.analysis.chains import chain_analysis, collector_paused
from goalalign.domain.model import Level, Link, LinkTarget
from goalalign.engine.context import CheckContext
from goalalign.engine.findings import Hit, Ref
from goalalign.engine.rule import rule

__all__ = ["contribution_cycle", "dangling_link", "deadline_after_parent", "level_inversion"]

_SUGGEST_LIMIT = 5000
"""Close-match suggestions are offered only among at most this many ids, to stay linear."""

_HEAD = """goalalign: 1
organisation:
  name: Harbour Housing
  purpose: Every resident of the harbour district can find a safe, affordable home
  as_of: 2026-03-01
"""

_TEAMS = """teams:
  - {id: board, name: Board}
  - {id: lettings, name: Lettings, parent: board, direction: strategic}
"""

_STRATEGIC_GOAL = """  - id: s-wait
    team: board
    level: strategic
    statement: Cut the median wait for a social home from 26 to 18 months by June 2027
    deadline: 2027-06
    kpis: [{name: Median wait for a social home, unit: month, baseline: 26, target: 18, direction: decrease}]
"""


_OFFERS = """  - id: lettings-offers
    team: lettings
    level: translational
    statement: Make 95% of first offers of a home within 7 days of a match, up from 70%, by March 2027
    deadline: 2027-03
    supports:
      - {goal: TARGET, mechanism: a household matched but not yet offered a home is still on the waiting list}
    kpis: [{name: Share of first offers within 7 days of a match, unit: percent, baseline: 70, target: 95, direction: increase, evidence: result}]
"""


def _hint(name: str, known: Iterable[str], size: int) -> str:
    if size > _SUGGEST_LIMIT:
        return ""
    close = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


@rule(
    name="dangling-link",
    code="GA101",
    family="structure",
    severity="error",
    summary="A link, parent, serves, team or KPI reference names something that does not exist.",
    rationale=(
        "A reference to a missing goal, team, promise or KPI silently drops a piece of the "
        "cascade: the chain it should carry stops there, and every rule that follows it sees "
        "less than the author wrote. It is usually a typo or a goal that was renamed."
    ),
    fix="Correct the id to one that exists, or remove the reference.",
    bad=_HEAD
    + _TEAMS
    + """goals:
"""
    + _STRATEGIC_GOAL
    + """  - id: lettings-turnaround
    team: lettings
    level: translational
    statement: Re-let vacated homes within 21 days, down from 45, by March 2027
    deadline: 2027-03
    supports:
      - {goal: s-wait, mechanism: every day a vacated home stands empty is a day a waiting household is not housed}
    kpis: [{name: Days from vacancy to new tenancy, unit: day, baseline: 45, target: 21, direction: decrease}]
"""
    + _OFFERS.replace("TARGET", "s-waitlist"),
    good=_HEAD
    + _TEAMS
    + """goals:
"""
    + _STRATEGIC_GOAL
    + """  - id: lettings-turnaround
    team: lettings
    level: translational
    statement: Re-let vacated homes within 21 days, down from 45, by March 2027
    deadline: 2027-03
    supports:
      - {goal: s-wait, mechanism: every day a vacated home stands empty is a day a waiting household is not housed}
    kpis: [{name: Days from vacancy to new tenancy, unit: day, baseline: 45, target: 21, direction: decrease}]
"""
    + _OFFERS.replace("TARGET", "s-wait"),
)
def dangling_link(ctx: CheckContext, options: Mapping[str, Any]) -> Iterator[Hit]:
    """One finding per reference to something missing."""
    cascade = ctx.cascade
    # The cascade's own id index serves as the set of goal ids: no second one is built.
    goal_ids = cascade.goal_positions()
    team_ids = {t.id for t in cascade.teams}
    promises = cascade.promise_ids()
    has_purpose = bool(cascade.organisation.purpose)
    goal_kind = LinkTarget.GOAL

    for team in cascade.teams:
        if team.parent is not None and team.parent not in team_ids:
            yield Hit(
                Ref.team(team.id),
                f"team {team.id!r} names parent {team.parent!r}, which is not a team"
                + _hint(team.parent, team_ids, len(team_ids)),
                evidence={"field": "parent", "missing": team.parent},
            )
        for served in team.serves:
            if served not in team_ids:
                yield Hit(
                    Ref.team(team.id),
                    f"team {team.id!r} serves {served!r}, which is not a team"
                    + _hint(served, team_ids, len(team_ids)),
                    evidence={"field": "serves", "missing": served},
                )

    for goal in cascade.goals:
        if goal.team not in team_ids:
            yield Hit(
                Ref.goal(goal.id),
                f"goal {goal.id!r} belongs to team {goal.team!r}, which does not exist"
                + _hint(goal.team, team_ids, len(team_ids)),
                evidence={"field": "team", "missing": goal.team},
                team=goal.team,
            )
        for field, links in (("supports", goal.supports), ("hinders", goal.hinders)):
            for link in links:
                # most links name an existing goal: settle those before anything else
                if link.target_kind is goal_kind and link.target_id in goal_ids:
                    continue
                hit = _missing_target(goal.id, field, link, goal_ids, promises, has_purpose)
                if hit is not None:
                    yield hit

    kpi_ids: set[str] | None = None
    for kpi in cascade.kpis:
        if kpi.goal is not None and kpi.goal not in goal_ids:
            yield Hit(
                Ref.kpi(kpi.id),
                f"KPI {kpi.id!r} measures goal {kpi.goal!r}, which does not exist"
                + _hint(kpi.goal, goal_ids, len(goal_ids)),
                evidence={"field": "goal", "missing": kpi.goal},
            )
        if kpi.share_of is not None and cascade.kpi(kpi.share_of) is None:
            if kpi_ids is None:  # only to suggest a close id, once
                kpi_ids = {k.id for k in cascade.kpis}
            yield Hit(
                Ref.kpi(kpi.id),
                f"KPI {kpi.id!r} is a share of KPI {kpi.share_of!r}, which does not exist"
                + _hint(kpi.share_of, kpi_ids, len(kpi_ids)),
                evidence={"field": "share_of", "missing": kpi.share_of},
            )


def _missing_target(
    goal_id: str,
    field: str,
    link: Link,
    goal_ids: Collection[str],
    promises: frozenset[str],
    has_purpose: bool,
) -> Hit | None:
    """The finding for one link of ``goal_id`` whose target does not exist, else ``None``."""
    if link.target_kind is LinkTarget.GOAL:
        target = str(link.target_id)
        if target in goal_ids:
            return None
        message = f"goal {goal_id!r} {field} goal {target!r}, which does not exist"
        message += _hint(target, goal_ids, len(goal_ids))
    elif link.target_kind is LinkTarget.PROMISE:
        target = str(link.target_id)
        if target in promises:
            return None
        message = f"goal {goal_id!r} {field} promise {target!r}, which is not made"
        message += _hint(target, promises, len(promises))
    else:
        if has_purpose:
            return None
        target = "purpose"
        message = f"goal {goal_id!r} links to the organisation's purpose, but the document states none"
    return Hit(
        Ref.link(goal_id, target),
        message,
        evidence={"field": field, "missing": target},
    )


@rule(
    name="contribution-cycle",
    code="GA102",
    family="structure",
    severity="error",
    summary="Goals contribute to each other in a loop.",
    rationale=(
        "Contribution runs one way: a result causes a higher result. When goals support each "
        "other in a loop, no goal in it can be traced to an anchor through the loop, and "
        "roll-ups over it count the same results twice. One finding is reported per loop, "
        "at its goal with the smallest id."
    ),
    fix="Decide which goal causes which and remove the link that runs back down.",
    bad=_HEAD
    + _TEAMS
    + """goals:
"""
    + _STRATEGIC_GOAL
    + """  - id: lettings-turnaround
    team: lettings
    level: translational
    statement: Re-let vacated homes within 21 days, down from 45, by March 2027
    deadline: 2027-03
    supports:
      - {goal: s-wait, mechanism: every day a vacated home stands empty is a day a waiting household is not housed}
    kpis: [{name: Days from vacancy to new tenancy, unit: day, baseline: 45, target: 21, direction: decrease}]
  - id: lettings-repairs
    team: lettings
    level: operational
    statement: Finish void repairs within 10 days, down from 30, by December 2026
    deadline: 2026-12
    supports:
      - {goal: lettings-turnaround, mechanism: a home cannot be let until its repairs are signed off}
      - {goal: lettings-inspections, mechanism: finished repairs release the inspectors' waiting list}
    kpis: [{name: Days to complete void repairs, unit: day, baseline: 30, target: 10, direction: decrease}]
  - id: lettings-inspections
    team: lettings
    level: operational
    statement: Cut the time from key return to inspection of a vacated home from 12 to 6 days by December 2026
    deadline: 2026-12
    supports:
      - {goal: lettings-repairs, mechanism: repairs start only once the inspection lists what is broken}
    kpis: [{name: Days from key return to inspection, unit: day, baseline: 12, target: 6, direction: decrease}]
""",
    good=_HEAD
    + _TEAMS
    + """goals:
"""
    + _STRATEGIC_GOAL
    + """  - id: lettings-turnaround
    team: lettings
    level: translational
    statement: Re-let vacated homes within 21 days, down from 45, by March 2027
    deadline: 2027-03
    supports:
      - {goal: s-wait, mechanism: every day a vacated home stands empty is a day a waiting household is not housed}
    kpis: [{name: Days from vacancy to new tenancy, unit: day, baseline: 45, target: 21, direction: decrease}]
  - id: lettings-repairs
    team: lettings
    level: operational
    statement: Finish void repairs within 10 days, down from 30, by December 2026
    deadline: 2026-12
    supports:
      - {goal: lettings-turnaround, mechanism: a home cannot be let until its repairs are signed off}
    kpis: [{name: Days to complete void repairs, unit: day, baseline: 30, target: 10, direction: decrease}]
""",
)
def contribution_cycle(ctx: CheckContext, options: Mapping[str, Any]) -> Iterator[Hit]:
    """One finding per strongly connected component of more than one goal, or self-loop."""
    chains = chain_analysis(ctx)
    ids = chains.ids
    for cycle in chains.cycles:
        first = ids[cycle[0]]
        others = [ids[i] for i in cycle[1:]]
        evidence: dict[str, Any] = {"goals": [first, *others], "size": len(cycle)}
        loop_break = chains.breaks.get(cycle[0])
        if loop_break is not None and loop_break.is_loop:
            evidence["reaches_anchor"] = False
            evidence["cut_off"] = loop_break.cut_off
        if others:
            message = f"goals {', '.join([first, *others])} contribute to each other in a loop"
        else:
            message = f"goal {first!r} is linked as contributing to itself"
        if loop_break is not None and loop_break.is_loop:
            message += "; the loop reaches no anchor"
            if loop_break.cut_off:
                message += f", cutting off {loop_break.cut_off} goal(s) below it"
        yield Hit(
            Ref.goal(first),
            message,
            related=tuple(Ref.goal(o) for o in others),
            evidence=evidence,
        )


@rule(
    name="level-inversion",
    code="GA103",
    family="structure",
    severity="warning",
    summary="A goal contributes to a goal at a lower level of the cascade than its own.",
    rationale=(
        "A cascade translates intent downwards: strategic goals are served by translational "
        "ones, which are served by operational ones. A translational goal that supports an "
        "operational goal runs the cascade upside down, and usually means one of the two "
        "levels is wrong. Only declared levels are compared; inferred levels come from the "
        "links themselves and cannot contradict them."
    ),
    fix="Correct the level of one of the two goals, or reverse the link.",
    bad=_HEAD
    + _TEAMS
    + """goals:
"""
    + _STRATEGIC_GOAL
    + """  - id: lettings-turnaround
    team: lettings
    level: operational
    statement: Re-let vacated homes within 21 days, down from 45, by March 2027
    deadline: 2027-03
    supports:
      - {goal: s-wait, mechanism: every day a vacated home stands empty is a day a waiting household is not housed}
    kpis: [{name: Days from vacancy to new tenancy, unit: day, baseline: 45, target: 21, direction: decrease}]
  - id: lettings-repairs
    team: lettings
    level: translational
    statement: Finish void repairs within 10 days, down from 30, by December 2026
    deadline: 2026-12
    supports:
      - {goal: lettings-turnaround, mechanism: a home cannot be let until its repairs are signed off}
    kpis: [{name: Days to complete void repairs, unit: day, baseline: 30, target: 10, direction: decrease}]
""",
    good=_HEAD
    + _TEAMS
    + """goals:
"""
    + _STRATEGIC_GOAL
    + """  - id: lettings-turnaround
    team: lettings
    level: translational
    statement: Re-let vacated homes within 21 days, down from 45, by March 2027
    deadline: 2027-03
    supports:
      - {goal: s-wait, mechanism: every day a vacated home stands empty is a day a waiting household is not housed}
    kpis: [{name: Days from vacancy to new tenancy, unit: day, baseline: 45, target: 21, direction: decrease}]
  - id: lettings-repairs
    team: lettings
    level: operational
    statement: Finish void repairs within 10 days, down from 30, by December 2026
    deadline: 2026-12
    supports:
      - {goal: lettings-turnaround, mechanism: a home cannot be let until its repairs are signed off}
    kpis: [{name: Days to complete void repairs, unit: day, baseline: 30, target: 10, direction: decrease}]
""",
)
def level_inversion(ctx: CheckContext, options: Mapping[str, Any]) -> Iterator[Hit]:
    """One finding per link from a declared level to a lower declared level."""
    goals = ctx.cascade.goals
    # The chain analysis has resolved every link to an existing goal already (``out``, in link
    # order); the declared ranks are read once per goal into a flat list (-1: undeclared).
    out = chain_analysis(ctx).out
    rank_of: dict[Level | None, int] = {level: level.rank for level in Level}
    rank_of[None] = -1
    ranks = [rank_of[g.level] for g in goals]
    for i, succ in enumerate(out):
        if not succ:
            continue
        rank = ranks[i]
        if rank < 0:
            continue
        for j in succ:
            if ranks[j] > rank:
                goal, target = goals[i], goals[j]
                level, target_level = goal.level, target.level
                assert level is not None
                assert target_level is not None
                yield Hit(
                    Ref.link(goal.id, target.id),
                    f"{level.value} goal {goal.id!r} contributes to "
                    f"{target_level.value} goal {target.id!r}, lower in the cascade",
                    related=(Ref.goal(target.id),),
                    evidence={"level": level.value, "target_level": target_level.value},
                )


@rule(
    name="deadline-after-parent",
    code="GA104",
    family="structure",
    severity="warning",
    summary="A goal is due after the goal it contributes to.",
    rationale=(
        "A contributing result has to arrive before the result it feeds, or it cannot count "
        "towards it. A supporting goal due after its parent either has the wrong deadline or "
        "does not really contribute to that parent in this period. Only deadlines that both "
        "goals state are compared."
    ),
    fix="Bring the supporting goal's deadline forward, or link it to a later goal.",
    bad=_HEAD
    + _TEAMS
    + """goals:
"""
    + _STRATEGIC_GOAL
    + """  - id: lettings-turnaround
    team: lettings
    level: translational
    statement: Re-let vacated homes within 21 days, down from 45, by December 2027
    deadline: 2027-12
    supports:
      - {goal: s-wait, mechanism: every day a vacated home stands empty is a day a waiting household is not housed}
    kpis: [{name: Days from vacancy to new tenancy, unit: day, baseline: 45, target: 21, direction: decrease}]
""",
    good=_HEAD
    + _TEAMS
    + """goals:
"""
    + _STRATEGIC_GOAL
    + """  - id: lettings-turnaround
    team: lettings
    level: translational
    statement: Re-let vacated homes within 21 days, down from 45, by March 2027
    deadline: 2027-03
    supports:
      - {goal: s-wait, mechanism: every day a vacated home stands empty is a day a waiting household is not housed}
    kpis: [{name: Days from vacancy to new tenancy, unit: day, baseline: 45, target: 21, direction: decrease}]
""",
)
def deadline_after_parent(ctx: CheckContext, options: Mapping[str, Any]) -> Iterator[Hit]:
    """One finding per link whose source is due after its target."""
    with collector_paused():
        hits = list(_deadlines_after_parent(ctx))
    yield from hits


def _deadlines_after_parent(ctx: CheckContext) -> Iterator[Hit]:
    """The hits of :func:`deadline_after_parent`, with per-goal pieces derived once.

    A generated cascade at 100,000 goals yields tens of thousands of these findings, and
    many links share a target: the target's reference and message tail, and each goal's
    ISO date, are built once per goal rather than once per finding. The hits are collected
    with the cyclic collector paused (see :func:`collector_paused`), since they form no cycles.
    """
    goals = ctx.cascade.goals
    out = chain_analysis(ctx).out
    ends = [None if g.deadline is None else g.deadline.end for g in goals]
    # Per target position: (related refs, message tail, ISO deadline).
    targets: dict[int, tuple[tuple[Ref, ...], str, str]] = {}
    for i, succ in enumerate(out):
        if not succ:
            continue
        end = ends[i]
        if end is None:
            continue
        head: str | None = None
        iso = ""
        for j in succ:
            target_end = ends[j]
            if target_end is None or not end > target_end:
                continue
            goal, target = goals[i], goals[j]
            known = targets.get(j)
            if known is None:
                target_deadline = target.deadline
                assert target_deadline is not None
                known = (
                    (Ref.goal(target.id),),
                    f"goal {target.id!r} it contributes to ({target_deadline.text}, "
                    f"{target_deadline.end})",
                    target_deadline.end.isoformat(),
                )
                targets[j] = known
            if head is None:
                deadline = goal.deadline
                assert deadline is not None
                iso = end.isoformat()
                head = f"goal {goal.id!r} is due {deadline.text} ({iso}), after "
            yield Hit(
                Ref.link(goal.id, target.id),
                head + known[1],
                related=known[0],
                evidence={"deadline": iso, "target_deadline": known[2]},
            )
