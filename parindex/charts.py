"""Small inline SVG charts as strings: no JavaScript, no network, no plotting library.

Two kinds, for what a reader of the reports asks:
- `line_chart`: values of several series across years (a unit's total and its parts,
  or its domains). A point carrying a flag is ringed in its severity's colour; another
  value printed for the same year is drawn as a hollow point joined to it.
- `bar_chart`: labelled horizontal bars, the label above each bar and the value after it
  (a unit's domains in a single year, or the units of one province). A bar carrying a
  flag is outlined and marked ⚑; group rows (averages) are grey and not ranked.

Every point and bar carries a <title> tooltip and, when known, a link to where it was
printed; every label is HTML-escaped. The SVGs scale to their container's width, and
`legend` writes a line chart's legend as HTML so long names wrap.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape
from typing import Callable

from parindex.flag_targets import MARK_COLOURS

# Tableau 10: distinct on screen and in print.
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac")
GROUP_COLOUR = "#a5a5a5"
FONT = "font-family:system-ui,'Segoe UI',Roboto,'Noto Sans',Arial,sans-serif;font-size:11px"
LABEL_CHARS = 62  # a bar's label is cut here (the whole label is in its tooltip)

Format = Callable[[float], str]


@dataclass(frozen=True)
class Mark:
    """What a value carries besides itself: a tooltip, a link, its flags, other values
    printed for it."""

    tip: str = ""
    href: str = ""
    severity: str = ""  # the worst flag's severity, "" when not flagged
    rules: str = ""  # the flags' rules, comma separated
    others: tuple[float, ...] = ()


@dataclass(frozen=True)
class Point:
    year: int
    value: float
    mark: Mark = Mark()


@dataclass(frozen=True)
class Series:
    """One line: a key (the criterion code), its legend text and its points."""

    key: str
    label: str
    points: tuple[Point, ...]


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    mark: Mark = Mark()
    maximum: float | None = None  # the bar's scale when each bar has its own maximum
    group: bool = False


def nice_ceiling(v: float) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10^k at or above v (the top of a value axis)."""
    if v <= 0:
        return 1.0
    base = 10 ** math.floor(math.log10(v))
    for step in (1, 2, 2.5, 5, 10):
        if v <= step * base + 1e-9:
            return step * base
    return 10 * base


def ticks(top: float, bottom: float = 0.0) -> list[float]:
    """Axis ticks from bottom to top: five steps when a fifth is a round number (0, 20,
    40 … 100), else four (0, 5, 10, 15, 20)."""
    span = top - bottom
    fifth = span / 5
    base = 10 ** math.floor(math.log10(fifth)) if fifth > 0 else 1
    n = 5 if any(abs(fifth - m * base) < 1e-9 for m in (1, 2, 5)) else 4
    return [bottom + span * i / n for i in range(n + 1)]


def _segments(points: list[Point]) -> list[tuple[Point, Point, bool]]:
    """Each pair of neighbouring points, and whether years are missing between them
    (drawn dashed: the trend goes on, but nothing was printed for those years)."""
    return [(a, b, b.year - a.year > 1) for a, b in zip(points, points[1:])]


def _attrs(attrs: dict[str, str] | None) -> str:
    return "".join(f' {escape(k)}="{escape(str(v))}"' for k, v in (attrs or {}).items())


def _open_svg(css_class: str, attrs: dict | None, width: int, height: int, title: str, name: str) -> list[str]:
    """The svg element, named in full (`name`) for screen readers and on hover, and its
    visible title."""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{escape(css_class)}"{_attrs(attrs)} width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(name)}" '
        f'style="{FONT};max-width:{width}px">',
        f"<title>{escape(name)}</title>",
        f'<text x="4" y="14" font-weight="600">{escape(title)}</text>',
    ]


