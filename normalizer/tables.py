"""Tables of cells -> observations: which column is which year and measure (header tree,
spans, max printed in the header), which row is which criterion (codes, roman groups,
aggregates, '*' rows), and every value cell parsed."""
from __future__ import annotations

import re
import dataclasses
from dataclasses import dataclass

from normalizer.codes import ROMAN, criterion_code, is_roman
from normalizer.numbers import has_percent, parse_fraction, parse_number, parse_signed
from normalizer.ranks import parse_rank
from normalizer.text import collapse, fold
from normalizer.vocabulary import (
    AGGREGATES, CODE_HEADER, MEASURES, NAME_HEADER, NOTE_HEADER, PERCENT_FRAMEWORKS, YEAR_ROW_HEADER,
)
from schemas import Table

YEAR = re.compile(r"\b(19[9]\d|20[0-4]\d)\b")
RANK_OF_IN_HEADER = re.compile(r"/\s*(\d{1,3})\b")
MAX_IN_HEADER = re.compile(r"\(\s*(?:tối đa\s*)?(\d{1,3}(?:[.,]\d{1,2})?)\s*(?:điểm|đ)?\s*\)\s*$", re.IGNORECASE)


def looks_numeric(text: str) -> bool:
    t = collapse(text)
    if not t:
        return False
    return parse_number(t) is not None or parse_fraction(t) is not None or parse_signed(t) is not None and bool(re.fullmatch(r"[+\-−–]?\s?[\d.,]+%?", t))


def _is_year_only(t: str) -> bool:
    return bool(re.fullmatch(r"(19|20)\d\d", collapse(t)))


def header_row_count(rows: list[list[str]]) -> int:
    """Rows at the top that carry no figures (years alone do not count as figures)."""
    n = 0
    for row in rows:
        cells = [collapse(t) for t in row]
        figures = [t for t in cells[1:] if looks_numeric(t) and not _is_year_only(t)]
        if figures or (cells and criterion_code(cells[0]) and any(cells[1:2])):
            break
        n += 1
        if n >= 4:
            break
    return n if n < len(rows) else 0


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
    code: str | None = None  # aggregate named by the header (row-year tables)
    percent_header: bool = False
    header_max: float | None = None  # "Điểm thẩm định (65)": the max of the aggregate this column sums to
    path: list[str] = dataclasses.field(default_factory=list)


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
        elif NAME_HEADER.search(joined) and not any(ch.isdigit() for ch in joined) and _measure_of(path) in (None, "score", "target"):
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
        target = "target" if f == "target" else ("self_score" if f == "self_score" else "score")
        _set(values, target, frac[0])
        _set(values, "max_score", frac[1])
        return
    v = parse_number(t)
    if v is None:
        return
    if f == "score" and (has_percent(t) or framework in PERCENT_FRAMEWORKS):
        f = "percent"
    _set(values, f, v)


def table_observations(table: Table, ctx: TableContext) -> list[dict]:
    """Observations (dicts of schemas.OBSERVATIONS fields, unmatched) from one table."""
    rows = table.texts()
    if not rows:
        return []
    n_header = header_row_count(rows)
    cols = interpret_columns(rows, n_header) if n_header else _headerless_columns(rows)
    code_col = next((c.index for c in cols if c.role == "code"), None)
    if code_col is None and cols and cols[0].role in ("unknown", "ignore") and all(
            criterion_code(r[0]) or collapse(r[0]) in ("", "*") or aggregate_code(r[0]) for r in rows[n_header:]):
        code_col = 0
    name_col = next((c.index for c in cols if c.role == "name"), None)
    year_col = next((c.index for c in cols if c.role == "year"), None)
    header_keys = [tuple(fold(t) for t in r) for r in rows[:n_header]]
    has_roman = code_col is not None and any(is_roman(criterion_code(r[code_col])) and criterion_code(r[code_col]) in ROMAN
                                              for r in rows[n_header:])
    # comparison label rows under value rows override that row's columns
    overrides: dict[int, list[int | None]] = {}
    for i in range(n_header, len(rows)):
        yrs = _comparison_row(rows[i])
        if yrs and i - 1 >= n_header:
            overrides[i - 1] = yrs
    group: str | None = None
    out: list[dict] = []
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
            if col.header_max is not None and values.get(col.field) is not None and (
                    code_col is None or (code or "") in ("TOTAL", "ASSESSED", "SURVEY")):
                _set(values, "max_score", col.header_max)
        for (year, col_code), values in by_year.items():
            col_label = values.pop("_path", None)
            if not any(v is not None for k, v in values.items() if k != "delta_basis") or year is None:
                continue
            if values.get("rank") is not None and values.get("rank_of") is None:
                values["rank_of"] = ctx.rank_of
            row_cells = table.rows[i]
            out.append({
                "page": row_cells[0].page if row_cells else table.page,
                "table": table.index,
                "row": i + 1,
                "year": year,
                "framework": ctx.framework,
                "code": col_code or code,
                "printed_code": printed_code or None,
                "printed_name": (col_label if col_code else name) or name or None,
                "source_kind": "table",
                **values,
            })
    return out


def _headerless_columns(rows: list[list[str]]) -> list[Column]:
    """No header on top: code column first, then a name column; values get meaning
    only from label rows under them (comparison tables)."""
    n_cols = max(len(r) for r in rows)
    cols = [Column(index=c, role="unknown") for c in range(n_cols)]
    if n_cols >= 2:
        cols[1].role = "name"
    return cols
