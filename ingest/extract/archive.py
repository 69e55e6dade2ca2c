"""Members of a zip archive, read under limits that stop zip bombs.

Directories, hidden files and macOS ``__MACOSX`` resource forks are skipped.  Nested
archives are not opened: a ``.zip`` member is yielded as bytes like any other file, and
the caller decides (the batch job records it as an unsupported file).  Declared sizes
can lie, so the limits are checked against the header AND against the bytes actually
inflated while reading.

A member that must not be read is yielded with an ``InputError`` instead of its bytes, so
it is recorded as failed with its reason rather than vanishing: a name that climbs out of
the archive (``../x``, ``/etc/x``, ``C:\\x``), and a member larger than
``max_member_bytes`` (``--max-bytes``; inflating stops there).

Names are decoded member by member: UTF-8 where the bytes are UTF-8 (whatever the
archive's flag claims), every other byte kept as a surrogate escape, which the warehouse
stores as ``\\xNN`` (see ``ingest.job.paths``).  A backslash in a name is a folder
separator (Windows tools write them).  A zip whose names are flagged UTF-8 but are not
(cp874 from a Thai Windows) is read, not refused whole.
"""

from __future__ import annotations

import io
import lzma
import re
import struct
import zipfile
import zlib
from bisect import bisect_left
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from parsers.errors import ArchiveError, FileTooLargeError, InputError

MAX_TOTAL_BYTES = 2 * 1024**3  # all members together, uncompressed
MAX_RATIO = 100  # uncompressed / compressed, per member
MAX_MEMBERS = 10_000
_RATIO_FLOOR = 1024 * 1024  # members smaller than this may compress better than the ratio
_CHUNK = 1024 * 1024
_UTF8_FLAG = 0x800  # general purpose bit 11: the name is UTF-8
_DRIVE = re.compile(r"^[A-Za-z]:")


