"""Format-neutral clean-up of extracted blocks: stitch tables that continue over pages
(or over Word page breaks), drop repeated header rows, rejoin rows split by a break,
and number tables and paragraphs in reading order."""

from __future__ import annotations

from parindex.schemas import Block, Cell, Paragraph, Table
from parindex.vietnamese.folding import collapse
from parindex.vietnamese.numbers import looks_numeric
from parindex.vietnamese.vocabulary import header_row_count


def _row_key(row: list[Cell]) -> tuple[str, ...]:
    return tuple(collapse(c.text).lower() for c in row)


def _is_furniture(p: Paragraph) -> bool:
    """Empty paragraphs, page numbers and running marks between two parts of a table."""
    t = collapse(p.text)
    return not t or (
        len(t) <= 12 and any(ch.isdigit() for ch in t) and not any(ch.isalpha() for ch in t.replace("Trang", ""))
    )


def _header_len(t: Table) -> int:
    """Rows at the top that hold no figures (a heuristic shared with the normalizer)."""
    return header_row_count(t.texts())


def _continues(a: Table, b: Table) -> int | None:
    """If b continues a, the number of b's leading rows that repeat a's header; else None."""
    if a.n_cols != b.n_cols or not b.rows:
        return None
    h = _header_len(a)
    if h and len(b.rows) >= h and [_row_key(r) for r in b.rows[:h]] == [_row_key(r) for r in a.rows[:h]]:
        return h
    if b.page == (a.rows[-1][0].page if a.rows and a.rows[-1] else a.page) + 1 and _header_len(b) == 0:
        return 0  # headerless continuation on the next page
    return None


def _rejoin_split_row(a: Table, b: Table) -> None:
    """A row cut by the page break: b's first row has text but no code and no figures."""
    if not b.rows or not a.rows:
        return
    first = b.rows[0]
    texts = [collapse(c.text) for c in first]
    if texts and not texts[0] and any(texts) and not any(looks_numeric(t) for t in texts):
        last = a.rows[-1]
        for i, c in enumerate(first):
            if i < len(last) and c.text.strip():
                last[i].text = (last[i].text.rstrip() + " " + c.text.strip()).strip()
        b.rows.pop(0)


def stitch(blocks: list[Block]) -> list[Block]:
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Table):
            # find the previous table with only furniture in between
            j = len(out) - 1
            while j >= 0 and isinstance(out[j], Paragraph) and _is_furniture(out[j]):
                j -= 1
            prev = out[j] if j >= 0 else None
            if isinstance(prev, Table):
                skip = _continues(prev, block)
                if skip is not None:
                    block.rows = block.rows[skip:]
                    _rejoin_split_row(prev, block)
                    base = len(prev.rows)
                    for r, row in enumerate(block.rows):
                        for c in row:
                            c.row = base + r
                    prev.rows.extend(block.rows)
                    del out[j + 1 :]  # the furniture between the parts
                    continue
        out.append(block)
    # number tables 1.. and paragraphs 0.., fill captions
    t_index, p_index, last_text = 0, 0, ""
    for block in out:
        if isinstance(block, Table):
            t_index += 1
            block.index = t_index
            block.caption = block.caption or last_text
        else:
            block.index = p_index
            p_index += 1
            if collapse(block.text):
                last_text = collapse(block.text)
    return out
