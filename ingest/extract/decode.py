"""Bytes of a text export -> str, with the encoding detected and named.

Order of evidence: a BOM (UTF-8, UTF-16 LE/BE); strict UTF-8; UTF-16 without a BOM
(recognised by its NUL pattern); then the Thai single-byte code page cp874 (a superset
of TIS-620) accepted only when the result is mostly Thai, ASCII and whitespace; last,
line by line, UTF-8 or else cp874 (exports of two systems appended into one file).  Text
full of control characters is refused rather than decoded into garbage.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from parsers.errors import DecodeError, InputError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_THAI_MARK = re.compile("[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")
# A Thai mark right after a Latin letter or a Latin-1 symbol betrays another code page
# (Latin-1 é is cp874's ้).  After a space it is only PDF damage ("ถ ึง"), still Thai.
_ORPHAN_MARK = re.compile("(?<=[A-Za-z\u00a1-\u00ff])[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")
_THAI_CHAR = re.compile("[\u0e01-\u0e5b]")
_TWO_BYTE = re.compile("[\u0100-\u07ff]")
_BODY_CODEC = {"utf-8-sig": "utf-8", "utf-16-le": "utf-16-le", "utf-16-be": "utf-16-be"}
_SNIFF = 4096  # bytes looked at for the UTF-16 NUL pattern
_MAX_CONTROL_RATIO = 0.01  # share of C0/C1 controls (other than tab/newline/FF) allowed
_MIN_THAI_ASCII_RATIO = 0.97  # share of Thai/ASCII/space characters a cp874 decode needs
_SAMPLE = 65536  # characters looked at for the control and Thai/ASCII shares
# C0/C1 controls other than tab, newline, CR and form feed, and the replacement character
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")
_NOT_THAI_ASCII = re.compile("[^\x00-\x7e\u0e00-\u0e7f\xa0]")
_THAI_BLOCK = re.compile("[\u0e00-\u0e7f]")


@dataclass(frozen=True)
class Decoded:
    text: str  # newlines normalised to "\n", BOM removed
    encoding: str  # the codec that decoded it, e.g. 'utf-8', 'utf-8-sig', 'utf-16-le', 'cp874'
    cut_bytes: int = 0  # bytes of a character cut off at the very end (a truncated capture)
    cp874_lines: tuple[int, ...] = ()  # encoding 'utf-8+cp874': the lines read as cp874


def decode_bytes(data: bytes, name: str, *, encoding: str | None = None) -> Decoded:
    """Decode ``data`` (the bytes of the file ``name``) or raise a named ``InputError``."""
    if not data:
        raise InputError("The file is empty.", path=name)
    if encoding:
        return _decode_forced(data, name, encoding)
    for bom, codec in _BOMS:
        if data.startswith(bom):
            text, cut = _strict(data[len(bom) :], _BODY_CODEC[codec], name)
            return _finish(text, codec, name, cut)
    tried: list[str] = []
    for codec in _candidates(data):
        tried.append(codec)
        try:
            text, cut = _decode_cut(data, codec)
        except UnicodeDecodeError:
            continue
        if cut and codec == "utf-8" and text.isascii():
            continue  # ASCII then one high byte ("... ฯ" in cp874): not a cut UTF-8 capture
        if _plausible(text, codec) and not (codec == "utf-8" and _thai_in_disguise(data, text)):
            # _plausible checked the control characters already
            return _finish(text, codec, name, cut, controls_checked=True)
    mixed = _decode_mixed(data)
    if mixed is not None:
        return mixed
    raise DecodeError(
        f"The bytes are not text in any supported encoding (tried {', '.join(tried)}); "
        "pass --encoding if you know it.",
        path=name,
    )


def _decode_cut(data: bytes, codec: str) -> tuple[str, int]:
    """Decode ``data``; tolerate only a multi-byte character cut off at the very end.

    Archived captures are cut at a byte count, often inside a Thai character (3 bytes in
    UTF-8): that must not fail the whole file.  Any other bad byte still raises.
    """
    try:
        return data.decode(codec), 0
    except UnicodeDecodeError as exc:
        if exc.reason not in ("unexpected end of data", "truncated data"):
            raise
        if exc.start == 0 or exc.end != len(data) or len(data) - exc.start > 3:
            raise
        return data[: exc.start].decode(codec), len(data) - exc.start


def _decode_mixed(data: bytes) -> Decoded | None:
    """Each line in UTF-8 if it is, else in cp874; None unless both occur, every line
    decodes and the whole reads as Thai and ASCII."""
    lines: list[str] = []
    cp874: list[int] = []
    for number, raw in enumerate(data.split(b"\n"), 1):
        try:
            lines.append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            try:
                lines.append(raw.decode("cp874"))
            except UnicodeDecodeError:
                return None
            cp874.append(number)
    if not cp874 or len(cp874) == len(lines):
        return None
    text = "\n".join(lines)
    if not _plausible(text, "cp874") or not text.strip():
        return None
    return Decoded(normalize_newlines(text), "utf-8+cp874", cp874_lines=tuple(cp874))


def _candidates(data: bytes) -> list[str]:
    codecs_ = ["utf-8"]
    utf16 = _utf16_order(data[:_SNIFF])
    if utf16:
        codecs_.append(utf16)
    codecs_.append("cp874")
    return codecs_


def _utf16_order(head: bytes) -> str | None:
    """UTF-16 without a BOM: ASCII and Thai (U+0000-007F, U+0E00-0E7F) put 0x00 or 0x0E in
    every other byte; which half carries them tells the byte order."""
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]

    def share(half: bytes) -> float:
        return (half.count(0) + half.count(0x0E)) / len(half)

    if share(odd) > 0.7 and share(even) < 0.3:
        return "utf-16-le"
    if share(even) > 0.7 and share(odd) < 0.3:
        return "utf-16-be"
    return None


def _decode_forced(data: bytes, name: str, encoding: str) -> Decoded:
    try:
        codecs.lookup(encoding)
    except LookupError as exc:
        raise DecodeError(f"The encoding {encoding!r} is not known.", path=name) from exc
    if encoding.lower().replace("_", "-") in ("utf-8", "utf8") and data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    text, cut = _strict(data, encoding, name)
    return _finish(text, encoding, name, cut)


def _strict(data: bytes, codec: str, name: str) -> tuple[str, int]:
    try:
        return _decode_cut(data, codec)
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 4].hex(" ")
        raise DecodeError(
            f"The file is not valid {codec} text: bytes {bad} at offset {exc.start} "
            "cannot be decoded.",
            path=name,
        ) from exc


def _finish(
    text: str, codec: str, name: str, cut: int = 0, *, controls_checked: bool = False
) -> Decoded:
    text = text.lstrip("\ufeff")
    if not controls_checked and _control_ratio(text) > _MAX_CONTROL_RATIO:
        raise DecodeError(
            f"The file decodes as {codec} but is full of control characters: "
            "it looks like binary data, not a text export.",
            path=name,
        )
    if not text.strip():
        raise InputError("The file is empty (only whitespace).", path=name)
    return Decoded(text=normalize_newlines(text), encoding=codec, cut_bytes=cut)


def normalize_newlines(text: str) -> str:
    """CRLF and lone CR (old Mac exports) become LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _control_ratio(text: str) -> float:
    """Share of control characters in the first ``_SAMPLE`` characters (one C-level scan)."""
    if not text:
        return 0.0
    sample = text[:_SAMPLE]
    return len(_CONTROL.findall(sample)) / len(sample)


