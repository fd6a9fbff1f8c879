"""Criterion codes (vietnamese/codes.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parindex.vietnamese.codes import code_sort_key, criterion_code, is_roman, parent_code


@pytest.mark.parametrize(
    "printed, code",
    [
        ("1,2", "1.2"),
        ("1.2", "1.2"),
        ("1.3.1", "1.3.1"),
        ("7.1.1", "7.1.1"),
        ("II", "II"),
        ("II.6", "II.6"),
        ("1.", "1"),
        ("01", "1"),
        ("Tiêu chí 2,3", "2.3"),
        ("3)", "3"),
    ],
)
def test_printed_codes_normalize(printed, code):
    assert criterion_code(printed) == code


@pytest.mark.parametrize("printed", ["*", "", "Điểm đánh giá", "2024", "a", None])
def test_cells_without_a_code_give_none(printed):
    assert criterion_code(printed) is None


@given(st.lists(st.integers(min_value=1, max_value=30), min_size=1, max_size=4), st.sampled_from([",", "."]))
def test_comma_and_dot_codes_are_the_same_code(parts, sep):
    printed = sep.join(str(p) for p in parts)
    assert criterion_code(printed) == ".".join(str(p) for p in parts)


def test_parents_and_ordering():
    assert (parent_code("1.3.1"), parent_code("II.6"), parent_code("1")) == ("1.3", "II", None)
    assert sorted(["1.10", "1.2", "1.9", "1"], key=code_sort_key) == ["1", "1.2", "1.9", "1.10"]
    assert code_sort_key("1.2") < code_sort_key("1.10") and code_sort_key("I") < code_sort_key("II")
    assert is_roman("II.6") and not is_roman("2.6")
