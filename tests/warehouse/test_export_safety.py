"""`export` formats read back (pandas for CSV, openpyxl for the workbook) and its safety:
a fresh folder renamed into place, never deleting what it did not write."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from tests.warehouse.warehouse_builders import full_document, source_for
from warehouse.export import MANIFEST, ExportTargetError
from warehouse.store import Warehouse

THAI = "ร้อยละของประชาชนที่ได้รับบริการ"


def _filled(db_path: Path) -> Warehouse:
    wh = Warehouse.open(db_path)
    run = wh.start_run()
    wh.load_many(run, [(source_for("a.txt", "a"), full_document(title=THAI))])
    wh.finish_run(run, seen=1, loaded=1, unchanged=0, failed=0)
    return wh


def test_csv_is_utf8_with_a_bom_and_reads_back_in_pandas(db_path: Path, tmp_path: Path) -> None:
    with _filled(db_path) as wh:
        counts = wh.export(tmp_path / "csv", "csv")
    raw = (tmp_path / "csv" / "documents.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(tmp_path / "csv" / "documents.csv", encoding="utf-8-sig")
    assert list(frame["title"]) == [THAI] and len(frame) == counts["documents"]
    checks = pd.read_csv(tmp_path / "csv" / "checkboxes.csv", encoding="utf-8-sig")
    assert list(checks["checked"]) == [True]
    manifest = json.loads((tmp_path / "csv" / MANIFEST).read_text("utf-8"))
    assert "documents.csv" in manifest["files"] and manifest["format"] == "csv"


def test_xlsx_is_one_workbook_with_a_sheet_per_relation(db_path: Path, tmp_path: Path) -> None:
    with _filled(db_path) as wh:
        counts = wh.export(tmp_path / "x", "xlsx")
    book = openpyxl.load_workbook(tmp_path / "x" / "warehouse.xlsx", read_only=True)
    assert {"documents", "indicators", "kpi_results", "latest_documents"} <= set(book.sheetnames)
    rows = list(book["documents"].iter_rows(values_only=True))
    header, first = rows[0], rows[1]
    assert first[header.index("title")] == THAI and len(rows) - 1 == counts["documents"]
    indicators = list(book["indicators"].iter_rows(values_only=True))
    assert indicators[1][indicators[0].index("target_value")] == 80.0  # a number, not text


def test_a_folder_it_did_not_write_is_refused_untouched(db_path: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "documents").mkdir(parents=True)
    (home / "documents" / "thesis.docx").write_text("mine")
    (home / "notes.txt").write_text("mine too")
    with _filled(db_path) as wh, pytest.raises(ExportTargetError, match="not empty"):
        wh.export(home, "parquet")
    assert (home / "documents" / "thesis.docx").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "warehouse.duckdb"]


def test_a_file_as_the_folder_is_refused(db_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("keep")
    with _filled(db_path) as wh, pytest.raises(ExportTargetError, match="is a file"):
        wh.export(target, "csv")
    assert target.read_text() == "keep"


def test_re_export_replaces_only_its_own_files(db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with _filled(db_path) as wh:
        wh.export(out, "parquet")
        wh.export(out, "csv")  # an earlier export of its own: replaced whole
        assert not list(out.rglob("*.parquet")) and (out / "documents.csv").is_file()
        (out / "mine.txt").write_text("added by the analyst")
        with pytest.raises(ExportTargetError, match="did not write"):
            wh.export(out, "csv")
    assert (out / "mine.txt").read_text() == "added by the analyst"
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert leftovers == []  # no staging folder left behind
