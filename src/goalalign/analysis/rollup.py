"""Targets that must add up: unit-aware roll-up of supporting goals' KPIs into a parent KPI.

A KPI with ``aggregation: sum`` says "the goals that support my goal deliver parts of my
change". The parts are the planned changes (target − baseline) of the supporting goals' KPIs,
converted into the parent's unit; when they add up to less than the parent's planned change,
the parent's target is not backed by anyone's plan (the ``rollup-shortfall`` rule).

Semantics, in short (``docs/numbers.rst`` has the long form):

* **Which KPI is a part.** For each goal that directly supports the parent's goal, the first of
  its KPIs (document order) whose unit can be compared with the parent's. Parts need no
  ``aggregation`` of their own; only the parent declares how it rolls up. A supporting goal
  whose KPI is an amount of the same kind in a unit that cannot be compared (euros under a
  dollar sum, dollars per year under dollars) is an *incompatible* part: recorded, reported by
  ``incompatible-units``, never silently dropped. One measured by another kind of quantity (a
  head count or a percentage under a revenue sum) is a driver, not a part (``other_measures``);
  one with no KPI, or whose KPI lacks a baseline or target, is *unquantified*. Both are listed
  in the evidence.
* **Units.** Every amount is converted through the cached factor of its unit string
  (:func:`goalalign.domain.units.parse_unit`), so ``$1.5m`` and ``1500 kUSD`` are the same
  part and ``20 emails/day`` adds to ``600 emails/month``. Currencies never convert into each
  other.
* **Several parents.** A goal that supports several parents which each sum a comparable
  measure contributes to each its link-weight share: ``weight / sum of its weights to those
  parents`` (a missing weight counts as 1, so no weights means equal shares). Its change is
  therefore counted once in total, never once per parent.
* **Shares.** A percent (or other dimensionless) KPI with ``share_of: <kpi id>`` is resolved
  into the other KPI's unit: target % × that KPI's target, baseline % × its baseline.
* **Relative targets.** A KPI with a baseline but no target takes its target from its goal's
  statement when the statement is relative ("by 30%", "by 5 percentage points", "by $2m",
  "double"), read by :func:`goalalign.text.statement.parse_statement`.
* **mean / min / max.** These roll up levels, not changes: the parts' targets are aggregated
  (link-weighted mean, minimum, maximum) and compared with the parent's target in the parent's
  direction of improvement.

The whole analysis is linear: one reverse index of contribution links, one pass over KPIs,
float arithmetic only.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING

import attrs

from goalalign._collector import collector_paused
from goalalign.domain.cascade import Cascade
from goalalign.domain.model import KPI, Aggregation, Amount, Change, LinkTarget
from goalalign.domain.units import QuantityError, UnitInfo, parse_unit

if TYPE_CHECKING:
    from goalalign.engine.context import CheckContext

__all__ = [
    "Part",
    "ResolvedKPI",
    "RollupAnalysis",
    "RollupResult",
    "UnitMismatch",
    "format_amount",
    "paused_gc",
    "resolve_kpis",
    "rollup",
    "rollup_analysis",
    "statement_relative_target",
    "supporters_index",
]


@attrs.frozen(slots=True)
class ResolvedKPI:
    """A KPI's amounts as plain floats in one unit: converted, shares and relative targets
    resolved.

    ``unit`` is the KPI's effective unit (its own, else the unit its amounts were written in,
    else a share's parent unit). ``direction`` is declared, or read from target vs baseline.
    ``target_from`` says where the target came from: ``"document"``, ``"share"`` or
    ``"statement"`` (a relative statement such as "by 30%").
    """

    kpi: str
    goal: str | None
    unit: str | None
    baseline: float | None
    target: float | None
    current: float | None
    direction: Change | None
    target_from: str = "document"

    @property
    def planned_change(self) -> float | None:
        """Target − baseline, when both are known."""
        if self.baseline is None or self.target is None:
            return None
        return self.target - self.baseline


@attrs.frozen(slots=True)
class UnitMismatch:
    """One amount of a KPI whose unit cannot be compared with the KPI's unit.

    ``field`` is ``baseline``, ``target``, ``current`` or ``share_of`` (a share KPI whose unit
    is not a percentage or fraction).
    """

    kpi: str
    goal: str | None
    field: str
    unit: str | None
    expected: str | None


@attrs.frozen(slots=True)
class Part:
    """One supporting goal's part in a parent KPI's roll-up.

    ``change`` is the part's planned change (for ``sum``) or its target (for ``mean``, ``min``,
    ``max``) in the part's own ``unit``. For ``sum``, ``share`` is the fraction of the change
    attributed to this parent and ``contribution`` that fraction in the parent's unit; for the
    others, ``share`` is the part's weight in the mean and ``contribution`` its target in the
    parent's unit. ``contribution`` is ``None`` when it cannot be computed.
    """

    goal: str
    kpi: str | None
    unit: str | None
    change: float | None
    share: float
    contribution: float | None


@attrs.frozen(slots=True)
class RollupResult:
    """The roll-up of one parent KPI.

    For ``sum``, ``parent_value`` is the parent's planned change and ``parts_value`` the sum of
    the parts' contributions, both in ``unit``. For ``mean``/``min``/``max`` they are the
    parent's target and the aggregate of the parts' targets. ``gap`` is
    ``parent_value − parts_value`` (``None`` when the parent's value is unknown).
    """

    kpi: str
    goal: str
    name: str
    aggregation: Aggregation
    unit: str | None
    direction: Change | None
    parent_value: float | None
    parts_value: float | None
    parts: tuple[Part, ...] = ()
    incompatible: tuple[Part, ...] = ()
    unquantified: tuple[Part, ...] = ()
    other_measures: tuple[str, ...] = ()
    target: float | None = None
    """The parent's own target, in ``unit``."""

    @property
    def planned_target(self) -> float | None:
        """The parent's target the parts actually back: its target minus the gap."""
        gap = self.gap
        if self.target is None or gap is None:
            return None
        return self.target - gap if self.aggregation is Aggregation.SUM else self.parts_value

    @property
    def planned_change(self) -> float | None:
        """The parent's planned change (target − baseline) for ``sum``; ``None`` otherwise."""
        return self.parent_value if self.aggregation is Aggregation.SUM else None

    @property
    def gap(self) -> float | None:
        """Parent minus parts, in the parent's unit."""
        if self.parent_value is None or self.parts_value is None:
            return None
        return self.parent_value - self.parts_value

    def _sense(self) -> int:
        """+1 when more is better for this comparison, −1 when less is, 0 when neither."""
        if self.aggregation is Aggregation.SUM:
            value = self.parent_value or 0.0
            return 1 if value > 0 else -1 if value < 0 else 0
        if self.direction is Change.INCREASE:
            return 1
        if self.direction is Change.DECREASE:
            return -1
        return 0

    def _excess(self, tolerance: float) -> float | None:
        """How far the parts go beyond the parent in its good direction, minus the tolerance
        band (negative: short; positive: over; ``None``: within tolerance or undecidable)."""
        if self.parent_value is None or self.parts_value is None or not self.parts:
            return None
        sense = self._sense()
        if sense == 0:
            return None
        band = tolerance * abs(self.parent_value)
        excess = (self.parts_value - self.parent_value) * sense
        if abs(excess) <= band:
            return None
        return excess

    def shortfall(self, tolerance: float) -> bool:
        """Whether the parts fall short of the parent by more than ``tolerance`` (relative)."""
        excess = self._excess(tolerance)
        return excess is not None and excess < 0

    def overcommitment(self, tolerance: float) -> bool:
        """Whether the parts exceed the parent by more than ``tolerance`` (relative)."""
        excess = self._excess(tolerance)
        return excess is not None and excess > 0


@attrs.frozen(slots=True, eq=False)
class RollupAnalysis:
    """Every parent KPI's roll-up, each KPI's resolved amounts, and units that do not match.

    ``supporters`` is the reverse index of contribution links the roll-up was built on: for
    each goal with a rolling-up KPI, its direct supporters with their raw link weights.
    """

    results: tuple[RollupResult, ...]
    resolved: Mapping[str, ResolvedKPI]
    mismatches: tuple[UnitMismatch, ...]
    supporters: Mapping[str, list[tuple[str, float]]] = attrs.field(factory=dict)
    _by_kpi: dict[str, RollupResult] = attrs.field(init=False, factory=dict, repr=False)

    def __attrs_post_init__(self) -> None:
        for item in self.results:
            self._by_kpi[item.kpi] = item

    def result(self, kpi_id: str) -> RollupResult | None:
        """The roll-up of the parent KPI ``kpi_id`` (``None`` when it does not roll up)."""
        return self._by_kpi.get(kpi_id)

    def shortfalls(self, tolerance: float = 0.01) -> tuple[RollupResult, ...]:
        """The results whose parts fall short of the parent beyond ``tolerance``."""
        return tuple(r for r in self.results if r.shortfall(tolerance))


paused_gc = collector_paused
"""Pause the collector during an analysis; see :mod:`goalalign._collector`."""


# -- units ---------------------------------------------------------------------------------


def _info(unit: str | None) -> UnitInfo | None:
    if unit is None:
        return None
    try:
        return parse_unit(unit)
    except QuantityError:
        return None


def _factor_between(source: str | None, target: str | None) -> float | None:
    """The multiplier from ``source`` to ``target`` units, or ``None`` when incomparable."""
    if source == target:
        return 1.0
    return _factor_cached(source, target)


@lru_cache(maxsize=4096)
def _factor_cached(source: str | None, target: str | None) -> float | None:
    """Per pair of distinct unit strings: a roll-up asks for the same few pairs many times.

    The factor between two units depends only on their definitions, which goalalign adds
    identically to any registry it prepares, so the cache outlives a change of registry.
    """
    a, b = _info(source), _info(target)
    if a is None or b is None or not a.compatible(b):
        return None
    return a.factor / b.factor


_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}


