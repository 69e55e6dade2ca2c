"""Progress of an ingest on stderr: a single rewritten line while a terminal is attached."""

from __future__ import annotations

import logging
import sys
import time
from typing import TextIO

from ingest.job.run import EARLIER, Failure, Reporter

log = logging.getLogger("rayngan")


def _clock(seconds: float) -> str:
    seconds = int(max(0, seconds))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


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
        text = f"{self.done:,}/{self.total:,} files ({pct:.0f}%)  {rate:,.1f} files/s  ETA {eta}"
        self.stream.write("\r\x1b[K" + text)
        self.stream.flush()
        self._drawn = True

    def _clear(self) -> None:
        if self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._drawn = False
