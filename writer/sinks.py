"""Sinks: the places an audited dataset is written to, behind one interface.

A sink is given a `Delivery`: SQL over the audited tables (`Tables`), what this run
changed, and, for the files of the output folder, the run's `FolderCommit`, where it
stages what it writes so that every sink's files become final together. The sinks of a
run, in order:

    ParquetParts    Parquet parts of groups of units for observations, flags and panel
                    (only the parts of changed units, or missing or damaged ones), and
                    documents.parquet
    CsvFiles        every table as one CSV, sorted, with a BOM for Excel
    DuckDBFile      the staged database itself, with its manifest; last, because the
                    manifest records the checksums of the files the others staged

`SqlDatabase` (writer/publish.py) brings a SQL database in step with a committed output
folder, in its own transaction: `parindex publish OUT --to URL` and `run --publish URL`.
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import pathlib
import shutil
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import pandas as pd

from parindex.schemas.columns import SORT_KEYS, TABLES
from parindex.writer import manifest, tables
from parindex.writer.commit import FolderCommit
from parindex.writer.layout import (
    DATABASE,
    INTERNAL,
    KEY,
    PART_TABLES,
    SCHEMA_PART,
    part_digits,
    part_name,
    part_names,
    part_sql,
    unit_keys,
)
from parindex.writer.tables import Tables, conform, in_groups, order, q, to_frame

PART_WRITERS = min(4, os.cpu_count() or 1)  # Parquet parts written at once


@dataclass
class Delivery:
    """What a sink writes: the audited dataset of `out`, as SQL (`tables`); the unit keys
    whose flags and panel were audited again (`units`) and whose observations changed
    (`observation_units`), None when any may have; the files of the folder that are not
    as the manifest recorded them (`damaged`); and the commit that makes the output
    folder's new files final (`commit`, None for a sink outside the folder)."""

    out: pathlib.Path
    tables: Tables
    units: set[str] | None = None
    observation_units: set[str] | None = None
    damaged: set[str] = field(default_factory=set)
    commit: FolderCommit | None = None


@runtime_checkable
class Sink(Protocol):
    """A place the dataset is written to. `write` brings it in step with the delivery;
    a sink that writes files of the output folder stages them in `delivery.commit`, any
    other commits on its own (all or nothing) before it returns."""

    name: str

    def write(self, delivery: Delivery) -> None: ...


class ParquetParts:
    """observations, flags and panel as folders of Parquet parts, each holding the units
    whose keys share the first digits of their digest (writer/layout.py), plus a zero-row
    part of the schema; documents as one file."""

    name = "parquet"

    def write(self, delivery: Delivery) -> None:
        out, commit, tbl = delivery.out, delivery.commit, delivery.tables
        for name in PART_TABLES:
            folder = out / f"{name}.parquet"
            if folder.is_file():  # a dataset written before parts: the whole table goes
                commit.delete(f"{name}.parquet")
            on_disk = {p.name for p in folder.glob("*.parquet")} if folder.is_dir() else set()
            # a damaged part is written again as if it were missing
            present = {p for p in on_disk if f"{name}.parquet/{p}" not in delivery.damaged}
            part_of = part_names(tbl.keys(name))
            wanted, digits = set(part_of.values()), part_digits(len(part_of))
            changed = delivery.observation_units if name == "observations" else delivery.units
            # a part is written again, whole, when a unit of it changed or left the table
            todo = (
                wanted
                if changed is None
                else {p for p in wanted if p not in present} | ({part_name(k, digits) for k in changed} & wanted)
            )
            for p in sorted(on_disk - wanted - {SCHEMA_PART}):
                commit.delete(f"{name}.parquet/{p}")
            if SCHEMA_PART not in present:
                commit.stage(
                    f"{name}.parquet/{SCHEMA_PART}", lambda p, n=name: to_frame(n, []).to_parquet(p, index=False)
                )
            keys = {k for k, p in part_of.items() if p in todo}
            with concurrent.futures.ThreadPoolExecutor(PART_WRITERS) as pool:
                # a few parts at a time, whatever the table, and never a part cut in two
                for chunk in tbl.chunks(KEY, keys, name, together=part_of):
                    self.write_parts(tbl, name, chunk, part_of, digits, commit, pool)
        docs = conform("documents", tbl.con.execute(f"SELECT * FROM documents ORDER BY {order('documents')}").df())
        commit.stage("documents.parquet", lambda p: docs.to_parquet(p, index=False))

    @staticmethod
    def write_parts(
        tbl: Tables,
        name: str,
        keys: list[str],
        part_of: dict[str, str],
        digits: int,
        commit: FolderCommit,
        pool: concurrent.futures.Executor,
    ) -> None:
        """The Parquet parts holding the unit keys `keys` (whole parts) in table `name`,
        whose parts are named by `digits` digits, streamed from DuckDB SLICE_ROWS rows at
        a time: not even a unit printed in hundreds of documents is in memory whole."""
        parts = PartWriter(name, part_of, commit, pool)
        first = f"{part_sql(digits)}, {KEY}, "  # a part's rows together, by unit
        query = tbl.query(name, KEY, keys, order_first=first)
        for batch in tbl.con.sql(query).to_arrow_reader(tables.SLICE_ROWS):
            parts.add(conform(name, batch.to_pandas()))
        parts.close()


