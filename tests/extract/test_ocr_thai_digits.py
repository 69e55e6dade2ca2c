"""The second opinion on OCR'd Thai digits (ingest/extract/ocr_thai_digits.py): its
classifier on a font it was not trained on, a real scan crop tesseract misreads, and the
cases where it must change nothing."""

from __future__ import annotations

import io
import random
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from bench.thai_digits_train import HELD_OUT_FAMILY, TLWG, scanned_glyph
from ingest.extract import ocr_thai_digits as otd
from ingest.extract.ocr import ocr_image

FIXTURES = Path(__file__).parent / "fixtures"
# A crop of bench/scans.py's 300-dpi scan of sample 003 (LibreOffice, Laksaman): "ในปี ๒๕๖๗)",
# which tesseract's tha+eng reads "ในปี ๒๕๒๓)"
SCAN_2567 = FIXTURES / "scan_laksaman_2567.png"
# The running header of page 1 of ../shared/real-pdf/w06 (a Royal Gazette act, scanned, in
# a TH Sarabun-like face) as rayngan renders it at 300 dpi: "๑๔๒ ตอนที่ ๖๑ ... ๑๘ กันยายน ๒๕๖๘"
GAZETTE = FIXTURES / "scan_gazette_header_2568.png"
LOMA = TLWG / f"{HELD_OUT_FAMILY}.ttf"
LAKSAMAN = TLWG / "Laksaman.ttf"
HEAD = (
    "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
)

needs_fonts = pytest.mark.skipif(
    not LOMA.exists(), reason="needs fonts-thai-tlwg (scripts/setup installs it)"
)
needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None, reason="needs tesseract (scripts/setup installs it)"
)


@needs_fonts
def test_classifier_reads_digits_of_a_font_left_out_of_training():
    rng = random.Random(5)
    right = total = 0
    for label, digit in enumerate(otd.DIGITS):
        for _ in range(20):
            feats = scanned_glyph(LOMA, digit, rng)
            if feats is None:
                continue
            total += 1
            right += int(otd.classify(feats[None])[0].argmax()) == label
    assert total >= 180
    assert right / total >= 0.95, f"{right} of {total} Loma digits"


def _tsv(image: Path) -> str:
    cmd = ["tesseract", str(image), "stdout", "-l", "tha+eng", "--psm", "4", "--dpi", "300", "tsv"]
    return subprocess.run(cmd, capture_output=True, check=True, text=True).stdout


@needs_tesseract
def test_a_scanned_six_and_seven_read_as_two_and_three_are_put_right():
    tsv = _tsv(SCAN_2567)
    digits = [row.split("\t")[11] for row in tsv.split("\n") if row[:2] == "5\t"]
    assert "".join(d for d in digits if d in otd.DIGITS) == "๒๕๒๓"  # tesseract's reading
    fixes = otd.thai_digit_fixes(SCAN_2567.read_bytes(), tsv)
    assert sorted(fixes.values()) == ["๖", "๗"]
    page = ocr_image(SCAN_2567.read_bytes())[0]
    assert "๒๕๖๗" in " ".join(line.text for line in page.lines)


@needs_tesseract
def test_one_glyph_read_as_two_digits_becomes_one_on_a_real_gazette_header():
    assert (
        "๒๕๒๐๕"
        in subprocess.run(
            ["tesseract", str(GAZETTE), "stdout", "-l", "tha+eng", "--psm", "4", "--dpi", "300"],
            capture_output=True,
            check=True,
            text=True,
        ).stdout
    )  # ๖ read as ๒ and ๐, ๘ as ๕
    text = " ".join(line.text for line in ocr_image(GAZETTE.read_bytes())[0].lines)
    assert "๑๘ กันยายน ๒๕๖๘" in text
    assert "ตอนที่ ๖๑" in text and "๑๔๒" in text


def _drawn(text: str, font: Path = LAKSAMAN) -> tuple[bytes, tuple[int, int, int, int]]:
    """``text`` drawn ~45 px high on grey paper, and its ink box."""
    face = ImageFont.truetype(str(font), 67)
    image = Image.new("L", (120 + 60 * len(text), 160), 235)
    ImageDraw.Draw(image).text((40, 30), text, font=face, fill=25)
    ys, xs = np.nonzero(np.asarray(image) < 128)
    box = (int(xs.min()), int(ys.min()), int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue(), box


def _one_word(box: tuple[int, int, int, int], text: str) -> str:
    left, top, width, height = box
    return f"{HEAD}\n5\t1\t1\t1\t1\t1\t{left}\t{top}\t{width}\t{height}\t90.0\t{text}"


@needs_fonts
def test_a_clear_digit_read_wrong_is_swapped_and_a_right_one_kept():
    image, box = _drawn("๖")
    assert otd.thai_digit_fixes(image, _one_word(box, "๒")) == {1: "๖"}
    assert otd.thai_digit_fixes(image, _one_word(box, "๖")) == {}


@needs_fonts
def test_nothing_changes_where_the_glyphs_do_not_line_up_or_are_no_digits():
    image, box = _drawn("๒๕๖")
    assert otd.thai_digit_fixes(image, _one_word(box, "๒๕")) == {}  # 3 glyphs, 2 digits
    letter, box = _drawn("ต")
    assert otd.thai_digit_fixes(letter, _one_word(box, "๒")) == {}  # a letter, not a digit
    blank = io.BytesIO()
    Image.new("L", (200, 100), 235).save(blank, "PNG")
    assert otd.thai_digit_fixes(blank.getvalue(), _one_word((50, 20, 30, 40), "๒")) == {}


def test_an_unsure_classifier_keeps_tesseracts_digit():
    six, two = otd.DIGITS.index("๖"), otd.DIGITS.index("๒")
    probs = np.zeros(otd.OTHER + 1, dtype=np.float32)
    probs[six], probs[two] = 0.55, 0.45  # a known swap, but a small margin
    assert otd.decide("๒", probs) == "๒"
    probs[six], probs[two] = 0.95, 0.05
    assert otd.decide("๒", probs) == "๖"
    probs[:] = 0
    probs[otd.DIGITS.index("๑")], probs[two] = 0.92, 0.08  # not a known swap: needs more
    assert otd.decide("๒", probs) == "๒"
    probs[:] = 0
    probs[otd.OTHER] = 1.0  # no digit at all: tesseract's stays
    assert otd.decide("๒", probs) == "๒"


def test_components_join_diagonal_neighbours_only():
    ink = np.zeros((6, 8), dtype=bool)
    ink[0, 0:3] = True
    ink[1, 3] = True  # diagonal to the run above: the same component
    ink[4:6, 5:7] = True  # apart
    comps = sorted(otd.components(ink), key=lambda c: c.left)
    assert [(c.top, c.left, c.bottom, c.right, c.area) for c in comps] == [
        (0, 0, 2, 4, 4),
        (4, 5, 6, 7, 4),
    ]
