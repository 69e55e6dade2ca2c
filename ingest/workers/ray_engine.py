"""The Ray engine: extract + parse (+ OCR) of each chunk of files as a Ray task.

The driver keeps discovery, the stat cache, the plan and the one loader (``ingest.job.run``);
this pool only replaces the local worker processes.  Tasks need no access to the warehouse:
a file is read by the driver and shipped as bytes, unless tasks can read it themselves: it
lies under ``shared_root`` (a path every node mounts), or the cluster is this machine alone
(its tasks are then pinned to it).  Outcomes come back compacted, the format the local
workers send, so the loader cannot tell the engines apart.  What runs in the tasks is in
``ingest.workers.ray_tasks``; a long scan's pages are read one per task (``Split``), all
within what is left of the file's OCR budget, as one local worker reads them in turn.

Failure semantics match the local pool: a file's own time budget is kept inside the task
(SIGALRM, as in a local worker); a chunk whose task dies (worker killed, out of memory, a
hang in C code ended by the task's watchdog, past its overall deadline) runs again in a
local pool of one process inside a task (``run_alone``), so a file that kills its process
fails alone with the stage and reason the local engine gives.  Ray is imported only by
the ``ray_*`` modules (``pip install rayngan[ray]``); Ray starts (or is joined) while the
driver plans (``ingest.workers.ray_cluster.connect_during``).
"""

from __future__ import annotations

import logging
import os
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from ingest.extract.ocr import MIN_PAGE_SECONDS  # no page is started with less time left
from ingest.workers.pool import chunked, grace_seconds, is_heavy
from ingest.workers.ray_cluster import RayCluster, connect
from ingest.workers.ray_tasks import MAX_CALLS, Split, assemble, read_page, run_alone, run_chunk
from ingest.workers.worker import Outcome, Settings, Task, failure, read_file
from parsers.errors import RaynganError

log = logging.getLogger("rayngan")

RAY_CHUNK = 8  # files per task: small, so progress moves and a lost task costs little
IN_FLIGHT_PER_CPU = 2  # tasks submitted ahead per cluster CPU
CAPACITY_REFRESH_SECONDS = 10.0
QUEUE_ALLOWANCE_SECONDS = 60.0  # a submitted task may wait this long for a free worker
SPLIT_PAGES = 4  # a PDF with this many pages to OCR has them read one per task
BUDGET_GONE = "the file's OCR time budget ran out"  # ingest.extract.ocr's words for such a page

Kind = Literal["chunk", "alone", "page", "assemble"]


@dataclass
class _Flight:
    kind: Kind
    chunk: list[Task]
    deadline: float
    page: int = 0


@dataclass
class _Scan:
    """A split PDF: its source for the page tasks and the pages read so far."""

    task: Task
    source: Any  # an object ref of its bytes, or its path (tasks read it)
    options: dict[str, Any]
    wanted: tuple[int, ...]
    deadline: float | None  # this clock's time by which its OCR must end (None: no budget)
    pages: dict[int, Any] = field(default_factory=dict)

    def left(self) -> float | None:
        return None if self.deadline is None else self.deadline - time.monotonic()


