"""Report formats: text for people, Markdown for reviews, SARIF 2.1.0 for code hosts.

The reports come from real checks of a small cascade with rules defined here, so every
kind of finding a renderer must handle is present: a goal finding with a chain, a link
finding, a team finding, and an organisation-wide finding that belongs to no team.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goalalign.api import check
from goalalign.engine.config import Config
from goalalign.engine.context import CheckContext
from goalalign.engine.findings import Hit, Ref, Severity
from goalalign.engine.registry import BrokenPlugin, Registry
from goalalign.engine.rule import Option, rule
from goalalign.loading import load, loads
from goalalign.reporting.markdown import render_markdown
from goalalign.reporting.render import FORMATS, render
from goalalign.reporting.report import Report
from goalalign.reporting.sarif import render_sarif
from goalalign.reporting.text import render_text

EXAMPLE = "goalalign: 1\norganisation: {name: Example}\n"

DOC = """\
goalalign: 1
organisation: {name: Riverside Health, purpose: Safe care for every patient}
teams:
  - {id: board, name: Board}
  - {id: it, name: Information Technology, parent: board, direction: enabling}
goals:
  - id: s-tele
    team: board
    level: strategic
    statement: Extend telehealth follow-up to 60% of cardiac patients by December 2026
  - id: it-uptime
    team: it
    statement: Keep the video platform available 99.9% of clinic hours through 2026
    supports: [{goal: s-tele}]
  - id: it-tickets
    team: it
    statement: Close 500 tickets a month
    supports: [{goal: it-uptime, mechanism: fewer open tickets | less downtime}]
