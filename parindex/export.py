"""The dataset as one Excel workbook: a README sheet, then panel, observations, flags and
documents.

What a reader opening or printing it gets:
- numbers stored as numbers everywhere (a flag's `expected` and `found` too, when they
  are one number), shown with two decimals (`0.00`; a flag's computed values with up
  to four), a tolerance rounded to what it means (0.099, not 0.09899999999999999);
- on panel and observations, a first `flags` column naming the flags of the row, and
  the row filled with its worst severity's colour (error red, warning amber, info
  blue): observation rows matched by source, table, row and year
  (`parindex.flag_targets`), panel rows whose value came from a flagged observation; the
  flags sheet coloured by severity, documents that failed or are partial too;
- the columns a reader checks first in front (`FRONT`), the others after them, the
  identifiers (hashes) at the end;
- header row frozen, autofilter, column widths from the contents;
- printed landscape on A4, the front columns fitted to the page width (all thirty
  columns on one page width would be too small to read; the others are on screen),
  the header row repeated on every page, the sheet name and page number in the footer.

Written with openpyxl in write-only mode (rows streamed, so large datasets fit in memory)
and moved into place atomically.
"""

from __future__ import annotations

import math
import os
import pathlib
import re

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from parindex.flag_targets import SEVERITY_COLOURS, flagged_observations, severity_rank, worst_severity_by_observation
from parindex.labels import Labels, detect_language, missing
from parindex.workbook_readme import readme_rows
from parindex.writer.commit import write_atomically
from parindex.writer.read import read_dataset

SHEETS = ("panel", "observations", "flags", "documents")
FILLS = {
    sev: PatternFill(fill_type="solid", start_color=colour, end_color=colour)
    for sev, colour in SEVERITY_COLOURS.items()
}
STATUS_SEVERITY = {"failed": "error", "partial": "warning"}
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill(fill_type="solid", start_color="E7E6E6", end_color="E7E6E6")
MAX_WIDTH, MIN_WIDTH, WIDTH_SAMPLE = 40, 6, 2000

# Identifiers a reader does not read: at the end of each sheet.
HASH_COLUMNS = ("document_id", "flag_id", "flag_ids", "sha256", "observation_keys")
# The columns a reader checks first, in that order: in front, and the ones printed.
FRONT = {
    "panel": (
        "flags",
        "unit",
        "province",
        "unit_level",
        "year",
        "framework",
        "code",
        "criterion_name",
        "max_score",
        "score",
        "percent",
        "rank",
        "rank_of",
        "delta",
        "n_sources",
        "n_disagree",
        "chosen_source",
    ),
    "observations": (
        "flags",
        "source",
        "page",
        "table",
        "row",
        "unit",
        "year",
        "framework",
        "code",
        "printed_name",
        "max_score",
        "score",
        "percent",
        "rank",
        "rank_of",
        "delta",
        "rank_delta",
        "grade",
    ),
    "flags": (
        "severity",
        "rule",
        "source",
        "page",
        "table",
        "row",
        "unit",
        "year",
        "framework",
        "codes",
        "expected",
        "found",
        "message",
    ),
    "documents": (
        "source",
        "format",
        "status",
        "unit",
        "unit_level",
        "province",
        "years",
        "pages",
        "tables",
        "observations",
        "error",
    ),
}
NUMBER_FORMAT = "0.00"
PAPER_A4 = "9"  # the paperSize code of A4 in SpreadsheetML
FORMATS = {"tolerance": "0.000", "expected": "0.00##", "found": "0.00##"}
NUMBER = re.compile(r"-?\d+(\.\d+)?")


def cell_value(v):
    """A DataFrame value as Excel stores it: None for missing, int/float as numbers,
    text without the control characters Excel refuses."""
    if missing(v):
        return None
    if isinstance(v, bool):
        return v
    if isinstance(v, int) or (hasattr(v, "dtype") and getattr(v.dtype, "kind", "") in "iu"):
        return int(v)
    if isinstance(v, float) or (hasattr(v, "dtype") and getattr(v.dtype, "kind", "") == "f"):
        return float(v)
    return ILLEGAL_CHARACTERS_RE.sub("", str(v))


