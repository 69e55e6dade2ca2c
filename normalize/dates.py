"""Thai dates (placeholder until the date parser lands)."""

from __future__ import annotations

from datetime import date


def parse_date(text: str, *, order: str = "dmy") -> date | None:
    found = find_dates(text, order=order)
    return found[0] if found else None


def find_dates(text: str, *, order: str = "dmy") -> list[date]:
    return []
