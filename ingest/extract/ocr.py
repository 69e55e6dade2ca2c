"""Scanned pages -> text lines with a confidence each, read by tesseract (Thai + English).

tesseract reads the pages inside the worker process, through its C++ API
(:mod:`ingest.extract.tess_api`, tesserocr: the models loaded once per process instead of
once per page), or, without it, as its own process through the command line, not through
pytesseract (a thin wrapper over the same command that writes temporary image files and
hides the process): each page goes to it as an uncompressed PGM file
(no PNG encode: ~0.2 s a page saved; reading ``stdin`` cost tesseract another ~0.2 s),
under a per-page ``timeout`` that kills the process.  Either way
with ``OMP_THREAD_LIMIT=1`` (one thread per process, one process per core: with its
default OpenMP threads two processes on two cores run at a quarter of the speed), and one
recognition gives both renderings we need: ``txt`` (tesseract's own word spacing, which
the ``tsv`` rendering loses for Thai: it lists Thai letter by letter) and ``tsv`` (boxes
and confidences).  The wider the gap between two boxes, the more it is a tab (tables).

Pages are rendered with pypdfium2 at 300 dpi in grey.  Every requested page gets an
:class:`OcrPage`; one that could not be read in its time says why in ``error``.
"""

from __future__ import annotations

import io
import shutil
import statistics
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial

from ingest.extract import tess_api, tess_cli
from ingest.extract.ocr_digits import number_fixes
from ingest.extract.tsv_words import tsv_words
from parsers.errors import InputError

DEFAULT_LANG = "tha+eng"
DEFAULT_DPI = 300
PAGE_TIMEOUT_S = 60.0  # one page; a clean 300-dpi page takes 1.5-3 s on one core
MIN_PAGE_SECONDS = 1.0  # do not start a page with less time than this left
_TAB_GAP = 1.1  # a gap this many glyph heights wide between two boxes is a tab (2+ spaces)
PSM = "4"  # one column of text of varying sizes: fewer lines lost than the automatic layout (3)
# Extra tesseract settings ("-c", "name=value", ...).  textord_min_linesize=3 stopped the
# marks above some widely spaced Thai lines being read as lines of their own, but lost more
# facts of the sample scans than it saved (78.2 % against 82.9 %), so none are set.
CONFIG: tuple[str, ...] = ()
# ... but on a page where many lines have their marks split off (_split_marks), the page is
# read again with it: sample 003's pages read clean with it.
MARKS_CONFIG = ("-c", "textord_min_linesize=3")
SPLIT_MARK_LINES = 5
# In process the split is judged by what the setting mends: two overlaps gone (a held-out
# page in Loma had just 2-4, each a title or label losing its marks).
MENDED_SPLITS = 2
MARKS_HEIGHT = 0.35  # a marks line is half a line high; a rule or speck under a third
_PASS_AS_IS = {"JPEG": ".jpg", "PNG": ".png"}  # formats tesseract reads as they are


@dataclass(frozen=True)
class OcrSettings:
    """How (and whether) scanned pages are read; ``budget_s`` bounds all pages of a file."""

    enabled: bool = True
    lang: str = DEFAULT_LANG
    dpi: int = DEFAULT_DPI
    page_timeout: float = PAGE_TIMEOUT_S
    budget_s: float | None = None
    max_pages: int | None = None  # read at most this many pages of a file (tests, previews)
    # time.monotonic() by which OCR must end: the file's timer, set before text extraction
    # and the garbled check spend part of it (budget_s alone starts counting at OCR)
    deadline: float | None = None

    def budget_left(self) -> float | None:
        """Seconds OCR may still take: the tighter of ``budget_s`` and ``deadline``."""
        if self.deadline is None:
            return self.budget_s
        left = max(0.0, self.deadline - time.monotonic())
        return left if self.budget_s is None else min(left, self.budget_s)


class OcrError(InputError):
    """tesseract is missing or cannot read the image at all."""

    stage = "extract"


@dataclass(frozen=True)
class OcrLine:
    text: str
    confidence: float | None  # mean of tesseract's word confidences (0-100)
    left: int = 0  # box in pixels, for joining wrapped lines
    right: int = 0


@dataclass(frozen=True)
class OcrPage:
    page: int  # 1-based
    lines: tuple[OcrLine, ...]
    confidence: float | None  # mean word confidence of the page; None without words
    seconds: float
    width: int = 0  # pixels
    error: str | None = None  # why the page was not read (time budget, tesseract failure)


def tesseract_available() -> bool:
    """Whether pages can be read: in process (tesserocr) or by the ``tesseract`` command."""
    return tess_api.usable(DEFAULT_LANG) or shutil.which("tesseract") is not None


