"""Post-correction of OCR'd Thai by dictionary, only where it is unambiguous (pure: str -> str).

tesseract's Thai model makes a few damages over and over (measured on the samples printed
and scanned): a tone mark above an upper vowel is lost (ชื่อ -> ชือ, ที่ -> ที / ทิ),
่ and ้ are swapped (ตัวชี่วัด), ช is read as ข (ตัวขี้วัด) and ำ as ้า (ค้านิยาม).
Each word of pythainlp's ``thai_words()`` and each label the report forms use is damaged
in those ways (and ื read as ี, with the tone lost or not: สื่อ -> สีอ); a damaged form
that is no word and comes from exactly one word is put back wherever newmm's maximal
matching finds it.  The labels (ไตรมาสที่, ตัวชี้วัด, ...)
are put back even when their damaged form happens to be words (ไตรมาส + ที): the parsers
key on them.  ที before a number is ที่ (ครั้งที่ 2, วันที่ 19).  Digits are never touched: a
digit read wrong stays wrong, never invented.  Latin letters are left alone but for one
misreading: พ.ศ. read as "WA." (or "WAL") right before a Buddhist-era year or its dots.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from difflib import SequenceMatcher
from functools import lru_cache

_TONES = "\u0e48\u0e49\u0e4a\u0e4b"
_UPPER = "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e47"
_TONE_SWAP = str.maketrans("\u0e48\u0e49", "\u0e49\u0e48")
_LOST_TONE = re.compile(f"(?<=[{_UPPER}])[{_TONES}]")
_LOST_UPPER = re.compile(f"[{_UPPER}](?=[{_TONES}])")
_THAI_RUN = re.compile("[\u0e01-\u0e3a\u0e40-\u0e4e]+")
_ERA = re.compile(
    r"(?<![A-Za-z])(?:WA|Wa|WAL|W\.A)\.?(?=[ ]?(?:(?:25|๒๕)[0-9๐-๙]{2}(?![0-9๐-๙])|\.{2}))"
)
_MARKS = re.compile("[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")  # drawn above or below a letter
# A day, a month abbreviation as OCR damaged it, a year ("29 n.w. 2563", "26 ก.ุย. 2563")
_DAY_MONTH_YEAR = re.compile(r"(?<![0-9])([0-9]{1,2}[ \t]+)(\S{3,7})(?=[ \t]+[0-9]{2,4}(?![0-9]))")
# Latin letters tesseract reads Thai letters of month abbreviations as
_LOOKALIKE = str.maketrans({"n": "ก", "w": "พ", "W": "พ", "u": "ม"})
_TI_NUMBER = re.compile("(?<=[\u0e01-\u0e2e])ท[ีิ](?=\\s*[0-9\u0e50-\u0e59])")

# Labels of the four report kinds (the words the parsers look for), beyond thai_words().
LABELS = (
    "ตัวชี้วัด",
    "ชื่อตัวชี้วัด",
    "ประเภทตัวชี้วัด",
    "รายละเอียดตัวชี้วัด",
    "รายละเอียดเกี่ยวกับตัวชี้วัด",
    "รายละเอียด",
    "ตรวจประเมินตัวชี้วัด",
    "สนับสนุนตัวชี้วัด",
    "ไตรมาสที่",
    "ผลงานที่ทำได้",
    "ค่าเป้าหมาย",
    "ระดับที่",
    "ด้านที่",
    "ขั้นตอนที่",
    "ครั้งที่",
    "วันที่",
    "เมื่อวันที่",
    "ระดับความสำเร็จ",
    "เป้าประสงค์ที่",
    "หลักฐานอ้างอิง",
    "รายงานผลการดำเนินงาน",
    "รายงานผลฯ",
    "ผลการดำเนินงาน",
    "ความคืบหน้าโครงการ",
    "ยอดผู้เข้าถึง",
    "ยอดการเข้าถึง",
    "ยอดผู้เข้าชม",
    "ยอดผู้เข้าถึงรวมทั้งหมด",
    "กดถูกใจ",
    "แสดงความคิดเห็น",
    "ความคิดเห็น",
    "ชื่อ",
    "เรื่อง",
    "สิ่งแวดล้อม",
    "หน่วยงานที่รับผิดชอบ",
    "ผู้รับผิดชอบ",
    "เกณฑ์การให้คะแนน",
    "คะแนนที่ได้รับ",
    "หมายเลขโทรศัพท์",
    "ผู้ประสานงาน",
    "ผลเทียบกับเป้าหมาย",
    "ผลงานเทียบกับเป้าหมายรายไตรมาส",
    "ผลประเมินตัวชี้วัด",
    "ประเด็นยุทธศาสตร์",
    "ยุทธศาสตร์",
    "คำนิยาม",
    "วิธีการคำนวณ",
    "เป้าหมาย",
    "ประจำปีงบประมาณ",
    "ปีงบประมาณ",
    "ที่เกี่ยวข้อง",
)


# Labels that open a line before a colon ("** ปัญหาของโครงการ :ไม่มี"): the parsers match
# them whole, and tesseract damages them beyond the word forms above (ปั read as ๆไ, ุ lost).
LINE_LABELS = (
    "** ปัญหาของโครงการ",
    "** อุปสรรคของโครงการ",
    "*** สยป. ประเมินโครงการ",
    "*** สยป. ตรวจประเมินตัวชี้วัด",
)
_LABEL_LIKENESS = 0.8  # share of characters a damaged label keeps (difflib ratio)


def _damaged(word: str) -> set[str]:
    """The forms tesseract reads ``word`` as (``word`` itself left out)."""
    lost = _LOST_TONE.sub("", word)
    swapped = word.translate(_TONE_SWAP)  # ่ read as ้ and the other way round
    forms = {lost, swapped, word.replace("\u0e33", "\u0e49\u0e32")}
    if lost != word:  # ที่ -> ทิ, สื่อ -> สีอ: the upper vowel misread with the lost tone
        forms.add(lost.replace("\u0e35", "\u0e34"))
        forms.add(lost.replace("\u0e37", "\u0e35"))
    forms.add(word.replace("\u0e37", "\u0e35"))  # ื read as ี alone (มือ -> มีอ, so มีอ stays)
    forms.add(_LOST_UPPER.sub("", word))  # the vowel under a tone lost (เกี่ยว -> เก่ยว)
    forms |= {f.replace("ช", "ข") for f in (word, lost)}
    forms.add(word.replace("ผล", "ผูล"))  # the tail of ผ read as a ู under it (*ผูลงาน*)
    forms.discard(word)
    return forms


class _Words:
    """The words newmm may cut a run into, found as a pythainlp ``Trie`` finds them
    (``prefixes``: the words starting at a position, shortest first) from a set and the
    lengths of the words by their first two letters: built in ~0.05 s where the Trie of
    the same ~100,000 words took ~1 s of CPU in every worker process that OCRs."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = frozenset(words)
        lengths: dict[str, set[int]] = {}
        for word in self.words:
            lengths.setdefault(word[:2], set()).add(len(word))
        self.lengths = {key: sorted(found) for key, found in lengths.items()}

    def __bool__(self) -> bool:  # newmm takes a falsy dictionary for "use the default"
        return bool(self.words)

    def prefixes(self, text: str, start: int = 0) -> list[str]:
        words, room = self.words, len(text) - start
        found = [text[start]] if text[start : start + 1] in words else []
        for length in self.lengths.get(text[start : start + 2], ()):
            if length > room:
                break
            if length > 1 and (word := text[start : start + length]) in words:
                found.append(word)
        return found


