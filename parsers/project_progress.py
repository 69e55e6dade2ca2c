"""Parser for the `project_progress` report kind: the project progress page.

The page, top to bottom: the page title (ความคืบหน้าโครงการ/กิจกรรม), "title : code", "agency :
(FY)", the progress "ความคืบหน้าโครงการ ร้อยละ 90", the contact line ("name โทร. 1379", read by
parsers.contact_line), the สยป. assessment, rationale, objective and target texts, the strategy
lines, the progress entries ("(n) ความคืบหน้าโครงการฯ ร้อยละ X (ISO date)", a dated body,
problems, obstacles), the plan steps, the linked KPI block(s) and the quarterly evaluation heading.

Captures are often cut (inside หลักการและเหตุผล) or headless (title, code and agency missing):
what is there is parsed, what is missing becomes an anomaly.

Records: ``contacts``, ``assessments``, ``report_entries`` (entry_no = order in the page,
quarter = fiscal quarter of the entry date, report_date = the heading's ISO date, else the
body's), ``reach_metrics`` (numbered posts, totals, engagement of each body),
``plan_steps``, ``indicators`` and ``quarterly_results`` (the linked KPI, under its own code;
the project's code is ``Document.code``), ``strategy_links``.

Attribute keys:

- ``rationale``, ``objective``, ``project_target``, ``evaluation``: section texts (a headless
  capture's text right after the assessment line is the rationale);
- ``agency_codes``: the "04110000/04110000" line under the rationale;
- ``strategy_note``: a strategy line that is no path ("ภารกิจงานประจำของหน่วยงาน");
- ``problems``, ``obstacles``: one per progress entry, as written ("ไม่มี" included), on
  the entry's own line, so ``line_no`` ties it to the entry it follows;
- ``satisfaction_pct``: a satisfaction percentage written in an entry body.

Anomaly rules: ``missing_header``, ``truncated_document``, ``body_date_mismatch`` (the body
date read in any order is not the heading date), ``month_year_mismatch`` (a "เดือน<month>
<year>" far from the entry date), ``entry_outside_fiscal_year``, ``fiscal_year_inferred``
(info: no "(FY)" written, the year of most entries is used), ``invalid_date``, and those
of ``extract_reach`` (``declared_count_mismatch``, ``unit_typo``, ``misspelled_label``,
``value_out_of_range``).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from normalize import (
    fiscal_quarter,
    fiscal_year,
    month_year_mentions,
    parse_date,
    parse_date_near,
    parse_period,
    to_arabic_digits,
)
from parsers import blocks
from parsers.accumulator import Accumulator
from parsers.blocks import Line, Section
from parsers.contact_line import parse_contact_line
from parsers.model import (
    Assessment,
    Contact,
    Document,
    Indicator,
    Kind,
    PlanStep,
    QuarterlyResult,
    ReportEntry,
)

KIND: Kind = "project_progress"

# -------------------------------------------------------------------------- parsing

HEADINGS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("rationale", re.compile(r"หลักการและเหตุผล")),
    ("objective", re.compile(r"วัตถุประสงค์ของโครงการ")),
    ("project_target", re.compile(r"เป้าหมายของโครงการ")),
    ("strategy", re.compile(r"สนับสนุนยุทธศาสตร์")),
    ("results", re.compile(r"ผลการดำเนินงาน$")),
    ("plan", re.compile(r"แผนการดำเนินงาน")),
    ("kpi", re.compile(r"สนับสนุนตัวชี้วัด")),
    ("evaluation", re.compile(r"\**[ ]?ผลการประเมินโครงการ")),
)
_TEXT_SECTIONS = ("rationale", "objective", "project_target", "evaluation")
_FINAL_SECTION = "evaluation"
_AGENCY = re.compile(
    r"\**[ ]?(?P<agency>.*?)[ ]?:[ ]?\((?:ปีงบประมาณ[ ]?)?(?:พ\.ศ\.[ ]?)?(?P<fy>\d{4})\)$"
)
_PROGRESS = re.compile(rf"ความคืบหน้าโครงการ[ ]?ร้อยละ[ ]?(?P<pct>{blocks.NUM})")
_PRINT_LINK = re.compile(r"ดูโครงการแผนปี|พิมพ์ข้อมูล")
_AGENCY_CODES = re.compile(r"\d{6,10}/\d{6,10}$")


@dataclass(frozen=True)
class _Header:
    title: str | None = None
    code: str | None = None
    title_line: int | None = None
    agency: str | None = None
    fiscal_year: int | None = None
    progress_pct: float | None = None
    contacts: tuple[Contact, ...] = ()
    assessments: tuple[Assessment, ...] = ()
    last_line_no: int = 0  # the last header line (the assessment, else the progress)


def parse(text: str, source: str) -> Document:
    """Parse a project progress page (already repaired) into a Document."""
    lines = blocks.numbered_lines(text)
    sections = blocks.split_sections(lines, HEADINGS)
    acc = Accumulator()
    head = _header(sections[0].lines)
    if head.title and head.title_line:
        index = head.title_line - sections[0].lines[0].no
        title = blocks.wrapped_title(sections[0].lines, index, head.title)
        head = dataclasses.replace(head, title=title)
    _headless_rationale(sections, head, acc)
    for sec in sections:
        _SECTION_PARSERS.get(sec.key, _text_section)(sec, head, acc)
    _header_anomalies(lines, head, acc)
    _truncation(sections, lines, acc)
    fy = head.fiscal_year or _inferred_fiscal_year(acc)
    return Document(
        kind=KIND,
        source=source,
        code=head.code,
        title=head.title,
        fiscal_year=fy,
        agency=head.agency,
        progress_pct=head.progress_pct,
        indicators=tuple(acc.indicators),
        quarterly_results=tuple(acc.quarterly),
        report_entries=tuple(acc.entries),
        reach_metrics=tuple(acc.reach),
        strategy_links=tuple(acc.strategy),
        plan_steps=tuple(acc.plan),
        contacts=head.contacts,
        assessments=head.assessments,
        attributes=tuple(acc.attributes),
        anomalies=tuple(acc.anomalies),
    )


# -------------------------------------------------------------------------- header


def _header(pre: Sequence[Line]) -> _Header:
    fields: dict[str, object] = {}
    assessments: list[Assessment] = []
    last = 0
    for ln in pre:
        if not ln.text or blocks.is_noise(ln.text):
            continue
        if _header_line(ln, fields, assessments):
            last = ln.no
        elif _contact_slot(fields, assessments) and len(ln.text) <= _CONTACT_MAX:
            fields["contacts"] = parse_contact_line(ln.text, ln.no)
            last = ln.no
    return _Header(**fields, assessments=tuple(assessments), last_line_no=last)  # type: ignore[arg-type]


_CONTACT_MAX = 100  # a longer line after the progress is text (a headless rationale)


def _contact_slot(fields: dict[str, object], assessments: list[Assessment]) -> bool:
    """The contact line sits between the progress line and the assessment."""
    return "progress_pct" in fields and "contacts" not in fields and not assessments


def _fiscal_year_line(text: str) -> int | None:
    """The fiscal year of a header line that is only "(ประจำ)ปีงบประมาณ (พ.ศ.) 2564" (some
    exports write it apart from the agency)."""
    if "ปีงบ" not in text:
        return None
    p = parse_period(text)
    if p is None or p.grain != "fiscal_year" or (p.text_start, p.text_end) != (0, len(text)):
        return None
    return fiscal_year(p.end)


def _header_line(ln: Line, fields: dict[str, object], assessments: list[Assessment]) -> bool:
    text = to_arabic_digits(blocks.bare(ln.text))
    if _PRINT_LINK.search(text) or ln.text == "ความคืบหน้าโครงการ/กิจกรรม":
        return True
    found = blocks.parse_assessment(ln)
    if found:
        assessments.append(found)
        return True
    m = _PROGRESS.match(text)
    if m and "progress_pct" not in fields:
        fields["progress_pct"] = blocks.to_float(m["pct"])
        return True
    if "title" not in fields and "progress_pct" not in fields:
        title_code = blocks.parse_title_code(ln)
        if title_code:
            fields["title"], fields["code"], fields["title_line"] = (*title_code, ln.no)
            return True
    fy = _fiscal_year_line(text)
    if fy is not None and "fiscal_year" not in fields:
        fields["fiscal_year"] = fy
        return True
    m = _AGENCY.match(text)
    if m and "agency" not in fields:
        raw = blocks.bare(ln.text)  # same length as ``text``: digits map one to one
        fields["agency"] = raw[m.start("agency") : m.end("agency")].lstrip("* ") or None
        fields.setdefault("fiscal_year", int(m["fy"]))
        return True
    return False


def _headless_rationale(sections: Sequence[Section], head: _Header, acc: Accumulator) -> None:
    """Text after the header of a capture that lost the rationale heading is the rationale."""
    if not head.last_line_no:
        return
    loose = [
        ln
        for ln in sections[0].lines
        if ln.no > head.last_line_no and ln.text and not blocks.is_noise(ln.text)
    ]
    value, line_no = blocks.join_text(loose)
    acc.attr("rationale", value, line_no)


# ------------------------------------------------------------------------ sections


def _text_section(sec: Section, head: _Header, acc: Accumulator) -> None:
    if sec.key not in _TEXT_SECTIONS:
        return
    kept = []
    for ln in sec.lines:
        if _AGENCY_CODES.match(ln.text):
            acc.attr("agency_codes", ln.text, ln.no)
        else:
            kept.append(ln)
    value, line_no = blocks.join_text(kept)
    acc.attr(sec.key, value, line_no)


def _strategy(sec: Section, head: _Header, acc: Accumulator) -> None:
    links, notes = blocks.parse_strategy_section(sec.lines)
    acc.strategy += links
    acc.attributes += notes


# ------------------------------------------------------------------ progress entries

# OCR loses the number's ")" or reads it as "]", "}" or "|" ("(2 ความคืบหน้าโครงการฯ")
_ENTRY_HEAD = re.compile(
    rf"\((?P<n>\d{{1,4}})[)\]}}|]?[ ]?ความคืบหน้าโครงการฯ?[ ]?ร้อยละ[ ]?(?P<pct>{blocks.NUM})?"
    r"[ ]?(?:\((?P<date>[^()]{0,30})\))?"
)
_BODY_DATE = re.compile(r"(?P<date>\d{1,2}/\d{1,2}/\d{2,4})[ ]?:?[ ]?")
_BODY_DATE_MAX = 16  # _BODY_DATE matches at most 13 characters
# OCR loses อุปสรรค's ุ and reads ข as ช ("** อปสรรคชองโครงการ")
_PROBLEM = re.compile(r"\**[ ]?(?P<key>ปัญหา|อุ?ปสรรค)[ ]?[ขช]องโครงการ[ ]?:?[ ]?(?P<value>.*)")
_SEPARATOR = re.compile(r"-{3,}[ ]?&+[ ]?-{3,}$")


@dataclass
class _Entry:
    head: Line | None
    heading_date: date | None = None
    pct: float | None = None
    body: list[Line] = field(default_factory=list)
    closed: bool = False  # its problems and obstacles read: the body is over


def _results(sec: Section, head: _Header, acc: Accumulator) -> None:
    current: _Entry | None = None
    for ln in sec.lines:
        text = blocks.bare(ln.text)
        # An entry heading starts with "(": skip the digit mapping and match on other lines.
        m = _ENTRY_HEAD.match(to_arabic_digits(text)) if text.startswith("(") else None
        if m:
            _finish(current, head, acc)
            current = _Entry(ln, _heading_date(m["date"], ln, acc), blocks.to_float(m["pct"]))
            continue
        if not ln.text or (ln.text.startswith("---") and _SEPARATOR.match(ln.text)):
            continue
        p = _PROBLEM.match(ln.text) if "องโครงการ" in ln.text else None
        if p:
            key = "problems" if p["key"] == "ปัญหา" else "obstacles"
            acc.attr(key, p["value"].strip() or None, ln.no)
            if current is not None:
                current.closed = True
            continue
        if current is None:
            current = _Entry(None)
        if current.closed:
            continue  # the separator before the next entry, as OCR reads it ("๕๕๕ =")
        if not current.body and blocks.is_noise(ln.text):
            continue  # the chart value repeating the heading's percentage
        current.body.append(ln)
    _finish(current, head, acc)


def _heading_date(raw: str | None, ln: Line, acc: Accumulator) -> date | None:
    if not raw:
        return None
    found = parse_date(raw)
    if found is None:
        acc.anomaly("invalid_date", ln.no, "heading", raw=raw)
    return found


def _finish(entry: _Entry | None, head: _Header, acc: Accumulator) -> None:
    if entry is None or (entry.head is None and not entry.body):
        return
    body, line_no = blocks.join_text(entry.body)
    body_date: date | None = None
    m = _BODY_DATE.match(to_arabic_digits(body[:_BODY_DATE_MAX]))  # no need to map it all
    if m:
        body_date = _body_date(m["date"], entry.heading_date, line_no, acc)
        body = body[m.end() :]
    when = entry.heading_date or body_date
    line = line_no or (entry.head.no if entry.head else None)
    entry_no = len(acc.entries) + 1
    quarter = fiscal_quarter(when) if when else None
    acc.entries.append(ReportEntry(entry_no, quarter, when, entry.pct, body, line))
    rows, anomalies = blocks.extract_reach(
        body,
        entry_no=entry_no,
        report_date=when,
        line_no=line or 0,
        line_nos=[ln.no for ln in entry.body],
    )
    acc.reach += rows
    acc.anomalies += anomalies
    for value, _ in blocks.find_satisfaction(body):
        acc.attr("satisfaction_pct", value, line)
    if when:
        _date_checks(body, when, head.fiscal_year, line, acc)


def _body_date(
    raw: str, heading: date | None, line_no: int | None, acc: Accumulator
) -> date | None:
    """The body date, read (d/m or m/d, BE or CE) as close to the heading date as it can be."""
    found = parse_date_near(raw, heading) if heading else parse_date(raw)
    if found is None:
        acc.anomaly("invalid_date", line_no, "body", raw=raw)
    elif heading and found != heading:
        acc.anomaly(
            "body_date_mismatch", line_no, raw=raw, found=found.isoformat(),
            heading=heading.isoformat(),
        )  # fmt: skip
    return found


def _plausible_month(month: int, year_be: int, when: date) -> bool:
    """A month an entry can report on: in the entry's fiscal year up to the month after its
    date (cumulative reports go back to October), or the month just before it."""
    gap = (when.year * 12 + when.month) - ((year_be - 543) * 12 + month)
    same_year = year_be + (1 if month >= 10 else 0) == fiscal_year(when)
    return -1 <= gap <= 1 or (gap > 0 and same_year)


def _date_checks(body: str, when: date, fy: int | None, line: int | None, acc: Accumulator) -> None:
    for month, year_be, _, _ in month_year_mentions(body):
        if _plausible_month(month, year_be, when):
            continue
        gap = (when.year * 12 + when.month) - ((year_be - 543) * 12 + month)
        acc.anomaly(
            "month_year_mismatch", line, when=when.isoformat(), month=month, year=year_be,
            gap=abs(gap), direction="before" if gap > 0 else "after",
        )  # fmt: skip
    if fy is not None and fiscal_year(when) != fy:
        acc.anomaly(
            "entry_outside_fiscal_year", line, "page", when=when.isoformat(),
            year=fiscal_year(when), fy=fy,
        )  # fmt: skip


def _inferred_fiscal_year(acc: Accumulator) -> int | None:
    """The fiscal year most entries fall in, for a page that does not write it."""
    dated = [e for e in acc.entries if e.report_date]
    fy = blocks.most_common_fiscal_year([fiscal_year(e.report_date) for e in dated])  # type: ignore[arg-type]
    if fy is not None:
        acc.anomaly("fiscal_year_inferred", dated[0].line_no, "project_page", fy=fy)
    return fy


# ---------------------------------------------------------------------- plan steps

# "ขั้นตอน 1", "ขั้นตอนที่ 1", and with the description on the same line "ขั้นตอนที่ 1 : จัดทำแผน".
_STEP = re.compile(r"ขั้นตอน(?:ที่)?[ ]?(?P<n>\d{1,3})(?:[ ]?[:.)]?[ ]?(?P<desc>[^\d\s].*))?$")
# ":10%", "น้ำหนัก : 10 %", "น้ำหนักงาน ร้อยละ 10".
# OCR reads the ring at the foot of "%" as a digit after it (":10%6").
_STEP_PCT = re.compile(
    rf"(?:น้ำหนัก(?:งาน)?[ ]?)?:?[ ]?(?:(?:ร้อยละ)[ ]?(?P<pct_th>{blocks.NUM})"
    rf"|(?P<pct>{blocks.NUM})[ ]?%)$|:[ ]?(?P<pct_ocr>{blocks.NUM})%[0-9]$"
)
_STEP_DATE = re.compile(r"(?P<key>เริ่มต้น|สิ้นสุด)[ ]?:?[ ]?(?P<date>.*)")
# The weight at the end of the description line: a PDF typesetter may wrap ":5%" onto it
# when the description fills the line (a wrap and a new line look the same there).
_TAIL_PCT = re.compile(rf"[ \t]:[ ]?(?P<pct>{blocks.NUM})[ ]?%[ \t]*$")


def _plan(sec: Section, head: _Header, acc: Accumulator) -> None:
    step: dict[str, object] | None = None
    for ln in sec.lines:
        raw = blocks.bare(ln.text)
        # _STEP starts with ขั้นตอน: other lines skip it (and the digits until needed)
        m = _STEP.match(to_arabic_digits(raw)) if raw.startswith("ขั้นตอน") else None
        if m:
            _add_step(step, acc)
            step = {"step_no": int(m["n"]), "line_no": ln.no}
            if m["desc"]:
                desc = ln.text[len(ln.text) - len(m["desc"]) :]
                step["description"] = _split_weight(desc, step).strip()
            continue
        if step is None or not ln.text:
            continue
        _step_line(ln.text, to_arabic_digits(raw), step)
    _add_step(step, acc)


def _step_line(raw: str, text: str, step: dict[str, object]) -> None:
    m = _STEP_PCT.match(text)
    if m and "weight_pct" not in step:
        step["weight_pct"] = blocks.to_float(m["pct"] or m["pct_th"] or m["pct_ocr"])
        return
    m = _STEP_DATE.match(text)
    if m:
        step["start_date" if m["key"] == "เริ่มต้น" else "end_date"] = parse_date(m["date"])
        return
    if "description" in step:
        return
    if raw.startswith(":") or not step.keys() & {"weight_pct", "start_date", "end_date"}:
        # the line right under the heading is the description, its ":" lost (or read as
        # ".") by OCR
        step["description"] = _split_weight(raw.lstrip(":.;").lstrip(), step).strip() or None


def _split_weight(desc: str, step: dict[str, object]) -> str:
    """``desc`` without a trailing " :5%" weight, which goes to ``step`` if it has none."""
    m = _TAIL_PCT.search(to_arabic_digits(desc)) if "%" in desc else None
    if m is None:
        return desc
    step.setdefault("weight_pct", blocks.to_float(m["pct"]))
    return desc[: m.start()]


def _add_step(step: dict[str, object] | None, acc: Accumulator) -> None:
    if step is None:
        return
    acc.plan.append(
        PlanStep(
            step_no=step["step_no"],  # type: ignore[arg-type]
            description=step.get("description"),  # type: ignore[arg-type]
            weight_pct=step.get("weight_pct"),  # type: ignore[arg-type]
            start_date=step.get("start_date"),  # type: ignore[arg-type]
            end_date=step.get("end_date"),  # type: ignore[arg-type]
            line_no=step["line_no"],  # type: ignore[arg-type]
        )
    )


# ---------------------------------------------------------------------- linked KPI

_KPI_CODE = re.compile(r"รายละเอียดเกี่ยวกับตัวชี้วัด[ ]?:?[ ]?(?P<code>\d{3,10}-\d{2,6})?")
_KPI_CODE_WORD = "รายละเอียดเกี่ยวกับตัวชี้วัด"  # _KPI_CODE starts with it
_KPI_NAME = re.compile(r"ตัวชี้วัด[ ]?:[ ]?(?P<name>.*)")


def _kpi(sec: Section, head: _Header, acc: Accumulator) -> None:
    starts = [
        i
        for i, ln in enumerate(sec.lines)
        if _KPI_CODE_WORD in ln.text and _KPI_CODE.match(_key(ln))  # a cheap test first
    ]
    if not starts and blocks.parse_indicator_header(sec.lines):
        starts = [0]
    for k, i in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(sec.lines)
        _kpi_block(sec.lines[i:end], acc)


def _kpi_block(lines: Sequence[Line], acc: Accumulator) -> None:
    m = _KPI_CODE.match(_key(lines[0]))
    code = m["code"] if m else None
    name = None
    for ln in lines[1:]:
        found = _KPI_NAME.match(blocks.bare(ln.text))
        if found:
            name = found["name"].strip() or None
            break
    h = blocks.parse_indicator_header(lines) or blocks.IndicatorHeader()
    acc.indicators.append(
        Indicator(
            code, name, h.indicator_type, h.result_level,  # type: ignore[arg-type]
            h.target_value, h.target_unit, h.achieved_value, line_no=lines[0].no,
        )
    )  # fmt: skip
    table = blocks.find_quarter_table(lines)
    if table is None:
        return
    acc.quarterly += [
        QuarterlyResult(code, r.quarter, r.result, r.score, r.eval_1, r.eval_2, line_no=r.line_no)
        for r in table.rows
    ]


def _key(ln: Line) -> str:
    return to_arabic_digits(blocks.bare(ln.text))


_SECTION_PARSERS = {
    "strategy": _strategy,
    "results": _results,
    "plan": _plan,
    "kpi": _kpi,
}


# -------------------------------------------------------------------- completeness


def _header_anomalies(lines: Sequence[Line], head: _Header, acc: Accumulator) -> None:
    missing = []
    if not any(ln.text == "ความคืบหน้าโครงการ/กิจกรรม" for ln in lines[:10]):
        missing.append("the page title (ความคืบหน้าโครงการ/กิจกรรม)")
    if head.code is None:
        missing.append("the project name and code")
    if head.agency is None:
        missing.append("the agency and fiscal year")
    if not missing:
        return
    first = next((ln for ln in lines if ln.text), None)
    start = f"it starts with {first.text[:40]!r}" if first else "it is empty"
    acc.anomaly(
        "missing_header", first.no if first else None, missing=", ".join(missing), start=start
    )


def _truncation(sections: Sequence[Section], lines: Sequence[Line], acc: Accumulator) -> None:
    if any(sec.key == _FINAL_SECTION for sec in sections):
        return
    last = next((ln for ln in reversed(lines) if ln.text), None)
    where = sections[-1].key.replace("_", " ")
    tail = f" ends with {last.text[-30:]!r}" if last else " is empty"
    acc.anomaly(
        "truncated_document", last.no if last else None, "project_page", where=where, tail=tail
    )