def engine(lang: str = DEFAULT_LANG) -> str:
    """Which tesseract reads pages here: "tesserocr 5.5.4 (in process)", "tesseract command"
    or "none"."""
    if tess_api.usable(lang):
        return f"tesserocr {tess_api.version()} (in process)"
    return "tesseract command" if shutil.which("tesseract") else "none"


@dataclass(frozen=True)
class _Frame:
    """One page as tesseract reads it: the image file's bytes, its suffix and resolution."""

    data: bytes
    suffix: str  # ".pgm", ".jpg", ".png", ...
    dpi: int | None


def ocr_image(
    data: bytes,
    *,
    lang: str = DEFAULT_LANG,
    budget_s: float | None = None,
    page_timeout: float = PAGE_TIMEOUT_S,
) -> list[OcrPage]:
    """Every frame of the image ``data`` (PNG, JPEG, TIFF with many pages, ...) read by OCR.

    A one-frame PNG or JPEG goes to tesseract as it is (no decode and re-encode here)."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        suffix = _PASS_AS_IS.get(image.format or "")
        if suffix and getattr(image, "n_frames", 1) == 1:
            frames = [_Frame(data, suffix, _dpi(image))]
        else:
            frames = [
                _Frame(_pgm(frame.convert("L")), ".pgm", _dpi(frame))
                for frame in ImageSequence.Iterator(image)
            ]
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise OcrError(f"The image cannot be decoded ({exc}).") from exc
    return list(_read_all([partial(_same, f) for f in frames], lang, budget_s, page_timeout))


def ocr_pdf_pages(
    pdf_bytes: bytes,
    page_numbers: Sequence[int],
    *,
    lang: str = DEFAULT_LANG,
    budget_s: float | None = None,
    dpi: int = DEFAULT_DPI,
    page_timeout: float = PAGE_TIMEOUT_S,
) -> list[OcrPage]:
    """Pages ``page_numbers`` (1-based) of a PDF read by OCR: a page that is one scanned
    image is read from that image at its own resolution, any other is rendered at ``dpi``."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf_bytes)
    try:
        frames = [partial(page_frame, doc, number, dpi) for number in page_numbers]
        return list(_read_all(frames, lang, budget_s, page_timeout, page_numbers))
    finally:
        doc.close()


def page_frame(doc: object, number: int, dpi: int) -> _Frame:
    """Page ``number`` rendered in grey at ``dpi``, whatever the resolution of a scan on it.

    Measured on the sample scans (bench/ocr.py): handing tesseract a scan's JPEG as stored
    saves the render (~0.15 s a page) but read 3-4 % fewer facts than pdfium's render of it
    at the same size, and a 200-dpi scan read at its own resolution 5 % fewer than rendered
    (upscaled) at 300 dpi: Thai marks need the pixels."""
    page = doc[number - 1]  # type: ignore[index]
    try:
        return _Frame(_render(page, dpi), ".pgm", dpi)
    finally:
        page.close()


def _render(page: object, dpi: int) -> bytes:
    bitmap = page.render(scale=dpi / 72, grayscale=True)  # type: ignore[attr-defined]
    width, height, stride = bitmap.width, bitmap.height, bitmap.stride
    buffer = bytes(bitmap.buffer)
    if stride != width:
        buffer = b"".join(buffer[row * stride : row * stride + width] for row in range(height))
    return b"P5\n%d %d\n255\n" % (width, height) + buffer


def _pgm(image: object) -> bytes:
    out = io.BytesIO()
    image.save(out, "PPM")  # type: ignore[attr-defined]  # grey images are written as PGM
    return out.getvalue()


def _dpi(image: object) -> int | None:
    info = getattr(image, "info", {}).get("dpi")
    if not info:
        return None
    value = round(float(info[0]))
    return value if 70 <= value <= 1200 else None


def _read_all(
    frames: Iterable[Callable[[], _Frame]],
    lang: str,
    budget_s: float | None,
    page_timeout: float,
    numbers: Sequence[int] | None = None,
) -> Iterator[OcrPage]:
    """OCR each frame while the budget lasts; frames past it come back with an error.

    A frame is made (a PDF page rendered) only once the budget is known to cover it."""
    if not tesseract_available():
        raise OcrError(
            "The file needs OCR but tesseract is not installed "
            "(apt install tesseract-ocr tesseract-ocr-tha, or ingest with --no-ocr)."
        )
    deadline = None if budget_s is None else time.monotonic() + budget_s
    for index, make_frame in enumerate(frames):
        number = numbers[index] if numbers is not None else index + 1
        left = page_timeout if deadline is None else min(page_timeout, deadline - time.monotonic())
        if left < MIN_PAGE_SECONDS:
            yield OcrPage(number, (), None, 0.0, error="the file's OCR time budget ran out")
            continue
        yield _read_page(make_frame(), number, lang, left)


