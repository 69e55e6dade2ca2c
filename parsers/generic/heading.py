"""What any report states about itself: title, code, agency and fiscal year."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice, pairwise

from normalize import find_date_matches, fiscal_year
from parsers.generic.lines import GLine

_SHORT, _SHORT_NEXT = 25, 40  # a heading line that may go on, and what may follow it
_HEAD_LINES = 40  # the heading of a page is near its top: look no further for it
_HEAD_SCAN = 200  # ... counting lines of text: a cover may be mostly blank lines
_YEAR_LINE = 60  # a longer line's year (not in the title) is a paragraph's: a law it quotes
_MAX_TITLE = 200  # a longer line is a paragraph of the body, not a title
_OPENING = 120  # what stands for the title of a text of paragraphs only
_TWICE_WITHIN, _TWICE_MIN = 8, 12  # a headline printed twice: how near the top, how long
_INSTRUMENT = re.compile(
    r"พระราชบัญญัติ|พระราชกฤษฎีกา|พระราชกำหนด|กฎกระทรวง|ประกาศ|คำสั่ง|ระเบียบ|ข้อบัญญัติ"
    r"|เทศบัญญัติ|ข้อบังคับ|บันทึกข้อความ|รายงาน"
)
_GAZETTE_HEAD = re.compile(r"^(?:หน้า[ ]?[\d๐-๙]+[ ]?)?เล่ม[ ]?[\d๐-๙]+[ ]?ตอน(?:ที่)?[ ]?[\d๐-๙]+")
_LABEL_END = r"[ ]?[:：][ ]?"
# "2. ชื่อโครงการ X", "ชื่อตัวชี้วัด : X", "(ชื่อ)เรื่อง X", "ตัวชี้วัด : X" (bare ตัวชี้วัด needs a
# colon or an item number: "ตัวชี้วัด เกณฑ์ แหล่งข้อมูล" is a table heading).
_TITLE_LABEL = re.compile(
    r"^(?:(?P<item>\d{1,2}\.(?:\d{1,2}\.?)*)[ ]?)?"
    rf"(?:(?P<named>ชื่อตัวชี้วัด|ชื่อโครงการ(?:/กิจกรรม)?|ชื่อแผนงาน/โครงการ|(?:ชื่อ)?เรื่อง)"
    rf"(?:{_LABEL_END}|[ ])"
    r"|(?P<glued>ชื่อตัวชี้วัด|ชื่อโครงการ)(?=[\u0e01-\u0e2e\u0e40-\u0e44])"  # cells run together
    rf"|(?P<bare>ตัวชี้วัด(?:ที่[ ]?[\w.-]+)?|โครงการ|KPI)(?P<colon>{_LABEL_END}|[ ]))"
    r"(?P<value>\S.{2,})$"
)
# A form's label on a line of its own: its value is the next line ("1. ชื่อโครงการ/กิจกรรม").
_LABEL_ALONE = re.compile(
    r"^(?:\d{1,2}\.[ ]?)?(?:ชื่อตัวชี้วัด|ชื่อโครงการ(?:/กิจกรรม)?|ชื่อแผนงาน/โครงการ)[ ]?[:：]?$"
)
# "รหัสโครงการ 2568-L4135-02-06": a code stated by its label, when the title carries none
_CODE_LABEL = re.compile(
    r"(?:^|[ ])รหัส(?:โครงการ|ตัวชี้วัด)[ ]?[:：]?[ ]?(?P<code>[\dA-Za-z][\w-]*\d[\w-]*)(?=[ ]|$)"
)
_TITLE_CODE = re.compile(r"^(?P<title>.{4,}?) ?: ?(?P<code>[\d][\d-]{3,}[\d])$")
# "หน่วยงาน X", "คณะ/สำนัก/หน่วยงาน X" (a form's label offering alternatives)
_AGENCY_LABEL = re.compile(
    r"(?:^|[ ])(?:\d{1,2}\.[ ]?)?(?:[\u0e01-\u0e4e]{1,12}/){0,3}"
    r"(?:หน่วยงาน(?:ที่รับผิดชอบ|รับผิดชอบ)?|ส่วนราชการ"
    rf"|กลุ่มงานที่รับผิดชอบ|สังกัด)(?:{_LABEL_END}|[ ](?=\S))(?P<value>[^:|]+?)"
    r"(?=$|[ ]\S{2,25}[ ]?[:：])"
)
_DEFINES = re.compile(r"หมายความว่า|หมายถึง")
# An office's usual abbreviation, naming it when a place follows ("กศน.อำเภอมะนัง",
# "สพด.เชียงราย"); "สพด./ศูนย์ฯ" is a table heading's list of kinds of office.
_AGENCY_ABBR = r"(?:กศน|สกร|สพป|สพม|สสจ|สสอ|สพด)\.(?=[\u0e01-\u0e2e\u0e40-\u0e44])"
_AGENCY_WORD = re.compile(
    r"(?:^(?:คำสั่ง|ประกาศ|ระเบียบ|ของ)?|(?<=[ (\"“]))"  # "คำสั่งสำนักงาน…" names its issuer
    r"(?P<value>(?:สำนักงาน|สำนัก|กรม|กระทรวง|เทศบาล|องค์การบริหารส่วน|โรงพยาบาล"
    rf"|สาธารณสุขจังหวัด|ศูนย์|สถาบัน|กอง|เขตสุขภาพที่|โรงเรียน|{_AGENCY_ABBR})[^ :|()\"”]*)"
)
# A unit inside an organisation, and the organisation a line may name after it ("กองนโยบาย
# และแผนการใช้ที่ดิน กันยายน 2566 กรมพัฒนาที่ดิน"): the organisation is the document's agency.
_DIVISION = re.compile(r"^(?:กอง|กลุ่มงาน|กลุ่ม|ฝ่าย|งาน)")
_PARENT = re.compile(r"^(?:กรม|เทศบาล|องค์การบริหารส่วน|มหาวิทยาลัย)")
# A line that is only an organisation's name, maybe with its province and a trailing "…".
_PLACE_TAIL = re.compile(r"(?:[ ]?(?:จ\.|จังหวัด|อ\.|อำเภอ)\S+)*[ ]?(?:…|\.\.\.)?$")
# A prefix that names no one alone: the next word belongs to the name ("เทศบาลตำบล กระโสม").
_BARE_AGENCY = re.compile(
    r"(?:สำนักงาน|สำนักงานเขต|เทศบาล(?:ตำบล|เมือง|นคร)?|องค์การบริหารส่วน(?:ตำบล|จังหวัด)"
    r"|กรม|กระทรวง|โรงพยาบาล|เขตสุขภาพที่|ศูนย์|กอง)$"
)
# A signature: a person's name ("นายดอนเดช กลางประพันธ์") and the position under it; the
# head of a local government is named by its office ("นายกเทศมนตรีตำบลบ้านเป้า").
_PERSON = re.compile(
    r"^(?:นาย|นางสาว|นาง|น\.ส\.|ดร\.|ว่าที่\S*)[ ]?[\u0e01-\u0e4e]+ [\u0e01-\u0e4e]+$"
)
_POSITION = re.compile(r"^(?:นายก|รองนายก|ปลัด|ผู้อำนวยการ|ผู้ว่าราชการ|หัวหน้า|ประธาน)")
_HEAD_OF = re.compile(
    r"^นายก(?P<office>เทศมนตรี(?:ตำบล|เมือง|นคร)|องค์การบริหารส่วน(?:ตำบล|จังหวัด))(?P<place>\S+)$"
)
# The period a title line ends with is the report's date, not its name ("… ณ วันที่ 27 ธ.ค.
# 2555", "… รอบ 3 เดือน(1ตค.2560-31ธค.2561)"); it lands in fiscal_year and date_mentions.
_PERIOD_END = re.compile(r"[ ](?:รอบ[ ]?\d+[ ]?เดือน|ไตรมาสที่[ ]?\d|ณ[ ]?วันที่?)(?:\W|\d|$).*$")
# a headline run into the breadcrumb under it ("…ภัยแล้งหน้าแรก ข่าว ข่าวสังคม - …")
_GLUED_CRUMB = re.compile(r"(?<=\S)หน้าแรก[ ].*$")
_GLOSS = re.compile(r"[ ]?\([\x20-\x7e]*[A-Za-z][\x20-\x7e]*\)$")  # "(Performance Evaluation)"
# what a dateline holds besides its date: a weekday, a time, a view count ("15:20 | 580 view")
_DATELINE_WORD = re.compile(r"[\d:.,|()/-]+|น\.|วัน\S*|เมื่อวันที่|ณ|[A-Za-z]{1,6}")
_YEAR = r"(?P<y>25\d\d|2[0-9]\d\d(?=\D|$))"
# "ปีงบประมาณ 2567", "ปีงบ 67" (a legacy font's capture drops ี: "ปงบประมาณ 2566"); news:
# "งบประมาณปี 2569", "งบประมาณรายจ่ายประจำปี 2566", "งบปี’64", "งบประมาณ กทม. ปี 65" (not สงบ)
_FY_LABEL = re.compile(
    r"ปี?งบ(?:ประมาณ)?[ ]?(?:พ\.[ ]?ศ\.?)?[ ]?[:]?[ ]?(?P<y>25\d\d|\d\d)(?!\d)"
    r"|งบประมาณ(?:รายจ่าย)?(?:ประจำ)?ปี[ ]?(?:พ\.[ ]?ศ\.?)?[ ]?(?P<y2>25\d\d)(?!\d)"
    r"|(?<!ส)งบ(?:ประมาณ)?(?:[ ]\S{1,8})?[ ]?ปี[ ]?[’']?(?P<y3>\d\d)(?![\d.,])"
)
# "ประจำปี 2566", "พ.ศ. 2561", "… ปี 2567" / "ประเด็นตรวจราชการ 2567" ending a heading line
_YEAR_WORD = re.compile(
    r"(?:ประจำปี(?:งบประมาณ)?|พ\.[ ]?ศ\.?)[ ]?" + _YEAR + r"|(?:^|[ ])(?:ปี[ ]?)?(?P<end>25\d\d)$"
)
_PAREN_YEAR = re.compile(r"\((?P<y>25\d\d)\)")
_QUARTER_SPAN = re.compile(r"(?:ไตรมาส(?:ที่)?|รอบ)[ ]?\d")


@dataclass(frozen=True)
class Heading:
    title: str | None = None
    code: str | None = None
    agency: str | None = None
    fiscal_year: int | None = None


def read_heading(lines: Sequence[GLine]) -> Heading:
    head = [ln for ln in lines[:_HEAD_SCAN] if not ln.noise][:_HEAD_LINES]
    title, code = _title(head)
    code = code or next((m["code"] for ln in head if (m := _CODE_LABEL.search(ln.text))), None)
    return Heading(title, code, _agency(head), _fiscal_year(head, lines, title or ""))


def _title(head: Sequence[GLine]) -> tuple[str | None, str | None]:
    for k, ln in enumerate(head[:20]):
        m = _TITLE_LABEL.match(ln.text)
        if m and (m["named"] or m["glued"] or m["item"] or m["colon"].strip()):
            title, code = _split_code(ln.raw[m.start("value") :].strip())
            return _trim(title), code
        if _LABEL_ALONE.match(ln.text) and k + 1 < len(head) and head[k + 1].thai:
            title, code = _split_code(head[k + 1].raw)
            return _trim(title), code
    # the first few lines that may be a title: enough to see a headline printed twice
    candidates = list(
        islice(
            (
                k
                for k, ln in enumerate(head)
                if ln.thai and len(ln.text) >= 6 and not _not_a_title(head, k)
            ),
            _TWICE_WITHIN + 1,
        )
    )
    if candidates:
        k = _printed_twice(head, candidates) or candidates[0]
        title, code = _split_code(_continued(head, k))
        return _trim(title), code
    # no heading at all, only body paragraphs: the opening words of the first one
    first = next((ln.text for ln in head if ln.thai and len(ln.text) > _MAX_TITLE), None)
    return (_opening(first), None) if first else (None, None)


def _printed_twice(head: Sequence[GLine], candidates: list[int]) -> int | None:
    """A news page prints its headline twice near the top, one right under the other (the
    page's title, the article's heading): that line, over a first line printed once (a
    tag's or a section's name).  A table's heading printed over each part has rows
    between ("ลำดับ จังหวัด …" over each region)."""
    return next(
        (
            k
            for k, j in pairwise(candidates)
            if head[k].text == head[j].text and len(head[k].text) >= _TWICE_MIN
        ),
        None,
    )


def _opening(text: str) -> str:
    """The first phrase of a paragraph (up to its first space), at most _OPENING letters."""
    phrase = text.split()[0] if text.split() else text
    if len(phrase) >= 6:
        return phrase[:_OPENING]
    cut = text.rfind(" ", 0, _OPENING)
    return text[: cut if cut > 0 else _OPENING]


def _not_a_title(head: Sequence[GLine], k: int) -> bool:
    """A signature, a dateline, a site's name over its pages ("อบต.วาเล่ย์ จ.ตาก …"), the
    Royal Gazette's running head ("เล่ม ๑๓๙ ตอนที่ ๒๑ ก ราชกิจจานุเบกษา ...") or a paragraph."""
    text = head[k].text
    if len(text) > _MAX_TITLE or _GAZETTE_HEAD.match(text):
        return True
    return _signature(head, k) or _dateline(text) or _only_an_agency(text)


