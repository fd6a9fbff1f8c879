"""PDF with a text layer (pdfplumber): ruled tables with merged cells recovered from the
cell geometry, tables without vertical ruling read from the text's alignment
(`extractors.aligned_tables`, only where lines of aligned figures are found), the other text
grouped into paragraphs, everything in reading order
with page numbers and bounding boxes. A table printed as paragraphs, one row per line, is
rebuilt (`extractors.line_tables`). Tables that run over pages are stitched later
(`extractors.stitch`).

A page without a usable text layer (a scan, or glyphs that only extract as "(cid:NN)")
is read by OCR instead (`extractors.scanned`), when Tesseract is installed. Text typed
in a legacy Vietnamese font (TCVN3, VNI) is converted to Unicode font by font. Each
page's record in `page_info` says which path read it.

Where pdfplumber's own code costs most (grouping characters into words and lines, a
table's cells from its ruling, the page without its tables), this module calls exact
equivalents that skip its overhead (`extractors.text_lines`, `find_tables`,
`outside_tables`; tests/test_pdf_speed_paths.py compares them with pdfplumber's)."""

from __future__ import annotations

import io
import re
from bisect import bisect_left
from collections import Counter, defaultdict
from typing import Self

import pdfplumber
import pypdfium2 as pdfium
from pdfplumber.table import Table as RuledTable
from pdfplumber.table import TableFinder, TableSettings, cells_to_tables, edges_to_intersections
from pdfplumber.utils import get_bbox_overlap, obj_to_bbox

from parindex.extractors.aligned_tables import HAS_FIGURES, find_text_tables, read_ruled_body
from parindex.extractors.legacy_fonts import (
    TCVN3,
    VNI_LETTERS,
    best_encoding,
    decode_tcvn3,
    legacy_char,
    vni_mark,
)
from parindex.extractors.line_tables import rebuild_line_tables
from parindex.extractors.pdfium_page import open_page
from parindex.extractors.stitch import stitch
from parindex.extractors.text_lines import extract_text, text_lines
from parindex.schemas import Cell, ExtractedDocument, Paragraph, Table
from parindex.vietnamese.folding import collapse, nfc

LIST_START = re.compile(r"^(?:[-+•–]\s|\*\s|\d{1,2}(?:\.\d{1,2})*[.)]\s|[IVX]+\.\s|[a-zđ]\)\s)")


def table_text(table) -> list[list[str | None]]:
    """The text of each cell of a pdfplumber table: exactly what `Table.extract()`
    returns (a character belongs to the cell its centre falls in, the cell's characters
    keep their page order), without its cost: `Table.extract` tests every character of
    the page against every row, whereas here the characters are sorted by their vertical
    centre once and each row takes its band by bisection; the cell's text is pdfplumber's
    `extract_text` (`extractors.text_lines`). `tests/test_extractors.py` compares the two
    on every sample PDF."""
    chars = table.page.chars
    rows = table.rows
    h_mids = [(c["x0"] + c["x1"]) / 2 for c in chars]
    mids = [(c["top"] + c["bottom"]) / 2 for c in chars]
    order = sorted(range(len(chars)), key=mids.__getitem__)
    v_mids = [mids[i] for i in order]
    out: list[list[str | None]] = []
    for row in rows:
        x0, top, x1, bottom = row.bbox
        band = sorted(order[bisect_left(v_mids, top) : bisect_left(v_mids, bottom)])
        row_chars = [(h_mids[i], mids[i], chars[i]) for i in band if x0 <= h_mids[i] < x1]
        texts: list[str | None] = []
        for cell in row.cells:
            if cell is None:
                texts.append(None)
                continue
            cx0, ctop, cx1, cbottom = cell
            inside = [c for x, y, c in row_chars if cx0 <= x < cx1 and ctop <= y < cbottom]
            texts.append(extract_text(inside) if inside else "")
        out.append(texts)
    return out


