"""The batch job behind ``rayngan ingest``: discover, skip, parse in workers, load.

Who writes when (see README, "Querying while the nightly job runs"):

* ``<db>.lock`` (an ``flock``) is held for the whole run: a second ingest exits 3 at once.
* DuckDB's write lock is held only while a batch is written (every ``FLUSH_FILES``
  files or ``FLUSH_SECONDS``; a loader thread writes while the workers go on parsing),
  and released between batches, so read-only ``rayngan query`` connections get in
  between them.
* Every file is loaded in one transaction together with its ``source_files`` row
  (the stat cache), so ``kill -9`` at any moment leaves a consistent warehouse and
  the next run picks up exactly the files not yet recorded.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import functools
import gc
import logging
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ingest.job.discover import Candidate, discover
from ingest.job.exclude import is_excluded
from ingest.job.limits import DEFAULT_FILE_TIMEOUT, DEFAULT_MAX_BYTES, DEFAULT_OCR_PAGE_TIMEOUT
from ingest.job.lock import IngestLock, resolved_db
from ingest.job.paths import clean_text, os_path, stored_path
from ingest.workers.forkserver import start_early, start_if_surely_work
from ingest.workers.pool import WorkerPool
from ingest.workers.worker import Outcome, Settings, Task
from parsers import PARSER_VERSION
from parsers.model import Document
from warehouse.rows import SMALL_BATCH, DocumentRows, as_rows

if TYPE_CHECKING:  # imported when first used: DuckDB takes ~0.1 s to import
    from ingest.workers.ray_cluster import RayCluster
    from ingest.workers.ray_engine import RayPool
    from warehouse.store import FailedFile, KnownFile, SourceFile, Warehouse


log = logging.getLogger("rayngan")

FIRST_OPEN_WAIT = 10.0  # another writer at start: give up (exit 3) well within 20 s
LATER_OPEN_WAIT = 120.0  # between batches readers may hold the file briefly: wait for them
# Files per load batch: bigger batches cost less per file (each opens and closes the
# warehouse), smaller ones lose less to a crash.  RAYNGAN_BATCH_FILES overrides it.  A batch
# is written (by a loader thread) while the next one is parsed.
FLUSH_FILES = int(os.environ.get("RAYNGAN_BATCH_FILES") or 1000)
FLUSH_SECONDS = 5.0
BACKLOG_FILES = 2 * FLUSH_FILES  # parsed while a batch is written: past this, wait for it
# Near the end of a run (fewer than FLUSH_FILES files to come) a batch is written as soon as
# the loader is free and this many files wait, so little is left to write once the last
# file is parsed (the workers are idle by then).
TAIL_FILES = 250
EARLIER = "earlier run"  # the stage of a failure carried over from an earlier run
# A file that failed for a reason of the run (see Outcome.transient) is tried again by the
# next runs on their own, until it has failed this many runs in a row.
MAX_TRANSIENT_TRIES = 3


@dataclass(frozen=True)
class IngestOptions:
    db: Path
    workers: int = os.cpu_count() or 1
    force: bool = False
    retry_failed: bool = False
    encoding: str | None = None
    file_timeout: float = DEFAULT_FILE_TIMEOUT
    max_bytes: int = DEFAULT_MAX_BYTES
    kind_dirs: tuple[str, ...] = ()  # folders of the user's kind files (--kinds)
    # Process-wide tuning (the collector paused while outcomes stream, Arrow on malloc, pandas
    # kept out of Arrow's first call): the CLI's choice, off for library callers.
    tune_process: bool = False
    exclude: tuple[str, ...] = ()  # glob patterns (ingest.job.exclude)
    engine: Literal["local", "ray"] = "local"  # where files are extracted and parsed
    ray_address: str | None = None  # a Ray cluster's address (None: start a local one)
    ray_shared_root: str | None = None  # Ray workers read files under it themselves
    follow_symlinks: bool = False
    ocr: bool = True  # read scanned pages and images with tesseract
    ocr_page_timeout: float = DEFAULT_OCR_PAGE_TIMEOUT


@dataclass(frozen=True)
class Failure:
    path: str  # as stored (see ingest.job.paths): valid Unicode, may hold control characters
    stage: str
    reason: str
    detail: str | None = None  # traceback, logged with --verbose only
    transient: bool = False  # caused by the run, not the file: retried by the next run


@dataclass
class RunSummary:
    run_id: str = ""
    seen: int = 0
    loaded: int = 0
    unchanged: int = 0
    failed: int = 0
    skipped: int = 0  # files of other types met in folders
    excluded: int = 0  # files matched by --exclude / rayngan.toml
    known_failed: int = 0  # failures of files that had failed before (not new in this run)
    outside: int = 0  # symlinks out of their tree, not followed
    leftovers: int = 0  # hidden and temporary files and folders met in folders
    seconds: float = 0.0
    failures: list[Failure] = field(default_factory=list)

    def line(self) -> str:
        text = (
            f"loaded {self.loaded:,}, unchanged {self.unchanged:,}, failed {self.failed:,} "
            f"in {self.seconds:.1f} s"
        )
        if self.known_failed:
            text += f" ({self.known_failed:,} failed before: `rayngan status` lists them)"
        skipped = [f"skipped {self.skipped:,} file(s) of other types"] if self.skipped else []
        if self.leftovers:
            skipped.append(f"{self.leftovers:,} hidden or temporary")
        if skipped:
            text += f" ({', '.join(skipped)}; --verbose names them)"
        if self.excluded:
            text += f" (excluded {self.excluded:,} file(s))"
        if self.outside:
            text += f" (not followed: {self.outside:,} symlink(s) out of the given folders)"
        return text

    @property
    def new_failed(self) -> int:
        """Failures new in this run: exit status 1 only when there are some."""
        return self.failed - self.known_failed


class Reporter:
    """Hooks the CLI uses for progress and per-file failures (both optional)."""

    def planned(self, total: int, unchanged: int) -> None: ...

    def advanced(self, done: int) -> None: ...

    def failed(self, failure: Failure) -> None: ...

    def finished(self) -> None: ...


def warehouse_files(db: Path) -> list[str]:
    """The warehouse's own files, never taken as input (``rayngan ingest .``)."""
    return [str(db), f"{db}.wal", f"{db}.lock", f"{db}.tmp"]


