# ruff: noqa: E501  (the bad/good examples are YAML documents; their lines stay whole)
"""Direction rules: is each team anchored in the direction that fits it?

They read the direction analysis (:mod:`goalalign.analysis.directions`), which takes a team's
declared direction or infers one from where its goals' chains end.

``forced-alignment`` decides whether a mechanism is *generic* with a deliberately small,
documented heuristic (see :func:`is_generic_mechanism`): a missing mechanism, one shorter than
``min_words`` words, one containing a stock phrase (``generic_phrases``), or one whose content
words mostly restate the strategic goal it points at (``echo_ratio``). All three thresholds are
rule options.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from goalalign.analysis.chains import chain_analysis
from goalalign.analysis.directions import direction_analysis
from goalalign.domain.model import Direction, LinkTarget, Status
from goalalign.engine.context import CheckContext
from goalalign.engine.findings import Hit, Ref
from goalalign.engine.rule import Option, rule

__all__ = [
    "GENERIC_PHRASES",
    "direction_mismatch",
    "forced_alignment",
    "is_generic_mechanism",
    "undetermined_direction",
]

GENERIC_PHRASES: tuple[str, ...] = (
    "adds value",
    "aligned with",
    "aligns with",
    "contributes to the goal",
    "contributes to the strategy",
    "drives growth",
    "helps achieve",
    "helps the organisation",
    "improves efficiency",
    "improves productivity",
    "in line with",
    "increases efficiency",
    "increases productivity",
    "reduces costs",
    "reduces spending",
    "saves money",
    "supports the business",
    "supports the goal",
    "supports the strategy",
)
"""Stock phrases that claim a contribution without saying how it happens."""

_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    ["a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "into", "is", "it", "its", "of", "on", "or", "our", "so", "that", "the", "their", "this", "to", "we", "with", "more", "less", "better", "higher", "lower"]
)


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _stem(word: str) -> str:
    """A crude stem, enough to match ``improves`` with ``improve`` and ``costs`` with ``cost``."""
    for suffix in ("ing", "es", "ed", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def is_generic_mechanism(
    mechanism: str | None,
    target_statement: str,
    *,
    min_words: int = 5,
    echo_ratio: float = 0.6,
    phrases: Sequence[str] = GENERIC_PHRASES,
) -> str | None:
    """Why ``mechanism`` is missing or generic for a link to ``target_statement``, or ``None``.

    >>> is_generic_mechanism("cheaper briefs reduce spending", "Reduce expenditure by 8%")
    'it is only 4 words long'
    >>> is_generic_mechanism(None, "Raise corporate productivity")
    'it has no mechanism'
    """
    if not mechanism or not mechanism.strip():
        return "it has no mechanism"
    words = _words(mechanism)
    if len(words) < min_words:
        return f"it is only {len(words)} words long"
    text = " ".join(words)
    for phrase in phrases:
        if phrase.lower() in text:
            return f"it rests on the stock phrase {phrase!r}"
    content = {_stem(w) for w in words if w not in _STOP and len(w) > 2}
    target = {_stem(w) for w in _words(target_statement) if w not in _STOP and len(w) > 2}
    if content and len(content & target) / len(content) >= echo_ratio:
        return "it restates the strategic goal instead of saying how it is moved"
    return None


_HEAD = """goalalign: 1
organisation:
  name: Harbourside Council
  purpose: A thriving, well-run town for the people who live and work in it
  promises:
    - {id: safe-venues, statement: Every council venue is safe and open when advertised}
  as_of: 2026-02-01
