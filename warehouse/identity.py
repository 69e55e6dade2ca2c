"""Report identity: which exports are the same report (pure functions, no I/O).

A report is known by its kind, its code (or, without one, its title) and its fiscal year.
A page with neither code nor title (a headless web capture, a cut-off PDF) is known by a
content fingerprint instead: its kind, fiscal year and the letters of the text that stays
the same however the page is saved (text, HTML, a browser's PDF print) and however often it
is re-exported: the descriptive fields first, then the oldest progress entry.  Digits,
spaces and punctuation are dropped, so a re-export whose figures changed (a new result, a
later date) keeps its fingerprint and becomes a newer snapshot of the same report, while
line wraps, PDF spacing and HTML markup never enter it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator

from parsers.model import Document

FINGERPRINT_PREFIX = "content:"
# Letters taken into the fingerprint: enough to tell two reports apart, few enough that a
# capture cut short (or a re-export with a longer entry) keeps the same key.
FINGERPRINT_LETTERS = 400
_SPACES = re.compile(r"\s+")


def identity_letters(text: str) -> str:
    """``text`` reduced to its letters and marks (no digits, spaces or punctuation), lowercased.

    >>> identity_letters("ค่าเป้าหมาย ร้อยละ : 70")
    'ค่าเป้าหมายร้อยละ'
    >>> identity_letters("Reach, 3,000 people!")
    'reachpeople'
    """
    text = unicodedata.normalize("NFC", text)
    return "".join(ch for ch in text.lower() if unicodedata.category(ch)[0] in "LM")


def _stable_texts(doc: Document) -> Iterator[str | None]:
    """The document's descriptive text, steadiest first (the order decides what is kept)."""
    for attr in doc.attributes:
        yield attr.value
    for ind in doc.indicators:
        yield ind.name
        yield ind.indicator_type
        yield ind.target_unit
    yield from (k.name for k in doc.key_results)
    yield from (s.name for s in doc.strategy_links)
    yield from (p.description for p in doc.plan_steps)
    yield from (c.name for c in doc.contacts)
    entries = sorted(
        doc.report_entries, key=lambda e: (e.report_date is None, e.report_date, e.entry_no)
    )
    if entries:
        yield entries[0].body


def content_fingerprint(doc: Document) -> str | None:
    """``'content:<16 hex>'`` for ``doc``, or None when it has no descriptive text at all."""
    letters = "".join(identity_letters(t) for t in _stable_texts(doc) if t)
    if not letters:
        return None
    key = f"{doc.kind}\x1f{doc.fiscal_year}\x1f{letters[:FINGERPRINT_LETTERS]}"
    return FINGERPRINT_PREFIX + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def report_key(doc: Document) -> str | None:
    """The ``documents.title_key`` of ``doc``: its code, else its title (spaces collapsed),
    else its content fingerprint; None when it has none of them."""
    if doc.code and doc.code.strip():
        return doc.code.strip()
    if doc.title and doc.title.strip():
        return _SPACES.sub(" ", doc.title).strip()
    return content_fingerprint(doc)
