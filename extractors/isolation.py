"""Read untrusted documents in child processes with a time and a memory limit.

A zip bomb, a 2,000-page PDF or a parser stuck in a loop costs that document, not the
run: its reader process is killed when it takes longer than `Limits.seconds` and cannot
allocate more than `Limits.memory_mb` (RLIMIT_AS). Readers come from a fork server that
has the extractors imported already, and documents are read in parallel on every core
the task runner uses, one reader per thread.

A reader reads up to `DOCUMENTS_PER_READER` documents, one at a time, then is replaced;
a reader whose document failed in any way (an error, the time or the memory limit) is
discarded at once, so what a bad file leaves behind never meets the next file. Reusing
readers saves a fork, its copy-on-write faults and an exit per document, which would
otherwise cost as much as reading a small Word or HTML file (benchmarks/README.md).
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
import pathlib
import sys
import threading
from dataclasses import dataclass

from parindex.discover.formats import detect_format
from parindex.extractors import READERS, ExtractionError, extract
from parindex.schemas import ExtractedDocument

PRELOAD = ["parindex.extractors", "parindex.schemas"] + [
    f"parindex.extractors.{r.function.split(':')[0]}" for r in READERS.values() if r.preload
]


@dataclass(frozen=True)
class Limits:
    """Per-document limits; plain settings, like every settings object here."""

    seconds: float = 300.0
    memory_mb: int = 2048


DEFAULT_LIMITS = Limits()
LIMIT_WORDS = "limit of"  # in every message of a document stopped by a limit (time, memory, cells)


def stopped_by_a_limit(error: str | None) -> bool:
    """Whether a document's recorded error says a limit stopped its reading: such a
    failure may pass under other limits, so it is never cached and is read again."""
    return bool(error) and LIMIT_WORDS in error


ZIPPED = ("docx", "xlsx")  # formats whose parts are compressed: a memory failure may be a bomb
DOCUMENTS_PER_READER = 25


def _context():
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload([m for m in PRELOAD])
    return ctx


def read_bytes_once(path: str, fmt: str | None, expected_sha256: str | None) -> tuple[bytes, str, str | None]:
    """The file's bytes, read once, their sha256 and the format to read them as: the one
    found at discovery if these are the bytes discovered, else told again from them (the
    file changed in between). Raises ExtractionError naming the file if it cannot be read."""
    try:
        data = pathlib.Path(path).read_bytes()
    except OSError as exc:
        raise ExtractionError(f"{path}: cannot read the file: {exc.strerror or exc}") from None
    sha256 = hashlib.sha256(data).hexdigest()
    if expected_sha256 is not None and sha256 != expected_sha256:
        fmt = detect_format(data)
    return data, sha256, fmt


def extract_hashed(
    path: str, fmt: str | None = None, expected_sha256: str | None = None
) -> tuple[ExtractedDocument, str]:
    """(the document, the sha256 of the very bytes it was read from), in this process.
    An ExtractionError carries that sha256 too (`sha256`, None if nothing was read)."""
    data, sha256, fmt = read_bytes_once(path, fmt, expected_sha256)
    fmt = fmt or detect_format(data)
    try:
        return extract(path, data=data, fmt=fmt), sha256
    except ExtractionError as exc:
        exc.sha256, exc.format = sha256, fmt
        raise


def _read_one(
    path: str, fmt: str | None, expected_sha256: str | None, memory_mb: int
) -> tuple[str, object, str | None]:  # runs in the reader
    sha256 = None
    try:
        doc, sha256 = extract_hashed(path, fmt, expected_sha256)
        return "ok", doc, sha256
    except ExtractionError as exc:
        sha256 = getattr(exc, "sha256", None)
        if isinstance(exc.__cause__, MemoryError):
            # only a compressed container can be a decompression bomb; a large text is large
            why = " (a compressed file that inflates without end?)" if getattr(exc, "format", None) in ZIPPED else ""
            return "error", f"{path}: needs more than the memory limit of {memory_mb} MB{why}; not read", sha256
        return "error", str(exc), sha256
    except MemoryError:
        return "error", f"{path}: needs more than the memory limit of {memory_mb} MB; not read", sha256
    except BaseException as exc:  # noqa: BLE001 - anything else is this document's error
        return "error", f"{path}: cannot read: {type(exc).__name__}: {exc}", sha256


def _serve(conn, memory_mb: int) -> None:  # the reader process: one document per request
    import logging
    import resource
    import signal

    # Ctrl-C reaches the whole process group: the parent decides when readers stop
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # a damaged PDF logs a warning per object
    limit = memory_mb * 1024 * 1024
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ValueError, OSError):  # pragma: no cover - a hard limit already lower
        pass
    try:
        while True:
            try:
                request = conn.recv()
            except (EOFError, OSError):  # the parent has gone
                return
            if request is None:
                return
            conn.send(_read_one(*request, memory_mb))
    finally:
        conn.close()


class _Reader:
    """One reader process and the pipe to it."""

    def __init__(self, memory_mb: int):
        ctx = _context()
        self.conn, child_end = ctx.Pipe(duplex=True)
        self.memory_mb = memory_mb
        self.documents_read = 0
        self.process = ctx.Process(target=_serve, args=(child_end, memory_mb), daemon=True)
        with _main_module_hidden():
            self.process.start()
        child_end.close()

    def stop(self, kill: bool = False) -> None:
        try:
            if not kill:
                self.conn.send(None)
        except (OSError, ValueError):
            pass
        self.conn.close()
        if kill:
            self.process.kill()
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


_readers = threading.local()  # each thread of the task runner has its own reader


def _reader_for(memory_mb: int) -> _Reader:
    reader = getattr(_readers, "reader", None)
    if reader is not None and (
        reader.memory_mb != memory_mb or reader.documents_read >= DOCUMENTS_PER_READER or not reader.process.is_alive()
    ):
        reader.stop()
        reader = None
    if reader is None:
        reader = _readers.reader = _Reader(memory_mb)
    return reader


def _discard_reader(kill: bool) -> None:
    reader = getattr(_readers, "reader", None)
    _readers.reader = None
    if reader is not None:
        reader.stop(kill=kill)


def close_reader() -> None:
    """Stop this thread's reader process (it also stops by itself when this process ends)."""
    _discard_reader(kill=False)


