"""Shared page blocks: table-driven input -> expected, hostile strings, linear-time patterns."""

from __future__ import annotations

import time
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parsers import blocks, detect
from parsers.blocks import Line


def lines_of(text: str) -> list[Line]:
    return blocks.numbered_lines(text)


# --- lines and sections ------------------------------------------------------------------------


def test_numbered_lines_keep_the_registry_line_count():
    text = "a\r\n\u00a0b\t c \n\nd\u2028e\n"
    got = blocks.numbered_lines(text)
    assert len(got) == len(text.split("\n"))
    assert [ln.text for ln in got] == ["a", "b c", "", "d e", ""]
    assert [ln.no for ln in got] == [1, 2, 3, 4, 5]


def test_a_cut_last_character_is_dropped():
    assert blocks.numbered_lines("ข้อความ\nตัดกลางคำ\ufffd")[-1].text == "ตัดกลางคำ"
    assert blocks.numbered_lines("a\ufffdb")[0].text == "a\ufffdb"  # inside: kept


def test_split_sections_cuts_at_short_heading_lines_only():
    import re

    heads = (("definition", re.compile("นิยาม")),)
    text = "ก่อน\nนิยาม หรือความหมาย\nเนื้อหา\n" + "นิยาม" + "ก" * 200
    secs = blocks.split_sections(lines_of(text), heads)
    assert [s.key for s in secs] == ["preamble", "definition"]
    assert secs[1].heading.no == 2
    assert [ln.no for ln in secs[1].lines] == [3, 4]  # a long line is never a heading


# --- indicator header --------------------------------------------------------------------------

HEADER_CASES = [
    (
        "ค่าเป้าหมาย ร้อยละ : 90\nผลงานที่ทำได้ ร้อยละ : 70\nประเภทตัวชี้วัด : ตัวชี้วัดเชิงยุทธศาสตร์\n"
        "(ตัวชี้วัดระดับผลลัพธ์ (outcome))",
        (90.0, "ร้อยละ", 70.0, "ตัวชี้วัดเชิงยุทธศาสตร์", "outcome"),
    ),
    (
        "ค่าเป้าหมาย แห่ง : 12\nผลงานที่ทำได้ แห่ง : 29\nประเภทตัวชี้วัด : ตัวชี้วัดงานประจำ\n(ตัวชี้วัดระดับผลผลิต (OUTPUT))",
        (12.0, "แห่ง", 29.0, "ตัวชี้วัดงานประจำ", "output"),
    ),
    (
        "ค่าเป้าหมาย ร้อยละ : ๑๐๐.๐๐๐๐\nผลงานที่ทำได้ ร้อยละ :\nประเภทตัวชี้วัด :\nตัวชี้วัดระดับผลผลิต",
        (100.0, "ร้อยละ", None, None, "output"),
    ),
    ("ค่าเป้าหมาย : 1,250\n", (1250.0, None, None, None, None)),
    (
        "ประเภทตัวชี้วัด : ตัวชี้วัดเชิงยุทธศาสตร์ (ตัวชี้วัดระดับผลลัพธ์ (outcome))",
        (None, None, None, "ตัวชี้วัดเชิงยุทธศาสตร์", "outcome"),
    ),
    (
        "ค่าเป้าหมาย\u00a0 ร้อยละ :\t88.85\nผลงานที่ทำได้ ร้อยละ : 89.1\nประเภทตัวชี้วัด : ก (outcome)",
        (88.85, "ร้อยละ", 89.1, "ก", "outcome"),
    ),
]


@pytest.mark.parametrize(("text", "expected"), HEADER_CASES)
def test_indicator_header(text, expected):
    h = blocks.parse_indicator_header(lines_of(text))
    assert h is not None
    got = (h.target_value, h.target_unit, h.achieved_value, h.indicator_type, h.result_level)
    assert got == expected
    assert h.line_no == 1


def test_no_indicator_header():
    assert blocks.parse_indicator_header(lines_of("ค่าเป้าหมายรวม ปีงบประมาณ\nอื่น ๆ")) is None


# --- quarterly table ---------------------------------------------------------------------------

TABLE_HEAD = "ไตรมาสที่\n(1 - 4)\n*ผลงาน*\n(ร้อยละ)\n*ผลประเมินตัวชี้วัด*\n(* 2.1 / 2.2 *)\n"


