"""Every rule documents a bad and a good example; here each one is held to its word.

The bad example must trigger its rule and no other warning or error; the good example must
trigger no warning or error at all. Docs are generated from the same examples, so a rule
whose examples drift from its behaviour fails here first.
"""

from __future__ import annotations

import pytest

import goalalign as ga
from goalalign.engine.findings import Severity
from goalalign.engine.registry import builtin_rules

RULES = builtin_rules()


def _serious_rules(report: ga.Report) -> set[str]:
    return {f.rule for f in report.findings if f.severity.rank >= Severity.WARNING.rank}


def test_every_rule_is_catalogued() -> None:
    names = {r.name for r in RULES}
    codes = [r.code for r in RULES]
    assert len(codes) == len(set(codes)), "rule codes must be unique"
    assert len(names) == len(RULES), "rule names must be unique"


@pytest.mark.parametrize("item", RULES, ids=lambda r: r.name)
def test_bad_example_triggers_exactly_its_rule(item: ga.Rule) -> None:
    report = ga.check(ga.loads(item.meta.bad))
    fired = {f.rule for f in report.findings}
    assert item.name in fired, f"{item.name}'s bad example does not trigger it"
    others = _serious_rules(report) - {item.name}
    assert not others, f"{item.name}'s bad example also triggers {sorted(others)}"


@pytest.mark.parametrize("item", RULES, ids=lambda r: r.name)
def test_good_example_triggers_nothing(item: ga.Rule) -> None:
    report = ga.check(ga.loads(item.meta.good))
    assert item.name not in {f.rule for f in report.findings}
    assert not _serious_rules(report), (
        f"{item.name}'s good example triggers {sorted(_serious_rules(report))}"
    )
