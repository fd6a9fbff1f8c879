"""What a person sees: the HTML report, the Excel workbook, the progress of `parindex run`
and the Prefect run summary, all built from the real flow's run over the samples."""
from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import tempfile

import lxml.html
import numpy as np
import pytest
from openpyxl import load_workbook

from conftest import ROOT, SAMPLES
from parindex.cli import main
from parindex.export import build_workbook, write_xlsx
from parindex.flagged import SEVERITY_COLOURS, flagged_observations
from parindex.report import build_report, write_report

BA_TO = "samples/000_65e2608f2289fc53.pdf"
ARTIFACTS = ROOT / "test-artifacts"
CRITERION_1 = "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.fixture(scope="module")
def report_html(sample_run, tmp_path_factory):
    path = write_report(sample_run["out"], tmp_path_factory.mktemp("report") / "report.html")
    return path


@pytest.fixture(scope="module")
def report_tree(report_html):
    return lxml.html.fromstring(report_html.read_bytes())


def _flag_rows(tree, **attrs):
    rows = tree.xpath("//tr[contains(concat(' ', @class, ' '), ' flag ')]")
    return [r for r in rows if all(r.get(f"data-{k}") == v for k, v in attrs.items())]


def _cells(tr) -> list[str]:
    return [td.text_content().strip() for td in tr.xpath("./td")]


# ----------------------------------------------------------------------------- report

def test_report_is_one_self_contained_utf8_file(report_html, report_tree, sample_run):
    raw = report_html.read_bytes()
    assert raw.startswith(b"<!DOCTYPE html>") and b'<meta charset="utf-8">' in raw
    assert "Ba Tơ".encode("utf-8") in raw and "Quảng Ngãi".encode("utf-8") in raw
    # nothing is fetched when it is opened: no external scripts, styles, images or fonts
    assert not report_tree.xpath("//*[@src] | //link | //iframe | //object")
    assert b"url(" not in raw and b"@import" not in raw
    assert [a.get("href") for a in report_tree.xpath("//a[@href]") if not a.get("href").startswith("#")] == []
    # written atomically with the usual permissions: no temporary file left beside it
    assert sorted(p.name for p in report_html.parent.iterdir()) == ["report.html"]
    assert stat.S_IMODE(report_html.stat().st_mode) == 0o666 & ~_umask()


def test_report_summarises_every_document(report_tree, sample_run):
    docs = sample_run["documents"]
    rows = report_tree.xpath("//table[@class='documents']//tr[@data-status]")
    assert len(rows) == len(docs)
    by_source = {_cells(r)[0]: _cells(r) for r in rows}
    ba_to = by_source[BA_TO]
    assert ba_to[1:7] == ["pdf", "ok", "Ba Tơ", "district", "Quảng Ngãi", "2021, 2022, 2023, 2024"]
    assert ba_to[7:10] == ["7", "3", str(int(docs.set_index("source").loc[BA_TO, "observations"]))]
    flags = sample_run["flags"]
    n_errors = int(((flags.source == BA_TO) & (flags.severity == "error")).sum())
    assert n_errors > 0 and ba_to[10] == str(n_errors)


def test_report_shows_each_flag_beside_the_printed_row(report_tree, sample_run):
    flags = sample_run["flags"]
    rows = _flag_rows(report_tree)
    assert len(rows) == len(flags)
    # grouped by severity and rule, with the count of each group
    for (rule, severity), grp in flags.groupby(["rule", "severity"]):
        group = report_tree.xpath(f"//details[@data-rule='{rule}'][@data-severity='{severity}']")
        assert len(group) == 1 and f"({len(grp)})" in group[0].xpath("./summary")[0].text_content()
        assert len(group[0].xpath(".//tr[@data-flag-id]")) == len(grp)
    # the detailed table prints 9,39 for criterion 1 in 2023 where its children sum to 9,91
    [row] = [r for r in _flag_rows(report_tree, rule="sum_mismatch", severity="error")
             if _cells(r)[3] == "2023" and _cells(r)[5] == "1" and _cells(r)[0] == BA_TO]
    cells = _cells(row)
    assert cells[1] == "p.3 · table 3 row 5" and cells[6:8] == ["9.91", "9.39"]
    printed = row.xpath("./td[@class='printed']")[0]
    assert printed.xpath(".//span[@class='label']")[0].text_content() == CRITERION_1
    assert "2023: max 10.5 · score 9.39 · rank 6/13" in printed.text_content()
    # every flag found the row it points at
    assert not report_tree.xpath("//td[contains(@class, 'printed') and contains(@class, 'muted')]")


