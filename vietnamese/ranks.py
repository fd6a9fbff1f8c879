"""Printed ranks -> (rank, rank_of, tied). Pure and table-driven.

>>> parse_rank("12/13")
Rank(rank=12, rank_of=13, tied=False)
>>> parse_rank("xếp thứ 4/8 huyện")
Rank(rank=4, rank_of=8, tied=False)
>>> parse_rank("xếp thứ nhất"), parse_rank("đứng đầu").rank, parse_rank("đồng hạng 3").tied
(Rank(rank=1, rank_of=None, tied=False), 1, True)
>>> parse_rank("đứng cuối", rank_of=13).rank
13
"""

from __future__ import annotations

import re
from typing import NamedTuple

from parindex.vietnamese.folding import fold

# Ordinal words as printed after "thứ" / "hạng" (accent-folded).
ORDINALS = {
    "nhat": 1,
    "nhi": 2,
    "hai": 2,
    "ba": 3,
    "tu": 4,
    "bon": 4,
    "nam": 5,
    "sau": 6,
    "bay": 7,
    "tam": 8,
    "chin": 9,
    "muoi": 10,
}
# Phrases that name a position without a number.
POSITION_WORDS = {"dung dau": 1, "dan dau": 1, "cao nhat": 1, "dung cuoi": -1, "thap nhat": -1, "cuoi bang": -1}
TIE_WORDS = re.compile(r"\b(?:dong hang|cung xep|cung hang|ngang hang|dong vi tri)\b")

_FRACTION = re.compile(r"(?<![\d.,])(?P<v>\d{1,3})\s*/\s*(?P<of>\d{1,3})(?![\d.,])")
_NUMBERED = re.compile(
    r"(?:xep|dung|hang|thu|vi tri|vi thu|so)\s*(?:o\s+)?(?:vi tri|hang|thu hang|thu)?\s*(?:thu|so)?\s*"
    r"(?P<v>\d{1,3})(?:\s*/\s*(?P<of>\d{1,3}))?(?![\d.,])"
)
_ORDINAL = re.compile(r"(?:thu|hang)\s+(?P<w>" + "|".join(sorted(ORDINALS, key=len, reverse=True)) + r")\b")
_BARE = re.compile(r"^\s*(?P<v>\d{1,3})\s*$")


class Rank(NamedTuple):
    rank: int
    rank_of: int | None
    tied: bool


def parse_rank(text: object, rank_of: int | None = None) -> Rank | None:
    """A rank printed in a cell ("12/13", "4") or a phrase ("xếp thứ 4/8", "thứ nhì",
    "đứng đầu", "đồng hạng 3"). `rank_of` is the ranking size known from context
    (a "/8 huyện" header); a "/N" printed with the rank wins over it. None when no rank."""
    if text is None:
        return None
    t = fold(str(text))
    if not t:
        return None
    tied = bool(TIE_WORDS.search(t))
    m = _FRACTION.search(t)
    if m and (not t[: m.start()].strip() or re.search(r"(?:thu|hang|tri|xep)\s*$", t[: m.start()])):
        return Rank(int(m.group("v")), int(m.group("of")), tied)
    m = _NUMBERED.search(t)
    if m:
        return Rank(int(m.group("v")), int(m.group("of")) if m.group("of") else rank_of, tied)
    m = _ORDINAL.search(t)
    if m:
        return Rank(ORDINALS[m.group("w")], rank_of, tied)
    for phrase, pos in POSITION_WORDS.items():
        if phrase in t:
            if pos == -1:
                return Rank(rank_of, rank_of, tied) if rank_of else None
            return Rank(pos, rank_of, tied)
    m = _BARE.match(t)
    if m:
        return Rank(int(m.group("v")), rank_of, tied)
    return None
