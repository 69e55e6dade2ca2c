"""PDF bytes -> text whose lines map to pages, rebuilt from pdfium's character boxes.

pypdfium2 gives the Thai characters right (pdfminer/pdfplumber misorder marks and emit
``(cid:N)``) but its own line breaks are unreliable: a mark drawn slightly off the
baseline becomes a line of its own, and a ``ู`` is sometimes emitted at the end of the
line.  So lines are rebuilt from geometry:

* characters are grouped into lines by vertical position, in content order; a
  combining mark goes after the base character its box sits on;
* a wide gap (a tab stop) becomes a tab, an indented line gets leading tabs;
* vertical gaps of whole line pitches become blank lines;
* a line is joined to the one before when the typesetter wrapped it: the previous line
  reaches towards the right margin, the next line's first word would not have fit (give
  or take a space: typesetters wrap some words the glyph boxes say would just have fit)
  and, across a page break, the page before was full;
* running headers/footers (the same text at the same place on most pages) and page
  numbers ("- 3 -", "หน้า 3/7") are dropped;
* on a page drawn with rules (a table), text comes cell by cell: a row is rebuilt as
  one line, cells joined by tabs, like the text exports of the key-result sheets;
* pdfium's hyphen marks (U+0002/U+FFFE at a line end) become "-" again, and the spaces
  it invents around marks drawn off their advance are dropped.

A page still garbled after ``normalize.repair_text`` (Private Use Area glyphs, "(cid:N)",
marks cut off by spaces) is reported as a ``garbled_page`` anomaly.

pdfium is not thread-safe: run extractions in processes, not threads.
"""

from __future__ import annotations

import ctypes
import gc
import importlib.util
import itertools
import operator
import re
import statistics
import unicodedata
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from normalize import repair_text
from parsers.errors import PdfError
from parsers.model import Anomaly

TAB_STOP = 35.43  # pt: the default tab grid of office suites (1.25 cm)
NO_TEXT_PROBE_PAGES = 50  # give up on a text layer after this many empty pages
MAX_PAGES = 20_000
_RULED_PAGE_PATHS = 4  # path objects (cell borders) that make a page a table page
_JOIN_MIN_FILL = 0.55  # a wrapped line fills at least this share of the text width
_WRAP_SLACK = 1.0  # spaces of room a typesetter may leave when it wraps the next word
_WORD_SCAN = 120  # characters at a line's start searched for its first word


class NoTextLayerError(PdfError):
    """The PDF has no text at all: a scan (``ingest.extract.scan`` reads it by OCR)."""


@dataclass(frozen=True)
class PdfText:
    text: str
    line_pages: tuple[int, ...]
    anomalies: tuple[Anomaly, ...]
    page_count: int


class _Char:
    """One character and its box; a plain slotted class, as pages hold hundreds of them."""

    __slots__ = ("ch", "generated", "is_mark", "left", "right", "size", "visible", "y")

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


class _Kinds(dict[str, tuple[bool, bool]]):
    """character -> (combining mark, visible), worked out on first sight."""

    def __missing__(self, ch: str) -> tuple[bool, bool]:
        kind = self[ch] = (unicodedata.category(ch) in ("Mn", "Me"), not ch.isspace())
        return kind


_KINDS = _Kinds()


@dataclass(slots=True)
class _Line:
    page: int
    chars: list[_Char] = field(default_factory=list)
    y: float = 0.0
    height: float = 0.0
    left: float = 0.0
    right: float = 0.0
    blanks_before: int = 0
    last: _Char | None = None  # the last base character added in content order
    ruled: bool = False  # on a page drawn with rules (cell borders)
    cell_run: bool = False  # the text of one table cell outside a row (fixed_text)
    fixed_text: str | None = None  # a rebuilt table row: its text, never joined to others
    y_end: float | None = None  # baseline of its lowest line (table rows span several)
    plain_cache: str | None = None  # read often, once the page's characters are final

    def add(self, char: _Char) -> None:
        self.chars.append(char)
        if char.visible and not char.is_mark:
            self.last = char

    def bases(self) -> list[_Char]:
        return [c for c in self.chars if c.visible and not c.is_mark]

    def finish(self) -> None:
        bases = self.bases() or [c for c in self.chars if c.visible]
        self.y = _median(list(map(_Y, bases)))
        self.height = _median(list(map(_SIZE, bases))) or 1.0
        self.left = min(map(_LEFT, bases))
        self.right = max(map(_RIGHT, bases))

    @property
    def plain(self) -> str:
        if self.plain_cache is None:
            self.plain_cache = "".join([c.ch for c in self.chars if not c.generated])
        return self.plain_cache


_Y, _SIZE, _LEFT, _RIGHT = map(operator.attrgetter, ("y", "size", "left", "right"))


