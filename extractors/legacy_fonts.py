"""Vietnamese text typed in the legacy 8-bit font encodings, back to Unicode (NFC).

Before Unicode, Vietnamese documents were typed in fonts whose glyphs sit on the code
points of Windows-1252: TCVN3 ("ABC", .VnTime) gives every accented letter its own byte
("C¶i c¸ch hµnh chÝnh"); VNI (VNI-Times) writes a base letter followed by a mark byte
("Caûi caùch haønh chính"). Word, PDF and web text keep those bytes as the Windows-1252
characters, so the conversion works on text: every character maps back to its byte's
Windows-1252 character, and the tables below map that to Vietnamese.

A run is converted only when the conversion reads as Vietnamese and the text as given
does not: `best_encoding` scores both by how many words are valid syllables
(`extractors.syllables`). Text in genuine Unicode is never touched, and nothing is
invented: a character that neither table knows stays as it was.
"""

from __future__ import annotations

import re
import unicodedata

from parindex.extractors.syllables import is_syllable, syllable_score, words

# TCVN 5712:1993 VN3 (ABC): the Windows-1252 character of each byte -> Unicode.
# Lowercase letters plus the seven capitals the encoding has; the other capitals were
# typed in the companion uppercase fonts (.VnTimeH) on the lowercase bytes.
TCVN3 = {
    "¡": "Ă",
    "¢": "Â",
    "£": "Ê",
    "¤": "Ô",
    "¥": "Ơ",
    "¦": "Ư",
    "§": "Đ",
    "¨": "ă",
    "©": "â",
    "ª": "ê",
    "«": "ô",
    "¬": "ơ",
    "\u00ad": "ư",
    "®": "đ",
    "µ": "à",
    "¶": "ả",
    "·": "ã",
    "¸": "á",
    "¹": "ạ",
    "»": "ằ",
    "¼": "ẳ",
    "½": "ẵ",
    "¾": "ắ",
    "Æ": "ặ",
    "Ç": "ầ",
    "È": "ẩ",
    "É": "ẫ",
    "Ê": "ấ",
    "Ë": "ậ",
    "Ì": "è",
    "Î": "ẻ",
    "Ï": "ẽ",
    "Ð": "é",
    "Ñ": "ẹ",
    "Ò": "ề",
    "Ó": "ể",
    "Ô": "ễ",
    "Õ": "ế",
    "Ö": "ệ",
    "×": "ì",
    "Ø": "ỉ",
    "Ü": "ĩ",
    "Ý": "í",
    "Þ": "ị",
    "ß": "ò",
    "á": "ỏ",
    "â": "õ",
    "ã": "ó",
    "ä": "ọ",
    "å": "ồ",
    "æ": "ổ",
    "ç": "ỗ",
    "è": "ố",
    "é": "ộ",
    "ê": "ờ",
    "ë": "ở",
    "ì": "ỡ",
    "í": "ớ",
    "î": "ợ",
    "ï": "ù",
    "ñ": "ủ",
    "ò": "ũ",
    "ó": "ú",
    "ô": "ụ",
    "õ": "ừ",
    "ö": "ử",
    "÷": "ữ",
    "ø": "ứ",
    "ù": "ự",
    "ú": "ỳ",
    "û": "ỷ",
    "ü": "ỹ",
    "ý": "ý",
    "þ": "ỵ",
    "μ": "à",  # some PDF producers report byte 0xB5 as the Greek mu
}

# VNI Windows: letters that stand alone ...
VNI_LETTERS = {
    "ô": "ơ",
    "Ô": "Ơ",
    "ö": "ư",
    "Ö": "Ư",
    "ñ": "đ",
    "Ñ": "Đ",
    "æ": "ỉ",
    "Æ": "Ỉ",
    "ó": "ĩ",
    "Ó": "Ĩ",
    "ò": "ị",
    "Ò": "Ị",
    "î": "ỵ",
    "Î": "Ỵ",
}
# ... and mark bytes that follow their base letter, as combining characters.
VNI_TONES = {  # after any vowel
    "ù": "\u0301",
    "ø": "\u0300",
    "û": "\u0309",
    "õ": "\u0303",
    "ï": "\u0323",
    "Ù": "\u0301",
    "Ø": "\u0300",
    "Û": "\u0309",
    "Õ": "\u0303",
    "Ï": "\u0323",
}
VNI_CIRCUMFLEX = {  # after a, e, o: circumflex, with a tone
    "â": "\u0302",
    "á": "\u0302\u0301",
    "à": "\u0302\u0300",
    "å": "\u0302\u0309",
    "ã": "\u0302\u0303",
    "ä": "\u0302\u0323",
    "Â": "\u0302",
    "Á": "\u0302\u0301",
    "À": "\u0302\u0300",
    "Å": "\u0302\u0309",
    "Ã": "\u0302\u0303",
    "Ä": "\u0302\u0323",
}
VNI_BREVE = {  # after a: breve, with a tone
    "ê": "\u0306",
    "é": "\u0306\u0301",
    "è": "\u0306\u0300",
    "ú": "\u0306\u0309",
    "ü": "\u0306\u0303",
    "ë": "\u0306\u0323",
    "Ê": "\u0306",
    "É": "\u0306\u0301",
    "È": "\u0306\u0300",
    "Ú": "\u0306\u0309",
    "Ü": "\u0306\u0303",
    "Ë": "\u0306\u0323",
}

