"""Marks moved onto the next letter (pdf.js / page-flip viewer text), put back by the
dictionary, and only in a text that shows the damage."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from normalize import repair_text
from normalize.moved_marks import restore_moved_marks, shows_moved_marks

ROOT = Path(__file__).resolve().parents[2]
SIGNED = "วนั ที่ 31 มีนาคม จงั หวดั เชียงใหม่ "  # a moved ั: the text shows the damage

CASES = [
    ("ตวั ชีว้ ดั", "ตัว ชี้วัด"),
    ("ขอ้ มลู", "ข้อมูล"),
    ("กรุงเทพมหานครไดจ้ดั ทาํ", "กรุงเทพมหานครได้จัดทำ"),
    ("ไตรมาสท3ี่:", "ไตรมาสที่3:"),  # a mark moved onto a digit
    ("ภาษีป้ายและภาษทีดี่นิและ", "ภาษีป้ายและภาษีที่ดินและ"),  # ... onto เ-less vowels
    ("การพฒันา ปฏบิตังิาน", "การพัฒนา ปฏิบัติงาน"),
    ("ผลผลติและ", "ผลผลิตและ"),  # "ติ" is a word too: fewer words decide
    ("ต้งั แตว่ ันที่ 1", "ตั้งแต่วันที่ 1"),  # a vowel before the tone ต kept; ่ alone goes back
    ("ศูนย์การศึกษานอกระบบและการศึกษาตามอธั ยาศยั", "ศูนย์การศึกษานอกระบบและการศึกษาตามอัธยาศัย"),
    ("บา้ นสวนพอเพยี ง", "บ้านสวนพอเพียง"),  # the line rules' repair leaves the space
    ("งบประมาณ พ.ศ. 2565", "งบประมาณ พ.ศ. 2565"),  # an abbreviation's letter joins nothing
]


@pytest.mark.parametrize(("damaged", "repaired"), CASES)
def test_marks_go_back_in_a_text_that_shows_the_damage(damaged: str, repaired: str):
    assert repair_text(SIGNED + damaged) == repair_text(SIGNED) + " " + repaired


@pytest.mark.parametrize(("damaged", "repaired"), CASES)
def test_a_text_without_the_sign_is_left_alone(damaged: str, repaired: str):
    assert not shows_moved_marks("ข้อมูลตัวชี้วัด " + damaged) or "\u0e31" in damaged
    clean = "สวัสดีครับ ข้อมูลตัวชี้วัด ร้อยละของผู้ที่ได้รับการฉีดวัคซีน"
    assert repair_text(clean) == clean


def _texts() -> list[str]:
    files = sorted((ROOT / "samples").glob("*.txt")) + sorted((ROOT / "samples/real").glob("*.txt"))
    return [repair_text(f.read_text(encoding="utf-8")) for f in files]


MARKS = "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"


def _damage(line: str, rnd: random.Random) -> str:
    """A viewer's x order: a run of marks drawn at its base's right edge sorts after the
    next base (and the next base's marks then after the one after it), maybe a space."""
    out: list[str] = []
    pending = ""
    for base, marks in re.findall(f"([^{MARKS}])([{MARKS}]*)", line):
        out.append(base)
        flushed = bool(pending) and base not in " \t"
        if flushed:
            out.append(pending + (" " if rnd.random() < 0.5 else ""))
            pending = ""
        if marks and "\u0e01" <= base <= "\u0e2e" and (flushed or rnd.random() < 0.7):
            pending = marks
        else:
            out.append(marks)
    return "".join(out) + pending


def test_damaged_sample_lines_mostly_come_back_and_clean_ones_never_change():
    rnd = random.Random(3)
    lines = [ln for t in _texts() for ln in t.split("\n") if re.search("[ก-ฮ]", ln)]
    damaged = [(ln, _damage(ln, rnd)) for ln in lines[:200]]
    damaged = [(ln, d) for ln, d in damaged if d != ln]
    back = sum(
        restore_moved_marks(repair_text(d)).replace(" ", "") == ln.replace(" ", "")
        for ln, d in damaged
    )
    assert len(damaged) > 100
    assert back >= 0.75 * len(damaged), f"{back} of {len(damaged)}"  # 147 of 189
    unchanged = sum(restore_moved_marks(ln) == ln for ln in lines)
    assert unchanged >= 0.99 * len(lines)  # even where the sign would not have allowed it


@pytest.mark.parametrize(
    "text",
    [
        "ขั\uf70bนตอน ครั\uf70bงที่ ชั\uf70aวคราว",  # Private Use Area tones after ั: another damage
        "ขั ้นตอน",  # a mark split off by a space: another damage
        "ข้อมูลตัวชี้วัด การจัดการ",
    ],
)
def test_other_damage_is_no_sign(text: str):
    assert not shows_moved_marks(text)
