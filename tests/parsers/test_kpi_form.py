"""The kpi_form parser: sample 000, template variations, hostile and mutated input."""

from __future__ import annotations

import json
import random
import time
from datetime import date
from pathlib import Path

import pytest

from normalize import repair_text
from parsers import detect, kpi_form
from parsers.model import Document, to_jsonable
from parsers.registry import parse_document
from tests.parsers.parser_helpers import claims, load, rules

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
SAMPLE = "000_fe2414e97ca3dbed.txt"
GOLDEN = ROOT / "tests" / "golden" / f"{SAMPLE}.json"


@pytest.fixture(scope="module")
def doc() -> Document:
    return parse_document(load(SAMPLE), SAMPLE)


# --- sample 000 -------------------------------------------------------------------------------


def test_sample_header(doc):
    assert doc.kind == "kpi_form"
    assert doc.fiscal_year == 2563  # implied by the entry dates only
    assert doc.code is None
    assert doc.title == "ระดับความสำเร็จของโครงการประชาสัมพันธ์เชิงรุกผ่านสื่อออนไลน์และโซเชียลมีเดีย"
    (ind,) = doc.indicators
    assert (ind.target_value, ind.target_unit, ind.achieved_value) == (5, "ระดับ", 5)
    assert ind.name == doc.title and ind.line_no == 3


def test_sample_result_level_is_undecided(doc):
    # The export lists both options without a mark: no guess, an info anomaly instead.
    assert doc.indicators[0].result_level is None
    (a,) = [a for a in doc.anomalies if a.rule == "result_level_undecided"]
    assert a.severity == "info" and a.line_no == 5


def test_sample_success_levels_mix_thai_and_arabic_digits(doc):
    assert [lv.level for lv in doc.success_levels] == [1, 2, 3, 4, 5]
    assert all(lv.pct is None for lv in doc.success_levels)
    assert doc.success_levels[0].description.startswith("ขออนุมัติโครงการ")
    assert doc.success_levels[4].description == "ติดตามประเมินผล"
    assert [lv.line_no for lv in doc.success_levels] == [29, 31, 33, 35, 37]


def test_sample_strategy_path(doc):
    assert [(s.path, s.line_no) for s in doc.strategy_links] == [
        ("5", 9),
        ("5.4", 11),
        ("5.4.1", 13),
    ]
    assert doc.strategy_links[1].name == "การเมืองสีขาว"


def test_sample_dated_entries(doc):
    dated = [e for e in doc.report_entries if e.report_date]
    assert [e.report_date for e in dated] == [
        date(2020, 1, 31),
        date(2020, 2, 29),  # 29/2/2563: a real leap day
        date(2020, 3, 31),
        date(2020, 4, 30),
        date(2020, 5, 29),
        date(2020, 6, 30),
        date(2020, 7, 31),
        date(2020, 8, 31),
        date(2020, 9, 30),
    ]
    assert [e.quarter for e in dated] == [2, 2, 2, 3, 3, 3, 4, 4, 4]
    assert [e.line_no for e in dated] == [49, 55, 61, 67, 73, 81, 83, 100, 113]
    # entries run over several lines; "31/7/2563 ดำเนินการ" has no colon
    assert dated[0].body.startswith("ดำเนินการ ดังนี้\n1. อยู่ระหว่างขั้นตอนการจัดซื้อจัดจ้าง")
    assert dated[6].body.startswith("ดำเนินการ\n1. ผลิตคลิปวีดีโอ")
    assert dated[6].body.endswith("ในการดูแลรักษากรุงเทพมหานคร")
    assert "27 เม.ย. - 5 พ.ค. 2563" in dated[4].body
    assert "entry_outside_quarter" not in rules(doc)


def test_sample_quarter_one_text_is_an_undated_entry(doc):
    first = doc.report_entries[0]
    assert (first.entry_no, first.quarter, first.report_date, first.line_no) == (1, 1, None, 45)
    assert first.body.startswith("1.จัดทำแผนดำเนินการ")
    assert [e.entry_no for e in doc.report_entries] == list(range(1, 11))


