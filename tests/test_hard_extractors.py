"""Hard extraction cases on real-format fixtures (samples/hard/, built by
samples/hard/build.py): scans, legacy encodings, legacy Office files, spreadsheets,
flattened web tables and nested Word tables. Each test checks the cell values, pages,
positions and spans that come out, not just how many."""

from __future__ import annotations

import importlib.util
import pathlib
import unicodedata

import pytest
from conftest import ROOT, SAMPLES

from parindex.discover.formats import detect_format
from parindex.extractors import ExtractionError, extract, ocr
from parindex.extractors import doc as doc_module
from parindex.schemas import Cell, Table

HARD = SAMPLES / "hard"
SEEDS = ROOT / "tests" / "fixtures" / "seeds"

needs_tesseract = pytest.mark.skipif(not ocr.available(), reason="tesseract-ocr with Vietnamese data not installed")
needs_soffice = pytest.mark.skipif(doc_module.soffice() is None, reason="LibreOffice not installed")


def texts(row) -> list[str]:
    return [c.text for c in row]


# --------------------------------------------------------------------------
# formats told apart by their bytes
# --------------------------------------------------------------------------


def test_legacy_office_files_are_told_apart_by_their_streams():
    assert detect_format((HARD / "report.doc").read_bytes()) == "doc"
    assert detect_format((HARD / "report.xls").read_bytes()) == "xls"
    assert detect_format((HARD / "report.xlsx").read_bytes()) == "xlsx"
    assert detect_format(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600) == "ole"  # neither


# --------------------------------------------------------------------------
# spreadsheets
# --------------------------------------------------------------------------


def test_xlsx_sheets_are_pages_merges_are_spans_and_numbers_print_as_the_sheet_shows():
    doc = extract(HARD / "report.xlsx")
    assert doc.format == "xlsx" and doc.pages == 2
    assert [(i["page"], i["sheet"]) for i in doc.page_info] == [(1, "PAR INDEX"), (2, "SIPAS")]
    assert doc.paragraphs[0].text == "KẾT QUẢ CHỈ SỐ CCHC HUYỆN PHONG THỔ NĂM 2023"  # merged title row
    par, sipas = doc.tables
    head = par.rows[0]
    assert (head[0].text, head[0].rowspan, head[0].colspan) == ("STT", 2, 1)
    assert (head[2].text, head[2].colspan) == ("Năm 2023", 2)
    assert head[3].spanned and head[3].text == "Năm 2023"
    assert par.rows[1][0].spanned and par.rows[1][0].text == "STT"
    assert texts(par.rows[1])[2:4] == ["Điểm chuẩn", "Điểm thẩm định"]
    # numbers stored as numbers, in their number format ("0.00") or as typed (General)
    assert texts(par.rows[2]) == ["1", "Công tác chỉ đạo, điều hành CCHC", "13,50", "9,28", ""]
    assert texts(par.rows[5])[2:4] == ["5,00", "5"]
    # a number stored as text stays the text it is
    assert texts(par.rows[4])[2:5] == ["3,50", "2,75", "nhập dạng văn bản"]
    assert {c.page for r in par.rows for c in r} == {1}
    assert doc.paragraphs[1].text.startswith("Ghi chú: điểm thẩm định")  # the note under the table
    assert sipas.page == 2 and texts(sipas.rows[1]) == ["Chỉ số SIPAS", "83,84%"]  # a "0.00%" format


def test_xls_is_read_with_its_merges_and_number_text():
    doc = extract(HARD / "report.xls")
    assert doc.format == "xls" and doc.pages == 2
    par, sipas = doc.tables
    assert (par.rows[0][2].text, par.rows[0][2].colspan, par.rows[0][3].spanned) == ("Năm 2023", 2, True)
    assert (par.rows[0][0].rowspan, par.rows[1][0].text) == (2, "STT")
    assert texts(par.rows[2]) == ["1", "Công tác chỉ đạo, điều hành CCHC", "13,5", "9,28", ""]
    assert texts(par.rows[4])[3] == "2,75"  # typed as text
    assert texts(sipas.rows[2]) == ["Tiếp cận dịch vụ", "79,12"] and sipas.page == 2


def test_spreadsheet_numbers_render_with_a_decimal_comma_and_no_grouping():
    import datetime as dt

    from parindex.extractors.spreadsheet import render

    assert render(72.77) == "72,77"
    assert render(5, "0.00") == "5,00"
    assert render(12.5, "#,##0.00") == "12,50"
    assert render(0.7277, "0.00%") == "72,77%"
    assert render(1234567.0) == "1234567"  # "1.234.567" would be fine, "1.234" would not
    assert render(0.1 + 0.2) == "0,3"
    assert render("9,28") == "9,28"
    assert render(dt.datetime(2024, 6, 30)) == "30/06/2024"


# --------------------------------------------------------------------------
# legacy Word .doc through LibreOffice
# --------------------------------------------------------------------------


