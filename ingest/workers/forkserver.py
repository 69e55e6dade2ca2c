"""The workers' fork server, in a module light enough for the CLI to start it first thing.

Workers come from a small fork server started before the parent grows.  Forked straight
from the parent, every worker (and every recycled one) would keep private copies of the
pages the parent dirties while loading (copy-on-write), which took a 100,000-file run past
1 GB.  The server imports the parsers once, so a new worker still starts in milliseconds.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.context
import sys
from collections.abc import Iterator
from pathlib import Path

# What every worker imports; imported once before workers are forked so they share it.
PRELOAD_MODULES: tuple[str, ...] = (
    "ingest.workers.worker",
    "ingest.extract.dispatch",
    "parsers.registry",
    "warehouse.rows",
    "normalize.preload",  # the repair dictionary, shared instead of loaded by each worker
)


def context() -> multiprocessing.context.ForkContext | multiprocessing.context.ForkServerContext:
    from ingest.workers.tempdirs import use_run_tempdir

    use_run_tempdir()  # the fork server's pymp-* folder goes in there (gone after a kill)
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(list(PRELOAD_MODULES))
    return ctx


def start_early() -> None:
    """Start the fork server now: its imports (~0.1 s, in its own process) then overlap the
    caller's own imports, file discovery and warehouse opening instead of delaying the
    first worker.  Does nothing when it already runs."""
    if context().get_start_method() != "forkserver":
        return
    from multiprocessing import forkserver

    with contextlib.suppress(OSError), main_script_hidden():  # OSError: the first worker
        forkserver.ensure_running()  # start then reports the problem


@contextlib.contextmanager
def main_script_hidden() -> Iterator[None]:
    """Multiprocessing has the server and each worker import the caller's ``__main__``
    script, re-running a script that calls the API without a ``__main__`` guard; workers
    need only rayngan's modules.  Wrap every server and worker start in this."""
    main = sys.modules.get("__main__")
    saved = getattr(main, "__file__", None)
    if main is None or saved is None:
        yield
        return
    del main.__file__
    try:
        yield
    finally:
        main.__file__ = saved


def start_if_surely_work(has_inputs: bool, force: bool, db: Path) -> None:
    """Start the fork server early when every input will be parsed: a new warehouse, or
    ``--force``.  Otherwise the stat cache may find nothing to do (the nightly no-op re-run,
    which must not pay for a server), and the job starts it once its plan has work."""
    if has_inputs and (force or not db.exists()):
        start_early()
