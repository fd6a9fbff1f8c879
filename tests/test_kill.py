"""A run killed for real (SIGKILL) at any moment leaves the previous dataset intact, and
the next run finishes without duplicates."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from conftest import ROOT, SAMPLES, read_tables


def consistent(out) -> set[str]:
    """The sources of a dataset whose four tables agree with each other."""
    from parindex.writer.commit import recover

    recover(out)  # what any reader or the next run does first
    t = read_tables(out)
    sources = set(t["documents"]["source"])
    assert set(t["observations"]["source"]) <= sources
    assert set(t["flags"]["source"].dropna()) <= sources
    assert t["documents"]["document_id"].is_unique
    assert not t["observations"].duplicated(["source", "table", "row", "year", "framework", "code"]).any()
    return sources


@pytest.fixture
def api_url(prefect_harness):
    from prefect.settings import PREFECT_API_URL

    return PREFECT_API_URL.value()


def start_run(work, api_url) -> subprocess.Popen:
    env = dict(os.environ, PREFECT_API_URL=api_url or "", PYTHONPATH=str(ROOT))
    return subprocess.Popen(
        [sys.executable, "-m", "parindex", "run", "inbox", "--out", "out", "--quiet"],
        cwd=work,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def kill(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


@pytest.mark.parametrize("moment", ["while reading", "while writing"])
def test_a_killed_run_leaves_the_previous_dataset(api_url, tmp_path, moment):
    from parindex.flows.ingest import ingest

    (tmp_path / "inbox").mkdir()
    shutil.copy(SAMPLES / "002_08e6fc9df459596f.docx", tmp_path / "inbox")
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        ingest(["inbox"], out="out")
        before = consistent(tmp_path / "out")
        for f in ("000_65e2608f2289fc53.pdf", "003_bcf6dc032df3fdf9.pdf", "004_0dbbb814e2b5b046.html"):
            shutil.copy(SAMPLES / f, tmp_path / "inbox")
        proc = start_run(tmp_path, api_url)
        deadline = time.monotonic() + 120
        killed = False
        while time.monotonic() < deadline and proc.poll() is None:
            # the write phase: changed files staged for the commit, or its journal
            staged = list((tmp_path / "out").glob(".staged-*/files")) + list(
                (tmp_path / "out").glob(".parindex-commit.json")
            )
            if (moment == "while reading" and time.monotonic() > deadline - 117) or (
                moment == "while writing" and staged
            ):
                kill(proc)
                killed = True
                break
            time.sleep(0.002)
        assert killed, f"the run ended before it could be killed: {proc.stderr.read().decode()[-2000:]}"
        after_kill = consistent(tmp_path / "out")
        assert after_kill in (
            before,
            before
            | {
                f"inbox/{f}"
                for f in ("000_65e2608f2289fc53.pdf", "003_bcf6dc032df3fdf9.pdf", "004_0dbbb814e2b5b046.html")
            },
        )
        ingest(["inbox"], out="out")  # the next run resumes
        final = read_tables(tmp_path / "out")
    finally:
        os.chdir(cwd)
    assert consistent(tmp_path / "out") == {f"inbox/{f.name}" for f in (tmp_path / "inbox").iterdir()}
    counts = final["observations"].groupby("source").size().to_dict()
    assert counts == {
        "inbox/002_08e6fc9df459596f.docx": 16,
        "inbox/000_65e2608f2289fc53.pdf": 219,
        "inbox/003_bcf6dc032df3fdf9.pdf": 64,
        "inbox/004_0dbbb814e2b5b046.html": 94,
    }
