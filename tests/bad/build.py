"""Build the corpus of bad inputs in tests/bad/ (deterministic; the files are committed).

    .venv/bin/python tests/bad/build.py

Each file is one way a real archive goes wrong; tests/test_bad_inputs.py says what
parindex must do with each. The 50 MB image-only PDF and the 2,000-page PDF are made
at test time (`big_pdf`, `image_only_pdf` below) instead of being committed.
"""

from __future__ import annotations

import io
import pathlib
import random
import unicodedata
import zipfile

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SAMPLES = ROOT / "samples"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

DOCX_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
DOCX_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx_bytes(document_xml: str | bytes, extra: dict[str, bytes] | None = None, level: int = 6) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        z.writestr("[Content_Types].xml", DOCX_CONTENT_TYPES)
        z.writestr("_rels/.rels", DOCX_RELS)
        z.writestr("word/document.xml", document_xml)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buf.getvalue()


def paragraph(text: str) -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def body(*parts: str, doctype: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<w:document {W}><w:body>{"".join(parts)}</w:body></w:document>'
    )


def table(rows: list[list[str]]) -> str:
    cells = "".join("<w:tr>" + "".join(f"<w:tc>{paragraph(c)}</w:tc>" for c in r) + "</w:tr>" for r in rows)
    return f"<w:tbl>{cells}</w:tbl>"


def pdf_bytes(pages: list[str], encrypt: str | None = None, open_action_js: str | None = None) -> bytes:
    from reportlab.pdfbase import pdfdoc, pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DejaVu", FONT))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt=encrypt, invariant=1)
    for text in pages:
        c.setFont("DejaVu", 11)
        for i, line in enumerate(text.splitlines()):
            c.drawString(60, 780 - 16 * i, line)
        c.showPage()
    if open_action_js:  # a document that tries to run JavaScript when opened
        c._doc.Catalog.OpenAction = pdfdoc.PDFDictionary(
            {"S": pdfdoc.PDFName("JavaScript"), "JS": pdfdoc.PDFString(open_action_js)}
        )
        c._doc.Catalog.__NoDefault__ = list(getattr(c._doc.Catalog, "__NoDefault__", [])) + ["OpenAction"]
    c.save()
    return buf.getvalue()


REPORT = (
    "Kết quả Chỉ số cải cách hành chính năm 2023 của huyện Tam Đường, tỉnh Lai Châu\n"
    "Chỉ số PAR INDEX của huyện đạt 78,12 điểm, xếp vị trí thứ 4/8 huyện, thành phố."
)


