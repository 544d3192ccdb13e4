# ruff: noqa: E501  (the bad/good examples are YAML documents; their lines stay whole)
"""Conflicts: goals that pull against each other.

Teams that set goals without a view of the whole optimise locally: sales grows stock to promise
fast delivery while finance cuts the same stock to free cash. The ``conflicting-goals`` rule
reports two kinds of evidence:

* a **declared** ``hinders`` link, one finding per link: the document itself says that one goal
  hurts another, and somebody has to own the trade-off;
* two goals that push **the same measure in opposite directions**. The measure of a goal is
  read twice: from each KPI's name (normalised words, so "Days of stock cover" matches "days
  of stock-cover") and from the statement's metric (its main metric family plus the subject
  words around it, so "grow the inventory of spare parts" and "cut spare-parts inventory"
  share a measure). Directions are folded by the family's polarity: "reduce churn" and "raise
  retention" push one measure the same way.

Goals are grouped by measure key in one pass (a dictionary), so the rule is linear in the
number of goals; within a group, each goal on the smaller side is reported once, against a
few goals of the other side. Goals linked to each other by a ``supports`` link are never
reported as a conflict: the link says one serves the other, and the chain rules judge it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from operator import attrgetter
from typing import Any

from goalalign.domain.model import KPI, Change, LinkTarget, Status
from goalalign.engine.context import CheckContext
from goalalign.engine.findings import Hit, Ref
from goalalign.engine.rule import Option, rule
from goalalign.rules.echoes import (
    StatementAnalysis,
    hits_paused,
    kpi_change,
    statement_analysis,
)
from goalalign.text.similarity import CHANGE_WORDS, SLOT, Template, stem

__all__ = ["conflicting_goals", "measure_groups"]

_NOT_WORDS = frozenset(["#", "|", SLOT, *CHANGE_WORDS.values()])
"""The tokens that are no words of a measure: amounts, clause boundaries and verbs of change
(the only tokens that start with "#", "|" or "~"), and a template's plain-word slots (their
stems are added apart)."""

MeasureKey = tuple[str, str, tuple[str, ...]]
"""``("kpi", "", words)`` for a KPI name, ``("statement", family, subject words)`` for a
statement's metric; the words sorted (a tuple weighs a fraction of a frozenset, and the
rule groups every goal of the cascade by its keys)."""

_NAME = attrgetter("name")

_BAD = """goalalign: 1
organisation: {name: Northwind Parts, purpose: Keep our customers' machines running, as_of: 2026-02-01}
teams:
  - {id: exec, name: Executive}
  - {id: sales, name: Sales, parent: exec, direction: strategic}
  - {id: finance, name: Finance, parent: exec, direction: strategic}
goals:
  - id: s-delivery
    team: exec
    level: strategic
    statement: Raise next-day delivery of spare parts from 70% to 90% of orders by December 2026
    deadline: 2026-12
    last_reviewed: 2026-01-20
    kpis: [{name: Orders delivered next day, unit: percent, baseline: 70, target: 90, direction: increase, evidence: result}]
  - id: s-cash
    team: exec
    level: strategic
    statement: Raise free working cash from $40m to $52m by December 2026
    deadline: 2026-12
    last_reviewed: 2026-01-20
    kpis: [{name: Free working cash, unit: USD, baseline: "$40m", target: "$52m", direction: increase, evidence: result}]
  - id: sales-stock
    team: sales
    level: translational
    statement: Increase the stock of spare parts in regional depots from 20 to 35 days of cover by September 2026
    deadline: 2026-09
    last_reviewed: 2026-01-20
    supports:
      - {goal: s-delivery, mechanism: a part held in the nearest depot can be shipped the same evening}
    kpis: [{name: Days of spare-parts cover in regional depots, unit: day, baseline: 20, target: 35, direction: increase, evidence: result}]
  - id: finance-stock
    team: finance
    level: translational
    statement: Reduce the stock of spare parts in regional depots from 20 to 12 days of cover by September 2026
    deadline: 2026-09
    last_reviewed: 2026-01-20
    supports:
      - {goal: s-cash, mechanism: every day of cover ties up about $1.5m of cash in parts on shelves}
    kpis: [{name: Days of spare-parts cover in regional depots, unit: day, baseline: 20, target: 12, direction: decrease, evidence: result}]
"""

_GOOD = """goalalign: 1
organisation: {name: Northwind Parts, purpose: Keep our customers' machines running, as_of: 2026-02-01}
teams:
  - {id: exec, name: Executive}
  - {id: sales, name: Sales, parent: exec, direction: strategic}
  - {id: finance, name: Finance, parent: exec, direction: strategic}
goals:
  - id: s-delivery
    team: exec
    level: strategic
    statement: Raise next-day delivery of spare parts from 70% to 90% of orders by December 2026
    deadline: 2026-12
    last_reviewed: 2026-01-20
    kpis: [{name: Orders delivered next day, unit: percent, baseline: 70, target: 90, direction: increase, evidence: result}]
  - id: s-cash
    team: exec
    level: strategic
    statement: Raise free working cash from $40m to $52m by December 2026
    deadline: 2026-12
    last_reviewed: 2026-01-20
    kpis: [{name: Free working cash, unit: USD, baseline: "$40m", target: "$52m", direction: increase, evidence: result}]
  - id: sales-stock
    team: sales
    level: translational
    statement: Increase the stock of fast-moving spare parts in regional depots from 20 to 35 days of cover by September 2026
    deadline: 2026-09
    last_reviewed: 2026-01-20
    supports:
      - {goal: s-delivery, mechanism: a part held in the nearest depot can be shipped the same evening}
    kpis: [{name: Days of fast-moving parts cover in regional depots, unit: day, baseline: 20, target: 35, direction: increase, evidence: result}]
  - id: finance-stock
    team: finance
    level: translational
    statement: Reduce the stock of slow-moving spare parts in the central warehouse from 90 to 40 days of cover by September 2026
    deadline: 2026-09
    last_reviewed: 2026-01-20
    supports:
      - {goal: s-cash, mechanism: parts that sit for months tie up cash that fast-moving stock needs}
    kpis: [{name: Days of slow-moving parts cover in the central warehouse, unit: day, baseline: 90, target: 40, direction: decrease, evidence: result}]
"""


_SIGNS: dict[Change | None, int] = {Change.INCREASE: 1, Change.DECREASE: -1}
"""The side a direction takes; holding a measure, or no known direction, takes none."""


def measure_groups(analysis: StatementAnalysis) -> dict[MeasureKey, list[tuple[int, int, str]]]:
    """Active goals grouped by the measure they push: ``key -> [(goal, sign, source)]``.

    ``sign`` is +1 or -1 (holding a measure, or an unknown direction, takes no side and is
    left out). Statement signs are folded by the polarity of the family phrase, so a push
    that improves the measure is +1; KPI signs are the raw direction of the named quantity.
    ``source`` is the KPI's id, or ``""`` for the statement. Directions are looked up only for
    goals whose measure another goal shares.
    """
    return dict(_signed_groups(analysis))


def _signed_groups(
    analysis: StatementAnalysis,
) -> Iterator[tuple[MeasureKey, list[tuple[int, int, str]]]]:
    """The items of :func:`measure_groups`, in its order, made one at a time: the rule reads
    each group once, and a million goals' groups need not be held all at once."""
    kpis_of = analysis.cascade.kpis_of
    # Most measures have one goal: a key's sole member is kept as it is (the goal's position
    # for a statement key, the KPI, whose goal is found by id, for a KPI key), and a list is
    # made for the second.
    keys: dict[MeasureKey, int | KPI | list[int | KPI]] = {}
    kpi_words = _kpi_words(analysis)
    goals = analysis.goals
    families, subjects = analysis.metric_families, analysis.metric_subjects
    active = Status.ACTIVE
    for i in analysis.in_id_order():
        goal = goals[i]
        if goal.status is not active:
            continue
        family = families[i]
        if family is not None:
            key: MeasureKey = ("statement", family, subjects[i])
            known = keys.get(key)
            if known is None:
                keys[key] = i
            elif isinstance(known, list):
                known.append(i)
            else:
                keys[key] = [known, i]
        for kpi in kpis_of(goal.id):
            words = kpi_words[kpi.name]
            if words:
                key = ("kpi", "", words)
                known = keys.get(key)
                if known is None:
                    keys[key] = kpi
                elif isinstance(known, list):
                    known.append(kpi)
                else:
                    keys[key] = [known, kpi]
    change, sign_of, decrease = analysis.change, _SIGNS.get, Change.DECREASE
    position = analysis.position
    for key, members in keys.items():
        if not isinstance(members, list):
            continue
        signed: list[tuple[int, int, str]] = []
        for member in members:
            if isinstance(member, int):
                i = member
                sign = sign_of(change(i), 0)
                if sign and _polarity(analysis, i, key[1]) is decrease:
                    sign = -sign
                source = ""
            else:
                i = position[member.goal or ""]
                sign = sign_of(kpi_change(member) or change(i), 0)
                source = member.id
            if sign:
                signed.append((i, sign, source))
        if len(signed) > 1:
            yield key, signed


def _kpi_words(analysis: StatementAnalysis) -> dict[str, tuple[str, ...]]:
    """The words of every KPI name of the cascade (its tokens but amounts, boundaries and
    verbs of change, sorted), read by template with the analysis's reader."""
    # One dictionary of the distinct names, whose values become their words as they are read.
    words: dict[str, tuple[str, ...]] = dict.fromkeys(map(_NAME, analysis.cascade.kpis), ())
    fixed: dict[Template, frozenset[str]] = {}
    ordered: dict[Template, tuple[str, ...]] = {}
    for name, (template, stems) in zip(words, analysis.reader.read_many(words), strict=True):
        own = fixed.get(template)
        if own is None:
            own = fixed[template] = frozenset(template.tokens).difference(_NOT_WORDS)
            ordered[template] = tuple(sorted(own))
        words[name] = tuple(sorted(own.union(stems))) if stems else ordered[template]
    return words


def _polarity(analysis: StatementAnalysis, i: int, family: str) -> Change | None:
    for hit in analysis.family_hits(i):
        if hit.family == family:
            return hit.polarity
    return None


def _describe(analysis: StatementAnalysis, key: MeasureKey, i: int, source: str) -> str:
    """The measure as the goal writes it: the KPI's name, or the statement's own words."""
    if source:
        kpi = analysis.cascade.kpi(source)
        if kpi is not None:
            return kpi.name
    hit = next((h for h in analysis.family_hits(i) if h.family == key[1]), None)
    phrase = hit.phrase if hit is not None else key[1]
    return _shown(analysis.goals[i].statement, phrase, key[2])


def _shown(statement: str, phrase: str, subject: tuple[str, ...]) -> str:
    """The measure in the statement's own words: its family phrase and subject words."""
    words: list[str] = []
    for raw in statement.lower().replace("-", " ").split():
        word = raw.strip(".,;:()'\"")
        if word and stem(word) in subject and word not in words:
            words.append(word)
    return f"{phrase} ({' '.join(words)})" if words else phrase


def _supports_either(analysis: StatementAnalysis, i: int, j: int) -> bool:
    a, b = analysis.goals[i], analysis.goals[j]
    return any(link.target_id == b.id for link in a.supports) or any(
        link.target_id == a.id for link in b.supports
    )


@rule(
    name="conflicting-goals",
    code="GA804",
    family="conflicts",
    severity="warning",
    summary="Goals push the same measure in opposite directions, or one declares it hinders another.",
    rationale=(
        "Teams that optimise locally can cancel each other out: stock that sales builds up to "
        "deliver faster is the stock finance is cutting to free cash. Neither team is wrong; "
        "the organisation simply has not decided the trade-off, and both efforts are wasted "
        "until it does."
    ),
    fix=(
        "Bring the owners together to agree the trade-off: one shared target for the measure, "
        "or goals on distinct parts of it (different products, sites or customers)."
    ),
    options=[
        Option("max_related", 3, "Most goals of the other side named in one finding."),
    ],
    bad=_BAD,
    good=_GOOD,
    uses=(StatementAnalysis,),
)
def conflicting_goals(ctx: CheckContext, options: Mapping[str, Any]) -> Iterator[Hit]:
    yield from hits_paused(_conflicting_goals(ctx, options))


def _conflicting_goals(ctx: CheckContext, options: Mapping[str, Any]) -> Iterator[Hit]:
    analysis = statement_analysis(ctx)
    goals = analysis.goals
    position = analysis.position
    promises = ctx.cascade.promise_ids()
    declared: set[tuple[int, int]] = set()
    hindering = [i for i, goal in enumerate(goals) if goal.hinders]  # few goals: read once
    for i in hindering:
        goal = goals[i]
        if goal.status is Status.RETIRED:
            continue
        for link in goal.hinders:
            mechanism = link.mechanism or ""
            why = f": {mechanism}" if mechanism else " (no mechanism given)"
            if link.target_kind is LinkTarget.GOAL:
                j = position.get(link.target_id or "")
                if j is None or goals[j].status is Status.RETIRED:
                    continue  # dangling-link reports a missing goal; a retired one is moot
                declared.add((min(i, j), max(i, j)))
                yield Hit(
                    Ref.link(goal.id, goals[j].id),
                    f"{goal.id} (team {goal.team}) declares that it hinders {goals[j].id} "
                    f"(team {goals[j].team}){why}",
                    fix=(
                        f"Agree the trade-off between {goal.id} and {goals[j].id} with both "
                        "owners; change the goal so that it no longer hurts the other, or record "
                        "the accepted cost."
                    ),
                    related=(Ref.goal(goals[j].id),),
                    evidence={"kind": "declared", "target": goals[j].id, "mechanism": link.mechanism},
                )
            elif link.target_kind is LinkTarget.PROMISE and link.target_id in promises:
                yield Hit(
                    Ref.link(goal.id, link.target_id),
                    f"{goal.id} declares that it hinders the promise {link.target_id}{why}",
                    evidence={"kind": "declared", "target": link.target_id, "mechanism": link.mechanism},
                )
            elif link.target_kind is LinkTarget.PURPOSE:
                yield Hit(
                    Ref.link(goal.id, "purpose"),
                    f"{goal.id} declares that it hinders the organisation's purpose{why}",
                    evidence={"kind": "declared", "target": "purpose", "mechanism": link.mechanism},
                )
    max_related = max(1, int(options["max_related"]))
    rank = analysis.rank
    reported: set[int] = set()
    for key, members in _signed_groups(analysis):
        up = [m for m in members if m[1] > 0]
        down = [m for m in members if m[1] < 0]
        if not up or not down:
            continue
        if len(up) != len(down):
            minority, majority = (up, down) if len(up) < len(down) else (down, up)
        else:
            later = rank[up[0][0]] > rank[down[0][0]]
            minority, majority = (up, down) if later else (down, up)
        for i, _, source in minority:
            if i in reported:
                continue
            others: list[tuple[int, str]] = []
            for j, _, other_source in majority[: 4 * max_related]:
                if j == i or _supports_either(analysis, i, j):
                    continue
                if (min(i, j), max(i, j)) in declared:
                    continue
                others.append((j, other_source))
                if len(others) >= max_related:
                    break
            if not others:
                continue
            reported.add(i)
            goal = goals[i]
            shown = _describe(analysis, key, i, source)
            first = others[0][0]
            first_shown = _describe(analysis, key, first, others[0][1])
            mine = analysis.change(i)
            theirs = analysis.change(first)
            kind = "KPI" if key[0] == "kpi" else "metric"
            yield Hit(
                Ref.goal(goal.id),
                f"{goal.id} (team {goal.team}) pushes {shown!r} "
                f"{'up' if mine is Change.INCREASE else 'down'}, while {goals[first].id} "
                f"(team {goals[first].team}) pushes {first_shown!r} "
                f"{'up' if theirs is Change.INCREASE else 'down'}"
                + (f" (and {len(others) - 1} more)" if len(others) > 1 else ""),
                related=tuple(Ref.goal(goals[j].id) for j, _ in others),
                evidence={
                    "kind": f"opposite-{kind}",
                    "measure": shown,
                    "family": key[1] or None,
                    "subject_words": sorted(key[2]),
                    "direction": None if mine is None else mine.value,
                    "opposed_by": [goals[j].id for j, _ in others],
                    "opposed_direction": None if theirs is None else theirs.value,
                    "same_side": len(minority),
                    "other_side": len(majority),
                },
            )
