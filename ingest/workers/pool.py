"""Worker processes for the ingest job, with a parent-side deadline per file.

Why not ``multiprocessing.Pool``: a worker stuck in C code (pdfium, a regex
engine) ignores its own ``SIGALRM``, and killing a ``Pool`` or
``ProcessPoolExecutor`` worker breaks the whole pool and loses the chunk.  Here
each worker streams one message per file, so the parent always knows which file
a worker is on and since when.  Past ``file_timeout`` plus a grace period the
parent kills that worker (SIGKILL), records the file as failed ("timeout after
30 s in parse"), puts the rest of its chunk back at the front of the queue and
starts a replacement.  A worker that dies (segfault, out of memory) is handled
the same way.  Workers retire after a few hundred files and are replaced, so
memory cannot grow across a long batch.

Each worker also holds its next chunk ahead (sent while it works on the current one), so it
never waits for this process between chunks; a chunk held by a worker that dies or retires
goes back to the queue, unread.
"""

from __future__ import annotations

import contextlib
import signal
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess

from ingest.workers.forkserver import context, main_script_hidden
from ingest.workers.worker import (
    STAGES,
    Outcome,
    Settings,
    StageCell,
    Task,
    failure,
    preload,
    timeout_reason,
    worker_main,
)

MIN_CHUNK = 16  # one file per task is slower than serial on 2 cores; 16+ gains 1.3-1.5x
MAX_CHUNK = 64
MAX_CRASHES_WITHOUT_PROGRESS = 5
COALESCE_SECONDS = 0.004  # how long a wake-up waits for more messages (see ``_step``)


def grace_seconds(file_timeout: float) -> float:
    """How long past the budget the parent waits for the worker's own timer."""
    return max(2.0, 0.2 * file_timeout)


# A PDF this large may be a scan (OCR: seconds per page), an image surely is: each goes
# alone in its chunk, largest first, so no worker sits idle behind another's long chunk.
HEAVY_PDF_BYTES = 256 * 1024
_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")


