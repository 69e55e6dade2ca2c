"""Bytes of one file -> decoded text (the edge where encodings, PDFs and HTML live).

The format-specific work lives in ``decode`` (text encodings), ``pdf``, ``html``, ``office``
(Word, Excel, OpenDocument) and ``scan``/``ocr`` (scanned pages).  What a file is comes from
its content first (``%PDF``, an image's signature), then its name (.docx, .xlsx, .html, ...;
a .txt file is never taken for a saved page, since kr_sheet exports carry HTML fragments as
text).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from ingest.extract.decode import Decoded, decode_bytes
from ingest.extract.delimited import csv_to_lines
from ingest.extract.html import declared_charset, html_to_text, looks_like_html
from ingest.extract.mhtml import html_part, is_mhtml
from ingest.extract.ocr import OcrSettings
from ingest.extract.office import OfficeText, extract_office, office_kind
from ingest.extract.office_images import needs_pictures, pictures
from ingest.extract.sniff import what_it_holds
from parsers.anomalies import anomaly
from parsers.errors import DecodeError, InputError
from parsers.model import Anomaly

MediaType = Literal[
    "text",
    "csv",
    "pdf",
    "html",
    "image",
    "docx",
    "xlsx",
    "xls",
    "odt",
    "ods",
    "doc",
    "pptx",
    "odp",
    "ppt",
    "rtf",
]
TextSource = Literal["text", "ocr", "mixed"]
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"GIF8")
_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".gif", ".webp")
_TEXT_SUFFIXES = (".txt", ".text", ".csv", ".tsv", ".htm", ".html", ".xhtml")
NO_OCR = OcrSettings(enabled=False)
WITH_OCR = OcrSettings()


@dataclass(frozen=True)
class Extracted:
    text: str  # newlines are "\n"; one line of text is one line_no
    encoding: str  # what decoded it: 'utf-8', 'utf-8-sig', 'utf-16-le', 'cp874', 'pdf', ...
    media_type: MediaType
    line_pages: tuple[int, ...] | None = None  # PDF page of each line, else None
    anomalies: tuple[Anomaly, ...] = ()
    page_count: int | None = None  # pages of a PDF or an image
    garbled_pages: tuple[int, ...] = ()  # PDF pages whose text layer is garbage (to OCR)
    empty_pages: tuple[int, ...] = ()  # PDF pages with no text at all (to OCR)
    text_source: TextSource = "text"  # 'ocr': every line read by OCR; 'mixed': some
    line_confidence: tuple[float | None, ...] | None = None  # OCR confidence per line


def is_image(data: bytes, name: str) -> bool:
    """A scanned page: PNG, JPEG or TIFF by name, or by signature unless named as text."""
    lower = name.lower()
    if lower.endswith(_IMAGE_SUFFIXES):
        return True
    webp = data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    bmp = data[:2] == b"BM" and data[6:10] == b"\0\0\0\0"  # reserved: never text
    signed = data.startswith(_IMAGE_MAGIC) or webp or bmp
    return signed and not lower.endswith(_TEXT_SUFFIXES)


def is_pdf(data: bytes, name: str) -> bool:
    """PDF by name or content (readers accept the header after up to 1 KB of junk, but a
    text export that merely mentions "%PDF-" stays text)."""
    lower = name.lower()
    if lower.endswith(".pdf") or data.startswith(b"%PDF-"):
        return True
    return b"%PDF-" in data[:1024] and not lower.endswith((".txt", ".htm", ".html"))


def extract(
    data: bytes, name: str, *, encoding: str | None = None, ocr: OcrSettings = WITH_OCR
) -> Extracted:
    """Decode ``data`` (the bytes of the file called ``name``) into text.

    ``encoding`` forces the text encoding (ignored for PDFs, images and office files);
    ``ocr`` says whether and how scanned pages are read.  Raises an ``InputError``
    subclass naming ``name`` when it cannot.
    """
    if not data:
        raise InputError("The file is empty.", path=name)
    if is_pdf(data, name) or is_image(data, name):
        return _scanned_or_pdf(data, name, ocr)
    if is_mhtml(data, name):
        return _web_archive(data, name, encoding)
    if named := office_kind(name):
        return _office(data, name, named, encoding, ocr)
    if looks_like_html(data, name):
        return _page(data, name, encoding)
    return _text(data, name, encoding)


def _page(data: bytes, name: str, encoding: str | None) -> Extracted:
    decoded = _decode_html(data, name, encoding)
    return Extracted(text=html_to_text(decoded.text), encoding=decoded.encoding, media_type="html")


def _web_archive(data: bytes, name: str, encoding: str | None) -> Extracted:
    page = html_part(data)
    if page is None:
        raise InputError("The MIME web archive holds no HTML page (text/html part).", path=name)
    got = _page(page, name, encoding)
    if name.lower().endswith((".mht", ".mhtml")):
        return got
    named = name.lower().rsplit(".", 1)[-1] if "." in name else "?"
    note = anomaly("misnamed_file", None, named=named, held="a MIME web archive (.mht)")
    return replace(got, anomalies=(note, *got.anomalies))


def _text(data: bytes, name: str, encoding: str | None) -> Extracted:
    decoded = decode_bytes(data, name, encoding=encoding)
    rows = csv_to_lines(decoded.text) if name.lower().endswith(".csv") else None
    return Extracted(
        text=decoded.text if rows is None else rows,
        encoding=decoded.encoding,
        media_type="text" if rows is None else "csv",
        anomalies=_cut_char_anomaly(decoded),
    )


_HELD = {
    "html": "an HTML page",
    "text": "text",
    "rtf": "Rich Text (RTF)",
    "spreadsheetml": "an Excel 2003 XML spreadsheet",
}


def _office(
    data: bytes, name: str, named: str, encoding: str | None, ocr: OcrSettings
) -> Extracted:
    """An office-named file, read as what its content holds (:mod:`ingest.extract.sniff`):
    web systems' "Export to Excel" writes HTML or text and names it .xls."""
    held, kind = what_it_holds(data, named)
    if held == "encrypted":
        raise InputError(
            f"The .{named} file is protected by a password (encrypted); save it without "
            "the password (File > Info > Protect) to load it.",
            path=name,
        )
    note: tuple[Anomaly, ...] = ()
    if kind != named or held in ("html", "text", "spreadsheetml"):
        what = _HELD.get(held, f"a .{kind} file")
        note = (anomaly("misnamed_file", None, named=named, held=what),)
    if held in ("html", "text"):
        got = _page(data, name, encoding) if held == "html" else _text(data, name, encoding)
        return replace(got, anomalies=note + got.anomalies)
    office = extract_office(data, name, "xmlss" if held == "spreadsheetml" else kind)
    if ocr.enabled and needs_pictures(office.text):
        return replace(_office_with_pictures(data, name, office, ocr), anomalies=note)
    return Extracted(
        text=office.text,
        encoding=office.media_type,
        media_type=office.media_type,  # type: ignore[arg-type]
        line_pages=office.line_pages,
        anomalies=note,
    )


