"""The cost of ``--engine ray`` over the local engine on one machine, and the loader's capacity.

    .venv/bin/python bench/ray_overhead.py [--count 10000] [--pdfs 300] [--rounds 2]

* text: the ``bench/gen.py`` corpus (``--count`` exports, seed 1) ingested into an empty
  warehouse by the real CLI, ``--workers 2``: the local engine; Ray attached to a running
  head (``--ray-address``, the start-up paid once per cluster); Ray started by the CLI itself
  (no address, the start-up inside the measure).  Runs alternate, best of ``--rounds``.
* pdf: the sample PDFs, copied ``--pdfs`` times with a distinct trailer (a comment after
  ``%%EOF``: other bytes, the same pages): the most CPU-bound path on main (no OCR yet).
* loader: the text corpus parsed once in this process, then written by ``Warehouse.load_many``
  alone in batches of 1,000 (what the loader thread does): rows/s and documents/s.

Prints a Markdown section for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
RAY = shutil.which("ray", path=str(Path(PY).parent)) or "ray"


def main() -> None:
    args = _parse()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    docs = _text_corpus(work, args.count)
    pdfs = _pdf_corpus(work, args.pdfs)
    if args.loader_only:
        _report_loader(_loader_capacity(docs, work))
        return
    env = {**os.environ, "RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN": secrets.token_hex(32)}
    env.pop("RAY_ADDRESS", None)
    head, address, startup = _start_head(work, env)
    try:
        text = _compare(work, docs, address, env, args.rounds, own=True)
        pdf = _compare(work, pdfs, address, env, args.rounds, own=False)
    finally:
        _stop_head(head)
    loader = _loader_capacity(docs, work)
    _report(args, text, pdf, startup, loader)


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--pdfs", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--loader-only", action="store_true", help="only the loader alone")
    parser.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "rayngan-ray"))
    return parser.parse_args()


# ---------------------------------------------------------------- corpora


def _text_corpus(work: Path, count: int) -> Path:
    docs = work / f"text{count}"
    if not (docs / ".done").exists():  # generated once per --count
        shutil.rmtree(docs, ignore_errors=True)
        subprocess.run(
            [PY, str(ROOT / "bench" / "gen.py"), str(docs), "--count", str(count), "--seed", "1"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        (docs / ".done").touch()
    return docs / "docs"  # gen.py writes docs/ and truth/


def _pdf_corpus(work: Path, count: int) -> Path:
    folder = work / f"pdf{count}"
    if (folder / ".done").exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    sources = sorted((ROOT / "samples" / "pdf").glob("*.pdf"))
    for i in range(count):
        src = sources[i % len(sources)]
        (folder / f"{src.stem}__{i:05d}.pdf").write_bytes(src.read_bytes() + b"%% %d\n" % i)
    (folder / ".done").touch()
    return folder


def pages_of(folder: Path) -> int:
    import pypdfium2 as pdfium

    return sum(len(pdfium.PdfDocument(str(p))) for p in folder.glob("*.pdf"))


# ---------------------------------------------------------------- runs


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_head(work: Path, env: dict[str, str]) -> tuple[subprocess.Popen, str, float]:
    port = _free_port()
    log = work / "head.log"
    began = time.monotonic()
    head = subprocess.Popen(
        [
            *(RAY, "start", "--head", "--block", "--num-cpus", "2", "--port", str(port)),
            *("--node-ip-address", "127.0.0.1", "--include-dashboard=false"),
            "--disable-usage-stats",
        ],
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,
    )
    while "Ray runtime started" not in log.read_text(errors="replace"):
        if head.poll() is not None:
            raise SystemExit(f"ray start failed:\n{log.read_text()}")
        time.sleep(0.1)
    return head, f"127.0.0.1:{port}", time.monotonic() - began


def _stop_head(head: subprocess.Popen) -> None:
    head.send_signal(signal.SIGTERM)
    try:
        head.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(head.pid, signal.SIGKILL)
        head.wait()


def _ingest(work: Path, docs: Path, env: dict[str, str], *extra: str) -> float:
    db = work / "bench.duckdb"
    for leftover in work.glob("bench.duckdb*"):
        leftover.unlink()
    command = [PY, "-m", "ingest", "ingest", str(docs), "--db", str(db), "--workers", "2"]
    began = time.monotonic()
    result = subprocess.run(
        [*command, "--quiet", *extra], env=env, capture_output=True, text=True, check=False
    )
    seconds = time.monotonic() - began
    if result.returncode != 0 or "failed 0" not in result.stdout:
        raise SystemExit(f"{' '.join(command)} {extra}: {result.stdout}{result.stderr}")
    return seconds


def _compare(
    work: Path, docs: Path, address: str, env: dict[str, str], rounds: int, *, own: bool
) -> dict[str, list[float]]:
    """Wall times, interleaved so a busy spell of the machine weighs on every engine."""
    times: dict[str, list[float]] = {"local": [], "ray": [], "ray_own": []}
    _ingest(work, docs, env, "--engine", "ray", "--ray-address", address)  # warm the workers
    for _ in range(rounds):
        times["local"].append(_ingest(work, docs, env))
        times["ray"].append(_ingest(work, docs, env, "--engine", "ray", "--ray-address", address))
        if own:
            times["ray_own"].append(_ingest(work, docs, env, "--engine", "ray"))
    return times


# ---------------------------------------------------------------- the loader alone


def _loader_capacity(docs: Path, work: Path) -> dict[str, float]:
    """Parse every file here (untimed), then time only the warehouse writes."""
    sys.path.insert(0, str(ROOT))
    from ingest.job.discover import discover
    from ingest.job.run import _prepare_arrow, _source_of
    from ingest.workers.worker import Settings, Task, compact, process_task
    from warehouse.store import Warehouse

    settings = Settings(file_timeout=0, max_bytes=50 * 1024 * 1024)
    outcomes = []
    for cand in discover([str(docs)]).candidates:
        task = Task(cand.path, cand.size_bytes, cand.mtime_ns)
        outcomes.extend(compact(o) for o in process_task(task, settings, lambda m: None))
    items = [(_source_of(o), o.parsed) for o in outcomes if o.parsed is not None]
    db = work / "loader.duckdb"
    for leftover in work.glob("loader.duckdb*"):
        leftover.unlink()
    _prepare_arrow(True)
    with Warehouse.open(db) as wh:
        run_id = wh.start_run()
    began = time.monotonic()
    for i in range(0, len(items), 1000):  # one open per batch, as the loader thread does
        with Warehouse.open(db, migrate=False) as wh:
            wh.load_many(run_id, items[i : i + 1000])
    seconds = time.monotonic() - began
    rows = _count_rows(db)
    return {"docs": len(items), "rows": rows, "seconds": seconds}


def _count_rows(db: Path) -> int:
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        tables = [t for (t,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
        skip = {"schema_migrations", "ingest_runs"}
        return sum(
            con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # type: ignore[index]
            for t in tables
            if t not in skip
        )


# ---------------------------------------------------------------- report


def _report(args, text, pdf, startup: float, loader: dict[str, float]) -> None:
    n, p = args.count, args.pdfs
    best = {k: min(v) for k, v in text.items() if v}
    pbest = {k: min(v) for k, v in pdf.items() if v}
    pages = pages_of(Path(args.work) / f"pdf{p}")
    fmt = ", ".join
    print(f"### --engine ray vs local (2 cores, --workers 2, best of {args.rounds})\n")
    print("| corpus | local | ray, attached | ratio | ray, own start-up | ratio |")
    print("|---|---:|---:|---:|---:|---:|")
    print(
        f"| {n:,} text exports | {best['local']:.1f} s ({n / best['local']:,.0f} docs/s) "
        f"| {best['ray']:.1f} s ({n / best['ray']:,.0f} docs/s) "
        f"| {best['ray'] / best['local']:.2f}x | {best['ray_own']:.1f} s "
        f"| {best['ray_own'] / best['local']:.2f}x |"
    )
    print(
        f"| {p} PDFs, {pages:,} pages | {pbest['local']:.1f} s ({pages / pbest['local']:,.0f}"
        f" pages/s) | {pbest['ray']:.1f} s ({pages / pbest['ray']:,.0f} pages/s) "
        f"| {pbest['ray'] / pbest['local']:.2f}x | | |"
    )
    print(
        f"\nAll passes (s): text local {fmt(f'{t:.1f}' for t in text['local'])}; "
        f"ray {fmt(f'{t:.1f}' for t in text['ray'])}; "
        f"ray own {fmt(f'{t:.1f}' for t in text['ray_own'])}; "
        f"pdf local {fmt(f'{t:.1f}' for t in pdf['local'])}; "
        f"ray {fmt(f'{t:.1f}' for t in pdf['ray'])}. "
        f"`ray start --head` took {startup:.1f} s.\n"
    )
    _report_loader(loader)


def _report_loader(loader: dict[str, float]) -> None:
    rows, docs, secs = loader["rows"], loader["docs"], loader["seconds"]
    print(
        f"Loader alone (`Warehouse.load_many`, batches of 1,000, pre-parsed): {docs:,} documents,"
        f" {rows:,} rows in {secs:.1f} s = {docs / secs:,.0f} documents/s, "
        f"{rows / secs:,.0f} rows/s ({rows / docs:,.0f} rows per document)."
    )


if __name__ == "__main__":
    main()
