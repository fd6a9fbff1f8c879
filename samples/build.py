#!/usr/bin/env python3
"""Rebuild the sample documents in ``samples/`` from the five seed reports.

The seeds (``<stem>.txt``, plain-text dumps of real PAR INDEX reports) are
turned back into the formats provinces actually publish:

    000_65e2608f2289fc53.pdf   landscape appendix, ruled tables, spans, repeated headers
    001_af3bdc7e3d446662.docx  criteria table split into one Word table per page
    002_08e6fc9df459596f.docx  narrative report, no tables
    003_bcf6dc032df3fdf9.pdf   portrait narrative report with three small tables
    004_0dbbb814e2b5b046.html  web article, four tables rebuilt from a one-cell-per-line dump

Every value is copied verbatim from the seed (decimal commas, mixed codes,
typos and dropped characters included).  The output is deterministic:
PDFs are written with reportlab's ``invariant=1``, DOCX core properties use a
fixed date and the DOCX zip members carry a fixed timestamp.

Usage:  python samples/build.py [--seeds DIR] [--out DIR] [--font-dir DIR]

Needs reportlab, python-docx and the DejaVu Sans TTF fonts
(Debian: fonts-dejavu-core for regular/bold, fonts-dejavu-extra for oblique).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import html
import io
import re
import sys
import unicodedata
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent
DEFAULT_SEEDS = "../shared/seeds"  # relative to the repository root
DEFAULT_FONT_DIR = "/usr/share/fonts/truetype/dejavu"

STEMS = {
    "summary_pdf": "000_65e2608f2289fc53",
    "criteria_docx": "001_af3bdc7e3d446662",
    "narrative_docx": "002_08e6fc9df459596f",
    "narrative_pdf": "003_bcf6dc032df3fdf9",
    "article_html": "004_0dbbb814e2b5b046",
}

FIXED_DATE = _dt.datetime(2025, 1, 1, 0, 0, 0)
ZIP_DATE = (2025, 1, 1, 0, 0, 0)
NBSP = "\u00a0"

FONT = "DejaVuSans"
FONT_B = "DejaVuSans-Bold"
FONT_I = "DejaVuSans-Oblique"
FONT_BI = "DejaVuSans-BoldOblique"
FONT_FILES = {
    FONT: "DejaVuSans.ttf",
    FONT_B: "DejaVuSans-Bold.ttf",
    FONT_I: "DejaVuSans-Oblique.ttf",
    FONT_BI: "DejaVuSans-BoldOblique.ttf",
}


class BuildError(Exception):
    pass


# --------------------------------------------------------------------------
# seed reading and generic helpers
# --------------------------------------------------------------------------


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def read_seed(seeds: Path, stem: str) -> list[str]:
    path = seeds / f"{stem}.txt"
    if not path.is_file():
        raise BuildError(f"seed not found: {path}")
    text = nfc(path.read_text(encoding="utf-8"))
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def segments_tsv(lines: list[str]) -> list[tuple[str, object]]:
    """Split seed lines into ('para', text) and ('table', rows).

    Lines containing a tab are table rows, other non-empty lines are
    paragraphs.  Blank lines are page breaks of the original and are ignored,
    so a table interrupted by blank lines continues.
    """
    segs: list[tuple[str, object]] = []
    for line in lines:
        if not line.strip():
            continue
        if "\t" in line:
            cells = line.split("\t")
            if segs and segs[-1][0] == "table":
                segs[-1][1].append(cells)
            else:
                segs.append(("table", [cells]))
        else:
            segs.append(("para", line.strip()))
    return segs


def pad_rows(rows: list[list[str]], ncols: int) -> list[list[str]]:
    out = []
    for r in rows:
        r = list(r)
        while len(r) > ncols and r[-1] == "":
            r.pop()
        if len(r) > ncols:
            raise BuildError(f"row wider than {ncols} columns: {r!r}")
        out.append(r + [""] * (ncols - len(r)))
    return out


def md_runs(text: str) -> list[tuple[str, bool, bool]]:
    """Tiny markdown emphasis parser -> [(text, bold, italic)].

    ``***`` toggles bold+italic, ``**`` bold, ``*`` italic, ``\\*`` is a
    literal asterisk.  A hard line break is kept as ``\\n`` in the text.
    """
    runs: list[tuple[str, bool, bool]] = []
    bold = italic = False
    buf: list[str] = []

    def flush():
        if buf:
            runs.append(("".join(buf), bold, italic))
            buf.clear()

    i = 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text) and text[i + 1] == "*":
            buf.append("*")
            i += 2
            continue
        if c == "*":
            j = i
            while j < len(text) and text[j] == "*":
                j += 1
            n = j - i
            flush()
            if n >= 3:
                bold, italic = not bold, not italic
            elif n == 2:
                bold = not bold
            else:
                italic = not italic
            i = j
            continue
        buf.append(c)
        i += 1
    flush()
    return [r for r in runs if r[0]]


def runs_plain(runs) -> str:
    return "".join(t for t, _b, _i in runs)


def bullet_star(line: str) -> str:
    """``*** Foo:**`` -> the first '*' is a bullet marker: bold-italic '* Foo:'."""
    return re.sub(r"^\*\*\* ", r"***\\* ", line)


def narrative_blocks(lines: list[str]) -> list[tuple]:
    """Group narrative seed lines into blocks.

    Returns ('heading', level, text), ('para', text) and ('table', rows).
    * a line ending in two spaces is a markdown hard break: it is joined to
      the next line with '\\n';
    * a paragraph that starts with a lower-case letter continues the previous
      paragraph (the seed broke it at a page break of the original);
    * consecutive tab-separated lines form a table.
    """
    blocks: list[tuple] = []
    i = 0
    n = len(lines)
    while i < n:
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        if "\t" in line:
            rows = []
            while i < n and "\t" in lines[i]:
                rows.append(lines[i].split("\t"))
                i += 1
            blocks.append(("table", rows))
            continue
        text = line
        while text.endswith("  ") and i + 1 < n and lines[i + 1].strip():
            i += 1
            text = text.rstrip() + "\n" + lines[i]
        i += 1
        text = text.strip()
        m = re.match(r"^(#{1,6})\s+(.*)$", text)
        if m:
            blocks.append(("heading", len(m.group(1)), m.group(2).strip()))
            continue
        first = text.lstrip("*")[:1]
        if first.isalpha() and first.islower() and blocks and blocks[-1][0] == "para":
            blocks[-1] = ("para", blocks[-1][1].rstrip() + " " + text)
            continue
        blocks.append(("para", text))
    return blocks


# --------------------------------------------------------------------------
# reportlab helpers
# --------------------------------------------------------------------------


def register_fonts(font_dir: Path) -> None:
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    missing = [f for f in FONT_FILES.values() if not (font_dir / f).is_file()]
    if missing:
        raise BuildError(
            "DejaVu Sans TrueType fonts are required for Vietnamese glyphs but "
            f"{', '.join(missing)} not found in {font_dir}. Install the Debian "
            "packages fonts-dejavu-core (regular, bold) and fonts-dejavu-extra "
            "(oblique), or pass --font-dir."
        )
    for name, fname in FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(font_dir / fname)))
    for bold, italic, name in ((0, 0, FONT), (1, 0, FONT_B), (0, 1, FONT_I), (1, 1, FONT_BI)):
        addMapping(FONT, bold, italic, name)


def rl_escape(s: str) -> str:
    return html.escape(s, quote=False).replace("\n", "<br/>")


def rl_markup(runs) -> str:
    out = []
    for text, b, i in runs:
        t = rl_escape(text)
        if i:
            t = f"<i>{t}</i>"
        if b:
            t = f"<b>{t}</b>"
        out.append(t)
    return "".join(out)


def make_styles():
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    base = ParagraphStyle("base", fontName=FONT, fontSize=10, leading=13)
    s = {
        "cell": ParagraphStyle("cell", base, fontSize=8, leading=9.6, alignment=TA_LEFT),
        "cell_c": ParagraphStyle("cell_c", base, fontSize=8, leading=9.6, alignment=TA_CENTER),
        "cell_b": ParagraphStyle("cell_b", base, fontName=FONT_B, fontSize=8, leading=9.6),
        "cell_bc": ParagraphStyle("cell_bc", base, fontName=FONT_B, fontSize=8, leading=9.6, alignment=TA_CENTER),
        "org": ParagraphStyle("org", base, fontName=FONT_B, fontSize=10, leading=13, alignment=TA_CENTER),
        "org_r": ParagraphStyle("org_r", base, fontSize=10, leading=13, alignment=TA_CENTER),
        "title": ParagraphStyle(
            "title", base, fontName=FONT_B, fontSize=11, leading=15, alignment=TA_CENTER, spaceBefore=4, spaceAfter=2
        ),
        "annex": ParagraphStyle(
            "annex", base, fontName=FONT_I, fontSize=10, leading=13, alignment=TA_CENTER, spaceAfter=6
        ),
        "body": ParagraphStyle(
            "body", base, fontSize=10.5, leading=14, alignment=TA_JUSTIFY, firstLineIndent=0, spaceAfter=5
        ),
        "body_l": ParagraphStyle("body_l", base, fontSize=10.5, leading=14, spaceAfter=3),
        "date": ParagraphStyle(
            "date", base, fontName=FONT_I, fontSize=10.5, leading=14, alignment=TA_RIGHT, spaceAfter=8
        ),
        "sign": ParagraphStyle(
            "sign",
            base,
            fontName=FONT_B,
            fontSize=10.5,
            leading=14,
            alignment=TA_CENTER,
            leftIndent=260,
            spaceBefore=6,
            keepWithNext=1,
        ),
    }
    sizes = {1: 16, 2: 14, 3: 12.5, 4: 11.5, 5: 11, 6: 10.5}
    for lvl, size in sizes.items():
        s[f"h{lvl}"] = ParagraphStyle(
            f"h{lvl}",
            base,
            fontName=FONT_B,
            fontSize=size,
            leading=size * 1.3,
            spaceBefore=8,
            spaceAfter=4,
            keepWithNext=1,
        )
        s[f"h{lvl}c"] = ParagraphStyle(f"h{lvl}c", s[f"h{lvl}"], alignment=TA_CENTER)
    return s


def grid_style(extra=()):
    from reportlab.lib import colors

    return [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        *extra,
    ]


def build_pdf(path: Path, story, pagesize, margins, title: str) -> None:
    from reportlab.platypus import SimpleDocTemplate

    left, right, top, bottom = margins
    doc = SimpleDocTemplate(
        str(path),
        pagesize=pagesize,
        leftMargin=left,
        rightMargin=right,
        topMargin=top,
        bottomMargin=bottom,
        title=title,
        author="",
        subject="",
        creator="parindex samples/build.py",
        producer="ReportLab",
        invariant=1,
    )
    doc.build(story)


# --------------------------------------------------------------------------
# 000: landscape appendix PDF (three ruled tables)
# --------------------------------------------------------------------------


def build_000(lines: list[str], out: Path) -> None:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import cm
    from reportlab.platypus import KeepTogether, PageBreak, Paragraph, Spacer, Table

    st = make_styles()
    segs = segments_tsv(lines)
    tables = [s[1] for s in segs if s[0] == "table"]
    if len(tables) != 3:
        raise BuildError(f"000: expected 3 tables in the seed, found {len(tables)}")

    def P(text, style="cell"):
        return Paragraph(rl_escape(text), st[style])

    # -- table 1: summary 2021-2024 ------------------------------------
    def table_summary(rows):
        ncols = 14
        rows = pad_rows(rows, ncols)
        data = []
        for r, row in enumerate(rows):
            if r < 2:
                data.append([P(c, "cell_bc") if c else "" for c in row])
                continue
            total = r == 2
            cells = []
            for c_i, c in enumerate(row):
                if not c:
                    cells.append("")
                elif c_i == 1 or (total and c_i == 0):
                    cells.append(P(c, "cell_b" if total else "cell"))
                else:
                    cells.append(P(c, "cell_bc" if total else "cell_c"))
            data.append(cells)
        spans = [("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (1, 1)), ("SPAN", (0, 2), (1, 2))]
        for k in range(4):
            spans.append(("SPAN", (2 + 3 * k, 0), (4 + 3 * k, 0)))
        widths = [1.0 * cm, 7.1 * cm] + [1.6 * cm] * 12
        return Table(data, colWidths=widths, repeatRows=2, style=grid_style(spans), hAlign="CENTER")

    # -- table 2: comparison between years (5 columns, no header) -------
    def table_compare(rows):
        rows = pad_rows(rows, 5)
        data = []
        spans = []
        for r, row in enumerate(rows):
            if row[0] and not row[1] and not re.match(r"^[\d.,*]+$", row[0]):
                spans.append(("SPAN", (0, r), (1, r)))  # "Trong đó:" label row
            cells = []
            for c_i, c in enumerate(row):
                if not c:
                    cells.append("")
                elif c_i <= 1:
                    cells.append(P(c, "cell_b" if c_i == 1 or c.endswith(":") else "cell_c"))
                else:
                    cells.append(P(c, "cell_c"))
            data.append(cells)
        widths = [1.0 * cm, 8.0 * cm, 6.0 * cm, 6.0 * cm, 6.0 * cm]
        return Table(data, colWidths=widths, style=grid_style(spans), hAlign="CENTER")

    # -- table 3: detailed 2023 vs 2024 (runs over several pages) -------
    def table_detail(rows):
        ncols = 11
        rows = pad_rows(rows, ncols)
        data = []
        spans = [
            ("SPAN", (0, 0), (0, 1)),
            ("SPAN", (1, 0), (1, 1)),
            ("SPAN", (2, 0), (4, 0)),
            ("SPAN", (5, 0), (7, 0)),
            ("SPAN", (8, 0), (9, 0)),
            ("SPAN", (10, 0), (10, 1)),
        ]
        for r, row in enumerate(rows):
            if r < 2:
                data.append([P(c, "cell_bc") if c else "" for c in row])
                continue
            label_row = bool(row[0]) and not row[1] and not re.match(r"^[\d.,*]+$", row[0])
            if label_row:
                spans.append(("SPAN", (0, r), (1, r)))
            strong = label_row or bool(re.fullmatch(r"\d+", row[0]))
            cells = []
            for c_i, c in enumerate(row):
                if not c:
                    cells.append("")
                elif c_i == 1 or c_i == 10 or (label_row and c_i == 0):
                    cells.append(P(c, "cell_b" if strong and c_i != 10 else "cell"))
                else:
                    cells.append(P(c, "cell_bc" if strong else "cell_c"))
            data.append(cells)
        widths = [1.2 * cm, 7.0 * cm] + [1.7 * cm] * 6 + [1.5 * cm] * 2 + [4.6 * cm]
        return Table(data, colWidths=widths, repeatRows=2, style=grid_style(spans), hAlign="CENTER")

    builders = [table_summary, table_compare, table_detail]

    story = []
    t_index = 0
    i = 0
    header_groups = 0
    while i < len(segs):
        kind, val = segs[i]
        if kind == "table":
            flow = builders[t_index](val)
            if t_index == 1 and story and isinstance(story[-1], Paragraph):
                # keep the short comparison table together with its title
                story[-1] = KeepTogether([story[-1], flow])
            else:
                story.append(flow)
            story.append(Spacer(1, 0.35 * cm))
            t_index += 1
            i += 1
            continue
        text = val
        if text == "ỦY BAN NHÂN DÂN":
            # administrative header block: 4 lines, two borderless columns
            block = [segs[i + k][1] for k in range(4)]
            if header_groups:
                story.append(PageBreak())
            header_groups += 1
            left = [Paragraph(rl_escape(block[0]), st["org_r"]), Paragraph(rl_escape(block[1]), st["org"])]
            right = [Paragraph(rl_escape(block[2]), st["org"]), Paragraph(rl_escape(block[3]), st["org"])]
            story.append(
                Table(
                    [[left, right]],
                    colWidths=[9 * cm, 15 * cm],
                    hAlign="CENTER",
                    style=[("VALIGN", (0, 0), (-1, -1), "TOP")],
                )
            )
            story.append(Spacer(1, 0.3 * cm))
            i += 4
            continue
        if text.startswith("(Kèm theo"):
            story.append(Paragraph(rl_escape(text), st["annex"]))
        else:
            story.append(Paragraph(rl_escape(text), st["title"]))
        i += 1

    m = 1.2 * cm
    build_pdf(
        out,
        story,
        landscape(A4),
        (m, m, m, m),
        title="Tổng hợp kết quả Chỉ số PAR INDEX huyện Ba Tờ giai đoạn 2021 - 2024",
    )


# --------------------------------------------------------------------------
# 003: portrait narrative PDF with three small tables
# --------------------------------------------------------------------------


def build_003(lines: list[str], out: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table

    st = make_styles()
    blocks = narrative_blocks([bullet_star(l) for l in lines])
    n_tables = sum(1 for b in blocks if b[0] == "table")
    if n_tables != 3:
        raise BuildError(f"003: expected 3 tables in the seed, found {n_tables}")

    def cellp(text, header=False, center=False):
        style = "cell_bc" if header else ("cell_c" if center else "cell")
        return Paragraph(rl_escape(text), st[style]) if text else ""

    # (number of header rows, column widths, spans) per table, in seed order
    table_cfg = [
        (1, [3.0, 3.4, 3.6, 3.0, 4.4], []),
        (1, [1.2, 8.0, 4.2, 4.0], []),
        (
            2,
            [1.2, 8.2, 2.6, 2.6, 2.8],
            [("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (1, 1)), ("SPAN", (2, 0), (3, 0)), ("SPAN", (4, 0), (4, 1))],
        ),
    ]

    story = []
    t_index = 0
    centered_titles = 0
    for b in blocks:
        if b[0] == "heading":
            level, text = b[1], b[2]
            runs = md_runs(text)
            # the two document titles ("BÁO CÁO" and its subject line) are centred
            if centered_titles < 2 and t_index == 0 and level <= 3:
                centered_titles += 1
                style = st[f"h{level}c"]
            else:
                style = st[f"h{min(level, 6)}"]
            story.append(Paragraph(rl_markup(runs), style))
        elif b[0] == "para":
            text = b[1]
            runs = md_runs(text)
            plain = runs_plain(runs)
            if re.match(r"^.{0,40}, ngày .* năm \d{4}$", plain):
                style = st["date"]
            elif plain.startswith("TM. ") or (
                runs
                and all(r[1] for r in runs)
                and len(plain) < 40
                and story
                and getattr(story[-1], "style", None) is st["sign"]
            ):
                style = st["sign"]
            elif plain.startswith("- ") or len(plain) < 60:
                style = st["body_l"]
            else:
                style = st["body"]
            story.append(Paragraph(rl_markup(runs), style))
        else:
            nhead, widths, spans = table_cfg[t_index]
            rows = b[1]
            ncols = len(widths)
            rows = pad_rows(rows, ncols)
            data = []
            for r, row in enumerate(rows):
                data.append([cellp(c, header=r < nhead, center=(c_i != 1)) for c_i, c in enumerate(row)])
            table = Table(
                data, colWidths=[w * cm for w in widths], repeatRows=nhead, style=grid_style(spans), hAlign="CENTER"
            )
            if story and isinstance(story[-1], Paragraph):
                # keep the caption / lead-in paragraph on the same page as the small table
                story[-1] = KeepTogether([story[-1], Spacer(1, 0.15 * cm), table])
            else:
                story += [Spacer(1, 0.15 * cm), table]
            story.append(Spacer(1, 0.3 * cm))
            t_index += 1

    build_pdf(
        out,
        story,
        A4,
        (2.2 * cm, 1.6 * cm, 1.8 * cm, 1.8 * cm),
        title="Báo cáo phân tích Chỉ số cải cách hành chính (PAR INDEX) năm 2023 - huyện Tam Đường",
    )


# --------------------------------------------------------------------------
# DOCX helpers
# --------------------------------------------------------------------------


def docx_new(title: str):
    from docx import Document
    from docx.shared import Cm, Pt

    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.left_margin, sec.right_margin = Cm(2.5), Cm(1.5)
    sec.top_margin, sec.bottom_margin = Cm(2.0), Cm(2.0)
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(13)
    cp = doc.core_properties
    cp.created = FIXED_DATE
    cp.modified = FIXED_DATE
    cp.last_printed = FIXED_DATE
    cp.author = ""
    cp.last_modified_by = ""
    cp.title = title
    cp.revision = 1
    cp.comments = ""
    cp.keywords = ""
    cp.subject = ""
    return doc


def docx_save(doc, path: Path) -> None:
    """Save with fixed zip timestamps so that rebuilding is byte-identical."""
    buf = io.BytesIO()
    doc.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, src.read(info.filename))
    path.write_bytes(out.getvalue())


def docx_add_runs(par, runs, size=None):
    from docx.shared import Pt

    for text, b, i in runs:
        parts = text.split("\n")
        for k, part in enumerate(parts):
            run = par.add_run(part)
            run.bold = b or None
            run.italic = i or None
            if size:
                run.font.size = Pt(size)
            if k < len(parts) - 1:
                run.add_break()


def html_b_runs(text: str):
    """Cell text with <b>..</b> tags (as the seed prints them) -> runs."""
    runs = []
    bold = False
    for part in re.split(r"(</?b>)", text):
        if part == "<b>":
            bold = True
        elif part == "</b>":
            bold = False
        elif part:
            runs.append((part, bold, False))
    return runs


def mark_header_row(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    trPr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trPr.append(el)


# --------------------------------------------------------------------------
# 001: criteria table, one Word table per page of the original
# --------------------------------------------------------------------------


def build_001(lines: list[str], out: Path) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Cm, Pt

    # paragraphs before the first table, the table rows, paragraphs after it
    head_lines, rows, tail_lines = [], [], []
    for line in lines:
        if "\t" in line:
            rows.append(line.split("\t"))
        elif rows:
            tail_lines.append(line)
        else:
            head_lines.append(line)
    header = rows[0]
    blocks: list[list[list[str]]] = []
    for row in rows:
        if row == header:
            blocks.append([])
        blocks[-1].append(row)
    if len(blocks) != 4:
        raise BuildError(f"001: expected 4 table blocks, found {len(blocks)}")

    doc = docx_new("Kết quả đánh giá chỉ số thành phần các lĩnh vực cải cách hành chính huyện Phong Thổ năm 2023")
    for b in narrative_blocks(head_lines):
        par = doc.add_paragraph()
        par.alignment = WD_ALIGN_PARAGRAPH.CENTER
        docx_add_runs(par, md_runs(b[1]))

    widths = [Cm(1.6), Cm(11.4), Cm(2.0), Cm(2.0)]
    for k, block in enumerate(blocks):
        if k:
            par = doc.add_paragraph()
            par.add_run().add_break(WD_BREAK.PAGE)
        table = doc.add_table(rows=0, cols=4)
        table.style = doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for r, cells in enumerate(block):
            cells = pad_rows([cells], 4)[0]
            row = table.add_row()
            if r == 0:
                mark_header_row(row)
            for c_i, text in enumerate(cells):
                cell = row.cells[c_i]
                cell.width = widths[c_i]
                par = cell.paragraphs[0]
                if r == 0:
                    runs = [(text, True, False)]
                    par.alignment = WD_ALIGN_PARAGRAPH.CENTER
                else:
                    runs = html_b_runs(text)
                    if c_i != 1:
                        par.alignment = WD_ALIGN_PARAGRAPH.CENTER
                docx_add_runs(par, runs, size=12)
        for col, w in zip(table.columns, widths):
            col.width = w

    for b in narrative_blocks(tail_lines):
        par = doc.add_paragraph()
        par.paragraph_format.space_before = Pt(6)
        docx_add_runs(par, md_runs(b[1]))
    docx_save(doc, out)


# --------------------------------------------------------------------------
# 002: narrative Word report (no tables)
# --------------------------------------------------------------------------


def build_002(lines: list[str], out: Path) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc = docx_new("Báo cáo kết quả Chỉ số cải cách hành chính năm 2024 - UBND xã Ba Thành")
    blocks = narrative_blocks([bullet_star(l) for l in lines])
    titles = {"BÁO CÁO", "Kết quả Chỉ số cải cách hành chính năm 2024"}
    signature = {"TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Phạm Văn Thước"}
    for b in blocks:
        if b[0] != "para":
            raise BuildError(f"002: unexpected block {b[0]}")
        text = b[1]
        runs = md_runs(text)
        plain = runs_plain(runs)
        par = doc.add_paragraph()
        if plain in titles:
            par.alignment = WD_ALIGN_PARAGRAPH.CENTER
            runs = [(t, True, i) for t, _b, i in runs]
        elif re.match(r"^[IVX]+\. ", plain):
            runs = [(t, True, i) for t, _b, i in runs]
        elif re.match(r"^\d+[.)] ", plain) and len(plain) < 90:
            runs = [(t, True, i) for t, _b, i in runs]
        elif re.match(r"^.{0,30}, ngày .* năm \d{4}$", plain):
            par.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            runs = [(t, b_, True) for t, b_, _i in runs]
        elif plain in signature:
            par.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            runs = [(t, True, i) for t, _b, i in runs]
        elif plain == "Nơi nhận:":
            runs = [(t, True, True) for t, _b, _i in runs]
        elif len(plain) > 80:
            par.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        docx_add_runs(par, runs)
    docx_save(doc, out)


# --------------------------------------------------------------------------
# 004: web article (HTML), four tables from a one-cell-per-line dump
# --------------------------------------------------------------------------


def h(s: str) -> str:
    """HTML-escape, keeping non-breaking spaces visible as &nbsp;."""
    return html.escape(s, quote=False).replace(NBSP, "&nbsp;").replace("\n", "<br>")


def build_004(lines: list[str], out: Path) -> None:
    lines = [l.rstrip("\n") for l in lines]
    try:
        cut = next(k for k, l in enumerate(lines) if l.startswith("Tổng số điểm của bài viết"))
    except StopIteration:
        raise BuildError("004: page furniture ('Tổng số điểm của bài viết') not found")
    body, furniture = lines[:cut], lines[cut:]

    def chunk_at(k):
        """Next cell: consecutive non-blank lines from the first non-blank at/after k."""
        # NB: a cell holding only a no-break space is a real (empty) cell
        while k < len(body) and not body[k].strip(" \t"):
            k += 1
        start = k
        while k < len(body) and body[k].strip(" \t"):
            k += 1
        return "\n".join(body[start:k]), k

    title = body[0].strip()
    parts: list[str] = [f'<h1 class="title">{h(title)}</h1>']
    k = 1
    n_tables = 0
    seen_date = False
    while k < len(body):
        line = body[k]
        s = line.strip()
        if not s:
            k += 1
            continue
        if s in ("TT", "STT"):
            # 6 header cells, then rows of 5 cells up to the total row
            head = []
            for _ in range(6):
                cell, k = chunk_at(k)
                head.append(cell)
            rows = []
            while True:
                row = []
                for _ in range(5):
                    cell, k = chunk_at(k)
                    row.append(cell)
                if not all(c.strip(" ") for c in row):
                    raise BuildError(f"004: short table row {row!r}")
                rows.append(row)
                if row[0] == NBSP:
                    break
            n_tables += 1
            t = [
                '<table class="tbl" border="1" cellspacing="0" cellpadding="4" style="border-collapse:collapse;width:100%">',
                "<thead>",
                f'<tr><th rowspan="2">{h(head[0])}</th><th rowspan="2">{h(head[1])}</th>'
                f'<th colspan="2">{h(head[2])}</th><th rowspan="2">{h(head[3])}</th></tr>',
                f"<tr><th>{h(head[4])}</th><th>{h(head[5])}</th></tr>",
                "</thead>",
                "<tbody>",
            ]
            for row in rows:
                total = row[0] == NBSP
                tds = []
                for c_i, c in enumerate(row):
                    inner = h(c)
                    if total and c_i:
                        inner = f"<strong>{inner}</strong>"
                    align = ' style="text-align:left"' if c_i == 1 else ' style="text-align:center"'
                    tds.append(f"<td{align}>{inner}</td>")
                t.append("<tr>" + "".join(tds) + "</tr>")
            t += ["</tbody>", "</table>"]
            parts.append("\n".join(t))
            continue
        if not seen_date and re.match(r"^Thứ .+ - \d{2}/\d{2}/\d{4} \d{2}:\d{2}$", s):
            seen_date = True
            m = re.search(r"(\d{2})/(\d{2})/(\d{4}) (\d{2}:\d{2})", s)
            iso = f"{m.group(3)}-{m.group(2)}-{m.group(1)}T{m.group(4)}"
            parts.append(f'<p class="date"><time datetime="{iso}">{h(line)}</time></p>')
        elif s == title:
            parts.append(f'<p style="text-align:center"><strong>{h(line)}</strong></p>')
        elif re.match(r"^[IVX]+\. ", s) and s == s.upper():
            parts.append(f"<h3>{h(line)}</h3>")
        elif s.startswith("Ngày ") and not seen_body(parts):
            parts.append(f'<p class="sapo"><strong>{h(line)}</strong></p>')
        else:
            parts.append(f"<p>{h(line)}</p>")
        k += 1
    if n_tables != 4:
        raise BuildError(f"004: expected 4 tables, found {n_tables}")

    # page furniture after the article
    fl = [l for l in furniture if l.strip()]
    aside = ['<section class="rating">']
    idx = 0
    while idx < len(fl) and not fl[idx].strip().startswith(NBSP) and "kiến bạn đọc" not in fl[idx]:
        aside.append(f"<p>{h(fl[idx])}</p>")
        idx += 1
    aside.append("</section>")
    sidebar = []
    footer = []
    stats = []
    for l in fl[idx:]:
        s = l.strip(" ")
        if s.startswith("•"):
            m = re.match(r"^•\s*(.*?)([\d,]+)$", s)
            stats.append(
                f'<li><span class="name">{h(m.group(1))}</span><span class="value">{h(m.group(2))}</span></li>'
            )
        elif s.startswith("Bạn đã không sử dụng Site"):
            footer.append(f"<p>{h(s)}</p>")
        elif s.isupper():
            sidebar.append(f"<h4>{h(s)}</h4>")
        elif "kiến bạn đọc" in s or s.startswith("Những tin"):
            aside.append(f"<h4>{h(l)}</h4>")
        else:
            sidebar.append(f'<div class="block-title">{h(s)}</div>')
    if stats:
        sidebar.append('<ul class="counter">' + "".join(stats) + "</ul>")

    doc = "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="vi">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{h(title)}</title>",
            "</head>",
            "<body>",
            "<main>",
            '<article class="news-detail">',
            *parts,
            "</article>",
            '<aside class="news-extra">',
            *aside,
            "</aside>",
            "</main>",
            '<aside class="sidebar">',
            *sidebar,
            "</aside>",
            "<footer>",
            *footer,
            "</footer>",
            "</body>",
            "</html>",
            "",
        ]
    )
    out.write_text(nfc(doc), encoding="utf-8", newline="\n")


def seen_body(parts: list[str]) -> bool:
    return any(p.startswith("<p>") or p.startswith("<h3>") for p in parts)


# --------------------------------------------------------------------------


def resolve_seeds(arg: str | None) -> Path:
    if arg is None:
        return (REPO_ROOT / DEFAULT_SEEDS).resolve()
    p = Path(arg).expanduser()
    if p.is_absolute():
        return p
    if p.exists():
        return p.resolve()
    return (REPO_ROOT / p).resolve()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--seeds",
        default=None,
        help=f"directory holding the seed .txt files (default: {DEFAULT_SEEDS} relative to the repository root)",
    )
    ap.add_argument("--out", default=str(HERE), help="output directory (default: samples/)")
    ap.add_argument(
        "--font-dir",
        default=DEFAULT_FONT_DIR,
        help=f"directory with the DejaVu Sans .ttf files (default: {DEFAULT_FONT_DIR})",
    )
    args = ap.parse_args(argv)

    seeds = resolve_seeds(args.seeds)
    out = Path(args.out).resolve()
    try:
        if not seeds.is_dir():
            raise BuildError(f"seed directory not found: {seeds}")
        out.mkdir(parents=True, exist_ok=True)
        register_fonts(Path(args.font_dir))
        jobs = [
            (STEMS["summary_pdf"], ".pdf", build_000),
            (STEMS["criteria_docx"], ".docx", build_001),
            (STEMS["narrative_docx"], ".docx", build_002),
            (STEMS["narrative_pdf"], ".pdf", build_003),
            (STEMS["article_html"], ".html", build_004),
        ]
        for stem, ext, fn in jobs:
            target = out / f"{stem}{ext}"
            fn(read_seed(seeds, stem), target)
            print(f"wrote {target}")
    except BuildError as exc:
        print(f"build.py: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
