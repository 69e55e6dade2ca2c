"""The kpi_detail parser: sample 004, the real captures, template variations, hostile input,
and the detection contract across every sample."""

from __future__ import annotations

import statistics
import time
from datetime import date
from pathlib import Path

import pytest

from parsers import kpi_detail
from parsers.model import Document, to_jsonable
from parsers.registry import parse_document
from tests.parsers.parser_helpers import attrs, load, rules

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
SAMPLE = "004_a8b6aaaadac5bd4d.txt"


@pytest.fixture(scope="module")
def doc() -> Document:
    return parse_document(load(SAMPLE), SAMPLE)


# --- sample 004 -------------------------------------------------------------------------------


def test_header(doc):
    assert doc.kind == "kpi_detail"
    assert doc.code == "0411-2029"
    assert doc.title.startswith("ร้อยละความสำเร็จของการรณรงค์สร้างจิตสำนึก")
    assert doc.fiscal_year == 2566
    (ind,) = doc.indicators
    assert (ind.code, ind.target_value, ind.target_unit, ind.achieved_value) == (
        "0411-2029",
        100.0,
        "ร้อยละ",
        100.0,
    )
    assert (ind.indicator_type, ind.result_level) == ("ตัวชี้วัดเชิงยุทธศาสตร์", "outcome")
    assert [(a.quarter, a.score, a.line_no) for a in doc.assessments] == [(1, 100.0, 18)]


def test_quarterly_table_with_a_blank_score(doc):
    got = [
        (q.code, q.quarter, q.result_pct, q.score, q.eval_1, q.eval_2)
        for q in doc.quarterly_results
    ]
    assert got == [
        ("0411-2029", 1, 10.0, 100.0, 100.0, 100.0),
        ("0411-2029", 2, 30.0, None, 0.0, 0.0),
        ("0411-2029", 3, 70.0, 100.0, 100.0, 100.0),
        ("0411-2029", 4, 100.0, 100.0, 100.0, 100.0),
    ]


def test_report_entries(doc):
    got = [(e.entry_no, e.quarter, e.report_date, e.line_no) for e in doc.report_entries]
    assert got == [
        (1, 1, None, 47),
        (2, 2, date(2023, 2, 28), 51),
        (3, 2, date(2023, 3, 31), 51),
        (4, 3, date(2023, 4, 30), 55),
        (5, 3, date(2023, 5, 31), 55),
        (6, 3, date(2023, 6, 30), 55),
        (7, 4, None, 59),
    ]
    assert doc.report_entries[2].body.startswith("อยู่ระหว่างดำเนินการ 1. ผลิต")
    assert "31/03/2566" not in doc.report_entries[1].body


def test_totals_and_engagement(doc):
    totals = [(m.report_date, m.value) for m in doc.reach_metrics if m.metric == "reach_total"]
    assert totals == [
        (date(2023, 4, 30), 718274),
        (date(2023, 5, 31), 990325),
        (date(2023, 6, 30), 1104325),
    ]
    posts = [m.value for m in doc.reach_metrics if m.metric == "posts"]
    assert posts == [89, 22, 30]
    assert all(m.item_no is None for m in doc.reach_metrics if m.metric in ("posts", "reach_total"))
    likes = {m.value for m in doc.reach_metrics if m.metric == "likes"}
    assert likes == {115, 384}
    first = [m for m in doc.reach_metrics if m.entry_no == 4 and m.item_no == "2"]
    assert [(m.metric, m.value, m.unit) for m in first] == [
        ("reach", 6954, "คน"),
        ("likes", 115, "คน"),
        ("shares", 21, "ครั้ง"),
        ("comments", 17, "ความคิดเห็น"),
    ]
    assert all(m.line_no in (55, 59) for m in doc.reach_metrics)


def test_strategy_and_texts(doc):
    assert [s.path for s in doc.strategy_links] == ["5", "5.4", "5.4.1", "5.4.1.1"]
    assert doc.strategy_links[1].name == "การเมืองสีขาว"
    assert doc.strategy_links[2].name.endswith("ของกรุงเทพมหานคร")  # the stray % is gone
    a = attrs(doc)
    assert a["satisfaction_pct"] == ["84.80"]
    assert a["definition"][0].startswith("วินัยพลเมือง หมายถึง")
    assert a["calculation_method"][0].startswith("คำนวณจากระดับความสำเร็จ")
    assert a["data_sources"][0].startswith("1) แผนประชาสัมพันธ์")
    assert "truncated_document" not in rules(doc) and "missing_header" not in rules(doc)


