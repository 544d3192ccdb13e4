"""Hypothesis strategies for goalalign documents and cascades, for your own property tests.

Install with ``pip install 'goalalign[testing]'``. Every example is valid: it loads without
error, has teams in an organisation chart, goals on levels that link upward (so the
contribution graph has no cycle), KPIs with units (USD, percent, count, day and a few more),
mechanisms on most links and links to the organisation's promises and purpose.

>>> from hypothesis import given
>>> from goalalign.testing.strategies import cascades
>>> @given(cascades(max_goals=5))
... def test_every_goal_has_a_team(cascade):
...     assert all(cascade.team(goal.team) for goal in cascade.goals)
"""

from __future__ import annotations

import string
from datetime import date
from typing import Any

from hypothesis import strategies as st

from goalalign.domain.cascade import Cascade

__all__ = ["cascades", "documents"]

_UNITS = ("USD", "percent", "count", "day", "EUR", "hour", "count / day", None)
_QUANTITIES = {
    "USD": ("$6m", "1500 kUSD", "40 million USD", "$250k"),
    "EUR": ("40k EUR", "€1.2m"),
    "percent": ("30 %", "12.5%", "45 percent"),
    "count": ("3 sales people", "120 homes", "7 releases"),
    "day": ("5 working days", "2 weeks", "36 hours"),
    "hour": ("90 minutes", "2 days"),
    "count / day": ("20 emails/day", "3 visits per day"),
}
_STATEMENTS = (
    "Increase US sales by 30% by Q3 2026",
    "Reduce operating cost from $410m to $377m by June 2027",
    "Keep the platform available 99.9% of clinic hours through 2026",
    "Cut the median wait from 26 to 18 months by 2027",
    "Hire 3 sales people and ramp each to $6m ARR by December 2026",
    "Raise weekday foot traffic from 18,000 to 24,000 people a day by 2027",
)
_DEADLINES = st.one_of(
    st.dates(min_value=date(2024, 1, 1), max_value=date(2031, 12, 31)),
    st.builds(
        lambda y, m: f"{y}-{m:02d}", st.integers(2024, 2031), st.integers(1, 12)
    ),
    st.builds(lambda y, q: f"{y}-Q{q}", st.integers(2024, 2031), st.integers(1, 4)),
    st.builds(lambda y: f"FY{y}", st.integers(2024, 2031)),
    st.integers(2024, 2031),
    st.builds(lambda y: str(y), st.integers(2024, 2031)),
)
_WORDS = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp", "Co")),
    min_size=1,
    max_size=30,
).filter(lambda text: text.strip() == text and text != "")
_TEXT = st.one_of(st.sampled_from(_STATEMENTS), _WORDS)
_SLUG = st.text(alphabet=string.ascii_lowercase + string.digits + "-", min_size=1, max_size=8)
_NUMBER = st.one_of(
    st.integers(-1000, 10**9),
    st.floats(
        min_value=-1e12,
        max_value=1e12,
        allow_nan=False,
        allow_infinity=False,
        allow_subnormal=False,
    ),
)


def _maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """``strategy``'s value, or ``None`` (left out of the document)."""
    return st.one_of(st.none(), strategy)


