"""Time the false-alignment rules (mini-me, clone, duplicate, conflict) at 10k and 100k goals.

The cascade comes from :mod:`goalalign.testing.generator` (a simple built-in generator is used
when that module is absent). Each size is measured in-process, after loading, as:

* ``statements``: the shared statement analysis (normalisation and metric families of every
  goal), computed once per check and used by all four rules;
* each rule's own time, on top of it;
* ``text`` (reported apart): microseconds per text of
  :func:`goalalign.text.similarity.tokens_and_hits`, the normalisation behind the statement
  analysis and the KPI-name measures of ``conflicting-goals``, over the distinct
  (digit-masked) statements and the distinct KPI names, with the word caches warm;
* ``parse`` (reported apart): :func:`goalalign.text.statement.parsed_statements`, the statement
  reader the rules ask for directions when no KPI gives one. In a full check it is shared with
  the SMART rules, which run earlier and have already paid for it.

``--unique`` makes every statement textually unique (the generator repeats templates, and the
analysis reads each distinct statement once), which is the worst case for the text analysis.
It prints CPU seconds (process time, robust on a busy machine), wall seconds, microseconds per
goal, and the 100k/10k ratio (10.0 is perfectly linear).

    python benchmarks/bench_echoes.py                # 10k and 100k
    python benchmarks/bench_echoes.py --unique
    python benchmarks/bench_echoes.py --sizes 10000 100000 1000000
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import random
import re
import time
from typing import Any

from goalalign.engine.context import CheckContext
from goalalign.loading import loads
from goalalign.rules.conflicts import conflicting_goals
from goalalign.rules.echoes import cloned_goal, duplicate_goal, mini_me_goal, statement_analysis
from goalalign.text.similarity import tokens_and_hits

RULES = (mini_me_goal, cloned_goal, duplicate_goal, conflicting_goals)


def _fallback_document(n_goals: int, seed: int) -> dict[str, Any]:
    """A minimal cascade: 8 strategic goals, then layers that each link one level up."""
    rng = random.Random(seed)
    metrics = ["operating cost", "customer retention", "order cycle time", "recurring revenue"]
    teams = [{"id": "board"}] + [
        {"id": f"t{i}", "parent": "board"} for i in range(1, max(2, n_goals // 100))
    ]
    goals: list[dict[str, Any]] = []
    for i in range(n_goals):
        verb = rng.choice(["Increase", "Reduce"])
        statement = f"{verb} {rng.choice(metrics)} by {rng.randrange(5, 40)}% by 2027"
        goal: dict[str, Any] = {"id": f"g{i}", "statement": statement}
        if i < 8:
            goal.update(team="board", level="strategic")
        else:
            goal.update(team=rng.choice(teams[1:])["id"], level="operational")
            goal["supports"] = [{"goal": f"g{rng.randrange(max(8, i // 4))}", "mechanism": "x"}]
        goals.append(goal)
    return {"goalalign": 1, "organisation": {"name": "Bench"}, "teams": teams, "goals": goals}


def _document(n_goals: int, seed: int, unique: bool) -> dict[str, Any]:
    try:
        from goalalign.testing.generator import generate_document
    except ImportError:
        document = _fallback_document(n_goals, seed)
    else:
        document = generate_document(n_goals, seed=seed)
    if unique:
        for index, goal in enumerate(document["goals"]):
            tag = "".join(chr(97 + (index // 26**k) % 26) for k in range(4))
            goal["statement"] = f"{goal['statement']} for unit {tag}"
    return document


def _clock() -> tuple[float, float]:
    return time.process_time(), time.perf_counter()


def _since(start: tuple[float, float]) -> tuple[float, float]:
    cpu, wall = _clock()
    return cpu - start[0], wall - start[1]


def measure(n_goals: int, seed: int = 7, unique: bool = False) -> dict[str, Any]:
    cascade = loads(json.dumps(_document(n_goals, seed, unique)), format="json")
    ctx = CheckContext(cascade)
    gc.collect()
    figures: dict[str, Any] = {"goals": n_goals}
    start = _clock()
    try:
        from goalalign.text.statement import parsed_statements

        ctx.derive(parsed_statements)
    except ImportError:
        pass
    figures["parse"] = _since(start)
    try:
        from goalalign.analysis.directions import direction_analysis

        direction_analysis(ctx)
    except ImportError:
        pass
    start = _clock()
    statement_analysis(ctx)
    figures["statements"] = _since(start)
    found: dict[str, int] = {}
    for item in RULES:
        start = _clock()
        found[item.name] = sum(1 for _ in item.check(ctx, item.meta.option_defaults()))
        figures[item.name] = _since(start)
    figures["findings"] = found
    figures["text"] = _text_figures(cascade)
    figures["comparisons"] = statement_analysis(ctx).comparisons
    names = ["statements", *(r.name for r in RULES)]
    figures["total"] = (
        sum(figures[name][0] for name in names),
        sum(figures[name][1] for name in names),
    )
    return figures


def _text_figures(cascade: Any) -> tuple[float, float]:
    """CPU microseconds per text of ``tokens_and_hits``: (statements, KPI names)."""
    statements = list(dict.fromkeys(re.sub(r"\d", "0", g.statement) for g in cascade.goals))
    names = list(dict.fromkeys(kpi.name for kpi in cascade.kpis))
    figures = []
    for texts in (statements, names):
        start = time.process_time()
        for text in texts:
            tokens_and_hits(text)
        figures.append((time.process_time() - start) / max(len(texts), 1) * 1e6)
    return figures[0], figures[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--unique", action="store_true", help="make every statement unique")
    args = parser.parse_args()
    results = [measure(size, unique=args.unique) for size in args.sizes]
    stages = ["statements", *(r.name for r in RULES), "total", "parse"]
    print(f"{'stage':<20}" + "".join(f"{r['goals']:>22,}" for r in results))
    print(f"{'':<20}" + "".join(f"{'cpu s / wall s / us':>22}" for _ in results))
    for stage in stages:
        cells = []
        for r in results:
            cpu, wall = r[stage]
            cells.append(f"{cpu:7.3f} /{wall:7.3f} /{cpu / r['goals'] * 1e6:5.1f}")
        print(f"{stage:<20}" + "".join(f"{c:>22}" for c in cells))
    print(f"{'comparisons':<20}" + "".join(f"{r['comparisons']:>22,}" for r in results))
    print(
        f"{'text us/statement':<20}" + "".join(f"{r['text'][0]:>22.2f}" for r in results)
    )
    print(f"{'text us/KPI name':<20}" + "".join(f"{r['text'][1]:>22.2f}" for r in results))
    for r in results:
        print(f"findings at {r['goals']:,}: {r['findings']}")
    for small, large in itertools.pairwise(results):
        factor = large["goals"] / small["goals"]
        ratio = large["total"][0] / max(small["total"][0], 1e-9)
        compare = large["comparisons"] / max(small["comparisons"], 1)
        print(
            f"{small['goals']:,} -> {large['goals']:,} goals (x{factor:g}): rule CPU x{ratio:.1f}, "
            f"comparisons x{compare:.1f}"
        )


if __name__ == "__main__":
    main()