def rows_of(text: str) -> list[tuple]:
    table = blocks.find_quarter_table(lines_of(text))
    assert table is not None
    return [(r.quarter, r.result, r.score, r.eval_1, r.eval_2) for r in table.rows]


def test_table_with_a_blank_score():
    body = "1\n10.00\n100\n100 / 100\n2\n30.00\n\n0 / 0\n3\n70.00\n100\n100 / 100\n4\n100.00\n100\n100 / 100\n"
    assert rows_of(TABLE_HEAD + body) == [
        (1, 10.0, 100.0, 100.0, 100.0),
        (2, 30.0, None, 0.0, 0.0),
        (3, 70.0, 100.0, 100.0, 100.0),
        (4, 100.0, 100.0, 100.0, 100.0),
    ]


def test_table_with_every_score_blank_and_a_trailing_heading():
    body = "1\n15.00\n\n100 / 100\n2\n40.00\n\n100 / 100\n3\n70.00\n\n100 / 100\n4\n0.00\n\n0 / 0\n\n** ผลการประเมินโครงการ **"
    assert [r[2] for r in rows_of(TABLE_HEAD + body)] == [None, None, None, None]
    assert rows_of(TABLE_HEAD + body)[3] == (4, 0.0, None, 0.0, 0.0)


def test_table_cut_short_keeps_the_complete_rows():
    body = "1\n35.00\n100\n100 / 100\n2\n40.0"
    assert rows_of(TABLE_HEAD + body) == [
        (1, 35.0, 100.0, 100.0, 100.0),
        (2, 40.0, None, None, None),
    ]


def test_table_without_eval_pairs_and_with_thai_digits():
    body = "๑\n๕.๐๐\n๑๐๐\n\n2\n10.00\n0\n"
    assert rows_of(TABLE_HEAD + body)[:2] == [
        (1, 5.0, 100.0, None, None),
        (2, 10.0, 0.0, None, None),
    ]


def test_table_dash_cells_are_blank():
    body = "1\n-\n-\n- / -\n2\n50.00\n100\n100 / 100\n"
    assert rows_of(TABLE_HEAD + body) == [
        (1, None, None, None, None),
        (2, 50.0, 100.0, 100.0, 100.0),
    ]


def test_table_unit_is_kept():
    text = TABLE_HEAD.replace("(ร้อยละ)", "(แห่ง)") + "1\n0.00\n100\n100 / 100\n"
    table = blocks.find_quarter_table(lines_of(text))
    assert table is not None and table.unit == "แห่ง" and table.line_no == 1


@pytest.mark.parametrize(
    "head",
    [
        TABLE_HEAD.replace("ไตรมาสที่\n", "ไตรมาส ที่\n"),  # OCR splits the word
        TABLE_HEAD.replace("(1 - 4)", "(1\t9"),  # ... and misreads the range under it
        TABLE_HEAD.replace("(1 - 4)", "(1 4)"),
        TABLE_HEAD.replace("(1 - 4)", "4\t4)"),  # Loma's "(1-4)" with the "(1" lost
    ],
)
def test_table_head_as_ocr_reads_it(head):
    assert rows_of(head + "1\n5.00\n\n100 / 100\n2\n30.00\n\n0 / 0\n")[1] == (2, 30.0, None, 0, 0)


def test_table_rows_that_lost_their_quarter_number_to_ocr():
    # tesseract drops a line of one small glyph: "1", "2" (and a score "0") are gone; the
    # "a / b" pair still ends each row, so the rows keep their order
    head = TABLE_HEAD.replace("ไตรมาสที่", "ไตรมาลสที่").replace("(* 2.1 / 2.2 *)", "0ว1722 0")
    body = "20.00\n0 / 0\n\n55.00\n\n0\n\n0/0\n3\n70.00\n100\n100 / 100\n4\n85.00\n100\n100 / 100\n"
    assert rows_of(head + body) == [
        (1, 20.0, None, 0.0, 0.0),
        (2, 55.0, 0.0, 0.0, 0.0),
        (3, 70.0, 100.0, 100.0, 100.0),
        (4, 85.0, 100.0, 100.0, 100.0),
    ]


def test_table_row_whose_quarter_number_or_decimal_point_ocr_misread():
    # "3" read as "1" before its result "55.00" (read "55 00": the point lost)
    body = "1\n20.00\n0\n0 / 0\n2\n50.00\n100\n100 / 100\n1\n55 00\n100\n100 / 100\n"
    assert rows_of(TABLE_HEAD + body)[2] == (3, 55.0, 100.0, 100.0, 100.0)
    assert rows_of(TABLE_HEAD + body.replace("\n55 00\n100", "\n55 00"))[2][:3] == (3, 55.0, None)


