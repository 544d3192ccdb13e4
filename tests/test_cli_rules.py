"""``goalalign rules`` and ``goalalign rule NAME|CODE``: listing and explaining rules."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

import attrs
import pytest

from goalalign.cli.commands import rules as rules_command
from goalalign.cli.main import main
from goalalign.engine import registry as registry_module
from goalalign.engine.context import CheckContext
from goalalign.engine.findings import Hit
from goalalign.engine.registry import BrokenPlugin, Registry, default_registry
from goalalign.engine.rule import Option, Rule, rule

BAD = "goalalign: 1\norganisation: {name: Bad Example}\n"
GOOD = "goalalign: 1\norganisation: {name: Good Example}\n"


@rule(
    name="crowded-team", code="TCL201", family="focus", severity="warning",
    summary="A team owns more goals than it can focus on.",
    rationale="Attention is finite; a long list hides the goals that matter.",
    fix="Keep the few goals that carry the team's contribution.",
    options=[Option("limit", 5, "Most goals one team may own.")],
    bad=BAD, good=GOOD,
)
def crowded_team(ctx: CheckContext, options: Mapping[str, Any]) -> Iterator[Hit]:
    yield from ()


@rule(
    name="buzzword-goal", code="TCL101", family="style", severity="info",
    summary="A goal statement leans on a buzzword.", rationale="A buzzword hides the result.",
    bad=BAD, good=GOOD,
)
def buzzword_goal(ctx: CheckContext, options: Mapping[str, Any]) -> Iterator[Hit]:
    yield from ()


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> Registry:
    """The process-wide registry replaced by two known rules and one broken plugin."""
    known = Registry([crowded_team, buzzword_goal])
    known.broken.append(BrokenPlugin("acme", "acme_rules:all", "ImportError: no module acme"))
    monkeypatch.setattr(registry_module, "_default", known)
    return known


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_rules_lists_every_rule_sorted_by_code(
    registry: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = _run(capsys, "rules")
    assert status == 0
    lines = out.splitlines()
    assert lines[0].split() == ["CODE", "NAME", "FAMILY", "SEVERITY", "SUMMARY"]
    assert lines[1].split()[:4] == ["TCL101", "buzzword-goal", "style", "info"]
    assert lines[2].split()[:4] == ["TCL201", "crowded-team", "focus", "warning"]
    assert lines[2].endswith("A team owns more goals than it can focus on.")
    assert lines[-1] == "2 rules"
    assert "plugin acme (acme_rules:all) failed to load: ImportError" in err


def test_rules_json_has_the_full_metadata_and_broken_plugins(
    registry: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = _run(capsys, "rules", "--format", "json")
    assert status == 0
    data = json.loads(out)
    assert [r["name"] for r in data["rules"]] == ["buzzword-goal", "crowded-team"]
    crowded = data["rules"][1]
    assert crowded == {
        "name": "crowded-team",
        "code": "TCL201",
        "family": "focus",
        "severity": "warning",
        "summary": "A team owns more goals than it can focus on.",
        "rationale": "Attention is finite; a long list hides the goals that matter.",
        "fix": "Keep the few goals that carry the team's contribution.",
        "options": [{"name": "limit", "default": 5, "description": "Most goals one team may own."}],
        "examples": {"bad": BAD, "good": GOOD},
    }
    assert data["plugins"] == [
        {"name": "acme", "value": "acme_rules:all", "error": "ImportError: no module acme"}
    ]


@pytest.mark.parametrize(
    ("selectors", "expected"),
    [
        (["focus"], ["crowded-team"]),
        (["TCL1"], ["buzzword-goal"]),
        (["crowded-team", "style"], ["buzzword-goal", "crowded-team"]),
        (["ALL"], ["buzzword-goal", "crowded-team"]),
    ],
)
def test_rules_filtered_by_selectors(
    registry: Registry, capsys: pytest.CaptureFixture[str], selectors: list[str],
    expected: list[str],
) -> None:
    status, out, _ = _run(capsys, "rules", *selectors, "--format", "json")
    assert status == 0
    assert [r["name"] for r in json.loads(out)["rules"]] == expected


def test_rules_with_an_unknown_selector_exits_2(
    registry: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = _run(capsys, "rules", "focuss")
    assert status == 2
    assert out == ""
    assert "no rule or family matches 'focuss'; did you mean 'focus'?" in err


@pytest.mark.parametrize("query", ["crowded-team", "TCL201", "tcl201"])
def test_rule_explains_one_rule_by_name_or_code(
    registry: Registry, capsys: pytest.CaptureFixture[str], query: str
) -> None:
    status, out, _ = _run(capsys, "rule", query)
    assert status == 0
    assert out.startswith("# crowded-team (TCL201)\n")
    sections = [line for line in out.splitlines() if line.startswith("## ")]
    assert sections == [
        "## What it does", "## Why is this bad?", "## Options", "## Example", "## Use instead",
        "## Fix",
    ]
    assert "- `limit` (default: 5): Most goals one team may own." in out
    example = out.split("## Example", 1)[1].split("## Use instead", 1)[0]
    assert "Bad Example" in example
    assert "Good Example" in out.split("## Use instead", 1)[1]


def test_rule_without_options_or_fix_leaves_those_sections_out(
    registry: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = _run(capsys, "rule", "buzzword-goal")
    assert status == 0
    assert "## Options" not in out
    assert "## Fix" not in out


def test_rule_json(registry: Registry, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(capsys, "rule", "TCL101", "--format", "json")
    assert status == 0
    assert json.loads(out)["name"] == "buzzword-goal"


def test_unknown_rule_exits_2_with_a_close_match(
    registry: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = _run(capsys, "rule", "crowded-teams")
    assert status == 2
    assert out == ""
    assert "no rule is called 'crowded-teams'; did you mean 'crowded-team'?" in err
    status, _, err = _run(capsys, "rule", "TCL202")
    assert status == 2
    assert "did you mean 'TCL201'?" in err or "did you mean 'TCL101'?" in err
    status, _, err = _run(capsys, "rule", "zzzzzz")
    assert status == 2
    assert "did you mean" not in err


def test_clashing_rules_exit_2_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    twin = Rule(attrs.evolve(crowded_team.meta, name="crowded-team-two"), crowded_team.check)

    def clashing() -> Registry:
        return Registry([crowded_team, twin])

    monkeypatch.setattr(rules_command, "default_registry", clashing)
    for argv in (["rules"], ["rule", "crowded-team"]):
        status, _, err = _run(capsys, *argv)
        assert status == 2
        assert "clashes with" in err
        assert "Traceback" not in err


def test_every_installed_rule_is_listed_and_explained(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(capsys, "rules", "--format", "json")
    assert status == 0
    listed = [r["name"] for r in json.loads(out)["rules"]]
    assert listed == [r.name for r in default_registry()]
    assert len(set(listed)) == len(listed)
    for item in default_registry():
        status, out, _ = _run(capsys, "rule", item.name)
        assert status == 0
        assert out.startswith(f"# {item.name} ({item.code})\n")
