# ruff: noqa: E501  (inline YAML documents keep their lines whole)
"""The structure rules: dangling references, contribution loops, inverted levels and deadlines."""

from __future__ import annotations

import pytest

from goalalign.domain.cascade import Cascade
from goalalign.engine.findings import Finding, Ref, Severity, SubjectKind
from goalalign.engine.registry import Registry
from goalalign.engine.rule import Rule
from goalalign.engine.runner import run_rules
from goalalign.loading.readers import loads
from goalalign.rules.structure import (
    contribution_cycle,
    dangling_link,
    deadline_after_parent,
    level_inversion,
)

RULES = [dangling_link, contribution_cycle, level_inversion, deadline_after_parent]

HEAD = """goalalign: 1
organisation:
  name: Test Org
  purpose: Useful things for the people we serve
  promises: [{id: safe, statement: Everyone is safe}]
  as_of: 2026-03-01
"""


def cascade(goals: str, teams: str | None = None, extra: str = "", head: str = HEAD) -> Cascade:
    teams = teams or "teams:\n  - {id: board}\n  - {id: ops, parent: board}\n"
    return loads(head + teams + "goals:\n" + goals + extra)


def run(item: Rule, c: Cascade) -> list[Finding]:
    return list(run_rules(c, registry=Registry([item])).findings)


@pytest.mark.parametrize("item", RULES, ids=lambda r: r.name)
def test_bad_example_triggers_the_rule_and_good_does_not(item: Rule) -> None:
    assert run(item, loads(item.meta.bad))
    assert not run(item, loads(item.meta.good))


@pytest.mark.parametrize("item", RULES, ids=lambda r: r.name)
def test_metadata(item: Rule) -> None:
    assert item.meta.family == "structure"
    assert item.code.startswith("GA1")


# -- dangling-link --------------------------------------------------------------------------------


def test_dangling_goal_link_is_reported_on_the_link() -> None:
    c = cascade(
        "  - {id: s, team: board, level: strategic, statement: Grow}\n"
        "  - {id: a, team: ops, statement: Do, supports: [{goal: sx, mechanism: m}, s]}\n"
    )
    (finding,) = run(dangling_link, c)
    assert finding.subject == Ref.link("a", "sx")
    assert finding.severity is Severity.ERROR
    assert "did you mean 's'" in finding.message
    assert finding.evidence["missing"] == "sx"


def test_one_finding_per_bad_reference() -> None:
    c = cascade(
        "  - {id: s, team: board, level: strategic, statement: Grow}\n"
        "  - id: a\n    team: nowhere\n    statement: Do\n"
        "    supports: [ghost-1, ghost-2, {promise: unmade}]\n"
        "    hinders: [{goal: ghost-3}]\n",
        teams=(
            "teams:\n  - {id: board}\n  - {id: ops, parent: bord, serves: [sales, board]}\n"
        ),
        extra=(
            "kpis:\n  - {id: k1, name: Revenue, goal: missing-goal}\n"
            "  - {id: k2, name: Share, goal: s, share_of: missing-kpi}\n"
        ),
    )
    found = {(f.subject.kind, f.subject.id, f.subject.target, f.evidence["field"]) for f in run(dangling_link, c)}
    assert found == {
        (SubjectKind.TEAM, "ops", None, "parent"),
        (SubjectKind.TEAM, "ops", None, "serves"),
        (SubjectKind.GOAL, "a", None, "team"),
        (SubjectKind.LINK, "a", "ghost-1", "supports"),
        (SubjectKind.LINK, "a", "ghost-2", "supports"),
        (SubjectKind.LINK, "a", "unmade", "supports"),
        (SubjectKind.LINK, "a", "ghost-3", "hinders"),
        (SubjectKind.KPI, "k1", None, "goal"),
        (SubjectKind.KPI, "k2", None, "share_of"),
    }


def test_dangling_parent_suggests_the_closest_team() -> None:
    c = cascade(
        "  - {id: s, team: board, level: strategic, statement: Grow}\n",
        teams="teams:\n  - {id: board}\n  - {id: ops, parent: bord}\n",
    )
    (finding,) = run(dangling_link, c)
    assert finding.subject == Ref.team("ops")
    assert "did you mean 'board'" in finding.message


def test_link_to_purpose_needs_a_stated_purpose() -> None:
    goals = "  - {id: a, team: board, statement: Do, supports: [{purpose: true, mechanism: m}]}\n"
    with_purpose = cascade(goals)
    without = cascade(goals, head="goalalign: 1\norganisation: {name: Test Org}\n")
    assert not run(dangling_link, with_purpose)
    (finding,) = run(dangling_link, without)
    assert finding.subject == Ref.link("a", "purpose")


