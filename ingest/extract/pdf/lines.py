"""Lines from characters: grouping by baseline, marks on their base, the document layout."""

from __future__ import annotations

import itertools
import operator
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from ingest.extract.pdf.chars import _Char


@dataclass(slots=True)
class _Line:
    page: int
    chars: list[_Char] = field(default_factory=list)
    y: float = 0.0
    height: float = 0.0
    left: float = 0.0
    right: float = 0.0
    blanks_before: int = 0
    last: _Char | None = None  # the last base character added in content order
    ruled: bool = False  # on a page drawn with rules (cell borders)
    cell_run: bool = False  # the text of one table cell outside a row (fixed_text)
    fixed_text: str | None = None  # a rebuilt table row: its text, never joined to others
    y_end: float | None = None  # baseline of its lowest line (table rows span several)
    plain_cache: str | None = None  # read often, once the page's characters are final
    cells: list[list[_Line]] | None = None  # a browser table row: each cell's lines

    def add(self, char: _Char) -> None:
        self.chars.append(char)
        if char.visible and not char.is_mark:
            self.last = char

    def bases(self) -> list[_Char]:
        return [c for c in self.chars if c.visible and not c.is_mark]

    def finish(self) -> None:
        bases = self.bases() or [c for c in self.chars if c.visible]
        self.y = _median(list(map(_Y, bases)))
        self.height = _median(list(map(_SIZE, bases))) or 1.0
        self.left = min(map(_LEFT, bases))
        self.right = max(map(_RIGHT, bases))

    @property
    def plain(self) -> str:
        if self.plain_cache is None:
            self.plain_cache = "".join([c.ch for c in self.chars if not c.generated])
        return self.plain_cache


_Y, _SIZE, _LEFT, _RIGHT = map(operator.attrgetter, ("y", "size", "left", "right"))


def _median(values: list[float]) -> float:
    """``statistics.median`` (the same result) without its overhead, for the hot path."""
    values.sort()
    half = len(values) // 2
    return values[half] if len(values) % 2 else (values[half - 1] + values[half]) / 2


def _cut_at_gaps(line: _Line) -> list[_Line]:
    """``line`` cut where a gap wider than two spaces (and no space character) lies."""
    chars = line.chars
    starts = [0]
    previous: _Char | None = None
    for pos, char in enumerate(chars):
        if char.visible and not char.is_mark:
            if previous is not None and char.left - previous.right > 0.66 * previous.size:
                starts.append(pos)
            previous = char
    starts.append(len(chars))
    pieces = [_piece(line.page, chars[a:b]) for a, b in itertools.pairwise(starts)]
    return [piece for piece in pieces if piece is not None] or [line]


def _piece(page: int, chars: list[_Char]) -> _Line | None:
    """A line of ``chars`` (a cut of a longer one), without the invisible characters
    before its first base or at its end; None when it has no base character."""
    first = next((i for i, c in enumerate(chars) if c.visible and not c.is_mark), None)
    if first is None:
        return None
    kept = [c for c in chars[:first] if c.visible] + chars[first:]
    while not kept[-1].visible:
        kept.pop()
    last = next(c for c in reversed(kept) if c.visible and not c.is_mark)
    piece = _Line(page=page, chars=kept, last=last)
    piece.finish()
    return piece


# -- lines from characters -----------------------------------------------------------------


def _group_lines(chars: Sequence[_Char], page: int) -> list[_Line]:
    lines: list[_Line] = []
    current: _Line | None = None
    last: _Char | None = None  # current.last, the base a new character is compared with
    for char in chars:
        if char.is_mark:
            _attach_mark(char, current, lines)
        elif not char.visible:
            if current is not None:
                current.chars.append(char)
        elif (
            current is not None
            and last is not None
            # the same baseline, within 0.3 of the larger font size, and no jump far back
            # left (inlined: this runs for every character of the document)
            and abs(char.y - last.y) <= 0.3 * (char.size if char.size > last.size else last.size)
            and char.left >= last.left - last.size
        ):
            current.chars.append(char)  # what add() does for a visible base, inlined
            current.last = last = char
        else:
            current = _Line(page=page, chars=[char], last=char)
            last = char
            lines.append(current)
    for line in lines:
        while line.chars and not line.chars[-1].visible and line.chars[-1].generated:
            line.chars.pop()
        line.finish()
    return [line for line in lines if line.last is not None]


