"""Shared helpers of the extraction tests: the facts of a document, as compared."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from parsers.model import to_jsonable
from parsers.registry import parse_document

EXTRACTION_ONLY = {"repaired_text", "garbled_page"}
_LINE_REF = re.compile(r"\b([Ll]ines?) [0-9]+(?:\s*(?:-|–|and|to)\s*[0-9]+)?")


def _normalise(value: object, key: str = "") -> object:
    if isinstance(value, dict):
        return {k: _normalise(v, k) for k, v in value.items() if k not in ("line_no", "page")}
    if isinstance(value, list):
        return [_normalise(v, key) for v in value]
    if isinstance(value, str):
        if key == "message":
            value = _LINE_REF.sub(r"\1 N", value)
        return "".join(value.split())
    return value


def sample_facts(text: str) -> dict:
    """The parse of ``text`` without provenance, free text compared without whitespace."""
    doc = to_jsonable(parse_document(text, "sample"))
    doc.pop("source")
    doc["anomalies"] = [a for a in doc["anomalies"] if a["rule"] not in EXTRACTION_ONLY]
    return _normalise(doc)  # type: ignore[return-value]


@pytest.fixture
def facts() -> Callable[[str], dict]:
    return sample_facts
