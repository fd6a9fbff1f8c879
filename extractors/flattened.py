"""Tables a web page or a text export flattened to one cell per line (or per <p>),
rebuilt into a grid.

The header tells the shape: it starts at a numbering header ("TT", "STT", "Số TT"), runs
to the first row code, and the column count is the one that cuts the cells after it
into the most consecutive rows that each start with a code (or nothing) and hold a
figure, or are a ranking table's block row (a roman number and its label: "I", "Các sở,
ban, ngành", then blank cells) or a unit's row without figures (a row number, a unit
name, blank or "-" cells). A header with more cells than columns is a two-row header:
each extra cell is a group ("Kết quả năm 2023") over two sub-columns ("Kết quả", "Vị
thứ") printed at the end of the header, and the other top cells span both header rows. A run that does not
fit stays as it was: nothing is guessed into a table.
"""

from __future__ import annotations

from parindex.schemas import Cell
from parindex.vietnamese.codes import ROMAN, criterion_code
from parindex.vietnamese.folding import collapse, fold
from parindex.vietnamese.numbers import looks_numeric
from parindex.vietnamese.vocabulary import CODE_HEADER, NAME_HEADER, UNIT_NAME_START

MAX_HEADER = 12
MIN_ROWS = 2


def is_header_start(text: str) -> bool:
    t = fold(text)
    return bool(t) and len(t) <= 12 and bool(CODE_HEADER.match(t))


def _code_like(text: str) -> bool:
    t = collapse(text)
    return len(t) <= 8 and (t == "*" or criterion_code(t) is not None)


def _blank(text: str) -> bool:
    return collapse(text) in ("", "-", "–", "—")


def _block_row(cells: list[str]) -> bool:
    """A ranking table's block header: "I", "Các sở, ban, ngành tỉnh", then blank cells."""
    return (
        criterion_code(cells[0]) in ROMAN
        and len(cells) > 2
        and not looks_numeric(cells[1])
        and any(ch.isalpha() for ch in cells[1])
        and all(_blank(c) for c in cells[2:])
    )


def _unit_row_without_figures(cells: list[str]) -> bool:
    """A row number, a unit's name ("UBND huyện Gò Dầu", "Sở Y tế"), blank or "-" cells."""
    return (
        collapse(cells[0]).isdigit()
        and len(cells) > 2
        and bool(UNIT_NAME_START.match(fold(cells[1])))
        and all(_blank(c) for c in cells[2:])
    )


def _row_ok(cells: list[str]) -> bool:
    first = collapse(cells[0])
    return (not first or _code_like(first)) and (
        any(looks_numeric(c) for c in cells[1:]) or _block_row(cells) or _unit_row_without_figures(cells)
    )


def _count_rows(cells: list[str], start: int, n: int) -> int:
    rows = 0
    i = start
    while i + n <= len(cells) and _row_ok(cells[i : i + n]):
        rows += 1
        i += n
    return rows


def _header_rows(head: list[str], n: int) -> list[list[Cell]] | None:
    """The header cells laid out over n columns (one row, or two with groups)."""
    h = len(head)
    if h == n:
        return [[Cell(text=t, row=0, col=c, bold=True) for c, t in enumerate(head)]]
    groups = h - n
    top_count = h - 2 * groups
    if groups < 1 or top_count < groups:
        return None
    top, bottom = head[:top_count], head[top_count:]
    label = [bool(CODE_HEADER.match(fold(t)) or NAME_HEADER.search(fold(t))) for t in top]
    group_at = [i for i, is_label in enumerate(label) if not is_label][:groups]
    if len(group_at) < groups:
        return None
    rows: list[list[Cell]] = [[], []]
    sub = iter(bottom)
    col = 0
    for i, text in enumerate(top):
        if i in group_at:
            origin = Cell(text=text, row=0, col=col, colspan=2, bold=True)
            rows[0] += [origin, Cell(text=text, row=0, col=col + 1, spanned=True, bold=True)]
            rows[1] += [Cell(text=next(sub), row=1, col=col + k, bold=True) for k in range(2)]
            col += 2
        else:
            rows[0].append(Cell(text=text, row=0, col=col, rowspan=2, bold=True))
            rows[1].append(Cell(text=text, row=1, col=col, spanned=True, bold=True))
            col += 1
    return rows


def rebuild(cells: list[str], start: int = 0, bold: list[bool] | None = None) -> tuple[list[list[Cell]], int] | None:
    """Rebuild the table whose header starts at cells[start]. Returns the grid (rows of
    `Cell`, header rows first) and how many cells it took, or None."""
    cells = [collapse(c) for c in cells]
    if start >= len(cells) or not is_header_start(cells[start]):
        return None
    end = start + 1
    while (
        end < len(cells) and end - start < MAX_HEADER and not _code_like(cells[end]) and not looks_numeric(cells[end])
    ):
        end += 1
    head = cells[start:end]
    if len(head) < 2 or end >= len(cells):
        return None
    best_n, best_rows = 0, 0
    for n in range(2, len(head) + 1):
        rows = _count_rows(cells, end, n)
        if rows >= best_rows and rows >= MIN_ROWS:
            best_n, best_rows = n, rows
    if not best_n:
        return None
    grid = _header_rows(head, best_n)
    if grid is None:
        return None
    for r in range(best_rows):
        row_no = len(grid)
        first = end + r * best_n
        grid.append(
            [Cell(text=cells[first + c], row=row_no, col=c, bold=bool(bold and bold[first + c])) for c in range(best_n)]
        )
    return grid, end - start + best_rows * best_n


def blank_line(line: str) -> bool:
    """A separator line of a flattened dump: empty or spaces and tabs only (a line with
    only a no-break space is an empty cell, not a separator)."""
    return not line.strip(" \t\r")


def line_chunks(lines: list[str]) -> list[tuple[int, int, str]]:
    """Blank-line separated chunks of lines as (first line, end line, text joined by \\n)."""
    out = []
    i = 0
    while i < len(lines):
        if blank_line(lines[i]):
            i += 1
            continue
        j = i
        while j < len(lines) and not blank_line(lines[j]):
            j += 1
        out.append((i, j, "\n".join(lines[i:j])))
        i = j
    return out
