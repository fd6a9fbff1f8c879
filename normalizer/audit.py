"""Audit rules over observations: each rule is a small function returning flags.

Vocabulary (`rule`) follows shared/truth/SCHEMA.md. Every flag carries severity,
expected and found values, the tolerance used, and where the number was printed.
`AuditSettings` turns rules off or changes their severity and tolerances.

A document may be about many units (a province's ranking of its departments): each
rule here compares the printings of one unit (`unit_identity`) only; the rules that
compare the units of one ranking are in `normalizer.audit_ranking`, what every rule
shares in `normalizer.audit_core`. `DOCUMENT_RULES` registers the rules of one
document; `audit_across` runs those between documents.
"""

from __future__ import annotations

import functools
import itertools
from collections import Counter, defaultdict

# settings, sink, agree and unit_identity are imported from here by the rest of parindex
from parindex.normalizer.audit_core import (  # noqa: F401
    DEFAULT_SEVERITY,
    AuditSettings,
    FlagSink,
    _fmt,
    _v,
    _where,
    agree,
    is_group,
    unit_identity,
)
from parindex.normalizer.audit_ranking import RANKING_RULES
from parindex.schemas.columns import VALUE_FIELDS
from parindex.vietnamese.codes import parent_code
from parindex.vietnamese.numbers import decimals
from parindex.vietnamese.vocabulary import AGGREGATION

AGGREGATE = ("TOTAL", "ASSESSED", "SURVEY")


def criterion_key(o: dict, year=None) -> tuple:
    """One unit's criterion in one year and framework: what a document about many units
    compares its printings within (`year` for another year of the same criterion)."""
    return (unit_identity(o), o.get("year") if year is None else year, o.get("framework"), o.get("code"))


# ---------------------------------------------------------------- single observation rules


def score_above_max(doc_obs: list[dict], sink: FlagSink) -> None:
    maxima: dict[tuple, set] = defaultdict(set)
    for o in doc_obs:
        if o.get("code") and _v(o, "max_score") is not None:
            maxima[criterion_key(o)].add(_v(o, "max_score"))
    for o in doc_obs:
        mx = _v(o, "max_score")
        if mx is None and o.get("code"):
            others = maxima.get(criterion_key(o), set())
            mx = next(iter(others)) if len(others) == 1 else None
        if mx is None:
            continue
        for f in ("score", "self_score"):
            v = _v(o, f)
            if v is not None and v > mx + 1e-9:
                sink.add(
                    "score_above_max",
                    o,
                    [o.get("code") or ""],
                    f"<= {_fmt(mx)}",
                    v,
                    f"{_where(o)}: {f} {_fmt(v)} > max {_fmt(mx)}",
                    0.0,
                    extra_key=f,
                )


def rank_out_of_range(doc_obs: list[dict], sink: FlagSink) -> None:
    """A rank below 1 or above the number ranked, on each unit's row (a group's value is
    not ranked)."""
    for o in doc_obs:
        r, n = _v(o, "rank"), _v(o, "rank_of")
        if r is None or is_group(o):
            continue
        if r < 1 or (n is not None and r > n):
            sink.add(
                "rank_out_of_range",
                o,
                [o.get("code") or ""],
                f"1..{_fmt(n) if n else '?'}",
                r,
                f"{_where(o)}: rank {_fmt(r)} of {_fmt(n)}",
            )


# ---------------------------------------------------------------- table structure rules


def _by_table_year(doc_obs: list[dict]):
    """Each unit's criteria in one table, year and framework: code -> its first row."""
    groups: dict[tuple, dict[str, dict]] = defaultdict(dict)
    for o in doc_obs:
        if not o.get("table") or not o.get("code"):
            continue
        groups[(o.get("table"), o.get("year"), o.get("framework"), unit_identity(o))].setdefault(o["code"], o)
    return groups


def _children(codes: dict[str, dict], parent: str) -> list[dict]:
    return [o for c, o in codes.items() if c not in AGGREGATE and parent_code(c) == parent]


def _aggregate(values: list[float], how: str) -> float:
    return sum(values) / len(values) if how == "mean" else sum(values)