def run_ingest(
    paths: Sequence[str], options: IngestOptions, reporter: Reporter | None = None
) -> RunSummary:
    """Ingest ``paths`` into ``options.db``; raise WarehouseLockedError when it is busy."""
    began = time.monotonic()
    reporter = reporter or Reporter()
    # one warehouse, one lock, however it is named (through a symlink, ./w.duckdb, ...)
    options = dataclasses.replace(options, db=resolved_db(options.db))
    with IngestLock(options.db) as lock:
        job = _Job(options, reporter, lock.fd)
        if _ray_early(options, paths):  # Ray starts (or is joined) while the job plans
            from ingest.workers.ray_cluster import connect_during

            job.cluster = connect_during(
                lambda: job.start(paths), options.ray_address, options.workers
            )
        else:
            job.start(paths)
        job.parse_and_load()
        job.finish()
    job.summary.seconds = time.monotonic() - began
    return job.summary


def _ray_early(options: IngestOptions, paths: Sequence[str]) -> bool:
    """Whether to connect to Ray before the plan: when joining a cluster (cheap), or when
    every input will surely be parsed (a run that finds nothing new starts no Ray)."""
    if options.engine != "ray" or not paths:
        return False
    joining = options.ray_address or os.environ.get("RAY_ADDRESS")
    return bool(joining) or options.force or not options.db.exists()


def paths_to_retry(db: Path) -> list[str]:
    """Files (zip archives for members) whose last status is failed, that still exist."""
    from warehouse.store import Warehouse

    if not db.exists():
        return []
    with Warehouse.open(db, read_only=True) as wh:
        _, rows = wh.query("SELECT path FROM source_files WHERE status = 'failed'")
    files = {os_path(str(row[0]).split("!", 1)[0]) for row in rows}
    return sorted(p for p in files if os.path.isfile(p))


