"""Printed numbers -> floats: Vietnamese decimal commas, dot decimals, fractions, percents,
signed changes. Every function is pure and returns None for text that is not a number.

>>> parse_number("72,77"), parse_number("80.24%"), parse_number("04"), parse_number("1.234.567")
(72.77, 80.24, 4.0, 1234567.0)
>>> parse_fraction("9,52/13,50")
(9.52, 13.5)
>>> parse_signed("- 0,69"), parse_signed("giảm 0,52 điểm"), parse_signed("tăng 8 bậc")
(-0.69, -0.52, 8.0)
"""

from __future__ import annotations

import re

from parindex.vietnamese.folding import collapse

# A printed number: digits with '.' or ',' groups, with an optional sign before it.
UNSIGNED_NUMBER_RE = r"\d+(?:[.,]\d+)*"
NUMBER_RE = rf"[+\-−–]?\s?{UNSIGNED_NUMBER_RE}"
_NUMBER = re.compile(rf"^\s*(?P<num>{NUMBER_RE})\s*(?:%|điểm|đ)?\s*$", re.IGNORECASE)
_FRACTION = re.compile(rf"^\s*(?P<a>{NUMBER_RE})\s*(?:điểm\s*)?/\s*(?P<b>{NUMBER_RE})\s*(?:điểm|%)?\s*$", re.IGNORECASE)

# Words that turn a change negative / positive.
NEGATIVE_WORDS = ("giảm", "thấp hơn", "tụt", "kém", "mất")
POSITIVE_WORDS = ("tăng", "cao hơn", "vượt")


def number_value(token: str) -> float | None:
    """Convert one numeric token ("72,77", "1.234.567", "91.651", "-7") to a float.

    A single separator is a decimal point whether it is ',' or '.' (scores never need
    thousands separators); several identical separators are thousands groups; when both
    appear, the last one is the decimal point.
    """
    t = token.strip().replace(" ", "").replace("−", "-").replace("–", "-")
    if not t:
        return None
    sign = -1.0 if t[0] == "-" else 1.0
    t = t.lstrip("+-")
    if not t or not re.fullmatch(UNSIGNED_NUMBER_RE, t):
        return None
    n_comma, n_dot = t.count(","), t.count(".")
    if n_comma and n_dot:
        dec = "," if t.rfind(",") > t.rfind(".") else "."
        thou = "." if dec == "," else ","
        t = t.replace(thou, "").replace(dec, ".")
    elif n_comma > 1 or n_dot > 1:
        t = t.replace(",", "").replace(".", "")
    else:
        t = t.replace(",", ".")
    try:
        return sign * float(t)
    except ValueError:  # pragma: no cover - regex guarantees digits
        return None


def parse_number(text: object) -> float | None:
    """A cell or phrase holding one number, maybe with '%' or 'điểm' ("72,77", "+ 10", "80.24%")."""
    if text is None:
        return None
    m = _NUMBER.match(collapse(text))
    return number_value(m.group("num")) if m else None


def has_percent(text: object) -> bool:
    return "%" in collapse(text)


def parse_fraction(text: object) -> tuple[float, float] | None:
    """ "9,52/13,50" -> (9.52, 13.5); "04/04" -> (4.0, 4.0). None when not X/Y."""
    if text is None:
        return None
    m = _FRACTION.match(collapse(text))
    if not m:
        return None
    a, b = number_value(m.group("a")), number_value(m.group("b"))
    if a is None or b is None:
        return None
    return a, b


def parse_signed(text: object) -> float | None:
    """A printed change: "+ 10", "- 0,69", "giảm 0,52 điểm", "tăng 8 bậc", "bằng" -> 0."""
    if text is None:
        return None
    t = collapse(text).lower()
    if not t:
        return None
    m = re.search(NUMBER_RE, t)
    if not m:
        return 0.0 if re.search(r"\b(bằng|không đổi|giữ nguyên)\b", t) else None
    v = number_value(m.group(0))
    if v is None:
        return None
    before = t[: m.start()]
    if any(w in before for w in NEGATIVE_WORDS):
        v = -abs(v)
    elif any(w in before for w in POSITIVE_WORDS):
        v = abs(v)
    return v


def decimals(value: float) -> int:
    """Decimal places of a float's shortest repr (7.4 -> 1, 7.409 -> 3, 5.0 -> 0)."""
    r = repr(float(value))
    if "e" in r or "." not in r:
        return 0
    frac = r.split(".")[1]
    return 0 if frac == "0" else len(frac)


def looks_numeric(text: str) -> bool:
    t = collapse(text)
    if not t:
        return False
    return (
        parse_number(t) is not None
        or parse_fraction(t) is not None
        or parse_signed(t) is not None
        and bool(re.fullmatch(r"[+\-−–]?\s?[\d.,]+%?", t))
    )
