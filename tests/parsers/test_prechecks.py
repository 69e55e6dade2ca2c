"""The fast paths of the parsers find exactly what the plain patterns find.

Several patterns were rewritten to be scanned faster (led by a digit instead of a
lookbehind, labels factored) and several searches are skipped after a substring test.
These checks pin the rewritten patterns to the original forms on random text, and the
substring tests to what the patterns need.
"""

from __future__ import annotations

import random
import re

import pytest

from normalize import dates
from parsers import kpi_detail, kr_sheet, project_progress
from parsers.blocks import dated, lines, reach

_DATE_TEXT = r"(?P<date>\d{1,2}/\d{1,2}/(?:\d{4}|\d{2}))(?![\d/])"
_D = "0-9๐-๙"
ORIGINALS = [
    (dated._DATED, rf"(?<![^\s:;,(]){_DATE_TEXT}[ ]?:[ ]?"),
    (dated._BARE_DATED, rf"(?<=\s){_DATE_TEXT}[ ](?=[^\s\d])"),
    (reach._ITEM, r"(?<![^\s:])(?P<no>\d{1,3}(?:\.\d{1,3}){0,3})(?P<end>[.)]?)(?=\D|$)"),
    (reach._BULLET, r"(?<!\S)[-–•](?=[ ]?[^\s\d\-–])"),
    (
        reach._METRIC,
        reach._METRIC.pattern.replace(
            reach._LABELS, "|".join(sorted(reach._METRIC_OF, key=len, reverse=True)), 1
        ),
    ),
]
ALPHABET = [*"0123456789๑๒٣/:;,().-–•* \t\n\u00a0กขa", "PM", "ยอดการเข้าถึง", "ยอดผู้เข้าถึง",
            "รวมทั้งหมด", "คน", "ครั้ง"]  # fmt: skip


def _random_texts(seed: int, count: int = 4000) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 24))) for _ in range(count)]


@pytest.mark.parametrize("fast,original", ORIGINALS, ids=lambda x: getattr(x, "pattern", x)[:20])
def test_rewritten_patterns_match_as_the_original(fast, original):
    slow = re.compile(original)
    for k, text in enumerate(_random_texts(len(original))):
        pos = k % (len(text) + 1)
        got = [(m.span(), m.groupdict()) for m in fast.finditer(text, pos)]
        assert got == [(m.span(), m.groupdict()) for m in slow.finditer(text, pos)], text


def test_every_metric_label_holds_a_label_word():
    assert all(any(w in label for w in reach._LABEL_WORDS) for label in reach._METRIC_OF)


def test_every_kr_header_label_holds_a_header_word():
    for label in ("รายละเอียด KRs", "รหัส", "รหัส KR", "ชื่อ KRs", "ชื่อ", "ด้าน",
                  "หน่วยงานผู้รับผิดชอบหลัก", "ประเด็นการพัฒนา", "ลักษณะหน่วยงานที่รับผิดชอบ"):  # fmt: skip
        assert kr_sheet._HEADER_LABEL.search(label + " :") and kr_sheet._may_have_label(label)


@pytest.mark.parametrize("module", [project_progress, kpi_detail])
def test_the_joined_heading_pattern_finds_every_heading(module):
    joined = lines._any_heading(module.HEADINGS)
    assert joined is not None
    for key, pattern in module.HEADINGS:
        for text in _heading_samples(pattern):
            assert pattern.match(text), (key, text)  # a real heading of that kind
            for line in (text, "** " + text, "*" + text):
                assert joined.match(line), (key, line)


def _heading_samples(pattern: re.Pattern[str]) -> list[str]:
    samples = {
        "report": ["รายงานผลฯ ไตรมาสที่ 2 :", "รายงานผลการดำเนินงานไตรมาส ๓"],
        "summary": ["** สรุปผลการดำเนินงาน **"],
        "evaluation": ["** ผลการประเมินโครงการ"],
    }
    literal = re.sub(r"\(\?:?[^)]*\)[?*]?|[\\$?*\[\]]", "", pattern.pattern)
    texts = [t for texts in samples.values() for t in texts if pattern.match(t)]
    return texts or [literal]


def test_day_before_a_month_is_found_as_by_the_full_search():
    rng = random.Random(3)
    pieces = ["1", "2", "31", " ", "\t", "\u00a0", ",", "เดือน", "-", "ถึง", "วันที่", "ก", "."]
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        full = dates._BEFORE_MONTH.search(text, max(0, len(text) - dates._BEFORE_REACH))
        fast = dates._day_before(text, len(text))
        assert (full and (full.span(), full.groupdict())) == (
            fast and (fast.span(), fast.groupdict())
        ), text


def test_short_date_results_are_not_shared_lists():
    first = dates.find_date_matches("31/03/2566")
    first.clear()
    assert [m.date.isoformat() for m in dates.find_date_matches("31/03/2566")] == ["2023-03-31"]
