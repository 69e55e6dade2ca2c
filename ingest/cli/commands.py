"""What each ``rayngan`` command does, given its parsed arguments (see ``parser``)."""

from __future__ import annotations

import argparse
import contextlib
import io
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO, cast

from ingest.cli.parser import default_db
from parsers.errors import RaynganError

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_LOCKED, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


class UsageError(RaynganError):
    """An ordinary mistake on the command line: one plain line, exit status 2."""

    stage = "usage"


@contextlib.contextmanager
def text_output(path: str, *, newline: str | None = None) -> Iterator[TextIO]:
    """``path`` opened for writing text (UTF-8), or standard output for ``-``."""
    if path == "-":
        if newline is not None:
            cast(io.TextIOWrapper, sys.stdout).reconfigure(newline=newline)
        yield sys.stdout
        sys.stdout.flush()
        return
    target = Path(path)
    if target.is_dir():
        raise UsageError(f"{path!r} is a folder; give a file name to write (or - for stdout).")
    if not target.parent.is_dir():
        raise UsageError(
            f"Cannot write {path!r}: the folder {str(target.parent)!r} does not exist."
        )
    with target.open("w", encoding="utf-8", newline=newline) as out:
        yield out


def cmd_ingest(args: argparse.Namespace) -> int:
    db = Path(args.db or default_db())
    from ingest.workers.forkserver import start_if_surely_work

    if args.engine == "local":  # before the slower imports below
        start_if_surely_work(bool(args.paths), args.force, db)
    from ingest.api import ingest_paths
    from ingest.cli.progress import TerminalReporter
    from ingest.job.exclude import load_config
    from ingest.job.run import paths_to_retry

    paths = list(args.paths)
    if not paths and args.retry_failed:
        paths = paths_to_retry(db)
        if not paths:
            print("rayngan: no failed files to retry", file=sys.stderr)
            return EXIT_OK
    elif not paths:
        raise UsageError("ingest needs at least one PATH (or --retry-failed).")
    kind_dirs = kind_dirs_of(args)
    reporter = TerminalReporter(live=sys.stderr.isatty() and not args.quiet)
    summary = ingest_paths(
        paths,
        db,
        reporter=reporter,
        workers=args.workers,
        force=args.force,
        retry_failed=args.retry_failed,
        encoding=args.encoding,
        file_timeout=args.file_timeout,
        max_bytes=args.max_bytes,
        exclude=(*load_config(db).exclude, *args.exclude),
        kind_dirs=kind_dirs,
        follow_symlinks=args.follow_symlinks,
        ocr=args.ocr,
        ocr_page_timeout=args.ocr_page_timeout,
        engine=args.engine,
        ray_address=args.ray_address,
        ray_shared_root=args.ray_shared_root,
        tune_process=True,  # this process is ours alone
    )
    print(summary.line())
    return EXIT_FAILED if summary.new_failed else EXIT_OK


def cmd_inspect(args: argparse.Namespace) -> int:
    from ingest.cli.inspect import inspect_file

    kind_dirs = kind_dirs_of(args)
    return inspect_file(args.file, as_json=args.json, encoding=args.encoding, kind_dirs=kind_dirs)


def kind_dirs_of(args: argparse.Namespace) -> tuple[str, ...]:
    """The --kinds folders, their kind files checked now: a bad one is a usage error."""
    from parsers.errors import KindFileError
    from parsers.registry import registry

    dirs = tuple(str(Path(d).resolve()) for d in args.kinds)
    try:
        registry(dirs)
    except KindFileError as exc:
        raise UsageError(str(exc)) from exc
    return dirs


def read_sql(args: argparse.Namespace) -> str:
    """The SQL of ``query``: the argument, ``-f FILE`` or standard input (``-``)."""
    if args.sql is not None and args.file is not None:
        raise UsageError("Give the SQL either as an argument or with -f FILE, not both.")
    source = args.file if args.file is not None else args.sql
    if source is None:
        raise UsageError("query needs SQL: an argument, -f FILE, or - to read standard input.")
    if source == "-":
        sql = sys.stdin.read()
    elif args.file is not None:
        try:
            sql = Path(args.file).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"Cannot read the SQL file {args.file!r}: {exc}.") from exc
    else:
        sql = source
    if not sql.strip().rstrip(";").strip():
        raise UsageError("The SQL is empty; give a statement such as 'SELECT * FROM documents'.")
    return sql


