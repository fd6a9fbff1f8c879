"""Write: the last stage. The documents read are staged beside the dataset, audited and
written to every sink, then committed at once.

    staging.py    the import batch: the staged database, the plan (what needs reading),
                  keeping each finished document, merging
    audit_run.py  parindex.audit over the staged dataset, chunk by chunk, and the panel
    panel.py      the longitudinal panel, one row per unit, year and criterion
    sinks.py      the Sink protocol and the output folder's sinks (Parquet parts, CSV,
                  the DuckDB file); publish.py the SQL database sink
    commit.py     the one atomic write, the journaled commit of a run, the folder's lock
    cache.py      documents read before, keyed by the read version; the audit version
    manifest.py   what a dataset was made with and of (versions, settings, checksums)
    layout.py     the output folder's names and the unit key
    tables.py     the tables as DataFrames of the contract and as SQL by chunks
    read.py       the one way to read a written dataset
    summary.py    a run's summary line and Markdown
"""
