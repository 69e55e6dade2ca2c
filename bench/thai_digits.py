"""Thai digits on scanned pages: tesseract's reading against the second opinion of
ingest/extract/ocr_thai_digits.py, digit by digit, against the typeset PDFs' text layer.

    python bench/ocr.py --work W --held-out 6     # once: makes the scans and page images
    python bench/thai_digits.py --work W          # per-digit confusion, before and after

Each page image bench/ocr.py made (W/page-images) is read by tesseract with rayngan's
options (``tsv`` cached in W/digits-tsv).  The truth of each word holding Thai digits is
the PDF's text under it: the word's box is turned back by the scan's skew (bench/scans.py's
seeded angle) and the characters of the typeset PDF inside it are taken.  Words whose
Thai digit count differs from the truth's are counted apart ("unaligned").  Reported per
set: digits right before and after, changes right -> wrong and wrong -> right, the
classifier's own accuracy on the glyphs, the confusions, and the CPU seconds per page the
second opinion costs.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.ocr import HELD_OUT_STYLE, SAMPLES
from bench.scans import ScanStyle
from ingest.extract import ocr_thai_digits as otd

ROOT = Path(__file__).resolve().parent.parent


def sources(work: Path, seed: int = 991) -> dict[str, tuple[Path, int, float]]:
    """scan stem (set-file) -> (typeset PDF, scan seed, largest skew), as bench/ocr.py made."""
    out = {}
    for dpi in (300, 200):
        for index, stem in enumerate(SAMPLES):
            pdf = ROOT / "samples" / "pdf" / f"{stem}.pdf"
            out[f"samples-{dpi}-{stem}"] = (pdf, index + dpi, ScanStyle(dpi=dpi).skew_deg)
    typeset = sorted(work.glob(f"heldout-{seed}-*"))
    for index, pdf in enumerate(sorted(typeset[0].glob("pdf/*.pdf")) if typeset else []):
        out[f"held-out-{pdf.stem}"] = (pdf, seed + 10 + index, HELD_OUT_STYLE.skew_deg)
    return out


def angles(seed: int, skew: float, pages: int) -> list[float]:
    rng = random.Random(seed)  # the draws bench/scans.py makes per page: angle, noise seed
    out = []
    for _ in range(pages):
        out.append(rng.uniform(-skew, skew))
        rng.randrange(1 << 30)
    return out


def pdf_chars(pdf: Path) -> list[tuple[float, float, list[tuple[str, float, float]]]]:
    """Per page: width and height in pt, and (char, centre x, centre y from the top)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    pages = []
    for page in doc:
        width, height = page.get_size()
        text = page.get_textpage()
        chars = []
        for i in range(text.count_chars()):
            left, bottom, right, top = text.get_charbox(i)
            chars.append(
                (text.get_text_range(i, 1), (left + right) / 2, height - (top + bottom) / 2)
            )
        pages.append((width, height, chars))
    doc.close()
    return pages


def truth_digits(box, angle: float, page) -> str:
    """The Thai digits the typeset page has under a word's ``box`` (px at 300 dpi)."""
    width, height, chars = page
    cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    left, top, w, h = (v * 72 / 300 for v in box)
    xs, ys = [], []
    for x, y in ((left, top), (left + w, top), (left, top + h), (left + w, top + h)):
        dx, dy = x - width / 2, y - height / 2
        xs.append(width / 2 + dx * cos - dy * sin)
        ys.append(height / 2 + dx * sin + dy * cos)
    inside = [
        (cx, ch)
        for ch, cx, cy in chars
        if min(xs) - 1 <= cx <= max(xs) + 1 and min(ys) - 1 <= cy <= max(ys) + 1
    ]
    return "".join(ch for _, ch in sorted(inside) if ch in otd.DIGITS)


