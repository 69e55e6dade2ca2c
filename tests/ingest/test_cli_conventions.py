"""The conventions analysts know from sqlite-utils, the duckdb CLI and csvkit, and the
operator's: --version, --verbose everywhere, SQL from a file or stdin, NULL as NULL, '-' as
stdout, exit 2 with a plain line for every ordinary mistake, --exclude, known failures."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from ingest.cli.parser import build_parser
from tests.ingest.ingest_helpers import REPO, SAMPLES, run_cli

TXT = [SAMPLES / "000_fe2414e97ca3dbed.txt", SAMPLES / "004_a8b6aaaadac5bd4d.txt"]
COMMANDS = ("ingest", "inspect", "query", "search", "status", "export", "report")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("conv")
    done = run_cli("ingest", *map(str, TXT), "--db", "w.duckdb", cwd=folder)
    assert done.returncode == 0, done.stderr
    return folder / "w.duckdb"


def cli(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ingest", *args], cwd=cwd, input=stdin, capture_output=True,
        text=True, timeout=300, check=False,
    )  # fmt: skip


def test_version(tmp_path: Path) -> None:
    done = cli("--version", cwd=tmp_path)
    assert done.returncode == 0 and re.fullmatch(r"rayngan \d+\.\d+\.\d+\S*\n", done.stdout)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_takes_verbose_and_its_help_has_examples_in_the_readme(
    command: str, tmp_path: Path
) -> None:
    done = cli(command, "--help", cwd=tmp_path)
    assert done.returncode == 0 and "--verbose" in done.stdout
    assert "examples:" in done.stdout
    example = next(
        line.strip() for line in done.stdout.split("examples:")[1].splitlines() if line.strip()
    )
    assert example.startswith(f"rayngan {command}")
    readme = (REPO / "README.md").read_text("utf-8")
    assert re.search(rf"^\s*rayngan {command}\b", readme, re.MULTILINE), command


def test_the_parser_knows_exactly_these_commands() -> None:
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    assert tuple(sub.choices) == COMMANDS  # type: ignore[union-attr]


def test_sql_from_a_file_and_from_stdin(db: Path) -> None:
    sql = "SELECT code FROM latest_documents WHERE code IS NOT NULL ORDER BY code"
    (db.parent / "q.sql").write_text(sql + ";\n", "utf-8")
    from_file = cli("query", "-f", "q.sql", "--db", "w.duckdb", "--format", "csv", cwd=db.parent)
    from_stdin = cli("query", "-", "--db", "w.duckdb", "--format", "csv", cwd=db.parent, stdin=sql)
    dash_f = cli(
        "query", "-f", "-", "--db", "w.duckdb", "--format", "csv", cwd=db.parent, stdin=sql
    )
    assert from_file.stdout == from_stdin.stdout == dash_f.stdout == "code\n0411-2029\n"


def test_null_is_shown_as_null_and_booleans_as_true_false(db: Path) -> None:
    sql = "SELECT NULL AS a, '' AS b, true AS c, 1 AS d"
    table = cli("query", sql, "--db", "w.duckdb", cwd=db.parent).stdout.splitlines()
    assert table[2].split() == ["NULL", "true", "1"] and "NULL" in table[2]
    csv = cli("query", sql, "--db", "w.duckdb", "--format", "csv", cwd=db.parent).stdout
    assert csv == "a,b,c,d\n,,true,1\n"
    mine = cli("query", sql, "--db", "w.duckdb", "--null", "-", cwd=db.parent).stdout
    assert mine.splitlines()[2].split() == ["-", "true", "1"]


def test_excel_csv_has_a_bom_and_crlf_and_keeps_thai(db: Path) -> None:
    sql = "SELECT title FROM latest_documents WHERE title IS NOT NULL ORDER BY title"
    out = db.parent / "t.csv"
    done = cli("query", sql, "--db", "w.duckdb", "--excel", "-o", str(out), cwd=db.parent)
    assert done.returncode == 0, done.stderr
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbftitle\r\n")
    frame = pd.read_csv(out, encoding="utf-8-sig")
    assert frame["title"].str.contains("ระดับความสำเร็จ").any()


def test_dash_is_stdout_for_the_report_and_the_workbook(db: Path) -> None:
    page = cli("report", "--db", "w.duckdb", "--out", "-", cwd=db.parent)
    assert page.returncode == 0 and page.stdout.startswith("<!DOCTYPE html>")
    assert not (db.parent / "-").exists()
    book = subprocess.run(
        [sys.executable, "-m", "ingest", "export", "-", "--format", "xlsx", "--db", "w.duckdb"],
        cwd=db.parent, capture_output=True, timeout=300, check=False,
    )  # fmt: skip
    assert book.returncode == 0, book.stderr
    sheets = openpyxl.load_workbook(io.BytesIO(book.stdout), read_only=True).sheetnames
    assert "documents" in sheets and not (db.parent / "-").exists()


@pytest.mark.parametrize(
    "args",
    [
        ("query", ""),
        ("query", "   ;  "),
        ("query",),
        ("query", "SELEC 1"),
        ("query", "SELECT * FROM no_such_table"),
        ("query", "-f", "missing.sql"),
        ("report", "--out", "/nonexistent/dir/r.html"),
        ("report", "--fiscal-year", "66"),
        ("export", "w.duckdb"),
        ("export", "-", "--format", "csv"),
        ("inspect", "missing.txt"),
        ("ingest", "no/such/folder"),
        ("status", "--db", "missing.duckdb"),
    ],
)
def test_ordinary_mistakes_exit_2_with_one_plain_line(db: Path, args: tuple[str, ...]) -> None:
    done = cli(*args, *(["--db", "w.duckdb"] if "--db" not in args else []), cwd=db.parent)
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr
    assert done.stderr.strip() and "rayngan" in done.stderr


def test_export_never_touches_a_home_folder(db: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "documents").mkdir(parents=True)
    (home / "documents" / "thesis.docx").write_text("mine")
    done = cli("export", str(home), "--db", str(db), cwd=tmp_path)
    assert done.returncode == 2 and "not empty" in done.stderr
    assert [p.name for p in home.rglob("*")] == ["documents", "thesis.docx"]


def test_exclude_globs_and_the_config_file_beside_the_warehouse(tmp_path: Path) -> None:
    inbox = tmp_path / "in"
    (inbox / "drafts").mkdir(parents=True)
    for sample in TXT:
        (inbox / sample.name).write_bytes(sample.read_bytes())
    (inbox / "drafts" / "x.txt").write_text("draft: no report\n", "utf-8")
    (inbox / "junk.txt").write_text("not a report\n", "utf-8")
    done = cli("ingest", "in", "--db", "w.duckdb", "--exclude", "drafts", "--exclude",
               "in/junk*", cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "loaded 2, unchanged 0, failed 0" in done.stdout and "excluded 2" in done.stdout
    (tmp_path / "rayngan.toml").write_text('[ingest]\nexclude = ["drafts", "junk.txt"]\n')
    again = cli("ingest", "in", "--db", "w.duckdb", cwd=tmp_path)
    assert again.returncode == 0 and "excluded 2" in again.stdout
    (tmp_path / "rayngan.toml").write_text("[ingest]\nexclude = 3\n")
    bad = cli("ingest", "in", "--db", "w.duckdb", cwd=tmp_path)
    assert bad.returncode == 2 and "rayngan.toml" in bad.stderr


def test_only_new_failures_exit_1_and_status_lists_the_known_ones(tmp_path: Path) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "a.txt").write_bytes(TXT[0].read_bytes())
    (inbox / "bad.txt").write_bytes(b"")  # fails: empty (any text lands, as generic)
    first = cli("ingest", "in", "--db", "w.duckdb", cwd=tmp_path)
    assert first.returncode == 1  # new
    second = cli("ingest", "in", "--db", "w.duckdb", cwd=tmp_path)
    assert second.returncode == 0 and "1 failed before" in second.stdout  # known
    (inbox / "bad.txt").write_bytes(b"%PDF-1.4 broken, changed\n")
    third = cli("ingest", "in", "--db", "w.duckdb", cwd=tmp_path)
    assert third.returncode == 0  # the same file failing again: known
    (inbox / "worse.txt").write_bytes(b"%PDF-1.7 not a PDF either\n")
    fourth = cli("ingest", "in", "--db", "w.duckdb", cwd=tmp_path)
    assert fourth.returncode == 1  # a new one
    status = cli("status", "--db", "w.duckdb", cwd=tmp_path)
    assert "in/bad.txt" in status.stdout and "in/worse.txt" in status.stdout
