"""Parser for the `kr_sheet` report kind: the key-result (KR) sheet.

Layout (printed from a PDF; table cells separated by tabs)::

    รายละเอียด KRs ตามเป้าหมายการพัฒนาของสำนักงานเขต ... ประจำปี พ.ศ. ๒๕๖๘
    รหัส ๗๓๐๑ ชื่อ KRs <name>
    หน่วยงานผู้รับผิดชอบหลัก (Host : H) <agency>
    ด้าน <aspect> ประเด็นการพัฒนา <issue>
    ลักษณะหน่วยงานที่รับผิดชอบ <options>
    ประเด็น<TAB>รายละเอียด                      (table header, repeated after each page break)
    <label><TAB><value>...                      (rows; a row may continue after the header)
    เกณฑ์การให้คะแนน "<name>"
    ระดับความสำเร็จ<TAB>เกณฑ์ร้อยละความสำเร็จ<TAB>การดำเนินงาน<TAB>คะแนนที่ได้รับ
    ๕<TAB>๑๐๐<TAB><description><TAB>

Records: one KeyResult, SuccessLevel rows (level 1-5 with their percentage), Checkbox rows
(group = the table row label as written), Contact rows (the coordinator).

Attribute keys (``Attribute.key``):

- ``sheet_title``: the heading "รายละเอียด KRs ..."
- ``responsibility_option``: one per option under ลักษณะหน่วยงานที่รับผิดชอบ (no tick marks)
- ``definition``, ``calculation``: the นิยาม and วิธีคำนวณ rows
- ``agency_target_unit``: the unit of the per-agency target row
- ``responsible_agency``, ``responsible_target``, ``responsible_role``: one triple per agency
  listed in the per-agency target table (same line_no)
- ``note``: a one-cell line of that table (e.g. "*กรณีเป็นสำนักงานเขต ...")
- ``reference_documents_note``, ``reporting_channel_note``, ``monitoring_note``: text of the
  checkbox rows that belongs to no checkbox
- ``coordinator_division``: the ส่วนราชการ of the coordinator
- ``scoring_title``: the "เกณฑ์การให้คะแนน ..." line
- ``score_received``: a filled คะแนนที่ได้รับ cell, as "level: score"
- ``table_row``: any other table row, as "label<TAB>value"

Anomaly rules: ``missing_section`` (message names the part), ``truncated_document``,
``success_levels_incomplete``, ``fiscal_year_mismatch``, ``row_stitched`` (info: a row continued
across a page break was joined).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from normalize import parse_number, to_arabic_digits
from parsers.accumulator import Accumulator
from parsers.contact_line import phones_in
from parsers.model import (
    Checkbox,
    Contact,
    Document,
    KeyResult,
    Kind,
    SuccessLevel,
)

KIND: Kind = "kr_sheet"

_DIGIT = "0-9๐-๙"
# รหัส may follow the year it was wrapped after, run into it by OCR ("๒๕๖๖รหัส ๒๒๘๘")
_HEADER_LABEL = re.compile(
    r"รายละเอียด[ \t]*KRs?(?![A-Za-z])|(?:(?<!\S)|(?<=[0-9๐-๙]))รหัส(?:[ \t]*KRs?(?![A-Za-z]))?"
    r"|ชื่อ[ \t]*KRs?(?![A-Za-z])|(?<!\S)ชื่อ(?=[ \t:])|หน่วยงานผู้รับผิดชอบหลัก"
    r"|(?<!\S)ด้าน(?=[ \t:])|ประเด็นการพัฒนา|ลักษณะหน่วยงานที่รับผิดชอบ"
)
_FISCAL_YEAR = re.compile(
    r"(?:ประจำปี|ปีงบประมาณ)(?:งบประมาณ)?[ \t]*(?:พ\.[ \t]*ศ\.[ \t]*)?"
    rf"([{_DIGIT}]{{4}})(?![{_DIGIT}])"
)
# a code holds a digit: a lone "a" there is OCR's reading of the ชื่อ label after an empty code
_CODE = re.compile(
    r"[ :]*(?=[A-Za-z.\-/]*[0-9])([0-9A-Za-z][0-9A-Za-z.\-/]{0,30})(?![0-9A-Za-z.\-/])"
)
_NUMBER = re.compile(r"-?[0-9][0-9,]*(?:\.[0-9]+)?")
_INPUT = re.compile(r"<input\b[^<>]{0,300}>", re.I)
_BOX = re.compile(r"[☑☒✓✔■☐□]")
_CHECKED_BOX = "☑☒✓✔■"
_PARA_BREAK = re.compile(r"</p>[ \t]*<p\b[^<>]{0,200}>", re.I)
_TAG = re.compile(r"</?(?:p|br|span|div|b|i|u|strong|em|font|li|ul|ol)\b[^<>]{0,300}>", re.I)
_LINE_BREAK_TAG = re.compile(r"<br\b[^<>]{0,50}>|</p>", re.I)
# A label follows a space, except หมายเลขโทรศัพท์, which never ends a longer word: a PDF
# line wrapped between Thai words loses the space ("...ปฏิบัติการหมายเลขโทรศัพท์ ๗๐๑๑").
# Nor is ส่วนราชการ a word's end, but the value may follow it glued, when a table cell
# wraps right after the label ("...๑๓๗๖ ส่วนราชการกลุ่มงานแผน...").
# (Not ตำแหน่ง: "ผู้ดำรงตำแหน่ง".)
_CONTACT_LABEL = re.compile(
    r"(?:(?<!\S)|(?=หมายเลขโทรศัพท์))"
    r"(ชื่อ(?:[ \t]*-[ \t]*สกุล|[ \t]*สกุล)?|ตำแหน่ง|หมายเลขโทรศัพท์|โทรศัพท์|โทร\.?"
    r"|ส่วนราชการ|หน่วยงาน|อีเมล|e-?mail)(?=[ \t:]|$|(?<=ส่วนราชการ)[ก-ฮ])",
    re.I,
)
_LEVEL_ROW = re.compile(rf"[ \t]*([1-5๑-๕])[ \t]+([{_DIGIT}]{{1,3}}(?:\.[{_DIGIT}]+)?)[ \t]+(.*)")
_SPACES = re.compile(r"[ \t\u00a0]+")
# a percentage cell; OCR's junk for Thai digits ("co" for ๘๐) is none
_PCT_THEN_TEXT = re.compile(
    rf"(?P<pct>[{_DIGIT}]{{1,3}}(?:\.[{_DIGIT}]+)?)[ ]?(?P<text>[^\s{_DIGIT}.%].*)"
)
_ANY_DIGIT = re.compile(rf"[{_DIGIT}]")
_NUMBER_CELL = re.compile(rf"[{_DIGIT}]{{1,3}}(?:[.,][{_DIGIT}]+)?[ ]?%?")

# Table row labels (spaces removed) and what their value is.
_ROW_KINDS: tuple[tuple[str, str], ...] = (
    ("ค่าเป้าหมายรวม", "target"),
    ("นิยาม", "definition"),
    ("วิธีคำนวณ", "calculation"),
    ("วิธีการคำนวณ", "calculation"),
    ("สูตรคำนวณ", "calculation"),
    ("ค่าเป้าหมายของหน่วยงาน", "agency_targets"),
    ("ค่าเป้าหมายหน่วยงาน", "agency_targets"),
    ("เอกสารอ้างอิง", "reference_documents"),
    ("ช่องทางการรายงาน", "reporting_channel"),
    ("การติดตามประเมินผล", "monitoring"),
    ("ผู้ประสานงาน", "coordinator"),
)
_TABLE_END = ("ลงชื่อ", "ผู้แจ้งข้อมูล", "เกณฑ์การให้คะแนน", "(.....)")
_CHECKBOX_ROWS = ("reference_documents", "reporting_channel", "monitoring")


@dataclass
class _Row:
    label: str
    line_no: int
    lines: list[tuple[int, list[str]]] = field(default_factory=list)  # (line_no, cells)
    # text continued after a page break ("page") or wrapped onto a tab-less line ("wrap"),
    # joined into the last filled cell of the row's last line by flush()
    pending: list[tuple[str, str]] = field(default_factory=list)

    def flush(self) -> None:
        if not self.pending:
            return
        cells = self.lines[-1][1]
        last = max((i for i, c in enumerate(cells) if c.strip()), default=len(cells) - 1)
        parts = [cells[last]]
        for mode, extra in self.pending:
            if not extra:
                continue
            prev = parts[-1]
            sep = _wrap_join(prev, extra) if mode == "wrap" else " "
            cut_para = prev.rstrip().lower().endswith("</p>") and extra[:2].lower() == "<p"
            if mode == "page" and cut_para:
                # the page break cut a paragraph: join the two halves into one
                parts[-1] = prev.rstrip()[:-4]
                extra = extra[extra.find(">") + 1 :]
            parts += [sep, extra] if parts[-1] else [extra]
        cells[last] = "".join(parts).strip()
        self.pending = []

    @property
    def kind(self) -> str:
        return _row_kind(self.label)

    def value_cells(self) -> list[str]:
        first = self.lines[0][1][1:] if self.lines else []
        return [c for c in first if c.strip()]


@dataclass
class _Result(Accumulator):
    """The shared accumulator with what the sheet's header and table parts hand on."""

    checkboxes: list[Checkbox] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    header: dict[str, tuple[list[str], int]] = field(default_factory=dict)  # parts, line_no
    target: tuple[float | None, str | None] = (None, None)
    target_fy: int | None = None
    fiscal_year: int | None = None
    scoring_to_end: bool = False  # the scoring rows run to the end of the text


