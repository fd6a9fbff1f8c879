"""Audit rules over the units of one ranking: a table (or a block of one: the
departments, the districts) that gives each unit a row with its index, its rank and
its class ("Xếp loại": Xuất sắc, Tốt, Khá, ...).

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
from collections import Counter, defaultdict
from collections.abc import Callable

from parindex.normalizer.audit_core import FlagSink, _fmt, _v, _where, is_group, unit_identity, unit_name
from parindex.schemas.columns import GRADES
from parindex.vietnamese.folding import fold
from parindex.vietnamese.numbers import decimals

INDEX_FIELDS = ("percent", "score")  # what a ranking may order, percent first on a tie
# a printed class -> how high it stands (Xuất sắc highest), matched accent-folded
GRADE_LEVEL = {fold(g): len(GRADES) - i for i, g in enumerate(GRADES)}
_GRADE_WORDS = re.compile(r"^(?:xep\s+)?loai\s+|[\s.:;]+$")

Standing = Callable[[dict], "float | None"]  # how high a row stands in its ranking; None: not placed


# ---------------------------------------------------------------- rankings of a document


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
        r = _v(o, "rank")
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
        if _v(o, "rank") is not None:
            sizes[unit_identity(o)].add(_v(o, "rank_of"))
    if all(len(s) < 2 for s in sizes.values()):
        return [block]
    parts: dict = defaultdict(list)
    for o in block:
        parts[_v(o, "rank_of")].append(o)
    return list(parts.values())


def rankings(doc_obs: list[dict]) -> list[list[dict]]:
    """Each ranking of a document that holds two units or more, its rows in printed order."""
    found = []
    for rows in _unit_rows(doc_obs).values():
        for block in split_where_ranks_restart(rows):
            found += [r for r in split_rank_scales(block) if len({unit_identity(o) for o in r}) > 1]
    return found


# ---------------------------------------------------------------- order within a ranking


def rank_standing(o: dict) -> float | None:
    r = _v(o, "rank")
    return None if r is None else -r


def grade_level(printed) -> int | None:
    """How high a printed class stands ("Loại Tốt" and "TỐT" alike); None if unknown."""
    return GRADE_LEVEL.get(_GRADE_WORDS.sub("", fold(printed))) if printed else None


def grade_standing(o: dict) -> int | None:
    return grade_level(o.get("grade"))


def _placed(rows: list[dict], f: str, standing: Standing) -> list[dict]:
    return [o for o in rows if standing(o) is not None and _v(o, f) is not None]


def _equal(a: float, b: float) -> bool:
    return abs(a - b) < 1e-9


def _contradicts(above: dict, below: dict, f: str) -> bool:
    """A row that stands above another prints a lower index."""
    a, b = _v(above, f), _v(below, f)
    return a < b and not _equal(a, b) and unit_identity(above) != unit_identity(below)


def _share_contradicted(rows: list[dict], f: str, standing: Standing) -> float:
    """The share of pairs of rows at different standings whose index contradicts them
    (the row standing higher prints the lower index)."""
    placed = [(standing(o), _v(o, f)) for o in _placed(rows, f, standing)]
    pairs = bad = 0
    for i, (sa, va) in enumerate(placed):
        for sb, vb in placed[i + 1 :]:
            if sa != sb:
                pairs += 1
                bad += (sa - sb) * (va - vb) < 0 and not _equal(va, vb)
    return bad / pairs if pairs else 0.0


def index_field(rows: list[dict], standing: Standing) -> str | None:
    """The index a ranking orders: of percent and score printed on two placed rows or
    more, the one its standings contradict least, then the one printed on more rows."""
    printed = {f: len(_placed(rows, f, standing)) for f in INDEX_FIELDS}
    candidates = [f for f in INDEX_FIELDS if printed[f] >= 2]
    if not candidates:
        return None
    return min(candidates, key=lambda f: (_share_contradicted(rows, f, standing), -printed[f], INDEX_FIELDS.index(f)))


def misordered(rows: list[dict], f: str, standing: Standing) -> list[tuple[dict, dict]]:
    """(above, below) for each two neighbouring standings where the lowest index above is
    lower than the highest index below: one pair per step of the ranking, not one per
    unit a misplaced row passes."""
    by_standing: dict = defaultdict(list)
    for o in _placed(rows, f, standing):
        by_standing[standing(o)].append(o)
    steps = sorted(by_standing, reverse=True)
    pairs = []
    for high, low in zip(steps, steps[1:]):
        above = min(by_standing[high], key=lambda o: _v(o, f))
        below = max(by_standing[low], key=lambda o: _v(o, f))
        if _contradicts(above, below, f):
            pairs.append((above, below))
    return pairs


def _contradictions(o: dict, placed: list[dict], f: str, standing: Standing) -> int:
    s, v = standing(o), _v(o, f)
    return sum(1 for x in placed if (s - standing(x)) * (v - _v(x, f)) < 0 and not _equal(v, _v(x, f)))


def misplaced(above: dict, below: dict, rows: list[dict], f: str, standing: Standing) -> dict:
    """Which row of a contradicting pair is out of place: the one that more rows of the
    ranking contradict (a unit ranked 201st with the index of the 100th contradicts a
    hundred rows, its neighbour one); the lower one when as many."""
    placed = _placed(rows, f, standing)
    return above if _contradictions(above, placed, f, standing) > _contradictions(below, placed, f, standing) else below


def _show(o: dict, f: str) -> str:
    """A printed index as a reader sees it: 94.00, 96.85%, 0.6077."""
    v = _v(o, f)
    return f"{v:.{max(2, decimals(v))}f}" + ("%" if f == "percent" else "")


def _row_of(o: dict) -> str:
    """A unit's row, for messages about the units of a ranking: "table 1 row 7 (Sở Nội vụ)"."""
    return f"{_where(o)} ({unit_name(o)})"


