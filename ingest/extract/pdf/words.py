"""Text of a line: word gaps become spaces, wide gaps and indents tabs."""

from __future__ import annotations

import itertools
import operator

from ingest.extract.pdf.chars import _Char
from ingest.extract.pdf.lines import _Layout, _Line

TAB_STOP = 35.43  # pt: the default tab grid of office suites (1.25 cm)

# -- text of a line: tabs and spaces -------------------------------------------------------


def _line_text(line: _Line, layout: _Layout, leading: bool) -> str:
    if line.fixed_text is not None:
        return line.fixed_text
    out: list[str] = []
    if leading:
        stops = round((line.left - layout.left) / TAB_STOP)
        out.append("\t" * max(0, stops))
    previous: _Char | None = None
    pending: list[_Char] = []
    spacing = _letter_spacing(line, layout)
    least_gap = 0.4 * layout.space + spacing  # a narrower gap with nothing drawn: ""
    for char in line.chars:
        if not char.visible:
            pending.append(char)
            continue
        if char.is_mark or previous is None:
            # pdfium invents spaces around marks drawn off their advance: drop them
            if pending:
                real = [c for c in pending if not c.generated]
                out.extend([c.ch for c in real])
                if real and previous is not None:
                    previous = real[-1]  # a mark drawn on a space: measure on from the space
        elif pending or char.left - previous.right > least_gap:
            out.append(_gap_text(previous, char, pending, layout, spacing))
        if pending:
            pending = []
        out.append(char.ch)
        if not char.is_mark:
            previous = char
    out.extend(c.ch for c in pending)
    return "".join(out)


def _letter_spacing(line: _Line, layout: _Layout) -> float:
    """The space a letter-spaced line (Word's "distributed" justification: "เ ข้ า ร่ ว ม")
    puts between all its letters, to be taken off every gap; 0.0 for a line set normally.
    Such a line is mostly Thai, pdfium makes up a space between most of its letters, and
    even its lower quartile of gaps is wider than a word gap's share a letter may show."""
    chars = line.chars
    if 3 * list(map(_VISIBLE, chars)).count(False) < len(chars):
        return 0.0  # the cheap test first: most lines end here
    bases = [c for c in line.chars if c.visible and not c.is_mark]
    thai = sum("\u0e01" <= c.ch <= "\u0e4e" for c in bases)
    if len(bases) < _SPACED_MIN or 2 * thai < len(bases):
        return 0.0
    gaps = sorted(b.left - a.right for a, b in itertools.pairwise(bases))
    low = gaps[len(gaps) // 4]
    return low if low > 0.4 * layout.space else 0.0


_VISIBLE = operator.attrgetter("visible")
_SPACED_MIN = 8  # letters: a shorter line is not judged letter-spaced


def _on_tab_stop(x: float, layout: _Layout) -> bool:
    if not layout.tab_stops:
        return False
    stops = (x - layout.left) / TAB_STOP
    return round(stops) >= 1 and abs(stops - round(stops)) * TAB_STOP < 0.8


def _gap_text(
    previous: _Char, char: _Char, between: list[_Char], layout: _Layout, spacing: float = 0.0
) -> str:
    gap = char.left - previous.right - spacing
    real = [c for c in between if not c.generated]
    generated = any(c.generated for c in between)
    # an office suite leaves a tab's gap with nothing drawn in it; a browser draws no
    # spaces at all, and leaves gaps of a space and a half beside inline boxes
    made_up_only = generated and not real and layout.tab_stops
    widest = layout.space * (1.5 if made_up_only else 3.0)
    if gap > widest or (not real and gap > 0.4 * layout.space and _on_tab_stop(char.left, layout)):
        stops = int((char.left - layout.left + 1) // TAB_STOP) - int(
            (previous.right - layout.left) // TAB_STOP
        )
        return "\t" * max(1, stops)
    if real:
        return "".join(c.ch for c in real)
    # a browser draws no spaces, and the gaps inside a word (a cluster's box measured
    # from its glyphs' outlines) reach half a space: pdfium's made-up spaces need more
    made_up = 0.5 if layout.tab_stops else 0.7
    return " " if gap > (made_up if generated else 0.8) * layout.space else ""
