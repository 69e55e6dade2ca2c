"""Train the Thai digit classifier of ingest/extract/ocr_thai_digits.py from fonts only.

    python bench/thai_digits_train.py            # writes ingest/extract/thai_digits.npz
    python bench/thai_digits_train.py --lofo     # leave-one-font-out accuracy, writes nothing

Each Thai digit (and, as the class "other", Thai letters, Latin letters and digits and
punctuation) is drawn with PIL in the installed Thai fonts (fonts-thai-tlwg, fonts-noto-core,
the vendored Sarabun web font) except Loma, the font of bench/ocr.py's held-out scans, then
scanned the way bench/scans.py does it (rotation, blur, paper grey, noise, JPEG, sometimes
at 200 dpi and scaled back up) and cut and split into glyphs by the same code that reads the
pages (``word_glyphs``).  The MLP (one hidden layer, numpy, Adam) and the rendering are
seeded: the same fonts and numpy give the same file.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ingest.extract.ocr_thai_digits import DIGITS, MODEL_FILE, OTHER, features, word_glyphs

ROOT = Path(__file__).resolve().parent.parent
TLWG = Path("/usr/share/fonts/truetype/tlwg")
NOTO = Path("/usr/share/fonts/truetype/noto")
SARABUN = ROOT / "tests" / "fixtures" / "fonts" / "sarabun" / "sarabun-thai-400-normal.woff2"
HELD_OUT_FAMILY = "Loma"
FAMILIES = {  # family -> its font files (regular and bold: the faces reports are set in)
    **{
        name: [TLWG / f"{name}.ttf", TLWG / f"{name}-Bold.ttf"]
        for name in (
            "Garuda",
            "Kinnari",
            "Laksaman",
            "Norasi",
            "Sawasdee",
            "Umpush",
            "Waree",
            "Purisa",
            "TlwgTypo",
            "TlwgTypist",
            "TlwgMono",
            "TlwgTypewriter",
        )
    },
    **{
        f"Noto{kind}Thai": [NOTO / f"Noto{kind}Thai-Regular.ttf", NOTO / f"Noto{kind}Thai-Bold.ttf"]
        for kind in ("Sans", "Serif", "Looped")
    },
    "Sarabun": [SARABUN],
}
OTHERS = (
    [chr(c) for c in range(0x0E01, 0x0E2F)]  # consonants
    + list("ะาเแโใไๆฯ")
    + list("()/%-:")  # no Latin letters or digits: 0, o and O are drawn as ๐ is
)
PER_DIGIT = 40  # samples of each digit per font file
PER_FONT_OTHER = 300  # samples of "other" per font file
SEED = 16


def font_files(families: dict[str, list[Path]] = FAMILIES) -> list[tuple[str, Path]]:
    return [(name, path) for name, paths in families.items() for path in paths if path.exists()]


def scanned_glyph(font: Path, char: str, rng: random.Random) -> np.ndarray | None:
    """Features of ``char`` drawn in ``font`` and scanned, cut out as OCR cuts a word (None
    when the cut does not give one glyph)."""
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    size = rng.uniform(30, 85)  # px: 10-16 pt type at 200-300 dpi, and headings
    low_dpi = rng.random() < 0.35
    face = ImageFont.truetype(str(font), round(size / 1.5 if low_dpi else size))
    canvas = Image.new("L", (int(size * 3), int(size * 3)), 255)
    ImageDraw.Draw(canvas).text((size, size * 0.8), char, font=face, fill=rng.randint(0, 60))
    stroke = rng.random()  # heavier or lighter ink than the font's (toner, thresholds)
    if stroke < 0.2:
        canvas = canvas.filter(ImageFilter.MinFilter(3))
    elif stroke < 0.35:
        canvas = canvas.filter(ImageFilter.MaxFilter(3))
    canvas = canvas.rotate(rng.uniform(-1.5, 1.5), Image.Resampling.BILINEAR, fillcolor=255)
    canvas = canvas.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.0)))
    pixels = np.asarray(canvas, dtype=np.float32) * (rng.randint(220, 245) / 255.0)
    nrng = np.random.default_rng(rng.randrange(1 << 30))
    pixels = np.clip(pixels + nrng.normal(0, rng.uniform(3, 15), pixels.shape), 0, 255)
    image = Image.fromarray(pixels.astype(np.uint8), mode="L")
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=rng.randint(45, 90))
    image = Image.open(io.BytesIO(buf.getvalue()))
    if low_dpi:
        image = image.resize(
            (image.width * 3 // 2, image.height * 3 // 2), Image.Resampling.BICUBIC
        )
    grey = np.asarray(image, dtype=np.uint8)
    box = _ink_box(grey, rng)
    if box is None:
        return None
    glyphs = word_glyphs(grey, box, char if char in DIGITS else "๐")
    if len(glyphs) != 1:
        return None
    return features(glyphs[0].ink, glyphs[0].comp)


def _ink_box(grey: np.ndarray, rng: random.Random) -> tuple[int, int, int, int] | None:
    """The box tesseract would give the glyph: its dark pixels' extent, off by a pixel."""
    ys, xs = np.nonzero(grey < 128)
    if not len(xs):
        return None
    left, top, right, bottom = int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1
    cut = round((right - left) * rng.uniform(0, 0.35))  # tesseract's boxes are often narrower
    left += rng.randint(0, cut)
    right -= cut - (left - int(xs.min()))
    top, bottom = top + rng.randint(-1, 1), bottom + rng.randint(-1, 1)
    return left, top, right - left, bottom - top