# A label's letters without its marks, this long at least, name it alone: a line holding
# them with other marks (ตัวชว์ด, ตัวชวัด, รายละเอี้ยด: fonts whose marks tesseract loses or
# misplaces) holds the label.
_MIN_SKELETON = 5


@lru_cache(maxsize=1)
def _skeletons() -> dict[str, str]:
    """Letters-only form -> label, for the labels with marks whose form is long enough."""
    from normalize.repair_dict import dictionary_words

    found: dict[str, set[str]] = {}
    for label in LABELS:
        bare = _MARKS.sub("", label)
        if bare != label and len(bare) >= _MIN_SKELETON:
            found.setdefault(bare, set()).add(label)
    for word in dictionary_words():  # a word with the label's letters makes it ambiguous
        if (labels := found.get(_MARKS.sub("", word))) is not None and word not in labels:
            labels.add(word)
    unique = {bare: next(iter(labels)) for bare, labels in found.items() if len(labels) == 1}
    return dict(sorted(unique.items(), key=lambda item: -len(item[0])))  # longest first


def _relabel(run: str) -> str:
    """``run`` (Thai letters and marks) with each label written with wrong marks put back
    where a word follows it."""
    bare = _MARKS.sub("", run)
    if bare == run:
        return run
    for skeleton, label in _skeletons().items():
        at = bare.find(skeleton)
        if at < 0:
            continue
        letters = [i for i, ch in enumerate(run) if not _MARKS.match(ch)]
        start = letters[at]
        end = letters[at + len(skeleton)] if at + len(skeleton) < len(letters) else len(run)
        # the label ends where a word starts (ไตรมาสทั้ง holds ไตรมาสท but not ไตรมาสที่)
        if run[start:end] != label and (end == len(run) or _tables()[0].prefixes(run, end)):
            return _relabel(run[:start]) + label + _relabel(run[end:])
    return run


