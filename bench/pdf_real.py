#!/usr/bin/env python3
"""Real-world PDFs: speed against bare pdftotext, Thai dictionary share by producer, and
the facts of Chromium prints of the samples against their text exports, in one run.

    .venv/bin/python bench/pdf_real.py [--real DIR] [--work DIR] [--rounds N] [--no-results]

* Speed: ``rayngan ingest --workers 2`` (cold, a fresh warehouse) against bare
  ``pdftotext`` run two files at a time, over the same real PDFs (default
  ../shared/real-pdf, read in place), best of --rounds each; pages/s and the ratio.
  Also ``extract_pdf`` alone in two processes, to tell extraction from the rest.
* Dictionary share: the Thai of each file as rayngan lands it (``extract_pdf`` then
  ``normalize.repair_text``), as pdftotext and pdfplumber give it, cut into words by
  pythainlp's newmm; share of the Thai tokens that are in ``thai_words()``.
* Chromium prints: every sample page (samples/html) printed in every font set-up, with
  and without Chromium's header and footer (scripts/make_chromium_pdfs --all, kept in
  --work); share of the text export's numeric facts the print gives, and whether kind,
  code, fiscal year and title are right.

Writes its section at the end of bench/RESULTS.md (after the marker bench/run keeps).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import RAYNGAN, best_of, fresh_db, ingest  # noqa: E402
from ingest.extract.pdf import extract_pdf  # noqa: E402
from normalize import repair_text  # noqa: E402
from parsers.errors import InputError  # noqa: E402
from parsers.model import to_jsonable  # noqa: E402
from parsers.registry import parse_document  # noqa: E402

MARKER = "<!-- bench/pdf_real.py: everything below is written by it -->"
SAMPLES = ROOT / "samples"


def pages_of(path: Path) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(path.read_bytes())
    try:
        return len(doc)
    finally:
        doc.close()


# -- speed ------------------------------------------------------------------------------


def time_pdftotext(files: list[Path]) -> float:
    """Seconds for bare pdftotext over ``files``, two at a time."""

    def one(path: Path) -> None:
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=False)

    start = time.perf_counter()
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(one, files))
    return time.perf_counter() - start


def _extract_one(path: str) -> int:
    try:
        return extract_pdf(Path(path).read_bytes(), path).page_count
    except InputError:
        return 0


def time_extract(files: list[Path]) -> float:
    start = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(2) as pool:
        pool.map(_extract_one, [str(f) for f in files], chunksize=1)
    return time.perf_counter() - start


def speed(files: list[Path], work: Path, rounds: int) -> dict:
    ingests = [ingest(files, fresh_db(work, f"real-{n}"), 2) for n in range(rounds)]
    run = best_of(ingests)
    return {
        "pages": sum(pages_of(f) for f in files),
        "files": len(files),
        "pdftotext": min(time_pdftotext(files) for _ in range(rounds)),
        "ingest": run.seconds,
        "ingest_rc": run.rc,
        "extract": min(time_extract(files) for _ in range(rounds)),
    }


# -- dictionary share ----------------------------------------------------------------------


def dictionary_share(text: str) -> tuple[int, int]:
    """(Thai tokens in thai_words(), Thai tokens) of ``text`` by pythainlp's newmm."""
    import re

    from pythainlp.corpus import thai_words
    from pythainlp.tokenize import word_tokenize

    words = thai_words()
    thai = re.compile(r"^[\u0e01-\u0e4e]+$")
    found = total = 0
    for line in text.splitlines():
        for token in word_tokenize(line, engine="newmm", keep_whitespace=False):
            if thai.match(token):
                total += 1
                found += token in words
    return found, total


