"""Scoring time beside the full check, on generated cascades.

For each size the script generates a document (``goalalign.testing.generator``), builds the
cascade, and times, as the median of ``--repeat`` runs:

* ``check``: :func:`goalalign.check` (every rule, the team assessments and the score);
* ``score``: :func:`goalalign.scoring.score.compute_score` alone, on the check's findings;
* ``score, 1 finding per goal``: the score of a synthetic worst case, one warning or error on
  every goal, spread over every component (attribution and fixes over that many findings);
* ``score.to_dict``: the report's ``score`` object (top fixes and every non-zero loss).

It prints seconds and the score's share of the check. The score is linear in the number of
findings plus goals: one pass to count goals per team, one to classify findings, a sort of the
findings for deterministic attribution, and exact fraction arithmetic only per group of equal
cost (a handful per component), never per finding.

    python benchmarks/bench_score.py                     # 100k goals
    python benchmarks/bench_score.py --sizes 10000 100000 1000000 --repeat 1
"""

from __future__ import annotations

import argparse
import functools
import statistics
import time
from collections.abc import Callable
from typing import Any

from goalalign.api import check
from goalalign.domain.cascade import Cascade
from goalalign.engine.findings import Finding, Ref, Severity
from goalalign.loading.readers import document_to_cascade
from goalalign.scoring.score import compute_score
from goalalign.testing.generator import generate_document

_FAMILIES = ("chains", "kpis", "smart", "echoes", "structure")


def _median_time(action: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times = []
    result: Any = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def _worst_case_findings(cascade: Cascade) -> list[Finding]:
    """One finding per goal, alternating severity and family."""
    return [
        Finding(
            rule=f"bench-{_FAMILIES[i % len(_FAMILIES)]}",
            code="GX999",
            severity=Severity.ERROR if i % 3 == 0 else Severity.WARNING,
            subject=Ref.goal(goal.id),
            message=f"synthetic finding {i}",
            fix="resolve it",
            team=goal.team,
            family=_FAMILIES[i % len(_FAMILIES)],
        )
        for i, goal in enumerate(cascade.goals)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    for size in args.sizes:
        cascade = document_to_cascade(generate_document(size, seed=1))
        worst = _worst_case_findings(cascade)
        check_time, report = _median_time(functools.partial(check, cascade), args.repeat)
        findings = list(report.findings)
        score_time, _ = _median_time(
            functools.partial(compute_score, cascade, findings), args.repeat
        )
        worst_time, worst_score = _median_time(
            functools.partial(compute_score, cascade, worst), args.repeat
        )
        dict_time, _ = _median_time(worst_score.to_dict, args.repeat)
        print(f"{size:,} goals, {len(cascade.teams):,} teams, {len(findings):,} findings")
        print(f"  check (rules + teams + score)   {check_time:8.3f} s")
        print(
            f"  score of the check's findings   {score_time:8.3f} s "
            f"({100 * score_time / check_time:.1f}% of the check); overall "
            f"{report.score.overall}"
        )
        print(
            f"  score, 1 finding per goal       {worst_time:8.3f} s "
            f"({1e6 * worst_time / max(1, len(worst)):.1f} µs per finding); overall "
            f"{worst_score.overall}"
        )
        print(f"  score.to_dict, worst case       {dict_time:8.3f} s")


if __name__ == "__main__":
    main()
