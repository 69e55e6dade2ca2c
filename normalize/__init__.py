"""Thai normalization: digits, dates, fiscal calendar, numbers and text repair.

Every function is pure and never raises on any ``str`` input.

- ``repair_text``: NFC, legacy-font PUA glyphs, ำ, mark order, zero-width characters,
  blanks; never adds or removes a line.
- ``parse_date`` / ``find_dates`` / ``find_dates_with_spans`` / ``find_date_matches``: dates in
  d/m/y, m/d/y, ISO and Thai-month forms, BE or CE years, ranges; ``parse_date_near`` picks
  the reading nearest a reference date; ``month_year_mentions`` finds "มีนาคม 2563".
- ``parse_amount`` / ``find_amounts``: money in baht (multipliers, ลบ., ".-", spelled out).
- ``parse_period`` / ``find_periods``: days, months, ranges, fiscal quarters and years,
  to-date spans as ``Period(start, end, grain, raw)``; ``scan_dates`` gives dates and
  month phrases in one scan.
- ``parse_number``, ``to_arabic_digits``, ``fiscal_year`` / ``fiscal_quarter`` /
  ``fiscal_year_bounds``.
"""

from normalize.amounts import Amount, find_amounts, parse_amount
from normalize.dates import (
    DateMatch,
    DateOrder,
    MonthMatch,
    find_date_matches,
    find_dates,
    find_dates_with_spans,
    month_year_mentions,
    parse_date,
    parse_date_near,
    scan_dates,
)
from normalize.digits import to_arabic_digits
from normalize.fiscal import fiscal_quarter, fiscal_year, fiscal_year_bounds
from normalize.numbers import parse_number
from normalize.periods import Grain, Period, find_periods, parse_period
from normalize.text import repair_text

__all__ = [
    "Amount",
    "DateMatch",
    "DateOrder",
    "Grain",
    "MonthMatch",
    "Period",
    "find_amounts",
    "find_date_matches",
    "find_dates",
    "find_dates_with_spans",
    "find_periods",
    "fiscal_quarter",
    "fiscal_year",
    "fiscal_year_bounds",
    "month_year_mentions",
    "parse_amount",
    "parse_date",
    "parse_date_near",
    "parse_number",
    "parse_period",
    "repair_text",
    "scan_dates",
    "to_arabic_digits",
]
