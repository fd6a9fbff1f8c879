"""What a person reads: the HTML report, built from the real flow's run over the samples and
two provincial rankings (departments and districts of Tây Ninh over two years, with the
departments' average), opened in headless Chromium at a desktop's and a phone's width;
and the Prefect run summary."""

from __future__ import annotations

import json
import os
import pathlib
import re
import shutil
import stat
import subprocess
import tempfile
from html import escape

import lxml.html
import numpy as np
import pytest
from conftest import ROOT, read_tables

from parindex.cli import main
from parindex.flag_targets import flagged_observations
from parindex.report import build_report, write_report

BA_TO = "samples/000_65e2608f2289fc53.pdf"
ARTIFACTS = ROOT / "test-artifacts"
CRITERION_1 = "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC"

# Two provincial rankings as a province publishes them: units of two levels with their
# assessed, survey and total scores and rank, and the departments' average (a group).
RANKING_HEAD = ["STT", "Tên đơn vị", "Điểm thẩm định", "Điểm ĐTXHH", "Tổng điểm", "Xếp hạng"]
RANKINGS = {
    "tayninh-2023.html": (
        "Kết quả Chỉ số cải cách hành chính năm 2023 của các sở, ban, ngành tỉnh và UBND huyện, "
        "thị xã, thành phố tỉnh Tây Ninh",
        [
            ["I", "Các sở, ban, ngành tỉnh", "", "", "", ""],
            ["1", "Sở Tư pháp", "60,12", "30,05", "90,17", "1"],
            ["2", "Sở Y tế", "55,00", "30,00", "85,00", "2"],
            ["3", "Sở Nội vụ", "56,00", "27,00", "83,00", "3"],
            ["", "Trung bình các sở", "57,04", "29,02", "86,06", ""],
            ["II", "UBND huyện, thị xã, thành phố", "", "", "", ""],
            ["1", "UBND huyện Châu Thành", "61,00", "31,00", "92,00", "1"],
            ["2", "UBND thị xã Hòa Thành", "59,50", "30,20", "89,70", "2"],
        ],
    ),
    # Sở Nội vụ's 2022 parts add up to 78, its total is printed 80: a flag on its line
    "tayninh-2022.html": (
        "Kết quả Chỉ số cải cách hành chính năm 2022 của các sở, ban, ngành tỉnh Tây Ninh",
        [
            ["I", "Các sở, ban, ngành tỉnh", "", "", "", ""],
            ["1", "Sở Y tế", "56,00", "30,50", "86,50", "1"],
            ["2", "Sở Tư pháp", "55,10", "29,90", "85,00", "2"],
            ["3", "Sở Nội vụ", "50,00", "28,00", "80,00", "3"],
        ],
    ),
}


def _ranking_html(caption: str, rows: list[list[str]]) -> str:
    cells = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in [RANKING_HEAD, *rows])
    return (
        f"<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'><title>{escape(caption)}</title></head>"
        f"<body><p>UBND tỉnh Tây Ninh công bố Chỉ số CCHC.</p><p>{escape(caption)}</p><table border='1'>{cells}"
        f"</table></body></html>"
    )


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.fixture(scope="module")
def units_run(sample_run):
    """The samples' dataset with the two rankings imported into it (an incremental run
    in the samples' folder, so every source is relative to it)."""
    from parindex.flows.ingest import ingest

    work = sample_run["work"]
    (work / "units").mkdir(exist_ok=True)
    for name, (caption, rows) in RANKINGS.items():
        (work / "units" / name).write_text(_ranking_html(caption, rows), encoding="utf-8")
    shutil.copytree(sample_run["out"], work / "out-units", dirs_exist_ok=True)
    cwd = os.getcwd()
    os.chdir(work)
    try:
        ingest(["units"], out="out-units")
    finally:
        os.chdir(cwd)
    return {"work": work, "out": work / "out-units", **read_tables(work / "out-units")}


@pytest.fixture(scope="module")
def report_html(units_run):
    """The report as `parindex report` writes it: in the output folder, in Vietnamese."""
    return write_report(units_run["out"])


@pytest.fixture(scope="module")
def report_tree(report_html):
    return lxml.html.fromstring(report_html.read_bytes())


def _flag_rows(tree, **attrs):
    rows = tree.xpath("//tr[contains(concat(' ', @class, ' '), ' flag ')]")
    return [r for r in rows if all(r.get(f"data-{k}") == v for k, v in attrs.items())]