def _marked(mark: Mark, base_class: str, data: dict[str, str], body: str) -> str:
    """An element group with its flags as classes and data attributes, its tooltip and
    its link."""
    classes = (
        [base_class]
        + ([f"flagged sev-{mark.severity}"] if mark.severity else [])
        + (["disputed"] if mark.others else [])
    )
    extra = dict(data)
    if mark.rules:
        extra["data-rules"] = mark.rules
    if mark.others:
        extra["data-others"] = " ".join(f"{v:g}" for v in mark.others)
    group = f'<g class="{" ".join(classes)}"{_attrs(extra)}><title>{escape(mark.tip)}</title>{body}</g>'
    return f'<a href="{escape(mark.href)}">{group}</a>' if mark.href else group


def line_chart(
    series: list[Series],
    title: str,
    fmt: Format,
    tick: Format,
    *,
    name: str = "",
    width: int = 380,
    height: int = 190,
    css_class: str = "chart",
    attrs: dict[str, str] | None = None,
) -> str:
    """Values by year, one coloured line per series, a y axis from 0. `name` names the
    chart in full (default: its title)."""
    series = [s for s in series if s.points]
    values = [v for s in series for p in s.points for v in (p.value, *p.mark.others)]
    years = sorted({p.year for s in series for p in s.points})
    top = nice_ceiling(max(values, default=1.0))
    bottom = min(0.0, min(values, default=0.0))
    left, right, top_pad, bottom_pad = 40, 14, 22, 22
    plot_w, plot_h = width - left - right, height - top_pad - bottom_pad

    def x(year: int) -> float:  # years inset from the axes so their labels fit
        if len(years) == 1:
            return left + plot_w / 2
        return left + 18 + (year - years[0]) / (years[-1] - years[0]) * (plot_w - 36)

    def y(value: float) -> float:
        return top_pad + plot_h - (value - bottom) / (top - bottom) * plot_h

    out = _open_svg(css_class, attrs, width, height, title, name or title)
    for v in ticks(top, bottom):
        out.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#e3e3e3"/>'
            f'<text x="{left - 4}" y="{y(v) + 4:.1f}" text-anchor="end" fill="#555">{escape(tick(v))}</text>'
        )
    for year in years:
        out.append(f'<text x="{x(year):.1f}" y="{height - 6}" text-anchor="middle" fill="#555">{year}</text>')
    labelled = len(series) <= 3 and len(years) <= 8  # few points: each value written beside it
    for i, s in enumerate(series):
        colour = PALETTE[i % len(PALETTE)]
        points = sorted(s.points, key=lambda p: p.year)
        for a, b, gap in _segments(points):
            dash = ' stroke-dasharray="4 3" stroke-width="1.2"' if gap else ' stroke-width="2"'
            out.append(
                f'<line class="series{" gap" if gap else ""}" data-key="{escape(s.key)}" x1="{x(a.year):.1f}" '
                f'y1="{y(a.value):.1f}" x2="{x(b.year):.1f}" y2="{y(b.value):.1f}" stroke="{colour}"{dash}/>'
            )
        out += [_point(p, s.key, colour, x(p.year), y, fmt) for p in points]
        if labelled:
            out += [
                f'<text class="value-label" x="{x(p.year):.1f}" y="{y(p.value) - 7:.1f}" text-anchor="middle" '
                f'fill="#333">{escape(fmt(p.value))}</text>'
                for p in points
            ]
    out.append("</svg>")
    return "".join(out)


def _point(p: Point, key: str, colour: str, cx: float, y: Callable[[float], float], fmt: Format) -> str:
    body = []
    for other in p.mark.others:  # the other values printed for this year, hollow
        body.append(
            f'<line class="other-link" x1="{cx:.1f}" x2="{cx:.1f}" y1="{y(p.value):.1f}" y2="{y(other):.1f}" '
            f'stroke="{colour}" stroke-dasharray="2 2"/><circle class="other-value" cx="{cx:.1f}" '
            f'cy="{y(other):.1f}" r="3.2" fill="#fff" stroke="{colour}" stroke-width="1.5"/>'
        )
    if p.mark.severity:
        body.append(
            f'<circle class="flag-ring" cx="{cx:.1f}" cy="{y(p.value):.1f}" r="7" fill="none" '
            f'stroke="{MARK_COLOURS.get(p.mark.severity, "#555")}" stroke-width="2"/>'
        )
    body.append(f'<circle class="dot" cx="{cx:.1f}" cy="{y(p.value):.1f}" r="3.4" fill="{colour}"/>')
    return _marked(
        p.mark, "point", {"data-key": key, "data-year": str(p.year), "data-value": fmt(p.value)}, "".join(body)
    )


