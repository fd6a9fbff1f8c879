"""One file must not stop the others (discover/files.py, writer/staging.py): a file
name that is not valid UTF-8, a file that cannot be read, a folder that cannot be listed
each become that file's error row, and the rest is imported."""

from __future__ import annotations

import os
import pathlib
import shutil

import pytest
from conftest import SAMPLES, read_tables

from parindex.discover import discover
from parindex.extractors.reading import extract_stage
from parindex.normalizer.stages import match_stage, normalize_stage
from parindex.writer.staging import ImportBatch

GOOD = "002_08e6fc9df459596f.docx"
AS_ROOT = os.geteuid() == 0  # root reads a file of mode 000: its refusal is simulated


def _refused(monkeypatch, path: pathlib.Path) -> None:
    """Reading `path` fails as it does for a user without permission."""
    path.chmod(0)
    if not AS_ROOT:
        return
    real = pathlib.Path.read_bytes

    def read_bytes(self):
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(pathlib.Path, "read_bytes", read_bytes)


def _unlistable(monkeypatch, folder: pathlib.Path) -> None:
    """Listing `folder` fails as it does for a user without permission."""
    folder.chmod(0)
    if not AS_ROOT:
        return
    real = os.scandir

    def scandir(path="."):
        if not isinstance(path, int) and pathlib.Path(path) == folder:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


@pytest.fixture
def inbox(tmp_path, monkeypatch):
    root = tmp_path / "inbox"
    root.mkdir()
    shutil.copy(SAMPLES / GOOD, root / GOOD)
    (root / os.fsdecode(b"bad\xff\xfename.txt")).write_bytes((SAMPLES / "README.md").read_bytes())
    shutil.copy(SAMPLES / "001_af3bdc7e3d446662.docx", root / "mode000.docx")
    (root / "dangling.pdf").symlink_to(root / "gone.pdf")
    (root / "locked").mkdir()
    shutil.copy(SAMPLES / "004_0dbbb814e2b5b046.html", root / "locked" / "inside.html")
    _refused(monkeypatch, root / "mode000.docx")
    _unlistable(monkeypatch, root / "locked")
    yield root
    (root / "mode000.docx").chmod(0o644)
    (root / "locked").chmod(0o755)


def _import(out, sources) -> None:
    with ImportBatch(out) as b:
        todo, _ = b.plan(sources)
        for src in todo:
            b.keep(match_stage(normalize_stage(extract_stage(src, None))))
        b.finish()


def test_each_bad_file_is_its_own_error_row_and_the_rest_is_imported(tmp_path, inbox):
    sources = discover([inbox])
    _import(tmp_path / "out", sources)
    docs = read_tables(tmp_path / "out")["documents"].set_index("source")
    errors = {pathlib.PurePath(s).name: e for s, e in docs["error"].items() if docs.loc[s, "status"] == "failed"}
    assert "not valid UTF-8" in errors["bad\\xff\\xfename.txt"]
    assert "cannot read the file" in errors["mode000.docx"] and "mode000.docx" in errors["mode000.docx"]
    assert "cannot read the file" in errors["dangling.pdf"]
    assert "cannot list the folder" in errors["locked"] and "locked" in errors["locked"]
    good = docs.loc[(inbox / GOOD).as_posix()]
    assert good["status"] == "ok" and good["observations"] == 16
    assert len(read_tables(tmp_path / "out")["observations"]) == 16


def test_an_unreadable_file_is_read_again_once_it_can_be(tmp_path, inbox, monkeypatch):
    _import(tmp_path / "out", discover([inbox]))
    monkeypatch.undo()
    (inbox / "mode000.docx").chmod(0o644)
    with ImportBatch(tmp_path / "out") as b:
        todo, _ = b.plan(discover([inbox]))
    assert "mode000.docx" in {pathlib.PurePath(s.path).name for s in todo}


def test_a_file_name_that_is_not_utf8_does_not_fail_the_merge(tmp_path):
    root = tmp_path / "inbox"
    root.mkdir()
    shutil.copy(SAMPLES / GOOD, root / GOOD)
    shutil.copy(SAMPLES / GOOD, root / os.fsdecode(b"bad\xff\xfename.docx"))
    _import(tmp_path / "out", discover([root]))
    docs = read_tables(tmp_path / "out")["documents"]
    assert sorted(docs["status"]) == ["failed", "ok"]
    assert docs["source"].str.endswith("bad\\xff\\xfename.docx").any()
