"""Decode bytes of unknown encoding to NFC text.

UTF-8 (with or without BOM) and UTF-16 with a BOM are read as such; any other bytes are
read as each Vietnamese 8-bit encoding in turn (Windows-1258, TCVN3, VNI) and the
reading whose words are most often valid Vietnamese syllables wins. A file whose lines
mix UTF-8 and an 8-bit encoding (one report pasted into another) is decoded line by
line: UTF-8 lines as UTF-8, the others together as the 8-bit encoding that reads them
best, with a warning that says so. NFD text comes out NFC, and runs typed in a legacy font but stored as Unicode characters ("C¶i c¸ch")
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
        mixed = decode_mixed(data)
        if mixed is not None:
            text, note = mixed
            warnings.append(note)
            return repair(unicodedata.normalize("NFC", text)), warnings
        text, enc = decode_8bit(data)
        warnings.append(f"not UTF-8; decoded as {LABELS[enc]}")
        return unicodedata.normalize("NFC", text), warnings
    return repair(text), warnings


def _utf8_line(line: bytes) -> str | None:
    """The line as UTF-8 when it is UTF-8 with at least one non-ASCII character (an
    ASCII line reads the same in every encoding, so it says nothing)."""
    if line.isascii():
        return None
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return None


def decode_mixed(data: bytes) -> tuple[str, str] | None:
    """(text, warning) for bytes whose lines mix UTF-8 and an 8-bit encoding; None when
    no line is UTF-8 beyond ASCII (a file in one 8-bit encoding)."""
    lines = data.split(b"\n")
    as_utf8 = [_utf8_line(line) for line in lines]
    legacy = [i for i, (line, u) in enumerate(zip(lines, as_utf8)) if u is None and not line.isascii()]
    if not legacy or all(u is None for u in as_utf8):
        return None
    legacy_text, enc = decode_8bit(b"\n".join(lines[i] for i in legacy))
    decoded = legacy_text.split("\n")
    if len(decoded) != len(legacy):  # a decoder that does not keep line breaks: one line at a time
        decoded = [decode_8bit(lines[i])[0] for i in legacy]
    out = [u if u is not None else line.decode("ascii", errors="replace") for line, u in zip(lines, as_utf8)]
    for i, text in zip(legacy, decoded):
        out[i] = text
    utf8_count = sum(u is not None for u in as_utf8)
    note = (
        f"mixed encodings: {utf8_count} line{'s' if utf8_count != 1 else ''} decoded as UTF-8, "
        f"{len(legacy)} as {LABELS[enc]}"
    )
    return "\n".join(out), note
