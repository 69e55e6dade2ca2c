"""Shared pure building blocks of the page parsers (kpi_detail, project_progress, kpi_form).

Everything here works on already repaired text (``normalize.repair_text``) and never raises
on any ``str``.  Every pattern is linear-time: no nested quantifiers over overlapping
classes, and every "skip some text" gap is bounded.

Blocks:

- lines: :func:`numbered_lines` (1-based, cleaned, line count of ``text.split("\\n")``),
  :func:`split_sections` (cut a page at its heading lines), :func:`join_text`;
- the indicator header "ค่าเป้าหมาย ร้อยละ : 90 / ผลงานที่ทำได้ ร้อยละ : 70 / ประเภทตัวชี้วัด :
  … (outcome)": :func:`parse_indicator_header`;
- the quarterly table written one cell per line with blank cells: :func:`find_quarter_table`;
- the "สยป. … ไตรมาสที่ N score" line: :func:`parse_assessment`;
- strategy path lines ":๕.๔ - name": :func:`parse_strategy_line`;
- reach and posts inside an entry body: :func:`extract_reach` (numbered posts, totals,
  engagement, declared counts, unit typos);
- dated entries "28/02/2566 : …" several to a line: :func:`split_dated`;
- satisfaction percentages: :func:`find_satisfaction`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from itertools import compress, count
from operator import attrgetter

from normalize import parse_date, to_arabic_digits
from parsers.model import (
    Anomaly,
    Assessment,
    Attribute,
    Indicator,
    Metric,
    PlanStep,
    QuarterlyResult,
    ReachMetric,
    ReportEntry,
    Severity,
    StrategyLink,
    fast_init,
)

# A number as written: 1,104,325 / 90.00 / 100.0000 (Thai digits are converted first).
NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NUM_RE = re.compile(rf"(?:{NUM})")


# --------------------------------------------------------------------------- lines


@fast_init  # every line of every page becomes a Line
@dataclass(frozen=True)
class Line:
    """One line of the page: its 1-based number and its text with blanks collapsed."""

    no: int
    text: str


def clean(text: str) -> str:
    """Collapse every run of blanks (NBSP, tabs included) to one space and strip.

    >>> clean("  ค่าเป้าหมาย\\u00a0 ร้อยละ :\\t90 ")
    'ค่าเป้าหมาย ร้อยละ : 90'
    """
    return " ".join(text.split())


def numbered_lines(text: str) -> list[Line]:
    """The lines of ``text`` (split on ``\\n`` only, as the registry counts them), cleaned.

    A capture cut inside a character ends with U+FFFD: that is no text and is dropped.
    """
    text = text.rstrip("\ufffd")
    # clean() inlined and the Lines built by map(): this runs on every line of every page
    return list(map(Line, count(1), [" ".join(raw.split()) for raw in text.split("\n")]))


def join_text(lines: Iterable[Line]) -> tuple[str, int | None]:
    """The non-blank lines joined by newlines, and the number of the first one."""
    kept = [ln for ln in lines if ln.text]
    if not kept:
        return "", None
    return "\n".join(ln.text for ln in kept), kept[0].no


def to_float(raw: str | None) -> float | None:
    """A written number as a float; None when there is none.

    >>> to_float("1,104,325"), to_float("๙๐"), to_float(""), to_float("abc")
    (1104325.0, 90.0, None, None)
    """
    if not raw:
        return None
    # No digit mapping needed: \d matches Thai digits (one code point each, as the Arabic
    # ones) and float() reads them.
    m = _NUM_RE.search(raw)
    return float(m.group().replace(",", "")) if m else None


@fast_init
@dataclass(frozen=True)
class Section:
    """A run of lines under one heading; ``key`` is 'preamble' before the first heading."""

    key: str
    heading: Line | None
    match: re.Match[str] | None
    lines: tuple[Line, ...]


def split_sections(
    lines: Sequence[Line],
    headings: Sequence[tuple[str, re.Pattern[str]]],
    *,
    max_len: int = 90,
) -> list[Section]:
    """Cut ``lines`` at heading lines (a short line a pattern matches from its start)."""
    sections: list[Section] = []
    key, head, match, start = "preamble", None, None, 0
    for i in _candidate_lines(lines, headings):
        found = _heading(bare(lines[i].text), headings, max_len)
        if found is None:
            continue
        sections.append(Section(key, head, match, tuple(lines[start:i])))
        key, match = found
        head, start = lines[i], i + 1
    sections.append(Section(key, head, match, tuple(lines[start:])))
    return sections


def _candidate_lines(
    lines: Sequence[Line], headings: Sequence[tuple[str, re.Pattern[str]]]
) -> Iterable[int]:
    """The indexes of the lines that may be headings (a superset, checked by the caller).

    Most lines are no heading: one match per line, run by ``map`` at C speed, rejects them
    instead of a Python loop trying each heading pattern.
    """
    any_heading = _any_heading(tuple(headings))
    if any_heading is None:
        return range(len(lines))
    return compress(count(), map(any_heading.match, map(_TEXT, lines)))


_TEXT = attrgetter("text")


_NAMED_GROUP = re.compile(r"(?<!\\)\(\?P<\w+>")


@lru_cache(maxsize=32)
def _any_heading(headings: tuple[tuple[str, re.Pattern[str]], ...]) -> re.Pattern[str] | None:
    """One pattern that matches a line wherever any of ``headings`` matches its bare() text;
    None when they cannot be joined (different flags, back references, lookbehinds that
    would see the "**" prefix)."""
    flags = {pattern.flags for _, pattern in headings}
    sources = [pattern.pattern for _, pattern in headings]
    if len(flags) != 1 or any(
        "(?P=" in src or "(?<" in src or re.search(r"\\\d", src) for src in sources
    ):
        return None
    # Group names may repeat across headings: the joined pattern captures nothing.
    joined = "|".join(f"(?:{_NAMED_GROUP.sub('(?:', src)})" for src in sources)
    try:
        return re.compile(rf"(?:\*[* ]*)?(?:{joined})", flags.pop())  # bare() strips "*" and " "
    except re.error:
        return None


def _heading(
    text: str, headings: Sequence[tuple[str, re.Pattern[str]]], max_len: int
) -> tuple[str, re.Match[str]] | None:
    if not text or len(text) > max_len:
        return None
    for key, pattern in headings:
        m = pattern.match(text)
        if m:
            return key, m
    return None


# ------------------------------------------------------------------ indicator header

# "ค่าเป้าหมาย ร้อยละ : 90", "ค่าเป้าหมาย(ร้อยละ) : 90", "ค่าเป้าหมาย ร้อยละ 90" (no colon).
_VALUE = (
    r"[ ]?\(?(?P<unit>[^:\d()]{0,40}?)\)?"
    r"(?:[ ]?:[ ]?(?P<num>[\d,.]*\d)?|[ ](?P<bare>\d[\d,.]*))"
)
_TARGET = re.compile(rf"ค่าเป้าหมาย{_VALUE}")
_ACHIEVED = re.compile(rf"ผลงานที่ทำได้{_VALUE}")
_TYPE = re.compile(r"ประเภทตัวชี้วัด[ ]?:[ ]?(?P<type>.*)")
_LEVEL_EN = re.compile(r"\((?P<level>output|outcome)\)", re.IGNORECASE)
_LEVEL_TH = re.compile(r"ตัวชี้วัดระดับ(?P<level>ผลลัพธ์|ผลผลิต)")
# What a header line starts with, or holds for its result level ("(outcome)" or the Thai).
_HEADER_STARTS = ("ค่าเป้าหมาย", "ผลงานที่ทำได้", "ประเภทตัวชี้วัด")
_LEVEL_WORD = "ตัวชี้วัดระดับ"
_LEVEL_PART = re.compile(r"\(?ตัวชี้วัดระดับ[^\n]*$|\((?:output|outcome)\)\)?$", re.IGNORECASE)


@dataclass(frozen=True)
class IndicatorHeader:
    """Target, result, type and result level of an indicator, with the first line seen."""

    target_value: float | None = None
    target_unit: str | None = None
    achieved_value: float | None = None
    achieved_unit: str | None = None
    indicator_type: str | None = None
    result_level: str | None = None
    line_no: int | None = None
    last_line_no: int | None = None


def parse_indicator_header(lines: Sequence[Line]) -> IndicatorHeader | None:
    """The indicator header among ``lines``; None when none of its lines is there.

    >>> h = parse_indicator_header([Line(1, "ค่าเป้าหมาย ร้อยละ : 90"),
    ...     Line(2, "ผลงานที่ทำได้ ร้อยละ : 70"), Line(3, "ประเภทตัวชี้วัด : เชิงยุทธศาสตร์"),
    ...     Line(4, "(ตัวชี้วัดระดับผลลัพธ์ (outcome))")])
    >>> (h.target_value, h.target_unit, h.achieved_value, h.result_level, h.last_line_no)
    (90.0, 'ร้อยละ', 70.0, 'outcome', 4)
    """
    fields: dict[str, object] = {}
    seen: list[int] = []
    for ln in lines:
        text = bare(ln.text)
        if not text.startswith(_HEADER_STARTS) and "(" not in text and _LEVEL_WORD not in text:
            continue  # _header_line cannot match it (substring tests are much cheaper)
        if _header_line(to_arabic_digits(text), fields):
            seen.append(ln.no)
    if not seen:
        return None
    return IndicatorHeader(**fields, line_no=seen[0], last_line_no=seen[-1])  # type: ignore[arg-type]


def _header_line(text: str, fields: dict[str, object]) -> bool:
    m = _TARGET.match(text)
    if m and "target_value" not in fields:
        fields["target_value"] = to_float(m["num"] or m["bare"])
        fields["target_unit"] = m["unit"].strip() or None
        return True
    m = _ACHIEVED.match(text)
    if m and "achieved_value" not in fields:
        fields["achieved_value"] = to_float(m["num"] or m["bare"])
        fields["achieved_unit"] = m["unit"].strip() or None
        return True
    m = _TYPE.match(text)
    if m and "indicator_type" not in fields:
        kind = _LEVEL_PART.sub("", m["type"]).strip()  # the level, when on the same line
        fields["indicator_type"] = kind or None
        _level(text, fields)
        return True
    return "result_level" not in fields and _level(text, fields)


def _level(text: str, fields: dict[str, object]) -> bool:
    m = _LEVEL_EN.search(text)
    if m:
        fields["result_level"] = m["level"].lower()
        return True
    m = _LEVEL_TH.search(text)
    if m:
        fields["result_level"] = "outcome" if m["level"] == "ผลลัพธ์" else "output"
        return True
    return False


# ------------------------------------------------------------------- quarterly table

_QUARTER_WORD = "ไตรมาสที่"
_TABLE_START = re.compile(r"ไตรมาสที่$")
_TABLE_HEAD = re.compile(r"\(?[ ]?1[ ]?-[ ]?4[ ]?\)?$|\*?ผลงาน\*?$|\*?ผลประเมิน|\(\*?[ ]?2\.1")
_TABLE_UNIT = re.compile(r"\((?P<unit>[^()*]{1,30})\)$")
_INLINE_UNIT = re.compile(r"ผลงาน\*?[ ]?\((?P<unit>[^()*]{1,30})\)")
_CELL = re.compile(rf"(?:{NUM})[ ]?%?$")  # "10.00", "10.00%"
_DASHES = ("-", "–", "—")
_LONE_DASH = re.compile(r"(?<!\d)[-–—](?!\d)")
_EVAL = re.compile(rf"(?P<a>{NUM})?[ ]?/[ ]?(?P<b>{NUM})?$")


@fast_init
@dataclass(frozen=True)
class QuarterRow:
    quarter: int
    result: float | None
    score: float | None
    eval_1: float | None
    eval_2: float | None
    line_no: int


@dataclass(frozen=True)
class QuarterTable:
    """The quarter-by-quarter table; ``unit`` is the result column's unit as written."""

    unit: str | None
    rows: tuple[QuarterRow, ...]
    line_no: int
    end: int  # index (into the lines given) just past the table


