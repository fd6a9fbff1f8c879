#!/usr/bin/env python3
"""Cell-level accuracy of the OCR path on the scanned sample.

samples/hard/scanned.pdf page 1 is a scan (200 dpi, skewed, speckled, JPEG) of
samples/000_65e2608f2289fc53.pdf page 1. The cells OCR reads from the scan are compared
with the cells the text layer of the original page gives: a cell counts when its row,
column and text (whitespace collapsed) agree. Spanned positions and empty cells are left
out, so a merged cell counts once.

Usage:  .venv/bin/python benchmarks/ocr_accuracy.py   (prints precision, recall, F1, seconds)
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from parindex.extractors import extract  # noqa: E402
from parindex.normalizer.text import collapse  # noqa: E402

SCAN = ROOT / "samples" / "hard" / "scanned.pdf"
ORIGINAL = ROOT / "samples" / "000_65e2608f2289fc53.pdf"


def page_cells(doc, page: int) -> set[tuple[int, int, str]]:
    """(row within the page's part of the first table on it, col, text) of its cells."""
    table = next(t for t in doc.tables if any(c.page == page for r in t.rows for c in r))
    rows = [r for r in table.rows if r and r[0].page == page]
    return {(i, c.col, collapse(c.text)) for i, r in enumerate(rows) for c in r if not c.spanned and collapse(c.text)}


def f1(found: set, truth: set) -> tuple[float, float, float]:
    hit = len(found & truth)
    precision = hit / len(found) if found else 0.0
    recall = hit / len(truth) if truth else 0.0
    return precision, recall, (2 * precision * recall / (precision + recall) if hit else 0.0)


def measure(scan: Path = SCAN, original: Path = ORIGINAL) -> dict:
    start = time.perf_counter()
    scanned = extract(scan)
    seconds = time.perf_counter() - start
    found, truth = page_cells(scanned, 1), page_cells(extract(original), 1)
    precision, recall, score = f1(found, truth)
    info = next(i for i in scanned.page_info if i["page"] == 1)
    return {"precision": precision, "recall": recall, "f1": score, "seconds": seconds, "page": info,
            "missed": sorted(truth - found), "wrong": sorted(found - truth)}


def main() -> int:
    m = measure()
    print(f"cells: precision={m['precision']:.3f} recall={m['recall']:.3f} f1={m['f1']:.3f}")
    print(f"OCR path: confidence={m['page']['confidence']} angle={m['page']['angle']} "
          f"repairs={len(m['page']['repairs'])}; {m['seconds']:.1f} s for the document (2 pages, 1 OCR'd)")
    for (r, c, t) in m["wrong"]:
        expected = next((x for x in m["missed"] if x[:2] == (r, c)), None)
        print(f"  row {r} col {c}: read {t!r}" + (f", printed {expected[2]!r}" if expected else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
