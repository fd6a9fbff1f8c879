"""`max_change`: a criterion's printed maximum differs between two years that one
catalog version covers (the framework did not change, so the maximum should not have
either). Across years: each unit-year is summarised by `year_maxima`, and
`max_change` compares the summaries of a unit's years."""

from __future__ import annotations

import functools
from collections import Counter, defaultdict

from parindex.audit.core import FlagSink, agree, audit_unit, fmt, val
from parindex.audit.registry import ACROSS_YEARS, AcrossYears, Rule, register


@functools.lru_cache(maxsize=1)
def _criteria_by_id() -> dict:
    """The catalog's criteria by id, loaded once."""
    from parindex.normalizer.criteria import load_catalog

    return {c.criterion_id: c for c in load_catalog().criteria}


def year_maxima(all_obs: list[dict]) -> dict[tuple, tuple[float, dict]]:
    """What `max_change` needs of each year: per (unit, framework, criterion, year), the
    max most observations print (ties: the first printed) and the first observation that
    prints it. An entry needs only its own year's observations, so a unit printed in
    hundreds of documents can be audited a few years at a time and the entries merged."""
    by_id = _criteria_by_id()
    groups: dict[tuple, list[tuple[float, dict]]] = defaultdict(list)
    for o in all_obs:
        crit = by_id.get(o.get("criterion_id") or "")
        mx, year = val(o, "max_score"), o.get("year")
        # only where the catalog asserts a max for a dated version: then the max is fixed
        if crit is None or crit.max_score is None or mx is None or not year or crit.year_from is None:
            continue
        groups[(audit_unit(o), o.get("framework"), crit.criterion_id, int(year))].append((mx, o))
    maxima = {}
    for key, printed in groups.items():
        m = Counter(v for v, _ in printed).most_common(1)[0][0]
        maxima[key] = (m, next(o for v, o in printed if v == m))
    return maxima


def max_change(maxima: dict[tuple, tuple[float, dict]], sink: FlagSink) -> None:
    """The flags of `max_change`, from the merged `year_maxima` of every year of the
    units concerned."""
    by_id = _criteria_by_id()
    years_of: dict[tuple, dict[int, tuple[float, dict]]] = defaultdict(dict)
    for (unit, fw, cid, year), entry in maxima.items():
        years_of[(unit, fw, cid)][year] = entry
    for (unit, fw, cid), years in years_of.items():
        crit = by_id[cid]
        lo, hi = crit.year_from, crit.year_to or 9999
        ordered = sorted(y for y in years if lo <= y <= hi)
        for y1, y2 in zip(ordered, ordered[1:]):
            (m1, _), (m2, at) = years[y1], years[y2]
            if not agree(m1, m2):
                sink.add(
                    "max_change",
                    at,
                    [crit.code],
                    m1,
                    m2,
                    f"max of {crit.code} printed {fmt(m1)} for {y1} and {fmt(m2)} for {y2}, but catalog version "
                    f"{crit.version} ({lo}-{crit.year_to or ''}) applies to both",
                    year=y2,
                    extra_key=str(y1),
                )


RULE = register(
    Rule(
        "max_change",
        "info",
        "maximum changes between years",
        {ACROSS_YEARS: AcrossYears(summarize=year_maxima, check=max_change)},
        vietnamese="điểm tối đa thay đổi giữa các năm",
    )
)
