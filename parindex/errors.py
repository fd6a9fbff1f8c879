"""Errors `parindex run` reports in one line, without a traceback: the user can fix them."""
from __future__ import annotations


class ParindexError(RuntimeError):
    """A problem with the command's setting, not with a document or the code."""


class RunnerUnavailable(ParindexError):
    """The runner asked for needs a package that is not installed."""


class OutputBusy(ParindexError):
    """Another run is writing to the output folder."""
