"""Word .docx (python-docx): paragraphs and tables in body order; merged cells read once
with their span; a table nested in a cell becomes its own table, right after the table
that holds it; page numbers counted from explicit and rendered page breaks. Runs typed
in a legacy Vietnamese font (TCVN3 .VnTime, VNI-Times) are converted to Unicode, one
stretch of same-font runs at a time. A table typed as paragraphs, one row per line, is
rebuilt (`extractors.line_tables`)."""

from __future__ import annotations

import io

from docx import Document as open_docx
from docx.oxml.ns import qn
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

from parindex.extractors.legacy_fonts import repair
from parindex.extractors.line_tables import rebuild_line_tables
from parindex.extractors.stitch import stitch
from parindex.schemas import Cell, ExtractedDocument, Paragraph, Table
from parindex.vietnamese.folding import collapse, nfc


def _page_breaks(element) -> int:
    n = 0
    for br in element.iter(qn("w:br")):
        if br.get(qn("w:type")) == "page":
            n += 1
    n += sum(1 for _ in element.iter(qn("w:lastRenderedPageBreak")))
    return n


def _para_text(p: DocxParagraph) -> str:
    """The paragraph's text, each stretch of runs in one font decoded on its own."""
    runs = []
    for item in p.iter_inner_content():
        runs.extend(item.runs if hasattr(item, "runs") else [item])
    out: list[str] = []
    group: list[str] = []
    font = object()
    for run in runs:
        name = run.font.name
        if name != font and group:
            out.append(repair("".join(group)))
            group = []
        font = name
        group.append(run.text)
    if group:
        out.append(repair("".join(group)))
    return "".join(out)


def _is_bold(paragraphs) -> bool:
    runs = [r for p in paragraphs for r in p.runs if r.text.strip()]
    return bool(runs) and all(r.bold or (r.style is not None and r.style.font.bold) for r in runs)


def _heading_level(p: DocxParagraph) -> int:
    name = (p.style.name if p.style is not None else "") or ""
    if name.startswith("Heading"):
        digits = "".join(ch for ch in name if ch.isdigit())
        return int(digits) if digits else 1
    return 1 if name == "Title" else 0


def _table_rows(tbl: DocxTable, page: int, nested: list[Table] | None = None) -> list[list[Cell]]:
    """The grid of a Word table; tables nested in its cells are appended to `nested`
    (depth first), each as a table of its own."""
    rows: list[list[Cell]] = []
    seen: dict = {}  # tc element (kept alive) -> the Cell that holds its text
    for r, row in enumerate(tbl.rows):
        out: list[Cell] = []
        for c, cell in enumerate(row.cells):
            tc = cell._tc
            origin = seen.get(tc)
            if origin is not None:
                # python-docx repeats a merged cell for every grid position it covers
                if origin.row == r:
                    origin.colspan += 1
                elif origin.col == c:
                    origin.rowspan += 1
                out.append(Cell(text=origin.text, row=r, col=c, page=page, spanned=True, bold=origin.bold))
                continue
            text = "\n".join(_para_text(p) for p in cell.paragraphs)
            for inner in cell.tables:
                inner_nested: list[Table] = []
                inner_rows = _table_rows(inner, page, inner_nested)
                if nested is not None and inner_rows:
                    nested.append(Table(index=0, rows=inner_rows, page=page))
                    nested.extend(inner_nested)
            new = Cell(text=collapse(nfc(text)), row=r, col=c, page=page, bold=_is_bold(cell.paragraphs))
            seen[tc] = new
            out.append(new)
        rows.append(out)
    width = max((len(r) for r in rows), default=0)
    for r in rows:
        while len(r) < width:
            r.append(Cell(text="", row=r[0].row if r else 0, col=len(r), page=page))
    return rows


def extract_docx(data: bytes, source: str) -> ExtractedDocument:
    doc = open_docx(io.BytesIO(data))
    body = doc.element.body
    blocks: list = []
    page = 1
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            p = DocxParagraph(child, doc)
            breaks = _page_breaks(child)
            text = collapse(_para_text(p))
            if text:
                blocks.append(Paragraph(text=text, index=0, page=page, heading=_heading_level(p), bold=_is_bold([p])))
            page += breaks
        elif child.tag == qn("w:tbl"):
            tbl = DocxTable(child, doc)
            page += sum(1 for _ in child.iter(qn("w:lastRenderedPageBreak")))
            nested: list[Table] = []
            rows = _table_rows(tbl, page, nested)
            if rows:
                blocks.append(Table(index=0, rows=rows, page=page))
            blocks.extend(nested)
    return ExtractedDocument(source=source, format="docx", blocks=stitch(rebuild_line_tables(blocks)), pages=page)
