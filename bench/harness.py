"""The benchmark harness behind ``bench/run`` (see bench/README.md).

One run, side by side on one generated corpus: the floor (read + decode + repair),
``rayngan ingest`` cold with 1 and 2 workers, the no-op re-run, the PDF path against
pdfplumber, peak memory, accuracy against the generated truth, and optionally the
100,000-document scale check and a profile.  Prints a table and writes
bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import compare, gen, pdfs

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
RAYNGAN = str(Path(PY).parent / "rayngan")
TIME = "/usr/bin/time"


# ----------------------------------------------------------------------------- processes


def become_subreaper() -> bool:
    """Adopt the orphans of measured commands (Linux PR_SET_CHILD_SUBREAPER).

    rayngan's workers are children of its fork server, not of ``rayngan`` itself, so
    ``time -v`` never counts their CPU.  As a subreaper this process inherits them when
    their parents exit, reaps them, and ``RUSAGE_CHILDREN`` then holds the whole tree."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(36, 1, 0, 0, 0) == 0  # 36: PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        return False


def _reap_orphans(seconds: float = 10.0) -> None:
    """Wait (bounded) for adopted descendants, so their CPU time is counted."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.01)


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


SUBREAPER = False  # set by main(): the CPU column then covers every process of the tree


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = defaultdict(list)
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read().decode("ascii", "replace")
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        kids[ppid].append(int(entry))
    return kids


def _tree(pid: int) -> list[int]:
    kids, out, todo = _children(), [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, ()))
    return out


def _kb(pid: int, path: str, key: str) -> int:
    try:
        with open(f"/proc/{pid}/{path}", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith(key):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeMemory(threading.Thread):
    """Samples the process tree of ``pid``: peak of summed PSS and the largest single RSS."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.done = pid, threading.Event()
        self.peak_pss_kb = self.peak_rss_kb = self.peak_procs = 0
        self.main_pid: int | None = None  # the ingest process itself (under time -v: its child)
        self.rss_by_pid: dict[int, int] = {}

    def run(self) -> None:
        while not self.done.is_set():
            pids = _tree(self.pid)
            if self.main_pid is None and len(pids) > 1:
                self.main_pid = pids[1] if _is_time(self.pid) else self.pid
            rss = {p: _kb(p, "status", "VmRSS:") for p in pids}
            pss = sum(_kb(p, "smaps_rollup", "Pss:") or rss[p] for p in pids)
            for p, kb in rss.items():
                self.rss_by_pid[p] = max(self.rss_by_pid.get(p, 0), kb)
            self.peak_pss_kb = max(self.peak_pss_kb, pss)
            self.peak_rss_kb = max(self.peak_rss_kb, max(rss.values(), default=0))
            self.peak_procs = max(self.peak_procs, len(pids))
            self.done.wait(0.1)

    def parent_and_worker_kb(self) -> tuple[int, int]:
        """Peak RSS of the ingest process and of its largest worker (sampled)."""
        main = self.rss_by_pid.get(self.main_pid or self.pid, 0)
        workers = [kb for p, kb in self.rss_by_pid.items() if p not in (self.pid, self.main_pid)]
        return main, max(workers, default=0)


