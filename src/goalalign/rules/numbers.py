"""Numbers that must add up: roll-up shortfalls, over-commitment and incompatible units.

All three rules read one shared analysis, :func:`goalalign.analysis.rollup.rollup_analysis`,
computed once per check. ``rollup-overcommitment`` (GA702) is an addition to the SPEC's
catalogue: the mirror image of a shortfall, reported for information only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from typing import Any

from goalalign.analysis.rollup import (
    Part,
    RollupResult,
    UnitMismatch,
    format_amount,
    rollup_analysis,
)
from goalalign.domain.model import Aggregation
from goalalign.engine.context import CheckContext
from goalalign.engine.findings import Hit, Ref
from goalalign.engine.rule import Option, rule

__all__ = ["incompatible_units", "rollup_overcommitment", "rollup_shortfall"]

_HEADER = """goalalign: 1
organisation: {name: Example Traders, as_of: 2026-01-15}
teams:
  - {id: exec, name: Executive, direction: strategic}
  - {id: north, name: North Region, parent: exec, direction: strategic}
  - {id: south, name: South Region, parent: exec, direction: strategic}
goals:
  - id: s-sales
    team: exec
    level: strategic
    statement: Grow annual sales from $10m to $14m by December 2026
    deadline: 2026-12
    last_reviewed: 2026-01-05
    kpis:
      - {id: sales, name: Annual sales, unit: USD, baseline: "$10m", target: "$14m",
         direction: increase, evidence: result, aggregation: sum}
  - id: north-sales
    team: north
    level: translational
    statement: Grow northern sales from $6m to $7m by December 2026
    deadline: 2026-12
    last_reviewed: 2026-01-05
    supports: [{goal: s-sales, mechanism: northern sales are part of annual sales}]
    kpis:
      - {id: north, name: Northern sales, unit: USD, baseline: "$6m", target: "$7m",
         direction: increase, evidence: result}
  - id: south-sales
    team: south
    level: translational
    deadline: 2026-12
    last_reviewed: 2026-01-05
    supports: [{goal: s-sales, mechanism: southern sales are part of annual sales}]
"""


def _south(target: str) -> str:
    millions = target.strip("$m")
    return (
        _HEADER
        + f"""    statement: Grow southern sales from $4m to ${millions}m by December 2026
    kpis:
      - {{id: south, name: Southern sales, unit: USD, baseline: "$4m", target: "{target}",
         direction: increase, evidence: result}}
