"""Quantity strings and units: shorthand, currencies, counts, misspellings, registries."""

from __future__ import annotations

import math
from typing import Any

import pint
import pytest

from goalalign.domain import units
from goalalign.domain.model import Amount
from goalalign.domain.units import (
    QuantityError,
    convert,
    get_registry,
    parse_amount,
    parse_quantity,
    parse_unit,
    use_registry,
)


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("30 %", 30.0, "percent"),
        ("30%", 30.0, "percent"),
        ("$6m", 6e6, "USD"),
        ("£1.2bn", 1.2e9, "GBP"),
        ("6 million USD", 6e6, "USD"),
        ("40k EUR", 40e3, "EUR"),
        ("€2.5m", 2.5e6, "EUR"),
        ("1,500 USD", 1500.0, "USD"),
        ("20 emails/day", 20.0, "count / day"),
        ("3 sales people", 3.0, "count"),
        ("12 days", 12.0, "day"),
        ("5 working days", 5.0, "day"),
        ("1.0e-7 percent", 1e-7, "percent"),
        ("-4 percent", -4.0, "percent"),
        ("10 points", 10.0, "count"),
    ],
)
def test_quantity_strings(text: str, value: float, unit: str) -> None:
    magnitude, info = parse_quantity(text)
    assert math.isclose(magnitude, value)
    assert info is not None
    assert info.canonical == unit


def test_a_bare_number_has_no_unit() -> None:
    assert parse_quantity("15") == (15.0, None)
    assert parse_quantity("2.5k") == (2500.0, None)


def test_shorthand_converts_across_prefixes() -> None:
    a = parse_amount("$1.5m", "USD")
    b = parse_amount("1500 kUSD", "USD")
    assert a.unit == "USD"
    assert b.unit != a.unit
    assert convert(b, "USD") == pytest.approx(1.5e6)
    assert convert(a, b.unit) == pytest.approx(1500.0)


def test_count_and_percent_are_different_dimensions() -> None:
    count, percent = parse_unit("count"), parse_unit("percent")
    assert not count.compatible(percent)
    assert convert(Amount(1.0, "count"), "percent") is None
    assert parse_unit("homes").compatible(count)
    assert parse_unit("emails/day").compatible(parse_unit("count / day"))


def test_each_currency_is_its_own_dimension() -> None:
    usd, eur, gbp = parse_unit("USD"), parse_unit("EUR"), parse_unit("GBP")
    assert not usd.compatible(eur)
    assert not eur.compatible(gbp)
    assert convert(Amount(5.0, "USD"), "EUR") is None
    assert parse_unit("$").canonical == "USD"
    assert parse_unit("euros").canonical == "EUR"


def test_time_units_convert() -> None:
    assert convert(Amount(2.0, "week"), "day") == pytest.approx(14.0)
    assert convert(Amount(90.0, "minute"), "hour") == pytest.approx(1.5)
    assert convert(Amount(3.0, None), None) == 3.0
    assert convert(Amount(3.0, None), "day") is None


@pytest.mark.parametrize(
    ("text", "hint"),
    [("meetre", "metre"), ("percnt", "percent"), ("dolars", "dollars"), ("USDD", "usd")],
)
def test_misspelt_units_raise_with_a_suggestion(text: str, hint: str) -> None:
    with pytest.raises(QuantityError, match=f"did you mean '{hint}'"):
        parse_unit(text)


@pytest.mark.parametrize("text", ["", "   ", "USD;drop", "1/0 USD", "meetre/day"])
def test_malformed_units_raise(text: str) -> None:
    with pytest.raises(QuantityError):
        parse_unit(text)


@pytest.mark.parametrize("text", ["lots", "$", "5 meetre", "about 5", "5 USD;drop"])
def test_malformed_quantities_raise(text: str) -> None:
    with pytest.raises(QuantityError):
        parse_quantity(text)


def test_amount_keeps_its_own_unit() -> None:
    assert parse_amount(15, "percent") == Amount(15.0, "percent")
    assert parse_amount("$6m", "percent") == Amount(6e6, "USD")
    assert parse_amount("15", "USD") == Amount(15.0, "USD")
    with pytest.raises(QuantityError):
        parse_amount(True, "USD")
    with pytest.raises(QuantityError):
        parse_amount(float("inf"), "USD")


def test_canonical_units_read_back_as_themselves() -> None:
    for text in ["USD", "percent", "count", "day", "emails/day", "1/day", "kUSD", "hour"]:
        canonical = parse_unit(text).canonical
        assert parse_unit(canonical).canonical == canonical


def test_injected_registry_is_used_and_prepared_without_redefinition() -> None:
    registry: Any = pint.UnitRegistry()
    try:
        use_registry(registry)
        assert get_registry() is registry
        assert "USD" in registry
        info = parse_unit("EUR")
        assert info.canonical == "EUR"
        # preparing the same registry again must not redefine (pint would raise)
        units._define_missing(registry)
        quantity = registry.Quantity(3, "USD") + registry.Quantity(2, "USD")
        assert quantity.magnitude == 5
    finally:
        use_registry(None)
    assert get_registry() is pint.get_application_registry()  # type: ignore[no-untyped-call]


def test_application_registry_is_respected() -> None:
    original: Any = pint.get_application_registry()  # type: ignore[no-untyped-call]
    host: Any = pint.UnitRegistry()
    host.define("widget = [widget]")
    try:
        pint.set_application_registry(host)  # type: ignore[no-untyped-call]
        use_registry(None)
        registry = get_registry()
        widget = registry.Quantity(1, "widget")
        assert widget.dimensionality == host.Quantity(1, "widget").dimensionality
        assert "USD" in host
        assert parse_unit("widget").canonical == "widget"
    finally:
        pint.set_application_registry(original)  # type: ignore[no-untyped-call]
        use_registry(None)
