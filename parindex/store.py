"""Write the dataset: four tables as Parquet and CSV plus one DuckDB file, atomically.

Every file is written to a temporary name in the output directory and moved into place
with os.replace, so readers never see a half-written file. Imports are incremental:
observations of the sources in this run replace what those sources gave before; rows
from other sources are kept. Flags and panel are recomputed over the whole dataset.
"""
from __future__ import annotations

import os
import pathlib
import tempfile

import pandas as pd

from schemas.tables import SORT_KEYS, TABLES


def to_frame(name: str, rows: list[dict]) -> pd.DataFrame:
    cols = TABLES[name]
    df = pd.DataFrame([{c: r.get(c) for c in cols} for r in rows], columns=list(cols))
    for c, dtype in cols.items():
        if dtype == "Int64":
            df[c] = pd.to_numeric(df[c], errors="coerce").round().astype("Int64")
        elif dtype == "Float64":
            df[c] = pd.to_numeric(df[c], errors="coerce").astype("Float64")
        else:
            df[c] = df[c].astype("string")
    return df


def read_existing(out_dir: pathlib.Path, name: str) -> pd.DataFrame | None:
    p = out_dir / f"{name}.parquet"
    if not p.exists():
        return None
    try:
        return pd.read_parquet(p)
    except Exception:
        return None


def _atomic(path: pathlib.Path, write) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_dataset(out_dir: str | os.PathLike, frames: dict[str, pd.DataFrame]) -> dict[str, pathlib.Path]:
    out = pathlib.Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    frames = {name: df.sort_values(list(SORT_KEYS[name]), kind="stable", na_position="first").reset_index(drop=True)
              for name, df in frames.items()}
    for name, df in frames.items():
        _atomic(out / f"{name}.parquet", lambda p, df=df: df.to_parquet(p, index=False))
        _atomic(out / f"{name}.csv", lambda p, df=df: df.to_csv(p, index=False, encoding="utf-8-sig"))
        written[name] = out / f"{name}.parquet"

    def write_duckdb(p: str) -> None:
        import duckdb

        os.unlink(p)  # duckdb wants to create the file itself
        con = duckdb.connect(p)
        try:
            for name, df in frames.items():
                con.register("frame", df)
                con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM frame')
                con.unregister("frame")
        finally:
            con.close()

    _atomic(out / "parindex.duckdb", write_duckdb)
    written["duckdb"] = out / "parindex.duckdb"
    return written
