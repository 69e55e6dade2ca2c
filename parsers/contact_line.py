"""A contact line as written: the people (or the section) and every phone number it gives.

Pure (str -> records). The project page's header line and the KR sheet's coordinator phone
cell use it. Forms seen on real BMA pages (tests/parsers/test_contact_line.py holds them):

- a labelled number: "นางสาวกมลพร แย้มเยื้อน โทร. 1378", "น.ส.นันทิยา พันธุรพงศ์ โทร 6618";
- a bracketed one, labelled or not: "นางอัธยา จำปาทอง (3027)", "(โทร. 6822-3 )", "(0 2282 4196)";
- a bare one after the name: "น.ส.ศุภนุช เทียนขาว 5636-5638", "นางสุภาวดี ภาสดา 02-4644392";
- extension ranges, kept as written: "6822-3" (6822 and 6823), "3347-49", "5636-5637";
- several numbers, one row each: "โทร. 0 2203 2725 หรือโทร. 2556";
- a position after the name: "นายณรงค์ สิ้นโศรก เจ้าหน้าที่งานรักษาความสะอาดชำนาญงาน โทร 02 587 0923";
- two people sharing a number: "นางสาวพรเพ็ญ ฟักเทศ และนายวินัย ประณต โทร. 3347-49";
- a section instead of a person: "ฝ่ายเทศกิจ", "ฝ่ายสิ่งแวดล้อมและสุขาภิบาล (พิมพ์จิกานต์)".

``phone`` keeps the digits (Thai digits made Arabic) and the separators as written;
``phone_digits`` is the first number's digits alone ("6822-3" -> "6822"), for joining.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from normalize import to_arabic_digits
from parsers.model import Contact


@dataclass(frozen=True)
class Phone:
    raw: str  # as written, Arabic digits: '6822-3', '0 2203 2725'
    digits: str  # the first number's digits: '6822', '022032725'


# Digit groups joined by a hyphen (spaces around it allowed) or by one space.
_RUN = re.compile(r"\d+(?:(?:[ ]?-[ ]?|[ ])\d+)*")
_HYPHEN = re.compile(r"[ ]?-[ ]?")
_LABEL = r"(?:โทรศัพท์|โทร|มือถือ|ต่อ|Tel|TEL|tel)\.?"
_LABELLED = re.compile(rf"{_LABEL}[ ]?:?[ (]*$")
_OPENED = re.compile(r"\([ ]*$")
_CLOSED = re.compile(r"^[ ]*\)")
# What may stand between two numbers of one line: "หรือโทร.", ",", "/", "และ".
_BETWEEN = re.compile(rf"^[ ,/()]*(?:หรือ|และ|,|/)?[ ]*(?:{_LABEL})?[ :(]*$")
_TAIL = re.compile(rf"[ (:,\-]*(?:{_LABEL})?[ (:,\-]*$")
_BRACKETS = re.compile(r"\(([^()]*)\)?")

# A title starts a person's name; "และ", "," or "/" before one starts another person.
_PERSON = re.compile(r"(?:นาย|นาง|น\.ส\.|ว่าที่|ดร\.|พ\.|ร\.|จ\.|คุณ)")
_NEXT_PERSON = re.compile(rf"[ ]?(?:และ|,|/)[ ]?(?={_PERSON.pattern})")
# A token that is only titles: "นาย", "น.ส.", "ว่าที่", "ร.ต.", "ว่าที่ร้อยตรี".
_TITLES_ONLY = re.compile(
    r"(?:นางสาว|นาย|นาง|ว่าที่|ดร\.|คุณ|(?:ร้อย|พัน|จ่าสิบ|สิบ)(?:ตรี|โท|เอก)"
    r"|[ก-ฮ]{1,2}\.(?:[ก-ฮ]{1,2}\.)*)+"
)
_SECTION = re.compile(r"(?:ฝ่าย|กอง|สำนัก|ส่วน|กลุ่ม|งาน|ศูนย์|สถานี|หน่วย|โรงเรียน|โรงพยาบาล)")
_BARE_MIN = 4  # an unlabelled, unbracketed number has an extension's 4 digits at least
_BRACKET_MIN = 3


def parse_contact_line(text: str, line_no: int | None = None) -> tuple[Contact, ...]:
    """Every contact of one line: one row per person (or section) and number."""
    text = to_arabic_digits(text).strip()
    if not text:
        return ()
    chunks = [(who, phones) for who, phones in map(_chunk, _NEXT_PERSON.split(text))]
    shared = chunks[-1][1] if not any(p for _, p in chunks[:-1]) else []
    rows: list[Contact] = []
    for who, phones in chunks:
        name, position, agency = _who(who)
        for phone in phones or shared or (None,):
            rows.append(
                Contact(
                    name, position, phone.raw if phone else None, agency, line_no,
                    phone_digits=phone.digits if phone else None,
                )
            )  # fmt: skip
    return tuple(rows)


def phones_in(text: str) -> list[Phone]:
    """Every number in ``text`` (a cell that holds phone numbers only, e.g. after a label)."""
    return [p for m in _RUN.finditer(to_arabic_digits(text)) for p in _split_run(m.group())]


def _chunk(text: str) -> tuple[str, list[Phone]]:
    """One person's part of the line: the text before the first number, and the numbers."""
    found: list[Phone] = []
    start: int | None = None
    last_end: int | None = None
    for m in _RUN.finditer(text):
        if not _is_phone(text, m, last_end):
            continue
        found += _split_run(m.group())
        start = m.start() if start is None else start
        last_end = m.end()
    who = text if start is None else _TAIL.sub("", text[:start])
    return who.strip(), found