def sum_mismatch(doc_obs: list[dict], sink: FlagSink) -> None:
    tol_child = sink.settings.per_child_tolerance
    for (table, year, fw, unit), codes in _by_table_year(doc_obs).items():
        how = AGGREGATION.get(fw, "sum")
        if how == "weighted":
            continue
        for pcode, parent in sorted(codes.items(), key=lambda kv: kv[0]):
            if pcode in AGGREGATE:
                continue
            kids = _children(codes, pcode)
            if not kids:
                continue
            for f in ("max_score", "score", "self_score", "target", "percent"):
                pv = _v(parent, f)
                vals = [_v(k, f) for k in kids if _v(k, f) is not None]
                if pv is None or not vals:
                    continue
                expected = _aggregate(vals, how)
                tol = tol_child * len(vals)  # SCHEMA.md: rounding of 0.011 per child, for sums and means
                if abs(expected - pv) > tol + 1e-9:
                    what = "mean" if how == "mean" else "sum"
                    sink.add(
                        "sum_mismatch",
                        parent,
                        [pcode],
                        round(expected, 4),
                        pv,
                        f"table {table} {f}: children {what} {_fmt(round(expected, 4))} vs parent {_fmt(pv)}",
                        tol,
                        extra_key=f,
                    )


def total_mismatch(doc_obs: list[dict], sink: FlagSink) -> None:
    tol_child = sink.settings.per_child_tolerance
    for (table, year, fw, unit), codes in _by_table_year(doc_obs).items():
        how = AGGREGATION.get(fw, "sum")
        if how == "weighted":
            continue
        total, assessed, survey = codes.get("TOTAL"), codes.get("ASSESSED"), codes.get("SURVEY")
        domains = [o for c, o in codes.items() if c not in AGGREGATE and "." not in c]
        fields = ("max_score", "score", "target", "percent")
        if total and assessed and survey:
            for f in fields:
                t, a, s = _v(total, f), _v(assessed, f), _v(survey, f)
                if None not in (t, a, s) and abs(a + s - t) > 2 * tol_child + 1e-9:
                    sink.add(
                        "total_mismatch",
                        total,
                        ["TOTAL"],
                        round(a + s, 4),
                        t,
                        f"table {table} {f}: assessed {_fmt(a)} + survey {_fmt(s)} = {_fmt(round(a + s, 4))} vs total {_fmt(t)}",
                        2 * tol_child,
                        extra_key=f + "as",
                    )
        target_row = assessed if assessed else (total if not survey else None)
        if target_row is None or not domains:
            continue
        for f in fields:
            tv = _v(target_row, f)
            vals = [_v(d, f) for d in domains if _v(d, f) is not None]
            if tv is None or len(vals) < 2:
                continue
            expected = _aggregate(vals, how)
            tol = tol_child * len(vals)  # SCHEMA.md: rounding of 0.011 per child, for sums and means
            if abs(expected - tv) > tol + 1e-9:
                label = "assessed" if target_row is assessed else "total"
                sink.add(
                    "total_mismatch",
                    target_row,
                    [target_row["code"]],
                    round(expected, 4),
                    tv,
                    f"table {table} {f}: domains {'mean' if how == 'mean' else 'sum'} {_fmt(round(expected, 4))} vs {label} {_fmt(tv)}",
                    tol,
                    extra_key=f + "dom",
                )


def code_gap(doc_obs: list[dict], sink: FlagSink) -> None:
    """A skipped number in a unit's criteria numbering, per table (a ranking table's
    units each print their own codes, if any: one unit's 1, 2, 4 is a gap, units 1, 2, 4
    of a list are not)."""
    per_table: dict[tuple, dict[str, dict]] = defaultdict(dict)
    for o in doc_obs:
        c = o.get("code")
        if o.get("table") and c and c not in AGGREGATE:
            per_table[(o["table"], o.get("framework"), unit_identity(o))].setdefault(c, o)
    for (table, fw, _), codes in per_table.items():
        siblings: dict[str | None, list[str]] = defaultdict(list)
        for c in codes:
            siblings[parent_code(c)].append(c)
        for parent, kids in siblings.items():
            nums = sorted((int(k.rsplit(".", 1)[-1]), k) for k in kids if k.rsplit(".", 1)[-1].isdigit())
            for (a, _), (b, kb) in zip(nums, nums[1:]):
                for missing in range(a + 1, b):
                    mcode = f"{parent}.{missing}" if parent else str(missing)
                    sink.add(
                        "code_gap",
                        codes[kb],
                        [mcode],
                        mcode,
                        kb,
                        f"table {table}: {mcode} missing in numbering under {parent or 'top level'}",
                        year="any",
                    )


# ---------------------------------------------------------------- cross-observation rules


