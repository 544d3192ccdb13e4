"""KPI rules: evidence that is missing a baseline, counts busy-ness, measures nothing, or
points the wrong way.

Every rule reads the structured KPI fields first and the goal's parsed statement second, and
its finding says which it used (``evidence["source"]`` is ``"kpi"`` or ``"statement"``, and the
message says so in words).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from goalalign.domain.model import KPI, Change, EvidenceKind, Goal, Status
from goalalign.domain.units import QuantityError, convert
from goalalign.engine.context import CheckContext
from goalalign.engine.findings import Hit, Ref
from goalalign.engine.rule import rule
from goalalign.text.classify import Classification, classify_kpis
from goalalign.text.statement import (
    ParsedAmount,
    ParsedStatement,
    Role,
    parsed_statements,
    paused_collector,
)

__all__ = [
    "activity_kpi",
    "example_document",
    "kpi_direction_conflict",
    "kpi_numbers",
    "missing_baseline",
    "numbers_direction",
    "orphan_kpi",
]


def example_document(
    statement: str = (
        "Lower the missed-appointment rate from 12% to 6% of bookings by December 2026"
    ),
    kpis: str = (
        "[{name: Missed appointment rate, unit: percent, baseline: 12, target: 6, "
        "direction: decrease}]"
    ),
    deadline: str | None = "2026-12",
    extra: str = "",
) -> str:
    """A small clean cascade (one strategic goal, one contributing goal) for rule examples:
    only the contributing goal's statement, KPIs and deadline vary."""
    deadline_line = f"\n    deadline: {deadline}" if deadline else ""
    return f"""goalalign: 1
organisation: {{name: Valley Clinic, as_of: 2026-01-15}}
teams:
  - {{id: board, name: Board, direction: strategic}}
  - {{id: clinic, name: Outpatient Clinic, parent: board, direction: strategic}}
goals:
  - id: s-access
    team: board
    level: strategic
    statement: Cut the median wait for a first appointment from 14 to 8 weeks by December 2026
    deadline: 2026-12
    last_reviewed: 2026-01-05
    kpis:
      - {{name: Median wait for a first appointment, unit: week, baseline: 14, target: 8,
         direction: decrease}}
  - id: clinic-noshow
    team: clinic
    level: translational
    statement: {statement}{deadline_line}
    last_reviewed: 2026-01-05
    supports:
      - goal: s-access
        mechanism: every slot lost to a missed appointment pushes a waiting patient back
    kpis: {kpis}
{extra}"""


def kpi_numbers(kpi: KPI) -> tuple[float, float] | None:
    """The KPI's baseline and target as two floats in the baseline's unit, or ``None`` when
    either is missing or their units cannot be compared (that is ``incompatible-units``')."""
    if kpi.baseline is None or kpi.target is None:
        return None
    if kpi.target.unit == kpi.baseline.unit:  # most KPIs: nothing to convert
        return kpi.baseline.value, kpi.target.value
    try:
        target = convert(kpi.target, kpi.baseline.unit)
    except QuantityError:
        return None
    if target is None:
        return None
    return kpi.baseline.value, target


def numbers_direction(numbers: tuple[float, float] | None) -> Change | None:
    """Which way the KPI's own numbers go: up, down, or ``None`` when flat or unknown."""
    if numbers is None or numbers[0] == numbers[1]:
        return None
    return Change.INCREASE if numbers[1] > numbers[0] else Change.DECREASE


def _live_goal(ctx: CheckContext, goal_id: str | None) -> Goal | None:
    goal = ctx.cascade.goal(goal_id) if goal_id is not None else None
    if goal is None or goal.status is Status.RETIRED:
        return None
    return goal


def kpi_classes(ctx: CheckContext) -> dict[str, Classification]:
    """Every KPI classified once (an analysis for ``ctx.derive``)."""
    with paused_collector():  # reads every KPI name: see paused_collector
        return classify_kpis(ctx.cascade.kpis)


