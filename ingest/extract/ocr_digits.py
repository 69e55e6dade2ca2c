"""A second opinion on the Arabic numbers of an OCR'd page: each number tesseract read
with less than full confidence is read again alone, small, by the ``eng`` model.

Measured on the sample scans (300 dpi, Laksaman): ``tha+eng`` read a clean "3" as "5",
"70.00" as "10.00" and "5.4" as "5.5"; ``eng`` read them the same way at that size (digits
~55 px high) but right once the crop was scaled down to ~20 px.  All crops of a page go to
this process's ``eng`` model (:mod:`ingest.extract.tess_api`), or without tesserocr to one
tesseract process (a list of images, one line each).  The second reading is taken
only where it is the same shape (same length, the same non-digits in the same places: a
digit is swapped for a digit, never added or dropped) and read with more confidence than
the first; otherwise the first stays.  Thai digits are left alone: no model here reads
Laksaman's ๖ and ๗ apart from ๒ and ๓ (tried: every scale from 0.2x to 2x, binarised or
not, ``tha`` and ``tha+eng``, one line or one word; Debian's ``tha`` has no legacy engine).
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import time

from ingest.extract import tess_api, tess_cli
from ingest.extract.tsv_words import TsvWord, tsv_words

NUMBER = re.compile(r"[(]?[0-9][0-9.,/%:]*[)]?")  # one number word: "3", "70.00", "5.4.1"
RECHECK_BELOW = 75.0  # a number read with this confidence or more is not read again
DIGIT_HEIGHT = 20  # px: the height ``eng`` reads these digits best at
MIN_SECOND = 80.0  # the second reading must be at least this sure


def number_fixes(image: bytes, tsv: str, timeout: float) -> dict[int, str]:
    """tsv row index -> the number read again, where the second reading wins."""
    words = _doubtful_numbers(tsv)
    if not words or timeout < 1:
        return {}
    second = _read_again(image, words, timeout)
    return {
        word.row: text
        for word, (read, conf) in zip(words, second, strict=True)
        if (text := _no_stray_point(read, word.text)) != word.text
        and _shape(text) == _shape(word.text)
        and conf >= max(MIN_SECOND, word.conf + 1e-9)
    }


def _no_stray_point(second: str, first: str) -> str:
    """``second`` without a full stop or comma at its end that ``first`` has not: tesseract
    5.5 (tesserocr's) read a lone "70.00" crop as "70.00." where 5.3 read "70.00"."""
    if second[-1:] in (".", ",") and first[-1:] != second[-1:]:
        return second[:-1]
    return second


def _shape(text: str) -> str:
    return re.sub("[0-9]", "9", text)


def _doubtful_numbers(tsv: str) -> list[TsvWord]:
    return [w for w in tsv_words(tsv) if w.conf < RECHECK_BELOW and NUMBER.fullmatch(w.text)]


def _read_again(image: bytes, words: list[TsvWord], timeout: float) -> list[tuple[str, float]]:
    """Each word's crop read by ``eng`` as one line: (text, lowest word confidence)."""
    from PIL import Image

    page = Image.open(io.BytesIO(image)).convert("L")
    crops = []
    for word in words:
        left, top, width, height = word.box
        pad = max(4, height // 2)
        crop = page.crop((left - pad, top - pad, left + width + pad, top + height + pad))
        scale = min(1.0, DIGIT_HEIGHT / max(height, 1))
        size = (max(1, round(crop.width * scale)), max(1, round(crop.height * scale)))
        crops.append(crop.resize(size, Image.Resampling.LANCZOS))
    if tess_api.usable("eng"):
        return _read_in_process(crops, timeout)
    return _read_by_command(crops, timeout)


def _read_in_process(crops: list, timeout: float) -> list[tuple[str, float]]:
    """The crops read one by one by this process's ``eng`` model (no process started)."""
    deadline = time.monotonic() + timeout
    out = []
    for crop in crops:
        left = deadline - time.monotonic()
        got = tess_api.read(crop, lang="eng", psm=7, dpi=None, timeout=left) if left > 0 else ""
        out.append(("", 0.0) if isinstance(got, str) else _per_image(got[1], 1)[0])
    return out


def _read_by_command(crops: list, timeout: float) -> list[tuple[str, float]]:
    """The crops read by one ``tesseract`` process (a list of images, one line each)."""
    with tempfile.TemporaryDirectory(prefix="rayngan-digits-") as tmp:
        names = []
        for index, crop in enumerate(crops):
            names.append(os.path.join(tmp, f"{index}.png"))
            crop.save(names[-1])
        listing = os.path.join(tmp, "list.txt")
        with open(listing, "w", encoding="utf-8") as fh:
            fh.write("\n".join(names) + "\n")
        base = os.path.join(tmp, "out")
        if tess_cli.run([listing, base, "-l", "eng", "--psm", "7", "tsv"], timeout) is not None:
            return [("", 0.0)] * len(crops)
        with open(base + ".tsv", encoding="utf-8", errors="replace") as fh:
            return _per_image(fh.read(), len(crops))


def _per_image(tsv: str, count: int) -> list[tuple[str, float]]:
    texts: list[list[str]] = [[] for _ in range(count)]
    confs: list[list[float]] = [[] for _ in range(count)]
    for word in tsv_words(tsv):
        if word.text and 0 <= word.page - 1 < count:
            texts[word.page - 1].append(word.text)
            confs[word.page - 1].append(word.conf)
    return [("".join(t), min(c) if c else 0.0) for t, c in zip(texts, confs, strict=True)]