def legend(series: list[Series]) -> str:
    """A line chart's legend as an HTML list, in the chart's colours; names wrap."""
    items = [
        f'<li data-key="{escape(s.key)}"><span class="swatch" style="background:{PALETTE[i % len(PALETTE)]}">'
        f"</span>{escape(s.label)}</li>"
        for i, s in enumerate(s for s in series if s.points)
    ]
    return f'<ul class="legend">{"".join(items)}</ul>' if items else ""


def _cut(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def bar_chart(
    bars: list[Bar],
    title: str,
    fmt: Format,
    *,
    name: str = "",
    fmt_max: Format | None = None,
    width: int = 380,
    css_class: str = "chart",
    attrs: dict[str, str] | None = None,
    sort: bool = True,
    empty: str = "",
    also: str = "also",
) -> str:
    """Horizontal bars, each with its label above it and its value after it; largest
    first when `sort`. Bars that all have a maximum are drawn against it (a light track
    the length of the maximum), others against a common axis. Other values printed for
    a bar are ticked on it and listed after its label, introduced by `also`."""
    if sort:
        bars = sorted(bars, key=lambda b: (-b.value, b.label))
    own_scale = bool(bars) and all(b.maximum for b in bars)
    top = nice_ceiling(max((v for b in bars for v in (b.value, *b.mark.others)), default=1.0))
    left, value_w, row_h, top_pad = 4, 96, 32, 24
    plot_w = width - left - value_w
    height = top_pad + row_h * max(1, len(bars)) + 4
    out = _open_svg(css_class, attrs, width, height, title, name or title)
    if not bars:
        out.append(f'<text x="{left}" y="{top_pad + 14}" fill="#888">{escape(empty)}</text>')
    for i, b in enumerate(bars):
        yy = top_pad + i * row_h
        scale = (b.maximum if own_scale else top) or top
        w = max(0.0, b.value) / scale * plot_w
        colour = GROUP_COLOUR if b.group else PALETTE[0]
        italic = ' font-style="italic"' if b.group else ""
        others = (
            f'<tspan class="also" fill="#666"> · {escape(also)} {escape(", ".join(fmt(v) for v in b.mark.others))}'
            f"</tspan>"
            if b.mark.others
            else ""
        )
        label = _cut(b.label) if not others else _cut(b.label)[: LABEL_CHARS - 24]
        body = [f'<text class="bar-label" x="{left}" y="{yy + 10}"{italic}>{escape(label)}{others}</text>']
        if own_scale:
            body.append(f'<rect class="track" x="{left}" y="{yy + 14}" width="{plot_w}" height="12" fill="#eef1f5"/>')
        stroke = f' stroke="{MARK_COLOURS.get(b.mark.severity, "#555")}" stroke-width="2"' if b.mark.severity else ""
        body.append(f'<rect x="{left}" y="{yy + 14}" width="{w:.1f}" height="12" fill="{colour}"{stroke}/>')
        for other in b.mark.others:
            ox = left + max(0.0, other) / scale * plot_w
            body.append(
                f'<line class="other-value" x1="{ox:.1f}" x2="{ox:.1f}" y1="{yy + 11}" y2="{yy + 29}" '
                f'stroke="#222" stroke-dasharray="2 2"/>'
            )
        value = fmt(b.value) + (f" / {(fmt_max or fmt)(b.maximum)}" if own_scale else "")
        flag = (
            f'<tspan class="flag-glyph" fill="{MARK_COLOURS.get(b.mark.severity, "#555")}"> ⚑</tspan>'
            if b.mark.severity
            else ""
        )
        body.append(f'<text class="bar-value" x="{left + plot_w + 4}" y="{yy + 24}">{escape(value)}{flag}</text>')
        out.append(
            _marked(
                b.mark,
                "bar" + (" group" if b.group else ""),
                {"data-label": b.label, "data-value": fmt(b.value)},
                "".join(body),
            )
        )
    out.append("</svg>")
    return "".join(out)
