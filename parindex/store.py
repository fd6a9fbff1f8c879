"""Write the dataset: four tables as Parquet and CSV plus one DuckDB file, all or nothing.

A write stages every file under a temporary name in the output folder (written and
fsynced), then records the renames in a journal (`.parindex-commit.json`, itself
written atomically), moves the files into place with os.replace, and deletes the
journal. A process killed before the journal exists leaves the previous dataset as it
was (the staged files are swept away by the next write); killed after, the next run
finishes the renames first (`recover`). Readers therefore see either the previous
dataset or the new one, never a mix.

Imports are incremental: observations of the sources in this run replace what those
sources gave before; rows from other sources are kept (parindex/stages.py).
"""
from __future__ import annotations

import json
import os
import pathlib
import tempfile

import pandas as pd

from schemas.tables import SORT_KEYS, TABLES

JOURNAL = ".parindex-commit.json"
_UMASK = os.umask(0)
os.umask(_UMASK)
STAGED_PREFIX = ".staged-"


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
    recover(out_dir)
    p = pathlib.Path(out_dir) / f"{name}.parquet"
    if not p.exists():
        return None
    try:
        return pd.read_parquet(p)
    except Exception:
        return None


def _fsync_dir(path: pathlib.Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _stage(out: pathlib.Path, final: str, write) -> pathlib.Path:
    fd, tmp = tempfile.mkstemp(prefix=f"{STAGED_PREFIX}{final}.", suffix=".tmp", dir=out)
    os.close(fd)
    try:
        write(tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; a dataset is for sharing
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return pathlib.Path(tmp)


def recover(out_dir: str | os.PathLike) -> None:
    """Finish a commit a killed run left half done; sweep staged files of runs that died
    before committing."""
    out = pathlib.Path(out_dir)
    journal = out / JOURNAL
    if journal.exists():
        try:
            moves = json.loads(journal.read_text(encoding="utf-8"))
        except ValueError:
            moves = []
        for staged, final in moves:
            if (out / staged).exists():
                os.replace(out / staged, out / final)
        _fsync_dir(out)
        journal.unlink()
    if out.is_dir():
        for leftover in out.glob(f"{STAGED_PREFIX}*"):
            leftover.unlink()


def write_dataset(out_dir: str | os.PathLike, frames: dict[str, pd.DataFrame]) -> dict[str, pathlib.Path]:
    out = pathlib.Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    recover(out)
    frames = {name: df.sort_values(list(SORT_KEYS[name]), kind="stable", na_position="first").reset_index(drop=True)
              for name, df in frames.items()}
    staged: list[tuple[pathlib.Path, str]] = []
    try:
        for name, df in frames.items():
            staged.append((_stage(out, f"{name}.parquet", lambda p, df=df: df.to_parquet(p, index=False)),
                           f"{name}.parquet"))
            staged.append((_stage(out, f"{name}.csv", lambda p, df=df: df.to_csv(p, index=False, encoding="utf-8-sig")),
                           f"{name}.csv"))

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

        staged.append((_stage(out, "parindex.duckdb", write_duckdb), "parindex.duckdb"))
    except BaseException:
        for tmp, _ in staged:
            if tmp.exists():
                tmp.unlink()
        raise
    # commit: journal first (atomically), then the renames, then drop the journal
    moves = [(tmp.name, final) for tmp, final in staged]
    journal_tmp = _stage(out, JOURNAL, lambda p: pathlib.Path(p).write_text(json.dumps(moves), encoding="utf-8"))
    os.replace(journal_tmp, out / JOURNAL)
    _fsync_dir(out)
    recover(out)
    return {name: out / f"{name}.parquet" for name in frames} | {"duckdb": out / "parindex.duckdb"}


def _atomic(path: pathlib.Path, write) -> None:
    """One file written under a temporary name in its folder, fsynced, moved into place."""
    path = pathlib.Path(path)
    tmp = _stage(path.parent, path.name, write)
    os.replace(tmp, path)
