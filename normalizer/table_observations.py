"""Tables of cells -> observations: which column is which year and measure (header tree,
spans, max printed in the header), which row is which criterion (codes, roman groups,
aggregates, '*' rows), and every value cell parsed.

A table whose rows are units (a province's ranking of its departments and districts, the
national ranking of provinces or ministries) is a ranking table: each row gives its own
unit's total, parts and domains (`ranking_observations`). It is told by its content (a
unit column by its header or by cells that are unit names), never by the file."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from dataclasses import dataclass

from parindex.normalizer.units import split_unit_prefix
from parindex.schemas import Table
from parindex.schemas.columns import AGGREGATE_CODES, GROUP_LEVEL
from parindex.schemas.observation import Observation
from parindex.vietnamese.codes import ROMAN, criterion_code, is_roman
from parindex.vietnamese.folding import collapse, fold
from parindex.vietnamese.numbers import has_percent, looks_numeric, parse_fraction, parse_number, parse_signed
from parindex.vietnamese.ranks import parse_rank
from parindex.vietnamese.vocabulary import (
    AGGREGATES,
    BLOCK_LEVELS,
    BLOCK_SIZE,
    CODE_HEADER,
    CRITERIA_HEADER,
    DOMAIN_COLUMN,
    DOMAIN_NUMBER,
    FRAMEWORK_PATTERNS,
    GRADE_HEADER,
    GROUP_LABELS,
    MEASURES,
    NAME_HEADER,
    NOT_A_UNIT,
    NOTE_HEADER,
    PERCENT_FRAMEWORKS,
    RANK_POSITION_HEADER,
    RANKING_PARTS,
    REFUSED_FRAMEWORKS,
    RESPONSIBLE_HEADER,
    SATISFACTION_HEADER,
    TOTAL_COLUMN,
    UNIT_HEADER,
    YEAR_ROW_HEADER,
    header_row_count,
    is_year_only,
)

YEAR = re.compile(r"\b(19[9]\d|20[0-4]\d)\b")
RANK_OF_IN_HEADER = re.compile(r"/\s*(\d{1,3})\b")
MAX_IN_HEADER = re.compile(r"\(\s*(?:tối đa\s*)?(\d{1,3}(?:[.,]\d{1,2})?)\s*(?:điểm|đ)?\s*\)\s*$", re.IGNORECASE)


def aggregate_code(label: str) -> str | None:
    f = fold(label)
    for code, pat in AGGREGATES:
        if pat.search(f):
            return code
    return None


@dataclass
class Column:
    index: int
    role: str  # code | name | year | note | value | ignore
    field: str | None = None  # observation field for value columns
    year: int | None = None
    rank_of: int | None = None
    code: str | None = None  # aggregate or domain the column holds (row-year and ranking tables)
    percent_header: bool = False
    header_max: float | None = None  # "Điểm thẩm định (65)": the max of the aggregate this column sums to
    path: list[str] = dataclasses.field(default_factory=list)
    domain_name: str | None = None  # ranking tables: the header that names the column's domain
    printed_code: str | None = None  # ranking tables: the domain code as the header prints it
    framework: str | None = None  # ranking tables: the index the header names, when it names one


def _path(rows: list[list[str]], col: int, n_header: int) -> list[str]:
    out: list[str] = []
    for r in range(n_header):
        t = collapse(rows[r][col]) if col < len(rows[r]) else ""
        if t and (not out or out[-1] != t):
            out.append(t)
    return out


def _year_of(path: list[str]) -> int | None:
    for text in reversed(path):
        head = re.split(r"so với", text, flags=re.IGNORECASE)[0]
        m = YEAR.findall(head)
        if m:
            return int(m[0])
    return None


def _measure_of(path: list[str]) -> str | None:
    folded = [fold(t) for t in path]
    is_delta = any(MEASURES[0][1].search(t) for t in folded)
    for t in reversed(folded):
        for name, pat in MEASURES[1:]:
            if pat.search(t):
                if is_delta:
                    return "rank_delta" if name == "rank" else "delta"
                return name
    return "delta" if is_delta else None


def fill_header_spans(rows: list[list[str]], n_header: int) -> list[list[str]]:
    """Text exports lose merged cells: a blank upper-header cell right of a label, with a
    label under it, belongs to the label on its left ("Năm 2021" over three columns)."""
    out = [list(r) for r in rows]
    for r in range(n_header - 1):
        for c in range(1, len(out[r])):
            below = collapse(out[r + 1][c]) if c < len(out[r + 1]) else ""
            if not collapse(out[r][c]) and collapse(out[r][c - 1]) and below:
                out[r][c] = out[r][c - 1]
    return out


def interpret_columns(rows: list[list[str]], n_header: int) -> list[Column]:
    rows = fill_header_spans(rows, n_header)
    n_cols = max(len(r) for r in rows)
    cols: list[Column] = []
    for c in range(n_cols):
        path = _path(rows, c, n_header)
        joined = fold(" ".join(path))
        col = Column(index=c, role="value", path=path)
        if not path:
            col.role = "unknown"
        elif CODE_HEADER.search(fold(path[0])) and c <= 1:
            col.role = "code"
        elif YEAR_ROW_HEADER.search(fold(path[-1])):
            col.role = "year"
        elif (
            NAME_HEADER.search(joined)
            and not any(ch.isdigit() for ch in joined)
            and _measure_of(path) in (None, "score", "target")
        ):
            col.role = "name"
        elif NOTE_HEADER.search(joined) and _measure_of(path) is None:
            col.role = "note"
        else:
            col.field = _measure_of(path)
            col.year = _year_of(path)
            col.percent_header = "%" in " ".join(path)
            m = RANK_OF_IN_HEADER.search(" ".join(path))
            if col.field == "rank" and m:
                col.rank_of = int(m.group(1))
            mx = MAX_IN_HEADER.search(path[-1]) if col.field in ("score", "self_score") else None
            if mx:
                col.header_max = parse_number(mx.group(1))
            if col.field is None:
                col.role = "ignore"
        cols.append(col)
    # a name column is required: else the first non-code text column
    if not any(c.role == "name" for c in cols):
        for c in cols:
            if c.role in ("unknown", "ignore", "value") and c.field in (None,) and c.index <= 2 and c.role != "code":
                c.role = "name"
                break
    # row-year tables: value columns name the aggregate they hold
    if any(c.role == "year" for c in cols):
        for c in cols:
            if c.role == "value":
                c.code = aggregate_code(" ".join(c.path)) or ("TOTAL" if c.field == "rank" else None)
    return cols


def _comparison_row(cells: list[str]) -> list[int | None] | None:
    """A label row under figures: "Năm 2022 so với năm 2021 giảm" per column -> years."""
    years: list[int | None] = []
    hits = 0
    for t in cells:
        m = re.search(r"năm\s*(\d{4})\s*so với\s*năm\s*(\d{4})", t, flags=re.IGNORECASE)
        years.append(int(m.group(1)) if m else None)
        hits += bool(m)
    return years if hits else None


@dataclass
class TableContext:
    framework: str = "PAR_INDEX"
    year: int | None = None
    rank_of: int | None = None
    # units of each level the document says are ranked ("… CỦA 19 SỞ, BAN, NGÀNH" in the title)
    group_sizes: dict = dataclasses.field(default_factory=dict)


def _set(values: dict, key: str, value) -> None:
    if value is not None and values.get(key) is None:
        values[key] = value


def _parse_value(col: Column, text: str, values: dict, framework: str) -> None:
    t = collapse(text)
    if not t or t in ("-", "x", "X", "—"):
        return
    f = col.field
    if f in ("rank",):
        r = parse_rank(t, col.rank_of)
        if r is not None:
            _set(values, "rank", r.rank)
            _set(values, "rank_of", r.rank_of)
        return
    if f == "rank_delta":
        v = parse_signed(t)
        _set(values, "rank_delta", int(round(v)) if v is not None else None)
        return
    if f == "delta":
        v = parse_signed(t)
        _set(values, "delta", v)
        if v is not None:
            _set(values, "delta_basis", "percent" if ("%" in t or col.percent_header) else "score")
        return
    frac = parse_fraction(t)
    if frac:
        # X/Y: achieved (or target, or self-assessed) out of a maximum
        achieved = f if f in ("target", "self_score") else "score"
        _set(values, achieved, frac[0])
        _set(values, "max_score", frac[1])
        return
    v = parse_number(t)
    if v is None:
        return
    if f == "score" and (has_percent(t) or (framework in PERCENT_FRAMEWORKS and v > 1)):
        f = "percent"  # a DTI printed on its 0-1 scale ("0,6077") is a score
    _set(values, f, v)


def table_observations(table: Table, ctx: TableContext) -> list[Observation]:
    """The observations (unmatched) of one table."""
    rows = table.texts()
    if not rows:
        return []
    layout = ranking_layout(rows)
    if layout is not None:
        return ranking_observations(table, layout, ctx)
    n_header = header_row_count(rows)
    cols = interpret_columns(rows, n_header) if n_header else _headerless_columns(rows)
    code_col = next((c.index for c in cols if c.role == "code"), None)
    if (
        code_col is None
        and cols
        and cols[0].role in ("unknown", "ignore")
        and all(criterion_code(r[0]) or collapse(r[0]) in ("", "*") or aggregate_code(r[0]) for r in rows[n_header:])
    ):
        code_col = 0
    name_col = next((c.index for c in cols if c.role == "name"), None)
    year_col = next((c.index for c in cols if c.role == "year"), None)
    header_keys = [tuple(fold(t) for t in r) for r in rows[:n_header]]
    has_roman = code_col is not None and any(
        is_roman(criterion_code(r[code_col])) and criterion_code(r[code_col]) in ROMAN for r in rows[n_header:]
    )
    # comparison label rows under value rows override that row's columns
    overrides: dict[int, list[int | None]] = {}
    for i in range(n_header, len(rows)):
        yrs = _comparison_row(rows[i])
        if yrs and i - 1 >= n_header:
            overrides[i - 1] = yrs
    group: str | None = None
    out: list[Observation] = []
    for i in range(n_header, len(rows)):
        cells = rows[i]
        if tuple(fold(t) for t in cells) in header_keys or _comparison_row(cells):
            continue
        printed_code = collapse(cells[code_col]) if code_col is not None else ""
        name = collapse(cells[name_col]) if name_col is not None and name_col < len(cells) else ""
        code = criterion_code(printed_code) if printed_code else None
        if code is None and printed_code and printed_code != "*" and not name:
            name = printed_code  # the label sits in the code column (merged cell)
        if code and has_roman:
            if code in ROMAN:
                group = code
            elif group and "." not in code and code.isdigit():
                code = f"{group}.{code}"
        if code is None and name:
            code = aggregate_code(name) if printed_code in ("", "*") or printed_code == name else None
        by_year: dict[tuple[int | None, str | None], dict] = {}
        row_year = None
        if year_col is not None:
            m = YEAR.search(cells[year_col])
            row_year = int(m.group(1)) if m else None
        for col in cols:
            if col.index >= len(cells):
                continue
            if i in overrides:
                y = overrides[i][col.index] if col.index < len(overrides[i]) else None
                if y is None:
                    continue
                col = Column(index=col.index, role="value", field="delta", year=y)
            if col.role != "value" or not col.field:
                continue
            year = row_year or col.year or ctx.year
            key = (year, col.code)
            values = by_year.setdefault(key, {})
            if col.code and "_path" not in values:
                values["_path"] = " / ".join(col.path)
            _parse_value(col, cells[col.index], values, ctx.framework)
            # a max printed in the header belongs to the aggregate rows (or to every row of a
            # table that lists units, not criteria)
            if (
                col.header_max is not None
                and values.get(col.field) is not None
                and (code_col is None or code in AGGREGATE_CODES)
            ):
                _set(values, "max_score", col.header_max)
        for (year, col_code), values in by_year.items():
            col_label = values.pop("_path", None)
            if not any(v is not None for k, v in values.items() if k != "delta_basis") or year is None:
                continue
            if values.get("rank") is not None and values.get("rank_of") is None:
                values["rank_of"] = ctx.rank_of
            out.append(
                {
                    **printed_at(table, i),
                    "year": year,
                    "framework": ctx.framework,
                    "code": col_code or code,
                    "printed_code": printed_code or None,
                    "printed_name": (col_label if col_code else name) or name or None,
                    "source_kind": "table",
                    **values,
                }
            )
    return out


def printed_at(table: Table, i: int) -> Observation:
    """Where row `i` of a table is printed: its page, the table's index, the row (1-based)."""
    row_cells = table.rows[i]
    return {"page": row_cells[0].page if row_cells else table.page, "table": table.index, "row": i + 1}


