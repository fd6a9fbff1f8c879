"""Write one file atomically: to a temporary name in the same folder, fsynced, then moved
into place with os.replace, so a reader sees the old file or the new one, never half.

The file gets the permissions a plain open() would give (0666 less the umask), not
mkstemp's owner-only 0600, so a report or workbook can be shared as it is. (The dataset's
own multi-file commit lives in parindex/store.py.)
"""

from __future__ import annotations

import os
import pathlib
import tempfile
from typing import Callable


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomically(path: str | os.PathLike, write: Callable[[str], None]) -> pathlib.Path:
    """Call write(temporary_path), then move the file to `path` in one step. On any
    error the temporary file is removed and `path` is left as it was."""
    target = pathlib.Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        write(tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target
