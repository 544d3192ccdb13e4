"""The report as Markdown, for pull-request comments, wikis and tickets.

Tables keep one finding per row so a reviewer can scan them; every cell is escaped so that a
goal statement containing ``|`` cannot break the table.
"""

from __future__ import annotations

from collections.abc import Iterable

from goalalign.reporting.report import Report
from goalalign.reporting.text import (
    answer_text,
    format_chain,
    group_by_team,
    subject_text,
    summary_line,
    team_label,
    top_fixes,
)

__all__ = ["render_markdown"]


def _cell(text: object) -> str:
    """``text`` made safe for one Markdown table cell: one line, pipes escaped."""
    one_line = " ".join(str(text).splitlines())
    return one_line.replace("\\", "\\\\").replace("|", "\\|")


def _table(header: Iterable[str], rows: Iterable[Iterable[object]]) -> list[str]:
    head = list(header)
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def render_markdown(report: Report) -> str:
    """The report as a Markdown document: score table, teams table, findings per team."""
    score = report.score.to_dict()
    lines = [f"# goalalign report: {_cell(report.organisation)}", ""]
    lines += [f"**Score: {float(score.get('overall', 0.0)):.1f} / 100**", ""]
    lines.append(f"_{summary_line(report)}_")
    components = score.get("components") or {}
    if components:
        lines += ["", "## Score", ""]
        lines += _table(
            ["Component", "Score"], ((name, f"{float(v):.1f}") for name, v in components.items())
        )
    if report.teams:
        team_scores = score.get("teams") or {}
        rows = []
        for assessment in report.teams:
            data = assessment.to_dict()
            team_id = str(data.get("id"))
            answers = data.get("three_question_test") or {}
            team_score = team_scores.get(team_id)
            rows.append(
                [
                    team_label(report, team_id),
                    data.get("direction") or "undetermined",
                    "inferred" if data.get("direction_inferred") else "declared",
                    *(answer_text(answers.get(q)) for q in ("direction", "chain", "evidence")),
                    "" if team_score is None else f"{float(team_score):.1f}",
                ]
            )
        lines += ["", "## Teams", ""]
        lines += _table(
            ["Team", "Direction", "How", "Direction?", "Chain?", "Evidence?", "Score"], rows
        )
    fixes = top_fixes(score)
    if fixes:
        lines += ["", "## Fixes that would raise the score most", ""]
        lines += _table(
            ["Points", "Rule", "Subject", "Fix"],
            ((f"+{points:.1f}", f"`{rule}`", where, fix) for points, rule, where, fix in fixes),
        )
    if report.findings:
        lines += ["", "## Findings"]
    for team_id, findings in group_by_team(report.findings).items():
        lines += ["", f"### {_cell(team_label(report, team_id))}", ""]
        rows = []
        for finding in findings:
            message = finding.message
            chain = format_chain(finding.evidence.get("chain"))
            if chain is not None:
                message += f" (chain: {chain})"
            rows.append(
                [
                    finding.severity.value,
                    f"`{finding.rule}` ({finding.code})",
                    subject_text(finding),
                    "" if finding.line is None else finding.line,
                    message,
                    finding.fix,
                ]
            )
        lines += _table(["Severity", "Rule", "Subject", "Line", "Message", "Fix"], rows)
    if report.broken_plugins:
        lines += ["", "## Plugins that failed to load", ""]
        lines += _table(
            ["Entry point", "Target", "Error"],
            ((p.name, p.value, p.error) for p in report.broken_plugins),
        )
    return "\n".join(lines) + "\n"
