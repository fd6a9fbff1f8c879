"""Decode bytes of unknown encoding to NFC text.

UTF-8 (with or without BOM) and UTF-16 with a BOM are read as such; any other bytes are
read as each Vietnamese 8-bit encoding in turn (Windows-1258, TCVN3, VNI) and the
reading whose words are most often valid Vietnamese syllables wins. NFD text comes
out NFC, and runs typed in a legacy font but stored as Unicode characters ("C¶i c¸ch")
are converted by `extractors.legacy_fonts.repair`.
"""
from __future__ import annotations

import unicodedata

from parindex.extractors.legacy_fonts import decode_tcvn3, decode_vni, repair
from parindex.extractors.syllables import syllable_score

LABELS = {"cp1258": "Windows-1258", "tcvn3": "TCVN3 (ABC)", "vni": "VNI"}


def as_cp1252(data: bytes) -> str:
    """Bytes as the Windows-1252 characters a legacy font puts on them (the five bytes
    Windows-1252 leaves undefined are read as Latin-1)."""
    text = data.decode("cp1252", errors="replace")  # one character per byte
    return "".join(chr(b) if ch == "\ufffd" else ch for ch, b in zip(text, data))


def decode_8bit(data: bytes) -> tuple[str, str]:
    """The best reading of non-UTF-8 bytes and the name of its encoding."""
    raw = as_cp1252(data)
    candidates = {
        "cp1258": unicodedata.normalize("NFC", data.decode("cp1258", errors="replace")),
        "tcvn3": decode_tcvn3(raw),
        "vni": decode_vni(raw),
    }
    scores = {name: syllable_score(text) for name, text in candidates.items()}
    best = max(candidates, key=lambda name: (scores[name][0] - scores[name][1], name == "cp1258"))
    return candidates[best], best


def decode_text(data: bytes) -> tuple[str, list[str]]:
    warnings: list[str] = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return repair(data.decode("utf-16")), warnings
        except UnicodeDecodeError:
            pass
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text, enc = decode_8bit(data)
        warnings.append(f"not UTF-8; decoded as {LABELS[enc]}")
        return unicodedata.normalize("NFC", text), warnings
    return repair(text), warnings
