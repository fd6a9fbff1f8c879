"""`conflict`: one unit's criterion and year printed with different values, in one
document (`conflict`) and between the documents about the unit and year
(`cross_document_conflict`)."""

from __future__ import annotations

import itertools
from collections import defaultdict

from parindex.audit.core import FlagSink, agree, audit_unit, criterion_key, fmt, is_group, val, where_printed
from parindex.audit.groups import base_year
from parindex.audit.registry import DOCUMENT, UNIT_YEAR, Rule, register

# the fields compared within a document; of them, those of a rank are compared only within one ranking
CONFLICT_FIELDS = ("max_score", "score", "self_score", "target", "percent", "rank", "rank_of", "delta", "rank_delta")
RANK_FIELDS = ("rank", "rank_of", "rank_delta")


def _printed_as(o: dict) -> tuple:
    """What `conflict` compares a printing with: the other printings of its unit's
    criterion and year. A group's label may repeat for another group (a "Trung bình"
    row under each block of a table, "Điểm trung bình" of the departments and then of the
    districts), so a group's value is compared only within its own row or sentence."""
    return criterion_key(o) + ((o.get("table"), o.get("page"), o.get("row")) if is_group(o) else ())


def _same_ranking(a: dict, b: dict) -> bool:
    """Whether two printings of a unit's rank rank it in one group. Two sentences that
    rank it in groups of different sizes rank it twice: in the country (x/63) and in its
    region (x/13), as news articles do. (Two tables that do are compared: one of them
    misprints the unit's rank.)"""
    na, nb = val(a, "rank_of"), val(b, "rank_of")
    return bool(a.get("table") or b.get("table")) or na is None or nb is None or na == nb


def _disagree(f: str, vals: list[tuple[float, dict]]) -> bool:
    """Whether two of the printed values of field `f` that should agree do not. Changes
    measured against different years ("so với năm 2019", "so với năm 2012") are two facts."""
    return any(
        not agree(a, b)
        and (f not in RANK_FIELDS or _same_ranking(oa, ob))
        and (f not in ("delta", "rank_delta") or base_year(oa) == base_year(ob))
        for (a, oa), (b, ob) in itertools.combinations(vals, 2)
    )


def conflict(doc_obs: list[dict], sink: FlagSink) -> None:
    """One unit's criterion and year printed with different values in one document."""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for o in doc_obs:
        if o.get("code") and o.get("year"):
            groups[_printed_as(o)].append(o)
    for key, obs in groups.items():
        if len(obs) < 2:
            continue
        for f in CONFLICT_FIELDS:
            vals = [
                (val(o, f), o)
                for o in obs
                if val(o, f) is not None and not (f == "target" and o.get("source_kind") == "narrative")
            ]
            if len(vals) < 2:
                continue
            if not _disagree(f, vals):
                continue
            seen: dict = {}
            for v, o in vals:
                seen.setdefault(fmt(v), []).append(f"table [{o.get('table')}]" if o.get("table") else "table [0]")
            found = ", ".join(f"{v} ({', '.join(dict.fromkeys(w))})" for v, w in seen.items())
            first = vals[0][1]
            sink.add("conflict", first, [first["code"]], fmt(vals[0][0]), found, f"{f} printed as {found}", extra_key=f)


def most_backed(candidates: list[float], printed: list[list[float]]) -> float:
    """The candidate that agrees with a value of the most lists in `printed` (ties: the
    earliest candidate). Each distinct candidate is counted once: a unit printed by
    hundreds of documents mostly repeats a few values, so this stays linear in them."""
    counts: dict[float, int] = {}
    for v in candidates:
        if v not in counts:
            counts[v] = sum(1 for vs in printed if any(agree(v, x) for x in vs))
    return max(candidates, key=counts.__getitem__)


def cross_document_conflict(all_obs: list[dict], sink: FlagSink) -> None:
    """Documents about the same unit, year and criterion that print a value differently:
    one flag per criterion and field, placed at the first dissenting document and naming
    every document that disagrees with the value most of them print (not one flag per
    pair: twenty reports of one unit and year would otherwise give up to 190)."""
    groups: dict[tuple, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for o in all_obs:
        if o.get("code") and o.get("year") and o.get("unit"):
            groups[(audit_unit(o), o["year"], o.get("framework"), o["code"])][o.get("document_id")].append(o)
    for key, by_doc in groups.items():
        if len(by_doc) < 2:
            continue
        docs = sorted(by_doc)
        for f in ("max_score", "score", "percent", "rank", "rank_of"):
            per_doc = {d: [val(o, f) for o in by_doc[d] if val(o, f) is not None] for d in docs}
            per_doc = {d: vs for d, vs in per_doc.items() if vs}
            if len(per_doc) < 2:
                continue

            reference = most_backed([vs[0] for vs in per_doc.values()], list(per_doc.values()))
            dissent = [d for d, vs in per_doc.items() if not any(agree(reference, x) for x in vs)]
            if not dissent:
                continue
            dissenting = set(dissent)
            agreeing = [d for d in per_doc if d not in dissenting]

            def where(d: str) -> str:
                o = next(o for o in by_doc[d] if val(o, f) is not None)
                return f"{o.get('source')} ({where_printed(o)})"

            listed = [f"{fmt(per_doc[d][0])} in {where(d)}" for d in dissent[:5]]
            more = f" and {len(dissent) - 5} more documents" if len(dissent) > 5 else ""
            backed = ", ".join(where(d) for d in agreeing[:3]) + (
                f" and {len(agreeing) - 3} more" if len(agreeing) > 3 else ""
            )
            at = next(o for o in by_doc[dissent[0]] if val(o, f) is not None)
            sink.add(
                "conflict",
                at,
                [key[3]],
                fmt(reference),
                fmt(per_doc[dissent[0]][0]),
                f"{f} printed as {fmt(reference)} in {backed} but as " + "; ".join(listed) + more,
                extra_key=f + "across",
            )


RULE = register(
    Rule(
        "conflict",
        "warning",
        "one value printed differently",
        {DOCUMENT: conflict, UNIT_YEAR: cross_document_conflict},
        vietnamese="cùng một giá trị được in khác nhau",
    )
)