def cmd_query(args: argparse.Namespace) -> int:
    from ingest.cli.output import write_rows
    from warehouse.store import Warehouse

    sql = read_sql(args)
    fmt = "csv" if args.excel and args.format in ("table", "json") else args.format
    db = args.db or default_db()
    with Warehouse.open(db, read_only=True, wait_seconds=10, sandboxed=True) as wh:  # no files
        try:
            columns, rows = wh.query(sql)
        except RaynganError as exc:  # the analyst's SQL: a usage mistake, not a crash
            raise UsageError(exc.message) from exc
    newline = "" if fmt in ("csv", "tsv") else None
    with text_output(args.output, newline=newline) as out:
        if args.excel:
            out.write("\ufeff")
        write_rows(columns, rows, fmt, out, null=args.null, excel=args.excel)
    return EXIT_OK


def cmd_search(args: argparse.Namespace) -> int:
    from ingest.job.paths import for_terminal
    from warehouse.search import search
    from warehouse.store import Warehouse

    with Warehouse.open(args.db or default_db(), read_only=True, wait_seconds=10) as wh:
        hits = search(wh, args.text, kind=args.kind, fiscal_year=args.fiscal_year, limit=args.limit)
    for hit in hits:
        print(for_terminal(f"{hit.location}: {hit.text.strip()}"))
    if not hits:
        print(f"rayngan: no line contains {args.text!r}", file=sys.stderr)
    return EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    from ingest.cli.output import write_status
    from warehouse.store import Warehouse

    with Warehouse.open(args.db or default_db(), read_only=True, wait_seconds=10) as wh:
        status = wh.status()
    write_status(status, sys.stdout)
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from warehouse.store import Warehouse

    to_stdout = args.directory == "-"
    if to_stdout and args.format != "xlsx":
        raise UsageError(
            f"export --format {args.format} writes a folder of files; '-' (standard output) "
            "works with --format xlsx only."
        )
    with Warehouse.open(args.db or default_db(), read_only=True, wait_seconds=10) as wh:
        if to_stdout:
            with tempfile.TemporaryDirectory(prefix="rayngan-export-") as tmp:
                wh.export(Path(tmp) / "out", "xlsx")
                book = next((Path(tmp) / "out").glob("*.xlsx"))
                with book.open("rb") as data:
                    shutil.copyfileobj(data, sys.stdout.buffer)
                sys.stdout.buffer.flush()
            return EXIT_OK
        counts = wh.export(args.directory, args.format)
    for table, rows in counts.items():
        print(f"{table:<24} {rows:>10,} rows")
    print(f"wrote {len(counts)} tables and views to {args.directory} as {args.format}")
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from warehouse.report import ReportFilter, write_report

    where = ReportFilter(fiscal_year=args.fiscal_year, agency=args.agency, kind=args.kind)
    if args.out == "-":
        write_report(args.db or default_db(), sys.stdout, where=where)
        return EXIT_OK
    out = Path(args.out)
    if out.is_dir():
        raise UsageError(f"{args.out!r} is a folder; give the report's file name (or -).")
    if not out.parent.is_dir():
        raise UsageError(
            f"Cannot write {args.out!r}: the folder {str(out.parent)!r} does not exist."
        )
    written = write_report(args.db or default_db(), out, where=where)
    print(f"wrote {written}", file=sys.stderr)
    return EXIT_OK


HANDLERS = {
    "ingest": cmd_ingest,
    "inspect": cmd_inspect,
    "query": cmd_query,
    "search": cmd_search,
    "status": cmd_status,
    "export": cmd_export,
    "report": cmd_report,
}
