"""From a shape-checked document to the domain model: defaults, ids, units and periods.

Every problem is collected with its location before anything is returned, so a caller gets
either a complete cascade or a :class:`~goalalign.loading.errors.LoadError` listing all that
is wrong; never a half-built model.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from typing import Any, TypeVar

from goalalign.domain.cascade import Cascade, SourceMap
from goalalign.domain.model import (
    KPI,
    Aggregation,
    Amount,
    Change,
    Direction,
    EvidenceKind,
    Goal,
    Level,
    Link,
    LinkTarget,
    Organisation,
    Period,
    Promise,
    Status,
    Suppression,
    Team,
)
from goalalign.domain.periods import PeriodError, parse_period
from goalalign.domain.units import QuantityError, parse_amount, parse_unit
from goalalign.loading.errors import Problem
from goalalign.loading.schema import (
    FIELD_NAMES,
    SCHEMA_VERSION,
    DocumentDoc,
    GoalDoc,
    KPIDoc,
    LinkDoc,
    OrganisationDoc,
    PromiseDoc,
    RawSuppression,
    SuppressionDoc,
    TeamDoc,
)

__all__ = ["build_cascade", "fast_cascade", "fast_cascade_from_members"]

T = TypeVar("T")
E = TypeVar("E", bound=enum.Enum)


class _Collector:
    """Gathers problems while building, so all of them are reported at once."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, location: str, message: str) -> None:
        self.problems.append(Problem(location, message))

    def attempt(self, location: str, make: Callable[[], T]) -> T | None:
        try:
            return make()
        except (QuantityError, PeriodError) as exc:
            self.add(location, str(exc))
            return None


def build_cascade(
    doc: DocumentDoc, source: SourceMap | None = None
) -> tuple[Cascade, list[Problem]]:
    """Build the cascade of ``doc``; the problems list is empty when the cascade is valid."""
    issues = _Collector()
    if doc.goalalign != SCHEMA_VERSION:
        issues.add(
            "goalalign",
            f"schema version {doc.goalalign} is not supported; this goalalign reads version "
            f"{SCHEMA_VERSION}",
        )
    fiscal_year_end = _fiscal_year_end(doc.organisation.fiscal_year_end, issues)
    organisation = Organisation(
        name=doc.organisation.name,
        purpose=doc.organisation.purpose,
        promises=tuple(Promise(p.id, p.statement) for p in doc.organisation.promises),
        as_of=_as_of(doc.organisation.as_of, issues),
        fiscal_year_end=fiscal_year_end,
    )
    _unique((p.id for p in organisation.promises), "organisation.promises", "promise", issues)

    teams = tuple(
        Team(
            id=t.id,
            name=t.name if t.name is not None else t.id,
            parent=t.parent,
            direction=t.direction,
            serves=tuple(t.serves),
            ignore=_suppressions(t.ignore),
        )
        for t in doc.teams
    )
    _unique((t.id for t in teams), "teams", "team", issues)

    goals: list[Goal] = []
    kpis: list[KPI] = []
    for g_index, goal_doc in enumerate(doc.goals):
        where = f"goals[{g_index}]"
        goals.append(_goal(goal_doc, where, fiscal_year_end, issues))
        for k_index, kpi_doc in enumerate(goal_doc.kpis):
            kpi = _kpi(
                kpi_doc,
                f"{where}.kpis[{k_index}]",
                default_id=f"{goal_doc.id}.kpi{k_index + 1}",
                goal_id=goal_doc.id,
                fiscal_year_end=fiscal_year_end,
                issues=issues,
            )
            if kpi_doc.goal is not None and kpi_doc.goal != goal_doc.id:
                issues.add(
                    f"{where}.kpis[{k_index}].goal",
                    f"a KPI nested under goal {goal_doc.id!r} names goal {kpi_doc.goal!r}",
                )
            kpis.append(kpi)
    _unique((g.id for g in goals), "goals", "goal", issues)
    for k_index, kpi_doc in enumerate(doc.kpis):
        kpis.append(
            _kpi(
                kpi_doc,
                f"kpis[{k_index}]",
                default_id=(
                    f"{kpi_doc.goal}.kpi-top{k_index + 1}" if kpi_doc.goal else f"kpi{k_index + 1}"
                ),
                goal_id=kpi_doc.goal,
                fiscal_year_end=fiscal_year_end,
                issues=issues,
            )
        )
    _unique((k.id for k in kpis), "kpis", "KPI", issues)
    cascade = Cascade(
        organisation=organisation,
        teams=teams,
        goals=tuple(goals),
        kpis=tuple(kpis),
        settings=dict(doc.config or {}),
        source=source or SourceMap(),
    )
    return cascade, issues.problems