def _headerless_columns(rows: list[list[str]]) -> list[Column]:
    """No header on top: code column first, then a name column; values get meaning
    only from label rows under them (comparison tables)."""
    n_cols = max(len(r) for r in rows)
    cols = [Column(index=c, role="unknown") for c in range(n_cols)]
    if n_cols >= 2:
        cols[1].role = "name"
    return cols


# ---------------------------------------------------------------------------
# Ranking tables: every row is a unit
# ---------------------------------------------------------------------------

MAX_HEADER_ROWS = 4
MIN_UNIT_ROWS = 2
UNIT_SHARE = 0.6  # of a column's body cells that must be unit names for it to be the unit column
DASHES = ("", "-", "–", "—", "x", "X")
YEAR_WORDS = re.compile(r"\bnam\s+\d{4}\b|\b(?:19|20)\d\d\b")
ROMAN_LEAD = re.compile(r"^(?:I|II|III|IV|V|VI|VII|VIII|IX|X)[.)]\s*")  # "II. UBND huyện, ..."
LEADING_RANK = re.compile(r"^(\d{1,3})(?![\d.,/])\D*$")  # a rank with a note after it


@dataclass
class RankingLayout:
    n_header: int
    unit_col: int
    number_col: int | None  # "STT": a row number, never a rank or a score
    level: str | None  # the level the unit column's header names ("Tỉnh, thành phố")


