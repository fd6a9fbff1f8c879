"""Ranking tables: tables whose rows are units (normalizer/table_observations.py), read from every
format they are published in, and rebuilt when they reach us one row per line of text
(extractors/line_tables.py) or one cell per paragraph (extractors/flattened.py).

The files are real files of their format, built from the data of
tests/fixtures/ranking/build.py into a temporary folder."""

from __future__ import annotations

import importlib.util

import pytest
from conftest import ROOT
from hypothesis import given
from hypothesis import strategies as st

from parindex.extractors import extract
from parindex.extractors.line_tables import split_header, split_row, tokens_of
from parindex.normalizer.normalize import normalize_document
from parindex.normalizer.table_observations import TableContext, is_unit_name, table_observations
from parindex.schemas import Cell, Table, is_sentence
from parindex.schemas.columns import OBSERVATIONS

_spec = importlib.util.spec_from_file_location("ranking_build", ROOT / "tests" / "fixtures" / "ranking" / "build.py")
build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build)

TABLE_FORMATS = ("docx", "html", "xlsx", "pdf")
LINE_FORMATS = ("txt", "html", "docx", "pdf")
FIELDS = ("max_score", "score", "percent", "rank", "rank_of", "grade")


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return build.build_all(tmp_path_factory.mktemp("ranking"))


def complete(obs: list[dict]) -> list[dict]:
    """Observations with every column, None where nothing was read."""
    return [{**dict.fromkeys(OBSERVATIONS), **o} for o in obs]


def table_obs(path) -> list[dict]:
    return complete([o for o in normalize_document(extract(path)).observations if not is_sentence(o)])


def facts(obs: list[dict]) -> list[tuple]:
    """(row, unit as printed, level, code, max, score, percent, rank, rank_of, grade)."""
    return [(o["row"], o["printed_unit"], o["unit_level"], o["code"], *(o.get(f) for f in FIELDS)) for o in obs]


def read(rows: list[list[str]], year: int = 2023, framework: str = "PAR_INDEX") -> list[dict]:
    table = Table(index=1, rows=[[Cell(text=t, row=r, col=c) for c, t in enumerate(row)] for r, row in enumerate(rows)])
    return complete(table_observations(table, TableContext(framework=framework, year=year)))


# --------------------------------------------------------------------------
# the parts table: blocks, Điểm thẩm định (65) + ĐTXHH (35) + Tổng điểm (100), a tie,
# a "-" and a blank cell, a group's average
# --------------------------------------------------------------------------

D, G, X = "department", "group", "district"
PARTS_FACTS = [
    (3, "Sở Tư pháp", D, "ASSESSED", 65.0, 60.12, None, None, None, None),
    (3, "Sở Tư pháp", D, "SURVEY", 35.0, 30.05, None, None, None, None),
    (3, "Sở Tư pháp", D, "TOTAL", 100.0, 90.17, None, 1, 5, "Xuất sắc"),
    (4, "Văn phòng UBND tỉnh", D, "ASSESSED", 65.0, 58.4, None, None, None, None),
    (4, "Văn phòng UBND tỉnh", D, "SURVEY", 35.0, 29.1, None, None, None, None),
    (4, "Văn phòng UBND tỉnh", D, "TOTAL", 100.0, 87.5, None, 2, 5, "Tốt"),
    (5, "Sở Y tế", D, "ASSESSED", 65.0, 55.0, None, None, None, None),
    (5, "Sở Y tế", D, "SURVEY", 35.0, 30.0, None, None, None, None),
    (5, "Sở Y tế", D, "TOTAL", 100.0, 85.0, None, 3, 5, "Tốt"),
    (6, "Sở Nội vụ", D, "ASSESSED", 65.0, 56.0, None, None, None, None),
    (6, "Sở Nội vụ", D, "SURVEY", 35.0, 29.0, None, None, None, None),
    (6, "Sở Nội vụ", D, "TOTAL", 100.0, 85.0, None, 3, 5, "Tốt"),  # tied with Sở Y tế
    (7, "Thanh tra tỉnh", D, "ASSESSED", 65.0, 50.0, None, None, None, None),  # its "-" survey gives nothing
    (7, "Thanh tra tỉnh", D, "TOTAL", 100.0, 50.0, None, 5, 5, "Yếu"),
    (8, "Trung bình các sở", G, "ASSESSED", 65.0, 55.9, None, None, None, None),
    (8, "Trung bình các sở", G, "SURVEY", 35.0, 29.54, None, None, None, None),
    (8, "Trung bình các sở", G, "TOTAL", 100.0, 79.53, None, None, None, None),
    (10, "Châu Thành", X, "ASSESSED", 65.0, 61.0, None, None, None, None),
    (10, "Châu Thành", X, "SURVEY", 35.0, 31.0, None, None, None, None),
    (10, "Châu Thành", X, "TOTAL", 100.0, 92.0, None, 1, 3, "Xuất sắc"),  # ranks restart in block II
    (11, "Hòa Thành", X, "ASSESSED", 65.0, 59.5, None, None, None, None),
    (11, "Hòa Thành", X, "SURVEY", 35.0, 30.2, None, None, None, None),
    (11, "Hòa Thành", X, "TOTAL", 100.0, 89.7, None, 2, 3, "Tốt"),
    (12, "Tây Ninh", X, "ASSESSED", 65.0, 57.0, None, None, None, None),  # blank survey cell
    (12, "Tây Ninh", X, "TOTAL", 100.0, 57.0, None, 3, 3, "Trung bình"),
]


