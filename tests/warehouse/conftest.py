"""Fixtures for warehouse tests: a real DuckDB file in tmp_path, opened for writing."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # for warehouse_builders

from warehouse.store import Warehouse


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "warehouse.duckdb"


@pytest.fixture
def wh(db_path: Path):
    with Warehouse.open(db_path) as opened:
        yield opened


@pytest.fixture
def run(wh: Warehouse) -> str:
    return wh.start_run()
