"""Faults of the run rather than the files (issue 17): a busy warehouse, signals, a full disk,
a busy night's timeouts, kills that leave temp folders, and a query that reaches out.  The
last test replays them all and checks the warehouse equals a clean run's."""

from __future__ import annotations

import contextlib
import errno
import importlib
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from ingest.job import run
from ingest.job.run import IngestOptions, run_ingest
from parsers.errors import WarehouseError
from tests.ingest.ingest_helpers import (
    CONTENT_TABLES,
    fingerprint,
    make_batch,
    rows,
    run_cli,
    scalar,
)
from tests.reliability.fault_helpers import (
    TXT,
    hold,
    hostile_tree,
    put,
    rayngan_proc,
    stop_and_time,
)

SOURCES = (
    "SELECT path, sha256, size_bytes, status = 'failed', error, failure_class, "
    "transient_failures FROM source_files"
)


def _loaded_db(tmp_path: Path, files: int = 3) -> Path:
    for src in TXT[:files]:
        put(tmp_path / "in", src.name, src.read_bytes())
    assert run_cli("ingest", "in", "--db", "w.duckdb", cwd=tmp_path).returncode == 0
    return tmp_path / "w.duckdb"


def test_query_has_no_file_or_network_access(tmp_path):
    _loaded_db(tmp_path)
    target = tmp_path / "leak.csv"
    for sql in (
        f"COPY (SELECT * FROM source_files) TO '{target}'",
        "SELECT * FROM read_text('/etc/hostname')",
        "SELECT * FROM read_csv('/etc/passwd')",
        f"ATTACH '{tmp_path / 'x.duckdb'}'",
        "SET enable_external_access = true",
        "INSTALL httpfs",
    ):
        result = run_cli("query", sql, "--db", "w.duckdb", cwd=tmp_path)
        assert result.returncode == 2, (sql, result.stdout)  # refused SQL: a usage error
        assert "Traceback" not in result.stderr
    assert not target.exists() and not (tmp_path / "x.duckdb").exists()
    settings = run_cli(
        "query",
        "SELECT current_setting('autoinstall_known_extensions'), "
        "current_setting('autoload_known_extensions')",
        "--db",
        "w.duckdb",
        "--format",
        "csv",
        cwd=tmp_path,
    )
    assert settings.stdout.splitlines()[1].lower() == "false,false"


@pytest.mark.parametrize("command", ["report", "status", "export", "query"])
def test_readers_wait_for_a_writer_like_query(tmp_path, command):
    db = _loaded_db(tmp_path)
    args = {
        "report": ["report", "--out", "r.html"],
        "status": ["status"],
        "export": ["export", "out"],
        "query": ["query", "SELECT count(*) FROM documents"],
    }[command]
    writer = hold(db, read_only=False, seconds=2)
    try:
        result = run_cli(*args, "--db", "w.duckdb", cwd=tmp_path, timeout=60)
    finally:
        writer.kill()
        writer.wait()
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
@pytest.mark.parametrize("command", ["ingest", "query"])
def test_signals_end_a_wait_for_the_warehouse_promptly(tmp_path, signum, command):
    db = _loaded_db(tmp_path)
    put(tmp_path / "in", "new.txt", TXT[3].read_bytes())
    writer = hold(db, read_only=False, seconds=120)
    args = ["ingest", "in"] if command == "ingest" else ["query", "SELECT 1"]
    proc = rayngan_proc(*args, "--db", "w.duckdb", cwd=tmp_path)
    try:
        time.sleep(2.5)  # well into its wait (10 s)
        assert proc.poll() is None
        status, seconds, stderr = stop_and_time(proc, signum)
    finally:
        writer.kill()
        writer.wait()
    assert status == 130, stderr
    assert seconds < 2.0 and "Traceback" not in stderr


