"""The dataset as one self-contained HTML page for a person to read: documents, trends
per unit, units of one province side by side, and flags beside the printed row they are
about. Inline CSS, SVG and a few lines of JavaScript; nothing is fetched when opened.

Every value shown names where it was printed (file, page, table, row) and links to the
file at that page, relative to the report so the folder can be zipped and mailed; a
flagged or disputed value is marked where it is drawn. Labels and numbers follow the
reader's language (`parindex.labels`): Vietnamese by default for Vietnamese documents.

Pure functions build the HTML from the four tables; `write_report` reads an output
folder and writes the page atomically.
"""

from __future__ import annotations

import os
import pathlib
from dataclasses import dataclass
from html import escape

import pandas as pd

from parindex.audit import RULES, report_order
from parindex.charts import Bar, Mark, Point, Series, bar_chart, legend, line_chart
from parindex.flag_targets import flagged_observations, severity_rank
from parindex.labels import Labels, detect_language, missing, sort_key
from parindex.report_sources import Origin, SourceLinks, ValueOrigins, where_text
from parindex.report_style import CSS, SCRIPT
from parindex.schemas.columns import AGGREGATE_CODES, GROUP_LEVEL, SEVERITIES, VALUE_FIELDS
from parindex.vietnamese.codes import code_sort_key
from parindex.writer.commit import write_atomically
from parindex.writer.read import read_dataset

# Levels whose units are compared within their province; the others (provinces,
# ministries) are compared across the country.
PROVINCIAL_LEVELS = ("department", "district", "commune")
LEVEL_ORDER = ("province", "ministry", "department", "district", "commune", GROUP_LEVEL)


@dataclass
class Context:
    """What every section needs: the reader's labels, links to the files, and where each
    panel value was printed."""

    labels: Labels
    links: SourceLinks
    origins: ValueOrigins


def text(v) -> str:
    return "" if missing(v) else str(v)


def td(content: str, label: str = "", css: str = "", attrs: str = "") -> str:
    """A cell (content already HTML), with the column's name for the phone layout."""
    cls = f' class="{css}"' if css else ""
    data = f' data-label="{escape(label)}"' if label else ""
    return f"<td{cls}{data}{attrs}>{content}</td>"


def head(labels: list[str], numeric: set[int] = frozenset(), titles: dict[int, str] | None = None) -> str:
    """A table's header row; `numeric` columns are right-aligned, `titles` shown on hover."""
    cells = []
    for i, h in enumerate(labels):
        cls = ' class="num"' if i in numeric else ""
        tip = f' title="{escape(titles[i])}"' if titles and i in titles else ""
        cells.append(f"<th{cls}{tip}>{escape(h)}</th>")
    return f"<thead><tr>{''.join(cells)}</tr></thead>"


Row = dict  # a panel row: column -> value, None when missing


def panel_rows(panel: pd.DataFrame) -> list[Row]:
    """The panel rows the report draws (totals, their parts and domains; not the
    sub-criteria), as dicts: read once, then grouped and looked up without pandas."""
    if not len(panel):
        return []
    shown = panel[~panel["code"].fillna(".").str.contains(".", regex=False)]
    columns = list(shown.columns)
    return [
        dict(zip(columns, (None if missing(v) else v for v in values)))
        for values in shown.itertuples(index=False, name=None)
    ]


def group_rows(rows: list[Row], *keys: str) -> dict[tuple, list[Row]]:
    groups: dict[tuple, list[Row]] = {}
    for r in rows:
        groups.setdefault(tuple(r.get(k) for k in keys), []).append(r)
    return groups


def measure(rows: list[Row]) -> str | None:
    """The value field charts use: score, or percent where only percentages are printed
    (SIPAS, DTI)."""
    for field in ("score", "percent"):
        if any(r.get(field) is not None for r in rows):
            return field
    return None


# The values table also lists the measure the charts do not draw, for the years that
# print only that one (a percentage one year, a score another).
OTHER_MEASURE = {"score": ("percent",), "percent": ("score",)}


def domain_codes(codes) -> list[str]:
    """Top-level criterion codes (1..9, I, II), in numbering order."""
    return sorted({c for c in codes if c and "." not in c and c not in AGGREGATE_CODES}, key=code_sort_key)


