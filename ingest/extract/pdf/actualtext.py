"""ActualText spans: each span's text used once, with the whole span's box.

Chromium (Skia) wraps every Thai cluster it shapes into glyphs of its own (a base and its
marks, ำ) in ``/Span <</ActualText (...)>> BDC ... EMC``; a span often holds two text
objects (a mark glyph is moved with ``Td``).  pdfium hands the span's whole text to each
text object in it, so ตัวชี้วัด came out as "ตั วชี้ วัชี้ ดวั", and splits each object's box
among the span's characters, so a mark's box ends mid-cluster and invents word gaps.
Poppler's TextOutputDev reads the span's text once, at the span's end, over the span's
whole box; so does this: the characters of the span's first text object are kept, those
of its other objects (and the spaces pdfium makes up beside them) dropped, and every kept
character gets the box of the whole span.

Objects of one span share one mark item in pdfium (one ``BDC``), so the mark's handle
tells which objects belong together; two spans with the same text are different items.
"""

from __future__ import annotations

import ctypes
import itertools
from collections.abc import Sequence
from typing import Any

import pypdfium2.raw as pdfium_c


def _fast(function: Any, restype: Any = None) -> Any:
    """``function`` without ctypes' argument conversion (see ``chars._fast``); callers
    pass ``c_void_p`` handles and bytes."""
    fast = type(function)(ctypes.cast(function, ctypes.c_void_p).value)
    fast.restype = restype or function.restype
    return fast


_count_marks = _fast(pdfium_c.FPDFPageObj_CountMarks)
_get_mark = _fast(pdfium_c.FPDFPageObj_GetMark, ctypes.c_void_p)  # an address (int)
_param_type = _fast(pdfium_c.FPDFPageObjMark_GetParamValueType)
_get_name = _fast(pdfium_c.FPDFPageObjMark_GetName)
_ACTUAL_TEXT = b"ActualText"
_ARTIFACT = "Artifact\0".encode("utf-16-le")  # the name as pdfium writes it
_is_generated = pdfium_c.FPDFText_IsGenerated
_NAME = (ctypes.c_ushort * 32)()  # mark names are short ("Span", "Artifact", "P")
_NAME_SIZE = ctypes.c_ulong(ctypes.sizeof(_NAME))  # an unsigned long: passed as one
_NAME_LENGTH = ctypes.c_ulong()
_NAME_LENGTH_REF = ctypes.byref(_NAME_LENGTH)
_STRING = pdfium_c.FPDF_OBJECT_STRING


def object_roles(objects: Sequence[int | None]) -> tuple[dict[int, int], set[int]]:
    """For the text objects at ``objects`` (addresses): object -> the address of the
    ActualText mark it lies in, and the objects marked as artifacts (a browser's running
    date, title, URL and page number, a word processor's page furniture: what the PDF
    says is not content)."""
    spans: dict[int, int] = {}
    artifacts: set[int] = set()
    for address in set(objects):
        if address is None:
            continue
        handle = ctypes.c_void_p(address)
        for index in range(_count_marks(handle) - 1, -1, -1):  # the innermost span decides
            mark = ctypes.c_void_p(_get_mark(handle, ctypes.c_ulong(index)))
            if _is_artifact(mark):
                artifacts.add(address)
            elif address not in spans and _param_type(mark, _ACTUAL_TEXT) == _STRING:
                spans[address] = mark.value or 0
    return spans, artifacts


def _is_artifact(mark: ctypes.c_void_p) -> bool:
    if not _get_name(mark, _NAME, _NAME_SIZE, _NAME_LENGTH_REF):
        return False
    return _NAME_LENGTH.value == len(_ARTIFACT) and bytes(_NAME)[: len(_ARTIFACT)] == _ARTIFACT


def _span_boxes(page: Any, spans: dict[int, int]) -> dict[int, tuple[float, float]]:
    """Span -> the left and right edge of all its text objects on the page of handle
    ``page``, those pdfium gave no characters to (the span's text given once) included."""
    count = pdfium_c.FPDFPage_CountObjects(page)
    handles = [pdfium_c.FPDFPage_GetObject(page, i) for i in range(count)]
    texts = [h for h in handles if pdfium_c.FPDFPageObj_GetType(h) == pdfium_c.FPDF_PAGEOBJ_TEXT]
    addresses = [ctypes.cast(h, ctypes.c_void_p).value for h in texts]
    all_spans, _ = object_roles([a for a in addresses if a not in spans])
    all_spans.update(spans)
    boxes: dict[int, tuple[float, float]] = {}
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    for handle, address in zip(texts, addresses, strict=True):
        span = all_spans.get(address or 0)
        if span is None or not pdfium_c.FPDFPageObj_GetBounds(handle, left, bottom, right, top):
            continue
        old = boxes.get(span, (left.value, right.value))
        boxes[span] = (min(old[0], left.value), max(old[1], right.value))
    return boxes


