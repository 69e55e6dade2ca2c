"""The quarterly table written one cell per line (or one row per line) with blank cells."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from normalize import to_arabic_digits
from parsers.blocks.lines import NUM, Line, bare, to_float
from parsers.model import (
    fast_init,
)

# ------------------------------------------------------------------- quarterly table

_QUARTER_WORD = "ไตรมา"
# OCR splits the word ("ไตรมาส ที่"), misreads a letter (ไตรมาลสที่) and the "(1 - 4)"
# under it ("(1 9", "(1 4)")
_TABLE_START = re.compile(r"ไตรมา[\u0e01-\u0e4e]{0,3}[ ]?ที่$")
_TABLE_HEAD = re.compile(
    r"\(?[ ]?1[ ]?-[ ]?4[ ]?\)?$|\*?ผลงาน\*?$|\*?ผลประเมิน|\(\*?[ ]?2\.1"
    r"|\([ \t]?1[ \t]?[-–—~]?[ \t]?[4-9]?[ \t]?\)?$"
    r"|[ \t]?[0-9]?[ \t]?[-–—~]?[ \t]?[0-9][ \t]?\)$"  # "(1-4)" as OCR reads it: "4\t4)"
)
_TABLE_UNIT = re.compile(r"\((?P<unit>[^()*]{1,30})\)$")
_INLINE_UNIT = re.compile(r"ผลงาน\*?[ ]?\((?P<unit>[^()*]{1,30})\)")
_CELL = re.compile(rf"(?:{NUM})[ ]?%?$")  # "10.00", "10.00%"
_DASHES = ("-", "–", "—")
_LONE_DASH = re.compile(r"(?<!\d)[-–—](?!\d)")
_POINT_LOST = re.compile(r"[0-9]{1,3} [0-9]{2}")
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
        elif text.startswith(("ไตรมาสที่", "ไตรมาส ที่")) and "ผลงาน" in text and len(text) <= 90:
            # the whole header on one line (a table row of a saved page)
            unit, j = _table_head(lines, i + 1)
            m = _INLINE_UNIT.search(to_arabic_digits(text))
            unit = m["unit"].strip() if m else unit
        else:
            continue
        tokens, end = _table_tokens(lines, j)
        return QuarterTable(unit, tuple(_table_rows(tokens)), lines[i].no, end)
    return None


def _table_head(lines: Sequence[Line], i: int) -> tuple[str | None, int]:
    unit = None
    stop = min(len(lines), i + 16)  # the header is a handful of lines (blank lines between)
    last = ""
    while i < stop:
        text = to_arabic_digits(lines[i].text)
        if not text:
            i += 1
            continue
        if _TABLE_HEAD.match(text) or _misread_pair_head(last, text):
            last = text
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
    if _POINT_LOST.fullmatch(text):  # "55 00": OCR lost the decimal point of "55.00"
        return [_Tok(text.replace(" ", "."), None, gap, no)]
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


def _misread_pair_head(last: str, text: str) -> bool:
    """Whether ``text``, right under the "*ผลประเมินตัวชี้วัด*" heading, is its "(* 2.1 /
    2.2 *)" as OCR misreads it ("0ว1722 0", "((21/22%)"): short, and no cell."""
    return (
        "ผลประเมิน" in last
        and len(text) <= 20
        and not _CELL.match(text)
        and not _EVAL.match(_LONE_DASH.sub("", text).strip())
    )


def _table_rows(tokens: Sequence[_Tok]) -> list[QuarterRow]:
    base = min((t.gap for t in tokens[1:]), default=0)  # the table's own line spacing
    rows: list[QuarterRow] = []
    k = 0
    for quarter in range(1, 5):
        if k >= len(tokens) or tokens[k].pair:
            break
        cells = _cells_to_pair(tokens, k)
        if tokens[k].text == str(quarter) or _misread_quarter(tokens, k, cells):
            row, k = _table_row(tokens, k, quarter, base)
        elif cells in (1, 2):
            # the row lost its quarter number (OCR drops a line of one small glyph)
            row, k = _table_row(tokens, k, quarter, base, numbered=False)
        else:
            break
        rows.append(row)
    return rows


def _cells_to_pair(tokens: Sequence[_Tok], k: int) -> int | None:
    """How many cells from ``tokens[k]`` come before the "a / b" pair ending every row of
    the one-cell-per-line table (None: no pair within a row's reach)."""
    return next((n for n in (1, 2, 3) if k + n < len(tokens) and tokens[k + n].pair), None)


def _misread_quarter(tokens: Sequence[_Tok], k: int, cells: int | None) -> bool:
    """Whether ``tokens[k]`` is the row's quarter number misread by OCR (a "3" read "1"): a
    bare digit before the result, which is written with decimals ("55.00")."""
    if cells not in (2, 3) or len(tokens[k].text) != 1 or not tokens[k].text.isdigit():
        return False
    return cells == 3 or "." in tokens[k + 1].text


def _table_row(
    tokens: Sequence[_Tok], k: int, quarter: int, base: int, *, numbered: bool = True
) -> tuple[QuarterRow, int]:
    head = tokens[k]
    cells: list[_Tok] = []
    pair: _Tok | None = None
    k += numbered
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
    result, score = _result_and_score(cells, pair, base if numbered else None)
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
    cells: Sequence[_Tok], pair: _Tok | None, base: int | None
) -> tuple[float | None, float | None]:
    """The result and score cells; ``base`` None: the spacing tells nothing (a row that
    lost its number to OCR), a lone number is the result."""
    if len(cells) >= 2:
        return to_float(cells[0].text), to_float(cells[1].text)
    if not cells:
        return None, None
    if base is None:
        return to_float(cells[0].text), None
    # One number: an extra blank line before it (and none after) is the blank result cell.
    before_blank = cells[0].gap > base
    after_blank = pair is not None and pair.gap > base
    if before_blank and not after_blank:
        return None, to_float(cells[0].text)
    return to_float(cells[0].text), None
