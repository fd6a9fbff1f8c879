"""Ctrl-C during `parindex run`: stop within seconds and say what the output folder holds.

The first SIGINT raises KeyboardInterrupt in the main thread, which unwinds the run: the
import batch removes what it staged and the dataset stays as committed (the previous
one, or this run's if its commit had begun: writer/commit.py). If unwinding does not
finish within `GRACE_SECONDS` (Prefect waiting on a server that the same Ctrl-C
stopped, a wait that signals do not break), or at a second Ctrl-C, the process stops its
own child processes and exits at once; the journal keeps the dataset whole either way,
and the next run sweeps what was staged.
"""

from __future__ import annotations

import contextlib
import os
import pathlib
import signal
import sys
import threading

GRACE_SECONDS = 3.0
EXIT_CODE = 130  # 128 + SIGINT, as shells report an interrupted command


def what_the_folder_holds(out: str | os.PathLike) -> str:
    """One line: the run was interrupted, and which dataset `out` now holds."""
    from parindex.writer.commit import committed_in_this_process

    if committed_in_this_process(out):
        return f"parindex: interrupted after this run's dataset was committed; {out} holds the new dataset"
    if (pathlib.Path(out) / "parindex.duckdb").exists():
        return f"parindex: interrupted; nothing of this run was committed: {out} holds the previous dataset"
    return f"parindex: interrupted; nothing of this run was committed: {out} holds no dataset yet"


def _stop_children() -> None:
    """Terminate the processes this one started (readers, a temporary Prefect server)."""
    try:
        import psutil

        children = psutil.Process().children(recursive=True)
    except Exception:  # psutil missing or /proc unreadable: the children see their pipes close
        return
    for child in children:
        with contextlib.suppress(Exception):
            child.terminate()
    with contextlib.suppress(Exception):
        psutil.wait_procs(children, timeout=1)


class StopOnInterrupt:
    """Within it, Ctrl-C stops the run as the module says; `interrupted` tells whether it
    did (a library may have caught the KeyboardInterrupt and let the run finish), `tell()`
    prints what the output folder holds."""

    def __init__(self, out: str | os.PathLike, grace: float = GRACE_SECONDS):
        self.out, self.grace = out, grace
        self.interrupted = False
        self._previous = None
        self._told = False

    def __enter__(self) -> "StopOnInterrupt":
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def __exit__(self, *exc) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)

    def message(self) -> str:
        return what_the_folder_holds(self.out)

    def _handle(self, signum, frame) -> None:
        if self.interrupted:  # a second Ctrl-C: at once
            self.exit()
        self.interrupted = True
        timer = threading.Timer(self.grace, self.exit)
        timer.daemon = True
        timer.start()
        raise KeyboardInterrupt

    def tell(self) -> None:
        """Print what the output folder holds, once."""
        if not self._told:
            self._told = True
            print(self.message(), file=sys.stderr, flush=True)

    def exit(self) -> None:
        """Say what the output folder holds, stop this process's children and exit with
        EXIT_CODE at once: what is left of the interrupted run (DuckDB objects its
        traceback held, a Prefect server that may be gone) is not finalized, which would
        only print pages of noise or wait on that server."""
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            self.tell()
            sys.stderr.flush()
        _stop_children()
        os._exit(EXIT_CODE)
