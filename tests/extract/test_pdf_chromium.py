"""Chromium prints of the samples give the facts of the text exports they come from.

tests/fixtures/chromium/ holds one print per sample page (samples/html/*.html), made by
scripts/make_chromium_pdfs in six Thai font set-ups (TLWG Laksaman, Garuda, Loma; Noto
Sans and Serif Thai; the Sarabun web font) taken in turn, every other one with
Chromium's running header and footer.  Chromium wraps each Thai cluster in an
``/ActualText`` span, draws no spaces, wraps lines at the page width, draws table cells
as boxes and checkboxes as pictures: each print must still parse to the document its
text export parses to (kind, code, fiscal year, title and every record).

Compared as in test_sample_variants (free text without whitespace, provenance masked),
and the excerpt a "cut short" anomaly quotes is compared by its last 20 letters: a
browser wraps Thai at a space without drawing it, so whether a space stood at a wrap
is not in the print, and the excerpt's window counts spaces.
"""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from ingest.extract.dispatch import extract
from tests.extract.conftest import sample_facts

ROOT = Path(__file__).resolve().parents[2]
PRINTS = sorted((ROOT / "tests" / "fixtures" / "chromium").glob("*.pdf"))
OTHER = ROOT / "tests" / "fixtures" / "chromium" / "other"
_EXCERPT = re.compile(r"(endswith')([^']*)(')")


def export_of(pdf: Path) -> Path:
    stem = pdf.name.split("__")[0]
    path = ROOT / "samples" / f"{stem}.txt"
    return path if path.exists() else ROOT / "samples" / "real" / f"{stem}.txt"


def print_facts(text: str) -> dict:
    facts = sample_facts(text)
    for anomaly in facts["anomalies"]:
        anomaly["message"] = _EXCERPT.sub(lambda m: m[1] + m[2][-20:] + m[3], anomaly["message"])
    return facts


def test_every_sample_page_has_a_print_in_each_set_up():
    stems = {p.name.split("__")[0] for p in PRINTS}
    pages = {p.stem for p in (ROOT / "samples" / "html").glob("*.html")}
    # every BMA sample page is printed (the data kinds' pages are not yet)
    assert stems <= pages
    assert stems >= {s for s in pages if not s.startswith(("moph_", "moi_"))}
    assert {p.name.split("__")[1].removesuffix(".pdf") for p in PRINTS} >= {
        "laksaman", "garuda", "loma", "noto-sans", "noto-serif", "sarabun-web",
    }  # fmt: skip
    assert any(p.stem.endswith("__bare") for p in PRINTS)
    assert any(not p.stem.endswith("__bare") for p in PRINTS)
    sizes = [p.stat().st_size for p in PRINTS]
    assert max(sizes) < 200_000 and sum(sizes) < 3_000_000


@pytest.mark.parametrize("pdf", PRINTS, ids=lambda p: p.stem)
def test_print_gives_the_text_exports_facts(pdf: Path):
    got = extract(pdf.read_bytes(), pdf.name)
    assert got.media_type == "pdf"
    assert print_facts(got.text) == print_facts(export_of(pdf).read_text(encoding="utf-8"))
    assert not [a for a in got.anomalies if a.rule == "garbled_page"]


@pytest.mark.parametrize("pdf", PRINTS, ids=lambda p: p.stem)
def test_print_text_has_no_browser_furniture_and_no_repeated_clusters(pdf: Path):
    text = extract(pdf.read_bytes(), pdf.name).text
    assert "file://" not in text  # the footer's URL
    assert not re.search(r"^\s*\d{1,2}/\d{1,2}\s*$", text, re.MULTILINE)  # the footer's "1/5"
    assert not re.search(r"\d{1,2}/\d{1,2}/\d{2}, \d{1,2}:\d{2}", text)  # the header's date
    # pdfium alone gives each ActualText span's text to every glyph of the span
    assert "วัชี้" not in text and "ชี้ วั" not in text


def test_pdfium_alone_repeats_actualtext_spans():
    """The damage the ActualText handling undoes is really in these prints."""
    pdf = next(p for p in PRINTS if p.name.startswith("kpi_detail_02__laksaman"))
    doc = pdfium.PdfDocument(pdf.read_bytes())
    raw = "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    assert "ตัวชี้วัด" not in raw.replace(" ", "")  # ตั วชี้ วัชี้ ด
    assert "ตัวชี้วัด" in extract(pdf.read_bytes(), pdf.name).text


def test_print_with_header_and_footer_drops_them():
    pdf = next(p for p in PRINTS if not p.stem.endswith("__bare"))
    doc = pdfium.PdfDocument(pdf.read_bytes())
    raw = doc[0].get_textpage().get_text_range()
    assert "file://" in raw  # Chromium printed the page's URL at the foot
    assert "file://" not in extract(pdf.read_bytes(), pdf.name).text


def test_table_cells_become_tab_separated_rows_and_checkboxes_their_markup():
    pdf = next(p for p in PRINTS if p.name.startswith("002_"))
    lines = extract(pdf.read_bytes(), pdf.name).text.split("\n")
    assert "ประเด็น\tรายละเอียด\t\t" in lines
    row = next(line for line in lines if line.startswith("เอกสารอ้างอิง"))
    assert row.count("<input") == 3 and row.count('checked=""') == 1


def test_letter_spaced_line_is_rejoined():
    text = extract((OTHER / "letter_spaced__laksaman__bare.pdf").read_bytes(), "ls.pdf").text
    assert "ผู้บริหารเข้าร่วมประชุม ณ ห้องประชุมใหญ่" in text
    assert "ค่าเป้าหมาย ร้อยละ : 100" in text
