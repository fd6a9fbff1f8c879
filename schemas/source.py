"""A file found by discovery: what every later stage knows of where a document came from."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SourceFile:
    path: str
    document_id: str  # first 16 hex digits of the content's sha256
    sha256: str
    format: str
    size: int
    duplicate_of: str | None = None  # an earlier file in this run with the same bytes
    error: str | None = None  # found but not readable: recorded as this file's failure
