#!/usr/bin/env python3
"""Real-world PDFs: speed against bare pdftotext, Thai dictionary share by producer, and
the facts of Chromium prints of the samples against their text exports, in one run.

    .venv/bin/python bench/pdf_real.py [--real DIR] [--work DIR] [--rounds N] [--no-results]
        [--parts speed,big,dictionary,chromium]

* Speed: ``rayngan ingest --workers 2 --no-ocr`` (cold, a fresh warehouse) against bare
  ``pdftotext`` run two files at a time, over the same files, best of --rounds each;
  pages/s and the ratio, by wall and by CPU, with the load average.  Two corpora: the
  real PDFs (default ../shared/real-pdf, read in place; 169 pages, where a run's fixed
  cost weighs most) and a bigger one of real producers (``big``): the Chromium prints
  below plus a ~320-page Thai budget table printed by LibreOffice Calc
  (bench/budget_book.py, made once in --work).  Also ``extract_pdf`` alone in two
  processes and pdfium's page loading alone (the floor of our path).
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
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import harness  # noqa: E402
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


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_pdftotext(files: list[Path]) -> tuple[float, float]:
    """Wall and CPU seconds of bare pdftotext over ``files``, two at a time."""

    def one(path: Path) -> None:
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=False)

    start, cpu = time.perf_counter(), children_cpu()
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(one, files))
    return time.perf_counter() - start, children_cpu() - cpu


def _extract_one(path: str) -> int:
    try:
        return extract_pdf(Path(path).read_bytes(), path).page_count
    except InputError:
        return 0


def _text_pages_one(path: str) -> int:
    """Only pdfium's own work: load each page and its text page (the floor of our path)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    doc = pdfium.PdfDocument(Path(path).read_bytes())
    for index in range(len(doc)):
        page = pdfium_c.FPDF_LoadPage(doc.raw, index)
        textpage = pdfium_c.FPDFText_LoadPage(page)
        pdfium_c.FPDFText_CountChars(textpage)
        pdfium_c.FPDFText_ClosePage(textpage)
        pdfium_c.FPDF_ClosePage(page)
    count = len(doc)
    doc.close()
    return count


def time_extract(
    files: list[Path], one: Callable[[str], int] = _extract_one
) -> tuple[float, float]:
    """Wall and CPU seconds of ``one`` over ``files`` in two worker processes."""
    start, cpu = time.perf_counter(), children_cpu()
    pool = multiprocessing.get_context("fork").Pool(2)
    pool.map(one, [str(f) for f in files], chunksize=1)
    pool.close()
    pool.join()  # reaped: their CPU time counts in RUSAGE_CHILDREN
    return time.perf_counter() - start, children_cpu() - cpu


def speed(name: str, files: list[Path], work: Path, rounds: int) -> dict:
    """The four runs over ``files``; the ingest without OCR, as pdftotext reads no scans."""
    before = os.getloadavg()
    extra = ("--no-ocr", "--file-timeout", "900")  # the budget book: ~10 s of CPU alone
    ingests = [ingest(files, fresh_db(work, f"real-{n}"), 2, extra) for n in range(rounds)]
    run = best_of(ingests)
    return {
        "name": name,
        "pages": sum(pages_of(f) for f in files),
        "files": len(files),
        "pdftotext": min(time_pdftotext(files) for _ in range(rounds)),
        "ingest": (run.seconds, run.cpu_seconds),
        "ingest_rc": run.rc,
        "extract": min(time_extract(files) for _ in range(rounds)),
        "pdfium": min(time_extract(files, _text_pages_one) for _ in range(rounds)),
        "load": (before[0], os.getloadavg()[0]),
    }


def big_corpus(work: Path) -> list[Path]:
    """The Chromium prints of the samples (made in ``work``) and a ~320-page Thai budget
    table printed by LibreOffice Calc: real producers' PDFs in the proportions of the
    issue's corpus (long files), where a run's fixed cost weighs less than on 8 files."""
    from bench.budget_book import make_pdf

    prints = sorted((work / "chromium-prints").glob("*.pdf")) if make_prints(work) else []
    return [*prints, make_pdf(work / "budget-book.pdf")]


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


def make_prints(work: Path) -> bool:
    """Print the samples with Chromium into ``work``/chromium-prints once; whether they exist."""
    out = work / "chromium-prints"
    if not any(out.glob("*.pdf")):
        if not shutil.which("chromium"):
            return False
        subprocess.run([sys.executable, str(ROOT / "scripts" / "make_chromium_pdfs"), "--all",
                        str(out)], check=True, capture_output=True)  # fmt: skip
    return True


def chromium(work: Path) -> list[dict]:
    if not make_prints(work):
        return []
    return [print_facts(pdf) for pdf in sorted((work / "chromium-prints").glob("*.pdf"))]


