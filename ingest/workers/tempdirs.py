"""A temporary folder per ingest run, removed at exit and, after a kill, by the next run.

``multiprocessing`` keeps the fork server's socket in a ``pymp-*`` folder of the system's
temporary folder and removes it at a normal exit only: every ``kill -9`` of a nightly job
left one behind.  Here the run's ``pymp-*`` goes into ``<tmp>/rayngan-run.XXXXXXXX/``,
which holds an ``flock`` on its ``.owner`` file while the run lives.  The kernel drops
that lock when the run dies, however it dies, so the next run removes every such folder
whose lock it can take (and only those of its own user).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import stat
import tempfile
import time

PREFIX = "rayngan-run."
# A Unix socket's path holds at most 107 bytes; multiprocessing puts its listener at
# <folder>/pymp-XXXXXXXX/listener-XXXXXXXX (32 more): past this, no folder of our own.
_SOCKET_PATH_ROOM = 107 - 32
_OWNER = ".owner"
_ORPHAN_SECONDS = 60.0  # a folder killed before its .owner existed: removed once this old
_current: str | None = None


def use_run_tempdir() -> str:
    """Create this run's temporary folder (once), put multiprocessing's in it, and remove
    the folders of runs that died.  Returns the folder."""
    global _current
    if _current is not None:
        return _current
    base = tempfile.gettempdir()
    sweep(base)
    if len(os.fsencode(base)) + len(PREFIX) + 9 > _SOCKET_PATH_ROOM:
        _current = base  # too deep for the fork server's socket: multiprocessing's default
        return base
    path = tempfile.mkdtemp(prefix=PREFIX, dir=base)
    fd = os.open(os.path.join(path, _OWNER), os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)  # held (fd kept open) until this process ends
    _current = path
    from multiprocessing import util

    previous, tempfile.tempdir = tempfile.tempdir, path
    try:
        util.get_temp_dir()  # multiprocessing's pymp-* folder, made now, inside ours
    finally:
        tempfile.tempdir = previous  # the rest of the process keeps its own
    # after multiprocessing's own clean-up of its pymp-* folder (exit priority -100)
    util.Finalize(None, _remove, args=(path, fd), exitpriority=-200)
    return path


def sweep(base: str) -> int:
    """Remove the run folders in ``base`` whose run has ended; return how many."""
    removed = 0
    with contextlib.suppress(OSError):
        for entry in os.scandir(base):
            if entry.name.startswith(PREFIX) and _abandoned(entry):
                shutil.rmtree(entry.path, ignore_errors=True)
                removed += 1
    return removed


def _abandoned(entry: os.DirEntry[str]) -> bool:
    try:
        st = entry.stat(follow_symlinks=False)
    except OSError:
        return False
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.geteuid():
        return False
    try:
        fd = os.open(os.path.join(entry.path, _OWNER), os.O_RDONLY | os.O_NOFOLLOW)
    except FileNotFoundError:
        return time.time() - st.st_mtime > _ORPHAN_SECONDS
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False  # its run is alive
    finally:
        os.close(fd)
    return True


def _remove(path: str, fd: int) -> None:
    shutil.rmtree(path, ignore_errors=True)
    with contextlib.suppress(OSError):
        os.close(fd)
