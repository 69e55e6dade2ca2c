"""Numbers written with Thai or Arabic digits and thousands separators."""

from __future__ import annotations

import re

from normalize.digits import to_arabic_digits

_NUMBER = re.compile(r"(?<![\d.,])-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\d.,])-?\d+(?:\.\d+)?")


def parse_number(text: str) -> int | float | None:
    """The first number in ``text``: an int when it has no fraction.

    >>> parse_number("1,104,325 คน")
    1104325
    >>> parse_number("๑๐")
    10
    >>> parse_number("90.00")
    90.0
    """
    m = _NUMBER.search(to_arabic_digits(text))
    if not m:
        return None
    raw = m.group().replace(",", "")
    return float(raw) if "." in raw else int(raw)
