"""`grade_band`: a printed class (Xếp loại) that contradicts the index."""

from __future__ import annotations

from parindex.audit.core import FlagSink, fmt, is_group, unit_name, val
from parindex.audit.rankings import (
    grade_level,
    grade_standing,
    index_field,
    involves_any_row,
    misordered,
    misplaced,
    rankings,
    row_of,
    show_index,
    two_rows,
)
from parindex.audit.registry import TABLE, Rule, register


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
                f"{two_rows(above, below)}: {unit_name(below)} {show_index(below, f)} graded {below['grade']} below "
                f"{unit_name(above)} {show_index(above, f)} graded {above['grade']}",
                extra_key="order",
            )
    if sink.settings.grade_bands:
        outside_band(doc_obs, sink)


def index_percent(o: dict) -> float | None:
    """A unit's index in percent of its maximum: printed, or score / max, or a score alone
    (on a scale of 100)."""
    pct, score, mx = val(o, "percent"), val(o, "score"), val(o, "max_score")
    if pct is not None:
        return pct
    if score is not None and mx:
        return round(score / mx * 100, 2)
    return score


def _band_text(low: float | None, high: float | None) -> str:
    if low is None:
        return f"< {fmt(high)}"
    return f">= {fmt(low)}" if high is None else f"{fmt(low)}–<{fmt(high)}"


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
                fmt(value),
                f"{row_of(o)}: graded {o['grade']} at {fmt(value)}%, outside its band {_band_text(low, high)}",
                extra_key="band",
            )


RULE = register(
    Rule(
        "grade_band",
        "warning",
        "class contradicts the index",
        {TABLE: grade_band},
        involves_any_row,
        vietnamese="xếp loại trái với chỉ số",
    )
)
