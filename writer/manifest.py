"""The manifest: what the dataset in an output folder was made with and of, kept in its
database (table parindex_internal.manifest, key -> value):

    read_version     the code that read its documents (writer/cache.py)
    audit_version    the code that audited and wrote them (writer/cache.py)
    audit_settings   the audit's settings, as JSON
    files            every file of the dataset besides the database -> "size:mtime_ns:sha256"

A run compares the versions and settings to know what to redo, and the checksums to find
a file damaged since (truncated, overwritten), which it writes again; readers refuse a
damaged file with the command that repairs it (writer/read.py).
"""

from __future__ import annotations

import hashlib
import json
import os
import pathlib

from parindex.writer.layout import DATABASE, INTERNAL

TABLE = f"{INTERNAL}.manifest"


def checksum(path: pathlib.Path) -> str | None:
    """ "size:mtime_ns:sha256" of a file; None if it is missing or cannot be read."""
    h = hashlib.sha256()
    try:
        st = path.stat()
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    except OSError:
        return None
    return f"{st.st_size}:{st.st_mtime_ns}:{h.hexdigest()}"


def matches(path: pathlib.Path, recorded: str | None) -> bool:
    """Whether the file is the one the manifest recorded: the same size and, unless its
    modification time is also unchanged (a file as parindex left it), the same sha256.
    Checking the time first keeps an unchanged run from reading every part."""
    if not isinstance(recorded, str) or recorded.count(":") != 2:
        return False
    size, mtime, sha = recorded.split(":")
    try:
        st = path.stat()
    except OSError:
        return False
    if str(st.st_size) != size:
        return False
    if str(st.st_mtime_ns) == mtime:
        return True
    now = checksum(path)
    return now is not None and now.rsplit(":", 1)[1] == sha


def values(con) -> dict[str, str]:
    """The manifest of the database `con` is connected to."""
    return dict(con.execute(f"SELECT key, value FROM {TABLE}").fetchall())


def record(con, entries: dict[str, str]) -> None:
    con.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (key VARCHAR PRIMARY KEY, value VARCHAR)")
    for key, value in entries.items():
        con.execute(f"INSERT OR REPLACE INTO {TABLE} VALUES (?, ?)", [key, value])


def recorded_checksums(con) -> dict[str, str] | None:
    """The checksums the manifest recorded, by file; None if it recorded none."""
    row = con.execute(f"SELECT value FROM {TABLE} WHERE key = 'files'").fetchone()
    try:
        recorded = json.loads(row[0]) if row else None
    except ValueError:
        return None
    return recorded if isinstance(recorded, dict) else None


def damaged_files(out: str | os.PathLike) -> list[str]:
    """The dataset files of `out` (relative paths) that differ from what its manifest
    recorded; [] when the folder has no database or no recorded checksums to compare."""
    import duckdb

    out = pathlib.Path(out)
    if not (out / DATABASE).exists():
        return []
    try:
        con = duckdb.connect(str(out / DATABASE), read_only=True)
    except duckdb.Error:
        return []
    try:
        recorded = recorded_checksums(con)
    except duckdb.Error:
        recorded = None
    finally:
        con.close()
    if not isinstance(recorded, dict):
        return []
    return sorted(rel for rel in recorded if not matches(out / rel, recorded[rel]))


def data_files(out: pathlib.Path) -> list[pathlib.Path]:
    """The files of the dataset in `out` besides its database: parts, documents.parquet, CSVs."""
    from parindex.schemas.columns import TABLES
    from parindex.writer.layout import PART_TABLES

    files = [p for name in PART_TABLES for p in (out / f"{name}.parquet").glob("*.parquet")]
    return files + [p for p in [out / "documents.parquet", *(out / f"{n}.csv" for n in TABLES)] if p.is_file()]


def damaged_in(out: pathlib.Path, con) -> set[str]:
    """The dataset's files (relative paths) whose size or sha256 differs from what the
    manifest of `con` recorded when they were written: truncated, overwritten or damaged.
    A dataset written without checksums has every file counted as damaged once."""
    recorded = recorded_checksums(con)
    present = {p.relative_to(out).as_posix() for p in data_files(out)}
    if not isinstance(recorded, dict):
        return present or {"documents.parquet"}
    return {rel for rel in present | set(recorded) if not matches(out / rel, recorded.get(rel))}


def checksums_after(out: pathlib.Path, con, moves: list[tuple[pathlib.Path, str]], deletes: list[str]) -> dict:
    """The manifest's checksums once a commit of `moves` and `deletes` is applied: the
    files staged, and the ones it leaves as they were (as recorded, or as they are if
    unrecorded)."""
    recorded = recorded_checksums(con) or {}
    kept = {p.relative_to(out).as_posix() for p in data_files(out)} - set(deletes)
    files = {rel: recorded[rel] if matches(out / rel, recorded.get(rel)) else checksum(out / rel) for rel in kept}
    files.update({final: checksum(tmp) for tmp, final in moves})
    return {rel: c for rel, c in sorted(files.items()) if c is not None}
