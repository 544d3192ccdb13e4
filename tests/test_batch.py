"""check_many: the same reports as sequential checks, and broken inputs isolated."""

from __future__ import annotations

import pickle
from pathlib import Path

import goalalign as ga
from goalalign.batch import check_many


def _inputs(examples_dir: Path, tmp_path: Path) -> list[Path]:
    broken = tmp_path / "broken.yaml"
    broken.write_text("goalalign: 1\norganisation: {name: X}\ngoals:\n  - {id: a, tem: t}\n")
    return [*sorted(examples_dir.glob("*.yaml")), broken]


def test_parallel_reports_equal_sequential_checks(examples_dir: Path, tmp_path: Path) -> None:
    inputs = _inputs(examples_dir, tmp_path)
    outcomes = sorted(check_many(inputs, workers=2), key=lambda o: o.index)
    assert [o.source for o in outcomes] == [str(p) for p in inputs]
    for path, outcome in zip(inputs[:-1], outcomes[:-1], strict=True):
        expected = ga.check(ga.load(path))
        assert outcome.ok
        assert outcome.report is not None
        assert outcome.report.to_dict() == expected.to_dict()


def test_a_failing_document_yields_its_error_and_the_others_go_on(
    examples_dir: Path, tmp_path: Path
) -> None:
    outcomes = sorted(check_many(_inputs(examples_dir, tmp_path), workers=2), key=lambda o: o.index)
    failed = [o for o in outcomes if not o.ok]
    assert len(failed) == 1
    assert failed[0].source.endswith("broken.yaml")
    assert failed[0].error is not None
    assert "goals[0]" in failed[0].error
    assert sum(o.ok for o in outcomes) == len(outcomes) - 1


def test_outcomes_and_reports_pickle(examples_dir: Path) -> None:
    (outcome,) = check_many([examples_dir / "council-it.yaml"], workers=1)
    restored = pickle.loads(pickle.dumps(outcome))
    assert restored.report is not None
    assert outcome.report is not None
    assert restored.report.to_dict() == outcome.report.to_dict()


def test_cascades_can_be_given_directly(examples_dir: Path) -> None:
    cascade = ga.load(examples_dir / "revenue-cascade.yaml")
    (outcome,) = check_many([cascade], workers=1)
    assert outcome.source == "Example Industries"
    assert outcome.report is not None
    assert outcome.report.to_dict() == ga.check(cascade).to_dict()
