"""The output folder: what a dataset's files are called, which unit a row is filed under,
and which folders a run may write to (see README "Output").

    parindex.duckdb             the store of record: tables observations, documents, panel
                                and the view flags (internal tables in schema
                                parindex_internal, the manifest among them)
    observations.parquet/       Parquet parts of a group of units each (units-<digits>.parquet),
    flags.parquet/              plus a zero-row 00-schema.parquet, so pandas, pyarrow and
    panel.parquet/              DuckDB read each folder as one table
    documents.parquet           one file, one row per document
    *.csv                       every table as one CSV (UTF-8 with BOM, for Excel)
    .cache/                     documents read, by the code that read them (writer/cache.py)

The unit key
------------
A row of observations, flags or panel is filed under its unit's key: the `unit` column
as written (the normalizer's canonical name), '' for a row without a unit. The key cuts
the audit into chunks (a unit's years are audited together), files the row into its
Parquet part, and says which parts a change rewrites. SQL spells it `KEY`, Python
`unit_keys(frame["unit"])`; both must give the same string for the same row.

The parts
---------
A unit's rows lie in the part named by the first hex digits of the MD5 digest of its key
(`units-3.parquet`, `units-3f.parquet`): one digit (16 parts at most) until a table holds
more than UNITS_PER_PART units per possible part, then two (256), and so on: a ranking
of a province's communes is a few files, not one per commune, and a change rewrites only
the parts that hold the units it touches. When the number of digits changes (a
table grows past 1,024 units), every part of that table is written again under its new
name. SQL spells a row's part `part_sql(digits)`, Python `part_name(key, digits)`.
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
PART_TABLES = ("observations", "flags", "panel")  # written as Parquet parts of groups of units
SCHEMA_PART = "00-schema.parquet"

KEY = "coalesce(unit, '')"  # the unit key in SQL
UNITS_PER_PART = 64  # units in a part, on average, before parts are named by one more digit
YEAR = "coalesce(year, -1)"  # a row's year in SQL; -1 for rows without one

# names only parindex puts in an output folder: one of them marks a folder as a dataset
DATASET_MARKERS = {DATABASE, LOCK, JOURNAL, CACHE_DIR, "documents.parquet"}


def unit_keys(units):
    """The unit keys of a pandas Series of `unit` values (as SQL's KEY gives them)."""
    return units.fillna("")


def part_digits(units: int) -> int:
    """How many hex digits of a unit key's digest name its part in a table of `units`
    unit keys: one, or more while the table has over UNITS_PER_PART units per part."""
    digits = 1
    while units > UNITS_PER_PART * 16**digits:
        digits += 1
    return digits


def part_name(key: str, digits: int) -> str:
    """The file name of the Parquet part that holds the unit whose key is `key`."""
    return f"units-{hashlib.md5(key.encode('utf-8')).hexdigest()[:digits]}.parquet"


def part_names(keys) -> dict[str, str]:
    """The part of each unit key of a table whose unit keys are `keys`."""
    keys = set(keys)
    digits = part_digits(len(keys))
    return {k: part_name(k, digits) for k in keys}


def part_sql(digits: int) -> str:
    """A row's part in SQL, as part_name gives it without the file name's frame: DuckDB's
    md5 is the lowercase hex digest of the UTF-8 bytes, as hashlib's."""
    return f"substr(md5({KEY}), 1, {int(digits)})"


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
