"""File names as stored and as shown: lossless for names that are not UTF-8, safe on a terminal.

Linux file names are bytes.  Python hands a name that is not UTF-8 (a Thai name saved in
cp874 by a legacy Windows tool) over as a str holding "surrogate escapes" (U+DC80..U+DCFF,
one per undecodable byte), which opens the file but which DuckDB (rightly) refuses to store.

The warehouse stores such a name with a reversible escape (``stored_path``):

* each byte that is not part of valid UTF-8 becomes ``\\xNN`` (two lowercase hex digits);
* a backslash that is in the name itself becomes ``\\\\`` (doubled), so ``\\x`` is never
  ambiguous;
* everything else is kept as it is.  A UTF-8 name without backslashes is stored unchanged.

``os_path`` is the exact inverse, so ``rayngan ingest --retry-failed`` and analysts can get
back to the file (``os.fsencode(os_path(stored))`` are the original bytes).

What goes to a terminal (``for_terminal``) additionally shows control characters (newline,
ESC, the C1 controls, DEL) and the bidirectional overrides as ``\\xNN`` / ``\\uNNNN``: a
file name cannot forge a summary line or repaint the screen.  That display form is for eyes
only; it is not reversed.
"""

from __future__ import annotations

import os
import re

_SURROGATE_LOW, _SURROGATE_HIGH = 0xDC80, 0xDCFF
_STORED_ESCAPE = re.compile(r"\\(\\|x[0-9a-fA-F]{2})")
# C0 controls, DEL, C1 controls, and the bidi embeddings/overrides/isolates (U+202A..U+202E,
# U+2066..U+2069) that can make a line read differently than it is.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\udc80-\udcff]")


def stored_path(path: str) -> str:
    """The form of ``path`` (as ``os`` functions return it) that the warehouse stores."""
    if "\\" not in path and not _has_surrogates(path):
        return path  # the common case: nothing to escape
    out = []
    for ch in path:
        code = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif _SURROGATE_LOW <= code <= _SURROGATE_HIGH:
            out.append(f"\\x{code - 0xDC00:02x}")
        else:
            out.append(ch)
    return "".join(out)


def os_path(stored: str) -> str:
    """The inverse of ``stored_path``: the name as ``open``/``os.stat`` take it."""
    if "\\" not in stored:
        return stored

    def unescape(match: re.Match[str]) -> str:
        text = match.group(1)
        return "\\" if text == "\\" else chr(0xDC00 + int(text[1:], 16))

    return _STORED_ESCAPE.sub(unescape, stored)


def decode_name(raw: bytes) -> str:
    """Bytes of a name (a zip member's, say) as ``os`` functions would give it: UTF-8 where
    it is UTF-8, each other byte a surrogate escape (so ``stored_path`` escapes it)."""
    return raw.decode("utf-8", "surrogateescape")


def clean_text(text: str) -> str:
    """A message for the warehouse: surrogate escapes (a name quoted in an error) shown as
    ``\\xNN``, so the text is valid Unicode.  Not reversed; paths use ``stored_path``."""
    if not _has_surrogates(text):
        return text
    return "".join(
        f"\\x{ord(ch) - 0xDC00:02x}" if _SURROGATE_LOW <= ord(ch) <= _SURROGATE_HIGH else ch
        for ch in text
    )


def for_terminal(text: str) -> str:
    """``text`` with control characters (and surrogate escapes) shown as escapes."""
    if not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(_show, text)


def _show(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if _SURROGATE_LOW <= code <= _SURROGATE_HIGH:
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def _has_surrogates(text: str) -> bool:
    if text.isascii():
        return False
    try:
        text.encode("utf-8")  # fast, in C: only a surrogate cannot be encoded
    except UnicodeEncodeError:
        return True
    return False


def fs_bytes(stored: str) -> bytes:
    """The file name bytes a stored path stands for."""
    return os.fsencode(os_path(stored))
