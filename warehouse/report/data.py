"""What the report shows, read from the warehouse (read-only queries only).

``collect(con, where)`` returns a ``ReportData``; ``where`` (a ``ReportFilter``) narrows
every section to the latest exports of one fiscal year, agency and/or kind.  The page
shows the first rows of each long table; ``full_tables`` returns every row of them for the
CSV files written beside the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import duckdb

MAX_KPIS = 500  # rows of a table on the page; every row is in the CSV beside it
MAX_SERIES = 12  # charts per section
MAX_ANOMALIES = 300
MAX_REPORTS = 200
MAX_RUNS = 5


@dataclass(frozen=True)
class ReportFilter:
    fiscal_year: int | None = None
    agency: str | None = None  # a part of the agency's name
    kind: str | None = None

    def sql(self) -> str:
        """The doc_ids in scope: a subquery of ``latest_documents`` (values quoted here)."""
        conds = ["TRUE"]
        if self.fiscal_year is not None:
            conds.append(f"fiscal_year = {int(self.fiscal_year)}")
        if self.agency:
            conds.append(f"agency ILIKE {_quote('%' + self.agency + '%')}")
        if self.kind:
            conds.append(f"kind = {_quote(self.kind)}")
        return f"(SELECT doc_id FROM latest_documents WHERE {' AND '.join(conds)})"

    def label(self) -> str:
        parts = [f"fiscal year {self.fiscal_year}"] if self.fiscal_year else []
        parts += [f"agency contains “{self.agency}”"] if self.agency else []
        parts += [f"kind {self.kind}"] if self.kind else []
        return ", ".join(parts)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


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
    agency: str | None = None
    source: str | None = None
    line_no: int | None = None


@dataclass(frozen=True)
class KpiSummary:
    """KPIs met, missed and without a result, for one agency and fiscal year."""

    agency: str | None
    fiscal_year: int | None
    met: int
    missed: int
    no_result: int


@dataclass(frozen=True)
class Series:
    """One project's points over time: (date, value), oldest first; value None = no data."""

    code: str | None
    title: str | None
    fiscal_year: int | None
    points: tuple[tuple[date, float | None], ...]
    reference: tuple[tuple[date, float | None], ...] = ()  # the fiscal-year-elapsed line


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
    scope: str = ""  # the filter, in words ('' = everything)
    kinds: tuple[KindCount, ...] = ()
    reports: tuple[ReportRow, ...] = ()
    report_total: int = 0
    runs: tuple[RunRow, ...] = ()
    failed: tuple[FailedFile, ...] = ()
    failed_total: int = 0
    kpi_summary: tuple[KpiSummary, ...] = ()
    kpis: tuple[Kpi, ...] = ()
    kpi_total: int = 0
    reach: tuple[Series, ...] = ()
    reach_total: int = 0
    progress: tuple[Series, ...] = ()
    progress_total: int = 0
    anomaly_counts: tuple[AnomalyCount, ...] = ()
    anomalies: tuple[AnomalyRow, ...] = ()
    anomaly_total: int = 0
    csv_files: tuple[tuple[str, str], ...] = ()  # (table, file name beside the page)


def collect(
    con: duckdb.DuckDBPyConnection,
    *,
    title: str = "rayngan report",
    where: ReportFilter | None = None,
) -> ReportData:
    """Everything the page shows, read from the warehouse (read-only queries only)."""
    scope = (where or ReportFilter()).sql()
    kpis, kpi_total = _kpis(con, scope)
    reach, reach_total = _reach(con, scope)
    progress, progress_total = _progress(con, scope)
    return ReportData(
        title=title,
        generated_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        scope=(where or ReportFilter()).label(),
        kinds=tuple(KindCount(*r) for r in _rows(con, _KINDS_SQL.format(scope=scope))),
        reports=tuple(ReportRow(*r) for r in _rows(con, reports_sql(scope), [MAX_REPORTS])),
        report_total=_count(con, scope),
        runs=tuple(RunRow(*row) for row in _rows(con, _RUNS_SQL, [MAX_RUNS])),
        failed=tuple(FailedFile(*row) for row in _rows(con, failed_sql(), [MAX_REPORTS])),
        failed_total=_count(con, "(SELECT 1 FROM source_files WHERE status = 'failed')"),
        kpi_summary=tuple(KpiSummary(*r) for r in _rows(con, _SUMMARY_SQL.format(scope=scope))),
        kpis=kpis,
        kpi_total=kpi_total,
        reach=reach,
        reach_total=reach_total,
        progress=progress,
        progress_total=progress_total,
        anomaly_counts=tuple(
            AnomalyCount(*row) for row in _rows(con, _ANOMALY_COUNT_SQL.format(scope=scope))
        ),
        anomalies=tuple(AnomalyRow(*r) for r in _rows(con, anomaly_sql(scope), [MAX_ANOMALIES])),
        anomaly_total=_count(con, f"(SELECT 1 FROM anomalies WHERE doc_id IN {scope})"),
    )


