"""`rayngan search`: lines of any document containing a text, newest reports first."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.ingest.ingest_helpers import SAMPLES
from warehouse.search import search
from warehouse.store import Warehouse

PAGES = SAMPLES.parent / "bench" / "generic" / "pages"


def _loaded(rayngan, tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for path in (
        SAMPLES / "000_fe2414e97ca3dbed.txt",  # kpi_form, FY 2563
        SAMPLES / "004_a8b6aaaadac5bd4d.txt",  # kpi_detail, FY 2566
        PAGES / "moph_nkhdc_inspect_2567.txt",  # generic, FY 2567
        SAMPLES / "pdf" / "004_a8b6aaaadac5bd4d.pdf",  # the same page as a PDF
    ):
        shutil.copy(path, folder / path.name)
    db = tmp_path / "w.duckdb"
    assert rayngan("ingest", "in", "--db", str(db)).returncode == 0
    return db


def test_search_finds_a_thai_phrase_across_kinds_newest_first(rayngan, tmp_path: Path) -> None:
    db = _loaded(rayngan, tmp_path)
    result = rayngan("search", "ตัวชี้วัด", "--db", str(db), "--limit", "1000")
    assert result.returncode == 0, result.stderr
    hits = result.stdout.splitlines()
    assert all(": " in h and "ตัวชี้วัด" in h for h in hits)
    files = [h.split(":", 1)[0] for h in hits]
    order = list(dict.fromkeys(Path(f).name for f in files))
    assert order[0] == "moph_nkhdc_inspect_2567.txt"  # fiscal year 2567 before 2566 and 2563
    assert order[-1] == "000_fe2414e97ca3dbed.txt"
    assert any(
        h.startswith("in/004_a8b6aaaadac5bd4d.pdf:") and h.split(":")[2].isdigit() for h in hits
    )
    line = next(h for h in hits if h.startswith("in/moph_nkhdc_inspect_2567.txt:"))
    assert line == "in/moph_nkhdc_inspect_2567.txt:4: ตัวชี้วัด เกณฑ์ แหล่งข้อมูล การดำเนินงาน ผู้รับผิดชอบ"


def test_search_filters_and_limit(rayngan, tmp_path: Path) -> None:
    db = _loaded(rayngan, tmp_path)
    only = rayngan("search", "ร้อยละ", "--db", str(db), "--kind", "generic")
    assert only.returncode == 0 and only.stdout
    assert all(h.startswith("in/moph_nkhdc") for h in only.stdout.splitlines())
    fy = rayngan("search", "ตัวชี้วัด", "--db", str(db), "--fiscal-year", "2563", "--limit", "2")
    assert [h.split(":", 1)[0] for h in fy.stdout.splitlines()] == [
        "in/000_fe2414e97ca3dbed.txt"
    ] * 2
    none = rayngan("search", "ไม่มีคำนี้ในเอกสารใดเลย", "--db", str(db))
    assert none.returncode == 0 and none.stdout == "" and "no line contains" in none.stderr


def test_the_python_api_repairs_the_query(rayngan, tmp_path: Path) -> None:
    db = _loaded(rayngan, tmp_path)
    with Warehouse.open(db, read_only=True) as wh:
        # ํ + า as a PDF tool writes it is ำ, as the documents were repaired
        damaged = search(wh, "กลุ่มงานคุ้มครองฯ")
        hits = search(wh, "ผลการดําเนินงาน", limit=5)
    assert damaged and damaged[0].kind == "generic" and damaged[0].line_no == 9
    assert hits and all("ผลการดำเนินงาน" in h.text for h in hits)
    assert hits[0].location.startswith(hits[0].source_path + ":")
