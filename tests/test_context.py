"""Who and when a document is about (normalizer/context.py)."""

from __future__ import annotations

from parindex.extractors import extract
from parindex.normalizer.context import detect_context, resolve_unit


def context(text: str):
    return detect_context(extract("r.txt", data=text.encode("utf-8")))


def test_the_national_motto_is_not_a_commune():
    ctx = context(
        "UBND HUYỆN BA TỜ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n"
        "TỔNG HỢP KẾT QUẢ CHỈ SỐ PAR INDEX HUYỆN BA TỜ GIAI ĐOẠN 2021 - 2024\n"
    )
    # "BA TỜ" is a misprint of Ba Tơ; the official name and code come back
    assert (ctx.unit, ctx.unit_level, ctx.province, ctx.unit_code) == ("Ba Tơ", "district", "Quảng Ngãi", "535")
    assert ctx.years == [2021, 2022, 2023, 2024]


def test_a_commune_named_without_its_district():
    ctx = context(
        "UBND XÃ BA THÀNH\n\nBÁO CÁO\nKết quả Chỉ số cải cách hành chính năm 2024\n\n"
        "Thực hiện Công văn số 50/UBND ngày 08/01/2025 của UBND huyện về việc đánh giá ... tỉnh Quảng Ngãi.\n"
        "UBND xã Ba Thành báo cáo kết quả Chỉ số cải cách hành chính năm 2024.\n"
    )
    assert (ctx.unit, ctx.unit_level, ctx.unit_code, ctx.year) == ("Ba Thành", "commune", "21493", 2024)
    assert (ctx.unit_2025, ctx.unit_code_2025) == ("Ba Động", "21496")


def test_the_year_scores_are_for_not_the_date_of_the_report():
    ctx = context(
        "Tây Sơn, ngày 15 tháng 3 năm 2025\n\nBÁO CÁO\nKết quả Chỉ số cải cách hành chính năm 2024 "
        "của huyện Tây Sơn, tỉnh Bình Định\n"
    )
    assert ctx.year == 2024 and ctx.unit == "Tây Sơn" and ctx.province_2025 == "Gia Lai"


def test_a_department():
    ctx = context(
        "UBND TỈNH LAI CHÂU\nSỞ NỘI VỤ\n\nBÁO CÁO\nKết quả Chỉ số cải cách hành chính năm 2023 của Sở Nội vụ\n\n"
        "Chỉ số CCHC của Sở Nội vụ đạt 88,5 điểm, xếp thứ 2/19 sở, ban, ngành. Cơ sở dữ liệu được cập nhật.\n"
    )
    assert (ctx.unit, ctx.unit_level, ctx.province, ctx.province_code, ctx.rank_of) == (
        "Nội vụ",
        "department",
        "Lai Châu",
        "12",
        19,
    )


def test_the_index_reported_on():
    assert context("BÁO CÁO\nKết quả Chỉ số SIPAS năm 2023 của huyện Tây Sơn\n").framework == "SIPAS"
    assert context("BÁO CÁO\nKết quả Chỉ số PAR INDEX và SIPAS năm 2023\n").framework == "PAR_INDEX"


def test_resolve_unit_gives_gso_codes():
    assert resolve_unit("Tây Sơn", "district", "Bình Định")["unit_code"] == "547"
    assert resolve_unit("Phong Thổ", "district", None)["province"] == "Lai Châu"


def test_names_that_fold_to_stop_words_are_kept():
    # folded, "Nậm" is "nam" (năm), "Tịnh"/"Tĩnh" are "tinh" (tỉnh), "Trọng" is "trong"
    ctx = context("BÁO CÁO\\nKết quả Chỉ số cải cách hành chính năm 2023 của huyện Nậm Nhùn, tỉnh Lai Châu\\n")
    assert (ctx.unit, ctx.province, ctx.unit_code) == ("Nậm Nhùn", "Lai Châu", "112")
    ctx = context("BÁO CÁO\\nKẾT QUẢ CHỈ SỐ CCHC NĂM 2024 CỦA HUYỆN SƠN TỊNH, TỈNH QUẢNG NGÃI\\n")
    assert (ctx.unit, ctx.province) == ("Sơn Tịnh", "Quảng Ngãi")
    ctx = context("BÁO CÁO\\nKết quả Chỉ số cải cách hành chính năm 2023 của huyện Kỳ Anh, tỉnh Hà Tĩnh\\n")
    assert (ctx.unit, ctx.province) == ("Kỳ Anh", "Hà Tĩnh")
