"""OCR'd pages -> the text, page and confidence of every line, as the parsers want them.

* running headers and footers (the same words at the top or bottom of most pages, page
  numbers aside) and bare page numbers ("หน้า 3/7", "- 3 -") are dropped, as the PDF path does;
* a line the typesetter wrapped is joined to the line before: the line before reaches the
  right edge of the text and this one starts at the left edge without a number or a bullet
  (a table row led by its number in a cell of its own, "20<TAB>081<TAB>…", is no wrap; a
  justified paragraph's wide gaps are tabs too, so tabs alone tell no table);
* Thai is repaired (``normalize.repair_text``) and post-corrected by dictionary
  (:mod:`ingest.extract.ocr_fix`), never a digit changed;
* a page read with a low mean confidence, or not read at all, becomes an anomaly.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

from ingest.extract import ocr_fix
from ingest.extract.ocr import (
    OcrError,
    OcrLine,
    OcrPage,
    OcrSettings,
    ocr_image,
    ocr_pdf_pages,
    tesseract_available,
)
from ingest.extract.ocr_fix import correct_line
from ingest.extract.pdf import (
    NO_TEXT_PROBE_PAGES,
    GarbledTextLayerError,
    NoTextLayerError,
    PdfText,
    extract_pdf,
)
from normalize import repair_text
from parsers.model import Anomaly
from parsers.registry import is_heading

LOW_CONFIDENCE = 70.0  # mean word confidence under which a page's facts are suspect
# A line read with a confidence this low is noise (speckles, a rule, a logo: "G21 225" at
# 3 %) and is left out: a value read so badly would only be a guess.  Every line of the
# sample scans read under 40 % was junk ("(21729 9" for "(* 2.1 / 2.2 *)", which broke the
# quarterly table's header); 25 -> 40 read 1.3 % more of their facts, 50 no more than 40.
UNREADABLE = 40.0
_PAGE_NUMBER = re.compile(
    r"(?:[a-z]{1,3}\s+)?(?:หน้า|page|-)?\s*([0-9๐-๙]{1,4})\s*(?:(?:/|จาก|of)\s*[0-9๐-๙]{1,4}|-)?",
    re.I,
)
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_NOT_KEY = re.compile(r"[\s0-9๐-๙/\-.]+")
_STARTS_ITEM = re.compile(r"[\s(]*(?:[0-9๐-๙]+[.)\t]|[-•*:]|\(|[0-9๐-๙]+/)")
_LOST_RULE = re.compile(r"\S{0,8}")  # a short line: see _lost_rule
_HEADER_LIKENESS = 0.9  # difflib ratio of an edge line to a running header's words
_WRAP_SLACK = 0.12  # share of the text width a wrapped line may fall short of the edge


@dataclass(frozen=True)
class ScanText:
    lines: tuple[str, ...]
    pages: tuple[int, ...]  # page of each line
    confidence: tuple[float | None, ...]  # OCR confidence of each line
    anomalies: tuple[Anomaly, ...]


def scan_text(pages: Sequence[OcrPage], *, first_line_no: int = 1) -> ScanText:
    """Lines of OCR'd ``pages``; line numbers in anomalies start at ``first_line_no``."""
    running = _running_keys(pages)
    lines: list[str] = []
    line_pages: list[int] = []
    confs: list[float | None] = []
    anomalies: list[Anomaly] = []
    kept_by_page = [_kept(page, running) for page in pages]
    left, right = _margins([ln for kept in kept_by_page for ln in kept])
    previous: OcrLine | None = None  # the last line with text, on this page or before
    blanks = 0  # blank lines held back: tesseract puts some inside a wrapped paragraph
    for page, kept in zip(pages, kept_by_page, strict=True):
        start = len(lines)
        for line in kept:
            if not line.text:
                blanks += 1
                continue
            text = correct_line(repair_text(line.text))
            if previous is not None and _wrapped(previous, line, text, left, right):
                lines[-1] = _join(lines[-1], text)
                confs[-1] = _mean(confs[-1], _confidence(line, page))
            else:
                lines += [""] * blanks + [text]
                line_pages += [page.page] * (blanks + 1)
                confs += [None] * blanks + [_confidence(line, page)]
            blanks, previous = 0, line
        if note := _page_anomaly(page, first_line_no + min(start, max(len(lines) - 1, 0))):
            anomalies.append(note)
    return ScanText(tuple(lines), tuple(line_pages), tuple(confs), tuple(anomalies))


