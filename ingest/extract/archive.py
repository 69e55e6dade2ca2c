"""Members of a zip archive, read under limits that stop zip bombs.

Directories, hidden files and macOS ``__MACOSX`` resource forks are skipped.  Nested
archives are not opened: a ``.zip`` member is yielded as bytes like any other file, and
the caller decides (the batch job records it as an unsupported file).  Declared sizes
can lie, so the limits are checked against the header AND against the bytes actually
inflated while reading.
"""

from __future__ import annotations

import io
import lzma
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from parsers.errors import ArchiveError

MAX_TOTAL_BYTES = 2 * 1024**3  # all members together, uncompressed
MAX_RATIO = 100  # uncompressed / compressed, per member
MAX_MEMBERS = 10_000
_RATIO_FLOOR = 1024 * 1024  # members smaller than this may compress better than the ratio
_CHUNK = 1024 * 1024


def iter_members(
    path: Path,
    *,
    max_total_bytes: int = MAX_TOTAL_BYTES,
    max_ratio: float = MAX_RATIO,
    max_members: int = MAX_MEMBERS,
    data: bytes | None = None,
) -> Iterator[tuple[str, bytes]]:
    """Yield ``('name.zip!inner/path.txt', bytes)`` for each regular member of ``path``.

    Raises ``ArchiveError`` (naming the archive) when it is corrupt, encrypted, or
    exceeds a limit; members already yielded stay valid.  ``data``: the archive's bytes,
    when they were shipped from the machine that has ``path``.
    """
    try:
        archive = zipfile.ZipFile(path if data is None else io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ArchiveError(f"The archive cannot be opened: {exc}.", path=str(path)) from exc
    with archive:
        infos = [info for info in archive.infolist() if _wanted(info)]
        _check_declared(infos, str(path), max_total_bytes, max_ratio, max_members)
        total = 0
        for info in infos:
            data = _read_member(archive, info, str(path), max_total_bytes - total, max_ratio)
            total += len(data)
            yield f"{path.name}!{info.filename}", data


def _wanted(info: zipfile.ZipInfo) -> bool:
    if info.is_dir():
        return False
    parts = PurePosixPath(info.filename.replace("\\", "/")).parts
    return not any(part.startswith(".") or part == "__MACOSX" for part in parts)


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
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, where: str, budget: int, max_ratio: float
) -> bytes:
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
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
