"""Dated entries ("28/02/2566 : …", several to a line) and satisfaction percentages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from normalize import parse_date, to_arabic_digits
from parsers.blocks.lines import NUM
from parsers.model import (
    fast_init,
)

# ---------------------------------------------------------------------- dated entries

_DATE_TEXT = r"(?P<date>\d{1,2}/\d{1,2}/(?:\d{4}|\d{2}))(?![\d/])"
# _DATED and _BARE_DATED are _DATE_TEXT with the check of the character before the date
# moved after its first digit: led by a digit, ``re`` skips to digits fast.
_DATED = re.compile(r"(?P<date>\d(?<![^\s:;,(]\d)\d?/\d{1,2}/(?:\d{4}|\d{2}))(?![\d/])[ ]?:[ ]?")
_LEADING_DATE = re.compile(rf"[ ]?{_DATE_TEXT}[ ]")  # a date opening the text needs no colon


@fast_init
@dataclass(frozen=True)
class DatedPart:
    """A piece of a report: its date (None when written without one) and its text."""

    date_text: str | None
    report_date: date | None
    text: str
    offset: int  # where the piece (its date included) starts in the given text
    text_offset: int  # where ``text`` starts in the given text


def split_dated(text: str) -> list[DatedPart]:
    """Split a report body at each "dd/mm/yyyy :" (several can share one line); a date
    opening the text needs no colon.  Two-digit years are Buddhist-era (31/1/63).

    >>> [(p.report_date, p.text) for p in split_dated("ก่อน 28/02/2566 : หนึ่ง 31/3/2566 : สอง")]
    [(None, 'ก่อน'), (datetime.date(2023, 2, 28), 'หนึ่ง'), (datetime.date(2023, 3, 31), 'สอง')]
    """
    digits = to_arabic_digits(text)
    parts: list[DatedPart] = []
    marks = list(_DATED.finditer(digits))
    lead = _LEADING_DATE.match(digits)
    if lead and not (marks and marks[0].start() == 0):
        marks.insert(0, lead)
    if marks:
        marks = _with_bare_dates(digits, marks)
    head = text[: marks[0].start()] if marks else text
    if head.strip():
        parts.append(DatedPart(None, None, head.strip(), 0, _lead(head, 0)))
    for k, m in enumerate(marks):
        end = marks[k + 1].start() if k + 1 < len(marks) else len(text)
        when = _slash_date(m["date"])
        piece = text[m.end() : end]
        parts.append(DatedPart(m["date"], when, piece.strip(), m.start(), _lead(piece, m.end())))
    return parts


_BARE_DATED = re.compile(r"(?P<date>\d(?<=\s\d)\d?/\d{1,2}/(?:\d{4}|\d{2}))(?![\d/])[ ](?=[^\s\d])")
# A date after these words is one the text talks about, not the date of a new entry.
_DATE_WORDS = ("วันที่", "ณ", "เมื่อ", "ถึง", "ตั้งแต่", "ภายใน", "ระหว่าง", "และ", "ก่อน", "หลัง",
               "-", "–", "ถึงวันที่", "จน", "แต่", "ใน")  # fmt: skip


def _with_bare_dates(digits: str, marks: list[re.Match[str]]) -> list[re.Match[str]]:
    """``marks`` plus the entry dates written without their colon ("… 31/03/2566 อยู่ระหว่าง").

    Once a text has dated entries, a bare date also opens one when no date word (วันที่, ถึง,
    ณ …) comes right before it and it does not go back in time from the entry before it.
    """
    taken = {m.start("date") for m in marks}
    extra = [
        m
        for m in _BARE_DATED.finditer(digits, marks[0].end())
        if m.start("date") not in taken
        and not digits[max(0, m.start() - 10) : m.start()].rstrip().endswith(_DATE_WORDS)
    ]
    if not extra:
        return marks
    bare_ids = {id(m) for m in extra}
    merged = sorted([*marks, *extra], key=lambda m: m.start())
    kept: list[re.Match[str]] = []
    last = None
    for m in merged:
        when = _slash_date(m["date"])
        if id(m) in bare_ids and (when is None or (last is not None and when < last)):
            continue
        kept.append(m)
        last = when or last
    return kept


@lru_cache(maxsize=4096)
def _slash_date(raw: str) -> date | None:
    """d/m/y, else m/d/y (2/27/2021); cached: a page repeats its few entry dates."""
    return parse_date(raw) or parse_date(raw, order="mdy")


def _lead(piece: str, start: int) -> int:
    return start + len(piece) - len(piece.lstrip())


# ------------------------------------------------------------------------ satisfaction

_SATISFIED = re.compile(
    rf"ร้อยละ[ ]?(?P<a>{NUM})[ ]?(?:มี|มีความ|ที่มี)?[ ]?(?:ความ)?พึงพอใจ"
    rf"|ความพึงพอใจ[^\d\n]{{0,40}}?ร้อยละ[ ]?(?P<b>{NUM})"
)


def find_satisfaction(text: str) -> list[tuple[str, int]]:
    """Satisfaction percentages as written, with their offsets.

    >>> find_satisfaction("5. ประชาชนร้อยละ 84.80 มีความพึงพอใจต่อการรณรงค์")
    [('84.80', 10)]
    """
    if "พึงพอใจ" not in text:  # both branches of _SATISFIED hold it
        return []
    digits = to_arabic_digits(text)
    return [(m["a"] or m["b"], m.start()) for m in _SATISFIED.finditer(digits)]
