"""The two ways tesseract reads a page: in process through tesserocr (the default where it
is installed) and the ``tesseract`` command (the fallback), each on a real scan: the top
third of sample 004's first page, scanned at 200 dpi (bench/scans.py)."""

from __future__ import annotations

import io
import multiprocessing
import shutil
from pathlib import Path

import pytest

from bench.scans import ScanStyle, scan_images
from ingest.extract import ocr, tess_api
from ingest.extract.ocr import OcrError, ocr_image

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_PDF = ROOT / "samples" / "pdf" / "004_a8b6aaaadac5bd4d.pdf"

needs_tesserocr = pytest.mark.skipif(
    not tess_api.usable("tha+eng"),
    reason="needs tesserocr and tesseract-ocr-tha's traineddata (scripts/setup installs them)",
)
needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None, reason="needs tesseract (scripts/setup installs it)"
)


@pytest.fixture(scope="module")
def top_of_page() -> bytes:
    """A PNG: the top third of a scanned page (its code "0411-2029" is in there)."""
    image = scan_images(SAMPLE_PDF.read_bytes(), ScanStyle(dpi=200), seed=11, pages=[1])[0]
    out = io.BytesIO()
    image.crop((0, 0, image.width, image.height // 3)).save(out, "PNG", dpi=(200, 200))
    return out.getvalue()


def _text(data: bytes) -> str:
    page = ocr_image(data)[0]
    assert page.error is None, page.error
    return "\n".join(line.text for line in page.lines)


@needs_tesserocr
def test_in_process_reading_needs_no_tesseract_command(top_of_page, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")  # no `tesseract` to run: only tesserocr can read
    assert ocr.engine().startswith("tesserocr 5.")
    text = _text(top_of_page)
    assert "0411-2029" in text
    assert sum("\u0e01" <= ch <= "\u0e5b" for ch in text) > 100  # Thai was read


@needs_tesseract
@pytest.mark.skipif(tess_api.version() is None, reason="needs tesserocr")
def test_tesserocr_is_built_on_the_commands_libtesseract():
    """scripts/setup builds tesserocr against Debian's libtesseract: PyPI's wheel (5.5)
    reads the sample scans otherwise, and would leave pages to the command."""
    command = shutil.which("tesseract")
    assert command is not None and tess_api._command_version(command) == tess_api.version()
    assert tess_api.usable("tha+eng")


@needs_tesseract
def test_command_fallback_reads_the_same_page(top_of_page, monkeypatch):
    monkeypatch.setenv(tess_api.ENGINE_ENV, "cli")
    assert ocr.engine() == "tesseract command"
    assert "0411-2029" in _text(top_of_page)
    monkeypatch.setenv("PATH", "/nonexistent")  # the command is what read it: gone, it fails
    with pytest.raises(OcrError, match="tesseract is not installed"):
        ocr_image(top_of_page)


@needs_tesserocr
def test_in_process_reading_stops_at_the_page_timeout(top_of_page):
    from PIL import Image

    image = Image.open(io.BytesIO(top_of_page)).convert("L")
    # a fifth of the 0.27 s the read takes: at 0.2 a fast machine sometimes finished in time
    got = tess_api.read(image, lang="tha+eng", psm=4, dpi=200, timeout=0.05)
    assert isinstance(got, str) and got.startswith("OCR took over")
    text, tsv = tess_api.read(image, lang="tha+eng", psm=4, dpi=200, timeout=60)  # reusable
    assert "0411-2029" in text and tsv.startswith("level\tpage_num")


def _read_in_child(data: bytes, answer: multiprocessing.connection.Connection) -> None:
    page = ocr_image(data)[0]
    answer.send(("0411-2029" in "\n".join(ln.text for ln in page.lines), tess_api._owner))


@needs_tesserocr
def test_a_forked_worker_makes_its_own_api_object(top_of_page):
    _text(top_of_page)  # the parent's API object exists
    parent_owner = tess_api._owner
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_read_in_child, args=(top_of_page, send))
    child.start()
    found, owner = receive.recv()
    child.join(60)
    assert found and child.exitcode == 0
    assert owner == child.pid != parent_owner


def test_images_reach_the_api_as_the_command_would_read_their_files():
    from PIL import Image

    clear = Image.new("RGBA", (4, 4), (0, 0, 0, 0))  # a pasted picture's transparent edge
    assert tess_api._plain(clear).getpixel((0, 0)) == (255, 255, 255)  # on white, not black
    deep = Image.new("I;16", (4, 4), 0x8000)  # a 16-bit grey scan: its top 8 bits
    assert (tess_api._plain(deep).mode, tess_api._plain(deep).getpixel((0, 0))) == ("L", 128)
    grey = Image.new("L", (4, 4), 7)
    assert tess_api._plain(grey) is grey  # handed over as it is
