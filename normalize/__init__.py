"""Thai normalization: digits, dates, fiscal calendar, numbers and text repair.

Every function is pure and never raises on any ``str`` input.
"""

from normalize.dates import find_dates, parse_date
from normalize.digits import to_arabic_digits
from normalize.fiscal import fiscal_quarter, fiscal_year, fiscal_year_bounds
from normalize.numbers import parse_number
from normalize.text import repair_text

__all__ = [
    "find_dates",
    "fiscal_quarter",
    "fiscal_year",
    "fiscal_year_bounds",
    "parse_date",
    "parse_number",
    "repair_text",
    "to_arabic_digits",
]
