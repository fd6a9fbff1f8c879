"""Commit: every file parindex writes reaches its place whole or not at all.

Two tools, one way of writing:

- `write_atomically(path, write)` writes one file: to a temporary name in the same
  folder, fsynced, given the permissions a plain open() would give (0666 less the umask,
  not mkstemp's owner-only 0600, so a dataset or a report can be shared as it is), then
  moved into place with os.replace. A reader sees the old file or the new one, never half.
  The cache's entries, the commit's journal, a report and a workbook are written so.
- `FolderCommit` makes the files one run changed final together. Each is staged under
  `.staged-*` in the output folder; `apply` flushes them all to disk, records the
  renames and deletions in a journal (`.parindex-commit.json`, written atomically), applies them
  and deletes the journal. A process killed before the journal exists leaves the previous
  dataset as it was (its staged files are swept away by the next run); killed after, the
  next run or reader finishes the commit first (`recover`). Only the files a run changed
  are in its journal: an incremental import replaces a few parts and leaves the others.

One run at a time writes to an output folder (`lock`).
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import fcntl
import json
import os
import pathlib
import shutil
import tempfile
from typing import Callable

from parindex.schemas.errors import OutputBusy

JOURNAL = ".parindex-commit.json"
LOCK = ".parindex.lock"
STAGED_PREFIX = ".staged-"  # what a run stages in an output folder; swept when no run holds it
FSYNC_THREADS = 8  # staged files flushed to disk at once by FolderCommit.apply
_UMASK = os.umask(0)
os.umask(_UMASK)


def fsync_file(path: str | os.PathLike) -> None:
    """Flush a written file to disk and give it shareable permissions (mkstemp makes 0600)."""
    with open(path, "rb+") as f:
        os.fsync(f.fileno())
    os.chmod(path, 0o666 & ~_UMASK)


def fsync_dir(path: pathlib.Path) -> None:
    """Flush a folder's entries (the renames into it) to disk."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(
    path: str | os.PathLike, write: Callable[[str], None], *, temporary_prefix: str | None = None
) -> pathlib.Path:
    """Call write(temporary_path), then move the file to `path` in one step. On any error
    the temporary file is removed and `path` is left as it was. The temporary file is
    named `temporary_prefix` (default `.NAME.`) + random + `.tmp`, beside `path`."""
    target = pathlib.Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temporary(target.parent, temporary_prefix or f".{target.name}.")
    try:
        write(str(tmp))
        fsync_file(tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def _temporary(folder: pathlib.Path, prefix: str) -> pathlib.Path:
    fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=folder)
    os.close(fd)
    return pathlib.Path(tmp)


class FolderCommit:
    """The files one run changes in an output folder, made final together. Files are
    written under `staging` (a `.staged-*` folder of the output folder): `path(final)`
    gives where to write the file that becomes `final` (a path relative to the output
    folder), `done(tmp, final)` takes it once written, `stage(final, write)` does both;
    `delete(final)` removes a file. `apply()` journals and applies all of it."""

    def __init__(self, out: str | os.PathLike, staging: str | os.PathLike):
        self.out, self.staging = pathlib.Path(out), pathlib.Path(staging)
        self.moves: list[tuple[pathlib.Path, str]] = []
        self.deletes: list[str] = []
        self.given: set[str] = set()

    def path(self, final: str) -> pathlib.Path:
        # a file is written once per commit: a second writer would replace the first's
        # file (a Parquet part whose rows came in two pieces would lose the first)
        if final in self.given:
            raise RuntimeError(f"{self.out / final}: written twice in one run; nothing was committed")
        self.given.add(final)
        tmp = self.staging / "files" / final
        tmp.parent.mkdir(parents=True, exist_ok=True)
        return tmp

    def done(self, tmp: pathlib.Path, final: str) -> None:
        self.moves.append((tmp, final))  # flushed to disk by apply(), with the others

    def stage(self, final: str, write: Callable[[pathlib.Path], None]) -> None:
        tmp = self.path(final)
        write(tmp)
        self.done(tmp, final)

    def delete(self, final: str) -> None:
        self.deletes.append(final)

    def apply(self) -> None:
        # every staged file is on disk before the journal names it; os.fsync releases the
        # GIL, so the files are flushed from several threads and the filesystem commits
        # them together instead of one after the other (a ranking run stages hundreds)
        with concurrent.futures.ThreadPoolExecutor(FSYNC_THREADS) as pool:
            list(pool.map(fsync_file, [tmp for tmp, _ in self.moves]))
        commit(self.out, self.moves, self.deletes)


def commit(out_dir: str | os.PathLike, moves: list[tuple[pathlib.Path, str]], deletes: list[str] = ()) -> None:
    """Make staged files final: `moves` are (staged file, final path relative to
    out_dir), `deletes` final paths to remove. Journal first, then the changes."""
    out = pathlib.Path(out_dir)
    plan = {
        "deletes": list(deletes),
        "moves": [(pathlib.Path(tmp).relative_to(out).as_posix(), final) for tmp, final in moves],
    }
    text = json.dumps(plan)
    write_atomically(
        out / JOURNAL,
        lambda p: pathlib.Path(p).write_text(text, encoding="utf-8"),
        temporary_prefix=f"{STAGED_PREFIX}{JOURNAL}.",
    )
    fsync_dir(out)
    _committed.add(out.resolve())  # from here on the new dataset stands, whatever happens
    recover(out)


def recover(out_dir: str | os.PathLike) -> None:
    """Finish a commit a killed run left half done; sweep staged files of runs that died
    before committing. Safe to call any number of times, and from a reader: a folder
    another process holds (a run is writing it) is left to that run."""
    out = pathlib.Path(out_dir)
    journal = out / JOURNAL
    if journal.exists() and not _locked_by_another(out):
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
            fsync_dir(folder)
        journal.unlink()
    if out.is_dir() and not _locked_by_another(out):
        for leftover in out.glob(f"{STAGED_PREFIX}*"):
            if leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                leftover.unlink(missing_ok=True)


_committed: set[pathlib.Path] = set()  # output folders this process has committed to


def committed_in_this_process(out_dir: str | os.PathLike) -> bool:
    """Whether this process has committed a dataset to `out_dir` (its journal written)."""
    return pathlib.Path(out_dir).resolve() in _committed


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
