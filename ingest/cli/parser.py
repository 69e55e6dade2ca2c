"""The argument parser of ``rayngan``: every command, its options and its examples.

Conventions (as in sqlite-utils, the duckdb CLI and csvkit): ``--version``; ``--verbose``
on every command; ``-`` means standard output wherever a file is written (and standard
input for ``query -`` / ``query -f -``).
"""

from __future__ import annotations

import argparse
import os
import re
from importlib import metadata

KINDS = ("kpi_form", "project_progress", "kr_sheet", "kpi_detail", "generic")

EXIT_CODES = """\
exit status: 0 ok; 1 files failed that had not failed before (ingest), a file that
cannot be parsed (inspect) or a warehouse that cannot be read; 2 bad usage (a
wrong option, a path or SQL mistake, an output that cannot be written);
3 another process holds the warehouse; 130 interrupted."""

INGEST_EXAMPLES = """\
examples:
  rayngan ingest samples                      # a folder, recursively
  rayngan ingest 'exports/**/*.txt' more.pdf  # globs (quoted) and single files
  rayngan ingest /data/exports --db /data/warehouse.duckdb --workers 2 --quiet
  rayngan ingest exports --exclude '*.bak' --exclude 'exports/broken/*'
  rayngan ingest exports --force              # re-parse everything
  rayngan ingest --retry-failed               # try again the files that failed before
  rayngan ingest scans --file-timeout 600     # scanned PDFs and images: OCR needs time
  rayngan ingest exports --no-ocr -v          # no OCR; -v names every skipped file

Inputs: text, PDF, HTML (.mht too), .zip; Word (.docx, .doc with antiword, .rtf),
Excel (.xlsx, .xls), PowerPoint (.pptx; .ppt with LibreOffice), OpenDocument (.odt,
.ods, .odp); an .xls or .doc that holds HTML or text is read as that; scanned PDFs,
images (.png, .jpg, .tif, .bmp, .gif, .webp) and Word files of pasted scans read by
tesseract in Thai and English.

Unchanged files are skipped without being read (path, size and mtime match the
warehouse).  Excluded patterns also come from rayngan.toml beside the warehouse:
  [ingest]
  exclude = ["*.bak", "exports/broken/*"]
Exit status: 0 every file loaded or unchanged, or failed only files that had failed
before (`rayngan status` lists them); 1 a file failed that had not failed before (the
rest are loaded); 2 bad usage; 3 another process holds the warehouse.
"""

INSPECT_EXAMPLES = """\
examples:
  rayngan inspect samples/004_a8b6aaaadac5bd4d.txt
  rayngan inspect report.pdf --json > report.json
  rayngan inspect old-export.txt --encoding cp874

Touches no database.  Exit status 1 (with the reason) when the file cannot be parsed.
"""

QUERY_EXAMPLES = """\
examples:
  rayngan query "SELECT kind, count(*) FROM documents GROUP BY kind"
  rayngan query -f recipe.sql --format csv --excel -o kpis.csv   # opens in Excel, Thai intact
  echo "SELECT code, title FROM latest_documents" | rayngan query - --format json
  rayngan query "SELECT * FROM monthly_reach ORDER BY month" --format csv > reach.csv

NULL shows as NULL in tables (--null changes it; empty in CSV), booleans as true/false.
The connection is read-only; while an ingest is writing a batch the query waits
(up to 10 s) and then runs.  A SQL mistake exits 2 with DuckDB's message.
"""

SEARCH_EXAMPLES = """\
examples:
  rayngan search "ผู้สูงอายุ"
  rayngan search "ค่าเป้าหมาย" --kind generic --fiscal-year 2567 --limit 20

Prints file:line (file:line:page for a PDF) and the line, newest reports first.  Any
substring of a line matches (Thai needs no word breaks).  Read-only, like query.
"""

STATUS_EXAMPLES = """\
examples:
  rayngan status
  rayngan status --db /data/warehouse.duckdb

Lists the failed files and why: these are the known failures that no longer make
`rayngan ingest` exit 1.
"""

EXPORT_EXAMPLES = """\
examples:
  rayngan export out/parquet
  rayngan export out/excel --format xlsx          # one workbook, a sheet per table
  rayngan export out/csv --format csv             # UTF-8 with a BOM: Excel shows Thai
  rayngan export - --format xlsx > warehouse.xlsx

DIR must be new, empty or an earlier export: a folder holding anything else is
refused, and nothing export did not write is ever deleted.
"""

