"""Rows on a terminal: aligned tables (Thai-aware widths), CSV and JSON."""

from __future__ import annotations

import csv
import json
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, TextIO

from ingest.job.paths import for_terminal

MAX_CELL = 60  # a table cell is cut here (csv and json are never cut)


def display_width(text: str) -> int:
    """Columns ``text`` takes: Thai vowel and tone marks (combining) take none."""
    return sum(
        0
        if unicodedata.category(ch) in ("Mn", "Me", "Cf")
        else 2
        if unicodedata.east_asian_width(ch) in ("W", "F")
        else 1
        for ch in text
    )


NULL = "NULL"  # how a table shows NULL (as the duckdb and sqlite3 shells do), unlike ''


def cell_text(value: Any, null: str = "") -> str:
    if value is None:
        return null
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}" if abs(value) < 1e15 else repr(value)
    if isinstance(value, bytes):
        return value.hex()
    return for_terminal(" ".join(str(value).split()))  # one line per row, no control codes


def _cut(text: str) -> str:
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * (width - display_width(text))
    return gap + text if right else text + gap


def write_table(
    columns: Sequence[str], rows: Sequence[Sequence[Any]], out: TextIO, null: str = NULL
) -> None:
    cells = [[_cut(cell_text(v, null)) for v in row] for row in rows]
    numeric = [
        all(
            (isinstance(row[i], int | float | Decimal) and not isinstance(row[i], bool))
            or row[i] is None
            for row in rows
        )
        and rows
        for i in range(len(columns))
    ]
    widths = [
        max([display_width(c), *(display_width(r[i]) for r in cells)])
        for i, c in enumerate(columns)
    ]
    out.write("  ".join(_pad(c, w, False) for c, w in zip(columns, widths, strict=True)).rstrip())
    out.write("\n" + "  ".join("-" * w for w in widths) + "\n")
    for row in cells:
        line = "  ".join(_pad(v, w, bool(n)) for v, w, n in zip(row, widths, numeric, strict=True))
        out.write(line.rstrip() + "\n")
    out.write(f"({len(rows):,} row{'s' if len(rows) != 1 else ''})\n")


def jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def _csv_value(value: Any, null: str) -> Any:
    if value is None:
        return null
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def write_rows(
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    fmt: str,
    out: TextIO,
    *,
    null: str | None = None,
    excel: bool = False,
) -> None:
    """``rows`` as ``fmt`` (table, csv, tsv, json); ``null`` shows NULL (table: 'NULL',
    csv/tsv: ''); ``excel`` ends CSV lines with CRLF (the caller writes the BOM)."""
    if fmt in ("csv", "tsv"):
        writer = csv.writer(
            out, delimiter="\t" if fmt == "tsv" else ",", lineterminator="\r\n" if excel else "\n"
        )
        writer.writerow(columns)
        blank = "" if null is None else null
        writer.writerows([[_csv_value(v, blank) for v in row] for row in rows])
    elif fmt == "json":
        records = [dict(zip(columns, map(jsonable, row), strict=True)) for row in rows]
        json.dump(records, out, ensure_ascii=False, indent=1)
        out.write("\n")
    elif columns:
        write_table(columns, rows, out, NULL if null is None else null)


def _dict_rows(items: list[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    columns = list(items[0]) if items else []
    return columns, [[item.get(c) for c in columns] for item in items]


def write_status(status: dict[str, Any], out: TextIO) -> None:
    """`rayngan status`: what is in the warehouse, the last runs, the failed files and why."""
    out.write(
        f"{for_terminal(str(status.get('path')))}: {status.get('documents', 0):,} documents, "
        f"{status.get('reports', 0):,} reports (latest exports), "
        f"schema version {status.get('schema_version')}\n"
    )
    files = status.get("files") or {}
    if files:
        out.write("files: " + ", ".join(f"{k} {v:,}" for k, v in sorted(files.items())) + "\n")
    anomalies = status.get("anomalies") or {}
    if anomalies:
        parts = ", ".join(f"{k} {v:,}" for k, v in sorted(anomalies.items()))
        out.write(f"anomalies in latest exports: {parts}\n")
    for title, key in (
        ("documents per kind and fiscal year", "by_kind_year"),
        ("last runs", "runs"),
    ):
        items = status.get(key) or []
        out.write(f"\n{title}:\n")
        if items:
            write_table(*_dict_rows(items), out)
        else:
            out.write("(none)\n")
    failed = status.get("failed_files") or []
    out.write(f"\nfailed files ({len(failed):,}):\n")
    for item in failed:
        out.write(
            f"  {for_terminal(str(item.get('path')))}: {for_terminal(str(item.get('error')))}"
        )
        out.write("\n")
    if not failed:
        out.write("(none)\n")
