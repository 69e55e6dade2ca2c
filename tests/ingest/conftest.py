"""End-to-end fixtures: the real CLI in a subprocess, real DuckDB files in tmp_path."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from tests.ingest.ingest_helpers import Run, run_cli


@pytest.fixture
def rayngan(tmp_path: Path) -> Run:
    """Run ``python -m ingest ARGS`` in tmp_path; returns the CompletedProcess."""

    def run(
        *args: str,
        env: dict[str, str] | None = None,
        timeout: float = 300,
        prefix: Sequence[str] = (),
    ):
        return run_cli(*args, cwd=tmp_path, env=env, timeout=timeout, prefix=prefix)

    return run
