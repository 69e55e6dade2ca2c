"""What the fourth held-out generic set (bench/generic/heldout4) taught the generic kind.

Each rule is shown on lines written like the pages it came from, and on a line it must
leave alone, so that a test fails when the rule is lost or when it reaches too far.
"""

from __future__ import annotations

from parsers.registry import parse_document


def doc_of(text: str):
    return parse_document(text, "x.txt")


def test_a_ชื่อเรื่อง_label_names_the_title() -> None:
    value = "จ้างโครงการก่อสร้างถนนดินบดอัดแน่น บ้านหนองแห้ว หมู่ที่ 3 โดยวิธีเฉพาะเจาะจง"
    assert doc_of(f"ชื่อเรื่อง : {value}\n").title == value
    # the bare เรื่อง label still does
    assert doc_of("เรื่อง รายงานผลการเบิกจ่าย\n").title == "รายงานผลการเบิกจ่าย"


def test_a_headline_run_into_its_breadcrumb_ends_there() -> None:
    text = "ครม เห็นชอบ อนุมัติงบ ช่วยเกษตรกร รับผลกระทบภัยแล้งหน้าแรก ข่าว ข่าวสังคม - โซเชียล\n"
    assert doc_of(text).title == "ครม เห็นชอบ อนุมัติงบ ช่วยเกษตรกร รับผลกระทบภัยแล้ง"
    # หน้าแรก as a word of the title, with nothing after it, stays
    assert doc_of("ปรับปรุงเว็บไซต์หน้าแรก\n").title == "ปรับปรุงเว็บไซต์หน้าแรก"


def test_an_office_abbreviation_before_a_place_is_the_agency() -> None:
    text = "แผนปฏิบัติการประจำปีงบประมาณ พ.ศ.2566\n\nรวมแผน66\n\nแผนปฏิบัติการ กศน.อำเภอมะนัง 84\n"
    assert doc_of(text).agency == "กศน.อำเภอมะนัง"
    table = "(รายบุคคล สพด./ศูนย์ฯ/สพข. และภาพรวม สพด./ศูนย์ฯ/สพข.) |\nสพข. 7\nสพด.เชียงราย |\n"
    assert doc_of(table).agency == "สพด.เชียงราย"
    # a list of kinds of office in a table heading names no one
    assert doc_of("(รายบุคคล สพด./ศูนย์ฯ/สพข.)\n").agency is None
