"""Bulk-load benchmark (not collected by pytest): ``python tests/warehouse/bench_load.py [N]``.

Loads N synthetic documents of about 50 records each with ``load_many``, reloads them all
(the delete-then-insert path), then loads 200 one file per transaction; prints docs/s.
"""

from __future__ import annotations

import hashlib
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from parsers.model import Anomaly, Attribute, Document, QuarterlyResult, ReachMetric, ReportEntry
from warehouse.store import SourceFile, Warehouse


def synthetic(n: int) -> tuple[SourceFile, Document]:
    start = date(2023, 10, 1)
    entries = tuple(
        ReportEntry(i, i % 4 + 1, start + timedelta(days=i * 7), i * 5.0, f"รายงานครั้งที่ {i}", i)
        for i in range(1, 16)
    )
    reach = tuple(
        ReachMetric(i, start + timedelta(days=i * 7), str(i), "โพสต์", "reach", n + i, "คน", 20 + i)
        for i in range(1, 21)
    )
    doc = Document(
        kind="project_progress",
        source=f"bench/{n}.txt",
        code=f"{n % 3000:04d}",
        title=f"โครงการที่ {n}",
        fiscal_year=2567,
        report_entries=entries,
        reach_metrics=reach,
        quarterly_results=tuple(
            QuarterlyResult(str(n), q, 25.0 * q, None, line_no=50 + q) for q in range(1, 5)
        ),
        attributes=tuple(Attribute(f"k{i}", "ค่า", 60 + i) for i in range(8)),
        anomalies=(Anomaly("repaired_text", "info", "Line 3 was repaired.", 3),) * 3,
    )
    digest = hashlib.sha256(f"doc {n}".encode()).hexdigest()
    return SourceFile(f"bench/{n}.txt", digest, 5000, n, "utf-8", "text"), doc


def main(count: int) -> None:
    items = [synthetic(n) for n in range(count)]
    rows = sum(
        sum(
            len(getattr(d, f))
            for f in (
                "report_entries",
                "reach_metrics",
                "quarterly_results",
                "attributes",
                "anomalies",
            )
        )
        for _, d in items
    )
    with tempfile.TemporaryDirectory() as tmp, Warehouse.open(Path(tmp) / "b.duckdb") as wh:
        run = wh.start_run()
        for label, batch in (("fresh load_many", items), ("reload load_many", items)):
            began = time.perf_counter()
            assert wh.load_many(run, batch) == []
            took = time.perf_counter() - began
            print(
                f"{label}: {count} docs, {rows} fact rows in {took:.2f} s = "
                f"{count / took:,.0f} docs/s, {rows / took:,.0f} rows/s"
            )
        began = time.perf_counter()
        for source, doc in items[:200]:
            wh.load(run, source, doc)
        took = time.perf_counter() - began
        print(
            f"per-file load (table of {count} docs): 200 docs in {took:.2f} s = "
            f"{200 / took:,.0f} docs/s"
        )
        began = time.perf_counter()
        counts = wh.export_parquet(Path(tmp) / "out")
        print(
            f"export_parquet: {sum(counts.values()):,} rows in {time.perf_counter() - began:.2f} s"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
