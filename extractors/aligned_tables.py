"""Tables printed as aligned text, without vertical ruling: columns found from where the
words sit.

Many Word-exported reports set their criteria tables with no ruling at all, or with
only horizontal rules above and below the header and under the last row. pdfplumber's
lines strategy finds no cell there, so this module reads such a table from the text
lines left over by the ruled path (`extractors.pdf`):

1. Every line is cut into *segments*: runs of words with no gap wider than
   `SEGMENT_GAP` em between them (a cell's text, on that line).
2. A *numeric row* is a line with at least two segments that hold only figures
   (`9,52`, `9,52/13,50`, `4/8`, `1.2`, `85%`). Prose almost never has one: its figures
   sit inside a run of words, not alone between wide gaps.
3. At least `MIN_NUMERIC_ROWS` numeric rows close together make a candidate table. Its
   column bands are the x ranges covered by the segments of the numeric rows, cut where
   no segment covers (the gutters). The candidate is kept only when at least two bands
   hold figures on at least half of the numeric rows, so prose never becomes a table.
4. Each numeric row starts a row of the table; so does a line with text in the code
   column (a row without figures). The lines in between are label lines wrapped onto
   further lines: they go to the row above, or to the row below when the widest
   vertical gap of the run says the label was centred on its figures.
5. The lines just above the first numeric row whose segments fit the bands are the
   header (joined per column; a segment over several columns becomes a span and splits
   the header into two rows, unless another heading on its line holds that column). A
   horizontal rule above an already found header line ends the header; a rule or a wide
   gap under the last row ends the table.
6. A table ruled under every row (full-width lines only, a rule between each two
   numeric rows) is split into rows at its rules instead; a rule there closes a row, so
   rows without figures ("Không đánh giá") stay in the table down to the last rule.

A ruled grid whose body has no separators (ruled only in its header) is read by
`read_ruled_body` instead: the header's rules give the columns, so the rows need no
figures and one figure column is enough; the ruling is the evidence of a table.

The cells carry page, row, column and the bounding box of their text, like the cells of
ruled tables, so tables continued over pages stitch the same way (`extractors.stitch`).
"""

from __future__ import annotations

import re
from statistics import median
from typing import Callable

from parindex.schemas import Cell, Table
from parindex.vietnamese.folding import collapse, nfc

SEGMENT_GAP = 0.6  # em: a wider horizontal gap between two words separates two cells
WORD_GAP = 0.15  # em: a narrower gap without a space character is inside a word
MIN_NUMERIC_ROWS = 3
MAX_RUN = 8  # at most this many lines without figures between two rows of one table
MAX_HEADER_LINES = 6
NUMBER = re.compile(r"^\(?[-+]?\d+(?:[.,]\d+)*(?:/\d+(?:[.,]\d+)*)?%?\)?$")
CODE = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*\.?|[IVXLC]{1,5}\.?|[A-ZĐ]\.?|[a-zđ]\)?|[-+•])$")
HAS_FIGURES = re.compile(r"(?<![\w,./])\d+(?:[.,]\d+)*(?:/\d+(?:[.,]\d+)*)?%?(?![\w,./])")


class Seg:
    __slots__ = ("text", "x0", "x1", "top", "bottom")

    def __init__(self, text, x0, x1, top, bottom):
        self.text, self.x0, self.x1, self.top, self.bottom = text, x0, x1, top, bottom

    @property
    def numeric(self) -> bool:
        return all(NUMBER.match(w) for w in self.text.split())