def find_quarter_table(lines: Sequence[Line], start: int = 0) -> QuarterTable | None:
    """The first quarterly table at or after ``lines[start]``; None when there is none.

    The table is written one cell per line (quarter, result, score, "2.1 / 2.2") or one row
    per line; a blank cell is an empty line or a dash.  Blank lines are read relative to the
    table's own spacing, so a capture with every line doubled reads the same.
    """
    for i in range(start, len(lines)):
        if _QUARTER_WORD not in lines[i].text:
            continue  # both headers start with it: a substring test skips the other lines
        text = bare(lines[i].text)
        if _TABLE_START.match(text):
            unit, j = _table_head(lines, i + 1)
            if j == i + 1:
                continue  # "ไตรมาสที่" alone without the column headings is no table
        elif text.startswith("ไตรมาสที่") and "ผลงาน" in text and len(text) <= 90:
            # the whole header on one line (a table row of a saved page)
            unit, j = _table_head(lines, i + 1)
            m = _INLINE_UNIT.search(to_arabic_digits(text))
            unit = m["unit"].strip() if m else unit
        else:
            continue
        tokens, end = _table_tokens(lines, j)
        return QuarterTable(unit, tuple(_table_rows(tokens)), lines[i].no, end)
    return None


def bare(text: str) -> str:
    """A line without its "**" / "***" label prefix (exports differ in these)."""
    return text.lstrip("* ") if text.startswith("*") else text


