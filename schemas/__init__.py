"""The data contract: every column name and every intermediate shape lives here, once.

`schemas.intermediate` holds the format-neutral intermediate form that every extractor
produces; `schemas.columns` holds the four output tables (observations, flags,
documents, panel) with their column order and dtypes.
"""

from parindex.schemas.columns import (
    AGGREGATE_CODES,
    DOCUMENT_COLUMNS,
    FIELDS,
    FLAG_COLUMNS,
    FRAMEWORKS,
    OBSERVATION_COLUMNS,
    PANEL_COLUMNS,
    RULES,
    TABLES,
    VALUE_FIELDS,
)
from parindex.schemas.intermediate import Block, Cell, ExtractedDocument, Paragraph, Table

__all__ = [
    "AGGREGATE_CODES",
    "Block",
    "Cell",
    "DOCUMENT_COLUMNS",
    "ExtractedDocument",
    "FIELDS",
    "FLAG_COLUMNS",
    "FRAMEWORKS",
    "OBSERVATION_COLUMNS",
    "PANEL_COLUMNS",
    "Paragraph",
    "RULES",
    "TABLES",
    "Table",
    "VALUE_FIELDS",
]