def _cells(tr) -> list[str]:
    return [td.text_content().strip() for td in tr.xpath("./td")]


def _card(tree, unit: str, framework: str = "PAR_INDEX"):
    [card] = tree.xpath(f"//div[contains(@class, 'trend')][@data-unit='{unit}'][@data-framework='{framework}']")
    return card


def _points(svg) -> dict[tuple[str, str], object]:
    return {(g.get("data-key"), g.get("data-year")): g for g in svg.xpath(".//g[contains(@class, 'point')]")}


# ----------------------------------------------------------------------------- the page


def test_report_is_one_self_contained_utf8_file_in_the_documents_language(report_html, report_tree):
    raw = report_html.read_bytes()
    assert raw.startswith(b"<!DOCTYPE html>") and b'<meta charset="utf-8">' in raw
    assert report_tree.get("lang") == "vi"  # the documents are Vietnamese
    assert "Ba Tơ".encode("utf-8") in raw and "Quảng Ngãi".encode("utf-8") in raw
    # nothing is fetched when it is opened: no external scripts, styles, images or fonts
    assert not report_tree.xpath("//*[@src] | //link | //iframe | //object")
    assert b"url(" not in raw and b"@import" not in raw
    # written atomically with the usual permissions: no temporary file left beside it
    assert not [p.name for p in report_html.parent.iterdir() if p.name.startswith(".report")]
    assert stat.S_IMODE(report_html.stat().st_mode) == 0o666 & ~_umask()


def test_every_link_opens_a_file_relative_to_the_report_and_a_pdf_at_its_page(report_html, report_tree):
    hrefs = [a.get("href") for a in report_tree.xpath("//a[@href]") if not a.get("href").startswith("#")]
    assert len(hrefs) > 500
    for href in set(hrefs):
        path, _, fragment = href.partition("#")
        assert not re.match(r"^[a-z]+:|^/", path), href  # relative: the folder can be zipped and mailed
        assert (report_html.parent / path).resolve().is_file(), href
        assert fragment == "" or (path.endswith(".pdf") and re.fullmatch(r"page=\d+", fragment)), href
    assert "../samples/000_65e2608f2289fc53.pdf#page=3" in hrefs and "../units/tayninh-2022.html" in hrefs
    # a report written elsewhere links from where it is
    elsewhere = report_html.parent.parent / "mail" / "r.html"
    tree = lxml.html.fromstring(write_report(report_html.parent, elsewhere).read_bytes())
    assert "../samples/000_65e2608f2289fc53.pdf#page=3" in {a.get("href") for a in tree.xpath("//a[@href]")}


def test_report_in_english_keeps_english_and_decimal_points(units_run):
    page = build_report(
        units_run["observations"], units_run["flags"], units_run["documents"], units_run["panel"], lang="en"
    )
    tree = lxml.html.fromstring(page)
    assert tree.get("lang") == "en"
    assert [a.text_content() for a in tree.xpath("//nav/a")] == [
        "Documents",
        "Trends",
        "Units of one province",
        "Flags",
    ]
    [total] = tree.xpath("//svg[@data-unit='Ba Tơ'][contains(@class, 'trend-total')]")
    assert _points(total)[("TOTAL", "2023")].get("data-value") == "83.34"


def test_report_summarises_every_document(report_tree, units_run):
    docs = units_run["documents"]
    rows = report_tree.xpath("//table[contains(@class, 'documents')]//tr[@data-status]")
    assert len(rows) == len(docs)
    by_source = {r.get("data-source"): _cells(r) for r in rows}
    ba_to = by_source[BA_TO]
    assert ba_to[0].startswith("000_65e2608f2289fc53.pdf") and ba_to[0].endswith("samples/")
    assert ba_to[1:7] == ["pdf", "đọc được", "Ba Tơ", "cấp huyện", "Quảng Ngãi", "2021, 2022, 2023, 2024"]
    assert ba_to[7:10] == ["7", "3", str(int(docs.set_index("source").loc[BA_TO, "observations"]))]
    flags = units_run["flags"]
    n_errors = int(((flags.source == BA_TO) & (flags.severity == "error")).sum())
    assert n_errors > 0 and ba_to[10] == str(n_errors)
    # a document about many units says how many it names
    assert by_source["units/tayninh-2023.html"][3] == "5 đơn vị"
    # on a phone each row is a card: every cell names its column
    assert all(td.get("data-label") for td in rows[0].xpath("./td"))


