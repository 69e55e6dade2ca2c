"""The offline HTML report: one self-contained page (inline CSS, inline SVG, no scripts).

``collect(con)`` runs the queries on a DuckDB connection and returns a ``ReportData``;
``render_html(data)`` is a pure function from that data to the HTML text; ``write_report``
opens the warehouse read-only and writes the file.  Every value that reaches the page goes
through ``html.escape``: report text comes from archives nobody controls.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from parsers.errors import WarehouseError
from warehouse.store import Warehouse

FONT_STACK = '"Laksaman", "Garuda", "Loma", "Noto Sans Thai", sans-serif'
MAX_KPIS = 40  # charts per section: the page must stay readable on a big warehouse
MAX_SERIES = 12
MAX_ANOMALIES = 300
MAX_REPORTS = 200
MAX_RUNS = 5


@dataclass(frozen=True)
class KindCount:
    kind: str
    fiscal_year: int | None
    reports: int  # latest exports
    exports: int  # every export loaded


@dataclass(frozen=True)
class ReportRow:
    """One report (its latest export) in the overview list."""

    kind: str
    code: str | None
    fiscal_year: int | None
    agency: str | None
    title: str | None
    source: str | None
    anomalies: int


@dataclass(frozen=True)
class RunRow:
    run_id: str
    started_at: datetime | None
    finished_at: datetime | None
    seen: int | None
    loaded: int | None
    unchanged: int | None
    failed: int | None


@dataclass(frozen=True)
class FailedFile:
    path: str
    error: str | None


@dataclass(frozen=True)
class KpiQuarter:
    quarter: int
    result_pct: float | None
    score: float | None


@dataclass(frozen=True)
class Kpi:
    code: str | None
    name: str | None
    fiscal_year: int | None
    target_value: float | None
    target_unit: str | None
    achieved_value: float | None
    quarters: tuple[KpiQuarter, ...] = ()


@dataclass(frozen=True)
class Series:
    """One project's points over time: (date, value), oldest first."""

    code: str | None
    title: str | None
    fiscal_year: int | None
    points: tuple[tuple[date, float], ...]
    reference: tuple[tuple[date, float], ...] = ()  # the fiscal-year-elapsed line


@dataclass(frozen=True)
class AnomalyCount:
    rule: str
    severity: str
    documents: int
    anomalies: int


@dataclass(frozen=True)
class AnomalyRow:
    source: str | None
    rule: str
    severity: str
    line_no: int | None
    message: str | None


@dataclass(frozen=True)
class ReportData:
    title: str
    generated_at: str
    kinds: tuple[KindCount, ...] = ()
    reports: tuple[ReportRow, ...] = ()
    report_total: int = 0
    runs: tuple[RunRow, ...] = ()
    failed: tuple[FailedFile, ...] = ()
    failed_total: int = 0
    kpis: tuple[Kpi, ...] = ()
    kpi_total: int = 0
    reach: tuple[Series, ...] = ()
    reach_total: int = 0
    progress: tuple[Series, ...] = ()
    progress_total: int = 0
    anomaly_counts: tuple[AnomalyCount, ...] = ()
    anomalies: tuple[AnomalyRow, ...] = ()
    anomaly_total: int = 0


# ---------------------------------------------------------------- queries


def write_report(db_path: str | Path, out_path: str | Path) -> Path:
    """Write the HTML report of the warehouse ``db_path`` to ``out_path``; return the path.

    The warehouse is opened read-only.  Raises ``WarehouseError`` naming the file when it is
    missing or unreadable, ``WarehouseLockedError`` when a writer holds it; nothing is
    written then.
    """
    db = Path(db_path)
    if not db.is_file():
        raise WarehouseError(
            f"There is no warehouse file at {str(db)!r}; run `rayngan ingest` first.",
            path=str(db),
        )
    with Warehouse.open(db, read_only=True) as wh:
        try:
            data = collect(wh.con, title=f"rayngan report: {db.name}")
        except duckdb.CatalogException as exc:
            # a read-only open never migrates: an older file lacks the 0002 analyst views
            raise WarehouseError(
                f"The warehouse {str(db)!r} predates the views this report reads ({exc}); "
                "run any `rayngan ingest` on it once to upgrade it.",
                path=str(db),
            ) from exc
    out = Path(out_path)
    out.write_text(render_html(data), encoding="utf-8")
    return out


