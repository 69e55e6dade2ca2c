"""The DuckDB warehouse: schema and migrations, loading, views, exports and the report.

    from warehouse import Warehouse
    with Warehouse("warehouse.duckdb", read_only=True) as wh:
        frame = wh.query_df("SELECT kind, count(*) AS n FROM documents GROUP BY kind")

Names are imported on first use: worker processes import ``warehouse.rows`` without DuckDB.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "Warehouse": "warehouse.store",
    "SourceFile": "warehouse.store",
    "KnownFile": "warehouse.store",
    "DOCUMENT_TABLES": "warehouse.store",
    "FACT_TABLES": "warehouse.rows",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'warehouse' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
