"""`ocr_uncertain`: a value read from a scan with too little confidence to audit it; the
flags built on it are not raised (`audit.doubt`), this one is in their place."""

from __future__ import annotations

from parindex.audit.core import FlagSink, fmt, val, where_printed
from parindex.audit.doubt import OCR_TRUSTED, in_doubt
from parindex.audit.registry import ROW, Rule, register
from parindex.schemas.columns import VALUE_FIELDS


def ocr_uncertain(doc_obs: list[dict], sink: FlagSink) -> None:
    """One flag per doubtful printing (a row and year read from a scan), in place of
    the rule violations its values would raise."""
    for o in doc_obs:
        if in_doubt(o):
            values = ", ".join(f"{f} {fmt(val(o, f))}" for f in VALUE_FIELDS if val(o, f) is not None)
            sink.add(
                "ocr_uncertain",
                o,
                [o.get("code") or ""],
                f">= {fmt(OCR_TRUSTED)}",
                val(o, "ocr_confidence"),
                f"{where_printed(o)}: read from a scan with confidence {fmt(val(o, 'ocr_confidence'))}"
                f" ({o.get('printed_code') or o.get('code') or ''} {values}); not audited",
            )


def involves_nothing(flag: dict, o: dict) -> bool:
    """This rule's flags are the doubt itself: none is dropped for it."""
    return False


RULE = register(
    Rule(
        "ocr_uncertain",
        "info",
        "value read from a scan with too little confidence to audit",
        {ROW: ocr_uncertain},
        involves_nothing,
        vietnamese="giá trị đọc từ bản quét chưa đủ tin cậy để kiểm tra",
    )
)
