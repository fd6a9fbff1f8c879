"""Tesseract OCR (Vietnamese), called as a program: page images in, words with their
boxes and confidence out.

Needs the `tesseract` program and its Vietnamese data (Debian: tesseract-ocr and
tesseract-ocr-vie). It runs with OMP_THREAD_LIMIT=1 (on a page's small images its threads
cost more than they save), in a private temporary folder, under a time limit.
Many small images (the cells of a table) go to one tesseract process as a list file, so
the language data is loaded once per page.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import tempfile
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
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
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
