"""One extracted document -> its context and its (unmatched) observations.

This is the normalize stage: tables through `normalizer.tables`, prose through
`normalizer.prose`, both in the document's context (unit, year, index, ranking size).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from normalizer.context import DocumentContext, detect_context, resolve_unit, table_framework
from normalizer.criteria import load_catalog
from normalizer.matching import ACCEPT, match_criterion
from normalizer.prose import ProseContext, read_paragraphs
from normalizer.tables import TableContext, table_observations
from schemas import ExtractedDocument


@dataclass
class NormalizedDocument:
    source: str
    context: DocumentContext
    observations: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def normalize_document(doc: ExtractedDocument) -> NormalizedDocument:
    ctx = detect_context(doc)
    obs: list[dict] = []
    for table in doc.tables:
        tctx = TableContext(framework=table_framework(table.caption, ctx.framework), year=ctx.year, rank_of=ctx.rank_of)
        obs.extend(table_observations(table, tctx))
    catalog = load_catalog()

    def match_domain(label: str) -> str | None:
        m = match_criterion(catalog, label, None, ctx.framework, ctx.unit_level, ctx.province, ctx.year, domains_only=True)
        return m.criterion.code if m.criterion is not None and m.score >= ACCEPT else None

    pctx = ProseContext(year=ctx.year, framework=ctx.framework, rank_of=ctx.rank_of)
    obs.extend(read_paragraphs(doc.paragraphs, pctx, match_domain))
    for o in obs:
        o.setdefault("unit", ctx.unit)
        o.setdefault("unit_level", ctx.unit_level)
        o.setdefault("province", ctx.province)
        if o["unit"] == ctx.unit:
            o.setdefault("unit_code", ctx.unit_code)
        elif o["unit"]:  # another unit named in a sentence: same level and province as the document's
            o.setdefault("unit_code", resolve_unit(o["unit"], ctx.unit_level, ctx.province).get("unit_code"))
    return NormalizedDocument(source=doc.source, context=ctx, observations=obs, warnings=list(doc.warnings))
