"""Third-party rules: a real plugin package, installed, is discovered, configured and reported;
a broken one is reported without stopping the run.

The two packages under ``tests/plugin_pkg`` and ``tests/plugin_broken`` are built and installed
with pip (into a private ``--target`` folder put on ``PYTHONPATH``), exactly as a user's
``pip install`` would publish their entry points. The checks then run in a fresh interpreter,
so the process-wide registry sees the installed entry points and nothing leaks into the rest
of the test session.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
PLUGIN = HERE / "plugin_pkg"
BROKEN = HERE / "plugin_broken"

PROBE = r'''
import json, subprocess, sys
import goalalign as ga
from goalalign.engine.registry import default_registry

registry = default_registry()
plugin_rule = registry.get("long-statement")
bad = plugin_rule.meta.bad
good = plugin_rule.meta.good
cascade = ga.loads(bad)

def ours(report):
    return [(f.rule, f.code, f.severity.value, f.subject.id) for f in report.findings
            if f.rule == "long-statement"]

default = ga.check(cascade)
regraded = ga.check(cascade, ga.Config(severity={"XPL101": ga.Severity.WARNING}))
loose = ga.Config.from_mapping({"options": {"long-statement": {"max-words": 100}}})
loosened = ga.check(cascade, loose)
only_plugin = ga.check(cascade, ga.Config(select=("XPL",)))
family = ga.check(cascade, ga.Config(select=("example",)))
ignored = ga.check(cascade, ga.Config(ignore=("long-statement",)))
good_report = ga.check(ga.loads(good))
listing = subprocess.run([sys.executable, "-m", "goalalign", "rules", "--format", "json"],
                         capture_output=True, text=True)
explained = subprocess.run([sys.executable, "-m", "goalalign", "rule", "XPL101"],
                           capture_output=True, text=True)
print(json.dumps({
    "code": plugin_rule.code,
    "family": plugin_rule.meta.family,
    "broken": [[b.name, b.error] for b in registry.broken],
    "default": ours(default),
    "regraded": ours(regraded),
    "loosened": ours(loosened),
    "only_plugin_rules": sorted({f.rule for f in only_plugin.findings}),
    "family_rules": sorted({f.rule for f in family.findings}),
    "ignored": ours(ignored),
    "good": ours(good_report),
    "json_plugins": default.to_dict().get("plugins"),
    "listing_status": listing.returncode,
    "listing": json.loads(listing.stdout),
    "explained_status": explained.returncode,
    "explained": explained.stdout,
}))
'''


@pytest.fixture(scope="module")
def plugin_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An environment whose ``PYTHONPATH`` holds both plugins, installed by pip."""
    target = tmp_path_factory.mktemp("plugins")
    subprocess.run(
        [
            sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
            "--no-build-isolation", "--disable-pip-version-check", "--no-input",
            "--target", str(target), str(PLUGIN), str(BROKEN),
        ],
        check=True,
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(target), env.get("PYTHONPATH")) if p)
    return env


@pytest.fixture(scope="module")
def probe(plugin_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """What a fresh interpreter with the plugins installed observes."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=plugin_env,
        capture_output=True,
        text=True,
        cwd=tmp_path_factory.mktemp("cwd"),  # no goalalign.toml or pyproject.toml to discover
        check=False,
    )
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_plugin_rule_is_discovered(probe: dict[str, Any]) -> None:
    assert probe["code"] == "XPL101"
    assert probe["family"] == "example"


def test_plugin_rule_reports_its_bad_example_and_not_its_good_one(probe: dict[str, Any]) -> None:
    assert probe["default"] == [["long-statement", "XPL101", "info", "s-growth"]]
    assert probe["good"] == []


def test_plugin_rule_takes_configuration(probe: dict[str, Any]) -> None:
    assert probe["regraded"] == [["long-statement", "XPL101", "warning", "s-growth"]]
    assert probe["loosened"] == []
    assert probe["ignored"] == []


def test_plugin_rule_is_selected_by_code_prefix_and_family(probe: dict[str, Any]) -> None:
    assert probe["only_plugin_rules"] == ["long-statement"]
    assert probe["family_rules"] == ["long-statement"]


def test_broken_plugin_is_reported_without_stopping_the_run(probe: dict[str, Any]) -> None:
    assert [name for name, _ in probe["broken"]] == ["broken"]
    assert "broken on purpose" in probe["broken"][0][1]
    plugins = probe["json_plugins"]
    assert [p["name"] for p in plugins] == ["broken"]
    assert plugins[0]["value"] == "goalalign_broken_plugin:rules"
    assert "RuntimeError" in plugins[0]["error"]


def test_rules_command_lists_the_plugin_rule_and_the_broken_plugin(probe: dict[str, Any]) -> None:
    assert probe["listing_status"] == 0
    listed = {r["name"]: r for r in probe["listing"]["rules"]}
    assert listed["long-statement"]["code"] == "XPL101"
    assert listed["long-statement"]["options"] == [
        {"name": "max_words", "default": 25, "description": "Most words a goal statement may have."}
    ]
    assert [p["name"] for p in probe["listing"]["plugins"]] == ["broken"]


def test_rule_command_explains_the_plugin_rule(probe: dict[str, Any]) -> None:
    assert probe["explained_status"] == 0
    assert probe["explained"].startswith("# long-statement (XPL101)")
    assert "max_words" in probe["explained"]
