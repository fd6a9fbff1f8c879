"""PDF with a text layer (pdfplumber): ruled tables with merged cells recovered from the
cell geometry, text outside tables grouped into paragraphs, everything in reading order
with page numbers and bounding boxes. Tables that run over pages are stitched later
(`extractors.stitch`)."""
from __future__ import annotations

import io
import re
from collections import Counter

import pdfplumber

from extractors.stitch import stitch
from normalizer.text import collapse, nfc
from schemas import Cell, ExtractedDocument, Paragraph, Table

LIST_START = re.compile(r"^(?:[-+•–]\s|\*\s|\d{1,2}(?:\.\d{1,2})*[.)]\s|[IVX]+\.\s|[a-zđ]\)\s)")


def _grid_from_table(t, page_no: int) -> list[list[Cell]]:
    raw = t.extract()
    boxes = [list(r.cells) for r in t.rows]
    if not raw:
        return []
    n_cols = max(len(r) for r in raw)
    col_x = sorted({round(b[0], 1) for row in boxes for b in row if b is not None})
    row_y = [round(r.bbox[1], 1) for r in t.rows]
    grid: list[list[Cell | None]] = [[None] * n_cols for _ in raw]
    for r, row in enumerate(raw):
        for c, text in enumerate(row):
            box = boxes[r][c] if r < len(boxes) and c < len(boxes[r]) else None
            if text is None or box is None:
                continue
            x0, top, x1, bottom = box
            cs = max(1, sum(1 for x in col_x if x0 - 1 <= x < x1 - 1))
            rs = max(1, sum(1 for y in row_y if top - 1 <= y < bottom - 1))
            origin = Cell(text=collapse(nfc(text)), row=r, col=c, page=page_no, rowspan=rs, colspan=cs,
                          bbox=(round(x0, 1), round(top, 1), round(x1, 1), round(bottom, 1)))
            grid[r][c] = origin
            for dr in range(rs):
                for dc in range(cs):
                    rr, cc = r + dr, c + dc
                    if (dr or dc) and rr < len(grid) and cc < n_cols and grid[rr][cc] is None:
                        grid[rr][cc] = Cell(text=origin.text, row=rr, col=cc, page=page_no, spanned=True, bbox=origin.bbox)
    return [[cell if cell is not None else Cell(text="", row=r, col=c, page=page_no) for c, cell in enumerate(row)]
            for r, row in enumerate(grid)]


def _paragraphs(lines: list[dict], page_no: int, right_edge: float) -> list[tuple[float, Paragraph]]:
    if not lines:
        return []
    sizes = Counter(round(ch["size"], 1) for ln in lines for ch in ln.get("chars", [])[:1])
    body = sizes.most_common(1)[0][0] if sizes else 10.0
    out: list[tuple[float, Paragraph]] = []
    cur: list[dict] = []

    def style(ln):
        ch = ln.get("chars") or [{}]
        bold = all("Bold" in (c.get("fontname") or "") for c in ch if c.get("text", " ").strip())
        return round(ch[0].get("size", body), 1), bold

    def flush():
        if not cur:
            return
        size, bold = style(cur[0])
        text = collapse(" ".join(ln["text"] for ln in cur))
        heading = 1 if bold and size > body + 0.5 else (2 if bold and len(text) < 200 and size >= body else 0)
        out.append((cur[0]["top"], Paragraph(text=text, index=0, page=page_no, heading=heading, bold=bold)))
        cur.clear()

    for ln in lines:
        if cur:
            prev = cur[-1]
            height = max(prev["bottom"] - prev["top"], 1.0)
            gap = ln["top"] - prev["bottom"]
            if (gap > 0.6 * height or style(ln) != style(prev) or LIST_START.match(ln["text"])
                    or prev["x1"] < right_edge * 0.8):
                flush()
        cur.append(ln)
    flush()
    return out


def extract_pdf(data: bytes, source: str) -> ExtractedDocument:
    blocks: list = []
    warnings: list[str] = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        n_pages = len(pdf.pages)
        for page_no, page in enumerate(pdf.pages, start=1):
            try:
                found = page.find_tables()
                placed: list[tuple[float, object]] = []
                rest = page
                for t in found:
                    rows = _grid_from_table(t, page_no)
                    if rows and len(rows[0]) >= 2:
                        placed.append((t.bbox[1], Table(index=0, rows=rows, page=page_no)))
                        rest = rest.outside_bbox(t.bbox)
                lines = rest.extract_text_lines(return_chars=True, strip=True)
                right = max((ln["x1"] for ln in lines), default=page.width)
                placed.extend(_paragraphs(lines, page_no, right))
                if not lines and not found and not page.chars:
                    warnings.append(f"{source}: page {page_no} has no text layer")
                placed.sort(key=lambda item: item[0])
                blocks.extend(b for _, b in placed)
            finally:
                page.close()
    return ExtractedDocument(source=source, format="pdf", blocks=stitch(blocks), pages=n_pages, warnings=warnings)
