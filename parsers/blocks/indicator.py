"""The lines of a KPI block: the indicator header (target, result, type, result level),
the สยป. assessment line and the strategy path lines."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from normalize import to_arabic_digits
from parsers.blocks.lines import NUM, Line, bare, to_float
from parsers.model import (
    Assessment,
    Attribute,
    StrategyLink,
)

# ------------------------------------------------------------------ indicator header

# "ค่าเป้าหมาย ร้อยละ : 90", "ค่าเป้าหมาย(ร้อยละ) : 90", "ค่าเป้าหมาย ร้อยละ 90" (no colon).
_VALUE = (
    r"[ ]?\(?(?P<unit>[^:\d()]{0,40}?)\)?"
    r"(?:[ ]?:[ ]?(?P<num>[\d,.]*\d)?|[ ](?P<bare>\d[\d,.]*))"
)
_TARGET = re.compile(rf"ค่าเป้าหมาย{_VALUE}")
_ACHIEVED = re.compile(rf"ผลงานที่ทำได้{_VALUE}")
_TYPE = re.compile(r"ประเภทตัวชี้วัด[ ]?:[ ]?(?P<type>.*)")
_LEVEL_EN = re.compile(r"\((?P<level>output|outcome)\)", re.IGNORECASE)
_LEVEL_TH = re.compile(r"ตัวชี้วัดระดับ(?P<level>ผลลัพธ์|ผลผลิต)")
# What a header line starts with, or holds for its result level ("(outcome)" or the Thai).
_HEADER_STARTS = ("ค่าเป้าหมาย", "ผลงานที่ทำได้", "ประเภทตัวชี้วัด")
_LEVEL_WORD = "ตัวชี้วัดระดับ"
_LEVEL_PART = re.compile(r"\(?ตัวชี้วัดระดับ[^\n]*$|\((?:output|outcome)\)\)?$", re.IGNORECASE)


@dataclass(frozen=True)
class IndicatorHeader:
    """Target, result, type and result level of an indicator, with the first line seen."""

    target_value: float | None = None
    target_unit: str | None = None
    achieved_value: float | None = None
    achieved_unit: str | None = None
    indicator_type: str | None = None
    result_level: str | None = None
    line_no: int | None = None
    last_line_no: int | None = None


def parse_indicator_header(lines: Sequence[Line]) -> IndicatorHeader | None:
    """The indicator header among ``lines``; None when none of its lines is there.

    >>> h = parse_indicator_header([Line(1, "ค่าเป้าหมาย ร้อยละ : 90"),
    ...     Line(2, "ผลงานที่ทำได้ ร้อยละ : 70"), Line(3, "ประเภทตัวชี้วัด : เชิงยุทธศาสตร์"),
    ...     Line(4, "(ตัวชี้วัดระดับผลลัพธ์ (outcome))")])
    >>> (h.target_value, h.target_unit, h.achieved_value, h.result_level, h.last_line_no)
    (90.0, 'ร้อยละ', 70.0, 'outcome', 4)
    """
    fields: dict[str, object] = {}
    seen: list[int] = []
    for ln in lines:
        text = bare(ln.text)
        if not text.startswith(_HEADER_STARTS) and "(" not in text and _LEVEL_WORD not in text:
            continue  # _header_line cannot match it (substring tests are much cheaper)
        if _header_line(to_arabic_digits(text), fields):
            seen.append(ln.no)
    if not seen:
        return None
    return IndicatorHeader(**fields, line_no=seen[0], last_line_no=seen[-1])  # type: ignore[arg-type]


def _header_line(text: str, fields: dict[str, object]) -> bool:
    m = _TARGET.match(text)
    if m and "target_value" not in fields:
        fields["target_value"] = to_float(m["num"] or m["bare"])
        fields["target_unit"] = m["unit"].strip() or None
        return True
    m = _ACHIEVED.match(text)
    if m and "achieved_value" not in fields:
        fields["achieved_value"] = to_float(m["num"] or m["bare"])
        fields["achieved_unit"] = m["unit"].strip() or None
        return True
    m = _TYPE.match(text)
    if m and "indicator_type" not in fields:
        kind = _LEVEL_PART.sub("", m["type"]).strip()  # the level, when on the same line
        fields["indicator_type"] = kind or None
        _level(text, fields)
        return True
    return "result_level" not in fields and _level(text, fields)


def _level(text: str, fields: dict[str, object]) -> bool:
    m = _LEVEL_EN.search(text)
    if m:
        fields["result_level"] = m["level"].lower()
        return True
    m = _LEVEL_TH.search(text)
    if m:
        fields["result_level"] = "outcome" if m["level"] == "ผลลัพธ์" else "output"
        return True
    return False


# ------------------------------------------------------------------------ assessment

# OCR keeps tabs for wide gaps and misreads a letter of ไตรมาส (ไตรมาลสที่)
_ASSESS = re.compile(
    rf"สยป\.?[ \t]?(?:ตรวจ)?[ \t]?ประเมิน\S{{0,20}}[ \t]?:?[ \t]?ไตรมา[ก-๎]{{1,3}}?[ ]?ที่[ \t]?"
    rf"(?P<q>\d)[ \t]?:?[ \t]?(?P<score>{NUM})?"
)


def parse_assessment(line: Line) -> Assessment | None:
    """The "*** สยป. ตรวจประเมินตัวชี้วัด : ไตรมาสที่ 1: 100" line; a blank score is None.

    >>> parse_assessment(Line(18, "*** สยป. ประเมินโครงการ : ไตรมาสที่ 3"))
    Assessment(quarter=3, score=None, line_no=18, page=None)
    """
    if "สยป" not in line.text:
        return None
    m = _ASSESS.search(to_arabic_digits(line.text))
    if not m:
        return None
    quarter = int(m["q"])
    return Assessment(quarter if 1 <= quarter <= 4 else None, to_float(m["score"]), line_no=line.no)


# -------------------------------------------------------------------- strategy paths

_STRATEGY = re.compile(
    r"(?:[^:\d]{0,40}:)?[ ]?(?:ด้านที่[ ]?)?(?P<path>\d{1,2}(?:\.\d{1,2}){0,5})(?![\d,])"
    r"\.?[ ]?(?:[-–:][ ]?)?(?P<name>.*)"
)


def parse_strategy_line(line: Line) -> StrategyLink | None:
    """A strategy path line (":๕.๔ - การเมืองสีขาว") as a link; None for other lines.

    >>> parse_strategy_line(Line(78, ":๕.๔ - การเมืองสีขาว"))
    StrategyLink(path='5.4', name='การเมืองสีขาว', line_no=78, page=None)
    """
    text = to_arabic_digits(line.text)
    m = _STRATEGY.match(text)
    if not m:
        return None
    # Names are kept as written (Thai digits included); only the path is converted.
    name = line.text[m.start("name") :].strip().rstrip("%").strip() or None
    return StrategyLink(m["path"], name, line_no=line.no)


def parse_strategy_section(lines: Sequence[Line]) -> tuple[list[StrategyLink], list[Attribute]]:
    """The strategy lines under "สนับสนุนยุทธศาสตร์…": path links, and the other lines
    ("**** ภารกิจงานประจำของหน่วยงาน ****", often repeated) once each as ``strategy_note``."""
    links: list[StrategyLink] = []
    notes: list[Attribute] = []
    seen: set[str] = set()
    for ln in lines:
        if not ln.text:
            continue
        link = parse_strategy_line(ln)
        if link:
            links.append(link)
            continue
        note = ln.text.strip("*% ")
        if note and note not in seen:
            seen.add(note)
            notes.append(Attribute("strategy_note", note, ln.no))
    return links, notes
