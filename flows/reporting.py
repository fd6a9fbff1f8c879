"""Where the ingest flow reports each finished document: a callback set for the run's
context (the CLI's progress display, or a notebook's)."""

from __future__ import annotations

import contextlib
from contextvars import ContextVar

# The progress callback of the run in this context. Not a flow parameter: Dask and Ray
# pickle a flow's parameters for their workers, and a progress display (a terminal, a
# lock) cannot be pickled; it is only ever called in the flow's own process.
_PROGRESS: ContextVar = ContextVar("parindex_progress", default=None)


def current_progress():
    """The callback `reporting_to` set, or None."""
    return _PROGRESS.get()


@contextlib.contextmanager
def reporting_to(progress):
    token = _PROGRESS.set(progress)
    try:
        yield
    finally:
        _PROGRESS.reset(token)
