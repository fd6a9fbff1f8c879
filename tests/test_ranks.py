"""Printed ranks (vietnamese/ranks.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parindex.vietnamese.ranks import Rank, parse_rank


@pytest.mark.parametrize(
    "printed, rank_of, expected",
    [
        ("12/13", None, Rank(12, 13, False)),
        ("2/12", 13, Rank(2, 12, False)),  # printed size wins over the header's
        ("4", 8, Rank(4, 8, False)),  # "xếp hạng" under a "/8 huyện" header
        ("xếp thứ 4/8", None, Rank(4, 8, False)),
        ("xếp vị trí thứ 4/8 huyện, thành phố", None, Rank(4, 8, False)),
        ("xếp hạng thứ 4 sau Than Uyên", 8, Rank(4, 8, False)),
        ("thứ nhất", None, Rank(1, None, False)),
        ("xếp thứ nhì", 11, Rank(2, 11, False)),
        ("đứng thứ hai", None, Rank(2, None, False)),
        ("xếp thứ ba", None, Rank(3, None, False)),
        ("đứng đầu", 13, Rank(1, 13, False)),
        ("đứng cuối", 13, Rank(13, 13, False)),
        ("đồng hạng 3", 11, Rank(3, 11, True)),
        ("cùng xếp hạng số 1", None, Rank(1, None, True)),
    ],
)
def test_parse_rank(printed, rank_of, expected):
    assert parse_rank(printed, rank_of) == expected


@pytest.mark.parametrize(
    "printed", ["", "Xếp hạng (/8 huyện)", "đạt 9,52/13,50 điểm", "Phòng Nội vụ", None, "đứng cuối"]
)
def test_no_rank(printed):
    assert parse_rank(printed) is None


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=1, max_value=999))
def test_fraction_rank_roundtrip(rank, of):
    assert parse_rank(f"{rank}/{of}") == Rank(rank, of, False)
    assert parse_rank(f"xếp thứ {rank}/{of}") == Rank(rank, of, False)


@given(st.text(max_size=40))
def test_parse_rank_never_raises(text):
    r = parse_rank(text, 10)
    assert r is None or r.rank is None or r.rank >= 0
