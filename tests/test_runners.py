"""The same flow on a Dask cluster, and the result cache (flows/runners.py, writer/cache.py)."""

from __future__ import annotations

import importlib.util
import shutil
import threading

import pandas as pd
import pytest
from conftest import SAMPLES, read_tables

from parindex.extractors import reading as extraction


@pytest.fixture
def inbox(tmp_path):
    d = tmp_path / "inbox"
    d.mkdir()
    for f in ("002_08e6fc9df459596f.docx", "004_0dbbb814e2b5b046.html"):
        shutil.copy(SAMPLES / f, d / f)
    return d


def test_dask_cluster_gives_the_same_dataset_as_local_threads(prefect_harness, inbox, tmp_path):
    from parindex.flows.ingest import run_ingest

    run_ingest([str(inbox)], out=str(tmp_path / "local"), use_cache=False)
    summary = run_ingest([str(inbox)], out=str(tmp_path / "dask"), runner="dask", workers=1, use_cache=False)
    assert summary.observations == 110
    local, dask = read_tables(tmp_path / "local"), read_tables(tmp_path / "dask")
    for name in ("observations", "flags", "documents", "panel"):
        pd.testing.assert_frame_equal(dask[name], local[name], obj=name)


@pytest.mark.slow
@pytest.mark.skipif(
    importlib.util.find_spec("prefect_ray") is None,  # before the harness starts
    reason="needs prefect-ray: pip install -e '.[ray]'",
)
def test_ray_runner_gives_the_local_output(prefect_harness, inbox, tmp_path):
    """A local Ray instance (2 CPUs): every task runs in a Ray worker process, so its
    arguments, results (the Handoff) and the flow's context are pickled both ways. The
    progress callback holds a lock, as the CLI's does: it cannot be pickled, stays in this
    process, and is still called for every document."""
    pytest.importorskip("prefect_ray")
    from parindex.flows.ingest import run_ingest

    run_ingest([str(inbox)], out=str(tmp_path / "local"), use_cache=False)
    lock, seen = threading.Lock(), []

    def progress(i, n, result):
        with lock:
            seen.append(result.source.path)

    summary = run_ingest(
        [str(inbox)], out=str(tmp_path / "ray"), runner="ray", workers=2, use_cache=False, progress=progress
    )
    assert summary.observations == 110
    assert sorted(seen) == sorted(str(p) for p in inbox.iterdir())
    local, ray = read_tables(tmp_path / "local"), read_tables(tmp_path / "ray")
    for name in ("observations", "flags", "documents", "panel"):
        pd.testing.assert_frame_equal(ray[name], local[name], obj=name)


def test_the_flow_parameters_pickle_and_ray_starts_small():
    """Workers in other processes are sent the flow's parameters: they must all pickle,
    so the progress display is not one of them."""
    import inspect

    import cloudpickle

    from parindex.audit import AuditSettings
    from parindex.extractors.isolation import DEFAULT_LIMITS
    from parindex.flows.ingest import ingest
    from parindex.flows.runners import ray_init_kwargs

    assert "progress" not in inspect.signature(ingest.fn).parameters
    cloudpickle.dumps(
        {"paths": ["a"], "out": "out", "settings": AuditSettings(), "limits": DEFAULT_LIMITS, "use_cache": True}
    )
    local = ray_init_kwargs(None, 3)
    assert local["num_cpus"] == 3 and local["include_dashboard"] is False
    assert "num_cpus" not in ray_init_kwargs("ray://head:10001", 3)


def test_an_unknown_runner_is_a_clear_error():
    from parindex.flows.runners import task_runner

    with pytest.raises(ValueError, match="unknown runner 'spark'"):
        task_runner("spark")


def test_unchanged_documents_are_not_read_again(prefect_harness, inbox, tmp_path, monkeypatch):
    from parindex.flows.ingest import ingest

    out = str(tmp_path / "out")
    ingest([str(inbox)], out=out)
    first = read_tables(tmp_path / "out")

    def must_not_read(*args, **kwargs):
        raise AssertionError("read again")

    monkeypatch.setattr(extraction, "extract_stage", must_not_read)
    ingest([str(inbox)], out=out)
    again = read_tables(tmp_path / "out")
    for name in ("observations", "flags", "documents", "panel"):
        pd.testing.assert_frame_equal(again[name], first[name], obj=name)


def test_a_code_change_invalidates_the_cache(tmp_path, inbox, monkeypatch):
    from parindex.discover import discover
    from parindex.extractors.reading import extract_stage
    from parindex.normalizer.stages import match_stage, normalize_stage
    from parindex.writer import cache

    src = [s for s in discover([inbox]) if s.path.endswith(".docx")][0]
    result = match_stage(normalize_stage(extract_stage(src)))
    cache.store(tmp_path, result)
    assert cache.load(tmp_path, src).observations == result.observations
    # the same bytes under another name: the cached result, renamed
    import dataclasses

    renamed = cache.load(tmp_path, dataclasses.replace(src, path="elsewhere/ba_thanh.docx"))
    assert {o["source"] for o in renamed.observations} == {"elsewhere/ba_thanh.docx"}
    assert renamed.document_row()["source"] == "elsewhere/ba_thanh.docx"
    monkeypatch.setattr(cache, "read_version", lambda: "another-version")
    assert cache.load(tmp_path, src) is None


def test_ray_without_its_package_is_a_clear_error(capsys):
    try:
        import prefect_ray  # noqa: F401

        pytest.skip("prefect-ray is installed")
    except ImportError:
        pass
    from parindex.cli import main

    assert main(["run", str(SAMPLES / "002_08e6fc9df459596f.docx"), "--out", "x", "--runner", "ray"]) == 2
    assert "pip install prefect-ray" in capsys.readouterr().err


def test_the_local_runner_forgets_each_task_run_once_it_has_finished(prefect_harness):
    """Prefect's thread-pool runner keeps a cancel event per task run until the flow
    ends (memory growing with the archive); parindex's drops it when the run finishes."""
    import time

    from prefect import flow, task
    from prefect.context import FlowRunContext

    from parindex.flows.runners import LocalTaskRunner, local_runner

    @task(persist_result=False)
    def double(x: int) -> int:
        return 2 * x

    @flow(task_runner=local_runner(2), persist_result=False)
    def many() -> tuple[list[int], int, int]:
        runner = FlowRunContext.get().task_runner
        assert isinstance(runner, LocalTaskRunner)
        futures = [double.submit(i) for i in range(12)]
        values = [f.result() for f in futures]
        deadline = time.monotonic() + 5
        while runner._cancel_events and time.monotonic() < deadline:  # callbacks run just after result()
            time.sleep(0.01)
        return values, len(runner._cancel_events), runner._max_workers

    values, left, workers = many()
    assert values == [2 * i for i in range(12)]
    assert (left, workers) == (0, 2)
