"""The dataset as one self-contained HTML page for a person to read: documents, flags
beside the printed row they are about, trends per unit, and units of one province side
by side. Inline CSS, SVG and a few lines of JavaScript; nothing is fetched when opened.

Pure functions build the HTML from the four tables; `write_report` reads an output
folder and writes the page atomically.
"""
from __future__ import annotations

import os
import pathlib
from html import escape

import pandas as pd

from normalizer.codes import code_sort_key
from parindex.atomic import write_atomically
from parindex.charts import Line, bar_chart, line_chart, number
from parindex.dataset import read_dataset
from parindex.flagged import SEVERITY_COLOURS, flagged_observations, severity_rank
from schemas.tables import AGGREGATE_CODES, RULES, SEVERITIES

# How each printed value is labelled beside a flag: field -> label.
VALUE_LABELS = (("max_score", "max"), ("score", "score"), ("self_score", "self"), ("target", "target"),
                ("percent", "%"), ("rank", "rank"), ("delta", "Δ"), ("rank_delta", "Δ rank"),
                ("deduction", "deducted"))

CSS = """
:root{--error:#%(error)s;--warning:#%(warning)s;--info:#%(info)s}
body{font-family:system-ui,'Segoe UI',Roboto,'Noto Sans',Arial,sans-serif;margin:0 auto;max-width:1400px;
 padding:0 1.2rem 3rem;color:#222;line-height:1.35}
h1{font-size:1.5rem;margin:1rem 0 .3rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:2px solid #ddd}
h3{font-size:1rem;margin:1.2rem 0 .4rem}nav a{margin-right:1rem}
table{border-collapse:collapse;margin:.4rem 0;font-size:.85rem}
th,td{border:1px solid #ddd;padding:.2rem .45rem;vertical-align:top;text-align:left}
th{background:#f4f4f4;position:sticky;top:0}td.num{text-align:right;font-variant-numeric:tabular-nums}
tr.sev-error td:first-child{border-left:5px solid #c0392b}tr.sev-warning td:first-child{border-left:5px solid #d4a017}
tr.sev-info td:first-child{border-left:5px solid #2e86c1}
.badge{display:inline-block;padding:0 .4rem;border-radius:.6rem;font-size:.8rem}
.error,.failed{background:var(--error)}.warning,.partial{background:var(--warning)}.info{background:var(--info)}
.ok{background:#d4edda}.printed{background:#fafafa}.printed .label{font-weight:600}
.code{font-family:ui-monospace,monospace;background:#eee;padding:0 .25rem;border-radius:.2rem;margin-right:.3rem}
.muted{color:#777}.cards{display:flex;flex-wrap:wrap;gap:1rem}
.card{border:1px solid #ddd;border-radius:.4rem;padding:.5rem .7rem;background:#fff}
.card h3{margin:.2rem 0 .4rem}details>summary{cursor:pointer;margin:.4rem 0}
td.where,table.documents td:not(:last-child){white-space:nowrap}svg.chart{display:block;margin:.3rem 0}select{font-size:1rem;margin:.4rem 0}
""" % SEVERITY_COLOURS

SCRIPT = """
(function () {
  var pick = document.getElementById('compare-pick');
  if (pick) {
    var groups = document.querySelectorAll('.compare-group');
    var show = function () { groups.forEach(function (g) { g.hidden = g.id !== pick.value; }); };
    pick.hidden = false;
    pick.addEventListener('change', show);
    show();
  }
  document.documentElement.setAttribute('data-js', 'ready');
})();
"""


def text(v) -> str:
    """A cell value as text: empty for missing, numbers without trailing zeros."""
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return ""
    if isinstance(v, float):
        return number(v)
    return str(v)


def cell(v, css: str = "") -> str:
    cls = f' class="{css}"' if css else ""
    return f"<td{cls}>{escape(text(v))}</td>"


