"""``rayngan ingest --engine ray`` against a real Ray cluster on loopback.

One ``ray start --head --block`` serves the module (Ray takes ~10 s to start); the killed-
driver test lets the CLI start a Ray of its own, the default, to see it go down with it.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from tests.ingest.ingest_helpers import SAMPLES, rows, run_cli, scalar
from tests.ingest.ray_helpers import descendants, ray_head, wait_gone, warehouse_fingerprint

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # bench/ (scanned PDFs)

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("ray") is None,
    reason="Ray is not installed (pip install -e '.[ray]'); the Ray engine is not tested",
)
_RUN_TABLES = ("ingest_runs", "source_file_events")  # one row per run / per file and run


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """A 2-CPU Ray head on 127.0.0.1: its env, ``--ray-address`` and pid."""
    with ray_head(tmp_path_factory.mktemp("ray")) as head:
        yield head


def _copy_samples(target: Path) -> Path:
    shutil.copytree(SAMPLES, target)
    return target


def _ingest(cwd: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 240):
    return run_cli("ingest", *args, cwd=cwd, env=env, timeout=timeout)


def _on_cluster(cluster: dict, extra: dict[str, str] | None = None) -> dict[str, str]:
    return {**cluster["env"], **(extra or {})}  # type: ignore[dict-item]


@pytest.fixture(scope="module")
def local_reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """The samples through the local engine: (the folder run in, its fingerprint)."""
    base = tmp_path_factory.mktemp("local")
    _copy_samples(base / "in")
    result = _ingest(base, "in", "--db", "w.duckdb")
    assert result.returncode == 1, result.stderr  # the samples hold one broken PDF
    return base, warehouse_fingerprint(base / "w.duckdb")


def test_ray_engine_builds_the_same_warehouse_as_the_local_engine(
    cluster, local_reference, tmp_path
):
    base, expected = local_reference
    address = cluster["address"]
    result = _ingest(
        base, "in", "--db", "ray.duckdb", "--engine", "ray", "--ray-address", address,
        env=_on_cluster(cluster),
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert "unchanged 0, failed 1 " in result.stdout
    assert "encrypted" in result.stderr  # failures reported the same way
    got = warehouse_fingerprint(base / "ray.duckdb")
    assert got.keys() == expected.keys()
    differ = {t: (expected[t], got[t]) for t in expected if expected[t] != got[t]}
    assert not differ, f"tables differ (local, ray): {differ}"
    assert got["documents"][0] > 0


def _source_files(db: Path) -> set[tuple]:
    return set(rows(db, "SELECT path, status, error FROM source_files"))


def test_a_worker_killed_mid_run_fails_its_file_or_zip_member_alone(cluster, tmp_path):
    """RAYNGAN_TEST_CRASH_ON makes the worker SIGSEGV itself on a file named so: a loose
    file and a member of a zip archive.  Each fails alone, with the local engine's reason
    and stage; the archive's other members load."""
    txt = sorted(SAMPLES.glob("*.txt"))
    (tmp_path / "in").mkdir()
    for path in txt[:3]:
        shutil.copy(path, tmp_path / "in" / path.name)
    shutil.copy(txt[3], tmp_path / "in" / "boom_loose.txt")
    with zipfile.ZipFile(tmp_path / "in" / "bundle.zip", "w") as archive:
        archive.writestr("kpi/a.txt", txt[3].read_bytes() + b"\n")
        archive.writestr("kpi/boom_member.txt", txt[4].read_bytes())
        archive.writestr("kpi/c.txt", txt[4].read_bytes() + b"\n")
    crash = {"RAYNGAN_TEST_CRASH_ON": "boom"}
    local = _ingest(tmp_path, "in", "--db", "local.duckdb", env=_on_cluster(cluster, crash))
    result = _ingest(
        tmp_path, "in", "--db", "w.duckdb", "--engine", "ray", "--ray-address",
        cluster["address"], env=_on_cluster(cluster, crash),
    )  # fmt: skip
    assert result.returncode == local.returncode == 1, result.stderr
    assert "loaded 5, unchanged 0, failed 2" in result.stdout
    assert "failed [read] in/bundle.zip!kpi/boom_member.txt" in result.stderr
    got = _source_files(tmp_path / "w.duckdb")
    assert got == _source_files(tmp_path / "local.duckdb")
    assert ("in/bundle.zip!kpi/c.txt", "loaded", None) in got
    reasons = {error for _, status, error in got if status == "failed"}
    assert reasons == {"internal error in read: the worker process died (signal 11)"}


# Ray's agents see their raylet die at once, then spend 60 s failing to tell the (dead)
# GCS before they exit (ray._private.process_watcher): they are let go after that check.
_AGENTS = ("ray::DashboardA", "ray::RuntimeEnv")