@needs_soffice
def test_doc_is_converted_by_libreoffice_and_keeps_its_merged_header():
    doc = extract(HARD / "report.doc")
    assert doc.format == "doc"
    assert doc.page_info[0]["path"] == "converted"
    assert doc.paragraphs[0].text == "KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH HUYỆN BA TƠ NĂM 2022 - 2023"
    table = doc.tables[0]
    assert (table.rows[0][0].text, table.rows[0][0].rowspan) == ("Số TT", 2)
    assert (table.rows[0][2].text, table.rows[0][2].colspan) == ("Năm 2022", 2)
    assert table.rows[0][3].spanned
    assert texts(table.rows[1])[2:] == ["Điểm đạt được", "Xếp hạng", "Điểm đạt được", "Xếp hạng"]
    assert texts(table.rows[3]) == ["2", "Cải cách thể chế", "4,50", "10/13", "4,50", "1/13"]
    assert texts(table.rows[5]) == ["", "Tổng điểm", "72,66", "13/13", "83,34", "5/13"]


def test_doc_without_libreoffice_fails_with_a_message_that_says_so(monkeypatch):
    monkeypatch.setattr(doc_module, "soffice", lambda: None)
    with pytest.raises(ExtractionError, match=r"report\.doc.*LibreOffice"):
        extract(HARD / "report.doc")


# --------------------------------------------------------------------------
# scanned PDFs: OCR
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scanned():
    return extract(HARD / "scanned.pdf")


@needs_tesseract
def test_scanned_page_is_ocrd_and_the_record_says_so(scanned):
    first, second = scanned.page_info
    assert first["path"] == "ocr" and first["confidence"] > 80 and first["tables"] == 1
    assert abs(first["angle"] + 0.4) <= 0.1  # the scan's 0.4 degree skew was found and undone
    assert second["path"] == "text"  # the typed page keeps its text layer
    assert scanned.paragraphs[-1].page == 2 and scanned.paragraphs[-1].text.startswith("Ghi chú: Phụ lục 1")


@needs_tesseract
def test_scanned_table_has_cells_with_page_position_spans_and_bbox(scanned):
    table = scanned.tables[0]
    assert table.page == 1 and len(table.rows) == 13 and table.n_cols == 14
    head = table.rows[0]
    assert (head[0].text, head[0].rowspan) == ("Số TT", 2)
    assert (head[2].text, head[2].colspan) == ("Năm 2021", 3)
    assert head[3].spanned and head[3].text == "Năm 2021"
    total = table.rows[2]
    assert (total[0].text, total[0].colspan) == ("TỔNG ĐIỂM CHỈ SỐ PAR INDEX (Điểm đánh giá và ĐTXHH):", 2)
    cell = total[3]
    assert (cell.text, cell.row, cell.col, cell.page) == ("72,77", 2, 3, 1)
    x0, top, x1, bottom = cell.bbox  # PDF points on the landscape A4 page
    assert 0 < x0 < x1 < 842 and 0 < top < bottom < 595
    assert texts(table.rows[5]) == [
        "2",
        "Cải cách thể chế (Phòng Tư pháp)",
        "5,00",
        "5,00",
        "1/13",
        "5,00",
        "4,50",
        "10/13",
        "4,50",
        "4,50",
        "1/13",
        "4,00",
        "4,00",
        "1/13",
    ]


