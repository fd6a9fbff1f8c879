"""`percent_mismatch`: a printed percentage that is not score / maximum, beyond the
precision both are printed to."""

from __future__ import annotations

import itertools

from parindex.audit.core import FlagSink, criterion_key, fmt, val, where_printed
from parindex.audit.groups import printed_values, printings
from parindex.audit.registry import DOCUMENT, Rule, register
from parindex.vietnamese.numbers import decimals


def percent_mismatch(doc_obs: list[dict], sink: FlagSink) -> None:
    index = printings(doc_obs)
    for o in doc_obs:
        pct, code = val(o, "percent"), o.get("code")
        if pct is None or not code or o.get("framework") in ("SIPAS", "DTI"):
            continue
        scores = printed_values(index, criterion_key(o), "score")
        maxes = printed_values(index, criterion_key(o), "max_score")
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
                f"{where_printed(o)}: printed {fmt(pct)}% but {fmt(s)}/{fmt(m)} = {round(s / m * 100, 2)}%",
            )


RULE = register(
    Rule(
        "percent_mismatch",
        "warning",
        "percentage does not match score and maximum",
        {DOCUMENT: percent_mismatch},
        vietnamese="tỷ lệ % không khớp điểm và điểm tối đa",
    )
)
