"""Workers hold their next chunk ahead: a worker killed or crashed loses none of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.workers.pool import chunked
from ingest.workers.worker import Task
from tests.ingest.ingest_helpers import make_batch, rows, scalar

FILES = 80  # with one worker: 4 chunks of 20, the second sent ahead while the first runs


def test_the_batch_is_cut_into_several_chunks() -> None:
    tasks = [Task(f"f{i}.txt", 1, 1) for i in range(FILES)]
    assert len(chunked(tasks, 1)) >= 3


@pytest.mark.parametrize(
    ("hook", "reason"),
    [
        ("RAYNGAN_TEST_SLEEP_ON", "timeout after 1 s in "),  # the worker retires itself
        ("RAYNGAN_TEST_HANG_ON", "timeout after 1 s in "),  # the parent kills it
        ("RAYNGAN_TEST_CRASH_ON", "internal error in read: the worker process died"),
    ],
)
def test_a_lost_worker_gives_back_its_chunk_in_progress_and_the_one_held(
    rayngan, tmp_path: Path, hook: str, reason: str
) -> None:
    db = tmp_path / "w.duckdb"
    made = sorted(make_batch(tmp_path / "in", FILES))
    victim = made[2].name  # early in the first chunk, while the second is held
    result = rayngan(
        "ingest", "in", "--db", str(db), "--file-timeout", "1", "--workers", "1",
        env={hook: victim},
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    errors = dict(rows(db, "SELECT path, error FROM source_files WHERE status = 'failed'"))
    assert list(errors) == [str(Path("in") / victim)]
    assert errors[str(Path("in") / victim)].startswith(reason)
    assert scalar(db, "SELECT count(*) FROM source_files") == FILES
    assert scalar(db, "SELECT count(*) FROM source_files WHERE status = 'loaded'") == FILES - 1
