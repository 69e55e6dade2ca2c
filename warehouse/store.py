"""The warehouse API the ingest job and the CLI use.

One ``Warehouse`` wraps one DuckDB file.  A writable open takes DuckDB's file lock for as long
as the object lives (open it for one ingest run and close it); ``read_only=True`` opens share
the file with each other but not with a writer.  Every load is one transaction: delete-then-
insert by ``doc_id`` across all tables plus the ``source_files`` rows, so a file is loaded
entirely or not at all.  Inserts go through Arrow tables, never row by row.
"""

from __future__ import annotations

import errno
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
    LINE_COLUMNS,
    LINE_CONFIDENCE_TYPES,
    SMALL_BATCH,
    ColumnType,
    DocumentRow,
    DocumentRows,
    as_rows,
    check_whole,
    document_columns,
    fact_columns,
    line_columns,
    line_confidence_columns,
    not_unicode,
)
from warehouse.stop import STOP

FileStatus = Literal["loaded", "unchanged", "failed"]
# A source_files row to write: source, status, error, failure_class, transient_failures.
_State = tuple["SourceFile", FileStatus, str | None, str | None, int]

# Tables holding one document's rows, all deleted and re-inserted together.
DOCUMENT_TABLES: tuple[str, ...] = ("documents", *FACT_TABLES, "document_lines", "line_confidence")
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
# Write failures caused by the machine, not the file: the next run tries the file again.
_TRANSIENT_ERRNOS = frozenset(
    {errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EAGAIN, errno.EBUSY, errno.ENOMEM, errno.EROFS}
)
_TRANSIENT_TEXT = ("No space left on device", "Disk quota exceeded", "Out of Memory", "I/O error")
# DuckDB writes its first header block (with this magic at byte 8) before the rest; a file
# smaller than the three header blocks holds no data yet.
_DUCKDB_MAGIC = b"DUCK"
_DUCKDB_HEADER_BYTES = 3 * 4096


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
    transient: bool = False  # the write failed for a reason of the run (disk full, I/O)


@dataclass(frozen=True)
class FailedFile:
    """A path to record as failed: why, and whether the run (not the file) caused it.

    ``tries`` is the count of consecutive transient failures to store; None counts this
    one (the previous count + 1 when transient, else 0).
    """

    source: SourceFile
    error: str
    transient: bool = False
    tries: int | None = None


Failed = FailedFile | tuple[SourceFile, str]
READ_WAIT_SECONDS = 10.0  # read-only opens wait this long for a writer's batch by default


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


# DuckDB adds this hint to a lock error only when the holder is a read-only connection.
_READER_HINT = "open this database in read-only"


def _is_lock_error(exc: duckdb.Error) -> bool:
    text = str(exc)
    return "Could not set lock" in text or "Conflicting lock" in text


def _locked_error(path: Path, exc: duckdb.Error) -> WarehouseLockedError:
    text = str(exc)
    match = _PID.search(text)
    who = f"Another process (PID {match.group(1)})" if match else "Another process"
    # DuckDB adds this hint only when the holder is a read-only connection (a reader).
    doing = "has {} open for reading" if _READER_HINT in text else ("holds {} for writing")
    return WarehouseLockedError(
        f"{who} {doing.format(path.name)}; wait for it to finish or use another --db.",
        path=str(path),
    )


# New warehouses are written in the storage format of DuckDB 1.1, which every DuckDB client
# from 1.1.0 on reads (1.x and 2.x alike; tests/warehouse/test_old_clients.py opens one with
# DuckDB 1.1.3).  A file created before this setting keeps the format it was created in.
STORAGE_VERSION = "v1.1.0"


class WarehouseInterrupted(KeyboardInterrupt):
    """A wait for the warehouse ended by SIGTERM/SIGINT (``STOP``)."""


# No connection loads or downloads DuckDB extensions by itself (a query naming a function
# of an extension fails instead of fetching code from the network).
_NO_EXTENSIONS = {"autoload_known_extensions": "false", "autoinstall_known_extensions": "false"}
# `rayngan query`: no file or network access beyond the warehouse itself (no COPY TO, no
# read_text('/etc/shadow'), no ATTACH, no INSTALL), and no SET can turn that back on.
_SANDBOX = {"enable_external_access": "false", "lock_configuration": "true"}