# -- missing-baseline -------------------------------------------------------------------------


@rule(
    name="missing-baseline",
    code="GA501",
    family="kpis",
    severity="warning",
    summary="A KPI (or a goal's statement) sets a target without saying where it starts.",
    rationale=(
        "A target without a baseline cannot be judged: 85% is a stretch from 40% and a "
        "formality from 84%. Progress, plausibility and roll-ups all need the starting value. "
        "The rule reads the KPI's fields; a goal without KPIs is judged on its statement: "
        "one that asks its measure to rise or fall 'to Y' without saying 'from X' (or 'up "
        "from X', 'instead of X') is missing its baseline. Relative targets ('by 30%') carry "
        "their own reference, and standards to keep or meet ('keep returns below 0.5%', 'pay "
        "invoices within 30 days') and zero targets promise no change, so they are left alone."
    ),
    fix="Record the KPI's current value as its baseline (or write 'from X to Y' in the goal).",
    bad=example_document(
        kpis="[{name: Missed appointment rate, unit: percent, target: 6, direction: decrease}]"
    ),
    good=example_document(),
    uses=(parsed_statements,),
)
def missing_baseline(ctx: CheckContext, options: Mapping[str, Any]) -> Iterator[Hit]:
    for kpi in ctx.cascade.kpis:
        if kpi.target is not None and kpi.baseline is None:
            goal = _live_goal(ctx, kpi.goal)
            if kpi.goal is not None and goal is None:
                continue
            yield Hit(
                Ref.kpi(kpi.id),
                f"KPI {kpi.id} ({kpi.name}) has a target of "
                f"{_amount(kpi.target.value, kpi.target.unit)} but no baseline "
                "(read from the KPI's fields)",
                evidence={"source": "kpi", "target": kpi.target.value, "unit": kpi.target.unit},
                team=goal.team if goal is not None else None,
            )
    parsed = ctx.derive(parsed_statements)
    measured = {kpi.goal for kpi in ctx.cascade.kpis}  # one pass, not a look-up per goal
    retired = Status.RETIRED
    for goal in ctx.cascade.goals:
        if goal.status is retired or goal.id in measured:
            continue
        statement = parsed[goal.id]
        target = _moved_to_target(statement)
        if target is None or statement.amount(Role.BASELINE) is not None:
            continue
        yield Hit(
            Ref.goal(goal.id),
            f"goal {goal.id} aims at {target.text!r} but says nowhere where it starts "
            "(read from the statement; the goal has no KPI)",
            evidence={"source": "statement", "target": target.value, "unit": target.unit},
            team=goal.team,
        )


def _moved_to_target(statement: ParsedStatement) -> ParsedAmount | None:
    """The amount a statement asks its measure to move *to* ("grow revenue to €40m",
    "reduce page load time to under 2 seconds"), when its verb or numbers state a direction.
    Standards to keep or meet ("keep returns below 0.5%", "pay invoices within 30 days") and
    zero targets promise no change from a starting point, so they need no baseline."""
    if statement.strong_change not in (Change.INCREASE, Change.DECREASE):
        return None
    for item in statement.amounts:
        marker = item.marker or ""
        if item.role is Role.TARGET and marker.split()[:1] == ["to"] and item.value != 0:
            return item
    return None


# -- activity-kpi ------------------------------------------------------------------------------


