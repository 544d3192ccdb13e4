"""From a shape-checked document to the domain model: defaults, ids, units and periods.

Every problem is collected with its location before anything is returned, so a caller gets
either a complete cascade or a :class:`~goalalign.loading.errors.LoadError` listing all that
is wrong; never a half-built model.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, TypeVar

from goalalign.domain.cascade import Cascade, SourceMap
from goalalign.domain.model import (
    KPI,
    Aggregation,
    Amount,
    Goal,
    Link,
    LinkTarget,
    Organisation,
    Period,
    Promise,
    Status,
    Suppression,
    Team,
)
from goalalign.domain.periods import PeriodError, parse_period
from goalalign.domain.units import QuantityError, parse_amount, parse_unit
from goalalign.loading.errors import Problem
from goalalign.loading.schema import (
    SCHEMA_VERSION,
    DocumentDoc,
    GoalDoc,
    KPIDoc,
    LinkDoc,
    RawSuppression,
)

__all__ = ["build_cascade"]

T = TypeVar("T")


class _Collector:
    """Gathers problems while building, so all of them are reported at once."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, location: str, message: str) -> None:
        self.problems.append(Problem(location, message))

    def attempt(self, location: str, make: Callable[[], T]) -> T | None:
        try:
            return make()
        except (QuantityError, PeriodError) as exc:
            self.add(location, str(exc))
            return None


def build_cascade(doc: DocumentDoc, source: SourceMap | None = None) -> tuple[Cascade, list[Problem]]:
    """Build the cascade of ``doc``; the problems list is empty when the cascade is valid."""
    issues = _Collector()
    if doc.goalalign != SCHEMA_VERSION:
        issues.add(
            "goalalign",
            f"schema version {doc.goalalign} is not supported; this goalalign reads version "
            f"{SCHEMA_VERSION}",
        )
    fiscal_year_end = _fiscal_year_end(doc.organisation.fiscal_year_end, issues)
    organisation = Organisation(
        name=doc.organisation.name,
        purpose=doc.organisation.purpose,
        promises=tuple(Promise(p.id, p.statement) for p in doc.organisation.promises),
        as_of=_as_of(doc.organisation.as_of, issues),
        fiscal_year_end=fiscal_year_end,
    )
    _unique((p.id for p in organisation.promises), "organisation.promises", "promise", issues)

    teams = tuple(
        Team(
            id=t.id,
            name=t.name if t.name is not None else t.id,
            parent=t.parent,
            direction=t.direction,
            serves=tuple(t.serves),
            ignore=_suppressions(t.ignore),
        )
        for t in doc.teams
    )
    _unique((t.id for t in teams), "teams", "team", issues)

    goals: list[Goal] = []
    kpis: list[KPI] = []
    for g_index, goal_doc in enumerate(doc.goals):
        where = f"goals[{g_index}]"
        goals.append(_goal(goal_doc, where, fiscal_year_end, issues))
        for k_index, kpi_doc in enumerate(goal_doc.kpis):
            kpi = _kpi(
                kpi_doc,
                f"{where}.kpis[{k_index}]",
                default_id=f"{goal_doc.id}.kpi{k_index + 1}",
                goal_id=goal_doc.id,
                fiscal_year_end=fiscal_year_end,
                issues=issues,
            )
            if kpi_doc.goal is not None and kpi_doc.goal != goal_doc.id:
                issues.add(
                    f"{where}.kpis[{k_index}].goal",
                    f"a KPI nested under goal {goal_doc.id!r} names goal {kpi_doc.goal!r}",
                )
            kpis.append(kpi)
    _unique((g.id for g in goals), "goals", "goal", issues)
    for k_index, kpi_doc in enumerate(doc.kpis):
        kpis.append(
            _kpi(
                kpi_doc,
                f"kpis[{k_index}]",
                default_id=f"{kpi_doc.goal}.kpi-top{k_index + 1}" if kpi_doc.goal else f"kpi{k_index + 1}",
                goal_id=kpi_doc.goal,
                fiscal_year_end=fiscal_year_end,
                issues=issues,
            )
        )
    _unique((k.id for k in kpis), "kpis", "KPI", issues)
    cascade = Cascade(
        organisation=organisation,
        teams=teams,
        goals=tuple(goals),
        kpis=tuple(kpis),
        settings=dict(doc.config or {}),
        source=source or SourceMap(),
    )
    return cascade, issues.problems


def _unique(ids: Iterable[str], where: str, what: str, issues: _Collector) -> None:
    seen: dict[str, int] = {}
    for index, item_id in enumerate(ids):
        if item_id in seen:
            issues.add(
                f"{where}[{index}].id",
                f"duplicate {what} id {item_id!r} (first used at {where}[{seen[item_id]}])",
            )
        else:
            seen[item_id] = index