def format_amount(value: float, unit: str | None, *, signed: bool = False) -> str:
    """A readable amount: ``$78m``, ``€1.2bn``, ``20%``, ``1,200 count``, ``-$4m``.

    Money and unit-less amounts get magnitude suffixes (k, m, bn); other units are written
    after the number. ``signed`` adds a ``+`` to positive values (for planned changes).
    """
    sign = "-" if value < 0 else "+" if signed and value > 0 else ""
    magnitude = abs(value)
    if unit is None:
        return f"{sign}{_scaled(magnitude)}"
    if unit in ("percent", "%"):
        return f"{sign}{_number(magnitude)}%"
    if _is_money(unit):
        symbol = _SYMBOLS.get(unit)
        if symbol is not None:
            return f"{sign}{symbol}{_scaled(magnitude)}"
        return f"{sign}{_scaled(magnitude)} {unit}"
    return f"{sign}{_number(magnitude)} {unit}"


@lru_cache(maxsize=1024)
def _is_money(unit: str) -> bool:
    info = _info(unit)
    if info is None:
        return False
    dims = info.dimensionality
    return len(dims) == 1 and dims[0][0].startswith("[currency_") and dims[0][1] == 1.0


def _scaled(magnitude: float) -> str:
    for threshold, divisor, suffix in ((1e12, 1e12, "tn"), (1e9, 1e9, "bn"), (1e6, 1e6, "m")):
        if magnitude >= threshold:
            return f"{_number(magnitude / divisor)}{suffix}"
    if magnitude >= 1e4:  # "$1,234" reads better than "$1.23k"
        return f"{_number(magnitude / 1e3)}k"
    return _number(magnitude)


