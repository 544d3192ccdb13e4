"""How far each KPI and goal has come, and how the progress of supporting goals rolls up.

Definitions (``docs/numbers.rst`` gives the reasoning):

* **KPI progress** is read from ``current`` against baseline and target, in the KPI's
  resolved unit (conversions, shares and relative targets as in
  :mod:`goalalign.analysis.rollup`), clamped to ``[0, 1]``:

  - ``increase`` / ``decrease``: ``(current − baseline) / (target − baseline)``; the same
    formula serves both directions, because the signs of numerator and denominator flip
    together. Moving the wrong way is 0, overshooting is 1.
  - ``maintain`` (or a target equal to its baseline): 1 when ``current`` is within
    ``maintain_tolerance`` (relative, default 2%) of the target (else of the baseline), 0
    otherwise. A held level is either held or not; a graded value would pretend precision.

  Progress is ``None`` (unknown) without a current value, a baseline or a target.
* **Own progress of a goal** is the plain mean of its KPIs' known progress.
* **Rolled-up progress** of a goal is the weighted mean of its direct supporters' progress
  (each supporter's own progress when measured, else its own rolled-up progress), computed
  leaves first in one pass. ``method`` chooses the weights:

  - ``"weighted"`` (default): the link weights (a missing weight counts as 1);
  - ``"equal"``: every supporter counts the same;
  - ``"target"``: each supporter's contribution to the goal's summed KPI (from the roll-up),
    so a part planned to deliver $40m moves the parent more than one planned to deliver $1m;
    goals with no summed KPI fall back to the link weights.

  Supporters with unknown progress are left out of the mean (``supporters`` and
  ``measured_supporters`` say how many there were and how many counted). Goals inside a
  contribution cycle, and goals the cycle supports, get no rolled-up progress (there is no
  order to compute it in); the ``contribution-cycle`` rule reports the cycle.
* **Progress** of a goal is its own progress when it has any, else its rolled-up progress. A
  parent with its own KPIs reports both: its own measure is the evidence, the roll-up says
  whether the parts are on track to deliver it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator, Mapping
from typing import Any, Literal

import attrs

from goalalign.analysis.rollup import (
    ResolvedKPI,
    RollupAnalysis,
    paused_gc,
    rollup,
    supporters_index,
)
from goalalign.domain.cascade import Cascade
from goalalign.domain.model import Aggregation, Change

__all__ = ["Method", "ProgressRow", "ProgressTable", "kpi_progress", "progress"]

Method = Literal["weighted", "equal", "target"]
_METHODS: tuple[str, ...] = ("weighted", "equal", "target")

_COLUMNS = (
    "kind",
    "id",
    "goal",
    "team",
    "progress",
    "own",
    "rolled_up",
    "supporters",
    "measured_supporters",
)


@attrs.frozen(slots=True)
class ProgressRow:
    """One KPI's or goal's progress; ``kind`` is ``"kpi"`` or ``"goal"``.

    For a KPI, ``goal`` is the goal it measures and ``own`` equals ``progress``; ``rolled_up``
    is ``None`` and the supporter counts are 0. Values are fractions in ``[0, 1]`` or ``None``
    when unknown.
    """

    kind: str
    id: str
    goal: str | None
    team: str | None
    progress: float | None
    own: float | None
    rolled_up: float | None
    supporters: int = 0
    measured_supporters: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The row as a plain dict, keyed by column name."""
        return {name: getattr(self, name) for name in _COLUMNS}


