"""The rankings of a document, which the rules `rank_order`, `duplicate_rank`,
`block_size` and `grade_band` compare the units of: a table (or a block of one: the
departments, the districts) that gives each unit a row with its index, its rank and its
class ("Xếp loại": Xuất sắc, Tốt, Khá, ...).

A block is what the reader says it is (an observation's optional `block`), else the
rows of one unit level in one table ("I. Các sở, ban, ngành" / "II. UBND huyện"), cut
where the ranks start again at 1 (two blocks of one level, each under its own header).
Within a block the rules compare the rows of one year, framework and criterion: a
ranking. A group's row (an average, unit_level "group") is no unit and takes no part.

The index a ranking orders is its percent or its score: where units have different
maxima (71.5, 96.5, 100) a table ranks the percent of each unit's maximum. The rules
take the one of the two that the ranking's own ranks (or classes) contradict least.
Indices of one column are printed to one precision, so equal means equal (a float has
lost the printed "94,00"'s zeros: 94.0 against 93.6 is no rounding question).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable

from parindex.audit.core import audit_unit, is_group, unit_name, val, where_printed
from parindex.schemas.columns import GRADES
from parindex.vietnamese.folding import fold
from parindex.vietnamese.numbers import decimals

INDEX_FIELDS = ("percent", "score")  # what a ranking may order, percent first on a tie
# a printed class -> how high it stands (Xuất sắc highest), matched accent-folded
GRADE_LEVEL = {fold(g): len(GRADES) - i for i, g in enumerate(GRADES)}
_GRADE_WORDS = re.compile(r"^(?:xep\s+)?loai\s+|[\s.:;]+$")

Standing = Callable[[dict], "float | None"]  # how high a row stands in its ranking; None: not placed


def block_of(o: dict) -> tuple:
    """The table and block a row is ranked in: the reader's `block`, else its unit level."""
    return (o.get("table"), o["block"] if o.get("block") is not None else o.get("unit_level") or "")


def _unit_rows(doc_obs: list[dict]) -> dict[tuple, list[dict]]:
    """Table rows of units (no group's), by block, year, framework and criterion."""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for o in doc_obs:
        if o.get("table") and not is_group(o):
            groups[(block_of(o), o.get("year"), o.get("framework"), o.get("code"))].append(o)
    return groups


def split_where_ranks_restart(rows: list[dict]) -> list[list[dict]]:
    """Rows in printed order, cut before a rank 1 that follows higher ranks of a block
    that already has its rank 1: the next block's first row. (Units tied first sit
    together in a ranked table, so they stay in one block.)"""
    blocks: list[list[dict]] = [[]]
    has_first, previous = False, None
    for o in rows:
        r = val(o, "rank")
        if r == 1 and has_first and previous not in (None, 1):
            blocks.append([])
            has_first = False
        blocks[-1].append(o)
        if r is not None:
            previous, has_first = r, has_first or r == 1
    return blocks


def split_rank_scales(block: list[dict]) -> list[list[dict]]:
    """A block in which a unit is ranked twice with two group sizes (of the 63
    provinces and of the 13 of its region) holds two rankings: one per size."""
    sizes: dict[tuple, set] = defaultdict(set)
    for o in block:
        if val(o, "rank") is not None:
            sizes[audit_unit(o)].add(val(o, "rank_of"))
    if all(len(s) < 2 for s in sizes.values()):
        return [block]
    parts: dict = defaultdict(list)
    for o in block:
        parts[val(o, "rank_of")].append(o)
    return list(parts.values())


def rankings(doc_obs: list[dict]) -> list[list[dict]]:
    """Each ranking of a document that holds two units or more, its rows in printed order."""
    found = []
    for rows in _unit_rows(doc_obs).values():
        for block in split_where_ranks_restart(rows):
            found += [r for r in split_rank_scales(block) if len({audit_unit(o) for o in r}) > 1]
    return found


def rank_standing(o: dict) -> float | None:
    """How high a row stands by its rank (rank 1 highest)."""
    r = val(o, "rank")
    return None if r is None else -r


def grade_level(printed) -> int | None:
    """How high a printed class stands ("Loại Tốt" and "TỐT" alike); None if unknown."""
    return GRADE_LEVEL.get(_GRADE_WORDS.sub("", fold(printed))) if printed else None


