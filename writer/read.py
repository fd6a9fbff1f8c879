"""Reading a written dataset: the one way every reader (parindex.load, the report, the
workbook, `parindex flags`, `parindex catalog suggest`, publish) gets at an output folder.

Before anything is read, a commit a killed run left half done is finished (`recover`),
so a reader never sees half of two datasets. Tables are read from their Parquet files
after checking them against the manifest's checksums: a missing table is an error that
names the file and says how to make it; a damaged one (not the bytes parindex wrote:
truncated, overwritten) an error that says how to repair it. SQL goes to the database,
opened read-only.
"""

from __future__ import annotations

import contextlib
import os
import pathlib

import pandas as pd

from parindex.schemas.columns import TABLES
from parindex.schemas.errors import DatasetDamaged
from parindex.writer.commit import recover
from parindex.writer.layout import DATABASE
from parindex.writer.manifest import damaged_files


def read_dataset(out_dir: str | os.PathLike) -> dict[str, pd.DataFrame]:
    """observations, flags, documents and panel of `out_dir` as DataFrames."""
    out = pathlib.Path(out_dir)
    recover(out)
    check_files(out)
    return {name: _read(out, name) for name in TABLES}


def read_table(out_dir: str | os.PathLike, name: str) -> pd.DataFrame:
    """One table of `out_dir` as a DataFrame."""
    out = pathlib.Path(out_dir)
    recover(out)
    check_files(out, name)
    return _read(out, name)


def _read(out: pathlib.Path, name: str) -> pd.DataFrame:
    path = out / f"{name}.parquet"
    if not path.exists():
        raise FileNotFoundError(f"{path}: not found (write the dataset first: parindex run PATH... --out {out})")
    try:
        return pd.read_parquet(path)
    except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError: a part cut short
        raise DatasetDamaged(
            f"{path}: cannot be read ({str(exc).splitlines()[0]}); repair the dataset with: "
            f"parindex run YOUR_REPORTS --out {out}"
        ) from exc


def check_files(out: pathlib.Path, name: str | None = None) -> None:
    """Raise DatasetDamaged when a Parquet file of the dataset (of table `name`, if
    given) is not the one its manifest recorded (the next `parindex run` into the folder
    writes such a file again)."""
    damaged = [
        rel
        for rel in damaged_files(out)
        if rel.endswith(".parquet") and (name is None or rel.split("/", 1)[0] == f"{name}.parquet")
    ]
    if damaged:
        raise DatasetDamaged(
            f"{out / damaged[0]}: damaged (not the file parindex wrote"
            + (f"; {len(damaged) - 1} more" if len(damaged) > 1 else "")
            + f"); repair the dataset with: parindex run YOUR_REPORTS --out {out}"
        )


def open_database(out_dir: str | os.PathLike):
    """A read-only DuckDB connection to the dataset's database (tables observations,
    documents, panel and the view flags); FileNotFoundError naming it if there is none."""
    import duckdb

    out = pathlib.Path(out_dir)
    recover(out)
    db = out / DATABASE
    if not db.exists():
        raise FileNotFoundError(f"{db}: not found (write the dataset first: parindex run PATH... --out {out})")
    return duckdb.connect(str(db), read_only=True)


@contextlib.contextmanager
def connect(out_dir: str | os.PathLike):
    """`open_database` for a `with` block: closed at its end."""
    con = open_database(out_dir)
    try:
        yield con
    finally:
        con.close()