def _table_head(lines: Sequence[Line], i: int) -> tuple[str | None, int]:
    unit = None
    stop = min(len(lines), i + 16)  # the header is a handful of lines (blank lines between)
    while i < stop:
        text = to_arabic_digits(lines[i].text)
        if not text:
            i += 1
            continue
        if _TABLE_HEAD.match(text):
            i += 1
            continue
        m = _TABLE_UNIT.match(text)
        if m and "2.1" not in text:
            unit = m["unit"].strip() or None
            i += 1
            continue
        break
    return unit, i


@fast_init
@dataclass(frozen=True)
class _Tok:
    """One table cell: a number (or '' for a dash), a "a / b" pair, or a one-line row."""

    text: str
    pair: re.Match[str] | None
    gap: int  # blank lines right before it
    line_no: int


_MAX_GAP = 6  # more blank lines than this end the table


def _table_tokens(lines: Sequence[Line], i: int) -> tuple[list[_Tok], int]:
    tokens: list[_Tok] = []
    gap = 0
    while i < len(lines) and gap <= _MAX_GAP:
        text = to_arabic_digits(lines[i].text)
        if not text:
            gap += 1
            i += 1
            continue
        new = _cell_tokens(text, gap, lines[i].no)
        if new is None:
            break
        tokens += new
        gap = 0
        i += 1
    return tokens, i


def _cell_tokens(text: str, gap: int, no: int) -> list[_Tok] | None:
    if text in _DASHES:
        return [_Tok("", None, gap, no)]
    if _CELL.match(text):
        return [_Tok(text, None, gap, no)]
    if "/" in text:
        m = _EVAL.match(_LONE_DASH.sub("", text).strip())
        if m:
            return [_Tok(text, m, gap, no)]
    return _row_line(text, gap, no)


def _row_line(text: str, gap: int, no: int) -> list[_Tok] | None:
    """A whole row on one line ("1 10.00 100 100 / 100": cells were tab-separated)."""
    head, slash, tail = text.rpartition("/")
    cells = head.split()
    if not slash or len(cells) < 2 or cells[0] not in ("1", "2", "3", "4") or len(cells) > 4:
        return None
    last = tail.split()
    if len(last) > 1 or not all(_CELL.match(c) or c in _DASHES for c in cells[1:] + last):
        return None
    pair_text = cells.pop() + " / " + (last[0] if last else "")
    pair = _EVAL.match(_LONE_DASH.sub("", pair_text).strip())
    out = [_Tok(cells[0], None, gap, no)]
    out += [_Tok("" if c in _DASHES else c, None, 0, no) for c in cells[1:]]
    out.append(_Tok(pair_text, pair, 0, no))
    return out


def _table_rows(tokens: Sequence[_Tok]) -> list[QuarterRow]:
    base = min((t.gap for t in tokens[1:]), default=0)  # the table's own line spacing
    rows: list[QuarterRow] = []
    k = 0
    for quarter in range(1, 5):
        if k >= len(tokens) or tokens[k].pair or tokens[k].text != str(quarter):
            break
        row, k = _table_row(tokens, k, quarter, base)
        rows.append(row)
    return rows


def _table_row(tokens: Sequence[_Tok], k: int, quarter: int, base: int) -> tuple[QuarterRow, int]:
    head = tokens[k]
    cells: list[_Tok] = []
    pair: _Tok | None = None
    k += 1
    while k < len(tokens):
        tok = tokens[k]
        if tok.pair is not None:
            pair, k = tok, k + 1
            break
        if len(cells) == 2 or (
            cells and tok.text == str(quarter + 1) and not _pair_next(tokens, k)
        ):
            break  # no pair: this number opens the next row
        cells.append(tok)
        k += 1
    result, score = _result_and_score(cells, pair, base)
    m = pair.pair if pair else None
    return (
        QuarterRow(
            quarter,
            result,
            score,
            to_float(m["a"]) if m else None,
            to_float(m["b"]) if m else None,
            head.line_no,
        ),
        k,
    )


def _pair_next(tokens: Sequence[_Tok], k: int) -> bool:
    return k + 1 < len(tokens) and tokens[k + 1].pair is not None


def _result_and_score(
    cells: Sequence[_Tok], pair: _Tok | None, base: int
) -> tuple[float | None, float | None]:
    if len(cells) >= 2:
        return to_float(cells[0].text), to_float(cells[1].text)
    if not cells:
        return None, None
    # One number: an extra blank line before it (and none after) is the blank result cell.
    before_blank = cells[0].gap > base
    after_blank = pair is not None and pair.gap > base
    if before_blank and not after_blank:
        return None, to_float(cells[0].text)
    return to_float(cells[0].text), None


