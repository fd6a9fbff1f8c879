"""`rank_order`: within a ranking (`audit.rankings`), a unit ranked below a unit with a
lower index."""

from __future__ import annotations

from parindex.audit.core import FlagSink, fmt, unit_name, val
from parindex.audit.rankings import (
    index_field,
    involves_any_row,
    misordered,
    misplaced,
    rank_standing,
    rankings,
    show_index,
    two_rows,
)
from parindex.audit.registry import TABLE, Rule, register


def rank_order(doc_obs: list[dict], sink: FlagSink) -> None:
    """A unit with a higher index ranked lower than a unit with a lower index (units
    with equal indices may share a rank or not). The flag is on the row out of place
    (`misplaced`), and says the rank it should have had against the other."""
    for rows in rankings(doc_obs):
        f = index_field(rows, rank_standing)
        for above, below in misordered(rows, f, rank_standing) if f else ():
            ra, rb = fmt(val(above, "rank")), fmt(val(below, "rank"))
            at = misplaced(above, below, rows, f, rank_standing)
            expected, found = (f"< {ra}", rb) if at is below else (f"> {rb}", ra)
            sink.add(
                "rank_order",
                at,
                [at.get("code") or ""],
                expected,
                found,
                f"{two_rows(above, below)}: {unit_name(below)} {show_index(below, f)} ranked {rb} below "
                f"{unit_name(above)} {show_index(above, f)} ranked {ra}",
            )


RULE = register(
    Rule(
        "rank_order",
        "warning",
        "higher index ranked lower",
        {TABLE: rank_order},
        involves_any_row,
        vietnamese="chỉ số cao hơn nhưng xếp hạng thấp hơn",
    )
)
