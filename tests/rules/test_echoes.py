"""The ``echoes`` rules: mini-me goals, cloned goals and duplicate goals."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from goalalign.domain.cascade import Cascade
from goalalign.engine.config import Config
from goalalign.engine.context import CheckContext
from goalalign.engine.findings import Finding, Severity
from goalalign.engine.registry import Registry, builtin_rules
from goalalign.engine.rule import Rule
from goalalign.engine.runner import run_rules
from goalalign.loading import load, loads
from goalalign.rules.conflicts import conflicting_goals
from goalalign.rules.echoes import (
    _metric_key,
    cloned_goal,
    duplicate_goal,
    find_duplicates,
    mini_me_goal,
    statement_analysis,
)
from goalalign.testing.strategies import cascades
from goalalign.text.similarity import tokens_and_hits

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
MINE = (mini_me_goal, cloned_goal, duplicate_goal, conflicting_goals)


def run(cascade: Cascade, *rules: Rule, config: Config | None = None) -> list[Finding]:
    return list(run_rules(cascade, config, registry=Registry(rules or MINE)).findings)


def doc(*goals: dict[str, Any], teams: list[dict[str, Any]] | None = None) -> Cascade:
    document = {
        "goalalign": 1,
        "organisation": {"name": "Test", "purpose": "Serve residents well", "as_of": "2026-01-01"},
        "teams": teams
        or [
            {"id": "board"},
            {"id": "a", "parent": "board", "direction": "strategic"},
            {"id": "b", "parent": "board", "direction": "strategic"},
        ],
        "goals": list(goals),
    }
    return loads(yaml.safe_dump(document, sort_keys=False))


def goal(
    goal_id: str,
    team: str,
    statement: str,
    *,
    level: str = "translational",
    supports: list[Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    data: dict[str, Any] = {"id": goal_id, "team": team, "level": level, "statement": statement}
    if supports is not None:
        data["supports"] = supports
    data.update(extra)
    return data


def strategic(goal_id: str, statement: str, **extra: Any) -> dict[str, Any]:
    return goal(goal_id, "board", statement, level="strategic", **extra)


COST = strategic("s-cost", "Reduce operating expenditure from $60m to $55m by 2027")


# -- acceptance on the bundled examples --------------------------------------------------------


def test_housing_policy_brief_cost_is_a_mini_me_that_points_to_supply() -> None:
    findings = run(load(EXAMPLES / "housing-authority.yaml"), mini_me_goal)
    assert [f.subject.id for f in findings] == ["policy-brief-cost"]
    (finding,) = findings
    assert [r.id for r in finding.related] == ["s-efficiency", "s-supply"]
    assert finding.evidence["echoed"] == "s-efficiency"
    assert finding.evidence["suggested"] == "s-supply"
    assert finding.evidence["ratio"] == "cost per policy brief"
    assert finding.evidence["families"] == ["cost"]
    assert set(finding.evidence["reasons"]) == {"local-efficiency-ratio", "restated-mechanism"}
    assert "s-supply" in finding.fix


@pytest.mark.parametrize(
    "example", ["housing-authority.yaml", "council-it.yaml", "revenue-cascade.yaml"]
)
def test_no_false_alarm_on_genuine_contributions_in_the_examples(example: str) -> None:
    findings = run(load(EXAMPLES / example))
    flagged = {f.subject.id for f in findings}
    assert flagged <= {"policy-brief-cost"}
    for genuine in ("policy-models", "alloc-match", "us-sales", "uk-sales", "apac-share"):
        assert genuine not in flagged


# -- mini-me ---------------------------------------------------------------------------------


def _child(statement: str, mechanism: str | None, team: str = "a", **extra: Any) -> dict[str, Any]:
    link: dict[str, Any] = {"goal": "s-cost"}
    if mechanism is not None:
        link["mechanism"] = mechanism
    return goal("child", team, statement, supports=[link], **extra)


def test_restated_mechanism_on_a_metric_echo_is_a_mini_me() -> None:
    cascade = doc(
        COST,
        _child(
            "Cut spending on stationery by 10% by 2027", "less stationery spend lowers spending"
        ),
    )
    (finding,) = run(cascade, mini_me_goal)
    assert finding.evidence["reasons"] == ["restated-mechanism"]
    assert finding.evidence["mechanism_new_words"] == []


def test_missing_mechanism_on_an_echo_is_a_mini_me() -> None:
    cascade = doc(COST, _child("Cut spending on stationery by 10% by 2027", None))
    (finding,) = run(cascade, mini_me_goal)
    assert finding.evidence["reasons"] == ["no-mechanism"]


def test_an_explained_echo_is_a_genuine_contribution() -> None:
    mechanism = (
        "switching the fleet's tyres to a framework contract halves the unit price "
        "on 4,000 tyres a year"
    )
    cascade = doc(
        COST, _child("Cut spending on fleet tyres from $1.2m to $0.7m by 2027", mechanism)
    )
    assert run(cascade, mini_me_goal) == []


def test_a_slice_of_a_summed_parent_needs_no_further_story() -> None:
    parent = strategic(
        "s-cost",
        "Reduce operating expenditure from $60m to $55m by 2027",
        kpis=[
            {
                "name": "Operating expenditure",
                "unit": "USD",
                "baseline": "$60m",
                "target": "$55m",
                "aggregation": "sum",
            }
        ],
    )
    cascade = doc(
        parent,
        _child(
            "Reduce operating expenditure in the north from $20m to $18m by 2027",
            "the north's spending",
        ),
    )
    assert run(cascade, mini_me_goal) == []


def test_a_local_efficiency_ratio_needs_a_substantial_mechanism() -> None:
    weak = doc(
        COST,
        _child("Cut the cost per invoice from $12 to $8 by 2027", "cheaper invoices save money"),
    )
    (finding,) = run(weak, mini_me_goal)
    assert "local-efficiency-ratio" in finding.evidence["reasons"]
    strong = doc(
        COST,
        _child(
            "Cut the cost per invoice from $12 to $4 by 2027",
            "automated matching removes eleven clerical posts, saving $1.2m a year of payroll",
        ),
    )
    assert run(strong, mini_me_goal) == []


def test_an_enabling_team_echoing_strategy_is_pointed_at_the_teams_it_serves() -> None:
    teams: list[dict[str, Any]] = [
        {"id": "board"},
        {"id": "ops", "parent": "board", "direction": "strategic"},
        {"id": "it", "parent": "board", "direction": "enabling", "serves": ["ops"]},
    ]
    served = goal(
        "ops-yield",
        "ops",
        "Raise first-pass yield on line 2 from 88% to 95% by 2027",
        supports=[
            {
                "goal": "s-cost",
                "mechanism": "scrapped batches are paid for twice in materials and labour",
            }
        ],
    )
    mechanism = "the servers we retire no longer draw power or licence fees every month"
    echo = _child("Cut spending on IT hosting from $3m to $2m by 2027", mechanism, team="it")
    (finding,) = run(doc(COST, served, echo, teams=teams), mini_me_goal)
    assert finding.subject.id == "child"
    assert finding.evidence["reasons"] == ["enabling-team"]
    assert finding.evidence["suggested"] == "ops-yield"
    config = Config.from_mapping({"options": {"mini-me-goal": {"check_direction": False}}})
    assert run(doc(COST, served, echo, teams=teams), mini_me_goal, config=config) == []


def test_a_generic_link_from_a_support_team_is_left_to_forced_alignment() -> None:
    """One problem, one finding: a support team tied to strategy by a stock phrase is a forced
    alignment; mini-me-goal does not report the same link again."""
    from goalalign.rules.directions import forced_alignment

    teams: list[dict[str, Any]] = [
        {"id": "board"},
        {"id": "ops", "parent": "board", "direction": "strategic"},
        {"id": "it", "parent": "board", "direction": "enabling", "serves": ["ops"]},
    ]
    echo = _child("Cut spending on IT hosting from $3m to $2m by 2027", "saves money", team="it")
    cascade = doc(COST, echo, teams=teams)
    findings = run(cascade, mini_me_goal, forced_alignment)
    assert [(f.rule, f.subject.id) for f in findings] == [("forced-alignment", "child")]


def test_no_echo_no_finding_even_without_a_mechanism() -> None:
    cascade = doc(COST, _child("Raise first-pass yield on line 2 from 88% to 95% by 2027", None))
    assert run(cascade, mini_me_goal) == []


def test_wording_echo_of_a_strategic_goal_the_goal_never_reaches() -> None:
    footfall = strategic(
        "s-visits", "Grow visits to the harbour museum from 80,000 to 120,000 a year by 2027"
    )
    other = strategic("s-other", "Cut the council's energy use by 20% by 2027")
    echo = goal(
        "echo",
        "a",
        "Grow visits to the harbour museum from 80,000 to 120,000 a year by 2027 with better signs",
        supports=[
            {"goal": "s-other", "mechanism": "signs are lit by solar panels instead of mains power"}
        ],
    )
    (finding,) = run(doc(footfall, other, echo), mini_me_goal)
    assert finding.evidence["reasons"] == ["unlinked-echo"]
    assert finding.evidence["echoed"] == "s-visits"


def test_an_echo_that_links_to_nothing_is_left_to_orphan_goal() -> None:
    footfall = strategic(
        "s-visits", "Grow visits to the harbour museum from 80,000 to 120,000 a year by 2027"
    )
    echo = goal("echo", "a", "Grow visits to the harbour museum from 80,000 to 120,000 by 2027")
    assert run(doc(footfall, echo), mini_me_goal) == []


def test_a_wording_echo_reached_through_a_chain_is_a_translation() -> None:
    footfall = strategic(
        "s-visits", "Grow visits to the harbour museum from 80,000 to 120,000 a year by 2027"
    )
    middle = goal(
        "middle",
        "a",
        "Open the museum's new maritime gallery to the public by June 2026",
        supports=[
            {
                "goal": "s-visits",
                "mechanism": "a new gallery gives past visitors a reason to return",
            }
        ],
    )
    child = goal(
        "child",
        "b",
        "Grow visits to the harbour museum's maritime gallery from 0 to 40,000 a year by 2027",
        level="operational",
        supports=[
            {
                "goal": "middle",
                "mechanism": "a gallery nobody visits adds nothing to the museum's draw",
            }
        ],
    )
    assert run(doc(footfall, middle, child), mini_me_goal) == []


def test_retired_and_strategic_goals_are_not_checked() -> None:
    echo = _child("Cut spending on stationery by 10% by 2027", None, status="retired")
    assert run(doc(COST, echo), mini_me_goal) == []


def test_similarity_option_controls_wording_echoes() -> None:
    parent = strategic("s-cost", "Modernise the harbour ferry terminal by 2027")
    child = goal(
        "child",
        "a",
        "Modernise the ticket office of the harbour ferry terminal by 2027",
        supports=[{"goal": "s-cost", "mechanism": "the terminal's ticket office"}],
    )
    assert [f.rule for f in run(doc(parent, child), mini_me_goal)] == ["mini-me-goal"]
    strict = Config.from_mapping({"options": {"mini-me-goal": {"similarity": 0.9}}})
    assert run(doc(parent, child), mini_me_goal, config=strict) == []


# -- clones ----------------------------------------------------------------------------------


def test_a_copy_with_the_parents_numbers_is_a_clone() -> None:
    child = goal(
        "child",
        "a",
        "Reduce our operating expenditure from $60m to $55m by June 2027",
        supports=[{"goal": "s-cost", "mechanism": "the department spends most of the budget"}],
    )
    findings = run(doc(COST, child))
    assert [(f.rule, f.subject.id) for f in findings] == [("cloned-goal", "child")]
    (finding,) = findings
    assert finding.evidence["parent"] == "s-cost"
    assert finding.evidence["numbers"] == ["5.5e+07", "6e+07"]
    assert finding.related[0].id == "s-cost"


def test_same_words_with_own_numbers_is_a_translation() -> None:
    child = goal(
        "child",
        "a",
        "Reduce operating expenditure from $20m to $18m by June 2027",
        supports=[
            {"goal": "s-cost", "mechanism": "the department's share of the operating budget"}
        ],
    )
    assert run(doc(COST, child), cloned_goal) == []


def test_clone_threshold_is_an_option() -> None:
    child = goal(
        "child",
        "a",
        "Reduce operating expenditure in the harbour depot from $60m to $55m by 2027",
        supports=[{"goal": "s-cost", "mechanism": "the depot's budget"}],
    )
    assert run(doc(COST, child), cloned_goal) == []
    loose = Config.from_mapping({"options": {"cloned-goal": {"similarity": 0.4}}})
    assert [f.subject.id for f in run(doc(COST, child), cloned_goal, config=loose)] == ["child"]


# -- duplicates ------------------------------------------------------------------------------

_TWIN = "Cut missed bin collections on the eastern rounds from 400 to 100 a month by 2027"


def _twins(second_team: str = "b", **extra: Any) -> Cascade:
    s1 = strategic(
        "s-clean", "Raise resident satisfaction with street cleanliness from 60% to 75% by 2027"
    )
    s2 = strategic("s-cost", "Reduce waste service costs from $9m to $8m by 2027")
    one = goal(
        "one", "a", _TWIN, supports=[{"goal": "s-clean", "mechanism": "missed bins spill rubbish"}]
    )
    two = goal(
        "two",
        second_team,
        _TWIN,
        supports=[{"goal": "s-cost", "mechanism": "return trips cost fuel"}],
    )
    two.update(extra)
    return doc(s1, s2, one, two)


def test_identical_goals_of_two_unlinked_teams_are_duplicates() -> None:
    findings = run(_twins(), duplicate_goal)
    assert [(f.subject.id, f.related[0].id, f.severity) for f in findings] == [
        ("two", "one", Severity.INFO)
    ]
    assert findings[0].evidence["similarity"] == 1.0


def test_near_identical_rewording_is_a_duplicate() -> None:
    cascade = _twins(
        statement="Reduce missed bin collections on eastern rounds from 400 to 100 a month by 2027"
    )
    assert [f.subject.id for f in run(cascade, duplicate_goal)] == ["two"]


def test_same_team_linked_or_different_numbers_are_not_duplicates() -> None:
    assert run(_twins(second_team="a"), duplicate_goal) == []
    linked = _twins(supports=[{"goal": "one", "mechanism": "the same rounds"}])
    assert run(linked, duplicate_goal) == []
    other_numbers = _twins(statement=_TWIN.replace("100", "150"))
    assert run(other_numbers, duplicate_goal) == []
    ignore_numbers = Config.from_mapping({"options": {"duplicate-goal": {"same_numbers": False}}})
    assert [f.subject.id for f in run(other_numbers, duplicate_goal, config=ignore_numbers)] == [
        "two"
    ]


def test_siblings_of_one_parent_are_not_duplicates() -> None:
    cascade = _twins(supports=[{"goal": "s-clean", "mechanism": "missed bins spill rubbish"}])
    assert run(cascade, duplicate_goal) == []


# -- the bad and good examples of each rule ---------------------------------------------------


@pytest.mark.parametrize("item", [mini_me_goal, cloned_goal, duplicate_goal], ids=lambda r: r.name)
def test_bad_example_triggers_only_this_rule_among_the_echo_rules(item: Rule) -> None:
    findings = run(loads(item.meta.bad))
    assert {f.rule for f in findings} == {item.name}


@pytest.mark.parametrize("item", [mini_me_goal, cloned_goal, duplicate_goal], ids=lambda r: r.name)
def test_good_example_triggers_nothing_of_these_rules(item: Rule) -> None:
    assert run(loads(item.meta.good)) == []


@pytest.mark.parametrize("item", [mini_me_goal, cloned_goal, duplicate_goal], ids=lambda r: r.name)
def test_examples_stay_clean_under_every_builtin_rule(item: Rule) -> None:
    registry = Registry(builtin_rules())
    bad = run_rules(loads(item.meta.bad), registry=registry).findings
    assert item.name in {f.rule for f in bad}
    assert not [f for f in bad if f.severity is Severity.ERROR]
    good = run_rules(loads(item.meta.good), registry=registry).findings
    assert item.name not in {f.rule for f in good}


# -- linear cost ---------------------------------------------------------------------------------


def _generated(tmp_path: Path, goals: int) -> Cascade:
    from goalalign.testing.generator import generate_document

    path = tmp_path / f"g{goals}.json"
    path.write_text(json.dumps(generate_document(goals, seed=3)), encoding="utf-8")
    return load(path)


def test_comparisons_grow_linearly_with_the_number_of_goals(tmp_path: Path) -> None:
    """All four rules together compare statements a bounded number of times per goal: ten
    times the goals may not cost much more than ten times the comparisons."""
    counts = []
    for size in (1_000, 10_000):
        # the rules run by hand: a check frees the analysis once its last rule is done
        ctx = CheckContext(_generated(tmp_path, size))
        for item in MINE:
            list(item.check(ctx, item.meta.option_defaults()))
        counts.append(statement_analysis(ctx).comparisons)
    small, large = counts
    assert small > 0
    assert large <= 15 * small, counts


def test_duplicate_search_work_stays_linear(tmp_path: Path) -> None:
    stats = []
    for size in (1_000, 10_000):
        ctx = CheckContext(_generated(tmp_path, size))
        _, found = find_duplicates(statement_analysis(ctx))
        stats.append(found.comparisons + found.member_checks)
    assert stats[1] <= 15 * max(1, stats[0]), stats


# -- order independence -----------------------------------------------------------------------


def _shuffled(cascade: Cascade, rnd: random.Random) -> Cascade:
    goals = []
    for item in cascade.goals:
        links = list(item.supports)
        rnd.shuffle(links)
        goals.append(attrs.evolve(item, supports=tuple(links)))
    rnd.shuffle(goals)
    teams = list(cascade.teams)
    rnd.shuffle(teams)
    return attrs.evolve(cascade, goals=tuple(goals), teams=tuple(teams))


def _outcome(cascade: Cascade) -> list[dict[str, Any]]:
    found = []
    for finding in run(cascade):
        data = finding.to_dict()
        data.pop("line", None)
        found.append(data)
    return found


_MIXED = [
    load(EXAMPLES / "housing-authority.yaml"),
    loads(duplicate_goal.meta.bad),
    loads(conflicting_goals.meta.bad),
]


@settings(max_examples=25)
@given(st.sampled_from(range(len(_MIXED))), st.randoms(use_true_random=False))
def test_findings_do_not_depend_on_document_order(which: int, rnd: random.Random) -> None:
    cascade = _MIXED[which]
    assert _outcome(_shuffled(cascade, rnd)) == _outcome(cascade)


def test_duplicates_are_reported_on_the_later_goal_id_whatever_the_order() -> None:
    cascade = _twins()
    flipped = attrs.evolve(cascade, goals=tuple(reversed(cascade.goals)))
    assert [f.subject.id for f in run(flipped, duplicate_goal)] == ["two"]


@settings(max_examples=40)
@given(cascades(max_goals=12), st.randoms(use_true_random=False))
def test_random_cascades_never_break_the_rules(cascade: Cascade, rnd: random.Random) -> None:
    """On any valid cascade the four rules run, name only goals that exist, report each
    subject at most once per rule, and do not depend on the document's order."""
    cascade = attrs.evolve(cascade, settings={})  # its config may name rules not run here
    findings = run(cascade)
    ids = {g.id for g in cascade.goals}
    for finding in findings:
        assert finding.subject.id in ids
        assert all(ref.id in ids for ref in finding.related)
    keys = [f.key for f in findings]
    assert len(keys) == len(set(keys))
    assert _outcome(_shuffled(cascade, rnd)) == _outcome(cascade)