@rule(
    name="activity-kpi",
    code="GA502",
    family="kpis",
    severity="warning",
    summary="A KPI counts activity or output instead of giving evidence of the result.",
    rationale=(
        "Meetings held, articles posted and applications submitted show that people were busy, "
        "not that anything the goal cares about moved. A KPI is evidence of a result; a "
        "team whose KPIs all count effort cannot answer the third question of the "
        "three-question test. The KPI's declared 'evidence' field is used when set; otherwise "
        "the kind is read from the KPI's name ('number of ... held/posted/submitted', "
        "meetings, sessions, emails, calls)."
    ),
    fix="Measure the result the activity is meant to change (the rate, time, cost or "
    "satisfaction it moves), or declare 'evidence: result' if the name misleads.",
    bad=example_document(
        kpis=(
            "\n      - {name: Missed appointment rate, unit: percent, baseline: 12, target: 6, "
            "direction: decrease}\n      - {name: Reminder calls made to booked patients, "
            "unit: count, "
            "baseline: 0, target: 5000, direction: increase}"
        )
    ),
    good=example_document(),
    uses=(kpi_classes,),
)
def activity_kpi(ctx: CheckContext, options: Mapping[str, Any]) -> Iterator[Hit]:
    classes = ctx.derive(kpi_classes)
    for kpi in ctx.cascade.kpis:
        found = classes[kpi.id]
        if found.kind is EvidenceKind.RESULT:
            continue
        goal = _live_goal(ctx, kpi.goal)
        if kpi.goal is not None and goal is None:
            continue
        how = (
            "declared in its 'evidence' field"
            if found.source == "evidence-field"
            else f"read from its name ({found.cue!r})"
        )
        yield Hit(
            Ref.kpi(kpi.id),
            f"KPI {kpi.id} ({kpi.name}) counts {found.kind.value}, not a result ({how})",
            evidence={
                "source": "kpi" if found.source == "evidence-field" else "name",
                "kind": found.kind.value,
                "cue": found.cue,
            },
            team=goal.team if goal is not None else None,
        )


# -- orphan-kpi --------------------------------------------------------------------------------


@rule(
    name="orphan-kpi",
    code="GA503",
    family="kpis",
    severity="warning",
    summary="A KPI that measures no goal.",
    rationale=(
        "A KPI is evidence of a goal's result; one that belongs to no goal is measured, "
        "reported and discussed without telling anyone whether a chosen result moved. Goals "
        "come before KPIs. (A KPI naming a goal that does not exist is a dangling link and is "
        "reported by 'dangling-link'.)"
    ),
    fix="Attach the KPI to the goal whose result it evidences, or retire it.",
    bad=example_document(
        extra=(
            "kpis:\n  - {id: satisfaction, name: Outpatient satisfaction score, unit: percent, "
            "baseline: 70, target: 80, direction: increase}\n"
        )
    ),
    good=example_document(
        extra=(
            "kpis:\n  - {id: satisfaction, goal: clinic-noshow, name: Outpatient satisfaction "
            "score, unit: percent, baseline: 70, target: 80, direction: increase}\n"
        )
    ),
)
def orphan_kpi(ctx: CheckContext, options: Mapping[str, Any]) -> Iterator[Hit]:
    for kpi in ctx.cascade.kpis:
        if kpi.goal is None:
            yield Hit(
                Ref.kpi(kpi.id),
                f"KPI {kpi.id} ({kpi.name}) measures no goal (its 'goal' field is empty)",
                evidence={"source": "kpi"},
            )


# -- kpi-direction-conflict ----------------------------------------------------------------------


def _content(words: str, stop: frozenset[str]) -> set[str]:
    return {
        w.rstrip("s")
        for w in words.lower().replace("-", " ").split()
        if len(w) > 2 and w not in stop
    }


_INVERSE_CUES = (
    "share of",
    "percentage of",
    "% of",
    "proportion of",
    "within",
    "rate of",
    "on time",
    "on-time",
)


def _same_measure(kpi: KPI, statement: ParsedStatement) -> bool:
    """Whether the KPI plausibly measures the statement's metric itself (not its inverse):
    their content words overlap and the KPI adds no share/within wording the statement lacks."""
    from goalalign.text.language import get_language

    pack = get_language(statement.language)
    if not statement.metric:
        return False
    stop = pack.stop_words | pack.function_words
    kpi_words = _content(kpi.name, stop)
    metric_words = _content(statement.metric, stop)
    if not kpi_words or not metric_words:
        return False
    overlap = len(kpi_words & metric_words) / min(len(kpi_words), len(metric_words))
    name = kpi.name.lower()
    metric = statement.metric
    if any(
        cue in name and cue not in metric and cue not in statement.text.lower()
        for cue in _INVERSE_CUES
    ):
        return False
    return overlap >= 0.5