def aggregate_codes(rows: list[Row]) -> list[str]:
    present = {r["code"] for r in rows}
    return [c for c in AGGREGATE_CODES if c in present]


def criterion_label(rows: list[Row], code: str) -> str:
    """A criterion as a legend names it: the catalog's name ("1. Công tác chỉ đạo …"),
    the code alone when the catalog has none; aggregates by their name only."""
    name = next((str(r["criterion_name"]) for r in rows if r["code"] == code and r.get("criterion_name")), "")
    if code in AGGREGATE_CODES:
        return name or code
    return f"{code}. {name}" if name else code


def with_value(rows: list[Row], code: str, field: str) -> list[Row]:
    """The rows of one criterion that print `field`, by year."""
    return sorted((r for r in rows if r["code"] == code and r.get(field) is not None), key=lambda r: r["year"])


def file_link(ctx: Context, source, page=None, content: str | None = None) -> str:
    href = ctx.links.href(source, page)
    shown = escape(content if content is not None else pathlib.PurePath(text(source)).name)
    return f'<a href="{escape(href)}" title="{escape(text(source))}">{shown}</a>' if href else shown


# --------------------------------------------------------------------------- values and their origin


def where_full(ctx: Context, source, page, table, row) -> str:
    where = where_text(ctx.labels, page, table, row)
    return pathlib.PurePath(text(source)).name + (f" · {where}" if where else "")


INTEGER_FIELDS = ("rank", "rank_of", "rank_delta")


def formatter(L: Labels, field: str):
    """How a field's values are written: whole numbers for ranks, two decimals otherwise."""
    return (lambda v: str(int(v))) if field in INTEGER_FIELDS else L.value


def value_tip(ctx: Context, heading: str, value: str, origin: Origin, fmt) -> str:
    """A value's tooltip: itself, where it was printed, other values printed, its flags."""
    L = ctx.labels
    lines = [f"{heading}: {value}"]
    if origin.printed:
        p = origin.printed
        lines.append(L("value.source", where=where_full(ctx, p.source, p.page, p.table, p.row)))
    if origin.others:
        lines.append(
            L(
                "value.also",
                values="; ".join(
                    f"{fmt(o.value)} ({where_full(ctx, o.source, o.page, o.table, o.row)})" for o in origin.others
                ),
            )
        )
    if origin.flags:
        lines.append(
            L(
                "value.flags",
                flags="; ".join(f"{L.severity(f.severity)} · {L.rule(f.rule)} ({f.rule})" for f in origin.flags),
            )
        )
    return "\n".join(lines)


def value_mark(ctx: Context, row: pd.Series, field: str, heading: str) -> Mark:
    """The tooltip, link, flags and other printed values of one panel value."""
    origin = ctx.origins.origin(row, field)
    printed = origin.printed
    href = ctx.links.href(printed.source, printed.page) if printed else ctx.links.href(row.get("chosen_source"))
    shown = rank_text(row) if field == "rank" else ctx.labels.value(row[field])
    return Mark(
        tip=value_tip(ctx, heading, shown, origin, formatter(ctx.labels, field)),
        href=href,
        severity=origin.severity,
        rules=",".join(dict.fromkeys(f.rule for f in origin.flags)),
        others=tuple(o.value for o in origin.others),
    )


def value_cell(ctx: Context, row: pd.Series | None, field: str, heading: str, label: str = "") -> str:
    """A table cell with a value linked to where it was printed, ⚑ when flagged, and the
    other values printed for it beneath. A rank shows as "6/13"."""
    if row is None or missing(row.get(field)):
        return td("", label, "num")
    mark = value_mark(ctx, row, field, heading)
    L = ctx.labels
    shown = escape(rank_text(row) if field == "rank" else L.value(row[field]))
    body = f'<a href="{escape(mark.href)}">{shown}</a>' if mark.href else shown
    if mark.severity:
        body += f' <span class="flag-glyph sev-{escape(mark.severity)}">⚑</span>'
    if mark.others:
        body += (
            f'<div class="also">{escape(L("value.also_short"))}: '
            f"{escape(', '.join(formatter(L, field)(v) for v in mark.others))}</div>"
        )
    css = (
        "num value" + (f" flagged sev-{mark.severity}" if mark.severity else "") + (" disputed" if mark.others else "")
    )
    extra = f' title="{escape(mark.tip)}"' + (f' data-rules="{escape(mark.rules)}"' if mark.rules else "")
    return td(body, label, css, extra)