# ----------------------------------------------------------------------------- flags


def test_report_shows_each_flag_beside_the_printed_row_with_a_link_to_its_page(report_tree, units_run):
    flags = units_run["flags"]
    rows = _flag_rows(report_tree)
    assert len(rows) == len(flags)
    # grouped by severity and rule, with the count of each group
    for (rule, severity), grp in flags.groupby(["rule", "severity"]):
        group = report_tree.xpath(f"//details[@data-rule='{rule}'][@data-severity='{severity}']")
        assert len(group) == 1 and f"({len(grp)})" in group[0].xpath("./summary")[0].text_content()
        assert len(group[0].xpath(".//tr[@data-flag-id]")) == len(grp)
    sum_group = report_tree.xpath("//details[@data-rule='sum_mismatch'][@data-severity='error']/summary")[0]
    assert "lỗi" in sum_group.text_content() and "các mục con cộng lại khác mục cha" in sum_group.text_content()
    # the detailed table prints 9,39 for criterion 1 in 2023 where its children sum to 9,91
    [row] = [
        r
        for r in _flag_rows(report_tree, rule="sum_mismatch", severity="error")
        if _cells(r)[3] == "2023" and _cells(r)[5] == "1" and r.get("data-source") == BA_TO
    ]
    cells = _cells(row)
    assert cells[1] == "tr. 3 · bảng 3, dòng 5" and cells[6:8] == ["9,91", "9,39"]
    assert {a.get("href") for a in row.xpath(".//a")} == {"../samples/000_65e2608f2289fc53.pdf#page=3"}
    printed = row.xpath("./td[contains(@class, 'printed')]")[0]
    assert printed.xpath(".//span[@class='label']")[0].text_content() == CRITERION_1
    assert "2023: tối đa 10,5 · điểm 9,39 · hạng 6/13" in printed.text_content()
    # every flag found the row it points at
    assert not report_tree.xpath("//td[contains(@class, 'printed') and contains(@class, 'muted')]")
    # a conflict lists the values as printed, in Vietnamese
    conflict = [
        r
        for r in _flag_rows(report_tree, rule="conflict")
        if _cells(r)[2] == "Ba Tơ" and _cells(r)[3] == "2023" and _cells(r)[5] == "TOTAL"
    ]
    assert conflict and _cells(conflict[0])[7] == "83,34 (bảng 1), 65,67 (bảng 3)"


# ----------------------------------------------------------------------------- trends


def test_a_unit_over_years_is_drawn_as_lines_with_flagged_and_disputed_points_marked(report_tree, units_run):
    panel = units_run["panel"]
    units = set(panel.loc[panel["unit_level"] != "group", "unit"])
    for unit in units:
        assert report_tree.xpath(f"//div[contains(@class, 'trend')][@data-unit='{unit}']"), f"no card for {unit}"
    [total] = _card(report_tree, "Ba Tơ").xpath(".//svg[contains(@class, 'trend-total')]")
    # TOTAL, ASSESSED and SURVEY over four consecutive years: three lines of four points each
    assert len(total.xpath(".//line[contains(@class, 'series')]")) == 9 and len(_points(total)) == 12
    # printed 83,34 in the summary table and 65,67 in the detailed one: ringed, the other value hollow
    point = _points(total)[("TOTAL", "2023")]
    assert point.get("class").split() == ["point", "flagged", "sev-warning", "disputed"]
    assert point.get("data-value") == "83,34" and point.get("data-others") == "65.67"
    assert point.get("data-rules") == "conflict"
    assert point.xpath("./circle[@class='flag-ring']") and point.xpath("./circle[@class='other-value']")
    tip = point.xpath("./title")[0].text_content()
    assert tip.splitlines() == [
        "Ba Tơ · Chỉ số cải cách hành chính · 2023: 83,34",
        "In tại: 000_65e2608f2289fc53.pdf · tr. 1 · bảng 1, dòng 3",
        "Cũng in: 65,67 (000_65e2608f2289fc53.pdf · tr. 3 · bảng 3, dòng 3)",
        "Sai lệch: cảnh báo · cùng một giá trị được in khác nhau (conflict)",
    ]
    assert point.getparent().get("href") == "../samples/000_65e2608f2289fc53.pdf#page=1"
    assert "flagged" not in _points(total)[("TOTAL", "2021")].get("class")
    # domains named in the legend, from the catalog
    domains = _card(report_tree, "Ba Tơ").xpath(".//svg[contains(@class, 'trend-domains')]")[0]
    legend = [li.text_content() for li in domains.getnext().xpath("./li")]
    assert len(legend) == 8 and legend[0] == "1. Công tác chỉ đạo, điều hành cải cách hành chính"


