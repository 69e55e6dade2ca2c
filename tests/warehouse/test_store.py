"""Loading Documents into a real DuckDB file: identity, reloads, snapshots, failures."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from parsers import PARSER_VERSION
from parsers.errors import WarehouseError
from parsers.model import RECORD_FIELDS, Attribute, ReachMetric
from tests.warehouse.warehouse_builders import (
    count,
    full_document,
    progress_export,
    sha,
    source_for,
    table_counts,
)
from warehouse.rows import FACT_COLUMNS, RENAMED
from warehouse.store import Warehouse


def test_every_record_lands_in_its_table_with_line_page_and_run(wh: Warehouse, run: str) -> None:
    doc = full_document()
    src = source_for("a/full.txt", "full")
    wh.load(run, src, doc)
    for table in RECORD_FIELDS:
        cols, rows = wh.query(f"SELECT * FROM {table}")
        assert len(rows) == 1, table
        row = dict(zip(cols, rows[0], strict=True))
        record = getattr(doc, table)[0]
        assert row["doc_id"] == src.sha256
        assert row["run_id"] == run
        assert row["line_no"] == record.line_no
        assert row["page"] is None
        for field in FACT_COLUMNS[table]:
            assert row[RENAMED.get((table, field), field)] == getattr(record, field), (table, field)


def test_model_fields_all_have_columns() -> None:
    # A field added to the model but not to the warehouse would be silently dropped.
    doc = full_document()
    for table in RECORD_FIELDS:
        record = getattr(doc, table)[0]
        fields = {f.name for f in dataclasses.fields(record)} - {"line_no", "page"}
        assert fields == set(FACT_COLUMNS[table]), table


def test_document_row_describes_the_file(wh: Warehouse, run: str) -> None:
    src = source_for("reports/full.txt", "bytes of full")
    wh.load(run, src, full_document())
    cols, rows = wh.query("SELECT * FROM documents")
    row = dict(zip(cols, rows[0], strict=True))
    assert row["doc_id"] == src.sha256
    assert row["source_path"] == "reports/full.txt"
    assert row["size_bytes"] == src.size_bytes
    assert row["encoding"] == "utf-8"
    assert row["title_key"] == "0411-2029"
    assert row["latest_entry_date"] == date(2024, 1, 15)
    assert row["parser_version"] == PARSER_VERSION
    assert row["anomaly_count"] == 1
    assert row["first_run_id"] == run


def test_reload_is_idempotent_and_keeps_first_load(wh: Warehouse, run: str) -> None:
    src = source_for("full.txt", "full")
    wh.load(run, src, full_document())
    before = table_counts(wh)
    first = wh.query("SELECT first_loaded_at, first_run_id FROM documents")[1]
    second_run = wh.start_run()
    wh.load(second_run, src, full_document())
    wh.load_many(second_run, [(src, full_document())])
    after = table_counts(wh)
    assert {k: v for k, v in after.items() if k not in ("source_file_events", "ingest_runs")} == {
        k: v for k, v in before.items() if k not in ("source_file_events", "ingest_runs")
    }
    assert wh.query("SELECT first_loaded_at, first_run_id FROM documents")[1] == first
    assert wh.query("SELECT DISTINCT run_id FROM indicators")[1] == [(second_run,)]


def test_same_bytes_at_another_path_add_no_document(wh: Warehouse, run: str) -> None:
    first = source_for("a/report.txt", "same bytes")
    copy = source_for("b/copy.txt", "same bytes")
    wh.load(run, first, full_document())
    assert wh.existing_documents([copy.sha256], PARSER_VERSION) == {copy.sha256}
    assert not wh.existing_documents([copy.sha256], "older")
    wh.record_unchanged_many(run, [copy])
    assert count(wh, "documents") == 1
    known = wh.known_files()
    assert set(known) == {"a/report.txt", "b/copy.txt"}
    assert known["b/copy.txt"].sha256 == known["a/report.txt"].sha256
    assert known["b/copy.txt"].parser_version == PARSER_VERSION


def test_same_bytes_twice_in_one_batch(wh: Warehouse, run: str) -> None:
    items = [(source_for(p, "twin"), full_document()) for p in ("x.txt", "y.txt")]
    assert wh.load_many(run, items) == []
    assert count(wh, "documents") == 1
    assert count(wh, "indicators") == 1
    assert count(wh, "source_files", "status = 'loaded'") == 2


def test_changed_bytes_keep_both_snapshots_latest_wins(wh: Warehouse, run: str) -> None:
    jan, feb, mar = date(2024, 1, 10), date(2024, 2, 10), date(2024, 3, 10)
    old = progress_export([(jan, 100), (feb, 200)])
    new = progress_export([(jan, 100), (feb, 200), (mar, 300)])
    wh.load(run, source_for("p.txt", "export 1"), old)
    wh.load(run, source_for("p.txt", "export 2"), new)
    assert count(wh, "documents") == 2
    assert wh.query("SELECT doc_id FROM latest_documents")[1] == [(sha("export 2"),)]
    cols, rows = wh.query(
        "SELECT month, metric, total_value, value FROM monthly_reach ORDER BY month"
    )
    assert cols == ["month", "metric", "total_value", "value"]
    assert rows == [
        (date(2024, 1, 1), "reach", 100, 100),
        (date(2024, 2, 1), "reach", 200, 200),
        (date(2024, 3, 1), "reach", 300, 300),
    ]
    assert wh.known_files()["p.txt"].sha256 == sha("export 2")


def test_latest_is_by_content_date_before_ingest_order(wh: Warehouse, run: str) -> None:
    newer = progress_export([(date(2024, 5, 1), 5)])
    older = progress_export([(date(2024, 4, 1), 4)])
    wh.load(run, source_for("new.txt", "newer content"), newer)
    wh.load(run, source_for("old.txt", "older content, loaded later"), older)
    assert wh.query("SELECT doc_id FROM latest_documents")[1] == [(sha("newer content"),)]
    assert wh.query("SELECT sum(value) FROM monthly_reach")[1] == [(5,)]


def test_undated_reports_latest_ingest_wins(wh: Warehouse, run: str) -> None:
    doc = full_document(report_entries=(), reach_metrics=())
    wh.load(run, source_for("f1.txt", "first"), doc)
    wh.load(wh.start_run(), source_for("f2.txt", "second"), doc)
    assert wh.query("SELECT doc_id FROM latest_documents")[1] == [(sha("second"),)]


def test_latest_groups_by_kind_code_or_title_and_year(wh: Warehouse, run: str) -> None:
    docs = {
        "a": full_document(),
        "b": full_document(fiscal_year=2568),
        "c": full_document(code=None, title="ไม่มีรหัส"),
        "d": full_document(code=None, title="ไม่มีรหัส "),  # same title, stray space
        "e": full_document(code=None, title=None),
        "f": full_document(code=None, title=None),  # e re-exported: figures changed below
        "g": full_document(code=None, title=None, attributes=(Attribute("definition", "อื่น", 14),)),
    }
    docs["f"] = dataclasses.replace(
        docs["f"], indicators=(dataclasses.replace(docs["e"].indicators[0], achieved_value=90.0),)
    )
    wh.load_many(run, [(source_for(f"{k}.txt", k), d) for k, d in docs.items()])
    # a, b, one of c/d, one of e/f (same content fingerprint), g (other text)
    assert count(wh, "latest_documents") == 5


def test_monthly_reach_sums_within_a_month(wh: Warehouse, run: str) -> None:
    doc = progress_export([(date(2024, 1, 3), 10), (date(2024, 1, 30), 5)])
    extra = (ReachMetric(None, None, None, None, "reach", 999, "คน", 40),)  # undated: left out
    doc = dataclasses.replace(doc, reach_metrics=doc.reach_metrics + extra)
    wh.load(run, source_for("m.txt", "m"), doc)
    assert wh.query("SELECT month, total_value, row_count FROM monthly_reach")[1] == [
        (date(2024, 1, 1), 15, 2)
    ]


def test_bad_document_fails_alone_in_a_batch(wh: Warehouse, run: str) -> None:
    bad_metric = ReachMetric(1, date(2024, 1, 1), None, None, "reach", 1.5, "คน", 3)  # type: ignore[arg-type]
    bad = progress_export([(date(2024, 1, 1), 1)])
    bad = dataclasses.replace(bad, reach_metrics=(bad_metric,))
    items = [
        (source_for("good1.txt", "g1"), full_document()),
        (source_for("bad.txt", "bad"), bad),
        (source_for("good2.txt", "g2"), full_document()),
    ]
    failures = wh.load_many(run, items)
    assert [f.source.path for f in failures] == ["bad.txt"]
    assert count(wh, "documents") == 2
    assert count(wh, "documents", f"doc_id = '{sha('bad')}'") == 0
    assert count(wh, "report_entries", f"doc_id = '{sha('bad')}'") == 0
    known = wh.known_files()
    assert known["bad.txt"].status == "failed"
    assert known["bad.txt"].parser_version is None
    assert wh.query("SELECT error FROM source_files WHERE path = 'bad.txt'")[1][0][0]


def test_failed_load_writes_nothing(wh: Warehouse, run: str) -> None:
    bad = full_document(fiscal_year="not a year")  # type: ignore[arg-type]
    with pytest.raises(WarehouseError) as info:
        wh.load(run, source_for("bad.txt", "bad"), bad)
    assert info.value.path == "bad.txt"
    assert sum(table_counts(wh)[t] for t in ("documents", *RECORD_FIELDS, "source_files")) == 0


def test_failed_file_keeps_its_older_snapshot(wh: Warehouse, run: str) -> None:
    wh.load(run, source_for("r.txt", "v1"), full_document())
    wh.record_failed(wh.start_run(), source_for("r.txt", "v2"), "The text is none of the kinds.")
    assert count(wh, "documents") == 1
    assert wh.known_files()["r.txt"].status == "failed"
    assert count(wh, "source_file_events", "path = 'r.txt'") == 2


def test_runs_are_recorded(wh: Warehouse) -> None:
    run = wh.start_run()
    wh.finish_run(run, seen=3, loaded=1, unchanged=1, failed=1)
    cols, rows = wh.query("SELECT * FROM ingest_runs")
    row = dict(zip(cols, rows[0], strict=True))
    assert row["run_id"] == run
    assert (
        row["files_seen"],
        row["files_loaded"],
        row["files_unchanged"],
        row["files_failed"],
    ) == (
        3,
        1,
        1,
        1,
    )
    assert row["finished_at"] >= row["started_at"]


def test_status_summarises(wh: Warehouse, run: str) -> None:
    wh.load(run, source_for("a.txt", "a"), full_document())
    wh.load(run, source_for("b.txt", "b"), full_document(fiscal_year=2568))
    wh.record_failed(run, source_for("c.txt", "c"), "Unreadable.")
    wh.finish_run(run, seen=3, loaded=2, unchanged=0, failed=1)
    status = wh.status()
    assert status["documents"] == 2
    assert status["by_kind_year"] == [
        {"kind": "kpi_detail", "fiscal_year": 2567, "documents": 1, "latest": 1},
        {"kind": "kpi_detail", "fiscal_year": 2568, "documents": 1, "latest": 1},
    ]
    assert status["files"] == {"loaded": 2, "failed": 1}
    assert status["failed_files"][0]["path"] == "c.txt"
    assert status["failed_files"][0]["error"] == "Unreadable."
    assert status["runs"][0]["run_id"] == run


def test_query_returns_columns_and_rows(wh: Warehouse) -> None:
    assert wh.query("SELECT 1 AS a, ? AS b", ["x"]) == (["a", "b"], [(1, "x")])
    with pytest.raises(WarehouseError, match="query failed"):
        wh.query("SELECT * FROM no_such_table")


def test_bulk_reload_of_many_documents(wh: Warehouse, run: str) -> None:
    items = [(source_for(f"d{n}.txt", f"doc {n}"), full_document()) for n in range(40)]
    assert wh.load_many(run, items, batch_size=25) == []
    before = table_counts(wh)
    first = wh.query("SELECT doc_id, first_run_id FROM documents ORDER BY doc_id")[1]
    again = wh.start_run()
    assert wh.load_many(again, items) == []
    assert table_counts(wh)["indicators"] == before["indicators"] == 40
    assert wh.query("SELECT doc_id, first_run_id FROM documents ORDER BY doc_id")[1] == first
    assert wh.query("SELECT DISTINCT run_id FROM documents")[1] == [(again,)]


def test_bulk_status_records(wh: Warehouse, run: str) -> None:
    loaded = [source_for(f"s{n}.txt", f"s{n}") for n in range(20)]
    wh.load_many(run, [(s, full_document()) for s in loaded])
    wh.record_unchanged_many(run, loaded[:10])
    wh.record_failed_many(run, [(loaded[10], "First reason."), (loaded[11], "Second reason.")])
    known = wh.known_files()
    assert {k.status for p, k in known.items() if p in {s.path for s in loaded[:10]}} == {
        "unchanged"
    }
    assert wh.query("SELECT path, error FROM source_files WHERE status = 'failed' ORDER BY 1")[
        1
    ] == [("s10.txt", "First reason."), ("s11.txt", "Second reason.")]
    ids = [s.sha256 for s in loaded] + [sha("never loaded")]
    assert wh.existing_documents(ids, PARSER_VERSION) == {s.sha256 for s in loaded}
    assert wh.existing_documents(ids[:3], PARSER_VERSION) == {s.sha256 for s in loaded[:3]}
    assert wh.existing_documents(ids, "0") == set()


def test_parser_upgrade_is_visible_to_the_stat_cache(
    wh: Warehouse, run: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import parsers

    src = source_for("old.txt", "old")
    monkeypatch.setattr(parsers, "PARSER_VERSION", "0")
    wh.load(run, src, full_document())
    monkeypatch.undo()
    assert wh.known_files()["old.txt"].parser_version == "0"
    assert not wh.existing_documents([src.sha256], PARSER_VERSION)
    wh.load(wh.start_run(), src, full_document())
    assert wh.known_files()["old.txt"].parser_version == PARSER_VERSION
    assert count(wh, "documents") == 1


def test_a_broken_record_object_fails_only_its_file(wh: Warehouse, run: str) -> None:
    broken = full_document(indicators=(object(),))  # type: ignore[arg-type]
    failures = wh.load_many(
        run, [(source_for("ok.txt", "ok"), full_document()), (source_for("x.txt", "x"), broken)]
    )
    assert [f.source.path for f in failures] == ["x.txt"]
    assert count(wh, "documents") == 1


def test_exports_loaded_together_newer_file_wins(wh: Warehouse, run: str) -> None:
    doc = full_document(report_entries=(), reach_metrics=())
    # contents chosen so that the doc_id tie-break alone would pick the older file
    newer = source_for("v2.txt", "version 1", mtime_ns=2_000_000_000_000_000_000)
    older = source_for("v1.txt", "version 2", mtime_ns=1_000_000_000_000_000_000)
    assert newer.sha256 < older.sha256
    wh.load_many(run, [(newer, doc), (older, doc)])
    assert wh.query("SELECT doc_id FROM latest_documents")[1] == [(newer.sha256,)]
    mtime = wh.query("SELECT source_mtime FROM documents WHERE source_path = 'v2.txt'")[1][0][0]
    assert mtime.year == 2033


def test_status_of_an_empty_warehouse(wh: Warehouse) -> None:
    status = wh.status()
    assert status["documents"] == 0
    assert status["by_kind_year"] == status["runs"] == status["failed_files"] == []
    assert status["files"] == {}
    assert status["schema_version"] >= 1


def test_fractional_number_in_an_integer_column_fails_its_file(wh: Warehouse, run: str) -> None:
    bad = full_document(fiscal_year=2567.5)  # type: ignore[arg-type]
    with pytest.raises(
        WarehouseError, match=r"Column fiscal_year takes whole numbers, not 2567\.5"
    ):
        wh.load(run, source_for("bad.txt", "bad"), bad)
    assert count(wh, "documents") == 0


def test_text_that_is_not_unicode_fails_its_file(wh: Warehouse, run: str) -> None:
    bad = full_document(title="ชื่อ\udc80รายงาน")
    with pytest.raises(WarehouseError, match="Column title holds text that is not valid Unicode"):
        wh.load(run, source_for("bad.txt", "bad"), bad)
    assert count(wh, "documents") == 0


def test_dates_round_trip_through_both_write_paths(wh: Warehouse, run: str) -> None:
    days = [date(1969, 12, 31), date(2024, 2, 29), date(2566, 1, 1)]
    doc = progress_export([(day, n) for n, day in enumerate(days, 1)])
    wh.load(run, source_for("dates.txt", "dates"), doc)
    rows = wh.query("SELECT report_date FROM report_entries ORDER BY report_date")[1]
    assert [row[0] for row in rows] == days
    assert wh.query("SELECT latest_entry_date FROM documents")[1] == [(date(2566, 1, 1),)]