def texts_of(path: Path) -> dict[str, str | None]:
    import pdfplumber

    try:
        ours: str | None = repair_text(extract_pdf(path.read_bytes(), path.name).text)
    except InputError:
        ours = None  # refused (no text layer, or garbage): nothing lands
    poppler = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    with pdfplumber.open(path) as pdf:
        plumber = "\n".join(page.extract_text() or "" for page in pdf.pages)
    return {"rayngan": ours, "pdftotext": poppler, "pdfplumber": plumber}


def producers(real: Path) -> dict[str, str]:
    out = {}
    manifest = real / "manifest.jsonl"
    for line in manifest.read_text().splitlines() if manifest.exists() else []:
        row = json.loads(line)
        label = (row.get("producer") or row.get("creator") or "?").split(" (")[0]
        out[row["file"]] = label[:40]
    return out


def dictionary(files: list[Path], real: Path) -> list[dict]:
    labels = producers(real)
    rows = []
    for path in files:
        row = {"file": path.name, "producer": labels.get(path.name, "?")}
        for tool, text in texts_of(path).items():
            row[tool] = None if text is None else dictionary_share(text)
        rows.append(row)
    return rows


# -- Chromium prints --------------------------------------------------------------------


def export_of(stem: str) -> Path:
    path = SAMPLES / f"{stem}.txt"
    return path if path.exists() else SAMPLES / "real" / f"{stem}.txt"


def numeric_facts(value: object, path: str = "") -> set[tuple[str, float]]:
    if isinstance(value, dict):
        skip = ("line_no", "page", "source", "anomalies")
        return {
            f for k, v in value.items() if k not in skip for f in numeric_facts(v, f"{path}.{k}")
        }
    if isinstance(value, list):
        return {f for i, v in enumerate(value) for f in numeric_facts(v, f"{path}[{i}]")}
    if isinstance(value, int | float) and not isinstance(value, bool):
        return {(path, float(value))}
    return set()


def print_facts(pdf: Path) -> dict:
    stem, setup = pdf.stem.split("__")[:2]
    want = to_jsonable(parse_document(export_of(stem).read_text(encoding="utf-8"), "x"))
    row = {"setup": setup, "header": not pdf.stem.endswith("__bare"), "stem": stem}
    facts = numeric_facts(want)
    try:
        got = to_jsonable(parse_document(extract_pdf(pdf.read_bytes(), pdf.name).text, "x"))
    except InputError:
        return {**row, "facts": len(facts), "matched": 0, "heading": False}
    heading = all(got.get(k) == want.get(k) for k in ("kind", "code", "fiscal_year"))
    title = "".join((got.get("title") or "").split()) == "".join((want.get("title") or "").split())
    return {
        **row,
        "facts": len(facts),
        "matched": len(facts & numeric_facts(got)),
        "heading": heading,
        "title": title,
    }


def chromium(work: Path) -> list[dict]:
    out = work / "chromium-prints"
    if not any(out.glob("*.pdf")):
        if not shutil.which("chromium"):
            return []
        subprocess.run([sys.executable, str(ROOT / "scripts" / "make_chromium_pdfs"), "--all",
                        str(out)], check=True, capture_output=True)  # fmt: skip
    return [print_facts(pdf) for pdf in sorted(out.glob("*.pdf"))]


# -- the report ---------------------------------------------------------------------------


