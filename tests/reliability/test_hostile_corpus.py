"""A hostile corpus through the real CLI: every file accounted for, every failure with a
reason, no traceback, the whole batch in bounded time on a 2-core machine."""

from __future__ import annotations

import io
import random
import time
from pathlib import Path

import pytest

from tests.ingest.ingest_helpers import SAMPLES, rows, run_cli, sample_files

TIME_LIMIT = 120.0
SEED = 20261122


def _flip(data: bytes, rng: random.Random, rate: float = 0.005) -> bytes:
    out = bytearray(data)
    for _ in range(max(1, int(len(out) * rate))):
        pos = rng.randrange(len(out))
        out[pos] ^= 1 << rng.randrange(8)
    return bytes(out)


def _shuffle_lines(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    rng.shuffle(lines)
    return b"\n".join(lines)


def _pdf_with_empty_pages(pages: int) -> bytes:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    for _ in range(pages):
        pdf.new_page(595, 842)
    buffer = io.BytesIO()
    pdf.save(buffer)
    pdf.close()
    return buffer.getvalue()


def _embed(sample: str, payload: str) -> bytes:
    """``payload`` inserted in the middle of a real report (so the parsers reach it)."""
    lines = (SAMPLES / sample).read_text(encoding="utf-8").split("\n")
    middle = len(lines) // 2
    return "\n".join([*lines[:middle], payload, *lines[middle:]]).encode("utf-8")


def hostile_corpus(folder: Path) -> dict[str, bytes]:
    rng = random.Random(SEED)
    corpus: dict[str, bytes] = {}
    for src in sample_files():
        data = src.read_bytes()
        stem, suffix = f"{src.parent.name}_{src.stem}", src.suffix
        corpus[f"flip_{stem}{suffix}"] = _flip(data, rng)
        corpus[f"cut_{stem}{suffix}"] = data[: rng.randrange(1, max(2, len(data)))]
        corpus[f"shuffle_{stem}{suffix}"] = _shuffle_lines(data, rng)
    for i, suffix in enumerate((".txt", ".pdf", ".html") * 2):
        corpus[f"noise_{i}{suffix}"] = rng.randbytes(rng.choice((10, 5000, 300_000)))
    thai = "ยอดการเข้าถึง 1,234 คน กดถูกใจ 56 แชร์ 7 "
    kpi = "004_a8b6aaaadac5bd4d.txt"
    corpus.update(
        {
            "long_line.txt": (thai * (20_000_000 // len(thai.encode()))).encode(),
            "long_line_in_report.txt": _embed(kpi, thai * (20_000_000 // len(thai.encode()))),
            "reach_lines.txt": _embed(kpi, "\n".join(["ยอดการเข้าถึง 1,2"] * 200_000)),
            "reach_one_line.txt": _embed(kpi, " ".join(["ยอดการเข้าถึง 1,2"] * 200_000)),
            "brackets.txt": _embed("001_355c1ca7b5fb9819.txt", "(" * 100_000 + ")" * 100_000),
            "big_number.txt": _embed(kpi, "ค่าเป้าหมาย " + "9" * 100_000 + " คน"),
            "thai_digits.txt": _embed(kpi, "ร้อยละ " + "๙" * 100_000),
            "nested.html": ("<div>" * 100_000 + "รายละเอียดตัวชี้วัด" + "</div>" * 100_000).encode(),
            "empty_pages.pdf": _pdf_with_empty_pages(3000),
            "empty.txt": b"",
            "รายงาน ผลการดำเนินงาน (ฉบับที่ 2).txt": (SAMPLES / kpi).read_bytes() + b"\n",
            "bom_only.txt": b"\xef\xbb\xbf",
            "newlines.txt": b"\n" * 1_000_000,
            "nul.txt": b"\x00" * 100_000,
            "utf16.txt": (SAMPLES / kpi).read_text(encoding="utf-8").encode("utf-16"),
            "not_pdf.pdf": b"%PDF-1.7\n" + rng.randbytes(20_000),
            "not_zip.zip": b"PK\x03\x04" + rng.randbytes(5_000),
        }
    )
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in corpus.items():
        (folder / name).write_bytes(data)
    return corpus


@pytest.mark.slow
def test_hostile_corpus_is_accounted_for_in_bounded_time(tmp_path):
    corpus = hostile_corpus(tmp_path / "in")
    assert len(corpus) >= 100
    db = tmp_path / "w.duckdb"
    began = time.monotonic()
    result = run_cli("ingest", "in", "--db", str(db), cwd=tmp_path, timeout=600)
    elapsed = time.monotonic() - began
    print(f"hostile corpus: {len(corpus)} files in {elapsed:.1f} s; {result.stdout.strip()}")
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    assert elapsed < TIME_LIMIT
    recorded = dict(rows(db, "SELECT path, status FROM source_files"))
    zip_members = {p for p in recorded if "!" in p}
    assert {Path(p).name for p in set(recorded) - zip_members} == set(corpus)
    missing_reason = rows(
        db,
        "SELECT path FROM source_files WHERE status = 'failed' AND "
        "(error IS NULL OR error = '' OR error LIKE '%\n%')",
    )
    assert missing_reason == []
    # every failure names what is wrong with the file, never the code that met it
    internal = rows(db, "SELECT path, error FROM source_files WHERE error LIKE 'internal error%'")
    assert internal == []
    for path, status in recorded.items():
        if status == "failed":
            assert Path(path).name.split("!")[0] in result.stderr or path in result.stderr