def _lines(text: str) -> list[str]:
    # "\n" only: str.splitlines would also break on \x0b, \x1c, U+2028 and shift line numbers.
    if "\r" not in text:  # repaired text has none: no per-line rstrip needed
        return text.split("\n")
    return [line.rstrip("\r") for line in text.split("\n")]


def _squash(text: str) -> str:
    # Most cells have no tab, NBSP or double space: skip the substitution then.
    if "\t" in text or "\u00a0" in text or "  " in text:
        text = _SPACES.sub(" ", text)
    return text.strip()


def _compact(text: str) -> str:
    # a "**" label prefix (some exports mark labels) is no part of the label
    return text[:80].replace(" ", "").replace("\t", "").lstrip("*")


def _wrap_join(left: str, right: str) -> str:
    """How a line wrapped by the PDF joins back: Thai runs have no space between words."""
    thai = "\u0e01" <= left[-1:] <= "\u0e4e" and "\u0e01" <= right[:1] <= "\u0e4e"
    return "" if thai else " "


def _join_wrapped(parts: list[str]) -> str:
    out: list[str] = []
    for part in parts:
        if out:
            out.append(_wrap_join(out[-1], part))
        out.append(part)
    return "".join(out)


_ROW_PREFIXES = tuple(key for key, _ in _ROW_KINDS)