def segments(line: dict) -> list[Seg]:
    """The line's characters cut at gaps wider than SEGMENT_GAP em."""
    out: list[Seg] = []
    buf: list[str] = []
    box: list[float] = []
    prev = None
    space = False

    def flush():
        if buf:
            out.append(Seg("".join(buf).strip(), *box))
            buf.clear()

    for ch in sorted(line.get("chars") or [], key=lambda c: c["x0"]):
        t = ch.get("text", "")
        if not t.strip():
            space = True
            continue
        if prev is not None:
            size = max(prev.get("size", 10.0), ch.get("size", 10.0), 1.0)
            gap = ch["x0"] - prev["x1"]
            if gap > SEGMENT_GAP * size:
                flush()
            elif space or gap > WORD_GAP * size:
                buf.append(" ")
        if not buf:
            box[:] = [ch["x0"], ch["x1"], ch["top"], ch["bottom"]]
        else:
            box[1] = max(box[1], ch["x1"])
            box[2] = min(box[2], ch["top"])
            box[3] = max(box[3], ch["bottom"])
        buf.append(t)
        prev, space = ch, False
    flush()
    # a run of figures only, closer together than a cell gap, is still one figure a column
    split: list[Seg] = []
    for s in out:
        words = s.text.split()
        if len(words) > 1 and s.numeric and not any(w.startswith("/") or w.endswith("/") for w in words):
            chars = [
                c
                for c in line["chars"]
                if s.x0 - 0.01 <= c["x0"] and c["x1"] <= s.x1 + 0.01 and c.get("text", "").strip()
            ]
            chars.sort(key=lambda c: c["x0"])
            start = 0
            for k in range(1, len(chars) + 1):
                if k == len(chars) or chars[k]["x0"] - chars[k - 1]["x1"] > WORD_GAP * max(
                    chars[k].get("size", 10.0), 1.0
                ):
                    part = chars[start:k]
                    split.append(
                        Seg(
                            "".join(c["text"] for c in part),
                            part[0]["x0"],
                            part[-1]["x1"],
                            min(c["top"] for c in part),
                            max(c["bottom"] for c in part),
                        )
                    )
                    start = k
        else:
            split.append(s)
    return split


def _overlap(a0, a1, b0, b1) -> float:
    return min(a1, b1) - max(a0, b0)


def _bands(rows: list[list[Seg]]) -> list[tuple[float, float]]:
    """Column bands: the x ranges covered by the segments, cut at uncovered gutters."""
    spans = sorted((s.x0, s.x1) for segs in rows for s in segs)
    bands: list[list[float]] = []
    for x0, x1 in spans:
        if bands and x0 < bands[-1][1]:
            bands[-1][1] = max(bands[-1][1], x1)
        else:
            bands.append([x0, x1])
    return [(a, b) for a, b in bands]


def _bands_of(seg: Seg, bands) -> list[int]:
    hit = [i for i, (a, b) in enumerate(bands) if _overlap(seg.x0, seg.x1, a, b) > 0.5]
    if hit:
        return hit
    dist = [max(a - seg.x1, seg.x0 - b, 0.0) for a, b in bands]
    return [min(range(len(bands)), key=dist.__getitem__)]


def _header_bands_of(seg: Seg, bands) -> list[int]:
    """The columns a header segment heads: those whose extent (the band widened to the
    middle of the gutters beside it) holds at least a quarter of the segment. A heading
    centred over two columns sits over the gutter between them, touching neither band."""
    width = max(seg.x1 - seg.x0, 0.1)
    cuts = [(b[1] + a[0]) / 2 for b, a in zip(bands, bands[1:])]
    lo, hi = [float("-inf"), *cuts], [*cuts, float("inf")]
    share = [_overlap(seg.x0, seg.x1, lo[i], hi[i]) / width for i in range(len(bands))]
    hit = [i for i, v in enumerate(share) if v >= 0.25]
    return hit or [max(range(len(bands)), key=share.__getitem__)]


def _fits_header(segs: list[Seg], bands, code_col: bool) -> bool:
    if not segs:
        return False
    left, right = bands[0][0], bands[-1][1]
    width = right - left
    if any(s.x0 < left - 0.1 * width or s.x1 > right + 0.1 * width for s in segs):
        return False
    if len(segs) >= 2:
        return True
    hit = _bands_of(segs[0], bands)
    first_cols = {0, 1} if code_col else {0}
    return len(hit) == 1 or not (set(hit) & first_cols)


def _fits_tail(segs: list[Seg], bands, extent: tuple[float, float] | None = None) -> bool:
    """Whether a line below the rows with figures belongs to the table: each of its
    segments in one column, all within the columns' extent (or the table's rules)."""
    left, right = extent or (bands[0][0] - 5, bands[-1][1] + 5)
    return bool(segs) and all(len(_bands_of(s, bands)) == 1 and left <= s.x0 and s.x1 <= right for s in segs)


