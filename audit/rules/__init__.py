"""The audit rules, one per module; each registers itself (`audit.registry`) when
imported. `MODULES` is the registry's order: the order the checks of a scope run in
(so the order their flags are raised in) and the order reports list rules in."""

import importlib

MODULES = (
    "score_above_max",
    "rank_out_of_range",
    "sum_mismatch",
    "total_mismatch",
    "code_gap",
    "delta_mismatch",
    "percent_mismatch",
    "conflict",
    "max_change",
    "rank_order",
    "duplicate_rank",
    "block_size",
    "grade_band",
    "ocr_uncertain",
)

for _module in MODULES:
    importlib.import_module(f"{__name__}.{_module}")
