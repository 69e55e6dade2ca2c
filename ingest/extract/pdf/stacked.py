"""Vertical text: letters stacked one under another (a book spine, a table's rotated
header), which baseline grouping turns into a line per letter.

A run of lines that each hold one letter (with its marks), at the same left edge and a
letter's height apart, is one line of text read top down: its letters are joined into
one line, so the page reads as words (and the garbled check does not take the stack
for a page of one-letter non-words) and nothing of it is lost.
"""

from __future__ import annotations

from ingest.extract.pdf.lines import _Line

MIN_STACK = 6  # fewer stacked letters than this are left as they are (a short column)
_MAX_BASES = 2  # "�า" (an unmapped nikhahit and า) is one letter drawn as two glyphs


def join_stacked(lines: list[_Line]) -> list[_Line]:
    """``lines`` (one page, in drawing order) with each vertical stack joined into one."""
    if len(lines) < MIN_STACK:
        return lines
    out: list[_Line] = []
    run: list[_Line] = []
    for line in lines:
        if run and _continues(run[-1], line):
            run.append(line)
            continue
        out.extend(_joined(run))
        run = [line] if _one_letter(line) else []
        if not run:
            out.append(line)
    out.extend(_joined(run))
    return out


def _one_letter(line: _Line) -> bool:
    bases = line.bases()
    return 0 < len(bases) <= _MAX_BASES and line.right - line.left <= 1.5 * line.height


def _continues(above: _Line, line: _Line) -> bool:
    """``line`` is the next letter down of the stack that ends with ``above``."""
    if not _one_letter(line):
        return False
    step = above.y - line.y  # PDF y grows upwards
    size = max(above.height, line.height)
    return 0.3 * size <= step <= 1.8 * size and abs(line.left - above.left) <= 0.6 * size


def _joined(run: list[_Line]) -> list[_Line]:
    if len(run) < MIN_STACK:
        return run
    first = run[0]
    line = _Line(page=first.page, chars=[c for each in run for c in each.chars])
    line.finish()
    line.last = run[-1].last
    line.y, line.y_end = first.y, run[-1].y
    return [line]  # its text reads its characters in drawing order: top down
