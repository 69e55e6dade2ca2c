"""Files named for Office that hold another format are read as what they hold.

Web systems' "Export to Excel" names an HTML page, text or an XML Spreadsheet .xls; Word
saves Rich Text as .doc.  The HTML and RTF fixtures were written by LibreOffice
(scripts/make_office_fixtures); the XML Spreadsheets by tests/extract/office_maker.py, as a
web system writes them.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from ingest.extract import office
from ingest.extract.dispatch import extract
from ingest.extract.sniff import what_it_holds
from parsers.errors import InputError
from tests.extract.office_maker import docx_bytes, spreadsheet_ml_bytes
from tests.ingest.ingest_helpers import rows, run_cli

SAMPLES_DIR = Path(__file__).resolve().parents[2] / "samples"
SAMPLES = sorted(SAMPLES_DIR.glob("0*.txt"))
FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE_000 = SAMPLES_DIR / "000_fe2414e97ca3dbed.txt"
SAMPLE_004 = SAMPLES_DIR / "004_a8b6aaaadac5bd4d.txt"


def _rules(got) -> list[str]:
    return [a.rule for a in got.anomalies]


@pytest.mark.parametrize(
    ("data", "named", "held"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "docx", ("office", "doc")),  # a renamed .doc
        (b"PK\x03\x04rest", "xls", ("office", "xlsx")),  # a renamed .xlsx
        (b"PK\x03\x04rest", "odt", ("office", "odt")),
        (b"{\\rtf1\\ansi\\ansicpg874 x}", "doc", ("rtf", "rtf")),
        (b"\xef\xbb\xbf<html><body>x</body></html>", "xls", ("html", "xls")),
        (
            b'<?xml version="1.0"?>\n<html xmlns:x="urn:schemas-microsoft-com:office:excel">',
            "xls",
            ("html", "xls"),
        ),
        (b"<table border=1><tr><td>80</td></tr></table>", "xls", ("html", "xls")),
        (b"<!-- export --><meta charset=tis-620><table>", "doc", ("html", "doc")),
        ("ตัวชี้วัด\t80\n".encode("cp874"), "xls", ("text", "xls")),
        ("ตัวชี้วัด\t80\n".encode("utf-16"), "xls", ("text", "xls")),
        (b"\x00\x01\x02binary junk", "xls", ("office", "xls")),  # the reader says why
        ("ตัวชี้วัด\t80\n".encode(), "xlsx", ("office", "xlsx")),  # only legacy names are text
    ],
)
def test_what_a_file_holds_is_told_by_its_content(data: bytes, named: str, held):
    assert what_it_holds(data, named) == held


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_an_xml_spreadsheet_named_xls_gives_the_text_exports_facts(path: Path, facts):
    text = path.read_text(encoding="utf-8")
    got = extract(spreadsheet_ml_bytes(text), f"{path.stem}.xls")
    assert (got.media_type, _rules(got)) == ("xls", ["misnamed_file"])
    assert facts(got.text) == facts(text)


def test_an_html_page_named_xls_gives_the_text_exports_facts(facts):
    got = extract((FIXTURES / "004_a8b6aaaadac5bd4d_html.xls").read_bytes(), "export.xls")
    assert (got.media_type, _rules(got)) == ("html", ["misnamed_file"])
    assert "HTML page" in got.anomalies[0].message and ".xls" in got.anomalies[0].message
    assert facts(got.text) == facts(SAMPLE_004.read_text(encoding="utf-8"))


def test_tab_separated_text_named_xls_is_read_as_rows(facts):
    text = SAMPLE_004.read_text(encoding="utf-8")
    got = extract(text.encode("utf-8"), "export.xls")
    assert (got.media_type, got.encoding, _rules(got)) == ("text", "utf-8", ["misnamed_file"])
    assert facts(got.text) == facts(text)


def test_a_docx_renamed_doc_is_read_as_docx(facts):
    text = SAMPLE_000.read_text(encoding="utf-8")
    got = extract(docx_bytes(text), "renamed.doc")
    assert (got.media_type, _rules(got)) == ("docx", ["misnamed_file"])
    assert facts(got.text) == facts(text)


def _converts_rtf() -> bool:
    try:
        office._rtf((FIXTURES / "000_fe2414e97ca3dbed_rtf.doc").read_bytes())
    except (InputError, subprocess.TimeoutExpired):
        return False
    return True


@pytest.mark.skipif(not _converts_rtf(), reason="needs LibreOffice Writer (setup installs it)")
def test_rich_text_named_doc_gives_the_text_exports_facts(facts):
    got = extract((FIXTURES / "000_fe2414e97ca3dbed_rtf.doc").read_bytes(), "saved.doc")
    assert (got.media_type, _rules(got)) == ("rtf", ["misnamed_file"])
    assert facts(got.text) == facts(SAMPLE_000.read_text(encoding="utf-8"))
    named_rtf = extract((FIXTURES / "000_fe2414e97ca3dbed_rtf.doc").read_bytes(), "saved.rtf")
    assert (named_rtf.media_type, _rules(named_rtf)) == ("rtf", [])


def test_rich_text_without_libreoffice_says_how_to_read_it(monkeypatch):
    monkeypatch.setattr(office.shutil, "which", lambda name: None)
    with pytest.raises(InputError, match=r"Rich Text \(RTF\), which needs LibreOffice"):
        extract((FIXTURES / "000_fe2414e97ca3dbed_rtf.doc").read_bytes(), "saved.doc")


def test_an_export_named_xls_lands_through_the_cli_with_its_anomaly(tmp_path: Path):
    (tmp_path / "in").mkdir()
    shutil.copy(FIXTURES / "004_a8b6aaaadac5bd4d_html.xls", tmp_path / "in" / "export.xls")
    done = run_cli("ingest", "in", "--db", "w.duckdb", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    db = tmp_path / "w.duckdb"
    assert rows(db, "SELECT kind, media_type FROM documents") == [("kpi_detail", "html")]
    assert ("misnamed_file", "info") in rows(db, "SELECT rule, severity FROM anomalies")


def test_a_password_protected_workbook_fails_saying_so():
    """fixtures/locked.xlsx: a workbook encrypted by msoffcrypto-tool, as Excel encrypts
    one (an OLE file holding an EncryptedPackage stream)."""
    data = (FIXTURES / "locked.xlsx").read_bytes()
    assert what_it_holds(data, "xlsx") == ("encrypted", "xlsx")
    with pytest.raises(
        InputError, match=r"locked\.xlsx: The \.xlsx file is protected by a password"
    ):
        extract(data, "locked.xlsx")
