"""Thai digits tesseract read as Thai letters (ingest/extract/ocr_digit_letters.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest.extract.ocr_digit_letters import _in_number, after_ordinal, latin_cell
from ingest.extract.tsv_words import TsvWord

ROOT = Path(__file__).resolve().parents[2]
needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None, reason="needs tesseract (scripts/setup installs it)"
)


def _words(spec: str) -> list[TsvWord]:
    """One word per character of ``spec`` (as tesseract gives Thai), 30 px wide and 40
    high, side by side; a space is a gap of 60 px."""
    words, left = [], 0
    for ch in spec:
        if ch == " ":
            left += 60
            continue
        words.append(TsvWord(len(words), 1, ch, 90.0, (left, 100, 30, 40)))
        left += 32
    return words


@pytest.mark.parametrize(
    ("spec", "letter", "expected"),
    [
        ("ฒ.๒.๒", 0, True),  # the dotted number's first digit (Loma's ๗)
        ("ย่อย : ฒ.๒", 7, True),
        ("๒๕อ๒", 2, True),  # a year's digit (Loma's ๖)
        ("ไ๒.๑", 0, True),  # a vowel before a digit: a second reading of it
        ("ด้านที่ ข -", 8, True),  # the ordinal, alone
        ("๐สํานัก", 1, False),  # a syllable: the ๐ is the misreading there
        ("ที่ สี", 4, False),  # a word after ที่
        ("ที่ ส", 4, True),  # alone at the end of the line: the classifier decides
        ("พัฒนา", 2, False),  # a letter of a word
        ("ฒ  ๒", 0, False),  # the digit too far off: two words
        ("ม.๖", 0, True),  # a real letter stands so too: the classifier says no digit
    ],
)
def test_which_letters_stand_where_a_digit_would(spec: str, letter: int, expected: bool):
    words = _words(spec)
    k = letter - spec[:letter].count(" ")  # ``letter`` indexes ``spec``
    assert words[k].text == spec[letter]
    assert _in_number(words, k, {}) is expected


def test_a_letter_read_as_a_digit_makes_the_next_letter_a_suspect():
    words = _words("๒๕ออค")
    assert not _in_number(words, 3, {})
    assert _in_number(words, 3, {2: "๖"})


def test_the_ordinal_is_found_across_tesseract_s_words_on_the_line_only():
    words = _words("ข้อที่ ก")
    assert after_ordinal(words, len(words) - 1)
    lower = [TsvWord(w.row, w.page, w.text, w.conf, (w.box[0], 300, 30, 40)) for w in words]
    assert not after_ordinal([*words[:-1], lower[-1]], len(words) - 1)  # on the next line


def _cells(*cells: tuple[str, int]) -> list[TsvWord]:
    """One word per (text, left), 40 px high, 30 px a character, on one row."""
    return [
        TsvWord(i, 1, text, 90.0, (left, 100, 30 * len(text), 40))
        for i, (text, left) in enumerate(cells)
    ]


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ((("๔", 0), ("do", 150), ("จัดทำแผน", 230)), True),  # next cell's text close by
        ((("do", 150), ("๔", 0), ("จัดทำแผน", 230)), True),  # the level cell read later
        ((("๔", 0), ("DBO", 150), ("x", 400)), True),
        ((("๔", 0), ("do", 150), ("จัดทำแผน", 215)), False),  # run into the next word
        ((("๔", 0), ("do", 60), ("จัดทำแผน", 230)), True),  # one side clear is enough
        ((("๔", 0), ("do", 40), ("จัดทำแผน", 215)), False),  # no side clear
        ((("4", 0), ("do", 150), ("จัดทำแผน", 230)), False),  # no Thai-digit number on the row
        ((("๔", 0), ("do.", 150), ("x", 400)), False),  # not letters only
        ((("๔", 0), ("Communication", 150)), False),  # a word, not a number's glyphs
    ],
)
def test_latin_cells_on_a_row_of_thai_digits(cells: tuple, expected: bool):
    words = _cells(*cells)
    k = next(i for i, word in enumerate(words) if word.text.isascii() and word.text[0].isalpha())
    assert latin_cell(words, k) is expected


@needs_tesseract
def test_loma_digits_read_as_letters_come_back_as_digits():
    from ingest.extract.ocr import ocr_image

    # a crop of a scan typeset in Loma: tesseract reads ๗.๒ and ๗.๒.๒ as ฒ.๒ and ฒ.๒.๒
    image = (ROOT / "tests" / "fixtures" / "scans" / "loma_digits.jpg").read_bytes()
    (page,) = ocr_image(image)
    text = "\n".join(line.text for line in page.lines)
    assert "๗.๒ - ลดมลพิษ" in text
    assert "๗.๒.๒ ปริมาณมูลฝอย" in text
    assert "ฒ." not in text


@needs_tesseract
def test_laksaman_digits_read_as_latin_in_a_cell_come_back_as_digits():
    from ingest.extract.ocr import ocr_image

    # a crop of a sample's scoring table scanned at 300 dpi: tesseract reads ๖๐ as "vo"
    image = (ROOT / "tests" / "fixtures" / "scans" / "laksaman_cells.jpg").read_bytes()
    (page,) = ocr_image(image)
    texts = [line.text for line in page.lines]
    assert any(text.startswith("๓\t๖๐\tประชาสัมพันธ์") for text in texts), texts
    assert not any("vo" in text for text in texts)
