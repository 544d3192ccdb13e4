"""Statement reading speed: statements per second for 10k and 100k distinct statements.

The statements are generated from templates with varied verbs, measures, amounts, units and
deadlines, and every one is distinct, so :func:`goalalign.parse_statement`'s cache cannot hide
the cost; the cache is also cleared before each run. For each size the script prints the time
of ``parse_statement`` alone, of the same in bulk (as ``parsed_statements`` reads a
cascade, with the garbage collector paused), of ``parse_statement`` plus
``classify_statement`` and ``is_vague`` (what the SMART rules do per goal), statements per
second, and the growth between sizes divided by the growth in statements (1.0 is perfectly
linear). It prints wall-clock
time and CPU time of the process (``time.process_time``): on a busy machine the wall clock
includes time spent waiting for a core, the CPU time does not. A ``reference`` stage (one
regular-expression pass that splits each statement into words) gives a machine-independent
yardstick: the other stages are also printed as multiples of it.

With ``--source generator`` the statements are the distinct goal statements of
:func:`goalalign.testing.generator.iter_goals` (the ones a generated cascade holds) instead of
the templates below.

With ``--cascade N`` it also generates an N-goal cascade
(:func:`goalalign.testing.generator.write_document`), loads it, and times the ``smart`` and
``kpis`` rule families on it (they read every goal's statement once, through
``ctx.derive(parsed_statements)``), as goals per CPU second.

    python benchmarks/bench_statements.py
    python benchmarks/bench_statements.py --sizes 10000 100000 1000000
    python benchmarks/bench_statements.py --sizes 10000 --cascade 100000
    python benchmarks/bench_statements.py --sizes 50000 --source generator
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import time
from collections.abc import Callable
from datetime import date

from goalalign.text.classify import classify_statement, is_vague
from goalalign.text.statement import _parse_cached, parse_statement, paused_collector

VERBS = ["Increase", "Reduce", "Cut", "Raise", "Grow", "Keep", "Lower", "Improve", "Double"]
MEASURES = [
    "US territory sales", "the median wait for social housing", "ticket resolution time",
    "first-year student retention", "scrap on the stamping line", "monthly churn",
    "the time to fill a vacancy", "donor retention", "trailer fill", "the cost per claim",
    "weekday foot traffic in the central district", "the pass rate", "unplanned downtime",
]  # fmt: skip
ACTIVITIES = [
    "Hold {n} recruitment fairs", "Post {n} articles a week", "Submit {n}% more grant applications",
    "Run {n} outreach sessions in rural villages", "Answer {n} more customer emails per day",
]  # fmt: skip
DEADLINES = [
    "by Q{q} {y}", "by end of FY{y}", "by December {y}", "in {y}", "through {y}", "before {y}",
    "within {n} months", "in the next year", "next quarter", "by the end of {y}", "",
]  # fmt: skip


def statements(count: int, seed: int = 7) -> list[str]:
    """``count`` distinct, varied goal statements."""
    rng = random.Random(seed)
    found: list[str] = []
    for index in range(count):
        deadline = rng.choice(DEADLINES).format(
            q=rng.randint(1, 4), y=rng.randint(2026, 2031), n=rng.randint(2, 36)
        )
        shape = rng.random()
        if shape < 0.15:
            text = rng.choice(ACTIVITIES).format(n=rng.randint(2, 90))
        elif shape < 0.5:
            a, b = rng.randint(5, 400), rng.randint(5, 400)
            unit = rng.choice(["%", " days", " hours", "", "m"])
            prefix = "$" if unit == "m" else ""
            text = (
                f"{rng.choice(VERBS)} {rng.choice(MEASURES)} from {prefix}{a}{unit} "
                f"to {prefix}{b}{unit}"
            )
        else:
            text = f"{rng.choice(VERBS)} {rng.choice(MEASURES)} by {rng.randint(2, 60)}%"
        # a unique tail keeps every statement distinct without changing its shape
        found.append(f"{text} {deadline} for region {index}".replace("  ", " "))
    return found


def generated_statements(count: int, seed: int = 11) -> list[str]:
    """``count`` distinct goal statements of a generated cascade."""
    from goalalign.testing.generator import iter_goals

    found: dict[str, None] = {}
    for goal in iter_goals(count * 2, seed=seed):
        found[goal["statement"]] = None
        if len(found) == count:
            break
    return list(found)


def timed(run: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median wall-clock and CPU seconds of ``run`` over ``repeat`` runs, cache cleared."""
    walls, cpus = [], []
    for _ in range(repeat):
        _parse_cached.cache_clear()
        wall, cpu = time.perf_counter(), time.process_time()
        run()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return statistics.median(walls), statistics.median(cpus)


