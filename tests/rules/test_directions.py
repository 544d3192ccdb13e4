# ruff: noqa: E501  (inline YAML documents keep their lines whole)
"""The direction rules and direction inference, with the council and housing examples."""

from __future__ import annotations

from pathlib import Path

import pytest

from goalalign.analysis.directions import analyse_directions
from goalalign.domain.cascade import Cascade
from goalalign.domain.model import Direction
from goalalign.engine.config import Config
from goalalign.engine.findings import Finding, Ref, Severity
from goalalign.engine.registry import Registry
from goalalign.engine.rule import Rule
from goalalign.engine.runner import run_rules
from goalalign.loading.readers import load, loads
from goalalign.rules.directions import (
    direction_mismatch,
    forced_alignment,
    is_generic_mechanism,
    undetermined_direction,
)

RULES = [direction_mismatch, forced_alignment, undetermined_direction]

HEAD = """goalalign: 1
organisation:
  name: Test Org
  purpose: Useful things for the people we serve
  promises: [{id: safe, statement: Everyone is safe}]
  as_of: 2026-03-01
teams:
  - {id: board}
  - {id: sales, parent: board, direction: strategic}
%s
goals:
  - {id: s-revenue, team: board, level: strategic, statement: Raise revenue from $10m to $12m by 2027}
  - {id: s-productivity, team: board, level: strategic, statement: Raise corporate productivity}
  - {id: sales-deals, team: sales, statement: Win 40 new accounts, supports: [{goal: s-revenue, mechanism: new accounts buy from the first quarter}]}
"""


def cascade(team: str, goals: str) -> Cascade:
    return loads(HEAD % team + goals)


def run(items: Rule | list[Rule], c: Cascade, config: Config | None = None) -> list[Finding]:
    rules = items if isinstance(items, list) else [items]
    return list(run_rules(c, config, registry=Registry(rules)).findings)


@pytest.mark.parametrize("item", RULES, ids=lambda r: r.name)
def test_bad_example_triggers_the_rule_and_good_does_not(item: Rule) -> None:
    assert [f.rule for f in run(item, loads(item.meta.bad))] == [item.name]
    assert not run(item, loads(item.meta.good))
    assert item.meta.family == "directions"


# -- acceptance: the council example --------------------------------------------------------------


def test_council_it_tickets_is_forced_and_it_field_is_not(examples_dir: Path) -> None:
    c = load(examples_dir / "council-it.yaml")
    findings = run(RULES, c)
    forced = [f for f in findings if f.rule == "forced-alignment"]
    assert [f.subject for f in forced] == [Ref.goal("it-tickets")]
    assert forced[0].related == (Ref.goal("s-productivity"),)
    assert "ecodev, spaces" in forced[0].fix
    assert not [f for f in findings if f.subject.id == "it-field"]
    assert not [f for f in findings if f.rule == "direction-mismatch"]


def test_council_directions(examples_dir: Path) -> None:
    teams = analyse_directions(load(examples_dir / "council-it.yaml")).teams
    assert teams["ecodev"].direction is Direction.STRATEGIC
    assert teams["spaces"].direction is Direction.STRATEGIC
    assert teams["it"].direction is Direction.ENABLING
    assert not teams["it"].is_inferred
    assert teams["it"].evidence == {"strategic": ("it-tickets",), "enabling": ("it-field",)}
    assert teams["council"].direction is Direction.STRATEGIC
    assert teams["council"].is_inferred


def test_housing_finance_is_mismatched_and_forced(examples_dir: Path) -> None:
    findings = run(RULES, load(examples_dir / "housing-authority.yaml"))
    assert sorted((f.rule, f.subject.id) for f in findings) == [
        ("direction-mismatch", "finance"),
        ("forced-alignment", "finance-close"),
    ]


# -- inference ------------------------------------------------------------------------------------


def test_enabling_inferred_from_served_goals() -> None:
    c = cascade(
        "  - {id: it, parent: board, serves: [sales]}",
        "  - {id: it-crm, team: it, statement: Keep the CRM up, supports: [{goal: sales-deals, mechanism: reps log every call in it}]}\n",
    )
    record = analyse_directions(c).teams["it"]
    assert record.direction is Direction.ENABLING
    assert record.is_inferred


def test_enabling_wins_a_tie_with_strategic() -> None:
    c = cascade(
        "  - {id: it, parent: board, serves: [sales]}",
        "  - {id: it-crm, team: it, statement: Keep the CRM up, supports: [{goal: sales-deals, mechanism: reps log every call in it}]}\n"
        "  - {id: it-tickets, team: it, statement: Resolve tickets faster, supports: [{goal: s-productivity, mechanism: improves productivity}]}\n",
    )
    assert analyse_directions(c).teams["it"].direction is Direction.ENABLING
    findings = run(RULES, c)
    assert [(f.rule, f.subject.id) for f in findings] == [("forced-alignment", "it-tickets")]
    assert findings[0].evidence["inferred"] is True


