"""Documents read while Prefect starts: reading needs no server.

Without PREFECT_API_URL, a run first imports Prefect (about 2 s) and starts Prefect's
temporary server (several seconds more): most of the wait of a run over a handful of
documents. `EarlyReads` finds the files and reads, normalizes and matches the first
`EARLY_DOCUMENTS` of them that the result cache does not hold, on one thread fewer than
the run's workers (each with its reader process, `parindex.extractors.isolation`; the server's
start takes a core), from before Prefect is imported.
The flow then takes the files found here for its discover task, and each document read
here in its extract task (its normalize and match tasks pass it on); a document not
started here is read by the flow as usual. Nothing here imports Prefect.

Started by the CLI before it imports Prefect (`start`), or by `flows.ingest.run_ingest`
(`reading_early`) for a caller that did not; only for the local runner.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import os
import queue
import threading
import warnings
from collections.abc import Iterator

from parindex.discover import discover
from parindex.extractors import reading as extraction
from parindex.extractors.isolation import Limits
from parindex.normalizer import stages as normalization
from parindex.schemas.result import DocumentResult
from parindex.schemas.source import SourceFile
from parindex.writer import cache

EARLY_DOCUMENTS = 64  # at most this many documents are read before the flow starts

# Importing requests silences urllib3's warning that PySocks is missing (requests imports
# urllib3.contrib.socks to learn whether it can use SOCKS proxies). A reading thread imports
# requests (vietnamadminunits imports geopy) while the caller's thread imports Prefect, and
# `warnings.catch_warnings`, which Prefect's imports enter, is not thread-safe: leaving it
# restores the filters as they were when it was entered, dropping the one requests just added,
# and the warning reached the user's terminal or notebook. The same filter, installed by the
# caller's thread before any reading thread starts, is in the filters every such block restores.
_IMPORT_WARNINGS_SILENCED_BY_REQUESTS = {"message": "SOCKS support in urllib3", "module": r"urllib3\."}


def default_workers() -> int:
    """Documents read in parallel by default: one per core, at most 4."""
    return max(1, min(4, os.cpu_count() or 1))


class EarlyReads:
    """See the module docstring."""

    _current: EarlyReads | None = None

    def __init__(self, paths: list[str], out: str, limits: Limits | None, use_cache: bool, workers: int):
        self.key = (tuple(paths), out, use_cache)
        self._paths, self._out, self._limits, self._use_cache = paths, out, limits, use_cache
        self._found: list[SourceFile] | None = None
        self._found_event = threading.Event()
        self._results: dict[tuple[str, str | None], concurrent.futures.Future] = {}
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        warnings.filterwarnings("ignore", **_IMPORT_WARNINGS_SILENCED_BY_REQUESTS)
        self._threads = [threading.Thread(target=self._discover, daemon=True, name="parindex-early-discover")]
        self._threads += [
            threading.Thread(target=self._read, daemon=True, name=f"parindex-early-read-{k}")
            for k in range(max(1, workers))
        ]
        for t in self._threads:
            t.start()

    @classmethod
    def current(cls) -> EarlyReads | None:
        return cls._current

    def _wanted(self, src: SourceFile) -> bool:
        """A file the flow will read: not failed, not a duplicate, not in the cache."""
        return not (src.error or src.duplicate_of or self._use_cache and cache.has(self._out, src.sha256))

    def _discover(self) -> None:
        try:
            self._found = discover(self._paths)
            chosen = [src for src in self._found if self._wanted(src)][:EARLY_DOCUMENTS]
            for src in chosen:
                future: concurrent.futures.Future = concurrent.futures.Future()
                self._results[(src.path, src.sha256)] = future
                self._queue.put((src, future))
        finally:
            self._found_event.set()
            for _ in self._threads[1:]:
                self._queue.put(None)

    def _read(self) -> None:
        from parindex.extractors.isolation import close_reader

        try:
            while (item := self._queue.get()) is not None:
                src, future = item
                if not future.set_running_or_notify_cancel():
                    continue
                try:
                    result = extraction.extract_stage(src, self._limits)
                    future.set_result(normalization.match_stage(normalization.normalize_stage(result)))
                except BaseException as exc:  # noqa: BLE001 - the flow reads this document itself
                    future.set_exception(exc)
        finally:
            close_reader()

    def sources(self) -> list[SourceFile]:
        """The files found (discovered here, once)."""
        self._found_event.wait()
        if self._found is None:  # discovery failed here: the flow's own discovery says why
            return discover(self._paths)
        return self._found

    def take(self, src: SourceFile) -> DocumentResult | None:
        """The document read here (waiting for it if it is being read), or None: not
        chosen here, not started here yet (it is dropped from this queue: the flow's own
        workers, more than the threads here, read it now), or its reading here failed
        unexpectedly (the flow reads it then)."""
        future = self._results.pop((src.path, src.sha256), None)
        if future is None or future.cancel():
            return None
        try:
            return future.result()
        except Exception:  # noqa: BLE001
            return None

    def close(self) -> None:
        """Read nothing more: documents not yet started are left to the flow."""
        for future in list(self._results.values()):
            future.cancel()
        self._results.clear()
        if EarlyReads._current is self:
            EarlyReads._current = None


def wanted(runner: str) -> bool:
    """Whether to read early: on the local runner with no Prefect server named in the
    environment (a running server answers at once)."""
    return runner == "local" and not os.environ.get("PREFECT_API_URL")


def start(
    paths: list[str],
    out: str,
    limits: Limits | None,
    use_cache: bool,
    runner: str = "local",
    workers: int | None = None,
) -> None:
    """Start reading early for the run about to start (see the module docstring)."""
    if wanted(runner) and EarlyReads._current is None:
        # one core fewer than the run's workers: the temporary server's start needs one too
        readers = max(1, (workers or default_workers()) - 1)
        EarlyReads._current = EarlyReads(list(paths), out, limits, use_cache, readers)


@contextlib.contextmanager
def reading_early(
    paths: list[str], out: str, runner: str, workers: int | None, limits: Limits | None, use_cache: bool
) -> Iterator[None]:
    """Within: the early reads of this run, started here if the caller did not start
    them; stopped on the way out. Reads started for other paths are dropped."""
    from prefect.settings import get_current_settings  # the caller has imported Prefect

    early = EarlyReads._current
    if early is not None and early.key != (tuple(paths), out, use_cache):
        early.close()
    if get_current_settings().api.url:  # a server named in Prefect's settings or profile answers at once
        if EarlyReads._current is not None:
            EarlyReads._current.close()
    else:
        start(paths, out, limits, use_cache, runner, workers)
    try:
        yield
    finally:
        if EarlyReads._current is not None:
            EarlyReads._current.close()