def rank_text(row) -> str:
    """ "6/13", or "6" when the number ranked was not printed; empty without a rank."""
    if row is None or missing(row.get("rank")):
        return ""
    return f"{int(row['rank'])}" + ("" if missing(row.get("rank_of")) else f"/{int(row['rank_of'])}")


def printed_values(L: Labels, obs) -> str:
    """The values printed in one observation's row: "tối đa 10,5 · điểm 9,39 · hạng 6/13"."""
    parts = []
    for field in VALUE_FIELDS:
        if field == "rank_of" or missing(obs.get(field)):
            continue
        value = (
            rank_text(obs)
            if field == "rank"
            else L.short(obs[field])
            if field == "max_score"
            else str(int(obs[field]))
            if field == "rank_delta"
            else L.value(obs[field])
        )
        parts.append(f"{L.field(field)} {value}")
    return " · ".join(parts)


# --------------------------------------------------------------------------- documents


def _units_per_source(observations: pd.DataFrame) -> dict:
    if not len(observations):
        return {}
    named = observations[observations["unit_level"].fillna("") != GROUP_LEVEL]
    return named.groupby("source")["unit"].nunique().to_dict()


def document_row(ctx: Context, d: pd.Series, counts, n_units: dict) -> str:
    L = ctx.labels
    status = text(d["status"])
    source = text(d["source"])
    folder = str(pathlib.PurePath(source).parent)
    file_cell = file_link(ctx, source) + (f'<div class="muted path">{escape(folder)}/</div>' if folder != "." else "")
    unit = escape(text(d["unit"])) or (
        f'<span class="muted">{escape(L("compare.units", n=n_units[source]))}</span>'
        if n_units.get(source, 0) > 1
        else ""
    )
    sev_cells = "".join(
        td(L.count(n), L("col.flags_of", severity=L.severity(s)), "num" + ("" if n else " zero"))
        for s in SEVERITIES
        for n in [int(counts.get((d["source"], s), 0))]
    )
    years = escape(text(d["years"]).replace(",", ", "))
    return (
        f'<tr id="doc-{escape(text(d["document_id"]))}" data-status="{escape(status)}" '
        f'data-source="{escape(source)}">'
        + td(file_cell, L("col.file"), "file")
        + td(escape(text(d["format"])), L("col.format"))
        + td(f'<span class="badge {escape(status)}">{escape(L.status(status))}</span>', L("col.status"))
        + td(unit, L("col.unit"))
        + td(escape(L.level(d["unit_level"])), L("col.level"))
        + td(escape(text(d["province"])), L("col.province"))
        + td(years, L("col.years"))
        + "".join(td(L.count(d[c]), L(f"col.{c}"), "num") for c in ("pages", "tables"))
        + td(L.count(d["observations"]), L("col.values"), "num")
        + sev_cells
        + td(escape(text(d["error"])), L("col.note"), "note")
        + "</tr>"
    )


def documents_section(ctx: Context, documents: pd.DataFrame, flags: pd.DataFrame, observations: pd.DataFrame) -> str:
    L = ctx.labels
    counts = flags.groupby(["source", "severity"]).size() if len(flags) else pd.Series(dtype="int64")
    n_units = _units_per_source(observations)
    columns = [
        L("col.file"),
        L("col.format"),
        L("col.status"),
        L("col.unit"),
        L("col.level"),
        L("col.province"),
        L("col.years"),
        L("col.pages"),
        L("col.tables"),
        L("col.values"),
        *(L("col.flags_of", severity=L.severity(s)) for s in SEVERITIES),
        L("col.note"),
    ]
    rows = "".join(document_row(ctx, d, counts, n_units) for _, d in documents.iterrows())
    not_ok = int((documents["status"] != "ok").sum()) if len(documents) else 0
    return (
        f'<section id="documents"><h2>{escape(L("documents.title"))}</h2>'
        f"<p>{escape(L('documents.count', n=L.count(len(documents)), not_ok=L.count(not_ok)))}</p>"
        f'<div class="table-box"><table class="documents stack">{head(columns, set(range(7, 13)))}'
        f"<tbody>{rows}</tbody></table></div></section>"
    )


