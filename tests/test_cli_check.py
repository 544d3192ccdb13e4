"""``goalalign check``: the JSON envelope, exit statuses and no tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from goalalign.cli.main import main

CLEAN = """\
goalalign: 1
organisation: {name: Clean Co, purpose: Fresh bread for every street, as_of: 2026-03-01}
teams:
  - {id: board, name: Board}
  - {id: bakery, name: Bakery, parent: board, direction: strategic}
goals:
  - id: s-loaves
    team: board
    level: strategic
    statement: Raise daily loaves sold from 800 to 1,000 by December 2026
    deadline: 2026-12
    kpis:
      - {name: Loaves sold per day, unit: count/day, baseline: 800, target: 1000,
         direction: increase}
  - id: bakery-dawn
    team: bakery
    level: translational
    statement: Have fresh bread on the shelves by 6 am on 95% of days, up from 70%, by October 2026
    deadline: 2026-10
    supports:
      - goal: s-loaves
        mechanism: early commuters buy bread only when it is on the shelf before they pass
    kpis:
      - {name: Days with bread on the shelves by 6 am, unit: percent, baseline: 70, target: 95,
         direction: increase}
"""


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_json_envelope_is_versioned_and_complete(
    capsys: pytest.CaptureFixture[str], examples_dir: Path
) -> None:
    path = str(examples_dir / "council-it.yaml")
    status, out, _ = _run(capsys, "check", path, "--format", "json")
    data = json.loads(out)
    assert data["goalalign"] == "1"
    assert data["organisation"] == "Harbourside Council"
    assert set(data["score"]) >= {"overall", "components", "teams"}
    assert 0 <= data["score"]["overall"] <= 100
    for team in data["teams"]:
        assert set(team) >= {"id", "direction", "direction_inferred", "three_question_test"}
        assert set(team["three_question_test"]) == {"direction", "chain", "evidence"}
    for finding in data["findings"]:
        assert set(finding) >= {"rule", "code", "severity", "subject", "related", "message", "fix"}
        assert finding["subject"]["kind"] in {"goal", "team", "kpi", "link", "organisation"}
    worst = {f["severity"] for f in data["findings"]}
    assert status == (1 if "error" in worst else 0)


def test_fail_on_warning_turns_warnings_into_exit_one(
    capsys: pytest.CaptureFixture[str], examples_dir: Path
) -> None:
    path = str(examples_dir / "council-it.yaml")
    status, out, _ = _run(capsys, "check", path, "--format", "json", "--fail-on", "warning")
    severities = {f["severity"] for f in json.loads(out)["findings"]}
    assert severities & {"warning", "error"}
    assert status == 1


def test_clean_document_exits_zero(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "clean.yaml"
    path.write_text(CLEAN)
    status, out, _ = _run(capsys, "check", str(path), "--format", "json", "--fail-on", "warning")
    data = json.loads(out)
    assert [f for f in data["findings"] if f["severity"] != "info"] == []
    assert status == 0


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "missing-file.yaml"],
        ["check", "{tmp}/notes.txt"],
        ["check", "{tmp}/bad.yaml", "--select", "no-such-rule"],
        ["check"],
        ["frobnicate"],
    ],
)
def test_unusable_input_or_usage_exits_two_without_traceback(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str]
) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    (tmp_path / "bad.yaml").write_text(CLEAN)
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    try:
        status = main(argv)
    except SystemExit as exc:  # argparse's own usage errors
        status = int(exc.code or 0)
    captured = capsys.readouterr()
    assert status == 2
    assert "Traceback" not in captured.err + captured.out
    assert captured.err.strip()
