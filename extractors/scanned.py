"""A page without a usable text layer (a scan), read by OCR: the page is rendered,
straightened, its ruled tables found (`extractors.ruling`), every cell OCR'd on its own
with the ruling removed, and the text outside the tables OCR'd as paragraphs. Cells
carry their page, grid position, spans and bounding box in PDF points, like the text
layer's; the page's record says it was read by OCR and with what confidence.

A cell in a column of figures ("9,91", "6/13") whose reading does not have the column's
shape is read a second time as a single line restricted to digits and separators; the
second reading is kept only when it has the shape. The only corrections made to what
OCR read are the unambiguous digit fixes of `extractors.ocr_repair`. Both are recorded.
"""
from __future__ import annotations

import numpy as np
from PIL import Image, ImageFilter, ImageOps

from parindex.extractors import ocr
from parindex.extractors.ocr_repair import column_shapes, fits, repair_table
from parindex.extractors.ruling import find_grids, ink_mask, skew_angle
from parindex.normalizer.text import collapse
from parindex.schemas import Cell, Paragraph, Table

DPI = 300
PAD = 12  # white border around a cell image, pixels
FIGURE_CHARS = "0123456789,./%+-"


def _cell_image(gray: np.ndarray, ink: np.ndarray, box: tuple[int, int, int, int], inset: int):
    """The inside of a cell with the ruling trimmed off, or None when it holds no ink."""
    x0, y0, x1, y1 = box
    x0, y0, x1, y1 = x0 + inset, y0 + inset, x1 - inset, y1 - inset
    if x1 - x0 < 4 or y1 - y0 < 4:
        return None
    if ink[y0:y1, x0:x1].sum() < 15:
        return None
    # stretched to black on white: tesseract misreads figures on grey scanned paper
    crop = np.asarray(ImageOps.autocontrast(Image.fromarray(gray[y0:y1, x0:x1]), cutoff=1))
    out = np.full((crop.shape[0] + 2 * PAD, crop.shape[1] + 2 * PAD), 255, dtype=np.uint8)
    out[PAD:-PAD, PAD:-PAD] = crop
    return Image.fromarray(out)


def _text_of(words: list[ocr.Word]) -> str:
    return "\n".join(" ".join(w.text for w in line) for line in ocr.lines_of(words))