# ------------------------------------------------------------------------ assessment

_ASSESS = re.compile(
    rf"สยป\.?[ ]?(?:ตรวจ)?[ ]?ประเมิน\S{{0,20}}[ ]?:?[ ]?ไตรมาสที่[ ]?(?P<q>\d)"
    rf"[ ]?:?[ ]?(?P<score>{NUM})?"
)


def parse_assessment(line: Line) -> Assessment | None:
    """The "*** สยป. ตรวจประเมินตัวชี้วัด : ไตรมาสที่ 1: 100" line; a blank score is None.

    >>> parse_assessment(Line(18, "*** สยป. ประเมินโครงการ : ไตรมาสที่ 3"))
    Assessment(quarter=3, score=None, line_no=18, page=None)
    """
    if "สยป" not in line.text:
        return None
    m = _ASSESS.search(to_arabic_digits(line.text))
    if not m:
        return None
    quarter = int(m["q"])
    return Assessment(quarter if 1 <= quarter <= 4 else None, to_float(m["score"]), line_no=line.no)


# -------------------------------------------------------------------- strategy paths

_STRATEGY = re.compile(
    r"(?:[^:\d]{0,40}:)?[ ]?(?:ด้านที่[ ]?)?(?P<path>\d{1,2}(?:\.\d{1,2}){0,5})(?![\d,])"
    r"\.?[ ]?(?:[-–:][ ]?)?(?P<name>.*)"
)


def parse_strategy_line(line: Line) -> StrategyLink | None:
    """A strategy path line (":๕.๔ - การเมืองสีขาว") as a link; None for other lines.

    >>> parse_strategy_line(Line(78, ":๕.๔ - การเมืองสีขาว"))
    StrategyLink(path='5.4', name='การเมืองสีขาว', line_no=78, page=None)
    """
    text = to_arabic_digits(line.text)
    m = _STRATEGY.match(text)
    if not m:
        return None
    # Names are kept as written (Thai digits included); only the path is converted.
    name = line.text[m.start("name") :].strip().rstrip("%").strip() or None
    return StrategyLink(m["path"], name, line_no=line.no)


def parse_strategy_section(lines: Sequence[Line]) -> tuple[list[StrategyLink], list[Attribute]]:
    """The strategy lines under "สนับสนุนยุทธศาสตร์…": path links, and the other lines
    ("**** ภารกิจงานประจำของหน่วยงาน ****", often repeated) once each as ``strategy_note``."""
    links: list[StrategyLink] = []
    notes: list[Attribute] = []
    seen: set[str] = set()
    for ln in lines:
        if not ln.text:
            continue
        link = parse_strategy_line(ln)
        if link:
            links.append(link)
            continue
        note = ln.text.strip("*% ")
        if note and note not in seen:
            seen.add(note)
            notes.append(Attribute("strategy_note", note, ln.no))
    return links, notes


# ---------------------------------------------------------------------- dated entries

_DATE_TEXT = r"(?P<date>\d{1,2}/\d{1,2}/(?:\d{4}|\d{2}))(?![\d/])"
# _DATED and _BARE_DATED are _DATE_TEXT with the check of the character before the date
# moved after its first digit: led by a digit, ``re`` skips to digits fast.
_DATED = re.compile(r"(?P<date>\d(?<![^\s:;,(]\d)\d?/\d{1,2}/(?:\d{4}|\d{2}))(?![\d/])[ ]?:[ ]?")
_LEADING_DATE = re.compile(rf"[ ]?{_DATE_TEXT}[ ]")  # a date opening the text needs no colon


@fast_init
@dataclass(frozen=True)
class DatedPart:
    """A piece of a report: its date (None when written without one) and its text."""

    date_text: str | None
    report_date: date | None
    text: str
    offset: int  # where the piece (its date included) starts in the given text
    text_offset: int  # where ``text`` starts in the given text


def split_dated(text: str) -> list[DatedPart]:
    """Split a report body at each "dd/mm/yyyy :" (several can share one line); a date
    opening the text needs no colon.  Two-digit years are Buddhist-era (31/1/63).

    >>> [(p.report_date, p.text) for p in split_dated("ก่อน 28/02/2566 : หนึ่ง 31/3/2566 : สอง")]
    [(None, 'ก่อน'), (datetime.date(2023, 2, 28), 'หนึ่ง'), (datetime.date(2023, 3, 31), 'สอง')]
    """
    digits = to_arabic_digits(text)
    parts: list[DatedPart] = []
    marks = list(_DATED.finditer(digits))
    lead = _LEADING_DATE.match(digits)
    if lead and not (marks and marks[0].start() == 0):
        marks.insert(0, lead)
    if marks:
        marks = _with_bare_dates(digits, marks)
    head = text[: marks[0].start()] if marks else text
    if head.strip():
        parts.append(DatedPart(None, None, head.strip(), 0, _lead(head, 0)))
    for k, m in enumerate(marks):
        end = marks[k + 1].start() if k + 1 < len(marks) else len(text)
        when = _slash_date(m["date"])
        piece = text[m.end() : end]
        parts.append(DatedPart(m["date"], when, piece.strip(), m.start(), _lead(piece, m.end())))
    return parts


_BARE_DATED = re.compile(r"(?P<date>\d(?<=\s\d)\d?/\d{1,2}/(?:\d{4}|\d{2}))(?![\d/])[ ](?=[^\s\d])")
# A date after these words is one the text talks about, not the date of a new entry.
_DATE_WORDS = ("วันที่", "ณ", "เมื่อ", "ถึง", "ตั้งแต่", "ภายใน", "ระหว่าง", "และ", "ก่อน", "หลัง",
               "-", "–", "ถึงวันที่", "จน", "แต่", "ใน")  # fmt: skip


