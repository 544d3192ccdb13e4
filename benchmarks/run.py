"""The SPEC section 7 benchmark: goalalign's full check against a minimal baseline, per size.

For each size the script writes a generated JSON cascade (``goalalign.testing.generator``),
then, in fresh subprocesses so that neither warms the other's caches or memory:

* the **baseline**: ``json.load``, a networkx DiGraph of the contribution links, one reverse
  reachability pass from the strategic goals (unreachable goals) and a cycle check;
* **goalalign**: ``ga.load`` + ``ga.check`` (every rule, the score) + ``report.to_json()``,
  timed per stage (load, each rule family, teams and score, report). The cause-effect graph
  is built by the first rule that needs it, so its time is part of ``rules:structure``; the
  networkx view (``cascade.graph``) is built only when a user asks for it;
* **goalalign with two workers**: the same, with ``ga.check(cascade, workers=2)``, whose
  rules run in two processes (``--workers 0`` leaves it out). Its peak memory is the sum of
  both processes' peaks, an upper bound.

It runs ``--repeat`` rounds per size, each round the baseline and then goalalign (once in one
process, once with workers) back to back, so that a slow spell of the machine weighs on both
sides of a ratio alike. It prints, per size, the median time of each, the median of the
rounds' ratios to the baseline, the stage times, the peak memory, the extra memory over the
baseline's peak and the memory per goal.
``--quick`` runs the 1e4 size once, for CI.

    python benchmarks/run.py                 # 1e4, 1e5 and 1e6 goals
    python benchmarks/run.py --quick         # 1e4 only
    python benchmarks/run.py --sizes 100000 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

BASELINE = r"""
import json, resource, sys, time
import networkx as nx
path = sys.argv[1]
start = time.perf_counter()
with open(path, encoding="utf-8") as handle:
    doc = json.load(handle)
graph = nx.DiGraph()
strategic = []
for goal in doc["goals"]:
    graph.add_node(goal["id"])
    if goal.get("level") == "strategic":
        strategic.append(goal["id"])
for goal in doc["goals"]:
    for link in goal.get("supports", []):
        target = link if isinstance(link, str) else link.get("goal")
        if target is not None:
            graph.add_edge(goal["id"], target)
reached = set(strategic)
stack = list(strategic)
while stack:
    node = stack.pop()
    for source in graph.predecessors(node):
        if source not in reached:
            reached.add(source)
            stack.append(source)
unreachable = graph.number_of_nodes() - len(reached)
acyclic = nx.is_directed_acyclic_graph(graph)
cycles = 0 if acyclic else sum(1 for c in nx.strongly_connected_components(graph) if len(c) > 1)
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": elapsed, "peak_bytes": peak, "unreachable": unreachable,
                  "cycles": cycles}))
"""

FULL = r"""
import json, resource, sys, time
start_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
import goalalign as ga
from goalalign.engine.registry import default_registry
path = sys.argv[1]
workers = int(sys.argv[2])
families = {r.name: r.meta.family for r in default_registry()}
stages = {}
start = time.perf_counter()
cascade = ga.load(path)
stages["load"] = time.perf_counter() - start
last = [time.perf_counter(), None]
def progress(stage, done, total):
    now = time.perf_counter()
    if last[1] is not None:
        family = "rules:" + families.get(last[1], last[1])
        stages[family] = stages.get(family, 0.0) + now - last[0]
    last[0], last[1] = now, (stage if stage in families else None)
mark = time.perf_counter()
report = ga.check(cascade, progress=progress, workers=workers)
rules_end = last[0]
stages["teams+score"] = time.perf_counter() - rules_end
mark = time.perf_counter()
text = report.to_json()
stages["report"] = time.perf_counter() - mark
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
peak += resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
print(json.dumps({"seconds": elapsed, "peak_bytes": peak, "start_bytes": start_rss,
                  "stages": stages, "findings": len(report.findings),
                  "score": report.score.overall, "json_bytes": len(text)}))