def iter_members(
    path: Path,
    *,
    max_total_bytes: int = MAX_TOTAL_BYTES,
    max_ratio: float = MAX_RATIO,
    max_members: int = MAX_MEMBERS,
    max_member_bytes: int | None = None,
    data: bytes | None = None,
) -> Iterator[tuple[str, bytes | InputError]]:
    """Yield ``('name.zip!inner/path.txt', bytes)`` for each regular member of ``path``
    (an ``InputError`` instead of the bytes for a member refused alone).

    Raises ``ArchiveError`` (naming the archive) when it is corrupt, encrypted, or
    exceeds a limit; members already yielded stay valid.  ``data``: the archive's bytes,
    when they were shipped from the machine that has ``path``.
    """
    archive, raw = _open(path, data)
    with raw, archive:
        named = [(info, member_name(info)) for info in archive.infolist() if not info.is_dir()]
        climbing = {id(info) for info, name in named if _climbs(name)}
        infos = [(i, n) for i, n in named if id(i) in climbing or _wanted(n)]
        kept = [info for info, _ in infos if id(info) not in climbing]
        _check_declared(kept, str(path), max_total_bytes, max_ratio, max_members)
        total = 0
        limit = max_member_bytes if max_member_bytes is not None else max_total_bytes
        for info, name in infos:
            got: bytes | InputError | None
            got = _refused(info, name, max_member_bytes, id(info) in climbing, path)
            if got is None:
                budget = max_total_bytes - total
                got = _read_member(archive, info, str(path), budget, max_ratio, limit)
                total += len(got) if isinstance(got, bytes) else 0
            yield f"{path.name}!{name}", got


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name from its own bytes: UTF-8 where it is, surrogate escapes else."""
    if info.flag_bits & _UTF8_FLAG:
        raw = info.orig_filename.encode("utf-8")
    else:  # decoded as cp437 by zipfile, which maps each of the 256 bytes: undo it
        raw = info.orig_filename.encode("cp437")
    return raw.decode("utf-8", "surrogateescape").replace("\\", "/")


def _climbs(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return name.startswith("/") or bool(_DRIVE.match(name)) or ".." in parts


def _refused(
    info: zipfile.ZipInfo, name: str, max_bytes: int | None, climbs: bool, path: Path
) -> InputError | None:
    if climbs:
        return ArchiveError(
            f"The member name {name!r} climbs out of the archive; it is not read.",
            path=str(path),
        )
    if max_bytes is not None and info.file_size > max_bytes:
        return _too_large(info, max_bytes, path, f"declares {info.file_size:,} bytes")
    return None


def _too_large(info: zipfile.ZipInfo, max_bytes: int, path: Path, what: str) -> FileTooLargeError:
    error = FileTooLargeError(
        f"The member {what}, more than the limit of {max_bytes:,} bytes (--max-bytes); "
        "it was not inflated further.",
        path=str(path),
    )
    error.size = info.file_size  # type: ignore[attr-defined]  # for source_files.size_bytes
    return error


def _wanted(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return not any(part.startswith(".") or part == "__MACOSX" for part in parts)


# --- archives whose names claim UTF-8 but are not: read with the claim taken back


def _open(path: Path, data: bytes | None) -> tuple[zipfile.ZipFile, BinaryIO]:
    """The archive, and the file under it (closed after it); ``data``: its bytes, shipped."""
    fh: BinaryIO = io.BytesIO()
    try:
        # closed by the caller, after the archive
        fh = io.BytesIO(data) if data is not None else open(path, "rb")  # noqa: SIM115
        try:
            return zipfile.ZipFile(fh), fh
        except UnicodeDecodeError:  # a name flagged UTF-8 is not: unflag those names
            fh.seek(0)
            return zipfile.ZipFile(_Unflagged(fh, _false_utf8_flags(fh))), fh
    except (zipfile.BadZipFile, OSError, EOFError, UnicodeDecodeError, struct.error) as exc:
        fh.close()
        raise ArchiveError(f"The archive cannot be opened: {exc}.", path=str(path)) from exc


def _false_utf8_flags(fh: BinaryIO) -> list[int]:
    """Offsets of the flag byte (bit 11) of every central and local header whose name is
    flagged UTF-8 but is not."""
    endrec = zipfile._EndRecData(fh)  # type: ignore[attr-defined]  # stable since 2.x
    if not endrec:
        raise zipfile.BadZipFile("File is not a zip file")
    size_cd, offset_cd = endrec[zipfile._ECD_SIZE], endrec[zipfile._ECD_OFFSET]  # type: ignore[attr-defined]
    concat = endrec[zipfile._ECD_LOCATION] - size_cd - offset_cd  # type: ignore[attr-defined]
    if endrec[zipfile._ECD_SIGNATURE] == zipfile.stringEndArchive64:  # type: ignore[attr-defined]
        concat -= zipfile.sizeEndCentDir64 + zipfile.sizeEndCentDir64Locator  # type: ignore[attr-defined]
    fh.seek(offset_cd + concat)
    directory = fh.read(size_cd)
    offsets, pos = [], 0
    fixed = struct.calcsize(zipfile.structCentralDir)  # type: ignore[attr-defined]
    while pos + fixed <= len(directory):
        cd = struct.unpack(zipfile.structCentralDir, directory[pos : pos + fixed])  # type: ignore[attr-defined]
        name = directory[pos + fixed : pos + fixed + cd[12]]
        if cd[5] & _UTF8_FLAG and not _is_utf8(name):
            offsets.append(offset_cd + concat + pos + 9)  # flags at 8, bit 11 in byte 9
            if cd[18] != 0xFFFFFFFF:
                offsets.append(cd[18] + concat + 7)  # the local header's flags at 6
        pos += fixed + cd[12] + cd[13] + cd[14]
    return sorted(offsets)


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


class _Unflagged(io.RawIOBase):
    """A zip file read with the UTF-8 flag cleared at given byte offsets."""

    def __init__(self, fh: BinaryIO, offsets: list[int]) -> None:
        super().__init__()
        self.fh, self.offsets = fh, offsets

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, pos: int, whence: int = 0) -> int:
        return self.fh.seek(pos, whence)

    def tell(self) -> int:
        return self.fh.tell()

    def read(self, size: int | None = -1) -> bytes:
        start = self.fh.tell()
        data = self.fh.read(-1 if size is None else size)
        first = bisect_left(self.offsets, start)
        hits = [o for o in self.offsets[first:] if o < start + len(data)]
        if not hits:
            return data
        patched = bytearray(data)
        for offset in hits:
            patched[offset - start] &= ~(_UTF8_FLAG >> 8) & 0xFF
        return bytes(patched)

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _check_declared(
    infos: list[zipfile.ZipInfo], where: str, max_total: int, max_ratio: float, max_members: int
) -> None:
    if len(infos) > max_members:
        raise ArchiveError(
            f"The archive has {len(infos)} members, more than the limit of {max_members}.",
            path=where,
        )
    declared = sum(info.file_size for info in infos)
    if declared > max_total:
        raise ArchiveError(
            f"The archive declares {declared} uncompressed bytes, more than the limit of "
            f"{max_total} (a zip bomb?).",
            path=where,
        )
    for info in infos:
        _check_ratio(info, info.file_size, where, max_ratio)


def _check_ratio(info: zipfile.ZipInfo, size: int, where: str, max_ratio: float) -> None:
    if size > _RATIO_FLOOR and size > max_ratio * max(info.compress_size, 1):
        raise ArchiveError(
            f"The member {info.filename!r} inflates {size / max(info.compress_size, 1):.0f}:1, "
            f"more than the limit of {max_ratio:g}:1 (a zip bomb?).",
            path=where,
        )


def _read_member(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    where: str,
    budget: int,
    max_ratio: float,
    limit: int,
) -> bytes | FileTooLargeError:
    """The member's bytes, or FileTooLargeError past ``limit`` (inflating stops there)."""
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(min(_CHUNK, limit + 1 - size)):
                size += len(chunk)
                if size > limit and limit < budget:
                    return _too_large(info, limit, Path(where), f"inflates past {limit:,} bytes")
                if size > budget:
                    raise ArchiveError(
                        f"The archive inflates past the limit of uncompressed bytes while "
                        f"reading {info.filename!r} (its sizes are false: a zip bomb?).",
                        path=where,
                    )
                _check_ratio(info, size, where, max_ratio)
                chunks.append(chunk)
    except ArchiveError:
        raise
    except RuntimeError as exc:  # zipfile raises RuntimeError for encrypted members
        raise ArchiveError(
            f"The member {info.filename!r} cannot be read: {exc}.", path=where
        ) from exc
    except (zipfile.BadZipFile, zlib.error, lzma.LZMAError, OSError, EOFError, ValueError,
            NotImplementedError) as exc:  # fmt: skip
        raise ArchiveError(f"The member {info.filename!r} is corrupt: {exc}.", path=where) from exc
    return b"".join(chunks)
