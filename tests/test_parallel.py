"""One check's rules in several processes: families that share no analysis, taken by forked
processes as they come free, with the same findings as a check in one process."""

from __future__ import annotations

import multiprocessing
import os
import threading
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

import goalalign as ga
from goalalign.cli.main import main
from goalalign.engine import parallel
from goalalign.engine.context import CheckContext
from goalalign.engine.findings import Hit, Ref
from goalalign.engine.registry import Registry, default_registry
from goalalign.engine.rule import Rule, rule
from goalalign.engine.runner import run_rules
from goalalign.loading import document_to_cascade
from goalalign.testing.generator import generate_document
from goalalign.text.statement import parsed_statements

pytestmark = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="needs fork"
)

EXAMPLE = "goalalign: 1\norganisation: {name: Example}\n"


@pytest.fixture(scope="module")
def cascade() -> ga.Cascade:
    return document_to_cascade(generate_document(400, seed=11))


@pytest.fixture
def fork_any_size(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_GOALS", 0)


def _words(ctx: CheckContext) -> int:
    return len(ctx.cascade.goals)


def _links(ctx: CheckContext) -> int:
    return sum(len(goal.supports) for goal in ctx.cascade.goals)


def _test_rule(name: str, uses: tuple[Callable[[CheckContext], Any], ...] = ()) -> Rule:
    code = f"TST{zlib.crc32(name.encode()) % 900 + 100}"  # the same in every run

    @rule(name=name, code=code, family="test", severity="info", summary="s", rationale="r",
          bad=EXAMPLE, good=EXAMPLE, uses=uses)  # fmt: skip
    def check(ctx: CheckContext, options: Mapping[str, Any]) -> Iterator[Hit]:
        return iter(())

    return check


# -- families --------------------------------------------------------------------------------


def test_rules_sharing_an_analysis_form_one_family_largest_first() -> None:
    a, b, c, d, e = (
        _test_rule("alone"),
        _test_rule("words-one", (_words,)),
        _test_rule("both", (_words, _links)),
        _test_rule("links-one", (_links,)),
        _test_rule("alone-too"),
    )
    found = parallel.families([a, b, c, d, e])
    assert found == [[b, c, d], [a], [e]]


def test_the_built_in_rules_split_along_their_analyses() -> None:
    rules = list(default_registry())
    found = parallel.families(rules)
    assert sorted(r.name for family in found for r in family) == sorted(r.name for r in rules)
    readers = {r.name for r in rules if parsed_statements in r.meta.uses}
    assert {r.name for r in found[0]} == readers  # the statement readers: the largest family
    echoes = next(f for f in found if any(r.name == "mini-me-goal" for r in f))
    assert {r.name for r in echoes} >= {"mini-me-goal", "duplicate-goal", "conflicting-goals"}
    assert echoes is not found[0]


# -- processes -------------------------------------------------------------------------------


def _families(count: int) -> list[list[Rule]]:
    return [[_test_rule(f"family-{i}")] for i in range(count)]


def test_forked_processes_take_families_and_results_keep_their_order() -> None:
    groups = _families(6)
    taken = multiprocessing.get_context("fork").Event()

    def here(group: Sequence[Rule]) -> tuple[str, int]:
        # the first family waits here until a forked process has taken another one
        assert taken.wait(timeout=60)
        return group[0].name, os.getpid()

    def elsewhere() -> Callable[[Sequence[Rule]], tuple[str, int]]:
        def run(group: Sequence[Rule]) -> tuple[str, int]:
            taken.set()
            return group[0].name, os.getpid()

        return run

    results = parallel.run_families(groups, here, elsewhere, workers=2)
    assert [name for name, _ in results] == [g[0].name for g in groups]
    assert results[0][1] == os.getpid()
    assert any(pid != os.getpid() for _, pid in results)


def test_work_meanwhile_runs_here_while_a_forked_process_takes_the_first_family() -> None:
    groups = _families(2)
    taken = multiprocessing.get_context("fork").Event()
    seen: list[tuple[bool, int]] = []

    def meanwhile() -> None:
        # forked before this runs: a forked process can take the first family meanwhile
        seen.append((taken.wait(timeout=60), os.getpid()))

    def elsewhere() -> Callable[[Sequence[Rule]], tuple[str, int]]:
        def run(group: Sequence[Rule]) -> tuple[str, int]:
            taken.set()
            return group[0].name, os.getpid()

        return run

    results = parallel.run_families(
        groups, lambda group: (group[0].name, os.getpid()), elsewhere, 2, meanwhile
    )
    assert seen == [(True, os.getpid())]
    assert results[0][1] != os.getpid()  # the largest family went to the forked process
    assert [name for name, _ in results] == [g[0].name for g in groups]


def test_work_meanwhile_is_skipped_when_no_process_forks(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise OSError("no more processes")

    monkeypatch.setattr(multiprocessing.get_context("fork").Process, "start", refuse)
    ran: list[str] = []
    results = parallel.run_families(
        _families(2), lambda group: group[0].name, _never, 2, lambda: ran.append("meanwhile")
    )
    assert results == ["family-0", "family-1"]
    assert ran == []  # nothing to overlap: the caller derives what it needs when it needs it


@pytest.mark.parametrize("failure", ["raises", "dies"])
def test_a_failed_process_s_families_run_here(failure: str) -> None:
    groups = _families(5)
    taken = multiprocessing.get_context("fork").Event()

    def here(group: Sequence[Rule]) -> str:
        if group is groups[0]:
            assert taken.wait(timeout=60)
        return f"here {group[0].name}"

    def elsewhere() -> Callable[[Sequence[Rule]], str]:
        def run(group: Sequence[Rule]) -> str:
            taken.set()
            if failure == "dies":
                os._exit(3)
            raise RuntimeError("a rule failed")

        return run

    results = parallel.run_families(groups, here, elsewhere, workers=2)
    assert results == [f"here {g[0].name}" for g in groups]


def test_no_fork_for_small_cascades_or_with_other_threads(
    cascade: ga.Cascade, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert not parallel.can_fork(cascade)  # 400 goals, under MIN_GOALS
    monkeypatch.setattr(parallel, "MIN_GOALS", 0)
    assert parallel.can_fork(cascade)
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert not parallel.can_fork(cascade)
    finally:
        release.set()
        other.join()


@pytest.mark.usefixtures("fork_any_size")
def test_a_pool_worker_checks_in_one_process(cascade: ga.Cascade) -> None:
    context = multiprocessing.get_context("fork")
    with context.Pool(1) as pool:  # its workers are daemonic: they may not start processes
        forked, report = pool.apply(_check_in_worker, (cascade,))
    assert not forked
    assert report == ga.check(cascade).to_json(all_chains=True)


def _check_in_worker(cascade: ga.Cascade) -> tuple[bool, str]:
    forked = parallel.can_fork(cascade)
    return forked, ga.check(cascade, workers=2).to_json(all_chains=True)


# -- checks ----------------------------------------------------------------------------------


@pytest.mark.usefixtures("fork_any_size")
def test_a_check_in_two_processes_gives_the_same_report(cascade: ga.Cascade) -> None:
    assert parallel.can_fork(cascade)
    one = ga.check(cascade)
    two = ga.check(cascade, workers=2)
    assert two.to_json(all_chains=True) == one.to_json(all_chains=True)
    assert two.findings


@pytest.mark.usefixtures("fork_any_size")
def test_progress_hears_every_rule_once(cascade: ga.Cascade) -> None:
    heard: list[tuple[str, int, int]] = []
    ga.check(cascade, progress=lambda *event: heard.append(event), workers=2)
    names = [r.name for r in default_registry()]
    rule_events = [event for event in heard if event[0] != "rules"]
    assert sorted(name for name, _, _ in rule_events) == sorted(names)
    assert [done for _, done, _ in rule_events] == list(range(len(names)))
    assert {total for _, _, total in heard} == {len(names)}


@pytest.mark.usefixtures("fork_any_size")
def test_a_rule_that_raises_raises_as_in_one_process(cascade: ga.Cascade) -> None:
    @rule(name="broken-rule", code="TST999", family="test", severity="info", summary="s",
          rationale="r", bad=EXAMPLE, good=EXAMPLE)  # fmt: skip
    def broken(ctx: CheckContext, options: Mapping[str, Any]) -> Iterator[Hit]:
        raise KeyError("the rule's own bug")

    @rule(name="fine-rule", code="TST998", family="test", severity="info", summary="s",
          rationale="r", bad=EXAMPLE, good=EXAMPLE)  # fmt: skip
    def fine(ctx: CheckContext, options: Mapping[str, Any]) -> Iterator[Hit]:
        yield Hit(Ref.goal(ctx.cascade.goals[0].id), "seen")

    registry = Registry([fine, broken])
    with pytest.raises(KeyError, match="the rule's own bug"):
        run_rules(cascade, registry=registry, workers=2)
    with pytest.raises(KeyError, match="the rule's own bug"):
        run_rules(cascade, registry=registry)


def test_workers_must_be_at_least_one(cascade: ga.Cascade) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        ga.check(cascade, workers=0)


def test_cli_workers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    example = Path(__file__).parent.parent / "examples" / "council-it.yaml"
    assert main(["check", str(example), "--format", "json", "--workers", "2"]) in (0, 1)
    with pytest.raises(SystemExit) as stopped:
        main(["check", str(example), "--workers", "0"])
    assert stopped.value.code == 2
    assert "at least 1" in capsys.readouterr().err


def test_a_branch_starts_with_the_analyses_of_its_context(cascade: ga.Cascade) -> None:
    ctx = CheckContext(cascade)
    assert ctx.derive(_words) == len(cascade.goals)
    branch = ctx.branch()
    assert branch.has(_words)
    assert not branch.has(_links)
    assert branch.cascade is ctx.cascade
    assert branch.config is ctx.config
    assert branch.as_of == ctx.as_of
    branch.derive(_links)
    assert not ctx.has(_links)  # what a branch derives stays in the branch


@pytest.mark.usefixtures("fork_any_size")
def test_prepared_analyses_are_derived_here_when_forking_only(cascade: ga.Cascade) -> None:
    registry = Registry([_test_rule("one"), _test_rule("two")])
    forked = run_rules(cascade, registry=registry, workers=2, prepare=(_counted,))
    assert forked.context.has(_links)
    alone = run_rules(cascade, registry=registry, prepare=(_counted,))
    assert not alone.context.has(_links)  # in one process the caller derives it when needed


def _counted(ctx: CheckContext) -> int:
    return ctx.derive(_links)


def test_without_shared_memory_every_family_runs_here(monkeypatch: pytest.MonkeyPatch) -> None:
    context = multiprocessing.get_context("fork")
    refused: list[str] = []

    def refuse(*args: Any) -> Any:
        refused.append("counter")
        raise OSError("no /dev/shm here")

    def no_process(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("no process should be started")

    monkeypatch.setattr(type(context), "Value", refuse)
    monkeypatch.setattr(type(context), "Process", no_process)
    groups = _families(3)
    results = parallel.run_families(
        groups, lambda group: (group[0].name, os.getpid()), _never, workers=2
    )
    assert refused == ["counter"]
    assert results == [(g[0].name, os.getpid()) for g in groups]


def _never() -> Callable[[Sequence[Rule]], Any]:
    raise AssertionError("no process should have been forked")


def test_an_error_here_leaves_no_process_behind() -> None:
    groups = _families(4)
    taken = multiprocessing.get_context("fork").Event()

    def here(group: Sequence[Rule]) -> None:
        assert taken.wait(timeout=60)
        raise KeyError("a rule of this process failed")

    def elsewhere() -> Callable[[Sequence[Rule]], None]:
        def run(group: Sequence[Rule]) -> None:
            taken.set()
            threading.Event().wait()  # never done: the caller must stop it

        return run

    with pytest.raises(KeyError, match="this process failed"):
        parallel.run_families(groups, here, elsewhere, workers=2)
    assert multiprocessing.active_children() == []