@attrs.frozen(slots=True, eq=False)
class ProgressTable:
    """Progress of every KPI and goal, as a small table: iterate rows, look up by id, or turn
    it into records or a :class:`pandas.DataFrame`.

    Rows come KPIs first, then goals, each in document order.
    """

    rows: tuple[ProgressRow, ...]
    method: str = "weighted"
    _index: dict[tuple[str, str], ProgressRow] = attrs.field(
        init=False, repr=False, factory=dict
    )

    def _row(self, kind: str, row_id: str) -> ProgressRow | None:
        if not self._index:  # built on the first look-up: most callers only iterate
            self._index.update(((row.kind, row.id), row) for row in self.rows)
        return self._index.get((kind, row_id))

    def __iter__(self) -> Iterator[ProgressRow]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def goal(self, goal_id: str) -> ProgressRow | None:
        """The row of goal ``goal_id``."""
        return self._row("goal", goal_id)

    def kpi(self, kpi_id: str) -> ProgressRow | None:
        """The row of KPI ``kpi_id``."""
        return self._row("kpi", kpi_id)

    def to_records(self) -> list[dict[str, Any]]:
        """One plain dict per row (JSON-ready)."""
        return [row.to_dict() for row in self.rows]

    def to_dataframe(self) -> Any:
        """A :class:`pandas.DataFrame` with one row per KPI and goal.

        Progress columns are ``float64`` (unknown is ``NaN``), the counts ``int64``, the rest
        strings (``object``). Needs pandas (``pip install goalalign[dataframe]``).
        """
        try:
            import pandas as pd
        except ImportError:
            raise ImportError(
                "ProgressTable.to_dataframe needs pandas; install it with "
                "'pip install goalalign[dataframe]'"
            ) from None
        columns: dict[str, list[Any]] = {name: [] for name in _COLUMNS}
        for row in self.rows:
            for name in _COLUMNS:
                value = getattr(row, name)
                columns[name].append(math.nan if value is None and name in _FLOATS else value)
        frame = pd.DataFrame(columns, columns=list(_COLUMNS))
        return frame.astype(
            dict.fromkeys(_FLOATS, "float64")
            | {"supporters": "int64", "measured_supporters": "int64"}
            | dict.fromkeys(("kind", "id", "goal", "team"), "object")
        )


_FLOATS = ("progress", "own", "rolled_up")


def kpi_progress(item: ResolvedKPI, *, maintain_tolerance: float = 0.02) -> float | None:
    """The progress of one resolved KPI in ``[0, 1]``, or ``None`` when it cannot be told."""
    current, baseline, target = item.current, item.baseline, item.target
    if current is None:
        return None
    if item.direction is Change.MAINTAIN or (
        baseline is not None and target is not None and target == baseline
    ):
        reference = target if target is not None else baseline
        if reference is None:
            return None
        band = maintain_tolerance * abs(reference)
        return 1.0 if abs(current - reference) <= band else 0.0
    if baseline is None or target is None:
        return None
    fraction = (current - baseline) / (target - baseline)
    return min(1.0, max(0.0, fraction))


def progress(
    cascade: Cascade,
    *,
    method: Method = "weighted",
    maintain_tolerance: float = 0.02,
    analysis: RollupAnalysis | None = None,
) -> ProgressTable:
    """Progress of every KPI and goal of ``cascade``, rolled up to parents by ``method``.

    ``analysis`` reuses a roll-up already computed (for example by a check).

    >>> from goalalign.loading import loads
    >>> cascade = loads('''
    ... goalalign: 1
    ... organisation: {name: Example}
    ... teams: [{id: exec}, {id: east, parent: exec}]
    ... goals:
    ...   - {id: grow, team: exec, statement: Grow sales from $10m to $14m by 2027}
    ...   - id: east-sales
    ...     team: east
    ...     statement: Grow eastern sales from $6m to $8m by 2027
    ...     supports: [grow]
    ...     kpis:
    ...       - {name: East sales, unit: USD, baseline: "$6m", target: "$8m", current: "$7m"}
    ... ''')
    >>> progress(cascade).goal("grow").rolled_up
    0.5
    """
    if method not in _METHODS:
        raise ValueError(f"unknown progress method {method!r}; expected one of {_METHODS}")
    with paused_gc():
        return _progress(cascade, method, maintain_tolerance, analysis)


