"""Excel workbooks: .xlsx (openpyxl, which knows each cell's number format) and legacy
.xls (python-calamine). Every sheet is a page; merged ranges become spans.

A sheet is cut into tables at empty rows; a table's leading rows that hold a single
text (a title merged across the sheet) are paragraphs, and so are its trailing notes.
Cells keep the text the sheet prints: a number stored as a number is written back the
way a Vietnamese sheet shows it (decimal comma, the decimals its format asks for, no
thousands grouping: a lone group separator would read as a decimal point downstream),
a number stored as text stays the text it is.
"""

from __future__ import annotations

import datetime as dt
import io
import re

from parindex.extractors import ExtractionError
from parindex.extractors.legacy_fonts import repair
from parindex.extractors.stitch import stitch
from parindex.schemas import Cell, ExtractedDocument, Paragraph, Table
from parindex.vietnamese.folding import collapse

NOTE_MIN_CHARS = 30  # a trailing one-cell row at least this long is a note, not a table row
# Cells one workbook may hold: a report's appendix holds tens of thousands; a sheet of a
# million cells would take minutes to load and its observations would fill memory
MAX_CELLS = 250_000
CELL_TAGS = (b"<c ", b"<c>", b":c ")  # a cell element, with or without a namespace prefix


def _too_many_cells(count: int, source: str) -> ExtractionError:
    return ExtractionError(
        f"{source}: holds {count:,} cells or more, past the limit of {MAX_CELLS:,} for one "
        f"workbook (a report's tables hold far fewer); not read"
    )


def _count_xlsx_cells(data: bytes, source: str) -> None:
    """Raise ExtractionError when the workbook's sheets hold more than MAX_CELLS cells,
    counted in their XML as it is inflated, a megabyte at a time, before loading it."""
    import zipfile

    count = 0
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            with z.open(name) as f:
                tail = b""
                while block := f.read(1 << 20):
                    chunk = tail + block
                    count += sum(chunk.count(tag) for tag in CELL_TAGS)
                    tail = chunk[-2:]  # a 3-byte tag cut by the block boundary is counted with the next block
                    if count > MAX_CELLS:
                        raise _too_many_cells(count, source)


def _format_decimals(number_format: str | None) -> tuple[int | None, bool]:
    """(decimals, percent) a number format asks for; decimals None for 'General'."""
    if not number_format or number_format.lower() == "general":
        return None, False
    section = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.', "", number_format.split(";")[0])
    percent = "%" in section
    m = re.search(r"\.([0#?]+)", section)
    if m:
        return len(m.group(1)), percent
    return (0, percent) if re.search(r"[0#?]", section) else (None, percent)


