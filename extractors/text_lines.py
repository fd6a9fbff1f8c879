"""pdfplumber's grouping of characters into words and lines, with its default settings,
without its overhead: the text of a table cell (`pdfplumber.utils.extract_text`) and a
page's text lines (`Page.extract_text_lines(strip=True, return_chars=True)`).

pdfplumber builds a word extractor, clusters, sorts and maps every letter of the page to
its char through several layers of generators and dicts, then finds the lines with a
regular expression over the text it built. With its default settings (no layout, 3 pt
tolerances, ligatures expanded) that comes down to:

1. the characters are clustered into lines by their top (values at most 3 pt apart
   chain into one cluster), the clusters taken from the top, each line's characters
   ordered by x0 (a stable sort: on a tie the page order stays);
2. a line's characters are cut into words at whitespace characters, at a character
   left of the last one or more than 3 pt right of its end, or more than 3 pt higher
   or lower; an empty character is a word alone;
3. the words are clustered into lines by their top the same way: for a cell's text
   sorted by cluster, for the page's text lines taken in order (a new line wherever the
   cluster changes), the words of a line joined by one space.

Both functions give exactly pdfplumber's answer (`tests/test_pdf_speed_paths.py`
compares them on every sample PDF and on generated reports and rankings). Characters
they were not written for (not upright, or a character whose text holds whitespace
among other letters) go to pdfplumber itself.
"""

from __future__ import annotations

from operator import itemgetter

from pdfplumber.utils import extract_text as plumber_extract_text
from pdfplumber.utils.text import DEFAULT_X_TOLERANCE, DEFAULT_Y_TOLERANCE, LIGATURES

X_TOLERANCE, Y_TOLERANCE = DEFAULT_X_TOLERANCE, DEFAULT_Y_TOLERANCE
_SPECIAL = frozenset([*LIGATURES, None])  # texts a word's text is not simply joined from
_text, _x0, _top, _x1, _bottom = (itemgetter(k) for k in ("text", "x0", "top", "x1", "bottom"))


def _cluster_ids(values) -> dict:
    """Each value's cluster, as pdfplumber's `cluster_list` numbers them: the distinct
    values in order, a value at most Y_TOLERANCE above the last one staying in its
    cluster. The same dict as `pdfplumber.utils.clustering.make_cluster_dict(values,
    Y_TOLERANCE)`, which is 3.5 times slower on a cell's few values (it is called for
    every cell)."""
    ids = {}
    k = -1
    last = None
    for v in sorted(set(values)):
        if last is None or v > last + Y_TOLERANCE:
            k += 1
        ids[v] = k
        last = v
    return ids


def _plain(chars, lines: bool) -> bool:
    """Whether these characters are ones the fast path reads as pdfplumber does: all
    upright, and (for `text_lines`, which strips lines) no character of several
    letters with whitespace among them."""
    for c in chars:
        if c["upright"] is not True:
            return False
        if lines:
            t = c["text"]
            if len(t) > 1 and not t.isspace() and any(ch.isspace() for ch in t):
                return False
    return True


def _word(chars: list[dict]) -> tuple[str, float, list[dict]]:
    texts = list(map(_text, chars))
    if _SPECIAL.intersection(texts):
        text = "".join([LIGATURES.get(t, t or "") for t in texts])
    else:
        text = "".join(texts)
    return text, min(map(_top, chars)), chars


def words(chars: list[dict]) -> list[tuple[str, float, list[dict]]]:
    """The words of upright characters, as pdfplumber's WordExtractor with its default
    settings cuts them: (text, top, chars) each, line by line from the top, left to
    right in a line. (The rest of a word's box is not needed for its lines.)"""
    ids = _cluster_ids(list(map(_top, chars)))
    if len(set(ids.values())) == 1:  # one line (a cell's text, mostly): by x0 alone
        ordered = sorted(chars, key=_x0)
    else:
        ordered = sorted(chars, key=lambda c: (ids[c["top"]], c["x0"]))
    out: list[tuple] = []
    word: list[dict] = []
    line = None
    last_x0 = last_x1 = last_top = 0.0  # the word's last character
    for c in ordered:
        t = c["text"]
        top = c["top"]
        k = ids[top]
        x0 = c["x0"]
        if word and (
            k != line
            or t.isspace()
            or not t
            or x0 < last_x0
            or x0 > last_x1 + X_TOLERANCE
            or abs(top - last_top) > Y_TOLERANCE
        ):
            out.append(_word(word))
            word = []
        line = k
        if t.isspace():
            continue
        word.append(c)
        if not t:  # pdfplumber's split_at_punctuation ("" by default) holds the empty text: a word alone
            out.append(_word(word))
            word = []
            continue
        last_x0, last_x1, last_top = x0, c["x1"], top
    if word:
        out.append(_word(word))
    return out


def extract_text(chars: list[dict]) -> str:
    """`pdfplumber.utils.extract_text(chars)`: the words' lines, top to bottom, each
    line's words joined by a space."""
    if not chars:
        return ""
    if not _plain(chars, lines=False):
        return plumber_extract_text(chars)
    ws = words(chars)
    ids = _cluster_ids([w[1] for w in ws])
    if len(set(ids.values())) <= 1:
        return " ".join([w[0] for w in ws])
    ws.sort(key=lambda w: ids[w[1]])
    out: list[str] = []
    line = None
    for w in ws:
        k = ids[w[1]]
        if k != line:
            if line is not None:
                out.append("\n")
            line = k
        else:
            out.append(" ")
        out.append(w[0])
    return "".join(out)


def text_lines(page) -> list[dict]:
    """`page.extract_text_lines(strip=True, return_chars=True)`: each line's text, box
    and characters (a ligature's char once per letter it expands to)."""
    chars = page.chars
    if not _plain(chars, lines=True):
        return page.extract_text_lines(strip=True, return_chars=True)
    ws = words(chars)
    ids = _cluster_ids([w[1] for w in ws])
    out: list[dict] = []
    n = len(ws)
    i = 0
    while i < n:
        k = ids[ws[i][1]]
        pieces: list[str] = []
        line_chars: list[dict] = []
        while i < n and ids[ws[i][1]] == k:
            if pieces:  # the words of a line joined by a space, as pdfplumber joins them
                pieces.append(" ")
            text, _, word_chars = ws[i]
            if len(text) == len(word_chars):  # one letter a char: the word's text as it is
                pieces.append(text)
                line_chars.extend(word_chars)
            else:
                for c in word_chars:
                    letters = LIGATURES.get(c["text"], c["text"])
                    pieces.append(letters)
                    line_chars.extend([c] * len(letters))
            i += 1
        text = "".join(pieces).strip(" ")
        if not text.strip():
            continue
        out.append(
            {
                "text": text,
                "x0": min(map(_x0, line_chars)),
                "top": min(map(_top, line_chars)),
                "x1": max(map(_x1, line_chars)),
                "bottom": max(map(_bottom, line_chars)),
                "chars": line_chars,
            }
        )
    return out
