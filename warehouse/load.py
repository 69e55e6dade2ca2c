"""Documents to Arrow tables, one per warehouse table, built column by column.

Pure functions: no DuckDB here.  ``store.Warehouse`` registers the tables and inserts them
with ``INSERT ... BY NAME SELECT``, so the column order below need not match the SQL.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import chain
from operator import attrgetter
from typing import NamedTuple

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


# Model field names of each fact table's records, in column order (FACT_COLUMNS, then
# line_no and page).
FACT_FIELDS: dict[str, tuple[str, ...]] = {
    table: (*columns, "line_no", "page") for table, columns in FACT_COLUMNS.items()
}
_GETTERS = {table: attrgetter(*fields) for table, fields in FACT_FIELDS.items()}


class DocumentRows(NamedTuple):
    """A parsed document flattened to plain values, column by column.

    Workers send this instead of the ``Document``: a few lists of str/int/float/date pickle
    far faster than thousands of record objects, and batches of them become Arrow columns
    by concatenating lists.
    """

    kind: str
    code: str | None
    title: str | None
    title_key: str | None  # None: no code and no title, the doc_id stands in
    fiscal_year: int | None
    agency: str | None
    progress_pct: float | None
    latest_entry_date: date | None
    anomaly_count: int
    # per FACT_TABLES: the columns of FACT_FIELDS[table], or None when it has no records
    facts: tuple[tuple[tuple[object, ...], ...] | None, ...]

    def record_count(self) -> int:
        return sum(len(cols[0]) for cols in self.facts if cols is not None)


def document_rows(doc: Document) -> DocumentRows:
    """Flatten ``doc``; raises (AttributeError, ...) on a record that is not of the model."""
    facts: list[tuple[tuple[object, ...], ...] | None] = []
    for table in FACT_TABLES:
        records = getattr(doc, table)
        facts.append(tuple(zip(*map(_GETTERS[table], records), strict=True)) if records else None)
    return DocumentRows(
        kind=doc.kind,
        code=doc.code,
        title=doc.title,
        title_key=_title_key(doc),
        fiscal_year=doc.fiscal_year,
        agency=doc.agency,
        progress_pct=doc.progress_pct,
        latest_entry_date=latest_entry_date(doc),
        anomaly_count=len(doc.anomalies),
        facts=tuple(facts),
    )


def as_rows(doc: Document | DocumentRows) -> DocumentRows:
    return doc if isinstance(doc, DocumentRows) else document_rows(doc)


def title_key(doc: Document, doc_id: str) -> str:
    """What identifies the report across exports: its code, else its title, else itself."""
    return _title_key(doc) or f"doc:{doc_id}"


def _title_key(doc: Document) -> str | None:
    if doc.code and doc.code.strip():
        return doc.code.strip()
    if doc.title and doc.title.strip():
        return _SPACES.sub(" ", doc.title).strip()
    return None


def latest_entry_date(doc: Document) -> date | None:
    """The newest date the content reports on (progress entries and reach lines)."""
    dates = [e.report_date for e in doc.report_entries if e.report_date]
    dates += [m.report_date for m in doc.reach_metrics if m.report_date]
    return max(dates, default=None)


def documents_table(
    items: Sequence[tuple[DocumentRow, DocumentRows]], run_id: str, loaded_at: datetime
) -> pa.Table:
    """One ``documents`` row per item; ``first_*`` default to this load."""
    n = len(items)
    values: dict[str, list[object]] = {
        "doc_id": [r.doc_id for r, _ in items],
        "kind": [d.kind for _, d in items],
        "code": [d.code for _, d in items],
        "title": [d.title for _, d in items],
        "title_key": [d.title_key or f"doc:{r.doc_id}" for r, d in items],
        "fiscal_year": [d.fiscal_year for _, d in items],
        "agency": [d.agency for _, d in items],
        "progress_pct": [d.progress_pct for _, d in items],
        "latest_entry_date": [d.latest_entry_date for _, d in items],
        "source_path": [r.source_path for r, _ in items],
        "encoding": [r.encoding for r, _ in items],
        "media_type": [r.media_type for r, _ in items],
        "size_bytes": [r.size_bytes for r, _ in items],
        "source_mtime": [r.source_mtime for r, _ in items],
        "anomaly_count": [d.anomaly_count for _, d in items],
        "parser_version": [r.parser_version for r, _ in items],
        "loaded_at": [loaded_at] * n,
        "first_loaded_at": [loaded_at] * n,
        "first_run_id": [run_id] * n,
        "run_id": [run_id] * n,
    }
    return pa.table(
        {name: column(values[name], typ, name) for name, typ in DOCUMENT_COLUMNS.items()}
    )


def fact_table(table: str, items: Iterable[tuple[str, DocumentRows]], run_id: str) -> pa.Table:
    """All records of one kind (``table`` is a RECORD_FIELDS name) of many documents."""
    index = FACT_TABLES.index(table)
    doc_ids: list[str] = []
    parts: list[tuple[tuple[object, ...], ...]] = []
    for doc_id, rows in items:
        cols = rows.facts[index]
        if cols is not None:
            doc_ids.extend([doc_id] * len(cols[0]))
            parts.append(cols)
    columns: dict[str, pa.Array] = {"doc_id": pa.array(doc_ids, type=STR)}
    types = {**FACT_COLUMNS[table], "line_no": INT, "page": INT}
    for k, field in enumerate(FACT_FIELDS[table]):
        values = list(chain.from_iterable(part[k] for part in parts))
        name = RENAMED.get((table, field), field)
        columns[name] = column(values, types[field], f"{table}.{name}")
    columns["run_id"] = pa.array([run_id] * len(doc_ids), type=STR)
    return pa.table(columns)
