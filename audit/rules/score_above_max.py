"""`score_above_max`: a score or self-assessed score above the criterion's maximum, as its
row prints it or, when the row prints none, as the document prints it elsewhere for
the unit's criterion and year."""

from __future__ import annotations

from collections import defaultdict

from parindex.audit.core import FlagSink, criterion_key, fmt, val, where_printed
from parindex.audit.registry import ROW, Rule, register


def score_above_max(doc_obs: list[dict], sink: FlagSink) -> None:
    maxima: dict[tuple, set] = defaultdict(set)
    for o in doc_obs:
        if o.get("code") and val(o, "max_score") is not None:
            maxima[criterion_key(o)].add(val(o, "max_score"))
    for o in doc_obs:
        mx = val(o, "max_score")
        if mx is None and o.get("code"):
            others = maxima.get(criterion_key(o), set())
            mx = next(iter(others)) if len(others) == 1 else None
        if mx is None:
            continue
        for f in ("score", "self_score"):
            v = val(o, f)
            if v is not None and v > mx + 1e-9:
                sink.add(
                    "score_above_max",
                    o,
                    [o.get("code") or ""],
                    f"<= {fmt(mx)}",
                    v,
                    f"{where_printed(o)}: {f} {fmt(v)} > max {fmt(mx)}",
                    0.0,
                    extra_key=f,
                )


RULE = register(
    Rule(
        "score_above_max",
        "error",
        "score above its maximum",
        {ROW: score_above_max},
        vietnamese="điểm vượt điểm tối đa",
    )
)
