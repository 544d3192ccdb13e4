"""Roll-up, the ``numbers`` rules and progress on generated cascades: time per goal, linearity.

For each size the script generates a document (``goalalign.testing.generator`` when it is
available, else a small deterministic generator below), makes every USD, EUR and count KPI on
the upper levels a summing parent (so most goals are a part of some roll-up, a harder case than
the generator's default), builds the cascade, and times, as the median of ``--repeat`` runs:

* ``rollup``: :func:`goalalign.analysis.rollup.rollup` (resolve every KPI, all roll-ups);
* ``rules``: the three ``numbers`` rules through the rule engine (roll-up included);
* ``progress``: :func:`goalalign.analysis.progress.progress` (roll-up included).

It prints the seconds, microseconds per goal, and the growth ratio between consecutive sizes
divided by the growth in goals (1.0 is perfectly linear).

    python benchmarks/bench_rollup.py                      # 10k and 100k goals
    python benchmarks/bench_rollup.py --sizes 10000 100000 1000000 --repeat 1
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from typing import Any

from goalalign.analysis.progress import progress
from goalalign.analysis.rollup import rollup
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


def _median_seconds(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _fresh(document: dict[str, Any]) -> Cascade:
    return document_to_cascade(document)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    registry = Registry([rollup_shortfall, rollup_overcommitment, incompatible_units])
    previous: tuple[int, dict[str, float]] | None = None
    print(f"{'goals':>9} {'stage':>9} {'seconds':>9} {'us/goal':>8} {'growth/goals':>13}")
    for size in args.sizes:
        document = _with_summing_parents(_document(size))
        start = time.perf_counter()
        cascade = _fresh(document)
        load_seconds = time.perf_counter() - start
        analysis = rollup(cascade)
        parents = len(analysis.results)
        parts = sum(len(r.parts) for r in analysis.results)
        found = run_rules(cascade, registry=registry).findings
        stages = {
            # each stage on a new cascade, so no cached index or unit look-up is shared
            "rollup": _median_seconds(lambda: rollup(_fresh(document)), args.repeat),
            "rules": _median_seconds(
                lambda: run_rules(_fresh(document), registry=registry), args.repeat
            ),
            "progress": _median_seconds(lambda: progress(_fresh(document)), args.repeat),
            "build": _median_seconds(lambda: _fresh(document), args.repeat),
        }
        net = {k: max(0.0, v - stages["build"]) for k, v in stages.items() if k != "build"}
        print(
            f"# {size} goals: {len(cascade.kpis)} KPIs, {parents} summing parents, {parts} "
            f"counted parts, {len(found)} findings; first build {load_seconds:.2f}s"
        )
        for name, seconds in (*net.items(), ("build", stages["build"])):
            growth = ""
            if previous is not None and name in previous[1] and previous[1][name] > 0:
                growth = f"{seconds / previous[1][name] / (size / previous[0]):.2f}"
            print(f"{size:>9} {name:>9} {seconds:>9.3f} {seconds / size * 1e6:>8.1f} {growth:>13}")
        previous = (size, {**net, "build": stages["build"]})


if __name__ == "__main__":
    main()
