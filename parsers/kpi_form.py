"""Parser for the `kpi_form` report kind: the numbered KPI report form.

The form has nine numbered sections::

    1. ชื่อตัวชี้วัด            indicator name (and code when one is written after it)
    2. ระดับความสำเร็จ          result level (ผลผลิต (Output) / ผลลัพธ์ (Outcome)), strategy path
    3. คำนิยาม                  definition
    4. วิธีการคำนวณ             calculation, the success levels "ระดับที่ N : ..."
    5. เป้าหมาย                 target "5 (ระดับ)" and "ผลงานที่ทำได้ = 5 (ระดับ)"
    6. รายงานผลการดำเนินงาน     (6.1)-(6.4) one per quarter with dated entries, (6.5) summary
    7. ปัจจัยสนับสนุน           supporting factors
    8. อุปสรรค                  obstacles
    9. หลักฐานอ้างอิง           evidence, then the signature block

Document fields: ``title`` and ``code`` from section 1, ``agency`` from a "หน่วยงาน : ..." line
above section 1, ``fiscal_year`` from a ปีงบประมาณ written in the header (above section 1 or on a
heading line), else the fiscal year most entry dates fall in.

Attribute keys (``Attribute.key``):

- ``preamble``: other text above section 1 (a form title)
- ``plan_support``: the "สนับสนุนแผนพัฒนา กทม. ..." line of section 2
- ``definition``: section 3
- ``calculation``: text of section 4 that is not a success level
- ``target_text`` / ``achieved_text``: section 5 as written
- ``year_end_summary``: (6.5) สรุปผลการดำเนินงาน (ปลายปีงบประมาณ)
- ``supporting_factors``: section 7
- ``obstacles``: section 8
- ``evidence``: section 9
- ``certification``: the "ขอรับรองว่า ..." statement after section 9

Anomaly rules: ``missing_section`` (message names the section number), ``truncated_document``,
``result_level_undecided``, ``entry_outside_quarter``, ``entry_outside_fiscal_year``,
``invalid_date``, ``success_levels_incomplete``, ``strategy_path_mismatch``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from normalize import fiscal_quarter, fiscal_year, parse_date, parse_number, to_arabic_digits
from parsers.accumulator import Accumulator
from parsers.blocks import extract_reach, most_common_fiscal_year
from parsers.detect import FORM_SECTION_LABELS
from parsers.model import (
    Contact,
    Document,
    Indicator,
    Kind,
    ReachMetric,
    ReportEntry,
    StrategyLink,
    SuccessLevel,
)

KIND: Kind = "kpi_form"

_SECTION_LABELS = FORM_SECTION_LABELS
_SECTION_NAMES = {n: labels[0] for n, labels in _SECTION_LABELS.items()}
_LEVEL_WORDS = ("ผลผลิต", "ผลลัพธ์", "Output", "Outcome", "output", "outcome")
_AGENCY_LABELS = ("หน่วยงาน", "ส่วนราชการ", "สำนักงาน", "สำนัก")
_ATTRIBUTE_SECTIONS = {3: "definition", 7: "supporting_factors", 8: "obstacles", 9: "evidence"}

_DIGIT = "0-9๐-๙"
# "5. เป้าหมาย"; OCR reads the dot as a comma or loses it ("5 เป้าหมาย": the label decides)
_HEADING = re.compile(rf"[ \t]*([1-9๑-๙])(?:[ \t]*[.,)]|[ \t]+)(?![{_DIGIT}])[ \t]*(.*)")
# No two blank runs side by side (a "[ \t]*" next to an optional item and another "[ \t]*"
# backtracks quadratically on a long blank run).
_SUBSECTION = re.compile(
    rf"[ \t]*(?:(\()[ \t]*)?[6๖][ \t]*\.[ \t]*([1-5๑-๕])(?![{_DIGIT}])[ \t]*(?:(\))[ \t]*)?(.*)"
)
_QUARTER_WORD = re.compile(rf"[ \t]*ไตรมาส(?:ที่)?[ \t]*([1-4๑-๔])(?![{_DIGIT}])[ \t]*(.*)")
_DATE_PREFIX = r"[ \t]*(?:(?:ณ[ \t]*)?วันที่[ \t]*)?"
_DATE_AT_START = re.compile(
    _DATE_PREFIX + rf"([{_DIGIT}]{{1,2}}/[{_DIGIT}]{{1,2}}/(?:[{_DIGIT}]{{4}}|[{_DIGIT}]{{2}}))"
    rf"(?![{_DIGIT}/])[ \t]*:?"
)
# "31 ม.ค. 2563 :" opens an entry only with its colon: body lines often start with a date.
_THAI_DATE = (
    _DATE_PREFIX + rf"([{_DIGIT}]{{1,2}}[ \t]*[ก-ฮ\u0e40-\u0e44][ก-ฮ\u0e30-\u0e4e.]{{0,14}}"
    rf"[ \t]*[{_DIGIT}]{{2,4}})"
    rf"(?![{_DIGIT}])[ \t]*"
)
_THAI_DATE_AT_START = re.compile(_THAI_DATE + ":")
# Without its colon a Thai date opens an entry only when it falls in the quarter it is filed
# under (a body line can start with a date it talks about).
_THAI_DATE_BARE = re.compile(_THAI_DATE)
# Inside a line only a date followed by a colon opens an entry (flattened captures).
# Led by a digit (the blank-before check comes after it) so ``re`` skips to digits fast.
_DATE_INLINE = re.compile(
    rf"([{_DIGIT}](?<!\S[{_DIGIT}])[{_DIGIT}]?/[{_DIGIT}]{{1,2}}/(?:[{_DIGIT}]{{4}}|[{_DIGIT}]{{2}}))"
    rf"(?![{_DIGIT}/])[ \t]*:"
)
_LEVEL_START = re.compile(rf"[ \t:\-*]*ระดับ(?:ที่)?[ \t]*([1-9๑-๙])(?![{_DIGIT}.])")
_LEVEL_ANY = re.compile(rf"ระดับ(?:ที่)?[ \t]*([1-9๑-๙])(?![{_DIGIT}.])")
_PCT = re.compile(r"ร้อยละ[ \t]*([0-9]+(?:\.[0-9]+)?)|(?<![0-9.])([0-9]+(?:\.[0-9]+)?)[ \t]*%")
_STRATEGY = re.compile(
    r"[ \t\-*:>]*(ประเด็นยุทธ[^:\s]*|ยุทธศาสตร์[^:\s]*|ย่อย|เป้าประสงค์[^:\s]*|กลยุทธ์[^:\s]*"
    r"|มาตรการ[^:\s]*)[ \t]*:[ \t]*(?:ด้านที่[ \t]*)?"
    rf"([{_DIGIT}]{{1,2}}(?:\.[{_DIGIT}]{{1,2}}){{0,3}})(?![{_DIGIT}])(.*)"
)
_NUMBER_UNIT = re.compile(
    r"(-?[0-9][0-9,]*(?:\.[0-9]+)?)[ \t]*(?:\(([^()\n]{1,30})\)|([^\s0-9:=(),.]{1,30}))?"
)
_UNIT_BEFORE = re.compile(r"([^\s0-9:=()]{1,30})[ \t]*$")
_FISCAL_YEAR = re.compile(rf"ปีงบประมาณ[ \t]*(?:พ\.[ \t]*ศ\.[ \t]*)?([{_DIGIT}]{{4}})(?![{_DIGIT}])")
_CODE_TAIL = re.compile(r"[ \t]*[:：][ \t]*([0-9]{2,8}-[0-9]{2,8})[ \t]*$")
_CHECK_MARKS = ("☑", "☒", "✓", "✔", "■", "●", "◉", "▣", "√", "⊠", "[x]", "[X]", "(/)", "[/]")
_LEAD_MARKS = " \t:-–*•"


@dataclass
class _Section:
    number: int
    line_no: int
    value: str  # text after the label on the heading line
    lines: list[tuple[int, str]] = field(default_factory=list)  # body (line_no, text)


def _lines(text: str) -> list[str]:
    # Split on "\n" only: str.splitlines also breaks on \x0b, \x1c, U+2028 and would shift
    # line numbers away from those the registry and the PDF page map use.
    if "\r" not in text:  # repaired text has none: no per-line rstrip needed
        return text.split("\n")
    return [line.rstrip("\r") for line in text.split("\n")]


def _compact(text: str) -> str:
    return text[:80].replace(" ", "").replace("\t", "")


# What a line must start with (after blanks) for each pattern to have a chance: a set
# lookup rejects most lines before a regex runs.
_HEADING_LEADS = frozenset("123456789๑๒๓๔๕๖๗๘๙")
_SUBSECTION_LEADS = frozenset("(6๖")
_DIGIT_LEADS = frozenset("0123456789๐๑๒๓๔๕๖๗๘๙")


def _lead(line: str) -> str:
    """The first character after the leading spaces and tabs ("" for a blank line)."""
    return line.lstrip(" \t")[:1]


def _heading(line: str, after: int) -> tuple[int, str] | None:
    """(section number, rest) when ``line`` is the heading of a section after ``after``."""
    if line.lstrip(" \t")[:1] not in _HEADING_LEADS:  # _lead() inlined: runs on every line
        return None
    m = _HEADING.match(line)
    if not m:
        return None
    number = int(m.group(1))  # int() reads a Thai digit as well
    if number <= after:
        return None
    rest = m.group(2)
    if not _compact(rest).startswith(_SECTION_LABELS[number]):
        return None
    return number, _after_colon(rest)


def _after_colon(text: str) -> str:
    cut = text.find(":")
    return text[cut + 1 :].strip() if cut >= 0 else ""


def _clean(text: str) -> str:
    return text.strip().lstrip(_LEAD_MARKS).strip()


def _joined(lines: list[tuple[int, str]]) -> str:
    # _clean() inlined in one comprehension: bodies have many lines
    return "\n".join([c for _, t in lines if (c := t.strip().lstrip(_LEAD_MARKS).strip())])


def _split_sections(lines: list[str]) -> tuple[list[tuple[int, str]], dict[int, _Section]]:
    """The lines before section 1 and the sections found, in increasing number."""
    preamble: list[tuple[int, str]] = []
    sections: dict[int, _Section] = {}
    current: _Section | None = None
    for no, line in enumerate(lines, 1):
        # the lead test of _heading() first, inline: most lines fail it
        maybe = line.lstrip(" \t")[:1] in _HEADING_LEADS
        found = _heading(line, current.number if current else 0) if maybe else None
        if found:
            current = _Section(found[0], no, found[1])
            sections[found[0]] = current
        elif current is None:
            preamble.append((no, line))
        else:
            current.lines.append((no, line))
    return preamble, sections


def parse(text: str, source: str) -> Document:
    """Parse a KPI report form (text already repaired) into a :class:`Document`."""
    lines = _lines(text)
    preamble, sections = _split_sections(lines)
    res = Accumulator()
    agency = _preamble(preamble, res)
    header = "\n".join(
        [*(t for _, t in preamble), *(lines[s.line_no - 1] for s in sections.values())]
    )
    indicator = _indicator(sections, res)
    links = _strategy_links(lines, sections, res)
    levels = _success_levels(sections.get(4), res)
    quarters = _quarters(sections[6]) if 6 in sections else []  # used twice below
    entries, summary = _entries(quarters, res)
    records = [e.record for e in entries]
    fy = _fiscal_year(header, records, res)
    reach = _reach_metrics(entries, res)
    for number, key in _ATTRIBUTE_SECTIONS.items():
        _section_attribute(sections.get(number), key, res)
    contacts = _signature(sections.get(9), res)
    _missing_sections(sections, summary, quarters, len(lines), res)
    return Document(
        kind=KIND,
        source=source,
        code=indicator.code,
        title=indicator.name,
        fiscal_year=fy,
        agency=agency,
        indicators=(indicator,) if indicator.name or indicator.target_value is not None else (),
        report_entries=tuple(records),
        reach_metrics=tuple(reach),
        success_levels=tuple(levels),
        strategy_links=tuple(links),
        contacts=tuple(contacts),
        attributes=res.attributes_in_text_order(),
        anomalies=tuple(res.anomalies),
    )


def _indicator(sections: dict[int, _Section], res: Accumulator) -> Indicator:
    """The KPI the form reports on: sections 1 (name, code), 2 (result level) and 5."""
    name, code, name_line = _name(sections.get(1))
    target, achieved = _targets(sections.get(5), res)
    return Indicator(
        code=code,
        name=name,
        result_level=_result_level(sections.get(2), res),  # type: ignore[arg-type]
        target_value=target[0],
        target_unit=target[1],
        achieved_value=achieved[0],
        line_no=name_line,
    )


def _name(section: _Section | None) -> tuple[str | None, str | None, int | None]:
    """Indicator name (heading value plus wrapped lines) and a code written after it."""
    if section is None:
        return None, None, None
    parts = [section.value]
    for _, line in section.lines:
        # a wrapped name continues on the very next lines; a labelled line is something else
        if not line.strip() or ":" in line or _STRATEGY.match(line):
            break
        parts.append(_clean(line))
    name = " ".join(p for p in parts if p).strip()
    m = _CODE_TAIL.search(to_arabic_digits(name[-40:]))
    code = None
    if m:
        code = m.group(1)
        name = name[: len(name) - len(m.group(0))].strip() if len(m.group(0)) <= len(name) else ""
    return name or None, code, section.line_no


def _preamble(preamble: list[tuple[int, str]], res: Accumulator) -> str | None:
    """Lines above section 1 (a form title, the agency): the agency and a ``preamble``."""
    agency = None
    kept: list[tuple[int, str]] = []
    for no, line in preamble:
        label, sep, value = line.partition(":")
        if sep and _compact(label).startswith(_AGENCY_LABELS) and value.strip() and not agency:
            agency = value.strip()
        else:
            kept.append((no, line))
    first = next((no for no, t in kept if t.strip()), None)
    res.attr("preamble", _joined(kept), first)
    return agency


def _result_level(section: _Section | None, res: Accumulator) -> str | None:
    """'output'/'outcome' when the form marks (or lists) exactly one of them."""
    if section is None:
        return None
    # the options follow the label, or sit on the next line when the label stands alone
    candidates = [section.value, *(t for _, t in section.lines[:4])]
    text = next((t for t in candidates if _find_option(t, _LEVEL_WORDS) >= 0), "")
    options = {
        "output": _find_option(text, ("ผลผลิต", "Output", "output")),
        "outcome": _find_option(text, ("ผลลัพธ์", "Outcome", "outcome")),
    }
    present = [k for k, pos in options.items() if pos >= 0]
    if len(present) == 1:
        return present[0]
    marked = [k for k in present if _is_marked(text, options[k])]
    if len(marked) == 1:
        return marked[0]
    if present:
        res.anomaly("result_level_undecided", section.line_no, text=text)
    return None


def _find_option(text: str, words: tuple[str, ...]) -> int:
    found = [p for p in (text.find(w) for w in words) if p >= 0]
    return min(found) if found else -1


def _is_marked(text: str, pos: int) -> bool:
    before = text[max(0, pos - 5) : pos]
    if any(mark in before for mark in _CHECK_MARKS):
        return True
    # an HTML checkbox right before the option: only that one tag says whether it is ticked
    tag = text.rfind("<input", max(0, pos - 120), pos)
    close = text.find(">", tag, pos) if tag >= 0 else -1
    if close < 0 or text[close + 1 : pos].strip():
        return False
    return "checked" in text[tag:close].lower()


def _strategy_links(lines: list[str], sections: dict[int, _Section], res: Accumulator):
    """Strategy path lines written before section 3 (in section 2 on the form)."""
    end = min((s.line_no for n, s in sections.items() if n >= 3), default=len(lines) + 1)
    links: list[StrategyLink] = []
    for no in range(1, min(end, len(lines) + 1)):
        line = lines[no - 1]
        if "สนับสนุนแผน" in line and not links:
            res.attr("plan_support", _clean(line.replace("*", " ")), no)
        m = _STRATEGY.match(line) if ":" in line else None  # _STRATEGY needs a colon
        if not m:
            continue
        path = to_arabic_digits(m.group(2))
        name = m.group(3).strip().lstrip(_LEAD_MARKS).strip() or None
        if links and not path.startswith(links[-1].path + ".") and "." in path:
            res.anomaly("strategy_path_mismatch", no, path=path, above=links[-1].path)
        links.append(StrategyLink(path, name, no))
    return links


def _success_levels(section: _Section | None, res: Accumulator) -> list[SuccessLevel]:
    """Levels "ระดับที่ N : ..." of section 4; other text becomes ``calculation``."""
    if section is None:
        return []
    found: list[list] = []  # [level, pct, description parts, line_no]
    calc: list[tuple[int, str]] = []
    for no, line in [(section.line_no, section.value), *section.lines]:
        for piece, starts in _level_pieces(line, found[-1][0] if found else 0):
            if starts:
                found.append(_level_record(piece, no))
            elif found and _clean(piece):
                found[-1][2].append(_clean(piece))
            else:
                calc.append((no, piece))
    res.attr("calculation", _joined(calc), section.line_no)
    levels = [SuccessLevel(lv, pct, " ".join(parts) or None, no) for lv, pct, parts, no in found]
    numbers = [lv.level for lv in levels]
    if numbers and numbers != list(range(1, len(numbers) + 1)):
        res.anomaly(
            "success_levels_incomplete",
            section.line_no,
            "form",
            numbers=numbers,
            count=len(numbers),
        )
    return levels


def _level_pieces(line: str, last: int) -> Iterator[tuple[str, bool]]:
    """Cut ``line`` where the next level (last + 1, ...) starts; True marks a level start."""
    m = _LEVEL_START.match(line) if "ระดับ" in line else None  # a cheap test first
    if not m:
        yield line, False
        return
    cuts = [0]
    expected = int(to_arabic_digits(m.group(1))) + 1
    for inner in _LEVEL_ANY.finditer(line, m.end()):
        if int(to_arabic_digits(inner.group(1))) == expected:
            cuts.append(inner.start())
            expected += 1
    cuts.append(len(line))
    for a, b in itertools.pairwise(cuts):
        yield line[a:b], True


def _level_record(piece: str, no: int) -> list:
    m = _LEVEL_ANY.search(piece)
    level = int(to_arabic_digits(m.group(1))) if m else 0
    rest = piece[m.end() :] if m else piece
    cut = rest.find(":")
    head, desc = (rest[:cut], rest[cut + 1 :]) if cut >= 0 else ("", rest)
    pct_m = _PCT.search(to_arabic_digits(head))
    pct = float(pct_m.group(1) or pct_m.group(2)) if pct_m else None
    if pct is None and cut < 0:
        desc = rest
    return [level, pct, [_clean(desc)] if _clean(desc) else [], no]


def _value_unit(text: str) -> tuple[float | None, str | None]:
    """'5 (ระดับ)' -> (5.0, 'ระดับ'); 'ร้อยละ 80' -> (80.0, 'ร้อยละ')."""
    text = to_arabic_digits(text)
    m = _NUMBER_UNIT.search(text)
    if not m:
        return None, None
    value = parse_number(m.group(1))
    unit = (m.group(2) or m.group(3) or "").strip() or None
    if unit is None:
        before = _UNIT_BEFORE.search(text[: m.start()][-40:])
        unit = before.group(1) if before else None
    return (float(value) if value is not None else None), unit


def _targets(section: _Section | None, res: Accumulator):
    """Target (heading value or a เป้าหมาย line) and achieved value of section 5."""
    if section is None:
        return (None, None), (None, None)
    target, achieved = ("", 0), ("", 0)
    for no, line in [(section.line_no, section.value), *section.lines]:
        cut = _achieved_label(line)
        head = line[:cut] if cut >= 0 else line
        if cut >= 0 and not achieved[0]:
            achieved = (_value_after_label(line[cut:]), no)
        if not target[0] and head.strip(_LEAD_MARKS):
            is_heading = no == section.line_no
            target = (head.strip() if is_heading else _value_after_label(head), no)
            target = target if is_heading or "เป้าหมาย" in head else ("", 0)
    res.attr("target_text", target[0], target[1])
    res.attr("achieved_text", achieved[0], achieved[1])
    return _value_unit(target[0]), _value_unit(achieved[0])


def _achieved_label(line: str) -> int:
    found = [p for p in (line.find(w) for w in ("ผลงาน", "ผลการดำเนินงาน", "ทำได้")) if p >= 0]
    return min(found) if found else -1


def _value_after_label(line: str) -> str:
    for sep in ("=", ":"):
        cut = line.rfind(sep)
        if cut >= 0:
            return line[cut + 1 :].strip()
    return line.strip()


@dataclass
class _Quarter:
    quarter: int | None  # None for the (6.5) year-end summary
    line_no: int
    lines: list[tuple[int, str]]


def _quarters(section: _Section) -> list[_Quarter]:
    """Cut section 6 at its (6.1)-(6.5) headings; text before them is quarter None."""
    blocks = [_Quarter(0, section.line_no, [])]
    for no, line in section.lines:
        head = _quarter_heading(line)
        if head is None:
            blocks[-1].lines.append((no, line))
            continue
        quarter, rest = head
        blocks.append(_Quarter(quarter, no, [(no, rest)]))
    return blocks


def _quarter_heading(line: str) -> tuple[int | None, str] | None:
    """(quarter or None for the summary, rest of line) when ``line`` opens a subsection."""
    lead = line.lstrip(" \t")[:1]  # _lead() inlined: runs on every line of section 6
    if lead not in _SUBSECTION_LEADS and not line.lstrip().startswith("ไตรมาส"):
        return None
    m = _SUBSECTION.match(line)
    rest = None
    sub = None
    if m and (m.group(1) or m.group(3) or m.group(4).startswith(("ไตรมาส", "สรุป"))):
        sub, rest = int(to_arabic_digits(m.group(2))), m.group(4)
    elif line.lstrip().startswith("ไตรมาส"):
        rest = line
    if rest is None:
        return None
    q = _QUARTER_WORD.match(rest)
    if q:
        return int(to_arabic_digits(q.group(1))), _strip_colon(q.group(2))
    if sub == 5 or rest.lstrip().startswith("สรุป"):
        return None, _after_colon(rest)
    if sub is not None:
        return sub, _strip_colon(rest)
    return None


def _strip_colon(text: str) -> str:
    return text.strip().removeprefix(":").strip()


def _entries(quarters: list[_Quarter], res: Accumulator) -> tuple[list[_Entry], bool]:
    """Dated entries of the quarterly sections; the (6.5) summary becomes an attribute."""
    entries: list[_Entry] = []
    summary = False
    for block in quarters:
        if block.quarter is None:
            summary = True
            res.attr("year_end_summary", _joined(block.lines), block.line_no)
            continue
        for raw_date, body in _split_entries(block.lines, block.quarter):
            record = _entry(len(entries) + 1, block.quarter or None, raw_date, body, res)
            entries.append(_Entry(record, body))
    return entries, summary


@dataclass
class _Entry:
    record: ReportEntry
    lines: list[tuple[int, str]]  # body pieces with their line numbers


def _split_entries(
    lines: list[tuple[int, str]], quarter: int | None = None
) -> list[tuple[str | None, list[tuple[int, str]]]]:
    """(date as written or None, body pieces) for each entry of a quarter block."""
    out: list[tuple[str | None, list[tuple[int, str]]]] = []
    for no, line in lines:
        # Most lines hold no date: skip the generator (_date_pieces yields the line whole).
        plain = not _may_start_with_date(line) and "/" not in line
        for raw_date, piece in ((None, line),) if plain else _date_pieces(line, quarter):
            if raw_date is not None:
                out.append((raw_date, [(no, piece)]))
            elif out:
                out[-1][1].append((no, piece))
            elif _clean(piece):
                out.append((None, [(no, piece)]))
    return out


def _date_pieces(line: str, quarter: int | None = None) -> Iterator[tuple[str | None, str]]:
    m = None
    if _may_start_with_date(line):
        m = _DATE_AT_START.match(line) or _THAI_DATE_AT_START.match(line)
        if m is None and quarter:
            m = _bare_thai_date(line, quarter)
    pos, current = (m.end(), m.group(1)) if m else (0, None)
    if "/" in line:  # an inline date has slashes
        for inner in _DATE_INLINE.finditer(line, pos):
            yield current, line[pos : inner.start()]
            pos, current = inner.end(), inner.group(1)
    yield current, line[pos:]


def _may_start_with_date(line: str) -> bool:
    """Whether a date pattern can match at the start of ``line``: after blanks they all
    start with a digit or with "(ณ) วันที่"; most lines are rejected by these tests."""
    lead = _lead(line)
    return lead in _DIGIT_LEADS or (lead in ("ณ", "ว") and "วันที่" in line)


def _bare_thai_date(line: str, quarter: int) -> re.Match[str] | None:
    m = _THAI_DATE_BARE.match(line)
    if m is None:
        return None
    when = parse_date(to_arabic_digits(m.group(1)))
    return m if when is not None and fiscal_quarter(when) == quarter else None


def _entry(entry_no: int, quarter: int | None, raw_date: str | None, body, res: Accumulator):
    no = body[0][0]
    when: date | None = None
    if raw_date is not None:
        when = parse_date(to_arabic_digits(raw_date))
        if when is None:
            res.anomaly("invalid_date", no, "form", raw=raw_date)
    if when is not None and quarter is not None and fiscal_quarter(when) != quarter:
        res.anomaly(
            "entry_outside_quarter", no, "form", raw=raw_date, when=when.isoformat(),
            actual=fiscal_quarter(when), quarter=quarter,
        )  # fmt: skip
    if quarter is None and when is not None:
        quarter = fiscal_quarter(when)
    return ReportEntry(entry_no, quarter, when, None, _joined(body), no)


def _fiscal_year(header: str, entries: list[ReportEntry], res: Accumulator) -> int | None:
    """A ปีงบประมาณ year written in the header, else the fiscal year most entry dates fall in.

    Only the preamble and the heading lines count as the header: entry bodies mention other
    years ("ตามแผนปีงบประมาณ 2564") that say nothing about the form's own year.
    """
    m = _FISCAL_YEAR.search(header)
    fy = int(to_arabic_digits(m.group(1))) if m else None
    if fy is None:
        fy = most_common_fiscal_year([fiscal_year(e.report_date) for e in entries if e.report_date])
    for e in entries:
        if fy is not None and e.report_date and fiscal_year(e.report_date) != fy:
            res.anomaly(
                "entry_outside_fiscal_year",
                e.line_no,
                "form",
                when=e.report_date.isoformat(),
                fy=fy,
            )
    return fy


def _section_attribute(section: _Section | None, key: str, res: Accumulator) -> None:
    if section is None:
        return
    body = [(section.line_no, section.value), *section.lines]
    if key == "evidence":
        cut = next((i for i, (_, t) in enumerate(body) if "ขอรับรอง" in t), len(body))
        if cut < len(body):
            res.attr("certification", _clean(body[cut][1]), body[cut][0])
        body = body[:cut]
    text = _joined(body)
    first, _, rest = text.partition("\n")
    if key == "definition" and rest and len(first) <= 30 and first.startswith(("นิยาม", "คำนิยาม")):
        text = rest  # drop a bare field label such as "นิยาม/คำอธิบาย"
    res.attr(key, text, section.line_no)


def _signature(section: _Section | None, res: Accumulator) -> list[Contact]:
    """The signer "(name)" and "ตำแหน่ง ..." after section 9, when filled in."""
    if section is None:
        return []
    name = position = None
    line_no = None
    for no, line in section.lines:
        t = line.strip()
        if t.startswith("(") and t.endswith(")") and t.strip("(). \t"):
            name, line_no = t[1:-1].strip(), no
        elif t.startswith("ตำแหน่ง") and t[len("ตำแหน่ง") :].strip(" .:\t"):
            position = t[len("ตำแหน่ง") :].strip(" :\t")
    return [Contact(name, position, None, None, line_no)] if name else []


def _missing_sections(
    sections, summary: bool, quarter_blocks: list[_Quarter], n_lines: int, res: Accumulator
) -> None:
    last = max(sections, default=0)
    for number in range(1, 10):
        if number not in sections:
            res.anomaly("missing_section", None, "form", number=number, name=_SECTION_NAMES[number])
    if last < 9:
        res.anomaly("truncated_document", n_lines, "form", last=last)
    six = sections.get(6)
    if six is None or last <= 6:
        return
    quarters = {b.quarter for b in quarter_blocks}
    for q in range(1, 5):
        if q not in quarters:
            res.anomaly("missing_section", six.line_no, "form_quarter", quarter=q)
    if not summary:
        res.anomaly("missing_section", six.line_no, "form_summary")


def _reach_metrics(entries: list[_Entry], res: Accumulator) -> list[ReachMetric]:
    """Reach, views and post counts written inside entry bodies (shared extractor)."""
    rows: list[ReachMetric] = []
    for entry in entries:
        e = entry.record
        body = "\n".join(piece for _, piece in entry.lines)
        found, problems = extract_reach(
            body, entry_no=e.entry_no, report_date=e.report_date, line_no=entry.lines[0][0]
        )
        rows += found
        res.anomalies += problems
    return rows