def _with_bare_dates(digits: str, marks: list[re.Match[str]]) -> list[re.Match[str]]:
    """``marks`` plus the entry dates written without their colon ("… 31/03/2566 อยู่ระหว่าง").

    Once a text has dated entries, a bare date also opens one when no date word (วันที่, ถึง,
    ณ …) comes right before it and it does not go back in time from the entry before it.
    """
    taken = {m.start("date") for m in marks}
    extra = [
        m
        for m in _BARE_DATED.finditer(digits, marks[0].end())
        if m.start("date") not in taken
        and not digits[max(0, m.start() - 10) : m.start()].rstrip().endswith(_DATE_WORDS)
    ]
    if not extra:
        return marks
    bare_ids = {id(m) for m in extra}
    merged = sorted([*marks, *extra], key=lambda m: m.start())
    kept: list[re.Match[str]] = []
    last = None
    for m in merged:
        when = _slash_date(m["date"])
        if id(m) in bare_ids and (when is None or (last is not None and when < last)):
            continue
        kept.append(m)
        last = when or last
    return kept


@lru_cache(maxsize=4096)
def _slash_date(raw: str) -> date | None:
    """d/m/y, else m/d/y (2/27/2021); cached: a page repeats its few entry dates."""
    return parse_date(raw) or parse_date(raw, order="mdy")


def _lead(piece: str, start: int) -> int:
    return start + len(piece) - len(piece.lstrip())


# ------------------------------------------------------------------------ satisfaction

_SATISFIED = re.compile(
    rf"ร้อยละ[ ]?(?P<a>{NUM})[ ]?(?:มี|มีความ|ที่มี)?[ ]?(?:ความ)?พึงพอใจ"
    rf"|ความพึงพอใจ[^\d\n]{{0,40}}?ร้อยละ[ ]?(?P<b>{NUM})"
)


def find_satisfaction(text: str) -> list[tuple[str, int]]:
    """Satisfaction percentages as written, with their offsets.

    >>> find_satisfaction("5. ประชาชนร้อยละ 84.80 มีความพึงพอใจต่อการรณรงค์")
    [('84.80', 10)]
    """
    if "พึงพอใจ" not in text:  # both branches of _SATISFIED hold it
        return []
    digits = to_arabic_digits(text)
    return [(m["a"] or m["b"], m.start()) for m in _SATISFIED.finditer(digits)]


# ------------------------------------------------------------------------------ reach

_METRIC_OF: dict[str, Metric] = {
    "ยอดผู้เข้าถึงรวมทั้งหมด": "reach_total",
    "ยอดการเข้าถึงรวมทั้งหมด": "reach_total",
    "ยอดการเข้าถึง": "reach",
    "ยอดผู้เข้าถึง": "reach",
    "ยอดเข้าถึง": "reach",
    "ยอดผู้เข้าชม": "views",
    "ยอดผุ้เข้าชม": "views",
    "ยอดการเข้าชม": "views",
    "ยอดเข้าชม": "views",
    "กดถูกใจ": "likes",
    "แชร์": "shares",
    "แสดงความคิดเห็น": "comments",
}
_MISSPELLED = {"ยอดผุ้เข้าชม": "ยอดผู้เข้าชม"}
# Every label holds one of these (tests/parsers/test_prechecks.py checks it).
_LABEL_WORDS = ("ยอด", "กดถูกใจ", "แชร์", "แสดงความคิดเห็น")
_KNOWN_UNITS = ("ความคิดเห็น", "ข้อความ", "ครั้ง", "เรื่อง", "โพสต์", "ราย", "คน", "ท่าน", "วิว")


def _label_pattern(labels: Iterable[str], prefix: str = "ยอด") -> str:
    """The labels, longest first, with the ``prefix`` most share factored out: the engine
    then rejects a position once instead of once per label (same matches, same order)."""
    ordered = sorted(labels, key=len, reverse=True)
    shared = [label[len(prefix) :] for label in ordered if label.startswith(prefix)]
    others = [label for label in ordered if not label.startswith(prefix)]
    return "|".join([f"{prefix}(?:{'|'.join(shared)})", *others])


_LABELS = _label_pattern(_METRIC_OF)
_METRIC = re.compile(
    rf"(?P<label>{_LABELS})[ ]?:?[ ]?(?:จำนวน[ ]?)?(?:ทั้งหมด[ ]?)?(?P<num>\d[\d,]{{0,24}})"
    rf"(?![\d,]|\.\d)[ ]?(?P<unit>{'|'.join(_KNOWN_UNITS)}|[ก-ฮ]\.(?![ก-ฮ]\.)|views?)?"
)
_POSTS = re.compile(r"จำนวน[ ]?(?P<num>\d[\d,]{0,12})[ ]?(?P<unit>ครั้ง|เรื่อง|โพสต์|ชิ้นงาน|ชิ้น)")
_POSTS_TOTAL = re.compile(r"[ ]?(?:และ)?[ ]?(?:โดย)?(?:มี)?[ ]?ยอด(?:ผู้|การ)เข้าถึงรวมทั้งหมด")
_POSTS_LIST = re.compile(r"[ ]?ดังนี้")
# Item markers: "1." "2.4" "2.4." "1)" after a blank (or a colon) or at the start.
# Led by a digit (the blank-or-colon check comes after it) so ``re`` skips to digits fast.
_ITEM = re.compile(r"(?P<no>\d(?<![^\s:]\d)\d{0,2}(?:\.\d{1,3}){0,3})(?P<end>[.)]?)(?=\D|$)")
_ACRONYM_BEFORE = re.compile(r"(?<![A-Za-z])[A-Z]{2,6}[ ]?$")
# Led by the bullet (the blank-before check comes after it) so ``re`` skips to it fast.
_BULLET = re.compile(r"[-–•](?<!\S[-–•])(?=[ ]?[^\s\d\-–])")
_NEWLINE = re.compile("\n")
_TITLE_TAILS = ("โดยมี", "และมี", "โดย", "มี", ",")


@fast_init
@dataclass(frozen=True)
class _Item:
    no: str
    depth: int
    start: int  # of the marker
    body: int  # just past the marker
    end: int = 0


