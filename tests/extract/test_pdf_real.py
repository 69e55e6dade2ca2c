"""Real PDFs as their producers write them, read in place from ../shared/real-pdf.

One file per producer (see its manifest.jsonl): iText (Royal Gazette), Acrobat with the
Budget Bureau's PSL fonts, Word 2013 and 2010 in TH Sarabun, a government web system's
TCPDF with a broken ToUnicode map, a Chromium print, Typst, and a scan.  The checks are
the producers' damage, measured with the same dictionary share the garbled-page check
uses; they never name these files' exact bytes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.extract.dispatch import NO_OCR, extract
from ingest.extract.pdf import extract_pdf
from ingest.extract.pdf.garbled import dictionary_share
from normalize import repair_text
from parsers.errors import PdfError

REAL = Path(__file__).resolve().parents[3] / "shared" / "real-pdf"
pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason=f"no real PDFs at {REAL}")


def real(name: str) -> bytes:
    return next(REAL.glob(f"{name}_*.pdf")).read_bytes()


def landed_share(name: str) -> float:
    """Dictionary share of the whole text as it lands (extracted, then repaired)."""
    text = repair_text(extract_pdf(real(name), f"{name}.pdf").text)
    return dictionary_share(text, limit=10**9)[0]


@pytest.mark.parametrize(
    ("name", "least"),
    [("w01", 0.9), ("w03", 0.95), ("w12", 0.93), ("w17", 0.97), ("w27", 0.94)],
    ids=["itext", "acrobat-psl", "word2010", "chromium", "typst"],
)
def test_thai_of_real_pdfs_reads_as_words(name: str, least: float):
    assert landed_share(name) >= least


def test_tcpdf_garbage_is_refused_not_loaded():
    with pytest.raises(PdfError, match=r"garbage on all 20 pages.*needs OCR"):
        extract(real("w06"), "w06.pdf", ocr=NO_OCR)  # with OCR on, OCR reads it instead


def test_scan_has_no_text_layer():
    with pytest.raises(PdfError, match="no text layer"):
        extract(real("w29"), "w29.pdf", ocr=NO_OCR)


def test_psl_latin1_tone_marks_become_thai_marks():
    text = extract_pdf(real("w03"), "w03.pdf").text
    assert not re.search("[ÉÊËÌÍ]", text)
    assert "สนับสนุน" in repair_text(text)


def test_word_symbol_bullets_are_bullets_not_damage():
    got = extract(real("w12"), "w12.pdf")
    assert not re.search("[\uf000-\uf0ff]", got.text)
    assert re.search(r"^\s*•", got.text, re.MULTILINE)
    assert not [a for a in got.anomalies if a.rule == "garbled_page"]


def test_sarabun_it_font_that_maps_aa_to_am_is_read_per_font():
    # the bold TH SarabunIT๙ of the title maps its า glyph to ำ; the regular one does not
    text = extract_pdf(real("w05"), "w05.pdf").text  # before normalize's repairs
    assert "คำสั่งสำนักงานศึกษาธิการจังหวัดฉะเชิงเทรา" in text
    assert "(ตำแหน่ง)" in text  # the regular font: its nikhahit space, no swap


def test_nikhahit_drawn_as_a_space_is_read_as_sara_am():
    text = extract_pdf(real("w12"), "w12.pdf").text  # before normalize's repairs
    assert not re.search("[\u0e01-\u0e2e] \u0e32", text)  # "ส าเร็จ": 250 such sites in w12
    assert "ดำเนินการ" in text


def test_chromium_print_uses_each_actualtext_span_once():
    text = extract_pdf(real("w17"), "w17.pdf").text
    assert "ชุมชน" in text
    assert not re.search("([\u0e01-\u0e2e][\u0e31-\u0e4e]+)\\s?\\1", text)  # "ชี้ ชี้"
    assert "file://" not in text and "http" not in text.split("\n")[0]


def test_typst_marks_make_no_word_gaps():
    text = extract_pdf(real("w27"), "w27.pdf").text
    assert "บริหารปัญญา" in text
    assert "บริ หาร" not in text and "ปั ญญา" not in text


def test_text_outside_the_page_is_not_read():
    """The Budget Bureau book's covers carry the facing cover and a rotated spine title
    beyond the page's edges: read, they made page 1 a column of one-letter lines (taken
    for a garbled page and sent to OCR) and doubled its title."""
    got = extract_pdf(real("w03"), "w03.pdf")
    assert got.page_count == 84
    assert set(got.garbled_pages) == {v.page for v in got.verdicts if v.reason}
    assert got.garbled_pages == ()  # the back cover (page 84) too
    lines = got.text.split("\n")[:-1]
    first = [line for line, page in zip(lines, got.line_pages, strict=True) if page == 1]
    assert next(" ".join(line.split()) for line in first if line.strip()) == (
        "เอกสารงบประมาณ ฉบับที่ ๓"
    )
    assert sum("เอกสารงบประมาณ" in line for line in first) == 1
    assert not any(len(line.strip()) == 1 for line in first)
    assert got.empty_pages and not set(got.empty_pages) & set(got.garbled_pages)
    assert all(v.dictionary_share >= 0.5 for v in got.verdicts if not v.reason)
