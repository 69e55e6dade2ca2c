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

    ``exclude`` lists files never to take (the warehouse's own files).
    Raises ``DiscoveryError`` for a path or pattern that matches nothing.
    """
    skip = {os.path.realpath(p) for p in exclude}
    found: dict[str, Candidate] = {}
    skipped = 0
    for given in paths:
        matched = False
        for cand, explicit in _expand(given):
            matched = True
            real = os.path.realpath(cand.path)
            if real in skip:
                continue
            if explicit or is_input_name(cand.path):
                found.setdefault(real, cand)
            else:
                skipped += 1
        if not matched:
            raise DiscoveryError(f"No file or folder matches {given!r}.", path=given)
    return Discovery(sorted(found.values(), key=lambda c: c.path), skipped)


def _expand(given: str) -> Iterator[tuple[Candidate, bool]]:
    """(candidate, named explicitly) pairs for one command-line argument."""
    if _GLOB_CHARS & set(given) and not os.path.exists(given):
        for match in sorted(glob.iglob(given, recursive=True)):
            if not is_skipped_name(os.path.basename(match)):
                yield from _expand_existing(match, explicit=False)
        return
    yield from _expand_existing(given, explicit=True)


def _expand_existing(path: str, *, explicit: bool) -> Iterator[tuple[Candidate, bool]]:
    path = os.path.normpath(path)
    try:
        st = os.stat(path)
    except OSError:
        return
    if os.path.isdir(path):
        yield from ((cand, False) for cand in _walk(path))
    elif stat.S_ISREG(st.st_mode):
        yield Candidate(path, st.st_size, st.st_mtime_ns), explicit


def _walk(top: str) -> Iterator[Candidate]:
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
                yield Candidate(entry.path, st.st_size, st.st_mtime_ns)
        except OSError:
            continue
