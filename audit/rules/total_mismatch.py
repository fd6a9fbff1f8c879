"""`total_mismatch`: a total that is not assessed + survey, or not the sum (or mean) of
the domains (the top-level criteria)."""

from __future__ import annotations

from parindex.audit.core import FlagSink, fmt, val
from parindex.audit.groups import aggregate, by_table_year
from parindex.audit.registry import TABLE, Rule, register
from parindex.schemas.columns import AGGREGATE_CODES
from parindex.vietnamese.vocabulary import AGGREGATION


def total_mismatch(doc_obs: list[dict], sink: FlagSink) -> None:
    tol_child = sink.settings.per_child_tolerance
    for (table, year, fw, unit), codes in by_table_year(doc_obs).items():
        how = AGGREGATION.get(fw, "sum")
        if how == "weighted":
            continue
        total, assessed, survey = codes.get("TOTAL"), codes.get("ASSESSED"), codes.get("SURVEY")
        domains = [o for c, o in codes.items() if c not in AGGREGATE_CODES and "." not in c]
        fields = ("max_score", "score", "target", "percent")
        if total and assessed and survey:
            for f in fields:
                t, a, s = val(total, f), val(assessed, f), val(survey, f)
                if None not in (t, a, s) and abs(a + s - t) > 2 * tol_child + 1e-9:
                    sink.add(
                        "total_mismatch",
                        total,
                        ["TOTAL"],
                        round(a + s, 4),
                        t,
                        f"table {table} {f}: assessed {fmt(a)} + survey {fmt(s)} = {fmt(round(a + s, 4))} vs total {fmt(t)}",
                        2 * tol_child,
                        extra_key=f + "as",
                    )
        target_row = assessed if assessed else (total if not survey else None)
        if target_row is None or not domains:
            continue
        for f in fields:
            tv = val(target_row, f)
            vals = [val(d, f) for d in domains if val(d, f) is not None]
            if tv is None or len(vals) < 2:
                continue
            expected = aggregate(vals, how)
            tol = tol_child * len(vals)  # SCHEMA.md: rounding of 0.011 per child, for sums and means
            if abs(expected - tv) > tol + 1e-9:
                label = "assessed" if target_row is assessed else "total"
                sink.add(
                    "total_mismatch",
                    target_row,
                    [target_row["code"]],
                    round(expected, 4),
                    tv,
                    f"table {table} {f}: domains {'mean' if how == 'mean' else 'sum'} {fmt(round(expected, 4))} vs {label} {fmt(tv)}",
                    tol,
                    extra_key=f + "dom",
                )


def involves_total(flag: dict, o: dict) -> bool:
    """A total's flag is built on the aggregate rows and every domain."""
    code = o.get("code")
    return code in AGGREGATE_CODES or "." not in (code or "")


RULE = register(
    Rule(
        "total_mismatch",
        "error",
        "domains do not add up to the total",
        {TABLE: total_mismatch},
        involves_total,
        vietnamese="các lĩnh vực cộng lại khác tổng điểm",
    )
)
