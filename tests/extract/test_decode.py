"""Text encodings: detection, overrides, and the errors bad bytes get."""

from __future__ import annotations

import codecs
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.extract.decode import decode_bytes
from ingest.extract.dispatch import extract
from parsers.errors import DecodeError, InputError

THAI = "ร้อยละความสำเร็จของการรณรงค์ : 0411-2029\nไตรมาสที่ ๑\tผลงาน 10.00\n"

CASES = [
    # (id, bytes, detected encoding)
    ("utf-8", THAI.encode(), "utf-8"),
    ("utf-8-bom", codecs.BOM_UTF8 + THAI.encode(), "utf-8-sig"),
    ("utf-16-le-bom", codecs.BOM_UTF16_LE + THAI.encode("utf-16-le"), "utf-16-le"),
    ("utf-16-be-bom", codecs.BOM_UTF16_BE + THAI.encode("utf-16-be"), "utf-16-be"),
    ("utf-16-le-no-bom", THAI.encode("utf-16-le"), "utf-16-le"),
    ("utf-16-be-no-bom", THAI.encode("utf-16-be"), "utf-16-be"),
    ("cp874", THAI.encode("cp874"), "cp874"),
    ("tis-620", THAI.encode("tis-620"), "cp874"),
    ("ascii", b"KPI 0411-2029\n", "utf-8"),
]


@pytest.mark.parametrize(("data", "encoding"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_encodings_are_detected(data: bytes, encoding: str):
    got = extract(data, "report.txt")
    assert got.text == THAI or got.text == "KPI 0411-2029\n"
    assert got.encoding == encoding
    assert got.media_type == "text"
    assert got.line_pages is None


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (b"a\r\nb\r\n", "a\nb\n"),
        (b"a\rb\r", "a\nb\n"),
        (b"a\r\n\r\nb", "a\n\nb"),
        (b"a\n\rb", "a\n\nb"),
    ],
)
def test_line_ends_become_lf(raw: bytes, text: str):
    assert extract(raw, "x.txt").text == text


def test_encoding_override_wins():
    data = THAI.encode("cp874")
    assert extract(data, "x.txt", encoding="cp874").encoding == "cp874"
    # forcing a wrong encoding fails with the reason instead of guessing
    with pytest.raises(DecodeError, match="not valid utf-8"):
        extract(data, "x.txt", encoding="utf-8")


def test_unknown_override_is_named():
    with pytest.raises(DecodeError, match="'klingon' is not known"):
        extract(b"abc", "x.txt", encoding="klingon")


def test_empty_file_is_a_clear_error():
    with pytest.raises(InputError, match="empty") as info:
        extract(b"", "blank.txt")
    assert info.value.path == "blank.txt"
    assert not isinstance(info.value, DecodeError)
    with pytest.raises(InputError, match="empty"):
        extract(b" \r\n\t\n", "blank.txt")


def test_binary_noise_is_refused_naming_the_encodings_tried():
    noise = random.Random(7).randbytes(4096)
    with pytest.raises(DecodeError) as info:
        extract(noise, "noise.txt")
    message = str(info.value)
    assert "noise.txt" in message
    assert "utf-8" in message and "cp874" in message


def test_control_characters_are_not_text():
    data = bytes(range(1, 9)) * 100  # valid UTF-8, but no export looks like this
    with pytest.raises(DecodeError, match=r"not text|control characters"):
        extract(data, "ctl.txt")


def test_cp874_needs_to_read_as_thai():
    # bytes cp874 maps (to Thai letters here) but that are Latin-1 text in fact: the
    # sanity check must not accept a decode that is mostly not Thai/ASCII
    latin1 = "Ångström café naïve façade, Øresund, Þórr, ÿ, è é".encode("latin-1") * 20
    with pytest.raises(DecodeError):
        decode_bytes(latin1, "latin1.txt")


def test_bom_only_utf16_with_broken_body_is_refused():
    with pytest.raises(DecodeError):
        extract(codecs.BOM_UTF16_LE + b"\x00\xd8\x41", "bad16.txt")