"""

_STRATEGY = """  - id: s-footfall
    team: council
    level: strategic
    statement: Raise weekday foot traffic in the central district from 18,000 to 24,000 people a day by 2027
    deadline: 2027
    kpis: [{name: Weekday foot traffic in the central district, unit: 1/day, baseline: 18000, target: 24000, direction: increase, evidence: result}]
  - id: ecodev-events
    team: ecodev
    level: translational
    statement: Raise yearly visitor spending at precinct events from $1.2m to $1.6m by December 2026
    deadline: 2026-12
    supports:
      - {goal: s-footfall, mechanism: visitors who spend well at an event come back to the district's shops on weekdays}
    kpis: [{name: Visitor spending at precinct events, unit: USD, baseline: "$1.2m", target: "$1.6m", direction: increase, evidence: result}]
"""

_IT_FIELD = """  - id: it-field
    team: it
    level: operational
    statement: Cut technology disruptions at field events from 6 in 2025 to none in 2026
    deadline: 2026-12
    supports:
      - {goal: %s, mechanism: a forum whose registration or payment systems fail loses its attendees}
    kpis: [{name: Events disrupted by technology failure, unit: count, baseline: 6, target: 0, direction: decrease}]
"""


def _teams(it_direction: str) -> str:
    return f"""teams:
  - {{id: council, name: Council Executive}}
  - {{id: ecodev, name: Economic Development, parent: council, direction: strategic}}
  - {{id: it, name: Information Technology, parent: council, direction: {it_direction}, serves: [ecodev]}}
"""


@rule(
    name="direction-mismatch",
    code="GA301",
    family="directions",
    severity="warning",
    summary="A team's declared direction contradicts where its goals' chains lead.",
    rationale=(
        "A declared direction is a claim about what the team is for: strategic teams move "
        "strategic goals, enabling teams move the results of the teams they serve, purpose "
        "teams keep the organisation's promises. When the goals reach anchors, but none of the "
        "declared kind, either the declaration or the goals are wrong, and the team is being "
        "judged against the wrong anchor."
    ),
    fix="Re-anchor the goals to the declared direction, or correct the declared direction.",
    bad=_HEAD + _teams("enabling") + "goals:\n" + _STRATEGY + _IT_FIELD % "s-footfall",
    good=_HEAD + _teams("enabling") + "goals:\n" + _STRATEGY + _IT_FIELD % "ecodev-events",
)
def direction_mismatch(ctx: CheckContext, options: Mapping[str, Any]) -> Iterator[Hit]:
    """One finding per team whose anchored goals all miss the declared direction's anchor."""
    directions = direction_analysis(ctx)
    for team_id in sorted(directions.teams):
        record = directions.teams[team_id]
        if not record.contradicted or record.declared is None:
            continue
        reached = ", ".join(f"{k} ({len(v)})" for k, v in sorted(record.evidence.items()))
        expected = {
            Direction.STRATEGIC: "an active or past strategic goal",
            Direction.ENABLING: "a goal of a team it serves",
            Direction.PURPOSE: "a promise or the organisation's purpose",
        }[record.declared]
        yield Hit(
            Ref.team(team_id),
            f"team {team_id!r} is declared {record.declared.value}, but none of its goals "
            f"reaches {expected}; they anchor as: {reached}",
            evidence={
                "declared": record.declared.value,
                "inferred": None if record.inferred is None else record.inferred.value,
                "goals": {k: list(v) for k, v in record.evidence.items()},
            },
        )


@rule(
    name="forced-alignment",
    code="GA302",
    family="directions",
    severity="warning",
    summary="A support or purpose team's goal is tied straight to a strategic goal with a generic or missing mechanism.",
    rationale=(
        "Not every team belongs in the strategy. A support team told to find itself there "
        "picks whatever strategic goal sounds closest (usually productivity or cost) and "
        "claims it with a stock phrase; the link looks aligned and drives work nobody needs. "
        "Its honest anchor is what the teams it serves need from it, or, for a purpose team, "
        "the promise it keeps."
    ),
    fix="Link the goal to the goals of the teams it serves (enabling) or to a promise or the purpose (purpose), with the mechanism.",
    options=[
        Option("min_words", 5, "Mechanisms with fewer words than this are generic."),
        Option(
            "echo_ratio",
            0.6,
            "Share of the mechanism's content words found in the strategic goal's statement "
            "from which the mechanism merely restates it.",
        ),
        Option(
            "generic_phrases",
            list(GENERIC_PHRASES),
            "Stock phrases that make a mechanism generic.",
        ),
    ],
    bad=_HEAD
    + _teams("enabling")
    + "goals:\n"
    + _STRATEGY
    + _IT_FIELD % "ecodev-events"
    + """  - id: it-tickets
    team: it
    level: operational
    statement: Resolve IT support tickets in 6 hours instead of 8 by December 2026
    deadline: 2026-12
    supports:
      - {goal: s-footfall, mechanism: improves productivity}
    kpis: [{name: Median ticket resolution time, unit: hour, baseline: 8, target: 6, direction: decrease}]
""",
    good=_HEAD
    + _teams("enabling")
    + "goals:\n"
    + _STRATEGY
    + _IT_FIELD % "ecodev-events"
    + """  - id: it-tickets
    team: it
    level: operational
    statement: Resolve IT support tickets in 6 hours instead of 8 by December 2026
    deadline: 2026-12
    supports:
      - {goal: ecodev-events, mechanism: event staff whose laptops are fixed the same day can still publish the next event's bookings}
    kpis: [{name: Median ticket resolution time, unit: hour, baseline: 8, target: 6, direction: decrease}]
""",
)
def forced_alignment(ctx: CheckContext, options: Mapping[str, Any]) -> Iterator[Hit]:
    """One finding per goal of an enabling or purpose team with a generic link to strategy."""
    cascade = ctx.cascade
    chains = chain_analysis(ctx)
    directions = direction_analysis(ctx)
    min_words = int(options.get("min_words", 5))
    echo_ratio = float(options.get("echo_ratio", 0.6))
    phrases = tuple(str(p) for p in options.get("generic_phrases", GENERIC_PHRASES))
    goals = cascade.goals
    # The teams whose goals can be forced, found once per team rather than once per goal.
    support_teams = {
        team_id: record
        for team_id, record in directions.teams.items()
        if record.direction in (Direction.ENABLING, Direction.PURPOSE)
    }
    for goal in goals:
        if goal.status is not Status.ACTIVE or not goal.supports:
            continue
        record = support_teams.get(goal.team)
        if record is None:
            continue
        reasons: dict[str, str] = {}
        genuine: set[str] = set()
        for link in goal.supports:
            if link.target_kind is not LinkTarget.GOAL or link.target_id is None:
                continue
            j = chains.index.get(link.target_id)
            if j is None or not chains.is_strategic[j] or goals[j].team == goal.team:
                continue
            why = is_generic_mechanism(
                link.mechanism,
                goals[j].statement,
                min_words=min_words,
                echo_ratio=echo_ratio,
                phrases=phrases,
            )
            if why is None:
                genuine.add(link.target_id)
            elif link.target_id not in reasons or why < reasons[link.target_id]:
                reasons[link.target_id] = why
        # A strategic goal also reached by a link with a real story is not forced.
        for target_id in genuine:
            reasons.pop(target_id, None)
        if not reasons:
            continue
        direction = record.direction
        assert direction is not None
        targets = sorted(reasons)
        team = cascade.team(goal.team)
        if direction is Direction.ENABLING:
            served = sorted(team.serves) if team is not None and team.serves else []
            where = (
                "the goals of the teams it serves (" + ", ".join(served) + ")"
                if served
                else "the goals of the teams it serves"
            )
        else:
            promises = sorted(cascade.promise_ids())
            where = "the organisation's purpose" + (
                " or a promise (" + ", ".join(promises) + ")" if promises else ""
            )
        how = "; ".join(f"{t}: {reasons[t]}" for t in targets)
        yield Hit(
            Ref.goal(goal.id),
            f"goal {goal.id!r} of {direction.value} team {goal.team!r} is tied straight to "
            f"strategic goal(s) {', '.join(targets)} ({how})",
            fix=f"Anchor {goal.id!r} to {where}, saying how its result helps them.",
            related=tuple(Ref.goal(t) for t in targets),
            evidence={"direction": direction.value, "inferred": record.is_inferred, "reasons": reasons},
        )


@rule(
    name="undetermined-direction",
    code="GA303",
    family="directions",
    severity="info",
    summary="A team's direction is neither declared nor inferable from its goals.",
    rationale=(
        "Without a direction a team cannot be asked the right question about its goals. The "
        "direction is inferred from where the team's chains end; when none of them ends "
        "anywhere, the active goals' own findings (orphan or broken chains) say what is "
        "wrong, so this team-level note is information only. A team whose goals are all "
        "deprioritised or retired is reported too (nothing active says what it is for); a "
        "team that owns no goal at all is not: it has nothing to align."
    ),
    fix="Declare the team's `direction:` (strategic, enabling or purpose) and anchor its goals to it.",
    bad=_HEAD
    + """teams:
  - {id: council, name: Council Executive}
  - {id: ecodev, name: Economic Development, parent: council, direction: strategic}
  - {id: depot, name: Depot, parent: council}
goals:
"""
    + _STRATEGY
    + """  - id: depot-fleet
    team: depot
    level: operational
    status: deprioritised
    statement: Keep 95% of the council fleet roadworthy each day in 2026, up from 88%
    deadline: 2026-12
    kpis: [{name: Share of fleet roadworthy each day, unit: percent, baseline: 88, target: 95, direction: increase}]
""",
    good=_HEAD
    + """teams:
  - {id: council, name: Council Executive}
  - {id: ecodev, name: Economic Development, parent: council, direction: strategic}
  - {id: depot, name: Depot, parent: council, direction: purpose}
goals:
"""
    + _STRATEGY
    + """  - id: depot-fleet
    team: depot
    level: operational
    status: deprioritised
    statement: Keep 95% of the council fleet roadworthy each day in 2026, up from 88%
    deadline: 2026-12
    kpis: [{name: Share of fleet roadworthy each day, unit: percent, baseline: 88, target: 95, direction: increase}]
""",
)
def undetermined_direction(ctx: CheckContext, options: Mapping[str, Any]) -> Iterator[Hit]:
    """One finding per team with goals, no declared direction and none inferable."""
    directions = direction_analysis(ctx)
    for team_id in sorted(directions.teams):
        record = directions.teams[team_id]
        if record.direction is not None or record.goals == 0:
            continue
        if record.active_goals:
            why = f"none of its {record.active_goals} active goal(s) reaches an anchor"
        else:
            why = f"none of its {record.goals} goal(s) is active"
        yield Hit(
            Ref.team(team_id),
            f"team {team_id!r} declares no direction and {why} to infer one from",
            evidence={"unanchored": list(record.unanchored)},
        )
