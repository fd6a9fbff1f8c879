"""The data contract: every column name and every intermediate shape lives here, once.

`schemas.intermediate` holds the format-neutral intermediate form that every extractor
produces; `schemas.columns` holds the four output tables (observations, flags,
documents, panel) with their column order and dtypes; `schemas.observation` types one
observation as the normalizer builds it and says where a value read from a sentence sits.
"""

from parindex.schemas.columns import (
    AGGREGATE_CODES,
    DOCUMENT_COLUMNS,
    FLAG_COLUMNS,
    FRAMEWORKS,
    OBSERVATION_COLUMNS,
    PANEL_COLUMNS,
    TABLES,
    VALUE_FIELDS,
)
from parindex.schemas.intermediate import Block, Cell, ExtractedDocument, Paragraph, Table
from parindex.schemas.observation import SENTENCE_TABLE, Observation, is_sentence

__all__ = [
    "AGGREGATE_CODES",
    "Block",
    "Cell",
    "DOCUMENT_COLUMNS",
    "ExtractedDocument",
    "FLAG_COLUMNS",
    "FRAMEWORKS",
    "Observation",
    "OBSERVATION_COLUMNS",
    "PANEL_COLUMNS",
    "Paragraph",
    "SENTENCE_TABLE",
    "TABLES",
    "Table",
    "VALUE_FIELDS",
    "is_sentence",
]
