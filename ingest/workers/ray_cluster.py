"""Joining (or starting) Ray for ``--engine ray``: ``connect`` and ``connect_during``.

Ray starts, or is joined, in the driver's main thread while a second thread plans (Ray's
processes must be children of a thread that lives on); one warm-up task per cluster CPU
has the Ray workers import the parsers meanwhile.  Split from ``ingest.workers.ray_engine``,
which runs the tasks.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ingest.workers.ray_tasks import warm_up
from parsers.errors import InputError

WORKER_ENV_PREFIX = "RAYNGAN_TEST_"  # passed on to the tasks (see worker._fault_injection)
MAX_WARM_UPS = 64  # warm-up tasks sent at connection (one per CPU up to this)


def ray_available() -> bool:
    try:
        import ray  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass(frozen=True)
class RayCluster:
    """A connection to Ray made for one run."""

    ray: Any
    node: str | None  # the driver's node when it is the cluster's only one, else None
    cwd: str  # the driver's working directory, for relative paths read by tasks


def connect(address: str | None, workers: int) -> RayCluster:
    """Join the cluster at ``address`` (or start a private one of ``workers`` CPUs) and
    have its workers import the parsers (warm-up tasks, not waited for)."""
    ray = _start_ray(address, workers)
    cpus = int(ray.cluster_resources().get("CPU", workers))
    warm = ray.remote(num_cpus=1, max_retries=0)(warm_up)
    for _ in range(max(1, min(cpus, MAX_WARM_UPS))):
        warm.remote()
    return RayCluster(ray, _sole_node(ray), os.getcwd())


def connect_during(work: Callable[[], None], address: str | None, workers: int) -> RayCluster:
    """``connect`` in this thread (Ray's processes must be children of a thread that lives
    on) while ``work`` (discovery, the stat cache, the plan) runs in another; the error of
    ``work``, if any, is raised here once both are done."""
    errors: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as exc:  # handed to the caller's thread
            errors.append(exc)

    thread = threading.Thread(target=run, name="rayngan-plan", daemon=True)
    thread.start()
    try:
        cluster = connect(address, workers)
    finally:
        thread.join()
    if errors:
        raise errors[0]
    return cluster


def _sole_node(ray: Any) -> str | None:
    """The driver's node id when the cluster has no other (alive) node."""
    try:
        alive = [n for n in ray.nodes() if n.get("Alive")]
        mine = ray.get_runtime_context().get_node_id()
    except Exception:  # an older Ray without these: ship every file
        return None
    return mine if len(alive) == 1 and alive[0].get("NodeID") == mine else None


def _start_ray(address: str | None, workers: int) -> Any:
    try:
        import ray
    except ImportError as exc:
        raise InputError(
            "--engine ray needs Ray: install it with `pip install 'rayngan[ray]'`."
        ) from exc
    if not ray.is_initialized():
        # Without an address Ray would join the last cluster `ray start` made on this
        # machine (anyone's): "local" starts our own, unless RAY_ADDRESS names one.
        address = address or os.environ.get("RAY_ADDRESS") or "local"
        options: dict[str, Any] = {
            "address": address,
            "include_dashboard": False,
            "log_to_driver": False,
            "configure_logging": False,
        }
        if address == "local":
            options["num_cpus"] = workers  # a local cluster of this machine's size
        env = _worker_env()
        if env:  # a cluster's workers are the raylet's children: they miss our environment
            options["runtime_env"] = {"env_vars": env}
        ray.init(**options)
    return ray


def _worker_env() -> dict[str, str]:
    """What the tasks must see of this process's environment: the test fault hooks."""
    return {k: v for k, v in os.environ.items() if k.startswith(WORKER_ENV_PREFIX)}
