"""How ``--engine ray`` cuts a run into tasks (pure: no Ray needed)."""

from __future__ import annotations

from ingest.workers.ray_engine import RAY_CHUNK, chunked_for_ray
from ingest.workers.worker import Task


def test_scans_each_get_a_task_biggest_first() -> None:
    scans = [Task(f"scan{i}.pdf", (i + 1) * 4_000_000, 1) for i in range(6)]
    chunks = chunked_for_ray(scans, 2)
    assert [len(c) for c in chunks] == [1] * 6
    assert [c[0].path for c in chunks] == [f"scan{i}.pdf" for i in reversed(range(6))]


def test_a_few_small_files_are_spread_over_the_workers() -> None:
    files = [Task(f"f{i}.txt", 1_000, 1) for i in range(12)]
    chunks = chunked_for_ray(files, 2)
    assert len(chunks) >= 4  # every worker has more than one task to take
    assert sorted(t.path for c in chunks for t in c) == sorted(t.path for t in files)
    assert max(len(c) for c in chunks) <= RAY_CHUNK


def test_archives_and_images_alone() -> None:
    tasks = [Task("a.zip", 10, 1, is_archive=True), Task("p.png", 10, 1), Task("t.txt", 10, 1)]
    chunks = chunked_for_ray(tasks, 2)
    assert [[t.path for t in c] for c in chunks] == [["a.zip"], ["p.png"], ["t.txt"]]
