"""The offline HTML report: one self-contained page (inline CSS, inline SVG, no scripts).

``data.collect(con, where=...)`` reads the warehouse into a ``ReportData``;
``html.render_html(data)`` is a pure function from that data to the HTML text;
``write_report`` opens the warehouse read-only and writes the page, plus every row of its
long tables as CSV files (UTF-8 with a BOM) in ``<page>_files/`` beside it.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TextIO

import duckdb

from parsers.errors import WarehouseError
from warehouse.report.data import (
    MAX_ANOMALIES,
    MAX_KPIS,
    MAX_REPORTS,
    MAX_SERIES,
    FailedFile,
    Kpi,
    KpiQuarter,
    KpiSummary,
    ReportData,
    ReportFilter,
    Series,
    collect,
    full_tables,
)
from warehouse.report.html import render_html, source_link
from warehouse.report.svg import _nice_max, bar_svg, esc, fmt_num, line_svg, nice_ticks
from warehouse.store import Warehouse

__all__ = [
    "MAX_ANOMALIES", "MAX_KPIS", "MAX_REPORTS", "MAX_SERIES", "FailedFile", "Kpi",
    "KpiQuarter", "KpiSummary", "ReportData", "ReportFilter", "Series", "_nice_max", "bar_svg",
    "collect", "esc", "fmt_num", "line_svg", "nice_ticks", "render_html", "source_link",
    "write_report",
]  # fmt: skip


def write_report(
    db_path: str | Path, out: str | Path | TextIO, *, where: ReportFilter | None = None
) -> Path | None:
    """Write the HTML report of the warehouse ``db_path`` to ``out`` (a path, or a text
    stream: then without the CSV files); return the page's path.

    The warehouse is opened read-only.  Raises ``WarehouseError`` naming the file when it is
    missing or unreadable, ``WarehouseLockedError`` when a writer holds it; nothing is
    written then.
    """
    db = Path(db_path)
    if not db.is_file():
        raise WarehouseError(
            f"There is no warehouse file at {str(db)!r}; run `rayngan ingest` first.",
            path=str(db),
        )
    page = None if hasattr(out, "write") else Path(out)
    with Warehouse.open(db, read_only=True, wait_seconds=10) as wh:
        try:
            data = collect(wh.con, title=f"rayngan report: {db.name}", where=where)
            tables = full_tables(wh.con, where) if page is not None else {}
        except duckdb.CatalogException as exc:
            # a read-only open never migrates: an older file lacks the analyst views
            raise WarehouseError(
                f"The warehouse {str(db)!r} predates the views this report reads ({exc}); "
                "run any `rayngan ingest` on it once to upgrade it.",
                path=str(db),
            ) from exc
    if page is None:
        out.write(render_html(data))  # type: ignore[union-attr]
        return None
    files = _write_csv_files(page, tables)
    from dataclasses import replace

    page.write_text(render_html(replace(data, csv_files=files)), encoding="utf-8")
    return page


def _write_csv_files(page: Path, tables: dict) -> tuple[tuple[str, str], ...]:
    """``<page>_files/<table>.csv`` for every table; (table, path relative to the page)."""
    folder = page.parent / f"{page.stem}_files"
    folder.mkdir(exist_ok=True)
    written = []
    for name, (columns, rows) in tables.items():
        target = folder / f"{name}.csv"
        with target.open("w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(columns)
            writer.writerows(rows)
        written.append((name, f"{folder.name}/{target.name}"))
    return tuple(written)
