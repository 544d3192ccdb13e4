"""The ``numbers`` rules: roll-up shortfall and over-commitment, and incompatible units."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
import yaml

from goalalign.analysis.rollup import RollupResult, format_amount, rollup
from goalalign.domain.cascade import Cascade
from goalalign.engine.config import Config
from goalalign.engine.findings import Finding, Severity, SubjectKind
from goalalign.engine.registry import Registry
from goalalign.engine.rule import Rule
from goalalign.engine.runner import run_rules
from goalalign.loading import loads
from goalalign.rules.numbers import incompatible_units, rollup_overcommitment, rollup_shortfall

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NUMBERS = (rollup_shortfall, rollup_overcommitment, incompatible_units)


# -- helpers ---------------------------------------------------------------------------------


def kpi(name: str, unit: str | None, baseline: Any, target: Any, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"id": name, "name": name, "baseline": baseline, "target": target}
    if unit is not None:
        data["unit"] = unit
    data.update(extra)
    return data


def goal(
    goal_id: str, *kpis: dict[str, Any], supports: Iterable[Any] = ()
) -> dict[str, Any]:
    return {
        "id": goal_id,
        "team": "t",
        "statement": f"Deliver the result of {goal_id} by 2027",
        "supports": list(supports),
        "kpis": list(kpis),
    }


def cascade_of(*goals: dict[str, Any]) -> Cascade:
    doc = {
        "goalalign": 1,
        "organisation": {"name": "Test"},
        "teams": [{"id": "t"}],
        "goals": list(goals),
    }
    return loads(yaml.safe_dump(doc, sort_keys=False))


def findings(
    cascade: Cascade, *rules: Rule, config: Config | None = None
) -> list[Finding]:
    return list(run_rules(cascade, config, registry=Registry(list(rules or NUMBERS))).findings)


def named(found: Iterable[Finding], name: str) -> list[Finding]:
    return [f for f in found if f.rule == name]


def only(cascade: Cascade, kpi_id: str) -> RollupResult:
    result = rollup(cascade).result(kpi_id)
    assert result is not None
    return result


# -- the revenue example (acceptance) ------------------------------------------------------------


def test_revenue_example_has_exactly_two_shortfalls_with_exact_amounts() -> None:
    from goalalign.loading import load

    found = findings(load(EXAMPLES / "revenue-cascade.yaml"))
    shortfalls = {f.subject.id: f for f in named(found, "rollup-shortfall")}
    assert set(shortfalls) == {"revenue", "apac-share.kpi1"}
    assert len(named(found, "rollup-shortfall")) == 2
    assert not named(found, "rollup-overcommitment")
    assert not named(found, "incompatible-units")

    company = shortfalls["revenue"]
    assert "$78m of $100m" in company.message
    assert "gap $22m" in company.message
    assert company.evidence["parent"] == pytest.approx(100e6)
    assert company.evidence["parts_total"] == pytest.approx(78e6)
    assert company.evidence["gap"] == pytest.approx(22e6)
    contributions = {p["goal"]: p["contribution"] for p in company.evidence["parts"]}
    assert contributions == pytest.approx(
        {"us-sales": 18e6, "uk-sales": 20e6, "apac-share": 40e6}
    )
    assert company.team == "exec"
    assert "lower the target of revenue to $178m" in company.fix
    assert company.severity is Severity.WARNING

    apac = shortfalls["apac-share.kpi1"]
    assert "$18m of $40m" in apac.message
    assert "gap $22m" in apac.message
    assert {p["goal"]: p["contribution"] for p in apac.evidence["parts"]} == pytest.approx(
        {"apac-hires": 18e6}
    )
    assert apac.team == "apac"


# -- bad and good examples -------------------------------------------------------------------


@pytest.mark.parametrize("item", NUMBERS, ids=lambda r: r.name)
def test_bad_example_triggers_only_its_rule_among_numbers(item: Rule) -> None:
    fired = {f.rule for f in findings(loads(item.meta.bad))}
    assert fired == {item.name}


@pytest.mark.parametrize("item", NUMBERS, ids=lambda r: r.name)
def test_good_example_triggers_no_numbers_rule(item: Rule) -> None:
    assert findings(loads(item.meta.good)) == []


def test_metadata_families_and_severities() -> None:
    assert {r.meta.family for r in NUMBERS} == {"numbers"}
    assert rollup_shortfall.meta.severity is Severity.WARNING
    assert rollup_overcommitment.meta.severity is Severity.INFO
    assert incompatible_units.meta.severity is Severity.WARNING
    assert [r.code for r in NUMBERS] == ["GA701", "GA702", "GA504"]


# -- roll-up semantics -----------------------------------------------------------------------


def test_rollup_api_on_the_revenue_example() -> None:
    from goalalign.loading import load

    analysis = rollup(load(EXAMPLES / "revenue-cascade.yaml"))
    assert [r.kpi for r in analysis.results] == ["revenue", "apac-share.kpi1"]
    revenue = analysis.result("revenue")
    assert revenue is not None
    assert (revenue.planned_change, revenue.parts_value, revenue.gap) == (100e6, 78e6, 22e6)
    assert revenue.planned_target == 178e6
    assert revenue.unit == "USD"
    assert [(p.goal, p.kpi, p.contribution) for p in revenue.parts] == [
        ("apac-share", "apac-share.kpi1", 40e6),
        ("uk-sales", "uk-sales.kpi1", 20e6),
        ("us-sales", "us-sales.kpi1", 18e6),
    ]
    assert [r.kpi for r in analysis.shortfalls()] == ["revenue", "apac-share.kpi1"]


def test_parts_in_equivalent_units_add_up() -> None:
    cascade = cascade_of(
        goal("parent", kpi("total", "USD", "$10m", "$13m", aggregation="sum")),
        goal("a", kpi("a-sales", "USD", "$2m", "$3.5m"), supports=["parent"]),
        goal("b", kpi("b-sales", "kUSD", 1000, 2500), supports=["parent"]),
    )
    result = only(cascade, "total")
    assert result.parts_value == pytest.approx(3e6)
    contributions = {p.goal: p.contribution for p in result.parts}
    assert contributions == pytest.approx({"a": 1.5e6, "b": 1.5e6})
    assert findings(cascade) == []


def test_quantity_strings_in_other_units_convert() -> None:
    cascade = cascade_of(
        goal("parent", kpi("total", "USD", "$10m", "$13m", aggregation="sum")),
        goal("a", kpi("a-sales", "USD", "$2m", "1500 kUSD"), supports=["parent"]),
    )
    # 1500 kUSD is $1.5m: the part plans a decrease of $0.5m
    assert only(cascade, "total").parts_value == pytest.approx(-0.5e6)


def test_rates_per_day_and_per_month_convert() -> None:
    cascade = cascade_of(
        goal("parent", kpi("replies", "emails/day", 100, 160, aggregation="sum")),
        goal("a", kpi("a-replies", "emails/day", 40, 70), supports=["parent"]),
        goal("b", kpi("b-replies", "emails/month", 0, 900), supports=["parent"]),
    )
    result = only(cascade, "replies")
    days_per_month = 365.25 / 12
    assert result.parts_value == pytest.approx(30 + 900 / days_per_month)
    assert result.unit == "count / day"


def test_shortfall_message_states_amounts_with_units() -> None:
    cascade = cascade_of(
        goal("parent", kpi("total", "EUR", "€10m", "€20m", aggregation="sum")),
        goal("a", kpi("a-sales", "EUR", "€1m", "€7.5m"), supports=["parent"]),
    )
    (finding,) = findings(cascade)
    assert finding.rule == "rollup-shortfall"
    assert "€6.5m of €10m" in finding.message
    assert "gap €3.5m" in finding.message
    assert "a +€6.5m" in finding.message


def test_incompatible_parts_are_recorded_and_reported_not_dropped() -> None:
    cascade = cascade_of(
        goal("parent", kpi("total", "USD", "$10m", "$20m", aggregation="sum")),
        goal("a", kpi("a-sales", "USD", "$1m", "$6m"), supports=["parent"]),
        goal("b", kpi("b-sales", "EUR", "€1m", "€6m"), supports=["parent"]),
        goal("c", kpi("c-run-rate", "USD/year", 1e6, 2e6), supports=["parent"]),
    )
    result = only(cascade, "total")
    assert [p.goal for p in result.parts] == ["a"]
    assert [(p.goal, p.unit) for p in result.incompatible] == [("b", "EUR"), ("c", "USD / year")]
    found = findings(cascade)
    units = named(found, "incompatible-units")
    assert {(f.subject.kind, f.subject.id, f.subject.target) for f in units} == {
        (SubjectKind.LINK, "b", "parent"),
        (SubjectKind.LINK, "c", "parent"),
    }
    (shortfall,) = named(found, "rollup-shortfall")
    assert "cannot be compared: b, c" in shortfall.message
    assert [p["goal"] for p in shortfall.evidence["incompatible"]] == ["b", "c"]


def test_supporters_measured_by_another_kind_of_quantity_are_drivers_not_parts() -> None:
    cascade = cascade_of(
        goal("parent", kpi("total", "USD", "$10m", "$12m", aggregation="sum")),
        goal("a", kpi("a-sales", "USD", "$1m", "$3m"), supports=["parent"]),
        goal("hiring", kpi("hires", "count", 0, 3), supports=["parent"]),
        goal("retention", kpi("kept", "percent", 80, 90), supports=["parent"]),
    )
    result = only(cascade, "total")
    assert result.other_measures == ("hiring", "retention")
    assert not result.incompatible
    assert findings(cascade) == []


def test_a_comparable_kpi_is_chosen_over_an_earlier_incomparable_one() -> None:
    cascade = cascade_of(
        goal("parent", kpi("total", "USD", "$10m", "$12m", aggregation="sum")),
        goal(
            "a",
            kpi("a-hires", "count", 0, 3),
            kpi("a-sales", "USD", "$1m", "$3m"),
            supports=["parent"],
        ),
    )
    result = only(cascade, "total")
    assert [(p.kpi, p.contribution) for p in result.parts] == [("a-sales", 2e6)]
    assert not result.incompatible
    assert findings(cascade) == []


def test_unquantified_supporters_are_listed_but_not_incompatible() -> None:
    cascade = cascade_of(
        goal("parent", kpi("total", "USD", "$10m", "$12m", aggregation="sum")),
        goal("a", kpi("a-sales", "USD", "$1m", "$2m"), supports=["parent"]),
        goal("b", supports=["parent"]),
        goal("c", {"id": "c-sales", "name": "c", "unit": "USD", "target": "$1m"},
             supports=["parent"]),
    )
    result = only(cascade, "total")
    assert [p.goal for p in result.unquantified] == ["b", "c"]
    (finding,) = findings(cascade)
    assert finding.rule == "rollup-shortfall"
    assert "without a planned amount: b, c" in finding.message


def test_goal_supporting_several_parents_is_split_by_link_weights() -> None:
    cascade = cascade_of(
        goal("p1", kpi("k1", "USD", 0, "$3m", aggregation="sum")),
        goal("p2", kpi("k2", "USD", 0, "$1m", aggregation="sum")),
        goal(
            "s",
            kpi("s-sales", "USD", 0, "$4m"),
            supports=[
                {"goal": "p1", "mechanism": "m", "weight": 3},
                {"goal": "p2", "mechanism": "m", "weight": 1},
            ],
        ),
    )
    analysis = rollup(cascade)
    first, second = analysis.result("k1"), analysis.result("k2")
    assert first is not None
    assert second is not None
    assert first.parts_value == pytest.approx(3e6)
    assert second.parts_value == pytest.approx(1e6)
    assert first.parts[0].share == pytest.approx(0.75)
    # counted once in total, not once per parent
    assert (first.parts_value or 0.0) + (second.parts_value or 0.0) == pytest.approx(4e6)
    assert findings(cascade) == []


def test_long_breakdowns_are_cut_in_the_message_but_complete_in_the_evidence() -> None:
    parts = [goal(f"p{i:02}", kpi(f"k{i}", "USD", 0, "$1m"), supports=["parent"])
             for i in range(12)]
    cascade = cascade_of(goal("parent", kpi("total", "USD", 0, "$20m", aggregation="sum")),
                         *parts)
    (finding,) = findings(cascade)
    assert "$12m of $20m" in finding.message
    assert "p07 +$1m and 4 more" in finding.message
    assert "p08" not in finding.message
    assert len(finding.evidence["parts"]) == 12


def test_missing_weights_mean_equal_shares() -> None:
    cascade = cascade_of(
        goal("p1", kpi("k1", "USD", 0, "$2m", aggregation="sum")),
        goal("p2", kpi("k2", "USD", 0, "$2m", aggregation="sum")),
        goal("s", kpi("s-sales", "USD", 0, "$4m"), supports=["p1", "p2"]),
    )
    analysis = rollup(cascade)
    assert [r.parts_value for r in analysis.results] == pytest.approx([2e6, 2e6])


def test_a_parent_without_a_comparable_measure_takes_no_share() -> None:
    cascade = cascade_of(
        goal("p1", kpi("k1", "USD", 0, "$4m", aggregation="sum")),
        goal("brand", kpi("awareness", "percent", 20, 30)),
        goal("s", kpi("s-sales", "USD", 0, "$4m"), supports=["p1", "brand"]),
    )
    assert only(cascade, "k1").parts_value == pytest.approx(4e6)


def test_a_kpi_can_be_both_a_part_and_a_parent() -> None:
    cascade = cascade_of(
        goal("top", kpi("k-top", "USD", 0, "$10m", aggregation="sum")),
        goal("mid", kpi("k-mid", "USD", 0, "$10m", aggregation="sum"), supports=["top"]),
        goal("low", kpi("k-low", "USD", 0, "$4m"), supports=["mid"]),
    )
    found = named(findings(cascade), "rollup-shortfall")
    assert [f.subject.id for f in found] == ["k-mid"]
    assert found[0].evidence["gap"] == pytest.approx(6e6)


def test_share_of_resolves_against_the_other_kpi() -> None:
    cascade = cascade_of(
        goal("top", kpi("revenue", "USD", "$100m", "$200m", aggregation="sum")),
        goal(
            "apac",
            kpi("apac-share", "percent", 0, 20, share_of="revenue"),
            supports=["top"],
        ),
        goal("rest", kpi("rest-sales", "USD", "$100m", "$160m"), supports=["top"]),
    )
    analysis = rollup(cascade)
    share = analysis.resolved["apac-share"]
    assert (share.unit, share.baseline) == ("USD", 0.0)
    assert share.target == pytest.approx(40e6)
    assert share.target_from == "share"
    result = analysis.result("revenue")
    assert result is not None
    assert result.parts_value == pytest.approx(100e6)
    assert findings(cascade) == []


def test_share_of_on_a_kpi_that_is_not_a_percentage_is_an_incompatible_unit() -> None:
    cascade = cascade_of(
        goal("top", kpi("revenue", "USD", "$100m", "$200m")),
        goal("apac", kpi("apac-share", "USD", 0, 20, share_of="revenue"), supports=["top"]),
    )
    (finding,) = findings(cascade)
    assert finding.rule == "incompatible-units"
    assert finding.subject.id == "apac-share"
    assert "not a percentage" in finding.message


def test_shares_of_shares_resolve_in_chain_order() -> None:
    cascade = cascade_of(
        goal("g", kpi("c", "percent", 10, 50, share_of="b"),
             kpi("b", "percent", 50, 50, share_of="a"),
             kpi("a", "USD", "$10m", "$20m")),
    )
    resolved = rollup(cascade).resolved
    assert resolved["c"].target == pytest.approx(0.5 * 0.5 * 20e6)
    assert resolved["c"].baseline == pytest.approx(0.1 * 0.5 * 10e6)


def test_share_cycle_does_not_hang() -> None:
    cascade = cascade_of(
        goal("g", kpi("a", "percent", 10, 20, share_of="b"),
             kpi("b", "percent", 10, 20, share_of="a")),
    )
    resolved = rollup(cascade).resolved
    assert set(resolved) == {"a", "b"}


def test_tolerance_option() -> None:
    cascade = cascade_of(
        goal("parent", kpi("total", "USD", 0, "$100m", aggregation="sum")),
        goal("a", kpi("a-sales", "USD", 0, "$99.5m"), supports=["parent"]),
    )
    assert findings(cascade, rollup_shortfall) == []
    strict = Config.from_mapping({"options": {"rollup-shortfall": {"tolerance": 0.0}}})
    (finding,) = findings(cascade, rollup_shortfall, config=strict)
    assert "gap $500k" in finding.message
    assert finding.evidence["tolerance"] == 0.0


def test_decreasing_parent_shortfall_and_overcommitment() -> None:
    def costs(part_target: str) -> Cascade:
        return cascade_of(
            goal("parent", kpi("cost", "USD", "$50m", "$40m", aggregation="sum")),
            goal("a", kpi("a-cost", "USD", "$30m", part_target), supports=["parent"]),
        )

    (short,) = findings(costs("$24m"))
    assert short.rule == "rollup-shortfall"
    assert "-$6m of -$10m" in short.message
    assert "gap $4m" in short.message
    assert "raise the target of cost to $44m" in short.fix
    (over,) = findings(costs("$18m"))
    assert over.rule == "rollup-overcommitment"
    assert over.severity is Severity.INFO
    assert over.fix.startswith("Lower the target of cost to $38m")
    assert findings(costs("$20m")) == []


def test_mean_rollup_compares_weighted_targets() -> None:
    def nps(second: float) -> Cascade:
        return cascade_of(
            goal("parent", kpi("nps", "percent", 60, 80, aggregation="mean")),
            goal("a", kpi("a-nps", "percent", 60, 80),
                 supports=[{"goal": "parent", "mechanism": "m", "weight": 3}]),
            goal("b", kpi("b-nps", "percent", 50, second), supports=["parent"]),
        )

    result = only(nps(60), "nps")
    assert result.parts_value == pytest.approx(0.75 * 80 + 0.25 * 60)
    (finding,) = findings(nps(60))
    assert finding.rule == "rollup-shortfall"
    assert "average 75% of 80%" in finding.message
    assert findings(nps(80)) == []


def test_min_and_max_rollups() -> None:
    def level(aggregation: str, direction: str, parent: float) -> RollupResult:
        return only(
            cascade_of(
                goal("parent", kpi("p", "day", 10, parent, aggregation=aggregation,
                                   direction=direction)),
                goal("a", kpi("a-days", "day", 10, 4), supports=["parent"]),
                goal("b", kpi("b-days", "week", 2, 1), supports=["parent"]),
            ),
            "p",
        )

    worst = level("max", "decrease", 5)
    assert worst.parts_value == pytest.approx(7)
    assert worst.shortfall(0.01)
    best = level("min", "decrease", 5)
    assert best.parts_value == pytest.approx(4)
    assert best.overcommitment(0.01)
    assert not best.shortfall(0.01)


def test_parent_without_supporters_or_planned_change_is_not_a_shortfall() -> None:
    cascade = cascade_of(
        goal("lonely", kpi("total", "USD", "$1m", "$2m", aggregation="sum")),
        goal("vague", {"id": "v", "name": "v", "unit": "USD", "target": "$2m",
                       "aggregation": "sum"}),
        goal("a", kpi("a-sales", "USD", 0, "$1m"), supports=["vague"]),
    )
    assert findings(cascade) == []


# -- unit mismatches within a KPI --------------------------------------------------------------


def test_percent_target_on_a_currency_kpi() -> None:
    cascade = cascade_of(goal("g", kpi("profit", "USD", "$2m", "30 %")))
    (finding,) = findings(cascade)
    assert finding.rule == "incompatible-units"
    assert finding.subject == finding.subject.kpi("profit")
    assert "target is in percent" in finding.message
    assert "USD" in finding.message
    assert rollup(cascade).resolved["profit"].target is None


def test_each_mismatched_field_is_named_once_per_kpi() -> None:
    cascade = cascade_of(
        goal("g", kpi("k", "USD", "€2m", "$3m", current="40 %")),
    )
    (finding,) = findings(cascade)
    assert [m["field"] for m in finding.evidence["mismatches"]] == ["baseline", "current"]


def test_kpi_without_unit_takes_its_amounts_unit() -> None:
    cascade = cascade_of(goal("g", kpi("k", None, "$2m", "$3m")))
    assert rollup(cascade).resolved["k"].unit == "USD"
    assert findings(cascade) == []
    mixed = cascade_of(goal("g", kpi("k", None, "$2m", 3)))
    (finding,) = findings(mixed)
    assert "no unit" in finding.message


def test_convertible_units_within_a_kpi_are_fine() -> None:
    cascade = cascade_of(goal("g", kpi("k", "hour", "90 minute", "1 hour")))
    assert rollup(cascade).resolved["k"].baseline == pytest.approx(1.5)
    assert findings(cascade) == []


# -- formatting ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "signed", "text"),
    [
        (78e6, "USD", False, "$78m"),
        (22e6, "USD", True, "+$22m"),
        (-4e6, "USD", True, "-$4m"),
        (1.25e9, "GBP", False, "£1.25bn"),
        (40e3, "AUD", False, "40k AUD"),
        (1234, "USD", False, "$1,234"),
        (20, "percent", False, "20%"),
        (12.5, "count / day", False, "12.5 count / day"),
        (0.333333, "hour", False, "0.33 hour"),
    ],
)
def test_format_amount(value: float, unit: str, signed: bool, text: str) -> None:
    assert format_amount(value, unit, signed=signed) == text


# -- relative targets from statements ----------------------------------------------------------


def _relative(statement: str, baseline: Any, unit: str = "USD", **extra: Any) -> Cascade:
    part = goal("part", {"id": "p", "name": "p", "unit": unit, "baseline": baseline, **extra},
                supports=["parent"])
    part["statement"] = statement
    return cascade_of(goal("parent", kpi("total", unit, 0, 100, aggregation="sum")), part)


@pytest.mark.parametrize(
    ("statement", "baseline", "unit", "target"),
    [
        ("Increase US territory sales by 30% by December 2026", "$60m", "USD", 78e6),
        ("Cut operating cost by 20% by December 2026", "$50m", "USD", 40e6),
        ("Double the repeat orders by 2027", 40, "count", 80),
        ("Grow northern sales by $2m by 2027", "$6m", "USD", 8e6),
        ("Raise on-time delivery by 5 percentage points by 2027", 80, "percent", 85),
    ],
)
def test_relative_statement_sets_a_missing_target(
    statement: str, baseline: Any, unit: str, target: float
) -> None:
    resolved = rollup(_relative(statement, baseline, unit)).resolved["p"]
    assert resolved.target == pytest.approx(target)
    assert resolved.target_from == "statement"


def test_relative_target_counts_as_a_part() -> None:
    cascade = _relative("Increase US territory sales by 30% by December 2026", "$60m")
    result = rollup(cascade).result("total")
    assert result is not None
    assert [p.contribution for p in result.parts] == [pytest.approx(18e6)]


def test_declared_target_wins_over_the_statement() -> None:
    cascade = _relative("Increase sales by 30% by 2027", "$60m", target="$70m")
    assert rollup(cascade).resolved["p"].target == pytest.approx(70e6)
    assert rollup(cascade).resolved["p"].target_from == "document"


def test_no_relative_amount_leaves_the_target_unknown() -> None:
    cascade = _relative("Grow sales in the western region by 2027", "$60m")
    assert rollup(cascade).resolved["p"].target is None
    assert rollup(cascade, relative_targets=False).resolved["p"].target is None
    result = rollup(cascade).result("total")
    assert result is not None
    assert [p.goal for p in result.unquantified] == ["part"]