@pytest.mark.parametrize("fmt", TABLE_FORMATS)
def test_parts_table_gives_each_unit_its_total_and_parts(files, fmt):
    obs = table_obs(files[("parts", fmt)])
    assert facts(obs) == PARTS_FACTS
    assert {(o["page"], o["table"], o["year"], o["framework"], o["source_kind"]) for o in obs} == {
        (1, 1, 2023, "PAR_INDEX", "table")
    }
    total = next(o for o in obs if o["printed_unit"] == "Sở Tư pháp" and o["code"] == "TOTAL")
    assert total["printed_name"] == "Tổng điểm (100)" and total["printed_code"] is None


@pytest.mark.parametrize("fmt", LINE_FORMATS)
def test_parts_table_printed_one_row_per_line_is_read_the_same(files, fmt):
    """No group row (a line cannot leave cells blank), and the blank survey printed "-":
    the same facts, the rows after the group's one numbered one less."""
    doc = extract(files[("lines", fmt)])
    assert [type(b).__name__ for b in doc.blocks] == ["Paragraph", "Table", "Paragraph"]
    assert doc.blocks[2].text == build.LINES_OUTRO
    expected = [(r - 1 if r > 8 else r, *rest) for r, *rest in PARTS_FACTS if r != 8]
    obs = complete([o for o in normalize_document(doc).observations if not is_sentence(o)])
    assert facts(obs) == expected
    assert {(o["page"], o["table"]) for o in obs} == {(1, 1)}


def test_parts_table_printed_one_row_per_line_keeps_its_cells(files):
    table = extract(files[("lines", "txt")]).tables[0]
    assert [c.text for c in table.rows[0]] == [
        "STT",
        "Tên đơn vị",
        "Điểm thẩm định (65)",
        "Điểm ĐTXHH (35)",
        "Tổng điểm (100)",
        "Xếp hạng",
        "Xếp loại",
    ]
    assert [c.text for c in table.rows[1]] == ["I", "Các sở, ban, ngành tỉnh", "", "", "", "", ""]
    assert [c.text for c in table.rows[6]] == ["5", "Thanh tra tỉnh", "50,00", "-", "50,00", "5", "Yếu"]
    assert [(c.row, c.col, c.page) for c in table.rows[10]][:2] == [(10, 0, 1), (10, 1, 1)]


# --------------------------------------------------------------------------
# one column per domain, a two-row header, a block without a roman number
# --------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", TABLE_FORMATS)
def test_domain_columns_give_one_observation_per_domain(files, fmt):
    obs = table_obs(files[("domains", fmt)])
    tan_hung = {o["code"]: o for o in obs if o["printed_unit"] == "Tân Hưng"}
    assert {c: o["score"] for c, o in tan_hung.items() if c != "TOTAL"} == {
        "1": 8.5,
        "2": 9.0,
        "3": 12.25,
        "4": 7.0,
        "5": 13.1,
        "6": 6.5,
        "7": 7.75,
        "8": 14.0,
    }
    assert (tan_hung["3"]["printed_name"], tan_hung["3"]["printed_code"], tan_hung["3"]["row"]) == (
        "Lĩnh vực 3",
        "3",
        4,
    )
    total = tan_hung["TOTAL"]
    assert (total["percent"], total["score"], total["rank"], total["rank_of"]) == (78.1, None, 2, 3)
    assert {o["unit_level"] for o in obs} == {"commune"}  # "Khối xã", and each prefix
    assert {o["printed_unit"] for o in obs} == {"Tân Hưng", "Gò Dầu", "Phước Thạnh"}
    phuoc_thanh = {o["code"] for o in obs if o["printed_unit"] == "Phước Thạnh"}
    assert phuoc_thanh == {"1", "2", "4", "5", "6", "7", "8", "TOTAL"}  # its "-" in domain 3 gives nothing
    assert {(o["year"], o["page"], o["table"]) for o in obs} == {(2022, 1, 1)}