# ---------------------------------------------------------------- the job


@dataclass(frozen=True)
class _Previous:
    """What the warehouse remembers of one path beyond ``KnownFile``."""

    error: str | None
    encoding: str | None
    media_type: str | None
    transient: bool = False  # failed for a reason of the run
    tries: int = 0  # consecutive runs it failed transiently


class _Job:
    def __init__(self, options: IngestOptions, reporter: Reporter, lock_fd: int | None) -> None:
        self.options = options
        self.reporter = reporter
        self.lock_fd = lock_fd
        self.summary = RunSummary()
        self.todo: list[Task] = []
        self.known: dict[str, KnownFile] = {}
        self.pending: list[Outcome] = []
        self.loaded_ids: set[str] = set()
        self.new_failures: deque[Failure] = deque()  # found by the loader thread
        self.done = 0
        self.cluster: RayCluster | None = None  # Ray, when connected during the plan

    # -- planning: one short write to record the run and the unchanged files

    def start(self, paths: Sequence[str]) -> None:
        from warehouse.store import Warehouse

        found = discover(
            paths,
            exclude=warehouse_files(self.options.db),
            follow_symlinks=self.options.follow_symlinks,
            ocr=self.options.ocr,
        )
        self.summary.skipped, self.summary.outside = found.skipped, found.outside
        self.summary.leftovers = found.leftovers
        for path, why in found.skipped_files:
            log.debug("skipped %s: %s", path, why)
        if self.options.exclude:
            kept = [c for c in found.candidates if not is_excluded(c.path, self.options.exclude)]
            self.summary.excluded = len(found.candidates) - len(kept)
            found = replace(found, candidates=kept)
        # the fork server imports the parsers while this process opens the warehouse
        if self.options.engine == "local":
            start_if_surely_work(bool(found.candidates), self.options.force, self.options.db)
        with Warehouse.open(  # a writer: exit 3 soon; an analyst's reader: wait for it
            self.options.db, wait_seconds=FIRST_OPEN_WAIT, reader_wait_seconds=LATER_OPEN_WAIT
        ) as wh:
            self.known = wh.known_files()
            previous = _previous_states(wh)
            self.summary.run_id = wh.start_run()
            unchanged, failed_before = self._plan(found.candidates, previous)
            wh.record_unchanged_many(self.summary.run_id, unchanged)
            wh.record_failed_many(self.summary.run_id, failed_before)
        if self.todo and self.options.engine == "local":
            start_early()
        self.summary.seen = len(unchanged) + len(failed_before)
        self.summary.unchanged = len(unchanged)
        for failed in failed_before:
            self._count_failure(Failure(failed.source.path, EARLIER, failed.error))
        self.done = self.summary.seen
        log.debug(
            "found %d file(s) (%d skipped as other types): %d unchanged, %d failed before, "
            "%d to read",
            len(found.candidates),
            found.skipped,
            len(unchanged),
            len(failed_before),
            len(self.todo),
        )
        self.reporter.planned(len(self.todo) + self.done, self.done)

    def _plan(
        self, candidates: list[Candidate], previous: dict[str, _Previous]
    ) -> tuple[list[SourceFile], list[FailedFile]]:
        unchanged: list[SourceFile] = []
        failed_before: list[FailedFile] = []
        opts = self.options
        for cand in candidates:
            known = self.known.get(stored_path(cand.path))
            same = (
                known is not None
                and not cand.is_archive
                and known.size_bytes == cand.size_bytes
                and known.mtime_ns == cand.mtime_ns
                and not opts.force
            )
            if same and known and known.status != "failed":
                if known.parser_version == PARSER_VERSION:
                    unchanged.append(_source_from_cache(known, previous.get(known.path)))
                    continue
            elif same and known and not opts.retry_failed:
                prev = previous.get(known.path)
                if not (prev and prev.transient and prev.tries < MAX_TRANSIENT_TRIES):
                    failed_before.append(_carried_failure(known, prev))
                    continue  # else: it failed for a reason of its run, so try it again
            self.todo.append(Task(cand.path, cand.size_bytes, cand.mtime_ns, cand.is_archive))
        return unchanged, failed_before

    # -- parsing in workers, loading from here

    def parse_and_load(self) -> None:
        if not self.todo:
            return
        settings = Settings(
            file_timeout=self.options.file_timeout,
            max_bytes=self.options.max_bytes,
            encoding=self.options.encoding,
            kind_dirs=self.options.kind_dirs,
            ocr=self.options.ocr,
            ocr_page_timeout=self.options.ocr_page_timeout,
            known_docs=frozenset() if self.options.force else self._known_docs(),
        )
        close_fds = (self.lock_fd,) if self.lock_fd is not None else ()
        pool = _make_pool(self.options, settings, close_fds, self.cluster)
        # Batches are written by one loader thread (DuckDB releases the GIL) while this one
        # keeps reading the workers' pipes, so workers never wait for a write.
        loader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rayngan-loader")
        writing: Future[None] | None = None
        completed = False
        if len(self.todo) > SMALL_BATCH:  # smaller runs are written without Arrow
            writing = loader.submit(_prepare_arrow, self.options.tune_process)
        last_flush = time.monotonic()
        left = len(self.todo)  # files still to come (an archive's members: more)
        gc_paused = self.options.tune_process and _pause_gc()
        try:
            for outcome in pool.run(self.todo):
                _log_outcome(outcome)
                self.pending.append(outcome)
                self.done += 1
                left -= 1
                self.reporter.advanced(self.done)
                self._report_failures()
                due = time.monotonic() - last_flush >= FLUSH_SECONDS
                tail = (
                    left < FLUSH_FILES
                    and len(self.pending) >= TAIL_FILES
                    and (writing is None or writing.done())
                )
                if not (len(self.pending) >= FLUSH_FILES or due or tail):
                    continue
                if writing is not None and not writing.done():
                    if len(self.pending) < BACKLOG_FILES:
                        continue  # still writing the last batch: keep reading
                    began = time.monotonic()
                    writing.result()  # far behind: wait, and do not count it against files
                    pool.extend_deadlines(time.monotonic() - began)
                if writing is not None:
                    writing.result()  # a failed write stops the run here
                writing = loader.submit(self._flush_open, self._take_pending())
                last_flush = time.monotonic()
                if gc_paused:
                    gc.collect(1)  # the young objects, once per batch: cycles cannot pile up
            if writing is not None:
                writing.result()  # if the last write failed, what was parsed after it is
                writing = None  # written below (or fails again, naming the warehouse)
            completed = True  # the last batch is written by finish(), in its one open
        finally:
            if gc_paused:
                gc.unfreeze()
                gc.enable()
            pool.close()
            try:
                if writing is not None:
                    writing.result()
            finally:
                loader.shutdown()
                while self.pending and not completed:  # on Ctrl-C: keep what was parsed
                    self._flush_open(self._take_pending())
                self._report_failures()

    def _take_pending(self) -> list[Outcome]:
        """The next batch: at most FLUSH_FILES (a bigger one would only need more memory)."""
        batch, self.pending = self.pending[:FLUSH_FILES], self.pending[FLUSH_FILES:]
        return batch

    def _report_failures(self) -> None:
        """Count and report (from this thread) the failures a batch write found."""
        while self.new_failures:
            self._count_failure(self.new_failures.popleft())

    def _known_docs(self) -> frozenset[str]:
        return frozenset(
            k.sha256
            for k in self.known.values()
            if k.status != "failed" and k.parser_version == PARSER_VERSION and k.sha256
        )

    def _flush_open(self, batch: list[Outcome]) -> None:
        """Write one batch (in the loader thread); failures go to ``new_failures``."""
        from warehouse.store import Warehouse

        began = time.monotonic()
        with (
            _writing(self.options.db),
            Warehouse.open(self.options.db, wait_seconds=LATER_OPEN_WAIT, migrate=False) as wh,
        ):
            self._flush(wh, batch)
        _release_memory()
        log.debug("wrote a batch of %d file(s) in %.2f s", len(batch), time.monotonic() - began)

    def _flush(self, wh: Warehouse, batch: list[Outcome]) -> None:
        from warehouse.store import FailedFile

        if len(batch) > SMALL_BATCH:  # e.g. the members of one big zip archive
            _prepare_arrow(self.options.tune_process)
        run_id = self.summary.run_id
        parsed = [o.sha256 for o in batch if o.parsed is not None and o.sha256]
        present = set() if self.options.force else wh.existing_documents(parsed, PARSER_VERSION)
        done = self.loaded_ids
        to_load: list[tuple[SourceFile, Document | DocumentRows]] = []
        same_bytes: list[SourceFile] = []
        failed: list[FailedFile] = []
        for outcome in batch:
            source = _source_of(outcome)
            if outcome.failed:
                error = clean_text(outcome.error or "")
                failed.append(FailedFile(source, error, outcome.transient))
                self.new_failures.append(
                    Failure(
                        source.path, outcome.stage or "?", error, outcome.detail, outcome.transient
                    )
                )
            elif (
                (doc := outcome.parsed) is None or source.sha256 in present or source.sha256 in done
            ):
                same_bytes.append(source)  # these bytes are loaded already (other path)
            else:
                done.add(source.sha256)
                to_load.append((source, doc))
        del batch
        wh.record_failed_many(run_id, failed)
        lost = wh.load_many(run_id, to_load) if to_load else []
        for item in lost:  # already recorded as failed by the warehouse
            self.new_failures.append(
                Failure(item.source.path, "load", item.error, transient=item.transient)
            )
        wh.record_unchanged_many(run_id, same_bytes)
        self.summary.seen += len(failed) + len(to_load) + len(same_bytes)
        self.summary.loaded += len(to_load) - len(lost)
        self.summary.unchanged += len(same_bytes)

    def _count_failure(self, failure: Failure) -> None:
        self.summary.failed += 1
        known = self.known.get(failure.path)
        if failure.stage == EARLIER or (known is not None and known.status == "failed"):
            self.summary.known_failed += 1
        self.summary.failures.append(failure)
        self.reporter.failed(failure)

    def finish(self) -> None:
        """Write the last batch and record the run's end (one open of the warehouse)."""
        from warehouse.store import Warehouse

        s = self.summary
        with (
            _writing(self.options.db),
            Warehouse.open(self.options.db, wait_seconds=LATER_OPEN_WAIT, migrate=False) as wh,
        ):
            while self.pending:
                self._flush(wh, self._take_pending())
            self._report_failures()
            wh.finish_run(
                s.run_id, seen=s.seen, loaded=s.loaded, unchanged=s.unchanged, failed=s.failed
            )
        self.reporter.finished()


