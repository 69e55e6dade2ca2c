"""Scanned pages read by tesseract: PDFs without a text layer, garbled and image pages of
PDFs, PNG/JPEG/multi-page TIFF files; post-correction; provenance; budgets.

Scans are made here from the sample PDFs (bench/scans.py: grey, skewed, noisy, JPEG) and
one page of the real scan in ../shared/real-pdf.  Each test reads at most two pages.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from tests.extract.pdf_maker import make_pdf

ROOT = Path(__file__).resolve().parents[2]

from bench.scans import ScanStyle, scan_images, scan_pdf, scan_tiff  # noqa: E402
from ingest.extract.dispatch import NO_OCR, extract, is_image  # noqa: E402
from ingest.extract.ocr import OcrLine, OcrPage, ocr_image, ocr_pdf_pages  # noqa: E402
from ingest.extract.ocr_fix import correct_line  # noqa: E402
from ingest.extract.scan import scan_text  # noqa: E402
from parsers.errors import InputError  # noqa: E402
from parsers.registry import parse_document  # noqa: E402

needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None, reason="needs tesseract (scripts/setup installs it)"
)
SAMPLE_PDF = ROOT / "samples" / "pdf" / "004_a8b6aaaadac5bd4d.pdf"
REAL_SCAN = ROOT.parent / "shared" / "real-pdf" / "w29_parliament_vote_log_scan_a.pdf"
STYLE_200 = ScanStyle(dpi=200)


@needs_tesseract
def test_scanned_sample_page_reads_like_its_text_layer():
    scan = scan_pdf(SAMPLE_PDF.read_bytes(), STYLE_200, seed=3, pages=[1])
    got = extract(scan, "scan.pdf")
    assert (got.media_type, got.text_source) == ("pdf", "ocr")
    lines = got.text.split("\n")
    assert "ค่าเป้าหมาย ร้อยละ : 100" in lines
    assert any("0411-2029" in line for line in lines)
    assert "ประเภทตัวชี้วัด : ตัวชี้วัดเชิงยุทธศาสตร์" in lines  # tone marks put back
    assert not any("ระบบติดตามผล" in line for line in lines[1:])  # running header dropped
    assert got.line_confidence is not None and len(got.line_confidence) == len(lines) - 1
    assert all(c is None or 0 <= c <= 100 for c in got.line_confidence)
    assert set(got.line_pages or ()) == {1}
    doc = parse_document(got.text, "scan.pdf")
    assert (doc.kind, doc.code) == ("kpi_detail", "0411-2029")
    assert doc.indicators[0].target_value == 100


@needs_tesseract
def test_multi_page_tiff_pages_are_pages():
    images = scan_images(SAMPLE_PDF.read_bytes(), STYLE_200, seed=4, pages=[1, 2])
    out = io.BytesIO()
    top = [im.crop((0, 0, im.width, im.height // 3)) for im in images]  # half the work
    top[0].save(out, "TIFF", save_all=True, append_images=top[1:], dpi=(200, 200))
    pages = ocr_image(out.getvalue())
    assert [p.page for p in pages] == [1, 2]
    assert all(p.error is None and p.confidence and p.confidence > 50 for p in pages)
    assert any("0411-2029" in line.text for line in pages[0].lines)
    assert scan_tiff  # the bench's TIFF writer is the same Pillow call


@needs_tesseract
@pytest.mark.skipif(not REAL_SCAN.exists(), reason="needs ../shared/real-pdf")
def test_one_page_of_a_real_scan():
    pages = ocr_pdf_pages(REAL_SCAN.read_bytes(), [1], dpi=200)
    assert pages[0].error is None
    text = "\n".join(line.text for line in pages[0].lines)
    assert sum("\u0e01" <= ch <= "\u0e5b" for ch in text) > 200  # Thai was read
    assert pages[0].confidence is not None and pages[0].confidence > 50


@needs_tesseract
def test_garbled_and_image_pages_of_a_pdf_are_read_by_ocr():
    text_page = [(72, 760, "KPI detail"), (72, 730, "Target : 100")]
    garbled = [(72, 760, "(cid:12)(cid:34)(cid:56) 0411-2029")]
    pdf = pdfium.PdfDocument(make_pdf([text_page, garbled]))
    scan = pdfium.PdfDocument(scan_pdf(SAMPLE_PDF.read_bytes(), STYLE_200, seed=5, pages=[1]))
    pdf.import_pages(scan)  # page 3: a scanned page
    out = io.BytesIO()
    pdf.save(out)
    got = extract(out.getvalue(), "mixed.pdf")
    assert got.text_source == "mixed"
    lines = got.text.split("\n")[:-1]
    pages = got.line_pages or ()
    assert lines[0] == "KPI detail" and pages[0] == 1
    assert got.line_confidence is not None and got.line_confidence[0] is None  # text layer
    assert any("0411-2029" in line for line, p in zip(lines, pages, strict=True) if p == 2)
    assert any("ค่าเป้าหมาย" in line for line, p in zip(lines, pages, strict=True) if p == 3)
    rules = {(a.rule, a.page) for a in got.anomalies}
    assert ("garbled_page_ocr", 2) in rules and ("garbled_page", 2) not in rules
    with_ocr_off = extract(out.getvalue(), "mixed.pdf", ocr=NO_OCR)
    assert with_ocr_off.text_source == "text"
    assert ("garbled_page", 2) in {(a.rule, a.page) for a in with_ocr_off.anomalies}


def test_budget_spent_leaves_pages_unread_with_a_reason():
    scan = scan_pdf(SAMPLE_PDF.read_bytes(), STYLE_200, seed=6, pages=[1, 2])
    pages = ocr_pdf_pages(scan, [1, 2], budget_s=0.5)
    assert [p.error for p in pages] == ["the file's OCR time budget ran out"] * 2
    with pytest.raises(InputError, match="No page could be read by OCR"):
        from ingest.extract.ocr import OcrSettings

        extract(scan, "scan.pdf", ocr=OcrSettings(budget_s=0.5))


def test_images_need_ocr():
    with pytest.raises(InputError, match="image, read only by OCR, which is off"):
        extract(b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "page.png", ocr=NO_OCR)


@pytest.mark.parametrize(
    ("ocr", "fixed"),
    [
        ("ประเภทตัวชีวัด : ตัวขี้วัดเชิงยุทธศาสตร์", "ประเภทตัวชี้วัด : ตัวชี้วัดเชิงยุทธศาสตร์"),
        ("ผลงานทิทำได้ ร้อยละ : 100", "ผลงานที่ทำได้ ร้อยละ : 100"),
        ("ไตรมาสที 1: 100", "ไตรมาสที่ 1: 100"),
        ("ครั้งที ๒ เมื่อวันที 19", "ครั้งที่ ๒ เมื่อวันที่ 19"),
        ("1. ชือตัวชีวัด : ระดับความสำเร็จ", "1. ชื่อตัวชี้วัด : ระดับความสำเร็จ"),
        ("ในเรืองจราจร และสิงแวดล้อม", "ในเรื่องจราจร และสิ่งแวดล้อม"),
        ("ค้านิยาม :", "คำนิยาม :"),
        ("ทีละคน ชีวิต", "ทีละคน ชีวิต"),  # real words stay
        ("๒๕๒๕ 0411-2O29 PM 2.5", "๒๕๒๕ 0411-2O29 PM 2.5"),  # digits never touched
        # labels before a colon put back by likeness (ปั read as ๆไ, ุ lost, ข as ช)
        ("** ๆไญหาของโครงการ :ไม่มี", "** ปัญหาของโครงการ :ไม่มี"),
        ("** อปสรรคชองโครงการ :ไม่มี", "** อุปสรรคของโครงการ :ไม่มี"),
        ("*** as. ประเมินโครงการ : ไตรมาสที่ 1 100", "*** สยป. ประเมินโครงการ : ไตรมาสที่ 1 100"),
        ("** ข้อเสนอแนะของโครงการ :ไม่มี", "** ข้อเสนอแนะของโครงการ :ไม่มี"),  # unlike any
        ("** ปัญหา 2 ของโครงการ :ไม่มี", "** ปัญหา 2 ของโครงการ :ไม่มี"),  # holds a digit
        ("*ผูลงาน*", "*ผลงาน*"),  # the tail of ผ read as ู
        ("ผ่านสีอออนไลน์", "ผ่านสื่อออนไลน์"),  # ื read as ี, the tone lost
        ("ล้างมีอ", "ล้างมือ"),  # the compound tells มือ from มื้อ
        ("มีอ 2", "มีอ 2"),  # alone, มือ or มื้อ misread: undecidable, left
        ("พระราชบัญญัติ WA. ๒๕๖๕", "พระราชบัญญัติ พ.ศ. ๒๕๖๕"),  # พ.ศ. read as Latin
        ("(ฉบับที่ ..) WAL ....", "(ฉบับที่ ..) พ.ศ. ...."),
        ("WA 12345 USA 2565", "WA 12345 USA 2565"),  # no era: not before a BE year
        ("ระดับความสำเว็จ\tเกณฑ์", "ระดับความสำเร็จ\tเกณฑ์"),  # ร read as ว, in a label
        # a label's letters with its marks lost or misplaced (Loma): put back before a word
        ("ประเภทตัวชว์ด : ตัวชวัดงานประจำ", "ประเภทตัวชี้วัด : ตัวชี้วัดงานประจำ"),
        ("รายละเอี้ยดเกี่ยวกับตัวชวด : 0900-3195", "รายละเอียดเกี่ยวกับตัวชี้วัด : 0900-3195"),
        ("ไตรมาสทั้ง 4 ระดับทั้งหมด", "ไตรมาสทั้ง 4 ระดับทั้งหมด"),  # no word after ไตรมาสท
        ("รายละเอียดเก่ยวกับตัวชี้วัด : 5026-2718", "รายละเอียดเกี่ยวกับตัวชี้วัด : 5026-2718"),
        # a day's month abbreviation: Latin look-alikes, a stray mark; never where ambiguous
        ("29 n.w. 2563 : ดำเนินการ", "29 ก.พ. 2563 : ดำเนินการ"),
        ("26 ก.ุย. 2563 ดำเนินการ", "26 ก.ย. 2563 ดำเนินการ"),
        ("1 ม.ิค. 2563", "1 ม.ิค. 2563"),  # ม.ค. or มี.ค.: left
        ("3 a.b. 2563", "3 a.b. 2563"),
    ],
)
def test_dictionary_puts_back_only_unambiguous_damage(ocr: str, fixed: str):
    assert correct_line(ocr) == fixed


def _line(text: str, left: int = 100, right: int = 2300, conf: float = 90.0) -> OcrLine:
    return OcrLine(text, conf, left, right)


def test_scan_text_drops_running_lines_joins_wraps_and_flags_low_confidence():
    header = _line("ระบบติดตามผลการดำเนินงาน กรุงเทพมหานคร", right=1500)
    pages = [
        OcrPage(
            n,
            (
                header,
                _line(f"ข้อความยาวที่ตัดบรรทัด {word}"),
                _line("ต่อจากบรรทัดก่อน", right=900),
                _line(f"1. ข้อใหม่{word}", right=600),
                _line(f"หน้า {n}/3", left=1100, right=1300),
            ),
            40.0 if n == 2 else 92.0,
            1.0,
            2480,
        )
        for n, word in ((1, "หนึ่ง"), (2, "สอง"), (3, "สาม"))
    ]
    got = scan_text(pages)
    assert got.lines[:2] == ("ข้อความยาวที่ตัดบรรทัด หนึ่งต่อจากบรรทัดก่อน", "1. ข้อใหม่หนึ่ง")
    assert len(got.lines) == 6 and got.pages == (1, 1, 2, 2, 3, 3)
    assert [(a.rule, a.page) for a in got.anomalies] == [("ocr_low_confidence", 2)]
    assert "40%" in got.anomalies[0].message


def test_scan_text_never_runs_a_heading_into_the_paragraph_above():
    # the paragraph's last line happens to end near the margin, as a wrapped line does
    lines = (
        _line("เผยแพร่ในช่องทางที่ตอบสนองต่อรสนิยมการบริโภคสื่อ"),
        _line("ของคนเมือง", right=700),
        _line("เผยแพร่ในช่องทางที่ตอบสนองต่อรสนิยมการบริโภคสื่อของคนเมือง"),
        _line("สนับสนุนยุทธศาสตร์กรุงเทพมหานครฯ", right=1100),
        _line(":ด้านที่ ๕ - มหานครประชาธิปไตย"),
    )
    got = scan_text([OcrPage(1, lines, 90.0, 1.0, 2480)])
    assert got.lines == (
        "เผยแพร่ในช่องทางที่ตอบสนองต่อรสนิยมการบริโภคสื่อของคนเมือง",
        "เผยแพร่ในช่องทางที่ตอบสนองต่อรสนิยมการบริโภคสื่อของคนเมือง",
        "สนับสนุนยุทธศาสตร์กรุงเทพมหานครฯ",
        ":ด้านที่ ๕ - มหานครประชาธิปไตย",
    )


def test_scan_text_joins_wraps_across_blank_lines_and_pages_and_drops_lost_rules():
    header = _line("ระบบติดตามผลการดำเนินงาน กรุงเทพมหานคร", right=1500)
    blank = OcrLine("", None)
    last = [_line("ข้อความ", right=700)]
    pages = [
        OcrPage(1, (header, _line("ยอดการเข้าถึง"), blank, _line("23,156 คน ข่าว")), 90, 1),
        OcrPage(
            2,
            (
                _line("ะบบติดตามผลการดำเนินงาน กรุงเทพมหานคร", right=1500),  # a letter lost
                _line("บิดเบือน 51,960 คน", right=700),
                _line("@๕๕", left=600, right=750, conf=63.0),  # ------&&&------ misread
                _line("G21\t225", left=600, right=750, conf=3.0),  # noise, not a value
                _line("@๕๕", left=600, right=750, conf=95.0),  # read with confidence: kept
            ),
            90,
            1,
        ),
        OcrPage(3, (header, *last), 90, 1),
        OcrPage(4, (header, *last), 90, 1),
    ]
    got = scan_text(pages)
    assert got.lines == (
        "ยอดการเข้าถึง 23,156 คน ข่าวบิดเบือน 51,960 คน",
        "@๕๕",
        "ข้อความ",
        "ข้อความ",
    )
    assert got.pages == (1, 2, 3, 4)


@needs_tesseract
def test_a_word_file_of_pasted_scans_is_read_from_its_pictures():
    """People paste scanned pages into Word: python-docx writes such a file; its two
    pictures are read in order, each standing in for a page, after its one line."""
    import docx

    images = scan_images(SAMPLE_PDF.read_bytes(), STYLE_200, seed=8, pages=[1, 2])
    document = docx.Document()
    document.add_paragraph("สแกน")
    for image in images:
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        document.add_picture(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    document.save(out)
    got = extract(out.getvalue(), "pasted.docx")
    assert got.media_type == "docx" and got.text_source == "mixed"
    lines = got.text.split("\n")[:-1]
    assert lines[0] == "สแกน" and got.line_pages is not None and got.line_pages[0] == 1
    assert {2} <= set(got.line_pages[1:]) <= {1, 2}
    assert any("0411-2029" in line for line in lines)
    assert got.line_confidence is not None and got.line_confidence[0] is None
    no_ocr = extract(out.getvalue(), "pasted.docx", ocr=NO_OCR)
    assert no_ocr.text.strip() == "สแกน" and no_ocr.text_source == "text"


@needs_tesseract
def test_a_page_whose_marks_split_off_is_read_again_with_them_on_their_lines():
    # sample 003 (Garuda, wide line spacing): tesseract's first reading puts the marks of
    # most lines on junk lines of their own ("wu A ๐ 1 VY"), losing ื่ of ชื่อ and ่ of ที่
    pdf = (ROOT / "samples" / "pdf" / "003_872e79cd487a057a.pdf").read_bytes()
    page = ocr_pdf_pages(scan_pdf(pdf, ScanStyle(dpi=300), seed=5, pages=[1]), [1])[0]
    texts = [line.text for line in page.lines]
    code_line = next(text for text in texts if text.startswith("รหัส"))
    assert "ชื่อ KRs" in code_line and "ที่ได้รับ" in code_line
    assert not any(text.startswith(("wu ", "1 Vein")) for text in texts)


@needs_tesseract
def test_a_page_with_a_few_lines_whose_marks_split_off_is_read_with_them():
    # a crop of a scan typeset in Loma: tesseract reads the marks of two lines as junk
    # lines of their own ("๑7 aw ๑7 aw ๐") and the lines without them (ตัวชว์ด)
    image = (ROOT / "tests" / "fixtures" / "scans" / "loma_marks.jpg").read_bytes()
    (page,) = ocr_image(image)
    texts = [line.text for line in page.lines]
    assert any(text.startswith("ประเภทตัวชี้วัด : ตัวชี้วัดงาน") for text in texts)
    assert not any("๑7" in text for text in texts)


def test_marks_are_read_on_their_lines_only_where_that_mends_the_layout():
    from ingest.extract.ocr import MARKS_CONFIG, _marks_settings, _variables

    line, marks = (100, 100, 800, 60), (300, 80, 200, 30)  # marks over their line
    split = [line, marks, (100, 300, 800, 60), (300, 280, 200, 30), (100, 500, 800, 60)]
    mended = [(100, 80, 800, 80), (100, 280, 800, 80), (100, 500, 800, 60)]
    asked: list[dict[str, str]] = []

    def layout(found: list) -> object:
        return lambda extra: asked.append(dict(extra)) or (found if extra else split)

    assert _marks_settings(layout(mended)) == _variables(MARKS_CONFIG)
    assert _marks_settings(layout(split)) is None  # the setting changes nothing: not worth it
    assert asked == [{}, _variables(MARKS_CONFIG), {}, _variables(MARKS_CONFIG)]
    assert _marks_settings(lambda extra: [line, (100, 300, 800, 60)]) is None  # no split
    # one overlap mended: taken where its marks line went into its line, not otherwise
    one = [line, marks, (100, 300, 800, 60), (100, 500, 800, 60)]

    def then(found: list) -> object:
        return lambda extra: found if extra else one

    assert _marks_settings(then([(100, 80, 800, 80), *one[2:]])) == _variables(MARKS_CONFIG)
    assert _marks_settings(then([(100, 80, 800, 80), (100, 300, 800, 260)])) is None


def test_the_correction_dictionary_finds_words_as_pythainlp_trie_does():
    from pythainlp.util import Trie

    from ingest.extract.ocr_fix import _tables

    words, _ = _tables()
    trie = Trie(["ไตรมาส", "ที่", "ไตรมาสที่", "ผล", "ผลงาน", "ก"])
    mine = type(words)(["ไตรมาส", "ที่", "ไตรมาสที่", "ผล", "ผลงาน", "ก"])
    text = "ผลงานไตรมาสที่กไตรมาส"
    assert [mine.prefixes(text, i) for i in range(len(text))] == [
        trie.prefixes(text, i) for i in range(len(text))
    ]
    assert correct_line("ตัวขี้วัด") == "ตัวชี้วัด"  # the big table still corrects


def test_scan_text_keeps_full_width_table_rows_apart():
    """A scanned vote log: every row reaches the right edge, yet no row led by its number
    in a cell is a wrap; a justified paragraph's wide gaps read as tabs, and still join."""
    rows = [
        _line("19\t080\tนายฉลาด ขามช่วง\tพรรคเพื่อไทย\tไม่เห็นด้วย"),
        _line("20\t081\tนางสาวชนก จันทาทอง\tพรรคเพื่อไทย\tไม่เห็นด้วย"),
        _line("21\t083\tนายชลน่าน ศรีแก้ว\tพรรคเพื่อไทย\tไม่เห็นด้วย"),
    ]
    got = scan_text([OcrPage(1, tuple(rows), 90.0, 1.0, 2480)])
    assert got.lines == tuple(row.text for row in rows)
    prose = [_line("ไปแล้ว จำนวน 5\tครั้ง ดังนี้ 1.\tสารผู้ว่า"), _line("ยอดผู้เข้าถึง\t52,742 คน")]
    joined = scan_text([OcrPage(1, tuple(prose), 90.0, 1.0, 2480)]).lines
    assert joined == ("ไปแล้ว จำนวน 5\tครั้ง ดังนี้ 1.\tสารผู้ว่ายอดผู้เข้าถึง\t52,742 คน",)


@needs_tesseract
@pytest.mark.parametrize("fmt", ["BMP", "WEBP", "GIF"])
def test_scans_saved_as_other_image_formats_are_read(fmt: str):
    """Old scanners save BMP, web pages keep GIF and WebP: each reads as the PNG does."""
    image = scan_images(SAMPLE_PDF.read_bytes(), STYLE_200, seed=4, pages=[1])[0]
    top = image.crop((0, 0, image.width, image.height // 3)).convert("L")
    out = io.BytesIO()
    top.save(out, fmt, **({"lossless": True} if fmt == "WEBP" else {}))
    data = out.getvalue()
    assert is_image(data, "scan")  # known by its signature, without a suffix
    got = extract(data, f"scan.{fmt.lower()}")
    assert (got.media_type, got.text_source) == ("image", "ocr")
    assert "0411-2029" in got.text
