"""A PDF page read by pdfium (pypdfium2) and handed to pdfplumber's algorithms.

pdfplumber lays a page out with pdfminer, in Python: most of the time spent reading a
PDF. Its table finder, cropping and text-line grouping only need the page's characters
and ruling as dicts. `PdfiumPage` is a `pdfplumber.page.Page` whose objects come from
pdfium's C library instead: characters with pdfminer's geometry (the box from the
baseline and the font's descent, one font size high, the advance wide), and straight
path segments as lines and rectangles. `find_tables`, `outside_bbox`, `filter` and
`extract_text_lines` then work as on a page parsed by pdfminer.

`open_page` returns None for a page this cannot stand in for (rotated, or text that is
not upright), and the caller reads that page with pdfplumber.
"""

from __future__ import annotations

import ctypes
from functools import lru_cache
from itertools import pairwise

import pdfplumber.page
import pypdfium2 as pdfium
import pypdfium2_raw.bindings
from pypdfium2 import raw

MAX_CHARS = 60_000  # a page with more characters than this is read by pdfplumber


def _fast(name: str, restype):
    """A pdfium function called once per character, without declared argument types:
    pypdfium2's typed pointers, and even ctypes' conversion of each argument to its
    declared type, cost more than the call itself. Its callers pass the text page as a
    `c_void_p`, the index as an int (a C int) and the outputs by `byref`, which ctypes
    passes as they are."""
    fn = getattr(ctypes.CDLL(_LIBRARY), name)
    fn.restype = restype
    return fn


_LIBRARY = pypdfium2_raw.bindings._libs["pdfium"]._name
_text_object = _fast("FPDFText_GetTextObject", ctypes.c_void_p)
_loose_box = _fast("FPDFText_GetLooseCharBox", ctypes.c_int)
_origin = _fast("FPDFText_GetCharOrigin", ctypes.c_int)
_unmapped = _fast("FPDFText_HasUnicodeMapError", ctypes.c_int)
# the page's objects and paths, walked the same way (page, object and segment handles
# passed as c_void_p, indices as ints, outputs by byref)
_count_objects = _fast("FPDFPage_CountObjects", ctypes.c_int)
_get_object = _fast("FPDFPage_GetObject", ctypes.c_void_p)
_object_type = _fast("FPDFPageObj_GetType", ctypes.c_int)
_bounds = _fast("FPDFPageObj_GetBounds", ctypes.c_int)
_draw_mode = _fast("FPDFPath_GetDrawMode", ctypes.c_int)
_stroke_width = _fast("FPDFPageObj_GetStrokeWidth", ctypes.c_int)
_object_matrix = _fast("FPDFPageObj_GetMatrix", ctypes.c_int)
_count_segments = _fast("FPDFPath_CountSegments", ctypes.c_int)
_segment = _fast("FPDFPath_GetPathSegment", ctypes.c_void_p)
_segment_point = _fast("FPDFPathSegment_GetPoint", ctypes.c_int)
_segment_type = _fast("FPDFPathSegment_GetType", ctypes.c_int)
_segment_close = _fast("FPDFPathSegment_GetClose", ctypes.c_int)


def _handle(pointer) -> ctypes.c_void_p:
    """A pypdfium2 handle as the c_void_p the functions above take."""
    return ctypes.c_void_p(ctypes.cast(pointer, ctypes.c_void_p).value)


class PdfiumPage(pdfplumber.page.Page):
    """A page whose objects were read by pdfium (see the module docstring)."""

    def __init__(self, objects: dict, width: float, height: float, page_number: int):
        self.pdf = None
        self.root_page = self
        self.page_obj = None
        self.page_number = page_number
        self.initial_doctop = 0
        self.rotation = 0
        self.mediabox = self.cropbox = self.bbox = (0, 0, width, height)
        self._objects = objects
        self.get_textmap = lru_cache()(self._get_textmap)

    def close(self) -> None:
        self.get_textmap.cache_clear()

    @property
    def annots(self) -> list:
        return []

    @property
    def hyperlinks(self) -> list:
        return []


def _font_facts(text_obj, fonts: dict) -> tuple[str, float]:
    """The base font name of a text object's font and its descent per unit of font size
    (negative), as pdfminer places a glyph; `fonts` keeps them by font for the page's
    other text objects."""
    font = raw.FPDFTextObj_GetFont(text_obj)
    key = ctypes.cast(font, ctypes.c_void_p).value
    if key not in fonts:
        fonts[key] = _read_font_facts(font)
    return fonts[key]


