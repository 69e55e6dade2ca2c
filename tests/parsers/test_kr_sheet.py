"""The kr_sheet parser: samples 002 and 003, template variations, hostile and mutated input."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from normalize import repair_text
from parsers import detect, kr_sheet
from parsers.model import Document, to_jsonable
from parsers.registry import parse_document
from tests.parsers.parser_helpers import claims, load, rules

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
S002 = "002_66f532eb6161266b.txt"
S003 = "003_872e79cd487a057a.txt"


@pytest.fixture(scope="module")
def d002() -> Document:
    return parse_document(load(S002), S002)


@pytest.fixture(scope="module")
def d003() -> Document:
    return parse_document(load(S003), S003)


def attrs(d: Document, key: str) -> list:
    return [a for a in d.attributes if a.key == key]


# --- samples ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code", "title", "target"),
    [
        (S002, None, "ร้อยละความสำเร็จในการจัดทำแผนสื่อสารเมือง (Communication Plan)", (1, "ฉบับ")),
        (S003, "7301", "จำนวนย่านสร้างสรรค์ที่ได้รับการประชาสัมพันธ์สร้างการรับรู้", (10, "ย่าน")),
    ],
)
def test_sample_key_result(name, code, title, target):
    d = parse_document(load(name), name)
    assert (d.kind, d.code, d.title, d.fiscal_year) == ("kr_sheet", code, title, 2568)
    assert d.agency == "สำนักงานประชาสัมพันธ์"
    (kr,) = d.key_results
    assert (kr.code, kr.name, kr.fiscal_year, kr.host_agency) == (code, title, 2568, d.agency)
    assert kr.aspect == "บริหารจัดการดี"
    assert kr.issue == "ส่งเสริมการมีส่วนร่วมของประชาชนในการร่วมบริหารจัดการเมือง"
    assert (kr.target_value, kr.target_unit) == target
    assert kr.line_no == 6
    assert not {"missing_section", "truncated_document", "success_levels_incomplete"} & set(
        rules(d)
    )


@pytest.mark.parametrize("name", [S002, S003])
def test_sample_scoring_levels(name):
    d = parse_document(load(name), name)
    assert [(lv.level, lv.pct) for lv in d.success_levels] == [
        (1, 20.0),
        (2, 40.0),
        (3, 60.0),
        (4, 80.0),
        (5, 100.0),
    ]
    assert all(lv.description for lv in d.success_levels)
    assert d.success_levels[0].line_no > d.success_levels[4].line_no  # written ๕ first
    assert attrs(d, "scoring_title")[0].value.startswith("เกณฑ์การให้คะแนน")
    assert attrs(d, "score_received") == []  # the คะแนนที่ได้รับ column is blank


@pytest.mark.parametrize(("name", "line_no"), [(S002, 46), (S003, 38)])
def test_sample_coordinator(name, line_no):
    (c,) = parse_document(load(name), name).contacts
    assert (c.name, c.position, c.phone) == ("นางสาวดี เทศกุล", "นักประชาสัมพันธ์ชำนาญการ", "1376")
    assert c.agency == "สำนักงานประชาสัมพันธ์ สำนักปลัดกรุงเทพมหานคร"
    assert c.line_no == line_no


def test_002_page_break_row_is_stitched(d002):
    (role,) = attrs(d002, "responsible_role")
    assert role.line_no == 36
    before, after = "เพื่อใช้ประกอบการร่างแผนสื่อสารเมือง", "(Communication Plan) ของ กรุงเทพมหานคร"
    assert f"{before} {after} ระดับที่ ๔" in role.value
    assert role.value.endswith("ต่อผู้บริหารกรุงเทพมหานคร")
    assert [a.line_no for a in d002.anomalies if a.rule == "row_stitched"] == [39]
    (agency,) = attrs(d002, "responsible_agency")
    (target,) = attrs(d002, "responsible_target")
    assert (agency.value, target.value) == ("หน่วยงาน สำนักงาน ประชาสัมพันธ์", "๑ ฉบับ")
    assert attrs(d002, "note")[0].value == "*กรณีเป็น สำนักงานเขต ให้ระบุราย สำนักงานเขต"


def test_003_page_break_rows_are_stitched(d003):
    (role,) = attrs(d003, "responsible_role")
    # one paragraph cut by the page break comes back whole
    assert (
        "๓. สร้าง story telling ของชุมชน ผ่าน influencer/สื่ออื่น ๆ โดยให้ ชุมชนมีส่วนร่วม"
        in (role.value.split("\n"))[2]
    )
    assert role.value.split("\n")[-1].startswith("๘. รายงานผลการดำเนินงาน")
    assert [a.line_no for a in d003.anomalies if a.rule == "row_stitched"] == [31, 37]
    monitoring = [c for c in d003.checkboxes if c.group.startswith("การติดตามประเมินผล")]
    assert [c.label for c in monitoring][-1] == (
        "ใช้ระบบข้อมูลยืนยันผลการดำเนินงาน เช่น Traffy Fondue โปรดระบุ"
    )
    assert len(monitoring) == 4 and not any(c.checked for c in monitoring)


@pytest.mark.parametrize("name", [S002, S003])
def test_sample_checkboxes(name):
    d = parse_document(load(name), name)
    groups = ("เอกสารอ้างอิง", "ช่องทางการรายงาน", "การติดตามประเมินผล")
    summary = [
        (next(i for i, g in enumerate(groups) if c.group.replace(" ", "").startswith(g)), c.checked)
        for c in d.checkboxes
    ]
    assert summary == [
        (0, True),
        (0, False),
        (0, False),
        (1, True),
        (1, True),
        (2, False),
        (2, False),
        (2, False),
        (2, False),
    ]
    assert d.checkboxes[0].label == "มาตรฐานการดำเนินงาน"
    assert d.checkboxes[3].label == "ผ่านระบบ BMA Policy Tracking"
    assert all("<" not in c.label and ">" not in c.label for c in d.checkboxes)


def test_paragraphs_become_text(d003):
    (definition,) = attrs(d003, "definition")
    assert "<p>" not in definition.value and "</p>" not in definition.value
    first, second = definition.value.split("\n")
    assert first.startswith("ย่านสร้างสรรค์ หมายถึง")
    assert second.startswith("การประชาสัมพันธ์สร้างการรับรู้เกี่ยวกับย่านสร้างสรรค์ หมายถึง")
    note = attrs(d003, "reference_documents_note")[0].value
    assert note.endswith("(กรณีเป้าหมายการพัฒนาของสำนักงานเขต พ.ศ. ๒๕๖๘ จำเป็นต้องมีครบทั้ง ๓ รายการ)")


def test_sample_header_attributes(d002):
    (title,) = attrs(d002, "sheet_title")
    # the stray ๐ of "ของ๐สำนักงานเขต" is repaired before parsing; a Thai line continued on
    # the next line joins without a space (Thai puts no space between words)
    assert title.value.startswith("รายละเอียด KRs ตามเป้าหมายการพัฒนาของสำนักงานเขตและแผน")
    assert [a.value for a in attrs(d002, "responsibility_option")] == [
        "ดำเนินการหน่วยงานเดียว",
        "มีหน่วยงานสนับสนุน (R) ร่วมดำเนินการ",
        "หน่วยงาน (R) ระดับสำนัก/สำนักงาน",
        "หน่วยงาน (R) ระดับสำนักงานเขต",
    ]
    assert attrs(d002, "calculation")[0].value == "ตรวจสอบจากผลการดำเนินงานเทียบกับระดับความสำเร็จ"
    assert attrs(d002, "coordinator_division")[0].value.startswith("กลุ่มงานแผนและประเมินผล")


@pytest.mark.parametrize("name", [S002, S003])
def test_sample_matches_golden(name):
    expected = json.loads((ROOT / "tests" / "golden" / f"{name}.json").read_text("utf-8"))
    assert to_jsonable(parse_document(load(name), name)) == expected


@pytest.mark.parametrize("name", [S002, S003])
def test_unrepaired_tabs_give_the_same_facts(name):
    # Without repair the empty cells (runs of tabs) are still there: same records.
    raw = kr_sheet.parse(load(name).replace("๐ส", "ส"), name)
    repaired = parse_document(load(name), name)
    for field in ("key_results", "success_levels", "contacts", "checkboxes"):
        assert getattr(raw, field) == getattr(repaired, field), field
    assert attrs(raw, "responsible_role") == attrs(repaired, "responsible_role")


@pytest.mark.parametrize("name", [S002, S003])
@pytest.mark.parametrize("media", ["pdf", "html"])
def test_pdf_and_html_exports_give_the_same_records(name, media):
    """The same sheets printed to PDF / saved as HTML, through the real extractor."""
    from ingest.extract.dispatch import extract

    path = SAMPLES / media / name.replace(".txt", f".{media}")
    if not path.exists():
        pytest.skip(f"no {media} version of {name}")
    doc = parse_document(extract(path.read_bytes(), path.name).text, path.name)
    ref = parse_document(load(name), name)

    def facts(d: Document, field: str) -> list:
        return [{k: v for k, v in vars(r).items() if k != "line_no"} for r in getattr(d, field)]

    for field in ("key_results", "success_levels", "checkboxes", "contacts", "attributes"):
        assert facts(doc, field) == facts(ref, field), field


def test_wrapped_cells_and_rows_run_together():
    # What PDF extraction does: long cells wrap onto tab-less lines, and two rows can share
    # one line ("...</p> <next label><TAB>...").
    text = (
        "ประเด็น\tรายละเอียด\n"
        "นิยาม\t<p>ย่านสร้างสรรค์ หมายถึง พื้นที่ที่\n"
        "ถูกกำหนดขึ้น 10\n"
        "ย่าน</p>\n"
        "ช่องทางการรายงานผล\t<p><input checked/> ระบบ A</p> การติดตามประเมินผล (ข้อ)\t"
        "<p><input/> ผู้ตรวจ</p>\n"
        "ระดับความสำเร็จ\tเกณฑ์ร้อยละความสำเร็จ\n"
        "๑\t๒๐\tจัดทำแผน\n"
        "ประชาสัมพันธ์\n"
    )
    d = parse_document(text, "wrapped.txt")
    assert attrs(d, "definition")[0].value == "ย่านสร้างสรรค์ หมายถึง พื้นที่ที่ถูกกำหนดขึ้น 10 ย่าน"
    assert [(c.group, c.label, c.checked) for c in d.checkboxes] == [
        ("ช่องทางการรายงานผล", "ระบบ A", True),
        ("การติดตามประเมินผล (ข้อ)", "ผู้ตรวจ", False),
    ]
    assert d.success_levels[0].description == "จัดทำแผนประชาสัมพันธ์"


# --- detection --------------------------------------------------------------------------------

OTHER_SAMPLES = sorted(
    p.relative_to(SAMPLES).as_posix()
    for p in [*SAMPLES.glob("*.txt"), *SAMPLES.glob("real/*.txt")]
    if p.name not in (S002, S003)
)


@pytest.mark.parametrize("name", OTHER_SAMPLES)
def test_detect_never_claims_other_kinds(name):
    assert not claims("kr_sheet", repair_text(load(name)))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("รายละเอียด KRs ตามเป้าหมาย", True),  # cut after the first words
        ("\n\nรหัส ๗๓๐๑ ชื่อ KRs จำนวนย่าน", True),  # headless
        ("หน่วยงานผู้รับผิดชอบหลัก (Host : H) สำนักงาน", True),
        ("ประเด็น\tรายละเอียด\n\t\t(Communication Plan) ของ", True),  # from the second page
        ("ระดับความสำเร็จ\tเกณฑ์ร้อยละความสำเร็จ\tการดำเนินงาน", True),  # only the scoring table
        ("2. ระดับความสำเร็จ : ผลผลิต (Output)", False),
        ("1. ชื่อตัวชี้วัด : ก\nระดับความสำเร็จ\tเกณฑ์ร้อยละความสำเร็จ", False),  # a KPI form
        ("รายละเอียดตัวชี้วัด\nประเด็นยุทธศาสตร์ : ๕", False),
        ("KRsome text ชื่อ KRspace", False),
        ("", False),
    ],
)
def test_detect(text, expected):
    assert claims("kr_sheet", text) is expected


# --- template variations ----------------------------------------------------------------------

SHEET = """รายละเอียด KRs ตามเป้าหมายการพัฒนา ประจำปี พ.ศ. 2569
รหัส KRs : 7302 ชื่อ KRs : จำนวนชุมชนต้นแบบ หน่วยงานผู้รับผิดชอบหลัก (Host : H) : สำนักงานเขตบางรัก
ด้าน : สิ่งแวดล้อมดี
ประเด็นการพัฒนา : ชุมชนสะอาด
ลักษณะหน่วยงานที่รับผิดชอบ
☑ ดำเนินการหน่วยงานเดียว
☐ มีหน่วยงานสนับสนุน (R) ร่วมดำเนินการ
ประเด็น\tรายละเอียด
ค่าเป้าหมายรวม ปีงบประมาณ พ.ศ. 2569\tค่าเป้าหมาย : 1,250 หน่วยนับ : ครัวเรือน
นิยาม\tชุมชนต้นแบบ หมายถึง ชุมชนที่
ประเด็น\tรายละเอียด
คัดแยกขยะ
ตัวชี้วัดย่อย\tข้อความอื่น
ช่องทางการรายงาน ผลการดำเนินงาน\t☑ ผ่านระบบ BMA Policy Tracking ☐ ผ่านระบบอื่นๆ
ผู้ประสานงานหลัก\tชื่อ นายทดสอบ ใจดี ตำแหน่ง ผู้อำนวยการ โทร. ๐๒-๒๒๔-๑๓๗๖ หน่วยงาน สำนักงานเขตบางรัก
ลงชื่อ .....
เกณฑ์การให้คะแนน “จำนวนชุมชนต้นแบบ”
ระดับความสำเร็จ เกณฑ์ร้อยละความสำเร็จ การดำเนินงาน คะแนนที่ได้รับ
๕ ๑๐๐ ครบทุกชุมชน
๔ ๘๐ ร้อยละ ๘๐ ของชุมชน
๓ ๖๐ ร้อยละ ๖๐
๒ ๔๐ ร้อยละ ๔๐
๑ ๒๐ เริ่มดำเนินการ
"""


@pytest.fixture(scope="module")
def variant() -> Document:
    return parse_document(SHEET, "v.txt")


def test_flattened_header_fields(variant):
    (kr,) = variant.key_results
    assert (kr.code, kr.name, kr.host_agency) == ("7302", "จำนวนชุมชนต้นแบบ", "สำนักงานเขตบางรัก")
    assert (kr.aspect, kr.issue, kr.fiscal_year) == ("สิ่งแวดล้อมดี", "ชุมชนสะอาด", 2569)
    assert (kr.target_value, kr.target_unit) == (1250, "ครัวเรือน")


def test_glyph_checkboxes(variant):
    assert [(c.group, c.label, c.checked) for c in variant.checkboxes] == [
        ("ลักษณะหน่วยงานที่รับผิดชอบ", "ดำเนินการหน่วยงานเดียว", True),
        ("ลักษณะหน่วยงานที่รับผิดชอบ", "มีหน่วยงานสนับสนุน (R) ร่วมดำเนินการ", False),
        ("ช่องทางการรายงาน ผลการดำเนินงาน", "ผ่านระบบ BMA Policy Tracking", True),
        ("ช่องทางการรายงาน ผลการดำเนินงาน", "ผ่านระบบอื่นๆ", False),
    ]


def test_continuation_without_a_leading_tab_and_unknown_rows(variant):
    (definition,) = attrs(variant, "definition")
    assert definition.value == "ชุมชนต้นแบบ หมายถึง ชุมชนที่ คัดแยกขยะ"
    assert attrs(variant, "table_row")[0].value == "ตัวชี้วัดย่อย\tข้อความอื่น"


def test_coordinator_phone_digits_and_untabbed_scoring(variant):
    (c,) = variant.contacts
    assert (c.name, c.position, c.phone, c.phone_digits, c.agency) == (
        "นายทดสอบ ใจดี",
        "ผู้อำนวยการ",
        "02-224-1376",  # as written (Thai digits made Arabic); the digits alone for joining
        "022241376",
        "สำนักงานเขตบางรัก",
    )
    assert [(lv.level, lv.pct) for lv in variant.success_levels] == [
        (1, 20.0),
        (2, 40.0),
        (3, 60.0),
        (4, 80.0),
        (5, 100.0),
    ]
    assert variant.success_levels[3].description == "ร้อยละ ๘๐ ของชุมชน"
    assert not {"missing_section", "truncated_document"} & set(rules(variant))


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("ค่าเป้าหมาย : ๑ หน่วยนับ : ฉบับ", (1, "ฉบับ")),
        ("ค่าเป้าหมาย : ๑๐ หน่วยนับ : ย่าน", (10, "ย่าน")),
        ("ค่าเป้าหมาย : ร้อยละ ๑๐๐", (100, "ร้อยละ")),
        ("๕๐ เขต", (50, "เขต")),
        ("ค่าเป้าหมาย : 1,250", (1250, None)),
        ("-", (None, None)),
    ],
)
def test_target_cell_forms(cell, expected):
    text = f"ประเด็น\tรายละเอียด\nค่าเป้าหมายรวม ปีงบประมาณ พ.ศ. ๒๕๖๙\t{cell}\n"
    d = parse_document(text, "t.txt")
    assert d.fiscal_year == 2569  # from the target row when the title is missing
    (kr,) = d.key_results if d.key_results else (None,)
    got = (kr.target_value, kr.target_unit) if kr else (None, None)
    assert got == expected


def test_fiscal_year_mismatch():
    d = parse_document(SHEET.replace("ปีงบประมาณ พ.ศ. 2569", "ปีงบประมาณ พ.ศ. 2570"), "v.txt")
    assert d.fiscal_year == 2569
    assert "fiscal_year_mismatch" in rules(d)


@pytest.mark.parametrize(
    ("marker", "missing", "levels"),
    [
        ("เกณฑ์การให้คะแนน", ["'scoring'"], 0),
        ("๓ ๖๐", [], 2),
        ("ผู้ประสานงานหลัก", ["'coordinator'", "'scoring'"], 0),
    ],
)
def test_truncated_sheet(marker, missing, levels):
    d = parse_document(SHEET[: SHEET.index(marker)], "cut.txt")
    assert d.kind == "kr_sheet" and d.code == "7302"
    assert [
        a.message.split()[1].rstrip(",") for a in d.anomalies if a.rule == "missing_section"
    ] == (missing)
    assert "truncated_document" in rules(d)
    assert len(d.success_levels) == levels


def test_short_scoring_table_that_is_not_cut():
    text = SHEET.replace("๒ ๔๐ ร้อยละ ๔๐\n๑ ๒๐ เริ่มดำเนินการ\n", "\nหมายเหตุ ไม่มี\n")
    d = parse_document(text, "short.txt")
    assert [lv.level for lv in d.success_levels] == [3, 4, 5]
    assert "success_levels_incomplete" in rules(d)
    assert "truncated_document" not in rules(d)


def test_headless_sheet_from_the_second_page():
    text = load(S002)
    d = parse_document(text[text.index("ประเด็น\tรายละเอียด", 2000) :], "p2.txt")
    assert d.kind == "kr_sheet" and d.title is None and len(d.success_levels) == 5
    assert "'name'" in " ".join(a.message for a in d.anomalies if a.rule == "missing_section")
    assert d.contacts[0].phone == "1376"


@pytest.mark.parametrize("hostile", ["\ufeff", "\u200b", "\u00a0", "\r\n", "\x0b", "\u2028"])
def test_hostile_characters_keep_the_result(hostile):
    text = load(S003).replace("\n", hostile + "\n", 30)
    d = parse_document(text, S003)
    assert (d.code, d.fiscal_year, len(d.success_levels)) == ("7301", 2568, 5)
    assert d.contacts[0].phone == "1376"


# --- speed ------------------------------------------------------------------------------------


def test_samples_parse_in_a_few_ms():
    clean = [repair_text(load(name)) for name in (S002, S003)]
    runs = 30
    start = time.perf_counter()
    for _ in range(runs):
        for text in clean:
            detect.kr_sheet(text)
            kr_sheet.parse(text, "x")
    per_doc = (time.perf_counter() - start) / runs / len(clean)
    assert per_doc < 0.02, f"{per_doc * 1000:.1f} ms per sheet"


def hostile_inputs() -> list:
    mb = 1 << 20
    cases = [
        ("one 20 MB line", "รายละเอียด KRs " + "ก" * (20 * mb)),
        ("20 MB of tabs", "ประเด็น\tรายละเอียด\nนิยาม" + "\t   \t" * (4 * mb) + "x"),
        ("nested brackets", "รหัส ชื่อ KRs " + "(" * 100_000 + ")" * 100_000),
        ("angle brackets", "ประเด็น\tรายละเอียด\nเอกสารอ้างอิง\t" + "<" * mb + "<input" * 100_000),
        ("checkboxes", "ประเด็น\tรายละเอียด\nเอกสารอ้างอิง\t" + "<input checked/> ก " * 100_000),
        ("page breaks", "ประเด็น\tรายละเอียด\nนิยาม\tก\n" + "ประเด็น\tรายละเอียด\n\tข\n" * 100_000),
        (
            "paragraph breaks",
            "ประเด็น\tรายละเอียด\nนิยาม\t<p>ก</p>\n" + "ประเด็น\tรายละเอียด\n<p>ข</p>\n" * 50_000,
        ),
        ("header lines", "รหัส 1 ชื่อ KRs ก\n" + "ต่อชื่อ\n" * 200_000),
        ("scoring", "ระดับความสำเร็จ\tเกณฑ์\n" + "๕\t๑๐๐\tก\t\n" * 50_000),
        ("contacts", "ประเด็น\tรายละเอียด\nผู้ประสานงาน\t" + "ชื่อ ก โทร. " * 200_000),
        ("tabs after a header word", "ประเด็น" + "\t" * (4 * mb) + "x"),
        ("spaces then tabs", "ระดับความสำเร็จ" + " " * (2 * mb) + "\t" * (2 * mb) + "x"),
        ("blanks after a year label", "ประจำปี" + " " * (4 * mb) + "x"),
        ("blanks after a name label", "ประเด็น\tรายละเอียด\nผู้ประสานงาน\tชื่อ" + " " * (4 * mb)),
    ]
    return [pytest.param(label, text, id=label.replace(" ", "_")) for label, text in cases]


@pytest.mark.slow
@pytest.mark.parametrize(("label", "text"), hostile_inputs())
def test_hostile_input_is_linear(label, text):
    start = time.perf_counter()
    detect.kr_sheet(text)
    kr_sheet.parse(text, "hostile.txt")
    elapsed = time.perf_counter() - start
    # Generous for a loaded 2-core CI box; a quadratic pattern takes hours on these sizes.
    assert elapsed < 60, f"{label}: {elapsed:.1f} s"


def test_coordinator_phone_label_glued_to_the_position():
    # A PDF line wrapped between Thai words loses the space before the label.
    text = load(S003).replace("ชำนาญการ หมายเลขโทรศัพท์", "ชำนาญการหมายเลขโทรศัพท์")
    assert text != load(S003)
    (c,) = parse_document(text, S003).contacts
    assert (c.position, c.phone) == ("นักประชาสัมพันธ์ชำนาญการ", "1376")


def test_other_contact_labels_still_need_a_space():
    # "ผู้ดำรงตำแหน่ง" is words, not the ตำแหน่ง label
    text = load(S003).replace("ตำแหน่ง นักประชาสัมพันธ์", "ตำแหน่ง ผู้ดำรงตำแหน่ง ครู")
    (c,) = parse_document(text, S003).contacts
    assert (c.position, c.phone) == ("ผู้ดำรงตำแหน่ง ครูชำนาญการ", "1376")


def test_coordinator_division_glued_to_its_label():
    # A table cell wrapped right after the label: the PDF joins the two Thai lines.
    text = load(S003).replace("ส่วนราชการ กลุ่มงานแผน", "ส่วนราชการกลุ่มงานแผน")
    assert text != load(S003)
    attrs = {a.key: a.value for a in parse_document(text, S003).attributes}
    assert attrs["coordinator_division"] == "กลุ่มงานแผนและประเมินผล ส่วนยุทธศาสตร์การประชาสัมพันธ์"


def test_coordinator_whose_tab_ocr_lost():
    # a scan read back: the row label and the contact in one cell
    text = load(S003).replace("(ระดับส่วนกลาง)\tชื่อ", "(ระดับส่วนกลาง) ชื่อ")
    assert text != load(S003)
    (c,) = parse_document(text, S003).contacts
    assert (c.name, c.position, c.phone) == ("นางสาวดี เทศกุล", "นักประชาสัมพันธ์ชำนาญการ", "1376")
    attrs = {a.key: a.value for a in parse_document(text, S003).attributes}
    assert attrs["coordinator_division"].startswith("กลุ่มงานแผน")


def test_scoring_rows_as_ocr_reads_them():
    # Thai digits read as Latin junk ("co" for ๘๐), tabs lost, a wrapped description
    # after a blank line: every level stays, no junk becomes a percentage
    rows = (
        "๕\t๑๐๐ครบทุกชุมชน\n\n"
        "๔\tco ร้อยละ ๘๐ ของชุมชน\n\n"
        "ที่สมัคร\n"
        "๓\t๖๐ ร้อยละ ๖๐ ของ\tชุมชน\n\n"
        "๒\t6๔๐ ร้อยละ ๔๐\n"
        "๑\t๒๐\tเริ่มดำเนินการ\n"
    )
    head, _, _ = SHEET.partition("๕ ๑๐๐")
    doc = parse_document(head + rows, "v.txt")
    assert [(lv.level, lv.pct, lv.description) for lv in doc.success_levels] == [
        (1, 20.0, "เริ่มดำเนินการ"),
        (2, None, "ร้อยละ ๔๐"),
        (3, 60.0, "ร้อยละ ๖๐ ของ ชุมชน"),  # a tab lost after ๖๐, one read in the text
        (4, None, "ร้อยละ ๘๐ ของชุมชนที่สมัคร"),
        (5, 100.0, "ครบทุกชุมชน"),
    ]


def test_scoring_header_wrapped_and_a_code_without_digits_as_ocr_reads_them():
    text = SHEET.replace(
        "ระดับความสำเร็จ เกณฑ์ร้อยละความสำเร็จ การดำเนินงาน คะแนนที่ได้รับ\n",
        "ระดับความสำเร็จ\tเกณฑ์ร้อยละความสำเร็จ\tการดำเนินงาน\nคะแนนที่ได้รับ\n\n",
    ).replace("รหัส KRs : 7302", "รหัส a")
    doc = parse_document(text, "v.txt")
    assert [lv.level for lv in doc.success_levels] == [1, 2, 3, 4, 5]
    assert doc.code is None  # "a" is no code: a code holds a digit


def test_header_lines_run_together_by_ocr():
    text = SHEET.replace("พ.ศ. 2569\nรหัส KRs : 7302", "พ.ศ. 2569รหัส KRs : 7302").replace(
        "“จำนวนชุมชนต้นแบบ”\nระดับความสำเร็จ", "“จำนวนชุมชนต้นแบบ” ระดับความสำเร็จ"
    )
    doc = parse_document(text, "v.txt")
    assert doc.code == "7302"  # รหัส right after the year's last digit
    assert [lv.level for lv in doc.success_levels] == [1, 2, 3, 4, 5]  # header after the title