def _fiscal_year_end(text: str | None, issues: _Collector) -> tuple[int, int]:
    if text is None:
        return (12, 31)
    try:
        month, day = (int(part) for part in text.split("-"))
        date(2024, month, day)  # a leap year, so 02-29 is accepted
    except ValueError:
        issues.add(
            "organisation.fiscal_year_end",
            f"{text!r} is not a month and day such as '06-30'",
        )
        return (12, 31)
    return (month, day)


def _as_of(raw: date | str | int | None, issues: _Collector) -> date | None:
    if raw is None:
        return None
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        issues.add("organisation.as_of", f"{raw!r} is not a date such as 2026-06-01")
        return None


def _period(
    raw: date | str | int | None, where: str, fiscal_year_end: tuple[int, int], issues: _Collector
) -> Period | None:
    if raw is None:
        return None
    return issues.attempt(where, lambda: parse_period(raw, fiscal_year_end))


def _review_date(raw: date | str | int | None, where: str, issues: _Collector) -> date | None:
    if raw is None:
        return None
    period = _period(raw, where, (12, 31), issues)
    return None if period is None else period.end


def _suppressions(raw: list[RawSuppression]) -> tuple[Suppression, ...]:
    return tuple(
        Suppression(item) if isinstance(item, str) else Suppression(item.rule, item.reason)
        for item in raw
    )


def _link(raw: str | LinkDoc, where: str, issues: _Collector, *, negative: bool) -> Link | None:
    if isinstance(raw, str):
        return Link(LinkTarget.GOAL, raw)
    targets = [
        (kind, value)
        for kind, value in (
            (LinkTarget.GOAL, raw.goal),
            (LinkTarget.PROMISE, raw.promise),
            (LinkTarget.PURPOSE, raw.purpose),
        )
        if value is not None and value is not False
    ]
    if len(targets) != 1:
        issues.add(where, "a link names exactly one of 'goal', 'promise' or 'purpose: true'")
        return None
    kind, value = targets[0]
    if negative and kind is not LinkTarget.GOAL:
        issues.add(where, "a 'hinders' link names a goal")
        return None
    if raw.weight is not None and raw.weight < 0:
        issues.add(f"{where}.weight", f"a weight cannot be negative (got {raw.weight})")
        return None
    mechanism = raw.mechanism.strip() if raw.mechanism else None
    return Link(
        kind,
        None if kind is LinkTarget.PURPOSE else str(value),
        mechanism or None,
        raw.weight,
    )


def _goal(doc: GoalDoc, where: str, fiscal_year_end: tuple[int, int], issues: _Collector) -> Goal:
    supports = [
        _link(raw, f"{where}.supports[{i}]", issues, negative=False)
        for i, raw in enumerate(doc.supports)
    ]
    weights = [link.weight for link in supports if link is not None and link.weight is not None]
    if weights and len(weights) == len(supports) and sum(weights) == 0:
        issues.add(f"{where}.supports", "the link weights add up to zero")
    hinders = [
        _link(raw, f"{where}.hinders[{i}]", issues, negative=True)
        for i, raw in enumerate(doc.hinders)
    ]
    return Goal(
        id=doc.id,
        team=doc.team,
        statement=doc.statement,
        level=doc.level,
        status=doc.status or Status.ACTIVE,
        deadline=_period(doc.deadline, f"{where}.deadline", fiscal_year_end, issues),
        last_reviewed=_review_date(doc.last_reviewed, f"{where}.last_reviewed", issues),
        supports=tuple(link for link in supports if link is not None),
        hinders=tuple(link for link in hinders if link is not None),
        ignore=_suppressions(doc.ignore),
    )


def _kpi(
    doc: KPIDoc,
    where: str,
    *,
    default_id: str,
    goal_id: str | None,
    fiscal_year_end: tuple[int, int],
    issues: _Collector,
) -> KPI:
    unit: str | None = None
    if doc.unit is not None:
        info = issues.attempt(f"{where}.unit", lambda: parse_unit(doc.unit or ""))
        unit = info.canonical if info is not None else None

    def amount(raw: Any, field: str) -> Amount | None:
        if raw is None:
            return None
        if doc.unit is not None and unit is None:
            return None  # the unit's own problem is already reported
        return issues.attempt(f"{where}.{field}", lambda: parse_amount(raw, unit))

    return KPI(
        id=doc.id or default_id,
        name=doc.name,
        goal=goal_id,
        unit=unit,
        baseline=amount(doc.baseline, "baseline"),
        target=amount(doc.target, "target"),
        current=amount(doc.current, "current"),
        direction=doc.direction,
        aggregation=doc.aggregation or Aggregation.NONE,
        evidence=doc.evidence,
        deadline=_period(doc.deadline, f"{where}.deadline", fiscal_year_end, issues),
        share_of=doc.share_of,
    )

