"""Import batches (writer/staging.py): documents streamed into a staged copy of the
dataset, audited unit by unit, and committed so that an incremental run appends and
replaces only what it touches. These tests drive the batch with the real sample
documents read by the real stages, without Prefect."""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import shutil
import weakref
from collections import Counter

import duckdb
import pandas as pd
import pytest
from conftest import SAMPLES, read_tables, write_dataset
from hypothesis import given, settings
from hypothesis import strategies as st

from parindex.audit import AuditSettings
from parindex.discover import discover
from parindex.extractors.reading import extract_stage
from parindex.normalizer.stages import match_stage, normalize_stage
from parindex.schemas.columns import SORT_KEYS
from parindex.schemas.errors import OutputBusy
from parindex.writer import commit, layout, tables
from parindex.writer.layout import KEY, part_name, part_names, unit_keys
from parindex.writer.sinks import CsvFiles
from parindex.writer.staging import ImportBatch
from parindex.writer.tables import YEARS, Tables, in_groups

FIRST = ("001_af3bdc7e3d446662.docx", "002_08e6fc9df459596f.docx", "004_0dbbb814e2b5b046.html")
LATER = ("000_65e2608f2289fc53.pdf", "003_bcf6dc032df3fdf9.pdf")


@pytest.fixture(scope="module")
def inbox(tmp_path_factory):
    """The five samples in one folder, and each one's result read by the real stages."""
    root = tmp_path_factory.mktemp("inbox")
    for f in FIRST + LATER:
        shutil.copy(SAMPLES / f, root / f)
    sources = discover([root])
    results = {s.path: match_stage(normalize_stage(extract_stage(s, None))) for s in sources}
    return {"sources": sources, "results": results}


def run(out, inbox, names, settings=None) -> ImportBatch:
    """What the flow does: plan over every source named, add the ones to read, finish."""
    sources = [s for s in inbox["sources"] if s.path.rsplit("/", 1)[-1] in names]
    with ImportBatch(out, settings) as b:
        todo, _ = b.plan(sources)
        for src in todo:
            b.keep(copy.deepcopy(inbox["results"][src.path]))
        b.finish()
    return b


def sorted_tables(out) -> dict[str, pd.DataFrame]:
    return {n: df.sort_values(list(SORT_KEYS[n])).reset_index(drop=True) for n, df in read_tables(out).items()}


def stamps(folder) -> dict[str, tuple[int, int]]:
    """Every file of a dataset with its inode and modification time."""
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file() and ".cache" not in p.parts
    }


def assert_same_tables(a, b) -> None:
    for name in ("observations", "flags", "documents", "panel"):
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)