def test_sample_attributes(doc):
    attrs = {a.key: a for a in doc.attributes}
    assert attrs["definition"].value.startswith("สื่อสังคมออนไลน์ (Social Media) หมายถึง")
    assert attrs["year_end_summary"].value.endswith("(กำหนดดำเนินการถึงวันที่ 14 ตุลาคม 2563)")
    assert attrs["year_end_summary"].line_no == 127
    assert attrs["supporting_factors"].value == "ดำเนินการได้ตามแผนงานที่กำหนด"
    assert attrs["obstacles"].value == "ไม่มี-ไม่มี-ไม่มี-"
    assert attrs["evidence"].value == "แฟ้มเอกสารการดำเนินงานตามตัวชี้วัด"
    assert attrs["certification"].value.startswith("ขอรับรองว่า")
    assert attrs["plan_support"].line_no == 7
    assert "missing_section" not in rules(doc) and "truncated_document" not in rules(doc)
    assert doc.contacts == ()  # the signature block is blank (.....)


def test_sample_matches_golden(doc):
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert to_jsonable(doc) == expected


@pytest.mark.parametrize("media", ["pdf", "html"])
def test_pdf_and_html_exports_give_the_same_records(doc, media):
    """The same form printed to PDF / saved as HTML, through the real extractor."""
    from ingest.extract.dispatch import extract

    path = SAMPLES / media / SAMPLE.replace(".txt", f".{media}")
    if not path.exists():
        pytest.skip(f"no {media} version of {SAMPLE}")
    other = parse_document(extract(path.read_bytes(), path.name).text, path.name)

    def facts(d: Document, field: str) -> list:
        return [{k: v for k, v in vars(r).items() if k != "line_no"} for r in getattr(d, field)]

    for field in ("indicators", "success_levels", "strategy_links"):
        assert facts(other, field) == facts(doc, field), field
    assert [(e.report_date, e.quarter) for e in other.report_entries] == [
        (e.report_date, e.quarter) for e in doc.report_entries
    ]
    assert other.fiscal_year == 2563


# --- detection --------------------------------------------------------------------------------

OTHER_SAMPLES = sorted(
    p.relative_to(SAMPLES).as_posix()
    for p in [*SAMPLES.glob("*.txt"), *SAMPLES.glob("real/*.txt")]
    if p.name != SAMPLE
)


@pytest.mark.parametrize("name", OTHER_SAMPLES)
def test_detect_never_claims_other_kinds(name):
    assert not claims("kpi_form", repair_text(load(name)))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1. ชื่อตัวชี้วัด : ร้อยละของประชาชน", True),  # cut after the first line
        ("๑. ชื่อตัวชี้วัด : ร้อยละของประชาชน", True),  # Thai digit
        ("4. วิธีการคำนวณ :\n\n5. เป้าหมาย : 5 (ระดับ)", True),  # headless
        ("(6.2) ไตรมาสที่ 2 : 31/1/2563 : ดำเนินการ", True),  # only a quarter section
        ("1. อยู่ระหว่างขั้นตอน\n2. แก้ไขแผน", False),  # numbered items, no form labels
        ("ชื่อตัวชี้วัด : ร้อยละ", False),  # the label without its number
        ("รายละเอียดตัวชี้วัด\n\nค่าเป้าหมาย ร้อยละ : 100\n5. เป้าหมาย", False),
        ("", False),
    ],
)
def test_detect(text, expected):
    assert claims("kpi_form", text) is expected


def test_detect_works_on_a_truncated_sample():
    text = repair_text(load(SAMPLE))
    assert claims("kpi_form", text[:120])
    assert claims("kpi_form", text[text.index("(6.3)") :])


# --- template variations ----------------------------------------------------------------------

FORM = """1. ชื่อตัวชี้วัด : ร้อยละการรับรู้ของประชาชน : 0411-2004
2. ระดับความสำเร็จ : {level}
ประเด็นยุทธศาสตร์ : ด้านที่ ๕ -มหานครประชาธิปไตย
กลยุทธ์ : ๕.๔.๑.๑ กลยุทธ์ย่อย
3. คำนิยาม : การรับรู้
4. วิธีการคำนวณ :
ระดับที่ ๑ (ร้อยละ 20) : เริ่ม ระดับที่ ๒ (ร้อยละ 40) : ต่อ
5. เป้าหมาย : ร้อยละ 80
: ผลงานที่ทำได้ = 85.50 (ร้อยละ)
6. รายงานผลการดำเนินงาน (รายไตรมาส) :
(6.1) ไตรมาสที่ 1 : 31/10/๒๕๖๓ : ข่าว ยอดการเข้าถึง 23,156 คน 30/11/2563 : งานสอง
15/1/2564 : ยื่นผิดไตรมาส
(6.2) ไตรมาสที่ 2 :
(6.3) ไตรมาสที่ 3 :
(6.4) ไตรมาสที่ 4 :
(6.5) สรุปผลการดำเนินงาน (ปลายปีงบประมาณ) : ครบ
7. ปัจจัยสนับสนุนการดำเนินงาน : งบ
8. อุปสรรคต่อการดำเนินงาน : ไม่มี
9. หลักฐานอ้างอิง : แฟ้ม
ลงชื่อ
(นางสาวทดสอบ ระบบดี)
ตำแหน่ง นักวิเคราะห์นโยบายและแผน
"""


