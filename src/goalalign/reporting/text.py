"""The report for people reading a terminal: score first, then findings team by team.

Findings are grouped by the team they belong to because that is who acts on them; findings
that belong to no team (an organisation-wide gap) come under "organisation". Colour is plain
ANSI escape codes, only when asked for, so piping the text into a file or a ticket stays clean.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from goalalign.engine.findings import Finding, Severity
from goalalign.reporting.report import Report

__all__ = ["group_by_team", "render_text", "top_fixes"]

ORGANISATION = "organisation"
"""The group of findings that belong to no team."""

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_DIM = "\x1b[2m"
_COLOURS = {
    Severity.ERROR: "\x1b[31m",
    Severity.WARNING: "\x1b[33m",
    Severity.INFO: "\x1b[36m",
}
_GREEN = "\x1b[32m"


class _Paint:
    """Wraps text in ANSI codes when colour is on, and leaves it alone otherwise."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, text: str, *codes: str) -> str:
        if not self.enabled or not codes:
            return text
        return "".join(codes) + text + _RESET


def group_by_team(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    """Findings by team id (``"organisation"`` for those without a team), order kept.

    Teams come in order of first appearance, which follows the report's deterministic
    finding order; the organisation group always comes last.
    """
    groups: dict[str, list[Finding]] = {}
    for finding in findings:
        groups.setdefault(finding.team or ORGANISATION, []).append(finding)
    if ORGANISATION in groups:
        groups[ORGANISATION] = groups.pop(ORGANISATION)
    return groups


def team_label(report: Report, team_id: str) -> str:
    """``"Name (id)"`` when the cascade knows a different name, else the id."""
    if team_id == ORGANISATION or report.cascade is None:
        return team_id
    team = report.cascade.team(team_id)
    if team is None or team.name == team_id:
        return team_id
    return f"{team.name} ({team_id})"


def format_chain(chain: Any) -> str | None:
    """A chain of steps (``{"goal": id, "mechanism": text}``) as ``a [why] -> b -> c``.

    ``chain`` may also be a mapping with the steps under ``"steps"``.
    """
    if isinstance(chain, Mapping):
        chain = chain.get("steps")
    if not isinstance(chain, list | tuple) or not chain:
        return None
    parts: list[str] = []
    for step in chain:
        if isinstance(step, Mapping):
            label = str(step.get("goal") or step.get("id") or step.get("anchor") or "?")
            mechanism = step.get("mechanism")
            parts.append(f"{label} [{mechanism}]" if mechanism else label)
        else:
            parts.append(str(step))
    return " -> ".join(parts)


def subject_text(finding: Finding) -> str:
    """The finding's subject as ``kind id`` (``link a -> b`` for a link)."""
    subject = finding.subject
    if subject.target is not None:
        return f"{subject.kind.value} {subject.id} -> {subject.target}"
    if not subject.id:
        return subject.kind.value
    return f"{subject.kind.value} {subject.id}"


def answer_text(value: Any) -> str:
    """A three-question answer as yes, no or n/a."""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if value is None:
        return "n/a"
    if isinstance(value, Mapping) and "answer" in value:
        return answer_text(value["answer"])
    return str(value)


def _score_lines(data: Mapping[str, Any], paint: _Paint) -> list[str]:
    lines = [paint(f"Score: {float(data.get('overall', 0.0)):.1f} / 100", _BOLD)]
    components = data.get("components") or {}
    if components:
        width = max(len(str(name)) for name in components)
        for name, value in components.items():
            lines.append(f"  {str(name).ljust(width)}  {float(value):5.1f}")
    return lines


def top_fixes(score: Mapping[str, Any], limit: int = 5) -> list[tuple[float, str, str, str]]:
    """The best fixes of a score's ``to_dict()`` as ``(points, rule, subject, fix)``."""
    fixes = score.get("fixes") or []
    found: list[tuple[float, str, str, str]] = []
    for fix in fixes[:limit]:
        if not isinstance(fix, Mapping):
            continue
        subject = fix.get("subject") or {}
        where = f"{subject.get('kind', '')} {subject.get('id', '')}".strip()
        if subject.get("target"):
            where += f" -> {subject['target']}"
        points = float(fix.get("points", 0.0))
        found.append((points, str(fix.get("rule", "")), where, str(fix.get("fix") or "")))
    return found


def _fix_lines(score: Mapping[str, Any], paint: _Paint) -> list[str]:
    fixes = top_fixes(score)
    if not fixes:
        return []
    lines = [paint("Fixes that would raise the score most", _BOLD)]
    for points, rule, where, fix in fixes:
        advice = f": {fix}" if fix else ""
        lines.append(f"  +{points:.1f}  {rule} {where}{advice}")
    return lines


def _team_lines(report: Report, score: Mapping[str, Any], paint: _Paint) -> list[str]:
    if not report.teams:
        return []
    team_scores = score.get("teams") or {}
    lines = [paint("Teams", _BOLD)]
    for assessment in report.teams:
        data = assessment.to_dict()
        team_id = str(data.get("id"))
        direction = data.get("direction") or "undetermined"
        how = "inferred" if data.get("direction_inferred") else "declared"
        answers = data.get("three_question_test") or {}
        test = ", ".join(f"{key} {answer_text(value)}" for key, value in answers.items())
        team_score = team_scores.get(team_id)
        score_text = f"  score {float(team_score):.1f}" if team_score is not None else ""
        lines.append(f"  {team_label(report, team_id)}: {direction} ({how}){score_text}")
        if test:
            lines.append(f"    three-question test: {test}")
        for note in data.get("notes") or ():
            lines.append(paint(f"    note: {note}", _DIM))
    return lines


def _finding_lines(finding: Finding, paint: _Paint) -> list[str]:
    severity = paint(finding.severity.value, _COLOURS[finding.severity])
    where = f" (line {finding.line})" if finding.line is not None else ""
    lines = [
        f"  {severity} {finding.rule} [{finding.code}] {subject_text(finding)}{where}",
        f"    {finding.message}",
    ]
    chain = format_chain(finding.evidence.get("chain"))
    if chain is not None:
        lines.append(paint(f"    chain: {chain}", _DIM))
    if finding.related:
        related = ", ".join(f"{r.kind.value} {r.id}" for r in finding.related)
        lines.append(paint(f"    related: {related}", _DIM))
    if finding.fix:
        lines.append(f"    fix: {finding.fix}")
    return lines


def summary_line(report: Report) -> str:
    """``N findings: e errors, w warnings, i info`` (plus suppressed and broken plugins)."""
    counts = report.counts()
    total = len(report.findings)
    noun = "finding" if total == 1 else "findings"
    errors = counts["error"]
    warnings = counts["warning"]
    parts = [
        f"{errors} error{'s' if errors != 1 else ''}",
        f"{warnings} warning{'s' if warnings != 1 else ''}",
        f"{counts['info']} info",
    ]
    text = f"{total} {noun}: {', '.join(parts)}"
    if report.suppressed:
        text += f"; {len(report.suppressed)} suppressed"
    if report.broken_plugins:
        text += f"; {len(report.broken_plugins)} plugin(s) failed to load"
    return text


def render_text(report: Report, *, color: bool = False) -> str:
    """The report as terminal text: header, score, teams, findings by team, summary."""
    paint = _Paint(color)
    lines = [paint(f"goalalign report: {report.organisation}", _BOLD), ""]
    score = report.score.to_dict()
    lines += _score_lines(score, paint)
    team_lines = _team_lines(report, score, paint)
    if team_lines:
        lines += ["", *team_lines]
    fix_lines = _fix_lines(score, paint)
    if fix_lines:
        lines += ["", *fix_lines]
    for team_id, findings in group_by_team(report.findings).items():
        lines += ["", paint(team_label(report, team_id), _BOLD)]
        for finding in findings:
            lines += _finding_lines(finding, paint)
    for plugin in report.broken_plugins:
        lines += ["", paint(f"plugin {plugin.name} ({plugin.value}) failed: {plugin.error}", _BOLD)]
    lines.append("")
    summary = summary_line(report)
    if not report.findings:
        summary = paint(summary, _GREEN)
    lines.append(summary)
    return "\n".join(lines) + "\n"
