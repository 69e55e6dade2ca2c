"""Table-driven and property tests of normalize.repair_text."""

from __future__ import annotations

import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from normalize import repair_text

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
SAMPLE_FILES = sorted(SAMPLES.glob("*.txt")) + sorted(SAMPLES.glob("real/*.txt"))

# Damage found in /work/main/samples, repaired.
FROM_SAMPLES = [
    ("ฝ่ายประชาสัมพันธ์ สํานักปลัดกรุงเทพมหานคร", "ฝ่ายประชาสัมพันธ์ สำนักปลัดกรุงเทพมหานคร"),
    ("ข้อเท็จจริง เรีื่องพบผู้ติดเชื้อโควิด", "ข้อเท็จจริง เรื่องพบผู้ติดเชื้อโควิด"),
    ("แผนการพัฒนาของ๐สำนักงานเขต  ", "แผนการพัฒนาของสำนักงานเขต"),
    (
        "มีความรับผิดชอบต\uf70aอ ส\uf70aวนรวมมากกว\uf70aาส\uf70aวนตน",
        "มีความรับผิดชอบต่อ ส่วนรวมมากกว่าส่วนตน",
    ),
    ("ข้าราชการและผู้ดำารงตำาแหน่งทางการเมือง", "ข้าราชการและผู้ดำรงตำแหน่งทางการเมือง"),
    ("ผู้ดำารงตำาแหน่ง", "ผู้ดำรงตำแหน่ง"),
    ("สำนักงานเขต\t\t<p>", "สำนักงานเขต\t\t<p>"),
    ("\t\t\t(Communication Plan) ของ", "\t\t\t(Communication Plan) ของ"),
    ("ประเด็น\tรายละเอียด\t\t", "ประเด็น\tรายละเอียด\t\t"),
    ("ต\uf70bองการ", "ต้องการ"),
    # glyphs without Unicode in an Acrobat budget book (PSL fonts): nikhahit, shifted marks
    ("ประจ\ufffdาปีงบประมาณ ส\ufffdานักงบประมาณ", "ประจำปีงบประมาณ สำนักงบประมาณ"),
    ("หน่วยงานอื่\ufffdนของรัฐ ความเชื่\ufffdอมโยง", "หน่วยงานอื่นของรัฐ ความเชื่อมโยง"),
    ("ผลสัมฤทธิ์\ufffdและประโยชน์ที่ \ufffdคาดว่า", "ผลสัมฤทธิ์และประโยชน์ที่คาดว่า"),
    ("ฉบับที่ \ufffd 12 น้\ufffdาท่วม", "ฉบับที่ 12 น้ำท่วม"),
    ("a\ufffdb \ufffdา", "a\ufffdb \ufffdา"),  # no Thai letter or mark before it: left
]

