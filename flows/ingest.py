"""The ingest flow: discover -> plan -> extract -> normalize -> match (one task per
document and stage) -> merge -> audit (with the panel) -> write. No parsing here: every
task calls a stage function or the import batch (parindex/batch.py).

Runs with no Prefect server configured (Prefect starts a temporary local one). Task
results stay in memory and are never persisted, so the data never depends on Prefect's
records. The task runner is capped (threads by default); `run_ingest(..., runner="dask",
address=...)` runs the same flow on a Dask cluster (flows/runners.py). While it runs,
task-run events are sent only to a server that records them (flows/engine.py).

Documents are streamed: each one is staged in the import batch as soon as it is read
and leaves memory. Documents whose path, bytes and reading code are unchanged since an
earlier run into the same output folder are not read at all, and a file read before
under another name comes from the cache (parindex/cache.py), so re-running an unchanged
archive costs little more than hashing it, and a run that adds documents rewrites only
the units they touch.
"""

from __future__ import annotations

import queue
from typing import Callable

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.states import Completed, Failed
from prefect.utilities.annotations import quote

from parindex import stages
from parindex.audit import AuditSettings
from parindex.discover import discover
from parindex.extractors import stage as extraction
from parindex.extractors.isolation import DEFAULT_LIMITS, Limits
from parindex.flows.early import EarlyReads, reading_early
from parindex.flows.engine import lean_engine
from parindex.flows.runners import (
    default_workers,
    forget_task_runs,
    local_runner,
    task_runner,
)
from parindex.normalizer import stage as normalization
from parindex.progress import current_progress, reporting_to
from parindex.schemas.result import DocumentResult
from parindex.schemas.source import SourceFile
from parindex.writer import cache
from parindex.writer.layout import dataset_files
from parindex.writer.staging import ImportBatch
from parindex.writer.summary import RunSummary

TASK_OPTIONS = dict(cache_policy=NO_CACHE, persist_result=False, retries=0)


@task(name="discover", **TASK_OPTIONS)
def discover_task(paths: list[str], early: EarlyReads | None = None) -> list[SourceFile]:
    return early.sources() if early is not None else discover(paths)


class Handoff:
    """One document's result passed from task to task. Prefect walks a task's inputs to
    resolve futures, through every dataclass and list: through the thousands of cells of
    an extracted document that costs a quarter of a second per stage. This wrapper is
    not a collection, so Prefect hands it over as it is. `ready`: the document was read,
    normalized and matched before the flow started (`flows.early`)."""

    __slots__ = ("ready", "result")

    def __init__(self, result: DocumentResult, ready: bool = False):
        self.result = result
        self.ready = ready

    def __getstate__(self):
        return self.result, self.ready

    def __setstate__(self, state):
        self.result, self.ready = state


def _task_state(handoff: Handoff):
    """A document that failed at this stage is a failed task run, its error in Prefect's
    log and UI; its result is still handed on, to be recorded in the dataset."""
    result = handoff.result
    if result.status == "failed":
        return Failed(message=result.error or f"{result.source.path}: failed", data=handoff)
    return handoff


@task(name="extract", task_run_name="extract {src.path}", **TASK_OPTIONS)
def extract_task(src: SourceFile, limits: Limits | None, early: EarlyReads | None = None) -> Handoff:
    result = early.take(src) if early is not None else None
    if result is not None:
        return _task_state(Handoff(result, ready=True))
    return _task_state(Handoff(extraction.extract_stage(src, limits)))


@task(name="normalize", **TASK_OPTIONS)
def normalize_task(doc: Handoff) -> Handoff:
    return doc if doc.ready else _task_state(Handoff(normalization.normalize_stage(doc.result)))


@task(name="match", **TASK_OPTIONS)
def match_task(doc: Handoff) -> Handoff:
    return doc if doc.ready else _task_state(Handoff(normalization.match_stage(doc.result)))


@task(name="plan", **TASK_OPTIONS)
def plan_task(batch: ImportBatch, sources: list[SourceFile]) -> tuple[list[SourceFile], list[dict]]:
    return batch.plan(sources)


@task(name="merge", **TASK_OPTIONS)
def merge_task(batch: ImportBatch) -> tuple[set[str], set[str]]:
    return batch.merge()


@task(name="audit", **TASK_OPTIONS)
def audit_task(batch: ImportBatch, documents: set[str], units: set[str]) -> None:
    batch.audit(documents, units)


@task(name="write", **TASK_OPTIONS)
def write_task(batch: ImportBatch, units: set[str]) -> dict:
    return batch.write(units)


