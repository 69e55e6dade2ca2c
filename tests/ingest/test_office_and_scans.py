"""`rayngan ingest` on a folder of Word/Excel files, a scanned PDF and an image: office files
load like their text exports, OCR runs in the workers and is recorded (documents.text_source,
line_confidence), --no-ocr skips images, and -v names every skipped file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.ingest.ingest_helpers import rows

ROOT = Path(__file__).resolve().parents[2]

from bench.scans import ScanStyle, scan_images, scan_pdf  # noqa: E402
from tests.extract.office_maker import docx_bytes, xlsx_bytes  # noqa: E402

SAMPLE = ROOT / "samples" / "004_a8b6aaaadac5bd4d.txt"
SAMPLE_PDF = ROOT / "samples" / "pdf" / "004_a8b6aaaadac5bd4d.pdf"


def _office_folder(folder: Path) -> None:
    folder.mkdir()
    text = SAMPLE.read_text(encoding="utf-8")
    (folder / "report.docx").write_bytes(docx_bytes(text))
    (folder / "report.xlsx").write_bytes(xlsx_bytes(text.replace("0411-2029", "0411-2030")))
    (folder / "notes.md").write_text("# notes", encoding="utf-8")
    (folder / "~$report.docx").write_bytes(b"lock")
    image = scan_images(SAMPLE_PDF.read_bytes(), ScanStyle(dpi=150), seed=1, pages=[1])[0]
    image.save(folder / "page.png")


def test_office_files_load_and_skipped_files_are_named(rayngan, tmp_path):
    _office_folder(tmp_path / "in")
    db = tmp_path / "w.duckdb"
    result = rayngan("ingest", "in", "--db", str(db), "--no-ocr", "-v")
    assert result.returncode == 0, result.stderr
    assert "loaded 2, unchanged 0, failed 0" in result.stdout
    assert "skipped 2 file(s) of other types, 1 hidden or temporary" in result.stdout
    assert "in/notes.md: file type .md is not read" in result.stderr
    assert "in/page.png: image: read only by OCR, which is off (--no-ocr)" in result.stderr
    assert "in/~$report.docx: temporary file" in result.stderr
    got = rows(db, "SELECT media_type, code, kind, text_source FROM documents ORDER BY 1")
    assert got == [
        ("docx", "0411-2029", "kpi_detail", "text"),
        ("xlsx", "0411-2030", "kpi_detail", "text"),
    ]
    # a sheet stands in for a page
    assert rows(
        db,
        "SELECT DISTINCT page FROM quarterly_results q JOIN documents USING (doc_id)"
        " WHERE media_type = 'xlsx'",
    ) == [(1,)]


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="needs tesseract")
def test_scans_are_read_by_ocr_in_the_workers(rayngan, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    scan = scan_pdf(SAMPLE_PDF.read_bytes(), ScanStyle(dpi=200), seed=2, pages=[1])
    (folder / "scan.pdf").write_bytes(scan)
    db = tmp_path / "w.duckdb"
    result = rayngan("ingest", "in", "--db", str(db), "--workers", "2")
    assert result.returncode == 0, result.stderr
    assert rows(db, "SELECT media_type, text_source, code FROM documents") == [
        ("pdf", "ocr", "0411-2029")
    ]
    lines, low, high = rows(
        db, "SELECT count(*), min(confidence), max(confidence) FROM line_confidence"
    )[0]
    assert lines >= 5 and 0 <= low <= high <= 100
    # an analyst tells OCR'd facts by their line: the indicator's line was read by OCR
    assert rows(
        db,
        "SELECT count(*) FROM indicators i JOIN line_confidence c USING (doc_id, line_no)",
    ) == [(1,)]
    # a re-run: unchanged, not read again
    again = rayngan("ingest", "in", "--db", str(db))
    assert "loaded 0, unchanged 1" in again.stdout


REAL_TCPDF = ROOT.parent / "shared" / "real-pdf" / "w06_gov_web_tcpdf_83911.pdf"


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="needs tesseract")
@pytest.mark.skipif(not REAL_TCPDF.exists(), reason="needs ../shared/real-pdf")
def test_a_scan_longer_than_its_file_budget_loads_the_pages_read_in_time(rayngan, tmp_path):
    # w06: 20 pages with a garbled text layer, all read by OCR (about 3 s each): the file's
    # budget covers a few; those load, the rest are named as unread, the file never fails
    db = tmp_path / "w.duckdb"
    result = rayngan("ingest", str(REAL_TCPDF), "--db", str(db), "--file-timeout", "20")
    assert result.returncode == 0, result.stderr
    assert "loaded 1, unchanged 0, failed 0" in result.stdout
    assert rows(db, "SELECT text_source FROM documents") == [("ocr",)]
    (unread,) = rows(db, "SELECT count(*) FROM anomalies WHERE rule = 'ocr_page_unread'")
    (lines,) = rows(db, "SELECT count(*) FROM document_lines")
    assert 5 <= unread[0] < 20 and lines[0] > 0
