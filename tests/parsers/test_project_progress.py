"""The project_progress parser: sample 001, the real captures, template variations and
hostile or mutated input."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest

from normalize import repair_text
from parsers.model import Document
from parsers.registry import parse_document
from tests.parsers.parser_helpers import attrs, claims, load, rules

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
SAMPLE = "001_355c1ca7b5fb9819.txt"


@pytest.fixture(scope="module")
def doc() -> Document:
    return parse_document(load(SAMPLE), SAMPLE)


# --- sample 001 -------------------------------------------------------------------------------


def test_header(doc):
    assert doc.kind == "project_progress"
    assert doc.code == "04110000-3768"
    assert doc.title.startswith("กิจกรรมการเผยแพร่อินโฟกราฟิก")
    assert doc.agency == "สำนักงานประชาสัมพันธ์ สำนักปลัดกรุงเทพมหานคร"  # สํานัก repaired
    assert doc.fiscal_year == 2564
    assert doc.progress_pct == 90.0
    assert [(c.name, c.phone, c.line_no) for c in doc.contacts] == [
        ("นางสาวดุษฎี อุยะเจริญ", "1379", 14)
    ]
    assert [(a.quarter, a.score) for a in doc.assessments] == [(1, 100.0)]


def test_texts(doc):
    a = attrs(doc)
    assert a["rationale"][0].startswith("การนำข้อมูลตามยุทธศาสตร์")
    assert a["objective"][0].startswith("เผื่อเผยแพร่ข้อมูลข่าวสาร")
    assert a["project_target"][0].startswith("ร้อยละ 90 ของจำนวนอินโฟกราฟิก")
    assert a["agency_codes"] == ["04110000/04110000"]
    assert a["strategy_note"] == ["ภารกิจงานประจำของหน่วยงาน"]
    assert a["problems"] == ["ไม่มี"] * 11 and a["obstacles"] == ["ไม่มี"] * 11
    assert doc.strategy_links == ()


def test_entries(doc):
    entries = doc.report_entries
    assert len(entries) == 11
    assert [e.entry_no for e in entries] == list(range(1, 12))
    assert entries[0].report_date == date(2021, 8, 30)
    assert entries[-1].report_date == date(2020, 10, 28)
    assert [e.progress_pct for e in entries] == [90, 80, 70, 60, 50, 40, 20, 15, 15, 10, 5]
    assert [e.quarter for e in entries] == [4, 4, 3, 3, 3, 2, 2, 2, 1, 1, 1]
    # d/m/BE, d/m/CE and m/d/CE bodies all agree with their headings
    assert entries[3].report_date == date(2021, 5, 30)  # 30/05/2021
    assert entries[6].report_date == date(2021, 2, 27)  # 2/27/2021
    assert "body_date_mismatch" not in rules(doc)
    assert "entry_outside_fiscal_year" not in rules(doc)
    assert entries[0].body.startswith("อยู่ระหว่างขั้นตอนสรุปผล")  # the date prefix is gone
    assert [e.line_no for e in entries[:3]] == [47, 59, 71]


def test_posts(doc):
    posts = [m for m in doc.reach_metrics if m.metric in ("reach", "views") and m.item_no]
    assert len(posts) == 74
    assert sum(m.value for m in posts) == 1_103_508
    assert sum(m.value >= 3000 for m in posts) == 69
    views = [m for m in posts if m.metric == "views"]
    assert (len(views), sum(m.value for m in views)) == (12, 250_218)
    assert {m.unit for m in posts} == {"คน", "ราย", "น."}
    sub = [m.item_no for m in posts if m.entry_no == 11]
    assert sub == [f"2.{i}" for i in range(1, 9)]
    for m in posts:
        entry = doc.report_entries[m.entry_no - 1]
        assert (m.report_date, m.line_no) == (entry.report_date, entry.line_no)
    first = posts[0]
    assert (first.item_no, first.title, first.value) == (
        "1",
        "กทม. ห่วงใย เตือนภัยโรคและภัยหน้าฝน",
        23156,
    )


def test_anomalies(doc):
    found = {(a.rule, a.line_no) for a in doc.anomalies}
    assert ("declared_count_mismatch", 107) in found
    assert ("month_year_mismatch", 107) in found
    assert ("unit_typo", 119) in found
    assert ("misspelled_label", 131) in found
    assert sum(r == "month_year_mismatch" for r in rules(doc)) == 1
    assert sum(r == "declared_count_mismatch" for r in rules(doc)) == 1
    message = next(a.message for a in doc.anomalies if a.rule == "declared_count_mismatch")
    assert "12" in message and "10" in message
    assert "truncated_document" not in rules(doc) and "missing_header" not in rules(doc)


def test_plan_steps(doc):
    steps = doc.plan_steps
    assert [s.step_no for s in steps] == [1, 2, 3, 4]
    assert [s.weight_pct for s in steps] == [10, 35, 45, 10]
    assert steps[0].start_date == steps[0].end_date == date(2020, 10, 1)
    assert steps[3].description == "ติดตามประเมินผลและนำเสนอต่อผู้บริหาร"


def test_linked_kpi(doc):
    (ind,) = doc.indicators
    assert (ind.code, ind.target_value, ind.achieved_value, ind.result_level) == (
        "0411-2004", 90.0, 70.0, "outcome",
    )  # fmt: skip
    assert ind.name.startswith("ร้อยละความสำเร็จของการเผยแพร่อินโฟกราฟิก")
    got = [(q.code, q.quarter, q.result_pct, q.score, q.eval_1) for q in doc.quarterly_results]
    assert got == [
        ("0411-2004", 1, 15.0, None, 100.0),
        ("0411-2004", 2, 40.0, None, 100.0),
        ("0411-2004", 3, 70.0, None, 100.0),
        ("0411-2004", 4, 0.0, None, 0.0),
    ]


def test_detection_is_not_shared_with_kpi_detail():
    text = repair_text(load(SAMPLE))
    assert claims("project_progress", text) and not claims("kpi_detail", text)


# --- the real captures ------------------------------------------------------------------------

REAL = [
    # name, code, agency, fiscal year, progress, contact (name, phone, agency), assessment
    ("project_progress_01.txt", "04110000-3766", "สำนักงานประชาสัมพันธ์ สำนักปลัดกรุงเทพมหานคร",
     2564, 100.0, ("นางสาวกมลพร แย้มเยื้อน", "1378", None), (1, 100.0)),
    ("project_progress_02.txt", "18000000-2531", "สำนักการวางผังและพัฒนาเมือง",
     2564, 15.0, ("นางอัธยา จำปาทอง", "3027", None), (3, 100.0)),
    ("project_progress_03.txt", "50330000-3073", "สำนักงานเขตคลองเตย",
     2563, 100.0, ("นางฝนทิพย์ ว่องเบญจะ", None, None), (1, 100.0)),
    ("project_progress_04.txt", "50450000-6805", "สำนักงานเขตวังทองหลาง",
     2564, 80.0, ("ฝ่ายรักษาความสะอาดและสวนสาธารณะ", None, "ฝ่ายรักษาความสะอาดและสวนสาธารณะ"),
     (1, 100.0)),
    ("project_progress_05.txt", "50460000-3631", "สำนักงานเขตคลองสามวา",
     2566, 100.0, ("นางสาวเพ็ญศิริ ทองคง", None, None), (1, None)),
    ("project_progress_headless_01.txt", None, None,
     None, 100.0, ("นายจิโรจน์ เทียนโชติ", "3350", None), (1, None)),
]  # fmt: skip


@pytest.mark.parametrize("case", REAL, ids=[c[0] for c in REAL])
def test_real_capture(case):
    name, code, agency, fy, progress, contact, assessment = case
    doc = parse_document(load(f"real/{name}"), f"real/{name}")
    assert doc.kind == "project_progress"
    assert (doc.code, doc.agency, doc.fiscal_year, doc.progress_pct) == (code, agency, fy, progress)
    assert [(c.name, c.phone, c.agency) for c in doc.contacts] == [contact]
    assert [(a.quarter, a.score) for a in doc.assessments] == [assessment]
    assert "truncated_document" in rules(doc)
    assert ("missing_header" in rules(doc)) is ("headless" in name)
    rationale = attrs(doc)["rationale"][0]
    assert len(rationale) > 100 and not rationale.endswith("\ufffd")


# --- template variations ----------------------------------------------------------------------

PAGE = """ความคืบหน้าโครงการ/กิจกรรม

