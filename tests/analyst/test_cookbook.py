"""Every recipe of docs/cookbook.md runs on the demo warehouse (built as ./scripts/demo builds
it) and gives its expected table, also pasted into `rayngan query "…"`; so do the README's.

A recipe is a ``### N. question`` heading, a ```sql block and, after the line
"Expected on the samples", a markdown table whose header names the result columns.  Cells:
``NULL``; ``true``/``false``; numbers (thousands commas allowed, compared to 0.05); ISO dates;
text, where a trailing ``…`` means "starts with".
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

COOKBOOK = Path(__file__).resolve().parents[2] / "docs" / "cookbook.md"
README = Path(__file__).resolve().parents[2] / "README.md"
_HEADING = re.compile(r"^### (\d+)\. (.+)$", re.MULTILINE)
_SQL = re.compile(r"^```sql\n(.*?)^```", re.MULTILINE | re.DOTALL)


@dataclass(frozen=True)
class Recipe:
    number: int
    question: str
    sql: str
    columns: tuple[str, ...] | None  # None: the doc forgot the expected table
    rows: tuple[tuple[str, ...], ...]


def _cells(line: str) -> tuple[str, ...]:
    return tuple(cell.strip() for cell in line.strip().strip("|").split("|"))


def parse_recipe(number: int, question: str, text: str) -> Recipe:
    sql = _SQL.search(text)
    assert sql, f"recipe {number} has no ```sql block"
    after = text.split("Expected on the samples", 1)
    assert len(after) == 2, f"recipe {number} has no 'Expected on the samples' line"
    table = [line for line in after[1].splitlines() if line.startswith("|")]
    if not table:
        return Recipe(number, question, sql.group(1), None, ())
    assert set(table[1].replace("|", "").strip()) <= {"-", " "}, f"recipe {number}: bad table"
    return Recipe(
        number, question, sql.group(1), _cells(table[0]), tuple(_cells(line) for line in table[2:])
    )


def load_recipes(markdown: str) -> list[Recipe]:
    heads = list(_HEADING.finditer(markdown))
    recipes = []
    for i, head in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(markdown)
        body = markdown[head.end() : end]
        recipes.append(parse_recipe(int(head.group(1)), head.group(2), body))
    return recipes


RECIPES = load_recipes(COOKBOOK.read_text(encoding="utf-8"))


def cell_matches(expected: str, actual: object) -> bool:
    """Whether one expected cell of the doc says the value the query returned."""
    if actual is None:
        return expected == "NULL"
    if isinstance(actual, bool):
        return expected == str(actual).lower()
    if isinstance(actual, int | float | Decimal):
        try:
            return abs(float(expected.replace(",", "")) - float(actual)) < 0.05
        except ValueError:
            return False
    if isinstance(actual, datetime | date):
        return expected == actual.isoformat()
    if expected.endswith("…"):
        return str(actual).startswith(expected[:-1])
    return expected == str(actual)


def run(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[list[str], list[tuple]]:
    cursor = con.execute(sql)
    return [d[0] for d in cursor.description], cursor.fetchall()


def test_the_cookbook_has_at_least_twelve_numbered_recipes() -> None:
    assert len(RECIPES) >= 12
    assert [r.number for r in RECIPES] == list(range(1, len(RECIPES) + 1))
    assert all(r.columns is not None for r in RECIPES)


@pytest.mark.parametrize("recipe", RECIPES, ids=lambda r: f"recipe{r.number:02d}")
def test_recipe_gives_its_expected_table(
    recipe: Recipe, demo_con: duckdb.DuckDBPyConnection
) -> None:
    columns, rows = run(demo_con, recipe.sql)
    assert rows, f"recipe {recipe.number} answers with no rows on the demo warehouse"
    if recipe.columns is None:
        pytest.fail(f"recipe {recipe.number} has no expected table")
    assert tuple(columns) == recipe.columns, f"recipe {recipe.number}: columns differ"
    shown = "\n".join(map(str, rows))
    assert len(rows) == len(recipe.rows), f"recipe {recipe.number} returned:\n{shown}"
    for expected, actual in zip(recipe.rows, rows, strict=True):
        assert len(expected) == len(actual), f"recipe {recipe.number}: ragged expected row"
        bad = [
            (col, exp, act)
            for col, exp, act in zip(columns, expected, actual, strict=True)
            if not cell_matches(exp, act)
        ]
        assert not bad, f"recipe {recipe.number}, row {actual}: (column, expected, got) {bad}"


def test_every_recipe_runs_pasted_into_rayngan_query(demo_db: Path) -> None:
    """The cookbook tells analysts to paste a recipe into `rayngan query "…"`: every recipe
    that way, through a real shell, answers with its rows."""
    for recipe in RECIPES:
        assert not set('"`\\') & set(recipe.sql) and "$(" not in recipe.sql, recipe.number
        line = f'"$PY" -m ingest query "{recipe.sql}" --db "$DB" --format json'
        done = subprocess.run(
            ["bash", "-c", line], capture_output=True, text=True, timeout=120,
            env={**os.environ, "PY": sys.executable, "DB": str(demo_db)},
        )  # fmt: skip
        assert done.returncode == 0, (recipe.number, done.stderr)
        rows = json.loads(done.stdout)
        assert len(rows) == len(recipe.rows) > 0, recipe.number
        assert tuple(rows[0]) == recipe.columns


def readme_queries() -> list[str]:
    """The `rayngan query "…"` commands of the README's example queries, as shell text."""
    text = README.read_text(encoding="utf-8")
    section = re.search(r"```sh\n(.*?)```", text.split("### Example queries", 1)[1], re.S)
    assert section, "the README has no example queries block"
    section = section.group(1)
    return [
        f"rayngan query {m}" for m in re.findall(r'^rayngan query (".*?")', section, re.M | re.S)
    ]