def test_report_charts_every_unit_across_years(report_tree, sample_run):
    panel = sample_run["panel"]
    for unit in sorted(set(panel["unit"])):
        assert report_tree.xpath(f"//svg[@data-unit='{unit}']"), f"no chart for {unit}"
    [total] = report_tree.xpath("//svg[@data-unit='Ba Tơ'][contains(@class, 'trend-total')]")
    # TOTAL, ASSESSED and SURVEY over four consecutive years: three lines of four points each
    assert len(total.xpath(".//polyline")) == 3 and len(total.xpath(".//circle")) == 12
    tips = [t.text_content() for t in total.xpath(".//circle/title")]
    assert "TOTAL Chỉ số cải cách hành chính · 2023: 83.34" in tips
    assert {"2021", "2022", "2023", "2024"} <= {t.text_content() for t in total.xpath(".//text")}
    [domains] = report_tree.xpath("//svg[@data-unit='Ba Tơ'][contains(@class, 'trend-domains')]")
    assert len(domains.xpath(".//polyline")) == 8  # domains 1..8
    assert "1 Công tác chỉ đạo, điều hành cải cách hành chính · 2023: 9.91" in \
        [t.text_content() for t in domains.xpath(".//circle/title")]
    # a unit with only a domain breakdown says so instead of drawing an empty total chart
    ba_thanh = report_tree.xpath("//div[contains(@class, 'trend')][@data-unit='Ba Thành']")[0]
    assert "no total printed" in ba_thanh.text_content()


def test_report_compares_the_units_of_one_province_in_one_year(report_tree):
    groups = report_tree.xpath("//div[contains(@class, 'compare-group')]")
    lai_chau = [g for g in groups if g.get("data-province") == "Lai Châu" and g.get("data-year") == "2023"]
    assert len(lai_chau) == 1
    rows = [_cells(tr) for tr in lai_chau[0].xpath(".//table[@class='compare']//tr[td]")]
    assert [r[:2] for r in rows] == [["Phong Thổ", "79.27"], ["Tam Đường", "78.12"]]
    assert rows[1][2] == "4/8"
    bars = [t.text_content() for t in lai_chau[0].xpath(".//svg//g[@class='bar']/title")]
    assert bars == ["Phong Thổ: 79.27", "Tam Đường: 78.12"]
    # the groups with most units come first, and the first is the one shown
    sizes = [len(g.xpath(".//table[@class='compare']//tr[td]")) for g in groups]
    assert sizes == sorted(sizes, reverse=True) and sizes[0] >= 2
    options = report_tree.xpath("//select[@id='compare-pick']/option")
    assert len(options) == len(groups) and options[0].get("selected") is not None


def test_report_escapes_printed_text(sample_run):
    obs = sample_run["observations"].copy()
    flags = sample_run["flags"]
    pair = flagged_observations(flags, obs).iloc[0]
    obs.loc[pair["obs_index"], "printed_name"] = '<script>alert("x")</script> & Đ'
    page = build_report(obs, flags, sample_run["documents"], sample_run["panel"])
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Đ" in page
    assert '<script>alert("x")' not in page


# ----------------------------------------------------------------------------- browser

def _chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    pytest.fail("headless browser not found: install Debian chromium (apt-get install -y chromium)")


def _run_chromium(args: list[str], profile: str) -> subprocess.CompletedProcess:
    cmd = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
           "--no-first-run", "--hide-scrollbars", f"--user-data-dir={profile}", *args]
    try:
        return subprocess.run(cmd, capture_output=True, timeout=60, check=True)
    except subprocess.CalledProcessError as exc:
        pytest.fail(f"chromium failed ({exc.returncode}): {exc.stderr.decode(errors='replace')[-2000:]}")
    except subprocess.TimeoutExpired:
        pytest.fail(f"chromium did not finish in 60 s: {' '.join(cmd)}")


