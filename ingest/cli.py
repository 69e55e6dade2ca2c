"""The rayngan command line (placeholder until the ingest job lands)."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    print("rayngan: not implemented yet", file=sys.stderr)
    return 2
