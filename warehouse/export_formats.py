"""Writing relations as Parquet, CSV (UTF-8 with a BOM) or one Excel workbook.

Each writer puts files into a fresh folder that ``warehouse.export`` created; none of them
deletes anything.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from warehouse.store import Warehouse

FORMATS = ("parquet", "csv", "xlsx")
# Partitioned on export: analysts filter these by kind and fiscal year.
PARTITIONED: dict[str, tuple[str, ...]] = {"documents": ("kind", "fiscal_year")}
BOM = "\ufeff".encode()
XLSX_MAX_ROWS = 1_048_575  # Excel's limit, less the header row: a longer table continues
FETCH = 10_000


def quote_path(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _literal(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def _file_part(value: object) -> str:
    text = "unknown" if value is None else str(value)
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in text)


def write_parquet(wh: Warehouse, name: str, folder: Path, rows: int) -> list[str]:
    """``name.parquet``, or for a PARTITIONED table ``name/<kind>/<fiscal_year>.parquet``
    (self-contained files, not hive folders: pyarrow cannot read a NULL hive partition)."""
    partition = PARTITIONED.get(name, ())
    if not (partition and rows):
        target = folder / f"{name}.parquet"
        wh.con.execute(f'COPY (SELECT * FROM "{name}") TO {quote_path(target)} (FORMAT parquet)')
        return [target.name]
    cols = ", ".join(partition)
    groups = wh.con.execute(f'SELECT DISTINCT {cols} FROM "{name}" ORDER BY ALL').fetchall()
    files: list[str] = []
    for values in groups:
        where = " AND ".join(
            f"{col} IS NOT DISTINCT FROM {_literal(v)}"
            for col, v in zip(partition, values, strict=True)
        )
        parts = [_file_part(v) for v in values]
        path = folder.joinpath(name, *parts[:-1], f"{parts[-1]}.parquet")
        if path.relative_to(folder).as_posix() in files:  # two values, one safe name
            path = path.with_name(f"{parts[-1]}-{len(files)}.parquet")
        path.parent.mkdir(parents=True, exist_ok=True)
        wh.con.execute(
            f'COPY (SELECT * FROM "{name}" WHERE {where}) TO {quote_path(path)} (FORMAT parquet)'
        )
        files.append(path.relative_to(folder).as_posix())
    return files


def write_csv(wh: Warehouse, name: str, folder: Path, rows: int) -> list[str]:
    """``name.csv``: UTF-8 with a byte-order mark (so Excel shows Thai), a header row, NULL as
    an empty cell, booleans as true/false, dates as ISO."""
    target = folder / f"{name}.csv"
    scratch = folder / f".{name}.csv.part"
    wh.con.execute(
        f'COPY (SELECT * FROM "{name}") TO {quote_path(scratch)} (FORMAT csv, HEADER true)'
    )
    with target.open("wb") as out, scratch.open("rb") as body:
        out.write(BOM)
        shutil.copyfileobj(body, out, 1 << 20)
    scratch.unlink()  # written just above by this function
    return [target.name]


def _cell(value: Any) -> Any:
    """A value xlsxwriter writes as itself; the rest as text."""
    if value is None or isinstance(value, bool | int | float | str | datetime | date):
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


def _batches(wh: Warehouse, name: str) -> tuple[list[str], Iterator[list[tuple]]]:
    cursor = wh.con.cursor()
    cursor.execute(f'SELECT * FROM "{name}"')
    columns = [d[0] for d in cursor.description or []]

    def batches() -> Iterator[list[tuple]]:
        while batch := cursor.fetchmany(FETCH):
            yield batch
        cursor.close()

    return columns, batches()


def write_xlsx(wh: Warehouse, names: list[str], out: Path) -> dict[str, list[str]]:
    """One workbook, a sheet per relation (``name``, cut to Excel's 31 characters; a table
    longer than Excel's 1,048,576 rows continues on ``name (2)``); return the sheets of each."""
    import xlsxwriter

    book = xlsxwriter.Workbook(
        str(out),
        {"constant_memory": True, "strings_to_numbers": False, "strings_to_urls": False,
         "strings_to_formulas": False, "default_date_format": "yyyy-mm-dd"},
    )  # fmt: skip
    bold = book.add_format({"bold": True})
    when = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    sheets: dict[str, list[str]] = {}
    used: set[str] = set()
    for name in names:
        columns, batches = _batches(wh, name)
        sheet, row = None, 0
        for batch in batches:
            for values in batch:
                if sheet is None or row > XLSX_MAX_ROWS:
                    sheet = _new_sheet(book, name, used, columns, bold)
                    sheets.setdefault(name, []).append(sheet.name)
                    row = 1
                for col, value in enumerate(values):
                    cell = _cell(value)
                    if isinstance(cell, datetime):
                        sheet.write_datetime(row, col, cell, when)
                    else:
                        sheet.write(row, col, cell)
                row += 1
        if sheet is None:  # no rows: the header alone
            sheets[name] = [_new_sheet(book, name, used, columns, bold).name]
    book.close()
    return sheets


def _new_sheet(book: Any, name: str, used: set[str], columns: list[str], bold: Any) -> Any:
    base = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:31]
    title, n = base, 1
    while title.lower() in used:
        n += 1
        title = f"{base[: 31 - len(str(n)) - 3]} ({n})"
    used.add(title.lower())
    sheet = book.add_worksheet(title)
    sheet.write_row(0, 0, columns, bold)
    sheet.freeze_panes(1, 0)
    return sheet
