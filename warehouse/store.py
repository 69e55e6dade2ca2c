"""The warehouse API the ingest job and the CLI use.

One ``Warehouse`` wraps one DuckDB file.  A writable open takes DuckDB's file lock for as long
as the object lives (open it for one ingest run and close it); ``read_only=True`` opens share
the file with each other but not with a writer.  Every load is one transaction: delete-then-
insert by ``doc_id`` across all tables plus the ``source_files`` rows, so a file is loaded
entirely or not at all.  Inserts go through Arrow tables, never row by row.
"""

from __future__ import annotations

import os
import re
import secrets
import time
from collections.abc import Iterator, Sequence, Sized
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import duckdb

import parsers
from parsers.errors import WarehouseError, WarehouseLockedError
from parsers.model import Document
from warehouse import export as _export
from warehouse import schema
from warehouse.rows import (
    DOCUMENT_COLUMNS,
    FACT_TABLES,
    LINE_CONFIDENCE_TYPES,
    SMALL_BATCH,
    ColumnType,
    DocumentRow,
    DocumentRows,
    as_rows,
    check_whole,
    document_columns,
    fact_columns,
    line_confidence_columns,
    not_unicode,
)

FileStatus = Literal["loaded", "unchanged", "failed"]

# Tables holding one document's rows, all deleted and re-inserted together.
DOCUMENT_TABLES: tuple[str, ...] = ("documents", *FACT_TABLES, "line_confidence")
_PID = re.compile(r"PID (\d+)")
_LOCK_POLL_SECONDS = 0.1
_EPOCH = datetime(1970, 1, 1)
WRITER_MEMORY_LIMIT = "256MB"
_SQL_TYPES: dict[ColumnType, str] = {
    "str": "VARCHAR",
    "int": "INTEGER",
    "big": "BIGINT",
    "float": "DOUBLE",
    "date": "INTEGER",  # days since 1970-01-01, added to the epoch in SQL
    "bool": "BOOLEAN",
    "ts": "TIMESTAMP",
}


@dataclass(frozen=True)
class SourceFile:
    """What the ingest job knows about one input (a file or a zip member)."""

    path: str  # as given, or 'archive.zip!member/path.txt'
    sha256: str  # hex of the bytes; also the doc_id
    size_bytes: int
    mtime_ns: int | None = None  # for the stat cache; None for zip members
    encoding: str | None = None  # what decoded it ('utf-8', 'cp874', 'pdf', ...)
    media_type: str | None = None  # 'text', 'pdf', 'html', 'image', 'docx', 'xlsx', ...
    text_source: str = "text"  # 'text', 'ocr' or 'mixed' (documents.text_source)
    ocr_lines: tuple[tuple[int, int | None, float | None], ...] = ()  # line_confidence rows


@dataclass(frozen=True)
class KnownFile:
    """A row of the stat cache: enough to skip an unchanged file without reading it."""

    path: str
    sha256: str | None  # None when the file could not even be read
    size_bytes: int
    mtime_ns: int | None
    status: FileStatus
    parser_version: str | None  # of the document loaded from it, None when failed


@dataclass(frozen=True)
class LoadFailure:
    """A file ``load_many`` could not load (already recorded as failed in source_files)."""

    source: SourceFile
    error: str


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _is_lock_error(exc: duckdb.Error) -> bool:
    text = str(exc)
    return "Could not set lock" in text or "Conflicting lock" in text


def _locked_error(path: Path, exc: duckdb.Error) -> WarehouseLockedError:
    text = str(exc)
    match = _PID.search(text)
    who = f"Another process (PID {match.group(1)})" if match else "Another process"
    # DuckDB adds this hint only when the holder is a read-only connection (a reader).
    doing = (
        "has {} open for reading"
        if "open this database in read-only" in text
        else ("holds {} for writing")
    )
    return WarehouseLockedError(
        f"{who} {doing.format(path.name)}; wait for it to finish or use another --db.",
        path=str(path),
    )


