"""Garbled pages: text that still reads as garbage after repair.

A page is garbled when, after ``normalize.repair_text``:

* it shows glyphs without Unicode ("(cid:N)"), Private Use Area glyphs of a Thai font
  (the bullets of symbol fonts, U+F000-U+F0FF, are no damage), or many Thai marks cut off
  by spaces (``garbled_reason``); or
* its Thai reads as no words: few of the tokens a greedy longest match over pythainlp's
  word list cuts its Thai into are words (``dictionary_share``); or
* much of the text its Thai fonts draw is ASCII symbols (a font that lost its ToUnicode
  map turns Thai into them: "%0%2 1 1>").

The thresholds were chosen from measurements on real PDFs (docs/pdf.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ingest.extract.pdf.wraps import _thai_words
from normalize import repair_text
from parsers.model import Anomaly

DICTIONARY_MIN = 0.5  # a page whose Thai tokens are words less often is garbled
SYMBOL_MAX = 0.15  # a page whose Thai fonts draw a larger share of ASCII symbols is garbled
_MIN_TOKENS = 20  # fewer Thai tokens than this: too little Thai to judge by words
_MIN_FONT_CHARS = 100  # fewer characters in Thai fonts than this: too few to judge
_SCAN = 250  # Thai letters of a page looked at for its dictionary share (about 50 words)

_PUA = re.compile(r"[\ue000-\uefff\uf100-\uf8ff]")
_SPLIT_MARK = re.compile(r"[\u0e01-\u0e2e] [\u0e31\u0e34-\u0e3a\u0e47-\u0e4e\u0e30\u0e32\u0e33]")
_THAI = re.compile(r"[\u0e01-\u0e5b]")
_GARBAGE = re.compile(r"[!#$%&*+<=>?@\[\\\]^`{|}~]")  # "_": a form's blanks
_THAI_RUN = re.compile(r"[\u0e01-\u0e4e]+")


def garbled_reason(text: str) -> str | None:
    """Why ``text`` (already repaired) still reads as garbage, or None."""
    if "(cid:" in text:
        return "glyphs without Unicode, shown as (cid:N)"
    if _PUA.search(text):
        return f"{len(_PUA.findall(text))} Private Use Area characters"
    split = len(_SPLIT_MARK.findall(text))
    if not split:
        return None
    thai = len(text) - len(_THAI.sub("", text))  # counted without a string per letter
    if thai >= 50 and split / thai > 0.02:
        return f"{split} Thai vowels or marks cut off from their consonant by a space"
    return None


def dictionary_share(text: str, limit: int = _SCAN) -> tuple[float, int]:
    """Share of the Thai tokens of ``text`` that are dictionary words, and the number of
    tokens: each Thai run is cut by greedy longest match over pythainlp's word list, a
    stretch of letters that starts no word being one token that is not a word."""
    words, lengths = _thai_words()
    found = tokens = scanned = 0
    for run in _THAI_RUN.findall(text):
        pos, stray = 0, False
        while pos < len(run):
            n = _longest(run, pos, words, lengths)
            if n:
                found, tokens, stray = found + 1, tokens + 1, False
                pos += n
            else:
                tokens += not stray  # a stretch of non-words counts once
                stray, pos = True, pos + 1
        scanned += len(run)
        if scanned > limit:
            break
    return (found / tokens if tokens else 1.0), tokens


def _longest(run: str, pos: int, words: frozenset[str], lengths: dict) -> int:
    """Length of the longest word at ``run[pos:]``: only the lengths words that start
    with the same two letters have are probed."""
    for n in _word_lengths().get(run[pos : pos + 2], _ONE):
        if n <= len(run) - pos and run[pos : pos + n] in words:
            return n
    return 0


_ONE = (1,)  # no word starts with these two letters: only a one-letter word may


@cache
def _word_lengths() -> dict[str, tuple[int, ...]]:
    """The lengths of the words by their first two letters, longest first (and 1, for
    the one-letter words that start with the first of them)."""
    words, _ = _thai_words()
    lengths: dict[str, set[int]] = {}
    for word in words:
        lengths.setdefault(word[:2], set()).add(len(word))
    return {key: tuple(sorted(found | {1}, reverse=True)) for key, found in lengths.items()}


def foreign_share(thai_font_text: str) -> float:
    """Share of the characters drawn in Thai fonts that are ASCII symbols no Thai text
    uses much (``%#>?@$``...): what a Thai font without its ToUnicode map turns into.
    English, digits, dot leaders and brackets in a Thai font are no sign of garbage."""
    if not thai_font_text:
        return 0.0
    return len(_GARBAGE.findall(thai_font_text)) / len(thai_font_text)


@dataclass(frozen=True)
class PageVerdict:
    page: int
    dictionary_share: float  # 1.0 when the page has no Thai
    tokens: int
    foreign_share: float  # of the text in Thai fonts
    font_chars: int
    reason: str | None  # why the page is garbled; None: it reads as text
    unreadable: bool = False  # garbled by the words or symbols measure: no text at all


def page_verdict(page: int, text: str, thai_font_text: str) -> PageVerdict:
    """The verdict on page ``page`` from its ``text`` (repaired) and the characters its
    Thai fonts draw."""
    share, tokens = dictionary_share(text)
    foreign = foreign_share(thai_font_text)
    reason = None
    if tokens >= _MIN_TOKENS and share < DICTIONARY_MIN:
        reason = f"only {share:.0%} of its {tokens} Thai tokens are words"
    elif len(thai_font_text) >= _MIN_FONT_CHARS and foreign > SYMBOL_MAX:
        reason = f"{foreign:.0%} of the text in its Thai fonts is ASCII symbols"
    unreadable = reason is not None
    reason = reason or garbled_reason(text)
    return PageVerdict(page, share, tokens, foreign, len(thai_font_text), reason, unreadable)


def page_verdicts(
    texts: list[str], line_pages: list[int], font_texts: dict[int, str]
) -> tuple[list[PageVerdict], dict[int, int]]:
    """A verdict per page with text (repaired first), and each page's first line."""
    by_page: dict[int, list[str]] = {}
    first_line: dict[int, int] = {}
    for no, (text, page) in enumerate(zip(texts, line_pages, strict=True), 1):
        by_page.setdefault(page, []).append(text)
        first_line.setdefault(page, no)
    verdicts = [
        page_verdict(page, repair_text("\n".join(lines)), font_texts.get(page, ""))
        for page, lines in sorted(by_page.items())
    ]
    return verdicts, first_line


def garbled_anomalies(
    verdicts: list[PageVerdict], first_line: dict[int, int]
) -> tuple[Anomaly, ...]:
    return tuple(
        Anomaly(
            rule="garbled_page",
            severity="warning",
            message=f"Page {v.page} is still garbled after repair ({v.reason}); "
            "facts read from it may be wrong.",
            line_no=first_line[v.page],
            page=v.page,
        )
        for v in verdicts
        if v.reason
    )
