"""Mutation fuzzing of the extractors and the normalizer with the sample files.

    .venv/bin/python benchmarks/fuzz_extractors.py [MUTATIONS_PER_FILE] [SEED]

Each sample is mutated (random byte flips, truncation, duplicated or deleted spans) and
read through extract -> normalize -> match in a limited child process. Any outcome other
than a document or an ExtractionError naming the file is a finding; the script prints
them and exits 1 when there are any.
"""

from __future__ import annotations

import pathlib
import random
import sys
import tempfile
import time
import traceback

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SAMPLES = sorted(p for p in (ROOT / "samples").iterdir() if p.suffix in (".pdf", ".docx", ".html"))


def mutate(data: bytes, rng: random.Random) -> bytes:
    b = bytearray(data)
    kind = rng.choice(["flip", "truncate", "dup", "delete", "flip_many"])
    if kind == "flip":
        for _ in range(rng.randint(1, 8)):
            b[rng.randrange(len(b))] = rng.randrange(256)
    elif kind == "flip_many":
        for _ in range(rng.randint(50, 500)):
            b[rng.randrange(len(b))] = rng.randrange(256)
    elif kind == "truncate":
        b = b[: rng.randrange(1, len(b))]
    elif kind == "dup":
        i, n = rng.randrange(len(b)), rng.randint(1, 4096)
        b[i:i] = b[i : i + n]
    else:
        i = rng.randrange(len(b))
        del b[i : i + rng.randint(1, 4096)]
    return bytes(b)


def check(path: pathlib.Path) -> str | None:
    """None when the outcome is acceptable, else a description of the finding."""
    from parindex.extractors import ExtractionError
    from parindex.extractors.isolation import Limits, extract_isolated
    from parindex.normalizer.matching import match_observations
    from parindex.normalizer.normalize import normalize_document

    try:
        doc = extract_isolated(path, None, Limits(seconds=60, memory_mb=1536))
    except ExtractionError as exc:
        return None if str(path) in str(exc) else f"error does not name the file: {exc}"
    try:
        norm = normalize_document(doc)
        match_observations(norm.observations, norm.context.unit_level, norm.context.province)
    except Exception:
        return "normalize/match raised:\n" + traceback.format_exc(limit=6)
    return None


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    rng = random.Random(seed)
    findings = []
    started = time.perf_counter()
    runs = 0
    with tempfile.TemporaryDirectory() as tmp:
        for sample in SAMPLES:
            data = sample.read_bytes()
            for i in range(n):
                path = pathlib.Path(tmp) / f"{sample.stem}.m{i}{sample.suffix}"
                path.write_bytes(mutate(data, rng))
                problem = check(path)
                runs += 1
                if problem:
                    findings.append((sample.name, i, problem))
                    print(f"FINDING {sample.name} mutation {i}: {problem}", flush=True)
    print(f"{runs} mutated files in {time.perf_counter() - started:.0f} s, {len(findings)} findings (seed {seed})")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
