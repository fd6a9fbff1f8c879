"""Documents read before are not read again: results cached by content and by code.

Two code versions, because reading a document (OCR included, seconds a page) costs far
more than auditing it, and audit rules change far more often than readers:

- `read_version()` hashes every module and data file that turns a file's bytes into
  observations (`READ_MODULES`: discovery, which tells a file's format, the extractors,
  the normalizer with its catalog, the schemas, the Vietnamese text primitives). It keys
  the cache: an entry is `OUT/.cache/<read version>/<sha256[:2]>/<sha256>.json`. Change
  any of that code and every document is read again; rename a file and its cached result
  is reused under the new name.
- `audit_version(settings)` hashes the code that audits and writes (`AUDIT_MODULES`:
  the audit rules, the writer, the panel with it) and the audit's settings. The dataset's
  manifest records it (writer/manifest.py): when only it differs, a run reads no document
  and audits and rewrites every unit from the observations already in the dataset
  (`ImportBatch.plan`).

An output folder is shared and copied around, so its cache is data, never code: each
entry is a JSON file (written atomically) holding the document's status, counts, context
and observations, and every value read back is checked against the data contract
(`schemas.columns.OBSERVATIONS`, `DocumentContext`). An entry that is damaged, of another
shape or for other bytes is a miss: the document is read again.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import importlib.util
import json
import math
import os
import pathlib

from parindex.extractors.isolation import stopped_by_a_limit
from parindex.writer.commit import write_atomically
from parindex.writer.layout import CACHE_DIR

# the code that turns a file's bytes into observations, by module: found where it is
# imported from (a checkout or an installed wheel alike)
READ_MODULES = (
    "parindex.discover",
    "parindex.extractors",
    "parindex.normalizer",
    "parindex.schemas",
    "parindex.vietnamese",
)
# the code that audits the observations and writes the dataset
AUDIT_MODULES = ("parindex.audit", "parindex.writer")
ENTRY_FORMAT = 1
STATUSES = ("ok", "partial", "failed")
MAX_ENTRY_BYTES = 256 * 1024 * 1024  # larger than any real document's result: not read


def module_files(name: str) -> list[tuple[str, pathlib.Path]]:
    """(label, path) of a module's source and data files, labelled by module so that a
    checkout and an installed copy of the same code hash the same; [] for a module that
    does not exist."""
    spec = importlib.util.find_spec(name)
    if spec is None:
        return []
    if spec.submodule_search_locations:  # a package: every file under its folder
        root = pathlib.Path(next(iter(spec.submodule_search_locations)))
        return [
            (f"{name}/{f.relative_to(root).as_posix()}", f)
            for f in sorted(root.rglob("*"))
            if f.is_file() and f.suffix in (".py", ".csv", ".json") and "__pycache__" not in f.parts
        ]
    return [(name, pathlib.Path(spec.origin))]


def read_files() -> list[tuple[str, pathlib.Path]]:
    """The files `read_version` hashes."""
    return [pair for name in READ_MODULES for pair in module_files(name)]


def audit_files() -> list[tuple[str, pathlib.Path]]:
    """The files `audit_version` hashes."""
    return [pair for name in AUDIT_MODULES for pair in module_files(name)]


def _hash(files: list[tuple[str, pathlib.Path]], *more: str) -> str:
    h = hashlib.sha256()
    for label, f in files:
        h.update(label.encode())
        h.update(f.read_bytes())
    for text in more:
        h.update(text.encode())
    return h.hexdigest()[:16]


@functools.lru_cache(maxsize=1)
def read_version() -> str:
    """The version of the code that reads a document; keys the cache."""
    return _hash(read_files())


@functools.lru_cache(maxsize=1)
def _audit_code_version() -> str:
    return _hash(audit_files())


def settings_fingerprint(settings) -> str:
    """The audit's settings as JSON (the defaults when `settings` is None)."""
    from parindex.audit import AuditSettings

    return json.dumps(dataclasses.asdict(settings or AuditSettings()), sort_keys=True)


def audit_version(settings=None) -> str:
    """The version of the code that audits and writes, with these audit settings."""
    return _hash([], _audit_code_version(), settings_fingerprint(settings))


def _path(out_dir: str | os.PathLike, sha256: str) -> pathlib.Path:
    return pathlib.Path(out_dir) / CACHE_DIR / read_version() / sha256[:2] / f"{sha256}.json"


def cacheable(result) -> bool:
    """Failures caused by a limit may pass with other limits, and failures of a file that
    changed while it was read, or could not be read at all, may pass next time: never
    cached."""
    if getattr(result.source, "error", None) or getattr(result, "retry_next_run", False):
        return False
    return result.status in ("ok", "partial") or (result.status == "failed" and not stopped_by_a_limit(result.error))


def has(out_dir: str | os.PathLike, sha256: str) -> bool:
    """Whether a result for these bytes, read by this code, is cached."""
    return _path(out_dir, sha256).exists()


