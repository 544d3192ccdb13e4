"""The benchmark generator: valid, deterministic, shaped like SPEC §7."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

import goalalign as ga
from goalalign.loading import document_to_cascade
from goalalign.testing.generator import generate_document, iter_goals, write_document


@pytest.mark.parametrize("n_goals", [1, 2, 7, 60, 1000])
def test_generated_documents_load(n_goals: int) -> None:
    cascade = document_to_cascade(generate_document(n_goals, seed=n_goals))
    assert len(cascade.goals) == n_goals


def test_generation_is_deterministic_and_seeded() -> None:
    assert generate_document(300, seed=5) == generate_document(300, seed=5)
    assert generate_document(300, seed=5) != generate_document(300, seed=6)


def test_shape_follows_the_spec() -> None:
    n = 5000
    document = generate_document(n)
    cascade = document_to_cascade(document)
    assert len(cascade.teams) == n // 100
    levels = Counter(goal.level for goal in cascade.goals)
    assert 1 <= levels[ga.Level.STRATEGIC] <= 8
    assert levels[ga.Level.OPERATIONAL] > levels[ga.Level.TRANSLATIONAL]
    cross = sum(1 for goal in cascade.goals if len(goal.supports) > 1)
    assert 0.05 * n < cross < 0.15 * n
    with_kpis = sum(1 for goal in cascade.goals if cascade.kpis_of(goal.id))
    assert 0.7 * n < with_kpis < 0.9 * n
    links = [link for goal in cascade.goals for link in goal.supports]
    explained = sum(1 for link in links if link.mechanism)
    assert 0.95 < explained / len(links) < 1.0
    assert len({goal.statement for goal in cascade.goals}) > 0.9 * n
    assert {kpi.unit for kpi in cascade.kpis} >= {"USD", "percent", "count", "day"}
    # every link points upward, to a goal that exists, or to one of the promises
    position = {goal.id: index for index, goal in enumerate(cascade.goals)}
    promises = cascade.promise_ids()
    for index, goal in enumerate(cascade.goals):
        for link in goal.supports:
            assert link.target_id is not None
            if link.target_kind is ga.LinkTarget.PROMISE:
                assert link.target_id in promises
            else:
                assert position[link.target_id] < index


def test_every_team_but_the_board_has_a_parent_and_goals() -> None:
    cascade = document_to_cascade(generate_document(2000))
    ids = {team.id for team in cascade.teams}
    assert [team.id for team in cascade.teams if team.parent is None] == ["board"]
    assert all(team.parent in ids for team in cascade.teams if team.parent)
    assert all(cascade.goals_of(team.id) for team in cascade.teams)


def test_write_document_streams_the_same_document(tmp_path: Path) -> None:
    path = write_document(tmp_path / "org.json", 400, seed=2)
    assert json.loads(path.read_text(encoding="utf-8")) == generate_document(400, seed=2)
    assert len(ga.load(path).goals) == 400


def test_options_change_the_shape() -> None:
    plain = generate_document(500, cross_link_ratio=0.0, kpi_ratio=0.0, teams=3, levels=2)
    cascade = document_to_cascade(plain)
    assert not cascade.kpis
    assert all(len(goal.supports) <= 1 for goal in cascade.goals)
    assert len(cascade.teams) == 3
    assert {goal.level for goal in cascade.goals} == {ga.Level.STRATEGIC, ga.Level.TRANSLATIONAL}
    assert len(list(iter_goals(500, levels=2))) == 500


def test_defects_are_planted_at_the_requested_rate() -> None:
    """The default is a looked-after cascade with a few planted defects; 0 and 1 are the ends."""
    counts = {}
    for rate in (0.0, 0.05, 1.0):
        cascade = document_to_cascade(generate_document(3000, seed=11, defect_rate=rate))
        report = ga.check(cascade)
        counts[rate] = Counter(finding.rule for finding in report.findings)
    planted = ("deadline-after-parent", "stale-review", "unexplained-link", "activity-kpi",
               "no-deadline", "duplicate-goal", "mini-me-goal")
    for rule in planted:
        if rule == "mini-me-goal":  # template wording makes a few echoes of its own
            assert counts[1.0][rule] > 2 * counts[0.0][rule]
            continue
        assert counts[0.0][rule] == 0, rule
        assert counts[0.05][rule] > 0, rule
        assert counts[1.0][rule] > 5 * counts[0.05][rule], rule
    assert sum(counts[0.05].values()) < 0.15 * 3000


def test_children_keep_their_deadlines_within_their_parents() -> None:
    cascade = document_to_cascade(generate_document(2000, seed=3, defect_rate=0.0))
    for goal in cascade.goals:
        for link in goal.supports:
            parent = cascade.goal(link.target_id or "")
            assert goal.deadline is not None
            assert parent.deadline is not None
            assert goal.deadline.end <= parent.deadline.end


def test_links_follow_the_teams_directions() -> None:
    """A looked-after cascade: enabling teams support the teams they serve, purpose teams keep
    promises, so almost every chain reaches its own direction's anchor."""
    cascade = document_to_cascade(generate_document(5000, seed=4, defect_rate=0.0))
    direction = {team.id: team.direction for team in cascade.teams}
    serves = {team.id: set(team.serves) for team in cascade.teams}
    purpose_links = [
        link for goal in cascade.goals if direction[goal.team] is ga.Direction.PURPOSE
        for link in goal.supports
    ]
    assert purpose_links
    assert all(link.target_kind is ga.LinkTarget.PROMISE for link in purpose_links)
    enabling = [
        goal for goal in cascade.goals
        if direction[goal.team] is ga.Direction.ENABLING and goal.supports
    ]
    to_served = sum(
        1 for goal in enabling
        if (cascade.goal(goal.supports[0].target_id or "") or goal).team in serves[goal.team]
    )
    assert to_served > 0.9 * len(enabling)
    # also when a purpose team owns the whole layer under the strategy (team t1 does)
    seed = next(
        s for s in range(1000)
        if generate_document(1, seed=s, teams=20)["teams"][1].get("direction") == "purpose"
    )
    for document in (generate_document(2000, seed=4), generate_document(2000, seed=seed)):
        report = ga.check(document_to_cascade(document))
        statuses = Counter(chain.status for team in report.teams for chain in team.chains)
        assert statuses["off-anchor"] < 0.03 * sum(statuses.values())
