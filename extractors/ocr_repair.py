"""Repairs of OCR'd table cells from the table's structure, made only where one reading
fits, and the cells that stay in doubt.

Figures: OCR misreads the decimal comma of a small figure as a slash, a colon or a point
("2,50" -> "2/50", "2:50", "2.50"), a zero as the letter o ("1oo,oo"), and a speck as a
mark beside it ("1,00."). A cell is fixed only when its whole column prints the same
shape (at least MIN_SHARE of the column's figures are decimals with the same number of
decimals, "d,dd") and the cell differs from that shape by exactly one of these misreads.
In a rank column (most figures "d/13", one shared denominator) a rank that lost its
slash ("713") gets it back when the digits end in the denominator and what is left is a
rank no greater than it. A figure that lost its comma ("1200") is left alone: it could
have been printed so ("100" in a column of "d,dd").

Codes: a code cell must fit its siblings' numbering: "24" after "2.3" is "2.4", a code
lost or unreadable between "1" and "1,2" is "1,1", written with the separator the
column prints codes of that depth with; the headings of groups numbered in roman
numerals (the rows above an item 1) are I, II, III in order, where one reads so and none
reads otherwise ("l" is I, a lost heading after I is II).

A table continued from the page before (`repair_codes`' `before`) carries its numbering
over: "71.4" at the top of a page after 7.1.3 is 7.1.4.

Headers: a header cell one misread letter away from one phrase of the header vocabulary
is that phrase ("Xếp hạnq" is "Xếp hạng"). A year in a header cell is one of the years
the document's prose prints ("Năm 2028" in a report on 2022 and 2023 is "Năm 2023": one
digit OCR confuses, 3 read as 8), else in doubt; a unit's name one letter away from
exactly one unit the prose names is that unit.

Every fix is returned for the page's record with what was read, what it became and the
confidence of each. A cell that still lacks its column's shape, a code that is no code,
or a figure read with a confidence under UNCERTAIN_BELOW is in doubt (`uncertain_cells`);
each cell keeps its confidence, which the normalizer gives the observations of its row.
Nothing else is changed: text that OCR lost stays lost.
"""

from __future__ import annotations

import re

from parindex.extractors.line_tables import HEADER_SUFFIX, is_header_phrase
from parindex.schemas import Table
from parindex.vietnamese.codes import criterion_code
from parindex.vietnamese.folding import collapse, fold_keep_length
from parindex.vietnamese.vocabulary import HEADER_PHRASES, header_row_count, is_year_only, unit_prefix_words

# how surely a repaired cell says what was printed (0-100, as OCR's word confidence):
# a misread that only one form of the column's shape explains, a code whose digits only one
# code of the numbering has, a lost code that is the only one between its neighbours
SHAPE_CONFIDENCE = 90.0
NUMBERING_CONFIDENCE = 90.0
LOST_CODE_CONFIDENCE = 80.0
# a header cell one letter away from one phrase of the header vocabulary, and no other
HEADER_CONFIDENCE = 85.0
# below this a figure or code cell's reading is in doubt (Tesseract's word confidence)
UNCERTAIN_BELOW = 60.0
MIN_SHARE = 0.8  # of a column's figures in one decimal shape
RANK_SHARE = 0.6  # of a column's figures ranks out of one denominator
_LETTER_DIGIT = {"o": "0", "O": "0", "l": "1", "I": "1", "|": "1"}  # letters OCR reads a digit as
LETTER_DIGITS = str.maketrans(_LETTER_DIGIT)
STRAY_MARKS = ".,'`ˆ„_:;|‘’\"~"  # marks OCR reads from specks beside a figure (never a sign)
_DECIMAL = re.compile(r"^\d{1,3},(\d{1,3})$")
_ANY_DECIMAL = re.compile(r"^\d{1,3}[.,]\d{1,3}$")


def _column_shape(texts: list[str]) -> int | None:
    """The number of decimals the column's figures print, when most of them agree."""
    figures = [t for t in texts if re.fullmatch(r"[\d.,/%+\-−]+", t) and any(ch.isdigit() for ch in t)]
    if len(figures) < 3:
        return None
    decimals = [len(m.group(1)) for m in map(_DECIMAL.match, figures) if m]
    if not decimals:
        return None
    common = max(set(decimals), key=decimals.count)
    return common if decimals.count(common) >= MIN_SHARE * len(figures) else None