"""


def _run(script: str, path: Path, *args: str) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-c", script, str(path), *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    if result.returncode != 0:
        raise SystemExit(f"benchmark subprocess failed:\n{result.stderr}")
    data: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return data


def measure(size: int, repeat: int, folder: Path, workers: int) -> dict[str, Any]:
    """Median baseline and full-check figures for one generated cascade of ``size`` goals."""
    from goalalign.testing.generator import write_document

    path = folder / f"cascade-{size}.json"
    if not path.exists():
        write_document(path, size, seed=size)
    baselines: list[dict[str, Any]] = []
    fulls: list[dict[str, Any]] = []
    parallel: list[dict[str, Any]] = []
    for _ in range(repeat):  # one round after the other: a slow spell hits all three alike
        baselines.append(_run(BASELINE, path))
        fulls.append(_run(FULL, path, "1"))
        if workers > 1:
            parallel.append(_run(FULL, path, str(workers)))
    seconds = [b["seconds"] for b in baselines]
    base = statistics.median(seconds)
    full = statistics.median(f["seconds"] for f in fulls)
    middle = sorted(fulls, key=lambda f: f["seconds"])[len(fulls) // 2]
    extra = max(f["peak_bytes"] for f in fulls) - max(b["peak_bytes"] for b in baselines)
    return {
        "goals": size,
        "file_mib": path.stat().st_size / 2**20,
        "baseline_s": base,
        "goalalign_s": full,
        "ratio": statistics.median(f["seconds"] / b for f, b in zip(fulls, seconds, strict=True)),
        "peak_mib": max(f["peak_bytes"] for f in fulls) / 2**20,
        "extra_mib_vs_baseline": extra / 2**20,
        "bytes_per_goal": max(f["peak_bytes"] - f["start_bytes"] for f in fulls) / size,
        "stages": middle["stages"],
        "workers": workers,
        "parallel_s": statistics.median(p["seconds"] for p in parallel) if parallel else None,
        "parallel_ratio": (
            statistics.median(p["seconds"] / b for p, b in zip(parallel, seconds, strict=True))
            if parallel
            else None
        ),
        "parallel_peak_mib": max(p["peak_bytes"] for p in parallel) / 2**20 if parallel else None,
        "findings": middle["findings"],
        "score": middle["score"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1e4 goals, one run (for CI)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per size (median)")
    parser.add_argument("--data", type=Path, help="keep generated documents in this folder")
    parser.add_argument("--json", type=Path, help="also write the figures here as JSON")
    parser.add_argument(
        "--workers", type=int, default=2, help="workers of the parallel run (0 or 1: none)"
    )
    args = parser.parse_args(argv)
    sizes, repeat = ([10_000], 1) if args.quick else (args.sizes, args.repeat)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.data or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        rows = [
            measure(size, 1 if size >= 1_000_000 else repeat, folder, args.workers)
            for size in sizes
        ]
    print(f"{'goals':>10} {'baseline s':>11} {'goalalign s':>12} {'ratio':>6} "
          f"{'peak MiB':>9} {'extra MiB':>10} {'B/goal':>8} {'findings':>9} {'score':>6}")
    for row in rows:
        print(f"{row['goals']:>10,} {row['baseline_s']:>11.2f} {row['goalalign_s']:>12.2f} "
              f"{row['ratio']:>6.2f} {row['peak_mib']:>9.0f} "
              f"{row['extra_mib_vs_baseline']:>10.0f} {row['bytes_per_goal']:>8.0f} "
              f"{row['findings']:>9,} {row['score']:>6.1f}")
    for row in rows:
        if row["parallel_s"] is not None:
            print(f"  {row['goals']:,} goals, {row['workers']} workers: "
                  f"{row['parallel_s']:.2f} s, ratio {row['parallel_ratio']:.2f}, "
                  f"peak of both processes {row['parallel_peak_mib']:.0f} MiB")
    for row in rows:
        stages = ", ".join(f"{k} {v:.2f}s" for k, v in sorted(row["stages"].items()))
        print(f"  {row['goals']:,} goals: {stages}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
