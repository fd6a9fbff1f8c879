"""Audit: the rules that check published numbers, and the run over a dataset's chunks.

(Transitional: re-exports `normalizer.audit` until the rules move here.)
"""

from __future__ import annotations

from collections import defaultdict

from parindex.normalizer.audit import (
    DEFAULT_SEVERITY,
    AuditSettings,
    agree,
    audit,
    audit_across,
    audit_across_years,
    audit_document,
    max_change_flags,
)


class Audit:
    """One run's audit over a dataset handed over in chunks. `documents` takes whole
    documents and runs every rule about one document (its rows, tables and rankings);
    `unit_years` takes whole unit-years, in the order of their unit key, and runs the
    rules between documents of one unit and year; the rules across years are given what
    they need as chunks go by, and `finished_units` returns their flags for the units
    whose key sorts before `before` (every unit left, without it)."""

    def __init__(self, settings: AuditSettings | None = None):
        self.settings = settings or AuditSettings()
        self._across_years: dict = {}  # what the rules across years keep of each unit not finished

    def documents(self, observations: list[dict]) -> list[dict]:
        by_doc: dict[str, list[dict]] = defaultdict(list)
        for o in observations:
            by_doc[o["document_id"]].append(o)
        return [f for d in sorted(by_doc) for f in audit_document(by_doc[d], self.settings)]

    def unit_years(self, observations: list[dict]) -> list[dict]:
        flags, maxima = audit_across_years(observations, self.settings)
        self._across_years.update(maxima)
        return flags

    def finished_units(self, before: str | None = None) -> list[dict]:
        done = {k: v for k, v in self._across_years.items() if before is None or (k[0][1] or "") < before}
        self._across_years = {k: v for k, v in self._across_years.items() if k not in done}
        return max_change_flags(done, self.settings)


__all__ = ["DEFAULT_SEVERITY", "Audit", "AuditSettings", "agree", "audit", "audit_across", "audit_document"]
