"""Every real PDF with a text layer (../shared/real-pdf) lands as `generic` with its title,
fiscal year and lines, read in place (they are reference inputs, not project files)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest.extract.dispatch import extract
from ingest.extract.ocr import OcrSettings
from parsers.model import assign_pages
from parsers.registry import parse_document

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "real-pdf"

# file -> (what the title starts with, the fiscal year the text states (None: it states none))
EXPECTED: dict[str, tuple[str, int | None]] = {
    "w01_royal_gazette_decree_2566.pdf": ("พระราชกฤษฎีกา ยุบสภาผู้แทนราษฎร", 2566),
    "w03_budget_bureau_fy2565_vol31.pdf": ("เอกสารงบประมาณ", 2565),
    "w05_order_form_word2013.pdf": ("คำสั่งสำนักงานศึกษาธิการจังหวัดฉะเชิงเทรา", None),
    # a manual: the 2526 on its first page is the year of the regulation it quotes
    "w12_doc_word2010.pdf": ("คู่มือการเขียนหนังสือราชการ", None),
    "w17_bkk_community_report_chromium_a.pdf": ("รายงานข้อมูลชุมชน", 2568),
    "w27_typst_example.pdf": ("วาทกรรมบริหารปัญญา", None),
}
# the agency the cover names, where it names one
AGENCY = {
    "w03_budget_bureau_fy2565_vol31.pdf": "สำนักงบประมาณ",
    "w05_order_form_word2013.pdf": "สำนักงานศึกษาธิการจังหวัดฉะเชิงเทรา",
}
# Its text layer is garbage (broken ToUnicode): it lands, but what its title is only OCR
# can tell, so it is in the landing test only.
GARBLED = "w06_gov_web_tcpdf_83911.pdf"
SCAN = "w29_parliament_vote_log_scan_a.pdf"
# Damage not repaired yet: these do not give their title.
DAMAGED: dict[str, str] = {}
pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason=f"{REAL} is not here")


# OCR reads the garbage and scanned PDFs: two pages at 200 dpi are enough to see them land.
FEW_PAGES = OcrSettings(dpi=200, max_pages=2)


def _parsed(name: str):
    ocr = FEW_PAGES if name in (GARBLED, SCAN) else OcrSettings()
    extracted = extract((REAL / name).read_bytes(), name, ocr=ocr)
    doc = parse_document(extracted.text, name)
    return assign_pages(doc, extracted.line_pages), extracted


@pytest.mark.parametrize("name", sorted([*EXPECTED, GARBLED]))
def test_a_real_pdf_lands_as_generic_with_its_lines(name: str) -> None:
    doc, extracted = _parsed(name)
    assert doc.kind == "generic"
    assert any(a.rule == "no_known_layout" for a in doc.anomalies)
    assert len(doc.lines) == len(extracted.text.rstrip("\n").split("\n"))
    assert doc.line_pages
    if name != GARBLED:  # read by OCR, two pages of it
        assert max(doc.line_pages) == extracted.page_count
    else:
        assert extracted.text_source == "ocr"
    assert doc.title


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.xfail(reason=DAMAGED[n], strict=False))
        if n in DAMAGED
        else n
        for n in sorted(EXPECTED)
    ],
)
def test_a_real_pdf_gives_its_title_and_fiscal_year(name: str) -> None:
    doc, _ = _parsed(name)
    title, fiscal_year = EXPECTED[name]
    assert doc.title is not None and doc.title.startswith(title)
    assert doc.fiscal_year == fiscal_year
    assert doc.agency == AGENCY.get(name)


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")
def test_the_scanned_pdf_lands() -> None:
    doc, extracted = _parsed(SCAN)
    assert doc.kind == "generic" and doc.lines
    assert extracted.text_source == "ocr" and extracted.line_confidence