def _only_an_agency(text: str) -> bool:
    name = _PLACE_TAIL.sub("", text)
    if re.fullmatch(r"(?:อบต|ทต|อบจ)\.[ ]?[\u0e01-\u0e4e]+", name):
        return True
    return bool(name) and _agency_in(name) == name


def _trim(title: str) -> str:
    """``title`` without an English gloss or a period at its end (when a name is left)."""
    cut = _PERIOD_END.sub("", _GLOSS.sub("", _GLUED_CRUMB.sub("", title))).strip()
    return cut if len(cut) >= 6 else title


def _signature(head: Sequence[GLine], k: int) -> bool:
    """A person's name, or the position on the line right under one: not a title."""
    if _PERSON.match(head[k].text):
        return True
    prev = head[k - 1] if k else None
    return bool(prev and prev.no == head[k].no - 1 and _PERSON.match(prev.text)) and bool(
        _POSITION.match(head[k].text)
    )


def _dateline(text: str) -> bool:
    """A line that is a date and little else ("วันพฤหัสบดีที่ 6 พฤศจิกายน 2568")."""
    dates = find_date_matches(text)
    if not dates:
        return False
    rest = "".join(text[a.end : b.start] for a, b in pairwise(dates))
    rest = text[: dates[0].start] + rest + text[dates[-1].end :]
    return all(_DATELINE_WORD.fullmatch(w) for w in rest.split())


