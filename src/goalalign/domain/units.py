"""Units and quantities, through pint, without taking pint away from the host application.

The registry policy:

* goalalign never creates a ``UnitRegistry`` at import. It uses
  :func:`pint.get_application_registry` (so a host that called
  :func:`pint.set_application_registry` shares its registry with us), unless a caller injects
  one with :func:`use_registry`.
* Our definitions (one dimension per currency, a ``count`` dimension of its own) are added
  lazily, the first time a unit is needed, and idempotently: a definition already present in
  the registry is left alone, so two libraries can both prepare the same registry.
* pint's parser is never handed raw user text. Money and magnitude shorthand (``$6m``,
  ``£1.2bn``, ``40k EUR``) is read here; only the unit part reaches pint, and each distinct
  unit string is parsed once and cached as a :class:`UnitInfo` (canonical spelling, factor to
  base units, dimensionality). Arithmetic in hot loops is then done on floats.

A unit that pint does not know and that does not look like a misspelt unit is read as a
*counted noun*: ``"20 emails/day"`` is 20 counted things per day and ``"3 sales people"`` is 3
counted things. A word close to a known unit (``"meetre"``) is an error that suggests the unit.
"""

from __future__ import annotations

import difflib
import math
import re
import threading
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import attrs
import pint

from goalalign.domain.model import Amount

__all__ = [
    "CURRENCIES",
    "QuantityError",
    "UnitInfo",
    "convert",
    "get_registry",
    "parse_amount",
    "parse_quantity",
    "parse_unit",
    "use_registry",
]

CURRENCIES: dict[str, tuple[str, ...]] = {
    "USD": ("$", "US$", "usd", "dollar", "dollars"),
    "EUR": ("€", "eur", "euro", "euros"),
    "GBP": ("£", "gbp", "pound", "pounds", "sterling"),
    "AUD": ("A$", "aud"),
    "CAD": ("C$", "cad"),
    "JPY": ("¥", "jpy", "yen"),
    "CHF": ("chf", "franc", "francs"),
    "INR": ("₹", "inr", "rupee", "rupees"),
    "NZD": ("NZ$", "nzd"),
    "CNY": ("cny", "yuan", "rmb"),
    "SEK": ("sek",),
    "NOK": ("nok",),
    "DKK": ("dkk",),
    "SGD": ("S$", "sgd"),
    "HKD": ("HK$", "hkd"),
    "ZAR": ("zar", "rand"),
}
"""Currency codes goalalign defines, each in a dimension of its own, with their aliases."""

COUNT_UNIT = "count"
"""The unit of counted things (people, homes, events); a dimension of its own, not percent."""

_COUNT_WORDS = frozenset(
    {"count", "counts", "each", "item", "items", "unit_count", "headcount", "fte", "ftes"}
    | {"point", "points"}  # scores ("10 points"), never typographic points in a cascade
)

_MAGNITUDES: dict[str, float] = {
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "mm": 1e6,
    "mil": 1e6,
    "million": 1e6,
    "millions": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "billion": 1e9,
    "billions": 1e9,
    "t": 1e12,
    "tn": 1e12,
    "trillion": 1e12,
}

_UNIT_ALIASES: dict[str, str] = {
    "%": "percent",
    "pct": "percent",
    "per cent": "percent",
    "percentage": "percent",
    "percentage points": "percent",
    "pp": "percent",
    "ppt": "percent",
    "hrs": "hour",
    "hr": "hour",
    "mins": "minute",
    "min": "minute",
    "secs": "second",
    "sec": "second",
    "wk": "week",
    "wks": "week",
    "yr": "year",
    "yrs": "year",
    "mo": "month",
    "mos": "month",
    "working day": "day",
    "working days": "day",
    "business day": "day",
    "business days": "day",
}


class QuantityError(ValueError):
    """A unit or quantity string goalalign cannot stand behind."""


@attrs.frozen(slots=True)
class UnitInfo:
    """What goalalign needs to know of a unit, computed once per distinct unit string.

    ``factor`` converts a magnitude in this unit to the base units of its dimension;
    ``dimensionality`` is a hashable description of that dimension, equal for units that can be
    compared; ``noun`` keeps the counted noun of ``"emails/day"`` for display.
    """

    canonical: str
    factor: float
    dimensionality: tuple[tuple[str, float], ...]
    noun: str | None = None

    def compatible(self, other: UnitInfo) -> bool:
        """Whether amounts in the two units can be added or compared."""
        return self.dimensionality == other.dimensionality


_state_lock = threading.Lock()
_injected: Any = None
_prepared: dict[int, Any] = {}
_active: Any = None


