"""The generic kind: pages of no known layout land with what any report states."""

from __future__ import annotations

from pathlib import Path

import pytest

from normalize import repair_text
from parsers.registry import parse_document

PAGES = Path(__file__).resolve().parents[2] / "bench" / "generic" / "pages"


def page(name: str):
    return parse_document((PAGES / name).read_text("utf-8"), name)


def values(doc, names: list[str]) -> list[tuple[str, float | None, float | None]]:
    """(the expected name the indicator's starts with, target, result) of each indicator."""
    out = []
    for ind, name in zip(doc.indicators, names, strict=True):
        out.append(
            (name if ind.name.startswith(name) else ind.name, ind.target_value, ind.achieved_value)
        )
    return out


def test_a_labelled_kpi_page_gives_title_agency_year_and_indicator() -> None:
    text = (
        "รายงานผลการดำเนินงาน\n"
        "หน่วยงาน : สำนักงานสาธารณสุขจังหวัดน่าน\n"
        "ปีงบประมาณ พ.ศ. ๒๕๖๗\n"
        "ชื่อตัวชี้วัด : ร้อยละของผู้สูงอายุที่ได้รับการคัดกรอง\n"
        "ค่าเป้าหมาย : ≥ 45%\n"
        "ผลการดำเนินงาน : 52.5\n"
    )
    doc = parse_document(text, "x.txt")
    assert (doc.kind, doc.agency, doc.fiscal_year) == ("generic", "สำนักงานสาธารณสุขจังหวัดน่าน", 2567)
    assert doc.title == "ร้อยละของผู้สูงอายุที่ได้รับการคัดกรอง"
    [ind] = doc.indicators
    assert (ind.name, ind.target_value, ind.target_unit, ind.achieved_value, ind.line_no) == (
        "ร้อยละของผู้สูงอายุที่ได้รับการคัดกรอง",
        45.0,
        "ร้อยละ",
        52.5,
        4,
    )
    assert [a.rule for a in doc.anomalies] == ["no_known_layout"]


def test_kpi_table_rows_give_target_and_result() -> None:
    doc = page("moph_nkhdc_inspect_2567.txt")
    assert (doc.kind, doc.fiscal_year, doc.agency) == ("generic", 2567, "เขตสุขภาพที่ 11")
    names = ["ร้อยละของผู้ป่วยที่มีการวินิจฉัย", "ร้อยละของผู้ป่วยทั้งหมด"]
    assert values(doc, names) == [(names[0], 5.0, 8.78), (names[1], 50.0, 1255.49)]


def test_a_web_table_one_cell_per_line_and_a_rate_criterion_in_the_name() -> None:
    doc = page("moph_kkhdc_r7_2560.txt")
    names = ["หญิงตั้งครรภ์มีภาวะโลหิตจางไม่เกินร้อยละ 16", "ร้อยละเด็กแรกเกิด", "ร้อยละของหญิงหลังคลอด"]
    assert values(doc, names) == [
        (names[0], 16.0, 15.25),
        (names[1], 7.0, 7.7),
        (names[2], 65.0, 54.08),
    ]
    municipal = page("municipal_nakhonsi_2563.txt")
    assert municipal.agency == "เทศบาลนครนครศรีธรรมราช"
    assert [(i.target_value, i.achieved_value) for i in municipal.indicators] == [
        (85.0, 52.00384),
        (90.0, 76.47059),
        (90.0, None),
    ]


def test_checkpoints_of_a_moph_kpi_detail_page() -> None:
    doc = page("moph_ebook_kpi63_p56.txt")
    assert doc.fiscal_year == 2563
    assert {a.key: a.value for a in doc.attributes} == {
        "checkpoint_3m": "400,000 ครอบครัว",
        "checkpoint_6m": "600,000 ครอบครัว",
        "checkpoint_9m": "800,000 ครอบครัว",
        "checkpoint_12m": "1,000,000 ครอบครัว",
    }