def full_tables(con: duckdb.DuckDBPyConnection, where: ReportFilter | None = None) -> dict:
    """Every row of the report's long tables: name -> (columns, rows), for the CSV files."""
    scope = (where or ReportFilter()).sql()
    big = [1 << 62]
    queries = {
        "reports": (reports_sql(scope), big),
        "kpis": (kpi_sql(scope), big),
        "kpi_summary": (_SUMMARY_SQL.format(scope=scope), []),
        "monthly_reach": (
            f"SELECT * FROM monthly_reach WHERE doc_id IN {scope} ORDER BY code, month, metric",
            [],
        ),
        "anomalies": (anomaly_sql(scope), big),
        "failed_files": (failed_sql(), big),
    }
    tables = {}
    for name, (sql, params) in queries.items():
        cursor = con.execute(sql, params)
        tables[name] = ([d[0] for d in cursor.description or []], cursor.fetchall())
    return tables


def _count(con: duckdb.DuckDBPyConnection, relation: str) -> int:
    return int(_rows(con, f"SELECT count(*) FROM {relation}")[0][0])


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[object] = ()) -> list[tuple]:
    return con.execute(sql, params).fetchall()


def reports_sql(scope: str) -> str:
    return f"""
SELECT l.kind, l.code, l.fiscal_year, l.agency, l.title, l.source_path,
       (SELECT count(*) FROM anomalies a WHERE a.doc_id = l.doc_id) AS anomalies
FROM latest_documents l WHERE l.doc_id IN {scope}
ORDER BY l.kind, l.fiscal_year DESC NULLS LAST, l.code NULLS LAST, l.title, l.doc_id
LIMIT ?
"""


def failed_sql() -> str:
    return "SELECT path, error FROM source_files WHERE status = 'failed' ORDER BY path LIMIT ?"


def kpi_sql(scope: str) -> str:
    return f"""
SELECT k.doc_id, k.code, k.name, k.fiscal_year, k.target_value, k.target_unit,
       k.achieved_value, k.agency, d.source_path, k.line_no,
       CASE WHEN k.met IS NULL THEN 'no result' WHEN k.met THEN 'met' ELSE 'missed' END
           AS status
FROM kpi_results k JOIN documents d USING (doc_id)
WHERE k.doc_id IN {scope}
ORDER BY k.met NULLS LAST, k.fiscal_year DESC NULLS LAST, k.agency NULLS LAST,
         k.code NULLS LAST, k.name, k.doc_id
LIMIT ?
"""


def anomaly_sql(scope: str) -> str:
    return f"""
SELECT d.source_path, a.rule, a.severity, a.line_no, a.message
FROM anomalies a JOIN documents d USING (doc_id)
WHERE a.doc_id IN {scope}
ORDER BY CASE a.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END,
         d.source_path, a.line_no NULLS LAST, a.rule
LIMIT ?
"""


_KINDS_SQL = """
SELECT d.kind, d.fiscal_year, count(*) FILTER (WHERE d.doc_id IN {scope}), count(*)
FROM documents d
GROUP BY d.kind, d.fiscal_year HAVING count(*) FILTER (WHERE d.doc_id IN {scope}) > 0
ORDER BY d.kind, d.fiscal_year NULLS LAST
"""

_SUMMARY_SQL = """
SELECT agency, fiscal_year,
       CAST(count(*) FILTER (WHERE met) AS INTEGER) AS met,
       CAST(count(*) FILTER (WHERE NOT met) AS INTEGER) AS missed,
       CAST(count(*) FILTER (WHERE met IS NULL) AS INTEGER) AS no_result
FROM kpi_results WHERE doc_id IN {scope}
GROUP BY agency, fiscal_year ORDER BY agency NULLS LAST, fiscal_year NULLS LAST
"""

