"""Indicators with a target and/or a result, wherever a generic text states them.

Two shapes:

- labelled: "ชื่อตัวชี้วัด : X" (or "ตัวชี้วัด : X", "3. ตัวชี้วัด X") followed by
  "ค่าเป้าหมาย / เป้าหมาย / เกณฑ์ (ร้อยละ) : 80" and "ผลงาน / ผลการดำเนินงาน / ผลงานที่ทำได้ : 85";
  a target or result with no indicator label before it belongs to the line above it (a
  unit page's indicator name) or, failing that, to the page's title;
- table rows: an indicator name (ร้อยละ…, อัตรา…, จำนวน…) followed, on its line or the
  next lines, by the row's numbers: the target (a "≥ 5%" criterion in the row or the name,
  else the first number), then the result: the third value after the target when the row
  has a "denominator, numerator, rate" triple, else the first value after the target.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from parsers.generic.lines import GLine
from parsers.model import Attribute, Indicator

_E = r"[ ]?[:：][ ]?"
_NAME_LABEL = re.compile(
    rf"^(?:\d{{1,2}}\.(?:\d{{1,2}}\.?)*[ ]?)?(?:ชื่อตัวชี้วัด(?:{_E}|[ ]|(?=[ก-ฮเ-ไ]))"  # or glued to it
    rf"|ตัวชี้วัด(?:ที่[ ]?[\w.-]+)?(?:{_E}"
    r"|(?<=\d\. ตัวชี้วัด)[ ]))(?P<name>\S.{3,})$"
)
# "(ร้อยละ)", "%", "(ฉบับ)", or a unit word before the colon ("ค่าเป้าหมาย เล่ม : 1")
_UNIT = r"(?P<unit>ร้อยละ|\(?[%]\)?|\([^)]{1,12}\)|(?<=[ ])[\u0e01-\u0e4e]{1,6}(?=[ ]?[:：]))?"
_TARGET_LABEL = re.compile(
    r"(?:^|[ ])(?:ค่าเป้าหมาย|เป้าหมาย(?:ปีงบประมาณ)?|เกณฑ์(?:เป้าหมาย)?|target)[ ]?" + _UNIT + _E,
    re.IGNORECASE,
)
_RESULT_LABEL = re.compile(
    r"(?:^|[ ])(?:ผลงานที่ทำได้|ผลการดำเนินงาน|ผลงาน|ผลลัพธ์|result)[ ]?" + _UNIT + _E,
    re.IGNORECASE,
)
_UNIT_LABEL = re.compile(r"^(?:หน่วยนับ|หน่วยวัด|หน่วยตัวชี้วัด)" + _E + r"(?P<unit>\S.*)$")
_NUMBER = re.compile(r"(?<![\d.])\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\d.])\d+(?:\.\d+)?")
_COMPARATOR = re.compile(
    r"(?P<cmp>≥|≤|>=|<=|ไม่น้อยกว่า|ไม่ต่ำกว่า|ไม่เกิน|อย่างน้อย)[ ]?(?:ร้อยละ[ ]?)?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)[ ]?(?P<unit>%|ร้อยละ)?"
)
# "ร้อยละ 60 หญิงตั้งครรภ์…", "… (ร้อยละ 12)", "… ได้รับการแก้ไข ร้อยละ 80"
_NAME_TARGET = re.compile(
    r"^ร้อยละ[ ]?(?P<num>\d+(?:\.\d+)?)[ ]|\(ร้อยละ[ ]?(?P<n2>\d+(?:\.\d+)?)\)$"
    r"|[ ]ร้อยละ[ ]?(?P<n3>\d+(?:\.\d+)?)$"
)
# "… เพื่อแก้ไขปัญหา… ตัวชี้วัด : ผู้สูงอายุ… ร้อยละ 80": an indicator labelled inside a line
_INLINE_NAME = re.compile(r"[ ]ตัวชี้วัด[ ]?[:：][ ]?(?P<name>\S.{11,})$")
_ITEM = re.compile(r"^[0-9๐-๙]{1,2}(?:\.[0-9๐-๙]{1,2})*\.?[ ]")  # "๑. ", "1.2 "
_CODE_END = re.compile(r"[ ]?[:：][ ]?\d[\d-]*$")  # "… : 88", the indicator's number
_ROW_NAME = re.compile(
    r"^[/x✓✗•*\-–]*[ ]?(?:\(?\d{1,2}(?:\.\d{1,2})*\.?\)?[ ]?)?(?:0\d{3,5}[ ])?"  # "1 0101 "
    r"(?P<name>(?:ร้อยละ|อัตรา|จำนวน|ระดับ|สัดส่วน|ความสำเร็จ|ค่าเฉลี่ย|ค่าดัชนี|หญิง|เด็ก|ผู้ป่วย"
    r"|(?:ไม่น้อยกว่า|ไม่ต่ำกว่า|ไม่เกิน)ร้อยละ).{10,})$"
)
# A table's column heading ("จำนวน ร้อยละ จำนวน ร้อยละ …") names no indicator.
_HEADER_WORDS = frozenset(
    ("จำนวน", "ร้อยละ", "อัตรา", "ระดับ", "สัดส่วน", "ผลงาน", "เป้าหมาย", "รวม", "คะแนน")
)
_MIN_NAME = 12
_CODE = re.compile(r"0\d+")
_CHECKPOINT = re.compile(r"รอบ[ ]?(?P<m>3|6|9|12)[ ]?เดือน")
_MAX_ROW_LINES = 40  # a row's numbers written one cell per line (a capture of a web table)
# A grid row whose cells ran together: the name (after a "KPI 3.4.1.3 :" / "OKR 6.2.1" item
# label) and two or three glued numbers of two decimals each, under a target-then-result
# heading a few lines above.
_CELL = re.compile(r"\d{1,3}(?:,\d{3})+\.\d\d|\d+?\.\d\d")
_GLUED_ROW = re.compile(
    r"^[-•*]?[ ]?(?:(?:KPI|OKR)[ ]?\d+(?:\.\d+)*[ ]?[:：]?[ ]?)?(?P<name>[^\d\s].{9,}?)"
    r"(?P<cells>(?:\d{1,3}(?:,\d{3})+\.\d\d|\d+?\.\d\d){2,3})$"
)
_GRID_HEADING = re.compile(r"(?:ค่า)?เป้าหมาย[ ]?ผล(?:การดำเนินงาน|งาน)")
_GRID_REACH = 6  # rows of a grid read under its heading


@dataclass
class _Open:
    name: str | None
    line_no: int
    target: float | None = None
    unit: str | None = None
    achieved: float | None = None

    def record(self, fallback: str | None) -> Indicator | None:
        name = self.name or fallback
        if name is None:
            return None
        return Indicator(
            None, name, None, None, self.target, self.unit, self.achieved, self.line_no
        )


def read_indicators(
    lines: Sequence[GLine], title: str | None
) -> tuple[tuple[Indicator, ...], tuple[Attribute, ...]]:
    """The indicators of ``lines`` (labelled, then table rows) and the checkpoint attributes."""
    labelled = _labelled(lines, title)
    rows = _table_rows(lines, {i.name for i in labelled})
    glued = _glued_rows(lines, {i.name for i in labelled + rows})
    return tuple(labelled + rows + glued), tuple(_checkpoints(lines))


def _labelled(lines: Sequence[GLine], title: str | None) -> list[Indicator]:
    found: list[Indicator] = []
    current: _Open | None = None
    previous: GLine | None = None
    for ln in lines:
        if ln.noise:
            continue
        if m := _NAME_LABEL.match(ln.text):
            _close(current, found, title)
            current = _Open(ln.raw[m.start("name") :].strip(), ln.no)
        elif inline := _inline(ln):
            _close(current, found, title)
            current = inline
        elif target := _labelled_value(_TARGET_LABEL, ln.text):
            current = _opened(current, previous, ln, "target", found, title)
            current.target, current.unit = target[0], current.unit or target[1]
        elif result := _labelled_value(_RESULT_LABEL, ln.text):
            current = _opened(current, previous, ln, "achieved", found, title)
            current.achieved = result[0]
        elif (m := _UNIT_LABEL.match(ln.text)) and current is None:
            current = _Open(_plain(previous), ln.no, unit=m["unit"].strip())
        if not _is_label(ln.text):
            previous = ln
    _close(current, found, title)
    return found


def _opened(
    current: _Open | None,
    previous: GLine | None,
    ln: GLine,
    field: str,
    found: list[Indicator],
    title: str | None,
) -> _Open:
    """The indicator a target/result line belongs to: the open one unless it has that value."""
    if current is not None and getattr(current, field) is None:
        return current
    _close(current, found, title)
    return _Open(_plain(previous), ln.no)


def _close(current: _Open | None, found: list[Indicator], title: str | None) -> None:
    if current is not None and (record := current.record(title)) is not None:
        found.append(record)


def _inline(ln: GLine) -> _Open | None:
    """An indicator labelled inside a line, when its name states its target."""
    m = _INLINE_NAME.search(ln.text)
    if not m:
        return None
    name = ln.raw[m.start("name") :].strip()
    target, unit, _ = _criterion(m["name"], "")
    return _Open(name, ln.no, target, unit) if target is not None else None


def _plain(ln: GLine | None) -> str | None:
    """The line above a target or result as the indicator's name, without its item number
    ("๑. ") or its number at the end ("… : 88")."""
    if ln is None or not ln.thai or len(ln.text) < 8:
        return None
    return _CODE_END.sub("", _ITEM.sub("", ln.raw)).strip() or None


def _is_label(text: str) -> bool:
    head = text.split(":", 1)[0]
    return ":" in text and len(head) <= 40


def _labelled_value(pattern: re.Pattern[str], text: str) -> tuple[float, str | None] | None:
    m = pattern.search(text)
    if not m:
        return None
    rest = text[m.end() :]
    cmp = _COMPARATOR.match(rest)
    num = cmp or _NUMBER.match(rest.lstrip("ร้อยละ "))
    if not num:
        return None
    value = float((cmp["num"] if cmp else num.group()).replace(",", ""))
    unit = m["unit"] or (cmp["unit"] if cmp else None)
    if unit and unit.strip("()") == "%":
        unit = "ร้อยละ"
    return value, (unit.strip("()") if unit else None)


# ------------------------------------------------------------------- table rows


def _table_rows(lines: Sequence[GLine], taken: set[str | None]) -> list[Indicator]:
    found: list[Indicator] = []
    for k, ln in enumerate(lines):
        m = _ROW_NAME.match(ln.text) if not ln.noise and not _is_label(ln.text) else None
        if not m:
            continue
        row = _row(m["name"], lines, k, ln.raw[m.start("name") :])
        if row is not None and row.name not in taken:
            found.append(row)
    return found


def _row(text: str, lines: Sequence[GLine], k: int, written: str) -> Indicator | None:
    """The indicator of a row whose name starts ``text`` (``written``: the same with its
    digits as written)."""
    name, tail = _split_name(text)
    if len(name) < _MIN_NAME or set(name.split()) <= _HEADER_WORDS:
        return None  # "ระดับคะแนน 1 2 3 4 5": a scale; "จำนวน ร้อยละ …": a column heading
    target, unit, tail = _criterion(name, tail)
    slots = _slots(tail)
    if slots is None:
        return None
    if not _count(slots):
        slots = _following_slots(lines, k)
    if not _count(slots) and target is None:
        return None
    if target is None:
        target, slots = slots[0], slots[1:]
    elif slots and slots[0] == target:
        slots = slots[1:]  # the row repeats its criterion in a target column
    name = written[: len(name)]
    return Indicator(None, name, None, None, target, unit, _result(slots), lines[k].no)


def _split_name(text: str) -> tuple[str, str]:
    """The name and the values after it: split at a criterion or at a run of two or more
    numbers ("… ≥ 5% HDC 3,736 328 8.78 กลุ่มงาน…", "… 85 57.24"); a lone number with its
    unit is part of the name ("… น้อยกว่า 2,500 กรัม")."""
    cut = _COMPARATOR.search(text)
    if cut and _count(_slots(text[cut.end() :])) >= 2:
        return text[: cut.start()].strip(), text[cut.start() :].strip()
    words = text.split(" ")
    for i in range(1, len(words)):
        if _NUMBER.fullmatch(words[i]) and _count(_slots(" ".join(words[i:]))) >= 2:
            return " ".join(words[:i]).strip(), " ".join(words[i:])
    return text.strip(), ""


def _count(slots: list[float | None] | None) -> int:
    return sum(s is not None for s in slots) if slots else 0


def _criterion(name: str, tail: str) -> tuple[float | None, str | None, str]:
    """A "≥ 5%" criterion at the head of the values, or a rate criterion in the name
    ("…ไม่เกินร้อยละ 16", "ร้อยละ 60 หญิงตั้งครรภ์…", "… (ร้อยละ 12)")."""
    if m := _COMPARATOR.match(tail):
        unit = "ร้อยละ" if m["unit"] or "ร้อยละ" in m.group() else None
        return float(m["num"].replace(",", "")), unit, tail[m.end() :]
    for m in _COMPARATOR.finditer(name):
        if "ร้อยละ" in m.group() or m["unit"]:
            return float(m["num"].replace(",", "")), "ร้อยละ", tail
    if m := _NAME_TARGET.search(name):
        return float(m["num"] or m["n2"] or m["n3"]), "ร้อยละ", tail
    return None, None, tail


def _slots(text: str) -> list[float | None] | None:
    """The numbers of a run of value cells ("-" is an empty cell); None when the text is
    prose (a long word before three numbers were read)."""
    slots: list[float | None] = []
    for word in text.replace("|", " ").split():
        if _CODE.fullmatch(word):
            break  # "002": the next row's item code, not a value
        if _NUMBER.fullmatch(word):
            slots.append(float(word.replace(",", "")))
        elif word in ("-", "–"):
            slots.append(None)
        elif len(word) > 8 and not word.isascii():
            return slots if len(slots) >= 3 else None
    return slots


def _following_slots(lines: Sequence[GLine], k: int) -> list[float | None]:
    slots: list[float | None] = []
    for ln in lines[k + 1 : k + 1 + _MAX_ROW_LINES]:
        if not ln.text:
            continue
        if _ROW_NAME.match(ln.text):
            break  # the next row: its item number ("2 0103 …") is not this row's value
        more = _slots(ln.text)
        if more is None or (not more and ln.thai and len(ln.text) > 8):
            break
        slots.extend(more)
    return slots


def _result(slots: Sequence[float | None]) -> float | None:
    """The row's result: the third value of a (denominator, numerator, rate) triple, else
    the first value."""
    if len(slots) >= 3:
        return slots[2]
    return slots[0] if slots else None


def _glued_rows(lines: Sequence[GLine], taken: set[str | None]) -> list[Indicator]:
    """Rows of a web grid whose cells ran together, under a heading that names the target
    first and the result next ("ค่าเป้าหมายผลการดำเนินงาน"): "-KPI 3.4.1.3 : จำนวนโรงเรียน…
    โรงเรียน437.00437.00100.00" (target, result, progress), each cell with two decimals."""
    found: list[Indicator] = []
    heading = -_GRID_REACH
    for k, ln in enumerate(lines):
        if _GRID_HEADING.search(ln.text):
            heading = k
        m = _GLUED_ROW.match(ln.text) if k - heading <= _GRID_REACH else None
        if not m:
            continue
        cells = [float(c.replace(",", "")) for c in _CELL.findall(m["cells"])]
        name = ln.raw[m.start("name") : m.end("name")].strip()
        if name not in taken and len(name) >= _MIN_NAME:
            found.append(Indicator(None, name, None, None, cells[0], None, cells[1], ln.no))
    return found


def _checkpoints(lines: Sequence[GLine]) -> list[Attribute]:
    """The targets under the first "รอบ 3 เดือน รอบ 6 เดือน …" heading that has any."""
    for k, ln in enumerate(lines[:-1]):
        months = _CHECKPOINT.findall(ln.text)
        if len(months) < 2:
            continue
        values = re.findall(r"\S.*?(?= [\d-]|$)", lines[k + 1].text)
        cells = [v.strip() for v in values]
        if len(cells) != len(months) or all(c in ("-", "–") for c in cells):
            continue
        no = lines[k + 1].no
        return [Attribute(f"checkpoint_{m}m", c, no) for m, c in zip(months, cells, strict=True)]
    return []