def test_the_bma_unit_page_keeps_its_target_and_result() -> None:
    """It shares the KPI page's quarterly table, so kpi_detail claims it; its facts stay."""
    doc = page("bma_unit_20000000.txt")
    assert doc.kind == "kpi_detail"
    assert (doc.title, doc.code) == ("ผลการปฏิบัติราชการประจำปีของหน่วยงาน", "20000000")
    assert [(i.name, i.target_value, i.target_unit, i.achieved_value) for i in doc.indicators] == [
        ("มีการพัฒนาระบบสารสนเทศสำหรับงบประมาณมุ่งเน้นผลงาน", 1.0, "ฉบับ", 100.0)
    ]
    assert len(doc.quarterly_results) == 4


def test_a_moi_form_period_gives_the_fiscal_year_dates_and_amount() -> None:
    doc = page("moi_kpi_form_2_518.txt")
    assert (doc.agency, doc.fiscal_year) == ("กพร.สป.", 2566)
    assert doc.title is not None and doc.title.startswith("การบริหารและพัฒนาทรัพยากรบุคคล")
    assert any(
        (m.start_date.isoformat(), m.end_date.isoformat(), m.line_no)
        == ("2023-01-01", "2023-03-31", 5)
        for m in doc.date_mentions
    )


@pytest.mark.parametrize("name", sorted(p.name for p in PAGES.glob("*.txt")))
def test_every_bench_page_lands_with_its_lines(name: str) -> None:
    text = (PAGES / name).read_text("utf-8")
    doc = page(name)
    assert doc.kind in ("generic", "kpi_detail", "moi_kpi_report")  # the MoI form is a data kind
    assert doc.title
    assert "\n".join(doc.lines) == repair_text(text).rstrip("\n")


def test_amounts_and_dates_of_every_kind() -> None:
    doc = parse_document("งบประมาณ 1.5 ล้านบาท\nเมื่อวันที่ 3 ต.ค. 2565\n", "n.txt")
    assert [(a.raw, a.value, a.line_no) for a in doc.amounts] == [("1.5 ล้านบาท", 1500000.0, 1)]
    assert [(d.start_date.isoformat(), d.grain, d.line_no) for d in doc.date_mentions] == [
        ("2022-10-03", "day", 2)
    ]
    sample = Path(__file__).resolve().parents[2] / "samples" / "000_fe2414e97ca3dbed.txt"
    form = parse_document(sample.read_text("utf-8"), sample.name)
    assert form.kind == "kpi_form" and form.date_mentions and form.lines


def test_prose_is_not_an_indicator() -> None:
    doc = parse_document("ข่าวประชาสัมพันธ์\nจำนวนผู้เข้าร่วมงานมีมากกว่าที่คาดไว้ในปี 2566 อย่างมาก\n", "n.txt")
    assert doc.indicators == ()


def test_a_signature_is_not_the_title_and_names_the_municipality() -> None:
    text = (
        "นายดอนเดช กลางประพันธ์\n"
        "นายกเทศมนตรีตำบลบ้านเป้า\n"
        "การดำเนินการเพื่อจัดการความเสี่ยงการทุจริต\n"
        "โครงการความรู้คู่คุณธรรม\n"
    )
    doc = parse_document(text, "x.txt")
    assert (doc.title, doc.agency) == ("การดำเนินการเพื่อจัดการความเสี่ยงการทุจริต", "เทศบาลตำบลบ้านเป้า")


def test_a_dateline_and_an_english_gloss_are_not_the_title() -> None:
    news = "วันพฤหัสบดีที่ 6 พฤศจิกายน 2568\nผู้ว่าฯ กทม. เผยงบประมาณปี 2569 เน้นโครงการท้องถิ่น\n"
    doc = parse_document(news, "n.txt")
    assert (doc.title, doc.fiscal_year) == ("ผู้ว่าฯ กทม. เผยงบประมาณปี 2569 เน้นโครงการท้องถิ่น", 2569)
    form = parse_document("แบบประเมินผลการดำเนินงาน (Performance/Product Evaluation)\n", "f.txt")
    assert form.title == "แบบประเมินผลการดำเนินงาน"


