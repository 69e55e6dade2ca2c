"""Columns of values to Arrow tables (the bulk path of ``warehouse.store``).

Pure functions: no DuckDB here.  ``store.Warehouse`` registers the tables and inserts them
with ``INSERT ... BY NAME SELECT``, so the column order below need not match the SQL.  The
flattening of a document (``DocumentRows``, what workers send) and of a batch into lists of
values live in ``warehouse.rows``, which does not import pyarrow.
"""

from __future__ import annotations

import pyarrow as pa

from warehouse.rows import ColumnType, check_whole, not_unicode

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
