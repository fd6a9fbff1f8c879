"""Legacy Word .doc: converted to .docx by LibreOffice (headless, in a private temporary
folder and user profile, under a time limit), then read by `extractors.docx`.

Needs the `soffice` program (Debian: libreoffice-writer-nogui). Without it, or when the
conversion fails or runs out of time, the document fails with a message that says so.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from parindex.schemas import ExtractedDocument

TIMEOUT_SECONDS = 120


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(data: bytes, target: str = "docx", timeout: float = TIMEOUT_SECONDS) -> bytes:
    """The document converted by LibreOffice to `target` (a file extension)."""
    from parindex.extractors import ExtractionError

    program = soffice()
    if program is None:
        raise ExtractionError("LibreOffice (soffice) is not installed; install libreoffice-writer-nogui to read .doc")
    with tempfile.TemporaryDirectory(prefix="parindex-doc-") as tmp:
        work = Path(tmp)
        src = work / "input.doc"
        src.write_bytes(data)
        env = {**os.environ, "HOME": str(work)}  # LibreOffice writes its settings under HOME
        cmd = [
            program,
            "--headless",
            "--norestore",
            "--nolockcheck",
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--convert-to",
            target,
            "--outdir",
            str(work / "out"),
            str(src),
        ]
        # its own session, so that on a timeout the whole group (soffice starts soffice.bin) is ended
        proc = subprocess.Popen(
            cmd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise ExtractionError(f"LibreOffice conversion took longer than {timeout:.0f} s") from exc
        out = work / "out" / f"input.{target}"
        if not out.is_file():
            detail = (stderr or stdout or b"").decode("utf-8", "replace").strip()[-300:]
            raise ExtractionError(f"LibreOffice could not convert the file (exit {proc.returncode}): {detail}")
        return out.read_bytes()


def extract_doc(data: bytes, source: str) -> ExtractedDocument:
    from parindex.extractors.docx import extract_docx

    doc = extract_docx(convert(data, "docx"), source)
    doc.page_info = [
        {"page": p, "path": "converted", "via": "LibreOffice .doc -> .docx"} for p in range(1, doc.pages + 1)
    ]
    return doc