"""


def _meta(name: str, code: str, severity: str, options: list[Option] | None = None) -> Any:
    return rule(
        name=name, code=code, family="test", severity=severity,
        summary=f"Summary of {name}.", rationale=f"Why {name} matters.",
        bad=EXAMPLE, good=EXAMPLE, fix=f"Fix for {name}.", options=options or [],
    )


@_meta("chain-break", "TRP101", "error")
def chain_break(ctx: CheckContext, options: Mapping[str, Any]) -> Iterator[Hit]:
    yield Hit(
        Ref.goal("it-tickets"),
        "goal it-tickets reaches strategy only through a link without a mechanism",
        related=(Ref.goal("s-tele"),),
        evidence={"chain": [
            {"goal": "it-tickets", "mechanism": "fewer open tickets | less downtime"},
            {"goal": "it-uptime", "mechanism": None},
            {"goal": "s-tele"},
        ]},
    )


@_meta("bare-link", "TRP102", "warning")
def bare_link(ctx: CheckContext, options: Mapping[str, Any]) -> Iterator[Hit]:
    yield Hit(Ref.link("it-uptime", "s-tele"), "the link it-uptime -> s-tele has no mechanism")


@_meta("team-note", "TRP201", "info")
def team_note(ctx: CheckContext, options: Mapping[str, Any]) -> Iterator[Hit]:
    yield Hit(Ref.team("it"), "team it serves no team")


@_meta("org-gap", "TRP301", "warning", [Option("message", "nothing measures the purpose", "")])
def org_gap(ctx: CheckContext, options: Mapping[str, Any]) -> Iterator[Hit]:
    yield Hit(Ref.organisation("Riverside Health"), str(options["message"]))


@_meta("quiet", "TRP401", "error")
def quiet(ctx: CheckContext, options: Mapping[str, Any]) -> Iterator[Hit]:
    yield from ()


REGISTRY = Registry([chain_break, bare_link, team_note, org_gap])
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(scope="module")
def document(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("doc") / "riverside.yaml"
    path.write_text(DOC, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def report(document: Path) -> Report:
    return check(load(document), registry=REGISTRY)


def test_every_format_renders_through_the_dispatch(report: Report) -> None:
    assert {"text", "json", "markdown", "sarif"} <= set(FORMATS)
    assert json.loads(render(report, "json")) == report.to_dict()
    assert render(report, "text") == render_text(report)
    assert render(report, "markdown") == render_markdown(report)
    assert render(report, "sarif", source="x.yaml") == render_sarif(report, source="x.yaml")
    with pytest.raises(ValueError, match="unknown report format 'xml'"):
        render(report, "xml")


# --- text -------------------------------------------------------------------------------


def test_text_header_score_and_summary(report: Report) -> None:
    text = render_text(report)
    lines = text.splitlines()
    assert lines[0] == "goalalign report: Riverside Health"
    score = report.score.to_dict()
    assert f"Score: {score['overall']:.1f} / 100" in text
    for name, value in score["components"].items():
        assert re.search(rf"^  {re.escape(name)}\s+{value:.1f}$", text, re.M), name
    assert lines[-1] == "4 findings: 1 error, 2 warnings, 1 info"


def test_text_groups_findings_by_team_with_organisation_last(report: Report) -> None:
    text = render_text(report)
    it = text.index("\nInformation Technology (it)\n")
    org = text.index("\norganisation\n")
    assert it < org
    it_block = text[it:org]
    for needle in ("error chain-break [TRP101] goal it-tickets", "bare-link [TRP102]",
                   "team-note [TRP201] team it", "fix: Fix for chain-break."):
        assert needle in it_block
    assert "org-gap [TRP301] organisation Riverside Health" in text[org:]


def test_text_shows_the_chain_and_related_goals(report: Report) -> None:
    text = render_text(report)
    assert ("chain: it-tickets [fewer open tickets | less downtime] -> it-uptime -> s-tele"
            in text)
    assert "related: goal s-tele" in text


def test_chain_may_come_as_steps_of_a_mapping() -> None:
    from goalalign.reporting.text import format_chain

    steps = [{"goal": "a", "mechanism": "because"}, {"goal": "b"}]
    assert format_chain({"steps": steps, "complete": True}) == "a [because] -> b"
    assert format_chain(steps) == "a [because] -> b"
    assert format_chain([]) is None
    assert format_chain("a -> b") is None


def test_text_shows_lines_when_the_document_had_them(report: Report) -> None:
    finding = next(f for f in report.findings if f.rule == "chain-break")
    assert finding.line is not None
    assert f"goal it-tickets (line {finding.line})" in render_text(report)


def test_text_teams_section_has_direction_and_answers(report: Report) -> None:
    text = render_text(report)
    for team in report.teams:
        data = team.to_dict()
        how = "inferred" if data["direction_inferred"] else "declared"
        assert f": {data['direction'] or 'undetermined'} ({how})" in text
    assert "Information Technology (it): enabling (declared)" in text
    assert "three-question test: direction " in text


def test_text_and_markdown_list_the_best_fixes(report: Report) -> None:
    fixes = report.score.to_dict()["fixes"]
    assert fixes  # a report with errors and warnings has points to win back
    text = render_text(report)
    markdown = render_markdown(report)
    assert "Fixes that would raise the score most" in text
    for fix in fixes[:5]:
        assert f"+{fix['points']:.1f}  {fix['rule']} " in text
        assert f"| +{fix['points']:.1f} | `{fix['rule']}` |" in markdown
    assert text.index("Fixes that would raise") < text.index("\nInformation Technology (it)\n")


def test_text_colour_only_when_asked(report: Report) -> None:
    plain = render_text(report)
    coloured = render_text(report, color=True)
    assert "\x1b[" not in plain
    assert "\x1b[31merror\x1b[0m" in coloured
    assert ANSI.sub("", coloured) == plain


def test_text_of_a_clean_report() -> None:
    clean = check(loads(DOC), registry=Registry([quiet]))
    text = render_text(clean)
    assert text.splitlines()[-1] == "0 findings: 0 errors, 0 warnings, 0 info"
    assert "organisation\n" not in text


def test_text_reports_broken_plugins(report: Report) -> None:
    import attrs

    broken = attrs.evolve(report, broken_plugins=(BrokenPlugin("bad", "bad_mod:rules", "Boom"),))
    text = render_text(broken)
    assert "plugin bad (bad_mod:rules) failed: Boom" in text
    assert text.splitlines()[-1].endswith("1 plugin(s) failed to load")


# --- markdown ---------------------------------------------------------------------------


def _rows(markdown: str, heading: str) -> list[str]:
    block = markdown.split(f"\n{heading}\n", 1)[1].split("\n\n#", 1)[0]
    return [line for line in block.strip().splitlines() if line.startswith("|")][2:]


def _cells(row: str) -> list[str]:
    return re.split(r"(?<!\\)\|", row)[1:-1]


def test_markdown_headings_and_tables(report: Report) -> None:
    markdown = render_markdown(report)
    assert markdown.startswith("# goalalign report: Riverside Health\n")
    assert "## Score" in markdown
    assert "## Teams" in markdown
    components = report.score.to_dict()["components"]
    assert len(_rows(markdown, "## Score")) == len(components)
    assert len(_rows(markdown, "## Teams")) == len(report.teams)
    it_rows = _rows(markdown, "### Information Technology (it)")
    assert [_cells(r)[1].strip() for r in it_rows] == [
        "`chain-break` (TRP101)", "`bare-link` (TRP102)", "`team-note` (TRP201)"
    ]
    assert len(_rows(markdown, "### organisation")) == 1


def test_markdown_escapes_pipes_so_rows_keep_their_cells(report: Report) -> None:
    markdown = render_markdown(report)
    row = _rows(markdown, "### Information Technology (it)")[0]
    assert "fewer open tickets \\| less downtime" in row
    assert len(_cells(row)) == 6


@given(st.text(min_size=1, max_size=40).filter(lambda s: s.strip()))
def test_markdown_rows_survive_any_message(message: str) -> None:
    config = Config(select=("org-gap",), options={"org-gap": {"message": message}})
    markdown = render_markdown(check(loads(DOC), config, registry=REGISTRY))
    rows = _rows(markdown, "### organisation")
    assert len(rows) == 1
    assert len(_cells(rows[0])) == 6


# --- SARIF ------------------------------------------------------------------------------


def _sarif(report: Report, source: str | None = None) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(render_sarif(report, source=source))
    return data


def test_sarif_envelope(report: Report) -> None:
    data = _sarif(report)
    assert data["version"] == "2.1.0"
    assert data["$schema"].endswith("sarif-2.1.0.json")
    assert len(data["runs"]) == 1
    driver = data["runs"][0]["tool"]["driver"]
    assert driver["name"] == "goalalign"
    assert isinstance(driver["version"], str)
    assert driver["version"]


def test_sarif_rules_come_from_the_rule_metadata(report: Report) -> None:
    rules = _sarif(report)["runs"][0]["tool"]["driver"]["rules"]
    by_id = {r["id"]: r for r in rules}
    assert set(by_id) == {"TRP101", "TRP102", "TRP201", "TRP301"}
    assert by_id["TRP101"]["name"] == "chain-break"
    assert by_id["TRP101"]["shortDescription"]["text"] == "Summary of chain-break."
    assert by_id["TRP101"]["fullDescription"]["text"] == "Why chain-break matters."
    assert "Fix for chain-break." in by_id["TRP101"]["help"]["text"]
    levels = {r["id"]: r["defaultConfiguration"]["level"] for r in rules}
    assert levels == {"TRP101": "error", "TRP102": "warning", "TRP201": "note", "TRP301": "warning"}


def test_sarif_results_point_at_their_rules_and_places(report: Report, document: Path) -> None:
    run = _sarif(report, source=str(document))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    assert len(results) == len(report.findings)
    for result, finding in zip(results, report.findings, strict=True):
        assert set(result) >= {"ruleId", "ruleIndex", "level", "message", "locations"}
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"] == finding.code
        assert result["level"] == {"error": "error", "warning": "warning", "info": "note"}[
            finding.severity.value
        ]
        assert result["message"]["text"].startswith(finding.message)
        location = result["locations"][0]
        logical = location["logicalLocations"][0]
        assert logical["kind"] == finding.subject.kind.value
        assert logical["name"] == finding.subject.id
        physical = location["physicalLocation"]
        assert physical["artifactLocation"]["uri"] == document.as_uri()
        if finding.line is None:
            assert "region" not in physical
        else:
            assert physical["region"] == {"startLine": finding.line}
        assert result["properties"]["related"] == [r.to_dict() for r in finding.related]
    assert any("region" in r["locations"][0]["physicalLocation"] for r in results)


def test_sarif_relative_source_and_no_source(report: Report) -> None:
    run = _sarif(report, source="docs/riverside.yaml")["runs"][0]
    assert run["artifacts"] == [{"location": {"uri": "docs/riverside.yaml"}}]
    spaced = _sarif(report, source="org charts/riverside.yaml")["runs"][0]
    assert spaced["artifacts"] == [{"location": {"uri": "org%20charts/riverside.yaml"}}]
    no_file = check(loads(DOC), registry=REGISTRY)
    for result in _sarif(no_file)["runs"][0]["results"]:
        assert "physicalLocation" not in result["locations"][0]


def test_sarif_severity_override_changes_result_level_not_default(document: Path) -> None:
    regraded = check(load(document), Config(severity={"team-note": Severity.ERROR}),
                     registry=REGISTRY)
    run = _sarif(regraded)["runs"][0]
    result = next(r for r in run["results"] if r["ruleId"] == "TRP201")
    assert result["level"] == "error"
    assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["defaultConfiguration"] == {
        "level": "note"
    }


# --- through the command line -------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["markdown", "sarif"])
def test_check_command_writes_each_format(
    document: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    from goalalign.cli.main import main

    main(["check", str(document), "--format", fmt])
    out = capsys.readouterr().out
    expected = render(check(load(document)), fmt, source=str(document))
    assert out == expected if expected.endswith("\n") else out == expected + "\n"
