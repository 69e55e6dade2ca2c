"""pdfium access: the characters of a page with their boxes, read in bulk."""

from __future__ import annotations

import ctypes
import itertools
import unicodedata
from collections import deque
from typing import TYPE_CHECKING, Any, cast

import pypdfium2.raw as pdfium_c

from ingest.extract.pdf.actualtext import apply_spans
from ingest.extract.pdf.fonts import thai_font_text
from ingest.extract.pdf.sara_am import SaraAm
from normalize.text import THAI_PUA

if TYPE_CHECKING:
    from _ctypes import CFuncPtr


class _Char:
    """One character and its box; a plain slotted class, as pages hold hundreds of them."""

    __slots__ = ("ch", "generated", "is_mark", "left", "mcid", "right", "size", "visible", "y")

    def __init__(
        self, ch: str, left: float, right: float, y: float, size: float, generated: bool = False
    ) -> None:
        self.ch = ch
        self.left = left
        self.right = right
        self.y = y  # the glyph origin: the baseline, shared by a line's characters and marks
        self.size = size  # font size
        self.generated = generated
        self.is_mark, self.visible = _KINDS[ch]
        self.mcid = -1  # the marked-content id of its text object (-1: none read)


class _Kinds(dict[str, tuple[bool, bool]]):
    """character -> (combining mark, visible), worked out on first sight."""

    def __missing__(self, ch: str) -> tuple[bool, bool]:
        # a legacy font's Private Use Area mark (a shifted tone) is a mark too: it goes on
        # the letter it is drawn over; normalize maps it to the Thai mark later
        mark = unicodedata.category(THAI_PUA.get(ch, ch)) in ("Mn", "Me")
        kind = self[ch] = (mark, not ch.isspace())
        return kind


_KINDS = _Kinds()


def _fast(function: CFuncPtr) -> CFuncPtr:
    """``function`` without ctypes' per-call argument conversion (a third of the cost of a
    call); callers pass only pdfium handles, ints and ``byref`` pointers.  Built from the
    function's own pointer class and result type: the same calling convention and results."""
    fast = type(function)(cast(int, ctypes.cast(function, ctypes.c_void_p).value))
    fast.restype = function.restype
    return fast


_count_objects = _fast(pdfium_c.FPDFPage_CountObjects)
_get_object = _fast(pdfium_c.FPDFPage_GetObject)
_object_type = _fast(pdfium_c.FPDFPageObj_GetType)
_get_unicode = _fast(pdfium_c.FPDFText_GetUnicode)
_is_generated = _fast(pdfium_c.FPDFText_IsGenerated)
_get_loose_box = _fast(pdfium_c.FPDFText_GetLooseCharBox)
_get_origin = _fast(pdfium_c.FPDFText_GetCharOrigin)
_get_font_size = _fast(pdfium_c.FPDFText_GetFontSize)
_get_tight_box = _fast(pdfium_c.FPDFText_GetCharBox)
_get_text = _fast(pdfium_c.FPDFText_GetText)
_get_text_object = _fast(pdfium_c.FPDFText_GetTextObject)
_get_text_object.restype = ctypes.c_void_p  # an int: compared, never dereferenced


class _Scratch:
    """Output buffers for the bulk pdfium calls, with a pointer into them per character
    (``byref`` with an offset), built once per process and grown for longer pages: the
    per-character calls then run inside ``map``, with no Python code per character."""

    def __init__(self) -> None:
        self.size = 0
        self.text = (ctypes.c_uint16 * 1)()
        self.boxes = (ctypes.c_float * 0)()
        self.box_floats = memoryview(self.boxes).cast("B").cast("f")  # strided reads
        self.box_refs: list[Any] = []

    def fit(self, count: int) -> None:
        if count <= self.size:
            return
        size = max(count, 2 * self.size, 1024)
        self.text = (ctypes.c_uint16 * (size + 1))()  # UTF-16 and a NUL
        self.boxes = (ctypes.c_float * (4 * size))()  # FS_RECTF: left, top, right, bottom
        self.box_floats = memoryview(self.boxes).cast("B").cast("f")
        self.box_refs = [ctypes.byref(self.boxes, 16 * i) for i in range(size)]
        self.size = size


_SCRATCH = _Scratch()
_SCRATCH_KEPT = 50_000  # characters: the buffers kept for the next page (~4 MB)
_ORIGIN = (ctypes.c_double(), ctypes.c_double())
_ORIGIN_REFS = tuple(ctypes.byref(value) for value in _ORIGIN)
_X_REF, _Y_REF = _ORIGIN_REFS  # passed one by one: a call with *args costs more