def test_no_private_use_or_damaged_text_is_left(doc):
    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for v in value.values():
                yield from strings(v)
        elif isinstance(value, list):
            for v in value:
                yield from strings(v)

    texts = list(strings(to_jsonable(doc)))
    assert not [t for t in texts if any("\uf700" <= ch <= "\uf8ff" for ch in t)]
    assert not [t for t in texts if "ำา" in t]
    assert "ต่อ ส่วนรวม" in attrs(doc)["definition"][0]


def test_every_record_has_a_line(doc):
    for name in ("indicators", "quarterly_results", "report_entries", "reach_metrics",
                 "strategy_links", "assessments", "attributes"):  # fmt: skip
        assert all(r.line_no and r.line_no >= 1 for r in getattr(doc, name)), name


# --- the real captures ------------------------------------------------------------------------

REAL = [
    # name, code, target, achieved, unit, level, assessment, quarter results, fiscal year
    (
        "kpi_detail_01.txt",
        "5011-0929",
        100.0,
        100.0,
        "ร้อยละ",
        "output",
        (3, 100.0),
        [35, 40, 100, 100],
        None,
    ),
    (
        "kpi_detail_02.txt",
        "5029-843",
        30.0,
        100.0,
        "ร้อยละ",
        "output",
        (1, 100.0),
        [5, 10, 67, 100],
        2564,
    ),
    (
        "kpi_detail_03.txt",
        "5030-1014",
        100.0,
        100.0,
        "ร้อยละ",
        "outcome",
        (3, 100.0),
        [25, 100, 100, 100],
        2563,
    ),
    (
        "kpi_detail_04.txt",
        "5038-0742",
        100.0,
        100.0,
        "ร้อยละ",
        "output",
        (3, 100.0),
        [20, 90, 100, 100],
        None,
    ),
    (
        "kpi_detail_05.txt",
        "5038-0750",
        100.0,
        100.0,
        "ร้อยละ",
        "output",
        (3, 100.0),
        [15, 60, 80, 100],
        None,
    ),
    (
        "kpi_detail_06.txt",
        "5046-0712",
        12.0,
        29.0,
        "แห่ง",
        "output",
        (1, 100.0),
        [0, 20, 26, 29],
        None,
    ),
    ("kpi_detail_headless_01.txt", None, 70.0, 70.991, "ร้อยละ", "output", (1, None), [], 2563),
    ("kpi_detail_headless_02.txt", None, 60.0, 100.0, "ร้อยละ", "output", (1, None), [], None),
    ("kpi_detail_headless_03.txt", None, 88.85, 89.1, "ร้อยละ", "output", (1, None), [], 2566),
    ("kpi_detail_headless_04.txt", None, 15.0, 17.54, "ร้อยละ", "output", (3, None), [], 2563),
]


@pytest.mark.parametrize("case", REAL, ids=[c[0] for c in REAL])
def test_real_capture(case):
    name, code, target, achieved, unit, level, assessment, quarters, fy = case
    doc = parse_document(load(f"real/{name}"), f"real/{name}")
    assert doc.kind == "kpi_detail" and doc.code == code and doc.fiscal_year == fy
    (ind,) = doc.indicators
    assert (ind.target_value, ind.achieved_value, ind.target_unit, ind.result_level) == (
        target, achieved, unit, level,
    )  # fmt: skip
    assert ind.indicator_type == "ตัวชี้วัดเชิงยุทธศาสตร์" or "headless" not in name
    assert [(a.quarter, a.score) for a in doc.assessments] == [assessment]
    assert [q.result_pct for q in doc.quarterly_results] == quarters
    assert "truncated_document" in rules(doc)  # every capture is cut at about 2 KB
    assert ("missing_header" in rules(doc)) is ("headless" in name)
    assert doc.report_entries, "every capture holds at least one report"
    assert not any("\ufffd" in e.body[-1:] for e in doc.report_entries)


def test_headless_quarters_follow_the_lines_and_dates():
    doc = parse_document(load("real/kpi_detail_headless_01.txt"), "h1")
    assert [(e.quarter, e.report_date) for e in doc.report_entries] == [
        (1, None),
        (2, date(2020, 1, 31)),
        (2, date(2020, 2, 29)),
        (2, date(2020, 3, 31)),
    ]
    assert "quarters_inferred" in rules(doc)


def test_real_title_is_kept_as_written():
    doc = parse_document(load("real/kpi_detail_01.txt"), "x")
    assert doc.title == "5. บำรุงรักษา ปรับปรุง และเพิ่มพื้นที่สีเขียว"
    assert attrs(doc)["quarterly_result_unit"] == ["ร้อยละ"]