def _cell(cells: list[str], col: int | None) -> str:
    return collapse(cells[col]) if col is not None and col < len(cells) else ""


def _header_key(text: str) -> str:
    """A header cell folded, without its parenthesised notes and years ("Tổng điểm (100)
    năm 2023" -> "tong diem")."""
    t = re.sub(r"\([^()]*\)", " ", fold(text))
    return collapse(YEAR_WORDS.sub(" ", t)).strip(" :.,")


def _has_word(text: str) -> bool:
    return bool(re.search(r"[^\W\d_]{2}", text))


def is_unit_name(text: str) -> bool:
    """A cell that names a unit by its prefix ("UBND huyện Gò Dầu", "Sở Tư pháp")."""
    t = collapse(text)
    if not _has_word(t) or len(t) > 90 or NOT_A_UNIT.match(fold(t)):
        return False
    return split_unit_prefix(t).level is not None


def block_level(label: str) -> str | None:
    """The level a block's header row names ("II. UBND huyện, thị xã, thành phố" -> district)."""
    f = fold(label)
    return next((level for level, pat in BLOCK_LEVELS if pat.search(f)), None)


def is_group_label(label: str) -> bool:
    return bool(GROUP_LABELS.search(fold(label)))


def _row_has_figures(cells: list[str], skip: set[int]) -> bool:
    return any(looks_numeric(t) and not is_year_only(t) for c, t in enumerate(cells) if c not in skip)