def fix_figure(text: str, decimals: int) -> str | None:
    """The figure `text` was printed as, in a column of d,dd figures; None if unsure."""
    t = text.strip()
    if _DECIMAL.match(t):
        return None
    core = t.strip(STRAY_MARKS)
    if core != t and re.fullmatch(r"\d{1,3},\d{%d}" % decimals, core):
        return core  # a speck or a seal's trace read beside the figure
    letters = t.translate(LETTER_DIGITS)
    if letters != t and re.fullmatch(r"\d{1,3},\d{%d}" % decimals, letters) and re.search(r"\d", t):
        return letters
    m = re.fullmatch(r"(\d{1,3})[/;:.](\d{%d})" % decimals, t)
    if m:
        return f"{m.group(1)},{m.group(2)}"
    return None


def _mixed_decimals(texts: list[str]) -> bool:
    """A column of decimal figures printed with one or two decimals ("89,2", "90,93"),
    most of them (MIN_SHARE)."""
    figures = [t for t in texts if re.fullmatch(r"[\d.,/%+\-−]+", t) and any(ch.isdigit() for ch in t)]
    return len(figures) >= 3 and sum(bool(_ANY_DECIMAL.match(t)) for t in figures) >= MIN_SHARE * len(figures)


def _rank_denominator(texts: list[str]) -> int | None:
    figures = [t for t in texts if re.fullmatch(r"[\d.,/%+\-−]+", t) and any(ch.isdigit() for ch in t)]
    if len(figures) < 3:
        return None
    dens = [m.group(1) for m in (re.fullmatch(r"\d{1,3}/(\d{1,3})", t) for t in figures) if m]
    if not dens:
        return None
    common = max(set(dens), key=dens.count)
    return int(common) if dens.count(common) >= RANK_SHARE * len(figures) else None


def fix_rank(text: str, denominator: int) -> str | None:
    """'713' -> '7/13' in a column of ranks out of 13; None if unsure."""
    t = text.strip()
    d = str(denominator)
    if not re.fullmatch(r"\d+", t) or not t.endswith(d) or len(t) == len(d):
        return None
    rank = t[: -len(d)]
    return f"{int(rank)}/{d}" if rank[0] != "0" and 1 <= int(rank) <= denominator else None


def column_shapes(table: Table) -> dict[int, tuple[str, int]]:
    """Columns whose figures share a shape: {col: ("decimal", decimals), ("rank",
    denominator) or ("decimals", 0): decimal figures, not all with as many decimals}."""
    shapes = {}
    for col in range(table.n_cols):
        texts = [r[col].text for r in table.rows if col < len(r) and not r[col].spanned and r[col].colspan == 1]
        decimals = _column_shape(texts)
        if decimals is not None:
            shapes[col] = ("decimal", decimals)
            continue
        denominator = _rank_denominator(texts)
        if denominator is not None:
            shapes[col] = ("rank", denominator)
        elif _mixed_decimals(texts):
            shapes[col] = ("decimals", 0)
    return shapes


def fits(text: str, shape: tuple[str, int]) -> bool:
    """Does the cell text have its column's shape (or hold no figure-like text at all)?"""
    kind, n = shape
    t = text.strip()
    if kind == "decimal":
        return bool(re.fullmatch(r"\d{1,3},\d{%d}" % n, t))
    if kind == "decimals":
        return bool(_ANY_DECIMAL.match(t))
    m = re.fullmatch(r"(\d{1,3})/(\d{1,3})", t)
    return bool(m) and int(m.group(1)) <= int(m.group(2))


def repair_table(table: Table) -> list[dict]:
    """Fix the cells of an OCR'd table in place; the list of fixes made."""
    fixes: list[dict] = []
    n_cols = table.n_cols
    for col in range(n_cols):
        cells = [r[col] for r in table.rows if col < len(r) and not r[col].spanned and r[col].colspan == 1]
        texts = [c.text for c in cells]
        decimals = _column_shape(texts)
        denominator = _rank_denominator(texts) if decimals is None else None
        if decimals is None and denominator is None:
            continue
        for cell in cells:
            fixed = fix_figure(cell.text, decimals) if decimals is not None else fix_rank(cell.text, denominator)
            if fixed is not None:
                fixes.append(_record(cell, fixed, "figure" if decimals is not None else "rank", SHAPE_CONFIDENCE))
                for row in table.rows:  # covered positions of a merged cell keep its text
                    for other in row:
                        if other.spanned and other.bbox == cell.bbox and other.bbox is not None:
                            other.text = fixed
    return fixes


