"""What runs inside a Ray worker for ``--engine ray`` (see ``ingest.workers.ray_engine``).

Four kinds of task, each a plain function the driver wraps with ``ray.remote``:

* :func:`run_chunk`: a chunk of files, processed as a local worker does.  A PDF that needs
  OCR on ``split_pages`` pages or more is not read here: its entry in the result is a
  :class:`Split` naming the pages, and the driver sends one :func:`read_page` task per page,
  so one long scan keeps every worker of the cluster busy.
* :func:`read_page`: one page of a PDF read by OCR (``ingest.extract.ocr.ocr_pdf_pages``),
  within what is left of its file's OCR budget: the page tasks of a file share it, as the
  pages a local worker reads one after the other do.
* :func:`assemble`: a split PDF processed whole, with the pages already read put where the
  OCR step asks for them, so its document is the one the local engine builds.
* :func:`run_alone`: a chunk whose task died, run again in a local ``WorkerPool`` of one
  process inside the task: a file that kills its process fails alone, with the stage it
  died in and the local engine's reason; a zip member alone, not its archive.

A Ray worker in which a file timed out or ran out of memory retires once its task's results
are sent (:func:`retire_after_task`), as a local worker does: its state is suspect.
"""

from __future__ import annotations

import contextlib
import gc
import os
import resource
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from ingest.workers.worker import Outcome, Settings, Task

if TYPE_CHECKING:
    from ingest.extract.ocr import OcrPage

WATCHDOG_EXIT = 124  # a Ray worker ended by its task's watchdog (exit status, as timeout(1))
# Ray's ``max_calls`` of the chunk and assemble tasks: never reached but by a worker that
# must retire, whose task counters are then set one short of it (``retire_after_task``).
MAX_CALLS = 1 << 30


@dataclass(frozen=True)
class Split:
    """A PDF whose scanned pages are to be read one per task (an entry of a chunk's result)."""

    path: str
    pages: tuple[int, ...]  # 1-based, in the order the OCR step asked for them
    options: dict[str, Any]  # the OCR step's keyword arguments (lang, dpi, page timeout)
    # seconds of the file's OCR budget left when the task returned (None: no budget); in
    # seconds, not a deadline: the driver's clock (another node's) is not this one
    seconds_left: float | None = None


class _PagesWanted(BaseException):  # not an Exception: no handler of the pipeline takes it
    def __init__(self, pages: Sequence[int], options: dict[str, Any]) -> None:
        super().__init__(f"{len(pages)} page(s) to read by OCR")
        self.pages = tuple(pages)
        self.budget = options.pop("budget_s", None)
        self.options = options
        self.at = time.monotonic()


def warm_up() -> int:
    """Import the parsers in this Ray worker while the driver still plans (the first real
    task then starts at once); returns the worker's pid."""
    _become_worker()
    return os.getpid()


_prepared: list[bool] = []  # this process has become a worker (a list: no global statement)


def _become_worker() -> None:
    """What a local worker does once (``worker._become_worker``): the parsers imported, then
    frozen out of the garbage collector's passes (it walked every imported object at each
    full collection: a third more CPU per text file), and the same recursion limit."""
    if _prepared:
        return
    from ingest.workers.worker import preload

    preload()
    gc.freeze()
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 3000))
    _prepared.append(True)


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
    wants: dict[str, _PagesWanted] = {}
    with _in_worker(cwd, settings) as (settings, notify), _ocr_step(ocr_or_split):
        for task in tasks:
            try:
                results.extend(_outcomes(task, settings, notify))
            except _PagesWanted as wanted:  # only whole files: archives never split
                wants[task.path] = wanted
                results.append(Split(task.path, wanted.pages, wanted.options))
    return _retiring([_left(item, wants) for item in results])


def _left(item: Outcome | Split, wants: dict[str, _PagesWanted]) -> Outcome | Split:
    """A split with its file's OCR budget as it stands now that the task returns."""
    wanted = wants.get(item.path) if isinstance(item, Split) else None
    if wanted is None or wanted.budget is None:
        return item
    return replace(item, seconds_left=max(0.0, wanted.budget - (time.monotonic() - wanted.at)))


def read_page(
    source: bytes | str,
    number: int,
    options: dict[str, Any],
    cwd: str,
    budget: tuple[float, float] | None = None,
) -> OcrPage:
    """Page ``number`` of the PDF ``source`` (its bytes, or a path this node can read),
    within ``budget``: (seconds left of its file's OCR budget, the wall clock when sent)."""
    from ingest.extract.ocr import OcrPage, ocr_pdf_pages
    from ingest.workers.worker import read_file

    with _cwd(cwd):
        try:
            data = source if isinstance(source, bytes) else read_file(source, 1 << 40)[0]
            left = None if budget is None else _after_wait(*budget)
            return ocr_pdf_pages(data, [number], budget_s=left, **options)[0]
        except Exception as exc:  # the page is unread (an anomaly), the file goes on
            error = " ".join(str(exc).split())[:200] or type(exc).__name__
            return OcrPage(number, (), None, 0.0, error=f"OCR failed: {error}")


def _after_wait(seconds_left: float, sent_at: float) -> float:
    """What is left once the time this task waited for a worker is taken off; the wait is
    read on the wall clock, which nodes share (within NTP's skew): never less than 0, never
    more than was left (a clock behind the driver's adds no time)."""
    waited = min(max(0.0, time.time() - sent_at), seconds_left)
    return seconds_left - waited


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
        return _retiring(list(_outcomes(task, settings, notify)))


def run_alone(tasks: list[Task], settings: Settings, cwd: str) -> list[Outcome | Split]:
    """``tasks`` in a local pool of one worker process started inside this task."""
    from ingest.workers.pool import WorkerPool

    with _cwd(cwd):
        return list(WorkerPool(settings, 1).run(tasks))


# ---------------------------------------------------------------- inside a task


def _retiring(results: list[Outcome | Split]) -> list[Outcome | Split]:
    """``results``, this worker retiring after them if a file timed out or ran out of
    memory in it (the local worker's rule: its interpreter's state is suspect)."""
    from ingest.workers.worker import needs_fresh_process

    if any(isinstance(r, Outcome) and needs_fresh_process(r.error) for r in results):
        retire_after_task()
    return results


def retire_after_task() -> None:
    """Have this Ray worker exit once the running task's results are sent: Ray's own
    ``max_calls`` exit (the results are kept), reached now by setting this worker's task
    counters one short of ``MAX_CALLS``.  The counters are Ray's private state: a Ray
    without them leaves the worker running (tests/ingest/test_ray_engine.py says so)."""
    try:
        from ray._private.worker import global_worker

        counts: Any = global_worker.function_actor_manager._num_task_executions
    except (ImportError, AttributeError):
        return
    for function_id in list(counts):
        counts[function_id] = MAX_CALLS - 1


@contextlib.contextmanager
def _in_worker(cwd: str, settings: Settings) -> Iterator[tuple[Settings, Callable]]:
    """The local worker's rules for the length of a task: its per-file timer (SIGALRM),
    its memory limit, a watchdog for hangs in C code; the driver's working directory."""
    from ingest.workers.worker import on_alarm

    _become_worker()  # a fresh Ray worker imports the parsers here, not in a file's budget
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
