"""Properties the score promises (SPEC section 5), checked on generated cascades and findings.

The findings here are built directly, as a rule would report them, so the properties hold for
any rule set, including plugins: bounds, 100 exactly without warnings and errors, order
independence, monotonicity under removal of any one finding, exact attribution of lost points
and exact recovery figures for fixes.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from fractions import Fraction
from math import ceil
from typing import Any

import attrs
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from goalalign.domain.cascade import Cascade
from goalalign.domain.model import (
    KPI,
    Direction,
    Goal,
    Level,
    Link,
    LinkTarget,
    Organisation,
    Team,
)
from goalalign.engine.config import Config
from goalalign.engine.findings import Finding, Ref, Severity, SubjectKind
from goalalign.scoring.score import COMPONENTS, Score, _lost, component_budgets, compute_score
from goalalign.testing.strategies import documents

# (rule, family) pairs covering every component, the per-rule overrides and an unknown family.
RULES: tuple[tuple[str, str], ...] = (
    ("orphan-goal", "chains"),
    ("dangling-link", "structure"),
    ("unexplained-link", "chains"),
    ("uncovered-strategic-goal", "chains"),
    ("stale-anchor", "chains"),
    ("missing-baseline", "kpis"),
    ("rollup-shortfall", "numbers"),
    ("vague-goal", "smart"),
    ("unmeasured-goal", "smart"),
    ("too-many-goals", "focus"),
    ("mini-me-goal", "echoes"),
    ("conflicting-goals", "conflicts"),
    ("direction-mismatch", "directions"),
    ("plugin-rule", "acme-plugin"),
)


@st.composite
def cascades(draw: st.DrawFn) -> Cascade:
    """A small valid cascade: 1-4 teams, 1-12 goals at mixed levels, some KPIs and links."""
    n_teams = draw(st.integers(1, 4))
    directions = st.sampled_from([None, *Direction])
    teams = tuple(
        Team(
            id=f"t{i}",
            name=f"Team {i}",
            parent=None if i == 0 else "t0",
            direction=draw(directions),
        )
        for i in range(n_teams)
    )
    n_goals = draw(st.integers(1, 12))
    goals = []
    for i in range(n_goals):
        links: tuple[Link, ...] = ()
        if i > 0 and draw(st.booleans()):
            links = (Link(LinkTarget.GOAL, f"g{draw(st.integers(0, i - 1))}", "because"),)
        goals.append(
            Goal(
                id=f"g{i}",
                team=f"t{draw(st.integers(0, n_teams - 1))}",
                statement=f"Goal number {i}",
                level=draw(st.sampled_from([None, *Level])),
                supports=links,
            )
        )
    kpis = tuple(
        KPI(id=f"k{i}", name=f"KPI {i}", goal=f"g{draw(st.integers(0, n_goals - 1))}")
        for i in range(draw(st.integers(0, 6)))
    )
    return Cascade(Organisation("Generated"), teams, tuple(goals), kpis)


def _team_of(cascade: Cascade, subject: Ref) -> str | None:
    """The finding's team, as the engine derives it."""
    if subject.kind is SubjectKind.TEAM:
        return subject.id
    goal_id = subject.id
    if subject.kind is SubjectKind.KPI:
        kpi = cascade.kpi(subject.id)
        goal_id = kpi.goal if kpi is not None and kpi.goal is not None else ""
    goal = cascade.goal(goal_id)
    return goal.team if goal is not None else None


@st.composite
def findings_for(draw: st.DrawFn, cascade: Cascade, max_size: int = 25) -> list[Finding]:
    """Findings about parts of ``cascade``, as rules would report them."""
    subjects: list[Ref] = [Ref.organisation("Generated")]
    subjects += [Ref.team(t.id) for t in cascade.teams]
    subjects += [Ref.goal(g.id) for g in cascade.goals]
    subjects += [Ref.kpi(k.id) for k in cascade.kpis]
    subjects += [
        Ref.link(g.id, link.target_id) for g in cascade.goals for link in g.supports
    ]
    result = []
    for index in range(draw(st.integers(0, max_size))):
        rule, family = draw(st.sampled_from(RULES))
        subject = draw(st.sampled_from(subjects))
        result.append(
            Finding(
                rule=rule,
                code=f"GX{RULES.index((rule, family)):03d}",
                severity=draw(st.sampled_from(list(Severity))),
                subject=subject,
                message=f"finding {index}",
                fix=f"fix {index}",
                team=_team_of(cascade, subject),
                family=family,
            )
        )
    return result


@st.composite
def scored(draw: st.DrawFn) -> tuple[Cascade, list[Finding]]:
    cascade = draw(cascades())
    return cascade, draw(findings_for(cascade))


weights = st.dictionaries(
    st.sampled_from(COMPONENTS), st.floats(0.01, 1000, allow_nan=False), max_size=5
)