def where(page, table, row) -> str:
    """Where a number was printed, as a reader looks for it in the source."""
    parts = [f"p.{text(page)}"] if text(page) else []
    if text(table) == "0":
        parts.append(f"sentence ¶{text(row)}")
    elif text(table):
        parts.append(f"table {text(table)} row {text(row)}")
    return " · ".join(parts)


def printed_values(obs: pd.Series) -> str:
    """The values printed in one observation's row, e.g. "max 10.5 · score 9.39 · rank 6/13"."""
    parts = []
    for field, label in VALUE_LABELS:
        value = rank_text(obs) if field == "rank" else text(obs.get(field))
        if value:
            parts.append(f"{label} {value}")
    return " · ".join(parts)


def rank_text(row: pd.Series) -> str:
    """ "6/13", or "6" when the number ranked was not printed; empty without a rank."""
    if not text(row.get("rank")):
        return ""
    return text(row["rank"]) + (f"/{text(row['rank_of'])}" if text(row.get("rank_of")) else "")


def measure(frame: pd.DataFrame) -> str | None:
    """The value field charts use: score, or percent where only percentages are printed
    (SIPAS, DTI)."""
    for field in ("score", "percent"):
        if field in frame and frame[field].notna().any():
            return field
    return None


def domain_codes(codes) -> list[str]:
    """Top-level criterion codes (1..9, I, II), in numbering order."""
    return sorted({c for c in codes if c and "." not in c and c not in AGGREGATE_CODES}, key=code_sort_key)


# --------------------------------------------------------------------------- documents

def documents_section(documents: pd.DataFrame, flags: pd.DataFrame) -> str:
    counts = flags.groupby(["source", "severity"]).size() if len(flags) else pd.Series(dtype="int64")
    head = ("<tr><th>source</th><th>format</th><th>status</th><th>unit</th><th>level</th><th>province</th>"
            "<th>years</th><th>pages</th><th>tables</th><th>observations</th>"
            + "".join(f"<th>{s} flags</th>" for s in SEVERITIES) + "<th>error or note</th></tr>")
    rows = []
    for _, d in documents.iterrows():
        status = text(d["status"])
        sev_cells = "".join(cell(int(counts.get((d["source"], s), 0)), "num") for s in SEVERITIES)
        rows.append(
            f'<tr id="doc-{escape(text(d["document_id"]))}" data-status="{escape(status)}">{cell(d["source"])}'
            f'{cell(d["format"])}<td><span class="badge {escape(status)}">{escape(status)}</span></td>'
            f'{cell(d["unit"])}{cell(d["unit_level"])}{cell(d["province"])}{cell(text(d["years"]).replace(",", ", "))}'
            f'{cell(d["pages"], "num")}{cell(d["tables"], "num")}{cell(d["observations"], "num")}{sev_cells}'
            f'{cell(d["error"])}</tr>')
    not_ok = int((documents["status"] != "ok").sum()) if len(documents) else 0
    return (f'<section id="documents"><h2>Documents</h2><p>{len(documents)} documents, {not_ok} not ok.</p>'
            f'<table class="documents">{head}{"".join(rows)}</table></section>')


# --------------------------------------------------------------------------- flags

def _printed_cell(pairs: pd.DataFrame) -> str:
    if not len(pairs):
        return '<td class="printed muted">not found in observations</td>'
    lines = []
    for _, o in pairs.sort_values(["year"], na_position="first").iterrows():
        code = text(o["printed_code"])
        if not code or code == text(o["printed_name"]) or len(code) > 12:  # a label read into the code column
            code = text(o["code"])
        lines.append(f'<div><span class="code">{escape(code)}</span><span class="label">{escape(text(o["printed_name"]))}'
                     f'</span><br><span class="values">{escape(text(o["year"]))}: {escape(printed_values(o))}</span></div>')
    return f'<td class="printed">{"".join(lines)}</td>'


