"""How the ingest flow submits its per-document tasks: at most `in_flight` documents are
being read at a time, and each document's next stage is submitted as soon as its
previous one finishes.

Queuing every extraction at once would put each document's next stage behind the whole
archive and hold every extracted document in memory. A stage is submitted from a
done-callback (no polling), with its result rather than a future, so no worker sits
waiting on another's task; results travel in an opaque `Handoff`.
"""

from __future__ import annotations

import queue
from typing import Callable

from prefect.states import Failed
from prefect.utilities.annotations import quote

from parindex.extractors.isolation import Limits
from parindex.flows.early import EarlyReads
from parindex.flows.runners import forget_task_runs
from parindex.schemas.result import DocumentResult
from parindex.schemas.source import SourceFile


class Handoff:
    """One document's result passed from task to task. Prefect walks a task's inputs to
    resolve futures, through every dataclass and list, and so through every one of the
    thousands of cells of an extracted document. This wrapper is not a collection, so
    Prefect hands it over as it is. `ready`: the document was read,
    normalized and matched before the flow started (`flows.early`)."""

    __slots__ = ("ready", "result")

    def __init__(self, result: DocumentResult, ready: bool = False):
        self.result = result
        self.ready = ready

    def __getstate__(self):
        return self.result, self.ready

    def __setstate__(self, state):
        self.result, self.ready = state


def task_state(handoff: Handoff):
    """A document that failed at this stage is a failed task run, its error in Prefect's
    log and UI; its result is still handed on, to be recorded in the dataset."""
    result = handoff.result
    if result.status == "failed":
        return Failed(message=result.error or f"{result.source.path}: failed", data=handoff)
    return handoff


def read_documents(
    todo: list[SourceFile],
    stages: list[tuple[str, object]],
    limits: Limits | None,
    done: Callable[[DocumentResult, int], None],
    cached: Callable[[SourceFile], DocumentResult | None] | None,
    in_flight: int,
    early: EarlyReads | None = None,
) -> None:
    """Run every document of `todo` through `stages` ((name, Prefect task) pairs, the
    first taking the source file and the limits, each next one the previous one's
    `Handoff`), one task per document and stage, and hand each result to `done` as it
    finishes. At most `in_flight` documents are in the stages at a time. A document
    `cached` has a result for (the same bytes read before under another name) is handed
    on without a task. Once a document's last stage is done, what Prefect's flow context
    keeps of its task runs is dropped (`forget_task_runs`), so that does not grow with
    the archive either."""
    (first_name, first_task), *rest = stages
    names = [name for name, _ in stages]
    next_stage = {names[i]: stages[i + 1] for i in range(len(stages) - 1)}
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
            hit = cached(src) if cached is not None and not src.duplicate_of else None
            if hit is not None:
                finish(hit)
                continue
            runs[key] = []
            sources[key] = src
            submit(first_task, src, first_name, key, limits, *([quote(early)] if early else []))
            counter["active"] += 1
            return True
        return False

    while counter["active"] < in_flight and start_next():
        pass
    while counter["active"]:
        fut = finished_futures.get()
        stage, key = stage_of.pop(fut)
        handoff = handoff_of(fut, sources[key], stage)
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


def handoff_of(future, src: SourceFile, stage: str) -> Handoff:
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
