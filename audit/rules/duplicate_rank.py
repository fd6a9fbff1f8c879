"""`duplicate_rank`: within a ranking (`audit.rankings`), two units that share a rank
without an equal index."""

from __future__ import annotations

from collections import defaultdict

from parindex.audit.core import FlagSink, audit_unit, fmt, unit_name, val
from parindex.audit.rankings import (
    equal,
    index_field,
    involves_any_row,
    placed_rows,
    rank_standing,
    rankings,
    show_index,
    two_rows,
)
from parindex.audit.registry import TABLE, Rule, register


def duplicate_rank(doc_obs: list[dict], sink: FlagSink) -> None:
    """Two units of one ranking share a rank ("đồng hạng") without an equal index. The
    flag is on each later row that differs from the first row of its rank."""
    for rows in rankings(doc_obs):
        f = index_field(rows, rank_standing)
        tied: dict = defaultdict(list)
        for o in placed_rows(rows, f, rank_standing) if f else ():
            tied[val(o, "rank")].append(o)
        for rank, same in tied.items():
            first = same[0]
            for o in same[1:]:
                if audit_unit(o) != audit_unit(first) and not equal(val(o, f), val(first, f)):
                    sink.add(
                        "duplicate_rank",
                        o,
                        [o.get("code") or ""],
                        fmt(val(first, f)),
                        fmt(val(o, f)),
                        f"{two_rows(first, o)}: {unit_name(o)} {show_index(o, f)} shares rank {fmt(rank)} with "
                        f"{unit_name(first)} {show_index(first, f)}",
                    )


RULE = register(
    Rule(
        "duplicate_rank",
        "warning",
        "shared rank with different indices",
        {TABLE: duplicate_rank},
        involves_any_row,
        vietnamese="cùng hạng nhưng chỉ số khác nhau",
    )
)
