"""Garbled pages: text that still reads as garbage after repair."""

from __future__ import annotations

import re

from normalize import repair_text
from parsers.model import Anomaly

# -- garbled pages ------------------------------------------------------------------------

_PUA = re.compile(r"[\ue000-\uf8ff]")
_SPLIT_MARK = re.compile(r"[\u0e01-\u0e2e] [\u0e31\u0e34-\u0e3a\u0e47-\u0e4e\u0e30\u0e32\u0e33]")
_THAI = re.compile(r"[\u0e01-\u0e5b]")


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


def _garbled_pages(texts: list[str], line_pages: list[int]) -> tuple[Anomaly, ...]:
    by_page: dict[int, list[tuple[int, str]]] = {}
    for no, (text, page) in enumerate(zip(texts, line_pages, strict=True), 1):
        by_page.setdefault(page, []).append((no, text))
    found = []
    for page, lines in sorted(by_page.items()):
        reason = garbled_reason(repair_text("\n".join(text for _, text in lines)))
        if reason:
            found.append(
                Anomaly(
                    rule="garbled_page",
                    severity="warning",
                    message=f"Page {page} is still garbled after repair ({reason}); "
                    "facts read from it may be wrong.",
                    line_no=lines[0][0],
                    page=page,
                )
            )
    return tuple(found)