def _is_block_number(text: str) -> bool:
    return criterion_code(text) in ROMAN


def _is_unit_header(label: str) -> bool:
    key = _header_key(label)
    return bool(key) and bool(UNIT_HEADER.match(key))


def _ranking_header_count(rows: list[list[str]], unit_col: int, start: int) -> int:
    """Rows at the top before the first unit, block or group row. A row whose unit cell
    holds no name (domain numbers under "Điểm các lĩnh vực", a row numbering the columns)
    or the unit column's header again (a merged header cell) is part of the header."""
    n = start
    while n < min(len(rows), MAX_HEADER_ROWS):
        label = _cell(rows[n], unit_col)
        if any(_is_block_number(t) for t in rows[n][:unit_col]):
            break
        if n > start or start > 0:
            copies = sum(1 for t in rows[n] if collapse(t) == label)
            if label and copies >= 2 and block_level(label):
                break  # a block's label merged across the row ("Sở, ban, ngành" over every column)
        if (
            _has_word(label)
            and not _is_unit_header(label)
            and (
                _row_has_figures(rows[n], {unit_col})
                or is_unit_name(label)
                or is_group_label(label)
                or block_level(label)
            )
        ):
            break
        n += 1
    return n


def _numbers_columns(row: list[str], unit_col: int) -> bool:
    """A header row that numbers the columns ("(1) (2) (3)", "A B 1 2"): its unit cell
    holds a number or a letter, not a name."""
    label = _cell(row, unit_col)
    return bool(label) and not _has_word(label)


