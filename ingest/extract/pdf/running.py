"""Running headers, footers and page numbers: dropped."""

from __future__ import annotations

import re
from collections import Counter

from ingest.extract.pdf.lines import _Line

# -- running headers, footers, page numbers -----------------------------------------------

_PAGE_WORD = re.compile(
    r"^\s*(?:[-–—]\s*[0-9๐-๙]+\s*[-–—]|(?:หน้า(?:ที่)?|page|p\.)\s*[0-9๐-๙]+"
    r"(?:\s*(?:/|จาก|of)\s*[0-9๐-๙]+)?)\s*$",
    re.IGNORECASE,
)
_PAGE_OF = re.compile(r"^\s*([0-9๐-๙]+)\s*(?:/|จาก|of)\s*([0-9๐-๙]+)\s*$")
_EDGE = 2  # lines at the top and at the bottom of a page that may be running text


def _drop_running_lines(pages: list[list[_Line]]) -> list[list[_Line]]:
    drop: set[int] = set()
    for number, page in enumerate(pages, 1):
        for line in _edges(page):
            if _PAGE_WORD.match(line.plain) or _is_page_of(line.plain, number, len(pages)):
                drop.add(id(line))
    if len(pages) >= 2:
        drop |= _repeated_edges(pages)
        drop |= _bare_page_numbers(pages)
    return [[line for line in page if id(line) not in drop] for page in pages]


def _is_page_of(text: str, number: int, count: int) -> bool:
    """'3/7' is a page number only when it says this page of this many."""
    found = _PAGE_OF.match(text)
    if not found:
        return False
    return [int(g.translate(_THAI_DIGITS)) for g in found.groups()] == [number, count]


def _edges(page: list[_Line]) -> list[_Line]:
    return page[:_EDGE] + page[max(_EDGE, len(page) - _EDGE) :]


def _repeated_edges(pages: list[list[_Line]]) -> set[int]:
    """Lines at a page edge with the same text (bar the page number) at the same height."""

    def key(line: _Line, number: int) -> tuple[str, int]:
        text = " ".join(line.plain.split())
        forms = (str(number), _thai_digits(number))
        # a whole run of digits that is this page's number
        text = _DIGIT_RUN.sub(lambda run: "#" if run[0] in forms else run[0], text)
        return text, round(line.y / 3)

    keyed = [[(line, key(line, number)) for line in _edges(page)] for number, page in
             enumerate(pages, 1)]  # fmt: skip
    counts = Counter(k for page in keyed for k in {k for _, k in page})
    need = max(2, int(0.6 * len(pages) + 0.999))
    return {id(line) for page in keyed for line, k in page if counts[k] >= need}


def _thai_digits(number: int) -> str:
    return str(number).translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))


def _bare_page_numbers(pages: list[list[_Line]]) -> set[int]:
    """Bare numbers at a page edge that count up with the pages (offset constant)."""
    found: dict[int, list[_Line]] = {}
    for number, page in enumerate(pages, 1):
        for line in _edges(page):
            text = line.plain.strip()
            if _NUMBER.fullmatch(text):
                offset = int(text.translate(_THAI_DIGITS)) - number
                found.setdefault(offset, []).append(line)
    need = max(2, int(0.6 * len(pages) + 0.999))
    return {id(line) for lines in found.values() if len(lines) >= need for line in lines}


_NUMBER = re.compile(r"[0-9๐-๙]{1,5}")
_DIGIT_RUN = re.compile(r"[0-9๐-๙]+")
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
