"""SMART rules: is each goal Specific, Measurable, Achievable and Time-bound, and a result?

(*Relevant* is the chain rules' business: a goal is relevant when a cause-effect chain takes
it to an anchor.) Each rule reads structured fields first (the goal's deadline, its KPIs'
baselines, targets, directions and deadlines) and the parsed statement second, and says in
its finding which it used. Retired goals are not checked: nobody is pursuing them.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from goalalign.domain.model import Change, EvidenceKind, Goal, Period, Status
from goalalign.engine.context import CheckContext
from goalalign.engine.findings import Hit, Ref
from goalalign.engine.rule import Option, rule
from goalalign.rules.kpis import example_document, kpi_numbers, numbers_direction
from goalalign.text.classify import classify_statement, is_vague
from goalalign.text.statement import ParsedStatement, Role, parsed_statements

__all__ = [
    "activity_goal",
    "goal_deadline",
    "implausible_target",
    "no_deadline",
    "unmeasured_goal",
    "vague_goal",
]


def goal_deadline(
    ctx: CheckContext, goal: Goal, parsed: ParsedStatement
) -> tuple[Period | None, str]:
    """The goal's deadline and where it came from: its ``deadline`` field, else the latest
    deadline of its KPIs, else the statement ("by Q3 2026")."""
    if goal.deadline is not None:
        return goal.deadline, "goal"
    kpi_deadlines = [k.deadline for k in ctx.cascade.kpis_of(goal.id) if k.deadline is not None]
    if kpi_deadlines:
        return max(kpi_deadlines, key=lambda p: p.end), "kpi"
    if parsed.deadline is not None:
        return parsed.deadline, "statement"
    return None, "none"


# -- vague-goal ----------------------------------------------------------------------------------


@rule(
    name="vague-goal",
    code="GA401",
    family="smart",
    severity="warning",
    summary="A goal statement leans on weasel words with no specific object or result.",
    rationale=(
        "'Enhance the patient experience' or 'drive operational excellence' cannot be "
        "achieved, missed or measured: nobody can say what would be different if it were "
        "met (SMART's Specific). The rule flags statements built on weasel words (improve, "
        "enhance, optimise, world-class, leverage, streamline...) that name no amount and "
        "no measurable quantity (a rate, time, cost, number...). It reads the statement "
        "itself: KPIs may carry the specifics, but the goal should say them."
    ),
    fix="Name the result and how much it should change: 'Raise the share of patients who "
    "rate their visit good from 70% to 85% by December 2026'.",
    bad=example_document(statement="Enhance the patient experience through world-class service"),
    good=example_document(),
    uses=(parsed_statements,),
)
def vague_goal(ctx: CheckContext, options: Mapping[str, Any]) -> Iterator[Hit]:
    parsed = ctx.derive(parsed_statements)
    for goal in ctx.cascade.goals:
        statement = parsed[goal.id]
        # most statements hold no weasel word: then nothing more needs reading
        if not statement.vague_words or goal.status is Status.RETIRED:
            continue
        vague, words = is_vague(statement)
        if not vague:
            continue
        kpis = [k.id for k in ctx.cascade.kpis_of(goal.id)]
        note = (
            f"; its KPIs ({', '.join(kpis)}) may hold the specifics the statement should say"
            if kpis
            else ""
        )
        yield Hit(
            Ref.goal(goal.id),
            f"goal {goal.id} is vague: {', '.join(repr(w) for w in words)} with no amount and no "
            f"measurable object (read from the statement){note}",
            evidence={
                "source": "statement",
                "vague_words": list(words),
                "metric": statement.metric,
                "kpis": kpis,
            },
            team=goal.team,
        )


# -- unmeasured-goal -------------------------------------------------------------------------------


@rule(
    name="unmeasured-goal",
    code="GA402",
    family="smart",
    severity="warning",
    summary="A goal with no KPI and no measurable quantity in its statement.",
    rationale=(
        "A goal that nobody can measure cannot show progress or success (SMART's Measurable), "
        "so it cannot take part in a results chain either. The rule looks for KPIs first; a "
        "goal without any passes if its statement states a quantity (an amount, a percentage, "
        "money, a duration, 'double' or 'halve')."
    ),
    fix="Add a KPI with a baseline and a target, or state the amount in the goal.",
    bad=example_document(statement="Lower the missed-appointment rate by December 2026", kpis="[]"),
    good=example_document(),
    uses=(parsed_statements,),
)
def unmeasured_goal(ctx: CheckContext, options: Mapping[str, Any]) -> Iterator[Hit]:
    parsed = ctx.derive(parsed_statements)
    measured = {k.goal for k in ctx.cascade.kpis}  # one pass, not a look-up per goal
    for goal in ctx.cascade.goals:
        if goal.status is Status.RETIRED or goal.id in measured or parsed[goal.id].amounts:
            continue
        yield Hit(
            Ref.goal(goal.id),
            f"goal {goal.id} has no KPI and its statement states no measurable quantity "
            "(read from the KPIs, then the statement)",
            evidence={"source": "statement", "kpis": 0, "amounts": 0},
            team=goal.team,
        )


# -- implausible-target ---------------------------------------------------------------------------


def _ratio(baseline: float, target: float) -> float | None:
    """How many times larger the larger of the two values is: 12 -> 3 and 3 -> 12 are both 4,
    so cuts are judged like growth. ``None`` when the ratio means nothing: a baseline of zero
    or below, a target of zero (zero-harm targets are aspirations, not forecasts) or negative
    values."""
    if baseline <= 0 or target <= 0:
        return None
    return max(baseline, target) / min(baseline, target)


def _per_year(ratio: float, years: float) -> float:
    """The change per year, compounded: a ratio of 16 over two years is 4x a year, i.e. 3.0."""
    return float(ratio ** (1.0 / years) - 1.0)


@rule(
    name="implausible-target",
    code="GA403",
    family="smart",
    severity="warning",
    summary="A target too far from its baseline for the time left, or already met at baseline.",
    rationale=(
        "A target that asks for several times the measure in a few months is not a plan but "
        "a wish, and a target already met at the baseline asks for nothing (SMART's "
        "Achievable). The change is annualised (compounded) between the check's as_of date "
        "and the deadline, and a decrease counts as the increase it mirrors (cutting from 12 "
        "to 3 is a fourfold change, like growing from 3 to 12). Horizons shorter than a year "
        "count as a year, so a near deadline does not inflate the yearly rate. KPIs with a "
        "baseline and a target are "
        "used first; a goal without them is judged on its statement ('from X to Y', 'by 30%', "
        "'double'). A maintain target, a baseline or target of zero, a deadline already past "
        "and a target on the wrong side of the baseline (that is kpi-direction-conflict's) "
        "are not judged."
    ),
    fix="Set a target reachable by the deadline (or move the deadline), and check the baseline.",
    options=[
        Option(
            "max_change_per_year",
            3.0,
            "Largest plausible change per year, compounded, as a fraction: 3.0 means the "
            "measure may at most grow by 300% (quadruple) or be cut to a quarter each year.",
        ),
        Option(
            "min_horizon_years",
            1.0,
            "Horizons shorter than this many years are judged as this long, so a near "
            "deadline does not blow the yearly rate up.",
        ),
    ],
    bad=example_document(
        statement="Lower the missed-appointment rate from 12% to 0.5% of bookings by December 2026",
        kpis=(
            "[{name: Missed appointment rate, unit: percent, baseline: 12, target: 0.5, "
            "direction: decrease}]"
        ),
    ),
    good=example_document(),
    uses=(parsed_statements,),
)
def implausible_target(ctx: CheckContext, options: Mapping[str, Any]) -> Iterator[Hit]:
    limit = float(options["max_change_per_year"])
    min_years = max(1e-3, float(options["min_horizon_years"]))
    parsed = ctx.derive(parsed_statements)
    as_of = ctx.as_of
    kpis_of = ctx.cascade.kpis_of

    @functools.cache
    def horizon_to(end: date) -> float | None:
        # many goals share a deadline: each one's horizon is worked out once
        return _years(as_of, end, min_years)

    for goal in ctx.cascade.goals:
        if goal.status is Status.RETIRED:
            continue
        statement = parsed[goal.id]
        deadline = goal.deadline
        if deadline is None:
            deadline, _ = goal_deadline(ctx, goal, statement)
        # the horizon is the goal's, shared by its KPIs: None when no deadline or one past
        horizon = None if deadline is None else horizon_to(deadline.end)
        judged = False
        for kpi in kpis_of(goal.id):
            numbers = kpi_numbers(kpi)
            if numbers is None:
                continue
            judged = True
            moved = numbers_direction(numbers)
            # declared, else the statement's, else the way the KPI's own numbers go
            direction = kpi.direction or statement.strong_change or moved
            if direction is None or direction is Change.MAINTAIN:
                continue
            baseline, target = numbers
            if baseline == target:
                yield Hit(
                    Ref.kpi(kpi.id),
                    f"KPI {kpi.id} ({kpi.name}) is to {direction.value}, but its target "
                    f"{target:g} equals its baseline: the target is met already "
                    "(read from the KPI's fields)",
                    evidence={
                        "source": "kpi",
                        "baseline": baseline,
                        "target": target,
                        "direction": direction.value,
                    },
                    team=goal.team,
                )
                continue
            if moved is not direction or horizon is None:
                continue
            ratio = _ratio(baseline, target)
            if ratio is None:
                continue
            per_year = _per_year(ratio, horizon)
            if per_year > limit:
                assert deadline is not None  # a horizon comes from a deadline
                yield Hit(
                    Ref.kpi(kpi.id),
                    f"KPI {kpi.id} ({kpi.name}) goes from {baseline:g} to {target:g} by "
                    f"{deadline.end.isoformat()}: a {per_year:.0%} change per year over "
                    f"{horizon:.1f} years, above the {limit:.0%} plausible (read from the KPI's "
                    "fields)",
                    evidence=_evidence("kpi", baseline, target, per_year, horizon, limit, deadline),
                    team=goal.team,
                )
        if judged or deadline is None or horizon is None:
            continue
        found = _statement_change(statement)
        if found is None:
            continue
        ratio, wording, baseline_value, target_value = found
        per_year = _per_year(ratio, horizon)
        if per_year > limit:
            yield Hit(
                Ref.goal(goal.id),
                f"goal {goal.id} asks for {wording} by {deadline.end.isoformat()}: a "
                f"{per_year:.0%} change per year over {horizon:.1f} years, above the "
                f"{limit:.0%} plausible (read from the statement)",
                evidence=_evidence(
                    "statement", baseline_value, target_value, per_year, horizon, limit, deadline
                ),
                team=goal.team,
            )


def _statement_change(
    statement: ParsedStatement,
) -> tuple[float, str, float | None, float | None] | None:
    """The ratio of change a statement asks for, with its wording and numbers."""
    direction = statement.strong_change
    if direction not in (Change.INCREASE, Change.DECREASE):
        return None
    baseline = statement.amount(Role.BASELINE)
    target = statement.amount(Role.TARGET)
    if baseline is not None and target is not None and baseline.unit == target.unit:
        if (target.value > baseline.value) != (direction is Change.INCREASE):
            return None
        ratio = _ratio(baseline.value, target.value)
        if ratio is None:
            return None
        return ratio, f"{baseline.text} to {target.text}", baseline.value, target.value
    for item in statement.amounts:
        if item.role is Role.MULTIPLIER and item.value > 0:
            return max(item.value, 1 / item.value), repr(item.text), None, None
        if item.role is Role.RELATIVE and item.unit == "percent" and not item.points:
            fraction = item.value / 100
            if direction is Change.DECREASE:
                if fraction >= 1:
                    return None
                return 1 / (1 - fraction), f"a cut of {item.text}", None, None
            return 1 + fraction, f"a rise of {item.text}", None, None
    return None


def _years(as_of: date, end: date, min_years: float) -> float | None:
    days = (end - as_of).days
    if days <= 0:
        return None
    return max(days / 365.25, min_years)


def _evidence(
    source: str,
    baseline: float | None,
    target: float | None,
    per_year: float,
    years: float,
    limit: float,
    deadline: Period,
) -> dict[str, Any]:
    return {
        "source": source,
        "baseline": baseline,
        "target": target,
        "change_per_year": round(per_year, 4),
        "years": round(years, 3),
        "limit": limit,
        "deadline": deadline.end.isoformat(),
    }


# -- no-deadline -------------------------------------------------------------------------------


@rule(
    name="no-deadline",
    code="GA404",
    family="smart",
    severity="warning",
    summary="A goal with no deadline or period from any source.",
    rationale=(
        "A goal without a date is never late, so it never gets the attention a late goal "
        "would (SMART's Time-bound); it also cannot be checked against the goals it feeds. "
        "The rule looks at the goal's deadline field, then its KPIs' deadlines, then the "
        "statement ('by Q3 2026', 'by end of FY2027', 'within 6 months', 'through 2026')."
    ),
    fix="Add a deadline (2026-12, 2026-Q3, FY2027) or say it in the statement.",
    bad=example_document(
        statement="Lower the missed-appointment rate from 12% to 6% of bookings", deadline=None
    ),
    good=example_document(),
    uses=(parsed_statements,),
)
def no_deadline(ctx: CheckContext, options: Mapping[str, Any]) -> Iterator[Hit]:
    parsed = ctx.derive(parsed_statements)
    for goal in ctx.cascade.goals:
        # most goals state their deadline: look no further for them
        if goal.deadline is not None or goal.status is Status.RETIRED:
            continue
        deadline, _ = goal_deadline(ctx, goal, parsed[goal.id])
        if deadline is None:
            yield Hit(
                Ref.goal(goal.id),
                f"goal {goal.id} has no deadline: none in its fields, its KPIs or its statement",
                evidence={"source": "statement"},
                team=goal.team,
            )


# -- activity-goal ---------------------------------------------------------------------------------


@rule(
    name="activity-goal",
    code="GA405",
    family="smart",
    severity="warning",
    summary="A goal that states an activity or an output (busy work), not a result.",
    rationale=(
        "'Hold monthly recruitment fairs' or 'Submit 20% more grant applications' say what "
        "a team will do, not what will be different because it did: a team can meet such a "
        "goal and move nothing. The statement is classified from its verb and the head noun "
        "of what it measures (fairs, meetings, calls: activity; reports, applications, a "
        "launched system: output; times, rates, costs, revenue: result). A goal with a KPI "
        "declared 'evidence: result' is taken at its word."
    ),
    fix="State the result the activity is for: 'Cut the time to fill a vacancy from 75 to "
    "30 days' instead of 'Hold monthly recruitment fairs'.",
    bad=example_document(
        statement="Hold monthly reminder workshops for front-desk staff through 2026"
    ),
    good=example_document(),
    uses=(parsed_statements,),
)
def activity_goal(ctx: CheckContext, options: Mapping[str, Any]) -> Iterator[Hit]:
    parsed = ctx.derive(parsed_statements)
    # One pass over the KPIs instead of a look-up and a scan of its KPIs per goal.
    result_backed = {k.goal for k in ctx.cascade.kpis if k.evidence is EvidenceKind.RESULT}
    for goal in ctx.cascade.goals:
        if goal.status is Status.RETIRED or goal.id in result_backed:
            continue
        found = classify_statement(parsed[goal.id])
        if found.kind is EvidenceKind.RESULT:
            continue
        yield Hit(
            Ref.goal(goal.id),
            f"goal {goal.id} states an {found.kind.value} ({found.cue!r}), not a result "
            "(read from the statement)",
            evidence={"source": "statement", "kind": found.kind.value, "cue": found.cue},
            team=goal.team,
        )
