from parsers.registry import detect_kind, parse_document


def test_a_text_of_no_known_kind_is_generic():
    assert detect_kind("\n\nสวัสดีครับ นี่ไม่ใช่รายงาน\n", "x.txt") == "generic"
    doc = parse_document("\n\nสวัสดีครับ นี่ไม่ใช่รายงาน\n", "x.txt")
    assert doc.kind == "generic" and doc.title == "สวัสดีครับ นี่ไม่ใช่รายงาน"
    assert [(a.rule, a.severity) for a in doc.anomalies] == [("no_known_layout", "info")]
    assert doc.lines == ("", "", "สวัสดีครับ นี่ไม่ใช่รายงาน")
