"""Periods: days, day ranges, months, month ranges, fiscal quarters, fiscal years (and their
ranges) and to-date spans, each as ``Period(start, end, grain, raw)`` in the Common Era.

Fiscal year N (Buddhist era) runs 1 October N-544 .. 30 September N-543; quarter 1 is
October-December. A quarter needs its fiscal year: written next to it ("ไตรมาสที่ 2/2567"),
elsewhere in the text ("ปีงบประมาณ 2567"), or given by the caller. Nothing here raises on
any ``str``; a line without a digit costs one regex scan.
"""

from __future__ import annotations

import calendar
import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Literal

from normalize.dates import DateMatch, MonthMatch, scan_dates
from normalize.digits import to_arabic_digits
from normalize.fiscal import fiscal_year as _fiscal_year_of
from normalize.fiscal import fiscal_year_bounds

Grain = Literal["day", "month", "quarter", "fiscal_year", "range"]
_ANY_DIGIT = re.compile(r"\d")  # Thai digits are \d too
_S = r"[ \t\u00a0]{0,3}"
_TO = rf"{_S}(?:-|–|—|ถึง|จนถึง|to){_S}"
_BE = r"(?:พ\.?[ ]?ศ\.?[ ]?)?"
_FY_WORD = r"(?:ประจำ)?ปี[ ]?งบ(?:ประมาณ|\.|ฯ)?"
# _FY_WORD without its optional ประจำ, which _fiscal_spans puts back: a pattern that starts
# with a literal ("ปี") lets ``re`` scan for it at memchr speed, ~5x faster.
_FY = re.compile(
    rf"ปี[ ]?งบ(?:ประมาณ|\.|ฯ)?{_S}{_BE}:?{_S}\(?(?P<y1>\d{{4}}|\d{{2}})(?![\d.,:/]\d|\d)\)?"
    rf"(?:{_TO}{_BE}(?P<y2>\d{{4}}|\d{{2}})(?![\d.,:/]\d|\d))?"
)
# An agency line's "(2564)": "สำนักงานเขตบางรัก : (2564)"; also a text that is only "(2564)".
_AGENCY_FY = re.compile(r"\((?P<y1>25\d\d)\)[ ]?$")  # what precedes is checked in Python
_QUARTER_REST = (
    rf"{_S}(?P<q1>[1-4])(?![\d.])"
    rf"(?:{_S}(?:-|–|ถึง|และ|,){_S}(?:ไตรมาส(?:ที่)?{_S})?(?P<q2>[1-4])(?![\d.]))?"
    rf"(?:{_S}/{_S}(?P<y>25\d\d|\d{{2}})(?!\d)"
    rf"|{_S}(?:{_FY_WORD}|ปี){_S}{_BE}{_S}(?P<yb>25\d\d|\d{{2}})(?!\d)"
    rf"|{_S}{_BE}(?P<yc>25\d\d)(?!\d))?"
)
_QUARTER = re.compile(rf"(?:ไตรมาส(?:ที่)?|Q){_QUARTER_REST}")
# The same without "Q", for a text without one: a literal start lets ``re`` scan at memchr
# speed (the alternation makes it try every ไ, one of the commonest Thai letters).
_QUARTER_THAI = re.compile(rf"ไตรมาส(?:ที่)?{_QUARTER_REST}")
# รอบ 6 เดือน: the first six months of the fiscal year.
_ROUND = re.compile(rf"รอบ{_S}(?P<n>3|6|9|12){_S}เดือน")
_TO_DATE = re.compile(
    rf"(?:สะสม)?ตั้งแต่{_S}(?:ต้น|เริ่ม)ปีงบประมาณ{_S}(?:{_BE}(?P<y>\d{{4}}){_S})?"
    rf"(?:จน)?ถึง{_S}(?:วันที่{_S})?\Z"
)
_CONNECTOR = re.compile(rf"{_TO}(?:วันที่|เดือน)?{_S}")


@dataclass(frozen=True)
class Period:
    """A span of days named in a text; ``text_start``/``text_end`` are offsets of ``raw``."""

    start: date
    end: date
    grain: Grain
    raw: str
    text_start: int = 0
    text_end: int = 0


@dataclass(frozen=True)
class _Span:
    start: date
    end: date
    grain: Grain
    at: int
    until: int


