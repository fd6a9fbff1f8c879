"""Faults injected into real runs: Ctrl-C (SIGINT to the main process and to its process
group), a full disk and a read-only output folder on a small filesystem made for the
test (a tmpfs of a few MB when this machine lets the test mount one, else the same
errors raised where the batch writes). Each stops in seconds, says so in one line, and
leaves the previous dataset. (SIGKILL: tests/test_kill.py; a file changed while it is
read: tests/test_changed_files.py.)"""

from __future__ import annotations

import contextlib
import copy
import errno
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest
from conftest import ROOT, SAMPLES, read_tables

from parindex.cli import main
from parindex.discover import discover
from parindex.extractors.reading import extract_stage
from parindex.normalizer.stages import match_stage, normalize_stage
from parindex.schemas.columns import SORT_KEYS
from parindex.writer.staging import ImportBatch

FIRST = "002_08e6fc9df459596f.docx"
MORE = ("001_af3bdc7e3d446662.docx", "004_0dbbb814e2b5b046.html")
PDF = SAMPLES / "000_65e2608f2289fc53.pdf"


@pytest.fixture
def api_url(prefect_harness):
    from prefect.settings import PREFECT_API_URL

    return PREFECT_API_URL.value()


def import_folder(inbox, out) -> None:
    """What a run does, without Prefect: every file of `inbox` read and committed."""
    with ImportBatch(out) as b:
        todo, _ = b.plan(discover([inbox]))
        for src in todo:
            b.keep(copy.deepcopy(match_stage(normalize_stage(extract_stage(src, None)))))
        b.finish()


def tables(out) -> dict[str, pd.DataFrame]:
    return {n: df.sort_values(list(SORT_KEYS[n])).reset_index(drop=True) for n, df in read_tables(out).items()}


def assert_same(a, b) -> None:
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)


def inbox_with(folder, names) -> None:
    folder.mkdir(exist_ok=True)
    for name in names:
        shutil.copy(SAMPLES / name, folder / name)


# ---------------------------------------------------------------------- Ctrl-C
def slow_inbox(inbox) -> None:
    """Enough distinct PDFs that reading takes several seconds (a byte appended after
    %%EOF changes the hash, not the reading)."""
    for i in range(8):
        (inbox / f"copy{i}.pdf").write_bytes(PDF.read_bytes() + b"\n%" + str(i).encode())


@pytest.mark.parametrize("target", ["main process", "process group"])
def test_ctrl_c_stops_in_seconds_and_leaves_the_previous_dataset(tmp_path, api_url, target):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox_with(inbox, [FIRST])
    import_folder(inbox, out)
    before = tables(out)
    slow_inbox(inbox)
    env = dict(os.environ, PREFECT_API_URL=api_url or "", PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-m", "parindex", "run", str(inbox), "--out", str(out)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    seen = b""
    while b"[1/" not in seen:  # the first document is read: the run is under way
        line = proc.stderr.readline()
        assert line, seen.decode()[-2000:]
        seen += line
    sent = time.monotonic()
    (os.killpg if target == "process group" else os.kill)(proc.pid, signal.SIGINT)
    try:
        proc.wait(timeout=15)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    assert time.monotonic() - sent < 10
    err = (seen + proc.stderr.read()).decode()
    assert proc.returncode == 130, err[-2000:]
    told = [line for line in err.splitlines() if line.startswith("parindex:")]
    assert told and "Traceback" not in err, err[-2000:]
    if "holds the previous dataset" in told[-1]:
        assert_same(tables(out), before)
    else:  # stopped after its commit: the new dataset, whole
        assert "holds the new dataset" in told[-1]
        assert len(tables(out)["documents"]) == 9


# ---------------------------------------------------------------------- a small filesystem
@pytest.fixture
def small_fs(tmp_path):
    """A tmpfs of 8 MB mounted for the test (None where mounting is not allowed)."""
    mnt = tmp_path / "small"
    mnt.mkdir()
    mounted = (
        shutil.which("mount")
        and os.geteuid() == 0
        and subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mnt)], capture_output=True).returncode
        == 0
    )
    yield mnt if mounted else None
    if mounted:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def fill(fs) -> pathlib.Path:
    """A file taking all but 64 KB of the filesystem's free space."""
    st = os.statvfs(fs)
    filler = fs / "filler"
    with open(filler, "wb") as f:
        f.truncate(0)
        chunk = b"\0" * (1 << 20)
        left = st.f_bavail * st.f_frsize - 64 * 1024
        while left > 0:
            f.write(chunk[: min(left, len(chunk))])
            left -= len(chunk)
    return filler


@contextlib.contextmanager
def disk_full(small_fs, monkeypatch):
    """The output folder's filesystem full: really (the tmpfs filled), or where mounting
    is not allowed, every copy and file the batch writes failing as a full disk fails."""
    if small_fs is not None:
        filler = fill(small_fs)
        yield
        filler.unlink()
        return

    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with monkeypatch.context() as m:
        m.setattr(shutil, "copyfile", no_space)
        yield


def test_a_full_disk_leaves_the_previous_dataset_and_the_next_run_completes(tmp_path, small_fs, monkeypatch):
    root = small_fs or tmp_path
    inbox, out = tmp_path / "inbox", root / "out"
    inbox_with(inbox, [FIRST])
    import_folder(inbox, out)
    before = tables(out)
    inbox_with(inbox, MORE)
    with disk_full(small_fs, monkeypatch):
        with pytest.raises(Exception, match="(?i)no space left"):
            import_folder(inbox, out)
    assert_same(tables(out), before)
    assert not list(out.glob(".staged-*"))
    import_folder(inbox, out)
    assert len(tables(out)["documents"]) == 3


