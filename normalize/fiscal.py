"""The Thai government fiscal calendar (Buddhist-era years, 1 October start)."""

from __future__ import annotations

from datetime import date

BE_OFFSET = 543


def fiscal_year(d: date) -> int:
    """Buddhist-era fiscal year of ``d``; 1 October starts the next year.

    >>> fiscal_year(date(2020, 10, 28))
    2564
    >>> fiscal_year(date(2020, 1, 31))
    2563
    """
    return d.year + BE_OFFSET + (1 if d.month >= 10 else 0)


def fiscal_quarter(d: date) -> int:
    """Fiscal quarter of ``d``: 1 is October-December.

    >>> fiscal_quarter(date(2020, 10, 28)), fiscal_quarter(date(2020, 1, 31))
    (1, 2)
    """
    return (d.month - 10) % 12 // 3 + 1


def fiscal_year_bounds(fy: int) -> tuple[date, date]:
    """First and last day of Buddhist-era fiscal year ``fy``.

    >>> fiscal_year_bounds(2564)
    (datetime.date(2020, 10, 1), datetime.date(2021, 9, 30))
    """
    ce = fy - BE_OFFSET
    return date(ce - 1, 10, 1), date(ce, 9, 30)
