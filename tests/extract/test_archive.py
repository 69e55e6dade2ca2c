"""Zip members under limits: what is yielded, and how bombs and bad archives fail."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest

from ingest.extract.archive import iter_members
from parsers.errors import ArchiveError

TEXT = "ร้อยละความสำเร็จ : 0411-2029\n".encode()


def _zip(path: Path, members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression=method) as archive:
        for name, data in members.items():
            if name.endswith("/"):
                archive.writestr(zipfile.ZipInfo(name), b"")
            else:
                archive.writestr(name, data)
    return path


def test_members_are_yielded_with_their_archive_path(tmp_path: Path):
    path = _zip(
        tmp_path / "exports-2564.zip",
        {
            "kpi/": b"",
            "kpi/0411-2029.txt": TEXT,
            "kpi/.DS_Store": b"junk",
            "__MACOSX/kpi/._0411-2029.txt": b"junk",
            ".hidden/x.txt": b"junk",
            "report.pdf": b"%PDF-1.4 not really",
            "inner.zip": b"PK\x03\x04 nested archives are not opened",
        },
    )
    got = dict(iter_members(path))
    assert list(got) == [
        "exports-2564.zip!kpi/0411-2029.txt",
        "exports-2564.zip!report.pdf",
        "exports-2564.zip!inner.zip",
    ]
    assert got["exports-2564.zip!kpi/0411-2029.txt"] == TEXT


def test_too_many_members(tmp_path: Path):
    path = _zip(tmp_path / "many.zip", {f"{i}.txt": b"x" for i in range(11)})
    with pytest.raises(ArchiveError, match="11 members, more than the limit of 10"):
        list(iter_members(path, max_members=10))


def test_declared_total_over_the_limit(tmp_path: Path):
    path = _zip(tmp_path / "big.zip", {"a.txt": b"a" * 5000, "b.txt": b"b" * 5000})
    with pytest.raises(ArchiveError, match="declares 10000 uncompressed bytes"):
        list(iter_members(path, max_total_bytes=8000))


def test_compression_ratio_bomb(tmp_path: Path):
    path = _zip(tmp_path / "bomb.zip", {"zeros.txt": bytes(20 * 1024 * 1024)})
    assert path.stat().st_size < 100_000
    with pytest.raises(ArchiveError, match="zip bomb") as info:
        list(iter_members(path))
    assert info.value.path == str(path)


def _lie_about_sizes(data: bytes, size: int) -> bytes:
    """Rewrite the uncompressed size in every local and central header of ``data``."""
    out = bytearray(data)
    pos = 0
    while (pos := out.find(b"PK\x03\x04", pos)) >= 0:
        struct.pack_into("<I", out, pos + 22, size)
        pos += 4
    pos = 0
    while (pos := out.find(b"PK\x01\x02", pos)) >= 0:
        struct.pack_into("<I", out, pos + 24, size)
        pos += 4
    return bytes(out)


def test_lying_sizes_are_caught_while_reading(tmp_path: Path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.txt", bytes(3 * 1024 * 1024))
    path = tmp_path / "liar.zip"
    path.write_bytes(_lie_about_sizes(buffer.getvalue(), 1000))
    with pytest.raises(ArchiveError):
        list(iter_members(path))


def test_corrupt_and_non_zip_files(tmp_path: Path):
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"this is not a zip archive at all")
    with pytest.raises(ArchiveError, match="cannot be opened"):
        list(iter_members(junk))
    good = _zip(tmp_path / "good.zip", {"a.txt": TEXT * 100})
    data = bytearray(good.read_bytes())
    data[40:60] = b"\xff" * 20  # damage the compressed stream
    broken = tmp_path / "broken.zip"
    broken.write_bytes(bytes(data))
    with pytest.raises(ArchiveError, match=r"corrupt|cannot be read"):
        list(iter_members(broken))


def test_encrypted_member_fails_with_a_reason(tmp_path: Path):
    path = _zip(tmp_path / "enc.zip", {"a.txt": TEXT}, method=zipfile.ZIP_STORED)
    data = bytearray(path.read_bytes())
    for marker in (b"PK\x03\x04", b"PK\x01\x02"):
        pos = data.find(marker)
        flag_at = pos + (6 if marker == b"PK\x03\x04" else 8)
        data[flag_at] |= 0x01  # the "encrypted" bit
    path.write_bytes(bytes(data))
    with pytest.raises(ArchiveError, match=r"a\.txt"):
        list(iter_members(path))