def _unique(ids: Iterable[str], where: str, what: str, issues: _Collector) -> None:
    seen: dict[str, int] = {}
    for index, item_id in enumerate(ids):
        if item_id in seen:
            issues.add(
                f"{where}[{index}].id",
                f"duplicate {what} id {item_id!r} (first used at {where}[{seen[item_id]}])",
            )
        else:
            seen[item_id] = index


def _fiscal_year_end(text: str | None, issues: _Collector) -> tuple[int, int]:
    if text is None:
        return (12, 31)
    try:
        month, day = (int(part) for part in text.split("-"))
        date(2024, month, day)  # a leap year, so 02-29 is accepted
    except ValueError:
        issues.add(
            "organisation.fiscal_year_end",
            f"{text!r} is not a month and day such as '06-30'",
        )
        return (12, 31)
    return (month, day)


def _as_of(raw: date | str | int | None, issues: _Collector) -> date | None:
    if raw is None:
        return None
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        issues.add("organisation.as_of", f"{raw!r} is not a date such as 2026-06-01")
        return None


def _period(
    raw: date | str | int | None, where: str, fiscal_year_end: tuple[int, int], issues: _Collector
) -> Period | None:
    if raw is None:
        return None
    return issues.attempt(where, lambda: parse_period(raw, fiscal_year_end))


def _review_date(raw: date | str | int | None, where: str, issues: _Collector) -> date | None:
    if raw is None:
        return None
    period = _period(raw, where, (12, 31), issues)
    return None if period is None else period.end


def _suppressions(raw: list[RawSuppression]) -> tuple[Suppression, ...]:
    return tuple(
        Suppression(item) if isinstance(item, str) else Suppression(item.rule, item.reason)
        for item in raw
    )


def _link(raw: str | LinkDoc, where: str, issues: _Collector, *, negative: bool) -> Link | None:
    if isinstance(raw, str):
        return Link(LinkTarget.GOAL, raw)
    targets = [
        (kind, value)
        for kind, value in (
            (LinkTarget.GOAL, raw.goal),
            (LinkTarget.PROMISE, raw.promise),
            (LinkTarget.PURPOSE, raw.purpose),
        )
        if value is not None and value is not False
    ]
    if len(targets) != 1:
        issues.add(where, "a link names exactly one of 'goal', 'promise' or 'purpose: true'")
        return None
    kind, value = targets[0]
    if negative and kind is not LinkTarget.GOAL:
        issues.add(where, "a 'hinders' link names a goal")
        return None
    if raw.weight is not None and raw.weight < 0:
        issues.add(f"{where}.weight", f"a weight cannot be negative (got {raw.weight})")
        return None
    mechanism = raw.mechanism.strip() if raw.mechanism else None
    return Link(
        kind,
        None if kind is LinkTarget.PURPOSE else str(value),
        mechanism or None,
        raw.weight,
    )