def _rows(a: dict, b: dict) -> str:
    first, second = sorted((a.get("row") or 0, b.get("row") or 0))
    return f"table {a.get('table')} rows {first} and {second}"


# ---------------------------------------------------------------- rules


def rank_order(doc_obs: list[dict], sink: FlagSink) -> None:
    """A unit with a higher index ranked lower than a unit with a lower index (units
    with equal indices may share a rank or not). The flag is on the row out of place
    (`misplaced`), and says the rank it should have had against the other."""
    for rows in rankings(doc_obs):
        f = index_field(rows, rank_standing)
        for above, below in misordered(rows, f, rank_standing) if f else ():
            ra, rb = _fmt(_v(above, "rank")), _fmt(_v(below, "rank"))
            at = misplaced(above, below, rows, f, rank_standing)
            expected, found = (f"< {ra}", rb) if at is below else (f"> {rb}", ra)
            sink.add(
                "rank_order",
                at,
                [at.get("code") or ""],
                expected,
                found,
                f"{_rows(above, below)}: {unit_name(below)} {_show(below, f)} ranked {rb} below "
                f"{unit_name(above)} {_show(above, f)} ranked {ra}",
            )


def duplicate_rank(doc_obs: list[dict], sink: FlagSink) -> None:
    """Two units of one ranking share a rank ("đồng hạng") without an equal index. The
    flag is on each later row that differs from the first row of its rank."""
    for rows in rankings(doc_obs):
        f = index_field(rows, rank_standing)
        tied: dict = defaultdict(list)
        for o in _placed(rows, f, rank_standing) if f else ():
            tied[_v(o, "rank")].append(o)
        for rank, same in tied.items():
            first = same[0]
            for o in same[1:]:
                if unit_identity(o) != unit_identity(first) and not _equal(_v(o, f), _v(first, f)):
                    sink.add(
                        "duplicate_rank",
                        o,
                        [o.get("code") or ""],
                        _fmt(_v(first, f)),
                        _fmt(_v(o, f)),
                        f"{_rows(first, o)}: {unit_name(o)} {_show(o, f)} shares rank {_fmt(rank)} with "
                        f"{unit_name(first)} {_show(first, f)}",
                    )


