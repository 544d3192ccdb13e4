# ruff: noqa: E501  (inline YAML documents keep their lines whole)
"""The chain analysis: reach, distances, printed chains, breaks; linear; order-independent."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import goalalign.analysis.chains as chains_module
from goalalign.analysis.chains import (
    MAX_CHAIN_STEPS,
    AnchorKind,
    ChainAnalysis,
    ServedTeams,
    Step,
    analyse_chains,
    chain_analysis,
)
from goalalign.analysis.three_questions import assess_teams
from goalalign.domain.cascade import Cascade
from goalalign.domain.model import (
    Direction,
    Goal,
    Level,
    Link,
    LinkTarget,
    Organisation,
    Period,
    Promise,
    Status,
    Team,
)
from goalalign.engine.context import CheckContext
from goalalign.engine.registry import Registry
from goalalign.engine.rule import Rule
from goalalign.engine.runner import run_rules
from goalalign.loading.readers import document_to_cascade, loads
from goalalign.rules import chains, directions, focus, structure
from goalalign.testing.generator import generate_document
from goalalign.testing.strategies import cascades

MY_RULES = [
    v
    for module in (structure, chains, directions, focus)
    for v in vars(module).values()
    if isinstance(v, Rule)
]

HEAD = """goalalign: 1
organisation:
  name: Test Org
  purpose: Useful things for the people we serve
  promises: [{id: safe, statement: Everyone is safe}]
  as_of: 2026-03-01
teams:
  - {id: board}
  - {id: ops, parent: board, direction: strategic}
  - {id: it, parent: board, direction: enabling, serves: [ops]}
  - {id: fac, parent: board, direction: purpose}
goals:
  - {id: s, team: board, level: strategic, statement: Grow}
  - {id: old, team: board, level: strategic, status: retired, statement: Old}
