"""``rayngan export``: every table and view as Parquet, CSV or one Excel workbook, written
safely; and the status summary (read-only work on an open Warehouse).

Safety: everything is written into a fresh hidden folder beside DIR and renamed into place
(``manifest.json``, listing every file, written last), so DIR is never half-written.  DIR
must be new, empty, or an earlier ``rayngan export`` (its ``manifest.json`` lists every
file in it): anything else is refused with a plain message, and nothing is ever deleted
that this command did not write (``rayngan export ~`` refuses; it never touches ~).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from parsers.errors import RaynganError, WarehouseError
from warehouse.export_formats import FORMATS, PARTITIONED, write_csv, write_parquet, write_xlsx

if TYPE_CHECKING:
    from warehouse.store import Warehouse

MANIFEST = "manifest.json"
_WRITER = "rayngan export"
__all__ = ["FORMATS", "MANIFEST", "PARTITIONED", "ExportTargetError", "export", "status"]


class ExportTargetError(RaynganError):
    """DIR cannot be exported to (not a folder, or holds files rayngan did not write)."""

    stage = "usage"


def relations(wh: Warehouse) -> list[tuple[str, str]]:
    """(name, 'table'|'view') of every relation in the main schema, tables first."""
    rows = wh.con.execute(
        "SELECT table_name, CASE WHEN table_type = 'VIEW' THEN 'view' ELSE 'table' END AS t "
        "FROM information_schema.tables WHERE table_schema = 'main' "
        "AND table_catalog = current_database() ORDER BY t, table_name"
    ).fetchall()
    return [(name, typ) for name, typ in rows]


def _count(wh: Warehouse, name: str) -> int:
    row = wh.con.execute(f'SELECT count(*) FROM "{name}"').fetchone()
    return int(row[0]) if row else 0


def check_target(directory: Path) -> list[str]:
    """Raise ExportTargetError unless ``directory`` may be (re)written; return the files of
    an earlier export in it (to be replaced), [] for a new or empty folder."""
    if directory.exists() and not directory.is_dir():
        raise ExportTargetError(
            f"{str(directory)!r} is a file, not a folder; export writes a folder of files "
            "(give a new folder name).",
            path=str(directory),
        )
    if not directory.is_dir() or not any(directory.iterdir()):
        return []
    earlier = _earlier_files(directory)
    present = {p.relative_to(directory).as_posix() for p in directory.rglob("*") if p.is_file()}
    if earlier is None or present - set(earlier) - {MANIFEST}:
        raise ExportTargetError(
            f"The folder {str(directory)!r} is not empty and holds files `rayngan export` did "
            "not write there; nothing was written. Give a new or empty folder (it is created).",
            path=str(directory),
        )
    return earlier


def _earlier_files(directory: Path) -> list[str] | None:
    """The files an earlier export listed in ``directory``'s manifest (None: not ours)."""
    try:
        manifest = json.loads((directory / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    files = manifest.get("files") if isinstance(manifest, dict) else None
    if manifest.get("writer") != _WRITER or not isinstance(files, list):
        return None
    return [str(f) for f in files]


def export(wh: Warehouse, directory: Path, fmt: str = "parquet") -> dict[str, int]:
    """Write every table and view of ``wh`` to ``directory`` as ``fmt``; return rows per
    relation.  ``directory`` appears complete (manifest last) or not at all."""
    if fmt not in FORMATS:
        raise ExportTargetError(f"There is no export format {fmt!r}; use one of {FORMATS}.")
    earlier = check_target(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.rayngan-new-", dir=directory.parent))
    try:
        counts, entries, files = _write_all(wh, staging, fmt)
        manifest = {
            "writer": _WRITER,
            "format": fmt,
            "schema_version": wh.schema_version(),
            "relations": entries,
            "files": sorted(files),
        }
        text = json.dumps(manifest, indent=2, ensure_ascii=False, default=str) + "\n"
        (staging / MANIFEST).write_text(text, "utf-8")  # last: its presence means complete
        _swap_in(staging, directory, earlier)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)  # made by mkdtemp above: only ours inside
        raise
    return counts


def export_parquet(wh: Warehouse, directory: Path) -> dict[str, int]:
    """Every table and view as Parquet (see ``export``)."""
    return export(wh, directory, "parquet")


def _write_all(
    wh: Warehouse, folder: Path, fmt: str
) -> tuple[dict[str, int], list[dict[str, Any]], list[str]]:
    counts: dict[str, int] = {}
    entries: list[dict[str, Any]] = []
    files: list[str] = []
    usable: list[str] = []
    for name, typ in relations(wh):
        try:
            rows = _count(wh, name)
            written = [] if fmt == "xlsx" else _write_one(wh, name, folder, rows, fmt)
        except duckdb.Error as exc:
            if typ == "table":
                raise WarehouseError(f"Exporting table {name} failed: {exc}") from exc
            # a view that cannot run on this data must not cost the analyst the tables
            entries.append({"name": name, "type": typ, "error": str(exc).splitlines()[0]})
            continue
        counts[name] = rows
        usable.append(name)
        files += written
        entry: dict[str, Any] = {"name": name, "type": typ, "rows": rows}
        if fmt == "parquet":
            entry["path"] = written[0] if len(written) == 1 and "/" not in written[0] else name
            entry["partition_by"] = list(PARTITIONED.get(name, ())) if rows else []
        elif fmt == "csv":
            entry["path"] = written[0]
        entries.append(entry)
    if fmt == "xlsx":
        book = f"{wh.path.stem or 'warehouse'}.xlsx"
        sheets = write_xlsx(wh, usable, folder / book)
        files.append(book)
        for entry in entries:
            if entry["name"] in sheets:
                entry.update(path=book, sheets=sheets[entry["name"]])
    return counts, entries, files


def _write_one(wh: Warehouse, name: str, folder: Path, rows: int, fmt: str) -> list[str]:
    return (write_csv if fmt == "csv" else write_parquet)(wh, name, folder, rows)


def _swap_in(staging: Path, directory: Path, earlier: list[str]) -> None:
    """Put the finished ``staging`` folder at ``directory``; remove only the files the earlier
    export there listed (``earlier``), never anything else."""
    if not directory.exists():
        os.rename(staging, directory)
        return
    if not earlier:
        directory.rmdir()  # empty (checked): fails rather than lose a file that just arrived
        os.rename(staging, directory)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{directory.name}.rayngan-old-", dir=directory.parent))
    old.rmdir()
    os.rename(directory, old)
    os.rename(staging, directory)
    for name in [*earlier, MANIFEST]:
        (old / name).unlink(missing_ok=True)
    for folder in sorted((p for p in old.rglob("*") if p.is_dir()), reverse=True):
        with contextlib.suppress(OSError):  # not empty: someone put a file there; keep it
            folder.rmdir()
    with contextlib.suppress(OSError):
        old.rmdir()


def _dicts(wh: Warehouse, sql: str) -> list[dict[str, Any]]:
    cols, rows = wh.query(sql)
    return [dict(zip(cols, row, strict=True)) for row in rows]


def status(wh: Warehouse, *, last_runs: int = 5) -> dict[str, Any]:
    """What `rayngan status` shows, as plain data (the CLI formats it)."""
    return {
        "path": str(wh.path),
        "schema_version": wh.schema_version(),
        "documents": _count(wh, "documents"),
        "reports": _count(wh, "latest_documents"),
        "by_kind_year": _dicts(
            wh,
            "SELECT d.kind, d.fiscal_year, count(*) AS documents, "
            "count(l.doc_id) AS latest FROM documents AS d "
            "LEFT JOIN latest_documents AS l USING (doc_id) "
            "GROUP BY ALL ORDER BY d.kind, d.fiscal_year NULLS LAST",
        ),
        "files": {
            row["status"]: row["files"]
            for row in _dicts(
                wh, "SELECT status, count(*) AS files FROM source_files GROUP BY status"
            )
        },
        "runs": _dicts(
            wh,
            "SELECT run_id, started_at, finished_at, files_seen, files_loaded, "
            f"files_unchanged, files_failed FROM ingest_runs ORDER BY started_at DESC, "
            f"run_id DESC LIMIT {int(last_runs)}",
        ),
        "failed_files": _dicts(
            wh,
            "SELECT path, error, run_id, updated_at FROM source_files "
            "WHERE status = 'failed' ORDER BY path",
        ),
        "anomalies": {
            row["severity"]: row["anomalies"]
            for row in _dicts(
                wh,
                "SELECT a.severity, count(*) AS anomalies FROM anomalies AS a "
                "JOIN latest_documents USING (doc_id) GROUP BY a.severity",
            )
        },
    }
