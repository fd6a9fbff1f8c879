"""The fast paths of the PDF reader give exactly what pdfplumber's own functions give
(issue 22): text lines and cell text (`extractors/text_lines.py`), ruled tables
(`extractors.pdf.find_tables`) and the page without its tables
(`extractors.pdf.outside_tables`), on every page of the sample PDFs, laid out by pdfium
and by pdfminer, and of generated reports and rankings."""

from __future__ import annotations

import pdfplumber
import pypdfium2
import pytest
from conftest import SAMPLES, generated_pdfs
from pdfplumber.utils import extract_text as plumber_extract_text
from pdfplumber.utils import get_bbox_overlap, obj_to_bbox

from parindex.extractors.pdf import find_tables, outside_tables
from parindex.extractors.pdfium_page import open_page
from parindex.extractors.text_lines import extract_text, text_lines

SAMPLE_PDFS = sorted(SAMPLES.glob("*.pdf")) + sorted((SAMPLES / "hard").glob("*.pdf"))


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> list:
    """A few generated PDFs: one-unit reports and documents about many units."""
    return generated_pdfs(tmp_path_factory.mktemp("pdfs"), 3, 2, seed=7)


def pages(path) -> list:
    """Every page of the PDF laid out by pdfium (where it can) and by pdfminer."""
    pdf = pypdfium2.PdfDocument(path)
    out = [p for p in (open_page(pdf, i) for i in range(len(pdf))) if p is not None]
    return out + list(pdfplumber.open(path).pages)


def same_lines(a: list[dict], b: list[dict]) -> bool:
    """Equal text lines, holding the very same char dicts in the same order."""
    return a == b and all(list(map(id, x["chars"])) == list(map(id, y["chars"])) for x, y in zip(a, b))


def check_page(page) -> None:
    assert same_lines(text_lines(page), page.extract_text_lines(strip=True, return_chars=True))
    chars = page.chars
    for start in range(0, len(chars), 41):  # runs of characters over a few lines
        assert extract_text(chars[start : start + 90]) == plumber_extract_text(chars[start : start + 90])
    found, expected = find_tables(page), page.find_tables()
    assert [(t.bbox, t.cells) for t in found] == [(t.bbox, t.cells) for t in expected]
    for t in found:
        for row in t.rows:
            for cell in row.cells:
                if cell is not None:
                    x0, top, x1, bottom = cell
                    inside = [
                        c
                        for c in chars
                        if x0 <= (c["x0"] + c["x1"]) / 2 < x1 and top <= (c["top"] + c["bottom"]) / 2 < bottom
                    ]
                    assert extract_text(inside) == plumber_extract_text(inside)
    boxes = [t.bbox for t in found]

    def keep(obj) -> bool:
        if obj["object_type"] == "char":
            x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
            return not any(x0 <= x < x1 and top <= y < bottom for x0, top, x1, bottom in boxes)
        return all(get_bbox_overlap(obj_to_bbox(obj), box) is None for box in boxes)

    rest = outside_tables(page, boxes)
    assert rest.objects == page.filter(keep).objects
    assert same_lines(text_lines(rest), page.filter(keep).extract_text_lines(strip=True, return_chars=True))


@pytest.mark.parametrize("path", SAMPLE_PDFS, ids=lambda p: p.name)
def test_fast_paths_read_sample_pages_as_pdfplumber_does(path):
    for page in pages(path):
        check_page(page)


def test_fast_paths_read_generated_pages_as_pdfplumber_does(generated):
    assert len(generated) == 5
    for path in generated:
        for page in pages(path):
            check_page(page)


def test_text_lines_edge_cases():
    """Ligatures (one char, two letters), an empty character (a word alone), whitespace
    characters, characters a little higher or lower, and text that is not upright
    (handed to pdfplumber)."""

    def char(text, x0, top, upright=True):
        return {
            "text": text,
            "x0": x0,
            "x1": x0 + 5,
            "top": top,
            "bottom": top + 10,
            "doctop": top,
            "upright": upright,
            "size": 10,
            "object_type": "char",
        }

    cases = [
        [char("a", 10, 100), char("ﬁ", 15, 100), char("b", 20, 101), char(" ", 25, 100), char("c", 30, 100)],
        [char("a", 10, 100), char("", 15, 100), char("b", 20, 100), char("c", 40, 102.5), char("d", 45, 106)],
        [char("x", 50, 100), char("y", 10, 100.5), char("z", 12, 99), char("w", 30, 200), char("(cid:3)", 35, 200)],
        [char("a", 10, 100, upright=False), char("b", 10, 110, upright=False), char("c", 30, 100)],
        [char(" ", 10, 100), char("\xa0", 15, 100)],
        [char("", 10, 100), char("a", 15, 100)],
        [char("a", 10, 100), char("b", 17.5, 100), char("c", 26, 100), char("d", 20, 100)],  # gaps of 2.5, 3.5 pt
    ]
    for chars in cases:
        assert extract_text(chars) == plumber_extract_text(chars)
        page = pdfplumber.page.Page.__new__(pdfplumber.page.Page)
        page._objects = {"char": chars}
        page.get_textmap = lambda **kw: pdfplumber.utils.chars_to_textmap(chars, presorted=True, **kw)
        assert same_lines(text_lines(page), page.extract_text_lines(strip=True, return_chars=True))
