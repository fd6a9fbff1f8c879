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


def password_protected(data: bytes) -> bool:
    """Whether an OLE compound file is an encrypted Office document: a .docx or .xlsx
    saved with a password (an EncryptedPackage stream), a Word 97-2003 file whose FIB
    says fEncrypted, or an Excel 97-2003 workbook with a FILEPASS record after its BOF."""
    import olefile

    try:
        ole = olefile.OleFileIO(data)
    except Exception:  # not readable as OLE: nothing to tell
        return False
    try:
        if ole.exists("EncryptedPackage") or ole.exists("EncryptionInfo"):
            return True
        if ole.exists("WordDocument"):
            fib = ole.openstream("WordDocument").read(12)
            return len(fib) >= 12 and bool(int.from_bytes(fib[10:12], "little") & 0x0100)
        for name in ("Workbook", "Book"):
            if ole.exists(name):
                head = ole.openstream(name).read(4096)
                bof_length = int.from_bytes(head[2:4], "little")
                return head[4 + bof_length : 6 + bof_length] == b"\x2f\x00"  # FILEPASS
    except Exception:  # a damaged stream: the reader will say what it can
        return False
    finally:
        ole.close()
    return False


def extract(path: str | pathlib.Path, data: bytes | None = None, fmt: str | None = None) -> ExtractedDocument:
    """Read one file into the intermediate form. Raises ExtractionError with the file name."""
    path = pathlib.Path(path)
    if data is None:
        data = path.read_bytes()
    fmt = fmt or detect_format(data)
    source = str(path)
    if fmt == "empty":
        raise ExtractionError(f"{source}: empty file (0 bytes of content)")
    if fmt in ("doc", "xls", "ole") and password_protected(data):
        raise ExtractionError(f"{source}: password-protected; save it without a password to import it")
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
