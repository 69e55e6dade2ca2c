"""The real sample exports, parsed by the registry, load and reload without loss."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from parsers.errors import RaynganError
from parsers.model import RECORD_FIELDS, Document
from parsers.registry import parse_document
from tests.warehouse.warehouse_builders import table_counts
from warehouse.store import SourceFile, Warehouse

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def _parsed_samples() -> list[tuple[SourceFile, Document]]:
    parsed = []
    for path in sorted([*SAMPLES.glob("*.txt"), *SAMPLES.glob("real/*.txt")]):
        data = path.read_bytes()
        try:
            text = data.decode("utf-8-sig")
            doc = parse_document(text, str(path))
        except (UnicodeDecodeError, RaynganError, NotImplementedError):
            continue  # parsers still being written may not handle every sample yet
        digest = hashlib.sha256(data).hexdigest()
        source = SourceFile(str(path), digest, len(data), path.stat().st_mtime_ns, "utf-8", "text")
        parsed.append((source, doc))
    return parsed


def test_samples_load_every_record_and_reload_identically(db_path: Path) -> None:
    items = _parsed_samples()
    if not items:
        pytest.skip("no sample parses yet")
    with Warehouse.open(db_path) as wh:
        run = wh.start_run()
        assert wh.load_many(run, items) == []
        first = table_counts(wh)
        assert first["documents"] == len({s.sha256 for s, _ in items})
        for table in RECORD_FIELDS:
            expected = sum(len(getattr(doc, table)) for _, doc in items)
            assert first[table] == expected, table
        for source, doc in items:  # one transaction per file this time
            wh.load(wh.start_run(), source, doc)
        again = table_counts(wh)
    same = {"documents", *RECORD_FIELDS, "source_files"}
    assert {t: again[t] for t in same} == {t: first[t] for t in same}
