"""Parquet export: every relation written, read back by DuckDB and pandas with equal counts."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from tests.warehouse.warehouse_builders import full_document, progress_export, source_for
from warehouse.store import Warehouse


def _fill(wh: Warehouse) -> None:
    run = wh.start_run()
    items = [
        (source_for("a.txt", "a"), full_document()),
        (source_for("b.txt", "b"), full_document(fiscal_year=None)),  # no year: own partition
        (source_for("c.txt", "c"), full_document(kind="kpi_form", title="เรื่อง'ที่มีอัญประกาศ")),
        (source_for("p.txt", "p"), progress_export([(date(2024, 1, 2), 7)])),
    ]
    wh.load_many(run, items)
    wh.record_failed(run, source_for("bad.txt", "bad"), "Broken.")
    wh.finish_run(run, seen=5, loaded=4, unchanged=0, failed=1)


def _read_duckdb(out: Path, entry: dict) -> int:
    target = out / entry["path"]
    pattern = f"{target}/**/*.parquet" if target.is_dir() else str(target)
    return duckdb.sql(f"SELECT count(*) FROM read_parquet('{pattern}')").fetchall()[0][0]


def test_export_round_trip(db_path: Path, tmp_path: Path) -> None:
    with Warehouse.open(db_path) as wh:
        _fill(wh)
        counts = wh.export_parquet(tmp_path / "out")
        live = {
            name: wh.query(f'SELECT count(*) FROM "{name}"')[1][0][0]
            for (name,) in wh.query(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
            )[1]
        }
    assert counts == live
    assert counts["documents"] == 4
    out = tmp_path / "out"
    manifest = json.loads((out / "manifest.json").read_text())
    entries = {e["name"]: e for e in manifest["relations"]}
    assert set(entries) == set(live)
    for name, entry in entries.items():
        assert entry["rows"] == counts[name], name
        assert _read_duckdb(out, entry) == counts[name], name
        assert len(pd.read_parquet(out / entry["path"])) == counts[name], name
    docs = pd.read_parquet(out / "documents")
    assert docs["fiscal_year"].isna().sum() == 1
    assert sorted(p.name for p in (out / "documents" / "kpi_detail").iterdir()) == [
        "2567.parquet",
        "unknown.parquet",
    ]


def test_export_twice_replaces_partitions(db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with Warehouse.open(db_path) as wh:
        _fill(wh)
        wh.export_parquet(out)
        wh.query("DELETE FROM documents WHERE kind = 'kpi_form'")
        counts = wh.export_parquet(out)
    assert not (out / "documents" / "kpi_form").exists()
    assert len(pd.read_parquet(out / "documents")) == counts["documents"] == 3


def test_export_of_an_empty_warehouse(db_path: Path, tmp_path: Path) -> None:
    with Warehouse.open(db_path) as wh:
        counts = wh.export_parquet(tmp_path / "out")
    assert counts["documents"] == 0
    assert len(pd.read_parquet(tmp_path / "out" / "documents.parquet")) == 0


def test_export_from_a_read_only_warehouse(db_path: Path, tmp_path: Path) -> None:
    with Warehouse.open(db_path) as wh:
        _fill(wh)
    with Warehouse.open(db_path, read_only=True) as ro:
        counts = ro.export_parquet(tmp_path / "out")
    assert counts["source_files"] == 5


def test_a_failing_view_is_reported_not_fatal(db_path: Path, tmp_path: Path) -> None:
    with Warehouse.open(db_path) as wh:
        _fill(wh)
        wh.query("CREATE VIEW broken AS SELECT CAST(title AS INTEGER) AS n FROM documents")
        counts = wh.export_parquet(tmp_path / "out")
    assert "broken" not in counts
    assert counts["documents"] == 4
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    broken = next(e for e in manifest["relations"] if e["name"] == "broken")
    assert "error" in broken


def test_partition_names_that_collide_lose_nothing(db_path: Path, tmp_path: Path) -> None:
    with Warehouse.open(db_path) as wh:
        run = wh.start_run()
        wh.load(run, source_for("1.txt", "1"), full_document(kind="odd kind"))  # type: ignore[arg-type]
        wh.load(run, source_for("2.txt", "2"), full_document(kind="odd/kind"))  # type: ignore[arg-type]
        counts = wh.export_parquet(tmp_path / "out")
    assert len(pd.read_parquet(tmp_path / "out" / "documents")) == counts["documents"] == 2