def _config(
    read_only: bool, sandboxed: bool = False
) -> dict[str, str | bool | int | float | list[str]]:
    """Bounds on the writer's memory: the ingest job's parent holds a writer for every batch,
    and DuckDB's buffer pool would otherwise grow with the warehouse (RAYNGAN_DUCKDB_MEMORY
    overrides the limit)."""
    if read_only:
        return {**_NO_EXTENSIONS, **(_SANDBOX if sandboxed else {})}
    return {
        **_NO_EXTENSIONS,
        "memory_limit": os.environ.get("RAYNGAN_DUCKDB_MEMORY") or WRITER_MEMORY_LIMIT,
        "preserve_insertion_order": "false",
        # one thread: a batch of ~1,000 files is too small to gain from more (~10% less CPU
        # in all), and the cores are the parsing workers'
        "threads": "1",
        # A batch's commit (~13 MB for 1,000 files) checkpoints at once, skipping the WAL:
        # written to the WAL, then checkpointed at close, it cost ~12% more CPU.
        "checkpoint_threshold": "1MB",
    }


def _connect(
    path: Path,
    read_only: bool,
    wait_seconds: float,
    reader_wait_seconds: float | None = None,
    sandboxed: bool = False,
) -> duckdb.DuckDBPyConnection:
    began = time.monotonic()
    config = _config(read_only, sandboxed)
    if not read_only and not path.exists():  # the format is chosen once, at creation
        config["storage_compatibility_version"] = STORAGE_VERSION
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only, config=config)
        except duckdb.Error as exc:
            if not _is_lock_error(exc):
                raise WarehouseError(
                    f"The warehouse {path} cannot be opened: {exc}", path=str(path)
                ) from exc
            if STOP.is_set():  # SIGTERM/SIGINT: no more waiting
                raise WarehouseInterrupted() from None
            wait = wait_seconds
            if reader_wait_seconds is not None and _READER_HINT in str(exc):
                wait = max(wait, reader_wait_seconds)  # a reader: it will close the file
            remaining = began + max(wait, 0) - time.monotonic()
            if remaining <= 0:
                raise _locked_error(path, exc) from exc
            STOP.wait(min(_LOCK_POLL_SECONDS, remaining))