def collect(con: duckdb.DuckDBPyConnection, *, title: str = "rayngan report") -> ReportData:
    """Everything the page shows, read from the warehouse (read-only queries only)."""
    kpis, kpi_total = _kpis(con)
    reach, reach_total = _reach(con)
    progress, progress_total = _progress(con)
    reports = _rows(con, _REPORTS_SQL, [MAX_REPORTS])
    return ReportData(
        title=title,
        generated_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        kinds=_kinds(con),
        reports=tuple(ReportRow(*row) for row in reports),
        report_total=_count(con, "latest_documents"),
        runs=tuple(RunRow(*row) for row in _rows(con, _RUNS_SQL, [MAX_RUNS])),
        failed=tuple(FailedFile(*row) for row in _rows(con, _FAILED_SQL, [MAX_REPORTS])),
        failed_total=_count(con, "source_files WHERE status = 'failed'"),
        kpis=kpis,
        kpi_total=kpi_total,
        reach=reach,
        reach_total=reach_total,
        progress=progress,
        progress_total=progress_total,
        anomaly_counts=tuple(AnomalyCount(*row) for row in _rows(con, _ANOMALY_COUNT_SQL)),
        anomalies=tuple(AnomalyRow(*row) for row in _rows(con, _ANOMALY_SQL, [MAX_ANOMALIES])),
        anomaly_total=_count(con, _LATEST_ANOMALIES),
    )


def _count(con: duckdb.DuckDBPyConnection, relation: str) -> int:
    return int(_rows(con, f"SELECT count(*) FROM {relation}")[0][0])


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[object] = ()) -> list[tuple]:
    return con.execute(sql, params).fetchall()


_LATEST_ANOMALIES = (
    "(SELECT a.*, d.source_path FROM anomalies a JOIN documents d USING (doc_id) "
    "WHERE a.doc_id IN (SELECT doc_id FROM latest_documents))"
)

_REPORTS_SQL = """
SELECT l.kind, l.code, l.fiscal_year, l.agency, l.title, l.source_path,
       (SELECT count(*) FROM anomalies a WHERE a.doc_id = l.doc_id)
FROM latest_documents l
ORDER BY l.kind, l.fiscal_year DESC NULLS LAST, l.code NULLS LAST, l.title, l.doc_id
LIMIT ?
"""

_RUNS_SQL = """
SELECT run_id, started_at, finished_at, files_seen, files_loaded, files_unchanged, files_failed
FROM ingest_runs ORDER BY started_at DESC LIMIT ?
"""

_FAILED_SQL = """
SELECT path, error FROM source_files WHERE status = 'failed' ORDER BY path LIMIT ?
"""

_ANOMALY_COUNT_SQL = """
SELECT rule, severity, sum(documents), sum(anomalies) FROM anomaly_summary
GROUP BY rule, severity
ORDER BY CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, rule
"""

_ANOMALY_SQL = f"""
SELECT source_path, rule, severity, line_no, message FROM {_LATEST_ANOMALIES}
ORDER BY CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END,
         source_path, line_no NULLS LAST, rule
LIMIT ?
"""


def _kinds(con: duckdb.DuckDBPyConnection) -> tuple[KindCount, ...]:
    rows = _rows(
        con,
        """
        SELECT d.kind, d.fiscal_year,
               count(*) FILTER (WHERE d.doc_id IN (SELECT doc_id FROM latest_documents)),
               count(*)
        FROM documents d GROUP BY d.kind, d.fiscal_year
        ORDER BY d.kind, d.fiscal_year NULLS LAST
        """,
    )
    return tuple(KindCount(*row) for row in rows)


def _kpis(con: duckdb.DuckDBPyConnection) -> tuple[tuple[Kpi, ...], int]:
    rows = _rows(
        con,
        """
        SELECT doc_id, code, name, fiscal_year, target_value, target_unit, achieved_value
        FROM kpi_results
        ORDER BY met NULLS LAST, fiscal_year DESC NULLS LAST, code NULLS LAST, name, doc_id
        LIMIT ?
        """,
        [MAX_KPIS],
    )
    quarters: dict[tuple[str, str | None], list[KpiQuarter]] = {}
    for doc_id, code, quarter, pct, score in _rows(
        con,
        "SELECT doc_id, code, quarter, result_pct, score FROM kpi_progress "
        "WHERE list_contains(?, doc_id) ORDER BY doc_id, code, quarter",
        [sorted({row[0] for row in rows})],
    ):
        quarters.setdefault((doc_id, code), []).append(KpiQuarter(quarter, pct, score))
    kpis = tuple(
        Kpi(code, name, fy, target, unit, achieved, tuple(quarters.get((doc_id, code), ())))
        for doc_id, code, name, fy, target, unit, achieved in rows
    )
    return kpis, _count(con, "kpi_results")


