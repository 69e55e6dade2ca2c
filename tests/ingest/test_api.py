"""The library API: parse_file, parse_path and ingest_paths, as a notebook would call them."""

from __future__ import annotations

import gc
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import ingest
from parsers.errors import InputError, RaynganError
from tests.ingest.ingest_helpers import REPO
from warehouse import Warehouse

SAMPLE = REPO / "samples" / "004_a8b6aaaadac5bd4d.txt"


def test_parse_file_from_a_path_and_from_bytes() -> None:
    doc = ingest.parse_file(SAMPLE)
    assert (doc.kind, doc.code) == ("kpi_detail", "0411-2029")
    same = ingest.parse_file(SAMPLE.read_bytes(), name="copy.txt")
    assert same.source == "copy.txt"
    assert same.indicators == doc.indicators


def test_parse_file_raises_an_error_naming_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "nothing.txt"
    bad.write_text("ข้อความที่ไม่ใช่รายงาน\n" * 3, encoding="utf-8")
    with pytest.raises(RaynganError) as caught:
        ingest.parse_file(tmp_path / "missing.txt")
    assert "missing.txt" in str(caught.value)


def test_parse_path_gives_one_result_per_zip_member(tmp_path: Path) -> None:
    archive = tmp_path / "two.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(SAMPLE, "a.txt")
        zf.write(REPO / "samples" / "000_fe2414e97ca3dbed.txt", "b.txt")
    found = ingest.parse_path(archive)
    assert [p.path.split("!")[-1] for p in found] == ["a.txt", "b.txt"]
    assert all(p.document is not None for p in found)
    with pytest.raises(InputError, match="parse_path"):
        ingest.parse_file(archive)


def test_ingest_twice_in_one_process_then_query_leaves_the_process_as_it_was(
    tmp_path: Path,
) -> None:
    import pyarrow as pa

    pool = pa.default_memory_pool().backend_name
    hooks = list(sys.meta_path)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    db = tmp_path / "w.duckdb"
    first = ingest.ingest_paths(REPO / "samples", db, workers=2)
    again = ingest.ingest_paths([str(REPO / "samples")], db, workers=2)
    assert first.loaded > 20 and again.loaded == 0 and again.unchanged == first.loaded
    with Warehouse(db, read_only=True) as wh:
        frame = wh.query_df("SELECT kind, count(*) AS n FROM documents GROUP BY kind")
        _, rows = wh.query("SELECT count(*) FROM documents")
    assert int(frame["n"].sum()) == rows[0][0] == first.loaded
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert sys.meta_path == hooks
    assert pa.default_memory_pool().backend_name == pool


def test_the_issue_one_liner_runs() -> None:
    code = "import ingest; d = ingest.parse_file('samples/004_a8b6aaaadac5bd4d.txt'); print(d.kind)"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "kpi_detail"


def test_every_package_exports_its_api() -> None:
    import normalize
    import warehouse

    for module in (ingest, normalize, warehouse):
        assert module.__all__, module.__name__
        for name in module.__all__:
            assert getattr(module, name) is not None, f"{module.__name__}.{name}"


def test_a_script_without_a_main_guard_is_not_run_again_by_the_workers(tmp_path: Path) -> None:
    script = tmp_path / "unguarded.py"
    script.write_text(
        "import ingest\n"
        f"s = ingest.ingest_paths({str(REPO / 'samples' / 'real')!r}, {str(tmp_path / 'w.duckdb')!r},"
        " workers=2)\n"
        "print(s.line())\n",
        encoding="utf-8",
    )
    out = subprocess.run(
        [sys.executable, str(script)], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    assert out.stdout.count("loaded ") == 1 and "failed 0" in out.stdout
