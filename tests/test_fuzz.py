"""Fuzzing the parsers: sentences and tables built from the words reports use, and
mutated sample files (benchmarks/fuzz_extractors.py runs the long campaign)."""

from __future__ import annotations

import pathlib
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parindex.extractors import ExtractionError, extract
from parindex.normalizer.normalize import normalize_document
from parindex.schemas.columns import OBSERVATIONS

ROOT = pathlib.Path(__file__).resolve().parent.parent
WORDS = [
    "Chỉ số",
    "PAR INDEX",
    "SIPAS",
    "DDCI",
    "DTI",
    "PCI",
    "CCHC",
    "năm",
    "2023",
    "2024",
    "đạt",
    "điểm",
    "%",
    "xếp",
    "thứ",
    "hạng",
    "vị trí",
    "nhất",
    "đầu",
    "tăng",
    "giảm",
    "so với",
    "lần lượt là",
    "và",
    ",",
    ";",
    ":",
    "huyện",
    "xã",
    "Sở",
    "Tây Sơn",
    "Ba Tơ",
    "(bị trừ",
    ")",
    "Tiêu chí",
    "1.2",
    "1,3",
    "9,52/13,50",
    "78,12",
    "4/8",
    "12/13",
    "-",
    "+",
    "phấn đấu",
    "Quyết định công bố",
    "Lĩnh vực",
    "cải cách thể chế",
    "\n",
    "\t",
]
NUMBERS = st.from_regex(r"[+\-]?\d{1,3}([.,]\d{1,4})?(/\d{1,3}([.,]\d{1,2})?)?%?", fullmatch=True)
TOKENS = st.one_of(st.sampled_from(WORDS), NUMBERS, st.text(max_size=4))


def _read(text: str) -> list[dict]:
    try:
        doc = extract("fuzz.txt", data=text.encode("utf-8"))
    except ExtractionError as exc:  # empty or unreadable: a recorded error, which is fine
        assert "fuzz.txt" in str(exc)
        return []
    return normalize_document(doc).observations


def _check(observations: list[dict]) -> None:
    for o in observations:
        assert set(o) <= set(OBSERVATIONS) | {"unit_code"}
        assert o.get("table") is not None and o.get("row") is not None
        if o.get("rank") is not None:
            assert isinstance(o["rank"], int)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TOKENS, max_size=60))
def test_sentences_made_of_report_words_never_break_the_normalizer(tokens):
    _check(_read(" ".join(tokens)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(TOKENS, min_size=1, max_size=6), min_size=1, max_size=8))
def test_tables_of_report_words_never_break_the_normalizer(rows):
    _check(_read("STT\tLĩnh vực\tNăm 2023\tXếp hạng\n" + "\n".join("\t".join(r) for r in rows)))


def test_mutated_sample_files_fail_cleanly():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import random
    import tempfile

    import fuzz_extractors

    rng = random.Random(20261123)
    with tempfile.TemporaryDirectory() as tmp:
        for sample in fuzz_extractors.SAMPLES:
            data = sample.read_bytes()
            for i in range(2):
                path = pathlib.Path(tmp) / f"{sample.stem}.m{i}{sample.suffix}"
                path.write_bytes(fuzz_extractors.mutate(data, rng))
                assert fuzz_extractors.check(path) is None


@pytest.mark.slow
def test_mutation_campaign():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import fuzz_extractors

    sys.argv = ["fuzz", "20", "2"]
    assert fuzz_extractors.main() == 0
