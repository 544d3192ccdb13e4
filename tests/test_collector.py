"""The collector pause: restored on exit, survivors moved on without a walk, host freezes kept."""

from __future__ import annotations

import gc

import pytest

from goalalign._collector import collector_paused


@pytest.fixture(autouse=True)
def _collector_on() -> None:
    gc.enable()


def test_the_collector_is_paused_inside_and_resumes_after() -> None:
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_it_stays_off_when_it_was_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_what_a_pass_keeps_moves_to_the_oldest_generation() -> None:
    thresholds = gc.get_threshold()
    gc.set_threshold(1_000_000)  # no collection of its own may move them meanwhile
    try:
        with collector_paused():
            kept = [[index] for index in range(1_000)]
        oldest = {id(item) for item in gc.get_objects(generation=2)}
        assert all(id(item) in oldest for item in kept)
    finally:
        gc.set_threshold(*thresholds)


def test_objects_the_host_froze_stay_frozen() -> None:
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with collector_paused():
            kept = [[index] for index in range(1_000)]
        assert gc.get_freeze_count() == frozen
        assert kept
    finally:
        gc.unfreeze()