def test_no_table():
    assert blocks.find_quarter_table(lines_of("ไตรมาสที่ 1 ดำเนินการแล้ว\n1\n2")) is None


# --- assessment and strategy -------------------------------------------------------------------

ASSESS_CASES = [
    ("*** สยป. ตรวจประเมินตัวชี้วัด : ไตรมาสที่ 1: 100", (1, 100.0)),
    ("*** สยป. ประเมินโครงการ : ไตรมาสที่ 1 100", (1, 100.0)),
    ("*** สยป. ประเมินโครงการ : ไตรมาสที่ 3", (3, None)),
    ("*** สยป. ตรวจประเมินตัวชี้วัด : ไตรมาสที่ 3: 100.0000", (3, 100.0)),
    ("*** สยป. ตรวจประเมินตัวชี้วัด : ไตรมาสที่ ๒: ๘๐", (2, 80.0)),
    ("*** สยป. ตรวจประเมินตัวชี้วัด : ไตรมาสที่ 1:", (1, None)),
]


@pytest.mark.parametrize(("text", "expected"), ASSESS_CASES)
def test_assessment(text, expected):
    a = blocks.parse_assessment(Line(7, text))
    assert a is not None and (a.quarter, a.score, a.line_no) == (*expected, 7)


def test_not_an_assessment():
    assert blocks.parse_assessment(Line(1, "ไตรมาสที่ 1 100")) is None


STRATEGY_CASES = [
    (
        ":ด้านที่ ๕ - มหานครประชาธิปไตย : Bangkok as a Democratic City",
        "5",
        "มหานครประชาธิปไตย : Bangkok as a Democratic City",
    ),
    (":๕.๔ - การเมืองสีขาว", "5.4", "การเมืองสีขาว"),
    (":๕.๔.๑ ประชาชนมีความเชื่อมั่น%", "5.4.1", "ประชาชนมีความเชื่อมั่น"),
    (":5.4.1.1 ประชาชน", "5.4.1.1", "ประชาชน"),
    ("เป้าประสงค์ที่ : ๕.๔.๑ ประชาชนมีความเชื่อมั่น", "5.4.1", "ประชาชนมีความเชื่อมั่น"),
    ("----- ย่อย : ๕.๔ - การเมืองสีขาว", "5.4", "การเมืองสีขาว"),
]


@pytest.mark.parametrize(("text", "path", "name"), STRATEGY_CASES)
def test_strategy_line(text, path, name):
    link = blocks.parse_strategy_line(Line(3, text))
    assert link is not None and (link.path, link.name, link.line_no) == (path, name, 3)


@pytest.mark.parametrize("text", ["**** ภารกิจงานประจำของหน่วยงาน ****", "ไม่มี", ""])
def test_not_a_strategy_line(text):
    assert blocks.parse_strategy_line(Line(1, text)) is None


# --- dated entries -----------------------------------------------------------------------------


def test_split_dated_several_on_one_line():
    parts = blocks.split_dated(
        "28/02/2566 : 1. หนึ่ง ครั้งที่ 1/2566 เมื่อ 2. สอง 31/03/2566 : อยู่ระหว่าง 1. สาม"
    )
    assert [(p.report_date, p.text) for p in parts] == [
        (date(2023, 2, 28), "1. หนึ่ง ครั้งที่ 1/2566 เมื่อ 2. สอง"),
        (date(2023, 3, 31), "อยู่ระหว่าง 1. สาม"),
    ]


def test_split_dated_text_without_a_date_and_an_invalid_date():
    assert [(p.report_date, p.text) for p in blocks.split_dated("ไม่มีวันที่")] == [(None, "ไม่มีวันที่")]
    parts = blocks.split_dated("31/02/2566 : วันที่ผิด")
    assert parts[0].date_text == "31/02/2566" and parts[0].report_date is None


def test_split_dated_mdy_and_thai_digits():
    assert blocks.split_dated("2/27/2021 : ก")[0].report_date == date(2021, 2, 27)
    assert blocks.split_dated("๓๑/๑/๒๕๖๓ : ก")[0].report_date == date(2020, 1, 31)


# --- reach -------------------------------------------------------------------------------------


