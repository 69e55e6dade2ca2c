"""Bytes of one file -> decoded text (the edge where encodings, PDFs and HTML live).

The format-specific work lives in ``decode`` (text encodings), ``pdf`` and ``html``.  What a
file is comes from its content first (``%PDF``), then its name (.html/.htm; a .txt file is
never taken for a saved page, since kr_sheet exports carry HTML fragments as text).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ingest.extract.decode import Decoded, decode_bytes
from ingest.extract.html import declared_charset, html_to_text, looks_like_html
from ingest.extract.pdf import extract_pdf
from parsers.errors import DecodeError, InputError
from parsers.model import Anomaly

MediaType = Literal["text", "pdf", "html"]


@dataclass(frozen=True)
class Extracted:
    text: str  # newlines are "\n"; one line of text is one line_no
    encoding: str  # what decoded it: 'utf-8', 'utf-8-sig', 'utf-16-le', 'cp874', 'pdf', ...
    media_type: MediaType
    line_pages: tuple[int, ...] | None = None  # PDF page of each line, else None
    anomalies: tuple[Anomaly, ...] = ()
    page_count: int | None = None  # pages of a PDF
    garbled_pages: tuple[int, ...] = ()  # PDF pages whose text layer is garbage (to OCR)
    empty_pages: tuple[int, ...] = ()  # PDF pages with no text at all (to OCR)


def is_pdf(data: bytes, name: str) -> bool:
    """PDF by name or content (readers accept the header after up to 1 KB of junk, but a
    text export that merely mentions "%PDF-" stays text)."""
    lower = name.lower()
    if lower.endswith(".pdf") or data.startswith(b"%PDF-"):
        return True
    return b"%PDF-" in data[:1024] and not lower.endswith((".txt", ".htm", ".html"))


def extract(data: bytes, name: str, *, encoding: str | None = None) -> Extracted:
    """Decode ``data`` (the bytes of the file called ``name``) into text.

    ``encoding`` forces the text encoding (ignored for PDFs).  Raises an
    ``InputError`` subclass naming ``name`` when it cannot.
    """
    if not data:
        raise InputError("The file is empty.", path=name)
    if is_pdf(data, name):
        pdf = extract_pdf(data, name)
        return Extracted(
            text=pdf.text,
            encoding="pdf",
            media_type="pdf",
            line_pages=pdf.line_pages,
            anomalies=pdf.anomalies,
            page_count=pdf.page_count,
            garbled_pages=pdf.garbled_pages,
            empty_pages=pdf.empty_pages,
        )
    if looks_like_html(data, name):
        decoded = _decode_html(data, name, encoding)
        return Extracted(
            text=html_to_text(decoded.text), encoding=decoded.encoding, media_type="html"
        )
    decoded = decode_bytes(data, name, encoding=encoding)
    return Extracted(
        text=decoded.text,
        encoding=decoded.encoding,
        media_type="text",
        anomalies=_cut_char_anomaly(decoded),
    )


def _cut_char_anomaly(decoded: Decoded) -> tuple[Anomaly, ...]:
    if not decoded.cut_bytes:
        return ()
    return (
        Anomaly(
            rule="cut_character",
            severity="warning",
            message=(
                f"The file ends inside a character ({decoded.cut_bytes} stray "
                f"{decoded.encoding} bytes dropped): the capture was cut short."
            ),
            line_no=decoded.text.count("\n") + 1,
        ),
    )


def _decode_html(data: bytes, name: str, encoding: str | None) -> Decoded:
    if encoding is None and (charset := declared_charset(data)):
        charset = {"tis-620": "cp874", "windows-874": "cp874", "x-windows-874": "cp874"}.get(
            charset, charset
        )
        try:
            return decode_bytes(data, name, encoding=charset)
        except DecodeError:
            pass  # the declaration lies (it often does): fall back to detection
    return decode_bytes(data, name, encoding=encoding)
