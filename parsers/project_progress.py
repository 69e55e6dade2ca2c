"""Parser for the `project_progress` report kind (placeholder until implemented)."""

from __future__ import annotations

from parsers.model import Document, Kind

KIND: Kind = "project_progress"


def detect(text: str) -> bool:
    return False


def parse(text: str, source: str) -> Document:
    return Document(kind=KIND, source=source)