"""


def cascade(goals: str) -> Cascade:
    return loads(HEAD + goals)


# -- reach, distances and chains ------------------------------------------------------------------


def test_explained_chains_are_preferred_over_shorter_ones() -> None:
    c = cascade(
        "  - {id: a, team: ops, statement: A, supports: [s, {goal: b, mechanism: b helps}]}\n"
        "  - {id: b, team: ops, statement: B, supports: [{goal: s, mechanism: s follows}]}\n"
    )
    analysis = analyse_chains(c)
    assert analysis.distance("a", AnchorKind.STRATEGY) == 1
    assert analysis.distance("a", AnchorKind.STRATEGY, explained=True) == 2
    assert analysis.explained("a", AnchorKind.STRATEGY)
    assert analysis.chain("a") == (("a", "b helps"), ("b", "s follows"), ("s", None))
    assert analysis.reaches("a") == frozenset({AnchorKind.STRATEGY})
    assert analysis.chain("s") == (("s", None),)


def test_unexplained_chain_is_shown_when_no_explained_one_exists() -> None:
    c = cascade("  - {id: a, team: ops, statement: A, supports: [s]}\n")
    analysis = analyse_chains(c)
    assert not analysis.explained("a", AnchorKind.STRATEGY)
    assert analysis.chain("a") == (("a", None), ("s", None))


def test_served_team_route_and_purpose_route() -> None:
    c = cascade(
        "  - {id: o, team: ops, statement: O, supports: [{goal: s, mechanism: o moves s}]}\n"
        "  - {id: i1, team: it, statement: I1, supports: [{goal: i2, mechanism: i1 feeds i2}]}\n"
        "  - {id: i2, team: it, statement: I2, supports: [{goal: o, mechanism: i2 enables o}]}\n"
        "  - {id: f, team: fac, statement: F, supports: [{promise: safe, mechanism: f keeps sites safe}]}\n"
    )
    analysis = analyse_chains(c)
    assert AnchorKind.SERVED in analysis.reaches("i1")
    assert analysis.distance("i1", AnchorKind.SERVED) == 1
    assert AnchorKind.SERVED not in analysis.reaches("o")
    assert analysis.chain("i1", AnchorKind.SERVED) == (
        ("i1", "i1 feeds i2"),
        ("i2", "i2 enables o"),
        ("o", "o moves s"),
        ("s", None),
    )
    assert analysis.reaches("f") == frozenset({AnchorKind.PURPOSE})
    assert analysis.chain("f") == (("f", "f keeps sites safe"), ("promise:safe", None))


def test_chains_stop_at_the_first_strategic_goal() -> None:
    c = cascade(
        "  - {id: s-sub, team: ops, level: strategic, status: deprioritised, statement: Sub, supports: [{goal: s, mechanism: m}]}\n"
        "  - {id: a, team: ops, statement: A, supports: [{goal: s-sub, mechanism: m}]}\n"
    )
    analysis = analyse_chains(c)
    assert analysis.reaches("a") == frozenset({AnchorKind.STALE})
    assert analysis.chain("a") == (("a", "m"), ("s-sub", None))


def test_breaks_and_cut_off_counts() -> None:
    c = cascade(
        "  - {id: b, team: ops, statement: B}\n"
        "  - {id: x, team: ops, statement: X, supports: [{goal: b, mechanism: m}]}\n"
        "  - {id: y, team: ops, statement: Y, supports: [{goal: x, mechanism: m}]}\n"
        "  - {id: loop1, team: ops, statement: L, supports: [{goal: loop2, mechanism: m}]}\n"
        "  - {id: loop2, team: ops, statement: L, supports: [{goal: loop1, mechanism: m}]}\n"
        "  - {id: z, team: ops, statement: Z, supports: [{goal: loop2, mechanism: m}]}\n"
    )
    analysis = analyse_chains(c)
    broken = analysis.break_for("y")
    assert broken is not None
    assert (broken.goal, broken.cut_off, broken.is_loop) == ("b", 2, False)
    loop = analysis.break_for("z")
    assert loop is not None
    assert (loop.goal, loop.members, loop.cut_off, loop.is_loop) == ("loop1", ("loop1", "loop2"), 1, True)
    assert analysis.break_for("s") is None
    assert analysis.chain("y") == (("y", "m"), ("x", "m"), ("b", None))
    assert [[analysis.ids[i] for i in cycle] for cycle in analysis.cycles] == [["loop1", "loop2"]]


def test_printed_chains_are_capped() -> None:
    depth = MAX_CHAIN_STEPS * 2
    goals = "".join(
        f"  - {{id: g{i}, team: ops, statement: G, supports: [{{goal: {'s' if i == 0 else f'g{i - 1}'}, mechanism: m}}]}}\n"
        for i in range(depth)
    )
    analysis = analyse_chains(cascade(goals))
    steps = analysis.chain(f"g{depth - 1}")
    assert len(steps) == MAX_CHAIN_STEPS + 1
    assert steps[-1] == ("…", None)
    assert analysis.chain("g0") == (("g0", "m"), ("s", None))


def test_the_analysis_is_derived_once_per_check() -> None:
    ctx = CheckContext(cascade("  - {id: a, team: ops, statement: A, supports: [s]}\n"))
    assert chain_analysis(ctx) is chain_analysis(ctx)


# -- linear: counted adjacency visits, not time ---------------------------------------------------


def _visits_per_goal(n_goals: int) -> float:
    c = document_to_cascade(generate_document(n_goals, seed=3))
    return analyse_chains(c).visits / n_goals


def test_visits_per_goal_stay_constant_on_generated_cascades() -> None:
    small, large = _visits_per_goal(1_000), _visits_per_goal(10_000)
    assert 1 <= small <= 30
    assert large <= 1.5 * small


def _deep_broken_chain(n_goals: int) -> Cascade:
    """A path of goals ending nowhere, each also linked from a second, shorter path: the shape
    that makes path enumeration exponential and per-goal walks quadratic."""
    org = Organisation("Deep", purpose="P", promises=(Promise("safe", "S"),))
    teams = (Team("board", "Board"), Team("ops", "Ops", parent="board"))
    goals = [Goal("g0", "ops", "G")]
    for i in range(1, n_goals):
        links = [Link(LinkTarget.GOAL, f"g{i - 1}", "m")]
        if i >= 2:
            links.append(Link(LinkTarget.GOAL, f"g{i - 2}"))
        goals.append(Goal(f"g{i}", "ops", "G", supports=tuple(links)))
    return Cascade(org, teams, tuple(goals))


def test_visits_stay_linear_on_a_deep_broken_ladder() -> None:
    small = analyse_chains(_deep_broken_chain(1_000))
    large = analyse_chains(_deep_broken_chain(10_000))
    assert large.visits / 10_000 <= 1.5 * small.visits / 1_000
    found = large.break_for("g9999")
    assert found is not None
    assert (found.goal, found.cut_off) == ("g0", 9_999)


# -- order independence ---------------------------------------------------------------------------

_MECHANISMS = (None, "improves productivity", "each fixed laptop keeps a sales rep on the phone all afternoon")


@st.composite
def tangled_cascades(draw: st.DrawFn) -> Cascade:
    """Small cascades with everything the rules look for: loops, dangling ids, stale anchors,
    levels, deadlines, review dates, directions and serves."""
    n_teams = draw(st.integers(1, 5))
    team_ids = [f"t{i}" for i in range(n_teams)]
    teams = []
    for i, team_id in enumerate(team_ids):
        parent = None if i == 0 else draw(st.sampled_from([None, "ghost", *team_ids[:i]]))
        teams.append(
            Team(
                team_id,
                team_id.upper(),
                parent=parent,
                direction=draw(st.sampled_from([None, *Direction])),
                serves=tuple(draw(st.lists(st.sampled_from([*team_ids, "ghost"]), max_size=2, unique=True))),
            )
        )
    n_goals = draw(st.integers(1, 14))
    goal_ids = [f"g{i}" for i in range(n_goals)]
    link = st.one_of(
        st.builds(
            lambda t, m: Link(LinkTarget.GOAL, t, m),
            st.sampled_from([*goal_ids, "missing"]),
            st.sampled_from(_MECHANISMS),
        ),
        st.builds(lambda t, m: Link(LinkTarget.PROMISE, t, m), st.sampled_from(["safe", "nope"]), st.sampled_from(_MECHANISMS)),
        st.builds(lambda m: Link(LinkTarget.PURPOSE, None, m), st.sampled_from(_MECHANISMS)),
    )
    period = st.sampled_from([None, Period("2026-12", date(2026, 12, 31)), Period("2027", date(2027, 12, 31))])
    goals = [
        Goal(
            goal_id,
            draw(st.sampled_from([*team_ids, "ghost"])),
            f"Statement of {goal_id}",
            level=draw(st.sampled_from([None, *Level])),
            status=draw(st.sampled_from(list(Status))),
            deadline=draw(period),
            last_reviewed=draw(st.sampled_from([None, date(2025, 1, 1), date(2026, 5, 1)])),
            supports=tuple(draw(st.lists(link, max_size=3))),
            hinders=tuple(draw(st.lists(st.builds(lambda t: Link(LinkTarget.GOAL, t), st.sampled_from([*goal_ids, "missing"])), max_size=1))),
        )
        for goal_id in goal_ids
    ]
    org = Organisation(
        "Tangled",
        purpose=draw(st.sampled_from([None, "A purpose"])),
        promises=(Promise("safe", "Everyone is safe"),),
        as_of=date(2026, 6, 1),
    )
    return Cascade(org, tuple(teams), tuple(goals))


def _shuffled(c: Cascade, rnd: random.Random) -> Cascade:
    teams = list(c.teams)
    rnd.shuffle(teams)
    goals = []
    for goal in c.goals:
        links = list(goal.supports)
        rnd.shuffle(links)
        goals.append(attrs.evolve(goal, supports=tuple(links)))
    rnd.shuffle(goals)
    kpis = list(c.kpis)
    rnd.shuffle(kpis)
    return attrs.evolve(c, teams=tuple(teams), goals=tuple(goals), kpis=tuple(kpis))


def _outcome(c: Cascade) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    result = run_rules(c, registry=Registry(MY_RULES))
    findings = []
    for finding in result.findings:
        data = finding.to_dict()
        data.pop("line", None)
        findings.append(data)
    teams = [team.to_dict() for team in assess_teams(result.context, result.findings)]
    return findings, teams


@given(tangled_cascades())
def test_fast_served_predicate_agrees_with_served_teams(c: Cascade) -> None:
    served = ServedTeams(c)
    names = sorted({g.team for g in c.goals} | {t.id for t in c.teams})
    predicate = served.by_number(names)
    for a, team in enumerate(names):
        for b, other in enumerate(names):
            goal = Goal("probe", other, "Probe")
            assert predicate(a, b) == served.serves(team, goal, False), (team, other)


@given(tangled_cascades(), st.randoms(use_true_random=False))
def test_findings_do_not_depend_on_input_order(c: Cascade, rnd: random.Random) -> None:
    assert _outcome(_shuffled(c, rnd)) == _outcome(c)


@given(cascades(max_goals=10), st.randoms(use_true_random=False))
def test_findings_on_loaded_documents_do_not_depend_on_input_order(c: Cascade, rnd: random.Random) -> None:
    assert _outcome(_shuffled(c, rnd)) == _outcome(c)


# -- chains of the team assessments are walked only when read ------------------------------------


def _eager_steps(fresh: ChainAnalysis, goal_id: str, direction: Direction | None) -> tuple[Step, ...]:
    """The steps :func:`assess_teams` used to walk up front, from an analysis no one has read."""
    anchor = {
        Direction.STRATEGIC: AnchorKind.STRATEGY,
        Direction.ENABLING: AnchorKind.SERVED,
        Direction.PURPOSE: AnchorKind.PURPOSE,
    }
    if direction is not None and fresh.distance(goal_id, anchor[direction]) >= 0:
        return fresh.chain(goal_id, anchor[direction])
    return fresh.chain(goal_id)


@given(tangled_cascades(), st.randoms(use_true_random=False))
def test_deferred_steps_equal_the_eager_walk(c: Cascade, rnd: random.Random) -> None:
    ctx = CheckContext(c)
    teams = assess_teams(ctx, ())
    assert chain_analysis(ctx).walks == 0
    ctx.release()  # the chains keep the analysis, not the context
    pairs = [(team, chain) for team in teams for chain in team.chains]
    rnd.shuffle(pairs)  # the order chains are read in does not change them
    fresh = analyse_chains(c)
    for team, chain in pairs:
        assert chain.steps == _eager_steps(fresh, chain.goal, team.direction), chain.goal


def test_deferred_steps_follow_the_direction_not_the_nearest_anchor() -> None:
    c = cascade(
        "  - {id: o, team: ops, statement: O, supports: [{goal: s, mechanism: o moves s}]}\n"
        "  - {id: i1, team: it, statement: I, supports: [{goal: o, mechanism: i1 helps o}, {goal: s, mechanism: i1 moves s}]}\n"
        "  - {id: f, team: fac, statement: F, supports: [{goal: s, mechanism: f moves s}, {goal: f2, mechanism: f feeds f2}]}\n"
        "  - {id: f2, team: fac, statement: F2, supports: [{promise: safe, mechanism: f2 keeps it}]}\n"
    )
    chains = {chain.goal: chain for team in assess_teams(CheckContext(c), ()) for chain in team.chains}
    fresh = analyse_chains(c)
    # the nearest anchor of both is the strategic goal, one link away
    assert fresh.chain("i1") == (("i1", "i1 moves s"), ("s", None))
    assert fresh.chain("f") == (("f", "f moves s"), ("s", None))
    assert chains["i1"].steps == (("i1", "i1 helps o"), ("o", "o moves s"), ("s", None))
    assert chains["f"].steps == (("f", "f feeds f2"), ("f2", "f2 keeps it"), ("promise:safe", None))


# -- distances agree with a plain fixpoint over the links ------------------------------------------


def _fixpoint(n: int, sources: set[int], edges: set[tuple[int, int]]) -> list[int]:
    """Distance to the nearest source along ``edges`` (u -> v), by relaxing until nothing changes."""
    dist = [0 if u in sources else -1 for u in range(n)]
    changed = True
    while changed:
        changed = False
        for u, v in edges:
            if dist[v] >= 0 and u not in sources and (dist[u] < 0 or dist[v] + 1 < dist[u]):
                dist[u] = dist[v] + 1
                changed = True
    return dist


@pytest.mark.parametrize("share", [0.0, 1.0])
@given(c=tangled_cascades())
def test_distances_match_a_plain_fixpoint(share: float, c: Cascade) -> None:
    # share 0: explained searches always redo the whole search; 1: only the affected goals
    saved = chains_module._TAINT_SHARE
    chains_module._TAINT_SHARE = share
    try:
        analysis = analyse_chains(c)
    finally:
        chains_module._TAINT_SHARE = saved
    goals, n = c.goals, len(c.goals)
    first = {g.id: i for i, g in reversed(list(enumerate(goals)))}
    strategic = [c.level_of(g) is Level.STRATEGIC for g in goals]
    promises, has_purpose = c.promise_ids(), bool(c.organisation.purpose)
    edges: set[tuple[int, int]] = set()
    explained: set[tuple[int, int]] = set()
    purpose: set[int] = set()
    purpose_x: set[int] = set()
    for i, goal in enumerate(goals):
        for link in goal.supports:
            if link.target_kind is LinkTarget.GOAL:
                j = first.get(str(link.target_id))
                if j is not None and not strategic[i]:
                    edges.add((i, j))
                    if link.mechanism:
                        explained.add((i, j))
            elif (link.target_kind is LinkTarget.PROMISE and link.target_id in promises) or (
                link.target_kind is LinkTarget.PURPOSE and has_purpose
            ):
                purpose.add(i)
                if link.mechanism:
                    purpose_x.add(i)
    active = {i for i in range(n) if strategic[i] and goals[i].status is Status.ACTIVE}
    stale = {i for i in range(n) if strategic[i] and goals[i].status is not Status.ACTIVE}
    ds, xs = _fixpoint(n, active, edges), _fixpoint(n, active, explained)
    dp, xp = _fixpoint(n, purpose, edges), _fixpoint(n, purpose_x, explained)
    assert (analysis.dist_strategy, analysis.xdist_strategy) == (ds, xs)
    assert (analysis.dist_purpose, analysis.xdist_purpose) == (dp, xp)
    assert analysis.dist_stale == _fixpoint(n, stale, edges)
    served_teams = ServedTeams(c)
    served: set[int] = set()
    served_x: set[int] = set()
    for i, goal in enumerate(goals):
        for link in goal.supports:
            j = first.get(str(link.target_id)) if link.target_kind is LinkTarget.GOAL else None
            if j is None or strategic[i] or goals[j].team == goal.team:
                continue
            if not served_teams.serves(goal.team, goals[j], strategic[j]):
                continue
            if ds[j] >= 0 or dp[j] >= 0:
                served.add(i)
            if link.mechanism and (xs[j] >= 0 or xp[j] >= 0):
                served_x.add(i)
    same_team = {(u, v) for u, v in edges if goals[u].team == goals[v].team}
    assert analysis.dist_served == _fixpoint(n, served, same_team)
    assert analysis.xdist_served == _fixpoint(n, served_x, same_team & explained)


def test_the_analysis_shares_the_cascades_id_index() -> None:
    c = cascade("  - {id: a, team: ops, statement: A, supports: [{goal: s, mechanism: m}]}\n")
    assert analyse_chains(c).index is c.goal_positions()


def test_a_repeated_id_counts_as_its_first_goal() -> None:
    org = Organisation("Twice", purpose="P")
    teams = (Team("board", "Board"), Team("ops", "Ops", parent="board"))
    goals = (
        Goal("s", "board", "S", level=Level.STRATEGIC),
        Goal("a", "ops", "A", supports=(Link(LinkTarget.GOAL, "s", "m"),)),
        Goal("a", "ops", "A again"),
        Goal("b", "ops", "B", supports=(Link(LinkTarget.GOAL, "a", "m"),)),
    )
    c = Cascade(org, teams, goals)
    analysis = analyse_chains(c)
    assert c.goal_positions()["a"] == 2  # the cascade's own index keeps the last goal
    assert analysis.index["a"] == 1
    assert analysis.out[3] == [1]
    assert analysis.distance("b", AnchorKind.STRATEGY) == 2
