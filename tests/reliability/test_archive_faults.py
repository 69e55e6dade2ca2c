"""Archive faults a real nightly job meets (issue 17): hostile names, symlinks, lock files,
leftover and foreign warehouse files, zip members.  Real files, real links, the real CLI."""

from __future__ import annotations

import fcntl
import os
import zipfile

import duckdb
import pytest

from ingest.extract.archive import iter_members
from ingest.job.paths import for_terminal, fs_bytes, os_path, stored_path
from tests.ingest.ingest_helpers import rows, run_cli, scalar
from tests.reliability.fault_helpers import FORGED, THAI_CP874, TXT, hostile_tree, put


def test_the_stored_escape_is_reversible_and_leaves_utf8_names_alone():
    for raw in [THAI_CP874 + b".txt", b"a\\xff\\\\b", b"\xff\\x41", "ไทย.txt".encode(), b"\\"]:
        name = os.fsdecode(raw)
        stored = stored_path(name)
        stored.encode("utf-8")  # valid Unicode: DuckDB takes it
        assert fs_bytes(stored) == raw and os_path(stored) == name
    assert stored_path("exports/ไทย 2567.txt") == "exports/ไทย 2567.txt"
    assert stored_path(os.fsdecode(b"a\xc3\xd2.txt")) == "a\\xc3\\xd2.txt"
    assert for_terminal("a\nb\x1b[2J\u202ec") == "a\\x0ab\\x1b[2J\\u202ec"


