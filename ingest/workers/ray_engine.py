"""The Ray engine: extract + parse (+ OCR) of each chunk of files as a Ray task.

The driver keeps discovery, the stat cache, the plan and the one loader (``ingest.job.run``);
this pool only replaces the local worker processes.  Tasks need no access to the warehouse:
a file is read by the driver and shipped as bytes, unless it lies under ``shared_root`` (a
path every node mounts), which tasks read themselves.  Outcomes come back compacted, the
format the local workers send, so the loader cannot tell the engines apart.

Failure semantics match the local pool: a file's own time budget is kept inside the task
(SIGALRM, as in a local worker); a chunk whose task dies (worker killed, out of memory, past
its overall deadline) is split and its files retried one per task, so a file that kills its
worker fails alone, with the reason.  Ray is imported only here (``pip install rayngan[ray]``).
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from ingest.workers.pool import chunked, grace_seconds
from ingest.workers.worker import Outcome, Settings, Task, failure, read_file
from parsers.errors import InputError, RaynganError

RAY_CHUNK = 8  # files per task: small, so progress moves and a lost task costs little
IN_FLIGHT_PER_CPU = 2  # tasks submitted ahead per cluster CPU
CAPACITY_REFRESH_SECONDS = 10.0
WATCHDOG_EXIT = 124  # a Ray worker ended by its task's watchdog (exit status, as timeout(1))
QUEUE_ALLOWANCE_SECONDS = 60.0  # a submitted task may wait this long for a free worker
WORKER_ENV_PREFIX = "RAYNGAN_TEST_"  # passed on to the tasks (see worker._fault_injection)


def ray_available() -> bool:
    try:
        import ray  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass
class _Flight:
    chunk: list[Task]
    submitted: float
    deadline: float


class RayPool:
    """Run tasks on a Ray cluster; ``run`` yields outcomes as chunks finish."""

    def __init__(
        self,
        settings: Settings,
        workers: int,
        *,
        address: str | None = None,
        shared_root: str | None = None,
    ) -> None:
        self.settings = settings
        self.workers = max(1, workers)
        self.shared_root = os.path.abspath(shared_root) if shared_root else None
        self._ray = _start_ray(address, self.workers)
        self._settings_ref = self._ray.put(settings)
        self._remote = self._ray.remote(max_retries=0, num_cpus=1)(_run_chunk)
        self._flights: dict[Any, _Flight] = {}
        self._queue: deque[list[Task]] = deque()
        self._capacity_cached = self.workers * IN_FLIGHT_PER_CPU
        self._capacity_at = -CAPACITY_REFRESH_SECONDS  # ask at the first fill

    def run(self, tasks: list[Task]) -> Iterator[Outcome]:
        self._queue.extend(chunked_for_ray(tasks, self.workers))
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

    def close(self) -> None:
        for ref in list(self._flights):
            self._ray.cancel(ref, force=True)
        self._flights.clear()

    # ------------------------------------------------------------ internals

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
            chunk = self._queue.popleft()
            shipped, failed = self._ship(chunk)
            yield from failed
            if shipped:
                self._submit(shipped)

    def _submit(self, chunk: list[Task]) -> None:
        now = time.monotonic()
        budget = self.settings.file_timeout
        per_file = budget + grace_seconds(budget) if budget > 0 else 3600.0
        deadline = now + QUEUE_ALLOWANCE_SECONDS + per_file * len(chunk)
        ref = self._remote.remote(chunk, self._settings_ref)
        self._flights[ref] = _Flight(chunk, now, deadline)

    def _ship(self, chunk: list[Task]) -> tuple[list[Task], list[Outcome]]:
        """Attach each file's bytes (read here) unless tasks can read it themselves."""
        shipped: list[Task] = []
        failed: list[Outcome] = []
        for task in chunk:
            if task.data is not None or self._on_shared_root(task.path):
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

    def _on_shared_root(self, path: str) -> bool:
        root = self.shared_root
        return root is not None and os.path.abspath(path).startswith(root + os.sep)

    def _step(self) -> Iterator[Outcome]:
        if not self._flights:
            return
        ready, _ = self._ray.wait(list(self._flights), num_returns=1, timeout=1.0)
        for ref in ready:
            flight = self._flights.pop(ref)
            try:
                yield from self._ray.get(ref)
            except Exception as exc:  # the task died: its worker, memory, a node
                yield from self._lost(flight, _death_reason(exc))
        now = time.monotonic()
        for ref, flight in list(self._flights.items()):
            if now > flight.deadline:
                self._ray.cancel(ref, force=True)
                del self._flights[ref]
                reason = f"timeout after {self.settings.file_timeout:g} s on a Ray worker"
                yield from self._lost(flight, reason)

    def _lost(self, flight: _Flight, reason: str) -> Iterator[Outcome]:
        """A chunk's task ended without results: retry its files one per task; a file
        alone in its task fails with ``reason``."""
        if len(flight.chunk) > 1:
            self._queue.extendleft([task] for task in reversed(flight.chunk))
            return
        task = flight.chunk[0]
        yield failure(task.path, task.size_bytes, task.mtime_ns, "parse", reason)


