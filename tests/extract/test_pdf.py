"""PDF extraction: failures with a reason, bounded work, page furniture, wrapped lines.

PDFs here are real: the committed LibreOffice samples, qpdf-encrypted copies of one
(samples/pdf/bad/, made by scripts/make_sample_pdfs), and PDFs written by pdfium itself
through pypdfium2 (text in a standard font, image-only pages).
"""

from __future__ import annotations

import ctypes
import gc
import io
import re
import time
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from ingest.extract.dispatch import NO_OCR, extract
from ingest.extract.pdf import (
    _PROBED_LENGTH,
    _Char,
    _longest_word,
    _page_chars,
    _thai_words,
    garbled_reason,
    preload_word_list,
)
from parsers.errors import PdfError
from tests.extract.pdf_maker import make_pdf

SAMPLES_DIR = Path(__file__).resolve().parents[2] / "samples"
BAD = SAMPLES_DIR / "pdf" / "bad"


def image_only_pdf(pages: int = 1) -> bytes:
    """A 'scanned' PDF: each page is a rendered picture of a sample page, no text."""
    source = pdfium.PdfDocument((SAMPLES_DIR / "pdf" / "kpi_detail_headless_01.pdf").read_bytes())
    bitmap = source[0].render(scale=0.5)
    pdf = pdfium.PdfDocument.new()
    for _ in range(pages):
        page = pdf.new_page(595, 842)
        image = pdfium.PdfImage.new(pdf)
        image.set_bitmap(bitmap)
        image.set_matrix(pdfium.PdfMatrix().scale(595, 842))
        page.insert_obj(image)
        page.gen_content()
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_encrypted_pdf_fails_with_its_reason():
    with pytest.raises(PdfError, match="encrypted") as info:
        extract((BAD / "encrypted_user_password.pdf").read_bytes(), "secret.pdf")
    assert info.value.path == "secret.pdf"


def test_pdf_encrypted_without_user_password_is_read():
    got = extract((BAD / "encrypted_owner_only.pdf").read_bytes(), "owner.pdf")
    assert "ผลงานที่ทำได้ ร้อยละ : 70.991" in got.text


def test_scanned_pdf_has_no_text_layer():
    # with OCR on, tests/extract/test_ocr.py reads it
    with pytest.raises(PdfError, match=r"no text layer \(scanned PDF\).*OCR, which is off"):
        extract(image_only_pdf(), "scan.pdf", ocr=NO_OCR)


def test_thousands_of_empty_pages_fail_fast():
    pdf = pdfium.PdfDocument.new()
    for _ in range(3000):
        pdf.new_page(595, 842)
    out = io.BytesIO()
    pdf.save(out)
    start = time.perf_counter()
    with pytest.raises(PdfError, match="no text layer"):
        extract(out.getvalue(), "empty.pdf")
    assert time.perf_counter() - start < 5


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF", "corrupt"),
        (b"not a pdf at all, but named like one", "corrupt or not a PDF"),
    ],
)
def test_corrupt_pdf_fails_with_its_reason(data: bytes, reason: str):
    with pytest.raises(PdfError, match=reason):
        extract(data, "bad.pdf")