def chunked(tasks: list[Task], workers: int) -> list[list[Task]]:
    heavy = sorted((t for t in tasks if is_heavy(t)), key=lambda t: -t.size_bytes)
    light = [t for t in tasks if not is_heavy(t)] if heavy else tasks
    size = max(MIN_CHUNK, min(MAX_CHUNK, -(-len(light) // max(1, workers * 4))))
    return [[t] for t in heavy] + [light[i : i + size] for i in range(0, len(light), size)]


def is_heavy(task: Task) -> bool:
    """An image or a big PDF (likely a scan to OCR): seconds per page, so a task of its own."""
    name = task.path.lower()
    if name.endswith(_IMAGE_SUFFIXES):
        return True
    return name.endswith(".pdf") and task.size_bytes >= HEAVY_PDF_BYTES


@dataclass
class _Worker:
    proc: BaseProcess
    conn: Connection
    stage_cell: StageCell  # the worker writes the stage of the file in progress here
    chunk: list[Task] = field(default_factory=list)
    queued: list[Task] | None = None  # the next chunk, sent ahead and not begun yet
    begun: int | None = None  # index in chunk of the task in progress
    finished: int = 0  # tasks of the chunk fully done
    current: str | None = None  # the file or member in progress
    deadline: float | None = None
    members_done: set[str] = field(default_factory=set)  # outcomes yielded for the task

    @property
    def stage(self) -> str:
        """The stage of the file in progress (the worker keeps it up to date)."""
        code = self.stage_cell.value
        return STAGES[code] if 0 <= code < len(STAGES) else "read"

    def remaining(self) -> list[Task]:
        """Tasks of the chunk not yet accounted for (the one in progress narrowed)."""
        rest = self.chunk[self.finished :]
        if not rest or self.begun != self.finished:
            return rest
        first = rest[0]
        if not first.is_archive:
            # in progress: the parent records it failed; done: its outcome was yielded
            accounted = self.current is not None or first.path in self.members_done
            return rest[1:] if accounted else rest
        if self.current == first.path:  # stuck reading the archive itself: it fails whole
            return rest[1:]
        done = set(first.skip_members) | self.members_done
        if self.current is not None:
            done.add(self.current)
        return [replace(first, skip_members=frozenset(done)), *rest[1:]]


class WorkerPool:
    """Run tasks on ``workers`` processes; ``run`` yields outcomes as they arrive."""

    def __init__(self, settings: Settings, workers: int, close_fds: tuple[int, ...] = ()) -> None:
        self.settings = settings
        self.workers = max(1, workers)
        self._ctx = context()
        forked = self._ctx.get_start_method() == "fork"
        # Only a worker forked straight from here inherits our descriptors (the ingest lock):
        # one forked by the fork server has others under the same numbers (its own pipe).
        self.close_fds = close_fds if forked else ()
        if forked:
            preload()  # forked straight from here: import once, share with every worker
        self._live: dict[Connection, _Worker] = {}
        self._queue: deque[list[Task]] = deque()
        self._crashes = 0

    def run(self, tasks: list[Task]) -> Iterator[Outcome]:
        self._queue.extend(chunked(tasks, self.workers))
        try:
            for _ in range(min(self.workers, len(self._queue))):
                self._assign(self._spawn())
            while self._live:
                yield from self._step()
        finally:
            self.close()

    def extend_deadlines(self, seconds: float) -> None:
        """The caller was busy (loading a batch) and read no pipes for ``seconds``: workers
        may have waited on it, so that time does not count against their files."""
        for worker in self._live.values():
            if worker.deadline is not None:
                worker.deadline += seconds

    def close(self) -> None:
        for worker in list(self._live.values()):
            self._kill(worker)
        self._live.clear()

    # ------------------------------------------------------------ internals

    def _spawn(self) -> _Worker:
        parent_end, child_end = self._ctx.Pipe(duplex=True)
        stage_cell = self._ctx.RawValue("b", 0)
        proc = self._ctx.Process(
            target=worker_main,
            args=(child_end, self.settings, self.close_fds, stage_cell),
            name="rayngan-worker",
            daemon=True,
        )
        with main_script_hidden():
            proc.start()
        child_end.close()
        worker = _Worker(proc, parent_end, stage_cell)
        self._live[parent_end] = worker
        return worker

    def _assign(self, worker: _Worker) -> None:
        """Give an idle worker its next chunk (the one it holds, else one from the queue)."""
        if worker.queued is not None:
            chunk, worker.queued = worker.queued, None  # already in its pipe
        elif self._queue:
            chunk = self._queue.popleft()
            self._send(worker, chunk)
        else:
            self._retire(worker, stop=True)
            return
        worker.chunk, worker.begun, worker.finished = chunk, None, 0
        worker.members_done, worker.current, worker.deadline = set(), None, None
        self._prefetch(worker)

    def _prefetch(self, worker: _Worker) -> None:
        """Send the worker its next chunk ahead, unless the queue is nearly empty: there a
        chunk held behind a slow one could leave another worker idle."""
        if worker.queued is None and len(self._queue) >= self.workers:
            worker.queued = self._queue.popleft()
            self._send(worker, worker.queued)

    @staticmethod
    def _send(worker: _Worker, chunk: list[Task]) -> None:
        with contextlib.suppress(OSError):  # a dead worker is noticed by its sentinel
            worker.conn.send(chunk)

    def _requeue_held(self, worker: _Worker) -> None:
        """The chunk a worker held ahead goes back to the front of the queue."""
        if worker.queued is not None:
            self._queue.appendleft(worker.queued)
            worker.queued = None

    def _step(self) -> Iterator[Outcome]:
        now = time.monotonic()
        deadlines = [w.deadline for w in self._live.values() if w.deadline is not None]
        timeout = max(0.0, min(deadlines) - now) if deadlines else 1.0
        handles: list = [w.conn for w in self._live.values()]
        handles += [w.proc.sentinel for w in self._live.values()]
        ready = set(wait(handles, timeout=min(timeout, 1.0)))
        if ready:
            # Let more messages come before reading (a worker sends one per file, ~1 ms
            # apart): one wake-up then reads several, and this process (whose loader
            # thread wants the GIL meanwhile) wakes a few times less often: ~0.4 s less
            # CPU here and ~0.2 s in the workers per 10,000 files.  A worker's pipe (a
            # socket pair, ~200 KB) holds far more than it writes meanwhile: it never waits.
            time.sleep(COALESCE_SECONDS)
            ready = set(wait(handles, timeout=0))
        for worker in list(self._live.values()):
            if worker.conn in ready:
                yield from self._drain(worker)
            if worker.conn in self._live and worker.proc.sentinel in ready:
                yield from self._drain(worker)
                if worker.conn in self._live:
                    yield from self._on_death(worker)
        yield from self._enforce_deadlines()

    def _drain(self, worker: _Worker) -> Iterator[Outcome]:
        try:
            while worker.conn in self._live and worker.conn.poll():
                message = worker.conn.recv()
                for part in message[1] if message[0] == "batch" else (message,):
                    outcome = self._handle(worker, part)
                    if outcome is not None:
                        yield outcome
        except (EOFError, OSError):
            if worker.conn in self._live:
                yield from self._on_death(worker)

    def _handle(self, worker: _Worker, message: tuple) -> Outcome | None:
        tag = message[0]
        if tag == "begin":
            worker.begun = message[1]
        elif tag == "start":
            worker.current = message[1]  # the worker set its stage cell to "read" itself
            if self.settings.file_timeout > 0:
                budget = self.settings.file_timeout + grace_seconds(self.settings.file_timeout)
                worker.deadline = time.monotonic() + budget
        elif tag == "stage":
            worker.stage_cell.value = STAGES.index(message[1])
        elif tag == "done":
            outcome: Outcome = message[1]
            worker.members_done.add(outcome.path)
            worker.current, worker.deadline = None, None
            self._crashes = 0
            return outcome
        elif tag == "end":
            worker.finished, worker.members_done = message[1] + 1, set()
        elif tag == "idle" and message[1]:  # retiring: replace it
            self._requeue_held(worker)
            self._retire(worker, stop=False)
        elif tag == "idle":
            self._assign(worker)
        return None

    def _retire(self, worker: _Worker, *, stop: bool) -> None:
        """Let an idle worker go (told to stop, or retiring by itself) and replace it."""
        self._live.pop(worker.conn, None)
        if stop:
            with contextlib.suppress(OSError):
                worker.conn.send(None)
        worker.proc.join(timeout=5)
        if worker.proc.is_alive():
            worker.proc.kill()
            worker.proc.join()
        worker.conn.close()
        if self._queue and len(self._live) < self.workers:
            self._assign(self._spawn())

    def _enforce_deadlines(self) -> Iterator[Outcome]:
        now = time.monotonic()
        for worker in list(self._live.values()):
            if worker.deadline is not None and now >= worker.deadline:
                yield from self._drain(worker)  # it may have just finished
                still = worker.conn in self._live and worker.deadline is not None
                if still and now >= (worker.deadline or 0):
                    yield from self._on_death(worker, killed_for_timeout=True)

    def _on_death(self, worker: _Worker, *, killed_for_timeout: bool = False) -> Iterator[Outcome]:
        """Account for the file in progress, requeue the rest of the chunk, replace the worker."""
        self._kill(worker)
        self._live.pop(worker.conn, None)
        if worker.current is not None:
            yield self._lost_file(worker, killed_for_timeout)
        else:
            self._crashes += 1
        rest = worker.remaining()
        self._requeue_held(worker)
        if rest:
            self._queue.appendleft(rest)
        if self._crashes > MAX_CRASHES_WITHOUT_PROGRESS:
            yield from self._give_up()
        elif self._queue and len(self._live) < self.workers:
            self._assign(self._spawn())

    def _lost_file(self, worker: _Worker, killed_for_timeout: bool) -> Outcome:
        path = worker.current or "?"
        task = self._task_of(worker, path)
        size = task.size_bytes if task and task.path == path else 0
        mtime = task.mtime_ns if task and task.path == path else None
        # A timeout, or a worker killed from outside (the OOM killer's SIGKILL) is the run's
        # doing: the file is tried again next run.  A crash (SIGSEGV in pdfium) is the file's.
        transient = killed_for_timeout or worker.proc.exitcode == -signal.SIGKILL
        if killed_for_timeout:
            reason = timeout_reason(self.settings.file_timeout, worker.stage)
        else:
            reason = f"internal error in {worker.stage}: the worker process died ({_how(worker)})"
        return failure(path, size, mtime, worker.stage, reason, transient=transient)

    @staticmethod
    def _task_of(worker: _Worker, path: str) -> Task | None:
        if worker.begun is not None and worker.begun < len(worker.chunk):
            return worker.chunk[worker.begun]
        return None

    def _give_up(self) -> Iterator[Outcome]:
        while self._queue:
            for task in self._queue.popleft():
                yield failure(
                    task.path,
                    task.size_bytes,
                    task.mtime_ns,
                    "read",
                    "internal error in read: worker processes keep dying",
                    transient=True,
                )

    def _kill(self, worker: _Worker) -> None:
        if worker.proc.is_alive():
            worker.proc.kill()
        worker.proc.join(timeout=5)
        with contextlib.suppress(OSError):
            worker.conn.close()


def _how(worker: _Worker) -> str:
    code = worker.proc.exitcode
    if code is None:
        return "still running"
    if code < 0:
        return f"signal {-code}"
    return f"exit status {code}"