def find_text_tables(
    lines: list[dict], page_no: int, rules: Callable[[], list[tuple[float, float, float]]] | None = None
) -> tuple[list[tuple[float, Table]], list[dict]]:
    """Tables set as aligned text among `lines` (pdfplumber text lines with their chars,
    top to bottom): the tables with their top, and the lines that are not part of one.
    `rules` gives the page's horizontal rules as (y, x0, x1), asked only when a
    candidate table is found."""
    candidates = [i for i, ln in enumerate(lines) if len(HAS_FIGURES.findall(ln["text"])) >= 2]
    if len(candidates) < MIN_NUMERIC_ROWS:
        return [], lines
    segs: dict[int, list[Seg]] = {}

    def seg(i: int) -> list[Seg]:
        if i not in segs:
            segs[i] = segments(lines[i])
        return segs[i]

    numeric = [i for i in candidates if sum(1 for s in seg(i) if s.numeric) >= 2]
    blocks: list[list[int]] = []
    for i in numeric:
        if blocks and i - blocks[-1][-1] <= MAX_RUN + 1:
            blocks[-1].append(i)
        else:
            blocks.append([i])
    tables: list[tuple[float, Table]] = []
    used: set[int] = set()
    rule_list: list[tuple[float, float, float]] | None = None
    for block in blocks:
        if len(block) < MIN_NUMERIC_ROWS or block[0] in used:
            continue
        bands = _bands([seg(i) for i in block])
        if len(bands) < 2:
            continue
        figures = [
            sum(1 for i in block if any(s.numeric and _bands_of(s, bands) == [b] for s in seg(i)))
            for b in range(len(bands))
        ]
        if sum(1 for f in figures if f >= 0.5 * len(block)) < 2:
            continue
        if rule_list is None:
            rule_list = rules() if rules else []
        width = bands[-1][1] - bands[0][0]
        full = [(y, x0, x1) for y, x0, x1 in rule_list if _overlap(x0, x1, bands[0][0], bands[-1][1]) > 0.5 * width]
        hrules = sorted(y for y, _, _ in full)

        def rule_between(upper: dict, lower: dict) -> bool:
            return any(upper["bottom"] - 1 <= y <= lower["top"] + 1 for y in hrules)

        firsts = [seg(i)[0] for i in block if seg(i)]
        code_col = len(bands) >= 3 and sum(
            1 for s in firsts if CODE.match(s.text) and _bands_of(s, bands) == [0]
        ) >= 0.8 * len(block)
        heights = [ln["bottom"] - ln["top"] for ln in (lines[i] for i in block)]
        height = median(heights)
        body = list(range(block[0], block[-1] + 1))
        gaps = [lines[b]["top"] - lines[a]["bottom"] for a, b in zip(body, body[1:])]
        max_gap = max(gaps, default=height)
        # a table ruled under every row (full-width lines only, no vertical line): a rule
        # then closes a row, not the table, and the rows are the lines between two rules
        ruled_rows = all(rule_between(lines[a], lines[b]) for a, b in zip(block, block[1:]))
        # its values may then be wider than the figures' columns, up to the rules' ends
        extent = (min(x0 for _, x0, _ in full), max(x1 for _, _, x1 in full)) if ruled_rows else None
        # rows after the last row with figures: wrapped labels, rows without figures (or
        # with words as values: "Không đánh giá")
        k = block[-1] + 1
        while k < len(lines) and k not in used:
            gap = lines[k]["top"] - lines[k - 1]["bottom"]
            if (
                gap > max(1.5 * max_gap, height)
                or (not ruled_rows and rule_between(lines[k - 1], lines[k]))
                or not _fits_tail(seg(k), bands, extent)
            ):
                break
            body.append(k)
            k += 1
        if ruled_rows:
            # the table ends with the last line that a rule closes (the rule under its row)
            def closed(i: int) -> bool:
                below = lines[i + 1]["top"] + 1 if i + 1 < len(lines) else lines[i]["bottom"] + 2 * height
                return any(lines[i]["bottom"] - 1 <= y <= below for y in hrules)

            last = max((j for j, i in enumerate(body) if i >= block[-1] and closed(i)), default=None)
            if last is None:  # no rule under the last row: the table ends at the first rule
                last = body.index(block[-1])
                while last + 1 < len(body) and not rule_between(lines[body[last]], lines[body[last + 1]]):
                    last += 1
            body = body[: last + 1]
        # header: the lines just above that fit the columns
        header: list[int] = []
        k = block[0] - 1
        while k >= 0 and k not in used and len(header) < MAX_HEADER_LINES:
            below = lines[k + 1]
            gap = below["top"] - lines[k]["bottom"]
            if gap > 3 * height or (header and rule_between(lines[k], below)):
                break
            if (
                not _fits_header(seg(k), bands, code_col)
                or len(HAS_FIGURES.findall(lines[k]["text"])) >= 2
                and sum(1 for s in seg(k) if s.numeric) >= 2
            ):
                break
            header.insert(0, k)
            k -= 1
        # a label centred on its row's figures starts above them: the last label-only lines
        # of the header go to the first row when they sit closer to it than to the header
        label_col = 1 if code_col else 0
        tail = 0
        while (
            tail < len(header) - 1
            and len(seg(header[-1 - tail])) == 1
            and _bands_of(seg(header[-1 - tail])[0], bands) == [label_col]
        ):
            tail += 1
        if tail:
            chain = header[-1 - tail :] + [block[0]]
            g = [lines[b]["top"] - lines[a]["bottom"] for a, b in zip(chain, chain[1:])]
            best = max(g)
            cut = max(j for j, v in enumerate(g) if v >= best - 0.5)  # on a tie the lines stay in the header
            if cut < tail:
                body = header[len(header) - tail + cut :] + body
                header = header[: len(header) - tail + cut]
        if ruled_rows:
            rows: list[list[int]] = []
            for i in body:
                if rows and not rule_between(lines[rows[-1][-1]], lines[i]):
                    rows[-1].append(i)
                else:
                    rows.append([i])
        else:
            starts = set(block)
            if code_col:
                starts |= {
                    i for i in body if seg(i) and _bands_of(seg(i)[0], bands) == [0] and CODE.match(seg(i)[0].text)
                }
            rows = _group_rows(body, starts, lines)
        grid = _grid(header, rows, seg, lines, bands, page_no)
        used |= set(header) | set(body)
        top = lines[header[0] if header else body[0]]["top"]
        tables.append((top, Table(index=0, rows=grid, page=page_no)))
    return tables, [ln for i, ln in enumerate(lines) if i not in used]


