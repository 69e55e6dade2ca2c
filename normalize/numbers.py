"""Numbers written with Thai or Arabic digits and thousands separators."""

from __future__ import annotations

import re

from normalize.digits import to_arabic_digits

# A number with comma-grouped thousands, or plain digits; an optional fraction. A number
# followed by ".digit" again (5.4.1) is an outline number, not a quantity, and is skipped.
_NUMBER = re.compile(
    r"(?<![\d.,])(?P<sign>[-−])?(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?(?![\d]|\.\d|,\d{3})"
)
_MAX_DIGITS = 300  # int() refuses over 4300 digits; no quantity in a report is this long


def parse_number(text: str) -> int | float | None:
    """The first number in ``text``: an int when it has no fraction, else a float.

    >>> parse_number("1,104,325 คน")
    1104325
    >>> parse_number("๑๐")
    10
    >>> parse_number("90.00")
    90.0
    >>> parse_number("ข้อ ๕.๔.๑ มี 23,156 คน")
    23156
    >>> parse_number("ไม่มีตัวเลข") is None
    True
    """
    if not isinstance(text, str):
        return None
    for m in _NUMBER.finditer(to_arabic_digits(text)):
        digits = m["int"].replace(",", "")
        if len(digits) > _MAX_DIGITS:
            continue
        sign = -1 if m["sign"] else 1
        if m["frac"]:
            return sign * float(digits + m["frac"])
        return sign * int(digits)
    return None
