"""Slides (.pptx, .odp, .ppt) give their text in reading order, a slide standing in for a page.

The decks are written by other tools than the reader: python-pptx
(tests/extract/office_maker.py), and LibreOffice for the .odp and PowerPoint 97-2003 .ppt
fixtures (tests/extract/fixtures, made by scripts/make_office_fixtures).
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from pptx import Presentation

from ingest.extract import office
from ingest.extract.dispatch import extract
from parsers.errors import InputError
from parsers.registry import parse_document
from tests.extract.office_maker import kpi_deck_bytes, pptx_bytes
from tests.ingest.ingest_helpers import rows, run_cli

SAMPLES_DIR = Path(__file__).resolve().parents[2] / "samples"
SAMPLES = sorted(SAMPLES_DIR.glob("0*.txt"))
FIXTURES = Path(__file__).parent / "fixtures"

# (slide, line) of the results deck, whatever program saved it
DECK = [
    (1, "สรุปผลการดำเนินงานตามตัวชี้วัด ประจำปีงบประมาณ พ.ศ. ๒๕๖๗"),  # the layout's title
    (1, "สำนักงานเขตบางรัก"),  # the subtitle, a line break inside its paragraph
    (1, "ไตรมาสที่ ๔"),
    (2, "ค่าเป้าหมาย ร้อยละ 80"),  # drawn second, but left of the box beside it
    (2, "ผลการดำเนินงาน ร้อยละ 85.5"),
    (2, "โครงการพัฒนาระบบติดตามผล"),  # a group: its shapes by position too
    (2, "งบประมาณ 2.5 ล้านบาท"),
    (2, "ตัวชี้วัด\tเป้าหมาย\tผลงาน"),
    (2, "ร้อยละของผู้เข้าร่วม\t80\t85.5"),
    (2, "รวมทั้งสิ้น\t\t1,250"),  # a merged cell: its text in its first cell
    (3, "ผลการเบิกจ่ายรายไตรมาส"),
    (3, "ร้อยละการเบิกจ่าย"),  # the chart's title, then its data
    (3, "\tเป้าหมาย (ล้านบาท)\tผลการเบิกจ่าย (ล้านบาท)"),
    (3, "ไตรมาส 1\t1.5\t1.2"),
    (3, "ไตรมาส 2\t3\t2.75"),
    (3, "ไตรมาส 3\t4.5\t4.1"),
    (3, "ไตรมาส 4\t6"),  # no value for the last quarter yet
]


def _reads_ppt() -> bool:
    """LibreOffice with Impress (soffice alone may hold only Writer and Calc)."""
    if shutil.which("soffice") is None:
        return False
    try:
        office._soffice_convert((FIXTURES / "kpi_deck.ppt").read_bytes(), "ppt", "pptx")
    except (InputError, subprocess.TimeoutExpired):
        return False
    return True


def _lines(got) -> list[tuple[int, str]]:
    return list(zip(got.line_pages, got.text.rstrip("\n").split("\n"), strict=True))


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_a_deck_of_each_sample_gives_the_text_exports_facts(path: Path, facts):
    """Every block a shape, drawn bottom first: only reading by position keeps the order."""
    text = path.read_text(encoding="utf-8")
    deck = pptx_bytes(text)
    assert len(Presentation(io.BytesIO(deck)).slides) >= 2
    got = extract(deck, f"{path.stem}.pptx")
    assert (got.media_type, got.text_source) == ("pptx", "text")
    assert facts(got.text) == facts(text)
    assert got.line_pages is not None and max(got.line_pages) >= 2


@pytest.mark.parametrize(
    "fmt",
    [
        "pptx",
        "odp",
        pytest.param(
            "ppt",
            marks=pytest.mark.skipif(
                not _reads_ppt(), reason="needs LibreOffice Impress (libreoffice-impress-nogui)"
            ),
        ),
    ],
)
def test_the_results_deck_reads_in_reading_order_with_its_chart_data(fmt: str):
    data = kpi_deck_bytes() if fmt == "pptx" else (FIXTURES / f"kpi_deck.{fmt}").read_bytes()
    got = extract(data, f"deck.{fmt}")
    assert got.media_type == fmt
    assert _lines(got) == DECK


def test_the_results_deck_lands_with_its_facts():
    got = extract((FIXTURES / "kpi_deck.odp").read_bytes(), "deck.odp")
    doc = parse_document(got.text, "deck.odp")
    assert (doc.kind, doc.agency, doc.fiscal_year) == ("generic", "สำนักงานเขตบางรัก", 2567)
    assert doc.title == "สรุปผลการดำเนินงานตามตัวชี้วัด ประจำปีงบประมาณ พ.ศ. ๒๕๖๗"
    [indicator] = doc.indicators
    assert (indicator.target_value, indicator.achieved_value) == (80.0, 85.5)
    # the chart's unit, "(ล้านบาท)", is no amount; the slide's 2.5 ล้านบาท is
    assert [a.value for a in doc.amounts] == [2_500_000.0]


def test_a_damaged_deck_fails_with_its_reason(monkeypatch):
    with pytest.raises(InputError, match=r"The pptx file cannot be read \(.+\)"):
        extract(b"PK\x03\x04 not really a zip", "broken.pptx")
    with pytest.raises(InputError, match="The odp file cannot be read"):
        extract(b"plain text named like slides", "broken.odp")
    monkeypatch.setattr(office.shutil, "which", lambda name: None)
    with pytest.raises(InputError, match=r"needs LibreOffice .* or saving it as \.pptx"):
        extract((FIXTURES / "kpi_deck.ppt").read_bytes(), "old.ppt")


@pytest.mark.skipif(shutil.which("antiword") is None, reason="needs antiword")
def test_a_doc_falls_back_to_antiword_when_libreoffice_cannot_convert(monkeypatch, facts):
    """soffice may be there without Writer (Impress alone): .doc still reads."""

    def no_writer(data: bytes, kind: str, to: str) -> bytes:
        raise office.OfficeError(f"LibreOffice cannot convert the .{kind} file (no Writer).")

    monkeypatch.setattr(office, "_soffice_convert", no_writer)
    monkeypatch.setattr(office.shutil, "which", lambda name: f"/usr/bin/{name}")
    got = extract((FIXTURES / "000_fe2414e97ca3dbed.doc").read_bytes(), "000.doc")
    text = (SAMPLES_DIR / "000_fe2414e97ca3dbed.txt").read_text(encoding="utf-8")
    assert facts(got.text) == facts(text)


def test_slides_are_found_by_the_cli(tmp_path: Path):
    """A folder of decks lands through the real CLI, a slide recorded as the page."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "deck.pptx").write_bytes(kpi_deck_bytes())
    shutil.copy(FIXTURES / "kpi_deck.odp", tmp_path / "in" / "deck.odp")
    done = run_cli("ingest", "in", "--db", "w.duckdb", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    got = rows(
        tmp_path / "w.duckdb",
        "SELECT d.media_type, l.page, l.text FROM documents d JOIN document_lines l "
        "USING (doc_id) WHERE l.text LIKE 'ไตรมาส 2%' ORDER BY 1",
    )
    assert got == [("odp", 3, "ไตรมาส 2\t3\t2.75"), ("pptx", 3, "ไตรมาส 2\t3\t2.75")]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")
def test_a_conversion_past_its_time_leaves_no_libreoffice_behind(monkeypatch):
    """soffice's launcher, killed alone, leaves soffice.bin converting: the group goes."""
    monkeypatch.setattr(office, "DOC_TIMEOUT_S", 0.5)
    with pytest.raises(InputError, match="LibreOffice took over 0 s"):
        extract((FIXTURES / "kpi_deck.ppt").read_bytes(), "slow.ppt")
    left = subprocess.run(["pgrep", "-f", "rayngan-doc-"], capture_output=True, text=True)
    assert left.stdout == ""
