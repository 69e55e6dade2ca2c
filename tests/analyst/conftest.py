"""The sample warehouse the cookbook and the report tests read (built once per session).

It holds the five numbered samples, an earlier export of sample 001 (made here from the real
file: the two newest monthly entries removed, the header back at 70 %, one reach figure as it
stood before a later correction) and one file that is no report at all, so every page of the
report and every cookbook recipe has something real to show.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
SAMPLE_NAMES = (
    "000_fe2414e97ca3dbed.txt",
    "001_355c1ca7b5fb9819.txt",
    "002_66f532eb6161266b.txt",
    "003_872e79cd487a057a.txt",
    "004_a8b6aaaadac5bd4d.txt",
)
EARLIER_001 = "001_earlier_export.txt"
NOT_A_REPORT = "not_a_report.txt"
# "cli" (default): build with `python -m ingest ingest FILES --db X`, the real command line;
# "api": the same steps the ingest worker runs, called in-process (to tell the two apart).
BUILD_WITH = os.environ.get("RAYNGAN_TEST_BUILD", "cli")


def earlier_export_of_001(text: str) -> str:
    """Sample 001 as it was exported at the end of June 2564 (before entries (1) and (2)).

    The June entry then said 50,112 for the post that the later export reports at 52,882.
    """
    start = text.index("(1) ความคืบหน้าโครงการฯ")
    end = text.index("(3) ความคืบหน้าโครงการฯ")
    earlier = text[:start] + text[end:]
    earlier = earlier.replace(
        "\n\n90\n\nความคืบหน้าโครงการ ร้อยละ 90", "\n\n70\n\nความคืบหน้าโครงการ ร้อยละ 70", 1
    )
    earlier, count = re.subn(r"ยอดการเข้าถึง 52,882 คน", "ยอดการเข้าถึง 50,112 คน", earlier)
    assert count == 1 and "ร้อยละ 70\n" in earlier, "sample 001 no longer has the expected layout"
    return earlier


def input_files(folder: Path) -> list[Path]:
    """The files the sample warehouse is built from, written to ``folder`` where derived."""
    files = [SAMPLES / name for name in SAMPLE_NAMES]
    earlier = folder / EARLIER_001
    earlier.write_text(earlier_export_of_001(files[1].read_text(encoding="utf-8")), "utf-8")
    junk = folder / NOT_A_REPORT
    junk.write_bytes(b"")  # fails: an empty file (a text of no known kind lands as generic)
    return [*files, earlier, junk]


def shown_path(path: Path, folder: Path) -> str:
    """How a file is named to the ingest: derived files relative to ``folder`` (the cwd)."""
    return path.name if path.parent == folder else str(path)


def build_with_cli(db: Path, files: list[Path]) -> None:
    names = [shown_path(f, db.parent) for f in files]
    cmd = [sys.executable, "-m", "ingest", "ingest", *names, "--db", str(db), "--quiet"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=db.parent, env=env)
    # 1 = some file failed: the junk file must
    assert done.returncode == 1, f"rayngan ingest exited {done.returncode}: {done.stderr}"


def build_with_api(db: Path, files: list[Path]) -> None:
    from ingest.extract.dispatch import extract
    from parsers.errors import RaynganError
    from parsers.model import assign_pages
    from parsers.registry import parse_document
    from warehouse.store import SourceFile, Warehouse

    with Warehouse.open(db) as wh:
        run = wh.start_run()
        loaded = failed = 0
        for path in files:
            data = path.read_bytes()
            name = shown_path(path, db.parent)
            source = SourceFile(name, hashlib.sha256(data).hexdigest(), len(data))
            try:
                extracted = extract(data, name)
                doc = assign_pages(parse_document(extracted.text, name), extracted.line_pages)
            except RaynganError as exc:
                wh.record_failed(run, source, exc.reason)
                failed += 1
                continue
            doc = dataclasses.replace(doc, anomalies=extracted.anomalies + doc.anomalies)
            source = dataclasses.replace(
                source, encoding=extracted.encoding, media_type=extracted.media_type
            )
            wh.load(run, source, doc)
            loaded += 1
        wh.finish_run(run, seen=len(files), loaded=loaded, unchanged=0, failed=failed)


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Path of the built sample warehouse (closed: open it read-only)."""
    folder = tmp_path_factory.mktemp("analyst")
    db = folder / "samples.duckdb"
    files = input_files(folder)
    if BUILD_WITH == "cli":
        build_with_cli(db, files)
    else:
        build_with_api(db, files)
    return db


@pytest.fixture
def con(sample_db: Path):
    import duckdb

    connection = duckdb.connect(str(sample_db), read_only=True)
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The warehouse ./scripts/demo builds: `rayngan ingest samples` from the repository root
    (exit 1 there only means the encrypted PDF that needs a password failed)."""
    db = tmp_path_factory.mktemp("demo") / "warehouse.duckdb"
    cmd = [sys.executable, "-m", "ingest", "ingest", "samples", "--db", str(db), "--quiet"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600, cwd=ROOT, env=env)
    assert done.returncode in (0, 1), f"rayngan ingest exited {done.returncode}: {done.stderr}"
    return db


@pytest.fixture
def demo_con(demo_db: Path):
    import duckdb

    connection = duckdb.connect(str(demo_db), read_only=True)
    yield connection
    connection.close()
