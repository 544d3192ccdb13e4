# ruff: noqa: E501  (the bad/good examples are YAML documents; their lines stay whole)
"""Focus rules: too many goals, too many priorities, goals nobody has looked at for a while.

Strategy is the choice of the few results to change; a team with a dozen goals, or a strategy
with a dozen priorities, has not chosen. Only active goals count: deprioritised and retired
goals are the record of choices already made.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import timedelta
from typing import Any

from goalalign.analysis.chains import chain_analysis
from goalalign.domain.model import Status
from goalalign.engine.context import CheckContext
from goalalign.engine.findings import Hit, Ref
from goalalign.engine.rule import Option, rule

__all__ = ["stale_review", "too_many_goals", "too_many_priorities"]

_HEAD = """goalalign: 1
organisation:
  name: Northgate Libraries
  purpose: Free access to books, learning and a quiet place to work for everyone in Northgate
  as_of: 2026-06-01
teams:
  - {id: board, name: Library Board}
  - {id: branches, name: Branch Services, parent: board, direction: strategic}
  - {id: programmes, name: Programmes, parent: board, direction: strategic}
  - {id: cabinet, name: Strategy Cabinet, parent: board}
goals:
"""

_STRATEGIC = """  - id: s-members
    team: board
    level: strategic
    statement: Grow active library members from 21,000 to 26,000 by December 2026
    deadline: 2026-12
    last_reviewed: 2026-05-02
    kpis: [{name: Active library members, unit: count, baseline: 21000, target: 26000, direction: increase, evidence: result}]
"""

_BRANCH_GOALS = (
    ("holds", "Cut the wait for a reserved book from 14 to 10 days by December 2026", "Days from reservation to collection", "day", 14, 10, "decrease", "members who get their reservations quickly keep borrowing"),
    ("renewals", "Raise the membership renewal rate from 62% to 70% by December 2026", "Membership renewal rate", "percent", 62, 70, "increase", "a member who renews this year stays on the roll instead of lapsing"),
    ("rating", "Raise the share of visitors rating their branch good or better from 78% to 85% by December 2026", "Visitors rating their branch good or better", "percent", 78, 85, "increase", "visitors who like their branch come back and bring friends who join"),
    ("cost", "Cut the cost per active member from $38 to $34 by December 2026", "Cost per active member", "USD", 38, 34, "decrease", "each dollar saved per member funds outreach that brings new members in"),
    ("queue", "Cut the median queue at the returns desk from 9 to 6 minutes by December 2026", "Median minutes queuing at the returns desk", "minute", 9, 6, "decrease", "short queues stop members giving up on a visit and letting their card lapse"),
    ("repairs", "Cut the days a public computer stands broken from 12 to 8 by December 2026", "Days a broken public computer waits for repair", "day", 12, 8, "decrease", "residents who cannot get online at home join for the computers and leave when they are broken"),
)


def _branch_goals(count: int, reviewed: str = "2026-05-02", lead: str = "") -> str:
    parts = []
    for key, statement, kpi, unit, baseline, target, change, mechanism in _BRANCH_GOALS[:count]:
        parts.append(
            f"""  - id: {lead}branches-{key}
    team: branches
    level: translational
    statement: {statement}
    deadline: 2026-12
    last_reviewed: {reviewed}
    supports:
      - {{goal: s-members, mechanism: {mechanism}}}
    kpis: [{{name: {kpi}, unit: {unit}, baseline: {baseline}, target: {target}, direction: {change}, evidence: result}}]
"""
        )
    return "".join(parts)


_PRIORITIES = (
    ("s-literacy", "Raise the share of pupils reading at age level from 68% to 75% by December 2027", "Pupils reading at age level", "percent", 68, 75, "increase",
     "Cut the share of pupils who lose reading level over the summer from 30% to 22% by June 2027", "Pupils losing reading level over the summer", "percent", 30, 22, "decrease", "pupils who keep their level over the summer start the year reading at age level"),
    ("s-study", "Raise weekday afternoon use of study desks from 55% to 70% by December 2027", "Weekday afternoon desk occupancy", "percent", 55, 70, "increase",
     "Cut the wait for a bookable study desk from 5 to 3 days by June 2027", "Days waiting for a bookable study desk", "day", 5, 3, "decrease", "students use the desks when they can book one for the week they need it"),
    ("s-skills", "Raise the share of residents with basic digital skills from 71% to 76% by December 2027", "Residents with basic digital skills", "percent", 71, 76, "increase",
     "Cut the wait for a place on a digital skills course from 8 to 5 weeks by June 2027", "Weeks waiting for a digital skills course place", "week", 8, 5, "decrease", "residents who wait months for a place give up before they learn"),
    ("s-costs", "Cut the cost per book loan from $3.20 to $2.90 by December 2027", "Cost per book loan", "USD", 3.2, 2.9, "decrease",
     "Cut the cost of handling a returned book from $0.90 to $0.75 by June 2027", "Cost of handling a returned book", "USD", 0.9, 0.75, "decrease", "returns handling is the largest cost inside every loan"),
    ("s-archive", "Cut the wait for a local-history record request from 20 to 12 days by December 2027", "Days to answer a local-history record request", "day", 20, 12, "decrease",
     "Cut the time to retrieve a record from the store from 6 to 4 days by June 2027", "Days to retrieve a stored record", "day", 6, 4, "decrease", "requests queue mainly while clerks wait for boxes to arrive by van from the offsite depot"),
)


def _priorities(count: int) -> str:
    parts = []
    for row in _PRIORITIES[:count]:
        goal_id, statement, kpi, unit, baseline, target, change = row[:7]
        sub, sub_kpi, sub_unit, sub_base, sub_target, sub_change, mechanism = row[7:]
        parts.append(
            f"""  - id: {goal_id}
    team: cabinet
    level: strategic
    statement: {statement}
    deadline: 2027-12
    last_reviewed: 2026-05-02
    kpis: [{{name: {kpi}, unit: {unit}, baseline: {baseline}, target: {target}, direction: {change}, evidence: result}}]
  - id: programmes-{goal_id[2:]}
    team: programmes
    level: translational
    statement: {sub}
    deadline: 2027-06
    last_reviewed: 2026-05-02
    supports:
      - {{goal: {goal_id}, mechanism: {mechanism}}}
    kpis: [{{name: {sub_kpi}, unit: {sub_unit}, baseline: {sub_base}, target: {sub_target}, direction: {sub_change}, evidence: result}}]