def _loaded(db: Path) -> int:
    try:
        return scalar(db, "SELECT count(*) FROM source_files WHERE status = 'loaded'")
    except duckdb.Error:  # not created yet, or the loader holds it
        return 0


def test_a_killed_driver_leaves_no_ray_behind_and_a_rerun_finishes(
    cluster, local_reference, tmp_path
):
    """The CLI starts its own Ray (no --ray-address): SIGKILL it once batches are loaded
    while one file sleeps in a task; its Ray processes go down with it, and a plain re-run
    (on the module's cluster) completes the warehouse: it equals the local engine's."""
    base, _ = local_reference
    db = base / "killed.duckdb"
    hooks = {"RAYNGAN_TEST_SLEEP_ON": "004_a8b6aaaadac5bd4d.txt", "RAYNGAN_BATCH_FILES": "5"}
    env = {**os.environ, **_on_cluster(cluster, hooks), "PYTHONUNBUFFERED": "1"}
    driver = subprocess.Popen(
        [
            *(sys.executable, "-m", "ingest", "ingest", "in", "--db", db.name),
            *("--engine", "ray", "--workers", "2", "--file-timeout", "300"),
        ],
        cwd=base,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while _loaded(db) < 10:
            assert driver.poll() is None, driver.stderr.read().decode()  # type: ignore[union-attr]
            assert time.monotonic() < deadline, "no batch loaded within 120 s"
            time.sleep(0.3)
        ray_processes = descendants(driver.pid)
        assert len(ray_processes) >= 3  # gcs_server, raylet, workers...
    finally:
        driver.kill()
        driver.wait(timeout=10)
        driver.stderr.close()  # type: ignore[union-attr]
    left = wait_gone(ray_processes, 30, but=_AGENTS)
    assert set(left.values()) <= set(_AGENTS), f"Ray processes outlived the driver: {left}"
    for pid in left:  # orphans now, exiting by themselves within a minute: spare the wait
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    partial = _loaded(db)
    total = _loaded(base / "w.duckdb")
    assert 10 <= partial < total
    again = _ingest(
        base, "in", "--db", db.name, "--engine", "ray", "--ray-address", cluster["address"],
        env=_on_cluster(cluster),
    )  # fmt: skip
    assert again.returncode in (0, 1), again.stderr  # 0 if the killed run saw the bad PDF
    assert f"loaded {total - partial}, unchanged {partial}, failed 1" in again.stdout
    # source_files.status is the last run's word: "unchanged" for what the first run loaded
    got = warehouse_fingerprint(db, skip=("status",))
    want = warehouse_fingerprint(base / "w.duckdb", skip=("status",))
    for table in _RUN_TABLES:
        del got[table], want[table]
    assert got == want


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")
def test_a_long_scan_is_read_one_page_per_task_into_the_same_document(cluster, tmp_path):
    """A 4-page scanned PDF (bench/scans.py): under Ray its pages are read by OCR in tasks
    of their own, and the document assembled from them is the local engine's, row for row."""
    from bench.scans import ScanStyle, scan_pdf

    source = SAMPLES / "pdf" / "003_872e79cd487a057a.pdf"
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "scan.pdf").write_bytes(scan_pdf(source.read_bytes(), ScanStyle(), 3))
    budget = ("--file-timeout", "600")  # a busy machine must not cut the local read short
    local = _ingest(tmp_path, "in", "--db", "local.duckdb", *budget)
    assert local.returncode == 0, local.stderr
    result = _ingest(
        tmp_path, "in", "--db", "ray.duckdb", *budget, "--verbose", "--engine", "ray",
        "--ray-address", cluster["address"], env=_on_cluster(cluster),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "in/scan.pdf: 4 pages read by OCR one per Ray task" in result.stderr
    got = warehouse_fingerprint(tmp_path / "ray.duckdb")
    want = warehouse_fingerprint(tmp_path / "local.duckdb")
    assert got == want
    lines = "SELECT count(DISTINCT page) FROM line_confidence"
    assert rows(tmp_path / "ray.duckdb", lines) == [(4,)]


def test_the_local_engine_never_imports_ray(tmp_path):
    """Ray installed or not, `--engine local` (the default) runs without it."""
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from ingest.job.run import IngestOptions, run_ingest\n"
        "summary = run_ingest([sys.argv[1]], IngestOptions(db=Path(sys.argv[2]), workers=2))\n"
        "print(summary.loaded, 'ray' in sys.modules)\n"
    )
    samples = sorted(SAMPLES.glob("*.txt"))[0]
    result = subprocess.run(
        [sys.executable, "-c", script, str(samples), str(tmp_path / "w.duckdb")],
        capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parents[2],
    )  # fmt: skip
    assert result.stdout.split() == ["1", "False"], result.stderr


