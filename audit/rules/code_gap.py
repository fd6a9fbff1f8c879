"""`code_gap`: a skipped number in a unit's criteria numbering."""

from __future__ import annotations

from collections import defaultdict

from parindex.audit.core import FlagSink, audit_unit
from parindex.audit.registry import TABLE, Rule, register
from parindex.schemas.columns import AGGREGATE_CODES
from parindex.vietnamese.codes import parent_code


def code_gap(doc_obs: list[dict], sink: FlagSink) -> None:
    """A skipped number in a unit's criteria numbering, per table (a ranking table's
    units each print their own codes, if any: one unit's 1, 2, 4 is a gap, units 1, 2, 4
    of a list are not)."""
    per_table: dict[tuple, dict[str, dict]] = defaultdict(dict)
    for o in doc_obs:
        c = o.get("code")
        if o.get("table") and c and c not in AGGREGATE_CODES:
            per_table[(o["table"], o.get("framework"), audit_unit(o))].setdefault(c, o)
    for (table, fw, _), codes in per_table.items():
        siblings: dict[str | None, list[str]] = defaultdict(list)
        for c in codes:
            siblings[parent_code(c)].append(c)
        for parent, kids in siblings.items():
            nums = sorted((int(k.rsplit(".", 1)[-1]), k) for k in kids if k.rsplit(".", 1)[-1].isdigit())
            for (a, _), (b, kb) in zip(nums, nums[1:]):
                for missing in range(a + 1, b):
                    mcode = f"{parent}.{missing}" if parent else str(missing)
                    sink.add(
                        "code_gap",
                        codes[kb],
                        [mcode],
                        mcode,
                        kb,
                        f"table {table}: {mcode} missing in numbering under {parent or 'top level'}",
                        year="any",
                    )


def involves_siblings(flag: dict, o: dict) -> bool:
    """A numbering gap's flag is built on the criteria numbered beside the missing one."""
    return any(parent_code(o.get("code")) == parent_code(c) for c in (flag.get("codes") or "").split(","))


RULE = register(
    Rule(
        "code_gap",
        "info",
        "a number missing in the numbering",
        {TABLE: code_gap},
        involves_siblings,
        vietnamese="thiếu một mục trong đánh số",
    )
)
