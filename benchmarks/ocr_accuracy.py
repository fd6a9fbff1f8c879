#!/usr/bin/env python3
"""How well scans are read: each text PDF is scanned the ways archives look
(`benchmarks.corpus.SCAN_TREATMENTS`: skew, blur, a red seal and a blue signature over
the table, JPEG 60-80, 150-300 dpi, photocopy noise), and what parindex reads from the
scan is compared with what it reads from the text PDF itself:

- table F1: the printed numbers (unit, year, framework, code, field, value) of the
  tables, as `../shared/tools/score.py` counts them, scan against text PDF;
- false flags: flags the scan raises that the text PDF does not (`ocr_uncertain` aside,
  counted on its own), so a reading doubt that still reaches a rule shows here;
- repairs and uncertain cells recorded in `page_info`, and seconds per scanned page:
  wall time, and CPU time counting parindex and its tesseract processes together.

The text PDF's own reading scores 1.000 against the hand-read truth of the samples, so
it stands for the truth here, and generated documents need none.

Usage:
    .venv/bin/python benchmarks/ocr_accuracy.py                       # the two sample PDFs, every treatment
    .venv/bin/python benchmarks/ocr_accuracy.py --treatments archive  # one treatment
    .venv/bin/python benchmarks/ocr_accuracy.py --generated 6         # 6 generated reports instead
    .venv/bin/python benchmarks/ocr_accuracy.py --cells               # the old cell-level check on samples/hard/scanned.pdf
"""

from __future__ import annotations

import argparse
import collections
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.corpus import SCAN_TREATMENTS, scan_pdf  # noqa: E402
from parindex.audit import audit  # noqa: E402
from parindex.extractors import extract  # noqa: E402
from parindex.normalizer.matching import match_observations  # noqa: E402
from parindex.normalizer.normalize import normalize_document  # noqa: E402
from parindex.schemas.columns import VALUE_FIELDS  # noqa: E402
from parindex.vietnamese.folding import collapse  # noqa: E402

SAMPLES = (ROOT / "samples" / "000_65e2608f2289fc53.pdf", ROOT / "samples" / "003_bcf6dc032df3fdf9.pdf")
SCAN = ROOT / "samples" / "hard" / "scanned.pdf"


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the tesseract runs)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def read(path: Path) -> dict:
    """A PDF through extract, normalize, match and audit, as a run reads it."""
    start, cpu = time.perf_counter(), cpu_seconds()
    doc = extract(path)
    seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    norm = normalize_document(doc)
    obs = match_observations(norm.observations, norm.context.unit_level, norm.context.province)
    for o in obs:
        o["document_id"], o["source"] = path.stem, str(path)
    ocr_pages = [i for i in doc.page_info if i.get("path") == "ocr"]
    return {
        "obs": obs,
        "flags": audit(obs),
        "seconds": seconds,
        "cpu": cpu,
        "ocr_pages": len(ocr_pages),
        "repairs": sum(len(i.get("repairs", [])) for i in ocr_pages),
        "uncertain": sum(len(i.get("uncertain", [])) for i in ocr_pages),
    }


def table_items(obs: list[dict]) -> collections.Counter:
    """The printed numbers of the tables, as score.py counts them, without the unit: a
    scan and its text PDF are one document, and the heading OCR reads a little
    differently may name its unit differently."""
    out = collections.Counter()
    for o in obs:
        if not o.get("table"):
            continue
        code = o.get("code") or "name:" + collapse(o.get("printed_name") or "").lower()[:40]
        for f in VALUE_FIELDS:
            if o.get(f) is not None:
                out[(o.get("year"), o.get("framework"), code, f, round(float(o[f]), 4))] += 1
    return out


def flag_keys(flags: list[dict]) -> collections.Counter:
    return collections.Counter(
        (f["rule"], f.get("year"), f.get("codes")) for f in flags if f["rule"] != "ocr_uncertain"
    )


def items_f1(found: collections.Counter, truth: collections.Counter) -> float:
    hit = sum((found & truth).values())
    if not hit:
        return 0.0
    p, r = hit / sum(found.values()), hit / sum(truth.values())
    return 2 * p * r / (p + r)


def page_cells(doc, page: int) -> set[tuple[int, int, str]]:
    """(row within the page's part of the first table on it, col, text) of its cells."""
    table = next(t for t in doc.tables if any(c.page == page for r in t.rows for c in r))
    rows = [r for r in table.rows if r and r[0].page == page]
    return {(i, c.col, collapse(c.text)) for i, r in enumerate(rows) for c in r if not c.spanned and collapse(c.text)}


