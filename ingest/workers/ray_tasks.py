"""What runs inside a Ray worker for ``--engine ray`` (see ``ingest.workers.ray_engine``).

Four kinds of task, each a plain function the driver wraps with ``ray.remote``:

* :func:`run_chunk`: a chunk of files, processed as a local worker does.  A PDF that needs
  OCR on ``split_pages`` pages or more is not read here: its entry in the result is a
  :class:`Split` naming the pages, and the driver sends one :func:`read_page` task per page,
  so one long scan keeps every worker of the cluster busy.
* :func:`read_page`: one page of a PDF read by OCR (``ingest.extract.ocr.ocr_pdf_pages``).
* :func:`assemble`: a split PDF processed whole, with the pages already read put where the
  OCR step asks for them, so its document is the one the local engine builds.
* :func:`run_alone`: a chunk whose task died, run again in a local ``WorkerPool`` of one
  process inside the task: a file that kills its process fails alone, with the stage it
  died in and the local engine's reason; a zip member alone, not its archive.
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from ingest.workers.worker import Outcome, Settings, Task

if TYPE_CHECKING:
    from ingest.extract.ocr import OcrPage

WATCHDOG_EXIT = 124  # a Ray worker ended by its task's watchdog (exit status, as timeout(1))


@dataclass(frozen=True)
class Split:
    """A PDF whose scanned pages are to be read one per task (an entry of a chunk's result)."""

    path: str
    pages: tuple[int, ...]  # 1-based, in the order the OCR step asked for them
    options: dict[str, Any]  # the OCR step's keyword arguments (lang, dpi, timeouts)


class _PagesWanted(BaseException):  # not an Exception: no handler of the pipeline takes it
    def __init__(self, pages: Sequence[int], options: dict[str, Any]) -> None:
        super().__init__(f"{len(pages)} page(s) to read by OCR")
        self.pages = tuple(pages)
        self.options = options


def warm_up() -> int:
    """Import the parsers in this Ray worker while the driver still plans (the first real
    task then starts at once); returns the worker's pid."""
    from ingest.workers.worker import preload

    preload()
    return os.getpid()


def run_chunk(
    tasks: list[Task], settings: Settings, cwd: str, split_pages: int
) -> list[Outcome | Split]:
    """Every outcome of ``tasks``, compacted as a local worker sends them."""
    from ingest.extract import scan

    original = scan.ocr_pdf_pages

    def ocr_or_split(pdf: bytes, numbers: Sequence[int], **options: Any) -> list[OcrPage]:
        if split_pages and len(numbers) >= split_pages:
            raise _PagesWanted(numbers, options)
        return original(pdf, numbers, **options)

    results: list[Outcome | Split] = []
    with _in_worker(cwd, settings) as (settings, notify), _ocr_step(ocr_or_split):
        for task in tasks:
            try:
                results.extend(_outcomes(task, settings, notify))
            except _PagesWanted as wanted:  # only whole files: archives never split
                results.append(Split(task.path, wanted.pages, wanted.options))
    return results


def read_page(source: bytes | str, number: int, options: dict[str, Any], cwd: str) -> OcrPage:
    """Page ``number`` of the PDF ``source`` (its bytes, or a path this node can read)."""
    from ingest.extract.ocr import OcrPage, ocr_pdf_pages
    from ingest.workers.worker import read_file

    with _cwd(cwd):
        try:
            data = source if isinstance(source, bytes) else read_file(source, 1 << 40)[0]
            return ocr_pdf_pages(data, [number], **options)[0]
        except Exception as exc:  # the page is unread (an anomaly), the file goes on
            error = " ".join(str(exc).split())[:200] or type(exc).__name__
            return OcrPage(number, (), None, 0.0, error=f"OCR failed: {error}")


def assemble(
    task: Task, settings: Settings, cwd: str, pages: dict[int, OcrPage]
) -> list[Outcome | Split]:
    """The outcome of a split PDF, its OCR step answered from ``pages``."""
    from ingest.extract import scan

    original = scan.ocr_pdf_pages

    def known(pdf: bytes, numbers: Sequence[int], **options: Any) -> list[OcrPage]:
        if all(n in pages for n in numbers):
            return [pages[n] for n in numbers]
        return original(pdf, numbers, **options)  # not the pages split for: read here

    with _in_worker(cwd, settings) as (settings, notify), _ocr_step(known):
        return list(_outcomes(task, settings, notify))


def run_alone(tasks: list[Task], settings: Settings, cwd: str) -> list[Outcome | Split]:
    """``tasks`` in a local pool of one worker process started inside this task."""
    from ingest.workers.pool import WorkerPool

    with _cwd(cwd):
        return list(WorkerPool(settings, 1).run(tasks))


# ---------------------------------------------------------------- inside a task


@contextlib.contextmanager
def _in_worker(cwd: str, settings: Settings) -> Iterator[tuple[Settings, Callable]]:
    """The local worker's rules for the length of a task: its per-file timer (SIGALRM),
    its memory limit, a watchdog for hangs in C code; the driver's working directory."""
    from ingest.workers.worker import on_alarm, preload

    preload()  # a fresh Ray worker imports the parsers here, not in its first file's budget
    try:  # Ray runs tasks in the main thread, where the timer can be heard
        signal.signal(signal.SIGALRM, on_alarm)
    except ValueError:
        settings = replace(settings, file_timeout=0)  # not the main thread: no timer here
    watchdog = _Watchdog(settings.file_timeout)
    with _cwd(cwd), _memory_limited(), watchdog:
        yield settings, watchdog


def _outcomes(task: Task, settings: Settings, notify: Callable) -> Iterator[Outcome]:
    from ingest.workers.worker import compact, process_task

    for outcome in process_task(task, settings, notify):
        yield compact(outcome)


@contextlib.contextmanager
def _ocr_step(replacement: Callable[..., list[OcrPage]]) -> Iterator[None]:
    """The scan reader's OCR call (``ingest.extract.scan.ocr_pdf_pages``) replaced."""
    from ingest.extract import scan

    original = scan.ocr_pdf_pages
    scan.ocr_pdf_pages = replacement
    try:
        yield
    finally:
        scan.ocr_pdf_pages = original


@contextlib.contextmanager
def _cwd(path: str) -> Iterator[None]:
    """The driver's working directory, where relative paths of inputs start (when this
    node has it: a shared file system mounted at the same place)."""
    before = os.getcwd()
    moved = bool(path) and path != before and os.path.isdir(path)
    if moved:
        os.chdir(path)
    try:
        yield
    finally:
        if moved:
            os.chdir(before)


class _Watchdog:
    """A file stuck past its budget with SIGALRM unheard (a hang in C code) ends the Ray
    worker at once, rather than at the driver's deadline for the whole chunk; the driver
    then runs the chunk again in a local pool (``run_alone``), which names the file."""

    def __init__(self, file_timeout: float) -> None:
        from ingest.workers.pool import grace_seconds

        self.limit = file_timeout + grace_seconds(file_timeout) if file_timeout > 0 else 0.0
        self.since: float | None = None
        self.done = threading.Event()

    def __call__(self, message: tuple) -> None:  # the notify hook of process_task
        if message[0] == "start":
            self.since = time.monotonic()

    def __enter__(self) -> _Watchdog:
        if self.limit > 0:
            threading.Thread(target=self._watch, daemon=True, name="rayngan-watchdog").start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.done.set()

    def _watch(self) -> None:
        while not self.done.wait(1.0):
            since = self.since
            if since is not None and time.monotonic() - since > self.limit:
                os._exit(WATCHDOG_EXIT)


@contextlib.contextmanager
def _memory_limited() -> Iterator[None]:
    """The local workers' memory rule while this task runs: a runaway file meets a
    MemoryError (and fails alone) before Ray's memory monitor kills the whole worker.
    The Ray worker lives on after the task, so its own limit comes back afterwards."""
    from ingest.workers.worker import MEMORY_HEADROOM_BYTES

    try:
        before = resource.getrlimit(resource.RLIMIT_AS)
        with open("/proc/self/statm") as fh:
            used = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        limit = used + MEMORY_HEADROOM_BYTES
        if before[1] != resource.RLIM_INFINITY:
            limit = min(limit, before[1])
        resource.setrlimit(resource.RLIMIT_AS, (limit, before[1]))
    except (OSError, ValueError):  # not Linux, or not allowed: Ray's monitor alone
        yield
        return
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, before)