# --------------------------------------------------------------------------
# ministries: domains named without their code, a tie printed "2 (đồng hạng)"
# --------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", TABLE_FORMATS)
def test_domains_named_without_a_code_keep_their_name(files, fmt):
    obs = table_obs(files[("ministries", fmt)])
    bank = [o for o in obs if o["printed_unit"] == "Ngân hàng Nhà nước Việt Nam"]
    assert [(o["code"], o["printed_name"], o["score"]) for o in bank] == [
        (None, "Công tác chỉ đạo, điều hành CCHC", 11.25),
        (None, "Cải cách thể chế", 16.9),
        ("TOTAL", "Chỉ số CCHC", 90.97),
    ]
    assert {o["unit_level"] for o in obs if o["printed_unit"] != "Trung bình"} == {"ministry"}
    ranks = [(o["printed_unit"], o["rank"], o["rank_of"]) for o in obs if o["code"] == "TOTAL"]
    assert ranks == [
        ("Bộ Tư pháp", 1, 3),
        ("Ngân hàng Nhà nước Việt Nam", 2, 3),
        ("Bộ Tài chính", 2, 3),
        ("Trung bình", None, None),
    ]
    average = [o for o in obs if o["printed_unit"] == "Trung bình"]
    assert [(o["unit_level"], o["row"], o["score"]) for o in average] == [
        ("group", 5, 11.17),
        ("group", 5, 16.87),
        ("group", 5, 90.61),
    ]


# --------------------------------------------------------------------------
# a table continued over pages under its repeated header
# --------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", TABLE_FORMATS)
def test_long_table_is_one_table_with_every_unit_once(files, fmt):
    doc = extract(files[("long", fmt)])
    assert len(doc.tables) == 1
    obs = table_obs(files[("long", fmt)])
    assert [o["row"] for o in obs] == list(range(2, 62))
    assert [(o["printed_unit"], o["score"], o["rank"], o["rank_of"]) for o in obs[:2]] == [
        ("Tân Tân", 95.0, 1, 60),
        ("Tân Phước", 94.5, 2, 60),
    ]
    assert (obs[-1]["printed_unit"], obs[-1]["score"], obs[-1]["rank"]) == ("Hòa Hưng", 65.5, 60)
    assert {o["unit_level"] for o in obs} == {"commune"}


def test_long_pdf_table_rows_carry_the_page_they_are_printed_on(files):
    obs = table_obs(files[("long", "pdf")])
    pages = [o["page"] for o in obs]
    assert pages[0] == 1 and pages[-1] == 2 and pages == sorted(pages)
    doc = extract(files[("long", "pdf")])
    first_on_2 = next(r for r in doc.tables[0].rows if r[0].page == 2)
    assert first_on_2[0].text != "STT"  # the repeated header is dropped


# --------------------------------------------------------------------------
# columns and rows of ranking tables
# --------------------------------------------------------------------------


def test_the_row_number_is_never_a_rank_or_a_score():
    obs = read([["STT", "Đơn vị", "Tổng điểm"], ["1", "Sở Tư pháp", "90,17"], ["2", "Sở Nội vụ", "85,00"]])
    assert [(o["printed_unit"], o["code"], o["score"], o["rank"]) for o in obs] == [
        ("Sở Tư pháp", "TOTAL", 90.17, None),
        ("Sở Nội vụ", "TOTAL", 85.0, None),
    ]


def test_assessed_score_alone_is_the_total_with_a_max_per_row():
    obs = read(
        [
            ["STT", "Tên cơ quan", "Điểm tối đa", "Điểm thẩm định", "Tỷ lệ đạt", "Xếp loại"],
            ["1", "Văn phòng UBND tỉnh", "71.5", "69.25", "96.85%", "Tốt"],
            ["2", "Sở Y Tế", "100", "49.07", "49.07%", "Kém"],
        ]
    )
    assert [(o["code"], o["max_score"], o["score"], o["percent"], o["grade"]) for o in obs] == [
        ("TOTAL", 71.5, 69.25, 96.85, "Tốt"),
        ("TOTAL", 100.0, 49.07, 49.07, "Kém"),
    ]


