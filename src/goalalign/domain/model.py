"""The immutable domain model: organisation, teams, goals, KPIs and the links between goals.

Everything here is a frozen, slotted attrs class holding plain values. Objects refer to each
other by id, never by reference, so a model can hold references to ids that do not exist
(the rules report them) and so equality and pickling stay cheap. Edits go through
:func:`attrs.evolve`, which returns a new object.
"""

from __future__ import annotations

import enum
from datetime import date

import attrs

__all__ = [
    "KPI",
    "Aggregation",
    "Amount",
    "Change",
    "Direction",
    "EvidenceKind",
    "Goal",
    "Level",
    "Link",
    "LinkTarget",
    "Organisation",
    "Period",
    "Promise",
    "Status",
    "Suppression",
    "Team",
]


class _ValueEnum(enum.StrEnum):
    """A string enum whose ``str()`` is its document spelling."""


class Direction(_ValueEnum):
    """The anchor a team aligns to: one of the three directions of alignment."""

    STRATEGIC = "strategic"
    """Its goals contribute, through a cause-effect chain, to strategic goals."""
    ENABLING = "enabling"
    """A support team: its goals contribute to the goals of the teams it serves."""
    PURPOSE = "purpose"
    """It keeps the business running and anchors to purpose and promises."""


class Level(_ValueEnum):
    """How high in the cascade a goal sits; ``rank`` grows downwards."""

    STRATEGIC = "strategic"
    TRANSLATIONAL = "translational"
    OPERATIONAL = "operational"

    @property
    def rank(self) -> int:
        """0 for strategic, 1 for translational, 2 for operational."""
        return _LEVEL_RANK[self]


_LEVEL_RANK = {Level.STRATEGIC: 0, Level.TRANSLATIONAL: 1, Level.OPERATIONAL: 2}


class Status(_ValueEnum):
    """Whether a goal is still pursued; strategy changes, and anchors can be dropped."""

    ACTIVE = "active"
    DEPRIORITISED = "deprioritised"
    RETIRED = "retired"


class Change(_ValueEnum):
    """The direction of improvement of a measure."""

    INCREASE = "increase"
    DECREASE = "decrease"
    MAINTAIN = "maintain"


class Aggregation(_ValueEnum):
    """How the KPIs of supporting goals roll up into a KPI."""

    SUM = "sum"
    MEAN = "mean"
    MIN = "min"
    MAX = "max"
    NONE = "none"


class EvidenceKind(_ValueEnum):
    """What a measure is evidence of: the result itself, an output, or mere activity."""

    RESULT = "result"
    OUTPUT = "output"
    ACTIVITY = "activity"


class LinkTarget(_ValueEnum):
    """What a contribution link points at."""

    GOAL = "goal"
    PROMISE = "promise"
    PURPOSE = "purpose"


@attrs.frozen(slots=True)
class Amount:
    """A number in a unit, as written for a KPI's baseline, target or current value.

    ``unit`` is the canonical spelling produced by :mod:`goalalign.domain.units` (``"USD"``,
    ``"percent"``, ``"1 / day"``); ``None`` means the KPI has no unit. The amount keeps its own
    unit rather than being forced into the KPI's, so a percent target on a currency KPI survives
    loading and is reported as a finding instead of crashing the load.
    """

    value: float
    unit: str | None = None


@attrs.frozen(slots=True)
class Period:
    """A deadline as written (``2026-12``, ``2026-Q3``, ``FY2027``) and the date it ends on."""

    text: str
    end: date


@attrs.frozen(slots=True)
class Suppression:
    """A rule switched off for one goal or team, with the reason kept for the report."""

    rule: str
    reason: str | None = None


@attrs.frozen(slots=True)
class Promise:
    """A promise the organisation makes to its stakeholders: a purpose-direction anchor."""

    id: str
    statement: str


@attrs.frozen(slots=True)
class Organisation:
    """The organisation whose cascade is checked.

    ``as_of`` is the reference date for relative deadlines and review age; when the document
    leaves it out, checks use the day they run. ``fiscal_year_end`` is ``(month, day)`` and
    decides when ``FY2027`` ends.
    """

    name: str
    purpose: str | None = None
    promises: tuple[Promise, ...] = ()
    as_of: date | None = None
    fiscal_year_end: tuple[int, int] = (12, 31)


@attrs.frozen(slots=True)
class Team:
    """A unit of the organisation chart that owns goals and may serve other teams."""

    id: str
    name: str
    parent: str | None = None
    direction: Direction | None = None
    serves: tuple[str, ...] = ()
    ignore: tuple[Suppression, ...] = ()


@attrs.frozen(slots=True)
class Link:
    """A cause-effect link: the owning goal contributes to (or hinders) ``target``.

    ``target_id`` is a goal id for :attr:`LinkTarget.GOAL`, a promise id for
    :attr:`LinkTarget.PROMISE`, and ``None`` for :attr:`LinkTarget.PURPOSE`. ``mechanism`` is the
    cause-effect story; a link without one is a claim, not a chain.
    """

    target_kind: LinkTarget
    target_id: str | None
    mechanism: str | None = None
    weight: float | None = None


@attrs.frozen(slots=True)
class KPI:
    """Evidence of a goal's result: a named measure with a unit, a baseline and a target.

    ``goal`` is the id of the goal it measures, or ``None`` for a KPI that measures nothing.
    ``share_of`` names another KPI this one is a share of (``"20% of sales"``).
    """

    id: str
    name: str
    goal: str | None = None
    unit: str | None = None
    baseline: Amount | None = None
    target: Amount | None = None
    current: Amount | None = None
    direction: Change | None = None
    aggregation: Aggregation = Aggregation.NONE
    evidence: EvidenceKind | None = None
    deadline: Period | None = None
    share_of: str | None = None


@attrs.frozen(slots=True)
class Goal:
    """A result statement owned by one team, linked to what it contributes to."""

    id: str
    team: str
    statement: str
    level: Level | None = None
    status: Status = Status.ACTIVE
    deadline: Period | None = None
    last_reviewed: date | None = None
    supports: tuple[Link, ...] = ()
    hinders: tuple[Link, ...] = ()
    ignore: tuple[Suppression, ...] = ()
