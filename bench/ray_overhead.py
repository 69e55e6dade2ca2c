"""The cost of ``--engine ray`` over the local engine on one machine, and the loader's capacity.

    .venv/bin/python bench/ray_overhead.py [--count 10000] [--pdfs 300] [--scans 48] [--rounds 2]
    .venv/bin/python bench/ray_overhead.py --only startup      # where Ray's fixed cost goes

* text: the ``bench/gen.py`` corpus (``--count`` exports, seed 1) ingested into an empty
  warehouse by the real CLI, ``--workers 2``: the local engine; Ray attached to a running
  head (``--ray-address``, the start-up paid once per cluster); Ray started by the CLI itself
  (no address, the start-up inside the measure).  Runs alternate, best of ``--rounds``.
* pdf: the sample PDFs, copied ``--pdfs`` times with a distinct trailer (a comment after
  ``%%EOF``: other bytes, the same pages): the most CPU-bound path on main (no OCR yet).
* scans: an OCR-bound corpus, scanned-and-printed copies (``bench/scans.py``, 300 dpi, no
  text layer) of sample PDFs up to about ``--scans`` pages, one of them 15 pages long (read
  one page per task under Ray); ``--file-timeout 600`` for both engines.
* startup: in a fresh process, against the running head: ``import ray``, ``ray.init``, the
  warm-up tasks (a Ray worker each, importing the parsers) and one more task round trip.
* loader: the text corpus parsed once in this process, then written by ``Warehouse.load_many``
  alone in batches of 1,000 (what the loader thread does): rows/s and documents/s.

Every run's CPU time is counted too (more stable than wall time on a shared machine): every
process of this script's tree (the driver, its workers, tesseract, the Ray head's processes
and its Ray workers), each read in ``/proc`` every 0.05 s while the run lasts (``_Cpu``):
the raylet reaps its workers without adding their time to its own, so ``RUSAGE_CHILDREN``
misses them.  A process's last 0.05 s and processes shorter than that are not counted.

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
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
RAY = shutil.which("ray", path=str(Path(PY).parent)) or "ray"


PARTS = ("text", "pdf", "scans", "startup", "loader")
# Sample PDFs scanned for the OCR corpus, in this order until --scans pages: 001 is the long
# scan (15 pages, split into page tasks under Ray), the kpi_detail files are short ones.
SCAN_SOURCES = (
    "001_355c1ca7b5fb9819.pdf", "002_66f532eb6161266b.pdf", "003_872e79cd487a057a.pdf",
    "kpi_detail_01.pdf", "kpi_detail_02.pdf", "kpi_detail_03.pdf", "004_a8b6aaaadac5bd4d.pdf",
    "kpi_detail_04.pdf", "000_fe2414e97ca3dbed.pdf", "kpi_detail_05.pdf",
)  # fmt: skip


def main() -> None:
    args = _parse()
    _become_subreaper()
    parts = set(args.only.split(",")) if args.only else set(PARTS)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    docs = _text_corpus(work, args.count)
    corpora = {"text": docs, "pdf": _pdf_corpus(work, args.pdfs) if "pdf" in parts else None}
    corpora["scans"] = _scan_corpus(work, args.scans) if "scans" in parts else None
    results: dict[str, dict[str, list[tuple[float, float]]]] = {}
    startup: dict[str, float] = {}
    if parts - {"loader"}:
        env = {**os.environ, "RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN": secrets.token_hex(32)}
        env.pop("RAY_ADDRESS", None)
        head, address, startup["ray start --head"] = _start_head(work, env)
        try:
            if "startup" in parts:
                startup.update(_startup(address, env))
            for name in ("text", "pdf", "scans"):
                folder = corpora[name]
                if name in parts and folder is not None:
                    own, extra = name == "text", _EXTRA.get(name, ())
                    results[name] = _compare(work, folder, address, env, args, own, extra)
        finally:
            _stop_head(head)
    print(_load_line())
    _report(args, corpora, results, startup)
    if "loader" in parts:
        _report_loader(_loader_capacity(docs, work))


BREAKDOWN: list[tuple[str, dict[str, float]]] = []  # (engine, CPU s by group) of each pass
_EXTRA = {"scans": ("--file-timeout", "600")}  # OCR: no file may run out of time


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--pdfs", type=int, default=300)
    parser.add_argument("--scans", type=int, default=48, help="pages of the OCR corpus")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--only", help=f"comma-separated parts of {','.join(PARTS)}")
    parser.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "rayngan-ray"))
    return parser.parse_args()


def _load_line() -> str:
    one, five, fifteen = os.getloadavg()
    return f"\nLoad average at the end: {one:.2f}, {five:.2f}, {fifteen:.2f} (2 cores).\n"


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


def _scan_corpus(work: Path, pages: int) -> Path:
    """Scanned copies of SCAN_SOURCES (300 dpi, image-only PDFs) until ``pages`` pages."""
    folder = work / f"scans{pages}"
    if (folder / ".done").exists():
        return folder
    sys.path.insert(0, str(ROOT))
    from bench.scans import ScanStyle, scan_pdf

    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    total = 0
    for seed, name in enumerate(SCAN_SOURCES, 1):
        if total >= pages:
            break
        data = scan_pdf((ROOT / "samples" / "pdf" / name).read_bytes(), ScanStyle(), seed)
        (folder / name.replace(".pdf", "-scan.pdf")).write_bytes(data)
        total += pages_of_pdf(data)
    (folder / ".done").touch()
    return folder


def pages_of_pdf(data: bytes) -> int:
    import pypdfium2 as pdfium

    return len(pdfium.PdfDocument(data))


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


def _ingest(work: Path, docs: Path, env: dict[str, str], *extra: str) -> tuple[float, float]:
    """(wall s, CPU s) of one ingest into an empty warehouse; the CPU of every process of
    this tree meanwhile: the driver, its workers, the Ray head's processes (``_Cpu``)."""
    db = work / "bench.duckdb"
    for leftover in work.glob("bench.duckdb*"):
        leftover.unlink()
    command = [PY, "-m", "ingest", "ingest", str(docs), "--db", str(db), "--workers", "2"]
    _reap_orphans()
    meter = _Cpu()
    began = time.monotonic()
    result = subprocess.run(
        [*command, "--quiet", *extra], env=env, capture_output=True, text=True, check=False
    )
    seconds = time.monotonic() - began
    _reap_orphans()  # a private Ray's processes, exiting after its driver
    cpu = meter.stop()
    engine = "local" if "ray" not in extra else "ray own" if "--ray-address" not in extra else "ray"
    BREAKDOWN.append((f"{docs.parent.name} {engine}", meter.groups))
    if result.returncode != 0 or "failed 0" not in result.stdout:
        raise SystemExit(f"{' '.join(command)} {extra}: {result.stdout}{result.stderr}")
    return seconds, cpu