@needs_tesseract
def test_scanned_table_matches_the_text_layer_of_the_original(scanned):
    """Cell-level F1 of the OCR'd page against the original page's text layer."""
    spec = importlib.util.spec_from_file_location("ocr_accuracy", ROOT / "benchmarks" / "ocr_accuracy.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    truth = bench.page_cells(extract(SAMPLES / "000_65e2608f2289fc53.pdf"), 1)
    precision, recall, f1 = bench.f1(bench.page_cells(scanned, 1), truth)
    assert len(truth) > 150
    assert f1 >= 0.90, (precision, recall)


@needs_tesseract
def test_a_text_layer_of_cid_glyphs_is_ocrd():
    doc = extract(HARD / "cid_garbage.pdf")
    assert doc.page_info[0]["path"] == "ocr"
    assert doc.paragraphs[0].text == "Kết quả thẩm định Chỉ số CCHC huyện Phong Thổ năm 2023"
    rows = {r[0].text: texts(r) for r in doc.tables[0].rows}
    assert rows["1"][1:] == ["Công tác chỉ đạo, điều hành CCHC", "13,50", "9,28"]
    assert rows["1.2"][2:] == ["3,50", "2,50"]


def test_without_tesseract_a_scan_is_recorded_not_guessed(monkeypatch):
    monkeypatch.setattr(ocr, "available", lambda lang="vie": False)
    doc = extract(HARD / "scanned.pdf")
    assert [i["path"] for i in doc.page_info] == ["none", "text"]
    assert any("no usable text layer" in w and "tesseract" in w for w in doc.warnings)
    assert doc.tables == []


class FakePage:
    def __init__(self, chars=(), images=(), width=595.0, height=842.0):
        self.chars = [{"text": t} for t in chars]
        self.images, self.curves, self.rects, self.lines = list(images), [], [], []
        self.width, self.height = width, height


def test_pages_needing_ocr_are_told_from_their_text_layer():
    from parindex.extractors.pdf import text_layer_state

    page_image = {"x0": 0, "x1": 595, "top": 0, "bottom": 842}
    assert text_layer_state(FakePage("Cải cách hành chính năm 2023")) == "text"
    assert text_layer_state(FakePage()) == "empty"
    assert text_layer_state(FakePage(images=[page_image])) == "ocr"
    assert text_layer_state(FakePage("12", images=[page_image])) == "ocr"  # a stamped page number
    garbled = ["C", "(cid:1)", "i", " ", "c", "(cid:2)", "c", "h"] * 4 + list("hanh chinh nam 2023")
    assert text_layer_state(FakePage(garbled)) == "ocr"


def test_ocr_digit_fixes_are_made_only_where_unambiguous():
    from parindex.extractors.ocr_repair import fix_figure, fix_rank, repair_table

    assert fix_figure("2/50", 2) == "2,50" and fix_figure("1oo,oo", 2) == "100,00"
    assert fix_figure("100", 2) is None  # a comma OCR may have dropped is not put back
    assert fix_figure("2,50", 2) is None and fix_figure("Tổng", 2) is None
    assert fix_rank("713", 13) == "7/13" and fix_rank("1313", 13) == "13/13"
    assert fix_rank("1413", 13) is None and fix_rank("212", 13) is None  # 14/13 is no rank; 2/12 unsure

    def table(columns):
        rows = [[Cell(text=col[r], row=r, col=c) for c, col in enumerate(columns)] for r in range(len(columns[0]))]
        return Table(index=1, rows=rows)

    t = table([["Điểm", "9,00", "2/50", "5,00", "10,50", "4,00"], ["Xếp hạng", "8/13", "713", "1/13", "3/13", "2/12"]])
    fixes = repair_table(t)
    assert [c.text for c in (t.rows[2][0], t.rows[2][1])] == ["2,50", "7/13"]
    assert [(f["row"], f["col"], f["read"], f["fixed"]) for f in fixes] == [
        (2, 0, "2/50", "2,50"),
        (2, 1, "713", "7/13"),
    ]
    mixed = table([["Kết quả", "10,04/11", "2/50", "7/11", "6/6"]])  # a column of fractions: not touched
    assert repair_table(mixed) == [] and mixed.rows[2][0].text == "2/50"


# --------------------------------------------------------------------------
# encodings: NFD, TCVN3, VNI
# --------------------------------------------------------------------------


def test_legacy_font_text_known_from_real_documents_converts():
    from parindex.extractors.legacy_fonts import repair

    assert repair("C¶i c¸ch hµnh chÝnh") == "Cải cách hành chính"  # TCVN3 (.VnTime)
    assert repair("Tû lÖ") == "Tỷ lệ" and repair("Chñ nhiÖm") == "Chủ nhiệm"
    assert repair("UBND tØnh Qu¶ng Ng·i") == "UBND tỉnh Quảng Ngãi"
    assert repair("n\u00adíc ng\u00adêi ®\u00adîc") == "nước người được"  # ư is the soft hyphen byte
    assert repair("Tieáng Vieät") == "Tiếng Việt" and repair("ñöôøng") == "đường"  # VNI
    assert repair("HÖÔÙNG DAÃN") == "HƯỚNG DẪN"
    # Unicode, English and damaged text stay as they are; a mixed paragraph converts its legacy run only
    for same in ("Cải cách hành chính", "các", "café", "Phấn đu kết quả Chsố PAR INDEX", "72,77"):
        assert repair(same) == same
    assert repair("Cải cách C¶i c¸ch hµnh chÝnh") == "Cải cách Cải cách hành chính"


def test_vietnamese_syllables_are_recognized():
    from parindex.extractors.syllables import is_syllable

    for word in ("người", "Cải", "HUYỆN", "quảng", "nghiêng", "khuya", "huỳnh", "Tỷ", "ĐIỂM"):
        assert is_syllable(word), word
    for word in ("C¶i", "hµnh", "caùch", "ChÝnh", "cỏch", "PAR"[:0] or "xyz"):
        assert not is_syllable(word), word


def seed_table(stem: str, n_rows: int) -> list[list[str]]:
    return extract(SEEDS / f"{stem}.txt").tables[0].texts()[:n_rows]


@pytest.mark.parametrize("name,label", [("tcvn3.txt", "TCVN3"), ("vni.txt", "VNI")])
def test_8bit_legacy_text_files_decode_to_the_seed_text(name, label):
    doc = extract(HARD / name)
    assert any(label in w for w in doc.warnings)
    assert doc.paragraphs[0].text == (
        "KẾT QUẢ ĐÁNH GIÁ CHỈ SỐ THÀNH PHẦN CÁC LĨNH VỰC CẢI CÁCH HÀNH CHÍNH HUYỆN PHONG THỔ NĂM 2023"
    )
    table = doc.tables[0]
    assert table.texts() == seed_table("001_af3bdc7e3d446662", 13)
    assert texts(table.rows[12])[1] == "Tỷ lệ cơ quan, đơn vị thuộc UBND (phòng và tương đương) được kiểm tra trong năm"
    assert doc.paragraphs[-1].text == "Ghi chú: điểm thẩm định do Hội đồng thẩm định tỉnh công bố."


def test_nfd_text_comes_out_nfc_and_reads_like_the_seed():
    data = (HARD / "nfd.txt").read_bytes()
    assert unicodedata.is_normalized("NFD", data.decode("utf-8")) and not unicodedata.is_normalized(
        "NFC", data.decode()
    )
    doc = extract(HARD / "nfd.txt")
    seed = extract(SEEDS / "000_65e2608f2289fc53.txt")
    assert [t.texts() for t in doc.tables] == [t.texts() for t in seed.tables]
    assert doc.tables[0].rows[2][3].text == "72,77"
    assert all(unicodedata.is_normalized("NFC", c.text) for t in doc.tables for r in t.rows for c in r)
    assert doc.paragraphs[1].text == "HUYỆN BA TỜ"


def test_docx_runs_in_legacy_fonts_are_converted_run_by_run():
    doc = extract(HARD / "legacy_fonts.docx")
    # one paragraph: a Unicode run, then a TCVN3 (.VnTime) run
    assert doc.paragraphs[0].text == "Huyện Phong Thổ – Báo cáo kết quả chỉ số cải cách hành chính năm 2023"
    assert doc.paragraphs[1].text == "Điểm thẩm định của các lĩnh vực như sau:"  # VNI-Times
    table = doc.tables[0]
    assert texts(table.rows[0]) == ["STT", "LĨNH VỰC / TIÊU CHÍ / TIÊU CHÍ THÀNH PHẦN", "ĐIỂM CHUẨN", "ĐIỂM THẨM ĐỊNH"]
    assert texts(table.rows[1]) == ["1", "Công tác chỉ đạo, điều hành CCHC", "13,50", "9,28"]


def test_pdf_font_in_tcvn3_is_converted_and_lost_letters_stay_lost():
    doc = extract(HARD / "legacy_fonts.pdf")
    fonts = doc.page_info[0]["legacy_fonts"]
    assert list(fonts.values()) == ["tcvn3"] and "DejaVuSerif" in next(iter(fonts))  # the title's font is Unicode
    assert doc.paragraphs[0].text == "Kết quả thẩm định Chỉ số CCHC huyện Phong Thổ năm 2023"
    table = doc.tables[0]
    assert texts(table.rows[0])[1:] == ["LĨNH VỰC / TIÊU CHÍ / TIÊU CHÍ THÀNH PHẦN", "ĐIỂM CHUẨN", "ĐIỂM THẨM ĐỊNH"]
    assert texts(table.rows[1]) == ["1", "Công tác chỉ đạo, điều hành CCHC", "13,50", "9,28"]
    assert table.rows[1][1].page == 1 and table.rows[1][1].bbox is not None
    # the PDF producer dropped TCVN3's ư (a soft-hyphen byte): printed "lợng", read "lợng", not "lượng"
    assert "đủ số lợng, nội dung" in table.rows[3][1].text


# --------------------------------------------------------------------------
# tables flattened to one cell per line / per <p>
# --------------------------------------------------------------------------


def test_text_seed_with_flattened_tables_yields_the_four_tables_of_the_web_page():
    seed = extract(SEEDS / "004_0dbbb814e2b5b046.txt")
    page = extract(SAMPLES / "004_0dbbb814e2b5b046.html")
    assert len(seed.tables) == 4
    for mine, theirs in zip(seed.tables, page.tables):
        assert mine.texts() == theirs.texts()
        assert [(c.rowspan, c.colspan, c.spanned) for r in mine.rows[:2] for c in r] == [
            (c.rowspan, c.colspan, c.spanned) for r in theirs.rows[:2] for c in r
        ]
    first = seed.tables[0]
    assert (first.rows[0][2].text, first.rows[0][2].colspan) == ("Kết quả năm 2023", 2)
    assert (first.rows[0][3].text, first.rows[0][4].rowspan) == ("Kết quả năm 2023", 2)
    assert texts(first.rows[1]) == [
        "TT",
        "Lĩnh vực/Tiêu chí/ Tiêu chí thành phần",
        "Kết quả",
        "Vị thứ",
        "Chỉ tiêu năm 2024",
    ]
    assert texts(first.rows[-1]) == ["", "Kết quả tổng hợp chung", "80,24", "8/11", "85,2"]


def test_html_paragraph_per_cell_tables_are_rebuilt():
    doc = extract(HARD / "flattened.html")
    page = extract(SAMPLES / "004_0dbbb814e2b5b046.html")
    assert [t.texts() for t in doc.tables] == [t.texts() for t in page.tables]
    dti = doc.tables[3]
    assert dti.caption.startswith("4.")
    assert texts(dti.rows[2])[:2] == [dti.rows[2][0].text, dti.rows[2][1].text] and dti.rows[2][0].text
    assert not any(p.text in ("TT", "Vị thứ") for p in doc.paragraphs)  # the cells are not left as prose


def test_a_run_that_does_not_fit_a_table_stays_prose():
    doc = extract("t.txt", data="TT\n\nKhông phải bảng\n\nmà là một đoạn văn.\n".encode())
    assert doc.tables == [] and [p.text for p in doc.paragraphs] == ["TT", "Không phải bảng", "mà là một đoạn văn."]


def test_a_flattened_table_with_a_one_row_header():
    from parindex.extractors.flattened import rebuild

    cells = ["STT", "Đơn vị", "Điểm", "1", "Ba Tơ", "72,77", "2", "Sơn Tây", "80,1", "Tiếp theo là văn bản"]
    rows, used = rebuild(cells)
    assert used == 9 and [texts(r) for r in rows] == [
        ["STT", "Đơn vị", "Điểm"],
        ["1", "Ba Tơ", "72,77"],
        ["2", "Sơn Tây", "80,1"],
    ]


# --------------------------------------------------------------------------
# nested Word tables
# --------------------------------------------------------------------------


def test_docx_nested_table_becomes_its_own_table_after_its_parent():
    doc = extract(HARD / "nested.docx")
    parent, nested = doc.tables
    assert (parent.index, nested.index) == (1, 2)
    assert texts(parent.rows[1]) == ["1", "Công tác chỉ đạo, điều hành CCHC", "9,28"]  # the holding cell's own text
    assert texts(nested.rows[0]) == ["STT", "Tiêu chí thành phần", "Điểm thẩm định"]
    assert texts(nested.rows[2]) == [
        "1.2",
        "Thực hiện chế độ báo cáo các lĩnh vực CCHC đảm bảo đủ số lượng, nội dung và thời gian theo quy định",
        "2,50",
    ]
    assert nested.page == 1 and nested.rows[3][2].text == "0"
    assert doc.blocks.index(parent) + 1 == doc.blocks.index(nested)


def test_html_page_in_windows_1258_is_decoded():
    import sys

    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent / "bad"))
    from build import to_cp1258

    page = "<html><body><p>Chỉ số cải cách hành chính tỉnh Quảng Ngãi năm 2023 đạt 80,24%</p></body></html>"
    doc = extract("old.html", data=to_cp1258(page))
    assert [p.text for p in doc.paragraphs] == ["Chỉ số cải cách hành chính tỉnh Quảng Ngãi năm 2023 đạt 80,24%"]