def _attach_mark(mark: _Char, current: _Line | None, lines: list[_Line]) -> None:
    if current is None:
        return  # a mark before any base character: nothing to put it on
    centre = (mark.left + mark.right) / 2
    last = current.last
    if last is not None and last.left <= centre <= last.right + 1:
        current.chars.append(mark)
        return
    # drawn over an earlier base (a mark written after the next letter: wkhtmltopdf's
    # "ขึน้"); within a point left of the last base and over no other, it is the last's
    for line in reversed(lines[-3:]):
        for pos in range(len(line.chars) - 1, -1, -1):
            base = line.chars[pos]
            on_base = base.visible and not base.is_mark and base.left <= centre <= base.right
            if on_base and abs(base.y - mark.y) <= base.size:
                line.chars.insert(pos + 1, mark)
                return
    current.chars.append(mark)


# -- the document layout -------------------------------------------------------------------


@dataclass(frozen=True)
class _Layout:
    left: float
    right: float
    pitch: float
    space: float
    top: float | None  # y of the highest first line over the pages (None: one page)
    bottom: float = 0.0  # y of the lowest last line over the pages
    tab_stops: bool = True  # typeset on a tab grid (office suites; a browser has none)
    thai_breaks: bool = True  # lines break between Thai words (dompdf breaks at spaces only)


def _layout(
    pages: list[list[_Line]], page_width: float, tab_stops: bool = True, thai_breaks: bool = True
) -> _Layout:
    lines = [line for page in pages for line in page]
    lefts = Counter(round(line.left) for line in lines)
    # the margin: the leftmost start shared by a few lines (a table's columns may hold
    # more lines than the margin does; a single stray line further left does not count)
    enough = min(max(2, len(lines) // 100), max(lefts.values()))
    margin = min(value for value, n in lefts.items() if n >= enough)
    left = statistics.median(line.left for line in lines if abs(round(line.left) - margin) <= 1)
    # With no line reaching the right margin, assume it mirrors the left one.
    right = max(max(line.right for line in lines), page_width - left)
    gaps = Counter(
        round(a.y - b.y, 1) for page in pages for a, b in itertools.pairwise(page)
        if a.y - b.y > 0.5 * a.height
    )  # fmt: skip
    height = statistics.median(line.height for line in lines)
    pitch = _mode_cluster(gaps) or 1.2 * height
    spaces = [
        c.right - c.left for line in lines for c in line.chars if c.ch == " " and not c.generated
    ]
    if not spaces:  # no space drawn (a browser print): the gaps pdfium put spaces in
        spaces = _made_up_space_gaps(lines, 0.1 * height)
    space = statistics.median(spaces) if spaces else 0.3 * height
    tops = [page[0].y for page in pages if page]
    top = max(tops) if len(tops) >= 2 else None
    bottom = _bottom([page[-1].y for page in pages if page])
    return _Layout(
        left=left,
        right=right,
        pitch=pitch,
        space=max(space, 1.0),
        top=top,
        bottom=bottom,
        tab_stops=tab_stops,
        thai_breaks=thai_breaks,
    )


def _bottom(lasts: list[float]) -> float:
    """The baseline of a full page's last line: the lowest one that two pages share (a
    stray line below the text on one page does not count), else the lowest."""
    shared = Counter(round(y) for y in lasts)
    low = [y for y in lasts if sum(shared[round(y) + d] for d in (-1, 0, 1)) >= 2]
    return min(low or lasts)


def _mode_cluster(gaps: Counter[float]) -> float | None:
    """The line pitch: the smallest gap that recurs (gaps are whole multiples of it)."""
    if not gaps:
        return None
    total = sum(gaps.values())
    for gap in sorted(gaps):
        near = [(g, n) for g, n in gaps.items() if abs(g - gap) <= 0.5]
        support = sum(n for _, n in near)
        if support >= max(2, 0.05 * total) or support == total:
            return sum(g * n for g, n in near) / support
    return min(gaps)


def _made_up_space_gaps(lines: list[_Line], least: float) -> list[float]:
    """Widths of the gaps (wider than ``least``) where pdfium made up a space between two
    characters: a PDF that draws no space glyph (Chromium's) has its word gaps there."""
    gaps: list[float] = []
    for line in lines:
        before: _Char | None = None
        pending = False
        for char in line.chars:
            if not char.visible:
                pending = pending or char.generated
            elif not char.is_mark:
                if pending and before is not None and char.left - before.right > least:
                    gaps.append(char.left - before.right)
                before, pending = char, False
    return gaps
