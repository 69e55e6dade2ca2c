"""The pictures of a Word or OpenDocument text, in document order: what OCR reads when
a file holds scanned pages pasted into Word instead of text.

A .docx names each picture by a relationship id in the body (``a:blip r:embed``) and the
part it points to holds the bytes; an .odt names ``Pictures/...`` in ``draw:image``.
Pictures shown twice (a VML fallback of a DrawingML picture) are read once.
"""

from __future__ import annotations

import io
import re
import zipfile

MIN_LETTERS = 40  # a text with fewer letters than this is read from its pictures too
MAX_PICTURES = 300  # a file with more pictures is no scan of a report
_LETTER = re.compile(r"[^\W\d_]")
_EMBED = re.compile(rb'r:(?:embed|id)="(rId\d+)"')
_ODT_IMAGE = re.compile(rb'<draw:image[^>]*xlink:href="(Pictures/[^"]+)"')
_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".gif")


def needs_pictures(text: str) -> bool:
    """The text of an office file is too short to be the report: its pictures may be."""
    return len(_LETTER.findall(text, 0, 4 * MIN_LETTERS)) < MIN_LETTERS


def pictures(data: bytes, kind: str) -> list[bytes]:
    """The image files of a .docx or .odt ``data``, in the order the body shows them."""
    if kind == "docx":
        names_blobs = _docx_pictures(data)
    elif kind == "odt":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            body = archive.read("content.xml")
            names = dict.fromkeys(name.decode() for name in _ODT_IMAGE.findall(body))
            names_blobs = [(n, archive.read(n)) for n in names if _is_image(n)]
    else:
        return []
    return [blob for _, blob in names_blobs[:MAX_PICTURES]]


def _docx_pictures(data: bytes) -> list[tuple[str, bytes]]:
    """python-docx resolves each ``r:embed`` of the body to its part (external links are
    no part of the file)."""
    import docx

    part = docx.Document(io.BytesIO(data)).part
    related = part.related_parts
    found = []
    for rid in dict.fromkeys(m.decode() for m in _EMBED.findall(part.blob)):
        target = related.get(rid)
        if target is not None and _is_image(str(target.partname)):
            found.append((str(target.partname), target.blob))
    return found


def _is_image(name: str) -> bool:
    return name.lower().endswith(_IMAGE_SUFFIXES)
