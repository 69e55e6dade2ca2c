"""Text drawn outside the page: not shown by any viewer, so not read.

Acrobat-made budget books keep the text of a whole printer's spread (the facing page, a
rotated spine title) on each page, beyond its edges; pdfium returns it like the rest.
Read, it doubles titles and turns a spine into a column of one-letter lines.
"""

from __future__ import annotations

import ctypes
from typing import Any

import pypdfium2.raw as pdfium_c

from ingest.extract.pdf.chars import _Char

_SLACK = 2.0  # points: a baseline just under the page's bottom edge is still on it


def on_page(chars: list[_Char], page: Any) -> list[_Char]:
    """``chars`` without those whose middle lies outside the visible box of the page of
    handle ``page`` (crop box within media box). Clean pages cost a few min/max passes."""
    if not chars:
        return chars
    rect = pdfium_c.FS_RECTF()
    if not pdfium_c.FPDF_GetPageBoundingBox(page, ctypes.byref(rect)):
        return chars
    left, right = 2 * rect.left, 2 * rect.right  # compared with left + right: twice the middle
    bottom, top = min(rect.bottom, rect.top) - _SLACK, max(rect.bottom, rect.top) + _SLACK
    middles = [c.left + c.right for c in chars]
    ys = [c.y for c in chars]
    if min(middles) >= left and max(middles) <= right and min(ys) >= bottom and max(ys) <= top:
        return chars
    return [
        c
        for c, middle in zip(chars, middles, strict=True)
        if left <= middle <= right and bottom <= c.y <= top
    ]