def test_provinces_ranked_nationally_with_the_country_as_a_group():
    obs = read(
        [
            ["TT", "Tỉnh, thành phố", "Chỉ số PAR INDEX", "Xếp hạng (/63)"],
            ["1", "Quảng Ninh", "91,04", "1"],
            ["2", "TP. Hồ Chí Minh", "90,51", "2"],
            ["3", "Thành phố Hà Nội", "88,47", "3"],
            ["", "Cả nước", "82,12", ""],
        ]
    )
    assert [(o["printed_unit"], o["unit_level"], o["score"], o["rank"], o["rank_of"]) for o in obs] == [
        ("Quảng Ninh", "province", 91.04, 1, 63),
        ("Hồ Chí Minh", "province", 90.51, 2, 63),
        ("Hà Nội", "province", 88.47, 3, 63),
        ("Cả nước", "group", 82.12, None, None),
    ]


def test_scores_of_several_years_and_a_change_by_column():
    obs = read(
        [
            ["STT", "Đơn vị", "Năm 2022", "", "Năm 2023", "", "Tăng/giảm"],
            ["", "", "Điểm", "Xếp hạng", "Điểm", "Xếp hạng", ""],
            ["1", "UBND huyện Gò Dầu", "85,10", "2", "87,68", "1", "+2,58"],
            ["2", "UBND huyện Tân Biên", "86,00", "1", "86,27", "2", "+0,27"],
        ],
        year=2023,
    )
    assert [(o["printed_unit"], o["year"], o["score"], o["rank"], o["rank_of"], o["delta"]) for o in obs] == [
        ("Gò Dầu", 2022, 85.1, 2, 2, None),
        ("Gò Dầu", 2023, 87.68, 1, 2, 2.58),
        ("Tân Biên", 2022, 86.0, 1, 2, None),
        ("Tân Biên", 2023, 86.27, 2, 2, 0.27),
    ]


def test_ranks_that_run_on_across_blocks_are_out_of_the_whole_table():
    obs = read(
        [
            ["STT", "Tên đơn vị", "Tổng điểm", "Xếp hạng"],
            ["I", "Khối sở", "", ""],
            ["1", "Sở Tư pháp", "90", "1"],
            ["2", "Sở Nội vụ", "80", "3"],
            ["II", "Khối huyện", "", ""],
            ["1", "UBND huyện Gò Dầu", "85", "2"],
        ]
    )
    assert [(o["printed_unit"], o["unit_level"], o["rank"], o["rank_of"]) for o in obs] == [
        ("Sở Tư pháp", "department", 1, 3),
        ("Sở Nội vụ", "department", 3, 3),
        ("Gò Dầu", "district", 2, 3),
    ]


def test_units_told_by_their_names_when_the_header_does_not_say():
    obs = read(
        [
            ["STT", "", "Điểm", "Xếp hạng"],
            ["1", "UBND xã Tân Hưng", "80,5", "1"],
            ["2", "UBND thị trấn Gò Dầu", "79", "2"],
            ["3", "Phường An Lạc", "-", ""],
        ]
    )
    assert [(o["row"], o["printed_unit"], o["unit_level"], o["score"], o["rank"], o["rank_of"]) for o in obs] == [
        (2, "Tân Hưng", "commune", 80.5, 1, 2),
        (3, "Gò Dầu", "commune", 79.0, 2, 2),
    ]


def test_criteria_tables_that_name_agencies_stay_criteria_tables():
    responsible = read(
        [
            ["STT", "Tiêu chí", "Điểm tối đa", "Điểm đạt", "Cơ quan chủ trì"],
            ["1", "Ban hành kế hoạch CCHC", "2", "1,5", "Sở Nội vụ"],
            ["2", "Kiểm tra công tác CCHC", "3", "3", "Văn phòng UBND tỉnh"],
        ]
    )
    assert [(o["code"], o["score"], o["max_score"], o["printed_unit"]) for o in responsible] == [
        ("1", 1.5, 2.0, None),
        ("2", 3.0, 3.0, None),
    ]
    starting_like_agencies = read(
        [
            ["STT", "", "Điểm tối đa", "Điểm đạt"],
            ["1", "Ban hành kế hoạch CCHC", "2", "1,5"],
            ["2", "Ban hành báo cáo CCHC", "1", "1"],
        ]
    )
    assert [(o["code"], o["printed_unit"]) for o in starting_like_agencies] == [("1", None), ("2", None)]


