"""Rewrite the expected tables of docs/cookbook.md from the demo warehouse, deliberately.

    python tests/analyst/regen_cookbook.py    # then review `git diff docs/cookbook.md`

Builds the warehouse as ./scripts/demo does (`rayngan ingest samples`), runs every recipe
and replaces each table whose rows no longer match (tests/analyst/test_cookbook.py).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

from tests.analyst.test_cookbook import COOKBOOK, cell_matches, load_recipes, run  # noqa: E402

TEXT_CUT = 48  # longer text cells end in "…" (the test reads it as "starts with")


def cell(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value).replace("|", "/").replace("\n", " ")
    return text[:TEXT_CUT] + "…" if len(text) > TEXT_CUT else text


def table(columns: list[str], rows: list[tuple]) -> str:
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "warehouse.duckdb"
        subprocess.run(
            [sys.executable, "-m", "ingest", "ingest", "samples", "--db", str(db), "--quiet"],
            cwd=ROOT, check=False, capture_output=True,
        )  # fmt: skip
        con = duckdb.connect(str(db), read_only=True)
        text = COOKBOOK.read_text(encoding="utf-8")
        for recipe in load_recipes(text):
            columns, rows = run(con, recipe.sql)
            same = len(rows) == len(recipe.rows) and all(
                all(cell_matches(e, a) for e, a in zip(exp, got, strict=False))
                for exp, got in zip(recipe.rows, rows, strict=True)
            )
            if same and tuple(columns) == recipe.columns:
                continue
            head, rest = text.split(f"### {recipe.number}. ", 1)
            before, after = rest.split("Expected on the samples", 1)
            lines = after.split("\n")
            start = next(i for i, ln in enumerate(lines) if ln.startswith("|"))
            end = start
            while end < len(lines) and lines[end].startswith("|"):
                end += 1
            lines[start:end] = table(columns, rows).split("\n")
            text = (
                head
                + f"### {recipe.number}. "
                + before
                + "Expected on the samples"
                + "\n".join(lines)
            )
            print(f"recipe {recipe.number}: rewritten ({len(rows)} rows)")
        COOKBOOK.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