def _printings(doc_obs: list[dict]) -> dict[tuple, list[dict]]:
    """Every printing of each unit's criterion and year (`criterion_key`), in printed order."""
    index: dict[tuple, list[dict]] = defaultdict(list)
    for o in doc_obs:
        if o.get("code"):
            index[criterion_key(o)].append(o)
    return index


def _values(printings: dict[tuple, list[dict]], key: tuple, f: str) -> list[tuple[float, dict]]:
    return [(_v(o, f), o) for o in printings.get(key, ()) if _v(o, f) is not None]


def _base_year(o: dict) -> int:
    """The year a printed change is measured against: the one printed, else the year before."""
    return int(o.get("delta_from") or o["year"] - 1)


def delta_mismatch(doc_obs: list[dict], sink: FlagSink) -> None:
    tol = sink.settings.delta_tolerance
    printings = _printings(doc_obs)
    for o in doc_obs:
        d, code, year = _v(o, "delta"), o.get("code"), o.get("year")
        if d is not None and code and year:
            basis = o.get("delta_basis") or "score"
            cur = _values(printings, criterion_key(o), basis)
            prev = _values(printings, criterion_key(o, _base_year(o)), basis)
            own = [(v, x) for v, x in cur if x is o]
            cur = own or cur
            same_table = [
                (c, p)
                for (c, xc), (p, xp) in itertools.product(cur, prev)
                if xc.get("table") == xp.get("table") == o.get("table")
            ]
            pairs = same_table or [(c, p) for (c, _), (p, _) in itertools.product(cur, prev)]
            if pairs and not any(abs((c - p) - d) <= tol for c, p in pairs):
                c, p = pairs[0]
                sink.add(
                    "delta_mismatch",
                    o,
                    [code],
                    round(c - p, 4),
                    d,
                    f"{_where(o)}: printed change {_fmt(d)} but {basis} went {_fmt(p)} -> {_fmt(c)} ({_fmt(round(c - p, 4))})",
                    tol,
                    extra_key="delta",
                )
        rd = _v(o, "rank_delta")
        if rd is not None and code and year:
            cur = _values(printings, criterion_key(o), "rank")
            prev = _values(printings, criterion_key(o, _base_year(o)), "rank")
            pairs = [
                (c, p)
                for (c, xc), (p, xp) in itertools.product(cur, prev)
                if _v(xc, "rank_of") is not None
                and _v(xc, "rank_of") == _v(xp, "rank_of")
                and (not o.get("table") or xc.get("table") == xp.get("table") == o.get("table"))
            ]
            if pairs and not any((p - c) == rd for c, p in pairs):
                c, p = pairs[0]
                sink.add(
                    "delta_mismatch",
                    o,
                    [code],
                    p - c,
                    rd,
                    f"{_where(o)}: printed rank change {_fmt(rd)} but rank went {_fmt(p)} -> {_fmt(c)}",
                    0.0,
                    extra_key="rank",
                )


def percent_mismatch(doc_obs: list[dict], sink: FlagSink) -> None:
    printings = _printings(doc_obs)
    for o in doc_obs:
        pct, code = _v(o, "percent"), o.get("code")
        if pct is None or not code or o.get("framework") in ("SIPAS", "DTI"):
            continue
        scores = _values(printings, criterion_key(o), "score")
        maxes = _values(printings, criterion_key(o), "max_score")
        own = [(s, m) for (s, xs), (m, xm) in itertools.product(scores, maxes) if xs is o and xm is o]
        pairs = own or [(s, m) for (s, xs), (m, xm) in itertools.product(scores, maxes) if xs is xm]
        pairs = [(s, m) for s, m in pairs if m]
        if not pairs:
            continue
        ok = False
        for s, m in pairs:
            tol = 0.5 * 10 ** -decimals(pct) + 0.5 * 10 ** -max(decimals(s), 0) / m * 100 + 0.01
            if abs(s / m * 100 - pct) <= tol:
                ok = True
                break
        if not ok:
            s, m = pairs[0]
            sink.add(
                "percent_mismatch",
                o,
                [code],
                round(s / m * 100, 2),
                pct,
                f"{_where(o)}: printed {_fmt(pct)}% but {_fmt(s)}/{_fmt(m)} = {round(s / m * 100, 2)}%",
            )


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
    na, nb = _v(a, "rank_of"), _v(b, "rank_of")
    return bool(a.get("table") or b.get("table")) or na is None or nb is None or na == nb