@lru_cache(maxsize=4096)
def _row_kind(label: str) -> str:
    # cached: a row's kind is asked for again and again, and templates repeat their labels
    compact = _compact(label)
    if not compact.startswith(_ROW_PREFIXES):  # one C call rejects most labels
        return "other"
    return next((kind for key, kind in _ROW_KINDS if compact.startswith(key)), "other")


def parse(text: str, source: str) -> Document:
    """Parse a KR sheet (text already repaired) into a :class:`Document`."""
    lines = _lines(text)
    res = _Result()
    table_start, scoring_start = _table_bounds(lines)
    _header_fields(lines[: min(table_start, scoring_start)], res)
    rows = _table_rows(lines, table_start, scoring_start, res)
    for row in rows:
        _apply_row(row, res)
    levels = _scoring(lines, scoring_start, res)
    code, name, fy, host, aspect, issue = _header_values(res)
    res.fiscal_year = fy
    _check(res, rows, levels, scoring_start < len(lines))
    kr = KeyResult(
        code=code,
        name=name,
        fiscal_year=fy,
        host_agency=host,
        aspect=aspect,
        issue=issue,
        target_value=res.target[0],
        target_unit=res.target[1],
        line_no=res.header["name"][1] if "name" in res.header else None,
    )
    return Document(
        kind=KIND,
        source=source,
        code=code,
        title=name,
        fiscal_year=fy,
        agency=host,
        key_results=(kr,) if name or code or res.target[0] is not None else (),
        success_levels=tuple(levels),
        contacts=tuple(res.contacts),
        checkboxes=tuple(res.checkboxes),
        attributes=res.attributes_in_text_order(),
        anomalies=tuple(res.anomalies),
    )


