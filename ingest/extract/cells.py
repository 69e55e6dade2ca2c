"""A spreadsheet cell's value written as Excel displays it (pure: value, format -> str).

Covers the formats report workbooks use: General, fixed decimals (``0.00``), thousands
(``#,##0``), percentages (``0%``), text (``@``) and dates built of d/m/y/h/s codes, with
Buddhist-era years (``bbbb``, or a Thai locale ``[$-th-TH]``/``[$-41E]`` with ``yyyy``).
Anything else falls back to General, which never loses a digit.

>>> display(5.0, "General"), display(1234.5, "#,##0.00"), display(0.845, "0.0%")
('5', '1,234.50', '84.5%')
>>> import datetime; display(datetime.datetime(2020, 1, 31), "d/m/yyyy")
'31/1/2020'
>>> display(datetime.date(2020, 1, 31), "[$-th-TH]d/m/yyyy")
'31/1/2563'
"""

from __future__ import annotations

import datetime as dt
import re

from normalize.months import THAI_MONTH_ABBRS, THAI_MONTH_NAMES

_DATE_CODE = re.compile(r"yyyy|yy|bbbb|bb|mmmm|mmm|mm|m|dddd|ddd|dd|d|hh|h|ss|s", re.I)
_LITERAL = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')
_THAI_LOCALE = re.compile(r"\[\$-(?:th-TH|41E|1070000|D07041E|107041E)\]", re.I)
# [$-LLLL] language 041E, or th-TH: Thai month and day names; [$-D0......]: Thai digits
_THAI_NAMES = re.compile(r"\[\$-(?:th-TH|[0-9A-F]{0,4}41E)\]", re.I)
_THAI_DIGITS = re.compile(r"\[\$-D0[0-9A-F]{5,6}\]", re.I)
_THAI_DAYS = ("จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์", "อาทิตย์")
_THAI_DAYS_SHORT = ("จ.", "อ.", "พ.", "พฤ.", "ศ.", "ส.", "อา.")
_THAI_NAME_CODES = {
    "mmmm": THAI_MONTH_NAMES,
    "mmm": THAI_MONTH_ABBRS,
    "dddd": _THAI_DAYS,
    "ddd": _THAI_DAYS_SHORT,
}
_TO_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def display(value: object, number_format: str | None) -> str:
    """``value`` (str, int, float, bool, date, datetime, time or None) as displayed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        return value
    fmt = (number_format or "General").split(";")[0]
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return _date(value, fmt)
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, int | float):
        return _number(float(value), fmt)
    return str(value)


def _general(value: float) -> str:
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.10g}"


def _number(value: float, fmt: str) -> str:
    plain = _LITERAL.sub("", fmt)
    if plain.strip() in ("", "General", "@") or not re.search(r"[0#?]", plain):
        return _general(value)
    percent = "%" in plain
    if percent:
        value *= 100
    decimals = len(m.group(1)) if (m := re.search(r"\.([0#?]+)", plain)) else 0
    grouped = "," in plain.split(".")[0]
    text = f"{value:,.{decimals}f}" if grouped else f"{value:.{decimals}f}"
    return text + ("%" if percent else "")


def _date(value: dt.date | dt.time, fmt: str) -> str:
    buddhist = bool(_THAI_LOCALE.search(fmt))
    thai = bool(_THAI_NAMES.search(fmt))
    plain = _LITERAL.sub("", fmt)
    if not _DATE_CODE.search(plain) or plain.strip() in ("General", "@"):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    has_time = bool(re.search(r"h|s", plain, re.I))
    last = ""
    pieces: list[str] = []
    pos = 0
    for match in _DATE_CODE.finditer(plain):
        pieces.append(plain[pos : match.start()])
        code = match.group(0).lower()
        minute = code in ("m", "mm") and (last in ("h", "hh") or _before_seconds(plain, match))
        pieces.append(_code(value, code, minute, buddhist, thai))
        last, pos = code, match.end()
    pieces.append(plain[pos:])
    text = "".join(pieces)
    if _THAI_DIGITS.search(fmt):
        text = text.translate(_TO_THAI_DIGITS)
    return text if has_time or not isinstance(value, dt.time) else value.isoformat()


def _before_seconds(plain: str, match: re.Match[str]) -> bool:
    return bool(re.match(r"[^a-zA-Z]*s", plain[match.end() :], re.I))


def _code(
    value: dt.date | dt.time, code: str, minute: bool, buddhist: bool, thai: bool = False
) -> str:
    if isinstance(value, dt.time) and code[0] in "ymdb" and not minute:
        return ""
    if code in ("h", "hh"):
        hour = getattr(value, "hour", 0)
        return f"{hour:02d}" if code == "hh" else str(hour)
    if code in ("s", "ss"):
        sec = getattr(value, "second", 0)
        return f"{sec:02d}" if code == "ss" else str(sec)
    if minute:
        mins = getattr(value, "minute", 0)
        return f"{mins:02d}" if code == "mm" else str(mins)
    assert isinstance(value, dt.date)
    year = value.year + (543 if buddhist or code[0] == "b" else 0)
    if thai and code in _THAI_NAME_CODES:
        names = _THAI_NAME_CODES[code]
        return names[value.month - 1 if code[0] == "m" else value.weekday()]
    return {
        "yyyy": str(year),
        "bbbb": str(year),
        "yy": f"{year % 100:02d}",
        "bb": f"{year % 100:02d}",
        "mmmm": _MONTHS[value.month - 1],
        "mmm": _MONTHS[value.month - 1][:3],
        "mm": f"{value.month:02d}",
        "m": str(value.month),
        "dddd": value.strftime("%A"),
        "ddd": value.strftime("%a"),
        "dd": f"{value.day:02d}",
        "d": str(value.day),
    }[code]
