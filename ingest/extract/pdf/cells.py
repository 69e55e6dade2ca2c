"""Table rows of a browser print, read from the boxes the browser draws around cells.

A browser draws each bordered table cell as a rectangle and lays its text out inside it,
wrapped at the cell's width; cells of one row share their top and bottom.  So on a
browser print the text in a cell box is that cell's, and a row of boxes is one line of
text, cells joined by tabs (empty cells too: "ประเด็น<TAB>รายละเอียด<TAB><TAB>"), as in the
saved page's text and the text exports.  wkhtmltopdf draws each side of a cell as a thin
rule instead: its cells lie between upright rules (``cells_from_sides``).  Office PDFs,
whose rules are drawn line by line, are read by ``tables`` instead.
"""

from __future__ import annotations

import ctypes
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pypdfium2.raw as pdfium_c

from ingest.extract.html import CHECKED, UNCHECKED
from ingest.extract.pdf.chars import _Char
from ingest.extract.pdf.lines import _Line


@dataclass(frozen=True)
class Box:
    left: float
    bottom: float
    right: float
    top: float

    def holds(self, x: float, y: float) -> bool:
        return self.left <= x <= self.right and self.bottom <= y <= self.top


def page_shapes(page: Any) -> tuple[list[Box], list[tuple[Box, bool]]]:
    """The cell boxes on the page of handle ``page`` (rectangles in a row of two or more:
    a page's background or a framed block alone is no table) and its checkboxes (a form
    field drawn as a small square; checked when a check mark, a path of a few segments,
    is drawn on it)."""
    boxes: list[Box] = []
    sides: list[Box] = []  # thin upright rules: cell sides drawn one by one (wkhtmltopdf)
    squares: list[tuple[Box, int]] = []  # a square and its path's segment count
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    for index in range(pdfium_c.FPDFPage_CountObjects(page)):
        handle = pdfium_c.FPDFPage_GetObject(page, index)
        if pdfium_c.FPDFPageObj_GetType(handle) != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        if not pdfium_c.FPDFPageObj_GetBounds(handle, left, bottom, right, top):
            continue
        box = Box(left.value, bottom.value, right.value, top.value)
        width, height = box.right - box.left, box.top - box.bottom
        if _CHECKBOX[0] <= width <= _CHECKBOX[1] and _CHECKBOX[0] <= height <= _CHECKBOX[1]:
            squares.append((box, pdfium_c.FPDFPath_CountSegments(handle)))
        elif width > 2 and height > 2:
            boxes.append(box)
        elif width <= _RULE < height:
            sides.append(box)
    boxes += cells_from_sides(sides)
    rows: dict[tuple[int, int], int] = {}
    for box in boxes:
        rows[_row_key(box)] = rows.get(_row_key(box), 0) + 1
    cells = [box for box in boxes if rows[_row_key(box)] >= 2]
    ticks: list[tuple[Box, bool]] = []  # the squares drawn at one spot are one checkbox
    for box, segments in squares:
        same = next((n for n, (b, _) in enumerate(ticks) if _near(b, box)), None)
        if same is None:
            ticks.append((box, segments <= _TICK_SEGMENTS))
        elif segments <= _TICK_SEGMENTS:
            ticks[same] = (ticks[same][0], True)
    return cells, ticks


def cells_from_sides(sides: list[Box]) -> list[Box]:
    """Cell boxes of a table whose borders are drawn side by side as thin rules (QtWebKit's
    wkhtmltopdf fills a 1 pt rectangle per side of each cell).  The upright sides of one
    row's cells span the same height; within such a band, sides closer than a gap (one
    cell's right side and the next one's left) are one boundary, and a cell lies between
    two boundaries."""
    bands: dict[tuple[int, int], list[Box]] = {}
    for side in sides:
        bands.setdefault((round(side.bottom), round(side.top)), []).append(side)
    cells = []
    for band in bands.values():
        edges: list[list[float]] = []  # [left, right] of each boundary, left to right
        for side in sorted(band, key=lambda rule: rule.left):
            if edges and side.left - edges[-1][1] < _GAP:
                edges[-1][1] = max(edges[-1][1], side.right)
            else:
                edges.append([side.left, side.right])
        low, high = min(s.bottom for s in band), max(s.top for s in band)
        cells += [Box(a[1], low, b[0], high) for a, b in itertools.pairwise(edges)]
    return cells


def _near(one: Box, other: Box) -> bool:
    return abs(one.left - other.left) < 3 and abs(one.bottom - other.bottom) < 3


