"""The documented Dask recipe for many tenants, run on Dask's local scheduler."""

from __future__ import annotations

from pathlib import Path

import pytest

import goalalign as ga

dask = pytest.importorskip("dask", reason="the Dask recipe needs the optional dask package")


def test_dask_recipe_gives_the_same_reports_as_check(examples_dir: Path) -> None:
    from dask import bag

    paths = sorted(str(p) for p in examples_dir.glob("*.yaml"))
    outcomes = (
        bag.from_sequence(list(enumerate(paths)), npartitions=2)
        .map(lambda item: next(ga.check_many([item[1]], workers=1)))
        .compute(scheduler="processes", num_workers=2)
    )
    assert [o.source for o in outcomes] == paths
    for path, outcome in zip(paths, outcomes, strict=True):
        assert outcome.report is not None
        assert outcome.report.to_dict() == ga.check(ga.load(path)).to_dict()
