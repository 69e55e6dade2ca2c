"""Fixtures for warehouse tests: a real DuckDB file in tmp_path, opened for writing."""

from __future__ import annotations

from pathlib import Path

import pytest

from warehouse import store
from warehouse.store import Warehouse


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "warehouse.duckdb"


@pytest.fixture(params=["lists", "arrow"])
def wh(db_path: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    """Every test twice: small writes bind plain lists, bigger ones go through Arrow."""
    if request.param == "arrow":
        monkeypatch.setattr(store, "SMALL_BATCH", 0)
    with Warehouse.open(db_path) as opened:
        yield opened


@pytest.fixture
def run(wh: Warehouse) -> str:
    return wh.start_run()
