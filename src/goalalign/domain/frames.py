"""pandas DataFrames of a cascade's goals, links and KPIs (and the shared column machinery).

These frames depend on the cascade alone, so they live in the domain layer and
:class:`~goalalign.domain.cascade.Cascade` offers them as methods without importing anything
from the layers above; the report's own frame is in :mod:`goalalign.reporting.frames`.

pandas is optional (the ``goalalign[dataframe]`` extra) and imported only when a frame is asked
for. Every frame has a fixed set of columns with explicit dtypes, whatever the data, so code
that reads them (and an empty cascade) never meets an ``object`` column by surprise:

* ids and free text are pandas ``string`` columns (missing values are ``<NA>``);
* numbers are ``float64`` (missing values are ``NaN``), counts ``int64``, document lines the
  nullable ``Int64``;
* closed vocabularies (severity, level, status, link kind, …) are ``category`` columns with
  all their categories declared, and ``severity`` is ordered ``info < warning < error`` so
  ``df[df.severity >= "warning"]`` works;
* dates are ``datetime64[ns]`` (``NaT`` when unknown).

The columns of each frame are listed in its function's documentation and in
:data:`GOAL_COLUMNS`, :data:`LINK_COLUMNS` and :data:`KPI_COLUMNS`.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from goalalign.domain.model import (
    Aggregation,
    Amount,
    Change,
    EvidenceKind,
    Level,
    LinkTarget,
    Status,
)

if TYPE_CHECKING:
    import pandas as pd

    from goalalign.domain.cascade import Cascade

__all__ = [
    "GOAL_COLUMNS",
    "KPI_COLUMNS",
    "LINK_COLUMNS",
    "goals_frame",
    "kpis_frame",
    "links_frame",
]

_SEVERITIES = ("info", "warning", "error")
_SUBJECT_KINDS = ("goal", "team", "kpi", "link", "organisation")


def _values(enum_type: Any) -> tuple[str, ...]:
    return tuple(member.value for member in enum_type)


GOAL_COLUMNS: Mapping[str, str] = {
    "id": "string",
    "team": "string",
    "statement": "string",
    "level": "category",
    "level_inferred": "bool",
    "status": "category",
    "deadline": "datetime64[ns]",
    "deadline_text": "string",
    "last_reviewed": "datetime64[ns]",
    "supports": "int64",
    "hinders": "int64",
    "kpis": "int64",
    "line": "Int64",
}
"""Columns of :func:`goals_frame` and their dtypes."""

LINK_COLUMNS: Mapping[str, str] = {
    "source": "string",
    "source_team": "string",
    "kind": "category",
    "target_kind": "category",
    "target": "string",
    "target_team": "string",
    "target_exists": "bool",
    "mechanism": "string",
    "explained": "bool",
    "weight": "float64",
}
"""Columns of :func:`links_frame` and their dtypes."""

KPI_COLUMNS: Mapping[str, str] = {
    "id": "string",
    "name": "string",
    "goal": "string",
    "team": "string",
    "unit": "string",
    "baseline": "float64",
    "baseline_unit": "string",
    "target": "float64",
    "target_unit": "string",
    "current": "float64",
    "current_unit": "string",
    "direction": "category",
    "aggregation": "category",
    "evidence": "category",
    "deadline": "datetime64[ns]",
    "share_of": "string",
}
"""Columns of :func:`kpis_frame` and their dtypes."""

_CATEGORIES: Mapping[str, tuple[tuple[str, ...], bool]] = {
    "severity": (_SEVERITIES, True),
    "subject_kind": (_SUBJECT_KINDS, False),
    "level": (_values(Level), True),
    "status": (_values(Status), False),
    "kind": (("supports", "hinders"), False),
    "target_kind": (_values(LinkTarget), False),
    "direction": (_values(Change), False),
    "aggregation": (_values(Aggregation), False),
    "evidence": (_values(EvidenceKind), False),
}


def _pandas() -> Any:
    try:
        return importlib.import_module("pandas")
    except ImportError as exc:
        raise ImportError(
            "goalalign's DataFrames need pandas, which is not installed; install the "
            "'dataframe' extra: pip install 'goalalign[dataframe]'"
        ) from exc


def _frame(columns: Mapping[str, str], data: Mapping[str, Sequence[Any]]) -> pd.DataFrame:
    """A DataFrame with exactly ``columns``, each with its declared dtype."""
    pandas = _pandas()
    series: dict[str, Any] = {}
    for name, dtype in columns.items():
        values = list(data[name])
        if dtype == "category":
            categories, ordered = _CATEGORIES[name]
            series[name] = pandas.Categorical(values, categories=categories, ordered=ordered)
        elif dtype.startswith("datetime64"):
            series[name] = pandas.to_datetime(
                pandas.Series(values, dtype="object"), errors="coerce"
            ).astype(dtype)
        else:
            series[name] = pandas.array(values, dtype=dtype)
    frame: pd.DataFrame = pandas.DataFrame(series, columns=list(columns))
    return frame


def _columns(columns: Mapping[str, str]) -> dict[str, list[Any]]:
    return {name: [] for name in columns}


def goals_frame(cascade: Cascade) -> pd.DataFrame:
    """One row per goal, in document order.

    Columns: ``id``, ``team``, ``statement``, ``level`` (ordered category, declared or
    inferred), ``level_inferred`` (``bool``), ``status`` (category), ``deadline`` (the end of
    the declared deadline period), ``deadline_text`` (as written), ``last_reviewed``,
    ``supports`` / ``hinders`` / ``kpis`` (counts, ``int64``) and ``line`` (``Int64``).
    """
    data = _columns(GOAL_COLUMNS)
    for goal in cascade.goals:
        data["id"].append(goal.id)
        data["team"].append(goal.team)
        data["statement"].append(goal.statement)
        data["level"].append(cascade.level_of(goal).value)
        data["level_inferred"].append(goal.level is None)
        data["status"].append(goal.status.value)
        data["deadline"].append(goal.deadline.end if goal.deadline else None)
        data["deadline_text"].append(goal.deadline.text if goal.deadline else None)
        data["last_reviewed"].append(goal.last_reviewed)
        data["supports"].append(len(goal.supports))
        data["hinders"].append(len(goal.hinders))
        data["kpis"].append(len(cascade.kpis_of(goal.id)))
        location = cascade.goal_location(goal.id)
        data["line"].append(cascade.source.line_of(location) if location else None)
    return _frame(GOAL_COLUMNS, data)


def links_frame(cascade: Cascade) -> pd.DataFrame:
    """One row per ``supports`` or ``hinders`` link, by source goal in document order.

    Columns: ``source`` (goal id), ``source_team``, ``kind`` (``supports`` / ``hinders``),
    ``target_kind`` (``goal`` / ``promise`` / ``purpose``), ``target`` (``<NA>`` for purpose),
    ``target_team`` (the target goal's team, else ``<NA>``), ``target_exists`` (``bool``:
    ``False`` for a dangling link), ``mechanism``, ``explained`` (``bool``: a mechanism is
    written) and ``weight`` (``float64``, ``NaN`` when not declared).
    """
    promises = cascade.promise_ids()
    data = _columns(LINK_COLUMNS)
    for goal in cascade.goals:
        for kind, links in (("supports", goal.supports), ("hinders", goal.hinders)):
            for link in links:
                target_team = None
                if link.target_kind is LinkTarget.GOAL:
                    target = cascade.goal(str(link.target_id))
                    exists = target is not None
                    target_team = target.team if target is not None else None
                elif link.target_kind is LinkTarget.PROMISE:
                    exists = link.target_id in promises
                else:
                    exists = True
                data["source"].append(goal.id)
                data["source_team"].append(goal.team)
                data["kind"].append(kind)
                data["target_kind"].append(link.target_kind.value)
                data["target"].append(link.target_id)
                data["target_team"].append(target_team)
                data["target_exists"].append(exists)
                data["mechanism"].append(link.mechanism)
                data["explained"].append(bool(link.mechanism and link.mechanism.strip()))
                data["weight"].append(float("nan") if link.weight is None else link.weight)
    return _frame(LINK_COLUMNS, data)


def _amount(amount: Amount | None) -> tuple[float, str | None]:
    return (float("nan"), None) if amount is None else (float(amount.value), amount.unit)


def kpis_frame(cascade: Cascade) -> pd.DataFrame:
    """One row per KPI, in document order.

    Columns: ``id``, ``name``, ``goal`` (``<NA>`` for a KPI measuring nothing), ``team`` (the
    goal's team), ``unit`` (canonical), ``baseline`` / ``target`` / ``current`` (``float64``)
    each with its own ``*_unit`` (an amount keeps the unit it was written in), ``direction``,
    ``aggregation`` and ``evidence`` (categories; ``NaN`` when not declared), ``deadline`` and
    ``share_of``.
    """
    data = _columns(KPI_COLUMNS)
    for kpi in cascade.kpis:
        goal = cascade.goal(kpi.goal) if kpi.goal is not None else None
        data["id"].append(kpi.id)
        data["name"].append(kpi.name)
        data["goal"].append(kpi.goal)
        data["team"].append(goal.team if goal is not None else None)
        data["unit"].append(kpi.unit)
        for field in ("baseline", "target", "current"):
            value, unit = _amount(getattr(kpi, field))
            data[field].append(value)
            data[f"{field}_unit"].append(unit)
        data["direction"].append(kpi.direction.value if kpi.direction else None)
        data["aggregation"].append(kpi.aggregation.value)
        data["evidence"].append(kpi.evidence.value if kpi.evidence else None)
        data["deadline"].append(kpi.deadline.end if kpi.deadline else None)
        data["share_of"].append(kpi.share_of)
    return _frame(KPI_COLUMNS, data)
