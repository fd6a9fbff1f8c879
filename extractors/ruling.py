"""Table grids from the ruling lines of a page image (a scan): straighten the page, find
the long horizontal and vertical strokes, group them into tables, and merge the grid
cells whose separating line is missing (merged cells become spans). Pure numpy.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Grid:
    """One ruled table: line positions in pixels and its cells as grid rectangles."""

    xs: list[int]  # vertical line positions, left to right
    ys: list[int]  # horizontal line positions, top to bottom
    cells: list[tuple[int, int, int, int]] = field(default_factory=list)  # (row0, col0, row1, col1) inclusive

    @property
    def bbox(self) -> tuple[int, int, int, int]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]


def ink_mask(gray: np.ndarray) -> np.ndarray:
    """Dark pixels (Otsu threshold, never above 200)."""
    hist = np.bincount(gray.ravel(), minlength=256).astype(float)
    total = hist.sum()
    cum = np.cumsum(hist)
    mean_cum = np.cumsum(hist * np.arange(256))
    w0 = cum / total
    w1 = 1 - w0
    with np.errstate(divide="ignore", invalid="ignore"):
        m0 = mean_cum / cum
        m1 = (mean_cum[-1] - mean_cum) / (total - cum)
        between = w0 * w1 * (m0 - m1) ** 2
    threshold = int(np.nanargmax(between)) if np.isfinite(between).any() else 128
    return gray <= min(threshold, 200)


def skew_angle(gray_img, max_degrees: float = 3.0) -> float:
    """The rotation (degrees, counter-clockwise) that makes text lines and rulings level:
    the angle at which the ink's rows are sharpest (the largest sum of squares of the
    horizontal ink profile), every 0.25° on the page reduced to a quarter, then every
    0.05° around the best on the page reduced to a half.

    The profile is taken from the ink pixels' coordinates, each turned by the angle and
    shared between the two rows it falls between (no image is rotated: 50 ms a page where
    rotating the image for each angle took 300 ms). Each pixel's height is shifted by a
    fixed random part of a row, so that no angle has its pixels falling exactly on rows
    (level pixels would give the unrotated page a sharper profile than it has)."""
    quarter, half = _ink_coordinates(gray_img, 4), _ink_coordinates(gray_img, 2)
    coarse = np.arange(-max_degrees, max_degrees + 1e-9, 0.25)
    best = max(coarse, key=lambda angle: _row_sharpness(quarter, angle))
    fine = np.arange(best - 0.25, best + 0.25 + 1e-9, 0.05)
    return round(float(max(fine, key=lambda angle: _row_sharpness(half, angle))), 2)


def _ink_coordinates(gray_img, factor: int) -> tuple[np.ndarray, np.ndarray, int]:
    """(x, y) of the ink pixels of the image reduced by `factor` (a page, not a small
    image), from its centre, each y shifted by a fixed random part of a row; and the
    image's height."""
    small = gray_img.reduce(factor) if min(gray_img.size) > 800 else gray_img
    ys, xs = np.nonzero(ink_mask(np.asarray(small)))
    w, h = small.size
    jitter = np.random.default_rng(0).random(ys.size)
    return xs - w / 2, ys - h / 2 + jitter, h


def _row_sharpness(coords: tuple[np.ndarray, np.ndarray, int], angle: float) -> float:
    """Sum of squares of the horizontal ink profile of the ink turned by `angle`
    (counter-clockwise, as PIL's rotate)."""
    dx, dy, h = coords
    t = np.deg2rad(angle)
    y = dy * np.cos(t) - dx * np.sin(t) + h  # from 0 to 2h: the turned page stays within
    row = y.astype(np.intp)
    part = y - row
    n = 2 * h + 2
    profile = np.bincount(row, 1 - part, minlength=n) + np.bincount(row + 1, part, minlength=n)
    return float(np.dot(profile, profile))


