"""A file replaced or truncated while a run reads it (extractors/isolation.py,
extractors/reading.py): the result is recorded under the hash of the bytes actually read,
and a failure caused by the change is never cached."""

from __future__ import annotations

import hashlib
import pathlib
import shutil

import pytest

from parindex.discover import discover
from parindex.extractors.isolation import Limits
from parindex.extractors.reading import extract_stage
from parindex.normalizer.stages import match_stage, normalize_stage
from parindex.writer import cache

SAMPLES = pathlib.Path(__file__).resolve().parent.parent / "samples"
A = SAMPLES / "001_af3bdc7e3d446662.docx"
B = SAMPLES / "002_08e6fc9df459596f.docx"


@pytest.mark.parametrize("limits", [Limits(seconds=60), None], ids=["reader", "in-process"])
def test_a_file_replaced_after_discovery_is_recorded_under_the_bytes_read(tmp_path, limits):
    path = tmp_path / "report.docx"
    shutil.copy(A, path)
    (src,) = discover([path])
    shutil.copy(B, path)  # replaced between discovery and reading
    result = match_stage(normalize_stage(extract_stage(src, limits)))
    read = hashlib.sha256(B.read_bytes()).hexdigest()
    assert result.status == "ok"
    assert result.source.sha256 == read and result.document_row()["sha256"] == read
    assert {o["document_id"] for o in result.observations} == {read[:16]}
    cache.store(tmp_path / "out", result)
    assert not cache.has(tmp_path / "out", src.sha256)  # A's hash never holds B's observations
    assert cache.has(tmp_path / "out", read)


def test_a_file_truncated_after_discovery_fails_and_is_not_cached(tmp_path):
    path = tmp_path / "report.docx"
    shutil.copy(A, path)
    (src,) = discover([path])
    path.write_bytes(A.read_bytes()[: A.stat().st_size // 2])  # cut short while the run reads
    result = extract_stage(src, Limits(seconds=60))
    assert result.status == "failed"
    assert "changed while it was read" in result.error and str(path) in result.error
    assert not cache.cacheable(result)
    cache.store(tmp_path / "out", result)
    assert not (tmp_path / "out").exists()


def test_a_file_removed_after_discovery_is_its_own_error(tmp_path):
    path = tmp_path / "report.docx"
    shutil.copy(A, path)
    (src,) = discover([path])
    path.unlink()
    result = extract_stage(src, Limits(seconds=60))
    assert result.status == "failed" and "cannot read the file" in result.error and str(path) in result.error
    assert not cache.cacheable(result)