def _put(data: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        data[key] = value


@st.composite
def _ids(draw: st.DrawFn, count: int, prefix: str) -> list[str]:
    """``count`` distinct ids: mostly ``prefix<n>``, sometimes a slug that YAML might misread
    (``yes``, ``1e3``, ``null``) to prove they survive."""
    awkward = st.sampled_from(["yes", "null", "1e3", "on", "007", "true"])
    tricky = draw(st.lists(awkward, max_size=2))
    result: list[str] = []
    for index in range(count):
        candidate = draw(
            st.one_of(st.just(f"{prefix}{index}"), _SLUG, st.sampled_from(tricky or ["x"]))
        )
        while candidate in result:
            candidate = f"{candidate}-{index}"
        result.append(candidate)
    return result


@st.composite
def _amount(draw: st.DrawFn, unit: str | None) -> Any:
    if unit in _QUANTITIES and draw(st.booleans()):
        return draw(st.sampled_from(_QUANTITIES[unit]))
    return draw(_NUMBER)


@st.composite
def _kpi(draw: st.DrawFn, kpi_id: str | None, goal: str | None, top_level: bool) -> dict[str, Any]:
    unit = draw(st.sampled_from(_UNITS))
    kpi: dict[str, Any] = {"name": draw(_TEXT)}
    _put(kpi, "id", kpi_id)
    if top_level:
        _put(kpi, "goal", goal)
    _put(kpi, "unit", unit)
    for field in ("baseline", "target", "current"):
        _put(kpi, field, draw(_maybe(_amount(unit))))
    _put(kpi, "direction", draw(_maybe(st.sampled_from(["increase", "decrease", "maintain"]))))
    _put(kpi, "aggregation", draw(_maybe(st.sampled_from(["sum", "mean", "min", "max", "none"]))))
    _put(kpi, "evidence", draw(_maybe(st.sampled_from(["result", "output", "activity"]))))
    _put(kpi, "deadline", draw(_maybe(_DEADLINES)))
    return kpi


@st.composite
def _link(draw: st.DrawFn, target: dict[str, Any]) -> Any:
    mechanism = draw(st.one_of(st.none(), _TEXT, _TEXT, _TEXT))
    weight = draw(st.one_of(st.none(), st.none(), st.floats(0.1, 10)))
    if list(target) == ["goal"] and mechanism is None and weight is None:
        return target["goal"]
    link = dict(target)
    _put(link, "mechanism", mechanism)
    _put(link, "weight", weight)
    return link


@st.composite
def documents(
    draw: st.DrawFn,
    *,
    min_goals: int = 1,
    max_goals: int = 12,
    max_depth: int = 3,
    cross_links: bool = True,
    with_kpis: bool = True,
) -> dict[str, Any]:
    """Valid schema-v1 documents as plain data (what ``json.load`` returns, plus dates).

    ``max_depth`` bounds how many links a chain takes from an operational goal up to a
    strategic one; ``cross_links`` allows a second support link to any higher goal;
    ``with_kpis`` adds KPIs, nested and top-level.
    """
    n_teams = draw(st.integers(1, 5))
    team_ids = draw(_ids(n_teams, "t"))
    promise_ids = draw(_ids(draw(st.integers(0, 2)), "p"))
    organisation: dict[str, Any] = {"name": draw(_TEXT)}
    _put(organisation, "purpose", draw(_maybe(_TEXT)))
    if promise_ids:
        organisation["promises"] = [{"id": p, "statement": draw(_TEXT)} for p in promise_ids]
    _put(organisation, "as_of", draw(_maybe(st.dates(date(2024, 1, 1), date(2030, 12, 31)))))
    _put(organisation, "fiscal_year_end", draw(st.sampled_from([None, "06-30", "03-31"])))

    teams = []
    for index, team_id in enumerate(team_ids):
        team: dict[str, Any] = {"id": team_id}
        _put(team, "name", draw(_maybe(_TEXT)))
        if index:
            team["parent"] = team_ids[draw(st.integers(0, index - 1))]
        _put(team, "direction", draw(_maybe(st.sampled_from(["strategic", "enabling", "purpose"]))))
        if n_teams > 1 and draw(st.booleans()):
            others = [t for t in team_ids if t != team_id]
            team["serves"] = draw(st.lists(st.sampled_from(others), max_size=2, unique=True))
        if draw(st.integers(0, 5)) == 0:
            team["ignore"] = ["too-many-goals"]
        teams.append(team)

    n_goals = draw(st.integers(min_goals, max(min_goals, max_goals)))
    goal_ids = draw(_ids(n_goals, "g"))
    depths: list[int] = []
    goals = []
    kpi_counter = 0
    for index, goal_id in enumerate(goal_ids):
        higher = [i for i in range(index) if depths[i] < max_depth]
        depth = 0
        supports: list[Any] = []
        if higher and draw(st.integers(0, 4)) > 0:
            parent = draw(st.sampled_from(higher))
            depth = depths[parent] + 1
            supports.append(draw(_link({"goal": goal_ids[parent]})))
            if cross_links and len(higher) > 1 and draw(st.integers(0, 4)) == 0:
                other = draw(st.sampled_from([i for i in higher if i != parent]))
                supports.append(draw(_link({"goal": goal_ids[other]})))
        if promise_ids and draw(st.integers(0, 5)) == 0:
            supports.append(draw(_link({"promise": draw(st.sampled_from(promise_ids))})))
        if draw(st.integers(0, 8)) == 0:
            supports.append(draw(_link({"purpose": True})))
        depths.append(depth)
        goal: dict[str, Any] = {
            "id": goal_id,
            "team": draw(st.sampled_from(team_ids)),
            "statement": draw(_TEXT),
        }
        level = ["strategic", "translational", "operational"][min(depth, 2)]
        _put(goal, "level", draw(st.sampled_from([level, level, None])))
        statuses = [None, None, "active", "deprioritised", "retired"]
        _put(goal, "status", draw(st.sampled_from(statuses)))
        _put(goal, "deadline", draw(_maybe(_DEADLINES)))
        _put(goal, "last_reviewed", draw(_maybe(st.dates(date(2024, 1, 1), date(2030, 12, 31)))))
        if supports:
            goal["supports"] = supports
        if index and draw(st.integers(0, 9)) == 0:
            goal["hinders"] = [draw(_link({"goal": goal_ids[draw(st.integers(0, index - 1))]}))]
        if with_kpis:
            kpis = []
            for _ in range(draw(st.integers(0, 2))):
                kpi_id = draw(st.sampled_from([None, f"k{kpi_counter}"]))
                kpi_counter += 1
                kpis.append(draw(_kpi(kpi_id, goal_id, top_level=False)))
            if kpis:
                goal["kpis"] = kpis
        if draw(st.integers(0, 9)) == 0:
            goal["ignore"] = [{"rule": "no-deadline", "reason": "a standing commitment"}]
        goals.append(goal)

    document: dict[str, Any] = {
        "goalalign": 1,
        "organisation": organisation,
        "teams": teams,
        "goals": goals,
    }
    if with_kpis and draw(st.booleans()):
        top = []
        for _ in range(draw(st.integers(1, 2))):
            goal_ref = draw(st.sampled_from([None, *goal_ids]))
            kpi_id = draw(st.sampled_from([None, f"k{kpi_counter}"]))
            kpi_counter += 1
            top.append(draw(_kpi(kpi_id, goal_ref, top_level=True)))
        document["kpis"] = top
    if draw(st.integers(0, 4)) == 0:
        document["config"] = {
            "ignore": ["stale-review"],
            "options": {"too-many-goals": {"limit": 7}},
        }
    return document


def cascades(
    *,
    min_goals: int = 1,
    max_goals: int = 12,
    max_depth: int = 3,
    cross_links: bool = True,
    with_kpis: bool = True,
) -> st.SearchStrategy[Cascade]:
    """Valid :class:`~goalalign.domain.cascade.Cascade` objects, built from :func:`documents`
    through the loader, so they are exactly the cascades a document can describe."""
    from goalalign.loading.readers import document_to_cascade

    return documents(
        min_goals=min_goals,
        max_goals=max_goals,
        max_depth=max_depth,
        cross_links=cross_links,
        with_kpis=with_kpis,
    ).map(document_to_cascade)
