"""Values read from a scan with too little confidence to audit: the flags built on
them are dropped (the rule `ocr_uncertain` raises one flag per doubtful printing in
their place), and the summaries across years leave them out."""

from __future__ import annotations

from parindex.audit.core import val
from parindex.audit.registry import RULES, UNIT_YEAR

# below this confidence (0-100) an OCR'd value is in doubt: `extractors.ocr_repair` lowers
# every cell it could not make fit its table below it
OCR_TRUSTED = 60.0


def in_doubt(o: dict) -> bool:
    """A value read from a scan with too little confidence to audit it."""
    c = val(o, "ocr_confidence")
    return c is not None and c < OCR_TRUSTED


def _involves(flag: dict, o: dict) -> bool:
    """Is the doubtful printing `o` among the values `flag` was built on? One of the
    flag's unit, framework and year, of its document and table unless its rule compares
    documents (and then tables too), that its rule says it involves (`Rule.involves`)."""
    rule = RULES[flag["rule"]]
    if (flag.get("unit"), flag.get("framework")) != (o.get("unit"), o.get("framework")):
        return False
    if UNIT_YEAR not in rule.checks and (
        flag.get("document_id") != o.get("document_id")
        or (flag.get("table") is not None and flag["table"] != o.get("table"))
    ):
        return False
    if flag.get("year") is not None and flag["year"] != o.get("year"):
        return False
    return rule.involves(flag, o)


def without_doubtful(flags: list[dict], obs: list[dict]) -> list[dict]:
    """The flags that are not built on a value of `obs` read in doubt."""
    doubtful = [o for o in obs if in_doubt(o)]
    if not doubtful:
        return flags
    return [f for f in flags if not any(_involves(f, o) for o in doubtful)]