def _number(value: float) -> str:
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


# -- resolving KPIs --------------------------------------------------------------------------

RelativeTarget = Callable[[str, float, str | None, Change | None], float | None]
"""Reads a goal statement, with the KPI's baseline, unit and declared direction, and returns the
target a relative statement ("by 30%", "double") implies, or ``None``."""


def statement_relative_target(cascade: Cascade) -> RelativeTarget:
    """A reader of relative statements for ``cascade`` (its ``as_of`` and fiscal year).

    ``by 30%`` is 30% of the baseline, ``by 5 percentage points`` 5 in a percent KPI, ``by $2m``
    an amount in a comparable unit, ``double``/``halve`` a multiple. The direction of change is
    the KPI's declared one, else the statement's; with neither (or ``maintain``) there is no
    target to read.
    """
    from goalalign.text.statement import Role, parse_statement

    as_of = cascade.as_of()
    fiscal_year_end = cascade.organisation.fiscal_year_end

    def relative(
        text: str, baseline: float, unit: str | None, direction: Change | None
    ) -> float | None:
        parsed = parse_statement(text, as_of, "en", fiscal_year_end)
        change = direction or parsed.change
        if change not in (Change.INCREASE, Change.DECREASE):
            return None
        sign = 1.0 if change is Change.INCREASE else -1.0
        for amount in parsed.amounts:
            if amount.role is Role.MULTIPLIER:
                return baseline * amount.value
            if amount.role is not Role.RELATIVE:
                continue
            if amount.unit == "percent" and not amount.points:
                return baseline * (1.0 + sign * amount.value / 100.0)
            factor = _factor_between(amount.unit, unit)
            if factor is not None:
                return baseline + sign * amount.value * factor
            return None
        return None

    return relative