# --------------------------------------------------------------------------
# PDF tables typed as aligned text: no ruling, or horizontal rules only
# --------------------------------------------------------------------------


def seed_criteria(n: int) -> list[list[str]]:
    """Header and first n rows of seed 001's criteria table (what build.py typed)."""
    lines = unicodedata.normalize("NFC", (SEEDS / "001_af3bdc7e3d446662.txt").read_text(encoding="utf-8")).splitlines()
    return [l.split("\t")[:4] for l in lines if "\t" in l][: n + 1]


# criterion 1.2.1 of the seed report: a long label wrapped over lines, its max and score
ROW_1_2_1 = [
    "1.2.1",
    "Thực hiện đủ các báo cáo CCHC quý I, 6 tháng, quý III, năm và các báo cáo "
    "CCHC đột xuất theo yêu cầu của UBND tỉnh, Sở Nội vụ đảm bảo về thời gian, nội dung",
    "0,50",
    "0",
]


@pytest.mark.parametrize("name", ["unruled.pdf", "half_ruled.pdf"])
def test_table_without_vertical_ruling_is_read_from_text_alignment(name):
    doc = extract(HARD / name)
    assert [i["path"] for i in doc.page_info] == ["text", "text"]
    assert len(doc.tables) == 1  # page 2's part stitched on, its repeated header dropped
    table = doc.tables[0]
    assert table.n_cols == 4 and len(table.rows) == 31  # header + 21 rows on page 1 + 9 on page 2
    assert table.texts() == seed_criteria(30)
    assert texts(table.rows[0]) == ["STT", "LĨNH VỰC / TIÊU CHÍ / TIÊU CHÍ THÀNH PHẦN", "ĐIỂM CHUẨN", "ĐIỂM THẨM ĐỊNH"]
    assert texts(table.rows[1]) == ["1", "Công tác chỉ đạo, điều hành CCHC", "13,50", "9,28"]
    # labels wrapped onto 2 and 3 lines, the figures on the first line: one row each
    assert texts(table.rows[3]) == [
        "1.2",
        "Thực hiện chế độ báo cáo các lĩnh vực CCHC đảm bảo đủ số lượng, nội dung và thời gian theo quy định",
        "3,50",
        "2,50",
    ]
    assert texts(table.rows[4]) == ROW_1_2_1
    # a figure inside a wrapped label stays in the label
    assert texts(table.rows[9]) == [
        "1.2.6",
        "Báo cáo kết quả tự chủ, tự chịu trách nhiệm với cơ quan quản lý cấp trên theo quy định: 0,5",
        "0,50",
        "0",
    ]
    assert texts(table.rows[18]) == ["2", "Cải cách thể chế", "5,00", "5"]
    assert texts(table.rows[-1]) == [
        "3.2",
        "Niêm yết, công khai thủ tục hành chính và các quy định có liên quan",
        "1,00",
        "1",
    ]
    # pages, rows, columns and the text's bounding box on every cell
    assert [r[0].page for r in table.rows] == [1] * 22 + [2] * 9
    assert table.rows[21][0].text == "2.1.2" and table.rows[22][0].text == "2.2"  # the page break
    assert all(
        c.row == r and c.col == k and c.bbox is not None for r, row in enumerate(table.rows) for k, c in enumerate(row)
    )
    x0, top, x1, bottom = table.rows[4][1].bbox
    assert x0 == 100.0 and bottom - top > 30  # three lines of label
    assert table.rows[4][2].bbox[2] == 462.0 and table.rows[4][3].bbox[2] == 538.0  # right-aligned at their stops
    # the prose around it stays prose: the sentence with figures, the note, no page numbers
    assert doc.paragraphs[1].text.startswith("Năm 2023, huyện Phong Thổ đạt 85,23/100 điểm, xếp hạng 4/8")
    assert doc.paragraphs[-2].text == "Ghi chú: điểm thẩm định do Hội đồng thẩm định tỉnh công bố."
    assert table.caption.startswith("Năm 2023, huyện Phong Thổ")