def grade_standing(o: dict) -> int | None:
    """How high a row stands by its printed class."""
    return grade_level(o.get("grade"))


def placed_rows(rows: list[dict], f: str, standing: Standing) -> list[dict]:
    """The rows that stand somewhere in the ranking and print the index `f`."""
    return [o for o in rows if standing(o) is not None and val(o, f) is not None]


def equal(a: float, b: float) -> bool:
    """Two indices of one column equal as printed (they share one precision)."""
    return abs(a - b) < 1e-9


def _contradicts(above: dict, below: dict, f: str) -> bool:
    """A row that stands above another prints a lower index."""
    a, b = val(above, f), val(below, f)
    return a < b and not equal(a, b) and audit_unit(above) != audit_unit(below)


def _share_contradicted(rows: list[dict], f: str, standing: Standing) -> float:
    """The share of pairs of rows at different standings whose index contradicts them
    (the row standing higher prints the lower index)."""
    placed = [(standing(o), val(o, f)) for o in placed_rows(rows, f, standing)]
    pairs = bad = 0
    for i, (sa, va) in enumerate(placed):
        for sb, vb in placed[i + 1 :]:
            if sa != sb:
                pairs += 1
                bad += (sa - sb) * (va - vb) < 0 and not equal(va, vb)
    return bad / pairs if pairs else 0.0


def index_field(rows: list[dict], standing: Standing) -> str | None:
    """The index a ranking orders: of percent and score printed on two placed rows or
    more, the one its standings contradict least, then the one printed on more rows."""
    printed = {f: len(placed_rows(rows, f, standing)) for f in INDEX_FIELDS}
    candidates = [f for f in INDEX_FIELDS if printed[f] >= 2]
    if not candidates:
        return None
    return min(candidates, key=lambda f: (_share_contradicted(rows, f, standing), -printed[f], INDEX_FIELDS.index(f)))


def misordered(rows: list[dict], f: str, standing: Standing) -> list[tuple[dict, dict]]:
    """(above, below) for each two neighbouring standings where the lowest index above is
    lower than the highest index below: one pair per step of the ranking, not one per
    unit a misplaced row passes."""
    by_standing: dict = defaultdict(list)
    for o in placed_rows(rows, f, standing):
        by_standing[standing(o)].append(o)
    steps = sorted(by_standing, reverse=True)
    pairs = []
    for high, low in zip(steps, steps[1:]):
        above = min(by_standing[high], key=lambda o: val(o, f))
        below = max(by_standing[low], key=lambda o: val(o, f))
        if _contradicts(above, below, f):
            pairs.append((above, below))
    return pairs


def _contradictions(o: dict, placed: list[dict], f: str, standing: Standing) -> int:
    """How many of the placed rows `o`'s index contradicts."""
    s, v = standing(o), val(o, f)
    return sum(1 for x in placed if (s - standing(x)) * (v - val(x, f)) < 0 and not equal(v, val(x, f)))


def misplaced(above: dict, below: dict, rows: list[dict], f: str, standing: Standing) -> dict:
    """Which row of a contradicting pair is out of place: the one that more rows of the
    ranking contradict (a unit ranked 201st with the index of the 100th contradicts a
    hundred rows, its neighbour one); the lower one when as many."""
    placed = placed_rows(rows, f, standing)
    return above if _contradictions(above, placed, f, standing) > _contradictions(below, placed, f, standing) else below


def show_index(o: dict, f: str) -> str:
    """A printed index as a reader sees it: 94.00, 96.85%, 0.6077."""
    v = val(o, f)
    return f"{v:.{max(2, decimals(v))}f}" + ("%" if f == "percent" else "")


def row_of(o: dict) -> str:
    """A unit's row, for messages about the units of a ranking: "table 1 row 7 (Sở Nội vụ)"."""
    return f"{where_printed(o)} ({unit_name(o)})"


def two_rows(a: dict, b: dict) -> str:
    """Two rows of one table, for messages: "table 1 rows 5 and 6"."""
    first, second = sorted((a.get("row") or 0, b.get("row") or 0))
    return f"table {a.get('table')} rows {first} and {second}"


def involves_any_row(flag: dict, o: dict) -> bool:
    """A flag about a ranking is built on every row of it: the index it orders, the
    ranks, the classes and the size its rows print (`Rule.involves`)."""
    return True