def _disagree(f: str, vals: list[tuple[float, dict]]) -> bool:
    """Whether two of the printed values of field `f` that should agree do not. Changes
    measured against different years ("so với năm 2019", "so với năm 2012") are two facts."""
    return any(
        not agree(a, b)
        and (f not in RANK_FIELDS or _same_ranking(oa, ob))
        and (f not in ("delta", "rank_delta") or _base_year(oa) == _base_year(ob))
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
                (_v(o, f), o)
                for o in obs
                if _v(o, f) is not None and not (f == "target" and o.get("source_kind") == "narrative")
            ]
            if len(vals) < 2:
                continue
            if not _disagree(f, vals):
                continue
            seen: dict = {}
            for v, o in vals:
                seen.setdefault(_fmt(v), []).append(f"table [{o.get('table')}]" if o.get("table") else "table [0]")
            found = ", ".join(f"{v} ({', '.join(dict.fromkeys(w))})" for v, w in seen.items())
            first = vals[0][1]
            sink.add(
                "conflict", first, [first["code"]], _fmt(vals[0][0]), found, f"{f} printed as {found}", extra_key=f
            )


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
            groups[(unit_identity(o), o["year"], o.get("framework"), o["code"])][o.get("document_id")].append(o)
    for key, by_doc in groups.items():
        if len(by_doc) < 2:
            continue
        docs = sorted(by_doc)
        for f in ("max_score", "score", "percent", "rank", "rank_of"):
            per_doc = {d: [_v(o, f) for o in by_doc[d] if _v(o, f) is not None] for d in docs}
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
                o = next(o for o in by_doc[d] if _v(o, f) is not None)
                return f"{o.get('source')} ({_where(o)})"

            listed = [f"{_fmt(per_doc[d][0])} in {where(d)}" for d in dissent[:5]]
            more = f" and {len(dissent) - 5} more documents" if len(dissent) > 5 else ""
            backed = ", ".join(where(d) for d in agreeing[:3]) + (
                f" and {len(agreeing) - 3} more" if len(agreeing) > 3 else ""
            )
            at = next(o for o in by_doc[dissent[0]] if _v(o, f) is not None)
            sink.add(
                "conflict",
                at,
                [key[3]],
                _fmt(reference),
                _fmt(per_doc[dissent[0]][0]),
                f"{f} printed as {_fmt(reference)} in {backed} but as " + "; ".join(listed) + more,
                extra_key=f + "across",
            )


@functools.lru_cache(maxsize=1)
def _criteria_by_id() -> dict:
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
        mx, year = _v(o, "max_score"), o.get("year")
        # only where the catalog asserts a max for a dated version: then the max is fixed
        if crit is None or crit.max_score is None or mx is None or not year or crit.year_from is None:
            continue
        groups[(unit_identity(o), o.get("framework"), crit.criterion_id, int(year))].append((mx, o))
    maxima = {}
    for key, printed in groups.items():
        m = Counter(v for v, _ in printed).most_common(1)[0][0]
        maxima[key] = (m, next(o for v, o in printed if v == m))
    return maxima


def max_change_of(maxima: dict[tuple, tuple[float, dict]], sink: FlagSink) -> None:
    """`max_change`: a criterion's printed max differs between two years that one
    catalog version covers (the framework did not change, so the maximum should not have
    either), from the `year_maxima` of every year of the units concerned."""
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
                    f"max of {crit.code} printed {_fmt(m1)} for {y1} and {_fmt(m2)} for {y2}, but catalog version "
                    f"{crit.version} ({lo}-{crit.year_to or ''}) applies to both",
                    year=y2,
                    extra_key=str(y1),
                )


# ---------------------------------------------------------------- values read from scans

# below this confidence (0-100) an OCR'd value is in doubt: `extractors.ocr_repair` lowers
# every cell it could not make fit its table below it
OCR_TRUSTED = 60.0
RANKING_RULE_NAMES = {r.__name__ for r in RANKING_RULES}


def in_doubt(o: dict) -> bool:
    """A value read from a scan with too little confidence to audit it."""
    c = _v(o, "ocr_confidence")
    return c is not None and c < OCR_TRUSTED


def ocr_uncertain(doc_obs: list[dict], sink: FlagSink) -> None:
    """One flag per doubtful printing (a row and year read from a scan), in place of
    the rule violations its values would raise."""
    for o in doc_obs:
        if in_doubt(o):
            values = ", ".join(f"{f} {_fmt(_v(o, f))}" for f in VALUE_FIELDS if _v(o, f) is not None)
            sink.add(
                "ocr_uncertain",
                o,
                [o.get("code") or ""],
                f">= {_fmt(OCR_TRUSTED)}",
                _v(o, "ocr_confidence"),
                f"{_where(o)}: read from a scan with confidence {_fmt(_v(o, 'ocr_confidence'))}"
                f" ({o.get('printed_code') or o.get('code') or ''} {values}); not audited",
            )


