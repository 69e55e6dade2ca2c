"""A no-op re-run skips unchanged files from one stat each, without reading them."""

from __future__ import annotations

import re
import time

import pytest
from ingest_helpers import make_batch, run_cli

FILES = 3000


@pytest.mark.slow
def test_a_noop_rerun_is_fast(tmp_path):
    make_batch(tmp_path / "in", FILES)
    db = tmp_path / "w.duckdb"
    first = run_cli("ingest", "in", "--db", str(db), "--quiet", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    began = time.monotonic()
    again = run_cli("ingest", "in", "--db", str(db), cwd=tmp_path)
    wall = time.monotonic() - began
    assert again.returncode == 0, again.stderr
    match = re.search(r"loaded 0, unchanged ([\d,]+), failed 0 in ([\d.]+) s", again.stdout)
    assert match, again.stdout
    assert int(match.group(1).replace(",", "")) == FILES
    print(f"no-op re-run of {FILES} files: {match.group(2)} s in the job, {wall:.2f} s wall")
    assert float(match.group(2)) < 2.0
