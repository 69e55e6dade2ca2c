"""Shared by the Ray engine's tests: a Ray head on loopback, warehouse fingerprints, the
process tree under a pid (to see which Ray processes live)."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from tests.ingest.ingest_helpers import fingerprint


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def ray_env(token: str) -> dict[str, str]:
    """Token auth (Ray's default for new clusters) with a token of this test's own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAY_")}
    return {**env, "RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN": token}


def _wait_for_head(head: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 120
    while "Ray runtime started" not in log.read_text(errors="replace"):
        assert head.poll() is None, f"ray start failed:\n{log.read_text()}"
        assert time.monotonic() < deadline, f"ray start took over 120 s:\n{log.read_text()}"
        time.sleep(0.2)


def _stop(head: subprocess.Popen) -> None:
    """SIGTERM: `ray start --block` stops the processes it started; what is left of its
    group (ours alone) after 30 s is killed."""
    head.send_signal(signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        head.wait(timeout=30)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(head.pid, signal.SIGKILL)
    head.wait(timeout=10)


def warehouse_fingerprint(db: Path, skip: tuple[str, ...] = ()) -> dict[str, tuple]:
    """Every table of the warehouse: its row count and an order-free hash of its rows,
    run ids, timestamps and the ``skip`` columns left out."""
    return fingerprint(db, None, skip)


def descendants(pid: int) -> dict[int, str]:
    """The process tree under ``pid``: {pid: start time} (to tell a reused pid apart)."""
    children: dict[int, list[int]] = {}
    starts: dict[int, str] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        children.setdefault(int(fields[1]), []).append(int(entry))
        starts[int(entry)] = fields[19]
    found, todo = {}, list(children.get(pid, []))
    while todo:
        child = todo.pop()
        found[child] = starts[child]
        todo.extend(children.get(child, []))
    return found


def alive(processes: dict[int, str]) -> dict[int, str]:
    """Those of ``processes`` still running (not zombies): {pid: name}."""
    left = {}
    for pid, start in processes.items():
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        head, rest = stat.rsplit(")", 1)
        fields = rest.split()
        if fields[19] == start and fields[0] != "Z":
            left[pid] = head.split("(", 1)[1]
    return left


def wait_gone(processes: dict[int, str], seconds: float, but: tuple[str, ...]) -> dict[int, str]:
    """Wait until no process of ``processes`` is alive except ones named in ``but``."""
    deadline = time.monotonic() + seconds
    while (left := alive(processes)) and time.monotonic() < deadline:
        if set(left.values()) <= set(but):
            break
        time.sleep(0.5)
    return left


def chunk_workers(head: int) -> dict[int, str]:
    """The Ray workers under ``head`` running a chunk task now: {pid: start time}."""
    found = {}
    for pid, start in descendants(head).items():
        try:
            title = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0]
        except OSError:
            continue
        if title.startswith(b"ray::run_chunk"):
            found[pid] = start
    return found


@contextlib.contextmanager
def ray_head(base: Path) -> Iterator[dict]:
    """A 2-CPU Ray head on 127.0.0.1 (``ray start --head --block``); yields the env to use
    it with, its ``--ray-address`` and the pid of ``ray start``."""
    ray = shutil.which("ray", path=str(Path(sys.executable).parent)) or shutil.which("ray")
    assert ray, "the ray command is missing though the ray package imports"
    env = ray_env(secrets.token_hex(32))
    port = _free_port()
    log = (base / "head.log").open("w")
    head = subprocess.Popen(
        [
            *(ray, "start", "--head", "--block", "--num-cpus", "2", "--port", str(port)),
            *("--node-ip-address", "127.0.0.1", "--include-dashboard=false"),
            *("--disable-usage-stats", "--temp-dir", str(base / "t")),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,  # its own process group: the teardown ends exactly it
    )
    try:
        _wait_for_head(head, base / "head.log")
        yield {"env": env, "address": f"127.0.0.1:{port}", "pid": head.pid}
    finally:
        _stop(head)
        log.close()
