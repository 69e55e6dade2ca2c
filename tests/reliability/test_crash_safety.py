"""kill -9 of the ingest job at random moments leaves a warehouse that the next run
completes to exactly what a clean run gives."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from ingest_helpers import CONTENT_TABLES, fingerprint, make_batch, rows, run_cli

BATCH = 300
KILLS = 3


def _stable_sources(db: Path) -> list[tuple]:
    return sorted(
        rows(db, "SELECT path, sha256, size_bytes, status = 'failed', error FROM source_files")
    )


def _start(folder: Path, db: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "ingest", "ingest", folder.name, "--db", str(db), "--quiet"],
        cwd=folder.parent,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
def test_sigkill_three_times_then_finish_equals_a_clean_run(tmp_path):
    folder = tmp_path / "in"
    make_batch(folder, BATCH)
    clean_db = tmp_path / "clean.duckdb"
    began = time.monotonic()
    clean = run_cli("ingest", "in", "--db", str(clean_db), "--quiet", cwd=tmp_path)
    clean_seconds = time.monotonic() - began
    assert clean.returncode == 0, clean.stderr
    assert rows(clean_db, "SELECT count(*) FROM source_files WHERE status = 'loaded'") == [(BATCH,)]

    seed = int(os.environ.get("RAYNGAN_TEST_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    db = tmp_path / "crashed.duckdb"
    landed = 0
    for _ in range(KILLS):
        proc = _start(folder, db)
        time.sleep(rng.uniform(0.1, 0.7) * clean_seconds)
        proc.send_signal(signal.SIGKILL)
        _, stderr = proc.communicate(timeout=60)
        landed += proc.returncode == -signal.SIGKILL
        assert "Traceback" not in stderr, f"seed {seed}: {stderr}"
    print(f"seed {seed}: {landed} of {KILLS} kills landed mid-run; clean run {clean_seconds:.1f} s")
    assert landed >= 1, f"seed {seed}: every run finished before its kill"

    final = run_cli("ingest", "in", "--db", str(db), cwd=tmp_path)
    assert final.returncode == 0, f"seed {seed}: {final.stderr}"
    assert fingerprint(db, CONTENT_TABLES) == fingerprint(clean_db, CONTENT_TABLES), f"seed {seed}"
    assert _stable_sources(db) == _stable_sources(clean_db), f"seed {seed}"
    unfinished = rows(db, "SELECT count(*) FROM ingest_runs WHERE finished_at IS NULL")[0][0]
    assert unfinished <= landed  # a kill before the run started leaves no row

    again = run_cli("ingest", "in", "--db", str(db), cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert f"loaded 0, unchanged {BATCH}, failed 0" in again.stdout
