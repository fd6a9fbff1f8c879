"""The same flow on a Dask cluster, and the result cache (flows/runners.py, parindex/cache.py)."""
from __future__ import annotations

import shutil

import pandas as pd
import pytest

from conftest import SAMPLES, read_tables


@pytest.fixture
def inbox(tmp_path):
    d = tmp_path / "inbox"
    d.mkdir()
    for f in ("002_08e6fc9df459596f.docx", "004_0dbbb814e2b5b046.html"):
        shutil.copy(SAMPLES / f, d / f)
    return d


def test_dask_cluster_gives_the_same_dataset_as_local_threads(prefect_harness, inbox, tmp_path):
    from flows.ingest import run_ingest

    run_ingest([str(inbox)], out=str(tmp_path / "local"), use_cache=False)
    summary = run_ingest([str(inbox)], out=str(tmp_path / "dask"), runner="dask", workers=1, use_cache=False)
    assert summary.observations == 110
    local, dask = read_tables(tmp_path / "local"), read_tables(tmp_path / "dask")
    for name in ("observations", "flags", "documents", "panel"):
        pd.testing.assert_frame_equal(dask[name], local[name], obj=name)


def test_an_unknown_runner_is_a_clear_error():
    from flows.runners import task_runner

    with pytest.raises(ValueError, match="unknown runner 'spark'"):
        task_runner("spark")


def test_unchanged_documents_are_not_read_again(prefect_harness, inbox, tmp_path, monkeypatch):
    from flows.ingest import ingest
    from parindex import stages

    out = str(tmp_path / "out")
    ingest([str(inbox)], out=out)
    first = read_tables(tmp_path / "out")

    def must_not_read(*args, **kwargs):
        raise AssertionError("read again")

    monkeypatch.setattr(stages, "extract_stage", must_not_read)
    ingest([str(inbox)], out=out)
    again = read_tables(tmp_path / "out")
    for name in ("observations", "flags", "documents", "panel"):
        pd.testing.assert_frame_equal(again[name], first[name], obj=name)


def test_a_code_change_invalidates_the_cache(tmp_path, inbox, monkeypatch):
    from parindex import cache, stages
    from parindex.discover import discover

    src = [s for s in discover([inbox]) if s.path.endswith(".docx")][0]
    result = stages.match_stage(stages.normalize_stage(stages.extract_stage(src)))
    cache.store(tmp_path, result)
    assert cache.load(tmp_path, src).observations == result.observations
    # the same bytes under another name: the cached result, renamed
    import dataclasses

    renamed = cache.load(tmp_path, dataclasses.replace(src, path="elsewhere/ba_thanh.docx"))
    assert {o["source"] for o in renamed.observations} == {"elsewhere/ba_thanh.docx"}
    assert renamed.document_row()["source"] == "elsewhere/ba_thanh.docx"
    monkeypatch.setattr(cache, "code_version", lambda: "another-version")
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
