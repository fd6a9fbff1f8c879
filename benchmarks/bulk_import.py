"""Bulk-import benchmark: speed, Prefect's share, memory and re-runs, measured in one run.

    .venv/bin/python benchmarks/bulk_import.py --n 200 [--workdir /tmp/parindex-bench] [--formats pdf]

1. builds a synthetic corpus of N documents (benchmarks/corpus.py; text PDFs by default);
2. raw parsing: every page of those PDFs through pdfplumber (extract_tables + extract_text,
   page.close()), one process, as a lower bound of what any PDF pipeline pays;
3. the same work through parindex's stage functions on a plain thread pool (no Prefect);
4. the Prefect flow, cold (no cache), after Prefect's temporary server has started;
5. the Prefect flow again on the unchanged corpus (every result from the cache);
and prints pages per second, the ratios, Prefect's share of wall time, and the peak
resident memory of this process and of the reading children.
"""
from __future__ import annotations

import argparse
import os
import pathlib
import resource
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux: KiB


def raw_pdfplumber(pdfs: list[pathlib.Path]) -> tuple[float, int]:
    import pdfplumber

    pages = 0
    started = time.perf_counter()
    for p in pdfs:
        with pdfplumber.open(p) as pdf:
            for page in pdf.pages:
                page.extract_tables()
                page.extract_text()
                page.close()
                pages += 1
    return time.perf_counter() - started, pages


def plain_stages(corpus: pathlib.Path, workers: int) -> float:
    from parindex import stages
    from parindex.discover import discover

    started = time.perf_counter()
    sources = discover([corpus])
    with ThreadPoolExecutor(workers) as pool:
        results = list(pool.map(lambda s: stages.match_stage(stages.normalize_stage(stages.extract_stage(s))), sources))
    obs, docs = stages.merge_with_existing("/nonexistent", results)
    stages.audit_stage(obs)
    stages.panel_stage(obs)
    return time.perf_counter() - started


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--formats", default="pdf")
    ap.add_argument("--workdir", default="/tmp/parindex-bench")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "300")
    os.environ.setdefault("PREFECT_HOME", str(pathlib.Path(args.workdir) / "prefect-home"))  # its own database
    os.environ.setdefault("DO_NOT_TRACK", "1")
    from parindex.cli import _prefect_env

    _prefect_env(verbose=False)  # the same Prefect settings as `parindex run`
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    work = pathlib.Path(args.workdir)
    corpus = work / f"corpus-{args.n}-{args.formats.replace(',', '_')}"
    if not corpus.exists():
        t = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "corpus.py"), str(corpus), "--n", str(args.n),
                        "--seed", str(args.seed), "--formats", args.formats, "--quiet"], check=True)
        print(f"corpus: {args.n} documents built in {time.perf_counter() - t:.0f} s -> {corpus}")
    pdfs = sorted(corpus.glob("*.pdf"))
    workers = max(1, min(4, os.cpu_count() or 1))

    raw_s, pages = raw_pdfplumber(pdfs)
    plain_s = plain_stages(corpus, workers)

    from flows.ingest import ingest

    t = time.perf_counter()
    warm = work / "warmup"
    warm.mkdir(parents=True, exist_ok=True)
    (warm / "a.txt").write_text("Chỉ số PAR INDEX năm 2023 của huyện Tam Đường đạt 78,12 điểm.", encoding="utf-8")
    ingest([str(warm / "a.txt")], out=str(work / "warmup-out"), use_cache=False)
    server_s = time.perf_counter() - t

    out = work / "out"
    shutil.rmtree(out, ignore_errors=True)
    t = time.perf_counter()
    summary = ingest([str(corpus)], out=str(out), use_cache=True)
    flow_s = time.perf_counter() - t
    t = time.perf_counter()
    ingest([str(corpus)], out=str(out), use_cache=True)
    rerun_s = time.perf_counter() - t

    n_docs = len(summary.documents)
    print(f"documents: {n_docs} ({len(pdfs)} PDFs, {pages} PDF pages), {summary.observations} observations, "
          f"{summary.flags} flags, {workers} workers on {os.cpu_count()} cores")
    print(f"raw pdfplumber (1 process, tables+text): {raw_s:.1f} s = {pages / raw_s:.1f} pages/s")
    print(f"stages without Prefect ({workers} threads): {plain_s:.1f} s")
    print(f"Prefect flow, cold: {flow_s:.1f} s = {pages / flow_s:.1f} pages/s end to end "
          f"(+ {server_s:.1f} s for Prefect's temporary server, once per process)")
    print(f"ratio end-to-end / raw pdfplumber: {flow_s / raw_s:.2f} (target <= 1.3)")
    print(f"Prefect's share of wall time: {max(0.0, flow_s - plain_s) / flow_s:.1%} "
          f"(flow vs the same stages on a thread pool; target <= 10%)")
    print(f"re-run of the unchanged corpus: {rerun_s:.1f} s for {n_docs} documents (target <= 10 s at 1,000)")
    print(f"peak memory: this process {peak_mb(resource.RUSAGE_SELF):.0f} MB, largest reading child "
          f"{peak_mb(resource.RUSAGE_CHILDREN):.0f} MB (target <= 1536 MB, flat in corpus size)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