def _same(frame: _Frame) -> _Frame:
    return frame


def _read_page(frame: _Frame, number: int, lang: str, timeout: float) -> OcrPage:
    began = time.monotonic()
    got = _first_reading(frame, lang, timeout)
    if isinstance(got, str):
        return OcrPage(number, (), None, time.monotonic() - began, error=got)
    text, tsv = got
    left = timeout - (time.monotonic() - began)
    # numpy: only once OCR runs
    from ingest.extract.ocr_digit_letters import digit_letter_fixes
    from ingest.extract.ocr_thai_digits import thai_digit_fixes

    fixes = number_fixes(frame.data, tsv, left) | thai_digit_fixes(frame.data, tsv)
    fixes |= digit_letter_fixes(frame.data, tsv)
    lines, width = page_lines(text, tsv, fixes)
    confs = [c for line in lines if (c := line.confidence) is not None]
    page_conf = statistics.fmean(confs) if confs else None
    return OcrPage(number, tuple(lines), page_conf, time.monotonic() - began, width)


def _first_reading(frame: _Frame, lang: str, timeout: float) -> tuple[str, str] | str:
    """The page's ``txt`` and ``tsv``; a page with its Thai marks split off their lines
    (:func:`_split_marks`) read with MARKS_CONFIG.  In process the split is seen in the
    layout analysis, before any recognition (:func:`_marks_settings`), and the page is read
    once; the command reads the page twice and keeps the reading with the higher confidence."""
    if tess_api.usable(lang):
        return _read_in_process(_decoded(frame), frame.dpi, lang, timeout)
    began = time.monotonic()
    got = _tesseract_cli(frame, lang, timeout, CONFIG)
    if isinstance(got, str) or _split_marks(got[1]) < SPLIT_MARK_LINES:
        return got
    left = timeout - (time.monotonic() - began)
    again = _tesseract_cli(frame, lang, left, (*CONFIG, *MARKS_CONFIG)) if left > 1 else ""
    if not isinstance(again, str) and _mean_conf(again[1]) > _mean_conf(got[1]):
        return again
    return got


def _mean_conf(tsv: str) -> float:
    """Mean confidence of the words of a ``tsv`` rendering (0 without words)."""
    confs = [word.conf for word in tsv_words(tsv) if word.text]
    return statistics.fmean(confs) if confs else 0.0


def _read_in_process(
    image: object, dpi: int | None, lang: str, timeout: float
) -> tuple[str, str] | str:
    return tess_api.read(
        image,
        lang=lang,
        psm=int(PSM),
        dpi=dpi,
        timeout=timeout,
        variables=_variables(CONFIG),
        choose=_marks_settings,
    )


def _decoded(frame: _Frame) -> object:
    """The frame as a PIL image (a PGM decodes with one copy of its pixels)."""
    from PIL import Image

    image = Image.open(io.BytesIO(frame.data))
    image.load()
    return image


def _variables(config: tuple[str, ...]) -> dict[str, str]:
    """``("-c", "name=value", ...)`` as {name: value}."""
    pairs = [item.split("=", 1) for flag, item in zip(config[::2], config[1::2], strict=True)]
    return {name: value for name, value in pairs}


def _tesseract_cli(
    frame: _Frame, lang: str, timeout: float, config: tuple[str, ...]
) -> tuple[str, str] | str:
    return tess_cli.read(
        frame.data, frame.suffix, frame.dpi, lang=lang, psm=PSM, timeout=timeout, config=config
    )


def _split_marks(tsv: str) -> int:
    """How many pairs of text lines of a ``tsv`` rendering overlap (:func:`_overlaps`)."""
    boxes = []
    for row in tsv.split("\n")[1:]:
        cells = row.split("\t")
        if len(cells) >= 12 and cells[0] == "4":
            boxes.append((int(cells[6]), int(cells[7]), int(cells[8]), int(cells[9])))
    return _overlaps(boxes)