def test_one_batch_writes_parts_of_units_csv_and_the_database(tmp_path, inbox):
    run(tmp_path / "out", inbox, FIRST + LATER)
    out = tmp_path / "out"
    t = read_tables(out)
    assert len(t["observations"]) == 509 and len(t["flags"]) == 71 and len(t["documents"]) == 5
    ba_to = t["observations"][t["observations"]["unit"] == "Ba Tơ"]
    part = pd.read_parquet(out / "observations.parquet" / part_name("Ba Tơ", 1))
    in_part = part[part["unit"] == "Ba Tơ"].reset_index(drop=True)
    assert len(ba_to) == 219 and in_part.equals(ba_to.reset_index(drop=True))
    assert set(part_names(unit_keys(part["unit"])).values()) == {part_name("Ba Tơ", 1)}
    assert str(part["score"].dtype) == "Float64" and str(part["year"].dtype) == "Int64"
    csv = pd.read_csv(out / "observations.csv", encoding="utf-8-sig")
    assert len(csv) == 509 and csv.columns[0] == "document_id"
    con = duckdb.connect(str(out / "parindex.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM flags WHERE rule = 'sum_mismatch'").fetchone()[0] == 23
    con.close()


def test_adding_documents_appends_and_equals_a_fresh_import(tmp_path, inbox):
    run(tmp_path / "inc", inbox, FIRST)
    before = stamps(tmp_path / "inc")
    later = run(tmp_path / "inc", inbox, FIRST + LATER)
    assert later.observation_units == {"Ba Tơ", "Tam Đường"}  # the units of the two new PDFs
    run(tmp_path / "fresh", inbox, FIRST + LATER)
    assert_same_tables(sorted_tables(tmp_path / "inc"), sorted_tables(tmp_path / "fresh"))
    after = stamps(tmp_path / "inc")
    untouched = [p for p in before if p.startswith(("observations.parquet/", "panel.parquet/"))]
    assert len(untouched) >= 4 and all(after[p] == before[p] for p in untouched)  # parts kept, not rewritten
    written = {p for p in after if before.get(p) != after[p] and p.endswith(".parquet") and "/" in p}
    assert written == {
        f"{t}.parquet/{part_name(u, 1)}" for t in ("observations", "flags", "panel") for u in ("Ba Tơ", "Tam Đường")
    }


def test_an_unchanged_rerun_reads_and_writes_nothing(tmp_path, inbox):
    out = tmp_path / "out"
    run(out, inbox, FIRST + LATER)
    before = stamps(out)
    with ImportBatch(out) as b:
        todo, unchanged = b.plan(inbox["sources"])
        assert todo == [] and len(unchanged) == 5 and not b.changed
        b.finish()
    assert stamps(out) == before


def test_small_slices_and_chunks_give_the_same_dataset(tmp_path, inbox, monkeypatch):
    run(tmp_path / "big", inbox, FIRST + LATER)
    monkeypatch.setattr(tables, "SLICE_ROWS", 1)
    monkeypatch.setattr(tables, "CHUNK_ROWS", 1)
    run(tmp_path / "small", inbox, FIRST + LATER)
    assert_same_tables(sorted_tables(tmp_path / "small"), sorted_tables(tmp_path / "big"))


def record_queries(monkeypatch) -> list[tuple[str, str, list]]:
    """Every selection the writer makes from now on: (table, column, the keys selected)."""
    read = []
    query = Tables.query
    monkeypatch.setattr(
        Tables,
        "query",
        lambda self, name, column, keys, **more: (
            read.append((name, column, list(keys))),
            query(self, name, column, keys, **more),
        )[1],
    )
    return read


def test_every_table_is_written_a_few_units_at_a_time(tmp_path, inbox, monkeypatch):
    # no table is read whole into memory to write its parts: memory stays flat in the archive
    monkeypatch.setattr(tables, "CHUNK_ROWS", 1)
    read = record_queries(monkeypatch)
    run(tmp_path / "out", inbox, FIRST + LATER)
    written = [(name, len(keys)) for name, column, keys in read if column == KEY]
    assert {"observations", "flags", "panel"} <= {name for name, _ in written}
    # one part at a time (the samples' five units lie in five parts)
    parts = part_names(read_tables(tmp_path / "out")["panel"]["unit"])
    assert len(set(parts.values())) == len(parts) == 5 and max(n for _, n in written) == 1
    assert sum(1 for name, _ in written if name == "panel") == len(parts)
    # and audited one year of one unit at a time
    years = [len(keys) for name, column, keys in read if column == YEARS]
    assert len(years) > len(set(read_tables(tmp_path / "out")["panel"]["unit"])) and max(years) == 1


def test_a_part_is_converted_and_written_a_slice_at_a_time(tmp_path, inbox, monkeypatch):
    # a unit printed in hundreds of documents is never one DataFrame: its part is
    # written SLICE_ROWS rows at a time, one row group each, and reads back whole. A part
    # that lies whole inside one slice is written by the sink's threads instead: the big
    # run writes every part that way, so each way is checked against the other
    import pyarrow.parquet as pq

    run(tmp_path / "big", inbox, FIRST + LATER)
    monkeypatch.setattr(tables, "SLICE_ROWS", 7)
    run(tmp_path / "small", inbox, FIRST + LATER)
    parts = sorted((tmp_path / "small" / "observations.parquet").glob("units-*.parquet"))
    groups = [
        [pq.ParquetFile(p).metadata.row_group(i).num_rows for i in range(pq.ParquetFile(p).num_row_groups)]
        for p in parts
    ]
    assert max(len(g) for g in groups) > 1 and all(n <= 7 for g in groups for n in g)
    assert all(
        pq.ParquetFile(p).num_row_groups == 1 for p in (tmp_path / "big" / "observations.parquet").glob("units-*")
    )
    for p in parts:
        assert pd.read_parquet(p).equals(pd.read_parquet(tmp_path / "big" / "observations.parquet" / p.name))


class Rows(list):
    """A list that can be weakly referenced."""


def test_no_chunk_is_alive_when_the_next_is_fetched(tmp_path, inbox, monkeypatch):
    # a loop that keeps the previous chunk in a local while fetching the next holds two
    # chunks at a time: at 10,000 documents that doubled the audit's memory
    monkeypatch.setattr(tables, "CHUNK_ROWS", 1)
    alive, fetched = [], []
    select_records = Tables.select_records

    def spy_records(self, name, column, keys):
        still = [k for k, ref in alive if ref() is not None]
        assert not still, f"{column}: earlier chunks still in memory: {still}"
        rows = Rows(select_records(self, name, column, keys))
        alive.append((f"{column} rows", weakref.ref(rows)))
        fetched.append(column)
        return rows

    monkeypatch.setattr(Tables, "select_records", spy_records)
    run(tmp_path / "out", inbox, FIRST + LATER)
    # both kinds of chunk were fetched more than once, so each was checked against an earlier one
    counts = Counter(fetched)
    assert counts["document_id"] > 1 and counts[YEARS] > 1, counts


@pytest.mark.parametrize("chunk_rows", [1, 40_000])
def test_a_max_that_changes_between_years_audited_apart_is_flagged(tmp_path, inbox, monkeypatch, chunk_rows):
    # a unit's years are audited a few at a time; max_change still compares them all
    monkeypatch.setattr(tables, "CHUNK_ROWS", chunk_rows)
    cid = "PAR_INDEX.par-district-laichau-2023.1"  # one catalog version for 2022-2023, max 13.5
    base = inbox["results"][next(s.path for s in inbox["sources"] if s.path.endswith(FIRST[0]))]
    results = []
    for year, printed_max in ((2022, 13.5), (2023, 12.0)):
        r = copy.deepcopy(base)
        digest = hashlib.sha256(f"{r.source.sha256}{year}".encode()).hexdigest()
        r.source = dataclasses.replace(r.source, path=f"{r.source.path}.{year}", sha256=digest, document_id=digest[:16])
        for o in r.observations:
            o.update(
                source=r.source.path, document_id=r.source.document_id, year=year, unit="Tam Đường", province="Lai Châu"
            )
            if o.get("code") == "1":
                o.update(criterion_id=cid, max_score=printed_max)
        results.append(r)
    with ImportBatch(tmp_path / "out") as b:
        todo, _ = b.plan([r.source for r in results])
        for r in results:
            b.keep(r)
        b.finish()
    flags = read_tables(tmp_path / "out")["flags"]
    changed = flags[flags["rule"] == "max_change"]
    assert [(f.expected, f.found, f.year) for f in changed.itertuples()] == [("13.5", "12", 2023)]


def test_units_are_grouped_up_to_the_chunk_size_and_a_bigger_unit_alone():
    # a chunk never holds a big unit on top of others: memory is bounded by the larger of the two
    sizes = [("a", 20), ("b", 20), ("c", 100), ("d", 10), ("e", 10)]
    assert in_groups(sizes, rows=50) == [["a", "b"], ["c"], ["d", "e"]]
    assert in_groups([], rows=50) == []


def test_csvs_are_exported_a_few_rows_at_a_time_in_the_tables_order(tmp_path, inbox, monkeypatch):
    # no table is sorted whole for its CSV: that needed more than DuckDB's buffer at 10,000 documents
    monkeypatch.setattr(tables, "CHUNK_ROWS", 1)
    exporting, groups = [], {}
    export, wanted = CsvFiles.export, Tables.wanted

    def spy_export(self, tbl, name, path):
        exporting.append(name)
        export(self, tbl, name, path)
        exporting.pop()

    def spy_wanted(self, keys):
        if exporting:
            groups.setdefault(exporting[-1], []).append(list(keys))
        wanted(self, keys)

    monkeypatch.setattr(CsvFiles, "export", spy_export)
    monkeypatch.setattr(Tables, "wanted", spy_wanted)
    out = tmp_path / "out"
    run(out, inbox, FIRST + LATER)
    con = duckdb.connect(str(out / "parindex.duckdb"), read_only=True)
    for name in ("observations", "flags", "documents", "panel"):
        lead = SORT_KEYS[name][0]
        distinct = con.execute(f"SELECT count(DISTINCT coalesce({lead}, '')) FROM {name}").fetchone()[0]
        assert [len(g) for g in groups[name]] == [1] * distinct, name  # one first-key value per export
        whole = tmp_path / f"{name}.whole.csv"
        order = ", ".join(f'"{c}" NULLS FIRST' for c in SORT_KEYS[name])
        con.execute(f"COPY (SELECT * FROM {name} ORDER BY {order}) TO '{whole}' (HEADER, DELIMITER ',')")
        assert (out / f"{name}.csv").read_bytes() == "\ufeff".encode() + whole.read_bytes(), name
    con.close()
    assert groups["observations"][0] < groups["observations"][-1]


def test_new_audit_settings_reaudit_every_unit_without_reading(tmp_path, inbox):
    out = tmp_path / "out"
    run(out, inbox, FIRST + LATER)
    before = stamps(out)
    settings = AuditSettings()
    settings.enabled["conflict"] = False
    with ImportBatch(out, settings) as b:
        todo, _ = b.plan(inbox["sources"])
        assert todo == [] and b.changed  # nothing to read, but the flags are redone
        b.finish()
    flags = read_tables(out)["flags"]
    assert len(flags) == 71 - 32 and "conflict" not in set(flags["rule"])
    after = stamps(out)
    assert all(after[p] == before[p] for p in before if p.startswith("observations.parquet/"))


def test_a_replaced_file_replaces_only_its_rows(tmp_path, inbox):
    out = tmp_path / "out"
    run(out, inbox, FIRST + LATER)
    edited = copy.deepcopy(inbox["results"][next(s.path for s in inbox["sources"] if s.path.endswith(LATER[1]))])
    edited.observations = [o for o in edited.observations if o["code"] != "TOTAL"]
    with ImportBatch(out) as b:
        b.plan([edited.source])
        b.keep(edited)
        b.finish()
    obs = read_tables(out)["observations"]
    assert len(obs) == 509 - 64 + edited.observation_count
    assert not ((obs["source"] == edited.source.path) & (obs["code"] == "TOTAL")).any()
    assert (obs["unit"] == "Ba Tơ").sum() == 219


def _a_unit_in_the_part_of(unit: str) -> str:
    """A made-up unit name whose Parquet part is `unit`'s."""
    return next(n for i in range(1000) if part_name(n := f"Đơn vị thử {i}", 1) == part_name(unit, 1))


def test_a_unit_that_leaves_a_shared_part_leaves_its_other_units_as_they_were(tmp_path, inbox):
    # a document about a made-up unit that shares Ba Tơ's part is imported, then replaced
    # by a version without it: the part is written again with Ba Tơ's rows only, every
    # other part is left as it was, and the dataset equals one that never had the unit
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    guest = _a_unit_in_the_part_of("Ba Tơ")
    path = next(s.path for s in inbox["sources"] if s.path.endswith(LATER[1]))  # Tam Đường's
    moved = copy.deepcopy(inbox["results"][path])
    for o in moved.observations:
        o["unit"] = guest
    run(out, inbox, FIRST + LATER[:1])  # Ba Tơ's among them
    with ImportBatch(out) as b:
        b.plan([moved.source])
        b.keep(moved)
        b.finish()
    assert set(pd.read_parquet(out / "observations.parquet" / part_name("Ba Tơ", 1))["unit"]) == {"Ba Tơ", guest}
    before = stamps(out)
    with ImportBatch(out) as b:
        b.plan([moved.source])
        b.keep(copy.deepcopy(inbox["results"][path]))  # the document as it was printed
        b.finish()
    after = stamps(out)
    rewritten = {p for p in after if p.startswith("observations.parquet/") and before.get(p) != after[p]}
    assert rewritten == {f"observations.parquet/{part_name(u, 1)}" for u in ("Ba Tơ", "Tam Đường")}
    assert set(pd.read_parquet(out / "observations.parquet" / part_name("Ba Tơ", 1))["unit"]) == {"Ba Tơ"}
    run(fresh, inbox, FIRST + LATER)
    assert_same_tables(sorted_tables(out), sorted_tables(fresh))
    for name in ("observations", "flags", "panel"):
        assert {p.name for p in (out / f"{name}.parquet").iterdir()} == {
            p.name for p in (fresh / f"{name}.parquet").iterdir()
        }


def test_a_part_of_two_units_is_read_in_one_query_and_written_once_even_a_row_at_a_time(tmp_path, inbox, monkeypatch):
    # Ba Tơ and a made-up unit share a part: however small the chunks and slices, the
    # part's rows come in one query (the part is never cut in two, which would write
    # its file twice) and the part holds every row of both units
    guest = _a_unit_in_the_part_of("Ba Tơ")
    path = next(s.path for s in inbox["sources"] if s.path.endswith(LATER[1]))
    moved = copy.deepcopy(inbox["results"][path])
    for o in moved.observations:
        o["unit"] = guest
    results = {**inbox["results"], path: moved}
    monkeypatch.setitem(inbox, "results", results)
    run(tmp_path / "big", inbox, FIRST + LATER)
    monkeypatch.setattr(tables, "CHUNK_ROWS", 1)
    monkeypatch.setattr(tables, "SLICE_ROWS", 1)
    read = record_queries(monkeypatch)
    run(tmp_path / "small", inbox, FIRST + LATER)
    observations = [sorted(keys) for name, column, keys in read if name == "observations" and column == KEY]
    assert sorted(["Ba Tơ", guest]) in observations and max(len(k) for k in observations) == 2
    part = pd.read_parquet(tmp_path / "small" / "observations.parquet" / part_name("Ba Tơ", 1))
    assert part["unit"].value_counts().to_dict() == {"Ba Tơ": 219, guest: 64}
    assert part.equals(pd.read_parquet(tmp_path / "big" / "observations.parquet" / part_name("Ba Tơ", 1)))


def test_a_file_is_written_once_in_a_commit(tmp_path):
    folder = commit.FolderCommit(tmp_path / "out", tmp_path / "staging")
    folder.path("observations.parquet/units-7.parquet")
    with pytest.raises(RuntimeError, match="units-7.parquet: written twice in one run"):
        folder.path("observations.parquet/units-7.parquet")


def test_parts_are_named_by_one_more_digit_as_a_table_outgrows_them(tmp_path, inbox, monkeypatch):
    assert [layout.part_digits(n) for n in (0, 1, 1024, 1025, 16_384, 16_385)] == [1, 1, 1, 2, 2, 3]
    out = tmp_path / "out"
    run(out, inbox, FIRST + LATER)
    before = sorted_tables(out)
    monkeypatch.setattr(layout, "UNITS_PER_PART", 0.1)  # five units: over 0.1 x 16 per part
    assert layout.part_digits(5) == 2
    with ImportBatch(out) as b:
        todo, _ = b.plan(inbox["sources"])
        assert not todo and b.changed  # nothing to read, every part to be named anew
        b.finish()
    for name in ("observations", "flags", "panel"):
        names = {p.name for p in (out / f"{name}.parquet").iterdir()}
        assert names == {"00-schema.parquet"} | {part_name(u, 2) for u in unit_keys(before[name]["unit"])}
        assert all(len(n) == len("units-7f.parquet") for n in names - {"00-schema.parquet"})
    assert_same_tables(sorted_tables(out), before)


@given(st.text(max_size=40), st.integers(1, 4))
@settings(max_examples=200, deadline=None)
def test_sql_files_a_unit_key_in_the_part_python_names(key, digits):
    con = duckdb.connect()
    in_sql = con.execute(f"SELECT {layout.part_sql(digits)} FROM (SELECT ? AS unit)", [key]).fetchone()[0]
    assert layout.part_name(key, digits) == f"units-{in_sql}.parquet"


def test_a_second_run_on_the_same_folder_is_refused(tmp_path):
    with ImportBatch(tmp_path / "out"):
        with pytest.raises(OutputBusy, match="another parindex run is writing"):
            with ImportBatch(tmp_path / "out"):
                pass


def test_a_failed_batch_leaves_the_previous_dataset_and_no_staged_files(tmp_path, inbox, monkeypatch):
    out = tmp_path / "out"
    run(out, inbox, FIRST)
    before = sorted_tables(out)

    def disk_full(self, tbl, name, path):
        raise OSError("disk full")

    monkeypatch.setattr(CsvFiles, "export", disk_full)
    with pytest.raises(OSError, match="disk full"):
        run(out, inbox, FIRST + LATER)
    assert_same_tables(sorted_tables(out), before)
    assert not list(out.glob(".staged-*")) and not (out / commit.JOURNAL).exists()


def test_a_dataset_of_single_files_is_converted_to_parts(tmp_path, inbox):
    """An output folder written by parindex before parts: whole-table Parquet files and a
    flags table in the database. The next run keeps its rows and writes parts."""
    out = tmp_path / "out"
    run(out, inbox, FIRST)
    tables = read_tables(out)
    for name in ("observations", "flags", "panel"):
        shutil.rmtree(out / f"{name}.parquet")
    write_dataset(out, tables)
    con = duckdb.connect(str(out / "parindex.duckdb"))
    con.execute("DROP VIEW flags")
    con.execute("DROP SCHEMA parindex_internal CASCADE")
    con.register("frame", tables["flags"])
    con.execute("CREATE TABLE flags AS SELECT * FROM frame")
    con.close()
    assert (out / "observations.parquet").is_file()
    run(out, inbox, FIRST + LATER)
    assert (out / "observations.parquet").is_dir()
    run(tmp_path / "fresh", inbox, FIRST + LATER)
    assert_same_tables(sorted_tables(out), sorted_tables(tmp_path / "fresh"))


def test_a_dataset_of_one_part_per_unit_is_written_again_in_parts_of_units(tmp_path, inbox):
    """An output folder written when each unit had its own part (unit-<16 hex>.parquet):
    the next run, with nothing to read, writes the parts of units and leaves no old part."""
    out = tmp_path / "out"
    run(out, inbox, FIRST + LATER)
    before = sorted_tables(out)
    for name in ("observations", "flags", "panel"):
        folder = out / f"{name}.parquet"
        table = pd.read_parquet(folder)
        for part in folder.glob("units-*.parquet"):
            part.unlink()
        for unit, rows in table.groupby(unit_keys(table["unit"])):
            old = f"unit-{hashlib.md5(unit.encode('utf-8')).hexdigest()[:16]}.parquet"
            rows.to_parquet(folder / old, index=False)
    with ImportBatch(out) as b:
        todo, _ = b.plan(inbox["sources"])
        assert not todo and b.changed
        b.finish()
    for name in ("observations", "flags", "panel"):
        names = {p.name for p in (out / f"{name}.parquet").iterdir()}
        assert names == {"00-schema.parquet"} | set(part_names(unit_keys(before[name]["unit"])).values())
    assert_same_tables(sorted_tables(out), before)


def test_every_sink_speaks_the_one_protocol_and_one_of_ones_own_plugs_in(tmp_path, inbox):
    from parindex.schemas.columns import TABLES
    from parindex.writer.publish import SqlDatabase
    from parindex.writer.read import connect
    from parindex.writer.sinks import Delivery, DuckDBFile, ParquetParts, Sink

    for sink in (ParquetParts(), CsvFiles(), DuckDBFile(tmp_path / "x.duckdb", {}), SqlDatabase("sqlite://")):
        assert isinstance(sink, Sink), sink

    class RowCounts:  # a sink of one's own, given a committed dataset as `parindex publish` gives it
        name = "row-counts"

        def write(self, delivery: Delivery) -> None:
            con = delivery.tables.con
            self.rows = {n: con.execute(f"SELECT count(*) FROM {n}").fetchone()[0] for n in TABLES}

    out = tmp_path / "out"
    run(out, inbox, FIRST)
    sink = RowCounts()
    with connect(out) as con:
        sink.write(Delivery(out=out, tables=Tables(con)))
    assert isinstance(sink, Sink)
    assert sink.rows == {n: len(df) for n, df in read_tables(out).items()}
