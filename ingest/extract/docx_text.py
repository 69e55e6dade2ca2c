"""The text of a .docx body, read from its WordprocessingML in document order.

python-docx opens the package; its ``Paragraph.text`` and ``iter_inner_content`` are not
enough for reports typed in Word: they skip text boxes (the agency and date blocks of a
memo), content controls (form fields), tracked insertions and tables inside table cells.
Here every block is read:

* a paragraph is a line (a manual line break starts another); tabs stay tabs;
* the text boxes anchored in a paragraph come first, each of their paragraphs a line
  (Word writes a box twice, as DrawingML and as a VML fallback: the fallback is skipped);
* a table row is one line of its cells joined by tabs; a cell a merge covers is empty
  (columns stay where they are); a table inside a cell follows its row, row by row;
* content controls and custom XML wrappers give their content; deleted text (tracked
  changes), field codes and footnote marks give nothing.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import Any

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_TEXT = {_W + "t": None, _W + "tab": "\t", _W + "br": "\n", _W + "cr": "\n"}
_TEXT.update({_W + "noBreakHyphen": "-", _W + "softHyphen": ""})
# subtrees of a paragraph whose text is not the paragraph's own
_NOT_INLINE = {_W + "txbxContent", _MC + "Fallback", _W + "delText", _W + "instrText"}
_WRAPPERS = {_W + "sdt", _W + "sdtContent", _W + "customXml", _W + "ins", _W + "smartTag"}


def docx_lines(data: bytes, finish_rows: Callable[[list[list[str]]], list[str]]) -> list[str]:
    """The lines of the .docx ``data``; ``finish_rows`` lays out a table's rows."""
    import docx

    body = docx.Document(io.BytesIO(data)).element.body
    lines: list[str] = []
    for block in body:
        lines.extend(_block(block, finish_rows))
    return lines


def _block(node: Any, finish_rows: Callable[[list[list[str]]], list[str]]) -> Iterator[str]:
    tag = node.tag
    if tag == _W + "p":
        for box in _boxes(node):
            for child in box:
                yield from _block(child, finish_rows)
        yield from paragraph_text(node).split("\n")
    elif tag == _W + "tbl":
        yield from _table(node, finish_rows)
    elif tag in _WRAPPERS:
        for child in node:
            yield from _block(child, finish_rows)


def paragraph_text(node: Any) -> str:
    """A paragraph's own text: its runs (in hyperlinks, fields, content controls and
    tracked insertions too), without its text boxes, deletions and field codes."""
    parts: list[str] = []
    for child in node:
        tag = child.tag
        if tag in _TEXT:
            got = _TEXT[tag]
            parts.append((child.text or "") if got is None else got)
        elif tag not in _NOT_INLINE and len(child):
            parts.append(paragraph_text(child))
    return "".join(parts)


def _boxes(paragraph: Any) -> Iterator[Any]:
    """The text boxes drawn in ``paragraph`` (outermost only; VML fallbacks skipped)."""
    stack = list(paragraph)
    stack.reverse()
    while stack:
        node = stack.pop()
        if node.tag == _W + "txbxContent":
            yield node
        elif node.tag != _MC + "Fallback":
            stack.extend(reversed(list(node)))


def _table(table: Any, finish_rows: Callable[[list[list[str]]], list[str]]) -> list[str]:
    lines: list[str] = []
    for row in table.iter(_W + "tr"):
        if _enclosing_table(row) is not table:
            continue  # a row of a table inside a cell: read with that cell
        cells, inner = _row(row)
        lines.extend(finish_rows([cells]) or [""])
        for nested in inner:
            lines.extend(_table(nested, finish_rows))
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def _row(row: Any) -> tuple[list[str], list[Any]]:
    cells: list[str] = []
    inner: list[Any] = []
    for cell in row.iter(_W + "tc"):
        if _enclosing_row(cell) is not row:
            continue
        props = cell.find(_W + "tcPr")
        merge = props.find(_W + "vMerge") if props is not None else None
        covered = merge is not None and merge.get(_W + "val") != "restart"
        texts = [paragraph_text(p) for p in _cell_paragraphs(cell)]
        cells.append("" if covered else " ".join(t for t in texts if t.strip()))
        span = props.find(_W + "gridSpan") if props is not None else None
        cells.extend([""] * (int(span.get(_W + "val", "1")) - 1 if span is not None else 0))
        inner.extend(t for t in cell.iter(_W + "tbl") if _enclosing_cell(t) is cell)
    return cells, inner


def _cell_paragraphs(cell: Any) -> Iterator[Any]:
    for node in cell.iter(_W + "p"):
        if _enclosing_cell(node) is cell and not _in_box(node, cell):
            yield node


def _enclosing(node: Any, tag: str) -> Any:
    parent = node.getparent()
    while parent is not None and parent.tag != tag:
        parent = parent.getparent()
    return parent


def _enclosing_table(row: Any) -> Any:
    return _enclosing(row, _W + "tbl")


def _enclosing_row(cell: Any) -> Any:
    return _enclosing(cell, _W + "tr")


def _enclosing_cell(node: Any) -> Any:
    return _enclosing(node, _W + "tc")


def _in_box(node: Any, stop: Any) -> bool:
    parent = node.getparent()
    while parent is not None and parent is not stop:
        if parent.tag in (_W + "txbxContent", _MC + "Fallback"):
            return True
        parent = parent.getparent()
    return False