def _involves(flag: dict, o: dict) -> bool:
    """Is the doubtful printing `o` among the values `flag` was built on? Its code, a
    child of it, a sibling for a numbering gap, any row of a ranking, or any domain of a
    total."""
    across = flag["rule"] == "conflict"  # may compare printings of two documents
    if (flag.get("unit"), flag.get("framework")) != (o.get("unit"), o.get("framework")):
        return False
    if not across and (
        flag.get("document_id") != o.get("document_id")
        or (flag.get("table") is not None and flag["table"] != o.get("table"))
    ):
        return False
    if flag.get("year") is not None and flag["year"] != o.get("year"):
        return False
    rule, code, codes = flag["rule"], o.get("code"), (flag.get("codes") or "").split(",")
    if rule in RANKING_RULE_NAMES:
        return True
    if rule == "code_gap":
        return any(parent_code(code) == parent_code(c) for c in codes)
    if rule == "total_mismatch":
        return code in AGGREGATE or "." not in (code or "")
    return code in codes or parent_code(code) in codes


def without_doubtful(flags: list[dict], obs: list[dict]) -> list[dict]:
    """The flags that are not built on a value read in doubt (`ocr_uncertain` stays)."""
    doubtful = [o for o in obs if in_doubt(o)]
    if not doubtful:
        return flags
    return [f for f in flags if f["rule"] == "ocr_uncertain" or not any(_involves(f, o) for o in doubtful)]


# the rules of one document, in the order they run (a rule's name and default severity
# are in schemas.columns.RULE_SEVERITY)
DOCUMENT_RULES = (
    score_above_max,
    rank_out_of_range,
    sum_mismatch,
    total_mismatch,
    code_gap,
    delta_mismatch,
    percent_mismatch,
    conflict,
    *RANKING_RULES,
    ocr_uncertain,
)


def audit_document(doc_obs: list[dict], settings: AuditSettings | None = None) -> list[dict]:
    """Flags one document raises on its own (sums, maxima, ranks, totals, numbering,
    changes, percents, values printed twice differently inside it, the order, ties,
    sizes and classes of its rankings), each unit of the document on its own except
    where a rule compares the units of one ranking."""
    sink = FlagSink(settings or AuditSettings())
    doc_obs = sorted(doc_obs, key=printed_order)  # the same flags whatever order rows come in
    for rule in DOCUMENT_RULES:
        rule(doc_obs, sink)
    return without_doubtful(sink.flags, doc_obs)


def printed_order(o: dict) -> tuple:
    """Tables before sentences, then table, page, row, year, framework, code: where a
    flag about several printings is placed (the first) does not depend on row order."""
    return (
        0 if o.get("table") else 1,
        o.get("table") or 0,
        o.get("page") or 0,
        o.get("row") or 0,
        o.get("year") or 0,
        o.get("framework") or "",
        o.get("code") or "",
    )


def audit_across(unit_obs: list[dict], settings: AuditSettings | None = None) -> list[dict]:
    """Flags between documents: one value printed differently by two documents, a max
    that changes between years of one catalog version. Both compare observations of one
    unit only (bulk imports audit a few years of a few units at a time with
    `audit_across_years` and `max_change_flags`; the flags are the same)."""
    flags, maxima = audit_across_years(unit_obs, settings)
    return flags + max_change_flags(maxima, settings)


def audit_across_years(obs: list[dict], settings: AuditSettings | None = None) -> tuple[list[dict], dict]:
    """The flags between documents that need only one unit and year (`conflict`), and
    the `year_maxima` of these observations for `max_change_flags`. `obs` must hold all
    the observations of each unit and year it holds any of."""
    settings = settings or AuditSettings()
    sink = FlagSink(settings)
    obs = sorted(obs, key=lambda o: (str(o.get("document_id")),) + printed_order(o))
    if settings.cross_document:
        cross_document_conflict(obs, sink)
    return without_doubtful(sink.flags, obs), year_maxima([o for o in obs if not in_doubt(o)])


def max_change_flags(maxima: dict, settings: AuditSettings | None = None) -> list[dict]:
    """`max_change` flags from the merged `year_maxima` of every year of some units."""
    sink = FlagSink(settings or AuditSettings())
    max_change_of(maxima, sink)
    return sink.flags


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