# --------------------------------------------------------------------------- flags


def _printed_cell(L: Labels, pairs: pd.DataFrame) -> str:
    label = L("col.printed")
    if not len(pairs):
        return td(escape(L("flags.not_found")), label, "printed muted")
    lines = []
    for _, o in pairs.sort_values(["year"], na_position="first").iterrows():
        code = text(o["printed_code"])
        if not code or code == text(o["printed_name"]) or len(code) > 12:  # a label read into the code column
            code = text(o["code"])
        lines.append(
            f'<div><span class="code">{escape(code)}</span><span class="label">{escape(text(o["printed_name"]))}'
            f'</span><br><span class="values">{escape(text(o["year"]))}: {escape(printed_values(L, o))}'
            f"</span></div>"
        )
    return td("".join(lines), label, "printed")


def flag_row(ctx: Context, f: pd.Series, pairs: pd.DataFrame) -> str:
    L = ctx.labels
    sev, rule = text(f["severity"]), text(f["rule"])
    where = where_text(L, f["page"], f["table"], f["row"])
    return (
        f'<tr id="flag-{escape(text(f["flag_id"]))}" class="flag sev-{escape(sev)}" '
        f'data-flag-id="{escape(text(f["flag_id"]))}" data-rule="{escape(rule)}" data-severity="{escape(sev)}" '
        f'data-source="{escape(text(f["source"]))}">'
        + td(file_link(ctx, f["source"], f["page"]), L("col.file"), "file")
        + td(file_link(ctx, f["source"], f["page"], where) if where else "", L("col.where"), "where")
        + td(escape(text(f["unit"])), L("col.unit"))
        + td(escape(text(f["year"])), L("col.year"))
        + td(escape(L.framework(f["framework"])), L("col.framework"))
        + td(escape(text(f["codes"])), L("col.codes"))
        + td(escape(L.numbers_in(f["expected"])), L("col.expected"), "num expected")
        + td(escape(L.numbers_in(f["found"])), L("col.found"), "num found")
        + td(escape(text(f["message"])), L("col.message"), "message small")
        + _printed_cell(L, pairs)
        + "</tr>"
    )


def _flag_counts(L: Labels, flags: pd.DataFrame, rules: list[str], severities: list[str]) -> str:
    count = flags.groupby(["rule", "severity"]).size()
    rows = "".join(
        f'<tr><td data-label="{escape(L("col.rule"))}">{escape(L.rule(rule))} <span class="code">{escape(rule)}</span>'
        f"</td>"
        + "".join(
            td(L.count(int(count.get((rule, s), 0))) if count.get((rule, s), 0) else "", L.severity(s), "num")
            for s in severities
        )
        + "</tr>"
        for rule in rules
    )
    return (
        f'<div class="table-box"><table class="flag-counts">'
        f"{head([L('col.rule'), *(L.severity(s) for s in severities)], set(range(1, 1 + len(severities))))}"
        f"<tbody>{rows}</tbody></table></div>"
    )


def flags_section(ctx: Context, flags: pd.DataFrame, observations: pd.DataFrame) -> str:
    L = ctx.labels
    if not len(flags):
        return f'<section id="flags"><h2>{escape(L("flags.title"))}</h2><p>{escape(L("flags.none"))}</p></section>'
    pairs = flagged_observations(flags, observations)
    by_flag = {fid: grp for fid, grp in pairs.groupby("flag_id")}
    present = set(flags["rule"])
    rules = [r for r in report_order() if r in present] + sorted(present - set(RULES))
    severities = sorted(set(flags["severity"].dropna()), key=severity_rank)
    columns = [
        L("col.file"),
        L("col.where"),
        L("col.unit"),
        L("col.year"),
        L("col.framework"),
        L("col.codes"),
        L("col.expected"),
        L("col.found"),
        L("col.message"),
        L("col.printed"),
    ]
    groups = []
    for sev in severities:
        for rule in rules:
            grp = flags[(flags["severity"] == sev) & (flags["rule"] == rule)]
            if not len(grp):
                continue
            rows = "".join(flag_row(ctx, f, by_flag.get(f["flag_id"], pairs.iloc[0:0])) for _, f in grp.iterrows())
            groups.append(
                f'<details open class="flag-group" data-rule="{escape(rule)}" data-severity="{escape(sev)}">'
                f'<summary><span class="badge {escape(sev)}">{escape(L.severity(sev))}</span> '
                f'<b>{escape(L.rule(rule))}</b> <span class="code">{escape(rule)}</span> ({len(grp)})'
                f'</summary><div class="table-box"><table class="flags stack">{head(columns, {6, 7})}'
                f"<tbody>{rows}</tbody></table></div></details>"
            )
    return (
        f'<section id="flags"><h2>{escape(L("flags.title"))}</h2>'
        f"<p>{escape(L('flags.intro', n=L.count(len(flags))))}</p>{_flag_counts(L, flags, rules, severities)}"
        f"{''.join(groups)}</section>"
    )


