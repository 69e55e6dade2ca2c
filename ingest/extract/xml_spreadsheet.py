"""Excel 2003's XML Spreadsheet (SpreadsheetML), which web systems write as .xls.

Each ``Worksheet`` is a sheet (a page); each ``Row`` a line of tab-separated cells.  A row
or cell may skip ahead with ``ss:Index`` (1-based); a merged cell (``ss:MergeAcross``)
leaves the cells it covers empty, so columns stay in place.  Numbers and dates are shown
as their style's number format shows them (:func:`ingest.extract.cells.display`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from xml.etree import ElementTree

from ingest.extract.cells import display

_SS = "{urn:schemas-microsoft-com:office:spreadsheet}"
MAX_SKIP = 1_000  # an ss:Index further on than this is no report's row or column
# Excel's named formats, as the format strings they stand for
_NAMED = {"Fixed": "0.00", "Standard": "#,##0.00", "Percent": "0.00%", "General Number": ""}


def sheets(data: bytes) -> Iterator[list[list[str]]]:
    """The rows of each worksheet as lists of displayed cells."""
    root = ElementTree.fromstring(data)
    formats = _formats(root)
    for sheet in root.iter(_SS + "Worksheet"):
        rows: list[list[str]] = []
        for row in sheet.iter(_SS + "Row"):
            rows.extend([] for _ in range(_skip(row, len(rows))))
            rows.append(_cells(row, formats))
        yield rows


def _skip(node: ElementTree.Element, have: int) -> int:
    """How many empty rows or cells come before ``node`` (its 1-based ss:Index)."""
    index = int(node.get(_SS + "Index", "0") or 0)
    return max(0, min(index - 1 - have, MAX_SKIP))


def _formats(root: ElementTree.Element) -> dict[str, str]:
    out = {}
    for style in root.iter(_SS + "Style"):
        number = style.find(_SS + "NumberFormat")
        if number is not None and (fmt := number.get(_SS + "Format")):
            out[style.get(_SS + "ID", "")] = _NAMED.get(fmt, fmt)
    return out


def _cells(row: ElementTree.Element, formats: dict[str, str]) -> list[str]:
    cells: list[str] = []
    for cell in row.iter(_SS + "Cell"):
        cells.extend("" for _ in range(_skip(cell, len(cells))))
        fmt = formats.get(cell.get(_SS + "StyleID", ""))
        cells.append(_value(cell.find(_SS + "Data"), fmt))
        cells.extend("" for _ in range(min(int(cell.get(_SS + "MergeAcross", "0") or 0), MAX_SKIP)))
    return cells


def _value(data: ElementTree.Element | None, fmt: str | None) -> str:
    if data is None:
        return ""
    text = "".join(data.itertext()).strip()
    kind = data.get(_SS + "Type", "String")
    try:
        if kind == "Number":
            number = float(text)
            return display(int(number) if number.is_integer() else number, fmt)
        if kind == "DateTime":
            return display(dt.datetime.fromisoformat(text.rstrip("Z")), fmt)
    except ValueError:
        pass  # shown as written
    return text
