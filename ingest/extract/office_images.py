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
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if kind == "docx":
            names = _docx_pictures(archive)
        elif kind == "odt":
            body = archive.read("content.xml")
            names = [name.decode() for name in _ODT_IMAGE.findall(body)]
        else:
            return []
        names = [n for n in dict.fromkeys(names) if n.lower().endswith(_IMAGE_SUFFIXES)]
        return [archive.read(name) for name in names[:MAX_PICTURES]]


def _docx_pictures(archive: zipfile.ZipFile) -> list[str]:
    body = archive.read("word/document.xml")
    rels = archive.read("word/_rels/document.xml.rels")
    targets = {
        m[1].decode(): m[2].decode()
        for m in re.finditer(rb'<Relationship [^>]*?Id="(rId\d+)"[^>]*?Target="([^"]+)"', rels)
    }
    targets.update(
        {
            m[2].decode(): m[1].decode()
            for m in re.finditer(rb'<Relationship [^>]*?Target="([^"]+)"[^>]*?Id="(rId\d+)"', rels)
        }
    )
    names = []
    for rid in _EMBED.findall(body):
        target = targets.get(rid.decode())
        if target and not target.startswith(("http:", "https:", "file:")):
            names.append("word/" + target.lstrip("/").removeprefix("word/"))
    return names
