"""Parser for the `kpi_detail` report kind (placeholder until implemented)."""

from __future__ import annotations

from parsers.model import Document, Kind

KIND: Kind = "kpi_detail"


def detect(text: str) -> bool:
    return False


def parse(text: str, source: str) -> Document:
    return Document(kind=KIND, source=source)