def _config(read_only: bool) -> dict[str, str]:
    """Bounds on the writer's memory: the ingest job's parent holds a writer for every batch,
    and DuckDB's buffer pool would otherwise grow with the warehouse (RAYNGAN_DUCKDB_MEMORY
    overrides the limit)."""
    if read_only:
        return {}
    return {
        "memory_limit": os.environ.get("RAYNGAN_DUCKDB_MEMORY") or WRITER_MEMORY_LIMIT,
        "preserve_insertion_order": "false",
        # one thread: a batch of ~1,000 files is too small to gain from more (~10% less CPU
        # in all), and the cores are the parsing workers'
        "threads": "1",
    }


def _connect(path: Path, read_only: bool, wait_seconds: float) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + max(wait_seconds, 0)
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only, config=_config(read_only))
        except duckdb.Error as exc:
            if not _is_lock_error(exc):
                raise WarehouseError(
                    f"The warehouse {path} cannot be opened: {exc}", path=str(path)
                ) from exc
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _locked_error(path, exc) from exc
            time.sleep(min(_LOCK_POLL_SECONDS, remaining))


class Warehouse:
    """A DuckDB warehouse file: ``Warehouse.open(path)`` / ``with Warehouse.open(path) as wh``."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path, read_only: bool) -> None:
        self.con = con
        self.path = path
        self.read_only = read_only

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        read_only: bool = False,
        wait_seconds: float = 0,
        migrate: bool = True,
    ) -> Warehouse:
        """Open (creating and migrating when writable) or raise WarehouseLockedError.

        ``wait_seconds`` retries a lock held by another process for that long first.
        ``migrate=False`` skips the migration check: for re-opens within one ingest run,
        whose first open migrated the file (and whose ingest lock keeps others out).
        """
        path = Path(path)
        if read_only and not path.exists():
            raise WarehouseError(
                f"There is no warehouse at {path}; run `rayngan ingest` first.", path=str(path)
            )
        if not read_only:
            path.parent.mkdir(parents=True, exist_ok=True)
        wh = cls(_connect(path, read_only, wait_seconds), path, read_only)
        if not read_only and migrate:
            try:
                schema.migrate(wh.con)
            except BaseException:
                wh.close()
                raise
        return wh

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    # --- runs -------------------------------------------------------------------------

    def start_run(self) -> str:
        """Insert an ``ingest_runs`` row and return its run_id (sortable by start time)."""
        now = _utcnow()
        run_id = f"{now:%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"
        self.con.execute(
            "INSERT INTO ingest_runs (run_id, started_at, parser_version) VALUES (?, ?, ?)",
            [run_id, now, parsers.PARSER_VERSION],
        )
        return run_id

    def finish_run(
        self, run_id: str, *, seen: int, loaded: int, unchanged: int, failed: int
    ) -> None:
        self.con.execute(
            "UPDATE ingest_runs SET finished_at = ?, files_seen = ?, files_loaded = ?, "
            "files_unchanged = ?, files_failed = ? WHERE run_id = ?",
            [_utcnow(), seen, loaded, unchanged, failed, run_id],
        )

    # --- the stat cache ---------------------------------------------------------------

    def known_files(self) -> dict[str, KnownFile]:
        """The stat cache: newest state of every path ever ingested."""
        rows = self.con.execute(
            "SELECT s.path, s.sha256, s.size_bytes, s.mtime_ns, s.status, "
            "CASE WHEN s.status = 'failed' THEN NULL ELSE d.parser_version END "
            "FROM source_files AS s LEFT JOIN documents AS d ON d.doc_id = s.sha256"
        ).fetchall()
        return {row[0]: KnownFile(*row) for row in rows}

    def has_document(self, doc_id: str, parser_version: str) -> bool:
        """True when ``doc_id`` is already loaded by ``parser_version`` (same bytes elsewhere)."""
        row = self.con.execute(
            "SELECT count(*) FROM documents WHERE doc_id = ? AND parser_version = ?",
            [doc_id, parser_version],
        ).fetchone()
        return bool(row and row[0])

    # --- loading ----------------------------------------------------------------------

    def load(self, run_id: str, source: SourceFile, doc: Document | DocumentRows) -> None:
        """Load one parsed file in one transaction (delete-then-insert by doc_id).

        Raises WarehouseError naming the file when the rows cannot be written; nothing of
        the file is then in the warehouse (the caller records it failed).
        """
        try:
            self._write_batch(run_id, [(source, doc)])
        except Exception as exc:  # any bad value must fail this file, never the run
            raise WarehouseError(
                f"The parsed document could not be written to the warehouse: {exc}",
                path=source.path,
                kind=getattr(doc, "kind", None),
            ) from exc

    def load_many(
        self,
        run_id: str,
        items: Sequence[tuple[SourceFile, Document | DocumentRows]],
        *,
        batch_size: int = 1000,
    ) -> list[LoadFailure]:
        """Load many files, ``batch_size`` per transaction; return the files that failed.

        (Each commit costs ~15 ms of CPU: an ingest batch of up to 1,000 files is one.)

        A batch that fails is retried file by file, so one bad document fails alone: it is
        recorded as failed in source_files and returned; every other file is loaded.
        """
        failures: list[LoadFailure] = []
        for start in range(0, len(items), batch_size):
            batch = list(items[start : start + batch_size])
            try:
                self._write_batch(run_id, batch)
            except Exception:  # retried file by file below
                failures.extend(self._load_one_by_one(run_id, batch))
        return failures

    def _load_one_by_one(
        self, run_id: str, batch: list[tuple[SourceFile, Document | DocumentRows]]
    ) -> list[LoadFailure]:
        failures = []
        for source, doc in batch:
            try:
                self.load(run_id, source, doc)
            except WarehouseError as exc:
                self.record_failed(run_id, source, exc.reason)
                failures.append(LoadFailure(source, exc.reason))
        return failures

    def record_unchanged(self, run_id: str, source: SourceFile) -> None:
        """Mark ``source.path`` unchanged (also for same bytes already loaded from elsewhere)."""
        self.record_unchanged_many(run_id, [source])

    def record_unchanged_many(self, run_id: str, sources: Sequence[SourceFile]) -> None:
        """Mark many paths unchanged in one transaction."""
        if sources:
            with self._transaction():
                self._write_states(run_id, [(s, "unchanged", None) for s in sources])

    def record_failed(self, run_id: str, source: SourceFile, error: str) -> None:
        """Mark ``source.path`` failed with a one-line reason; its older documents stay."""
        self.record_failed_many(run_id, [(source, error)])

    def record_failed_many(self, run_id: str, failures: Sequence[tuple[SourceFile, str]]) -> None:
        """Mark many paths failed, each with its reason, in one transaction."""
        if failures:
            with self._transaction():
                self._write_states(run_id, [(s, "failed", e) for s, e in failures])

    def existing_documents(self, doc_ids: Sequence[str], parser_version: str) -> set[str]:
        """The ``doc_ids`` already loaded by ``parser_version`` (``has_document`` in bulk)."""
        if not doc_ids:
            return set()
        rows = self.con.execute(
            f"SELECT doc_id FROM documents WHERE {_member('doc_id', doc_ids)} "
            "AND parser_version = ?",
            [list(doc_ids), parser_version],
        ).fetchall()
        return {row[0] for row in rows}

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    def _write_batch(
        self, run_id: str, items: Sequence[tuple[SourceFile, Document | DocumentRows]]
    ) -> None:
        if not items:
            return
        now = _utcnow()
        unique: dict[str, tuple[DocumentRow, DocumentRows]] = {}
        for source, doc in items:  # same bytes twice in one batch: one document
            if source.sha256 not in unique:
                unique[source.sha256] = (_document_row(source), as_rows(doc))
        rows = list(unique.values())
        pairs = [(row.doc_id, doc) for row, doc in rows]
        arrow = len(rows) > SMALL_BATCH
        with self._transaction():
            old = self._clear_documents(list(unique))
            for name in FACT_TABLES:
                columns, types = fact_columns(name, pairs)
                self._insert(name, columns, types, run_id, arrow)
            ocr = {s.sha256: s.ocr_lines for s, _ in items if s.ocr_lines}  # once per doc
            if ocr:
                columns = line_confidence_columns(ocr.items())
                self._insert("line_confidence", columns, LINE_CONFIDENCE_TYPES, run_id, arrow)
            columns = _keep_first_load(document_columns(rows, run_id, now), old)
            self._insert("documents", columns, DOCUMENT_COLUMNS, None, arrow)
            self._write_states(run_id, [(s, "loaded", None) for s, _ in items], now)

    def _clear_documents(self, doc_ids: list[str]) -> list[tuple]:
        """Delete every row of the documents among ``doc_ids`` already loaded (a reload);
        return their ``(doc_id, first_loaded_at, first_run_id)``."""
        con = self.con
        old = con.execute(
            "SELECT doc_id, first_loaded_at, first_run_id FROM documents "
            f"WHERE {_member('doc_id', doc_ids)}",
            [doc_ids],
        ).fetchall()
        if old:
            old_ids = [row[0] for row in old]
            for name in DOCUMENT_TABLES:
                con.execute(f"DELETE FROM {name} WHERE {_member('doc_id', old_ids)}", [old_ids])
        return old

    def _insert(
        self,
        name: str,
        columns: dict[str, list[object]],
        types: dict[str, ColumnType],
        run_id: str | None,
        arrow: bool,
    ) -> None:
        """Insert ``columns`` (plus ``run_id`` when given) into table ``name``."""
        if not columns["doc_id"]:
            return
        prefix = "" if name == "documents" else f"{name}."
        if not arrow:
            self._insert_lists(name, columns, types, run_id, prefix)
            return
        from warehouse.load import STR, arrow_table

        table = arrow_table(columns, types, prefix)
        if run_id is not None:
            table = table.append_column("run_id", _repeat(run_id, table.num_rows, STR))
        self.con.register("_rows", table)
        try:
            self.con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM _rows")
        finally:
            self.con.unregister("_rows")

    def _insert_lists(
        self,
        name: str,
        columns: dict[str, list[object]],
        types: dict[str, ColumnType],
        run_id: str | None,
        prefix: str,
    ) -> None:
        """Insert with each column bound as one list (what ``arrow_table`` checks, checked)."""
        selects, params = [], []
        for column, values in columns.items():
            typ = types[column]
            check_whole(values, typ, f"{prefix}{column}")
            if typ == "str":
                _check_unicode(values, f"{prefix}{column}")
            value = f"unnest(?::{_SQL_TYPES[typ]}[])"
            if typ == "date":
                value = f"DATE '1970-01-01' + {value}"
            selects.append(f'{value} AS "{column}"')
            params.append(values)
        if run_id is not None:
            selects.append("?::VARCHAR AS run_id")
            params.append(run_id)
        self.con.execute(f"INSERT INTO {name} BY NAME SELECT {', '.join(selects)}", params)

    def _write_states(
        self,
        run_id: str,
        states: Sequence[tuple[SourceFile, FileStatus, str | None]],
        now: datetime | None = None,
    ) -> None:
        """Replace the ``source_files`` rows of these paths and log them as events.

        Bound as plain lists and unnested by DuckDB: no Arrow (whose first ``pa.array`` call
        imports pandas, most of a no-op re-run's time).
        """
        latest = {s.path: (s, status, error) for s, status, error in states}  # last one wins
        paths = list(latest)
        con = self.con
        con.execute(f"DELETE FROM source_files WHERE {_member('path', paths)}", [paths])
        con.execute(
            _INSERT_SOURCES, [*_source_columns(list(latest.values())), run_id, now or _utcnow()]
        )
        con.execute(
            "INSERT INTO source_file_events (path, sha256, size_bytes, mtime_ns, status, error, "
            "run_id, recorded_at) SELECT path, sha256, size_bytes, mtime_ns, status, error, "
            f"run_id, updated_at FROM source_files WHERE {_member('path', paths)}",
            [paths],
        )

    # --- reading ----------------------------------------------------------------------

    def query(self, sql: str, params: Sequence[Any] | None = None) -> tuple[list[str], list[tuple]]:
        """Run one SQL statement; return column names and rows (empty for statements)."""
        try:
            cursor = self.con.execute(sql, list(params) if params is not None else None)
            if cursor.description is None:
                return [], []
            return [col[0] for col in cursor.description], cursor.fetchall()
        except duckdb.Error as exc:
            raise WarehouseError(f"The query failed: {exc}", path=str(self.path)) from exc

    def schema_version(self) -> int:
        """The highest migration applied (0 for a file never migrated)."""
        return max(schema.applied_versions(self.con), default=0)

    def status(self) -> dict[str, Any]:
        """Documents per kind and fiscal year, the last runs, the failed files and why."""
        return _export.status(self)

    def export_parquet(self, directory: str | Path) -> dict[str, int]:
        """Write every table (and view) as Parquet under ``directory``; return row counts."""
        return _export.export_parquet(self, Path(directory))


def _document_row(source: SourceFile) -> DocumentRow:
    return DocumentRow(
        doc_id=source.sha256,
        source_path=source.path,
        encoding=source.encoding,
        media_type=source.media_type,
        size_bytes=source.size_bytes,
        parser_version=parsers.PARSER_VERSION,
        source_mtime=_from_ns(source.mtime_ns),
        text_source=source.text_source,
    )


def _from_ns(mtime_ns: int | None) -> datetime | None:
    if mtime_ns is None:
        return None
    return _EPOCH + timedelta(microseconds=mtime_ns // 1000)


def _member(column: str, values: Sized) -> str:
    """SQL testing ``column`` against the list bound to the next ``?``.

    A few values: a list scan per row is cheapest; many: a hash join on the unnested list.
    """
    if len(values) <= 16:
        return f"list_contains(?::VARCHAR[], {column})"
    return f"{column} IN (SELECT unnest(?::VARCHAR[]))"


def _keep_first_load(new: dict[str, list[object]], old: list[tuple]) -> dict[str, list[object]]:
    """A reload keeps when the bytes were first loaded, and by which run."""
    if not old:
        return new
    first = {doc_id: (at, run) for doc_id, at, run in old}
    ids, loaded, runs = new["doc_id"], new["first_loaded_at"], new["first_run_id"]
    keep = [first.get(i, (at, run)) for i, at, run in zip(ids, loaded, runs, strict=True)]
    return {**new, "first_loaded_at": [k[0] for k in keep], "first_run_id": [k[1] for k in keep]}


def _repeat(value: str, n: int, typ: Any) -> Any:
    import pyarrow as pa

    return pa.array([value] * n, type=typ)


def _check_unicode(values: list[object], name: str) -> None:
    for value in values:
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise not_unicode(exc, name) from exc


_INSERT_SOURCES = (
    "INSERT INTO source_files (path, sha256, size_bytes, mtime_ns, encoding, media_type, "
    "status, error, run_id, updated_at) SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), "
    "unnest(?::BIGINT[]), unnest(?::BIGINT[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), "
    "unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), ?, ?"
)


def _source_columns(states: list[tuple[SourceFile, FileStatus, str | None]]) -> list[list]:
    """The per-row columns of ``_INSERT_SOURCES``, in its order."""
    sources = [s for s, _, _ in states]
    return [
        [s.path for s in sources],
        [s.sha256 or None for s in sources],
        [s.size_bytes for s in sources],
        [s.mtime_ns for s in sources],
        [s.encoding for s in sources],
        [s.media_type for s in sources],
        [status for _, status, _ in states],
        [error for _, _, error in states],
    ]