# --------------------------------------------------------------------------- trends


def _series(ctx: Context, unit: str, rows: list[Row], codes: list[str], field: str) -> list[Series]:
    series = []
    for code in codes:
        label = criterion_label(rows, code)
        points = tuple(
            Point(int(r["year"]), float(r[field]), value_mark(ctx, r, field, f"{unit} · {label} · {r['year']}"))
            for r in with_value(rows, code, field)
        )
        if points:
            series.append(Series(code, label, points))
    return series


def _bars(ctx: Context, unit: str, rows: list[Row], codes: list[str], field: str) -> list[Bar]:
    bars = []
    for code in codes:
        for r in with_value(rows, code, field)[:1]:
            label = criterion_label(rows, code)
            maximum = float(r["max_score"]) if field == "score" and r.get("max_score") is not None else None
            bars.append(
                Bar(label, float(r[field]), value_mark(ctx, r, field, f"{unit} · {label} · {r['year']}"), maximum)
            )
    return bars


def _values_table(ctx: Context, unit: str, rows: list[Row], codes: list[str], fields: list[str]) -> str:
    """One row per criterion and field (its measure, then the other fields asked for where
    printed, named), one column per year."""
    L = ctx.labels
    years = sorted({int(r["year"]) for r in rows})
    lines = []
    for code in codes:
        for field in fields:
            by_year = {int(r["year"]): r for r in with_value(rows, code, field)}
            if not by_year:
                continue
            shown = criterion_label(rows, code) + ("" if field == fields[0] else f" · {L.field(field)}")
            lines.append(
                f'<tr><td data-label="{escape(L("col.criterion"))}">{escape(shown)}</td>'
                + "".join(value_cell(ctx, by_year.get(y), field, f"{unit} · {shown} · {y}", str(y)) for y in years)
                + "</tr>"
            )
    return (
        f'<div class="table-box"><table class="values">'
        f"{head([L('col.criterion'), *map(str, years)], set(range(1, len(years) + 1)))}"
        f"<tbody>{''.join(lines)}</tbody></table></div>"
    )


def _trend_charts(ctx: Context, names: dict, rows: list[Row], field: str, attrs: dict) -> str:
    """Lines when the unit has several years, labelled bars for a single year: its total
    (with assessed and survey parts), then its domains. A missing total is said; missing
    domains only where the unit has something besides its total."""
    L = ctx.labels
    years = sorted({int(r["year"]) for r in rows if r.get(field) is not None})
    unit = names["unit"]
    parts = []
    domains = domain_codes(r["code"] for r in rows)
    for kind, codes, css in (("total", aggregate_codes(rows), "trend-total"), ("domains", domains, "trend-domains")):
        title = L(f"trends.{kind}", measure=names["measure"]) + ("" if len(years) > 1 else f" · {years[0]}")
        name = f"{unit} · {names['framework']}: {title}"
        if len(years) > 1:
            series = _series(ctx, unit, rows, codes, field)
            chart = (
                line_chart(series, title, L.value, L.short, name=name, css_class=f"chart {css}", attrs=attrs)
                + legend(series)
                if series
                else ""
            )
        else:
            bars = _bars(ctx, unit, rows, codes, field)
            chart = (
                bar_chart(
                    bars,
                    title,
                    L.value,
                    name=name,
                    fmt_max=L.short,
                    css_class=f"chart bars {css}",
                    attrs=attrs,
                    sort=False,
                    also=L("value.also_short"),
                )
                if bars
                else ""
            )
        if not chart and (kind == "total" or domains):
            chart = f'<p class="muted small">{escape(L("trends.no_" + kind))}</p>'
        parts.append(chart)
    return "".join(parts)