@pytest.mark.parametrize(
    "text,unit",
    [
        ("UBND huyện Gò Dầu", True),
        ("Sở Tư pháp", True),
        ("Xã Tân Hưng", True),
        ("Bộ Tư pháp", True),
        ("Thanh tra tỉnh", True),
        ("Xã hội số", False),
        ("Bộ phận một cửa", False),
        ("Ban hành văn bản", False),
        ("Thành phố thông minh", False),
        ("Cải cách thể chế", False),
        ("1.2", False),
    ],
)
def test_unit_names_are_told_from_criteria_that_start_like_them(text, unit):
    assert is_unit_name(text) is unit


# --------------------------------------------------------------------------
# tables printed one row per line
# --------------------------------------------------------------------------


def test_a_line_cut_mid_word_ends_the_table_and_stays_text():
    text = (
        "Kết quả như sau:\nSTT TÊN CƠ QUAN Điểm thẩm định Xếp loại\n1 Sở Tư pháp 94.00 Tốt\n"
        "2 Sở Nội vụ 90.32 Tốt\n3 UBND huy\n"
    )
    doc = extract("t.txt", data=text.encode())
    assert [type(b).__name__ for b in doc.blocks] == ["Paragraph", "Table", "Paragraph"]
    assert [[c.text for c in r] for r in doc.tables[0].rows] == [
        ["STT", "TÊN CƠ QUAN", "Điểm thẩm định", "Xếp loại"],
        ["1", "Sở Tư pháp", "94.00", "Tốt"],
        ["2", "Sở Nội vụ", "90.32", "Tốt"],
    ]
    assert doc.blocks[2].text == "3 UBND huy"


def test_lines_that_do_not_fit_stay_paragraphs():
    unknown_header = "STT Những việc cần làm ngay\n1 Rà soát 12 thủ tục\n2 Công khai 30 thủ tục\n"
    prose_after_header = "STT Tên đơn vị Tổng điểm\nNăm 2023 các đơn vị đạt 85 điểm.\n"
    one_row = "STT Tên đơn vị Tổng điểm\n1 Sở Tư pháp 90\n"
    for text in (unknown_header, prose_after_header, one_row):
        doc = extract("t.txt", data=text.encode())
        assert doc.tables == [] and [p.text for p in doc.paragraphs] == text.strip().split("\n")


def test_rows_run_together_in_one_paragraph_are_cut_at_the_next_row_number():
    body = "<br>".join(
        [
            "STT Tên đơn vị Tổng điểm Xếp hạng Xếp loại",
            "I Các sở, ban, ngành tỉnh",
            "1 Sở Tư pháp 90,17 2 Xuất sắc",
            "2 Sở Nội vụ 92,00 1 Xuất sắc",
            "II UBND huyện, thị xã, thành phố",
            "1 UBND huyện Gò Dầu 87,68 1 Tốt",
            "2 UBND quận 3 80,00 2 Khá",
        ]
    )
    doc = extract("a.html", data=f"<html><body><p>{body}</p><p>Hết.</p></body></html>".encode())
    rows = [[c.text for c in r] for r in doc.tables[0].rows]
    assert rows[1:] == [
        ["I", "Các sở, ban, ngành tỉnh", "", "", ""],
        ["1", "Sở Tư pháp", "90,17", "2", "Xuất sắc"],
        ["2", "Sở Nội vụ", "92,00", "1", "Xuất sắc"],
        ["II", "UBND huyện, thị xã, thành phố", "", "", ""],
        ["1", "UBND huyện Gò Dầu", "87,68", "1", "Tốt"],
        ["2", "UBND quận 3", "80,00", "2", "Khá"],
    ]
    assert [p.text for p in doc.paragraphs] == ["Hết."]


def test_a_ranking_flattened_to_one_paragraph_per_cell_is_rebuilt_with_its_blocks():
    cells = [
        "STT",
        "Tên đơn vị",
        "Điểm thẩm định",
        "Xếp hạng",
        "I",
        "Các sở, ban, ngành",
        "",
        "",
        "1",
        "Sở Tư pháp",
        "90,5",
        "1",
        "2",
        "Sở Nội vụ",
        "-",
        "",
        "II",
        "UBND huyện, thị xã, thành phố",
        "",
        "",
        "1",
        "UBND huyện Gò Dầu",
        "87,68",
        "1",
        "2",
        "UBND thị xã Hòa Thành",
        "88,35",
        "2",
    ]
    page = (
        "<html><body><p>Chỉ số CCHC năm 2023</p>"
        + "".join(f"<p>{c}</p>" for c in cells)
        + "<p>Nguồn: Sở Nội vụ</p></body></html>"
    )
    doc = extract("f.html", data=page.encode())
    assert len(doc.tables) == 1 and len(doc.tables[0].rows) == 7
    obs = complete([o for o in normalize_document(doc).observations if not is_sentence(o)])
    assert [(o["printed_unit"], o["unit_level"], o["score"], o["rank"], o["rank_of"]) for o in obs] == [
        ("Sở Tư pháp", "department", 90.5, 1, 1),
        ("Gò Dầu", "district", 87.68, 1, 2),
        ("Hòa Thành", "district", 88.35, 2, 2),
    ]


