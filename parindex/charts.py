"""Small inline SVG charts (line and bar) as strings: no JavaScript, no network, no
plotting library. Every label is HTML-escaped; every point carries a <title> tooltip."""
from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

# Tableau 10: distinct on screen and in print.
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
           "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac")
LEGEND_ITEM = 76  # px per legend entry
FONT = "font-family:system-ui,'Segoe UI',Roboto,'Noto Sans',Arial,sans-serif;font-size:11px"


@dataclass(frozen=True)
class Line:
    """One series: a short label for the legend, a longer name for tooltips, and
    (year, value) points."""

    label: str
    points: tuple[tuple[int, float], ...]
    name: str = ""


def number(v: float) -> str:
    """A value as printed in charts and tables: at most 4 decimals, no trailing zeros."""
    text = f"{float(v):.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def nice_ceiling(v: float) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10^k at or above v (the top of a value axis)."""
    if v <= 0:
        return 1.0
    base = 10 ** math.floor(math.log10(v))
    for step in (1, 2, 2.5, 5, 10):
        if v <= step * base + 1e-9:
            return step * base
    return 10 * base


def _runs(points: list[tuple[int, float]]) -> list[list[tuple[int, float]]]:
    """Consecutive years joined; a missing year breaks the line rather than bridging it."""
    runs: list[list[tuple[int, float]]] = []
    for p in points:
        if runs and p[0] == runs[-1][-1][0] + 1:
            runs[-1].append(p)
        else:
            runs.append([p])
    return runs


def line_chart(lines: list[Line], title: str, *, width: int = 380, height: int = 210,
               css_class: str = "chart", attrs: dict[str, str] | None = None) -> str:
    """Values by year, one coloured line per series, a y axis from 0 and a legend."""
    lines = [ln for ln in lines if ln.points]
    years = sorted({y for ln in lines for y, _ in ln.points})
    top = nice_ceiling(max((v for ln in lines for _, v in ln.points), default=1.0))
    bottom = min(0.0, min((v for ln in lines for _, v in ln.points), default=0.0))
    legend_rows = math.ceil(len(lines) / max(1, (width - 40) // LEGEND_ITEM)) if lines else 0
    left, right, top_pad, plot_h = 40, 12, 22, height - 22 - 24
    total_h = top_pad + plot_h + 24 + 16 * legend_rows
    plot_w = width - left - right

    def x(year: int) -> float:  # years inset from the axes so their labels fit
        if len(years) == 1:
            return left + plot_w / 2
        return left + 16 + (year - years[0]) / (years[-1] - years[0]) * (plot_w - 32)

    def y(value: float) -> float:
        return top_pad + plot_h - (value - bottom) / (top - bottom) * plot_h

    extra = "".join(f' {escape(k)}="{escape(v)}"' for k, v in (attrs or {}).items())
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="{escape(css_class)}"{extra} width="{width}" '
           f'height="{total_h}" viewBox="0 0 {width} {total_h}" role="img" aria-label="{escape(title)}" style="{FONT}">',
           f"<title>{escape(title)}</title>",
           f'<text x="{left}" y="14" font-weight="600">{escape(title)}</text>']
    for i in range(5):
        v = bottom + (top - bottom) * i / 4
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#e3e3e3"/>'
                   f'<text x="{left - 4}" y="{y(v) + 4:.1f}" text-anchor="end" fill="#555">{number(v)}</text>')
    for year in years:
        out.append(f'<text x="{x(year):.1f}" y="{top_pad + plot_h + 15}" text-anchor="middle" fill="#555">{year}</text>')
    if not lines:
        out.append(f'<text x="{left + plot_w / 2:.1f}" y="{top_pad + plot_h / 2:.1f}" text-anchor="middle" '
                   f'fill="#888">no values</text>')
    for i, ln in enumerate(lines):
        colour = PALETTE[i % len(PALETTE)]
        points = sorted(ln.points)
        for run in _runs(points):
            if len(run) > 1:
                coords = " ".join(f"{x(yr):.1f},{y(v):.1f}" for yr, v in run)
                out.append(f'<polyline class="series" points="{coords}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for yr, v in points:
            tip = f"{ln.label} {ln.name} · {yr}: {number(v)}".replace("  ", " ")
            out.append(f'<circle class="point" cx="{x(yr):.1f}" cy="{y(v):.1f}" r="3.2" fill="{colour}">'
                       f"<title>{escape(tip)}</title></circle>")
    per_row = max(1, (width - 40) // LEGEND_ITEM)
    for i, ln in enumerate(lines):
        colour = PALETTE[i % len(PALETTE)]
        lx = left + (i % per_row) * LEGEND_ITEM
        ly = top_pad + plot_h + 30 + 16 * (i // per_row)
        out.append(f'<g class="legend"><title>{escape((ln.label + " " + ln.name).strip())}</title>'
                   f'<rect x="{lx}" y="{ly - 8}" width="10" height="10" fill="{colour}"/>'
                   f'<text x="{lx + 14}" y="{ly + 1}">{escape(ln.label[:10])}</text></g>')
    out.append("</svg>")
    return "".join(out)


def bar_chart(bars: list[tuple[str, float]], title: str, *, width: int = 460, bar_height: int = 20,
              css_class: str = "chart", attrs: dict[str, str] | None = None) -> str:
    """Horizontal bars, one per label, largest first, each with its value printed."""
    bars = sorted(bars, key=lambda b: (-b[1], b[0]))
    label_w, right, top_pad = 130, 50, 24
    height = top_pad + bar_height * max(1, len(bars)) + 8
    top = nice_ceiling(max((v for _, v in bars), default=1.0))
    plot_w = width - label_w - right
    extra = "".join(f' {escape(k)}="{escape(v)}"' for k, v in (attrs or {}).items())
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="{escape(css_class)}"{extra} width="{width}" '
           f'height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" style="{FONT}">',
           f"<title>{escape(title)}</title>",
           f'<text x="4" y="14" font-weight="600">{escape(title)}</text>']
    if not bars:
        out.append(f'<text x="{width / 2:.1f}" y="{top_pad + 12}" text-anchor="middle" fill="#888">no values</text>')
    for i, (label, value) in enumerate(bars):
        yy = top_pad + i * bar_height
        w = max(0.0, value) / top * plot_w
        out.append(f'<g class="bar"><title>{escape(label)}: {number(value)}</title>'
                   f'<text x="{label_w - 6}" y="{yy + bar_height * 0.65:.1f}" text-anchor="end">{escape(label)}</text>'
                   f'<rect x="{label_w}" y="{yy + 3}" width="{w:.1f}" height="{bar_height - 6}" '
                   f'fill="{PALETTE[0]}"/>'
                   f'<text x="{label_w + w + 4:.1f}" y="{yy + bar_height * 0.65:.1f}">{number(value)}</text></g>')
    out.append("</svg>")
    return "".join(out)