def _thai_in_disguise(data: bytes, text: str) -> bool:
    """Short cp874 Thai can be valid UTF-8 by chance (ฯผ = CF BC = ϼ): a UTF-8 decode
    with no Thai but two-byte letters (Greek, Cyrillic, Latin Extended), whose bytes
    read as plausible cp874 Thai, is the Thai."""
    if _THAI_CHAR.search(text) or not _TWO_BYTE.search(text):
        return False
    try:
        thai = data.decode("cp874")
    except UnicodeDecodeError:
        return False
    return _plausible(thai, "cp874") and bool(_THAI_CHAR.search(thai))


def _plausible(text: str, codec: str) -> bool:
    if _control_ratio(text) > _MAX_CONTROL_RATIO:
        return False
    if codec != "cp874":
        return True
    # cp874 maps almost every byte: accept it only when the text reads as Thai/ASCII.
    sample = text[:_SAMPLE]
    good = len(sample) - len(_NOT_THAI_ASCII.findall(sample))
    has_thai = _THAI_BLOCK.search(sample) is not None
    if good / len(sample) < _MIN_THAI_ASCII_RATIO:
        return False
    # Thai marks sit on Thai consonants (or, damaged, after a space).
    marks = _THAI_MARK.findall(sample)
    orphans = _ORPHAN_MARK.findall(sample)
    return len(orphans) <= 0.02 * len(marks) + 1 and (has_thai or good == len(sample))
