"""Building blocks of the archive-fault tests: real hostile trees, real zips, real holders."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from tests.ingest.ingest_helpers import sample_files

TXT = sample_files(".txt", good_only=True)
THAI_CP874 = "รายงาน_ผลการดำเนินงาน".encode("cp874")  # a legacy Windows Thai file name
FORGED = "x\nloaded 999, unchanged 0, failed 0 in 0.1 s\x1b[2J\x1b]0;owned\x07.zip"


def put(folder: Path, name: str | bytes, data: bytes) -> bytes:
    """Write ``data`` at ``folder/name`` (bytes names written as bytes); return the path."""
    path = os.path.join(os.fsencode(folder), os.fsencode(name))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data)
    return path


def unique(src: Path, n: int) -> bytes:
    """The report's bytes made distinct from every other test file (``make_batch`` adds at
    most a few dozen newlines): the same report for the parsers."""
    return src.read_bytes().rstrip(b"\n") + b"\n" * (100 + n)


def hostile_tree(folder: Path, outside: Path) -> None:
    """Reports under every hostile name and link a legacy archive holds."""
    folder.mkdir(parents=True)
    for i, src in enumerate(TXT):
        put(folder, f"ok/{i:02d}_{src.name}", unique(src, i))
    put(folder, THAI_CP874 + b".txt", unique(TXT[0], 50))  # cp874 name
    put(folder, b"back\\slash\xff.txt", unique(TXT[1], 51))
    put(folder, FORGED, b"not a zip")  # fails, with a name that tries to forge lines
    os.symlink(".", folder / "loop1")  # two `-> .` loops: a glob must still end
    os.symlink(".", folder / "ok" / "loop2")
    outside.mkdir(parents=True, exist_ok=True)
    (outside / "secret.txt").write_text("root:SECRET-HASH:19000:0:99999:7:::\n")
    os.symlink(outside / "secret.txt", folder / "shadow.txt")
    with zipfile.ZipFile(folder / "pack.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("kpi/in.txt", unique(TXT[2], 52))
        archive.writestr("../../climbed.txt", unique(TXT[3], 53))
    flagged_utf8_cp874_zip(folder / "thai-names.zip", unique(TXT[4], 54))


def flagged_utf8_cp874_zip(path: Path, data: bytes) -> bytes:
    """A zip whose member name is flagged UTF-8 but holds cp874 bytes (a Thai Windows
    tool's doing); returns the name's bytes."""
    raw = THAI_CP874 + b".txt"
    placeholder = b"Q" * len(THAI_CP874) + b".txt"
    info = zipfile.ZipInfo(placeholder.decode())
    info.flag_bits |= 0x800
    info.compress_type = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(info, data)
    blob = path.read_bytes()
    assert blob.count(placeholder) == 2  # the local and the central header
    path.write_bytes(blob.replace(placeholder, raw))
    return raw


def hold(db: Path, *, read_only: bool, seconds: float) -> subprocess.Popen:
    """Another real process holding the warehouse (a reader or a writer) for ``seconds``;
    returns once it holds it."""
    code = (
        "import duckdb, sys, time\n"
        "while True:\n"  # a writer may hold it for a moment: get in between its batches
        "    try:\n"
        f"        con = duckdb.connect({str(db)!r}, read_only={read_only})\n"
        "        break\n"
        "    except duckdb.Error:\n"
        "        time.sleep(0.01)\n"
        "print('held', flush=True)\n"
        f"time.sleep({seconds})\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def rayngan_proc(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "ingest", *args],
        cwd=cwd,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def stop_and_time(proc: subprocess.Popen, signum: int) -> tuple[int, float, str]:
    """Send ``signum``; return exit status, seconds until it ended, and stderr."""
    began = time.monotonic()
    proc.send_signal(signum)
    _, stderr = proc.communicate(timeout=60)
    return proc.returncode, time.monotonic() - began, stderr