@flow(name="parindex-ingest", task_runner=local_runner(), log_prints=False, persist_result=False)
def ingest(
    paths: list[str],
    out: str = "out",
    settings: AuditSettings | None = None,
    limits: Limits | None = DEFAULT_LIMITS,
    use_cache: bool = True,
    in_flight: int | None = None,
) -> RunSummary:
    """Ingest files and folders into `out`. `limits` bounds each document's reading time
    and memory (None reads in this process, without limits); `use_cache=False` reads
    every document again; `in_flight` documents are read at a time (default: twice the
    local cores, at most 8). Progress goes to the callback `run_ingest` was given."""
    in_flight = in_flight or 2 * default_workers()
    progress = current_progress()
    early = EarlyReads.current()
    sources = discover_task(paths, *([quote(early)] if early else []))  # a local run's only
    # quote(): the batch is handed over as it is (Prefect would walk it for futures)
    with lean_engine(), ImportBatch(out, settings, use_cache) as batch:
        todo, unchanged = plan_task(quote(batch), sources)
        if progress is not None and hasattr(progress, "unchanged"):
            progress.unchanged(len(unchanged), to_read=len(todo))

        def done(result: DocumentResult, i: int) -> None:
            stages.keep(batch, result, use_cache)
            if progress:
                progress(i, len(todo), result)

        _read_documents(todo, limits, done, cache_from=out if use_cache else None, in_flight=in_flight, early=early)
        files = dataset_files(out)
        if batch.changed:
            documents, units = merge_task(quote(batch))
            audit_task(quote(batch), quote(documents), quote(units))
            files = write_task(quote(batch), quote(units))
        totals = batch.summary()
    summary = RunSummary.of(out, totals, files)
    _publish_artifact(totals["documents"], totals["flag_counts"])
    failed = sum(1 for d in summary.documents if d.get("status") == "failed")
    if failed:  # the flow run completes, and its state says how many documents failed
        return Completed(message=f"{failed} of {len(summary.documents)} documents failed", data=summary)
    return summary


def _read_documents(
    todo: list[SourceFile],
    limits: Limits | None,
    done: Callable[[DocumentResult, int], None],
    cache_from: str | None,
    in_flight: int,
    early: EarlyReads | None = None,
) -> None:
    """Extract, normalize and match every document, one task per document and stage, and
    hand each to `done` as it finishes. At most `in_flight` documents are being read at
    a time, so memory holds those few, not the archive (with every extraction queued at
    once, each document's next stage would queue behind all of them). A stage is
    submitted as soon as the previous one finishes (a done-callback, no polling), with
    its result rather than a future: no worker sits waiting on another's task. A
    document read before under another name comes from the cache, without a task. Once
    a document's last stage is done, what Prefect's flow context keeps of its task runs
    is dropped (`forget_task_runs`), so that does not grow with the archive either."""
    next_stage = {"extract": ("normalize", normalize_task), "normalize": ("match", match_task)}
    finished_futures: queue.SimpleQueue = queue.SimpleQueue()
    stage_of: dict = {}  # future -> (stage, document number)
    runs: dict[int, list] = {}  # document number -> its finished task runs and results
    pending = enumerate(todo)
    counter = {"finished": 0, "active": 0}

    def submit(task_fn, arg, stage: str, key: int, *more) -> None:
        fut = task_fn.submit(arg, *more)
        stage_of[fut] = (stage, key)
        fut.add_done_callback(finished_futures.put)

    def finish(result: DocumentResult) -> None:
        counter["finished"] += 1
        done(result, counter["finished"])

    sources: dict[int, SourceFile] = {}

    def start_next() -> bool:
        for key, src in pending:
            hit = cache.load(cache_from, src) if cache_from is not None and not src.duplicate_of else None
            if hit is not None:
                finish(hit)
                continue
            runs[key] = []
            sources[key] = src
            submit(extract_task, src, "extract", key, limits, *([quote(early)] if early else []))
            counter["active"] += 1
            return True
        return False

    while counter["active"] < in_flight and start_next():
        pass
    while counter["active"]:
        fut = finished_futures.get()
        stage, key = stage_of.pop(fut)
        handoff = _handoff_of(fut, sources[key], stage)
        runs[key].append((fut.task_run_id, handoff))
        if stage in next_stage and handoff.result.status != "failed":
            name, task_fn = next_stage[stage]
            submit(task_fn, handoff, name, key)
        else:
            counter["active"] -= 1
            forget_task_runs(runs.pop(key))
            sources.pop(key, None)
            finish(handoff.result)
            start_next()


def _handoff_of(future, src: SourceFile, stage: str) -> Handoff:
    """A finished task's document, whether its run completed or failed; a task that
    crashed (its worker died) gives the document a failed result naming the stage."""
    future.wait()  # the callback can run before the future's final state is set
    value = future.state.result(raise_on_failure=False)
    if isinstance(value, Handoff):
        return value
    return Handoff(
        DocumentResult(
            source=src, status="failed", error=f"{src.path}: {stage} crashed: {type(value).__name__}: {value}"
        )
    )


def _publish_artifact(documents: list[dict], flag_counts) -> None:
    """A run summary in the Prefect UI when a server is used; harmless otherwise: the
    documents with status and counts, and the flags counted by rule and severity."""
    try:
        from prefect.artifacts import create_markdown_artifact

        from parindex.writer.summary import summary_markdown

        create_markdown_artifact(
            summary_markdown(documents, flag_counts), key="parindex-run-summary", description="parindex run summary"
        )
    except Exception:
        pass


def run_ingest(
    paths: list[str],
    out: str = "out",
    runner: str = "local",
    address: str | None = None,
    workers: int | None = None,
    progress: Callable[[int, int, DocumentResult], None] | None = None,
    **kwargs,
) -> RunSummary:
    """`ingest` on the task runner named (local threads, or a Dask or Ray cluster), calling
    `progress(i, n, result)` as each document finishes."""
    with (
        reporting_to(progress),
        reading_early(paths, out, runner, workers, kwargs.get("limits", DEFAULT_LIMITS), kwargs.get("use_cache", True)),
    ):
        if runner == "local" and workers is None:
            return ingest(paths, out=out, **kwargs)
        kwargs.setdefault("in_flight", 2 * workers if workers else None)
        return ingest.with_options(task_runner=task_runner(runner, address, workers))(paths, out=out, **kwargs)
