"""The alignment score: 0–100 overall, per component, per team and per direction.

The formula is built so that its promises (SPEC section 5) can be *proved*, not just tested:

* Every warning or error finding has a **cost** ``c = severity × reach``. ``severity`` is 1 for
  an error and 2/5 for a warning (info findings cost nothing). ``reach = min(1, 2 / size)``
  where ``size`` is the number of things of the finding's kind in the scope being scored
  (goals, strategic goals, teams, KPIs; 1 for the organisation). The size is a property of the
  cascade, never of the findings, so one finding in a 10,000-goal cascade costs less than in a
  5-goal cascade while removing a finding can only lower the total cost.
* A component's findings add up to ``x = Σ c`` and the component keeps ``1 / (1 + x)`` of its
  value: its **component score** is ``floor(100 / (1 + x))`` to the hundredth (so any warning
  or error shows below 100).
* The overall score distributes 100 points over the components by their weights, in whole
  hundredths (largest remainder). A component with budget ``B`` hundredths loses
  ``ceil(B × x / (1 + x))`` hundredths. The overall score is 100 minus the lost hundredths.

Every step is exact: costs and sums are :class:`fractions.Fraction`, so the result does not
depend on the order of anything, and ``x / (1 + x)`` and the rounding (``ceil``) are monotone,
so resolving a finding never lowers any score. A score is 100 exactly when no warning or error
is left, because every component has a budget of at least one hundredth and ``ceil`` of a
positive amount is at least 1.

**Attribution.** The hundredths a component lost are shared among its findings in proportion
to their costs, by the largest-remainder method (ties broken by the findings' report order),
so the attributed losses add up to ``100 − overall`` exactly, in hundredths.
**Fixes.** For each finding, the points it would recover are computed exactly, as the score
without it minus the score with it.
"""

from __future__ import annotations

import difflib
import functools
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from math import ceil, floor
from typing import Any

import attrs

from goalalign.domain.cascade import Cascade
from goalalign.domain.model import Level
from goalalign.engine.config import Config, ConfigError
from goalalign.engine.findings import Finding, Ref, Severity, SubjectKind

__all__ = [
    "COMPONENTS",
    "DEFAULT_WEIGHTS",
    "DIRECTIONS",
    "FAMILY_COMPONENTS",
    "RULE_COMPONENTS",
    "SEVERITY_WEIGHTS",
    "Fix",
    "Loss",
    "Score",
    "component_budgets",
    "component_of",
    "compute_score",
]

COMPONENTS: tuple[str, ...] = (
    "chain-integrity",
    "strategic-coverage",
    "measurement",
    "goal-quality",
    "coherence",
)
"""The score's components, in report order."""

DEFAULT_WEIGHTS: Mapping[str, float] = {
    "chain-integrity": 30.0,
    "strategic-coverage": 15.0,
    "measurement": 20.0,
    "goal-quality": 20.0,
    "coherence": 15.0,
}
"""Relative weights of the components; ``config.weights`` overrides them by name, and the
result is renormalised to 100 points."""

FAMILY_COMPONENTS: Mapping[str, str] = {
    "structure": "chain-integrity",
    "chains": "chain-integrity",
    "coverage": "strategic-coverage",
    "kpis": "measurement",
    "numbers": "measurement",
    "smart": "goal-quality",
    "focus": "goal-quality",
    "echoes": "coherence",
    "conflicts": "coherence",
    "directions": "coherence",
}
"""The component a rule family's findings count against. A family named after a component
counts against that component; any other family (a plugin's) counts against
:data:`DEFAULT_COMPONENT`."""

RULE_COMPONENTS: Mapping[str, str] = {
    "uncovered-strategic-goal": "strategic-coverage",
    "stale-anchor": "strategic-coverage",
    "unmeasured-goal": "measurement",
}
"""Rules whose findings count against another component than their family's."""

DEFAULT_COMPONENT = "goal-quality"
"""The component of findings from families this module does not know (plugins)."""

SEVERITY_WEIGHTS: Mapping[Severity, Fraction] = {
    Severity.ERROR: Fraction(1),
    Severity.WARNING: Fraction(2, 5),
    Severity.INFO: Fraction(0),
}
"""What one finding of each severity weighs before it is scaled by its reach."""

REACH = 2
"""A finding about one of ``size`` things has reach ``min(1, REACH / size)``."""

DIRECTIONS: tuple[str, ...] = ("strategic", "enabling", "purpose", "undetermined")
"""The directions scored separately, in report order."""

