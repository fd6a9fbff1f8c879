"""`block_size`: a ranking whose units do not add up to the group size its rows print."""

from __future__ import annotations

from collections import Counter

from parindex.audit.core import FlagSink, audit_unit, fmt, val
from parindex.audit.rankings import involves_any_row, rankings, row_of
from parindex.audit.registry import TABLE, Rule, register


def _first_row_per_unit(rows: list[dict]) -> list[dict]:
    seen: dict[tuple, dict] = {}
    for o in rows:
        seen.setdefault(audit_unit(o), o)
    return list(seen.values())


def _unheld_place(ranks: list[int], size: int) -> int | None:
    """The first place of 1..size no unit holds, in a ranking of `size` units: ties take
    the places after them in competition ranking (1, 2, 2, 4); a dense ranking (1, 2, 2, 3)
    is read as such. None when every place is held."""
    ranks = sorted(ranks)
    if ranks[0] == 1 and all(b - a in (0, 1) for a, b in zip(ranks, ranks[1:])):
        return None  # dense
    held = {p for r, n in Counter(ranks).items() for p in range(r, r + n)}
    return next((p for p in range(1, size + 1) if p not in held), None)


def block_size(doc_obs: list[dict], sink: FlagSink) -> None:
    """A ranking whose units do not add up to the group size its rows print (rank_of):
    a row printing another size than the rest, more units than the size, or exactly as
    many units as the size whose ranks leave a place that no tie explains. Fewer units
    than the size is not flagged: a quote (the top three of 63), a cut page, or a unit
    printed without figures (not ranked) look the same from the rows."""
    for rows in rankings(doc_obs):
        ranked = [o for o in rows if val(o, "rank") is not None]
        sizes = Counter(val(o, "rank_of") for o in ranked if val(o, "rank_of") is not None)
        if not sizes:
            continue
        size = sizes.most_common(1)[0][0]
        for o in ranked:
            n = val(o, "rank_of")
            if n is not None and n != size:
                sink.add(
                    "block_size",
                    o,
                    [o.get("code") or ""],
                    fmt(size),
                    fmt(n),
                    f"{row_of(o)}: ranked of {fmt(n)} while the other rows of its block say of {fmt(size)}",
                    extra_key="size",
                )
        units = _first_row_per_unit(ranked)
        if len(units) > size:
            at = units[size]
            sink.add(
                "block_size",
                at,
                [at.get("code") or ""],
                fmt(size),
                len(units),
                f"{row_of(at)}: unit {size + 1} ranked in a block its rows say ranks {fmt(size)} ({len(units)} units)",
                extra_key="count",
            )
        elif len(units) == size and all(1 <= val(o, "rank") <= size for o in units):
            place = _unheld_place([int(val(o, "rank")) for o in units], size)
            if place is not None:
                after = [o for o in units if val(o, "rank") > place]
                at = min(after, key=lambda o: val(o, "rank")) if after else units[-1]
                sink.add(
                    "block_size",
                    at,
                    [at.get("code") or ""],
                    fmt(place),
                    fmt(val(at, "rank")),
                    f"{row_of(at)}: all {size} units of the block are ranked but none holds place "
                    f"{place} and no tie before it takes that place",
                    extra_key="place",
                )


RULE = register(
    Rule(
        "block_size",
        "warning",
        "more units than the ranking has",
        {TABLE: block_size},
        involves_any_row,
        vietnamese="số đơn vị nhiều hơn số được xếp hạng",
    )
)
