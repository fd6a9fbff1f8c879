"""One extractor per input format; each returns a `schemas.ExtractedDocument`.

`detect_format` looks at a file's bytes, never its extension; `extract` dispatches.
"""
from __future__ import annotations

import pathlib

from parindex.schemas import ExtractedDocument


class ExtractionError(Exception):
    """A document could not be read; the message names the file (and page/row when known)."""


def detect_format(data: bytes) -> str:
    """'pdf', 'docx', 'xlsx', 'doc', 'xls', 'html', 'text', 'empty' or 'unknown' (or 'ole'
    for another OLE compound file), from the content alone."""
    if not data.strip():
        return "empty"
    head = data[:4096]
    if head.lstrip()[:5] == b"%PDF-":
        return "pdf"
    if head[:4] == b"PK\x03\x04":
        import io
        import zipfile

        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            return "unknown"
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        return "unknown"
    if head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return ole_format(data)  # legacy .doc / .xls
    lowered = head.lower()
    if b"<html" in lowered or b"<!doctype html" in lowered or (b"<table" in lowered and b"</" in lowered):
        return "html"
    if b"\x00" in head:
        return "unknown"
    return "text"


def ole_format(data: bytes) -> str:
    """'doc' or 'xls' for an OLE compound file, by the streams at its root."""
    try:
        import olefile

        ole = olefile.OleFileIO(data)
        try:
            if ole.exists("WordDocument"):
                return "doc"
            if ole.exists("Workbook") or ole.exists("Book"):
                return "xls"
        finally:
            ole.close()
    except Exception:  # not readable as OLE, or olefile missing: look for the stream names
        for name, fmt in (("WordDocument", "doc"), ("Workbook", "xls"), ("Book", "xls")):
            if name.encode("utf-16-le") + b"\x00\x00" in data:
                return fmt
    return "ole"


def extract(path: str | pathlib.Path, data: bytes | None = None, fmt: str | None = None) -> ExtractedDocument:
    """Read one file into the intermediate form. Raises ExtractionError with the file name."""
    path = pathlib.Path(path)
    if data is None:
        data = path.read_bytes()
    fmt = fmt or detect_format(data)
    source = str(path)
    if fmt == "empty":
        raise ExtractionError(f"{source}: empty file (0 bytes of content)")
    try:
        if fmt == "pdf":
            from parindex.extractors.pdf import extract_pdf as fn
        elif fmt == "docx":
            from parindex.extractors.docx import extract_docx as fn
        elif fmt == "xlsx":
            from parindex.extractors.spreadsheet import extract_xlsx as fn
        elif fmt == "xls":
            from parindex.extractors.spreadsheet import extract_xls as fn
        elif fmt == "doc":
            from parindex.extractors.doc import extract_doc as fn
        elif fmt == "html":
            from parindex.extractors.html import extract_html as fn
        elif fmt == "text":
            from parindex.extractors.text import extract_text as fn
        else:
            raise ExtractionError(f"{source}: unsupported format ({fmt})")
        doc = fn(data, source)
    except ExtractionError as exc:
        if source not in str(exc):  # a helper's message (a converter, OCR) gets the file's name
            raise ExtractionError(f"{source}: {exc}") from exc
        raise
    except Exception as exc:  # any parser failure becomes a recorded, named error
        raise ExtractionError(f"{source}: cannot read as {fmt}: {type(exc).__name__}: {exc}") from exc
    doc.format = fmt
    return doc
