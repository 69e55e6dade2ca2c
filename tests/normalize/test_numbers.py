"""Tests of parse_number, to_arabic_digits and the fiscal calendar."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from normalize import (
    fiscal_quarter,
    fiscal_year,
    fiscal_year_bounds,
    parse_number,
    to_arabic_digits,
)

NUMBERS = [
    # from the samples
    ("23,156", 23156),
    ("๑๐", 10),
    ("90.00", 90.0),
    ("1,104,325 คน", 1104325),
    ("จำนวน 89 ครั้ง มียอดผู้เข้าถึงรวมทั้งหมด 718,274 คน", 89),
    ("มียอดผู้เข้าถึงรวมทั้งหมด 718,274 คน", 718274),
    ("ร้อยละ 84.80", 84.8),
    ("84.80%", 84.8),
    ("ร้อยละ ๑๐๐", 100),
    ("ค่าเป้าหมาย : ๑ หน่วยนับ : ฉบับ", 1),
    ("จำนวน ๑๐ ย่าน", 10),
    ("2,539.77 ตัน", 2539.77),
    ("ยอดการเข้าถึง 12,552 น.", 12552),
    # edge cases
    ("0", 0),
    ("-5", -5),
    ("−5", -5),
    ("-1,234.5", -1234.5),
    ("๑,๒๓๔", 1234),
    ("1,234,567,890", 1234567890),
    ("12,34", 12),  # bad grouping: the digits before the comma
    ("ข้อ ๕.๔.๑ มี 3 คน", 3),  # outline numbers are skipped
    ("5.4.1", None),
    ("", None),
    ("ไม่มีตัวเลข", None),
    ("1" * 5000, None),  # int() refuses it; no report quantity is that long
    ("abc 7 def", 7),
    ("0.5", 0.5),
    ("007", 7),
]


@pytest.mark.parametrize(("text", "expected"), NUMBERS)
def test_parse_number(text: str, expected: int | float | None) -> None:
    got = parse_number(text)
    assert got == expected
    assert type(got) is type(expected)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_parse_number_round_trips_grouped_ints(n: int) -> None:
    assert parse_number(f"{n:,} คน") == n
    assert parse_number(to_thai(f"{n:,}")) == n


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_parse_number_never_raises(text: str) -> None:
    parse_number(text)
    to_arabic_digits(text)


def to_thai(text: str) -> str:
    return text.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))


DIGITS = [
    ("๒๕๖๘", "2568"),
    ("ข้อ ๕.๔.๑", "ข้อ 5.4.1"),
    ("๐๑๒๓๔๕๖๗๘๙", "0123456789"),
    ("ระดับที่ 1 … ระดับที่ ๕", "ระดับที่ 1 … ระดับที่ 5"),
    ("", ""),
    ("no digits", "no digits"),
]


@pytest.mark.parametrize(("text", "expected"), DIGITS)
def test_to_arabic_digits(text: str, expected: str) -> None:
    assert to_arabic_digits(text) == expected


FISCAL = [
    (date(2020, 10, 28), 2564, 1),
    (date(2020, 1, 31), 2563, 2),
    (date(2019, 10, 1), 2563, 1),
    (date(2019, 9, 30), 2562, 4),
    (date(2020, 12, 31), 2564, 1),
    (date(2021, 1, 1), 2564, 2),
    (date(2021, 3, 31), 2564, 2),
    (date(2021, 4, 1), 2564, 3),
    (date(2021, 6, 30), 2564, 3),
    (date(2021, 7, 1), 2564, 4),
    (date(2021, 9, 30), 2564, 4),
    (date(2024, 10, 1), 2568, 1),
]


@pytest.mark.parametrize(("day", "year", "quarter"), FISCAL)
def test_fiscal_year_and_quarter(day: date, year: int, quarter: int) -> None:
    assert fiscal_year(day) == year
    assert fiscal_quarter(day) == quarter


def test_fiscal_year_bounds() -> None:
    assert fiscal_year_bounds(2564) == (date(2020, 10, 1), date(2021, 9, 30))
    assert fiscal_year_bounds(2568) == (date(2024, 10, 1), date(2025, 9, 30))


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=date(1941, 1, 1), max_value=date(2100, 12, 31)))
def test_fiscal_bounds_contain_the_day(day: date) -> None:
    start, end = fiscal_year_bounds(fiscal_year(day))
    assert start <= day <= end
    assert fiscal_year(start - timedelta(days=1)) == fiscal_year(day) - 1
    assert fiscal_year(end + timedelta(days=1)) == fiscal_year(day) + 1
    assert fiscal_quarter(start) == 1 and fiscal_quarter(end) == 4