def resolve_kpis(
    cascade: Cascade, relative_target: RelativeTarget | None = None
) -> tuple[Mapping[str, ResolvedKPI], list[UnitMismatch]]:
    """Each KPI's amounts as floats in its effective unit, and every unit that does not fit.

    The mismatches are found at once, in one cheap pass (most amounts are written in their
    KPI's unit, a string comparison). The resolved KPIs form a mapping by KPI id that resolves
    each KPI the first time it is read: a check reads only the parents of roll-ups and their
    parts, so most KPIs of a large cascade are never resolved at all.
    """
    return _Resolved(cascade, relative_target), _unit_mismatches(cascade)


def _unit_mismatches(cascade: Cascade) -> list[UnitMismatch]:
    mismatches: list[UnitMismatch] = []
    for kpi in cascade.kpis:
        unit = kpi.unit
        if unit is None:
            unit = _written_unit(kpi)
        for field, amount in (
            ("baseline", kpi.baseline),
            ("target", kpi.target),
            ("current", kpi.current),
        ):
            if (
                amount is not None
                and amount.unit != unit
                and _factor_between(amount.unit, unit) is None
            ):
                mismatches.append(UnitMismatch(kpi.id, kpi.goal, field, amount.unit, unit))
        if kpi.share_of is not None and cascade.kpi(kpi.share_of) is not None:
            _share_scale(kpi, unit, mismatches)
    return mismatches


def _written_unit(kpi: KPI) -> str | None:
    """The unit a unit-less KPI's amounts are written in (target first)."""
    for written in (kpi.target, kpi.baseline, kpi.current):
        if written is not None and written.unit is not None:
            return written.unit
    return None


