"""Printed-and-scanned versions of PDFs: pages rendered, then made grey, skewed, noisy and
JPEG-compressed the way an office scanner leaves them, saved as image-only PDFs (no text
layer) or as image files.  Deterministic for a given seed.

    python bench/scans.py OUT [--dpi 300] [--seed 1] PDF...   # OUT/<stem>-scan<dpi>.pdf
"""

from __future__ import annotations

import argparse
import io
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ScanStyle:
    dpi: int = 300
    skew_deg: float = 0.6  # largest rotation either way
    noise: float = 10.0  # standard deviation of the grey noise (0-255)
    jpeg_quality: int = 70
    paper: int = 235  # grey of the paper (a scanner never gives pure white)
    blur: float = 0.6  # radius of the Gaussian blur of the optics


def scan_images(pdf: bytes, style: ScanStyle, seed: int, pages: Sequence[int] | None = None):
    """PIL images ("L") of the PDF's pages (1-based ``pages``, default all), scanned."""
    import pypdfium2 as pdfium

    rng = random.Random(seed)
    doc = pdfium.PdfDocument(pdf)
    try:
        numbers = pages or range(1, len(doc) + 1)
        out = []
        for number in numbers:
            page = doc[number - 1]
            image = page.render(scale=style.dpi / 72, grayscale=True).to_pil().convert("L")
            page.close()
            out.append(_degrade(image, style, rng))
        return out
    finally:
        doc.close()


def _degrade(image, style: ScanStyle, rng: random.Random):
    import numpy as np
    from PIL import Image, ImageFilter

    angle = rng.uniform(-style.skew_deg, style.skew_deg)
    image = image.rotate(angle, resample=Image.Resampling.BILINEAR, expand=False, fillcolor=255)
    if style.blur:
        image = image.filter(ImageFilter.GaussianBlur(style.blur))
    pixels = np.asarray(image, dtype=np.float32)
    pixels = pixels * (style.paper / 255.0)  # paper grey, ink stays dark
    noise = np.random.default_rng(rng.randrange(1 << 30)).normal(0, style.noise, pixels.shape)
    pixels = np.clip(pixels + noise, 0, 255).astype(np.uint8)
    image = Image.fromarray(pixels, mode="L")
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=style.jpeg_quality)
    return Image.open(io.BytesIO(buf.getvalue()))


def scan_pdf(pdf: bytes, style: ScanStyle = ScanStyle(), seed: int = 1, pages=None) -> bytes:
    """An image-only PDF of the scanned pages (JPEG inside, no text layer)."""
    images = scan_images(pdf, style, seed, pages)
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=float(style.dpi))
    return out.getvalue()


def scan_tiff(pdf: bytes, style: ScanStyle = ScanStyle(), seed: int = 1, pages=None) -> bytes:
    """A multi-page TIFF of the scanned pages (deflate-compressed grey)."""
    images = scan_images(pdf, style, seed, pages)
    out = io.BytesIO()
    images[0].save(
        out,
        "TIFF",
        save_all=True,
        append_images=images[1:],
        compression="tiff_deflate",
        dpi=(style.dpi, style.dpi),
    )
    return out.getvalue()


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("pdfs", nargs="+", type=Path)
    ap.add_argument("--dpi", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for index, path in enumerate(args.pdfs):
        data = scan_pdf(path.read_bytes(), ScanStyle(dpi=args.dpi), seed=args.seed + index)
        (args.out / f"{path.stem}-scan{args.dpi}.pdf").write_bytes(data)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
