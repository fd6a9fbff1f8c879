"""Failures that show (issue 19): a document that fails is a failed task run while the
flow completes the others and says how many failed; --strict, --version, path and rule
checks answer in one line before Prefect starts; the Python API runs quietly."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import sys
import time

import pytest
from conftest import ROOT, SAMPLES

GOOD = "004_0dbbb814e2b5b046.html"


def archive(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLES / GOOD, folder / GOOD)
    (folder / "bad.pdf").write_bytes(b"%PDF-1.4 not a pdf at all")
    return folder


def cli(*args, timeout=600):
    return subprocess.run(
        [sys.executable, "-m", "parindex", *map(str, args)], capture_output=True, text=True, timeout=timeout, cwd=ROOT
    )


def test_a_failed_document_is_a_failed_task_run_and_the_flow_says_how_many_failed(prefect_harness, tmp_path):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId, TaskRunFilter

    from parindex.flows.ingest import ingest

    state = ingest([str(archive(tmp_path))], out=str(tmp_path / "out"), return_state=True)
    assert state.name == "Completed"
    assert state.message == "1 of 2 documents failed"
    summary = state.result()
    assert {d["source"].rsplit("/", 1)[-1]: d["status"] for d in summary.documents} == {"bad.pdf": "failed", GOOD: "ok"}

    async def task_states():
        async with get_client() as client:
            runs = await client.read_task_runs(
                flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[state.state_details.flow_run_id])),
                task_run_filter=TaskRunFilter(),
            )
            return [(r.name, r.state.name, r.state.message) for r in runs]

    states = asyncio.run(task_states())
    failed = [s for s in states if s[1] == "Failed"]
    assert len(failed) == 1 and failed[0][0].startswith("extract") and "bad.pdf" in failed[0][2]
    assert sum(1 for s in states if s[0].startswith("match") and s[1] == "Completed") == 1


def test_strict_exits_non_zero_and_the_json_summary_counts_statuses(tmp_path):
    folder = archive(tmp_path)
    plain = cli("run", folder, "--out", tmp_path / "o1", "--quiet")
    assert plain.returncode == 0, plain.stderr
    strict = cli("run", folder, "--out", tmp_path / "o2", "--strict", "--json")
    assert strict.returncode == 1
    assert json.loads(strict.stdout)["status_counts"] == {"failed": 1, "ok": 1}
    assert "Traceback" not in strict.stderr


def test_user_mistakes_are_one_line_before_prefect_starts(tmp_path):
    start = time.monotonic()
    missing = cli("run", tmp_path / "no" / "such", "--out", tmp_path / "o")
    assert time.monotonic() - start < 10  # Prefect's server takes far longer to start
    assert missing.returncode == 2
    assert missing.stderr.strip() == f"parindex: {tmp_path / 'no' / 'such'}: no such file or directory"
    version = cli("--version")
    assert version.returncode == 0 and version.stdout.strip().startswith("parindex ")


def test_flags_validates_its_rule_names(sample_run):
    bad = cli("flags", sample_run["out"], "--rule", "sum_mismatc")
    assert bad.returncode == 2 and "unknown rule 'sum_mismatc'" in bad.stderr and "sum_mismatch" in bad.stderr
    good = cli("flags", sample_run["out"], "--rule", "sum_mismatch")
    assert good.returncode == 0 and "sum_mismatch" in good.stdout


def test_the_python_api_runs_quietly_and_loads_the_tables(tmp_path):
    code = (
        "import parindex; s = parindex.run([%r], out=%r); ds = parindex.load(%r); "
        "print(len(ds.observations), ds.sql('SELECT count(*) FROM flags').fetchall()[0][0], s.line())"
        % (str(SAMPLES / GOOD), str(tmp_path / "out"), str(tmp_path / "out"))
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # nothing of Prefect's in the notebook cell
    n_obs, n_flags, line = done.stdout.strip().split(" ", 2)
    assert int(n_obs) == 94 and int(n_flags) == 3 and line.startswith("1 documents (0 not ok), 94 observations")


def test_load_names_a_folder_without_a_dataset(tmp_path):
    import parindex

    with pytest.raises(FileNotFoundError, match="observations.parquet: not found"):
        parindex.load(tmp_path)
