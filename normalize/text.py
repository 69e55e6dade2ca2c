"""Repair of Thai text damaged by PDF tools, legacy fonts and web exports.

``repair_text`` never adds or removes a line: the count of ``"\\n"`` is kept exactly, so
line numbers found in the repaired text are those of the original (other characters that
``str.splitlines`` breaks on become spaces). It is idempotent and the identity on clean
Thai. Never NFKC: it splits ำ into ํ + า.

Blanks: runs of spaces become one space; a run holding a tab becomes one tab (table rows
are tab-separated, parsers split on tabs; empty cells between tabs are not kept); trailing
spaces are dropped.
"""

from __future__ import annotations

import re
import unicodedata
from typing import cast

import regex

from normalize.joined_am import restore_joined_am
from normalize.moved_marks import restore_moved_marks, shows_moved_marks
from normalize.repair_dict import repair_by_dictionary, repair_lost_am

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

# Removed outright: zero-width characters and the soft hyphen.
_INVISIBLE = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad")
_BIDI_CONTROLS = ("\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e")
# Characters str.splitlines() breaks on besides "\n": a parser using splitlines() must see
# the same lines as one splitting on "\n", so they become spaces.
_OTHER_BREAKS = ("\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")
_WIDE_SPACES = ("\u00a0", "\u1680", *map(chr, range(0x2000, 0x200B)), "\u202f", "\u205f", "\u3000")
# A legacy font's Private Use Area glyph -> the Thai character it draws (the PDF reader
# maps them as it reads, so that a shifted mark is attached by where it is drawn).
THAI_PUA = {chr(code): thai for code, thai in (*_PUA_WINDOWS.items(), *_PUA_MAC.items())}
# Every character _clean_characters replaces, and what with ("" removes it).
_SUSPECT_MAP = {
    **THAI_PUA,
    **dict.fromkeys(_INVISIBLE + _BIDI_CONTROLS, ""),
    **dict.fromkeys(_OTHER_BREAKS, " "),
    **dict.fromkeys(_WIDE_SPACES, " "),
}

_TONE = "\u0e48-\u0e4b"  # ่ ้ ๊ ๋
_ABOVE = "\u0e31\u0e34-\u0e37\u0e47"  # ั ิ ี ึ ื ็
_BELOW = "\u0e38-\u0e3a"  # ุ ู ฺ
_MARK = "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"  # every combining mark
_AM, _AA, _NIKHAHIT = "\u0e33", "\u0e32", "\u0e4d"

# Patterns that start with one literal character (" ", "\n", "๐") let ``re`` skip ahead
# at memchr speed: 3 ms per 10 MB against 50-130 ms for a leading class or lookbehind.
# The Thai-letter check of the character before is then done in Python on the rare hits.
_SUSPECT = re.compile("[" + "".join(sorted(_SUSPECT_MAP)) + "]")
# " า" is left to the dictionary (repair_dict.repair_lost_am): it may be a lost ำ.
_SPACE_BEFORE_MARK = re.compile(f" (?=[{_MARK}\u0e30\u0e33])")
_LEADING_TWICE = re.compile("([\u0e40-\u0e44\u0e30\u0e32])\\1+")  # ไไ, าา, ะะ (เเ is แ)
_LAKKHANGYAO = re.compile("(?<![\u0e24\u0e26])\u0e45")
_TWICE_VOWELS = ("\u0e40", "\u0e41", "\u0e42", "\u0e43", "\u0e44", "\u0e30", "\u0e32")
_TONE_AFTER_SARA_A = re.compile(f"\u0e30([{_TONE}])")  # จะ่ -> จ่ะ
_RING_AS_NIKHAHIT = re.compile("(?<=[\u0e01-\u0e4e])\u030a")  # U+030A typed for ํ
_DANGLING = tuple(re.compile(f"{c}[{_MARK}]+") for c in (" ", "\n", "\t"))
_DANGLING_AT_START = re.compile(f"[{_MARK}]+")
_SPACE_RUN = re.compile(r"  +")
# After _SPACE_RUN no run of two spaces is left.  Tabs separate table cells, so
# every tab is kept (an empty cell is two tabs in a row); only spaces around them go.
_TAB_RUN = regex.compile(r" ?\t[ \t]*")
_TRAILING = re.compile(r" (?=\n|\Z)")
_STRAY_ZERO = re.compile("\u0e50(?=[\u0e01-\u0e2e\u0e40-\u0e44])")
# A glyph with no Unicode (U+FFFD) inside Thai: a font's nikhahit before า is ำ ("ส\ufffdานัก");
# after a tone mark it is the mark's shifted form, drawn again ("อื่\ufffdน", "ที่ \ufffdคาด").
_UNMAPPED_AM = re.compile(f"([\u0e01-\u0e2e][{_TONE}\u0e4c]?)\ufffd{_AA}")
_UNMAPPED_AFTER_MARK = re.compile("([\u0e31\u0e34-\u0e37\u0e47-\u0e4c]) ?\ufffd")
# The mark rules run in an order that cannot undo itself (so repair is idempotent):
# 1. no mark can sit on า or ำ: a run after them belongs to the consonant before;
_MARK_AFTER_AA = re.compile(
    f"[{_AA}{_AM}](?<![{_AA}{_AM}][{_AA}{_AM}])[{_AA}{_AM}]*[{_MARK}][{_MARK}{_AA}{_AM}]*"
)
# 2. ํ + า (what shapers emit for ำ, maybe with a tone between) and ำ + า (pdfplumber);
_NIKHAHIT_AA = re.compile(f"{_NIKHAHIT}([{_MARK}]{{0,8}}){_AA}[{_AA}{_AM}]*")
_AM_AA = re.compile(f"{_AM}[{_AA}{_AM}]+")
# 3. damaged runs of marks are rebuilt. A run of marks is well formed when it is at most
# one vowel mark then one tone mark (or ์), or a lone ํ/๎. Any run holding a pair that
# breaks this is rebuilt by _fix_cluster; runs without such a pair are at most two marks
# long, so the scan stays linear.
_VOWEL_MARK = f"{_ABOVE}{_BELOW}"
_TONE_MARK = f"{_TONE}\u0e4c"
_OTHER_MARK = "\u0e4d\u0e4e"
# Before the first bad pair of a run there can be one vowel mark at most.
# Written to start with one class (then lookbehinds) so ``re`` can scan for it: 2x faster.
_BAD_CLUSTER = re.compile(
    f"[{_MARK}](?:"
    f"(?<=[{_VOWEL_MARK}])(?:[{_TONE_MARK}{_OTHER_MARK}][{_MARK}]|[{_VOWEL_MARK}{_OTHER_MARK}])"
    f"|(?<=[{_TONE_MARK}{_OTHER_MARK}])[{_MARK}]"
    f")[{_MARK}]*"
)
# 4. pdfplumber puts the ื of เ-ือ words after the อ (เร่อื, เครอ่ื for เรื่อ, เครื่อ). After
# เ and one or two consonants other than อ, "อื" is never correct Thai (อื่น has no เ).
_UE = re.compile("\u0e2d\u0e37")
_VOWEL_CHARS = frozenset("\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47")
_TONE_CHARS = frozenset("\u0e48\u0e49\u0e4a\u0e4b\u0e4c")
_TONES_ONLY = frozenset("\u0e48\u0e49\u0e4a\u0e4b")


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