def _continued(head: Sequence[GLine], k: int) -> str:
    """A short heading line with the short lines right under it: a title set on several
    lines ("พระราชกฤษฎีกา / ยุบสภาผู้แทนราษฎร / พ.ศ. ๒๕๖๖")."""
    parts = [head[k].raw]
    if len(head[k].text) > _SHORT:
        return parts[0]
    # an instrument's name alone ("พระราชบัญญัติ") goes on with its subject, however long
    longest = _MAX_TITLE if _INSTRUMENT.fullmatch(head[k].text.strip()) else _SHORT_NEXT
    for prev, ln in zip(head[k : k + 3], head[k + 1 : k + 4], strict=False):
        if ln.no != prev.no + 1 or len(ln.text) > longest or ":" in ln.text:
            break
        parts.append(ln.raw)
        longest = _SHORT_NEXT
    return " ".join(parts)


def _split_code(text: str) -> tuple[str, str | None]:
    m = _TITLE_CODE.match(text)
    return (m["title"].strip(), m["code"]) if m else (text, None)


def _agency(head: Sequence[GLine]) -> str | None:
    for ln in head:
        m = _AGENCY_LABEL.search(ln.text)
        if m and _DEFINES.search(ln.text, 0, m.start()):
            continue  # a law's definition: "“หน่วยงานของรัฐ” หมายความว่า ส่วนราชการ …"
        if m and (value := ln.raw[m.start("value") : m.end("value")].strip(" -")):
            return value
    # an agency named in the heading lines ("สรุปผล... เทศบาลนครนครศรีธรรมราช")
    named = next(filter(None, (_agency_in(ln.raw) for ln in head[:15])), None)
    # further down, a line that is only a name: the cover's "เทศบาลตำบลดงลิง" under a link list
    named = named or next((ln.raw for ln in head[15:] if _only_an_agency(ln.raw)), None)
    return named or next(filter(None, (_office_of(ln.text) for ln in head)), None)


