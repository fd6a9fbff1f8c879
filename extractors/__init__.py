"""One extractor per input format; each turns a file's bytes into a
`schemas.ExtractedDocument`, the intermediate form nothing after extraction looks behind.

`READERS` is the one table of formats: the name `discover.formats.detect_format` gives a
file, the function that reads it, and whether the reader process loads it before its
first document (`extractors.isolation`). `extract` dispatches through it. To add a
format, see docs/architecture.md ("How to add a format").
"""

from __future__ import annotations

import importlib
import pathlib
from dataclasses import dataclass

from parindex.discover.formats import detect_format, password_protected
from parindex.schemas import ExtractedDocument


class ExtractionError(Exception):
    """A document could not be read; the message names the file (and page/row when known)."""


@dataclass(frozen=True)
class Reader:
    """How one format is read: `function` is "module:name" under parindex.extractors,
    called with (bytes, source name); `preload`: imported by the reader process before
    its first document, because most archives hold that format."""

    function: str
    preload: bool = False

    def load(self):
        module, name = self.function.split(":")
        return getattr(importlib.import_module(f"parindex.extractors.{module}"), name)


READERS: dict[str, Reader] = {
    "pdf": Reader("pdf:extract_pdf", preload=True),
    "docx": Reader("docx:extract_docx", preload=True),
    "xlsx": Reader("spreadsheet:extract_xlsx"),
    "xls": Reader("spreadsheet:extract_xls"),
    "doc": Reader("doc:extract_doc"),
    "html": Reader("html:extract_html", preload=True),
    "text": Reader("plaintext:extract_text", preload=True),
}
# formats whose files may be encrypted Office documents (told apart before reading)
OLE_FORMATS = ("doc", "xls", "ole")


def extract(path: str | pathlib.Path, data: bytes | None = None, fmt: str | None = None) -> ExtractedDocument:
    """Read one file into the intermediate form. Raises ExtractionError with the file name."""
    path = pathlib.Path(path)
    if data is None:
        data = path.read_bytes()
    fmt = fmt or detect_format(data)
    source = str(path)
    if fmt == "empty":
        raise ExtractionError(f"{source}: empty file (0 bytes of content)")
    if fmt in OLE_FORMATS and password_protected(data):
        raise ExtractionError(f"{source}: password-protected; save it without a password to import it")
    try:
        if fmt not in READERS:
            raise ExtractionError(f"{source}: unsupported format ({fmt})")
        fn = READERS[fmt].load()
        doc = fn(data, source)
    except ExtractionError as exc:
        if source not in str(exc):  # a helper's message (a converter, OCR) gets the file's name
            raise ExtractionError(f"{source}: {exc}") from exc
        raise
    except Exception as exc:  # any parser failure becomes a recorded, named error
        raise ExtractionError(f"{source}: cannot read as {fmt}: {type(exc).__name__}: {exc}") from exc
    doc.format = fmt
    return doc
