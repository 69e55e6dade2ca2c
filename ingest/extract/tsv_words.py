"""The words of tesseract's ``tsv`` rendering (level-5 rows): what a page's confidence
(:mod:`ingest.extract.ocr`) and the second readings of numbers
(:mod:`ingest.extract.ocr_digits`) and of Thai digits (:mod:`ingest.extract.ocr_thai_digits`)
are read from."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class TsvWord:
    row: int  # index of the word's row in the tsv rendering
    page: int  # 1-based image of a multi-image reading (tesseract's page_num)
    text: str
    conf: float
    box: tuple[int, int, int, int]  # left, top, width, height


def tsv_words(tsv: str) -> Iterator[TsvWord]:
    """Each word of ``tsv`` with its row index, page, text, confidence and box."""
    for row, line in enumerate(tsv.split("\n")):
        cells = line.split("\t")
        if len(cells) < 12 or cells[0] != "5":
            continue
        box = (int(cells[6]), int(cells[7]), int(cells[8]), int(cells[9]))
        yield TsvWord(row, int(cells[1]), cells[11].strip(), float(cells[10]), box)