"""
    )


_SHORTFALL_FIX = (
    "Raise the supporting goals' targets, add a goal that covers the gap, or lower the "
    "parent's target to what the plan delivers."
)
_OVER_FIX = "Raise the parent's target to the plan, or record the buffer as intended."



def _move(result: RollupResult, backed: float) -> str:
    """"lower the target of revenue to $178m" (or "raise", whichever way it moves)."""
    verb = "lower" if result.target is not None and backed < result.target else "raise"
    return f"{verb} the target of {result.kpi} to {format_amount(backed, result.unit)}"


def _shortfall_fix(result: RollupResult) -> str:
    backed = result.planned_target
    if backed is None:
        return _SHORTFALL_FIX
    gap = format_amount(abs(result.gap or 0.0), result.unit)
    return (
        f"Close the {gap} gap: change the supporting goals' targets or add a goal that delivers "
        f"the rest; otherwise {_move(result, backed)}, what the plan backs."
    )


def _over_fix(result: RollupResult) -> str:
    backed = result.planned_target
    if backed is None:
        return _OVER_FIX
    move = _move(result, backed)
    return f"{move[0].upper()}{move[1:]}, what the plan backs, or record the excess as a buffer."


_DESCRIPTIONS = {
    Aggregation.SUM: "the supporting goals' planned changes add up to",
    Aggregation.MEAN: "the supporting goals' targets average",
    Aggregation.MIN: "the lowest of the supporting goals' targets is",
    Aggregation.MAX: "the highest of the supporting goals' targets is",
}


def _tolerance(options: Mapping[str, Any]) -> float:
    return max(0.0, float(options.get("tolerance", 0.01)))


def _part_evidence(part: Part) -> dict[str, Any]:
    return {
        "goal": part.goal,
        "kpi": part.kpi,
        "unit": part.unit,
        "value": part.change,
        "share": part.share,
        "contribution": part.contribution,
    }


def _evidence(result: RollupResult, tolerance: float) -> dict[str, Any]:
    unit = result.unit
    return {
        "kpi": result.kpi,
        "aggregation": result.aggregation.value,
        "unit": unit,
        "parent": result.parent_value,
        "parts_total": result.parts_value,
        "gap": result.gap,
        "tolerance": tolerance,
        "parts": [
            dict(_part_evidence(p), text=format_amount(p.contribution or 0.0, unit, signed=True))
            for p in result.parts
        ],
        "incompatible": [_part_evidence(p) for p in result.incompatible],
        "unquantified": [p.goal for p in result.unquantified],
        "other_measures": list(result.other_measures),
    }


def _caveats(result: RollupResult) -> str:
    notes = []
    if result.incompatible:
        ids = ", ".join(p.goal for p in result.incompatible)
        notes.append(f"parts in units that cannot be compared: {ids}")
    if result.unquantified:
        ids = ", ".join(p.goal for p in result.unquantified)
        notes.append(f"supporting goals without a planned amount: {ids}")
    return f" ({'; '.join(notes)})" if notes else ""


_SHOWN_PARTS = 8
"""Parts named in a message; the evidence lists them all."""


def _breakdown(result: RollupResult) -> str:
    unit = result.unit
    signed = result.aggregation is Aggregation.SUM
    shown = ", ".join(
        f"{p.goal} {format_amount(p.contribution or 0.0, unit, signed=signed)}"
        for p in result.parts[:_SHOWN_PARTS]
    )
    hidden = len(result.parts) - _SHOWN_PARTS
    return f"{shown} and {hidden} more" if hidden > 0 else shown


def _hit(
    ctx: CheckContext, result: RollupResult, tolerance: float, verdict: str, fix: str
) -> Hit:
    unit = result.unit
    parent = format_amount(result.parent_value or 0.0, unit)
    parts = format_amount(result.parts_value or 0.0, unit)
    gap = format_amount(abs(result.gap or 0.0), unit)
    what = "planned for" if result.aggregation is Aggregation.SUM else "the target of"
    message = (
        f"{_DESCRIPTIONS[result.aggregation]} {parts} of {parent} {what} {result.name} "
        f"({result.kpi}); {verdict} {gap} [{_breakdown(result)}]{_caveats(result)}"
    )
    return Hit(
        Ref.kpi(result.kpi),
        message,
        fix=fix,
        related=tuple(Ref.goal(p.goal) for p in result.parts),
        evidence=_evidence(result, tolerance),
        team=ctx.team_of_goal(result.goal),
    )


@rule(
    name="rollup-shortfall",
    code="GA701",
    family="numbers",
    severity="warning",
    summary="The supporting goals' planned changes do not add up to the parent KPI's change.",
    rationale=(
        "A KPI that rolls up (aggregation: sum) promises a change that the goals beneath it are "
        "meant to deliver. When their planned changes add up to less, part of the parent's "
        "target is backed by nobody's plan, and the gap only shows at the end of the period. "
        "For mean, min and max roll-ups the parts' targets are compared with the parent's "
        "target in its direction of improvement."
    ),
    fix=_SHORTFALL_FIX,
    options=[
        Option(
            "tolerance",
            0.01,
            "Relative gap (fraction of the parent's planned change) tolerated before a "
            "shortfall is reported.",
        )
    ],
    bad=_south("$5m"),
    good=_south("$7m"),
    uses=(rollup_analysis,),
)
def rollup_shortfall(ctx: CheckContext, options: Mapping[str, Any]) -> Iterator[Hit]:
    tolerance = _tolerance(options)
    analysis = ctx.derive(rollup_analysis)
    for result in analysis.results:
        if result.shortfall(tolerance):
            yield _hit(ctx, result, tolerance, "gap", _shortfall_fix(result))


@rule(
    name="rollup-overcommitment",
    code="GA702",
    family="numbers",
    severity="info",
    summary="The supporting goals plan more than the parent KPI's change.",
    rationale=(
        "When the parts of a rolled-up KPI add up to more than the parent's planned change, "
        "either the parent's target undersells the plan or the parts double count the same "
        "result. A deliberate buffer is fine; this finding makes it visible. This rule is an "
        "addition to the SPEC's catalogue, reported for information."
    ),
    fix=_OVER_FIX,
    options=[
        Option(
            "tolerance",
            0.01,
            "Relative excess (fraction of the parent's planned change) tolerated before it is "
            "reported.",
        )
    ],
    bad=_south("$8m"),
    good=_south("$7m"),
    uses=(rollup_analysis,),
)
def rollup_overcommitment(ctx: CheckContext, options: Mapping[str, Any]) -> Iterator[Hit]:
    tolerance = _tolerance(options)
    analysis = ctx.derive(rollup_analysis)
    for result in analysis.results:
        if result.overcommitment(tolerance):
            yield _hit(ctx, result, tolerance, "excess", _over_fix(result))


_UNITS_BAD = """goalalign: 1
organisation: {name: Example Traders, as_of: 2026-01-15}
teams:
  - {id: exec, name: Executive, direction: strategic}
  - {id: north, name: North Region, parent: exec, direction: strategic}
