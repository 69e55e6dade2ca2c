"""`rayngan inspect | query | status | export` end to end (real CLI, real DuckDB files)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.ingest.ingest_helpers import CONTENT_TABLES, SAMPLES, rows, sample_files, scalar

TXT = sample_files(".txt")
KPI_DETAIL = SAMPLES / "004_a8b6aaaadac5bd4d.txt"


@pytest.fixture
def loaded_db(rayngan, tmp_path) -> Path:
    db = tmp_path / "w.duckdb"
    result = rayngan("ingest", *map(str, TXT), "--db", str(db))
    assert result.returncode == 0, result.stderr
    return db


# ---------------------------------------------------------------- inspect


def test_inspect_prints_a_readable_summary(rayngan, tmp_path):
    result = rayngan("inspect", str(KPI_DETAIL))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "kind          kpi_detail" in out
    assert "0411-2029" in out
    assert "records" in out and "reach_metrics" in out
    assert not list(tmp_path.glob("*.duckdb"))  # touches no database


def test_inspect_json_is_the_document(rayngan):
    result = rayngan("inspect", str(KPI_DETAIL), "--json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["kind"] == "kpi_detail"
    assert doc["code"] == "0411-2029"
    assert doc["_file"]["sha256"] and doc["reach_metrics"]


def test_inspect_a_bad_file_exits_1_with_the_reason(rayngan, tmp_path):
    bad = tmp_path / "nothing.txt"
    bad.write_bytes(b"")
    result = rayngan("inspect", str(bad))
    assert result.returncode == 1
    assert "The file is empty" in result.stderr
    assert "Traceback" not in result.stderr
    missing = rayngan("inspect", str(tmp_path / "missing.txt"))
    assert missing.returncode == 2 and "missing.txt" in missing.stderr


def test_inspect_with_an_explicit_encoding(rayngan, tmp_path):
    cp874 = tmp_path / "old.txt"
    cp874.write_bytes(KPI_DETAIL.read_text(encoding="utf-8").encode("cp874", errors="replace"))
    result = rayngan("inspect", str(cp874), "--encoding", "cp874", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["_file"]["encoding"] == "cp874"


# ---------------------------------------------------------------- query


def test_query_table_csv_and_json(rayngan, loaded_db):
    sql = "SELECT kind, count(*) AS n FROM documents GROUP BY kind ORDER BY kind"
    expected = rows(loaded_db, sql)
    table = rayngan("query", sql, "--db", str(loaded_db))
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["kind", "n"]
    assert set(lines[1]) <= {"-", " "}
    assert f"({len(expected)} rows)" in table.stdout
    as_csv = rayngan("query", sql, "--db", str(loaded_db), "--format", "csv")
    parsed = list(csv.reader(io.StringIO(as_csv.stdout)))
    assert parsed == [["kind", "n"], *([k, str(n)] for k, n in expected)]
    as_json = rayngan("query", sql, "--db", str(loaded_db), "--format", "json")
    assert json.loads(as_json.stdout) == [{"kind": k, "n": n} for k, n in expected]


def test_query_thai_text_aligns(rayngan, loaded_db):
    result = rayngan(
        "query",
        "SELECT title, fiscal_year FROM documents WHERE title IS NOT NULL ORDER BY doc_id LIMIT 3",
        "--db",
        str(loaded_db),
    )
    assert result.returncode == 0, result.stderr
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in result.stdout)


def test_query_is_read_only(rayngan, loaded_db):
    before = scalar(loaded_db, "SELECT count(*) FROM documents")
    result = rayngan("query", "DELETE FROM documents", "--db", str(loaded_db))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert scalar(loaded_db, "SELECT count(*) FROM documents") == before


def test_query_errors_are_one_line(rayngan, loaded_db, tmp_path):
    bad = rayngan("query", "SELEC nonsense", "--db", str(loaded_db))
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and "rayngan:" in bad.stderr
    missing = rayngan("query", "SELECT 1", "--db", str(tmp_path / "none.duckdb"))
    assert missing.returncode == 2 and "rayngan ingest" in missing.stderr


def test_query_waits_for_a_writer_then_runs(rayngan, loaded_db):
    """A writer holding the file for a few seconds (an ingest writing a batch) delays a
    query; it does not fail it."""
    code = (
        "import duckdb, time\n"
        f"con = duckdb.connect({str(loaded_db)!r})\n"
        "print('ready', flush=True)\n"
        "time.sleep(3)\n"
        "con.close()\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
    began = time.monotonic()
    result = rayngan("query", "SELECT count(*) AS n FROM documents", "--db", str(loaded_db))
    holder.wait()
    assert result.returncode == 0, result.stderr
    assert 1.5 < time.monotonic() - began < 10


# ---------------------------------------------------------------- status


def test_status_lists_documents_runs_and_failures(rayngan, tmp_path):
    db = tmp_path / "w.duckdb"
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "broken.txt").write_bytes(b"")
    (folder / KPI_DETAIL.name).write_bytes(KPI_DETAIL.read_bytes())
    assert rayngan("ingest", "in", "--db", str(db)).returncode == 1
    result = rayngan("status", "--db", str(db))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "documents per kind and fiscal year" in out and "kpi_detail" in out
    assert "last runs" in out
    assert "failed files (1)" in out and "in/broken.txt" in out and "empty" in out


# ---------------------------------------------------------------- export


def test_export_round_trip(rayngan, loaded_db, tmp_path):
    out = tmp_path / "parquet"
    result = rayngan("export", str(out), "--db", str(loaded_db))
    assert result.returncode == 0, result.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    where = {rel["name"]: out / rel["path"] for rel in manifest["relations"]}
    con = duckdb.connect()

    def parquet(table: str) -> str:
        path = where[table]
        glob = f"{path}/**/*.parquet" if path.is_dir() else str(path)
        return f"read_parquet('{glob}', union_by_name = true)"

    for table in (*CONTENT_TABLES, "source_files", "ingest_runs"):
        exported = con.execute(f"SELECT count(*) FROM {parquet(table)}").fetchone()[0]
        assert exported == scalar(loaded_db, f"SELECT count(*) FROM {table}"), table
    ids = sorted(r[0] for r in con.execute(f"SELECT doc_id FROM {parquet('documents')}").fetchall())
    assert ids == sorted(r[0] for r in rows(loaded_db, "SELECT doc_id FROM documents"))
    total = con.execute(f"SELECT sum(value) FROM {parquet('reach_metrics')}").fetchone()[0]
    assert total == scalar(loaded_db, "SELECT sum(value) FROM reach_metrics")


def test_ingest_with_a_bad_kind_file_stops_naming_file_and_key(rayngan, tmp_path):
    kinds = tmp_path / "kinds"
    kinds.mkdir()
    (kinds / "typo.toml").write_text('name = "my_kind"\nsummary = "s"\n[detect]\nal = ["x"]\n')
    result = rayngan("ingest", "x.txt", "--db", str(tmp_path / "w.duckdb"), "--kinds", str(kinds))
    assert result.returncode == 2
    assert f"{kinds / 'typo.toml'}: key 'detect.al': no such key" in result.stderr
    assert not (tmp_path / "w.duckdb").exists()


def test_ingest_with_a_users_kind_file_loads_what_it_claims(rayngan, tmp_path):
    kinds = tmp_path / "kinds"
    kinds.mkdir()
    (kinds / "mine.toml").write_text(
        'name = "my_report"\nsummary = "s"\n[detect]\nall = ["แบบรายงานของฉัน"]\n'
        '[[field]]\nlabel = "หน่วยงาน"\nto = "agency"\n',
        encoding="utf-8",
    )
    src = tmp_path / "mine.txt"
    src.write_text("แบบรายงานของฉัน\nหน่วยงาน : กอง ก\n", encoding="utf-8")
    db = tmp_path / "w.duckdb"
    assert rayngan("ingest", str(src), "--db", str(db)).returncode == 0  # no kind: generic
    assert rows(db, "SELECT kind FROM documents") == [("generic",)]
    result = rayngan("ingest", str(src), "--force", "--db", str(db), "--kinds", str(kinds))
    assert result.returncode == 0, result.stderr
    assert rows(db, "SELECT kind, agency FROM documents") == [("my_report", "กอง ก")]