def _fy(raw: str | None) -> int | None:
    """A written fiscal year as Buddhist-era: 2567, 67, or a Common-Era 2024."""
    if raw is None:
        return None
    value = int(raw)
    if len(raw) == 2:
        value += 2500
    elif value < 2400:
        value += 543
    return value if 2400 <= value <= 2800 else None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _quarter_bounds(fy: int, q1: int, q2: int) -> tuple[date, date]:
    first, _ = fiscal_year_bounds(fy)
    start_month = (first.month - 1 + 3 * (q1 - 1)) % 12 + 1
    end_month = (first.month - 1 + 3 * q2 - 1) % 12 + 1
    start = date(first.year + (start_month < 10), start_month, 1)
    return start, _month_end(first.year + (end_month < 10), end_month)


def _fiscal_spans(text: str) -> list[_Span]:
    out = []
    for m in _FY.finditer(text) if "งบ" in text else ():
        y1, y2 = _fy(m["y1"]), _fy(m["y2"])
        if y1 is None or (m["y2"] and (y2 is None or y2 <= y1 or y2 - y1 > 10)):
            continue
        last = y2 or y1
        grain: Grain = "range" if y2 else "fiscal_year"
        at = m.start() - 5 if text.endswith("ประจำ", 0, m.start()) else m.start()
        first, end = fiscal_year_bounds(y1)[0], fiscal_year_bounds(last)[1]
        out.append(_Span(first, end, grain, at, m.end()))
    if not out and "(" in text and (a := _AGENCY_FY.search(text)) and _after_colon(text, a.start()):
        start, end = fiscal_year_bounds(int(a["y1"]))
        out.append(_Span(start, end, "fiscal_year", a.start("y1") - 1, a.end("y1") + 1))
    return out


def _after_colon(text: str, at: int) -> bool:
    """Whether ``at`` starts the text or follows ":" (and a space): "เขตบางรัก : (2564)"."""
    before = text[:at].rstrip(" ")
    return not before or before.endswith(":")


def _quarter_spans(text: str, fy: int | None) -> list[_Span]:
    out = []
    for m in (_QUARTER if "Q" in text else _QUARTER_THAI).finditer(text):
        year = _fy(m["y"] or m["yb"] or m["yc"]) or fy
        q1, q2 = int(m["q1"]), int(m["q2"] or m["q1"])
        if year is None or q2 < q1:
            continue
        start, end = _quarter_bounds(year, q1, q2)
        out.append(_Span(start, end, "quarter" if q1 == q2 else "range", *m.span()))
    for m in _ROUND.finditer(text):
        if fy is not None:
            start, end = _quarter_bounds(fy, 1, int(m["n"]) // 3)
            out.append(_Span(start, end, "range", *m.span()))
    return out


def _date_spans(text: str, days: list[DateMatch], months: list[MonthMatch]) -> list[_Span]:
    out = [_Span(m.date, m.date, "day", m.start, m.end) for m in days]
    for m in months:
        first = date(m.year, m.month, 1)
        out.append(_Span(first, _month_end(m.year, m.month), "month", m.start, m.end))
    out.sort(key=lambda s: s.at)
    return _join_ranges(text, out)


def _join_ranges(text: str, spans: list[_Span]) -> list[_Span]:
    """Two spans of the same grain joined by "-" or ถึง are one range; a to-date span
    ("ตั้งแต่ต้นปีงบประมาณ ถึงวันที่ 31 มี.ค. 2567") runs from its fiscal year's start."""
    out: list[_Span] = []
    for span in spans:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.grain == span.grain
            and prev.grain in ("day", "month")
            and prev.start <= span.start
            and _CONNECTOR.fullmatch(text, prev.until, span.at)
        ):
            out[-1] = _Span(prev.start, span.end, "range", prev.at, span.until)
            continue
        out.append(span)
    if "ตั้งแต่" not in text:  # tested once: per span it made many dates quadratic
        return out
    return [_to_date(text, s) for s in out]


def _to_date(text: str, span: _Span) -> _Span:
    if span.grain != "day":
        return span
    m = _TO_DATE.search(text, max(0, span.at - 60), span.at)
    if not m:
        return span
    fy = _fy(m["y"]) or _fiscal_year_of(span.start)
    start = fiscal_year_bounds(fy)[0]
    if not start <= span.start <= start + timedelta(days=365):
        return span
    return _Span(start, span.end, "range", m.start(), span.until)


def _dedupe(spans: list[_Span]) -> list[_Span]:
    spans.sort(key=lambda s: (s.at, -s.until))
    kept: list[_Span] = []
    for s in spans:
        if kept and s.at < kept[-1].until:
            continue
        kept.append(s)
    return kept


