"""Lines of a generic text, prepared once: cleaned, Arabic digits, table cells as labels."""

from __future__ import annotations

import re
from dataclasses import dataclass

from normalize import to_arabic_digits

# Web-page furniture and page furniture that is never a heading or a value.
# A breadcrumb ("ขณะนี้คุณอยู่ที่ ›", "หน้าแรก › ข่าว ›") and a file's name ("… ๒๕๖๒.pdf")
# are links, never a heading.
_NOISE = re.compile(
    r"(?:back home|home|fusioncharts will render here|save this pdf as:?|download\b.*"
    r"|p\. ?\d+|page \d+|\d+ of \d+|https?://\S+|www\.\S+|[!\[\]()*#|\s\d.,%/:-]*"
    r"|(?:ขณะนี้)?คุณอยู่ที่.*|(?:.*[ ])?[›»]|\S.{0,80}\.(?:pdf|docx?|xlsx?|pptx?))$",
    re.IGNORECASE,
)
_PAGE_PREFIX = re.compile(r"^(?:page|หน้า) ?\d+ ?[-–:] ?", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0]+")
_THAI = re.compile(r"[\u0e01-\u0e4f]")
# Bounded work on hostile input: a heading, a label or a table row is never longer than this,
# and a document's indicators are read from its first MAX_LINES lines (its lines, dates and
# amounts are all kept whatever its length).
MAX_LINE_CHARS = 2_000
MAX_LINES = 20_000


@dataclass(frozen=True)
class GLine:
    """One line: its 1-based number, its text (digits Arabic, blanks collapsed, markdown
    table cells joined: "| ปีงบประมาณ | 2568 |" -> "ปีงบประมาณ : 2568") and whether it is
    furniture."""

    no: int
    text: str
    noise: bool
    raw: str = ""  # ``text`` with its digits as written (Thai digits kept), for text fields

    @property
    def thai(self) -> bool:
        return bool(_THAI.search(self.text))


def _cells(text: str) -> str:
    """A markdown or pipe table row as "label : value" (two cells) or cells by spaces."""
    cells = [c.strip() for c in text.strip().strip("|").split("|")]
    cells = [c for c in cells if c and not set(c) <= set("-:")]
    if len(cells) == 2:
        return f"{cells[0]} : {cells[1]}"
    return " ".join(cells)


def prepare(no: int, raw: str) -> GLine:
    written = _SPACES.sub(" ", raw[:MAX_LINE_CHARS]).strip()
    if "|" in written:
        written = _cells(written)
    written = _PAGE_PREFIX.sub("", written).strip()
    text = to_arabic_digits(written)  # one character per digit: offsets agree with written
    return GLine(no, text, not text or bool(_NOISE.match(text)), written)


def prepared_lines(text: str) -> list[GLine]:
    """The lines of ``text`` (repaired; the first MAX_LINES), numbered as
    ``text.split("\\n")`` numbers them."""
    return [prepare(no, raw) for no, raw in enumerate(text.split("\n", MAX_LINES)[:MAX_LINES], 1)]