class _Cpu:
    """CPU seconds (user + sys) of every process under this one while a run lasts: each is
    read in ``/proc`` every ``every`` seconds; its last reading counts, less its reading at
    the start (a process's own time only: no double count of the children it reaped)."""

    def __init__(self, every: float = 0.05) -> None:
        self.start = _own_ticks()
        self.last = dict(self.start)
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._watch, args=(every,), daemon=True)
        self.thread.start()

    def _watch(self, every: float) -> None:
        while not self.done.wait(every):
            self._read()

    def _read(self) -> None:
        """Take a reading; a process keeps the first of driver, workers, Ray it was ever
        seen as (the driver's title changes as it runs, a Ray worker's once started)."""
        for key, (ticks, group) in _own_ticks().items():
            before = self.last.get(key, (0, group))[1]
            self.last[key] = (ticks, min(before, group, key=_GROUPS.index))

    def stop(self) -> float:
        """CPU seconds of the run; ``self.groups`` then splits them (``_group``)."""
        self.done.set()
        self.thread.join()
        self._read()
        tck = os.sysconf("SC_CLK_TCK")
        self.groups: dict[str, float] = {}
        for key, (ticks, group) in self.last.items():
            spent = (ticks - self.start.get(key, (0, group))[0]) / tck
            self.groups[group] = self.groups.get(group, 0.0) + spent
        return sum(self.groups.values())


