"""DataFrames of findings, goals, links and KPIs: fixed columns, explicit dtypes, row counts."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

import goalalign as ga
from goalalign.engine.findings import Finding, Ref, Severity
from goalalign.reporting.frames import (
    GOAL_COLUMNS,
    KPI_COLUMNS,
    LINK_COLUMNS,
    REPORT_COLUMNS,
    goals_frame,
    kpis_frame,
    links_frame,
    report_frame,
)
from goalalign.reporting.report import Report
from goalalign.scoring.score import Score

DOC = """
goalalign: 1
organisation:
  name: Frames Ltd
  promises: [{id: p1, statement: Safe sites}]
teams:
  - {id: top, name: Top}
  - {id: ops, name: Operations, parent: top}
goals:
  - id: s1
    team: top
    level: strategic
    statement: Grow revenue from $10m to $12m by 2027
    deadline: 2027-06
    last_reviewed: 2026-01-15
    kpis:
      - {id: rev, name: Revenue, unit: USD, baseline: "$10m", target: "$12m", direction: increase,
         aggregation: sum}
  - id: o1
    team: ops
    statement: Cut rework cost by 20% in 2026
    supports:
      - {goal: s1, mechanism: less rework frees money for growth, weight: 0.5}
      - {promise: p1}
      - {goal: ghost}
    hinders: [{goal: s1}]
    kpis: [{name: Rework cost, unit: EUR, baseline: 100, target: 80}]
kpis:
  - {id: loose, name: Unattached measure, unit: percent, target: 50}
"""


@pytest.fixture
def cascade() -> ga.Cascade:
    return ga.loads(DOC)


def _dtypes_match(frame: pd.DataFrame, columns: dict[str, str] | object) -> None:
    assert list(frame.columns) == list(columns)  # type: ignore[call-overload]
    for name, dtype in columns.items():  # type: ignore[attr-defined]
        actual = frame[name].dtype
        if dtype == "category":
            assert isinstance(actual, pd.CategoricalDtype), name
        elif dtype == "string":
            assert isinstance(actual, pd.StringDtype), name
        else:
            assert actual == pd.api.types.pandas_dtype(dtype), (name, actual)


def test_goals_frame(cascade: ga.Cascade) -> None:
    frame = goals_frame(cascade)
    _dtypes_match(frame, GOAL_COLUMNS)
    assert list(frame["id"]) == ["s1", "o1"]
    o1 = frame.set_index("id").loc["o1"]
    assert (o1["supports"], o1["hinders"], o1["kpis"]) == (3, 1, 1)
    assert o1["level_inferred"]
    assert o1["level"] == "translational"  # it supports a strategic goal
    s1 = frame.set_index("id").loc["s1"]
    assert s1["deadline"] == pd.Timestamp("2027-06-30")
    assert s1["last_reviewed"] == pd.Timestamp("2026-01-15")
    assert pd.isna(o1["deadline"])
    assert s1["line"] == cascade.source.line_of("goals[0]")
    assert list(frame["level"].cat.categories) == ["strategic", "translational", "operational"]


def test_links_frame(cascade: ga.Cascade) -> None:
    frame = links_frame(cascade)
    _dtypes_match(frame, LINK_COLUMNS)
    assert len(frame) == 4
    assert list(frame["kind"]) == ["supports", "supports", "supports", "hinders"]
    assert list(frame["target_exists"]) == [True, True, False, True]
    assert list(frame["explained"]) == [True, False, False, False]
    assert frame["weight"].iloc[0] == 0.5
    assert frame["weight"].isna().sum() == 3
    assert frame["target_team"].iloc[0] == "top"
    assert pd.isna(frame["target_team"].iloc[1])


def test_kpis_frame(cascade: ga.Cascade) -> None:
    frame = kpis_frame(cascade)
    _dtypes_match(frame, KPI_COLUMNS)
    assert len(frame) == len(cascade.kpis) == 3
    rev = frame.set_index("id").loc["rev"]
    assert (rev["baseline"], rev["target"]) == (10e6, 12e6)
    assert rev["baseline_unit"] == "USD"
    assert rev["aggregation"] == "sum"
    loose = frame.set_index("id").loc["loose"]
    assert pd.isna(loose["goal"])
    assert pd.isna(loose["baseline"])


def test_frames_of_an_empty_cascade_keep_their_columns_and_dtypes() -> None:
    empty = ga.loads("goalalign: 1\norganisation: {name: Empty}\n")
    for function, columns in (
        (goals_frame, GOAL_COLUMNS),
        (links_frame, LINK_COLUMNS),
        (kpis_frame, KPI_COLUMNS),
    ):
        frame = function(empty)
        assert len(frame) == 0
        _dtypes_match(frame, columns)


def test_report_frame_has_one_row_per_finding(cascade: ga.Cascade) -> None:
    findings = (
        Finding("orphan-goal", "GA102", Severity.ERROR, Ref.goal("o1"), "m", "f", team="ops"),
        Finding(
            "unexplained-link",
            "GA105",
            Severity.WARNING,
            Ref.link("o1", "p1"),
            "m2",
            "f2",
            family="chains",
            line=12,
        ),
        Finding("vague-goal", "GA300", Severity.INFO, Ref.goal("s1"), "m3", "f3"),
    )
    score = Score(overall=90.0, components={}, teams={})  # attributes no points to anything
    report = Report("Frames Ltd", findings, (), score, cascade=cascade)
    frame = report_frame(report)
    _dtypes_match(frame, REPORT_COLUMNS)
    assert len(frame) == 3
    assert list(frame["points_lost"]) == [0.0, 0.0, 0.0]
    assert list(frame["subject_target"].fillna("-")) == ["-", "p1", "-"]
    assert list(frame["line"].astype("object").where(frame["line"].notna(), None)) == [
        None,
        12,
        None,
    ]
    assert list(frame[frame["severity"] >= "warning"]["rule"]) == [
        "orphan-goal",
        "unexplained-link",
    ]
    assert report.to_dataframe().equals(frame)


def test_report_frame_points_match_the_score_attribution(cascade: ga.Cascade) -> None:
    report = ga.check(cascade)
    frame = report.to_dataframe()
    assert len(frame) == len(report.findings) > 0
    lost: dict[tuple[str, str, str, str], float] = {}
    for loss in report.score.losses:
        lost[loss.finding_key] = lost.get(loss.finding_key, 0.0) + loss.points
    recoverable = {fix.finding_key: fix.points for fix in report.score.fixes}
    for row, finding in zip(frame.itertuples(), report.findings, strict=True):
        assert row.rule == finding.rule
        assert row.points_lost == pytest.approx(lost.get(finding.key, 0.0))
        assert row.points_recoverable == pytest.approx(recoverable.get(finding.key, 0.0))
    assert frame["points_lost"].max() > 0


def test_report_frame_points_add_up_to_what_the_score_lost(examples_dir: Path) -> None:
    report = ga.check(ga.load(examples_dir / "revenue-cascade.yaml"))
    frame = report.to_dataframe()
    assert len(frame) == len(report.findings)
    assert frame["points_lost"].sum() == pytest.approx(100 - report.score.overall, abs=0.011)


def test_cascade_methods_return_the_same_frames(cascade: ga.Cascade) -> None:
    assert cascade.goals_frame().equals(goals_frame(cascade))
    assert cascade.links_frame().equals(links_frame(cascade))
    assert cascade.kpis_frame().equals(kpis_frame(cascade))


def test_missing_pandas_names_the_extra(
    cascade: ga.Cascade, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"goalalign\[dataframe\]"):
        goals_frame(cascade)