def _reach(con: duckdb.DuckDBPyConnection) -> tuple[tuple[Series, ...], int]:
    rows = _rows(
        con,
        """
        SELECT m.doc_id, any_value(m.code), any_value(d.title), any_value(m.fiscal_year),
               list(m.month ORDER BY m.month), list(m.v ORDER BY m.month), sum(m.v) AS total
        FROM (SELECT doc_id, code, fiscal_year, month, sum(value) AS v
              FROM monthly_reach WHERE metric IN ('reach', 'views') GROUP BY ALL) AS m
        JOIN documents AS d USING (doc_id)
        GROUP BY m.doc_id ORDER BY total DESC, m.doc_id
        LIMIT ?
        """,
        [MAX_SERIES],
    )
    series = tuple(
        Series(code, title, fy, tuple(zip(months, map(float, values), strict=True)))
        for _, code, title, fy, months, values, _ in rows
    )
    total = "(SELECT DISTINCT doc_id FROM monthly_reach WHERE metric IN ('reach', 'views'))"
    return series, _count(con, total)


def _progress(con: duckdb.DuckDBPyConnection) -> tuple[tuple[Series, ...], int]:
    rows = _rows(
        con,
        """
        SELECT doc_id, any_value(code), any_value(title), any_value(fiscal_year),
               list(report_date ORDER BY report_date), list(progress_pct ORDER BY report_date),
               list(fy_elapsed_pct ORDER BY report_date), max(report_date) AS last
        FROM project_timeline WHERE report_date IS NOT NULL
        GROUP BY doc_id ORDER BY last DESC, doc_id
        LIMIT ?
        """,
        [MAX_SERIES],
    )
    series = tuple(
        Series(
            code,
            title,
            fy,
            tuple(zip(dates, pcts, strict=True)),
            tuple(zip(dates, elapsed, strict=True)),
        )
        for _, code, title, fy, dates, pcts, elapsed, _ in rows
    )
    total = "(SELECT DISTINCT doc_id FROM project_timeline WHERE report_date IS NOT NULL)"
    return series, _count(con, total)


# ---------------------------------------------------------------- HTML


def esc(value: object) -> str:
    """Escape any value for HTML text or an attribute ('' for None)."""
    return "" if value is None else html.escape(str(value), quote=True)


def fmt_num(value: float | int | None) -> str:
    """12345.0 -> '12,345'; 84.8 -> '84.8'; None -> '–'."""
    if value is None:
        return "–"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


_CSS = """
body { font-family: FONT_STACK; margin: 24px auto; max-width: 1180px; color: #1f2933;
       line-height: 1.5; padding: 0 16px; }
h1 { font-size: 26px; margin-bottom: 0; } h2 { border-bottom: 2px solid #3e4c59;
     padding-bottom: 4px; margin-top: 36px; } h3 { font-size: 16px; margin: 18px 0 4px; }
.meta { color: #616e7c; } table { border-collapse: collapse; margin: 8px 0; width: 100%; }
th, td { border: 1px solid #cbd2d9; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f0f4f8; } td.nw { white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.grid { display: flex; flex-wrap: wrap; gap: 16px; }
.card { border: 1px solid #d9e2ec; border-radius: 6px; padding: 8px 12px; flex: 1 1 520px; }
.met { color: #127a3a; font-weight: bold; } .missed { color: #b42318; font-weight: bold; }
.sev-error { color: #b42318; } .sev-warning { color: #9a6700; } .sev-info { color: #486581; }
svg text { font-family: inherit; } .scroll { overflow-x: auto; }
.note { color: #616e7c; font-size: 14px; }
""".replace("FONT_STACK", FONT_STACK)


