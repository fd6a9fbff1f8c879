"""Header interpretation and table rows (normalizer/table_observations.py)."""

from __future__ import annotations

from parindex.extractors import extract
from parindex.normalizer.normalize import normalize_document
from parindex.normalizer.table_observations import interpret_columns
from parindex.vietnamese.vocabulary import header_row_count

HEAD = "KẾT QUẢ CHỈ SỐ CCHC NĂM 2023 CỦA HUYỆN TAM ĐƯỜNG\n"


def observations(text: str) -> list[dict]:
    return normalize_document(extract("t.txt", data=text.encode("utf-8"))).observations


def test_a_two_row_header_gives_year_and_measure_per_column():
    rows = [
        ["Số TT", "LĨNH VỰC", "Năm 2021", "", "", "Năm 2022", "", ""],
        ["", "", "Điểm chuẩn", "Điểm đạt được", "Xếp hạng", "Điểm chuẩn", "Điểm đạt được", "Xếp hạng"],
        ["1", "Cải cách thể chế", "5,00", "5,00", "1/13", "5,00", "4,50", "10/13"],
    ]
    assert header_row_count(rows) == 2
    cols = interpret_columns(rows, 2)
    assert [(c.role, c.field, c.year) for c in cols] == [
        ("code", None, None),
        ("name", None, None),
        ("value", "max_score", 2021),
        ("value", "score", 2021),
        ("value", "rank", 2021),
        ("value", "max_score", 2022),
        ("value", "score", 2022),
        ("value", "rank", 2022),
    ]


def test_max_printed_in_the_header_goes_to_the_aggregate_row():
    obs = observations(
        HEAD + "STT\tLĩnh vực\tĐiểm tối đa\tĐiểm thẩm định (65)\n1\tCải cách thể chế\t5,00\t4,50\n"
        "*\tĐiểm thẩm định\t\t55,81\n"
    )
    assert [(o["code"], o["max_score"], o["score"]) for o in obs] == [("1", 5.0, 4.5), ("ASSESSED", 65.0, 55.81)]


def test_rank_size_from_the_header():
    obs = observations(
        HEAD + "Năm đánh giá\tPAR INDEX (%)\tXếp hạng (/8 huyện, thành phố)\n2022\t72,07\t3\n2023\t78,12\t4\n"
    )
    assert [(o["year"], o["code"], o["rank"], o["rank_of"]) for o in obs] == [
        (2022, "TOTAL", 3, 8),
        (2023, "TOTAL", 4, 8),
    ]


def test_roman_groups_number_their_children():
    obs = observations(
        "Chỉ số SIPAS năm 2023\nTT\tTiêu chí\tKết quả năm 2023\nI\tTiếp cận dịch vụ\t80,10\n"
        "1\tTrách nhiệm giải trình\t72,90\n2\tCông khai minh bạch\t87,30\nII\tThủ tục hành chính\t85,00\n"
        "1\tNiêm yết\t85,00\n"
    )
    assert [o["code"] for o in obs] == ["I", "I.1", "I.2", "II", "II.1"]


def test_star_rows_and_rows_without_a_code():
    obs = observations(
        HEAD + "STT\tLĩnh vực\tĐiểm chuẩn\tĐiểm đạt được\n*\tĐiểm đánh giá\t73,50\t56,23\n"
        "*\tĐIỂM ĐIỀU TRA XHH\t26,50\t16,54\n\tGhi chú: điểm thưởng\t1,00\t0,50\n"
    )
    assert [(o["code"], o["score"], o["max_score"]) for o in obs] == [
        ("ASSESSED", 56.23, 73.5),
        ("SURVEY", 16.54, 26.5),
        (None, 0.5, 1.0),
    ]


def test_comma_codes_are_dot_codes_and_fractions_split():
    obs = observations(
        HEAD + "STT\tLĩnh vực\tNăm 2023 (điểm đạt/điểm tối đa)\n1,2\tBáo cáo định kỳ\t9,52/13,50\n"
        "2\tCải cách thể chế\t04/04\n"
    )
    assert [(o["code"], o["printed_code"], o["score"], o["max_score"]) for o in obs] == [
        ("1.2", "1,2", 9.52, 13.5),
        ("2", "2", 4.0, 4.0),
    ]