def _page_chars(raw: Any, page: Any = None) -> list[_Char]:
    """The characters of a page: see :func:`page_chars_and_fonts`."""
    return page_chars_and_fonts(raw, page)[0]


def page_chars_and_fonts(
    raw: Any,
    page: Any = None,
    browser: bool = False,
    fonts: dict[int, bool] | None = None,
    sara_am: SaraAm | None = None,
) -> tuple[list[_Char], str]:
    """The characters of a page with their boxes, and those of them drawn in Thai fonts
    (see ``fonts``).  The characters are read in 2 pdfium calls a character made in
    bulk (the page text in one call, loose boxes and text objects through ``map``), not 5
    one by one: the baseline and font size are read once per run of characters of one
    text object, which has one font size and, drawn horizontally, one baseline (checked
    at the run's last character; a run drawn at an angle is read character by character).
    ``raw``: the handle of the page's text (``PdfTextPage.raw``); ``page``, of the page (its
    ActualText spans then get the box of all their objects: see ``actualtext``);
    ``browser``: a browser print, whose characters get their block's id (``mcid``);
    ``fonts``: the document's font cache (``fonts.font_kinds()``); ``sara_am``: the
    document's fonts' ำ (see ``sara_am``; None: a page read on its own)."""
    count = pdfium_c.FPDFText_CountChars(raw)
    # a page of a huge count gets buffers of its own, freed with it
    scratch = _SCRATCH if count <= _SCRATCH_KEPT else _Scratch()
    scratch.fit(count)
    text = _page_text(raw, count, scratch)
    indexes = range(count)
    deque(map(_get_loose_box, itertools.repeat(raw, count), indexes, scratch.box_refs), 0)
    objects = list(map(_get_text_object, itertools.repeat(raw, count), indexes))
    floats = scratch.box_floats
    # floats: typeshed types memoryview.tolist() as list[int] whatever the format
    lefts = cast("list[float]", floats[0 : 4 * count : 4].tolist())
    rights = cast("list[float]", floats[2 : 4 * count : 4].tolist())
    text, spanned, mcids = apply_spans(raw, text, objects, lefts, rights, page, browser)
    sara_am = SaraAm() if sara_am is None else sara_am
    text, bare_am = sara_am.read_page(raw, text, objects)
    chars: list[_Char] = []
    append = chars.append
    run_object: int | None = -1  # the run's text object (an address; None: no object)
    run_pos = run_first = run_last = 0  # its first character in chars; first, last index
    y = size = 0.0
    for i, ch, text_object, left, right in zip(indexes, text, objects, lefts, rights, strict=True):
        if ch in _SPECIALS:
            special = _special(text, i)
            if special is None:
                continue
            ch = special
        if text_object != run_object or text_object is None:
            if run_last > run_first:
                _check_run(raw, text, chars, (run_pos, run_first, run_last), floats)
            run_object, run_pos, run_first = text_object, len(chars), i
            _get_origin(raw, i, _X_REF, _Y_REF)
            y, size = _ORIGIN[1].value, _get_font_size(raw, i)
            if size < _TINY_SIZE and not ch.isspace():  # a made-up space has no font
                size = _scaled_size(floats, i)
        run_last = i
        if ch in _PSL_MARKS and _beside_thai(chars, text, i):
            ch = _PSL_MARKS[ch]  # drawn over a Thai letter: a tone mark (see _PSL_MARKS)
        item = _Char(ch, left, right, y, size)
        if not item.visible:  # pdfium generates only spaces and line breaks
            item.generated = _is_generated(raw, i) == 1
        elif item.is_mark and i not in spanned:  # the tight box: which base it sits on
            _get_tight_box(raw, i, _LEFT_REF, _RIGHT_REF, _BOTTOM_REF, _TOP_REF)
            item.left, item.right = _TIGHT[0].value, _TIGHT[1].value
        if mcids:
            item.mcid = mcids.get(text_object, -1)
        if bare_am and i in bare_am:
            sara_am.bare_am.append((item, bare_am[i]))
        append(item)
    if run_last > run_first:
        _check_run(raw, text, chars, (run_pos, run_first, run_last), floats)
    # a page's first characters tell its fonts' kind: a bounded cost on long pages
    return chars, thai_font_text(text[:_FONT_SCAN], objects[:_FONT_SCAN], fonts)