VOWELS = set("aeiouyAEIOUY")
ENCODINGS = ("tcvn3", "vni")
_TCVN3_TABLE = str.maketrans(TCVN3)
# characters a legacy run can hold: those of Windows-1252 (and Latin-1's C1 range)
_CP1252_EXTRA = set(bytes(range(0x80, 0xA0)).decode("cp1252", errors="ignore"))


def legacy_char(ch: str) -> bool:
    """Can `ch` be a character of text typed in a legacy 8-bit font?"""
    o = ord(ch)
    return o < 0x100 or ch in _CP1252_EXTRA or ch == "μ"


def _capitalize_vntimeh(word: str) -> str:
    """TCVN3 has no bytes for accented capitals: capitals were typed in an uppercase
    companion font (.VnTimeH) on the lowercase bytes. A word with a capital after its
    first letter and no small plain letter ("KếT", "ĐIểM") was printed in capitals
    throughout; "Sở" or "Tỷ" (one capital, first) stay as they are."""
    letters = [ch for ch in word if ch.isalpha()]
    plain = [ch for ch in letters if ch.isascii()]
    if (
        any(ch.isupper() for ch in letters[1:] if ch.isascii())
        and not any(ch.islower() for ch in plain)
        and any(ch.islower() for ch in letters if not ch.isascii())
    ):
        return word.upper()
    return word


def decode_tcvn3(text: str) -> str:
    """TCVN3 text as Unicode; one character out for each character in."""
    return "".join(_decode_tcvn3_line(line) for line in re.split(r"(\n)", text))


def _decode_tcvn3_line(text: str) -> str:
    parts = [_capitalize_vntimeh(p) for p in re.split(r"(\s+)", text.translate(_TCVN3_TABLE))]
    # in a line of capitals, a word such as "Số" (its only plain letter first) is "SỐ" too
    lettered = [p for p in parts[::2] if any(ch.isalpha() for ch in p)]
    if len(lettered) >= 3 and sum(p.isupper() for p in lettered) >= 0.8 * len(lettered):
        parts = [
            p.upper() if k % 2 == 0 and p[:1].isupper() and p[1:].islower() and not p[1:].isascii() else p
            for k, p in enumerate(parts)
        ]
    return "".join(parts)


def vni_mark(prev: str, ch: str) -> str | None:
    """The combining marks `ch` stands for after the (already decoded) letter `prev`, or
    None when `ch` is not a mark in that place."""
    if not prev:
        return None
    parts = unicodedata.normalize("NFD", prev)
    base, marks = parts[0], parts[1:]
    if base not in VOWELS:
        return None
    if not marks and base in "aeoAEO" and ch in VNI_CIRCUMFLEX:
        return VNI_CIRCUMFLEX[ch]
    if not marks and base in "aA" and ch in VNI_BREVE:
        return VNI_BREVE[ch]
    if ch in VNI_TONES and not any(m in "\u0300\u0301\u0303\u0309\u0323" for m in marks):
        return VNI_TONES[ch]
    return None


def decode_vni(text: str) -> str:
    out: list[str] = []
    for ch in text:
        mark = vni_mark(out[-1], ch) if out else None
        if mark is not None:
            out[-1] = unicodedata.normalize("NFC", out[-1] + mark)
        else:
            out.append(VNI_LETTERS.get(ch, ch))
    return unicodedata.normalize("NFC", "".join(out))


DECODERS = {"tcvn3": decode_tcvn3, "vni": decode_vni}


def best_encoding(text: str) -> str | None:
    """'tcvn3' or 'vni' when that decoding of `text` reads as Vietnamese clearly better
    than `text` itself; None otherwise (Unicode text, English, numbers)."""
    if text.isascii() or not all(legacy_char(ch) for ch in text):
        return None
    good, bad = syllable_score(text)
    if not bad:
        return None
    best, best_good = None, good
    for name in ENCODINGS:
        g, b = syllable_score(DECODERS[name](text))
        if g > best_good and b < bad and g >= b:
            best, best_good = name, g
    return best


def _decode_word(word: str, enc: str) -> str:
    """A word of a run read as `enc`, unless it is a Vietnamese syllable as given and
    its decoding is not (a Unicode word such as 'cách' next to legacy text)."""
    if word.isascii():
        return word
    decoded = DECODERS[enc](word)
    w, d = words(word), words(decoded)
    if w and d and all(is_syllable(x) for x in w) and not all(is_syllable(x) for x in d):
        return word
    return decoded


def repair(text: str) -> str:
    """NFC text with every legacy-encoded run converted. A run is a stretch of words
    made only of Windows-1252 characters: genuine Unicode Vietnamese breaks runs at
    every word with a letter outside that set (such as 'ả' or 'ư'), and a run's own
    words decide its encoding, so a paragraph may mix Unicode and legacy text."""
    text = unicodedata.normalize("NFC", text)
    if text.isascii():
        return text
    parts = re.split(r"(\s+)", text)  # words at even, whitespace at odd positions
    out: list[str] = []
    run: list[str] = []

    def flush():
        if run:
            chunk = "".join(run)
            enc = best_encoding(chunk.strip())
            out.append("".join(_decode_word(w, enc) for w in run) if enc else chunk)
            run.clear()

    for k, part in enumerate(parts):
        if k % 2 or all(legacy_char(ch) for ch in part):
            run.append(part)
        else:
            flush()
            out.append(part)
    flush()
    return unicodedata.normalize("NFC", "".join(out))
