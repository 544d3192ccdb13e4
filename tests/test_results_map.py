"""The Results Map: its graph, layers, overlay, focus, collapse, exports and escaping."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import goalalign as ga
from goalalign.analysis.three_questions import TeamAssessment
from goalalign.cli.main import main
from goalalign.domain.model import Direction
from goalalign.engine.findings import Finding, Ref, Severity
from goalalign.reporting.report import Report
from goalalign.reporting.results_map import (
    COLLAPSE_TEAM_GOALS,
    COLLAPSE_TOTAL_GOALS,
    GraphvizNotFoundError,
    results_map,
)
from goalalign.scoring.score import Score
from goalalign.testing.generator import generate_document

NODE_ATTRS = {
    "kind",
    "id",
    "label",
    "statement",
    "team",
    "level",
    "layer",
    "direction",
    "severity",
    "findings",
    "rules",
    "broken",
}
EDGE_ATTRS = {"kind", "mechanism", "weight", "broken", "also_hinders"}

DOC = """
goalalign: 1
organisation:
  name: Riverside
  purpose: Safe care for every patient
  promises:
    - {id: safe-sites, statement: Every site is safe and clean}
teams:
  - {id: board, name: Board}
  - {id: clinic, name: Clinics, parent: board, direction: strategic}
  - {id: it, name: IT, parent: board, direction: enabling, serves: [clinic]}
  - {id: fac, name: Facilities, parent: board, direction: purpose}
goals:
  - {id: s-tele, team: board, level: strategic, statement: Reach 60% telehealth by 2026}
  - {id: s-wait, team: board, level: strategic, statement: Cut waits to 10 days by 2026}
  - id: c-visits
    team: clinic
    statement: Run 400 video visits a week by 2026
    supports:
      - {goal: s-tele, mechanism: video visits are telehealth follow-ups}
    hinders:
      - {goal: s-wait, mechanism: clinicians on video are not on the ward}
  - id: c-slots
    team: clinic
    level: translational
    statement: Open 50 extra slots a week by 2026
    supports: [s-wait]
  - id: it-uptime
    team: it
    level: operational
    statement: Keep the video platform up 99.9% of clinic hours in 2026
    supports:
      - {goal: c-visits, mechanism: visits cannot happen while the platform is down, weight: 2}
  - id: it-ghost
    team: it
    level: operational
    statement: Support the ghost project by 2026
    supports: [no-such-goal]
  - id: fac-clean
    team: fac
    level: operational
    statement: Pass 100% of cleaning audits in 2026
    supports: [{promise: safe-sites, mechanism: audits prove the sites are clean}]
