"""ำ lost with no space left ("สานักงาน"): restored for a whole text by the dictionary."""

from __future__ import annotations

from pathlib import Path

import pytest

from normalize import repair_text
from normalize.joined_am import looks_am_stripped, restore_joined_am

ROOT = Path(__file__).resolve().parents[2]
BANGNA = ROOT / "bench" / "generic" / "pages" / "bangna_report_form_2561.txt"
TEXTS = sorted((ROOT / "samples").glob("*.txt")) + sorted((ROOT / "samples" / "real").glob("*.txt"))

# A real KPI form copied out of a PDF whose font dropped every ำ (facts read by hand).
BANGNA_LINES = [
    ("ตามคารับรองการปฏิบัติราชการประจาปีงบประมาณ", "ตามคำรับรองการปฏิบัติราชการประจำปีงบประมาณ"),
    ("หน่วยงาน : สานักงานเขตบางนา", "หน่วยงาน : สำนักงานเขตบางนา"),
    ("ร้อยละความสาเร็จของแผน", "ร้อยละความสำเร็จของแผน"),
    ("ตาแหน่ง : เจ้าหน้าที่ระบบงานคอมพิวเตอร์ชานาญการ", "ตำแหน่ง : เจ้าหน้าที่ระบบงานคอมพิวเตอร์ชำนาญการ"),
    ("ผลการดาเนินงาน :", "ผลการดำเนินงาน :"),
]


def _read(path: Path) -> str:
    return repair_text(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(("damaged", "repaired"), BANGNA_LINES)
def test_a_real_stripped_page_gets_its_am_back(damaged: str, repaired: str) -> None:
    text = repair_text(BANGNA.read_text(encoding="utf-8"))
    assert damaged not in text
    assert repaired in text


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.name)
def test_stripped_samples_never_get_a_wrong_am(path: Path) -> None:
    text = _read(path)
    damaged = text.replace("\u0e33", "\u0e32")
    restored = restore_joined_am(damaged)
    wrong = [i for i, (a, c) in enumerate(zip(text, restored, strict=True)) if c != a == "\u0e32"]
    assert not wrong, [text[max(0, i - 5) : i + 5] for i in wrong]


def test_stripped_samples_get_most_am_back() -> None:
    sites = restored = 0
    for path in TEXTS:
        text = _read(path)
        back = restore_joined_am(text.replace("\u0e33", "\u0e32"))
        sites += text.count("\u0e33")
        restored += sum(1 for a, c in zip(text, back, strict=True) if a == c == "\u0e33")
    assert restored / sites >= 0.9, (restored, sites)


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.name)
def test_clean_text_without_am_is_left_alone(path: Path) -> None:
    clean = "\n".join(line for line in _read(path).split("\n") if "\u0e33" not in line)
    assert restore_joined_am(clean) == clean


@pytest.mark.parametrize(
    "text",
    [
        "ตามาก ดาวเทียม",  # too little Thai to tell damage from chance
        "สำนักงาน " + "ตามหา " * 60,  # ำ kept and no common word without it
        "Annual report 2024 " * 40,
        "",
    ],
)
def test_texts_that_are_not_stripped_are_untouched(text: str) -> None:
    assert restore_joined_am(text) == text


def test_a_short_text_with_a_common_damaged_word_is_restored() -> None:
    assert restore_joined_am("สานักงาน ดาเนินการ") == "สำนักงาน ดำเนินการ"


def test_the_cheap_test_needs_no_dictionary() -> None:
    assert looks_am_stripped("การดาเนินงาน " * 30)
    assert not looks_am_stripped("การดำเนินงาน " * 30)


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.name)
def test_a_clean_page_with_one_damaged_line_changes_on_that_line_only(path: Path) -> None:
    """A web page's header keeps its ำ and its body lost them: only the damage changes."""
    text = _read(path)
    damaged = "ผลการดาเนินงานของสานักงานเขตประจาปีงบประมาณ"
    restored = restore_joined_am(text + "\n" + damaged).split("\n")
    assert restored[:-1] == text.split("\n")
    assert restored[-1] == "ผลการดำเนินงานของสำนักงานเขตประจำปีงบประมาณ"
