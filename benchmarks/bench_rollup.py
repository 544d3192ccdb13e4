"""Roll-up, the ``numbers`` rules and progress on generated cascades: time per goal, linearity.

For each size the script generates a document (``goalalign.testing.generator`` when it is
available, else a small deterministic generator below), makes every USD, EUR and count KPI of
a goal with supporters a summing parent (so most goals are a part of some roll-up, a harder
case than the generator's default; ``--plain`` keeps the default), builds the cascade, and
times, as the median of ``--repeat`` runs:

* ``rollup``: :func:`goalalign.analysis.rollup.rollup` (unit mismatches of every KPI, the
  KPIs the roll-ups read resolved, every roll-up);
* ``rules``: the three ``numbers`` rules through the rule engine (roll-up included);
* ``progress``: :func:`goalalign.analysis.progress.progress` (roll-up included);
* ``reference``: the least any linear analysis must do, a bare pass that reads every goal's
  links into a reverse dict and every KPI's amounts. On a busy or small machine even this bare
  pass grows faster than the number of goals (caches, allocator), so the stages are also
  printed as multiples of it.

Times are CPU seconds of this process (:func:`time.process_time`), so that other work on a
busy machine distorts them less than wall-clock time would. Every stage runs on a freshly
built cascade (no cached index or graph is shared); the build is not part of a stage's time
(it is printed once, as ``build``). It prints seconds,
microseconds per goal, the growth between consecutive sizes divided by the growth in goals
(1.0 is perfectly linear), and the multiple of the reference pass.

    python benchmarks/bench_rollup.py                      # 10k and 100k goals
    python benchmarks/bench_rollup.py --plain              # the generator's usual shape
    python benchmarks/bench_rollup.py --sizes 10000 100000 1000000 --repeat 1
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from goalalign.analysis.progress import progress
from goalalign.analysis.rollup import paused_gc, rollup
from goalalign.domain.cascade import Cascade
from goalalign.engine.registry import Registry
from goalalign.engine.runner import run_rules
from goalalign.loading.readers import document_to_cascade
from goalalign.rules.numbers import incompatible_units, rollup_overcommitment, rollup_shortfall

_SUMMABLE = {"USD", "EUR", "count"}


def _fallback_document(n_goals: int, seed: int = 0) -> dict[str, Any]:
    """A plain tree of goals, six levels deep, 10% cross-links, a USD KPI on most goals."""
    rng = random.Random(seed)
    n_teams = max(1, n_goals // 100)
    teams = [{"id": f"t{i}", **({"parent": f"t{(i - 1) // 8}"} if i else {})}
             for i in range(n_teams)]
    goals: list[dict[str, Any]] = []
    layer_start, layer_size, index = 0, 8, 0
    level = 0
    while index < n_goals:
        size = min(layer_size, n_goals - index)
        for _ in range(size):
            goal: dict[str, Any] = {
                "id": f"g{index}",
                "team": f"t{index * n_teams // n_goals}",
                "level": ("strategic", "translational", "operational")[min(level, 2)],
                "statement": f"Grow sales of line {index} from $1m to $2m by 2027",
            }
            if level:
                parent = layer_start - layer_size // 6 + rng.randrange(max(1, layer_size // 6))
                links: list[Any] = [{"goal": f"g{max(0, parent)}", "mechanism": "part of it"}]
                if rng.random() < 0.1 and index > 1:
                    links.append(f"g{rng.randrange(index)}")
                goal["supports"] = links
            if rng.random() < 0.8:
                base = rng.randrange(1, 100) * 100_000
                goal["kpis"] = [{"name": "Sales", "unit": "USD", "baseline": base,
                                 "target": base + rng.randrange(1, 20) * 100_000}]
            goals.append(goal)
            index += 1
        layer_start, layer_size, level = index, layer_size * 6, level + 1
    return {"goalalign": 1, "organisation": {"name": "Bench"}, "teams": teams, "goals": goals}


def _document(n_goals: int) -> dict[str, Any]:
    try:
        from goalalign.testing.generator import generate_document
    except ImportError:
        return _fallback_document(n_goals)
    return generate_document(n_goals, seed=1)


def _with_summing_parents(document: dict[str, Any]) -> dict[str, Any]:
    """Make summable KPIs of every goal that has supporters a summing parent."""
    supported = set()
    for goal in document["goals"]:
        for link in goal.get("supports", ()):
            supported.add(link if isinstance(link, str) else link.get("goal"))
    for goal in document["goals"]:
        if goal["id"] in supported:
            for kpi in goal.get("kpis", ()):
                if kpi.get("unit") in _SUMMABLE:
                    kpi["aggregation"] = "sum"
    return document


def _median_seconds(
    stage: Callable[[Cascade], object], document: dict[str, Any], repeat: int
) -> float:
    """Median time of ``stage`` over ``repeat`` freshly built cascades (build not timed)."""
    times = []
    for _ in range(repeat):
        cascade = _fresh(document)
        start = time.process_time()
        stage(cascade)
        times.append(time.process_time() - start)
    return statistics.median(times)


def _fresh(document: dict[str, Any]) -> Cascade:
    return document_to_cascade(document)


def _reference(cascade: Cascade) -> int:
    """A bare linear pass over the same data: the floor any roll-up analysis stands on.

    Like the analyses, it runs with the cyclic garbage collector paused, so that neither pays
    for collections the other does not.
    """
    with paused_gc():
        return _bare_pass(cascade)


def _bare_pass(cascade: Cascade) -> int:
    reverse: dict[str, list[str]] = {}
    for goal in cascade.goals:
        for link in goal.supports:
            if link.target_id is not None:
                reverse.setdefault(link.target_id, []).append(goal.id)
    total = 0.0
    for kpi in cascade.kpis:
        if kpi.baseline is not None and kpi.target is not None:
            total += kpi.target.value - kpi.baseline.value
    return len(reverse) + int(total > 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--plain",
        action="store_true",
        help="keep the generator's own aggregations (a few summing strategic KPIs) instead of "
        "making every summable KPI with supporters a summing parent",
    )
    args = parser.parse_args()
    registry = Registry([rollup_shortfall, rollup_overcommitment, incompatible_units])
    previous: tuple[int, dict[str, float]] | None = None
    print(
        f"{'goals':>9} {'stage':>9} {'seconds':>9} {'us/goal':>8} {'growth/goals':>13} "
        f"{'x reference':>12}"
    )
    for size in args.sizes:
        document = _document(size) if args.plain else _with_summing_parents(_document(size))
        start = time.process_time()
        cascade = _fresh(document)
        load_seconds = time.process_time() - start
        analysis = rollup(cascade)
        parents = len(analysis.results)
        parts = sum(len(r.parts) for r in analysis.results)
        found = run_rules(cascade, registry=registry).findings
        by_rule = Counter(f.rule for f in found)
        n_kpis = len(cascade.kpis)
        del cascade, analysis, found
        stages = {
            "rollup": _median_seconds(rollup, document, args.repeat),
            "rules": _median_seconds(
                lambda c: run_rules(c, registry=registry), document, args.repeat
            ),
            "progress": _median_seconds(progress, document, args.repeat),
            "reference": _median_seconds(_reference, document, args.repeat),
        }
        print(
            f"# {size} goals: {n_kpis} KPIs, {parents} summing parents, {parts} counted parts, "
            f"findings {dict(sorted(by_rule.items()))}; build {load_seconds:.2f}s"
        )
        floor = max(stages["reference"], 1e-9)
        for name, seconds in (*stages.items(), ("build", load_seconds)):
            growth = ""
            if previous is not None and name in previous[1] and previous[1][name] > 0:
                growth = f"{seconds / previous[1][name] / (size / previous[0]):.2f}"
            print(
                f"{size:>9} {name:>9} {seconds:>9.3f} {seconds / size * 1e6:>8.1f} "
                f"{growth:>13} {seconds / floor:>12.1f}"
            )
        previous = (size, {**stages, "build": load_seconds})


if __name__ == "__main__":
    main()
