"""Where rayngan's OCR CPU goes, step by step, for each engine, on the page images that
bench/ocr.py extracted (run it first), in this one process (CPU of its own and of its
children, so the two engines are measured alike):

    python bench/ocr_parts.py --work /tmp/rayngan-bench-ocr [--every 4]

* ``bare``: the baseline, ``tesseract IMAGE stdout`` (bench/ocr.py's);
* ``command`` steps: the first reading (``txt`` + ``tsv``, temporary files), the second
  whole-page reading of the pages whose marks split off, the number re-read (an ``eng``
  process a page);
* ``in-process`` steps (tesserocr): decode, first reading (with the layout check that
  picks the marks setting), the number re-read; the API objects' loading once.

The render (pdfium, 300 dpi grey) is measured apart: ``render``.  Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ingest.extract import ocr, tess_api
from ingest.extract.ocr_digits import number_fixes


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _timed(totals: dict[str, float], step: str, run: Callable[[], object]) -> object:
    began = _cpu()
    out = run()
    totals[step] = totals.get(step, 0.0) + _cpu() - began
    return out


def by_command(path: Path, totals: dict[str, float]) -> None:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    bare = ["tesseract", str(path), "stdout", "-l", ocr.DEFAULT_LANG, "--psm", ocr.PSM]
    cmd = [*bare, "--dpi", "300"]
    _timed(totals, "bare", lambda: subprocess.run(cmd, env=env, check=True, capture_output=True))
    frame = ocr._Frame(path.read_bytes(), ".pgm", 300)
    got = _timed(totals, "first", lambda: ocr._tesseract_cli(frame, ocr.DEFAULT_LANG, 60, ()))
    assert not isinstance(got, str), got
    if ocr._split_marks(got[1]) >= ocr.SPLIT_MARK_LINES:
        marks = ocr.MARKS_CONFIG
        _timed(totals, "marks", lambda: ocr._tesseract_cli(frame, ocr.DEFAULT_LANG, 60, marks))
    _timed(totals, "numbers", lambda: number_fixes(frame.data, got[1], 60))


def in_process(path: Path, totals: dict[str, float]) -> None:
    frame = ocr._Frame(path.read_bytes(), ".pgm", 300)
    image = _timed(totals, "decode", lambda: ocr._decoded(frame))
    got = _timed(totals, "first", lambda: ocr._read_in_process(image, 300, ocr.DEFAULT_LANG, 60))
    assert not isinstance(got, str), got
    _timed(totals, "numbers", lambda: number_fixes(frame.data, got[1], 60))


def render(work: Path) -> float:
    import pypdfium2 as pdfium

    began = _cpu()
    for pdf in sorted((work / "scans").rglob("*.pdf")):
        doc = pdfium.PdfDocument(str(pdf))
        for number in range(1, len(doc) + 1):
            ocr.page_frame(doc, number, ocr.DEFAULT_DPI)
        doc.close()
    return _cpu() - began


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "rayngan-bench-ocr")
    ap.add_argument("--every", type=int, default=1, help="every Nth page only")
    args = ap.parse_args(argv)
    pages = sorted((args.work / "page-images").glob("*.pgm"))[:: args.every]
    command: dict[str, float] = {}
    inside: dict[str, float] = {}
    _timed(inside, "load models", lambda: tess_api._api(ocr.DEFAULT_LANG, int(ocr.PSM)))
    _timed(inside, "load models", lambda: tess_api._api("eng", 7))
    for path in pages:
        by_command(path, command)
        in_process(path, inside)
    result = {
        "pages": len(pages),
        "load": round(os.getloadavg()[0], 1),
        "command": {k: round(v, 1) for k, v in command.items()},
        "in_process": {k: round(v, 1) for k, v in inside.items()},
        "render (all pages)": round(render(args.work), 1),
    }
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
