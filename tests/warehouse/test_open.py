"""Opening the warehouse: migrations, read-only use, and the lock another process holds."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

from parsers.errors import WarehouseError, WarehouseLockedError
from tests.warehouse.warehouse_builders import full_document, source_for
from warehouse import schema
from warehouse.store import Warehouse


def _hold_lock(db: Path, seconds: float, read_only: bool = False) -> subprocess.Popen[str]:
    """A child process holding a connection on ``db`` for ``seconds``."""
    code = textwrap.dedent(
        f"""
        import time, duckdb
        con = duckdb.connect({str(db)!r}, read_only={read_only})
        print("locked", flush=True)
        time.sleep({seconds})
        con.close()
        """
    )
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "locked"
    return child


def test_migrations_apply_once_in_order(db_path: Path) -> None:
    names = [m.name for m in schema.available_migrations()]
    assert names[0] == "0001_core.sql"
    assert names == sorted(names)
    for _ in range(2):
        with Warehouse.open(db_path) as wh:
            rows = wh.query("SELECT version, name FROM schema_migrations ORDER BY version")[1]
            assert [name for _, name in rows] == names
            assert wh.schema_version() == max(v for v, _ in rows)


def test_a_new_migration_is_applied_once_on_the_next_open(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Warehouse.open(db_path).close()
    extra = schema.Migration(9000, "9000_extra.sql", "CREATE VIEW extra AS SELECT 1 AS one;")
    shipped = schema.available_migrations()
    monkeypatch.setattr(schema, "available_migrations", lambda: [*shipped, extra])
    for _ in range(2):
        with Warehouse.open(db_path) as wh:
            assert wh.query("SELECT one FROM extra")[1] == [(1,)]
            rows = wh.query("SELECT checksum FROM schema_migrations WHERE version = 9000")[1]
            assert rows == [(extra.checksum,)]


def test_failing_migration_rolls_back(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Warehouse.open(db_path).close()
    bad = schema.Migration(9999, "9999_bad.sql", "CREATE TABLE half_done (a INT); SELECT nonsense;")
    shipped = schema.available_migrations()
    monkeypatch.setattr(schema, "available_migrations", lambda: [*shipped, bad])
    with pytest.raises(WarehouseError, match=r"9999_bad\.sql"):
        Warehouse.open(db_path)
    monkeypatch.undo()
    with Warehouse.open(db_path, read_only=True) as wh:
        assert 9999 not in schema.applied_versions(wh.con)
        tables = wh.query("SELECT table_name FROM information_schema.tables")[1]
        assert ("half_done",) not in tables


def test_read_only_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    missing = tmp_path / "nothing.duckdb"
    with pytest.raises(WarehouseError, match=r"no warehouse at .*rayngan ingest"):
        Warehouse.open(missing, read_only=True)
    assert not missing.exists()


def test_not_a_duckdb_file(tmp_path: Path) -> None:
    junk = tmp_path / "junk.duckdb"
    junk.write_text("not a database" * 100)
    with pytest.raises(WarehouseError, match="cannot be opened"):
        Warehouse.open(junk)


def test_read_only_can_query_but_not_write(db_path: Path) -> None:
    with Warehouse.open(db_path) as wh:
        run = wh.start_run()
        wh.load(run, source_for("a.txt", "a"), full_document())
    with Warehouse.open(db_path, read_only=True) as ro:
        assert ro.query("SELECT count(*) FROM latest_documents")[1] == [(1,)]
        with pytest.raises(WarehouseError):
            ro.query("DELETE FROM documents")


def test_second_writer_gets_locked_error_naming_the_pid(db_path: Path) -> None:
    Warehouse.open(db_path).close()
    child = _hold_lock(db_path, 30)
    try:
        started = time.monotonic()
        with pytest.raises(WarehouseLockedError) as info:
            Warehouse.open(db_path)
        assert time.monotonic() - started < 5
        message = str(info.value)
        assert f"PID {child.pid}" in message
        assert "holds warehouse.duckdb for writing" in message
        assert "another --db" in message
        with pytest.raises(WarehouseLockedError):
            Warehouse.open(db_path, read_only=True, wait_seconds=0.3)
    finally:
        child.kill()
        child.wait()


def test_writer_blocked_by_a_reader_says_so(db_path: Path) -> None:
    Warehouse.open(db_path).close()
    child = _hold_lock(db_path, 30, read_only=True)
    try:
        with pytest.raises(
            WarehouseLockedError, match=rf"PID {child.pid}\) has .* open for reading"
        ):
            Warehouse.open(db_path)
    finally:
        child.kill()
        child.wait()


def test_reader_waits_for_the_writer_to_finish(db_path: Path) -> None:
    Warehouse.open(db_path).close()
    child = _hold_lock(db_path, 1.0)
    try:
        with Warehouse.open(db_path, read_only=True, wait_seconds=20) as ro:
            assert ro.query("SELECT count(*) FROM documents")[1] == [(0,)]
    finally:
        child.kill()
        child.wait()


def test_several_readers_share_the_file(db_path: Path) -> None:
    Warehouse.open(db_path).close()
    code = f"import duckdb; duckdb.connect({str(db_path)!r}, read_only=True); print('ok')"
    with Warehouse.open(db_path, read_only=True):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "ok", out.stderr


def test_lock_released_when_writer_is_killed(db_path: Path) -> None:
    Warehouse.open(db_path).close()
    child = _hold_lock(db_path, 60)
    child.kill()
    child.wait()
    with Warehouse.open(db_path) as wh:
        assert isinstance(wh.con, duckdb.DuckDBPyConnection)
