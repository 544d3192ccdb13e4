"""Large, realistic, deterministic cascade documents for benchmarks and scale tests.

:func:`generate_document` builds the shape the product's figures are stated for (SPEC §7):
about one team per hundred goals in an organisation chart, goals on six levels that link
upward, about 10% cross-links, KPIs on most goals and mechanisms on links, with varied
statements made from small templates and team-specific place names. The cascade is a
looked-after one (deadlines within the parents', recent reviews) with a share of goals given one
planted defect each (``defect_rate``), so benchmarks exercise every rule without drowning in
findings. It uses only :mod:`random` and plain dicts, linear in the number of goals, so a
million goals take seconds; :func:`write_document` streams the goals to a JSON file without
holding them all in memory.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["generate_document", "iter_goals", "write_document"]

_METRICS = (
    ("cost per order", "USD", "decrease"),
    ("sites audited for safety", "count", "increase"),
    ("on-time delivery", "percent", "increase"),
    ("first-contact resolution", "percent", "increase"),
    ("recurring revenue", "USD", "increase"),
    ("operating cost", "USD", "decrease"),
    ("cost of rework", "EUR", "decrease"),
    ("repeat orders", "count", "increase"),
    ("new enterprise customers", "count", "increase"),
    ("order cycle time", "day", "decrease"),
    ("time to hire", "day", "decrease"),
    ("days to close the books", "day", "decrease"),
    ("system availability", "percent", "maintain"),
    ("patient follow-ups", "count", "increase"),
)
_STRATEGIC_METRICS = (
    ("recurring revenue", "USD", "increase"),
    ("operating cost", "USD", "decrease"),
    ("customer retention", "percent", "increase"),
    ("safety incidents", "count", "decrease"),
    ("employee engagement", "percent", "increase"),
    ("carbon emissions per site", "count", "decrease"),
)
"""What the board measures; the teams below measure the drivers in :data:`_METRICS`."""
_PLACES = (
    "in the northern region",
    "for enterprise customers",
    "across all sites",
    "in the APAC market",
    "for small-business accounts",
    "in the retail channel",
    "for new hires",
    "at the two largest plants",
    "in online sales",
    "for priority patients",
)
_TEMPLATES = {
    "increase": (
        "Increase {metric} {place} from {a} to {b} by {when}",
        "Grow {metric} {place} by {pct}% by {when}",
        "Lift {metric} {place} to {b} by {when}",
        "Raise {metric} {place} from {a} to {b} by {when}",
    ),
    "decrease": (
        "Reduce {metric} {place} from {a} to {b} by {when}",
        "Cut {metric} {place} by {pct}% by {when}",
        "Bring {metric} {place} down to {b} by {when}",
    ),
    "maintain": (
        "Keep {metric} {place} at {a} or better through {when}",
        "Hold {metric} {place} at {a} until {when}",
    ),
}
_MECHANISMS = (
    "faster handling frees capacity the parent result depends on",
    "each retained customer adds recurring revenue to the parent goal",
    "fewer defects mean fewer returns, which lowers cost",
    "better data lets the served team target the right accounts",
    "shorter lead times let sales promise earlier delivery dates",
    "safer sites avoid stoppages that delay every downstream result",
    "the new channel brings customers the parent goal counts",
    "quicker hiring fills the roles that carry the parent target",
)
_DEADLINES = ("2026-09-30", "2026-Q4", "2026-12", "2027-Q2", "2027-06", "FY2027", "2027")
"""Deadlines in order of their end dates, so "not after the parent's" is a comparison of indexes."""
_DEADLINE_WORDS = {
    "2026-12": "December 2026",
    "2027-Q2": "Q2 2027",
    "2026-09-30": "30 September 2026",
    "FY2027": "the end of FY2027",
    "2027": "2027",
    "2026-Q4": "Q4 2026",
    "2027-06": "June 2027",
}
_LEVEL_NAMES = ("strategic", "translational", "translational", "operational")
_EVIDENCE = ("result",)


def _layer_sizes(n_goals: int, levels: int) -> list[int]:
    """Goals per level: a handful of strategic goals, growing geometrically downwards."""
    if n_goals <= 0:
        return []
    levels = max(1, min(levels, n_goals))
    strategic = max(1, min(8, n_goals // 20 or 1))
    if levels == 1:
        return [n_goals]
    rest = n_goals - strategic
    growth = max(1.0, (rest / strategic) ** (1.0 / (levels - 1)))
    weights = [growth**k for k in range(1, levels)]
    total = sum(weights)
    sizes = [max(1, int(rest * w / total)) for w in weights]
    while sum(sizes) > rest:
        largest = max(range(len(sizes)), key=sizes.__getitem__)
        if sizes[largest] > 1:
            sizes[largest] -= 1
        else:
            sizes.pop()
    sizes[-1] += rest - sum(sizes)
    return [strategic, *sizes]


def _team_ids(n_teams: int) -> list[str]:
    return ["board" if i == 0 else f"t{i}" for i in range(n_teams)]


def _teams(n_teams: int, rng: random.Random) -> list[dict[str, Any]]:
    """An organisation chart eight teams wide per parent; some enabling and purpose teams."""
    ids = _team_ids(n_teams)
    teams: list[dict[str, Any]] = []
    for i, team_id in enumerate(ids):
        team: dict[str, Any] = {"id": team_id, "name": f"Team {i}" if i else "Board"}
        if i:
            team["parent"] = ids[(i - 1) // 8]
            roll = rng.random()
            if roll < 0.08 and n_teams > 3:
                team["direction"] = "enabling"
                others = n_teams - 1
                # earlier teams, so that their goals exist when this team's goals link to them
                team["serves"] = [ids[1 + (i - 3) % others], ids[1 + (i - 2) % others]]
            elif roll < 0.12:
                team["direction"] = "purpose"
            elif roll < 0.7:
                team["direction"] = "strategic"
        teams.append(team)
    return teams


def _amounts(unit: str, direction: str, rng: random.Random) -> tuple[Any, Any]:
    if unit == "percent":
        base = rng.randrange(10, 80)
        step = rng.randrange(2, 15)
    elif unit in ("USD", "EUR"):
        base = rng.randrange(1, 500) * 100_000
        step = max(1, base // rng.randrange(3, 10) // 100_000) * 100_000
    elif unit == "day":
        base = rng.randrange(5, 60)
        step = max(1, base // rng.randrange(2, 5))
    else:
        base = rng.randrange(10, 5000)
        step = max(1, base // rng.randrange(3, 8))
    if direction == "decrease":
        return base, base - step
    if direction == "maintain":
        return base, base
    return base, base + step


def _shown(value: int, unit: str) -> str:
    if unit == "percent":
        return f"{value}%"
    if unit in ("USD", "EUR"):
        sign = "$" if unit == "USD" else "€"
        return f"{sign}{value / 1e6:.1f}m" if value >= 1_000_000 else f"{sign}{value:,}"
    if unit == "day":
        return f"{value} days"
    return f"{value:,}"


_DEFECTS = (
    "late-deadline",
    "stale-review",
    "unexplained-link",
    "activity-kpi",
    "no-baseline",
    "no-deadline",
    "duplicate",
    "mini-me",
)
"""The defects :func:`iter_goals` plants, one per affected goal, in turn."""


_SYLLABLES = ("ka", "lo", "mi", "ra", "ven", "to", "sel", "dor", "fa", "nu", "rin", "bel", "os",
              "tar", "qui", "zen")


def _site_name(number: int) -> str:
    """A made-up place name unique to a team ("Kalomi"), so teams' statements differ in words.

    Real teams name their own products, sites and customers; without that, template wording
    would make goals of unrelated teams look like duplicates of each other.
    """
    number = number * 40503 % 65536 + number // 65536 * 65536  # a bijection; spreads neighbours
    syllables = []
    for _ in range(3):
        number, digit = divmod(number, len(_SYLLABLES))
        syllables.append(_SYLLABLES[digit])
    while number:
        number, digit = divmod(number, len(_SYLLABLES))
        syllables.append(_SYLLABLES[digit])
    return "".join(syllables).capitalize()


def iter_goals(
    n_goals: int,
    *,
    seed: int = 0,
    teams: int | None = None,
    levels: int = 6,
    cross_link_ratio: float = 0.1,
    kpi_ratio: float = 0.8,
    defect_rate: float = 0.05,
) -> Iterator[dict[str, Any]]:
    """The goals of :func:`generate_document`, one dict at a time (same arguments)."""
    rng = random.Random(seed * 7919 + 1)
    n_teams = teams if teams is not None else max(1, n_goals // 100)
    team_ids = _team_ids(n_teams)
    sizes = _layer_sizes(n_goals, levels)
    starts = [sum(sizes[:k]) for k in range(len(sizes))]
    goals_per_team = max(1, -(-(n_goals - sizes[0]) // max(1, n_teams - 1))) if sizes else 1
    rand, randrange = rng.random, rng.randrange
    n_places = len(_PLACES)
    latest = len(_DEADLINES) - 1
    copied = ["Grow repeat orders by 5% by 2027"] * 64  # statements a planted duplicate copies
    # The chart _head makes (same seed, same draws): a team's direction decides what its
    # goals support, as in a looked-after cascade.
    chart = _teams(n_teams, random.Random(seed))
    number_of = {team_id: number for number, team_id in enumerate(team_ids)}
    direction_of = [team.get("direction") for team in chart]
    served_by = [[number_of[s] for s in team.get("serves", ())] for team in chart]
    goals_of_team: list[list[int]] = [[] for _ in range(n_teams)]
    # per layer, the goals made so far that lead to the strategy (not a purpose team's)
    leading: list[list[int]] = [[] for _ in sizes]
    deadline_of = bytearray(n_goals)  # index into _DEADLINES per goal, for the children's bound
    index = 0
    for layer, size in enumerate(sizes):
        level = _LEVEL_NAMES[min(layer, len(_LEVEL_NAMES) - 1)]
        for _ in range(size):
            defect = _DEFECTS[randrange(len(_DEFECTS))] if rand() < defect_rate else None
            pool = _STRATEGIC_METRICS if layer == 0 or defect == "mini-me" else _METRICS
            metric, unit, direction = pool[randrange(len(pool))]
            a, b = _amounts(unit, direction, rng)
            if layer == 0 or n_teams == 1:
                team_number = 0
            else:
                team_number = 1 + min(n_teams - 2, (index - sizes[0]) // goals_per_team)
            team = team_ids[team_number]
            targets: list[int] = []
            promise: str | None = None
            if layer:
                above = _above(leading, layer, rng)
                if above < 0:  # no goal above leads to the strategy: any goal of the layer
                    above = starts[layer - 1] + randrange(sizes[layer - 1])
                targets.append(_supported(
                    direction_of[team_number],
                    [goals_of_team[t] for t in served_by[team_number]],
                    above,
                    rng,
                ))
                if targets[0] < 0:  # a purpose team's goal keeps a promise
                    targets.clear()
                    promise = _PROMISES[randrange(len(_PROMISES))]["id"]
                elif rand() < cross_link_ratio:
                    other = randrange(starts[layer])
                    if other != targets[0]:
                        targets.append(other)
            bound = min((deadline_of[t] for t in targets), default=latest)
            if defect == "late-deadline" and bound < latest:
                when = bound + 1 + randrange(latest - bound)
            else:
                when = bound if rand() < 0.5 else randrange(bound + 1)
            deadline_of[index] = when
            deadline = _DEADLINES[when]
            place = f"{_PLACES[randrange(n_places)]} at {_site_name(team_number)}"
            templates = _TEMPLATES[direction]
            statement = templates[randrange(len(templates))].format(
                metric=metric,
                place=place,
                a=_shown(a, unit),
                b=_shown(b, unit),
                pct=randrange(5, 40),
                when=_DEADLINE_WORDS[deadline],
            )
            if defect == "duplicate" and index > sizes[0]:
                statement = copied[randrange(len(copied))]
            if index % 37 == 0:  # keep copies of goals from many teams
                copied[index // 37 % len(copied)] = statement
            goal: dict[str, Any] = {
                "id": f"g{index}",
                "team": team,
                "level": level,
                "statement": statement,
            }
            if defect != "no-deadline":
                goal["deadline"] = deadline
            else:
                goal["statement"] = statement.rsplit(" by ", 1)[0].rsplit(" until ", 1)[0]
            if rand() < 0.7 or defect == "stale-review":
                month = 1 if defect == "stale-review" else 3 + randrange(3)
                goal["last_reviewed"] = f"2026-0{month}-{10 + randrange(18)}"
            if targets:
                goal["supports"] = [
                    _link_to(f"g{target}", rng, explained=defect != "unexplained-link")
                    for target in targets
                ]
            elif promise is not None:
                goal["supports"] = [
                    _link_to(promise, rng, explained=defect != "unexplained-link", kind="promise")
                ]
            goals_of_team[team_number].append(index)
            if direction_of[team_number] != "purpose":
                leading[layer].append(index)
            if index and rand() < 0.01:
                goal["hinders"] = [
                    {"goal": f"g{randrange(index)}", "mechanism": "both draw on one budget"}
                ]
            if rand() < kpi_ratio:
                kpi: dict[str, Any] = {
                    "name": f"{metric.capitalize()} {place}",
                    "unit": unit,
                    "baseline": a,
                    "target": b,
                    "direction": direction,
                }
                if unit == "USD" and rand() < 0.3:
                    kpi["target"] = f"${b / 1e6:.1f}m" if b >= 1_000_000 else f"{b} USD"
                if layer == 0 and unit in ("USD", "EUR", "count"):
                    kpi["aggregation"] = "sum"
                if rand() < 0.5:
                    kpi["evidence"] = _EVIDENCE[randrange(len(_EVIDENCE))]
                if defect == "activity-kpi":
                    kpi.update(name=f"Review meetings held {place}", unit="count")
                    kpi.update(evidence="activity", baseline=4, target=12, direction="increase")
                elif defect == "no-baseline":
                    del kpi["baseline"]
                goal["kpis"] = [kpi]
            yield goal
            index += 1


def _above(leading: list[list[int]], layer: int, rng: random.Random) -> int:
    """A goal that leads to the strategy from the nearest layer above ``layer`` that has one
    (a purpose team may own a whole layer), or -1 when none does."""
    for above in range(layer - 1, -1, -1):
        found = leading[above]
        if found:
            return found[rng.randrange(len(found))]
    return -1


def _supported(
    direction: str | None, served: list[list[int]], above: int, rng: random.Random
) -> int:
    """The goal a new goal supports: ``above`` (a goal of the layer above), a goal of a served
    team for an enabling team (``served`` holds each served team's goals made so far; one is
    picked when any exists), or -1 for a purpose team's goal, which keeps a promise instead."""
    if direction == "purpose":
        return -1
    if direction == "enabling":
        pick = sum(map(len, served))
        if pick:
            pick = rng.randrange(pick)
            for goals in served:  # the goal at position ``pick`` of the teams' goals in turn
                if pick < len(goals):
                    return goals[pick]
                pick -= len(goals)
    return above