def _unit_header_at(rows: list[list[str]]) -> tuple[int, int] | None:
    """(row, column) of a header cell that names the units ("Tên đơn vị", "Tỉnh, thành
    phố"), with no criteria header left of it and names, not figures, under it."""
    for r in range(min(len(rows), MAX_HEADER_ROWS)):
        for c in range(min(3, len(rows[r]))):
            key = _header_key(rows[r][c])
            if not key or not UNIT_HEADER.match(key) or CRITERIA_HEADER.search(key):
                continue
            if any(CRITERIA_HEADER.search(_header_key(t)) for t in rows[r][:c]):
                return None
            body = [t for t in (_cell(row, c) for row in rows[r + 1 :]) if t]
            if body and sum(_has_word(t) for t in body) >= UNIT_SHARE * len(body):
                return r, c
    return None


def _mostly_units(rows: list[list[str]], n_header: int, col: int) -> bool:
    """The column's header does not say criteria or who is responsible, and its body cells
    (block and group labels aside) are mostly unit names."""
    head = " ".join(_header_key(r[col]) for r in rows[:n_header] if col < len(r))
    if (
        CRITERIA_HEADER.search(head)
        or RESPONSIBLE_HEADER.search(head)
        or NOTE_HEADER.search(head)
        or CODE_HEADER.match(head)
    ):
        return False
    labels = [
        t
        for t in (_cell(r, col) for r in rows[n_header:])
        if t and not is_group_label(t) and not block_level(t) and not looks_numeric(t)
    ]
    units = sum(is_unit_name(t) for t in labels)
    return units >= MIN_UNIT_ROWS and units >= UNIT_SHARE * len(labels)


def _number_col(rows: list[list[str]], n_header: int, unit_col: int) -> int | None:
    """The row-number column left of the units: headed "STT"/"TT", or unheaded with codes."""
    for c in range(unit_col):
        head = fold(" ".join(r[c] for r in rows[:n_header] if c < len(r)))
        body = [t for t in (_cell(r, c) for r in rows[n_header:]) if t]
        if CODE_HEADER.match(head) or (not head and body and all(criterion_code(t) for t in body)):
            return c
    return None


def ranking_layout(rows: list[list[str]]) -> RankingLayout | None:
    """How a table of units is laid out, or None when its rows are not units."""
    if len(rows) < MIN_UNIT_ROWS:
        return None
    at = _unit_header_at(rows)
    if at is not None:
        unit_col = at[1]
        n_header = _ranking_header_count(rows, unit_col, at[0] + 1)
    else:
        n_header = header_row_count(rows)
        unit_col = next((c for c in range(min(3, max(len(r) for r in rows))) if _mostly_units(rows, n_header, c)), None)
        if unit_col is None:
            return None
        n_header = _ranking_header_count(rows, unit_col, 0)
    if n_header >= len(rows):
        return None
    header = " ".join(_header_key(r[unit_col]) for r in rows[:n_header] if unit_col < len(r))
    return RankingLayout(
        n_header,
        unit_col,
        _number_col(rows, n_header, unit_col),
        block_level(header) or ("province" if header in ("tinh", "ten tinh") else None),
    )