class RayPool:
    """Run tasks on a Ray cluster; ``run`` yields outcomes as tasks finish."""

    def __init__(
        self,
        settings: Settings,
        workers: int,
        *,
        address: str | None = None,
        shared_root: str | None = None,
        cluster: RayCluster | None = None,
    ) -> None:
        self.settings = settings
        self.workers = max(1, workers)
        self.shared_root = os.path.abspath(shared_root) if shared_root else None
        self.cluster = cluster or connect(address, self.workers)
        self._ray = self.cluster.ray
        self._settings_ref = self._ray.put(settings)
        self._remote = remote_functions(self._ray)
        self._flights: dict[Any, _Flight] = {}
        self._queue: deque[tuple[Kind, list[Task], int]] = deque()
        self._scans: dict[str, _Scan] = {}
        self._capacity_cached = self.workers * IN_FLIGHT_PER_CPU
        self._capacity_at = -CAPACITY_REFRESH_SECONDS  # ask at the first fill

    def run(self, tasks: list[Task]) -> Iterator[Outcome]:
        self._queue.extend(("chunk", c, 0) for c in chunked_for_ray(tasks, self.workers))
        try:
            while self._queue or self._flights:
                yield from self._fill()
                yield from self._step()
        finally:
            self.close()

    def extend_deadlines(self, seconds: float) -> None:
        """The driver was busy loading: no task's deadline counts that time."""
        for flight in self._flights.values():
            flight.deadline += seconds
        for scan in self._scans.values():  # a local worker's timer pauses as well
            if scan.deadline is not None:
                scan.deadline += seconds

    def close(self) -> None:
        for ref in list(self._flights):
            self._ray.cancel(ref, force=True)
        self._flights.clear()

    # ------------------------------------------------------------ submitting

    def _capacity(self) -> int:
        """Tasks to keep in flight: asked of the cluster (a round trip to its head) now and
        then, so nodes that join or leave count without a call per finished task."""
        now = time.monotonic()
        if now - self._capacity_at > CAPACITY_REFRESH_SECONDS:
            cpus = int(self._ray.cluster_resources().get("CPU", self.workers))
            self._capacity_cached = max(1, cpus) * IN_FLIGHT_PER_CPU
            self._capacity_at = now
        return self._capacity_cached

    def _fill(self) -> Iterator[Outcome]:
        capacity = self._capacity()
        while self._queue and len(self._flights) < capacity:
            kind, chunk, page = self._queue.popleft()
            if kind == "page":
                self._submit_page(chunk[0], page)
                continue
            shipped, failed = self._ship(chunk)
            yield from failed
            if shipped:
                self._submit(kind, shipped)

    def _submit(self, kind: Kind, chunk: list[Task]) -> None:
        settings, cwd = self._settings_ref, self.cluster.cwd
        if kind == "chunk":
            ref = self._options(chunk).remote(chunk, settings, cwd, SPLIT_PAGES)
        elif kind == "alone":
            ref = self._options(chunk, "alone").remote(chunk, settings, cwd)
        else:  # "assemble": one split PDF, its pages read
            pages = self._scans[chunk[0].path].pages
            ref = self._options(chunk, "assemble").remote(chunk[0], settings, cwd, pages)
        budget = self.settings.file_timeout
        per_file = budget + grace_seconds(budget) if budget > 0 else 3600.0
        deadline = time.monotonic() + QUEUE_ALLOWANCE_SECONDS + per_file * len(chunk)
        self._flights[ref] = _Flight(kind, chunk, deadline)

    def _submit_page(self, task: Task, page: int) -> None:
        """One page's task, with the seconds left of its file's OCR budget (the page tasks
        of a file share it); a page past it is unread at once, as in the local engine."""
        scan = self._scans[task.path]
        left = scan.left()
        if left is not None and left < MIN_PAGE_SECONDS:
            self._page_read(task, page, _unread(page, BUDGET_GONE))
            return
        local = isinstance(scan.source, str)
        remote = self._remote["page"].options(**self._placement(local))
        budget = None if left is None else (left, time.time())
        ref = remote.remote(scan.source, page, scan.options, self.cluster.cwd, budget)
        timeout = float(scan.options.get("page_timeout") or 60.0)
        deadline = time.monotonic() + QUEUE_ALLOWANCE_SECONDS + timeout + grace_seconds(timeout)
        if left is not None:  # the page's own timer ends it by then; this is the backstop
            deadline = min(deadline, time.monotonic() + left + grace_seconds(left))
        self._flights[ref] = _Flight("page", [task], deadline, page)

    def _options(self, chunk: list[Task], kind: Kind = "chunk") -> Any:
        local = any(task.data is None for task in chunk)
        return self._remote[kind].options(**self._placement(local))

    def _placement(self, reads_files: bool) -> dict[str, Any]:
        """Tasks that read files themselves run on the driver's node when it is the
        cluster's only node (they read files only it may have: a node may join later)."""
        node = self.cluster.node
        if node is None or not reads_files:
            return {}
        from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

        return {"scheduling_strategy": NodeAffinitySchedulingStrategy(node, soft=False)}

    def _ship(self, chunk: list[Task]) -> tuple[list[Task], list[Outcome]]:
        """Attach each file's bytes (read here) unless tasks can read it themselves."""
        shipped: list[Task] = []
        failed: list[Outcome] = []
        for task in chunk:
            if task.data is not None or self._tasks_can_read(task.path):
                shipped.append(task)
                continue
            try:
                data, _ = read_file(task.path, self.settings.max_bytes)
            except RaynganError as exc:
                reason = exc.reason
                failed.append(failure(task.path, task.size_bytes, task.mtime_ns, "read", reason))
                continue
            shipped.append(replace(task, data=data))
        return shipped, failed

    def _tasks_can_read(self, path: str) -> bool:
        if self.cluster.node is not None:  # this machine alone: tasks pinned to it
            return True
        root = self.shared_root
        return root is not None and os.path.abspath(path).startswith(root + os.sep)

    # ------------------------------------------------------------ results

    def _step(self) -> Iterator[Outcome]:
        if not self._flights:
            return
        ready, _ = self._ray.wait(list(self._flights), num_returns=1, timeout=1.0)
        for ref in ready:
            flight = self._flights.pop(ref)
            if flight.kind == "assemble":  # done with its pages either way
                self._scans.pop(flight.chunk[0].path, None)
            try:
                result = self._ray.get(ref)
            except Exception as exc:  # the task died: its worker, memory, a node
                yield from self._lost(flight, _death_reason(exc))
                continue
            yield from self._received(flight, result)
        now = time.monotonic()
        for ref, flight in list(self._flights.items()):
            if now > flight.deadline:
                self._ray.cancel(ref, force=True)
                del self._flights[ref]
                yield from self._lost(flight, self._timeout_reason(flight))

    def _received(self, flight: _Flight, result: Any) -> Iterator[Outcome]:
        if flight.kind == "page":
            self._page_read(flight.chunk[0], flight.page, result)
            return
        by_path = {task.path: task for task in flight.chunk}
        for item in result:
            if isinstance(item, Split):
                self._split(by_path[item.path], item)
            else:
                yield item

    def _split(self, task: Task, split: Split) -> None:
        """Queue one task per page of a long scan, ahead of the other files."""
        source: Any = task.path
        if task.data is not None:
            source = self._ray.put(task.data)  # once for all its page tasks
        left = split.seconds_left
        deadline = None if left is None else time.monotonic() + left
        self._scans[task.path] = _Scan(task, source, split.options, split.pages, deadline)
        log.debug("%s: %d pages read by OCR one per Ray task", task.path, len(split.pages))
        if left is not None:
            log.debug("%s: %.1f s of its OCR budget left for them", task.path, left)
        self._queue.extendleft(("page", [task], n) for n in reversed(split.pages))

    def _page_read(self, task: Task, page: int, result: Any) -> None:
        scan = self._scans[task.path]
        scan.pages[page] = result
        if len(scan.pages) == len(scan.wanted):  # all read: the document, at the front
            self._queue.appendleft(("assemble", [scan.task], 0))

    def _lost(self, flight: _Flight, reason: str) -> Iterator[Outcome]:
        """A task ended without results.  A page: unread (an anomaly of its document). A
        chunk: run again in a local pool inside a task, which fails a file (or a zip
        member) that kills its process alone; if that task dies too, its files are tried
        one per task, and a file alone in one fails with ``reason``."""
        if flight.kind == "page":
            self._page_read(flight.chunk[0], flight.page, _unread(flight.page, reason))
            return
        if flight.kind != "alone":
            self._queue.appendleft(("alone", flight.chunk, 0))
        elif len(flight.chunk) > 1:
            self._queue.extendleft(("alone", [task], 0) for task in reversed(flight.chunk))
        else:
            task = flight.chunk[0]
            # the stage is unknown: the process that knew it is gone with its task
            yield failure(task.path, task.size_bytes, task.mtime_ns, "ray task", reason)

    def _timeout_reason(self, flight: _Flight) -> str:
        if flight.kind == "page":
            left = self._scans[flight.chunk[0].path].left()
            if left is not None and left <= 0:
                return BUDGET_GONE
            return f"no Ray worker read it in time (page {flight.page})"
        return f"timeout after {self.settings.file_timeout:g} s on a Ray worker"


