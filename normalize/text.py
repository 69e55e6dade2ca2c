"""Repair of Thai text damaged by PDF tools, legacy fonts and web exports.

``repair_text`` never adds or removes a line: the count of ``"\\n"`` is kept exactly, so
line numbers found in the repaired text are those of the original. It is idempotent and
the identity on clean Thai. Never NFKC: it splits ำ into ํ + า.
"""

from __future__ import annotations

import re
import unicodedata

import regex

# HarfBuzz thai_pua_shape (src/hb-ot-shaper-thai.cc): legacy Windows and Mac Thai fonts
# draw shifted marks and tail-less letters as Private Use Area glyphs.
_PUA_WINDOWS = {
    0xF700: "ฐ", 0xF701: "ิ", 0xF702: "ี", 0xF703: "ึ", 0xF704: "ื",
    0xF705: "่", 0xF706: "้", 0xF707: "๊", 0xF708: "๋", 0xF709: "์",
    0xF70A: "่", 0xF70B: "้", 0xF70C: "๊", 0xF70D: "๋", 0xF70E: "์",
    0xF70F: "ญ", 0xF710: "ั", 0xF711: "ํ", 0xF712: "็",
    0xF713: "่", 0xF714: "้", 0xF715: "๊", 0xF716: "๋", 0xF717: "์",
    0xF718: "ุ", 0xF719: "ู", 0xF71A: "ฺ",
}  # fmt: skip
_PUA_MAC = {
    0xF884: "ั", 0xF885: "ิ", 0xF886: "ี", 0xF887: "ึ", 0xF888: "ื", 0xF889: "็",
    0xF88A: "่", 0xF88B: "่", 0xF88C: "่", 0xF88D: "้", 0xF88E: "้", 0xF88F: "้",
    0xF890: "๊", 0xF891: "๊", 0xF892: "๊", 0xF893: "๋", 0xF894: "๋", 0xF895: "๋",
    0xF896: "์", 0xF897: "์", 0xF898: "์", 0xF899: "ํ", 0xF89A: "ญ",
    0xF89B: "ุ", 0xF89C: "ู", 0xF89D: "ฺ", 0xF89E: "ฐ",
}  # fmt: skip
_PUA_TABLE = {**_PUA_WINDOWS, **_PUA_MAC}
_PUA = re.compile("[\uf700-\uf71a\uf884-\uf89e]")

# Removed outright: zero-width characters and the soft hyphen.
_INVISIBLE = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad")
# Characters str.splitlines() breaks on besides "\n": a parser using splitlines() must see
# the same lines as one splitting on "\n", so they become spaces.
_OTHER_BREAKS = ("\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")
_WIDE_SPACE = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")

_TONE = "\u0e48-\u0e4b"  # ่ ้ ๊ ๋
_ABOVE = "\u0e31\u0e34-\u0e37\u0e47"  # ั ิ ี ึ ื ็
_BELOW = "\u0e38-\u0e3a"  # ุ ู ฺ
_MARK = "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"  # every combining mark
_THAI = "\u0e01-\u0e4e"
_AM, _AA, _NIKHAHIT = "\u0e33", "\u0e32", "\u0e4d"

# Compiled with ``re`` or ``regex``, whichever scanned Thai text faster (measured per pattern).
_SPACE_BEFORE_MARK = regex.compile(f"(?<=[{_THAI}]) +(?=[{_MARK}\u0e30\u0e32\u0e33])")
_DANGLING = re.compile(f"([\\n\\t ])[{_MARK}]+")
_DANGLING_AT_START = re.compile(f"[{_MARK}]+")
_SPACE_RUN = re.compile(r"  +")
_TAB_RUN = regex.compile(r" ?\t[ \t]*")  # after _SPACE_RUN: no run of two spaces is left
_TRAILING = re.compile(r" (?=\n|\Z)")
# ํ + า (what shapers emit for ำ), ำ + า (pdfplumber), marks typed after ำ, ำ twice.
# The mark rules run in an order that cannot undo itself (so repair is idempotent):
# 1. no mark can sit on า or ำ: a run after them belongs to the consonant before;
_MARK_AFTER_AA = re.compile(
    f"[{_AA}{_AM}](?<![{_AA}{_AM}][{_AA}{_AM}])[{_AA}{_AM}]*[{_MARK}][{_MARK}{_AA}{_AM}]*"
)
# 2. ํ + า (what shapers emit for ำ, maybe with a tone between) and ำ + า (pdfplumber);
_NIKHAHIT_AA = re.compile(f"{_NIKHAHIT}([{_MARK}]{{0,8}}){_AA}[{_AA}{_AM}]*")
_AM_AA = re.compile(f"{_AM}[{_AA}{_AM}]+")
# 3. damaged runs of marks are rebuilt.
# A run of marks is well formed when it is at most one vowel mark then one tone mark (or
# ์), or a lone ํ/๎. Any run holding a pair that breaks this is rebuilt by _fix_cluster;
# runs without such a pair are at most two marks long, so the scan stays linear.
_VOWEL_MARK = f"{_ABOVE}{_BELOW}"
_TONE_MARK = f"{_TONE}\u0e4c"
_OTHER_MARK = "\u0e4d\u0e4e"
# Before the first bad pair of a run there can be one vowel mark at most.
_BAD_CLUSTER = re.compile(
    f"[{_VOWEL_MARK}]?(?:[{_TONE_MARK}{_OTHER_MARK}][{_MARK}]|[{_VOWEL_MARK}][{_VOWEL_MARK}{_OTHER_MARK}])"
    f"[{_MARK}]*"
)
_VOWEL_CHARS = frozenset("\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47")
_TONE_CHARS = frozenset("\u0e48\u0e49\u0e4a\u0e4b\u0e4c")
_STRAY_ZERO = regex.compile(f"([{_THAI}])\u0e50(?=[\u0e01-\u0e2e\u0e40-\u0e44])")


