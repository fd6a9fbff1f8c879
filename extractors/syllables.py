"""Is a word a well-formed Vietnamese syllable? Used to tell which decoding of legacy
8-bit text (Windows-1258, TCVN3, VNI) reads as Vietnamese: the one whose words are
syllables wins. Pure functions over NFC text."""

from __future__ import annotations

import unicodedata

TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # grave, acute, tilde, hook, dot

ONSETS = (
    "ngh",
    "ng",
    "nh",
    "ch",
    "gh",
    "gi",
    "kh",
    "ph",
    "qu",
    "th",
    "tr",
    "b",
    "c",
    "d",
    "đ",
    "g",
    "h",
    "k",
    "l",
    "m",
    "n",
    "p",
    "r",
    "s",
    "t",
    "v",
    "x",
)
# vowel clusters that close the syllable themselves (end in a glide) take no final consonant
OPEN_NUCLEI = (
    "ai",
    "ao",
    "au",
    "ay",
    "âu",
    "ây",
    "eo",
    "êu",
    "ia",
    "iu",
    "oi",
    "ôi",
    "ơi",
    "ua",
    "ui",
    "ưa",
    "ưi",
    "ưu",
    "oai",
    "oay",
    "oao",
    "oeo",
    "uây",
    "uôi",
    "ươi",
    "ươu",
    "iêu",
    "yêu",
    "uya",
    "uyu",
)
NUCLEI = (
    "a",
    "ă",
    "â",
    "e",
    "ê",
    "i",
    "o",
    "ô",
    "ơ",
    "u",
    "ư",
    "y",
    "iê",
    "oa",
    "oă",
    "oe",
    "oo",
    "uâ",
    "uê",
    "uô",
    "uơ",
    "uy",
    "ươ",
    "yê",
    "uyê",
) + OPEN_NUCLEI
CODAS = ("ch", "ng", "nh", "c", "m", "n", "p", "t")
PALATAL_NUCLEI = ("a", "ê", "i", "y", "oa", "uê", "uy")  # the only ones before -ch and -nh
STOPS = ("c", "ch", "p", "t")  # a syllable closed by a stop takes only the acute or dot tone


def untoned(word: str) -> tuple[str, int]:
    """The word without its tone marks (NFC) and how many tone marks it had."""
    parts = unicodedata.normalize("NFD", word)
    tones = sum(1 for ch in parts if ch in TONES)
    return unicodedata.normalize("NFC", "".join(ch for ch in parts if ch not in TONES)), tones


def is_syllable(word: str) -> bool:
    """'người', 'Cải', 'HUYỆN' -> True; 'C¶i', 'hµnh', 'caùch', 'ChÝnh' -> False."""
    if not word or not (word.islower() or word.isupper() or word.istitle()):
        return False
    low = word.lower()
    base, tones = untoned(low)
    if tones > 1:
        return False
    for m in _all_parses(base):
        nucleus, coda = m
        if coda and nucleus in OPEN_NUCLEI:
            continue
        if coda in ("ch", "nh") and nucleus not in PALATAL_NUCLEI:
            continue
        if coda in STOPS and tones and not any(t in unicodedata.normalize("NFD", low) for t in "\u0301\u0323"):
            continue
        return True
    return False


def _all_parses(base: str) -> list[tuple[str, str]]:
    """Every (nucleus, coda) split of an untoned word that fits onset-nucleus-coda."""
    out = []
    for onset in ("",) + ONSETS:
        if not base.startswith(onset):
            continue
        rest = base[len(onset) :]
        for coda in ("",) + CODAS:
            if coda and not rest.endswith(coda):
                continue
            nucleus = rest[: len(rest) - len(coda)]
            if nucleus in NUCLEI:
                out.append((nucleus, coda))
    return out


def words(text: str) -> list[str]:
    """Whitespace-separated tokens with punctuation stripped from their ends only, so a
    symbol inside a word (a legacy-font letter such as '¶') stays and spoils it."""
    out = []
    for tok in text.split():
        tok = tok.strip("\"'()[]{}.,;:!?-–—…“”‘’/")
        if tok:
            out.append(tok)
    return out


def syllable_score(text: str) -> tuple[int, int]:
    """(syllables, other words) among the words of `text` that are not plain ASCII
    and hold no digit: the words a legacy decoding can change."""
    good = bad = 0
    for w in words(text):
        if w.isascii() or any(ch.isdigit() for ch in w):
            continue
        if is_syllable(w):
            good += 1
        else:
            bad += 1
    return good, bad
