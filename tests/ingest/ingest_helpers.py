"""Shared by tests/ingest and tests/reliability: the real CLI, real DuckDB files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import duckdb
import pytest

from warehouse.store import DOCUMENT_TABLES

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples"

Run = Callable[..., subprocess.CompletedProcess]


def without_file_override() -> list[str]:
    """A command prefix under which file modes bind this user, root included: root without
    the capabilities that bypass them (setpriv, util-linux); nothing for other users."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("root reads files whatever their mode, and setpriv is not installed")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search"]


def run_cli(
    *args: str,
    cwd: Path,
    env: dict[str, str] | None = None,
    timeout: float = 300,
    prefix: Sequence[str] = (),
):
    """``python -m ingest ARGS`` (the same entry point as the ``rayngan`` script)."""
    full_env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
    full_env.pop("RAYNGAN_DB", None)
    if env and "RAYNGAN_DB" in env:
        full_env["RAYNGAN_DB"] = env["RAYNGAN_DB"]
    return subprocess.run(
        [*prefix, sys.executable, "-m", "ingest", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def rows(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params).fetchall()


def scalar(db: Path, sql: str, params: list | None = None):
    return rows(db, sql, params)[0][0]


def sample_files(*suffixes: str, good_only: bool = False) -> list[Path]:
    """The sample exports (files of the types ingest reads), optionally only some suffixes;
    ``good_only`` leaves out the deliberately broken ones (``samples/**/bad/``)."""
    from ingest.job.discover import is_input_name

    found = sorted(p for p in SAMPLES.rglob("*") if p.is_file() and is_input_name(p.name))
    if good_only:
        found = [p for p in found if "bad" not in p.relative_to(SAMPLES).parts]
    return [p for p in found if not suffixes or p.suffix in suffixes]


# Every table of document rows, as the warehouse lists them (new tables join by themselves).
CONTENT_TABLES: tuple[str, ...] = DOCUMENT_TABLES
_VOLATILE = ("run_id", "_at")  # run ids and timestamps (applied_at, loaded_at, ...) differ by run


def fingerprint(
    db: Path, tables: tuple[str, ...] | None = CONTENT_TABLES, skip: tuple[str, ...] = ()
) -> dict[str, tuple]:
    """Per table (``None``: every table): row count and an order-free hash of every row's
    stable columns (run ids, timestamps and the ``skip`` columns left out)."""
    result = {}
    with duckdb.connect(str(db), read_only=True) as con:
        if tables is None:
            found = con.execute("SELECT table_name FROM duckdb_tables()").fetchall()
            tables = tuple(sorted(t for (t,) in found))
        for table in tables:
            cols = [
                name
                for (name,) in con.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                    "ORDER BY ordinal_position",
                    [table],
                ).fetchall()
                if not name.endswith(_VOLATILE) and name not in skip
            ]
            quoted = ", ".join(f'"{c}"' for c in cols)
            result[table] = con.execute(
                f"SELECT count(*), sum(hash({quoted})::HUGEINT) FROM {table}"
            ).fetchone()
    return result


def make_batch(folder: Path, count: int) -> list[Path]:
    """``count`` distinct report files: the text samples with 1..n extra trailing newlines
    (different bytes, the same report for the parsers)."""
    sources = sample_files(".txt")
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for i in range(count):
        src = sources[i % len(sources)]
        extra = 1 + i // len(sources)
        target = folder / f"{src.stem}__{i:04d}{src.suffix}"
        target.write_bytes(src.read_bytes().rstrip(b"\n") + b"\n" * (1 + extra))
        made.append(target)
    return made