def test_unruled_table_observations_carry_code_score_and_max():
    from parindex.normalizer.normalize import normalize_document

    norm = normalize_document(extract(HARD / "unruled.pdf"))
    assert norm.context.unit == "Phong Thổ" and norm.context.year == 2023
    by_code = {o["code"]: o for o in norm.observations if o.get("table") == 1}
    assert len(by_code) == 30
    assert (by_code["1"]["score"], by_code["1"]["max_score"]) == (9.28, 13.5)
    assert (by_code["1.2.1"]["score"], by_code["1.2.1"]["max_score"], by_code["1.2.1"]["page"]) == (0.0, 0.5, 1)
    assert by_code["1.2.1"]["printed_name"].endswith("Sở Nội vụ đảm bảo về thời gian, nội dung")
    assert (by_code["3"]["score"], by_code["3"]["max_score"], by_code["3"]["page"]) == (13.0, 13.5, 2)
    assert (by_code["2.2.2"]["score"], by_code["2.2.2"]["max_score"]) == (1.0, 1.0)


def test_lines_of_prose_with_figures_do_not_become_a_table():
    from parindex.extractors.aligned_tables import find_text_tables

    line = _typed_line

    def typed(top: float, text: str, x: float = 57) -> dict:  # words one space (3 pt) apart
        words = []
        for w in text.split():
            words.append((x, w))
            x += 6 * len(w) + 3
        return line(top, words)

    sentences = [
        "Năm 2023 đạt 85,23/100 điểm, xếp hạng 4/8 huyện của tỉnh",
        "lĩnh vực chỉ đạo đạt 9,28/13,50 điểm, tăng 1,11 điểm so với",
        "năm 2022; cải cách thể chế 5/5 điểm, thủ tục 13/13,50 điểm",
        "và tổ chức bộ máy 6,5/7,5 điểm, đứng thứ 2/8 trong tỉnh.",
        "Năm 2024 dự kiến đạt 88,00 điểm và hạng 3/8 huyện.",
    ]
    prose = [typed(100 + 14 * i, s) for i, s in enumerate(sentences)]
    tables, rest = find_text_tables(prose, 1)
    assert tables == [] and rest == prose
    aligned = [
        line(100 + 14 * i, [(57, f"{i + 1}"), (100, "Tiêu chí"), (400, f"{i + 1},00"), (480, f"0,{i}0")])
        for i in range(4)
    ]
    tables, rest = find_text_tables(aligned, 1)
    assert rest == [] and [texts(r) for r in tables[0][1].rows][1] == ["2", "Tiêu chí", "2,00", "0,10"]


