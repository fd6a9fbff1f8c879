#!/usr/bin/env python3
"""Build the hard-case fixtures in ``samples/hard/`` from the seed reports.

Each file is a real file of the format it tests, built from seed text kept in the
repository (``tests/fixtures/seeds``) or from the main samples (``samples/``):

    scanned.pdf          page 1: image-only scan of samples/000 page 1 (200 dpi, skewed,
                         noisy, JPEG); page 2: a typed note with a text layer
    cid_garbage.pdf      a ruled table whose font lost its Unicode map: "(cid:NN)" text
    tcvn3.txt, vni.txt   8-bit text in the legacy TCVN3 (ABC) and VNI encodings
    nfd.txt              UTF-8 text in Unicode NFD (decomposed accents)
    legacy_fonts.docx    Unicode, TCVN3 (.VnTime) and VNI (VNI-Times) runs, one table
    legacy_fonts.pdf     a Unicode title over a table typed in a TCVN3 font
    report.doc           Word 97 table with a two-row merged header (via LibreOffice)
    report.xls           Excel 97 workbook, two sheets, merges, numbers and number-text
    report.xlsx          the same in .xlsx, with number formats
    flattened.html       the Tây Sơn article with its tables flattened to one <p> per cell
    nested.docx          a Word table holding another table in a cell
    unruled.pdf          a two-page criteria table typed as aligned text, no ruling at all
    half_ruled.pdf       the same with horizontal rules only (header top and bottom, table end)
    heading_on_table.pdf a two-line bold heading set right on a ruled table's top rule
    header_ruled.pdf     a criteria table ruled in its header and by its outer border only
    row_ruled.pdf        the same ruled only by full-width lines under each row, no border
    ranking_header_ruled.pdf  rankings with a single figure column, header ruled, body unruled
    one_score_row_ruled.pdf   criteria with one score column, ruled only under each row
    worded_values.pdf    values that are words ("Tốt", "9.594 trở xuống"), partly ruled

Usage:  python samples/hard/build.py [--out DIR]

Needs reportlab, python-docx, openpyxl, xlwt, pypdfium2, Pillow and numpy, the DejaVu
fonts (Debian fonts-dejavu-core, fonts-dejavu-extra) and, for report.doc only,
LibreOffice (Debian libreoffice-writer-nogui). The build is deterministic except for
report.doc, whose bytes LibreOffice stamps.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import io
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
SEEDS = REPO / "tests" / "fixtures" / "seeds"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
ZIP_DATE = (2025, 1, 1, 0, 0, 0)
FIXED_DATE = dt.datetime(2025, 1, 1)
NBSP = "\u00a0"

sys.path.insert(0, str(HERE.parent))
import build as main_build  # noqa: E402  (samples/build.py: fonts, DOCX helpers)


def seed_lines(stem: str) -> list[str]:
    text = unicodedata.normalize("NFC", (SEEDS / f"{stem}.txt").read_text(encoding="utf-8"))
    return text.replace("\r\n", "\n").split("\n")


def criteria_rows(n: int) -> tuple[list[str], list[list[str]]]:
    """The title and the first n table rows of the Phong Thổ seed (001)."""
    lines = seed_lines("001_af3bdc7e3d446662")
    title = " ".join(l.strip("* ") for l in lines[2:4])
    rows = [l.split("\t") for l in lines if "\t" in l]
    return title, rows[: n + 1]


# --------------------------------------------------------------------------
# legacy encodings, written independently of extractors/legacy_fonts.py:
# TCVN3 by its published byte table, VNI by its rule (base letter, then marks)
# --------------------------------------------------------------------------

TCVN3_BYTES = {  # Unicode -> TCVN3 byte (TCVN 5712:1993, VN3)
    "Ă": 0xA1,
    "Â": 0xA2,
    "Ê": 0xA3,
    "Ô": 0xA4,
    "Ơ": 0xA5,
    "Ư": 0xA6,
    "Đ": 0xA7,
    "ă": 0xA8,
    "â": 0xA9,
    "ê": 0xAA,
    "ô": 0xAB,
    "ơ": 0xAC,
    "ư": 0xAD,
    "đ": 0xAE,
    "à": 0xB5,
    "ả": 0xB6,
    "ã": 0xB7,
    "á": 0xB8,
    "ạ": 0xB9,
    "ằ": 0xBB,
    "ẳ": 0xBC,
    "ẵ": 0xBD,
    "ắ": 0xBE,
    "ặ": 0xC6,
    "ầ": 0xC7,
    "ẩ": 0xC8,
    "ẫ": 0xC9,
    "ấ": 0xCA,
    "ậ": 0xCB,
    "è": 0xCC,
    "ẻ": 0xCE,
    "ẽ": 0xCF,
    "é": 0xD0,
    "ẹ": 0xD1,
    "ề": 0xD2,
    "ể": 0xD3,
    "ễ": 0xD4,
    "ế": 0xD5,
    "ệ": 0xD6,
    "ì": 0xD7,
    "ỉ": 0xD8,
    "ĩ": 0xDC,
    "í": 0xDD,
    "ị": 0xDE,
    "ò": 0xDF,
    "ỏ": 0xE1,
    "õ": 0xE2,
    "ó": 0xE3,
    "ọ": 0xE4,
    "ồ": 0xE5,
    "ổ": 0xE6,
    "ỗ": 0xE7,
    "ố": 0xE8,
    "ộ": 0xE9,
    "ờ": 0xEA,
    "ở": 0xEB,
    "ỡ": 0xEC,
    "ớ": 0xED,
    "ợ": 0xEE,
    "ù": 0xEF,
    "ủ": 0xF1,
    "ũ": 0xF2,
    "ú": 0xF3,
    "ụ": 0xF4,
    "ừ": 0xF5,
    "ử": 0xF6,
    "ữ": 0xF7,
    "ứ": 0xF8,
    "ự": 0xF9,
    "ỳ": 0xFA,
    "ỷ": 0xFB,
    "ỹ": 0xFC,
    "ý": 0xFD,
    "ỵ": 0xFE,
}


def to_tcvn3(text: str) -> bytes:
    """TCVN3 has no accented capitals except the seven above: .VnTimeH typed them on the
    lowercase bytes, so capitals are written as their lowercase byte."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        if ch in TCVN3_BYTES:
            out.append(TCVN3_BYTES[ch])
        elif ch.lower() in TCVN3_BYTES and not ch.isascii():
            out.append(TCVN3_BYTES[ch.lower()])
        else:
            out += ch.encode("ascii")
    return bytes(out)


