"""Committing a dataset to its output folder, all or nothing, and reading it back.

A run stages every file it changes under `.staged-*` in the output folder (written and
fsynced), then records the renames and deletions in a journal (`.parindex-commit.json`,
itself written atomically), applies them, and deletes the journal. A process killed
before the journal exists leaves the previous dataset as it was (the staged files are
swept away by the next run); killed after, the next run or reader finishes the commit
first (`recover`). Only the files a run changed are in its journal: an incremental
import adds or replaces a few parts and leaves the others untouched (parindex/batch.py).

One run at a time writes to an output folder (`lock`).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import pathlib
import shutil
import tempfile

import pandas as pd

from parindex.schemas.columns import SORT_KEYS, TABLES
from parindex.schemas.errors import OutputBusy

JOURNAL = ".parindex-commit.json"
_UMASK = os.umask(0)
os.umask(_UMASK)
STAGED_PREFIX = ".staged-"


def to_frame(name: str, rows: list[dict]) -> pd.DataFrame:
    cols = TABLES[name]
    return conform(name, pd.DataFrame(rows, columns=list(cols)) if rows else pd.DataFrame(columns=list(cols)))


def conform(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """`df` with exactly the contract's columns of table `name`, in order, in its dtypes."""
    cols = TABLES[name]
    df = df.reindex(columns=list(cols))
    for c, dtype in cols.items():
        if dtype == "Int64":
            df[c] = pd.to_numeric(df[c], errors="coerce").round().astype("Int64")
        elif dtype == "Float64":
            df[c] = pd.to_numeric(df[c], errors="coerce").astype("Float64")
        else:
            df[c] = df[c].astype("string")
    return df


def read_existing(out_dir: pathlib.Path, name: str) -> pd.DataFrame | None:
    """Table `name` of the dataset in `out_dir` (a Parquet file or a folder of parts), or
    None when there is none."""
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


def fsync_file(path: str | os.PathLike) -> None:
    with open(path, "rb+") as f:
        os.fsync(f.fileno())
    os.chmod(path, 0o666 & ~_UMASK)  # mkstemp makes 0600; a dataset is for sharing


def _stage(out: pathlib.Path, final: str, write) -> pathlib.Path:
    fd, tmp = tempfile.mkstemp(prefix=f"{STAGED_PREFIX}{final}.", suffix=".tmp", dir=out)
    os.close(fd)
    try:
        write(tmp)
        fsync_file(tmp)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return pathlib.Path(tmp)


def recover(out_dir: str | os.PathLike) -> None:
    """Finish a commit a killed run left half done; sweep staged files of runs that died
    before committing. Safe to call any number of times."""
    out = pathlib.Path(out_dir)
    journal = out / JOURNAL
    if journal.exists():
        try:
            plan = json.loads(journal.read_text(encoding="utf-8"))
        except ValueError:
            plan = {}
        if isinstance(plan, list):  # the journal of parindex before parts: renames only
            plan = {"moves": plan}
        for rel in plan.get("deletes", []):
            target = out / rel
            if target.is_file() or target.is_symlink():
                target.unlink()
        touched = {out}
        for staged, final in plan.get("moves", []):
            if (out / staged).exists():
                (out / final).parent.mkdir(parents=True, exist_ok=True)
                os.replace(out / staged, out / final)
                touched.add((out / final).parent)
        for folder in touched:
            _fsync_dir(folder)
        journal.unlink()
    if out.is_dir() and not _locked_by_another(out):
        for leftover in out.glob(f"{STAGED_PREFIX}*"):
            if leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                leftover.unlink(missing_ok=True)


def commit(out_dir: str | os.PathLike, moves: list[tuple[pathlib.Path, str]], deletes: list[str] = ()) -> None:
    """Make staged files final: `moves` are (staged file, final path relative to
    out_dir), `deletes` final paths to remove. Journal first, then the changes."""
    out = pathlib.Path(out_dir)
    plan = {
        "deletes": list(deletes),
        "moves": [(pathlib.Path(tmp).relative_to(out).as_posix(), final) for tmp, final in moves],
    }
    journal_tmp = _stage(out, JOURNAL, lambda p: pathlib.Path(p).write_text(json.dumps(plan), encoding="utf-8"))
    os.replace(journal_tmp, out / JOURNAL)
    _fsync_dir(out)
    _committed.add(out.resolve())  # from here on the new dataset stands, whatever happens
    recover(out)


_committed: set[pathlib.Path] = set()  # output folders this process has committed to


def committed_in_this_process(out_dir: str | os.PathLike) -> bool:
    """Whether this process has committed a dataset to `out_dir` (its journal written)."""
    return pathlib.Path(out_dir).resolve() in _committed


def write_dataset(out_dir: str | os.PathLike, frames: dict[str, pd.DataFrame]) -> dict[str, pathlib.Path]:
    """Whole tables written as single Parquet and CSV files, all or nothing (tools and
    tests; `parindex run` writes through parindex/batch.py)."""
    out = pathlib.Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    recover(out)
    frames = {
        name: df.sort_values(list(SORT_KEYS[name]), kind="stable", na_position="first").reset_index(drop=True)
        for name, df in frames.items()
    }
    staged: list[tuple[pathlib.Path, str]] = []
    try:
        for name, df in frames.items():
            staged.append(
                (_stage(out, f"{name}.parquet", lambda p, df=df: df.to_parquet(p, index=False)), f"{name}.parquet")
            )
            staged.append(
                (
                    _stage(out, f"{name}.csv", lambda p, df=df: df.to_csv(p, index=False, encoding="utf-8-sig")),
                    f"{name}.csv",
                )
            )
    except BaseException:
        for tmp, _ in staged:
            if tmp.exists():
                tmp.unlink()
        raise
    commit(out, staged)
    return {name: out / f"{name}.parquet" for name in frames}


LOCK = ".parindex.lock"


def _locked_by_another(out: pathlib.Path) -> bool:
    """Whether a run holds the output folder's lock (its staged files are live)."""
    lock_path = out / LOCK
    if not lock_path.exists() or out.resolve() in _held:
        return False
    try:
        with open(lock_path, "a") as f:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            fcntl.flock(f, fcntl.LOCK_UN)
        return False
    except OSError:
        return True


_held: set[pathlib.Path] = set()  # output folders this process has locked


@contextlib.contextmanager
def lock(out_dir: str | os.PathLike):
    """Hold the output folder for one run; a second run on it fails at once, naming the
    folder, instead of mixing two imports."""
    out = pathlib.Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    f = open(out / LOCK, "a")
    try:
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        f.close()
        raise OutputBusy(f"{out}: another parindex run is writing to this output folder") from None
    _held.add(out.resolve())
    try:
        yield out
    finally:
        _held.discard(out.resolve())
        fcntl.flock(f, fcntl.LOCK_UN)
        f.close()
