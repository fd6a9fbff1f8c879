"""PDF pages laid out by pdfium stand in for pdfminer's (extractors/pdfium_page.py): the
same characters, ruling and blocks on every sample PDF and on generated reports and
rankings; and text set right on a table is not cut by the table (issue 20)."""

from __future__ import annotations

import pdfplumber
import pypdfium2
import pytest
from conftest import SAMPLES, generated_pdfs

from parindex.extractors import extract
from parindex.extractors.pdf import extract_pdf
from parindex.extractors.pdfium_page import open_page
from parindex.schemas import Table

HARD = SAMPLES / "hard"
SAMPLE_PDFS = sorted(SAMPLES.glob("*.pdf")) + sorted(HARD.glob("*.pdf"))


def blocks(doc) -> list[tuple]:
    """What a document's blocks say: text, heading level and bold of paragraphs, the
    cells of tables with their spans, and pages."""
    out = []
    for b in doc.blocks:
        if isinstance(b, Table):
            out.append(
                ("table", b.page, [[(c.text, c.rowspan, c.colspan, c.spanned, c.page) for c in r] for r in b.rows])
            )
        else:
            out.append(("paragraph", b.page, b.text, b.heading, b.bold))
    return out


def paths(doc) -> list[str]:
    return [info["path"] for info in doc.page_info]


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> list:
    """A few generated PDFs: one-unit reports and documents about many units."""
    return generated_pdfs(tmp_path_factory.mktemp("pdfs"), 4, 3, seed=5)


@pytest.mark.parametrize("path", SAMPLE_PDFS, ids=lambda p: p.name)
def test_pdfium_page_has_pdfminers_characters_and_ruling(path):
    pdf = pypdfium2.PdfDocument(path)
    with pdfplumber.open(path) as plumber:
        for index, page in enumerate(plumber.pages):
            fast = open_page(pdf, index)
            assert fast is not None
            if path.name == "cid_garbage.pdf":  # pdfium and pdfminer guess unmapped glyphs differently
                continue
            assert [c["text"] for c in fast.chars] == [c["text"] for c in page.chars]
            for a, b in zip(fast.chars, page.chars):
                assert abs(a["top"] - b["top"]) < 0.01 and abs(a["bottom"] - b["bottom"]) < 0.01
                assert abs(a["x0"] - b["x0"]) < 1.5 and abs(a["x1"] - b["x1"]) < 1.5
                assert a["size"] == pytest.approx(b["size"]) and ("Bold" in a["fontname"]) == ("Bold" in b["fontname"])

            def edges(p):
                return sorted(
                    (e["orientation"], round(e["x0"], 1), round(e["top"], 1), round(e["x1"], 1), round(e["bottom"], 1))
                    for e in p.edges
                )

            assert edges(fast) == edges(page)


@pytest.mark.parametrize("path", SAMPLE_PDFS, ids=lambda p: p.name)
def test_sample_pdfs_read_the_same_laid_out_by_pdfium_or_pdfminer(path):
    if path.name == "scanned.pdf":
        pytest.skip("OCR reads the same image either way; tests/test_hard_extractors.py covers it")
    data = path.read_bytes()
    fast, slow = extract_pdf(data, str(path)), extract_pdf(data, str(path), layout="pdfminer")
    assert blocks(fast) == blocks(slow) and paths(fast) == paths(slow) and fast.pages == slow.pages


def test_generated_reports_and_rankings_read_the_same_laid_out_by_pdfium_or_pdfminer(generated):
    assert len(generated) == 7
    for path in generated:
        data = path.read_bytes()
        assert blocks(extract_pdf(data, str(path))) == blocks(extract_pdf(data, str(path), layout="pdfminer")), path


def test_layout_is_validated():
    with pytest.raises(ValueError, match="layout must be one of pdfium, pdfminer"):
        extract_pdf((SAMPLES / "003_bcf6dc032df3fdf9.pdf").read_bytes(), "x", layout="fast")


def test_heading_set_on_a_ruled_table_keeps_every_word():
    """Issue 20: the heading's last line lies on the table's top rule; the table's crop took
    the letters of that line that stand over the table ('... của huyện Phong' was left)."""
    from parindex.normalizer.normalize import normalize_document

    for layout in ("pdfium", "pdfminer"):
        doc = extract_pdf((HARD / "heading_on_table.pdf").read_bytes(), "heading_on_table.pdf", layout=layout)
        assert [p.text for p in doc.paragraphs] == [
            "Kết quả Chỉ số cải cách hành chính năm 2023 của huyện Phong Thổ, tỉnh Lai Châu"
        ]
        assert doc.paragraphs[0].bold
        table = doc.tables[0]
        assert [c.text for c in table.rows[0]] == [
            "STT",
            "LĨNH VỰC / TIÊU CHÍ / TIÊU CHÍ THÀNH PHẦN",
            "ĐIỂM CHUẨN",
            "ĐIỂM THẨM ĐỊNH",
        ]
        assert [c.text for c in table.rows[1]] == ["1", "Công tác chỉ đạo, điều hành CCHC", "13,50", "9,28"]
        assert len(table.rows) == 13
    norm = normalize_document(extract(HARD / "heading_on_table.pdf"))
    assert (norm.context.unit, norm.context.year) == ("Phong Thổ", 2023)
    by_code = {o["code"]: o for o in norm.observations}
    assert (by_code["1"]["unit"], by_code["1"]["score"], by_code["1"]["max_score"]) == ("Phong Thổ", 9.28, 13.5)