def _group_rows(body: list[int], starts: set[int], lines: list[dict]) -> list[list[int]]:
    """The body's lines grouped into rows: each line of `starts` starts a row; the lines
    between two starts are a cell's wrapped text, cut at their widest vertical gap (the
    later one on a tie): the lines above it go to the row above, the others to the row
    below (a label centred on its row's figures starts above them)."""
    rows: list[list[int]] = []
    run: list[int] = []
    for i in body:
        if i not in starts:
            run.append(i)
            continue
        if run and rows:
            chain = [rows[-1][-1], *run, i]
            g = [lines[b]["top"] - lines[a]["bottom"] for a, b in zip(chain, chain[1:])]
            best = max(g)
            cut = max(j for j, v in enumerate(g) if v >= best - 0.5)
            rows[-1].extend(run[:cut])
            rows.append(run[cut:] + [i])
        else:
            rows.append(run + [i])
        run = []
    if run:
        rows[-1].extend(run)
    return rows


def _grid(header: list[int], rows: list[list[int]], seg, lines: list[dict], bands, page_no: int) -> list[list[Cell]]:
    """The table's cells: the header rows, then one row per group of body lines."""
    grid = _header_rows([seg(i) for i in header], bands, page_no)
    for r in rows:
        grid.append(_cells([s for i in sorted(r, key=lambda i: lines[i]["top"]) for s in seg(i)], bands, page_no))
    for r, row in enumerate(grid):
        for c in row:
            c.row = r
    return grid


