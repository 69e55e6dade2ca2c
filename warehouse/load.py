"""Columns of values to Arrow tables (the bulk path of ``warehouse.store``).

Pure functions: no DuckDB here.  ``store.Warehouse`` registers the tables and inserts them
with ``INSERT ... BY NAME SELECT``, so the column order below need not match the SQL.  The
flattening of a document (``DocumentRows``, what workers send) and of a batch into lists of
values live in ``warehouse.rows``, which does not import pyarrow.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain, repeat
from typing import cast

import pyarrow as pa
import pyarrow.compute as pc

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


def lines_table(doc_ids: list[str], texts: list[str], pages: list[object]) -> pa.Table:
    """The ``document_lines`` rows of documents as an Arrow table: each text (lines joined by
    "\\n") split into lines by Arrow, numbered from 1.  ``pages`` holds each document's
    line pages (a tuple, or None when it is no PDF).  Splitting in Arrow spares the parent
    a Python object per line: a batch of 1,000 documents has ~100,000 lines."""
    try:
        lists = pc.split_pattern(pa.array(texts, type=pa.large_string()), "\n")
    except UnicodeEncodeError as exc:
        raise not_unicode(exc, "document_lines.text") from exc
    lengths = pc.list_value_length(lists).to_pylist()
    n = sum(lengths)
    line_no = pa.array(chain.from_iterable(map(range, repeat(1), [k + 1 for k in lengths])), INT)
    if any(p is not None for p in pages):
        page = pa.array(_pages(lengths, pages), INT)
    else:
        page = pa.nulls(n, INT)
    return pa.table(
        {
            "doc_id": pc.take(pa.array(doc_ids, STR), pc.list_parent_indices(lists)),
            "line_no": line_no,
            "page": page,
            "text": lists.flatten().cast(STR),
        }
    )


def _pages(lengths: list[int], pages: list[object]) -> list[object]:
    out: list[object] = []
    for n, known in zip(lengths, pages, strict=True):
        got = tuple(cast("Iterable[object]", known))[:n] if known is not None else ()
        out += got
        out += [None] * (n - len(got))
    return out