def report(sp: dict, dic: list[dict], prints: list[dict], commit: str) -> str:
    lines = [MARKER, "", "## Real PDFs (bench/pdf_real.py)", ""]
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    lines += [f"Produced by `bench/pdf_real.py` on {when}, commit {commit}.", ""]
    poppler, ours = sp["pages"] / sp["pdftotext"], sp["pages"] / sp["ingest"]
    lines += [
        f"Speed, {sp['files']} real PDFs ({sp['pages']} pages), two files at a time, best of "
        f"the rounds:",
        "",
        "| run | seconds | pages/s |",
        "|---|---:|---:|",
        f"| bare `pdftotext`, 2 at a time | {sp['pdftotext']:.2f} | {poppler:,.0f} |",
        f"| `rayngan ingest --workers 2` (cold, whole job; exit {sp['ingest_rc']}) "
        f"| {sp['ingest']:.2f} | {ours:,.0f} |",
        f"| `extract_pdf` alone, 2 processes | {sp['extract']:.2f} "
        f"| {sp['pages'] / sp['extract']:,.0f} |",
        "",
        f"Whole ingest / pdftotext: **{ours / poppler:.2f}x** (target >= 1.0x); extraction "
        f"alone / pdftotext: {sp['pdftotext'] / sp['extract']:.2f}x.",
        "",
        "Thai dictionary share (newmm tokens in `thai_words()`; rayngan: the text that lands, "
        'after repair; "refused": not loaded as text):',
        "",
        "| file | producer | rayngan | pdftotext | pdfplumber |",
        "|---|---|---:|---:|---:|",
    ]
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in dic:
        cells = []
        for tool in ("rayngan", "pdftotext", "pdfplumber"):
            value = row[tool]
            if value is None:
                cells.append("refused")
            elif value[1] == 0:
                cells.append("no Thai")
            else:
                cells.append(f"{value[0] / value[1]:.3f}")
                if row["rayngan"]:  # totals over the files whose text rayngan loads
                    totals[tool][0] += value[0]
                    totals[tool][1] += value[1]
        lines.append(f"| {row['file']} | {row['producer']} | " + " | ".join(cells) + " |")
    lines.append(
        "| **loaded files** | | "
        + " | ".join(
            f"**{totals[t][0] / totals[t][1]:.3f}**" if totals[t][1] else "-"
            for t in ("rayngan", "pdftotext", "pdfplumber")
        )
        + " |"
    )
    lines += ["", *chromium_table(prints)]
    return "\n".join(lines) + "\n"


def chromium_table(prints: list[dict]) -> list[str]:
    if not prints:
        return ["Chromium prints: not measured (no chromium)."]
    lines = [
        f"Chromium prints of the samples ({len(prints)} PDFs: scripts/make_chromium_pdfs --all):",
        "",
        "| font set-up | header/footer | prints | numeric facts | kind, code, FY right "
        "| title right |",
        "|---|---|---:|---:|---:|---:|",
    ]
    groups: dict[tuple[str, bool], list[dict]] = defaultdict(list)
    for row in prints:
        groups[(row["setup"], row["header"])].append(row)
    for (setup, header), rows in sorted(groups.items()):
        lines.append(_group_row(setup, "with" if header else "without", rows))
    lines.append(_group_row("**all**", "", prints))
    return lines


def _group_row(setup: str, header: str, rows: list[dict]) -> str:
    facts = sum(r["facts"] for r in rows)
    matched = sum(r["matched"] for r in rows)
    heading = sum(r["heading"] for r in rows)
    title = sum(r.get("title", False) for r in rows)
    return (
        f"| {setup} | {header} | {len(rows)} | {matched:,}/{facts:,} ({matched / facts:.1%}) "
        f"| {heading}/{len(rows)} | {title}/{len(rows)} |"
    )


def write_section(path: Path, section: str) -> None:
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    head = old.split(MARKER)[0].rstrip()
    path.write_text(head + "\n\n" + section, encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--real", type=Path, default=ROOT.parent / "shared" / "real-pdf")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "rayngan-bench")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--no-results", action="store_true")
    args = ap.parse_args()
    files = sorted(args.real.glob("*.pdf"))
    if not files or not Path(RAYNGAN).exists():
        print(f"pdf_real: no PDFs in {args.real} or no {RAYNGAN}", file=sys.stderr)
        return 2
    args.work.mkdir(parents=True, exist_ok=True)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()  # fmt: skip
    section = report(
        speed(files, args.work, args.rounds),
        dictionary(files, args.real),
        chromium(args.work),
        commit,
    )
    print(section)
    if not args.no_results:
        write_section(ROOT / "bench" / "RESULTS.md", section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
