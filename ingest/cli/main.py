"""The rayngan command line: ingest, inspect, query, status, export, report.

Exit status (for monitoring): 0 ok; 1 files failed that had not failed before (ingest), a
file that cannot be parsed (inspect), a warehouse that cannot be read; 2 bad usage (an
option, a path, SQL or an output that is wrong: one plain line, never a traceback);
3 the warehouse is held by another process; 130 interrupted.
Errors are one plain line on stderr; ``--verbose`` (on every command) adds tracebacks.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
from collections.abc import Sequence
from types import FrameType

from ingest.cli.commands import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_LOCKED,
    EXIT_OK,
    EXIT_USAGE,
    HANDLERS,
    UsageError,
)
from ingest.cli.parser import build_parser
from parsers.errors import RaynganError, WarehouseLockedError

log = logging.getLogger("rayngan")
# RaynganError stages that are the user's mistake rather than a failure of the data
_USAGE_STAGES = frozenset({"usage", "discover"})


class _TerminalFormatter(logging.Formatter):
    """Control characters in a message (a file name with a newline or an escape sequence)
    shown as escapes: a name cannot forge a line.  Records logged with
    ``extra={"lines": True}`` (tracebacks) keep their newlines."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        from ingest.job.paths import for_terminal

        text = super().formatMessage(record)
        if getattr(record, "lines", False):
            return "\n".join(for_terminal(line) for line in text.split("\n"))
        return for_terminal(text)


def _configure_logging(verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_TerminalFormatter("rayngan: %(message)s"))
    log.handlers[:] = [handler]
    log.setLevel(logging.DEBUG if verbose else logging.INFO)
    log.propagate = False


def _on_stop_signal(signum: int, frame: FrameType | None) -> None:
    """SIGTERM and SIGINT: end every wait for the warehouse (``STOP``) and unwind (exit 130)."""
    from warehouse.stop import STOP

    STOP.set()
    raise KeyboardInterrupt


def _shown(text: str) -> str:
    from ingest.job.paths import for_terminal

    return for_terminal(text)


def _is_missing_warehouse(exc: RaynganError) -> bool:
    return exc.message.startswith("There is no warehouse")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    verbose = bool(getattr(args, "verbose", False))
    _configure_logging(verbose)
    signal.signal(signal.SIGTERM, _on_stop_signal)
    signal.signal(signal.SIGINT, _on_stop_signal)
    try:
        return HANDLERS[args.handler](args)
    except WarehouseLockedError as exc:
        print(f"rayngan: {_shown(exc.reason)}", file=sys.stderr)
        return EXIT_LOCKED
    except RaynganError as exc:
        log.debug("details", exc_info=verbose)
        print(f"rayngan: {_shown(str(exc))}", file=sys.stderr)
        usage = isinstance(exc, UsageError) or exc.stage in _USAGE_STAGES
        return EXIT_USAGE if usage or _is_missing_warehouse(exc) else EXIT_FAILED
    except KeyboardInterrupt:
        print("\nrayngan: interrupted; what was loaded so far is kept", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `rayngan query ... | head`: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no flush error at exit
        return EXIT_OK
    except OSError as exc:  # a path the user gave cannot be read or written
        log.debug("details", exc_info=verbose)
        where = f" {exc.filename!r}" if exc.filename else ""
        print(f"rayngan: cannot use{where}: {exc.strerror or exc}.", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:
        if verbose:
            log.exception("internal error")
        print(
            f"rayngan: internal error: {type(exc).__name__}: {_shown(str(exc))} "
            "(run with --verbose for details)",
            file=sys.stderr,
        )
        return EXIT_FAILED