def _key(text: str) -> str:
    return _NOT_KEY.sub("", text)


def _running_keys(pages: Sequence[OcrPage]) -> set[str]:
    """Keys of lines among the first or last two of at least half the pages (3 or more)."""
    if len(pages) < 3:
        return set()
    counts: Counter[str] = Counter()
    for page in pages:
        texts = [ln.text for ln in page.lines if ln.text.strip()]
        counts.update({_key(t) for t in texts[:2] + texts[-2:] if _key(t)})
    return {key for key, n in counts.items() if n >= max(3, len(pages) / 2)}


def _kept(page: OcrPage, running: set[str]) -> list[OcrLine]:
    edges = _edge_lines(page)
    return [
        ln
        for index, ln in enumerate(page.lines)
        if not _dropped(ln.text, running, page.page if index in edges else None)
        and not _lost_rule(ln)
        and not (ln.confidence is not None and ln.confidence < UNREADABLE)
    ]


def _lost_rule(line: OcrLine) -> bool:
    """A separator rule ("-----&&&-----") whose dashes tesseract lost, leaving a few doubtful
    symbols ("@๕๕", "&&E"): short, with & or @, read with a confidence under 80."""
    text = line.text.replace(" ", "")
    doubtful = line.confidence is not None and line.confidence < 80
    return doubtful and bool(_LOST_RULE.fullmatch(text)) and ("&" in text or "@" in text)


