# ruff: noqa: E501  (inline YAML documents keep their lines whole)
"""The chain rules: orphans, broken chains, unexplained links, stale anchors, uncovered goals."""

from __future__ import annotations

from pathlib import Path

import pytest

from goalalign.domain.cascade import Cascade
from goalalign.engine.findings import Finding, Ref
from goalalign.engine.registry import Registry
from goalalign.engine.rule import Rule
from goalalign.engine.runner import run_rules
from goalalign.loading.readers import load, loads
from goalalign.rules.chains import (
    broken_chain,
    orphan_goal,
    stale_anchor,
    uncovered_strategic_goal,
    unexplained_link,
)

RULES = [orphan_goal, broken_chain, unexplained_link, stale_anchor, uncovered_strategic_goal]

HEAD = """goalalign: 1
organisation:
  name: Test Org
  purpose: Useful things for the people we serve
  promises: [{id: safe, statement: Everyone is safe}]
  as_of: 2026-03-01
teams:
  - {id: board}
  - {id: ops, parent: board, direction: strategic}
  - {id: it, parent: board, direction: enabling, serves: [ops]}
goals:
  - {id: s, team: board, level: strategic, statement: Grow}
"""


def cascade(goals: str) -> Cascade:
    return loads(HEAD + goals)


def run(items: Rule | list[Rule], c: Cascade) -> list[Finding]:
    rules = items if isinstance(items, list) else [items]
    return list(run_rules(c, registry=Registry(rules)).findings)


@pytest.mark.parametrize("item", RULES, ids=lambda r: r.name)
def test_bad_example_triggers_the_rule_and_good_does_not(item: Rule) -> None:
    assert [f.rule for f in run(item, loads(item.meta.bad))] == [item.name]
    assert not run(item, loads(item.meta.good))
    assert item.meta.family == "chains"


# -- orphan-goal and broken-chain never overlap ---------------------------------------------------


def test_goal_without_links_is_an_orphan() -> None:
    c = cascade("  - {id: a, team: ops, statement: A}\n  - {id: b, team: ops, statement: B, supports: [{goal: s, mechanism: m}]}\n")
    findings = run(RULES[:2], c)
    assert [(f.rule, f.subject) for f in findings] == [("orphan-goal", Ref.goal("a"))]


def test_break_with_goals_below_is_reported_once_with_the_count() -> None:
    c = cascade(
        "  - {id: keep, team: ops, statement: K, supports: [{goal: s, mechanism: m}]}\n"
        "  - {id: b, team: ops, statement: B}\n"
        "  - {id: a, team: ops, statement: A, supports: [{goal: b, mechanism: m}]}\n"
        "  - {id: c, team: ops, statement: C, supports: [{goal: a, mechanism: m}]}\n"
        "  - {id: d, team: ops, statement: D, supports: [{goal: a, mechanism: m}]}\n"
    )
    findings = run(RULES[:2], c)
    assert [(f.rule, f.subject.id) for f in findings] == [("broken-chain", "b")]
    (finding,) = findings
    assert finding.evidence["cut_off"] == 3
    assert sorted(finding.evidence["cut_off_sample"]) == ["a", "c", "d"]
    assert finding.related == (Ref.goal("a"),)
    assert "3 goal(s)" in finding.message


def test_goal_reaching_two_breaks_is_counted_under_one() -> None:
    c = cascade(
        "  - {id: b1, team: ops, statement: B1}\n"
        "  - {id: b2, team: ops, statement: B2}\n"
        "  - {id: x, team: ops, statement: X, supports: [{goal: b1, mechanism: m}, {goal: b2, mechanism: m}]}\n"
        "  - {id: y, team: ops, statement: Y, supports: [{goal: b2, mechanism: m}]}\n"
        "  - {id: z, team: ops, statement: Z, supports: [{goal: x, mechanism: m}]}\n"
    )
    findings = {f.subject.id: f.evidence["cut_off"] for f in run(broken_chain, c)}
    assert sum(findings.values()) == 3
    assert findings == {"b1": 2, "b2": 1}  # x ties at distance 1: the smaller break id wins


def test_goal_with_an_anchored_route_is_not_cut_off() -> None:
    c = cascade(
        "  - {id: b, team: ops, statement: B}\n"
        "  - {id: x, team: ops, statement: X, supports: [{goal: b, mechanism: m}, {goal: s, mechanism: m}]}\n"
    )
    findings = run(RULES[:2], c)
    assert [(f.rule, f.subject.id) for f in findings] == [("orphan-goal", "b")]


def test_dangling_break_without_goals_below_is_left_to_dangling_link() -> None:
    lonely = cascade("  - {id: a, team: ops, statement: A, supports: [{goal: missing, mechanism: m}]}\n")
    assert not run(RULES[:4], lonely)
    relied_on = cascade(
        "  - {id: a, team: ops, statement: A, supports: [{goal: missing, mechanism: m}]}\n"
        "  - {id: c, team: ops, statement: C, supports: [{goal: a, mechanism: m}]}\n"
    )
    (finding,) = run(RULES[:2], relied_on)
    assert (finding.rule, finding.subject.id, finding.evidence["cut_off"]) == ("broken-chain", "a", 1)
    assert "no existing goal" in finding.message