def _column_part(path: list[str], framework: str) -> tuple[str | None, str | None, str | None]:
    """(code, printed code, domain label) of a ranking table's value column, from its
    header leaf to root: a part (SURVEY, ASSESSED), a numbered domain ("Lĩnh vực 3" ->
    "3"), a domain named without its code (code None), or the total (TOTAL) when only
    measure words are printed ("Tổng điểm", "Tỷ lệ đạt", "Xếp hạng")."""
    for text in reversed(path):
        key = _header_key(text)
        if not key:
            continue
        for code, pat in RANKING_PARTS:
            if pat.search(key):
                return code, None, None
        m = DOMAIN_COLUMN.match(key) or DOMAIN_NUMBER.match(key)
        if m:
            printed = m.group("code").upper()
            code = str(ROMAN[printed]) if printed in ROMAN and framework not in ("SIPAS", "DTI") else printed
            return code, printed, collapse(text)
        if TOTAL_COLUMN.search(key) or GRADE_HEADER.search(key) or any(p.search(key) for _, p in MEASURES):
            continue
        return None, None, collapse(text)
    return "TOTAL", None, None


def _ranking_field(path: list[str]) -> str | None:
    keys = [_header_key(t) for t in path]
    if any(GRADE_HEADER.search(k) for k in keys):
        return "grade"
    if RANK_POSITION_HEADER.search(keys[-1]):
        return "rank"
    field = _measure_of(path)
    if field == "score" and "%" in " ".join(path):
        return "percent"
    return field


def _column_framework(path: list[str]) -> str | None:
    """The index a column's header names ("Chỉ số SIPAS (%)", "Chỉ số hài lòng"), or None."""
    for text in reversed(path):
        key = fold(text)
        if SATISFACTION_HEADER.search(key):
            return "SIPAS"
        named = next((name for name, pat in FRAMEWORK_PATTERNS if pat.search(key)), None)
        if named:
            return named
    return None


def _ranking_column(index: int, path: list[str], framework: str) -> Column | None:
    if not path or NOTE_HEADER.search(fold(path[-1])) and not _measure_of(path):
        return None
    named = _column_framework(path)
    if named in REFUSED_FRAMEWORKS:
        return None  # out of scope
    framework = named or framework
    code, printed_code, domain_name = _column_part(path, framework)
    field = _ranking_field(path)
    if field is None and (code != "TOTAL" or any(TOTAL_COLUMN.search(_header_key(t)) for t in path)):
        field = "score"  # "Tổng", "Lĩnh vực 1", "Cải cách thể chế": the values are scores
    if field is None:
        return None
    col = Column(
        index=index,
        role="value",
        field=field,
        year=_year_of(path),
        code=code,
        path=path,
        percent_header="%" in " ".join(path),
        domain_name=domain_name,
        printed_code=printed_code,
        framework=named,
    )
    m = RANK_OF_IN_HEADER.search(" ".join(path))
    if field == "rank" and m:
        col.rank_of = int(m.group(1))
    if field in ("score", "self_score"):
        mx = next((MAX_IN_HEADER.search(t) for t in reversed(path) if MAX_IN_HEADER.search(t)), None)
        col.header_max = parse_number(mx.group(1)) if mx else None
    return col


def ranking_columns(rows: list[list[str]], layout: RankingLayout, framework: str) -> list[Column]:
    """The value columns of a ranking table. "Điểm thẩm định" is the total when it is the
    only score printed (no survey part beside it, no total after it)."""
    header = [[""] * len(r) if _numbers_columns(r, layout.unit_col) else r for r in rows[: layout.n_header]]
    filled = fill_header_spans(header + rows[layout.n_header :], layout.n_header)
    cols = []
    for c in range(max(len(r) for r in rows)):
        if c in (layout.unit_col, layout.number_col):
            continue
        col = _ranking_column(c, _path(filled, c, layout.n_header), framework)
        if col is not None:
            cols.append(col)
    _ranks_follow_their_index(cols)
    has_survey = any(c.code == "SURVEY" for c in cols)
    has_total = any(c.code == "TOTAL" and c.field == "score" for c in cols)
    if not has_survey and not has_total:
        for c in cols:
            if c.code == "ASSESSED":
                c.code = "TOTAL"
    return cols


