"""The ingest flow: discover -> plan -> extract -> normalize -> match (one task per
document and stage) -> merge -> audit (with the panel) -> write. No parsing here: every
task calls a stage function or the import batch (writer/staging.py); flows/scheduling.py
submits the per-document tasks.

Runs with no Prefect server configured (Prefect starts a temporary local one). Task
results stay in memory and are never persisted, so the data never depends on Prefect's
records. The task runner is capped (threads by default); `run_ingest(..., runner="dask",
address=...)` runs the same flow on a Dask cluster (flows/runners.py). While it runs,
task-run events are sent only to a server that records them (flows/engine.py).

Documents are streamed: each one is staged in the import batch as soon as it is read
and leaves memory. Documents whose path, bytes and reading code are unchanged since an
earlier run into the same output folder are not read at all, and a file read before
under another name comes from the cache (writer/cache.py), so re-running an unchanged
archive costs little more than hashing it, and a run that adds documents rewrites only
the units they touch.
"""

from __future__ import annotations

from typing import Callable

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.states import Completed
from prefect.utilities.annotations import quote

from parindex.audit import AuditSettings
from parindex.discover import discover
from parindex.extractors import reading as extraction
from parindex.extractors.isolation import DEFAULT_LIMITS, Limits
from parindex.flows.early import EarlyReads, reading_early
from parindex.flows.engine import heartbeats_only_where_recorded, lean_engine
from parindex.flows.reporting import current_progress, reporting_to
from parindex.flows.runners import (
    default_workers,
    local_runner,
    task_runner,
)
from parindex.flows.scheduling import Handoff, read_documents, task_state
from parindex.flows.temporary_server import serving
from parindex.normalizer import stages as normalization
from parindex.schemas.result import DocumentResult
from parindex.schemas.source import SourceFile
from parindex.writer.layout import dataset_files
from parindex.writer.staging import ImportBatch
from parindex.writer.summary import RunSummary

TASK_OPTIONS = dict(cache_policy=NO_CACHE, persist_result=False, retries=0)


@task(name="discover", **TASK_OPTIONS)
def discover_task(paths: list[str], early: EarlyReads | None = None) -> list[SourceFile]:
    return early.sources() if early is not None else discover(paths)


@task(name="extract", task_run_name="extract {src.path}", **TASK_OPTIONS)
def extract_task(src: SourceFile, limits: Limits | None, early: EarlyReads | None = None) -> Handoff:
    result = early.take(src) if early is not None else None
    if result is not None:
        return task_state(Handoff(result, ready=True))
    return task_state(Handoff(extraction.extract_stage(src, limits)))


@task(name="normalize", **TASK_OPTIONS)
def normalize_task(doc: Handoff) -> Handoff:
    return doc if doc.ready else task_state(Handoff(normalization.normalize_stage(doc.result)))


@task(name="match", **TASK_OPTIONS)
def match_task(doc: Handoff) -> Handoff:
    return doc if doc.ready else task_state(Handoff(normalization.match_stage(doc.result)))


# the tasks each document goes through, in order
DOCUMENT_STAGES = [("extract", extract_task), ("normalize", normalize_task), ("match", match_task)]


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
            batch.keep(result, use_cache)
            if progress:
                progress(i, len(todo), result)

        cached = batch.cached if use_cache else None
        read_documents(todo, DOCUMENT_STAGES, limits, done, cached, in_flight, early)
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
        serving(),
        heartbeats_only_where_recorded(),
    ):
        if runner == "local" and workers is None:
            return ingest(paths, out=out, **kwargs)
        kwargs.setdefault("in_flight", 2 * workers if workers else None)
        return ingest.with_options(task_runner=task_runner(runner, address, workers))(paths, out=out, **kwargs)
