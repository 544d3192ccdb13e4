"""Checking many independent cascades in parallel processes.

A platform with thousands of tenants checks each tenant's cascade on its own; the work is
embarrassingly parallel. :func:`check_many` fans the inputs out to a process pool and yields
each outcome as soon as it is ready, so one slow or broken document never holds up the rest.
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Iterable, Iterator
from pathlib import Path

import attrs

from goalalign.api import check
from goalalign.domain.cascade import Cascade
from goalalign.engine.config import Config, ConfigError
from goalalign.loading.errors import LoadError
from goalalign.loading.readers import load
from goalalign.reporting.report import Report

__all__ = ["CheckOutcome", "check_many"]


@attrs.frozen(slots=True)
class CheckOutcome:
    """The result for one input of :func:`check_many`: a report, or the error it raised.

    ``index`` is the input's position and ``source`` its path (or the organisation's name for
    a cascade given directly). Outcomes are picklable, so they can cross process boundaries
    (Dask, Ray, a job queue) unchanged.
    """

    index: int
    source: str
    report: Report | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the input could be checked."""
        return self.report is not None


def _check_one(index: int, item: str | Path | Cascade, config: Config | None) -> CheckOutcome:
    source = item.organisation.name if isinstance(item, Cascade) else str(item)
    try:
        cascade = item if isinstance(item, Cascade) else load(item)
        return CheckOutcome(index, source, report=check(cascade, config))
    except (LoadError, ConfigError) as exc:
        return CheckOutcome(index, source, error=str(exc))


def check_many(
    items: Iterable[str | Path | Cascade],
    config: Config | None = None,
    *,
    workers: int | None = None,
) -> Iterator[CheckOutcome]:
    """Check each path or cascade of ``items`` and yield outcomes as they finish.

    ``workers`` is the number of processes (default: the number of CPUs); ``workers=1`` checks
    in this process, in order, which is also what to use inside an already parallel framework.
    A document that cannot be loaded yields an outcome with its ``error`` and does not stop the
    others. Use ``sorted(outcomes, key=lambda o: o.index)`` for input order.
    """
    inputs = list(items)
    if workers == 1:
        for index, item in enumerate(inputs):
            yield _check_one(index, item, config)
        return
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(_check_one, i, item, config) for i, item in enumerate(inputs)]
        for future in concurrent.futures.as_completed(futures):
            yield future.result()