def apply_spans(
    raw: Any,
    text: str,
    objects: Sequence[int | None],
    lefts: list[float],
    rights: list[float],
    page: Any = None,
    want_ids: bool = False,
) -> tuple[str, frozenset[int], dict[int, int]]:
    """``text`` with the characters of artifacts and of each span's later objects (and
    the made-up spaces beside them) turned into U+0001, which the reader skips; the
    ``lefts``/``rights`` of a span's kept characters set to the span's box.  Also returns
    the indexes of the characters whose box is a span's (a mark there sits on its
    cluster), and the marked-content id of each text object (see ``marked_ids``).
    ``page``: the page's handle, to measure the objects pdfium gave no characters;
    ``want_ids``: read the marked-content ids (a browser print's)."""
    spans, artifacts = object_roles(objects)
    if not artifacts and not want_ids and len(set(spans.values())) == len(spans):
        # no artifacts, and each span drawn by one object (LibreOffice's ำ): pdfium reads
        # such a span right; only a span over several objects repeats its text
        return text, frozenset(), {}
    # a browser's span often has objects pdfium gave no characters: measure them too
    boxes = _span_boxes(page, spans) if want_ids and page is not None and spans else {}

    def made_up(i: int) -> bool:  # pdfium makes up only spaces and line breaks
        return text[i].isspace() and _is_generated(raw, i) == 1

    first: dict[int, int] = {}  # span -> its first text object
    members: dict[int, list[int]] = {}  # span -> indexes of all its characters
    indexes = range(len(objects))
    dropped = set(itertools.compress(indexes, map(artifacts.__contains__, objects)))
    # only the characters of spans are looked at one by one (picked in C: pages are long)
    for i in itertools.compress(indexes, map(spans.__contains__, objects)):
        address = objects[i]
        span = spans[address]  # type: ignore[index]
        if made_up(i):
            continue
        members.setdefault(span, []).append(i)
        if first.setdefault(span, address) != address:  # type: ignore[arg-type]
            dropped.add(i)
    dropped |= _made_up_beside(dropped, len(text), made_up)
    kept: set[int] = set()
    for span, span_indexes in members.items():
        left = min(lefts[i] for i in span_indexes)
        right = max(rights[i] for i in span_indexes)
        if span in boxes:  # objects whose characters pdfium left out count too
            left, right = min(left, boxes[span][0]), max(right, boxes[span][1])
        for i in span_indexes:
            if i not in dropped:
                lefts[i], rights[i] = left, right
                kept.add(i)
    chars = list(text)
    for i in dropped:
        chars[i] = "\x01"
    return "".join(chars), frozenset(kept), marked_ids(objects) if want_ids else {}


def _made_up_beside(dropped: set[int], count: int, made_up: Any) -> set[int]:
    """The made-up spaces right before a dropped character, and the runs of them right
    after one (those pdfium put beside the dropped objects)."""
    extra: set[int] = set()
    for i in sorted(dropped):
        if i > 0 and i - 1 not in dropped and made_up(i - 1):
            extra.add(i - 1)
        j = i + 1
        while j < count and j not in dropped and j not in extra and made_up(j):
            extra.add(j)
            j += 1
    return extra


def marked_ids(objects: Sequence[int | None]) -> dict[int, int]:
    """Text object address -> its marked-content id (MCID).  A browser gives each block
    of the page (a div, a paragraph) its own, so two lines with one id are one block the
    page width wrapped (see ``wraps._is_wrap``)."""
    ids: dict[int, int] = {}
    for address in set(objects):
        if address is not None:
            handle = ctypes.cast(ctypes.c_void_p(address), pdfium_c.FPDF_PAGEOBJECT)
            ids[address] = pdfium_c.FPDFPageObj_GetMarkedContentID(handle)
    return ids