def test_report_renders_in_headless_chromium(sample_run):
    from PIL import Image

    ARTIFACTS.mkdir(exist_ok=True)
    page = write_report(sample_run["out"], ARTIFACTS / "report.html")
    url = page.resolve().as_uri()
    with tempfile.TemporaryDirectory() as profile:
        dom = _run_chromium(["--virtual-time-budget=3000", "--dump-dom", url], profile).stdout
        tree = lxml.html.fromstring(dom)
        # the page's script ran: the province picker is shown and exactly one group with it
        assert tree.get("data-js") == "ready"
        assert tree.xpath("//select[@id='compare-pick']")[0].get("hidden") is None
        groups = tree.xpath("//div[contains(@class, 'compare-group')]")
        assert len(groups) > 1 and sum(g.get("hidden") is None for g in groups) == 1
        # the browser parsed every chart and every flag row
        source = lxml.html.fromstring(page.read_bytes())
        assert len(tree.xpath("//svg")) == len(source.xpath("//svg")) >= 2 * sample_run["panel"]["unit"].nunique()
        assert len(_flag_rows(tree)) == len(sample_run["flags"])
        assert "Ba Tơ · PAR_INDEX" in [h.text_content() for h in tree.xpath("//h3")]  # UTF-8 decoded as such

        shot = ARTIFACTS / "report.png"
        shot.unlink(missing_ok=True)
        _run_chromium(["--window-size=1400,2600", f"--screenshot={shot}", url], profile)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 60_000, f"{shot}: {len(data)} bytes"
    image = Image.open(shot).convert("RGB")
    assert image.size == (1400, 2600)
    # the charts were painted: many pixels in the first series colour (#4e79a7), and text
    pixels = np.asarray(image, dtype=int)
    blue = int((np.abs(pixels - (0x4E, 0x79, 0xA7)).max(axis=2) < 12).sum())
    dark = int((pixels.max(axis=2) < 80).sum())
    assert blue > 500 and dark > 5_000, (blue, dark)


# ----------------------------------------------------------------------------- workbook

@pytest.fixture(scope="module")
def workbook(sample_run, tmp_path_factory):
    path = write_xlsx(sample_run["out"], tmp_path_factory.mktemp("xlsx") / "parindex.xlsx")
    return path, load_workbook(path)


def _sheet_rows(ws) -> tuple[list[str], list[tuple]]:
    rows = list(ws.iter_rows())
    return [c.value for c in rows[0]], rows[1:]


def _fill(c) -> str | None:
    return c.fill.start_color.rgb[-6:] if c.fill is not None and c.fill.fill_type == "solid" else None


def test_workbook_has_the_four_tables_with_numbers_as_numbers(workbook, sample_run):
    path, wb = workbook
    assert wb.sheetnames == ["panel", "observations", "flags", "documents"]
    for name in wb.sheetnames:
        ws = wb[name]
        frame = sample_run[name]
        header, rows = _sheet_rows(ws)
        assert header[:len(frame.columns)] == list(frame.columns) and len(rows) == len(frame)
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref == f"A1:{ws.cell(1, len(header)).column_letter}{len(frame) + 1}"
    header, rows = _sheet_rows(wb["observations"])
    col = {h: i for i, h in enumerate(header)}
    [row] = [r for r in rows if r[col["source"]].value == BA_TO and r[col["table"]].value == 1
             and r[col["row"]].value == 5 and r[col["year"]].value == 2023]
    assert row[col["score"]].value == 9.91 and row[col["score"]].data_type == "n"
    assert row[col["rank"]].value == 6 and row[col["rank"]].data_type == "n"
    assert row[col["year"]].data_type == "n" and row[col["code"]].value == "1" and row[col["code"]].data_type == "s"
    assert row[col["unit"]].value == "Ba Tơ"
    widths = wb["observations"].column_dimensions
    assert widths[row[col["printed_name"]].column_letter].width > widths[row[col["page"]].column_letter].width >= 6
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~_umask()
    assert sorted(p.name for p in path.parent.iterdir()) == ["parindex.xlsx"]


def test_workbook_fills_the_rows_flags_point_at(workbook, sample_run):
    _, wb = workbook
    header, rows = _sheet_rows(wb["observations"])
    col = {h: i for i, h in enumerate(header)}

    def at(table, row, year):
        [r] = [r for r in rows if r[col["source"]].value == BA_TO and r[col["table"]].value == table
               and r[col["row"]].value == row and r[col["year"]].value == year and r[col["code"]].value == "1"]
        return r

    detail = at(3, 5, 2023)  # sum_mismatch (error)
    assert detail[col["score"]].value == 9.39
    assert {_fill(c) for c in detail} == {SEVERITY_COLOURS["error"]}
    assert "error sum_mismatch" in detail[col["flags"]].value
    summary = at(1, 5, 2023)  # conflict (warning) with the detail table
    assert {_fill(c) for c in summary} == {SEVERITY_COLOURS["warning"]} and "warning conflict" in summary[col["flags"]].value
    unflagged = at(1, 5, 2021)
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
    [ba_to_1] = [r for r in prows if r[p["unit"]].value == "Ba Tơ" and r[p["year"]].value == 2023
                 and r[p["code"]].value == "1"]
    assert _fill(ba_to_1[0]) == SEVERITY_COLOURS["error"] and "sum_mismatch" in ba_to_1[p["flags"]].value


