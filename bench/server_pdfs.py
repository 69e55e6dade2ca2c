"""Facts of the server-side prints (wkhtmltopdf, dompdf) of the sample pages, against the
facts of the saved pages they print.

    .venv/bin/python bench/server_pdfs.py

The prints are tests/fixtures/server_pdfs (scripts/make_server_pdfs).  A fact is one
record of a fact table (an indicator, a report entry, a checkbox, ...) or one document
field; it counts when the print gives it exactly.  Anomalies are left out.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ingest.extract.dispatch import extract  # noqa: E402
from tests.extract.conftest import sample_facts  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "server_pdfs"


def _count(got: dict, want: dict) -> tuple[int, int]:
    hit = total = 0
    for key, value in want.items():
        if key == "anomalies":
            continue
        mine = got.get(key)
        if isinstance(value, list):
            have = {json.dumps(x, sort_keys=True) for x in mine or []}
            total += len(value)
            hit += sum(json.dumps(x, sort_keys=True) in have for x in value)
        else:
            total += 1
            hit += mine == value
    return hit, total


def main() -> int:
    for producer in sorted(p.name for p in FIXTURES.iterdir() if p.is_dir()):
        hit = total = exact = prints = 0
        for pdf in sorted((FIXTURES / producer).glob("*.pdf")):
            page = ROOT / "samples" / "html" / f"{pdf.stem}.html"
            got = sample_facts(extract(pdf.read_bytes(), pdf.name).text)
            want = sample_facts(extract(page.read_bytes(), page.name).text)
            h, t = _count(got, want)
            hit, total, prints, exact = hit + h, total + t, prints + 1, exact + (h == t)
        print(f"| {producer} | {prints} | {exact} | {hit}/{total} ({100 * hit / total:.1f}%) |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