def parse_form(level: str = "ผลผลิต (Output) ผลลัพธ์ (Outcome)", text: str | None = None):
    return parse_document(text if text is not None else FORM.format(level=level), "v.txt")


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        ("☑ ผลผลิต (Output) ☐ ผลลัพธ์ (Outcome)", "output"),
        ("ผลผลิต (Output) ✓ ผลลัพธ์ (Outcome)", "outcome"),
        ("[x] ผลผลิต (Output) [ ] ผลลัพธ์ (Outcome)", "output"),
        ("ผลลัพธ์ (Outcome)", "outcome"),
        ("ผลผลิต", "output"),
        ("ผลผลิต (Output) ผลลัพธ์ (Outcome)", None),
        ("", None),
    ],
)
def test_result_level_marks(level, expected):
    assert parse_form(level).indicators[0].result_level == expected


def test_result_level_on_the_line_below_its_label():
    text = FORM.format(level="\n\n☐ ผลผลิต (Output) ☑ ผลลัพธ์ (Outcome)")
    assert parse_form(text=text).indicators[0].result_level == "outcome"


def test_code_percent_target_and_level_percentages():
    d = parse_form()
    (ind,) = d.indicators
    assert (d.code, ind.code, ind.name) == ("0411-2004", "0411-2004", "ร้อยละการรับรู้ของประชาชน")
    assert (ind.target_value, ind.target_unit, ind.achieved_value) == (80, "ร้อยละ", 85.5)
    assert [(lv.level, lv.pct, lv.description) for lv in d.success_levels] == [
        (1, 20.0, "เริ่ม"),
        (2, 40.0, "ต่อ"),
    ]
    assert [s.path for s in d.strategy_links] == ["5", "5.4.1.1"]  # a skipped level is fine
    assert "strategy_path_mismatch" not in rules(d)
    other = parse_form(text=FORM.format(level="").replace("๕.๔.๑.๑", "๔.๑.๑.๑"))
    assert "strategy_path_mismatch" in rules(other)


def test_inline_entries_quarter_checks_and_reach():
    d = parse_form()
    assert [(e.report_date, e.quarter, e.line_no) for e in d.report_entries] == [
        (date(2020, 10, 31), 1, 11),
        (date(2020, 11, 30), 1, 11),
        (date(2021, 1, 15), 1, 12),
    ]
    assert d.fiscal_year == 2564
    (bad,) = [a for a in d.anomalies if a.rule == "entry_outside_quarter"]
    assert bad.line_no == 12 and "15/1/2564" in bad.message
    (reach,) = d.reach_metrics
    assert (reach.metric, reach.value, reach.unit, reach.entry_no) == ("reach", 23156, "คน", 1)
    assert reach.report_date == date(2020, 10, 31) and reach.line_no == 11


def test_signer_contact_and_year_end_summary():
    d = parse_form()
    (c,) = d.contacts
    assert (c.name, c.position, c.line_no) == ("นางสาวทดสอบ ระบบดี", "นักวิเคราะห์นโยบายและแผน", 21)
    assert {a.key: a.value for a in d.attributes}["year_end_summary"] == "ครบ"
    assert "missing_section" not in rules(d)


def test_written_fiscal_year_wins_over_entry_dates():
    text = FORM.format(level="").replace(
        "6. รายงานผลการดำเนินงาน (รายไตรมาส) :",
        "6. รายงานผลการดำเนินงาน (รายไตรมาส) ปีงบประมาณ พ.ศ. ๒๕๖๕ :",
    )
    d = parse_form(text=text)
    assert d.fiscal_year == 2565
    assert rules(d).count("entry_outside_fiscal_year") == 3


