"""Deadlines as periods, each ending on its last day."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from goalalign.domain.periods import PeriodError, month_end, parse_period


@pytest.mark.parametrize(
    ("text", "end"),
    [
        ("2026-12-31", date(2026, 12, 31)),
        ("2026-02", date(2026, 2, 28)),
        ("2024-02", date(2024, 2, 29)),
        ("2026-1", date(2026, 1, 31)),
        ("2026-Q1", date(2026, 3, 31)),
        ("2026-Q3", date(2026, 9, 30)),
        ("2026Q4", date(2026, 12, 31)),
        ("Q2 2027", date(2027, 6, 30)),
        ("H1 2026", date(2026, 6, 30)),
        ("FY2027", date(2027, 12, 31)),
        ("fy27", date(2027, 12, 31)),
        ("2030", date(2030, 12, 31)),
        (" 2026-06 ", date(2026, 6, 30)),
    ],
)
def test_periods_end_on_their_last_day(text: str, end: date) -> None:
    period = parse_period(text)
    assert period.end == end
    assert period.text == text.strip()


def test_dates_and_years_as_values() -> None:
    assert parse_period(date(2026, 5, 1)).text == "2026-05-01"
    assert parse_period(datetime(2026, 5, 1, 12, 30)).end == date(2026, 5, 1)
    assert parse_period(2027).end == date(2027, 12, 31)
    assert parse_period(2027).text == "2027"


@pytest.mark.parametrize(
    ("fiscal_year_end", "end"),
    [((6, 30), date(2027, 6, 30)), ((3, 31), date(2027, 3, 31)), ((2, 29), date(2027, 2, 28))],
)
def test_fiscal_years_follow_the_organisation(fiscal_year_end: tuple[int, int], end: date) -> None:
    assert parse_period("FY2027", fiscal_year_end).end == end
    # other forms do not depend on the fiscal year
    assert parse_period("2027-Q1", fiscal_year_end).end == date(2027, 3, 31)


@pytest.mark.parametrize(
    "text", ["2026-13", "2026-Q5", "2026-02-30", "next year", "", "Q0 2026", "20261", "FY"]
)
def test_invalid_periods_raise(text: str) -> None:
    with pytest.raises(PeriodError):
        parse_period(text)


def test_booleans_are_not_years() -> None:
    with pytest.raises(PeriodError):
        parse_period(True)


def test_month_end() -> None:
    assert month_end(2026, 2) == date(2026, 2, 28)
    assert month_end(2028, 2) == date(2028, 2, 29)
    assert month_end(2026, 12) == date(2026, 12, 31)
