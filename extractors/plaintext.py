"""Plain text / TSV / Markdown-ish exports: lines with tabs are table rows, other lines
are paragraphs; a blank line inside a table (a page break of the original) does not end it.
A table a web page flattened to one cell per blank-line separated chunk ("TT", "Lĩnh
vực", ...) is rebuilt from its header (`extractors.flattened`); a ranking printed one row
per line ("1 Sở Tư pháp 94.00 Tốt") is rebuilt too (`extractors.line_tables`)."""

from __future__ import annotations

import re

from parindex.extractors.encoding import decode_text
from parindex.extractors.flattened import is_header_start, line_chunks, rebuild
from parindex.extractors.line_tables import rebuild_line_tables
from parindex.extractors.stitch import stitch
from parindex.schemas import Cell, ExtractedDocument, Paragraph, Table
from parindex.vietnamese.folding import collapse, nfc, strip_markup


def _cells(line: str, row: int, page: int) -> list[Cell]:
    parts = line.split("\t")
    if "|" in line and "\t" not in line:  # markdown table
        parts = line.strip().strip("|").split("|")
    out = []
    for col, part in enumerate(parts):
        raw = part.strip()
        bold = bool(re.search(r"<b>|\*\*", raw))
        out.append(Cell(text=collapse(strip_markup(raw)), row=row, col=col, page=page, bold=bold))
    return out


def _is_row(line: str) -> bool:
    if "\t" in line:
        return True
    s = line.strip()
    return s.startswith("|") and s.endswith("|") and s.count("|") >= 3 and not re.fullmatch(r"[|\-: ]+", s)


def _flattened_table(lines: list[str], start: int, page: int) -> tuple[Table, int] | None:
    """A one-cell-per-chunk table whose header starts at lines[start], and the index of
    the line after it."""
    chunks = line_chunks(lines[start : start + 4000])
    if not chunks or chunks[0][0] != 0 or any("\t" in c[2] or "\f" in c[2] for c in chunks[:1]):
        return None
    found = rebuild([c[2] for c in chunks])
    if found is None:
        return None
    rows, used = found
    for row in rows:
        for cell in row:
            cell.page = page
    return Table(index=0, rows=rows, page=page), start + chunks[used - 1][1]


def extract_text(data: bytes, source: str) -> ExtractedDocument:
    text, warnings = decode_text(data)
    lines = nfc(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks: list = []
    page = 1
    current: list[list[Cell]] | None = None
    pending_blank = False

    def close_table():
        nonlocal current
        if current:
            width = max(len(r) for r in current)
            for r in current:
                while len(r) < width:
                    r.append(Cell(text="", row=r[0].row, col=len(r), page=r[0].page))
            blocks.append(Table(index=0, rows=current, page=current[0][0].page))
        current = None

    k = 0
    while k < len(lines):
        line = lines[k]
        k += 1
        if "\f" in line:
            page += line.count("\f")
            line = line.replace("\f", "")
        if "\t" not in line and is_header_start(line):
            flat = _flattened_table(lines, k - 1, page)
            if flat is not None:
                close_table()
                table, end = flat
                page += sum(l.count("\f") for l in lines[k:end])
                k = end
                blocks.append(table)
                pending_blank = False
                continue
        if re.fullmatch(r"\s*\|?[\-: |]+\|?\s*", line) and "-" in line and current is not None:
            continue  # markdown separator row
        if _is_row(line):
            if current is None:
                current = []
            current.append(_cells(line, len(current), page))
            pending_blank = False
            continue
        if not line.strip():
            pending_blank = current is not None or pending_blank
            continue
        close_table()
        s = line.strip()
        heading = len(re.match(r"^(#*)", s).group(1))
        bold = s.startswith("**")
        blocks.append(Paragraph(text=collapse(strip_markup(s)), index=0, page=page, heading=min(heading, 6), bold=bold))
    close_table()
    return ExtractedDocument(
        source=source, format="text", blocks=stitch(rebuild_line_tables(blocks)), pages=page, warnings=warnings
    )
