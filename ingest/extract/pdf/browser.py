"""Browser prints (the web systems' print button: Chromium's Skia/PDF).

A browser lays text out by HTML: there is no tab grid, so no gap is read as a tab stop
(see ``_Layout.tab_stops``).  It paints the page's content into a clip of the page less its
margins, and a line the page break cut may leave a cluster or two drawn below the clip,
invisible but in the text layer: text below the bottom margin that is not the running
footer (an artifact, dropped before) is dropped here.  The margins are the same on all
four sides (Chromium's default and any ``@page { margin }``); the content's left edge lies
at the margin plus the body's padding, so a baseline lower than the left edge less that
padding lies in the margin.
"""

from __future__ import annotations

import ctypes

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ingest.extract.pdf.lines import _Line

_BODY_PADDING = 6.0  # pt: the default 8 px padding of an HTML body


def is_browser_print(doc: pdfium.PdfDocument) -> bool:
    """Printed by a web browser (Chromium's Skia, or a Chrome-like creator)."""
    producer, creator = (_meta_text(doc, key) for key in ("Producer", "Creator"))
    if producer.startswith("Skia/PDF") or "Chrom" in creator or "Mozilla" in creator:
        return True
    # HTML renderers web systems call to "Save as PDF": wkhtmltopdf (QtWebKit), dompdf
    return creator.startswith("wkhtmltopdf") or producer.startswith("dompdf")


def breaks_thai_words(doc: pdfium.PdfDocument) -> bool:
    """Whether the producer breaks lines between Thai words; dompdf breaks only at spaces,
    so a Thai run too long for the line's end moves to the next line whole."""
    return not _meta_text(doc, "Producer").startswith("dompdf")


def _meta_text(doc: pdfium.PdfDocument, key: str) -> str:
    size = pdfium_c.FPDF_GetMetaText(doc.raw, key.encode(), None, 0)
    if size <= 2:
        return ""
    buffer = ctypes.create_string_buffer(size)
    pdfium_c.FPDF_GetMetaText(doc.raw, key.encode(), buffer, size)
    return buffer.raw[: size - 2].decode("utf-16-le", "replace")


def drop_clipped(pages: list[list[_Line]]) -> list[list[_Line]]:
    """``pages`` without the lines drawn in the bottom margin (cut off by the clip)."""
    lefts = [line.left for page in pages for line in page]
    if not lefts:
        return pages
    floor = min(lefts) - _BODY_PADDING
    return [[line for line in page if line.y >= floor] for page in pages]