WORDS = st.sampled_from(
    [
        "Sở",
        "UBND",
        "huyện",
        "Tư",
        "pháp",
        "Gò",
        "Dầu",
        "Lao",
        "động",
        "-",
        "Thương",
        "binh",
        "và",
        "Xã",
        "hội",
        "Hòa",
        "Thành",
        "tỉnh",
    ]
)
FIGURES = st.one_of(
    st.decimals(min_value=0, max_value=100, places=2).map(lambda d: str(d).replace(".", ",")),
    st.integers(min_value=1, max_value=99).map(str),
    st.just("-"),
    st.decimals(min_value=0, max_value=100, places=2).map(lambda d: f"{d}%"),
)


@given(
    st.integers(min_value=1, max_value=120),
    st.lists(WORDS, min_size=1, max_size=8).filter(lambda w: w[-1] != "-"),
    st.lists(FIGURES, min_size=1, max_size=6).filter(lambda f: f[-1] != "-"),
    st.sampled_from(["", "Tốt", "Xuất sắc", "Trung bình", "Kém"]),
)
def test_a_row_line_cut_into_cells_joins_back_to_the_line(number, name, figures, grade):
    line = " ".join([str(number), *name, *figures, *([grade] if grade else [])])
    row = split_row(tokens_of(line))
    assert row is not None and " ".join(row.cells) == line
    assert row.cells[0] == str(number) and row.cells[-1] == (grade or figures[-1])


HEADERS = st.sampled_from(
    [
        "Tên đơn vị",
        "TÊN CƠ QUAN",
        "Điểm tối đa",
        "Điểm thẩm định (65)",
        "Điểm ĐTXHH (35)",
        "Tổng điểm (100)",
        "Tỷ lệ đạt (%)",
        "Xếp hạng",
        "Xếp loại",
        "Chỉ số CCHC năm 2023",
        "Lĩnh vực 3",
        "Vị thứ",
        "Ghi chú",
    ]
)


@given(st.sampled_from(["STT", "TT", "Số TT"]), st.lists(HEADERS, min_size=1, max_size=7))
def test_a_header_line_cut_into_its_phrases_joins_back_to_the_line(numbering, headers):
    tokens = tokens_of(" ".join([numbering, *headers]))
    cells = split_header(tokens, len(headers) + 1)
    assert cells is not None and " ".join(cells) == " ".join(tokens) and len(cells) == len(headers) + 1
    assert cells[0] == numbering


@pytest.mark.parametrize("fmt", ("txt", "pdf"))
def test_a_table_printed_one_row_per_line_goes_on_over_the_page(files, fmt):
    """The page number under the first page and the header printed again over the second
    are not rows; the rows of the second page carry page 2."""
    doc = extract(files[("long_lines", fmt)])
    assert len(doc.tables) == 1 and [p.text for p in doc.paragraphs] == [build.LONG_CAPTION, build.LINES_OUTRO]
    obs = table_obs(files[("long_lines", fmt)])
    some = (obs[0], obs[29], obs[30], obs[-1])
    assert [(o["row"], o["page"], o["printed_unit"], o["score"], o["rank"], o["rank_of"]) for o in some] == [
        (2, 1, "Tân Tân", 95.0, 1, 60),
        (31, 1, "Long Hưng", 80.5, 30, 60),
        (32, 2, "An Tân", 80.0, 31, 60),
        (61, 2, "Hòa Hưng", 65.5, 60, 60),
    ]


