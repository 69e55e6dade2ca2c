"""Documents to Arrow tables, one per warehouse table, built column by column.

Pure functions: no DuckDB here.  ``store.Warehouse`` registers the tables and inserts them
with ``INSERT ... BY NAME SELECT``, so the column order below need not match the SQL.  The
flattening of a document (``DocumentRows``, what workers send) and of a batch into lists of
values live in ``warehouse.rows``, which does not import pyarrow.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

import pyarrow as pa

from warehouse.rows import (
    DOCUMENT_COLUMNS as DOCUMENT_COLUMN_TYPES,
)
from warehouse.rows import (
    FACT_COLUMNS,
    FACT_FIELDS,
    FACT_TABLES,
    RENAMED,
    ColumnType,
    DocumentRow,
    DocumentRows,
    as_rows,
    check_whole,
    document_columns,
    document_rows,
    fact_columns,
    latest_entry_date,
    not_unicode,
    title_key,
)

__all__ = [
    "FACT_COLUMNS",
    "FACT_FIELDS",
    "FACT_TABLES",
    "RENAMED",
    "DocumentRow",
    "DocumentRows",
    "arrow_table",
    "as_rows",
    "column",
    "document_rows",
    "documents_table",
    "fact_table",
    "latest_entry_date",
    "title_key",
]

STR = pa.string()
INT = pa.int32()
BIG = pa.int64()
FLOAT = pa.float64()
DATE = pa.date32()
BOOL = pa.bool_()
TS = pa.timestamp("us")
ARROW_TYPES: dict[ColumnType, pa.DataType] = {
    "str": STR,
    "int": INT,
    "big": BIG,
    "float": FLOAT,
    "date": DATE,
    "bool": BOOL,
    "ts": TS,
}

DOCUMENT_COLUMNS: dict[str, pa.DataType] = {
    name: ARROW_TYPES[typ] for name, typ in DOCUMENT_COLUMN_TYPES.items()
}


def column(values: list[object], typ: pa.DataType, name: str) -> pa.Array:
    """An Arrow column; a fractional number bound for an integer column is an error.

    (pyarrow would silently truncate 1.5 to 1.)  Date columns take days since 1970-01-01
    (as ``DocumentRows`` holds them).
    """
    if pa.types.is_integer(typ):
        check_whole(values, "big", name)
    try:
        if typ == DATE:
            return pa.array(values, type=INT).view(DATE)
        return pa.array(values, type=typ)
    except UnicodeEncodeError as exc:  # lone surrogates from a lenient decode
        raise not_unicode(exc, name) from exc


def arrow_table(
    columns: dict[str, list[object]], types: dict[str, ColumnType], prefix: str = ""
) -> pa.Table:
    """Columns of values (as ``warehouse.rows`` builds them) as an Arrow table; ``prefix``
    goes before a column's name in errors."""
    return pa.table(
        {
            name: column(values, ARROW_TYPES[types[name]], f"{prefix}{name}")
            for name, values in columns.items()
        }
    )


def documents_table(
    items: Sequence[tuple[DocumentRow, DocumentRows]], run_id: str, loaded_at: datetime
) -> pa.Table:
    """One ``documents`` row per item; ``first_*`` default to this load."""
    values = document_columns(items, run_id, loaded_at)
    return pa.table(
        {name: column(values[name], typ, name) for name, typ in DOCUMENT_COLUMNS.items()}
    )


def fact_table(table: str, items: Iterable[tuple[str, DocumentRows]], run_id: str) -> pa.Table:
    """All records of one kind (``table`` is a RECORD_FIELDS name) of many documents."""
    columns, types = fact_columns(table, items)
    arrays = {
        name: column(values, ARROW_TYPES[types[name]], f"{table}.{name}")
        for name, values in columns.items()
    }
    arrays["run_id"] = pa.array([run_id] * len(columns["doc_id"]), type=STR)
    return pa.table(arrays)
