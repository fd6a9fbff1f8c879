"""Printed numbers, fractions and signed changes (vietnamese/numbers.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parindex.vietnamese.numbers import decimals, parse_fraction, parse_number, parse_signed


@pytest.mark.parametrize(
    "printed, value",
    [
        ("72,77", 72.77),
        ("80.24%", 80.24),
        ("91.651 điểm", 91.651),
        ("04", 4.0),
        ("100,00", 100.0),
        ("1.234.567", 1234567.0),
        ("1.234,5", 1234.5),
        ("- 0,69", -0.69),
        ("+ 10", 10.0),
        ("  9,5 đ ", 9.5),
    ],
)
def test_parse_number_reads_vietnamese_and_dot_decimals(printed, value):
    assert parse_number(printed) == value


@pytest.mark.parametrize("printed", ["", "Phòng Nội vụ", "12/13", "9,5 và 7", None, "abc1"])
def test_parse_number_rejects_what_is_not_one_number(printed):
    assert parse_number(printed) is None


@pytest.mark.parametrize(
    "printed, pair",
    [
        ("9,52/13,50", (9.52, 13.5)),
        ("04/04", (4.0, 4.0)),
        ("9,52 điểm/13,50 điểm", (9.52, 13.5)),
        ("12/13", (12.0, 13.0)),
    ],
)
def test_parse_fraction_gives_score_and_max(printed, pair):
    assert parse_fraction(printed) == pair


@pytest.mark.parametrize(
    "printed, value",
    [
        ("giảm 0,52 điểm", -0.52),
        ("tăng 8 bậc", 8.0),
        ("- 0,69", -0.69),
        ("+ 10", 10.0),
        ("bằng", 0.0),
        ("thấp hơn 1,2", -1.2),
    ],
)
def test_parse_signed_reads_direction_words(printed, value):
    assert parse_signed(printed) == value


@given(st.decimals(min_value=0, max_value=999, places=2, allow_nan=False, allow_infinity=False))
def test_a_decimal_comma_and_a_decimal_point_mean_the_same(d):
    text = f"{d:.2f}"
    assert parse_number(text.replace(".", ",")) == parse_number(text) == pytest.approx(float(d))


@given(
    st.decimals(min_value=0, max_value=100, places=2), st.decimals(min_value=Decimal("0.01"), max_value=100, places=2)
)
def test_fraction_roundtrip(a, b):
    text = f"{a:.2f}".replace(".", ",") + "/" + f"{b:.2f}".replace(".", ",")
    assert parse_fraction(text) == (pytest.approx(float(a)), pytest.approx(float(b)))


@given(st.decimals(min_value=0, max_value=100, places=2), st.sampled_from(["giảm", "tăng", "-", "+"]))
def test_signed_change_sign_follows_the_word(d, word):
    value = parse_signed(f"{word} {d:.2f}".replace(".", ","))
    assert value == pytest.approx(-float(d) if word in ("giảm", "-") else float(d))


@given(st.text(max_size=30))
def test_parsers_never_raise_on_any_text(text):
    parse_number(text), parse_fraction(text), parse_signed(text)


def test_decimals_counts_printed_precision():
    assert (decimals(7.4), decimals(7.409), decimals(5.0)) == (1, 3, 0)
