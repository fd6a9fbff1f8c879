"""Memory of the import batch alone, at several corpus sizes, measured in one run.

    .venv/bin/python benchmarks/batch_memory.py CORPUS --cache OUT [--sizes 1000,5000,10000,20000]

Feeds `parindex.writer.staging.ImportBatch` the cached results of a corpus (OUT is the output
folder of a run over CORPUS with this code, e.g. the one `benchmarks/bulk_import.py`
leaves in WORKDIR/out), with no reader and no Prefect, so it takes a minute or two per
10,000 documents. A size above the corpus's is made by replaying its documents under
other names and hashes: the same units in more documents, which is what an archive of
more years does to a unit. Each size runs in its own process; the script prints the
peak resident memory of each phase (sampled every 10 ms), and the ratio of the largest
size's peak to the smallest's (flat memory: close to 1).
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import pathlib
import resource
import subprocess
import sys
import tempfile
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PHASES = ("add", "merge", "audit", "write")


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 / 2**20


def sources_of(corpus: str, n: int) -> list[tuple]:
    """(source to import, source whose cached result it replays) for n documents."""
    from parindex.discover import discover

    found = discover([corpus])
    pairs = []
    for k in range(-(-n // len(found))):
        for s in found[: n - len(pairs)]:
            if k == 0:
                pairs.append((s, s))
            else:
                sha = hashlib.sha256(f"{s.sha256}:{k}".encode()).hexdigest()
                pairs.append((dataclasses.replace(s, path=f"{s.path}#{k}", sha256=sha, document_id=sha[:16]), s))
    return pairs


def one_size(corpus: str, cache_out: str, n: int) -> dict:
    """Import n documents into a new folder; peak RSS (MB) and seconds per phase."""
    from parindex.writer import cache
    from parindex.writer.staging import ImportBatch

    pairs = sources_of(corpus, n)
    peak = [rss_mb()]

    def sample() -> None:
        while True:
            peak[0] = max(peak[0], rss_mb())
            time.sleep(0.01)

    threading.Thread(target=sample, daemon=True).start()
    result: dict = {"documents": len(pairs)}

    def phase(name: str, t0: float) -> None:
        result[name] = {"peak_mb": round(peak[0]), "s": round(time.perf_counter() - t0, 1)}
        peak[0] = rss_mb()

    with tempfile.TemporaryDirectory() as tmp, ImportBatch(pathlib.Path(tmp) / "out") as batch:
        todo, _ = batch.plan([s for s, _ in pairs])
        replayed = {s.path: orig for s, orig in pairs}
        t = time.perf_counter()
        missing = 0
        for src in todo:
            r = cache.load(cache_out, replayed[src.path])
            if r is None:
                missing += 1
                continue
            batch.keep(cache.renamed(r, src), use_cache=False)
        if missing:
            raise SystemExit(
                f"{missing} of {len(todo)} documents have no result cached in {cache_out} for "
                f"code version {cache.code_version()}: run benchmarks/bulk_import.py on the corpus first"
            )
        phase("add", t)
        t = time.perf_counter()
        documents, units = batch.merge()
        phase("merge", t)
        t = time.perf_counter()
        batch.audit(documents, units)
        phase("audit", t)
        t = time.perf_counter()
        batch.write(units)
        phase("write", t)
        result["observations"] = batch.summary()["observations"]
    result["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus")
    ap.add_argument("--cache", required=True, help="output folder of a run over CORPUS (holds .cache/)")
    ap.add_argument("--sizes", default="1000,5000,10000,20000")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)  # one size, in this process, as JSON
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one_size(args.corpus, args.cache, args.one)))
        return
    rows = []
    for n in (int(x) for x in args.sizes.split(",")):
        run = subprocess.run(
            [sys.executable, __file__, args.corpus, "--cache", args.cache, "--one", str(n)],
            capture_output=True,
            text=True,
        )
        if run.returncode:
            raise SystemExit(f"{n} documents: " + (run.stderr.strip().splitlines() or ["failed"])[-1])
        rows.append(json.loads(run.stdout.strip().splitlines()[-1]))
        r = rows[-1]
        print(
            f"{r['documents']:>7,} documents, {r['observations']:>9,} observations: peak {r['peak_mb']} MB ("
            + ", ".join(f"{p} {r[p]['peak_mb']} MB in {r[p]['s']} s" for p in PHASES)
            + ")",
            flush=True,
        )
    if len(rows) > 1:
        print(
            f"peak at {rows[-1]['documents']:,} / peak at {rows[0]['documents']:,} documents: "
            f"{rows[-1]['peak_mb'] / rows[0]['peak_mb']:.2f} (flat: close to 1)"
        )


if __name__ == "__main__":
    main()
