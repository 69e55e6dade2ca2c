"""A batch write that fails in the loader thread stops the run, but what was parsed after
it is still written: nothing parsed is dropped without being recorded."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.job import run
from ingest.job.run import IngestOptions, run_ingest
from tests.ingest.ingest_helpers import make_batch, scalar

FILES = 50
BATCH = 40  # one batch written during the run, the last 10 files after the loop


def test_files_parsed_after_a_failed_last_write_are_written(tmp_path: Path, monkeypatch) -> None:
    make_batch(tmp_path / "in", FILES)
    monkeypatch.setattr(run, "FLUSH_FILES", BATCH)
    monkeypatch.setattr(run, "BACKLOG_FILES", 2 * BATCH)
    real = run._Job._flush_open
    calls = []

    def first_write_fails(job: run._Job, batch: list) -> None:
        calls.append(len(batch))
        if len(calls) == 1:
            raise OSError("disk full (simulated)")
        real(job, batch)

    monkeypatch.setattr(run._Job, "_flush_open", first_write_fails)
    db = tmp_path / "w.duckdb"
    with pytest.raises(OSError, match="simulated"):
        run_ingest([str(tmp_path / "in")], IngestOptions(db=db, workers=2))
    assert calls == [BATCH, FILES - BATCH]
    loaded = scalar(db, "SELECT count(*) FROM source_files WHERE status = 'loaded'")
    assert loaded == FILES - BATCH
    # the next run loads the batch whose write failed, and nothing else
    monkeypatch.setattr(run._Job, "_flush_open", real)
    again = run_ingest([str(tmp_path / "in")], IngestOptions(db=db, workers=2))
    assert (again.loaded, again.unchanged, again.failed) == (BATCH, FILES - BATCH, 0)
