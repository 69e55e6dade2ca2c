"""The HTML report: built from the sample warehouse, escaped, offline, and rendered by Chromium.

Set RAYNGAN_REPORT_PNG=docs/report.png to keep the Chromium screenshot (how docs/report.png is
made).
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from datetime import date
from pathlib import Path

import duckdb
import pytest
from hypothesis import given
from hypothesis import strategies as st

from parsers.errors import WarehouseError, WarehouseLockedError
from warehouse import schema
from warehouse.report import (
    FailedFile,
    Kpi,
    KpiQuarter,
    ReportData,
    Series,
    _nice_max,
    bar_svg,
    collect,
    esc,
    fmt_num,
    line_svg,
    render_html,
    write_report,
)
from warehouse.schema import migrate

_PUA = re.compile("[\uf700-\uf71a\uf884-\uf89e]")


@pytest.fixture(scope="module")
def report_html(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("report") / "report.html"
    assert write_report(sample_db, out) == out
    return out.read_text(encoding="utf-8")


def test_the_report_shows_the_samples_kpis_with_targets_and_quarters(report_html: str) -> None:
    for code in ("0411-2029", "0411-2004"):
        assert code in report_html
    # 0411-2004 (sample 001): target 90, achieved 70 -> missed; 0411-2029: 100/100 -> met
    row = re.search(r"<tr><td[^>]*>0411-2004</td>.*?</tr>", report_html).group(0)
    assert '<td class="num">90</td><td class="num">70</td>' in row and "missed" in row
    row = re.search(r"<tr><td[^>]*>0411-2029</td>.*?</tr>", report_html).group(0)
    assert '<td class="num">100</td><td class="num">100</td>' in row and ">met<" in row
    # the quarterly bars of 0411-2029: 10, 30, 70, 100 %
    card = report_html.split("0411-2029 · FY 2566", 1)[1].split("</svg>", 2)[1]
    assert [t for t in re.findall(r">(\d+)</text>", card) if t in {"10", "30", "70"}] == [
        "10",
        "30",
        "70",
    ]


def test_the_report_shows_the_monthly_reach_of_04110000_3768(report_html: str) -> None:
    section = report_html.split('id="reach"', 1)[1].split('id="progress"', 1)[0]
    section = section.split("<h3>04110000-3768 · FY 2564", 1)[1].split('<div class="card">')[0]
    assert "total 1,103,508" in section
    months = [
        "38,045",
        "57,583",
        "40,012",
        "250,218",
        "124,189",
        "107,408",
        "129,859",
        "186,777",
        "169,417",
    ]
    cells = re.findall(r'<td class="num">([\d,]+)</td>', section)
    assert cells == months


def test_the_report_shows_the_progress_curve_and_the_overview(report_html: str) -> None:
    section = report_html.split('id="progress"', 1)[1].split('id="runs"', 1)[0]
    assert "04110000-3768" in section and "2021-08-30: 90%" in section
    assert "2020-10-28: 5%" in section
    overview = report_html.split('id="overview"', 1)[1].split('id="kpis"', 1)[0]
    assert "<th>2564</th>" in overview and "<td>project_progress</td>" in overview
    runs = report_html.split('id="runs"', 1)[1].split('id="anomalies"', 1)[0]
    assert "not_a_report.txt" in runs  # the failed file, with its reason
    assert "The file is empty" in runs


def test_the_report_lists_every_anomaly_rule(report_html: str, sample_db: Path) -> None:
    with duckdb.connect(str(sample_db), read_only=True) as con:
        rules = {
            r
            for (r,) in con.execute(
                "SELECT DISTINCT rule FROM anomalies "
                "WHERE doc_id IN (SELECT doc_id FROM latest_documents)"
            ).fetchall()
        }
    assert rules, "the samples carry anomalies"
    section = report_html.split('id="anomalies"', 1)[1]
    for rule in rules:
        assert f"<td>{rule}</td>" in section


def test_thai_text_arrives_intact(report_html: str) -> None:
    assert "สำนักงานประชาสัมพันธ์" in report_html
    assert "ร้อยละความสำเร็จของการรณรงค์สร้างจิตสำนึก" in report_html
    assert unicodedata.is_normalized("NFC", report_html)
    assert not _PUA.search(report_html), "Private Use Area glyphs reached the page"
    assert "\u0e4d\u0e32" not in report_html and "\u0e33\u0e32" not in report_html


def test_the_page_is_self_contained(report_html: str) -> None:
    assert report_html.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in report_html
    assert "<script" not in report_html.lower()
    assert not re.search(r"""src\s*=|@import|url\(""", report_html)
    # links only to the source files and the CSV files beside the page: nothing on a network
    hrefs = re.findall(r'href="([^"]*)"', report_html)
    assert hrefs and all(not re.match(r"(?i)[a-z]+://(?!/)", h) for h in hrefs), hrefs
    assert "Laksaman" in report_html and "Noto Sans Thai" in report_html
    # the only URL is the SVG namespace name, which is never fetched
    assert set(re.findall(r"https?://[^\s\"']+", report_html)) == {"http://www.w3.org/2000/svg"}


def test_writing_the_report_leaves_the_warehouse_untouched(sample_db: Path, tmp_path: Path) -> None:
    before = hashlib.sha256(sample_db.read_bytes()).hexdigest()
    write_report(sample_db, tmp_path / "r.html")
    assert hashlib.sha256(sample_db.read_bytes()).hexdigest() == before


def test_a_missing_warehouse_is_a_named_error(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.duckdb"
    with pytest.raises(WarehouseError, match=r"nowhere\.duckdb"):
        write_report(missing, tmp_path / "r.html")
    assert not missing.exists() and not (tmp_path / "r.html").exists()


def test_a_warehouse_held_by_a_writer_is_a_named_error(sample_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "held.duckdb"
    shutil.copyfile(sample_db, db)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_FOR_WRITING, str(db)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        with pytest.raises(WarehouseLockedError, match=r"held\.duckdb for writing"):
            write_report(db, tmp_path / "r.html")
    finally:
        holder.kill()
        holder.wait()
    assert not (tmp_path / "r.html").exists()


HOLD_FOR_WRITING = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("holding", flush=True)
time.sleep(60)
"""


def test_rayngan_report_writes_the_page(sample_db: Path, tmp_path: Path) -> None:
    help_text = subprocess.run(
        [sys.executable, "-m", "ingest", "--help"], capture_output=True, text=True, timeout=60
    ).stdout
    if not re.search(r"^\s+report\b", help_text, re.MULTILINE):
        pytest.skip("the CLI has no `report` command yet (ingest/cli.py must call write_report)")
    out = tmp_path / "report.html"
    done = subprocess.run(
        [sys.executable, "-m", "ingest", "report", "--out", str(out), "--db", str(sample_db)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    page = out.read_text(encoding="utf-8")
    assert "0411-2029" in page and "total 1,103,508" in page


def test_a_warehouse_from_before_the_analyst_views_is_a_named_error(tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    core = Path(schema.__file__).parent / "migrations" / "0001_core.sql"
    with duckdb.connect(str(db)) as con:
        con.execute(core.read_text(encoding="utf-8"))
    with pytest.raises(WarehouseError, match="rayngan ingest"):
        write_report(db, tmp_path / "r.html")
    assert not (tmp_path / "r.html").exists()


def test_an_empty_warehouse_gives_a_page_that_says_so(tmp_path: Path) -> None:
    db = tmp_path / "empty.duckdb"
    with duckdb.connect(str(db)) as con:
        migrate(con)
    page = (write_report(db, tmp_path / "r.html")).read_text(encoding="utf-8")
    assert page.count("Nothing in the warehouse yet.") >= 3
    assert "No file failed." in page


def test_every_value_is_escaped() -> None:
    hostile = '<script>alert("x")</script> & ร้อยละ'
    data = ReportData(
        title=hostile,
        generated_at="now",
        failed=(FailedFile(hostile, hostile),),
        kpis=(Kpi(hostile, hostile, 2566, 100.0, hostile, 50.0, (KpiQuarter(1, 50.0, None),)),),
        kpi_total=1,
        progress=(Series(hostile, hostile, 2566, ((date(2023, 1, 1), 10.0),)),),
        progress_total=1,
    )
    page = render_html(data)
    assert "<script" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; ร้อยละ" in page
    assert render_html(data) == page  # pure: same data, same page


@given(st.text())
def test_escaping_round_trips_any_text(text: str) -> None:
    escaped = esc(text)
    assert not set(escaped) & set("<>\"'")
    assert html.unescape(escaped) == text


@pytest.mark.parametrize(
    "hostile",
    ["\ufeffสำนัก", "ร้อย\u200bละ", "a\u00a0b", "line1\r\nline2", "", "</td></tr><tr><td>x", "&amp;"],
)
def test_hostile_text_stays_inside_its_cell(hostile: str) -> None:
    page = render_html(
        ReportData(title="t", generated_at="now", failed=(FailedFile(hostile, hostile),))
    )
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td></tr>", page, re.DOTALL)
    assert rows == [(esc(hostile), esc(hostile))]


@pytest.mark.parametrize(
    ("value", "top"),
    [
        (0, 1.0),
        (7, 10.0),
        (15, 20.0),
        (90, 100.0),
        (100, 100.0),
        (250218, 500000.0),
        (169417, 200000.0),
        (1103508, 2000000.0),
    ],
)
def test_axis_tops_are_round_and_cover_the_value(value: float, top: float) -> None:
    assert _nice_max(value) == top


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, "–"), (1103508, "1,103,508"), (90.0, "90"), (84.8, "84.8"), (-20.0, "-20")],
)
def test_fmt_num(value: float | None, text: str) -> None:
    assert fmt_num(value) == text


def test_bar_chart_draws_one_bar_per_value_and_the_target_line() -> None:
    svg = bar_svg([("Q1", 10.0), ("Q2", None), ("Q3", 70.0)], target=90.0)
    assert svg.count("<rect") == 3
    assert 'stroke-dasharray="6 4"' in svg
    assert "<title>Q2: –</title>" in svg  # a blank quarter is drawn empty, not as zero


def test_line_chart_without_points_is_an_empty_frame() -> None:
    assert "<polyline" not in line_svg([])
    svg = line_svg(
        [(date(2020, 10, 28), 5.0), (date(2021, 8, 30), 90.0)],
        [(date(2020, 10, 28), 7.7), (date(2021, 8, 30), 91.5)],
    )
    assert svg.count("<polyline") == 2 and svg.count("<circle") == 2


def test_long_lists_are_cut_and_say_so(sample_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("warehouse.report.data.MAX_KPIS", 1)
    monkeypatch.setattr("warehouse.report.data.MAX_REPORTS", 2)
    with duckdb.connect(str(sample_db), read_only=True) as con:
        data = collect(con)
    assert (len(data.kpis), data.kpi_total) == (1, 3)
    assert data.kpis[0].code == "0411-2004"  # the missed target comes first
    assert (len(data.reports), data.report_total) == (2, 5)
    page = render_html(data)
    assert "Showing 1 of 3." in page and "Showing 2 of 5." in page


def test_collect_reads_through_a_read_only_connection(sample_db: Path) -> None:
    with duckdb.connect(str(sample_db), read_only=True) as con:
        data = collect(con)
    assert {k.code for k in data.kpis} >= {"0411-2029", "0411-2004"}
    (series,) = [s for s in data.reach if s.code == "04110000-3768"]
    assert sum(v for _, v in series.points) == 1_103_508
    assert len(series.points) == 9


# --- rendering in a real browser -----------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.slow
@pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium is not installed (Debian package 'chromium'; scripts/setup installs it)",
)
def test_chromium_renders_the_report(sample_db: Path, tmp_path: Path) -> None:
    from PIL import Image

    fonts = subprocess.run(["fc-list", ":lang=th", "family"], capture_output=True, text=True)
    assert fonts.stdout.strip(), "no Thai font is installed: Thai would render as boxes"
    page = write_report(sample_db, tmp_path / "report.html")
    png = tmp_path / "report.png"
    cmd = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        f"--screenshot={png}",
        "--window-size=1280,2000",
        "--hide-scrollbars",
        page.resolve().as_uri(),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and png.is_file(), done.stderr[-2000:]
    with Image.open(png) as image:
        assert image.size == (1280, 2000)
        rgb = image.convert("RGB")
        colours = rgb.getcolors(maxcolors=1 << 20) or []
        assert len(colours) > 200, "the screenshot is nearly blank"
        white = max(count for count, colour in colours if colour == (255, 255, 255))
        assert white < 0.97 * 1280 * 2000
        # the chart bars (#2f80ed) and the missed-target red (#b42318) were painted
        painted = {colour for _, colour in colours}
        assert (47, 128, 237) in painted and (180, 35, 24) in painted
    keep = os.environ.get("RAYNGAN_REPORT_PNG")
    if keep:
        shutil.copyfile(png, keep)