# -- the report ---------------------------------------------------------------------------


def report(speeds: list[dict], dic: list[dict], prints: list[dict], commit: str) -> str:
    lines = [MARKER, "", "## Real PDFs (bench/pdf_real.py)", ""]
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    lines += [f"Produced by `bench/pdf_real.py` on {when}, commit {commit}.", ""]
    for sp in speeds:
        lines += speed_table(sp)
    if dic:
        lines += dictionary_table(dic)
    if prints:
        lines += ["", *chromium_table(prints)]
    return "\n".join(lines) + "\n"


def speed_table(sp: dict) -> list[str]:
    pages = sp["pages"]
    poppler, ours = pages / sp["pdftotext"][0], pages / sp["ingest"][0]
    cpu_ratio = sp["pdftotext"][1] / sp["ingest"][1] if sp["ingest"][1] else 0.0
    return [
        f"Speed, {sp['name']}: {sp['files']} PDFs ({pages} pages), two files at a time, best "
        "of the rounds; CPU is user + system of every process of the run (a shared "
        "machine's load inflates wall time, CPU time much less); load average "
        f"{sp['load'][0]:.1f} before, {sp['load'][1]:.1f} after:",
        "",
        "| run | wall s | pages/s | CPU s | pages per CPU s |",
        "|---|---:|---:|---:|---:|",
        _speed_row("bare `pdftotext`, 2 at a time", pages, sp["pdftotext"]),
        _speed_row(
            "`rayngan ingest --workers 2 --no-ocr --file-timeout 900` (cold, whole job; "
            f"exit {sp['ingest_rc']})",
            pages,
            sp["ingest"],
        ),
        _speed_row("`extract_pdf` alone, 2 processes", pages, sp["extract"]),
        _speed_row("pdfium loading the text pages only, 2 processes", pages, sp["pdfium"]),
        "",
        f"Whole ingest / pdftotext: **{ours / poppler:.2f}x** by wall time, "
        f"**{cpu_ratio:.2f}x** by CPU time (target >= 1.0x); extraction alone: "
        f"{sp['pdftotext'][0] / sp['extract'][0]:.2f}x by wall, "
        f"{sp['pdftotext'][1] / sp['extract'][1]:.2f}x by CPU; pdfium's page loading alone: "
        f"{sp['pdftotext'][1] / sp['pdfium'][1]:.2f}x by CPU.",
        "",
    ]


def dictionary_table(dic: list[dict]) -> list[str]:
    lines = [
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
    return lines


def _speed_row(name: str, pages: int, times: tuple[float, float]) -> str:
    wall, cpu = times
    per_cpu = f"{pages / cpu:,.0f}" if cpu else "-"
    return f"| {name} | {wall:.2f} | {pages / wall:,.0f} | {cpu:.2f} | {per_cpu} |"


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
    head, _, below = old.partition(MARKER)
    begin, end = "<!-- bench/ocr.py: begin -->", "<!-- bench/ocr.py: end -->"
    if begin in below and end in below:  # bench/ocr.py's section moves above, kept whole
        kept = below[below.index(begin) : below.index(end) + len(end)]
        head = head.rstrip() + "\n\n" + kept
    path.write_text(head.rstrip() + "\n\n" + section, encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--real", type=Path, default=ROOT.parent / "shared" / "real-pdf")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "rayngan-bench")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--no-results", action="store_true")
    ap.add_argument(
        "--parts",
        default="speed,big,dictionary,chromium",
        help="comma-separated: speed (the real PDFs), big (prints + budget book), "
        "dictionary, chromium (default: all)",
    )
    args = ap.parse_args()
    files = sorted(args.real.glob("*.pdf"))
    if not files or not Path(RAYNGAN).exists():
        print(f"pdf_real: no PDFs in {args.real} or no {RAYNGAN}", file=sys.stderr)
        return 2
    args.work.mkdir(parents=True, exist_ok=True)
    # adopt rayngan's fork-server workers, so the ingest's CPU time covers them
    harness.SUBREAPER = harness.become_subreaper()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()  # fmt: skip
    parts = set(args.parts.split(","))
    speeds = []
    if "speed" in parts:
        speeds.append(speed("the 8 real PDFs", files, args.work, args.rounds))
    if "big" in parts:
        big = big_corpus(args.work)
        name = f"Chromium prints + a LibreOffice Calc budget book ({pages_of(big[-1])} pages)"
        speeds.append(speed(name, big, args.work, args.rounds))
    section = report(
        speeds,
        dictionary(files, args.real) if "dictionary" in parts else [],
        chromium(args.work) if "chromium" in parts else [],
        commit,
    )
    print(section)
    if not args.no_results:
        write_section(ROOT / "bench" / "RESULTS.md", section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