def _is_time(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/comm", encoding="ascii", errors="replace") as f:
            return f.read().strip() == "time"
    except OSError:
        return False


@dataclass
class Run:
    seconds: float
    rc: int
    max_rss_kb: int  # largest single process (wait4 / time -v)
    tree_pss_kb: int  # peak of the summed PSS of the whole tree (sampled)
    procs: int
    stderr: str = ""
    cpu_seconds: float = 0.0  # user + system of the whole tree (see become_subreaper)
    parent_rss_kb: int = 0  # sampled peak of the ingest process itself
    worker_rss_kb: int = 0  # sampled peak of its largest worker


def run_cmd(cmd: list[str], cwd: Path | None = None, *, sample: bool = True) -> Run:
    """Run ``cmd`` under ``time -v``; ``sample=False``: no memory sampler (it scans /proc
    every 0.1 s, which costs a sub-second run on a 2-core machine measurable time)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        use_time = os.access(TIME, os.X_OK)
        full = [TIME, "-v", "-o", tf.name, *cmd] if use_time else cmd
        cpu_before = _children_cpu()
        start = time.perf_counter()
        proc = subprocess.Popen(
            full, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        mon = TreeMemory(proc.pid)
        if sample:
            mon.start()
        out, err = proc.communicate()
        seconds = time.perf_counter() - start
        mon.done.set()
        if sample:
            mon.join()
        max_rss, cpu = 0, 0.0
        if use_time:
            report = tf.read()
            m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", report)
            max_rss = int(m.group(1)) if m else 0
            cpu = sum(
                float(x) for x in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", report)
            )
        else:
            import resource

            max_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        if SUBREAPER:
            _reap_orphans()
            cpu = _children_cpu() - cpu_before
    parent_kb, worker_kb = mon.parent_and_worker_kb()
    return Run(
        seconds,
        proc.returncode,
        max(max_rss, mon.peak_rss_kb),
        mon.peak_pss_kb,
        mon.peak_procs,
        (err or "") + (out or ""),
        cpu,
        parent_kb,
        worker_kb,
    )


def ingest(
    paths: list[Path], db: Path, workers: int, extra: tuple[str, ...] = (), *, sample: bool = True
) -> Run:
    cmd = [
        RAYNGAN,
        "ingest",
        *map(str, paths),
        "--db",
        str(db),
        "--workers",
        str(workers),
        "--quiet",
        *extra,
    ]
    drop_caches()
    return run_cmd(cmd, cwd=db.parent, sample=sample)


ROUNDS = 3  # --rounds: timed passes of the floor, the --workers 2 ingest and the PDF path
# A half-second PDF run is the noisiest measure on a shared machine: at least this many.
PDF_ROUNDS = 5


def best_of(runs: list[Run]) -> Run:
    """The fastest pass (as timeit reports): a shared machine only ever adds time."""
    return min(runs, key=lambda r: r.seconds)


DROP_CACHES = False  # --drop-caches: empty the page cache before each timed pass (root only)


def drop_caches() -> None:
    if DROP_CACHES:
        subprocess.run(["sync"], check=False)
        with open("/proc/sys/vm/drop_caches", "w", encoding="ascii") as f:
            f.write("3\n")


def fresh_db(work: Path, name: str) -> Path:
    db = work / f"{name}.duckdb"
    for p in work.glob(f"{name}.duckdb*"):
        p.unlink()
    return db


def status_counts(db: Path) -> dict[str, int]:
    import duckdb

    try:
        with duckdb.connect(str(db), read_only=True) as con:
            rows = con.execute("SELECT status, count(*) FROM source_files GROUP BY 1").fetchall()
    except Exception:  # no warehouse (the ingest failed early): nothing loaded
        return {}
    return dict(rows)


# ----------------------------------------------------------------------------- corpora


def generator_version() -> str:
    """A hash of the generator's source: a changed generator never reuses an old corpus."""
    import hashlib

    h = hashlib.sha256()
    for name in ("gen.py", "vocab.py"):
        h.update((ROOT / "bench" / name).read_bytes())
    return h.hexdigest()[:8]


def corpus(work: Path, count: int, seed: int) -> Path:
    """A generated corpus under ``work`` (reused when already complete)."""
    out = work / f"corpus-{count}-s{seed}-{generator_version()}"
    done = out / "done.json"
    if done.exists():
        return out
    if out.exists():
        shutil.rmtree(out)
    t0 = time.perf_counter()
    stats = gen.write_corpus(out, count, seed)
    stats["seconds"] = time.perf_counter() - t0
    done.write_text(json.dumps(stats))
    return out


def corpus_stats(out: Path) -> dict:
    return json.loads((out / "done.json").read_text())


def pdf_corpus(work: Path, count: int, seed: int) -> Path:
    out = work / f"pdf-{count}-s{seed}-{generator_version()}"
    done = out / "done.json"
    if not done.exists():
        if out.exists():
            shutil.rmtree(out)
        t0 = time.perf_counter()
        files = pdfs.make_pdfs(out, count, seed)
        done.write_text(
            json.dumps(
                {
                    "files": len(files),
                    "pages": pdfs.count_pages(files),
                    "seconds": time.perf_counter() - t0,
                }
            )
        )
    return out


# ----------------------------------------------------------------------------- accuracy


def read_warehouse(db: Path) -> tuple[dict[str, dict], dict[str, dict[str, list[dict]]]]:
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        cur = con.execute(
            "SELECT doc_id, source_path, kind, code, title, fiscal_year, agency, "
            "progress_pct FROM documents"
        )
        cols = [d[0] for d in cur.description]
        docs = {r[0]: dict(zip(cols, r, strict=True)) for r in cur.fetchall()}
        rows: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
        for table in compare.TABLES:
            cur = con.execute(f"SELECT * EXCLUDE (run_id, line_no, page) FROM {table}")
            cols = [d[0] for d in cur.description]
            for r in cur.fetchall():
                rec = dict(zip(cols, r, strict=True))
                rows[rec.pop("doc_id")][table].append(rec)
    return docs, rows


@dataclass
class Accuracy:
    total: compare.Score = field(default_factory=compare.Score)
    core: compare.Score = field(default_factory=compare.Score)
    loaded: compare.Score = field(default_factory=compare.Score)  # files that were loaded only
    by_kind: dict[str, compare.Score] = field(default_factory=lambda: defaultdict(compare.Score))
    variant_docs: Counter = field(default_factory=Counter)
    variant_bad: Counter = field(default_factory=Counter)
    missing_docs: int = 0
    docs: int = 0


def accuracy(db: Path, docs_root: Path, truth: dict[str, dict]) -> Accuracy:
    docs, rows = read_warehouse(db)
    by_rel = {}
    root = str(docs_root.resolve())
    for doc_id, d in docs.items():
        rel = os.path.relpath(str(Path(d["source_path"]).resolve()), root)
        by_rel[rel] = compare.doc_from_rows(d, rows.get(doc_id, {}))
    acc = Accuracy()
    for rel, t in truth.items():
        parsed = by_rel.get(rel)
        acc.docs += 1
        acc.missing_docs += parsed is None
        score = compare.score_document(t, parsed)
        acc.total.add(score)
        if parsed is not None:
            acc.loaded.add(score)
        acc.by_kind[t["kind"]].add(score)
        if not set(t["variants"]) & gen.EXTENDED_VARIANTS:
            acc.core.add(score)
        for v in t["variants"] or ["(none)"]:
            acc.variant_docs[v] += 1
            acc.variant_bad[v] += score.matched != score.facts
    return acc


# ----------------------------------------------------------------------------- profile


def profile(docs: Path, work: Path) -> dict | None:
    spy = shutil.which("py-spy") or str(Path(PY).parent / "py-spy")
    if not os.access(spy, os.X_OK):
        return None
    raw = work / "profile.txt"
    db = fresh_db(work, "profile")
    cmd = [
        spy,
        "record",
        "--subprocesses",
        "--format",
        "raw",
        "-r",
        "200",
        "-o",
        str(raw),
        "--",
        PY,
        "-m",
        "ingest",
        "ingest",
        str(docs),
        "--db",
        str(db),
        "--workers",
        "1",
        "--quiet",
    ]
    res = subprocess.run(cmd, capture_output=True, text=True, cwd=work)
    if res.returncode != 0 or not raw.exists():
        return {"error": (res.stderr or "")[-500:]}
    return summarize_profile(raw.read_text(encoding="utf-8", errors="replace"))


_FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^:()]*):\d+\)$")


