"""The library API under the CLI: parse one file, ingest paths into a warehouse.

Both are safe in a notebook or a long-lived process: nothing here changes process-wide
state (the CLI alone opts into the collector and allocator tuning, see ``IngestOptions``).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest.job.limits import DEFAULT_MAX_BYTES
from ingest.workers.worker import Outcome, Settings, Task, process_bytes_source, process_task
from parsers.errors import InputError, RaynganError
from parsers.model import Document

__all__ = ["ParsedFile", "ingest_paths", "parse_file", "parse_path"]


@dataclass(frozen=True)
class ParsedFile:
    """One parsed input (a file, or one member of a zip archive), as ``inspect`` shows it."""

    path: str
    document: Document | None  # None when it failed
    sha256: str | None
    encoding: str | None  # what decoded it ('utf-8', 'cp874', 'pdf', ...)
    media_type: str | None  # 'text', 'pdf', 'html', ...
    error: str | None = None  # the one-line reason when it failed
    stage: str | None = None  # where it failed: read, extract, detect, parse
    detail: str | None = None  # the traceback behind ``error``

    @property
    def failed(self) -> bool:
        return self.error is not None


def parse_file(
    path_or_bytes: str | os.PathLike[str] | bytes,
    *,
    name: str | None = None,
    encoding: str | None = None,
    kind_dirs: tuple[str, ...] = (),
) -> Document:
    """Parse one file (a path, or its bytes with an optional ``name``) into a ``Document``.

    Exactly what ``rayngan ingest`` would load for it; nothing is written anywhere.  Raises
    an ``InputError`` (or another ``RaynganError``) naming the file when it cannot be parsed,
    and for a zip archive, whose members are several documents (use ``parse_path``).
    """
    if isinstance(path_or_bytes, bytes):
        label = name or "<bytes>"
        parsed = _parsed(_parse_bytes(path_or_bytes, label, encoding, kind_dirs))
    else:
        label = os.fspath(path_or_bytes)
        found = parse_path(label, encoding=encoding, kind_dirs=kind_dirs)
        if len(found) != 1:
            raise InputError(
                f"{label!r} holds {len(found)} documents (an archive); "
                "use ingest.parse_path to get each of them.",
                path=label,
            )
        parsed = found[0]
    if parsed.document is None:
        raise _error_of(parsed)
    return parsed.document


def parse_path(
    path: str | os.PathLike[str],
    *,
    encoding: str | None = None,
    kind_dirs: tuple[str, ...] = (),
) -> list[ParsedFile]:
    """Every input of ``path``: one for a file, one per member for a ``.zip`` archive.

    ``kind_dirs``: folders of the user's own kind files (TOML), as ``--kinds`` gives them."""
    text_path = os.fspath(path)
    if not os.path.isfile(text_path):
        raise InputError(f"There is no file {text_path!r}.", path=text_path)
    st = os.stat(text_path)
    task = Task(text_path, st.st_size, st.st_mtime_ns, text_path.lower().endswith(".zip"))
    settings = Settings(0, DEFAULT_MAX_BYTES, encoding, kind_dirs=kind_dirs)
    return [_parsed(o) for o in process_task(task, settings, lambda message: None)]


def ingest_paths(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    db: str | os.PathLike[str],
    *,
    reporter: Any = None,
    **options: Any,
) -> Any:
    """Ingest files, folders, globs or zips into the warehouse ``db``; return a ``RunSummary``.

    ``options`` are those of ``IngestOptions`` (``workers``, ``force``, ``encoding``,
    ``file_timeout``, ``max_bytes``, ...); ``reporter`` (an ``ingest.job.run.Reporter``)
    hears progress and failures.  Raises ``WarehouseLockedError`` when another
    process is writing the warehouse.
    """
    from ingest.job.run import IngestOptions, run_ingest

    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    opts = IngestOptions(db=Path(db), **options)
    return run_ingest([os.fspath(p) for p in paths], opts, reporter)


def _parse_bytes(
    data: bytes, name: str, encoding: str | None, kind_dirs: tuple[str, ...]
) -> Outcome:
    settings = Settings(0, max(DEFAULT_MAX_BYTES, len(data)), encoding, kind_dirs=kind_dirs)
    sha = hashlib.sha256(data).hexdigest()
    return process_bytes_source(
        name, len(data), None, lambda: (data, sha), settings, lambda message: None
    )


def _parsed(outcome: Outcome) -> ParsedFile:
    return ParsedFile(
        path=outcome.path,
        document=outcome.doc,
        sha256=outcome.sha256,
        encoding=outcome.encoding,
        media_type=outcome.media_type,
        error=outcome.error,
        stage=outcome.stage,
        detail=outcome.detail,
    )


def _error_of(parsed: ParsedFile) -> RaynganError:
    error = InputError(f"It cannot be parsed: {parsed.error} [{parsed.stage}].", path=parsed.path)
    error.stage = parsed.stage or error.stage
    return error