def test_without_serves_a_link_across_the_chart_is_enabling_but_up_it_is_not() -> None:
    c = cascade(
        "  - {id: it, parent: board}\n  - {id: sales-east, parent: sales}",
        "  - {id: it-crm, team: it, statement: Keep the CRM up, supports: [{goal: sales-deals, mechanism: reps log every call in it}]}\n"
        "  - {id: east-deals, team: sales-east, statement: Win 10 accounts, supports: [{goal: sales-deals, mechanism: east accounts count in the total}]}\n",
    )
    teams = analyse_directions(c).teams
    assert teams["it"].direction is Direction.ENABLING
    assert teams["sales-east"].direction is Direction.STRATEGIC


def test_purpose_inferred_from_promises() -> None:
    c = cascade(
        "  - {id: facilities, parent: board}",
        "  - {id: fac-safe, team: facilities, statement: Zero site incidents, supports: [{promise: safe, mechanism: incidents close sites}]}\n",
    )
    assert analyse_directions(c).teams["facilities"].direction is Direction.PURPOSE


def test_purpose_team_tied_to_strategy_is_forced_with_a_purpose_fix() -> None:
    c = cascade(
        "  - {id: facilities, parent: board, direction: purpose}",
        "  - {id: fac-safe, team: facilities, statement: Zero site incidents, supports: [{promise: safe, mechanism: incidents close sites}, {goal: s-revenue}]}\n",
    )
    (finding,) = run(RULES, c)
    assert finding.rule == "forced-alignment"
    assert "purpose or a promise (safe)" in finding.fix


def test_declared_purpose_with_only_strategic_links_is_a_mismatch() -> None:
    c = cascade(
        "  - {id: facilities, parent: board, direction: purpose}",
        "  - {id: fac-x, team: facilities, statement: Cut site costs, supports: [{goal: s-revenue, mechanism: lower site costs leave more budget to win deals with}]}\n",
    )
    (finding,) = run(RULES, c)
    assert (finding.rule, finding.subject) == ("direction-mismatch", Ref.team("facilities"))
    assert finding.evidence["goals"] == {"strategic": ["fac-x"]}


def test_declared_direction_with_nothing_anchored_is_not_a_mismatch() -> None:
    c = cascade(
        "  - {id: facilities, parent: board, direction: purpose}",
        "  - {id: fac-x, team: facilities, statement: Cut site costs}\n",
    )
    assert not run(RULES, c)


def test_undetermined_is_info_and_skips_teams_without_goals() -> None:
    c = cascade(
        "  - {id: depot, parent: board}\n  - {id: empty, parent: board}",
        "  - {id: depot-x, team: depot, statement: Keep vans running}\n",
    )
    (finding,) = run(undetermined_direction, c)
    assert finding.subject == Ref.team("depot")
    assert finding.severity is Severity.INFO


# -- the generic-mechanism heuristic --------------------------------------------------------------


@pytest.mark.parametrize(
    ("mechanism", "target", "reason"),
    [
        (None, "Raise corporate productivity", "no mechanism"),
        ("   ", "Raise corporate productivity", "no mechanism"),
        ("cheaper briefs reduce spending", "Reduce expenditure by 8%", "4 words"),
        ("faster fixes across the office improves productivity", "Raise output", "stock phrase"),
        ("it raises corporate productivity in every council office", "Raise corporate productivity in every office", "restates"),
        ("a forum whose registration or payment systems fail loses its attendees", "Raise weekday foot traffic", None),
    ],
)
def test_is_generic_mechanism(mechanism: str | None, target: str, reason: str | None) -> None:
    why = is_generic_mechanism(mechanism, target)
    if reason is None:
        assert why is None
    else:
        assert why is not None
        assert reason in why


def test_thresholds_are_options() -> None:
    c = cascade(
        "  - {id: it, parent: board, direction: enabling, serves: [sales]}",
        "  - {id: it-crm, team: it, statement: Keep the CRM up, supports: [{goal: sales-deals, mechanism: reps log every call in it}]}\n"
        "  - {id: it-mail, team: it, statement: Keep mail up, supports: [{goal: s-revenue, mechanism: quotes go by mail}]}\n",
    )
    assert [f.subject.id for f in run(forced_alignment, c)] == ["it-mail"]
    relaxed = Config.from_mapping({"options": {"forced-alignment": {"min_words": 3}}})
    assert not run(forced_alignment, c, relaxed)


def test_a_genuine_link_to_the_same_goal_redeems_a_generic_one() -> None:
    c = cascade(
        "  - {id: it, parent: board, direction: enabling, serves: [sales]}",
        "  - {id: it-crm, team: it, statement: Keep the CRM up, supports: [{goal: sales-deals, mechanism: reps log every call in it}]}\n"
        "  - id: it-quote\n    team: it\n    statement: Quote tool up\n    supports:\n"
        "      - {goal: s-revenue, mechanism: helps achieve}\n"
        "      - {goal: s-revenue, mechanism: every quote for a new customer is priced and sent from this tool within the hour}\n",
    )
    assert not run(forced_alignment, c)