def _office_with_pictures(
    data: bytes, name: str, office: OfficeText, ocr: OcrSettings
) -> Extracted:
    """A Word/OpenDocument text with (almost) no text: its pictures are read by OCR, after
    the few lines it has; a picture stands in for a page."""
    from ingest.extract.scan import read_pictures

    kind = office.media_type
    images = pictures(data, kind)
    got = read_pictures(images, name, ocr) if images else None
    if got is None or got.text_source != "ocr":
        return Extracted(office.text, kind, kind, office.line_pages)  # type: ignore[arg-type]
    own = office.text.rstrip("\n").split("\n") if office.text.strip() else []
    return Extracted(
        text="\n".join(own) + ("\n" if own else "") + got.text,
        encoding=kind,
        media_type=kind,  # type: ignore[arg-type]
        line_pages=(1,) * len(own) + got.line_pages,
        anomalies=got.anomalies,
        page_count=got.page_count,
        text_source="mixed" if own else "ocr",
        line_confidence=(None,) * len(own) + (got.confidence or ()),
    )


def _scanned_or_pdf(data: bytes, name: str, ocr: OcrSettings) -> Extracted:
    from ingest.extract.scan import read_image, read_pdf

    pdf = is_pdf(data, name)
    got = read_pdf(data, name, ocr) if pdf else read_image(data, name, ocr)
    return Extracted(
        text=got.text,
        encoding="pdf" if pdf else "ocr",
        media_type="pdf" if pdf else "image",
        line_pages=got.line_pages,
        anomalies=got.anomalies,
        page_count=got.page_count,
        text_source=got.text_source,  # type: ignore[arg-type]
        line_confidence=got.confidence,
    )


def _cut_char_anomaly(decoded: Decoded) -> tuple[Anomaly, ...]:
    if decoded.cp874_lines:
        return (_mixed_anomaly(decoded.cp874_lines),)
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


def _mixed_anomaly(lines: tuple[int, ...]) -> Anomaly:
    shown = ", ".join(map(str, lines[:5])) + (
        f" and {len(lines) - 5} more" if len(lines) > 5 else ""
    )
    return Anomaly(
        rule="mixed_encoding",
        severity="info",
        message=(
            f"The file mixes two encodings: {len(lines)} line(s) ({shown}) are cp874, "
            "the others UTF-8; each line was read in its own."
        ),
        line_no=lines[0],
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
