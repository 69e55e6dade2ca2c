"""Documents to Arrow tables, one per warehouse table, built column by column.

Pure functions: no DuckDB here.  ``store.Warehouse`` registers the tables and inserts them
with ``INSERT ... BY NAME SELECT``, so the column order below need not match the SQL.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import pyarrow as pa

from parsers.model import RECORD_FIELDS, Document

STR = pa.string()
INT = pa.int32()
BIG = pa.int64()
FLOAT = pa.float64()
DATE = pa.date32()
BOOL = pa.bool_()
TS = pa.timestamp("us")

# Record field -> Arrow type, per fact table.  A field missing here is a model change the
# warehouse has not caught up with, and the test suite says so.
FACT_COLUMNS: dict[str, dict[str, pa.DataType]] = {
    "indicators": {
        "code": STR,
        "name": STR,
        "indicator_type": STR,
        "result_level": STR,
        "target_value": FLOAT,
        "target_unit": STR,
        "achieved_value": FLOAT,
    },
    "quarterly_results": {
        "code": STR,
        "quarter": INT,
        "result_pct": FLOAT,
        "score": FLOAT,
        "eval_1": FLOAT,
        "eval_2": FLOAT,
    },
    "report_entries": {
        "entry_no": INT,
        "quarter": INT,
        "report_date": DATE,
        "progress_pct": FLOAT,
        "body": STR,
    },
    "reach_metrics": {
        "entry_no": INT,
        "report_date": DATE,
        "item_no": STR,
        "title": STR,
        "metric": STR,
        "value": BIG,
        "unit": STR,
    },
    "success_levels": {"level": INT, "pct": FLOAT, "description": STR},
    "strategy_links": {"path": STR, "name": STR},
    "plan_steps": {
        "step_no": INT,
        "description": STR,
        "weight_pct": FLOAT,
        "start_date": DATE,
        "end_date": DATE,
    },
    "key_results": {
        "code": STR,
        "name": STR,
        "fiscal_year": INT,
        "host_agency": STR,
        "aspect": STR,
        "issue": STR,
        "target_value": FLOAT,
        "target_unit": STR,
    },
    "contacts": {"name": STR, "position": STR, "phone": STR, "agency": STR},
    "assessments": {"quarter": INT, "score": FLOAT},
    "checkboxes": {"group": STR, "label": STR, "checked": BOOL},
    "attributes": {"key": STR, "value": STR},
    "anomalies": {"rule": STR, "severity": STR, "message": STR},
}

# Model field names that are awkward SQL names.
RENAMED = {("checkboxes", "group"): "grp"}

FACT_TABLES: tuple[str, ...] = RECORD_FIELDS

DOCUMENT_COLUMNS: dict[str, pa.DataType] = {
    "doc_id": STR,
    "kind": STR,
    "code": STR,
    "title": STR,
    "title_key": STR,
    "fiscal_year": INT,
    "agency": STR,
    "progress_pct": FLOAT,
    "latest_entry_date": DATE,
    "source_path": STR,
    "encoding": STR,
    "media_type": STR,
    "size_bytes": BIG,
    "source_mtime": TS,
    "anomaly_count": INT,
    "parser_version": STR,
    "loaded_at": TS,
    "first_loaded_at": TS,
    "first_run_id": STR,
    "run_id": STR,
}

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class DocumentRow:
    """The file-level facts of one document that are not in the parsed model."""

    doc_id: str
    source_path: str
    encoding: str | None
    media_type: str | None
    size_bytes: int | None
    parser_version: str
    source_mtime: datetime | None = None  # the file's modification time (UTC)


def column(values: list[object], typ: pa.DataType, name: str) -> pa.Array:
    """An Arrow column; a fractional number bound for an integer column is an error.

    (pyarrow would silently truncate 1.5 to 1.)
    """
    if pa.types.is_integer(typ):
        for value in values:
            if isinstance(value, float) and not value.is_integer():
                raise ValueError(f"Column {name} takes whole numbers, not {value!r}.")
    try:
        return pa.array(values, type=typ)
    except UnicodeEncodeError as exc:  # lone surrogates from a lenient decode
        raise ValueError(
            f"Column {name} holds text that is not valid Unicode ({exc.reason} at position "
            f"{exc.start} of {exc.object[max(exc.start - 20, 0) : exc.start + 20]!r})."
        ) from exc


def title_key(doc: Document, doc_id: str) -> str:
    """What identifies the report across exports: its code, else its title, else itself."""
    if doc.code and doc.code.strip():
        return doc.code.strip()
    if doc.title and doc.title.strip():
        return _SPACES.sub(" ", doc.title).strip()
    return f"doc:{doc_id}"


def latest_entry_date(doc: Document) -> date | None:
    """The newest date the content reports on (progress entries and reach lines)."""
    dates = [e.report_date for e in doc.report_entries if e.report_date]
    dates += [m.report_date for m in doc.reach_metrics if m.report_date]
    return max(dates, default=None)


def documents_table(
    items: Sequence[tuple[DocumentRow, Document]], run_id: str, loaded_at: datetime
) -> pa.Table:
    """One ``documents`` row per item; ``first_*`` default to this load."""
    getters: dict[str, Callable[[DocumentRow, Document], object]] = {
        "doc_id": lambda r, d: r.doc_id,
        "kind": lambda r, d: d.kind,
        "code": lambda r, d: d.code,
        "title": lambda r, d: d.title,
        "title_key": lambda r, d: title_key(d, r.doc_id),
        "fiscal_year": lambda r, d: d.fiscal_year,
        "agency": lambda r, d: d.agency,
        "progress_pct": lambda r, d: d.progress_pct,
        "latest_entry_date": lambda r, d: latest_entry_date(d),
        "source_path": lambda r, d: r.source_path,
        "encoding": lambda r, d: r.encoding,
        "media_type": lambda r, d: r.media_type,
        "size_bytes": lambda r, d: r.size_bytes,
        "source_mtime": lambda r, d: r.source_mtime,
        "anomaly_count": lambda r, d: len(d.anomalies),
        "parser_version": lambda r, d: r.parser_version,
        "loaded_at": lambda r, d: loaded_at,
        "first_loaded_at": lambda r, d: loaded_at,
        "first_run_id": lambda r, d: run_id,
        "run_id": lambda r, d: run_id,
    }
    columns = {
        name: column([get(r, d) for r, d in items], DOCUMENT_COLUMNS[name], name)
        for name, get in getters.items()
    }
    return pa.table(columns)


def fact_table(table: str, items: Iterable[tuple[str, Document]], run_id: str) -> pa.Table:
    """All records of one kind (``table`` is a RECORD_FIELDS name) of many documents."""
    doc_ids: list[str] = []
    records: list[object] = []
    for doc_id, doc in items:
        recs = getattr(doc, table)
        records.extend(recs)
        doc_ids.extend([doc_id] * len(recs))
    columns: dict[str, pa.Array] = {"doc_id": pa.array(doc_ids, type=STR)}
    fields = {**FACT_COLUMNS[table], "line_no": INT, "page": INT}
    for field, typ in fields.items():
        values = [getattr(rec, field) for rec in records]
        name = RENAMED.get((table, field), field)
        columns[name] = column(values, typ, f"{table}.{name}")
    columns["run_id"] = pa.array([run_id] * len(records), type=STR)
    return pa.table(columns)