# --- codes: a code cell must fit its siblings' numbering ---------------------------------

CODE_SHARE = 0.5  # of a column's non-empty cells that read as codes for it to be the code column


def _code_column(table: Table) -> int | None:
    """The column of criterion codes: the first one most of whose non-empty cells are codes."""
    for col in range(min(2, table.n_cols)):
        texts = [r[col].text.strip() for r in table.rows if col < len(r) and not r[col].spanned and r[col].text.strip()]
        codes = [t for t in texts if criterion_code(t) and not is_year_only(t)]
        if len(codes) >= 3 and len(codes) >= CODE_SHARE * len(texts):
            return col
    return None


def _successors(code: str) -> list[str]:
    """Codes that may follow `code` in a numbered tree: its first child, its next sibling,
    and the next sibling of each of its ancestors."""
    parts = code.split(".")
    out = [code + ".1"]
    for k in range(len(parts), 0, -1):
        head, last = parts[: k - 1], parts[k - 1]
        if last.isdigit():
            out.append(".".join(head + [str(int(last) + 1)]))
    return out


def _digits(text: str) -> str:
    return re.sub(r"[^\d]", "", text.translate(LETTER_DIGITS))


def _separator_as_one(code: str) -> set[str]:
    """The digits of `code` with one of its separators read as the digit 1 ("5.1.3" read
    "511.3" or "51.13")."""
    parts = code.split(".")
    return {"".join(parts[:k]) + "1" + "".join(parts[k:]) for k in range(1, len(parts))}


def fix_code(text: str, previous: str | None, following: str | None, doubtful: bool = False) -> str | None:
    """The code a misread or lost code cell was printed as, from the codes around it:
    '24' after '2.3' is '2.4', '511.3' after '5.1.2' is '5.1.3' (a separator read as 1);
    '2/1' or 'd,1' between '2' and '2.2' is '2.1'; an empty
    cell between '1' and '1.2' is '1.1', and so is a `doubtful` reading of any text
    there; '1,4' between '7.3.7' and '8' is '7.4' (the only code there of its depth
    ending in 4). None when no single code of the numbering fits."""
    t = text.strip()
    if previous is None or (not doubtful and (len(t) > 5 or (t and not re.search(r"[\d.,/]", t)))):
        return None
    candidates = _successors(previous)
    if criterion_code(t) in candidates:
        return None
    by_digits = [c for c in candidates if t and _digits(t) in (_digits(c), *_separator_as_one(c))]
    if len(by_digits) > 1 and following is not None:
        by_digits = [c for c in by_digits if following in _successors(c)]
    if len(by_digits) == 1:
        return by_digits[0]
    between = [c for c in candidates if following is not None and following in _successors(c)]
    read = criterion_code(t)
    if not between and read and (following is None or following not in _successors(read)):
        # nothing fits before the next code (itself misread: "73" for "7.3"), and the
        # reading is no step towards it either: the one code that may follow which the
        # reading is one digit misread from ("1,2" after "7.1.4" is "7.2", 7 read as 1)
        near = [c for c in candidates if _one_digit_misread(read, c)]
        return near[0] if len(near) == 1 else None
    if len(between) > 1 and read:
        # several codes fit between the neighbours ("7.3.8", "7.4" and "7.3.7.1" between
        # "7.3.7" and "8"): the one of the reading's depth and last number, when only one
        # is, is what a misread leading digit hides ("1,4" there is "7,4")
        between = [c for c in between if c.count(".") == read.count(".") and c.split(".")[-1] == read.split(".")[-1]]
    return between[0] if len(between) == 1 else None


# digits Tesseract reads one for the other in scanned figures (7 lost its bar, 3 and 5
# closed into 8 or 6 by blur or a speck)
CONFUSED_DIGITS = frozenset(frozenset(p) for p in ("17", "38", "56", "68", "08", "89", "35", "69", "14"))


