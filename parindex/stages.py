"""What is left of the stages here: `keep` (moving to the writer)."""

from __future__ import annotations

from parindex.schemas.result import DocumentResult


def keep(batch, result: DocumentResult, use_cache: bool = True) -> DocumentResult:
    """A finished document: cached for later runs, staged in the import batch, and its
    observations dropped from memory (the count stays for progress and summaries)."""
    from parindex.writer import cache

    if use_cache:
        cache.store(batch.out, result)
    batch.add(result)
    result.observation_count = len(result.observations)
    result.observations = []
    result.normalized = None
    return result