def flags_section(flags: pd.DataFrame, observations: pd.DataFrame) -> str:
    if not len(flags):
        return '<section id="flags"><h2>Flags</h2><p>No inconsistencies found.</p></section>'
    pairs = flagged_observations(flags, observations)
    by_flag = {fid: grp for fid, grp in pairs.groupby("flag_id")}
    rules = list(RULES) + sorted(set(flags["rule"]) - set(RULES))
    severities = sorted(set(flags["severity"].dropna()), key=severity_rank)
    count = flags.groupby(["rule", "severity"]).size()
    matrix = ["<table class=\"flag-counts\"><tr><th>rule</th>" + "".join(f"<th>{escape(s)}</th>" for s in severities)
              + "</tr>"]
    for rule in rules:
        if rule in set(flags["rule"]):
            matrix.append(f"<tr><td>{escape(rule)}</td>"
                          + "".join(cell(int(count.get((rule, s), 0)) or "", "num") for s in severities) + "</tr>")
    matrix.append("</table>")
    head = ("<tr><th>source</th><th>where</th><th>unit</th><th>year</th><th>framework</th><th>codes</th>"
            "<th>expected</th><th>found</th><th>message</th><th>printed row or sentence</th></tr>")
    groups = []
    for sev in severities:
        for rule in rules:
            grp = flags[(flags["severity"] == sev) & (flags["rule"] == rule)]
            if not len(grp):
                continue
            rows = []
            for _, f in grp.iterrows():
                rows.append(
                    f'<tr class="flag sev-{escape(sev)}" data-flag-id="{escape(text(f["flag_id"]))}" '
                    f'data-rule="{escape(rule)}" data-severity="{escape(sev)}">'
                    f'<td><a href="#doc-{escape(text(f["document_id"]))}">{escape(text(f["source"]))}</a></td>'
                    f'{cell(where(f["page"], f["table"], f["row"]), "where")}{cell(f["unit"])}{cell(f["year"])}'
                    f'{cell(f["framework"])}{cell(f["codes"])}<td class="num expected">{escape(text(f["expected"]))}</td>'
                    f'<td class="num found">{escape(text(f["found"]))}</td>{cell(f["message"])}'
                    f'{_printed_cell(by_flag.get(f["flag_id"], pairs.iloc[0:0]))}</tr>')
            groups.append(f'<details open class="flag-group" data-rule="{escape(rule)}" data-severity="{escape(sev)}">'
                          f'<summary><span class="badge {escape(sev)}">{escape(sev)}</span> <b>{escape(rule)}</b> '
                          f'({len(grp)})</summary><table class="flags">{head}{"".join(rows)}</table></details>')
    return (f'<section id="flags"><h2>Flags</h2><p>{len(flags)} inconsistencies in the printed numbers, by rule and '
            f'severity; beside each, the row or sentence it points at as printed.</p>{"".join(matrix)}'
            f'{"".join(groups)}</section>')


# --------------------------------------------------------------------------- trends

def _lines(frame: pd.DataFrame, codes: list[str], field: str) -> list[Line]:
    lines = []
    for code in codes:
        rows = frame[(frame["code"] == code) & frame[field].notna()]
        if len(rows):
            name = text(rows["criterion_name"].dropna().iloc[0]) if rows["criterion_name"].notna().any() else ""
            lines.append(Line(code, tuple((int(y), float(v)) for y, v in zip(rows["year"], rows[field])), name))
    return lines


def _values_table(frame: pd.DataFrame, codes: list[str], field: str) -> str:
    years = sorted(int(y) for y in frame["year"].dropna().unique())
    rows = []
    for code in codes:
        rows_c = frame[frame["code"] == code]
        if not rows_c[field].notna().any():
            continue
        by_year = dict(zip(rows_c["year"].astype("Int64"), rows_c[field]))
        name = text(rows_c["criterion_name"].dropna().iloc[0]) if rows_c["criterion_name"].notna().any() else ""
        rows.append(f'<tr><td><span class="code">{escape(code)}</span>{escape(name)}</td>'
                    + "".join(cell(by_year.get(y), "num") for y in years) + "</tr>")
    return (f'<details><summary>values ({escape(field)})</summary><table><tr><th>criterion</th>'
            + "".join(f"<th>{y}</th>" for y in years) + f'</tr>{"".join(rows)}</table></details>')


