"""Read one untrusted document in a child process with a time and a memory limit.

A zip bomb, a 2,000-page PDF or a parser stuck in a loop costs that document, not the
run: the child is killed when it takes longer than `Limits.seconds` and cannot allocate
more than `Limits.memory_mb` (RLIMIT_AS). Children come from a fork server that has
the extractors imported already, so a document costs a fork, not a Python start-up,
and documents are read in parallel on every core the task runner uses.
"""
from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
import threading
from dataclasses import dataclass

from extractors import ExtractionError, extract
from schemas import ExtractedDocument

PRELOAD = ["extractors", "extractors.pdf", "extractors.docx", "extractors.html", "extractors.text", "schemas"]


@dataclass(frozen=True)
class Limits:
    """Per-document limits; plain settings, like every settings object here."""

    seconds: float = 300.0
    memory_mb: int = 2048


DEFAULT_LIMITS = Limits()


def _context():
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload([m for m in PRELOAD])
    return ctx


def _read(conn, path: str, fmt: str | None, memory_mb: int) -> None:  # runs in the child
    import logging
    import resource

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # a damaged PDF logs a warning per object
    limit = memory_mb * 1024 * 1024
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ValueError, OSError):  # pragma: no cover - a hard limit already lower
        pass
    try:
        conn.send(("ok", extract(path, fmt=fmt)))
    except ExtractionError as exc:
        if isinstance(exc.__cause__, MemoryError):
            conn.send(("error", f"{path}: needs more than the memory limit of {memory_mb} MB "
                                f"(a compressed file that inflates without end?); not read"))
        else:
            conn.send(("error", str(exc)))
    except MemoryError:
        conn.send(("error", f"{path}: needs more than the memory limit of {memory_mb} MB; not read"))
    except BaseException as exc:  # noqa: BLE001 - anything else is this document's error
        conn.send(("error", f"{path}: cannot read: {type(exc).__name__}: {exc}"))
    finally:
        conn.close()


_START_LOCK = threading.Lock()


@contextlib.contextmanager
def _main_module_hidden():
    """The fork server re-imports the parent's __main__ in each child (as __mp_main__),
    which runs any script without an `if __name__ == "__main__"` guard again. The child
    only needs parindex.isolation, so hide __main__'s file and spec while starting it."""
    with _START_LOCK:
        main = sys.modules.get("__main__")
        saved = {k: main.__dict__[k] for k in ("__file__", "__spec__") if main is not None and k in main.__dict__}
        for k in saved:
            if k == "__spec__":
                main.__spec__ = None
            else:
                del main.__dict__[k]
        try:
            yield
        finally:
            main.__dict__.update(saved) if main is not None else None


def extract_isolated(path: str | os.PathLike, fmt: str | None = None, limits: Limits = DEFAULT_LIMITS) -> ExtractedDocument:
    """`extractors.extract` in a child process under `limits`. Raises ExtractionError
    naming the file when the document fails, runs out of time or of memory."""
    path = str(path)
    ctx = _context()
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_read, args=(send, path, fmt, limits.memory_mb), daemon=True)
    with _main_module_hidden():
        child.start()
    send.close()
    try:
        if not receive.poll(limits.seconds):
            child.kill()
            raise ExtractionError(f"{path}: took longer than the limit of {limits.seconds:g} s; not read")
        try:
            status, payload = receive.recv()
        except (EOFError, OSError):
            child.join(5)
            raise ExtractionError(f"{path}: the reading process died (exit code {child.exitcode}); "
                                  f"probably more than the memory limit of {limits.memory_mb} MB") from None
    finally:
        receive.close()
        if child.is_alive():
            child.join(5)
            if child.is_alive():
                child.kill()
                child.join()
    if status != "ok":
        raise ExtractionError(payload)
    return payload