# --- template variations ----------------------------------------------------------------------

MINIMAL = """รายละเอียดตัวชี้วัด

ตัวชี้วัดทดสอบ : 1234-5678

ค่าเป้าหมาย ร้อยละ : 80

ผลงานที่ทำได้ ร้อยละ : 85.5

ประเภทตัวชี้วัด : ตัวชี้วัดงานประจำ
(ตัวชี้วัดระดับผลผลิต (output))

*** สยป. ตรวจประเมินตัวชี้วัด : ไตรมาสที่ 2: 90

ผลงานเทียบกับเป้าหมายรายไตรมาส

ไตรมาสที่
(1 - 4)
*ผลงาน*
(ร้อยละ)
*ผลประเมินตัวชี้วัด*
(* 2.1 / 2.2 *)
1
20.00
100
100 / 100
2
50.00

50 / 100

รายงานผลฯ ไตรมาสที่ 1

15/12/2565 : ดำเนินการแล้ว 31/02/2566 : วันที่ผิด

รายงานผลฯ ไตรมาสที่ 2

10/04/2566 : รายงานช้า เผยแพร่ จำนวน 3 ครั้ง มียอดผู้เข้าถึงรวมทั้งหมด 1,000 คน

นิยาม หรือความหมายของตัวชี้วัด

นิยามทดสอบ

สนับสนุนยุทธศาสตร์กรุงเทพมหานครฯ

:ด้านที่ ๑ - มหานครปลอดภัย
**** ภารกิจงานประจำของหน่วยงาน ****

ฐานข้อมูลประกอบตัวชี้วัดการพัฒนาเมือง
"""


def test_minimal_page():
    doc = parse_document(MINIMAL, "m")
    assert (doc.code, doc.fiscal_year) == ("1234-5678", 2566)
    assert [(q.quarter, q.score, q.eval_1, q.eval_2) for q in doc.quarterly_results] == [
        (1, 100.0, 100.0, 100.0),
        (2, None, 50.0, 100.0),
    ]
    # filed under the heading's quarter even when written late
    assert [(e.quarter, e.report_date) for e in doc.report_entries] == [
        (1, date(2022, 12, 15)),
        (1, None),
        (2, date(2023, 4, 10)),
    ]
    assert "invalid_date" in rules(doc)
    late = [a for a in doc.anomalies if a.rule == "entry_outside_quarter"]
    assert [a.line_no for a in late] == [37] and "2023-04-10" in late[0].message
    assert [(s.path, s.name) for s in doc.strategy_links] == [("1", "มหานครปลอดภัย")]
    assert attrs(doc)["strategy_note"] == ["ภารกิจงานประจำของหน่วยงาน"]
    assert "truncated_document" not in rules(doc) and "missing_header" not in rules(doc)


@pytest.mark.parametrize(
    "transform",
    [
        lambda t: t.replace("\n", "\r\n"),
        lambda t: "\ufeff" + t,
        lambda t: t.replace(" : ", "\u00a0:\u00a0"),
        lambda t: t.replace("80", "๘๐").replace("1234-5678", "๑๒๓๔-๕๖๗๘"),
        lambda t: t.replace("ค่าเป้าหมาย", "ค่าเป้า\u200bหมาย"),
        lambda t: t.replace("\n\n", "\n"),
    ],
    ids=["crlf", "bom", "nbsp", "thai-digits", "zero-width", "no-blank-lines"],
)
def test_hostile_variants_parse_the_same(transform):
    base = parse_document(MINIMAL, "m")
    doc = parse_document(transform(MINIMAL), "m")
    assert doc.code == base.code == "1234-5678"
    assert doc.indicators[0].target_value == 80.0
    assert [q.score for q in doc.quarterly_results] == [q.score for q in base.quarterly_results]
    assert [e.report_date for e in doc.report_entries] == [
        e.report_date for e in base.report_entries
    ]


def test_headless_and_cut_page():
    lines = MINIMAL.split("\n")
    headless = "\n".join(lines[4:30])  # from the target line into the table
    doc = parse_document(headless, "h")
    assert doc.kind == "kpi_detail" and doc.code is None
    assert {"missing_header", "truncated_document"} <= set(rules(doc))
    assert doc.indicators[0].target_value == 80.0


@pytest.mark.parametrize("cut", [0.1, 0.3, 0.5, 0.7, 0.9])
def test_sample_cut_anywhere_still_parses(cut):
    text = load(SAMPLE)
    doc = parse_document(text[: int(len(text) * cut)], "cut")
    assert doc.kind == "kpi_detail" and "truncated_document" in rules(doc)


