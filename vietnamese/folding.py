"""Text helpers: NFC, whitespace, accent folding. Pure functions."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WS = re.compile(r"\s+")


def nfc(s: object) -> str:
    return unicodedata.normalize("NFC", "" if s is None else str(s))


def collapse(s: object) -> str:
    """NFC text with runs of whitespace (newlines from wrapped cells too) collapsed to one space."""
    return _WS.sub(" ", nfc(s).replace("\u00a0", " ")).strip()


def fold(s: object) -> str:
    """Lowercase, accent-free form for matching damaged or unaccented text ("Đ" -> "d")."""
    return _fold(s if isinstance(s, str) else ("" if s is None else str(s)))


@lru_cache(maxsize=1 << 16)  # criterion names and header cells repeat across an archive
def _fold(s: str) -> str:
    t = collapse(s).lower().replace("đ", "d").replace("Đ", "d")
    t = unicodedata.normalize("NFD", t)
    return "".join(ch for ch in t if unicodedata.category(ch) != "Mn")


def strip_markup(s: str) -> str:
    """Remove markdown emphasis/heading markers that text exports leave around words."""
    s = re.sub(r"</?b>|</?i>|</?strong>|</?em>", "", s)
    s = re.sub(r"^#+\s*", "", s)
    s = s.replace("\\*", "\x00")
    s = re.sub(r"\*+", "", s)
    return s.replace("\x00", "*")


def fold_keep_length(s: str) -> str:
    """Like `fold` but one output char per input char, so match positions map back."""
    return "".join(map(_fold_char, s))


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    low = ch.lower()
    if low == "đ":
        return "d"
    base = unicodedata.normalize("NFD", low)[:1] or low
    return base if len(base) == 1 else low
