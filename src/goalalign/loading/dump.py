"""A cascade back to a schema-v1 document, so edited or generated cascades can be saved.

The promise is an exact round trip: ``loads(dumps(cascade)) == cascade`` for every cascade that
loading can produce. That decides the details: KPIs are nested under their goal only while the
order of ``cascade.kpis`` allows it (loading lists nested KPIs first, in goal order); KPI ids are
always written, because a default id depends on position; an amount in its KPI's unit is a
bare number and any other amount a quantity string that reads back to the same canonical unit;
deadlines keep the text they were written as.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

import yaml

from goalalign.domain.cascade import Cascade
from goalalign.domain.model import (
    KPI,
    Aggregation,
    Amount,
    Goal,
    Link,
    LinkTarget,
    Period,
    Status,
    Suppression,
    Team,
)
from goalalign.loading.schema import SCHEMA_VERSION

__all__ = ["dump", "dumps"]


def dump(cascade: Cascade) -> dict[str, Any]:
    """The schema-v1 document of ``cascade`` as plain data (dicts, lists, str, float, date).

    Defaults are left out where loading restores them (a team's name equal to its id, an
    ``active`` status, ``aggregation: none``), so a dumped document reads like a written one.
    """
    organisation = cascade.organisation
    org: dict[str, Any] = {"name": organisation.name}
    if organisation.purpose is not None:
        org["purpose"] = organisation.purpose
    if organisation.promises:
        org["promises"] = [{"id": p.id, "statement": p.statement} for p in organisation.promises]
    if organisation.as_of is not None:
        org["as_of"] = organisation.as_of
    if organisation.fiscal_year_end != (12, 31):
        month, day = organisation.fiscal_year_end
        org["fiscal_year_end"] = f"{month:02d}-{day:02d}"
    document: dict[str, Any] = {"goalalign": SCHEMA_VERSION, "organisation": org}
    document["teams"] = [_team(team) for team in cascade.teams]
    nested, top_level = _place_kpis(cascade)
    document["goals"] = [_goal(goal, nested.get(goal.id, [])) for goal in cascade.goals]
    if top_level:
        document["kpis"] = [_kpi(kpi, nested=False) for kpi in top_level]
    if cascade.settings:
        document["config"] = _plain_copy(cascade.settings)
    return document


def dumps(cascade: Cascade, format: str = "yaml") -> str:
    """The document of ``cascade`` as YAML (``format="yaml"``) or JSON (``"json"``) text."""
    data = dump(cascade)
    if format == "json":
        return json.dumps(data, ensure_ascii=False, indent=2, default=_json_default) + "\n"
    if format == "yaml":
        text: str = yaml.dump(
            data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False
        )
        return text
    raise ValueError(f"unknown format {format!r}; use 'yaml' or 'json'")


class _Dumper(yaml.SafeDumper):
    """Safe YAML without anchors: the loader limits aliases, and repeats read better in full."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    """PyYAML may write a NEL (U+0085) raw, and its reader then folds it into a space."""
    if "\x85" in text:
        return dumper.represent_scalar("tag:yaml.org,2002:str", text, style='"')
    return dumper.represent_str(text)


_Dumper.add_representer(str, _represent_str)


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} cannot be written as JSON")


def _plain_copy(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {key: _plain_copy(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain_copy(item) for item in value]
    return value


def _place_kpis(cascade: Cascade) -> tuple[dict[str, list[KPI]], list[KPI]]:
    """Split KPIs into those nested under their goal and those kept at the top level.

    Loading lists nested KPIs in goal order, then top-level ones; so the longest run from the
    start whose goals exist in non-decreasing document order is nested, and the rest stays at
    the top level in its own order.
    """
    position = {goal.id: index for index, goal in enumerate(cascade.goals)}
    nested: dict[str, list[KPI]] = {}
    current = 0
    kpis = cascade.kpis
    for index, kpi in enumerate(kpis):
        goal_at = position.get(kpi.goal) if kpi.goal is not None else None
        if goal_at is None or goal_at < current:
            return nested, list(kpis[index:])
        current = goal_at
        nested.setdefault(kpi.goal or "", []).append(kpi)
    return nested, []


def _suppressions(items: tuple[Suppression, ...]) -> list[Any]:
    return [
        item.rule if item.reason is None else {"rule": item.rule, "reason": item.reason}
        for item in items
    ]


def _team(team: Team) -> dict[str, Any]:
    data: dict[str, Any] = {"id": team.id}
    if team.name != team.id:
        data["name"] = team.name
    if team.parent is not None:
        data["parent"] = team.parent
    if team.direction is not None:
        data["direction"] = team.direction.value
    if team.serves:
        data["serves"] = list(team.serves)
    if team.ignore:
        data["ignore"] = _suppressions(team.ignore)
    return data


def _link(link: Link) -> Any:
    if link.target_kind is LinkTarget.GOAL and link.mechanism is None and link.weight is None:
        return link.target_id
    data: dict[str, Any]
    if link.target_kind is LinkTarget.PURPOSE:
        data = {"purpose": True}
    else:
        data = {link.target_kind.value: link.target_id}
    if link.mechanism is not None:
        data["mechanism"] = link.mechanism
    if link.weight is not None:
        data["weight"] = _tidy(link.weight)
    return data


def _goal(goal: Goal, kpis: list[KPI]) -> dict[str, Any]:
    data: dict[str, Any] = {"id": goal.id, "team": goal.team, "statement": goal.statement}
    if goal.level is not None:
        data["level"] = goal.level.value
    if goal.status is not Status.ACTIVE:
        data["status"] = goal.status.value
    if goal.deadline is not None:
        data["deadline"] = _period(goal.deadline)
    if goal.last_reviewed is not None:
        data["last_reviewed"] = goal.last_reviewed
    if goal.supports:
        data["supports"] = [_link(link) for link in goal.supports]
    if goal.hinders:
        data["hinders"] = [_link(link) for link in goal.hinders]
    if kpis:
        data["kpis"] = [_kpi(kpi, nested=True) for kpi in kpis]
    if goal.ignore:
        data["ignore"] = _suppressions(goal.ignore)
    return data


def _kpi(kpi: KPI, *, nested: bool) -> dict[str, Any]:
    data: dict[str, Any] = {"id": kpi.id, "name": kpi.name}
    if not nested and kpi.goal is not None:
        data["goal"] = kpi.goal
    if kpi.unit is not None:
        data["unit"] = kpi.unit
    for field, amount in (
        ("baseline", kpi.baseline),
        ("target", kpi.target),
        ("current", kpi.current),
    ):
        if amount is not None:
            data[field] = _amount(amount, kpi.unit)
    if kpi.direction is not None:
        data["direction"] = kpi.direction.value
    if kpi.aggregation is not Aggregation.NONE:
        data["aggregation"] = kpi.aggregation.value
    if kpi.evidence is not None:
        data["evidence"] = kpi.evidence.value
    if kpi.deadline is not None:
        data["deadline"] = _period(kpi.deadline)
    if kpi.share_of is not None:
        data["share_of"] = kpi.share_of
    return data


def _amount(amount: Amount, unit: str | None) -> float | str:
    """A bare number in the KPI's unit, else a quantity string in the amount's own unit."""
    if amount.unit == unit or amount.unit is None:
        return _tidy(amount.value)
    return f"{_plain_number(amount.value)} {amount.unit}"


def _tidy(value: float) -> float | int:
    """Whole numbers as ints (``15`` reads better than ``15.0`` and loads as the same float)."""
    if value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _plain_number(value: float) -> str:
    """``value`` without an exponent (quantity strings have none), reading back exactly."""
    text = repr(value)
    if "e" in text or "E" in text:
        text = format(Decimal(text), "f")
    return text


def _period(period: Period) -> str:
    return period.text