def _make_pool(
    options: IngestOptions,
    settings: Settings,
    close_fds: tuple[int, ...],
    cluster: RayCluster | None = None,
) -> WorkerPool | RayPool:
    if options.engine == "ray":
        from ingest.workers.ray_engine import RayPool

        return RayPool(
            settings,
            options.workers,
            address=options.ray_address,
            shared_root=options.ray_shared_root,
            cluster=cluster,
        )
    return WorkerPool(settings, options.workers, close_fds)


@contextlib.contextmanager
def _writing(db: Path) -> Iterator[None]:
    """A write that fails for a reason of the machine (disk full, I/O error) ends the run
    with a plain message: every file is loaded whole or not at all, so the next run loads
    the rest."""
    import duckdb

    from parsers.errors import WarehouseError
    from warehouse.store import is_transient_error

    try:
        yield
    except (duckdb.Error, OSError) as exc:
        if not is_transient_error(exc):
            raise
        text = " ".join(str(exc).split())
        raise WarehouseError(
            f"Writing to the warehouse {db} failed ({text}); what was loaded so far is kept "
            "and the next run loads the rest.",
            path=str(db),
        ) from exc


@functools.cache
def _prepare_arrow(tune_process: bool) -> None:
    """Import Arrow (~0.1 s) in the loader thread while the workers parse, not in the
    first write.

    Its first ``pa.array`` call would also import pandas (~0.2 s of CPU and ~40 MB, to
    rule out a pandas object), which the loader never passes: pandas is hidden from that
    one call (when nothing has imported it yet), and Arrow then takes plain lists as
    plain lists.  A later ``to_pandas`` still imports it.

    And use malloc: Arrow's own allocator (mimalloc) keeps what a batch freed for the next
    one, ~50 MB more at every peak of a long run than malloc, which ``_release_memory``
    trims."""
    import pyarrow as pa

    if not tune_process:
        return
    pa.set_memory_pool(pa.system_memory_pool())
    with _pandas_hidden():
        pa.array([0], type=pa.int32())


