"""The library's front door: :func:`check` runs the rules, assesses teams and scores."""

from __future__ import annotations

from goalalign._collector import collector_paused
from goalalign.analysis.three_questions import TEAM_ANALYSES, assess_teams
from goalalign.domain.cascade import Cascade
from goalalign.engine.config import Config
from goalalign.engine.registry import Registry
from goalalign.engine.runner import Progress, run_rules
from goalalign.reporting.report import Report
from goalalign.scoring.score import compute_score

__all__ = ["check"]


def check(
    cascade: Cascade,
    config: Config | None = None,
    *,
    registry: Registry | None = None,
    progress: Progress | None = None,
    workers: int = 1,
) -> Report:
    """Check ``cascade``: run every selected rule, answer the three questions per team, score.

    ``config`` selects and tunes rules (the document's own ``config:`` refines it);
    ``registry`` replaces the default set of built-in and plugin rules; ``progress`` is called
    as ``progress(stage, done, total)`` for long runs. ``workers=2`` (or more) lets a large
    cascade's rules run in that many processes where the platform can fork: the same report,
    sooner, for up to that many times the memory (see :mod:`goalalign.engine.parallel`).

    The cyclic garbage collector is paused for the whole check (see
    :func:`goalalign._collector.collector_paused`): pausing each pass separately made every
    resume set off a full collection over the cascade.
    """
    with collector_paused():
        result = run_rules(
            cascade,
            config,
            registry=registry,
            progress=progress,
            workers=workers,
            prepare=TEAM_ANALYSES,
        )
        teams = assess_teams(result.context, result.findings)
        directions = {t.id: t.direction.value for t in teams if t.direction is not None}
        score = compute_score(cascade, result.findings, result.context.config, directions)
        result.context.release()
    return Report(
        organisation=cascade.organisation.name,
        findings=result.findings,
        teams=teams,
        score=score,
        suppressed=result.suppressed,
        rules=result.rules,
        broken_plugins=result.broken_plugins,
        cascade=cascade,
    )