def number_or_text(v):
    """A flag's expected or found value: a number when it is one ("9.91"), else the text
    ("<= 1", "79.24 (table [1]), 79.27 (table [0])")."""
    if missing(v):
        return None
    return float(v) if NUMBER.fullmatch(str(v).strip()) else str(v)


def flag_marks(tables: dict[str, pd.DataFrame]) -> dict[str, dict]:
    """sheet -> {row position: (worst severity, "severity rule; ...", "flag_id; ...")}
    for every row that a flag points at."""
    obs, flags, panel, docs = (tables[n] for n in ("observations", "flags", "panel", "documents"))
    pairs = flagged_observations(flags, obs)
    marks: dict[str, dict] = {name: {} for name in SHEETS}

    def describe(rows: pd.DataFrame) -> tuple[str, str]:
        rows = rows.drop_duplicates("flag_id")
        order = sorted(zip(rows["severity"], rows["rule"], rows["flag_id"]), key=lambda t: (severity_rank(t[0]), t[1]))
        return "; ".join(dict.fromkeys(f"{s} {r}" for s, r, _ in order)), "; ".join(f for _, _, f in order)

    worst = worst_severity_by_observation(pairs)
    positions = {label: pos for pos, label in enumerate(obs.index)}
    for idx, grp in pairs.groupby("obs_index"):
        marks["observations"][positions[idx]] = (worst[idx], *describe(grp))

    # panel rows whose observation_keys (document_id:table:row) include a flagged observation of the same cell
    if len(pairs) and len(panel):
        keyed = pairs.assign(
            key=pairs["document_id"].astype(str) + ":" + pairs["table"].astype(str) + ":" + pairs["row"].astype(str)
        )
        by_cell = {k: g for k, g in keyed.groupby(["key", "year", "framework", "code"], dropna=False)}
        for pos, (keys, year, framework, code) in enumerate(
            zip(panel["observation_keys"].fillna(""), panel["year"], panel["framework"], panel["code"])
        ):
            hits = [
                by_cell[(k, year, framework, code)] for k in keys.split(";") if (k, year, framework, code) in by_cell
            ]
            if hits:
                grp = pd.concat(hits)
                sev = min(grp["severity"], key=severity_rank)
                marks["panel"][pos] = (sev, *describe(grp))
    for pos, sev in enumerate(flags["severity"]):
        marks["flags"][pos] = (sev, "", "")
    for pos, status in enumerate(docs["status"]):
        if status in STATUS_SEVERITY:
            marks["documents"][pos] = (STATUS_SEVERITY[status], "", "")
    return marks


def sheet_frame(name: str, frame: pd.DataFrame, marks: dict) -> pd.DataFrame:
    """The sheet's columns in reading order: the front ones (flags first on panel and
    observations), the others, identifiers last."""
    frame = frame.copy()
    if name in ("panel", "observations"):
        frame.insert(0, "flags", [marks[i][1] if i in marks else None for i in range(len(frame))])
        frame["flag_ids"] = [marks[i][2] if i in marks else None for i in range(len(frame))]
    if name == "flags":
        for col in ("expected", "found"):
            frame[col] = frame[col].map(number_or_text).astype(object)
        frame["tolerance"] = frame["tolerance"].astype("Float64").round(6)
    front = [c for c in FRONT.get(name, ()) if c in frame]
    tail = [c for c in HASH_COLUMNS if c in frame]
    return frame[front + [c for c in frame.columns if c not in front and c not in tail] + tail]


def _widths(frame: pd.DataFrame) -> list[float]:
    sample = frame.head(WIDTH_SAMPLE)
    widths = []
    for col in frame.columns:
        values = sample[col].dropna().map(lambda v: f"{v:.2f}" if isinstance(v, float) else str(v))
        longest = max([len(col), *values.str.len().tolist()]) if len(values) else len(col)
        widths.append(float(min(MAX_WIDTH, max(MIN_WIDTH, longest + 2))))
    return widths


