"""MIME web archives (.mht, and "Export to Word" .doc files that are one) read as the
page they hold.  The archives are written with the standard library's email package the
way Internet Explorer and Word write them (tests/extract/office_maker.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.extract.dispatch import extract
from ingest.extract.mhtml import is_mhtml
from parsers.errors import InputError
from tests.extract.office_maker import mhtml_bytes

PAGES = sorted((Path(__file__).resolve().parents[2] / "samples" / "html").glob("0*.html"))
# sample 004's page holds letters cp874 has not: it is saved in UTF-8 only
ENCODINGS = [("windows-874", "quoted-printable"), ("utf-8", "base64")]


CASES = [
    pytest.param(path, charset, transfer, id=f"{path.stem}-{charset}")
    for path in PAGES
    for charset, transfer in ENCODINGS
    if charset == "utf-8" or not path.stem.startswith("004")
]


@pytest.mark.parametrize(("path", "charset", "transfer"), CASES)
def test_a_saved_archive_gives_the_pages_text(path: Path, charset: str, transfer: str):
    page = path.read_text(encoding="utf-8")
    archive = mhtml_bytes(
        page.replace('charset="utf-8"', f'charset="{charset}"'), charset, transfer
    )
    direct = extract(path.read_bytes(), path.name)
    got = extract(archive, f"{path.stem}.mht")
    assert (got.media_type, got.text, got.anomalies) == ("html", direct.text, ())
    as_word = extract(archive, f"{path.stem}.doc")  # an "Export to Word" button's file
    assert as_word.text == direct.text
    assert [a.rule for a in as_word.anomalies] == ["misnamed_file"]
    assert "MIME web archive" in as_word.anomalies[0].message


def test_an_archive_without_a_page_fails_with_its_reason():
    with pytest.raises(InputError, match="holds no HTML page"):
        extract(b"MIME-Version: 1.0\nContent-Type: text/plain\n\nhello\n", "note.mht")


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"MIME-Version: 1.0\r\nContent-Type: multipart/related;", "x.doc", True),
        (
            b"From: <Saved by Windows Internet Explorer 8>\nSubject: x\nMIME-Version: 1.0\n",
            "x",
            True,
        ),
        (b"anything", "page.mhtml", True),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "x.doc", False),
        ("ตัวชี้วัด: MIME-Version".encode(), "x.txt", False),
    ],
)
def test_an_archive_is_known_by_name_or_header(data: bytes, name: str, expected: bool):
    assert is_mhtml(data, name) is expected
