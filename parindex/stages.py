"""The pipeline's stages as plain functions: discover -> extract -> normalize -> match ->
audit -> write. Prefect tasks (flows/) call these; so can any other runner. A stage that
fails for one document returns a failed `DocumentResult` naming the file; it never raises
for bad input."""

from __future__ import annotations

import dataclasses
import traceback
from dataclasses import dataclass, field

from parindex.discover import SourceFile
from parindex.extractors import ExtractionError
from parindex.extractors.isolation import DEFAULT_LIMITS, Limits, extract_hashed, read_isolated
from parindex.normalizer.audit import AuditSettings, audit
from parindex.normalizer.matching import match_observations
from parindex.normalizer.normalize import NormalizedDocument, normalize_document
from parindex.normalizer.panel import build_panel
from parindex.schemas import ExtractedDocument


@dataclass
class DocumentResult:
    source: SourceFile
    status: str = "ok"  # ok | partial | failed | duplicate
    error: str | None = None
    pages: int | None = None
    tables: int | None = None
    extracted: ExtractedDocument | None = None
    normalized: NormalizedDocument | None = None
    observations: list[dict] = field(default_factory=list)
    observation_count: int | None = None  # kept when the observations have been staged
    # a failure that may not recur (the file changed while it was read, or could not be
    # opened): recorded, never cached, tried again next run
    retry_next_run: bool = False

    def count(self) -> int:
        return len(self.observations) if self.observation_count is None else self.observation_count

    def document_row(self) -> dict:
        ctx = self.normalized.context if self.normalized else None
        years = sorted({o["year"] for o in self.observations if o.get("year")})
        return {
            "document_id": self.source.document_id,
            "source": self.source.path,
            "sha256": self.source.sha256,
            "format": self.source.format,
            "status": self.status,
            "error": self.error,
            "pages": self.pages,
            "tables": self.tables,
            "observations": len(self.observations),
            "unit": ctx.unit if ctx else None,
            "unit_level": ctx.unit_level if ctx else None,
            "province": ctx.province if ctx else None,
            "unit_code": ctx.unit_code if ctx else None,
            "province_code": ctx.province_code if ctx else None,
            **{
                k: getattr(ctx, k) if ctx else None
                for k in ("province_2025", "province_code_2025", "unit_2025", "unit_code_2025")
            },
            "years": ",".join(str(y) for y in years) or None,
        }


def _fail(result: DocumentResult, stage: str, exc: BaseException) -> DocumentResult:
    result.status = "failed"
    msg = (
        str(exc)
        if isinstance(exc, ExtractionError)
        else f"{result.source.path}: {stage} failed: {type(exc).__name__}: {exc}"
    )
    result.error = msg
    result.extracted = None
    return result


def _duplicate(result: DocumentResult, first: str) -> DocumentResult:
    result.status = "duplicate"
    result.error = f"{result.source.path}: same content as {first}; read once, under that name"
    result.observations = []
    return result


def extract_stage(src: SourceFile, limits: Limits | None = DEFAULT_LIMITS) -> DocumentResult:
    """Read one file; with `limits` (the default) in a child process that is killed past
    the time or memory limit, so a hostile file costs only itself. The file is read once
    and the result recorded under the hash of the bytes actually read."""
    result = DocumentResult(source=src)
    if src.error:  # found but not readable (its name, its permissions, its folder)
        result.status, result.error, result.retry_next_run = "failed", src.error, True
        return result
    if src.duplicate_of:
        return _duplicate(result, src.duplicate_of)
    try:
        doc, sha256 = (
            read_isolated(src.path, src.format, limits, src.sha256)
            if limits
            else extract_hashed(src.path, src.format, src.sha256)
        )
    except Exception as exc:
        return _as_read(_fail(result, "extract", exc), getattr(exc, "sha256", None))
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


def normalize_stage(result: DocumentResult) -> DocumentResult:
    if result.status == "failed" or result.extracted is None:
        return result
    try:
        result.normalized = normalize_document(result.extracted)
    except Exception as exc:  # a bug or an unreadable layout: recorded for this document only
        traceback.print_exc()
        return _fail(result, "normalize", exc)
    result.extracted = None  # free memory: downstream never needs the cells
    return result


def match_stage(result: DocumentResult) -> DocumentResult:
    if result.status == "failed" or result.normalized is None:
        return result
    ctx = result.normalized.context
    try:
        obs = match_observations(result.normalized.observations, ctx.unit_level, ctx.province)
    except Exception as exc:
        return _fail(result, "match", exc)
    for o in obs:
        o["document_id"] = result.source.document_id
        o["source"] = result.source.path
    result.observations = obs
    if not obs:
        result.status = "partial"
        result.error = (result.error + "; " if result.error else "") + f"{result.source.path}: no scores found"
    return result


def keep(batch, result: DocumentResult, use_cache: bool = True) -> DocumentResult:
    """A finished document: cached for later runs, staged in the import batch, and its
    observations dropped from memory (the count stays for progress and summaries)."""
    from parindex import cache

    if use_cache:
        cache.store(batch.out, result)
    batch.add(result)
    result.observation_count = len(result.observations)
    result.observations = []
    result.normalized = None
    return result


def audit_stage(observations: list[dict], settings: AuditSettings | None = None) -> list[dict]:
    return audit(observations, settings)


def panel_stage(observations: list[dict]) -> list[dict]:
    return build_panel(observations)
