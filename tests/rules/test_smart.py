"""The ``smart`` rules: vague, unmeasured, implausible, undated and activity goals."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from goalalign.domain.cascade import Cascade
from goalalign.engine.config import Config
from goalalign.engine.findings import Finding, Severity, SubjectKind
from goalalign.engine.registry import Registry, builtin_rules
from goalalign.engine.rule import Rule
from goalalign.engine.runner import run_rules
from goalalign.loading import loads
from goalalign.rules.smart import (
    activity_goal,
    implausible_target,
    no_deadline,
    unmeasured_goal,
    vague_goal,
)

SMART = (vague_goal, unmeasured_goal, implausible_target, no_deadline, activity_goal)


def findings(cascade: Cascade, *rules: Rule, config: Config | None = None) -> list[Finding]:
    return list(run_rules(cascade, config, registry=Registry(rules)).findings)


def one_goal(statement: str, *kpis: dict[str, Any], **fields: Any) -> Cascade:
    goal: dict[str, Any] = {"id": "g", "team": "t", "statement": statement, "level": "strategic"}
    goal.update(fields)
    if kpis:
        goal["kpis"] = list(kpis)
    doc = {
        "goalalign": 1,
        "organisation": {"name": "Test", "as_of": "2026-01-15"},
        "teams": [{"id": "t"}],
        "goals": [goal],
    }
    return loads(yaml.safe_dump(doc, sort_keys=False))


def rule_names(found: list[Finding]) -> set[str]:
    return {f.rule for f in found}


@pytest.mark.parametrize("item", SMART, ids=lambda r: r.name)
def test_bad_example_triggers_the_rule_and_good_does_not(item: Rule) -> None:
    bad = findings(loads(item.meta.bad), item)
    assert [f.rule for f in bad] == [item.name]
    assert bad[0].severity is Severity.WARNING
    assert bad[0].family == "smart"
    assert "source" in bad[0].evidence
    assert findings(loads(item.meta.good), item) == []


@pytest.mark.parametrize("item", SMART, ids=lambda r: r.name)
def test_bad_example_triggers_nothing_else_of_the_registry(item: Rule) -> None:
    everything = Registry(builtin_rules())
    found = list(run_rules(loads(item.meta.bad), registry=everything).findings)
    assert rule_names(found) == {item.name}
    good = list(run_rules(loads(item.meta.good), registry=everything).findings)
    assert good == []


# -- vague-goal --------------------------------------------------------------------------------


def test_vague_goal_names_the_weasel_words() -> None:
    [finding] = findings(one_goal("Drive operational excellence across all plants"), vague_goal)
    assert finding.subject.kind is SubjectKind.GOAL
    assert finding.evidence["vague_words"] == ["drive", "excellence"]
    assert "read from the statement" in finding.message


@pytest.mark.parametrize(
    "statement",
    [
        "Improve ticket resolution time",
        "Improve customer satisfaction from 72% to 80% by 2027",
        "Raise corporate productivity",
    ],
)
def test_weasel_words_with_a_measurable_object_are_not_vague(statement: str) -> None:
    assert findings(one_goal(statement), vague_goal) == []


def test_vague_goal_mentions_kpis_that_may_hold_the_specifics() -> None:
    cascade = one_goal(
        "Enhance the patient experience",
        {"id": "nps", "name": "Patient NPS", "unit": "count", "baseline": 20, "target": 35},
    )
    [finding] = findings(cascade, vague_goal)
    assert finding.evidence["kpis"] == ["nps"]
    assert "nps" in finding.message


def test_retired_goals_are_not_checked() -> None:
    cascade = one_goal("Improve customer experience", status="retired")
    assert findings(cascade, *SMART) == []


# -- unmeasured-goal ---------------------------------------------------------------------------


def test_unmeasured_goal_passes_with_a_kpi_or_a_quantity() -> None:
    assert findings(one_goal("Raise corporate productivity"), unmeasured_goal) != []
    with_kpi = one_goal("Raise corporate productivity", {"name": "Output per hour", "unit": "USD"})
    assert findings(with_kpi, unmeasured_goal) == []
    assert findings(one_goal("Double corporate productivity"), unmeasured_goal) == []
    assert findings(one_goal("Raise productivity by 5%"), unmeasured_goal) == []


# -- implausible-target ------------------------------------------------------------------------


def kpi(baseline: float, target: float, direction: str | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {"id": "k", "name": "Monthly active users", "unit": "count"}
    data.update(baseline=baseline, target=target)
    if direction is not None:
        data["direction"] = direction
    return data


def test_implausible_target_from_kpi_fields() -> None:
    cascade = one_goal("Grow monthly active users", kpi(1000, 9000, "increase"), deadline="2026-12")
    [finding] = findings(cascade, implausible_target)
    assert finding.subject == finding.subject.kpi("k")
    assert finding.evidence["source"] == "kpi"
    assert finding.evidence["change_per_year"] > 3.0
    assert "read from the KPI's fields" in finding.message


def test_a_plausible_target_passes_and_the_limit_is_an_option() -> None:
    cascade = one_goal("Grow monthly active users", kpi(1000, 3000, "increase"), deadline="2026-12")
    assert findings(cascade, implausible_target) == []
    strict = Config.from_mapping({"options": {"implausible-target": {"max_change_per_year": 1.0}}})
    assert len(findings(cascade, implausible_target, config=strict)) == 1


def test_without_any_direction_the_numbers_decide() -> None:
    cascade = one_goal("Monthly active users", kpi(1000, 9000), deadline="2026-12")
    assert len(findings(cascade, implausible_target)) == 1
    flat = one_goal("Monthly active users", kpi(1000, 1000), deadline="2026-12")
    assert findings(flat, implausible_target) == []


def test_cuts_are_judged_like_growth() -> None:
    cascade = one_goal("Cut defects", kpi(1000, 100, "decrease"), deadline="2026-12")
    assert len(findings(cascade, implausible_target)) == 1
    halved = one_goal("Cut defects", kpi(1000, 500, "decrease"), deadline="2026-12")
    assert findings(halved, implausible_target) == []


def test_long_horizons_spread_the_change() -> None:
    cascade = one_goal("Grow users", kpi(1000, 9000, "increase"), deadline="2030")
    assert findings(cascade, implausible_target) == []


def test_target_met_at_baseline() -> None:
    cascade = one_goal("Grow users", kpi(1000, 1000, "increase"), deadline="2026-12")
    [finding] = findings(cascade, implausible_target)
    assert "met already" in finding.message


@pytest.mark.parametrize(
    ("baseline", "target", "direction"),
    [
        (1000, 1000, "maintain"),  # a maintain KPI is never implausible
        (1000, 9000, "maintain"),
        (0, 500, "increase"),  # growth from zero has no ratio
        (12, 0, "decrease"),  # zero-harm targets are aspirations
        (1000, 100, "increase"),  # the wrong side is kpi-direction-conflict's
    ],
)
def test_implausible_target_leaves_alone(baseline: float, target: float, direction: str) -> None:
    cascade = one_goal("Grow users", kpi(baseline, target, direction), deadline="2026-12")
    assert findings(cascade, implausible_target) == []


def test_implausible_target_needs_a_future_deadline() -> None:
    assert findings(one_goal("Grow users", kpi(1000, 9000, "increase")), implausible_target) == []
    past = one_goal("Grow users", kpi(1000, 9000, "increase"), deadline="2025-12")
    assert findings(past, implausible_target) == []


def test_implausible_target_from_the_statement() -> None:
    [finding] = findings(
        one_goal("Grow users from 1,000 to 9,000 by December 2026"), implausible_target
    )
    assert finding.subject.kind is SubjectKind.GOAL
    assert finding.evidence["source"] == "statement"
    assert "read from the statement" in finding.message
    assert len(findings(one_goal("Increase sales by 500% by June 2026"), implausible_target)) == 1
    assert len(findings(one_goal("Quadruple sales by June 2026"), implausible_target)) == 0
    assert findings(one_goal("Increase sales by 30% by June 2026"), implausible_target) == []
    assert findings(one_goal("Keep sales at $6m through 2026"), implausible_target) == []


# -- no-deadline -------------------------------------------------------------------------------


def test_no_deadline_looks_at_every_source() -> None:
    assert len(findings(one_goal("Cut waiting times by 20%"), no_deadline)) == 1
    assert findings(one_goal("Cut waiting times by 20%", deadline="2027"), no_deadline) == []
    assert findings(one_goal("Cut waiting times by 20% by Q3 2026"), no_deadline) == []
    with_kpi_deadline = one_goal(
        "Cut waiting times by 20%",
        {"name": "Median wait", "unit": "day", "baseline": 20, "target": 16, "deadline": "2026-09"},
    )
    assert findings(with_kpi_deadline, no_deadline) == []


# -- activity-goal -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("statement", "kind"),
    [
        ("Hold monthly recruitment fairs", "activity"),
        ("Post three articles a week", "output"),
        ("Submit 20% more grant applications", "output"),
    ],
)
def test_activity_goal(statement: str, kind: str) -> None:
    [finding] = findings(one_goal(statement), activity_goal)
    assert finding.evidence["kind"] == kind
    assert kind in finding.message


def test_result_goals_are_not_activity_goals() -> None:
    assert (
        findings(one_goal("Cut the time to fill a vacancy from 75 to 30 days"), activity_goal) == []
    )


def test_a_kpi_declared_result_overrides_the_statement() -> None:
    cascade = one_goal(
        "Hold monthly recruitment fairs",
        {
            "name": "Days to fill a vacancy",
            "unit": "day",
            "baseline": 75,
            "target": 30,
            "evidence": "result",
        },
    )
    assert findings(cascade, activity_goal) == []
