"""The report page: a pure function from ``ReportData`` to HTML text (inline CSS and SVG, no
scripts, no network).  Every value goes through ``esc``: report text comes from archives
nobody controls.  Each fact links to its source file and line (``file:line``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from warehouse.report.data import Kpi, ReportData
from warehouse.report.svg import bar_svg, esc, fmt_num, hbar_svg, line_svg, stacked_svg

FONT_STACK = '"Laksaman", "Garuda", "Loma", "Noto Sans Thai", sans-serif'
STATUS_COLOURS = {"met": "#127a3a", "missed": "#b42318", "no result": "#9aa5b1"}

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
a.src { color: #486581; white-space: nowrap; } .legend span { margin-right: 14px; }
""".replace("FONT_STACK", FONT_STACK)


def source_link(path: str | None, line: int | None = None) -> str:
    """``name:line`` linking to the file (the zip for an archive member), or '' for none."""
    if not path:
        return ""
    file = path.split("!", 1)[0]
    target = Path(file)
    href = target.resolve().as_uri() if target.exists() else file
    anchor = f"#L{line}" if line else ""
    text = f"{Path(path.replace('!', '/')).name}:{line}" if line else Path(path).name
    return f'<a class="src" href="{esc(href + anchor)}" title="{esc(path)}">{esc(text)}</a>'


class Raw(str):
    """HTML made here (a link): put into a cell as is."""


def render_html(data: ReportData) -> str:
    """The whole page for ``data`` (pure: same data, same text)."""
    scope = f" Narrowed to {esc(data.scope)}." if data.scope else ""
    body = "\n".join(
        [
            f"<h1>{esc(data.title)}</h1>",
            f'<p class="meta">Generated {esc(data.generated_at)}. Latest export of each '
            f"report only, unless a table says otherwise.{scope}</p>",
            _csv_links(data),
            '<h2 id="overview">Overview</h2>',
            _kinds_html(data),
            _summary_html(data),
            _kpi_html(data),
            _reach_html(data),
            _progress_html(data),
            _reports_html(data),
            _runs_html(data),
            _anomaly_html(data),
        ]
    )
    return (
        '<!DOCTYPE html>\n<html lang="th">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{esc(data.title)}</title>\n<style>{_CSS}</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )


def _csv_links(data: ReportData) -> str:
    if not data.csv_files:
        return ""
    links = ", ".join(f'<a href="{esc(f)}">{esc(name)}</a>' for name, f in data.csv_files)
    return f'<p class="note">Every row of each table, as CSV (UTF-8, opens in Excel): {links}.</p>'


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
    if isinstance(value, Raw):
        return f'<td class="nw">{value}</td>'
    if numeric:
        return f'<td class="num">{esc(fmt_num(value))}</td>'  # type: ignore[arg-type]
    return f'<td class="nw">{esc(value)}</td>' if nowrap else f"<td>{esc(value)}</td>"


def _kinds_html(data: ReportData) -> str:
    """Reports per kind (rows) and fiscal year (columns); exports in brackets when more."""
    years = sorted({k.fiscal_year for k in data.kinds}, key=lambda y: (y is None, y or 0))
    cells: dict[str, dict[int | None, str]] = {}
    for k in data.kinds:
        text = f"{k.reports:,}" + (f" ({k.exports:,})" if k.exports != k.reports else "")
        cells.setdefault(k.kind, {})[k.fiscal_year] = text
    rows = [
        [
            kind,
            *(by_year.get(y, "") for y in years),
            f"{sum(c.reports for c in data.kinds if c.kind == kind):,}",
        ]
        for kind, by_year in cells.items()
    ]
    head = ["kind", *("no FY" if y is None else str(y) for y in years), "all"]
    numeric = frozenset(range(1, len(head)))
    table = _table(head, rows, set(), numeric).replace('<td class="nw">', '<td class="num">')
    return (
        "<h3>Reports by kind and fiscal year</h3>"
        '<p class="note">Reports (latest exports); in brackets every export loaded.</p>'
        f'<div class="scroll">{table}</div>'
    )


def _reports_html(data: ReportData) -> str:
    parts = [f"<h3>Reports ({data.report_total:,})</h3>"]
    parts.append(_shown(data.reports, data.report_total, data, "reports"))
    rows = [
        (r.kind, r.code, r.fiscal_year, r.agency, r.title, Raw(source_link(r.source)), r.anomalies)
        for r in data.reports
    ]
    headers = ["kind", "code", "FY", "agency", "title", "file", "anomalies"]
    parts.append(_table(headers, rows, {6}, frozenset({0, 1})))
    return "\n".join(parts)


def _runs_html(data: ReportData) -> str:
    parts = ['<h2 id="runs">Ingest runs and failed files</h2>', "<h3>Last ingest runs</h3>"]
    runs = [
        (r.run_id, _when(r.started_at), _when(r.finished_at), r.seen, r.loaded, r.unchanged,
         r.failed)
        for r in data.runs
    ]  # fmt: skip
    headers = ["run", "started (UTC)", "finished (UTC)", "seen", "loaded", "unchanged", "failed"]
    parts.append(_table(headers, runs, {3, 4, 5, 6}, frozenset({0, 1, 2})))
    total = max(data.failed_total, len(data.failed))
    parts.append(f"<h3>Failed files ({total:,})</h3>")
    if data.failed:
        parts.append(_shown(data.failed, total, data, "failed_files"))
        parts.append(_table(["file", "reason"], [(f.path, f.error) for f in data.failed], set()))
    else:
        parts.append('<p class="note">No file failed.</p>')
    return "\n".join(parts)


def _summary_html(data: ReportData) -> str:
    parts = ['<h2 id="kpi-summary">KPIs met, missed and without a result</h2>']
    if not data.kpi_summary:
        return parts[0] + '<p class="note">No KPI in scope.</p>'
    legend = "".join(
        f'<span><svg width="12" height="12"><rect width="12" height="12" fill="{c}"/></svg> '
        f"{esc(s)}</span>"
        for s, c in STATUS_COLOURS.items()
    )
    groups = [
        (
            f"{s.agency or '(no agency)'} · FY {s.fiscal_year or '?'}",
            [("met", s.met, STATUS_COLOURS["met"]), ("missed", s.missed, STATUS_COLOURS["missed"]),
             ("no result", s.no_result, STATUS_COLOURS["no result"])],
        )
        for s in data.kpi_summary[:40]
    ]  # fmt: skip
    parts.append(f'<div class="note legend">{legend}</div>' + stacked_svg(groups))
    rows = [
        (s.agency, s.fiscal_year, s.met, s.missed, s.no_result, s.met + s.missed + s.no_result)
        for s in data.kpi_summary
    ]
    headers = ["agency", "fiscal year", "met", "missed", "no result", "KPIs"]
    parts.append(_table(headers, rows, {2, 3, 4, 5}))
    return "\n".join(parts)


def _kpi_html(data: ReportData) -> str:
    parts = ['<h2 id="kpis">KPI results against targets</h2>']
    parts.append(_shown(data.kpis, data.kpi_total, data, "kpis"))
    rows = [
        (k.code, k.name, k.fiscal_year, k.agency, k.target_value, k.achieved_value,
         k.target_unit, _met_text(k), Raw(source_link(k.source, k.line_no)))
        for k in data.kpis
    ]  # fmt: skip
    headers = ["code", "KPI", "FY", "agency", "target", "achieved", "unit", "status", "source"]
    table = _table(headers, rows, {4, 5}, frozenset({0, 6, 7}))
    parts.append(
        table.replace('<td class="nw">missed</td>', '<td class="missed">missed</td>').replace(
            '<td class="nw">met</td>', '<td class="met">met</td>'
        )
    )
    # a card per KPI with quarterly results (the first few; all are in the table)
    cards = [_kpi_card(k) for k in data.kpis if k.quarters][:MAX_CARDS]
    parts.append('<div class="grid">' + "\n".join(cards) + "</div>")
    return "\n".join(parts)


MAX_CARDS = 12


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
        f'<div class="card"><h3>{esc(label)}</h3><div class="note">{esc(kpi.name)} '
        f"{source_link(kpi.source, kpi.line_no)}</div>" + "".join(charts) + "</div>"
    )