def _overlaps(boxes: list[tuple[int, int, int, int]]) -> int:
    """How many pairs of text lines overlap, one over the other: the marks above a widely
    spaced Thai line read as a line of their own (junk: "wu A ๐ 1 VY") over their line.
    A pair whose lower box is under MARKS_HEIGHT of the page's median line is no such pair
    (a rule or a speck: the setting never mends those, so they only cost a layout)."""
    if not boxes:
        return 0
    low = MARKS_HEIGHT * statistics.median(height for *_, height in boxes)
    pairs = 0
    for index, (left, top, width, height) in enumerate(boxes):
        for left2, top2, width2, height2 in boxes[index + 1 : index + 4]:
            across = min(left + width, left2 + width2) - max(left, left2)
            down = min(top + height, top2 + height2) - max(top, top2)
            pairs += (
                across > 0.5 * min(width, width2)
                and down > 0.3 * min(height, height2)
                and min(height, height2) >= low
            )
    return pairs


def _marks_settings(layout: tess_api.Layout) -> dict[str, str] | None:
    """MARKS_CONFIG for a page whose layout has split marks off their lines, else None:
    where the layout found with it has at least MENDED_SPLITS fewer such overlaps, or one
    fewer and one line fewer (a marks line gone into its own line).  Where it mends none,
    the overlaps are something else (cells side by side) and it would only cost lines: it
    runs a tight paragraph's lines together."""
    found = layout({})
    split = _overlaps(found)
    if split < 1:
        return None
    marks = _variables(MARKS_CONFIG)
    again = layout(marks)
    mended = split - _overlaps(again)
    if mended >= MENDED_SPLITS or (mended >= 1 and len(found) - len(again) == mended):
        return marks
    return None


# ---------------------------------------------------------------- tesseract's output


@dataclass(frozen=True)
class _Box:
    text: str
    shown: str  # the text put in the line: ``text`` or a second reading of the number
    left: int
    width: int
    height: int
    conf: float


def page_lines(
    text: str, tsv: str, fixes: dict[int, str] | None = None
) -> tuple[list[OcrLine], int]:
    """The lines of tesseract's ``txt`` rendering, with tabs where its ``tsv`` boxes show
    wide gaps and each line's mean confidence; and the page width in pixels.  ``fixes``
    (tsv row index -> text) replace words read again (:mod:`ingest.extract.ocr_digits`).

    Blank lines of ``txt`` (between blocks) are kept as empty lines."""
    boxes, width = _tsv_lines(tsv, fixes or {})
    glyph = _glyph_height(boxes)
    out: list[OcrLine] = []
    pending = iter(boxes)
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            out.append(OcrLine("", None))
            continue
        words = next(pending, None)
        if words is None or "".join(w.text for w in words) != "".join(line.split()):
            out.append(OcrLine(line, None))  # the renderings disagree: keep the text
            continue
        conf = statistics.fmean(w.conf for w in words)
        right = words[-1].left + words[-1].width
        out.append(OcrLine(_with_tabs(line, words, glyph), conf, words[0].left, right))
    while out and not out[-1].text:
        out.pop()
    return out, width


def _tsv_lines(tsv: str, fixes: dict[int, str]) -> tuple[list[list[_Box]], int]:
    lines: dict[tuple[str, str, str, str], list[_Box]] = {}
    width = 0
    for index, row in enumerate(tsv.split("\n")):
        cells = row.split("\t")
        if len(cells) < 12:
            continue
        if cells[0] == "1":
            width = int(cells[8])
        if cells[0] != "5" or not cells[11].strip():
            continue
        key = (cells[1], cells[2], cells[3], cells[4])
        text = cells[11].strip()
        box = _Box(
            text,
            fixes.get(index, text),
            int(cells[6]),
            int(cells[8]),
            int(cells[9]),
            float(cells[10]),
        )
        lines.setdefault(key, []).append(box)
    return list(lines.values()), width


def _glyph_height(lines: list[list[_Box]]) -> float:
    """Median height of single-letter boxes: the size of the type, whatever the dpi."""
    heights = [b.height for line in lines for b in line if len(b.text) == 1]
    heights = heights or [b.height for line in lines for b in line]
    return statistics.median(heights) if heights else 40.0


def _with_tabs(line: str, words: list[_Box], glyph: float) -> str:
    """``line`` with a tab where the gap before a box is at least ``_TAB_GAP`` glyphs."""
    out: list[str] = []
    pos = 0
    for index, word in enumerate(words):
        if index:
            gap = word.left - (words[index - 1].left + words[index - 1].width)
            spaces = 0
            while pos < len(line) and line[pos] == " ":
                pos += 1
                spaces += 1
            if gap >= _TAB_GAP * glyph:
                out.append("\t")
            elif spaces:
                out.append(" ")
        out.append(word.shown if word.shown != word.text else line[pos : pos + len(word.text)])
        pos += len(word.text)
    return "".join(out)