def _after_thai(m: re.Match[str], keep: str) -> str:
    """Drop the match when a Thai character precedes it, else put ``keep`` back."""
    start = m.start()
    return "" if start and "\u0e01" <= m.string[start - 1] <= "\u0e4e" else keep


def _join_split_mark(m: re.Match[str]) -> str:
    return _after_thai(m, " ")


def _drop_stray_zero(m: re.Match[str]) -> str:
    return _after_thai(m, "\u0e50")


def _fix_suspect(m: re.Match[str]) -> str:
    return _SUSPECT_MAP[m.group()]


def _clean_characters(text: str) -> str:
    if _SUSPECT.search(text):
        if "\r\n" in text:
            text = text.replace("\r\n", "\n")
        # One scan with a callback on the rare hits: str.translate runs at ~20 MB/s on Thai.
        text = _SUSPECT.sub(_fix_suspect, text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if "\u030a" in text:
        text = _RING_AS_NIKHAHIT.sub("\u0e4d", text)
    if "\ufffd" in text:
        text = _UNMAPPED_AFTER_MARK.sub("\\1", _UNMAPPED_AM.sub(f"\\1{_AM}", text))
    return text


def _fix_vowels(text: str) -> str:
    """เเ -> แ, ๅ -> า (but ฤๅ), a vowel typed twice once, a tone after ะ before it."""
    if "\u0e40\u0e40" in text:
        text = text.replace("\u0e40\u0e40", "\u0e41")
    if "\u0e45" in text:  # ๅ typed for า; it is a vowel only after ฤ and ฦ
        text = _LAKKHANGYAO.sub("\u0e32", text)
    if any(v + v in text for v in _TWICE_VOWELS):  # one regex scan costs more than these
        text = _LEADING_TWICE.sub("\\1", text)
    if "\u0e30" in text:
        text = _TONE_AFTER_SARA_A.sub("\\1\u0e30", text)
    return text


def _fix_spaces(text: str) -> str:
    """Drop marks left leading a word or line, then collapse blanks (after _fix_marks)."""
    for pattern in _DANGLING:
        text = pattern.sub(lambda m: m.group()[0], text)
    if _is_mark(text[:1]):
        text = _DANGLING_AT_START.sub("", text, count=1)
    if "  " in text:
        text = _SPACE_RUN.sub(" ", text)
    if "\t" in text:
        text = _TAB_RUN.sub(_tabs_only, text)
    return _TRAILING.sub("", text) if " \n" in text or text.endswith(" ") else text


def _is_mark(ch: str) -> bool:
    return len(ch) == 1 and (ch in _VOWEL_CHARS or "\u0e47" <= ch <= "\u0e4e")


def _fix_marks(text: str) -> str:
    text = _MARK_AFTER_AA.sub(_marks_first, text)
    if _NIKHAHIT in text:
        text = text.replace(_NIKHAHIT + _AA, _AM)  # the common case, before the general rule
        text = _NIKHAHIT_AA.sub(f"\\1{_AM}", text)
    if _AM + _AA in text or _AM + _AM in text:
        text = _AM_AA.sub(_AM, text)
    text = _BAD_CLUSTER.sub(_fix_cluster, text)
    return _fix_split_ue(text) if "\u0e2d\u0e37" in text else text


def _fix_split_ue(text: str) -> str:
    parts, last = [], 0
    for m in _UE.finditer(text):
        at, after = m.start(), text[m.end() : m.end() + 1]
        if after in _TONES_ONLY and _after_e_cluster(text, at):  # เCอื่ -> เCื่อ
            parts += [text[last:at], "\u0e37", after, "\u0e2d"]
            last = m.end() + 1
        elif (
            not _is_mark(after)
            and at - 1 >= last
            and text[at - 1] in _TONES_ONLY
            and _after_e_cluster(text, at - 1)
        ):  # เC่อื -> เCื่อ
            parts += [text[last : at - 1], "\u0e37", text[at - 1], "\u0e2d"]
            last = m.end()
    return "".join(parts) + text[last:] if parts else text


def _after_e_cluster(text: str, end: int) -> bool:
    """Whether text[:end] ends with เ and one or two consonants other than อ."""
    return (end >= 2 and _is_consonant(text[end - 1])) and (
        text[end - 2] == "\u0e40"
        or (end >= 3 and _is_consonant(text[end - 2]) and text[end - 3] == "\u0e40")
    )


def _is_consonant(ch: str) -> bool:
    return "\u0e01" <= ch <= "\u0e2e" and ch != "\u0e2d"


def _tabs_only(m: regex.Match[str]) -> str:
    return "\t" * m.group().count("\t")


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
    moved = shows_moved_marks(text)  # read before the line rules move some ั back
    text = _repair_lines(text)
    # The repairs that need the whole text (whether any ำ is left anywhere, whether marks
    # moved onto the next letter): last, on repaired text.  Marks put back can make work
    # for the line rules (and those, a sign of moved marks): repeated until nothing moves,
    # so that repair stays idempotent.
    if moved or shows_moved_marks(text):
        for _ in range(_MAX_PASSES):
            fixed = restore_moved_marks(text)
            if fixed == text:
                break
            text = _repair_lines(fixed)
    return restore_joined_am(text)


def _repair_lines(text: str) -> str:
    if len(text) < _BY_LINES_FROM or "\n" not in text:
        return _repair_whole(text)
    return _repair_by_lines(text)


_MAX_PASSES = 4
# Every rule of a pass reads and writes within one line (no pattern matches "\n"; context
# checks stop at non-Thai characters; "\r\n" -> "\n" leaves the same line as "\r" -> " "
# then the trailing space dropped): the repair of a text is the repair of each of its lines.
# Documents repeat the lines of their templates, so lines already repaired are looked up.
_BY_LINES_FROM = 200  # shorter texts (a cell, a line) are repaired whole
_CACHED_LINE = 400  # longer lines are rarely repeated: not kept
_line_cache: dict[str, str] = {}
_LINE_CACHE_SIZE = 16384  # emptied when full: ~5 MB at most


def _repair_whole(text: str) -> str:
    # One repair can expose another (a dropped zero brings marks together): repeat until
    # nothing changes, so that repair is idempotent. Clean text takes one pass.
    for _ in range(_MAX_PASSES):
        fixed = _repair_pass(text)
        if fixed == text:
            break
        text = fixed
    return text


def _repair_by_lines(text: str) -> str:
    lines = text.split("\n")
    cache = _line_cache
    out: list[str | None] = [cache.get(line) for line in lines]
    missing = [i for i, got in enumerate(out) if got is None]
    if missing:  # repaired together: one pass over them all costs less than one per line
        fixed = _repair_whole("\n".join([lines[i] for i in missing])).split("\n")
        if len(cache) + len(missing) > _LINE_CACHE_SIZE:
            cache.clear()
        for i, new in zip(missing, fixed, strict=True):
            out[i] = new
            if len(lines[i]) <= _CACHED_LINE and len(cache) < _LINE_CACHE_SIZE:
                cache[lines[i]] = new
    return "\n".join(cast("list[str]", out))  # every None was filled


def _repair_pass(text: str) -> str:
    text = _clean_characters(text)
    if "\u0e50" in text:  # first: dropping it can bring marks together
        text = _STRAY_ZERO.sub(_drop_stray_zero, text)
    # Blanks first so that a split mark has one space before it; joining split marks
    # lets the mark rules see them; marks those rules leave leading a word are dropped.
    if "  " in text:
        text = _SPACE_RUN.sub(" ", text)
    text = _fix_vowels(text)
    text = repair_lost_am(text)
    text = _SPACE_BEFORE_MARK.sub(_join_split_mark, text)
    text = _fix_marks(text)
    text = _fix_spaces(text)
    return repair_by_dictionary(text)
