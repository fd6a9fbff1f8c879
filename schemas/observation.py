"""One observation as the normalizer builds it: a value printed in a document, where it
was printed and what it is of.

`Observation` has one key per column of `schemas.columns.OBSERVATIONS`, typed by the
column's dtype (string: `str`, Int64: `int`, Float64: `float`, each or None); a key
left out is an empty cell. tests/test_observation.py keeps the two in step.

Where a value was printed: `page` is the 1-based page; `table` the 1-based index of
its table in the document (`schemas.intermediate.Table.index`) and `row` its 1-based row
in that table's grid. A value read from a sentence has no table: its `table` is
`SENTENCE_TABLE` and its `row` the 1-based position of its paragraph among the
document's paragraphs. The written tables and the truth format keep that 0, so code
asks `is_sentence(o)` instead of comparing `table` with a number.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypedDict

SENTENCE_TABLE = 0  # the `table` of a value read from a sentence


class Observation(TypedDict, total=False):
    document_id: str | None
    source: str | None
    page: int | None
    table: int | None
    row: int | None
    unit: str | None
    printed_unit: str | None
    unit_level: str | None
    province: str | None
    unit_code: str | None
    year: int | None
    framework: str | None
    code: str | None
    printed_code: str | None
    printed_name: str | None
    criterion_id: str | None
    criterion_name: str | None
    match_score: float | None
    max_score: float | None
    score: float | None
    self_score: float | None
    target: float | None
    percent: float | None
    rank: int | None
    rank_of: int | None
    delta: float | None
    rank_delta: int | None
    deduction: float | None
    grade: str | None
    source_kind: str | None
    delta_basis: str | None
    match_decision: str | None
    delta_from: int | None
    ocr_confidence: float | None


def is_sentence(o: Mapping) -> bool:
    """Was the observation read from a sentence (not from a table's row)?"""
    return o.get("table") == SENTENCE_TABLE
