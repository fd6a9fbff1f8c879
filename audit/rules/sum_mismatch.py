"""`sum_mismatch`: a criterion whose value is not the sum (or the mean, for a framework
that averages) of its children's, beyond the rounding of each child."""

from __future__ import annotations

from parindex.audit.core import FlagSink, fmt, val
from parindex.audit.groups import aggregate, by_table_year, children
from parindex.audit.registry import TABLE, Rule, register
from parindex.schemas.columns import AGGREGATE_CODES
from parindex.vietnamese.vocabulary import AGGREGATION


def sum_mismatch(doc_obs: list[dict], sink: FlagSink) -> None:
    tol_child = sink.settings.per_child_tolerance
    for (table, year, fw, unit), codes in by_table_year(doc_obs).items():
        how = AGGREGATION.get(fw, "sum")
        if how == "weighted":
            continue
        for pcode, parent in sorted(codes.items(), key=lambda kv: kv[0]):
            if pcode in AGGREGATE_CODES:
                continue
            kids = children(codes, pcode)
            if not kids:
                continue
            for f in ("max_score", "score", "self_score", "target", "percent"):
                pv = val(parent, f)
                vals = [val(k, f) for k in kids if val(k, f) is not None]
                if pv is None or not vals:
                    continue
                expected = aggregate(vals, how)
                tol = tol_child * len(vals)  # SCHEMA.md: rounding of 0.011 per child, for sums and means
                if abs(expected - pv) > tol + 1e-9:
                    what = "mean" if how == "mean" else "sum"
                    sink.add(
                        "sum_mismatch",
                        parent,
                        [pcode],
                        round(expected, 4),
                        pv,
                        f"table {table} {f}: children {what} {fmt(round(expected, 4))} vs parent {fmt(pv)}",
                        tol,
                        extra_key=f,
                    )


RULE = register(
    Rule(
        "sum_mismatch",
        "error",
        "children do not add up to their parent",
        {TABLE: sum_mismatch},
        vietnamese="các mục con cộng lại khác mục cha",
    )
)
