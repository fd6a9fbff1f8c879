"""parindex: Vietnamese PAR INDEX reports in, an audited longitudinal dataset out.

import parindex
parindex.run(["archive/2024"], out="out")   # ingest quietly, returns the run summary
ds = parindex.load("out")                   # the four tables as DataFrames, ds.sql(...)
"""

__version__ = "0.1.0"


def __getattr__(name: str):
    # run and load are imported when first used: `parindex --version` and the CLI's
    # argument errors stay fast, without pandas or Prefect
    if name in ("run", "load", "Dataset"):
        from parindex import api

        return getattr(api, name)
    raise AttributeError(f"module 'parindex' has no attribute {name!r}")


__all__ = ["Dataset", "load", "run", "__version__"]
