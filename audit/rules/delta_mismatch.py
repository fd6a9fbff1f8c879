"""`delta_mismatch`: a printed change (of a score, a percent or a rank) that the unit's
values for the two years, as the document prints them, do not give."""

from __future__ import annotations

import itertools

from parindex.audit.core import FlagSink, criterion_key, fmt, val, where_printed
from parindex.audit.groups import base_year, printed_values, printings
from parindex.audit.registry import DOCUMENT, Rule, register


def delta_mismatch(doc_obs: list[dict], sink: FlagSink) -> None:
    tol = sink.settings.delta_tolerance
    index = printings(doc_obs)
    for o in doc_obs:
        d, code, year = val(o, "delta"), o.get("code"), o.get("year")
        if d is not None and code and year:
            basis = o.get("delta_basis") or "score"
            cur = printed_values(index, criterion_key(o), basis)
            prev = printed_values(index, criterion_key(o, base_year(o)), basis)
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
                    f"{where_printed(o)}: printed change {fmt(d)} but {basis} went {fmt(p)} -> {fmt(c)} ({fmt(round(c - p, 4))})",
                    tol,
                    extra_key="delta",
                )
        rd = val(o, "rank_delta")
        if rd is not None and code and year:
            cur = printed_values(index, criterion_key(o), "rank")
            prev = printed_values(index, criterion_key(o, base_year(o)), "rank")
            pairs = [
                (c, p)
                for (c, xc), (p, xp) in itertools.product(cur, prev)
                if val(xc, "rank_of") is not None
                and val(xc, "rank_of") == val(xp, "rank_of")
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
                    f"{where_printed(o)}: printed rank change {fmt(rd)} but rank went {fmt(p)} -> {fmt(c)}",
                    0.0,
                    extra_key="rank",
                )


RULE = register(
    Rule(
        "delta_mismatch",
        "warning",
        "printed change does not match the values",
        {DOCUMENT: delta_mismatch},
        vietnamese="mức tăng, giảm in ra không khớp các giá trị",
    )
)
