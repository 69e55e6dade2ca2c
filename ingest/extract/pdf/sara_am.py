"""Sara am (ำ) as the fonts of Thai Word PDFs write it, read per font.

TH Sarabun fonts draw ำ as two glyphs, nikhahit (the circle) and า, and their ToUnicode
maps the nikhahit glyph to a space: "ส าเร็จ" for สำเร็จ, a space that, unlike a word gap,
has ink above the า (its box sits in the upper half of the next glyph's).  Such a space
followed by า or ำ is ำ.

TH SarabunIT๙ in some Word PDFs also maps its า glyph to ำ: "ค ำสั่งส ำนักงำน" for
คำสั่งสำนักงาน.  That is a property of the font: a font that draws a nikhahit before an
"ำ" (so its "ำ" is the า glyph) and never an า anywhere in the document has every other
ำ written as า.  The decision is per font name (subset prefix dropped) over the document.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Sequence
from typing import Any

import pypdfium2.raw as pdfium_c

_AM, _AA = "\u0e33", "\u0e32"
# a space between a Thai character and า/ำ: the nikhahit glyph of some fonts
_SPACE_BEFORE_AA = re.compile(r"(?<=[\u0e01-\u0e4e]) (?=[\u0e32\u0e33])")
_SKIPPED = "\x00"  # a character the page reader skips (see ``chars._special``)

_get_font = type(pdfium_c.FPDFTextObj_GetFont)(
    ctypes.cast(pdfium_c.FPDFTextObj_GetFont, ctypes.c_void_p).value
)
_get_font.restype = ctypes.c_void_p
_BOX = [ctypes.c_double() for _ in range(4)]  # left, right, bottom, top


class SaraAm:
    """One document's fonts: which draw a nikhahit before their "ำ", which draw า, and
    every other ำ read with the font it is drawn in (see :meth:`finish`)."""

    def __init__(self) -> None:
        self.names: dict[int | None, str] = {None: ""}  # font handle -> name
        self.swap_evidence: set[str] = set()
        self.draws_aa: set[str] = set()
        self.bare_am: list[tuple[Any, str]] = []  # (_Char, font name) of each other ำ

    def font_name(self, text_object: int | None) -> str:
        font = _get_font(ctypes.c_void_p(text_object)) if text_object else None
        name = self.names.get(font)
        if name is None:
            name = self.names[font] = _base_name(font)
        return name

    def read_page(self, raw: Any, text: str, objects: Sequence[int | None]) -> tuple[str, dict]:
        """``text`` (the page's characters) with each nikhahit space made ำ's place: the
        space skipped, the า or ำ after it ำ; and the indexes of the other ำ with their
        font (give each's character to :meth:`add_bare`)."""
        if _AA not in text and _AM not in text:
            return text, {}
        nikhahits = [m.start() for m in _SPACE_BEFORE_AA.finditer(text) if _high(raw, m.start())]
        if nikhahits:
            chars = list(text)
            for i in nikhahits:
                if chars[i + 1] == _AM:
                    self.swap_evidence.add(self.font_name(objects[i + 1]))
                chars[i], chars[i + 1] = _SKIPPED, _AM
            text = "".join(chars)
        self.draws_aa.update(self.font_name(obj) for obj in _objects_at(text, _AA, objects))
        made = set(nikhahits)
        bare = {
            i: self.font_name(objects[i])
            for i in _indexes(text, _AM)
            if i - 1 not in made
        }  # fmt: skip
        return text, bare

    def finish(self) -> bool:
        """Write า for each ำ of a font that turned out to map its า glyph to ำ; whether
        any character changed."""
        swapped = self.swap_evidence - self.draws_aa
        changed = False
        for char, name in self.bare_am:
            if name in swapped:
                char.ch = _AA
                changed = True
        return changed


def _indexes(text: str, ch: str) -> list[int]:
    found: list[int] = []
    at = text.find(ch)
    while at >= 0:
        found.append(at)
        at = text.find(ch, at + 1)
    return found


def _objects_at(text: str, ch: str, objects: Sequence[int | None]) -> set[int | None]:
    return {objects[i] for i in _indexes(text, ch)}


def _high(raw: Any, i: int) -> bool:
    """Whether the ink of the space at ``i`` lies in the upper half of the next glyph's
    box (a nikhahit above its า), where a word gap has none (nor a space pdfium made up)."""
    if pdfium_c.FPDFText_IsGenerated(raw, i) == 1:
        return False
    if not pdfium_c.FPDFText_GetCharBox(raw, i, *map(ctypes.byref, _BOX)):
        return False
    bottom = _BOX[2].value
    if not pdfium_c.FPDFText_GetCharBox(raw, i + 1, *map(ctypes.byref, _BOX)):
        return False
    return bottom > (_BOX[2].value + _BOX[3].value) / 2


_NAME = (ctypes.c_char * 256)()


def _base_name(font: int | None) -> str:
    """The font's base name without a subset prefix ("ABCDEE+")."""
    if font is None:
        return ""
    handle = ctypes.cast(ctypes.c_void_p(font), pdfium_c.FPDF_FONT)
    size = pdfium_c.FPDFFont_GetBaseFontName(handle, _NAME, len(_NAME))
    name = _NAME.raw[: max(0, min(size, len(_NAME)) - 1)].decode("latin-1")
    return name.split("+", 1)[-1]
