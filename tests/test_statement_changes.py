"""The statement directions the false-alignment rules read: from the check's readings when it
has them, else read goal by goal, and only for the goals whose KPIs give no direction."""

from __future__ import annotations

from typing import Any

import pytest

import goalalign as ga
from goalalign.engine.context import CheckContext
from goalalign.loading import document_to_cascade
from goalalign.rules import echoes
from goalalign.rules.echoes import statement_analysis, statement_changes
from goalalign.testing.generator import generate_document
from goalalign.text.statement import parse_statement, parsed_statements

FALSE_ALIGNMENT = ("echoes", "conflicts")


@pytest.fixture(scope="module")
def cascade() -> ga.Cascade:
    return document_to_cascade(generate_document(600, seed=4, kpi_ratio=0.7))


def test_without_readings_a_statement_is_read_only_when_asked(cascade: ga.Cascade) -> None:
    ctx = CheckContext(cascade)
    changes = ctx.derive(statement_changes)
    assert isinstance(changes, echoes._ChangesOnDemand)
    assert not ctx.has(parsed_statements)
    assert changes.reads == 0
    assert len(changes) == len(cascade.goals)
    last = cascade.goals[-1]
    expected = parse_statement(
        last.statement, ctx.as_of, fiscal_year_end=cascade.organisation.fiscal_year_end
    ).change
    assert changes[-1] == expected
    assert changes[len(cascade.goals) - 1] == expected
    assert changes.reads == 1  # the same goal, asked twice, is read once


def test_on_demand_gives_every_goal_the_readings_direction(cascade: ga.Cascade) -> None:
    full = CheckContext(cascade)
    full.derive(parsed_statements)
    from_readings = full.derive(statement_changes)
    assert isinstance(from_readings, list)
    on_demand = CheckContext(cascade).derive(statement_changes)
    assert list(on_demand) == from_readings
    assert on_demand[2:9:3] == from_readings[2:9:3]
    assert any(change is not None for change in from_readings)


def test_false_alignment_rules_alone_read_few_statements(cascade: ga.Cascade) -> None:
    ctx = CheckContext(cascade)
    analysis = statement_analysis(ctx)
    for i in range(len(cascade.goals)):
        analysis.change(i)
    reads = ctx.derive(statement_changes).reads  # type: ignore[attr-defined]
    without_kpi_direction = sum(
        1
        for goal in cascade.goals
        if all(echoes.kpi_change(kpi) is None for kpi in cascade.kpis_of(goal.id))
    )
    assert 0 < reads == without_kpi_direction < len(cascade.goals)
    assert not ctx.has(parsed_statements)


def _findings(report: ga.Report) -> list[dict[str, Any]]:
    return [f.to_dict() for f in report.findings if f.family in FALSE_ALIGNMENT]


def test_a_selected_check_finds_what_a_full_check_finds(cascade: ga.Cascade) -> None:
    alone = ga.check(cascade, ga.Config(select=FALSE_ALIGNMENT))
    full = ga.check(cascade)
    assert _findings(alone) == _findings(full)
    assert _findings(alone)