def reach(body: str, line_no: int = 1):
    rows, anomalies = blocks.extract_reach(
        body, entry_no=3, report_date=date(2021, 6, 30), line_no=line_no
    )
    return rows, anomalies


def test_numbered_posts():
    rows, anomalies = reach(
        "ไปแล้ว จำนวน 4 ครั้ง ดังนี้ 1. กทม. ห่วงใย ยอดการเข้าถึง 23,156 คน "
        "2. ฝุ่น PM 2.5 ในสถานศึกษา ยอดการเข้าถึง 52,882 คน 3. 10 มาตรการ ยอดผู้เข้าชม 41,419 ราย "
        "4. ข่าว ยอดการเข้าถึง 51,960 คน"
    )
    assert anomalies == []
    assert [(r.item_no, r.title, r.metric, r.value, r.unit) for r in rows] == [
        (None, None, "posts", 4, "ครั้ง"),
        ("1", "กทม. ห่วงใย", "reach", 23156, "คน"),
        ("2", "ฝุ่น PM 2.5 ในสถานศึกษา", "reach", 52882, "คน"),
        ("3", "10 มาตรการ", "views", 41419, "ราย"),
        ("4", "ข่าว", "reach", 51960, "คน"),
    ]
    assert all(r.entry_no == 3 and r.report_date == date(2021, 6, 30) for r in rows)


@pytest.mark.parametrize(
    ("body", "value"),
    [
        ("1. ข่าว ยอดการเข้าถึง 102.226 คน", 102226),  # OCR: the comma read as a dot
        ("1. ข่าว ยอดการเข้าถึง 74 866 คน", 74866),  # ... or as a blank
        ("1. ข่าว ยอดผู้เข้าถึง\n58.907 คน", 58907),  # the count wrapped onto the next line
        ("1. ข่าว ยอดการเข้าถึง 1.234.567 ครั้ง", 1234567),
        ("1. ข่าว ยอดการเข้าถึง 23,156 คน", 23156),
        ("1. ข่าว ยอดการเข้าถึง 12 345", 12),  # no unit: the blank is no thousands mark
        ("1. ข่าว ยอดการเข้าถึง 2.5 คน", None),  # no group of three: not a count
    ],
)
def test_counts_as_ocr_reads_their_thousands_marks(body: str, value: int | None):
    rows, _ = reach(body)
    assert [r.value for r in rows if r.metric == "reach"] == ([value] if value else [])


def test_a_post_count_whose_tone_mark_ocr_lost():
    rows, _ = reach("เผยแพร่ จำนวน 96 ครัง มียอดผู้เข้าถึงรวมทั้งหมด 765,213 คน")
    assert [(r.metric, r.value, r.unit) for r in rows] == [
        ("posts", 96, "ครั้ง"),
        ("reach_total", 765213, "คน"),
    ]


def test_sub_numbered_posts_keep_their_number_as_written():
    rows, _ = reach(
        "1. จัดทำแผน 2. เผยแพร่ ดังนี้ 2.1 อย่าลืม ยอดการเข้าถึง 4,135 คน 2.2 ลอยกระทง ยอดการเข้าถึง 8,237 คน"
    )
    assert [(r.item_no, r.title, r.value) for r in rows] == [
        ("2.1", "อย่าลืม", 4135),
        ("2.2", "ลอยกระทง", 8237),
    ]


def test_totals_and_engagement():
    rows, _ = reach(
        "1. เผยแพร่ จำนวน 89 ครั้ง มียอดผู้เข้าถึงรวมทั้งหมด 718,274 คน 2. จัดกิจกรรม ทาง Facebook โดยมียอดการเข้าถึง 6,954 คน "
        "กดถูกใจ 115 คน แชร์ 21 ครั้ง แสดงความคิดเห็น 17 ความคิดเห็น"
    )
    assert [(r.item_no, r.title, r.metric, r.value, r.unit) for r in rows] == [
        (None, None, "posts", 89, "ครั้ง"),
        (None, None, "reach_total", 718274, "คน"),
        ("2", "จัดกิจกรรม ทาง Facebook", "reach", 6954, "คน"),
        ("2", "จัดกิจกรรม ทาง Facebook", "likes", 115, "คน"),
        ("2", "จัดกิจกรรม ทาง Facebook", "shares", 21, "ครั้ง"),
        ("2", "จัดกิจกรรม ทาง Facebook", "comments", 17, "ความคิดเห็น"),
    ]