# --- header -----------------------------------------------------------------------------------


def _is_table_header(line: str) -> bool:
    if "\t" not in line or "ประเด็น" not in line:
        return False  # cheap tests first: this runs on every line above and in the table
    cells = [c.strip() for c in line.split("\t")]
    return len(cells) >= 2 and cells[0] == "ประเด็น" and cells[1].startswith("รายละเอียด")


def _is_scoring_header(line: str) -> bool:
    compact = _compact(line)
    if compact.startswith("ระดับความสำเร็จ"):
        return "เกณฑ์" in compact or "ร้อยละ" in compact
    # OCR may run the title above into it: "เกณฑ์การให้คะแนน “…” ระดับความสำเร็จ เกณฑ์…"
    return compact.startswith("เกณฑ์การให้คะแนน") and "ระดับความสำเร็จเกณฑ์" in compact


def _table_bounds(lines: list[str]) -> tuple[int, int]:
    """0-based indexes of the first table header and of the scoring table header."""
    table = next((i for i, line in enumerate(lines) if _is_table_header(line)), len(lines))
    scoring = next(
        (i for i in range(len(lines)) if "\t" in lines[i] and _is_scoring_header(lines[i])),
        None,
    )
    if scoring is None:
        scoring = next(
            (i for i in range(table, len(lines)) if _is_scoring_header(lines[i])), len(lines)
        )
    return table, scoring


_HEADER_KEYS = {
    "รายละเอียด": "title",
    "รหัส": "code",
    "ชื่อ": "name",
    "หน่วยงานผู้รับผิดชอบหลัก": "host",
    "ด้าน": "aspect",
    "ประเด็นการพัฒนา": "issue",
    "ลักษณะหน่วยงานที่รับผิดชอบ": "responsibility",
}


def _header_key(label: str) -> str:
    return next(key for prefix, key in _HEADER_KEYS.items() if label.startswith(prefix))


def _header_fields(lines: list[str], res: _Result) -> None:
    """Labelled fields above the table; unlabelled lines continue the field above."""
    last = None
    for no, line in enumerate(lines, 1):
        if not line.strip():
            continue
        labels = list(_HEADER_LABEL.finditer(line)) if _may_have_label(line) else []
        if not labels:
            last = _continue_field(last, line, no, res)
            continue
        if labels[0].start() > 0 and last:
            _continue_field(last, line[: labels[0].start()], no, res)
        for k, m in enumerate(labels):
            nxt = labels[k + 1] if k + 1 < len(labels) else None
            last = _header_key(m.group())
            value = line[m.end() : nxt.start() if nxt else len(line)]
            if last == "title":
                value = line[m.start() : nxt.start() if nxt else len(line)]
            _set_field(last, value, no, res)


# Every _HEADER_LABEL alternative holds one of these words.
_HEADER_WORDS = (
    "รายละเอียด", "รหัส", "ชื่อ", "หน่วยงานผู้รับผิดชอบหลัก", "ด้าน", "ประเด็นการพัฒนา",
    "ลักษณะหน่วยงานที่รับผิดชอบ",
)  # fmt: skip


def _may_have_label(line: str) -> bool:
    """Substring tests, cheaper than the label search on the many lines without a label."""
    return any(map(line.__contains__, _HEADER_WORDS))


