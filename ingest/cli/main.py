"""The rayngan command line: ingest, inspect, query, status, export, report.

Exit status: 0 ok; 1 a file failed (ingest, inspect) or a query/warehouse error;
2 bad usage; 3 the warehouse is held by another writer; 130 interrupted.
Errors are one plain line on stderr; ``--verbose`` adds tracebacks.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from parsers.errors import RaynganError, WarehouseLockedError

log = logging.getLogger("rayngan")

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_LOCKED, EXIT_INTERRUPTED = 0, 1, 2, 3, 130

_INGEST_EXAMPLES = """\
examples:
  rayngan ingest samples                      # a folder, recursively
  rayngan ingest 'exports/**/*.txt' more.pdf  # globs (quoted) and single files
  rayngan ingest /data/exports --db /data/warehouse.duckdb --workers 2 --quiet
  rayngan ingest exports --force              # re-parse everything
  rayngan ingest --retry-failed               # try again the files that failed before
  rayngan ingest scans --file-timeout 600     # scanned PDFs and images: OCR needs time
  rayngan ingest exports --no-ocr -v          # no OCR; -v names every skipped file

Inputs: text, PDF, HTML, .zip; Word (.docx, .doc with antiword), Excel (.xlsx, .xls),
OpenDocument (.odt, .ods); scanned PDFs and images (.png, .jpg, .tif) read by
tesseract in Thai and English.

Unchanged files are skipped without being read (path, size and mtime match the
warehouse).  Exit status: 0 all loaded or unchanged, 1 some file failed (the
rest are loaded), 2 bad usage, 3 another process holds the warehouse.
"""

_INSPECT_EXAMPLES = """\
examples:
  rayngan inspect samples/004_a8b6aaaadac5bd4d.txt
  rayngan inspect report.pdf --json > report.json
  rayngan inspect old-export.txt --encoding cp874

Touches no database.  Exit status 1 (with the reason) when the file cannot be parsed.
"""

_QUERY_EXAMPLES = """\
examples:
  rayngan query "SELECT kind, count(*) FROM documents GROUP BY kind"
  rayngan query "SELECT * FROM monthly_reach ORDER BY month" --format csv > reach.csv
  rayngan query "SELECT code, title FROM latest_documents" --format json

The connection is read-only; while an ingest is writing a batch the query waits
(up to 10 s) and then runs.
"""

_STATUS_EXAMPLES = """\
examples:
  rayngan status
  rayngan status --db /data/warehouse.duckdb
"""

_EXPORT_EXAMPLES = """\
examples:
  rayngan export out/parquet
  rayngan export /srv/share/rayngan --db /data/warehouse.duckdb
"""


def default_db() -> str:
    return os.environ.get("RAYNGAN_DB") or "warehouse.duckdb"


def parse_size(text: str) -> int:
    """'50000', '50MB', '50M', '2 GiB' -> bytes (powers of 1024)."""
    match = re.fullmatch(r"\s*(\d+)\s*([kmgt]?)(i?b)?\s*", text.lower())
    if not match:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size such as 50000, 50MB or 2G")
    power = "_kmgt".index(match.group(2) or "_")
    return int(match.group(1)) * 1024**power


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return value


def seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if value < 0 or value != value:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds (0 = no limit)")
    return value


_REPORT_EXAMPLES = """\
examples:
  rayngan report
  rayngan report --out /srv/share/rayngan.html --db /data/warehouse.duckdb

One self-contained HTML file (inline CSS and SVG, no network): documents by kind and
fiscal year, failed files, KPI results against targets, reach over time per project,
progress curves and the anomalies.  The warehouse is opened read-only.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rayngan",
        description="Turn archives of Thai government report exports into a DuckDB warehouse.",
        epilog="Run `rayngan COMMAND --help` for the options and examples of each command.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_ingest(commands)
    _add_inspect(commands)
    _add_query(commands)
    _add_status(commands)
    _add_export(commands)
    _add_report(commands)
    return parser


