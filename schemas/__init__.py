"""The data contract: every column name and every intermediate shape lives here, once.

`schemas.document` holds the format-neutral intermediate form that every extractor
produces; `schemas.tables` holds the four output tables (observations, flags,
documents, panel) with their column order and dtypes.
"""

from parindex.schemas.document import Block, Cell, ExtractedDocument, Paragraph, Table
from parindex.schemas.tables import (
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
