"""Criterion codes: "1,2" and "1.2" are the same code; roman group codes; aggregates.

>>> criterion_code("1,2"), criterion_code("1.3.1"), criterion_code("II"), criterion_code("*")
('1.2', '1.3.1', 'II', None)
>>> parent_code("1.3.1"), parent_code("II.6"), parent_code("1")
('1.3', 'II', None)
"""

from __future__ import annotations

import re

from parindex.vietnamese.folding import collapse

ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10}
_CODE = re.compile(
    r"^(?:(?P<roman>X|IX|IV|V?I{1,3}|V)(?:[.,](?P<rest>\d+(?:[.,]\d+)*))?|(?P<num>\d{1,2}(?:[.,]\d{1,2}){0,3}))[.)]?$"
)


def criterion_code(text: object) -> str | None:
    """Normalize a printed code cell; None when the cell holds no code ("*", "", a label)."""
    t = collapse(text).rstrip(":").strip()
    t = re.sub(r"^(?:tiêu chí|lĩnh vực|tc)\s+", "", t, flags=re.IGNORECASE)
    t = t.rstrip(".")
    if not t:
        return None
    m = _CODE.match(t)
    if not m:
        return None
    if m.group("roman"):
        rest = m.group("rest")
        return m.group("roman") + ("." + rest.replace(",", ".") if rest else "")
    parts = m.group("num").replace(",", ".").split(".")
    return ".".join(str(int(p)) for p in parts)


def is_roman(code: str | None) -> bool:
    return bool(code) and code.split(".")[0] in ROMAN


def parent_code(code: str | None) -> str | None:
    if not code or "." not in code:
        return None
    return code.rsplit(".", 1)[0]


def code_sort_key(code: str) -> tuple:
    key = []
    for p in code.split("."):
        key.append(ROMAN.get(p, int(p) if p.isdigit() else 0))
    return tuple(key)


def depth(code: str) -> int:
    return code.count(".") + 1