def _set_field(key: str, value: str, no: int, res: _Result) -> None:
    value = _squash(value).lstrip(":").strip()
    if key == "host" and value.startswith("("):
        close = value.find(")")
        value = value[close + 1 :].lstrip(" :") if close >= 0 else value
    if key not in res.header:
        res.header[key] = ([value] if value else [], no)
    elif value:
        res.header[key][0].append(value)  # joined once at the end: no quadratic concatenation


def _continue_field(last: str | None, line: str, no: int, res: _Result) -> str | None:
    text = _squash(line)
    if not text or last is None:
        return last
    if last == "responsibility":
        boxes = _checkboxes(text, "ลักษณะหน่วยงานที่รับผิดชอบ", no)
        if boxes[0]:
            res.checkboxes.extend(boxes[0])
        else:
            res.attr("responsibility_option", text, no)
        return last
    _set_field(last, text, no, res)
    return last


def _header_values(res: _Result):
    fields = {key: (_join_wrapped(parts), no) for key, (parts, no) in res.header.items()}

    def get(key: str) -> str | None:
        return fields.get(key, ("", 0))[0] or None

    code_m = _CODE.match(to_arabic_digits(get("code") or ""))
    code = code_m.group(1) if code_m else None
    title = fields.get("title", ("", 0))
    res.attr("sheet_title", title[0], title[1] or None)
    m = _FISCAL_YEAR.search(title[0])
    fy = int(to_arabic_digits(m.group(1))) if m else res.target_fy
    return code, get("name"), fy, get("host"), get("aspect"), get("issue")


# --- the main table ---------------------------------------------------------------------------


def _table_rows(lines: list[str], start: int, end: int, res: _Result) -> list[_Row]:
    """Logical rows of the table; a row cut by a page break (the repeated header) is stitched."""
    rows: list[_Row] = []
    after_header = False
    for i in range(start, min(end, len(lines))):
        line, no = lines[i], i + 1
        if not line.strip():
            continue
        if _is_table_header(line):
            after_header = True
            continue
        if line.lstrip().startswith(_TABLE_END):
            break  # the signature block or the scoring title after the table
        cells = [c.strip() for c in line.split("\t")]
        if len(cells) == 1 and rows and not after_header and _row_kind(line) == "other":
            rows[-1].pending.append(("wrap", cells[0]))  # a long cell wrapped by the PDF
            continue
        for part in _split_merged(cells):
            _place(rows, part, no, after_header, res)
            after_header = False
    if rows:
        rows[-1].flush()
    return rows


def _split_merged(cells: list[str]) -> list[list[str]]:
    """Cut a line where a PDF extractor ran two rows together ("...</p> <label><TAB>...")."""
    parts: list[list[str]] = []
    current = [cells[0]]
    for k in range(1, len(cells)):
        cell = cells[k]
        cut = cell.rfind("</p>")
        tail = cell[cut + 4 :].strip() if cut >= 0 else ""
        if k < len(cells) - 1 and tail and _row_kind(tail) != "other":
            parts.append([*current, cell[: cut + 4]])
            current = [tail]
        else:
            current.append(cell)
    parts.append(current)
    return parts


def _place(rows: list[_Row], cells: list[str], no: int, after_header: bool, res: _Result) -> None:
    starts_row = bool(cells[0]) and (
        _row_kind(cells[0]) != "other" or (not after_header and len(cells) > 1)
    )
    if starts_row or not rows:
        if rows:
            rows[-1].flush()
        rows.append(_Row(_squash(cells[0]), no, [(no, cells)]))
    elif after_header:
        _stitch(rows[-1], cells, no, res)
    else:
        rows[-1].flush()
        rows[-1].lines.append((no, cells))


def _stitch(row: _Row, cells: list[str], no: int, res: _Result) -> None:
    """Queue the continued cells for the row's last line (joined once, by ``flush``)."""
    row.pending.append(("page", " ".join(c for c in cells if c)))
    res.anomaly("row_stitched", no, line=no, row_line=row.lines[-1][0])


def _html_text(text: str) -> str:
    """Cell HTML to text: paragraphs and <br> become line breaks, other tags go."""
    if "<" in text:  # every tag pattern starts with "<"; most cells have none
        text = _LINE_BREAK_TAG.sub("\n", _PARA_BREAK.sub("\n", text))
        text = _TAG.sub("", text)
    text = html.unescape(text).replace("\u00a0", " ")
    return "\n".join(s for s in (_squash(part) for part in text.split("\n")) if s)


