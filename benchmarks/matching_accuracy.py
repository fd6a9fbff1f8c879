"""Catalog matching accuracy on the labelled printed-name variants.

    .venv/bin/python benchmarks/matching_accuracy.py [benchmarks/data/name_variants.csv]

Prints top-1 accuracy (the best candidate is the labelled criterion), the wrong matches
that would have been auto-accepted (score >= ACCEPT), and both per damage kind and with
or without a printed code. Targets (issue 3): accuracy >= 99%, no wrong auto-accept.
"""

from __future__ import annotations

import csv
import pathlib
import sys
import time
from collections import defaultdict

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from parindex.normalizer.criteria import load_catalog  # noqa: E402
from parindex.normalizer.matching import ACCEPT, match_criterion  # noqa: E402


def evaluate(path: pathlib.Path) -> dict:
    catalog = load_catalog()
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    stats: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # group -> [n, top1 right, wrong accepted]
    wrong = []
    started = time.perf_counter()
    for r in rows:
        m = match_criterion(
            catalog,
            r["printed_name"],
            r["code"] or None,
            r["framework"],
            r["level"] or None,
            r["province"] or None,
            int(r["year"]) if r["year"] else None,
        )
        got = m.criterion.criterion_id if m.criterion else None
        right = got == r["expected_criterion_id"]
        bad_accept = not right and got is not None and m.score >= ACCEPT
        for group in ("all", f"damage={r['damage']}", "with code" if r["code"] else "name only"):
            s = stats[group]
            s[0] += 1
            s[1] += right
            s[2] += bad_accept
        if not right:
            wrong.append((r, got, m.score, m.decision))
    return {"stats": stats, "wrong": wrong, "seconds": time.perf_counter() - started, "n": len(rows)}


def main() -> int:
    path = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "benchmarks" / "data" / "name_variants.csv"
    res = evaluate(path)
    print(f"{res['n']} labelled printed names, {res['seconds'] / res['n'] * 1000:.2f} ms per match")
    print(f"{'group':<26}{'n':>6}{'top-1':>9}{'wrong accepted':>16}")
    for group, (n, ok, bad) in sorted(res["stats"].items(), key=lambda kv: (kv[0] != "all", kv[0])):
        print(f"{group:<26}{n:>6}{ok / n:>9.2%}{bad:>16}")
    for r, got, score, decision in res["wrong"][:25]:
        print(
            f"  MISS [{r['damage']}] {r['printed_name']!r} code={r['code'] or '-'} -> {got} ({score}, {decision}); "
            f"want {r['expected_criterion_id']}"
        )
    n, ok, bad = res["stats"]["all"]
    print(f"top1_accuracy={ok / n:.4f} wrong_accepted={bad}")
    return 0 if ok / n >= 0.99 and bad == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