_WORDS = re.compile(r"[A-Za-z0-9$%.,]+")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cascade", type=int, default=0, help="also time rules on N goals")
    parser.add_argument(
        "--source",
        choices=("templates", "generator"),
        default="templates",
        help="template statements (default) or a generated cascade's goal statements",
    )
    args = parser.parse_args()
    as_of = date(2026, 3, 1)
    # an amount with a unit loads the unit registry, once, outside the timings
    parse_statement("warm up the language pack and unit cache: 3 people a week by Q3 2026", as_of)

    def parse_all(texts: list[str]) -> Callable[[], object]:
        return lambda: [parse_statement(t, as_of) for t in texts]

    def parse_and_classify(texts: list[str]) -> Callable[[], object]:
        def run() -> object:
            for text in texts:
                parsed = parse_statement(text, as_of)
                classify_statement(parsed)
                is_vague(parsed)
            return None

        return run

    def parse_bulk(texts: list[str]) -> Callable[[], object]:
        """As :func:`goalalign.text.statement.parsed_statements` reads a cascade's goals:
        with the cyclic garbage collector paused."""

        def run() -> object:
            with paused_collector():
                return [parse_statement(t, as_of) for t in texts]

        return run

    def reference(texts: list[str]) -> Callable[[], object]:
        return lambda: [_WORDS.findall(t.lower()) for t in texts]

    print(
        f"{'size':>9} {'stage':<22} {'wall s':>8} {'cpu s':>8} {'stmts/s cpu':>12}"
        f" {'x reference':>12} {'growth/size':>12}"
    )
    previous: dict[str, tuple[int, float]] = {}
    stages = (
        ("reference", reference),
        ("parse", parse_all),
        ("parse, bulk", parse_bulk),
        ("parse+classify+vague", parse_and_classify),
    )
    for size in args.sizes:
        texts = statements(size) if args.source == "templates" else generated_statements(size)
        assert len(set(texts)) == len(texts)
        base = 0.0
        for name, make in stages:
            wall, cpu = timed(make(texts), args.repeat)
            if name == "reference":
                base = cpu
            growth = ""
            if name in previous:
                last_size, last_cpu = previous[name]
                growth = f"{(cpu / last_cpu) / (size / last_size):.2f}"
            previous[name] = (size, cpu)
            print(
                f"{size:>9} {name:<22} {wall:>8.3f} {cpu:>8.3f} {size / cpu:>12,.0f}"
                f" {cpu / base:>12.1f} {growth:>12}"
            )
    if args.cascade:
        time_rules(args.cascade)


def time_rules(goals: int) -> None:
    """Time the smart and kpis rule families on a generated cascade of ``goals`` goals."""
    import tempfile
    from pathlib import Path

    from goalalign.engine.config import Config
    from goalalign.engine.runner import run_rules
    from goalalign.loading import load
    from goalalign.testing.generator import write_document

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cascade.json"  # write_document writes JSON
        write_document(path, goals, seed=1)
        cascade = load(path)
    print(f"\n{'goals':>9} {'families':<22} {'wall s':>8} {'cpu s':>8} {'goals/s cpu':>12}")
    for families in (("smart",), ("kpis",), ("smart", "kpis")):
        _parse_cached.cache_clear()
        wall, cpu = time.perf_counter(), time.process_time()
        run_rules(cascade, Config(select=families))
        cpu = time.process_time() - cpu
        wall = time.perf_counter() - wall
        name = "+".join(families)
        print(f"{len(cascade.goals):>9} {name:<22} {wall:>8.3f} {cpu:>8.3f} {goals / cpu:>12,.0f}")


if __name__ == "__main__":
    main()