def test_a_block_label_merged_over_both_columns_with_its_average():
    obs = read(
        [
            ["STT", "Tên đơn vị", "Tổng điểm", "Xếp hạng"],
            ["I. Các sở, ban, ngành", "I. Các sở, ban, ngành", "85,50", ""],
            ["1", "Sở Tư pháp", "90", "1"],
            ["2", "Sở Nội vụ", "81", "2"],
            ["II. UBND huyện, thị xã, thành phố", "II. UBND huyện, thị xã, thành phố", "", ""],
            ["1", "UBND huyện Gò Dầu", "85", "1"],
        ]
    )
    assert [(o["row"], o["printed_unit"], o["unit_level"], o["score"], o["rank"], o["rank_of"]) for o in obs] == [
        (2, "I. Các sở, ban, ngành", "group", 85.5, None, None),
        (3, "Sở Tư pháp", "department", 90.0, 1, 2),
        (4, "Sở Nội vụ", "department", 81.0, 2, 2),
        (6, "Gò Dầu", "district", 85.0, 1, 1),
    ]


def test_a_header_line_with_a_bare_year_and_a_position_column():
    text = (
        "Chỉ số PAR INDEX năm 2023 của các tỉnh\nTT Tỉnh, thành phố PAR INDEX 2023 Vị trí\n"
        "1 Quảng Ninh 91,04 1\n2 Hải Phòng 90,51 2\n"
    )
    doc = extract("t.txt", data=text.encode())
    assert [c.text for c in doc.tables[0].rows[0]] == ["TT", "Tỉnh, thành phố", "PAR INDEX 2023", "Vị trí"]
    obs = complete([o for o in normalize_document(doc).observations if not is_sentence(o)])
    assert [(o["printed_unit"], o["unit_level"], o["code"], o["score"], o["rank"], o["rank_of"]) for o in obs] == [
        ("Quảng Ninh", "province", "TOTAL", 91.04, 1, 2),
        ("Hải Phòng", "province", "TOTAL", 90.51, 2, 2),
    ]


def test_columns_of_two_indices_each_with_its_rank():
    obs = read(
        [
            ["STT", "Đơn vị", "Chỉ số CCHC", "Xếp hạng", "Chỉ số hài lòng (%)", "Xếp hạng"],
            ["1", "UBND huyện Gò Dầu", "87,68", "1", "85,20", "2"],
            ["2", "UBND huyện Tân Biên", "86,27", "2", "88,10", "1"],
        ]
    )
    assert [
        (o["printed_unit"], o["framework"], o["code"], o["score"], o["percent"], o["rank"], o["rank_of"]) for o in obs
    ] == [
        ("Gò Dầu", "PAR_INDEX", "TOTAL", 87.68, None, 1, 2),
        ("Gò Dầu", "SIPAS", "TOTAL", None, 85.2, 2, 2),
        ("Tân Biên", "PAR_INDEX", "TOTAL", 86.27, None, 2, 2),
        ("Tân Biên", "SIPAS", "TOTAL", None, 88.1, 1, 2),
    ]


def test_a_row_whose_name_wrapped_onto_the_next_line_is_one_row():
    text = (
        "STT Tên cơ quan Điểm tối đa Điểm thẩm định Tỷ lệ đạt Xếp loại\n1 Sở Tư pháp 100 94.00 94.00% Tốt\n"
        "2 Sở Nông nghiệp và Phát triển\nnông thôn 100 86.25 86.25% Tốt\n3 Sở Y Tế 100 49.07 49.07% Kém\n"
        "4 UBND huy\n"
    )
    doc = extract("t.txt", data=text.encode())
    assert [[c.text for c in r] for r in doc.tables[0].rows[1:]] == [
        ["1", "Sở Tư pháp", "100", "94.00", "94.00%", "Tốt"],
        ["2", "Sở Nông nghiệp và Phát triển nông thôn", "100", "86.25", "86.25%", "Tốt"],
        ["3", "Sở Y Tế", "100", "49.07", "49.07%", "Kém"],
    ]
    assert [p.text for p in doc.paragraphs] == ["4 UBND huy"]


def test_a_word_paragraph_holding_the_whole_table_line_by_line(tmp_path):
    """Rows typed in one Word paragraph, separated by line breaks (Shift+Enter)."""
    import docx

    d = docx.Document()
    d.add_paragraph(build.LINES_INTRO)
    held = d.add_paragraph()
    for k, line in enumerate(build.PARTS_LINES):
        run = held.add_run(line)
        if k < len(build.PARTS_LINES) - 1:
            run.add_break()
    d.save(tmp_path / "held.docx")
    doc = extract(tmp_path / "held.docx")
    assert [type(b).__name__ for b in doc.blocks] == ["Paragraph", "Table"]
    obs = complete([o for o in normalize_document(doc).observations if not is_sentence(o)])
    assert facts(obs) == [(r - 1 if r > 8 else r, *rest) for r, *rest in PARTS_FACTS if r != 8]


