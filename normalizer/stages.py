"""The normalize and match stages over one document's `DocumentResult`: its extracted
document into observations and their context, then each observation matched to the
criteria catalog. A failure is recorded for that document only."""

from __future__ import annotations

import traceback

from parindex.normalizer.matching import match_observations
from parindex.normalizer.normalize import normalize_document
from parindex.schemas.result import DocumentResult


def normalize_stage(result: DocumentResult) -> DocumentResult:
    if result.status == "failed" or result.extracted is None:
        return result
    try:
        result.normalized = normalize_document(result.extracted)
    except Exception as exc:  # a bug or an unreadable layout: recorded for this document only
        traceback.print_exc()
        return result.fail("normalize", exc)
    result.extracted = None  # free memory: downstream never needs the cells
    return result


def match_stage(result: DocumentResult) -> DocumentResult:
    if result.status == "failed" or result.normalized is None:
        return result
    ctx = result.normalized.context
    try:
        obs = match_observations(result.normalized.observations, ctx.unit_level, ctx.province)
    except Exception as exc:
        return result.fail("match", exc)
    for o in obs:
        o["document_id"] = result.source.document_id
        o["source"] = result.source.path
    result.observations = obs
    if not obs:
        result.status = "partial"
        result.error = (result.error + "; " if result.error else "") + f"{result.source.path}: no scores found"
    return result
