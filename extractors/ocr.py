"""Tesseract OCR (Vietnamese): page images in, words with their boxes and confidence out.

Needs Tesseract and its Vietnamese data (Debian: tesseract-ocr and tesseract-ocr-vie).
Tesseract's library (libtesseract) is called in this process through its C API when it
loads: the language data is loaded once per thread and configuration, where a
`tesseract` program run loads it again each time (0.07 s of CPU a run, four runs a
page). Without the library, the program is run in a private temporary folder under a
time limit, many small images (the cells of a table) to one run as a list file. Both
give the same words (the program is that library behind a command line).

Tesseract runs with OMP_THREAD_LIMIT=1 unless the environment sets it: on a page's
small images its threads cost more than they save.
"""

from __future__ import annotations

import csv
import ctypes
import ctypes.util
import io
import os
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

LANG = "vie"
TIMEOUT_SECONDS = 300


@dataclass
class Word:
    text: str
    image: int  # 0-based index of the image in the batch
    block: int
    par: int
    line: int
    left: int
    top: int
    width: int
    height: int
    conf: float  # 0-100


def tesseract() -> str | None:
    return shutil.which("tesseract")


def available(lang: str = LANG) -> bool:
    program = tesseract()
    if program is None:
        return False
    try:
        done = subprocess.run([program, "--list-langs"], capture_output=True, timeout=30, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return lang in done.stdout.decode("utf-8", "replace").split()


def ocr_images(
    images: list, psm: int = 6, lang: str = LANG, config: dict | None = None, timeout: float = TIMEOUT_SECONDS
) -> list[Word]:
    """OCR PIL images in one tesseract run; words come back tagged with their image."""
    if not images:
        return []
    engine = _engine(lang, config or {})
    if engine is not None:
        return engine.read(images, psm, timeout)
    return _ocr_by_program(images, psm, lang, config, timeout)


def _ocr_by_program(images: list, psm: int, lang: str, config: dict | None, timeout: float) -> list[Word]:
    """`ocr_images` through the tesseract program: one run for all the images."""
    program = tesseract()
    if program is None:
        raise RuntimeError("tesseract is not installed (Debian: tesseract-ocr tesseract-ocr-vie)")
    with tempfile.TemporaryDirectory(prefix="parindex-ocr-") as tmp:
        work = Path(tmp)
        names = []
        for i, img in enumerate(images):
            # uncompressed (PGM/PPM): PNG's compression of a whole page costs half a second
            # and tesseract reads both the same
            name = work / f"{i:05d}.pnm"
            img.save(name)
            names.append(str(name))
        listing = work / "images.txt"
        listing.write_text("\n".join(names) + "\n", encoding="utf-8")
        cmd = [program, str(listing) if len(images) > 1 else names[0], str(work / "out"), "-l", lang, "--psm", str(psm)]
        for key, value in (config or {}).items():
            cmd += ["-c", f"{key}={value}"]
        cmd.append("tsv")
        env = {"OMP_THREAD_LIMIT": "1", **os.environ}
        try:
            done = subprocess.run(cmd, capture_output=True, timeout=timeout, env=env, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as exc:
            raise RuntimeError(f"tesseract took longer than {timeout:.0f} s") from exc
        tsv = work / "out.tsv"
        if not tsv.is_file():
            raise RuntimeError(
                f"tesseract failed (exit {done.returncode}): {done.stderr.decode('utf-8', 'replace').strip()[-300:]}"
            )
        return parse_tsv(tsv.read_text(encoding="utf-8"))


TSV_HEADER = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
_library: ctypes.CDLL | None | bool = None  # False: tried, not there
_library_lock = threading.Lock()
_engines = threading.local()  # a Tesseract API object is not shared between threads


def _load_library() -> ctypes.CDLL | None:
    """libtesseract with the C API's signatures, or None."""
    global _library
    with _library_lock:
        if _library is None:
            _library = False
            name = ctypes.util.find_library("tesseract")
            if name:
                # read by OpenMP when the library loads it: one thread (see the module's docstring)
                os.environ.setdefault("OMP_THREAD_LIMIT", "1")
                try:
                    _library = _declare(ctypes.CDLL(name))
                except (OSError, AttributeError):
                    _library = False
    return _library or None


def _declare(lib: ctypes.CDLL) -> ctypes.CDLL:
    p, c, i = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int
    for fn, args, res in (
        ("TessBaseAPICreate", [], p),
        ("TessBaseAPIDelete", [p], None),
        ("TessBaseAPIInit3", [p, c, c], i),
        ("TessBaseAPISetVariable", [p, c, c], i),
        ("TessBaseAPISetPageSegMode", [p, i], None),
        ("TessBaseAPISetImage", [p, c, i, i, i, i], None),
        ("TessBaseAPIRecognize", [p, p], i),
        ("TessBaseAPIGetTsvText", [p, i], p),
        ("TessBaseAPIClear", [p], None),
        ("TessDeleteText", [p], None),
        ("TessMonitorCreate", [], p),
        ("TessMonitorDelete", [p], None),
        ("TessMonitorSetDeadlineMSecs", [p, i], None),
    ):
        f = getattr(lib, fn)
        f.argtypes, f.restype = args, res
    return lib


class _Engine:
    """One Tesseract API object (libtesseract), its language and configuration loaded."""

    def __init__(self, lib: ctypes.CDLL, lang: str, config: dict):
        self.lib = lib
        self.api = lib.TessBaseAPICreate()
        if lib.TessBaseAPIInit3(self.api, None, lang.encode()) != 0:
            lib.TessBaseAPIDelete(self.api)
            raise RuntimeError(f"tesseract could not load the language {lang!r}")
        # its messages ("Estimating resolution as 219") would go to this process's stderr
        lib.TessBaseAPISetVariable(self.api, b"debug_file", os.devnull.encode())
        for key, value in config.items():
            lib.TessBaseAPISetVariable(self.api, key.encode(), str(value).encode())

    def __del__(self):
        self.lib.TessBaseAPIDelete(self.api)

    def read(self, images: list, psm: int, timeout: float) -> list[Word]:
        lib, api = self.lib, self.api
        lib.TessBaseAPISetPageSegMode(api, psm)
        end = time.monotonic() + timeout
        monitor = lib.TessMonitorCreate()
        words = []
        try:
            for k, img in enumerate(images):
                if img.mode not in ("L", "RGB"):
                    img = img.convert("RGB" if img.mode in ("RGBA", "P", "CMYK") else "L")
                depth = 1 if img.mode == "L" else 3
                width, height = img.size
                lib.TessBaseAPISetImage(api, img.tobytes(), width, height, depth, width * depth)
                left = end - time.monotonic()
                lib.TessMonitorSetDeadlineMSecs(monitor, max(1, int(left * 1000)))
                if left <= 0 or lib.TessBaseAPIRecognize(api, monitor) != 0:
                    raise RuntimeError(f"tesseract took longer than {timeout:.0f} s or failed")
                text = lib.TessBaseAPIGetTsvText(api, k)
                try:
                    words += parse_tsv(TSV_HEADER + ctypes.string_at(text).decode("utf-8", "replace"))
                finally:
                    lib.TessDeleteText(text)
        finally:
            lib.TessMonitorDelete(monitor)
            lib.TessBaseAPIClear(api)
        return words


def _engine(lang: str, config: dict) -> _Engine | None:
    """This thread's API object for `lang` and `config`, made once; None without the library."""
    lib = _load_library()
    if lib is None:
        return None
    cache = _engines.__dict__.setdefault("by_setup", {})
    key = (lang, tuple(sorted((k, str(v)) for k, v in config.items())))
    if key not in cache:
        cache[key] = _Engine(lib, lang, config)
    return cache[key]


def parse_tsv(text: str) -> list[Word]:
    words = []
    for row in csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE):
        token = (row.get("text") or "").strip()
        if row.get("level") != "5" or not token:
            continue
        words.append(
            Word(
                text=token,
                image=int(row["page_num"]) - 1,
                block=int(row["block_num"]),
                par=int(row["par_num"]),
                line=int(row["line_num"]),
                left=int(row["left"]),
                top=int(row["top"]),
                width=int(row["width"]),
                height=int(row["height"]),
                conf=float(row["conf"]),
            )
        )
    return words


def scaled(words: list[Word], factor: int) -> list[Word]:
    """Words read from an image reduced by `factor`, with their boxes in the full image's pixels."""
    for w in words:
        w.left, w.top, w.width, w.height = w.left * factor, w.top * factor, w.width * factor, w.height * factor
    return words


def lines_of(words: list[Word]) -> list[list[Word]]:
    """Words grouped into tesseract's lines, in reading order."""
    groups: dict[tuple, list[Word]] = {}
    for w in words:
        groups.setdefault((w.image, w.block, w.par, w.line), []).append(w)
    return [sorted(g, key=lambda w: w.left) for _, g in sorted(groups.items())]


def render_page(pdf_bytes: bytes, page_index: int, dpi: int):
    """One PDF page as an RGB PIL image at `dpi` (pypdfium2). In colour, so that a seal's
    red or a signature's blue can be told from the black of the print."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(pdf_bytes)
    try:
        page = pdf[page_index]
        try:
            return page.render(scale=dpi / 72).to_pil().convert("RGB")
        finally:
            page.close()
    finally:
        pdf.close()
