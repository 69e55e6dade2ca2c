"""A second opinion on the Thai digits of an OCR'd page, independent of tesseract's LSTM.

Debian's ``tha`` model (LSTM only) reads ๖ as ๒, ๗ as ๓, ๘ and ๔ as ๕ in several fonts
(Laksaman, Loma, TH Sarabun: "พ.ศ. ๒๕๖๘" comes out "๒๕๒๕") on clean crops at every scale,
so no re-read by tesseract helps.  Here each ``tsv`` word holding Thai digits is cut from
the page, split into glyphs (connected components of its ink, marks stacked over a glyph
joined to it), and the glyphs that line up with the word's digits are classified by a small
numpy MLP trained on digits rendered in Thai fonts (bench/thai_digits_train.py, which
leaves Loma out).  A digit is swapped for another digit only (never added), only where the
classifier is sure of it: by ``MIN_MARGIN`` over its second class for the swaps tesseract
is known to make, by ``SURE_MARGIN`` for any other.  A word whose glyphs do not line up
with its characters is left alone.  The one case where a digit goes: two one-digit words
on one glyph (tesseract reads one ๖ as "๒" and "๐"), which become that glyph's digit.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from ingest.extract.tsv_words import TsvWord, tsv_words

if TYPE_CHECKING:
    from PIL import Image as PILImage

Grey = npt.NDArray[np.uint8]
Floats = npt.NDArray[np.float32]

DIGITS = "๐๑๒๓๔๕๖๗๘๙"
OTHER = len(DIGITS)  # the class of a glyph that is no Thai digit
SIDE = 16  # a glyph's ink box is scaled to SIDE x SIDE
MODEL_FILE = Path(__file__).with_name("thai_digits.npz")
# (tesseract's digit, the glyph's): the swaps tha makes on the sample scans (Laksaman)
KNOWN = frozenset({("๒", "๖"), ("๓", "๗"), ("๕", "๘"), ("๕", "๔")})
# (two one-digit words, the one glyph under both): tesseract reads Laksaman's and TH
# Sarabun's ๖ as two words ("๒๕๒๐๕" for ๒๕๖๘ on a real Royal Gazette scan)
KNOWN_SPLITS = frozenset({("๒๐", "๖"), ("๐๒", "๖")})
# width / height of a digit at most (Umpush's ๓: 1.64): a wider blob is digits run together
MAX_ASPECT = 1.7
MIN_MARGIN = 0.80  # best class probability minus the second's, for a known swap
SURE_MARGIN = 0.98  # ... for any other swap
MIN_CONTRAST = 60  # grey levels between paper and ink: less is an empty crop
# combining marks (above/below vowels, tone marks): drawn over a glyph, no column of their own
_TWO_TICKS = frozenset('"“”')  # drawn as two columns of ink
_MARKS = frozenset(chr(c) for c in (0x0E31, *range(0x0E34, 0x0E3B), *range(0x0E47, 0x0E4F)))


@dataclass(frozen=True)
class Component:
    """One connected blob of ink: its box in the crop (bottom/right exclusive) and mask."""

    top: int
    left: int
    bottom: int
    right: int
    mask: npt.NDArray[np.bool_]  # bottom-top x right-left

    @property
    def area(self) -> int:
        return int(self.mask.sum())


@dataclass(frozen=True)
class Glyph:
    """The glyph under one character of a word, as cut from the page."""

    index: int  # of the character in the word's text
    ink: Floats  # ink level of the crop it was found in
    comp: Component  # in that crop
    at: tuple[int, int]  # the crop's left and top on the page

    @property
    def page_box(self) -> tuple[int, int, int, int]:
        x, y = self.at
        return x + self.comp.left, y + self.comp.top, x + self.comp.right, y + self.comp.bottom


def thai_digit_fixes(image: bytes | PILImage.Image, tsv: str) -> dict[int, str]:
    """tsv row index -> the word with its Thai digits read again, where the reading differs
    ("" for the second word of one glyph read as two).

    ``image`` is the page tesseract read (image file bytes or a PIL image), ``tsv`` its
    ``tsv`` rendering."""
    words = _digit_words(tsv)
    if not words:
        return {}
    grey = _grey(image)
    found = [word_glyphs(grey, word.box, word.text) for word in words]
    fixes: dict[int, str] = {}
    taken: set[int] = set()  # words whose glyph the word before already took
    for i, word in enumerate(words):
        if word.row in taken:
            continue
        if i + 1 < len(words) and _one_glyph(word, words[i + 1], found[i], found[i + 1]):
            taken.add(words[i + 1].row)
            whole = _split_digit(word.text + words[i + 1].text, found[i][0])
            if whole is not None:
                fixes[word.row], fixes[words[i + 1].row] = whole, ""
            continue
        text = reread(word.text, found[i])
        if text != word.text:
            fixes[word.row] = text
    return fixes


def _one_glyph(first: TsvWord, second: TsvWord, got: list[Glyph], got2: list[Glyph]) -> bool:
    """Whether two one-digit words next to each other on a line are one glyph."""
    return (
        second.row == first.row + 1
        and len(first.text) == len(second.text) == len(got) == len(got2) == 1
        and got[0].page_box == got2[0].page_box
    )


def _split_digit(pair: str, glyph: Glyph) -> str | None:
    """The one digit a glyph read as the two digits ``pair`` is, where the classifier is
    sure of it; None otherwise."""
    best = _best(classify(features(glyph.ink, glyph.comp)[None])[0])
    if best is None:
        return None
    digit, margin = best
    needed = MIN_MARGIN if (pair, digit) in KNOWN_SPLITS else SURE_MARGIN
    return digit if margin >= needed else None


def reread(text: str, glyphs: list[Glyph]) -> str:
    """``text`` (tesseract's reading of a word) with each Thai digit whose glyph the
    classifier is sure is another digit swapped; ``text`` as it is otherwise."""
    if not glyphs:
        return text
    probs = classify(np.stack([features(g.ink, g.comp) for g in glyphs]))
    chars = list(text)
    for glyph, p in zip(glyphs, probs, strict=True):
        chars[glyph.index] = decide(chars[glyph.index], p)
    return "".join(chars)


def decide(said: str, probs: Floats) -> str:
    """The digit to show for a glyph tesseract read as ``said``, given class ``probs``."""
    best = _best(probs)
    if best is None or best[0] == said:
        return said
    digit, margin = best
    needed = MIN_MARGIN if (said, digit) in KNOWN else SURE_MARGIN
    return digit if margin >= needed else said


def _best(probs: Floats) -> tuple[str, float] | None:
    """The digit of the likeliest class and its margin over the second; None when the
    likeliest is no digit."""
    order = np.argsort(probs)[::-1]
    best = int(order[0])
    if best == OTHER:
        return None
    return DIGITS[best], float(probs[best] - probs[order[1]])


def _digit_words(tsv: str) -> list[TsvWord]:
    return [w for w in tsv_words(tsv) if any(ch in DIGITS for ch in w.text)]


def _grey(image: bytes | PILImage.Image) -> Grey:
    from PIL import Image

    if isinstance(image, bytes):
        image = Image.open(io.BytesIO(image))
    return np.asarray(image.convert("L"), dtype=np.uint8)


# ---------------------------------------------------------------- glyphs of a word


def word_glyphs(grey: Grey, box: tuple[int, int, int, int], text: str) -> list[Glyph]:
    """The glyph of each Thai digit of the word ``text`` in ``box``; none when the word's
    glyphs do not line up one to one with its characters."""
    left, top, width, height = box
    # tesseract's boxes of Thai digits are often narrower than the glyph and off to a side
    pad_x, pad_y = max(3, height), max(3, height // 3)
    y0, x0 = max(0, top - pad_y), max(0, left - pad_x)
    ink = ink_level(grey[y0 : top + height + pad_y, x0 : left + width + pad_x])
    if ink is None:
        return []
    min_area = max(3, height * height // 100)  # specks of noise
    inside = [
        c
        for c in components(ink > 0.5)
        if c.area >= min_area and _overlaps(c, (left - x0, top - y0, width, height))
    ]
    if any(_at_edge(c, ink.shape) for c in inside):
        return []  # a glyph running out of the crop: joined to its neighbours
    groups = _columns(inside)
    columns = _char_columns(text, len(groups))
    if columns is None:
        return []
    out = []
    for index, group in ((i, groups[c]) for i, c in enumerate(columns)):
        if text[index] in DIGITS:
            main = max(group, key=lambda c: c.area)
            if any(c is not main and c.area > 0.3 * main.area for c in group):
                return []  # two glyphs in one column: not a lone digit
            if main.right - main.left > MAX_ASPECT * (main.bottom - main.top):
                return []  # digits run together
            out.append(Glyph(index, ink, main, (x0, y0)))
    return out


def _char_columns(text: str, count: int) -> list[int] | None:
    """The column of glyphs each character of ``text`` starts at (marks: their base's), where
    ``count`` columns line up with its characters; None where they do not."""
    for wide in (True, False):  # quotes drawn as two ticks side by side, or run into one
        starts, column = [], 0
        for ch in text:
            column -= ch in _MARKS
            starts.append(column)
            column += 1 + (wide and ch in _TWO_TICKS)
        if column == count:
            return starts
    return None


def _overlaps(comp: Component, box: tuple[int, int, int, int]) -> bool:
    """Whether most of ``comp`` or most of ``box`` lie in the other's columns, and their rows
    meet."""
    left, top, width, height = box
    across = min(comp.right, left + width) - max(comp.left, left)
    down = min(comp.bottom, top + height) - max(comp.top, top)
    return down > 0 and across > 0.5 * min(width, comp.right - comp.left)


def _at_edge(comp: Component, shape: tuple[int, ...]) -> bool:
    return comp.left == 0 or comp.top == 0 or comp.right == shape[1] or comp.bottom == shape[0]


def ink_level(crop: Grey) -> Floats | None:
    """0 (paper) .. 1 (ink) per pixel, the two levels found by Otsu's threshold; None for
    a crop with no ink on it."""
    if crop.size == 0 or crop.min() == crop.max():
        return None
    hist = np.bincount(crop.ravel(), minlength=256).astype(np.float64)
    levels = np.arange(256, dtype=np.float64)
    weight = np.cumsum(hist)
    mass = np.cumsum(hist * levels)
    total, total_mass = weight[-1], mass[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (total_mass * weight - mass * total) ** 2 / (weight * (total - weight))
    threshold = int(np.nanargmax(between[:-1]))
    dark, light = crop[crop <= threshold], crop[crop > threshold]
    if not dark.size or not light.size:
        return None
    ink, paper = float(np.median(dark)), float(np.median(light))
    if paper - ink < MIN_CONTRAST:
        return None
    level = (paper - crop.astype(np.float32)) / (paper - ink)
    return np.clip(level, 0.0, 1.0).astype(np.float32)


def _columns(comps: list[Component]) -> list[list[Component]]:
    """Components left to right, those over one another (a mark over its glyph) together."""
    groups: list[list[Component]] = []
    for comp in sorted(comps, key=lambda c: c.left):
        if groups:
            span_left = min(c.left for c in groups[-1])
            span_right = max(c.right for c in groups[-1])
            overlap = min(span_right, comp.right) - max(span_left, comp.left)
            if overlap > 0.5 * min(span_right - span_left, comp.right - comp.left):
                groups[-1].append(comp)
                continue
        groups.append([comp])
    return groups


def components(ink: npt.NDArray[np.bool_]) -> list[Component]:
    """The 8-connected components of ``ink``, found from its runs of ink along each row."""
    height = ink.shape[0]
    edges = np.diff(np.pad(ink.astype(np.int8), ((0, 0), (1, 1))), axis=1)
    rows, starts = np.nonzero(edges == 1)
    _, ends = np.nonzero(edges == -1)  # exclusive; row-major order pairs them with starts
    parent = list(range(len(rows)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first = np.searchsorted(rows, np.arange(height + 1))
    for row in range(1, height):
        i, i_end = int(first[row - 1]), int(first[row])
        j, j_end = i_end, int(first[row + 1])
        while i < i_end and j < j_end:
            if starts[j] <= ends[i] and starts[i] <= ends[j]:  # touch, diagonals too
                parent[root(j)] = root(i)
            if ends[i] < ends[j]:
                i += 1
            else:
                j += 1
    runs: dict[int, list[int]] = {}
    for run in range(len(rows)):
        runs.setdefault(root(run), []).append(run)
    return [_component(members, rows, starts, ends) for members in runs.values()]


def _component(
    members: list[int],
    rows: npt.NDArray[np.intp],
    starts: npt.NDArray[np.intp],
    ends: npt.NDArray[np.intp],
) -> Component:
    r, s, e = rows[members], starts[members], ends[members]
    top, left = int(r.min()), int(s.min())
    bottom, right = int(r.max()) + 1, int(e.max())
    mask = np.zeros((bottom - top, right - left), dtype=np.bool_)
    for row, start, end in zip(r, s, e, strict=True):
        mask[row - top, start - left : end - left] = True
    return Component(top, left, bottom, right, mask)


# ---------------------------------------------------------------- the classifier


def features(ink: Floats, comp: Component) -> Floats:
    """The glyph's ink (its component only) scaled to SIDE x SIDE, and log(height/width)."""
    from PIL import Image

    box = ink[comp.top : comp.bottom, comp.left : comp.right] * comp.mask
    scaled = Image.fromarray(box.astype(np.float32), mode="F").resize(
        (SIDE, SIDE), Image.Resampling.BILINEAR
    )
    aspect = np.log((comp.bottom - comp.top) / (comp.right - comp.left))
    return np.append(np.asarray(scaled, dtype=np.float32).ravel(), np.float32(aspect))


def classify(feats: Floats) -> Floats:
    """Class probabilities (DIGITS, then OTHER) of each row of ``feats``."""
    w1, b1, w2, b2, mean, scale, max_aspect = _model()
    hidden = np.maximum(((feats - mean) / scale) @ w1 + b1, 0.0)
    logits = hidden @ w2 + b2
    logits -= logits.max(axis=1, keepdims=True)
    exp = np.exp(logits)
    probs = exp / exp.sum(axis=1, keepdims=True)
    # a glyph wider than any font draws a digit (two digits run together) is not that digit
    too_wide = np.exp(-feats[:, -1:]) > max_aspect[None, :]
    probs[:, OTHER] += np.where(too_wide, probs, 0.0).sum(axis=1)
    return np.where(too_wide, 0.0, probs).astype(np.float32)


@lru_cache(maxsize=1)
def _model() -> tuple[Floats, ...]:
    names = ("w1", "b1", "w2", "b2", "mean", "scale", "max_aspect")
    with np.load(MODEL_FILE) as data:
        return tuple(data[k].astype(np.float32) for k in names)
