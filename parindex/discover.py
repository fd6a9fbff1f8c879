"""Find input files, hash them and tell their format from their bytes."""
from __future__ import annotations

import fnmatch
import hashlib
import os
import pathlib
from dataclasses import dataclass

from extractors import detect_format

SKIP_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini", ".parindexignore"}
IGNORE_FILE = ".parindexignore"
OUTPUT_MARKER = "parindex.duckdb"  # a folder holding one is an output folder, never input  # one glob per line, relative to its folder, like .gitignore


def _ignored(path: pathlib.Path, root: pathlib.Path) -> bool:
    folder = path.parent
    while True:
        ignore = folder / IGNORE_FILE
        if ignore.is_file():
            rel = path.relative_to(folder).as_posix()
            for line in ignore.read_text(encoding="utf-8").splitlines():
                pat = line.strip()
                if pat and not pat.startswith("#") and (fnmatch.fnmatch(rel, pat) or fnmatch.fnmatch(path.name, pat)):
                    return True
        if folder == root or folder == folder.parent:
            return False
        folder = folder.parent


@dataclass(frozen=True)
class SourceFile:
    path: str
    document_id: str  # first 16 hex digits of the content's sha256
    sha256: str
    format: str
    size: int
    duplicate_of: str | None = None  # an earlier file in this run with the same bytes


def discover(paths: list[str | os.PathLike]) -> list[SourceFile]:
    """Files under the given paths (recursively), sorted, hashed, format detected.
    Raises FileNotFoundError naming a path that does not exist."""
    files: list[pathlib.Path] = []
    for p in paths:
        p = pathlib.Path(p)
        if not p.exists():
            raise FileNotFoundError(f"{p}: no such file or directory")
        if p.is_dir():
            outputs = {d.parent for d in p.rglob(OUTPUT_MARKER)}  # parindex's own output folders
            files.extend(x for x in sorted(p.rglob("*")) if x.is_file() and not any(
                part.startswith(".") for part in x.relative_to(p).parts) and x.name not in SKIP_NAMES
                and not _ignored(x, p) and not any(o == x.parent or o in x.parents for o in outputs))
        else:
            files.append(p)
    out = []
    seen = set()
    first_with: dict[str, str] = {}
    for f in files:
        key = str(f)
        if key in seen:
            continue
        seen.add(key)
        data = f.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        out.append(SourceFile(path=f.as_posix(), document_id=digest[:16], sha256=digest,
                              format=detect_format(data), size=len(data), duplicate_of=first_with.get(digest)))
        first_with.setdefault(digest, f.as_posix())
    return out