def _link_to(
    target: str, rng: random.Random, *, explained: bool = True, kind: str = "goal"
) -> Any:
    """A link to ``target`` (a goal or a promise), with a mechanism unless ``explained`` is
    false; an unexplained goal link takes the short form, a bare id."""
    if explained:
        return {kind: target, "mechanism": _MECHANISMS[rng.randrange(len(_MECHANISMS))]}
    return target if kind == "goal" else {kind: target}


_PROMISES = (
    {"id": "safe-work", "statement": "Everyone goes home safe at the end of the day"},
    {"id": "fair-price", "statement": "Customers pay a fair and predictable price"},
)


def _head(n_goals: int, seed: int, teams: int | None) -> dict[str, Any]:
    rng = random.Random(seed)
    n_teams = teams if teams is not None else max(1, n_goals // 100)
    return {
        "goalalign": 1,
        "organisation": {
            "name": f"Generated Organisation {seed}",
            "purpose": "Dependable products and services for the customers who rely on us",
            "promises": [dict(promise) for promise in _PROMISES],
            "as_of": "2026-06-01",
        },
        "teams": _teams(n_teams, rng),
    }


def generate_document(
    n_goals: int,
    *,
    seed: int = 0,
    teams: int | None = None,
    levels: int = 6,
    cross_link_ratio: float = 0.1,
    kpi_ratio: float = 0.8,
    defect_rate: float = 0.05,
) -> dict[str, Any]:
    """A valid schema-v1 document with ``n_goals`` goals, the same for the same arguments.

    ``teams`` defaults to one per hundred goals; ``levels`` is the depth of the goal cascade
    (strategic, then translational, then operational); ``cross_link_ratio`` is the share of
    goals with a second support link; ``kpi_ratio`` the share of goals with a KPI.
    ``defect_rate`` is the share of goals given one planted defect (a deadline after the
    parent's, a stale review, a link without a mechanism, an activity KPI, a KPI without a
    baseline, no deadline): the rest keep their deadlines within their parents', are reviewed
    within the quarter and explain their links, like a cascade that has been looked after.
    Template wording still makes some goals echo the strategy or each other, as in life.
    """
    document = _head(n_goals, seed, teams)
    document["goals"] = list(
        iter_goals(
            n_goals,
            seed=seed,
            teams=teams,
            levels=levels,
            cross_link_ratio=cross_link_ratio,
            kpi_ratio=kpi_ratio,
            defect_rate=defect_rate,
        )
    )
    return document


def write_document(path: str | Path, n_goals: int, seed: int = 0, **kw: Any) -> Path:
    """Write :func:`generate_document`'s document as JSON to ``path``, streaming the goals."""
    path = Path(path)
    head = _head(n_goals, seed, kw.get("teams"))
    with path.open("w", encoding="utf-8") as out:
        out.write(json.dumps(head, ensure_ascii=False)[:-1])
        out.write(', "goals": [')
        for number, goal in enumerate(iter_goals(n_goals, seed=seed, **kw)):
            if number:
                out.write(",\n")
            out.write(json.dumps(goal, ensure_ascii=False))
        out.write("]}\n")
    return path