def test_an_agency_label_offering_alternatives() -> None:
    text = "แบบเสนอโครงการ ประจำปีงบประมาณ 2555\nคณะ/สำนัก/หน่วยงาน คณะเกษตรศาสตร์ มหาวิทยาลัยอุบลราชธานี\n"
    doc = parse_document(text, "x.txt")
    assert (doc.agency, doc.fiscal_year) == ("คณะเกษตรศาสตร์ มหาวิทยาลัยอุบลราชธานี", 2555)


def test_a_unit_word_before_the_colon_and_the_numbered_name_above() -> None:
    text = (
        "โครงการจัดทำฐานข้อมูลตัวชี้วัด\n๑. กลุ่มการปฏิบัติงานมีรายงานผลการศึกษาบริบท : 88\n\nค่าเป้าหมาย เล่ม : 1\n"
    )
    [ind] = parse_document(text, "x.txt").indicators
    assert (ind.name, ind.target_value, ind.target_unit) == (
        "กลุ่มการปฏิบัติงานมีรายงานผลการศึกษาบริบท",
        1.0,
        "เล่ม",
    )


def test_an_indicator_labelled_inside_a_line_with_its_target() -> None:
    text = (
        "แบบประเมินผลการดำเนินงาน\n"
        "| 1 | เพื่อแก้ไขปัญหาสายตา ตัวชี้วัด : ผู้สูงอายุได้รับการแก้ไขด้วยแว่นตา ร้อยละ 80 |\n"
    )
    [ind] = parse_document(text, "x.txt").indicators
    assert (ind.name, ind.target_value) == ("ผู้สูงอายุได้รับการแก้ไขด้วยแว่นตา ร้อยละ 80", 80.0)


def test_rows_after_an_item_code_and_a_column_heading() -> None:
    text = (
        "ตัวชี้วัดจังหวัด\n"
        "จำนวน ร้อยละ จำนวน ร้อยละ จำนวน ร้อยละ\n"
        "1 0101 ร้อยละ80 ของผู้สูงอายุได้รับบริการใส่ฟันเทียม\n"
        "2 0103 ไม่น้อยกว่าร้อยละ 90 ของครัวเรือนที่ใช้เกลือเสริมไอโอดีน\n"
    )
    found = [
        (i.name, i.target_value, i.achieved_value) for i in parse_document(text, "t").indicators
    ]
    assert found == [
        ("ร้อยละ80 ของผู้สูงอายุได้รับบริการใส่ฟันเทียม", 80.0, None),
        ("ไม่น้อยกว่าร้อยละ 90 ของครัวเรือนที่ใช้เกลือเสริมไอโอดีน", 90.0, None),
    ]


def test_a_title_ends_before_its_period() -> None:
    doc = page("moph_kkhdc_r7_2560.txt")
    assert doc.title == "สรุปผลการปฏิบัติงาน ตัวชี้วัดระดับเขตสุขภาพที่7 ปีงบประมาณ 2560"
    text = "การปรับปรุงตัวชี้วัดของสำนักงานเขต ประจำปีงบประมาณ พ.ศ. 2555 ณ วันที่ 27 ธันวาคม 2555\n"
    assert parse_document(text, "x.txt").title == (
        "การปรับปรุงตัวชี้วัดของสำนักงานเขต ประจำปีงบประมาณ พ.ศ. 2555"
    )


def test_a_news_headline_names_the_budget_year() -> None:
    doc = parse_document("ไปดูงบประมาณ กทม. ปี 65 วงเงิน 79,855 ล้าน\nความสงบ ปี 60\n", "n.txt")
    assert doc.fiscal_year == 2565
    assert parse_document("รักษาความสงบ ปี 60 ในพื้นที่\n", "n.txt").fiscal_year is None