class Warehouse:
    """A DuckDB warehouse file: ``Warehouse.open(path)`` / ``with Warehouse.open(path) as wh``."""

    def __init__(
        self,
        path: str | Path,
        *,
        read_only: bool = False,
        wait_seconds: float | None = None,
        migrate: bool = True,
        reader_wait_seconds: float | None = None,
        sandboxed: bool = False,
    ) -> None:
        """Open (creating and migrating when writable) or raise WarehouseLockedError.

        ``wait_seconds`` retries a lock held by another process for that long first
        (default: ``READ_WAIT_SECONDS`` read-only, none for writing); ``reader_wait_seconds``
        (when longer) is how long a writer waits for read-only holders.  ``migrate=False``
        skips the migration check: for re-opens within one ingest run, whose first open
        migrated the file (and whose ingest lock keeps others out).  ``sandboxed`` (read-only)
        forbids the SQL any file or network access beyond the warehouse (``rayngan query``).

        A writable open recreates an empty file or the leftover of a first run killed before
        DuckDB wrote its header (and only that), and refuses a DuckDB database that is not a
        rayngan warehouse, naming it, without changing it.
        """
        path = self.path = Path(path)
        self.read_only = read_only
        if wait_seconds is None:
            wait_seconds = READ_WAIT_SECONDS if read_only else 0
        if read_only and not path.exists():
            raise WarehouseError(
                f"There is no warehouse at {path}; run `rayngan ingest` first.", path=str(path)
            )
        if read_only and _is_leftover(path):
            raise WarehouseError(
                f"The warehouse {path} is empty (an ingest was stopped before it wrote "
                "anything); run `rayngan ingest` again.",
                path=str(path),
            )
        if not read_only:
            path.parent.mkdir(parents=True, exist_ok=True)
            _remove_leftover(path)
        self.con = _connect(path, read_only, wait_seconds, reader_wait_seconds, sandboxed)
        if not read_only and migrate:
            try:
                _check_is_warehouse(self.con, path)
                schema.migrate(self.con)
            except BaseException:
                self.close()
                raise

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        read_only: bool = False,
        wait_seconds: float | None = None,
        migrate: bool = True,
        reader_wait_seconds: float | None = None,
        sandboxed: bool = False,
    ) -> Warehouse:
        """The same as ``Warehouse(path, ...)``, kept for callers written against it."""
        return cls(
            path,
            read_only=read_only,
            wait_seconds=wait_seconds,
            migrate=migrate,
            reader_wait_seconds=reader_wait_seconds,
            sandboxed=sandboxed,
        )

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
            except Exception as exc:  # retried file by file below
                if is_transient_error(exc):  # disk full: every write would fail alike
                    raise
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
                transient = is_transient_error(exc.__cause__)
                self.record_failed(run_id, source, exc.reason, transient=transient)
                failures.append(LoadFailure(source, exc.reason, transient))
        return failures

    def record_unchanged_many(self, run_id: str, sources: Sequence[SourceFile]) -> None:
        """Mark many paths unchanged in one transaction."""
        if sources:
            with self._transaction():
                self._write_states(run_id, [(s, "unchanged", None, None, 0) for s in sources])

    def record_failed(
        self, run_id: str, source: SourceFile, error: str, *, transient: bool = False
    ) -> None:
        """Mark ``source.path`` failed with a one-line reason; its older documents stay."""
        self.record_failed_many(run_id, [FailedFile(source, error, transient)])

    def record_failed_many(self, run_id: str, failures: Sequence[Failed]) -> None:
        """Mark many paths failed, each with its reason and class, in one transaction."""
        if not failures:
            return
        items = [f if isinstance(f, FailedFile) else FailedFile(*f) for f in failures]
        with self._transaction():
            counts = self._transient_counts([f.source.path for f in items if f.tries is None])
            states: list[_State] = []
            for f in items:
                tries = f.tries
                if tries is None:
                    tries = counts.get(f.source.path, 0) + 1 if f.transient else 0
                failure_class = "transient" if f.transient else "permanent"
                states.append((f.source, "failed", f.error, failure_class, tries))
            self._write_states(run_id, states)

    def _transient_counts(self, paths: list[str]) -> dict[str, int]:
        """Consecutive transient failures so far of the ``paths`` that have them."""
        if not paths:
            return {}
        rows = self.con.execute(
            "SELECT path, transient_failures FROM source_files WHERE status = 'failed' AND "
            f"failure_class = 'transient' AND {_member('path', paths)}",
            [paths],
        ).fetchall()
        return {path: count for path, count in rows}

    def existing_documents(self, doc_ids: Sequence[str], parser_version: str) -> set[str]:
        """The ``doc_ids`` already loaded by ``parser_version`` ."""
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
            self._insert_lines(pairs, run_id, arrow)
            ocr = {s.sha256: s.ocr_lines for s, _ in items if s.ocr_lines}  # once per doc
            if ocr:
                columns = line_confidence_columns(ocr.items())
                self._insert("line_confidence", columns, LINE_CONFIDENCE_TYPES, run_id, arrow)
            columns = _keep_first_load(document_columns(rows, run_id, now), old)
            self._insert("documents", columns, DOCUMENT_COLUMNS, None, arrow)
            self._write_states(run_id, [(s, "loaded", None, None, 0) for s, _ in items], now)

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

    def _insert_lines(
        self, pairs: list[tuple[str, DocumentRows]], run_id: str, arrow: bool
    ) -> None:
        """Insert the ``document_lines`` of these documents (split by Arrow in bulk)."""
        if not arrow:
            self._insert("document_lines", line_columns(pairs), LINE_COLUMNS, run_id, False)
            return
        from warehouse.load import STR, lines_table

        kept = [(doc_id, rows) for doc_id, rows in pairs if rows.text]
        if not kept:
            return
        table = lines_table(
            [doc_id for doc_id, _ in kept],
            [rows.text for _, rows in kept],
            [rows.line_pages for _, rows in kept],
        )
        table = table.append_column("run_id", _repeat(run_id, table.num_rows, STR))
        self.con.register("_rows", table)
        try:
            self.con.execute("INSERT INTO document_lines BY NAME SELECT * FROM _rows")
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
        selects: list[str] = []
        params: list[object] = []
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
        states: Sequence[_State],
        now: datetime | None = None,
    ) -> None:
        """Replace the ``source_files`` rows of these paths and log them as events.

        Bound as plain lists and unnested by DuckDB: no Arrow (whose first ``pa.array`` call
        imports pandas, most of a no-op re-run's time).
        """
        latest = {state[0].path: state for state in states}  # last one wins
        paths = list(latest)
        con = self.con
        con.execute(f"DELETE FROM source_files WHERE {_member('path', paths)}", [paths])
        con.execute(
            _INSERT_SOURCES, [*_source_columns(list(latest.values())), run_id, now or _utcnow()]
        )
        con.execute(
            "INSERT INTO source_file_events (path, sha256, size_bytes, mtime_ns, status, error, "
            "run_id, recorded_at, failure_class) SELECT path, sha256, size_bytes, mtime_ns, "
            "status, error, run_id, updated_at, failure_class FROM source_files "
            f"WHERE {_member('path', paths)}",
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

    def query_df(self, sql: str, params: Sequence[Any] | None = None) -> Any:
        """Run one SQL statement; return a ``pandas.DataFrame`` (pandas imported only here)."""
        try:
            import pandas  # noqa: F401  (a clear ImportError before DuckDB's own)
        except ImportError as exc:
            raise WarehouseError(
                "query_df needs pandas: install it with `pip install pandas`.", path=str(self.path)
            ) from exc
        try:
            return self.con.execute(sql, list(params) if params is not None else None).df()
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
        return _export.export(self, Path(directory), "parquet")

    def export(self, directory: str | Path, fmt: str = "parquet") -> dict[str, int]:
        """Write every table and view as ``fmt`` (parquet, csv, xlsx) under ``directory``."""
        return _export.export(self, Path(directory), fmt)


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

    return pa.repeat(pa.scalar(value, typ), n)  # in C: a list of n copies cost ~0.1 s


def _check_unicode(values: list[object], name: str) -> None:
    for value in values:
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise not_unicode(exc, name) from exc


_INSERT_SOURCES = (
    "INSERT INTO source_files (path, sha256, size_bytes, mtime_ns, encoding, media_type, "
    "status, error, failure_class, transient_failures, run_id, updated_at) SELECT "
    "unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::BIGINT[]), unnest(?::BIGINT[]), "
    "unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), "
    "unnest(?::VARCHAR[]), unnest(?::INTEGER[]), ?, ?"
)


def _source_columns(states: list[_State]) -> list[list]:
    """The per-row columns of ``_INSERT_SOURCES``, in its order."""
    sources = [state[0] for state in states]
    return [
        [_valid(s.path) for s in sources],
        [s.sha256 or None for s in sources],
        [s.size_bytes for s in sources],
        [s.mtime_ns for s in sources],
        [s.encoding for s in sources],
        [s.media_type for s in sources],
        [state[1] for state in states],
        [None if state[2] is None else _valid(state[2]) for state in states],
        [state[3] for state in states],
        [state[4] for state in states],
    ]


def _valid(text: str) -> str:
    """Text DuckDB accepts: a surrogate escape left in a path or a reason (the job stores
    paths escaped already, see ``ingest.job.paths``) shown as ``\\xNN``, never a crash."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "".join(_show_surrogate(ch) for ch in text)
    return text


def _show_surrogate(ch: str) -> str:
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}" if 0xD800 <= code <= 0xDFFF else ch


def is_transient_error(exc: BaseException | None) -> bool:
    """True when a write failed for a reason of the machine (disk full, I/O, memory)."""
    if isinstance(exc, OSError):
        return exc.errno in _TRANSIENT_ERRNOS
    if isinstance(exc, duckdb.IOException | duckdb.OutOfMemoryException):
        return True
    return exc is not None and any(text in str(exc) for text in _TRANSIENT_TEXT)


# --- opening: leftovers of a killed first run, and files that are not a warehouse


def _is_leftover(path: Path) -> bool:
    """An empty file, or a first run's file killed before DuckDB wrote its whole header:
    too short to hold any data, and zeros or the start of a DuckDB header."""
    try:
        size = path.stat().st_size
        if size == 0:
            return True
        if size >= _DUCKDB_HEADER_BYTES:
            return False
        head = path.read_bytes()
    except OSError:
        return False
    return head[8:12] == _DUCKDB_MAGIC or not head.strip(b"\0")


def _remove_leftover(path: Path) -> None:
    """Delete a leftover (see ``_is_leftover``) and its write-ahead log, so DuckDB creates
    the warehouse afresh.  Any other file is left for DuckDB to open or refuse."""
    if path.is_file() and not path.is_symlink() and _is_leftover(path):
        path.unlink()
        Path(f"{path}.wal").unlink(missing_ok=True)


def _check_is_warehouse(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Refuse a DuckDB database that has tables but is not a rayngan warehouse."""
    if schema.applied_versions(con):
        return
    rows = con.execute(
        "SELECT table_schema || '.' || table_name FROM information_schema.tables "
        "WHERE table_catalog = current_database() AND table_name <> 'schema_migrations' "
        "ORDER BY 1 LIMIT 4"
    ).fetchall()
    if rows:
        names = ", ".join(row[0] for row in rows[:3]) + (", ..." if len(rows) > 3 else "")
        raise WarehouseError(
            f"{path} is a DuckDB database but not a rayngan warehouse (it holds {names}); "
            "nothing was changed. Give another --db.",
            path=str(path),
        )