def remote_functions(ray: Any) -> dict[Kind, Any]:
    """The task functions as Ray remote functions.  Chunks and split PDFs carry Ray's
    ``max_calls``: a worker in which a file timed out retires after its task by it."""
    retiring = {"max_calls": MAX_CALLS}
    return {
        "chunk": ray.remote(max_retries=0, num_cpus=1, **retiring)(run_chunk),
        "alone": ray.remote(max_retries=0, num_cpus=1)(run_alone),
        "page": ray.remote(max_retries=0, num_cpus=1)(read_page),
        "assemble": ray.remote(max_retries=0, num_cpus=1, **retiring)(assemble),
    }


def _unread(page: int, reason: str) -> Any:
    """A page of a split PDF that no task read, for its document's anomalies."""
    from ingest.extract.ocr import OcrPage

    return OcrPage(page, (), None, 0.0, error=reason)


def chunked_for_ray(tasks: list[Task], workers: int) -> list[list[Task]]:
    """Archives alone in their task (their members are many files); scans and big PDFs alone,
    biggest first, as the local engine does (six scans in one task kept one CPU busy and the
    other idle); the rest in small chunks."""
    archives = [[task] for task in tasks if task.is_archive]
    files = [task for task in tasks if not task.is_archive]
    if len(files) > RAY_CHUNK * workers * 8:
        return archives + chunked(files, workers)
    heavy = sorted((t for t in files if is_heavy(t)), key=lambda t: -t.size_bytes)
    light = [t for t in files if not is_heavy(t)]
    size = max(1, min(RAY_CHUNK, -(-len(light) // max(1, workers * 4))))
    return (
        archives + [[t] for t in heavy] + [light[i : i + size] for i in range(0, len(light), size)]
    )


def _death_reason(exc: BaseException) -> str:
    name = type(exc).__name__
    text = " ".join(str(exc).split())[:200]
    return f"the Ray worker running it died ({name}: {text})".replace(": )", ")")