def build() -> dict[str, bytes]:
    rng = random.Random(7)
    good_pdf = (SAMPLES / "000_65e2608f2289fc53.pdf").read_bytes()
    good_docx = (SAMPLES / "001_af3bdc7e3d446662.docx").read_bytes()
    good_html = (SAMPLES / "004_0dbbb814e2b5b046.html").read_bytes()
    files: dict[str, bytes] = {}
    # --- broken PDFs
    files["zero_byte.pdf"] = b""
    files["whitespace_only.pdf"] = b"   \n\t \n"
    files["truncated.pdf"] = good_pdf[: len(good_pdf) // 3]
    files["header_only.pdf"] = b"%PDF-1.7\n"
    corrupt = bytearray(good_pdf)
    for _ in range(400):
        corrupt[rng.randrange(200, len(corrupt))] = rng.randrange(256)
    files["corrupt_bytes.pdf"] = bytes(corrupt)
    files["password.pdf"] = pdf_bytes([REPORT], encrypt="mật-khẩu")
    files["javascript_action.pdf"] = pdf_bytes([REPORT], open_action_js="app.launchURL('http://203.0.113.7/', true);")
    files["blank_pages.pdf"] = pdf_bytes(["", "", ""])
    # --- broken or hostile Word files
    files["truncated.docx"] = good_docx[: len(good_docx) // 2]
    files["zip_without_document.docx"] = _zip({"hello.txt": b"not a report"})
    files["empty_body.docx"] = docx_bytes(body())
    files["no_numbers.docx"] = docx_bytes(
        body(
            paragraph("Báo cáo công tác cải cách hành chính"),
            table([["STT", "Nội dung", "Ghi chú"], ["1", "Cải cách thể chế", "Tốt"]]),
        )
    )
    files["other_index_pci.docx"] = docx_bytes(
        body(
            paragraph("Kết quả Chỉ số năng lực cạnh tranh cấp tỉnh (PCI) năm 2023"),
            paragraph("Chỉ số PCI năm 2023 của tỉnh đạt 65,12 điểm, xếp thứ 20/63."),
        )
    )
    files["xxe_file.docx"] = docx_bytes(
        body(
            paragraph("Chỉ số PAR INDEX năm 2023 đạt &xxe; điểm"),
            doctype='<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        )
    )
    files["xxe_network.docx"] = docx_bytes(
        body(paragraph("&net;"), doctype='<!DOCTYPE w:document [<!ENTITY net SYSTEM "http://203.0.113.7/x">]>')
    )
    laughs = (
        '<!DOCTYPE w:document [<!ENTITY a "hahahahaha">'
        + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
        + "]>"
    )
    files["billion_laughs.docx"] = docx_bytes(body(paragraph("&j;"), doctype=laughs))
    files["external_image_link.docx"] = docx_bytes(
        body(paragraph(REPORT.splitlines()[1])),
        {
            "word/_rels/document.xml.rels": (
                '<?xml version="1.0" encoding="UTF-8"?><Relationships '
                'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId9" '
                'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" '
                'Target="http://203.0.113.7/track.png" TargetMode="External"/></Relationships>'
            ).encode()
        },
    )
    bomb = io.BytesIO()  # 512 MiB of one repeated paragraph that compresses to ~2 MB
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", DOCX_CONTENT_TYPES)
        z.writestr("_rels/.rels", DOCX_RELS)
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            f.write(f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>'.encode())
            chunk = (paragraph("Cải cách hành chính") * 4000).encode()
            for _ in range((1 << 29) // len(chunk)):
                f.write(chunk)
            f.write(b"</w:body></w:document>")
    files["zip_bomb.docx"] = bomb.getvalue()
    # --- hostile or odd HTML
    files["xxe.html"] = (
        '<?xml version="1.0"?><!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        "<html><body><p>Chỉ số PAR INDEX năm 2023 đạt &xxe; điểm</p></body></html>"
    ).encode("utf-8")
    files["script_and_remote.html"] = (
        "<html><head><script src='http://203.0.113.7/x.js'></script><link rel=stylesheet href='http://203.0.113.7/s.css'>"
        "</head><body><script>document.write('<p>Chỉ số PAR INDEX đạt 99,99 điểm</p>')</script>"
        "<img src='http://203.0.113.7/p.png'><p>Kết quả Chỉ số cải cách hành chính năm 2023 của huyện Tam Đường</p>"
        "<p>Chỉ số PAR INDEX của huyện đạt 78,12 điểm, xếp vị trí thứ 4/8 huyện, thành phố.</p></body></html>"
    ).encode()
    files["deeply_nested.html"] = (
        "<html><body>"
        + "<table><tr><td>" * 3000
        + "Cải cách thể chế 5,00"
        + "</td></tr></table>" * 3000
        + "</body></html>"
    ).encode()
    files["empty.html"] = b"<html><head><title></title></head><body></body></html>"
    # --- files whose name lies
    files["really_a_docx.pdf"] = good_docx
    files["really_html.docx"] = good_html
    files["really_a_png.pdf"] = b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(2000))
    files["random_bytes.txt"] = bytes(rng.randrange(256) for _ in range(4096))
    files["corrupt_ole.doc"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(rng.randrange(256) for _ in range(4000))
    files["corrupt.xlsx"] = _zip({"xl/workbook.xml": b"<workbook>", "[Content_Types].xml": b"<Types/>"})
    # --- encodings without a declared charset, and duplicates under other names
    files["windows1258.txt"] = to_cp1258(REPORT + "\n")
    files["tcvn3_no_charset.txt"] = (SAMPLES / "hard" / "tcvn3.txt").read_bytes()
    files["nfd.txt"] = unicodedata.normalize("NFD", REPORT + "\n").encode("utf-8")
    files["copy_a.docx"] = (SAMPLES / "002_08e6fc9df459596f.docx").read_bytes()
    files["copy_b_same_bytes.docx"] = files["copy_a.docx"]
    return files


def to_cp1258(text: str) -> bytes:
    """Windows-1258 stores Vietnamese tones as separate combining marks."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            tones = "".join(c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
            out += (base + tones).encode("cp1258")
    return out


def big_pdf(pages: int = 2000) -> bytes:
    """A PDF of `pages` pages of report text: too long to read within a short time limit."""
    return pdf_bytes([f"Trang {i}\n" + REPORT for i in range(1, pages + 1)])


def image_only_pdf(megabytes: int = 50) -> bytes:
    """An image-only PDF of about `megabytes` MB: A4 pages of grey noise at 300 dpi (JPEG)."""
    from PIL import Image

    rng = random.Random(50)
    pages = [Image.frombytes("L", (2480, 3508), rng.randbytes(2480 * 3508)) for _ in range(max(1, megabytes // 6))]
    buf = io.BytesIO()
    pages[0].save(buf, "PDF", save_all=True, append_images=pages[1:], resolution=300.0, quality=92)
    return buf.getvalue()


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def main() -> None:
    files = build()
    for name, data in files.items():
        (HERE / name).write_bytes(data)
    print(f"{len(files)} bad inputs in {HERE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
