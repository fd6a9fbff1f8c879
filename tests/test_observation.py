"""The typed observation agrees with the observations table's columns, and the
observations a real document gives are what it says; each vocabulary of aggregate codes
names only the codes of the data contract."""

from __future__ import annotations

import pathlib
import types
import typing

import pytest

from parindex.extractors import extract
from parindex.normalizer.matching import match_observations
from parindex.normalizer.normalize import normalize_document
from parindex.normalizer.unit_prose import PART_MARKS
from parindex.schemas import SENTENCE_TABLE, Observation, is_sentence
from parindex.schemas.columns import AGGREGATE_CODES, OBSERVATIONS
from parindex.vietnamese.vocabulary import AGGREGATES, RANKING_PARTS

SAMPLES = pathlib.Path(__file__).resolve().parent.parent / "samples"
PYTHON_TYPE = {"string": str, "Int64": int, "Float64": float}


def _declared() -> dict[str, type]:
    """Each key of Observation -> the one type besides None its value may have."""
    out = {}
    for name, hint in typing.get_type_hints(Observation).items():
        assert isinstance(hint, types.UnionType), name
        (kind,) = [t for t in hint.__args__ if t is not type(None)]
        assert type(None) in hint.__args__, name
        out[name] = kind
    return out


def test_observation_has_every_column_with_its_dtype_in_order():
    assert list(_declared()) == list(OBSERVATIONS)
    assert _declared() == {name: PYTHON_TYPE[dtype] for name, dtype in OBSERVATIONS.items()}


@pytest.mark.parametrize("name", ["000_65e2608f2289fc53.pdf", "001_af3bdc7e3d446662.docx", "004_0dbbb814e2b5b046.html"])
def test_a_real_documents_observations_are_typed_as_declared(name):
    doc = extract(SAMPLES / name)
    norm = normalize_document(doc)
    obs = match_observations(norm.observations, norm.context.unit_level, norm.context.province)
    assert obs
    declared = _declared()
    for o in obs:
        for key, value in o.items():
            assert key in declared, key
            # exact types: a bool is an int to isinstance, a numpy number is neither
            assert value is None or type(value) is declared[key], (key, value)


def test_sentences_and_tables_are_told_apart_by_the_table_column():
    obs = normalize_document(extract(SAMPLES / "004_0dbbb814e2b5b046.html")).observations
    sentences = [o for o in obs if is_sentence(o)]
    assert sentences and all(o["table"] == SENTENCE_TABLE and o["source_kind"] != "table" for o in sentences)
    assert all(o["table"] >= 1 for o in obs if not is_sentence(o))


def test_every_aggregate_a_vocabulary_names_is_an_aggregate_code():
    assert {code for code, _ in AGGREGATES} == set(AGGREGATE_CODES)
    for vocabulary in (RANKING_PARTS, [(code, pat) for pat, code in PART_MARKS]):
        assert {code for code, _ in vocabulary} <= set(AGGREGATE_CODES)
