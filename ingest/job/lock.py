"""One ingest at a time per warehouse: an ``flock`` on ``<db>.lock``.

DuckDB's own file lock is held only while a batch is being loaded (so analysts'
read-only queries get in between batches); this lock is held for the whole run,
so a second ingest is refused at once instead of interleaving with the first.
The kernel drops an ``flock`` when its holder dies, even by ``kill -9``: a stale
lock file is harmless and never needs cleaning up.

The lock file sits beside the *resolved* warehouse path (two names of one warehouse, one
through a symlink, share one lock) and is opened without following a symlink and only if
it is a plain file with one name: the job runs as root at night, and ``<db>.lock ->
/etc/passwd`` must not truncate anything.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import stat
from pathlib import Path

from parsers.errors import WarehouseError, WarehouseLockedError


class IngestLockedError(WarehouseLockedError):
    """Another ``rayngan ingest`` is running on the same warehouse."""


def lock_path(db: Path) -> Path:
    return db.with_name(db.name + ".lock")


def resolved_db(db: Path) -> Path:
    """The warehouse's real path: symlinks (to it and to its folders) resolved."""
    return Path(os.path.realpath(db))


class IngestLock:
    """``with IngestLock(db): ...`` or raise IngestLockedError naming the holder's PID."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.path = lock_path(db)
        self.fd: int | None = None

    def __enter__(self) -> IngestLock:
        fd = self._open()
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

    def _open(self) -> int:
        flags = os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NONBLOCK
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, flags, 0o644)
        except OSError as exc:
            why = "it is a symbolic link" if os.path.islink(self.path) else exc.strerror
            raise WarehouseError(
                f"The lock file {self.path} cannot be opened ({why}); nothing was changed. "
                "Remove it if it is not rayngan's own.",
                path=str(self.db),
            ) from exc
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_nlink != 1:
            os.close(fd)
            what = "has other names (hard links)" if stat.S_ISREG(st.st_mode) else "is no file"
            raise WarehouseError(
                f"The lock file {self.path} {what}; nothing was changed. Remove it if it is "
                "not rayngan's own.",
                path=str(self.db),
            )
        return fd

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