"""


@pytest.fixture
def cascade() -> ga.Cascade:
    return ga.loads(DOC)


def _finding(rule: str, severity: Severity, subject: Ref, team: str | None = None) -> Finding:
    return Finding(rule, "GA999", severity, subject, f"{rule} here", "fix it", team=team)


def _report(
    cascade: ga.Cascade, *findings: Finding, teams: tuple[TeamAssessment, ...] = ()
) -> Report:
    return Report(
        organisation=cascade.organisation.name,
        findings=tuple(findings),
        teams=teams,
        score=Score(overall=90.0, components={"chain-integrity": 90.0}, teams={}),
        cascade=cascade,
    )


def _assessment(team: str, direction: Direction, inferred: bool) -> TeamAssessment:
    return TeamAssessment(
        id=team,
        name=team,
        direction=direction,
        direction_inferred=inferred,
        direction_evidence={},
        direction_ok=True,
        chain_ok=True,
        evidence_ok=True,
    )


def _big(n_goals: int, teams: int) -> ga.Cascade:
    return ga.loads(json.dumps(generate_document(n_goals, teams=teams, seed=3)), format="json")


# -- graph ------------------------------------------------------------------------------------


def test_layers_follow_levels_declared_or_inferred(cascade: ga.Cascade) -> None:
    graph = results_map(cascade).graph
    layer = dict(graph.nodes(data="layer"))
    assert layer["purpose"] == "purpose"
    assert layer["promise:safe-sites"] == "purpose"
    assert layer["goal:s-tele"] == "strategic"
    assert layer["goal:c-slots"] == "translational"
    # c-visits declares no level: it supports a strategic goal, so it is inferred translational
    assert layer["goal:c-visits"] == "translational"
    assert layer["goal:it-uptime"] == "operational"


def test_every_node_and_edge_carries_the_documented_attributes(cascade: ga.Cascade) -> None:
    graph = results_map(cascade).graph
    for _, data in graph.nodes(data=True):
        assert set(data) == NODE_ATTRS
        assert data["kind"] in {"goal", "promise", "purpose", "missing"}
    for _, _, data in graph.edges(data=True):
        assert set(data) == EDGE_ATTRS
        assert data["kind"] in {"supports", "hinders"}


def test_edges_carry_kind_mechanism_and_weight(cascade: ga.Cascade) -> None:
    graph = results_map(cascade).graph
    uptime = graph.edges["goal:it-uptime", "goal:c-visits"]
    assert (uptime["kind"], uptime["weight"]) == ("supports", 2)
    assert uptime["mechanism"].startswith("visits cannot happen")
    hinders = graph.edges["goal:c-visits", "goal:s-wait"]
    assert hinders["kind"] == "hinders"
    assert graph.edges["goal:fac-clean", "promise:safe-sites"]["kind"] == "supports"
    teams = dict(graph.nodes(data="team"))
    assert teams["goal:it-uptime"] == "it"
    assert dict(graph.nodes(data="direction"))["goal:it-uptime"] == "enabling"


def test_a_dangling_target_becomes_a_missing_node_with_a_broken_edge(cascade: ga.Cascade) -> None:
    graph = results_map(cascade).graph
    assert graph.nodes["missing:goal:no-such-goal"]["kind"] == "missing"
    assert graph.edges["goal:it-ghost", "missing:goal:no-such-goal"]["broken"] is True
    assert graph.edges["goal:it-uptime", "goal:c-visits"]["broken"] is False


def test_unchecked_map_has_no_severities(cascade: ga.Cascade) -> None:
    graph = results_map(cascade).graph
    assert all(
        data["severity"] is None for _, data in graph.nodes(data=True) if data["kind"] == "goal"
    )


# -- overlay ----------------------------------------------------------------------------------


def test_worst_severity_of_goal_link_and_kpi_findings_colours_the_goal(
    cascade: ga.Cascade,
) -> None:
    report = _report(
        cascade,
        _finding("vague-goal", Severity.INFO, Ref.goal("c-slots")),
        _finding("unexplained-link", Severity.WARNING, Ref.link("c-slots", "s-wait")),
        _finding("stale-review", Severity.WARNING, Ref.goal("it-uptime")),
    )
    graph = results_map(cascade, report).graph
    assert graph.nodes["goal:c-slots"]["severity"] == "warning"
    assert graph.nodes["goal:c-slots"]["findings"] == 2
    assert graph.nodes["goal:c-slots"]["rules"] == ("unexplained-link", "vague-goal")
    assert graph.nodes["goal:it-uptime"]["severity"] == "warning"
    assert graph.nodes["goal:s-tele"]["severity"] is None


def test_a_kpi_finding_lands_on_the_goal_it_measures() -> None:
    doc = DOC.replace(
        "statement: Open 50 extra slots a week by 2026",
        "statement: Open 50 extra slots a week by 2026\n"
        "    kpis: [{id: slots, name: Extra slots, unit: count, baseline: 0, target: 50}]",
    )
    cascade = ga.loads(doc)
    report = _report(cascade, _finding("missing-baseline", Severity.ERROR, Ref.kpi("slots")))
    assert results_map(cascade, report).graph.nodes["goal:c-slots"]["severity"] == "error"


def test_a_chain_broken_at_a_goal_is_drawn_broken(cascade: ga.Cascade) -> None:
    report = _report(cascade, _finding("broken-chain", Severity.ERROR, Ref.goal("c-visits")))
    drawing = results_map(cascade, report)
    graph = drawing.graph
    assert graph.nodes["goal:c-visits"]["broken"] is True
    assert graph.nodes["goal:c-slots"]["broken"] is False
    # the arrow into the break and the one out of it are both drawn broken
    assert graph.edges["goal:it-uptime", "goal:c-visits"]["broken"] is True
    assert graph.edges["goal:c-visits", "goal:s-tele"]["broken"] is True
    assert graph.edges["goal:c-slots", "goal:s-wait"]["broken"] is False
    mermaid = drawing.to_mermaid()
    assert "classDef broken" in mermaid
    assert re.search(r"^\s*class [n0-9,]+ broken$", mermaid, re.M)
    assert "linkStyle" in mermaid
    assert "dashed" in drawing.to_dot()


def test_a_reported_broken_link_marks_that_link_only(cascade: ga.Cascade) -> None:
    report = _report(
        cascade, _finding("dangling-link", Severity.ERROR, Ref.link("c-slots", "s-wait"))
    )
    graph = results_map(cascade, report).graph
    assert graph.edges["goal:c-slots", "goal:s-wait"]["broken"] is True
    assert graph.edges["goal:it-uptime", "goal:c-visits"]["broken"] is False


def test_directions_come_from_the_report_when_given(cascade: ga.Cascade) -> None:
    report = _report(cascade, teams=(_assessment("board", Direction.STRATEGIC, True),))
    drawing = results_map(cascade, report)
    assert drawing.graph.nodes["goal:s-tele"]["direction"] == "strategic"
    assert "Board (strategic, inferred)" in drawing.to_mermaid()
    assert "Board (direction undetermined)" in results_map(cascade).to_mermaid()


# -- focus ------------------------------------------------------------------------------------


def test_team_focus_keeps_its_goals_and_everything_upstream(cascade: ga.Cascade) -> None:
    graph = results_map(cascade, team="it").graph
    assert set(graph.nodes) == {
        "goal:it-uptime",
        "goal:it-ghost",
        "goal:c-visits",
        "goal:s-tele",
        "missing:goal:no-such-goal",
    }
    # c-visits' hinders target is not upstream along supports
    assert "goal:s-wait" not in graph
    assert graph.graph["focus"] == "it"


def test_team_focus_includes_what_the_team_itself_hinders(cascade: ga.Cascade) -> None:
    graph = results_map(cascade, team="clinic").graph
    assert {"goal:c-visits", "goal:c-slots", "goal:s-tele", "goal:s-wait"} <= set(graph.nodes)
    assert "goal:it-uptime" not in graph


def test_unknown_team_focus_is_an_error(cascade: ga.Cascade) -> None:
    with pytest.raises(ValueError, match="unknown team"):
        results_map(cascade, team="nobody")


# -- collapse ---------------------------------------------------------------------------------


def test_small_maps_are_not_collapsed(cascade: ga.Cascade) -> None:
    drawing = results_map(cascade)
    assert drawing.collapsed_teams == frozenset()
    assert not any(node.kind == "team" for node in drawing.view().nodes)


def test_a_team_beyond_the_limit_is_collapsed_alone() -> None:
    extra = "".join(
        f"  - {{id: x{i}, team: busy, level: operational, statement: Ship item {i} by 2026, "
        f"supports: [c-slots]}}\n"
        for i in range(COLLAPSE_TEAM_GOALS + 1)
    )
    doc = DOC.replace("teams:\n", "teams:\n  - {id: busy, name: Busy, parent: board}\n") + extra
    drawing = results_map(ga.loads(doc))
    assert drawing.collapsed_teams == frozenset({"busy"})
    view = drawing.view()
    team_nodes = [n for n in view.nodes if n.kind == "team"]
    assert [(n.id, n.goals) for n in team_nodes] == [("busy", COLLAPSE_TEAM_GOALS + 1)]
    merged = [e for e in view.edges if e.source == "team:busy"]
    assert [(e.target, e.count) for e in merged] == [("goal:c-slots", COLLAPSE_TEAM_GOALS + 1)]
    assert len(view.collapsed["busy"]) == COLLAPSE_TEAM_GOALS + 1
    # the graph itself keeps every goal
    assert (
        drawing.graph.number_of_nodes() == len(ga.loads(doc).goals) + 3
    )  # purpose, promise, missing


def test_large_maps_collapse_every_team_and_stay_small() -> None:
    cascade = _big(COLLAPSE_TOTAL_GOALS * 2, teams=12)
    drawing = results_map(cascade)
    teams_with_goals = {g.team for g in cascade.goals}
    assert drawing.collapsed_teams == teams_with_goals
    view = drawing.view()
    assert sum(1 for n in view.nodes if n.kind == "team") == len(teams_with_goals)
    assert sum(n.goals for n in view.nodes if n.kind == "team") == len(cascade.goals)
    assert not any(n.kind == "goal" for n in view.nodes)
    # merged arrows account for every link between different teams
    cross = sum(
        1
        for u, v, d in drawing.graph.edges(data=True)
        if drawing.graph.nodes[u]["team"] != drawing.graph.nodes[v]["team"]
        and drawing.graph.nodes[v]["kind"] == "goal"
    )
    assert sum(e.count for e in view.edges if e.target.startswith("team:")) == cross


def test_collapse_can_be_forced_either_way(cascade: ga.Cascade) -> None:
    assert results_map(cascade, collapse=True).collapsed_teams == {"board", "clinic", "it", "fac"}
    assert results_map(_big(200, teams=4), collapse=False).collapsed_teams == frozenset()


# -- exports ----------------------------------------------------------------------------------

_MERMAID_NODE = re.compile(r'^\s*(n\d+)(\[\[|\(\[|\{\{|\[|>)"(.*)"(\]\]|\]\)|\}\}|\])$')
_MERMAID_EDGE = re.compile(r'^\s*(n\d+) (-->|-\.->)(\|"[^"]*"\|)? (n\d+)$')


def _assert_plain_label(label: str) -> None:
    """No quote, no markup, nothing Mermaid would read as an entity code."""
    assert '"' not in label.strip('|"')
    assert "<" not in label
    assert re.search(r"[#&]#?\w+;", label) is None, label


def parse_mermaid(text: str) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """Node labels and edges of our Mermaid output; fails on any line it cannot read."""
    nodes: dict[str, str] = {}
    edges: list[tuple[str, str, str]] = []
    for line in text.splitlines():
        stripped = line.strip()
        if (
            not stripped
            or stripped.startswith(("%%", "classDef ", "class ", "linkStyle ", "flowchart "))
            or stripped == "end"
            or re.fullmatch(r'subgraph L\d+(T\d+)?\["[^"]*"\]', stripped)
        ):
            continue
        if match := _MERMAID_NODE.match(line):
            _assert_plain_label(match.group(3))
            nodes[match.group(1)] = match.group(3)
        elif match := _MERMAID_EDGE.match(line):
            _assert_plain_label(match.group(3) or "")
            edges.append((match.group(1), match.group(4), match.group(2)))
        else:
            raise AssertionError(f"unreadable Mermaid line: {line!r}")
    return nodes, edges


def test_mermaid_parses_back_to_the_view(cascade: ga.Cascade) -> None:
    drawing = results_map(cascade)
    nodes, edges = parse_mermaid(drawing.to_mermaid())
    view = drawing.view()
    assert len(nodes) == len(view.nodes) == drawing.graph.number_of_nodes()
    assert len(edges) == len(view.edges) == drawing.graph.number_of_edges()
    dashed = sum(1 for *_, arrow in edges if arrow == "-.->")
    assert dashed == sum(1 for e in view.edges if e.kind == "hinders" or e.broken)


def test_mechanism_labels_only_on_demand(cascade: ga.Cascade) -> None:
    drawing = results_map(cascade)
    assert "visits cannot happen" not in drawing.to_mermaid()
    assert "visits cannot happen" in drawing.to_mermaid(labels=True)
    assert "visits cannot happen" in drawing.to_dot(labels=True)
    assert "visits cannot happen" not in drawing.to_dot()


def test_dot_structure(cascade: ga.Cascade) -> None:
    dot = results_map(cascade).to_dot()
    assert dot.startswith("digraph results_map {")
    assert dot.rstrip().endswith("}")
    visible = [line for line in dot.splitlines() if " -> " in line and "invis" not in line]
    assert len(visible) == results_map(cascade).graph.number_of_edges()
    assert dot.count("subgraph cluster_") == 4
    assert "rank=same" in dot


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz 'dot' is not installed")
def test_dot_is_accepted_by_graphviz(cascade: ga.Cascade) -> None:
    report = _report(cascade, _finding("broken-chain", Severity.ERROR, Ref.goal("c-visits")))
    for drawing in (results_map(cascade, report), results_map(cascade, collapse=True)):
        done = subprocess.run(
            ["dot", "-Tsvg"], input=drawing.to_dot(labels=True).encode(), capture_output=True
        )
        assert done.returncode == 0, done.stderr.decode()
        assert b"<svg" in done.stdout
    assert "<svg" in results_map(cascade).to_svg()


def test_svg_without_graphviz_says_how_to_install(
    cascade: ga.Cascade, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "graphviz", None)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(GraphvizNotFoundError, match=r"goalalign\[graphviz\]"):
        results_map(cascade).to_svg()
    assert isinstance(GraphvizNotFoundError("x"), RuntimeError)


def test_builtin_svg_is_well_formed_with_one_box_per_node(cascade: ga.Cascade) -> None:
    drawing = results_map(cascade, collapse=True)
    root = ET.fromstring(drawing.to_svg(engine="builtin"))
    ns = "{http://www.w3.org/2000/svg}"
    groups = [g for g in root.iter(f"{ns}g") if "node" in g.get("class", "").split()]
    assert len(groups) == len(drawing.view().nodes)
    paths = [p for p in root.iter(f"{ns}path") if "edge" in p.get("class", "").split()]
    assert len(paths) == len(drawing.view().edges)


def test_map_html_is_self_contained_and_expands_collapsed_teams() -> None:
    drawing = results_map(_big(300, teams=12))
    page = drawing.to_html()
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"https?://", page)
    assert page.count("<details") == len(drawing.collapsed_teams)
    assert page.count('<a href="#ga-team-') == len(drawing.collapsed_teams)


# -- escaping ---------------------------------------------------------------------------------

NASTY = 'Cut "waits" <script>alert(1)</script> & #1 &amp; #35; [x] {y} | `z` \\ back\\slash; done'


def _nasty(statement: str, mechanism: str) -> ga.Cascade:
    doc = {
        "goalalign": 1,
        "organisation": {"name": 'Org "A" & <B>'},
        "teams": [{"id": "t1", "name": 'Team "<1>"'}, {"id": "t2", "name": "T#2", "parent": "t1"}],
        "goals": [
            {"id": "g-1", "team": "t1", "level": "strategic", "statement": statement},
            {
                "id": 'g"2',
                "team": "t2",
                "level": "operational",
                "statement": statement,
                "supports": [{"goal": "g-1", "mechanism": mechanism}],
            },
        ],
    }
    return ga.loads(json.dumps(doc), format="json")


def _dot_strings_are_balanced(dot: str) -> None:
    """Every line of our DOT has an even number of unescaped quotes."""
    for line in dot.splitlines():
        unescaped = re.sub(r"\\.", "", line)
        assert unescaped.count('"') % 2 == 0, line


def test_labels_are_escaped_in_every_format() -> None:
    drawing = results_map(_nasty(NASTY, NASTY))
    mermaid = drawing.to_mermaid(labels=True)
    nodes, edges = parse_mermaid(mermaid)
    assert len(nodes) == 2
    assert len(edges) == 1
    assert "<script>" not in mermaid
    _dot_strings_are_balanced(drawing.to_dot(labels=True))
    for html in (drawing.to_html(labels=True), drawing.to_svg(engine="builtin", labels=True)):
        assert "<script>alert" not in html
        assert "&lt;script&gt;" in html


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz 'dot' is not installed")
def test_escaped_dot_renders() -> None:
    dot = results_map(_nasty(NASTY, NASTY)).to_dot(labels=True)
    done = subprocess.run(["dot", "-Tsvg"], input=dot.encode(), capture_output=True)
    assert done.returncode == 0, done.stderr.decode()
    ET.fromstring(done.stdout)


_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60
).filter(lambda s: s.strip() != "")


@given(statement=_TEXT, mechanism=_TEXT)
def test_any_text_stays_inside_its_label(statement: str, mechanism: str) -> None:
    drawing = results_map(_nasty(statement, mechanism))
    nodes, edges = parse_mermaid(drawing.to_mermaid(labels=True))
    assert len(nodes) == 2
    assert len(edges) == 1
    _dot_strings_are_balanced(drawing.to_dot(labels=True))
    ET.fromstring(drawing.to_svg(engine="builtin", labels=True))


# -- command line -----------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".html", ".mmd", ".dot", ".svg"])
def test_map_command_writes_each_format(tmp_path: Path, examples_dir: Path, suffix: str) -> None:
    out = tmp_path / f"map{suffix}"
    args = ["map", str(examples_dir / "council-it.yaml"), "-o", str(out), "--labels"]
    assert main([*args, "--engine", "builtin"] if suffix == ".svg" else args) == 0
    text = out.read_text(encoding="utf-8")
    expected = {".html": "<!DOCTYPE html>", ".mmd": "flowchart BT", ".dot": "digraph"}
    assert expected.get(suffix, "<svg") in text
    assert "it-field" in text


def test_map_command_focuses_a_team(capsys: pytest.CaptureFixture[str], examples_dir: Path) -> None:
    assert main(["map", str(examples_dir / "council-it.yaml"), "--team", "ecodev"]) == 0
    out = capsys.readouterr().out
    assert "ecodev-events" in out
    assert "it-field" not in out


def test_map_command_rejects_unknown_suffix_and_team(
    tmp_path: Path, examples_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = str(examples_dir / "council-it.yaml")
    assert main(["map", source, "-o", str(tmp_path / "map.png")]) == 2
    assert main(["map", source, "--team", "nobody"]) == 2
    assert "unknown team" in capsys.readouterr().err


def test_a_crowded_drawing_keeps_broken_links_first(
    cascade: ga.Cascade, monkeypatch: pytest.MonkeyPatch
) -> None:
    import goalalign.reporting.results_map as module

    monkeypatch.setattr(module, "MAX_DRAWN_EDGES", 2)
    report = _report(cascade, _finding("broken-chain", Severity.ERROR, Ref.goal("c-slots")))
    drawing = results_map(cascade, report)
    view = drawing.view()
    total = drawing.graph.number_of_edges()
    assert len(view.edges) == 2
    assert view.omitted_links == total - 2
    assert [e.broken for e in view.edges] == [True, True]  # c-slots -> s-wait and it-ghost's
    assert "links between teams are not drawn" in drawing.to_html()


@given(
    n_goals=st.integers(min_value=1, max_value=220),
    teams=st.integers(min_value=1, max_value=20),
    seed=st.integers(min_value=0, max_value=10_000),
    collapse=st.sampled_from([None, True, False]),
)
def test_a_drawing_accounts_for_every_goal_and_link(
    n_goals: int, teams: int, seed: int, collapse: bool | None
) -> None:
    document = generate_document(n_goals, teams=teams, seed=seed)
    cascade = ga.loads(json.dumps(document), format="json")
    drawing = results_map(cascade, collapse=collapse)
    graph, view = drawing.graph, drawing.view()
    goals = sum(
        1 if n.kind == "goal" else n.goals for n in view.nodes if n.kind in ("goal", "team")
    )
    assert goals == len(cascade.goals)
    team_of = dict(graph.nodes(data="team"))
    inside = sum(
        1
        for u, v in graph.edges
        if team_of[u] is not None
        and team_of[u] == team_of[v]
        and team_of[u] in drawing.collapsed_teams
    )
    assert sum(e.count for e in view.edges) + view.omitted_links + inside == graph.number_of_edges()
    keys = {n.key for n in view.nodes}
    assert all(e.source in keys and e.target in keys for e in view.edges)


def test_collapsed_lists_show_the_worst_goals_first(monkeypatch: pytest.MonkeyPatch) -> None:
    import goalalign.reporting.results_map as module

    monkeypatch.setattr(module, "MAX_LISTED_GOALS", 2)
    extra = "".join(
        f"  - {{id: x{i}, team: busy, level: operational, statement: Ship item {i} by 2026}}\n"
        for i in range(COLLAPSE_TEAM_GOALS + 1)
    )
    doc = DOC.replace("teams:\n", "teams:\n  - {id: busy, name: Busy, parent: board}\n") + extra
    cascade = ga.loads(doc)
    report = _report(cascade, _finding("vague-goal", Severity.WARNING, Ref.goal("x7")))
    view = results_map(cascade, report).view()
    assert [n.id for n in view.collapsed["busy"]] == ["x7", "x0"]
    assert "… and 11 more goals" in results_map(cascade, report).to_html()


def test_notebook_view_and_report_shortcut(examples_dir: Path) -> None:
    cascade = ga.load(examples_dir / "council-it.yaml")
    report = ga.check(cascade)
    drawing = report.results_map(team="it")
    assert set(drawing.graph.nodes) == set(results_map(cascade, report, team="it").graph.nodes)
    fragment = drawing._repr_html_()
    assert "<svg" in fragment
    assert "<html" not in fragment
    assert "<script" not in fragment


def test_map_command_without_check_and_collapsed(
    capsys: pytest.CaptureFixture[str], examples_dir: Path
) -> None:
    source = str(examples_dir / "council-it.yaml")
    assert main(["map", source, "--no-check", "--collapse", "yes"]) == 0
    out = capsys.readouterr().out
    nodes, _ = parse_mermaid(out)
    # one node per team that owns goals (the spaces team owns none), plus the purpose
    assert sum(1 for line in out.splitlines() if '[["' in line) == 3
    assert len(nodes) == 4
    class_lines = out.split("classDef broken")[1]
    assert " plain" in class_lines
    assert " error" not in class_lines  # unchecked: no severities