def read_ruled_body(lines: list[dict], edges: list[float], header_bottom: float, page_no: int) -> Table | None:
    """A ruled grid whose body has no separators (`extractors.pdf.collapsed_body`), read
    with the columns its ruled header draws. `lines` are the text lines inside the grid
    (top to bottom), `edges` the x of its vertical rules, `header_bottom` the y of the
    rule under its header. The ruling is the evidence that a table is there, so rows are
    found without needing figures: values may be words ("Tốt", "9.594 trở xuống") and a
    single column may hold figures. A row starts on a line with text in the first column
    or with figures in two columns; the other lines continue a wrapped cell (`_group_rows`)."""
    bands = list(zip(edges, edges[1:]))
    segs = [segments(ln) for ln in lines]
    header = [i for i, ln in enumerate(lines) if segs[i] and ln["bottom"] <= header_bottom + 1]
    body = [i for i, ln in enumerate(lines) if segs[i] and ln["bottom"] > header_bottom + 1]
    starts = {
        i for i in body if any(_bands_of(s, bands) == [0] for s in segs[i]) or sum(1 for s in segs[i] if s.numeric) >= 2
    }
    # a body whose lines run across the columns (a note boxed under a ruled header) is
    # not read as rows: it is left to `find_text_tables` and the paragraphs
    across = sum(1 for i in body if any(len(_bands_of(s, bands)) > 1 for s in segs[i]))
    filled = sum(1 for i in body if len({_bands_of(s, bands)[0] for s in segs[i]}) >= 2)
    if not starts or across * 2 >= len(body) or filled < 2:
        return None
    grid = _grid(header, _group_rows(body, starts, lines), segs.__getitem__, lines, bands, page_no)
    return Table(index=0, rows=grid, page=page_no)


def _cells(parts: list[Seg], bands, page_no: int, assign=_bands_of) -> list[Cell]:
    """One row of the grid from the segments printed in it (in reading order)."""
    texts: list[list[str]] = [[] for _ in bands]
    boxes: list[list[float] | None] = [None for _ in bands]
    span: dict[int, int] = {}
    for s in parts:
        hit = assign(s, bands)
        b = hit[0]
        if len(hit) > 1:
            span[b] = max(span.get(b, 1), hit[-1] - b + 1)
        texts[b].append(s.text)
        box = boxes[b]
        boxes[b] = (
            [s.x0, s.top, s.x1, s.bottom]
            if box is None
            else [min(box[0], s.x0), min(box[1], s.top), max(box[2], s.x1), max(box[3], s.bottom)]
        )
    row = [
        Cell(
            text=collapse(nfc(" ".join(t))),
            row=0,
            col=c,
            page=page_no,
            bbox=tuple(round(v, 1) for v in boxes[c]) if boxes[c] else None,
        )
        for c, t in enumerate(texts)
    ]
    for b, n in span.items():
        row[b].colspan = n
        for c in range(b + 1, b + n):
            if not row[c].text:
                row[c] = Cell(text=row[b].text, row=0, col=c, page=page_no, spanned=True, bbox=row[b].bbox)
    return row


def _header_rows(lines: list[list[Seg]], bands, page_no: int) -> list[list[Cell]]:
    """The header lines as one grid row, or two when a heading spans several columns
    (the cells of the columns it does not cover then span both rows)."""
    parts = [s for segs in lines for s in segs]
    if not parts:
        return []
    cols = {id(s): _header_bands_of(s, bands) for s in parts}
    # two headings printed side by side on one line head different columns: a heading
    # centred over a narrow figure column reaches into the wide label column beside it
    # (a single score column after "Lĩnh vực / tiêu chí"), but it does not span the
    # column whose own heading stands next to it on that line
    for segs in lines:
        own = {cols[id(s)][0] for s in segs if len(cols[id(s)]) == 1}
        for s in segs:
            if len(cols[id(s)]) > 1:
                kept = [b for b in cols[id(s)] if b not in own]
                if kept and kept == list(range(kept[0], kept[-1] + 1)):
                    cols[id(s)] = kept

    def assign(s: Seg, _bands) -> list[int]:
        return cols[id(s)]

    spanning = [s for s in parts if len(cols[id(s)]) > 1]
    if not spanning:
        return [_cells(parts, bands, page_no, assign)]
    split = max(s.bottom for s in spanning)
    covered = {b for s in spanning for b in cols[id(s)]}
    upper = [s for s in parts if s.top < split and (set(cols[id(s)]) & covered)]
    lower = [s for s in parts if s.top >= split and (set(cols[id(s)]) & covered)]
    rest = [s for s in parts if not (set(cols[id(s)]) & covered)]
    top = _cells(upper + rest, bands, page_no, assign)
    bottom = _cells(lower, bands, page_no, assign)
    for c, cell in enumerate(top):
        if c not in covered and cell.text:
            cell.rowspan = 2
            bottom[c] = Cell(text=cell.text, row=1, col=c, page=page_no, spanned=True, bbox=cell.bbox)
    return [top, bottom]