def test_real_pdf_headings_the_royal_gazette_head_and_a_paragraph_are_no_titles():
    """Seen on the real PDFs of ../shared/real-pdf: w06 (a Gazette act read by OCR) took
    the Gazette's running head for its title; w27 took a 300-letter paragraph."""
    from parsers.registry import parse_document

    act = (
        "เล่ม ๑๓๙ ตอนที่ ๒๑ ก\tราชกิจจานุเบกษา\t๑๕ กันยายน ๒๕๖๕\n\n"
        "พระราชบัญญัติ\n"
        "คุ้มครองและส่งเสริมวิถีชีวิตกลุ่มชาติพันธุ์แห่งประเทศไทย\n"
        "พ.ศ. ๒๕๖๕\n"
    )
    assert parse_document(act, "act.pdf").title == (
        "พระราชบัญญัติ คุ้มครองและส่งเสริมวิถีชีวิตกลุ่มชาติพันธุ์แห่งประเทศไทย พ.ศ. ๒๕๖๕"
    )
    paragraph = "การพัฒนาระบบบริหารจัดการ" * 12 + " และอื่น ๆ\n"
    assert parse_document(paragraph + "ผลการดำเนินงานด้านต่าง ๆ\n", "p.txt").title == (
        "ผลการดำเนินงานด้านต่าง ๆ"
    )
    # a text of paragraphs only: the opening words of the first stand for its title
    assert parse_document(paragraph, "p.txt").title == ("การพัฒนาระบบบริหารจัดการ" * 12)[:120]
    # a heading word alone still joins only short lines after an ordinary word
    assert parse_document("รายงานประจำปี\n" + "ก" * 60 + "\n", "r.txt").title == "รายงานประจำปี"


def test_real_pdf_headings_a_blank_cover_a_quoted_law_and_a_definition():
    """Seen on the real PDFs of ../shared/real-pdf: w03's cover names the Budget Bureau
    below 40 blank lines; w12's FY was the year of the regulation a paragraph quotes; w06's
    agency was the clause a law defines "หน่วยงานของรัฐ" by."""
    cover = "\n" * 14 + "เอกสารงบประมาณ ฉบับที่ ๓\n" + "\n" * 25 + "สำนักงบประมาณ สำนักนายกรัฐมนตรี\n"
    doc = parse_document(cover, "w03.pdf")
    assert (doc.title, doc.agency) == ("เอกสารงบประมาณ ฉบับที่ ๓", "สำนักงบประมาณ")
    manual = (
        "คู่มือการเขียนหนังสือราชการ\n\n"
        "ระเบียบงานสารบรรณสำนักนายกรัฐมนตรีว่าด้วยงานสารบรรณ พ.ศ. 2526 จะเกิดประโยชน์\n"
    )
    assert parse_document(manual, "w12.pdf").fiscal_year is None
    # a long line that calls its year annual still names it
    annual = (
        "รายละเอียด\n" + "เป็นโครงการเพื่อขับเคลื่อนการบรรลุเป้าหมายตามยุทธศาสตร์ชาติ ประจำปี พ.ศ. 2567 โดย\n"
    )
    assert parse_document(annual, "a.txt").fiscal_year == 2567
    # ... or dates a day (w29, a scanned vote log)
    vote = (
        "ร่างพระราชบัญญัติ\n" + "ผู้เข้าร่วมประชุม 380 " * 3 + "วันที่ 09 เดือน กุมภาพันธ์ พ.ศ. 2565 เวลา 16:24\n"
    )
    assert parse_document(vote, "v.pdf").fiscal_year == 2565
    act = "พระราชบัญญัติ\n“หน่วยงานของรัฐ”\tหมายความว่า\tส่วนราชการ รัฐวิสาหกิจ องค์การมหาชน\n"
    assert parse_document(act, "act.pdf").agency is None