def _reach_html(data: ReportData) -> str:
    parts = ['<h2 id="reach">Reach over time per project</h2>']
    parts.append(_shown(data.reach, data.reach_total, data, "monthly_reach"))
    for s in data.reach:
        bars = [(d.strftime("%Y-%m"), v) for d, v in s.points]
        total = sum(v for _, v in s.points if v is not None)
        parts.append(
            f'<div class="card"><h3>{esc(s.code or "(no code)")} · FY {esc(s.fiscal_year)}'
            f" · total {esc(fmt_num(total))}</h3>"
            f'<div class="note">{esc(s.title)}</div>'
            + bar_svg(
                bars,
                caption="reach + views per month (people; “no data”: a month with no dated post)",
                width=1080,
                integer=True,
            )
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
    parts.append("<h3>Details</h3>")
    parts.append(_shown(data.anomalies, data.anomaly_total, data, "anomalies"))
    rows = [
        (Raw(source_link(a.source, a.line_no)), a.rule, a.severity, a.message)
        for a in data.anomalies
    ]
    table = _table(["file:line", "rule", "severity", "message"], rows, set(), frozenset({1, 2}))
    for sev in ("error", "warning", "info"):
        table = table.replace(f'<td class="nw">{sev}</td>', f'<td class="sev-{sev}">{sev}</td>')
    parts.append(table)
    return "\n".join(parts)


def _shown(
    items: Sequence[object], total: int, data: ReportData | None = None, table: str = ""
) -> str:
    if total == 0:
        return '<p class="note">Nothing in the warehouse yet.</p>'
    if len(items) < total:
        csv = dict(data.csv_files).get(table) if data else None
        rest = f' All {total:,} in <a href="{esc(csv)}">{esc(csv)}</a>.' if csv else ""
        return f'<p class="note">Showing {len(items):,} of {total:,}.{rest}</p>'
    return ""