def use_registry(registry: Any | None) -> None:
    """Make goalalign use ``registry`` (a :class:`pint.UnitRegistry`), or pint's
    application registry again when ``None``.

    Hosts that keep their own registry call this once at start-up; quantities goalalign creates
    can then be combined with the host's.
    """
    global _injected
    with _state_lock:
        _injected = registry
    _parse_unit_cached.cache_clear()


def get_registry() -> Any:
    """The pint registry goalalign uses, prepared with its definitions (idempotently)."""
    registry = (
        _injected if _injected is not None else pint.get_application_registry()  # type: ignore[no-untyped-call]
    )
    # pint's application registry is a wrapper whose target the host may swap at any time
    # (pint.set_application_registry); definitions and cached units follow the target.
    actual = _target(registry)
    key = id(actual)
    if _prepared.get(key) is not actual:
        with _state_lock:
            if _prepared.get(key) is not actual:
                _define_missing(registry)
                _prepared[key] = actual
    return registry


def _target(registry: Any) -> Any:
    if isinstance(registry, pint.registry.ApplicationRegistry):
        return registry.get()  # type: ignore[no-untyped-call]
    return registry


def _follow_registry() -> None:
    """Forget cached units when the registry in use is no longer the one they came from."""
    global _active
    registry = _injected if _injected is not None else pint.get_application_registry()  # type: ignore[no-untyped-call]
    actual = _target(registry)
    if actual is not _active:
        _parse_unit_cached.cache_clear()
        _active = actual


def _define_missing(registry: Any) -> None:
    """Add goalalign's definitions that ``registry`` lacks; never redefine what is there."""
    definitions = [f"{code} = [currency_{code}]" for code in CURRENCIES]
    definitions.append("goalalign_count = [goalalign_count]")
    for definition in definitions:
        name = definition.split("=", 1)[0].strip()
        if name not in registry:
            registry.define(definition)


def _dimension_key(dimensionality: Any) -> tuple[tuple[str, float], ...]:
    return tuple(sorted((str(k), float(v)) for k, v in dict(dimensionality).items()))


_WORD = re.compile(r"[A-Za-z_][A-Za-z_]*")
_CURRENCY_BY_ALIAS = {
    alias.lower(): code for code, aliases in CURRENCIES.items() for alias in (code, *aliases)
}


_SUGGESTIBLE = tuple(
    sorted(
        {name for name in _CURRENCY_BY_ALIAS if name.isalpha() and len(name) >= 3}
        | {name for name in _UNIT_ALIASES if name.isalpha() and len(name) >= 3}
    )
)
"""Our own spellings, so ``USDD`` or ``dolars`` is reported as misspelt, not counted."""


def parse_unit(text: str) -> UnitInfo:
    """Read a unit string (``"USD"``, ``"percent"``, ``"1/day"``, ``"emails/day"``).

    Raises :class:`QuantityError` for an empty, malformed or misspelt unit.
    """
    key = " ".join(text.strip().split())
    if not key:
        raise QuantityError("the unit is empty")
    _follow_registry()
    return _parse_unit_cached(key)


@lru_cache(maxsize=4096)
def _parse_unit_cached(text: str) -> UnitInfo:
    registry = get_registry()
    lowered = text.lower()
    if lowered in _UNIT_ALIASES:
        text = _UNIT_ALIASES[lowered]
    noun: str | None = None

    def substitute(match: re.Match[str]) -> str:
        nonlocal noun
        word = match.group(0)
        low = word.lower()
        if low in _CURRENCY_BY_ALIAS:
            return _CURRENCY_BY_ALIAS[low]
        if low in _COUNT_WORDS:
            return "goalalign_count"
        if low in _UNIT_ALIASES:
            return _UNIT_ALIASES[low]
        if word in registry or low in registry:
            return word if word in registry else low
        close = difflib.get_close_matches(
            low, _SUGGESTIBLE + _known_unit_names(registry), n=1, cutoff=0.85
        )
        if close:
            raise QuantityError(f"unknown unit {word!r}; did you mean {close[0]!r}?")
        noun = word if noun is None else f"{noun} {word}"
        return "goalalign_count"

    if not re.fullmatch(r"[\w\s/*^.()$€£¥₹%-]+", text):
        raise QuantityError(f"unit {text!r} has characters a unit cannot contain")
    prepared = re.sub(r"[$€£¥₹]", lambda m: _CURRENCY_BY_ALIAS[m.group(0)], text)
    prepared = prepared.replace("%", " percent ")
    prepared = _collapse_nouns(prepared)
    prepared = _WORD.sub(substitute, prepared)
    try:
        unit = registry.parse_units(prepared)
        base = registry.Quantity(1.0, unit).to_base_units()
    except Exception as exc:  # pint raises many kinds; all mean the same here
        raise QuantityError(f"unit {text!r} cannot be read: {exc}") from None
    canonical = "count" if str(unit) == "goalalign_count" else str(unit)
    canonical = canonical.replace("goalalign_count", "count")
    return UnitInfo(
        canonical=canonical,
        factor=float(base.magnitude),
        dimensionality=_dimension_key(base.dimensionality),
        noun=noun,
    )