TOP_FIXES = 20
"""How many fixes :meth:`Score.to_dict` lists."""

_TOTAL = 10_000
"""100 points, in hundredths: all integer arithmetic below is in hundredths."""

# Kinds of subject, for the size a finding's reach is measured against.
_ORGANISATION = "organisation"
_TEAMS = "teams"
_STRATEGIC = "strategic-goals"
_GOALS = "goals"
_KPIS = "kpis"


@attrs.frozen(slots=True)
class Loss:
    """The points one finding costs the overall score (``points`` in hundredths exactly)."""

    finding_key: tuple[str, str, str, str]
    rule: str
    component: str
    points: float

    def to_dict(self) -> dict[str, Any]:
        rule, kind, subject_id, target = self.finding_key
        subject = Ref(SubjectKind(kind), subject_id, target or None)
        return {
            "rule": rule,
            "subject": subject.to_dict(),
            "component": self.component,
            "points": self.points,
        }


@attrs.frozen(slots=True)
class Fix:
    """Resolving one finding: whose it is, what to do, and the points it would recover."""

    team: str | None
    finding_key: tuple[str, str, str, str]
    rule: str
    subject: Ref
    points: float
    fix: str
    severity: Severity = Severity.WARNING
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "team": self.team,
            "rule": self.rule,
            "severity": self.severity.value,
            "subject": self.subject.to_dict(),
            "points": self.points,
            "fix": self.fix,
            "message": self.message,
        }


@attrs.frozen(slots=True)
class Score:
    """The score of one check, with where every lost point went.

    ``overall``, ``components``, ``teams`` and ``directions`` are 0–100 in hundredths.
    ``components`` are each component's own 0–100 score, regardless of its weight;
    ``weights`` are the points each component carries in ``overall`` (they add up to 100) and
    ``component_losses`` the points each lost there. ``losses`` attribute every lost point to
    a finding (they add up to ``100 − overall``); ``fixes`` rank findings by the points their
    resolution would recover.
    """

    overall: float
    components: Mapping[str, float]
    teams: Mapping[str, float]
    directions: Mapping[str, float] = attrs.field(factory=dict)
    weights: Mapping[str, float] = attrs.field(factory=dict)
    component_losses: Mapping[str, float] = attrs.field(factory=dict)
    losses: tuple[Loss, ...] = ()
    fixes: tuple[Fix, ...] = ()

    def fixes_by_team(self) -> dict[str | None, tuple[Fix, ...]]:
        """The fixes grouped by team (``None`` for findings of no team), each group ranked;
        teams come in order of their best fix, then by id."""
        groups: dict[str | None, list[Fix]] = defaultdict(list)
        for fix in self.fixes:
            groups[fix.team].append(fix)
        order = sorted(groups, key=lambda t: (-groups[t][0].points, t is None, t or ""))
        return {team: tuple(groups[team]) for team in order}

    def to_dict(self, *, top: int = TOP_FIXES) -> dict[str, Any]:
        """The ``score`` object of the JSON report (SPEC section 4), with attribution."""
        return {
            "overall": self.overall,
            "components": dict(self.components),
            "teams": dict(self.teams),
            "directions": dict(self.directions),
            "weights": dict(self.weights),
            "component_losses": dict(self.component_losses),
            "fixes": [fix.to_dict() for fix in self.fixes[:top]],
            "losses": [loss.to_dict() for loss in self.losses if loss.points > 0],
        }


def component_of(finding: Finding) -> str:
    """The component ``finding`` counts against: by rule, else by family, else the default."""
    by_rule = RULE_COMPONENTS.get(finding.rule)
    if by_rule is not None:
        return by_rule
    if finding.family in COMPONENTS:
        return finding.family
    return FAMILY_COMPONENTS.get(finding.family, DEFAULT_COMPONENT)