def unit_card(ctx: Context, key: tuple, rows: list[Row]) -> str:
    """One unit and framework: its total (with assessed and survey parts) and its domains,
    as lines across years or bars for a single year, and the values behind them."""
    L = ctx.labels
    province, unit, level, framework = (text(k) for k in key)
    field = measure(rows)
    sub = " · ".join(p for p in (L.level(level), place(L, province, level)) if p)
    css = "card trend" + (" group" if level == GROUP_LEVEL else "")
    search = f"{unit} {province}"
    opening = (
        f'<div class="{css}" data-unit="{escape(unit)}" data-framework="{escape(framework)}" '
        f'data-level="{escape(level)}" data-province="{escape(province)}" data-search="{escape(search)}">'
        f'<h3>{escape(unit)} · {escape(L.framework(framework))}</h3><div class="muted small">{escape(sub)}</div>'
    )
    codes = aggregate_codes(rows) + domain_codes(r["code"] for r in rows)
    if field is None:  # only ranks or targets: those, as printed
        fields = [
            f for f in ("rank", "target", "percent", "delta", "rank_delta") if any(r.get(f) is not None for r in rows)
        ]
        return (
            opening
            + f'<p class="muted small">{escape(L("trends.no_measure"))}</p>'
            + _values_table(ctx, unit, rows, codes, fields)
            + "</div>"
        )
    names = {"unit": unit, "framework": L.framework(framework), "measure": L(f"measure.{field}")}
    attrs = {"data-unit": unit, "data-framework": framework}
    return (
        opening
        + _trend_charts(ctx, names, rows, field, attrs)
        + f'<details class="values"><summary>{escape(L("trends.values", measure=names["measure"]))}</summary>'
        + _values_table(ctx, unit, rows, codes, [field, *OTHER_MEASURE[field], "rank"])
        + "</details></div>"
    )


def place(L: Labels, province, level) -> str:
    """Where a unit sits: its province; the country for a group of no province; nothing
    for a ministry; "province unknown" otherwise."""
    if not missing(province) and str(province):
        return str(province)
    if level == "ministry":
        return ""
    return L("compare.national") if level == GROUP_LEVEL else L("trends.no_province")


def _card_order(key: tuple) -> tuple:
    province, unit, level, framework = (text(k) for k in key)
    rank = LEVEL_ORDER.index(level) if level in LEVEL_ORDER else len(LEVEL_ORDER)
    return province == "", sort_key(province), rank, sort_key(unit), framework


def trends_section(ctx: Context, rows: list[Row]) -> str:
    """A card per unit and framework, by province (units of no province last), level and
    name; a search box filters them."""
    L = ctx.labels
    units = group_rows(rows, "province", "unit", "unit_level", "framework")
    cards = [unit_card(ctx, k, units[k]) for k in sorted(units, key=_card_order)]
    body = f'<div class="cards">{"".join(cards)}</div>' if cards else f"<p>{escape(L('no_panel'))}</p>"
    return (
        f'<section id="trends"><h2>{escape(L("trends.title"))}</h2><p>{escape(L("trends.intro"))}</p>'
        f'<input type="search" id="trend-filter" hidden placeholder="{escape(L("trends.filter"))}" '
        f'aria-label="{escape(L("trends.filter"))}">{body}</section>'
    )


# --------------------------------------------------------------------------- comparison


def scope_of(province, level) -> str:
    """What a unit is compared within: its province, or the country ("") for provinces,
    ministries and units of no known province."""
    return text(province) if level in PROVINCIAL_LEVELS or level == GROUP_LEVEL else ""