def test_non_utf8_names_load_and_are_stored_reversibly(tmp_path):
    folder = tmp_path / "in"
    named = put(folder, THAI_CP874 + b".txt", TXT[0].read_bytes())
    put(folder, b"ok.txt", TXT[1].read_bytes())
    first = run_cli("ingest", "in", "--db", "w.duckdb", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "loaded 2, unchanged 0, failed 0" in first.stdout
    paths = {p for (p,) in rows(tmp_path / "w.duckdb", "SELECT path FROM source_files")}
    [escaped] = paths - {"in/ok.txt"}
    assert escaped.startswith("in/\\xc3\\xd2") and escaped.isprintable()
    assert os.path.join(os.fsencode(tmp_path), fs_bytes(escaped)) == named
    again = run_cli("ingest", "in", "--db", "w.duckdb", cwd=tmp_path)
    assert "loaded 0, unchanged 2, failed 0" in again.stdout  # the stat cache finds it


def test_names_with_control_characters_cannot_forge_output(tmp_path):
    put(tmp_path / "in", FORGED, b"not a zip")
    result = run_cli("ingest", "in", "--db", "w.duckdb", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [result.stdout.strip()]  # one summary line
    assert "loaded 0, unchanged 0, failed 1" in result.stdout
    for text in (result.stderr, run_cli("status", "--db", "w.duckdb", cwd=tmp_path).stdout):
        assert "\x1b" not in text and "\x07" not in text
        assert "\nloaded 999" not in text and "x\\x0aloaded 999" in text
    stored = scalar(tmp_path / "w.duckdb", "SELECT path FROM source_files")
    assert stored == "in/" + FORGED  # stored as it is (valid Unicode): only shown escaped


@pytest.mark.parametrize("how", ["folder", "glob"])
def test_symlink_loops_end_and_links_out_of_the_tree_are_not_followed(tmp_path, how):
    hostile_tree(tmp_path / "in", tmp_path / "outside")
    given = "in" if how == "folder" else "in/**/*.txt"
    result = run_cli("ingest", given, "--db", "w.duckdb", cwd=tmp_path, timeout=120)
    assert result.returncode in (0, 1), result.stderr
    assert "SECRET" not in result.stderr + result.stdout
    assert "not followed: 1 symlink(s)" in result.stdout
    db = tmp_path / "w.duckdb"
    assert scalar(db, "SELECT count(*) FROM source_files WHERE path LIKE '%shadow%'") == 0
    assert scalar(db, "SELECT count(*) FROM source_files WHERE error LIKE '%SECRET%'") == 0
    report = run_cli("report", "--out", "r.html", "--db", "w.duckdb", cwd=tmp_path)
    assert report.returncode == 0 and "SECRET" not in (tmp_path / "r.html").read_text()


def test_follow_symlinks_follows_out_of_the_tree_and_still_ends_loops(tmp_path):
    hostile_tree(tmp_path / "in", tmp_path / "outside")
    result = run_cli(
        "ingest", "in", "--follow-symlinks", "--db", "w.duckdb", cwd=tmp_path, timeout=120
    )
    assert result.returncode == 1  # the forged name is no zip
    paths = [p for (p,) in rows(tmp_path / "w.duckdb", "SELECT path FROM source_files")]
    assert "in/shadow.txt" in paths
    assert not [p for p in paths if "loop" in p]  # each real folder walked once


def test_a_lock_file_that_is_a_symlink_is_refused_and_its_target_untouched(tmp_path):
    victim = tmp_path / "victim"
    victim.write_text("precious\n")
    os.symlink(victim, tmp_path / "w.duckdb.lock")
    put(tmp_path / "in", b"a.txt", TXT[0].read_bytes())
    result = run_cli("ingest", "in", "--db", "w.duckdb", cwd=tmp_path)
    assert result.returncode == 1
    assert "symbolic link" in result.stderr and "Traceback" not in result.stderr
    assert victim.read_text() == "precious\n"
    os.link(victim, tmp_path / "x.duckdb.lock")  # a hard link: refused as well
    result = run_cli("ingest", "in", "--db", "x.duckdb", cwd=tmp_path)
    assert result.returncode == 1 and "hard links" in result.stderr
    assert victim.read_text() == "precious\n"


def test_one_warehouse_named_through_a_symlink_has_one_lock(tmp_path):
    put(tmp_path / "in", b"a.txt", TXT[0].read_bytes())
    real = tmp_path / "data" / "w.duckdb"
    real.parent.mkdir()
    os.symlink(real.parent, tmp_path / "link")  # the folder linked: another name for it
    fd = os.open(str(real) + ".lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)  # a first ingest holds the real warehouse
    try:
        result = run_cli("ingest", "in", "--db", "link/w.duckdb", cwd=tmp_path)
    finally:
        os.close(fd)
    assert result.returncode == 3, result.stderr
    assert not real.exists()


@pytest.mark.parametrize("leftover", ["empty", "first-block", "zeros"])
def test_a_leftover_of_a_killed_first_run_is_recreated(tmp_path, leftover):
    put(tmp_path / "in", b"a.txt", TXT[0].read_bytes())
    db = tmp_path / "w.duckdb"
    assert run_cli("ingest", "in", "--db", "w.duckdb", cwd=tmp_path).returncode == 0
    header = db.read_bytes()[:4096]  # what a kill after DuckDB's first write leaves
    content = {"empty": b"", "first-block": header, "zeros": b"\0" * 4096}[leftover]
    db.unlink()
    db.write_bytes(content)
    status = run_cli("status", "--db", "w.duckdb", cwd=tmp_path)
    assert status.returncode == 1 and "run `rayngan ingest` again" in status.stderr
    result = run_cli("ingest", "in", "--db", "w.duckdb", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "loaded 1, unchanged 0, failed 0" in result.stdout


def test_a_small_file_that_is_not_a_leftover_is_never_deleted(tmp_path):
    put(tmp_path / "in", b"a.txt", TXT[0].read_bytes())
    notes = tmp_path / "notes.duckdb"
    notes.write_text("my notes, not a database\n" * 20)
    result = run_cli("ingest", "in", "--db", "notes.duckdb", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert notes.read_text() == "my notes, not a database\n" * 20


def test_a_duckdb_that_is_not_a_warehouse_is_refused_unchanged(tmp_path):
    put(tmp_path / "in", b"a.txt", TXT[0].read_bytes())
    other = tmp_path / "other.duckdb"
    with duckdb.connect(str(other)) as con:
        con.execute("CREATE TABLE sales (id INTEGER); INSERT INTO sales VALUES (1)")
    result = run_cli("ingest", "in", "--db", "other.duckdb", cwd=tmp_path)
    assert result.returncode == 1
    assert "not a rayngan warehouse" in result.stderr and "main.sales" in result.stderr
    tables = rows(other, "SELECT table_name FROM information_schema.tables")
    assert tables == [("sales",)]


def test_zip_members_climbing_out_fail_with_their_reason(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    with zipfile.ZipFile(folder / "a.zip", "w") as archive:
        archive.writestr("kpi/ok.txt", TXT[0].read_bytes())
        archive.writestr("../../x.txt", TXT[1].read_bytes())
        archive.writestr("/etc/cron.d/y.txt", TXT[2].read_bytes())
    result = run_cli("ingest", "in", "--db", "w.duckdb", cwd=tmp_path)
    assert result.returncode == 1
    failed = dict(rows(tmp_path / "w.duckdb", "SELECT path, error FROM source_files "
                       "WHERE status = 'failed'"))  # fmt: skip
    assert set(failed) == {"in/a.zip!../../x.txt", "in/a.zip!/etc/cron.d/y.txt"}
    assert all("climbs out of the archive" in e for e in failed.values())
    assert not (tmp_path / "x.txt").exists()


def test_max_bytes_holds_for_zip_members_and_the_rest_loads(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    with zipfile.ZipFile(folder / "a.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("ok.txt", TXT[0].read_bytes())
        archive.writestr("big.txt", os.urandom(300_000).hex().encode())  # 600 KB
    result = run_cli("ingest", "in", "--max-bytes", "100KB", "--db", "w.duckdb", cwd=tmp_path)
    assert result.returncode == 1
    got = dict(rows(tmp_path / "w.duckdb", "SELECT path, status FROM source_files"))
    assert got == {"in/a.zip!ok.txt": "loaded", "in/a.zip!big.txt": "failed"}
    # inflating itself stops at the limit (the declared size may lie)
    members = dict(iter_members(folder / "a.zip", max_member_bytes=100 * 1024))
    assert "more than the limit of 102,400 bytes" in str(members["a.zip!big.txt"])


def test_zip_names_flagged_utf8_but_cp874_are_read_member_by_member(tmp_path):
    folder = tmp_path / "in"
    hostile_tree(folder, tmp_path / "outside")
    result = run_cli("ingest", "in/thai-names.zip", "--db", "w.duckdb", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    [(path,)] = rows(tmp_path / "w.duckdb", "SELECT path FROM source_files")
    assert fs_bytes(path) == b"in/thai-names.zip!" + THAI_CP874 + b".txt"


def test_export_never_deletes_a_folder_it_did_not_write(tmp_path):
    """`rayngan export ~` must not delete ~/documents."""
    put(tmp_path / "in", b"a.txt", TXT[0].read_bytes())
    assert run_cli("ingest", "in", "--db", "w.duckdb", cwd=tmp_path).returncode == 0
    home = tmp_path / "home"
    (home / "documents").mkdir(parents=True)
    (home / "documents" / "thesis.txt").write_text("years of work")
    run_cli("export", str(home), "--db", "w.duckdb", cwd=tmp_path)
    assert (home / "documents" / "thesis.txt").read_text() == "years of work"
