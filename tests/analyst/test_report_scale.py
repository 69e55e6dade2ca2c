"""The report on a 3,000-document warehouse made by bench/gen.py: narrowed by the filters,
every row in the CSV files beside the page, and rendered by Chromium at 1,280 px.

Set RAYNGAN_REPORT_PNG=docs/report.png to keep the screenshot (how docs/report.png is made).
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.slow


def rayngan(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ingest", *args], cwd=cwd, capture_output=True, text=True,
        timeout=600, check=False, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip


@pytest.fixture(scope="module")
def big_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("big")
    gen = [sys.executable, str(ROOT / "bench" / "gen.py"), "corpus", "--count", "3000"]
    subprocess.run([*gen, "--seed", "18"], cwd=folder, check=True, capture_output=True)
    done = rayngan("ingest", "corpus/docs", "--db", "w.duckdb", "-q", cwd=folder)
    assert done.returncode == 0, done.stderr
    return folder / "w.duckdb"


@pytest.fixture(scope="module")
def all_page(big_db: Path) -> Path:
    done = rayngan("report", "--db", "w.duckdb", "--out", "all.html", cwd=big_db.parent)
    assert done.returncode == 0, done.stderr
    return big_db.parent / "all.html"


def scalar(db: Path, sql: str) -> object:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchone()[0]


def test_every_row_is_in_the_csv_beside_the_page(big_db: Path, all_page: Path) -> None:
    page = all_page.read_text("utf-8")
    kpis = scalar(big_db, "SELECT count(*) FROM kpi_results")
    anomalies = scalar(
        big_db,
        "SELECT count(*) FROM anomalies WHERE doc_id IN (SELECT doc_id FROM latest_documents)",
    )
    with open(big_db.parent / "all_files" / "kpis.csv", encoding="utf-8-sig") as f:
        assert sum(1 for _ in csv.reader(f)) - 1 == kpis
    with open(big_db.parent / "all_files" / "anomalies.csv", encoding="utf-8-sig") as f:
        assert sum(1 for _ in csv.reader(f)) - 1 == anomalies
    assert f"All {anomalies:,} in" in page and 'href="all_files/anomalies.csv"' in page
    assert re.search(r'class="src" href="file://[^"]+#L\d+"', page)  # a fact's file:line


def test_the_filters_narrow_every_section(big_db: Path) -> None:
    year, agency = 2560, "สำนักการศึกษา"
    args = ["--fiscal-year", str(year), "--agency", agency, "--kind", "project_progress"]
    done = rayngan("report", "--db", "w.duckdb", "--out", "fy.html", *args, cwd=big_db.parent)
    assert done.returncode == 0, done.stderr
    expected = scalar(
        big_db,
        f"SELECT count(*) FROM kpi_results WHERE fiscal_year = {year} AND kind = 'project_progress' "
        f"AND agency LIKE '%{agency}%'",
    )
    with open(big_db.parent / "fy_files" / "kpis.csv", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == expected > 0
    assert {r["fiscal_year"] for r in rows} == {str(year)}
    with open(big_db.parent / "fy_files" / "kpi_summary.csv", encoding="utf-8-sig") as f:
        summary = list(csv.DictReader(f))
    met = sum(int(r["met"]) + int(r["missed"]) + int(r["no_result"]) for r in summary)
    assert met == expected


def test_count_axes_have_integer_ticks(all_page: Path) -> None:
    page = all_page.read_text("utf-8")
    summary = page.split('id="kpi-summary"', 1)[1].split('role="img"', 1)[1].split("</svg>")[0]
    ticks = re.findall(r'text-anchor="middle">([\d,.]+)</text>', summary)
    assert ticks and all("." not in t for t in ticks), ticks


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (scripts/setup does it)")
def test_chromium_renders_the_big_report_at_1280px(all_page: Path, tmp_path: Path) -> None:
    from PIL import Image

    page = all_page
    png = tmp_path / "report.png"
    cmd = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={png}",
        "--window-size=1280,2400", page.resolve().as_uri(),
    ]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0 and png.is_file(), done.stderr[-2000:]
    with Image.open(png) as image:
        assert image.size == (1280, 2400)
        painted = {colour for _, colour in image.convert("RGB").getcolors(1 << 20) or []}
        # the summary's met green and missed red were painted
        assert (18, 122, 58) in painted and (180, 35, 24) in painted
    keep = os.environ.get("RAYNGAN_REPORT_PNG")
    if keep:
        shutil.copyfile(png, keep)
