"""Find the input files: files, folders (recursively) and glob patterns.

Hidden files and folders and editor leftovers (``*~``, ``.#*``, ``*.swp``, ``~$*``,
``#*#``) are skipped while walking folders or expanding globs, and so are files of
types rayngan does not read (``README.md``, images, spreadsheets: counted as
"skipped", see ``INPUT_SUFFIXES``).  A file named explicitly on the command line is
always taken.  Nothing here reads a file:
one ``stat`` per file is all the stat cache needs to skip unchanged ones.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from parsers.errors import RaynganError

log = logging.getLogger("rayngan")

_TEMP_SUFFIXES = ("~", ".swp", ".swo", ".swx", ".tmp", ".part", ".crdownload")
_TEMP_PREFIXES = (".", "~$", "#")
_GLOB_CHARS = frozenset("*?[")
# Exports come as text, PDF, HTML, office files, scanned images or zip; files without a
# suffix are tried as text.
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".gif", ".webp"})
OFFICE_SUFFIXES = frozenset(
    {".docx", ".xlsx", ".xlsm", ".xls", ".odt", ".ods", ".doc", ".pptx", ".odp", ".ppt", ".rtf"}
)
INPUT_SUFFIXES = (
    frozenset(
        {"", ".txt", ".text", ".csv", ".tsv", ".pdf", ".htm", ".html", ".xhtml", ".mht", ".mhtml"}
        | {".zip"}
    )
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
    outside: int = 0  # symlinks out of their tree, not followed
    # every file of another type left out while walking folders, with why; sorted by path
    skipped_files: tuple[tuple[str, str], ...] = ()

    @property
    def leftovers(self) -> int:
        """Hidden and temporary files named in ``skipped_files`` (not counted in ``skipped``)."""
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


def discover(
    paths: Iterable[str],
    *,
    exclude: Iterable[str] = (),
    follow_symlinks: bool = False,
    ocr: bool = True,
) -> Discovery:
    """Every input file under ``paths``.

    ``exclude`` lists files never to take (the warehouse's own files).  A file reached
    twice (two arguments, a symlink) is taken once.  Symbolic links met while walking a
    folder or expanding a glob are taken only when they point to a file inside that folder
    (the glob's fixed leading folder); ``follow_symlinks`` follows every link, folders
    included, each real folder walked once (so link loops end).  A path named on the
    command line is followed whatever it is.  With ``ocr`` off, images met in folders are
    skipped.  Raises ``DiscoveryError`` for a path or pattern that matches nothing.
    """
    skip = {_identity(p) for p in exclude} - {None}
    found: dict[tuple[int, int], Candidate] = {}
    skipped: dict[tuple[int, int], tuple[str, str]] = {}
    walk = _Walk(follow_symlinks)
    for given in paths:
        matched, outside = False, walk.outside
        for cand, explicit, identity in _expand(given, walk):
            matched = True
            if identity in skip:
                continue
            reason = None if explicit else skip_reason(cand.path, ocr=ocr)
            if reason is None:
                found.setdefault(identity, cand)
            else:
                skipped[identity] = (cand.path, reason)
        if not matched and walk.outside == outside:
            raise DiscoveryError(f"No file or folder matches {given!r}.", path=given)
    named = tuple(sorted({**dict(skipped.values()), **walk.left_out}.items()))
    other_types = sum(1 for _, why in named if not why.startswith(("hidden", "temporary")))
    cands = sorted(found.values(), key=lambda c: c.path)
    return Discovery(cands, other_types, walk.outside, named)


_Found = tuple[Candidate, bool, tuple[int, int]]  # candidate, named explicitly, (dev, inode)


def _identity(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _expand(given: str, walk: _Walk) -> Iterator[_Found]:
    if _GLOB_CHARS & set(given) and not os.path.lexists(given):
        yield from _glob(given, walk)
        return
    yield from _expand_existing(given, walk)


def _expand_existing(path: str, walk: _Walk) -> Iterator[_Found]:
    path = os.path.normpath(path)
    try:
        st = os.stat(path)  # named on the command line: followed
    except OSError:
        return
    if stat.S_ISDIR(st.st_mode):
        yield from walk.tree(path)
    elif stat.S_ISREG(st.st_mode):
        yield Candidate(path, st.st_size, st.st_mtime_ns), True, (st.st_dev, st.st_ino)


def _glob(pattern: str, walk: _Walk) -> Iterator[_Found]:
    """A glob expanded by walking its fixed leading folder (links as in a folder walk): a
    file is taken when its path, or the path of a folder above it, matches."""
    pattern = os.path.normpath(pattern)
    parts = pattern.split(os.sep)
    fixed = next(i for i, part in enumerate(parts) if _GLOB_CHARS & set(part))
    base = os.sep.join(parts[:fixed]) or (os.sep if pattern.startswith(os.sep) else os.curdir)
    depth = None if "**" in pattern else len(parts) - fixed
    regex = re.compile(glob_regex(pattern))
    if not os.path.isdir(base):
        return
    for found in walk.tree(base, max_depth=depth, whole=regex):
        if _glob_matches(regex, found[0].path, base):
            yield found


def _glob_matches(regex: re.Pattern[str], path: str, base: str) -> bool:
    head = 0 if base == os.curdir else len(base.rstrip(os.sep)) + 1
    while True:
        if regex.fullmatch(path):
            return True
        cut = path.rfind(os.sep)
        if cut < head:
            return False
        path = path[:cut]


def glob_regex(pattern: str) -> str:
    """A regular expression for a glob: ``*``, ``?`` and ``[...]`` within one name, ``**``
    as a whole name for any number of folders (as ``glob(recursive=True)``)."""
    out = []
    parts = pattern.split("/")
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if part == "**":
            out.append(".*" if last else "(?:[^/]*/)*")
            continue
        out.append(_name_regex(part) + ("" if last else "/"))
    return "".join(out)


def _name_regex(name: str) -> str:
    out, i = [], 0
    while i < len(name):
        ch = name[i]
        if ch == "*":
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "[" and (end := name.find("]", i + 2)) != -1:
            body = name[i + 1 : end]
            body = "^" + body[1:] if body.startswith("!") else body
            out.append("[" + body.replace("\\", "\\\\") + "]")
            i = end
        else:
            out.append(re.escape(ch))
        i += 1
    return "".join(out)


class _Walk:
    """Depth-first folder walks with ``scandir`` (one stat per file), sharing what they met:
    the real folders of the current tree (each walked once) and links not followed out of
    their tree."""

    def __init__(self, follow_symlinks: bool) -> None:
        self.follow = follow_symlinks
        self.walked: set[tuple[int, int]] = set()
        self.outside = 0  # links to outside the tree, not followed
        self.left_out: dict[str, str] = {}  # hidden and temporary names met, with why
        self.whole: re.Pattern[str] | None = None  # folders matching it: no depth limit

    def tree(
        self, top: str, *, max_depth: int | None = None, whole: re.Pattern[str] | None = None
    ) -> Iterator[_Found]:
        """Files under ``top``, at most ``max_depth`` levels down (except below a folder
        matching ``whole``: a glob matching a folder takes all of it)."""
        self.whole, self.walked = whole, set()
        try:
            yield from self._folder(top, os.path.realpath(top), max_depth)
        finally:
            self.whole = None

    def _folder(self, top: str, root: str, depth: int | None) -> Iterator[_Found]:
        try:
            st = os.stat(top)
            if (st.st_dev, st.st_ino) in self.walked:
                return  # a loop (or a folder reached twice): once is enough
            self.walked.add((st.st_dev, st.st_ino))
            entries = sorted(os.scandir(top), key=lambda e: e.name)
        except OSError:
            return
        for entry in entries:
            if is_skipped_name(entry.name):  # named (for --verbose), never read or searched
                self._left_out(entry, top)
                continue
            try:
                yield from self._entry(entry, top, root, depth)
            except OSError:
                continue

    def _left_out(self, entry: os.DirEntry[str], top: str) -> None:
        path = entry.name if top == os.curdir else entry.path
        with contextlib.suppress(OSError):
            if entry.is_dir(follow_symlinks=False):
                self.left_out[path + "/"] = "hidden folder, not searched"
            else:
                self.left_out[path] = skip_reason(entry.name) or "hidden file"

    def _entry(
        self, entry: os.DirEntry[str], top: str, root: str, depth: int | None
    ) -> Iterator[_Found]:
        if depth is not None and depth <= 0:
            return
        deeper = None if depth is None else depth - 1
        path = entry.name if top == os.curdir else entry.path  # 'a.txt', not './a.txt'
        if entry.is_symlink():
            yield from self._link(entry, path, root, deeper)
        elif entry.is_dir(follow_symlinks=False):
            if deeper == 0 and self.whole is not None and self.whole.fullmatch(path):
                deeper = None
            yield from self._folder(entry.path, root, deeper)
        elif entry.is_file(follow_symlinks=False):
            st = entry.stat(follow_symlinks=False)
            yield Candidate(path, st.st_size, st.st_mtime_ns), False, (st.st_dev, st.st_ino)

    def _link(
        self, entry: os.DirEntry[str], path: str, root: str, deeper: int | None
    ) -> Iterator[_Found]:
        st = os.stat(entry.path)  # the target; a dangling link raises (skipped)
        if stat.S_ISDIR(st.st_mode):
            if self.follow:
                yield from self._folder(entry.path, root, deeper)
            return  # the tree's own folders are walked where they are
        if not stat.S_ISREG(st.st_mode):
            return
        if not self.follow and not _inside(os.path.realpath(entry.path), root):
            self.outside += 1
            log.debug("not following %s: it links out of %s", path, root)
            return
        yield Candidate(path, st.st_size, st.st_mtime_ns), False, (st.st_dev, st.st_ino)


def _inside(target: str, root: str) -> bool:
    try:
        return os.path.commonpath([target, root]) == root
    except ValueError:
        return False