# ---------------------------------------------------------------------- reading back
def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v) -> bool:
    return _is_int(v) or isinstance(v, float)


def _valid_value(dtype: str, v) -> bool:
    """Whether `v` may be a value of a column of this contract dtype."""
    if v is None:
        return True
    if dtype == "string":
        return isinstance(v, str)
    if dtype == "Int64":
        return _is_int(v)
    return _is_number(v)


def _valid_observation(o, columns: dict[str, str]) -> bool:
    return isinstance(o, dict) and all(k in columns and _valid_value(columns[k], v) for k, v in o.items())


def _valid_context(ctx) -> bool:
    """A DocumentContext as a dict: known fields only, each of its type."""
    from parindex.normalizer.context import DocumentContext

    if ctx is None:
        return True
    if not isinstance(ctx, dict):
        return False
    fields = {f.name for f in dataclasses.fields(DocumentContext)}
    for k, v in ctx.items():
        if k not in fields:
            return False
        if k == "years":
            if not (isinstance(v, list) and all(_is_int(y) for y in v)):
                return False
        elif not (v is None or isinstance(v, str) or (k in ("year", "rank_of") and _is_int(v))):
            return False
    return isinstance(ctx.get("framework", ""), str)


def _valid_entry(entry, sha256: str) -> bool:
    """Whether a decoded entry has the shape `store` writes, for these bytes."""
    from parindex.schemas.columns import OBSERVATIONS

    return (
        isinstance(entry, dict)
        and entry.get("format") == ENTRY_FORMAT
        and entry.get("sha256") == sha256
        and entry.get("status") in STATUSES
        and isinstance(entry.get("source"), str)
        and (entry.get("error") is None or isinstance(entry["error"], str))
        and all(entry.get(k) is None or _is_int(entry[k]) for k in ("pages", "tables"))
        and isinstance(entry.get("warnings", []), list)
        and all(isinstance(w, str) for w in entry.get("warnings", []))
        and _valid_context(entry.get("context"))
        and isinstance(entry.get("observations"), list)
        and all(_valid_observation(o, OBSERVATIONS) for o in entry["observations"])
    )


def _read_entry(p: pathlib.Path, sha256: str) -> dict | None:
    """The entry at `p` if it is valid JSON of the expected shape; None otherwise."""
    try:
        if not p.is_file() or p.stat().st_size > MAX_ENTRY_BYTES:
            return None
        entry = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    return entry if _valid_entry(entry, sha256) else None


def _result_of(entry: dict, src):
    """The DocumentResult an entry describes, as the result of `src`."""
    from parindex.normalizer.context import DocumentContext
    from parindex.normalizer.normalize import NormalizedDocument
    from parindex.schemas.result import DocumentResult

    normalized = None
    if entry.get("context") is not None:
        normalized = NormalizedDocument(
            source=entry["source"],
            context=DocumentContext(**entry["context"]),
            warnings=list(entry.get("warnings", [])),
        )
    old = dataclasses.replace(src, path=entry["source"])
    result = DocumentResult(
        source=old,
        status=entry["status"],
        error=entry.get("error"),
        pages=entry.get("pages"),
        tables=entry.get("tables"),
        normalized=normalized,
        observations=entry["observations"],
    )
    return renamed(result, src)


def load(out_dir: str | os.PathLike, src):
    """The cached result for this file's bytes, renamed to this file; None on a miss
    (no entry, or one that is not a valid entry for these bytes)."""
    if getattr(src, "error", None):
        return None
    entry = _read_entry(_path(out_dir, src.sha256), src.sha256)
    return _result_of(entry, src) if entry is not None else None


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


# ---------------------------------------------------------------------- writing
def _entry_of(result) -> dict:
    ctx = result.normalized.context if result.normalized is not None else None
    return {
        "format": ENTRY_FORMAT,
        "sha256": result.source.sha256,
        "source": result.source.path,
        "status": result.status,
        "error": result.error,
        "pages": result.pages,
        "tables": result.tables,
        "context": dataclasses.asdict(ctx) if ctx is not None else None,
        "warnings": list(result.normalized.warnings) if result.normalized is not None else [],
        "observations": [{k: _plain(v) for k, v in o.items()} for o in result.observations],
    }


def _plain(v):
    """A value as JSON holds it: NaN as null (the tables hold it as missing)."""
    return None if isinstance(v, float) and math.isnan(v) else v


def store(out_dir: str | os.PathLike, result) -> None:
    """Cache a document's result, if it may be reused (`cacheable`)."""
    if not cacheable(result) or result.status == "duplicate":
        return
    try:
        text = json.dumps(_entry_of(result), ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):  # a value JSON cannot hold: the document is simply read again next time
        return
    write_atomically(_path(out_dir, result.source.sha256), lambda p: pathlib.Path(p).write_text(text, encoding="utf-8"))