def find_items(text: str) -> list[_Item]:
    """The numbered items of ``text`` that follow one another (1, 2, 2.1, 2.2, 3 …).

    A number is an item marker only when it is the next one expected, so "PM 2.5" inside
    item 3 and "10 มาตรการ" are not items.

    >>> [i.no for i in find_items("1. ก PM 2.5 ข 2. ค 2.1 ง 2.2 จ 3. ฉ 1. ช")]
    ['1', '2', '2.1', '2.2', '3', '1']
    >>> text = "1. ข่าว 1.1 ฝุ่น PM 1.2 ในโรงเรียน 1.2 สงกรานต์"
    >>> [(i.no, text[i.body : i.end].strip()) for i in find_items(text)]
    [('1', 'ข่าว'), ('1.1', 'ฝุ่น PM 1.2 ในโรงเรียน'), ('1.2', 'สงกรานต์')]
    """
    found: list[tuple[str, int, int, int]] = []  # no, depth, start, body
    path: tuple[int, ...] = ()
    digits = to_arabic_digits(text)
    for m in _ITEM.finditer(digits):
        no, end = m.group("no", "end")
        if not end and "." not in no:
            continue  # a lone number without "." or ")" is a quantity, not an item
        parts = tuple(map(int, no.split(".")))
        if not _expected(path, parts):
            continue
        if _ACRONYM_BEFORE.search(digits, max(0, m.start() - 12), m.start()):
            continue  # "PM 2.5", "ISO 9001.": a name, even where item 2.5 is expected
        path = parts
        found.append((no, len(parts), m.start(), m.end()))
    # Each _Item is built once, its end known (a frozen dataclass is slow to construct).
    ends = [start for _, _, start, _ in found[1:]] + [len(text)] if found else []
    return [
        _Item(no, depth, start, body, end)
        for (no, depth, start, body), end in zip(found, ends, strict=True)
    ]


def _expected(path: tuple[int, ...], parts: tuple[int, ...]) -> bool:
    if parts == (1,):
        return True  # a new list may start anywhere
    if parts == (*path, 1):
        return True  # first child
    for depth in range(len(path), 0, -1):
        if parts == (*path[: depth - 1], path[depth - 1] + 1):
            return True  # next sibling of this item or of an ancestor
    return False


class LinesFrom(Sequence[int]):
    """The numbers of ``lines[start:]`` without copying them (a report can have many)."""

    def __init__(self, lines: Sequence[Line], start: int = 0) -> None:
        self._lines, self._start = lines, start

    def __len__(self) -> int:
        return max(len(self._lines) - self._start, 0)

    def __getitem__(self, k):  # type: ignore[override]
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(len(self)))]
        n = max(len(self._lines) - self._start, 0)  # len(self), without the call
        if not -n <= k < n:
            raise IndexError(k)
        return self._lines[self._start + k % n].no


@fast_init
@dataclass(frozen=True)
class _Ctx:
    entry_no: int | None
    report_date: date | None
    base_line: int
    newlines: tuple[int, ...]
    line_nos: Sequence[int] | None  # the line of each line of the body, when not consecutive

    def line_of(self, offset: int) -> int:
        k = bisect_right(self.newlines, offset - 1)
        nos = self.line_nos
        if nos is not None and k < len(nos):  # k >= 0: an empty sequence falls through
            return nos[k]
        return self.base_line + k


def extract_reach(
    body: str,
    *,
    entry_no: int | None,
    report_date: date | None,
    line_no: int,
    line_nos: Sequence[int] | None = None,
) -> tuple[list[ReachMetric], list[Anomaly]]:
    """Reach, views, engagement and post counts written in an entry body.

    ``line_no`` is the line the body starts on; a body spanning lines keeps each row's own
    line (``line_nos`` gives the line of each body line when blank lines were left out).
    Numbered posts keep their number as written ('3', '2.4'); totals, declared counts and
    dash bullets have ``item_no`` None.

    >>> rows, _ = extract_reach("1. ข่าว ยอดการเข้าถึง 23,156 คน 2. ฝน ยอดผู้เข้าชม 5 ราย",
    ...     entry_no=1, report_date=None, line_no=9)
    >>> [(r.item_no, r.title, r.metric, r.value, r.unit) for r in rows]
    [('1', 'ข่าว', 'reach', 23156, 'คน'), ('2', 'ฝน', 'views', 5, 'ราย')]
    """
    # One line for the patterns (same length: offsets still map to the lines of ``body``).
    digits = to_arabic_digits(body).replace("\n", " ")
    if not _may_have_metric(digits) and not ("จำนวน" in digits and _POSTS.search(digits)):
        return [], []
    newlines = tuple(m.start() for m in _NEWLINE.finditer(body)) if "\n" in body else ()
    ctx = _Ctx(entry_no, report_date, line_no, newlines, line_nos)
    items = find_items(digits)
    found: list[tuple[int, ReachMetric]] = []
    anomalies: list[Anomaly] = []
    for no, start, end in _spans(digits, items):
        found += _span_metrics(digits, start, end, no, ctx, anomalies)
    found += _post_counts(digits, items, ctx, anomalies)
    found.sort(key=lambda pair: pair[0])
    return [row for _, row in found], anomalies


def _may_have_metric(text: str) -> bool:
    """Whether _METRIC can match: its leading class (ย ก แ) is on most Thai text, so a
    search tries nearly every position; the substring tests scan at C speed."""
    ya, like, share, comment = _LABEL_WORDS
    return (ya in text or like in text or share in text or comment in text) and _METRIC.search(
        text
    ) is not None


def _spans(text: str, items: Sequence[_Item]) -> list[tuple[str | None, int, int]]:
    """(item number, start, end) of each piece: the text before the list, each item, and
    each dash bullet inside them (bullets have no number)."""
    pieces: list[tuple[str | None, int, int]] = []
    first = items[0].start if items else len(text)
    raw = [(None, 0, first), *((it.no, it.body, it.end) for it in items)]
    bullets = "-" in text or "–" in text or "•" in text
    for no, start, end in raw:
        cuts = [m.start() for m in _BULLET.finditer(text, start, end)] if bullets else []
        bounds = [start, *cuts, end]
        for k in range(len(bounds) - 1):
            pieces.append((no if k == 0 else None, bounds[k], bounds[k + 1]))
    return pieces


