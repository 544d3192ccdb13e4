"""Comparing two checks of a cascade: what a change resolved, what it introduced, and the score.

Findings are matched by :attr:`~goalalign.engine.findings.Finding.key` (rule, subject kind,
subject id, link target), which survives edits to messages, line numbers and evidence, so
moving a goal within the document or rewording an unrelated goal changes nothing here.
A strategy change shows up as ``stale-anchor`` findings introduced: goals that now hang only
from deprioritised or retired strategic goals.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from goalalign.domain.cascade import Cascade
from goalalign.engine.findings import Finding

if TYPE_CHECKING:
    from goalalign.engine.config import Config
    from goalalign.reporting.report import Report

__all__ = ["Comparison", "ScoreChange", "compare"]

STALE_ANCHOR = "stale-anchor"


@attrs.frozen(slots=True)
class ScoreChange:
    """One score before and after; ``None`` where it did not exist (a team added or removed)."""

    before: float | None
    after: float | None

    @property
    def change(self) -> float | None:
        """``after − before`` in hundredths, or ``None`` when either side is missing."""
        if self.before is None or self.after is None:
            return None
        return round(self.after - self.before, 2)

    def to_dict(self) -> dict[str, float | None]:
        return {"before": self.before, "after": self.after, "change": self.change}


@attrs.frozen(slots=True)
class Comparison:
    """What changed between two checks of a cascade."""

    resolved: tuple[Finding, ...]
    """Findings of the first check whose key the second check no longer reports."""
    introduced: tuple[Finding, ...]
    """Findings of the second check whose key the first check did not report."""
    overall: ScoreChange
    components: Mapping[str, ScoreChange]
    teams: Mapping[str, ScoreChange]
    persisting: int = 0
    """How many findings of the second check were already reported by the first."""

    @property
    def stale_anchors(self) -> tuple[Finding, ...]:
        """Introduced ``stale-anchor`` findings: goals that now hang only from deprioritised
        or retired strategic goals."""
        return tuple(f for f in self.introduced if f.rule == STALE_ANCHOR)

    def to_dict(self) -> dict[str, Any]:
        """The comparison as JSON-ready data."""
        return {
            "score": {
                "overall": self.overall.to_dict(),
                "components": {k: v.to_dict() for k, v in self.components.items()},
                "teams": {k: v.to_dict() for k, v in self.teams.items()},
            },
            "resolved": [f.to_dict() for f in self.resolved],
            "introduced": [f.to_dict() for f in self.introduced],
            "stale_anchors": [f.to_dict() for f in self.stale_anchors],
            "persisting": self.persisting,
        }

    def to_text(self) -> str:
        """A short human summary: score changes, then the findings resolved and introduced."""
        lines = [f"Score {_change_text(self.overall)}"]
        width = max((len(k) for k in (*self.components, *self.teams)), default=0)
        lines.append("Components:")
        lines.extend(f"  {k:<{width}}  {_change_text(v)}" for k, v in self.components.items())
        changed_teams = {k: v for k, v in self.teams.items() if v.before != v.after}
        if changed_teams:
            lines.append("Teams:")
            lines.extend(f"  {k:<{width}}  {_change_text(v)}" for k, v in changed_teams.items())
        else:
            lines.append("Teams: no team's score changed")
        for title, findings in (
            ("Resolved", self.resolved),
            ("Introduced", self.introduced),
            ("Now hanging from deprioritised or retired anchors", self.stale_anchors),
        ):
            lines.append(f"{title} ({len(findings)}):" if findings else f"{title}: none")
            lines.extend(f"  - {_finding_text(f)}" for f in findings)
        lines.append(f"Unchanged findings: {self.persisting}")
        return "\n".join(lines) + "\n"


def compare(
    before: Report | Cascade, after: Report | Cascade, config: Config | None = None
) -> Comparison:
    """Compare two checks; a :class:`Cascade` is checked first (with ``config``)."""
    old = _report(before, config)
    new = _report(after, config)
    old_keys = {f.key for f in old.findings}
    new_keys = {f.key for f in new.findings}
    return Comparison(
        resolved=tuple(f for f in old.findings if f.key not in new_keys),
        introduced=tuple(f for f in new.findings if f.key not in old_keys),
        overall=ScoreChange(old.score.overall, new.score.overall),
        components=_changes(old.score.components, new.score.components),
        teams=_changes(old.score.teams, new.score.teams),
        persisting=sum(1 for f in new.findings if f.key in old_keys),
    )


def _report(value: Report | Cascade, config: Config | None) -> Report:
    if isinstance(value, Cascade):
        from goalalign.api import check

        return check(value, config)
    return value


def _changes(before: Mapping[str, float], after: Mapping[str, float]) -> dict[str, ScoreChange]:
    names: Iterable[str] = list(before) + [k for k in after if k not in before]
    return {k: ScoreChange(before.get(k), after.get(k)) for k in names}


def _change_text(change: ScoreChange) -> str:
    def number(value: float | None) -> str:
        return "—" if value is None else f"{value:.2f}"

    delta = change.change
    suffix = "" if delta is None else f" ({delta:+.2f})"
    return f"{number(change.before)} → {number(change.after)}{suffix}"


def _finding_text(finding: Finding) -> str:
    subject = finding.subject
    where = f"{subject.kind.value} {subject.id}"
    if subject.target:
        where += f" → {subject.target}"
    return f"[{finding.severity.value}] {finding.rule}: {where}: {finding.message}"