def test_the_cli_tells_a_full_disk_in_one_line(tmp_path, small_fs, monkeypatch, api_url, capsys):
    root = small_fs or tmp_path
    inbox, out = tmp_path / "inbox", root / "out"
    inbox_with(inbox, [FIRST])
    import_folder(inbox, out)
    before = tables(out)
    inbox_with(inbox, MORE)
    with disk_full(small_fs, monkeypatch):
        code = main(["run", str(inbox), "--out", str(out), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2 and "No space left on device" in err and len(err.strip().splitlines()) == 1, err
    assert_same(tables(out), before)


def test_a_read_only_output_folder_is_told_in_one_line(tmp_path, small_fs, capsys):
    if small_fs is None:
        pytest.skip("a read-only filesystem needs a mount")
    inbox, out = tmp_path / "inbox", small_fs / "out"
    inbox_with(inbox, [FIRST])
    import_folder(inbox, out)
    before = tables(out)
    inbox_with(inbox, MORE)
    subprocess.run(["mount", "-o", "remount,ro", str(small_fs)], check=True)
    code = main(["run", str(inbox), "--out", str(out), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2 and "Read-only file system" in err and len(err.strip().splitlines()) == 1, err
    assert_same(tables(out), before)


# ---------------------------------------------------------------------- Prefect's environment
def test_a_dead_prefect_api_url_is_told_in_one_line_before_starting(tmp_path, monkeypatch, capsys):
    inbox_with(tmp_path / "inbox", [FIRST])
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")  # nothing listens on the discard port
    started = time.monotonic()
    assert main(["run", str(tmp_path / "inbox"), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "PREFECT_API_URL=http://127.0.0.1:9/api does not answer" in err and len(err.strip().splitlines()) == 1
    assert time.monotonic() - started < 10 and not (tmp_path / "out" / "parindex.duckdb").exists()


def test_a_read_only_prefect_home_is_told_in_one_line_before_starting(tmp_path, small_fs, monkeypatch, capsys):
    inbox_with(tmp_path / "inbox", [FIRST])
    if small_fs is not None:  # a read-only filesystem
        subprocess.run(["mount", "-o", "remount,ro", str(small_fs)], check=True)
        home = small_fs / "prefect"
    else:  # a folder that cannot be made
        (tmp_path / "a-file").write_text("")
        home = tmp_path / "a-file" / "prefect"
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setenv("PREFECT_HOME", str(home))
    assert main(["run", str(tmp_path / "inbox"), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert f"PREFECT_HOME={home} is not writable" in err and len(err.strip().splitlines()) == 1, err


# ---------------------------------------------------------------------- report and export
@pytest.fixture
def dataset(tmp_path):
    inbox_with(tmp_path / "inbox", [FIRST])
    import_folder(tmp_path / "inbox", tmp_path / "out")
    return tmp_path / "out"


def test_report_at_a_folder_is_told_in_one_line(tmp_path, dataset, capsys):
    (tmp_path / "a-folder").mkdir()
    before = tables(dataset)
    assert main(["report", str(dataset), "--html", str(tmp_path / "a-folder")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"parindex: cannot write {tmp_path / 'a-folder'}") and len(err.strip().splitlines()) == 1
    assert_same(tables(dataset), before)


def test_export_into_a_folder_that_cannot_be_written_is_told_in_one_line(tmp_path, dataset, small_fs, capsys):
    if small_fs is not None:
        subprocess.run(["mount", "-o", "remount,ro", str(small_fs)], check=True)
        target = small_fs / "book.xlsx"
    else:
        (tmp_path / "a-file").write_text("")
        target = tmp_path / "a-file" / "book.xlsx"
    assert main(["export", str(dataset), "--xlsx", str(target)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"parindex: cannot write {target}") and len(err.strip().splitlines()) == 1, err


# ---------------------------------------------------------------------- a file changed mid-run
def test_a_file_replaced_during_a_run_is_kept_under_the_bytes_read(tmp_path, api_url, monkeypatch):
    """Replaced between discovery and reading: the run records the bytes it read, so when
    the original bytes come back they are read again, not answered with the other file's
    observations."""
    import parindex.flows.ingest as ingest_module
    from parindex.flows.ingest import ingest

    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    report = inbox / "report.docx"
    shutil.copy(SAMPLES / "001_af3bdc7e3d446662.docx", report)
    real_discover = ingest_module.discover

    def discover_then_replace(paths):
        found = real_discover(paths)
        shutil.copy(SAMPLES / FIRST, report)  # another report takes its place before it is read
        return found

    monkeypatch.setattr(ingest_module, "discover", discover_then_replace)
    ingest([str(inbox)], out=str(out))
    monkeypatch.setattr(ingest_module, "discover", real_discover)
    assert len(read_tables(out)["observations"]) == 16  # what was read: the other report
    shutil.copy(SAMPLES / "001_af3bdc7e3d446662.docx", report)  # the original bytes are back
    ingest([str(inbox)], out=str(out))
    observations = read_tables(out)["observations"]
    assert len(observations) == 116 and set(observations["unit"]) == {"Phong Thổ"}