def _frame_name(frame: str) -> str:
    m = _FRAME.match(frame.strip())
    if not m:
        return frame.strip()
    path = m["file"]
    for marker in ("site-packages/", "/work/main/", "lib/python3"):
        if marker in path:
            path = path.split(marker, 1)[1]
    return f"{path}:{m['func']}"


def summarize_profile(raw: str) -> dict:
    """Self and inclusive sample shares per function, per process role, from py-spy raw output."""
    roles: dict[str, dict[str, Counter]] = defaultdict(
        lambda: {"self": Counter(), "incl": Counter(), "n": Counter()}
    )
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = stack.split(";")
        role = "worker" if "worker_main" in stack else "parent"
        names = [_frame_name(f) for f in frames if not f.startswith("process ")]
        if role == "worker":  # a forked worker still shows the parent frames it was forked in
            names = names[next(i for i, n in enumerate(names) if n.endswith(":worker_main")) :]
        if not names:
            continue
        n = int(count)
        r = roles[role]
        r["n"]["samples"] += n
        r["self"][names[-1]] += n
        for name in set(names):
            r["incl"][name] += n
    out = {}
    for role, r in roles.items():
        total = r["n"]["samples"] or 1
        out[role] = {
            "samples": r["n"]["samples"],
            "self": [(k, 100 * v / total) for k, v in r["self"].most_common(15)],
            # Frames on every sample (main, the pool loop a forked worker inherits) say nothing.
            "incl": [
                (k, 100 * v / total)
                for k, v in r["incl"].most_common(60)
                if v < 0.99 * total and not k.startswith(("<frozen", "multiprocessing/", "runpy"))
            ][:25],
        }
    return out


# ----------------------------------------------------------------------------- machine