def _checkboxes(cell: str, group: str, no: int) -> tuple[list[Checkbox], str]:
    """Checkbox rows of a cell and the text that belongs to none of them."""
    marks = [(m, "checked" in m.group().lower()) for m in _INPUT.finditer(cell)]
    if not marks:
        marks = [(m, m.group() in _CHECKED_BOX) for m in _BOX.finditer(cell)]
    boxes: list[Checkbox] = []
    rest = [cell[: marks[0][0].start()]] if marks else [cell]
    for k, (m, checked) in enumerate(marks):
        end = marks[k + 1][0].start() if k + 1 < len(marks) else len(cell)
        segment = cell[m.end() : end]
        cut = _label_end(segment)
        label = " ".join(_html_text(segment[:cut]).split("\n"))
        if label:
            boxes.append(Checkbox(_squash(group), label, checked, no))
        rest.append(segment[cut:])
    return boxes, _html_text(" ".join(rest))


def _label_end(segment: str) -> int:
    low = segment.lower()
    cuts = [p for p in (low.find("</p>"), low.find("<p")) if p >= 0]
    return min(cuts) if cuts else len(segment)


def _apply_row(row: _Row, res: _Result) -> None:
    kind = row.kind
    if kind == "target":
        res.target = _target(_row_value(row))
        m = _FISCAL_YEAR.search(row.label)
        res.target_fy = int(to_arabic_digits(m.group(1))) if m else None
    elif kind in ("definition", "calculation"):
        res.attr(kind, _html_text("\n".join(_all_cells(row))), row.line_no)
    elif kind == "agency_targets":
        _agency_targets(row, _row_value(row), res)
    elif kind in _CHECKBOX_ROWS:
        for no, cells in row.lines:
            boxes, rest = _checkboxes(
                " ".join(cells[1:] if no == row.line_no else cells), row.label, no
            )
            res.checkboxes.extend(boxes)
            res.attr(f"{kind}_note", rest, no)
    elif kind == "coordinator":
        for no, cells in row.lines:
            cell_text = " ".join(cells[1:] if no == row.line_no else cells)
            if no == row.line_no and not cell_text.strip():
                cell_text = _after_row_label(cells[0])
            _coordinator(_html_text(cell_text).replace("\n", " "), no, res)
    else:
        res.attr(
            "table_row",
            f"{row.label}\t{_html_text(' '.join(_all_cells(row)))}".strip(),
            row.line_no,
        )


def _row_value(row: _Row) -> str:
    # Only two row kinds read it: built on demand, not for every row.
    return _html_text("\n".join(row.value_cells()))


def _all_cells(row: _Row) -> Iterator[str]:
    for no, cells in row.lines:
        yield from (c for c in (cells[1:] if no == row.line_no else cells) if c)


def _target(value: str) -> tuple[float | None, str | None]:
    """'ค่าเป้าหมาย : ๑ หน่วยนับ : ฉบับ' -> (1.0, 'ฉบับ'); '๑๐ ย่าน' -> (10.0, 'ย่าน')."""
    text = to_arabic_digits(value)
    unit = None
    cut = text.find("หน่วยนับ")
    if cut >= 0:
        unit = text[cut + len("หน่วยนับ") :].strip(" :\t\n").split("\n")[0].strip() or None
        text = text[:cut]
    m = _NUMBER.search(text)
    number = parse_number(m.group()) if m else None
    if unit is None and m:
        unit = text[m.end() :].strip(" :\t\n").split(" ")[0] or None
    if unit is None and m:  # "ค่าเป้าหมาย : ร้อยละ 100": the unit comes first
        words = text[: m.start()].replace(":", " ").split()
        unit = words[-1] if words and not words[-1].endswith("เป้าหมาย") else None
    return (float(number) if number is not None else None), unit