def unit_trend_card(key: tuple, frame: pd.DataFrame) -> str:
    """One unit and framework: its total (with assessed and survey parts) and its domains
    across years, as two line charts and the values behind them."""
    province, unit, level, framework = (text(k) for k in key)
    field = measure(frame)
    title = f"{unit} · {framework}"
    sub = ", ".join(p for p in (level, province) if p)
    if field is None:
        return (f'<div class="card trend" data-unit="{escape(unit)}"><h3>{escape(title)}</h3>'
                f'<p class="muted">{escape(sub)}: no score or percentage printed (only targets or ranks).</p></div>')
    attrs = {"data-unit": unit, "data-framework": framework}
    aggregates = [c for c in AGGREGATE_CODES if c in set(frame["code"])]
    domains = domain_codes(frame["code"].dropna())
    totals = _lines(frame, aggregates, field)
    total_svg = (line_chart(totals, f"{unit} {framework}: total ({field})", css_class="chart trend-total", attrs=attrs)
                 if totals else '<p class="muted">no total printed</p>')
    domain_lines = _lines(frame, domains, field)
    domain_svg = (line_chart(domain_lines, f"{unit} {framework}: domains ({field})", css_class="chart trend-domains",
                             attrs=attrs) if domain_lines else '<p class="muted">no domain scores printed</p>')
    return (f'<div class="card trend" data-unit="{escape(unit)}" data-framework="{escape(framework)}">'
            f'<h3>{escape(title)}</h3><div class="muted">{escape(sub)}</div>{total_svg}{domain_svg}'
            f'{_values_table(frame, aggregates + domains, field)}</div>')


def trends_section(panel: pd.DataFrame) -> str:
    keys = ["province", "unit", "unit_level", "framework"]
    cards = []
    if len(panel):
        for key, frame in panel.groupby(keys, dropna=False, sort=True):
            cards.append(unit_trend_card(key, frame.sort_values(["year", "code"])))
    body = "".join(cards) or "<p>No panel rows.</p>"
    return (f'<section id="trends"><h2>Trends per unit</h2><p>From the panel (one value per unit, year, framework and '
            f'criterion). Lines join consecutive years; a single year shows as points.</p>'
            f'<div class="cards">{body}</div></section>')


# --------------------------------------------------------------------------- comparison

def comparison_groups(panel: pd.DataFrame) -> list[tuple[tuple, pd.DataFrame]]:
    """(province, year, framework, level) groups, most units first: units of one province
    in one year, at one level so their scores are on one scale."""
    keys = ["province", "year", "framework", "unit_level"]
    if not len(panel):
        return []
    groups = [(k, g) for k, g in panel.groupby(keys, dropna=False, sort=True) if measure(g)]
    return sorted(groups, key=lambda kg: (-kg[1]["unit"].nunique(), text(kg[0][0]), -int(kg[0][1] or 0), text(kg[0][2])))


