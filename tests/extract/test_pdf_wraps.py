"""PDF line joins and spaces that lost facts on PDFs of the generated exports.

Each PDF here is written by pdfium (through pypdfium2) with text objects placed where a
typesetter would have put them: Helvetica for Latin lines, the TLWG Laksaman font (the
font of the sample and benchmark PDFs) for Thai ones.  A line's right end is placed
exactly, so the room left at the end of a line is known: the page's text runs from
x=72 to 595-72=523 (the right margin mirrors the left one when no line reaches it).
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest

from ingest.extract.dispatch import extract
from normalize import repair_text
from tests.extract.pdf_maker import Item, make_pdf

LEFT, RIGHT = 72.0, 595 - 72.0
LAKSAMAN = Path("/usr/share/fonts/truetype/tlwg/Laksaman.ttf")


def width(text: str, size: float = 12, font: Path | None = None) -> float:
    """Width of ``text``: its glyph boxes (loose, as extraction reads them), end to end."""
    page = pdfium.PdfDocument(make_pdf([[(0, 100, text)]], size, font))[0]
    textpage = page.get_textpage()
    boxes = [textpage.get_charbox(i, loose=True) for i in range(textpage.count_chars())]
    boxes = [b for b in boxes if b[2] > b[0]]
    return max(b[2] for b in boxes) - min(b[0] for b in boxes)


def ending_at(right: float, text: str, size: float = 12, font: Path | None = None) -> float:
    """The x at which ``text`` starts so that its last glyph ends at ``right``."""
    return right - width(text, size, font)


def lines_of(data: bytes) -> list[str]:
    return [line.strip() for line in extract(data, "t.pdf").text.split("\n") if line.strip()]


needs_thai_font = pytest.mark.skipif(
    not LAKSAMAN.exists(), reason="the TLWG Laksaman font (fonts-thai-tlwg) is not installed"
)


# -- a word that only just fitted ---------------------------------------------------------


@pytest.mark.parametrize(("spare_spaces", "joined"), [(0.6, True), (2.5, False)])
def test_word_that_would_just_have_fitted_is_still_a_wrap(spare_spaces: float, joined: bool):
    """LibreOffice wraps a word that the glyph boxes say would have fitted by a little
    (up to 1.4 spaces in the benchmark PDFs); with more room left, the line ended."""
    space = width("a b") - width("ab")
    word = "Normal"
    room = space + width(word) + spare_spaces * space  # a space, the word, to spare
    first = "the campaign for a transparent clean safe city with New"
    items = [
        (ending_at(RIGHT - room, first), 700, first),
        (LEFT, 686, f"{word} views 3,000"),
        (LEFT, 672, "next line"),
    ]
    got = lines_of(make_pdf([items]))
    if joined:
        assert got == [f"{first} {word} views 3,000", "next line"]
    else:
        assert got == [first, f"{word} views 3,000", "next line"]


@pytest.mark.parametrize(
    ("start", "joined"),
    [
        ("7. festival 28,510", True),  # items run on inside a paragraph
        ("28/2/2568 : report", False),  # a dated entry starts its own line
    ],
)
def test_item_whose_number_could_not_fit_is_a_wrap(start: str, joined: bool):
    space = width("a b") - width("ab")
    number = start.split()[0]
    # room for more than two spaces, but not for a space and the number
    room = space + width(number) - 0.5
    assert room > 3 * space
    first = "the views of the post on the page reached 85,018 people"
    items = [
        (ending_at(RIGHT - room, first), 700, first),
        (LEFT, 686, start),
        (LEFT, 672, "next line"),
    ]
    got = lines_of(make_pdf([items]))
    assert got[0] == (f"{first} {start}" if joined else first)


# -- page breaks ----------------------------------------------------------------------------


def test_a_page_that_was_not_full_ends_its_paragraph():
    """A line joins the next page's first line only when its page was full: a page that
    ends a line pitch early ended with a blank line (or a page break)."""
    pages: list[list[Item]] = []
    # no text repeats at the same place on two pages (it would be a running header)
    for bottom, last, top in (
        (100, "the indicator of success of the campaign for a clean city", "first line"),
        (114, "the share of households that sort their waste at the source", "Waste"),
        (100, "the number of posts published on the social media pages", "Posts"),
    ):
        items = [(LEFT, y, f"{top} line {y}") for y in range(772, bottom, -14)]
        pages.append([(LEFT, 786, top), *items, (ending_at(RIGHT - 2, last), bottom, last)])
    got = lines_of(make_pdf(pages))
    assert "the indicator of success of the campaign for a clean city Waste" in got  # full
    assert "the share of households that sort their waste at the source" in got  # not full
    assert "Posts" in got


# -- Thai: marks drawn on a space, Private Use Area tone marks ------------------------------


@needs_thai_font
def test_mark_drawn_on_a_space_adds_no_second_space():
    """'ก ิจกรรม' (a mark typed after a space) is drawn with the mark on the space: the
    text keeps that one space, which repair_text joins, and adds none after the mark."""
    items = [(LEFT, 700, "ก ิจกรรม : 09000000-9949"), (LEFT, 680, "ส ิ้นสุด :2018-05-02")]
    got = lines_of(make_pdf([items], 16, LAKSAMAN))
    assert got == ["ก ิจกรรม : 09000000-9949", "ส ิ้นสุด :2018-05-02"]
    assert [repair_text(line) for line in got] == ["กิจกรรม : 09000000-9949", "สิ้นสุด :2018-05-02"]


@needs_thai_font
@pytest.mark.parametrize(
    ("start", "alone"),
    [
        ("ผู\uf70bเข้าถึง 965 คน", "ผู"),  # the mark right after the first letter
        ("ในพื\uf70bนที่กรุงเทพฯ ยอดผู้เข้าชม", "ใน"),  # after a word and two letters
    ],
)
def test_private_use_tone_mark_glues_the_first_word_of_a_wrapped_line(start: str, alone: str):
    """A line breaker sees an old font's Private Use Area tone mark as a letter that
    glues its neighbours: the glued words moved to the next line whole, though the
    first word alone would have fitted at the end of the line before."""
    size = 16
    glued = start.split()[0]
    space = width("ก ก", size, LAKSAMAN) - width("กก", size, LAKSAMAN)
    room = min(width(glued, size, LAKSAMAN), width(alone, size, LAKSAMAN) + 4 * space) - 2
    assert room - 1.2 * space > width(alone, size, LAKSAMAN) + 2
    first = "มาตรการป้องกันอัคคีภัยช่วงเทศกาลสงกรานต์ ยอด"
    items = [
        (LEFT, 720, "ผลการดำเนินงาน"),
        (ending_at(RIGHT - room, first, size, LAKSAMAN), 700, first),
        (LEFT, 680, start),
        (LEFT, 660, "ถัดไป"),
    ]
    got = lines_of(make_pdf([items], size, LAKSAMAN))
    assert got[1].startswith(f"{first}{alone}") and got[1].endswith(start.split()[-1])
    assert got[2:] == ["ถัดไป"]


@needs_thai_font
@pytest.mark.parametrize(("drawn", "joined"), [(False, True), (True, False)])
def test_no_break_space_glues_the_first_word_of_a_wrapped_line(drawn: bool, joined: bool):
    """LibreOffice draws no glyph for a no-break space: pdfium reports a gap, which on a
    line whose other spaces are drawn is a no-break space, so 'ทั้งหมด 421,613' had to
    move to the next line whole.  A drawn space there was a place to break."""
    size = 16
    space = width("ก ก", size, LAKSAMAN) - width("กก", size, LAKSAMAN)
    word, number, rest = "ทั้งหมด", "421,613", " คน 2. จัดกิจกรรม"
    room = width(word, size, LAKSAMAN) + 3 * space
    first = "เผยแพร่สื่อรณรงค์ผ่านช่องทางออนไลน์ มียอดผู้เข้าถึงรวม"
    if drawn:
        start = [(LEFT, 680, f"{word} {number}{rest}")]
    else:  # the word, then a space's gap with nothing drawn, then the rest
        after = LEFT + width(word, size, LAKSAMAN) + space
        start = [(LEFT, 680, word), (after, 680, number + rest)]
    items = [
        (LEFT, 720, "ผลการดำเนินงาน"),
        (ending_at(RIGHT - room, first, size, LAKSAMAN), 700, first),
        *start,
        (LEFT, 660, "ถัดไป"),
    ]
    got = lines_of(make_pdf([items], size, LAKSAMAN))
    if joined:
        assert got[1].startswith(f"{first}{word}") and got[1].endswith(rest.strip())
    else:
        assert got[1] == first