REPORT_EXAMPLES = """\
examples:
  rayngan report
  rayngan report --out /srv/share/rayngan.html --db /data/warehouse.duckdb
  rayngan report --fiscal-year 2566 --agency สำนักงานเขต --kind kpi_detail --out fy66.html
  rayngan report --out - > report.html

One self-contained HTML file (inline CSS and SVG, no network, no scripts): documents by
kind and fiscal year, failed files, KPIs met / missed / no result per agency and year,
every KPI, reach over time, progress curves and the anomalies, each fact linked to its
file and line.  Full tables are written as CSV files beside the page (REPORT_files/).
The warehouse is opened read-only.
"""


def version() -> str:
    try:
        return metadata.version("rayngan")
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"


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


def fiscal_year(text: str) -> int:
    if not text.strip().isdigit() or not 2400 <= int(text) <= 2700:
        raise argparse.ArgumentTypeError(f"{text!r} is not a Buddhist-era fiscal year like 2566")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rayngan",
        description="Turn archives of Thai government report exports into a DuckDB warehouse.",
        epilog="Run `rayngan COMMAND --help` for the options and examples of each command.\n\n"
        + EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"rayngan {version()}")
    parser.add_argument("--verbose", "-v", action="store_true", help="tracebacks and details")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_ingest(commands)
    _add_inspect(commands)
    _add_query(commands)
    _add_search(commands)
    _add_status(commands)
    _add_export(commands)
    _add_report(commands)
    return parser


