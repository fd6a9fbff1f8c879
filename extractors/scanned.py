"""A page without a usable text layer (a scan), read by OCR: the page is rendered in
colour, a seal's red or a signature's blue lifted off it (`drop_colour_ink`), the page
straightened, its ruled tables found (`extractors.ruling`, band by band), every cell
that holds ink OCR'd on its own with the ruling removed (a cell of one line as a single
line, the others as a block; ink read as nothing read again with its strokes thinned,
then at half the size), and the text outside the tables OCR'd as paragraphs at
half the resolution (bold told by how much ink their words hold). Cells carry their page, grid
position, spans, bounding box in PDF points like the text layer's, and the confidence
of their reading; the page's record says it was read by OCR and with what confidence.

A cell in a column of figures ("9,91", "6/13") whose reading does not have the column's
shape is read a second time as a single line restricted to digits and separators; the
second reading is kept only when it has the shape. Then `extractors.ocr_repair` repairs
what the table's structure and the document allow only one reading of (the years and
units its prose names so far, the codes of the page before where its table continues
here), and lists the cells that stay in doubt. Rereads, repairs and doubts are all in the page's record.
"""

from __future__ import annotations

import math

import numpy as np
from PIL import Image, ImageFilter, ImageOps

from parindex.extractors import ocr
from parindex.extractors.ocr_repair import (
    UNCERTAIN_BELOW,
    column_shapes,
    comma_decimals,
    document_units,
    document_years,
    fits,
    repair_codes,
    repair_headers,
    repair_romans,
    repair_table,
    repair_units,
    repair_years,
    uncertain_cells,
)
from parindex.extractors.ruling import Grid, find_grids, ink_mask, long_runs, skew_angle
from parindex.extractors.stitch import _continues, _is_furniture
from parindex.schemas import Cell, Paragraph, Table
from parindex.vietnamese.folding import collapse

DPI = 300
PAD = 12  # white border around a cell image, pixels
FIGURE_CHARS = "0123456789,./%+-"
# share of the page's height a dark band covers to be its edge (a copier's margin), not a
# rule; a table's rules cover as much of a landscape page, but a band is wider than a rule
PAGE_EDGE = 0.8
BOLD_INK = 1.25  # a paragraph this much inkier than the page's usual one is set in bold (a heading)
# spread between a pixel's channels above which it holds coloured ink (not grey print),
# and above which it is the ink alone, solid
COLOUR_INK = 12
SOLID_INK = 48
INK_ALONE = 0.9  # of the ink's own grey on paper: a coloured pixel this light has no print under it
# A cell whose ink is at most this many times as tall as the page's usual cell (a line of
# figures) holds one line, and is read as one (tesseract's single-line mode skips finding
# the lines: half the time). Two lines stand more than twice as tall as one.
ONE_LINE = 1.8
# The text outside the tables is read at this resolution (the rendering reduced by a
# whole factor): body text reads the same at 150 dpi as at 300, in three quarters of
# tesseract's time; cells keep the full resolution, which small figures need.
REST_DPI = 150


