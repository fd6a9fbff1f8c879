"""`rank_out_of_range`: a rank below 1 or above the number ranked."""

from __future__ import annotations

from parindex.audit.core import FlagSink, fmt, is_group, val, where_printed
from parindex.audit.registry import ROW, Rule, register


def rank_out_of_range(doc_obs: list[dict], sink: FlagSink) -> None:
    """A rank below 1 or above the number ranked, on each unit's row (a group's value is
    not ranked)."""
    for o in doc_obs:
        r, n = val(o, "rank"), val(o, "rank_of")
        if r is None or is_group(o):
            continue
        if r < 1 or (n is not None and r > n):
            sink.add(
                "rank_out_of_range",
                o,
                [o.get("code") or ""],
                f"1..{fmt(n) if n else '?'}",
                r,
                f"{where_printed(o)}: rank {fmt(r)} of {fmt(n)}",
            )


RULE = register(
    Rule(
        "rank_out_of_range",
        "error",
        "rank outside the ranking",
        {ROW: rank_out_of_range},
        vietnamese="thứ hạng nằm ngoài bảng xếp hạng",
    )
)