def find_periods(text: str, *, fiscal_year: int | None = None) -> list[Period]:
    """Every period named in ``text``, in text order; overlapping mentions keep the longest.

    >>> [(p.start.isoformat(), p.end.isoformat(), p.grain) for p in
    ...  find_periods("ไตรมาสที่ 2 ปีงบประมาณ พ.ศ. 2567 (ม.ค. - มี.ค. 67)")]
    [('2024-01-01', '2024-03-31', 'quarter'), ('2024-01-01', '2024-03-31', 'range')]
    """
    if not isinstance(text, str) or not _ANY_DIGIT.search(text):
        return []
    if len(text) <= _CACHED_LEN:
        return list(_short_periods(text, fiscal_year))
    return _periods(text, fiscal_year)


_CACHED_LEN = 40  # table cells and date fields: pages repeat the same few


@lru_cache(maxsize=16384)
def _short_periods(text: str, fiscal_year: int | None) -> tuple[Period, ...]:
    return tuple(_periods(text, fiscal_year))


def _periods(text: str, fiscal_year: int | None) -> list[Period]:
    clean = to_arabic_digits(text)  # one code point per digit: offsets are kept
    spans = _fiscal_spans(clean) if "งบ" in clean or "(" in clean else []
    fy = next((_fy_of(s) for s in spans if s.grain == "fiscal_year"), None) or fiscal_year
    if "ไตรมาส" in clean or "Q" in clean or "รอบ" in clean:
        spans += _quarter_spans(clean, fy)
    if len(clean) > _LONG_LINES * (clean.count("\n") + 1):  # lines too long to repeat
        spans += _date_spans(clean, *scan_dates(clean))
    else:
        spans += _date_spans_by_line(clean)
    return [
        Period(s.start, s.end, s.grain, text[s.at : s.until], s.at, s.until) for s in _dedupe(spans)
    ]


def _date_spans_by_line(clean: str) -> list[_Span]:
    """``_date_spans`` of the whole text, found line by line: no date, range or join crosses
    a line break, and most lines of a document repeat lines of the documents before it
    (templates), so each line's spans are cached (with offsets within the line)."""
    lines = clean.split("\n")
    cache = _line_spans
    found: list[tuple[_Span, ...] | None] = [cache.get(line) for line in lines]
    missing = [i for i, got in enumerate(found) if got is None]
    if missing:
        _fill_missing(lines, missing, found)
    out: list[_Span] = []
    at = 0
    for line, spans in zip(lines, found, strict=True):
        for s in spans or ():
            out.append(_Span(s.start, s.end, s.grain, s.at + at, s.until + at) if at else s)
        at += len(line) + 1
    return out


def _fill_missing(lines: list[str], missing: list[int], found: list) -> None:
    """Scan the lines not cached that hold a digit together, each once (one scan costs less
    than one per line), hand each its spans and cache them."""
    dated = [line for line in dict.fromkeys(lines[i] for i in missing) if _ANY_DIGIT.search(line)]
    result: dict[str, tuple[_Span, ...]] = {}
    if dated:
        joined = "\n".join(dated)
        starts = [0]
        for line in dated[:-1]:
            starts.append(starts[-1] + len(line) + 1)
        per: list[list[_Span]] = [[] for _ in dated]
        for s in _date_spans(joined, *scan_dates(joined)):
            k = bisect_right(starts, s.at) - 1
            base = starts[k]
            per[k].append(
                _Span(s.start, s.end, s.grain, s.at - base, s.until - base) if base else s
            )
        result = {line: tuple(spans) for line, spans in zip(dated, per, strict=True)}
    if len(_line_spans) + len(missing) > _LINE_CACHE_SIZE:
        _line_spans.clear()
    for i in missing:
        line = lines[i]
        found[i] = result.get(line, ())
        if len(line) <= _CACHED_LINE and len(_line_spans) < _LINE_CACHE_SIZE:
            _line_spans[line] = found[i]


_line_spans: dict[str, tuple[_Span, ...]] = {}
_LINE_CACHE_SIZE = 16384  # emptied when full
_CACHED_LINE = 400  # longer lines are rarely repeated: not kept
_LONG_LINES = 200  # a text whose lines average more is scanned whole (hostile pages)


def _fy_of(span: _Span) -> int:
    return _fiscal_year_of(span.end)


def parse_period(text: str, *, fiscal_year: int | None = None) -> Period | None:
    """The first period named in ``text``, or None.

    >>> p = parse_period("ปีงบประมาณ พ.ศ. 2567")
    >>> (p.start, p.end, p.grain)
    (datetime.date(2023, 10, 1), datetime.date(2024, 9, 30), 'fiscal_year')
    >>> parse_period("ไตรมาสที่ 2", fiscal_year=2567).start
    datetime.date(2024, 1, 1)
    """
    found = find_periods(text, fiscal_year=fiscal_year)
    return found[0] if found else None
