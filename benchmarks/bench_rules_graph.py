"""Chain analysis and the graph rules on generated cascades, beside building ``cascade.graph``.

For each size the script generates a document with :mod:`goalalign.testing.generator` (six
levels, about 10% cross-links), builds the cascade, adds a few defects that exercise the
slower paths (a loop, a broken chain with goals below it, a retired strategic goal), and
times, as the median of ``--repeat`` runs on a fresh copy of the cascade each time:

* ``graph``: building the networkx contribution graph (:attr:`Cascade.graph`) alone, the
  baseline every analysis of the graph has to pay at least once;
* ``analysis``: :func:`goalalign.analysis.chains.analyse_chains` alone;
* ``rules``: the ``structure``, ``chains``, ``directions`` and ``focus`` rules through the rule
  engine (analysis and direction inference included);
* ``assess``: the three-question test for every team, on top of the rules.

It prints seconds, milliseconds per 1,000 goals, each figure's ratio to ``graph``, and the
growth between sizes divided by the growth in goals (1.0 is perfectly linear). The chain
analysis pauses Python's cyclic garbage collector while it runs (it allocates no cycles);
building the networkx graph runs with it, as a plain script would.

    python benchmarks/bench_rules_graph.py                   # 10k and 100k goals
    python benchmarks/bench_rules_graph.py --sizes 10000 100000 1000000 --repeat 1
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

import attrs

from goalalign.analysis.chains import analyse_chains
from goalalign.analysis.three_questions import assess_teams
from goalalign.domain.cascade import Cascade
from goalalign.domain.model import Link, LinkTarget, Status
from goalalign.engine.registry import Registry
from goalalign.engine.rule import Rule
from goalalign.engine.runner import run_rules
from goalalign.loading.readers import document_to_cascade
from goalalign.rules import chains, directions, focus, structure
from goalalign.testing.generator import generate_document


def _rules() -> list[Rule]:
    found: list[Rule] = []
    for module in (structure, chains, directions, focus):
        found.extend(v for v in vars(module).values() if isinstance(v, Rule))
    return found


def _with_defects(cascade: Cascade) -> Cascade:
    """A loop between two deep goals, a break with goals under it, one retired strategic goal."""
    goals = list(cascade.goals)
    n = len(goals)
    a, b = n - 1, n - 2
    goals[a] = attrs.evolve(goals[a], supports=(Link(LinkTarget.GOAL, goals[b].id, "loop"),))
    goals[b] = attrs.evolve(goals[b], supports=(Link(LinkTarget.GOAL, goals[a].id, "loop"),))
    middle = n // 2
    goals[middle] = attrs.evolve(goals[middle], supports=())
    goals[0] = attrs.evolve(goals[0], status=Status.RETIRED)
    return attrs.evolve(cascade, goals=tuple(goals))


def _fresh(cascade: Cascade) -> Cascade:
    """The same cascade without its cached graph and indexes."""
    return attrs.evolve(cascade)


def _median(repeat: int, make: Callable[[], Any]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        make()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(n_goals: int, repeat: int) -> dict[str, float]:
    cascade = _with_defects(document_to_cascade(generate_document(n_goals, seed=1)))
    registry = Registry(_rules())

    def graph() -> None:
        c = _fresh(cascade)
        c.goal("g0")  # indexes are shared by every figure; keep them out of the comparison
        start = time.perf_counter()
        _ = c.graph
        timings.append(time.perf_counter() - start)

    def analysis() -> None:
        c = _fresh(cascade)
        c.goal("g0")
        [c.level_of(g) for g in c.goals[:1]]
        start = time.perf_counter()
        analyse_chains(c)
        timings.append(time.perf_counter() - start)

    def rules() -> None:
        c = _fresh(cascade)
        c.goal("g0")
        start = time.perf_counter()
        result = run_rules(c, registry=registry)
        timings.append(time.perf_counter() - start)
        results.append(result)

    figures: dict[str, float] = {}
    results: list[Any] = []
    for name, fn in (("graph", graph), ("analysis", analysis), ("rules", rules)):
        timings: list[float] = []
        for _ in range(repeat):
            fn()
        figures[name] = statistics.median(timings)
    result = results[-1]
    figures["assess"] = _median(repeat, lambda: assess_teams(result.context, result.findings))
    figures["findings"] = float(len(result.findings))
    figures["visits_per_goal"] = analyse_chains(_fresh(cascade)).visits / n_goals
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    previous: tuple[int, dict[str, float]] | None = None
    header = ("goals", "figure", "seconds", "ms/1k goals", "× graph", "growth")
    widths = (9, 9, 9, 12, 8, 7)
    print(" ".join(f"{h:>{w}}" for h, w in zip(header, widths, strict=True)))
    for size in args.sizes:
        figures = measure(size, args.repeat)
        for name in ("graph", "analysis", "rules", "assess"):
            seconds = figures[name]
            growth = ""
            if previous is not None:
                before_size, before = previous
                growth = f"{(seconds / before[name]) / (size / before_size):.2f}"
            print(
                f"{size:>9} {name:>9} {seconds:>9.3f} {1000 * seconds / size * 1000:>12.2f} "
                f"{seconds / figures['graph']:>8.2f} {growth:>7}"
            )
        print(
            f"{size:>9} findings {int(figures['findings'])}, "
            f"adjacency visits per goal {figures['visits_per_goal']:.1f}"
        )
        previous = (size, figures)


if __name__ == "__main__":
    main()