def render(value, number_format: str | None = None) -> str:
    """A cell value as the sheet prints it, Vietnamese style: 72.77 -> '72,77';
    5 with format '0.00' -> '5,00'; 0.7277 with '0.00%' -> '72,77%'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y" if value.time() == dt.time(0) else "%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, (int, float)):
        decimals, percent = _format_decimals(number_format)
        number = float(value) * (100 if percent else 1)
        if decimals is not None:
            text = f"{number:.{decimals}f}"
        elif float(number).is_integer() and abs(number) < 1e15:
            text = str(int(number))
        else:
            text = f"{number:.15g}"
            if "e" in text:
                text = f"{number:.10f}".rstrip("0").rstrip(".")
        return text.replace(".", ",") + ("%" if percent else "")
    return repair(str(value))


def _blocks_of_sheet(grid: dict[tuple[int, int], str], merges: list[tuple[int, int, int, int]], page: int) -> list:
    """Tables and paragraphs of one sheet. grid maps (row, col) to text (0-based);
    merges are (first row, first col, last row, last col), inclusive."""
    origin_of: dict[tuple[int, int], tuple[int, int, int, int]] = {}
    for r0, c0, r1, c1 in merges:
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                origin_of[(r, c)] = (r0, c0, r1, c1)
    used = {k for k, v in grid.items() if collapse(v)}
    used |= {k for k in origin_of if (origin_of[k][0], origin_of[k][1]) in used}
    if not used:
        return []
    rows_used = sorted({r for r, _ in used})
    # consecutive non-empty rows form one part of the sheet
    parts: list[list[int]] = []
    for r in rows_used:
        if parts and r == parts[-1][-1] + 1:
            parts[-1].append(r)
        else:
            parts.append([r])
    cols_of: dict[int, set[int]] = {}
    for r, c in used:
        cols_of.setdefault(r, set()).add(c)
    blocks: list = []
    for rows in parts:

        def origins(r: int) -> set[tuple[int, int]]:
            return {origin_of.get((r, c), (r, c, r, c))[:2] for c in cols_of.get(r, ())}

        def single(r: int) -> bool:  # one text, not merged down into the next rows
            found = origins(r)
            return len(found) == 1 and origin_of.get(next(iter(found)), (r, 0, r, 0))[2] == r

        if all(single(r) for r in rows):  # titles and notes only
            for r in rows:
                ((r0, c0),) = origins(r)
                blocks.append(Paragraph(text=collapse(grid.get((r0, c0), "")), index=0, page=page))
            continue
        lead: list[int] = []
        while len(rows) > 1 and single(rows[0]):
            lead.append(rows.pop(0))
        trail: list[int] = []
        while len(rows) > 1 and single(rows[-1]):
            ((r0, c0),) = origins(rows[-1])
            if len(collapse(grid.get((r0, c0), ""))) < NOTE_MIN_CHARS:
                break
            trail.insert(0, rows.pop())
        for r in lead:
            ((r0, c0),) = origins(r)
            blocks.append(Paragraph(text=collapse(grid.get((r0, c0), "")), index=0, page=page))
        cols = sorted(set().union(*(cols_of[r] for r in rows))) if rows else []
        if len(cols) < 2 or not rows:
            for r in rows:
                text = " ".join(collapse(grid.get((r, c), "")) for c in cols if collapse(grid.get((r, c), "")))
                blocks.append(Paragraph(text=text, index=0, page=page))
        else:
            blocks.append(_table(grid, origin_of, rows, list(range(cols[0], cols[-1] + 1)), page))
        for r in trail:
            ((r0, c0),) = origins(r)
            blocks.append(Paragraph(text=collapse(grid.get((r0, c0), "")), index=0, page=page))
    return blocks


def _table(grid, origin_of, rows: list[int], cols: list[int], page: int) -> Table:
    first_row, first_col = rows[0], cols[0]
    out: list[list[Cell]] = []
    for r in rows:
        line: list[Cell] = []
        for c in cols:
            r0, c0, r1, c1 = origin_of.get((r, c), (r, c, r, c))
            # a merged range is clipped to this table
            r0, c0 = max(r0, first_row), max(c0, first_col)
            r1, c1 = min(r1, rows[-1]), min(c1, cols[-1])
            text = collapse(grid.get(origin_of.get((r, c), (r, c))[:2], ""))
            cell = Cell(text=text, row=r - first_row, col=c - first_col, page=page)
            if (r, c) == (r0, c0):
                cell.rowspan, cell.colspan = r1 - r0 + 1, c1 - c0 + 1
            else:
                cell.spanned = True
            line.append(cell)
        out.append(line)
    return Table(index=0, rows=out, page=page)


def extract_xlsx(data: bytes, source: str) -> ExtractedDocument:
    import openpyxl

    _count_xlsx_cells(data, source)
    wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=False)
    blocks: list = []
    info: list[dict] = []
    warnings: list[str] = []
    for page, ws in enumerate(wb.worksheets, start=1):
        info.append({"page": page, "path": "cells", "sheet": ws.title, "hidden": ws.sheet_state != "visible"})
        if ws.sheet_state != "visible":
            warnings.append(f"{source}: sheet {page} ({ws.title}) is hidden; read anyway")
        grid = {}
        # the cells the file holds (iter_rows would make every cell of the used rectangle,
        # a million rows for a sheet formatted down to its last row)
        for (r, c), cell in sorted(getattr(ws, "_cells", {}).items()):
            if cell.value is not None:
                grid[(r - 1, c - 1)] = render(cell.value, cell.number_format)
        merges = [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1) for m in ws.merged_cells.ranges]
        blocks.extend(_blocks_of_sheet(grid, merges, page))
    return ExtractedDocument(
        source=source, format="xlsx", blocks=stitch(blocks), pages=max(1, len(info)), warnings=warnings, page_info=info
    )


def extract_xls(data: bytes, source: str) -> ExtractedDocument:
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    cells = 0  # the used rectangles' cells so far
    blocks: list = []
    info: list[dict] = []
    warnings: list[str] = []
    for page, meta in enumerate(wb.sheets_metadata, start=1):
        hidden = "Visible" not in str(meta.visible)
        info.append({"page": page, "path": "cells", "sheet": meta.name, "hidden": hidden})
        if hidden:
            warnings.append(f"{source}: sheet {page} ({meta.name}) is hidden; read anyway")
        if "WorkSheet" not in str(meta.typ):
            continue
        sheet = wb.get_sheet_by_index(page - 1)
        cells += sheet.total_height * sheet.total_width
        if cells > MAX_CELLS:
            raise _too_many_cells(cells, source)
        grid = {}
        for r, row in enumerate(sheet.to_python(skip_empty_area=False)):  # from A1
            for c, value in enumerate(row):
                if value != "" and value is not None:
                    grid[(r, c)] = render(value)
        merges = [(a[0], a[1], b[0], b[1]) for a, b in (sheet.merged_cell_ranges or [])]
        blocks.extend(_blocks_of_sheet(grid, merges, page))
    return ExtractedDocument(
        source=source, format="xls", blocks=stitch(blocks), pages=max(1, len(info)), warnings=warnings, page_info=info
    )
