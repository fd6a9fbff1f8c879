"""Discovery and atomic writing (parindex/discover.py, parindex/store.py)."""
from __future__ import annotations

import shutil

import pandas as pd
import pytest

from conftest import SAMPLES
from parindex import store
from parindex.discover import discover


def test_discover_hashes_files_and_honours_parindexignore(tmp_path):
    shutil.copytree(SAMPLES, tmp_path / "s")
    (tmp_path / "s" / ".hidden.pdf").write_bytes(b"%PDF-")
    found = discover([tmp_path / "s"])
    names = [f.path.rsplit("/", 1)[-1] for f in found]
    assert names == ["000_65e2608f2289fc53.pdf", "001_af3bdc7e3d446662.docx", "002_08e6fc9df459596f.docx",
                     "003_bcf6dc032df3fdf9.pdf", "004_0dbbb814e2b5b046.html"]  # build.py, README.md ignored
    assert [f.format for f in found] == ["pdf", "docx", "docx", "pdf", "html"]
    assert all(f.document_id == f.sha256[:16] and len(f.sha256) == 64 for f in found)


def test_discover_names_a_missing_path():
    with pytest.raises(FileNotFoundError, match="no/such/folder"):
        discover(["no/such/folder"])


def test_write_dataset_is_atomic_a_failed_write_keeps_the_previous_file(tmp_path, monkeypatch):
    good = {"flags": store.to_frame("flags", [{"flag_id": "a", "rule": "conflict", "year": 2023}])}
    store.write_dataset(tmp_path, good)
    before = (tmp_path / "flags.parquet").read_bytes()

    def crash(self, path, **kw):
        with open(path, "wb") as f:
            f.write(b"half")
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_parquet", crash)
    with pytest.raises(OSError):
        store.write_dataset(tmp_path, {"flags": store.to_frame("flags", [{"flag_id": "b", "rule": "code_gap"}])})
    assert (tmp_path / "flags.parquet").read_bytes() == before
    assert not list(tmp_path.glob(".*.tmp"))


def test_to_frame_gives_the_contract_columns_and_dtypes():
    df = store.to_frame("observations", [{"score": "9.5", "year": 2023.0, "code": "1.2", "extra": 1}])
    from schemas.tables import OBSERVATIONS

    assert list(df.columns) == list(OBSERVATIONS)
    assert str(df["score"].dtype) == "Float64" and str(df["year"].dtype) == "Int64"
    assert df.loc[0, "score"] == 9.5 and df.loc[0, "year"] == 2023