def test_preamble_agency_year_and_wrapped_name():
    text = (
        "แบบรายงานผลการดำเนินงานตามตัวชี้วัด ประจำปีงบประมาณ พ.ศ. ๒๕๖๔\n"
        "หน่วยงาน : สำนักงานประชาสัมพันธ์\n"
        "1. ชื่อตัวชี้วัด : ร้อยละของประชาชน\n"
        "ที่รับรู้ข่าวสาร\n"
        "ประเด็นยุทธศาสตร์ : ด้านที่ ๕ ก\n"
        "6. รายงานผลการดำเนินงาน (รายไตรมาส) :\n"
        "(6.1) ไตรมาสที่ 1 : 31/10/2563 : ทำตามแผนปีงบประมาณ 2565\n"
    )
    d = parse_form(text=text)
    assert (d.agency, d.fiscal_year) == ("สำนักงานประชาสัมพันธ์", 2564)
    assert d.title == "ร้อยละของประชาชน ที่รับรู้ข่าวสาร"
    assert [s.path for s in d.strategy_links] == ["5"]
    assert [a.value for a in d.attributes if a.key == "preamble"] == [
        "แบบรายงานผลการดำเนินงานตามตัวชี้วัด ประจำปีงบประมาณ พ.ศ. ๒๕๖๔"
    ]


def test_a_year_in_an_entry_body_is_not_the_form_year():
    text = "1. ชื่อตัวชี้วัด : x\n6. รายงานผล\n(6.2) ไตรมาสที่ 2 : 31/1/2563 : ตามแผนปีงบประมาณ 2564\n"
    assert parse_form(text=text).fiscal_year == 2563


def test_invalid_entry_date_is_an_anomaly():
    d = parse_form(text=FORM.format(level="").replace("15/1/2564", "31/2/2564"))
    assert d.report_entries[2].report_date is None
    assert "invalid_date" in rules(d)


@pytest.mark.parametrize(
    ("section5", "target", "achieved"),
    [
        ("5. เป้าหมาย : 5 (ระดับ)\n\n: ผลงานที่ทำได้ = 5 (ระดับ)", (5, "ระดับ"), 5),
        ("5. เป้าหมาย : ๕ (ระดับ) ผลงานที่ทำได้ = ๔ (ระดับ)", (5, "ระดับ"), 4),  # one line
        ("5. เป้าหมาย :\nค่าเป้าหมาย : ร้อยละ 80\nผลงานที่ทำได้ : ร้อยละ 85.5", (80, "ร้อยละ"), 85.5),
        ("5. เป้าหมาย : 1,250 คน\n: ผลงานที่ทำได้ =", (1250, "คน"), None),  # not yet reported
        ("5. เป้าหมาย :", (None, None), None),
        # OCR lost the heading's dot or read it as a comma: the label still names section 5
        ("5 เป้าหมาย : 5 (ระดับ)\n\n: ผลงานที่ทำได้ = 3 (ระดับ)", (5, "ระดับ"), 3),
        ("5, เป้าหมาย : 5 (ระดับ)\n\n: ผลงานที่ทำได้ = 3 (ระดับ)", (5, "ระดับ"), 3),
    ],
)
def test_target_variations(section5, target, achieved):
    d = parse_document("1. ชื่อตัวชี้วัด : x\n" + section5, "t.txt", kind="kpi_form")
    (ind,) = d.indicators
    assert (ind.target_value, ind.target_unit) == target
    assert ind.achieved_value == achieved


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("31/1/2563 : ก", date(2020, 1, 31)),
        ("๓๑/๑/๒๕๖๓ ก", date(2020, 1, 31)),  # Thai digits, no colon
        ("31 ม.ค. 2563 : ก", date(2020, 1, 31)),
        ("ณ วันที่ ๓๑ มกราคม ๒๕๖๓ : ก", date(2020, 1, 31)),
        ("วันที่ 31/1/63 : ก", date(2020, 1, 31)),  # two-digit BE year
        ("8 พ.ค. 2563 ยื่นเสนอราคา", None),  # a body line starting with a date: no colon
        ("1. การจัดซื้อ : ก", None),
    ],
)
def test_entry_date_forms(line, expected):
    text = "6. รายงานผลการดำเนินงาน (รายไตรมาส) :\n(6.2) ไตรมาสที่ 2 :\nก่อน\n" + line
    entries = parse_document(text, "d.txt", kind="kpi_form").report_entries
    opened = [e for e in entries if e.line_no == 4]
    assert [e.report_date for e in opened] == ([expected] if expected else [])


def test_truncated_form_records_what_is_missing():
    text = load(SAMPLE)
    cut = text[: text.index("(6.3)")]
    d = parse_document(cut, "cut.txt")
    assert d.kind == "kpi_form" and len(d.report_entries) == 4
    missing = [a.message for a in d.anomalies if a.rule == "missing_section"]
    assert [m.split()[1] for m in missing] == ["7", "8", "9"]
    (trunc,) = [a for a in d.anomalies if a.rule == "truncated_document"]
    assert "section 6" in trunc.message


