"""Scores read from sentences (normalizer/prose.py through normalize_document)."""

from __future__ import annotations

from parindex.extractors import extract
from parindex.normalizer.normalize import normalize_document
from parindex.schemas import SENTENCE_TABLE


def read(text: str) -> list[dict]:
    doc = normalize_document(extract("report.txt", data=text.encode("utf-8")))
    return doc.observations


HEAD = "BÁO CÁO\nKết quả Chỉ số cải cách hành chính năm 2023 của huyện Tam Đường, tỉnh Lai Châu\n\n"


def test_index_sentence_gives_score_and_rank():
    obs = read(HEAD + "Chỉ số PAR INDEX của huyện đạt 78,12 điểm, xếp vị trí thứ 4/8 huyện, thành phố.\n")
    assert [(o["framework"], o["code"], o["score"], o["rank"], o["rank_of"], o["year"], o["table"]) for o in obs] == [
        ("PAR_INDEX", "TOTAL", 78.12, 4, 8, 2023, SENTENCE_TABLE)
    ]


def test_sipas_percent_and_signed_change():
    obs = read(HEAD + "Chỉ số SIPAS năm 2023 đạt 81,20%, giảm 0,52% so với năm 2022.\n")
    assert [(o["framework"], o.get("percent"), o.get("delta")) for o in obs] == [("SIPAS", 81.2, -0.52)]


def test_pci_is_out_of_scope_and_not_read_as_par_index():
    assert read(HEAD + "Chỉ số PCI năm 2023 của tỉnh đạt 65,1 điểm, xếp thứ 20.\n") == []


def test_domain_result_under_its_heading():
    obs = read(
        HEAD + "1. Công tác chỉ đạo điều hành về cải cách hành chính\n"
        "Đạt 9,52/13,50 điểm (bằng 70,5%), tăng 9,99% so với năm 2022 xếp hạng thứ 4 sau Than Uyên.\n"
    )
    o = next(o for o in obs if o["code"] == "1")
    assert (o["score"], o["max_score"], o["percent"], o["delta"], o["rank"]) == (9.52, 13.5, 70.5, 9.99, 4)


def test_target_is_not_a_result():
    obs = read(HEAD + "Phấn đấu Chỉ số PAR INDEX năm 2024 đạt từ 85% trở lên.\n")
    assert [(o["year"], o.get("target"), o.get("score"), o.get("percent")) for o in obs] == [(2024, 85.0, None, None)]


def test_self_assessed_score_on_a_domain_line():
    obs = read(
        "UBND xã Ba Thành báo cáo kết quả Chỉ số cải cách hành chính năm 2024\n\n"
        "- Lĩnh vực Cải cách thể chế: Điểm tự đánh giá: 6,0 điểm\n"
    )
    assert [(o["code"], o.get("self_score"), o["year"]) for o in obs] == [("2", 6.0, 2024)]


def test_official_decision_figure():
    obs = read(HEAD + "Số điểm đạt được 79,24 khác do với Quyết định công bố của UBND tỉnh 79,27 điểm do làm tròn.\n")
    assert [(o["code"], o["score"], o["source_kind"]) for o in obs] == [("TOTAL", 79.27, "decision")]


def test_a_sentence_that_names_its_domain():
    obs = read(HEAD + "Lĩnh vực công tác chỉ đạo, điều hành CCHC đạt 9,52/13,50 điểm (bằng 70,5%), xếp hạng thứ 4.\n")
    assert [(o["code"], o["score"], o["max_score"], o["percent"], o["rank"], o["printed_name"]) for o in obs] == [
        ("1", 9.52, 13.5, 70.5, 4, "Lĩnh vực công tác chỉ đạo, điều hành CCHC")
    ]


def test_respectively_assigns_values_to_indices_in_order():
    obs = read(HEAD + "Chỉ số PAR INDEX và Chỉ số SIPAS năm 2023 của huyện lần lượt là 87,61 điểm và 86,70%.\n")
    assert [(o["framework"], o["year"], o.get("score"), o.get("percent")) for o in obs] == [
        ("PAR_INDEX", 2023, 87.61, None),
        ("SIPAS", 2023, None, 86.7),
    ]


def test_respectively_assigns_values_to_years_in_order():
    obs = read(HEAD + "Chỉ số PAR INDEX của huyện năm 2022 và năm 2023 lần lượt là 72,07 và 78,12 điểm.\n")
    assert [(o["year"], o["score"]) for o in obs] == [(2022, 72.07), (2023, 78.12)]


def test_respectively_for_pci_and_papi_is_not_read():
    assert read(HEAD + "Chỉ số PCI và PAPI năm 2023 lần lượt là 65,1 và 42,3 điểm.\n") == []


def test_several_units_in_one_sentence():
    obs = read(
        HEAD + "Chỉ số PAR INDEX năm 2023: huyện Than Uyên đạt 80,10 điểm, xếp thứ nhất; "
        "huyện Tam Đường đạt 78,12 điểm, xếp thứ 4.\n"
    )
    assert [(o["unit"], o["score"], o["rank"]) for o in obs] == [("Than Uyên", 80.1, 1), ("Tam Đường", 78.12, 4)]


def test_deduction_tied_to_the_code_it_follows():
    obs = read(HEAD + "1.3. Kiểm tra công tác cải cách hành chính (bị trừ 0,5 điểm).\n")
    assert [(o["code"], o["deduction"]) for o in obs] == [("1.3", 0.5)]