def _label_damage(label: str) -> set[str]:
    """Forms of a label with one ร read as ว (ระดับความสำเว็จ: the header the success table
    is found by), kept only for labels: among all words the swap is too often a word."""
    return {label[:i] + "ว" + label[i + 1 :] for i, ch in enumerate(label) if ch == "ร"}


@lru_cache(maxsize=1)
def _tables() -> tuple[_Words, dict[str, str]]:
    """newmm's dictionary (words, labels and damaged forms) and damaged form -> the right one."""
    from normalize.repair_dict import dictionary_words

    words = dictionary_words()
    origins: dict[str, set[str]] = {}
    for word in words:
        for form in _damaged(word):
            if form not in words:
                origins.setdefault(form, set()).add(word)
    fixes = {form: next(iter(src)) for form, src in origins.items() if len(src) == 1}
    labels = set(LABELS)
    for label in LABELS:  # a label beats the words its damaged form splits into
        for form in _damaged(label):
            if form not in labels:
                fixes[form] = label
        for form in _label_damage(label):
            if form not in labels and form not in words:
                fixes[form] = label
    return _Words(words | labels | set(fixes)), fixes


def warm() -> None:
    """Build the correction tables now (about 0.35 s of CPU, once per process), so a file's
    OCR budget is taken after them and what OCR reads is never lost to their cost."""
    _tables()
    _skeletons()


def correct_line(text: str) -> str:
    """``text`` with the unambiguous OCR damages of its Thai words put back."""
    text = _ERA.sub("พ.ศ.", text)
    if "." in text:
        text = _DAY_MONTH_YEAR.sub(_month_abbreviation, text)
    if not _THAI_RUN.search(text):
        return text
    text = _line_label(_TI_NUMBER.sub("ที่", text))
    return _THAI_RUN.sub(_correct_run, text)


@lru_cache(maxsize=1)
def _months_by_letters() -> dict[str, str]:
    """A month abbreviation without its marks -> the abbreviation, where that is one only
    (ม.ค. and มี.ค. share ม.ค.: neither is put back from it)."""
    from normalize.months import THAI_MONTH_ABBRS

    found: dict[str, list[str]] = {}
    for abbr in THAI_MONTH_ABBRS:
        found.setdefault(_MARKS.sub("", abbr), []).append(abbr)
    return {bare: abbrs[0] for bare, abbrs in found.items() if len(abbrs) == 1}


def _month_abbreviation(match: re.Match[str]) -> str:
    """A day's month abbreviation put back where its damage leaves one reading: Latin
    look-alikes (n.w. -> ก.พ.) or a stray mark (ก.ุย. -> ก.ย.)."""
    from normalize.months import THAI_MONTH_ABBRS

    day, token = match.group(1), match.group(2)
    if token in THAI_MONTH_ABBRS or token.count(".") != 2:
        return match.group(0)
    latin = token.translate(_LOOKALIKE)
    if latin != token and latin in THAI_MONTH_ABBRS:
        return day + latin
    bare = _months_by_letters().get(_MARKS.sub("", token))
    return day + bare if bare and _MARKS.search(token) else match.group(0)


def _line_label(text: str) -> str:
    """``text`` with the label before its colon put back when it is like one of
    ``LINE_LABELS`` and unlike the others (never where the label part holds a digit)."""
    if not text.startswith("**"):
        return text
    head, colon, rest = text.partition(":")
    label = head.rstrip()
    if not colon or label in LINE_LABELS or any(ch.isdigit() for ch in label):
        return text
    ratios = sorted((SequenceMatcher(None, label, known).ratio(), known) for known in LINE_LABELS)
    (second, _), (best, known) = ratios[-2], ratios[-1]
    if best < _LABEL_LIKENESS or best - second < 0.1:
        return text
    return known + head[len(label) :] + colon + rest


def _correct_run(match: re.Match[str]) -> str:
    from pythainlp.tokenize import word_tokenize

    run = _relabel(match.group(0))
    trie, fixes = _tables()
    if not any(_maybe_damaged(run)):
        return run
    tokens = word_tokenize(run, custom_dict=trie, engine="newmm", keep_whitespace=True)  # type: ignore[arg-type]
    return "".join(fixes.get(token, token) for token in tokens)


def _maybe_damaged(run: str) -> list[bool]:
    """Cheap precheck: only runs with a bare upper vowel, a tone mark, ข, ้า or ผู can hold
    a damage (few Thai runs have none of them, but those few cost nothing)."""
    return [
        bool(re.search(f"[{_UPPER}{_TONES}]", run)),
        "ข" in run,
        "ผู" in run,
    ]
