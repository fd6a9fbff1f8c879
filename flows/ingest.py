"""The ingest flow: discover -> extract -> normalize -> match (one task per document and
stage) -> audit -> panel -> write. No parsing here: every task calls a stage function.

Runs with no Prefect server configured (Prefect starts a temporary local one). Task
results stay in memory and are never persisted, so the data never depends on Prefect's
records. The task runner is capped (threads by default); `run_ingest(..., runner="dask",
address=...)` runs the same flow on a Dask cluster (flows/runners.py).

Documents whose bytes and reading code are unchanged since an earlier run into the same
output folder are taken from its cache (parindex/cache.py) in one task, without a task
per document, so re-running an unchanged archive costs little more than hashing it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import wait
from prefect.utilities.annotations import quote

from normalizer.audit import AuditSettings
from parindex import stages
from parindex.discover import SourceFile, discover
from flows.runners import local_runner, task_runner
from parindex.isolation import DEFAULT_LIMITS, Limits

TASK_OPTIONS = dict(cache_policy=NO_CACHE, persist_result=False, retries=0)


@task(name="discover", **TASK_OPTIONS)
def discover_task(paths: list[str]) -> list[SourceFile]:
    return discover(paths)


class Handoff:
    """One document's result passed from task to task. Prefect walks a task's inputs to
    resolve futures, through every dataclass and list: through the thousands of cells of
    an extracted document that costs a quarter of a second per stage. This wrapper is
    not a collection, so Prefect hands it over as it is."""

    __slots__ = ("result",)

    def __init__(self, result: stages.DocumentResult):
        self.result = result

    def __getstate__(self):
        return self.result

    def __setstate__(self, state):
        self.result = state


@task(name="extract", task_run_name="extract {src.path}", **TASK_OPTIONS)
def extract_task(src: SourceFile, limits: Limits | None) -> Handoff:
    return Handoff(stages.extract_stage(src, limits))


@task(name="normalize", **TASK_OPTIONS)
def normalize_task(doc: Handoff) -> Handoff:
    return Handoff(stages.normalize_stage(doc.result))


@task(name="match", **TASK_OPTIONS)
def match_task(doc: Handoff) -> Handoff:
    return Handoff(stages.match_stage(doc.result))


@task(name="merge", **TASK_OPTIONS)
def merge_task(out: str, results: list[stages.DocumentResult]):
    return stages.merge_with_existing(out, results)


@task(name="audit", **TASK_OPTIONS)
def audit_task(observations: list[dict], settings: AuditSettings | None) -> list[dict]:
    return stages.audit_stage(observations, settings)


@task(name="panel", **TASK_OPTIONS)
def panel_task(observations: list[dict]) -> list[dict]:
    return stages.panel_stage(observations)


@task(name="cached", **TASK_OPTIONS)
def cached_task(out: str, sources: list[SourceFile]) -> dict[str, stages.DocumentResult]:
    return stages.cached_results(out, sources)


@task(name="remember", **TASK_OPTIONS)
def remember_task(out: str, results: list[stages.DocumentResult]) -> None:
    stages.remember_results(out, results)


@task(name="write", **TASK_OPTIONS)
def write_task(out: str, observations, flags, documents, panel) -> dict:
    return stages.write_stage(out, observations, flags, documents, panel)


@dataclass
class RunSummary:
    out: str
    documents: list[dict] = field(default_factory=list)
    observations: int = 0
    flags: int = 0
    flags_by_rule: dict[str, int] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)


@flow(name="parindex-ingest", task_runner=local_runner(), log_prints=False, persist_result=False)
def ingest(paths: list[str], out: str = "out", settings: AuditSettings | None = None,
           progress: Callable[[int, int, stages.DocumentResult], None] | None = None,
           limits: Limits | None = DEFAULT_LIMITS, use_cache: bool = True) -> RunSummary:
    """Ingest files and folders into `out`. `limits` bounds each document's reading time
    and memory (None reads in this process, without limits); `use_cache=False` reads
    every document again."""
    sources = discover_task(paths)
    cached = cached_task(out, sources) if use_cache else {}
    todo = [src for src in sources if src.path not in cached]
    read = _read_documents(todo, limits, progress, total=len(sources))
    if progress:  # cached documents: reported after the others, without a task each
        for i, src in enumerate((s for s in sources if s.path in cached), start=len(read) + 1):
            progress(i, len(sources), cached[src.path])
    results = [cached.get(src.path) or read[src.path] for src in sources]
    # quote(): large inputs are handed over as they are; Prefect would otherwise walk every
    # observation looking for futures to resolve (seconds per task at archive scale)
    if use_cache:
        remember_task(out, quote([r for r in results if r.source.path in read]))
    observations, documents = merge_task(out, quote(results))
    flags = audit_task(quote(observations), settings)
    panel = panel_task(quote(observations))
    files = write_task(out, quote(observations), quote(flags), quote(documents), quote(panel))
    by_rule: dict[str, int] = {}
    for f in flags:
        by_rule[f["rule"]] = by_rule.get(f["rule"], 0) + 1
    _publish_artifact(documents, flags, by_rule)
    return RunSummary(out=str(out), documents=[r.document_row() for r in results], observations=len(observations),
                      flags=len(flags), flags_by_rule=by_rule, files={k: str(v) for k, v in files.items()})


def _read_documents(todo: list[SourceFile], limits: Limits | None, progress,
                    total: int) -> dict[str, stages.DocumentResult]:
    """Extract, normalize and match every document, one task per document and stage. A
    stage is submitted when the previous one has finished, with its result rather than a
    future: a worker thread never sits waiting on another document's upstream task, so
    every worker is reading."""
    next_stage = {"extract": ("normalize", normalize_task), "normalize": ("match", match_task)}
    stage_of: dict = {}
    for src in todo:
        stage_of[extract_task.submit(src, limits)] = "extract"
    finished: dict[str, stages.DocumentResult] = {}
    while stage_of:
        done, _ = wait(list(stage_of), timeout=0.2)
        for fut in done:
            stage = stage_of.pop(fut)
            handoff = fut.result()
            if stage in next_stage:
                name, task_fn = next_stage[stage]
                stage_of[task_fn.submit(handoff)] = name
            else:
                finished[handoff.result.source.path] = handoff.result
                if progress:
                    progress(len(finished), total, handoff.result)
    return finished


def _publish_artifact(documents: list[dict], flags: list[dict], by_rule: dict[str, int]) -> None:
    """A run summary in the Prefect UI when a server is used; harmless otherwise: the
    documents with status and counts, and the flags by rule and severity (`by_rule` is
    kept for callers; the table is counted from `flags`)."""
    try:
        from prefect.artifacts import create_markdown_artifact

        from parindex.run_summary import summary_markdown

        create_markdown_artifact(summary_markdown(documents, flags), key="parindex-run-summary",
                                 description="parindex run summary")
    except Exception:
        pass


def run_ingest(paths: list[str], out: str = "out", runner: str = "local", address: str | None = None,
               workers: int | None = None, **kwargs) -> RunSummary:
    """`ingest` on the task runner named: local threads, or a Dask or Ray cluster."""
    if runner == "local" and workers is None:
        return ingest(paths, out=out, **kwargs)
    return ingest.with_options(task_runner=task_runner(runner, address, workers))(paths, out=out, **kwargs)