def _collapse_nouns(text: str) -> str:
    """Join runs of plain words (``"sales people"``) so they count as one counted noun."""
    return re.sub(r"(?<=[A-Za-z])\s+(?=[A-Za-z])", "_", text)


@lru_cache(maxsize=8)
def _known_names_for(registry_id: int) -> tuple[str, ...]:
    registry = get_registry()
    return tuple(name.lower() for name in registry._units if len(name) > 3)


def _known_unit_names(registry: Any) -> tuple[str, ...]:
    return _known_names_for(id(registry))


_NUMBER = r"[-+]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?"
_QUANTITY = re.compile(
    rf"""^\s*
    (?P<prefix>US\$|A\$|C\$|NZ\$|S\$|HK\$|[$€£¥₹])?\s*
    (?P<number>{_NUMBER})\s*
    (?P<magnitude>k|thousand|mn|mm|m|mil|millions?|bn|b|billions?|tn|t|trillion)?\b\s*
    (?P<unit>.*?)\s*$""",
    re.VERBOSE | re.IGNORECASE,
)


def parse_quantity(text: str) -> tuple[float, UnitInfo | None]:
    """Read a quantity string into a magnitude and its unit.

    >>> value, unit = parse_quantity("$6m")
    >>> value, unit.canonical
    (6000000.0, 'USD')
    >>> value, unit = parse_quantity("£1.2bn")
    >>> value, unit.canonical
    (1200000000.0, 'GBP')
    >>> parse_quantity("30 %")[0], parse_quantity("30 %")[1].canonical
    (30.0, 'percent')

    A bare number has no unit (``None``). Raises :class:`QuantityError` when the text is not a
    quantity or its unit is unknown.
    """
    return _parse_quantity_cached(" ".join(text.split()))


@lru_cache(maxsize=65536)
def _parse_quantity_cached(text: str) -> tuple[float, UnitInfo | None]:
    match = _QUANTITY.match(text)
    if match is None:
        raise QuantityError(f"{text!r} is not a quantity (expected e.g. '30 %', '$6m', '40k EUR')")
    value = float(match.group("number").replace(",", ""))
    magnitude = match.group("magnitude")
    if magnitude:
        value *= _MAGNITUDES[magnitude.lower()]
    unit_text = match.group("unit").strip()
    prefix = match.group("prefix")
    if unit_text:
        parts = unit_text.split(None, 1)
        if parts[0].lower() in _MAGNITUDES and len(parts) == 2 and not magnitude:
            value *= _MAGNITUDES[parts[0].lower()]
            unit_text = parts[1]
    if not math.isfinite(value):
        raise QuantityError(f"{text!r} is not a finite number")
    if prefix:
        currency = _CURRENCY_BY_ALIAS[prefix.lower()]
        unit_text = f"{currency} {unit_text}".strip() if unit_text else currency
        if unit_text != currency:
            rest = unit_text[len(currency) :].strip()
            unit_text = f"{currency}{rest}" if rest.startswith("/") else f"{currency} * {rest}"
    if not unit_text:
        return value, None
    return value, parse_unit(unit_text)


def parse_amount(raw: float | int | str, unit: str | None) -> Amount:
    """Turn a document value (a number in ``unit``, or a quantity string) into an :class:`Amount`.

    The amount keeps the unit it was written in (canonical spelling), so incompatible units can
    be reported by a rule instead of failing the load.
    """
    if isinstance(raw, bool):
        raise QuantityError("expected a number or a quantity string, not a boolean")
    if isinstance(raw, int | float):
        value = float(raw)
        if not math.isfinite(value):
            raise QuantityError(f"{raw!r} is not a finite number")
        return Amount(value, parse_unit(unit).canonical if unit else None)
    value, info = parse_quantity(raw)
    if info is None:
        return Amount(value, parse_unit(unit).canonical if unit else None)
    return Amount(value, info.canonical)


def convert(amount: Amount, unit: str | None) -> float | None:
    """``amount`` expressed in ``unit``, or ``None`` when the units cannot be compared.

    Unit-less amounts convert only to unit-less.
    """
    if amount.unit == unit:  # most KPIs: nothing to convert, and no rounding from factors
        return amount.value
    if amount.unit is None or unit is None:
        return None
    source, target = parse_unit(amount.unit), parse_unit(unit)
    if not source.compatible(target):
        return None
    return amount.value * source.factor / target.factor


def compatible_units(units: Iterable[str | None]) -> bool:
    """Whether all the given units (``None`` for unit-less) can be compared with each other."""
    keys = {None if u is None else parse_unit(u).dimensionality for u in units}
    return len(keys) <= 1
