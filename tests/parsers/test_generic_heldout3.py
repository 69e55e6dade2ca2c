"""What the third held-out generic set (bench/generic/heldout3) taught the generic kind.

Each rule is shown on lines written like the pages it came from, and on a line it must
leave alone, so that a test fails when the rule is lost or when it reaches too far.
"""

from __future__ import annotations

from parsers.registry import parse_document


def doc_of(text: str):
    return parse_document(text, "x.txt")


def test_a_breadcrumb_is_not_the_title() -> None:
    text = 'ขณะนี้คุณอยู่ที่ ›\n\n"วราวุธ" เผย พม. ขยายศูนย์พักพิงชั่วคราว ครบ 77 จังหวัด\n\nวันที่ลงข่าว: 15/10/24\n'
    assert doc_of(text).title == '"วราวุธ" เผย พม. ขยายศูนย์พักพิงชั่วคราว ครบ 77 จังหวัด'
    # a headline in guillemets is no breadcrumb
    assert doc_of("«ชัชชาติเปิดงบประมาณปี 2569»\n").title == "«ชัชชาติเปิดงบประมาณปี 2569»"
    assert doc_of("หน้าแรก › ข่าว ›\nงบประมาณปี 2569 ของกรุงเทพมหานคร\n").title == (
        "งบประมาณปี 2569 ของกรุงเทพมหานคร"
    )


def test_a_sites_name_over_its_pages_is_the_agency_not_the_title() -> None:
    text = (
        "อบต.วาเล่ย์ จ.ตาก …\n\nอบต.วาเล่ย์\n\n1 8 9 10 11\n\n"
        "โครงการปรับสภาพแวดล้อม และที่อยู่อาศัยให้แก่คนพิการ ประจำปีงบประมาณ พ.ศ.2566\n\n"
        "องค์การบริหารส่วนตำบลวาเล่ย์ ร่วมกับ พัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดตาก\n"
    )
    doc = doc_of(text)
    assert doc.title == "โครงการปรับสภาพแวดล้อม และที่อยู่อาศัยให้แก่คนพิการ ประจำปีงบประมาณ พ.ศ.2566"
    assert (doc.agency, doc.fiscal_year) == ("องค์การบริหารส่วนตำบลวาเล่ย์", 2566)
    # a title that names an agency and says more is still the title
    assert doc_of("สำนักงานเขตบางนา รายงานผลการดำเนินงาน\n").title == (
        "สำนักงานเขตบางนา รายงานผลการดำเนินงาน"
    )


def test_a_file_name_does_not_continue_the_title() -> None:
    text = "เทศบัญญัติงบประมาณรายจ่าย\nเทศบัญญัติงบประมาณ ๒๕๖๒.pdf\nคำแถลง www.laas.go.th/Print.aspx\n"
    assert doc_of(text).title == "เทศบัญญัติงบประมาณรายจ่าย"


def test_a_form_label_alone_on_its_line_names_the_next_line() -> None:
    text = (
        "กองทุนสุขภาพตำบล - กองทุนหลักประกันสุขภาพท้องถิ่น - กปท\n\n"
        "แบบฟอร์มพัฒนาโครงการ กองทุนสุขภาพตำบล อบต.หัวฝาย\n\n"
        "1. ชื่อโครงการ/กิจกรรม\n\n"
        "โครงการพัฒนาการดำเนินงาน การป้องกันและควบคุมโรคไม่ติดต่อ\n"
    )
    assert doc_of(text).title == "โครงการพัฒนาการดำเนินงาน การป้องกันและควบคุมโรคไม่ติดต่อ"


def test_a_label_glued_to_its_value_names_the_indicator() -> None:
    text = "ผลการดำเนินงาน >>\nชื่อตัวชี้วัดร้อยละของประชากรที่ได้รับวัคซีนป้องกันโรคโควิด 19\nปีงบประมาณ2565\n"
    doc = doc_of(text)
    assert doc.title == "ร้อยละของประชากรที่ได้รับวัคซีนป้องกันโรคโควิด 19"
    assert doc.fiscal_year == 2565
    assert [i.name for i in doc.indicators] == [doc.title]


def test_an_agency_after_ของ_and_an_agency_line_under_a_link_list() -> None:
    cover = "เทศบัญญัติงบประมาณรายจ่ายประจำปีงบประมาณ พ.ศ. 2557\nของเทศบาลตำบลนาป่าแซง\n"
    assert doc_of(cover).agency == "เทศบาลตำบลนาป่าแซง"
    links = "".join(f"รายงานที่ {n} www.laas.go.th/Print.aspx\n" for n in range(1, 20))
    text = f"เทศบัญญัติงบประมาณรายจ่าย\n{links}ส่วนที่ 1\nเทศบาลตำบลดงลิง\nอำเภอกมลาไสย\n"
    assert doc_of(text).agency == "เทศบาลตำบลดงลิง"
    # a line far down that says more than a name is no agency line
    assert doc_of(f"เทศบัญญัติงบประมาณรายจ่าย\n{links}เทศบาลตำบลดงลิง ขอขอบคุณ\n").agency is None


def test_the_organisation_named_after_its_division_is_the_agency() -> None:
    text = (
        "รายงานการประเมินผลตอบแทนทางเศรษฐกิจ ปงบประมาณ 2566 เอกสารวิชาการเลขที่ 02/03/2566 "
        "กองนโยบายและแผนการใชที่ดิน กันยายน 2566 กรมพัฒนาที่ดิน กระทรวงเกษตรและสหกรณ\n"
    )
    doc = doc_of(text)
    assert (doc.agency, doc.fiscal_year) == ("กรมพัฒนาที่ดิน", 2566)
    # a division with no organisation after it stays the agency
    assert doc_of("รายงานผล\nกองควบคุมโรคติดต่อ\n").agency == "กองควบคุมโรคติดต่อ"


def test_a_code_stated_by_its_label_and_a_school_as_agency() -> None:
    text = "โครงการสุขภาพดีสร้างได้ด้วยวัคซีน ปี 2568\nรหัสโครงการ 2568-L4135-02-06 เลขที่ข้อตกลง 28/2568\n"
    assert doc_of(text).code == "2568-L4135-02-06"
    assert doc_of("รหัสโครงการ ยังไม่กำหนด\n").code is None  # a label with no code after it
    school = "รายงานการประเมินคุณภาพภายนอก\nรหัสสถานศึกษา 1074590088 โรงเรียนอนุบาลบ้านแพ้ว (วันครู 2500)\n"
    assert doc_of(school).agency == "โรงเรียนอนุบาลบ้านแพ้ว"
