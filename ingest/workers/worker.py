"""The work done for one file in a worker process: read, fingerprint, extract, parse.

Bounded work per file, first line of defence: a ``SIGALRM`` timer around each file
raises :class:`FileTimeout` (a ``BaseException``, so no ``except Exception`` in a
parser can swallow it) and the file fails with "timeout after N s in <stage>".  A
hang in C code that never returns to the interpreter (pdfium, a regex engine) is
caught by the second line: the parent kills the worker (see ``ingest.workers.pool``).

A worker talks to the parent over one pipe.  Parent -> worker: a list of
:class:`Task` (a chunk) or ``None`` (stop).  Worker -> parent, in order:
``("begin", i)``, ``("start", path)``, ``("stage", name)``, ``("done", Outcome)``,
``("end", i)`` per task and ``("idle", retiring)`` per chunk; several of them may come
together as ``("batch", [message, ...])`` and the stage in shared memory (see ``_Channel``).
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import errno
import functools
import gc
import hashlib
import importlib
import os
import resource
import signal
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING

from parsers.errors import FileTooLargeError, InputError, RaynganError
from parsers.model import Document

if TYPE_CHECKING:
    from ingest.extract.ocr import OcrSettings
    from warehouse.rows import DocumentRows

Notify = Callable[[tuple], None]
# The stages a file goes through, by their index in a worker's shared stage cell.
STAGES: tuple[str, ...] = ("read", "extract", "parse")
StageCell = ctypes.c_byte  # a RawValue("b") shared with the parent: an index in STAGES

# A worker is replaced after this many files (or after a timeout), so memory
# a parser leaks or fragments cannot grow across a long batch.  Not fewer: the line caches
# of repair and date finding (bounded, ~10 MB) pay off over a worker's life.
RECYCLE_AFTER_FILES = 1000
RECYCLE_AFTER_RSS_KB = 1_500_000
# Address space a worker may add to what it inherits: a runaway file then meets a
# MemoryError (and fails alone) instead of the kernel's OOM killer.
MEMORY_HEADROOM_BYTES = 3 * 1024**3
_READ_BLOCK = 1 << 20


class FileTimeout(BaseException):  # a signal, not an error of the tree
    """The per-file time budget ran out (raised by the SIGALRM handler)."""


@dataclass(frozen=True)
class Task:
    """One input for a worker: a file, or a zip archive whose members are the inputs."""

    path: str
    size_bytes: int
    mtime_ns: int | None
    is_archive: bool = False
    skip_members: frozenset[str] = frozenset()  # members already accounted for
    data: bytes | None = None  # the file's bytes, shipped by an engine on another machine


@dataclass(frozen=True)
class Settings:
    file_timeout: float  # seconds per file; 0 or less: no limit
    max_bytes: int
    encoding: str | None = None
    known_docs: frozenset[str] = frozenset()  # sha256 already loaded by this parser version
    kind_dirs: tuple[str, ...] = ()  # folders of the user's kind files (--kinds)
    ocr: bool = True  # read scanned pages and images with tesseract
    ocr_page_timeout: float = 60.0  # seconds per page read by OCR


@dataclass(frozen=True)
class Outcome:
    """What became of one input file (or zip member) in a worker."""

    path: str
    size_bytes: int
    mtime_ns: int | None
    sha256: str | None = None
    encoding: str | None = None
    media_type: str | None = None
    doc: Document | None = None  # set when parsed (in this process)
    rows: DocumentRows | None = None  # the parsed document as sent by a worker (see compact)
    duplicate: bool = False  # these bytes are already loaded: not parsed again
    error: str | None = None  # one-line reason when failed
    stage: str | None = None  # where it failed
    detail: str | None = None  # the traceback, for --verbose
    seconds: float = 0.0
    # failed for a reason of the run, not of the file (time budget, vanished, busy, disk
    # full): the next run tries it again (see ingest.job.run.MAX_TRANSIENT_TRIES)
    transient: bool = False
    text_source: str | None = None  # 'text', 'ocr' or 'mixed' (documents.text_source)
    # (line_no, page, confidence) of every line read by OCR (the line_confidence table)
    ocr_lines: tuple[tuple[int, int | None, float | None], ...] = ()

    @property
    def failed(self) -> bool:
        return self.error is not None

    @property
    def parsed(self) -> Document | DocumentRows | None:
        """The parsed document in either form; None when failed or a duplicate."""
        return self.rows if self.rows is not None else self.doc


def compact(outcome: Outcome) -> Outcome:
    """The outcome as a worker sends it: the document flattened to plain columns, which
    pickle several times faster and load in bulk (the parent never rebuilds records)."""
    if outcome.doc is None:
        return outcome
    from warehouse.rows import document_rows

    try:
        rows = document_rows(outcome.doc)
    except Exception:  # a record not of the model: the parent's load fails that file alone
        return outcome
    return dataclasses.replace(outcome, doc=None, rows=rows)


def failure(
    path: str,
    size: int,
    mtime_ns: int | None,
    stage: str,
    error: str,
    *,
    transient: bool = False,
) -> Outcome:
    return Outcome(path, size, mtime_ns, stage=stage, error=error, transient=transient)


# Why reading a file can fail when its bytes are fine: it vanished or was replaced between
# the walk and the read, it is busy or locked, the disk or the memory is short.
TRANSIENT_ERRNOS = frozenset(
    {
        errno.ENOENT, errno.ESTALE, errno.EBUSY, errno.ETXTBSY, errno.EAGAIN, errno.EINTR,
        errno.EACCES, errno.EPERM, errno.ENOSPC, errno.EDQUOT, errno.ENOMEM, errno.EIO,
        errno.ETIMEDOUT, errno.ENFILE, errno.EMFILE,
    }
)  # fmt: skip


def is_transient(exc: BaseException) -> bool:
    """True when ``exc`` (or what caused it) is a failure of the run, not of the file."""
    while exc is not None:
        if isinstance(exc, OSError) and exc.errno in TRANSIENT_ERRNOS:
            return True
        exc = exc.__cause__  # type: ignore[assignment]
    return False


def timeout_reason(seconds: float, stage: str) -> str:
    return f"timeout after {seconds:g} s in {stage}"


# ---------------------------------------------------------------- one file


class _Progress:
    """The current stage of the file being worked on, reported to the parent."""

    def __init__(self, notify: Notify) -> None:
        self.notify = notify
        self.stage = "read"

    def enter(self, stage: str) -> None:
        self.stage = stage
        self.notify(("stage", stage))


def process_bytes_source(
    path: str,
    size: int,
    mtime_ns: int | None,
    read: Callable[[], tuple[bytes, str]],
    settings: Settings,
    notify: Notify,
) -> Outcome:
    """Run one input through read -> extract -> detect/parse, never raising."""
    began = time.monotonic()
    progress = _Progress(notify)
    sha = None
    transient = False
    try:
        with _alarm(settings.file_timeout):
            progress.enter("read")
            _fault_injection(path)
            data, sha = read()
            if sha in settings.known_docs:
                return Outcome(path, size, mtime_ns, sha256=sha, duplicate=True)
            return _extract_and_parse(path, size, mtime_ns, data, sha, settings, progress)
    except FileTimeout:  # a busy night as much as a slow file: tried again next run
        error, detail = timeout_reason(settings.file_timeout, progress.stage), None
        transient = True
    except RaynganError as exc:
        error, detail = exc.reason, traceback.format_exc()
        sha = sha or getattr(exc, "sha256", None)
        progress.stage = exc.stage if exc.stage != "rayngan" else progress.stage
        transient = is_transient(exc)
    except Exception as exc:  # MemoryError, RecursionError and bugs: the file fails alone
        error, detail = internal_error(progress.stage, exc), traceback.format_exc()
        transient = is_transient(exc)
    return Outcome(
        path,
        size,
        mtime_ns,
        sha256=sha,
        error=error,
        stage=progress.stage,
        detail=detail,
        seconds=time.monotonic() - began,
        transient=transient,
    )


def internal_error(stage: str, exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    if len(text) > 300:
        text = text[:297] + "..."
    return f"internal error in {stage}: {type(exc).__name__}: {text}".rstrip(": ")


def _extract_and_parse(
    path: str,
    size: int,
    mtime_ns: int | None,
    data: bytes,
    sha: str,
    settings: Settings,
    progress: _Progress,
) -> Outcome:
    from ingest.extract.dispatch import extract
    from parsers.model import assign_pages
    from parsers.registry import registry

    began = time.monotonic()
    progress.enter("extract")
    extracted = extract(data, path, encoding=settings.encoding, ocr=_ocr_settings(settings))
    progress.enter("parse")
    doc = registry(settings.kind_dirs).parse_document(extracted.text, path)
    doc = assign_pages(doc, extracted.line_pages)
    if extracted.anomalies:
        doc = dataclasses.replace(doc, anomalies=tuple(extracted.anomalies) + doc.anomalies)
    return Outcome(
        path,
        size,
        mtime_ns,
        sha256=sha,
        encoding=extracted.encoding,
        media_type=extracted.media_type,
        doc=doc,
        seconds=time.monotonic() - began,
        text_source=extracted.text_source,
        ocr_lines=_ocr_lines(extracted.line_confidence, extracted.line_pages),
    )


# Of the file's time left when extraction starts, this share may go to OCR; the rest is
# kept for parsing what it read (0.9 failed a 20-page scan under load: parse ran past it).
OCR_BUDGET_SHARE = 0.8


def _ocr_settings(settings: Settings) -> OcrSettings:
    """OCR within what is left of the file's time budget (the SIGALRM timer), so a long
    scan loads the pages read in time (the others become anomalies) instead of failing."""
    from ingest.extract.ocr import OcrSettings

    left = signal.getitimer(signal.ITIMER_REAL)[0]
    return OcrSettings(
        enabled=settings.ocr,
        page_timeout=settings.ocr_page_timeout,
        deadline=time.monotonic() + left * OCR_BUDGET_SHARE if left > 0 else None,
    )


def _ocr_lines(
    confidence: tuple[float | None, ...] | None, pages: tuple[int, ...] | None
) -> tuple[tuple[int, int | None, float | None], ...]:
    if not confidence:
        return ()
    return tuple(
        (no, pages[no - 1] if pages and no <= len(pages) else None, conf)
        for no, conf in enumerate(confidence, 1)
        if conf is not None
    )


def preload() -> None:
    """Import what workers need once in this process, so workers forked from it share it."""
    from ingest.workers.forkserver import PRELOAD_MODULES

    for name in PRELOAD_MODULES:
        importlib.import_module(name)


def read_file(path: str, max_bytes: int) -> tuple[bytes, str]:
    """The bytes of ``path`` and their sha256; a file over ``max_bytes`` is hashed, not kept."""
    try:
        return _read_bounded(path, max_bytes)
    except OSError as exc:
        raise InputError(f"The file cannot be read ({exc.strerror or exc}).", path=path) from exc


def _read_bounded(path: str, max_bytes: int) -> tuple[bytes, str]:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        # Ask for what the file holds (+1 to notice growth), not for max_bytes: a read of
        # n bytes allocates n bytes first, and 50 MB per 10 KB file costs a lot.
        want = min(os.fstat(fh.fileno()).st_size, max_bytes) + 1
        data = fh.read(want)
        if len(data) == want and want <= max_bytes:  # it grew since: read on to the limit
            data += fh.read(max_bytes + 1 - want)
        digest.update(data)
        if len(data) <= max_bytes:
            return data, digest.hexdigest()
        total = len(data)
        del data
        while block := fh.read(_READ_BLOCK):
            digest.update(block)
            total += len(block)
    error = FileTooLargeError(
        f"The file is {total:,} bytes, more than the limit of {max_bytes:,} bytes (--max-bytes).",
        path=path,
    )
    error.sha256 = digest.hexdigest()  # type: ignore[attr-defined]  # still fingerprinted
    raise error


def check_size(path: str, data: bytes, max_bytes: int) -> tuple[bytes, str]:
    sha = hashlib.sha256(data).hexdigest()
    if len(data) > max_bytes:
        raise FileTooLargeError(
            f"The member is {len(data):,} bytes, more than the limit of {max_bytes:,} bytes "
            "(--max-bytes).",
            path=path,
        )
    return data, sha


@contextlib.contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    if seconds <= 0:
        yield
        return
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def _on_alarm(signum: int, frame: object) -> None:
    raise FileTimeout()


on_alarm = _on_alarm  # for engines that run process_task in processes of their own


# ---------------------------------------------------------------- one task


def process_task(task: Task, settings: Settings, notify: Notify) -> Iterator[Outcome]:
    """Every outcome of one task: one for a file, one per member for an archive."""
    if task.is_archive and _iter_members() is not None:
        yield from _process_archive(task, settings, notify)
        return
    notify(("start", task.path))
    yield process_bytes_source(
        task.path,
        task.size_bytes,
        task.mtime_ns,
        _reader(task, settings.max_bytes),
        settings,
        notify,
    )


def _reader(task: Task, max_bytes: int) -> Callable[[], tuple[bytes, str]]:
    if task.data is not None:
        return lambda: check_size(task.path, task.data or b"", max_bytes)
    return lambda: read_file(task.path, max_bytes)


def _iter_members() -> Callable | None:
    """``ingest.extract.archive.iter_members`` when that module exists (zip support)."""
    try:
        module = importlib.import_module("ingest.extract.archive")
    except ImportError:
        return None
    return getattr(module, "iter_members", None)


def _process_archive(task: Task, settings: Settings, notify: Notify) -> Iterator[Outcome]:
    iter_members = _iter_members()
    assert iter_members is not None
    members = iter(
        iter_members(Path(task.path), max_member_bytes=settings.max_bytes, data=task.data)
    )
    while True:
        notify(("start", task.path))  # reading the next member counts against the budget
        try:
            with _alarm(settings.file_timeout):
                item = next(members, None)
        except FileTimeout:
            yield failure(
                task.path,
                task.size_bytes,
                task.mtime_ns,
                "read",
                timeout_reason(settings.file_timeout, "read"),
                transient=True,
            )
            return
        except InputError as exc:
            yield failure(
                task.path,
                task.size_bytes,
                task.mtime_ns,
                exc.stage,
                exc.reason,
                transient=is_transient(exc),
            )
            return
        except Exception as exc:
            yield failure(
                task.path, task.size_bytes, task.mtime_ns, "read", internal_error("read", exc)
            )
            return
        if item is None:
            return
        name, data = item
        # 'folder/exports.zip!kpi/a.txt': the archive as given, so two archives with the
        # same file name in different folders stay apart
        member_path = f"{task.path}!{name.split('!', 1)[-1]}"
        if isinstance(data, InputError):  # refused alone (climbs out, too large)
            if member_path not in task.skip_members:
                notify(("start", member_path))
                yield failure(member_path, getattr(data, "size", 0), None, "read", data.reason)
            continue
        if member_path in task.skip_members or not _wanted_member(member_path, settings.ocr):
            continue
        notify(("start", member_path))
        if member_path.lower().endswith(".zip"):
            yield failure(member_path, len(data), None, "read", _NESTED)
            continue
        yield process_bytes_source(
            member_path,
            len(data),
            None,
            functools.partial(check_size, member_path, data, settings.max_bytes),
            settings,
            notify,
        )


_NESTED = "The file is a zip archive inside a zip archive, which is not read; unpack it first."


def _wanted_member(member_path: str, ocr: bool = True) -> bool:
    """Members of the types a folder walk would take (README.md, and images with OCR
    off: skipped)."""
    from ingest.job.discover import is_input_name, is_skipped_name

    name = member_path.rsplit("/", 1)[-1].rsplit("!", 1)[-1]
    return is_input_name(name, ocr=ocr) and not is_skipped_name(name)


def _fault_injection(path: str) -> None:
    """Test hooks for files whose name contains a marker: SLEEP_ON sleeps in Python (the
    worker's timer ends it); HANG_ON also blocks SIGALRM, like a hang in C code (only the
    parent's kill ends it); HOG_ON asks for more memory than a worker may have; CRASH_ON
    kills the worker as a segfault in C code would."""
    name = os.path.basename(path)
    crash_on = os.environ.get("RAYNGAN_TEST_CRASH_ON")
    if crash_on and crash_on in name:
        os.kill(os.getpid(), signal.SIGSEGV)
    hog_on = os.environ.get("RAYNGAN_TEST_HOG_ON")
    if hog_on and hog_on in name:
        hog = bytearray(2 * MEMORY_HEADROOM_BYTES)
        del hog
    sleep_on = os.environ.get("RAYNGAN_TEST_SLEEP_ON")
    hang_on = os.environ.get("RAYNGAN_TEST_HANG_ON")
    if hang_on and hang_on in name:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
    if (hang_on and hang_on in name) or (sleep_on and sleep_on in name):
        while True:
            time.sleep(3600)


# ---------------------------------------------------------------- the process


def worker_main(
    conn: Connection,
    settings: Settings,
    close_fds: tuple[int, ...],
    stage_cell: StageCell | None = None,
) -> None:
    """Entry point of a worker process (forked by the parent)."""
    _become_worker(close_fds)
    with contextlib.suppress(ConnectionError, EOFError):  # the parent is gone: just stop
        _serve(conn, settings, stage_cell)


def _serve(conn: Connection, settings: Settings, stage_cell: StageCell | None = None) -> None:
    done_files = 0
    notify = _Channel(conn, stage_cell)
    while True:
        chunk = _receive(conn)
        if chunk is None:
            return
        timed_out = False
        for index, task in enumerate(chunk):
            notify(("begin", index))
            for outcome in process_task(task, settings, notify):
                done_files += 1
                timed_out |= _needs_fresh_process(outcome.error)
                notify(("done", compact(outcome)))
            notify(("end", index))
        worn = done_files >= RECYCLE_AFTER_FILES or _rss_kb() > RECYCLE_AFTER_RSS_KB
        retiring = timed_out or worn
        notify(("idle", retiring))
        if retiring:
            return


def _needs_fresh_process(error: str | None) -> bool:
    """After a timeout or a MemoryError the interpreter's state is suspect: retire."""
    return bool(error and (error.startswith("timeout") or "MemoryError" in error))


needs_fresh_process = _needs_fresh_process  # the Ray engine's workers retire by it too


class _Channel:
    """The worker's side of the pipe, with as few writes (and parent wake-ups) as can be.

    * ``("stage", name)`` goes to ``stage_cell``, shared memory the parent reads when it
      must name the stage of a file it gives up on; no message.
    * Only ``("start", path)`` and ``("idle", retiring)`` are written at once; the others
      wait for the next of those (nothing slow comes between) and go with it as one
      ``("batch", [...])`` write: ``done`` and ``end`` of a file with ``begin`` and
      ``start`` of the next, one write (and one wake-up of the parent) per file.
    * Every write pauses the file's timer: a parent busy elsewhere (and so not reading its
      pipes) must not use up a file's time budget.
    """

    def __init__(self, conn: Connection, stage_cell: StageCell | None) -> None:
        self.conn = conn
        self.stage_cell = stage_cell
        self.held: list[tuple] = []

    def __call__(self, message: tuple) -> None:
        tag = message[0]
        if self.stage_cell is not None and tag in ("stage", "start"):
            self.stage_cell.value = STAGES.index(message[1] if tag == "stage" else "read")
            if tag == "stage":
                return
        self.held.append(message)
        if tag not in ("start", "idle"):
            return
        held, self.held = self.held, []
        remaining, _ = signal.setitimer(signal.ITIMER_REAL, 0)
        try:
            self.conn.send(held[0] if len(held) == 1 else ("batch", held))
        finally:
            if remaining > 0:
                signal.setitimer(signal.ITIMER_REAL, remaining)


def _become_worker(close_fds: tuple[int, ...]) -> None:
    for fd in close_fds:  # e.g. the ingest lock: only the parent may hold it
        with contextlib.suppress(OSError):
            os.close(fd)
    _die_with_parent()
    _limit_memory()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGALRM, _on_alarm)
    gc.freeze()  # what the parent imported is never garbage: keep it out of collections
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 3000))


def _die_with_parent() -> None:
    """Linux: SIGKILL this worker when the parent dies (kill -9 of the job included)."""
    with contextlib.suppress(Exception):
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)


def _limit_memory() -> None:
    with contextlib.suppress(OSError, ValueError):
        with open("/proc/self/statm") as fh:
            inherited = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        limit = inherited + MEMORY_HEADROOM_BYTES
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        if soft == resource.RLIM_INFINITY or soft > limit:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _receive(conn: Connection) -> list[Task] | None:
    parent = os.getppid()
    while not conn.poll(1.0):
        if os.getppid() != parent:
            return None
    try:
        return conn.recv()
    except EOFError:
        return None


def _rss_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
