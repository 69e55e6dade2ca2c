"""The header of a web page: "title : code", a title wrapped over lines, navigation noise,
the fiscal year most entries fall in."""

from __future__ import annotations

import re
from collections.abc import Sequence

from normalize import to_arabic_digits
from parsers.blocks.lines import Line

# ---------------------------------------------------------------------- page header

# OCR may put a space beside the code's hyphen ("12007500- 1083"): the code is kept without
_TITLE_CODE = re.compile(r"(?P<title>.*\S)[ ]?:[ ]?(?P<code>\d{3,10}[ ]?-[ ]?\d{2,6})$")
_NOISE = re.compile(r"(?:Back Home|FusionCharts will render here|[!\[\]()\s\d.,%]*)$")


def parse_title_code(line: Line) -> tuple[str, str] | None:
    """The "title : code" line of a page (code like 0411-2029 or 04110000-3768).

    >>> parse_title_code(Line(5, "พื้นที่สีเขียวที่เพิ่มขึ้น : ๕๐๓๘-๐๗๔๒"))
    ('พื้นที่สีเขียวที่เพิ่มขึ้น', '5038-0742')
    """
    if ":" not in line.text or "-" not in line.text:
        return None  # _TITLE_CODE needs both; most lines lack one
    m = _TITLE_CODE.match(to_arabic_digits(line.text))
    if not m:
        return None
    return line.text[: len(m["title"])].strip(), m["code"].replace(" ", "")


_NOT_TITLE = re.compile(r"รายละเอียดตัวชี้วัด$|ความคืบหน้าโครงการ/กิจกรรม$|[^:]*:")


def wrapped_title(lines: Sequence[Line], index: int, title: str) -> str:
    """``title`` with the lines it was wrapped from: the non-blank lines right above
    ``lines[index]`` (no blank between, at most three) that are no page title, no noise and
    no labelled line.

    >>> wrapped_title([Line(1, "Back Home"), Line(2, "ร้อยละของ"), Line(3, "x")], 2, "งาน")
    'ร้อยละของ งาน'
    """
    parts = [title]
    k = index - 1
    while k >= 0 and index - k <= 3:
        text = lines[k].text
        if not text or is_noise(text) or _NOT_TITLE.match(text):
            break
        parts.insert(0, text)
        k -= 1
    return " ".join(parts)


def is_noise(text: str) -> bool:
    """Navigation and chart leftovers: "Back Home", a bare chart value, "![]()"."""
    return bool(_NOISE.match(text))


def most_common_fiscal_year(years: Sequence[int]) -> int | None:
    """The fiscal year most entries fall in (the earliest on a tie); None for none.

    >>> most_common_fiscal_year([2566, 2566, 2567]), most_common_fiscal_year([])
    (2566, None)
    """
    if not years:
        return None
    return min(set(years), key=lambda y: (-years.count(y), y))