def _ranks_follow_their_index(cols: list[Column]) -> None:
    """A rank column that names no index ranks the index of the column just left of it:
    "Chỉ số CCHC | Xếp hạng | Chỉ số SIPAS (%) | Xếp hạng"."""
    for left, col in zip(cols, cols[1:]):
        if col.framework is None and col.field in ("rank", "rank_delta"):
            col.framework = left.framework


@dataclass
class _Block:
    """Rows under one block header ("I. Các sở, ban, ngành tỉnh"): their level, how many
    units the header says it holds, and their ranked observations, to count how many
    units the block ranks when it does not say."""

    level: str | None = None
    size: int | None = None
    ranked: list[Observation] = dataclasses.field(default_factory=list)


def _block_of(label: str) -> _Block:
    m = BLOCK_SIZE.search(fold(label))
    return _Block(
        level=block_level(label) or split_unit_prefix(ROMAN_LEAD.sub("", label)).level,
        size=int(m.group(1)) if m else None,
    )


def _row_unit(label: str, block: _Block, layout: RankingLayout) -> tuple[str, str | None]:
    """(printed unit, level) of a unit row: the name without its prefix; the level its
    prefix says, else its block's, else the unit column header's."""
    printed = split_unit_prefix(label)
    if printed.level == "department" and block.level == "ministry":
        return printed.name, "ministry"
    return printed.name, printed.level or block.level or layout.level


def _ranking_values(cells: list[str], cols: list[Column], ctx: TableContext) -> dict[tuple, tuple[dict, Column]]:
    """One dict of values per (year, index, code, domain name), with the column that names it."""
    out: dict[tuple, tuple[dict, Column]] = {}
    for col in cols:
        text = _cell(cells, col.index)
        if text in DASHES:
            continue
        framework = col.framework or ctx.framework
        key = (col.year or ctx.year, framework, col.code, col.domain_name)
        values, named_by = out.setdefault(key, ({}, col))
        if col.field == "grade":
            _set(values, "grade", text)
        elif col.field == "rank" and parse_rank(text, col.rank_of) is None and LEADING_RANK.match(text):
            _set(values, "rank", int(LEADING_RANK.match(text).group(1)))  # "3 (đồng hạng)", "3*"
        else:
            _parse_value(col, text, values, framework)
        if col.field in ("score", "percent") and named_by.field not in ("score", "percent"):
            out[key] = (values, col)
    for (_, framework, code, name), (values, _) in out.items():
        for col in cols:
            if (
                (col.framework or ctx.framework, col.code, col.domain_name) == (framework, code, name)
                and col.header_max is not None
                and (values.get("score") is not None or values.get("self_score") is not None)
            ):
                _set(values, "max_score", col.header_max)
    return out


def _starts_block(number: str, label: str, has_values: bool) -> bool:
    """A block's header row: a roman number ("II"), or a label that names a kind of unit
    ("Khối xã", "I. Các sở, ban, ngành" merged over both columns) with no figures or
    after a roman number."""
    if _is_block_number(number):
        return True
    return bool(block_level(label)) and (not has_values or bool(ROMAN_LEAD.match(label)))


def _ranking_row(
    table: Table, i: int, cells: list[str], cols: list[Column], ctx: TableContext, unit: str, level: str | None
) -> list[Observation]:
    out: list[Observation] = []
    for (year, framework, code, name), (values, col) in _ranking_values(cells, cols, ctx).items():
        if year is None or not any(v is not None for k, v in values.items() if k != "delta_basis"):
            continue
        out.append(
            {
                **printed_at(table, i),
                "year": year,
                "framework": framework,
                "code": code,
                "printed_code": col.printed_code,
                "printed_name": name or " / ".join(col.path) or None,
                "source_kind": "table",
                "printed_unit": unit,
                "unit_level": level,
                **values,
            }
        )
    return out


