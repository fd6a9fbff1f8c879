"""Documents read while Prefect starts (flows/early.py): each is read once, the flow takes
what was read early, and the dataset is the one a run without early reads writes."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time

import pytest
from conftest import SAMPLES, read_tables

from parindex.discover import discover
from parindex.extractors import reading as extraction
from parindex.extractors.reading import extract_stage
from parindex.flows import early as early_module
from parindex.flows.early import EarlyReads
from parindex.normalizer.stages import match_stage, normalize_stage

NAMES = ("002_08e6fc9df459596f.docx", "003_bcf6dc032df3fdf9.pdf", "004_0dbbb814e2b5b046.html")


@pytest.fixture
def inbox(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name in NAMES:
        shutil.copy(SAMPLES / name, folder / name)
    return folder


@pytest.fixture
def counted(monkeypatch):
    """The files extract_stage was called on, with the thread that called it."""
    calls: list[tuple[str, str]] = []
    real = extract_stage

    def extract(src, limits=None):
        calls.append((src.path, threading.current_thread().name))
        return real(src, limits)

    monkeypatch.setattr(extraction, "extract_stage", extract)
    return calls


def test_early_reads_give_each_document_read_normalized_and_matched(inbox, tmp_path, counted):
    early = EarlyReads([str(inbox)], str(tmp_path / "out"), None, True, 2)
    try:
        sources = early.sources()
        assert [s.path for s in sources] == [s.path for s in discover([str(inbox)])]
        for thread in early._threads:  # every document read here
            thread.join()
        for src in sources:
            result = early.take(src)
            expected = match_stage(normalize_stage(extract_stage(src, None)))
            assert result.status == expected.status and result.observations == expected.observations
            assert early.take(src) is None  # taken once
    finally:
        early.close()
    assert sum(1 for _, thread in counted if thread.startswith("parindex-early-read")) == len(NAMES)


def test_early_reads_skip_what_the_cache_holds_and_stop_at_the_limit(inbox, tmp_path, monkeypatch):
    monkeypatch.setattr(early_module, "EARLY_DOCUMENTS", 1)
    early = EarlyReads([str(inbox)], str(tmp_path / "out"), None, True, 1)
    try:
        first, *rest = early.sources()
        for thread in early._threads:
            thread.join()
        assert early.take(first) is not None
        assert all(early.take(src) is None for src in rest)  # left to the flow
    finally:
        early.close()


def test_a_document_not_started_here_is_left_to_the_flow_at_once(inbox, tmp_path, monkeypatch):
    """The flow's workers outnumber the early reads' threads: it waits only for a document
    being read here, and reads the ones still queued here itself (they are not read here)."""
    release, calls = threading.Event(), []
    real = extract_stage

    def extract(src, limits=None):
        calls.append(src.path)
        release.wait(60)
        return real(src, limits)

    monkeypatch.setattr(extraction, "extract_stage", extract)
    early = EarlyReads([str(inbox)], str(tmp_path / "out"), None, True, 1)
    try:
        first, second, third = early.sources()
        while not calls:  # the one thread here is reading the first document
            time.sleep(0.01)
        assert early.take(second) is None and early.take(third) is None  # at once: not started here
        release.set()
        assert early.take(first) is not None  # waited for: it was being read here
        for thread in early._threads:
            thread.join()
        assert calls == [first.path]
    finally:
        release.set()
        early.close()


def test_flow_takes_the_documents_read_early_and_writes_the_same_dataset(prefect_harness, inbox, tmp_path, counted):
    from parindex.flows.ingest import ingest, run_ingest

    plain = run_ingest([str(inbox)], out=str(tmp_path / "plain"), limits=None)
    counted.clear()
    EarlyReads._current = EarlyReads([str(inbox)], str(tmp_path / "early"), None, True, 2)
    try:
        summary = ingest([str(inbox)], out=str(tmp_path / "early"), limits=None)
    finally:
        EarlyReads._current.close() if EarlyReads._current else None
    assert sorted(path for path, _ in counted) == sorted(str(inbox / n) for n in NAMES)  # each read once
    assert all(thread.startswith("parindex-early-read") for _, thread in counted)
    assert summary.observations == plain.observations > 0
    a, b = read_tables(tmp_path / "plain"), read_tables(tmp_path / "early")
    for name in ("observations", "flags", "panel"):
        assert (
            a[name]
            .drop(columns=["document_id"], errors="ignore")
            .equals(b[name].drop(columns=["document_id"], errors="ignore"))
        ), name


def test_no_early_reads_for_another_runner_or_a_named_server(monkeypatch):
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    assert early_module.wanted("local") and not early_module.wanted("dask")
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:4200/api")
    assert not early_module.wanted("local")


def test_a_warning_requests_silences_stays_silent_when_a_catch_warnings_block_is_left(tmp_path):
    """The race CI met: a reading thread imports requests (which silences urllib3's PySocks
    warning) while the caller's thread is inside `warnings.catch_warnings`, and leaving the
    block drops requests' filter. Here the early reads start first, as the CLI starts them
    (with no document, so that requests is imported inside the block, as the race had it);
    then urllib3's module is imported again (a failed import runs it again): nothing may
    reach stderr."""
    code = (
        "import sys, warnings\n"
        "from parindex.flows.early import EarlyReads\n"
        "early = EarlyReads([], %r, None, False, 1)\n"
        "[t.join() for t in early._threads]\n"
        "assert 'requests' not in sys.modules\n"
        "with warnings.catch_warnings():\n"
        "    import requests\n"
        "try:\n"
        "    import urllib3.contrib.socks\n"
        "except ImportError:\n"
        "    print('no PySocks')\n"
    ) % str(tmp_path / "out")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "no PySocks"  # the warning's module ran again
    assert done.stderr == ""