def test_values_table_links_each_value_and_shows_the_other_printed_values(report_tree):
    table = _card(report_tree, "Ba Tơ").xpath(".//table[@class='values']")[0]
    [cell] = [
        td
        for td in table.xpath(".//td[@data-label='2023']")
        if td.getparent().xpath("./td")[0].text_content() == "Chỉ số cải cách hành chính"
    ]
    assert "flagged" in cell.get("class") and "disputed" in cell.get("class")
    assert cell.xpath("./a")[0].text_content() == "83,34" and cell.xpath(".//span[contains(@class, 'flag-glyph')]")
    assert cell.xpath("./div[@class='also']")[0].text_content() == "cũng in: 65,67"
    assert "In tại: 000_65e2608f2289fc53.pdf · tr. 1 · bảng 1, dòng 3" in cell.get("title")


def test_a_single_year_is_a_labelled_bar_chart(report_tree):
    card = _card(report_tree, "Ba Thành")
    assert "không in tổng điểm" in card.text_content()  # a domain breakdown only
    [bars] = card.xpath(".//svg[contains(@class, 'bars')][contains(@class, 'trend-domains')]")
    labels = [g.get("data-label") for g in bars.xpath(".//g[contains(@class, 'bar')]")]
    assert len(labels) == 8 and labels[0] == "1. Công tác chỉ đạo, điều hành cải cách hành chính"
    first = bars.xpath(".//g[contains(@class, 'bar')]")[0]
    assert "flagged" in first.get("class") and first.get("data-rules") == "score_above_max"
    assert [t.text_content() for t in first.xpath(".//text[@class='bar-value']")] == ["6,73 / 11,5 ⚑"]


def test_a_department_over_years_is_one_line_with_its_flag(report_tree):
    card = _card(report_tree, "Sở Nội vụ")
    assert card.get("data-level") == "department" and card.get("data-province") == "Tây Ninh"
    [total] = card.xpath(".//svg[contains(@class, 'trend-total')]")
    points = _points(total)
    assert sorted(points) == sorted((c, y) for c in ("TOTAL", "ASSESSED", "SURVEY") for y in ("2022", "2023"))
    assert points[("TOTAL", "2022")].get("data-value") == "80,00"
    assert "sev-error" in points[("TOTAL", "2022")].get("class")  # its parts add up to 78
    assert points[("TOTAL", "2022")].get("data-rules") == "total_mismatch"
    assert "flagged" not in points[("TOTAL", "2023")].get("class")
    # a group is a group: its own card, marked so, not a unit
    group = _card(report_tree, "Trung bình các sở")
    assert "group" in group.get("class").split() and group.get("data-level") == "group"


# ----------------------------------------------------------------------------- comparison


def _compare_groups(tree, **attrs):
    groups = tree.xpath("//div[contains(@class, 'compare-group')]")
    return [g for g in groups if all(g.get(f"data-{k}") == v for k, v in attrs.items())]


def test_units_of_one_province_and_year_side_by_side_with_their_group(report_tree):
    [departments] = _compare_groups(report_tree, province="Tây Ninh", year="2023", level="department")
    rows = departments.xpath(".//table[@class='compare']//tr[td]")
    assert [_cells(r)[:3] for r in rows] == [
        ["Sở Tư pháp", "90,17", "1/3"],
        ["Sở Y tế", "85,00", "2/3"],
        ["Sở Nội vụ", "83,00", "3/3"],
        ["Trung bình các sở (nhóm)", "86,06", ""],
    ]
    assert rows[-1].get("class") == "group"
    bars = departments.xpath(".//svg//g[contains(@class, 'bar')]")
    assert [(b.get("data-label"), b.get("data-value")) for b in bars] == [
        ("Sở Tư pháp", "90,17"),
        ("Trung bình các sở", "86,06"),
        ("Sở Y tế", "85,00"),
        ("Sở Nội vụ", "83,00"),
    ]
    assert "group" in bars[1].get("class").split()
    [districts] = _compare_groups(report_tree, province="Tây Ninh", year="2023", level="district")
    assert [_cells(r)[0] for r in districts.xpath(".//table[@class='compare']//tr[td]")] == [
        "Châu Thành",
        "Hòa Thành",
        "Trung bình các sở (nhóm)",
    ]
    # the sample districts of Lai Châu in 2023: Phong Thổ's note quotes 79,27, its table sums to 79,24
    [lai_chau] = _compare_groups(report_tree, province="Lai Châu", year="2023")
    assert [_cells(r)[:3] for r in lai_chau.xpath(".//table[@class='compare']//tr[td]")] == [
        ["Phong Thổ", "79,27 ⚑cũng in: 79,24", ""],
        ["Tam Đường", "78,12", "4/8"],
    ]
    # the groups with most units come first, and the first is the one shown
    groups = _compare_groups(report_tree)
    sizes = [len(g.xpath(".//table[@class='compare']//tr[td][not(@class='group')]")) for g in groups]
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
    cmd = [
        _chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        *args,
    ]
    try:
        return subprocess.run(cmd, capture_output=True, timeout=90, check=True)
    except subprocess.CalledProcessError as exc:
        pytest.fail(f"chromium failed ({exc.returncode}): {exc.stderr.decode(errors='replace')[-2000:]}")
    except subprocess.TimeoutExpired:
        pytest.fail(f"chromium did not finish in 90 s: {' '.join(cmd)}")


