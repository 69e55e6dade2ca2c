"""Builders for warehouse tests: hand-made Documents and their SourceFiles."""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import date

from parsers.model import (
    AmountMention,
    Anomaly,
    Assessment,
    Attribute,
    Checkbox,
    Contact,
    DateMention,
    Document,
    Indicator,
    KeyResult,
    PlanStep,
    QuarterlyResult,
    ReachMetric,
    ReportEntry,
    StrategyLink,
    SuccessLevel,
)
from warehouse.store import SourceFile, Warehouse


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def source_for(path: str, content: str, mtime_ns: int | None = 1) -> SourceFile:
    data = content.encode("utf-8")
    return SourceFile(
        path=path,
        sha256=hashlib.sha256(data).hexdigest(),
        size_bytes=len(data),
        mtime_ns=mtime_ns,
        encoding="utf-8",
        media_type="text",
    )


def full_document(source: str = "full.txt", **changes: object) -> Document:
    """A document with one record of every kind, each on its own line."""
    doc = Document(
        kind="kpi_detail",
        source=source,
        code="0411-2029",
        title="ร้อยละของประชาชนที่ได้รับบริการ",
        fiscal_year=2567,
        agency="สำนักการแพทย์",
        progress_pct=None,
        indicators=(Indicator("0411-2029", "ร้อยละ", "ผลผลิต", "output", 80.0, "ร้อยละ", 85.5, 3),),
        quarterly_results=(QuarterlyResult("0411-2029", 1, 25.0, None, 2.0, 3.0, 4),),
        report_entries=(ReportEntry(1, 1, date(2024, 1, 15), 30.0, "ดำเนินการแล้ว", 5),),
        reach_metrics=(ReachMetric(1, date(2024, 1, 15), "2.4", "โพสต์", "reach", 1200, "คน", 6),),
        success_levels=(SuccessLevel(5, 100.0, "ระดับ 5", 7),),
        strategy_links=(StrategyLink("5.4.1", "มิติที่ 5", 8),),
        plan_steps=(PlanStep(1, "ขั้นตอน", 20.0, date(2023, 10, 1), date(2023, 12, 31), 9),),
        key_results=(KeyResult("KR1", "ผลลัพธ์", 2567, "สนป.", "ด้าน", "ประเด็น", 10.0, "ครั้ง", 10),),
        contacts=(Contact("นาย ก", "ผู้อำนวยการ", "022222222", "สำนัก", 11),),
        assessments=(Assessment(2, None, 12),),
        checkboxes=(Checkbox("ประเภท", "ผลผลิต", True, 13),),
        attributes=(Attribute("definition", "นิยาม", 14),),
        anomalies=(Anomaly("blank_score", "warning", "The score on line 4 is blank.", 4),),
        date_mentions=(DateMention("ต.ค. 66", date(2023, 10, 1), date(2023, 10, 31), "month", 15),),
        amounts=(AmountMention("1.5 ล้านบาท", 1500000.0, "บาท", 16),),
        lines=tuple(f"บรรทัด {n}" for n in range(1, 17)),
    )
    return dataclasses.replace(doc, **changes)


def progress_export(
    entries: list[tuple[date, int]], code: str = "7301", **changes: object
) -> Document:
    """A project page whose dated entries each report one reach figure."""
    return Document(
        kind="project_progress",
        source=str(changes.pop("source", "p.txt")),
        code=code,
        title="โครงการประชาสัมพันธ์",
        fiscal_year=2567,
        report_entries=tuple(
            ReportEntry(n, None, day, None, f"รายงาน {n}", 10 + n)
            for n, (day, _) in enumerate(entries, 1)
        ),
        reach_metrics=tuple(
            ReachMetric(n, day, None, None, "reach", value, "คน", 10 + n)
            for n, (day, value) in enumerate(entries, 1)
        ),
        **changes,  # type: ignore[arg-type]
    )


def count(wh: Warehouse, table: str, where: str = "true") -> int:
    return wh.query(f"SELECT count(*) FROM {table} WHERE {where}")[1][0][0]


def table_counts(wh: Warehouse) -> dict[str, int]:
    names = wh.query(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = 'main' AND table_type = 'BASE TABLE'"
    )[1]
    return {name: count(wh, name) for (name,) in names}