# The repairs the issue lists, one by one.
REPAIRS = [
    ("ต\uf70aอ ส\uf70aวนรวม", "ต่อ ส่วนรวม"),
    ("สํานัก", "สำนัก"),
    ("ทํา", "ทำ"),
    ("ดำารง", "ดำรง"),
    ("ตำาแหน่ง", "ตำแหน่ง"),
    ("นํ้า", "น้ำ"),  # ํ, tone, า: the shaper's order
    ("น้ํา", "น้ำ"),
    ("นำ้", "น้ำ"),  # tone typed after ำ
    ("กา่", "ก่า"),
    ("เกา้", "เก้า"),
    ("ก่่", "ก่"),
    ("ที่่", "ที่"),
    ("กิิ", "กิ"),
    ("ผูู้", "ผู้"),
    ("เรีื่อง", "เรื่อง"),
    ("กิ่ี", "กี่"),
    ("ก่ิ", "กิ่"),  # tone before its vowel
    ("ก่้", "ก้"),  # two tones: the last wins
    ("ถ ึง", "ถึง"),
    ("ก ่า", "ก่า"),
    ("ส ำนัก", "สำนัก"),
    ("ม า", "มา"),
    ("ก ะ", "กะ"),
    ("ก\u200bข", "กข"),
    ("ก\u200cข", "กข"),
    ("ก\u200dข", "กข"),
    ("ก\u2060ข", "กข"),
    ("\ufeffกข", "กข"),
    ("ก\u00adข", "กข"),
    ("ก\u200eข\u202bค", "กขค"),  # bidi controls
    ("ของ๐สำนักงาน", "ของสำนักงาน"),
    ("่กข", "กข"),
    ("ก\n่ข", "ก\nข"),
    ("ก\t่ข", "ก\tข"),
    ("a ่b", "a b"),
    ("a  b", "a b"),
    ("a     b", "a b"),
    ("a \t b", "a\tb"),
    ("a\t\tb", "a\t\tb"),
    ("a \t \t b", "a\t\tb"),
    ("a\t \t b", "a\t\tb"),
    ("abc   \ndef  ", "abc\ndef"),
    ("a\u00a0b", "a b"),
    ("a\u3000b", "a b"),
    ("a\r\nb", "a\nb"),
    ("a\rb", "a b"),
    ("a\x0cb", "a b"),
    ("a\u2028b", "a b"),
    ("e\u0301", "é"),
    # pdfplumber's เ-ือ order (performance-notes.md: ชื่อ -> ช่อื; เรื่อง -> เร่อื ง)
    ("เคร่อืง", "เครื่อง"),
    ("เพ่อืน", "เพื่อน"),
    ("เม่อื", "เมื่อ"),
    ("เครอ่ื", "เครื่อ"),
    ("เร่อื ง", "เรื่อ ง"),  # the space inside the word stays: no safe rule removes it
]

# Clean text must come back unchanged.
IDENTITY = [
    "",
    "กข",
    "น้ำ",
    "ผู้ดำรงตำแหน่ง",
    "ชื่อ เรื่อง ศักดิ์สิทธิ์",
    "ปีงบประมาณ พ.ศ. ๒๕๖๘ ระดับที่ ๕",
    "๒๕๖๐ และ ๑๐๐ ข้อ ๐๑",
    "ก็ได้ เก้าสิบ",
    "ภาษาไทย\nบรรทัดที่สอง\n\nบรรทัดที่สี่",
    "ประเด็น\tรายละเอียด",
    "ร้อยละ 84.80",
    "(Communication Plan) BMA Policy Tracking",
    "ﬁ １ ำ",  # no NFKC: compatibility characters stay
    " ข้อความนำหน้าด้วยช่องว่าง",
    "\n\n\n",
    "ก\n",
    "อื่นๆ พ่ออื่น เธออื่น เจออื่น คนอื่น",  # อื after no เ-cluster is correct Thai
    "แม่อีก",
]

# Private Use Area glyphs (HarfBuzz thai_pua_shape) on a consonant.
PUA = {
    "\u0e48": "\uf70a\uf705\uf713\uf88b\uf88c\uf88a",
    "\u0e49": "\uf70b\uf706\uf714\uf88e\uf88f\uf88d",
    "\u0e4a": "\uf70c\uf707\uf715\uf891\uf892\uf890",
    "\u0e4b": "\uf70d\uf708\uf716\uf894\uf895\uf893",
    "\u0e4c": "\uf70e\uf709\uf717\uf897\uf898\uf896",
    "\u0e38": "\uf718\uf89b",
    "\u0e39": "\uf719\uf89c",
    "\u0e3a": "\uf71a\uf89d",
    "\u0e31": "\uf710\uf884",
    "\u0e34": "\uf701\uf885",
    "\u0e35": "\uf702\uf886",
    "\u0e36": "\uf703\uf887",
    "\u0e37": "\uf704\uf888",
    "\u0e47": "\uf712\uf889",
}
PUA_CASES = [(f"ก{glyph}", f"ก{thai}") for thai, glyphs in PUA.items() for glyph in glyphs]
PUA_CASES += [
    ("\uf70fาณ", "ญาณ"),
    ("\uf89aาณ", "ญาณ"),
    ("\uf700าน", "ฐาน"),
    ("\uf89eาน", "ฐาน"),
    ("ก\uf711า", "กำ"),
    ("ก\uf899า", "กำ"),
]