class _Resolved(Mapping[str, ResolvedKPI]):
    """KPIs resolved on first access, by id; a share is resolved after what it is a share of.

    A share chain that loops stops where it meets itself: the KPI met again is read as an
    ordinary KPI (a loop of shares has no meaning to resolve).
    """

    def __init__(self, cascade: Cascade, relative_target: RelativeTarget | None) -> None:
        self._cascade = cascade
        self._relative = relative_target
        self._done: dict[str, ResolvedKPI] = {}

    def __getitem__(self, kpi_id: str) -> ResolvedKPI:
        found = self._done.get(kpi_id)
        if found is not None:
            return found
        kpi = self._cascade.kpi(kpi_id)
        if kpi is None:
            raise KeyError(kpi_id)
        chain = [kpi]
        if kpi.share_of is not None:
            seen = {kpi.id}
            while True:
                head = chain[-1]
                above = self._cascade.kpi(head.share_of) if head.share_of is not None else None
                if above is None or above.id in self._done or above.id in seen:
                    break
                chain.append(above)
                seen.add(above.id)
        for item in reversed(chain):
            self._done[item.id] = self._resolve(item)
        return self._done[kpi_id]

    def __iter__(self) -> Iterator[str]:
        return (kpi.id for kpi in self._cascade.kpis)

    def __len__(self) -> int:
        return len(self._cascade.kpis)

    def _resolve(self, item: KPI) -> ResolvedKPI:
        ignored: list[UnitMismatch] = []  # reported once, by _unit_mismatches
        unit, baseline, target, current = _resolve_plain(item, ignored)
        source = "document"
        whole = self._done.get(item.share_of) if item.share_of is not None else None
        if whole is not None:
            scale = _share_scale(item, unit, ignored)
            if scale is not None:
                unit, source = whole.unit, "share"
                baseline = _times(baseline, scale, whole.baseline)
                target = _times(target, scale, whole.target)
                current = _times(current, scale, whole.current)
        if target is None and baseline is not None and self._relative is not None:
            owner = self._cascade.goal(item.goal) if item.goal is not None else None
            if owner is not None:
                implied = self._relative(owner.statement, baseline, unit, item.direction)
                if implied is not None:
                    target, source = implied, "statement"
        direction = item.direction
        if direction is None and baseline is not None and target is not None:
            direction = (
                Change.INCREASE
                if target > baseline
                else Change.DECREASE
                if target < baseline
                else Change.MAINTAIN
            )
        return ResolvedKPI(item.id, item.goal, unit, baseline, target, current, direction, source)


_Values = tuple[str | None, float | None, float | None, float | None]


def _resolve_plain(kpi: KPI, mismatches: list[UnitMismatch]) -> _Values:
    """The KPI's effective unit and its baseline, target and current value in that unit."""
    unit = kpi.unit if kpi.unit is not None else _written_unit(kpi)
    return (
        unit,
        _in_unit(kpi, "baseline", kpi.baseline, unit, mismatches),
        _in_unit(kpi, "target", kpi.target, unit, mismatches),
        _in_unit(kpi, "current", kpi.current, unit, mismatches),
    )


def _in_unit(
    kpi: KPI, field: str, amount: Amount | None, unit: str | None, mismatches: list[UnitMismatch]
) -> float | None:
    if amount is None:
        return None
    if amount.unit == unit:
        return amount.value
    factor = _factor_between(amount.unit, unit)
    if factor is None:
        mismatches.append(UnitMismatch(kpi.id, kpi.goal, field, amount.unit, unit))
        return None
    return amount.value * factor


def _share_scale(kpi: KPI, unit: str | None, mismatches: list[UnitMismatch]) -> float | None:
    """The factor from the share KPI's unit to a fraction (0.01 for percent), or ``None``
    (recorded as a mismatch) when its unit is not dimensionless."""
    info = _info(unit)
    if info is None or info.dimensionality != ():
        mismatches.append(UnitMismatch(kpi.id, kpi.goal, "share_of", unit, "percent"))
        return None
    return info.factor


def _times(fraction: float | None, scale: float, whole: float | None) -> float | None:
    if fraction is None or whole is None:
        return None
    return fraction * scale * whole


# -- the roll-up ---------------------------------------------------------------------------


def supporters_index(
    cascade: Cascade, only: Collection[str] | None = None
) -> dict[str, list[tuple[str, float]]]:
    """For each goal, the goals that directly support it with the raw link weight (missing
    weights count as 1). Built once, in one pass over the links; duplicate links count once.

    ``only`` restricts the index to those supported goals (a roll-up needs only its parents').
    """
    known = {g.id for g in cascade.goals} if only is None else set(only)
    goal_kind = LinkTarget.GOAL
    index: dict[str, list[tuple[str, float]]] = {}
    for goal in cascade.goals:
        supports = goal.supports
        if not supports:
            continue
        source = goal.id
        seen: tuple[str, ...] | set[str] = () if len(supports) == 1 else set()
        for link in supports:
            target = link.target_id
            if link.target_kind is not goal_kind or target is None:
                continue
            if target not in known or target == source or target in seen:
                continue
            if isinstance(seen, set):
                seen.add(target)
            entry = (source, 1.0 if link.weight is None else float(link.weight))
            bucket = index.get(target)
            if bucket is None:
                index[target] = [entry]
            else:
                bucket.append(entry)
    return index


