"""Progress of KPIs and goals, rolled up by link weight, equally or by planned contribution."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from goalalign.analysis.progress import ProgressRow, ProgressTable, kpi_progress, progress
from goalalign.analysis.rollup import ResolvedKPI
from goalalign.domain.cascade import Cascade
from goalalign.domain.model import Change
from goalalign.loading import LoadError, load, loads

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def kpi(name: str, baseline: Any, target: Any, current: Any = None, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"id": name, "name": name, "unit": extra.pop("unit", "USD"),
                            "baseline": baseline, "target": target}
    if current is not None:
        data["current"] = current
    data.update(extra)
    return data


def goal(goal_id: str, *kpis: dict[str, Any], supports: list[Any] | None = None) -> dict[str, Any]:
    return {"id": goal_id, "team": "t", "statement": f"Deliver {goal_id} by 2027",
            "supports": supports or [], "kpis": list(kpis)}


def cascade_of(*goals: dict[str, Any]) -> Cascade:
    doc = {"goalalign": 1, "organisation": {"name": "Test"}, "teams": [{"id": "t"}],
           "goals": list(goals)}
    return loads(yaml.safe_dump(doc, sort_keys=False))


def resolved(baseline: float | None, target: float | None, current: float | None,
             direction: Change | None = None) -> ResolvedKPI:
    if direction is None and baseline is not None and target is not None:
        direction = (Change.INCREASE if target > baseline
                     else Change.DECREASE if target < baseline else Change.MAINTAIN)
    return ResolvedKPI("k", None, "USD", baseline, target, current, direction)


# -- KPI progress ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("baseline", "target", "current", "expected"),
    [
        (10, 20, 15, 0.5),
        (10, 20, 10, 0.0),
        (10, 20, 25, 1.0),  # overshoot is clamped
        (10, 20, 5, 0.0),  # moving the wrong way is clamped
        (50, 40, 45, 0.5),  # decrease, mirrored
        (50, 40, 38, 1.0),
        (50, 40, 55, 0.0),
    ],
)
def test_kpi_progress_is_direction_aware_and_clamped(
    baseline: float, target: float, current: float, expected: float
) -> None:
    assert kpi_progress(resolved(baseline, target, current)) == pytest.approx(expected)


def test_maintain_is_held_or_not() -> None:
    held = resolved(99.9, 99.9, 99.0, Change.MAINTAIN)
    assert kpi_progress(held) == 1.0
    lost = resolved(99.9, 99.9, 90.0, Change.MAINTAIN)
    assert kpi_progress(lost) == 0.0
    assert kpi_progress(lost, maintain_tolerance=0.2) == 1.0
    no_target = resolved(50, None, 50, Change.MAINTAIN)
    assert kpi_progress(no_target) == 1.0


def test_unknown_without_current_baseline_or_target() -> None:
    assert kpi_progress(resolved(10, 20, None)) is None
    assert kpi_progress(resolved(None, 20, 15)) is None
    assert kpi_progress(resolved(10, None, 15, Change.INCREASE)) is None


# -- goals and roll-up -----------------------------------------------------------------------


def _tree(weight_a: float | None = None, weight_b: float | None = None) -> Cascade:
    def link(weight: float | None) -> dict[str, Any]:
        data: dict[str, Any] = {"goal": "top", "mechanism": "part of the total"}
        if weight is not None:
            data["weight"] = weight
        return data

    return cascade_of(
        goal("top", kpi("total", 0, "$10m", aggregation="sum")),
        goal("a", kpi("a1", 0, "$8m", "$8m"), supports=[link(weight_a)]),
        goal("b", kpi("b1", 0, "$2m", 0), kpi("b2", 0, "$2m", "$1m"), supports=[link(weight_b)]),
    )


def test_goal_own_progress_is_the_mean_of_its_kpis() -> None:
    table = progress(_tree())
    row = table.goal("b")
    assert row is not None
    assert row.own == pytest.approx(0.25)
    assert row.progress == pytest.approx(0.25)
    assert row.rolled_up is None


@pytest.mark.parametrize(
    ("method", "weights", "expected"),
    [
        ("equal", (3, 1), (1.0 + 0.25) / 2),
        ("weighted", (3, 1), (3 * 1.0 + 1 * 0.25) / 4),
        ("weighted", (None, None), (1.0 + 0.25) / 2),
        ("target", (None, None), (8 * 1.0 + 2 * 0.25) / 10),
    ],
)
def test_rolled_up_progress_by_method(
    method: Any, weights: tuple[float | None, float | None], expected: float
) -> None:
    table = progress(_tree(*weights), method=method)
    top = table.goal("top")
    assert top is not None
    assert top.rolled_up == pytest.approx(expected)
    assert top.own is None  # the parent KPI has no current value
    assert top.progress == pytest.approx(expected)
    assert (top.supporters, top.measured_supporters) == (2, 2)
    assert table.method == method


def test_parent_with_own_measure_reports_both() -> None:
    cascade = cascade_of(
        goal("top", kpi("total", 0, "$10m", "$1m", aggregation="sum")),
        goal("a", kpi("a1", 0, "$10m", "$5m"), supports=["top"]),
    )
    top = progress(cascade).goal("top")
    assert top is not None
    assert (top.own, top.rolled_up, top.progress) == pytest.approx((0.1, 0.5, 0.1))


def test_rollup_goes_through_unmeasured_middle_goals() -> None:
    cascade = cascade_of(
        goal("top"),
        goal("mid", supports=["top"]),
        goal("low", kpi("k", 0, 10, 4, unit="count"), supports=["mid"]),
        goal("blank", supports=["mid"]),
    )
    table = progress(cascade)
    mid, top = table.goal("mid"), table.goal("top")
    assert mid is not None
    assert top is not None
    assert mid.rolled_up == pytest.approx(0.4)
    assert (mid.supporters, mid.measured_supporters) == (2, 1)
    assert top.rolled_up == pytest.approx(0.4)


def test_goal_supporting_two_parents_counts_in_each() -> None:
    cascade = cascade_of(
        goal("p1"),
        goal("p2"),
        goal("s", kpi("k", 0, 10, 5, unit="count"), supports=["p1", "p2"]),
    )
    table = progress(cascade)
    assert [table.goal(g).rolled_up for g in ("p1", "p2")] == pytest.approx([0.5, 0.5])  # type: ignore[union-attr]


def test_cycles_get_no_rolled_up_progress() -> None:
    cascade = cascade_of(
        goal("a", kpi("ka", 0, 10, 5, unit="count"), supports=["b"]),
        goal("b", supports=["a"]),
        goal("c", kpi("kc", 0, 10, 10, unit="count"), supports=["a"]),
    )
    table = progress(cascade)
    b = table.goal("b")
    assert b is not None
    assert b.rolled_up is None
    assert b.progress is None
    assert table.goal("c").progress == 1.0  # type: ignore[union-attr]


def test_unknown_method_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown progress method"):
        progress(_tree(), method="median")  # type: ignore[arg-type]


# -- the table -------------------------------------------------------------------------------


def test_table_is_table_like() -> None:
    cascade = _tree()
    table = progress(cascade)
    assert isinstance(table, ProgressTable)
    assert len(table) == len(cascade.kpis) + len(cascade.goals)
    rows = list(table)
    assert all(isinstance(r, ProgressRow) for r in rows)
    assert [r.kind for r in rows] == ["kpi"] * 4 + ["goal"] * 3
    records = table.to_records()
    assert records[0] == {
        "kind": "kpi", "id": "total", "goal": "top", "team": "t", "progress": None,
        "own": None, "rolled_up": None, "supporters": 0, "measured_supporters": 0,
    }
    assert table.kpi("b2").progress == pytest.approx(0.5)  # type: ignore[union-attr]
    assert table.kpi("missing") is None
    with pytest.raises(AttributeError):
        rows[0].progress = 1.0  # type: ignore[misc]


def test_to_dataframe_dtypes_and_row_counts() -> None:
    pd = pytest.importorskip("pandas")
    cascade = load(EXAMPLES / "revenue-cascade.yaml")
    frame = progress(cascade).to_dataframe()
    assert isinstance(frame, pd.DataFrame)
    assert len(frame) == len(cascade.kpis) + len(cascade.goals)
    assert (frame["kind"] == "goal").sum() == len(cascade.goals)
    assert str(frame["progress"].dtype) == "float64"
    assert str(frame["rolled_up"].dtype) == "float64"
    assert str(frame["supporters"].dtype) == "int64"
    assert frame["id"].dtype == object
    assert frame["progress"].isna().all()  # the example has no current values
    revenue = frame[(frame["kind"] == "goal") & (frame["id"] == "s-revenue")]
    assert int(revenue["supporters"].iloc[0]) == 3


def test_to_dataframe_with_values() -> None:
    pytest.importorskip("pandas")
    frame = progress(_tree()).to_dataframe()
    goals = frame[frame["kind"] == "goal"].set_index("id")
    assert goals.loc["a", "progress"] == pytest.approx(1.0)
    assert goals["progress"].between(0, 1).all()


# -- weights are input errors when unusable ----------------------------------------------------


def test_negative_link_weight_is_a_load_error() -> None:
    doc = yaml.safe_dump({
        "goalalign": 1, "organisation": {"name": "Test"}, "teams": [{"id": "t"}],
        "goals": [goal("top"), goal("a", supports=[{"goal": "top", "weight": -1}])],
    })
    with pytest.raises(LoadError) as caught:
        loads(doc)
    assert "goals[1].supports[0].weight" in str(caught.value)
    assert "negative" in str(caught.value)


def test_link_weights_summing_to_zero_are_a_load_error() -> None:
    doc = yaml.safe_dump({
        "goalalign": 1, "organisation": {"name": "Test"}, "teams": [{"id": "t"}],
        "goals": [goal("p1"), goal("p2"), goal("a", supports=[
            {"goal": "p1", "weight": 0}, {"goal": "p2", "weight": 0}])],
    })
    with pytest.raises(LoadError) as caught:
        loads(doc)
    assert "goals[2].supports" in str(caught.value)
    assert "add up to zero" in str(caught.value)


def test_to_dataframe_without_pandas_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"goalalign\[dataframe\]"):
        progress(_tree()).to_dataframe()