def comparison_block(index: int, key: tuple, frame: pd.DataFrame) -> str:
    province, year, framework, level = (text(k) for k in key)
    field = measure(frame)
    domains = domain_codes(frame["code"].dropna())
    totals = frame[(frame["code"] == "TOTAL") & frame[field].notna()]
    units = sorted(frame["unit"].dropna().unique(),
                   key=lambda u: (-float(totals.loc[totals["unit"] == u, field].max())
                                  if (totals["unit"] == u).any() else float("inf"), u))
    head = ("<tr><th>unit</th><th>TOTAL</th><th>rank</th>"
            + "".join(f'<th title="{escape(text(n))}">{escape(c)}</th>'
                      for c, n in ((c, frame.loc[frame["code"] == c, "criterion_name"].dropna().head(1).tolist() or [""])
                                   for c in domains)) + "</tr>")
    rows = []
    for unit in units:
        u = frame[frame["unit"] == unit].set_index("code")
        total = u.loc["TOTAL"] if "TOTAL" in u.index else None
        rank = rank_text(total) if total is not None else ""
        rows.append(f"<tr>{cell(unit)}{cell(total[field] if total is not None else None, 'num')}{cell(rank, 'num')}"
                    + "".join(cell(u.loc[c, field] if c in u.index else None, "num") for c in domains) + "</tr>")
    title = f"{province} · {year} · {framework} · {level}"
    bars = [(text(r["unit"]), float(r[field])) for _, r in totals.iterrows()]
    chart = (bar_chart(bars, f"TOTAL ({field}), {title}", css_class="chart compare",
                     attrs={"data-province": province, "data-year": year})
             if bars else '<p class="muted">no TOTAL printed for these units</p>')
    return (f'<div class="compare-group card" id="compare-{index}" data-province="{escape(province)}" '
            f'data-year="{escape(year)}"><h3>{escape(title)} ({len(units)} units, {escape(field)})</h3>'
            f'<table class="compare">{head}{"".join(rows)}</table>{chart}</div>')


def comparison_section(panel: pd.DataFrame) -> str:
    groups = comparison_groups(panel)
    if not groups:
        return '<section id="compare"><h2>Units of one province</h2><p>No panel rows.</p></section>'
    options = []
    blocks = []
    for i, (key, frame) in enumerate(groups):
        province, year, framework, level = (text(k) for k in key)
        n = frame["unit"].nunique()
        sel = " selected" if i == 0 else ""
        options.append(f'<option value="compare-{i}"{sel}>{escape(f"{province} · {year} · {framework} · {level}")} '
                       f'({n} unit{"s" if n != 1 else ""})</option>')
        blocks.append(comparison_block(i, key, frame))
    return (f'<section id="compare"><h2>Units of one province in one year</h2>'
            f'<label><select id="compare-pick" hidden>{"".join(options)}</select></label>{"".join(blocks)}</section>')


# --------------------------------------------------------------------------- page

def build_report(observations: pd.DataFrame, flags: pd.DataFrame, documents: pd.DataFrame, panel: pd.DataFrame,
                 title: str = "parindex report") -> str:
    """The whole page as one HTML string (UTF-8, no external resources)."""
    n_units = panel[["province", "unit"]].drop_duplicates().shape[0] if len(panel) else 0
    by_sev = flags["severity"].value_counts().to_dict() if len(flags) else {}
    summary = (f"{len(documents)} documents, {len(observations)} observations, {n_units} units, "
               f"{len(flags)} flags (" + ", ".join(f"{by_sev.get(s, 0)} {s}" for s in SEVERITIES) + ")")
    return ("<!DOCTYPE html>\n"
            f'<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,'
            f'initial-scale=1"><title>{escape(title)}</title><style>{CSS}</style></head><body>'
            f'<h1>{escape(title)}</h1><p class="summary">{escape(summary)}</p>'
            '<nav><a href="#documents">Documents</a><a href="#trends">Trends</a>'
            '<a href="#compare">Units of one province</a><a href="#flags">Flags</a></nav>'
            f"{documents_section(documents, flags)}{trends_section(panel)}{comparison_section(panel)}"
            f"{flags_section(flags, observations)}"
            f"<script>{SCRIPT}</script></body></html>\n")


def write_report(out_dir: str | os.PathLike, path: str | os.PathLike | None = None) -> pathlib.Path:
    """Read the dataset in out_dir and write its report (default out_dir/report.html)."""
    tables = read_dataset(out_dir)
    target = pathlib.Path(path) if path else pathlib.Path(out_dir) / "report.html"
    page = build_report(tables["observations"], tables["flags"], tables["documents"], tables["panel"],
                        title=f"parindex report: {pathlib.Path(out_dir).resolve().name}")

    def write(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            f.write(page)

    return write_atomically(target, write)
