"""Opening the PDF, reading its pages and putting the text together."""

from __future__ import annotations

import gc
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ingest.extract.pdf.browser import breaks_thai_words, drop_clipped, is_browser_print
from ingest.extract.pdf.cells import (
    page_shapes,
    place_checkboxes,
    rows_from_boxes,
    show_checkboxes,
)
from ingest.extract.pdf.chars import (
    _count_objects,
    _get_object,
    _object_type,
    page_chars_and_fonts,
)
from ingest.extract.pdf.clip import on_page
from ingest.extract.pdf.fonts import font_kinds, symbol_bullets
from ingest.extract.pdf.garbled import PageVerdict, garbled_anomalies, page_verdicts
from ingest.extract.pdf.lines import _cut_at_gaps, _group_lines, _Layout, _layout, _Line
from ingest.extract.pdf.running import _drop_running_lines
from ingest.extract.pdf.sara_am import SaraAm
from ingest.extract.pdf.stacked import join_stacked
from ingest.extract.pdf.tables import (
    _cell_text,
    _column_lefts,
    _find_rows,
    _merge_table_rows,
    _stitch_rows_across_pages,
)
from ingest.extract.pdf.words import _line_text
from ingest.extract.pdf.wraps import _is_wrap, _join
from parsers.errors import PdfError
from parsers.model import Anomaly


class NoTextLayerError(PdfError):
    """The PDF has no text at all: a scan (``ingest.extract.scan`` reads it by OCR)."""


class GarbledTextLayerError(PdfError):
    """Every page with text reads as garbage (a broken ToUnicode): OCR reads it instead."""


NO_TEXT_PROBE_PAGES = 50  # give up on a text layer after this many empty pages
MAX_PAGES = 20_000
_RULED_PAGE_PATHS = 4  # path objects (cell borders) that make a page a table page


@dataclass(frozen=True)
class PdfText:
    text: str
    line_pages: tuple[int, ...]
    anomalies: tuple[Anomaly, ...]
    page_count: int
    garbled_pages: tuple[int, ...] = ()  # pages whose text layer is garbage: OCR them
    empty_pages: tuple[int, ...] = ()  # pages with no text at all (scanned in a text PDF)
    verdicts: tuple[PageVerdict, ...] = ()  # the measures behind garbled_pages


# -- opening and reading pages -------------------------------------------------------------


def extract_pdf(data: bytes, name: str) -> PdfText:
    """Text of the PDF ``data`` (file ``name``); raise ``PdfError`` with the reason."""
    with _gc_paused():
        doc = _open(data, name)
        try:
            width = _page_width(doc, name)
            browser = is_browser_print(doc)
            thai_breaks = breaks_thai_words(doc)
            pages, fonts = _read_pages(doc, name, browser)
            if browser:
                pages = drop_clipped(pages)
        finally:
            doc.close()
        text = _assemble(pages, width, fonts, tab_stops=not browser, thai_breaks=thai_breaks)
        _refuse_garbage(text, name)
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


def _read_pages(
    doc: pdfium.PdfDocument, name: str, browser: bool = False
) -> tuple[list[list[_Line]], dict[int, str]]:
    """Lines of each page, and the text each page draws in Thai fonts.  On a page drawn
    with rules (a table) lines are cut at tab-wide gaps, so each table cell is a line of
    its own for :func:`_merge_table_rows`."""
    pages: list[list[_Line]] = []
    fonts: dict[int, str] = {}
    kinds = font_kinds()  # font handle -> Thai font, over the document's pages
    sara_am = SaraAm()  # the fonts' ำ and า, over the document's pages
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
            # a browser's table cells are boxes around their text (see ``cells``)
            boxes, ticks = page_shapes(page) if browser else ([], [])
            ruled = not browser and _path_count(page) >= _RULED_PAGE_PATHS
            textpage = pdfium_c.FPDFText_LoadPage(page)
            if not textpage:
                raise pdfium.PdfiumError("Failed to load text page.")
            try:
                chars, fonts[index + 1] = page_chars_and_fonts(
                    textpage, page, browser, kinds, sara_am
                )
                chars = place_checkboxes(on_page(chars, page), ticks)
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
        lines = rows_from_boxes(join_stacked(_group_lines(chars, index + 1)), boxes)
        if ruled:
            lines = [cut for line in lines for cut in _cut_at_gaps(line)]
            for line in lines:
                line.ruled = True
        pages.append(lines)
    if not seen_text:
        raise NoTextLayerError("The PDF has no text layer (scanned PDF); it needs OCR.", path=name)
    if sara_am.finish():  # lines read before the document's last page: their text is stale
        for line in (line for page in pages for line in page):
            line.plain_cache = None
    return pages, fonts


def _path_count(raw: Any) -> int:
    """Path objects on the page of handle ``raw``."""
    count = _count_objects(raw)
    objects = map(_get_object, itertools.repeat(raw, count), range(count))
    return list(map(_object_type, objects)).count(pdfium_c.FPDF_PAGEOBJ_PATH)


# -- putting it together -------------------------------------------------------------------


def _assemble(
    pages: list[list[_Line]],
    page_width: float,
    fonts: dict[int, str],
    tab_stops: bool = True,
    thai_breaks: bool = True,
) -> PdfText:
    empty = tuple(n for n, page in enumerate(pages, 1) if not page)
    pages = _drop_running_lines(pages)
    if not any(pages):
        return PdfText(
            text="\n", line_pages=(1,), anomalies=(), page_count=len(pages), empty_pages=empty
        )
    layout = _layout(pages, page_width, tab_stops, thai_breaks)
    rows = [_find_rows(page, layout.pitch) if page and page[0].ruled else [] for page in pages]
    columns = _column_lefts(pages, rows)
    pages = [
        _merge_table_rows(page, found, columns, layout)
        for page, found in zip(pages, rows, strict=True)
    ]
    for page in pages:
        for line in page:
            if line.cells is not None:
                line.fixed_text = "\t".join(_cell_text(cell, layout) for cell in line.cells)
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
    verdicts, first_line = page_verdicts(texts, line_pages, fonts)
    return PdfText(
        text=symbol_bullets(show_checkboxes("\n".join(texts) + "\n")),
        line_pages=tuple(line_pages),
        anomalies=garbled_anomalies(verdicts, first_line),
        page_count=len(pages),
        garbled_pages=tuple(v.page for v in verdicts if v.reason),
        empty_pages=empty,
        verdicts=tuple(verdicts),
    )


def _refuse_garbage(text: PdfText, name: str) -> None:
    """Raise ``PdfError`` when no page with text reads as text (its Thai no words, or
    its Thai fonts drawing ASCII symbols): such a text layer (TCPDF's broken fonts) is
    never loaded as text.  Pages only damaged ("(cid:N)", cut-off marks) still load."""
    if not text.verdicts or not all(v.unreadable for v in text.verdicts):
        return
    first = text.verdicts[0]
    raise GarbledTextLayerError(
        f"The PDF's text layer is garbage on all {len(text.verdicts)} pages with text "
        f"(page {first.page}: {first.reason}); it needs OCR.",
        path=name,
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
