"""Tables printed one row per line of text, cells separated by single spaces, rebuilt
into a grid of cells. Web articles, text exports, and the PDFs and Word files made from
them often print a ranking this way:

    STT TÊN CƠ QUAN Điểm tối đa Điểm thẩm định Tỷ lệ đạt Xếp loại
    I Các sở, ban, ngành tỉnh
    1 Văn phòng UBND tỉnh 71.5 69.25 96.85% Tốt

A run of paragraphs is such a table when it starts with a header line that begins with a
numbering header ("STT", "TT") and cuts whole into known header phrases
(`vietnamese.vocabulary.HEADER_PHRASES`, each maybe followed by words that start no
phrase: "Điểm HĐTD thẩm định (70)"), followed by lines that start with a row number
(or a roman block number) and end with figures or a class word. A body line is cut as:
row number, the name (the text up to its first figure), one cell per figure, then the
class words and a note. The header is cut into as many cells as most body lines have. Rows run together
in one paragraph (a PDF line that reached the margin, `<br>` between rows) are cut where
the next row number starts. A line that does not fit ends the table and stays a
paragraph; a run that does not fit stays paragraphs: nothing is guessed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from parindex.schemas import Cell, Paragraph, Table
from parindex.vietnamese.folding import collapse, fold
from parindex.vietnamese.vocabulary import (
    BLANK_COLUMN_HEADER,
    CODE_HEADER,
    GRADE_WORDS,
    GROUP_LABELS,
    HEADER_PHRASE_PATTERNS,
    HEADER_PHRASES,
    NUMBERED_UNIT_WORD,
)

MIN_ROWS = 2  # unit rows a table needs
MAX_PHRASE_WORDS = 8
MAX_CELL_WORDS = 12
ROW_NUMBER = re.compile(r"^\d{1,3}[.)]?$")
BLOCK_NUMBERS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
BLOCK_NUMBER = re.compile(rf"^(?:{'|'.join(BLOCK_NUMBERS)})[.)]?$")
FIGURE = re.compile(r"^[+\-−–]?\d+(?:[.,]\d+)*%?$|^\d+(?:[.,]\d+)?/\d+(?:[.,]\d+)?$")
DASH = re.compile(r"^[-–—]$")
HEADER_SUFFIX = re.compile(r"(?:\s*(?:\([^()]*\)|(?:nam )?\d{4}|%))+$")
FURNITURE = re.compile(r"^(?:trang\s*)?\d{1,3}(?:\s*/\s*\d{1,3})?$")


# --- one line -> cells -------------------------------------------------------------


def tokens_of(text: str) -> list[str]:
    """The words of a line; a "%" printed apart joins the figure before it."""
    out: list[str] = []
    for tok in collapse(text).split(" "):
        if tok == "%" and out and FIGURE.match(out[-1] + tok):
            out[-1] += tok
        elif tok:
            out.append(tok)
    return out


def _is_word(tok: str) -> bool:
    return not FIGURE.match(tok) and not DASH.match(tok) and any(ch.isalpha() for ch in tok)


@dataclass
class Line:
    """One body line cut into its parts: row number, name, figures, class, note."""

    number: str
    name: str
    figures: list[str]
    kind: str  # row | block | group
    grade: str | None = None
    note: str | None = None

    @property
    def cells(self) -> list[str]:
        return [self.number, self.name, *self.figures, *[t for t in (self.grade, self.note) if t is not None]]


def _class_length(tokens: list[str]) -> int:
    """How many of the leading tokens are class words ("Tốt", "Xuất sắc"), 0 if none."""
    return max(
        (m for m in range(1, 5) if m <= len(tokens) and GRADE_WORDS.match(fold(" ".join(tokens[:m])))), default=0
    )


def split_row(tokens: list[str]) -> Line | None:
    """A body line cut as: row number, the name (the text up to its first figure), the
    figures (a "-" among them a blank cell), then class words and a note. None when the
    line is not a table row (no row number, no name, no figures)."""
    if not tokens:
        return None
    if ROW_NUMBER.match(tokens[0]) or BLOCK_NUMBER.match(tokens[0]):
        number, rest = tokens[0], tokens[1:]
    elif GROUP_LABELS.search(fold(" ".join(tokens))):
        number, rest = "", tokens
    else:
        return None
    first = next((k for k, tok in enumerate(rest) if FIGURE.match(tok)), None)
    if first is None:
        return Line(number, " ".join(rest), [], "block") if BLOCK_NUMBER.match(number) and rest else None
    start = first
    while start > 0 and DASH.match(rest[start - 1]):  # "Sở Y tế - 49,07": a blank cell before the figures
        start -= 1
    end = first
    while end < len(rest) and (FIGURE.match(rest[end]) or DASH.match(rest[end])):
        end += 1
    name, tail = rest[:start], rest[end:]
    if not any(_is_word(t) for t in name):
        return None
    graded = _class_length(tail)
    kind = "group" if not number else ("block" if BLOCK_NUMBER.match(number) else "row")
    return Line(
        number, " ".join(name), rest[start:end], kind, " ".join(tail[:graded]) or None, " ".join(tail[graded:]) or None
    )


def _comes_next(token: str, number: str) -> bool:
    """`token` may number the row after the one numbered `number`: after a row, the next
    number or a block's roman number; after a block's own row, any row number (numbering
    restarts under a block, or runs on)."""
    bare, after = number.rstrip(".)"), token.rstrip(".)")
    if bare.isdigit():
        return after == str(int(bare) + 1) or after in BLOCK_NUMBERS
    return bool(ROW_NUMBER.match(token))


def _starts_next_row(tokens: list[str], k: int, number: str) -> bool:
    """tokens[k] starts the row after the one numbered `number`: its number comes next, a
    name (not class words) follows it, and figures after that."""
    return (
        _comes_next(tokens[k], number)
        and k + 1 < len(tokens)
        and _is_word(tokens[k + 1])
        and not _class_length(tokens[k + 1 :])
        and any(FIGURE.match(t) for t in tokens[k + 2 :])
    )


def cut_rows(tokens: list[str]) -> tuple[list[Line], list[str]]:
    """The rows printed one after another in `tokens` (one line, or several rows run
    together), and the tokens left over after the last row that fits."""
    rows: list[Line] = []
    start = 0
    while start < len(tokens):
        end = next(
            (
                k
                for k in range(start + 2, len(tokens))
                if _starts_next_row(tokens, k, tokens[start]) and split_row(tokens[start:k]) is not None
            ),
            len(tokens),
        )
        line = split_row(tokens[start:end])
        if line is None:
            break
        rows.append(line)
        start = end
    return rows, tokens[start:]


# --- the header line -> cells --------------------------------------------------------


def is_header_phrase(text: str) -> bool:
    """A known header cell, maybe with a parenthesised note, a year ("năm 2023", "2023")
    or "%" after it."""
    if text.count("(") != text.count(")"):
        return False
    core = collapse(HEADER_SUFFIX.sub("", fold(text)))
    return core in HEADER_PHRASES or any(p.fullmatch(core) for p in HEADER_PHRASE_PATTERNS)


def _starts_phrase(tokens: list[str], start: int) -> bool:
    top = min(len(tokens), start + MAX_PHRASE_WORDS)
    return any(is_header_phrase(" ".join(tokens[start:end])) for end in range(start + 1, top + 1))


def _phrase_ends(tokens: list[str], start: int) -> list[int]:
    """Where a header cell starting at tokens[start] may end, longest first: a known
    phrase, with the words after it that start no phrase ("Điểm HĐTD thẩm định (70)")."""
    top = min(len(tokens), start + MAX_PHRASE_WORDS)
    ends = set()
    for end in range(top, start, -1):
        if is_header_phrase(" ".join(tokens[start:end])):
            while end < len(tokens) and end - start < MAX_CELL_WORDS and not _starts_phrase(tokens, end):
                end += 1
            ends.add(end)
    return sorted(ends, reverse=True)


def header_ends(tokens: list[str]) -> list[int]:
    """Where a header made of header cells may end, shortest first (its rows may follow on
    the same paragraph)."""
    reach = {0}
    for start in range(len(tokens)):
        if start in reach:
            reach.update(_phrase_ends(tokens, start))
    return sorted(reach - {0})


def split_header(tokens: list[str], n: int) -> list[str] | None:
    """The header cut into exactly n known phrases, longer phrases first; None if it cannot be."""
    ends = {start: _phrase_ends(tokens, start) for start in range(len(tokens))}
    failed: set[tuple[int, int]] = set()

    def cut(start: int, left: int) -> list[str] | None:
        if start == len(tokens):
            return [] if left == 0 else None
        if left == 0 or (start, left) in failed:
            return None
        for end in ends[start]:
            rest = cut(end, left - 1)
            if rest is not None:
                return [" ".join(tokens[start:end])] + rest
        failed.add((start, left))
        return None

    cells = cut(0, n)
    if cells is None or not CODE_HEADER.match(fold(cells[0])):
        return None
    return cells


def starts_with_numbering(text: str) -> bool:
    first = collapse(text).split(" ", 2)
    return bool(first[0]) and (bool(CODE_HEADER.match(fold(first[0]))) or fold(" ".join(first[:2])) == "so tt")


# --- a run of paragraphs -> table ------------------------------------------------------


@dataclass
class _Placed:
    line: Line
    block: int  # index of the paragraph it came from
    page: int


@dataclass
class _Shape:
    """The columns most body lines have: how many figures, and whether a class column
    and a note column follow them."""

    figures: int
    grade: bool
    note: bool

    @property
    def width(self) -> int:
        return 2 + self.figures + self.grade + self.note


def _shape(placed: list[_Placed]) -> _Shape | None:
    rows = [p.line for p in placed if p.line.kind == "row"]
    if not rows:
        return None
    figures = Counter(len(line.figures) for line in rows).most_common(1)[0][0]
    return _Shape(figures, any(p.line.grade for p in placed), any(p.line.note for p in placed))


def _fit(line: Line, shape: _Shape) -> list[str] | None:
    """The line's cells laid over the table's columns, or None when it does not fit."""
    figures, name = line.figures, line.name
    if line.kind == "block" and not figures:
        return [line.number, name] + [""] * (shape.width - 2)
    if len(figures) == shape.figures + 1 and NUMBERED_UNIT_WORD.search(fold(name)) and ROW_NUMBER.match(figures[0]):
        name, figures = f"{name} {figures[0]}", figures[1:]  # "Quận 1", "Phường 3"
    if len(figures) != shape.figures:
        return None
    cells = [line.number, name, *figures]
    cells += [line.grade or ""] if shape.grade else []
    cells += [line.note or ""] if shape.note else []
    if (line.grade and not shape.grade) or (line.note and not shape.note):
        return None
    return cells


def _body(blocks: list, first: int, tokens: list[str], header_key: str) -> tuple[list[_Placed], int, list[str]]:
    """The rows that follow the header: from the header paragraph's own leftover tokens,
    then from paragraph `first` on. Returns the rows, the index of the paragraph after the
    last one used, and the tokens left over on that last paragraph."""
    rows, left = cut_rows(tokens)
    placed = [_Placed(r, first - 1, blocks[first - 1].page) for r in rows]
    if left:
        return placed, first, left
    i = first
    while i < len(blocks) and isinstance(blocks[i], Paragraph):
        rows, left = cut_rows(tokens_of(blocks[i].text))
        if not rows and _wrapped_row(blocks, i):
            placed += [_Placed(r, i, blocks[i].page) for r in cut_rows(_joined(blocks, i))[0]]
            i += 2
            continue
        if not rows:
            resumes = _after_furniture(blocks, i, header_key)
            if resumes is None:
                break
            i = resumes
            continue
        placed += [_Placed(r, i, blocks[i].page) for r in rows]
        i += 1
        if left:
            return placed, i, left
    return placed, i, []


def _joined(blocks: list, i: int) -> list[str]:
    return tokens_of(f"{blocks[i].text} {blocks[i + 1].text}")


def _wrapped_row(blocks: list, i: int) -> bool:
    """blocks[i] is a row whose name wrapped onto the next line ("11 Sở Nông nghiệp và
    Phát triển" / "nông thôn 100 86.25 86.25% Tốt"): it starts with a row number, the next
    line starts no row, and the two lines read as exactly one row."""
    if i + 1 >= len(blocks) or not isinstance(blocks[i + 1], Paragraph):
        return False
    first = tokens_of(blocks[i].text)[:1]
    if not first or not ROW_NUMBER.match(first[0]) or cut_rows(tokens_of(blocks[i + 1].text))[0]:
        return False
    rows, left = cut_rows(_joined(blocks, i))
    return len(rows) == 1 and not left


def _is_furniture(text: str, header_key: str) -> bool:
    """Between two pages of a table: a blank, a page number, the header printed again."""
    key = fold(text)
    return not key or bool(FURNITURE.match(key)) or key == header_key


def _after_furniture(blocks: list, i: int, header_key: str) -> int | None:
    """The paragraph where the table's rows go on after the furniture that starts at
    blocks[i], or None when no row follows it."""
    j = i
    while j < len(blocks) and isinstance(blocks[j], Paragraph) and _is_furniture(blocks[j].text, header_key):
        j += 1
    if j > i and j < len(blocks) and isinstance(blocks[j], Paragraph) and cut_rows(tokens_of(blocks[j].text))[0]:
        return j
    return None


def _grid(header: list[str], lines: list[tuple[list[str], int]], page: int) -> list[list[Cell]]:
    grid = [[Cell(text=t, row=0, col=c, page=page, bold=True) for c, t in enumerate(header)]]
    for r, (cells, row_page) in enumerate(lines, start=1):
        grid.append([Cell(text=t, row=r, col=c, page=row_page) for c, t in enumerate(cells)])
    return grid


def _header_cells(tokens: list[str], shape: _Shape) -> tuple[list[str], _Shape] | None:
    """The header cut into the columns of its rows, or into one more when the last is a
    note column the rows leave blank ("Ghi chú")."""
    cells = split_header(tokens, shape.width)
    if cells is not None:
        return cells, shape
    if not shape.note:
        cells = split_header(tokens, shape.width + 1)
        if cells is not None and BLANK_COLUMN_HEADER.match(fold(cells[-1])):
            return cells, _Shape(shape.figures, shape.grade, True)
    return None


def _table_from(blocks: list, i: int, tokens: list[str], k: int) -> tuple[Table, int, Paragraph | None] | None:
    """The table whose header is tokens[:k] of blocks[i], its rows after it."""
    head = blocks[i]
    placed, after, left = _body(blocks, i + 1, tokens[k:], fold(head.text))
    shape = _shape(placed)
    found = _header_cells(tokens[:k], shape) if shape else None
    if found is None:
        return None
    header, shape = found
    lines: list[tuple[list[str], int]] = []
    for j, p in enumerate(placed):
        cells = _fit(p.line, shape)
        if cells is None:  # the table ends before this row; the rest of its paragraph stays text
            before = [q for q in placed[:j] if q.block == p.block]
            rest = [" ".join(q.line.cells) for q in placed[j:] if q.block == p.block]
            left = tokens_of(" ".join(rest)) + (left if p.block == after - 1 else []) if before else []
            after = p.block + 1 if before else p.block
            break
        lines.append((cells, p.page))
    if sum(1 for cells, _ in lines if cells[0] and not BLOCK_NUMBER.match(cells[0])) < MIN_ROWS:
        return None
    rest_paragraph = None
    if left:
        rest_paragraph = Paragraph(text=" ".join(left), index=0, page=blocks[after - 1].page)
    return Table(index=0, rows=_grid(header, lines, head.page), page=head.page), after, rest_paragraph


def table_at(blocks: list, i: int) -> tuple[Table, int, Paragraph | None] | None:
    """The table whose header line is blocks[i]: the table, the index of the block after
    it, and a paragraph with the text left after its last row (or None). The header ends
    where rows start: at the end of its paragraph, or where its own rows follow on it."""
    head = blocks[i]
    if not isinstance(head, Paragraph) or not starts_with_numbering(head.text):
        return None
    tokens = tokens_of(head.text)
    for k in header_ends(tokens):
        if k >= 2:
            found = _table_from(blocks, i, tokens, k)
            if found is not None:
                return found
    return None


def rebuild_line_tables(blocks: list) -> list:
    """The blocks with every run of paragraphs that prints a table one row per line
    replaced by that table."""
    out: list = []
    i = 0
    while i < len(blocks):
        found = table_at(blocks, i)
        if found is None:
            out.append(blocks[i])
            i += 1
            continue
        table, i, rest = found
        out.append(table)
        if rest is not None:
            out.append(rest)
    return out
