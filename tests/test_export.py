"""The Excel workbook as a person opens and prints it: a README first, numbers stored and
shown as numbers, the flags column in front and identifiers at the end, flagged rows
filled, and a print setup that gives readable landscape pages with the header on each;
printed through LibreOffice to check the pages themselves."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess

import pytest
from openpyxl import load_workbook

from parindex.cli import main
from parindex.export import FRONT, HASH_COLUMNS, build_workbook, write_xlsx
from parindex.flag_targets import SEVERITY_COLOURS, flagged_observations

BA_TO = "samples/000_65e2608f2289fc53.pdf"
DATA_SHEETS = ("panel", "observations", "flags", "documents")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.fixture(scope="module")
def workbook(sample_run, tmp_path_factory):
    path = write_xlsx(sample_run["out"], tmp_path_factory.mktemp("xlsx") / "parindex.xlsx")
    return path, load_workbook(path)


def _sheet_rows(ws) -> tuple[list[str], list[tuple]]:
    rows = list(ws.iter_rows())
    return [c.value for c in rows[0]], rows[1:]


def _fill(c) -> str | None:
    return c.fill.start_color.rgb[-6:] if c.fill is not None and c.fill.fill_type == "solid" else None


def _ba_to(rows, col, table, row, year, code="1"):
    [r] = [
        r
        for r in rows
        if r[col["source"]].value == BA_TO
        and r[col["table"]].value == table
        and r[col["row"]].value == row
        and r[col["year"]].value == year
        and r[col["code"]].value == code
    ]
    return r


def test_workbook_opens_on_a_readme_saying_what_each_sheet_is(workbook, sample_run):
    path, wb = workbook
    assert wb.sheetnames == ["README", *DATA_SHEETS]
    readme = [[c.value for c in row] for row in wb["README"].iter_rows()]
    by_sheet = {row[0]: row for row in readme if row and row[0] in DATA_SHEETS}
    assert set(by_sheet) == set(DATA_SHEETS)
    for name in DATA_SHEETS:  # what it holds, and how many rows
        assert len(by_sheet[name][1]) > 40 and by_sheet[name][2] == len(sample_run[name])
    assert "Các cột chính" in [row[0] for row in readme]  # Vietnamese documents: a Vietnamese README
    assert {row[0] for row in readme if row and row[0] in SEVERITY_COLOURS} == set(SEVERITY_COLOURS)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~_umask()
    assert sorted(p.name for p in path.parent.iterdir()) == ["parindex.xlsx"]


def test_every_row_is_there_with_numbers_stored_and_shown_as_numbers(workbook, sample_run):
    _, wb = workbook
    for name in DATA_SHEETS:
        header, rows = _sheet_rows(wb[name])
        assert set(sample_run[name].columns) <= set(header) and len(rows) == len(sample_run[name])
        assert wb[name].freeze_panes == "A2"
        assert wb[name].auto_filter.ref == f"A1:{wb[name].cell(1, len(header)).column_letter}{len(rows) + 1}"
        floats = [c for r in rows for c in r if isinstance(c.value, float)]
        assert floats or name == "documents"
        assert all(c.number_format in ("0.00", "0.00##", "0.000") for c in floats), name
    header, rows = _sheet_rows(wb["observations"])
    col = {h: i for i, h in enumerate(header)}
    row = _ba_to(rows, col, 1, 5, 2023)
    assert row[col["score"]].value == 9.91 and row[col["score"]].data_type == "n"
    assert row[col["score"]].number_format == "0.00"
    assert row[col["rank"]].value == 6 and row[col["rank"]].data_type == "n"
    assert row[col["year"]].data_type == "n" and row[col["code"]].value == "1" and row[col["code"]].data_type == "s"
    widths = wb["observations"].column_dimensions
    assert widths[row[col["printed_name"]].column_letter].width > widths[row[col["page"]].column_letter].width >= 6


def test_flags_sheet_keeps_numbers_as_numbers_and_a_tolerance_as_it_means(workbook):
    _, wb = workbook
    header, rows = _sheet_rows(wb["flags"])
    col = {h: i for i, h in enumerate(header)}
    [sum_row] = [
        r
        for r in rows
        if r[col["rule"]].value == "sum_mismatch"
        and r[col["source"]].value == BA_TO
        and r[col["table"]].value == 3
        and r[col["row"]].value == 5
        and r[col["year"]].value == 2023
    ]
    assert (sum_row[col["expected"]].value, sum_row[col["found"]].value) == (9.91, 9.39)
    assert sum_row[col["expected"]].data_type == "n" and sum_row[col["expected"]].number_format == "0.00##"
    tolerance = sum_row[col["tolerance"]]
    assert tolerance.data_type == "n" and tolerance.number_format == "0.000" and repr(tolerance.value) == "0.077"
    assert all(len(repr(r[col["tolerance"]].value)) <= 8 for r in rows if r[col["tolerance"]].value is not None)
    # what is not one number stays as printed
    above = [r for r in rows if r[col["rule"]].value == "score_above_max"][0]
    assert above[col["expected"]].value.startswith("<= ") and isinstance(above[col["found"]].value, float)
    conflict = [r for r in rows if r[col["rule"]].value == "conflict"][0]
    assert "(table [" in conflict[col["found"]].value


def test_the_columns_a_reader_checks_come_first_and_identifiers_last(workbook):
    _, wb = workbook
    for name in DATA_SHEETS:
        header, _ = _sheet_rows(wb[name])
        front = [c for c in FRONT[name] if c in header]
        assert header[: len(front)] == front, name
        ids = [c for c in header if c in HASH_COLUMNS]
        assert ids and header[-len(ids) :] == ids, name
    assert _sheet_rows(wb["observations"])[0][:5] == ["flags", "source", "page", "table", "row"]
    assert _sheet_rows(wb["flags"])[0][:2] == ["severity", "rule"]


def test_workbook_fills_the_rows_flags_point_at(workbook, sample_run):
    _, wb = workbook
    header, rows = _sheet_rows(wb["observations"])
    col = {h: i for i, h in enumerate(header)}
    detail = _ba_to(rows, col, 3, 5, 2023)  # sum_mismatch (error)
    assert detail[col["score"]].value == 9.39
    assert {_fill(c) for c in detail} == {SEVERITY_COLOURS["error"]}
    assert "error sum_mismatch" in detail[col["flags"]].value and detail[col["flag_ids"]].value
    summary = _ba_to(rows, col, 1, 5, 2023)  # conflict (warning) with the detail table
    assert {_fill(c) for c in summary} == {SEVERITY_COLOURS["warning"]}
    assert "warning conflict" in summary[col["flags"]].value
    unflagged = _ba_to(rows, col, 1, 5, 2021)
    assert {_fill(c) for c in unflagged} == {None} and unflagged[col["flags"]].value is None
    # exactly the observations a flag points at are filled
    pairs = flagged_observations(sample_run["flags"], sample_run["observations"])
    assert sum(1 for r in rows if _fill(r[0])) == pairs["obs_index"].nunique() > 0
    # flags coloured by severity; panel rows built from a flagged observation marked too
    fheader, frows = _sheet_rows(wb["flags"])
    sev = fheader.index("severity")
    assert all(_fill(r[0]) == SEVERITY_COLOURS[r[sev].value] for r in frows)
    pheader, prows = _sheet_rows(wb["panel"])
    p = {h: i for i, h in enumerate(pheader)}
    [ba_to_1] = [
        r for r in prows if r[p["unit"]].value == "Ba Tơ" and r[p["year"]].value == 2023 and r[p["code"]].value == "1"
    ]
    assert _fill(ba_to_1[0]) == SEVERITY_COLOURS["error"] and "sum_mismatch" in ba_to_1[p["flags"]].value


def test_each_sheet_prints_landscape_fitted_to_width_with_its_header_on_every_page(workbook, sample_run):
    _, wb = workbook
    for name in ("README", *DATA_SHEETS):
        ws = wb[name]
        assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9, name  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage, name
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0), name
    for name in DATA_SHEETS:
        ws = wb[name]
        assert ws.print_title_rows == "$1:$1", name
        header, _ = _sheet_rows(ws)
        last = ws.cell(1, len([c for c in FRONT[name] if c in header])).column_letter
        assert ws.print_area == f"'{name}'!$A$1:${last}${len(sample_run[name]) + 1}", name


def test_workbook_keeps_formula_like_text_as_text(sample_run, tmp_path):
    tables = {n: sample_run[n].copy() for n in DATA_SHEETS}
    tables["observations"].loc[0, "printed_name"] = '=HYPERLINK("http://x")\x07'
    wb = build_workbook(tables)
    wb.save(tmp_path / "t.xlsx")
    ws = load_workbook(tmp_path / "t.xlsx")["observations"]
    header = [c.value for c in ws[1]]
    c = ws.cell(2, header.index("printed_name") + 1)
    assert c.value == '=HYPERLINK("http://x")' and c.data_type == "s"


def test_export_command_and_an_english_readme(sample_run, tmp_path, capsys):
    assert main(["export", str(sample_run["out"]), "--xlsx", str(tmp_path / "d.xlsx"), "--lang", "en"]) == 0
    wb = load_workbook(tmp_path / "d.xlsx")
    assert wb.sheetnames == ["README", *DATA_SHEETS]
    assert "Main columns" in [row[0].value for row in wb["README"].iter_rows()]
    assert str(tmp_path / "d.xlsx") in capsys.readouterr().out
    (tmp_path / "empty").mkdir()
    assert main(["export", str(tmp_path / "empty"), "--xlsx", str(tmp_path / "e.xlsx")]) == 2
    err = capsys.readouterr().err
    assert str(tmp_path / "empty" / "observations.parquet") in err and "parindex run" in err
    assert not (tmp_path / "e.xlsx").exists()


def test_printed_through_libreoffice_the_pages_are_landscape_with_the_header_on_each(workbook, tmp_path):
    import pdfplumber

    soffice = shutil.which("soffice") or pytest.fail("LibreOffice not found: apt-get install libreoffice-calc-nogui")
    path, _ = workbook
    profile = (tmp_path / "profile").as_uri()
    done = subprocess.run(
        [
            soffice,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={profile}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        capture_output=True,
        timeout=180,
    )
    pdf_path = tmp_path / "parindex.pdf"
    assert pdf_path.exists(), f"not printed (is libreoffice-calc installed?): {done.stderr.decode()[-500:]}"
    with pdfplumber.open(pdf_path) as pdf:
        pages = [(p.width > p.height, (p.extract_text() or "").splitlines()) for p in pdf.pages]
    assert all(landscape for landscape, _ in pages)
    observation_pages = [lines for _, lines in pages if lines and lines[0].startswith("flags source page table row")]
    # every page of observations starts with the header; about 55 rows a page, not 6 columns a page
    assert len(observation_pages) >= 2 and len(pages) < 40, len(pages)
    assert all("printed_name" in lines[0] and "score" in lines[0] for lines in observation_pages)