# -- contribution-cycle ---------------------------------------------------------------------------


def test_cycle_of_three_is_one_finding_at_the_smallest_id() -> None:
    c = cascade(
        "  - {id: s, team: board, level: strategic, statement: Grow}\n"
        "  - {id: c, team: ops, statement: C, supports: [{goal: a, mechanism: m}]}\n"
        "  - {id: a, team: ops, statement: A, supports: [{goal: b, mechanism: m}, {goal: s, mechanism: m}]}\n"
        "  - {id: b, team: ops, statement: B, supports: [{goal: c, mechanism: m}]}\n"
    )
    (finding,) = run(contribution_cycle, c)
    assert finding.subject == Ref.goal("a")
    assert finding.related == (Ref.goal("b"), Ref.goal("c"))
    assert finding.evidence["size"] == 3
    assert "reaches_anchor" not in finding.evidence  # the loop has a way out to s


def test_self_loop_is_a_cycle() -> None:
    c = cascade("  - {id: a, team: ops, statement: A, supports: [{goal: a, mechanism: m}]}\n")
    (finding,) = run(contribution_cycle, c)
    assert finding.subject == Ref.goal("a")
    assert finding.related == ()
    assert "itself" in finding.message


def test_two_loops_and_a_diamond() -> None:
    c = cascade(
        "  - {id: s, team: board, level: strategic, statement: Grow}\n"
        "  - {id: x1, team: ops, statement: X, supports: [x2, s]}\n"
        "  - {id: x2, team: ops, statement: X, supports: [x1]}\n"
        "  - {id: y1, team: ops, statement: Y, supports: [y2]}\n"
        "  - {id: y2, team: ops, statement: Y, supports: [y1]}\n"
        "  - {id: d1, team: ops, statement: D, supports: [d2, d3]}\n"
        "  - {id: d2, team: ops, statement: D, supports: [s]}\n"
        "  - {id: d3, team: ops, statement: D, supports: [s]}\n"
        "  - {id: below, team: ops, statement: Z, supports: [y2]}\n"
    )
    findings = run(contribution_cycle, c)
    assert [f.subject.id for f in findings] == ["x1", "y1"]
    closed = findings[1]
    assert closed.evidence["reaches_anchor"] is False
    assert closed.evidence["cut_off"] == 1  # 'below' relies on the closed loop


def test_no_cycle_in_a_tree() -> None:
    c = cascade(
        "  - {id: s, team: board, level: strategic, statement: Grow}\n"
        "  - {id: a, team: ops, statement: A, supports: [s]}\n"
        "  - {id: b, team: ops, statement: B, supports: [a, s]}\n"
    )
    assert not run(contribution_cycle, c)


# -- level-inversion ------------------------------------------------------------------------------


def test_level_inversion_needs_both_levels_declared() -> None:
    goals = (
        "  - {id: s, team: board, level: strategic, statement: Grow}\n"
        "  - {id: op, team: ops, %s statement: O, supports: [s]}\n"
        "  - {id: tr, team: ops, level: translational, statement: T, supports: [op]}\n"
    )
    declared = cascade(goals % "level: operational,")
    undeclared = cascade(goals % "")
    (finding,) = run(level_inversion, declared)
    assert finding.subject == Ref.link("tr", "op")
    assert finding.evidence == {"level": "translational", "target_level": "operational"}
    assert not run(level_inversion, undeclared)


def test_same_level_is_no_inversion() -> None:
    c = cascade(
        "  - {id: a, team: ops, level: operational, statement: A}\n"
        "  - {id: b, team: ops, level: operational, statement: B, supports: [a]}\n"
    )
    assert not run(level_inversion, c)


# -- deadline-after-parent ------------------------------------------------------------------------


@pytest.mark.parametrize(("child", "expected"), [("2027-07", 1), ("2027-06", 0), ("2026-12", 0)])
def test_deadline_after_parent(child: str, expected: int) -> None:
    c = cascade(
        "  - {id: s, team: board, level: strategic, statement: Grow, deadline: 2027-06}\n"
        f"  - {{id: a, team: ops, statement: A, deadline: {child}, supports: [s]}}\n"
        "  - {id: b, team: ops, statement: B, supports: [s]}\n"
    )
    findings = run(deadline_after_parent, c)
    assert len(findings) == expected
    if findings:
        assert findings[0].subject == Ref.link("a", "s")
        assert findings[0].evidence["target_deadline"] == "2027-06-30"