def _one_ranking(ranks: list[int]) -> bool:
    """The ranks are one ranking of as many units: 1, 2, 3, 3, 5 (ties share a rank)."""
    ordered = sorted(ranks)
    return all(r == i or (i > 1 and r == ordered[i - 2]) for i, r in enumerate(ordered, start=1))


def _fill_rank_of(blocks: list[_Block], group_sizes: dict) -> None:
    """A rank without its ranking size is out of the units its block says it holds, else
    out of the units the document says of its level, else out of the units ranked in its
    block (row numbers and ranks restart per block). When the blocks' ranks together make
    one ranking and each block's alone does not (ranks that run on from block to block),
    it is out of the whole table's units."""

    def key(o: Observation) -> tuple:  # one ranking per year, index and code (per name for a domain without one)
        return o["year"], o["framework"], o["code"], None if o["code"] else o["printed_name"]

    by_key: dict[tuple, list[list[int]]] = {}
    for block in blocks:
        ranks: dict[tuple, list[int]] = {}
        for o in block.ranked:
            ranks.setdefault(key(o), []).append(o["rank"])
        for k, found in ranks.items():
            by_key.setdefault(k, []).append(found)
    whole_table = {
        k: _one_ranking([r for found in parts for r in found]) and not all(map(_one_ranking, parts))
        for k, parts in by_key.items()
    }
    for block in blocks:
        count = Counter(key(o) for o in block.ranked)
        for o in block.ranked:
            if o.get("rank_of") is None:
                k = key(o)
                o["rank_of"] = (
                    sum(map(len, by_key[k]))
                    if whole_table[k]
                    else (block.size or group_sizes.get(o.get("unit_level")) or count[k])
                )


def _without_merged_label(cells: list[str], label: str, layout: RankingLayout) -> list[str]:
    """The row with its label's copies blanked: a block label merged across the whole row
    ("I | Các bộ, cơ quan ngang bộ (17 đơn vị)" over every column) is no value."""
    keep = (layout.number_col, layout.unit_col)
    return [t if c in keep or collapse(t) != label else "" for c, t in enumerate(cells)]


def ranking_observations(table: Table, layout: RankingLayout, ctx: TableContext) -> list[Observation]:
    """Observations of a table whose rows are units: one per row and code (the total's
    score, maximum, percent, rank and class on one TOTAL observation; each part or domain
    column its own), with the row's unit as printed and its level. A block header row
    ("II. UBND huyện, thị xã, thành phố") sets the level of the rows under it; a group's
    row ("Trung bình", "Cả nước") is a value of level "group"."""
    rows = table.texts()
    cols = ranking_columns(rows, layout, ctx.framework)
    header_keys = {tuple(fold(t) for t in r) for r in rows[: layout.n_header]}
    value_cols = {c.index for c in cols}
    block = _Block()
    blocks = [block]
    out: list[Observation] = []
    for i in range(layout.n_header, len(rows)):
        cells = rows[i]
        if tuple(fold(t) for t in cells) in header_keys:
            continue
        number, label = _cell(cells, layout.number_col), _cell(cells, layout.unit_col)
        if not label and number and criterion_code(number) is None:
            label = number  # a label merged over the number and unit columns
        cells = _without_merged_label(cells, label, layout)
        has_values = any(_cell(cells, c) not in DASHES for c in value_cols)
        if _starts_block(number, label, has_values):
            block = _block_of(label)
            blocks.append(block)
            unit, level = label, GROUP_LEVEL  # figures on a block's row are the block's own
        elif is_group_label(label):
            unit, level = label, GROUP_LEVEL
        elif _has_word(label):
            unit, level = _row_unit(label, block, layout)
        else:
            continue
        if not has_values:
            continue
        found = _ranking_row(table, i, cells, cols, ctx, unit, level)
        out.extend(found)
        if level != GROUP_LEVEL:
            block.ranked.extend(o for o in found if o.get("rank") is not None)
    _fill_rank_of(blocks, ctx.group_sizes)
    return out