@pytest.mark.slow
def test_sigterm_ends_an_ingest_waiting_for_a_reader_between_batches(tmp_path):
    make_batch(tmp_path / "in", 4000)  # enough that a quiet machine is still parsing at SIGTERM
    db = tmp_path / "w.duckdb"
    proc = rayngan_proc(
        "ingest", "in", "--db", "w.duckdb", "--workers", "1", cwd=tmp_path,
        env={"RAYNGAN_BATCH_FILES": "50"},
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not _loaded_some(db):
        time.sleep(0.05)
    reader = hold(db, read_only=True, seconds=300)  # an analyst's long session
    try:
        time.sleep(2.0)  # the next batch is due: the ingest waits for the reader (2 min)
        status, seconds, stderr = stop_and_time(proc, signal.SIGTERM)
    finally:
        reader.kill()
        reader.wait()
    assert status == 130, stderr
    assert seconds < 3.0 and "Traceback" not in stderr
    final = run_cli("ingest", "in", "--db", "w.duckdb", cwd=tmp_path)
    assert final.returncode == 0 and scalar(db, "SELECT count(*) FROM documents") == 4000


@pytest.mark.slow
def test_timeouts_are_transient_and_retried_automatically_up_to_a_cap(tmp_path):
    db = _loaded_db(tmp_path, files=2)
    victim = "slow.txt"
    put(tmp_path / "in", victim, TXT[2].read_bytes())
    slow = {"RAYNGAN_TEST_SLEEP_ON": "slow"}
    for tries in range(1, run.MAX_TRANSIENT_TRIES + 1):  # a busy night, three times
        result = run_cli("ingest", "in", "--db", "w.duckdb", "--file-timeout", "1",
                         cwd=tmp_path, env=slow)  # fmt: skip
        assert result.returncode in (0, 1) and "timeout after 1 s" in result.stderr
        state = rows(db, "SELECT failure_class, transient_failures, error FROM source_files "
                         "WHERE path = 'in/slow.txt'")  # fmt: skip
        assert state == [("transient", tries, "timeout after 1 s in read")]
    capped = run_cli("ingest", "in", "--db", "w.duckdb", cwd=tmp_path, env=slow)
    assert "failed 1" in capped.stdout and "timeout" not in capped.stderr  # not tried again
    retried = run_cli("ingest", "in", "--db", "w.duckdb", "--retry-failed", cwd=tmp_path)
    assert retried.returncode == 0 and "loaded 1, unchanged 2, failed 0" in retried.stdout
    assert rows(db, "SELECT failure_class, transient_failures FROM source_files "
                    "WHERE path = 'in/slow.txt'") == [(None, 0)]  # fmt: skip


def test_a_timeout_on_a_busy_night_loads_on_the_next_plain_run(tmp_path):
    db = _loaded_db(tmp_path, files=2)
    put(tmp_path / "in", "slow.txt", TXT[2].read_bytes())
    busy = run_cli("ingest", "in", "--db", "w.duckdb", "--file-timeout", "1",
                   cwd=tmp_path, env={"RAYNGAN_TEST_SLEEP_ON": "slow"})  # fmt: skip
    assert busy.returncode == 1
    quiet = run_cli("ingest", "in", "--db", "w.duckdb", cwd=tmp_path)  # the cron line
    assert quiet.returncode == 0, quiet.stderr
    assert "loaded 1, unchanged 2, failed 0" in quiet.stdout
    assert scalar(db, "SELECT count(*) FROM documents") == 3


@contextlib.contextmanager
def _tiny_tmpfs(where: Path, size: str):
    where.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                             capture_output=True, check=False)  # fmt: skip
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield lambda size: subprocess.run(
            ["mount", "-o", f"remount,size={size}", str(where)], check=True
        )
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


@pytest.mark.slow
def test_a_full_disk_stops_the_run_plainly_and_the_next_run_loads_the_rest(tmp_path):
    """A real full disk: the warehouse on a 2 MB tmpfs (root only; skipped elsewhere)."""
    make_batch(tmp_path / "in", 300)
    clean = tmp_path / "clean.duckdb"
    assert run_cli("ingest", "in", "--db", str(clean), cwd=tmp_path).returncode == 0
    with _tiny_tmpfs(tmp_path / "disk", "2m") as resize:
        full = run_cli("ingest", "in", "--db", "disk/w.duckdb", cwd=tmp_path)
        assert full.returncode == 1 and "No space left on device" in full.stderr, full.stderr
        assert "Traceback" not in full.stderr and "internal error" not in full.stderr
        resize("64m")
        again = run_cli("ingest", "in", "--db", "disk/w.duckdb", cwd=tmp_path)
        assert again.returncode == 0, again.stderr
        db = tmp_path / "disk" / "w.duckdb"
        assert fingerprint(db, CONTENT_TABLES) == fingerprint(clean, CONTENT_TABLES)


