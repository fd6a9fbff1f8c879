"""Sentences that name many units: each figure to its own unit (normalizer/unit_prose.py),
read through the whole normalize stage from real-shaped article paragraphs."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parindex.normalizer.normalize import normalize_document
from parindex.normalizer.unit_prose import find_mentions, find_tokens, group_sizes, sentences
from parindex.schemas import SENTENCE_TABLE, ExtractedDocument, Paragraph
from parindex.vietnamese.folding import fold_keep_length


def read(*paragraphs: str) -> list[dict]:
    doc = ExtractedDocument(
        source="article.html",
        format="html",
        blocks=[Paragraph(text=t, index=i, page=1) for i, t in enumerate(paragraphs)],
    )
    return normalize_document(doc).observations


def facts(obs: list[dict], *fields: str) -> set[tuple]:
    return {(o["printed_unit"], o["year"], o["framework"], o["code"], *(o.get(f) for f in fields)) for o in obs}


TITLE = "UBND tỉnh công bố Chỉ số cải cách hành chính năm 2022 của các sở, ban, ngành và UBND các huyện"


def test_values_in_parentheses_and_ranks_in_words_go_to_each_unit():
    obs = read(
        TITLE,
        "Sở Ngoại vụ là đơn vị đạt điểm cao nhất (96,90 điểm), xếp thứ nhì là Sở TT-TT (95,79 điểm), "
        "xếp thứ ba là Sở NN-PTNT (95,43 điểm). Trong số 21 cơ quan, có 14/21 cơ quan xếp loại xuất sắc.",
    )
    assert facts(obs, "score", "rank", "rank_of") == {
        ("Sở Ngoại vụ", 2022, "PAR_INDEX", "TOTAL", 96.9, 1, 21),
        ("Sở TT-TT", 2022, "PAR_INDEX", "TOTAL", 95.79, 2, 21),
        ("Sở NN-PTNT", 2022, "PAR_INDEX", "TOTAL", 95.43, 3, 21),
    }
    first = next(o for o in obs if o["printed_unit"] == "Sở Ngoại vụ")
    assert (first["page"], first["table"], first["row"], first["unit_level"]) == (1, SENTENCE_TABLE, 2, "department")


def test_prefixes_glued_to_names_are_removed_and_the_unit_keeps_its_level():
    obs = read(
        TITLE, "UBND H.Cẩm Mỹ là đơn vị có điểm số cao nhất (91,24 điểm), xếp thứ nhì là UBND TP.Biên Hòa (88,89 điểm)."
    )
    assert facts(obs, "score", "rank") == {
        ("Cẩm Mỹ", 2022, "PAR_INDEX", "TOTAL", 91.24, 1),
        ("Biên Hòa", 2022, "PAR_INDEX", "TOTAL", 88.89, 2),
    }
    assert {o["unit_level"] for o in obs} == {"district"}


def test_next_in_line_and_the_last_place_take_the_group_size():
    obs = read(
        "Chỉ số Cải cách hành chính năm 2021 của các sở dẫn đầu là Sở Tài chính (89,83%); tiếp đến là "
        "Sở Lao động-Thương binh và Xã hội (89,71%) và Sở Nội vụ (88,76%). Đứng cuối bảng là Sở Y tế đạt "
        "tỷ lệ điểm 68,11%.",
        "Trong số 20 cơ quan sở, ban, ngành tỉnh, có 17 cơ quan xếp loại tốt với tỷ lệ điểm số đạt trên 80%.",
    )
    assert facts(obs, "percent", "rank", "rank_of") == {
        ("Sở Tài chính", 2021, "PAR_INDEX", "TOTAL", 89.83, 1, 20),
        ("Sở Lao động-Thương binh và Xã hội", 2021, "PAR_INDEX", "TOTAL", 89.71, 2, 20),
        ("Sở Nội vụ", 2021, "PAR_INDEX", "TOTAL", 88.76, 3, 20),
        ("Sở Y tế", 2021, "PAR_INDEX", "TOTAL", 68.11, 20, 20),
    }  # "trên 80%" is a threshold and "17 cơ quan" a count: neither is a result


def test_respectively_assigns_values_and_ranks_in_order():
    obs = read(
        "Sở Nội vụ và quận Long Biên có chỉ số cải cách hành chính năm 2024 cao nhất với các chỉ số lần lượt "
        "là 95,77% và 95,39%.",
        "DTI cấp tỉnh năm 2022, Đà Nẵng dẫn đầu, TP.HCM và Quảng Ninh lần lượt xếp thứ 2 và 3.",
    )
    assert facts(obs, "percent", "rank") == {
        ("Sở Nội vụ", 2024, "PAR_INDEX", "TOTAL", 95.77, 1),
        ("Long Biên", 2024, "PAR_INDEX", "TOTAL", 95.39, 1),
        ("Đà Nẵng", 2022, "DTI", "TOTAL", None, 1),
        ("TP.HCM", 2022, "DTI", "TOTAL", None, 2),
        ("Quảng Ninh", 2022, "DTI", "TOTAL", None, 3),
    }


def test_national_and_regional_ranks_and_their_changes_are_separate_observations():
    obs = read(
        "Kết quả chỉ số CCHC năm 2019 của tỉnh An Giang xếp hạng 11/63 tỉnh, thành phố trong cả nước, đạt "
        "83,32% (tăng 2,55% so năm 2018), giảm 3 bậc so năm 2018. Với kết quả này, An Giang xếp hạng 3/13 "
        "tỉnh, thành phố khu vực ĐBSCL (tăng 1 bậc so năm 2018)."
    )
    assert facts(obs, "percent", "rank", "rank_of", "delta", "rank_delta") == {
        ("An Giang", 2019, "PAR_INDEX", "TOTAL", 83.32, 11, 63, 2.55, -3),
        ("An Giang", 2019, "PAR_INDEX", "TOTAL", None, 3, 13, None, 1),
    }
    assert {o["unit_code"] for o in obs} == {"89"}  # An Giang's GSO code
    assert {o["unit_level"] for o in obs} == {"province"}


def test_a_group_average_and_the_previous_years_value_in_parentheses():
    obs = read(
        "Giá trị trung bình Chỉ số CCHC của 17 bộ, cơ quan ngang bộ năm 2022 là 84,05%, giảm 2,02% so với "
        "năm 2021 (giá trị trung bình Chỉ số CCHC năm 2021 của các bộ là 86,07%)."
    )
    assert facts(obs, "percent", "delta") == {
        ("Giá trị trung bình", 2022, "PAR_INDEX", "TOTAL", 84.05, -2.02),
        ("giá trị trung bình", 2021, "PAR_INDEX", "TOTAL", 86.07, None),
    }
    assert {o["unit_level"] for o in obs} == {"group"}


def test_figures_before_the_unit_and_parts_of_the_index():
    obs = read(
        "Theo đó, 22 sở, cơ quan tương đương sở của TP Hà Nội có chỉ số trong khoảng 76 đến gần 93; với số "
        "điểm thẩm định 66,40; điểm điều tra xã hội học là 26,36; chỉ số 92,76 thì Sở Tài chính TP Hà Nội "
        "dẫn đầu bảng về chỉ số cải cách hành chính năm 2020."
    )
    assert facts(obs, "score", "rank", "rank_of") == {
        ("Sở Tài chính", 2020, "PAR_INDEX", "ASSESSED", 66.4, None, None),
        ("Sở Tài chính", 2020, "PAR_INDEX", "SURVEY", 26.36, None, None),
        ("Sở Tài chính", 2020, "PAR_INDEX", "TOTAL", 92.76, 1, 22),
    }


def test_rank_changes_in_words_and_the_same_rank_kept():
    obs = read(
        "Năm 2023, theo kết quả chấm điểm CCHC của UBND tỉnh, UBND huyện Ia Grai đạt 87,16/100 điểm (tăng 6,22 điểm so với năm 2022), đứng thứ 3/17 "
        "huyện, thị xã, thành phố. Về chỉ số DDCI, huyện Ia Grai đạt 74,96/100 điểm, xếp thứ 5/17 huyện "
        "(giữ nguyên vị trí xếp hạng so với năm 2022).",
        "Hải Phòng là địa phương dẫn đầu bảng xếp hạng năm 2024 với 96,17%, tăng 4,30% và lên một bậc.",
    )
    assert facts(obs, "score", "max_score", "rank", "rank_of", "delta", "rank_delta") >= {
        ("Ia Grai", 2023, "PAR_INDEX", "TOTAL", 87.16, 100, 3, 17, 6.22, None),
        ("Ia Grai", 2023, "DDCI", "TOTAL", 74.96, 100, 5, 17, None, 0),
    }
    hp = next(o for o in obs if o["printed_unit"] == "Hải Phòng")
    assert (hp["year"], hp["percent"], hp["rank"], hp["delta"], hp["rank_delta"]) == (2024, 96.17, 1, 4.3, 1)


def test_numbers_that_are_not_results_are_left_out():
    obs = read(
        "Nhóm A gồm 13 tỉnh, thành đạt chỉ số từ 90% trở lên; nhóm B gồm 50 tỉnh đạt từ 80% đến dưới 90%. "
        "Ngày 29/3/2023, UBND tỉnh Quảng Nam ban hành Quyết định số 617/QĐ-UBND. Bộ Tư pháp đạt 89,95%, "
        "Bộ Công Thương đạt 78,03%, thấp hơn 11,92% so với đơn vị dẫn đầu. Đây là lần thứ 7 Bộ Tư pháp "
        "được khen, năm thứ 4 liên tiếp Hải Phòng đạt chỉ số >90%."
    )
    assert facts(obs, "percent", "delta", "rank") == {
        ("Bộ Tư pháp", None, "PAR_INDEX", "TOTAL", 89.95, None, None),
        ("Bộ Công Thương", None, "PAR_INDEX", "TOTAL", 78.03, None, None),
    }


def test_a_headline_repeated_in_the_article_is_one_observation():
    obs = read(
        "Sở Tư pháp và thành phố Tuyên Quang đứng đầu về chỉ số cải cách hành chính",
        "UBND tỉnh vừa công bố chỉ số cải cách hành chính năm 2022. Theo đó, Sở Tư pháp đứng đầu về chỉ số "
        "cải cách hành chính với tổng điểm các lĩnh vực là 62,62 điểm, chỉ số cải cách hành chính đạt 94,49%.",
    )
    tp = [o for o in obs if o["printed_unit"] == "Sở Tư pháp"]
    assert [(o["score"], o["percent"], o["rank"]) for o in tp] == [(62.62, 94.49, 1)]


def test_domains_named_in_quotes_and_dti_pillars():
    obs = read(
        "Chỉ số cải cách hành chính năm 2023 của Ngân hàng Nhà nước Việt Nam: chỉ số thành phần “cải cách "
        "thủ tục hành chính” giữ vị trí dẫn đầu với giá trị đạt 97%, chỉ số thành phần “công tác chỉ đạo, "
        "điều hành cải cách hành chính” đạt 97,02%.",
        "Chỉ số chuyển đổi số (DTI) cấp tỉnh năm 2022, Trà Vinh đạt 0,6077 điểm. Ở 3 trụ cột chính: chính "
        "quyền số Trà Vinh đạt 0,6683 điểm, xếp hạng thứ 29; kinh tế số đạt 0,6647 điểm, xếp thứ 27.",
    )
    got = facts(obs, "printed_name", "percent", "score", "rank")
    assert ("Ngân hàng Nhà nước Việt Nam", 2023, "PAR_INDEX", "3", "cải cách thủ tục hành chính", 97, None, 1) in got
    assert (
        "Ngân hàng Nhà nước Việt Nam",
        2023,
        "PAR_INDEX",
        "1",
        "công tác chỉ đạo, điều hành cải cách hành chính",
        97.02,
        None,
        None,
    ) in got
    assert ("Trà Vinh", 2022, "DTI", None, "kinh tế số", None, 0.6647, 27) in got


def test_a_document_about_many_units_has_no_unit_of_its_own():
    doc = ExtractedDocument(
        source="a.html",
        format="html",
        blocks=[
            Paragraph(text=TITLE, index=0),
            Paragraph(text="Hà Nội (91,43%, xếp thứ 3); Bắc Giang (91,16%, xếp thứ 4).", index=1),
        ],
    )
    nd = normalize_document(doc)
    assert nd.context.unit is None
    assert [(o["printed_unit"], o["percent"], o["rank"]) for o in nd.observations] == [
        ("Hà Nội", 91.43, 3),
        ("Bắc Giang", 91.16, 4),
    ]


@pytest.mark.parametrize(
    "printed, name, level",
    [
        ("UBND huyện Châu Thành", "Châu Thành", "district"),
        ("Văn phòng Đoàn ĐBQH, HĐND và UBND tỉnh", "Văn phòng Đoàn ĐBQH, HĐND và UBND tỉnh", "department"),
        (
            "Ban Quản lý các khu công nghiệp và chế xuất thành phố",
            "Ban Quản lý các khu công nghiệp và chế xuất thành phố",
            "department",
        ),
        ("Viện Hàn lâm Khoa học và Công nghệ Việt Nam", "Viện Hàn lâm Khoa học và Công nghệ Việt Nam", "department"),
        ("Bộ Công Thương", "Bộ Công Thương", "ministry"),
        ("TP.HCM", "TP.HCM", "province"),
    ],
)
def test_unit_names_end_where_the_sentence_goes_on(printed, name, level):
    mentions = find_mentions(f"Năm 2023, {printed} đạt 90,10 điểm.")
    assert [(m.printed, m.level) for m in mentions] == [(name, level)]


def test_group_sizes_come_from_counts_not_from_rank_fractions():
    sizes, fractions = group_sizes(
        [
            "Khối 23 sở, cơ quan tương đương sở và 30 UBND quận, huyện, thị xã.",
            "Trà Vinh xếp thứ 48/63 tỉnh, thành phố.",
        ]
    )
    assert sizes == {"department": 23, "district": 30}
    assert fractions == {"province": 63}


units = st.sampled_from(["Sở Tư pháp", "Sở Y tế", "Bộ Tài chính", "Sở Kế hoạch và Đầu tư", "Thanh tra tỉnh"])
values = st.decimals(min_value=10, max_value=100, places=2).map(lambda d: f"{d:.2f}".replace(".", ","))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(units, values), min_size=2, max_size=5, unique_by=lambda t: t[0]))
def test_a_list_of_units_each_with_its_value_in_parentheses(pairs):
    text = "Kết quả năm 2023: " + ", ".join(f"{u} ({v}%)" for u, v in pairs) + "."
    obs = read(text)
    assert [(o["printed_unit"], o["percent"]) for o in obs] == [(u, float(v.replace(",", "."))) for u, v in pairs]


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["Sở Tư pháp đạt 90,1%.", "TP. Hồ Chí Minh xếp thứ 2.", "H. Cẩm Mỹ dẫn đầu!", "Trà Vinh | tin", "năm 2023"]
        ),
        min_size=1,
        max_size=6,
    )
)
def test_sentences_cover_the_paragraph_in_order(parts):
    text = " ".join(parts)
    got = sentences(text)
    assert "".join(t for _, t in got).replace(" ", "") == text.replace(" ", "")
    assert all(text[s : s + len(t)] == t for s, t in got)
    for s, t in got:  # an abbreviated prefix never ends a sentence
        assert not t.rstrip().endswith(("TP.", "H."))


def test_tokens_keep_their_positions():
    text = "Sở Nội vụ đạt 88,76%, tăng 1,2 điểm, xếp thứ 3/20, tăng 2 bậc"
    toks = find_tokens(text, fold_keep_length(text))
    assert [(t.kind, text[t.start : t.end]) for t in toks] == [
        ("value", "88,76%"),
        ("delta", "tăng 1,2 điểm"),
        ("rank", "xếp thứ 3/20"),
        ("rank_delta", "tăng 2 bậc"),
    ]


def test_changes_measured_against_other_years_are_kept_apart_and_not_flagged():
    from parindex.audit import audit_document

    obs = read(
        "Kết quả chỉ số CCHC năm 2019 của tỉnh An Giang xếp hạng 11/63 tỉnh, giảm 3 bậc so năm 2018, nhưng "
        "tăng 25 bậc so năm 2016 (năm 2016 xếp thứ 36/63 tỉnh, thành phố). An Giang xếp hạng 3/13 tỉnh, "
        "thành phố khu vực ĐBSCL (tăng 1 bậc so năm 2018).",
        "Giá trị trung bình năm 2020 là 87,56%, tăng 1,93% so với năm 2019 (chỉ đạt 85,63%), đồng thời tăng "
        "12,18% so với năm 2012.",
    )
    assert facts(obs, "rank", "rank_of", "rank_delta", "delta", "delta_from") >= {
        ("An Giang", 2019, "PAR_INDEX", "TOTAL", 11, 63, -3, None, 2018),
        ("An Giang", 2019, "PAR_INDEX", "TOTAL", None, None, 25, None, 2016),
        ("An Giang", 2016, "PAR_INDEX", "TOTAL", 36, 63, None, None, None),
        ("An Giang", 2019, "PAR_INDEX", "TOTAL", 3, 13, 1, None, 2018),
        ("Giá trị trung bình", 2020, "PAR_INDEX", "TOTAL", None, None, None, 12.18, 2012),
    }
    for o in obs:
        o.setdefault("document_id", "d")
    assert audit_document(obs) == []  # 87,56 - 85,63 = 1,93; the other changes are against other years


def test_an_index_named_with_its_year_and_the_last_of_a_counted_block():
    obs = read(
        "Theo kết quả công bố, Chỉ số SIPAS 2023 của tỉnh Quảng Ninh đạt 90,61%, đứng đầu cả nước; tỉnh "
        "Bình Định đạt 75,03%, đứng cuối bảng.",
        "Trong khối UBND các huyện, thành phố, thành phố Đà Lạt đạt 90,12 điểm, xếp thứ nhất; huyện Đam Rông "
        "đạt 78,40 điểm, xếp cuối trong 12 huyện, thành phố.",
    )
    assert facts(obs, "percent", "score", "rank", "rank_of") == {
        ("Quảng Ninh", 2023, "SIPAS", "TOTAL", 90.61, None, 1, None),
        ("Bình Định", 2023, "SIPAS", "TOTAL", 75.03, None, None, None),
        ("Đà Lạt", 2023, "SIPAS", "TOTAL", None, 90.12, 1, 12),
        ("Đam Rông", 2023, "SIPAS", "TOTAL", None, 78.4, 12, 12),
    }


def test_communes_and_a_place_name_with_a_lower_case_word():
    obs = read(
        "Kết quả Chỉ số cải cách hành chính năm 2023 của UBND các xã, thị trấn huyện Mộc Châu",
        "Xã Tân Lập đạt 89,5 điểm, xếp thứ nhất trong 15 xã, thị trấn; thị trấn Nông trường Mộc Châu đạt "
        "88,20 điểm, xếp thứ hai.",
    )
    assert facts(obs, "score", "rank", "rank_of") == {
        ("Tân Lập", 2023, "PAR_INDEX", "TOTAL", 89.5, 1, 15),
        ("Nông trường Mộc Châu", 2023, "PAR_INDEX", "TOTAL", 88.2, 2, 15),
    }
    assert {o["unit_level"] for o in obs} == {"commune"}


def test_a_move_from_one_place_to_another():
    obs = read(
        "Năm 2023, Chỉ số CCHC của tỉnh Cao Bằng tăng 24 bậc, từ vị trí 63 lên 39/63 tỉnh, thành phố.",
        "Chỉ số PAR INDEX năm 2022 của tỉnh Bình Phước đạt 82,1%, từ vị trí thứ 40 xuống vị trí thứ 54.",
    )
    assert facts(obs, "percent", "rank", "rank_of", "rank_delta") == {
        ("Cao Bằng", 2023, "PAR_INDEX", "TOTAL", None, 39, 63, 24),
        ("Bình Phước", 2022, "PAR_INDEX", "TOTAL", 82.1, 54, None, -14),
    }
