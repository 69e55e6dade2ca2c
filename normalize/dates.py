"""Thai dates: numeric (d/m/y, m/d/y, ISO), Thai month names, ranges, BE or CE years.

Every date is validated after conversion to the Common Era, so 29/2/2563 (2020 is a leap
year) is a date while 29 ก.พ. 2566 is not. Two-digit years are Buddhist-era (63 -> 2563).
A four-digit year from 2400 on is Buddhist-era; one below it is Common Era.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from typing import Literal

import regex

from normalize.digits import to_arabic_digits
from normalize.months import MONTH as _MONTH
from normalize.months import MONTH_FORMS as _MONTH_FORMS

DateOrder = Literal["dmy", "mdy"]
BE_OFFSET = 543
_BE_FROM = 2400  # four-digit years from here on are Buddhist-era
_CE_MIN, _CE_MAX = 1800, 2299

_S = r"[ \t\u00a0]{0,4}"  # bounded: keeps every pattern linear on runs of blanks
_YEAR = r"(?P<y>\d{4}|\d{2})(?!\d|[,.:]\d)"  # "01:40" is an hour, not the year 2501
_ERA = r"(?P<era>พ\.?[ ]?ศ\.?|ค\.?[ ]?ศ\.?)"
_TIME = rf"(?:\d{{1,2}}:\d{{2}}(?::\d{{2}})?{_S})?"  # "6 ต.ค. 01:40:00 2519"
_AFTER_MONTH = re.compile(rf"\.?{_S}(?P<sep>[,/\-])?{_S}(?:{_ERA}{_S})?{_TIME}{_YEAR}")
_US_DAY_YEAR = re.compile(rf"\.?{_S}(?P<d>\d{{1,2}})(?:st|nd|rd|th)?{_S},?{_S}(?P<y>\d{{4}})(?!\d)")
_TH_DAY_YEAR = re.compile(rf"\.?{_S}(?P<d>\d{{1,2}}){_S},{_S}(?P<y>\d{{4}})(?!\d)")  # มี.ค. 15, 2559
_BEFORE_MONTH = re.compile(
    rf"(?:(?<!\d)(?<!\d\.)(?P<d1>\d{{1,2}}){_S}(?:-|–|—|ถึง(?:วันที่)?){_S})?"
    rf"(?<![\d,])(?<!\d\.)[(\[]?(?P<d>\d{{1,2}})[)\]]?{_S}(?P<sep>[,/\-])?{_S}(?:เดือน{_S})?\Z"
)
# "ครั้งที่ 1 เดือนมีนาคม" counts, "วันพุธที่ 1 มีนาคม" dates: ที่ before a day needs a day word.
_ORDINAL = re.compile(r"ที่[ ]?[(\[]?\Z")
_DAY_WORD = re.compile(r"(?:วัน|จันทร์|อังคาร|พุธ|พฤหัสบดี|พฤหัส|ศุกร์|เสาร์|อาทิตย์)[ ]?ที่[ ]?[(\[]?\Z")
_BEFORE_REACH = 44  # longest text _BEFORE_MONTH can match
# Its day's last digit is at most this far before the month: a bracket, blanks (4), a
# separator, blanks (4), เดือน (5) and blanks (4) can come between.
_DAY_GAP = 20
_ANY_DIGIT = re.compile(r"\d")  # Thai digits are \d too


def _is_latin(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def _is_thai(ch: str) -> bool:
    return "\u0e01" <= ch <= "\u0e4e"


def _month_at(text: str, m: re.Match[str]) -> int | None:
    """The month ``m`` names, or None when the spelling is only part of a longer word."""
    month, form = _MONTH_FORMS[m.group()]
    before = text[m.start() - 1] if m.start() else " "
    after = text[m.end()] if m.end() < len(text) else " "
    if form == "english":
        return None if _is_latin(before) or _is_latin(after) else month
    if form == "full":
        return month
    # Short forms and abbreviations must start a word, or follow a glued เดือน (กทม.ค...).
    if _is_thai(before) and not text.endswith("เดือน", 0, m.start()):
        return None
    if form == "short" and "ก" <= after <= "ฮ":
        return None  # ตุลาการ is no month
    if form == "open_abbr" and _is_thai(after):
        return None
    return month


_NUMERIC = regex.compile(
    r"(?<![\d/])(?<!\d[.\-])(?P<a>\d{1,2})(?P<s>[/\-.])(?P<b>\d{1,2})(?P=s)"
    r"(?P<y>\d{4}|\d{2})(?![\d/]|\.\d)"
)
# "1-5/3/2563": the first day shares the month and year of the second.
_NUMERIC_RANGE = regex.compile(
    r"(?<![\d/.\-])(?P<d1>\d{1,2})[ ]?[-–][ ]?(?P<a>\d{1,2})/(?P<b>\d{1,2})/"
    r"(?P<y>\d{4}|\d{2})(?![\d/]|\.\d)"
)
_ISO = regex.compile(
    r"(?<![\d/.\-])(?P<y>\d{4})(?P<s>[-/])(?P<m>\d{1,2})(?P=s)(?P<d>\d{1,2})(?!\d)"
    r"(?:[T ]\d{1,2}[:.]\d{2}(?:[:.]\d{2})?)?"
)
_CONNECTOR = re.compile(rf"{_S}(?:-|–|—|ถึง|จนถึง|ถึงวันที่|ถึงเดือน|to){_S}(?:วันที่|เดือน)?{_S}")


@dataclass(frozen=True)
class DateMatch:
    """A date found in a text, with the offsets of the words that gave it."""

    date: date
    start: int
    end: int


@dataclass(frozen=True)
class _Named:
    """One Thai-month phrase: an optional day range, a month and an optional year."""

    start: int
    end: int
    day_start: int  # where the second (or only) day begins
    first_day: int | None
    day: int | None
    month: int
    year: int | None  # Common Era


def _ce_year(raw: str, era: str | None = None) -> int | None:
    """Common Era year of a written year; None when it cannot be a year of these reports."""
    value = int(raw)
    if len(raw) == 2:
        return 2500 + value - BE_OFFSET
    if value >= _BE_FROM and not (era and era.startswith("ค")):
        value -= BE_OFFSET
    return value if _CE_MIN <= value <= _CE_MAX else None


def _make(year: int | None, month: int, day: int | None) -> date | None:
    if year is None or day is None:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _numeric_day_month(a: int, b: int, order: str) -> tuple[int, int]:
    if order == "mdy":
        return (a, b) if a > 12 >= b else (b, a)
    return (b, a) if b > 12 >= a else (a, b)


def _numeric(text: str, order: str) -> Iterator[DateMatch]:
    for m in _NUMERIC.finditer(text):
        if m["s"] == "." and len(m["y"]) == 2:
            continue  # 5.4.12 is an outline number far more often than a date
        day, month = _numeric_day_month(int(m["a"]), int(m["b"]), order)
        found = _make(_ce_year(m["y"]), month, day)
        if found:
            yield DateMatch(found, m.start(), m.end())


def _numeric_ranges(text: str, order: str) -> Iterator[DateMatch]:
    for m in _NUMERIC_RANGE.finditer(text):
        a, b = int(m["a"]), int(m["b"])
        day, month = (a, b) if order == "dmy" else (b, a)
        year = _ce_year(m["y"])
        first, last = _make(year, month, int(m["d1"])), _make(year, month, day)
        if first and last and first < last:
            yield DateMatch(first, m.start("d1"), m.end("d1"))
            yield DateMatch(last, m.start("a"), m.end())


def _iso(text: str) -> Iterator[DateMatch]:
    for m in _ISO.finditer(text):
        found = _make(_ce_year(m["y"]), int(m["m"]), int(m["d"]))
        if found:
            yield DateMatch(found, m.start(), m.end())


def _named_phrases(text: str) -> list[_Named]:
    phrases = []
    for m in _MONTH.finditer(text):
        month = _month_at(text, m)
        if month is None:
            continue
        english = _MONTH_FORMS[m.group()][1] == "english"
        before = _day_before(text, m.start())
        month_first = _US_DAY_YEAR if english else _TH_DAY_YEAR
        if not before and (us := month_first.match(text, m.end())):
            phrases.append(_Named(m.start(), us.end(), m.start(), None, int(us["d"]), month,
                                  _ce_year(us["y"])))  # fmt: skip
            continue
        after = _AFTER_MONTH.match(text, m.end())
        if after and english and len(after["y"]) == 2:
            after = None  # "may 12" is English prose far more often than May 2512
        before, after = _same_separators(before, after)
        phrases.append(_phrase(m, month, before, after))
    return phrases


def _same_separators(
    before: re.Match[str] | None, after: re.Match[str] | None
) -> tuple[re.Match[str] | None, re.Match[str] | None]:
    """15-ก.ค.-2565 and 13 / ก.ค. / 2554 need the same separator on both sides of the month:
    in "1 ม.ค. - 15 มี.ค." the 15 is no year."""
    sep_before = before["sep"] if before and before["sep"] in ("/", "-") else None
    sep_after = after["sep"] if after and after["sep"] in ("/", "-") else None
    if sep_after and sep_after != sep_before:
        after = None
    if sep_before and sep_before != sep_after:
        before = None
    return before, after


def _day_before(text: str, end: int) -> re.Match[str] | None:
    """_BEFORE_MONTH ending at ``end`` unless its day is an ordinal (ครั้งที่ 1); most months
    have no digit right before them, and a cheap digit test spares the search."""
    if not _ANY_DIGIT.search(text, max(0, end - _DAY_GAP), end):
        return None
    m = _BEFORE_MONTH.search(text, max(0, end - _BEFORE_REACH), end)
    if m and (o := _ORDINAL.search(text, max(0, m.start() - 5), m.start())):
        after_word = o.start() > 0 and _is_thai(text[o.start() - 1])
        if after_word and not _DAY_WORD.search(text, max(0, m.start() - 16), m.start()):
            return None
    return m


def _phrase(
    m: re.Match[str], month: int, before: re.Match[str] | None, after: re.Match[str] | None
) -> _Named:
    day = int(before["d"]) if before else None
    first = int(before["d1"]) if before and before["d1"] else None
    if first is not None and day is not None and first >= day:
        first = None  # "5-3 มี.ค." is no range
    year = _ce_year(after["y"], after["era"]) if after else None
    day_start = before.start("d") if before else m.start()
    start = before.start("d1") if before and first is not None else day_start
    return _Named(start, after.end() if after else m.end(), day_start, first, day, month, year)


def _fill_years(text: str, phrases: list[_Named]) -> list[_Named]:
    """Share the year across a range: 27 เม.ย. - 5 พ.ค. 2563, or 27 เม.ย. 2563 - 5 พ.ค."""
    out = list(phrases)
    for i in range(len(out) - 2, -1, -1):  # backwards: a year flows to the start first
        cur, nxt = out[i], out[i + 1]
        if cur.year is None and nxt.year is not None and _joined(text, cur, nxt):
            late = (cur.month, cur.day or 1) > (nxt.month, nxt.day or 31)
            out[i] = replace(cur, year=nxt.year - late)  # 27 ธ.ค. - 5 ม.ค. 2564: the year before
    for i in range(len(out) - 1):
        cur, nxt = out[i], out[i + 1]
        if nxt.year is None and cur.year is not None and _joined(text, cur, nxt):
            late = (cur.month, cur.day or 1) > (nxt.month, nxt.day or 31)
            out[i + 1] = replace(nxt, year=cur.year + late)
    return out


def _joined(text: str, first: _Named, second: _Named) -> bool:
    return bool(_CONNECTOR.fullmatch(text, first.end, second.start))


def _named(phrases: list[_Named]) -> Iterator[DateMatch]:
    for p in phrases:
        if p.first_day is not None:
            first = _make(p.year, p.month, p.first_day)
            if first:
                yield DateMatch(first, p.start, p.start + len(str(p.first_day)))
        found = _make(p.year, p.month, p.day)
        if found:
            yield DateMatch(found, p.day_start, p.end)


def _dedupe(matches: list[DateMatch]) -> list[DateMatch]:
    """Keep matches in text order, dropping any that overlaps one already kept."""
    matches.sort(key=lambda m: (m.start, -m.end))
    kept: list[DateMatch] = []
    for m in matches:
        if kept and m.start < kept[-1].end:
            continue
        kept.append(m)
    return kept


def find_date_matches(text: str, *, order: DateOrder = "dmy") -> list[DateMatch]:
    """Every date in ``text`` with its offsets, in text order.

    A range gives both ends; the first end's span covers only its own words.

    >>> [(m.date.isoformat(), m.start, m.end) for m in find_date_matches("ถึง 5 พ.ค. 2563")]
    [('2020-05-05', 4, 15)]
    """
    if not isinstance(text, str) or not _ANY_DIGIT.search(text):
        return []  # every date has a digit: most lines stop here
    if len(text) <= _CACHED_LEN:
        return list(_short_date_matches(text, order))
    return _date_matches(text, order)


_CACHED_LEN = 40  # a date field ("31/03/2566", "(1 ต.ค. 2565)"): pages repeat a few dates


@lru_cache(maxsize=16384)
def _short_date_matches(text: str, order: DateOrder) -> tuple[DateMatch, ...]:
    return tuple(_date_matches(text, order))


def _date_matches(text: str, order: DateOrder) -> list[DateMatch]:
    return scan_dates(text, order=order)[0]


@dataclass(frozen=True)
class MonthMatch:
    """A month-and-year phrase without a day ("มีนาคม 2563"), with its offsets."""

    month: int
    year: int  # Common Era
    start: int
    end: int


def scan_dates(text: str, *, order: DateOrder = "dmy") -> tuple[list[DateMatch], list[MonthMatch]]:
    """The dates of ``text`` (as find_date_matches) and its month-and-year phrases, in one
    scan of the month names."""
    if not isinstance(text, str) or not _ANY_DIGIT.search(text):
        return [], []
    text = to_arabic_digits(text)  # one code point per digit: offsets are kept
    found: list[DateMatch] = []
    # The numeric forms need their separators: skip the (costly) regex module calls
    # on text without them. The order of ``found`` is kept (_dedupe's sort is stable).
    if "/" in text or "-" in text:
        found += _iso(text)
        found += _numeric_ranges(text, order)
    if "/" in text or "-" in text or "." in text:
        found += _numeric(text, order)
    phrases = _fill_years(text, _named_phrases(text))
    found += _named(phrases)
    months = [
        MonthMatch(p.month, p.year, p.start, p.end)
        for p in phrases
        if p.day is None and p.year is not None
    ]
    return _dedupe(found), months


def find_dates_with_spans(text: str, *, order: DateOrder = "dmy") -> list[tuple[date, int, int]]:
    """Every date in ``text`` as ``(date, start, end)``, in text order.

    >>> find_dates_with_spans("ส่งเมื่อ 31/1/2563")
    [(datetime.date(2020, 1, 31), 9, 18)]
    """
    return [(m.date, m.start, m.end) for m in find_date_matches(text, order=order)]


def find_dates(text: str, *, order: DateOrder = "dmy") -> list[date]:
    """Every date in ``text``, in order; a range gives both ends.

    >>> find_dates("ระหว่างวันที่ 27 เม.ย. - 5 พ.ค. 2563")
    [datetime.date(2020, 4, 27), datetime.date(2020, 5, 5)]
    >>> find_dates("21-22 มี.ค. 64")
    [datetime.date(2021, 3, 21), datetime.date(2021, 3, 22)]
    >>> find_dates("KPI 0411-2029 ข้อ ๕.๔.๑ เดือนมีนาคม 2563")
    []
    """
    return [m.date for m in find_date_matches(text, order=order)]


def parse_date(text: str, *, order: DateOrder = "dmy") -> date | None:
    """The first date in ``text``, or None.

    >>> parse_date("29/2/2563")
    datetime.date(2020, 2, 29)
    >>> parse_date("2/27/2021")
    datetime.date(2021, 2, 27)
    >>> parse_date("เมื่อวันพุธที่ ๒๑ มี.ค. ๖๔ เวลา 09.00 น.")
    datetime.date(2021, 3, 21)
    >>> parse_date("29 ก.พ. 2566") is None
    True
    """
    found = find_date_matches(text, order=order)
    return found[0].date if found else None


def month_year_mentions(text: str) -> list[tuple[int, int, int, int]]:
    """Month-and-year phrases without a day, as ``(month, year_be, start, end)``.

    >>> month_year_mentions("ในเดือนมีนาคม 2563 ไปแล้ว")
    [(3, 2563, 7, 18)]
    >>> month_year_mentions("ประจำเดือน ต.ค. - พ.ย. 63")
    [(10, 2563, 11, 15), (11, 2563, 18, 25)]
    """
    return [(m.month, m.year + BE_OFFSET, m.start, m.end) for m in scan_dates(text)[1]]


def _readings(text: str, m: DateMatch) -> list[date]:
    """Every plausible date the words of ``m`` can mean (d/m or m/d, BE or CE)."""
    numeric = _NUMERIC.fullmatch(text, m.start, m.end)
    if not numeric:
        return [m.date]
    a, b, raw = int(numeric["a"]), int(numeric["b"]), numeric["y"]
    years = {_ce_year(raw)}
    if len(raw) == 2:
        years.add(2000 + int(raw))
    out = []
    for y in years:
        for day, month in ((a, b), (b, a)):
            found = _make(y, month, day)
            if found:
                out.append(found)
    return out or [m.date]


def parse_date_near(text: str, reference: date, *, order: DateOrder = "dmy") -> date | None:
    """The first date in ``text``, read (d/m or m/d, BE or CE year) closest to ``reference``.

    For pages mixing d/m/BE, d/m/CE and m/d/CE entries under an ISO heading date.

    >>> parse_date_near("3/1/2021", date(2021, 3, 2))
    datetime.date(2021, 3, 1)
    >>> parse_date_near("3/1/2021", date(2021, 1, 4))
    datetime.date(2021, 1, 3)
    """
    found = find_date_matches(text, order=order)
    if not found:
        return None
    clean = to_arabic_digits(text)
    return min(_readings(clean, found[0]), key=lambda d: abs((d - reference).days))