def _check_run(
    raw: Any, text: str, chars: list[_Char], run: tuple[int, int, int], floats: Any
) -> None:
    """Read the baseline and size of each character of the run ``first..last`` (from
    ``chars[pos]`` on; ``run`` is ``(pos, first, last)``) when its last character's
    baseline is not its first's.  ``floats``: the page's loose boxes."""
    pos, first, last = run
    _get_origin(raw, last, _X_REF, _Y_REF)
    if _ORIGIN[1].value == chars[pos].y:
        return
    for i in range(first, last + 1):
        ch = text[i]
        if ch in _SPECIALS and _special(text, i) is None:
            continue  # not a character of chars, as in _page_chars
        _get_origin(raw, i, _X_REF, _Y_REF)
        size = _get_font_size(raw, i)
        if size < _TINY_SIZE and not ch.isspace():
            size = _scaled_size(floats, i)
        chars[pos].y, chars[pos].size = _ORIGIN[1].value, size
        pos += 1


# The Budget Bureau's PSL fonts (Acrobat) map their tone marks to Latin-1 letters, in the
# order of the Thai marks: É ่, Ê ้, Ë ๊, Ì ๋, Í ์.  Read after a Thai character they are the
# marks, and as marks they go onto the letter they are drawn over (``_attach_mark``).
_PSL_MARKS = {chr(0xC9 + n): chr(0x0E48 + n) for n in range(5)}


def _beside_thai(chars: list[_Char], text: str, i: int) -> bool:
    """Whether the last visible character read or the next one is a Thai character."""
    before = next((c.ch for c in reversed(chars[-3:]) if c.visible), "")
    after = text[i + 1 : i + 2]
    return "\u0e01" <= before <= "\u0e4e" or "\u0e01" <= after <= "\u0e4e"


_FONT_SCAN = 1500  # characters of a page whose fonts are looked at (see fonts.py)
_TINY_SIZE = 2.0  # pt: a font set at size 1 and scaled up by the text matrix (Acrobat)


def _scaled_size(floats: Any, i: int) -> float:
    """The size a character is drawn at when its font size says 1 (the text matrix does
    the scaling): the height of its loose box, which spans the font's ascent to descent."""
    return max(floats[4 * i + 1] - floats[4 * i + 3], _TINY_SIZE)


def _page_text(raw: Any, count: int, scratch: _Scratch) -> str:
    """The page's characters, one per index, in one call.  pdfium's page text maps one
    to one onto the character indexes, save that a line-end hyphen is U+FFFE there and
    U+0002 per character (both become "-"); should it ever not (a different length, a
    character that differs at a probe), the characters are read one by one instead."""
    written = _get_text(raw, 0, count, scratch.text)
    text = ctypes.string_at(scratch.text, 2 * count).decode("utf-16-le", "surrogatepass")
    if written == count + 1 and len(text) == count:
        probes = [*range(0, count, 16), count - 1] if count else []
        codes = map(_get_unicode, itertools.repeat(raw, len(probes)), probes)
        if all(map(_same_code, map(ord, map(text.__getitem__, probes)), codes)):
            return text
    codes = map(_get_unicode, itertools.repeat(raw, count), range(count))
    return "".join(map(chr, codes))


def _same_code(code: int, other: int) -> bool:
    return code == other or (code in _HYPHENS and other in _HYPHENS)


_HYPHENS = (0x02, 0xFFFE)


# what _special() handles: control characters, surrogates, U+FFFE
_SPECIALS = frozenset(map(chr, [*range(0x20), *range(0xD800, 0xE000), 0xFFFE]))


def _special(text: str, i: int) -> str | None:
    """A control character, line-end hyphen or surrogate at ``text[i]`` (None: skip)."""
    code = ord(text[i])
    if 0xD800 <= code < 0xE000:  # a character outside the BMP spans two indexes
        if code >= 0xDC00 or i + 1 == len(text) or not "\udc00" <= text[i + 1] <= "\udfff":
            return None
        return chr(0x10000 + ((code - 0xD800) << 10) + (ord(text[i + 1]) - 0xDC00))
    if code in _HYPHENS:
        return "-"  # pdfium: a hyphen at a line end
    return "\t" if code == 0x09 else None


_TIGHT = [ctypes.c_double() for _ in range(4)]  # left, right, bottom, top
_TIGHT_REFS = [ctypes.byref(value) for value in _TIGHT]
_LEFT_REF, _RIGHT_REF, _BOTTOM_REF, _TOP_REF = _TIGHT_REFS
