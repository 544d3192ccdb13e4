"""Loading speed and memory against plain ``json.load`` of the same generated file.

    python benchmarks/bench_loading.py --sizes 10000 100000

For each size, a document shaped like SPEC §7 is written as JSON to a temporary directory;
then the median time of ``goalalign.load`` and of ``json.load`` over ``--repeat`` runs, their
ratio, and the peak memory per goal (tracemalloc) of each are printed. ``goalalign.load``
pauses the cyclic garbage collector while it runs, so ``json.load`` is timed both as is and
with the collector paused too ("no-gc"); the stricter ratio is the second.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import goalalign as ga
from goalalign.testing.generator import write_document


def _json_load(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def _median_seconds(run: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _peak_bytes(run: Callable[[], Any]) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        result = run()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del result
    return peak


def _json_load_quiet(path: Path) -> Any:
    """``json.load`` with the garbage collector paused, as ``goalalign.load`` pauses it."""
    gc.disable()
    try:
        return _json_load(path)
    finally:
        gc.enable()


def _measure(path: Path, size: int, repeat: int, *, memory: bool) -> str:
    mib = path.stat().st_size / 2**20
    # Interleaved, so a busy spell of the machine hits all three alike.
    runs: dict[str, list[float]] = {"json": [], "quiet": [], "load": []}
    for _ in range(repeat):
        runs["json"].append(_median_seconds(lambda: _json_load(path), 1))
        runs["quiet"].append(_median_seconds(lambda: _json_load_quiet(path), 1))
        runs["load"].append(_median_seconds(lambda: ga.load(path), 1))
    baseline, quiet, loaded = (statistics.median(runs[k]) for k in ("json", "quiet", "load"))
    line = (
        f"{size:>9} {mib:>9.1f} {baseline:>12.3f} {quiet:>12.3f} {loaded:>10.3f}"
        f" {loaded / baseline:>6.2f} {loaded / quiet:>9.2f}"
    )
    if memory:
        json_peak = _peak_bytes(lambda: _json_load(path)) / size
        load_peak = _peak_bytes(lambda: ga.load(path)) / size
        line += f" {json_peak:>12.0f} {load_peak:>10.0f}"
    return line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (median)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc runs")
    args = parser.parse_args(argv)
    print(f"goalalign {ga.__version__}: loading generated JSON cascades, median of {args.repeat}")
    header = (
        f"{'goals':>9} {'file MiB':>9} {'json.load s':>12} {'json no-gc':>12} {'ga.load s':>10}"
        f" {'ratio':>6} {'ratio ngc':>9}"
    )
    if not args.no_memory:
        header += f" {'json B/goal':>12} {'ga B/goal':>10}"
    print(header)
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            path = write_document(Path(folder) / f"cascade-{size}.json", size, seed=args.seed)
            print(_measure(path, size, args.repeat, memory=not args.no_memory), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
