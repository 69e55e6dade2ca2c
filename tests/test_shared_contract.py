"""Every name ../shared/warehouse-contract.md lists exists: tables and columns, views, commands
and their options, the normalize API and the reach metric vocabulary.

The contract is the floor analysts and nightly jobs depend on; this test reads it as written,
so a rename on either side fails here with the missing name.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from warehouse.store import Warehouse

ROOT = Path(__file__).resolve().parents[1]
CONTRACT = ROOT.parent / "shared" / "warehouse-contract.md"
_TABLE_ROW = re.compile(r"^\|\s*`([a-z_]+)`\s*\|(.+)\|\s*$")
_NAME = re.compile(r"`([a-z_][a-z0-9_]*)`")
_COMMAND_ROW = re.compile(r"^\|\s*`rayngan ([a-z]+)([^`]*)`")
_OPTION = re.compile(r"--[a-z][a-z-]*")

pytestmark = pytest.mark.skipif(
    not CONTRACT.exists(), reason=f"{CONTRACT} is not beside the checkout"
)


def _section(title: str) -> list[str]:
    """The lines under a ``## title`` heading (its ### subsections included)."""
    lines = CONTRACT.read_text(encoding="utf-8").splitlines()
    start = lines.index(f"## {title}") + 1
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("## ")), len(lines))
    return lines[start:end]


def contract_columns() -> dict[str, set[str]]:
    """table -> the columns the contract names for it (the backticked names of its row)."""
    found: dict[str, set[str]] = {}
    in_vocabulary = False  # the metric vocabulary's rows are values, not tables
    for line in _section("Tables"):
        if line.startswith("`metric` vocabulary") or line.startswith("#"):
            in_vocabulary = not line.startswith("#")
        row = _TABLE_ROW.match(line)
        if row and not in_vocabulary:
            found[row.group(1)] = set(_NAME.findall(row.group(2)))
    return found


def contract_commands() -> dict[str, set[str]]:
    """command -> the options its row shows."""
    found: dict[str, set[str]] = {}
    for line in _section("Command line"):
        row = _COMMAND_ROW.match(line)
        if row:
            found.setdefault(row.group(1), set()).update(_OPTION.findall(row.group(2)))
    return found


def test_the_contract_is_read_as_expected() -> None:
    tables, commands = contract_columns(), contract_commands()
    assert {"documents", "document_lines", "date_mentions", "amounts", "anomalies"} <= set(tables)
    assert "doc_id" in tables["documents"] and "grain" in tables["date_mentions"]
    assert {"ingest", "inspect", "query", "status", "export", "search", "report"} <= set(commands)


def test_every_contract_table_and_column_exists(tmp_path: Path) -> None:
    with Warehouse.open(tmp_path / "fresh.duckdb") as wh:
        _, rows = wh.query(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'main'"
        )
    live: dict[str, set[str]] = {}
    for table, column in rows:
        live.setdefault(table, set()).add(column)
    missing = [
        f"{table}.{column}"
        for table, columns in contract_columns().items()
        for column in sorted(columns)
        if column not in live.get(table, set())
    ]
    assert not missing, f"the warehouse lacks what the contract lists: {missing}"
    for view in ("latest_documents", "monthly_reach"):
        assert view in live, f"the warehouse lacks the contract's view {view}"
    assert {"month", "doc_id", "code", "metric"} <= live["monthly_reach"]


@pytest.mark.parametrize("command", sorted(contract_commands()) if CONTRACT.exists() else [])
def test_every_contract_command_takes_its_options(command: str) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "ingest", command, "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    missing = sorted(o for o in contract_commands()[command] if o not in run.stdout)
    assert not missing, f"`rayngan {command} --help` does not offer {missing}"


def test_version_and_module_entry_point() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "ingest", "--version"], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0 and run.stdout.strip(), run.stderr


def test_the_normalize_api_is_there() -> None:
    import normalize

    for name in ("parse_amount", "find_amounts", "parse_period", "find_periods"):
        assert callable(getattr(normalize, name, None)), f"normalize.{name} is missing"
    period = normalize.parse_period("ปีงบประมาณ พ.ศ. 2567")
    assert period is not None
    assert (str(period.start), str(period.end), period.grain) == (
        "2023-10-01",
        "2024-09-30",
        "fiscal_year",
    )
    assert normalize.parse_amount("1.5 ล้านบาท") == 1_500_000


def _metric_table() -> set[str]:
    """The first column of the table under "`metric` vocabulary"."""
    lines = _section("Tables")
    start = next(i for i, line in enumerate(lines) if line.startswith("`metric` vocabulary"))
    names = set()
    for line in lines[start + 1 :]:
        if line.startswith("#"):
            break
        row = re.match(r"^\|\s*`([a-z_]+)`\s*\|", line)
        if row:
            names.add(row.group(1))
    return names


def test_the_closed_vocabularies_are_the_contract_s() -> None:
    from typing import get_args

    from parsers import model

    metrics = _metric_table()
    assert len(metrics) >= 7, metrics
    assert metrics == set(get_args(model.Metric))
    assert set(get_args(model.Grain)) == {"day", "month", "quarter", "fiscal_year", "range"}
    assert set(get_args(model.Severity)) == {"info", "warning", "error"}
