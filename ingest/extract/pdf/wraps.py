"""Wrapped lines: when a line break is the typesetter's, not the author's."""

from __future__ import annotations

import importlib.util
import itertools
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from ingest.extract.pdf.chars import _Char
from ingest.extract.pdf.lines import _Layout, _Line
from ingest.extract.pdf.words import _on_tab_stop

_JOIN_MIN_FILL = 0.55  # a wrapped line fills at least this share of the text width
_WRAP_SLACK = 1.0  # spaces of room a typesetter may leave when it wraps the next word
_WORD_SCAN = 120  # characters at a line's start searched for its first word

# -- wrapped lines ------------------------------------------------------------------------


_PROBED_LENGTH = 15  # words up to this long are found by probing the set, length by length


@cache
def _thai_words() -> tuple[frozenset[str], dict[str, tuple[int, ...]]]:
    """pythainlp's word list, and the lengths of its words longer than ``_PROBED_LENGTH``
    by their first two characters (longest first); loaded on the first join decision that
    needs it (about 0.014 s: indexing every word's length took as long again, and a
    pythainlp Trie 1 s to build).  Each process loads it once: see :func:`preload_word_list`."""
    words = frozenset(map(str.strip, _thai_word_lines()))
    if "" in words:  # not built twice when there is no blank line to drop
        words -= {""}
    lengths: dict[str, set[int]] = {}
    for word in itertools.compress(words, map(_PROBED_LENGTH.__lt__, map(len, words))):
        lengths.setdefault(word[:2], set()).add(len(word))
    return words, {key: tuple(sorted(found, reverse=True)) for key, found in lengths.items()}


def preload_word_list() -> None:
    """Load the word list now: a fork server that calls this once (about 0.015 s) spares
    every worker forked from it the load at its first PDF, and they share the memory."""
    _thai_words()


def _thai_word_lines() -> Iterable[str]:
    """The lines of pythainlp's word list, read from its file as ``thai_words`` reads it:
    importing pythainlp itself costs each worker process 0.04 s more than the reading."""
    spec = importlib.util.find_spec("pythainlp")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "corpus" / "words_th.txt"
        if path.is_file():
            return path.read_bytes().decode("utf-8-sig").splitlines()  # as read_text does
    from pythainlp.corpus import thai_words  # another layout: ask pythainlp

    return thai_words()


_NO_LINE_START = frozenset('ฯๆ)]}"”’,.:;!?%')


def _first_word_width(line: _Line, layout: _Layout) -> float:
    """Width of what the typesetter had to fit at the start of ``line``: leading
    punctuation, then up to the first space, or when Thai follows, the longest dictionary
    word (Thai breaks between words; LibreOffice segments by longest match)."""
    chars = [*_breakable(line, layout), _Char(" ", 0, 0, 0, 1)]
    start = next((i for i, c in enumerate(chars) if c.ch.isalnum() or c.ch in " \t"), 0)
    if _is_thai(chars[start].ch) and layout.thai_breaks:
        end = start + max(1, _longest_word(chars[start:]))
        while end < len(chars) - 1 and chars[end].is_mark and not _is_pua(chars[end].ch):
            end += 1  # no word found: the first letter with its marks
        # a Private Use Area glyph (a tone mark of an old font) is no Thai to the line
        # breaker: it glues the word before (and the letters between) to the one after
        while (pua := _pua_ahead(chars, end)) is not None:
            end = pua + 1
            found = _longest_word(chars[end:]) if _is_thai(chars[end].ch) else 0
            end += found
            while not found and end < len(chars) - 1 and _is_thai(chars[end].ch):
                end += 1  # no word after it: the rest of the Thai run
        while end < len(chars) - 1 and chars[end].ch in _NO_LINE_START:
            end += 1
        if chars[end].ch.isalnum() and not _is_thai(chars[end].ch):
            # no break between Thai and a number or Latin: on to the next space
            end = next(i for i in range(end, len(chars)) if chars[i].ch in " \t")
    else:
        end = next(i for i, c in enumerate(chars) if i >= max(start, 1) and c.ch in " \t")
    bases = [c for c in chars[:end] if c.visible and not c.is_mark] or chars[:1]
    return bases[-1].right - bases[0].left


def _pua_ahead(chars: list[_Char], pos: int) -> int | None:
    """Index of a Private Use Area glyph at ``pos`` or after up to 3 Thai characters."""
    for i in range(pos, min(pos + 4, len(chars) - 1)):
        if _is_pua(chars[i].ch):
            return i
        if not _is_thai(chars[i].ch):
            return None
    return None


