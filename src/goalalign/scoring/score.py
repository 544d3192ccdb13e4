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
to their costs, by the largest-remainder method (ties broken by a fixed order of the findings
by content: rule, subject, severity, message, ...), so the attributed losses add up to
``100 − overall`` exactly, in hundredths.
**Fixes.** For each finding, the points it would recover are computed exactly, as the score
without it minus the score with it.
"""

from __future__ import annotations

import difflib
import functools
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from math import floor
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
class _Ledger:
    """Per costed finding, in a fixed order: the hundredths attributed to it and the
    hundredths its resolution recovers. Kept as flat tuples so that scoring a large cascade
    creates no object per finding; :class:`Loss` and :class:`Fix` objects are made on demand.
    """

    findings: tuple[Finding, ...] = ()
    teams: tuple[str | None, ...] = ()
    components: tuple[str, ...] = ()
    lost: tuple[int, ...] = ()
    recovered: tuple[int, ...] = ()
    loss_order: tuple[int, ...] = ()
    fix_order: tuple[int, ...] = ()

    def loss(self, index: int) -> Loss:
        finding = self.findings[index]
        return Loss(_key(finding), finding.rule, self.components[index], self.lost[index] / 100)

    def fix(self, index: int) -> Fix:
        finding = self.findings[index]
        return Fix(
            team=self.teams[index],
            finding_key=_key(finding),
            rule=finding.rule,
            subject=finding.subject,
            points=self.recovered[index] / 100,
            fix=finding.fix,
            severity=finding.severity,
            message=finding.message,
        )


@attrs.frozen(slots=True)
class Score:
    """The score of one check, with where every lost point went.

    ``overall``, ``components``, ``teams`` and ``directions`` are 0–100 in hundredths.
    ``components`` are each component's own 0–100 score, regardless of its weight;
    ``weights`` are the points each component carries in ``overall`` (they add up to 100) and
    ``component_losses`` the points each lost there. :attr:`losses` attribute every lost point
    to a finding (they add up to ``100 − overall``); :attr:`fixes` rank findings by the points
    their resolution would recover.
    """

    overall: float
    components: Mapping[str, float]
    teams: Mapping[str, float]
    directions: Mapping[str, float] = attrs.field(factory=dict)
    weights: Mapping[str, float] = attrs.field(factory=dict)
    component_losses: Mapping[str, float] = attrs.field(factory=dict)
    _ledger: _Ledger = attrs.field(factory=_Ledger, alias="ledger", repr=False)

    @functools.cached_property
    def losses(self) -> tuple[Loss, ...]:
        """Every warning and error with the points it costs, most costly first."""
        ledger = self._ledger
        return tuple(ledger.loss(i) for i in ledger.loss_order)

    @functools.cached_property
    def fixes(self) -> tuple[Fix, ...]:
        """Every warning and error as a fix, ranked by the points resolving it recovers."""
        ledger = self._ledger
        return tuple(ledger.fix(i) for i in ledger.fix_order)

    def top_fixes(self, count: int = TOP_FIXES) -> tuple[Fix, ...]:
        """The ``count`` fixes worth most (cheaper than slicing :attr:`fixes` when there are
        many findings)."""
        ledger = self._ledger
        return tuple(ledger.fix(i) for i in ledger.fix_order[:count])

    def fixes_by_team(self) -> dict[str | None, tuple[Fix, ...]]:
        """The fixes grouped by team (``None`` for findings of no team), each group ranked;
        teams come in order of their best fix, then by id."""
        groups: dict[str | None, list[Fix]] = defaultdict(list)
        for fix in self.fixes:
            groups[fix.team].append(fix)
        order = sorted(groups, key=lambda t: (-groups[t][0].points, t is None, t or ""))
        return {team: tuple(groups[team]) for team in order}

    def to_dict(self, *, top: int = TOP_FIXES) -> dict[str, Any]:
        """The ``score`` object of the JSON report (SPEC section 4), with attribution: the
        ``top`` fixes and every finding that costs at least a hundredth."""
        ledger = self._ledger
        losses = []
        for index in ledger.loss_order:
            if ledger.lost[index] == 0:
                break
            losses.append(ledger.loss(index).to_dict())
        return {
            "overall": self.overall,
            "components": dict(self.components),
            "teams": dict(self.teams),
            "directions": dict(self.directions),
            "weights": dict(self.weights),
            "component_losses": dict(self.component_losses),
            "fixes": [fix.to_dict() for fix in self.top_fixes(top)],
            "losses": losses,
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
    # ceil(budget * x / (1 + x)) in integers: with x = p/q it is budget * p / (q + p)
    p, q = x.numerator, x.denominator
    return min(budget, -(-budget * p // (q + p)))


def _component_score(x: Fraction) -> int:
    """A component's own score, in hundredths: ``floor(10000 / (1 + x))``, below 10000 when
    ``x > 0``."""
    if x <= 0:
        return _TOTAL
    return min(_TOTAL - 1, floor(Fraction(_TOTAL) / (1 + x)))


Group = tuple[str, Severity, str]
"""(component, severity, subject kind): findings in one group cost the same in a scope."""


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
    if not groups:  # nothing found: nothing lost (and no fractions to add up)
        return _TOTAL
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
    strategic_level = Level.STRATEGIC
    level_of = cascade.level_of
    strategic = frozenset(
        goal.id
        for goal in cascade.goals
        if (goal.level or level_of(goal)) is strategic_level
    )
    # Each goal's team, looked up by id as :meth:`Cascade.goal` would (the last goal of an id
    # wins): one dictionary instead of a method call per KPI.
    team_of = {goal.id: goal.team for goal in cascade.goals}
    goals = Counter([goal.team for goal in cascade.goals])
    strategic_goals = Counter([team_of[goal_id] for goal_id in strategic])
    kpis = Counter([team_of[kpi.goal] for kpi in cascade.kpis if kpi.goal in team_of])
    per_team = {
        t.id: {
            _ORGANISATION: 1,
            _TEAMS: 1,
            _GOALS: goals[t.id],
            _STRATEGIC: strategic_goals[t.id],
            _KPIS: kpis[t.id],
        }
        for t in cascade.teams
    }
    overall = {
        _ORGANISATION: 1,
        _TEAMS: len(cascade.teams),
        _GOALS: len(cascade.goals),
        _STRATEGIC: len(strategic),
        _KPIS: len(cascade.kpis),
    }
    return _Sizes(overall, per_team, strategic)


_KIND_VALUE = {kind: kind.value for kind in SubjectKind}
_COSTED = frozenset(severity for severity, weight in SEVERITY_WEIGHTS.items() if weight > 0)
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


def _order(finding: Finding) -> str:
    """A fixed order of findings by content (rule, subject, severity, message, related, ...),
    total so that equal-looking findings sort the same whatever the input order.

    The key is one string (fields joined by NUL, which sorts first, so it orders like the tuple
    of fields): strings hold no references, so sorting many findings adds no work for the
    garbage collector.
    """
    subject = finding.subject
    related = "\x01".join(
        f"{_KIND_VALUE[r.kind]}\x02{r.id}\x02{r.target or ''}" for r in finding.related
    )
    return "\x00".join(
        (
            finding.rule,
            _KIND_VALUE[subject.kind],
            subject.id,
            subject.target or "",
            str(2 - _SEVERITY_RANK[finding.severity]),
            finding.message,
            related,
            finding.family,
            finding.team or "",
            finding.code,
            finding.fix,
            "" if finding.line is None else f"{finding.line:012d}",
        )
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
    costed = [f for f in findings if f.severity in _COSTED]
    costed.sort(key=_order)

    # Classify each finding into a group of equal cost, kept as parallel lists of ints and
    # shared strings (no object per finding).
    group_ids: dict[tuple[str, str, Severity, str], int] = {}
    groups: list[Group] = []
    gids: list[int] = []
    teams_of: list[str | None] = []
    team_counts: dict[str, Counter[int]] = defaultdict(Counter)
    strategic = sizes.strategic_goals
    known_teams = sizes.teams
    for finding in costed:
        kind = _kind(finding, strategic)
        lookup = (finding.rule, finding.family, finding.severity, kind)
        gid = group_ids.get(lookup)
        if gid is None:
            group = (component_of(finding), finding.severity, kind)
            if group in groups:
                gid = groups.index(group)
            else:
                gid = len(groups)
                groups.append(group)
            group_ids[lookup] = gid
        gids.append(gid)
        team = _team_of(finding)
        teams_of.append(team)
        if team is not None and team in known_teams:
            team_counts[team][gid] += 1
    overall_counts: Counter[Group] = Counter()
    for gid, count in Counter(gids).items():
        overall_counts[groups[gid]] += count

    totals, per_group = _costs(overall_counts, sizes.overall)
    lost = {c: _lost(budgets[c], totals[c]) for c in COMPONENTS}
    overall = _TOTAL - sum(lost.values())

    team_groups = {
        team: Counter({groups[gid]: n for gid, n in counts.items()})
        for team, counts in team_counts.items()
    }
    teams = {
        team_id: _points(_scope_score(team_groups.get(team_id, {}), team_sizes, budgets))
        for team_id, team_sizes in sorted(known_teams.items())
    }
    directions = _direction_scores(cascade, sizes, team_groups, budgets, team_directions)
    attributed = _attribute(groups, gids, lost, totals, per_group)
    recovered_of_group = [
        lost[g[0]] - _lost(budgets[g[0]], totals[g[0]] - per_group[g]) for g in groups
    ]
    # Fixes: most points recovered first, then errors before warnings, then the fixed order.
    fix_rank = [-(3 * recovered_of_group[i] + _SEVERITY_RANK[g[1]]) for i, g in enumerate(groups)]
    ledger = _Ledger(
        findings=tuple(costed),
        teams=tuple(teams_of),
        components=tuple(groups[gid][0] for gid in gids),
        lost=tuple(attributed),
        recovered=tuple(recovered_of_group[gid] for gid in gids),
        loss_order=tuple(sorted(range(len(gids)), key=lambda i: -attributed[i])),
        fix_order=tuple(sorted(range(len(gids)), key=lambda i: fix_rank[gids[i]])),
    )
    return Score(
        overall=_points(overall),
        components={c: _points(_component_score(totals[c])) for c in COMPONENTS},
        teams=teams,
        directions=directions,
        weights={c: _points(budgets[c]) for c in COMPONENTS},
        component_losses={c: _points(lost[c]) for c in COMPONENTS},
        ledger=ledger,
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
    groups: Sequence[Group],
    gids: Sequence[int],
    lost: Mapping[str, int],
    totals: Mapping[str, Fraction],
    per_group: Mapping[Group, Fraction],
) -> list[int]:
    """Share each component's lost hundredths among its findings, proportionally to their
    costs, by largest remainder; the findings' fixed order breaks ties. Returns the hundredths
    of each finding (``gids`` gives each finding's group)."""
    whole: list[int] = []
    remainder: list[Fraction] = []
    for group in groups:
        component = group[0]
        total = totals[component]
        exact = lost[component] * per_group[group] / total if total else Fraction(0)
        whole.append(floor(exact))
        remainder.append(exact - floor(exact))
    spare: dict[str, int] = dict(lost)
    for gid in gids:
        spare[groups[gid][0]] -= whole[gid]
    distinct = sorted(set(remainder), reverse=True)
    rank = [distinct.index(part) for part in remainder]
    attributed = [whole[gid] for gid in gids]
    for index in sorted(range(len(gids)), key=lambda i: rank[gids[i]]):
        component = groups[gids[index]][0]
        if spare[component] > 0:
            spare[component] -= 1
            attributed[index] += 1
    return attributed