def _progress(
    cascade: Cascade, method: str, maintain_tolerance: float, analysis: RollupAnalysis | None
) -> ProgressTable:
    if analysis is None:
        analysis = rollup(cascade)
    resolved = analysis.resolved
    team_of = {g.id: g.team for g in cascade.goals}

    kpi_rows: list[ProgressRow] = []
    own_sum: dict[str, float] = defaultdict(float)
    own_count: dict[str, int] = defaultdict(int)
    for kpi in cascade.kpis:
        value = kpi_progress(resolved[kpi.id], maintain_tolerance=maintain_tolerance)
        if value is not None and kpi.goal is not None:
            own_sum[kpi.goal] += value
            own_count[kpi.goal] += 1
        team = team_of.get(kpi.goal) if kpi.goal is not None else None
        kpi_rows.append(ProgressRow("kpi", kpi.id, kpi.goal, team, value, value, None))

    supporters = supporters_index(cascade)
    position = {goal.id: i for i, goal in enumerate(cascade.goals)}
    own: list[float | None] = [None] * len(position)
    for goal_id, count in own_count.items():
        index = position.get(goal_id)
        if index is not None:
            own[index] = own_sum[goal_id] / count
    inputs = _inputs(method, supporters, position, analysis)
    rolled, measured = _roll_up(own, inputs)

    goal_rows = []
    for index, goal in enumerate(cascade.goals):
        mine = own[index]
        up = rolled[index]
        goal_rows.append(
            ProgressRow(
                "goal",
                goal.id,
                goal.id,
                goal.team,
                mine if mine is not None else up,
                mine,
                up,
                len(inputs.get(index, ())),
                measured[index],
            )
        )
    return ProgressTable((*kpi_rows, *goal_rows), method)


def _inputs(
    method: str,
    supporters: Mapping[str, list[tuple[str, float]]],
    position: Mapping[str, int],
    analysis: RollupAnalysis,
) -> dict[int, list[tuple[int, float]]]:
    """For each parent goal (by position), its supporters (by position) and their weights."""
    by_contribution: dict[str, dict[str, float]] = {}
    if method == "target":
        for item in analysis.results:
            if item.aggregation is Aggregation.SUM and item.goal not in by_contribution:
                by_contribution[item.goal] = {
                    p.goal: abs(p.contribution or 0.0) for p in item.parts
                }
    inputs: dict[int, list[tuple[int, float]]] = {}
    for parent, links in supporters.items():
        index = position.get(parent)
        if index is None:
            continue
        shares = by_contribution.get(parent)
        if method == "equal":
            inputs[index] = [(position[s], 1.0) for s, _ in links]
        elif shares is not None:
            inputs[index] = [(position[s], shares.get(s, 0.0)) for s, _ in links]
        else:
            inputs[index] = [(position[s], weight) for s, weight in links]
    return inputs


def _roll_up(
    own: list[float | None], inputs: dict[int, list[tuple[int, float]]]
) -> tuple[list[float | None], list[int]]:
    """Rolled-up progress per goal position, leaves first (Kahn's order over the links).

    A goal's value passed upwards is its own progress when measured, else its rolled-up one.
    """
    count = len(own)
    waiting = [0] * count
    parents_of: dict[int, list[int]] = defaultdict(list)
    for parent, links in inputs.items():
        waiting[parent] = len(links)
        for supporter, _ in links:
            parents_of[supporter].append(parent)
    rolled: list[float | None] = [None] * count
    measured = [0] * count
    effective = list(own)
    ready = [index for index in range(count) if waiting[index] == 0]
    while ready:
        goal = ready.pop()
        feeding = inputs.get(goal)
        if feeding:
            total = weight_sum = 0.0
            counted = 0
            for supporter, weight in feeding:
                value = effective[supporter]
                if value is None:
                    continue
                counted += 1
                total += weight * value
                weight_sum += weight
            measured[goal] = counted
            if weight_sum > 0:
                result = min(1.0, max(0.0, total / weight_sum))
                rolled[goal] = result
                if effective[goal] is None:
                    effective[goal] = result
        for parent in parents_of.get(goal, ()):
            waiting[parent] -= 1
            if waiting[parent] == 0:
                ready.append(parent)
    return rolled, measured