def test_truncated_sample_fails_or_reads_cleanly():
    data = (SAMPLES_DIR / "pdf" / "004_a8b6aaaadac5bd4d.pdf").read_bytes()
    with pytest.raises(PdfError):
        extract(data[: len(data) // 3], "cut.pdf")


def test_running_headers_and_page_numbers_are_dropped():
    words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"]
    pages = [
        [
            (72, 800, "BMA Report System"),
            (72, 760, f"Printed 12/03/2566 page {n}"),
            *[(72, 700 - 14 * i, f"{words[(n + i) % 8]} line {i}") for i in range(6)],
            (72, 600, "same text on every page"),
            (72, 586, words[n]),
            (290, 40, f"- {n} -"),
        ]
        for n in range(1, 5)
    ]
    got = extract(make_pdf(pages), "furniture.pdf")
    lines = got.text.split("\n")
    assert "BMA Report System" not in lines
    assert not [line for line in lines if "Printed" in line or line.strip().startswith("-")]
    assert lines.count("same text on every page") == 4  # body text, not at a page edge
    assert got.line_pages is not None
    pages_of = [p for p, line in zip(got.line_pages, lines, strict=False) if line == "golf line 4"]
    assert pages_of == [2]


def test_page_number_words_are_dropped_on_a_single_page():
    for footer in ("Page 1", "- 1 -", "page 1 of 1", "1/1"):
        pdf = make_pdf([[(72, 700, "Title : 0411-2029"), (280, 40, footer)]])
        assert extract(pdf, "one.pdf").text == "Title : 0411-2029\n", footer


def test_vertical_gaps_become_blank_lines():
    got = extract(
        make_pdf([[(72, 700, "one"), (72, 686, "two"), (72, 644, "three"), (72, 630, "x")]]),
        "gaps.pdf",
    )
    assert got.text == "one\ntwo\n\n\nthree\nx\n"
    assert got.line_pages == (1, 1, 1, 1, 1, 1)


def test_wrapped_title_is_joined_before_its_code():
    # A line filled to the right margin whose next word could not fit is one line.
    left, right = 72.0, 595 - 72.0
    words = [
        "Percentage",
        "of",
        "success",
        "of",
        "the",
        "campaign",
        "for",
        "a",
        "transparent",
        "clean",
        "safe",
        "city",
    ] * 2
    first = ""
    for word in words:  # fill the first line as a typesetter would
        trial = f"{first} {word}".strip()
        if pdfium_text_width(trial) > right - left:
            break
        first = trial
    rest = " ".join(words[len(first.split()) :]) + " : 0411-2029"
    got = extract(
        make_pdf([[(left, 700, first), (left, 686, rest), (left, 672, "1. next")]]), "w.pdf"
    )
    assert got.text.split("\n")[0] == f"{first} {rest}"
    assert got.text.split("\n")[1] == "1. next"


def pdfium_text_width(text: str, size: float = 12) -> float:
    page = pdfium.PdfDocument(make_pdf([[(0, 100, text)]], size))[0]
    textpage = page.get_textpage()
    boxes = [textpage.get_charbox(i, loose=True) for i in range(textpage.count_chars())]
    return max(b[2] for b in boxes) - min(b[0] for b in boxes)


def test_garbled_page_is_an_anomaly():
    pdf = make_pdf([[(72, 700, "(cid:12)(cid:34)(cid:56) 0411-2029")]])
    got = extract(pdf, "cid.pdf", ocr=NO_OCR)  # with OCR the page is read again (test_ocr.py)
    rules = [(a.rule, a.page, a.severity) for a in got.anomalies]
    assert rules == [("garbled_page", 1, "warning")]
    assert "Page 1" in got.anomalies[0].message


@pytest.mark.parametrize(
    ("text", "garbled"),
    [
        ("ร้อยละความสำเร็จของการรณรงค์ " * 5, False),
        ("ต\uf70aอ ส\uf70aวนรวม", True),
        ("(cid:12)(cid:13)", True),
        ("ร ้อยละความส ํ าเร ็ จของการรณรงค ์ สร ้ างจ ิ ตส ํ าน ึ ก " * 4, True),
        ("KPI 0411-2029 : 100", False),
        ("ก ั" * 24 + "ก", False),  # marks cut off, but under 50 Thai letters in all
        ("ก ั" * 25, True),  # 50 Thai letters, half of them cut off
        ("ก ัข" + "ก" * 98, False),  # 1 cut off in 101 Thai letters: under 2%
        ("ก ัข" + "ก" * 47, False),  # 1 in 50: 2% exactly
        ("ก ั" * 2 + "ก" * 56, True),  # 2 in 60
    ],
)
def test_garbled_reason(text: str, garbled: bool):
    assert (garbled_reason(text) is not None) is garbled


TABLE_SHEETS = ["002_66f532eb6161266b", "003_872e79cd487a057a"]


@pytest.mark.parametrize("stem", TABLE_SHEETS)
def test_table_rows_are_rebuilt_from_cells(stem: str):
    """The key-result sheets typeset as bordered tables: each row comes back as one line,
    cells joined by tabs, wrapped cell text joined (pdfium gives the text cell by cell)."""
    got = extract((SAMPLES_DIR / "pdf" / f"{stem}-table.pdf").read_bytes(), f"{stem}.pdf")
    rows = {line.split("\t")[0]: line for line in got.text.split("\n") if "\t" in line}
    for level, pct in (("๕", "๑๐๐"), ("๔", "๘๐"), ("๓", "๖๐"), ("๒", "๔๐"), ("๑", "๒๐")):
        cells = rows[level].split("\t")
        assert cells[1] == pct and len(cells[2]) > 15, rows[level]
    assert "ประเด็น\tรายละเอียด" in got.text
    # rows split by a page break are joined again, cell by cell
    joined = [re.sub(" +", " ", line) for line in got.text.split("\n")]
    assert any(
        line.startswith("ค่าเป้าหมาย ของหน่วยงาน รับผิดชอบหลัก (H) หน่วยงานสนับสนุน (R)")
        and line.endswith("\tหน่วยนับ : " + ("ฉบับ" if stem.startswith("002") else "ย่าน"))
        for line in joined
    )


def test_table_rows_split_by_a_page_break_keep_their_cells():
    """002: the coordinator row splits at a page break while its first column also
    continues ('(ระดับส่วนกลาง)'): one row again; the note row after a row whose first
    column is empty stays a row of its own (its cell is one the row above left empty)."""
    got = extract((SAMPLES_DIR / "pdf" / "002_66f532eb6161266b-table.pdf").read_bytes(), "002.pdf")
    lines = got.text.split("\n")
    coordinator = next(line for line in lines if line.startswith("ผู้ประสานงานหลัก"))
    first, contact = coordinator.split("\t")
    assert first.endswith("(ระดับส่วนกลาง)") and contact.endswith("สำนักปลัดกรุงเทพมหานคร")
    assert not any(line.startswith("(ระดับส่วนกลาง)") for line in lines)
    assert "\t*กรณีเป็นสำนักงานเขต ให้ระบุรายสำนักงานเขต" in lines
    assert len(got.line_pages) == got.text.count("\n")


def test_table_heading_row_is_not_joined_to_the_rows_around_it():
    """003: the heading row 'ประเด็น | รายละเอียด' at the top of a page stays alone (the
    row after it, with an empty first cell, is not read as more of its cell); a cell run
    over a whole page and on to the next continues its row on both."""
    got = extract((SAMPLES_DIR / "pdf" / "003_872e79cd487a057a-table.pdf").read_bytes(), "003.pdf")
    lines = got.text.split("\n")
    assert lines.count("ประเด็น\tรายละเอียด") == 3
    assert any(line.startswith('\t<input type="checkbox"/> ใช้ระบบข้อมูล') for line in lines)
    role = next(line for line in lines if line.startswith("\t\t\t<p>ชุมชนมีส่วนร่วม"))
    assert "ที่ดำเนินการทั้ง ๑๐ ย่าน" in role and role.endswith("ทราบ</p>")


@pytest.mark.parametrize("stem", TABLE_SHEETS)
def test_table_pdf_gives_the_same_facts(stem: str, facts: Callable[[str], dict]):
    got = extract((SAMPLES_DIR / "pdf" / f"{stem}-table.pdf").read_bytes(), f"{stem}.pdf")
    assert facts(got.text) == facts((SAMPLES_DIR / f"{stem}.txt").read_text(encoding="utf-8"))


@pytest.mark.parametrize("seed", range(40))
def test_damaged_pdf_reads_or_fails_with_pdf_error(seed: int):
    """Random byte damage (flips, cuts, junk) never escapes as anything but PdfError."""
    import random

    rng = random.Random(seed)
    data = bytearray((SAMPLES_DIR / "pdf" / "kpi_detail_headless_02.pdf").read_bytes())
    for _ in range(rng.randint(1, 30)):
        pos = rng.randrange(len(data))
        data[pos : pos + rng.randint(1, 8)] = rng.randbytes(rng.randint(0, 8))
    if seed % 5 == 0:
        data = data[: rng.randrange(len(data))]
    try:
        got = extract(bytes(data), "damaged.pdf")
    except PdfError as error:
        assert error.path == "damaged.pdf" and error.message
        return
    assert got.line_pages is not None
    assert len(got.line_pages) == got.text.count("\n")


def test_longest_word_is_pythainlp_longest_dictionary_prefix():
    """The word-list lookup that decides joins gives what pythainlp's Trie gives, at
    every start position of a sample's text."""
    from pythainlp.corpus import thai_words
    from pythainlp.util import Trie

    trie = Trie(thai_words())
    text = (SAMPLES_DIR / "004_a8b6aaaadac5bd4d.txt").read_text(encoding="utf-8")
    starts = [i for i, ch in enumerate(text) if "\u0e01" <= ch <= "\u0e2e"][:3000]
    assert len(starts) > 500
    for start in starts:
        window = text[start : start + 60]
        found = trie.prefixes(window)
        expected = len(max(found, key=len)) if found else 0
        assert _longest_word([_Char(ch, 0, 0, 0, 1) for ch in window]) == expected, window


@pytest.mark.parametrize("enabled", [True, False])
def test_garbage_collector_state_is_restored(enabled: bool):
    """Extraction pauses the cyclic collector; it leaves it as it found it, error or not."""
    sample = (SAMPLES_DIR / "pdf" / "kpi_detail_01.pdf").read_bytes()
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        extract(sample, "kpi_detail_01.pdf")
        assert gc.isenabled() is enabled
        with pytest.raises(PdfError):
            extract(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF", "bad.pdf")
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()


def rotated_pdf(degrees: float) -> bytes:
    """Helvetica text in one text object drawn at an angle (a diagonal watermark), and a
    horizontal line: the rotated characters each have a baseline of their own."""
    import math

    pdf = pdfium.PdfDocument.new()
    page = pdf.new_page(595, 842)
    for text, angle, x, y in [("DRAFT COPY 2567", degrees, 100, 200), ("plain line", 0, 72, 760)]:
        obj = pdfium_c.FPDFPageObj_NewTextObj(pdf.raw, b"Helvetica", 24)
        buffer = ctypes.create_string_buffer((text + "\0").encode("utf-16-le"))
        pdfium_c.FPDFText_SetText(obj, ctypes.cast(buffer, ctypes.POINTER(pdfium_c.FPDF_WCHAR)))
        cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        pdfium_c.FPDFPageObj_Transform(obj, cos, sin, -sin, cos, x, y)
        pdfium_c.FPDFPage_InsertObject(page.raw, obj)
    pdfium_c.FPDFPage_GenerateContent(page.raw)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def chars_one_by_one(textpage: pdfium.PdfTextPage) -> list[tuple]:
    """What _page_chars must give, read the plain way: five pdfium calls a character."""
    raw, out = textpage.raw, []
    rect, x, y = pdfium_c.FS_RECTF(), ctypes.c_double(), ctypes.c_double()
    tight = [ctypes.c_double() for _ in range(4)]
    codes = [pdfium_c.FPDFText_GetUnicode(raw, i) for i in range(pdfium_c.FPDFText_CountChars(raw))]
    for i, code in enumerate(codes):
        if 0xD800 <= code < 0xE000:
            if code >= 0xDC00 or i + 1 == len(codes) or not 0xDC00 <= codes[i + 1] < 0xE000:
                continue
            code = 0x10000 + ((code - 0xD800) << 10) + (codes[i + 1] - 0xDC00)
        ch = "-" if code in (0x02, 0xFFFE) else chr(code)
        if ch in "\r\n" or (ch < " " and ch != "\t"):
            continue
        pdfium_c.FPDFText_GetLooseCharBox(raw, i, rect)
        pdfium_c.FPDFText_GetCharOrigin(raw, i, x, y)
        left, right = rect.left, rect.right
        item = _Char(ch, left, right, y.value, pdfium_c.FPDFText_GetFontSize(raw, i))
        if item.is_mark:
            pdfium_c.FPDFText_GetCharBox(raw, i, *tight)
            left, right = tight[0].value, tight[1].value
        generated = not item.visible and pdfium_c.FPDFText_IsGenerated(raw, i) == 1
        out.append((ch, left, right, y.value, item.size, generated))
    return out


def assert_bulk_is_one_by_one(data: bytes, name: str) -> None:
    """Every page's characters read by ``_page_chars`` equal those read one call at a time."""
    doc = pdfium.PdfDocument(data)
    try:
        for index in range(len(doc)):
            page = doc[index]
            textpage = page.get_textpage()
            bulk = [
                (c.ch, c.left, c.right, c.y, c.size, c.generated) for c in _page_chars(textpage.raw)
            ]
            assert bulk == chars_one_by_one(textpage), (name, index + 1)
            textpage.close()
            page.close()
    finally:
        doc.close()


@pytest.mark.parametrize(
    "name",
    ["kpi_detail_01.pdf", "001_355c1ca7b5fb9819.pdf", "002_66f532eb6161266b-table.pdf",
     "rotated 30", "rotated 90", "rotated -45"],
)  # fmt: skip
def test_page_chars_read_in_bulk_are_read_one_by_one(name: str):
    """Characters read in bulk (page text, boxes, a baseline and size per text object)
    are exactly those read one call at a time: Thai marks, pdfium's line-end hyphens
    (U+0002 per character, U+FFFE in the page text), generated spaces, and text drawn at
    an angle, whose characters in one text object do not share a baseline."""
    if name.startswith("rotated"):
        data = rotated_pdf(float(name.split()[1]))
    else:
        data = (SAMPLES_DIR / "pdf" / name).read_bytes()
    assert_bulk_is_one_by_one(data, name)


@pytest.mark.parametrize(
    ("name", "value"),
    [("_get_text", lambda *args: 0), ("_SCRATCH_KEPT", 100)],
    ids=["page text of another length", "page longer than the kept buffers"],
)
def test_page_chars_when_page_text_does_not_map_or_page_is_long(monkeypatch, name, value):
    """Should pdfium's page text ever not map one to one onto the character indexes
    (another length), the characters are read one by one; a page longer than the
    buffers kept between pages gets buffers of its own: the same result either way."""
    import ingest.extract.pdf.chars

    monkeypatch.setattr(ingest.extract.pdf.chars, name, value)
    data = (SAMPLES_DIR / "pdf" / "001_355c1ca7b5fb9819.pdf").read_bytes()
    assert_bulk_is_one_by_one(data, "001")


def test_word_list_read_from_its_file_is_pythainlps():
    """The word list read straight from pythainlp's file (sparing workers the import of
    pythainlp) is the set pythainlp's own ``thai_words`` gives."""
    from pythainlp.corpus import thai_words

    preload_word_list()
    assert _thai_words.cache_info().currsize == 1  # loaded: a fork server's workers share it
    words, lengths = _thai_words()
    assert words == frozenset(word.strip() for word in thai_words()) - {""}
    assert len(words) > 10_000
    # lengths: the words longer than probed, by their first two characters, longest first
    assert max(lengths["กร"]) == max(len(word) for word in words if word.startswith("กร"))
    assert {n for key in lengths for n in lengths[key]} == {
        len(word) for word in words if len(word) > _PROBED_LENGTH
    }