def test_inactive_and_strategic_goals_are_never_orphans() -> None:
    c = cascade(
        "  - {id: old, team: ops, status: retired, statement: Old}\n"
        "  - {id: s2, team: ops, level: strategic, statement: Another strategic goal}\n"
    )
    assert not run(orphan_goal, c)


def test_closed_loop_is_left_to_contribution_cycle() -> None:
    c = cascade(
        "  - {id: a, team: ops, statement: A, supports: [{goal: b, mechanism: m}]}\n"
        "  - {id: b, team: ops, statement: B, supports: [{goal: a, mechanism: m}]}\n"
        "  - {id: c, team: ops, statement: C, supports: [{goal: a, mechanism: m}]}\n"
    )
    assert not run(RULES[:2], c)


# -- unexplained-link -----------------------------------------------------------------------------


def test_one_finding_per_link_without_mechanism() -> None:
    c = cascade(
        "  - {id: s2, team: board, level: strategic, statement: Also}\n"
        "  - {id: a, team: ops, statement: A, supports: [s, s2, {promise: safe}, {goal: s, mechanism: m}]}\n"
        "  - {id: p, team: ops, statement: P, supports: [{purpose: true}]}\n"
        "  - {id: old, team: ops, status: retired, statement: O, supports: [s]}\n"
        "  - {id: d, team: ops, statement: D, supports: [nowhere]}\n"
    )
    subjects = [f.subject for f in run(unexplained_link, c)]
    assert subjects == [
        Ref.link("a", "s"),
        Ref.link("a", "s2"),
        Ref.link("a", "safe"),
        Ref.link("p", "purpose"),
    ]


def test_forced_links_are_left_to_forced_alignment() -> None:
    c = cascade(
        "  - {id: ops-a, team: ops, statement: A, supports: [{goal: s, mechanism: m}]}\n"
        "  - {id: it-a, team: it, statement: I, supports: [{goal: ops-a, mechanism: m}]}\n"
        "  - {id: it-b, team: it, statement: J, supports: [s, ops-a]}\n"
    )
    subjects = [f.subject for f in run(unexplained_link, c)]
    assert subjects == [Ref.link("it-b", "ops-a")]


# -- stale-anchor ---------------------------------------------------------------------------------


def test_stale_anchor_reported_at_the_top_with_the_goals_below() -> None:
    c = cascade(
        "  - {id: old, team: board, level: strategic, status: deprioritised, statement: Old}\n"
        "  - {id: top, team: ops, statement: T, supports: [{goal: old, mechanism: m}]}\n"
        "  - {id: mid, team: ops, statement: M, supports: [{goal: top, mechanism: m}]}\n"
        "  - {id: low, team: ops, statement: L, supports: [{goal: mid, mechanism: m}]}\n"
        "  - {id: both, team: ops, statement: B, supports: [{goal: top, mechanism: m}, {goal: s, mechanism: m}]}\n"
    )
    (finding,) = run(stale_anchor, c)
    assert finding.subject == Ref.goal("top")
    assert finding.related == (Ref.goal("old"),)
    assert finding.evidence["below"] == 2
    assert finding.evidence["anchors"] == {"old": "deprioritised"}
    assert "deprioritised strategic goal 'old'" in finding.message


def test_goal_reaching_live_and_stale_anchors_is_fine() -> None:
    c = cascade(
        "  - {id: old, team: board, level: strategic, status: retired, statement: Old}\n"
        "  - {id: a, team: ops, statement: A, supports: [{goal: old, mechanism: m}, {promise: safe, mechanism: m}]}\n"
    )
    assert not run(stale_anchor, c)


# -- uncovered-strategic-goal ---------------------------------------------------------------------


def test_uncovered_ignores_retired_contributors_and_stale_strategic_goals() -> None:
    c = cascade(
        "  - {id: s2, team: board, level: strategic, status: retired, statement: Old}\n"
        "  - {id: a, team: ops, status: retired, statement: A, supports: [{goal: s, mechanism: m}]}\n"
    )
    findings = run(uncovered_strategic_goal, c)
    assert [f.subject for f in findings] == [Ref.goal("s")]


def test_covered_strategic_goal() -> None:
    c = cascade("  - {id: a, team: ops, statement: A, supports: [{goal: s, mechanism: m}]}\n")
    assert not run(uncovered_strategic_goal, c)


# -- the council example --------------------------------------------------------------------------


def test_council_field_goal_has_no_chain_findings(examples_dir: Path) -> None:
    findings = run(RULES, load(examples_dir / "council-it.yaml"))
    assert not [f for f in findings if f.subject.id == "it-field"]
    assert not [f for f in findings if f.rule in ("orphan-goal", "broken-chain")]
