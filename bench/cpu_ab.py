"""Whole-tree CPU per document of cold ingests, this tree against another, interleaved.

    .venv/bin/python bench/cpu_ab.py --other /path/to/other/checkout DOCS... [--rounds 2]

Each round runs ``rayngan ingest DOCS --workers 2 --quiet`` into a fresh warehouse once with
this tree's code and once with ``--other``'s (put first on ``PYTHONPATH``: the venv's
editable finder comes after it), and counts user + system time of every process (the
harness's subreaper accounting, fork-server workers included).  On a shared machine trust
the ratio of the two minimums, not the absolute figures.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness

ROOT = Path(__file__).resolve().parent.parent


def _count(docs: list[str]) -> int:
    return sum(len(files) for d in docs for _, _, files in os.walk(d))


def _run(docs: list[str], other: Path | None, work: Path) -> tuple[float, float]:
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    if other is not None:
        env["PYTHONPATH"] = str(other)
    db = work / ("other.duckdb" if other else "this.duckdb")
    for leftover in work.glob(db.name + "*"):
        leftover.unlink()
    cmd = [str(Path(sys.executable).parent / "rayngan"), "ingest", *docs, "--db", str(db)]
    before, began = harness._children_cpu(), time.perf_counter()
    done = subprocess.run([*cmd, "--workers", "2", "--quiet"], env=env, capture_output=True)
    wall = time.perf_counter() - began
    harness._reap_orphans()
    if done.returncode:
        raise SystemExit(f"The ingest failed (exit {done.returncode}): {done.stderr[-500:]!r}")
    return harness._children_cpu() - before, wall


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("docs", nargs="+")
    ap.add_argument("--other", type=Path, required=True, help="a checkout of the other commit")
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    harness.SUBREAPER = harness.become_subreaper()
    n = _count(args.docs)
    best: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.rounds):
            for name, other in (("other", args.other), ("this", None)):
                cpu, wall = _run(args.docs, other, Path(tmp))
                best[name] = min(best.get(name, cpu), cpu)
                load = os.getloadavg()[0]
                rate = f"{cpu / n * 1000:.2f} ms CPU/doc, {n / wall:,.0f} docs/s"
                print(f"{name}: {rate}, load {load:.1f}")
    print(f"this/other (min CPU): {best['this'] / best['other']:.2f}x over {n:,} documents")


if __name__ == "__main__":
    main()
