"""The intermediate form shared by every extractor.

An extractor turns one file into an `ExtractedDocument`: an ordered list of blocks,
each a `Paragraph` or a `Table` of `Cell`s. Every piece carries where it was printed
(page, row, column, and for PDFs its bounding box), so any number downstream can be
traced back. Nothing after extraction knows which format a document came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union


@dataclass
class Cell:
    """One cell of a table grid, as printed (text is NFC, whitespace kept)."""

    text: str
    row: int  # 0-based row in the (stitched) table grid
    col: int  # 0-based column in the grid
    page: int = 1  # 1-based page the cell was printed on
    rowspan: int = 1
    colspan: int = 1
    bold: bool = False
    bbox: tuple[float, float, float, float] | None = None  # x0, top, x1, bottom (PDF points)
    spanned: bool = False  # True for a grid position covered by a merged cell (text copied)
    confidence: float | None = None  # OCR only: how surely the text was read, 0-100 (after repair)


@dataclass
class Table:
    """A table, stitched across pages, as a rectangular grid of cells (rows x cols)."""

    index: int  # 1-based index of the table in the document
    rows: list[list[Cell]]
    page: int = 1  # page of the first row
    caption: str = ""  # nearest preceding paragraph text (context for framework/year)

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def texts(self) -> list[list[str]]:
        return [[c.text for c in r] for r in self.rows]


@dataclass
class Paragraph:
    """A run of prose: a heading, a paragraph or a list item."""

    text: str
    index: int  # 0-based position among the document's paragraphs
    page: int = 1
    heading: int = 0  # 0 = body text, 1..6 = heading level when the format says so
    bold: bool = False


Block = Union[Paragraph, Table]


@dataclass
class ExtractedDocument:
    """Everything an extractor read from one file, in reading order."""

    source: str
    format: str
    blocks: list[Block] = field(default_factory=list)
    pages: int = 1
    warnings: list[str] = field(default_factory=list)
    # one dict per page (or sheet) saying how it was read, for the audit trail:
    # {"page": 1, "path": "text" | "ocr" | "empty" | "cells", ...}; OCR pages add
    # "confidence" (mean word confidence 0-100), "dpi", "repairs" (each fix: the cell, the
    # form read, the form fixed, the confidence of each) and "uncertain" (the cells whose
    # reading stays in doubt after repair).
    page_info: list[dict] = field(default_factory=list)

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    def row_confidence(self) -> dict[tuple[int, int], float]:
        """(table index, 1-based row) -> the lowest confidence of the row's OCR'd cells
        that hold text, for the rows read by OCR: the place an observation records."""
        out = {}
        for table in self.tables:
            for i, row in enumerate(table.rows):
                confs = [c.confidence for c in row if c.confidence is not None and c.text.strip()]
                if confs:
                    out[(table.index, i + 1)] = min(confs)
        return out