def _read_font_facts(font) -> tuple[str, float]:
    n = raw.FPDFFont_GetBaseFontName(font, None, 0)
    buf = ctypes.create_string_buffer(n)
    raw.FPDFFont_GetBaseFontName(font, buf, n)
    descent = ctypes.c_float()
    ok = raw.FPDFFont_GetDescent(font, 1000.0, ctypes.byref(descent))
    return buf.value.decode("utf-8", "replace"), descent.value / 1000 if ok else 0.0


def _object_order(page) -> dict:
    """Each page object's place in the content stream, by its address."""
    handle = _handle(page.raw)
    return {_get_object(handle, k): k for k in range(_count_objects(handle))}


def _page_text(tp, n: int) -> str | None:
    """The text page's characters, one per character index (None when a character
    outside the BMP makes the UTF-16 units and the indices disagree)."""
    buf = (ctypes.c_ushort * (n + 1))()
    got = raw.FPDFText_GetText(tp, 0, n, buf)
    text = bytes(buf)[: max(0, got - 1) * 2].decode("utf-16-le", "replace")
    return text if len(text) == n else None


def read_chars(page, textpage, height: float, page_number: int) -> list[dict] | None:
    """The page's characters as pdfplumber's char dicts, in content-stream order as
    pdfminer gives them (pdfium's text page orders them by position); None when a
    character is not upright (pdfminer and pdfium would place it differently). What
    is the same for every character of a text object (font, size, order) is asked
    once per object."""
    tp = textpage.raw
    address = _handle(tp)
    n = raw.FPDFText_CountChars(tp)
    if n > MAX_CHARS:
        return None
    text = _page_text(tp, n) or [chr(raw.FPDFText_GetUnicode(tp, i)) for i in range(n)]
    order = _object_order(page)
    objects: dict[int, tuple] = {}
    fonts: dict[int, tuple[str, float]] = {}
    matrix = raw.FS_MATRIX()
    box = raw.FS_RECTF()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    box_at, ox_at, oy_at = ctypes.byref(box), ctypes.byref(ox), ctypes.byref(oy)
    # the characters of each place in the content stream, in text-page order: what
    # sorting them all by (place, index) gives
    by_place: dict[int, list[dict]] = {}
    last = None  # the text object of the last character (most follow one of the same object)
    for i in range(n):
        key = _text_object(address, i)
        if not key:
            continue  # a space or line break pdfium generated: pdfminer has no such char
        if key != last:
            facts = objects.get(key)
            if facts is None:
                raw.FPDFText_GetMatrix(tp, i, matrix)
                if matrix.b or matrix.c or matrix.a <= 0 or matrix.d <= 0:
                    return None
                name, descent = _font_facts(raw.FPDFText_GetTextObject(tp, i), fonts)
                size = raw.FPDFText_GetFontSize(tp, i) * matrix.d
                place = order.get(key, -1)
                facts = objects[key] = (by_place.setdefault(place, []), name, descent * size, size)
            into, name, descent, size = facts
            last = key
        _loose_box(address, i, box_at)
        _origin(address, i, ox_at, oy_at)
        char = text[i]
        if _unmapped(address, i):
            char = f"(cid:{ord(char)})"
        elif char == "\x00":
            char = ""
        x0 = ox.value
        x1 = box.right
        if not x1 > x0:  # max(x0, right), as before
            x1 = x0
        y0 = oy.value + descent
        top = height - y0 - size
        into.append(
            {
                "object_type": "char",
                "page_number": page_number,
                "text": char,
                "fontname": name,
                "size": size,
                "upright": True,
                "x0": x0,
                "x1": x1,
                "y0": y0,
                "y1": y0 + size,
                "top": top,
                "bottom": top + size,
                "doctop": top,
                "width": x1 - x0,
                "height": size,
                "adv": x1 - x0,
            }
        )
    return [c for place in sorted(by_place) for c in by_place[place]]


def _shape(
    kind: str, x0: float, top: float, x1: float, bottom: float, height: float, page_number: int, width: float
) -> dict:
    return {
        "object_type": kind,
        "page_number": page_number,
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "doctop": top,
        "y0": height - bottom,
        "y1": height - top,
        "width": x1 - x0,
        "height": bottom - top,
        "linewidth": width,
        "stroke": True,
        "fill": False,
    }