def rollup(cascade: Cascade, *, relative_targets: bool = True) -> RollupAnalysis:
    """The roll-up of every parent KPI (``aggregation`` other than ``none``) of ``cascade``.

    >>> from goalalign.loading import loads
    >>> cascade = loads('''
    ... goalalign: 1
    ... organisation: {name: Example}
    ... teams: [{id: exec}, {id: east, parent: exec}, {id: west, parent: exec}]
    ... goals:
    ...   - id: grow
    ...     team: exec
    ...     statement: Grow sales from $10m to $14m by 2027
    ...     kpis:
    ...       - {id: sales, name: Sales, unit: USD, baseline: "$10m", target: "$14m",
    ...          aggregation: sum}
    ...   - id: east-sales
    ...     team: east
    ...     statement: Grow eastern sales from $6m to $8m by 2027
    ...     supports: [grow]
    ...     kpis: [{name: East sales, unit: USD, baseline: "$6m", target: "$8m"}]
    ...   - id: west-sales
    ...     team: west
    ...     statement: Grow western sales from $4m to $5m by 2027
    ...     supports: [grow]
    ...     kpis: [{name: West sales, unit: kUSD, baseline: 4000, target: 5000}]
    ... ''')
    >>> result = rollup(cascade).result("sales")
    >>> format_amount(result.parts_value, result.unit), format_amount(result.gap, result.unit)
    ('$3m', '$1m')
    """
    with paused_gc():
        return _rollup(cascade, relative_targets)


def _rollup(cascade: Cascade, relative_targets: bool) -> RollupAnalysis:
    relative = statement_relative_target(cascade) if relative_targets else None
    resolved, mismatches = resolve_kpis(cascade, relative)
    parents = [k for k in cascade.kpis if k.aggregation is not Aggregation.NONE and k.goal]
    parent_goals = {k.goal for k in parents if k.goal is not None and cascade.goal(k.goal)}
    supporters = supporters_index(cascade, parent_goals) if parent_goals else {}

    # Pass 1: choose each parent's parts; for sums, total each part's weights over the
    # distinct parent goals it feeds, so a goal feeding several parents is shared, not copied.
    plans: list[tuple[KPI, list[tuple[str, KPI | None, float, str]]]] = []
    denominators: dict[tuple[str, str], float] = defaultdict(float)
    counted: set[tuple[str, str, str]] = set()
    for parent in parents:
        parent_unit = resolved[parent.id].unit
        chosen: list[tuple[str, KPI | None, float, str]] = []
        for supporter_id, weight in supporters.get(parent.goal or "") or []:
            part, status = _choose_part(cascade.kpis_of(supporter_id), parent_unit, resolved)
            chosen.append((supporter_id, part, weight, status))
            if parent.aggregation is Aggregation.SUM and part is not None and status == _PART:
                key = (supporter_id, part.id, parent.goal or "")
                if key not in counted:
                    counted.add(key)
                    denominators[(supporter_id, part.id)] += weight
        plans.append((parent, chosen))

    results = [_result(parent, chosen, resolved, denominators) for parent, chosen in plans]
    return RollupAnalysis(tuple(results), resolved, tuple(mismatches), supporters)


_PART, _INCOMPATIBLE, _OTHER, _NONE = "part", "incompatible", "other", "none"


