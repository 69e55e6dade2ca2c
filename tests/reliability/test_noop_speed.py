"""A no-op re-run skips unchanged files from one stat each, without reading them.

How fast that is, is measured by ``bench/run`` (results in bench/RESULTS.md), not here:
this test proves the mechanism: bytes changed behind an unchanged (path, size, mtime)
are not even read, and the whole batch is reported unchanged.
"""

from __future__ import annotations

import os
import re

import pytest

from tests.ingest.ingest_helpers import make_batch, run_cli

FILES = 300


@pytest.mark.slow
def test_a_noop_rerun_does_not_read_unchanged_files(tmp_path):
    make_batch(tmp_path / "in", FILES)
    db = tmp_path / "w.duckdb"
    first = run_cli("ingest", "in", "--db", str(db), "--quiet", cwd=tmp_path)
    assert first.returncode == 0, first.stderr

    # Garble one file but keep its size and mtime: only a job that reads would notice.
    victim = sorted((tmp_path / "in").rglob("*.txt"))[7]
    stat = victim.stat()
    victim.write_bytes(b"\x00" * stat.st_size)
    os.utime(victim, ns=(stat.st_atime_ns, stat.st_mtime_ns))

    again = run_cli("ingest", "in", "--db", str(db), cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    match = re.search(r"loaded 0, unchanged ([\d,]+), failed 0 in ([\d.]+) s", again.stdout)
    assert match, again.stdout
    assert int(match.group(1).replace(",", "")) == FILES

    # --force does read it, and the garbled file now fails with a reason.
    forced = run_cli("ingest", "in", "--db", str(db), "--force", "--quiet", cwd=tmp_path)
    assert forced.returncode == 1
    assert "failed 1" in forced.stdout