def render_html(data: ReportData) -> str:
    """The whole page for ``data`` (pure: same data, same text)."""
    body = "\n".join(
        [
            f"<h1>{esc(data.title)}</h1>",
            f'<p class="meta">Generated {esc(data.generated_at)}. Latest export of each '
            "report only, unless a table says otherwise.</p>",
            _overview_html(data),
            _kpi_html(data),
            _reach_html(data),
            _progress_html(data),
            _anomaly_html(data),
        ]
    )
    return (
        '<!DOCTYPE html>\n<html lang="th">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{esc(data.title)}</title>\n<style>{_CSS}</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )


def _table(
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    numeric: set[int],
    nowrap: frozenset[int] = frozenset(),
) -> str:
    """A table; ``numeric`` columns right-aligned with thousands commas, ``nowrap`` kept whole."""
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    lines = [f"<table><thead><tr>{head}</tr></thead><tbody>"]
    for row in rows:
        cells = "".join(_cell(v, i in numeric, i in nowrap) for i, v in enumerate(row))
        lines.append(f"<tr>{cells}</tr>")
    lines.append("</tbody></table>")
    return "\n".join(lines)


def _cell(value: object, numeric: bool, nowrap: bool) -> str:
    if numeric:
        return f'<td class="num">{esc(fmt_num(value))}</td>'  # type: ignore[arg-type]
    return f'<td class="nw">{esc(value)}</td>' if nowrap else f"<td>{esc(value)}</td>"


def _overview_html(data: ReportData) -> str:
    parts = ['<h2 id="overview">Overview</h2>', "<h3>Documents by kind and fiscal year</h3>"]
    rows = [(k.kind, k.fiscal_year, k.reports, k.exports) for k in data.kinds]
    parts.append(_table(["kind", "fiscal year", "reports", "exports"], rows, {2, 3}))
    parts.append(f"<h3>Reports ({data.report_total})</h3>{_shown(data.reports, data.report_total)}")
    rows = [
        (r.kind, r.code, r.fiscal_year, r.agency, r.title, Path(r.source or "").name, r.anomalies)
        for r in data.reports
    ]
    headers = ["kind", "code", "FY", "agency", "title", "file", "anomalies"]
    parts.append(_table(headers, rows, {6}, frozenset({0, 1})))
    parts.append("<h3>Last ingest runs</h3>")
    runs = [
        (
            r.run_id,
            _when(r.started_at),
            _when(r.finished_at),
            r.seen,
            r.loaded,
            r.unchanged,
            r.failed,
        )
        for r in data.runs
    ]
    headers = ["run", "started (UTC)", "finished (UTC)", "seen", "loaded", "unchanged", "failed"]
    parts.append(_table(headers, runs, {3, 4, 5, 6}, frozenset({0, 1, 2})))
    total = max(data.failed_total, len(data.failed))
    parts.append(f"<h3>Failed files ({total})</h3>")
    if data.failed:
        parts.append(_shown(data.failed, total))
        parts.append(_table(["file", "reason"], [(f.path, f.error) for f in data.failed], set()))
    else:
        parts.append('<p class="note">No file failed.</p>')
    return "\n".join(parts)


def _kpi_html(data: ReportData) -> str:
    parts = ['<h2 id="kpis">KPI results against targets</h2>', _shown(data.kpis, data.kpi_total)]
    rows = [
        (
            k.code,
            k.name,
            k.fiscal_year,
            k.target_value,
            k.achieved_value,
            k.target_unit,
            _met_text(k),
        )
        for k in data.kpis
    ]
    headers = ["code", "KPI", "FY", "target", "achieved", "unit", "status"]
    table = _table(headers, rows, {3, 4}, frozenset({0, 5, 6}))
    parts.append(
        table.replace('<td class="nw">missed</td>', '<td class="missed">missed</td>').replace(
            '<td class="nw">met</td>', '<td class="met">met</td>'
        )
    )
    # a card per KPI with quarterly results; the others are all in the table already
    cards = [_kpi_card(k) for k in data.kpis if k.quarters]
    parts.append('<div class="grid">' + "\n".join(cards) + "</div>")
    return "\n".join(parts)


def _when(moment: datetime | None) -> str | None:
    return None if moment is None else moment.strftime("%Y-%m-%d %H:%M:%S")


def _met_text(kpi: Kpi) -> str:
    if kpi.target_value is None or kpi.achieved_value is None:
        return "no result"
    return "met" if kpi.achieved_value >= kpi.target_value else "missed"


def _kpi_card(kpi: Kpi) -> str:
    label = f"{kpi.code or '(no code)'} · FY {kpi.fiscal_year or '?'}"
    bars = [("target", kpi.target_value), ("achieved", kpi.achieved_value)]
    quarter_bars = [(f"Q{q.quarter}", q.result_pct) for q in kpi.quarters]
    charts = [hbar_svg(bars, unit=kpi.target_unit or "")]
    if quarter_bars:
        charts.append(
            bar_svg(
                quarter_bars,
                target=kpi.target_value,
                height=170,
                caption="result per quarter (dashed: yearly target)",
            )
        )
    return (
        f'<div class="card"><h3>{esc(label)}</h3><div class="note">{esc(kpi.name)}</div>'
        + "".join(charts)
        + "</div>"
    )


def _reach_html(data: ReportData) -> str:
    parts = [
        '<h2 id="reach">Reach over time per project</h2>',
        _shown(data.reach, data.reach_total),
    ]
    for s in data.reach:
        bars = [(d.strftime("%Y-%m"), v) for d, v in s.points]
        total = sum(v for _, v in s.points)
        parts.append(
            f'<div class="card"><h3>{esc(s.code or "(no code)")} · FY {esc(s.fiscal_year)}'
            f" · total {esc(fmt_num(total))}</h3>"
            f'<div class="note">{esc(s.title)}</div>'
            + bar_svg(bars, caption="reach + views per month (people)", width=1080)
            + '<div class="scroll">'
            + _table(
                ["month", *(b for b, _ in bars)],
                [["reach + views", *(v for _, v in bars)]],
                set(range(1, len(bars) + 1)),
            )
            + "</div></div>"
        )
    return "\n".join(parts)


def _progress_html(data: ReportData) -> str:
    parts = ['<h2 id="progress">Progress curves</h2>', _shown(data.progress, data.progress_total)]
    cards = [
        f'<div class="card"><h3>{esc(s.code or "(no code)")} · FY {esc(s.fiscal_year)}</h3>'
        f'<div class="note">{esc(s.title)}</div>'
        + line_svg(
            s.points,
            s.reference,
            caption="progress % by report date (dashed: share of fiscal year elapsed)",
        )
        + "</div>"
        for s in data.progress
    ]
    parts.append('<div class="grid">' + "\n".join(cards) + "</div>")
    return "\n".join(parts)


def _anomaly_html(data: ReportData) -> str:
    parts = ['<h2 id="anomalies">Anomalies</h2>', "<h3>By rule</h3>"]
    counts = [(a.rule, a.severity, a.documents, a.anomalies) for a in data.anomaly_counts]
    parts.append(_table(["rule", "severity", "documents", "anomalies"], counts, {2, 3}))
    parts.append(f"<h3>Details</h3>{_shown(data.anomalies, data.anomaly_total)}")
    rows = [
        (Path(a.source or "").name, a.rule, a.severity, a.line_no, a.message)
        for a in data.anomalies
    ]
    headers = ["file", "rule", "severity", "line", "message"]
    table = _table(headers, rows, set(), frozenset({0, 1, 2}))
    for sev in ("error", "warning", "info"):
        table = table.replace(f'<td class="nw">{sev}</td>', f'<td class="sev-{sev}">{sev}</td>')
    parts.append(table)
    return "\n".join(parts)


def _shown(items: Sequence[object], total: int) -> str:
    if total == 0:
        return '<p class="note">Nothing in the warehouse yet.</p>'
    if len(items) < total:
        return f'<p class="note">Showing {len(items)} of {total}.</p>'
    return ""


# ---------------------------------------------------------------- SVG charts


def _nice_max(value: float) -> float:
    """A round axis top at or above ``value`` (1, 2, 2.5, 5 × 10^n)."""
    if value <= 0:
        return 1.0
    step = 10 ** len(str(int(value))) / 10
    for factor in (1, 2, 2.5, 5, 10):
        if step * factor >= value:
            return step * factor
    return step * 10


def bar_svg(
    bars: Sequence[tuple[str, float | None]],
    *,
    target: float | None = None,
    width: int = 520,
    height: int = 220,
    caption: str = "",
) -> str:
    """Vertical bars with value labels and an optional dashed target line."""
    left, top, bottom = 64, 16, 36
    plot_w, plot_h = width - left - 12, height - top - bottom
    top_value = _nice_max(max([v or 0 for _, v in bars] + [target or 0]))
    slot = plot_w / max(len(bars), 1)
    parts = _axis(left, top, plot_w, plot_h, top_value)
    for i, (label, value) in enumerate(bars):
        x = left + i * slot + slot * 0.15
        h = plot_h * (value or 0) / top_value
        parts.append(
            f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{slot * 0.7:.1f}" '
            f'height="{h:.1f}" fill="#2f80ed"><title>{esc(label)}: {esc(fmt_num(value))}'
            "</title></rect>"
            f'<text x="{x + slot * 0.35:.1f}" y="{top + plot_h - h - 3:.1f}" font-size="11" '
            f'text-anchor="middle">{esc(fmt_num(value))}</text>'
            f'<text x="{x + slot * 0.35:.1f}" y="{top + plot_h + 16:.1f}" font-size="11" '
            f'text-anchor="middle">{esc(label)}</text>'
        )
    if target is not None:
        y = top + plot_h - plot_h * target / top_value
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" '
            'stroke="#b42318" stroke-width="2" stroke-dasharray="6 4"/>'
        )
    return _svg(width, height, parts, caption)


