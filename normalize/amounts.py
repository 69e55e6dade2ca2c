"""Money amounts in baht: "1.5 ล้านบาท", "2,500.-", "3.2 ลบ.", "สองแสนห้าหมื่นบาทถ้วน".

An amount is the number attached to its currency word: in "จำนวน 50 คน งบประมาณ 20,000 บาท"
only 20,000 is money. Every value is in baht (a float). Malformed grouping ("1,50,000")
is no amount. Spelled-out baht goes through pythainlp's ``thaiword_to_num``, imported only
when a line spells one out. Nothing here raises on any ``str``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from normalize.digits import to_arabic_digits

_MULTIPLIERS = {
    "ล้านล้าน": 1e12, "แสนล้าน": 1e11, "หมื่นล้าน": 1e10, "พันล้าน": 1e9,
    "ล้าน": 1e6, "แสน": 1e5, "หมื่น": 1e4, "พัน": 1e3,
}  # fmt: skip
# A number: comma groups of exactly three, or plain digits; not the tail of an outline
# number (5.4.1), a code (0411-2029), a date (1/2) or a badly grouped one (1,50,000).
# A space typed before the first comma ("14 ,892,956.80 บาท") is a slip inside one number.
_NUM = r"(?<![\d.,/])(?<!\d-)(?:\d{1,3}[ ]?,\d{3}(?:,\d{3})*|\d+)(?:\.\d+)?(?![\d,]|\.\d)"
_MULT = "|".join(sorted(_MULTIPLIERS, key=len, reverse=True))
_PART = re.compile(rf"(?P<num>{_NUM})[ ]?(?P<mult>{_MULT})?")
# Numbers with multipliers ("1 ล้าน 2 แสน"), then ".-", right before the currency word.
_BEFORE_UNIT = re.compile(
    rf"(?P<sign>(?<![\w\d])-)?(?P<body>(?:(?:{_NUM})[ ]?(?:{_MULT})[ ]?)*(?:{_NUM})"
    rf"(?:[ ]?(?:{_MULT}))?)(?P<dash>[ ]?\.-|[ ]?\.?=)?[ ]?\Z"
)
# บ. is baht only right after a number and not starting another abbreviation (บ.ข.ส.);
# ลบ. is million baht, but ลบ.ม. is cubic metres.
_CUE = re.compile(r"บาท|ลบ\.(?!ม)|฿|THB|สตางค์|บ\.(?![\u0e01-\u0e2e])")  # ลบ.ม. is m³
_AFTER_SIGN = re.compile(rf"[ ]?(?P<body>(?:{_NUM})(?:[ ]?(?:{_MULT}))?)(?P<dash>[ ]?\.-)?")
_SATANG = re.compile(rf"[ ]?(?P<num>{_NUM})[ ]?สตางค์")
_WORDS = "ศูนย์|หนึ่ง|สอง|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า|สิบ|ยี่|เอ็ด|ร้อย|พัน|หมื่น|แสน|ล้าน"
_DIGIT_WORD = re.compile("ศูนย์|หนึ่ง|สอง|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า|สิบ|ยี่|เอ็ด")
_SPELLED_BEFORE = re.compile(rf"(?:{_WORDS})+[ ]?\Z")
_SPELLED_SATANG = re.compile(rf"[ ]?(?:ถ้วน|(?P<st>(?:{_WORDS})+)[ ]?สตางค์)")
_BARE = re.compile(rf"[ ]*(?P<sign>[-−])?(?P<body>(?:(?:{_NUM})[ ]?(?:{_MULT})[ ]?)*(?:{_NUM})"
                   rf"(?:[ ]?(?:{_MULT}))?)(?:[ ]?\.-)?[ ]*(?:บาท[ ]*)?")  # fmt: skip
_SPELLED_BARE = re.compile(rf"[ ]*(?P<body>(?:{_WORDS})+)[ ]?(?:บาท)?[ ]?(?:ถ้วน)?[ ]*")
# "ครม.อนุมัติ 7,606 ล้าน", "วงเงิน 79,855 ล้าน", "ทุ่ม 1.8 พันล้าน": a millions figure with no
# currency word is baht when a money word leads it and no other unit follows it.
_MONEY_LEADS = ("งบประมาณ", "งบ", "วงเงิน", "ทุ่ม", "อนุมัติ", "เบิกจ่าย", "ใช้จ่าย", "มูลค่า",
                "รายได้", "รายจ่าย", "เงิน", "ลงทุน", "กู้")  # fmt: skip
_MILLIONS = "ล้านล้าน|แสนล้าน|หมื่นล้าน|พันล้าน|ล้าน"
_LED_MILLIONS = re.compile(
    rf"(?:{'|'.join(_MONEY_LEADS)})[^\d\n]{{0,12}}?"
    rf"(?P<body>(?<![\d.,/])(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?[ ]?(?:{_MILLIONS}))"
)
# What a millions figure counts when it is not money: the word right after it.
_OTHER_UNITS = ("บาท", "ลบ.", "คน", "ราย", "ไร่", "ตัน", "ลิตร", "ลูกบาศก์", "หน่วย", "ครัวเรือน",
                "ครอบครัว", "โดส", "ชิ้น", "ตัว", "ต้น", "กิโล", "เมตร", "เล่ม", "ใบ", "ครั้ง", "คัน",
                "แห่ง", "หลัง", "ดอลลาร์", "เหรียญ", "ยูโร", "หยวน", "เยน", "ปอนด์", "วอน", "ริงกิต",
                "USD", "US$", "$", "€", "ดวง", "ฟอง", "ผืน", "ขวด", "แผ่น", "ลูก", "ปี", "เดือน",
                "วัน", "ชั่วโมง", "นาที", "ผู้", "โครงการ", "รายการ")  # fmt: skip
# "จังหวัดละ 200 - 500 ล้านบาท": a range's first number is read in the unit of its second.
_RANGE_FIRST = re.compile(
    rf"(?P<num>{_NUM})[ ]?[-–][ ]?(?={_NUM}[ ]?(?P<mult>{_MULT})?[ ]?(?P<unit>บาท|ลบ\.(?!ม)))"
)
_REACH = 80  # longest number-and-multiplier text looked at before a currency word
_SPELLED_REACH = 300  # "เก้าหมื่นเก้าพันเก้าร้อย...ล้าน..." runs long


@dataclass(frozen=True)
class Amount:
    """A money amount found in a text: its value in baht, the words and their offsets."""

    value: float
    raw: str
    start: int
    end: int
    unit: str = "บาท"


def _has_cue(text: str) -> bool:
    # Plain substring tests: a few hundred nanoseconds on a line that has no amount.
    return "บาท" in text or "บ." in text or "฿" in text or "สตางค์" in text or "THB" in text


def _body_value(body: str) -> float | None:
    """The value of "1 ล้าน 2 แสน" or "2,500.50" (digits already Arabic)."""
    total, last = 0.0, None
    for m in _PART.finditer(body):
        value = float(m["num"].replace(",", "").replace(" ", ""))
        if m["mult"]:
            value *= _MULTIPLIERS[m["mult"]]
        elif last is not None:
            return None  # two bare numbers in a row are no single amount
        total += value
        last = value
    return None if last is None else total


def _spelled_value(words: str) -> float | None:
    from pythainlp.util import thaiword_to_num  # costly import: only when baht is spelled

    try:
        return float(thaiword_to_num(words))
    except (ValueError, IndexError, KeyError, TypeError):
        return None


def _numeric_before(text: str, cue: re.Match[str]) -> tuple[int, float] | None:
    """(start, value) of the number right before the currency word ``cue``."""
    m = _BEFORE_UNIT.search(text, max(0, cue.start() - _REACH), cue.start())
    if not m:
        return None
    value = _body_value(m["body"])
    if value is None:
        return None
    if cue.group() == "ลบ.":
        value *= 1e6
    return m.start(), -value if m["sign"] else value


def _spelled_before(text: str, cue: re.Match[str]) -> tuple[int, float] | None:
    m = _SPELLED_BEFORE.search(text, max(0, cue.start() - _SPELLED_REACH), cue.start())
    if not m or not _DIGIT_WORD.search(m.group()):
        return None  # "(ล้านบาท)", "หน่วย: พันบาท": a table's unit, no amount
    value = _spelled_value(m.group().strip())
    return None if value is None else (m.start(), value)


def _satang_after(text: str, end: int, spelled: bool) -> tuple[int, float]:
    """(end, value in baht) of the satang written after บาท, else (end, 0)."""
    m = (_SPELLED_SATANG if spelled else _SATANG).match(text, end)
    if not m:
        return end, 0.0
    if spelled:
        satang = _spelled_value(m["st"]) if m["st"] else 0.0
    else:
        satang = float(m["num"].replace(",", ""))
    return (m.end(), satang / 100) if satang is not None and satang < 100 else (end, 0.0)


def _at_cue(text: str, cue: re.Match[str]) -> tuple[int, int, float] | None:
    """(start, end, value) of the amount the currency word ``cue`` belongs to."""
    word = cue.group()
    if word in ("฿", "THB") and (after := _AFTER_SIGN.match(text, cue.end())):
        value = _body_value(after["body"])
        if value is not None:
            return cue.start(), after.end(), value
    found = _numeric_before(text, cue)
    spelled = False
    if found is None and word in ("บาท", "สตางค์"):
        found, spelled = _spelled_before(text, cue), True
    if found is None:
        return None
    start, value = found
    if word == "สตางค์":
        return (start, cue.end(), value / 100) if value < 100 else None
    end = cue.end()
    if word == "บาท":
        end, satang = _satang_after(text, end, spelled)
        value += satang if value >= 0 else -satang
    return start, end, value


def _dash_only(text: str) -> list[Amount]:
    """Amounts marked only by ".-" ("ราคา 2,500.-"): the number must end right at it."""
    out = []
    for m in re.finditer(r"\.-(?![\d-])", text):
        found = _BEFORE_UNIT.search(text, max(0, m.start() - _REACH), m.end())
        if found and found["dash"] and (value := _body_value(found["body"])) is not None:
            out.append((found.start(), m.end(), -value if found["sign"] else value))
    return [Amount(v, text[s:e], s, e) for s, e, v in out]


def _led_millions(text: str) -> list[tuple[int, int, float]]:
    """(start, end, value) of each millions figure a money word leads ("วงเงิน 79,855 ล้าน")."""
    out = []
    for m in _LED_MILLIONS.finditer(text):
        if text[m.end() :].lstrip(" ").startswith(_OTHER_UNITS):
            continue  # "ล้านบาท" is the currency path's; "ล้านคน", "ล้านไร่" are no money
        value = _body_value(m["body"])
        if value is not None:
            out.append((m.start("body"), m.end(), value))
    return out


def _add_free(found: list[Amount], text: str, hits: list[tuple[int, int, float]]) -> None:
    """Add the ``hits`` that overlap no amount in ``found``, keeping text order."""
    taken = [(a.start, a.end) for a in found]
    for start, end, value in hits:
        if all(end <= s or start >= e for s, e in taken):
            found.append(Amount(value, text[start:end], start, end))
    found.sort(key=lambda a: a.start)


def find_amounts(text: str) -> list[Amount]:
    """Every money amount in ``text``, in text order (a range's first number too).

    >>> [(a.value, a.raw) for a in find_amounts("จำนวน 50 คน งบประมาณ 1.5 ล้านบาท")]
    [(1500000.0, '1.5 ล้านบาท')]
    >>> [a.value for a in find_amounts("ราคา ๒,๕๐๐.- บาท และ 3.2 ลบ.")]
    [2500.0, 3200000.0]
    >>> [a.value for a in find_amounts("ครม.อนุมัติ 7,606 ล้าน แก้น้ำท่วม 1.7 ล้านคน")]
    [7606000000.0]
    """
    found = _amounts(text)
    if found and ("-" in text or "–" in text) and any(_after_dash(text, a.start) for a in found):
        _add_free(found, text, _range_firsts(to_arabic_digits(text)))
    return found


def _after_dash(text: str, start: int) -> bool:
    """An amount right after a dash ("200 - 500 ล้านบาท") ends a range."""
    before = text[max(0, start - 3) : start]
    return "-" in before or "–" in before


def _amounts(text: str) -> list[Amount]:
    """The amounts of ``text`` each currency word, ".-" or money word marks."""
    if not isinstance(text, str) or not (_has_cue(text) or ".-" in text or "ล้าน" in text):
        return []
    clean = to_arabic_digits(text)  # one code point per digit: offsets are kept
    found: list[Amount] = []
    last_end = -1
    for cue in _CUE.finditer(clean):
        hit = _at_cue(clean, cue)
        if hit and hit[0] >= last_end:
            start, end, value = hit
            found.append(Amount(value, text[start:end], start, end))
            last_end = end
    if ".-" in clean:
        _add_free(found, text, [(a.start, a.end, a.value) for a in _dash_only(clean)])
    if "ล้าน" in clean:
        _add_free(found, text, _led_millions(clean))
    return found


def _range_firsts(text: str) -> list[tuple[int, int, float]]:
    """(start, end, value) of the first number of each range of amounts ("200 - 500 ล้านบาท")."""
    out = []
    for m in _RANGE_FIRST.finditer(text):
        value = _body_value(m["num"] + (m["mult"] or ""))
        if value is not None:
            value *= 1e6 if m["unit"] == "ลบ." else 1.0
            out.append((m.start("num"), m.end("num"), value))
    return out


def parse_amount(text: str) -> float | None:
    """The money amount in ``text`` in baht: the first one found, else the whole text read
    as a number ("1,500,000", "2.5 ล้าน"); None when there is none.

    >>> parse_amount("งบประมาณ 2 แสน 5 หมื่นบาท")
    250000.0
    >>> parse_amount("(สองแสนห้าหมื่นบาทถ้วน)")
    250000.0
    >>> parse_amount("1,50,000 บาท") is None
    True
    """
    if not isinstance(text, str):
        return None
    found = _amounts(text)  # of a range, the number its currency word is on
    if found:
        return found[0].value
    clean = to_arabic_digits(text).strip().strip("()")
    m = _BARE.fullmatch(clean)
    if m:
        value = _body_value(m["body"])
        return None if value is None else (-value if m["sign"] else value)
    spelled = _SPELLED_BARE.fullmatch(clean)
    return _spelled_value(spelled["body"]) if spelled else None
