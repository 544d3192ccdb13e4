# ruff: noqa: E501  (inline YAML documents keep their lines whole)
"""The focus rules: goal and priority limits, and the review cadence."""

from __future__ import annotations

import pytest

from goalalign.domain.cascade import Cascade
from goalalign.engine.config import Config
from goalalign.engine.findings import Finding, Ref
from goalalign.engine.registry import Registry
from goalalign.engine.rule import Rule
from goalalign.engine.runner import run_rules
from goalalign.loading.readers import loads
from goalalign.rules.focus import stale_review, too_many_goals, too_many_priorities

RULES = [too_many_goals, too_many_priorities, stale_review]

HEAD = """goalalign: 1
organisation: {name: Test Org, as_of: 2026-06-01}
teams: [{id: board}, {id: ops, parent: board}]
goals:
"""


def cascade(goals: str) -> Cascade:
    return loads(HEAD + goals)


def goals(n: int, team: str = "ops", extra: str = "", prefix: str = "g") -> str:
    return "".join(f"  - {{id: {prefix}{i}, team: {team}, statement: Goal {i}{extra}}}\n" for i in range(n))


def run(item: Rule, c: Cascade, config: Config | None = None) -> list[Finding]:
    return list(run_rules(c, config, registry=Registry([item])).findings)


@pytest.mark.parametrize("item", RULES, ids=lambda r: r.name)
def test_bad_example_triggers_the_rule_and_good_does_not(item: Rule) -> None:
    assert {f.rule for f in run(item, loads(item.meta.bad))} == {item.name}
    assert not run(item, loads(item.meta.good))
    assert item.meta.family == "focus"


@pytest.mark.parametrize(("count", "expected"), [(5, 0), (6, 1)])
def test_too_many_goals_limit(count: int, expected: int) -> None:
    findings = run(too_many_goals, cascade(goals(count)))
    assert len(findings) == expected
    if findings:
        assert findings[0].subject == Ref.team("ops")
        assert findings[0].evidence == {"goals": 6, "limit": 5}


def test_too_many_goals_counts_active_goals_only() -> None:
    c = cascade(goals(5) + goals(3, extra=", status: retired", prefix="old"))
    assert not run(too_many_goals, c)


def test_too_many_goals_limit_is_an_option() -> None:
    c = cascade(goals(6))
    config = Config.from_mapping({"options": {"too-many-goals": {"limit": 6}}})
    assert not run(too_many_goals, c, config)


def test_too_many_priorities_counts_active_strategic_goals() -> None:
    c = cascade(
        goals(6, team="board", extra=", level: strategic", prefix="s")
        + "  - {id: old, team: board, level: strategic, status: deprioritised, statement: Old}\n"
    )
    (finding,) = run(too_many_priorities, c)
    assert finding.subject == Ref.organisation("Test Org")
    assert finding.evidence == {"strategic_goals": 6, "limit": 5}
    assert len(finding.related) == 6
    config = Config.from_mapping({"options": {"GA602": {"limit": 6}}})
    assert not run(too_many_priorities, c, config)


@pytest.mark.parametrize(
    ("reviewed", "expected"),
    [("2026-03-01", 0), ("2026-02-28", 1), ("2025-06-01", 1)],
)
def test_stale_review_cadence(reviewed: str, expected: int) -> None:
    c = cascade(f"  - {{id: a, team: ops, statement: A, last_reviewed: {reviewed}}}\n")
    findings = run(stale_review, c)
    assert len(findings) == expected  # 92 days before 2026-06-01 is 2026-03-01
    if findings:
        assert findings[0].evidence["days"] == 92


def test_goals_without_review_date_and_inactive_goals_are_not_flagged() -> None:
    c = cascade(
        "  - {id: a, team: ops, statement: A}\n"
        "  - {id: b, team: ops, status: retired, statement: B, last_reviewed: 2020-01-01}\n"
    )
    assert not run(stale_review, c)


def test_stale_review_days_is_an_option() -> None:
    c = cascade("  - {id: a, team: ops, statement: A, last_reviewed: 2026-01-01}\n")
    assert run(stale_review, c)
    config = Config.from_mapping({"options": {"stale-review": {"days": 365}}})
    assert not run(stale_review, c, config)