def test_short_cp874_that_is_valid_utf8_is_read_as_thai():
    data = "ฯผลงาน ".encode("cp874")  # CF BC C5 A7 D2 B9 20: also UTF-8 for "ϼŧҹ "
    got = extract(data, "short.txt")
    assert (got.text, got.encoding) == ("ฯผลงาน ", "cp874")
    assert extract("Ångström Привет".encode(), "x.txt").encoding == "utf-8"


def test_text_mentioning_pdf_stays_text():
    got = extract(b"see attachment %PDF-1.4 report\n", "note.txt")
    assert got.media_type == "text"


def test_zero_width_and_nbsp_survive_decoding():
    text = "ผล\u200bงาน\u00a0100\ufeff\n"
    got = extract(text.encode(), "z.txt")
    assert got.text == text


WORDS = [
    "ร้อยละ", "ความสำเร็จ", "ไตรมาสที่", "๒๕๖๘", "ผลงาน", "สำนัก", "กรุงเทพมหานคร", "ค่าเป้าหมาย",
    "ฯ", "ๆ", "ครั้ง", "คน", "0411-2029", "10.00", "KPI", "(Output)", ":", "31/1/2563", "฿",
]  # fmt: skip
thai_or_ascii = st.lists(
    st.tuples(st.sampled_from(WORDS), st.sampled_from([" ", "", "\n", "\t", "  "])),
    min_size=1,
    max_size=60,
).map(lambda parts: "".join(w + sep for w, sep in parts))


@settings(max_examples=150, deadline=None)
@given(text=thai_or_ascii, codec=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp874"]))
def test_round_trip(text: str, codec: str):
    got = extract(text.encode(codec), "t.txt")
    assert got.text == text


@settings(max_examples=150, deadline=None)
@given(data=st.binary(min_size=1, max_size=300))
def test_arbitrary_bytes_decode_or_fail_cleanly(data: bytes):
    try:
        got = extract(data, "b.bin")
    except InputError:
        return
    assert "\r" not in got.text


@pytest.mark.parametrize("cut", [1, 2])
def test_a_capture_cut_inside_a_thai_character_keeps_its_text(cut):
    whole = "ผลงานที่ทำได้ ร้อยละ : 70\nรายงานผลฯ".encode()
    got = extract(whole[:-cut], "cut.txt")  # ฯ is 3 bytes: 1 or 2 of them survive
    assert got.text == "ผลงานที่ทำได้ ร้อยละ : 70\nรายงานผล"
    assert [a.rule for a in got.anomalies] == ["cut_character"]
    assert got.anomalies[0].line_no == 2


def test_a_bad_byte_inside_the_text_is_not_taken_for_a_cut():
    data = "ผลงาน".encode() + b"\xff" + "ที่ทำได้".encode()
    with pytest.raises(DecodeError):
        extract(data, "mixed.txt")


def test_whole_files_have_no_cut_anomaly():
    assert extract("ผลงาน".encode(), "ok.txt").anomalies == ()


def test_cp874_with_pdf_space_damage_is_still_thai():
    # "ถ ึง": a space before a mark is PDF damage, not a sign of another code page.
    text = "ผู้ดำรงตำแหน่ง ถ ึง เร ื่อง ท ี่ สำนักงาน"
    got = extract(text.encode("cp874"), "damaged.txt")
    assert (got.encoding, got.text) == ("cp874", text)


def test_latin1_is_not_taken_for_cp874():
    with pytest.raises(DecodeError):
        extract("café résumé naïve déjà vu à la carte élève".encode("latin-1"), "l.txt")


def test_a_file_of_utf8_and_cp874_lines_reads_each_line_in_its_own():
    """Exports of two systems appended into one file: neither codec reads it whole."""
    data = THAI.encode() + THAI.encode("cp874") + "สรุป 100\n".encode()
    got = extract(data, "appended.txt")
    assert got.encoding == "utf-8+cp874"
    assert got.text == THAI + THAI + "สรุป 100\n"
    (anomaly,) = got.anomalies
    assert anomaly.rule == "mixed_encoding" and anomaly.line_no == 3
    assert "2 line(s) (3, 4) are cp874" in anomaly.message


def test_mixed_lines_are_not_a_way_around_the_binary_check():
    noise = random.Random(8).randbytes(2048)
    with pytest.raises(DecodeError):
        extract(THAI.encode() + noise, "half-binary.txt")
