"""What the ingest parent saves while outcomes stream in is given back when the run ends:
the collector runs again, and pandas (which Arrow's first ``pa.array`` would import) is
still importable afterwards."""

from __future__ import annotations

import gc
import subprocess
import sys
import textwrap
from pathlib import Path

from ingest.job.run import IngestOptions, run_ingest
from tests.ingest.ingest_helpers import REPO, make_batch, scalar

FILES = 80  # more than SMALL_BATCH: written through Arrow


def test_a_run_leaves_the_collector_as_it_found_it(tmp_path: Path) -> None:
    make_batch(tmp_path / "in", FILES)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    options = IngestOptions(db=tmp_path / "w.duckdb", tune_process=True)
    summary = run_ingest([str(tmp_path / "in")], options)
    assert summary.loaded == FILES
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_a_run_with_the_collector_off_leaves_it_off(tmp_path: Path) -> None:
    make_batch(tmp_path / "in", FILES)
    gc.disable()
    try:
        options = IngestOptions(db=tmp_path / "w.duckdb", tune_process=True)
        run_ingest([str(tmp_path / "in")], options)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_ingest_does_not_import_pandas_and_pandas_still_works_after(tmp_path: Path) -> None:
    make_batch(tmp_path / "in", FILES)
    db = tmp_path / "w.duckdb"
    script = textwrap.dedent(
        f"""
        import sys
        from ingest.job.run import IngestOptions, run_ingest

        if __name__ == "__main__":
            summary = run_ingest([{str(tmp_path / "in")!r}], IngestOptions(db=__import__(
                "pathlib").Path({str(db)!r}), workers=2, tune_process=True))
            print(summary.loaded, "pandas" in sys.modules)
            import pyarrow as pa
            frame = pa.table({{"a": [1, 2]}}).to_pandas()
            print(type(frame).__name__, pa.array(frame["a"]).to_pylist())
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [str(FILES), "False", "DataFrame", "[1,", "2]"]
    assert scalar(db, "SELECT count(*) FROM documents") == FILES
