"""PDFs written by pdfium (through pypdfium2) with text objects at given places."""

from __future__ import annotations

import ctypes
import io
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

Item = tuple[float, float, str]  # x, y (baseline, from the bottom), text


def make_pdf(pages: list[list[Item]], size: float = 12, font: Path | None = None) -> bytes:
    """A PDF with text objects at the given places, in Helvetica or the TrueType ``font``."""
    pdf = pdfium.PdfDocument.new()
    loaded = None
    if font is not None:
        data = font.read_bytes()
        buffer = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
        loaded = pdfium_c.FPDFText_LoadFont(
            pdf.raw, buffer, len(data), pdfium_c.FPDF_FONT_TRUETYPE, True
        )
    for items in pages:
        page = pdf.new_page(595, 842)
        for x, y, text in items:
            if loaded is None:
                obj = pdfium_c.FPDFPageObj_NewTextObj(pdf.raw, b"Helvetica", size)
            else:
                obj = pdfium_c.FPDFPageObj_CreateTextObj(pdf.raw, loaded, size)
            chars = ctypes.create_string_buffer((text + "\0").encode("utf-16-le"))
            pdfium_c.FPDFText_SetText(obj, ctypes.cast(chars, ctypes.POINTER(pdfium_c.FPDF_WCHAR)))
            pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, y)
            pdfium_c.FPDFPage_InsertObject(page.raw, obj)
        pdfium_c.FPDFPage_GenerateContent(page.raw)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()