def _first_row_per_unit(rows: list[dict]) -> list[dict]:
    seen: dict[tuple, dict] = {}
    for o in rows:
        seen.setdefault(unit_identity(o), o)
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
        ranked = [o for o in rows if _v(o, "rank") is not None]
        sizes = Counter(_v(o, "rank_of") for o in ranked if _v(o, "rank_of") is not None)
        if not sizes:
            continue
        size = sizes.most_common(1)[0][0]
        for o in ranked:
            n = _v(o, "rank_of")
            if n is not None and n != size:
                sink.add(
                    "block_size",
                    o,
                    [o.get("code") or ""],
                    _fmt(size),
                    _fmt(n),
                    f"{_row_of(o)}: ranked of {_fmt(n)} while the other rows of its block say of {_fmt(size)}",
                    extra_key="size",
                )
        units = _first_row_per_unit(ranked)
        if len(units) > size:
            at = units[size]
            sink.add(
                "block_size",
                at,
                [at.get("code") or ""],
                _fmt(size),
                len(units),
                f"{_row_of(at)}: unit {size + 1} ranked in a block its rows say ranks {_fmt(size)} "
                f"({len(units)} units)",
                extra_key="count",
            )
        elif len(units) == size and all(1 <= _v(o, "rank") <= size for o in units):
            place = _unheld_place([int(_v(o, "rank")) for o in units], size)
            if place is not None:
                after = [o for o in units if _v(o, "rank") > place]
                at = min(after, key=lambda o: _v(o, "rank")) if after else units[-1]
                sink.add(
                    "block_size",
                    at,
                    [at.get("code") or ""],
                    _fmt(place),
                    _fmt(_v(at, "rank")),
                    f"{_row_of(at)}: all {size} units of the block are ranked but none holds place "
                    f"{place} and no tie before it takes that place",
                    extra_key="place",
                )


def grade_band(doc_obs: list[dict], sink: FlagSink) -> None:
    """A printed class that contradicts the index: within a ranking, a unit of a better
    class with a lower index than a unit of a worse class (bands differ by province and
    year, so the document's own rows are compared); and, where the settings give the
    bands, a class outside its band."""
    for rows in rankings(doc_obs):
        f = index_field(rows, grade_standing)
        for above, below in misordered(rows, f, grade_standing) if f else ():
            at = misplaced(above, below, rows, f, grade_standing)
            expected, found = (
                (f"{above['grade']} or better", below["grade"])
                if at is below
                else (f"{below['grade']} or worse", above["grade"])
            )
            sink.add(
                "grade_band",
                at,
                [at.get("code") or ""],
                expected,
                found,
                f"{_rows(above, below)}: {unit_name(below)} {_show(below, f)} graded {below['grade']} below "
                f"{unit_name(above)} {_show(above, f)} graded {above['grade']}",
                extra_key="order",
            )
    if sink.settings.grade_bands:
        outside_band(doc_obs, sink)


def index_percent(o: dict) -> float | None:
    """A unit's index in percent of its maximum: printed, or score / max, or a score alone
    (on a scale of 100)."""
    pct, score, mx = _v(o, "percent"), _v(o, "score"), _v(o, "max_score")
    if pct is not None:
        return pct
    if score is not None and mx:
        return round(score / mx * 100, 2)
    return score


def _band_text(low: float | None, high: float | None) -> str:
    if low is None:
        return f"< {_fmt(high)}"
    return f">= {_fmt(low)}" if high is None else f"{_fmt(low)}–<{_fmt(high)}"


def outside_band(doc_obs: list[dict], sink: FlagSink) -> None:
    """`grade_band` against the bands of the settings (lowest included, highest excluded)."""
    bands = {grade_level(g): b for g, b in (sink.settings.grade_bands or {}).items()}
    for o in doc_obs:
        level, value = grade_standing(o), index_percent(o)
        if level not in bands or level is None or value is None or is_group(o):
            continue
        low, high = bands[level]
        if (low is not None and value < low - 1e-9) or (high is not None and value >= high - 1e-9):
            sink.add(
                "grade_band",
                o,
                [o.get("code") or ""],
                _band_text(low, high),
                _fmt(value),
                f"{_row_of(o)}: graded {o['grade']} at {_fmt(value)}%, outside its band {_band_text(low, high)}",
                extra_key="band",
            )


# the rules of this module, registered in normalizer.audit.DOCUMENT_RULES
RANKING_RULES = (rank_order, duplicate_rank, block_size, grade_band)