def _median(values: list[float]) -> float:
    """``statistics.median`` (the same result) without its overhead, for the hot path."""
    values.sort()
    half = len(values) // 2
    return values[half] if len(values) % 2 else (values[half - 1] + values[half]) / 2


# -- opening and reading pages -------------------------------------------------------------


def extract_pdf(data: bytes, name: str) -> PdfText:
    """Text of the PDF ``data`` (file ``name``); raise ``PdfError`` with the reason."""
    with _gc_paused():
        doc = _open(data, name)
        try:
            width = _page_width(doc, name)
            pages = _read_pages(doc, name)
        finally:
            doc.close()
        text = _assemble(pages, width)
        # freed while the collector is paused, or its first run after would scan them all
        del pages
    return text


@contextmanager
def _gc_paused() -> Iterator[None]:
    """The characters of a whole document are live at once (hundreds of thousands of
    objects, no cycles among them): the cyclic collector rescanning them over and over
    took a third of the time on a 600-page PDF.  Whatever cycles appear meanwhile are
    collected once it runs again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _page_width(doc: pdfium.PdfDocument, name: str) -> float:
    try:
        return doc.get_page_size(0)[0]
    except pdfium.PdfiumError as exc:
        raise PdfError(f"Page 1 of the PDF cannot be read ({exc}).", path=name) from exc


def _open(data: bytes, name: str) -> pdfium.PdfDocument:
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        reason = str(exc)
        if "password" in reason.lower():
            raise PdfError("The PDF is encrypted and needs a password to open.", path=name) from exc
        if "security" in reason.lower():
            raise PdfError(
                f"The PDF is encrypted with an unsupported security handler ({reason}).", path=name
            ) from exc
        raise PdfError(f"The PDF is corrupt or not a PDF ({reason}).", path=name) from exc
    count = len(doc)
    if count == 0:
        doc.close()
        raise PdfError("The PDF has no pages.", path=name)
    if count > MAX_PAGES:
        doc.close()
        raise PdfError(f"The PDF has {count} pages, more than the limit of {MAX_PAGES}.", path=name)
    return doc


def _read_pages(doc: pdfium.PdfDocument, name: str) -> list[list[_Line]]:
    """Lines of each page; on a page drawn with rules (a table) lines are cut at tab-wide
    gaps, so each table cell is a line of its own for :func:`_merge_table_rows`."""
    pages: list[list[_Line]] = []
    seen_text = False
    for index in range(len(doc)):
        # raw handles, not pypdfium2's page objects: their finalizers cost more than
        # loading a page's text; what doc[index] and get_textpage() raise is raised
        page = pdfium_c.FPDF_LoadPage(doc.raw, index)
        if not page:
            raise PdfError(
                f"Page {index + 1} of the PDF cannot be read (pdfium cannot load it).", path=name
            )
        try:
            ruled = _path_count(page) >= _RULED_PAGE_PATHS
            textpage = pdfium_c.FPDFText_LoadPage(page)
            if not textpage:
                raise pdfium.PdfiumError("Failed to load text page.")
            try:
                chars = _page_chars(textpage)
            finally:
                pdfium_c.FPDFText_ClosePage(textpage)
        except pdfium.PdfiumError as exc:
            raise PdfError(
                f"Page {index + 1} of the PDF cannot be read ({exc}).", path=name
            ) from exc
        finally:
            pdfium_c.FPDF_ClosePage(page)
        seen_text = seen_text or any(c.visible for c in chars)
        if not seen_text and index + 1 >= NO_TEXT_PROBE_PAGES:
            break
        lines = _group_lines(chars, index + 1)
        if ruled:
            lines = [cut for line in lines for cut in _cut_at_gaps(line)]
            for line in lines:
                line.ruled = True
        pages.append(lines)
    if not seen_text:
        raise NoTextLayerError("The PDF has no text layer (scanned PDF); it needs OCR.", path=name)
    return pages


def _path_count(raw: Any) -> int:
    """Path objects on the page of handle ``raw``."""
    count = _count_objects(raw)
    objects = map(_get_object, itertools.repeat(raw, count), range(count))
    return list(map(_object_type, objects)).count(pdfium_c.FPDF_PAGEOBJ_PATH)


def _cut_at_gaps(line: _Line) -> list[_Line]:
    """``line`` cut where a gap wider than two spaces (and no space character) lies."""
    pieces: list[_Line] = []
    current = _Line(page=line.page)
    previous: _Char | None = None
    for char in line.chars:
        base = char.visible and not char.is_mark
        if base and previous is not None and char.left - previous.right > 0.66 * previous.size:
            pieces.append(current)
            current = _Line(page=line.page)
        if char.visible or current.last is not None:
            current.add(char)
        if char.visible and not char.is_mark:
            previous = char
    pieces.append(current)
    pieces = [piece for piece in pieces if piece.last is not None]
    for piece in pieces:
        while not piece.chars[-1].visible:
            piece.chars.pop()
        piece.finish()
    return pieces or [line]


def _fast(function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` without ctypes' per-call argument conversion (a third of the cost of a
    call); callers pass only pdfium handles, ints and ``byref`` pointers.  Built from the
    function's own pointer class and result type: the same calling convention and results."""
    fast = type(function)(ctypes.cast(function, ctypes.c_void_p).value)  # type: ignore[call-arg]
    fast.restype = function.restype  # type: ignore[attr-defined]
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