def _choose_part(
    kpis: Iterable[KPI], parent_unit: str | None, resolved: Mapping[str, ResolvedKPI]
) -> tuple[KPI | None, str]:
    """The supporting goal's KPI that is its part, and what kind of part it is.

    The first KPI in a comparable unit is a part. Failing that, the first in a unit of the same
    kind (another currency, a rate of the same thing) is an incompatible part: it looks like an
    amount of the parent's measure but cannot be added to it. KPIs of other kinds (a head count
    or a percentage under a revenue sum) measure a driver, not a part.
    """
    similar: KPI | None = None
    first: KPI | None = None
    parent_kind = _kind(parent_unit)
    for kpi in kpis:
        unit = resolved[kpi.id].unit
        if _factor_between(unit, parent_unit) is not None:
            return kpi, _PART
        if first is None:
            first = kpi
        if similar is None and _kind(unit) == parent_kind:
            similar = kpi
    if similar is not None:
        return similar, _INCOMPATIBLE
    return first, (_NONE if first is None else _OTHER)


@lru_cache(maxsize=4096)
def _kind(unit: str | None) -> frozenset[str] | None:
    """What a unit is an amount of, ignoring per-time rates and which currency it is in."""
    if unit is None:
        return None
    info = _info(unit)
    if info is None:
        return None
    names = {
        "[currency]" if name.startswith("[currency_") else name
        for name, _ in info.dimensionality
    }
    if len(names) > 1:
        names.discard("[time]")
    return frozenset(names)


def _result(
    parent: KPI,
    chosen: list[tuple[str, KPI | None, float, str]],
    resolved: Mapping[str, ResolvedKPI],
    denominators: Mapping[tuple[str, str], float],
) -> RollupResult:
    own = resolved[parent.id]
    summing = parent.aggregation is Aggregation.SUM
    counted: list[Part] = []
    incompatible: list[Part] = []
    unquantified: list[Part] = []
    others: list[str] = []
    for supporter_id, part, weight, status in chosen:
        if part is None:
            unquantified.append(Part(supporter_id, None, None, None, 0.0, None))
            continue
        if status == _OTHER:
            others.append(supporter_id)
            continue
        info = resolved[part.id]
        value = info.planned_change if summing else info.target
        if status == _INCOMPATIBLE:
            incompatible.append(Part(supporter_id, part.id, info.unit, value, 0.0, None))
            continue
        if value is None:
            unquantified.append(Part(supporter_id, part.id, info.unit, None, 0.0, None))
            continue
        factor = _factor_between(info.unit, own.unit) or 0.0
        if summing:
            total = denominators.get((supporter_id, part.id), 0.0)
            share = weight / total if total > 0 else 0.0
            counted.append(
                Part(supporter_id, part.id, info.unit, value, share, value * factor * share)
            )
        else:
            counted.append(Part(supporter_id, part.id, info.unit, value, weight, value * factor))
    if not summing:
        total_weight = math.fsum(p.share for p in counted)
        counted = [
            attrs.evolve(p, share=p.share / total_weight if total_weight > 0 else 0.0)
            for p in counted
        ]
    parent_value = own.planned_change if summing else own.target
    parts_value = _aggregate(parent.aggregation, counted)
    ordered = sorted(counted, key=lambda p: p.goal)
    return RollupResult(
        kpi=parent.id,
        goal=parent.goal or "",
        name=parent.name,
        aggregation=parent.aggregation,
        unit=own.unit,
        direction=own.direction,
        parent_value=parent_value,
        parts_value=parts_value,
        parts=tuple(ordered),
        incompatible=tuple(sorted(incompatible, key=lambda p: p.goal)),
        unquantified=tuple(sorted(unquantified, key=lambda p: p.goal)),
        other_measures=tuple(sorted(others)),
        target=own.target,
    )


def _aggregate(aggregation: Aggregation, parts: list[Part]) -> float | None:
    values = [p.contribution for p in parts if p.contribution is not None]
    if aggregation is Aggregation.SUM:
        return math.fsum(values)
    if not values:
        return None
    if aggregation is Aggregation.MEAN:
        if math.fsum(p.share for p in parts) <= 0:
            return None
        return math.fsum(p.share * (p.contribution or 0.0) for p in parts)
    return min(values) if aggregation is Aggregation.MIN else max(values)


def rollup_analysis(ctx: CheckContext) -> RollupAnalysis:
    """The roll-up analysis of a check, for :meth:`CheckContext.derive` (computed once)."""
    return rollup(ctx.cascade)
