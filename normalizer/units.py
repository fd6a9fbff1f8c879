"""Units as printed -> who they are: the name without its prefix, the level the prefix
says, and (through the units catalog) the canonical name and official code.

A unit is printed with many prefixes: "UBND huyện Châu Thành", "Ủy ban nhân dân huyện",
"H.Cẩm Mỹ", "TP.Biên Hòa", "TX. Trảng Bàng", "quận Cầu Giấy", "tỉnh Trà Vinh". The
printed unit keeps everything after them ("Cẩm Mỹ"); a department keeps its own name
("Sở Tư pháp", "Văn phòng UBND tỉnh"), a ministry too ("Bộ Tư pháp"). An abbreviation
glued to "TP." is a name of its own: "TP.HCM" stays "TP.HCM".
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from normalizer.text import collapse

# Prefixes that say the level and are not part of the name, longest first. Matched on
# the NFC text, case-insensitively; a dotted abbreviation may be glued to the name.
_ADMIN = r"(?:ubnd|ủy ban nhân dân|uỷ ban nhân dân)\s+"
LEVEL_PREFIXES: list[tuple[str, str]] = [
    ("district", r"thị xã|thành phố|huyện|quận|tp\s*\.|tx\s*\.|h\s*\.|q\s*\.|tp(?=\s)"),
    ("commune", r"xã|phường|thị trấn|đặc khu|p\s*\.|tt\s*\."),
    ("province", r"tỉnh"),
]
_PREFIX_RE = re.compile(
    rf"^(?P<admin>{_ADMIN})?(?P<prefix>{'|'.join(f'(?P<{lv}>{p})' for lv, p in LEVEL_PREFIXES)})\s*(?=\S)",
    re.IGNORECASE)
_ADMIN_RE = re.compile(rf"^{_ADMIN}", re.IGNORECASE)
# what a department, agency or ministry starts with: its name is kept whole
AGENCY_START = re.compile(
    r"^(?:sở|văn phòng|thanh tra|ban|bộ|cục|chi cục|kho bạc|bảo hiểm|ngân hàng|viện|công an|"
    r"bộ chỉ huy|ủy ban|uỷ ban|đài|trường|hội|liên đoàn|cơ quan|tòa án|viện kiểm sát)\b", re.IGNORECASE)
# ministries and agencies ranked with them nationally
MINISTRY_START = re.compile(r"^(?:bộ|ngân hàng nhà nước|thanh tra chính phủ|ủy ban dân tộc|uỷ ban dân tộc|"
                            r"văn phòng chính phủ)\b", re.IGNORECASE)
# TP.HCM, TP.HN: an abbreviation after "TP." is the whole name
_GLUED_ABBREVIATION = re.compile(r"^(?:tp|tx)\s*\.\s*[A-ZĐ]{2,5}$", re.IGNORECASE)
_NATIONAL_CITIES = {"hcm", "hồ chí minh", "hà nội", "hải phòng", "đà nẵng", "cần thơ", "huế"}


@dataclass(frozen=True)
class PrintedUnit:
    name: str  # as printed, prefix removed
    level: str | None  # what the prefix says: department | ministry | district | commune | province | None


def split_unit_prefix(printed: str) -> PrintedUnit:
    """"UBND huyện Châu Thành" -> ("Châu Thành", district); "H.Cẩm Mỹ" -> ("Cẩm Mỹ",
    district); "Sở TT-TT" -> ("Sở TT-TT", department); "TP.HCM" -> ("TP.HCM", province)."""
    text = collapse(printed).strip(" ,.;:-–()")
    if _GLUED_ABBREVIATION.match(text):
        return PrintedUnit(text, "province")
    m = _PREFIX_RE.match(text)
    if m:
        name = text[m.end():].strip(" ,.;:-–")
        prefix = re.sub(r"\s+", "", m.group("prefix").lower())
        level = next(lv for lv, _ in LEVEL_PREFIXES if m.group(lv))
        if prefix in ("thànhphố", "tp.", "tp") and name.lower() in _NATIONAL_CITIES:
            level = "province"
        if name:
            return PrintedUnit(name, level)
    bare = _ADMIN_RE.sub("", text)
    if MINISTRY_START.match(text):
        return PrintedUnit(text, "ministry")
    if AGENCY_START.match(bare) or AGENCY_START.match(text):
        return PrintedUnit(text, "department")
    return PrintedUnit(bare or text, None)


__all__ = ["PrintedUnit", "split_unit_prefix", "LEVEL_PREFIXES", "AGENCY_START", "MINISTRY_START"]
