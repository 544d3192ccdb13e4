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
    kpis: [{name: Active library members, unit: count, baseline: 21000, target: 26000, direction: increase}]
"""

_BRANCH_GOALS = (
    ("hours", "Open every branch 60 hours a week, up from 44, by September 2026", "Weekly opening hours per branch", "hour", 44, 60, "longer opening hours let working residents join and borrow"),
    ("events", "Hold 300 children's reading sessions a year, up from 120, by December 2026", "Children's reading sessions a year", "count", 120, 300, "families who come to a reading session usually sign up for a card"),
    ("outreach", "Sign up 1,500 residents at community fairs in 2026, up from 400", "Residents signed up at community fairs", "count", 400, 1500, "every resident signed up at a fair becomes a member on the spot"),
    ("digital", "Lend 40,000 e-books in 2026, up from 18,000", "E-books lent a year", "count", 18000, 40000, "residents who borrow e-books keep their membership active"),
    ("schools", "Register 2,000 pupils through school visits in 2026, up from 600", "Pupils registered through school visits", "count", 600, 2000, "pupils registered at school count as new members"),
    ("seniors", "Deliver books to 900 housebound residents in 2026, up from 350", "Housebound residents receiving deliveries", "count", 350, 900, "each housebound resident served is a member who would otherwise lapse"),
)


def _branch_goals(count: int, reviewed: str = "2026-05-02", lead: str = "") -> str:
    parts = []
    for key, statement, kpi, unit, baseline, target, mechanism in _BRANCH_GOALS[:count]:
        parts.append(
            f"""  - id: {lead}branches-{key}
    team: branches
    level: translational
    statement: {statement}
    deadline: 2026-12
    last_reviewed: {reviewed}
    supports:
      - {{goal: s-members, mechanism: {mechanism}}}
    kpis: [{{name: {kpi}, unit: {unit}, baseline: {baseline}, target: {target}, direction: increase}}]
"""
        )
    return "".join(parts)


_PRIORITIES = (
    ("s-visits", "Raise yearly branch visits from 300,000 to 360,000 by December 2027", "Yearly branch visits", 300000, 360000,
     "Run a late-opening programme in 6 branches by June 2027, up from 1", "Branches with late opening", 1, 6, "late opening brings in visitors who work in the day"),
    ("s-literacy", "Raise the share of pupils reading at age level from 68% to 75% by December 2027", "Pupils reading at age level", 68, 75,
     "Enrol 1,200 pupils in summer reading clubs by June 2027, up from 500", "Pupils enrolled in summer reading clubs", 500, 1200, "pupils who read through the summer holidays do not fall behind"),
    ("s-study", "Fill 80% of study desks on weekday afternoons, up from 55%, by December 2027", "Weekday afternoon desk occupancy", 55, 80,
     "Add 120 bookable study desks with power by June 2027, up from 40", "Bookable study desks with power", 40, 120, "students come when they can book a desk with a socket"),
    ("s-digital", "Help 3,000 residents gain basic digital skills by December 2027, up from 1,100", "Residents completing digital skills courses", 1100, 3000,
     "Train 30 volunteer digital tutors by June 2027, up from 8", "Volunteer digital tutors trained", 8, 30, "each tutor teaches about sixty residents a year"),
    ("s-archive", "Digitise 20,000 local-history records by December 2027, up from 4,000", "Local-history records digitised", 4000, 20000,
     "Scan 400 records a week by June 2027, up from 90", "Records scanned a week", 90, 400, "the archive is digitised one scanned record at a time"),
)


def _priorities(count: int) -> str:
    parts = []
    for goal_id, statement, kpi, baseline, target, sub, sub_kpi, sub_base, sub_target, mechanism in _PRIORITIES[:count]:
        unit = "percent" if target < 100 else "count"
        parts.append(
            f"""  - id: {goal_id}
    team: cabinet
    level: strategic
    statement: {statement}
    deadline: 2027-12
    last_reviewed: 2026-05-02
    kpis: [{{name: {kpi}, unit: {unit}, baseline: {baseline}, target: {target}, direction: increase}}]
  - id: programmes-{goal_id[2:]}
    team: programmes
    level: translational
    statement: {sub}
    deadline: 2027-06
    last_reviewed: 2026-05-02
    supports:
      - {{goal: {goal_id}, mechanism: {mechanism}}}
    kpis: [{{name: {sub_kpi}, unit: count, baseline: {sub_base}, target: {sub_target}, direction: increase}}]
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