def lay_out(ws, name: str, frame: pd.DataFrame) -> None:
    """Widths, frozen header, autofilter and print setup (the front columns) of a data sheet."""
    for i, width in enumerate(_widths(frame), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    last_row = len(frame) + 1
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(max(1, len(frame.columns)))}{last_row}"
    print_setup(ws)
    printed = sum(1 for c in frame.columns if c in FRONT.get(name, frame.columns)) or len(frame.columns)
    ws.print_area = f"A1:{get_column_letter(printed)}{last_row}"


def print_setup(ws, title_row: bool = True) -> None:
    """Landscape A4, fitted to the page width (as many pages down as it takes), narrow
    margins, the header row on every page, the sheet and page number in the footer."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = PAPER_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.print_options.gridLines = True
    if title_row:
        ws.print_title_rows = "1:1"
    ws.oddFooter.center.text = "&A — &P / &N"


def _cell(ws, value, number_format: str | None, fill) -> WriteOnlyCell:
    c = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        c.data_type = "s"  # printed text, never a formula
    elif number_format and isinstance(value, float):
        c.number_format = number_format
    if fill is not None:
        c.fill = fill
    return c


def _styled(v) -> bool:
    """A value that needs a cell of its own: a number to format, text that looks like a
    formula (kept as text)."""
    return isinstance(v, float) or (isinstance(v, str) and v.startswith("="))


def _append_sheet(wb: Workbook, name: str, frame: pd.DataFrame, marks: dict) -> None:
    ws = wb.create_sheet(name)
    lay_out(ws, name, frame)
    header = []
    for col in frame.columns:
        c = WriteOnlyCell(ws, value=col)
        c.font, c.fill = HEADER_FONT, HEADER_FILL
        header.append(c)
    ws.append(header)
    formats = [FORMATS.get(c, NUMBER_FORMAT) for c in frame.columns]
    for pos, values in enumerate(frame.itertuples(index=False, name=None)):
        mark = marks.get(pos)
        fill = (FILLS.get(mark[0], FILLS["info"])) if mark else None
        ws.append(
            [
                _cell(ws, v, f, fill) if fill is not None or _styled(v) else v
                for v, f in zip(map(cell_value, values), formats)
            ]
        )


README_WIDTHS = (18, 100, 12)


def _readme_height(values: tuple) -> float:
    """A README row's height: enough lines for its longest wrapped cell (a program that
    opens the file does not always size rows itself)."""
    lines = max((math.ceil(len(str(v)) / (w * 1.1)) for v, w in zip(values, README_WIDTHS) if v), default=1)
    return 15.0 * max(1, lines)


def _append_readme(wb: Workbook, tables: dict[str, pd.DataFrame], labels: Labels) -> None:
    ws = wb.create_sheet("README")
    for i, width in enumerate(README_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    print_setup(ws, title_row=False)
    wrap = Alignment(wrap_text=True, vertical="top")
    for n, (kind, values) in enumerate(readme_rows(labels.lang, {n: len(tables[n]) for n in SHEETS}), start=1):
        row = []
        for v in values:
            c = WriteOnlyCell(ws, value=v)
            if kind in ("title", "head"):
                c.font = Font(bold=True, size=14 if kind == "title" else 11)
            else:
                c.alignment = wrap
            if kind in FILLS and v == values[0]:
                c.fill = FILLS[kind]
            row.append(c)
        if kind not in ("title", "head"):
            ws.row_dimensions[n].height = _readme_height(values)
        ws.append(row)


def build_workbook(tables: dict[str, pd.DataFrame], lang: str | None = None) -> Workbook:
    """A write-only workbook with the README and the four sheets (save it once); the
    README in `lang` (default: the documents' language)."""
    marks = flag_marks(tables)
    lang = lang or detect_language(tables["observations"].get("printed_name", pd.Series(dtype=str)))
    wb = Workbook(write_only=True)
    _append_readme(wb, tables, Labels(lang))
    for name in SHEETS:
        _append_sheet(wb, name, sheet_frame(name, tables[name], marks[name]), marks[name])
    return wb


def write_xlsx(out_dir: str | os.PathLike, path: str | os.PathLike, lang: str | None = None) -> pathlib.Path:
    """Read the dataset in out_dir and write it as an .xlsx workbook at path."""
    wb = build_workbook(read_dataset(out_dir), lang)
    return write_atomically(path, wb.save)