def test_headless_form():
    text = load(SAMPLE)
    d = parse_document(text[text.index("4. วิธีการคำนวณ") :], "headless.txt")
    assert d.title is None and len(d.success_levels) == 5
    missing = [a.message.split()[1] for a in d.anomalies if a.rule == "missing_section"]
    assert missing == ["1", "2", "3"]
    assert "truncated_document" not in rules(d)


def test_missing_quarter_subsection():
    text = FORM.format(level="").replace("(6.3) ไตรมาสที่ 3 :\n", "")
    msgs = [a.message for a in parse_form(text=text).anomalies if a.rule == "missing_section"]
    assert msgs == ["Section 6.3 (ไตรมาสที่ 3) is missing."]


@pytest.mark.parametrize(
    "hostile",
    ["\ufeff", "\u200b", "\u00a0", "\r\n", "\t", "\x0b", "\u2028"],
)
def test_hostile_characters_keep_the_result(hostile):
    text = load(SAMPLE).replace("\n", hostile + "\n", 40).replace("ระดับที่", "ระดับที่" + hostile, 1)
    d = parse_document(text, SAMPLE)
    assert d.kind == "kpi_form" and d.fiscal_year == 2563
    assert len([e for e in d.report_entries if e.report_date]) == 9


def test_crlf_export_gives_the_same_document(doc):
    crlf = parse_document(load(SAMPLE).replace("\n", "\r\n"), SAMPLE)
    assert crlf.report_entries == doc.report_entries
    assert crlf.success_levels == doc.success_levels


# --- speed ------------------------------------------------------------------------------------


def test_sample_parses_in_a_few_ms():
    clean = repair_text(load(SAMPLE))
    kpi_form.parse(clean, SAMPLE)
    runs = 30
    start = time.perf_counter()
    for _ in range(runs):
        detect.kpi_form(clean)
        kpi_form.parse(clean, SAMPLE)
    per_doc = (time.perf_counter() - start) / runs
    assert per_doc < 0.02, f"{per_doc * 1000:.1f} ms per 15 KB form"


def hostile_inputs() -> list:
    rnd = random.Random(7)
    mb = 1 << 20
    cases = [
        ("one 20 MB line", "1. ชื่อตัวชี้วัด : " + "ก" * (20 * mb)),
        ("nested brackets", "1. ชื่อตัวชี้วัด : " + "(" * 100_000 + ")" * 100_000),
        ("blank runs", "6. รายงานผล\n(6.1) ไตรมาสที่ 1 :" + " \t" * mb + "x"),
        ("dates", "6. รายงานผล\n(6.1) ไตรมาสที่ 1 : " + "31/1/2563 : ก " * 50_000),
        ("almost dates", "(6.1) ไตรมาสที่ 1 : " + "1/1/1/1/" * 200_000),
        ("levels", "4. วิธีการคำนวณ\n" + "ระดับที่ 1 ระดับที่ 2 " * 100_000),
        ("digits", "5. เป้าหมาย : " + "1," * mb),
        ("colons", "2. ระดับความสำเร็จ :\nประเด็นยุทธศาสตร์ " + ":" * mb),
        ("many headings", "1. ชื่อตัวชี้วัด\n" * 200_000),
        ("random", "".join(rnd.choice("1./:( )\tระดับที่ไตรมาส๕\n") for _ in range(mb))),
        ("20 MB of blanks", "1. ชื่อตัวชี้วัด :" + " \t" * (10 * mb) + ":"),
        ("blank line in section 6", "6. รายงานผล\n" + " " * (4 * mb) + "x\n" + "\t" * mb),
        ("blanks after a year label", "ปีงบประมาณ" + " " * (4 * mb) + "x"),
        ("long level head", "4. วิธีการคำนวณ\nระดับที่ 1 " + "1" * (4 * mb) + " :"),
        ("long digit runs", "4. วิธีการคำนวณ\nระดับที่ 1 " + "1." * (2 * mb) + " :"),
    ]
    return [pytest.param(label, text, id=label.replace(" ", "_")) for label, text in cases]


@pytest.mark.slow
@pytest.mark.parametrize(("label", "text"), hostile_inputs())
def test_hostile_input_is_linear(label, text):
    start = time.perf_counter()
    detect.kpi_form(text)
    kpi_form.parse(text, "hostile.txt")
    elapsed = time.perf_counter() - start
    # Generous for a loaded 2-core CI box; a quadratic pattern takes hours on these sizes.
    assert elapsed < 60, f"{label}: {elapsed:.1f} s"