def hbar_svg(bars: Sequence[tuple[str, float | None]], *, unit: str = "", width: int = 520) -> str:
    """Horizontal bars (target against achieved) on one shared scale."""
    row, left = 26, 80
    height = row * len(bars) + 8
    top_value = _nice_max(max([v or 0 for _, v in bars]))
    colors = {"target": "#9aa5b1", "achieved": "#127a3a"}
    parts = []
    for i, (label, value) in enumerate(bars):
        w = (width - left - 110) * (value or 0) / top_value
        y = 4 + i * row
        parts.append(
            f'<text x="{left - 6}" y="{y + 15}" font-size="12" text-anchor="end">{esc(label)}'
            f'</text><rect x="{left}" y="{y}" width="{w:.1f}" height="{row - 8}" '
            f'fill="{colors.get(label, "#2f80ed")}"/>'
            f'<text x="{left + w + 6:.1f}" y="{y + 15}" font-size="12">'
            f"{esc(fmt_num(value))} {esc(unit)}</text>"
        )
    return _svg(width, height, parts, "")


def line_svg(
    points: Sequence[tuple[date, float | None]],
    reference: Sequence[tuple[date, float | None]] = (),
    *,
    width: int = 520,
    height: int = 230,
    caption: str = "",
) -> str:
    """A 0-100 % line over dates, with an optional dashed reference line."""
    left, top, bottom = 48, 14, 40
    plot_w, plot_h = width - left - 16, height - top - bottom
    dates = [d for d, _ in points] + [d for d, _ in reference]
    if not dates:
        return _svg(width, height, [], caption)
    first, last = min(dates), max(dates)
    span = max((last - first).days, 1)

    def xy(d: date, v: float) -> str:
        x = left + plot_w * (d - first).days / span
        return f"{x:.1f},{top + plot_h - plot_h * min(max(v, 0), 100) / 100:.1f}"

    parts = _axis(left, top, plot_w, plot_h, 100.0)
    ref = " ".join(xy(d, v) for d, v in reference if v is not None)
    if ref:
        parts.append(
            f'<polyline points="{ref}" fill="none" stroke="#9aa5b1" '
            'stroke-width="2" stroke-dasharray="6 4"/>'
        )
    line = [(d, v) for d, v in points if v is not None]
    parts.append(
        f'<polyline points="{" ".join(xy(d, v) for d, v in line)}" fill="none" '
        'stroke="#2f80ed" stroke-width="2.5"/>'
    )
    for d, v in line:
        cx, cy = xy(d, v).split(",")
        parts.append(
            f'<circle cx="{cx}" cy="{cy}" r="3.5" fill="#2f80ed"><title>'
            f"{esc(d.isoformat())}: {esc(fmt_num(v))}%</title></circle>"
        )
    for d, anchor in ((first, "start"), (last, "end")):
        x = xy(d, 0).split(",")[0]
        parts.append(
            f'<text x="{x}" y="{top + plot_h + 16}" font-size="11" '
            f'text-anchor="{anchor}">{esc(d.isoformat())}</text>'
        )
    return _svg(width, height, parts, caption)


def _axis(left: int, top: int, plot_w: float, plot_h: float, top_value: float) -> list[str]:
    parts = []
    for i in range(5):
        value = top_value * i / 4
        y = top + plot_h - plot_h * i / 4
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w:.1f}" y2="{y:.1f}" '
            'stroke="#e4e7eb"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end">'
            f"{esc(fmt_num(value))}</text>"
        )
    return parts


def _svg(width: int, height: int, parts: Sequence[str], caption: str) -> str:
    label = f'<div class="note">{esc(caption)}</div>' if caption else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img">' + "".join(parts) + "</svg>" + label
    )
