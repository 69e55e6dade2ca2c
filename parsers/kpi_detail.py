"""Parser for the `kpi_detail` report kind: the KPI detail page (รายละเอียดตัวชี้วัด).

The page, top to bottom: the page title, "title : code", the indicator header (target,
result, type, result level), the สยป. assessment line, the quarterly table (one cell per
line), "รายงานผลฯ ไตรมาสที่ N" reports with dated entries ("28/02/2566 : …", several to a
line), "** สรุปผลการดำเนินงาน **", definition, calculation method, data sources, strategy
path, supporting projects and the city database section.

Captures are often cut (about 2 KB) or headless (title, code and quarter headings missing):
what is there is parsed, what is missing becomes an anomaly.

Records: ``indicators`` (one row, the page's KPI), ``quarterly_results``, ``assessments``,
``report_entries`` (quarter = the heading the entry is filed under, else the fiscal quarter of
its date), ``reach_metrics`` (see :func:`parsers.blocks.extract_reach`), ``strategy_links``.

Attribute keys:

- ``definition``, ``calculation_method``, ``data_sources``, ``summary``,
  ``supporting_projects``, ``city_database``: the text of those sections;
- ``strategy_note``: a strategy line that is no path ("ภารกิจงานประจำของหน่วยงาน");
- ``satisfaction_pct``: a satisfaction percentage written in a report ("ร้อยละ 84.80
  มีความพึงพอใจ" -> '84.80'), on the line where it is written;
- ``achieved_unit``: the result's unit when it differs from the target's;
- ``quarterly_result_unit``: the unit of the quarterly table's result column ('ร้อยละ').

Anomaly rules: ``missing_header`` (warning), ``truncated_document`` (warning),
``quarters_inferred`` (info: quarter headings missing, quarters taken from line order or
dates), ``fiscal_year_inferred`` (info: no dated entry, the year comes from dates written
in the reports), ``invalid_date`` (warning), ``entry_outside_fiscal_year`` (warning),
``entry_outside_quarter`` (info: a dated entry filed under another quarter), and those of
``extract_reach`` (``declared_count_mismatch``, ``unit_typo``, ``misspelled_label``,
``value_out_of_range``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate

from normalize import (
    find_dates,
    find_periods,
    fiscal_quarter,
    fiscal_year,
    month_year_mentions,
    to_arabic_digits,
)
from parsers import blocks
from parsers.accumulator import Accumulator
from parsers.blocks import Line, Section
from parsers.model import (
    Assessment,
    Document,
    Indicator,
    Kind,
    QuarterlyResult,
    ReportEntry,
)

KIND: Kind = "kpi_detail"

# -------------------------------------------------------------------------- parsing

HEADINGS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "report",
        re.compile(r"รายงานผล(?:ฯ|การดำเนินงาน)?[ ]?ไตรมาส(?:ที่)?[ ]?(?P<q>[1-4๑-๔])[ ]?:?$"),
    ),
    ("table", re.compile(r"ผลงานเทียบกับเป้าหมายรายไตรมาส")),
    ("summary", re.compile(r"\**[ ]?สรุปผลการดำเนินงาน[ ]?\**$")),
    ("definition", re.compile(r"นิยาม")),
    ("calculation_method", re.compile(r"วิธีการ?คำนวณ")),
    ("data_sources", re.compile(r"วิธีการ(?:การ)?เก็บข้อมูล|แหล่งข้อมูล")),
    ("strategy", re.compile(r"สนับสนุนยุทธศาสตร์")),
    ("supporting_projects", re.compile(r"โครงการ/กิจกรรมที่สนับสนุนตัวชี้วัด")),
    ("city_database", re.compile(r"ฐานข้อมูลประกอบตัวชี้วัด")),
)
_TEXT_SECTIONS = ("summary", "definition", "calculation_method", "data_sources")
_FINAL_SECTIONS = ("supporting_projects", "city_database")
_PAGE_TITLE = "รายละเอียดตัวชี้วัด"
_PRINT_LINK = re.compile(r"รายละเอียดตัวชี้วัดฯ|พิมพ์ข้อมูล")


def parse(text: str, source: str) -> Document:
    """Parse a KPI detail page (already repaired) into a Document."""
    lines = blocks.numbered_lines(text)
    sections = blocks.split_sections(lines, HEADINGS)
    acc = Accumulator()
    pre = sections[0].lines
    title_code = _title_code(pre)
    header = blocks.parse_indicator_header(pre)
    assessments = [a for ln in pre if (a := blocks.parse_assessment(ln))]
    code = title_code[1] if title_code else None
    table = _table(sections, pre)
    _reports(sections, pre, header, assessments, acc)
    _other_sections(sections, acc)
    _header_anomalies(lines, title_code, header, acc)
    _truncation(sections, lines, acc)
    fy = _fiscal_year(pre, acc)
    _entry_checks(fy, acc)
    quarterly = _quarterly(table, code, acc)
    indicators = _indicator(title_code, header, acc)
    return Document(
        kind=KIND,
        source=source,
        code=code,
        title=title_code[0] if title_code else None,
        fiscal_year=fy,
        indicators=indicators,
        quarterly_results=quarterly,
        report_entries=tuple(acc.entries),
        reach_metrics=tuple(acc.reach),
        strategy_links=tuple(acc.strategy),
        assessments=tuple(assessments),
        attributes=tuple(acc.attributes),
        anomalies=tuple(acc.anomalies),
    )


def _title_code(pre: Sequence[Line]) -> tuple[str, str, int] | None:
    for i, ln in enumerate(pre):
        if blocks.bare(ln.text).startswith(("ค่าเป้าหมาย", "ผลงานที่ทำได้", "ประเภทตัวชี้วัด")):
            return None  # the title comes before the header block
        found = blocks.parse_title_code(ln)
        if found:
            return blocks.wrapped_title(pre, i, found[0]), found[1], ln.no
    return None


def _indicator(
    title_code: tuple[str, str, int] | None, header: blocks.IndicatorHeader | None, acc: Accumulator
) -> tuple[Indicator, ...]:
    if title_code is None and header is None:
        return ()
    h = header or blocks.IndicatorHeader()
    if h.achieved_unit and h.achieved_unit != h.target_unit:
        acc.attr("achieved_unit", h.achieved_unit, h.line_no)
    return (
        Indicator(
            code=title_code[1] if title_code else None,
            name=title_code[0] if title_code else None,
            indicator_type=h.indicator_type,
            result_level=h.result_level,  # type: ignore[arg-type]
            target_value=h.target_value,
            target_unit=h.target_unit,
            achieved_value=h.achieved_value,
            line_no=title_code[2] if title_code else h.line_no,
        ),
    )


def _table(sections: Sequence[Section], pre: Sequence[Line]) -> blocks.QuarterTable | None:
    for sec in sections:
        if sec.key == "table":
            return blocks.find_quarter_table(sec.lines)
    return blocks.find_quarter_table(pre)


def _quarterly(
    table: blocks.QuarterTable | None, code: str | None, acc: Accumulator
) -> tuple[QuarterlyResult, ...]:
    if table is None:
        return ()
    acc.attr("quarterly_result_unit", table.unit, table.line_no)
    return tuple(
        QuarterlyResult(code, r.quarter, r.result, r.score, r.eval_1, r.eval_2, line_no=r.line_no)
        for r in table.rows
    )


# ------------------------------------------------------------------------- reports


def _reports(
    sections: Sequence[Section],
    pre: Sequence[Line],
    header: blocks.IndicatorHeader | None,
    assessments: Sequence[Assessment],
    acc: Accumulator,
) -> None:
    # lines between the header and the table are a headless capture's reports only where
    # the page has no report headings: on a scan they are junk and damaged labels
    headed = any(sec.key == "report" and sec.match is not None for sec in sections)
    loose = [] if headed else _loose_lines(pre, header, assessments)
    if loose:
        _headless_reports(loose, acc)
    for sec in sections:
        if sec.key == "report" and sec.match is not None:
            quarter = int(to_arabic_digits(sec.match["q"]))
            _add_report(sec.lines, quarter, acc)


def _loose_lines(
    pre: Sequence[Line], header: blocks.IndicatorHeader | None, assessments: Sequence[Assessment]
) -> list[Line]:
    """Report lines of a headless capture: text after the header block and assessment."""
    marks = [a.line_no or 0 for a in assessments]
    if header and header.last_line_no:
        marks.append(header.last_line_no)
    if not marks:
        return []
    after = max(marks)
    return [
        ln
        for ln in pre
        if ln.no > after and ln.text and not blocks.is_noise(ln.text)
        and not _PRINT_LINK.search(ln.text)
    ]  # fmt: skip


def _headless_reports(loose: Sequence[Line], acc: Accumulator) -> None:
    """One line per quarter, in order, when the headings are lost; dates check the order."""
    parts = [(ln, blocks.split_dated(ln.text)) for ln in loose]
    positional = len(loose) <= 4 and all(
        p.report_date is None or fiscal_quarter(p.report_date) == k
        for k, (_, ps) in enumerate(parts, 1)
        for p in ps
    )
    how = "line order (one report per quarter)" if positional else "the dates of the entries"
    acc.anomaly("quarters_inferred", loose[0].no, count=len(loose), how=how)
    for k, (ln, ps) in enumerate(parts, 1):
        for part in ps:
            _add_part(part, [ln.no], k if positional else None, acc)


def _add_report(lines: Sequence[Line], quarter: int | None, acc: Accumulator) -> None:
    """A quarter's report: its lines read as one text (a wrapped line continues its entry),
    split at each dated entry."""
    kept = [ln for ln in lines if ln.text]
    if not kept:
        return
    text = "\n".join(ln.text for ln in kept)
    starts = list(accumulate((len(ln.text) + 1 for ln in kept[:-1]), initial=0))
    for part in blocks.split_dated(text):
        first = bisect_right(starts, part.text_offset) - 1
        _add_part(part, blocks.LinesFrom(kept, max(first, 0)), quarter, acc)


def _add_part(
    part: blocks.DatedPart, line_nos: Sequence[int], quarter: int | None, acc: Accumulator
) -> None:
    line_no = line_nos[0]
    if part.date_text and part.report_date is None:
        acc.anomaly("invalid_date", line_no, "page", raw=part.date_text)
    if not part.text and part.date_text is None:
        return
    q = quarter
    if q is None and part.report_date is not None:
        q = fiscal_quarter(part.report_date)
    entry_no = len(acc.entries) + 1
    acc.entries.append(ReportEntry(entry_no, q, part.report_date, None, part.text, line_no))
    rows, anomalies = blocks.extract_reach(
        part.text,
        entry_no=entry_no,
        report_date=part.report_date,
        line_no=line_no,
        line_nos=line_nos,
    )
    acc.reach += rows
    acc.anomalies += anomalies
    for value, offset in blocks.find_satisfaction(part.text):
        acc.attr(
            "satisfaction_pct",
            value,
            line_nos[min(part.text.count("\n", 0, offset), len(line_nos) - 1)],
        )


# -------------------------------------------------------------------- other parts


def _other_sections(sections: Sequence[Section], acc: Accumulator) -> None:
    for sec in sections:
        if sec.key in (*_TEXT_SECTIONS, "supporting_projects", "city_database"):
            value, line_no = blocks.join_text(sec.lines)
            acc.attr(sec.key, value, line_no)
        elif sec.key == "strategy":
            _strategy(sec.lines, acc)


def _strategy(lines: Sequence[Line], acc: Accumulator) -> None:
    links, notes = blocks.parse_strategy_section(lines)
    acc.strategy += links
    acc.attributes += notes


def _header_anomalies(
    lines: Sequence[Line],
    title_code: tuple[str, str, int] | None,
    header: blocks.IndicatorHeader | None,
    acc: Accumulator,
) -> None:
    missing = []
    if not any(ln.text == _PAGE_TITLE for ln in lines[:10]):
        missing.append("the page title (รายละเอียดตัวชี้วัด)")
    if title_code is None:
        missing.append("the indicator name and code")
    if header is None:
        missing.append("the target and result lines")
    if missing:
        first = next((ln for ln in lines if ln.text), None)
        start = f"it starts with {first.text[:40]!r}" if first else "it is empty"
        acc.anomaly(
            "missing_header", first.no if first else None, missing=", ".join(missing), start=start
        )


def _truncation(sections: Sequence[Section], lines: Sequence[Line], acc: Accumulator) -> None:
    if any(sec.key in _FINAL_SECTIONS for sec in sections):
        return
    last = next((ln for ln in reversed(lines) if ln.text), None)
    where = sections[-1].key.replace("_", " ")
    tail = f" ends with {last.text[-30:]!r}" if last else " is empty"
    acc.anomaly("truncated_document", last.no if last else None, "kpi_page", where=where, tail=tail)


def _explicit_fiscal_year(text: str) -> int | None:
    """The fiscal year a "ปีงบประมาณ (พ.ศ.) 2567" in ``text`` names: alone, first of a range,
    or in a wider period ("ไตรมาสที่ 2 ปีงบประมาณ 2567")."""
    if "ปีงบประมาณ" not in text:  # most lines: skip the period search
        return None
    for p in find_periods(text):
        if "ปีงบประมาณ" in p.raw:
            return fiscal_year(p.start)
    return None


def _fiscal_year(pre: Sequence[Line], acc: Accumulator) -> int | None:
    for ln in pre:
        fy = _explicit_fiscal_year(ln.text)
        if fy is not None:
            return fy
    dated = [fiscal_year(e.report_date) for e in acc.entries if e.report_date]
    if dated:
        return blocks.most_common_fiscal_year(dated)
    years: list[int] = []
    for e in acc.entries:
        years += [fiscal_year(d) for d in find_dates(e.body)]
        years += [month_fy(month, year_be) for month, year_be, _, _ in month_year_mentions(e.body)]
    fy = blocks.most_common_fiscal_year(years)
    if fy is not None:
        first = acc.entries[0].line_no if acc.entries else None
        acc.anomaly("fiscal_year_inferred", first, "kpi_page", fy=fy)
    return fy


def _entry_checks(fy: int | None, acc: Accumulator) -> None:
    for e in acc.entries:
        if e.report_date is None:
            continue
        quarter, year = fiscal_quarter(e.report_date), fiscal_year(e.report_date)
        if fy is not None and year != fy:
            acc.anomaly(
                "entry_outside_fiscal_year", e.line_no, "page", when=e.report_date.isoformat(),
                year=year, fy=fy,
            )  # fmt: skip
        elif e.quarter is not None and quarter != e.quarter:
            acc.anomaly(
                "entry_outside_quarter", e.line_no, "page", when=e.report_date.isoformat(),
                actual=quarter, quarter=e.quarter,
            )  # fmt: skip


def month_fy(month: int, year_be: int) -> int:
    """Fiscal year of a month of a Buddhist-era year (October starts the next one)."""
    return year_be + (1 if month >= 10 else 0)
