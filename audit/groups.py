"""How rules group a document's printings: each unit's criteria in one table and year
(sums and totals), and every printing of one unit's criterion and year (changes,
percents, conflicts)."""

from __future__ import annotations

from collections import defaultdict

from parindex.audit.core import audit_unit, criterion_key, val
from parindex.schemas.columns import AGGREGATE_CODES
from parindex.vietnamese.codes import parent_code


def by_table_year(doc_obs: list[dict]) -> dict[tuple, dict[str, dict]]:
    """Each unit's criteria in one table, year and framework: code -> its first row."""
    groups: dict[tuple, dict[str, dict]] = defaultdict(dict)
    for o in doc_obs:
        if not o.get("table") or not o.get("code"):
            continue
        groups[(o.get("table"), o.get("year"), o.get("framework"), audit_unit(o))].setdefault(o["code"], o)
    return groups


def children(codes: dict[str, dict], parent: str) -> list[dict]:
    """The rows of the criteria numbered directly under `parent` (no aggregate row)."""
    return [o for c, o in codes.items() if c not in AGGREGATE_CODES and parent_code(c) == parent]


def aggregate(values: list[float], how: str) -> float:
    """What a parent prints of its children: their mean for a framework that averages
    (`vietnamese.vocabulary.AGGREGATION`), else their sum."""
    return sum(values) / len(values) if how == "mean" else sum(values)


def printings(doc_obs: list[dict]) -> dict[tuple, list[dict]]:
    """Every printing of each unit's criterion and year (`criterion_key`), in printed order."""
    index: dict[tuple, list[dict]] = defaultdict(list)
    for o in doc_obs:
        if o.get("code"):
            index[criterion_key(o)].append(o)
    return index


def printed_values(index: dict[tuple, list[dict]], key: tuple, f: str) -> list[tuple[float, dict]]:
    """(value, printing) of field `f` for each printing of `key` that prints it."""
    return [(val(o, f), o) for o in index.get(key, ()) if val(o, f) is not None]


def base_year(o: dict) -> int:
    """The year a printed change is measured against: the one printed, else the year before."""
    return int(o.get("delta_from") or o["year"] - 1)