# Measured inside the page once it has laid out, and handed to the page around it.
PROBE = """<script>
(function () {
  var html = document.documentElement, docs = document.querySelector('table.documents');
  var box = docs.parentNode, row = docs.querySelector('tbody tr');
  parent.postMessage(JSON.stringify({
    lang: html.lang, js: html.getAttribute('data-js'), width: window.innerWidth, scrollWidth: html.scrollWidth,
    height: html.scrollHeight, docsFit: box.scrollWidth <= box.clientWidth,
    rowDisplay: getComputedStyle(row).display, flagged: document.querySelectorAll('g.point.flagged').length,
    shownGroups: document.querySelectorAll('.compare-group:not([hidden])').length
  }), '*');
})();
</script>"""


def _frame(path: pathlib.Path, src: str, width: int, height: int) -> pathlib.Path:
    """A page showing `src` in a frame `width` CSS pixels wide (a Chromium window is at
    least 500 px wide), which records what the framed page measures."""
    path.write_text(
        f"<!DOCTYPE html><html><body style='margin:0'><iframe src='{src}' style='border:0;"
        f"width:{width}px;height:{height}px;display:block'></iframe><script>addEventListener('message',"
        f"function (e) {{ document.documentElement.setAttribute('data-probe', e.data); }});</script>"
        f"</body></html>",
        encoding="utf-8",
    )
    return path


def _measure(page: pathlib.Path, width: int, profile: str, tmp: pathlib.Path) -> dict:
    probe = tmp / f"probe-{width}.html"
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"), encoding="utf-8")
    frame = _frame(tmp / f"frame-{width}.html", probe.as_uri(), width, 1200)
    dom = _run_chromium(
        [f"--window-size={max(width, 500)},1200", "--virtual-time-budget=5000", "--dump-dom", frame.as_uri()], profile
    ).stdout
    found = lxml.html.fromstring(dom).get("data-probe")
    assert found, f"the page at {width} px reported nothing"
    return json.loads(found)


def _screenshot(page: pathlib.Path, width: int, height: int, shot: pathlib.Path, profile: str, tmp: pathlib.Path):
    from PIL import Image

    shot.unlink(missing_ok=True)
    frame = _frame(tmp / f"shot-{width}.html", page.as_uri(), width, height)
    _run_chromium(
        [
            f"--window-size={max(width, 500)},{height}",
            "--virtual-time-budget=5000",
            f"--screenshot={shot}",
            frame.as_uri(),
        ],
        profile,
    )
    image = Image.open(shot).convert("RGB").crop((0, 0, width, height))
    image.save(shot)
    return np.asarray(image, dtype=int)


def _painted(pixels, colour: tuple[int, int, int]) -> int:
    return int((np.abs(pixels - colour).max(axis=2) < 12).sum())


