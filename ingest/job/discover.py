"""Find the input files: files, folders (recursively) and glob patterns.

Hidden files and folders and editor leftovers (``*~``, ``.#*``, ``*.swp``, ``~$*``,
``#*#``) are skipped while walking folders or expanding globs, and so are files of
types rayngan does not read (``README.md``: see ``INPUT_SUFFIXES``) and, with OCR off,
images.  Every skipped file is named with its reason (``--verbose`` logs them) and
counted.  A file named explicitly on the command line is always taken.  Nothing here
reads a file:
one ``stat`` per file is all the stat cache needs to skip unchanged ones.
"""

from __future__ import annotations

import glob
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from parsers.errors import RaynganError

_TEMP_SUFFIXES = ("~", ".swp", ".swo", ".swx", ".tmp", ".part", ".crdownload")
_TEMP_PREFIXES = (".", "~$", "#")
_GLOB_CHARS = frozenset("*?[")
# Exports come as text, PDF, HTML, office files, scanned images or zip; files without a
# suffix are tried as text.
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".tif", ".tiff"})
OFFICE_SUFFIXES = frozenset({".docx", ".xlsx", ".xlsm", ".xls", ".odt", ".ods", ".doc"})
INPUT_SUFFIXES = (
    frozenset({"", ".txt", ".text", ".csv", ".tsv", ".pdf", ".htm", ".html", ".xhtml", ".zip"})
    | IMAGE_SUFFIXES
    | OFFICE_SUFFIXES
)


class DiscoveryError(RaynganError):
    """A path on the command line names nothing."""

    stage = "discover"


@dataclass(frozen=True)
class Candidate:
    """One input file as found on disk (zip archives are expanded later, by a worker)."""

    path: str  # normalised as given: 'samples/000_x.txt'
    size_bytes: int
    mtime_ns: int

    @property
    def is_archive(self) -> bool:
        return self.path.lower().endswith(".zip")


@dataclass(frozen=True)
class Discovery:
    candidates: list[Candidate]  # sorted by path, each file once
    skipped: int  # files of other types met while walking folders (images with OCR off)
    # every file left out while walking folders, with why; sorted by path
    skipped_files: tuple[tuple[str, str], ...] = ()

    @property
    def leftovers(self) -> int:
        """Hidden and temporary files left out (not counted in ``skipped``)."""
        return len(self.skipped_files) - self.skipped


def is_skipped_name(name: str) -> bool:
    """True for hidden files and the temporary files editors and office suites leave."""
    return name.startswith(_TEMP_PREFIXES) or name.endswith(_TEMP_SUFFIXES)


def is_input_name(name: str, *, ocr: bool = True) -> bool:
    """True for the file types rayngan reads (by suffix; case does not matter); images
    only when ``ocr`` is on."""
    return skip_reason(name, ocr=ocr) is None


def skip_reason(name: str, *, ocr: bool = True) -> str | None:
    """Why a file called ``name`` met in a folder is not read, or None when it is."""
    base = os.path.basename(name)
    if base.startswith("."):
        return "hidden file"
    if is_skipped_name(base):
        return "temporary file (an editor's or office suite's leftover)"
    suffix = os.path.splitext(base)[1].lower()
    if suffix not in INPUT_SUFFIXES:
        return f"file type {suffix} is not read"
    if not ocr and suffix in IMAGE_SUFFIXES:
        return "image: read only by OCR, which is off (--no-ocr)"
    return None


def discover(paths: Iterable[str], *, exclude: Iterable[str] = (), ocr: bool = True) -> Discovery:
    """Every input file under ``paths``.

    ``exclude`` lists files never to take (the warehouse's own files).  A file reached
    twice (two arguments, a symlink) is taken once.  With ``ocr`` off, images met in
    folders are skipped.  Raises ``DiscoveryError`` for a path or pattern that matches
    nothing.
    """
    skip = {_identity(p) for p in exclude} - {None}
    found: dict[tuple[int, int], Candidate] = {}
    skipped: dict[tuple[int, int], tuple[str, str]] = {}
    for given in paths:
        matched = False
        for cand, explicit, identity in _expand(given):
            matched = True
            if identity in skip:
                continue
            if cand.size_bytes < 0:
                skipped[identity] = (cand.path, "hidden folder, not searched")
            elif (reason := None if explicit else skip_reason(cand.path, ocr=ocr)) is None:
                found.setdefault(identity, cand)
            else:
                skipped[identity] = (cand.path, reason)
        if not matched:
            raise DiscoveryError(f"No file or folder matches {given!r}.", path=given)
    named = tuple(sorted(skipped.values()))
    other_types = sum(1 for _, why in named if not why.startswith(("hidden", "temporary")))
    return Discovery(sorted(found.values(), key=lambda c: c.path), other_types, named)


_Found = tuple[Candidate, bool, tuple[int, int]]  # candidate, named explicitly, (dev, inode)


def _identity(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _expand(given: str) -> Iterator[_Found]:
    if _GLOB_CHARS & set(given) and not os.path.exists(given):
        for match in sorted(glob.iglob(given, recursive=True)):
            yield from _expand_existing(match, explicit=False)
        return
    yield from _expand_existing(given, explicit=True)


def _expand_existing(path: str, *, explicit: bool) -> Iterator[_Found]:
    path = os.path.normpath(path)
    try:
        st = os.stat(path)
    except OSError:
        return
    if stat.S_ISDIR(st.st_mode):
        yield from _walk(path)
    elif stat.S_ISREG(st.st_mode):
        yield Candidate(path, st.st_size, st.st_mtime_ns), explicit, (st.st_dev, st.st_ino)


def _walk(top: str) -> Iterator[_Found]:
    """Depth-first walk with ``scandir`` (one stat per file, symlinked folders not followed)."""
    try:
        entries = sorted(os.scandir(top), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                if is_skipped_name(entry.name):  # .git, .cache: named once, not searched
                    path = entry.name if top == os.curdir else entry.path
                    yield Candidate(path + "/", -1, 0), False, (-1, entry.inode())
                    continue
                yield from _walk(entry.path)
            elif entry.is_file():
                st = entry.stat()
                path = entry.name if top == os.curdir else entry.path  # 'a.txt', not './a.txt'
                cand = Candidate(path, st.st_size, st.st_mtime_ns)
                yield cand, False, (st.st_dev, st.st_ino)
        except OSError:
            continue
