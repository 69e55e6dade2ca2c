"""Thai digits tesseract read as Thai letters, put back by the digit classifier.

Debian's ``tha`` model reads some fonts' digits as letters: Loma's ๗ as ฒ or ข and its ๖
as อ ("ฒ.๒.๒" for ๗.๒.๒, "ด้านที่ ข" for ด้านที่ ๗, "๒๕อ๒" for ๒๕๖๒), and may read one
digit's glyph twice, once as a letter ("ไ๒.๑" for ๒.๑).  Only a one-letter word standing
where a digit would is looked at: next to a Thai digit on its line (or to a dot and one),
or alone after ที่ (the ordinal: ข้อที่ ๓, ด้านที่ ๗).  Its glyph is classified as in
:mod:`ingest.extract.ocr_thai_digits`; the letter becomes the digit only where the
classifier is sure (``SURE_MARGIN``: it says "no digit" of real letters there, ม.๖ stays);
a vowel written before a consonant goes, its glyph being the digit's beside it.

Laksaman's ๘๐, ๖๐ and ๒๐ come out as Latin ("do", "co", "DBO", "wo") in a scoring
table's percentage column: a word of a few Latin letters alone in a cell, on a row with a
number in Thai digits, becomes the digits its glyphs are where the classifier is sure of
every one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache, partial
from typing import TYPE_CHECKING

import numpy as np

from ingest.extract.ocr_thai_digits import (
    _MARKS,
    DIGITS,
    SURE_MARGIN,
    _best,
    _grey,
    classify,
    features,
    word_glyphs,
)
from ingest.extract.tsv_words import TsvWord, tsv_words

if TYPE_CHECKING:
    from PIL import Image as PILImage

    from ingest.extract.ocr_thai_digits import Grey

# consonants, what a digit is misread as, and the vowels written before one, which tesseract
# adds over a digit's glyph (ไ๒ for ๒: in every case seen the glyph was the digit's beside it)
LEADING = frozenset("เแโใไ")
LETTERS = frozenset(chr(c) for c in range(0x0E01, 0x0E2F)) | LEADING
_THAI = frozenset(chr(c) for c in range(0x0E01, 0x0E5C))
# vowels and marks written after or over their consonant
_FOLLOWING = _MARKS | frozenset("ะาำๅ")
CELL_GAP = 1.0  # line heights clear of a neighbour: a cell of its own
WORD_GAP = 0.3  # ... and of the other: a word of its own (the next cell's text may be close)
MAX_CELL = 4  # glyphs of a number in a cell
_LATIN_CELL = re.compile(r"(?=.*[A-Za-z])[A-Za-z0-9]{1,4}")
NEAR = 1.0  # gap between a letter and its neighbour, in line heights, to be one number
ORDINAL = "ที่"


def digit_letter_fixes(image: bytes | PILImage.Image, tsv: str) -> dict[int, str]:
    """tsv row index -> the word with its letter read as the digit it stands for (the vowel
    dropped where it is a digit's glyph read twice), for the letters the classifier is sure
    of."""
    words = [word for word in tsv_words(tsv) if word.text]
    page = cache(partial(_grey, image))  # decoded at the first suspect: most pages have none
    fixes: dict[int, str] = {}
    for k in range(len(words)):  # in order: a letter read as a digit makes its next a suspect
        if _in_number(words, k, fixes) and (digit := _read_letter(page(), words, k)) is not None:
            fixes[words[k].row] = digit
    for k in range(len(words)):
        if latin_cell(words, k) and (digits := _read_cell(page(), words[k])) is not None:
            fixes[words[k].row] = digits
    return fixes


def latin_cell(words: list[TsvWord], k: int) -> bool:
    """Whether words[k] is a few Latin letters alone in a table cell (CELL_GAP line heights
    clear of a neighbour, WORD_GAP of the other) on a line with a number in Thai digits:
    Laksaman's ๘๐ and ๖๐ come out "do", "co", "bo" in a scoring table's percentage column."""
    word = words[k]
    if not _LATIN_CELL.fullmatch(word.text):
        return False
    line = sorted(_row_of(words, k), key=lambda other: other.box[0])
    at = line.index(word)
    pairs = [(line[at - 1], word)] if at else []
    pairs += [(word, line[at + 1])] if at + 1 < len(line) else []
    gaps = [_gap(left, right, word.box[3]) for left, right in pairs] or [CELL_GAP]
    if min(gaps) < WORD_GAP or max(gaps) < CELL_GAP:
        return False
    return any(other.text and all(ch in DIGITS for ch in other.text) for other in line)


def _read_cell(grey: Grey, word: TsvWord) -> str | None:
    """The Thai digits a Latin cell's glyphs are, where the classifier is sure of each."""
    for count in range(1, MAX_CELL + 1):  # the glyphs need not be as many as the letters
        got = word_glyphs(grey, word.box, DIGITS[0] * count)
        if got:
            break
    else:
        return None
    digits = []
    for probs in classify(np.stack([features(g.ink, g.comp) for g in got])):
        best = _best(probs)
        if best is None or best[1] < SURE_MARGIN:
            return None
        digits.append(best[0])
    return "".join(digits)


def _row_of(words: list[TsvWord], k: int) -> list[TsvWord]:
    """The words level with words[k], wherever tesseract put them: a table's cells are
    blocks of their own, so a row's words are not together in its reading order."""
    return [other for other in words if _same_line(other, words[k])]


def _read_letter(grey: Grey, words: list[TsvWord], k: int) -> str | None:
    """What the letter words[k] is: a digit, "" (a vowel written before a consonant, over a
    digit's glyph: that digit read twice) or None (a letter, or not sure)."""
    text = words[k].text
    # its glyph, cut as a digit's would be; tesseract's box may take in the colon before it
    # (":อ." read as "อ.") and a dot may be too small to count as a glyph
    shapes = (DIGITS[0] + text[1:], ":" + DIGITS[0] + text[1:], DIGITS[0], ":" + DIGITS[0])
    box = words[k].box
    got = next((g for shape in dict.fromkeys(shapes) if (g := word_glyphs(grey, box, shape))), [])
    if not got:
        return None
    best = _best(classify(features(got[0].ink, got[0].comp)[None])[0])
    if best is None or best[1] < SURE_MARGIN:
        return None
    return ("" if text[0] in LEADING else best[0]) + text[1:]


def _in_number(words: list[TsvWord], k: int, fixed: Mapping[int, str]) -> bool:
    """Whether words[k], one letter, stands where a digit of a number would (``fixed``: the
    rows read as digits so far).  A letter with a vowel or mark after it is a syllable's
    (๐สำนัก: the ๐ is the misreading there)."""
    word = words[k]
    if word.text[0] not in LETTERS or word.text[1:] not in ("", "."):  # ฒ, or ฒ. with its dot
        return False
    before = words[k - 1] if k and _near(words[k - 1], word) else None
    after = words[k + 1] if k + 1 < len(words) and _near(word, words[k + 1]) else None
    if after is not None and after.text[0] in _FOLLOWING:
        return False
    if before is not None and fixed.get(before.row, before.text)[-1:] in tuple(DIGITS):
        return True
    if after is not None and after.text[0] in DIGITS:
        return True
    if after is not None and after.text == "." and word.text[1:] == "" and k + 2 < len(words):
        return words[k + 2].text[0] in DIGITS
    return after_ordinal(words, k) and (after is None or after.text[0] not in _THAI)


def after_ordinal(words: list[TsvWord], k: int) -> bool:
    """Whether the words just before words[k] on its line end in ที่ (tesseract gives
    each Thai letter and mark a word of its own)."""
    text = ""
    for j in range(k - 1, max(-1, k - 5), -1):
        if not _same_line(words[j], words[j + 1]):
            break
        text = words[j].text + text
        if text.endswith(ORDINAL):
            return True
    return False


def _near(left: TsvWord, right: TsvWord) -> bool:
    """Whether ``right`` follows ``left`` on its line, at most NEAR line heights after it."""
    return _same_line(left, right) and -1 < _gap(left, right) < NEAR


def _gap(left: TsvWord, right: TsvWord, height: int | None = None) -> float:
    """The space between two words, in ``height``s, by default the higher word's (a dot
    is a line high as its digits)."""
    gap = right.box[0] - (left.box[0] + left.box[2])
    return gap / max(height or max(left.box[3], right.box[3]), 1)


def _same_line(left: TsvWord, right: TsvWord) -> bool:
    top, bottom = (
        max(left.box[1], right.box[1]),
        min(left.box[1] + left.box[3], right.box[1] + right.box[3]),
    )
    return left.page == right.page and bottom - top > 0
