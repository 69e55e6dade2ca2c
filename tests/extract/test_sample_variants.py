"""Every sample gives the same facts whatever form it arrives in.

For each text export (samples/0*.txt, samples/real/*.txt) the committed PDF typeset by
LibreOffice in a Thai TLWG font (samples/pdf/, made by scripts/make_sample_pdfs), the
saved web page (samples/html/), for three long samples a justified PDF with paragraph
spacing, and the text re-encoded as cp874, UTF-16 (with and
without BOM) and with CRLF / CR line ends go through ``ingest.extract.dispatch.extract`` and
``parsers.registry.parse_document``; the documents must agree with the text export's.

Compared: every field except provenance (``line_no``, ``page``, ``source``) and the
extraction-only anomalies (``repaired_text``, ``garbled_page``).  Free text is compared
with whitespace removed, and line numbers inside anomaly messages are masked: a PDF
does not record whether a line the typesetter wrapped had a space at the break, and
wrapping moves line numbers.
"""

from __future__ import annotations

import codecs
import contextlib
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from ingest.extract.dispatch import extract

SAMPLES_DIR = Path(__file__).resolve().parents[2] / "samples"
SAMPLES = sorted(SAMPLES_DIR.glob("0*.txt")) + sorted((SAMPLES_DIR / "real").glob("*.txt"))


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _variants(path: Path) -> list[tuple[str, bytes, str]]:
    """(variant id, bytes, file name) for one sample."""
    text = _text(path)
    stem = path.stem
    found = [
        ("pdf", (SAMPLES_DIR / "pdf" / f"{stem}.pdf").read_bytes(), f"{stem}.pdf"),
        ("html", (SAMPLES_DIR / "html" / f"{stem}.html").read_bytes(), f"{stem}.html"),
        ("utf-16-le-bom", codecs.BOM_UTF16_LE + text.encode("utf-16-le"), f"{stem}.txt"),
        ("utf-16-be-bom", codecs.BOM_UTF16_BE + text.encode("utf-16-be"), f"{stem}.txt"),
        ("utf-16-le", text.encode("utf-16-le"), f"{stem}.txt"),
        ("utf-8-bom-crlf", codecs.BOM_UTF8 + text.replace("\n", "\r\n").encode(), f"{stem}.txt"),
        ("utf-8-cr", text.replace("\n", "\r").encode(), f"{stem}.txt"),
    ]
    justified = SAMPLES_DIR / "pdf" / f"{stem}-justified.pdf"
    if justified.exists():  # justified paragraphs with spacing: the other office layout
        found.append(("pdf-justified", justified.read_bytes(), f"{stem}.pdf"))
    # a sample with characters outside TIS-620 (e.g. PUA glyphs) has no cp874 form
    with contextlib.suppress(UnicodeEncodeError):
        found.append(("cp874", text.encode("cp874"), f"{stem}.txt"))
    return found


CASES = [
    pytest.param(path, variant, data, name, id=f"{path.stem}-{variant}")
    for path in SAMPLES
    for variant, data, name in _variants(path)
]

_EXPECTED: dict[Path, dict] = {}


def _expected(path: Path, facts: Callable[[str], dict]) -> dict:
    if path not in _EXPECTED:
        _EXPECTED[path] = facts(_text(path))
    return _EXPECTED[path]


def test_every_sample_has_a_pdf_and_a_page():
    assert len(SAMPLES) >= 20
    for path in SAMPLES:
        assert (SAMPLES_DIR / "pdf" / f"{path.stem}.pdf").exists(), path.stem
        assert (SAMPLES_DIR / "html" / f"{path.stem}.html").exists(), path.stem


def test_most_samples_have_a_cp874_form():
    encodable = [p for p in SAMPLES if any(v == "cp874" for v, _, _ in _variants(p))]
    assert len(encodable) >= len(SAMPLES) - 3


@pytest.mark.parametrize(("path", "variant", "data", "name"), CASES)
def test_variant_gives_the_same_facts(
    path: Path, variant: str, data: bytes, name: str, facts: Callable[[str], dict]
):
    got = extract(data, name)
    assert got.media_type == {"pdf": "pdf", "pdf-justified": "pdf", "html": "html"}.get(
        variant, "text"
    )
    if got.media_type == "text":
        assert got.text == _text(path)  # decoding is exact, line ends included
    assert facts(got.text) == _expected(path, facts)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_pdf_lines_map_to_pages(path: Path):
    data = (SAMPLES_DIR / "pdf" / f"{path.stem}.pdf").read_bytes()
    got = extract(data, f"{path.stem}.pdf")
    assert got.encoding == "pdf"
    assert got.line_pages is not None
    lines = got.text.split("\n")[:-1]
    assert len(got.line_pages) == len(lines)
    assert list(got.line_pages) == sorted(got.line_pages)
    assert got.line_pages[0] == 1 and got.line_pages[-1] <= (got.page_count or 0)
    # the running header and the page-number footer the PDFs carry are gone
    assert not any(re.fullmatch(r"หน้า \d+/\d+", line.strip()) for line in lines)
    assert not any(line == "ระบบติดตามผลการดำเนินงาน กรุงเทพมหานคร" for line in lines)
    assert not [a for a in got.anomalies if a.rule == "garbled_page"]
