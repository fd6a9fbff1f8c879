"""The dataset as one Excel workbook: panel, observations, flags and documents as sheets.

Numbers are stored as numbers, the header row is frozen with an autofilter over the
table, and every row a flag points at is filled with its severity's colour (the worst
one when several flags meet), with the flags named in a last `flags` column:
observation rows matched by source, table, row and year (`parindex.flagged`), panel rows
whose value came from a flagged observation, and the flags themselves. Written with
openpyxl in write-only mode (rows streamed, so large datasets fit in memory) and moved
into place atomically.
"""
from __future__ import annotations

import os
import pathlib

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from parindex.atomic import write_atomically
from parindex.dataset import read_dataset
from parindex.flagged import SEVERITY_COLOURS, flagged_observations, severity_rank, worst_severity_by_observation

SHEETS = ("panel", "observations", "flags", "documents")
FILLS = {sev: PatternFill(fill_type="solid", start_color=colour, end_color=colour)
         for sev, colour in SEVERITY_COLOURS.items()}
STATUS_SEVERITY = {"failed": "error", "partial": "warning"}
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill(fill_type="solid", start_color="E7E6E6", end_color="E7E6E6")
MAX_WIDTH, MIN_WIDTH, WIDTH_SAMPLE = 60, 6, 2000


def cell_value(v):
    """A DataFrame value as Excel stores it: None for missing, int/float as numbers,
    text without the control characters Excel refuses."""
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    if isinstance(v, bool):
        return v
    if isinstance(v, int) or (hasattr(v, "dtype") and getattr(v.dtype, "kind", "") in "iu"):
        return int(v)
    if isinstance(v, float) or (hasattr(v, "dtype") and getattr(v.dtype, "kind", "") == "f"):
        return float(v)
    return ILLEGAL_CHARACTERS_RE.sub("", str(v))


def flag_marks(tables: dict[str, pd.DataFrame]) -> dict[str, dict]:
    """sheet -> {row position: (worst severity, "severity rule flag_id; ...")} for every
    row that a flag points at."""
    obs, flags, panel, docs = (tables[n] for n in ("observations", "flags", "panel", "documents"))
    pairs = flagged_observations(flags, obs)
    marks: dict[str, dict] = {name: {} for name in SHEETS}

    def describe(rows: pd.DataFrame) -> str:
        rows = rows.drop_duplicates("flag_id")
        order = sorted(zip(rows["severity"], rows["rule"], rows["flag_id"]), key=lambda t: (severity_rank(t[0]), t[1]))
        return "; ".join(f"{s} {r} {f}" for s, r, f in order)

    worst = worst_severity_by_observation(pairs)
    positions = {label: pos for pos, label in enumerate(obs.index)}
    for idx, grp in pairs.groupby("obs_index"):
        marks["observations"][positions[idx]] = (worst[idx], describe(grp))

    # panel rows whose observation_keys (document_id:table:row) include a flagged observation of the same cell
    if len(pairs) and len(panel):
        keyed = pairs.assign(key=pairs["document_id"].astype(str) + ":" + pairs["table"].astype(str) + ":"
                             + pairs["row"].astype(str))
        by_cell = {k: g for k, g in keyed.groupby(["key", "year", "framework", "code"], dropna=False)}
        for pos, (keys, year, framework, code) in enumerate(
                zip(panel["observation_keys"].fillna(""), panel["year"], panel["framework"], panel["code"])):
            hits = [by_cell[(k, year, framework, code)] for k in keys.split(";") if (k, year, framework, code) in by_cell]
            if hits:
                grp = pd.concat(hits)
                sev = min(grp["severity"], key=severity_rank)
                marks["panel"][pos] = (sev, describe(grp))
    for pos, sev in enumerate(flags["severity"]):
        marks["flags"][pos] = (sev, "")
    for pos, status in enumerate(docs["status"]):
        if status in STATUS_SEVERITY:
            marks["documents"][pos] = (STATUS_SEVERITY[status], "")
    return marks


def _widths(frame: pd.DataFrame, columns: list[str]) -> list[float]:
    sample = frame.head(WIDTH_SAMPLE)
    widths = []
    for col in columns:
        values = sample[col].dropna().astype(str) if col in sample else pd.Series(dtype=str)
        longest = max([len(col), *values.str.len().tolist()]) if len(values) else len(col)
        widths.append(float(min(MAX_WIDTH, max(MIN_WIDTH, longest + 2))))
    return widths


def _append_sheet(wb: Workbook, name: str, frame: pd.DataFrame, marks: dict, with_flags_column: bool) -> None:
    ws = wb.create_sheet(name)
    columns = list(frame.columns) + (["flags"] if with_flags_column else [])
    widths = _widths(frame.assign(flags=[marks.get(i, ("", ""))[1] for i in range(len(frame))])
                     if with_flags_column else frame, columns)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    last = get_column_letter(max(1, len(columns)))
    ws.auto_filter.ref = f"A1:{last}{len(frame) + 1}"

    header = []
    for col in columns:
        c = WriteOnlyCell(ws, value=col)
        c.font, c.fill = HEADER_FONT, HEADER_FILL
        header.append(c)
    ws.append(header)
    for pos, values in enumerate(frame.itertuples(index=False, name=None)):
        row = [cell_value(v) for v in values]
        mark = marks.get(pos)
        if with_flags_column:
            row.append(mark[1] if mark else None)
        if mark is None and not any(isinstance(v, str) and v.startswith("=") for v in row):
            ws.append(row)
            continue
        cells = []
        for v in row:
            c = WriteOnlyCell(ws, value=v)
            if isinstance(v, str):
                c.data_type = "s"  # printed text, never a formula
            if mark is not None:
                c.fill = FILLS[mark[0]] if mark[0] in FILLS else FILLS["info"]
            cells.append(c)
        ws.append(cells)


def build_workbook(tables: dict[str, pd.DataFrame]) -> Workbook:
    """A write-only workbook with the four sheets (save it once)."""
    marks = flag_marks(tables)
    wb = Workbook(write_only=True)
    for name in SHEETS:
        _append_sheet(wb, name, tables[name], marks[name], with_flags_column=name in ("panel", "observations"))
    return wb


def write_xlsx(out_dir: str | os.PathLike, path: str | os.PathLike) -> pathlib.Path:
    """Read the dataset in out_dir and write it as an .xlsx workbook at path."""
    wb = build_workbook(read_dataset(out_dir))
    return write_atomically(path, wb.save)
