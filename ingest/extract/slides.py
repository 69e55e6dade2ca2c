"""Presentations -> text lines, the way a text export lays them out: each slide a page.

KPI results are often presented as slides (``สรุปผลการดำเนินงาน.pptx``).  A slide's shapes
are read in the order a person reads them: top to bottom, and left to right among shapes
that start on the same band (the order shapes were drawn in says nothing of where they
are).  A text box gives its paragraphs as lines; a table gives a line of tab-separated
cells per row (a merged cell's text in its first cell, the cells it covers empty); a
chart gives its title and its data as a table (a header of series names, then a row per
category), since the figures a chart shows are the facts on the slide.  Speaker notes are
left out: they are not what the slide states.

* .pptx: python-pptx (maintained; it resolves a placeholder's inherited position and a
  chart's cached values, which the raw XML leaves to the reader).
* .odp: ``content.xml`` with the standard library, as .odt/.ods are read.
* .ppt (PowerPoint 97-2003): LibreOffice headless converts it to .pptx when installed.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree

_BAND = 0.02  # shapes whose tops differ by less than this share of the slide are one band


@dataclass(frozen=True)
class _Placed:
    top: float
    left: float
    lines: Callable[[], list[str]]


def reading_order(items: Iterable[_Placed], height: float) -> list[_Placed]:
    """Top to bottom; shapes starting within one band of the first of a row, left to right."""
    rest = sorted(items, key=lambda p: (p.top, p.left))
    out: list[_Placed] = []
    while rest:
        first = rest[0]
        row = [p for p in rest if p.top - first.top <= _BAND * height]
        out.extend(sorted(row, key=lambda p: p.left))
        rest = rest[len(row) :]
    return out


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def _cell(text: str) -> str:
    return " ".join(text.replace("\v", " ").split())


# ---------------------------------------------------------------- PowerPoint


def pptx_lines(
    data: bytes, finish_rows: Callable[[list[list[str]]], list[str]]
) -> tuple[list[str], list[int]]:
    """Lines of every slide of a .pptx and the slide (1-based) of each line."""
    from pptx import Presentation

    deck = Presentation(io.BytesIO(data))
    height = float(deck.slide_height or 6858000)
    lines: list[str] = []
    pages: list[int] = []
    for number, slide in enumerate(deck.slides, 1):
        got = _shapes_lines(slide.shapes, height, finish_rows)
        lines.extend(got)
        pages.extend([number] * len(got))
    return lines, pages


def _shapes_lines(
    shapes: Iterable[Any], height: float, finish_rows: Callable[[list[list[str]]], list[str]]
) -> list[str]:
    placed = [
        _Placed(float(s.top or 0), float(s.left or 0), _shape_reader(s, height, finish_rows))
        for s in shapes
    ]
    return [line for p in reading_order(placed, height) for line in p.lines()]


def _shape_reader(
    shape: Any, height: float, finish_rows: Callable[[list[list[str]]], list[str]]
) -> Callable[[], list[str]]:
    if getattr(shape, "shapes", None) is not None:  # a group: its shapes in their order
        return lambda: _shapes_lines(shape.shapes, height, finish_rows)
    if getattr(shape, "has_table", False):
        return lambda: finish_rows(_table_rows(shape.table))
    if getattr(shape, "has_chart", False):
        return lambda: _chart_lines(shape.chart, finish_rows)
    if getattr(shape, "has_text_frame", False):
        return lambda: _frame_lines(shape.text_frame)
    return list


def _frame_lines(frame: Any) -> list[str]:
    """A text frame's paragraphs; a line break inside one (``\\v``) starts a line."""
    return [line.strip() for p in frame.paragraphs for line in p.text.split("\v")]


def _table_rows(table: Any) -> list[list[str]]:
    return [
        ["" if cell.is_spanned else _cell(cell.text) for cell in row.cells] for row in table.rows
    ]


def _chart_lines(chart: Any, finish_rows: Callable[[list[list[str]]], list[str]]) -> list[str]:
    """A chart's title, then its data: series names over a row per category."""
    lines = []
    if chart.has_title and chart.chart_title.has_text_frame:
        lines.extend(_frame_lines(chart.chart_title.text_frame))
    for plot in chart.plots:
        series = list(plot.series)
        categories = [str(c) for c in plot.categories]
        rows = [["", *(_cell(s.name or "") for s in series)]]
        values = [list(s.values) for s in series]
        for k, category in enumerate(categories):
            rows.append([_cell(category), *(_number(v[k]) if k < len(v) else "" for v in values)])
        lines.extend(finish_rows(rows))
    return lines