def _office_of(text: str) -> str | None:
    """The local government a signature's position heads: นายกเทศมนตรีตำบล X -> เทศบาลตำบล X."""
    m = _HEAD_OF.match(text)
    if not m:
        return None
    office = m["office"].replace("เทศมนตรี", "เทศบาล")
    return office + m["place"]


def _agency_in(text: str) -> str | None:
    m = _AGENCY_WORD.search(text)
    if not m:
        return None
    if _DIVISION.match(m["value"]):
        parent = next(
            (p for p in _AGENCY_WORD.finditer(text, m.end()) if _PARENT.match(p[1])), None
        )
        m = parent or m
    value = m["value"]
    if _BARE_AGENCY.match(value):
        rest = text[m.end() :].split()
        if not rest:
            return None
        value = f"{value} {rest[0]}"
    return value.rstrip(".,")


def _fiscal_year(head: Sequence[GLine], lines: Sequence[GLine], title: str) -> int | None:
    for ln in lines[:80]:
        if m := _FY_LABEL.search(ln.text):
            return _be(m["y"] or m["y2"] or m["y3"])
    for ln in head[:12]:
        if (m := _YEAR_WORD.search(ln.text)) and _the_documents_year(ln, m, title):
            return _be(m["y"] or m["end"])
        if m := _PAREN_YEAR.search(ln.text):
            return _be(m["y"])
    for ln in head:
        if _QUARTER_SPAN.search(ln.text) and (dates := find_date_matches(ln.text)):
            return fiscal_year(dates[-1].date)
    return None


def _the_documents_year(ln: GLine, m: re.Match[str], title: str) -> bool:
    """A year in a heading line or the title, one a long line calls annual ("ประจำปี
    พ.ศ. 2567") or dates a day ("วันที่ 09 เดือน กุมภาพันธ์ พ.ศ. 2565"); not the year of a
    law a paragraph quotes ("ระเบียบ…ว่าด้วย… พ.ศ. 2526 จะ…")."""
    if len(ln.text) <= _YEAR_LINE or ln.raw in title:
        return True
    if ln.text[: m.start()].rstrip().endswith("ประจำปี"):
        return True
    return any(d.start <= m.start() < d.end for d in find_date_matches(ln.text))


def _be(raw: str) -> int | None:
    year = int(raw)
    if year < 100:
        year += 2500
    elif year < 2400:
        year += 543  # a CE year
    return year if 2400 <= year <= 2700 else None
