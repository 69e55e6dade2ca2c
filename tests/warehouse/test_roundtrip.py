"""Text and numbers come back from DuckDB exactly as the parser produced them."""

from __future__ import annotations

import dataclasses
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers.errors import WarehouseError
from parsers.model import Attribute, ReachMetric
from tests.warehouse.warehouse_builders import full_document, source_for
from warehouse.store import Warehouse

HOSTILE = [
    "",
    " ",
    "\ufeffชื่อตัวชี้วัด",
    "ก\u200bข\u200c\u200d",
    "ร้อยละ\u00a0๘๐",
    "บรรทัด\r\nใหม่",
    "a\x00b",
    'it\'s "quoted" ; DROP TABLE documents; --',
    "ทำ" * 2000,
    "🙂 emoji",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_round_trips(db_path: Path, text: str) -> None:
    doc = full_document(title=text, attributes=(Attribute("k", text, 1),))
    with Warehouse.open(db_path) as wh:
        wh.load(wh.start_run(), source_for("h.txt", "h"), doc)
        assert wh.query("SELECT title FROM documents")[1] == [(text,)]
        assert wh.query("SELECT value FROM attributes")[1] == [(text,)]


def test_lone_surrogate_fails_the_file_with_a_clear_error(db_path: Path) -> None:
    doc = full_document(title="bad \udcff byte")
    with Warehouse.open(db_path) as wh:
        with pytest.raises(WarehouseError, match="not valid Unicode") as info:
            wh.load(wh.start_run(), source_for("s.txt", "s"), doc)
        assert info.value.path == "s.txt"
        assert wh.query("SELECT count(*) FROM documents")[1] == [(0,)]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    texts=st.lists(st.text(max_size=60), min_size=1, max_size=5),
    values=st.lists(st.integers(min_value=-(2**63), max_value=2**63 - 1), min_size=1, max_size=5),
    day=st.dates(min_value=date(1900, 1, 1), max_value=date(2600, 12, 31)),
)
def test_any_text_number_and_date_round_trip(
    texts: list[str], values: list[int], day: date
) -> None:
    attrs = tuple(Attribute(f"k{n}", t, n) for n, t in enumerate(texts, 1))
    reach = tuple(
        ReachMetric(1, day, None, None, "reach", v, "คน", n) for n, v in enumerate(values)
    )
    doc = dataclasses.replace(full_document(), attributes=attrs, reach_metrics=reach)
    with tempfile.TemporaryDirectory() as tmp, Warehouse.open(Path(tmp) / "h.duckdb") as wh:
        wh.load(wh.start_run(), source_for("h.txt", "h"), doc)
        got = wh.query("SELECT value FROM attributes ORDER BY line_no")[1]
        assert [g[0] for g in got] == texts
        nums = wh.query("SELECT value, report_date FROM reach_metrics ORDER BY line_no")[1]
        assert nums == [(v, day) for v in values]
