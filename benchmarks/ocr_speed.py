"""CPU seconds per scanned page, today's code against another checkout's, in one run.

This machine's speed drifts by a fifth and more over an hour, so a figure measured
earlier says little: the two codes are run alternately, each in its own process, on the
same scans, and the ratio of the means is printed. Each process extracts every PDF once
(`parindex.extractors.extract`: rendering, OCR, repairs) and counts its own CPU time and
that of its child processes (a Tesseract program, where the code runs one) per page.

The other checkout is any folder with the stage folders of an earlier commit, e.g. the
code issue 21 was filed on:

    git worktree add /tmp/wt21 32325de^
    .venv/bin/python benchmarks/ocr_speed.py --baseline /tmp/wt21 /tmp/scans/archive/*.pdf --rounds 2

(`benchmarks/ocr_accuracy.py --treatments archive --keep /tmp/scans` writes the scans.)
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Run in a child process: the editable install's finder is pointed at the checkout
# given, so `parindex.*` is imported from its folders.
MEASURE = """
import json, resource, sys, time
root, paths = sys.argv[1], sys.argv[2:]
import __editable___parindex_0_1_0_finder as finder
for name, folder in list(finder.MAPPING.items()):
    finder.MAPPING[name] = folder.replace(%r, root)
from parindex.extractors import extract
def cpu():
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime
out = {}
for path in paths:
    start = cpu()
    doc = extract(path)
    out[path] = (cpu() - start, len(doc.page_info) or 1)
print(json.dumps(out))
"""


def measure(root: Path, pdfs: list[str]) -> dict[str, tuple[float, int]]:
    """{pdf: (CPU seconds, pages)} of the code in `root` reading `pdfs` in one process."""
    done = subprocess.run(
        [sys.executable, "-c", MEASURE % str(ROOT), str(root), *pdfs], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pdfs", nargs="+", help="scanned PDFs")
    parser.add_argument("--baseline", type=Path, required=True, help="a checkout of the code to compare with")
    parser.add_argument("--rounds", type=int, default=2, help="alternations of baseline and today's code")
    a = parser.parse_args()
    totals = {"baseline": [], "today": []}
    print(f"{'round':5} {'code':9} {'document':40} {'pages':>5} {'CPU s/page':>10}")
    for k in range(1, a.rounds + 1):
        for name, root in (("baseline", a.baseline), ("today", ROOT)):
            result = measure(root, a.pdfs)
            for pdf, (seconds, pages) in result.items():
                print(f"{k:5} {name:9} {Path(pdf).name[:40]:40} {pages:5} {seconds / pages:10.2f}")
            cpu, pages = sum(s for s, _ in result.values()), sum(p for _, p in result.values())
            totals[name].append(cpu / pages)
            print(f"{k:5} {name:9} {'all pages':40} {pages:5} {cpu / pages:10.2f}")
    base, today = (sum(v) / len(v) for v in (totals["baseline"], totals["today"]))
    print(f"mean CPU s per page: baseline {base:.2f}, today {today:.2f}; today / baseline = {today / base:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