โครงการทดสอบ : 12345678-0001

** สำนักงานเขตทดสอบ : (๒๕๖๔)

45.5

ความคืบหน้าโครงการ ร้อยละ 45.5

นายทดสอบ ระบบ โทร. 02-123 4567

ดูโครงการแผนปีฯ : พิมพ์ข้อมูล

*** สยป. ประเมินโครงการ : ไตรมาสที่ 2 80

หลักการและเหตุผล

เหตุผล

ผลการดำเนินงาน

(1) ความคืบหน้าโครงการฯ ร้อยละ 45.50 (2021-03-31)

45.50

30/03/2564 : ไปในเดือนมีนาคม 2564 จำนวน 2 ครั้ง ดังนี้ 1. ก ยอดการเข้าถึง 3,000 คน 2. ข ยอดผู้เข้าชม 4,000 ราย

** ปัญหาของโครงการ :งบประมาณล่าช้า

** อุปสรรคของโครงการ :

------------------&&&--------------------

(2) ความคืบหน้าโครงการฯ ร้อยละ 10.00 (2021-10-05)

10.00

10/5/2021 : เริ่มโครงการ

------------------&&&--------------------

แผนการดำเนินงานฯ

ขั้นตอน 1
:เตรียมการ
:25.5%
เริ่มต้น :2020-10-01 00:00:00
สิ้นสุด :2020-12-31 00:00:00