def _cells(intersections: dict) -> list[tuple]:
    """pdfplumber's `intersections_to_cells`: for each intersection, in (x, top) order,
    the smallest cell it is the top left corner of (the first point below it that an
    edge joins to it, then the first point right of it that an edge joins to it, whose
    opposite corner is an intersection both are joined to). pdfplumber turns each
    point's edges into a set again at every test and scans all later points for those
    below and right of it; here the sets are made once, the points below and right
    taken from the point's column and row, and whether an edge joins the point to a
    point on its right asked once, not again for every point below."""
    v = {p: set(map(obj_to_bbox, e["v"])) for p, e in intersections.items()}
    h = {p: set(map(obj_to_bbox, e["h"])) for p, e in intersections.items()}

    def connects(p1, p2) -> bool:
        return (p1[0] == p2[0] and not v[p1].isdisjoint(v[p2])) or (p1[1] == p2[1] and not h[p1].isdisjoint(h[p2]))

    points = sorted(intersections)
    columns: dict[float, list] = defaultdict(list)
    rows: dict[float, list] = defaultdict(list)
    at: dict[tuple, tuple[int, int]] = {}
    for p in points:
        at[p] = (len(columns[p[0]]), len(rows[p[1]]))
        columns[p[0]].append(p)
        rows[p[1]].append(p)
    cells = []
    for pt in points[:-1]:
        c, r = at[pt]
        right = rows[pt[1]][r + 1 :]
        if not right:
            continue
        joined: list[bool | None] = [None] * len(right)  # whether an edge joins pt to right[j], once asked
        found = None
        for below in columns[pt[0]][c + 1 :]:
            if not connects(pt, below):
                continue
            for j, right_pt in enumerate(right):
                if joined[j] is None:
                    joined[j] = connects(pt, right_pt)
                if not joined[j]:
                    continue
                corner = (right_pt[0], below[1])
                if corner in intersections and connects(corner, right_pt) and connects(corner, below):
                    found = (pt[0], pt[1], corner[0], corner[1])
                    break
            if found:
                break
        if found:
            cells.append(found)
    return cells


class _TableFinder(TableFinder):
    """pdfplumber's TableFinder with its default settings (what `page.find_tables()`
    uses), its cells found by `_cells`: the same tables, without the time pdfplumber's
    cell search takes on a page ruled into many cells."""

    def __init__(self, page):
        self.page = page
        self.settings = TableSettings.resolve(None)
        self.edges = self.get_edges()
        self.intersections = edges_to_intersections(
            self.edges, self.settings.intersection_x_tolerance, self.settings.intersection_y_tolerance
        )
        self.cells = _cells(self.intersections)
        self.tables = [RuledTable(self.page, group) for group in cells_to_tables(self.cells)]


def find_tables(page) -> list:
    """`page.find_tables()`, faster (`_TableFinder`)."""
    return _TableFinder(page).tables


COLLAPSED_LINES = 3  # a ruled cell with this many lines of figures holds several rows


def collapsed_row(table, texts: list[list[str | None]] | None = None) -> int | None:
    """The first row of a ruled grid that has no separators in its body: ruled only in
    its header (or only by an outer border), its body rows fall into one cell per column
    (or one cell across them all), which then holds several lines that each carry a
    figure. None for a grid whose rows are ruled. `texts`: the grid's `table_text`, when
    the caller has it."""
    for r, row in enumerate(table_text(table) if texts is None else texts):
        for text in row:
            lines = [ln for ln in (text or "").split("\n") if ln.strip()]
            with_figures = sum(1 for ln in lines if HAS_FIGURES.search(ln))
            if with_figures >= COLLAPSED_LINES and with_figures * 2 >= len(lines):
                return r
    return None


def collapsed_body(table) -> bool:
    """Whether a ruled grid has no separators in its body (`collapsed_row`). Such a table
    is read from the text's alignment instead: within the columns its header rules draw
    (`ruled_body_table`), or, with no ruled header, like a table with horizontal rules
    only (`extractors.aligned_tables.find_text_tables`)."""
    return collapsed_row(table) is not None


def ruled_body_table(page, table, row: int, page_no: int) -> Table | None:
    """The grid `table` whose body from `row` on is one cell, read by the alignment of its
    text within the columns that the rows above (its ruled header) draw. None when those
    rows draw fewer than two columns (a grid ruled only by its border)."""
    x0, top, x1, bottom = table.bbox
    edges = sorted({round(c[0], 1) for r in table.rows[:row] for c in r.cells if c is not None} | {round(x1, 1)})
    if row == 0 or len(edges) < 3:
        return None
    inside = page.filter(
        lambda o: (
            o["object_type"] == "char"
            and x0 <= (o["x0"] + o["x1"]) / 2 < x1
            and top <= (o["top"] + o["bottom"]) / 2 < bottom
        )
    )
    lines = text_lines(inside)
    return read_ruled_body(lines, edges, table.rows[row].bbox[1], page_no)


