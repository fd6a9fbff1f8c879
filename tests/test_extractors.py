"""Extractors on the real-format samples: one intermediate form for every format."""

from __future__ import annotations

import pytest
from conftest import SAMPLES

from parindex.discover.formats import detect_format
from parindex.extractors import ExtractionError, extract
from parindex.schemas import is_sentence


@pytest.fixture(scope="module")
def ba_to():
    return extract(SAMPLES / "000_65e2608f2289fc53.pdf")


def test_format_is_told_by_content_not_extension(tmp_path):
    lying = tmp_path / "report.pdf"
    lying.write_bytes((SAMPLES / "001_af3bdc7e3d446662.docx").read_bytes())
    assert detect_format(lying.read_bytes()) == "docx"
    assert extract(lying).format == "docx"
    assert detect_format((SAMPLES / "004_0dbbb814e2b5b046.html").read_bytes()) == "html"
    assert detect_format("STT\tTên\n1\tCải cách thể chế\t5,00".encode()) == "text"
    assert detect_format(b"") == "empty"


def test_pdf_multi_page_table_is_stitched_without_repeated_headers(ba_to):
    assert (ba_to.pages, len(ba_to.tables)) == (7, 3)
    detail = ba_to.tables[2]
    assert detail.index == 3 and detail.page == 3
    assert len(detail.rows) == 86
    assert sum(1 for r in detail.rows if r[0].text == "STT") == 2  # the two header rows, once
    assert {c.page for r in detail.rows for c in r} == {3, 4, 5, 6, 7}


def test_pdf_merged_header_cells_keep_their_span(ba_to):
    head = ba_to.tables[0].rows[0]
    assert (head[0].text, head[0].rowspan) == ("Số TT", 2)
    assert (head[2].text, head[2].colspan) == ("Năm 2021", 3)
    assert head[3].spanned and head[3].text == "Năm 2021"


def test_pdf_wrapped_criterion_names_are_one_cell(ba_to):
    rows = {r[0].text: r for r in ba_to.tables[2].rows}
    assert (
        rows["1,7"][1].text == "Thực hiện các nhiệm vụ được Tỉnh ủy, HĐND, UBND tỉnh, Chủ tịch UBND tỉnh giao trong năm"
    )
    assert rows["1,7"][2].text == "1,50" and rows["1,7"][3].text == "1,41"


@pytest.mark.parametrize("name", ["000_65e2608f2289fc53.pdf", "003_bcf6dc032df3fdf9.pdf", "hard/legacy_fonts.pdf"])
def test_pdf_table_text_is_what_pdfplumber_extracts(name):
    """`table_text` replaces pdfplumber's Table.extract for speed: same text, cell for
    cell, on every ruled table of the real-format PDFs (legacy fonts decoded first)."""
    import pdfplumber

    from parindex.extractors.pdf import decode_legacy_fonts, table_text

    compared = 0
    with pdfplumber.open(SAMPLES / name) as pdf:
        for page in pdf.pages:
            decode_legacy_fonts(page)
            for table in page.find_tables():
                assert table_text(table) == table.extract(), f"{name} page {page.page_number}"
                compared += sum(1 for row in table.extract() for text in row if text)
            page.close()
    assert compared > 20


def test_pdf_cells_carry_page_and_bounding_box(ba_to):
    cell = ba_to.tables[0].rows[2][3]
    assert cell.text == "72,77" and cell.page == 1
    x0, top, x1, bottom = cell.bbox
    assert 0 < x0 < x1 and 0 < top < bottom


def test_docx_tables_continued_with_a_repeated_header_become_one(tmp_path):
    doc = extract(SAMPLES / "001_af3bdc7e3d446662.docx")
    assert len(doc.tables) == 1
    table = doc.tables[0]
    assert len(table.rows) == 116
    assert [c.text for c in table.rows[0]] == [
        "STT",
        "LĨNH VỰC / TIÊU CHÍ / TIÊU CHÍ THÀNH PHẦN",
        "ĐIỂM CHUẨN",
        "ĐIỂM THẨM ĐỊNH",
    ]
    assert sum(1 for r in table.rows if r[0].text == "STT") == 1
    assert table.rows[-1][3].bold  # the bold total row


def test_docx_narrative_is_paragraphs_in_order():
    doc = extract(SAMPLES / "002_08e6fc9df459596f.docx")
    assert doc.tables == []
    texts = [p.text for p in doc.paragraphs]
    assert any("Điểm tự đánh giá: 111,5 điểm" in t for t in texts)
    assert [p.index for p in doc.paragraphs] == list(range(len(doc.paragraphs)))


def test_html_tables_with_spans_and_damaged_text_kept_as_printed():
    doc = extract(SAMPLES / "004_0dbbb814e2b5b046.html")
    assert len(doc.tables) == 4
    first = doc.tables[0]
    assert (first.rows[0][2].text, first.rows[0][2].colspan) == ("Kết quả năm 2023", 2)
    assert [c.text for c in first.rows[2]] == ["1", "Công tác chỉ đạo điều hành CCHC", "10,04/11", "7/11", "10,5/11"]
    assert "Phấn đu kết quả Chsố PAR INDEX" in first.caption  # dropped characters stay dropped


def test_text_tables_tab_separated():
    text = "BÁO CÁO\nSTT\tLĩnh vực\tĐiểm chuẩn\tĐiểm đạt\n1\tCải cách thể chế\t5,00\t4,50\n\n2\tCải cách TTHC\t14,00\t11,43\n"
    doc = extract("t.txt", data=text.encode("utf-8"))
    assert len(doc.tables) == 1
    assert doc.tables[0].texts()[2] == ["2", "Cải cách TTHC", "14,00", "11,43"]


def test_windows_1258_text_is_decoded():
    import sys

    sys.path.insert(0, str(SAMPLES.parent / "tests" / "bad"))
    from build import to_cp1258  # the bad-input corpus builds its Windows-1258 file the same way

    data = to_cp1258("Cải cách thể chế\t5,00")
    assert data != "Cải cách thể chế\t5,00".encode("utf-8")
    doc = extract("old.txt", data=data)
    assert doc.tables[0].rows[0][0].text == "Cải cách thể chế"


def test_a_corrupt_file_raises_an_error_naming_it(tmp_path):
    bad = tmp_path / "hỏng.pdf"
    bad.write_bytes(b"%PDF-1.4\nthis is not a pdf")
    with pytest.raises(ExtractionError, match="hỏng.pdf"):
        extract(bad)


SEEDS = SAMPLES.parent / "tests" / "fixtures" / "seeds"


def test_text_seeds_read_like_their_published_formats():
    """The plain-text seeds the samples were built from give the same values."""
    from parindex.normalizer.normalize import normalize_document

    seed = normalize_document(extract(SEEDS / "000_65e2608f2289fc53.txt"))
    pdf = normalize_document(extract(SAMPLES / "000_65e2608f2289fc53.pdf"))

    def values(doc):
        return sorted(
            (
                o["table"],
                o["row"] - min(x["row"] for x in doc.observations if x["table"] == o["table"]),
                o["year"],
                o["code"] or "",
                o.get("score") or 0.0,
            )
            for o in doc.observations
            if not is_sentence(o)
        )

    assert values(seed) == values(pdf)
    assert seed.context.unit == "Ba Tơ" and seed.context.province == "Quảng Ngãi"