def _one_digit_misread(read: str, printed: str) -> bool:
    """`read` is `printed` with one digit read as a digit OCR confuses it with (the same
    length and separators)."""
    if len(read) != len(printed):
        return False
    off = [(a, b) for a, b in zip(read, printed) if a != b]
    return len(off) == 1 and frozenset(off[0]) in CONFUSED_DIGITS


def repair_codes(table: Table, first_body_row: int = 0, before: Table | None = None) -> list[dict]:
    """Fix code cells that do not fit their neighbours' numbering, in place; the fixes.
    `before` is the part of the table on the page before, when this part continues it:
    its last code is the one before this part's first."""
    col = _code_column(table)
    if before is not None and col is None:
        col = _code_column(before)  # a short continuation holds too few codes to tell
    if col is None:
        return []
    rows = [r for r in table.rows[first_body_row:] if col < len(r) and not r[col].spanned]
    codes = [criterion_code(r[col].text) for r in rows]
    earlier = [r[col].text for r in before.rows if col < len(r) and not r[col].spanned] if before is not None else []
    carried = next((c for c in map(criterion_code, reversed(earlier)) if c and not is_year_only(c)), None)
    printed = _printed_separators(earlier + [r[col].text for r in rows])
    fixes = []
    for i, row in enumerate(rows):
        cell = row[col]
        if cell.colspan > 1 or not _row_has_entry(row, col):
            continue
        previous = next((c for c in reversed(codes[:i]) if c), carried)
        following = next((c for c in codes[i + 1 :] if c), None)
        if codes[i] is not None and previous is not None and codes[i] in _successors(previous):
            continue
        doubtful = cell.confidence is not None and cell.confidence < UNCERTAIN_BELOW
        fixed = fix_code(cell.text, previous, following, doubtful)
        if fixed is not None and fixed != codes[i]:
            confidence = NUMBERING_CONFIDENCE if _digits(fixed) == _digits(cell.text) else LOST_CODE_CONFIDENCE
            fixes.append(_record(cell, _as_printed(fixed, printed), "code", confidence))
            codes[i] = fixed
    return fixes


ROMANS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
ROMAN_ONE = "Il|!"  # what OCR reads a roman I as (the digit 1 is a code of its own: never taken for I)


def repair_romans(table: Table) -> list[dict]:
    """Roman group codes read as letters ("l" for "I", "Il" for "II") or lost, fixed in
    place from the column's numbering; the fixes. A group's heading is the row just above
    an item numbered 1 (that has a label); the headings of a column are I, II, III in
    order when at least one reads so (as the numeral or as as many I-like letters) and
    none reads as another code. The digit 1 is never taken for I."""
    col = _code_column(table)
    if col is None:
        return []
    rows = [r for r in table.rows if col < len(r) and not r[col].spanned]
    codes = [criterion_code(r[col].text) for r in rows]
    heads = [
        i
        for i in range(len(rows) - 1)
        if codes[i + 1] == "1" and codes[i] != "1" and col + 1 < len(rows[i]) and rows[i][col + 1].text.strip()
    ]
    if not heads or len(heads) > len(ROMANS):
        return []
    agree = 0
    for k, i in enumerate(heads):
        t = rows[i][col].text.strip().rstrip(".")
        if codes[i] is not None and codes[i] != ROMANS[k]:
            return []  # read as another code ("II" where the order says I, or "3")
        if _i_like(t) and len(t) != k + 1:
            return []
        agree += codes[i] == ROMANS[k] or _i_like(t)
    if not agree:
        return []
    fixes = []
    for k, i in enumerate(heads):
        cell = rows[i][col]
        if codes[i] != ROMANS[k]:
            confidence = NUMBERING_CONFIDENCE if _i_like(cell.text.strip().rstrip(".")) else LOST_CODE_CONFIDENCE
            fixes.append(_record(cell, ROMANS[k], "code", confidence))
    return fixes


def _i_like(text: str) -> bool:
    """One to three letters OCR reads a roman I as, not all of them I (that is a numeral)."""
    return 0 < len(text) <= 3 and not text.strip(ROMAN_ONE) and bool(text.strip("I"))