def _span_metrics(
    text: str, start: int, end: int, no: str | None, ctx: _Ctx, anomalies: list[Anomaly]
) -> list[tuple[int, ReachMetric]]:
    rows: list[tuple[int, ReachMetric]] = []
    title: str | None = None
    for k, m in enumerate(_METRIC.finditer(text, start, end)):
        at = m.start()
        label, num, unit = m.group("label", "num", "unit")  # one call for the three
        if k == 0:
            title = _title(text[start:at])
        metric = _METRIC_OF[label]
        value = int(num.replace(",", ""))  # the pattern starts with a digit
        line = ctx.line_of(at)
        if value > _BIGINT_MAX:
            anomalies.append(_too_large(num, line))
            continue
        _check_label_and_unit(label, num, unit, line, anomalies)
        total = metric == "reach_total"
        rows.append((at, ReachMetric(
            ctx.entry_no, ctx.report_date, None if total else no, None if total else title,
            metric, value, unit, line_no=line,
        )))  # fmt: skip
    return rows


_BIGINT_MAX = 2**63 - 1  # reach_metrics.value is a BIGINT


def _too_large(num: str, line: int) -> Anomaly:
    return Anomaly(
        "value_out_of_range",
        "warning",
        f"The count {num} is too large to be a count of people or posts; it is left out.",
        line_no=line,
    )


def _title(raw: str) -> str | None:
    text = clean(raw).strip("-–•: ")
    if not text.endswith(_TITLE_TAILS):
        return text or None  # the common case: no tail to cut, and no blank at the end
    end, cut = len(text), True
    while cut:  # indexes, not a regex: "(a|b)+$" backtracks quadratically on hostile text
        cut = False
        for tail in _TITLE_TAILS:
            if text.endswith(tail, 0, end):
                end, cut = end - len(tail), True
        while end and text[end - 1] == " ":
            end -= 1
    return text[:end] or None


def _check_label_and_unit(
    label: str, num: str, unit: str | None, line: int, anomalies: list[Anomaly]
) -> None:
    if label in _MISSPELLED:
        anomalies.append(Anomaly(
            "misspelled_label", "info",
            f"The label {label!r} is a misspelling of {_MISSPELLED[label]!r}; "
            f"the value {num} is read as views.", line_no=line,
        ))  # fmt: skip
    if unit is not None and unit not in _KNOWN_UNITS and not unit.startswith("view"):
        anomalies.append(Anomaly(
            "unit_typo", "warning",
            f"The count {num} is followed by the unit {unit!r}, which is no known unit "
            f"(a typo for 'คน'?); the unit is kept as written.", line_no=line,
        ))  # fmt: skip


def _post_counts(
    text: str, items: Sequence[_Item], ctx: _Ctx, anomalies: list[Anomaly]
) -> list[tuple[int, ReachMetric]]:
    rows: list[tuple[int, ReachMetric]] = []
    if "จำนวน" not in text:  # _POSTS starts with it: skip the scan
        return rows
    for m in _POSTS.finditer(text):
        value = int(m["num"].replace(",", ""))
        line = ctx.line_of(m.start())
        if _POSTS_TOTAL.match(text, m.end()):
            pass
        elif _POSTS_LIST.match(text, m.end()):
            _check_declared(m, value, items, line, anomalies)
        else:
            continue
        rows.append((m.start(), ReachMetric(
            ctx.entry_no, ctx.report_date, None, None, "posts", value, m["unit"], line_no=line,
        )))  # fmt: skip
    return rows


def _check_declared(
    m: re.Match[str], value: int, items: Sequence[_Item], line: int, anomalies: list[Anomaly]
) -> None:
    listed = _listed_after(m.end(), items)
    if listed and listed != value:
        anomalies.append(Anomaly(
            "declared_count_mismatch", "warning",
            f"The entry declares {m.group()!r} ({value}) but lists {listed} numbered items.",
            line_no=line,
        ))  # fmt: skip


def _listed_after(offset: int, items: Sequence[_Item]) -> int:
    """How many items the list starting after ``offset`` has at its first level."""
    following = [it for it in items if it.start >= offset]
    if not following:
        return 0
    depth = following[0].depth
    count = 0
    for it in following:
        if it.depth < depth:
            break
        if it.depth == depth:
            if it.no.split(".")[-1] == "1" and count:
                break  # a new list begins
            count += 1
    return count


# ---------------------------------------------------------------------- page header

_TITLE_CODE = re.compile(r"(?P<title>.*\S)[ ]?:[ ]?(?P<code>\d{3,10}-\d{2,6})$")
_NOISE = re.compile(r"(?:Back Home|FusionCharts will render here|[!\[\]()\s\d.,%]*)$")


def parse_title_code(line: Line) -> tuple[str, str] | None:
    """The "title : code" line of a page (code like 0411-2029 or 04110000-3768).

    >>> parse_title_code(Line(5, "พื้นที่สีเขียวที่เพิ่มขึ้น : ๕๐๓๘-๐๗๔๒"))
    ('พื้นที่สีเขียวที่เพิ่มขึ้น', '5038-0742')
    """
    if ":" not in line.text or "-" not in line.text:
        return None  # _TITLE_CODE needs both; most lines lack one
    m = _TITLE_CODE.match(to_arabic_digits(line.text))
    if not m:
        return None
    return line.text[: len(m["title"])].strip(), m["code"]


_NOT_TITLE = re.compile(r"รายละเอียดตัวชี้วัด$|ความคืบหน้าโครงการ/กิจกรรม$|[^:]*:")


def wrapped_title(lines: Sequence[Line], index: int, title: str) -> str:
    """``title`` with the lines it was wrapped from: the non-blank lines right above
    ``lines[index]`` (no blank between, at most three) that are no page title, no noise and
    no labelled line.

    >>> wrapped_title([Line(1, "Back Home"), Line(2, "ร้อยละของ"), Line(3, "x")], 2, "งาน")
    'ร้อยละของ งาน'
    """
    parts = [title]
    k = index - 1
    while k >= 0 and index - k <= 3:
        text = lines[k].text
        if not text or is_noise(text) or _NOT_TITLE.match(text):
            break
        parts.insert(0, text)
        k -= 1
    return " ".join(parts)


