"""Repair of Thai text damaged by PDF tools and legacy fonts (placeholder)."""

from __future__ import annotations

import unicodedata


def repair_text(text: str) -> str:
    """NFC and the ำ fixes; the full chain is being written."""
    text = unicodedata.normalize("NFC", text).replace("\ufeff", "")
    return text.replace("\u0e4d\u0e32", "\u0e33").replace("\u0e33\u0e32", "\u0e33")
