"""The :class:`Report`: findings, team assessments and the score of one check, and its forms.

The JSON envelope (SPEC section 4) is versioned by ``"goalalign": "1"`` so it can grow without
breaking readers. Other forms (text, Markdown, SARIF, HTML, DataFrame) are rendered by the
sibling modules of this package, imported only when asked for.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import TYPE_CHECKING, Any

import attrs

from goalalign.analysis.chains import collector_paused
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
        tally = Counter(finding.severity for finding in self.findings)
        return {s.value: tally[s] for s in Severity}

    def to_dict(self, *, all_chains: bool = False) -> dict[str, Any]:
        """The JSON envelope as plain data.

        Each team entry lists the chains that fail the second question (broken, unexplained
        or ending at another direction's anchor) and counts the rest; ``all_chains=True``
        lists every goal's chain too (at 100,000 goals that is most of a 50 MB report; the
        same chains are on :attr:`teams` and from :func:`goalalign.three_question_test`).
        """
        with collector_paused():
            return self._envelope(all_chains)

    def _envelope(self, all_chains: bool) -> dict[str, Any]:
        """Builds the envelope; :meth:`to_dict` pauses the cyclic collector around it, since
        the hundreds of thousands of fresh dicts and lists form no cycles and would otherwise
        set off collections that re-walk the whole report."""
        data: dict[str, Any] = {
            "goalalign": REPORT_VERSION,
            "organisation": self.organisation,
            "score": self.score.to_dict(),
            "teams": [team.to_dict(all_chains=all_chains) for team in self.teams],
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

    def to_json(self, *, indent: int | None = None, all_chains: bool = False) -> str:
        """The JSON report of SPEC section 4, as a string (``all_chains`` as in :meth:`to_dict`).

        Compact by default: the standard library encodes compact JSON in C and indented JSON
        in Python, about ten times slower on a report with a hundred thousand findings. Pass
        ``indent=2`` for a file meant to be read by people.
        """
        with collector_paused():
            data = self._envelope(all_chains)
            if indent is None:
                text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
            else:
                text = json.dumps(data, indent=indent, ensure_ascii=False)
            # Freed while the collector is still paused: once resumed, it would otherwise find
            # the whole envelope among the young objects and walk it all before it is dropped.
            del data
        return text

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