def _fix_cluster(m: re.Match[str]) -> str:
    """The last vowel mark then the last tone mark of a damaged run (เรีื่อง -> เรื่อง)."""
    run = m.group()
    vowel = tone = ""
    for ch in run:  # a loop over a few marks: faster than a regex or a comprehension
        if ch in _VOWEL_CHARS:
            vowel = ch
        elif ch in _TONE_CHARS:
            tone = ch
    return vowel + tone if vowel or tone else run[-1]


def _marks_first(m: re.Match[str]) -> str:
    run = m.group()
    return "".join(ch for ch in run if ch not in "\u0e32\u0e33") + "".join(
        ch for ch in run if ch in "\u0e32\u0e33"
    )


def _clean_characters(text: str) -> str:
    for ch in _INVISIBLE:
        if ch in text:
            text = text.replace(ch, "")
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    for ch in _OTHER_BREAKS:
        if ch in text:
            text = text.replace(ch, " ")
    text = _WIDE_SPACE.sub(" ", text)
    if _PUA.search(text):
        # str.translate runs at ~20 MB/s on Thai; replacing only the glyphs present is faster.
        for ch in set(_PUA.findall(text)):
            text = text.replace(ch, _PUA_TABLE[ord(ch)])
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


def _fix_spaces(text: str) -> str:
    text = _DANGLING.sub(r"\1", text)
    text = _DANGLING_AT_START.sub("", text, count=1) if _is_mark(text[:1]) else text
    if "  " in text:
        text = _SPACE_RUN.sub(" ", text)
    if "\t" in text:
        text = _TAB_RUN.sub("\t", text)
    return _TRAILING.sub("", text) if " \n" in text or text.endswith(" ") else text


def _is_mark(ch: str) -> bool:
    return ch in "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a" or "\u0e47" <= ch <= "\u0e4e"


def _fix_marks(text: str) -> str:
    text = _MARK_AFTER_AA.sub(_marks_first, text)
    if _NIKHAHIT in text:
        text = text.replace(_NIKHAHIT + _AA, _AM)  # the common case, before the general rule
        text = _NIKHAHIT_AA.sub(f"\\1{_AM}", text)
    if _AM + _AA in text or _AM + _AM in text:
        text = _AM_AA.sub(_AM, text)
    return _BAD_CLUSTER.sub(_fix_cluster, text)


def repair_text(text: str) -> str:
    """Repair damaged Thai text; the number of lines never changes.

    >>> repair_text("ผู้ดำารงตำาแหน่ง สํานัก")
    'ผู้ดำรงตำแหน่ง สำนัก'
    >>> repair_text("ต\\uf70aอ ส\\uf70aวนรวม")
    'ต่อ ส่วนรวม'
    >>> repair_text("ถ ึง เรีื่อง กา่ ก่่ ของ๐สำนักงาน")
    'ถึง เรื่อง ก่า ก่ ของสำนักงาน'
    >>> repair_text("a  b \\t c\\u200b \\nd")
    'a b\\tc\\nd'
    """
    if not isinstance(text, str) or not text:
        return "" if not isinstance(text, str) else text
    text = _clean_characters(text)
    # Joining split marks first lets the mark rules see them; the marks they move may
    # end up leading a line, which the space rules then drop.
    if " " in text:
        text = _SPACE_BEFORE_MARK.sub("", text)
    text = _fix_marks(text)
    text = _fix_spaces(text)
    if "\u0e50" in text:
        text = _STRAY_ZERO.sub(r"\1", text)
    return text
