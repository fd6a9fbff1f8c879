"""The result cache is data, never code (parindex/cache.py): an output folder is shared
and copied around, so nothing placed in it may run when parindex reads it."""

from __future__ import annotations

import dataclasses
import json
import pickle

import pytest

from parindex import cache
from parindex.discover import discover
from parindex.extractors.stage import extract_stage
from parindex.normalizer.stage import match_stage, normalize_stage


class _WritesAFile:
    """A real pickle payload: unpickling it writes `marker`."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (exec, (f"open({self.marker!r}, 'w').write('pwned')",))


@pytest.fixture(scope="module")
def docx_result():
    src = [s for s in discover(["samples"]) if s.path.endswith(".docx")][0]
    return src, match_stage(normalize_stage(extract_stage(src, None)))


def _entry_folder(out, sha256):
    return out / cache.CACHE_DIR / cache.code_version() / sha256[:2]


def test_a_pickle_placed_in_the_cache_is_never_executed(tmp_path, docx_result):
    src, _ = docx_result
    marker = tmp_path / "marker"
    folder = _entry_folder(tmp_path / "out", src.sha256)
    folder.mkdir(parents=True)
    payload = pickle.dumps(_WritesAFile(marker))
    for name in (f"{src.sha256}.pickle", f"{src.sha256}.json"):  # where pickles were read, and where entries are
        (folder / name).write_bytes(payload)
    assert cache.load(tmp_path / "out", src) is None
    assert not marker.exists()


def test_cached_results_are_json_and_round_trip(tmp_path, docx_result):
    src, result = docx_result
    cache.store(tmp_path, result)
    files = list((tmp_path / cache.CACHE_DIR).rglob("*.*"))
    assert [f.suffix for f in files] == [".json"]
    json.loads(files[0].read_text(encoding="utf-8"))
    again = cache.load(tmp_path, src)
    assert again.observations == result.observations
    assert again.document_row() == result.document_row()


@pytest.mark.parametrize(
    "damage",
    [
        lambda e: e.update(status="exec"),
        lambda e: e["observations"][0].update(score="9,91"),
        lambda e: e["observations"][0].update(not_a_column=1),
        lambda e: e.update(sha256="0" * 64),
        lambda e: e["context"].update(__class__="x"),
        lambda e: e.update(observations={"a": 1}),
    ],
)
def test_an_entry_of_another_shape_is_a_miss(tmp_path, docx_result, damage):
    src, result = docx_result
    cache.store(tmp_path, result)
    p = next((tmp_path / cache.CACHE_DIR).rglob("*.json"))
    entry = json.loads(p.read_text(encoding="utf-8"))
    damage(entry)
    p.write_text(json.dumps(entry), encoding="utf-8")
    assert cache.load(tmp_path, src) is None


def test_a_renamed_file_gets_the_cached_result_under_its_name(tmp_path, docx_result):
    src, result = docx_result
    cache.store(tmp_path, result)
    other = dataclasses.replace(src, path="elsewhere/x.docx")
    assert {o["source"] for o in cache.load(tmp_path, other).observations} == {"elsewhere/x.docx"}
