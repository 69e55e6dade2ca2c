"""The warehouse API the ingest job and the CLI use (interface; being implemented).

One ``Warehouse`` wraps one DuckDB file.  Writers hold the file only while
loading; ``query`` opens it read-only.  Every load of one file is a single
transaction: delete-then-insert by ``doc_id`` plus its ``source_files`` row.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from parsers.model import Document

FileStatus = Literal["loaded", "unchanged", "failed"]


@dataclass(frozen=True)
class SourceFile:
    """What the ingest job knows about one input (a file or a zip member)."""

    path: str  # as given, or 'archive.zip!member/path.txt'
    sha256: str  # hex of the bytes; also the doc_id
    size_bytes: int
    mtime_ns: int | None = None  # for the stat cache; None for zip members
    encoding: str | None = None  # what decoded it ('utf-8', 'cp874', 'pdf', ...)
    media_type: str | None = None  # 'text', 'pdf', 'html'


@dataclass(frozen=True)
class KnownFile:
    """A row of the stat cache: enough to skip an unchanged file without reading it."""

    path: str
    sha256: str
    size_bytes: int
    mtime_ns: int | None
    status: FileStatus
    parser_version: str | None  # of the document loaded from it, None when failed


class Warehouse:
    """A DuckDB warehouse file: ``Warehouse.open(path)`` / ``with Warehouse.open(path) as wh``."""

    @classmethod
    def open(cls, path: str | Path, *, read_only: bool = False, wait_seconds: float = 0) -> Warehouse:
        """Open (creating and migrating when writable) or raise WarehouseLockedError."""
        raise NotImplementedError

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        raise NotImplementedError

    def start_run(self) -> str:
        """Insert an ``ingest_runs`` row and return its run_id."""
        raise NotImplementedError

    def finish_run(self, run_id: str, *, seen: int, loaded: int, unchanged: int, failed: int) -> None:
        raise NotImplementedError

    def known_files(self) -> dict[str, KnownFile]:
        """The stat cache: newest state of every path ever ingested."""
        raise NotImplementedError

    def has_document(self, doc_id: str, parser_version: str) -> bool:
        """True when ``doc_id`` is already loaded by ``parser_version`` (same bytes elsewhere)."""
        raise NotImplementedError

    def load(self, run_id: str, source: SourceFile, doc: Document) -> None:
        """Load one parsed file in one transaction (delete-then-insert by doc_id)."""
        raise NotImplementedError

    def load_many(self, run_id: str, items: list[tuple[SourceFile, Document]]) -> None:
        """Load many files; each file's rows still all-or-nothing (bulk Arrow inserts)."""
        raise NotImplementedError

    def record_unchanged(self, run_id: str, source: SourceFile) -> None:
        raise NotImplementedError

    def record_failed(self, run_id: str, source: SourceFile, error: str) -> None:
        raise NotImplementedError
