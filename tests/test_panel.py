"""The longitudinal panel keyed by unit identity (writer/panel.py)."""

from __future__ import annotations

from parindex.normalizer.units import canonical_unit, unit_identity
from parindex.writer.panel import build_panel


def ob(unit, year, score, doc="d1", level="department", province="Quảng Ngãi", code="TOTAL", **more):
    """An observation as the normalizer leaves it: `unit` is the canonical name of the unit
    printed, `printed_unit` what the document printed."""
    return {
        "document_id": doc,
        "source": f"{doc}.pdf",
        "table": 1,
        "row": 1,
        "unit": canonical_unit(unit, level, province, year).unit,
        "printed_unit": unit,
        "unit_level": level,
        "province": province,
        "year": year,
        "framework": "PAR_INDEX",
        "code": code,
        "source_kind": "table",
        "score": score,
        **more,
    }


def test_one_department_printed_three_ways_in_three_years_is_one_line():
    obs = [
        ob("Sở TT-TT", 2022, 85.1, doc="a"),
        ob("Sở Thông tin và Truyền thông", 2023, 86.2, doc="b"),
        ob("SỞ THÔNG TIN VÀ TRUYỀN THÔNG", 2024, 87.3, doc="c", province="tỉnh Quảng Ngãi"),
    ]
    rows = build_panel(obs)
    assert {(r["unit"], r["unit_code"], r["unit_level"], r["province"]) for r in rows} == {
        ("Sở Thông tin và Truyền thông", "dept:thong-tin-truyen-thong", "department", "Quảng Ngãi")
    }
    assert [(r["year"], r["score"]) for r in sorted(rows, key=lambda r: r["year"])] == [
        (2022, 85.1),
        (2023, 86.2),
        (2024, 87.3),
    ]
    assert len({unit_identity(o) for o in obs}) == 1


def test_observations_that_still_carry_the_printed_name_are_one_unit_too():
    """Names as printed, no code: the identity still finds one department (the row is named
    as its first observation names it)."""
    obs = [
        ob("Sở TT-TT", 2023, 85.1, doc="a") | {"unit": "Sở TT-TT"},
        ob("Sở Thông tin và Truyền thông", 2023, 85.1, doc="b") | {"unit": "Thông tin và Truyền thông"},
    ]
    rows = build_panel(obs)
    assert [(r["unit_code"], r["province"], r["n_sources"]) for r in rows] == [
        ("dept:thong-tin-truyen-thong", "Quảng Ngãi", 2)
    ]


def test_two_printings_of_one_department_in_one_year_are_one_row_that_counts_both():
    rows = build_panel([ob("Sở KH&ĐT", 2023, 80.5, doc="a"), ob("Sở Kế hoạch và Đầu tư", 2023, 80.5, doc="b")])
    assert [(r["unit"], r["n_sources"], r["n_agree"]) for r in rows] == [("Sở Kế hoạch và Đầu tư", 2, 2)]


def test_one_department_in_two_provinces_is_two_lines():
    rows = build_panel(
        [
            ob("Sở Tư pháp", 2023, 90.0, province="Quảng Ngãi"),
            ob("Sở Tư pháp", 2023, 91.0, doc="b", province="Lai Châu"),
        ]
    )
    assert sorted((r["province"], r["score"]) for r in rows) == [("Lai Châu", 91.0), ("Quảng Ngãi", 90.0)]


def test_a_province_renamed_in_2025_is_one_identity_named_as_it_was_each_year():
    rows = build_panel(
        [
            ob("TP.Huế", 2024, 88.0, level="province", province=None),
            ob("Huế", 2025, 89.0, doc="b", level="province", province=None),
        ]
    )
    assert sorted((r["year"], r["unit"], r["unit_code"], r["province"]) for r in rows) == [
        (2024, "Thừa Thiên Huế", "46", "Thừa Thiên Huế"),
        (2025, "Huế", "46", "Huế"),
    ]


def test_a_group_is_a_line_per_label():
    rows = build_panel(
        [
            ob("Trung bình các sở", 2023, 85.0, level="group"),
            ob("Trung bình các huyện", 2023, 82.0, level="group"),
            ob("Trung bình các sở", 2023, 85.0, doc="b", level="group"),
        ]
    )
    assert sorted((r["unit"], r["unit_level"], r["n_sources"]) for r in rows) == [
        ("Trung bình các huyện", "group", 1),
        ("Trung bình các sở", "group", 2),
    ]


def test_a_district_keeps_its_name_and_code():
    rows = build_panel(
        [
            ob("Ba Tơ", 2023, 80.0, level="district", unit_code="535"),
            ob("Ba Tơ", 2024, 81.0, doc="b", level="district", unit_code="535"),
        ]
    )
    assert {(r["unit"], r["unit_code"], r["province"]) for r in rows} == {("Ba Tơ", "535", "Quảng Ngãi")}