def is_noise(text: str) -> bool:
    """Navigation and chart leftovers: "Back Home", a bare chart value, "![]()"."""
    return bool(_NOISE.match(text))


def most_common_fiscal_year(years: Sequence[int]) -> int | None:
    """The fiscal year most entries fall in (the earliest on a tie); None for none.

    >>> most_common_fiscal_year([2566, 2566, 2567]), most_common_fiscal_year([])
    (2566, None)
    """
    if not years:
        return None
    return min(set(years), key=lambda y: (-years.count(y), y))


# ----------------------------------------------------------------------- detection

_PAGE_TITLES = {
    "รายละเอียดตัวชี้วัด": "kpi_detail",
    "ความคืบหน้าโครงการ/กิจกรรม": "project_progress",
}
# The cue patterns match at a line start: they are run on "\n" + text, as a literal "\n"
# lead is scanned for at C speed where a multiline "^" is tried at every position.
_STRONG_CUES = re.compile(
    r"\n[ \t]*\**[ \t]*(?:"
    r"(?P<kpi>สยป\.?[ \t]*ตรวจประเมินตัวชี้วัด|รายงานผลฯ[ \t]*ไตรมาสที่"
    r"|รายละเอียดตัวชี้วัดฯ[ \t]*:|ผลงานเทียบกับเป้าหมายรายไตรมาส)"
    r"|(?P<project>สยป\.?[ \t]*ประเมินโครงการ|ความคืบหน้าโครงการ[ \t]*ร้อยละ"
    r"|\(\d{1,4}\)[ \t]*ความคืบหน้าโครงการ|ดูโครงการแผนปี|รายละเอียดเกี่ยวกับตัวชี้วัด))"
)
_WEAK_CUES = re.compile(
    r"\n[ \t]*\**[ \t]*(?:"
    r"(?P<kpi>ค่าเป้าหมาย[ \t]+[^:\n]{0,40}:|ผลงานที่ทำได้[ \t]+[^:\n]{0,40}:"
    r"|ประเภทตัวชี้วัด[ \t]*:)"
    r"|(?P<project>หลักการและเหตุผล|วัตถุประสงค์ของโครงการ|เป้าหมายของโครงการ"
    r"|แผนการดำเนินงานฯ|ปัญหาของโครงการ|อุปสรรคของโครงการ))"
)


@dataclass
class Accumulator:
    """What a page parse has gathered so far (mutable while parsing, frozen at the end)."""

    entries: list[ReportEntry] = field(default_factory=list)
    reach: list[ReachMetric] = field(default_factory=list)
    attributes: list[Attribute] = field(default_factory=list)
    anomalies: list[Anomaly] = field(default_factory=list)
    strategy: list[StrategyLink] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    quarterly: list[QuarterlyResult] = field(default_factory=list)
    plan: list[PlanStep] = field(default_factory=list)

    def attr(self, key: str, value: str | None, line_no: int | None) -> None:
        if value:
            self.attributes.append(Attribute(key, value, line_no))

    def anomaly(self, rule: str, severity: Severity, message: str, line_no: int | None) -> None:
        self.anomalies.append(Anomaly(rule, severity, message, line_no))


# Section 1 or a quarterly section "(6.N)" of the numbered KPI report form.
# Run on "\n" + text, as the cue patterns above.
_KPI_FORM_CUE = re.compile(r"\n[ \t]*(?:[1๑][ \t]*\.[ \t]*ชื่อตัวชี้วัด|\([ \t]*[6๖][ \t]*\.)")


def classify_page(text: str) -> str | None:
    """Which of the two web page kinds ``text`` is: 'kpi_detail', 'project_progress' or None.

    One function decides for both parsers, so they can never both claim a text.  The page
    title decides when the capture has it; a headless capture goes by its first strong cue
    (the header lines come before any report text that could quote the other kind's
    words), and failing that by two of its kind's weak cues without any of the other's.

    >>> classify_page("ค่าเป้าหมาย ร้อยละ : 70\\n*** สยป. ตรวจประเมินตัวชี้วัด : ไตรมาสที่ 1:")
    'kpi_detail'
    >>> classify_page("ความคืบหน้าโครงการ ร้อยละ 100\\nรายละเอียดเกี่ยวกับตัวชี้วัด : 1-2")
    'project_progress'
    >>> classify_page("1. ชื่อตัวชี้วัด : ร้อยละ\\nผลงานที่ทำได้ = 5") is None
    True
    """
    return _classify_page(text)


def _first_line(head: str) -> str:
    """The first non-blank line of ``head`` (BOMs removed), cleaned; "" when none.

    Line by line with ``find``: the first line is nearly always the first one, and
    splitting all of ``head`` cost more than the rest of the classification.
    """
    start = 0
    while True:
        end = head.find("\n", start)
        line = (head[start:] if end < 0 else head[start:end]).replace("\ufeff", "")
        if line.strip():
            return clean(line)
        if end < 0:
            return ""
        start = end + 1


# kpi_detail.detect and project_progress.detect ask about the same text one right after
# the other: the second asks the cache.
@lru_cache(maxsize=1)
def _classify_page(text: str) -> str | None:
    lined = "\n" + text
    if _KPI_FORM_CUE.search(lined):
        return None  # the numbered kpi_form quotes the same labels; kpi_form.detect owns it
    first = _first_line(text[:4000])
    if first in _PAGE_TITLES:
        return _PAGE_TITLES[first]
    strong = _STRONG_CUES.search(lined)
    if strong:
        return "kpi_detail" if strong["kpi"] else "project_progress"
    kpi: set[str] = set()
    project: set[str] = set()
    for m in _WEAK_CUES.finditer(lined):
        (kpi if m["kpi"] else project).add((m["kpi"] or m["project"])[:8])
    if len(kpi) >= 2 and not project:
        return "kpi_detail"
    if len(project) >= 2 and not kpi:
        return "project_progress"
    return None
