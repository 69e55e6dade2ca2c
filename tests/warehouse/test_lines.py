"""document_lines, date_mentions and amounts: every document's lines land, by both write paths."""

from __future__ import annotations

import dataclasses

from tests.warehouse.warehouse_builders import full_document, source_for
from warehouse.store import Warehouse


def test_every_line_lands_numbered_with_its_page(wh: Warehouse, run: str) -> None:
    doc = full_document(lines=("หัวเรื่อง", "", "ค่าเป้าหมาย ร้อยละ : 70"), line_pages=(1, 1, 2))
    wh.load(run, source_for("a.pdf", "a"), doc)
    _, rows = wh.query("SELECT line_no, page, text, run_id FROM document_lines ORDER BY line_no")
    assert rows == [
        (1, 1, "หัวเรื่อง", run),
        (2, 1, "", run),
        (3, 2, "ค่าเป้าหมาย ร้อยละ : 70", run),
    ]


def test_a_text_has_no_pages_and_a_reload_replaces_the_lines(wh: Warehouse, run: str) -> None:
    src = source_for("a.txt", "a")
    wh.load(run, src, full_document(lines=("หนึ่ง", "สอง")))
    wh.load(run, src, full_document(lines=("หนึ่ง", "สอง", "สาม")))
    _, rows = wh.query("SELECT line_no, page, text FROM document_lines ORDER BY line_no")
    assert rows == [(1, None, "หนึ่ง"), (2, None, "สอง"), (3, None, "สาม")]


def test_many_documents_in_one_batch(wh: Warehouse, run: str) -> None:
    items = []
    for n in range(70):  # over SMALL_BATCH: the Arrow path in the default configuration
        lines = tuple(f"บรรทัด {k} ของ {n}" for k in range(1, n % 5 + 2))
        doc = full_document(lines=lines, line_pages=(3,) * len(lines) if n % 2 else None)
        items.append((source_for(f"d{n}.txt", str(n)), doc))
    assert wh.load_many(run, items) == []
    _, rows = wh.query(
        "SELECT d.source_path, l.line_no, l.page, l.text FROM document_lines l "
        "JOIN documents d USING (doc_id) WHERE d.source_path IN ('d7.txt', 'd8.txt') "
        "ORDER BY 1, 2"
    )
    assert rows == [
        ("d7.txt", 1, 3, "บรรทัด 1 ของ 7"),
        ("d7.txt", 2, 3, "บรรทัด 2 ของ 7"),
        ("d7.txt", 3, 3, "บรรทัด 3 ของ 7"),
        ("d8.txt", 1, None, "บรรทัด 1 ของ 8"),
        ("d8.txt", 2, None, "บรรทัด 2 ของ 8"),
        ("d8.txt", 3, None, "บรรทัด 3 ของ 8"),
        ("d8.txt", 4, None, "บรรทัด 4 ของ 8"),
    ]
    assert wh.query("SELECT count(*) FROM document_lines")[1] == [
        (sum(n % 5 + 1 for n in range(70)),)
    ]


def test_dates_and_amounts_land(wh: Warehouse, run: str) -> None:
    doc = full_document()
    wh.load(run, source_for("a.txt", "a"), dataclasses.replace(doc, line_pages=None))
    _, dates = wh.query("SELECT raw, start_date, end_date, grain, line_no FROM date_mentions")
    assert [(r[0], r[1].isoformat(), r[2].isoformat(), r[3], r[4]) for r in dates] == [
        ("ต.ค. 66", "2023-10-01", "2023-10-31", "month", 15)
    ]
    _, amounts = wh.query("SELECT raw, value, unit, line_no FROM amounts")
    assert amounts == [("1.5 ล้านบาท", 1500000.0, "บาท", 16)]