"""
        )
    return "".join(parts)


@rule(
    name="too-many-goals",
    code="GA601",
    family="focus",
    severity="warning",
    summary="A team owns more active goals than it can focus on.",
    rationale=(
        "Every goal competes for the same people and hours. Past a handful, goals stop "
        "guiding choices and become a list of everything the team does; the few results that "
        "carry its contribution get no more attention than the rest."
    ),
    fix="Keep the few goals that carry the team's contribution; move the rest to a backlog or an operational dashboard.",
    options=[Option("limit", 5, "Most active goals one team may own.")],
    bad=_HEAD + _STRATEGIC + _branch_goals(6),
    good=_HEAD + _STRATEGIC + _branch_goals(4),
)
def too_many_goals(ctx: CheckContext, options: Mapping[str, Any]) -> Iterator[Hit]:
    """One finding per team with more active goals than ``limit``."""
    limit = int(options.get("limit", 5))
    counts: dict[str, int] = {}
    for goal in ctx.cascade.goals:
        if goal.status is Status.ACTIVE:
            counts[goal.team] = counts.get(goal.team, 0) + 1
    for team_id in sorted(counts):
        count = counts[team_id]
        if count > limit:
            yield Hit(
                Ref.team(team_id),
                f"team {team_id!r} owns {count} active goals; the focus limit is {limit}",
                evidence={"goals": count, "limit": limit},
                team=team_id,
            )


@rule(
    name="too-many-priorities",
    code="GA602",
    family="focus",
    severity="warning",
    summary="The organisation has more active strategic goals than it can focus on.",
    rationale=(
        "Strategy is about what the organisation chooses not to do. When everything is a "
        "strategic goal nothing is: teams cannot tell which results matter most, and every "
        "team can find some priority to attach its existing work to."
    ),
    fix="Choose the few strategic results to change this period; move the rest to business-as-usual.",
    options=[Option("limit", 5, "Most active strategic-level goals the organisation may have.")],
    bad=_HEAD + _STRATEGIC + _branch_goals(1) + _priorities(5),
    good=_HEAD + _STRATEGIC + _branch_goals(1) + _priorities(3),
)
def too_many_priorities(ctx: CheckContext, options: Mapping[str, Any]) -> Iterator[Hit]:
    """One finding for the organisation when active strategic goals exceed ``limit``."""
    limit = int(options.get("limit", 5))
    chains = chain_analysis(ctx)
    goals = ctx.cascade.goals
    strategic = sorted(
        goals[i].id
        for i in range(len(goals))
        if chains.is_strategic[i] and goals[i].status is Status.ACTIVE
    )
    if len(strategic) > limit:
        name = ctx.cascade.organisation.name
        yield Hit(
            Ref.organisation(name),
            f"{name} has {len(strategic)} active strategic goals; the focus limit is {limit}",
            related=tuple(Ref.goal(g) for g in strategic[:20]),
            evidence={"strategic_goals": len(strategic), "limit": limit},
        )


@rule(
    name="stale-review",
    code="GA603",
    family="focus",
    severity="warning",
    summary="A goal has not been reviewed within the review cadence.",
    rationale=(
        "A goal nobody has looked at for a quarter is no longer steering anything: its "
        "target, deadline and links may all have drifted from reality. Goals that do not "
        "record `last_reviewed` are not reported: the document then simply does not track "
        "reviews, and flagging every goal for missing data would bury the real findings."
    ),
    fix="Review the goal with its owner and record `last_reviewed`, or retire it.",
    options=[Option("days", 92, "Days before `as_of` after which a review is stale.")],
    bad=_HEAD + _STRATEGIC + _branch_goals(2, reviewed="2025-11-20"),
    good=_HEAD + _STRATEGIC + _branch_goals(2),
)
def stale_review(ctx: CheckContext, options: Mapping[str, Any]) -> Iterator[Hit]:
    """One finding per active goal last reviewed more than ``days`` before ``as_of``."""
    days = int(options.get("days", 92))
    cutoff = ctx.as_of - timedelta(days=days)
    for goal in ctx.cascade.goals:
        reviewed = goal.last_reviewed
        if goal.status is not Status.ACTIVE or reviewed is None or reviewed >= cutoff:
            continue
        age = (ctx.as_of - reviewed).days
        yield Hit(
            Ref.goal(goal.id),
            f"goal {goal.id!r} was last reviewed on {reviewed.isoformat()}, {age} days before "
            f"{ctx.as_of.isoformat()}; the review cadence is {days} days",
            evidence={"last_reviewed": reviewed.isoformat(), "age_days": age, "days": days},
        )