def read_page(image: Image.Image, page_no: int, dpi: int = DPI) -> tuple[list[tuple[float, object]], dict]:
    """Blocks of one page image, each with its top (PDF points) for ordering, and the
    page's record ({"page", "path": "ocr", "confidence", "dpi", "angle", "repairs", ...})."""
    image = image.filter(ImageFilter.MedianFilter(3))  # scanner speckle
    angle = skew_angle(image)
    if angle:
        image = image.rotate(angle, resample=Image.BICUBIC, fillcolor=255, expand=False)
    gray = np.asarray(image)
    ink = ink_mask(gray)
    grids = find_grids(ink, dpi)
    to_pt = 72.0 / dpi
    inset = max(4, dpi // 40)

    crops, owners = [], []
    for g, grid in enumerate(grids):
        for k, (r0, c0, r1, c1) in enumerate(grid.cells):
            box = (grid.xs[c0], grid.ys[r0], grid.xs[c1 + 1], grid.ys[r1 + 1])
            img = _cell_image(gray, ink, box, inset)
            if img is not None:
                crops.append(img)
                owners.append((g, k))
    cell_words = ocr.ocr_images(crops, psm=6) if crops else []
    by_cell: dict[tuple[int, int], list[ocr.Word]] = {}
    for w in cell_words:
        by_cell.setdefault(owners[w.image], []).append(w)

    # the rest of the page: tables painted white
    rest = gray.copy()
    for grid in grids:
        x0, y0, x1, y1 = grid.bbox
        rest[max(0, y0 - inset):y1 + inset, max(0, x0 - inset):x1 + inset] = 255
    rest_words = ocr.ocr_images([ImageOps.autocontrast(Image.fromarray(rest), cutoff=1)], psm=3) if (ink.sum() and (rest < 128).sum() > 50) else []

    placed: list[tuple[float, object]] = []
    repairs: list[dict] = []
    rereads: list[dict] = []
    for g, grid in enumerate(grids):
        n_rows, n_cols = len(grid.ys) - 1, len(grid.xs) - 1
        rows: list[list[Cell | None]] = [[None] * n_cols for _ in range(n_rows)]
        for k, (r0, c0, r1, c1) in enumerate(grid.cells):
            bbox = tuple(round(v * to_pt, 1) for v in (grid.xs[c0], grid.ys[r0], grid.xs[c1 + 1], grid.ys[r1 + 1]))
            text = collapse(_text_of(by_cell.get((g, k), [])))
            origin = Cell(text=text, row=r0, col=c0, page=page_no, rowspan=r1 - r0 + 1, colspan=c1 - c0 + 1, bbox=bbox)
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    if rows[r][c] is None:
                        rows[r][c] = origin if (r, c) == (r0, c0) else Cell(
                            text=text, row=r, col=c, page=page_no, spanned=True, bbox=bbox)
        grid_rows = [[cell or Cell(text="", row=r, col=c, page=page_no) for c, cell in enumerate(row)]
                     for r, row in enumerate(rows)]
        table = Table(index=0, rows=grid_rows, page=page_no)
        rereads += [{"table_on_page": g + 1, **x} for x in _reread_figures(table, grid, gray, ink, inset)]
        for fix in repair_table(table):
            repairs.append({"table_on_page": g + 1, **fix})
        placed.append((grid.ys[0] * to_pt, table))

    for line_group in _paragraph_lines(rest_words):
        text = collapse(" ".join(" ".join(w.text for w in line) for line in line_group))
        if text:
            top = min(w.top for line in line_group for w in line) * to_pt
            placed.append((top, Paragraph(text=text, index=0, page=page_no)))
    placed.sort(key=lambda item: item[0])

    confs = [w.conf for w in cell_words + rest_words if w.conf >= 0]
    chars = [len(w.text) for w in cell_words + rest_words if w.conf >= 0]
    info = {
        "page": page_no, "path": "ocr", "dpi": dpi, "angle": angle,
        "confidence": round(sum(c * n for c, n in zip(confs, chars)) / sum(chars), 1) if chars else 0.0,
        "words": len(confs), "tables": len(grids), "rereads": rereads, "repairs": repairs,
    }
    return placed, info


def _reread_figures(table: Table, grid, gray: np.ndarray, ink: np.ndarray, inset: int) -> list[dict]:
    """Read again, as one line of digits, the cells of figure columns whose text lacks
    the column's shape; keep a second reading only when it has the shape."""
    shapes = column_shapes(table)
    todo = []
    for row in table.rows:
        for cell in row:
            shape = shapes.get(cell.col)
            if shape and not cell.spanned and cell.colspan == 1 and cell.rowspan == 1 and cell.text \
                    and not fits(cell.text, shape):
                box = (grid.xs[cell.col], grid.ys[cell.row], grid.xs[cell.col + 1], grid.ys[cell.row + 1])
                img = _cell_image(gray, ink, box, inset)
                if img is not None:
                    todo.append((cell, shape, img))
    if not todo:
        return []
    words = ocr.ocr_images([img for _, _, img in todo], psm=7, config={"tessedit_char_whitelist": FIGURE_CHARS})
    out = []
    for i, (cell, shape, _) in enumerate(todo):
        text = "".join(w.text for w in words if w.image == i)
        if fits(text, shape):
            out.append({"row": cell.row, "col": cell.col, "read": cell.text, "reread": text})
            cell.text = text
    return out


def _paragraph_lines(words: list[ocr.Word]) -> list[list[list[ocr.Word]]]:
    """Tesseract's paragraphs (block, par) as lists of lines."""
    out: dict[tuple[int, int], list[list[ocr.Word]]] = {}
    for line in ocr.lines_of(words):
        out.setdefault((line[0].block, line[0].par), []).append(line)
    return [out[k] for k in sorted(out)]
