"""Text from documents and file names made safe to print on a terminal: a file name
can hold escape codes that move the cursor, clear the screen or retitle the window, so
every character that is not printable is shown as a Python escape (\\x1b, \\u202e)."""

from __future__ import annotations

import dataclasses


def escaped(text: str | None) -> str | None:
    """`text` with each non-printable character (controls, bidirectional overrides)
    written as its escape; printable text, Vietnamese included, as it is."""
    if text is None or text.isprintable():
        return text
    return "".join(c if c.isprintable() or c in " " else repr(c)[1:-1] for c in text)


def printable_result(result):
    """A copy of a document's result whose path and error print safely."""
    path, error = escaped(result.source.path), escaped(result.error)
    if path == result.source.path and error == result.error:
        return result
    return dataclasses.replace(result, source=dataclasses.replace(result.source, path=path), error=error)


class EscapedProgress:
    """A progress callback (parindex/progress.py) that is handed results that print safely."""

    def __init__(self, progress):
        self._progress = progress

    def __enter__(self):
        self._progress.__enter__()
        return self

    def __exit__(self, *exc):
        return self._progress.__exit__(*exc)

    def __getattr__(self, name):  # unchanged(), reading_since, ...
        return getattr(self._progress, name)

    def __call__(self, i: int, n: int, result) -> None:
        self._progress(i, n, printable_result(result))