def drop_colour_ink(image: Image.Image) -> tuple[Image.Image, Image.Image, tuple[int, int, int, int] | None]:
    """The page in grey with coloured ink (a red seal, a blue signature) lifted off it,
    twice: for finding the rules, and for reading the text; and the box outside which
    the two are the same (None: the same image, no coloured ink on the page).

    Print is black or grey, so a pixel whose channels differ holds ink laid over it. Ink
    multiplies what is under it, so its saturation is the same over paper and over print,
    and tells how much ink a pixel holds: full ink darkens by the factor seen on the ink
    alone (its grey over the paper's), less ink by less. Dividing a pixel's grey by its
    factor gives the print underneath: a figure or a rule under a seal stays as dark as
    printed. Grey rather than the ink's own channel, because JPEG keeps colour at half
    resolution and a thin rule under a seal takes the seal's colour in every channel.

    A thin rule under a seal is barely darker than the seal: the page for the rules keeps
    every lifted pixel (the seal's faint outline is no straight line); the page for the
    text turns each pixel no darker than the ink alone into paper (the outline would
    be read as marks beside the figures)."""
    if image.mode == "L":
        return image, image, None
    gray_page = image.convert("L")
    box = _coloured_box(np.asarray(image.convert("RGB").reduce(4)), 4)
    if box is None:
        return gray_page, gray_page, None
    x0, y0, x1, y1 = box
    paper = float(np.percentile(np.asarray(gray_page)[::8, ::8], 90))
    rules_part, text_part = _lift(np.asarray(image.crop(box).convert("RGB")), np.asarray(gray_page.crop(box)), paper)
    rules, text = gray_page.copy(), gray_page.copy()
    rules.paste(Image.fromarray(rules_part), (x0, y0))
    text.paste(Image.fromarray(text_part), (x0, y0))
    return rules, text, box


def _coloured_box(small: np.ndarray, scale: int) -> tuple[int, int, int, int] | None:
    """The box (full-size pixels) around the solid coloured ink of a reduced page, with a
    margin; None when there is no coloured ink (JPEG's colour noise is not solid)."""
    spread = small.max(axis=2).astype(np.int16) - small.min(axis=2)
    ys, xs = np.nonzero(spread > SOLID_INK)
    if ys.size < 20:
        return None
    margin = 8
    h, w = small.shape[:2]
    return (
        max(0, int(xs.min()) - margin) * scale,
        max(0, int(ys.min()) - margin) * scale,
        min(w, int(xs.max()) + margin + 1) * scale,
        min(h, int(ys.max()) + margin + 1) * scale,
    )


def _lift(rgb: np.ndarray, gray: np.ndarray, paper: float) -> tuple[np.ndarray, np.ndarray]:
    """`drop_colour_ink` on one part of the page: (for the rules, for the text)."""
    top, low = rgb.max(axis=2), rgb.min(axis=2)
    where = np.nonzero((top - low) > COLOUR_INK)  # uint8: top >= low, no wrap
    if not where[0].size:
        return gray, gray
    pixels = rgb[where].astype(np.float32)
    high = pixels.max(axis=1)
    spread = high - pixels.min(axis=1)
    saturation = spread / np.maximum(high, 1.0)
    dominant = pixels.argmax(axis=1)
    under = gray[where].astype(np.float32)
    lifted = under.copy()
    alone = np.zeros(under.shape, dtype=bool)
    for channel in range(3):
        ink = dominant == channel
        solid = ink & (spread > SOLID_INK)
        if solid.sum() < 50:
            lifted[ink] = np.maximum(under[ink], high[ink])
            continue
        level = float(np.percentile(under[solid], 75))  # the ink alone on paper
        darkening = 1.0 - min(level / paper, 1.0)
        amount = np.minimum(saturation[ink] / float(np.median(saturation[solid])), 1.0)
        lifted[ink] = under[ink] / np.maximum(1.0 - amount * darkening, 0.05)
        alone |= ink & (under >= INK_ALONE * level)
    rules = gray.copy()
    rules[where] = np.minimum(lifted, 255).astype(np.uint8)
    text = rules.copy()
    text[where[0][alone], where[1][alone]] = int(paper)
    return rules, text


def median3(gray: np.ndarray) -> np.ndarray:
    """The 3x3 median of a grey page (edges repeated), the same as PIL's MedianFilter(3)
    at an eighth of its time: each pixel's column of three sorted, the median is the
    median of the largest low, the middle middle and the smallest high of its row of three."""
    p = np.pad(gray, 1, mode="edge")
    above, at, below = p[:-2], p[1:-1], p[2:]
    low1, high1 = np.minimum(above, at), np.maximum(above, at)
    low, rest = np.minimum(low1, below), np.maximum(low1, below)
    mid, high = np.minimum(high1, rest), np.maximum(high1, rest)
    max_low = np.maximum(np.maximum(low[:, :-2], low[:, 1:-1]), low[:, 2:])
    min_high = np.minimum(np.minimum(high[:, :-2], high[:, 1:-1]), high[:, 2:])
    return _median_of_three(max_low, _median_of_three(mid[:, :-2], mid[:, 1:-1], mid[:, 2:]), min_high)