def _page_chars(raw: Any) -> list[_Char]:
    """The characters of a page with their boxes, in 2 pdfium calls a character made in
    bulk (the page text in one call, loose boxes and text objects through ``map``), not 5
    one by one: the baseline and font size are read once per run of characters of one
    text object, which has one font size and, drawn horizontally, one baseline (checked
    at the run's last character; a run drawn at an angle is read character by character).
    ``raw``: the handle of the page's text (``PdfTextPage.raw``)."""
    count = pdfium_c.FPDFText_CountChars(raw)
    # a page of a huge count gets buffers of its own, freed with it
    scratch = _SCRATCH if count <= _SCRATCH_KEPT else _Scratch()
    scratch.fit(count)
    text = _page_text(raw, count, scratch)
    indexes = range(count)
    deque(map(_get_loose_box, itertools.repeat(raw, count), indexes, scratch.box_refs), 0)
    objects = list(map(_get_text_object, itertools.repeat(raw, count), indexes))
    floats = scratch.box_floats
    lefts, rights = floats[0 : 4 * count : 4].tolist(), floats[2 : 4 * count : 4].tolist()
    chars: list[_Char] = []
    append = chars.append
    run_object: int | None = -1  # the run's text object (an address; None: no object)
    run_pos = run_first = run_last = 0  # its first character in chars; first, last index
    y = size = 0.0
    for i, ch, text_object, left, right in zip(indexes, text, objects, lefts, rights, strict=True):
        if ch in _SPECIALS:
            ch = _special(text, i)
            if ch is None:
                continue
        if text_object != run_object or text_object is None:
            if run_last > run_first:
                _check_run(raw, text, chars, run_pos, run_first, run_last)
            run_object, run_pos, run_first = text_object, len(chars), i
            _get_origin(raw, i, _X_REF, _Y_REF)
            y, size = _ORIGIN[1].value, _get_font_size(raw, i)
        run_last = i
        item = _Char(ch, left, right, y, size)
        if not item.visible:  # pdfium generates only spaces and line breaks
            item.generated = _is_generated(raw, i) == 1
        elif item.is_mark:  # marks: the tight box tells which base they sit on
            _get_tight_box(raw, i, _LEFT_REF, _RIGHT_REF, _BOTTOM_REF, _TOP_REF)
            item.left, item.right = _TIGHT[0].value, _TIGHT[1].value
        append(item)
    if run_last > run_first:
        _check_run(raw, text, chars, run_pos, run_first, run_last)
    return chars


def _check_run(raw: Any, text: str, chars: list[_Char], pos: int, first: int, last: int) -> None:
    """Read the baseline and size of each character of the run ``first..last`` (from
    ``chars[pos]`` on) when its last character's baseline is not its first's."""
    _get_origin(raw, last, _X_REF, _Y_REF)
    if _ORIGIN[1].value == chars[pos].y:
        return
    for i in range(first, last + 1):
        ch = text[i]
        if ch in _SPECIALS and _special(text, i) is None:
            continue  # not a character of chars, as in _page_chars
        _get_origin(raw, i, _X_REF, _Y_REF)
        chars[pos].y, chars[pos].size = _ORIGIN[1].value, _get_font_size(raw, i)
        pos += 1


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


# -- lines from characters -----------------------------------------------------------------


def _group_lines(chars: Sequence[_Char], page: int) -> list[_Line]:
    lines: list[_Line] = []
    current: _Line | None = None
    last: _Char | None = None  # current.last, the base a new character is compared with
    for char in chars:
        if char.is_mark:
            _attach_mark(char, current, lines)
        elif not char.visible:
            if current is not None:
                current.chars.append(char)
        elif (
            current is not None
            and last is not None
            # the same baseline, within 0.3 of the larger font size, and no jump far back
            # left (inlined: this runs for every character of the document)
            and abs(char.y - last.y) <= 0.3 * (char.size if char.size > last.size else last.size)
            and char.left >= last.left - last.size
        ):
            current.chars.append(char)  # what add() does for a visible base, inlined
            current.last = last = char
        else:
            current = _Line(page=page, chars=[char], last=char)
            last = char
            lines.append(current)
    for line in lines:
        while line.chars and not line.chars[-1].visible and line.chars[-1].generated:
            line.chars.pop()
        line.finish()
    return [line for line in lines if line.last is not None]