def test_domains_numbered_under_a_group_header_and_a_row_numbering_the_columns():
    obs = read(
        [
            ["STT", "Tên đơn vị", "Điểm các lĩnh vực", "Điểm các lĩnh vực", "Tổng điểm", "Xếp hạng"],
            ["STT", "Tên đơn vị", "1 (10)", "2", "Tổng điểm", "Xếp hạng"],
            ["(1)", "(2)", "(3)", "(4)", "(5) = (3) + (4)", "(6)"],
            ["1", "Sở Tư pháp", "9,50", "8,00", "17,50", "1"],
            ["2", "Sở Nội vụ", "9,00", "7,00", "16,00", "2"],
        ]
    )
    assert [(o["row"], o["printed_unit"], o["code"], o["max_score"], o["score"], o["rank"]) for o in obs] == [
        (4, "Sở Tư pháp", "1", 10.0, 9.5, None),
        (4, "Sở Tư pháp", "2", None, 8.0, None),
        (4, "Sở Tư pháp", "TOTAL", None, 17.5, 1),
        (5, "Sở Nội vụ", "1", 10.0, 9.0, None),
        (5, "Sở Nội vụ", "2", None, 7.0, None),
        (5, "Sở Nội vụ", "TOTAL", None, 16.0, 2),
    ]


def test_a_block_label_merged_across_the_row_is_no_value():
    label = "Các bộ, cơ quan ngang bộ được xếp hạng (17 đơn vị)"
    obs = read(
        [
            ["STT", "Bộ, cơ quan ngang bộ", "Điểm", "Thứ hạng", "Tăng/giảm thứ hạng so với năm 2022"],
            ["I", label, label, label, label],
            ["1", "Bộ Tư pháp", "91,23", "1", "+2"],
            ["2", "Bộ Tài chính", "89,13", "2", "0"],
        ]
    )
    assert [
        (o["row"], o["printed_unit"], o["unit_level"], o["score"], o["rank"], o["rank_of"], o["rank_delta"])
        for o in obs
    ] == [(3, "Bộ Tư pháp", "ministry", 91.23, 1, 17, 2), (4, "Bộ Tài chính", "ministry", 89.13, 2, 17, 0)]


def test_ranks_that_run_on_from_block_to_block_and_a_rank_out_of_its_block():
    def two_blocks(ranks: list[str]) -> list[dict]:
        units = [("1", "Sở Tư pháp", "90"), ("2", "Sở Nội vụ", "88"), ("1", "UBND huyện Gò Dầu", "85")]
        units.append(("2", "UBND huyện Tân Biên", "80"))
        rows = [[*unit, rank] for unit, rank in zip(units, ranks)]
        header = ["STT", "Tên đơn vị", "Tổng điểm", "Xếp hạng"]
        return read([header, ["I", "Khối sở", "", ""], *rows[:2], ["II", "Khối huyện", "", ""], *rows[2:]])

    assert [o["rank_of"] for o in two_blocks(["1", "2", "3", "4"])] == [4, 4, 4, 4]
    out_of_range = two_blocks(["1", "5", "1", "2"])
    assert [(o["rank"], o["rank_of"]) for o in out_of_range] == [(1, 2), (5, 2), (1, 2), (2, 2)]


def test_a_block_label_merged_across_the_row_under_the_header_is_a_block_not_a_header():
    rows = [
        ["STT", "TÊN CƠ QUAN", "Điểm số DDCI", "Thứ hạng"],
        ["", "Sở, ban, ngành", "Sở, ban, ngành", "Sở, ban, ngành"],
        ["1", "Văn phòng UBND tỉnh", "79.98", "3"],
        ["2", "Thanh tra tỉnh", "75.85", "8"],
        ["3", "Sở Y tế", "70,10", "9"],
    ]
    table = Table(index=1, rows=[[Cell(text=t, row=i, col=j) for j, t in enumerate(r)] for i, r in enumerate(rows)])
    obs = table_observations(table, TableContext(framework="DDCI", year=2023))
    assert [(o["printed_unit"], o["unit_level"], o["code"], o["score"], o["rank"], o["row"]) for o in obs] == [
        ("Văn phòng UBND tỉnh", "department", "TOTAL", 79.98, 3, 3),
        ("Thanh tra tỉnh", "department", "TOTAL", 75.85, 8, 4),
        ("Sở Y tế", "department", "TOTAL", 70.1, 9, 5),
    ]