VNI_TONE = {"\u0301": "ù", "\u0300": "ø", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
VNI_CIRC_TONE = {"": "â", "\u0301": "á", "\u0300": "à", "\u0309": "å", "\u0303": "ã", "\u0323": "ä"}
VNI_BREVE_TONE = {"": "ê", "\u0301": "é", "\u0300": "è", "\u0309": "ú", "\u0303": "ü", "\u0323": "ë"}
VNI_SINGLE_I = {"\u0301": "í", "\u0300": "ì", "\u0309": "æ", "\u0303": "ó", "\u0323": "ò"}


def to_vni(text: str) -> bytes:
    """VNI Windows: a base letter followed by one mark byte (capitals use the capital
    of the mark byte); đ, ơ, ư and the accented i and ỵ have bytes of their own."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch.isascii():
            out.append(ch)
            continue
        upper = ch.isupper()
        parts = unicodedata.normalize("NFD", ch.lower())
        base, marks = parts[0], parts[1:]
        tone = next((m for m in marks if m in VNI_TONE), "")
        if ch.lower() == "đ":
            s = "ñ"
        elif base == "i" and tone:
            s = VNI_SINGLE_I[tone]
        elif base == "y" and tone == "\u0323":
            s = "î"
        elif "\u031b" in marks:  # horn: ơ ư are single bytes, the tone follows
            s = {"o": "ô", "u": "ö"}[base] + VNI_TONE.get(tone, "")
        elif "\u0302" in marks:
            s = base + VNI_CIRC_TONE[tone]
        elif "\u0306" in marks:
            s = base + VNI_BREVE_TONE[tone]
        else:
            s = base + VNI_TONE.get(tone, "")
        out.append(s.upper() if upper else s)
    return "".join(out).encode("cp1252")


def legacy_text_lines() -> list[str]:
    title, rows = criteria_rows(12)
    lines = [title, "(Kèm theo báo cáo phân tích chỉ số CCHC của Phòng Nội vụ huyện)", ""]
    lines += ["\t".join(r) for r in rows]
    lines += ["", "Ghi chú: điểm thẩm định do Hội đồng thẩm định tỉnh công bố."]
    return lines


def build_legacy_txt(out: Path) -> None:
    lines = legacy_text_lines()
    (out / "tcvn3.txt").write_bytes(b"\r\n".join(to_tcvn3(l) for l in lines) + b"\r\n")
    (out / "vni.txt").write_bytes(b"\r\n".join(to_vni(l) for l in lines) + b"\r\n")


def build_nfd_txt(out: Path) -> None:
    text = (SEEDS / "000_65e2608f2289fc53.txt").read_text(encoding="utf-8")
    (out / "nfd.txt").write_bytes(unicodedata.normalize("NFD", text).encode("utf-8"))


# --------------------------------------------------------------------------
# DOCX
# --------------------------------------------------------------------------


def _run(par, text: str, font: str | None = None, bold: bool = False):
    from docx.oxml.ns import qn

    run = par.add_run(text)
    run.bold = bold or None
    if font:
        run.font.name = font
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:hAnsi"), font)
    return run


def build_legacy_docx(out: Path) -> None:
    doc = main_build.docx_new("Legacy fonts")
    title, rows = criteria_rows(5)
    p = doc.add_paragraph()
    _run(p, "Huyện Phong Thổ – ", "Times New Roman", bold=True)
    _run(p, to_tcvn3("Báo cáo kết quả chỉ số cải cách hành chính năm 2023").decode("latin-1"), ".VnTime", bold=True)
    p = doc.add_paragraph()
    _run(p, to_vni("Điểm thẩm định của các lĩnh vực như sau:").decode("cp1252"), "VNI-Times")
    table = doc.add_table(rows=len(rows), cols=4)
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, text in enumerate(row[:4]):
            cell = table.cell(r, c)
            cell.paragraphs[0].text = ""
            _run(cell.paragraphs[0], to_tcvn3(text).decode("latin-1"), ".VnTime", bold=(r == 0))
    main_build.docx_save(doc, out / "legacy_fonts.docx")


def build_nested_docx(out: Path) -> None:
    doc = main_build.docx_new("Nested table")
    doc.add_paragraph("KẾT QUẢ THẨM ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH HUYỆN PHONG THỔ NĂM 2023")
    doc.add_paragraph("Kết quả chấm điểm các lĩnh vực, chi tiết theo tiêu chí thành phần")
    _, rows = criteria_rows(12)
    outer = doc.add_table(rows=3, cols=3)
    outer.style = "Table Grid"
    for c, text in enumerate(["STT", "Lĩnh vực", "Điểm thẩm định"]):
        outer.cell(0, c).text = text
    outer.cell(1, 0).text = "1"
    outer.cell(1, 1).text = "Công tác chỉ đạo, điều hành CCHC"
    holder = outer.cell(1, 2)
    holder.paragraphs[0].text = "9,28"
    inner = holder.add_table(rows=4, cols=3)
    inner.style = "Table Grid"
    for r, row in enumerate(
        [["STT", "Tiêu chí thành phần", "Điểm thẩm định"]] + [[x[0], x[1], x[3]] for x in rows[2:5]]
    ):
        for c, text in enumerate(row):
            inner.cell(r, c).text = text
    holder.add_paragraph("")  # Word requires a paragraph after a nested table
    outer.cell(2, 0).text = "2"
    outer.cell(2, 1).text = "Cải cách thể chế"
    outer.cell(2, 2).text = "5,00"
    doc.add_paragraph("Ghi chú: bảng chi tiết nằm trong ô của bảng tổng hợp.")
    main_build.docx_save(doc, out / "nested.docx")


def build_doc(out: Path) -> None:
    """A Word table with a two-row merged header, saved as Word 97 by LibreOffice."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        print("report.doc skipped: LibreOffice (soffice) not installed", file=sys.stderr)
        return
    doc = main_build.docx_new("Báo cáo")
    doc.add_paragraph("KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH HUYỆN BA TƠ NĂM 2022 - 2023")
    head = ["Số TT", "Lĩnh vực", "Năm 2022", "", "Năm 2023", ""]
    sub = ["", "", "Điểm đạt được", "Xếp hạng", "Điểm đạt được", "Xếp hạng"]
    body = [
        ["1", "Công tác chỉ đạo điều hành CCHC", "7,00", "9/13", "9,91", "6/13"],
        ["2", "Cải cách thể chế", "4,50", "10/13", "4,50", "1/13"],
        ["3", "Cải cách thủ tục hành chính", "10,25", "13/13", "11,87", "3/13"],
        ["", "Tổng điểm", "72,66", "13/13", "83,34", "5/13"],
    ]
    table = doc.add_table(rows=2 + len(body), cols=6)
    table.style = "Table Grid"
    for r, row in enumerate([head, sub] + body):
        for c, text in enumerate(row):
            if text:
                table.cell(r, c).text = text
    table.cell(0, 0).merge(table.cell(1, 0))
    table.cell(0, 1).merge(table.cell(1, 1))
    table.cell(0, 2).merge(table.cell(0, 3))
    table.cell(0, 4).merge(table.cell(0, 5))
    doc.add_paragraph("Nguồn: Quyết định công bố Chỉ số CCHC của UBND tỉnh.")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "report.docx"
        main_build.docx_save(doc, src)
        subprocess.run(
            [
                soffice,
                "--headless",
                f"-env:UserInstallation={(Path(tmp) / 'p').as_uri()}",
                "--convert-to",
                "doc",
                "--outdir",
                tmp,
                str(src),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        shutil.copyfile(Path(tmp) / "report.doc", out / "report.doc")


# --------------------------------------------------------------------------
# spreadsheets
# --------------------------------------------------------------------------

SHEET_TITLE = "KẾT QUẢ CHỈ SỐ CCHC HUYỆN PHONG THỔ NĂM 2023"
SHEET_HEAD = [
    ["STT", "Lĩnh vực / tiêu chí", "Năm 2023", None, "Ghi chú"],
    [None, None, "Điểm chuẩn", "Điểm thẩm định", None],
]
# (code, name, max as a number, score: a number, or text as typed)
SHEET_ROWS = [
    ("1", "Công tác chỉ đạo, điều hành CCHC", 13.5, 9.28, ""),
    ("1.1", "Mức độ hoàn thành kế hoạch CCHC", 1.0, 1, ""),
    ("1.2", "Thực hiện chế độ báo cáo CCHC", 3.5, "2,75", "nhập dạng văn bản"),
    ("2", "Cải cách thể chế", 5, 5.0, ""),
    ("3", "Cải cách thủ tục hành chính", 14, 11.43, ""),
]
SHEET_NOTE = "Ghi chú: điểm thẩm định theo Quyết định công bố của UBND tỉnh Lai Châu."
SIPAS_ROWS = [("Chỉ số SIPAS", 0.8384), ("Tiếp cận dịch vụ", 0.7912)]


def build_xlsx(out: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "PAR INDEX"
    ws["A1"] = SHEET_TITLE
    ws.merge_cells("A1:E1")
    for r, row in enumerate(SHEET_HEAD, start=3):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(r, c, value)
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:B4")
    ws.merge_cells("C3:D3")
    ws.merge_cells("E3:E4")
    for r, (code, name, mx, score, note) in enumerate(SHEET_ROWS, start=5):
        ws.cell(r, 1, code)
        ws.cell(r, 2, name)
        ws.cell(r, 3, mx).number_format = "0.00"
        cell = ws.cell(r, 4, score)
        if not isinstance(score, str):
            cell.number_format = "General"
        if note:
            ws.cell(r, 5, note)
    ws.cell(len(SHEET_ROWS) + 6, 1, SHEET_NOTE)
    ws2 = wb.create_sheet("SIPAS")
    ws2.append(["Nội dung", "Tỷ lệ hài lòng"])
    for name, share in SIPAS_ROWS:
        ws2.append([name, share])
        ws2.cell(ws2.max_row, 2).number_format = "0.00%"
    wb.properties.created = wb.properties.modified = FIXED_DATE
    wb.properties.creator = wb.properties.lastModifiedBy = ""
    buf = io.BytesIO()
    wb.save(buf)
    (out / "report.xlsx").write_bytes(_fixed_zip(buf.getvalue()))


def build_xls(out: Path) -> None:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("PAR INDEX")
    ws.write_merge(0, 0, 0, 4, SHEET_TITLE)
    ws.write_merge(2, 3, 0, 0, "STT")
    ws.write_merge(2, 3, 1, 1, "Lĩnh vực / tiêu chí")
    ws.write_merge(2, 2, 2, 3, "Năm 2023")
    ws.write_merge(2, 3, 4, 4, "Ghi chú")
    ws.write(3, 2, "Điểm chuẩn")
    ws.write(3, 3, "Điểm thẩm định")
    for r, (code, name, mx, score, note) in enumerate(SHEET_ROWS, start=4):
        ws.write(r, 0, code)
        ws.write(r, 1, name)
        ws.write(r, 2, float(mx))
        ws.write(r, 3, score)
        if note:
            ws.write(r, 4, note)
    ws.write(len(SHEET_ROWS) + 5, 0, SHEET_NOTE)
    ws2 = wb.add_sheet("SIPAS")
    ws2.write(0, 0, "Nội dung")
    ws2.write(0, 1, "Tỷ lệ hài lòng (%)")
    for r, (name, share) in enumerate(SIPAS_ROWS, start=1):
        ws2.write(r, 0, name)
        ws2.write(r, 1, round(share * 100, 2))
    buf = io.BytesIO()
    wb.save(buf)
    (out / "report.xls").write_bytes(buf.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2025-01-01T00:00:00Z", body)
            dst.writestr(zi, body)
    return buf.getvalue()


# --------------------------------------------------------------------------
# HTML with flattened tables
# --------------------------------------------------------------------------


def _h(s: str) -> str:
    return html.escape(s, quote=False).replace(NBSP, "&nbsp;").replace("\n", "<br>")


def build_flattened_html(out: Path) -> None:
    lines = seed_lines("004_0dbbb814e2b5b046")
    cut = next(k for k, l in enumerate(lines) if l.startswith("Tổng số điểm của bài viết"))
    body = lines[:cut]
    parts = [f"<h1>{_h(body[0].strip())}</h1>"]
    k = 1

    def chunk(k: int) -> tuple[str, int]:
        while k < len(body) and not body[k].strip(" \t"):
            k += 1
        start = k
        while k < len(body) and body[k].strip(" \t"):
            k += 1
        return "\n".join(body[start:k]), k

    while k < len(body):
        s = body[k].strip()
        if not s:
            k += 1
            continue
        if s in ("TT", "STT"):  # a CMS pasted the table as one paragraph per cell
            cells = []
            for _ in range(6):
                c, k = chunk(k)
                cells.append(c)
            while True:
                row = []
                for _ in range(5):
                    c, k = chunk(k)
                    row.append(c)
                cells += row
                if row[0] == NBSP:
                    break
            parts += [f'<p style="text-align:center">{_h(c)}</p>' for c in cells]
            continue
        parts.append(f"<p>{_h(body[k])}</p>")
        k += 1
    doc = "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="vi">',
            '<head><meta charset="utf-8">',
            f"<title>{_h(body[0].strip())}</title></head>",
            "<body>",
            '<div class="content">',
            *parts,
            "</div>",
            "<footer><p>Cổng thông tin điện tử huyện</p></footer>",
            "</body>",
            "</html>",
            "",
        ]
    )
    (out / "flattened.html").write_text(doc, encoding="utf-8", newline="\n")


# --------------------------------------------------------------------------
# PDFs
# --------------------------------------------------------------------------


def _register_fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    main_build.register_fonts(FONT_DIR)
    pdfmetrics.registerFont(TTFont("DejaVuSerif", str(FONT_DIR / "DejaVuSerif.ttf")))


def _table_story(rows: list[list[str]], font: str, widths) -> list:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, Table, TableStyle

    style = ParagraphStyle("c", fontName=font, fontSize=10, leading=12.5)
    data = [[Paragraph(html.escape(c, quote=False), style) for c in r] for r in rows]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle(main_build.grid_style()))
    return [table]


def _pdf_bytes(story, pagesize) -> bytes:
    from reportlab.lib.units import cm
    from reportlab.platypus import SimpleDocTemplate

    buf = io.BytesIO()
    SimpleDocTemplate(
        buf,
        pagesize=pagesize,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        invariant=1,
        title="",
        author="",
        creator="parindex samples/hard/build.py",
        producer="ReportLab",
    ).build(story)
    return buf.getvalue()


def build_cid_garbage_pdf(out: Path) -> None:
    """A table whose font lost its ToUnicode map: every Vietnamese letter extracts as
    "(cid:NN)". The map is blanked out in place, so the file's offsets stay valid."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, Spacer

    _, rows = criteria_rows(8)
    head = ParagraphStyle("h", fontName=main_build.FONT_B, fontSize=12, leading=15)
    story = [Paragraph("Kết quả thẩm định Chỉ số CCHC huyện Phong Thổ năm 2023", head), Spacer(1, 8)]
    story += _table_story([r[:4] for r in rows], main_build.FONT, [1.6 * cm, 10.4 * cm, 2.3 * cm, 2.3 * cm])
    data = _pdf_bytes(story, A4)
    data = re.sub(rb"/ToUnicode\s+\d+\s+0\s+R", lambda m: b" " * len(m.group(0)), data)
    (out / "cid_garbage.pdf").write_bytes(data)


def build_legacy_pdf(out: Path) -> None:
    """A Unicode title over a table typed in a TCVN3 font: the text layer holds the
    Windows-1252 characters of the TCVN3 bytes ("C¶i c¸ch")."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, Spacer

    _, rows = criteria_rows(6)
    head = ParagraphStyle("h", fontName=main_build.FONT_B, fontSize=12, leading=15)
    legacy = [[to_tcvn3(c).decode("latin-1") for c in r[:4]] for r in rows]
    story = [Paragraph("Kết quả thẩm định Chỉ số CCHC huyện Phong Thổ năm 2023", head), Spacer(1, 8)]
    story += _table_story(legacy, "DejaVuSerif", [1.6 * cm, 10.4 * cm, 2.3 * cm, 2.3 * cm])
    (out / "legacy_fonts.pdf").write_bytes(_pdf_bytes(story, A4))


def scan_image(pdf_path: Path, dpi: int = 200, angle: float = 0.4, seed: int = 8):
    """A page as a scanner gives it: grayscale, slightly rotated, speckled."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter

    pdf = pdfium.PdfDocument(str(pdf_path))
    img = pdf[0].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    pdf.close()
    img = img.rotate(angle, resample=Image.BICUBIC, fillcolor=255).filter(ImageFilter.GaussianBlur(0.5))
    arr = np.asarray(img).astype(np.int16)
    rng = np.random.RandomState(seed)
    arr = arr - 12 + rng.randint(-10, 11, size=arr.shape)  # paper tone and sensor noise
    speck = rng.random_sample(arr.shape) < 0.0004
    arr[speck] = 60
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def build_scanned_pdf(out: Path) -> None:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    img = scan_image(REPO / "samples" / "000_65e2608f2289fc53.pdf")
    jpeg = io.BytesIO()
    img.save(jpeg, format="JPEG", quality=60, optimize=True)
    jpeg.seek(0)
    width, height = landscape(A4)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(width, height), invariant=1)
    c.setCreator("parindex samples/hard/build.py")
    c.drawImage(ImageReader(jpeg), 0, 0, width=width, height=height)
    c.showPage()
    c.setFont(main_build.FONT, 12)
    note = [
        "Ghi chú: Phụ lục 1 là bản scan của bảng tổng hợp kết quả Chỉ số PAR INDEX",
        "huyện Ba Tơ giai đoạn 2021 - 2024; trang này được đánh máy và có lớp chữ.",
    ]
    for i, line in enumerate(note):
        c.drawString(60, height - 80 - 18 * i, line)
    c.showPage()
    c.save()
    (out / "scanned.pdf").write_bytes(buf.getvalue())


# --------------------------------------------------------------------------
# PDF tables drawn as aligned text: no ruling, or horizontal rules only
# --------------------------------------------------------------------------

UNRULED_HEAD = [
    ("STT", 57, "left"),
    ("LĨNH VỰC / TIÊU CHÍ / TIÊU CHÍ THÀNH PHẦN", 100, "left"),
    ("ĐIỂM CHUẨN", 462, "right"),
    ("ĐIỂM THẨM ĐỊNH", 538, "right"),
]
UNRULED_LABEL_WIDTH = 290  # the label column wraps at this width; the figures stay on its first line
UNRULED_HEAD_WIDTH = {0: 35, 1: 160, 2: 50, 3: 55}


def _unruled_pdf(rules: bool) -> bytes:
    """Seed 001's criteria table typed as aligned text: STT and label left-aligned, the
    two scores right-aligned at fixed stops, long labels wrapped under themselves with the
    figures on the first line, the header repeated on page 2. With `rules`, only
    horizontal rules: above and below the header and under the last row of each page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen import canvas

    title, rows = criteria_rows(30)
    width, height = A4
    font, bold, size, lead = main_build.FONT, main_build.FONT_B, 10, 12.5
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setCreator("parindex samples/hard/build.py")
    c.setTitle("")

    def put(text, x, y, align, f=font):
        c.setFont(f, size)
        (c.drawRightString if align == "right" else c.drawString)(x, y, text)

    def header(y: float) -> float:
        if rules:
            c.setLineWidth(0.6)
            c.line(55, y + lead - 1, 540, y + lead - 1)
        depth = 0
        for k, (text, x, align) in enumerate(UNRULED_HEAD):
            parts = simpleSplit(text, bold, size, UNRULED_HEAD_WIDTH[k])
            for i, part in enumerate(parts):
                put(part, x, y - i * lead, align, bold)
            depth = max(depth, len(parts))
        y -= depth * lead
        if rules:
            c.line(55, y + lead - 4, 540, y + lead - 4)
        return y - 6

    def footer(y: float, page: int) -> None:
        if rules:
            c.line(55, y + lead - 4, 540, y + lead - 4)
        put(str(page), width / 2, 40, "left")

    y = height - 60
    c.setFont(bold, 12)
    for part in simpleSplit(title, bold, 12, width - 120):
        c.drawCentredString(width / 2, y, part)
        y -= 15
    y -= 6
    for part in simpleSplit(
        "Năm 2023, huyện Phong Thổ đạt 85,23/100 điểm, xếp hạng 4/8 huyện, thành phố; "
        "lĩnh vực chỉ đạo, điều hành đạt 9,28/13,50 điểm.",
        font,
        size,
        width - 114,
    ):
        put(part, 57, y, "left")
        y -= lead
    y -= 12
    y = header(y)
    page = 1
    for code, label, mx, score in (r[:4] for r in rows[1:]):
        parts = simpleSplit(label, font, size, UNRULED_LABEL_WIDTH)
        if y - len(parts) * lead < 80:
            footer(y, page)
            c.showPage()
            page += 1
            y = header(height - 60)
        put(code, 57, y, "left")
        put(mx, 462, y, "right")
        put(score, 538, y, "right")
        for i, part in enumerate(parts):
            put(part, 100, y - i * lead, "left")
        y -= len(parts) * lead + 4
    footer(y, page)
    y -= 18
    put("Ghi chú: điểm thẩm định do Hội đồng thẩm định tỉnh công bố.", 57, y, "left")
    c.showPage()
    c.save()
    return buf.getvalue()


def build_unruled_pdf(out: Path) -> None:
    (out / "unruled.pdf").write_bytes(_unruled_pdf(rules=False))


def build_half_ruled_pdf(out: Path) -> None:
    (out / "half_ruled.pdf").write_bytes(_unruled_pdf(rules=True))


def build_heading_on_table_pdf(out: Path) -> None:
    """Seed 001's first rows under a centred bold heading of two lines whose leading is its
    font size and that has no space after it, as Word exports a title typed right above
    its table: the descenders of the heading's last line lie on the table's top rule."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, Table, TableStyle

    _, rows = criteria_rows(12)
    heading = ParagraphStyle("h", fontName=main_build.FONT_B, fontSize=13, leading=13, alignment=1, spaceAfter=0)
    cell = ParagraphStyle("c", fontName=main_build.FONT, fontSize=10, leading=12.5)
    table = Table(
        [[Paragraph(html.escape(c, quote=False), cell) for c in r[:4]] for r in rows],
        colWidths=[40, 290, 70, 80],
        repeatRows=1,
    )
    table.setStyle(TableStyle(main_build.grid_style()))
    title = "Kết quả Chỉ số cải cách hành chính năm 2023 của huyện Phong Thổ, tỉnh Lai Châu"
    (out / "heading_on_table.pdf").write_bytes(_pdf_bytes([Paragraph(title, heading), table], A4))


PARTLY_RULED_STOPS = [55, 95, 385, 460, 540]  # column edges: STT, label, max, score
PARTLY_RULED_TITLE = "Kết quả Chỉ số cải cách hành chính năm 2023 của huyện Phong Thổ, tỉnh Lai Châu"


def _partly_ruled_table(c, y: float, xs, head, rows, aligns, kind: str) -> float:
    """Draw one table at `y` (the baseline of its header's first line) and give the
    baseline under it. The header is centred in its columns; each body cell is wrapped
    to its column and set by `aligns` ("left" or "right"), the row's first lines level.
    `header`: the header ruled as a grid and the table closed by its outer border, its
    body without a line (pdfplumber then finds one cell per column for the whole body);
    `rows`: only full-width horizontal lines, above and under the header and under each
    row, no vertical line."""
    from reportlab.lib.utils import simpleSplit

    font, bold, size, lead = main_build.FONT, main_build.FONT_B, 10, 12.5
    top = y + lead
    c.setFont(bold, size)
    depth = 1
    for k, text in enumerate(head):
        parts = simpleSplit(text, bold, size, xs[k + 1] - xs[k] - 8)
        for i, part in enumerate(parts):
            c.drawCentredString((xs[k] + xs[k + 1]) / 2, y - i * lead, part)
        depth = max(depth, len(parts))
    header_bottom = y - (depth - 1) * lead - 5
    c.line(xs[0], top, xs[-1], top)
    c.line(xs[0], header_bottom, xs[-1], header_bottom)
    if kind == "header":
        for x in xs:
            c.line(x, top, x, header_bottom)
    y = header_bottom - lead
    c.setFont(font, size)
    widest = max(range(len(head)), key=lambda k: xs[k + 1] - xs[k])
    for row in rows:
        cells = [simpleSplit(text, font, size, xs[k + 1] - xs[k] - 8) for k, text in enumerate(row)]
        # the widest column (the label) is drawn last, as the first fixtures were
        for k in sorted(range(len(row)), key=lambda k: k == widest):
            for i, part in enumerate(cells[k]):
                if aligns[k] == "right":
                    c.drawRightString(xs[k + 1] - 6, y - i * lead, part)
                else:
                    c.drawString(xs[k] + 4, y - i * lead, part)
        depth = max(1, *(len(parts) for parts in cells))
        y -= depth * lead + 4
        if kind == "rows":
            c.line(xs[0], y + lead - 4, xs[-1], y + lead - 4)
    if kind == "header":
        bottom = y + lead - 4
        c.line(xs[0], bottom, xs[-1], bottom)
        c.line(xs[0], top, xs[0], bottom)
        c.line(xs[-1], top, xs[-1], bottom)
    return y


def _partly_ruled_page(tables) -> bytes:
    """A page of titled tables drawn by `_partly_ruled_table`: (title, xs, head, rows,
    aligns, kind) each."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    width, height = A4
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setCreator("parindex samples/hard/build.py")
    c.setTitle("")
    c.setLineWidth(0.6)
    y = height - 60
    for title, xs, head, rows, aligns, kind in tables:
        c.setFont(main_build.FONT_B, 12)
        c.drawCentredString(width / 2, y, title)
        y = _partly_ruled_table(c, y - 30, xs, head, rows, aligns, kind) - 30
    c.showPage()
    c.save()
    return buf.getvalue()


def _partly_ruled_pdf(kind: str) -> bytes:
    """Seed 001's first 12 criteria rows, labels wrapped under themselves with the
    figures right-aligned on the first line, ruled as `kind` says (`_partly_ruled_table`)."""
    _, rows = criteria_rows(12)
    return _partly_ruled_page(
        [
            (
                PARTLY_RULED_TITLE,
                PARTLY_RULED_STOPS,
                ["STT", "Lĩnh vực / tiêu chí", "Điểm chuẩn", "Điểm thẩm định"],
                [r[:4] for r in rows[1:]],
                ["left", "left", "right", "right"],
                kind,
            )
        ]
    )


def rows_of(text: str) -> list[list[str]]:
    """A table written one row per line, its cells separated by "|"."""
    return [[cell.strip() for cell in line.split("|")] for line in text.strip("\n").splitlines()]


# A ranking with a single figure column (the Chỉ số CCHC of a province's departments and
# districts, as provincial decisions announce it): section rows without a figure, names
# wrapped onto two lines; and the districts alone, a name and a figure, without STT.
RANKING_HEAD = ["STT", "Tên cơ quan, đơn vị", "Chỉ số CCHC (%)"]
RANKING_ROWS = rows_of(
    """
I | Khối sở, ban, ngành |
1 | Sở Tư pháp | 92,45
2 | Sở Nội vụ | 91,08
3 | Sở Thông tin và Truyền thông | 89,76
4 | Ban Quản lý các khu công nghiệp và khu kinh tế cửa khẩu tỉnh | 88,12
5 | Sở Kế hoạch và Đầu tư | 87,30
6 | Sở Nông nghiệp và Phát triển nông thôn | 85,51
II | Khối huyện, thành phố |
1 | Thành phố Lai Châu | 90,64
2 | Huyện Tam Đường | 86,02
3 | Huyện Phong Thổ | 85,23
"""
)
DISTRICT_HEAD = ["Huyện, thành phố", "Chỉ số CCHC năm 2023 (%)"]
DISTRICT_ROWS = rows_of(
    """
Thành phố Lai Châu | 90,64
Huyện Tam Đường | 86,02
Huyện Phong Thổ | 85,23
Huyện Sìn Hồ | 83,77
Huyện Nậm Nhùn | 81,09
"""
)
# Seed 001's criteria with the appraised score only: code, name, one figure column.
ONE_SCORE_HEAD = ["STT", "Lĩnh vực / tiêu chí", "Điểm thẩm định"]
# A rating scale whose values are words with figures, and the rated units, whose rating
# is a word (a TTHC-quality assessment: totals of nine indices, "Xuất sắc" to "Yếu").
SCALE_HEAD = ["Xếp loại", "Tổng điểm các chỉ số"]
SCALE_ROWS = rows_of(
    """
Xuất sắc | từ 17.500 trở lên
Tốt | từ 14.000 đến dưới 17.500
Khá | từ 9.595 đến dưới 14.000
Trung bình | 9.594 trở xuống
"""
)
RATED_HEAD = ["STT", "Tên cơ quan, đơn vị", "Tổng điểm", "Xếp loại"]
RATED_ROWS = rows_of(
    """
1 | Sở Tư pháp | 17.812 | Xuất sắc
2 | Sở Nội vụ | 15.753 | Tốt
3 | Sở Giao thông vận tải | 14.205 | Tốt
4 | Sở Tài nguyên và Môi trường | 12.630 | Khá
5 | Sở Xây dựng | 9.594 | Trung bình
6 | Ban Dân tộc tỉnh (không phát sinh hồ sơ trong kỳ đánh giá) |  | Không đánh giá
"""
)


def build_one_figure_pdfs(out: Path) -> None:
    _, rows = criteria_rows(12)
    (out / "ranking_header_ruled.pdf").write_bytes(
        _partly_ruled_page(
            [
                (
                    "Kết quả Chỉ số cải cách hành chính năm 2023 của các sở, ban, ngành",
                    [55, 95, 430, 540],
                    RANKING_HEAD,
                    RANKING_ROWS,
                    ["left", "left", "right"],
                    "header",
                ),
                (
                    "Chỉ số cải cách hành chính của các huyện, thành phố",
                    [55, 335, 540],
                    DISTRICT_HEAD,
                    DISTRICT_ROWS,
                    ["left", "right"],
                    "header",
                ),
            ]
        )
    )
    (out / "one_score_row_ruled.pdf").write_bytes(
        _partly_ruled_page(
            [
                (
                    PARTLY_RULED_TITLE,
                    [55, 95, 440, 540],
                    ONE_SCORE_HEAD,
                    [[r[0], r[1], r[3]] for r in rows[1:]],
                    ["left", "left", "right"],
                    "rows",
                )
            ]
        )
    )


def build_worded_pdf(out: Path) -> None:
    (out / "worded_values.pdf").write_bytes(
        _partly_ruled_page(
            [
                (
                    "Thang xếp loại chất lượng giải quyết thủ tục hành chính",
                    [55, 215, 540],
                    SCALE_HEAD,
                    SCALE_ROWS,
                    ["left", "left"],
                    "header",
                ),
                (
                    "Kết quả xếp loại năm 2023",
                    [55, 95, 345, 430, 540],
                    RATED_HEAD,
                    RATED_ROWS,
                    ["left", "left", "right", "left"],
                    "rows",
                ),
            ]
        )
    )


def build_partly_ruled_pdfs(out: Path) -> None:
    (out / "header_ruled.pdf").write_bytes(_partly_ruled_pdf("header"))
    (out / "row_ruled.pdf").write_bytes(_partly_ruled_pdf("rows"))


BUILDERS = [
    build_scanned_pdf,
    build_cid_garbage_pdf,
    build_legacy_pdf,
    build_legacy_txt,
    build_nfd_txt,
    build_legacy_docx,
    build_nested_docx,
    build_doc,
    build_xls,
    build_xlsx,
    build_flattened_html,
    build_unruled_pdf,
    build_half_ruled_pdf,
    build_heading_on_table_pdf,
    build_partly_ruled_pdfs,
    build_one_figure_pdfs,
    build_worded_pdf,
]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=str(HERE), help="output directory (default: samples/hard/)")
    args = ap.parse_args(argv)
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    _register_fonts()
    for build in BUILDERS:
        build(out)
    for f in sorted(out.iterdir()):
        if f.suffix not in (".py", ".md") and f.name != ".parindexignore":
            print(f"{f.stat().st_size:>9,d}  {f.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
