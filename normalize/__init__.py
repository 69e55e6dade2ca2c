"""Thai normalization: digits, dates, fiscal calendar, numbers and text repair.

Every function is pure and never raises on any ``str`` input.

- ``repair_text``: NFC, legacy-font PUA glyphs, ำ, mark order, zero-width characters,
  blanks; never adds or removes a line.
- ``parse_date`` / ``find_dates`` / ``find_dates_with_spans`` / ``find_date_matches``: dates in
  d/m/y, m/d/y, ISO and Thai-month forms, BE or CE years, ranges; ``parse_date_near`` picks
  the reading nearest a reference date; ``month_year_mentions`` finds "มีนาคม 2563".
- ``parse_number``, ``to_arabic_digits``, ``fiscal_year`` / ``fiscal_quarter`` /
  ``fiscal_year_bounds``.
"""

from normalize.dates import (
    DateMatch,
    DateOrder,
    find_date_matches,
    find_dates,
    find_dates_with_spans,
    month_year_mentions,
    parse_date,
    parse_date_near,
)
from normalize.digits import to_arabic_digits
from normalize.fiscal import fiscal_quarter, fiscal_year, fiscal_year_bounds
from normalize.numbers import parse_number
from normalize.text import repair_text

__all__ = [
    "DateMatch",
    "DateOrder",
    "find_date_matches",
    "find_dates",
    "find_dates_with_spans",
    "fiscal_quarter",
    "fiscal_year",
    "fiscal_year_bounds",
    "month_year_mentions",
    "parse_date",
    "parse_date_near",
    "parse_number",
    "repair_text",
    "to_arabic_digits",
]
