"""Decode bytes of unknown encoding to NFC text (UTF-8 first, then Windows-1258)."""
from __future__ import annotations

import unicodedata


def decode_text(data: bytes) -> tuple[str, list[str]]:
    warnings: list[str] = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for enc in ("utf-8", "utf-16") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8",):
        try:
            return unicodedata.normalize("NFC", data.decode(enc)), warnings
        except UnicodeDecodeError:
            pass
    warnings.append("not UTF-8; decoded as Windows-1258")
    return unicodedata.normalize("NFC", data.decode("cp1258", errors="replace")), warnings
