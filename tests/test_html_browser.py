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


def _open_in_browser(tmp_path: Path, name: str, page_text: str) -> str:
    """Load the page, assert a clean console, save a screenshot; return the live DOM."""
    ARTIFACTS.mkdir(exist_ok=True)
    page = ARTIFACTS / f"{name}.html"
    page.write_text(page_text, encoding="utf-8")
    dumped = _chromium(tmp_path, page, "--dump-dom")
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    assert _console(dumped.stderr) == []
    shot = ARTIFACTS / f"{name}.png"
    shot.unlink(missing_ok=True)
    taken = _chromium(tmp_path, page, f"--screenshot={shot}", "--window-size=1366,900")
    assert taken.returncode == 0, taken.stderr[-2000:]
    assert _console(taken.stderr) == []
    assert shot.stat().st_size > 10_000
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


@needs_chromium
def test_team_filter_hides_other_teams_rows(tmp_path: Path) -> None:
    report = _report(ROOT / "examples" / "revenue-cascade.yaml")
    teams = sorted({f.team for f in report.findings if f.team})
    assert teams, "the example is expected to have findings with teams"
    probe = (
        "<script>(function(){var t=document.getElementById('filter-team');"
        f"t.value={json.dumps(teams[0])};t.dispatchEvent(new Event('change'));"
        "var shown=[].slice.call(document.querySelectorAll('#findings-table tbody tr'))"
        ".filter(function(r){return !r.hidden;}).map(function(r){"
        "return r.getAttribute('data-team');});"
        "document.body.setAttribute('data-probe', shown.join(','));})();</script></body>"
    )
    page = render_html(report).replace("</body>", probe)
    dom = _open_in_browser(tmp_path, "report-filtered", page)
    match = re.search(r'data-probe="([^"]*)"', dom)
    assert match is not None
    shown = match.group(1).split(",")
    expected = sum(1 for f in report.findings if f.team == teams[0])
    assert shown == [teams[0]] * expected


@needs_chromium
def test_large_cascade_report_in_chromium(tmp_path: Path) -> None:
    report = ga.check(_big_cascade())
    dom = _open_in_browser(tmp_path, "report-300-goals", render_html(report))
    assert dom.count('<details id="ga-team-') == len({g.team for g in _big_cascade().goals})