# Other tools' known faults (thai-text-notes.md) that repair_text must not share.
OTHER_TOOLS = [
    ("ต\uf70aอ", "ต่อ"),  # the "fix-thai-pdf" table turns it into ตชอ
    ("ดำารง", "ดำรง"),  # pythainlp normalize leaves ดำา
    ("เรีื่อง", "เรื่อง"),  # ... and two above vowels
    ("\ufeffเรื่อง", "เรื่อง"),  # ... and U+FEFF
    ("ก\u200dข\u2060ค", "กขค"),  # remove_zw strips only U+200B and U+200C
    ("ก  ข\n\nค", "ก ข\n\nค"),  # remove_dup_spaces also collapses newlines
    ("ดำ", "ดำ"),  # NFKC would split ำ into ํ + า
]

TABLE = FROM_SAMPLES + REPAIRS + [(t, t) for t in IDENTITY] + PUA_CASES + OTHER_TOOLS


@pytest.mark.parametrize(("text", "expected"), TABLE)
def test_repair_text(text: str, expected: str) -> None:
    assert repair_text(text) == expected


@pytest.mark.parametrize(("text", "expected"), TABLE)
def test_repair_text_is_idempotent_on_the_table(text: str, expected: str) -> None:
    assert repair_text(expected) == expected


def test_never_nfkc() -> None:
    assert unicodedata.normalize("NFKC", "ดำ") != "ดำ"  # the trap is real
    assert repair_text("ดำ") == "ดำ"


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_samples_line_count_and_idempotence(path: Path) -> None:
    raw = path.read_text(encoding="utf-8")
    once = repair_text(raw)
    assert once.count("\n") == raw.count("\n")
    assert once.splitlines() == once.split("\n")[: len(once.splitlines())]
    assert repair_text(once) == once
    for line in once.split("\n"):
        assert repair_text(line) == line


THAI = st.sampled_from(
    list("กขคงจนมรอยวสหาำะเแโใไ") + list("ัิีึืุู็่้๊๋์ํ")
    + list(" \t\n\r\u00a0\u200b\ufeff\u00ad๐1.,/-")
    + ["\uf70a", "\uf70b", "\uf711", "\uf884", "\uf899", "ํา", "ำา", " ึ", "า่"]
)  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(st.lists(THAI, max_size=40).map("".join))
def test_idempotent_and_keeps_lines_on_thai_noise(text: str) -> None:
    once = repair_text(text)
    assert repair_text(once) == once
    assert once.count("\n") == text.count("\n")


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_idempotent_and_keeps_lines_on_any_text(text: str) -> None:
    once = repair_text(text)
    assert repair_text(once) == once
    assert once.count("\n") == text.count("\n")


HOSTILE = [
    "",
    "\ufeff",
    "\u200b",
    "\u00a0",
    "\r\n",
    "\r",
    "\n",
    "่",
    "ำ",
    "ํ",
    "า่",
    "\ud800",
    "\x00",
    "\ufffd",
    "(cid:123)",
    "\ufeff\u200b\u00a0\r\n่ำ",
    "่" * 1000,
    "ก่" * 1000,
    " \t" * 1000,
    "\uf70a" * 1000,
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_strings(text: str) -> None:
    once = repair_text(text)
    assert once.count("\n") == text.count("\n")
    assert repair_text(once) == once


def test_a_megabyte_is_repaired_quickly() -> None:
    text = ("ผู้ดำารงตำาแหน่ง ต\uf70aอ สํานัก   ถ ึง\t\t" * 20_000 + "\n") * 3
    started = time.perf_counter()
    once = repair_text(text)
    assert time.perf_counter() - started < 5
    assert once.count("\n") == 3
    assert "ดำา" not in once and "\uf70a" not in once and "  " not in once


def test_non_str_is_returned_empty_not_raised() -> None:
    assert repair_text(None) == ""  # type: ignore[arg-type]