def _printed_separators(texts: list[str]) -> dict[int, str]:
    """The separator the column prints codes of each depth with ("1,1" but "1.3.1")."""
    seen: dict[int, list[str]] = {}
    for t in texts:
        t = t.strip()
        if re.fullmatch(r"\d{1,2}(?:[.,]\d{1,2}){1,3}", t):
            seps = re.findall(r"[.,]", t)
            seen.setdefault(len(seps) + 1, []).extend(seps)
    return {depth: max(set(s), key=s.count) for depth, s in seen.items()}


def _as_printed(code: str, separators: dict[int, str]) -> str:
    depth = code.count(".") + 1
    return code.replace(".", separators.get(depth, ".")) if depth > 1 else code


def _row_has_entry(row: list, col: int) -> bool:
    """A row that carries a label and a figure after its code cell (an entry of the tree)."""
    rest = [c.text.strip() for c in row[col + 1 :]]
    return bool(rest) and bool(rest[0]) and any(re.search(r"\d", t) for t in rest[1:])


def _record(cell, fixed: str, kind: str, confidence: float) -> dict:
    """Apply a fix to a cell and say what was read, what was fixed, and how surely."""
    record = {
        "row": cell.row,
        "col": cell.col,
        "kind": kind,
        "read": cell.text,
        "fixed": fixed,
        "read_confidence": cell.confidence,
        "confidence": max(confidence, cell.confidence or 0.0),
    }
    cell.text, cell.confidence = fixed, record["confidence"]
    return record


# --- headers: a header cell is matched against the header vocabulary ------------------------

HEADER_MIN_LETTERS = 6  # shorter phrases ("hang", "tong") are one letter away from too much


def repair_headers(table: Table) -> list[dict]:
    """Header cells (the rows above the first figure) that are no phrase of the header
    vocabulary (`vietnamese.vocabulary.HEADER_PHRASES`) but one misread letter away from
    exactly one ("Xếp hạnq" -> "Xếp hạng"; two letters in a phrase of 14 or more), fixed
    in place, with any note, year or "%" after the phrase kept; the fixes. Only letters
    are swapped, so the words keep their length and the other letters their accents."""
    n = header_row_count([[c.text for c in r] for r in table.rows])
    fixes = []
    for row in table.rows[:n]:
        for cell in row:
            text = collapse(cell.text)
            if cell.spanned or not text or is_header_phrase(text):
                continue
            folded = fold_keep_length(text)
            note = HEADER_SUFFIX.search(folded)
            core = folded[: note.start()] if note else folded
            if len(core) < HEADER_MIN_LETTERS:
                continue
            near = [p for p in HEADER_PHRASES if len(p) == len(core) and _letters_off(p, core) <= (len(p) >= 14) + 1]
            if len(near) != 1:
                continue
            fixed = "".join(
                ch if f == p else (p.upper() if ch.isupper() else p) for ch, f, p in zip(text, core, near[0])
            )
            fixes.append(_record(cell, fixed + text[len(core) :], "header", HEADER_CONFIDENCE))
    return fixes


def _letters_off(phrase: str, read: str) -> int:
    """Letters that differ between two strings of one length; spaces and marks must agree."""
    off = 0
    for p, r in zip(phrase, read):
        if p != r:
            if not (p.isalpha() and r.isalnum()):
                return 99
            off += 1
    return off


# --- what stays in doubt -------------------------------------------------------------------


def uncertain_cells(table: Table) -> list[dict]:
    """Cells whose reading stays in doubt after repair: a figure that lacks its column's
    shape, a code that does not fit the numbering, a figure or code read with a low
    confidence. Their confidence is lowered below UNCERTAIN_BELOW where it was not."""
    shapes = column_shapes(table)
    code_col = _code_column(table)
    out = []
    for row in table.rows:
        for cell in row:
            t = cell.text.strip()
            if cell.spanned or not t or cell.confidence is None:
                continue
            shape = shapes.get(cell.col)
            # a figure, or one word holding digits ("g7,24"), that lacks its column's shape
            misshaped = (
                shape is not None and (_figure_like(t) or (re.search(r"\d", t) and " " not in t)) and not fits(t, shape)
            )
            odd_code = cell.col == code_col and re.search(r"\d", t) and criterion_code(t) is None
            doubtful = cell.confidence < UNCERTAIN_BELOW and (re.search(r"\d", t) or cell.col == code_col)
            if misshaped or odd_code or doubtful:
                if cell.confidence >= UNCERTAIN_BELOW:
                    cell.confidence = UNCERTAIN_BELOW - 1
                out.append(
                    {
                        "row": cell.row,
                        "col": cell.col,
                        "text": t,
                        "confidence": cell.confidence,
                        "why": "shape" if misshaped else "code" if odd_code else "confidence",
                    }
                )
    return out