def test_dash_bullets_are_posts_without_a_number():
    rows, _ = reach("4. จัดกิจกรรมจำนวน 3 ครั้ง - ตอบคำถาม ยอดการเข้าถึง 15,373 คน - ยุวชน ณ ชุมชน")
    assert [(r.item_no, r.title, r.value) for r in rows] == [(None, "ตอบคำถาม", 15373)]


def test_unit_typo_and_misspelled_label():
    rows, anomalies = reach(
        "5. กทม. งดจัดงาน ยอดการเข้าถึง 10,170 น. 6. ใส่หน้ากาก ยอดผุ้เข้าชม 15,022 คน", line_no=119
    )
    assert [(r.metric, r.value, r.unit) for r in rows] == [
        ("reach", 10170, "น."),
        ("views", 15022, "คน"),
    ]
    assert sorted((a.rule, a.line_no) for a in anomalies) == [
        ("misspelled_label", 119),
        ("unit_typo", 119),
    ]
    assert "10,170" in next(a.message for a in anomalies if a.rule == "unit_typo")


@pytest.mark.parametrize(
    ("body", "mismatch"),
    [
        ("จำนวน 12 ครั้ง ดังนี้ " + " ".join(f"{i}. ข่าว ยอดการเข้าถึง 5 คน" for i in range(1, 11)), True),
        ("จำนวน 3 เรื่อง ดังนี้ " + " ".join(f"{i}. ข่าว ยอดการเข้าถึง 5 คน" for i in range(1, 4)), False),
        ("จำนวน 2 ครั้ง ดังนี้ 1. ก 1.1 ยอดการเข้าถึง 5 คน 1.2 ข 2. ค", False),
        ("จำนวน 2 ครั้ง ดังนี้ ข่าวไม่มีเลขข้อ", False),
    ],
)
def test_declared_count(body, mismatch):
    _, anomalies = reach(body)
    assert ("declared_count_mismatch" in [a.rule for a in anomalies]) is mismatch


def test_a_count_too_large_for_a_bigint_is_left_out():
    rows, anomalies = reach("1. ก ยอดการเข้าถึง 99999999999999999999 คน 2. ข ยอดการเข้าถึง 5 คน")
    assert [(r.item_no, r.value) for r in rows] == [("2", 5)]
    assert [a.rule for a in anomalies] == ["value_out_of_range"]


def test_a_body_over_several_lines_keeps_each_rows_line():
    rows, _ = reach("ดังนี้\n1. ก ยอดการเข้าถึง 5 คน\n2. ข ยอดการเข้าถึง 6 คน", line_no=40)
    assert [(r.item_no, r.line_no) for r in rows] == [("1", 41), ("2", 42)]


@pytest.mark.parametrize(
    "body",
    ["", "ไม่มีตัวเลข", "ยอดการเข้าถึง คน", "แสดงความคิดเห็น ในหัวข้อ", "1. 2. 3.", "ยอดการเข้าถึง 1.5 คน"],
)
def test_no_reach(body):
    assert reach(body) == ([], [])


def test_find_items_follow_the_numbering():
    got = blocks.find_items("1. ก 10 ข 2.5 ค 2. ง 2.1 จ 09.00 น. 2.2 ฉ 3) ช 3.1. ซ")
    assert [i.no for i in got] == ["1", "2", "2.1", "2.2", "3", "3.1"]


def test_satisfaction():
    assert blocks.find_satisfaction("ความพึงพอใจของประชาชน ร้อยละ 92.5") == [("92.5", 0)]
    assert blocks.find_satisfaction("ไม่มี") == []


# --- hostile input -----------------------------------------------------------------------------


TOKENS = [
    *"0123456789.,/:- \n()",
    *("ยอดการเข้าถึง", "ยอดผู้เข้าถึงรวมทั้งหมด", "ยอดผุ้เข้าชม", "กดถูกใจ", "แชร์", "คน", "น."),
    *("จำนวน", "ครั้ง", "เรื่อง", "ดังนี้", "1.", "2.", "2.1", "10,170", "ความคิดเห็น", "โดยมี"),
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=60).map("".join))
def test_reach_never_raises_on_fragments(body):
    rows, anomalies = reach(body)
    assert all(r.value >= 0 and r.metric for r in rows)
    rules = {"declared_count_mismatch", "unit_typo", "misspelled_label", "value_out_of_range"}
    assert all(a.rule in rules and a.message.endswith(".") for a in anomalies)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_blocks_never_raise_on_any_text(text):
    lines = blocks.numbered_lines(text)
    blocks.parse_indicator_header(lines)
    blocks.find_quarter_table(lines)
    for ln in lines[:20]:
        blocks.parse_assessment(ln)
        blocks.parse_strategy_line(ln)
        blocks.parse_title_code(ln)
    blocks.split_dated(text)
    blocks.extract_reach(text, entry_no=None, report_date=None, line_no=1)
    blocks.find_satisfaction(text)