def test_workbook_keeps_formula_like_text_as_text(sample_run, tmp_path):
    tables = {n: sample_run[n].copy() for n in ("observations", "flags", "documents", "panel")}
    tables["observations"].loc[0, "printed_name"] = "=HYPERLINK(\"http://x\")\x07"
    wb = build_workbook(tables)
    wb.save(tmp_path / "t.xlsx")
    c = load_workbook(tmp_path / "t.xlsx")["observations"].cell(2, list(tables["observations"].columns).index(
        "printed_name") + 1)
    assert c.value == "=HYPERLINK(\"http://x\")" and c.data_type == "s"


# ----------------------------------------------------------------------------- command line

def test_report_and_export_commands(sample_run, tmp_path, capsys):
    assert main(["report", str(sample_run["out"]), "--html", str(tmp_path / "r.html")]) == 0
    assert "Ba Tơ" in (tmp_path / "r.html").read_text(encoding="utf-8")
    assert main(["export", str(sample_run["out"]), "--xlsx", str(tmp_path / "d.xlsx")]) == 0
    assert load_workbook(tmp_path / "d.xlsx").sheetnames == ["panel", "observations", "flags", "documents"]
    out = capsys.readouterr().out
    assert str(tmp_path / "r.html") in out and str(tmp_path / "d.xlsx") in out
    (tmp_path / "empty").mkdir()
    assert main(["report", str(tmp_path / "empty")]) == 2
    assert main(["export", str(tmp_path / "empty"), "--xlsx", str(tmp_path / "e.xlsx")]) == 2
    err = capsys.readouterr().err
    assert err.count(str(tmp_path / "empty" / "observations.parquet")) == 2 and "parindex run" in err
    assert not (tmp_path / "e.xlsx").exists() and not (tmp_path / "empty" / "report.html").exists()


def test_run_quiet_prints_only_errors_and_json_only_the_summary(prefect_harness, tmp_path, capsys):
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(SAMPLES / "002_08e6fc9df459596f.docx", docs / "a.docx")
    (docs / "b.pdf").write_bytes(b"%PDF-1.4 broken")
    assert main(["run", str(docs), "--out", str(tmp_path / "out"), "--quiet"]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"parindex: {docs / 'b.pdf'}: failed: ") and "a.docx" not in captured.err
    assert main(["run", str(docs), "--out", str(tmp_path / "out"), "--json"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    summary = json.loads(captured.out)
    assert [d["status"] for d in summary["documents"]] == ["ok", "failed"]


# ----------------------------------------------------------------------------- Prefect

def test_run_summary_artifact_counts_flags_by_rule_and_severity(sample_run):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["parindex-run-summary"])))
    mine = [a.data for a in artifacts if BA_TO in (a.data or "") and "samples/004_0dbbb814e2b5b046.html" in a.data]
    assert mine, f"no run summary artifact for the samples among {len(artifacts)}"
    flags = sample_run["flags"]
    counts = flags.groupby(["rule", "severity"]).size()
    severities = [s for s in ("error", "warning", "info") if s in set(flags["severity"])]
    for rule in sorted(set(flags["rule"])):
        row = [int(counts.get((rule, s), 0)) for s in severities]
        expected = f"| {rule} | " + " | ".join(map(str, row)) + f" | {sum(row)} |"
        assert any(expected in data for data in mine), expected
    assert any(f"| **total** |" in data and f"| {len(flags)} |" in data for data in mine)
    assert any("| " + BA_TO + " | ok | Ba Tơ | 2021,2022,2023,2024 |" in data for data in mine)


def test_a_failed_write_leaves_the_previous_file(tmp_path):
    from parindex.atomic import write_atomically

    target = tmp_path / "report.html"
    target.write_text("previous", encoding="utf-8")

    def half_then_fail(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write("half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        write_atomically(target, half_then_fail)
    assert target.read_text(encoding="utf-8") == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]
