"""HTML pages (lxml, no network, no entity expansion): block text in reading order and
<table> markup with rowspan/colspan expanded into a grid. Navigation, asides, footers,
scripts and styles are skipped. A table the page flattened to one <p> per cell is
rebuilt from its header (`extractors.flattened`), and a table printed one row per <p>
from its header line (`extractors.line_tables`); text typed in a legacy Vietnamese font
(TCVN3, VNI) is converted to Unicode (`extractors.legacy_fonts`)."""

from __future__ import annotations

import lxml.html
from lxml import etree

from parindex.extractors.flattened import is_header_start, rebuild
from parindex.extractors.legacy_fonts import repair
from parindex.extractors.line_tables import rebuild_line_tables
from parindex.extractors.stitch import stitch
from parindex.schemas import Cell, ExtractedDocument, Paragraph, Table
from parindex.vietnamese.folding import collapse

SKIP = {"script", "style", "nav", "aside", "footer", "header", "noscript", "form", "button", "select", "iframe", "svg"}
BLOCK = {
    "p",
    "div",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "section",
    "article",
    "td",
    "th",
    "dd",
    "dt",
    "caption",
}


def _parser():
    return lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, no_network=True, recover=True, huge_tree=False)


def _text(el) -> str:
    parts = []
    for node in el.iter():
        if node.tag in ("br",):
            parts.append("\n")
        if node is not el and isinstance(node.tag, str) and node.tag in SKIP:
            continue
        if node.text and node is el:
            parts.append(node.text)
        elif node.text and node is not el:
            parts.append(node.text)
        if node is not el and node.tail:
            parts.append(node.tail)
    return collapse(repair("".join(parts)))


def _bold(el) -> bool:
    """Every character of the element inside <b> or <strong>."""
    strong = "".join("".join(b.itertext()) for b in el.iter("b", "strong"))
    return bool(collapse(strong)) and collapse(strong) == collapse("".join(el.itertext()))


def _rebuild_flattened(blocks: list) -> list:
    """Runs of paragraphs that are a flattened table become that table; the empty
    paragraphs kept for them (an empty cell) are dropped."""
    out: list = []
    i = 0
    while i < len(blocks):
        b = blocks[i]
        if isinstance(b, Paragraph) and is_header_start(b.text):
            j = i
            while j < len(blocks) and isinstance(blocks[j], Paragraph) and j - i < 4000:
                j += 1
            run = blocks[i:j]
            found = rebuild([p.text for p in run], 0, [p.bold for p in run])
            if found is not None:
                rows, used = found
                out.append(Table(index=0, rows=rows))
                i += used
                continue
        if not (isinstance(b, Paragraph) and not b.text):
            out.append(b)
        i += 1
    return out


def _grid(table_el) -> list[list[Cell]]:
    grid: dict[tuple[int, int], Cell] = {}
    rows = [tr for tr in table_el.iter("tr") if tr.getparent() is not None and _owner(tr) is table_el]
    for r, tr in enumerate(rows):
        c = 0
        for td in tr:
            if not isinstance(td.tag, str) or td.tag not in ("td", "th"):
                continue
            while (r, c) in grid:
                c += 1
            try:
                rs = max(1, min(int(td.get("rowspan", "1") or 1), 100))
                cs = max(1, min(int(td.get("colspan", "1") or 1), 100))
            except ValueError:
                rs = cs = 1
            bold = td.tag == "th" or td.find(".//b") is not None or td.find(".//strong") is not None
            origin = Cell(text=_text(td), row=r, col=c, rowspan=rs, colspan=cs, bold=bold)
            for dr in range(rs):
                for dc in range(cs):
                    if dr == 0 and dc == 0:
                        grid[(r, c)] = origin
                    else:
                        grid[(r + dr, c + dc)] = Cell(text=origin.text, row=r + dr, col=c + dc, spanned=True, bold=bold)
            c += cs
    if not grid:
        return []
    n_rows = max(k[0] for k in grid) + 1
    n_cols = max(k[1] for k in grid) + 1
    return [[grid.get((r, c), Cell(text="", row=r, col=c)) for c in range(n_cols)] for r in range(n_rows)]


def _owner(tr):
    el = tr.getparent()
    while el is not None and el.tag != "table":
        el = el.getparent()
    return el


def _utf8(data: bytes) -> bytes:
    """The page as UTF-8: a page in an 8-bit encoding (Windows-1258, TCVN3, VNI) is
    decoded by `extractors.encoding` first."""
    try:
        data.decode("utf-8")
        return data
    except UnicodeDecodeError:
        from parindex.extractors.encoding import decode_8bit

        return decode_8bit(data)[0].encode("utf-8")


def extract_html(data: bytes, source: str) -> ExtractedDocument:
    root = lxml.html.fromstring(_utf8(data), parser=_parser())
    body = root.find("body") if root.tag == "html" else root
    if body is None:
        body = root
    blocks: list = []

    def walk(el):
        for child in el:
            if not isinstance(child.tag, str):
                continue
            tag = child.tag.lower()
            if tag in SKIP:
                continue
            if tag == "table":
                rows = _grid(child)
                if rows:
                    blocks.append(Table(index=0, rows=rows))
                continue
            has_block_child = any(isinstance(g.tag, str) and (g.tag in BLOCK or g.tag == "table") for g in child)
            if tag in BLOCK and not has_block_child:
                t = _text(child)
                level = int(tag[1]) if tag in ("h1", "h2", "h3", "h4", "h5", "h6") else 0
                # an empty paragraph is kept for now: it may be an empty cell of a flattened table
                blocks.append(Paragraph(text=t, index=0, heading=level, bold=bool(t) and _bold(child)))
            else:
                if child.text and child.text.strip() and tag in BLOCK:
                    blocks.append(Paragraph(text=collapse(repair(child.text)), index=0))
                walk(child)
                if tag in BLOCK:
                    pass
            if child.tail and child.tail.strip() and el is not None:
                blocks.append(Paragraph(text=collapse(repair(child.tail)), index=0))

    walk(body)
    return ExtractedDocument(
        source=source, format="html", blocks=stitch(rebuild_line_tables(_rebuild_flattened(blocks))), pages=1
    )


__all__ = ["extract_html", "etree"]