def _costed(findings: Sequence[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity is not Severity.INFO]


def _all_scores(score: Score) -> list[float]:
    return [
        score.overall,
        *score.components.values(),
        *score.teams.values(),
        *score.directions.values(),
    ]


def _hundredths(value: float) -> int:
    as_int = round(value * 100)
    assert abs(as_int - value * 100) < 1e-6, f"{value} is not in whole hundredths"
    return as_int


@given(scored(), weights)
def test_every_score_is_between_0_and_100(
    case: tuple[Cascade, list[Finding]], w: dict[str, float]
) -> None:
    cascade, findings = case
    score = compute_score(cascade, findings, Config(weights=w))
    for value in _all_scores(score):
        assert 0 <= value <= 100
        _hundredths(value)


@given(scored(), weights)
def test_100_exactly_when_no_warning_or_error(
    case: tuple[Cascade, list[Finding]], w: dict[str, float]
) -> None:
    cascade, findings = case
    score = compute_score(cascade, findings, Config(weights=w))
    costed = _costed(findings)
    assert (score.overall == 100) == (not costed)
    for team in cascade.teams:
        team_costed = [f for f in costed if f.team == team.id]
        assert (score.teams[team.id] == 100) == (not team_costed)
    by_component = {c: [f for f in costed if _component(score, f) == c] for c in COMPONENTS}
    for component, value in score.components.items():
        assert (value == 100) == (not by_component[component])


def _component(score: Score, finding: Finding) -> str | None:
    for loss in score.losses:
        if loss.finding_key == finding.key and loss.rule == finding.rule:
            return loss.component
    return None


@given(scored())
def test_info_findings_cost_nothing(case: tuple[Cascade, list[Finding]]) -> None:
    cascade, findings = case
    infos = [attrs.evolve(f, severity=Severity.INFO) for f in findings]
    score = compute_score(cascade, infos)
    assert set(_all_scores(score)) <= {100.0}
    assert score.losses == ()
    assert score.fixes == ()


@given(scored(), st.randoms(use_true_random=False), weights)
def test_independent_of_the_order_of_findings_and_of_the_input(
    case: tuple[Cascade, list[Finding]], rnd: object, w: dict[str, float]
) -> None:
    import random

    assert isinstance(rnd, random.Random)
    cascade, findings = case
    config = Config(weights=w)
    expected = compute_score(cascade, findings, config)
    shuffled_findings = list(findings)
    rnd.shuffle(shuffled_findings)
    teams, goals, kpis = list(cascade.teams), list(cascade.goals), list(cascade.kpis)
    rnd.shuffle(teams)
    rnd.shuffle(goals)
    rnd.shuffle(kpis)
    shuffled = Cascade(cascade.organisation, tuple(teams), tuple(goals), tuple(kpis))
    assert compute_score(shuffled, shuffled_findings, config) == expected
    assert compute_score(cascade, shuffled_findings, config).to_dict() == expected.to_dict()


@given(scored(), st.data())
def test_removing_any_finding_never_lowers_any_score(
    case: tuple[Cascade, list[Finding]], data: st.DataObject
) -> None:
    cascade, findings = case
    if not findings:
        return
    index = data.draw(st.integers(0, len(findings) - 1))
    before = compute_score(cascade, findings)
    after = compute_score(cascade, findings[:index] + findings[index + 1 :])
    assert after.overall >= before.overall
    for name, value in before.components.items():
        assert after.components[name] >= value
    for team, value in before.teams.items():
        assert after.teams[team] >= value
    for direction, value in before.directions.items():
        assert after.directions[direction] >= value


@given(scored(), weights)
def test_attributed_losses_add_up_to_the_points_lost(
    case: tuple[Cascade, list[Finding]], w: dict[str, float]
) -> None:
    cascade, findings = case
    score = compute_score(cascade, findings, Config(weights=w))
    lost = sum(_hundredths(loss.points) for loss in score.losses)
    assert lost == 10_000 - _hundredths(score.overall)
    assert len(score.losses) == len(_costed(findings))
    for component in COMPONENTS:
        in_component = sum(
            _hundredths(loss.points) for loss in score.losses if loss.component == component
        )
        assert in_component == _hundredths(score.component_losses[component])


@given(scored(), st.data())
def test_a_fix_recovers_exactly_the_points_it_promises(
    case: tuple[Cascade, list[Finding]], data: st.DataObject
) -> None:
    cascade, findings = case
    costed = _costed(findings)
    if not costed:
        return
    chosen = data.draw(st.sampled_from(costed))
    score = compute_score(cascade, findings)
    rest = list(findings)
    rest.remove(chosen)
    recovered = _hundredths(compute_score(cascade, rest).overall) - _hundredths(score.overall)
    promised = [
        fix
        for fix in score.fixes
        if fix.finding_key == chosen.key and fix.message == chosen.message
    ]
    assert len(promised) == 1
    assert _hundredths(promised[0].points) == recovered
    points = [fix.points for fix in score.fixes]
    assert points == sorted(points, reverse=True)


@given(weights)
def test_component_weights_always_share_exactly_100_points(w: dict[str, float]) -> None:
    budgets = component_budgets(w)
    assert sum(budgets.values()) == 10_000
    assert all(b >= 1 for b in budgets.values())


@given(st.integers(1, 40), st.integers(1, 40))
def test_one_finding_costs_less_in_a_larger_cascade(small: int, extra: int) -> None:
    def cascade(n: int) -> Cascade:
        goals = tuple(Goal(f"g{i}", "t0", f"Goal {i}") for i in range(n))
        return Cascade(Organisation("Sized"), (Team("t0", "T"),), goals)

    finding = Finding(
        "orphan-goal", "GX1", Severity.ERROR, Ref.goal("g0"), "m", team="t0", family="chains"
    )
    in_small = compute_score(cascade(small), [finding]).overall
    in_large = compute_score(cascade(small + extra), [finding]).overall
    assert in_large >= in_small
    if small >= 2:
        assert in_large > in_small


def test_one_warning_in_a_large_cascade_still_costs_something() -> None:
    goals = tuple(Goal(f"g{i}", "t0", f"Goal {i}", level=Level.OPERATIONAL) for i in range(50_000))
    cascade = Cascade(Organisation("Large"), (Team("t0", "T"),), goals)
    finding = Finding(
        "vague-goal", "GX1", Severity.WARNING, Ref.goal("g7"), "m", team="t0", family="smart"
    )
    score = compute_score(cascade, [finding], Config(weights={"goal-quality": 0.001}))
    assert score.overall == 99.99
    assert score.components["goal-quality"] == 99.99
    assert [loss.points for loss in score.losses] == [0.01]


# -- end to end: a defect injected, then fixed, through every registered rule --------------------


def _drop_mechanism(document: dict[str, Any], choice: int) -> bool:
    links = [
        link
        for goal in document["goals"]
        for link in goal.get("supports", ())
        if isinstance(link, dict) and link.get("mechanism")
    ]
    if not links:
        return False
    del links[choice % len(links)]["mechanism"]
    return True


def _dangling_link(document: dict[str, Any], choice: int) -> bool:
    # Only on a goal with a declared level that already links to a goal: a goal without links
    # may have its level inferred from having none, or be reported as an orphan instead.
    ids = {goal["id"] for goal in document["goals"]}
    linked = [
        goal
        for goal in document["goals"]
        if "level" in goal
        and any(
            (link if isinstance(link, str) else link.get("goal")) in ids
            for link in goal.get("supports", ())
        )
    ]
    if not linked or "no-such-goal" in ids:
        return False
    goal = linked[choice % len(linked)]
    goal["supports"] = [
        *goal["supports"],
        {"goal": "no-such-goal", "mechanism": "a link to a goal that was never written"},
    ]
    return True


def _old_review(document: dict[str, Any], choice: int) -> bool:
    reviewed = [goal for goal in document["goals"] if "last_reviewed" in goal]
    if not reviewed:
        return False
    reviewed[choice % len(reviewed)]["last_reviewed"] = "2024-01-15"
    return True


DEFECTS = {"mechanism": _drop_mechanism, "dangling": _dangling_link, "review": _old_review}
"""Pure defects: each only takes something true away from a cascade (or adds a false link),
so the fixed cascade's findings should be a subset of the broken one's."""


@settings(max_examples=15)
@given(
    st.integers(12, 60),
    st.integers(0, 10_000),
    st.sampled_from(sorted(DEFECTS)),
    st.integers(0, 1_000),
)
def test_fixing_an_injected_defect_never_lowers_the_score(
    n_goals: int, seed: int, defect: str, choice: int
) -> None:
    from goalalign.api import check
    from goalalign.loading.readers import document_to_cascade
    from goalalign.testing.generator import generate_document

    fixed = generate_document(n_goals, seed=seed, teams=max(2, n_goals // 8))
    broken = copy.deepcopy(fixed)
    assume(DEFECTS[defect](broken, choice))
    before = check(document_to_cascade(broken)).score
    after = check(document_to_cascade(fixed)).score
    assert after.overall >= before.overall
    for team, value in before.teams.items():
        assert after.teams[team] >= value


@settings(max_examples=25)
@given(documents(max_goals=10), st.sampled_from(["mechanism", "dangling"]), st.integers(0, 99))
def test_fixing_a_defect_in_any_valid_document_never_lowers_the_score(
    document: dict[str, Any], defect: str, choice: int
) -> None:
    from goalalign.api import check
    from goalalign.loading.readers import document_to_cascade

    broken = copy.deepcopy(document)
    assume(DEFECTS[defect](broken, choice))
    before = check(document_to_cascade(broken)).score
    after = check(document_to_cascade(document)).score
    assert after.overall >= before.overall


@given(
    st.integers(min_value=1, max_value=10_000),
    st.fractions(min_value=Fraction(1, 10**6), max_value=Fraction(10**6)),
)
def test_lost_hundredths_follow_the_formula_exactly(budget: int, cost: Fraction) -> None:
    # _lost works in integers; the documented formula is min(B, ceil(B * x / (1 + x)))
    assert _lost(budget, cost) == min(budget, ceil(budget * cost / (1 + cost)))
    assert _lost(budget, Fraction(0)) == 0
