"""contacts.phone as written and contacts.phone_digits (migration 0003), new and old rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers.model import Contact
from tests.warehouse.warehouse_builders import full_document, source_for
from warehouse import schema
from warehouse.store import Warehouse

LINE = "นางสาวกนกรัตน์ ชลาสินธุ์ โทร. 0 2203 2725 หรือโทร. 2556"


def test_rows_keep_the_number_as_written_and_its_digits(wh: Warehouse) -> None:
    contacts = (
        Contact("นางสาวกนกรัตน์ ชลาสินธุ์", None, "0 2203 2725", None, 11, None, "022032725"),
        Contact("นางสาวกนกรัตน์ ชลาสินธุ์", None, "2556", None, 11, None, "2556"),
        Contact("ฝ่ายเทศกิจ", None, None, "ฝ่ายเทศกิจ", 11),
    )
    run = wh.start_run()
    wh.load(run, source_for("a.txt", LINE), full_document(contacts=contacts))
    rows = wh.query("SELECT name, phone, phone_digits, agency FROM contacts ORDER BY phone")[1]
    assert rows == [
        ("นางสาวกนกรัตน์ ชลาสินธุ์", "0 2203 2725", "022032725", None),
        ("นางสาวกนกรัตน์ ชลาสินธุ์", "2556", "2556", None),
        ("ฝ่ายเทศกิจ", None, None, "ฝ่ายเทศกิจ"),
    ]


def test_the_migration_fills_phone_digits_of_rows_loaded_before_it(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped = schema.available_migrations()
    before = [m for m in shipped if m.version < 3]
    monkeypatch.setattr(schema, "available_migrations", lambda: before)
    with Warehouse.open(db_path) as wh:
        wh.con.execute(
            "INSERT INTO contacts (doc_id, name, phone, run_id) VALUES "
            "('d', 'นาย ก', '68223', 'r'), ('d', 'ฝ่ายปกครอง', NULL, 'r')"
        )
    monkeypatch.undo()
    with Warehouse.open(db_path) as wh:
        assert 3 in schema.applied_versions(wh.con)
        rows = wh.query("SELECT name, phone, phone_digits FROM contacts ORDER BY name")[1]
    assert rows == [("นาย ก", "68223", "68223"), ("ฝ่ายปกครอง", None, None)]
