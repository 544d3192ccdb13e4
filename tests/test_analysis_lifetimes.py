"""Built-in rules declare the shared analyses they read, so a check frees each one early.

A rule's ``uses`` only lets the engine free an analysis after its last user; a missing or
wrong declaration would not change a finding, it would compute the analysis a second time
(seconds at 100,000 goals) or keep it alive to the end (hundreds of megabytes at a million).
These tests watch every ``derive`` of a full check to catch both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

import goalalign as ga
from goalalign.analysis import chains, directions
from goalalign.engine import runner
from goalalign.engine.context import CheckContext
from goalalign.engine.registry import default_registry
from goalalign.testing.generator import write_document

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.yaml"))

KEPT_FOR_THE_TEAMS = {chains.chain_analysis, directions.direction_analysis}
"""Analyses the check reads after the rules (the three questions per team), so no rule frees
them; their derive keys are private, so they are matched by the accessor's module."""


@contextmanager
def _watching_derive() -> Iterator[dict[str, Any]]:
    """Records, per rule, the analyses it derives itself, and how often each is computed."""
    seen: dict[str, Any] = {"rule": None, "direct": {}, "computed": {}, "depth": 0}
    original = CheckContext.derive

    def derive(self: CheckContext, analysis: Callable[[CheckContext], Any]) -> Any:
        if seen["depth"] == 0 and seen["rule"] is not None:
            seen["direct"].setdefault(seen["rule"], set()).add(analysis)
        if not self.has(analysis):
            seen["computed"][analysis] = seen["computed"].get(analysis, 0) + 1
        seen["depth"] += 1
        try:
            return original(self, analysis)
        finally:
            seen["depth"] -= 1

    original_after = runner._AnalysisLifetimes.after

    def after(self: Any, index: int, context: CheckContext) -> None:
        # what the engine builds between rules (see built_from) is no rule's own derive
        rule, seen["rule"] = seen["rule"], None
        try:
            original_after(self, index, context)
        finally:
            seen["rule"] = rule

    CheckContext.derive = derive  # type: ignore[method-assign]
    runner._AnalysisLifetimes.after = after  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        CheckContext.derive = original  # type: ignore[method-assign]
        runner._AnalysisLifetimes.after = original_after  # type: ignore[method-assign]


def _kept(analysis: Callable[..., Any]) -> bool:
    return any(
        analysis.__module__ == accessor.__module__ and analysis.__name__ == "_derive"
        for accessor in KEPT_FOR_THE_TEAMS
    )


@pytest.fixture(scope="module")
def watched(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    generated = tmp_path_factory.mktemp("lifetimes") / "cascade.json"
    write_document(generated, 2_000, seed=11)
    runs = []
    for path in [*EXAMPLES, generated]:
        cascade = ga.load(path)
        with _watching_derive() as seen:

            def progress(stage: str, done: int, total: int, seen: dict[str, Any] = seen) -> None:
                seen["rule"] = stage

            ga.check(cascade, progress=progress)
        runs.append(seen)
    return runs


def test_every_rule_declares_the_analyses_it_reads(watched: list[dict[str, Any]]) -> None:
    rules = {r.name: r for r in default_registry()}
    missing = {}
    for seen in watched:
        for name, derived in seen["direct"].items():
            if name not in rules:
                continue
            undeclared = {
                a.__qualname__ for a in derived - set(rules[name].meta.uses) if not _kept(a)
            }
            if undeclared:
                missing[name] = sorted(undeclared)
    assert missing == {}


def test_no_analysis_is_computed_twice_in_a_check(watched: list[dict[str, Any]]) -> None:
    for seen in watched:
        twice = {a.__qualname__: n for a, n in seen["computed"].items() if n > 1}
        assert twice == {}


def test_the_analyses_a_check_keeps_are_few(watched: list[dict[str, Any]]) -> None:
    # the declarations are not vacuous: the big per-goal analyses are among them
    declared = {a for r in default_registry() for a in r.meta.uses}
    names = {a.__qualname__ for a in declared}
    assert {"parsed_statements", "StatementAnalysis", "rollup_analysis", "kpi_classes"} <= names