def _figure_like(text: str) -> bool:
    """Digits and separators, with at most the letters OCR mistakes digits for."""
    return bool(re.search(r"\d", text)) and not re.search(r"[^\W\doOlI_]", text)


def comma_decimals(table: Table) -> list[dict]:
    """A decimal point in a column whose figures all print a decimal comma ('4.5/5' among
    '8,17/13,50', '10,5/13,50') is a misread comma."""
    fixes = []
    code_col = _code_column(table)
    for col in range(table.n_cols):
        if col == code_col:  # "1,1" beside "1.3.1" is how codes print
            continue
        cells = [r[col] for r in table.rows if col < len(r) and not r[col].spanned and _figure_like(r[col].text)]
        commas = [c for c in cells if re.search(r"\d,\d", c.text) and not re.search(r"\d\.\d", c.text)]
        points = [c for c in cells if re.search(r"\d\.\d", c.text) and c.text.count(".") == 1]
        if len(commas) >= 3 and len(points) == 1 and len(commas) >= MIN_SHARE * (len(cells) - 1):
            cell = points[0]
            fixes.append(_record(cell, re.sub(r"(?<=\d)\.(?=\d)", ",", cell.text), "separator", SHAPE_CONFIDENCE))
    return fixes


# --- years: a header's year is one of the document's ------------------------------------

YEAR_CONFIDENCE = 85.0
# letters OCR reads a year's digits as ("2O23", "Z023", "2O2l")
YEAR_LETTERS = _LETTER_DIGIT | {"D": "0", "Q": "0", "i": "1", "Z": "2", "z": "2", "S": "5", "s": "5", "B": "8"}
YEAR_LETTERS |= {"g": "9", "q": "9"}
_YEAR_DIGITS = str.maketrans(YEAR_LETTERS)
_YEAR_TOKEN = re.compile(r"(?<![\w|])([\d%s]{4})(?![\w|])" % re.escape("".join(YEAR_LETTERS)))
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_YEAR_RANGE = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*[-–—]\s*((?:19|20)\d\d)(?!\d)")


def document_years(texts: list[str]) -> set[str]:
    """The years a document's prose prints (a title's "năm 2023", "so với năm 2022"),
    with the years inside a printed span ("giai đoạn 2021 - 2024")."""
    years: set[str] = set()
    for text in texts:
        years.update(_YEAR.findall(text))
        for first, last in _YEAR_RANGE.findall(text):
            if 0 < int(last) - int(first) <= 10:
                years.update(str(y) for y in range(int(first), int(last) + 1))
    return years


def year_readings(token: str, years: set[str]) -> list[str]:
    """The document's years a four-character reading may be a misread of: each differing
    character a letter OCR reads that digit as ("2O23"), or one digit it confuses with
    it ("2028" for "2023")."""
    out = []
    for year in sorted(years):
        off = [(r, p) for r, p in zip(token, year) if r != p]
        letters = [o for o in off if not o[0].isdigit()]
        digits = [o for o in off if o[0].isdigit()]
        if (
            off
            and all(YEAR_LETTERS.get(r) == p for r, p in letters)
            and len(digits) <= 1
            and all(frozenset(o) in CONFUSED_DIGITS for o in digits)
        ):
            out.append(year)
    return out