def _sub(commands: argparse._SubParsersAction, name: str, text: str, epilog: str):
    sub = commands.add_parser(
        name,
        help=text,
        description=text,
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    if name != "ingest":  # ingest pairs it with --quiet
        sub.add_argument(
            "--verbose", "-v", action="store_true", default=argparse.SUPPRESS, help=_VERBOSE
        )
    return sub


_VERBOSE = "log what is done and the traceback of any error on stderr"


def _add_db(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--db",
        default=None,
        metavar="FILE",
        help="the warehouse file (default: $RAYNGAN_DB, else ./warehouse.duckdb)",
    )


def _add_ingest(commands: argparse._SubParsersAction) -> None:
    from ingest.job.limits import DEFAULT_FILE_TIMEOUT, DEFAULT_OCR_PAGE_TIMEOUT

    sub = _sub(commands, "ingest", "Load files, folders (recursively) and globs.", INGEST_EXAMPLES)
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
        "--exclude",
        action="append",
        default=[],
        metavar="GLOB",
        help="skip files whose name (or a folder name) matches GLOB, or whose path matches "
        "a GLOB with '/'; repeatable; added to [ingest] exclude of rayngan.toml",
    )
    sub.add_argument(
        "--encoding",
        metavar="ENC",
        help="decode text files with ENC (e.g. cp874) instead of detecting it",
    )
    sub.add_argument(
        "--follow-symlinks",
        action="store_true",
        help="follow symbolic links met in folders and globs wherever they point (default: "
        "only links to files inside the folder given; link loops are walked once)",
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
        "--max-bytes",
        type=parse_size,
        default="50MB",
        metavar="N",
        help="files larger than this fail unread (default: 50MB)",
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
    add_kinds(sub)
    add_engine(sub)
    noise = sub.add_mutually_exclusive_group()
    noise.add_argument(
        "--quiet",
        "-q",
        action="store_true",
        help="no progress line (failures and the summary are still printed)",
    )
    noise.add_argument(
        "--verbose", "-v", action="store_true", default=argparse.SUPPRESS, help=_VERBOSE
    )
    sub.set_defaults(handler="ingest")


def add_engine(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--engine",
        choices=("local", "ray"),
        default="local",
        help="where files are extracted and parsed: worker processes on this machine "
        "(default) or tasks on a Ray cluster (pip install 'rayngan[ray]'); the loader is "
        "always this process",
    )
    sub.add_argument(
        "--ray-address",
        metavar="ADDR",
        help="the Ray cluster to use (e.g. head:6379, auto, ray://head:10001); default: "
        "$RAY_ADDRESS, else a local Ray of --workers CPUs started for this run",
    )
    sub.add_argument(
        "--ray-shared-root",
        metavar="DIR",
        help="files under DIR are read by the Ray workers themselves (a file system every "
        "node mounts at the same path); others are sent to them as bytes",
    )


def _add_inspect(commands: argparse._SubParsersAction) -> None:
    sub = _sub(
        commands, "inspect", "Parse one file and show what would be loaded.", INSPECT_EXAMPLES
    )
    sub.add_argument("file", metavar="FILE")
    sub.add_argument("--json", action="store_true", help="print the whole document as JSON")
    sub.add_argument("--encoding", metavar="ENC", help="decode with ENC instead of detecting it")
    add_kinds(sub)
    sub.set_defaults(handler="inspect")


def add_kinds(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--kinds",
        action="append",
        default=[],
        metavar="DIR",
        help="also detect the report kinds defined by the kind files (*.toml) in DIR "
        "(repeatable; see docs/adding-a-kind.md)",
    )


def _add_query(commands: argparse._SubParsersAction) -> None:
    sub = _sub(commands, "query", "Run SQL on a read-only connection.", QUERY_EXAMPLES)
    sub.add_argument("sql", nargs="?", metavar="SQL", help="the SQL; '-' reads it from stdin")
    sub.add_argument(
        "--file", "-f", metavar="FILE", help="read the SQL from FILE ('-' = standard input)"
    )
    _add_db(sub)
    sub.add_argument(
        "--format",
        choices=("table", "csv", "tsv", "json"),
        default="table",
        help="output format (default: table)",
    )
    sub.add_argument(
        "--excel",
        "--bom",
        action="store_true",
        help="CSV/TSV for Excel: UTF-8 with a byte-order mark and CRLF line ends "
        "(Excel then shows Thai); implies --format csv unless tsv is asked",
    )
    sub.add_argument("--null", metavar="TEXT", help="how NULL is shown (default: NULL; CSV: '')")
    sub.add_argument(
        "--output", "-o", metavar="FILE", default="-", help="write to FILE (default: - = stdout)"
    )
    sub.set_defaults(handler="query")


def _add_search(commands: argparse._SubParsersAction) -> None:
    sub = _sub(
        commands, "search", "Find the lines of any document that contain TEXT.", SEARCH_EXAMPLES
    )
    sub.add_argument("text", metavar="TEXT")
    _add_db(sub)
    sub.add_argument("--kind", default=None, metavar="K", help="only documents of this kind")
    sub.add_argument(
        "--fiscal-year", type=int, default=None, metavar="N", help="only this fiscal year (2567)"
    )
    sub.add_argument(
        "--limit", type=positive_int, default=100, metavar="N", help="at most N lines (100)"
    )
    sub.set_defaults(handler="search")


def _add_status(commands: argparse._SubParsersAction) -> None:
    sub = _sub(
        commands,
        "status",
        "Documents per kind and fiscal year, the last runs, the failed files and why.",
        STATUS_EXAMPLES,
    )
    _add_db(sub)
    sub.set_defaults(handler="status")


def _add_export(commands: argparse._SubParsersAction) -> None:
    sub = _sub(
        commands,
        "export",
        "Write every table as Parquet, CSV (UTF-8 with a BOM) or one Excel workbook.",
        EXPORT_EXAMPLES,
    )
    sub.add_argument("directory", metavar="DIR", help="a new or empty folder ('-': xlsx to stdout)")
    _add_db(sub)
    sub.add_argument(
        "--format",
        choices=("parquet", "csv", "xlsx"),
        default="parquet",
        help="parquet (default), csv (a file per table) or xlsx (one workbook)",
    )
    sub.set_defaults(handler="export")


def _add_report(commands: argparse._SubParsersAction) -> None:
    sub = _sub(commands, "report", "Write an offline HTML report with charts.", REPORT_EXAMPLES)
    sub.add_argument(
        "--out",
        "-o",
        default="report.html",
        metavar="FILE",
        help="where to write (default: report.html; '-' = stdout, without the CSV files)",
    )
    _add_db(sub)
    sub.add_argument("--fiscal-year", type=fiscal_year, metavar="N", help="only fiscal year N")
    sub.add_argument("--agency", metavar="TEXT", help="only agencies whose name contains TEXT")
    sub.add_argument("--kind", choices=KINDS, help="only reports of this kind")
    sub.set_defaults(handler="report")
