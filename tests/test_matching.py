"""Catalog and fuzzy matching (normalizer/criteria.py, normalizer/matching.py)."""

from __future__ import annotations

import pathlib
import sys

import pytest

from parindex.normalizer.criteria import load_catalog
from parindex.normalizer.matching import ACCEPT, damaged_form, looks_damaged, match_criterion

ROOT = pathlib.Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def test_catalog_covers_every_framework_and_level(catalog):
    seen = {(c.framework, c.level) for c in catalog.criteria}
    for level in ("province", "department", "district", "commune"):
        assert ("PAR_INDEX", level) in seen
    assert {c.framework for c in catalog.criteria} == {"PAR_INDEX", "SIPAS", "DDCI", "DTI"}
    ids = [c.criterion_id for c in catalog.criteria]
    assert len(ids) == len(set(ids))
    by_id = {c.criterion_id: c for c in catalog.criteria}
    for c in catalog.criteria:  # every parent link points at a criterion of the same version
        if c.parent_code:
            assert f"{c.framework}.{c.version}.{c.parent_code}" in by_id, c.criterion_id


def test_abbreviations_and_office_notes(catalog):
    m = match_criterion(
        catalog,
        "Công tác chỉ đạo điều hành CCHC (Phòng Nội vụ; Phòng Tư pháp)",
        "1",
        "PAR_INDEX",
        "district",
        "Quảng Ngãi",
        2024,
    )
    assert (m.criterion.criterion_id, m.decision) == ("PAR_INDEX.par-district-quangngai-673-2023.1", "accepted")


def test_the_version_that_fits_the_document_wins(catalog):
    lai_chau = match_criterion(catalog, "Cải cách thể chế", "2", "PAR_INDEX", "district", "Lai Châu", 2023)
    quang_ngai = match_criterion(catalog, "Cải cách thể chế", "2", "PAR_INDEX", "district", "Quảng Ngãi", 2024)
    assert lai_chau.criterion.version == "par-district-laichau-2023"
    assert quang_ngai.criterion.version == "par-district-quangngai-673-2023"


def test_a_name_that_only_cites_its_code_matches_by_code(catalog):
    m = match_criterion(catalog, "Tiêu chí 1.2", "1.2", "PAR_INDEX", "district", "Lai Châu", 2023)
    assert (m.criterion.criterion_id, m.decision) == ("PAR_INDEX.par-district-laichau-2023.1.2", "accepted")


def test_damaged_web_text_matches_through_the_secondary_score(catalog):
    assert looks_damaged("Htng s") and not looks_damaged("Hạ tầng số") and not looks_damaged("Ha tang so")
    assert damaged_form("Hạ tầng số") == "h tng s"
    m = match_criterion(catalog, "Htng s", "I.3", "DTI", "district", "Bình Định", 2023)
    assert m.criterion.criterion_id == "DTI.dti-district-binhdinh-2023.I.3" and m.decision == "accepted"


def test_unrelated_text_is_no_match(catalog):
    m = match_criterion(catalog, "Người lập biểu ký tên", None, "PAR_INDEX", "district", "Lai Châu", 2023)
    assert m.decision in ("no_match", "review") and (m.criterion is None or m.score < ACCEPT)


def test_a_short_name_inside_a_long_one_is_not_taken_for_it(catalog):
    # "Trang TTĐT" is every word of 3.2.2's long name too; the short alias of 7.3.1 wins
    m = match_criterion(catalog, "Trang/TTĐT", None, "PAR_INDEX", "district", "Quảng Ngãi", 2024)
    assert m.criterion.criterion_id == "PAR_INDEX.par-district-quangngai-673-2023.7.3.1"


def _accuracy(every: int) -> tuple[float, int, int]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import csv
    import tempfile

    from matching_accuracy import evaluate

    rows = list(csv.DictReader((ROOT / "benchmarks" / "data" / "name_variants.csv").open(encoding="utf-8")))[::every]
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    n, ok, bad = evaluate(pathlib.Path(f.name))["stats"]["all"]
    return ok / n, bad, n


def test_labelled_variants_every_tenth():
    accuracy, wrong_accepted, n = _accuracy(10)
    assert n >= 300 and accuracy >= 0.99 and wrong_accepted == 0


@pytest.mark.slow
def test_labelled_variants_all():
    accuracy, wrong_accepted, n = _accuracy(1)
    assert n >= 3000 and accuracy >= 0.99 and wrong_accepted == 0


def test_a_printed_name_is_compared_once_with_each_distinct_catalog_name(catalog, monkeypatch):
    # the versions of a framework repeat most of their names: a printed name's similarity
    # is memoized by the pair of names, so a new name costs one comparison per distinct
    # catalog name, and the match is the one comparing every criterion anew would give
    from parindex.normalizer import matching

    def empty_memos():
        for memo in ("_MEMO", "_SIMILARITY", "_PAIRS"):
            monkeypatch.setattr(matching, memo, {})

    compared = []
    similarity = matching.name_similarity
    monkeypatch.setattr(matching, "name_similarity", lambda a, b: compared.append((a, b)) or similarity(a, b))
    empty_memos()
    printed = "Cải cách tổ chức bộ máy hành chính nhà nước"
    got = match_criterion(catalog, printed, None, "PAR_INDEX", "district", "Lai Châu", 2023, domains_only=True)
    domains = [c for c in catalog.for_framework("PAR_INDEX") if c.depth == 1]
    names = {matching._norm(catalog, n) for c in domains for n in (c.name, *c.aliases)}
    assert len(compared) == len(set(compared)) > 0
    assert len(compared) <= len(names) < sum(1 + len(c.aliases) for c in domains) / 5

    empty_memos()
    monkeypatch.setattr(matching, "_pair_similarity", similarity)  # every criterion's names compared anew
    again = match_criterion(catalog, printed, None, "PAR_INDEX", "district", "Lai Châu", 2023, domains_only=True)
    assert got.criterion.criterion_id == "PAR_INDEX.par-district-laichau-2023.4" and got.decision == "accepted"
    assert (got.criterion.criterion_id, got.score) == (again.criterion.criterion_id, again.score)
