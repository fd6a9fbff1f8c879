"""The output folder is parindex's, and it heals (writer/staging.py): a folder of other
files is refused, so is an input folder; a truncated Parquet part is found by the
manifest's checksums and written again; a damaged parindex.duckdb is rebuilt from the
Parquet copies, or the run is refused with the command that repairs it."""

from __future__ import annotations

import copy

import duckdb
import pandas as pd
import pytest
from conftest import SAMPLES, read_tables

from parindex.cli import main
from parindex.discover import discover
from parindex.extractors.reading import extract_stage
from parindex.normalizer.stages import match_stage, normalize_stage
from parindex.schemas.columns import SORT_KEYS
from parindex.schemas.errors import DatasetDamaged, OutputNotOurs
from parindex.writer.layout import DATABASE
from parindex.writer.staging import ImportBatch

NAMES = ("001_af3bdc7e3d446662.docx", "002_08e6fc9df459596f.docx", "004_0dbbb814e2b5b046.html")


@pytest.fixture(scope="module")
def read():
    sources = [s for s in discover([SAMPLES]) if s.path.rsplit("/", 1)[-1] in NAMES]
    return sources, {s.path: match_stage(normalize_stage(extract_stage(s, None))) for s in sources}


def run(out, read) -> ImportBatch:
    sources, results = read
    with ImportBatch(out) as b:
        todo, _ = b.plan(sources)
        for src in todo:
            b.keep(copy.deepcopy(results[src.path]))
        b.finish()
    return b


def tables(out) -> dict[str, pd.DataFrame]:
    return {n: df.sort_values(list(SORT_KEYS[n])).reset_index(drop=True) for n, df in read_tables(out).items()}


def assert_same(a, b) -> None:
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)


def test_a_folder_of_other_files_is_refused_and_left_alone(tmp_path, read):
    out = tmp_path / "thesis"
    out.mkdir()
    (out / "observations.csv").write_text("mine")  # another tool's table, at a name a run writes
    with pytest.raises(OutputNotOurs, match="not a parindex dataset"):
        run(out, read)
    assert [p.name for p in out.iterdir()] == ["observations.csv"]


def test_other_files_a_run_would_not_write_stay_untouched_beside_the_dataset(tmp_path, read):
    out = tmp_path / "out"
    out.mkdir()
    (out / "run.log").write_text("the run's own log")  # `parindex run … --out out > out/run.log`
    run(out, read)
    assert (out / "run.log").read_text() == "the run's own log"
    assert (out / "parindex.duckdb").exists()
    run(out, read)  # and again, once the folder is a dataset
    assert (out / "run.log").read_text() == "the run's own log"


def test_the_cli_refuses_an_input_folder_as_output_in_one_line(tmp_path, capsys):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "report.txt").write_text("Chỉ số CCHC")
    assert main(["run", str(inbox), "--out", str(inbox)]) == 2
    err = capsys.readouterr().err
    assert "also an input folder" in err and len(err.strip().splitlines()) == 1
    assert [p.name for p in inbox.iterdir()] == ["report.txt"]


def test_a_truncated_part_is_not_unchanged_and_is_written_again(tmp_path, read):
    out = tmp_path / "out"
    run(out, read)
    before = tables(out)
    part = sorted((out / "observations.parquet").glob("units-*.parquet"))[0]
    part.write_bytes(part.read_bytes()[:200])
    with ImportBatch(out) as b:
        todo, _ = b.plan(read[0])
        assert not todo and b.changed  # nothing to read, but the dataset to repair
        b.finish()
    assert_same(tables(out), before)


def test_a_damaged_database_is_rebuilt_from_the_parquet_copies(tmp_path, read):
    out = tmp_path / "out"
    run(out, read)
    before = tables(out)
    (out / DATABASE).write_bytes(b"not a database" * 1000)
    run(out, read)
    assert_same(tables(out), before)
    con = duckdb.connect(str(out / DATABASE), read_only=True)
    assert con.execute("SELECT count(*) FROM observations").fetchone()[0] == len(before["observations"])
    assert con.execute("SELECT count(*) FROM flags").fetchone()[0] == len(before["flags"])


def test_a_damaged_database_without_copies_is_refused_with_the_repair_command(tmp_path, read):
    out = tmp_path / "out"
    run(out, read)
    (out / DATABASE).write_bytes(b"not a database" * 1000)
    (out / "documents.parquet").write_bytes(b"PAR1 truncated")
    with pytest.raises(DatasetDamaged, match=r"mv .* && parindex run .* --out"):
        run(out, read)
    assert (out / DATABASE).read_bytes().startswith(b"not a database")


def test_a_deleted_database_is_rebuilt_and_earlier_imports_are_kept(tmp_path, read):
    out = tmp_path / "out"
    run(out, read)
    before = tables(out)
    (out / DATABASE).unlink()
    sources, results = read
    with ImportBatch(out) as b:  # a later run over one of the files only
        todo, _ = b.plan(sources[:1])
        for src in todo:
            b.keep(copy.deepcopy(results[src.path]))
        b.finish()
    assert_same(tables(out), before)


def test_a_part_overwritten_with_the_same_size_is_found_by_its_checksum(tmp_path, read):
    out = tmp_path / "out"
    run(out, read)
    before = tables(out)
    part = sorted((out / "observations.parquet").glob("units-*.parquet"))[0]
    data = bytearray(part.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one byte flipped, the size kept
    part.write_bytes(bytes(data))
    with ImportBatch(out) as b:
        todo, _ = b.plan(read[0])
        assert not todo and b.changed
        b.finish()
    assert_same(tables(out), before)
    assert part.read_bytes() != bytes(data)


def test_a_run_stopped_inside_its_commit_finishes_it_before_its_staged_files_go(tmp_path, read, monkeypatch):
    from parindex.writer import commit as store

    out = tmp_path / "out"
    real_recover = store.recover
    calls = {"n": 0}

    def interrupted_once(out_dir):  # Ctrl-C right after the journal was written
        calls["n"] += 1
        if calls["n"] == 2 and (out / store.JOURNAL).exists():
            raise KeyboardInterrupt
        return real_recover(out_dir)

    monkeypatch.setattr(store, "recover", interrupted_once)
    with pytest.raises(KeyboardInterrupt):
        run(out, read)
    monkeypatch.setattr(store, "recover", real_recover)
    assert not (out / store.JOURNAL).exists() and not list(out.glob(".staged-*"))
    assert len(tables(out)["documents"]) == 3


def test_report_export_and_load_of_a_damaged_part_say_how_to_repair_it(tmp_path, read, capsys):
    import parindex

    out = tmp_path / "out"
    run(out, read)
    part = sorted((out / "observations.parquet").glob("units-*.parquet"))[0]
    part.write_bytes(part.read_bytes()[:200])
    with pytest.raises(
        DatasetDamaged, match=f"damaged .*repair the dataset with: parindex run YOUR_REPORTS --out {out}"
    ):
        parindex.load(out)
    for command in (["report", str(out)], ["export", str(out), "--xlsx", str(tmp_path / "x.xlsx")]):
        assert main(command) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"parindex: {part}: damaged") and len(err.strip().splitlines()) == 1
    run(out, read)  # the next run writes it again
    assert len(parindex.load(out).observations) == len(read_tables(out)["observations"])
