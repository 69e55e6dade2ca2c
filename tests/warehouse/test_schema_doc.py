"""docs/schema.md and a freshly migrated warehouse describe the same relations and columns."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from warehouse.store import Warehouse

DOC = Path(__file__).resolve().parents[2] / "docs" / "schema.md"
_HEADING = re.compile(r"^###\s+`([a-z_][a-z0-9_]*)`\s*$")
_ROW = re.compile(r"^\|\s*`([a-z_][a-z0-9_]*)`\s*\|\s*([A-Z]+)\s*\|(.*)\|\s*$")

Columns = dict[str, dict[str, str]]  # relation -> column -> type


def documented(text: str) -> Columns:
    """Relation headings and the column rows of the table under each."""
    found: Columns = {}
    current: str | None = None
    for line in text.splitlines():
        heading = _HEADING.match(line)
        if heading:
            current = heading.group(1)
            assert current not in found, f"{current} is documented twice"
            found[current] = {}
        elif line.startswith("## "):
            current = None
        elif current and (row := _ROW.match(line)):
            column, typ, rest = row.groups()
            cells = [c.strip() for c in rest.split("|")]
            assert len(cells) == 3 and all(cells), f"{current}.{column}: unit, meaning, example"
            found[current][column] = typ
    return found


def live(tmp_path: Path) -> Columns:
    with Warehouse.open(tmp_path / "fresh.duckdb") as wh:
        rows = wh.query(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'main' ORDER BY table_name, ordinal_position"
        )[1]
    found: Columns = {}
    for table, column, typ in rows:
        found.setdefault(table, {})[column] = typ
    return found


def test_parser_reads_the_markdown_tables() -> None:
    text = "### `t`\n\n| column | type | unit | meaning | example |\n|---|---|---|---|---|\n"
    text += "| `a` | INTEGER | – | the a | `1` |\n## Next\n| `b` | DATE | – | x | y |\n"
    assert documented(text) == {"t": {"a": "INTEGER"}}
    with pytest.raises(AssertionError):
        documented(text.replace("| the a |", "|  |"))


def test_every_live_relation_and_column_is_documented(tmp_path: Path) -> None:
    doc, db = documented(DOC.read_text("utf-8")), live(tmp_path)
    missing = {t: sorted(set(cols) - set(doc.get(t, {}))) for t, cols in db.items()}
    assert {t: c for t, c in missing.items() if c} == {}, "add these to docs/schema.md"


def test_everything_documented_exists_with_that_type(tmp_path: Path) -> None:
    doc, db = documented(DOC.read_text("utf-8")), live(tmp_path)
    stale = {t: sorted(set(cols) - set(db.get(t, {}))) for t, cols in doc.items()}
    assert {t: c for t, c in stale.items() if c} == {}, "docs/schema.md names what is gone"
    wrong = {
        f"{t}.{c}": (typ, db[t][c])
        for t, cols in doc.items()
        for c, typ in cols.items()
        if c in db.get(t, {}) and db[t][c] != typ
    }
    assert wrong == {}, "documented type != live type"


def test_contract_names_are_present(tmp_path: Path) -> None:
    db = live(tmp_path)
    contract = {
        "documents": "doc_id source_path kind code title fiscal_year agency progress_pct "
        "parser_version run_id",
        "indicators": "doc_id code name indicator_type result_level target_value target_unit "
        "achieved_value",
        "quarterly_results": "doc_id code quarter result_pct score eval_1 eval_2",
        "report_entries": "doc_id entry_no quarter report_date progress_pct body line_no page",
        "reach_metrics": "doc_id entry_no report_date item_no title metric value unit line_no page",
        "success_levels": "doc_id level pct description",
        "strategy_links": "doc_id path name",
        "plan_steps": "doc_id step_no description weight_pct start_date end_date",
        "key_results": "doc_id code name fiscal_year host_agency aspect issue target_value "
        "target_unit",
        "contacts": "doc_id name position phone phone_digits agency",
        "assessments": "doc_id quarter score",
        "anomalies": "doc_id line_no page rule severity message",
        "source_files": "path sha256 size_bytes status error run_id",
        "ingest_runs": "run_id started_at finished_at files_seen files_loaded files_unchanged "
        "files_failed",
        "latest_documents": "doc_id kind code fiscal_year",
        "monthly_reach": "month doc_id code metric",
    }
    for table, names in contract.items():
        assert set(names.split()) <= set(db.get(table, {})), table
    assert db["reach_metrics"]["value"] == "BIGINT"
    assert db["monthly_reach"]["month"] == "DATE"