def _subpaths(path: ctypes.c_void_p) -> list[list[tuple[float, float]]]:
    """The path's points in page coordinates, one list per subpath (a closed subpath
    repeats its first point at the end)."""
    m = raw.FS_MATRIX()
    _object_matrix(path, ctypes.byref(m))
    x, y = ctypes.c_float(), ctypes.c_float()
    x_at, y_at = ctypes.byref(x), ctypes.byref(y)
    out: list[list[tuple[float, float]]] = []
    for k in range(_count_segments(path)):
        seg = ctypes.c_void_p(_segment(path, k))
        _segment_point(seg, x_at, y_at)
        pt = (m.a * x.value + m.c * y.value + m.e, m.b * x.value + m.d * y.value + m.f)
        kind = _segment_type(seg)
        if kind == raw.FPDF_SEGMENT_MOVETO or not out:
            out.append([pt])
        elif kind == raw.FPDF_SEGMENT_BEZIERTO:
            out[-1].append(pt)
            out[-1].append(None)  # a curve: no straight edge from it
        else:
            out[-1].append(pt)
        if _segment_close(seg) and out[-1][0] is not None:
            out[-1].append(out[-1][0])
    return out


def read_shapes(page, height: float, page_number: int) -> tuple[list[dict], list[dict], list[dict], list[dict]]:
    """Lines, rectangles, curves and images of the page, as pdfplumber's dicts. An
    axis-aligned closed four-sided subpath is a rectangle (as pdfminer makes one), a
    two-point one a line; a path with curves keeps its straight segments as lines."""
    lines: list[dict] = []
    rects: list[dict] = []
    curves: list[dict] = []
    images: list[dict] = []
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    sw = ctypes.c_float()
    l, b, r, t = (ctypes.c_float() for _ in range(4))
    handle = _handle(page.raw)
    for k in range(_count_objects(handle)):
        obj = ctypes.c_void_p(_get_object(handle, k))
        kind = _object_type(obj)
        if kind == raw.FPDF_PAGEOBJ_IMAGE:
            _bounds(obj, ctypes.byref(l), ctypes.byref(b), ctypes.byref(r), ctypes.byref(t))
            images.append(_shape("image", l.value, height - t.value, r.value, height - b.value, height, page_number, 0))
            continue
        if kind != raw.FPDF_PAGEOBJ_PATH:
            continue
        _draw_mode(obj, ctypes.byref(fill), ctypes.byref(stroke))
        if not fill.value and not stroke.value:
            continue
        _stroke_width(obj, ctypes.byref(sw))
        for pts in _subpaths(obj):
            _add_subpath(pts, lines, rects, curves, height, page_number, sw.value)
    return lines, rects, curves, images


def _add_subpath(pts, lines, rects, curves, height, page_number, width) -> None:
    straight = None not in pts
    xs = {round(p[0], 3) for p in pts if p is not None}
    ys = {round(p[1], 3) for p in pts if p is not None}
    if straight and len(pts) == 2:
        (ax, ay), (bx, by) = pts
        if ax == bx or ay == by:
            lines.append(
                _shape(
                    "line",
                    min(ax, bx),
                    height - max(ay, by),
                    max(ax, bx),
                    height - min(ay, by),
                    height,
                    page_number,
                    width,
                )
            )
            return
    if (
        straight
        and len(pts) in (4, 5)
        and len(xs) <= 2
        and len(ys) <= 2
        and all(a[0] == b[0] or a[1] == b[1] for a, b in pairwise(pts))
    ):
        x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
        rects.append(_shape("rect", x0, height - y1, x1, height - y0, height, page_number, width))
        return
    clean = [p for p in pts if p is not None]
    if len(clean) >= 2:
        curve = _shape(
            "curve",
            min(p[0] for p in clean),
            height - max(p[1] for p in clean),
            max(p[0] for p in clean),
            height - min(p[1] for p in clean),
            height,
            page_number,
            width,
        )
        curve["pts"] = [(p[0], height - p[1]) for p in clean]
        curves.append(curve)


def open_page(pdf: pdfium.PdfDocument, index: int) -> PdfiumPage | None:
    """Page `index` (from 0) as a PdfiumPage, or None when pdfplumber must read it."""
    page = pdf[index]
    try:
        if page.get_rotation() % 360:
            return None
        x0, y0, x1, y1 = page.get_mediabox()
        if x0 or y0:
            return None
        width, height = x1 - x0, y1 - y0
        textpage = page.get_textpage()
        try:
            chars = read_chars(page, textpage, height, index + 1)
        finally:
            textpage.close()
        if chars is None:
            return None
        lines, rects, curves, images = read_shapes(page, height, index + 1)
        return PdfiumPage(
            {"char": chars, "line": lines, "rect": rects, "curve": curves, "image": images}, width, height, index + 1
        )
    finally:
        page.close()