def _breakable(line: _Line, layout: _Layout) -> list[_Char]:
    """The visible characters at the start of ``line`` and the spaces it may break at: a space-wide
    gap with nothing drawn in it (pdfium makes up a space there) that does not end at a
    tab stop is a no-break space (LibreOffice draws no glyph for one): it is left out, so
    the words either side of it are one."""
    chars = line.chars[:_WORD_SCAN]
    drawn = " " in line.plain  # where no space is drawn, made-up spaces are plain ones
    return [
        char
        for i, char in enumerate(chars)
        if char.visible
        or (char.ch in " \t" and not (drawn and char.generated and _no_break(chars, i, layout)))
    ]


def _no_break(chars: list[_Char], i: int, layout: _Layout) -> bool:
    before = chars[i - 1] if i else chars[i]
    after = next((chars[k] for k in range(i + 1, len(chars)) if chars[k].visible), None)
    if after is None or not before.visible:
        return False
    gap = after.left - before.right
    return gap < 1.5 * layout.space and not _on_tab_stop(after.left, layout)


def _longest_word(chars: list[_Char]) -> int:
    """Characters in the longest dictionary word that starts ``chars`` (0: none)."""
    text = "".join([c.ch for c in chars[:60]])
    words, lengths = _thai_words()
    for n in lengths.get(text[:2], ()):  # the few long words, indexed
        if n <= len(text) and text[:n] in words:
            return n
    for n in range(min(len(text), _PROBED_LENGTH), 0, -1):
        if text[:n] in words:
            return n
    return 0


def _is_pua(ch: str) -> bool:
    return "\ue000" <= ch <= "\uf8ff"


def _is_thai(ch: str) -> bool:
    """A Thai letter or mark; Thai digits count as digits (a space precedes a word)."""
    return len(ch) == 1 and "\u0e01" <= ch <= "\u0e5b" and not "\u0e50" <= ch <= "\u0e59"


_ITEM_START = re.compile(
    r"^\s*(?:[(\[]?[0-9๐-๙]+(?:\.[0-9๐-๙]+)*[.)\]](?![0-9๐-๙])"  # 1. 2.4 (6.1) 3)
    r"|(?P<date>[0-9๐-๙]{1,4}[/-][0-9๐-๙]{1,2}[/-][0-9๐-๙]{2,4}))"  # a dated entry: 31/8/2563
)


def _join(prev_text: str, prev: _Line, nxt_text: str) -> str:
    """Glue a wrapped line back; a space the typesetter swallowed at a non-Thai break
    (Latin and numbers break only at spaces or after a hyphen) is put back."""
    last, first = prev.plain[-1:], nxt_text[:1]
    if last in (" ", "-", "/", "\t") or first in (" ", "\t") or not first:
        return prev_text + nxt_text
    if _is_thai(last) and _is_thai(first):
        return prev_text + nxt_text
    return prev_text + " " + nxt_text


def _is_wrap(prev: _Line, nxt: _Line, layout: _Layout) -> bool:
    if prev.fixed_text is not None or nxt.fixed_text is not None:
        return False
    if not layout.tab_stops and nxt.page == prev.page and prev.last and prev.last.mcid >= 0:
        # a browser marks each block of the page: one block's lines are its wraps
        return prev.last.mcid == nxt.chars[0].mcid
    if nxt.page == prev.page and nxt.y >= prev.y:
        return False  # drawn above it (a footer drawn first, a second column): no wrap
    width = layout.right - layout.left
    if prev.right - layout.left < _JOIN_MIN_FILL * width or nxt.blanks_before:
        return False
    if nxt.left - layout.left > layout.space * 2:
        return False  # an indented line starts a paragraph or a table row
    if nxt.page != prev.page and prev.y - layout.bottom > 0.5 * layout.pitch:
        return False  # the page was not full: a blank line or a page break ended it
    room = layout.right - prev.right
    if not (_is_thai(prev.plain[-1:]) and _is_thai(nxt.plain[:1])):
        room -= layout.space  # Latin and numbers break at a space (often not drawn)
    slack = _WRAP_SLACK * layout.space
    item = _ITEM_START.match(nxt.plain)
    if (
        item
        and room > 2 * layout.space
        and (item["date"] or _prefix_width(nxt, item.end()) <= room - slack)
    ):
        # a dated entry starts its own line; so does a numbered item whose number could
        # have fitted (items run on in a paragraph: "... 85,018 ราย 7. วันหยุด...")
        return False
    # LibreOffice wraps words that the glyph boxes say would just have fitted (by up to
    # 1.4 spaces in PDFs of the generated exports, where lines that ended a paragraph
    # left from 1.5 spaces): within one space, a word that fits was still wrapped
    return _first_word_width(nxt, layout) > room - slack


def _prefix_width(line: _Line, count: int) -> float:
    """Width of the first ``count`` characters of ``line.plain``."""
    chars = [c for c in line.chars if not c.generated][:count]
    bases = [c for c in chars if c.visible and not c.is_mark]
    return bases[-1].right - bases[0].left if bases else 0.0