_RULE = 2.0  # pt: a rule drawn as a filled rectangle is thinner than this
_GAP = 4.0  # pt: sides closer than this are one boundary (two cells' sides, spaced)
_CHECKBOX = (8.0, 13.0)  # pt: the side of a checkbox (13 px) and its focus ring
_TICK_SEGMENTS = 4  # a check mark: a stroked path of 3 points; a box has 5 to 50 segments
CHECKED_MARK, UNCHECKED_MARK = "\ufdd0", "\ufdd1"  # noncharacters: never in a text layer


def place_checkboxes(chars: list[_Char], ticks: list[tuple[Box, bool]]) -> list[_Char]:
    """``chars`` with a mark character for each checkbox, before the first character on
    its line to its right (its label), or after the last one to its left."""
    out = list(chars)
    for box, checked in ticks:
        near = [c for c in out if c.visible and abs(c.y - box.bottom) <= 0.5 * c.size]
        if not near:
            continue
        baseline = min(near, key=lambda c: abs(c.y - box.bottom)).y
        row = [i for i, c in enumerate(out) if c.visible and c.y == baseline]
        after = [i for i in row if out[i].left >= box.right - 1]
        at = after[0] if after else row[-1] + 1
        y, size = out[row[0]].y, out[row[0]].size
        out.insert(
            at, _Char(CHECKED_MARK if checked else UNCHECKED_MARK, box.left, box.right, y, size)
        )
    return out


def _row_key(box: Box) -> tuple[int, int]:
    return round(box.bottom), round(box.top)


def rows_from_boxes(lines: list[_Line], boxes: Sequence[Box]) -> list[_Line]:
    """``lines`` with the text inside cell boxes taken out and put back as one line per
    row of boxes (its ``cells``: the lines of each cell, left to right)."""
    if not boxes:
        return lines
    out: list[_Line] = []
    in_box: dict[Box, list[_Line]] = {}
    for line in lines:
        for box, piece in _split(line, boxes):
            if box is None:
                out.append(piece)
            else:
                in_box.setdefault(box, []).append(piece)
    rows: dict[tuple[int, int], list[Box]] = {}
    for box in boxes:
        rows.setdefault(_row_key(box), []).append(box)
    for row in rows.values():
        if any(box in in_box for box in row):
            out.append(_row_line(sorted(row, key=lambda box: box.left), in_box))
    out.sort(key=lambda line: -line.y)  # stable: lines outside boxes keep their order
    return out


def _row_line(row: list[Box], in_box: dict[Box, list[_Line]]) -> _Line:
    cells = [in_box.get(box, []) for box in row]
    pieces = [line for cell in cells for line in cell]
    top = max(pieces, key=lambda line: line.y)
    line = _Line(page=top.page, chars=top.chars, last=top.last)
    line.y, line.height, line.left, line.right = top.y, top.height, top.left, top.right
    line.y_end = min(piece.y for piece in pieces)
    line.cells = cells
    return line


def _split(line: _Line, boxes: Sequence[Box]) -> list[tuple[Box | None, _Line]]:
    """``line`` cut into the runs of characters that lie in one box (or in none)."""
    runs: list[tuple[Box | None, list[_Char]]] = []
    for char in line.chars:
        if char.is_mark or not char.visible:
            box = runs[-1][0] if runs else None  # a mark or space stays with its base
        else:
            box = _box_of(char, boxes)
        if runs and runs[-1][0] is box:
            runs[-1][1].append(char)
        else:
            runs.append((box, [char]))
    if len(runs) == 1 and runs[0][0] is None:
        return [(None, line)]
    out = []
    for box, chars in runs:
        piece = _Line(page=line.page)
        for char in chars:
            piece.add(char)
        while piece.chars and not piece.chars[-1].visible:
            piece.chars.pop()
        if piece.last is not None:
            piece.finish()
            out.append((box, piece))
    return out


def _box_of(char: _Char, boxes: Sequence[Box]) -> Box | None:
    """The smallest box that holds the middle of ``char``'s baseline."""
    x = (char.left + char.right) / 2
    holding = [box for box in boxes if box.holds(x, char.y)]
    if not holding:
        return None
    return min(holding, key=lambda box: (box.right - box.left) * (box.top - box.bottom))


def show_checkboxes(text: str) -> str:
    """``text`` with the checkbox marks written as the saved page's text has them (the
    ``<input ... type="checkbox"/>`` of the exports), a space either side."""
    if CHECKED_MARK not in text and UNCHECKED_MARK not in text:
        return text
    return _MARKS.sub(_mark_text, text)


def _mark_text(found: re.Match[str]) -> str:
    before = "" if found.start() == 0 or found.string[found.start() - 1] in "\t\n" else " "
    return before + (CHECKED if found[1] == CHECKED_MARK else UNCHECKED) + " "


_MARKS = re.compile(f" ?([{CHECKED_MARK}{UNCHECKED_MARK}]) ?")
