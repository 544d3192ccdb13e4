"""The pandas DataFrame of a report's findings, beside the cascade's own frames.

The goal, link and KPI frames depend on the cascade alone and live in
:mod:`goalalign.domain.frames`; they are re-exported here so one import serves an analysis.
Columns and dtypes follow the same conventions (see that module).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from goalalign.domain.frames import (
    GOAL_COLUMNS,
    KPI_COLUMNS,
    LINK_COLUMNS,
    _columns,
    _frame,
    goals_frame,
    kpis_frame,
    links_frame,
)

if TYPE_CHECKING:
    import pandas as pd

    from goalalign.reporting.report import Report

__all__ = [
    "GOAL_COLUMNS",
    "KPI_COLUMNS",
    "LINK_COLUMNS",
    "REPORT_COLUMNS",
    "goals_frame",
    "kpis_frame",
    "links_frame",
    "report_frame",
]

REPORT_COLUMNS: Mapping[str, str] = {
    "rule": "string",
    "code": "string",
    "severity": "category",
    "family": "string",
    "subject_kind": "category",
    "subject_id": "string",
    "subject_target": "string",
    "team": "string",
    "message": "string",
    "fix": "string",
    "line": "Int64",
    "points_lost": "float64",
    "points_recoverable": "float64",
}
"""Columns of :func:`report_frame` and their dtypes."""


def report_frame(report: Report) -> pd.DataFrame:
    """One row per finding, in report order.

    Columns: ``rule``, ``code``, ``severity`` (ordered category), ``family``,
    ``subject_kind`` (category), ``subject_id``, ``subject_target`` (a link's target, else
    ``<NA>``), ``team``, ``message``, ``fix``, ``line`` (``Int64``, the document line when
    known), ``points_lost`` (the overall score points attributed to the finding) and
    ``points_recoverable`` (the points resolving it alone would recover; ``0.0`` for a finding
    the score does not count).
    """
    lost: dict[tuple[str, str, str, str], float] = {}
    for loss in getattr(report.score, "losses", ()):
        lost[loss.finding_key] = lost.get(loss.finding_key, 0.0) + float(loss.points)
    recoverable: dict[tuple[str, str, str, str], float] = {}
    for fix in getattr(report.score, "fixes", ()):
        recoverable.setdefault(fix.finding_key, float(fix.points))
    data = _columns(REPORT_COLUMNS)
    for finding in report.findings:
        data["rule"].append(finding.rule)
        data["code"].append(finding.code)
        data["severity"].append(finding.severity.value)
        data["family"].append(finding.family)
        data["subject_kind"].append(finding.subject.kind.value)
        data["subject_id"].append(finding.subject.id)
        data["subject_target"].append(finding.subject.target)
        data["team"].append(finding.team)
        data["message"].append(finding.message)
        data["fix"].append(finding.fix)
        data["line"].append(finding.line)
        data["points_lost"].append(lost.get(finding.key, 0.0))
        data["points_recoverable"].append(recoverable.get(finding.key, 0.0))
    return _frame(REPORT_COLUMNS, data)
