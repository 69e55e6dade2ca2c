"""Bytes of one file -> decoded text (the edge where encodings, PDFs and HTML live).

This is the interface the ingest job uses; the format-specific work lives in
``ingest.decode``, ``ingest.pdf`` and ``ingest.html``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from parsers.errors import DecodeError
from parsers.model import Anomaly

MediaType = Literal["text", "pdf", "html"]


@dataclass(frozen=True)
class Extracted:
    text: str  # newlines are "\n"; one line of text is one line_no
    encoding: str  # what decoded it: 'utf-8', 'utf-8-sig', 'utf-16', 'cp874', 'pdf', ...
    media_type: MediaType
    line_pages: tuple[int, ...] | None = None  # PDF page of each line, else None
    anomalies: tuple[Anomaly, ...] = ()


def extract(data: bytes, name: str, *, encoding: str | None = None) -> Extracted:
    """Decode ``data`` (the bytes of the file called ``name``) into text.

    Raises an ``InputError`` subclass naming ``name`` when it cannot.
    """
    enc = encoding or ("utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8")
    try:
        text = data.decode(enc)
    except (UnicodeDecodeError, LookupError) as exc:
        raise DecodeError(f"The file is not valid {enc} text ({exc}).", path=name) from exc
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Extracted(text=text, encoding=enc, media_type="text")