def _agency_targets(row: _Row, value: str, res: _Result) -> None:
    unit = _target(value)[1]
    res.attr("agency_target_unit", unit, row.line_no)
    for no, cells in row.lines[1:]:
        filled = [_html_text(c) for c in cells if c.strip()]
        if not filled or _compact(filled[0]).startswith("ชื่อหน่วยงาน"):
            continue
        if len(filled) == 1:
            res.attr("note", filled[0].replace("\n", " "), no)
            continue
        res.attr("responsible_agency", filled[0].replace("\n", " "), no)
        res.attr("responsible_target", filled[1].replace("\n", " "), no)
        res.attr("responsible_role", "\n".join(filled[2:]), no)


def _after_row_label(cell: str) -> str:
    """The contact in the label cell of a coordinator row whose tab OCR lost ("ผู้ประสานงาน
    หลัก/ ... (ระดับส่วนกลาง) ชื่อ X ตำแหน่ง Y"): from its name label on; "" without one."""
    names = [m for m in _CONTACT_LABEL.finditer(cell) if m.group(1).startswith("ชื่อ")]
    return cell[names[0].start() :] if names else ""


def _coordinator(text: str, no: int, res: _Result) -> None:
    """'ชื่อ X ตำแหน่ง Y หมายเลขโทรศัพท์ Z ส่วนราชการ W หน่วยงาน V' -> Contact."""
    labels = list(_CONTACT_LABEL.finditer(text))
    fields: dict[str, str] = {}
    for k, m in enumerate(labels):
        nxt = labels[k + 1] if k + 1 < len(labels) else None
        key = m.group(1).lower()
        key = "phone" if key.startswith(("หมายเลข", "โทร")) else key
        key = "name" if key.startswith("ชื่อ") else key
        value = text[m.end() : nxt.start() if nxt else len(text)].strip(" :\t")
        fields.setdefault(key, value)
    if not fields.get("name") and not fields.get("phone"):
        if text.strip():
            res.attr("table_row", f"coordinator\t{text.strip()}", no)
        return
    res.attr("coordinator_division", fields.get("ส่วนราชการ"), no)
    for phone in phones_in(fields.get("phone", "")) or (None,):  # one row per number
        res.contacts.append(
            Contact(
                name=fields.get("name") or None,
                position=fields.get("ตำแหน่ง") or None,
                phone=phone.raw if phone else None,
                agency=fields.get("หน่วยงาน") or None,
                line_no=no,
                phone_digits=phone.digits if phone else None,
            )
        )


# --- scoring table ----------------------------------------------------------------------------


def _scoring(lines: list[str], start: int, res: _Result) -> list[SuccessLevel]:
    """Rows "level<TAB>pct<TAB>description<TAB>score" under the scoring header, level 1 first."""
    for i in range(max(0, start - 4), min(start, len(lines))):
        if "เกณฑ์การให้คะแนน" in lines[i]:
            res.attr("scoring_title", _squash(lines[i]), i + 1)
    rows: list[list] = []  # [level, pct, description parts, score, line_no]
    follows_row = False
    for i in range(start + 1, len(lines)):
        line = lines[i]
        if not line.strip():
            follows_row = False
            continue
        row = _level_row(line)
        if row is not None:
            rows.append([row[0], row[1], [row[2]] if row[2] else [], row[3], i + 1])
            follows_row = True
        elif rows and "\t" not in line and (follows_row or _row_next(lines, i + 1)):
            # a description wrapped by the PDF; OCR may put a blank line before the wrap
            rows[-1][2].append(_squash(line))
        elif not rows and i - start <= _HEADER_WRAP and _header_wrap(line):
            continue  # the header's last words wrapped onto a line of their own
        else:
            break
    else:
        res.scoring_to_end = True
    levels = []
    for level, pct, parts, score, no in rows:
        levels.append(SuccessLevel(level, pct, _join_wrapped(parts) or None, no))
        if score:
            res.attr("score_received", f"{level}: {score}", no)
    return sorted(levels, key=lambda lv: lv.level)


_HEADER_WRAP = 3  # lines under the scoring header its wrapped words may take