def _typed_line(top: float, words: list[tuple[float, str]]) -> dict:
    """A pdfplumber text line of 6-pt-wide characters, each word starting at its x."""
    chars = [
        {"text": ch, "x0": x + 6 * k, "x1": x + 6 * k + 6, "top": top, "bottom": top + 10, "size": 10}
        for x, word in words
        for k, ch in enumerate(word)
    ]
    return {
        "text": " ".join(w for _, w in words),
        "x0": chars[0]["x0"],
        "x1": chars[-1]["x1"],
        "top": top,
        "bottom": top + 10,
        "chars": chars,
    }


def test_text_table_with_a_heading_over_two_columns_and_a_label_centred_on_its_figures():
    from parindex.extractors.aligned_tables import find_text_tables

    L = _typed_line
    lines = [
        L(80, [(57, "Bảng 1. Kết quả")]),
        L(100, [(411, "Năm 2023")]),  # centred over the gutter between Điểm and Hạng
        L(106, [(57, "TT"), (100, "Lĩnh vực")]),
        L(112, [(380, "Điểm"), (460, "Hạng")]),
        L(130, [(100, "Công tác chỉ đạo")]),  # the label's first line, above its figures
        L(142, [(57, "1"), (100, "điều hành CCHC"), (380, "9,28"), (460, "3/13")]),
        L(154, [(100, "cấp huyện")]),
        L(172, [(57, "2"), (100, "Cải cách thể chế"), (380, "5,00"), (460, "1/13")]),
        L(190, [(57, "3"), (100, "Cải cách TTHC"), (380, "11,43"), (460, "2/13")]),
        L(208, [(57, "4"), (100, "Tổ chức bộ máy")]),  # a row without figures
        L(240, [(57, "Ghi chú: số liệu của Sở Nội vụ")]),
    ]
    tables, rest = find_text_tables(lines, 3)
    assert [ln["text"] for ln in rest] == ["Bảng 1. Kết quả", "Ghi chú: số liệu của Sở Nội vụ"]
    ((top, table),) = tables
    assert top == 100 and table.page == 3
    head = table.rows[0]
    assert (head[0].text, head[0].rowspan, head[2].text, head[2].colspan, head[3].spanned) == (
        "TT",
        2,
        "Năm 2023",
        2,
        True,
    )
    assert texts(table.rows[1]) == ["TT", "Lĩnh vực", "Điểm", "Hạng"] and table.rows[1][0].spanned
    assert texts(table.rows[2]) == ["1", "Công tác chỉ đạo điều hành CCHC cấp huyện", "9,28", "3/13"]
    assert texts(table.rows[5]) == ["4", "Tổ chức bộ máy", "", ""]
    assert all(c.page == 3 for r in table.rows for c in r)