@contextlib.contextmanager
def _pandas_hidden() -> Iterator[None]:
    """``import pandas`` fails within, unless something imported it already."""
    if "pandas" in sys.modules:
        yield
        return
    blocker = _NoPandas()
    sys.meta_path.insert(0, blocker)
    try:
        yield
    finally:
        sys.meta_path.remove(blocker)


class _NoPandas:
    """A meta path finder that finds no pandas (so its import raises ImportError)."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name == "pandas" or name.startswith("pandas."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


def _pause_gc() -> bool:
    """Turn off the automatic collector while outcomes stream in (``True`` when it was on).

    Each outcome is thousands of new tuples, so the collector ran every few outcomes and
    its older generations re-scanned every outcome waiting for its batch (and all the
    modules, pyarrow's and DuckDB's included): ~0.3 s of this process's CPU per 10,000
    files.  What exists now is frozen out of collections, and the young objects are
    collected once per batch instead (see ``parse_and_load``)."""
    if not gc.isenabled() or gc.get_freeze_count():  # someone else manages it
        return False
    gc.freeze()
    gc.disable()
    return True


def _release_memory() -> None:
    """Give the heap that DuckDB and Arrow freed back to the system (glibc keeps it)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None


def _log_outcome(outcome: Outcome) -> None:
    if not log.isEnabledFor(logging.DEBUG) or outcome.failed:
        return
    parsed = outcome.parsed
    if parsed is None:
        log.debug("same bytes as a loaded document: %s", outcome.path)
        return
    rows = as_rows(parsed)
    log.debug(
        "parsed %s as %s (%s, %s) in %.2f s: %d record(s), %d anomalies",
        outcome.path,
        rows.kind,
        outcome.media_type,
        outcome.encoding,
        outcome.seconds,
        rows.record_count(),
        rows.anomaly_count,
    )


