"""The bundled examples load completely, with lines kept for reports."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import goalalign as ga
from goalalign.domain.model import Aggregation, Change, Direction, Level, LinkTarget

EXPECTED = {
    # file: (teams, goals, KPIs, links)
    "council-it.yaml": (4, 5, 3, 3),
    "housing-authority.yaml": (4, 7, 7, 4),
    "revenue-cascade.yaml": (5, 5, 5, 4),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_loads_with_its_counts(examples_dir: Path, name: str) -> None:
    cascade = ga.load(examples_dir / name)
    teams, goals, kpis, links = EXPECTED[name]
    assert (len(cascade.teams), len(cascade.goals), len(cascade.kpis)) == (teams, goals, kpis)
    assert sum(len(goal.supports) for goal in cascade.goals) == links
    assert cascade.source.path == str(examples_dir / name)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_source_map_points_at_the_line_of_each_goal(examples_dir: Path, name: str) -> None:
    path = examples_dir / name
    cascade = ga.load(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    for index, goal in enumerate(cascade.goals):
        line = cascade.source.line_of(f"goals[{index}]")
        assert line is not None
        assert f"id: {goal.id}" in lines[line - 1]
    for index, team in enumerate(cascade.teams):
        line = cascade.source.line_of(f"teams[{index}]")
        assert line is not None
        assert f"id: {team.id}" in lines[line - 1]


def test_revenue_cascade_reads_amounts_units_and_defaults(examples_dir: Path) -> None:
    cascade = ga.load(examples_dir / "revenue-cascade.yaml")
    revenue = cascade.kpi("revenue")
    assert revenue is not None
    assert revenue.unit == "USD"
    assert revenue.baseline == ga.Amount(100e6, "USD")
    assert revenue.target == ga.Amount(200e6, "USD")
    assert revenue.direction is Change.INCREASE
    assert revenue.aggregation is Aggregation.SUM
    # a KPI without an id gets "<goal>.kpi<n>"; a team without a name is named by its id
    assert cascade.kpi("us-sales.kpi1") is not None
    assert [k.id for k in cascade.kpis_of("apac-share")] == ["apac-share.kpi1"]
    goal = cascade.goal("apac-share")
    assert goal is not None
    assert goal.level is Level.TRANSLATIONAL
    assert goal.status is ga.Status.ACTIVE
    assert goal.deadline == ga.Period("2026-12", date(2026, 12, 31))
    link = goal.supports[0]
    assert link.target_kind is LinkTarget.GOAL
    assert link.mechanism == "APAC is a new market, so its sales add to revenue"


def test_council_example_keeps_short_links_and_directions(examples_dir: Path) -> None:
    cascade = ga.load(examples_dir / "council-it.yaml")
    tickets = cascade.goal("it-tickets")
    assert tickets is not None
    assert tickets.supports == (ga.Link(LinkTarget.GOAL, "s-productivity"),)
    it = cascade.team("it")
    assert it is not None
    assert it.direction is Direction.ENABLING
    assert it.serves == ("ecodev", "spaces")
    assert cascade.organisation.as_of is not None
    assert cascade.organisation.as_of.isoformat() == "2026-02-01"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_loading_the_same_text_twice_gives_equal_cascades(examples_dir: Path, name: str) -> None:
    text = (examples_dir / name).read_text(encoding="utf-8")
    assert ga.loads(text) == ga.loads(text.encode("utf-8"))