def test_performance_of_a_page():
    text = load(SAMPLE)
    from normalize import repair_text

    clean = repair_text(text)
    runs = []
    for _ in range(30):
        start = time.perf_counter()
        kpi_detail.parse(clean, "p")
        runs.append(time.perf_counter() - start)
    assert statistics.median(runs) < 0.005 * len(text.encode()) / 10_000


# --- detection across every sample: tests/parsers/test_kind_contract.py ----------------------


@pytest.mark.parametrize(
    "text",
    [
        "รายละเอียดตัวชี้วัด\nรายงานผลฯ ไตรมาสที่ 1\n" + "ยอดการเข้าถึง 1,2" * 200_000,
        "รายละเอียดตัวชี้วัด\nรายงานผลฯ ไตรมาสที่ 1\n" + "ก" * 20_000_000,
        "รายละเอียดตัวชี้วัด\nรายงานผลฯ ไตรมาสที่ 1\n" + "1/1/2566 : " * 100_000,
        "รายละเอียดตัวชี้วัด\nรายงานผลฯ ไตรมาสที่ 1\n" + "1/1/2566 : ยอดการเข้าถึง 5 คน\n" * 50_000,
        "รายละเอียดตัวชี้วัด\n" + "ค่าเป้าหมาย " + "x" * 2_000_000,
        "รายละเอียดตัวชี้วัด\n" + "ไตรมาสที่\n(1 - 4)\n" + "1\n" * 500_000,
    ],
    ids=[
        "reach-repeated",
        "20MB-line",
        "many-dates",
        "many-dated-lines",
        "long-target",
        "table-of-ones",
    ],
)
def test_hostile_pages_parse_in_seconds(text):
    start = time.perf_counter()
    doc = parse_document(text, "hostile")
    assert doc.kind == "kpi_detail"
    assert time.perf_counter() - start < 15


def test_wrapped_report_lines_continue_their_entry():
    text = load(SAMPLE)
    wrapped = text.replace(" มียอดผู้เข้าถึงรวมทั้งหมด 718,274", "\nมียอดผู้เข้าถึงรวมทั้งหมด 718,274").replace(
        " 31/05/2566 :", "\n31/05/2566 :"
    )
    base = parse_document(text, SAMPLE)
    doc = parse_document(wrapped, SAMPLE)
    assert [(e.quarter, e.report_date) for e in doc.report_entries] == [
        (e.quarter, e.report_date) for e in base.report_entries
    ]
    assert [(m.metric, m.value) for m in doc.reach_metrics] == [
        (m.metric, m.value) for m in base.reach_metrics
    ]
    total = next(m for m in doc.reach_metrics if m.metric == "reach_total")
    assert (total.value, total.line_no) == (718274, 56)
    assert wrapped.split("\n")[55].startswith("มียอดผู้เข้าถึงรวมทั้งหมด 718,274")
    may = doc.report_entries[4]
    assert (may.report_date, may.line_no) == (date(2023, 5, 31), 57)


def test_a_wrapped_title_is_joined():
    text = MINIMAL.replace("ตัวชี้วัดทดสอบ : 1234-5678", "ร้อยละความสำเร็จของ\nตัวชี้วัดทดสอบ : 1234-5678")
    doc = parse_document(text, "w")
    assert (doc.title, doc.code) == ("ร้อยละความสำเร็จของ ตัวชี้วัดทดสอบ", "1234-5678")
    assert doc.indicators[0].name == doc.title and doc.indicators[0].line_no == 4


def test_a_scans_junk_between_header_and_table_is_no_report(doc):
    # OCR of a scan: junk lines of lost marks and a damaged assessment line (tabs,
    # ไตรมาลสที่) where a headless capture has its reports; the page has its headings
    text = load(SAMPLE).replace(
        "*** สยป. ตรวจประเมินตัวชี้วัด : ไตรมาสที่ 1: 100",
        "a\t๑7\taw\ta\tov\n*%*%*\nสยป.\tตรวจประเมินตัวชี้วัด :\tไตรมาลสที่ 1:\t100",
    )
    assert text != load(SAMPLE)
    scan = parse_document(text, SAMPLE)

    def facts(d):
        return [(e.entry_no, e.quarter, e.report_date, e.body) for e in d.report_entries]

    assert facts(scan) == facts(doc)  # two lines more: the same entries, two lines down
    assert [(a.quarter, a.score) for a in scan.assessments] == [(1, 100.0)]