def _grid_from_table(t, page_no: int, raw: list[list[str | None]]) -> list[list[Cell]]:
    """The cells of the pdfplumber table `t`, whose text (`table_text`) is `raw`."""
    table_rows = t.rows
    boxes = [list(r.cells) for r in table_rows]
    if not raw:
        return []
    n_cols = max(len(r) for r in raw)
    col_x = sorted({round(b[0], 1) for row in boxes for b in row if b is not None})
    row_y = sorted(round(r.bbox[1], 1) for r in table_rows)
    grid: list[list[Cell | None]] = [[None] * n_cols for _ in raw]
    for r, row in enumerate(raw):
        for c, text in enumerate(row):
            box = boxes[r][c] if r < len(boxes) and c < len(boxes[r]) else None
            if text is None or box is None:
                continue
            x0, top, x1, bottom = box
            # the columns and rows that start within the cell: those in [start - 1, end - 1)
            cs = max(1, bisect_left(col_x, x1 - 1) - bisect_left(col_x, x0 - 1))
            rs = max(1, bisect_left(row_y, bottom - 1) - bisect_left(row_y, top - 1))
            origin = Cell(
                text=collapse(nfc(text)),
                row=r,
                col=c,
                page=page_no,
                rowspan=rs,
                colspan=cs,
                bbox=(round(x0, 1), round(top, 1), round(x1, 1), round(bottom, 1)),
            )
            grid[r][c] = origin
            for dr in range(rs):
                for dc in range(cs):
                    rr, cc = r + dr, c + dc
                    if (dr or dc) and rr < len(grid) and cc < n_cols and grid[rr][cc] is None:
                        grid[rr][cc] = Cell(
                            text=origin.text, row=rr, col=cc, page=page_no, spanned=True, bbox=origin.bbox
                        )
    return [
        [cell if cell is not None else Cell(text="", row=r, col=c, page=page_no) for c, cell in enumerate(row)]
        for r, row in enumerate(grid)
    ]


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
            if (
                gap > 0.6 * height
                or style(ln) != style(prev)
                or LIST_START.match(ln["text"])
                or prev["x1"] < right_edge * 0.8
            ):
                flush()
        cur.append(ln)
    flush()
    return out


def _horizontal_rules(page) -> list[tuple[float, float, float]]:
    """Horizontal rules drawn on the page as (y, x0, x1): lines, and rectangles thinner
    than 2 pt (how Word exports a border)."""
    out = [
        ((ln["top"] + ln["bottom"]) / 2, ln["x0"], ln["x1"]) for ln in page.lines if abs(ln["top"] - ln["bottom"]) < 2
    ]
    out += [
        ((r["top"] + r["bottom"]) / 2, r["x0"], r["x1"])
        for r in page.rects
        if r["bottom"] - r["top"] < 2 and r["x1"] - r["x0"] > 10
    ]
    return out


def outside_tables(page, boxes: list[tuple[float, float, float, float]]):
    """The page without its tables: a character goes with a table when its centre is
    inside it (as a cell takes its characters, `table_text`), so a heading set right on
    a table's top rule keeps the letters whose descenders touch it; other objects (the
    table's rules) go when they touch the table."""
    if not boxes:
        return page

    def keep(obj) -> bool:  # not a character: those are filtered below
        return all(get_bbox_overlap(obj_to_bbox(obj), box) is None for box in boxes)

    rest = page.filter(keep)
    # what `rest.objects` would filter object by object, the characters a box at a time
    objects = {}
    for kind, objs in page.objects.items():
        if kind == "char":
            for x0, top, x1, bottom in boxes:
                objs = [
                    c
                    for c in objs
                    if not (x0 <= (c["x0"] + c["x1"]) / 2 < x1 and top <= (c["top"] + c["bottom"]) / 2 < bottom)
                ]
            objects[kind] = objs
        else:
            objects[kind] = list(filter(keep, objs))
    rest._objects = objects
    return rest


