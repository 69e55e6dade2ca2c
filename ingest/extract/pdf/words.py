"""Text of a line: word gaps become spaces, wide gaps and indents tabs."""

from __future__ import annotations

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
    least_gap = 0.4 * layout.space  # a narrower gap with nothing drawn in it gives ""
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
            out.append(_gap_text(previous, char, pending, layout))
        if pending:
            pending = []
        out.append(char.ch)
        if not char.is_mark:
            previous = char
    out.extend(c.ch for c in pending)
    return "".join(out)


def _on_tab_stop(x: float, layout: _Layout) -> bool:
    if not layout.tab_stops:
        return False
    stops = (x - layout.left) / TAB_STOP
    return round(stops) >= 1 and abs(stops - round(stops)) * TAB_STOP < 0.8


def _gap_text(previous: _Char, char: _Char, between: list[_Char], layout: _Layout) -> str:
    gap = char.left - previous.right
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