def samples(
    fonts: list[tuple[str, Path]], seed: int = SEED
) -> Iterator[tuple[str, int, np.ndarray]]:
    """(family, class, features) of every rendered glyph of ``fonts``."""
    for family, font in fonts:
        rng = random.Random(f"{seed}:{font.name}")
        jobs = [(d, c) for c, d in enumerate(DIGITS) for _ in range(PER_DIGIT)]
        jobs += [(rng.choice(OTHERS), OTHER) for _ in range(PER_FONT_OTHER)]
        for char, label in jobs:
            feats = scanned_glyph(font, char, rng)
            if feats is not None:
                yield family, label, feats


def train(
    x: np.ndarray, y: np.ndarray, seed: int = SEED, epochs: int = 20
) -> dict[str, np.ndarray]:
    """A one-hidden-layer MLP (ReLU, softmax) fitted by minibatch Adam with weight decay."""
    rng = np.random.default_rng(seed)
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-3
    xs = (x - mean) / scale
    hidden, classes = 64, OTHER + 1
    params = {
        "w1": rng.normal(0, np.sqrt(2 / xs.shape[1]), (xs.shape[1], hidden)),
        "b1": np.zeros(hidden),
        "w2": rng.normal(0, np.sqrt(2 / hidden), (hidden, classes)),
        "b2": np.zeros(classes),
    }
    moments = {k: (np.zeros_like(v), np.zeros_like(v)) for k, v in params.items()}
    step = 0
    for _ in range(epochs):
        order = rng.permutation(len(xs))
        for batch in np.array_split(order, max(1, len(xs) // 128)):
            step += 1
            grads = _gradients(params, xs[batch], y[batch])
            for key, grad in grads.items():
                m, v = moments[key]
                m[:] = 0.9 * m + 0.1 * grad
                v[:] = 0.999 * v + 0.001 * grad**2
                update = (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
                params[key] -= 0.002 * (update + 1e-4 * params[key])
    return {
        **{k: v.astype(np.float32) for k, v in params.items()},
        "mean": mean,
        "scale": scale,
        "max_aspect": max_aspects(x, y),
    }


def max_aspects(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Per class, the widest glyph (width / height) the fonts draw, with 15 % to spare;
    "other" has no bound."""
    aspect = np.exp(-x[:, -1])  # the last feature is log(height / width)
    widest = [np.quantile(aspect[y == c], 0.995) * 1.15 for c in range(OTHER)]
    return np.array([*widest, np.inf], dtype=np.float32)


def _gradients(
    params: dict[str, np.ndarray], x: np.ndarray, y: np.ndarray
) -> dict[str, np.ndarray]:
    pre = x @ params["w1"] + params["b1"]
    hidden = np.maximum(pre, 0)
    logits = hidden @ params["w2"] + params["b2"]
    logits -= logits.max(axis=1, keepdims=True)
    probs = np.exp(logits)
    probs /= probs.sum(axis=1, keepdims=True)
    probs[np.arange(len(y)), y] -= 1
    probs /= len(y)
    back = (probs @ params["w2"].T) * (pre > 0)
    return {
        "w2": hidden.T @ probs,
        "b2": probs.sum(axis=0),
        "w1": x.T @ back,
        "b1": back.sum(axis=0),
    }


def dataset(fonts: list[tuple[str, Path]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rows = list(samples(fonts))
    families = np.array([f for f, _, _ in rows])
    return families, np.array([c for _, c, _ in rows]), np.stack([v for _, _, v in rows])


def accuracy(model: dict[str, np.ndarray], x: np.ndarray, y: np.ndarray) -> float:
    hidden = np.maximum(((x - model["mean"]) / model["scale"]) @ model["w1"] + model["b1"], 0)
    logits = hidden @ model["w2"] + model["b2"]
    logits[np.exp(-x[:, -1:]) > model["max_aspect"][None, :]] = -np.inf  # as classify() does
    return float((logits.argmax(axis=1) == y).mean())


def lofo(families: np.ndarray, y: np.ndarray, x: np.ndarray) -> None:
    """Each family's digits classified by a model trained without that family."""
    right = total = 0
    for family in sorted(set(families)):
        held = families == family
        model = train(x[~held], y[~held])
        digits = held & (y != OTHER)
        score = accuracy(model, x[digits], y[digits])
        right, total = right + score * digits.sum(), total + digits.sum()
        print(f"leave out {family:16} its digits {score:.1%}")
    print(f"leave-one-font-out, all digits: {right / total:.1%} of {total}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--lofo", action="store_true", help="leave-one-font-out accuracy first")
    ap.add_argument("--out", type=Path, default=MODEL_FILE)
    args = ap.parse_args(argv)
    families, y, x = dataset(font_files())
    print(f"{len(y)} glyphs from {len(set(families))} font families", file=sys.stderr)
    if args.lofo:
        lofo(families, y, x)
    model = train(x, y)
    print(f"training accuracy {accuracy(model, x, y):.2%}")
    held = {
        HELD_OUT_FAMILY: [TLWG / f"{HELD_OUT_FAMILY}.ttf", TLWG / f"{HELD_OUT_FAMILY}-Bold.ttf"]
    }
    _, hy, hx = dataset(font_files(held))
    digits = hy != OTHER
    print(
        f"{HELD_OUT_FAMILY} (not trained on), digits: {accuracy(model, hx[digits], hy[digits]):.1%}"
    )
    np.savez_compressed(args.out, **{k: v.astype(np.float32) for k, v in model.items()})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