@pytest.mark.parametrize("name", ["header_ruled.pdf", "row_ruled.pdf"])
def test_partly_ruled_table_body_is_read_from_text_alignment(name):
    """A table ruled only in its header and by its outer border (pdfplumber finds one cell
    per column for the whole body), or only by full-width lines under each row: the body
    is read from the text's alignment, one row per criterion (issue 22)."""
    doc = extract(HARD / name)
    assert doc.paragraphs[0].text == "Kết quả Chỉ số cải cách hành chính năm 2023 của huyện Phong Thổ, tỉnh Lai Châu"
    assert len(doc.tables) == 1
    table = doc.tables[0]
    assert table.n_cols == 4 and len(table.rows) == 13
    assert texts(table.rows[0]) == ["STT", "Lĩnh vực / tiêu chí", "Điểm chuẩn", "Điểm thẩm định"]
    assert table.texts()[1:] == seed_criteria(12)[1:]
    assert texts(table.rows[4]) == ROW_1_2_1
    assert texts(table.rows[-1])[0] == "1.3.1" and texts(table.rows[-1])[2:] == ["0,50", "0,50"]
    assert all(c.page == 1 and c.bbox is not None for row in table.rows for c in row)


def test_partly_ruled_ranking_with_a_single_figure_column():
    """A ruled header over an unruled body with one figure column: the columns are the
    ones the header's rules draw, so section rows without a figure, wrapped names and a
    table of names and figures only (no STT) are read row by row (issue 22)."""
    doc = extract(HARD / "ranking_header_ruled.pdf")
    assert [p.text for p in doc.paragraphs] == [
        "Kết quả Chỉ số cải cách hành chính năm 2023 của các sở, ban, ngành",
        "Chỉ số cải cách hành chính của các huyện, thành phố",
    ]
    units, districts = doc.tables
    assert len(units.rows) == 12 and units.n_cols == 3
    assert texts(units.rows[0]) == ["STT", "Tên cơ quan, đơn vị", "Chỉ số CCHC (%)"]
    assert texts(units.rows[1]) == ["I", "Khối sở, ban, ngành", ""]
    assert texts(units.rows[2]) == ["1", "Sở Tư pháp", "92,45"]
    assert texts(units.rows[5]) == ["4", "Ban Quản lý các khu công nghiệp và khu kinh tế cửa khẩu tỉnh", "88,12"]
    assert texts(units.rows[8]) == ["II", "Khối huyện, thành phố", ""]
    assert texts(units.rows[-1]) == ["3", "Huyện Phong Thổ", "85,23"]
    assert [texts(r) for r in districts.rows] == [
        ["Huyện, thành phố", "Chỉ số CCHC năm 2023 (%)"],
        ["Thành phố Lai Châu", "90,64"],
        ["Huyện Tam Đường", "86,02"],
        ["Huyện Phong Thổ", "85,23"],
        ["Huyện Sìn Hồ", "83,77"],
        ["Huyện Nậm Nhùn", "81,09"],
    ]
    assert all(c.page == 1 and (c.bbox is not None or not c.text) for t in doc.tables for row in t.rows for c in row)


def test_row_ruled_criteria_with_a_single_score_column():
    """Criteria ruled only by full-width lines, with one score column whose heading, centred
    over it, reaches into the label column: the heading heads its own column only."""
    doc = extract(HARD / "one_score_row_ruled.pdf")
    (table,) = doc.tables
    assert len(table.rows) == 13 and table.n_cols == 3
    assert texts(table.rows[0]) == ["STT", "Lĩnh vực / tiêu chí", "Điểm thẩm định"]
    assert table.texts()[1:] == [[r[0], r[1], r[3]] for r in seed_criteria(12)[1:]]
    assert texts(table.rows[1]) == ["1", "Công tác chỉ đạo, điều hành CCHC", "9,28"]
    assert texts(table.rows[4]) == [ROW_1_2_1[0], ROW_1_2_1[1], "0"]


