"""Progress of `parindex run` on stderr: one status line per document and the time left.

On a terminal, a rich progress bar (files done, time left) stays at the bottom while the
per-document lines scroll above it. Anywhere else (pipes, CI logs, tests) the same
information comes as plain lines, one per document:

    [2/5] ok        116 obs  samples/001_af3bdc7e3d446662.docx  (~24s left)
    [3/5] failed      0 obs  broken.pdf — cannot read as pdf: ...  (~11s left)

The time left is the time since reading started (the flow calls `unchanged` once it
has discovered and planned the files, after Prefect has started) divided by the documents
done, times the documents left: Prefect's start-up is not a document's cost, and with
several documents read at once the average over all of them is what the rest will take.

Modes: `normal` (all of the above), `quiet` (only documents that failed, each named with
its error), `silent` (nothing; for --json).
"""

from __future__ import annotations

import sys
import time
from typing import Callable, TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn
from rich.text import Text

STATUS_STYLE = {"ok": "green", "partial": "yellow", "failed": "bold red"}


def error_text(result) -> str:
    """The document's error without a leading repeat of its path (the line names it)."""
    error = result.error or ""
    prefix = f"{result.source.path}: "
    return error[len(prefix) :] if error.startswith(prefix) else error


def progress_line(i: int, n: int, result, seconds_left: float) -> str:
    note = f" — {error_text(result)}" if result.error else ""
    return (
        f"[{i}/{n}] {result.status:<7} {result.count():>4} obs  {result.source.path}{note}  (~{seconds_left:.0f}s left)"
    )


def error_line(result) -> str:
    return f"parindex: {result.source.path}: {result.status}: {error_text(result) or 'unknown error'}"


class RunProgress:
    """The `progress` callback of `flows.ingest.ingest`, used as a context manager around
    the run so a terminal's progress bar starts at once and is cleared at the end."""

    def __init__(
        self,
        mode: str = "normal",
        stream: TextIO | None = None,
        console: Console | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        if mode not in ("normal", "quiet", "silent"):
            raise ValueError(f"progress mode {mode!r}")
        self.mode = mode
        self.stream = stream if stream is not None else sys.stderr
        self.console = console if console is not None else Console(file=self.stream, highlight=False)
        self.rich = mode == "normal" and self.console.is_terminal
        self.clock = clock
        self.started = clock()
        self.reading_since: float | None = None  # set when the flow starts reading documents
        self._bar: Progress | None = None
        self._task = None

    def __enter__(self) -> "RunProgress":
        self.started = self.clock()
        if self.rich:
            self._bar = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[left]}"),
                console=self.console,
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task("starting (Prefect, discovery)", total=None, left="")
        return self

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def seconds_left(self, i: int, n: int) -> float:
        """Documents left times the average time per document done since reading started."""
        since = self.reading_since if self.reading_since is not None else self.started
        return (self.clock() - since) / max(i, 1) * (n - i)

    def unchanged(self, n: int, to_read: int | None = None) -> None:
        """Called once the files are discovered and planned, just before the first is read:
        the documents already in the dataset with the same bytes (one line for all), how
        many will be read (the bar's total from the start), and the moment reading starts."""
        self.reading_since = self.clock()
        if self._bar is not None:
            self._bar.update(
                self._task,
                description="reading documents",
                refresh=True,
                **({"total": to_read, "completed": 0} if to_read else {}),
            )
        if self.mode == "normal" and n:
            line = f"{n} document{'s' if n != 1 else ''} unchanged since the last run into this folder: not read again"
            (self.console.print(line) if self.rich else print(line, file=self.stream, flush=True))

    def __call__(self, i: int, n: int, result) -> None:
        left = self.seconds_left(i, n)
        if self.mode == "silent":
            return
        if self.mode == "quiet":
            if result.status == "failed":
                print(error_line(result), file=self.stream, flush=True)
            return
        if not self.rich:
            print(progress_line(i, n, result, left), file=self.stream, flush=True)
            return
        # the bar first: printing the line redraws it, so it shows this document done
        if self._bar is not None:
            self._bar.update(
                self._task,
                total=n,
                completed=i,
                description="documents",
                left=f"~{left:.0f}s left" if i < n else "auditing and writing",
                refresh=True,
            )
        note = f" — {error_text(result)}" if result.error else ""
        self.console.print(
            Text.assemble(
                f"[{i}/{n}] ",
                (f"{result.status:<7}", STATUS_STYLE.get(result.status, "")),
                f" {result.count():>4} obs  {result.source.path}{note}",
            )
        )