MIN_TEXT_CHARS = 20  # fewer readable characters than this on a page covered by an image: a scan
GARBAGE_SHARE = 0.05  # more unmappable glyphs than this share of the characters: the layer is unusable
CID = re.compile(r"^\(cid:\d+\)$")


def text_layer_state(page) -> str:
    """'text' when the page's text layer can be read, 'ocr' when the page must be OCR'd
    (no text, too little over a page-sized image, or more than a few "(cid:NN)" glyphs:
    Vietnamese letters lost to a font without a Unicode map), 'empty' for a blank page."""
    chars = [c.get("text", "") for c in page.chars]
    visible = [t for t in chars if t.strip()]
    garbage = visible.count("\ufffd") + len([t for t in visible if len(t) > 1 and CID.match(t)])
    good = len(visible) - garbage
    if garbage >= 5 and garbage > GARBAGE_SHARE * len(visible):
        return "ocr"
    if good >= MIN_TEXT_CHARS:
        return "text"
    area = float(page.width * page.height) or 1.0
    covered = sum(max(0.0, (i["x1"] - i["x0"]) * (i["bottom"] - i["top"])) for i in page.images) / area
    if covered > 0.3 or (not good and (page.images or page.curves or page.rects or page.lines)):
        return "ocr"
    return "text" if good else "empty"


def _spaced_text(chars: list[dict]) -> tuple[str, list[dict | None]]:
    """The characters of one font with spaces where the layout leaves a gap, and for
    each character of that text the char it came from (None for an added space)."""
    out: list[str] = []
    owners: list[dict | None] = []
    prev = None
    for ch in chars:
        if prev is not None:
            size = max(prev.get("size", 10.0), 1.0)
            if abs(ch["top"] - prev["top"]) > size * 0.5 or ch["x0"] - prev["x1"] > size * 0.2:
                out.append(" ")
                owners.append(None)
        t = ch.get("text", "")
        out.append(t)
        owners.append(ch if len(t) == 1 else None)
        prev = ch
    return "".join(out), owners


def decode_legacy_fonts(page) -> dict[str, str]:
    """Convert, in place, the characters of every font whose text reads as TCVN3 or VNI
    (see `extractors.legacy_fonts`); the fonts converted and their encoding."""
    by_font: dict[str, list[dict]] = defaultdict(list)
    for ch in page.chars:
        by_font[ch.get("fontname", "")].append(ch)
    done = {}
    for font, chars in by_font.items():
        letters = "".join([ch.get("text", "") for ch in chars])
        if letters.isascii() or not all(map(legacy_char, letters)):
            continue  # what best_encoding answers first, without spacing the text
        text, owners = _spaced_text(chars)
        enc = best_encoding(text)
        if enc is None:
            continue
        done[font] = enc
        if enc == "tcvn3":
            decoded = decode_tcvn3(text)
            if len(decoded) == len(text):  # one character out for each in: give each char its own
                for owner, t in zip(owners, decoded):
                    if owner is not None:
                        owner["text"] = t
                continue
        prev = None
        for ch in chars:
            t = ch.get("text", "")
            if enc == "tcvn3":
                ch["text"] = TCVN3.get(t, t)
                continue
            adjacent = prev is not None and abs(ch["top"] - prev["top"]) < 1 and ch["x0"] - prev["x1"] < 1
            mark = vni_mark(prev["text"][-1:], t) if adjacent and prev["text"] else None
            if mark is not None:
                ch["text"] = mark  # a combining mark, composed with its letter by NFC later
            else:
                ch["text"] = VNI_LETTERS.get(t, t)
            prev = ch
    return done


def _open_pdfplumber(data: bytes, source: str):
    try:
        return pdfplumber.open(io.BytesIO(data))
    except Exception as exc:
        if any("Password" in type(a).__name__ for a in (*getattr(exc, "args", ()), exc.__context__)):
            from parindex.extractors import ExtractionError

            raise ExtractionError(f"{source}: the PDF is password-protected; not read") from exc
        raise


LAYOUTS = ("pdfium", "pdfminer")  # who lays a page's characters and ruling out for pdfplumber