goals:
  - id: s-profit
    team: exec
    level: strategic
    statement: Raise gross profit from $2m to $3m by December 2026
    deadline: 2026-12
    last_reviewed: 2026-01-05
    kpis:
      - {id: profit, name: Gross profit, unit: USD, baseline: "$2m", target: "$3m",
         direction: increase, evidence: result}
  - id: north-profit
    team: north
    level: translational
    statement: Raise northern gross profit from $1m to $1.5m by December 2026
    deadline: 2026-12
    last_reviewed: 2026-01-05
    supports: [{goal: s-profit, mechanism: northern profit is part of gross profit}]
    kpis:
      - {id: north, name: Northern gross profit, unit: USD, baseline: "$1m", target: "30 %",
         direction: increase, evidence: result}
"""

_UNITS_GOOD = _UNITS_BAD.replace('target: "30 %"', 'target: "$1.5m"')


@rule(
    name="incompatible-units",
    code="GA504",
    family="numbers",
    severity="warning",
    summary="Units that cannot be compared: baseline vs target, or parts vs a rolled-up parent.",
    rationale=(
        "A percentage target on a currency KPI, or a head count rolled into revenue, cannot be "
        "compared, so progress and roll-ups over them are meaningless. The document loads (it "
        "is valid data), but its numbers do not say what the author meant."
    ),
    fix="Write the baseline, target and current value in the KPI's unit (or a convertible one).",
    bad=_UNITS_BAD,
    good=_UNITS_GOOD,
    uses=(rollup_analysis,),
)
def incompatible_units(ctx: CheckContext, options: Mapping[str, Any]) -> Iterator[Hit]:
    analysis = ctx.derive(rollup_analysis)
    by_kpi: dict[str, list[UnitMismatch]] = defaultdict(list)
    for mismatch in analysis.mismatches:
        by_kpi[mismatch.kpi].append(mismatch)
    for kpi_id, mismatches in by_kpi.items():
        yield _kpi_hit(ctx, kpi_id, mismatches)
    for result in analysis.results:
        for part in result.incompatible:
            yield _part_hit(ctx, result, part)


def _unit_text(unit: str | None) -> str:
    return unit if unit is not None else "no unit"


def _kpi_hit(ctx: CheckContext, kpi_id: str, mismatches: list[UnitMismatch]) -> Hit:
    details = []
    for m in mismatches:
        if m.field == "share_of":
            details.append(
                f"it is a share of another KPI but its unit ({_unit_text(m.unit)}) is not a "
                "percentage or fraction"
            )
        else:
            details.append(
                f"its {m.field} is in {_unit_text(m.unit)}, which cannot be compared with "
                f"{_unit_text(m.expected)}"
            )
    goal = mismatches[0].goal
    return Hit(
        Ref.kpi(kpi_id),
        f"KPI {kpi_id}: " + "; ".join(details),
        fix="Write the baseline, target and current value in the KPI's unit.",
        related=(Ref.goal(goal),) if goal else (),
        evidence={
            "mismatches": [
                {"field": m.field, "unit": m.unit, "expected": m.expected} for m in mismatches
            ]
        },
        team=ctx.team_of_goal(goal) if goal else None,
    )


def _part_hit(ctx: CheckContext, result: RollupResult, part: Part) -> Hit:
    return Hit(
        Ref.link(part.goal, result.goal),
        f"goal {part.goal} supports {result.goal}, whose KPI {result.kpi} rolls up its parts "
        f"({result.aggregation.value}) in {_unit_text(result.unit)}, but its KPI {part.kpi} is "
        f"in {_unit_text(part.unit)}, which cannot be compared",
        fix=(
            f"Give {part.goal} a KPI in a unit comparable with {_unit_text(result.unit)}, or "
            f"set aggregation: none on {result.kpi} if its parts are not amounts of it."
        ),
        related=(Ref.kpi(result.kpi), *((Ref.kpi(part.kpi),) if part.kpi else ())),
        evidence={
            "parent_kpi": result.kpi,
            "parent_unit": result.unit,
            "part_kpi": part.kpi,
            "part_unit": part.unit,
        },
        team=ctx.team_of_goal(part.goal),
    )
