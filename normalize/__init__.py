"""Thai normalization: digits, dates, fiscal calendar, numbers and text repair.

Every function is pure and never raises on any ``str`` input.
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
