"""Which text is drawn in Thai fonts: a page whose Thai fonts draw no Thai is garbage.

A PDF whose Thai font lost its ToUnicode map (TCPDF in the government web systems) gives
ASCII punctuation for Thai ("%0%2 1 1>").  Only the font's name tells that the text was
meant to be Thai; symbol fonts (Wingdings, Symbol) never count: their bullets are not
damage.
"""

from __future__ import annotations

import ctypes
import itertools
import re
from collections.abc import Sequence

import pypdfium2.raw as pdfium_c

# names of the Thai fonts of Windows, Office, the PSL/UPC families, TLWG, Google and Noto
_THAI_FONT = re.compile(
    r"thai|sarabun|psk|psl|angsana|cordia|browallia|dillenia|eucrosia|freesia|iris|"
    r"jasmine|kodchiang|lily|upc|laksaman|garuda|loma|kinnari|norasi|umpush|waree|sawasdee|"
    r"purisa|tlwg|niramit|chakra|krub|kanit|prompt|mitr|taviraj|trirong|pridi|itim|"
    r"chonburi|maitree|charm|srisakdi|thasadith|bai ?jamjuree|k2d|kodchasan|fahkwang|"
    r"mali|niramit|charmonman|koho|athiti|pattaya|sriracha|mitr|kittithada|db[a-z]",
    re.IGNORECASE,
)
_SYMBOL_FONT = re.compile(r"symbol|wingding|webding|dingbat|marlett", re.IGNORECASE)
_NAME = (ctypes.c_char * 256)()


class _FontKinds(dict[int, bool]):
    """font handle address -> drawn in a Thai font; names read once per font."""

    def __missing__(self, address: int) -> bool:
        handle = ctypes.cast(ctypes.c_void_p(address), pdfium_c.FPDF_FONT)
        size = pdfium_c.FPDFFont_GetBaseFontName(handle, _NAME, len(_NAME))
        name = _NAME.raw[: max(0, min(size, len(_NAME)) - 1)].decode("latin-1")
        thai = bool(_THAI_FONT.search(name)) and not _SYMBOL_FONT.search(name)
        self[address] = thai
        return thai


def thai_font_text(
    text: str, objects: Sequence[int | None], kinds: dict[int, bool] | None = None
) -> str:
    """The visible characters of ``text`` (one per text object in ``objects``) that are
    drawn in Thai fonts.  One font look-up per text object; the characters are picked
    in C (``compress``), as pages hold thousands.  ``kinds``: the document's fonts seen
    so far (``font_kinds()``; a font's handle lives as long as its document)."""
    kinds = font_kinds() if kinds is None else kinds
    thai_object: dict[int | None, bool] = {None: False}
    for address in set(objects) - {None}:
        font = _get_font(ctypes.c_void_p(address))
        thai_object[address] = font is not None and kinds[font]
    if not any(thai_object.values()):
        return ""
    picked = "".join(itertools.compress(text, map(thai_object.__getitem__, objects)))
    return _BLANK.sub("", picked)


def font_kinds() -> dict[int, bool]:
    """An empty cache of font handle -> Thai font, for one document."""
    return _FontKinds()


_get_font = type(pdfium_c.FPDFTextObj_GetFont)(
    ctypes.cast(pdfium_c.FPDFTextObj_GetFont, ctypes.c_void_p).value
)
_get_font.restype = ctypes.c_void_p  # an address (int), or None
_BLANK = re.compile(r"[\x00-\x20\ufffe]+")


_SYMBOL_BULLET = re.compile(r"(?m)^([ \t]*)[\uf020-\uf0ff]")


def symbol_bullets(text: str) -> str:
    """``text`` with the symbol-font glyphs that start a line (Word's Wingdings and Symbol
    bullets, in the Private Use Area at U+F020-U+F0FF) written as the bullet "•"."""
    return _SYMBOL_BULLET.sub(r"\1•", text)