_RUNS_SQL = """
SELECT run_id, started_at, finished_at, files_seen, files_loaded, files_unchanged, files_failed
FROM ingest_runs ORDER BY started_at DESC LIMIT ?
"""

_ANOMALY_COUNT_SQL = """
SELECT a.rule, a.severity, count(DISTINCT a.doc_id), count(*) FROM anomalies a
WHERE a.doc_id IN {scope}
GROUP BY a.rule, a.severity
ORDER BY CASE a.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, a.rule
"""


def _kpis(con: duckdb.DuckDBPyConnection, scope: str) -> tuple[tuple[Kpi, ...], int]:
    rows = _rows(con, kpi_sql(scope), [MAX_KPIS])
    quarters: dict[tuple[str, str | None], list[KpiQuarter]] = {}
    for doc_id, code, quarter, pct, score in _rows(
        con,
        "SELECT doc_id, code, quarter, result_pct, score FROM kpi_progress "
        "WHERE list_contains(?, doc_id) ORDER BY doc_id, code, quarter",
        [sorted({row[0] for row in rows})],
    ):
        quarters.setdefault((doc_id, code), []).append(KpiQuarter(quarter, pct, score))
    kpis = tuple(
        Kpi(
            code,
            name,
            fy,
            target,
            unit,
            achieved,
            tuple(quarters.get((doc_id, code), ())),
            agency,
            source,
            line_no,
        )
        for doc_id, code, name, fy, target, unit, achieved, agency, source, line_no, _ in rows
    )
    return kpis, _count(con, f"(SELECT 1 FROM kpi_results WHERE doc_id IN {scope})")


def month_range(first: date, last: date) -> list[date]:
    """Every month start from ``first``'s month to ``last``'s.

    >>> [d.isoformat() for d in month_range(date(2020, 11, 1), date(2021, 2, 1))]
    ['2020-11-01', '2020-12-01', '2021-01-01', '2021-02-01']
    """
    months, day = [], first.replace(day=1)
    while day <= last:
        months.append(day)
        day = (day + timedelta(days=32)).replace(day=1)
    return months


def with_gaps(points: Sequence[tuple[date, float]]) -> tuple[tuple[date, float | None], ...]:
    """Monthly points with the months that have no data between them as None."""
    if not points:
        return ()
    known = dict(points)
    return tuple((m, known.get(m)) for m in month_range(points[0][0], points[-1][0]))


def _reach(con: duckdb.DuckDBPyConnection, scope: str) -> tuple[tuple[Series, ...], int]:
    rows = _rows(
        con,
        f"""
        SELECT m.doc_id, any_value(m.code), any_value(d.title), any_value(m.fiscal_year),
               list(m.month ORDER BY m.month), list(m.v ORDER BY m.month), sum(m.v) AS total
        FROM (SELECT doc_id, code, fiscal_year, month, sum(value) AS v
              FROM monthly_reach WHERE metric IN ('reach', 'views') AND doc_id IN {scope}
              GROUP BY ALL) AS m
        JOIN documents AS d USING (doc_id)
        GROUP BY m.doc_id ORDER BY total DESC, m.doc_id
        LIMIT ?
        """,
        [MAX_SERIES],
    )
    series = tuple(
        Series(code, title, fy, with_gaps(list(zip(months, map(float, values), strict=True))))
        for _, code, title, fy, months, values, _ in rows
    )
    total = (
        "(SELECT DISTINCT doc_id FROM monthly_reach "
        f"WHERE metric IN ('reach', 'views') AND doc_id IN {scope})"
    )
    return series, _count(con, total)


def _progress(con: duckdb.DuckDBPyConnection, scope: str) -> tuple[tuple[Series, ...], int]:
    rows = _rows(
        con,
        f"""
        SELECT doc_id, any_value(code), any_value(title), any_value(fiscal_year),
               list(report_date ORDER BY report_date), list(progress_pct ORDER BY report_date),
               list(fy_elapsed_pct ORDER BY report_date), max(report_date) AS last
        FROM project_timeline WHERE report_date IS NOT NULL AND doc_id IN {scope}
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
    total = (
        "(SELECT DISTINCT doc_id FROM project_timeline "
        f"WHERE report_date IS NOT NULL AND doc_id IN {scope})"
    )
    return series, _count(con, total)
