"""A .csv file's rows as the tab-separated lines a sheet gives (pure: text -> text).

Report systems export tables as CSV: quoted cells with commas inside ("1,234.50"),
semicolons in some locales, line breaks inside quoted cells.  Each record becomes one
line of its cells joined by tabs (a tab or line break inside a cell becomes a space),
like a workbook row, so the parsers read a CSV like the same table saved as .xlsx.
A one-column CSV is lines with their quotes taken off.  Text that does not parse as CSV
is left as it is.
"""

from __future__ import annotations

import csv
import io

_DELIMITERS = ",;\t|"


def csv_to_lines(text: str) -> str | None:
    """``text`` (a decoded .csv) as tab-separated lines, or None when it is no CSV."""
    sample = text[:8192]
    dialect: type[csv.Dialect] | csv.Dialect
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=_DELIMITERS)
    except csv.Error:  # rows of uneven width defeat the sniffer: Excel's dialect
        dialect = csv.excel
    try:
        rows = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error:
        return None
    if not rows:
        return None
    lines = ["\t".join(_cell(cell) for cell in _trim(row)) for row in rows]
    return "\n".join(lines) + "\n"


def _cell(cell: str) -> str:
    return " ".join(cell.replace("\t", " ").split())


def _trim(row: list[str]) -> list[str]:
    end = len(row)
    while end and not row[end - 1].strip():
        end -= 1
    return row[:end]
