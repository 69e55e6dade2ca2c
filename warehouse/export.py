"""Parquet export and the status summary (read-only work on an open Warehouse)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from parsers.errors import WarehouseError

if TYPE_CHECKING:
    from warehouse.store import Warehouse

# Partitioned on export: analysts filter these by kind and fiscal year.
PARTITIONED: dict[str, tuple[str, ...]] = {"documents": ("kind", "fiscal_year")}
MANIFEST = "manifest.json"


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


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


def _literal(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def _file_part(value: object) -> str:
    text = "unknown" if value is None else str(value)
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in text)


def _write_partitioned(
    wh: Warehouse, name: str, directory: Path, partition: tuple[str, ...]
) -> list[str]:
    """One self-contained file per partition: ``name/<kind>/<fiscal_year>.parquet``.

    Not hive ``key=value`` folders: pyarrow (pandas) cannot read a hive partition whose
    value is NULL, and files that keep every column read back with their exact types.
    """
    target = directory / name
    if target.exists():
        shutil.rmtree(target)
    cols = ", ".join(partition)
    groups = wh.con.execute(f'SELECT DISTINCT {cols} FROM "{name}" ORDER BY ALL').fetchall()
    files = []
    for values in groups:
        where = " AND ".join(
            f"{col} IS NOT DISTINCT FROM {_literal(v)}"
            for col, v in zip(partition, values, strict=True)
        )
        parts = [_file_part(v) for v in values]
        path = target.joinpath(*parts[:-1], f"{parts[-1]}.parquet")
        if str(path.relative_to(directory)) in files:  # two values, one safe name
            path = path.with_name(f"{parts[-1]}-{len(files)}.parquet")
        path.parent.mkdir(parents=True, exist_ok=True)
        wh.con.execute(
            f'COPY (SELECT * FROM "{name}" WHERE {where}) TO {_quote(path)} (FORMAT parquet)'
        )
        files.append(str(path.relative_to(directory)))
    return files


def _write_one(wh: Warehouse, name: str, directory: Path, rows: int) -> tuple[str, list[str]]:
    partition = PARTITIONED.get(name, ())
    if partition and rows:
        _write_partitioned(wh, name, directory, partition)
        return name, list(partition)
    stale = directory / name
    if stale.is_dir():
        shutil.rmtree(stale)
    target = directory / f"{name}.parquet"
    wh.con.execute(f'COPY (SELECT * FROM "{name}") TO {_quote(target)} (FORMAT parquet)')
    return target.name, []


def export_parquet(wh: Warehouse, directory: Path) -> dict[str, int]:
    """Every table and view as Parquet plus ``manifest.json``; return rows per relation.

    ``documents`` is a folder with one file per kind and fiscal year
    (``documents/kpi_form/2567.parquet``, ``unknown.parquet`` for no year); read it whole
    with ``pandas.read_parquet(dir / "documents")`` or DuckDB's
    ``read_parquet('dir/documents/**/*.parquet')``.  Everything else is one file each.
    A view that fails on this data is listed in the manifest with its error and skipped.
    """
    directory.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    entries: list[dict[str, Any]] = []
    for name, typ in relations(wh):
        try:
            rows = _count(wh, name)
            path, partition = _write_one(wh, name, directory, rows)
        except duckdb.Error as exc:
            if typ == "table":
                raise WarehouseError(f"Exporting table {name} failed: {exc}") from exc
            # A view that cannot run on this data must not cost the analyst the tables.
            entries.append({"name": name, "type": typ, "error": str(exc).splitlines()[0]})
            continue
        counts[name] = rows
        entries.append(
            {"name": name, "type": typ, "path": path, "rows": rows, "partition_by": partition}
        )
    manifest = {
        "format": "parquet",
        "schema_version": wh.schema_version(),
        "relations": entries,
    }
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return counts


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
