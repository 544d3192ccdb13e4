"""Precision and recall of the false-alignment rules on a hand-labelled corpus of goal pairs.

``tests/corpus/alignment_pairs.yaml`` holds pairs labelled by asking what a reviewer of a
cascade would say (see its header), not by running the rules. Each pair becomes a small
cascade; the rule under test either reports the child (or, for conflicts, either goal) or
not. The table is printed (``pytest -s``) and the thresholds below are asserted:

* precision >= 0.9 for every rule: a false alarm costs a team's trust in the tool;
* recall >= 0.8 for every rule: most of the labelled problems are found;
* and, separately and strictly, no mini-me or clone finding on any genuine contribution or
  translation, however many words it shares with its parent.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from goalalign.domain.cascade import Cascade
from goalalign.engine.registry import Registry
from goalalign.engine.runner import run_rules
from goalalign.loading import loads
from goalalign.rules.conflicts import conflicting_goals
from goalalign.rules.echoes import cloned_goal, mini_me_goal

CORPUS = Path(__file__).parent / "corpus" / "alignment_pairs.yaml"
RULES = {r.name: r for r in (mini_me_goal, cloned_goal, conflicting_goals)}
MIN_PRECISION = 0.9
MIN_RECALL = 0.8


def _cases() -> list[dict[str, Any]]:
    data = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))
    return list(data["cases"])


def _goal(goal_id: str, team: str, level: str, spec: dict[str, Any]) -> dict[str, Any]:
    goal: dict[str, Any] = {
        "id": goal_id,
        "team": team,
        "level": level,
        "statement": spec["statement"],
        "deadline": "2027-12",
    }
    if "kpi" in spec:
        goal["kpis"] = [dict(spec["kpi"])]
    return goal


def _pair_document(case: dict[str, Any]) -> dict[str, Any]:
    parent = _goal("parent", "board", "strategic", case["parent"])
    child = _goal("child", "team", "translational", case["child"])
    link: dict[str, Any] = {"goal": "parent"}
    if case.get("mechanism"):
        link["mechanism"] = case["mechanism"]
    child["supports"] = [link]
    return {
        "goalalign": 1,
        "organisation": {
            "name": "Corpus",
            "purpose": "Serve the public well",
            "as_of": "2026-01-01",
        },
        "teams": [
            {"id": "board"},
            {"id": "team", "parent": "board", "direction": case["direction"]},
        ],
        "goals": [parent, child],
    }


def _conflict_document(case: dict[str, Any]) -> dict[str, Any]:
    a = _goal("a", "team-a", "translational", case["a"])
    b = _goal("b", "team-b", "translational", case["b"])
    a["supports"] = [{"goal": "s-a", "mechanism": "team a's result feeds the first strategic goal"}]
    b["supports"] = [
        {"goal": "s-b", "mechanism": "team b's result feeds the second strategic goal"}
    ]
    if case["link"] == "supports":
        a["supports"].append({"goal": "b", "mechanism": "freeing shelf space makes room for b"})
    elif case["link"] == "hinders":
        a["hinders"] = [{"goal": "b", "mechanism": case["mechanism"]}]
    strategic = [
        {
            "id": "s-a",
            "team": "board",
            "level": "strategic",
            "statement": "Grow the number of households served from 10,000 to 12,000 by 2027",
        },
        {
            "id": "s-b",
            "team": "board",
            "level": "strategic",
            "statement": "Raise the share of services rated good from 70% to 80% by 2027",
        },
    ]
    return {
        "goalalign": 1,
        "organisation": {"name": "Corpus", "as_of": "2026-01-01"},
        "teams": [
            {"id": "board"},
            {"id": "team-a", "parent": "board", "direction": "strategic"},
            {"id": "team-b", "parent": "board", "direction": "strategic"},
        ],
        "goals": [*strategic, a, b],
    }


def _cascade(case: dict[str, Any]) -> Cascade:
    if case["rule"] == "conflicting-goals":
        document = _conflict_document(case)
    else:
        document = _pair_document(case)
    return loads(yaml.safe_dump(document))


def _predicted(case: dict[str, Any]) -> bool:
    rule = RULES[case["rule"]]
    findings = run_rules(_cascade(case), registry=Registry([rule])).findings
    if case["rule"] == "conflicting-goals":
        return any(f.subject.id in ("a", "b") for f in findings)
    return any(f.subject.id == "child" for f in findings)


@pytest.fixture(scope="module")
def outcomes() -> list[tuple[dict[str, Any], bool]]:
    return [(case, _predicted(case)) for case in _cases()]


def _table(outcomes: list[tuple[dict[str, Any], bool]]) -> dict[str, dict[str, float]]:
    table: dict[str, dict[str, float]] = {}
    for name in RULES:
        rows = [(c["expected"], p) for c, p in outcomes if c["rule"] == name]
        tp = sum(1 for e, p in rows if e and p)
        fp = sum(1 for e, p in rows if not e and p)
        fn = sum(1 for e, p in rows if e and not p)
        tn = sum(1 for e, p in rows if not e and not p)
        table[name] = {
            "cases": len(rows),
            "tp": tp,
            "fp": fp,
            "fn": fn,
            "tn": tn,
            "precision": tp / (tp + fp) if tp + fp else 1.0,
            "recall": tp / (tp + fn) if tp + fn else 1.0,
        }
    return table


def test_corpus_is_large_and_balanced() -> None:
    cases = _cases()
    assert len(cases) >= 60
    assert len({c["id"] for c in cases}) == len(cases), "case ids must be unique"
    for name in RULES:
        labels = [c["expected"] for c in cases if c["rule"] == name]
        assert labels.count(True) >= 8, name
        assert labels.count(False) >= 8, name


def test_precision_and_recall_per_rule(outcomes: list[tuple[dict[str, Any], bool]]) -> None:
    table = _table(outcomes)
    print()
    print(
        f"{'rule':<20}{'cases':>6}{'tp':>4}{'fp':>4}{'fn':>4}{'tn':>4}{'precision':>11}{'recall':>8}"
    )
    for name, row in table.items():
        print(
            f"{name:<20}{row['cases']:>6}{row['tp']:>4}{row['fp']:>4}{row['fn']:>4}{row['tn']:>4}"
            f"{row['precision']:>11.2f}{row['recall']:>8.2f}"
        )
    misses = [(c["id"], c["expected"], p) for c, p in outcomes if c["expected"] != p]
    print("disagreements:", misses)
    for name, row in table.items():
        assert row["precision"] >= MIN_PRECISION, (name, row, misses)
        assert row["recall"] >= MIN_RECALL, (name, row, misses)


def test_no_false_alarm_on_genuine_contributions(
    outcomes: list[tuple[dict[str, Any], bool]],
) -> None:
    """A genuine, explained contribution or a real translation is never called an echo or a copy,
    by either rule, even when it shares words and a metric family with its parent."""
    for case, _ in outcomes:
        if case["rule"] not in ("mini-me-goal", "cloned-goal") or case["expected"]:
            continue
        registry = Registry([mini_me_goal, cloned_goal])
        findings = run_rules(_cascade(case), registry=registry).findings
        assert not [f for f in findings if f.subject.id == "child"], case["id"]