def f1(found: set, truth: set) -> tuple[float, float, float]:
    """Precision, recall and F1 of a set of cells."""
    hit = len(found & truth)
    precision = hit / len(found) if found else 0.0
    recall = hit / len(truth) if truth else 0.0
    return precision, recall, (2 * precision * recall / (precision + recall) if hit else 0.0)


def compare(text: dict, scan: dict) -> dict:
    false_flags = flag_keys(scan["flags"]) - flag_keys(text["flags"])
    return {
        "f1": items_f1(table_items(scan["obs"]), table_items(text["obs"])),
        "flags_text": sum(flag_keys(text["flags"]).values()),
        "flags_scan": sum(flag_keys(scan["flags"]).values()),
        "false_flags": sum(false_flags.values()),
        "false": sorted(false_flags),
        "ocr_uncertain": sum(f["rule"] == "ocr_uncertain" for f in scan["flags"]),
        "repairs": scan["repairs"],
        "uncertain": scan["uncertain"],
        "seconds_per_page": scan["seconds"] / max(1, scan["ocr_pages"]),
        "cpu_per_page": scan["cpu"] / max(1, scan["ocr_pages"]),
        "pages": scan["ocr_pages"],
    }


def measure(sources: list[Path], treatments: list[str], work: Path):
    """(treatment, document, comparison) for every source scanned with every treatment,
    yielded as each is read."""
    texts = {src: read(src) for src in sources}
    for name in treatments:
        for src in sources:
            scanned = work / name / src.name  # same stem as the source, as score.py's truth files expect
            scanned.parent.mkdir(parents=True, exist_ok=True)
            scanned.write_bytes(scan_pdf(src.read_bytes(), name, src.stem))
            yield name, src.stem, compare(texts[src], read(scanned))


def generated_sources(n: int, work: Path) -> list[Path]:
    """`n` generated reports as text PDFs (the generator's scanned documents are these,
    scanned by `corpus.render_scanned`)."""
    from benchmarks import corpus

    work.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        spec = corpus.make_spec(i, "scanned", 0.0)  # the compact report a scan is made of
        path = work / f"{spec.stem}.pdf"
        path.write_bytes(corpus.render_pdf(spec))
        paths.append(path)
    return paths


HEADER = (
    f"{'treatment':<16}{'document':<24}{'table F1':>9}{'flags text':>11}{'scan':>6}{'false':>6}"
    f"{'uncertain':>10}{'repairs':>8}{'s/page':>8}{'CPU s':>8}"
)


def print_row(name: str, stem: str, m: dict) -> None:
    print(
        f"{name:<16}{stem[:23]:<24}{m['f1']:>9.3f}{m['flags_text']:>11}{m['flags_scan']:>6}"
        f"{m['false_flags']:>6}{m['ocr_uncertain']:>10}{m['repairs']:>8}{m['seconds_per_page']:>8.2f}{m['cpu_per_page']:>8.2f}",
        flush=True,
    )
    for rule, year, codes in m["false"][:5]:
        print(f"{'':<40}false: {rule} {year} {codes}", flush=True)


def cell_check() -> int:
    """Cells of samples/hard/scanned.pdf page 1 against the text layer of the original."""
    precision, recall, score = f1(page_cells(extract(SCAN), 1), page_cells(extract(SAMPLES[0]), 1))
    print(f"cells: precision={precision:.3f} recall={recall:.3f} f1={score:.3f}")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--treatments", default=",".join(SCAN_TREATMENTS), help="comma list of " + ", ".join(SCAN_TREATMENTS)
    )
    ap.add_argument("--generated", type=int, default=0, help="score N generated reports instead of the samples")
    ap.add_argument(
        "--keep", type=Path, help="write the scans here (named after their source) instead of a temporary folder"
    )
    ap.add_argument("--cells", action="store_true", help="the cell-level check on samples/hard/scanned.pdf only")
    a = ap.parse_args()
    if a.cells:
        return cell_check()
    with tempfile.TemporaryDirectory(prefix="parindex-ocr-bench-") as tmp:
        work = a.keep or Path(tmp)
        sources = generated_sources(a.generated, work / "text") if a.generated else list(SAMPLES)
        print(HEADER, flush=True)
        for row in measure(sources, [t for t in a.treatments.split(",") if t], work):
            print_row(*row)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