def comparison_groups(rows: list[Row]) -> list[tuple[tuple, list[Row], list[Row]]]:
    """(scope, year, framework, level) groups of units, most units first, each with the
    groups (averages) of its scope, year and framework beside it."""
    scoped = [{**r, "scope": scope_of(r.get("province"), r.get("unit_level"))} for r in rows]
    averages = group_rows([r for r in scoped if r.get("unit_level") == GROUP_LEVEL], "scope", "year", "framework")
    units = group_rows(
        [r for r in scoped if r.get("unit_level") != GROUP_LEVEL], "scope", "year", "framework", "unit_level"
    )
    out = [(key, members, averages.get(key[:3], [])) for key, members in units.items() if measure(members)]
    return sorted(
        out,
        key=lambda kg: (
            -len({r["unit"] for r in kg[1]}),
            sort_key(kg[0][0]),
            -int(kg[0][1] or 0),
            text(kg[0][2]),
            text(kg[0][3]),
        ),
    )


def _comparison_row(
    ctx: Context, unit: str, rows: list[Row], field: str, domains: list[str], group: bool, ranked: bool
) -> str:
    L = ctx.labels
    by_code = {r["code"]: r for r in rows}
    total = by_code.get("TOTAL")
    name = escape(unit) + (f' <span class="muted small">({escape(L("group"))})</span>' if group else "")
    return ('<tr class="group">' if group else "<tr>") + (
        td(name, L("col.unit"))
        + value_cell(ctx, total, field, f"{unit} · TOTAL", L("col.total"))
        + (td(escape(rank_text(total)), L("col.rank"), "num") if ranked else "")
        + "".join(value_cell(ctx, by_code.get(c), field, f"{unit} · {c}", c) for c in domains)
        + "</tr>"
    )


def _comparison_title(L: Labels, key: tuple) -> str:
    scope, year, framework, level = (text(k) for k in key)
    return " · ".join([scope or L("compare.national"), year, L.framework(framework), L.level(level)])


def _total_bars(ctx: Context, rows: list[Row], field: str, group: bool) -> list[Bar]:
    return [
        Bar(text(r["unit"]), float(r[field]), value_mark(ctx, r, field, f"{r['unit']} · TOTAL"), group=group)
        for r in rows
        if r["code"] == "TOTAL" and r.get(field) is not None
    ]


def comparison_block(ctx: Context, index: int, key: tuple, rows: list[Row], averages: list[Row]) -> str:
    L = ctx.labels
    field = measure(rows)
    domains = domain_codes(r["code"] for r in rows)
    best: dict = {}
    for r in with_value(rows, "TOTAL", field):
        best[r["unit"]] = max(best.get(r["unit"], float("-inf")), float(r[field]))
    by_unit = group_rows(rows, "unit")
    units = sorted((u for (u,) in by_unit if u), key=lambda u: (u not in best, -best.get(u, 0), sort_key(u)))
    ranked = any(r.get("rank") is not None for r in rows if r["code"] == "TOTAL")
    columns = head(
        [L("col.unit"), L("col.total"), *([L("col.rank")] if ranked else []), *domains],
        set(range(1, 3 + len(domains))),  # a domain's name on hover of its code
        {2 + ranked + i: criterion_label(rows, c) for i, c in enumerate(domains)},
    )
    lines = [_comparison_row(ctx, u, by_unit[(u,)], field, domains, False, ranked) for u in units]
    by_group = group_rows(averages, "unit")
    lines += [
        _comparison_row(ctx, g, by_group[(g,)], field, domains, True, ranked)
        for g in sorted((g for (g,) in by_group if g), key=sort_key)
    ]
    title = _comparison_title(L, key)
    bars = _total_bars(ctx, rows, field, False) + _total_bars(ctx, averages, field, True)
    chart = bar_chart(
        bars,
        L("compare.chart", measure=L(f"measure.{field}"), title=title),
        L.value,
        css_class="chart compare",
        attrs={"data-scope": text(key[0]), "data-year": text(key[1])},
        empty=L("compare.no_total"),
        also=L("value.also_short"),
    )
    return (
        f'<div class="compare-group card" id="compare-{index}" data-province="{escape(text(key[0]))}" '
        f'data-year="{escape(text(key[1]))}" data-level="{escape(text(key[3]))}">'
        f"<h3>{escape(title)} ({escape(L('compare.units', n=len(units)))}, {escape(L('measure.' + field))})</h3>"
        f'<div class="side-by-side"><div class="table-box"><table class="compare">{columns}'
        f"<tbody>{''.join(lines)}</tbody></table></div>{chart}</div></div>"
    )