def test_partly_ruled_tables_with_words_as_values():
    """Values that are words, or words with figures, in a table ruled in its header only
    (a rating scale) and in a table ruled under each row (units and their rating): every
    row is kept, the row without a score too (issue 22)."""
    doc = extract(HARD / "worded_values.pdf")
    assert [p.text for p in doc.paragraphs] == [
        "Thang xếp loại chất lượng giải quyết thủ tục hành chính",
        "Kết quả xếp loại năm 2023",
    ]
    scale, rated = doc.tables
    assert [texts(r) for r in scale.rows] == [
        ["Xếp loại", "Tổng điểm các chỉ số"],
        ["Xuất sắc", "từ 17.500 trở lên"],
        ["Tốt", "từ 14.000 đến dưới 17.500"],
        ["Khá", "từ 9.595 đến dưới 14.000"],
        ["Trung bình", "9.594 trở xuống"],
    ]
    assert len(rated.rows) == 7
    assert texts(rated.rows[0]) == ["STT", "Tên cơ quan, đơn vị", "Tổng điểm", "Xếp loại"]
    assert texts(rated.rows[1]) == ["1", "Sở Tư pháp", "17.812", "Xuất sắc"]
    assert texts(rated.rows[5]) == ["5", "Sở Xây dựng", "9.594", "Trung bình"]
    unrated = ["6", "Ban Dân tộc tỉnh (không phát sinh hồ sơ trong kỳ đánh giá)", "", "Không đánh giá"]
    assert texts(rated.rows[6]) == unrated
    assert all(c.page == 1 and (c.bbox is not None or not c.text) for t in doc.tables for row in t.rows for c in row)


def test_prose_with_one_figure_per_line_stays_prose():
    """Lines with a single figure each, even set at one right-aligned stop, are no table
    without ruling: one figure column alone is not evidence enough."""
    from parindex.extractors.aligned_tables import find_text_tables

    L = _typed_line
    sentences = [
        "Sở Tư pháp dẫn đầu với 92,45%, tăng so với năm trước",
        "Sở Nội vụ xếp thứ hai, đạt 91,08% và giữ vị trí",
        "Khối huyện có Thành phố Lai Châu cao nhất 90,64%",
        "Huyện Phong Thổ đạt 85,23%, đứng thứ ba của khối",
        "Năm 2024 các đơn vị phấn đấu vượt mức đã đạt.",
    ]
    prose = [L(100 + 14 * i, [(57, s)]) for i, s in enumerate(sentences)]
    tables, rest = find_text_tables(prose, 1)
    assert tables == [] and rest == prose
    aligned = [
        L(100 + 14 * i, [(57, name), (460, score)])
        for i, (name, score) in enumerate([("Sở Tư pháp", "92,45"), ("Sở Nội vụ", "91,08"), ("Sở Tài chính", "86,94")])
    ]
    tables, rest = find_text_tables(aligned, 1, lambda: [(95.0 + 14 * i, 55.0, 540.0) for i in range(4)])
    assert tables == [] and rest == aligned


def test_a_note_boxed_under_a_ruled_header_is_not_read_as_rows():
    """`read_ruled_body` needs the body to follow the header's columns: lines of a note
    that run across them, each with a figure, give no table."""
    from parindex.extractors.aligned_tables import read_ruled_body

    L = _typed_line
    note = [
        L(120, [(59, "Năm 2023 có 12 sở đạt trên 85% và 3 huyện đạt trên 90%")]),
        L(134, [(59, "so với năm 2022 tăng 4 đơn vị; 2 đơn vị giảm hạng")]),
        L(148, [(59, "theo Quyết định số 256/QĐ-UBND ngày 20/3/2024.")]),
    ]
    head = [L(100, [(59, "STT"), (100, "Tên đơn vị"), (440, "Điểm")])]
    assert read_ruled_body(head + note, [55.0, 95.0, 430.0, 540.0], 112.0, 1) is None
    rows = [L(120 + 14 * i, [(59, f"{i + 1}"), (100, name), (500, "Tốt")]) for i, name in enumerate(["Sở A", "Sở B"])]
    table = read_ruled_body(head + rows, [55.0, 95.0, 430.0, 540.0], 112.0, 1)
    assert [texts(r) for r in table.rows] == [["STT", "Tên đơn vị", "Điểm"], ["1", "Sở A", "Tốt"], ["2", "Sở B", "Tốt"]]


def test_ruled_grid_with_rows_keeps_its_cells():
    """A fully ruled table is still read from its grid: no cell of the samples' ruled tables
    holds several lines of figures."""
    import pdfplumber

    from parindex.extractors.pdf import collapsed_body

    for path in [SAMPLES / "000_65e2608f2289fc53.pdf", SAMPLES / "003_bcf6dc032df3fdf9.pdf"]:
        with pdfplumber.open(path) as pdf:
            assert not any(collapsed_body(t) for page in pdf.pages for t in page.find_tables())
    with pdfplumber.open(HARD / "header_ruled.pdf") as pdf:
        assert [collapsed_body(t) for t in pdf.pages[0].find_tables()] == [True]
