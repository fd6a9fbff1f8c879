"""What every audit rule shares: its settings, the sink that collects its flags, the
printed values it reads, when two printed values agree, and which unit a row is about."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field

from parindex.audit.registry import RULES, default_severity
from parindex.schemas.columns import GROUP_LEVEL
from parindex.vietnamese.numbers import decimals

GradeBands = dict[str, tuple[float | None, float | None]]  # class -> (lowest, highest excluded), in percent


@dataclass
class AuditSettings:
    """Plain settings object: rule -> enabled / severity (every registered rule, on, at
    its registered severity); tolerances in points; whether documents are compared with
    each other; the bands of the printed classes when they are known
    (`schemas.columns.COMMON_GRADE_BANDS`)."""

    enabled: dict[str, bool] = field(default_factory=lambda: {r: True for r in RULES})
    severity: dict[str, str] = field(default_factory=default_severity)
    per_child_tolerance: float = 0.011  # scoring software rounds each sub-criterion
    delta_tolerance: float = 0.015
    cross_document: bool = True
    grade_bands: GradeBands | None = None


def val(o: dict, f: str):
    """A printed value, None when absent (or NaN, as a DataFrame gives it)."""
    v = o.get(f)
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    return v


def fmt(v) -> str:
    """A value as flags print it: floats to at most 4 decimals, without trailing zeros."""
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{round(v, 4):g}"
    return str(v)


def agree(a: float, b: float) -> bool:
    """Equal once the finer value is rounded (or truncated) to the coarser precision."""
    if abs(a - b) < 1e-9:
        return True
    d = min(decimals(a), decimals(b))
    fine, coarse = (a, b) if decimals(a) > decimals(b) else (b, a)
    q = 10**d
    if abs(round(fine * q) / q - coarse) < 1e-9:
        return True
    # a report may cut 2,5371 to 2,53 instead of rounding; a 1-decimal float is usually
    # a printed "5,50", so truncation is accepted only for coarse values of 2+ decimals
    return d >= 2 and abs(math.trunc(fine * q) / q - coarse) < 1e-9


def audit_unit(o: dict) -> tuple:
    """Which unit an observation is about, as its documents name it: many districts and
    communes share a name (Châu Thành is in seven provinces), so the province is part of
    it; a province and its capital share one too (Tây Ninh), so the level is. A row whose
    unit was not resolved is its unit as printed.

    This is not `normalizer.units.unit_identity`, which resolves a unit through the
    catalog (spellings, codes, a province renamed in 2025) for the panel: each flag's id
    hashes this key, so flags keep their ids, and a flag names the unit as printed."""
    unit = o.get("unit") or ""
    return (o.get("province") or "", unit, o.get("unit_level") or "", "" if unit else o.get("printed_unit") or "")


def unit_order(key: tuple) -> str:
    """Where an `audit_unit` key sorts among units: the observation's unit or '', as the
    import batch orders units (SQL `coalesce(unit, '')`) to hand them over in chunks."""
    return key[1]


def criterion_key(o: dict, year=None) -> tuple:
    """One unit's criterion in one year and framework: what a document about many units
    compares its printings within (`year` for another year of the same criterion)."""
    return (audit_unit(o), o.get("year") if year is None else year, o.get("framework"), o.get("code"))


def is_group(o: dict) -> bool:
    """A group's value ("trung bình các sở", "cả nước"): no unit of its own."""
    return o.get("unit_level") == GROUP_LEVEL


def unit_name(o: dict) -> str:
    """The unit as the document prints it, for messages."""
    return o.get("printed_unit") or o.get("unit") or "?"


def where_printed(o: dict) -> str:
    """Where a value was printed, for messages (the flag names its unit)."""
    return f"table {o.get('table')} row {o.get('row')}" if o.get("table") else f"sentence p.{o.get('page')}"


def printed_order(o: dict) -> tuple:
    """Tables before sentences, then table, page, row, year, framework, code: where a
    flag about several printings is placed (the first) does not depend on row order."""
    return (
        0 if o.get("table") else 1,
        o.get("table") or 0,
        o.get("page") or 0,
        o.get("row") or 0,
        o.get("year") or 0,
        o.get("framework") or "",
        o.get("code") or "",
    )


class FlagSink:
    """Collects the flags of a set of rules: each flag once (by its id), none of a rule
    the settings turn off, each with the severity the settings give its rule."""

    def __init__(self, settings: AuditSettings):
        self.settings = settings
        self.flags: list[dict] = []
        self._seen: set[str] = set()

    def add(
        self,
        rule: str,
        at: dict,
        codes: list[str],
        expected,
        found,
        message: str,
        tolerance: float | None = None,
        year=None,
        extra_key: str = "",
    ) -> None:
        if not self.settings.enabled.get(rule, True):
            return
        yr = at.get("year") if year is None else (None if year == "any" else year)
        key = "|".join(
            str(x)
            for x in (
                rule,
                at.get("document_id"),
                yr,
                at.get("framework"),
                ",".join(codes),
                extra_key,
                message,
                *audit_unit(at),
            )
        )
        fid = hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
        if fid in self._seen:
            return
        self._seen.add(fid)
        self.flags.append(
            {
                "flag_id": fid,
                "rule": rule,
                "severity": self.settings.severity.get(rule, "warning"),
                "document_id": at.get("document_id"),
                "source": at.get("source"),
                "unit": at.get("unit"),
                "year": yr,
                "framework": at.get("framework"),
                "codes": ",".join(codes),
                "expected": fmt(expected) if not isinstance(expected, str) else expected,
                "found": fmt(found) if not isinstance(found, str) else found,
                "message": message,
                "page": at.get("page"),
                "table": at.get("table"),
                "row": at.get("row"),
                "tolerance": tolerance,
            }
        )
