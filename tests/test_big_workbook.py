"""One workbook cannot hold up the run: past MAX_CELLS cells it fails at once with an
error that says why (extractors/spreadsheet.py), before anything is loaded."""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from parindex.extractors import ExtractionError
from parindex.extractors.spreadsheet import MAX_CELLS, extract_xlsx

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
    '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
    'main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
    '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def workbook(rows: int, cols: int) -> bytes:
    """A workbook of rows x cols numbers, its XML written directly (openpyxl would take
    most of a minute for a million cells)."""
    letters = [chr(65 + c) for c in range(cols)]
    sheet = io.StringIO()
    sheet.write(
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main"><sheetData>'
    )
    for r in range(1, rows + 1):
        sheet.write(f'<row r="{r}">' + "".join(f'<c r="{a}{r}"><v>{r}</v></c>' for a in letters) + "</row>")
    sheet.write("</sheetData></worksheet>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        z.writestr("xl/worksheets/sheet1.xml", sheet.getvalue())
    return buf.getvalue()


def test_a_million_cell_workbook_fails_at_once_saying_why():
    data = workbook(100_000, 10)
    started = time.monotonic()
    with pytest.raises(ExtractionError, match=f"past the limit of {MAX_CELLS:,}") as failed:
        extract_xlsx(data, "huge.xlsx")
    assert time.monotonic() - started < 5 and str(failed.value).startswith("huge.xlsx: holds")


def test_a_workbook_within_the_limit_is_read():
    doc = extract_xlsx(workbook(20, 5), "small.xlsx")
    assert sum(len(t.rows) for t in doc.tables) == 20
