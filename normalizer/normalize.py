"""One extracted document -> its context and its (unmatched) observations.

This is the normalize stage: tables through `normalizer.table_observations`, prose through
`normalizer.prose`, both in the document's context (unit, year, index, ranking size).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from parindex.normalizer.context import DocumentContext, detect_context, table_framework
from parindex.normalizer.criteria import load_catalog
from parindex.normalizer.matching import ACCEPT, match_criterion
from parindex.normalizer.prose import ProseContext, read_paragraphs
from parindex.normalizer.table_observations import TableContext, table_observations
from parindex.normalizer.unit_prose import UnitProseContext, drop_repeated, group_sizes, same_unit_names
from parindex.normalizer.units import canonical_unit, split_unit_prefix
from parindex.schemas import ExtractedDocument
from parindex.schemas.columns import GROUP_LEVEL
from parindex.schemas.observation import Observation


@dataclass
class NormalizedDocument:
    source: str
    context: DocumentContext
    observations: list[Observation] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def normalize_document(doc: ExtractedDocument) -> NormalizedDocument:
    ctx = detect_context(doc)
    obs: list[Observation] = []
    sizes, fractions = group_sizes([p.text for p in doc.paragraphs], ctx.province)
    for table in doc.tables:
        tctx = TableContext(
            framework=table_framework(table.caption, ctx.framework),
            year=ctx.year,
            rank_of=ctx.rank_of,
            group_sizes=sizes,
        )
        obs.extend(table_observations(table, tctx))
    _ocr_confidence(doc, obs)
    catalog = load_catalog()

    def match_domain(label: str) -> str | None:
        m = match_criterion(
            catalog, label, None, ctx.framework, ctx.unit_level, ctx.province, ctx.year, domains_only=True
        )
        return m.criterion.code if m.criterion is not None and m.score >= ACCEPT else None

    uctx = UnitProseContext(
        year=ctx.year, framework=ctx.framework, province=ctx.province, group_sizes=sizes, fraction_sizes=fractions
    )
    pctx = ProseContext(
        year=ctx.year, framework=ctx.framework, rank_of=ctx.rank_of, unit=ctx.printed_unit or ctx.unit, units=uctx
    )
    obs.extend(read_paragraphs(doc.paragraphs, pctx, match_domain))
    same_unit_names(obs, ctx.province)
    obs = drop_repeated(obs)
    named = {o["printed_unit"] for o in obs if o.get("printed_unit") and o.get("unit_level") != GROUP_LEVEL}
    if len(named) > 1:  # about many units: no unit of the document's own
        ctx.unit = ctx.unit_code = ctx.unit_2025 = ctx.unit_code_2025 = None
    for o in obs:
        _assign_unit(o, ctx)
    return NormalizedDocument(source=doc.source, context=ctx, observations=obs, warnings=list(doc.warnings))


def _ocr_confidence(doc: ExtractedDocument, observations: list[Observation]) -> None:
    """A value read from a scanned row carries how surely that row was read (the lowest
    confidence of its cells), so the audit can tell a doubtful reading from an error."""
    rows = doc.row_confidence()
    for o in observations:
        conf = rows.get((o.get("table"), o.get("row")))
        if conf is not None:
            o["ocr_confidence"] = conf


def _assign_unit(o: Observation, ctx: DocumentContext) -> None:
    """Each observation's unit: the one printed on its row or in its sentence, else the
    document's; its canonical name, official code and level from the units catalog."""
    printed = o.get("printed_unit")
    if not printed:
        o["unit"], o["printed_unit"] = ctx.unit, ctx.printed_unit or ctx.unit
        o.setdefault("unit_level", ctx.unit_level)
        o.setdefault("province", ctx.province)
        o.setdefault("unit_code", ctx.unit_code)
        return
    level = o.get("unit_level") or split_unit_prefix(printed).level
    o["unit_level"] = level
    if level == GROUP_LEVEL:
        o.setdefault("unit", printed)
        o.setdefault("province", ctx.province)
        return
    identity = canonical_unit(printed, level, ctx.province, o.get("year"))
    o["unit"] = identity.unit
    o["unit_code"] = o.get("unit_code") or identity.unit_code
    o["unit_level"] = identity.unit_level or level
    o["province"] = identity.province or (ctx.province if identity.unit_level not in ("ministry",) else None)
