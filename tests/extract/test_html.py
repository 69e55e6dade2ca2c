"""Saved web pages become the same lines a text export has."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.extract.dispatch import extract
from ingest.extract.html import CHECKED, UNCHECKED, html_to_text, looks_like_html

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>ไม่ใช่เนื้อหา</title>
<style>p { color: red } /* <p>not text</p> */</style>
<script>var s = "<div>not text</div>"; if (a < b && c > d) {}</script>
</head><body>
<noscript>เปิด JavaScript</noscript>
<div>รายละเอียดตัวชี้วัด</div><br>
<p>ร้อยละความสำเร็จ &amp; ความโปร่งใส : 0411-2029</p>
<p>ค่าเป้าหมาย&nbsp;ร้อยละ : 100<br>ผลงานที่ทำได้ ร้อยละ : 100</p>
<table><tr><th>ประเด็น</th><th>รายละเอียด</th></tr>
<tr><td>นิยาม</td><td> แผน <b>สื่อสาร</b>เมือง </td><td></td></tr>
<tr><td>เอกสาร</td><td><input type="checkbox" checked> มาตรฐาน <input type="checkbox"> อื่น ๆ</td></tr>
</table>
<ul><li>หนึ่ง</li><li>สอง</li></ul>
<script src="x.js"></script>
</body></html>
"""


def test_saved_page_becomes_lines():
    assert html_to_text(PAGE).split("\n") == [
        "รายละเอียดตัวชี้วัด",
        "",
        "ร้อยละความสำเร็จ & ความโปร่งใส : 0411-2029",
        "ค่าเป้าหมาย ร้อยละ : 100",
        "ผลงานที่ทำได้ ร้อยละ : 100",
        "ประเด็น\tรายละเอียด",
        "นิยาม\tแผน สื่อสารเมือง\t",
        f"เอกสาร\t{CHECKED} มาตรฐาน {UNCHECKED} อื่น ๆ",
        "หนึ่ง",
        "สอง",
        "",
    ]


def test_extract_routes_html_by_name_and_by_doctype():
    got = extract(PAGE.encode(), "page.htm")
    assert got.media_type == "html" and got.encoding == "utf-8"
    assert "var s" not in got.text and "ไม่ใช่เนื้อหา" not in got.text
    assert extract(PAGE.encode(), "export").media_type == "html"  # sniffed, no extension


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"<!DOCTYPE html><html>", "a.html", True),
        (b"plain", "a.HTM", True),
        (b"\xef\xbb\xbf  <!doctype HTML>\n<html>", "download", True),
        (b"<!-- saved --><html lang='th'>", "download", True),
        (b"<html>", "kr_sheet.txt", False),  # a .txt is never a saved page
        (b'<p><input checked="" type="checkbox"/> x</p>', "download", False),
        (b"<p>text</p>", "x.dat", False),
    ],
)
def test_looks_like_html(data: bytes, name: str, expected: bool):
    assert looks_like_html(data, name) is expected


def test_kr_sheet_text_keeps_its_markup():
    text = 'เอกสาร\t<input checked="" type="checkbox"/> มาตรฐาน <p>ย่าน</p>\n'
    got = extract(text.encode(), "kr.txt")
    assert got.media_type == "text" and got.text == text


def test_cp874_page_with_declared_charset():
    page = '<html><head><meta charset="windows-874"></head><body><p>ผลงาน ๑๐๐</p></body></html>'
    got = extract(page.encode("cp874"), "p.html")
    assert got.text == "ผลงาน ๑๐๐\n"
    assert got.encoding == "cp874"


def test_lying_charset_falls_back_to_detection():
    page = '<html><head><meta charset="utf-8"></head><body><p>ผลงาน</p></body></html>'
    got = extract(page.encode("cp874"), "p.html")
    assert got.text == "ผลงาน\n" and got.encoding == "cp874"


def test_deeply_nested_page_does_not_recurse():
    depth = 50_000
    page = (
        "<html><body>" + "<div><span>" * depth + "ลึก" + "</span></div>" * depth + "</body></html>"
    )
    assert html_to_text(page) == "ลึก\n"


def test_unclosed_head_does_not_hide_the_body():
    assert html_to_text("<html><head><title>t</title><body><p>เนื้อหา</p>") == "เนื้อหา\n"


def test_a_table_row_stays_one_line():
    page = "<table><tr><td><p>นิยาม</p></td><td><p>แผน</p><p>สื่อสาร<br>เมือง</p></td></tr></table>"
    assert html_to_text(page) == "นิยาม\tแผน สื่อสาร เมือง\n"


def test_pre_keeps_its_lines():
    assert html_to_text("<pre>a  b\nc</pre><p>d</p>") == "a  b\nc\nd\n"


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["<p>", "</p>", "<td>", "</td>", "<tr>", "<br/>", "<script>", "</script>", "<style>",
             "<!--", "-->", "<input type=checkbox checked>", "&amp;", "&#3585;", "&bogus;", "<",
             ">", "ผล", " ", "\n", "\t", "\u00a0", "<html", "</head>", "<![CDATA[", "]]>"]
        ),
        max_size=40,
    ).map("".join)
)  # fmt: skip
def test_hostile_markup_never_crashes(markup: str):
    text = html_to_text(markup)
    assert text.endswith("\n")
    assert "\r" not in text
