"""The new API on any string: never raises, offsets point at the raw words, round trips."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from normalize import (
    find_amounts,
    find_periods,
    fiscal_year_bounds,
    parse_amount,
    parse_period,
    repair_text,
)

_PIECES = [
    *"0123456789๐๑๒๓๔๕๖๗๘๙ ,.-/:()฿\n",
    *("บาท", "ลบ.", "ล้าน", "แสน", "หมื่น", "พัน", "สตางค์", "ถ้วน", "สอง", "ห้า", ".-"),
    *("ม.ค.", "มี.ค.", "ต.ค.", "ก.ย.", "พ.ศ.", "ถึง", "ตั้งแต่ต้นปีงบประมาณ", "วันที่"),
    *("ปีงบประมาณ", "ไตรมาสที่", "รอบ", "เดือน", "ครั้งที่"),
]
_THAI = st.lists(st.sampled_from(_PIECES), max_size=25).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(max_size=80), _THAI))
def test_never_raises_and_offsets_hold(text: str) -> None:
    for a in find_amounts(text):
        assert text[a.start : a.end] == a.raw
        assert isinstance(a.value, float)
    for p in find_periods(text, fiscal_year=2567):
        assert text[p.text_start : p.text_end] == p.raw
        assert p.start <= p.end
    parse_amount(text)
    parse_period(text)
    repair_text(text)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=99))
def test_amount_round_trip(baht: int, satang: int) -> None:
    written = f"{baht:,}.{satang:02d} บาท"
    assert parse_amount(written) == float(f"{baht}.{satang:02d}")
    assert parse_amount(f"เป็นเงิน {baht:,} บาท {satang} สตางค์") == baht + satang / 100


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2200, 12, 31)), st.integers(0, 400))
def test_period_round_trip(first: date, days: int) -> None:
    last = first + timedelta(days=days)
    text = (
        f"{first.day}/{first.month}/{first.year + 543} - {last.day}/{last.month}/{last.year + 543}"
    )
    p = parse_period(text)
    assert p is not None and (p.start, p.end) == (first, last)
    assert p.grain == ("day" if days == 0 else "range") or days == 0


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=2450, max_value=2700), st.integers(1, 4))
def test_fiscal_year_and_quarter_round_trip(fy: int, q: int) -> None:
    p = parse_period(f"ปีงบประมาณ พ.ศ. {fy}")
    assert p is not None and (p.start, p.end) == fiscal_year_bounds(fy)
    quarter = parse_period(f"ไตรมาสที่ {q}", fiscal_year=fy)
    assert quarter is not None and quarter.grain == "quarter"
    assert p.start <= quarter.start < quarter.end <= p.end
    assert (quarter.start.year * 12 + quarter.start.month - 1) - (
        p.start.year * 12 + p.start.month - 1
    ) == 3 * (q - 1)