def component_budgets(weights: Mapping[str, float] | None = None) -> dict[str, int]:
    """Hundredths of a point per component: the weights renormalised to exactly 100 points.

    ``weights`` override :data:`DEFAULT_WEIGHTS` by component name (``_`` may stand for
    ``-``). Every weight must be positive, so that every finding costs something and 100
    stays reserved for a cascade without warnings and errors; to leave a kind of finding out
    of the score, ignore its rules instead. Raises :class:`ConfigError` for an unknown
    component or a weight that is not positive.
    """
    merged = dict(DEFAULT_WEIGHTS)
    for name, value in (weights or {}).items():
        key = str(name).replace("_", "-")
        if key not in merged:
            close = difflib.get_close_matches(key, COMPONENTS, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ConfigError(
                f"weights: no score component is called {name!r}{hint} "
                f"(components: {', '.join(COMPONENTS)})"
            )
        if not value > 0 or value == float("inf"):
            raise ConfigError(
                f"weights.{name}: a component's weight must be a positive number; "
                "ignore its rules to leave its findings out of the score"
            )
        merged[key] = float(value)
    total = sum((Fraction(v) for v in merged.values()), Fraction(0))
    exact = {c: Fraction(_TOTAL) * Fraction(merged[c]) / total for c in COMPONENTS}
    budgets = {c: floor(v) for c, v in exact.items()}
    spare = _TOTAL - sum(budgets.values())
    for c in sorted(COMPONENTS, key=lambda c: (-(exact[c] - budgets[c]), COMPONENTS.index(c)))[
        :spare
    ]:
        budgets[c] += 1
    for c in COMPONENTS:
        if budgets[c] == 0:
            richest = max(COMPONENTS, key=lambda k: (budgets[k], -COMPONENTS.index(k)))
            budgets[richest] -= 1
            budgets[c] = 1
    return budgets


# -- the arithmetic ---------------------------------------------------------------------------


def _cost(severity: Severity, kind: str, sizes: Mapping[str, int]) -> Fraction:
    return _cost_of(severity, max(1, sizes.get(kind, 1)))


@functools.lru_cache(maxsize=4096)
def _cost_of(severity: Severity, size: int) -> Fraction:
    return SEVERITY_WEIGHTS[severity] * min(Fraction(1), Fraction(REACH, size))


def _lost(budget: int, x: Fraction) -> int:
    """Hundredths a component with ``budget`` loses to findings of total cost ``x``."""
    if x <= 0:
        return 0
    return min(budget, ceil(budget * x / (1 + x)))


def _component_score(x: Fraction) -> int:
    """A component's own score, in hundredths: ``floor(10000 / (1 + x))``, below 10000 when
    ``x > 0``."""
    if x <= 0:
        return _TOTAL
    return min(_TOTAL - 1, floor(Fraction(_TOTAL) / (1 + x)))


Group = tuple[str, Severity, str]
"""(component, severity, subject kind): findings in one group cost the same in a scope."""

_Classified = tuple[Finding, Group, "str | None", tuple[str, str, str, str]]
"""A costed finding with its group, its team and its key."""


def _costs(
    groups: Mapping[Group, int], sizes: Mapping[str, int]
) -> tuple[dict[str, Fraction], dict[Group, Fraction]]:
    """Total cost per component and cost per finding of each group, in one scope."""
    per_group = {g: _cost(g[1], g[2], sizes) for g in groups}
    totals: dict[str, Fraction] = {c: Fraction(0) for c in COMPONENTS}
    for group, count in groups.items():
        totals[group[0]] += count * per_group[group]
    return totals, per_group


def _scope_score(
    groups: Mapping[Group, int], sizes: Mapping[str, int], budgets: Mapping[str, int]
) -> int:
    totals, _ = _costs(groups, sizes)
    return _TOTAL - sum(_lost(budgets[c], totals[c]) for c in COMPONENTS)


def _points(hundredths: int) -> float:
    return hundredths / 100


# -- sizes ------------------------------------------------------------------------------------


@attrs.frozen(slots=True)
class _Sizes:
    """How many things of each kind the cascade and each team hold."""

    overall: dict[str, int]
    teams: dict[str, dict[str, int]]
    strategic_goals: frozenset[str]


def _sizes(cascade: Cascade) -> _Sizes:
    strategic: set[str] = set()
    per_team: dict[str, dict[str, int]] = {
        t.id: {_ORGANISATION: 1, _TEAMS: 1, _GOALS: 0, _STRATEGIC: 0, _KPIS: 0}
        for t in cascade.teams
    }
    team_of_goal: dict[str, str] = {}
    for goal in cascade.goals:
        team_of_goal[goal.id] = goal.team
        counts = per_team.get(goal.team)
        is_strategic = cascade.level_of(goal) is Level.STRATEGIC
        if is_strategic:
            strategic.add(goal.id)
        if counts is not None:
            counts[_GOALS] += 1
            counts[_STRATEGIC] += is_strategic
    for kpi in cascade.kpis:
        team = team_of_goal.get(kpi.goal) if kpi.goal is not None else None
        if team is not None and team in per_team:
            per_team[team][_KPIS] += 1
    overall = {
        _ORGANISATION: 1,
        _TEAMS: len(cascade.teams),
        _GOALS: len(cascade.goals),
        _STRATEGIC: len(strategic),
        _KPIS: len(cascade.kpis),
    }
    return _Sizes(overall, per_team, frozenset(strategic))


_KIND_VALUE = {kind: kind.value for kind in SubjectKind}
_SEVERITY_RANK = {severity: severity.rank for severity in Severity}

_GOAL_KIND = SubjectKind.GOAL
_KIND_SIZE = {
    SubjectKind.GOAL: _GOALS,
    SubjectKind.LINK: _GOALS,
    SubjectKind.TEAM: _TEAMS,
    SubjectKind.KPI: _KPIS,
    SubjectKind.ORGANISATION: _ORGANISATION,
}
"""The size a finding's reach is measured against, by the kind of its subject (a strategic
goal is measured against the strategic goals)."""


def _kind(finding: Finding, strategic: frozenset[str]) -> str:
    subject = finding.subject
    if subject.kind is _GOAL_KIND and subject.id in strategic:
        return _STRATEGIC
    return _KIND_SIZE[subject.kind]




def _key(finding: Finding) -> tuple[str, str, str, str]:
    """:attr:`Finding.key`, without the cost of enum attribute access in a hot loop."""
    subject = finding.subject
    return (finding.rule, _KIND_VALUE[subject.kind], subject.id, subject.target or "")


def _order(finding: Finding) -> tuple[Any, ...]:
    """A fixed order of findings by content (rule, subject, severity, message, ...), total so
    that equal-looking findings sort the same whatever the input order."""
    subject = finding.subject
    related = finding.related
    return (
        finding.rule,
        _KIND_VALUE[subject.kind],
        subject.id,
        subject.target or "",
        -_SEVERITY_RANK[finding.severity],
        finding.message,
        tuple((_KIND_VALUE[r.kind], r.id, r.target or "") for r in related) if related else (),
        finding.family,
        finding.team or "",
        finding.code,
        finding.fix,
        -1 if finding.line is None else finding.line,
    )


def _team_of(finding: Finding) -> str | None:
    if finding.team is not None:
        return finding.team
    if finding.subject.kind is SubjectKind.TEAM:
        return finding.subject.id
    return None


# -- the score --------------------------------------------------------------------------------


def compute_score(
    cascade: Cascade,
    findings: Iterable[Finding],
    config: Config | None = None,
    team_directions: Mapping[str, str] | None = None,
) -> Score:
    """Score ``cascade`` from its ``findings`` (see the module docstring for the formula).

    ``config.weights`` re-weights the components. ``team_directions`` gives each team's
    direction (declared or inferred, e.g. from the three-question assessment); teams it does
    not name fall back to their declared direction, else ``"undetermined"``.
    """
    budgets = component_budgets(config.weights if config is not None else None)
    sizes = _sizes(cascade)
    costed = sorted((f for f in findings if SEVERITY_WEIGHTS[f.severity] > 0), key=_order)
    component_cache: dict[tuple[str, str], str] = {}
    classified: list[_Classified] = []
    overall_groups: Counter[Group] = Counter()
    team_groups: dict[str, Counter[Group]] = defaultdict(Counter)
    strategic = sizes.strategic_goals
    known_teams = sizes.teams
    for finding in costed:
        cache_key = (finding.rule, finding.family)
        component = component_cache.get(cache_key)
        if component is None:
            component = component_cache[cache_key] = component_of(finding)
        group = (component, finding.severity, _kind(finding, strategic))
        team = _team_of(finding)
        classified.append((finding, group, team, _key(finding)))
        overall_groups[group] += 1
        if team is not None and team in known_teams:
            team_groups[team][group] += 1

    totals, per_group = _costs(overall_groups, sizes.overall)
    lost = {c: _lost(budgets[c], totals[c]) for c in COMPONENTS}
    overall = _TOTAL - sum(lost.values())

    teams = {
        team_id: _points(_scope_score(team_groups.get(team_id, {}), team_sizes, budgets))
        for team_id, team_sizes in sorted(sizes.teams.items())
    }
    directions = _direction_scores(cascade, sizes, team_groups, budgets, team_directions)
    losses = _attribute(classified, lost, totals, per_group)
    fixes = _fixes(classified, lost, totals, per_group, budgets)
    return Score(
        overall=_points(overall),
        components={c: _points(_component_score(totals[c])) for c in COMPONENTS},
        teams=teams,
        directions=directions,
        weights={c: _points(budgets[c]) for c in COMPONENTS},
        component_losses={c: _points(lost[c]) for c in COMPONENTS},
        losses=losses,
        fixes=fixes,
    )


def _direction_scores(
    cascade: Cascade,
    sizes: _Sizes,
    team_groups: Mapping[str, Counter[Group]],
    budgets: Mapping[str, int],
    team_directions: Mapping[str, str] | None,
) -> dict[str, float]:
    """One score per direction that has teams: the findings of its teams against their
    combined sizes."""
    chosen = team_directions or {}
    members: dict[str, list[str]] = defaultdict(list)
    for team in cascade.teams:
        direction = chosen.get(team.id)
        if direction is None:
            direction = team.direction.value if team.direction is not None else "undetermined"
        members[str(direction)].append(team.id)
    result: dict[str, float] = {}
    order = [d for d in DIRECTIONS if d in members] + sorted(set(members) - set(DIRECTIONS))
    for direction in order:
        combined: Counter[Group] = Counter()
        group_sizes: Counter[str] = Counter()
        for team_id in members[direction]:
            combined.update(team_groups.get(team_id, {}))
            group_sizes.update(sizes.teams[team_id])
        group_sizes[_ORGANISATION] = 1
        result[direction] = _points(_scope_score(combined, group_sizes, budgets))
    return result


def _attribute(
    classified: Sequence[_Classified],
    lost: Mapping[str, int],
    totals: Mapping[str, Fraction],
    per_group: Mapping[Group, Fraction],
) -> tuple[Loss, ...]:
    """Share each component's lost hundredths among its findings, proportionally to their
    costs, by largest remainder; ``classified`` is in a fixed order, which breaks ties."""
    shares: dict[Group, tuple[int, Fraction]] = {}
    for group, cost in per_group.items():
        component = group[0]
        exact = lost[component] * cost / totals[component] if totals[component] else Fraction(0)
        whole = floor(exact)
        shares[group] = (whole, exact - whole)
    spare: dict[str, int] = {c: lost[c] for c in COMPONENTS}
    for _, group, _, _ in classified:
        spare[group[0]] -= shares[group][0]
    # The findings that get one extra hundredth: largest remainder first, then fixed order.
    remainders = sorted({part for _, part in shares.values()}, reverse=True)
    rank = {group: remainders.index(part) for group, (_, part) in shares.items()}
    ranked = sorted(range(len(classified)), key=lambda i: rank[classified[i][1]])
    extra: set[int] = set()
    for index in ranked:
        component = classified[index][1][0]
        if spare[component] > 0:
            spare[component] -= 1
            extra.add(index)
    whole_of = {group: whole for group, (whole, _) in shares.items()}
    hundredths = [
        whole_of[entry[1]] + (index in extra) for index, entry in enumerate(classified)
    ]
    order = sorted(range(len(classified)), key=lambda i: -hundredths[i])
    return tuple(
        Loss(
            finding_key=classified[i][3],
            rule=classified[i][0].rule,
            component=classified[i][1][0],
            points=hundredths[i] / 100,
        )
        for i in order
    )


def _fixes(
    classified: Sequence[_Classified],
    lost: Mapping[str, int],
    totals: Mapping[str, Fraction],
    per_group: Mapping[Group, Fraction],
    budgets: Mapping[str, int],
) -> tuple[Fix, ...]:
    """Every costed finding as a fix, ranked by the points its resolution would recover
    (exactly: the score without it minus the score with it), then by severity and the fixed
    order of findings."""
    recovered = {
        group: lost[group[0]] - _lost(budgets[group[0]], totals[group[0]] - cost)
        for group, cost in per_group.items()
    }
    rank = {group: -(3 * recovered[group] + _SEVERITY_RANK[group[1]]) for group in per_group}
    order = sorted(range(len(classified)), key=lambda i: rank[classified[i][1]])
    fixes = []
    for i in order:
        finding, group, team, key = classified[i]
        fixes.append(
            Fix(
                team=team,
                finding_key=key,
                rule=finding.rule,
                subject=finding.subject,
                points=recovered[group] / 100,
                fix=finding.fix,
                severity=finding.severity,
                message=finding.message,
            )
        )
    return tuple(fixes)