def _median_of_three(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    return np.maximum(np.minimum(a, b), np.minimum(np.maximum(a, b), c))


def _despeckle(image: Image.Image) -> Image.Image:
    """Scanner speckle removed (3x3 median)."""
    return Image.fromarray(median3(np.asarray(image)))


def _level(image: Image.Image, angle: float, origin: tuple[int, int] = (0, 0), page=None) -> Image.Image:
    """The page turned by `angle` (degrees, counter-clockwise) about its centre; or the
    part of a page of size `page` that starts at `origin`, turned as its page would be."""
    w, h = page or image.size
    center = (w / 2 - origin[0], h / 2 - origin[1])
    return image.rotate(angle, resample=Image.BICUBIC, fillcolor=255, expand=False, center=center)


def _redone_near(done: Image.Image, other: Image.Image, box: tuple[int, int, int, int], reach: int, step):
    """`step` of `other`, where `done` is `step` of a page that `other` differs from
    only inside `box`, and `step` makes each pixel from the pixels less than `reach` away
    (`step(part, origin)` takes a part of the page and where it starts): `done` with what
    lies within `reach` of `box` made again from `other`. The same image as `step` of
    the whole of `other`, in a fraction of its time (a seal or a signature covers a part
    of the page)."""
    w, h = other.size
    x0, y0, x1, y1 = box
    near = (max(0, x0 - reach), max(0, y0 - reach), min(w, x1 + reach), min(h, y1 + reach))
    source = (max(0, x0 - 2 * reach), max(0, y0 - 2 * reach), min(w, x1 + 2 * reach), min(h, y1 + 2 * reach))
    part = step(other.crop(source), source[:2])
    out = done.copy()
    sx, sy = source[:2]
    out.paste(part.crop((near[0] - sx, near[1] - sy, near[2] - sx, near[3] - sy)), near[:2])
    return out


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


def _grids(ink: np.ndarray, dpi: int) -> list[Grid]:
    """The ruled tables of the page, found band by band: a band is a run of rows crossed
    by vertical rules, so two tables stacked with prose between them stay two tables
    even when deskewing lines their borders up in one pixel column."""
    min_len = max(20, int(dpi * 0.2))
    vertical = long_runs(ink.T, min_len, max(1, dpi // 100)).T  # as find_grids finds the rules
    ruled = _off_margin(vertical, dpi).any(axis=1)
    pad = max(3, dpi // 60) * 3
    grids = []
    for start, end in _runs(ruled):
        y0, y1 = max(0, start - pad), min(len(ruled), end + pad)
        for grid in find_grids(ink[y0:y1], dpi):
            grid.ys = [y + y0 for y in grid.ys]
            grids.append(grid)
    return grids


def _runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """(first, last + 1) of each run of True."""
    padded = np.concatenate(([False], flags, [False])).astype(np.int8)
    edges = np.diff(padded)
    return list(zip(np.nonzero(edges == 1)[0].tolist(), np.nonzero(edges == -1)[0].tolist()))


def _confidence(words: list[ocr.Word], inked: bool) -> float | None:
    """How surely a cell was read: its least sure word; 0 for ink read as nothing; None
    for a cell without ink (surely empty, not a reading)."""
    confs = [w.conf for w in words if w.conf >= 0]
    if confs:
        return round(min(confs), 1)
    return 0.0 if inked else None


def _split_on_read_rules(table: Table) -> None:
    """A cell merged across columns whose reading holds a vertical rule ("5,00 | 1/13")
    spans a boundary the ruling lost (under a seal, in a faded copy): split the reading
    at the rule into the columns it spans, when it gives one part per column."""
    for row in table.rows:
        for cell in row:
            if cell.spanned or cell.colspan < 2 or cell.rowspan > 1 or "|" not in cell.text:
                continue
            parts = [p.strip() for p in cell.text.split("|")]
            parts = [p for p in parts if p and p not in ("I", "l")] if len(parts) > cell.colspan else parts
            if len(parts) != cell.colspan or not all(parts):
                continue
            covered = [row[c] for c in range(cell.col, cell.col + cell.colspan)]
            for k, (other, text) in enumerate(zip(covered, parts)):
                other.text, other.spanned, other.colspan = text, False, 1
                other.confidence = cell.confidence
                if cell.bbox is not None:
                    x0, top, x1, bottom = cell.bbox
                    w = (x1 - x0) / len(parts)
                    other.bbox = (round(x0 + k * w, 1), top, round(x0 + (k + 1) * w, 1), bottom)


def _copy_to_spanned(table: Table) -> None:
    """Covered positions of a merged cell take its text and confidence after repair."""
    origins = {(c.bbox, c.row, c.col): c for r in table.rows for c in r if not c.spanned}
    by_bbox = {c.bbox: c for c in origins.values() if c.bbox is not None and (c.rowspan > 1 or c.colspan > 1)}
    for row in table.rows:
        for cell in row:
            origin = by_bbox.get(cell.bbox) if cell.spanned else None
            if origin is not None:
                cell.text, cell.confidence = origin.text, origin.confidence


def _text_of(words: list[ocr.Word]) -> str:
    return "\n".join(" ".join(w.text for w in line) for line in ocr.lines_of(words))


def read_page(
    image: Image.Image, page_no: int, dpi: int = DPI, carry: dict | None = None
) -> tuple[list[tuple[float, object]], dict]:
    """Blocks of one page image, each with its top (PDF points) for ordering, and the
    page's record ({"page", "path": "ocr", "confidence", "dpi", "angle", "repairs", ...}).

    `carry` passes a table from page to page: read_page leaves in it the table that ends
    its page ({"page", "table"}), and a table at the top of the next page that continues
    it (as `extractors.stitch` joins them) has its codes repaired after that table's."""
    # the page for the text differs from the one for the rules only around the coloured
    # ink: each step is taken on the whole page once, and again only around the ink
    for_rules, for_text, box = drop_colour_ink(image)
    despeckled = _despeckle(for_rules)
    if box is not None:
        for_text = _redone_near(despeckled, for_text, box, 4, lambda part, at: _despeckle(part))
    for_rules = despeckled
    angle = skew_angle(for_rules)
    factor = max(1, dpi // REST_DPI)
    if box is None and factor > 1 and not _may_hold_rules(np.asarray(despeckled), dpi):
        return _prose_page(despeckled, angle, factor, page_no, dpi, carry)
    if angle:
        leveled = _level(for_rules, angle)
        if box is not None:
            # how far turning moves a pixel, and bicubic's reach
            reach = math.ceil(math.radians(abs(angle)) * math.hypot(*image.size) / 2) + 4
            for_text = _redone_near(leveled, for_text, box, reach, lambda part, at: _level(part, angle, at, image.size))
        for_rules = leveled
    for_text = for_rules if box is None else for_text
    rules_ink = ink_mask(np.asarray(for_rules))
    grids = _grids(rules_ink, dpi)
    gray = np.asarray(for_text)
    ink = rules_ink if for_text is for_rules else ink_mask(gray)
    to_pt = 72.0 / dpi
    inset = max(4, dpi // 40)

    # only cells with ink are read (an empty cell is surely empty)
    crops, owners, heights = [], [], []
    images: dict[tuple[int, int, int, int], Image.Image] = {}  # kept for the second reading of figures
    for g, grid in enumerate(grids):
        for k, (r0, c0, r1, c1) in enumerate(grid.cells):
            box = (grid.xs[c0], grid.ys[r0], grid.xs[c1 + 1], grid.ys[r1 + 1])
            img = _cell_image(gray, ink, box, inset)
            if img is not None:
                crops.append(img)
                owners.append((g, k))
                heights.append(_ink_lines(ink, box, inset, max(2, dpi // 100)))
                images[box] = img
    inked = set(owners)

    def crop(box: tuple[int, int, int, int]) -> Image.Image | None:
        """A cell's image: the one read the first time, or cut now (a cell split off a merged one)."""
        return images[box] if box in images else _cell_image(gray, ink, box, inset)

    by_cell: dict[tuple[int, int], list[ocr.Word]] = {}
    cell_words: list[ocr.Word] = []
    for owner, words in zip(owners, _read_cells(crops, heights)):
        by_cell[owner] = words
        cell_words += words

    # the rest of the page: tables painted over with the paper's grey, read at REST_DPI.
    # Not white: where a table covers most of the page, autocontrast would take the white
    # for the paper and turn the real paper (a scan's 236) grey, which Tesseract's
    # thresholding then reads as one dark area: no word of the title was read
    rest = gray.copy()
    paper = int(np.percentile(gray[::8, ::8], 90)) if grids else 255
    for grid in grids:
        x0, y0, x1, y1 = grid.bbox
        rest[max(0, y0 - inset) : y1 + inset, max(0, x0 - inset) : x1 + inset] = paper
    rest_words = ocr.scaled(_text_words(Image.fromarray(rest).reduce(factor), ink, int((rest < 128).sum())), factor)

    prose = _prose(rest_words, ink, page_no, to_pt)
    # the table the previous page ended with, which the first table here may continue
    # when nothing but furniture (a page number) stands above it
    ended = carry.get("table") if carry and carry.get("page") == page_no - 1 else None
    # the years and units the document's prose names so far (a title comes before its tables)
    years, units = _named_so_far(prose, carry)
    if ended is not None and grids:
        above = [b for top, b in prose if top < grids[0].ys[0] * to_pt and not _is_furniture(b)]
        ended = None if above else ended

    placed: list[tuple[float, object]] = []
    repairs: list[dict] = []
    rereads: list[dict] = []
    uncertain: list[dict] = []
    for g, grid in enumerate(grids):
        n_rows, n_cols = len(grid.ys) - 1, len(grid.xs) - 1
        rows: list[list[Cell | None]] = [[None] * n_cols for _ in range(n_rows)]
        for k, (r0, c0, r1, c1) in enumerate(grid.cells):
            bbox = tuple(round(v * to_pt, 1) for v in (grid.xs[c0], grid.ys[r0], grid.xs[c1 + 1], grid.ys[r1 + 1]))
            words = by_cell.get((g, k), [])
            text = collapse(_text_of(words))
            origin = Cell(
                text=text,
                row=r0,
                col=c0,
                page=page_no,
                rowspan=r1 - r0 + 1,
                colspan=c1 - c0 + 1,
                bbox=bbox,
                confidence=_confidence(words, (g, k) in inked),
            )
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    if rows[r][c] is None:
                        rows[r][c] = (
                            origin
                            if (r, c) == (r0, c0)
                            else Cell(text=text, row=r, col=c, page=page_no, spanned=True, bbox=bbox)
                        )
        grid_rows = [
            [cell or Cell(text="", row=r, col=c, page=page_no) for c, cell in enumerate(row)]
            for r, row in enumerate(rows)
        ]
        table = Table(index=0, rows=grid_rows, page=page_no)
        _split_on_read_rules(table)
        rereads += [{"table_on_page": g + 1, **x} for x in _reread_figures(table, grid, crop)]
        fixes = repair_headers(table)
        year_fixes, year_doubts = repair_years(table, years)
        fixes += (
            year_fixes + repair_units(table, units) + repair_table(table) + comma_decimals(table) + repair_romans(table)
        )
        before = ended if g == 0 and ended is not None and _continues(ended, table) is not None else None
        fixes += repair_codes(table, before=before)
        repairs += [{"table_on_page": g + 1, **fix} for fix in fixes]
        _copy_to_spanned(table)
        doubted = {(x["row"], x["col"]) for x in year_doubts}  # listed once, as a year
        doubts = year_doubts + [x for x in uncertain_cells(table) if (x["row"], x["col"]) not in doubted]
        uncertain += [{"table_on_page": g + 1, **x} for x in doubts]
        placed.append((grid.ys[0] * to_pt, table))

    placed += prose  # after the tables, as ordered before (a stable sort)
    placed.sort(key=lambda item: item[0])
    if carry is not None:
        last = next((b for _, b in reversed(placed) if not (isinstance(b, Paragraph) and _is_furniture(b))), None)
        carry.pop("table", None)
        if isinstance(last, Table):
            carry.update(page=page_no, table=last)
        carry.update(years=years, units=units)

    info = _page_record(page_no, dpi, angle, cell_words + rest_words, len(grids), rereads, repairs, uncertain)
    return placed, info


def _named_so_far(prose: list[tuple[float, Paragraph]], carry: dict | None) -> tuple[set[str], set[str]]:
    """The years and units the document's prose names up to and with this page's."""
    texts = [b.text for _, b in prose]
    carried = carry or {}
    return document_years(texts) | carried.get("years", set()), document_units(texts) | carried.get("units", set())


def _page_record(
    page_no: int, dpi: int, angle: float, words: list[ocr.Word], tables: int, rereads, repairs, uncertain
) -> dict:
    """A scanned page's record for `page_info`: how it was read, its words' confidence
    (weighted by their length), and its rereads, repairs and cells in doubt."""
    confs = [w.conf for w in words if w.conf >= 0]
    chars = [len(w.text) for w in words if w.conf >= 0]
    return {
        "page": page_no,
        "path": "ocr",
        "dpi": dpi,
        "angle": angle,
        "confidence": round(sum(c * n for c, n in zip(confs, chars)) / sum(chars), 1) if chars else 0.0,
        "words": len(confs),
        "tables": tables,
        "rereads": rereads,
        "repairs": repairs,
        "uncertain": uncertain,
    }


def _may_hold_rules(gray: np.ndarray, dpi: int) -> bool:
    """Might the page hold a ruled table: a vertical run of ink as long as `_grids` looks
    for, on the page not yet turned, at half size keeping each 2x2 block's darkest pixel
    (a thin rule stays as dark; a rule turned by under 1.5° still runs 38 pixels down a
    column there, more than the 0.2 inch asked). A copier's dark margin is no rule."""
    h, w = (gray.shape[0] // 2) * 2, (gray.shape[1] // 2) * 2
    small = np.minimum(
        np.minimum(gray[0:h:2, 0:w:2], gray[1:h:2, 0:w:2]), np.minimum(gray[0:h:2, 1:w:2], gray[1:h:2, 1:w:2])
    )
    half = dpi // 2
    vertical = long_runs(ink_mask(small).T, max(10, int(half * 0.2)), 2).T
    return bool(_off_margin(vertical, half).any())


def _off_margin(vertical: np.ndarray, dpi: int) -> np.ndarray:
    """The vertical rule mask without a copier's dark margin: columns of rules side by side
    over more than a 30th of an inch are a band, not a rule."""
    edge = np.zeros(vertical.shape[1], dtype=bool)
    for start, end in _runs(vertical.mean(axis=0) > PAGE_EDGE):
        edge[start:end] = end - start >= dpi // 30
    return vertical[:, ~edge]


def _prose_page(page: Image.Image, angle: float, factor: int, page_no: int, dpi: int, carry: dict | None):
    """`read_page` of a page without a ruled table (`_may_hold_rules`): only its text is
    read, at REST_DPI, so the page is reduced before it is turned, not after (a quarter
    of the pixels to turn; the time it saves is in benchmarks/README.md)."""
    small = page.reduce(factor)
    if angle:
        small = _level(small, angle)
    gray = np.asarray(small)
    ink = ink_mask(gray)
    words = _text_words(small, ink, int((gray < 128).sum()) * factor**2)
    placed = _prose(words, ink, page_no, 72.0 * factor / dpi)
    if carry is not None:
        carry.pop("table", None)
        carry["years"], carry["units"] = _named_so_far(placed, carry)
    info = _page_record(page_no, dpi, angle, words, 0, [], [], [])
    return sorted(placed, key=lambda item: item[0]), info


MIN_DARK_PIXELS = 50  # dark pixels, at the scan's resolution, a page needs to hold text worth reading


def _text_words(image: Image.Image, ink: np.ndarray, dark_pixels: int) -> list[ocr.Word]:
    """The words of `image` (a page, or what is left of it outside its tables, at
    REST_DPI) read as running text, if it holds any: some ink, and more than
    MIN_DARK_PIXELS dark pixels (`dark_pixels`, counted at the scan's resolution)."""
    if not (ink.sum() and dark_pixels > MIN_DARK_PIXELS):
        return []
    return ocr.ocr_images([ImageOps.autocontrast(image, cutoff=1)], psm=3)


def _prose(words: list[ocr.Word], ink: np.ndarray, page_no: int, to_pt: float) -> list[tuple[float, Paragraph]]:
    """The paragraphs of words read outside the tables, each with its top (PDF points),
    in bold when their words hold BOLD_INK times the page's usual ink (`ink` at the
    words' scale, `to_pt` points a pixel)."""
    prose = []
    groups = _paragraph_lines(words)
    densities = [_ink_density(ink, [w for line in group for w in line]) for group in groups]
    usual = float(np.median([d for d in densities if d > 0])) if any(densities) else 0.0
    for line_group, density in zip(groups, densities):
        text = collapse(" ".join(" ".join(w.text for w in line) for line in line_group))
        if text:
            top = min(w.top for line in line_group for w in line) * to_pt
            bold = usual > 0 and density > BOLD_INK * usual
            prose.append((top, Paragraph(text=text, index=0, page=page_no, bold=bold)))
    return prose


def _ink_lines(ink: np.ndarray, box: tuple[int, int, int, int], inset: int, gap: int) -> tuple[int, list[int]]:
    """How tall a cell's ink stands (pixels), and the heights of its parts split by at
    least `gap` blank rows (a line and the accent above it, or two lines)."""
    x0, y0, x1, y1 = box
    rows = np.nonzero(ink[y0 + inset : y1 - inset, x0 + inset : x1 - inset].sum(axis=1) >= 2)[0]
    if not rows.size:
        return 0, []
    breaks = np.nonzero(np.diff(rows) > gap)[0]
    starts = [rows[0], *rows[breaks + 1]]
    ends = [*rows[breaks], rows[-1]]
    return int(rows[-1] - rows[0] + 1), [int(e - s + 1) for s, e in zip(starts, ends)]


def _read_cells(crops: list[Image.Image], heights: list[tuple[int, list[int]]]) -> list[list[ocr.Word]]:
    """The words of each cell image. A cell no taller than ONE_LINE times the page's usual
    cell (the lowest quarter of heights: a line of figures), and not two parts each half
    that tall, is read as a single line; the others, and a single line read with doubt
    (under UNCERTAIN_BELOW), as a block of lines, keeping the surer of two readings."""
    if not crops:
        return []
    usual = float(np.percentile([h for h, _ in heights], 25))
    single, block = [], []
    for i, (height, parts) in enumerate(heights):
        lines = sum(p >= usual / 2 for p in parts)
        (single if height <= ONE_LINE * usual and lines < 2 else block).append(i)
    as_line = _ocr_some(crops, single, psm=7)
    doubtful = [i for i in single if _confidence(as_line[i], True) < UNCERTAIN_BELOW]
    words = _ocr_some(crops, block + doubtful, psm=6)
    for i in single:
        if i not in words or _confidence(words[i], True) <= _confidence(as_line[i], True):
            words[i] = as_line[i]
    # ink read as nothing: Tesseract loses some figures standing alone in a cell, bold or
    # blurred ("8." read as nothing, as "8." with its strokes thinned, as "8" at half
    # the size): read again thinned, then at half the size, until read
    for group, psm in ((single, 7), (block, 6)):
        for variant in (_thinned, _halved):
            lost = [i for i in group if not words[i]]
            again = _ocr_some([variant(crops[i]) for i in lost], list(range(len(lost))), psm=psm)
            for k, i in enumerate(lost):
                for w in again[k]:
                    w.image = i
                words[i] = ocr.scaled(again[k], 2) if variant is _halved else again[k]
    return [words[i] for i in range(len(crops))]


def _thinned(image: Image.Image) -> Image.Image:
    """A cell image with its strokes a pixel thinner on each side (3x3 maximum)."""
    return image.filter(ImageFilter.MaxFilter(3))


def _halved(image: Image.Image) -> Image.Image:
    return image.reduce(2)


def _ocr_some(crops: list[Image.Image], which: list[int], psm: int) -> dict[int, list[ocr.Word]]:
    """OCR the crops numbered `which` in one run; their words by crop number."""
    out: dict[int, list[ocr.Word]] = {i: [] for i in which}
    for w in ocr.ocr_images([crops[i] for i in which], psm=psm) if which else []:
        w.image = which[w.image]
        out[w.image].append(w)
    return out


def _reread_figures(table: Table, grid, crop) -> list[dict]:
    """Read again, as one line of digits, the cells of figure columns whose text lacks
    the column's shape; keep a second reading only when it has the shape."""
    shapes = column_shapes(table)
    todo = []
    for row in table.rows:
        for cell in row:
            shape = shapes.get(cell.col)
            if (
                shape
                and not cell.spanned
                and cell.colspan == 1
                and cell.rowspan == 1
                and cell.text
                and not fits(cell.text, shape)
            ):
                box = (grid.xs[cell.col], grid.ys[cell.row], grid.xs[cell.col + 1], grid.ys[cell.row + 1])
                img = crop(box)
                if img is not None:
                    todo.append((cell, shape, img))
    if not todo:
        return []
    words = ocr.ocr_images([img for _, _, img in todo], psm=7, config={"tessedit_char_whitelist": FIGURE_CHARS})
    out = []
    for i, (cell, shape, _) in enumerate(todo):
        mine = [w for w in words if w.image == i]
        text = "".join(w.text for w in mine)
        if fits(text, shape):
            confidence = _confidence(mine, True)
            out.append(
                {
                    "row": cell.row,
                    "col": cell.col,
                    "read": cell.text,
                    "reread": text,
                    "read_confidence": cell.confidence,
                    "confidence": confidence,
                }
            )
            cell.text, cell.confidence = text, confidence
    return out


def _ink_density(ink: np.ndarray, words: list[ocr.Word]) -> float:
    """Share of ink in the boxes of a paragraph's words: bold type holds more."""
    area = inked = 0
    for w in words:
        if len(w.text) >= 3 and w.conf >= 50:
            box = ink[w.top : w.top + w.height, w.left : w.left + w.width]
            area += box.size
            inked += int(box.sum())
    return inked / area if area else 0.0


def _paragraph_lines(words: list[ocr.Word]) -> list[list[list[ocr.Word]]]:
    """Tesseract's paragraphs (block, par) as lists of lines."""
    out: dict[tuple[int, int], list[list[ocr.Word]]] = {}
    for line in ocr.lines_of(words):
        out.setdefault((line[0].block, line[0].par), []).append(line)
    return [out[k] for k in sorted(out)]