# ---------------------------------------------------------------- OpenDocument

_DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
_SVG = "{urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_PRESENTATION = "{urn:oasis:names:tc:opendocument:xmlns:presentation:1.0}"
_CHART = "{urn:oasis:names:tc:opendocument:xmlns:chart:1.0}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_XLINK = "{http://www.w3.org/1999/xlink}"
_LENGTH = re.compile(r"(-?[0-9.]+)\s*(cm|mm|in|pt|pc|px)?")
_CM = {"cm": 1.0, "mm": 0.1, "in": 2.54, "pt": 2.54 / 72, "pc": 2.54 / 6, "px": 2.54 / 96}
Block = Callable[[ElementTree.Element], Iterator[str]]


@dataclass(frozen=True)
class _Odp:
    archive: zipfile.ZipFile
    block: Block  # reads a paragraph, list or table as the .odt reader does
    finish_rows: Callable[[list[list[str]]], list[str]]


def odp_lines(
    data: bytes, block: Block, finish_rows: Callable[[list[list[str]]], list[str]]
) -> tuple[list[str], list[int]]:
    """Lines of every page of an .odp and the page (1-based) of each line."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = ElementTree.fromstring(archive.read("content.xml"))
        odp = _Odp(archive, block, finish_rows)
        body = root.find(f"{_OFFICE}body/{_OFFICE}presentation")
        lines: list[str] = []
        pages: list[int] = []
        for number, page in enumerate(body.iter(_DRAW + "page") if body is not None else (), 1):
            height = max((_cm(el.get(_SVG + "y")) for el in page.iter()), default=0.0) or 20.0
            got = _odp_shapes(list(page), height, odp)
            lines.extend(got)
            pages.extend([number] * len(got))
    return lines, pages


def _cm(length: str | None) -> float:
    m = _LENGTH.match(length or "")
    return float(m[1]) * _CM[m[2] or "cm"] if m else 0.0


def _at(shape: ElementTree.Element) -> tuple[float, float]:
    """Top and left of a shape; a group's are those of its highest and leftmost shape."""
    if shape.tag != _DRAW + "g":
        return _cm(shape.get(_SVG + "y")), _cm(shape.get(_SVG + "x"))
    spots = [_at(child) for child in shape if child.tag.startswith(_DRAW)]
    return (min(t for t, _ in spots), min(x for _, x in spots)) if spots else (0.0, 0.0)


def _odp_shapes(shapes: Sequence[ElementTree.Element], height: float, odp: _Odp) -> list[str]:
    placed = [
        _Placed(*_at(s), _odp_reader(s, height, odp))
        for s in shapes
        if s.tag.startswith(_DRAW)  # not the page's notes or forms
    ]
    return [line for p in reading_order(placed, height) for line in p.lines()]


def _odp_reader(shape: ElementTree.Element, height: float, odp: _Odp) -> Callable[[], list[str]]:
    if shape.tag == _DRAW + "g":
        return lambda: _odp_shapes(list(shape), height, odp)
    chart = shape.find(_DRAW + "object")
    if chart is not None:
        return lambda: _odp_chart(chart.get(_XLINK + "href", ""), odp)
    # a frame holds a text box or a table; a drawn shape holds its paragraphs itself
    holders = [c for c in shape if c.tag == _DRAW + "text-box"] or [shape]
    return lambda: [
        line
        for holder in holders
        for child in holder
        if not child.tag.startswith(_PRESENTATION)
        for line in odp.block(child)
    ]


def _odp_chart(href: str, odp: _Odp) -> list[str]:
    """An embedded chart's title and its data table (an empty value is written NaN)."""
    name = href.removeprefix("./").rstrip("/") + "/content.xml"
    try:
        root = ElementTree.fromstring(odp.archive.read(name))
    except (KeyError, ElementTree.ParseError):
        return []  # an embedded object that is no chart (or is missing)
    lines = [
        "".join(p.itertext()).strip()
        for title in root.iter(_CHART + "title")
        for p in title.iter(_TEXT + "p")
    ]
    for table in root.iter(_TABLE + "table"):
        rows = [
            [_chart_cell(cell) for cell in row.iter(_TABLE + "table-cell")]
            for row in table.iter(_TABLE + "table-row")
        ]
        lines.extend(odp.finish_rows(rows))
    return lines


def _chart_cell(cell: ElementTree.Element) -> str:
    if cell.get(_OFFICE + "value") == "NaN":
        return ""
    return _cell(" ".join("".join(p.itertext()) for p in cell.iter(_TEXT + "p")))