_GROUPS = ("driver", "workers", "ray")


def _group(pid: str) -> str:
    """Whose CPU a process spends: the driver's, the workers' (local or Ray, tesseract
    included) or Ray's own (GCS, raylet, agents, log monitor, dashboard)."""
    try:
        title = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except (OSError, UnicodeDecodeError):
        return "ray"
    if " -m ingest " in title:
        return "driver"
    agent = title.startswith(("ray::DashboardAgent", "ray::RuntimeEnvAgent"))
    if "forkserver" in title or "tesseract" in title or (title.startswith("ray::") and not agent):
        return "workers"
    return "ray"


def _own_ticks() -> dict[tuple[int, str], tuple[int, str]]:
    """{(pid, start time): (utime + stime ticks, group)} of every descendant of this one."""
    parents: dict[int, int] = {}
    ticks: dict[tuple[int, str], tuple[int, str]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        ticks[(int(entry), fields[19])] = (int(fields[11]) + int(fields[12]), entry)
    me = os.getpid()
    mine = {}
    for key, (value, entry) in ticks.items():
        ancestor = parents.get(key[0])
        while ancestor and ancestor != me:
            ancestor = parents.get(ancestor)
        if ancestor:
            mine[key] = (value, _group(entry))
    return mine


def _reap_orphans(seconds: float = 3.0) -> None:
    """Reap adopted descendants for a while (a private Ray's processes exit after its
    driver), so their CPU is counted."""
    deadline = time.monotonic() + seconds
    quiet_since = time.monotonic()
    while time.monotonic() < deadline and time.monotonic() - quiet_since < 0.5:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid:
            quiet_since = time.monotonic()
        else:
            time.sleep(0.02)


def _become_subreaper() -> bool:
    import ctypes

    try:
        return ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) == 0  # SUBREAPER
    except (OSError, AttributeError):
        return False


def _compare(
    work: Path,
    docs: Path,
    address: str,
    env: dict[str, str],
    args: argparse.Namespace,
    own: bool,
    extra: tuple[str, ...] = (),
) -> dict[str, list[tuple[float, float]]]:
    """(wall, CPU) per pass, interleaved so a busy spell of the machine weighs on every
    engine; a first Ray run warms the head (its workers' imports are cached on disk)."""
    times: dict[str, list[tuple[float, float]]] = {"local": [], "ray": [], "ray_own": []}
    attached = ("--engine", "ray", "--ray-address", address, *extra)
    _ingest(work, docs, env, *attached)
    for _ in range(args.rounds):
        times["local"].append(_ingest(work, docs, env, *extra))
        times["ray"].append(_ingest(work, docs, env, *attached))
        if own:
            times["ray_own"].append(_ingest(work, docs, env, "--engine", "ray", *extra))
    return times


_STARTUP_PROBE = """
import os, sys, time
began = time.monotonic()
import ray
imported = time.monotonic()
ray.init(address=sys.argv[1], include_dashboard=False, log_to_driver=False,
         configure_logging=False)
connected = time.monotonic()
from ingest.workers.ray_tasks import warm_up
warm = ray.remote(num_cpus=1)(warm_up)
ray.get([warm.remote() for _ in range(2)])
warmed = time.monotonic()
ray.get(warm.remote())
again = time.monotonic()
print(imported - began, connected - imported, warmed - connected, again - warmed)
"""