@rule(
    name="kpi-direction-conflict",
    code="GA505",
    family="kpis",
    severity="warning",
    summary="A KPI's direction contradicts its own baseline and target, or the goal's statement.",
    rationale=(
        "A KPI that should increase but whose target is below its baseline (or the reverse) "
        "will report success as failure, and a KPI pushed the opposite way to what its goal "
        "asks rewards the wrong behaviour. The rule first compares the KPI's declared "
        "direction with its own numbers (fields only); then the KPI's direction (declared, or "
        "read from its numbers) with the direction the statement states by its verb, its "
        "numbers or a comparative, when the KPI measures the statement's metric. Directions "
        "guessed from an 'improve'-like verb are not used."
    ),
    fix="Correct the direction, or swap the baseline and target, or restate the goal.",
    bad=example_document(
        kpis=(
            "[{name: Missed appointment rate, unit: percent, baseline: 12, target: 6, "
            "direction: increase}]"
        )
    ),
    good=example_document(),
    uses=(parsed_statements,),
)
def kpi_direction_conflict(ctx: CheckContext, options: Mapping[str, Any]) -> Iterator[Hit]:
    parsed = ctx.derive(parsed_statements)
    # Plain look-ups in the loop: one per KPI adds up at a hundred thousand KPIs.
    goals, position_of = ctx.cascade.goals, ctx.cascade.goal_positions().get
    statement_of, retired = parsed.get, Status.RETIRED
    increase, decrease = Change.INCREASE, Change.DECREASE
    for kpi in ctx.cascade.kpis:
        owner = kpi.goal
        if owner is None:
            continue
        position = position_of(owner)
        if position is None:
            continue
        goal = goals[position]
        if goal.status is retired:
            continue
        numbers = kpi_numbers(kpi)
        moved = numbers_direction(numbers)
        declared = kpi.direction
        if (declared is increase or declared is decrease) and moved is not None and (
            moved is not declared
        ):
            assert numbers is not None
            yield Hit(
                Ref.kpi(kpi.id),
                f"KPI {kpi.id} ({kpi.name}) is to {declared.value}, but its target "
                f"{_num(numbers[1])} is {'below' if moved is decrease else 'above'} its "
                f"baseline {_num(numbers[0])} (read from the KPI's fields)",
                evidence={
                    "source": "kpi",
                    "direction": declared.value,
                    "baseline": numbers[0],
                    "target": numbers[1],
                },
            )
            continue
        effective = declared if declared is not None else moved
        if effective is not increase and effective is not decrease:
            continue
        statement = statement_of(owner)
        if statement is None:
            continue
        said = statement.strong_change
        if (said is not increase and said is not decrease) or said is effective:
            continue
        if not _same_measure(kpi, statement):
            continue
        how = "declared" if declared is not None else "read from its baseline and target"
        yield Hit(
            Ref.kpi(kpi.id),
            f"KPI {kpi.id} ({kpi.name}) is to {effective.value} ({how}), but goal {goal.id}'s "
            f"statement asks to {said.value} {statement.metric!r} (read from the statement: "
            f"{statement.change_source})",
            related=(Ref.goal(goal.id),),
            evidence={
                "source": "statement",
                "kpi_direction": effective.value,
                "statement_change": said.value,
                "statement_cue": statement.change_source,
                "metric": statement.metric,
            },
        )


def _num(value: float) -> str:
    return f"{value:g}"


def _amount(value: float, unit: str | None) -> str:
    return f"{value:g} {unit}" if unit else f"{value:g}"