def long_runs(ink: np.ndarray, min_len: int, gap: int = 0) -> np.ndarray:
    """Pixels of horizontal runs of ink at least `min_len` long (use .T for vertical),
    runs broken by at most `gap` pixels of paper counting as one (with the gap)."""
    out = np.zeros_like(ink)
    padded = np.zeros((ink.shape[0], ink.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = ink
    diff = np.diff(padded, axis=1)
    for y in np.nonzero((ink.sum(axis=1) >= min_len))[0]:
        starts = np.nonzero(diff[y] == 1)[0]
        ends = np.nonzero(diff[y] == -1)[0]
        if gap:
            joined = starts[1:] - ends[:-1] <= gap
            starts, ends = starts[np.r_[True, ~joined]], ends[np.r_[~joined, True]]
        for s, e in zip(starts, ends):
            if e - s >= min_len:
                out[y, s:e] = True
    return out


def _segments(mask: np.ndarray, min_len: int) -> list[tuple[int, int, int]]:
    """Lines of a run mask as (position, start, end): neighbouring rows of the mask
    whose runs overlap are one (thick) line."""
    rows = np.nonzero(mask.any(axis=1))[0]
    lines: list[list[int]] = []  # [first row, last row, start, end]
    for y in rows:
        xs = np.nonzero(mask[y])[0]
        s, e = int(xs.min()), int(xs.max())
        if lines and y - lines[-1][1] <= 2 and s <= lines[-1][3] and e >= lines[-1][2]:
            line = lines[-1]
            line[1], line[2], line[3] = y, min(line[2], s), max(line[3], e)
        else:
            lines.append([int(y), int(y), s, e])
    return [((a + b) // 2, s, e) for a, b, s, e in lines if e - s >= min_len]


def _cluster(values: list[int], tol: int) -> list[int]:
    out: list[list[int]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [int(round(sum(g) / len(g))) for g in out]


def find_grids(ink: np.ndarray, dpi: int = 300) -> list[Grid]:
    """The ruled tables of a page's ink mask, top to bottom."""
    min_len = max(20, int(dpi * 0.2))  # 5 mm: longer than any letter stroke
    tol = max(3, dpi // 60)
    # a faint vertical rule of a blurred or low-resolution scan breaks into runs a few
    # pixels apart (not so the horizontal ones: the letters of a blurred line of text are
    # as close)
    gap = max(1, dpi // 100)
    h_mask = long_runs(ink, min_len)
    v_mask = long_runs(ink.T, min_len, gap).T
    h_lines = _segments(h_mask, min_len)
    v_lines = [(x, s, e) for x, s, e in _segments(v_mask.T, min_len)]
    if len(h_lines) < 2 or len(v_lines) < 2:
        return []
    # group horizontal lines into tables: consecutive lines joined by a vertical line
    h_lines.sort()
    groups: list[list[tuple[int, int, int]]] = [[h_lines[0]]]
    for line in h_lines[1:]:
        prev = groups[-1][-1]
        joined = any(
            s <= prev[0] + tol
            and e >= line[0] - tol
            and max(prev[1], line[1]) - tol <= x <= min(prev[2], line[2]) + tol
            for x, s, e in v_lines
        )
        if joined:
            groups[-1].append(line)
        else:
            groups.append([line])
    grids = []
    for group in groups:
        if len(group) < 2:
            continue
        top, bottom = group[0][0], group[-1][0]
        left, right = min(s for _, s, _ in group), max(e for _, _, e in group)
        xs = _cluster(
            [x for x, s, e in v_lines if left - tol <= x <= right + tol and min(e, bottom) - max(s, top) > min_len],
            tol * 2,
        )
        ys = _cluster([y for y, _, _ in group], tol * 2)
        if len(xs) < 2 or len(ys) < 2:
            continue
        grid = Grid(xs=xs, ys=ys)
        grid.cells = _merged_cells(grid, h_mask, _rules_at(ink, grid.xs, tol, min_len, 2 * gap), tol)
        grids.append(grid)
    return grids


def _rules_at(ink: np.ndarray, xs: list[int], tol: int, min_len: int, gap: int) -> np.ndarray:
    """The vertical runs of ink within `tol` of the table's column lines, runs broken by
    up to `gap` pixels joined, from which is told whether a cell reaches across a line:
    where other rows show a line, a rule blurred into pieces further apart than the
    lines are found with still parts two cells (a letter's strokes, even joined, stay
    shorter than `min_len`)."""
    out = np.zeros_like(ink)
    for x in xs:
        a, b = max(0, x - tol), x + tol + 1
        out[:, a:b] = long_runs(ink[:, a:b].T, min_len, gap).T
    return out


def _coverage(strip: np.ndarray, axis: int) -> float:
    """Share of positions along a strip where the line is present."""
    if strip.size == 0:
        return 0.0
    return float(strip.any(axis=axis).mean())


def _merged_cells(grid: Grid, h_mask: np.ndarray, v_mask: np.ndarray, tol: int) -> list[tuple[int, int, int, int]]:
    n_rows, n_cols = len(grid.ys) - 1, len(grid.xs) - 1
    parent = list(range(n_rows * n_cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        parent[find(a)] = find(b)

    margin = 2 * tol
    for r in range(n_rows):
        y0, y1 = grid.ys[r] + margin, grid.ys[r + 1] - margin
        for c in range(n_cols):
            x0, x1 = grid.xs[c] + margin, grid.xs[c + 1] - margin
            if c + 1 < n_cols:  # the line to the right of the cell
                x = grid.xs[c + 1]
                if _coverage(v_mask[y0:y1, x - tol : x + tol + 1], axis=1) < 0.6:
                    union(r * n_cols + c, r * n_cols + c + 1)
            if r + 1 < n_rows:  # the line below the cell
                y = grid.ys[r + 1]
                if _coverage(h_mask[y - tol : y + tol + 1, x0:x1], axis=0) < 0.6:
                    union(r * n_cols + c, (r + 1) * n_cols + c)
    boxes: dict[int, list[int]] = {}
    for r in range(n_rows):
        for c in range(n_cols):
            root = find(r * n_cols + c)
            box = boxes.setdefault(root, [r, c, r, c])
            box[0], box[1] = min(box[0], r), min(box[1], c)
            box[2], box[3] = max(box[2], r), max(box[3], c)
    return sorted(tuple(b) for b in boxes.values())
