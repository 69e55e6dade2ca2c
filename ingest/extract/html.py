"""Saved web pages -> the same plain text a text export of the page has.

Scripts, styles and the head are dropped; block elements (p, div, br, tr, li, h1..)
end a line and table cells are separated by tabs, entities are unescaped.  Checkboxes
become the marker text the kr_sheet exports carry (``<input checked="" type="checkbox"/>``)
so the parsers see one thing whatever the source.  The stdlib tokenizer is flat (no
recursion), so deeply nested pages cannot exhaust the stack.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

CHECKED = '<input checked="" type="checkbox"/>'
UNCHECKED = '<input type="checkbox"/>'

_SKIP = frozenset({"script", "style", "head", "title", "noscript", "template", "svg", "iframe"})
_BLOCK = frozenset(
    {
        "address", "article", "aside", "blockquote", "caption", "dd", "details", "dialog",
        "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2",
        "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre",
        "section", "summary", "table", "tbody", "tfoot", "thead", "tr", "ul",
    }
)  # fmt: skip
_CELL = frozenset({"td", "th"})
_CELL_SPACES = re.compile(r" *\t *")
_SPACES = re.compile(r"[ \t\n\r\f\u00a0]+")
_SNIFF = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]",
                    re.IGNORECASE | re.DOTALL)  # fmt: skip


def looks_like_html(data: bytes, name: str) -> bool:
    """A saved page: named .html/.htm, or (never for .txt) starting with <!DOCTYPE html/<html."""
    lower = name.lower()
    if lower.endswith((".html", ".htm", ".xhtml")):
        return True
    if lower.endswith(".txt"):
        return False
    return bool(_SNIFF.match(data[:4096]))


def declared_charset(data: bytes) -> str | None:
    """The charset a ``<meta>`` in the first 4 KB declares, if any."""
    found = re.search(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", data[:4096], re.I)
    return found.group(1).decode("ascii").lower() if found else None


def html_to_text(markup: str) -> str:
    """The visible text of ``markup``, one block per line, cells joined by tabs."""
    parser = _TextParser()
    parser.feed(markup)
    parser.close()
    return parser.result()


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._lines: list[str] = []
        self._line: list[str] = []
        self._skip_depth = 0
        self._pre_depth = 0
        self._cells_in_row = 0
        self._in_cell = False  # inside td/th: blocks and <br> become spaces, a row stays a line

    # -- line assembly -------------------------------------------------------------
    def _cell_space(self) -> bool:
        if self._in_cell and not self._pre_depth:
            if self._line and not self._line[-1].endswith((" ", "\t")):
                self._line.append(" ")
            return True
        return False

    def _soft_break(self) -> None:
        if self._cell_space():
            return
        if "".join(self._line).strip(" "):
            self._hard_break()
        else:
            self._line = []

    def _hard_break(self) -> None:
        self._lines.append(_CELL_SPACES.sub("\t", "".join(self._line)).strip(" "))
        self._line = []

    def result(self) -> str:
        self._soft_break()
        return "\n".join(self._lines).rstrip("\n") + "\n"

    # -- tokenizer callbacks -------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self._skip_depth = 0  # an unclosed <head> must not hide the page
        if tag in _SKIP:
            self._skip_depth += 1
            return
        if self._skip_depth:
            return
        if tag == "br":
            if not self._cell_space():
                self._hard_break()
        elif tag in ("tr", "table"):
            self._in_cell = False
            self._soft_break()
            self._cells_in_row = 0
        elif tag in _CELL:
            if self._cells_in_row:
                self._line.append("\t")
            self._cells_in_row += 1
            self._in_cell = True
        elif tag == "input":
            self._input(dict(attrs))
        elif tag in _BLOCK:
            self._soft_break()
            if tag == "pre":
                self._pre_depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in _SKIP:
            self._skip_depth = max(0, self._skip_depth - 1)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skip_depth = max(0, self._skip_depth - 1)
            return
        if self._skip_depth:
            return
        if tag == "pre":
            self._pre_depth = max(0, self._pre_depth - 1)
        if tag in _CELL or tag in ("tr", "table"):
            self._in_cell = False
        if tag in _BLOCK:
            self._soft_break()

    def handle_data(self, data: str) -> None:
        if self._skip_depth or not data:
            return
        if self._pre_depth:
            parts = data.replace("\r\n", "\n").split("\n")
            for i, part in enumerate(parts):
                if i:
                    self._hard_break()
                self._line.append(part.replace("\u00a0", " "))
            return
        text = _SPACES.sub(" ", data)
        if self._line and self._line[-1].endswith(" ") and text.startswith(" "):
            text = text[1:]
        if text == " " and (not self._line or self._line[-1].endswith((" ", "\t"))):
            return
        if self._line and self._line[-1].endswith(("\t",)):
            text = text.lstrip(" ")
        self._line.append(text)

    def _input(self, attrs: dict[str, str | None]) -> None:
        kind = (attrs.get("type") or "").lower()
        if kind in ("checkbox", "radio"):
            self._line.append(CHECKED if "checked" in attrs else UNCHECKED)
