# ruff: noqa: E501  (inline YAML documents keep their lines whole)
"""The three-question test: per-team answers, the report entry, the API and ``goalalign test``."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import attrs
import pytest

from goalalign.analysis.chains import chain_analysis
from goalalign.analysis.three_questions import (
    GoalChain,
    TeamAssessment,
    assess_teams,
    three_question_test,
)
from goalalign.api import check
from goalalign.cli.main import main
from goalalign.domain.cascade import Cascade
from goalalign.domain.model import Direction
from goalalign.engine.context import CheckContext
from goalalign.engine.findings import Finding, Ref, Severity
from goalalign.loading.readers import load, loads
from goalalign.rules.chains import orphan_goal

HEAD = """goalalign: 1
organisation:
  name: Test Org
  purpose: Useful things for the people we serve
  promises: [{id: safe, statement: Everyone is safe}]
  as_of: 2026-03-01
teams:
  - {id: board}
  - {id: ops, parent: board, direction: strategic}
  - {id: fac, parent: board, direction: purpose}
goals:
  - id: s
    team: board
    level: strategic
    statement: Grow revenue from $10m to $12m by 2027
    kpis: [{name: Revenue, unit: USD, baseline: 10000000, target: 12000000}]
"""

KPI = "kpis: [{name: Measure, unit: count, baseline: 1, target: 2}]"


def cascade(goals: str) -> Cascade:
    return loads(HEAD + goals)


def assess(c: Cascade, findings: tuple[Finding, ...] = ()) -> dict[str, TeamAssessment]:
    return {a.id: a for a in assess_teams(CheckContext(c), findings)}


@pytest.fixture
def council(examples_dir: Path) -> Cascade:
    return load(examples_dir / "council-it.yaml")


def test_council_answers(council: Cascade) -> None:
    teams = assess(council)
    assert list(teams) == ["council", "ecodev", "it", "spaces"]
    it = teams["it"]
    assert (it.direction, it.direction_inferred) == (Direction.ENABLING, False)
    assert (it.direction_ok, it.chain_ok, it.evidence_ok) == (True, False, False)
    chains = {c.goal: c for c in it.chains}
    assert chains["it-field"].status == "ok"
    assert chains["it-field"].render() == (
        "it-field --[a forum whose registration or payment systems fail loses its attendees]--> "
        "ecodev-events --[each precinct event draws visitors who return to the district's shops]--> "
        "s-footfall"
    )
    assert chains["it-tickets"].status == "off-anchor"
    assert chains["it-tickets"].render() == "it-tickets --> s-productivity"
    ecodev = teams["ecodev"]
    assert ecodev.passed
    spaces = teams["spaces"]
    assert (spaces.direction, spaces.direction_ok, spaces.chain_ok, spaces.evidence_ok) == (
        Direction.STRATEGIC,
        True,
        False,
        False,
    )


def test_report_entry_has_the_spec_keys(council: Cascade) -> None:
    entry = assess(council)["it"].to_dict()
    assert {k: entry[k] for k in ("id", "direction", "direction_inferred", "three_question_test")} == {
        "id": "it",
        "direction": "enabling",
        "direction_inferred": False,
        "three_question_test": {"direction": True, "chain": False, "evidence": False},
    }
    assert entry["name"] == "Information Technology"
    assert entry["evidence"] == {"strategic": ["it-tickets"], "enabling": ["it-field"]}
    assert entry["chain_status"] == {"off-anchor": 1, "ok": 1}
    assert [c["goal"] for c in entry["chains"]] == ["it-tickets"]  # the failing one, by default
    every = assess(council)["it"].to_dict(all_chains=True)
    assert [c["goal"] for c in every["chains"]] == ["it-field", "it-tickets"]
    json.dumps(entry)


def test_purpose_team_passes_with_an_explained_promise_chain() -> None:
    c = cascade(
        f"  - {{id: ops-a, team: ops, statement: A, supports: [{{goal: s, mechanism: sales follow}}], {KPI}}}\n"
        f"  - {{id: fac-a, team: fac, statement: F, supports: [{{promise: safe, mechanism: safe sites stay open}}], {KPI}}}\n"
    )
    teams = assess(c)
    assert teams["fac"].passed
    (chain,) = teams["fac"].chains
    assert chain.steps == (("fac-a", "safe sites stay open"), ("promise:safe", None))
    assert teams["ops"].passed


def test_unexplained_link_fails_the_chain_question() -> None:
    c = cascade(f"  - {{id: ops-a, team: ops, statement: A, supports: [s], {KPI}}}\n")
    ops = assess(c)["ops"]
    assert (ops.direction_ok, ops.chain_ok, ops.evidence_ok) == (True, False, True)
    assert ops.chains[0].status == "unexplained"


def test_contradicted_direction_fails_the_direction_question() -> None:
    c = cascade(f"  - {{id: fac-a, team: fac, statement: F, supports: [{{goal: s, mechanism: sites sell}}], {KPI}}}\n")
    fac = assess(c)["fac"]
    assert not fac.direction_ok
    assert fac.chains[0].status == "off-anchor"
    assert "declared purpose" in " ".join(fac.notes)


def test_evidence_needs_baseline_and_target_and_no_kpi_warnings() -> None:
    c = cascade(
        "  - {id: ops-a, team: ops, statement: A, supports: [{goal: s, mechanism: m m m}], kpis: [{name: M, unit: count, target: 2}]}\n"
    )
    assert not assess(c)["ops"].evidence_ok
    c = cascade(f"  - {{id: ops-a, team: ops, statement: A, supports: [{{goal: s, mechanism: m}}], {KPI}}}\n")
    assert assess(c)["ops"].evidence_ok
    kpi_id = c.kpis_of("ops-a")[0].id
    warning = Finding("activity-kpi", "GA999", Severity.WARNING, Ref.kpi(kpi_id), "counts activity", family="kpis")
    info = Finding("activity-kpi", "GA999", Severity.INFO, Ref.kpi(kpi_id), "counts activity", family="kpis")
    other = Finding("stale-review", "GA603", Severity.WARNING, Ref.goal("ops-a"), "old", family="focus")
    assert not assess(c, (warning,))["ops"].evidence_ok
    assert assess(c, (info, other))["ops"].evidence_ok


def test_undetermined_team() -> None:
    c = loads(HEAD.replace("  - {id: fac, parent: board, direction: purpose}", "  - {id: fac, parent: board}") + "  - {id: fac-a, team: fac, statement: F}\n")
    fac = assess(c)["fac"]
    assert fac.direction is None
    assert not fac.direction_ok
    assert fac.chains[0].status == "broken"
    assert fac.to_dict()["direction"] is None


def test_goal_chain_render_without_mechanisms() -> None:
    chain = GoalChain("a", (("a", None), ("b", "m"), ("s", None)), True, False, "strategy")
    assert chain.render() == "a --> b --[m]--> s"


def test_three_question_test_api(council: Cascade) -> None:
    everything = three_question_test(council)
    assert [a.id for a in everything] == ["council", "ecodev", "it", "spaces"]
    it = three_question_test(council, "it")
    assert isinstance(it, TeamAssessment)
    # question 3 reads the KPI rules' findings when the check runs them
    assert it.evidence_ok is False
    with pytest.raises(KeyError, match="nope"):
        three_question_test(council, "nope")


# -- goalalign test -------------------------------------------------------------------------------


def test_cli_text_and_exit_status(examples_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(examples_dir / "council-it.yaml")
    assert main(["test", path]) == 1
    out = capsys.readouterr().out
    assert "it — Information Technology" in out
    assert "1. direction: enabling (declared): yes" in out
    assert "[off-anchor] it-tickets --> s-productivity" in out
    assert main(["test", path, "--team", "ecodev"]) == 1  # its KPI counts events: activity
    assert "0 of 1 team(s) pass" in capsys.readouterr().out


def test_cli_exit_zero_when_every_answer_is_yes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "clinic.yaml"
    path.write_text(orphan_goal.meta.good, encoding="utf-8")
    assert main(["test", str(path), "--team", "outpatients"]) == 0
    out = capsys.readouterr().out
    assert "1 of 1 team(s) pass" in out
    assert "[ok] outpatients-missed --[" in out


def test_cli_json(examples_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", str(examples_dir / "council-it.yaml"), "--team", "it", "--format", "json"]) == 1
    (entry,) = json.loads(capsys.readouterr().out)
    assert entry["three_question_test"] == {"direction": True, "chain": False, "evidence": False}


def test_cli_bad_input(examples_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", str(examples_dir / "council-it.yaml"), "--team", "nope"]) == 2
    assert "no team is called 'nope'" in capsys.readouterr().err
    broken = tmp_path / "broken.yaml"
    broken.write_text("goalalign: 1\norganisation: {name: X}\ngoals: [{id: a}]\n", encoding="utf-8")
    assert main(["test", str(broken)]) == 2


# -- chains are walked when read, and behave like chains built with their steps -----------------

MIXED = (
    "  - {id: ops-a, team: ops, statement: A, supports: [{goal: s, mechanism: a moves s}]}\n"
    "  - {id: ops-b, team: ops, statement: B, supports: [s]}\n"
    "  - {id: fac-a, team: fac, statement: F, supports: [{promise: safe, mechanism: f keeps it}]}\n"
)


def test_chains_are_walked_only_when_read() -> None:
    ctx = CheckContext(cascade(MIXED))
    analysis = chain_analysis(ctx)
    teams = {a.id: a for a in assess_teams(ctx, ())}
    assert analysis.walks == 0
    ops = teams["ops"]
    assert [c.status for c in ops.chains] == ["ok", "unexplained"]
    entry = ops.to_dict()  # lists only the chain that is not ok
    assert [c["goal"] for c in entry["chains"]] == ["ops-b"]
    assert analysis.walks == 1
    assert ops.chains[1].steps == (("ops-b", None), ("s", None))
    assert analysis.walks == 1  # walked once, then kept
    ops.to_dict(all_chains=True)
    assert analysis.walks == 2
    assert teams["fac"].chains[0].render() == "fac-a --[f keeps it]--> promise:safe"
    assert analysis.walks == 3


def test_deferred_chain_equals_one_built_with_its_steps() -> None:
    ctx = CheckContext(cascade(MIXED))
    (deferred, _) = {a.id: a for a in assess_teams(ctx, ())}["ops"].chains
    built = GoalChain("ops-a", (("ops-a", "a moves s"), ("s", None)), True, True, "strategy")
    assert hash(deferred) == hash(built)
    assert deferred == built
    assert repr(deferred) == repr(built)
    assert deferred != GoalChain("ops-a", (("ops-a", None), ("s", None)), True, True, "strategy")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        deferred.steps = ()  # type: ignore[misc]


def test_reports_pickle_with_their_chains(council: Cascade) -> None:
    report = check(council)
    data = pickle.dumps(report)  # before any chain was read
    assert b"ChainPrinter" not in data  # the steps travel, not the analysis
    restored = pickle.loads(data)
    assert [t.chains for t in restored.teams] == [t.chains for t in report.teams]
    assert restored.to_json(all_chains=True) == report.to_json(all_chains=True)
