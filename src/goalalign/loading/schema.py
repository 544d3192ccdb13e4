"""The schema-v1 document as attrs classes, and the cattrs converter that checks its shape.

These classes mirror the document one to one (field names are document keys), so cattrs can
report a wrong type or an unknown key at its exact location. Turning a checked document into
the domain model (defaults, units, periods, ids) is :mod:`goalalign.loading.build`'s job.
"""

from __future__ import annotations

import math
import typing
from datetime import date, datetime
from typing import Any

import attrs
import cattrs
from cattrs.cols import list_structure_factory

from goalalign.domain.model import Aggregation, Change, Direction, EvidenceKind, Level, Status

__all__ = [
    "SCHEMA_VERSION",
    "DocumentDoc",
    "GoalDoc",
    "KPIDoc",
    "LinkDoc",
    "OrganisationDoc",
    "PromiseDoc",
    "SuppressionDoc",
    "TeamDoc",
    "make_converter",
]

SCHEMA_VERSION = 1

RawNumber = float | str
"""A number in the KPI's unit, or a quantity string such as ``"$6m"``."""
RawPeriod = date | str | int
"""A date, or a period string such as ``2026-Q3``; YAML reads ``2027`` as an int."""


@attrs.define(slots=True)
class SuppressionDoc:
    rule: str
    reason: str | None = None


RawSuppression = SuppressionDoc | str


@attrs.define(slots=True)
class PromiseDoc:
    id: str
    statement: str


@attrs.define(slots=True)
class OrganisationDoc:
    name: str
    purpose: str | None = None
    promises: list[PromiseDoc] = attrs.Factory(list)
    as_of: RawPeriod | None = None
    fiscal_year_end: str | None = None


@attrs.define(slots=True)
class TeamDoc:
    id: str
    name: str | None = None
    parent: str | None = None
    direction: Direction | None = None
    serves: list[str] = attrs.Factory(list)
    ignore: list[RawSuppression] = attrs.Factory(list)


@attrs.define(slots=True)
class LinkDoc:
    goal: str | None = None
    promise: str | None = None
    purpose: bool | None = None
    mechanism: str | None = None
    weight: float | None = None


RawLink = LinkDoc | str


@attrs.define(slots=True)
class KPIDoc:
    name: str
    id: str | None = None
    goal: str | None = None
    unit: str | None = None
    baseline: RawNumber | None = None
    target: RawNumber | None = None
    current: RawNumber | None = None
    direction: Change | None = None
    aggregation: Aggregation | None = None
    evidence: EvidenceKind | None = None
    deadline: RawPeriod | None = None
    share_of: str | None = None


@attrs.define(slots=True)
class GoalDoc:
    id: str
    team: str
    statement: str
    level: Level | None = None
    status: Status | None = None
    deadline: RawPeriod | None = None
    last_reviewed: RawPeriod | None = None
    supports: list[RawLink] = attrs.Factory(list)
    hinders: list[RawLink] = attrs.Factory(list)
    kpis: list[KPIDoc] = attrs.Factory(list)
    ignore: list[RawSuppression] = attrs.Factory(list)


@attrs.define(slots=True)
class DocumentDoc:
    goalalign: int
    organisation: OrganisationDoc
    teams: list[TeamDoc] = attrs.Factory(list)
    goals: list[GoalDoc] = attrs.Factory(list)
    kpis: list[KPIDoc] = attrs.Factory(list)
    config: dict[str, Any] | None = None


def _strict_str(value: Any, _: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {_describe(value)}")
    return value


def _strict_int(value: Any, _: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected a whole number, got {_describe(value)}")
    return value


def _strict_bool(value: Any, _: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"expected true or false, got {_describe(value)}")
    return value


def _finite_float(value: Any, _: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"expected a number, got {_describe(value)}")
    try:
        result = float(value)
    except OverflowError:  # an int of hundreds of digits: as unusable as an infinity
        digits = len(str(abs(value)))
        raise ValueError(f"expected a finite number, got an integer of {digits} digits") from None
    if not math.isfinite(result):
        raise ValueError(f"expected a finite number, got {value!r}")
    return result


def _raw_number(value: Any, _: Any) -> float | str:
    if isinstance(value, str):
        return value
    return _finite_float(value, float)


def _raw_period(value: Any, _: Any) -> date | str | int:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date | str):
        return value
    return _strict_int(value, int)


def _or_none(hook: Any) -> Any:
    """cattrs flattens ``RawNumber | None`` into one union, so it needs a hook of its own."""

    def structure(value: Any, type_: Any) -> Any:
        return None if value is None else hook(value, type_)

    return structure


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    kind = {dict: "a mapping", list: "a list", bool: "a boolean"}.get(type(value))
    return kind or f"{type(value).__name__} {value!r}"


def _enum_hook(enum_type: type[Any]) -> Any:
    choices = ", ".join(member.value for member in enum_type)

    def structure(value: Any, _: Any) -> Any:
        try:
            return enum_type(value)
        except ValueError:
            raise ValueError(f"{value!r} is not one of: {choices}") from None

    return structure


def _is_list_type(type_: Any) -> bool:
    origin: Any = typing.get_origin(type_)
    return origin is list


def make_converter(*, detailed: bool = True) -> cattrs.Converter:
    """The converter that checks a document's shape.

    ``detailed=False`` stops at the first problem and is several times faster; loading uses it
    first and re-runs the detailed one only to explain a failure.
    """
    converter = cattrs.Converter(forbid_extra_keys=True, detailed_validation=detailed)
    converter.register_structure_hook(str, _strict_str)
    converter.register_structure_hook(int, _strict_int)
    converter.register_structure_hook(bool, _strict_bool)
    converter.register_structure_hook(float, _finite_float)
    for raw_type, hook in ((RawNumber, _raw_number), (RawPeriod, _raw_period)):
        converter.register_structure_hook(raw_type, hook)
        converter.register_structure_hook(raw_type | None, _or_none(hook))
    for enum_type in (Aggregation, Change, Direction, EvidenceKind, Level, Status):
        converter.register_structure_hook(enum_type, _enum_hook(enum_type))

    def structure_either(doc_type: type[Any]) -> Any:
        def structure(value: Any, _: Any) -> Any:
            if isinstance(value, str):
                return value
            if not isinstance(value, dict):
                raise TypeError(f"expected an id or a mapping, got {_describe(value)}")
            return converter.structure(value, doc_type)

        return structure

    def strict_list(list_type: Any) -> Any:
        """cattrs turns any iterable into a list (``serves: board`` into five letters)."""
        items = list_structure_factory(list_type, converter)

        def structure(value: Any, type_: Any) -> Any:
            if not isinstance(value, list):
                raise TypeError(f"expected a list, got {_describe(value)}")
            return items(value, type_)

        return structure

    converter.register_structure_hook_factory(
        _is_list_type, strict_list
    )
    converter.register_structure_hook(RawLink, structure_either(LinkDoc))
    converter.register_structure_hook(RawSuppression, structure_either(SuppressionDoc))
    return converter


FIELD_NAMES: dict[type[Any], tuple[str, ...]] = {
    cls: tuple(f.name for f in attrs.fields(cls))
    for cls in (
        DocumentDoc,
        OrganisationDoc,
        PromiseDoc,
        TeamDoc,
        GoalDoc,
        KPIDoc,
        LinkDoc,
        SuppressionDoc,
    )
}
"""The known keys of each part of the document, for 'did you mean' suggestions."""