def tsv_of(image: Path, cache: Path) -> str:
    from ingest.extract.ocr import CONFIG, DEFAULT_LANG, PSM

    out = cache / (image.stem + ".tsv")
    if not out.exists():
        cmd = ["tesseract", str(image), str(out.with_suffix("")), "-l", DEFAULT_LANG]
        cmd += ["--psm", PSM, *CONFIG, "--dpi", "300", "tsv"]
        env = dict(os.environ, OMP_THREAD_LIMIT="1")
        subprocess.run(cmd, check=True, capture_output=True, env=env)
    return out.read_text(encoding="utf-8")


class Tally:
    def __init__(self) -> None:
        self.digits = self.before = self.after = self.broke = self.fixed = 0
        self.unaligned = self.pages = self.classified = self.classifier_right = 0
        self.split_halves = 0
        self.cpu = 0.0
        self.confusion_before: Counter[str] = Counter()
        self.confusion_after: Counter[str] = Counter()

    def add_word(self, said: str, new: str, truth: str) -> None:
        if len(new) != len(said):  # the second half of a glyph tesseract split in two
            self.split_halves += 1
            return
        pairs = [(a, b) for a, b in zip(said, new, strict=True) if a in otd.DIGITS]
        if len(pairs) != len(truth):
            self.unaligned += 1
            return
        for (a, b), t in zip(pairs, truth, strict=True):
            self.digits += 1
            self.before += a == t
            self.after += b == t
            self.broke += a == t and b != t
            self.fixed += a != t and b == t
            if a != t:
                self.confusion_before[f"{t}->{a}"] += 1
            if b != t:
                self.confusion_after[f"{t}->{b}"] += 1

    def report(self) -> dict:
        return {
            "pages": self.pages,
            "digits": self.digits,
            "right_before": self.before,
            "right_after": self.after,
            "right_to_wrong": self.broke,
            "wrong_to_right": self.fixed,
            "unaligned_words": self.unaligned,
            "split_halves_dropped": self.split_halves,
            "classifier_right": f"{self.classifier_right}/{self.classified}",
            "cpu_s_per_page": round(self.cpu / max(self.pages, 1), 4),
            "confusion_before (truth->read)": dict(self.confusion_before.most_common()),
            "confusion_after": dict(self.confusion_after.most_common()),
        }


def measure_page(image: Path, tsv: str, angle: float, page, tally: Tally) -> None:
    from PIL import Image

    grey = otd._grey(Image.open(image))
    began = time.process_time()
    fixes = otd.thai_digit_fixes(Image.open(image), tsv)
    tally.cpu += time.process_time() - began
    tally.pages += 1
    for word in otd._digit_words(tsv):
        truth = truth_digits(word.box, angle, page)
        tally.add_word(word.text, fixes.get(word.row, word.text), truth)
        at = [i for i, ch in enumerate(word.text) if ch in otd.DIGITS]
        glyphs = otd.word_glyphs(grey, word.box, word.text)
        if glyphs and len(at) == len(truth):  # the classifier alone, sure or not
            truth_at = dict(zip(at, truth, strict=True))
            best = otd.classify(np.stack([otd.features(g.ink, g.comp) for g in glyphs]))
            for glyph, label in zip(glyphs, best.argmax(axis=1), strict=True):
                tally.classified += 1
                right = label < otd.OTHER and otd.DIGITS[label] == truth_at[glyph.index]
                tally.classifier_right += right


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--work", type=Path, required=True)
    args = ap.parse_args(argv)
    cache = args.work / "digits-tsv"
    cache.mkdir(exist_ok=True)
    tallies: dict[str, Tally] = {}
    for stem, (pdf, seed, skew) in sources(args.work).items():
        images = sorted((args.work / "page-images").glob(f"{stem}-*.pgm"))
        pages = pdf_chars(pdf)
        for image, angle, page in zip(images, angles(seed, skew, len(images)), pages, strict=False):
            name = stem.rsplit("-", 1)[0] if stem.startswith("samples") else "held-out"
            measure_page(
                image, tsv_of(image, cache), angle, page, tallies.setdefault(name, Tally())
            )
    print(json.dumps({k: t.report() for k, t in tallies.items()}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