_START_LOCK = threading.Lock()


@contextlib.contextmanager
def _main_module_hidden():
    """The fork server re-imports the parent's __main__ in each child (as __mp_main__),
    which runs any script without an `if __name__ == "__main__"` guard again. The child
    only needs parindex.extractors.isolation, so hide __main__'s file and spec while starting it."""
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


def extract_isolated(
    path: str | os.PathLike, fmt: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> ExtractedDocument:
    """`extractors.extract` in a reader process under `limits`. Raises ExtractionError
    naming the file when the document fails, runs out of time or of memory."""
    return read_isolated(path, fmt, limits)[0]


def read_isolated(
    path: str | os.PathLike, fmt: str | None = None, limits: Limits = DEFAULT_LIMITS, expected_sha256: str | None = None
) -> tuple[ExtractedDocument, str]:
    """(the document, the sha256 of the bytes it was read from) from a reader process
    under `limits`: the reader reads the file once, hashes those bytes and reads the
    document from them, so a file replaced meanwhile cannot be recorded under the hash of
    other bytes. Raises ExtractionError naming the file (with `sha256` when bytes were
    read) when the document fails, runs out of time or of memory."""
    path = str(path)
    reader = _reader_for(limits.memory_mb)
    reader.documents_read += 1
    try:
        reader.conn.send((path, fmt, expected_sha256))
        if not reader.conn.poll(limits.seconds):
            _discard_reader(kill=True)
            raise ExtractionError(f"{path}: took longer than the limit of {limits.seconds:g} s; not read")
        status, payload, sha256 = reader.conn.recv()
    except (EOFError, OSError):
        reader.process.join(5)
        code = reader.process.exitcode
        _discard_reader(kill=True)
        raise ExtractionError(
            f"{path}: the reading process died (exit code {code}); "
            f"probably more than the memory limit of {limits.memory_mb} MB"
        ) from None
    if status != "ok":
        _discard_reader(kill=True)  # whatever the bad file left in the reader goes with it
        exc = ExtractionError(payload)
        exc.sha256 = sha256
        raise exc
    return payload, sha256
