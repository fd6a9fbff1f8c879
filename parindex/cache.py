"""Results cached by content and code: a document whose bytes and whose reading code are
unchanged is not read again.

The key is the file's sha256 plus `CODE_VERSION`, a hash of every module and data file
that turns bytes into observations (extractors/, normalizer/ with its catalog, schemas/,
parindex/stages.py and isolation.py). Change any of them and every document is read
again; rename a file and its cached result is reused under the new name. Entries live
in `OUT/.cache/` as pickles written atomically; a damaged entry is simply a miss.
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import importlib.util
import os
import pathlib
import pickle

# the code that turns a file's bytes into observations, by module: found where it is
# imported from (a checkout or an installed wheel alike)
CODE_MODULES = ("parindex.extractors", "parindex.normalizer", "parindex.schemas", "parindex.stages",
                "parindex.isolation")
CACHE_DIR = ".cache"


def _module_files(name: str) -> list[tuple[str, pathlib.Path]]:
    """(label, path) of a module's source and data files, labelled by module so that a
    checkout and an installed copy of the same code hash the same."""
    spec = importlib.util.find_spec(name)
    if spec.submodule_search_locations:  # a package: every file under its folder
        root = pathlib.Path(next(iter(spec.submodule_search_locations)))
        return [(f"{name}/{f.relative_to(root).as_posix()}", f) for f in sorted(root.rglob("*"))
                if f.is_file() and f.suffix in (".py", ".csv", ".json") and "__pycache__" not in f.parts]
    return [(name, pathlib.Path(spec.origin))]


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    h = hashlib.sha256()
    for name in CODE_MODULES:
        for label, f in _module_files(name):
            h.update(label.encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:16]


def _path(out_dir: str | os.PathLike, sha256: str) -> pathlib.Path:
    return pathlib.Path(out_dir) / CACHE_DIR / code_version() / sha256[:2] / f"{sha256}.pickle"


def cacheable(result) -> bool:
    """Failures caused by a limit may pass with other limits: never cached."""
    return result.status in ("ok", "partial") or (result.status == "failed" and "limit" not in (result.error or ""))


def has(out_dir: str | os.PathLike, sha256: str) -> bool:
    """Whether a result for these bytes, read by this code, is cached."""
    return _path(out_dir, sha256).exists()


def load(out_dir: str | os.PathLike, src):
    """The cached result for this file's bytes, renamed to this file; None on a miss."""
    p = _path(out_dir, src.sha256)
    if not p.exists():
        return None
    try:
        with p.open("rb") as f:
            result = pickle.load(f)
    except Exception:
        return None
    return renamed(result, src)


def renamed(result, src):
    """`result` as the result of `src` (another name for the same bytes)."""
    old_path = result.source.path
    result.source = src
    if result.error:
        result.error = result.error.replace(old_path, src.path)
    for o in result.observations:
        o["source"] = src.path
        o["document_id"] = src.document_id
    return result


def store(out_dir: str | os.PathLike, result) -> None:
    if not cacheable(result) or result.status == "duplicate":
        return
    p = _path(out_dir, result.source.sha256)
    p.parent.mkdir(parents=True, exist_ok=True)
    slim = dataclasses.replace(result, extracted=None)
    if slim.normalized is not None:
        slim.normalized = dataclasses.replace(slim.normalized, observations=[])
    tmp = p.with_suffix(f".{os.getpid()}.tmp")
    with tmp.open("wb") as f:
        pickle.dump(slim, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, p)