@pytest.mark.parametrize("command", readme_queries(), ids=lambda c: c[15:50])
def test_readme_queries_answer_with_rows_on_the_demo_warehouse(command: str, demo_db: Path) -> None:
    shell = command.replace("rayngan ", '"$PY" -m ingest ', 1) + ' --db "$DB" --format json'
    done = subprocess.run(
        ["bash", "-c", shell], capture_output=True, text=True, timeout=120,
        env={**os.environ, "PY": sys.executable, "DB": str(demo_db)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout), f"no rows: {command}"


def test_the_readme_has_example_queries() -> None:
    assert len(readme_queries()) >= 4


# --- the checker itself must be able to fail ------------------------------------------


@pytest.mark.parametrize(
    ("expected", "actual", "ok"),
    [
        ("NULL", None, True),
        ("0", None, False),
        ("true", True, True),
        ("false", True, False),
        ("1,103,508", 1103508, True),
        ("91.5", 91.507, True),
        ("91.5", 91.6, False),
        ("2021-08-30", date(2021, 8, 30), True),
        ("2021-08-31", date(2021, 8, 30), False),
        ("ร้อยละ", "ร้อยละ", True),
        ("The text is none…", "The text is none of the kinds", True),
        ("The text…", "A text", False),
        ("x", 3, False),
    ],
)
def test_cell_matches(expected: str, actual: object, ok: bool) -> None:
    assert cell_matches(expected, actual) is ok


def test_a_wrong_expected_table_is_caught() -> None:
    text = (
        "### 1. Q?\n\n```sql\nSELECT 1 AS a\n```\n\nExpected on the samples:\n\n"
        "| a |\n|---|\n| 2 |\n"
    )
    (recipe,) = load_recipes(text)
    con = duckdb.connect()
    _, rows = run(con, recipe.sql)
    assert recipe.columns == ("a",) and not cell_matches(recipe.rows[0][0], rows[0][0])