def test_report_renders_at_a_desktops_and_a_phones_width(units_run, tmp_path):
    """Screenshots kept in test-artifacts/: report-1400.png, report-400.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    page = write_report(units_run["out"], ARTIFACTS / "report.html")
    with tempfile.TemporaryDirectory() as profile:
        wide = _measure(page, 1400, profile, tmp_path)
        phone = _measure(page, 400, profile, tmp_path)
        desktop = _screenshot(page, 1400, 2600, ARTIFACTS / "report-1400.png", profile, tmp_path)
        small = _screenshot(page, 400, 3000, ARTIFACTS / "report-400.png", profile, tmp_path)
    for m in (wide, phone):
        assert m["lang"] == "vi" and m["js"] == "ready" and m["shownGroups"] == 1
        # the page never scrolls sideways; flagged points are in the page as drawn
        assert m["scrollWidth"] <= m["width"], m
        assert m["flagged"] >= 4, m
    assert (wide["width"], phone["width"]) == (1400, 400)
    # at 1400 px the documents table fits without a cut column; at 400 px each row is a card
    assert wide["docsFit"] and wide["rowDisplay"] == "table-row", wide
    assert phone["rowDisplay"] == "flex", phone
    # both screenshots were painted: text, and the first series colour (#4e79a7) in the charts
    assert (ARTIFACTS / "report-1400.png").stat().st_size > 60_000
    assert int((desktop.max(axis=2) < 80).sum()) > 5_000 and int((small.max(axis=2) < 80).sum()) > 2_000
    assert small.shape[:2] == (3000, 400) and _painted(desktop, (0x4E, 0x79, 0xA7)) > 500


def test_a_flagged_point_is_in_the_browsers_page(units_run):
    page = ARTIFACTS / "report.html"
    if not page.exists():
        page = write_report(units_run["out"], ARTIFACTS / "report.html")
    with tempfile.TemporaryDirectory() as profile:
        dom = _run_chromium(["--virtual-time-budget=3000", "--dump-dom", page.resolve().as_uri()], profile).stdout
    tree = lxml.html.fromstring(dom)
    assert tree.get("lang") == "vi" and tree.get("data-js") == "ready"
    [point] = [
        g
        for g in tree.xpath("//svg[@data-unit='Ba Tơ'][contains(@class, 'trend-total')]//g[contains(@class, 'point')]")
        if g.get("data-key") == "TOTAL" and g.get("data-year") == "2023"
    ]
    assert "flagged" in point.get("class") and point.xpath("./circle[@class='flag-ring']")
    assert len(_flag_rows(tree)) == len(units_run["flags"])
    assert len(tree.xpath("//svg")) == len(lxml.html.fromstring(page.read_bytes()).xpath("//svg"))


# ----------------------------------------------------------------------------- command line


def test_report_command_writes_the_report_in_the_language_asked(units_run, tmp_path, capsys):
    assert main(["report", str(units_run["out"]), "--html", str(tmp_path / "r.html"), "--lang", "en"]) == 0
    tree = lxml.html.fromstring((tmp_path / "r.html").read_bytes())
    assert tree.get("lang") == "en" and tree.xpath("//h2")[0].text_content() == "Documents"
    assert str(tmp_path / "r.html") in capsys.readouterr().out
    (tmp_path / "empty").mkdir()
    assert main(["report", str(tmp_path / "empty")]) == 2
    err = capsys.readouterr().err
    assert str(tmp_path / "empty" / "observations.parquet") in err and "parindex run" in err
    assert not (tmp_path / "empty" / "report.html").exists()
    with pytest.raises(SystemExit):
        main(["report", str(units_run["out"]), "--lang", "fr"])


# ----------------------------------------------------------------------------- Prefect


def test_run_summary_artifact_counts_flags_by_rule_and_severity(sample_run):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["parindex-run-summary"]))
        )
    mine = [a.data for a in artifacts if BA_TO in (a.data or "") and "samples/004_0dbbb814e2b5b046.html" in a.data]
    assert mine, f"no run summary artifact for the samples among {len(artifacts)}"
    flags = sample_run["flags"]
    counts = flags.groupby(["rule", "severity"]).size()
    severities = [s for s in ("error", "warning", "info") if s in set(flags["severity"])]
    for rule in sorted(set(flags["rule"])):
        row = [int(counts.get((rule, s), 0)) for s in severities]
        expected = f"| {rule} | " + " | ".join(map(str, row)) + f" | {sum(row)} |"
        assert any(expected in data for data in mine), expected
    assert any("| **total** |" in data and f"| {len(flags)} |" in data for data in mine)
    assert any("| " + BA_TO + " | ok | Ba Tơ | 2021,2022,2023,2024 |" in data for data in mine)


def test_a_failed_write_leaves_the_previous_file(tmp_path):
    from parindex.writer.commit import write_atomically

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
