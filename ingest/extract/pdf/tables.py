"""Table rows: cells drawn one by one rebuilt as tab-separated rows."""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass

from ingest.extract.pdf.lines import _Layout, _Line
from ingest.extract.pdf.words import _line_text
from ingest.extract.pdf.wraps import _is_thai, _join

# -- table rows -------------------------------------------------------------------------
# A table cell's text is drawn cell by cell: its lines go down, then the next cell's lines
# start back up at the row's first baseline, further right.  Such a "move up" to the
# baseline of an earlier line left of it marks a new cell of that line's row; the row is
# rebuilt as one line, cells joined by tabs and each cell's wrapped lines joined.


@dataclass
class _Row:
    cells: list[int]  # index of the first line of each cell
    end: int = 0  # index after the row's last line


def _find_rows(page: list[_Line], pitch: float) -> list[_Row]:
    rows: list[_Row] = []
    for j in range(1, len(page)):
        line, above = page[j], page[j - 1]
        if line.y < above.y - 0.3 * line.height:
            continue  # going down: the same cell, or text below the row
        tolerance = 0.3 * line.height
        anchor = next(
            (i for i in range(j - 1, -1, -1)
             if abs(page[i].y - line.y) < tolerance and page[i].left < line.left - 1),
            None,
        )  # fmt: skip
        if anchor is None:
            continue
        top = page[rows[-1].cells[0]] if rows else None
        if top is not None and anchor >= rows[-1].cells[0] and abs(top.y - line.y) < tolerance:
            rows[-1].cells.append(j)  # another cell of the same row
        elif not rows or anchor >= rows[-1].cells[-1]:
            rows.append(_Row(cells=[anchor, j]))
    for number, row in enumerate(rows):
        limit = rows[number + 1].cells[0] if number + 1 < len(rows) else len(page)
        last = row.cells[-1]
        end = last + 1
        # a gap wider than a line pitch is the cell padding and rule of the next row
        # (one whose earlier cells are empty), not the cell's next line
        while (
            end < limit
            and page[end - 1].y - 1.1 * pitch < page[end].y < page[end - 1].y
            and abs(page[end].left - page[last].left) < 2
        ):
            end += 1
        row.end = end
    return rows


def _column_lefts(pages: list[list[_Line]], rows: list[list[_Row]]) -> list[float]:
    """Left edges of the table columns: where the cells of the rows found start."""
    lefts: list[float] = []
    near: dict[int, list[float]] = {}  # lefts by whole point: only neighbours are compared
    for page, found in zip(pages, rows, strict=True):
        for row in found:
            for index in row.cells:
                left = page[index].left
                bucket = int(left // 1)
                others = (x for b in range(bucket - 3, bucket + 4) for x in near.get(b, ()))
                if all(abs(left - other) > 2 for other in others):
                    lefts.append(left)
                    near.setdefault(bucket, []).append(left)
    return sorted(lefts)


def _merge_table_rows(
    page: list[_Line], rows: list[_Row], columns: list[float], layout: _Layout
) -> list[_Line]:
    if not page or not page[0].ruled:
        return page
    out: list[_Line] = []
    pos = 0
    for row in [*rows, _Row(cells=[len(page)], end=len(page))]:
        out.extend(_cell_runs(page[pos : row.cells[0]], columns, layout))
        if row.cells[0] == len(page):
            break
        bounds = [*row.cells, row.end]
        cells = [page[a:b] for a, b in itertools.pairwise(bounds)]
        merged = page[row.cells[0]]
        merged.fixed_text = _row_text(cells, columns, layout)
        merged.y_end = min(line.y for cell in cells for line in cell)
        out.append(merged)
        pos = row.end
    return out


def _column_of(left: float, columns: list[float]) -> int | None:
    """The first column (``columns`` sorted) within 2 pt of ``left``."""
    i = bisect.bisect_left(columns, left - 2)
    return i if i < len(columns) and abs(columns[i] - left) <= 2 else None


def _row_text(cells: list[list[_Line]], columns: list[float], layout: _Layout) -> str:
    """Cells joined by tabs, one tab per column crossed, so empty cells keep their place."""
    out: list[str] = []
    column = 0
    for number, cell in enumerate(cells):
        index = _column_of(cell[0].left, columns)
        target = (
            column + (1 if number else 0) if index is None else max(index, column + bool(number))
        )
        out.append("\t" * (target - column) + _cell_text(cell, layout))
        column = target
    return "".join(out)


def _cell_runs(lines: list[_Line], columns: list[float], layout: _Layout) -> list[_Line]:
    """Lines outside a row that run down one table column (a row continued from the
    previous page) become one line with a tab for each column before theirs.  Text of the
    first column counts only when indented from the margin by the cell's padding."""
    out: list[_Line] = []
    pos = 0
    while pos < len(lines):
        first = lines[pos]
        column = _column_of(first.left, columns)
        in_cell = column is not None and (column > 0 or first.left - layout.left > 1)
        end = pos + 1
        while (
            in_cell
            and end < len(lines)
            and lines[end].y < lines[end - 1].y
            and abs(lines[end].left - first.left) <= 2
        ):
            end += 1
        if in_cell:
            first.fixed_text = "\t" * (column or 0) + _cell_text(lines[pos:end], layout)
            first.y_end = lines[end - 1].y
            first.cell_run = True
        out.append(first)
        pos = end
    return out


def _stitch_rows_across_pages(pages: list[list[_Line]], layout: _Layout) -> None:
    """Join a table row split by a page break: a ruled page that starts with the text of
    one column outside any row, or with a row at the very top of the page after a row
    that filled the page before (no further line of it would fit), continues that row cell
    by cell.  Only cells the row had text in continue, and a row repeating the table's
    heading row (LibreOffice repeats it on each page) starts afresh."""
    ends = [page[-1].y if page[-1].y_end is None else page[-1].y_end for page in pages if page]
    bottom = min(ends, default=0.0)
    heading = next((line.fixed_text for page in pages for line in page if line.fixed_text), None)
    before: _Line | None = None  # the last line so far, across pages the stitching emptied
    for page in pages:
        if not page:
            before = None
            continue
        first = page[0]
        if before is not None and before.fixed_text and first.fixed_text:
            split_row = (
                first.ruled
                and first.fixed_text != heading
                and layout.top is not None
                and abs(first.y - layout.top) < 0.5 * layout.pitch
                and before.y_end is not None
                and before.y_end - bottom < layout.pitch
            )
            if (first.cell_run or split_row) and _continues(before.fixed_text, first.fixed_text):
                before.fixed_text = _merge_cells(before.fixed_text, first.fixed_text)
                before.y_end = first.y_end
                page.pop(0)
        before = page[-1] if page else before


def _continues(row: str, more: str) -> bool:
    """Every cell ``more`` has text in is one ``row`` has text in too."""
    cells = row.split("\t")
    return all(
        not extra or (index < len(cells) and cells[index])
        for index, extra in enumerate(more.split("\t"))
    )


def _merge_cells(row: str, more: str) -> str:
    cells = row.split("\t")
    for index, extra in enumerate(more.split("\t")):
        if not extra:
            continue
        cells.extend([""] * (index + 1 - len(cells)))
        glue = "" if _is_thai(cells[index][-1:]) and _is_thai(extra[:1]) else " "
        cells[index] = (cells[index] + glue + extra).strip(" ")
    return "\t".join(cells)


def _cell_text(lines: list[_Line], layout: _Layout) -> str:
    text = ""
    previous: _Line | None = None
    for line in lines:
        part = _line_text(line, layout, leading=False)
        text = part if previous is None else _join(text, previous, part)
        previous = line
    return text