** ผลการประเมินโครงการ (รายไตรมาส) **
"""


def test_variant_page():
    doc = parse_document(PAGE, "p")
    assert (doc.code, doc.agency, doc.fiscal_year, doc.progress_pct) == (
        "12345678-0001", "สำนักงานเขตทดสอบ", 2564, 45.5,
    )  # fmt: skip
    assert [(c.name, c.phone, c.phone_digits) for c in doc.contacts] == [
        ("นายทดสอบ ระบบ", "02-123 4567", "021234567")
    ]
    assert [(a.quarter, a.score) for a in doc.assessments] == [(2, 80.0)]
    assert [(e.report_date, e.quarter, e.progress_pct) for e in doc.report_entries] == [
        (date(2021, 3, 31), 2, 45.5),
        (date(2021, 10, 5), 1, 10.0),
    ]
    found = {a.rule for a in doc.anomalies}
    assert {"body_date_mismatch", "entry_outside_fiscal_year"} <= found
    assert "declared_count_mismatch" not in found and "month_year_mismatch" not in found
    assert attrs(doc)["problems"] == ["งบประมาณล่าช้า"]
    assert "obstacles" not in attrs(doc)  # blank: nothing to keep
    (step,) = doc.plan_steps
    assert (step.description, step.weight_pct, step.end_date) == (
        "เตรียมการ",
        25.5,
        date(2020, 12, 31),
    )
    assert {"truncated_document", "missing_header"}.isdisjoint(found)


def test_fiscal_year_from_the_entries_when_the_page_writes_none():
    doc = parse_document(PAGE.replace(" : (๒๕๖๔)", ""), "p")
    assert doc.fiscal_year == 2564 and doc.agency is None
    assert "fiscal_year_inferred" in rules(doc) and "missing_header" in rules(doc)


@pytest.mark.parametrize(
    "head", ["(1 ความคืบหน้าโครงการฯ", "(1] ความคืบหน้าโครงการฯ", "(1|ความคืบหน้าโครงการฯ"]
)
def test_an_entry_heading_as_ocr_reads_it(head):
    doc = parse_document(PAGE.replace("(1) ความคืบหน้าโครงการฯ", head), "p")
    assert [(e.entry_no, e.progress_pct) for e in doc.report_entries] == [(1, 45.5), (2, 10.0)]


def test_body_mismatch_message_names_both_dates():
    doc = parse_document(PAGE, "p")
    message = next(a.message for a in doc.anomalies if a.rule == "body_date_mismatch")
    assert "30/03/2564" in message and "2021-03-31" in message


@pytest.mark.parametrize(
    "transform",
    [
        lambda t: t.replace("\n", "\r\n"),
        lambda t: "\ufeff" + t,
        lambda t: t.replace(" : ", "\u00a0:\u00a0"),
        lambda t: t.replace("\n\n", "\n"),
        lambda t: t.replace("ความคืบหน้า", "ความ\u200bคืบหน้า"),
    ],
    ids=["crlf", "bom", "nbsp", "no-blank-lines", "zero-width"],
)
def test_hostile_variants_parse_the_same(transform):
    doc = parse_document(transform(PAGE), "p")
    assert (doc.code, doc.fiscal_year, doc.progress_pct) == ("12345678-0001", 2564, 45.5)
    assert [e.report_date for e in doc.report_entries] == [date(2021, 3, 31), date(2021, 10, 5)]
    assert len([m for m in doc.reach_metrics if m.item_no]) == 2


@pytest.mark.parametrize("cut", [0.05, 0.2, 0.4, 0.6, 0.8, 0.95])
def test_sample_cut_anywhere_still_parses(cut):
    text = load(SAMPLE)
    doc = parse_document(text[: int(len(text) * cut)], "cut")
    assert doc.kind == "project_progress" and "truncated_document" in rules(doc)


HEAD = "ความคืบหน้าโครงการ/กิจกรรม\nผลการดำเนินงาน\n(1) ความคืบหน้าโครงการฯ ร้อยละ 5 (2021-01-01)\n"


@pytest.mark.parametrize(
    "text",
    [
        HEAD + "1/1/2021 : " + "ยอดการเข้าถึง 1,2" * 200_000,
        HEAD + "1. " + "มี" * 500_000 + "ยอดการเข้าถึง 5 คน",
        HEAD + "ก" * 20_000_000,
        HEAD + "(1) ความคืบหน้าโครงการฯ ร้อยละ 5 (2021-01-01)\n" * 50_000,
        "ความคืบหน้าโครงการ/กิจกรรม\nแผนการดำเนินงานฯ\n" + "ขั้นตอน 1\n:10%\n" * 100_000,
    ],
    ids=["reach-repeated", "title-tail", "20MB-line", "many-entries", "many-steps"],
)
def test_hostile_pages_parse_in_seconds(text):
    start = time.perf_counter()
    doc = parse_document(text, "hostile")
    assert doc.kind == "project_progress"
    assert time.perf_counter() - start < 15


def test_a_body_over_several_lines_keeps_each_posts_line():
    page = PAGE.replace(
        "ดังนี้ 1. ก ยอดการเข้าถึง 3,000 คน 2. ข", "ดังนี้\n\n1. ก ยอดการเข้าถึง 3,000 คน\n\n2. ข"
    )
    doc = parse_document(page, "p")
    posts = [m for m in doc.reach_metrics if m.item_no]
    start = doc.report_entries[0].line_no
    assert [(m.item_no, m.line_no) for m in posts] == [("1", start + 2), ("2", start + 4)]
    assert page.split("\n")[start + 1].startswith("1. ก")


@pytest.mark.parametrize(
    ("mention", "flagged"),
    [
        ("ในเดือนมีนาคม 2564", False),
        ("ตั้งแต่เดือนตุลาคม 2563 ถึงเดือนมีนาคม 2564", False),  # cumulative, same fiscal year
        ("ในเดือนกุมภาพันธ์ 2564", False),
        ("ในเดือนเมษายน 2564", False),  # the month after the entry date
        ("ในเดือนมีนาคม 2563", True),  # a year off
        ("ในเดือนกันยายน 2563", True),  # the previous fiscal year, six months back
        ("ในเดือนมิถุนายน 2564", True),  # three months ahead
    ],
)
def test_month_year_mentions(mention, flagged):
    doc = parse_document(PAGE.replace("ไปในเดือนมีนาคม 2564", mention), "p")
    assert ("month_year_mismatch" in rules(doc)) is flagged


def test_headless_capture_without_contact_or_assessment_keeps_its_rationale():
    text = "ความคืบหน้าโครงการ ร้อยละ 40\n" + "กรุงเทพมหานครมีปัญหาฝุ่นละออง " * 10
    doc = parse_document(text, "h")
    assert doc.kind == "project_progress" and doc.progress_pct == 40.0
    assert doc.contacts == ()
    assert attrs(doc)["rationale"][0].startswith("กรุงเทพมหานครมีปัญหาฝุ่นละออง")


def test_a_wrapped_title_is_joined():
    doc = parse_document(PAGE.replace("โครงการทดสอบ : ", "โครงการทดสอบระบบ\nรอบที่ 2 : "), "w")
    assert (doc.title, doc.code) == ("โครงการทดสอบระบบ รอบที่ 2", "12345678-0001")
    assert "missing_header" not in rules(doc)


@pytest.mark.parametrize(
    ("step_lines", "description", "weight"),
    [
        # a PDF typesetter wrapped ":5%" onto a description that filled the line
        ("ขั้นตอน 1\n:เตรียมการ :5%\n", "เตรียมการ", 5.0),
        ("ขั้นตอน 1\n:เตรียมการ :๒๕.๕ %\n", "เตรียมการ", 25.5),
        ("ขั้นตอนที่ 1 : เตรียมการ :40%\n", "เตรียมการ", 40.0),
        # the weight line itself still wins; a % inside the text is no weight
        ("ขั้นตอน 1\n:เตรียมการ :5%\n:10%\n", "เตรียมการ", 5.0),
        ("ขั้นตอน 1\n:ลดลง 5% จากปีก่อน\n:10%\n", "ลดลง 5% จากปีก่อน", 10.0),
        ("ขั้นตอน 1\n:ลดลงร้อยละ:5%\n:10%\n", "ลดลงร้อยละ:5%", 10.0),
        # as OCR reads them: the colon lost or read as ".", the "%" ring read as a digit
        ("ขั้นตอน 1\nเตรียมการ\n:10%6\n", "เตรียมการ", 10.0),
        ("ขั้นตอน 1\n.เตรียมการ\n\n:25%\n", "เตรียมการ", 25.0),
        ("ขั้นตอน 1\n:เตรียมการ\n5596\n", "เตรียมการ", None),  # no colon, no %: no weight
    ],
)
def test_step_weight_wrapped_onto_the_description(step_lines, description, weight):
    page = PAGE.replace("ขั้นตอน 1\n:เตรียมการ\n:25.5%\n", step_lines)
    (step,) = parse_document(page, "p").plan_steps
    assert (step.description, step.weight_pct, step.end_date) == (
        description, weight, date(2020, 12, 31),
    )  # fmt: skip


def test_an_entry_ends_at_its_obstacles_line_as_ocr_reads_it():
    # OCR: อุปสรรค without its ุ and ข read as ช; the "---&&&---" separator read as junk
    text = load(SAMPLE)
    damaged = text.replace("** อุปสรรคของโครงการ :ไม่มี", "** อปสรรคชองโครงการ :ไม่มี", 1)
    damaged = damaged.replace("------------------&&&--------------------", "๕๕๕ =", 1)
    assert damaged.count("อุปสรรคของโครงการ") == text.count("อุปสรรคของโครงการ") - 1
    want, got = parse_document(text, SAMPLE), parse_document(damaged, SAMPLE)
    assert [e.body for e in got.report_entries] == [e.body for e in want.report_entries]
    assert attrs(got)["obstacles"] == attrs(want)["obstacles"]