def _source_of(outcome: Outcome) -> SourceFile:
    from warehouse.store import SourceFile

    return SourceFile(
        path=stored_path(outcome.path),
        sha256=outcome.sha256 or "",
        size_bytes=outcome.size_bytes,
        mtime_ns=outcome.mtime_ns,
        encoding=outcome.encoding,
        media_type=outcome.media_type,
        text_source=outcome.text_source or "text",
        ocr_lines=outcome.ocr_lines,
    )


def _source_from_cache(known: KnownFile, prev: _Previous | None) -> SourceFile:
    from warehouse.store import SourceFile

    return SourceFile(
        path=known.path,
        sha256=known.sha256 or "",
        size_bytes=known.size_bytes,
        mtime_ns=known.mtime_ns,
        encoding=prev.encoding if prev else None,
        media_type=prev.media_type if prev else None,
    )


def _carried_failure(known: KnownFile, prev: _Previous | None) -> FailedFile:
    """A failed, unchanged file not tried again: recorded failed with its reason, class and
    count as they were."""
    from warehouse.store import FailedFile

    error = (prev.error if prev else None) or "failed in an earlier run"
    transient = bool(prev and prev.transient)
    return FailedFile(_source_from_cache(known, prev), error, transient, prev.tries if prev else 0)


def _previous_states(wh: Warehouse) -> dict[str, _Previous]:
    _, rows = wh.query(
        "SELECT path, error, encoding, media_type, failure_class = 'transient', "
        "transient_failures FROM source_files"
    )
    return {row[0]: _Previous(row[1], row[2], row[3], bool(row[4]), row[5] or 0) for row in rows}