def _goal(doc: GoalDoc, where: str, fiscal_year_end: tuple[int, int], issues: _Collector) -> Goal:
    supports = [
        _link(raw, f"{where}.supports[{i}]", issues, negative=False)
        for i, raw in enumerate(doc.supports)
    ]
    weights = [link.weight for link in supports if link is not None and link.weight is not None]
    if weights and len(weights) == len(supports) and sum(weights) == 0:
        issues.add(f"{where}.supports", "the link weights add up to zero")
    hinders = [
        _link(raw, f"{where}.hinders[{i}]", issues, negative=True)
        for i, raw in enumerate(doc.hinders)
    ]
    return Goal(
        id=doc.id,
        team=doc.team,
        statement=doc.statement,
        level=doc.level,
        status=doc.status or Status.ACTIVE,
        deadline=_period(doc.deadline, f"{where}.deadline", fiscal_year_end, issues),
        last_reviewed=_review_date(doc.last_reviewed, f"{where}.last_reviewed", issues),
        supports=tuple(link for link in supports if link is not None),
        hinders=tuple(link for link in hinders if link is not None),
        ignore=_suppressions(doc.ignore),
    )


def _kpi(
    doc: KPIDoc,
    where: str,
    *,
    default_id: str,
    goal_id: str | None,
    fiscal_year_end: tuple[int, int],
    issues: _Collector,
) -> KPI:
    unit: str | None = None
    if doc.unit is not None:
        info = issues.attempt(f"{where}.unit", lambda: parse_unit(doc.unit or ""))
        unit = info.canonical if info is not None else None

    def amount(raw: Any, field: str) -> Amount | None:
        if raw is None:
            return None
        if doc.unit is not None and unit is None:
            return None  # the unit's own problem is already reported
        return issues.attempt(f"{where}.{field}", lambda: parse_amount(raw, unit))

    return KPI(
        id=doc.id or default_id,
        name=doc.name,
        goal=goal_id,
        unit=unit,
        baseline=amount(doc.baseline, "baseline"),
        target=amount(doc.target, "target"),
        current=amount(doc.current, "current"),
        direction=doc.direction,
        aggregation=doc.aggregation or Aggregation.NONE,
        evidence=doc.evidence,
        deadline=_period(doc.deadline, f"{where}.deadline", fiscal_year_end, issues),
        share_of=doc.share_of,
    )


# -- the fast path ----------------------------------------------------------------------------
#
# Checking a large document with cattrs and then building from the checked classes costs
# several times the JSON decoding. ``fast_cascade`` builds the model straight from plain data
# and gives up (returns ``None``) at the first thing that is not plainly valid; the caller then
# takes the checked path above, which explains every problem. So the fast path only has to
# agree with the checked path on valid documents, which the tests compare.


class _Bail(Exception):
    """The document is not plainly valid; the checked path will say why."""


_DOCUMENT_KEYS = frozenset(FIELD_NAMES[DocumentDoc])
_ORGANISATION_KEYS = frozenset(FIELD_NAMES[OrganisationDoc])
_PROMISE_KEYS = frozenset(FIELD_NAMES[PromiseDoc])
_TEAM_KEYS = frozenset(FIELD_NAMES[TeamDoc])
_GOAL_KEYS = frozenset(FIELD_NAMES[GoalDoc])
_KPI_KEYS = frozenset(FIELD_NAMES[KPIDoc])
_LINK_KEYS = frozenset(FIELD_NAMES[LinkDoc])
_SUPPRESSION_KEYS = frozenset(FIELD_NAMES[SuppressionDoc])


def _members(enum_type: type[E]) -> dict[Any, E]:
    return {member.value: member for member in enum_type}


_DIRECTIONS = _members(Direction)
_LEVELS = _members(Level)
_STATUSES = _members(Status)
_CHANGES = _members(Change)
_AGGREGATIONS = _members(Aggregation)
_EVIDENCE = _members(EvidenceKind)

_NO_LINKS: tuple[Link, ...] = ()
_NO_SUPPRESSIONS: tuple[Suppression, ...] = ()


_DOCUMENT_ORDER = FIELD_NAMES[DocumentDoc]
"""The order in which the fast path takes the members of document data: the schema's, which
puts the organisation (and so the fiscal year) before the goals."""


