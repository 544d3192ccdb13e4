"""Linear growth, asserted structurally: work per goal stays flat as the cascade grows.

Timing is left to ``benchmarks/``; here the measure is the number of Python and C function
calls a full check makes (load, every rule, score, JSON report). A rule that compared every
pair of goals, or enumerated paths, would multiply the calls per goal by ten between the two
sizes; a linear pipeline keeps them flat.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import goalalign as ga
from goalalign.testing.generator import write_document


@contextmanager
def _counting_calls() -> Iterator[list[int]]:
    counter = [0]

    def profile(frame: Any, event: str, arg: Any) -> None:
        if event in ("call", "c_call"):
            counter[0] += 1

    sys.setprofile(profile)
    try:
        yield counter
    finally:
        sys.setprofile(None)


def _calls_per_goal(path: Path, goals: int) -> float:
    write_document(path, goals, seed=7)
    ga.load(path)  # warm imports and caches so both sizes are measured alike
    with _counting_calls() as counter:
        report = ga.check(ga.load(path))
        report.to_json()
    return counter[0] / goals


def test_calls_per_goal_stay_flat_from_1e3_to_1e4_goals(tmp_path: Path) -> None:
    small = _calls_per_goal(tmp_path / "small.json", 1_000)
    large = _calls_per_goal(tmp_path / "large.json", 10_000)
    assert large <= small * 1.5, f"{small:.0f} calls/goal at 1e3 but {large:.0f} at 1e4"


def test_a_check_leaves_no_reference_cycles(tmp_path: Path) -> None:
    """The collector is paused during a check, so a cycle among its objects would outlive it
    until a full collection, which must walk the whole cascade (about 0.5 s at 1e5 goals)."""
    path = tmp_path / "cascade.json"
    write_document(path, 1_000, seed=11)
    cascade = ga.load(path)
    ga.check(cascade).to_json()  # warm imports and caches, which may make cycles once
    gc.collect()
    report = ga.check(cascade)
    report.to_json()
    del report
    assert gc.collect() == 0
