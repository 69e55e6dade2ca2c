"""PDF bytes -> text whose lines map to pages, rebuilt from pdfium's character boxes.

pypdfium2 gives the Thai characters right (pdfminer/pdfplumber misorder marks and emit
``(cid:N)``) but its own line breaks are unreliable: a mark drawn slightly off the
baseline becomes a line of its own, and a ``ู`` is sometimes emitted at the end of the
line.  So lines are rebuilt from geometry:

* characters are grouped into lines by vertical position, in content order; a
  combining mark goes after the base character its box sits on;
* a wide gap (a tab stop) becomes a tab, an indented line gets leading tabs;
* vertical gaps of whole line pitches become blank lines;
* a line is joined to the one before when the typesetter wrapped it: the previous line
  reaches towards the right margin, the next line's first word would not have fit (give
  or take a space: typesetters wrap some words the glyph boxes say would just have fit)
  and, across a page break, the page before was full;
* running headers/footers (the same text at the same place on most pages) and page
  numbers ("- 3 -", "หน้า 3/7") are dropped;
* on a page drawn with rules (a table), text comes cell by cell: a row is rebuilt as
  one line, cells joined by tabs, like the text exports of the key-result sheets;
* pdfium's hyphen marks (U+0002/U+FFFE at a line end) become "-" again, and the spaces
  it invents around marks drawn off their advance are dropped;
* what real producers write is read as they mean it: ActualText spans once (Chromium),
  artifacts dropped, PSL fonts' Latin-1 tone marks, letter-spaced lines, a browser's
  blocks, table boxes and checkboxes (docs/pdf.md).

Each page gets a verdict (``garbled``): a page still garbled after
``normalize.repair_text`` ("(cid:N)", Private Use Area glyphs, cut-off marks, Thai that
reads as no words, Thai fonts drawing ASCII symbols) is a ``garbled_page`` anomaly and
listed in ``PdfText.garbled_pages`` for OCR; a PDF with no readable page is refused.

One module per step: chars (pdfium access), actualtext, fonts, browser, cells, lines,
words, wraps, tables, running, garbled, pipeline (``extract_pdf``).

pdfium is not thread-safe: run extractions in processes, not threads.
"""

from ingest.extract.pdf.chars import _Char, _page_chars
from ingest.extract.pdf.garbled import garbled_reason
from ingest.extract.pdf.pipeline import (
    NO_TEXT_PROBE_PAGES,
    GarbledTextLayerError,
    NoTextLayerError,
    PdfText,
    extract_pdf,
)
from ingest.extract.pdf.wraps import _PROBED_LENGTH, _longest_word, _thai_words, preload_word_list

__all__ = [
    "NO_TEXT_PROBE_PAGES",
    "_PROBED_LENGTH",
    "GarbledTextLayerError",
    "NoTextLayerError",
    "PdfText",
    "_Char",
    "_longest_word",
    "_page_chars",
    "_thai_words",
    "extract_pdf",
    "garbled_reason",
    "preload_word_list",
]
