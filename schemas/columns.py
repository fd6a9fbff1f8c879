"""The four output tables, their columns (in order) and dtypes.

Every other module refers to columns through these names; change them here only.
"""

from __future__ import annotations

FRAMEWORKS = ("PAR_INDEX", "SIPAS", "DDCI", "DTI")
AGGREGATE_CODES = ("TOTAL", "ASSESSED", "SURVEY")
GROUP_LEVEL = "group"  # unit_level of a group's value: "cả nước", "trung bình các sở, ban, ngành"

# Value fields of an observation, in the order they are printed in the docs.
VALUE_FIELDS = (
    "max_score",
    "score",
    "self_score",
    "target",
    "percent",
    "rank",
    "rank_of",
    "delta",
    "rank_delta",
    "deduction",
)

# Severities of audit flags, most severe first (each rule's default is in parindex.audit.registry).
SEVERITIES = ("error", "warning", "info")

# Printed classes ("Xếp loại") from best to worst. A province uses a few of them, with
# its own bands; a unit of a block never has a higher index than a unit of a better class.
GRADES = ("Xuất sắc", "Rất tốt", "Tốt", "Khá", "Trung bình", "Yếu", "Kém")
# Bands often printed (in percent of the maximum: lowest included, highest excluded,
# None for open). They differ by province and year, so the audit applies bands only when
# its settings give them (`AuditSettings(grade_bands=COMMON_GRADE_BANDS)`).
COMMON_GRADE_BANDS = {
    "Xuất sắc": (90.0, None),
    "Tốt": (80.0, 90.0),
    "Khá": (70.0, 80.0),
    "Trung bình": (50.0, 70.0),
    "Yếu": (None, 50.0),
    "Kém": (None, 50.0),
}

# column -> pandas dtype ("string", "Int64", "Float64")
OBSERVATIONS = {
    "document_id": "string",
    "source": "string",
    "page": "Int64",
    "table": "Int64",
    "row": "Int64",
    # unit: the canonical name; printed_unit: as printed, prefix removed ("Cẩm Mỹ" for "H.Cẩm Mỹ");
    # unit_level "group" for a group's value (an average, an unnamed top or bottom), its label as unit
    "unit": "string",
    "printed_unit": "string",
    "unit_level": "string",
    "province": "string",
    "unit_code": "string",
    "year": "Int64",
    "framework": "string",
    "code": "string",
    "printed_code": "string",
    "printed_name": "string",
    "criterion_id": "string",
    "criterion_name": "string",
    "match_score": "Float64",
    "max_score": "Float64",
    "score": "Float64",
    "self_score": "Float64",
    "target": "Float64",
    "percent": "Float64",
    "rank": "Int64",
    "rank_of": "Int64",
    "delta": "Float64",
    "rank_delta": "Int64",
    "deduction": "Float64",
    "grade": "string",  # printed class ("Xếp loại"): Xuất sắc, Tốt, Khá, Trung bình, Yếu, Kém
    # how the value was printed: table | narrative | decision; what a printed change is of
    "source_kind": "string",
    "delta_basis": "string",
    "match_decision": "string",
    # the year a printed change is measured against ("tăng 25 bậc so năm 2016"); empty: the year before
    "delta_from": "Int64",
    # a value read by OCR: the lowest confidence (0-100) of its row's cells after repair; empty: not OCR'd
    "ocr_confidence": "Float64",
}
FLAGS = {
    "flag_id": "string",
    "rule": "string",
    "severity": "string",
    "document_id": "string",
    "source": "string",
    "unit": "string",
    "year": "Int64",
    "framework": "string",
    "codes": "string",
    "expected": "string",
    "found": "string",
    "message": "string",
    "page": "Int64",
    "table": "Int64",
    "row": "Int64",
    "tolerance": "Float64",
}
DOCUMENTS = {
    "document_id": "string",
    "source": "string",
    "sha256": "string",
    "format": "string",
    "status": "string",
    "error": "string",
    "pages": "Int64",
    "tables": "Int64",
    "observations": "Int64",
    "unit": "string",
    "unit_level": "string",
    "province": "string",
    "unit_code": "string",
    "province_code": "string",
    "years": "string",
    # where the unit sits after the 2025 reorganisation (provinces merged, districts abolished)
    "province_2025": "string",
    "province_code_2025": "string",
    "unit_2025": "string",
    "unit_code_2025": "string",
}
PANEL = {
    "unit": "string",
    "province": "string",
    "unit_level": "string",
    "unit_code": "string",
    "year": "Int64",
    "framework": "string",
    "code": "string",
    "criterion_id": "string",
    "criterion_name": "string",
    **{f: OBSERVATIONS[f] for f in VALUE_FIELDS},
    "n_sources": "Int64",
    "n_agree": "Int64",
    "n_disagree": "Int64",
    "chosen_source": "string",
    "chosen_kind": "string",
    "disagreements": "string",
    "observation_keys": "string",
}

# Precedence of a source kind when observations disagree (lower wins): an official
# decision over an appendix table over a narrative sentence.
SOURCE_KIND_PRECEDENCE = {"decision": 0, "table": 1, "narrative": 2}

# How each table's rows are ordered when written (stable across runs, readable in Excel).
SORT_KEYS = {
    "observations": ("source", "table", "row", "year", "framework", "code"),
    "flags": ("source", "page", "table", "row", "rule", "codes", "flag_id"),
    "documents": ("source",),
    "panel": ("province", "unit", "framework", "year", "code"),
}

OBSERVATION_COLUMNS = tuple(OBSERVATIONS)
FLAG_COLUMNS = tuple(FLAGS)
DOCUMENT_COLUMNS = tuple(DOCUMENTS)
PANEL_COLUMNS = tuple(PANEL)

TABLES = {"observations": OBSERVATIONS, "flags": FLAGS, "documents": DOCUMENTS, "panel": PANEL}