def _header_wrap(line: str) -> bool:
    """A short line of words without a digit under the scoring header ("คะแนนที่ได้รับ")."""
    return len(line.strip()) <= 30 and not _ANY_DIGIT.search(line)


def _pct_and_text(cell: str) -> list[str]:
    """A percentage cell run into the description after it ("๑๐๐สรุปรายงาน", "co จัดทำ")."""
    m = _PCT_THEN_TEXT.match(cell)
    if m:
        return [m["pct"], m["text"]]
    return cell.split(" ", 1) if " " in cell else [cell, ""]


def _row_next(lines: list[str], i: int) -> bool:
    """Whether the next line with text from ``lines[i]`` on is a scoring row."""
    following = next((line for line in lines[i:] if line.strip()), "")
    return _level_row(following) is not None


def _level_row(line: str) -> tuple[int, float | None, str, str] | None:
    if "\t" in line:
        cells = [c.strip() for c in line.split("\t")] + ["", "", ""]
        level = to_arabic_digits(cells[0])
        if not (len(level) == 1 and level in "12345"):
            return None
        if not cells[2]:  # OCR lost the tab after the percentage
            cells[1:3] = _pct_and_text(cells[1])
        elif not _NUMBER_CELL.fullmatch(cells[1]):  # ... and read one inside the description
            cell, text = _pct_and_text(cells[1])
            if text and _NUMBER_CELL.fullmatch(cell):
                cells[1:3] = [cell, f"{text} {cells[2]}"]
        pct = parse_number(cells[1]) if _NUMBER_CELL.fullmatch(cells[1]) else None
        pct = pct if pct is None or pct <= 100 else None  # "6๔๐" for ๔๐: no percentage
        return int(level), (float(pct) if pct is not None else None), _squash(cells[2]), cells[3]
    m = _LEVEL_ROW.match(line)
    if not m:
        return None
    pct = parse_number(m.group(2))
    number = int(to_arabic_digits(m.group(1)))
    return number, (float(pct) if pct is not None else None), _squash(m.group(3)), ""


# --- checks -----------------------------------------------------------------------------------


def _check(res: _Result, rows: list[_Row], levels: list[SuccessLevel], has_scoring: bool) -> None:
    kinds = {row.kind for row in rows}
    parts = (
        ("name", "the KR name (รหัส ... ชื่อ KRs)", "name" in res.header),
        ("host", "the host agency (หน่วยงานผู้รับผิดชอบหลัก)", "host" in res.header),
        ("table", "the detail table (ประเด็น / รายละเอียด)", bool(rows)),
        ("target", "the target row (ค่าเป้าหมายรวม)", "target" in kinds),
        ("coordinator", "the coordinator row (ผู้ประสานงานหลัก)", "coordinator" in kinds),
        ("scoring", "the scoring table (เกณฑ์การให้คะแนน)", has_scoring),
    )
    for key, label, present in parts:
        if not present:
            res.anomaly("missing_section", None, "sheet", key=key, label=label)
    _check_levels(res, levels, has_scoring)


def _check_levels(res: _Result, levels: list[SuccessLevel], has_scoring: bool) -> None:
    numbers = [lv.level for lv in levels]
    written = [lv.level for lv in sorted(levels, key=lambda lv: lv.line_no or 0)]
    # A scale written top down to level 1 (๓ ๒ ๑) is complete, however many levels it has.
    down_to_one = written == list(range(len(written), 0, -1)) and len(written) >= 2
    # The scoring table is the last part: missing, or cut short where the text ends.
    if not has_scoring or (len(numbers) < 5 and res.scoring_to_end and not down_to_one):
        res.anomaly("truncated_document", None, "sheet", found=len(numbers))
    if numbers and numbers != list(range(1, max(len(numbers), 3) + 1)):
        res.anomaly("success_levels_incomplete", levels[0].line_no, "sheet", numbers=numbers)
    if res.fiscal_year is not None and res.target_fy not in (None, res.fiscal_year):
        res.anomaly("fiscal_year_mismatch", None, fy=res.fiscal_year, other=res.target_fy)
