"""Parser for the `kpi_form` report kind (placeholder until implemented)."""

from __future__ import annotations

from parsers.model import Document, Kind

KIND: Kind = "kpi_form"


def detect(text: str) -> bool:
    return False


def parse(text: str, source: str) -> Document:
    return Document(kind=KIND, source=source)
