"""A warehouse rayngan creates opens in DuckDB 1.x clients (the oldest claimed: 1.1.3), with
every analyst view answering.  scripts/setup installs that client into .venv/duckdb1/."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OLD_CLIENT = "duckdb==1.1.3"
VIEWS = ("latest_documents", "kpi_results", "monthly_reach", "document_versions", "reports")


@pytest.fixture(scope="module")
def old_duckdb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding DuckDB 1.1.3 (not importable from this venv, which has 2.x)."""
    prepared = Path(os.environ.get("RAYNGAN_DUCKDB1_DIR") or ROOT / ".venv" / "duckdb1")
    if (prepared / "duckdb").is_dir():
        return prepared
    target = tmp_path_factory.mktemp("duckdb1")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check",
         "--target", str(target), OLD_CLIENT],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        pytest.skip(f"cannot install {OLD_CLIENT} (run scripts/setup): {done.stderr[-300:]}")
    return target


def test_a_new_warehouse_opens_in_duckdb_1_1(old_duckdb: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    sample = ROOT / "samples" / "004_a8b6aaaadac5bd4d.txt"
    done = subprocess.run(
        [sys.executable, "-m", "ingest", "ingest", str(sample), "--db", str(db), "-q"],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    again = ROOT / "samples" / "000_fe2414e97ca3dbed.txt"  # a later write keeps the format
    subprocess.run([sys.executable, "-m", "ingest", "ingest", str(again), "--db", str(db), "-q"],
                   check=True, capture_output=True)  # fmt: skip
    script = (
        "import duckdb, json, sys\n"
        "con = duckdb.connect(sys.argv[1], read_only=True)\n"
        "out = {'version': duckdb.__version__}\n"
        f"for v in {VIEWS!r}:\n"
        "    out[v] = con.execute(f'SELECT count(*) FROM {v}').fetchone()[0]\n"
        "print(json.dumps(out))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(old_duckdb)
    read = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(old_duckdb)!r})\n"
         + script, str(db)],
        capture_output=True, text=True, timeout=120, check=False, env=env,
    )  # fmt: skip
    assert read.returncode == 0, read.stderr[-1500:]
    result = json.loads(read.stdout)
    assert result["version"] == "1.1.3"
    assert result["latest_documents"] == 2 and result["kpi_results"] >= 1