def comparison_section(ctx: Context, rows: list[Row]) -> str:
    L = ctx.labels
    groups = comparison_groups(rows)
    heading = f'<section id="compare"><h2>{escape(L("compare.title"))}</h2><p>{escape(L("compare.intro"))}</p>'
    if not groups:
        return heading + f"<p>{escape(L('compare.none'))}</p></section>"
    options, blocks = [], []
    for i, (key, members, averages) in enumerate(groups):
        n = len({r["unit"] for r in members})
        sel = " selected" if i == 0 else ""
        options.append(
            f'<option value="compare-{i}"{sel}>{escape(_comparison_title(L, key))} '
            f"({escape(L('compare.units', n=n))})</option>"
        )
        blocks.append(comparison_block(ctx, i, key, members, averages))
    return (
        heading + f'<label>{escape(L("compare.pick"))} <select id="compare-pick" hidden>{"".join(options)}'
        f"</select></label>{''.join(blocks)}</section>"
    )


# --------------------------------------------------------------------------- page


def report_language(observations: pd.DataFrame, documents: pd.DataFrame) -> str:
    """Vietnamese when the documents print Vietnamese names, English otherwise."""
    columns = [observations.get("printed_name"), observations.get("unit"), documents.get("province")]
    return detect_language(*(c for c in columns if c is not None))


def page_summary(L: Labels, observations, flags, documents, panel) -> str:
    units = panel[panel["unit_level"] != GROUP_LEVEL] if len(panel) else panel
    n_units = units[["province", "unit"]].drop_duplicates().shape[0] if len(units) else 0
    by_sev = flags["severity"].value_counts().to_dict() if len(flags) else {}
    return L(
        "summary",
        documents=L.count(len(documents)),
        values=L.count(len(observations)),
        units=L.count(n_units),
        flags=L.count(len(flags)),
        **{s: L.count(by_sev.get(s, 0)) for s in SEVERITIES},
    )


def build_report(
    observations: pd.DataFrame,
    flags: pd.DataFrame,
    documents: pd.DataFrame,
    panel: pd.DataFrame,
    title: str | None = None,
    lang: str | None = None,
    links: SourceLinks | None = None,
) -> str:
    """The whole page as one HTML string (UTF-8, no external resources). `lang` "vi" or
    "en" (default: the documents' language); `links` makes file links relative to where
    the page will be (default: the current folder)."""
    L = Labels(lang or report_language(observations, documents))
    formats = dict(zip(documents["source"], documents["format"])) if len(documents) else {}
    ctx = Context(L, links or SourceLinks(os.getcwd(), formats=formats), ValueOrigins(observations, flags))
    rows = panel_rows(panel)
    title = title or L("title", name="")
    nav = "".join(
        f'<a href="#{anchor}">{escape(L("nav." + anchor))}</a>'
        for anchor in ("documents", "trends", "compare", "flags")
    )
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{L.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,'
        f'initial-scale=1"><title>{escape(title)}</title><style>{CSS}</style></head><body>'
        f'<h1>{escape(title)}</h1><p class="summary">{escape(page_summary(L, observations, flags, documents, panel))}'
        f"</p><nav>{nav}</nav>"
        f"{documents_section(ctx, documents, flags, observations)}{trends_section(ctx, rows)}"
        f"{comparison_section(ctx, rows)}{flags_section(ctx, flags, observations)}"
        f"<script>{SCRIPT}</script></body></html>\n"
    )


def write_report(
    out_dir: str | os.PathLike, path: str | os.PathLike | None = None, lang: str | None = None
) -> pathlib.Path:
    """Read the dataset in out_dir and write its report (default out_dir/report.html)."""
    tables = read_dataset(out_dir)
    target = pathlib.Path(path) if path else pathlib.Path(out_dir) / "report.html"
    docs = tables["documents"]
    links = SourceLinks(target.resolve().parent, out_dir, dict(zip(docs["source"], docs["format"])))
    lang = lang or report_language(tables["observations"], docs)
    page = build_report(
        tables["observations"],
        tables["flags"],
        docs,
        tables["panel"],
        title=Labels(lang)("title", name=pathlib.Path(out_dir).resolve().name),
        lang=lang,
        links=links,
    )

    def write(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            f.write(page)

    return write_atomically(target, write)