def _margins(lines: list[OcrLine]) -> tuple[int, int]:
    """Left and right edge of the text over the whole document (a page of short lines
    must not make every line look as if it reached the right margin)."""
    lefts = sorted(ln.left for ln in lines if ln.text and ln.right)
    rights = sorted(ln.right for ln in lines if ln.text and ln.right)
    if not lefts:
        return 0, 0
    return lefts[len(lefts) // 20], rights[-1 - len(rights) // 20]  # 5 % outliers aside


def _edge_lines(page: OcrPage) -> set[int]:
    """Indexes of the first and last two lines with text: where page numbers are."""
    filled = [i for i, ln in enumerate(page.lines) if ln.text.strip()]
    return set(filled[:2] + filled[-2:])


def _dropped(text: str, running: set[str], page: int | None) -> bool:
    """A running header or footer, or (at a page's edge: ``page`` given) its number."""
    stripped = text.strip()
    if not stripped:
        return False
    match = _PAGE_NUMBER.fullmatch(stripped)
    if page is not None and match and int(match.group(1).translate(_THAI_DIGITS)) == page:
        return True
    key = _key(stripped)
    if key in running:
        return True
    return page is not None and any(_alike(key, header) for header in running)


def _alike(key: str, header: str) -> bool:
    """A running header or footer read with a letter or two wrong (``ะบบติดตาม...``)."""
    if abs(len(key) - len(header)) > max(2, len(header) // 10):
        return False
    return SequenceMatcher(None, key, header).ratio() >= _HEADER_LIKENESS


def _wrapped(previous: OcrLine, line: OcrLine, text: str, left: int, right: int) -> bool:
    """Whether ``line`` (read as ``text``, corrected) wraps the paragraph of ``previous``."""
    if not line.text or not previous.text or previous.right == 0 or line.left == 0:
        return False
    width = max(right - left, 1)
    reaches = previous.right >= right - _WRAP_SLACK * width
    at_margin = line.left <= left + 0.02 * width
    # a paragraph's last line may reach the margin too: a heading is never its wrap
    return reaches and at_margin and not _STARTS_ITEM.match(text) and not is_heading(text)


def _join(before: str, after: str) -> str:
    thai_end = before[-1:] >= "\u0e01" and before[-1:] <= "\u0e5b"
    thai_start = after[:1] >= "\u0e01" and after[:1] <= "\u0e5b"
    return before + ("" if thai_end and thai_start else " ") + after


def _confidence(line: OcrLine, page: OcrPage) -> float | None:
    """The line's confidence; a line of text whose boxes were not matched gets the page's
    (every OCR'd line of text has one: that is how a fact is known to come from OCR)."""
    if line.confidence is not None or not line.text.strip():
        return line.confidence
    return page.confidence if page.confidence is not None else 0.0


def _mean(a: float | None, b: float | None) -> float | None:
    if a is None or b is None:
        return a if b is None else b
    return (a + b) / 2


def _page_anomaly(page: OcrPage, line_no: int) -> Anomaly | None:
    if page.error:
        return Anomaly(
            rule="ocr_page_unread",
            severity="warning",
            message=f"Page {page.page} was not read by OCR ({page.error}); its facts are missing.",
            line_no=None,
            page=page.page,
        )
    if page.confidence is not None and page.confidence < LOW_CONFIDENCE:
        return Anomaly(
            rule="ocr_low_confidence",
            severity="warning",
            message=(
                f"Page {page.page} was read by OCR with a mean confidence of "
                f"{page.confidence:.0f}% (under {LOW_CONFIDENCE:.0f}%); "
                "facts read from it may be wrong."
            ),
            line_no=line_no,
            page=page.page,
        )
    return None


# ---------------------------------------------------------------- PDFs and images


@dataclass(frozen=True)
class ReadText:
    """Text of a PDF or image, some or all of it read by OCR."""

    text: str
    line_pages: tuple[int, ...]
    confidence: tuple[float | None, ...] | None  # per line; None: no line came from OCR
    anomalies: tuple[Anomaly, ...]
    page_count: int
    text_source: str  # 'text', 'ocr' or 'mixed'


def read_pdf(data: bytes, name: str, settings: OcrSettings) -> ReadText:
    """The PDF's text layer, with OCR for the pages that have none or a garbled one."""
    try:
        pdf = extract_pdf(data, name)
    except GarbledTextLayerError:
        if not settings.enabled:
            raise
        count = _page_count(data)  # every page's text is garbage: read them all
        return _all_ocr(_ocr_pdf(data, list(range(1, count + 1)), settings), count, name)
    except NoTextLayerError as exc:
        if not settings.enabled:
            raise NoTextLayerError(
                "The PDF has no text layer (scanned PDF); it needs OCR, which is off (--no-ocr).",
                path=name,
            ) from exc
        count = _page_count(data)
        scanned = _with_images(data, list(range(1, count + 1)))
        if not scanned:  # blank pages: nothing to read
            raise
        return _all_ocr(_ocr_pdf(data, scanned, settings), count, name)
    todo = pages_to_ocr(data, pdf) if settings.enabled else []
    if not todo:
        return ReadText(pdf.text, pdf.line_pages, None, pdf.anomalies, pdf.page_count, "text")
    return _merge(pdf, _ocr_pdf(data, todo, settings))


def read_image(data: bytes, name: str, settings: OcrSettings) -> ReadText:
    """Every page (frame) of an image file, read by OCR."""
    if not settings.enabled:
        raise OcrError(
            "The file is an image, read only by OCR, which is off (--no-ocr).", path=name
        )
    ocr_fix.warm()
    pages = ocr_image(
        data,
        lang=settings.lang,
        budget_s=settings.budget_left(),
        page_timeout=settings.page_timeout,
    )
    return _all_ocr(pages, len(pages), name)


def read_pictures(images: list[bytes], name: str, settings: OcrSettings) -> ReadText:
    """The pictures of an office file (scanned pages pasted into Word), read by OCR in
    order; a picture stands in for a page.  Pictures OCR cannot open are skipped."""
    ocr_fix.warm()
    pages: list[OcrPage] = []
    for image in images:
        try:
            got = ocr_image(
                image,
                lang=settings.lang,
                budget_s=settings.budget_left(),
                page_timeout=settings.page_timeout,
            )
        except OcrError:
            if not tesseract_available():
                raise
            continue  # a drawing PIL cannot decode (EMF, SVG): no scanned page
        pages.extend(replace(page, page=len(pages) + 1) for page in got)
    if not pages:
        return ReadText("\n", (1,), None, (), 0, "text")
    return _all_ocr(pages, len(pages), name)


def _ocr_pdf(data: bytes, numbers: list[int], settings: OcrSettings) -> list[OcrPage]:
    ocr_fix.warm()
    return ocr_pdf_pages(
        data,
        numbers[: settings.max_pages] if settings.max_pages else numbers,
        lang=settings.lang,
        budget_s=settings.budget_left(),
        dpi=settings.dpi,
        page_timeout=settings.page_timeout,
    )


def _page_count(data: bytes) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        return len(doc)
    finally:
        doc.close()


def _all_ocr(pages: list[OcrPage], count: int, name: str) -> ReadText:
    if pages and all(page.error for page in pages):
        raise OcrError(f"No page could be read by OCR (page 1: {pages[0].error}).", path=name)
    st = scan_text(pages)
    text = "\n".join(st.lines) + "\n" if st.lines else "\n"
    pages_of = st.pages or (1,)
    confs = st.confidence or (None,)
    return ReadText(text, pages_of, confs, st.anomalies, count, "ocr")


def pages_to_ocr(data: bytes, pdf: PdfText) -> list[int]:
    """Pages without a line of text that carry an image (a scanned page inside a PDF
    with a text layer), and pages the PDF reader found garbled."""
    with_text = set(pdf.line_pages)
    garbled = {a.page for a in pdf.anomalies if a.rule == "garbled_page" and a.page}
    garbled |= set(pdf.garbled_pages)
    empty = [n for n in range(1, pdf.page_count + 1) if n not in with_text]
    return sorted(garbled | set(_with_images(data, empty)))


def _with_images(data: bytes, numbers: list[int]) -> list[int]:
    if not numbers:
        return []
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    doc = pdfium.PdfDocument(data)
    try:
        found: list[int] = []
        for number in numbers:
            if not found and number > NO_TEXT_PROBE_PAGES:
                break  # as the PDF reader does: so many blank pages are no scan
            page = doc[number - 1]
            kinds = {obj.type for obj in page.get_objects(max_depth=2)}
            page.close()
            if raw.FPDF_PAGEOBJ_IMAGE in kinds:
                found.append(number)
        return found
    finally:
        doc.close()


def _merge(pdf: PdfText, pages: list[OcrPage]) -> ReadText:
    """The PDF's lines with the pages read by OCR put in their place."""
    read = [page for page in pages if not page.error]
    st = scan_text(read)
    ocr_by_page: dict[int, list[int]] = {}
    for index, number in enumerate(st.pages):
        ocr_by_page.setdefault(number, []).append(index)
    pdf_lines = pdf.text.split("\n")[: len(pdf.line_pages)]
    lines: list[str] = []
    line_pages: list[int] = []
    confs: list[float | None] = []
    old_to_new: dict[int, int] = {}
    ocr_to_new: dict[int, int] = {}
    for number in range(1, pdf.page_count + 1):
        if number in ocr_by_page:
            for index in ocr_by_page[number]:
                ocr_to_new[index + 1] = len(lines) + 1
                lines.append(st.lines[index])
                line_pages.append(number)
                confs.append(st.confidence[index])
            continue
        for old, (text, page) in enumerate(zip(pdf_lines, pdf.line_pages, strict=True), 1):
            if page == number:
                old_to_new[old] = len(lines) + 1
                lines.append(text)
                line_pages.append(number)
                confs.append(None)
    kept = [_renumbered(a, old_to_new, ocr_by_page, ocr_to_new) for a in pdf.anomalies]
    kept += [replace(a, line_no=ocr_to_new.get(a.line_no or 0)) for a in st.anomalies]
    kept += [_page_anomaly(page, 0) for page in pages if page.error]  # type: ignore[misc]
    from_text = any(n not in ocr_by_page for n in set(pdf.line_pages))
    source = "mixed" if from_text else "ocr"
    text = "\n".join(lines) + "\n" if lines else "\n"
    return ReadText(text, tuple(line_pages), tuple(confs), tuple(kept), pdf.page_count, source)


def _renumbered(
    note: Anomaly,
    old_to_new: dict[int, int],
    ocr_by_page: dict[int, list[int]],
    ocr_to_new: dict[int, int],
) -> Anomaly:
    """A PDF anomaly with its new line number; a garbled page read again by OCR says so."""
    if note.rule == "garbled_page" and note.page in ocr_by_page:
        first = ocr_to_new.get(ocr_by_page[note.page][0] + 1)
        message = note.message.replace("facts read from it may be wrong.", "it was read by OCR.")
        return replace(
            note, rule="garbled_page_ocr", severity="info", message=message, line_no=first
        )
    return replace(note, line_no=old_to_new.get(note.line_no) if note.line_no else None)