def test_an_injected_enospc_at_the_write_edge_is_transient(tmp_path, monkeypatch):
    """The same without root: OSError(ENOSPC) raised where a batch is written."""
    make_batch(tmp_path / "in", 30)
    db = tmp_path / "w.duckdb"
    # the class the job imports when it runs (a test may have reloaded the module)
    warehouse = importlib.import_module("warehouse.store").Warehouse
    real = warehouse._write_batch

    def disk_full(self, run_id, items):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(warehouse, "_write_batch", disk_full)
    with pytest.raises(WarehouseError, match="next run loads the rest"):
        run_ingest([str(tmp_path / "in")], IngestOptions(db=db, workers=1))
    assert scalar(db, "SELECT count(*) FROM source_files WHERE status = 'failed'") == 0
    monkeypatch.setattr(warehouse, "_write_batch", real)
    again = run_ingest([str(tmp_path / "in")], IngestOptions(db=db, workers=1))
    assert (again.loaded, again.failed) == (30, 0)


def test_kill_9_leaves_no_temp_folders_once_the_next_run_ends(tmp_path):
    make_batch(tmp_path / "in", 400)
    tmp = Path(tempfile.mkdtemp(prefix="rt-"))  # short: the fork server's socket lives there
    try:
        _kill_then_run_again(tmp_path, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _kill_then_run_again(tmp_path: Path, tmp: Path) -> None:
    env = {"TMPDIR": str(tmp)}
    proc = rayngan_proc("ingest", "in", "--db", "w.duckdb", "--verbose", cwd=tmp_path, env=env)
    assert proc.stderr is not None
    seen = []
    for line in proc.stderr:  # workers are parsing: the fork server's folder exists
        seen.append(line)
        if line.startswith("rayngan: parsed "):
            break
    assert list(tmp.glob("rayngan-run.*/pymp-*")), "".join(seen)
    proc.kill()
    proc.communicate(timeout=30)
    assert list(tmp.iterdir())  # what a kill leaves
    (tmp_path / "in" / "more.txt").write_bytes(TXT[0].read_bytes() + b"\n\n\n\n\n\n")
    again = run_cli("ingest", "in", "--db", "w.duckdb", cwd=tmp_path, env=env)
    assert again.returncode == 0, again.stderr
    assert list(tmp.iterdir()) == []


@pytest.mark.slow
def test_after_every_fault_and_a_plain_rerun_the_warehouse_equals_a_clean_run(tmp_path):
    hostile_tree(tmp_path / "in", tmp_path / "outside")
    make_batch(tmp_path / "in" / "batch", 200)
    clean = run_cli("ingest", "in", "--db", "clean.duckdb", cwd=tmp_path, timeout=120)
    assert clean.returncode == 1, clean.stderr  # the forged name and the climbing member
    db = tmp_path / "w.duckdb"
    db.write_bytes(b"")  # a first run killed before DuckDB wrote anything
    busy = run_cli("ingest", "in", "--db", "w.duckdb", "--file-timeout", "1", cwd=tmp_path,
                   env={"RAYNGAN_TEST_SLEEP_ON": "03_"})  # fmt: skip
    assert busy.returncode == 1 and "timeout" in busy.stderr
    proc = rayngan_proc("ingest", "in", "--db", "w.duckdb", "--force", "--verbose",
                        cwd=tmp_path, env={"RAYNGAN_BATCH_FILES": "20"})  # fmt: skip
    assert proc.stderr is not None
    for line in proc.stderr:
        if line.startswith("rayngan: parsed "):
            break
    proc.kill()  # kill -9 mid-run
    proc.communicate(timeout=30)
    reader = hold(db, read_only=True, seconds=300)
    term = rayngan_proc("ingest", "in", "--db", "w.duckdb", "--force", cwd=tmp_path)
    time.sleep(2.0)
    status, seconds, _ = stop_and_time(term, signal.SIGTERM)
    reader.kill()
    reader.wait()
    assert status == 130 and seconds < 3.0
    final = run_cli("ingest", "in", "--db", "w.duckdb", cwd=tmp_path, timeout=120)  # plain
    assert final.returncode in (0, 1), (
        final.stderr
    )  # 0: only known failures (exit 1 is for new ones)
    clean_db = tmp_path / "clean.duckdb"
    assert fingerprint(db, CONTENT_TABLES) == fingerprint(clean_db, CONTENT_TABLES)
    assert sorted(rows(db, SOURCES)) == sorted(rows(clean_db, SOURCES))


def _loaded_some(db: Path) -> bool:
    try:
        return scalar(db, "SELECT count(*) FROM source_files WHERE status = 'loaded'") > 0
    except Exception:  # the writer holds it right now, or no tables yet
        return False
