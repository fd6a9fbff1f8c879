"""The audit run: `parindex.audit.Audit` over a staged dataset, a few thousand
observations at a time, and the panel built beside it.

The rules about one document run over the changed documents; the rules between
documents and across years, and the panel, over the years of the touched units. Those
come in the order of their unit key, so a unit is finished (the flags of the rules
across years, which compare all its years, can be raised) once a chunk ends past it. Each chunk is
audited in its own call, so its rows are gone before the next chunk is fetched.

Flags go to two internal tables: a document's own (document_flags, by source) and those
across documents (unit_flags, by unit key); the view `flags` joins them (writer/staging.py).
"""

from __future__ import annotations

from parindex.audit import Audit, AuditSettings
from parindex.writer.layout import INTERNAL, KEY
from parindex.writer.panel import build_panel
from parindex.writer.tables import YEARS, Tables

DOCUMENT_FLAGS = f"{INTERNAL}.document_flags"
UNIT_FLAGS = f"{INTERNAL}.unit_flags"


def audit_run(tables: Tables, settings: AuditSettings, documents: set[str], units: set[str]) -> None:
    """Audit `documents` (document ids) and `units` (unit keys) of the dataset in
    `tables`, replacing the units' flags across documents and panel rows (the documents'
    own flags were removed when they were merged)."""
    auditor = Audit(settings)
    for chunk in tables.chunks("document_id", documents):
        tables.insert(
            DOCUMENT_FLAGS, "flags", auditor.documents(tables.select_records("observations", "document_id", chunk))
        )
    tables.wanted(sorted(units))
    for table in (UNIT_FLAGS, "panel"):
        tables.con.execute(f"DELETE FROM {table} WHERE {KEY} IN (SELECT k FROM wanted)")
    for chunk in tables.unit_year_chunks(units):
        _audit_unit_years(tables, auditor, chunk)
        tables.insert(UNIT_FLAGS, "flags", auditor.finished_units(before=chunk[-1][0]))
    tables.insert(UNIT_FLAGS, "flags", auditor.finished_units())


def _audit_unit_years(tables: Tables, auditor: Audit, pairs: list[tuple[str, int | None]]) -> None:
    obs = tables.select_records("observations", YEARS, pairs)
    tables.insert(UNIT_FLAGS, "flags", auditor.unit_years(obs))
    tables.insert("panel", "panel", build_panel(obs))
