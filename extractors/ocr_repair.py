"""Digit fixes for OCR'd table cells, made only where they are unambiguous.

OCR misreads the decimal comma of a small figure as a slash or a colon ("2,50" ->
"2/50", "2:50") and a zero as the letter o ("1oo,oo"). A cell is fixed only when its
whole column prints the same shape (at least MIN_SHARE of the column's figures are
decimals with the same number of decimals, "d,dd") and the cell differs from that shape
by exactly one of these misreads. In a rank column (most figures "d/13", one shared
denominator) a rank that lost its slash ("713") gets it back when the digits end in the
denominator and what is left is a rank no greater than it. A figure that lost its comma ("1200") is left alone: it
could have been printed so ("100" in a column of "d,dd"). Every fix is returned for the
page's record. Nothing else is changed: text that OCR lost stays lost.
"""
from __future__ import annotations

import re

from parindex.schemas import Table

MIN_SHARE = 0.8  # of a column's figures in one decimal shape
RANK_SHARE = 0.6  # of a column's figures ranks out of one denominator
LETTER_DIGITS = str.maketrans({"o": "0", "O": "0", "l": "1", "I": "1", "|": "1"})
_DECIMAL = re.compile(r"^\d{1,3},(\d{1,3})$")


def _column_shape(texts: list[str]) -> int | None:
    """The number of decimals the column's figures print, when most of them agree."""
    figures = [t for t in texts if re.fullmatch(r"[\d.,/%+\-−]+", t) and any(ch.isdigit() for ch in t)]
    if len(figures) < 3:
        return None
    decimals = [len(m.group(1)) for m in map(_DECIMAL.match, figures) if m]
    if not decimals:
        return None
    common = max(set(decimals), key=decimals.count)
    return common if decimals.count(common) >= MIN_SHARE * len(figures) else None


def fix_figure(text: str, decimals: int) -> str | None:
    """The figure `text` was printed as, in a column of d,dd figures; None if unsure."""
    t = text.strip()
    if _DECIMAL.match(t):
        return None
    letters = t.translate(LETTER_DIGITS)
    if letters != t and re.fullmatch(r"\d{1,3},\d{%d}" % decimals, letters) and re.search(r"\d", t):
        return letters
    m = re.fullmatch(r"(\d{1,3})[/;:](\d{%d})" % decimals, t)
    if m:
        return f"{m.group(1)},{m.group(2)}"
    return None


def _rank_denominator(texts: list[str]) -> int | None:
    figures = [t for t in texts if re.fullmatch(r"[\d.,/%+\-−]+", t) and any(ch.isdigit() for ch in t)]
    if len(figures) < 3:
        return None
    dens = [m.group(1) for m in (re.fullmatch(r"\d{1,3}/(\d{1,3})", t) for t in figures) if m]
    if not dens:
        return None
    common = max(set(dens), key=dens.count)
    return int(common) if dens.count(common) >= RANK_SHARE * len(figures) else None


def fix_rank(text: str, denominator: int) -> str | None:
    """'713' -> '7/13' in a column of ranks out of 13; None if unsure."""
    t = text.strip()
    d = str(denominator)
    if not re.fullmatch(r"\d+", t) or not t.endswith(d) or len(t) == len(d):
        return None
    rank = t[: -len(d)]
    return f"{int(rank)}/{d}" if rank[0] != "0" and 1 <= int(rank) <= denominator else None


def column_shapes(table: Table) -> dict[int, tuple[str, int]]:
    """Columns whose figures share a shape: {col: ("decimal", decimals) or ("rank", denominator)}."""
    shapes = {}
    for col in range(table.n_cols):
        texts = [r[col].text for r in table.rows if col < len(r) and not r[col].spanned and r[col].colspan == 1]
        decimals = _column_shape(texts)
        if decimals is not None:
            shapes[col] = ("decimal", decimals)
            continue
        denominator = _rank_denominator(texts)
        if denominator is not None:
            shapes[col] = ("rank", denominator)
    return shapes


def fits(text: str, shape: tuple[str, int]) -> bool:
    """Does the cell text have its column's shape (or hold no figure-like text at all)?"""
    kind, n = shape
    t = text.strip()
    if kind == "decimal":
        return bool(re.fullmatch(r"\d{1,3},\d{%d}" % n, t))
    m = re.fullmatch(r"(\d{1,3})/(\d{1,3})", t)
    return bool(m) and int(m.group(1)) <= int(m.group(2))


def repair_table(table: Table) -> list[dict]:
    """Fix the cells of an OCR'd table in place; the list of fixes made."""
    fixes: list[dict] = []
    n_cols = table.n_cols
    for col in range(n_cols):
        cells = [r[col] for r in table.rows if col < len(r) and not r[col].spanned and r[col].colspan == 1]
        texts = [c.text for c in cells]
        decimals = _column_shape(texts)
        denominator = _rank_denominator(texts) if decimals is None else None
        if decimals is None and denominator is None:
            continue
        for cell in cells:
            fixed = fix_figure(cell.text, decimals) if decimals is not None else fix_rank(cell.text, denominator)
            if fixed is not None:
                fixes.append({"row": cell.row, "col": cell.col, "read": cell.text, "fixed": fixed})
                cell.text = fixed
                for row in table.rows:  # covered positions of a merged cell keep its text
                    for other in row:
                        if other.spanned and other.bbox == cell.bbox and other.bbox is not None:
                            other.text = fixed
    return fixes