class PartWriter:
    """Parquet parts written from a stream of slices sorted by part: the rows of one part
    go to it, row group by row group, and a part is finished (handed to the commit) when
    the next part starts. A part that starts and ends inside one slice is written by
    `pool`: pyarrow releases the GIL while it encodes and writes, so parts are written
    side by side."""

    def __init__(self, name: str, part_of: dict[str, str], commit: FolderCommit, pool: concurrent.futures.Executor):
        self.name, self.part_of, self.commit, self.pool = name, part_of, commit, pool
        self.part = self.final = self.path = self.writer = None
        self.pending: list[tuple[concurrent.futures.Future, pathlib.Path, str]] = []

    def add(self, frame: pd.DataFrame) -> None:
        """A slice of the table (its contract's columns and dtypes), sorted by part."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.parquet as pq

        # the slice is converted to Arrow once and cut where the part changes (a part's
        # rows are together): converting each unit's few rows on its own cost more than
        # writing them
        table = pa.Table.from_pandas(frame, preserve_index=False)
        parts = np.array([self.part_of[k] for k in unit_keys(frame["unit"])], dtype=object)
        starts = [0, *(np.flatnonzero(parts[1:] != parts[:-1]) + 1).tolist()]
        for start, end in zip(starts, [*starts[1:], len(parts)]):
            if start == end:
                continue
            part, rows = parts[start], table.slice(start, end - start)
            if part != self.part:
                self.close()
                final = f"{self.name}.parquet/{part}"
                if end < len(parts):  # the part ends inside this slice: it is all here
                    path = self.commit.path(final)
                    self.pending.append((self.pool.submit(pq.write_table, rows, path), path, final))
                    continue
                self.part, self.final, self.path = part, final, self.commit.path(final)
            self.writer = self.writer or pq.ParquetWriter(self.path, rows.schema)
            self.writer.write_table(rows)
        self._collect()  # at most one slice's parts in flight

    def _collect(self) -> None:
        """Wait for the parts handed to the pool, and hand them to the commit in order."""
        for future, path, final in self.pending:
            future.result()
            self.commit.done(path, final)
        self.pending = []

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.commit.done(self.path, self.final)
        self.part = self.final = self.path = self.writer = None


class CsvFiles:
    """Every table as one CSV, sorted, with the BOM Excel needs to read UTF-8."""

    name = "csv"

    def write(self, delivery: Delivery) -> None:
        for name in TABLES:
            delivery.commit.stage(f"{name}.csv", lambda p, n=name: self.export(delivery.tables, n, p))

    def export(self, tbl: Tables, name: str, path: pathlib.Path) -> None:
        """One table exported a few thousand rows at a time, in order of the table's
        first sort key, so DuckDB never sorts the whole table at once (that needed more
        than its buffer)."""
        lead = f"coalesce({q(SORT_KEYS[name][0])}, '')"  # NULL and '' both sort first
        sizes = tbl.con.execute(f"SELECT {lead}, count(*) FROM {q(name)} GROUP BY 1 ORDER BY 1").fetchall()
        raw = path.with_suffix(".raw")
        target = str(raw).replace("'", "''")
        with open(path, "wb") as f:
            f.write("\ufeff".encode("utf-8"))
            for i, chunk in enumerate(in_groups(sizes) or [[]]):
                tbl.wanted(chunk)
                tbl.con.execute(
                    f"COPY (SELECT * FROM {q(name)} WHERE {lead} IN (SELECT k FROM wanted) "
                    f"ORDER BY {order(name)}) TO '{target}' (HEADER {str(i == 0).upper()}, DELIMITER ',')"
                )
                with open(raw, "rb") as r:
                    shutil.copyfileobj(r, f, 1 << 20)
        raw.unlink()


class DuckDBFile:
    """The staged database (`path`, the file `delivery.tables` is connected to) as the
    dataset's parindex.duckdb, with its manifest: `entries` and the checksums of the
    dataset's files once this commit is applied. Closes the connection."""

    name = "duckdb"

    def __init__(self, path: pathlib.Path, entries: dict[str, str]):
        self.path, self.entries = path, entries

    def write(self, delivery: Delivery) -> None:
        con, commit = delivery.tables.con, delivery.commit
        files = manifest.checksums_after(delivery.out, con, commit.moves, commit.deletes)
        manifest.record(con, {**self.entries, "files": json.dumps(files)})
        for name in ("observations", "documents"):
            con.execute(f"DROP TABLE IF EXISTS {INTERNAL}.new_{name}")
        con.execute("CHECKPOINT")
        con.close()
        commit.done(self.path, DATABASE)


def folder_sinks(database: pathlib.Path, entries: dict[str, str]) -> list[Sink]:
    """The sinks of an output folder, in the order they must write."""
    return [ParquetParts(), CsvFiles(), DuckDBFile(database, entries)]
