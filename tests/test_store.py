"""Discovery and atomic writing (discover/files.py, writer/commit.py)."""

from __future__ import annotations

import shutil

import conftest
import pandas as pd
import pytest
from conftest import SAMPLES, write_dataset

from parindex.discover import discover
from parindex.writer import commit
from parindex.writer.read import read_table
from parindex.writer.tables import to_frame


def test_discover_hashes_files_and_honours_parindexignore(tmp_path):
    shutil.copytree(SAMPLES, tmp_path / "s")
    (tmp_path / "s" / ".hidden.pdf").write_bytes(b"%PDF-")
    found = discover([tmp_path / "s"])
    names = [f.path.rsplit("/", 1)[-1] for f in found]
    assert names == [
        "000_65e2608f2289fc53.pdf",
        "001_af3bdc7e3d446662.docx",
        "002_08e6fc9df459596f.docx",
        "003_bcf6dc032df3fdf9.pdf",
        "004_0dbbb814e2b5b046.html",
    ]  # build.py, README.md ignored
    assert [f.format for f in found] == ["pdf", "docx", "docx", "pdf", "html"]
    assert all(f.document_id == f.sha256[:16] and len(f.sha256) == 64 for f in found)


def test_discover_names_a_missing_path():
    with pytest.raises(FileNotFoundError, match="no/such/folder"):
        discover(["no/such/folder"])


def test_write_dataset_is_atomic_a_failed_write_keeps_the_previous_file(tmp_path, monkeypatch):
    good = {"flags": to_frame("flags", [{"flag_id": "a", "rule": "conflict", "year": 2023}])}
    write_dataset(tmp_path, good)
    before = (tmp_path / "flags.parquet").read_bytes()

    def crash(self, path, **kw):
        with open(path, "wb") as f:
            f.write(b"half")
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_parquet", crash)
    with pytest.raises(OSError):
        write_dataset(tmp_path, {"flags": to_frame("flags", [{"flag_id": "b", "rule": "code_gap"}])})
    assert (tmp_path / "flags.parquet").read_bytes() == before
    assert not list(tmp_path.glob(".staged-*")) and not (tmp_path / ".parindex-commit.json").exists()


def test_to_frame_gives_the_contract_columns_and_dtypes():
    df = to_frame("observations", [{"score": "9.5", "year": 2023.0, "code": "1.2", "extra": 1}])
    from parindex.schemas.columns import OBSERVATIONS

    assert list(df.columns) == list(OBSERVATIONS)
    assert str(df["score"].dtype) == "Float64" and str(df["year"].dtype) == "Int64"
    assert df.loc[0, "score"] == 9.5 and df.loc[0, "year"] == 2023


def _dataset(tag: str) -> dict:
    return {
        "flags": to_frame("flags", [{"flag_id": tag, "rule": "conflict"}]),
        "documents": to_frame("documents", [{"document_id": tag, "source": f"{tag}.pdf"}]),
    }


def test_a_run_killed_during_the_renames_is_finished_by_the_next(tmp_path, monkeypatch):
    write_dataset(tmp_path, _dataset("old"))
    real_replace = commit.os.replace
    calls = {"n": 0}

    def dies_after_two(src, dst):
        if str(dst).endswith(".parindex-commit.json"):
            return real_replace(src, dst)
        calls["n"] += 1
        if calls["n"] > 2:
            raise KeyboardInterrupt("killed")
        return real_replace(src, dst)

    monkeypatch.setattr(commit.os, "replace", dies_after_two)
    with pytest.raises(KeyboardInterrupt):
        write_dataset(tmp_path, _dataset("new"))
    monkeypatch.setattr(commit.os, "replace", real_replace)
    # half the files are new, half old, the journal says how to finish
    assert (tmp_path / ".parindex-commit.json").exists()
    assert read_table(tmp_path, "documents")["document_id"].tolist() == ["new"]
    assert read_table(tmp_path, "flags")["flag_id"].tolist() == ["new"]
    assert not (tmp_path / ".parindex-commit.json").exists() and not list(tmp_path.glob(".staged-*"))


def test_a_run_killed_before_the_commit_leaves_the_previous_dataset(tmp_path, monkeypatch):
    write_dataset(tmp_path, _dataset("old"))

    real_stage = conftest.stage_file

    def killed_at_the_last_file(out, final, write):
        if final == "documents.csv":
            raise KeyboardInterrupt("killed")
        return real_stage(out, final, write)

    monkeypatch.setattr(conftest, "stage_file", killed_at_the_last_file)
    with pytest.raises(KeyboardInterrupt):
        write_dataset(tmp_path, _dataset("new"))
    monkeypatch.undo()
    assert read_table(tmp_path, "flags")["flag_id"].tolist() == ["old"]
    assert read_table(tmp_path, "documents")["document_id"].tolist() == ["old"]
    assert not list(tmp_path.glob(".staged-*"))


def test_an_output_folder_inside_the_input_is_not_read(tmp_path):
    shutil.copy(SAMPLES / "002_08e6fc9df459596f.docx", tmp_path / "report.docx")
    from parindex.writer.staging import ImportBatch

    with ImportBatch(tmp_path / "out") as batch:  # an empty dataset: its database marks the folder
        batch.plan([])
        batch.finish()
    assert (tmp_path / "out" / "parindex.duckdb").exists()
    (tmp_path / "out" / "report.html").write_text("<html><body>Chỉ số PAR INDEX đạt 80 điểm</body></html>")
    assert [f.path.rsplit("/", 1)[-1] for f in discover([tmp_path])] == ["report.docx"]


def test_dataset_files_are_readable_by_others(tmp_path):
    write_dataset(tmp_path, {"flags": to_frame("flags", [])})
    assert (tmp_path / "flags.parquet").stat().st_mode & 0o044 == 0o044 & ~commit._UMASK
