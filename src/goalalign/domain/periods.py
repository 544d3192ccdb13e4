"""Deadlines written as periods, each resolved to the date it ends on.

A goal due "in 2026-Q3" is due when the quarter ends, so every period resolves to its last
day: ``2026-12-31`` is itself, ``2026-12`` is 31 December 2026, ``2026-Q3`` is 30 September
2026, ``2026`` is 31 December 2026 and ``FY2027`` is the end of fiscal year 2027, which depends
on the organisation's fiscal year end (default 31 December; with 30 June it is 30 June 2027).
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime
from functools import lru_cache

from goalalign.domain.model import Period

__all__ = ["PeriodError", "month_end", "parse_period"]


class PeriodError(ValueError):
    """A deadline that is none of the accepted period forms."""


_FORMS = re.compile(
    r"""^\s*(?:
      (?P<date>\d{4}-\d{2}-\d{2})
    | (?P<month_year>\d{4})-(?P<month>\d{1,2})
    | (?P<q_year>\d{4})\s*-?\s*Q(?P<quarter>[1-4])
    | Q(?P<quarter2>[1-4])\s*-?\s*(?P<q_year2>\d{4})
    | FY\s*(?P<fy>\d{4}|\d{2})
    | H(?P<half>[12])\s*-?\s*(?P<h_year>\d{4})
    | (?P<year>\d{4})
    )\s*$""",
    re.VERBOSE | re.IGNORECASE,
)


def month_end(year: int, month: int) -> date:
    """The last day of ``month`` in ``year``."""
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_period(value: str | date | int, fiscal_year_end: tuple[int, int] = (12, 31)) -> Period:
    """Resolve a deadline to a :class:`Period` ending on its last day.

    >>> parse_period("2026-Q3").end
    datetime.date(2026, 9, 30)
    >>> parse_period("FY2027", fiscal_year_end=(6, 30)).end
    datetime.date(2027, 6, 30)
    >>> parse_period("2026-02").end
    datetime.date(2026, 2, 28)

    Raises :class:`PeriodError` for anything else, including impossible dates.
    """
    if isinstance(value, datetime):
        return Period(value.date().isoformat(), value.date())
    if isinstance(value, date):
        return Period(value.isoformat(), value)
    if isinstance(value, bool):
        raise PeriodError("expected a date or period, not a boolean")
    return _parse_text(str(value).strip(), fiscal_year_end)


@lru_cache(maxsize=4096)
def _parse_text(text: str, fiscal_year_end: tuple[int, int]) -> Period:
    """Deadlines repeat across a cascade; each distinct one is read once."""
    match = _FORMS.match(text)
    if match is None:
        raise PeriodError(
            f"{text!r} is not a deadline; use a date (2026-12-31), a month (2026-12), "
            "a quarter (2026-Q3), a fiscal year (FY2027) or a year (2026)"
        )
    try:
        return Period(text, _end_of(match, fiscal_year_end))
    except ValueError as exc:
        raise PeriodError(f"{text!r} is not a valid date: {exc}") from None


def _end_of(match: re.Match[str], fiscal_year_end: tuple[int, int]) -> date:
    groups = match.groupdict()
    if groups["date"]:
        return date.fromisoformat(groups["date"])
    if groups["month_year"]:
        return month_end(int(groups["month_year"]), int(groups["month"]))
    quarter = groups["quarter"] or groups["quarter2"]
    if quarter:
        year = int(groups["q_year"] or groups["q_year2"])
        return month_end(year, int(quarter) * 3)
    if groups["half"]:
        return month_end(int(groups["h_year"]), int(groups["half"]) * 6)
    if groups["fy"]:
        year = int(groups["fy"])
        year = year + 2000 if year < 100 else year
        month, day = fiscal_year_end
        if (month, day) == (2, 29):
            return month_end(year, 2)
        return date(year, month, day)
    return date(int(groups["year"]), 12, 31)