def fast_cascade(data: Any, source: SourceMap) -> Cascade | None:
    """The cascade of plainly valid document data, or ``None`` to take the checked path."""
    if not isinstance(data, dict) or not data.keys() <= _DOCUMENT_KEYS:
        return None
    return fast_cascade_from_members(
        ((key, data[key]) for key in _DOCUMENT_ORDER if key in data), source
    )


def fast_cascade_from_members(
    members: Iterable[tuple[Any, Any]], source: SourceMap
) -> Cascade | None:
    """:func:`fast_cascade` of a document given as its top-level ``(key, value)`` pairs.

    A value may be an iterator that stands for a list and yields its items as they are parsed.
    Goals handed over that way (after the organisation) are built one at a time, each item
    dropped before the next is parsed, so loading a large file never holds its whole parsed
    document (at a million goals the peak of loading falls from 2.6 GB to 0.9 GB). Such an
    iterator is used up before the next pair is asked for. A key given twice gives ``None``,
    like any document that is not plainly valid.
    """
    try:
        return _fast(members, source)
    except (_Bail, KeyError, TypeError, ValueError, AttributeError, OverflowError):
        return None


def _fast(members: Iterable[tuple[Any, Any]], source: SourceMap) -> Cascade:
    seen: set[Any] = set()
    rest: dict[str, Any] = {}
    builder: _Builder | None = None
    for key, value in members:
        if key not in _DOCUMENT_KEYS or key in seen:
            raise _Bail
        seen.add(key)
        if key == "goalalign":
            _check_version(value)
        elif key == "organisation":
            builder = _Builder(value)
        elif key == "teams" and builder is not None:
            builder.add_teams(value)
        elif key == "goals" and builder is not None:
            builder.add_goals(value)
        else:
            rest[key] = list(value) if isinstance(value, Iterator) else value
    if builder is None or "goalalign" not in seen:
        raise _Bail
    # Teams and goals that came before the organisation were kept as data.
    if "teams" in rest:
        builder.add_teams(rest.pop("teams"))
    if "goals" in rest:
        builder.add_goals(rest.pop("goals"))
    return builder.finish(rest, source)


def _check_version(version: Any) -> None:
    if isinstance(version, bool) or version != SCHEMA_VERSION or not isinstance(version, int):
        raise _Bail


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    raise _Bail


def _opt_text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise _Bail


