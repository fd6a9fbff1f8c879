"""Read a written dataset (the four tables of an output folder) back as DataFrames."""

from __future__ import annotations

import os
import pathlib

import pandas as pd

from parindex.schemas.columns import TABLES


def read_dataset(out_dir: str | os.PathLike) -> dict[str, pd.DataFrame]:
    """observations, flags, documents and panel of `out_dir`; a missing table is an error
    that names the file and says how to make it, a damaged one (not the bytes parindex
    wrote: truncated, overwritten) an error that says how to repair it."""
    out = pathlib.Path(out_dir)
    check_files(out)
    frames = {}
    for name in TABLES:
        path = out / f"{name}.parquet"
        if not path.exists():
            raise FileNotFoundError(f"{path}: not found (write the dataset first: parindex run PATH... --out {out})")
        try:
            frames[name] = pd.read_parquet(path)
        except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError: a part cut short
            from parindex.schemas.errors import DatasetDamaged

            raise DatasetDamaged(
                f"{path}: cannot be read ({str(exc).splitlines()[0]}); repair the dataset with: "
                f"parindex run YOUR_REPORTS --out {out}"
            ) from exc
    return frames


def check_files(out: pathlib.Path) -> None:
    """Raise DatasetDamaged when a Parquet file of the dataset is not the one its manifest
    recorded (the next `parindex run` into the folder writes such a file again)."""
    from parindex.batch import damaged_files
    from parindex.schemas.errors import DatasetDamaged

    damaged = [rel for rel in damaged_files(out) if rel.endswith(".parquet")]
    if damaged:
        raise DatasetDamaged(
            f"{out / damaged[0]}: damaged (not the file parindex wrote"
            + (f"; {len(damaged) - 1} more" if len(damaged) > 1 else "")
            + f"); repair the dataset with: parindex run YOUR_REPORTS --out {out}"
        )
