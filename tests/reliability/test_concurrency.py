"""Analysts query while the nightly ingest runs: every read-only query gets in."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from tests.ingest.ingest_helpers import make_batch, run_cli, scalar

FILES = 2500  # several load batches


@pytest.mark.slow
def test_queries_succeed_while_an_ingest_is_loading(tmp_path):
    make_batch(tmp_path / "in", FILES)
    db = tmp_path / "w.duckdb"
    ingest = subprocess.Popen(
        [sys.executable, "-m", "ingest", "ingest", "in", "--db", str(db), "--quiet"],
        cwd=tmp_path,
        env={**os.environ},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    counts, slowest = [], 0.0
    while ingest.poll() is None:
        if not db.exists():
            time.sleep(0.1)
            continue
        began = time.monotonic()
        result = run_cli(
            "query",
            "SELECT count(*) AS n FROM documents",
            "--db",
            str(db),
            "--format",
            "csv",
            cwd=tmp_path,
            timeout=60,
        )
        slowest = max(slowest, time.monotonic() - began)
        assert result.returncode == 0, result.stderr
        counts.append(int(result.stdout.splitlines()[1]))
    _, stderr = ingest.communicate()
    assert ingest.returncode == 0, stderr
    print(f"{len(counts)} queries during the ingest, slowest {slowest:.1f} s, counts {counts}")
    assert len(counts) >= 3
    assert counts == sorted(counts)  # batches only ever add
    assert scalar(db, "SELECT count(*) FROM documents") == FILES
