"""Generated exports typeset as PDFs, the way samples/pdf/ is made (LibreOffice, Laksaman).

Reuses ``to_fodt`` of scripts/make_sample_pdfs (one paragraph per text line, A4,
16 pt Laksaman, a page footer) so the benchmark PDFs and the sample PDFs are the
same kind of file.  Also times pdfplumber's own ``extract_text`` over them.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import gen

ROOT = Path(__file__).resolve().parent.parent
PDF_INDEX_BASE = 5_000_000  # generator indexes of PDF documents: never those of the text corpus


def have_soffice() -> bool:
    return shutil.which("soffice") is not None


def _to_fodt():
    path = ROOT / "scripts" / "make_sample_pdfs"
    loader = importlib.machinery.SourceFileLoader("make_sample_pdfs", str(path))
    spec = importlib.util.spec_from_loader("make_sample_pdfs", loader)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    loader.exec_module(module)
    return module.to_fodt


def make_pdfs(out: Path, count: int, seed: int, font: str = "Laksaman") -> list[Path]:
    """Typeset ``count`` generated exports as out/pdf/*.pdf in ``font``; truth in
    out/truth_pdf.jsonl."""
    to_fodt = _to_fodt()
    pdf_dir = out / "pdf"
    pdf_dir.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory() as tmp,
        open(out / "truth_pdf.jsonl", "w", encoding="utf-8") as truth_file,
    ):
        sources = []
        for i in range(count):
            data, truth = gen.generate_one(PDF_INDEX_BASE + i, seed)
            text = gen.decode(data)
            fodt = Path(tmp) / f"{i:05d}.fodt"
            fodt.write_text(to_fodt(text, font, 16, False), encoding="utf-8")
            sources.append(str(fodt))
            rec = {"file": f"{i:05d}.pdf", **truth}
            truth_file.write(json.dumps(rec, ensure_ascii=False) + "\n")
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{tmp}/profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(pdf_dir),
                *sources,
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    return sorted(pdf_dir.glob("*.pdf"))


def count_pages(paths: list[Path]) -> int:
    import pypdfium2

    total = 0
    for p in paths:
        doc = pypdfium2.PdfDocument(str(p))
        total += len(doc)
        doc.close()
    return total


def pdfplumber_pass(folder: str) -> dict:
    """``extract_text`` of every page of every PDF in ``folder`` (run in its own process)."""
    import pdfplumber

    start = time.perf_counter()
    pages = chars = 0
    for p in sorted(Path(folder).glob("*.pdf")):
        with pdfplumber.open(p) as pdf:
            for page in pdf.pages:
                chars += len(page.extract_text() or "")
                pages += 1
    return {"pages": pages, "chars": chars, "seconds": time.perf_counter() - start}


if __name__ == "__main__":
    print(json.dumps(pdfplumber_pass(sys.argv[1])))
