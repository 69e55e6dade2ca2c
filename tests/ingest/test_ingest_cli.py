"""`rayngan ingest` end to end: the real CLI, real DuckDB files, real sample exports."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.ingest.ingest_helpers import (
    SAMPLES,
    fingerprint,
    rows,
    sample_files,
    scalar,
    without_file_override,
)

TXT = sample_files(".txt")


def copy_samples(dest: Path, files: list[Path]) -> list[Path]:
    dest.mkdir(parents=True, exist_ok=True)
    out = []
    for src in files:
        target = dest / src.relative_to(SAMPLES)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(src.read_bytes())  # samples are read-only; copies must not be
        out.append(target)
    return out


def assert_clean_stderr(stderr: str) -> None:
    assert "Traceback" not in stderr, stderr


def test_first_load_accounts_for_every_sample(rayngan, tmp_path):
    db = tmp_path / "w.duckdb"
    result = rayngan("ingest", str(SAMPLES), "--db", str(db))
    assert result.returncode in (0, 1), result.stderr
    assert_clean_stderr(result.stderr)
    files = sample_files()
    by_status = dict(rows(db, "SELECT status, count(*) FROM source_files GROUP BY ALL"))
    assert sum(by_status.values()) == len(files)
    assert set(by_status) <= {"loaded", "failed"}
    # every failure names a reason; every text sample (the parsers' home ground) loads
    assert (
        scalar(db, "SELECT count(*) FROM source_files WHERE status='failed' AND error IS NULL") == 0
    )
    loaded = {
        Path(p).name for (p,) in rows(db, "SELECT path FROM source_files WHERE status='loaded'")
    }
    assert {p.name for p in TXT} <= loaded
    run = rows(
        db,
        "SELECT files_seen, files_loaded, files_unchanged, files_failed, finished_at "
        "FROM ingest_runs",
    )
    assert len(run) == 1
    seen, n_loaded, unchanged, failed, finished = run[0]
    assert (seen, n_loaded + failed, unchanged) == (len(files), len(files), 0)
    assert finished is not None
    assert result.returncode == (1 if failed else 0)
    assert f"loaded {n_loaded}, unchanged 0, failed {failed} in" in result.stdout
    others = len([p for p in SAMPLES.rglob("*") if p.is_file()]) - len(files)
    assert f"skipped {others} file(s) of other types" in result.stdout  # README.md


def test_every_good_sample_loads(rayngan, tmp_path):
    """Text, PDF and HTML exports of every report load; only samples/**/bad/ may fail."""
    db = tmp_path / "w.duckdb"
    result = rayngan("ingest", str(SAMPLES), "--db", str(db))
    assert result.returncode in (0, 1), result.stderr
    loaded = {p for (p,) in rows(db, "SELECT path FROM source_files WHERE status='loaded'")}
    good = {str(p) for p in sample_files(good_only=True)}
    assert good - loaded == set()


def test_rerun_changes_no_row_and_records_all_unchanged(rayngan, tmp_path):
    db = tmp_path / "w.duckdb"
    inputs = copy_samples(tmp_path / "in", TXT)
    first = rayngan("ingest", "in", "--db", str(db))
    assert first.returncode == 0, first.stderr
    before = fingerprint(db)
    docs_before = rows(db, "SELECT * FROM documents ORDER BY doc_id")
    second = rayngan("ingest", "in", "--db", str(db))
    assert second.returncode == 0, second.stderr
    assert f"loaded 0, unchanged {len(inputs)}, failed 0" in second.stdout
    assert fingerprint(db) == before
    assert rows(db, "SELECT * FROM documents ORDER BY doc_id") == docs_before
    last = rows(
        db,
        "SELECT files_seen, files_loaded, files_unchanged, files_failed "
        "FROM ingest_runs ORDER BY started_at DESC LIMIT 1",
    )
    assert last == [(len(inputs), 0, len(inputs), 0)]


def test_unchanged_files_are_not_read(rayngan, tmp_path):
    """The stat cache: an unreadable but unchanged file is still 'unchanged'."""
    db = tmp_path / "w.duckdb"
    [one] = copy_samples(tmp_path / "in", TXT[:1])
    assert rayngan("ingest", "in", "--db", str(db)).returncode == 0
    plain = without_file_override()
    one.chmod(0)
    try:
        again = rayngan("ingest", "in", "--db", str(db), prefix=plain)
    finally:
        one.chmod(0o644)
    assert again.returncode == 0, again.stderr
    assert "unchanged 1" in again.stdout


def test_same_bytes_at_a_new_path_add_no_document(rayngan, tmp_path):
    db = tmp_path / "w.duckdb"
    copy_samples(tmp_path / "a", TXT)
    assert rayngan("ingest", "a", "--db", str(db)).returncode == 0
    before = fingerprint(db)
    copy_samples(tmp_path / "b", TXT[:2])
    result = rayngan("ingest", "b", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "loaded 0, unchanged 2, failed 0" in result.stdout
    assert fingerprint(db) == before
    new = rows(
        db,
        "SELECT s.status, s.sha256 = d.doc_id FROM source_files s "
        "JOIN documents d ON d.doc_id = s.sha256 WHERE s.path LIKE 'b/%'",
    )
    assert sorted(new) == [("unchanged", True), ("unchanged", True)]


def test_changed_content_is_reloaded(rayngan, tmp_path):
    db = tmp_path / "w.duckdb"
    [one] = copy_samples(tmp_path / "in", TXT[:1])
    assert rayngan("ingest", "in", "--db", str(db)).returncode == 0
    one.write_bytes(one.read_bytes() + b"\n")
    result = rayngan("ingest", "in", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "loaded 1, unchanged 0, failed 0" in result.stdout
    sha = scalar(db, "SELECT sha256 FROM source_files WHERE path = ?", [str(Path("in") / one.name)])
    assert scalar(db, "SELECT count(*) FROM documents WHERE doc_id = ?", [sha]) == 1


def _bad_inputs(folder: Path) -> dict[str, bytes]:
    pdf = next((SAMPLES / "pdf").glob("*.pdf")).read_bytes()
    bad = {
        "empty.txt": b"",
        "noise.txt": os.urandom(4096),
        "truncated.pdf": pdf[: len(pdf) // 3],
    }
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in bad.items():
        (folder / name).write_bytes(data)
    return bad


def test_bad_files_fail_with_a_reason_while_a_good_file_loads(rayngan, tmp_path):
    db = tmp_path / "w.duckdb"
    bad = _bad_inputs(tmp_path / "in")
    copy_samples(tmp_path / "in", TXT[:1])
    result = rayngan("ingest", "in", "--db", str(db))
    assert result.returncode == 1
    assert_clean_stderr(result.stderr)
    status = dict(rows(db, "SELECT path, status FROM source_files"))
    assert status[str(Path("in") / TXT[0].name)] == "loaded"
    errors = dict(rows(db, "SELECT path, error FROM source_files WHERE status = 'failed'"))
    assert set(errors) == {str(Path("in") / name) for name in bad}
    for path, error in errors.items():
        assert error and "\n" not in error, path
        assert path in result.stderr  # the log names the file ...
    assert "[extract]" in result.stderr or "[detect]" in result.stderr  # ... and the stage
    assert f"loaded 1, unchanged 0, failed {len(bad)}" in result.stdout


def test_verbose_logs_the_traceback_of_a_failure(rayngan, tmp_path):
    db = tmp_path / "w.duckdb"
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    result = rayngan("ingest", "in", "--db", str(db), "--verbose")
    assert result.returncode == 1
    assert "Traceback" in result.stderr


def test_discovery_skips_hidden_and_temporary_files(rayngan, tmp_path):
    db = tmp_path / "w.duckdb"
    folder = tmp_path / "in"
    copy_samples(folder, TXT[:1])
    for name in (
        ".hidden.txt",
        "draft.txt~",
        ".#lock.txt",
        "x.txt.swp",
        "~$report.txt",
        "notes.md",
        ".git/config.txt",
    ):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(b"junk")
    result = rayngan("ingest", "in", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert rows(db, "SELECT count(*) FROM source_files") == [(1,)]
    assert "skipped 1 file(s) of other types" in result.stdout  # notes.md


def test_globs_and_single_files(rayngan, tmp_path):
    db = tmp_path / "w.duckdb"
    copy_samples(tmp_path / "in", TXT)
    result = rayngan("ingest", "in/0*.txt", f"in/real/{TXT[-1].name}", "--db", str(db))
    assert result.returncode == 0, result.stderr
    expected = len([p for p in TXT if p.name.startswith("0")]) + 1
    assert scalar(db, "SELECT count(*) FROM source_files") == expected


def test_a_path_matching_nothing_is_bad_usage(rayngan, tmp_path):
    result = rayngan("ingest", "no/such/folder", "--db", str(tmp_path / "w.duckdb"))
    assert result.returncode == 2
    assert "no/such/folder" in result.stderr
    assert_clean_stderr(result.stderr)


def test_bad_options_are_usage_errors(rayngan, tmp_path):
    assert rayngan("ingest", "x", "--workers", "0").returncode == 2
    assert rayngan("ingest", "x", "--max-bytes", "lots").returncode == 2
    assert rayngan("ingest").returncode == 2
    assert rayngan("frobnicate").returncode == 2


def test_db_defaults_to_env_then_current_folder(rayngan, tmp_path):
    copy_samples(tmp_path / "in", TXT[:1])
    assert rayngan("ingest", "in").returncode == 0
    assert (tmp_path / "warehouse.duckdb").exists()
    env_db = tmp_path / "elsewhere" / "env.duckdb"
    assert rayngan("ingest", "in", env={"RAYNGAN_DB": str(env_db)}).returncode == 0
    assert scalar(env_db, "SELECT count(*) FROM documents") == 1


def test_force_reparses_everything(rayngan, tmp_path):
    db = tmp_path / "w.duckdb"
    copy_samples(tmp_path / "in", TXT)
    assert rayngan("ingest", "in", "--db", str(db)).returncode == 0
    before = fingerprint(db)
    result = rayngan("ingest", "in", "--db", str(db), "--force")
    assert result.returncode == 0, result.stderr
    assert f"loaded {len(TXT)}, unchanged 0, failed 0" in result.stdout
    assert fingerprint(db) == before


def test_documents_of_an_older_parser_version_are_reparsed(rayngan, tmp_path):
    import duckdb

    db = tmp_path / "w.duckdb"
    copy_samples(tmp_path / "in", TXT[:3])
    assert rayngan("ingest", "in", "--db", str(db)).returncode == 0
    with duckdb.connect(str(db)) as con:
        con.execute(
            "UPDATE documents SET parser_version = '0' WHERE doc_id IN "
            "(SELECT doc_id FROM documents ORDER BY doc_id LIMIT 2)"
        )
    result = rayngan("ingest", "in", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "loaded 2, unchanged 1, failed 0" in result.stdout
    assert scalar(db, "SELECT count(*) FROM documents WHERE parser_version = '0'") == 0


def test_max_bytes_fails_a_large_file_unread(rayngan, tmp_path):
    db = tmp_path / "w.duckdb"
    copy_samples(tmp_path / "in", TXT[:2])
    limit = max(p.stat().st_size for p in TXT[:2]) + 100
    big = tmp_path / "in" / "big.txt"
    big.write_bytes(b"x" * (limit + 5000))
    result = rayngan("ingest", "in", "--db", str(db), "--max-bytes", str(limit))
    assert result.returncode == 1
    error, sha = rows(db, "SELECT error, sha256 FROM source_files WHERE path = 'in/big.txt'")[0]
    assert f"more than the limit of {limit:,} bytes" in error
    assert sha is not None and len(sha) == 64  # fingerprinted while streaming
    assert scalar(db, "SELECT count(*) FROM source_files WHERE status = 'loaded'") == 2


def test_failed_files_are_kept_failed_until_retried(rayngan, tmp_path):
    """A file that failed for a reason of its own (here: it crashes its worker) stays failed
    while unchanged; --retry-failed loads it.  (A timeout is the run's: see
    tests/reliability/test_archive_faults.py.)"""
    db = tmp_path / "w.duckdb"
    copy_samples(tmp_path / "in", TXT[:3])
    victim = TXT[0].name
    crash = {"RAYNGAN_TEST_CRASH_ON": victim}
    first = rayngan("ingest", "in", "--db", str(db), env=crash)
    assert first.returncode == 1
    assert rows(
        db, "SELECT error, failure_class FROM source_files WHERE path LIKE ?", [f"%{victim}"]
    ) == [("internal error in read: the worker process died (signal 11)", "permanent")]
    second = rayngan("ingest", "in", "--db", str(db))
    assert second.returncode == 0, "a known failure (not new in this run) exits 0"
    assert "loaded 0, unchanged 2, failed 1 " in second.stdout
    assert "1 failed before" in second.stdout
    assert "--retry-failed" in second.stderr
    third = rayngan("ingest", "in", "--db", str(db), "--retry-failed")
    assert third.returncode == 0, third.stderr
    assert "loaded 1, unchanged 2, failed 0" in third.stdout


def test_retry_failed_without_paths_retries_what_the_warehouse_knows(rayngan, tmp_path):
    db = tmp_path / "w.duckdb"
    copy_samples(tmp_path / "in", TXT[:2])
    victim = TXT[1].name
    first = rayngan(
        "ingest",
        "in",
        "--db",
        str(db),
        "--file-timeout",
        "1",
        env={"RAYNGAN_TEST_SLEEP_ON": victim},
    )
    assert first.returncode == 1
    again = rayngan("ingest", "--retry-failed", "--db", str(db))
    assert again.returncode == 0, again.stderr
    assert "loaded 1, unchanged 0, failed 0" in again.stdout


@pytest.mark.parametrize("hook", ["RAYNGAN_TEST_SLEEP_ON", "RAYNGAN_TEST_HANG_ON"])
def test_a_file_over_its_time_budget_fails_and_the_batch_goes_on(rayngan, tmp_path, hook):
    """SLEEP: the worker's own timer fires.  HANG: SIGALRM blocked, as in a C-level hang
    (pdfium): the parent kills the worker, requeues the rest of its chunk."""
    db = tmp_path / "w.duckdb"
    copy_samples(tmp_path / "in", TXT)
    victim = TXT[2].name
    began = time.monotonic()
    result = rayngan(
        "ingest", "in", "--db", str(db), "--file-timeout", "1", "--workers", "1", env={hook: victim}
    )
    elapsed = time.monotonic() - began
    assert result.returncode == 1, result.stderr
    assert_clean_stderr(result.stderr)
    assert elapsed < 30
    errors = dict(rows(db, "SELECT path, error FROM source_files WHERE status = 'failed'"))
    assert list(errors) == [str(Path("in") / victim)]
    assert errors[str(Path("in") / victim)].startswith("timeout after 1 s in ")
    assert scalar(db, "SELECT count(*) FROM source_files WHERE status = 'loaded'") == len(TXT) - 1


def _hold_duckdb_writer(db: Path) -> subprocess.Popen:
    code = (
        "import duckdb, sys, time\n"
        f"con = duckdb.connect({str(db)!r})\n"
        "print('ready', flush=True)\n"
        "time.sleep(120)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc


def test_a_second_ingest_is_refused_at_once(rayngan, tmp_path):
    db = tmp_path / "w.duckdb"
    copy_samples(tmp_path / "in", TXT[:2])
    assert rayngan("ingest", "in", "--db", str(db)).returncode == 0
    before = fingerprint(db, ("documents", "source_files", "ingest_runs"))
    with open(f"{db}.lock", "a+") as fh:  # what a running ingest holds
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fh.truncate(0)
        fh.write("4242\n")
        fh.flush()
        began = time.monotonic()
        result = rayngan("ingest", "in", "--db", str(db), "--force")
        elapsed = time.monotonic() - began
    assert result.returncode == 3
    assert "another ingest holds w.duckdb (PID 4242)" in result.stderr
    assert elapsed < 10
    assert fingerprint(db, ("documents", "source_files", "ingest_runs")) == before


@pytest.mark.slow  # waits out the 10 s grace for the other writer
def test_a_warehouse_held_by_another_writer_exits_3_and_changes_nothing(rayngan, tmp_path):
    db = tmp_path / "w.duckdb"
    copy_samples(tmp_path / "in", TXT[:2])
    assert rayngan("ingest", "in", "--db", str(db)).returncode == 0
    before = fingerprint(db, ("documents", "source_files", "ingest_runs"))
    holder = _hold_duckdb_writer(db)
    try:
        began = time.monotonic()
        result = rayngan("ingest", "in", "--db", str(db), "--force")
        elapsed = time.monotonic() - began
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 3, result.stderr
    assert f"PID {holder.pid}" in result.stderr
    assert_clean_stderr(result.stderr)
    assert elapsed < 20
    assert fingerprint(db, ("documents", "source_files", "ingest_runs")) == before


def test_python_dash_m_ingest_is_the_same_cli(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "ingest", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    for command in ("ingest", "inspect", "query", "status", "export"):
        assert command in result.stdout


@pytest.mark.parametrize("command", ["ingest", "inspect", "query", "status", "export"])
def test_every_command_has_help_with_examples(rayngan, command):
    result = rayngan(command, "--help")
    assert result.returncode == 0
    assert "examples:" in result.stdout
    assert f"rayngan {command}" in result.stdout


def test_zip_archives_load_member_by_member(rayngan, tmp_path):
    import zipfile

    db = tmp_path / "w.duckdb"
    folder = tmp_path / "in"
    folder.mkdir()
    with zipfile.ZipFile(folder / "exports-2564.zip", "w") as archive:
        for src in TXT[:3]:
            archive.writestr(f"kpi/{src.name}", src.read_bytes())
        archive.writestr("README.md", "not a report")
        archive.writestr("inner.zip", b"PK\x05\x06" + b"\0" * 18)
    (folder / "broken.zip").write_bytes(b"PK\x03\x04 this is no archive")
    result = rayngan("ingest", "in", "--db", str(db))
    assert result.returncode == 1
    assert_clean_stderr(result.stderr)
    status = dict(rows(db, "SELECT path, status FROM source_files"))
    members = {f"in/exports-2564.zip!kpi/{src.name}" for src in TXT[:3]}
    assert {p for p, s in status.items() if s == "loaded"} == members
    assert status["in/exports-2564.zip!inner.zip"] == "failed"
    assert status["in/broken.zip"] == "failed"
    assert "in/exports-2564.zip!README.md" not in status
    again = rayngan("ingest", "in", "--db", str(db))
    assert "loaded 0, unchanged 3, failed 2" in again.stdout


def test_a_file_needing_too_much_memory_fails_alone(rayngan, tmp_path):
    db = tmp_path / "w.duckdb"
    copy_samples(tmp_path / "in", TXT[:4])
    victim = TXT[1].name
    result = rayngan("ingest", "in", "--db", str(db), env={"RAYNGAN_TEST_HOG_ON": victim})
    assert result.returncode == 1, result.stderr
    assert_clean_stderr(result.stderr)
    errors = dict(rows(db, "SELECT path, error FROM source_files WHERE status = 'failed'"))
    assert list(errors) == [str(Path("in") / victim)]
    assert "MemoryError" in errors[str(Path("in") / victim)]
    assert scalar(db, "SELECT count(*) FROM source_files WHERE status = 'loaded'") == 3


def test_a_worker_crash_fails_that_file_and_the_rest_of_its_chunk_goes_on(rayngan, tmp_path):
    db = tmp_path / "w.duckdb"
    copy_samples(tmp_path / "in", TXT)
    victim = TXT[3].name
    result = rayngan(
        "ingest", "in", "--db", str(db), "--workers", "1", env={"RAYNGAN_TEST_CRASH_ON": victim}
    )
    assert result.returncode == 1, result.stderr
    assert_clean_stderr(result.stderr)
    errors = dict(rows(db, "SELECT path, error FROM source_files WHERE status = 'failed'"))
    assert errors == {
        str(Path("in") / victim): "internal error in read: the worker process died (signal 11)"
    }
    assert scalar(db, "SELECT count(*) FROM source_files WHERE status = 'loaded'") == len(TXT) - 1


def test_an_unreadable_file_fails_with_a_plain_reason(rayngan, tmp_path):
    plain = without_file_override()
    db = tmp_path / "w.duckdb"
    one, _ = copy_samples(tmp_path / "in", TXT[:2])
    one.chmod(0)
    try:
        result = rayngan("ingest", "in", "--db", str(db), prefix=plain)
    finally:
        one.chmod(0o644)
    assert result.returncode == 1
    error = scalar(db, "SELECT error FROM source_files WHERE status = 'failed'")
    assert error == "The file cannot be read (Permission denied)."


def _ingest_on_a_terminal(tmp_path: Path, *extra: str) -> str:
    """Run an ingest whose stderr is a pseudo-terminal; return what it wrote there."""
    import pty

    copy_samples(tmp_path / "in", TXT)
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "ingest", "ingest", "in", "--db", "w.duckdb", *extra],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=follower,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 4096)
        except OSError:  # EIO: the other side closed
            break
        if not data:
            break
        chunks.append(data)
    proc.communicate(timeout=120)
    os.close(leader)
    assert proc.returncode == 0
    return b"".join(chunks).decode("utf-8", "replace")


def test_progress_is_shown_on_a_terminal(tmp_path):
    shown = _ingest_on_a_terminal(tmp_path)
    assert f"/{len(TXT)} files" in shown and "files/s" in shown and "ETA" in shown


def test_quiet_turns_progress_off(tmp_path):
    assert "files/s" not in _ingest_on_a_terminal(tmp_path, "--quiet")


@pytest.mark.parametrize("hook", ["RAYNGAN_TEST_SLEEP_ON", "RAYNGAN_TEST_HANG_ON"])
def test_a_zip_member_over_its_budget_fails_alone(rayngan, tmp_path, hook):
    """The parent's kill in the middle of an archive: the other members still load."""
    import zipfile

    db = tmp_path / "w.duckdb"
    (tmp_path / "in").mkdir()
    with zipfile.ZipFile(tmp_path / "in" / "batch.zip", "w") as archive:
        for src in TXT[:6]:
            archive.writestr(src.name, src.read_bytes())
    victim = TXT[2].name
    result = rayngan("ingest", "in", "--db", str(db), "--file-timeout", "1", env={hook: victim})
    assert result.returncode == 1, result.stderr
    assert_clean_stderr(result.stderr)
    status = dict(rows(db, "SELECT path, status FROM source_files"))
    assert status.pop(f"in/batch.zip!{victim}") == "failed"
    assert sorted(status) == sorted(
        f"in/batch.zip!{src.name}" for src in TXT[:6] if src.name != victim
    )
    assert set(status.values()) == {"loaded"}
