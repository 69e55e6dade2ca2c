"""Lines and sections: a page cut into numbered, cleaned lines and into sections at its
heading lines; numbers as written."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress, count
from operator import attrgetter
from typing import Any

from parsers.model import (
    fast_init,
)

NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NUM_RE = re.compile(rf"(?:{NUM})")


# --------------------------------------------------------------------------- lines


@fast_init  # every line of every page becomes a Line
@dataclass(frozen=True)
class Line:
    """One line of the page: its 1-based number and its text with blanks collapsed."""

    no: int
    text: str


def clean(text: str) -> str:
    """Collapse every run of blanks (NBSP, tabs included) to one space and strip.

    >>> clean("  ค่าเป้าหมาย\\u00a0 ร้อยละ :\\t90 ")
    'ค่าเป้าหมาย ร้อยละ : 90'
    """
    return " ".join(text.split())


def numbered_lines(text: str) -> list[Line]:
    """The lines of ``text`` (split on ``\\n`` only, as the registry counts them), cleaned.

    A capture cut inside a character ends with U+FFFD: that is no text and is dropped.
    """
    text = text.rstrip("\ufffd")
    # clean() inlined and the Lines built by map(): this runs on every line of every page
    return list(map(Line, count(1), [" ".join(raw.split()) for raw in text.split("\n")]))


def join_text(lines: Iterable[Line]) -> tuple[str, int | None]:
    """The non-blank lines joined by newlines, and the number of the first one."""
    kept = [ln for ln in lines if ln.text]
    if not kept:
        return "", None
    return "\n".join(ln.text for ln in kept), kept[0].no


def to_float(raw: str | None) -> float | None:
    """A written number as a float; None when there is none.

    >>> to_float("1,104,325"), to_float("๙๐"), to_float(""), to_float("abc")
    (1104325.0, 90.0, None, None)
    """
    if not raw:
        return None
    # No digit mapping needed: \d matches Thai digits (one code point each, as the Arabic
    # ones) and float() reads them.
    m = _NUM_RE.search(raw)
    return float(m.group().replace(",", "")) if m else None


@fast_init
@dataclass(frozen=True)
class Section:
    """A run of lines under one heading; ``key`` is 'preamble' before the first heading."""

    key: str
    heading: Line | None
    match: re.Match[str] | None
    lines: tuple[Line, ...]


def split_sections(
    lines: Sequence[Line],
    headings: Sequence[tuple[str, re.Pattern[str]]],
    *,
    max_len: int = 90,
) -> list[Section]:
    """Cut ``lines`` at heading lines (a short line a pattern matches from its start)."""
    sections: list[Section] = []
    key, head, match, start = "preamble", None, None, 0
    for i in _candidate_lines(lines, headings):
        found = _heading(bare(lines[i].text), headings, max_len)
        if found is None:
            continue
        sections.append(Section(key, head, match, tuple(lines[start:i])))
        key, match = found
        head, start = lines[i], i + 1
    sections.append(Section(key, head, match, tuple(lines[start:])))
    return sections


def _candidate_lines(
    lines: Sequence[Line], headings: Sequence[tuple[str, re.Pattern[str]]]
) -> Iterable[int]:
    """The indexes of the lines that may be headings (a superset, checked by the caller).

    Most lines are no heading: one match per line, run by ``map`` at C speed, rejects them
    instead of a Python loop trying each heading pattern.
    """
    any_heading = _any_heading(tuple(headings))
    if any_heading is None:
        return range(len(lines))
    return compress(count(), map(any_heading.match, map(_TEXT, lines)))


_TEXT = attrgetter("text")


_NAMED_GROUP = re.compile(r"(?<!\\)\(\?P<\w+>")


@lru_cache(maxsize=32)
def _any_heading(headings: tuple[tuple[str, re.Pattern[str]], ...]) -> re.Pattern[str] | None:
    """One pattern that matches a line wherever any of ``headings`` matches its bare() text;
    None when they cannot be joined (different flags, back references, lookbehinds that
    would see the "**" prefix)."""
    flags = {pattern.flags for _, pattern in headings}
    sources = [pattern.pattern for _, pattern in headings]
    if len(flags) != 1 or any(
        "(?P=" in src or "(?<" in src or re.search(r"\\\d", src) for src in sources
    ):
        return None
    # Group names may repeat across headings: the joined pattern captures nothing.
    joined = "|".join(f"(?:{_NAMED_GROUP.sub('(?:', src)})" for src in sources)
    try:
        return re.compile(rf"(?:\*[* ]*)?(?:{joined})", flags.pop())  # bare() strips "*" and " "
    except re.error:
        return None


def _heading(
    text: str, headings: Sequence[tuple[str, re.Pattern[str]]], max_len: int
) -> tuple[str, re.Match[str]] | None:
    if not text or len(text) > max_len:
        return None
    for key, pattern in headings:
        m = pattern.match(text)
        if m:
            return key, m
    return None


def bare(text: str) -> str:
    """A line without its "**" / "***" label prefix (exports differ in these)."""
    return text.lstrip("* ") if text.startswith("*") else text


class LinesFrom(Sequence[int]):
    """The numbers of ``lines[start:]`` without copying them (a report can have many)."""

    def __init__(self, lines: Sequence[Line], start: int = 0) -> None:
        self._lines, self._start = lines, start

    def __len__(self) -> int:
        return max(len(self._lines) - self._start, 0)

    def __getitem__(self, k: Any) -> Any:
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(len(self)))]
        n = max(len(self._lines) - self._start, 0)  # len(self), without the call
        if not -n <= k < n:
            raise IndexError(k)
        return self._lines[self._start + k % n].no
