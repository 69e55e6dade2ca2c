"""Speed of the normalize hot paths on the samples: repair_text, find_amounts, find_periods.

    .venv/bin/python bench/normalize_speed.py [--mb 8] [--rounds 5]

Clean text is every sample (samples/*.txt, samples/real/*.txt) once repaired, repeated to
``--mb`` megabytes; damaged text is the same with the lost-ำ damage of Word/iText PDFs
(every ำ written as consonant + space + า) and the TH SarabunIT๙ swap on a tenth of the
lines. Each figure is the best of ``--rounds`` passes in this one process, so compare the
ratios between lines more than the absolute numbers (runs vary up to 1.7x on this machine).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from normalize import find_amounts, find_periods, repair_text
from normalize import text as text_module

ROOT = Path(__file__).resolve().parent.parent


def _clean_corpus(megabytes: float) -> str:
    files = sorted(ROOT.glob("samples/*.txt")) + sorted(ROOT.glob("samples/real/*.txt"))
    text = repair_text("\n".join(f.read_text(encoding="utf-8") for f in files))
    size = len(text.encode("utf-8"))
    return "\n".join([text] * max(1, int(megabytes * 1e6 / size)))


def _damaged(text: str) -> str:
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if i % 10 == 0 and "\u0e32" in line:
            lines[i] = line.replace("\u0e32", "\u0e33")  # the SarabunIT๙ swap
        else:
            lines[i] = line.replace("\u0e33", " \u0e32")  # the lost nikhahit
    return "\n".join(lines)


def _best(rounds: int, work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=8.0)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    clean = _clean_corpus(args.mb)
    damaged = _damaged(clean)
    repair_text(damaged[:200_000])  # load the word list outside the timing
    lines = clean.split("\n")
    mb = len(clean.encode("utf-8")) / 1e6
    dmb = len(damaged.encode("utf-8")) / 1e6
    # Every line made new (a tag of Latin letters at its end) and the line cache emptied
    # before each pass: repair_text of text whose lines were never seen (the corpus above
    # repeats its lines).
    tags = str.maketrans("0123456789", "abcdefghij")
    fresh = "\n".join(
        line + ("" if line.endswith("\t") else " ") + str(i).translate(tags)  # stays clean
        for i, line in enumerate(lines)
    )
    fmb = len(fresh.encode("utf-8")) / 1e6

    def repair_fresh() -> str:
        text_module._line_cache.clear()
        return repair_text(fresh)

    rows = [
        ("repair_text, clean text", mb, _best(args.rounds, lambda: repair_text(clean))),
        ("repair_text, clean text, no line seen before", fmb, _best(args.rounds, repair_fresh)),
        ("repair_text, damaged text", dmb, _best(args.rounds, lambda: repair_text(damaged))),
        (
            "find_amounts, every line",
            mb,
            _best(args.rounds, lambda: list(map(find_amounts, lines))),
        ),
        (
            "find_periods, every line",
            mb,
            _best(args.rounds, lambda: list(map(find_periods, lines))),
        ),
    ]
    print(f"corpus: {mb:.1f} MB, {len(lines):,} lines")
    print("| path | MB/s | us per line |")
    print("|---|---:|---:|")
    for name, size, seconds in rows:
        print(f"| {name} | {size / seconds:.1f} | {seconds / len(lines) * 1e6:.2f} |")


if __name__ == "__main__":
    main()
