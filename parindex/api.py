"""The Python API for notebooks and data pipelines: `parindex.run` ingests documents
quietly and returns the run's summary; `parindex.load` gives a written dataset's four
tables as DataFrames (and a DuckDB connection to it).

    import parindex
    summary = parindex.run(["archive/2024"], out="out")
    ds = parindex.load("out")
    ds.panel.query("code == 'TOTAL'")
    ds.sql("SELECT rule, count(*) FROM flags GROUP BY rule").df()
"""

from __future__ import annotations

import contextlib
import logging
import os
import pathlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from parindex.schemas.columns import TABLES

if TYPE_CHECKING:
    import pandas as pd

PREFECT_LOGGERS = ("prefect", "httpx", "uvicorn", "docket")


def prefect_environment(verbose: bool = False) -> None:
    """Environment for Prefect before it is imported: an embedded temporary server given
    time to start on a cold machine, no telemetry, (unless `verbose`) warnings only, and
    for a temporary server none of the services that have nothing to do in one run and no
    block registration. A server left running by `parindex server start` is used instead
    of a temporary one."""
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # Prefect's client-side telemetry (and its first-run notice, which would break into the
    # progress display) is off unless the user asks for it.
    os.environ.setdefault("DO_NOT_TRACK", "1")
    if not verbose:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
        os.environ.setdefault("PREFECT_LOGGING_LOGGERS_PREFECT_LEVEL", "WARNING")
        # a failed document is a failed task run, logged for Prefect's UI; on the console
        # parindex names it itself, in one line
        os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")
    if not os.environ.get("PREFECT_API_URL"):
        from parindex.flows.server import url_if_running

        running = url_if_running()  # a server `parindex server start` left running: no temporary one
        if running:
            os.environ["PREFECT_API_URL"] = running
    if not os.environ.get("PREFECT_API_URL"):
        # A temporary server lives for one run: its schedulers, reapers and triggers have
        # nothing to do but take CPU from the documents, and recording task runs and events
        # would fill a database deleted at exit. Flow runs and artifacts stay.
        for service in EPHEMERAL_IDLE_SERVICES:
            os.environ.setdefault(f"PREFECT_SERVER_SERVICES_{service}_ENABLED", "false")
        # nor does it register Prefect's block types (which first imports every installed
        # Prefect collection, Dask's among them): a run uses no blocks
        os.environ.setdefault("PREFECT_API_BLOCKS_REGISTER_ON_START", "false")
        os.environ.setdefault("PREFECT_MEMOIZE_BLOCK_AUTO_REGISTRATION", "false")


EPHEMERAL_IDLE_SERVICES = (
    "CANCELLATION_CLEANUP",
    "DB_VACUUM",
    "EVENT_LOGGER",
    "FOREMAN",
    "LATE_RUNS",
    "SCHEDULER",
    "PAUSE_EXPIRATIONS",
    "REPOSSESSOR",
    "CLEANUP_RECONCILER",
    "TRIGGERS",
    "TASK_RUN_RECORDER",
    "EVENT_PERSISTER",
)


@contextlib.contextmanager
def prefect_logs_to_logging():
    """While it runs, Prefect's log records go to Python's logging (the caller's handlers,
    e.g. a notebook's), not straight to the console through Prefect's own handlers."""
    saved = []
    for name in PREFECT_LOGGERS:
        logger = logging.getLogger(name)
        saved.append((logger, list(logger.handlers), logger.propagate))
        for h in list(logger.handlers):
            if isinstance(h, logging.StreamHandler) and not isinstance(h, logging.FileHandler):
                logger.removeHandler(h)
        logger.propagate = True
    try:
        yield
    finally:
        for logger, handlers, propagate in saved:
            for h in handlers:
                if h not in logger.handlers:
                    logger.addHandler(h)
            logger.propagate = propagate


def run(
    paths: list[str | os.PathLike] | str | os.PathLike,
    out: str | os.PathLike = "out",
    *,
    settings=None,
    use_cache: bool = True,
    workers: int | None = None,
    runner: str = "local",
    address: str | None = None,
    progress=None,
    **kwargs,
):
    """Ingest files and folders into `out` through the Prefect flow and return its
    `RunSummary` (`.documents`, `.flag_counts`, `.status_counts`, `.line()`), printing
    nothing: Prefect's logs go to the `prefect` logger. Paths are checked first: a missing
    one raises FileNotFoundError before Prefect starts."""
    paths = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    check_paths(paths)
    from parindex.writer.layout import check_output_folder

    check_output_folder(out, paths)  # a folder of other files, or an input folder, is refused
    prefect_environment()
    from parindex.flows.ingest import run_ingest  # imports Prefect

    with prefect_logs_to_logging():
        return run_ingest(
            [os.fspath(p) for p in paths],
            out=os.fspath(out),
            runner=runner,
            address=address,
            workers=workers,
            settings=settings,
            progress=progress,
            use_cache=use_cache,
            **kwargs,
        )


def check_paths(paths: list[str | os.PathLike]) -> None:
    """Every input path exists and can be read; raises naming the first that cannot."""
    for p in paths:
        path = pathlib.Path(p)
        if not path.exists():
            raise FileNotFoundError(f"{path}: no such file or directory")
        if not os.access(path, os.R_OK):
            raise PermissionError(f"{path}: not readable")


@dataclass
class Dataset:
    """A written dataset: its four tables as DataFrames, and SQL over its DuckDB file."""

    path: pathlib.Path
    observations: pd.DataFrame
    flags: pd.DataFrame
    documents: pd.DataFrame
    panel: pd.DataFrame
    _connection: object = field(default=None, repr=False)

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in TABLES:
            raise KeyError(f"{name!r}: one of {', '.join(TABLES)}")
        return getattr(self, name)

    def connect(self):
        """A read-only DuckDB connection to the dataset's `parindex.duckdb` (tables
        observations, documents, panel and the view flags)."""
        if self._connection is None:
            from parindex.writer.read import open_database

            self._connection = open_database(self.path)
        return self._connection

    def sql(self, query: str):
        """`ds.sql("SELECT …").df()`: a query over the dataset's DuckDB file."""
        return self.connect().sql(query)

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def load(out: str | os.PathLike = "out") -> Dataset:
    """The dataset written to `out` by `parindex run`."""
    from parindex.writer.read import read_dataset  # pandas: only when a dataset is read

    frames = read_dataset(out)
    return Dataset(path=pathlib.Path(out), **frames)


__all__ = [
    "Dataset",
    "EPHEMERAL_IDLE_SERVICES",
    "check_paths",
    "load",
    "prefect_environment",
    "prefect_logs_to_logging",
    "run",
]
