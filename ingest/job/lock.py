"""One ingest at a time per warehouse: an ``flock`` on ``<db>.lock``.

DuckDB's own file lock is held only while a batch is being loaded (so analysts'
read-only queries get in between batches); this lock is held for the whole run,
so a second ingest is refused at once instead of interleaving with the first.
The kernel drops an ``flock`` when its holder dies, even by ``kill -9``: a stale
lock file is harmless and never needs cleaning up.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path

from parsers.errors import WarehouseError, WarehouseLockedError


class IngestLockedError(WarehouseLockedError):
    """Another ``rayngan ingest`` is running on the same warehouse."""


def lock_path(db: Path) -> Path:
    return db.with_name(db.name + ".lock")


class IngestLock:
    """``with IngestLock(db): ...`` or raise IngestLockedError naming the holder's PID."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.path = lock_path(db)
        self.fd: int | None = None

    def __enter__(self) -> IngestLock:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            raise WarehouseError(
                f"The lock file {self.path} cannot be created ({exc.strerror}).",
                path=str(self.db),
            ) from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_pid(fd)
            os.close(fd)
            who = f" (PID {holder})" if holder else ""
            raise IngestLockedError(
                f"another ingest holds {self.db.name}{who}; nothing was changed.",
                path=str(self.db),
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self.fd = fd
        return self

    def __exit__(self, *exc: object) -> None:
        if self.fd is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self.fd, fcntl.LOCK_UN)
                os.close(self.fd)
            self.fd = None


def _read_pid(fd: int) -> str | None:
    try:
        text = os.pread(fd, 64, 0).decode("ascii", "replace").strip().split("\n")[0]
    except OSError:
        return None
    return text if text.isdigit() else None
