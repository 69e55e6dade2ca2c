"""The second opinion on OCR'd Arabic numbers (ingest/extract/ocr_digits.py), on numbers
drawn in Laksaman (the samples' font) and read by the real tesseract."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from ingest.extract import tess_api
from ingest.extract.ocr_digits import number_fixes

LAKSAMAN = Path("/usr/share/fonts/truetype/tlwg/Laksaman.ttf")
HEAD = (
    "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
)

pytestmark = pytest.mark.skipif(
    shutil.which("tesseract") is None or not LAKSAMAN.exists(),
    reason="needs tesseract and fonts-thai-tlwg (scripts/setup installs them)",
)


def _page(words: list[tuple[str, str, float]]) -> tuple[bytes, str]:
    """A grey page with each number drawn ~55 px high (as at 300 dpi), and a tsv rendering
    that says each was read as the second item of its tuple with that confidence."""
    font = ImageFont.truetype(str(LAKSAMAN), 80)
    image = Image.new("L", (300 * len(words) + 100, 200), 235)
    draw = ImageDraw.Draw(image)
    rows, x = [HEAD], 60
    for drawn, read, conf in words:
        left, top, right, bottom = draw.textbbox((x, 60), drawn, font=font)
        draw.text((x, 60), drawn, font=font, fill=20)
        rows.append(
            f"5\t1\t1\t1\t1\t1\t{left}\t{top}\t{right - left}\t{bottom - top}\t{conf}\t{read}"
        )
        x = int(right) + 120
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue(), "\n".join(rows)


@pytest.mark.parametrize("engine", ["api", "cli"])  # tesserocr in process, or the command
def test_a_doubtful_number_read_again_replaces_digits_only(engine, monkeypatch):
    if engine == "api" and not tess_api.usable("eng"):
        pytest.skip("needs tesserocr (scripts/setup installs it)")
    monkeypatch.setenv(tess_api.ENGINE_ENV, engine)
    image, tsv = _page(
        [
            ("70.00", "10.00", 66.0),  # as tha+eng read sample 004's quarterly table
            ("3", "5", 51.0),
            ("5.4", "5.5", 60.0),
            ("70.00", "7.00", 60.0),  # another shape: a digit would be dropped, kept
            ("3", "8", 93.0),  # read with confidence: not read again
        ]
    )
    assert number_fixes(image, tsv, timeout=30) == {1: "70.00", 2: "3", 3: "5.4"}


def test_nothing_doubtful_runs_nothing():
    image, tsv = _page([("12", "12", 96.0)])
    assert number_fixes(image, tsv, timeout=30) == {}
    assert number_fixes(image, tsv.replace("\t96.0\t", "\t50.0\t"), timeout=0.5) == {}  # no time
