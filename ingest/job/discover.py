"""Find the input files: files, folders (recursively) and glob patterns.

Hidden files and folders and editor leftovers (``*~``, ``.#*``, ``*.swp``, ``~$*``,
``#*#``) are skipped while walking folders or expanding globs, and so are files of
types rayngan does not read (``README.md``, images, spreadsheets: counted as
"skipped", see ``INPUT_SUFFIXES``).  A file named explicitly on the command line is
always taken.  Nothing here reads a file:
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
# Exports come as text, PDF, HTML or zip; files without a suffix are tried as text.
INPUT_SUFFIXES = frozenset(
    {"", ".txt", ".text", ".csv", ".tsv", ".pdf", ".htm", ".html", ".xhtml", ".zip"}
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
    skipped: int  # files of other types met while walking folders


def is_skipped_name(name: str) -> bool:
    """True for hidden files and the temporary files editors and office suites leave."""
    return name.startswith(_TEMP_PREFIXES) or name.endswith(_TEMP_SUFFIXES)


def is_input_name(name: str) -> bool:
    """True for the file types rayngan reads (by suffix; case does not matter)."""
    return os.path.splitext(name)[1].lower() in INPUT_SUFFIXES


def discover(paths: Iterable[str], *, exclude: Iterable[str] = ()) -> Discovery:
    """Every input file under ``paths``.

    ``exclude`` lists files never to take (the warehouse's own files).  A file reached
    twice (two arguments, a symlink) is taken once.  Raises ``DiscoveryError`` for a
    path or pattern that matches nothing.
    """
    skip = {_identity(p) for p in exclude} - {None}
    found: dict[tuple[int, int], Candidate] = {}
    skipped: set[tuple[int, int]] = set()
    for given in paths:
        matched = False
        for cand, explicit, identity in _expand(given):
            matched = True
            if identity in skip:
                continue
            if explicit or is_input_name(cand.path):
                found.setdefault(identity, cand)
            else:
                skipped.add(identity)
        if not matched:
            raise DiscoveryError(f"No file or folder matches {given!r}.", path=given)
    return Discovery(sorted(found.values(), key=lambda c: c.path), len(skipped))


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
            if not is_skipped_name(os.path.basename(match)):
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
        if is_skipped_name(entry.name):
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                yield from _walk(entry.path)
            elif entry.is_file():
                st = entry.stat()
                path = entry.name if top == os.curdir else entry.path  # 'a.txt', not './a.txt'
                cand = Candidate(path, st.st_size, st.st_mtime_ns)
                yield cand, False, (st.st_dev, st.st_ino)
        except OSError:
            continue
