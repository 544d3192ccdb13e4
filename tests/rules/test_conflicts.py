"""The ``conflicts`` rule: declared hinders links and goals pushing one measure both ways."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml

from goalalign.domain.cascade import Cascade
from goalalign.domain.model import Link, LinkTarget
from goalalign.engine.config import Config
from goalalign.engine.context import CheckContext
from goalalign.engine.findings import Finding, Severity, SubjectKind
from goalalign.engine.registry import Registry, builtin_rules
from goalalign.engine.runner import run_rules
from goalalign.loading import load, loads
from goalalign.rules.conflicts import conflicting_goals, measure_groups
from goalalign.rules.echoes import cloned_goal, duplicate_goal, mini_me_goal, statement_analysis

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def run(cascade: Cascade, config: Config | None = None) -> list[Finding]:
    return list(run_rules(cascade, config, registry=Registry([conflicting_goals])).findings)


def doc(*goals: dict[str, Any], promises: bool = False) -> Cascade:
    organisation: dict[str, Any] = {"name": "Test", "purpose": "Parts when they are needed"}
    if promises:
        organisation["promises"] = [{"id": "fair", "statement": "We treat every supplier fairly"}]
    document = {
        "goalalign": 1,
        "organisation": organisation,
        "teams": [
            {"id": "board"},
            {"id": "a", "parent": "board", "direction": "strategic"},
            {"id": "b", "parent": "board", "direction": "strategic"},
            {"id": "c", "parent": "board", "direction": "strategic"},
        ],
        "goals": [
            {
                "id": "s-one",
                "team": "board",
                "level": "strategic",
                "statement": "Raise next-day delivery from 70% to 90% by 2027",
            },
            {
                "id": "s-two",
                "team": "board",
                "level": "strategic",
                "statement": "Raise free cash from $40m to $52m by 2027",
            },
            *goals,
        ],
    }
    return loads(yaml.safe_dump(document, sort_keys=False))


def goal(
    goal_id: str, team: str, statement: str, parent: str = "s-one", **extra: Any
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": goal_id,
        "team": team,
        "level": "translational",
        "statement": statement,
        "supports": [{"goal": parent, "mechanism": f"the result of {goal_id} feeds {parent}"}],
    }
    data.update(extra)
    return data


UP = "Increase the stock of spare parts in regional depots from 20 to 35 days of cover by 2026"
DOWN = "Reduce the stock of spare parts in regional depots from 20 to 12 days of cover by 2026"


def test_opposite_pushes_on_one_measure_are_a_conflict() -> None:
    (finding,) = run(doc(goal("build", "a", UP), goal("trim", "b", DOWN, "s-two")))
    assert finding.rule == "conflicting-goals"
    # one side per group is reported; on a tie, the goal whose id sorts last
    assert finding.subject.id == "trim"
    assert [r.id for r in finding.related] == ["build"]
    assert finding.evidence["family"] == "inventory"
    assert finding.evidence["direction"] == "decrease"
    assert finding.evidence["opposed_direction"] == "increase"
    assert "spare parts regional depots" in finding.evidence["measure"]


def test_rewording_does_not_hide_the_conflict() -> None:
    down = "Cut regional depots' spare-parts stock from 20 to 12 days of cover by 2026"
    findings = run(doc(goal("build", "a", UP), goal("trim", "b", down, "s-two")))
    assert [f.subject.id for f in findings] == ["trim"]


def test_same_direction_or_different_subject_is_no_conflict() -> None:
    same = "Cut the stock of spare parts in regional depots from 20 to 15 days of cover by 2026"
    assert run(doc(goal("one", "a", DOWN), goal("two", "b", same, "s-two"))) == []
    other = "Increase the stock of tyres at the central warehouse from 10 to 20 days by 2026"
    assert run(doc(goal("one", "a", DOWN), goal("two", "b", other, "s-two"))) == []


def test_polarity_folds_opposite_verbs_of_one_push() -> None:
    churn = goal("churn", "a", "Reduce customer churn from 9% to 6% by 2026")
    retention = goal(
        "retention", "b", "Increase customer retention from 91% to 94% by 2026", "s-two"
    )
    assert run(doc(churn, retention)) == []


def test_goals_linked_by_supports_are_not_reported() -> None:
    up = goal("up", "a", UP)
    down = goal("down", "b", DOWN, "s-two")
    down["supports"].append({"goal": "up", "mechanism": "cash freed here pays for the fast movers"})
    assert run(doc(up, down)) == []


def test_a_kpi_shared_by_name_in_opposite_directions_is_a_conflict() -> None:
    kpi = {"name": "Beds open on the acute wards", "unit": "count", "baseline": 300}
    more = goal(
        "more",
        "a",
        "Open 40 more beds on the acute wards by November 2026",
        kpis=[{**kpi, "target": 340}],
    )
    fewer = goal(
        "fewer",
        "b",
        "Close 20 acute beds to fund community nursing by November 2026",
        "s-two",
        kpis=[{**kpi, "target": 280}],
    )
    (finding,) = run(doc(more, fewer))
    assert finding.evidence["kind"] == "opposite-KPI"
    assert finding.evidence["measure"] == "Beds open on the acute wards"


def test_holding_a_measure_takes_no_side() -> None:
    hold = "Keep the stock of spare parts in regional depots at 20 days of cover through 2026"
    assert run(doc(goal("hold", "a", hold), goal("down", "b", DOWN, "s-two"))) == []


def test_declared_hinders_links_are_reported_once_each() -> None:
    up = goal(
        "up",
        "a",
        UP,
        hinders=[{"goal": "down", "mechanism": "every extra day of cover ties up cash"}],
    )
    down = goal("down", "b", DOWN, "s-two")
    other = goal("other", "c", "Raise next-day delivery in the north from 60% to 85% by 2026")
    up["hinders"].append({"goal": "other"})
    findings = run(doc(up, down, other))
    links = [f for f in findings if f.subject.kind is SubjectKind.LINK]
    assert sorted((f.subject.id, f.subject.target) for f in links) == [
        ("up", "down"),
        ("up", "other"),
    ]
    declared = {f.subject.target: f for f in links}
    assert declared["down"].evidence["mechanism"] == "every extra day of cover ties up cash"
    assert "no mechanism given" in declared["other"].message
    # the declared pair is not reported a second time as a measure conflict
    assert [f for f in findings if f.subject.kind is SubjectKind.GOAL] == []


def test_hinders_to_promises_purpose_and_missing_goals() -> None:
    """The document format only lets a goal hinder a goal; a model built in code may also
    hinder a promise or the purpose, and those are reported too. A missing goal is left to
    ``dangling-link``."""
    squeeze = goal("squeeze", "a", "Extend supplier payment terms from 30 to 90 days by 2026")
    cascade = doc(squeeze, promises=True)
    links = (
        Link(LinkTarget.PROMISE, "fair", "small suppliers wait three months for their money"),
        Link(LinkTarget.PURPOSE, None),
        Link(LinkTarget.GOAL, "ghost"),
    )
    goals = tuple(attrs.evolve(g, hinders=links) if g.id == "squeeze" else g for g in cascade.goals)
    findings = run(attrs.evolve(cascade, goals=goals))
    assert sorted(f.subject.target or "" for f in findings) == ["fair", "purpose"]


def test_one_finding_per_goal_on_the_smaller_side_naming_a_few_of_the_other() -> None:
    ups = [goal(f"up{k}", "a", UP) for k in range(5)]
    down = goal("down", "b", DOWN, "s-two")
    config = Config.from_mapping({"options": {"conflicting-goals": {"max_related": 2}}})
    (finding,) = run(doc(*ups, down), config)
    assert finding.subject.id == "down"
    assert [r.id for r in finding.related] == ["up0", "up1"]
    assert finding.evidence["other_side"] == 5


def test_retired_goals_take_no_part() -> None:
    assert run(doc(goal("up", "a", UP, status="retired"), goal("down", "b", DOWN, "s-two"))) == []


def test_examples_have_no_conflicts() -> None:
    for name in ("housing-authority.yaml", "council-it.yaml", "revenue-cascade.yaml"):
        assert run(load(EXAMPLES / name)) == []


def test_bad_example_triggers_it_and_good_example_does_not() -> None:
    mine = Registry([conflicting_goals, mini_me_goal, cloned_goal, duplicate_goal])
    bad = run_rules(loads(conflicting_goals.meta.bad), registry=mine).findings
    assert {f.rule for f in bad} == {"conflicting-goals"}
    assert run_rules(loads(conflicting_goals.meta.good), registry=mine).findings == ()
    everything = Registry(builtin_rules())
    bad_all = run_rules(loads(conflicting_goals.meta.bad), registry=everything).findings
    assert not [f for f in bad_all if f.severity is Severity.ERROR]


@pytest.mark.parametrize("size", [1_000, 10_000])
def test_grouping_is_linear(size: int, tmp_path: Path) -> None:
    """Every goal lands in at most one statement group and one group per KPI; groups are
    never compared with each other, so the grouped members never exceed goals + KPIs."""
    from goalalign.testing.generator import generate_document

    document = generate_document(size, seed=5)
    path = tmp_path / "g.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    cascade = load(path)
    groups = measure_groups(statement_analysis(CheckContext(cascade)))
    members = sum(len(m) for m in groups.values())
    assert members <= len(cascade.goals) + len(cascade.kpis)