def _attach_mark(mark: _Char, current: _Line | None, lines: list[_Line]) -> None:
    if current is None:
        return  # a mark before any base character: nothing to put it on
    centre = (mark.left + mark.right) / 2
    last = current.last
    if last is not None and last.left - 1 <= centre <= last.right + 1:
        current.chars.append(mark)
        return
    for line in reversed(lines[-3:]):
        for pos in range(len(line.chars) - 1, -1, -1):
            base = line.chars[pos]
            on_base = base.visible and not base.is_mark and base.left <= centre <= base.right
            if on_base and abs(base.y - mark.y) <= base.size:
                line.chars.insert(pos + 1, mark)
                return
    current.chars.append(mark)


# -- the document layout -------------------------------------------------------------------


@dataclass(frozen=True)
class _Layout:
    left: float
    right: float
    pitch: float
    space: float
    top: float | None  # y of the highest first line over the pages (None: one page)
    bottom: float = 0.0  # y of the lowest last line over the pages


def _layout(pages: list[list[_Line]], page_width: float) -> _Layout:
    lines = [line for page in pages for line in page]
    lefts = Counter(round(line.left) for line in lines)
    # the margin: the leftmost start shared by a few lines (a table's columns may hold
    # more lines than the margin does; a single stray line further left does not count)
    enough = min(max(2, len(lines) // 100), max(lefts.values()))
    margin = min(value for value, n in lefts.items() if n >= enough)
    left = statistics.median(line.left for line in lines if abs(round(line.left) - margin) <= 1)
    # With no line reaching the right margin, assume it mirrors the left one.
    right = max(max(line.right for line in lines), page_width - left)
    gaps = Counter(
        round(a.y - b.y, 1) for page in pages for a, b in itertools.pairwise(page)
        if a.y - b.y > 0.5 * a.height
    )  # fmt: skip
    height = statistics.median(line.height for line in lines)
    pitch = _mode_cluster(gaps) or 1.2 * height
    spaces = [
        c.right - c.left for line in lines for c in line.chars if c.ch == " " and not c.generated
    ]
    space = statistics.median(spaces) if spaces else 0.3 * height
    tops = [page[0].y for page in pages if page]
    top = max(tops) if len(tops) >= 2 else None
    bottom = _bottom([page[-1].y for page in pages if page])
    return _Layout(
        left=left, right=right, pitch=pitch, space=max(space, 1.0), top=top, bottom=bottom
    )


def _bottom(lasts: list[float]) -> float:
    """The baseline of a full page's last line: the lowest one that two pages share (a
    stray line below the text on one page does not count), else the lowest."""
    shared = Counter(round(y) for y in lasts)
    low = [y for y in lasts if sum(shared[round(y) + d] for d in (-1, 0, 1)) >= 2]
    return min(low or lasts)


def _mode_cluster(gaps: Counter[float]) -> float | None:
    """The line pitch: the smallest gap that recurs (gaps are whole multiples of it)."""
    if not gaps:
        return None
    total = sum(gaps.values())
    for gap in sorted(gaps):
        near = [(g, n) for g, n in gaps.items() if abs(g - gap) <= 0.5]
        support = sum(n for _, n in near)
        if support >= max(2, 0.05 * total) or support == total:
            return sum(g * n for g, n in near) / support
    return min(gaps)


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


# -- text of a line: tabs and spaces -------------------------------------------------------


def _line_text(line: _Line, layout: _Layout, leading: bool) -> str:
    if line.fixed_text is not None:
        return line.fixed_text
    out: list[str] = []
    if leading:
        stops = round((line.left - layout.left) / TAB_STOP)
        out.append("\t" * max(0, stops))
    previous: _Char | None = None
    pending: list[_Char] = []
    least_gap = 0.4 * layout.space  # a narrower gap with nothing drawn in it gives ""
    for char in line.chars:
        if not char.visible:
            pending.append(char)
            continue
        if char.is_mark or previous is None:
            # pdfium invents spaces around marks drawn off their advance: drop them
            if pending:
                real = [c for c in pending if not c.generated]
                out.extend([c.ch for c in real])
                if real and previous is not None:
                    previous = real[-1]  # a mark drawn on a space: measure on from the space
        elif pending or char.left - previous.right > least_gap:
            out.append(_gap_text(previous, char, pending, layout))
        if pending:
            pending = []
        out.append(char.ch)
        if not char.is_mark:
            previous = char
    out.extend(c.ch for c in pending)
    return "".join(out)


def _on_tab_stop(x: float, layout: _Layout) -> bool:
    stops = (x - layout.left) / TAB_STOP
    return round(stops) >= 1 and abs(stops - round(stops)) * TAB_STOP < 0.8


def _gap_text(previous: _Char, char: _Char, between: list[_Char], layout: _Layout) -> str:
    gap = char.left - previous.right
    real = [c for c in between if not c.generated]
    generated = any(c.generated for c in between)
    widest = layout.space * (1.5 if generated and not real else 3.0)
    if gap > widest or (not real and gap > 0.4 * layout.space and _on_tab_stop(char.left, layout)):
        stops = int((char.left - layout.left + 1) // TAB_STOP) - int(
            (previous.right - layout.left) // TAB_STOP
        )
        return "\t" * max(1, stops)
    if real:
        return "".join(c.ch for c in real)
    return " " if gap > (0.5 if generated else 0.8) * layout.space else ""


# -- wrapped lines ------------------------------------------------------------------------


_PROBED_LENGTH = 15  # words up to this long are found by probing the set, length by length


@cache
def _thai_words() -> tuple[frozenset[str], dict[str, tuple[int, ...]]]:
    """pythainlp's word list, and the lengths of its words longer than ``_PROBED_LENGTH``
    by their first two characters (longest first); loaded on the first join decision that
    needs it (about 0.014 s: indexing every word's length took as long again, and a
    pythainlp Trie 1 s to build).  Each process loads it once: see :func:`preload_word_list`."""
    words = frozenset(map(str.strip, _thai_word_lines()))
    if "" in words:  # not built twice when there is no blank line to drop
        words -= {""}
    lengths: dict[str, set[int]] = {}
    for word in itertools.compress(words, map(_PROBED_LENGTH.__lt__, map(len, words))):
        lengths.setdefault(word[:2], set()).add(len(word))
    return words, {key: tuple(sorted(found, reverse=True)) for key, found in lengths.items()}


def preload_word_list() -> None:
    """Load the word list now: a fork server that calls this once (about 0.015 s) spares
    every worker forked from it the load at its first PDF, and they share the memory."""
    _thai_words()


def _thai_word_lines() -> Iterable[str]:
    """The lines of pythainlp's word list, read from its file as ``thai_words`` reads it:
    importing pythainlp itself costs each worker process 0.04 s more than the reading."""
    spec = importlib.util.find_spec("pythainlp")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "corpus" / "words_th.txt"
        if path.is_file():
            return path.read_bytes().decode("utf-8-sig").splitlines()  # as read_text does
    from pythainlp.corpus import thai_words  # another layout: ask pythainlp

    return thai_words()


_NO_LINE_START = frozenset('ฯๆ)]}"”’,.:;!?%')


def _first_word_width(line: _Line, layout: _Layout) -> float:
    """Width of what the typesetter had to fit at the start of ``line``: leading
    punctuation, then up to the first space, or when Thai follows, the longest dictionary
    word (Thai breaks between words; LibreOffice segments by longest match)."""
    chars = [*_breakable(line, layout), _Char(" ", 0, 0, 0, 1)]
    start = next((i for i, c in enumerate(chars) if c.ch.isalnum() or c.ch in " \t"), 0)
    if _is_thai(chars[start].ch):
        end = start + max(1, _longest_word(chars[start:]))
        while end < len(chars) - 1 and chars[end].is_mark:
            end += 1  # no word found: the first letter with its marks
        # a Private Use Area glyph (a tone mark of an old font) is no Thai to the line
        # breaker: it glues the word before (and the letters between) to the one after
        while (pua := _pua_ahead(chars, end)) is not None:
            end = pua + 1
            found = _longest_word(chars[end:]) if _is_thai(chars[end].ch) else 0
            end += found
            while not found and end < len(chars) - 1 and _is_thai(chars[end].ch):
                end += 1  # no word after it: the rest of the Thai run
        while end < len(chars) - 1 and chars[end].ch in _NO_LINE_START:
            end += 1
        if chars[end].ch.isalnum() and not _is_thai(chars[end].ch):
            # no break between Thai and a number or Latin: on to the next space
            end = next(i for i in range(end, len(chars)) if chars[i].ch in " \t")
    else:
        end = next(i for i, c in enumerate(chars) if i >= max(start, 1) and c.ch in " \t")
    bases = [c for c in chars[:end] if c.visible and not c.is_mark] or chars[:1]
    return bases[-1].right - bases[0].left


def _pua_ahead(chars: list[_Char], pos: int) -> int | None:
    """Index of a Private Use Area glyph at ``pos`` or after up to 3 Thai characters."""
    for i in range(pos, min(pos + 4, len(chars) - 1)):
        if "\ue000" <= chars[i].ch <= "\uf8ff":
            return i
        if not _is_thai(chars[i].ch):
            return None
    return None


def _breakable(line: _Line, layout: _Layout) -> list[_Char]:
    """The visible characters at the start of ``line`` and the spaces it may break at: a space-wide
    gap with nothing drawn in it (pdfium makes up a space there) that does not end at a
    tab stop is a no-break space (LibreOffice draws no glyph for one): it is left out, so
    the words either side of it are one."""
    chars = line.chars[:_WORD_SCAN]
    drawn = " " in line.plain  # where no space is drawn, made-up spaces are plain ones
    return [
        char
        for i, char in enumerate(chars)
        if char.visible
        or (char.ch in " \t" and not (drawn and char.generated and _no_break(chars, i, layout)))
    ]


def _no_break(chars: list[_Char], i: int, layout: _Layout) -> bool:
    before = chars[i - 1] if i else chars[i]
    after = next((chars[k] for k in range(i + 1, len(chars)) if chars[k].visible), None)
    if after is None or not before.visible:
        return False
    gap = after.left - before.right
    return gap < 1.5 * layout.space and not _on_tab_stop(after.left, layout)


def _longest_word(chars: list[_Char]) -> int:
    """Characters in the longest dictionary word that starts ``chars`` (0: none)."""
    text = "".join([c.ch for c in chars[:60]])
    words, lengths = _thai_words()
    for n in lengths.get(text[:2], ()):  # the few long words, indexed
        if n <= len(text) and text[:n] in words:
            return n
    for n in range(min(len(text), _PROBED_LENGTH), 0, -1):
        if text[:n] in words:
            return n
    return 0


def _is_thai(ch: str) -> bool:
    """A Thai letter or mark; Thai digits count as digits (a space precedes a word)."""
    return len(ch) == 1 and "\u0e01" <= ch <= "\u0e5b" and not "\u0e50" <= ch <= "\u0e59"


_ITEM_START = re.compile(
    r"^\s*(?:[(\[]?[0-9๐-๙]+(?:\.[0-9๐-๙]+)*[.)\]](?![0-9๐-๙])"  # 1. 2.4 (6.1) 3)
    r"|(?P<date>[0-9๐-๙]{1,4}[/-][0-9๐-๙]{1,2}[/-][0-9๐-๙]{2,4}))"  # a dated entry: 31/8/2563
)


def _join(prev_text: str, prev: _Line, nxt_text: str) -> str:
    """Glue a wrapped line back; a space the typesetter swallowed at a non-Thai break
    (Latin and numbers break only at spaces or after a hyphen) is put back."""
    last, first = prev.plain[-1:], nxt_text[:1]
    if last in (" ", "-", "/", "\t") or first in (" ", "\t") or not first:
        return prev_text + nxt_text
    if _is_thai(last) and _is_thai(first):
        return prev_text + nxt_text
    return prev_text + " " + nxt_text


def _is_wrap(prev: _Line, nxt: _Line, layout: _Layout) -> bool:
    if prev.fixed_text is not None or nxt.fixed_text is not None:
        return False
    width = layout.right - layout.left
    if prev.right - layout.left < _JOIN_MIN_FILL * width or nxt.blanks_before:
        return False
    if nxt.left - layout.left > layout.space * 2:
        return False  # an indented line starts a paragraph or a table row
    if nxt.page != prev.page and prev.y - layout.bottom > 0.5 * layout.pitch:
        return False  # the page was not full: a blank line or a page break ended it
    room = layout.right - prev.right
    if not (_is_thai(prev.plain[-1:]) and _is_thai(nxt.plain[:1])):
        room -= layout.space  # Latin and numbers break at a space (often not drawn)
    slack = _WRAP_SLACK * layout.space
    item = _ITEM_START.match(nxt.plain)
    if (
        item
        and room > 2 * layout.space
        and (item["date"] or _prefix_width(nxt, item.end()) <= room - slack)
    ):
        # a dated entry starts its own line; so does a numbered item whose number could
        # have fitted (items run on in a paragraph: "... 85,018 ราย 7. วันหยุด...")
        return False
    # LibreOffice wraps words that the glyph boxes say would just have fitted (by up to
    # 1.4 spaces in PDFs of the generated exports, where lines that ended a paragraph
    # left from 1.5 spaces): within one space, a word that fits was still wrapped
    return _first_word_width(nxt, layout) > room - slack


def _prefix_width(line: _Line, count: int) -> float:
    """Width of the first ``count`` characters of ``line.plain``."""
    chars = [c for c in line.chars if not c.generated][:count]
    bases = [c for c in chars if c.visible and not c.is_mark]
    return bases[-1].right - bases[0].left if bases else 0.0


# -- table rows -------------------------------------------------------------------------
# A table cell's text is drawn cell by cell: its lines go down, then the next cell's lines
# start back up at the row's first baseline, further right.  Such a "move up" to the
# baseline of an earlier line left of it marks a new cell of that line's row; the row is
# rebuilt as one line, cells joined by tabs and each cell's wrapped lines joined.


@dataclass
class _Row:
    cells: list[int]  # index of the first line of each cell
    end: int = 0  # index after the row's last line


def _find_rows(page: list[_Line], pitch: float) -> list[_Row]:
    rows: list[_Row] = []
    for j in range(1, len(page)):
        line, above = page[j], page[j - 1]
        if line.y < above.y - 0.3 * line.height:
            continue  # going down: the same cell, or text below the row
        tolerance = 0.3 * line.height
        anchor = next(
            (i for i in range(j - 1, -1, -1)
             if abs(page[i].y - line.y) < tolerance and page[i].left < line.left - 1),
            None,
        )  # fmt: skip
        if anchor is None:
            continue
        top = page[rows[-1].cells[0]] if rows else None
        if top is not None and anchor >= rows[-1].cells[0] and abs(top.y - line.y) < tolerance:
            rows[-1].cells.append(j)  # another cell of the same row
        elif not rows or anchor >= rows[-1].cells[-1]:
            rows.append(_Row(cells=[anchor, j]))
    for number, row in enumerate(rows):
        limit = rows[number + 1].cells[0] if number + 1 < len(rows) else len(page)
        last = row.cells[-1]
        end = last + 1
        # a gap wider than a line pitch is the cell padding and rule of the next row
        # (one whose earlier cells are empty), not the cell's next line
        while (
            end < limit
            and page[end - 1].y - 1.1 * pitch < page[end].y < page[end - 1].y
            and abs(page[end].left - page[last].left) < 2
        ):
            end += 1
        row.end = end
    return rows


def _column_lefts(pages: list[list[_Line]], rows: list[list[_Row]]) -> list[float]:
    """Left edges of the table columns: where the cells of the rows found start."""
    lefts: list[float] = []
    for page, found in zip(pages, rows, strict=True):
        for row in found:
            for index in row.cells:
                if all(abs(page[index].left - left) > 2 for left in lefts):
                    lefts.append(page[index].left)
    return sorted(lefts)


def _merge_table_rows(
    page: list[_Line], rows: list[_Row], columns: list[float], layout: _Layout
) -> list[_Line]:
    if not page or not page[0].ruled:
        return page
    out: list[_Line] = []
    pos = 0
    for row in [*rows, _Row(cells=[len(page)], end=len(page))]:
        out.extend(_cell_runs(page[pos : row.cells[0]], columns, layout))
        if row.cells[0] == len(page):
            break
        bounds = [*row.cells, row.end]
        cells = [page[a:b] for a, b in itertools.pairwise(bounds)]
        merged = page[row.cells[0]]
        merged.fixed_text = _row_text(cells, columns, layout)
        merged.y_end = min(line.y for cell in cells for line in cell)
        out.append(merged)
        pos = row.end
    return out


def _column_of(left: float, columns: list[float]) -> int | None:
    return next((i for i, x in enumerate(columns) if abs(x - left) <= 2), None)


def _row_text(cells: list[list[_Line]], columns: list[float], layout: _Layout) -> str:
    """Cells joined by tabs, one tab per column crossed, so empty cells keep their place."""
    out: list[str] = []
    column = 0
    for number, cell in enumerate(cells):
        index = _column_of(cell[0].left, columns)
        target = (
            column + (1 if number else 0) if index is None else max(index, column + bool(number))
        )
        out.append("\t" * (target - column) + _cell_text(cell, layout))
        column = target
    return "".join(out)


def _cell_runs(lines: list[_Line], columns: list[float], layout: _Layout) -> list[_Line]:
    """Lines outside a row that run down one table column (a row continued from the
    previous page) become one line with a tab for each column before theirs.  Text of the
    first column counts only when indented from the margin by the cell's padding."""
    out: list[_Line] = []
    pos = 0
    while pos < len(lines):
        first = lines[pos]
        column = _column_of(first.left, columns)
        in_cell = column is not None and (column > 0 or first.left - layout.left > 1)
        end = pos + 1
        while (
            in_cell
            and end < len(lines)
            and lines[end].y < lines[end - 1].y
            and abs(lines[end].left - first.left) <= 2
        ):
            end += 1
        if in_cell:
            first.fixed_text = "\t" * (column or 0) + _cell_text(lines[pos:end], layout)
            first.y_end = lines[end - 1].y
            first.cell_run = True
        out.append(first)
        pos = end
    return out


def _stitch_rows_across_pages(pages: list[list[_Line]], layout: _Layout) -> None:
    """Join a table row split by a page break: a ruled page that starts with the text of
    one column outside any row, or with a row at the very top of the page after a row
    that filled the page before (no further line of it would fit), continues that row cell
    by cell.  Only cells the row had text in continue, and a row repeating the table's
    heading row (LibreOffice repeats it on each page) starts afresh."""
    ends = [page[-1].y if page[-1].y_end is None else page[-1].y_end for page in pages if page]
    bottom = min(ends, default=0.0)
    heading = next((line.fixed_text for page in pages for line in page if line.fixed_text), None)
    before: _Line | None = None  # the last line so far, across pages the stitching emptied
    for page in pages:
        if not page:
            before = None
            continue
        first = page[0]
        if before is not None and before.fixed_text and first.fixed_text:
            split_row = (
                first.ruled
                and first.fixed_text != heading
                and layout.top is not None
                and abs(first.y - layout.top) < 0.5 * layout.pitch
                and before.y_end is not None
                and before.y_end - bottom < layout.pitch
            )
            if (first.cell_run or split_row) and _continues(before.fixed_text, first.fixed_text):
                before.fixed_text = _merge_cells(before.fixed_text, first.fixed_text)
                before.y_end = first.y_end
                page.pop(0)
        before = page[-1] if page else before


def _continues(row: str, more: str) -> bool:
    """Every cell ``more`` has text in is one ``row`` has text in too."""
    cells = row.split("\t")
    return all(
        not extra or (index < len(cells) and cells[index])
        for index, extra in enumerate(more.split("\t"))
    )


def _merge_cells(row: str, more: str) -> str:
    cells = row.split("\t")
    for index, extra in enumerate(more.split("\t")):
        if not extra:
            continue
        cells.extend([""] * (index + 1 - len(cells)))
        glue = "" if _is_thai(cells[index][-1:]) and _is_thai(extra[:1]) else " "
        cells[index] = (cells[index] + glue + extra).strip(" ")
    return "\t".join(cells)


def _cell_text(lines: list[_Line], layout: _Layout) -> str:
    text = ""
    previous: _Line | None = None
    for line in lines:
        part = _line_text(line, layout, leading=False)
        text = part if previous is None else _join(text, previous, part)
        previous = line
    return text


# -- putting it together -------------------------------------------------------------------


def _assemble(pages: list[list[_Line]], page_width: float) -> PdfText:
    pages = _drop_running_lines(pages)
    if not any(pages):
        return PdfText(text="\n", line_pages=(1,), anomalies=(), page_count=len(pages))
    layout = _layout(pages, page_width)
    rows = [_find_rows(page, layout.pitch) if page and page[0].ruled else [] for page in pages]
    columns = _column_lefts(pages, rows)
    pages = [
        _merge_table_rows(page, found, columns, layout)
        for page, found in zip(pages, rows, strict=True)
    ]
    _count_blanks(pages, layout)
    _stitch_rows_across_pages(pages, layout)
    texts: list[str] = []
    line_pages: list[int] = []
    previous: _Line | None = None
    for line in (line for page in pages for line in page):
        if previous is not None and _is_wrap(previous, line, layout):
            texts[-1] = _join(texts[-1], previous, _line_text(line, layout, leading=False))
        else:
            texts.extend([""] * line.blanks_before)
            line_pages.extend([line.page] * line.blanks_before)
            texts.append(_line_text(line, layout, leading=True))
            line_pages.append(line.page)
        previous = line
    anomalies = _garbled_pages(texts, line_pages)
    return PdfText(
        text="\n".join(texts) + "\n",
        line_pages=tuple(line_pages),
        anomalies=anomalies,
        page_count=len(pages),
    )


def _count_blanks(pages: list[list[_Line]], layout: _Layout) -> None:
    for page in pages:
        if not page:
            continue
        if layout.top is not None:
            page[0].blanks_before = max(0, round((layout.top - page[0].y) / layout.pitch))
        for above, below in itertools.pairwise(page):
            bottom = above.y if above.y_end is None else above.y_end
            below.blanks_before = max(0, round((bottom - below.y) / layout.pitch) - 1)


# -- garbled pages ------------------------------------------------------------------------

_PUA = re.compile(r"[\ue000-\uf8ff]")
_SPLIT_MARK = re.compile(r"[\u0e01-\u0e2e] [\u0e31\u0e34-\u0e3a\u0e47-\u0e4e\u0e30\u0e32\u0e33]")
_THAI = re.compile(r"[\u0e01-\u0e5b]")


def garbled_reason(text: str) -> str | None:
    """Why ``text`` (already repaired) still reads as garbage, or None."""
    if "(cid:" in text:
        return "glyphs without Unicode, shown as (cid:N)"
    if _PUA.search(text):
        return f"{len(_PUA.findall(text))} Private Use Area characters"
    split = len(_SPLIT_MARK.findall(text))
    if not split:
        return None
    thai = len(text) - len(_THAI.sub("", text))  # counted without a string per letter
    if thai >= 50 and split / thai > 0.02:
        return f"{split} Thai vowels or marks cut off from their consonant by a space"
    return None


def _garbled_pages(texts: list[str], line_pages: list[int]) -> tuple[Anomaly, ...]:
    by_page: dict[int, list[tuple[int, str]]] = {}
    for no, (text, page) in enumerate(zip(texts, line_pages, strict=True), 1):
        by_page.setdefault(page, []).append((no, text))
    found = []
    for page, lines in sorted(by_page.items()):
        reason = garbled_reason(repair_text("\n".join(text for _, text in lines)))
        if reason:
            found.append(
                Anomaly(
                    rule="garbled_page",
                    severity="warning",
                    message=f"Page {page} is still garbled after repair ({reason}); "
                    "facts read from it may be wrong.",
                    line_no=lines[0][0],
                    page=page,
                )
            )
    return tuple(found)