def chunked_for_ray(tasks: list[Task], workers: int) -> list[list[Task]]:
    """Archives alone in their task (their members are many files); others in small chunks."""
    archives = [[task] for task in tasks if task.is_archive]
    files = [task for task in tasks if not task.is_archive]
    chunks = chunked(files, workers) if len(files) > RAY_CHUNK * workers * 8 else []
    if not chunks:
        chunks = [files[i : i + RAY_CHUNK] for i in range(0, len(files), RAY_CHUNK)]
    return archives + chunks


def _death_reason(exc: BaseException) -> str:
    name = type(exc).__name__
    text = " ".join(str(exc).split())[:200]
    return f"the Ray worker running it died ({name}: {text})".replace(": )", ")")


def _start_ray(address: str | None, workers: int) -> Any:
    try:
        import ray
    except ImportError as exc:
        raise InputError(
            "--engine ray needs Ray: install it with `pip install 'rayngan[ray]'`."
        ) from exc
    if not ray.is_initialized():
        # Without an address Ray would join the last cluster `ray start` made on this
        # machine (anyone's): "local" starts our own, unless RAY_ADDRESS names one.
        address = address or os.environ.get("RAY_ADDRESS") or "local"
        options: dict[str, Any] = {
            "address": address,
            "include_dashboard": False,
            "log_to_driver": False,
            "configure_logging": False,
        }
        if address == "local":
            options["num_cpus"] = workers  # a local cluster of this machine's size
        env = _worker_env()
        if env:  # a cluster's workers are the raylet's children: they miss our environment
            options["runtime_env"] = {"env_vars": env}
        ray.init(**options)
    return ray


def _worker_env() -> dict[str, str]:
    """What the tasks must see of this process's environment: the test fault hooks."""
    return {k: v for k, v in os.environ.items() if k.startswith(WORKER_ENV_PREFIX)}


def _run_chunk(tasks: list[Task], settings: Settings) -> list[Outcome]:
    """One Ray task: every outcome of ``tasks``, compacted as a local worker sends them."""
    from ingest.workers.worker import compact, on_alarm, preload, process_task

    preload()  # a fresh Ray worker imports the parsers here, not in its first file's budget
    try:  # the per-file budget, as in a local worker (Ray runs tasks in the main thread)
        signal.signal(signal.SIGALRM, on_alarm)
    except ValueError:
        settings = replace(settings, file_timeout=0)  # not the main thread: no timer here
    outcomes: list[Outcome] = []
    watchdog = _Watchdog(settings.file_timeout) if len(tasks) > 1 else None
    with _memory_limited(), watchdog or contextlib.nullcontext():
        for task in tasks:
            for outcome in process_task(task, settings, watchdog or _ignore):
                outcomes.append(compact(outcome))
    return outcomes


class _Watchdog:
    """A file stuck past its budget with SIGALRM unheard (a hang in C code) ends the worker
    of a many-file task at once, rather than at the driver's deadline for the whole chunk:
    the chunk is then retried one file per task, where the driver's deadline names it."""

    def __init__(self, file_timeout: float) -> None:
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


def _ignore(message: tuple) -> None:
    return None