class _Pages:
    """The pages of a PDF, each read by pdfium where it can stand in for pdfminer
    (`extractors.pdfium_page`), else by pdfplumber, opened only when a page needs it.
    A file pdfium cannot open is read by pdfplumber throughout (and its errors, such as
    a password, are pdfplumber's)."""

    def __init__(self, data: bytes, source: str, layout: str = "pdfium"):
        if layout not in LAYOUTS:
            raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}, not {layout!r}")
        self.data, self.source = data, source
        self.plumber = None
        self.pdfium = None
        if layout == "pdfium":
            try:
                self.pdfium = pdfium.PdfDocument(data)
            except pdfium.PdfiumError:
                pass
        if self.pdfium is None:
            self.plumber = _open_pdfplumber(data, source)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        if self.pdfium is not None:
            self.pdfium.close()
        if self.plumber is not None:
            self.plumber.close()

    def __len__(self) -> int:
        return len(self.pdfium) if self.pdfium is not None else len(self.plumber.pages)

    def page(self, page_no: int):
        if self.pdfium is not None:
            fast = open_page(self.pdfium, page_no - 1)
            if fast is not None:
                return fast
        if self.plumber is None:
            self.plumber = _open_pdfplumber(self.data, self.source)
        return self.plumber.pages[page_no - 1]


def extract_pdf(data: bytes, source: str, layout: str = "pdfium") -> ExtractedDocument:
    """The document's blocks, page by page. `layout` says who reads each page's
    characters and ruling: pdfium where it can (`extractors.pdfium_page`, the default),
    or pdfminer, pdfplumber's own, for every page (the two give the same blocks on the
    samples and the generated corpus: tests/test_pdf_layout.py)."""
    blocks: list = []
    warnings: list[str] = []
    page_info: list[dict] = []
    ocr_ready: bool | None = None
    carry: dict = {}  # the scanned table that ended the last page read by OCR (scanned.read_page)
    with _Pages(data, source, layout) as pdf:
        n_pages = len(pdf)
        for page_no in range(1, n_pages + 1):
            page = pdf.page(page_no)
            try:
                state = text_layer_state(page)
                if state == "ocr":
                    from parindex.extractors import ocr

                    if ocr_ready is None:
                        ocr_ready = ocr.available()
                    if ocr_ready:
                        from parindex.extractors.scanned import DPI, read_page

                        placed, info = read_page(ocr.render_page(data, page_no - 1, DPI), page_no, DPI, carry)
                        page_info.append(info)
                        blocks.extend(b for _, b in placed)
                        if info["repairs"]:
                            warnings.append(
                                f"{source}: page {page_no}: {len(info['repairs'])} OCR digit misreads fixed"
                            )
                        continue
                    warnings.append(
                        f"{source}: page {page_no} has no usable text layer and OCR is not installed "
                        "(tesseract-ocr, tesseract-ocr-vie)"
                    )
                    page_info.append({"page": page_no, "path": "none"})
                    continue
                fonts = decode_legacy_fonts(page)
                page_info.append({"page": page_no, "path": state, **({"legacy_fonts": fonts} if fonts else {})})
                found = find_tables(page)
                placed: list[tuple[float, object]] = []
                boxes = []
                for t in found:
                    texts = table_text(t)
                    row = collapsed_row(t, texts)
                    if row is not None:
                        table = ruled_body_table(page, t, row, page_no)
                        if table is not None:
                            placed.append((t.bbox[1], table))
                            boxes.append(t.bbox)
                        continue  # else left on the page for the text's alignment (extractors.columns)
                    rows = _grid_from_table(t, page_no, texts)
                    if rows and len(rows[0]) >= 2:
                        placed.append((t.bbox[1], Table(index=0, rows=rows, page=page_no)))
                        boxes.append(t.bbox)
                rest = outside_tables(page, boxes)
                lines = text_lines(rest)
                right = max((ln["x1"] for ln in lines), default=page.width)
                text_tables, prose = find_text_tables(lines, page_no, lambda: _horizontal_rules(rest))
                placed.extend(text_tables)
                placed.extend(_paragraphs(prose, page_no, right))
                if not lines and not found and not page.chars:
                    warnings.append(f"{source}: page {page_no} has no text layer")
                placed.sort(key=lambda item: item[0])
                blocks.extend(b for _, b in placed)
            finally:
                page.close()
    return ExtractedDocument(
        source=source,
        format="pdf",
        blocks=stitch(rebuild_line_tables(blocks)),
        pages=n_pages,
        warnings=warnings,
        page_info=page_info,
    )
