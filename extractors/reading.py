"""The extract stage: one source file in, its `DocumentResult` out, read in a limited
reader process; a file that cannot be read is a failed result naming it, never an
exception."""

from __future__ import annotations

import dataclasses

from parindex.extractors import ExtractionError
from parindex.extractors.isolation import DEFAULT_LIMITS, Limits, extract_hashed, read_isolated
from parindex.schemas.result import DocumentResult
from parindex.schemas.source import SourceFile


def extract_stage(src: SourceFile, limits: Limits | None = DEFAULT_LIMITS) -> DocumentResult:
    """Read one file; with `limits` (the default) in a child process that is killed past
    the time or memory limit, so a hostile file costs only itself. The file is read once
    and the result recorded under the hash of the bytes actually read."""
    result = DocumentResult(source=src)
    if src.error:  # found but not readable (its name, its permissions, its folder)
        result.status, result.error, result.retry_next_run = "failed", src.error, True
        return result
    if src.duplicate_of:
        return result.duplicate(src.duplicate_of)
    try:
        doc, sha256 = (
            read_isolated(src.path, src.format, limits, src.sha256)
            if limits
            else extract_hashed(src.path, src.format, src.sha256)
        )
    except Exception as exc:
        failed = result.fail("extract", exc, str(exc) if isinstance(exc, ExtractionError) else None)
        return _as_read(failed, getattr(exc, "sha256", None))
    result.extracted, result.pages, result.tables = doc, doc.pages, len(doc.tables)
    if doc.warnings:
        result.error = "; ".join(doc.warnings)
    return _as_read(result, sha256, doc.format)


def _as_read(result: DocumentResult, sha256: str | None, fmt: str | None = None) -> DocumentResult:
    """`result` keyed by the bytes the reader saw. A file that changed since discovery is
    recorded under the hash of what was read; a failure of a changed or unopened file is
    marked to be tried again rather than cached."""
    src = result.source
    if sha256 is None:  # nothing was read (the file went away, or a limit stopped the reader)
        result.retry_next_run = result.status == "failed"
        return result
    if sha256 == src.sha256:
        return result
    result.source = dataclasses.replace(src, sha256=sha256, document_id=sha256[:16], format=fmt or src.format)
    if result.status == "failed":
        result.retry_next_run = True
        result.error = f"{result.error}; the file changed while it was read: read again next run"
    return result
