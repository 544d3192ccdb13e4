"""The :class:`Report`: findings, team assessments and the score of one check, and its forms.

The JSON envelope (SPEC section 4) is versioned by ``"goalalign": "1"`` so it can grow without
breaking readers. Other forms (text, Markdown, SARIF, HTML, DataFrame) are rendered by the
sibling modules of this package, imported only when asked for.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import attrs

from goalalign.engine.findings import Finding, Severity
from goalalign.engine.registry import BrokenPlugin
from goalalign.engine.rule import Rule
from goalalign.engine.runner import SuppressedFinding

if TYPE_CHECKING:
    import pandas as pd

    from goalalign.analysis.three_questions import TeamAssessment
    from goalalign.domain.cascade import Cascade
    from goalalign.reporting.results_map import ResultsMap
    from goalalign.scoring.score import Score

__all__ = ["REPORT_VERSION", "Report"]

REPORT_VERSION = "1"
"""Version of the JSON report envelope."""


@attrs.frozen(slots=True)
class Report:
    """The outcome of :func:`goalalign.check`: what was found, per team, and the score."""

    organisation: str
    findings: tuple[Finding, ...]
    teams: tuple[TeamAssessment, ...]
    score: Score
    suppressed: tuple[SuppressedFinding, ...] = ()
    rules: tuple[Rule, ...] = attrs.field(default=(), eq=False, repr=False)
    broken_plugins: tuple[BrokenPlugin, ...] = ()
    cascade: Cascade | None = attrs.field(default=None, eq=False, repr=False)

    def worst(self) -> Severity | None:
        """The highest severity among the findings, or ``None`` when there are none."""
        return max((f.severity for f in self.findings), key=lambda s: s.rank, default=None)

    def fails(self, threshold: Severity) -> bool:
        """Whether any finding reaches ``threshold`` (the CLI's exit status 1)."""
        return any(f.severity.rank >= threshold.rank for f in self.findings)

    def counts(self) -> dict[str, int]:
        """Findings per severity."""
        counts = {s.value: 0 for s in Severity}
        for finding in self.findings:
            counts[finding.severity.value] += 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        """The JSON envelope as plain data."""
        data: dict[str, Any] = {
            "goalalign": REPORT_VERSION,
            "organisation": self.organisation,
            "score": self.score.to_dict(),
            "teams": [team.to_dict() for team in self.teams],
            "findings": [finding.to_dict() for finding in self.findings],
            "summary": self.counts(),
        }
        if self.suppressed:
            data["suppressed"] = [s.to_dict() for s in self.suppressed]
        if self.broken_plugins:
            data["plugins"] = [
                {"name": p.name, "value": p.value, "error": p.error} for p in self.broken_plugins
            ]
        return data

    def to_json(self, *, indent: int | None = None) -> str:
        """The JSON report of SPEC section 4, as a string.

        Compact by default: the standard library encodes compact JSON in C and indented JSON
        in Python, about ten times slower on a report with a hundred thousand findings. Pass
        ``indent=2`` for a file meant to be read by people.
        """
        if indent is None:
            return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def to_html(self, *, labels: bool = False) -> str:
        """The self-contained HTML report (score, teams, Results Map, filterable findings)."""
        from goalalign.reporting.html import render_html

        return render_html(self, labels=labels)

    def _repr_html_(self) -> str:
        from goalalign.reporting.html import render_html_fragment

        return render_html_fragment(self)

    def to_dataframe(self) -> pd.DataFrame:
        """One row per finding (needs pandas: ``goalalign[dataframe]``); see
        :func:`goalalign.reporting.frames.report_frame` for the columns."""
        from goalalign.reporting.frames import report_frame

        return report_frame(self)

    def results_map(self, *, team: str | None = None) -> ResultsMap:
        """The Results Map of the checked cascade with this report's findings overlaid."""
        from goalalign.reporting.results_map import results_map

        if self.cascade is None:
            raise ValueError("this report carries no cascade to draw")
        return results_map(self.cascade, self, team=team)
