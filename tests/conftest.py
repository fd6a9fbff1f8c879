"""Shared fixtures: one Prefect test harness per session, and one real run of the ingest
flow over `samples/` whose outputs many tests read."""

from __future__ import annotations

import importlib.util
import os
import pathlib
import shutil
import sys
import tempfile

import pandas as pd
import pytest

from parindex.schemas.columns import SORT_KEYS
from parindex.writer import commit

ROOT = pathlib.Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


def benchmark_corpus():
    """benchmarks/corpus.py, the synthetic corpus generator, as a new module: its seed is a
    module global that `generate` sets, so each caller gets its own."""
    spec = importlib.util.spec_from_file_location("corpus", ROOT / "benchmarks" / "corpus.py")
    corpus = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("corpus", corpus)  # dataclasses look their module up by name
    spec.loader.exec_module(corpus)
    return corpus


def generated_pdfs(root: pathlib.Path, reports: int, rankings: int, seed: int) -> list[pathlib.Path]:
    """Generated text PDFs in `root`: one-unit reports and documents about many units."""
    corpus = benchmark_corpus()
    corpus.generate(root / "reports", reports, seed=seed, formats={"pdf": 1}, rate=0.5, workers=1, shapes={"report": 1})
    corpus.generate(
        root / "rankings",
        rankings,
        seed=seed,
        formats={"pdf": 1},
        rate=0.5,
        workers=1,
        shapes={"decision": 1, "national": 1},
    )
    return sorted(root.glob("*/*.pdf"))


# A cold machine can take well over Prefect's default 30 s to start its temporary server.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "300")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


@pytest.fixture(scope="session")
def prefect_harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=300):
        yield


def read_tables(out: pathlib.Path) -> dict[str, pd.DataFrame]:
    return {name: pd.read_parquet(out / f"{name}.parquet") for name in ("observations", "flags", "documents", "panel")}


@pytest.fixture(scope="session")
def sample_run(prefect_harness, tmp_path_factory):
    """The real flow on the real sample files (copied, so relative sources are stable)."""
    from parindex.flows.ingest import ingest

    work = tmp_path_factory.mktemp("run")
    shutil.copytree(SAMPLES, work / "samples")
    cwd = os.getcwd()
    os.chdir(work)
    try:
        summary = ingest(["samples"], out="out")
    finally:
        os.chdir(cwd)
    out = work / "out"
    return {"work": work, "out": out, "summary": summary, **read_tables(out)}


def one(df: pd.DataFrame, **where) -> pd.Series:
    """The single row matching every column=value (fails loudly otherwise)."""
    mask = pd.Series(True, index=df.index)
    for col, value in where.items():
        mask &= (df[col] == value).fillna(False)
    rows = df[mask]
    assert len(rows) == 1, f"expected one row for {where}, found {len(rows)}"
    return rows.iloc[0]


def stage_file(folder: pathlib.Path, final: str, write) -> pathlib.Path:
    """A file written and fsynced under a staged name in `folder`, for `commit.commit`
    to move to `final`; removed if writing it fails."""
    fd, tmp = tempfile.mkstemp(prefix=f"{commit.STAGED_PREFIX}{final}.", suffix=".tmp", dir=folder)
    os.close(fd)
    tmp = pathlib.Path(tmp)
    try:
        write(str(tmp))
        commit.fsync_file(tmp)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def write_dataset(out_dir, frames: dict[str, pd.DataFrame]) -> None:
    """Whole tables written as single Parquet and CSV files through the commit journal
    (`commit.commit`, `commit.recover`), all or nothing: the journal tested on its own,
    without an import batch."""
    out = pathlib.Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    commit.recover(out)
    staged: list[tuple[pathlib.Path, str]] = []
    try:
        for name, df in frames.items():
            df = df.sort_values(list(SORT_KEYS[name]), kind="stable", na_position="first").reset_index(drop=True)
            for final, write in (
                (f"{name}.parquet", lambda p, df=df: df.to_parquet(p, index=False)),
                (f"{name}.csv", lambda p, df=df: df.to_csv(p, index=False, encoding="utf-8-sig")),
            ):
                staged.append((stage_file(out, final, write), final))
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    commit.commit(out, staged)
