"""Task runners: local threads by default; Dask or Ray when one machine is not enough.

    parindex run archive/ --runner dask --address tcp://scheduler:8786
    parindex run archive/ --runner dask                 # a local Dask cluster
    parindex run archive/ --runner ray --address ray://head:10001   # needs prefect-ray

Each document's extraction runs in its own child process (parindex/isolation.py), so
Dask workers must be allowed to start processes: run them with
`DASK_DISTRIBUTED__WORKER__DAEMON=False`, or use threaded workers.
"""
from __future__ import annotations

import os

from prefect.task_runners import ThreadPoolTaskRunner

RUNNERS = ("local", "dask", "ray")


class RunnerUnavailable(RuntimeError):
    """The runner asked for needs a package that is not installed."""


def local_runner(workers: int | None = None) -> ThreadPoolTaskRunner:
    return ThreadPoolTaskRunner(max_workers=workers or max(1, min(4, os.cpu_count() or 1)))


def task_runner(kind: str = "local", address: str | None = None, workers: int | None = None):
    """The Prefect task runner for `kind`; a clear error when its package is missing."""
    if kind == "local":
        return local_runner(workers)
    if kind == "dask":
        try:
            from prefect_dask import DaskTaskRunner
        except ImportError as exc:  # pragma: no cover - prefect-dask is in requirements.lock
            raise RunnerUnavailable("the dask runner needs prefect-dask: pip install prefect-dask") from exc
        if address:
            return DaskTaskRunner(address=address)
        return DaskTaskRunner(cluster_kwargs={"n_workers": workers or 1, "processes": False,
                                              "threads_per_worker": max(1, min(4, os.cpu_count() or 1))})
    if kind == "ray":
        try:
            from prefect_ray import RayTaskRunner
        except ImportError as exc:
            raise RunnerUnavailable("the ray runner needs prefect-ray and ray: pip install prefect-ray") from exc
        return RayTaskRunner(address=address) if address else RayTaskRunner()
    raise ValueError(f"unknown runner {kind!r} (one of {', '.join(RUNNERS)})")
