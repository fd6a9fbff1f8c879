"""The pipeline's stages as plain functions: discover -> extract -> normalize -> match ->
audit -> write. Prefect tasks (flows/) call these; so can any other runner. A stage that
fails for one document returns a failed `DocumentResult` naming the file; it never raises
for bad input."""
from __future__ import annotations

import pathlib
import traceback
from dataclasses import dataclass, field

import pandas as pd

from extractors import ExtractionError, extract
from normalizer.audit import AuditSettings, audit
from normalizer.document import NormalizedDocument, normalize_document
from normalizer.matching import match_observations
from normalizer.panel import build_panel
from parindex.discover import SourceFile
from parindex.isolation import DEFAULT_LIMITS, Limits, extract_isolated
from parindex.store import read_existing, to_frame, write_dataset
from schemas import ExtractedDocument


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

    def document_row(self) -> dict:
        ctx = self.normalized.context if self.normalized else None
        years = sorted({o["year"] for o in self.observations if o.get("year")})
        return {
            "document_id": self.source.document_id, "source": self.source.path, "sha256": self.source.sha256,
            "format": self.source.format, "status": self.status, "error": self.error, "pages": self.pages,
            "tables": self.tables, "observations": len(self.observations),
            "unit": ctx.unit if ctx else None, "unit_level": ctx.unit_level if ctx else None,
            "province": ctx.province if ctx else None, "unit_code": ctx.unit_code if ctx else None,
            "province_code": ctx.province_code if ctx else None,
            **{k: getattr(ctx, k) if ctx else None for k in ("province_2025", "province_code_2025", "unit_2025",
                                                              "unit_code_2025")},
            "years": ",".join(str(y) for y in years) or None,
        }


def _fail(result: DocumentResult, stage: str, exc: BaseException) -> DocumentResult:
    result.status = "failed"
    msg = str(exc) if isinstance(exc, ExtractionError) else f"{result.source.path}: {stage} failed: {type(exc).__name__}: {exc}"
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
    the time or memory limit, so a hostile file costs only itself."""
    result = DocumentResult(source=src)
    if src.duplicate_of:
        return _duplicate(result, src.duplicate_of)
    try:
        doc = extract_isolated(src.path, src.format, limits) if limits else extract(src.path, fmt=src.format)
    except Exception as exc:
        return _fail(result, "extract", exc)
    result.extracted, result.pages, result.tables = doc, doc.pages, len(doc.tables)
    if doc.warnings:
        result.error = "; ".join(doc.warnings)
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


def cached_results(out_dir: str | pathlib.Path, sources: list[SourceFile]) -> dict[str, DocumentResult]:
    """Results of earlier runs for files whose bytes and reading code are unchanged."""
    from parindex import cache

    found = {}
    for src in sources:
        if src.duplicate_of:
            continue
        r = cache.load(out_dir, src)
        if r is not None:
            found[src.path] = r
    return found


def remember_results(out_dir: str | pathlib.Path, results: list[DocumentResult]) -> None:
    from parindex import cache

    for r in results:
        cache.store(out_dir, r)


def merge_with_existing(out_dir: str | pathlib.Path, results: list[DocumentResult]) -> tuple[list[dict], list[dict]]:
    """Observations and document rows of this run plus those of other sources already in
    out_dir: a re-imported source replaces what it gave before (idempotent imports)."""
    out = pathlib.Path(out_dir)
    sources = {r.source.path for r in results}
    obs = [o for r in results for o in r.observations]
    docs = [r.document_row() for r in results]
    old_obs = read_existing(out, "observations")
    if old_obs is not None and len(old_obs):
        keep = old_obs[~old_obs["source"].isin(sources)]
        obs = [{k: (None if pd.isna(v) else v) for k, v in row.items()} for row in keep.to_dict("records")] + obs
    old_docs = read_existing(out, "documents")
    if old_docs is not None and len(old_docs):
        keep = old_docs[~old_docs["source"].isin(sources)]
        # a file imported before under another name: keep the first import only
        known = dict(zip(keep.loc[keep["status"] != "duplicate", "sha256"], keep.loc[keep["status"] != "duplicate", "source"]))
        for r in results:
            if r.status != "duplicate" and r.source.sha256 in known:
                _duplicate(r, known[r.source.sha256])
        obs = [o for o in obs if o["source"] not in {r.source.path for r in results if r.status == "duplicate"}]
        docs = [r.document_row() for r in results]
        docs = [{k: (None if pd.isna(v) else v) for k, v in row.items()} for row in keep.to_dict("records")] + docs
    return obs, docs


def audit_stage(observations: list[dict], settings: AuditSettings | None = None) -> list[dict]:
    return audit(observations, settings)


def panel_stage(observations: list[dict]) -> list[dict]:
    return build_panel(observations)


def write_stage(out_dir: str | pathlib.Path, observations: list[dict], flags: list[dict], documents: list[dict],
                panel: list[dict]) -> dict:
    frames = {
        "observations": to_frame("observations", observations),
        "flags": to_frame("flags", flags),
        "documents": to_frame("documents", documents),
        "panel": to_frame("panel", panel),
    }
    return write_dataset(out_dir, frames)
