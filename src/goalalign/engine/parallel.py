"""Running one check's rules in several processes: the rules are split into families that
share no analysis, and forked copies of this process take families as they become free.

A large check spends most of its time in a few shared analyses (each statement read, the text
features of the false-alignment rules, the cause-effect chains), each of which serves a
family of rules. Rules that declare the same analysis (:attr:`RuleMeta.uses`) stay in one
family, so no analysis is computed twice by one process. Each process, this one included,
claims the next family not yet taken (largest first) until none is left, so the work evens
out without any estimate of what a rule costs. A forked process inherits the loaded cascade
without copying or pickling it, runs its families in a context of its own and sends back
their findings, which are small next to the cascade.

Forking is the only way in: spawning a fresh interpreter would mean pickling the cascade,
which costs more than the rules save. So a check runs in this process alone when forking is
not available or not safe: on platforms without ``fork``, when the calling process runs
other threads (a fork copies their locks in whatever state they are) or is a daemonic
process (say, a worker of a ``multiprocessing`` pool), and for cascades under
:data:`MIN_GOALS`, which are checked faster than a process starts. If a forked process
fails for any reason (a rule raising, the process killed), the families it did not report
run again here, so an error surfaces exactly as it would in a single process.
"""

from __future__ import annotations

import multiprocessing
import pickle
import threading
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection
from typing import Any

from networkx.utils import UnionFind

from goalalign.domain.cascade import Cascade
from goalalign.engine.rule import Rule

__all__ = ["MIN_GOALS", "can_fork", "families", "run_families"]

MIN_GOALS = 20_000
"""The fewest goals for which a check forks at all: below it, starting a process costs more
than the rules it takes away."""

RunFamily = Callable[[Sequence[Rule]], Any]
"""Runs one family of rules in the current process; returns its (picklable) result."""


def families(rules: Sequence[Rule]) -> list[list[Rule]]:
    """``rules`` grouped so that rules declaring a shared analysis are in one family, rules
    in their given order within each; the families come largest first, then by their first
    rule's place."""
    sets = UnionFind(range(len(rules)))
    first_user: dict[Callable[..., Any], int] = {}
    for index, item in enumerate(rules):
        for analysis in item.meta.uses:
            sets.union(index, first_user.setdefault(analysis, index))
    ordered = sorted((sorted(found) for found in sets.to_sets()), key=lambda f: (-len(f), f[0]))
    return [[rules[i] for i in found] for found in ordered]


def can_fork(cascade: Cascade) -> bool:
    """Whether a check of ``cascade`` may fork (see the module)."""
    return (
        len(cascade.goals) >= MIN_GOALS
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
        and not multiprocessing.current_process().daemon  # which may not start processes
    )


def run_families(
    groups: Sequence[Sequence[Rule]],
    here: RunFamily,
    elsewhere: Callable[[], RunFamily],
    workers: int,
    meanwhile: Callable[[], object] | None = None,
) -> list[Any]:
    """The result of each family of ``groups``, in order, run by ``workers`` processes.

    This process runs the families it claims with ``here``; each forked process makes its
    runner once with ``elsewhere()`` and runs the families it claims with that. The families
    a forked process does not report are run here afterwards, and all of them are when the
    system refuses the shared counter, a pipe or a process.

    ``meanwhile`` is work this process must do anyway (say, analyses its caller reads
    afterwards): it runs here once a process has forked, before this process claims a
    family, so that it overlaps the forked processes' first families instead of delaying
    them. A forked process does not inherit its result.
    """
    context = multiprocessing.get_context("fork")
    try:
        counter = context.Value("i", 0)
    except OSError:  # no shared memory for the counter (some sandboxes): one process
        return [here(group) for group in groups]
    children: list[tuple[Any, Connection]] = []
    for _ in range(min(workers, len(groups)) - 1):
        try:
            receiver, sender = context.Pipe(duplex=False)
        except OSError:  # out of pipes: the processes started share the work
            break
        process = context.Process(
            target=_child, args=(sender, groups, elsewhere, counter), daemon=True
        )
        try:
            process.start()
        except OSError:  # out of processes, likewise
            receiver.close()
            break
        finally:
            sender.close()
        children.append((process, receiver))
    results: dict[int, Any] = {}
    try:
        if meanwhile is not None and children:
            meanwhile()
        for index in _claims(counter, len(groups)):
            results[index] = here(groups[index])
        for process, receiver in children:
            results.update(_collect(process, receiver))
    finally:  # an error or an interrupt here leaves no process behind
        for process, receiver in children:
            if process.is_alive():
                process.terminate()
                process.join()
            receiver.close()
    for index, group in enumerate(groups):
        if index not in results:
            results[index] = here(group)
    return [results[index] for index in range(len(groups))]


def _claims(counter: Any, count: int) -> Iterator[int]:
    """The indices of the families this process takes, one at a time, until none is left."""
    while True:
        with counter.get_lock():
            index = int(counter.value)
            counter.value = index + 1
        if index >= count:
            return
        yield index


def _child(
    sender: Connection,
    groups: Sequence[Sequence[Rule]],
    elsewhere: Callable[[], RunFamily],
    counter: Any,
) -> None:
    try:
        run = elsewhere()
        done = {index: run(groups[index]) for index in _claims(counter, len(groups))}
        payload = pickle.dumps(done, protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:  # the parent runs these families again and meets the error itself
        payload = b""
    try:
        sender.send_bytes(payload)
    except OSError:  # the parent stopped listening (it was interrupted): nothing to tell
        pass
    finally:
        sender.close()


def _collect(process: Any, receiver: Connection) -> dict[int, Any]:
    try:
        payload = receiver.recv_bytes()
    except (EOFError, OSError):  # the process died before it answered
        payload = b""
    process.join()
    found: dict[int, Any] = pickle.loads(payload) if payload else {}
    return found
