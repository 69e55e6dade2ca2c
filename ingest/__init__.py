"""Ingest: find files, extract their text, parse them and load a warehouse.

The library API (the CLI is built on it)::

    import ingest
    doc = ingest.parse_file("samples/004_a8b6aaaadac5bd4d.txt")   # -> parsers.model.Document
    summary = ingest.ingest_paths(["samples"], "warehouse.duckdb")  # -> RunSummary

Names are imported on first use, so ``import ingest`` (and every worker process) stays light.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "parse_file": "ingest.api",
    "parse_path": "ingest.api",
    "ingest_paths": "ingest.api",
    "ParsedFile": "ingest.api",
    "IngestOptions": "ingest.job.run",
    "RunSummary": "ingest.job.run",
    "Failure": "ingest.job.run",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'ingest' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
