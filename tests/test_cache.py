"""The result cache is data, never code (writer/cache.py): an output folder is shared
and copied around, so nothing placed in it may run when parindex reads it."""

from __future__ import annotations

import dataclasses
import json
import pickle

import pytest

from parindex.discover import discover
from parindex.extractors.reading import extract_stage
from parindex.normalizer.stages import match_stage, normalize_stage
from parindex.writer import cache


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
    return out / cache.CACHE_DIR / cache.read_version() / sha256[:2]


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


# ---------------------------------------------------------------------- two code versions
def test_the_read_version_hashes_the_readers_and_not_the_audit(tmp_path, monkeypatch):
    # a rule edited, added or removed changes the audit version only: no document is read again
    labels = [label for label, _ in cache.read_files()]
    assert any(label.startswith("parindex.extractors/") for label in labels)
    assert any(label.startswith("parindex.normalizer/catalog/") for label in labels)
    assert not any(label.startswith(("parindex.audit", "parindex.writer")) for label in labels)
    assert any(label.startswith("parindex.audit/rules/") for label, _ in cache.audit_files())

    read, audit = cache._hash(cache.read_files()), cache._hash(cache.audit_files())
    rule = tmp_path / "a_new_rule.py"
    rule.write_text("RULE = 'new'\n", encoding="utf-8")
    real = cache.module_files
    monkeypatch.setattr(
        cache,
        "module_files",
        lambda name: real(name) + ([("parindex.audit/rules/a_new_rule.py", rule)] if name == "parindex.audit" else []),
    )
    assert cache._hash(cache.read_files()) == read
    assert cache._hash(cache.audit_files()) != audit


def test_a_new_audit_version_reaudits_every_unit_without_reading_a_document(prefect_harness, tmp_path, monkeypatch):
    import shutil

    import pandas as pd
    from conftest import SAMPLES, read_tables

    from parindex.audit import Audit
    from parindex.extractors import isolation
    from parindex.extractors import reading as extraction
    from parindex.flows.ingest import ingest
    from parindex.normalizer import stages as normalization
    from parindex.writer import audit_run
    from parindex.writer.read import connect

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in ("001_af3bdc7e3d446662.docx", "002_08e6fc9df459596f.docx", "004_0dbbb814e2b5b046.html"):
        shutil.copy(SAMPLES / name, inbox / name)
    out = tmp_path / "out"
    ingest([str(inbox)], out=str(out), limits=None)
    before = read_tables(out)
    dropped = before["flags"]["rule"].value_counts().index[0]  # the rule the "edit" removes
    observations = {p.name: p.read_bytes() for p in (out / "observations.parquet").glob("*.parquet")}

    def never(*args, **kwargs):
        raise AssertionError("a document was read again")

    for module, name in (
        (extraction, "extract_stage"),
        (normalization, "normalize_stage"),
        (normalization, "match_stage"),
        (isolation, "read_isolated"),
        (isolation, "extract_hashed"),
    ):
        monkeypatch.setattr(module, name, never)

    class EditedRules(Audit):  # the audit's code changed: one rule no longer flags anything
        def documents(self, observations):
            return [f for f in super().documents(observations) if f["rule"] != dropped]

        def unit_years(self, observations):
            return [f for f in super().unit_years(observations) if f["rule"] != dropped]

        def finished_units(self, before=None):
            return [f for f in super().finished_units(before) if f["rule"] != dropped]

    monkeypatch.setattr(audit_run, "Audit", EditedRules)
    monkeypatch.setattr(cache, "_audit_code_version", lambda: "edited")
    ingest([str(inbox)], out=str(out), limits=None)

    after = read_tables(out)
    assert dropped not in set(after["flags"]["rule"]) and len(after["flags"]) < len(before["flags"])
    assert set(after["flags"]["rule"]) == set(before["flags"]["rule"]) - {dropped}
    pd.testing.assert_frame_equal(after["observations"], before["observations"])
    pd.testing.assert_frame_equal(after["documents"], before["documents"])  # none failed: none was read
    # the observations' parts are as they were; the manifest records the new audit version
    assert {p.name: p.read_bytes() for p in (out / "observations.parquet").glob("*.parquet")} == observations
    with connect(out) as con:
        recorded = dict(con.execute("SELECT key, value FROM parindex_internal.manifest").fetchall())
    assert recorded["audit_version"] == cache.audit_version() and recorded["read_version"] == cache.read_version()

    # while a new read version (a reader's code changed) has every document read again
    from parindex.discover import discover
    from parindex.writer.staging import ImportBatch

    monkeypatch.setattr(cache, "read_version", lambda: "another")
    with ImportBatch(out) as batch:
        todo, unchanged = batch.plan(discover([inbox]))
    assert len(todo) == 3 and not unchanged
