"""Numbered SQL migrations: every ``migrations/NNNN_name.sql`` applied once, in order.

Each file runs in its own transaction together with its ``schema_migrations`` row, so a
failing migration leaves the warehouse exactly as it was.  Other helpers add views by adding
files (``0002_analyst_views.sql``); nothing here needs to change for that.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources

import duckdb

from parsers.errors import WarehouseError

_NAME = re.compile(r"^(\d{4})_([A-Za-z0-9_]+)\.sql$")

_BOOKKEEPING = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version     INTEGER NOT NULL,
    name        VARCHAR NOT NULL,
    checksum    VARCHAR NOT NULL,
    applied_at  TIMESTAMP NOT NULL
)
"""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str  # the file name, e.g. '0001_core.sql'
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode("utf-8")).hexdigest()


def available_migrations() -> list[Migration]:
    """Every numbered migration shipped in the package, in version order."""
    folder = resources.files("warehouse").joinpath("migrations")
    found: list[Migration] = []
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), entry.name, entry.read_text("utf-8")))
    found.sort(key=lambda m: (m.version, m.name))
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        names = ", ".join(m.name for m in found)
        raise WarehouseError(f"Two migrations share a version number among: {names}.")
    return found


def applied_versions(con: duckdb.DuckDBPyConnection) -> set[int]:
    """Versions already recorded in ``schema_migrations`` (empty for a new file)."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
    ).fetchone()
    if not exists or not exists[0]:
        return set()
    return {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply every pending migration; return the names applied now."""
    con.execute(_BOOKKEEPING)
    done = applied_versions(con)
    applied: list[str] = []
    for migration in available_migrations():
        if migration.version in done:
            continue
        _apply(con, migration)
        applied.append(migration.name)
    return applied


def _apply(con: duckdb.DuckDBPyConnection, migration: Migration) -> None:
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(migration.sql)
        con.execute(
            "INSERT INTO schema_migrations VALUES (?, ?, ?, ?)",
            [migration.version, migration.name, migration.checksum, _utcnow()],
        )
        con.execute("COMMIT")
    except duckdb.Error as exc:
        con.execute("ROLLBACK")
        raise WarehouseError(
            f"Migration {migration.name} failed and was rolled back: {exc}"
        ) from exc


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