def machine() -> dict:
    mem_kb = _kb(os.getpid(), "../meminfo", "MemTotal:") or 0
    try:
        import duckdb

        duck = duckdb.__version__
    except ImportError:
        duck = "?"
    cpu = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            cpu = next((ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")), "")
    except OSError:
        pass
    commit = (
        subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        or "?"
    )
    dirty = subprocess.run(
        ["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return {
        "nproc": os.cpu_count(),
        "mem_gb": round(mem_kb / 1024 / 1024, 1),
        "cpu": cpu,
        "python": platform.python_version(),
        "duckdb": duck,
        "commit": commit + (" (uncommitted changes)" if dirty else ""),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


# ----------------------------------------------------------------------------- stages


@dataclass
class Report:
    args: argparse.Namespace
    machine: dict
    rows: list[tuple[str, str, str]] = field(default_factory=list)  # measure, value, note
    targets: list[tuple[str, str, str, bool | None]] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    data: dict = field(default_factory=dict)

    def row(self, measure: str, value: str, note: str = "") -> None:
        self.rows.append((measure, value, note))
        print(f"  {measure:<44} {value:>22}  {note}", flush=True)

    def target(self, name: str, value: str, goal: str, ok: bool | None) -> None:
        self.targets.append((name, value, goal, ok))


def mb(kb: int) -> str:
    return f"{kb / 1024:.0f} MB"


def stage_floor(rep: Report, docs: Path, n: int) -> Run:
    subprocess.run([PY, str(ROOT / "bench" / "floor.py"), str(docs)], capture_output=True)  # warm
    runs = []
    for _ in range(ROUNDS):
        drop_caches()
        runs.append(run_cmd([PY, str(ROOT / "bench" / "floor.py"), str(docs)]))
    run = best_of(runs)
    inner = json.loads(run.stderr.strip().splitlines()[-1])
    rate = n / run.seconds
    rep.data["floor"] = {
        "seconds": run.seconds,
        "inner_seconds": inner["seconds"],
        "docs_per_s": rate,
    }
    rep.row(
        "floor: read+decode+repair, 1 process",
        f"{rate:,.0f} docs/s",
        f"{run.seconds:.2f} s wall ({inner['seconds']:.2f} s in loop, "
        f"{run.cpu_seconds:.2f} s CPU), "
        f"{inner['bytes'] / 1e6 / inner['seconds']:.0f} MB/s; best of {ROUNDS}",
    )
    return run


def stage_cold(rep: Report, docs: Path, n: int, work: Path, workers: int) -> tuple[Run, Path]:
    runs = []
    for _ in range(ROUNDS if workers == 2 else 1):
        db = fresh_db(work, f"cold-w{workers}")
        runs.append(ingest([docs], db, workers))
    run = best_of(runs)
    counts = status_counts(db) if db.exists() else {}
    rate = n / run.seconds
    rep.data[f"cold_w{workers}"] = {
        "seconds": run.seconds,
        "rc": run.rc,
        "docs_per_s": rate,
        "cpu_seconds": run.cpu_seconds,
        "max_rss_kb": run.max_rss_kb,
        "tree_pss_kb": run.tree_pss_kb,
        "status": counts,
    }
    note = (
        f"{run.seconds:.1f} s wall, {run.cpu_seconds:.1f} s CPU "
        f"({run.cpu_seconds / n * 1000:.1f} ms/doc), exit {run.rc}, "
        f"{counts.get('loaded', 0)} loaded, "
        f"{counts.get('failed', 0)} failed; RSS max/proc {mb(run.max_rss_kb)} "
        f"(parent {mb(run.parent_rss_kb)}, largest worker {mb(run.worker_rss_kb)}), "
        f"tree PSS {mb(run.tree_pss_kb)} ({run.procs} procs)"
        + (
            f"; best of {len(runs)} ({', '.join(f'{r.seconds:.1f}' for r in runs)} s)"
            if len(runs) > 1
            else ""
        )
    )
    rep.row(f"ingest cold --workers {workers}", f"{rate:,.0f} docs/s", note)
    if run.rc not in (0, 1):
        rep.row("  (ingest stderr)", "", run.stderr.strip()[-300:].replace("\n", " | "))
    return run, db


def stage_noop(rep: Report, docs: Path, db: Path, workers: int) -> Run:
    run = ingest([docs], db, workers)
    rep.data["noop"] = {"seconds": run.seconds, "rc": run.rc}
    rep.row(
        "no-op re-run (all unchanged)",
        f"{run.seconds:.2f} s",
        f"exit {run.rc}, {run.cpu_seconds:.2f} s CPU",
    )
    return run


def stage_accuracy(
    rep: Report, db: Path, docs: Path, truth: dict[str, dict], label: str
) -> Accuracy:
    try:
        acc = accuracy(db, docs, truth)
    except Exception as exc:  # a broken or missing warehouse: every fact is missed, say why
        rep.row(f"accuracy ({label})", "n/a", f"the warehouse cannot be read: {exc}")
        acc = Accuracy()
        for t in truth.values():
            acc.total.add(compare.score_document(t, None))
        acc.core = acc.total
        return acc
    rep.data[f"accuracy_{label}"] = {
        "facts": acc.total.facts,
        "matched": acc.total.matched,
        "core_facts": acc.core.facts,
        "core_matched": acc.core.matched,
    }
    rep.row(
        f"accuracy ({label})",
        f"{acc.total.accuracy:.4%}",
        f"{acc.total.matched:,}/{acc.total.facts:,} facts; core templates "
        f"{acc.core.accuracy:.4%}; {acc.missing_docs} files not loaded; "
        f"in the loaded files {acc.loaded.accuracy:.4%}",
    )
    return acc


def accuracy_section(acc: Accuracy, title: str) -> str:
    lines = [f"### {title}", "", "| kind | facts | matched | accuracy |", "|---|---:|---:|---:|"]
    for kind in gen.KINDS:
        s = acc.by_kind.get(kind)
        if s:
            lines.append(f"| {kind} | {s.facts:,} | {s.matched:,} | {s.accuracy:.4%} |")
    t = acc.total
    lines.append(f"| **all** | {t.facts:,} | {t.matched:,} | {t.accuracy:.4%} |")
    lines.append(
        f"| core templates (without {', '.join(sorted(gen.EXTENDED_VARIANTS))}) | "
        f"{acc.core.facts:,} | {acc.core.matched:,} | {acc.core.accuracy:.4%} |"
    )
    n_loaded = acc.docs - acc.missing_docs
    lines.append(
        f"| the files that were loaded ({n_loaded:,} of {acc.docs:,}) | "
        f"{acc.loaded.facts:,} | {acc.loaded.matched:,} | {acc.loaded.accuracy:.4%} |"
    )
    bad_fields = [
        (f, t.hit_field[f], n) for f, n in sorted(t.by_field.items()) if t.hit_field[f] != n
    ]
    if bad_fields:
        lines += ["", "Fields with misses:", "", "| field | matched / facts |", "|---|---:|"]
        lines += [f"| {f} | {h:,} / {n:,} |" for f, h, n in bad_fields]
    bad_var = [
        (v, acc.variant_bad[v], n)
        for v, n in sorted(acc.variant_docs.items())
        if acc.variant_bad[v]
    ]
    if bad_var:
        lines += [
            "",
            "Documents with at least one miss, by generator variant:",
            "",
            "| variant | documents with a miss / documents |",
            "|---|---:|",
        ]
        lines += [f"| {v} | {b:,} / {n:,} |" for v, b, n in bad_var]
    if t.extra_rows:
        lines += [
            "",
            "Rows loaded beyond the truth (not scored): "
            + ", ".join(f"{k} {v:,}" for k, v in sorted(t.extra_rows.items())),
        ]
    if t.misses:
        lines += ["", "First misses:", "", "```", *t.misses[:12], "```"]
    return "\n".join(lines)


def stage_generic(rep: Report) -> None:
    """The generic-fact benchmark (bench/generic_facts.py): real pages of other layouts."""
    sys.path.insert(0, str(ROOT / "bench"))
    import generic_facts

    result = generic_facts.run()
    matched, total = result.total
    rep.target(
        "generic facts (real pages of other layouts, read by hand)",
        f"{matched / max(total, 1):.1%}",
        ">= 85%",
        matched >= 0.85 * total,
    )
    rep.sections.append(generic_facts.section(result))


def stage_pdf(rep: Report, work: Path, count: int, seed: int) -> None:
    if not pdfs.have_soffice():
        rep.row("PDF path", "skipped", "soffice (LibreOffice) is not installed")
        rep.target("PDF path pages/s", "skipped", ">= 100 pages/s", None)
        return
    out = pdf_corpus(work, count, seed)
    meta = json.loads((out / "done.json").read_text())
    pages = meta["pages"]
    rounds = max(ROUNDS, PDF_ROUNDS)
    runs = []
    for _ in range(rounds):
        db = fresh_db(work, "pdf")
        runs.append(ingest([out / "pdf"], db, 2, sample=False))
    run = best_of(runs)
    counts = status_counts(db) if db.exists() else {}
    rate = pages / run.seconds
    plumb = best_of(
        [
            run_cmd([PY, str(ROOT / "bench" / "pdfs.py"), str(out / "pdf")], sample=False)
            for _ in range(rounds)
        ]
    )
    pl = json.loads(plumb.stderr.strip().splitlines()[-1])
    pl_rate = pl["pages"] / plumb.seconds
    rep.data["pdf"] = {
        "files": meta["files"],
        "pages": pages,
        "seconds": run.seconds,
        "pages_per_s": rate,
        "pdfplumber_pages_per_s": pl_rate,
        "status": counts,
        "max_rss_kb": run.max_rss_kb,
    }
    rep.row(
        f"PDF: ingest --workers 2 ({meta['files']} PDFs)",
        f"{rate:,.0f} pages/s",
        f"{pages} pages in {run.seconds:.2f} s (best of {rounds}: "
        f"{', '.join(f'{r.seconds:.2f}' for r in runs)} s), exit {run.rc}, "
        f"{counts.get('loaded', 0)} loaded, {counts.get('failed', 0)} failed",
    )
    rep.row(
        "PDF: pdfplumber extract_text, 1 process",
        f"{pl_rate:,.1f} pages/s",
        f"{pl['pages']} pages in {plumb.seconds:.1f} s (best of {rounds})",
    )
    rep.target("PDF path end to end", f"{rate:,.0f} pages/s", ">= 100 pages/s", rate >= 100)
    rep.target("PDF path vs pdfplumber", f"{rate / pl_rate:.1f}x", ">= 10x", rate / pl_rate >= 10)
    truth = {}
    with open(out / "truth_pdf.jsonl", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            truth[rec["file"]] = rec
    acc = stage_accuracy(rep, db, out / "pdf", truth, "PDF")
    rep.sections.append(accuracy_section(acc, "Accuracy of the PDF path (informational)"))


def stage_scale(rep: Report, work: Path, seed: int, count: int) -> None:
    rows, targets = len(rep.rows), len(rep.targets)
    _scale(rep, work, seed, count)
    saved = {"machine": rep.machine, "rows": rep.rows[rows:], "targets": rep.targets[targets:]}
    (work / f"scale-{count}-s{seed}.json").write_text(json.dumps(saved, ensure_ascii=False))


def earlier_scale(rep: Report, work: Path, seed: int, count: int) -> None:
    """Carry the figures of an earlier ``--scale`` run into this report, marked as such."""
    path = work / f"scale-{count}-s{seed}.json"
    if not path.exists():
        return
    saved = json.loads(path.read_text())
    when = f"from the scale run of {saved['machine']['date']}, commit {saved['machine']['commit']}"
    for measure, value, note in saved["rows"]:
        rep.rows.append((measure, value, f"{note} ({when})"))
    for name, value, goal, ok in saved["targets"]:
        rep.targets.append((f"{name} ({when})", value, goal, ok))


def _scale(rep: Report, work: Path, seed: int, count: int) -> None:
    base = corpus(work, 1000, seed)
    big = corpus(work, count, seed)
    small_run = ingest([base / "docs"], fresh_db(work, "scale-1k"), 2)
    db = fresh_db(work, "scale")
    big_run = ingest([big / "docs"], db, 2)
    counts = status_counts(db)
    per_small = small_run.seconds / 1000 * 1000
    per_big = big_run.seconds / count * 1000
    ratio = per_big / per_small
    rep.data["scale"] = {
        "count": count,
        "seconds": big_run.seconds,
        "ms_per_doc": per_big,
        "ms_per_doc_1k": per_small,
        "max_rss_kb": big_run.max_rss_kb,
        "tree_pss_kb": big_run.tree_pss_kb,
        "status": counts,
    }
    rep.row(
        f"scale: {count:,} docs --workers 2",
        f"{count / big_run.seconds:,.0f} docs/s",
        f"{big_run.seconds:.0f} s, {per_big:.2f} ms/doc vs {per_small:.2f} ms/doc at 1,000; "
        f"RSS max/proc {mb(big_run.max_rss_kb)} (parent {mb(big_run.parent_rss_kb)}, "
        f"largest worker {mb(big_run.worker_rss_kb)}), tree PSS {mb(big_run.tree_pss_kb)}; "
        f"{counts.get('failed', 0)} failed",
    )
    rep.target(f"{count:,} docs: cost per doc vs 1,000", f"{ratio:.2f}x", "<= 1.25x", ratio <= 1.25)
    rep.target(
        f"{count:,} docs: peak RSS (tree PSS)",
        mb(big_run.tree_pss_kb),
        "< 1024 MB",
        big_run.tree_pss_kb < 1024 * 1024,
    )
    noop = ingest([big / "docs"], db, 2)
    rep.row(f"scale: no-op re-run of {count:,}", f"{noop.seconds:.1f} s", f"exit {noop.rc}")


def profile_section(prof: dict) -> str:
    lines = ["## Profile (py-spy, 1,000-file ingest, --workers 1, 200 Hz, CPU samples only)", ""]
    if "error" in prof:
        return "\n".join([*lines, f"py-spy failed: {prof['error']}"])
    for role in ("worker", "parent"):
        p = prof.get(role)
        if not p:
            continue
        lines += [
            f"### {role} process ({p['samples']:,} samples)",
            "",
            "| self % | function |",
            "|---:|---|",
        ]
        lines += [f"| {pct:.1f} | `{name}` |" for name, pct in p["self"][:12]]
        lines += ["", "| inclusive % | function |", "|---:|---|"]
        lines += [f"| {pct:.1f} | `{name}` |" for name, pct in p["incl"][:18]]
        lines.append("")
    return "\n".join(lines)


# ----------------------------------------------------------------------------- report


def write_results(rep: Report, path: Path) -> None:
    m, a = rep.machine, rep.args
    lines = [
        "# Benchmark results",
        "",
        f"Produced by `bench/run {' '.join(a.argv)}`".rstrip() + f" on {m['date']}.",
        "",
        f"Machine: {m['nproc']} CPUs ({m['cpu'] or 'unknown CPU'}), {m['mem_gb']} GB RAM, "
        f"Python {m['python']}, DuckDB {m['duckdb']}; commit {m['commit']}.",
        "",
        f"Corpus: {rep.data.get('corpus', '')}",
        "",
        (
            "Page cache dropped before every timed pass (--drop-caches). "
            if a.drop_caches
            else "Page cache warm for every run (the floor reads the corpus first). "
        )
        + "Each cold ingest starts from an empty warehouse file.  "
        'RSS "max/proc" is the largest single '
        'process (`/usr/bin/time -v`, i.e. wait4\'s ru_maxrss, parent or a worker); "tree PSS" '
        "is the peak of the summed proportional set size of the ingest process and all its "
        "workers, sampled every 0.1 s.  "
        + (
            "CPU is user + system time of every process of a run, fork-server workers "
            "included (the harness adopts and reaps them as a child subreaper)."
            if SUBREAPER
            else "CPU counts only the processes `time -v` waits for: not the "
            "workers, which are children of the fork server."
        ),
        "",
        "## Targets",
        "",
        "| target | measured | goal | met |",
        "|---|---:|---:|:---:|",
    ]
    for name, value, goal, ok in rep.targets:
        mark = {True: "yes", False: "**no**", None: "n/a"}[ok]
        lines.append(f"| {name} | {value} | {goal} | {mark} |")
    lines += ["", "## All measurements", "", "| measure | value | details |", "|---|---:|---|"]
    lines += [f"| {k} | {v} | {n} |" for k, v, n in rep.rows]
    lines += ["", *("\n" + s + "\n" for s in rep.sections)]
    lines += _kept_sections(path)
    path.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")


KEPT = "<!-- below: sections written by other bench scripts, kept by bench/run -->"


def _kept_sections(path: Path) -> list[str]:
    """What other scripts (bench/ray_overhead.py) wrote below the KEPT line: not ours to drop."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    return ["", KEPT + old.split(KEPT, 1)[1]] if KEPT in old else []


def main(argv: list[str] | None = None) -> int:
    global DROP_CACHES, ROUNDS, SUBREAPER
    argv = list(sys.argv[1:] if argv is None else argv)
    ap = argparse.ArgumentParser(prog="bench/run", description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=10_000, help="text exports (default 10,000)")
    ap.add_argument("--quick", action="store_true", help="1,000 exports and 20 PDFs")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--pdf-docs", type=int, default=None, help="generated PDFs (default 60)")
    ap.add_argument("--no-pdf", action="store_true", help="skip the PDF section")
    ap.add_argument("--scale", action="store_true", help="also the 100,000-document check")
    ap.add_argument("--scale-count", type=int, default=100_000)
    ap.add_argument("--only-scale", action="store_true", help="skip everything but --scale")
    ap.add_argument("--profile", action="store_true", help="py-spy profile of a 1,000-file ingest")
    ap.add_argument(
        "--work",
        type=Path,
        default=Path(tempfile.gettempdir()) / "rayngan-bench",
        help="corpora and warehouses (reused between runs)",
    )
    ap.add_argument("--results", type=Path, default=ROOT / "bench" / "RESULTS.md")
    ap.add_argument("--no-results", action="store_true", help="print only, do not write RESULTS.md")
    ap.add_argument(
        "--rounds",
        type=int,
        default=ROUNDS,
        help=f"timed passes of the floor, --workers 2 and PDF runs (default {ROUNDS})",
    )
    ap.add_argument(
        "--drop-caches",
        action="store_true",
        help="empty the page cache before each timed pass (root; machine-wide)",
    )
    args = ap.parse_args(argv)
    args.argv = argv
    if args.quick:
        args.count = 1000
    if args.pdf_docs is None:
        args.pdf_docs = 20 if args.quick else 60
    if not os.access(RAYNGAN, os.X_OK):
        print(f"bench: {RAYNGAN} not found; run scripts/setup first", file=sys.stderr)
        return 2
    args.work.mkdir(parents=True, exist_ok=True)
    SUBREAPER = become_subreaper()
    DROP_CACHES = args.drop_caches
    ROUNDS = max(1, args.rounds)
    rep = Report(args, machine())
    run_all(rep, args)
    for name, value, goal, ok in rep.targets:
        mark = {True: "ok ", False: "MISS", None: "n/a "}[ok]
        print(f"  [{mark}] {name}: {value} (goal {goal})")
    if not args.no_results:
        write_results(rep, args.results)
        print(f"bench: wrote {args.results}")
    return 0


def guarded(rep: Report, name: str, fn: Callable[..., None], *args: object) -> None:
    """Run one optional stage; a crash becomes a row of the report, not a lost run."""
    try:
        fn(rep, *args)
    except Exception as exc:
        rep.row(name, "failed", f"{type(exc).__name__}: {exc}"[:300])


def run_all(rep: Report, args: argparse.Namespace) -> None:
    if args.only_scale:
        rep.data["corpus"] = f"{args.scale_count:,} generated text exports (--seed {args.seed})"
        guarded(rep, "scale", stage_scale, args.work, args.seed, args.scale_count)
        return
    out = corpus(args.work, args.count, args.seed)
    st = corpus_stats(out)
    docs, n = out / "docs", st["files"]
    rep.data["corpus"] = (
        f"{n:,} generated text exports (bench/gen.py --seed {args.seed}), "
        f"{st['bytes'] / 1e6:.1f} MB, {st['bytes'] / n / 1000:.1f} KB per file"
    )
    print(f"bench: {rep.data['corpus']} in {out}", flush=True)
    floor = stage_floor(rep, docs, n)
    floor_s = floor.seconds
    runs = {}
    for w in (1, 2):
        runs[w] = stage_cold(rep, docs, n, args.work, w)
    best = max((n / runs[w][0].seconds, w) for w in runs)
    rep.target(
        f"cold ingest, {n:,} docs, --workers 2",
        f"{n / runs[2][0].seconds:,.0f} docs/s",
        ">= 400 docs/s",
        n / runs[2][0].seconds >= 400,
    )
    ratio = runs[best[1]][0].seconds / floor_s
    rep.target(f"cold ingest vs floor (--workers {best[1]})", f"{ratio:.1f}x", "<= 5x", ratio <= 5)
    if floor.cpu_seconds:
        rep.row(
            "CPU per doc: ingest --workers 1 / floor",
            f"{runs[1][0].cpu_seconds / floor.cpu_seconds:.1f}x",
            "whole process tree; less sensitive to a busy machine than wall time",
        )
    noop = stage_noop(rep, docs, runs[2][1], 2)
    rep.target(
        f"no-op re-run of {n:,} unchanged files", f"{noop.seconds:.2f} s", "< 2 s", noop.seconds < 2
    )
    rss = max(runs[w][0].tree_pss_kb for w in runs)
    rep.row(
        "peak memory, cold ingest (tree PSS)",
        mb(rss),
        "; ".join(f"--workers {w}: max/proc {mb(runs[w][0].max_rss_kb)}" for w in runs),
    )
    acc = stage_accuracy(rep, runs[2][1], docs, gen.load_truth(out), "text")
    rep.target(
        "accuracy (facts matched / generated)",
        f"{acc.total.accuracy:.4%}",
        "100%",
        acc.total.matched == acc.total.facts,
    )
    rep.sections.append(accuracy_section(acc, f"Accuracy on the {n:,} text exports"))
    guarded(rep, "generic facts", stage_generic)
    if not args.no_pdf:
        guarded(rep, "PDF path", stage_pdf, args.work, args.pdf_docs, args.seed)
    if args.scale:
        guarded(rep, "scale", stage_scale, args.work, args.seed, args.scale_count)
    else:
        earlier_scale(rep, args.work, args.seed, args.scale_count)
    if args.profile:
        guarded(rep, "profile", stage_profile, args.work, args.seed)


def stage_profile(rep: Report, work: Path, seed: int) -> None:
    prof = profile(corpus(work, 1000, seed) / "docs", work)
    if prof is None:
        rep.sections.append("## Profile\n\npy-spy is not installed (pip install py-spy).")
    else:
        rep.sections.append(profile_section(prof))
        print(profile_section(prof))


if __name__ == "__main__":
    sys.exit(main())
