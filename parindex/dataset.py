"""Read a written dataset (the four tables of an output folder) back as DataFrames."""
from __future__ import annotations

import os
import pathlib

import pandas as pd

from parindex.schemas.tables import TABLES


def read_dataset(out_dir: str | os.PathLike) -> dict[str, pd.DataFrame]:
    """observations, flags, documents and panel of `out_dir`; a missing table is an error
    that names the file and says how to make it."""
    out = pathlib.Path(out_dir)
    frames = {}
    for name in TABLES:
        path = out / f"{name}.parquet"
        if not path.exists():
            raise FileNotFoundError(f"{path}: not found (write the dataset first: parindex run PATH... --out {out})")
        frames[name] = pd.read_parquet(path)
    return frames
