"""Table-driven and property tests of normalize.dates."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from normalize import (
    DateMatch,
    find_date_matches,
    find_dates,
    find_dates_with_spans,
    month_year_mentions,
    parse_date,
    parse_date_near,
    repair_text,
    to_arabic_digits,
)

D = date

# The "done when" list.
DONE_WHEN = [
    ("29/2/2563", D(2020, 2, 29)),
    ("2/27/2021", D(2021, 2, 27)),
    ("๒๑ มี.ค. ๖๔", D(2021, 3, 21)),
    ("29 ก.พ. 2566", None),
    ("31 เมษายน 2566", None),
]

# Lines and phrases taken from /work/main/samples (after repair_text).
FROM_SAMPLES = [
    ("(6.2) ไตรมาสที่ 2 : 31/1/2563 : ดำเนินการ ดังนี้", D(2020, 1, 31)),
    ("29/2/2563 : อยู่ระหว่างขั้นตอน", D(2020, 2, 29)),
    ("(6.4) ไตรมาสที่ 4 : 31/7/2563 ดำเนินการ", D(2020, 7, 31)),
    ("3. นำเสนอผลงานในวันที่ 8 พ.ค. 2563", D(2020, 5, 8)),
    ("ยื่นเสนอราคาในวันที่ 7 พ.ค. 2563", D(2020, 5, 7)),
    ("(กำหนดดำเนินการถึงวันที่ 14 ตุลาคม 2563)", D(2020, 10, 14)),
    ("(1) ความคืบหน้าโครงการฯ ร้อยละ 90.00 (2021-08-30)", D(2021, 8, 30)),
    ("30/08/2564 : อยู่ระหว่างขั้นตอน", D(2021, 8, 30)),
    ("30/05/2021 มีการเผยแพร่อินโฟกราฟิก", D(2021, 5, 30)),
    ("2/27/2021 : อยู่ระหว่างขั้นตอน", D(2021, 2, 27)),
    ("1/31/2021 : อยู่ระหว่างขั้นตอน", D(2021, 1, 31)),
    ("31/12/2563 : ดำเนินการเผยแพร่", D(2020, 12, 31)),
    ("(11) ความคืบหน้าโครงการฯ ร้อยละ 5.00 (2020-10-28)", D(2020, 10, 28)),
    ("เริ่มต้น :2020-10-01 00:00:00", D(2020, 10, 1)),
    ("อนุมัติแผนฯ เมื่อวันที่ 19 พฤศจิกายน 2565 และได้รับ", D(2022, 11, 19)),
    ("ครั้งที่ 1/2566 เมื่อวันพุธที่ 25 มกราคม 2566 และอยู่ระหว่าง", D(2023, 1, 25)),
    ("ตามหนังสือ กท. 0408/3009 ลงวันที่ 6 กรกฎาคม 2566", D(2023, 7, 6)),
    ("ณ สำนักงานเขตจตุจักร เมื่อวันที่ 20 สิงหาคม 2566", D(2023, 8, 20)),
    ("ชาว กทม.คิดเห็น 31/05/2566 : ดำเนินการ", D(2023, 5, 31)),
    ("การขนส่ง เมื่อ วันที่ 10 มีนาคม 2566", D(2023, 3, 10)),
    ("(Progress Report) เมื่อวันที่ 21 มี.ค. 2566 2.ประชุม", D(2023, 3, 21)),
    ("ประสานงานกับ กทม. เมื่อวันที่ 5 เม.ย. 2566 3.อยู่ระหว่าง", D(2023, 4, 5)),
    ("ตรวจรับพัสดุในวันที่ 21 เม.ย 2566 4.ประชุม", D(2023, 4, 21)),
    ("มีผลบังคับในวันที่ 13 มีนาคม 2562 โดยภาษี", D(2019, 3, 13)),
    ("ตั้งแต่วันที่ 1 มกราคม พ.ศ. 2563 ฐานภาษี", D(2020, 1, 1)),
    ("มาตรการ 1 ตุลาคม 62 – 25 มี.ค. 63 เฉลี่ย 5.64", D(2019, 10, 1)),
    ("รับมือพายุฤดูร้อน 21-22 มี.ค. 64 นี้", D(2021, 3, 21)),
]

# Spellings and forms from the issue and thai-text-notes.md.
FORMS = [
    ("1 มกราคม 2564", D(2021, 1, 1)),
    ("1 มกรา 2564", D(2021, 1, 1)),
    ("1 ม.ค. 2564", D(2021, 1, 1)),
    ("1 มค 2564", D(2021, 1, 1)),
    ("1 ม.ค 2564", D(2021, 1, 1)),
    ("1 มค. 2564", D(2021, 1, 1)),
    ("1 ม. ค. 2564", D(2021, 1, 1)),
    ("15 กุมภาพันธ์ 2564", D(2021, 2, 15)),
    ("15 กุมภาพันธ 2564", D(2021, 2, 15)),
    ("15 กุมภา 64", D(2021, 2, 15)),
    ("15 ก.พ. 64", D(2021, 2, 15)),
    ("2 มีนาคม 2564", D(2021, 3, 2)),
    ("2 มีนา 2564", D(2021, 3, 2)),
    ("2 มี.ค. 2564", D(2021, 3, 2)),
    ("2 มีค 2564", D(2021, 3, 2)),
    ("2 มี.ค 2564", D(2021, 3, 2)),
    ("3 เมษายน 2564", D(2021, 4, 3)),
    ("3 เมษา 2564", D(2021, 4, 3)),
    ("3 เม.ย. 2564", D(2021, 4, 3)),
    ("3 เมย 2564", D(2021, 4, 3)),
    ("4 พฤษภาคม 2564", D(2021, 5, 4)),
    ("4 พฤษภา 2564", D(2021, 5, 4)),
    ("4 พ.ค. 2564", D(2021, 5, 4)),
    ("5 มิถุนายน 2564", D(2021, 6, 5)),
    ("5 มิถุนา 2564", D(2021, 6, 5)),
    ("5 มิ.ย. 2564", D(2021, 6, 5)),
    ("6 กรกฎาคม 2564", D(2021, 7, 6)),
    ("6 กรกฏาคม 2564", D(2021, 7, 6)),
    ("6 กรกฎา 2564", D(2021, 7, 6)),
    ("6 ก.ค. 2564", D(2021, 7, 6)),
    ("7 สิงหาคม 2564", D(2021, 8, 7)),
    ("7 สิงหา 2564", D(2021, 8, 7)),
    ("7 ส.ค. 2564", D(2021, 8, 7)),
    ("8 กันยายน 2564", D(2021, 9, 8)),
    ("8 กันยา 2564", D(2021, 9, 8)),
    ("8 ก.ย. 2564", D(2021, 9, 8)),
    ("9 ตุลาคม 2564", D(2021, 10, 9)),
    ("9 ตุลา 2564", D(2021, 10, 9)),
    ("9 ต.ค. 2564", D(2021, 10, 9)),
    ("10 พฤศจิกายน 2564", D(2021, 11, 10)),
    ("10 พฤษจิกายน 2564", D(2021, 11, 10)),
    ("10 พฤศจิกา 2564", D(2021, 11, 10)),
    ("10 พ.ย. 2564", D(2021, 11, 10)),
    ("11 ธันวาคม 2564", D(2021, 12, 11)),
    ("11 ธันวา 2564", D(2021, 12, 11)),
    ("11 ธ.ค. 2564", D(2021, 12, 11)),
    ("11 ธค 64", D(2021, 12, 11)),
    ("รายงาน ณ วันที่ 5 เดือนมีนาคม 2564", D(2021, 3, 5)),
    ("วันจันทร์ที่ 1 มีนาคม 2564 เวลา 09.00 น.", D(2021, 3, 1)),
    ("วันศุกร์ที่ 5 มีนาคม พ.ศ. 2564", D(2021, 3, 5)),
    ("ภายในวันที่ 30 ก.ย. 2564", D(2021, 9, 30)),
    ("เมื่อวันที่5มีนาคม2564", D(2021, 3, 5)),
    ("5 มีนาคม ค.ศ. 2021", D(2021, 3, 5)),
    ("1 มกราคม พ.ศ.2563", D(2020, 1, 1)),
    ("1 มกราคม พ.ศ 2563", D(2020, 1, 1)),
    ("วันที่ 1 เดือน มกราคม 2563", D(2020, 1, 1)),
    ("31 มี.ค.2563.", D(2020, 3, 31)),
    ("(31/3/2563)", D(2020, 3, 31)),
    ("31/3/2563, 1/4/2563", D(2020, 3, 31)),
    ("5 มีนาคม 2021", D(2021, 3, 5)),
    ("5 มี.ค.64", D(2021, 3, 5)),
    ("๕ มีนาคม ๒๕๖๔", D(2021, 3, 5)),
    ("5 March 2021", D(2021, 3, 5)),
    ("5 Mar 2021", D(2021, 3, 5)),
    ("5 Aug. 2021", D(2021, 8, 5)),
    ("Aug 30, 2021", D(2021, 8, 30)),
    ("August 30th 2021", D(2021, 8, 30)),
    ("Sept. 5, 2021", D(2021, 9, 5)),
    ("31/1/2563", D(2020, 1, 31)),
    ("31/01/2563", D(2020, 1, 31)),
    ("31-01-2563", D(2020, 1, 31)),
    ("31.01.2563", D(2020, 1, 31)),
    ("31/1/63", D(2020, 1, 31)),
    ("31/1/2020", D(2020, 1, 31)),
    ("๓๑/๑/๒๕๖๓", D(2020, 1, 31)),
    ("13/2/2021", D(2021, 2, 13)),
    ("2/13/2021", D(2021, 2, 13)),
    ("2021-02-13", D(2021, 2, 13)),
    ("2021-02-13T09:30:00", D(2021, 2, 13)),
    ("2021-02-13 13:05:07", D(2021, 2, 13)),
    ("2562-06-09", D(2019, 6, 9)),
    ("2562/06/09", D(2019, 6, 9)),
    ("๒๕๖๒-๐๖-๐๙", D(2019, 6, 9)),
    ("เวลา 13:05:07 วันที่ 9/6/2562", D(2019, 6, 9)),
]

# Leap days and impossible days, checked in the Common Era after conversion.
VALIDATION = [
    ("29/2/2563", D(2020, 2, 29)),
    ("29/02/2563", D(2020, 2, 29)),
    ("29/2/2564", None),
    ("29/2/2566", None),
    ("29 ก.พ. 2567", D(2024, 2, 29)),
    ("29 ก.พ. 2566", None),
    ("29 กุมภาพันธ์ 2543", D(2000, 2, 29)),
    ("29 กุมภาพันธ์ 2443", None),  # 1900 was no leap year
    ("31 เมษายน 2566", None),
    ("31 มิ.ย. 2566", None),
    ("31/9/2566", None),
    ("32/1/2566", None),
    ("0/1/2566", None),
    ("1/13/2566", D(2023, 1, 13)),  # the middle part is no month: m/d
    ("13/13/2566", None),
    ("2021-02-30", None),
    ("2021-13-01", None),
    ("0 มกราคม 2566", None),
]

# What other tools get wrong (thai-text-notes.md): dateparser and pythainlp thai_strptime.
OTHER_TOOLS = [
    ("29/02/2563", D(2020, 2, 29)),  # dateparser rejects it
    ("29/02/2564", None),  # dateparser accepts it
    ("5 มี.ค. 2564", D(2021, 3, 5)),  # dateparser reads มี.ค. as January
    ("5 มีค 2564", D(2021, 3, 5)),  # ... through มีค -> มค
    ("5 มค 2564", D(2021, 1, 5)),
    ("5 มี.ค. 64", D(2021, 3, 5)),  # dateparser reads 2-digit years as 20xx
    ("วันที่ 19 พฤศจิกายน 2565", D(2022, 11, 19)),  # dateparser finds nothing
    ("1/10/2563", D(2020, 10, 1)),  # thai_strptime reads months 10-12 as January
    ("1/11/2563", D(2020, 11, 1)),
    ("1/12/2563", D(2020, 12, 1)),
    ("๒๑ มีนาคม 2564", D(2021, 3, 21)),  # thai_strptime rejects Thai digits in the day
    ("21 มค 2564", D(2021, 1, 21)),  # ... and dotless abbreviations
    ("ไม่มีวันที่", None),  # thai_strptime raises IndexError on no match
    ("5 มกราคม 2566", D(2023, 1, 5)),  # BE kept as CE by dateparser
]

# Strings holding numbers that are not dates.
NOT_DATES = [
    "0411-2029",
    "04110000-3768",
    "โครงการ 04110000-3768 ปีงบประมาณ (2564)",
    "ตัวชี้วัด 0411-2004",
    "๕.๔.๑",
    "๕.๔.๑.๑",
    "5.4.12",
    "โทร 02-123-4567",
    "โทร. 081-234-5678",
    "โทร 0 2224 1234",
    "ครั้งที่ 1/2566",
    "เลขที่ 0408/3009",
    "ร้อยละ 84.80",
    "จำนวน 1,104,325 คน",
    "เวลา 09.00 น.",
    "13:05:07",
    "ปีงบประมาณ พ.ศ. 2568",
    "เดือนมีนาคม 2563",  # month and year without a day
    "ต.ค. - พ.ย. 63",
    "3-6 เม.ย.นี้ ยอดการเข้าถึง 12,552",  # no year
    "ชาว กทม.คิดเห็น 2563",
    "PM2.5 มีค่าเกินมาตรฐาน 25 วัน",
    "ตุลาการ 12 คน",
    "you may 12 times",
    "5 may 12",
    "192.168.1.10",
    "v1.2.3",
    "",
]

TABLE = DONE_WHEN + FROM_SAMPLES + FORMS + VALIDATION + OTHER_TOOLS


@pytest.mark.parametrize(("text", "expected"), TABLE)
def test_parse_date(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", NOT_DATES)
def test_not_dates(text: str) -> None:
    assert find_dates(text) == []


RANGES = [
    ("ระหว่างวันที่ 27 เม.ย. - 5 พ.ค. 2563", [D(2020, 4, 27), D(2020, 5, 5)]),
    ("21-22 มี.ค. 64", [D(2021, 3, 21), D(2021, 3, 22)]),
    ("1 ต.ค. ถึง 31 ธ.ค. 64", [D(2021, 10, 1), D(2021, 12, 31)]),
    ("ระหว่างเดือน 1 ตุลาคม 62 – 25 มี.ค. 63", [D(2019, 10, 1), D(2020, 3, 25)]),
    ("27 ธ.ค. - 5 ม.ค. 2564", [D(2020, 12, 27), D(2021, 1, 5)]),
    ("1 ถึงวันที่ 15 มีนาคม 2564", [D(2021, 3, 1), D(2021, 3, 15)]),
    ("วันที่ 1-15 มีนาคม 2564", [D(2021, 3, 1), D(2021, 3, 15)]),
    ("วันที่ 1 – 15 มีนาคม 2564", [D(2021, 3, 1), D(2021, 3, 15)]),
    ("1 ม.ค. จนถึง 15 มี.ค. 2564", [D(2021, 1, 1), D(2021, 3, 15)]),
    ("31/1/2563 - 29/2/2563", [D(2020, 1, 31), D(2020, 2, 29)]),
    ("28 ก.พ. 2563 – 1 มี.ค. 2563", [D(2020, 2, 28), D(2020, 3, 1)]),
    (
        "31/03/2564 : มีการเผยแพร่ ... 21-22 มี.ค. 64 นี้ และเดือนมีนาคม 2563",
        [D(2021, 3, 31), D(2021, 3, 21), D(2021, 3, 22)],
    ),
    ("5-3 มี.ค. 2564", [D(2021, 3, 3)]),  # a falling range is no range
    ("Dec 31, 2020 to Jan 2, 2021", [D(2020, 12, 31), D(2021, 1, 2)]),
    ("27 เม.ย. 2563 - 5 พ.ค.", [D(2020, 4, 27), D(2020, 5, 5)]),  # the year flows forward too
    ("27 ธ.ค. 2563 - 5 ม.ค.", [D(2020, 12, 27), D(2021, 1, 5)]),
    ("5 พ.ค. 2563 และ 7 พ.ค.", [D(2020, 5, 5)]),  # "และ" joins no range
]


@pytest.mark.parametrize(("text", "expected"), RANGES)
def test_find_dates_ranges(text: str, expected: list[date]) -> None:
    assert find_dates(text) == expected


def test_find_dates_keeps_text_order_across_forms() -> None:
    text = "2021-03-31 ผล 31/03/2564 ประชุม 5 เม.ย. 2564 และ 2/27/2021"
    assert find_dates(text) == [D(2021, 3, 31), D(2021, 3, 31), D(2021, 4, 5), D(2021, 2, 27)]


def test_order_mdy() -> None:
    assert parse_date("3/1/2021", order="mdy") == D(2021, 3, 1)
    assert parse_date("3/1/2021") == D(2021, 1, 3)
    assert parse_date("13/1/2021", order="mdy") == D(2021, 1, 13)  # no month 13
    assert find_dates("1/2/2564 3/4/2564", order="mdy") == [D(2021, 1, 2), D(2021, 3, 4)]


def test_spans_cover_the_words() -> None:
    text = "ระหว่างวันที่ 27 เม.ย. - 5 พ.ค. 2563 ส่ง 31/1/2563"
    got = [(d, text[s:e]) for d, s, e in find_dates_with_spans(text)]
    assert got == [
        (D(2020, 4, 27), "27 เม.ย."),
        (D(2020, 5, 5), "5 พ.ค. 2563"),
        (D(2020, 1, 31), "31/1/2563"),
    ]


def test_spans_with_thai_digits_index_the_original() -> None:
    text = "วันที่ ๒๑ มี.ค. ๖๔"
    ((found, start, end),) = find_dates_with_spans(text)
    assert found == D(2021, 3, 21)
    assert text[start:end] == "๒๑ มี.ค. ๖๔"


def test_date_match_is_frozen() -> None:
    (m,) = find_date_matches("31/1/2563")
    assert m == DateMatch(D(2020, 1, 31), 0, 9)
    with pytest.raises(AttributeError):
        m.start = 3  # type: ignore[misc]


MONTH_YEAR = [
    ("ในเดือนมีนาคม 2563 ไปแล้ว", [(3, 2563, "มีนาคม 2563")]),
    ("เดือนมีนาคม 2563", [(3, 2563, "มีนาคม 2563")]),
    ("มีนาคม 2563", [(3, 2563, "มีนาคม 2563")]),
    ("ประจำเดือน ต.ค. - พ.ย. 63", [(10, 2563, "ต.ค."), (11, 2563, "พ.ย. 63")]),
    ("ตั้งแต่เดือน ต.ค.62 -", [(10, 2562, "ต.ค.62")]),
    ("ประจำเดือน ธ.ค. 63 อยู่ระหว่าง", [(12, 2563, "ธ.ค. 63")]),
    ("เดือนมีนาคม ๒๕๖๓", [(3, 2563, "มีนาคม ๒๕๖๓")]),
    ("March 2021", [(3, 2564, "March 2021")]),
    ("ต.ค. 2563 - ก.ย.", [(10, 2563, "ต.ค. 2563"), (9, 2564, "ก.ย.")]),
    ("5 มีนาคม 2563", []),  # has a day: a date, not a mention
    ("เดือนมีนาคม", []),  # no year
    ("", []),
]


@pytest.mark.parametrize(("text", "expected"), MONTH_YEAR)
def test_month_year_mentions(text: str, expected: list[tuple[int, int, str]]) -> None:
    got = [(m, y, text[s:e]) for m, y, s, e in month_year_mentions(text)]
    assert got == expected


NEAR = [
    ("2/27/2021", D(2021, 2, 27), D(2021, 2, 27)),
    ("1/31/2021", D(2021, 1, 31), D(2021, 1, 31)),
    ("30/05/2021", D(2021, 5, 30), D(2021, 5, 30)),
    ("30/08/2564", D(2021, 8, 30), D(2021, 8, 30)),
    ("3/1/2021", D(2021, 3, 2), D(2021, 3, 1)),
    ("3/1/2021", D(2021, 1, 4), D(2021, 1, 3)),
    ("3/1/64", D(2021, 3, 1), D(2021, 3, 1)),
    ("3/1/21", D(2021, 3, 1), D(2021, 3, 1)),  # a 2-digit CE year when nearer
    ("5 มี.ค. 2564", D(2020, 1, 1), D(2021, 3, 5)),  # a month name has one reading
    ("ไม่มี", D(2021, 1, 1), None),
]


@pytest.mark.parametrize(("text", "reference", "expected"), NEAR)
def test_parse_date_near(text: str, reference: date, expected: date | None) -> None:
    assert parse_date_near(text, reference) == expected


# Property: every date from 1941 to 2100, written in every supported style, parses back.
THAI_MONTHS = [
    ("มกราคม", "ม.ค."), ("กุมภาพันธ์", "ก.พ."), ("มีนาคม", "มี.ค."), ("เมษายน", "เม.ย."),
    ("พฤษภาคม", "พ.ค."), ("มิถุนายน", "มิ.ย."), ("กรกฎาคม", "ก.ค."), ("สิงหาคม", "ส.ค."),
    ("กันยายน", "ก.ย."), ("ตุลาคม", "ต.ค."), ("พฤศจิกายน", "พ.ย."), ("ธันวาคม", "ธ.ค."),
]  # fmt: skip
_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def _styles(d: date) -> list[str]:
    be = d.year + 543
    full, abbr = THAI_MONTHS[d.month - 1]
    out = [
        f"{d.day}/{d.month}/{be}",
        f"{d.day:02d}/{d.month:02d}/{be}",
        f"{d.day}/{d.month}/{d.year}",
        f"{d.day}-{d.month}-{be}",
        f"{d.day}.{d.month:02d}.{be}",
        d.isoformat(),
        f"{be}-{d.month:02d}-{d.day:02d}",
        f"{d.isoformat()} 13:05:07",
        f"{d.day} {full} {be}",
        f"วันที่ {d.day} {full} พ.ศ. {be}",
        f"{d.day} {abbr} {be}",
        f"{d.day} {abbr.replace('.', '')} {be}",
        f"เมื่อวันที่ {d.day} {abbr}{be} เวลา 09.00 น.",
        f"{d.day} {full} {d.year}",
    ]
    if 2500 <= be <= 2599:  # what a 2-digit Buddhist-era year can say
        out += [f"{d.day} {abbr} {be % 100:02d}", f"{d.day}/{d.month}/{be % 100:02d}"]
    return out


@settings(max_examples=400, deadline=None)
@given(st.dates(min_value=D(1941, 1, 1), max_value=D(2100, 12, 31)))
def test_every_style_round_trips(d: date) -> None:
    for text in _styles(d):
        assert parse_date(text) == d, text
        ((found, start, end),) = find_dates_with_spans(f"ก {text} ข")
        assert found == d and parse_date(f"ก {text} ข"[start:end]) == d, text
        assert parse_date(text.translate(_THAI_DIGITS)) == d, text
        assert find_dates(f"ข้อความ {text} ต่อ") == [d], text


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=D(1941, 1, 1), max_value=D(2100, 12, 31)))
def test_mdy_round_trips(d: date) -> None:
    text = f"{d.month}/{d.day}/{d.year}"
    assert parse_date(text, order="mdy") == d
    if d.day > 12:
        assert parse_date(text) == d  # the middle part tells


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_never_raises(text: str) -> None:
    for found in find_dates(text):
        assert isinstance(found, date)
    parse_date(text)
    parse_date(text, order="mdy")
    parse_date_near(text, D(2021, 1, 1))
    month_year_mentions(text)
    for _d, start, end in find_dates_with_spans(text):
        assert 0 <= start < end <= len(text)


@pytest.mark.slow
def test_every_day_1941_to_2100() -> None:
    """Exhaustive, not sampled (the property tests above cover every style on samples)."""
    day, last, failures = D(1941, 1, 1), D(2100, 12, 31), []
    while day <= last:
        be = day.year + 543
        full, abbr = THAI_MONTHS[day.month - 1]
        styles = [
            f"{day.day}/{day.month}/{be}",
            f"{day.day} {full} {be}".translate(_THAI_DIGITS),
            f"{day.day} {abbr} {be}",
            day.isoformat(),
            f"{day.month}/{day.day}/{day.year}"
            if day.day > 12
            else f"{day.day}/{day.month}/{day.year}",
        ]
        if find_dates(" ; ".join(styles)) != [day] * len(styles):
            failures.append(day)
        day += timedelta(days=1)
    assert failures == []


def test_thai_and_arabic_digits_agree() -> None:
    text = "ระหว่างวันที่ ๒๗ เม.ย. - ๕ พ.ค. ๒๕๖๓"
    assert find_dates(text) == find_dates(to_arabic_digits(text))


SAMPLES = Path(__file__).resolve().parents[2] / "samples"

# Every date in whole sample files (checked by hand against the text, line by line).
WHOLE_SAMPLES = [
    (
        "000_fe2414e97ca3dbed.txt",
        "2020-01-31 2020-02-29 2020-03-31 2020-04-30 2020-05-29 2020-04-27 2020-05-05 "
        "2020-05-07 2020-05-08 2020-06-30 2020-07-31 2020-08-31 2020-09-30 2020-10-14",
    ),
    (
        "004_a8b6aaaadac5bd4d.txt",
        "2023-02-28 2022-11-19 2022-11-21 2022-12-01 2023-01-25 2023-03-31 2023-04-30 "
        "2022-12-17 2023-03-04 2023-05-31 2023-06-30 2023-07-06 2023-08-20",
    ),
]


@pytest.mark.parametrize(("name", "expected"), WHOLE_SAMPLES)
def test_every_date_of_a_sample(name: str, expected: str) -> None:
    text = repair_text((SAMPLES / name).read_text(encoding="utf-8"))
    assert [d.isoformat() for d in find_dates(text)] == expected.split()


def test_sample_001_entries_read_near_their_heading_dates() -> None:
    """project_progress: each body date read against the ISO date of its heading."""
    text = repair_text((SAMPLES / "001_355c1ca7b5fb9819.txt").read_text(encoding="utf-8"))
    lines = text.split("\n")
    pairs = []
    for no, line in enumerate(lines):
        heading = re.search(r"ความคืบหน้าโครงการฯ ร้อยละ [\d.]+ \((\d{4}-\d\d-\d\d)\)", line)
        if heading:
            body = next(b for b in lines[no + 1 :] if re.match(r"\s*\d{1,2}/\d{1,2}/\d{4}", b))
            ref = date.fromisoformat(heading[1])
            pairs.append((ref, parse_date_near(body, ref)))
    assert len(pairs) == 11
    assert all(ref == body for ref, body in pairs)
    mentions = {(m, y) for m, y, _s, _e in month_year_mentions(text)}
    assert (3, 2563) in mentions  # the entry that says March 2563 inside a 2564 report