def _startup(address: str, env: dict[str, str]) -> dict[str, float]:
    """Where Ray's fixed cost goes, in a fresh process (best of 3)."""
    best = [float("inf")] * 4
    for _ in range(3):
        out = subprocess.run(
            [PY, "-c", _STARTUP_PROBE, address], env=env, cwd=ROOT, capture_output=True,
            text=True, check=True,
        ).stdout.split()  # fmt: skip
        best = [min(b, float(x)) for b, x in zip(best, out[-4:], strict=True)]
    names = ("import ray", "ray.init (attached)", "2 warm-up tasks (new workers)", "1 more task")
    return dict(zip(names, best, strict=True))


# ---------------------------------------------------------------- the loader alone


def _loader_capacity(docs: Path, work: Path) -> dict[str, float]:
    """Parse every file here (untimed), then time only the warehouse writes."""
    sys.path.insert(0, str(ROOT))
    from ingest.job.discover import discover
    from ingest.job.run import _prepare_arrow, _source_of
    from ingest.workers.worker import Settings, Task, compact, process_task
    from warehouse.store import Warehouse

    settings = Settings(file_timeout=0, max_bytes=50 * 1024 * 1024)
    outcomes: list = []
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


def _report(args, corpora, results, startup: dict[str, float]) -> None:
    if results:
        print(f"### --engine ray vs local (2 cores, --workers 2, best of {args.rounds})\n")
        print("| corpus | local | ray, attached | ratio | ray, own start-up | ratio |")
        print("|---|---:|---:|---:|---:|---:|")
    for name, times in results.items():
        size, unit = _size(name, corpora[name], args)
        best = {k: min(v) for k, v in times.items() if v}  # by wall time
        local, ray = best["local"][0], best["ray"][0]
        own = best.get("ray_own")
        print(
            f"| {size:,} {name} | {local:.1f} s ({size / local:,.1f} {unit}/s) "
            f"| {ray:.1f} s ({size / ray:,.1f} {unit}/s) | {ray / local:.2f}x "
            + (f"| {own[0]:.1f} s | {own[0] / local:.2f}x |" if own else "| | |")
        )
    if results:
        print("\nCPU seconds of every process (least of the passes), and the ratio to local:\n")
        print("| corpus | local | ray, attached | ratio | ray, own start-up | ratio |")
        print("|---|---:|---:|---:|---:|---:|")
    for name, times in results.items():
        cpu = {k: min(c for _, c in v) for k, v in times.items() if v}
        local, ray, own_cpu = cpu["local"], cpu["ray"], cpu.get("ray_own")
        print(
            f"| {name} | {local:.1f} s | {ray:.1f} s | {ray / local:.2f}x "
            + (f"| {own_cpu:.1f} s | {own_cpu / local:.2f}x |" if own_cpu else "| | |")
        )
    for name, times in results.items():
        passes = "; ".join(
            f"{k} " + ", ".join(f"{w:.1f}/{c:.1f}" for w, c in v) for k, v in times.items() if v
        )
        print(f"\n{name}, every pass (wall s / CPU s of every process, Ray's included): {passes}.")
    if BREAKDOWN:
        print("\nCPU s of each pass by whose it is (driver / workers / Ray's own processes):")
        for engine, groups in BREAKDOWN:
            parts = " / ".join(f"{groups.get(g, 0.0):.1f}" for g in ("driver", "workers", "ray"))
            print(f"- {engine}: {parts}")
    if startup:
        print("\nFixed costs (s): " + "; ".join(f"{k} {v:.2f}" for k, v in startup.items()))


def _size(name: str, folder: Path, args) -> tuple[int, str]:
    if name == "text":
        return args.count, "docs"
    return pages_of(folder), "pages"


def _report_loader(loader: dict[str, float]) -> None:
    rows, docs, secs = loader["rows"], loader["docs"], loader["seconds"]
    print(
        f"Loader alone (`Warehouse.load_many`, batches of 1,000, pre-parsed): {docs:,} documents,"
        f" {rows:,} rows in {secs:.1f} s = {docs / secs:,.0f} documents/s, "
        f"{rows / secs:,.0f} rows/s ({rows / docs:,.0f} rows per document)."
    )


if __name__ == "__main__":
    main()
