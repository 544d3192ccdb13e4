"""The HTML report: self-contained, escaped, and working in a real headless Chromium.

The browser tests run Chromium from the distribution's package (CI installs it) with every
network feature off, read the console messages it logs on stderr, and save screenshots under
``tests/artifacts/`` (git-ignored) for a person to look at.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import goalalign as ga
from goalalign.cli.main import main
from goalalign.reporting.html import render_html, render_html_fragment
from goalalign.reporting.map_layout import MAX_WIDTH
from goalalign.testing.generator import generate_document

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = next(
    (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None
)
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")

# Anything that could make a browser fetch something: a URL, an import, a stylesheet or script
# link, or a src attribute. url(#id) (SVG markers) and href="#id" stay inside the page.
_FETCHES = re.compile(
    r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/|@import|<link\b|\bsrc\s*=|url\((?!#)", re.IGNORECASE
)


def _report(path: Path) -> ga.Report:
    return ga.check(ga.load(path))


def _big_cascade() -> ga.Cascade:
    return ga.loads(json.dumps(generate_document(300, teams=15, seed=7)), format="json")


# -- the document itself ---------------------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_report_is_one_self_contained_file(path: Path) -> None:
    report = _report(path)
    page = render_html(report)
    assert page.startswith("<!DOCTYPE html>")
    assert _FETCHES.search(page) is None
    for section in ('id="score"', 'id="teams"', 'id="map"', 'id="findings"', "<svg"):
        assert section in page
    for finding in report.findings:
        assert html.escape(finding.message) in page
        assert html.escape(finding.fix) in page
    for team in report.teams:
        assert f'data-filter-team="{html.escape(team.id)}"' in page


def test_report_escapes_cascade_text() -> None:
    doc = {
        "goalalign": 1,
        "organisation": {"name": "<script>alert('org')</script>"},
        "teams": [{"id": "t<1>", "name": '"Quoted" & <b>bold</b>'}],
        "goals": [
            {"id": "g1", "team": "t<1>", "level": "strategic", "statement": "<img src=x>"},
        ],
    }
    page = render_html(ga.check(ga.loads(json.dumps(doc), format="json")))
    assert "<script>alert" not in page
    assert "<img src=x>" not in page
    assert "&lt;img src=x&gt;" in page
    assert "<b>bold</b>" not in page


def test_check_writes_html_through_the_format_registry(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    status = main(["check", str(EXAMPLES[0]), "--format", "html", "-o", str(out)])
    assert status in (0, 1)
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_notebook_views() -> None:
    report = _report(EXAMPLES[0])
    fragment = report._repr_html_()
    assert fragment == render_html_fragment(report)
    assert "<script" not in fragment
    assert "<body" not in fragment
    assert report.organisation in fragment
    assert report.to_html() == render_html(report)
    summary = ga.load(EXAMPLES[0])._repr_html_()
    assert f"{len(ga.load(EXAMPLES[0]).goals)} goals" in summary


def test_large_cascade_report_collapses_the_map() -> None:
    report = ga.check(_big_cascade())
    page = render_html(report)
    teams = {g.team for g in report.cascade.goals} if report.cascade else set()
    assert page.count('<details id="ga-team-') == len(teams)
    width = int(re.search(r'<svg class="ga-map" viewBox="0 0 (\d+)', page).group(1))  # type: ignore[union-attr]
    assert width <= MAX_WIDTH


# -- in a real browser ---------------------------------------------------------------------------


def _chromium(tmp_path: Path, page: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--no-first-run",
            "--hide-scrollbars",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--enable-logging=stderr",
            "--v=0",
            *extra,
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _console(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


def _open_in_browser(tmp_path: Path, name: str, page_text: str, *, shot: bool = True) -> str:
    """Load the page, assert a clean console, save a screenshot; return the live DOM."""
    ARTIFACTS.mkdir(exist_ok=True)
    page = ARTIFACTS / f"{name}.html"
    page.write_text(page_text, encoding="utf-8")
    dumped = _chromium(tmp_path, page, "--dump-dom")
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    assert _console(dumped.stderr) == []
    if shot:
        image = ARTIFACTS / f"{name}.png"
        image.unlink(missing_ok=True)
        taken = _chromium(tmp_path, page, f"--screenshot={image}", "--window-size=1366,900")
        assert taken.returncode == 0, taken.stderr[-2000:]
        assert _console(taken.stderr) == []
        assert image.stat().st_size > 10_000  # a blank page compresses to far less
    return dumped.stdout


@needs_chromium
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_report_runs_cleanly_in_chromium(tmp_path: Path, path: Path) -> None:
    report = _report(path)
    dom = _open_in_browser(tmp_path, f"report-{path.stem}", render_html(report))
    n = len(report.findings)
    if n:
        # the filter script ran: it writes the count when the page loads
        assert f"{n} of {n} findings shown" in dom
    assert "<svg" in dom


_PROBE = """<script>(function () {
  function shown() {
    return [].slice.call(document.querySelectorAll("#findings-table tbody tr"))
      .filter(function (r) { return !r.hidden; })
      .map(function (r) { return r.getAttribute("data-team") + "/" + r.getAttribute("data-rule")
        + "/" + r.getAttribute("data-severity"); }).join(",");
  }
  function set(id, value) {
    var el = document.getElementById(id); el.value = value; el.dispatchEvent(new Event("change"));
  }
  var steps = {};
  set("filter-team", TEAM); steps.team = shown(); set("filter-team", "");
  set("filter-rule", RULE); steps.rule = shown(); set("filter-rule", "");
  var box = document.querySelector("input[data-severity=SEVERITY]");
  box.checked = false; box.dispatchEvent(new Event("change")); steps.severity = shown();
  box.checked = true; box.dispatchEvent(new Event("change"));
  var text = document.getElementById("filter-text");
  text.value = TEXT; text.dispatchEvent(new Event("input")); steps.text = shown();
  text.value = ""; text.dispatchEvent(new Event("input"));
  var goal = document.querySelector(".ga-map g.node[data-key='goal:" + GOAL + "']");
  goal.dispatchEvent(new MouseEvent("click", {bubbles: true}));
  steps.goal = [text.value, shown()];
  document.body.setAttribute("data-probe", JSON.stringify(steps));
})();</script></body>"""


@needs_chromium
def test_filters_work_in_chromium(tmp_path: Path) -> None:
    report = _report(ROOT / "examples" / "council-it.yaml")
    findings = report.findings
    assert len({f.team for f in findings}) > 1, "the example is expected to span teams"
    team, rule, severity = findings[-1].team, findings[0].rule, findings[0].severity.value
    text = findings[-1].subject.id
    goal = next(f.subject.id for f in findings if f.subject.kind.value == "goal")
    probe = (
        _PROBE.replace("TEAM", json.dumps(team))
        .replace("RULE", json.dumps(rule))
        .replace("SEVERITY", severity)
        .replace("TEXT", json.dumps(text))
        .replace("GOAL", json.dumps(goal))
    )
    page = render_html(report).replace("</body>", probe)
    dom = _open_in_browser(tmp_path, "report-filtered", page, shot=False)
    match = re.search(r'data-probe="([^"]*)"', dom)
    assert match is not None
    steps = json.loads(html.unescape(match.group(1)))

    def rows(keep: object) -> str:
        return ",".join(
            f"{f.team or ''}/{f.rule}/{f.severity.value}"
            for f in findings
            if keep(f)  # type: ignore[operator]
        )

    assert steps["team"] == rows(lambda f: f.team == team)
    assert steps["rule"] == rows(lambda f: f.rule == rule)
    assert steps["severity"] == rows(lambda f: f.severity.value != severity)

    def mentions(f: ga.Finding) -> bool:
        cells = [f.message, f.fix, f.rule, f.code, f.subject.id, f.subject.target or "", f.team]
        cells += [r.id for r in f.related]
        return any(text.lower() in (cell or "").lower() for cell in cells)

    assert steps["text"] == rows(mentions)
    assert f"{findings[-1].team or ''}/{findings[-1].rule}" in steps["text"]
    # clicking a goal on the map searches for it: the goal's own findings are listed
    clicked, listed = steps["goal"]
    assert clicked == goal
    own = [f"{f.team or ''}/{f.rule}/{f.severity.value}" for f in findings if f.subject.id == goal]
    assert own
    assert all(row in listed.split(",") for row in own)


@needs_chromium
def test_large_cascade_report_in_chromium(tmp_path: Path) -> None:
    report = ga.check(_big_cascade())
    dom = _open_in_browser(tmp_path, "report-300-goals", render_html(report))
    assert dom.count('<details id="ga-team-') == len({g.team for g in _big_cascade().goals})


@needs_chromium
def test_report_prints_to_pdf(tmp_path: Path) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page = ARTIFACTS / "report-print.html"
    page.write_text(render_html(_report(ROOT / "examples" / "council-it.yaml")), encoding="utf-8")
    pdf = ARTIFACTS / "report-print.pdf"
    pdf.unlink(missing_ok=True)
    done = _chromium(tmp_path, page, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    assert done.returncode == 0, done.stderr[-2000:]
    assert _console(done.stderr) == []
    assert pdf.read_bytes().startswith(b"%PDF")
    assert b"@media print" in page.read_bytes()
