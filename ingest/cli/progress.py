"""Progress of an ingest on stderr: a single rewritten line while a terminal is attached."""

from __future__ import annotations

import logging
import os
import shutil
import sys
import time
from typing import TextIO

from ingest.job.run import EARLIER, Failure, Reporter

log = logging.getLogger("rayngan")


def _clock(seconds: float) -> str:
    seconds = int(max(0, seconds))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def terminal_width(stream: TextIO) -> int:
    """Columns of the terminal ``stream`` is (80 when it cannot tell; $COLUMNS wins)."""
    try:
        return os.get_terminal_size(stream.fileno()).columns or 80
    except (OSError, ValueError, AttributeError):
        return shutil.get_terminal_size((80, 24)).columns


def fit_width(parts: list[str], width: int) -> str:
    """The leading ``parts`` that fit in ``width - 1`` columns (a line that fills the last
    column wraps on many terminals, and ``\r`` then rewrites only its second half).

    >>> fit_width(["1/10 files (10%)", "  2.0 files/s", "  ETA 0:00:05"], 80)
    '1/10 files (10%)  2.0 files/s  ETA 0:00:05'
    >>> fit_width(["1/10 files (10%)", "  2.0 files/s", "  ETA 0:00:05"], 32)
    '1/10 files (10%)  2.0 files/s'
    >>> fit_width(["1,000/10,000 files (10%)"], 12)
    '1,000/10,0…'
    """
    room = max(width - 1, 1)
    text = ""
    for part in parts:
        if len(text) + len(part) > room:
            break
        text += part
    if not text:
        text = parts[0][: room - 1] + "…" if len(parts[0]) > room else parts[0]
    return text


class TerminalReporter(Reporter):
    """Prints failures as they happen and, when ``live``, a progress line with rate and ETA."""

    def __init__(self, *, live: bool, stream: TextIO | None = None) -> None:
        self.live = live
        self.stream = stream or sys.stderr
        self.total = 0
        self.first = 0
        self.done = 0
        self.began = time.monotonic()
        self._last_draw = 0.0
        self._drawn = False
        self._earlier = 0

    def planned(self, total: int, unchanged: int) -> None:
        self.total, self.first, self.done = total, unchanged, unchanged
        self.began = time.monotonic()
        self._draw(force=True)

    def advanced(self, done: int) -> None:
        self.done = done
        self._draw()

    def failed(self, failure: Failure) -> None:
        self._clear()
        if failure.stage == EARLIER:  # one line for all of them, unless --verbose
            self._earlier += 1
            log.debug("still failed %s: %s", failure.path, failure.reason)
            return
        log.warning("failed [%s] %s: %s", failure.stage, failure.path, failure.reason)
        if failure.detail:
            log.debug("%s", failure.detail.rstrip(), extra={"lines": True})
        self._draw(force=True)

    def finished(self) -> None:
        self._clear()
        if self._earlier:
            log.warning(
                "%s file(s) failed in an earlier run and are unchanged: `rayngan status` says "
                "why; --retry-failed tries them again",
                f"{self._earlier:,}",
            )

    def _draw(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if not self.live or (not force and now - self._last_draw < 0.2):
            return
        self._last_draw = now
        worked = self.done - self.first
        elapsed = max(now - self.began, 1e-6)
        rate = worked / elapsed
        left = self.total - self.done
        eta = _clock(left / rate) if rate > 0 else "?"
        pct = 100 * self.done / self.total if self.total else 100
        text = fit_width(
            [
                f"{self.done:,}/{self.total:,} files ({pct:.0f}%)",
                f"  {rate:,.1f} files/s",
                f"  ETA {eta}",
            ],
            terminal_width(self.stream),
        )
        self.stream.write("\r\x1b[K" + text)
        self.stream.flush()
        self._drawn = True

    def _clear(self) -> None:
        if self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._drawn = False
