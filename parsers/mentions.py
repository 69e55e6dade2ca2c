"""Dates and money amounts mentioned anywhere in a text, with their line numbers.

Pure: (repaired text) -> records.  Every document of every kind gets these
(``Document.date_mentions`` / ``Document.amounts``), so an analyst finds a date or an amount
whatever the layout.  The readings themselves belong to ``normalize``: ``find_periods`` and
``find_amounts`` when the installed normalize has them, else the round-one date finders
(days and ranges from ``find_date_matches``, months from ``month_year_mentions``); this
module only places what they find on lines.
"""

from __future__ import annotations

import calendar
import importlib
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from datetime import date
from itertools import accumulate

from normalize import find_date_matches, month_year_mentions
from parsers.model import AmountMention, DateMention

_GRAINS = frozenset({"day", "month", "quarter", "fiscal_year", "range"})
# Every date, month, quarter and fiscal year is written with a digit (Arabic or Thai).
_DIGIT = re.compile(r"[0-9๐-๙]")


def _optional(name: str) -> Callable | None:
    """``normalize.<name>`` when the installed normalize has it (the Thai-fidelity work)."""
    try:
        return getattr(importlib.import_module("normalize"), name, None)
    except ImportError:  # pragma: no cover - normalize is part of the package
        return None


_find_periods = _optional("find_periods")
_find_amounts = _optional("find_amounts")


def line_starts(text: str) -> list[int]:
    """Offset of the first character of every line of ``text``."""
    lengths = (len(line) + 1 for line in text.split("\n"))
    return [0, *accumulate(lengths)][:-1]


def _line_of(starts: list[int], offset: int) -> int:
    return bisect_right(starts, offset)


def date_mentions(text: str, starts: list[int] | None = None) -> tuple[DateMention, ...]:
    """Every date, range, month, quarter and fiscal year of ``text``, in text order."""
    if not _DIGIT.search(text):
        return ()
    starts = starts if starts is not None else line_starts(text)
    if _find_periods is not None:
        return tuple(_from_periods(text, starts))
    return tuple(_from_dates(text, starts))


def _from_periods(text: str, starts: list[int]) -> Iterable[DateMention]:
    for p in _find_periods(text):  # type: ignore[misc]
        grain = getattr(p, "grain", None)
        begin = getattr(p, "start", None)
        end = getattr(p, "end", None)
        offset = _offset(p)
        if grain not in _GRAINS or not isinstance(begin, date) or not isinstance(end, date):
            continue
        yield DateMention(p.raw, begin, end, grain, _line_of(starts, offset))


def _offset(period: object) -> int:
    """Where a period starts in the text (``Period`` names it one of these ways)."""
    for name in ("text_start", "offset", "start_offset", "pos"):
        value = getattr(period, name, None)
        if isinstance(value, int):
            return value
    span = getattr(period, "span", None)
    return span[0] if isinstance(span, tuple) and span else 0


def _from_dates(text: str, starts: list[int]) -> Iterable[DateMention]:
    found: list[tuple[int, DateMention]] = []
    for m in find_date_matches(text):
        raw = text[m.start : m.end]
        found.append((m.start, DateMention(raw, m.date, m.date, "day", _line_of(starts, m.start))))
    for month, year_be, begin, end in month_year_mentions(text):
        year = year_be - 543
        last = date(year, month, calendar.monthrange(year, month)[1])
        mention = DateMention(
            text[begin:end], date(year, month, 1), last, "month", _line_of(starts, begin)
        )
        found.append((begin, mention))
    found.sort(key=lambda item: item[0])
    return (mention for _, mention in found)


def amount_mentions(text: str, starts: list[int] | None = None) -> tuple[AmountMention, ...]:
    """Every baht amount of ``text``, in text order (none until normalize finds amounts)."""
    if _find_amounts is None:
        return ()
    found = _find_amounts(text)
    if not found:
        return ()
    starts = starts if starts is not None else line_starts(text)
    return tuple(
        AmountMention(a.raw, float(a.value), getattr(a, "unit", "บาท"), _line_of(starts, a.start))
        for a in found
    )