@pytest.mark.parametrize(
    "body",
    [
        "ยอดการเข้าถึง 1,2" * 200_000,
        "1. " + "มี" * 300_000 + "ยอดการเข้าถึง 5 คน",
        "1." * 300_000,
        " ".join(f"{i}. x ยอดการเข้าถึง 5 คน" for i in range(1, 50_000)),
        "จำนวน 1 ครั้ง ดังนี้ " * 100_000,
        "- " * 500_000 + "ยอดการเข้าถึง 5 คน",
    ],
    ids=["reach-repeated", "title-tail", "markers", "many-items", "declared", "bullets"],
)
def test_reach_is_linear_on_hostile_bodies(body):
    # CPU time, not wall time: a busy machine must not fail it; a quadratic path takes minutes
    start = time.process_time()
    blocks.extract_reach(body, entry_no=1, report_date=None, line_no=1)
    assert time.process_time() - start < 5


# --- detection ---------------------------------------------------------------------------------

CLASSIFY_CASES = [
    ("รายละเอียดตัวชี้วัด\n\nBack Home\n", "kpi_detail"),
    ("\ufeff  ความคืบหน้าโครงการ/กิจกรรม\r\n", "project_progress"),
    # a KPI page whose report quotes a project's words is still a KPI page
    (
        "รายละเอียดตัวชี้วัด\nรายงานผลฯ ไตรมาสที่ 1\nความคืบหน้าโครงการ ร้อยละ 50\nหลักการและเหตุผล",
        "kpi_detail",
    ),
    # headless: the first strong cue decides
    (
        "ค่าเป้าหมาย ร้อยละ : 70\n*** สยป. ตรวจประเมินตัวชี้วัด : ไตรมาสที่ 1:\n(1) ความคืบหน้าโครงการฯ",
        "kpi_detail",
    ),
    ("ความคืบหน้าโครงการ ร้อยละ 100\nนาย ก โทร. 1\nค่าเป้าหมาย ร้อยละ : 90", "project_progress"),
    # cut so short that only weak cues are left
    ("ค่าเป้าหมาย ร้อยละ : 70\nผลงานที่ทำได้ ร้อยละ : 70.991", "kpi_detail"),
    ("หลักการและเหตุผล\nข้อความ\nวัตถุประสงค์ของโครงการ", "project_progress"),
    ("ค่าเป้าหมาย ร้อยละ : 70\nหลักการและเหตุผล", None),
    ("1. ชื่อตัวชี้วัด : ร้อยละ\n5. เป้าหมาย\n: ผลงานที่ทำได้ = 5 (ระดับ)", None),
    ("ค่าเป้าหมายรวม ปีงบประมาณ พ.ศ. ๒๕๖๘\tค่าเป้าหมาย : ๑ หน่วยนับ : ฉบับ", None),
    ("", None),
]


@pytest.mark.parametrize(("text", "kind"), CLASSIFY_CASES)
def test_classify_page(text, kind):
    assert detect.classify_page(text) == kind


def test_split_dated_leading_date_without_colon_and_short_years():
    assert [(p.report_date, p.text) for p in blocks.split_dated("30/05/2021 มีการเผยแพร่")] == [
        (date(2021, 5, 30), "มีการเผยแพร่")
    ]
    assert [p.report_date for p in blocks.split_dated("31/1/63 : ก 1/2/63 : ข")] == [
        date(2020, 1, 31),
        date(2020, 2, 1),
    ]
    assert blocks.split_dated("12/5/2566/7 : x")[0].report_date is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("งาน ก : 12007500-1083", ("งาน ก", "12007500-1083")),
        ("งาน ก : 12007500- 1083", ("งาน ก", "12007500-1083")),  # OCR spaced the hyphen
        ("งาน ก : ๕๐๓๘ -๐๗๔๒", ("งาน ก", "5038-0742")),
        ("งาน ก : 2563 - 2565 ปี", None),
    ],
)
def test_title_code(text, expected):
    assert blocks.parse_title_code(Line(1, text)) == expected
