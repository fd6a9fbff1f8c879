"""Find input files, hash them and tell their format from their bytes.

A file that cannot be taken in (a name that is not valid UTF-8, no permission to read
it, a folder that cannot be listed) does not stop the others: it is returned as a
`SourceFile` with an `error` naming it, which the run records as that file's failure.
"""

from __future__ import annotations

import hashlib
import os
import pathlib

import pathspec

from parindex.discover.formats import detect_format
from parindex.schemas.source import SourceFile

SKIP_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini", ".parindexignore"}
IGNORE_FILE = ".parindexignore"
OUTPUT_MARKER = "parindex.duckdb"  # a folder holding one is an output folder, never input


def _ignore_spec(folder: pathlib.Path) -> pathspec.GitIgnoreSpec | None:
    ignore = folder / IGNORE_FILE
    if not ignore.is_file():
        return None
    return pathspec.GitIgnoreSpec.from_lines(ignore.read_text(encoding="utf-8", errors="replace").splitlines())


def _ignored(rel_parts: tuple[str, ...], is_dir: bool, specs: list[tuple[int, pathspec.GitIgnoreSpec]]) -> bool:
    """Whether a path is ignored by the .parindexignore files of its folders, as git does
    with .gitignore: each file's patterns are relative to its folder, a deeper file's match
    (or negation, "!keep.pdf") overrides a shallower one's, "drafts" and "drafts/" skip the
    folder, "/x" anchors to the file's folder."""
    ignored = False
    for depth, spec in specs:
        rel = "/".join(rel_parts[depth:]) + ("/" if is_dir else "")
        result = spec.check_file(rel)
        if result.include is not None:
            ignored = result.include
    return ignored


def _files_under(root: pathlib.Path, unlisted: list[tuple[pathlib.Path, OSError]]) -> list[pathlib.Path]:
    """Files under `root`, sorted, without hidden ones, parindex's own output folders and
    what .parindexignore files exclude (an ignored folder is not walked). A folder that
    cannot be listed is added to `unlisted` with its error."""
    found: list[pathlib.Path] = []
    specs_at: dict[pathlib.Path, list[tuple[int, pathspec.GitIgnoreSpec]]] = {}
    for dirpath, dirnames, filenames in os.walk(root, onerror=lambda e: unlisted.append((pathlib.Path(e.filename), e))):
        folder = pathlib.Path(dirpath)
        parts = folder.relative_to(root).parts
        specs = list(specs_at.get(folder.parent, [])) if folder != root else []
        own = _ignore_spec(folder)
        if own is not None:
            specs.append((len(parts), own))
        specs_at[folder] = specs
        if (folder / OUTPUT_MARKER).exists():
            dirnames[:] = []
            continue
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and not _ignored(parts + (d,), True, specs))
        for name in sorted(filenames):
            if name.startswith(".") or name in SKIP_NAMES or _ignored(parts + (name,), False, specs):
                continue
            found.append(folder / name)
    return sorted(found)


def printable(path: str | os.PathLike) -> str:
    """A path as text that can be written anywhere: bytes of a name that are not UTF-8
    shown as \\xNN escapes."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _utf8_name(path: pathlib.Path) -> bool:
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes of the name, kept as surrogates
        return False
    return True


def _unreadable(path: pathlib.Path, why: str) -> SourceFile:
    """A file (or folder) that cannot be read, as a source whose reading fails with `why`.
    Its hash is of its name, so it never matches a real file's bytes."""
    name = printable(path)
    digest = hashlib.sha256(b"unreadable\0" + os.fsencode(path)).hexdigest()
    return SourceFile(
        path=pathlib.PurePath(name).as_posix(),
        document_id=digest[:16],
        sha256=digest,
        format="unknown",
        size=0,
        error=f"{name}: {why}",
    )


def _source(f: pathlib.Path, first_with: dict[str, str]) -> SourceFile:
    """A file found: hashed and its format told from its bytes, or its error."""
    if not _utf8_name(f):
        return _unreadable(f, "the file name is not valid UTF-8; rename the file to read it")
    try:
        data = f.read_bytes()
    except OSError as exc:
        return _unreadable(f, f"cannot read the file: {exc.strerror or exc}")
    digest = hashlib.sha256(data).hexdigest()
    return SourceFile(
        path=f.as_posix(),
        document_id=digest[:16],
        sha256=digest,
        format=detect_format(data),
        size=len(data),
        duplicate_of=first_with.get(digest),
    )


def discover(paths: list[str | os.PathLike]) -> list[SourceFile]:
    """Files under the given paths (recursively), sorted, hashed, format detected; a file
    or folder that cannot be read comes back with its `error`. Raises FileNotFoundError
    naming a path that does not exist."""
    files: list[pathlib.Path] = []
    unlisted: list[tuple[pathlib.Path, OSError]] = []
    for p in paths:
        p = pathlib.Path(p)
        if not p.exists():
            raise FileNotFoundError(f"{p}: no such file or directory")
        if p.is_dir():
            files.extend(_files_under(p, unlisted))
        else:
            files.append(p)
    out = [
        _unreadable(folder, f"cannot list the folder: {exc.strerror or exc}; its files are not read")
        for folder, exc in unlisted
    ]
    seen = set()
    first_with: dict[str, str] = {}
    for f in files:
        key = str(f)
        if key in seen:
            continue
        seen.add(key)
        src = _source(f, first_with)
        out.append(src)
        if src.error is None:
            first_with.setdefault(src.sha256, src.path)
    return out
