"""What kind of file this is, told from its bytes alone (never its name)."""

from __future__ import annotations


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