def repair_years(table: Table, years: set[str]) -> tuple[list[dict], list[dict]]:
    """Years in the header cells (the rows above the first figure) checked against the
    years the document's prose prints: a reading that is none of them is fixed in place
    when it is a misread of exactly one ("Năm 2028" in a report on 2022 and 2023 is
    "Năm 2023"), and otherwise stays in doubt when it reads as a year at all. The fixes,
    and the doubts (as `uncertain_cells` lists them). Nothing is checked without years
    in the prose."""
    if not years:
        return [], []
    n = header_row_count([[c.text for c in r] for r in table.rows])
    fixes, doubts = [], []
    for row in table.rows[:n]:
        for cell in row:
            if cell.spanned or cell.confidence is None:
                continue
            text, doubtful = cell.text, None
            for m in reversed(list(_YEAR_TOKEN.finditer(text))):
                token = m.group(1)
                if token in years or sum(ch.isdigit() for ch in token) < 2:
                    continue
                fits_one = year_readings(token, years)
                if len(fits_one) == 1:
                    text = text[: m.start(1)] + fits_one[0] + text[m.end(1) :]
                elif is_year_only(token.translate(_YEAR_DIGITS)):
                    doubtful = token
            if text != cell.text:
                fixes.append(_record(cell, text, "year", YEAR_CONFIDENCE))
            if doubtful is not None:
                cell.confidence = min(cell.confidence, UNCERTAIN_BELOW - 1)
                doubts.append(
                    {"row": cell.row, "col": cell.col, "text": cell.text, "confidence": cell.confidence, "why": "year"}
                )
    return fixes, doubts


# --- units: a header's unit is the document's ---------------------------------------------

UNIT_CONFIDENCE = 85.0
UNIT_MIN_LETTERS = 4  # shorter names ("Mê", "An") are one letter away from too much
_UNIT = re.compile(r"(?<!\w)(?:" + unit_prefix_words() + r")\s+([^\W\d_]+(?:\s+[^\W\d_]+){0,3})", re.IGNORECASE)


def _unit_names(text: str) -> list[tuple[int, str]]:
    """(where it starts, the name) of each unit a text names after its prefix ("huyện Ba
    Tơ", "HUYỆN BA TƠ"): the capitalized words after the prefix."""
    out = []
    for m in _UNIT.finditer(text):
        words = []
        for word in m.group(1).split():
            if not word[0].isupper():
                break
            words.append(word)
        if words:
            out.append((m.start(1), " ".join(words)))
    return out


def document_units(texts: list[str]) -> set[str]:
    """The units a document's prose names ("huyện Tam Đường"); a name in capitals runs
    on into the title's next words ("HUYỆN BA TƠ GIAI ĐOẠN"), so each of its first
    words stands for a name ("BA", "BA TƠ", "BA TƠ GIAI", ...)."""
    units = set()
    for text in texts:
        for _, name in _unit_names(collapse(text)):
            words = name.split()
            units.update(" ".join(words[:k]) for k in range(1, len(words) + 1)) if name.isupper() else units.add(name)
    return units


def repair_units(table: Table, units: set[str]) -> list[dict]:
    """Unit names in the header cells checked against the units the document's prose
    names: a name that is none of them but one misread letter away from exactly one
    ("huyện Ba Tở" in a report of "HUYỆN BA TƠ") is that unit, fixed in place in the
    case it was read in; the fixes. Other names are left alone (a table may name other
    units)."""
    known = {u.casefold(): u for u in units if len(u.replace(" ", "")) >= UNIT_MIN_LETTERS}
    if not known:
        return []
    n = header_row_count([[c.text for c in r] for r in table.rows])
    fixes = []
    for row in table.rows[:n]:
        for cell in row:
            if cell.spanned or cell.confidence is None:
                continue
            text = cell.text
            for start, name in reversed(_unit_names(text)):
                words = name.split()
                if any(" ".join(words[:k]).casefold() in known for k in range(1, len(words) + 1)):
                    continue
                near = {
                    unit
                    for key, unit in known.items()
                    if (read := " ".join(words[: key.count(" ") + 1]).casefold()) != key
                    and len(read) == len(key)
                    and _letters_off(key, read) == 1
                }
                if len(near) == 1:
                    unit = near.pop()
                    read = " ".join(words[: unit.count(" ") + 1])
                    fixed = unit.upper() if read.isupper() else unit.title() if unit.isupper() else unit
                    text = text[:start] + fixed + text[start + len(read) :]
            if text != cell.text:
                fixes.append(_record(cell, text, "unit", UNIT_CONFIDENCE))
    return fixes
