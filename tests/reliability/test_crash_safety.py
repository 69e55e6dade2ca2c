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

from tests.ingest.ingest_helpers import CONTENT_TABLES, fingerprint, make_batch, rows, run_cli

BATCH = 300
KILLS = 3
SIGTERM_BATCH = 3000  # several load batches
SMALL_BATCHES = {"RAYNGAN_BATCH_FILES": "40"}  # so kills land between batches, too


def _stable_sources(db: Path) -> list[tuple]:
    return sorted(
        rows(db, "SELECT path, sha256, size_bytes, status = 'failed', error FROM source_files")
    )


def _start(folder: Path, db: Path, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **SMALL_BATCHES}
    return subprocess.Popen(
        [sys.executable, "-m", "ingest", "ingest", folder.name, "--db", str(db), *extra],
        cwd=folder.parent,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def _kill_after_parsed(proc: subprocess.Popen, files: int, rng: random.Random) -> str:
    """SIGKILL ``proc`` once it has logged ``files`` parsed files (0: at a random early
    moment); return its stderr.  Counting progress, not seconds, makes the kill points
    independent of how busy the machine is."""
    assert proc.stderr is not None
    seen: list[str] = []
    if files == 0:
        time.sleep(rng.uniform(0.0, 0.8))
    else:
        for line in proc.stderr:
            seen.append(line)
            files -= line.startswith("rayngan: parsed ")
            if files <= 0:
                break
    proc.send_signal(signal.SIGKILL)
    rest, _ = proc.communicate(timeout=60)
    return "".join(seen) + (rest or "")


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
    states: list[int] = []  # documents in the warehouse after each kill
    for _ in range(KILLS):
        proc = _start(folder, db, "--verbose")
        stderr = _kill_after_parsed(proc, rng.randrange(0, 100), rng)
        landed += proc.returncode == -signal.SIGKILL
        assert "Traceback" not in stderr, f"seed {seed}: {stderr}"  # --verbose: none expected
        states.append(_documents(db))
    print(
        f"seed {seed}: {landed} of {KILLS} kills landed mid-run, documents after each: "
        f"{states}; clean run {clean_seconds:.1f} s"
    )
    assert landed >= 1, f"seed {seed}: every run finished before its kill"

    final = run_cli("ingest", "in", "--db", str(db), cwd=tmp_path, env=SMALL_BATCHES)
    assert final.returncode == 0, f"seed {seed}: {final.stderr}"
    assert fingerprint(db, CONTENT_TABLES) == fingerprint(clean_db, CONTENT_TABLES), f"seed {seed}"
    assert _stable_sources(db) == _stable_sources(clean_db), f"seed {seed}"
    unfinished = rows(db, "SELECT count(*) FROM ingest_runs WHERE finished_at IS NULL")[0][0]
    assert unfinished <= landed  # a kill before the run started leaves no row

    again = run_cli("ingest", "in", "--db", str(db), cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert f"loaded 0, unchanged {BATCH}, failed 0" in again.stdout


@pytest.mark.slow
def test_sigterm_stops_cleanly_and_keeps_what_was_loaded(tmp_path):
    folder = tmp_path / "in"
    make_batch(folder, SIGTERM_BATCH)
    db = tmp_path / "w.duckdb"
    proc = _start(folder, db)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # wait for the first batch to be written
        if db.exists() and _loaded(db) > 0:
            break
        time.sleep(0.1)
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    if proc.returncode == 0:
        pytest.skip("the ingest finished before SIGTERM arrived")
    assert proc.returncode == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr
    kept = _loaded(db)
    assert 0 < kept < SIGTERM_BATCH
    final = run_cli("ingest", "in", "--db", str(db), cwd=tmp_path)
    assert final.returncode == 0, final.stderr
    assert f"loaded {SIGTERM_BATCH - kept:,}, unchanged {kept:,}, failed 0" in final.stdout
    assert rows(db, "SELECT count(*) FROM documents") == [(SIGTERM_BATCH,)]


def _loaded(db: Path) -> int:
    try:
        return rows(db, "SELECT count(*) FROM source_files WHERE status = 'loaded'")[0][0]
    except Exception:  # the writer holds the file right now, or no tables yet
        return 0


def _documents(db: Path) -> int:
    try:
        return rows(db, "SELECT count(*) FROM documents")[0][0]
    except Exception:  # killed before the warehouse was created
        return 0