def _scan_outcome(db: Path) -> tuple[str, int, int]:
    """(status of the scan, pages read, pages unread) of a one-scan run; a page is unread
    when the budget ran out before it or during it (its tesseract then cut short)."""
    (status,) = rows(db, "SELECT status FROM source_files")[0]
    if status != "loaded":
        return status, 0, 0
    read = scalar(db, "SELECT count(DISTINCT page) FROM line_confidence")
    unread = scalar(db, "SELECT count(*) FROM anomalies WHERE rule = 'ocr_page_unread'")
    return status, read, unread


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")
def test_the_page_tasks_of_a_scan_share_its_time_budget(cluster, tmp_path):
    """A 12-page scan with a 12 s file budget (about 9 s of it for OCR, 2-3 s a page): the
    local engine reads the pages it can in that time, one after another, and loads the
    document with the others as ``ocr_page_unread`` anomalies.  Under Ray the page tasks
    share that budget: the document loads the same way, and its two CPUs read at most about
    twice the local engine's pages in it (a budget per page task read all 12)."""
    from bench.scans import ScanStyle, scan_pdf

    source = (SAMPLES / "pdf" / "001_355c1ca7b5fb9819.pdf").read_bytes()
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "scan.pdf").write_bytes(scan_pdf(source, ScanStyle(), 1, range(1, 13)))
    budget = ("--file-timeout", "12")
    local = _ingest(tmp_path, "in", "--db", "local.duckdb", *budget)
    want = _scan_outcome(tmp_path / "local.duckdb")
    if want[0] != "loaded":  # not one page read in time: too busy a machine to compare
        pytest.skip(f"the local engine read no page in 12 s: {local.stderr.strip()}")
    result = _ingest(
        tmp_path, "in", "--db", "ray.duckdb", *budget, "--engine", "ray",
        "--ray-address", cluster["address"], env=_on_cluster(cluster),
    )  # fmt: skip
    assert result.returncode == local.returncode == 0, result.stderr
    got = _scan_outcome(tmp_path / "ray.duckdb")
    assert got[1] + got[2] == want[1] + want[2] == 12, (want, got)
    assert want[2] > 0, want  # the local engine ran out of time
    assert 0 < got[1] <= 2 * want[1] + 2, (want, got)


# Runs a file that sleeps past its 2 s budget in a RayPool on the cluster (argv: address,
# head pid, the file), notes the Ray worker seen running it for over a second, then, the
# driver still connected (a job's workers end with it), waits for that worker to exit.
_RETIRE_PROBE = """
import os, sys, threading, time
from ingest.workers.ray_engine import RayPool
from ingest.workers.worker import Settings, Task
from tests.ingest.ray_helpers import chunk_workers, wait_gone

address, head, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
pool = RayPool(Settings(file_timeout=2.0, max_bytes=1 << 20), 2, address=address)
seen, slow, done = {}, {}, threading.Event()

def watch():
    while not done.wait(0.1):
        now = time.monotonic()
        for key in chunk_workers(head).items():
            if now - seen.setdefault(key, now) > 1.0:
                slow[key[0]] = key[1]

watcher = threading.Thread(target=watch)
watcher.start()
outcomes = list(pool.run([Task(path, os.path.getsize(path), 1)]))
done.set()
watcher.join()
print(outcomes[0].error)
print(sorted(slow), sorted(wait_gone(slow, 15, but=())))
"""


def test_a_ray_worker_whose_file_timed_out_is_replaced(cluster, tmp_path):
    """A file that sleeps past its 2 s budget fails with the local engine's timeout; the
    Ray worker it ran in outlived the timeout (SIGALRM ended the file, not the process)
    and then exits while the run goes on, as a local worker retires: the next tasks get a
    fresh one."""
    slow = tmp_path / "slow_1.txt"
    shutil.copy(sorted(SAMPLES.glob("*.txt"))[0], slow)
    env = {**os.environ, **_on_cluster(cluster, {"RAYNGAN_TEST_SLEEP_ON": "slow_"})}
    probe = subprocess.run(
        [sys.executable, "-c", _RETIRE_PROBE, cluster["address"], str(cluster["pid"]), str(slow)],
        cwd=Path(__file__).resolve().parents[2], env=env, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert probe.returncode == 0, probe.stderr
    error, pids = probe.stdout.strip().splitlines()[-2:]
    assert error.startswith("timeout after 2 s"), probe.stdout
    seen, left = pids.split("] [")
    assert seen != "[", "no Ray worker was seen running the slow file"
    assert left == "]", f"the Ray worker of the timed-out file still runs: {pids}"
