"""Invariants of the roll-up and of progress, over generated cascades."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goalalign.analysis.progress import progress
from goalalign.analysis.rollup import rollup
from goalalign.domain.cascade import Cascade
from goalalign.domain.model import (
    KPI,
    Aggregation,
    Amount,
    Goal,
    Link,
    LinkTarget,
    Organisation,
    Team,
)

amounts = st.integers(min_value=-10**9, max_value=10**9).map(float)
changes = st.lists(st.integers(min_value=-10**6, max_value=10**6), min_size=1, max_size=12)


def _cascade(
    parent_change: float,
    parts: list[tuple[float, float, str]],
    *,
    current: list[float | None] | None = None,
) -> Cascade:
    """A parent goal with a summing USD KPI and one supporting goal per part.

    Each part is ``(baseline, target, unit)``.
    """
    goals = [Goal("parent", "t", "Grow the total")]
    kpis = [
        KPI("total", "Total", "parent", "USD", Amount(0.0, "USD"),
            Amount(parent_change, "USD"), aggregation=Aggregation.SUM)
    ]
    for i, (baseline, target, unit) in enumerate(parts):
        goals.append(
            Goal(f"g{i}", "t", f"Part {i}", supports=(Link(LinkTarget.GOAL, "parent", "m"),))
        )
        value = None if current is None else current[i]
        now = None if value is None else Amount(value, unit)
        kpis.append(
            KPI(f"k{i}", f"Part {i}", f"g{i}", unit, Amount(baseline, unit),
                Amount(target, unit), now)
        )
    return Cascade(Organisation("Test"), (Team("t", "T"),), tuple(goals), tuple(kpis))


@given(changes, st.randoms(use_true_random=False))
def test_order_of_parts_does_not_matter(values: list[int], rnd: object) -> None:
    parts = [(0.0, float(v), "USD") for v in values]
    shuffled = list(parts)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    first = rollup(_cascade(1e6, parts)).result("total")
    second = rollup(_cascade(1e6, shuffled)).result("total")
    assert first is not None
    assert second is not None
    assert first.parts_value == second.parts_value


@given(changes, st.lists(st.booleans(), min_size=12, max_size=12))
def test_equivalent_units_give_the_same_total(values: list[int], in_thousands: list[bool]) -> None:
    plain = [(0.0, float(v), "USD") for v in values]
    mixed = [
        (0.0, v / 1000.0, "kiloUSD") if k else (0.0, float(v), "USD")
        for v, k in zip(values, in_thousands, strict=False)
    ]
    first = rollup(_cascade(1e6, plain)).result("total")
    second = rollup(_cascade(1e6, mixed)).result("total")
    assert first is not None
    assert second is not None
    assert second.parts_value == pytest.approx(first.parts_value, rel=1e-9, abs=1e-6)


@given(st.lists(st.tuples(amounts, st.integers(-10**6, 10**6)), min_size=1, max_size=10))
def test_parts_that_sum_exactly_have_no_shortfall(rows: list[tuple[float, int]]) -> None:
    parts = [(baseline, baseline + delta, "USD") for baseline, delta in rows]
    total = math.fsum(float(delta) for _, delta in rows)
    result = rollup(_cascade(total, parts)).result("total")
    assert result is not None
    assert not result.shortfall(0.01)
    assert not result.overcommitment(0.01)
    assert result.gap == pytest.approx(0.0, abs=1e-3)


@given(
    st.lists(st.integers(min_value=0, max_value=100), min_size=1, max_size=5),
    st.integers(min_value=1, max_value=10**6),
)
def test_a_goal_supporting_several_parents_is_counted_once(
    weights: list[int], change: int
) -> None:
    if sum(weights) == 0:
        weights = [1, *weights[1:]]
    parents = [Goal(f"p{i}", "t", f"Parent {i}") for i in range(len(weights))]
    kpis = [
        KPI(f"k{i}", "K", f"p{i}", "USD", Amount(0.0, "USD"), Amount(1.0, "USD"),
            aggregation=Aggregation.SUM)
        for i in range(len(weights))
    ]
    links = tuple(
        Link(LinkTarget.GOAL, f"p{i}", "m", float(w)) for i, w in enumerate(weights)
    )
    supporter = Goal("s", "t", "Supporter", supports=links)
    kpis.append(KPI("ks", "K", "s", "USD", Amount(0.0, "USD"), Amount(float(change), "USD")))
    cascade = Cascade(
        Organisation("Test"), (Team("t", "T"),), (*parents, supporter), tuple(kpis)
    )
    analysis = rollup(cascade)
    assert math.fsum(r.parts_value or 0.0 for r in analysis.results) == pytest.approx(change)


@given(
    st.lists(
        st.tuples(amounts, amounts, st.one_of(st.none(), amounts)), min_size=1, max_size=8
    ),
    st.sampled_from(["weighted", "equal", "target"]),
)
def test_progress_stays_within_zero_and_one(
    rows: list[tuple[float, float, float | None]], method: str
) -> None:
    parts = [(b, t, "USD") for b, t, _ in rows]
    cascade = _cascade(1e6, parts, current=[c for _, _, c in rows])
    table = progress(cascade, method=method)  # type: ignore[arg-type]
    for row in table:
        for value in (row.progress, row.own, row.rolled_up):
            assert value is None or 0.0 <= value <= 1.0
