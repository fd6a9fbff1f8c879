"""Errors `parindex run` reports in one line, without a traceback: the user can fix them."""

from __future__ import annotations


class ParindexError(RuntimeError):
    """A problem with the command's setting, not with a document or the code."""


class RunnerUnavailable(ParindexError):
    """The runner asked for needs a package that is not installed."""


class OutputBusy(ParindexError):
    """Another run is writing to the output folder."""


class OutputNotOurs(ParindexError):
    """The output folder holds files that are not a parindex dataset, or is an input folder."""


class DatasetDamaged(ParindexError):
    """The dataset in the output folder is damaged beyond what it can rebuild itself."""
