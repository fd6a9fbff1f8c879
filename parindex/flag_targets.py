"""Which printed observations each flag points at, and how severities look.

A flag records where the number was printed (source, table, row) and the year it is for;
the observations printed there carry the printed code, label and values a reader checks
the flag against. Used by the HTML report and the Excel export alike.
"""

from __future__ import annotations

import pandas as pd

from parindex.schemas.columns import SEVERITIES

# Background colours (hex RGB) for a severity: the same in the report and in Excel.
SEVERITY_COLOURS = {"error": "F8D7DA", "warning": "FFF3CD", "info": "D6EAF8"}
# Strong colours for a severity's marks (a ring on a chart point, a row's edge).
MARK_COLOURS = {"error": "#c0392b", "warning": "#d4a017", "info": "#2e86c1"}


def severity_rank(severity) -> int:
    """0 for error, 1 warning, 2 info; unknown severities sort last."""
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


def flagged_observations(flags: pd.DataFrame, observations: pd.DataFrame) -> pd.DataFrame:
    """One row per (flag, observation) pair: `flag_id`, `rule`, `severity`, `obs_index`
    (the observation's index label) and the observation's columns.

    An observation belongs to a flag when it was printed in the flag's source, table and
    row, for the flag's year and framework (a flag without a year, e.g. `code_gap`, takes
    every year of the row). When some of those observations carry one of the flag's
    codes, only they are kept (a row can hold several criteria in a narrative)."""
    obs_cols = list(observations.columns)
    empty = pd.DataFrame(columns=["flag_id", "rule", "severity", "obs_index", *obs_cols])
    if not len(flags) or not len(observations):
        return empty
    keys = ["source", "table", "row"]
    located = flags.dropna(subset=keys)
    left = located[["flag_id", "rule", "severity", "codes", "year", "framework", *keys]].rename(
        columns={"year": "flag_year", "framework": "flag_framework"}
    )
    right = observations.reset_index(names="obs_index").dropna(subset=keys)
    pairs = left.merge(right, on=keys, how="inner")
    same_year = pairs["flag_year"].isna() | (pairs["flag_year"] == pairs["year"]).fillna(False)
    same_framework = pairs["flag_framework"].isna() | (pairs["flag_framework"] == pairs["framework"]).fillna(False)
    pairs = pairs[same_year & same_framework]
    if not len(pairs):
        return empty
    codes = pairs["codes"].fillna("").map(lambda s: {c.strip() for c in str(s).split(",") if c.strip()})
    has_code = pd.Series([c in cs for c, cs in zip(pairs["code"].fillna(""), codes)], index=pairs.index)
    flag_has_code = has_code.groupby(pairs["flag_id"]).transform("any")
    pairs = pairs[has_code | ~flag_has_code]
    return pairs[["flag_id", "rule", "severity", "obs_index", *obs_cols]].reset_index(drop=True)


def worst_severity_by_observation(pairs: pd.DataFrame) -> dict:
    """obs_index -> the most severe severity among the flags on that observation."""
    worst: dict = {}
    for idx, sev in zip(pairs["obs_index"], pairs["severity"]):
        if idx not in worst or severity_rank(sev) < severity_rank(worst[idx]):
            worst[idx] = sev
    return worst
