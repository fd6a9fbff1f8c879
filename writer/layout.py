"""The output folder: what a dataset's files are called, which unit a row is filed under,
and which folders a run may write to (see README "Output").

    parindex.duckdb             the store of record: tables observations, documents, panel
                                and the view flags (internal tables in schema
                                parindex_internal, the manifest among them)
    observations.parquet/       one Parquet part per unit (unit-<hash>.parquet), plus a
    flags.parquet/              zero-row 00-schema.parquet, so pandas, pyarrow and DuckDB
    panel.parquet/              read each folder as one table
    documents.parquet           one file, one row per document
    *.csv                       every table as one CSV (UTF-8 with BOM, for Excel)
    .cache/                     documents read, by the code that read them (writer/cache.py)

The unit key
------------
A row of observations, flags or panel is filed under its unit's key: the `unit` column
as written (the normalizer's canonical name), '' for a row without a unit. The key names
the row's Parquet part (`part_name`), cuts the audit into chunks (a unit's years are
audited together), and says which parts a change rewrites. SQL spells it `KEY`, Python
`unit_keys(frame["unit"])`; both must give the same string for the same row.
"""

from __future__ import annotations

import hashlib
import os
import pathlib

from parindex.schemas.columns import TABLES
from parindex.writer.commit import JOURNAL, LOCK

DATABASE = "parindex.duckdb"
INTERNAL = "parindex_internal"  # schema of the database's tables that are not the dataset's
CACHE_DIR = ".cache"
PART_TABLES = ("observations", "flags", "panel")  # one Parquet part per unit
SCHEMA_PART = "00-schema.parquet"

KEY = "coalesce(unit, '')"  # the unit key in SQL
YEAR = "coalesce(year, -1)"  # a row's year in SQL; -1 for rows without one

# names only parindex puts in an output folder: one of them marks a folder as a dataset
DATASET_MARKERS = {DATABASE, LOCK, JOURNAL, CACHE_DIR, "documents.parquet"}


def unit_keys(units):
    """The unit keys of a pandas Series of `unit` values (as SQL's KEY gives them)."""
    return units.fillna("")


def part_name(key: str) -> str:
    """The file name of the Parquet part of the unit whose key is `key`."""
    return f"unit-{hashlib.md5(key.encode('utf-8')).hexdigest()[:16]}.parquet"


def dataset_files(out: str | os.PathLike) -> dict[str, str]:
    """The dataset's tables (Parquet) and database in `out`."""
    out = pathlib.Path(out)
    return {**{n: str(out / f"{n}.parquet") for n in TABLES}, "duckdb": str(out / DATABASE)}


def written_names() -> set[str]:
    """The names a run writes at the top of its output folder."""
    return {f"{n}.parquet" for n in TABLES} | {f"{n}.csv" for n in TABLES} | DATASET_MARKERS


def check_output_folder(out: str | os.PathLike, inputs: list[str | os.PathLike] = ()) -> None:
    """An output folder is parindex's: new, empty, or holding a parindex dataset, and
    none of the input folders (a dataset in an input folder would hide the reports added
    there later: discovery skips a folder that holds a dataset). Raises OutputNotOurs
    naming the folder and what to do."""
    from parindex.schemas.errors import OutputNotOurs

    out = pathlib.Path(out)
    for p in inputs:
        if pathlib.Path(p).is_dir() and out.exists() and os.path.samefile(p, out):
            raise OutputNotOurs(f"{out}: the output folder is also an input folder; give --out another folder")
    if not out.exists():
        return
    if not out.is_dir():
        raise OutputNotOurs(f"{out}: not a folder; give --out a new or empty folder")
    names = set(os.listdir(out))
    if names & DATASET_MARKERS:
        return
    # Another tool's files that parindex would overwrite are refused; any other file (the
    # run's own log: `parindex run … --out D > D/run.log`) is left where it is, untouched
    taken = sorted(names & written_names())
    if taken:
        raise OutputNotOurs(
            f"{out}: holds files that are not a parindex dataset ({taken[0]}"
            f"{', ...' if len(taken) > 1 else ''}), which a run would overwrite; "
            f"give --out a new or empty folder"
        )