def _sub(commands: argparse._SubParsersAction, name: str, text: str, epilog: str):
    return commands.add_parser(
        name,
        help=text,
        description=text,
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def _add_db(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--db",
        default=None,
        metavar="FILE",
        help="the warehouse file (default: $RAYNGAN_DB, else ./warehouse.duckdb)",
    )


def _add_ingest(commands: argparse._SubParsersAction) -> None:
    from ingest.job.limits import DEFAULT_FILE_TIMEOUT, DEFAULT_OCR_PAGE_TIMEOUT

    sub = _sub(commands, "ingest", "Load files, folders (recursively) and globs.", _INGEST_EXAMPLES)
    sub.add_argument("paths", nargs="*", metavar="PATH", help="files, folders or glob patterns")
    _add_db(sub)
    sub.add_argument(
        "--workers",
        type=positive_int,
        default=os.cpu_count() or 1,
        metavar="N",
        help="worker processes that parse (default: the number of CPUs)",
    )
    sub.add_argument(
        "--force", action="store_true", help="re-parse and reload every file, changed or not"
    )
    sub.add_argument(
        "--retry-failed",
        action="store_true",
        help="try again files whose last status is failed, even if unchanged "
        "(with no PATH: every such file the warehouse knows)",
    )
    sub.add_argument(
        "--encoding",
        metavar="ENC",
        help="decode text files with ENC (e.g. cp874) instead of detecting it",
    )
    sub.add_argument(
        "--file-timeout",
        type=seconds,
        default=DEFAULT_FILE_TIMEOUT,
        metavar="S",
        help="time budget per file in seconds; past it the file fails "
        "(default: %(default)g; 0 = no limit)",
    )
    sub.add_argument(
        "--no-ocr",
        dest="ocr",
        action="store_false",
        help="do not read scanned pages with tesseract: scanned PDFs fail, images are skipped",
    )
    sub.add_argument(
        "--ocr-page-timeout",
        type=seconds,
        default=DEFAULT_OCR_PAGE_TIMEOUT,
        metavar="S",
        help="time budget of one page read by OCR; the file's --file-timeout still bounds "
        "all its pages together (default: %(default)g)",
    )
    sub.add_argument(
        "--max-bytes",
        type=parse_size,
        default="50MB",
        metavar="N",
        help="files larger than this fail unread (default: 50MB)",
    )
    noise = sub.add_mutually_exclusive_group()
    noise.add_argument(
        "--quiet",
        "-q",
        action="store_true",
        help="no progress line (failures and the summary are still printed)",
    )
    noise.add_argument(
        "--verbose",
        "-v",
        action="store_true",
        help="log every stage and the traceback of each failure on stderr",
    )
    sub.set_defaults(handler=cmd_ingest)


def _add_inspect(commands: argparse._SubParsersAction) -> None:
    sub = _sub(
        commands, "inspect", "Parse one file and show what would be loaded.", _INSPECT_EXAMPLES
    )
    sub.add_argument("file", metavar="FILE")
    sub.add_argument("--json", action="store_true", help="print the whole document as JSON")
    sub.add_argument("--encoding", metavar="ENC", help="decode with ENC instead of detecting it")
    sub.add_argument("--verbose", "-v", action="store_true", help="show the traceback of a failure")
    sub.set_defaults(handler=cmd_inspect)


def _add_query(commands: argparse._SubParsersAction) -> None:
    sub = _sub(commands, "query", "Run SQL on a read-only connection.", _QUERY_EXAMPLES)
    sub.add_argument("sql", metavar="SQL")
    _add_db(sub)
    sub.add_argument(
        "--format",
        choices=("table", "csv", "json"),
        default="table",
        help="output format (default: table)",
    )
    sub.set_defaults(handler=cmd_query)


def _add_status(commands: argparse._SubParsersAction) -> None:
    sub = _sub(
        commands,
        "status",
        "Documents per kind and fiscal year, the last runs, the failed files and why.",
        _STATUS_EXAMPLES,
    )
    _add_db(sub)
    sub.set_defaults(handler=cmd_status)


def _add_export(commands: argparse._SubParsersAction) -> None:
    sub = _sub(commands, "export", "Write every table as Parquet.", _EXPORT_EXAMPLES)
    sub.add_argument("directory", metavar="DIR")
    _add_db(sub)
    sub.set_defaults(handler=cmd_export)


def _add_report(commands: argparse._SubParsersAction) -> None:
    sub = _sub(commands, "report", "Write an offline HTML report with charts.", _REPORT_EXAMPLES)
    sub.add_argument(
        "--out", default="report.html", metavar="FILE", help="where to write (default: report.html)"
    )
    _add_db(sub)
    sub.set_defaults(handler=cmd_report)


# ---------------------------------------------------------------- commands


def cmd_ingest(args: argparse.Namespace) -> int:
    db = Path(args.db or default_db())
    from ingest.workers.forkserver import start_if_surely_work

    start_if_surely_work(bool(args.paths), args.force, db)  # before the slower imports below
    from ingest.cli.progress import TerminalReporter
    from ingest.job.run import IngestOptions, paths_to_retry, run_ingest

    paths = list(args.paths)
    if not paths and args.retry_failed:
        paths = paths_to_retry(db)
        if not paths:
            print("rayngan: no failed files to retry", file=sys.stderr)
            return EXIT_OK
    elif not paths:
        raise _UsageError("ingest needs at least one PATH (or --retry-failed)")
    options = IngestOptions(
        db=db,
        workers=args.workers,
        force=args.force,
        retry_failed=args.retry_failed,
        encoding=args.encoding,
        file_timeout=args.file_timeout,
        max_bytes=args.max_bytes,
        ocr=args.ocr,
        ocr_page_timeout=args.ocr_page_timeout,
    )
    reporter = TerminalReporter(live=sys.stderr.isatty() and not args.quiet)
    summary = run_ingest(paths, options, reporter)
    print(summary.line())
    return EXIT_FAILED if summary.failed else EXIT_OK


def cmd_inspect(args: argparse.Namespace) -> int:
    from ingest.cli.inspect import inspect_file

    return inspect_file(args.file, as_json=args.json, encoding=args.encoding)


def cmd_query(args: argparse.Namespace) -> int:
    from ingest.cli.output import write_rows
    from warehouse.store import Warehouse

    with Warehouse.open(args.db or default_db(), read_only=True, wait_seconds=10) as wh:
        columns, rows = wh.query(args.sql)
    write_rows(columns, rows, args.format, sys.stdout)
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

    with Warehouse.open(args.db or default_db(), read_only=True, wait_seconds=10) as wh:
        counts = wh.export_parquet(args.directory)
    for table, rows in counts.items():
        print(f"{table:<24} {rows:>10,} rows")
    print(f"wrote {len(counts)} tables to {args.directory}")
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from warehouse.report import write_report

    out = write_report(args.db or default_db(), args.out)
    print(f"wrote {out}")
    return EXIT_OK


# ---------------------------------------------------------------- main


class _UsageError(Exception):
    pass


def _configure_logging(verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("rayngan: %(message)s"))
    log.handlers[:] = [handler]
    log.setLevel(logging.DEBUG if verbose else logging.INFO)
    log.propagate = False


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    verbose = bool(getattr(args, "verbose", False))
    _configure_logging(verbose)
    signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        return args.handler(args)
    except _UsageError as exc:
        parser.error(str(exc))  # exits 2
    except WarehouseLockedError as exc:
        print(f"rayngan: {exc.reason}", file=sys.stderr)
        return EXIT_LOCKED
    except RaynganError as exc:
        log.debug("details", exc_info=verbose)
        print(f"rayngan: {exc}", file=sys.stderr)
        return EXIT_USAGE if exc.stage == "discover" else EXIT_FAILED
    except KeyboardInterrupt:
        print("\nrayngan: interrupted; what was loaded so far is kept", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `rayngan query ... | head`: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no flush error at exit
        return EXIT_OK
    except Exception as exc:
        if verbose:
            log.exception("internal error")
        print(
            f"rayngan: internal error: {type(exc).__name__}: {exc} "
            "(run with --verbose for details)",
            file=sys.stderr,
        )
        return EXIT_FAILED
    return EXIT_OK