def _list(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    raise _Bail


def _mapping(value: Any, keys: frozenset[str]) -> dict[str, Any]:
    if isinstance(value, dict) and value.keys() <= keys:
        return value
    raise _Bail


def _enum(value: Any, members: dict[Any, E]) -> E | None:
    if value is None:
        return None
    if isinstance(value, str):
        member = members.get(value)
        if member is not None:
            return member
    raise _Bail


def _raw_period_value(value: Any) -> date | str | int | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise _Bail


def _number_value(value: Any) -> float | str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
        if math.isfinite(number):
            return number
    raise _Bail


def _fast_suppressions(raw: Any) -> tuple[Suppression, ...]:
    result = []
    for item in _list(raw):
        if isinstance(item, str):
            result.append(Suppression(item))
        else:
            item = _mapping(item, _SUPPRESSION_KEYS)
            result.append(Suppression(_text(item["rule"]), _opt_text(item.get("reason"))))
    return tuple(result)


def _fast_period(raw: Any, fiscal_year_end: tuple[int, int]) -> Period | None:
    value = _raw_period_value(raw)
    if value is None:
        return None
    try:
        return parse_period(value, fiscal_year_end)
    except PeriodError:
        raise _Bail from None


def _all_unique(ids: list[str]) -> None:
    if len(set(ids)) != len(ids):
        raise _Bail


class _Builder:
    """The fast path's model of one document while it is read, with per-document caches.

    Units and period strings repeat a lot, so each distinct one is parsed once. Values repeat
    too: every goal names its team, most links name a goal read before and one of a few dozen
    mechanism sentences, and KPIs share names, units and amounts. A fresh object for each costs
    some 330 bytes a goal, 330 MB at a million goals, so the builder gives the model one object
    per distinct value. The caches live as long as the load, never longer.
    """

    def __init__(self, organisation: Any) -> None:
        org = _mapping(organisation, _ORGANISATION_KEYS)
        checker = _Collector()
        self.fiscal_year_end = _fiscal_year_end(_opt_text(org.get("fiscal_year_end")), checker)
        as_of = _as_of(_raw_period_value(org.get("as_of")), checker)
        if checker.problems:
            raise _Bail
        self.goal_ids: dict[str, str] = {}
        """Each goal's id, so a link to a goal read before shares its id (and a repeated id
        shows as fewer ids than goals)."""
        self.texts: dict[str, str] = {}
        """One string per distinct team id, KPI name and other short repeated text."""
        self.mechanisms: dict[str, str | None] = {}
        """Each mechanism as written, trimmed and shared."""
        self.amounts: dict[str | None, dict[float, Amount]] = {}
        """One amount per unit and non-zero number (``-0.0 == 0.0`` yet prints differently)."""
        self.units: dict[str, tuple[str, str]] = {}
        self.deadlines: dict[str, Period] = {}
        self.reviews: dict[str, date] = {}
        self.teams: tuple[Team, ...] = ()
        self.goals: list[Goal] = []
        self.kpis: list[KPI] = []
        promises = []
        for raw in _list(org.get("promises", [])):
            raw = _mapping(raw, _PROMISE_KEYS)
            promises.append(Promise(self.shared(_text(raw["id"])), _text(raw["statement"])))
        _all_unique([p.id for p in promises])
        self.organisation = Organisation(
            name=_text(org["name"]),
            purpose=_opt_text(org.get("purpose")),
            promises=tuple(promises),
            as_of=as_of,
            fiscal_year_end=self.fiscal_year_end,
        )

    def shared(self, text: str) -> str:
        """``text``, or the equal string this document gave before."""
        return self.texts.setdefault(text, text)

    def add_teams(self, raw_teams: Any) -> None:
        teams = raw_teams if isinstance(raw_teams, Iterator) else _list(raw_teams)
        self.teams = tuple(self.team(raw) for raw in teams)
        _all_unique([t.id for t in self.teams])

    def add_goals(self, raw_goals: Any) -> None:
        """Build the goals of a list, or of an iterator that yields them as they are parsed."""
        for raw in raw_goals if isinstance(raw_goals, Iterator) else _list(raw_goals):
            self.add_goal(raw)

    # Enumerations are read as ``_LEVELS[value]``: an unknown value's KeyError (or an
    # unhashable value's TypeError) gives up like _Bail does.

    def add_goal(self, raw: Any) -> None:
        if type(raw) is not dict or not raw.keys() <= _GOAL_KEYS:
            raise _Bail
        get = raw.get
        goal_id = _text(raw["id"])
        goal_id = self.goal_ids.setdefault(goal_id, goal_id)
        links = get("supports", _NO_LINKS)
        supports = (
            _NO_LINKS
            if links is _NO_LINKS
            else tuple([self.link(link, False) for link in _list(links)])
        )
        if supports and supports[0].weight is not None:
            weights = [link.weight for link in supports if link.weight is not None]
            if len(weights) == len(supports) and sum(weights) == 0:
                raise _Bail
        links = get("hinders", _NO_LINKS)
        hinders = (
            _NO_LINKS
            if links is _NO_LINKS
            else tuple([self.link(link, True) for link in _list(links)])
        )
        level = get("level")
        status = get("status")
        deadline = get("deadline")
        reviewed = get("last_reviewed")
        ignore = get("ignore", _NO_SUPPRESSIONS)
        team = _text(raw["team"])
        self.goals.append(
            Goal(
                goal_id,
                self.texts.setdefault(team, team),
                _text(raw["statement"]),
                None if level is None else _LEVELS[level],
                Status.ACTIVE if status is None else _STATUSES[status],
                None if deadline is None else self.deadline(deadline),
                None if reviewed is None else self.reviewed(reviewed),
                supports,
                hinders,
                _NO_SUPPRESSIONS if ignore is _NO_SUPPRESSIONS else _fast_suppressions(ignore),
            )
        )
        nested = get("kpis")
        if nested is not None:
            for k_index, kpi in enumerate(_list(nested)):
                if type(kpi) is dict and kpi.get("goal") not in (None, goal_id):
                    raise _Bail
                self.kpis.append(self.kpi(kpi, f"{goal_id}.kpi{k_index + 1}", goal_id))
        elif "kpis" in raw:
            raise _Bail

    def finish(self, data: dict[str, Any], source: SourceMap) -> Cascade:
        """The cascade, from the goals built so far and the document's other members."""
        if len(self.goal_ids) != len(self.goals):
            raise _Bail  # a goal id given twice
        for k_index, raw in enumerate(_list(data.get("kpis", []))):
            goal_ref = _opt_text(raw.get("goal")) if isinstance(raw, dict) else None
            default_id = f"{goal_ref}.kpi-top{k_index + 1}" if goal_ref else f"kpi{k_index + 1}"
            self.kpis.append(self.kpi(raw, default_id, goal_ref))
        _all_unique([k.id for k in self.kpis])
        config = data.get("config")
        if config is not None and (
            not isinstance(config, dict) or not all(isinstance(key, str) for key in config)
        ):
            raise _Bail
        return Cascade(
            organisation=self.organisation,
            teams=self.teams,
            goals=tuple(self.goals),
            kpis=tuple(self.kpis),
            settings=dict(config or {}),
            source=source,
        )

    def team(self, raw: Any) -> Team:
        raw = _mapping(raw, _TEAM_KEYS)
        team_id = self.shared(_text(raw["id"]))
        name = _opt_text(raw.get("name"))
        parent = _opt_text(raw.get("parent"))
        return Team(
            id=team_id,
            name=name if name is not None else team_id,
            parent=None if parent is None else self.shared(parent),
            direction=_enum(raw.get("direction"), _DIRECTIONS),
            serves=tuple(self.shared(_text(s)) for s in _list(raw.get("serves", []))),
            ignore=_fast_suppressions(raw.get("ignore", [])),
        )

    def link(self, raw: Any, negative: bool) -> Link:
        if type(raw) is str:
            return Link(LinkTarget.GOAL, self.goal_ids.get(raw, raw))
        if type(raw) is not dict:
            raise _Bail
        if len(raw) == 2 and "goal" in raw and "mechanism" in raw:
            # {goal, mechanism}, the shape of most links, without the general look-ups
            goal = raw["goal"]
            mechanism = raw["mechanism"]
            if type(goal) is not str or (mechanism is not None and type(mechanism) is not str):
                raise _Bail
            return Link(
                LinkTarget.GOAL,
                self.goal_ids.get(goal, goal),
                None if mechanism is None else self.mechanism(mechanism),
            )
        if not raw.keys() <= _LINK_KEYS:
            raise _Bail
        get = raw.get
        goal = get("goal")
        promise = get("promise")
        purpose = get("purpose")
        mechanism = get("mechanism")
        weight = get("weight")
        if goal is not None and not isinstance(goal, str):
            raise _Bail
        if promise is not None and not isinstance(promise, str):
            raise _Bail
        if purpose is not None and not isinstance(purpose, bool):
            raise _Bail
        if mechanism is not None and not isinstance(mechanism, str):
            raise _Bail
        if weight is not None:
            if isinstance(weight, bool) or not isinstance(weight, int | float):
                raise _Bail
            weight = float(weight)
            if not math.isfinite(weight) or weight < 0:
                raise _Bail
        if (goal is not None) + (promise is not None) + bool(purpose) != 1:
            raise _Bail
        if goal is not None:
            goal = str(goal)
            kind, target = LinkTarget.GOAL, self.goal_ids.get(goal, goal)
        elif promise is not None:
            kind, target = LinkTarget.PROMISE, self.shared(str(promise))
        else:
            kind, target = LinkTarget.PURPOSE, None
        if negative and kind is not LinkTarget.GOAL:
            raise _Bail
        return Link(kind, target, None if mechanism is None else self.mechanism(mechanism), weight)

    def mechanism(self, raw: str) -> str | None:
        """The mechanism as written, trimmed; ``None`` when blank."""
        try:
            return self.mechanisms[raw]
        except KeyError:
            text = raw.strip()
            found = self.mechanisms[raw] = self.shared(text) if text else None
            return found

    def deadline(self, raw: Any) -> Period | None:
        if type(raw) is str:
            found = self.deadlines.get(raw)
            if found is None:
                found = _fast_period(raw, self.fiscal_year_end)
                assert found is not None
                self.deadlines[raw] = found
            return found
        return _fast_period(raw, self.fiscal_year_end)

    def reviewed(self, raw: Any) -> date | None:
        if type(raw) is str:
            found = self.reviews.get(raw)
            if found is None:
                period = _fast_period(raw, (12, 31))
                assert period is not None
                found = self.reviews[raw] = period.end
            return found
        period = _fast_period(raw, (12, 31))
        return None if period is None else period.end

    def kpi(self, raw: Any, default_id: str, goal_id: str | None) -> KPI:
        if type(raw) is not dict or not raw.keys() <= _KPI_KEYS:
            raise _Bail
        get = raw.get
        name = raw["name"]
        kpi_id = get("id")
        unit_text = get("unit")
        if not isinstance(name, str) or (kpi_id is not None and not isinstance(kpi_id, str)):
            raise _Bail
        unit: str | None = None
        amount_unit: str | None = None
        if unit_text is not None:
            if not isinstance(unit_text, str):
                raise _Bail
            unit, amount_unit = self.unit(unit_text)
        numbers = self.amounts.get(amount_unit)
        if numbers is None:
            numbers = self.amounts[amount_unit] = {}
        baseline = get("baseline")
        target = get("target")
        current = get("current")
        direction = get("direction")
        aggregation = get("aggregation")
        evidence = get("evidence")
        deadline = get("deadline")
        share_of = get("share_of")
        return KPI(
            kpi_id or default_id,
            self.texts.setdefault(name, name),
            goal_id,
            unit,
            None if baseline is None else self.amount(baseline, unit, amount_unit, numbers),
            None if target is None else self.amount(target, unit, amount_unit, numbers),
            None if current is None else self.amount(current, unit, amount_unit, numbers),
            None if direction is None else _CHANGES[direction],
            Aggregation.NONE if aggregation is None else _AGGREGATIONS[aggregation],
            None if evidence is None else _EVIDENCE[evidence],
            None if deadline is None else self.deadline(deadline),
            None if share_of is None else self.shared(_text(share_of)),
        )

    def unit(self, text: str) -> tuple[str, str]:
        known = self.units.get(text)
        if known is None:
            try:
                canonical = parse_unit(text).canonical
                known = self.units[text] = (canonical, parse_unit(canonical).canonical)
            except QuantityError:
                raise _Bail from None
        return known

    @staticmethod
    def amount(
        value: Any, unit: str | None, amount_unit: str | None, numbers: dict[float, Amount]
    ) -> Amount:
        """The amount ``value`` in a KPI's ``unit``; numbers are shared through ``numbers``.

        An int finds the amount of the equal float: ``7 == 7.0`` and they hash alike.
        """
        kind = type(value)
        if kind is float or kind is int:
            found = numbers.get(value)
            if found is not None:
                return found
            number = float(value)
        else:
            number_or_text = _number_value(value)
            if type(number_or_text) is not float:
                try:
                    return parse_amount(value, unit)  # a quantity string
                except QuantityError:
                    raise _Bail from None
            number = number_or_text
        if not math.isfinite(number):
            raise _Bail
        found = Amount(number, amount_unit)
        if number:  # zeros are not shared: -0.0 == 0.0, but they print differently
            numbers[number] = found
        return found
