"""The HTML report: one self-contained file a manager can open, filter, and print.

Everything is inline (styles, the Results Map as SVG drawn by
:mod:`goalalign.reporting.map_layout`, and a few lines of script for the filters), so the file
opens offline, sends no request and can be mailed as is. Every piece of text from the cascade
is HTML-escaped; the script only shows and hides rows, it never writes markup.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from goalalign._version import __version__

if TYPE_CHECKING:
    from goalalign.engine.findings import Finding, Ref
    from goalalign.reporting.report import Report

__all__ = ["NOTEBOOK_FINDINGS", "render_html", "render_html_fragment"]

_SEVERITIES = ("error", "warning", "info")
TOP_FIXES_SHOWN = 8
"""Fixes listed before the rest are folded away."""

_CSS = """
:root{--ink:#1d2433;--muted:#667085;--line:#e4e7ec;--err:#b42318;--warn:#b54708;--info:#175cd3;
--ok:#2f7d46}
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:var(--ink);
margin:0;line-height:1.45;background:#fcfcfd}
header,main{max-width:1400px;margin:0 auto;padding:0 1.25rem}
header{padding-top:1rem}
h1{font-size:1.5rem;margin:.4rem 0}
h3{font-size:1rem;margin:1rem 0 .4rem}
h2{font-size:1.2rem;margin:1.6rem 0 .6rem;border-bottom:2px solid var(--line);padding-bottom:.25rem}
.meta{color:var(--muted);font-size:.9rem}
nav{display:flex;gap:1rem;margin:.6rem 0;font-size:.95rem}
nav a{color:var(--info);text-decoration:none}
.cards{display:grid;grid-template-columns:minmax(180px,240px) minmax(0,760px);gap:1rem;
align-items:start}
.card{background:#fff;border:1px solid var(--line);border-radius:10px;padding:.8rem 1rem}
.overall{font-size:3rem;font-weight:700;line-height:1}
.overall small{font-size:1rem;color:var(--muted);font-weight:400}
.bar{height:.55rem;background:#eef0f3;border-radius:4px;overflow:hidden;min-width:90px}
.bar i{display:block;height:100%;background:var(--ok)}
.bar i.mid{background:var(--warn)}.bar i.low{background:var(--err)}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
th{background:#f2f4f7;font-weight:600;position:sticky;top:0}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.sev{display:inline-block;padding:.05rem .45rem;border-radius:999px;font-size:.75rem;
font-weight:700;text-transform:uppercase;border:1px solid}
.sev.error{color:var(--err);background:#fde2e1}.sev.warning{color:var(--warn);background:#fff4d6}
.sev.info{color:var(--info);background:#e0efff}
.yes{color:var(--ok);font-weight:700}.no{color:var(--err);font-weight:700}
.na{color:var(--muted)}
.badge{display:inline-block;font-size:.75rem;color:var(--muted);border:1px solid var(--line);
border-radius:4px;padding:0 .3rem;margin-left:.3rem}
.filters{display:flex;flex-wrap:wrap;gap:.6rem 1.2rem;align-items:center;margin:.4rem 0 .8rem;
font-size:.9rem}
.filters select,.filters input[type=search]{font:inherit;padding:.2rem .35rem}
.fix{color:#344054}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85em}
.empty{color:var(--muted);font-style:italic}
.warnbox{border:1px solid var(--warn);background:#fff4d6;padding:.5rem .8rem;border-radius:8px}
footer{color:var(--muted);font-size:.8rem;margin:2rem auto;max-width:1400px;padding:0 1.25rem}
@media (max-width:900px){.cards{grid-template-columns:1fr}}
@media print{
body{background:#fff;font-size:10pt}nav,.filters{display:none}
header,main{max-width:none;padding:0}
h2{break-after:avoid}tr{break-inside:avoid}th{position:static}
.card{break-inside:avoid}section{break-before:auto}
a{color:inherit;text-decoration:none}
}
"""

_JS = """
(function () {
  "use strict";
  var table = document.getElementById("findings-table");
  if (!table) { return; }
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var team = document.getElementById("filter-team");
  var rule = document.getElementById("filter-rule");
  var text = document.getElementById("filter-text");
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[data-severity]"));
  var count = document.getElementById("filter-count");
  function apply() {
    var wanted = {};
    boxes.forEach(function (box) { wanted[box.getAttribute("data-severity")] = box.checked; });
    var needle = text.value.trim().toLowerCase();
    var shown = 0;
    rows.forEach(function (row) {
      var ok = wanted[row.getAttribute("data-severity")] === true &&
        (team.value === "" || row.getAttribute("data-team") === team.value) &&
        (rule.value === "" || row.getAttribute("data-rule") === rule.value) &&
        (needle === "" || row.textContent.toLowerCase().indexOf(needle) !== -1);
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    count.textContent = shown + " of " + rows.length + " findings shown";
  }
  [team, rule].concat(boxes).forEach(function (el) { el.addEventListener("change", apply); });
  text.addEventListener("input", apply);
  Array.prototype.slice.call(document.querySelectorAll("[data-filter-team]")).forEach(
    function (link) {
      link.addEventListener("click", function () {
        team.value = link.getAttribute("data-filter-team");
        apply();
      });
    });
  Array.prototype.slice.call(document.querySelectorAll(".ga-map g.node[data-key^='goal:']"))
    .forEach(function (node) {
      node.style.cursor = "pointer";
      node.addEventListener("click", function () {
        text.value = node.getAttribute("data-key").slice(5);
        team.value = "";
        rule.value = "";
        apply();
        document.getElementById("findings").scrollIntoView();
      });
    });
  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!id) { return; }
    var el = document.getElementById(id);
    if (el && el.tagName === "DETAILS") { el.open = true; }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();
  apply();
})();
"""


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _num(value: Any) -> str:
    try:
        return f"{float(value):.2f}".rstrip("0").rstrip(".")
    except (TypeError, ValueError):
        return _e(value)


def _bar(value: Any) -> str:
    try:
        pct = max(0.0, min(100.0, float(value)))
    except (TypeError, ValueError):
        return ""
    tone = "" if pct >= 80 else ("mid" if pct >= 50 else "low")
    return (
        f'<div class="bar" aria-hidden="true"><i class="{tone}" style="width:{pct:.1f}%"></i></div>'
    )


def _ref_text(ref: Ref) -> str:
    text = f"{ref.kind.value} {ref.id}"
    return f"{text} → {ref.target}" if ref.target else text


def _subject(data: Mapping[str, Any]) -> str:
    subject = data.get("subject") or {}
    text = f"{subject.get('kind', '')} {subject.get('id', '')}"
    if subject.get("target"):
        text += f" → {subject['target']}"
    return text.strip()


def render_html(report: Report, *, labels: bool = False) -> str:
    """``report`` as one self-contained HTML document (a ``str``).

    ``labels=True`` writes each link's mechanism on the map's arrows.
    """
    score = report.score.to_dict()
    teams = [t.to_dict() for t in report.teams]
    findings = report.findings
    counts = report.counts()
    cascade = report.cascade
    title = f"Goal alignment report: {report.organisation}"
    meta = [f"goalalign {__version__}"]
    if cascade is not None:
        meta.insert(0, f"as of {cascade.as_of().isoformat()}")
        meta.append(f"{len(cascade.goals)} goals, {len(cascade.teams)} teams")
    meta.append(", ".join(f"{counts.get(s, 0)} {s}" for s in _SEVERITIES))
    parts = [
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
        f'<header><h1>{_e(title)}</h1><div class="meta">{_e(" · ".join(meta))}</div>',
        '<nav><a href="#score">Score</a><a href="#teams">Teams</a><a href="#map">Results Map</a>'
        '<a href="#findings">Findings</a></nav></header><main>',
    ]
    if report.broken_plugins:
        names = ", ".join(p.name for p in report.broken_plugins)
        parts.append(
            f'<p class="warnbox">Rule plugins that failed to load and did not run: {_e(names)}</p>'
        )
    parts.append(_score_section(score))
    parts.append(_teams_section(teams, score, findings))
    parts.append(_map_section(report, labels))
    parts.append(_findings_section(findings))
    parts.append(_suppressed_section(report))
    parts.append(
        "</main><footer>Generated by goalalign. Severity colours: error (red), warning "
        "(amber), info (blue).</footer>"
    )
    parts.append(f"<script>{_JS}</script></body></html>\n")
    return "".join(parts)


def _score_section(score: Mapping[str, Any]) -> str:
    overall = score.get("overall")
    components: Mapping[str, Any] = score.get("components") or {}
    weights: Mapping[str, Any] = score.get("weights") or {}
    lost: Mapping[str, Any] = score.get("component_losses") or {}
    rows = []
    for name, value in components.items():
        extra = ""
        if name in weights:
            extra = (
                f'<td class="num">{_num(weights[name])}</td>'
                f'<td class="num">{_num(lost.get(name, 0))}</td>'
            )
        rows.append(
            f'<tr><td>{_e(name.replace("_", " "))}</td><td class="num">{_num(value)}</td>'
            f"<td>{_bar(value)}</td>{extra}</tr>"
        )
    head_extra = '<th class="num">weight</th><th class="num">points lost</th>' if weights else ""
    component_table = (
        f'<table><thead><tr><th>component</th><th class="num">score</th><th></th>{head_extra}'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        if rows
        else '<p class="empty">No components.</p>'
    )
    return (
        '<section id="score"><h2>Score</h2><div class="cards">'
        f'<div class="card"><div class="overall">{_num(overall)}<small> / 100</small></div>'
        f'{_bar(overall)}<p class="meta">Overall alignment score</p></div>'
        f'<div class="card"><strong>Components</strong>{component_table}</div>'
        f"</div>{_fixes(score.get('fixes') or [])}</section>"
    )


def _fixes(fixes: list[Mapping[str, Any]]) -> str:
    """The ranked fixes: the first few in a table, the rest behind a disclosure."""
    if not fixes:
        return '<h3>Fixes</h3><p class="empty">Nothing to fix: no warning or error.</p>'
    rows = [
        f'<tr><td class="num">+{_num(fix.get("points"))}</td><td>{_e(fix.get("fix"))}</td>'
        f"<td><code>{_e(fix.get('rule'))}</code></td><td>{_e(_subject(fix))}</td>"
        f"<td>{_e(fix.get('team') or '')}</td></tr>"
        for fix in fixes
    ]
    head = (
        '<table><thead><tr><th class="num">points</th><th>fix</th><th>rule</th>'
        "<th>subject</th><th>team</th></tr></thead><tbody>"
    )
    shown = head + "".join(rows[:TOP_FIXES_SHOWN]) + "</tbody></table>"
    rest = ""
    if len(rows) > TOP_FIXES_SHOWN:
        rest = (
            f"<details><summary>{len(rows) - TOP_FIXES_SHOWN} more fixes</summary>{head}"
            + "".join(rows[TOP_FIXES_SHOWN:])
            + "</tbody></table></details>"
        )
    return f"<h3>Fixes that raise the score most</h3>{shown}{rest}"


def _answer(value: Any) -> str:
    if value is True:
        return '<span class="yes" title="yes">✓ yes</span>'
    if value is False:
        return '<span class="no" title="no">✗ no</span>'
    return '<span class="na">n/a</span>'


def _teams_section(
    teams: list[dict[str, Any]], score: Mapping[str, Any], findings: Iterable[Finding]
) -> str:
    team_scores: Mapping[str, Any] = score.get("teams") or {}
    per_team = Counter(
        f.team or (f.subject.id if f.subject.kind.value == "team" else None) for f in findings
    )
    rows = []
    for team in teams:
        test: Mapping[str, Any] = team.get("three_question_test") or {}
        direction = team.get("direction")
        inferred = ' <span class="badge">inferred</span>' if team.get("direction_inferred") else ""
        team_id = str(team.get("id"))
        name = team.get("name")
        label = f'{_e(name)} <span class="meta">{_e(team_id)}</span>' if name else _e(team_id)
        notes = "".join(f"<li>{_e(note)}</li>" for note in team.get("notes") or ())
        notes_html = f'<ul class="meta">{notes}</ul>' if notes else ""
        rows.append(
            f'<tr><td><a href="#findings" data-filter-team="{_e(team_id)}">{label}</a>'
            f"{notes_html}</td><td>{_e(direction or 'undetermined')}{inferred}</td>"
            f"<td>{_answer(test.get('direction'))}</td><td>{_answer(test.get('chain'))}</td>"
            f"<td>{_answer(test.get('evidence'))}</td>"
            f'<td class="num">{_num(team_scores[team_id]) if team_id in team_scores else ""}</td>'
            f'<td class="num">{per_team.get(team_id, 0)}</td></tr>'
        )
    body = (
        "<table><thead><tr><th>team</th><th>direction</th><th>1. direction applies?</th>"
        "<th>2. unbroken chain to the anchor?</th><th>3. KPIs give evidence?</th>"
        '<th class="num">score</th><th class="num">findings</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
        if rows
        else '<p class="empty">No team assessments.</p>'
    )
    return (
        '<section id="teams"><h2>The three-question test, per team</h2>'
        '<p class="meta">(1) Which direction of alignment applies: strategic, enabling or '
        "purpose? (2) Can the team's goals trace an unbroken cause-effect chain to that anchor? "
        "(3) Do its KPIs give genuine evidence of the results in that chain?</p>"
        f"{body}</section>"
    )


def _map_section(report: Report, labels: bool) -> str:
    if report.cascade is None:
        return (
            '<section id="map"><h2>Results Map</h2><p class="empty">The report carries no '
            "cascade, so there is no map to draw.</p></section>"
        )
    from goalalign.reporting.map_layout import render_fragment
    from goalalign.reporting.results_map import results_map

    view = results_map(report.cascade, report).view()
    note = ""
    if view.collapsed:
        note = (
            '<p class="meta">This cascade is large, so some teams are drawn as one node each; '
            "the lists below the map show their goals.</p>"
        )
    return (
        '<section id="map"><h2>Results Map</h2><p class="meta">Layers from purpose down to '
        "operational goals; arrows point from a goal to what it contributes to. Hover a box for "
        "the full statement; click a goal to list its findings.</p>"
        f"{note}{render_fragment(view, labels=labels)}</section>"
    )


def _findings_section(findings: tuple[Finding, ...]) -> str:
    if not findings:
        return (
            '<section id="findings"><h2>Findings</h2><p class="empty">No findings: every rule '
            "passed.</p></section>"
        )
    teams = sorted({f.team for f in findings if f.team})
    rules = sorted({f.rule for f in findings})
    team_options = "".join(f'<option value="{_e(t)}">{_e(t)}</option>' for t in teams)
    rule_options = "".join(f'<option value="{_e(r)}">{_e(r)}</option>' for r in rules)
    boxes = "".join(
        f'<label><input type="checkbox" data-severity="{s}" checked> {s}</label>'
        for s in _SEVERITIES
    )
    rows = []
    for finding in findings:
        severity = finding.severity.value
        related = ", ".join(f"{r.kind.value} {r.id}" for r in finding.related)
        related_html = f'<div class="meta">related: {_e(related)}</div>' if related else ""
        rows.append(
            f'<tr data-severity="{severity}" data-team="{_e(finding.team or "")}" '
            f'data-rule="{_e(finding.rule)}"><td><span class="sev {severity}">{severity}</span>'
            f'</td><td><code>{_e(finding.rule)}</code><br><span class="meta">{_e(finding.code)}'
            f"</span></td><td>{_e(_ref_text(finding.subject))}{related_html}</td>"
            f"<td>{_e(finding.team or '')}</td><td>{_e(finding.message)}</td>"
            f'<td class="fix">{_e(finding.fix)}</td>'
            f'<td class="num">{_e(finding.line if finding.line is not None else "")}</td></tr>'
        )
    return (
        '<section id="findings"><h2>Findings</h2><div class="filters">'
        f'<label>Team <select id="filter-team"><option value="">all teams</option>{team_options}'
        "</select></label>"
        f'<label>Rule <select id="filter-rule"><option value="">all rules</option>{rule_options}'
        f"</select></label><span>{boxes}</span>"
        '<label>Search <input type="search" id="filter-text" placeholder="id, word…"></label>'
        '<span id="filter-count" class="meta"></span></div>'
        '<table id="findings-table"><thead><tr><th>severity</th><th>rule</th><th>subject</th>'
        '<th>team</th><th>finding</th><th>how to fix</th><th class="num">line</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></section>"
    )


def _suppressed_section(report: Report) -> str:
    if not report.suppressed:
        return ""
    items = []
    for item in report.suppressed:
        finding = item.finding.to_dict()
        reason = f": {_e(item.reason)}" if item.reason else ""
        items.append(
            f"<li><code>{_e(item.finding.rule)}</code> on {_e(_subject(finding))} "
            f"(ignored at {_e(item.where)}){reason}</li>"
        )
    return (
        '<section id="suppressed"><h2>Suppressed findings</h2><details><summary>'
        f"{len(items)} findings suppressed by <code>ignore:</code> entries</summary>"
        f"<ul>{''.join(items)}</ul></details></section>"
    )


_FRAGMENT_CSS = """
.ga-nb{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;font-size:13px}
.ga-nb table{border-collapse:collapse;margin:.3rem 0 .8rem}
.ga-nb th,.ga-nb td{border-bottom:1px solid #e4e7ec;padding:2px 8px;text-align:left;
vertical-align:top}
.ga-nb .sev{font-weight:700;text-transform:uppercase;font-size:11px}
.ga-nb .error{color:#b42318}.ga-nb .warning{color:#b54708}.ga-nb .info{color:#175cd3}
.ga-nb .yes{color:#2f7d46;font-weight:700}.ga-nb .no{color:#b42318;font-weight:700}
.ga-nb .na{color:#667085}
"""

NOTEBOOK_FINDINGS = 30
"""How many findings a notebook cell shows before pointing at the full report."""


def render_html_fragment(report: Report) -> str:
    """A compact HTML summary for notebooks: no page styles, no script, no map.

    It shows the score and its components, the three-question test per team and the first
    :data:`NOTEBOOK_FINDINGS` findings; :func:`render_html` gives the whole report.
    """
    score = report.score.to_dict()
    components = score.get("components") or {}
    parts = [
        f'<div class="ga-nb"><style>{_FRAGMENT_CSS}</style>',
        f"<strong>{_e(report.organisation)}</strong>: score <strong>{_num(score.get('overall'))}"
        "</strong> / 100",
    ]
    if components:
        parts.append(" (" + ", ".join(f"{_e(k)} {_num(v)}" for k, v in components.items()) + ")")
    rows = []
    for team in (t.to_dict() for t in report.teams):
        test = team.get("three_question_test") or {}
        inferred = " (inferred)" if team.get("direction_inferred") else ""
        rows.append(
            f"<tr><td>{_e(team.get('id'))}</td><td>{_e(team.get('direction') or 'undetermined')}"
            f"{inferred}</td><td>{_answer(test.get('direction'))}</td>"
            f"<td>{_answer(test.get('chain'))}</td><td>{_answer(test.get('evidence'))}</td></tr>"
        )
    if rows:
        parts.append(
            "<table><thead><tr><th>team</th><th>direction</th><th>direction applies</th>"
            f"<th>unbroken chain</th><th>KPI evidence</th></tr></thead><tbody>{''.join(rows)}"
            "</tbody></table>"
        )
    findings = report.findings
    items = [
        f'<tr><td class="sev {f.severity.value}">{f.severity.value}</td><td>{_e(f.rule)}</td>'
        f"<td>{_e(_subject(f.to_dict()))}</td><td>{_e(f.message)}</td></tr>"
        for f in findings[:NOTEBOOK_FINDINGS]
    ]
    if items:
        parts.append(
            "<table><thead><tr><th>severity</th><th>rule</th><th>subject</th><th>finding</th>"
            f"</tr></thead><tbody>{''.join(items)}</tbody></table>"
        )
    if len(findings) > NOTEBOOK_FINDINGS:
        parts.append(
            f"<p>… and {len(findings) - NOTEBOOK_FINDINGS} more findings: "
            "<code>report.to_dataframe()</code> or <code>report.to_html()</code> show all.</p>"
        )
    elif not findings:
        parts.append("<p>No findings.</p>")
    parts.append("</div>")
    return "".join(parts)
