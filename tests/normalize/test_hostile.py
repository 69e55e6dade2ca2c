"""Every public function on hostile strings: never raises, stays linear in time."""

from __future__ import annotations

import time
from datetime import date

import pytest

from normalize import (
    find_dates,
    find_dates_with_spans,
    month_year_mentions,
    parse_date,
    parse_date_near,
    parse_number,
    repair_text,
    to_arabic_digits,
)

HOSTILE = [
    "",
    " ",
    "\ufeff",
    "\ufeff31/1/2563",
    "\u200b",
    "31\u200b/1/2563",
    "\u00a0",
    "5\u00a0มี.ค.\u00a02564",
    "\r\n",
    "31/1/2563\r\n",
    "่",
    "ำ",
    "\ud800",
    "\x00",
    "(cid:12)(cid:34)",
    "๐๐/๐๐/๐๐๐๐",
    "99/99/9999",
    "0/0/0",
    "31/12/9999",
    "1/1/0001",
    "ม.ค.",
    "-",
    "ถึง",
    "1-",
    "- 5 พ.ค.",
    "9" * 5000,
    "๙" * 5000,
]


@pytest.mark.parametrize("text", HOSTILE)
def test_no_function_raises(text: str) -> None:
    repair_text(text)
    to_arabic_digits(text)
    parse_number(text)
    parse_date(text)
    parse_date(text, order="mdy")
    parse_date_near(text, date(2021, 1, 1))
    month_year_mentions(text)
    for _found, start, end in find_dates_with_spans(text):
        assert 0 <= start < end <= len(text)


ADVERSARIAL = {
    "slashes": "1/" * 100_000,
    "digits and spaces": "1 " * 100_000,
    "abbreviations": "ม.ค. " * 40_000,
    "days and months": "1 ม.ค. " * 30_000,
    "ranges": "1-2 " * 50_000,
    "dashes": "1-" * 100_000,
    "dots": "1." * 100_000,
    "iso prefixes": "2020-" * 40_000,
    "digits": "1" * 200_000,
    "marks": "่" * 200_000,
    "nikhahit": "ํ" * 200_000,
    "sara aa": "า" * 200_000,
    "mixed marks": "ิ่" * 100_000,
    "spaces": " " * 200_000,
    "tabs and spaces": "\t " * 100_000,
    "stray zeros": "ก๐" * 100_000,
    "newlines": "\n" * 200_000,
    "เดือน": "เดือน" * 40_000,
}


@pytest.mark.parametrize("text", ADVERSARIAL.values(), ids=ADVERSARIAL.keys())
def test_linear_time_on_adversarial_input(text: str) -> None:
    started = time.perf_counter()
    once = repair_text(text)
    find_dates(text)
    month_year_mentions(text)
    parse_number(text)
    # A quadratic pattern would take minutes on 200 KB; linear ones take well under a second.
    assert time.perf_counter() - started < 20
    assert once.count("\n") == text.count("\n")