def _is_phone(text: str, m: re.Match[str], last_end: int | None) -> bool:
    before, after = text[: m.start()], text[m.end() :]
    size = sum(c.isdigit() for c in m.group())
    if last_end is not None and _BETWEEN.match(text[last_end : m.start()]):
        return True
    if _LABELLED.search(before):
        return True
    if _OPENED.search(before) and _CLOSED.match(after):
        return size >= _BRACKET_MIN
    return size >= _BARE_MIN


def _split_run(run: str) -> list[Phone]:
    """A run of digit groups as one number, one range of extensions, or several numbers."""
    pieces = _HYPHEN.split(run)
    if len(pieces) == 2 and _is_range(_digits(pieces[0]), _digits(pieces[1])):
        return [Phone(run, _digits(pieces[0]))]
    if len(pieces) > 1 or _one_spaced_number(run):
        return [Phone(run, _digits(run))]
    return [Phone(group, group) for group in run.split(" ")]


def _is_range(first: str, last: str) -> bool:
    """'6822-3', '3347-49', '5636-5637': the second part replaces the first's last digits
    with a higher value ('02-4644392' and '2245-6789' are numbers written in two parts)."""
    if len(first) < 3 or not 0 < len(last) <= len(first):
        return False
    if len(last) == len(first) and first[0] != last[0]:
        return False
    return int(last) > int(first[-len(last) :])


def _one_spaced_number(run: str) -> bool:
    """'0 2203 2725', '089 897 4330': one number in groups; '1378 1379' are two."""
    return run.startswith("0") or 7 <= len(_digits(run)) <= 10


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def _who(text: str) -> tuple[str | None, str | None, str | None]:
    """(name, position, agency) of one person's or section's text, brackets removed."""
    inside = [b.strip() for b in _BRACKETS.findall(text) if b.strip()]
    main = " ".join(_BRACKETS.sub(" ", text).split()).strip(" ,:-")
    note = " ".join(inside) or None
    if _PERSON.match(main):
        name, position = _name_and_position(main)
        return name, position or note, None
    if main and _SECTION.match(main):
        if note and _PERSON.match(note):
            return (*_name_and_position(note), main)
        return note or main, None, main  # the section is the contact when no one is named
    return main or note, None, None


def _name_and_position(text: str) -> tuple[str, str | None]:
    """'นายณรงค์ สิ้นโศรก เจ้าหน้าที่…' -> the titles, given and family name; the rest."""
    tokens = text.split(" ")
    n = 0
    while n < len(tokens) - 1 and _TITLES_ONLY.fullmatch(tokens[n]):
        n += 1
    n += 2  # given name (the title may be glued to it) and family name
    if n < len(tokens) and tokens[n - 1] == "ณ":  # "ณ อยุธยา": a family name in two words
        n += 1
    return " ".join(tokens[:n]), " ".join(tokens[n:]) or None
