"""Task runners: local threads by default; Dask or Ray when one machine is not enough.

    parindex run archive/ --runner dask --address tcp://scheduler:8786
    parindex run archive/ --runner dask                 # a local Dask cluster
    parindex run archive/ --runner ray --address ray://head:10001   # needs prefect-ray
    parindex run archive/ --runner ray                  # a local Ray instance

Each document's extraction runs in its own child process (extractors/isolation.py), so
Dask workers must be allowed to start processes: run them with
`DASK_DISTRIBUTED__WORKER__DAEMON=False`, or use threaded workers. Ray workers are
ordinary processes and may start children as they are.

Dask and Ray workers in other processes receive each task with the flow run's context,
flow parameters included, by pickling: the flow therefore takes only plain values as
parameters (the CLI's progress display reaches it outside them, flows/ingest.py). A
local Ray instance uses `--workers` CPUs (default: every core) and starts without its
dashboard.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from prefect.task_runners import ThreadPoolTaskRunner

from parindex.flows.early import default_workers  # its home is Prefect-free: flows/early.py
from parindex.schemas.errors import RunnerUnavailable  # noqa: F401 (raised here; imported from here by callers)

try:  # optional: pip install prefect-ray (pyproject extra "ray")
    from prefect_ray import RayTaskRunner
except ImportError:  # pragma: no cover - depends on the environment
    RayTaskRunner = None

RUNNERS = ("local", "dask", "ray")


def _cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


class LocalTaskRunner(ThreadPoolTaskRunner):
    """Prefect's thread-pool task runner, capped, that forgets each task run once it has
    finished. Prefect 3.8's runner keeps a cancel event per task run until the flow
    ends, so memory grew with every document of an archive; an event is only of use
    while its task runs. (`tests/test_runners.py` checks that none are left.)"""

    def submit(self, task, parameters, wait_for=None, dependencies=None):
        future = super().submit(task, parameters, wait_for, dependencies)
        events = getattr(self, "_cancel_events", None)
        if isinstance(events, dict):
            future.wrapped_future.add_done_callback(lambda _done, run_id=future.task_run_id: events.pop(run_id, None))
        return future


def forget_task_runs(finished: list[tuple[Any, Any]]) -> None:
    """Drop what the flow run's context keeps of a document's finished task runs, given
    as (task run id, result) pairs. Prefect 3.8 keeps, until the flow ends, the state of
    every task result (to link it to the tasks it is passed to) and a set of assets per
    task run: about 9 KB per task run, 270 MB over 10,000 documents. A document's task
    runs are forgotten once its last stage has finished, when nothing is passed on."""
    from prefect.context import FlowRunContext

    ctx = FlowRunContext.get()
    if ctx is None:
        return
    assets, links = getattr(ctx, "task_run_assets", None), getattr(ctx, "run_results", None)
    for task_run_id, result in finished:
        if isinstance(assets, dict):
            assets.pop(task_run_id, None)
        if isinstance(links, dict):
            links.pop(id(result), None)


def local_runner(workers: int | None = None) -> ThreadPoolTaskRunner:
    return LocalTaskRunner(max_workers=workers or default_workers())


if RayTaskRunner is not None:

    class RayRunner(RayTaskRunner):
        """prefect-ray's RayTaskRunner with a local instance's workers pointed at this
        process's temporary Prefect server."""

        def __enter__(self):
            import ray

            if not ray.is_initialized() and self.address in (None, "", "local"):
                url = _driver_api_url()
                if url:  # the workers report to this run's Prefect server, not one each
                    runtime_env = dict(self.init_kwargs.get("runtime_env") or {})
                    runtime_env["env_vars"] = {"PREFECT_API_URL": url, **(runtime_env.get("env_vars") or {})}
                    self.init_kwargs["runtime_env"] = runtime_env
            return super().__enter__()
else:  # pragma: no cover
    RayRunner = None


def _driver_api_url() -> str | None:
    """The Prefect API this process reports to when it is Prefect's temporary local server
    (no PREFECT_API_URL set), so a local Ray instance's workers use it too: otherwise each
    worker process would start a temporary server of its own (seconds and a process each).
    None when PREFECT_API_URL is set: the workers read it themselves."""
    from prefect.settings import PREFECT_API_URL

    if PREFECT_API_URL.value():
        return None
    from prefect.client.orchestration import get_client

    return str(get_client(sync_client=True).api_url).rstrip("/")


def ray_init_kwargs(address: str | None, workers: int | None) -> dict[str, Any]:
    """`ray.init` options: no dashboard, Ray's own INFO lines off; a local instance gets
    `workers` CPUs (default: the cores this process may use). Connecting to a cluster,
    its own size decides and `workers` is not used (ray.init refuses num_cpus then)."""
    kwargs: dict[str, Any] = {"include_dashboard": False, "logging_level": logging.WARNING}
    if not address or address == "local":
        kwargs["num_cpus"] = workers or _cores()
    return kwargs


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
        return DaskTaskRunner(
            cluster_kwargs={
                "n_workers": workers or 1,
                "processes": False,
                "threads_per_worker": max(1, min(4, os.cpu_count() or 1)),
            }
        )
    if kind == "ray":
        if RayRunner is None:
            raise RunnerUnavailable(
                "the ray runner needs prefect-ray and ray: pip install prefect-ray (or pip install -e '.[ray]')"
            )
        return RayRunner(address=address, init_kwargs=ray_init_kwargs(address, workers))
    raise ValueError(f"unknown runner {kind!r} (one of {', '.join(RUNNERS)})")
