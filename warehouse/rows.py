"""A parsed document flattened to plain columns: what a worker sends the ingest parent.

Pure Python, no Arrow and no DuckDB: worker processes import this module (through the fork
server's preload), and importing pyarrow there would cost every new worker ~0.1 s of CPU.
``warehouse.load`` turns batches of these rows into Arrow tables in the parent.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import chain
from operator import attrgetter
from typing import Literal, NamedTuple

from parsers.model import RECORD_FIELDS, Document
from warehouse.identity import report_key

# Up to this many documents a write binds its rows to SQL as plain lists; more go through
# Arrow (about 3x cheaper per row, but importing pyarrow costs ~0.3 s: most of a small run).
SMALL_BATCH = 64

# The warehouse type of a column; ``warehouse.load`` maps each to an Arrow type.
ColumnType = Literal["str", "int", "big", "float", "date", "bool", "ts"]

# Record field -> column type, per fact table.  A field missing here is a model change the
# warehouse has not caught up with, and the test suite says so.
FACT_COLUMNS: dict[str, dict[str, ColumnType]] = {
    "indicators": {
        "code": "str",
        "name": "str",
        "indicator_type": "str",
        "result_level": "str",
        "target_value": "float",
        "target_unit": "str",
        "achieved_value": "float",
    },
    "quarterly_results": {
        "code": "str",
        "quarter": "int",
        "result_pct": "float",
        "score": "float",
        "eval_1": "float",
        "eval_2": "float",
    },
    "report_entries": {
        "entry_no": "int",
        "quarter": "int",
        "report_date": "date",
        "progress_pct": "float",
        "body": "str",
    },
    "reach_metrics": {
        "entry_no": "int",
        "report_date": "date",
        "item_no": "str",
        "title": "str",
        "metric": "str",
        "value": "big",
        "unit": "str",
    },
    "success_levels": {"level": "int", "pct": "float", "description": "str"},
    "strategy_links": {"path": "str", "name": "str"},
    "plan_steps": {
        "step_no": "int",
        "description": "str",
        "weight_pct": "float",
        "start_date": "date",
        "end_date": "date",
    },
    "key_results": {
        "code": "str",
        "name": "str",
        "fiscal_year": "int",
        "host_agency": "str",
        "aspect": "str",
        "issue": "str",
        "target_value": "float",
        "target_unit": "str",
    },
    "contacts": {
        "name": "str",
        "position": "str",
        "phone": "str",
        "agency": "str",
        "phone_digits": "str",
    },
    "assessments": {"quarter": "int", "score": "float"},
    "checkboxes": {"group": "str", "label": "str", "checked": "bool"},
    "attributes": {"key": "str", "value": "str"},
    "anomalies": {"rule": "str", "severity": "str", "message": "str"},
    "date_mentions": {"raw": "str", "start_date": "date", "end_date": "date", "grain": "str"},
    "amounts": {"raw": "str", "value": "float", "unit": "str"},
}

FACT_TABLES: tuple[str, ...] = RECORD_FIELDS

# Model field names that are awkward SQL names.
RENAMED = {("checkboxes", "group"): "grp"}

DOCUMENT_COLUMNS: dict[str, ColumnType] = {
    "doc_id": "str",
    "kind": "str",
    "code": "str",
    "title": "str",
    "title_key": "str",
    "fiscal_year": "int",
    "agency": "str",
    "progress_pct": "float",
    "latest_entry_date": "date",
    "source_path": "str",
    "encoding": "str",
    "media_type": "str",
    "size_bytes": "big",
    "source_mtime": "ts",
    "anomaly_count": "int",
    "text_source": "str",
    "parser_version": "str",
    "loaded_at": "ts",
    "first_loaded_at": "ts",
    "first_run_id": "str",
    "run_id": "str",
}

# Model field names of each fact table's records, in column order (FACT_COLUMNS, then
# line_no and page).
FACT_FIELDS: dict[str, tuple[str, ...]] = {
    table: (*columns, "line_no", "page") for table, columns in FACT_COLUMNS.items()
}
# Column types in FACT_FIELDS order.
FACT_TYPES: dict[str, tuple[ColumnType, ...]] = {
    table: (*columns.values(), "int", "int") for table, columns in FACT_COLUMNS.items()
}
_GETTERS = {table: attrgetter(*fields) for table, fields in FACT_FIELDS.items()}
# Per FACT_TABLES entry: positions in FACT_FIELDS of its date columns.
_DATE_POSITIONS: tuple[tuple[int, ...], ...] = tuple(
    tuple(k for k, typ in enumerate(FACT_TYPES[table]) if typ == "date") for table in FACT_TABLES
)
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


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
    text_source: str = "text"  # 'text', 'ocr' or 'mixed'


class DocumentRows(NamedTuple):
    """A parsed document flattened to plain values, column by column.

    Workers send this instead of the ``Document``: a few lists of str/int/float pickle far
    faster than thousands of record objects, and batches of them become Arrow columns by
    concatenating lists.  Dates travel as days since 1970-01-01 (Arrow's date32), which
    pickle inline instead of as one ``date`` object each.
    """

    kind: str
    code: str | None
    title: str | None
    title_key: str | None  # code, title or content fingerprint (warehouse.identity); None: doc_id
    fiscal_year: int | None
    agency: str | None
    progress_pct: float | None
    latest_entry_day: int | None  # days since 1970-01-01
    anomaly_count: int
    # per FACT_TABLES: the columns of FACT_FIELDS[table], or None when it has no records
    facts: tuple[tuple[tuple[object, ...], ...] | None, ...]
    # the repaired text, lines joined by "\n" (document_lines: one string pickles far
    # faster than a tuple of lines), and the PDF page of each line (None: not a PDF)
    text: str = ""
    line_pages: tuple[int, ...] | None = None

    def record_count(self) -> int:
        return sum(len(cols[0]) for cols in self.facts if cols is not None)


def epoch_day(value: object) -> int | None:
    """``value`` (a date, or None) as days since 1970-01-01."""
    if value is None:
        return None
    if isinstance(value, date):  # a datetime keeps its day, as Arrow's date32 would
        return value.toordinal() - _EPOCH_ORDINAL
    raise ValueError(f"A date column holds {value!r}, which is not a date.")


def document_rows(doc: Document) -> DocumentRows:
    """Flatten ``doc``; raises (AttributeError, ValueError, ...) on a record not of the model."""
    facts: list[tuple[tuple[object, ...], ...] | None] = []
    for index, table in enumerate(FACT_TABLES):
        records = getattr(doc, table)
        if not records:
            facts.append(None)
            continue
        cols = tuple(zip(*map(_GETTERS[table], records), strict=True))
        if dates := _DATE_POSITIONS[index]:
            cols = tuple(
                tuple(map(epoch_day, col)) if k in dates else col for k, col in enumerate(cols)
            )
        facts.append(cols)
    return DocumentRows(
        kind=doc.kind,
        code=doc.code,
        title=doc.title,
        title_key=report_key(doc),
        fiscal_year=doc.fiscal_year,
        agency=doc.agency,
        progress_pct=doc.progress_pct,
        latest_entry_day=epoch_day(latest_entry_date(doc)),
        anomaly_count=len(doc.anomalies),
        facts=tuple(facts),
        text="\n".join(doc.lines),
        line_pages=doc.line_pages,
    )


def as_rows(doc: Document | DocumentRows) -> DocumentRows:
    return doc if isinstance(doc, DocumentRows) else document_rows(doc)


def latest_entry_date(doc: Document) -> date | None:
    """The newest date the content reports on (progress entries and reach lines)."""
    dates = [e.report_date for e in doc.report_entries if e.report_date]
    dates += [m.report_date for m in doc.reach_metrics if m.report_date]
    return max(dates, default=None)


# ---------------------------------------------------------------- batches as columns
# A batch of documents as one list of values per warehouse column (dates as days since
# 1970-01-01).  ``warehouse.load`` makes Arrow columns of them; ``warehouse.store`` binds
# the lists of a small batch to SQL directly.


def check_whole(values: list[object], typ: ColumnType, name: str) -> None:
    """A fractional number bound for an integer column is an error (Arrow and DuckDB would
    both silently make 1.5 a whole number)."""
    if typ in ("int", "big") and float in set(map(type, values)):
        for value in values:
            if isinstance(value, float) and not value.is_integer():
                raise ValueError(f"Column {name} takes whole numbers, not {value!r}.")


def not_unicode(exc: UnicodeEncodeError, name: str) -> ValueError:
    """The error for text that cannot be stored (lone surrogates from a lenient decode)."""
    return ValueError(
        f"Column {name} holds text that is not valid Unicode ({exc.reason} at position "
        f"{exc.start} of {exc.object[max(exc.start - 20, 0) : exc.start + 20]!r})."
    )


def document_columns(
    items: Sequence[tuple[DocumentRow, DocumentRows]], run_id: str, loaded_at: datetime
) -> dict[str, list[object]]:
    """The ``documents`` columns (DOCUMENT_COLUMNS), one row per item; ``first_*`` default
    to this load."""
    n = len(items)
    return {
        "doc_id": [r.doc_id for r, _ in items],
        "kind": [d.kind for _, d in items],
        "code": [d.code for _, d in items],
        "title": [d.title for _, d in items],
        "title_key": [d.title_key or f"doc:{r.doc_id}" for r, d in items],
        "fiscal_year": [d.fiscal_year for _, d in items],
        "agency": [d.agency for _, d in items],
        "progress_pct": [d.progress_pct for _, d in items],
        "latest_entry_date": [d.latest_entry_day for _, d in items],
        "source_path": [r.source_path for r, _ in items],
        "encoding": [r.encoding for r, _ in items],
        "media_type": [r.media_type for r, _ in items],
        "size_bytes": [r.size_bytes for r, _ in items],
        "source_mtime": [r.source_mtime for r, _ in items],
        "anomaly_count": [d.anomaly_count for _, d in items],
        "text_source": [r.text_source for r, _ in items],
        "parser_version": [r.parser_version for r, _ in items],
        "loaded_at": [loaded_at] * n,
        "first_loaded_at": [loaded_at] * n,
        "first_run_id": [run_id] * n,
        "run_id": [run_id] * n,
    }


LINE_COLUMNS: dict[str, ColumnType] = {
    "doc_id": "str",
    "line_no": "int",
    "page": "int",
    "text": "str",
}


def line_columns(items: Iterable[tuple[str, DocumentRows]]) -> dict[str, list[object]]:
    """The ``document_lines`` rows of many documents (LINE_COLUMNS, no ``run_id``): every
    line of each text, numbered from 1, with its PDF page."""
    doc_ids: list[object] = []
    line_nos: list[object] = []
    pages: list[object] = []
    texts: list[object] = []
    for doc_id, rows in items:
        if not rows.text:
            continue
        lines = rows.text.split("\n")
        n = len(lines)
        texts += lines
        doc_ids += [doc_id] * n
        line_nos += range(1, n + 1)
        known = rows.line_pages[:n] if rows.line_pages is not None else ()
        pages += known
        pages += [None] * (n - len(known))
    return {"doc_id": doc_ids, "line_no": line_nos, "page": pages, "text": texts}


def fact_columns(
    table: str, items: Iterable[tuple[str, DocumentRows]]
) -> tuple[dict[str, list[object]], dict[str, ColumnType]]:
    """All records of one kind (``table`` is a RECORD_FIELDS name) of many documents, by
    SQL column name (``doc_id`` first, no ``run_id``), and the type of each column."""
    index = FACT_TABLES.index(table)
    doc_ids: list[object] = []
    parts: list[tuple[tuple[object, ...], ...]] = []
    for doc_id, rows in items:
        cols = rows.facts[index]
        if cols is not None:
            doc_ids.extend([doc_id] * len(cols[0]))
            parts.append(cols)
    columns: dict[str, list[object]] = {"doc_id": doc_ids}
    types: dict[str, ColumnType] = {"doc_id": "str"}
    for k, (field, typ) in enumerate(zip(FACT_FIELDS[table], FACT_TYPES[table], strict=True)):
        name = RENAMED.get((table, field), field)
        columns[name] = list(chain.from_iterable(part[k] for part in parts))
        types[name] = typ
    return columns, types


# (line_no, page, confidence) of each line OCR read, per document: the line_confidence table.
OcrLines = tuple[tuple[int, int | None, float | None], ...]
LINE_CONFIDENCE_TYPES: dict[str, ColumnType] = {
    "doc_id": "str",
    "line_no": "int",
    "page": "int",
    "confidence": "float",
}


def line_confidence_columns(items: Iterable[tuple[str, OcrLines]]) -> dict[str, list[object]]:
    """The ``line_confidence`` columns of many documents (``doc_id`` first, no ``run_id``)."""
    columns: dict[str, list[object]] = {name: [] for name in LINE_CONFIDENCE_TYPES}
    for doc_id, lines in items:
        for line_no, page, confidence in lines:
            columns["doc_id"].append(doc_id)
            columns["line_no"].append(line_no)
            columns["page"].append(page)
            columns["confidence"].append(confidence)
    return columns