# -- compact per-goal forms -------------------------------------------------------------------


def _read_in_full(statement: str) -> tuple[frozenset[str], tuple[str, frozenset[str]] | None]:
    """A statement's features and metric key read without templates (digits masked, as the
    analysis reads them)."""
    tokens, _ = tokens_and_hits(re.sub(r"\d", "0", statement))
    features = frozenset(t for t in tokens if t[0] not in "#|")
    metric = _metric_key(tokens)
    return features, None if metric is None else (metric[0], metric[1])


def _check_compact_forms(cascade: Cascade) -> None:
    analysis = statement_analysis(CheckContext(cascade))
    for i, item in enumerate(cascade.goals):
        features, metric = _read_in_full(item.statement)
        assert analysis.features[i] == features, item.statement
        assert analysis.sorted_features[i] == tuple(sorted(features))
        assert analysis.metric_key(i) == metric, item.statement
        words = analysis.metric_words(i)
        assert words == (None if metric is None else (metric[0], tuple(sorted(metric[1]))))
    every = range(len(cascade.goals))
    assert list(analysis.features[1:]) == [analysis.features[i] for i in every[1:]]
    assert list(analysis.metrics[::2]) == [analysis.metrics[i] for i in every[::2]]


def test_compact_forms_read_as_the_full_statements_on_a_generated_cascade(tmp_path: Path) -> None:
    """Features and metric keys are kept per goal as sorted tuples made by template; they
    are those of each statement read in full."""
    _check_compact_forms(_generated(tmp_path, 1_000))


@settings(max_examples=40)
@given(cascades(max_goals=12))
def test_compact_forms_read_as_the_full_statements(cascade: Cascade) -> None:
    _check_compact_forms(cascade)
