"""Audit: the rules that check published numbers (`audit.rules`, one per module, listed
in `audit.registry`), and their run over a dataset, whole (`audit`) or handed over in
chunks (`Audit`).

A rule's checks each run in a scope (`registry.SCOPES`). A document's row, table and
document checks run together (`audit_document`); the unit-year checks run over whole
unit-years (`audit_unit_years`), which also summarise each unit-year for the checks
across years (`audit_across_years`), so a unit is audited across its years without
holding all its observations at once. Each flag compares the printings of one unit
(`core.audit_unit`) only, except where a rule compares the units of one ranking.
"""

from __future__ import annotations

from collections import defaultdict

import parindex.audit.rules  # noqa: F401  (registers every rule)
from parindex.audit.core import AuditSettings, FlagSink, agree, printed_order, unit_order
from parindex.audit.doubt import in_doubt, without_doubtful
from parindex.audit.registry import (
    ACROSS_YEARS,
    DOCUMENT_SCOPES,
    RULES,
    SCOPES,
    UNIT_YEAR,
    AcrossYears,
    Rule,
    checks_in,
    register,
    report_order,
)


def audit_document(doc_obs: list[dict], settings: AuditSettings | None = None) -> list[dict]:
    """The flags one document raises on its own: every row, table and document check,
    in registry order, over its observations in printed order (so the same flags,
    placed at the same printings, whatever order rows come in)."""
    sink = FlagSink(settings or AuditSettings())
    doc_obs = sorted(doc_obs, key=printed_order)
    for _, check in checks_in(*DOCUMENT_SCOPES):
        check(doc_obs, sink)
    return without_doubtful(sink.flags, doc_obs)


def audit_unit_years(obs: list[dict], settings: AuditSettings | None = None) -> tuple[list[dict], dict[str, dict]]:
    """The flags between documents of one unit and year (the unit-year checks), and each
    check across years' summaries of these unit-years: rule -> summary key -> summary.
    `obs` must hold all the observations of each unit and year it holds any of."""
    settings = settings or AuditSettings()
    sink = FlagSink(settings)
    obs = sorted(obs, key=lambda o: (str(o.get("document_id")),) + printed_order(o))
    if settings.cross_document:
        for _, check in checks_in(UNIT_YEAR):
            check(obs, sink)
    trusted = [o for o in obs if not in_doubt(o)]
    summaries = {rule.name: across.summarize(trusted) for rule, across in checks_in(ACROSS_YEARS)}
    return without_doubtful(sink.flags, obs), summaries


def audit_across_years(summaries: dict[str, dict], settings: AuditSettings | None = None) -> list[dict]:
    """The flags across years, from the merged summaries (`audit_unit_years`) of every
    year of some units."""
    sink = FlagSink(settings or AuditSettings())
    for rule, across in checks_in(ACROSS_YEARS):
        across.check(summaries.get(rule.name, {}), sink)
    return sink.flags


def audit_across(unit_obs: list[dict], settings: AuditSettings | None = None) -> list[dict]:
    """The flags between documents of the units of `unit_obs` (all their observations):
    within each unit-year, then across its years."""
    flags, summaries = audit_unit_years(unit_obs, settings)
    return flags + audit_across_years(summaries, settings)


def audit(observations: list[dict], settings: AuditSettings | None = None) -> list[dict]:
    """All flags for a set of observations: each document's own, then those across
    documents. A flag found by both is kept once, as the document's."""
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for o in observations:
        by_doc[o.get("document_id")].append(o)
    flags = [f for doc_id in sorted(by_doc, key=str) for f in audit_document(by_doc[doc_id], settings)]
    flags += audit_across(observations, settings)
    seen: set[str] = set()
    return [f for f in flags if not (f["flag_id"] in seen or seen.add(f["flag_id"]))]


class Audit:
    """One run's audit over a dataset handed over in chunks. `documents` takes whole
    documents and runs their row, table and document checks; `unit_years` takes whole
    unit-years, in the order of their unit key, runs the unit-year checks and keeps the
    summaries the checks across years need; `finished_units` runs the checks across
    years for the units whose key (`core.unit_order`: the observation's unit or '')
    sorts before `before` (every unit left, without it) and forgets their summaries."""

    def __init__(self, settings: AuditSettings | None = None):
        self.settings = settings or AuditSettings()
        # rule -> summary key -> summary, for the units not finished
        self._summaries: dict[str, dict[tuple, object]] = defaultdict(dict)

    def documents(self, observations: list[dict]) -> list[dict]:
        by_doc: dict[str, list[dict]] = defaultdict(list)
        for o in observations:
            by_doc[o["document_id"]].append(o)
        return [f for d in sorted(by_doc) for f in audit_document(by_doc[d], self.settings)]

    def unit_years(self, observations: list[dict]) -> list[dict]:
        flags, summaries = audit_unit_years(observations, self.settings)
        for rule, summary in summaries.items():
            self._summaries[rule].update(summary)
        return flags

    def finished_units(self, before: str | None = None) -> list[dict]:
        done: dict[str, dict] = {}
        for rule, summaries in self._summaries.items():
            done[rule] = {k: v for k, v in summaries.items() if before is None or unit_order(k[0]) < before}
            for k in done[rule]:
                del summaries[k]
        return audit_across_years(done, self.settings)


__all__ = [
    "RULES",
    "report_order",
    "SCOPES",
    "AcrossYears",
    "Audit",
    "AuditSettings",
    "Rule",
    "agree",
    "audit",
    "audit_across",
    "audit_across_years",
    "audit_document",
    "audit_unit_years",
    "register",
]
