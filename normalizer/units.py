"""Units as printed -> who they are: the name without its prefix, the level the prefix
says, and (through the units catalog) the canonical name, the official code and the
identity that links one unit's observations across documents, spellings and years.

A unit is printed with many prefixes: "UBND huyện Châu Thành", "Ủy ban nhân dân huyện",
"H.Cẩm Mỹ", "TP.Biên Hòa", "TX. Trảng Bàng", "quận Cầu Giấy", "tỉnh Trà Vinh". The
printed unit keeps everything after them ("Cẩm Mỹ"); a department keeps its own name
("Sở Tư pháp", "Văn phòng UBND tỉnh"), a ministry too ("Bộ Tư pháp"). An abbreviation
glued to "TP." is a name of its own: "TP.HCM" stays "TP.HCM".

Who a unit is comes from two tables:
- departments, ministries and provinces: `normalizer/catalog/units.csv`, one row per
  unit and name period, with its printed variants, the years it was valid and what took
  it over in the 2025 reorganisation (see the catalog README);
- districts and communes: the `vietnamadminunits` package (GSO codes, before and after
  the 2025 reorganisation).
Names are compared by `name_key`: case, accents (so old and new tone placement,
"Hoà"/"Hòa"), punctuation, "và"/"&" and the usual contractions (UBND, HĐND, ĐBQH,
PTNT, KKT, KCN, BQL, NHNN, ...) do not matter.
"""

from __future__ import annotations

import csv
import functools
import pathlib
import re
import unicodedata
from dataclasses import dataclass, replace

from parindex.vietnamese.folding import collapse, fold
from parindex.vietnamese.vocabulary import (
    COMMITTEE_PREFIXES,
    UNDOTTED_ABBREVIATIONS,
    UNIT_PREFIX_ABBREVIATIONS,
    UNIT_PREFIXES,
    unit_prefix_words,
)

# ---------------------------------------------------------------- printed prefixes

# Prefixes that say the level and are not part of the name (vocabulary.UNIT_PREFIXES and
# their abbreviations), matched on the NFC text, case-insensitively.
_ADMIN = rf"(?:{'|'.join(COMMITTEE_PREFIXES)})\s+"


def _level_prefix(level: str) -> str:
    dotted = [rf"{a}\s*\." for a in UNIT_PREFIX_ABBREVIATIONS.get(level, ())]
    undotted = [rf"{a}(?=\s)" for a in UNDOTTED_ABBREVIATIONS if a in UNIT_PREFIX_ABBREVIATIONS.get(level, ())]
    return "|".join([unit_prefix_words((level,)), *dotted, *undotted])


LEVEL_PREFIXES: list[tuple[str, str]] = [(level, _level_prefix(level)) for level in UNIT_PREFIXES]
_PREFIX_RE = re.compile(
    rf"^(?P<admin>{_ADMIN})?(?P<prefix>{'|'.join(f'(?P<{lv}>{p})' for lv, p in LEVEL_PREFIXES)})\s*(?=\S)",
    re.IGNORECASE,
)
_ADMIN_RE = re.compile(rf"^{_ADMIN}", re.IGNORECASE)
# what a department, agency or ministry starts with: its name is kept whole
AGENCY_START = re.compile(
    r"^(?:sở|văn phòng|thanh tra|ban|bộ(?!\s+(?:phận|máy|chỉ số|tiêu chí))|cục|chi cục|kho bạc|bảo hiểm|ngân hàng|viện|công an|"
    r"bộ chỉ huy|ủy ban|uỷ ban|đài|trường|hội|liên đoàn|cơ quan|tòa án|viện kiểm sát)\b",
    re.IGNORECASE,
)
# ministries and agencies ranked with them nationally
MINISTRY_START = re.compile(
    r"^(?:bộ(?!\s+(?:phận|máy|chỉ số|tiêu chí|trưởng|đội|chỉ huy))|ngân hàng nhà nước|thanh tra chính phủ|ủy ban dân tộc|uỷ ban dân tộc|"
    r"văn phòng chính phủ)\b",
    re.IGNORECASE,
)
# TP.HCM, TP.HN: an abbreviation after "TP." is the whole name
_GLUED_ABBREVIATION = re.compile(r"^(?:tp|tx)\s*\.\s*[A-ZĐ]{2,5}$", re.IGNORECASE)
_NATIONAL_CITIES = {"hcm", "hồ chí minh", "hà nội", "hải phòng", "đà nẵng", "cần thơ", "huế"}
# a city prefix: "TP. Huế" is the province Huế nationally, the city Huế inside its province
_CITY_PREFIX = re.compile(rf"^(?:{_ADMIN})?(?:thành phố|tp\b)", re.IGNORECASE)


@dataclass(frozen=True)
class PrintedUnit:
    name: str  # as printed, prefix removed
    level: str | None  # what the prefix says: department | ministry | district | commune | province | None


def split_unit_prefix(printed: str) -> PrintedUnit:
    """ "UBND huyện Châu Thành" -> ("Châu Thành", district); "H.Cẩm Mỹ" -> ("Cẩm Mỹ",
    district); "Sở TT-TT" -> ("Sở TT-TT", department); "TP.HCM" -> ("TP.HCM", province)."""
    text = collapse(printed).strip(" ,.;:-–()")
    if _GLUED_ABBREVIATION.match(text):
        return PrintedUnit(text, "province")
    m = _PREFIX_RE.match(text)
    if m:
        name = text[m.end() :].strip(" ,.;:-–")
        prefix = re.sub(r"\s+", "", m.group("prefix").lower())
        level = next(lv for lv, _ in LEVEL_PREFIXES if m.group(lv))
        if prefix in ("thànhphố", "tp.", "tp") and name.lower() in _NATIONAL_CITIES:
            level = "province"
        if name and (name[0].isupper() or name[0].isdigit()):  # not "Thành phố thông minh"
            return PrintedUnit(name, level)
    bare = _ADMIN_RE.sub("", text)
    if MINISTRY_START.match(text):
        return PrintedUnit(text, "ministry")
    if AGENCY_START.match(bare) or AGENCY_START.match(text):
        return PrintedUnit(text, "department")
    return PrintedUnit(bare or text, None)


# ---------------------------------------------------------------- names compared

# contractions written out or not: both sides are reduced to the short form
_CONTRACTIONS = [
    (re.compile(rf"\b{long}\b"), short)
    for long, short in (
        ("uy ban nhan dan", "ubnd"),
        ("hoi dong nhan dan", "hdnd"),
        ("dai bieu quoc hoi", "dbqh"),
        ("thanh pho", "tp"),
        ("phat trien nong thon", "ptnt"),
        ("khu kinh te", "kkt"),
        ("khu cong nghiep", "kcn"),
        ("ban quan ly", "bql"),
        ("ngan hang nha nuoc", "nhnn"),
        ("bao hiem xa hoi", "bhxh"),
        ("kho bac nha nuoc", "kbnn"),
    )
]


@functools.lru_cache(maxsize=1 << 14)
def name_key(text: str) -> str:
    """What two printings of one name share: "Sở TT&TT", "Sở TT-TT" and "SỞ TT TT" ->
    "sotttt"; "Sở Thông tin và Truyền thông" and "Sở Thông tin - Truyền thông" ->
    "sothongtintruyenthong"; "Khánh Hoà" and "Khánh Hòa" -> "khanhhoa"."""
    t = re.sub(r"[^a-z0-9]+", " ", fold(text))
    for pattern, short in _CONTRACTIONS:
        t = pattern.sub(short, t)
    return "".join(w for w in t.split() if w != "va")


# tone mark on the first or the second vowel of oa, oe, uy at the end of a syllable
_TONES = "\u0300\u0301\u0309\u0303\u0323"  # huyền, sắc, hỏi, ngã, nặng (combining)


def _tone_pairs() -> dict[str, str]:
    pairs = {}
    for first, second in (("o", "a"), ("o", "e"), ("u", "y")):
        for tone in _TONES:
            new = unicodedata.normalize("NFC", first + tone) + second  # Hòa
            old = first + unicodedata.normalize("NFC", second + tone)  # Hoà
            for a, b in ((new, old), (new.upper(), old.upper())):
                pairs[a], pairs[b] = b, a
    return pairs


_TONE_SWAP = _tone_pairs()
_TONE_RE = re.compile(rf"(?<![qQ])(?:{'|'.join(map(re.escape, _TONE_SWAP))})(?!\w)")


def tone_twin(text: str) -> str:
    """The same name with the other tone placement: "Khánh Hòa" <-> "Khánh Hoà",
    "Thủy" <-> "Thuỷ" ("Quý" has no twin: its u belongs to qu)."""
    return _TONE_RE.sub(lambda m: _TONE_SWAP[m.group(0)], text)


# ---------------------------------------------------------------- the catalog

CATALOG_PATH = pathlib.Path(__file__).parent / "catalog" / "units.csv"
CATALOG_LEVELS = ("province", "department", "ministry")
REORGANISED = 2025  # the first year assessed after the 2025 reorganisation
DEFAULT_YEAR = REORGANISED - 1  # assumed when no year is given: most of an archive predates it


@dataclass(frozen=True)
class CatalogRow:
    unit_id: str
    level: str
    name: str
    aliases: tuple[str, ...]
    gso_code: str | None
    valid_from: int | None
    valid_to: int | None
    successor_id: str | None
    change: str | None

    def covers(self, year: int) -> bool:
        return (self.valid_from or 0) <= year <= (self.valid_to or 9999)


@dataclass(frozen=True)
class UnitsCatalog:
    rows_of: dict[str, tuple[CatalogRow, ...]]  # unit_id -> its rows, oldest first
    ids_of: dict[str, tuple[str, ...]]  # name_key -> unit_ids printed that way


def _year(s: str) -> int | None:
    return int(s) if s.strip().isdigit() else None


@functools.lru_cache(maxsize=1)
def load_units() -> UnitsCatalog:
    """`units.csv`, indexed by unit and by the `name_key` of every name and alias."""
    rows_of: dict[str, list[CatalogRow]] = {}
    ids_of: dict[str, list[str]] = {}
    with open(CATALOG_PATH, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            row = CatalogRow(
                r["unit_id"],
                r["level"],
                r["name"],
                tuple(a for a in r["aliases"].split("|") if a),
                r["gso_code"] or None,
                _year(r["valid_from"]),
                _year(r["valid_to"]),
                r["successor_id"] or None,
                r["change"] or None,
            )
            rows_of.setdefault(row.unit_id, []).append(row)
            for variant in (row.name, *row.aliases):
                ids = ids_of.setdefault(name_key(variant), [])
                if row.unit_id not in ids:
                    ids.append(row.unit_id)
    return UnitsCatalog(
        {k: tuple(sorted(v, key=lambda r: r.valid_from or 0)) for k, v in rows_of.items()},
        {k: tuple(v) for k, v in ids_of.items()},
    )


def _level_of(unit_id: str) -> str:
    return load_units().rows_of[unit_id][0].level


def row_in(unit_id: str, year: int | None) -> CatalogRow:
    """The row of a unit valid in `year` (before 2025 when no year is given); outside
    every row's years, the nearest one."""
    rows = load_units().rows_of[unit_id]
    y = year or DEFAULT_YEAR
    return next((r for r in rows if r.covers(y)), rows[0] if y < (rows[0].valid_from or 0) else rows[-1])


def lookup(name: str, levels: tuple[str, ...] = CATALOG_LEVELS) -> str | None:
    """The catalog unit printed as `name` among `levels` (the first level that has one)."""
    ids = load_units().ids_of.get(name_key(name), ())
    for level in levels:
        found = [i for i in ids if _level_of(i) == level]
        if found:
            return found[0]
    return None


@functools.lru_cache(maxsize=4096)
def province_id(name: str | None) -> str | None:
    """ "TP.HCM", "Thành phố Hồ Chí Minh", "tỉnh Khánh Hoà" -> their catalog id."""
    if not name:
        return None
    return lookup(name, ("province",)) or lookup(split_unit_prefix(name).name, ("province",))


def province_key(name: str | None) -> str:
    """The province part of an identity: its catalog id, or its name compared loosely."""
    return province_id(name) or (f"?{name_key(name)}" if name else "")


def province_name(name: str | None, year: int | None) -> str | None:
    """The canonical name of a province in `year` ("TP.HCM" -> "Hồ Chí Minh"; "Huế" ->
    "Thừa Thiên Huế" before 2025); a name the catalog does not know, as given."""
    pid = province_id(name)
    return row_in(pid, year).name if pid else name


def _province_2025(unit_id: str) -> CatalogRow:
    """The 2025 province a province became: itself, or the one it was merged into."""
    row = row_in(unit_id, REORGANISED - 1)
    return row_in(row.successor_id if row.change == "merged" and row.successor_id else unit_id, REORGANISED)


def _province_by_code(code: str, year: int | None) -> str | None:
    y = year or DEFAULT_YEAR
    return next(
        (
            r.name
            for rows in load_units().rows_of.values()
            for r in rows
            if r.level == "province" and r.gso_code == code and r.covers(y)
        ),
        None,
    )


# ---------------------------------------------------------------- identity


@dataclass(frozen=True)
class UnitIdentity:
    unit: str  # canonical name (in that year: "Thừa Thiên Huế" until 2024, "Huế" from 2025)
    unit_code: str | None  # GSO code (province, district, commune) or catalog id ("dept:tu-phap")
    unit_level: str | None  # department | ministry | district | commune | province | group
    province: str | None  # the province a department, district or commune is in; a province itself
    province_code: str | None = None
    unit_id: str | None = None  # catalog identity: "dept:tu-phap", "ministry:tu-phap", "province:hue"
    successor: str | None = None  # the unit that took this one over in the 2025 reorganisation
    successor_code: str | None = None
    province_2025: str | None = None  # where the unit sits after it
    province_code_2025: str | None = None

    @property
    def key(self) -> tuple[str, ...]:
        """Which unit this is, across documents, spellings and years (`unit_identity`)."""
        return identity_key(self.unit, self.unit_code, self.unit_level, self.province, self.unit_id)


def identity_key(
    unit: str | None, code: str | None, level: str | None, province: str | None, unit_id: str | None = None
) -> tuple[str, ...]:
    """A catalog unit is its id (a department within its province); a district or commune
    its GSO code with its name (codes were reused in 2025); anything else its name,
    compared loosely, within its province and level."""
    if unit_id:
        level = _level_of(unit_id)
        return (level, province_key(province) if level == "department" else "", unit_id)
    level = level or ""
    if code and level != "group":
        return (level, "", code, name_key(unit or ""))
    return (level, province_key(province), name_key(unit or ""))


def catalog_identity(unit_id: str, year: int | None, province: str | None = None) -> UnitIdentity:
    """A catalog unit as it was in `year`, with what took it over in 2025 (and, for a
    department, its province then and after)."""
    row = row_in(unit_id, year)
    successor = row_in(row.successor_id, (row.valid_to or DEFAULT_YEAR) + 1) if row.successor_id else None
    if row.level == "province":
        after = _province_2025(unit_id)
        return UnitIdentity(
            row.name,
            row.gso_code,
            "province",
            row.name,
            row.gso_code,
            unit_id,
            successor and successor.name,
            successor and successor.gso_code,
            after.name,
            after.gso_code,
        )
    ident = UnitIdentity(
        row.name, unit_id, row.level, None, None, unit_id, successor and successor.name, successor and successor.unit_id
    )
    if row.level != "department":
        return ident
    pid = province_id(province)
    if not pid:
        return replace(ident, province=province)
    prov, after = row_in(pid, year), _province_2025(pid)
    return replace(
        ident,
        province=prov.name,
        province_code=prov.gso_code,
        province_2025=after.name,
        province_code_2025=after.gso_code,
    )


def _catalog_levels(level: str | None, printed: PrintedUnit, text: str) -> tuple[str, ...]:
    """Which catalog levels may name the unit, best first; () when it is a district or
    commune (its prefix says so, or the caller does and nothing printed contradicts it)."""
    if printed.level in ("district", "commune") or level == "group":
        return ()
    if printed.level == "province":
        return () if level in ("district", "commune") and _CITY_PREFIX.match(text) else ("province",)
    if level in ("district", "commune") and printed.level is None:
        return ()
    first = [lv for lv in (level, printed.level) if lv in CATALOG_LEVELS]
    # with nothing to go by, "NHNN" is the national bank rather than a province's branch
    return tuple(dict.fromkeys(first + ["province", "ministry", "department"]))


def _trailing_province(name: str) -> tuple[str, str] | None:
    """ "Sở Tư pháp tỉnh Quảng Ninh" -> ("Sở Tư pháp", "Quảng Ninh"): a department
    printed with its province after its name."""
    words = name.split()
    for i in range(max(1, len(words) - 6), len(words)):
        tail = " ".join(words[i:])
        if province_id(tail):
            head = re.sub(r"\s+(?:tỉnh|thành phố|tp\.?)$", "", " ".join(words[:i]), flags=re.IGNORECASE)
            return (head, tail) if head else None
    return None


def _catalog_match(
    text: str, printed: PrintedUnit, levels: tuple[str, ...], level: str | None
) -> tuple[str, str | None] | None:
    """(catalog id, province printed after the name) of a unit, or None."""
    names = list(dict.fromkeys([text, printed.name]))
    for name in names:
        if found := lookup(name, levels):
            return found, None
    agencies = tuple(lv for lv in levels if lv in ("department", "ministry"))
    for name in names if agencies else ():
        split = _trailing_province(name)
        if split and (found := lookup(split[0], agencies)):
            return found, split[1]
    # a department or ministry printed without "Sở"/"Bộ" where the level is known: "Tư pháp"
    if level in ("department", "ministry") and not AGENCY_START.match(printed.name):
        found = lookup(("Sở " if level == "department" else "Bộ ") + printed.name, (level,))
        return (found, None) if found else None
    return None


def _catalog_unit(printed: str, level: str | None) -> tuple[str, str | None] | None:
    text = collapse(printed).strip(" ,.;:-–()")
    p = split_unit_prefix(text)
    levels = _catalog_levels(level, p, text)
    return _catalog_match(text, p, levels, level) if levels else None


@functools.lru_cache(maxsize=1 << 14)
def canonical_unit(
    printed: str, level: str | None = None, province: str | None = None, year: int | None = None
) -> UnitIdentity:
    """Who a printed unit is. `level` and `province` are what the caller knows (the
    document's), `year` the year the value is for. Departments, ministries and provinces
    come from the catalog, districts and communes from `vietnamadminunits`; a name found
    in neither comes back as printed (prefix removed), without a code, at the level its
    prefix says (else the caller's)."""
    text = collapse(printed).strip(" ,.;:-–()")
    if level == "group":
        return UnitIdentity(text, None, "group", province_name(province, year))
    match = _catalog_unit(text, level)
    if match:
        return catalog_identity(match[0], year, match[1] or province)
    p = split_unit_prefix(text)
    # "TP. Huế" inside its province is the city: the caller's level wins over a city prefix
    city = p.level == "province" and level in ("district", "commune") and _CITY_PREFIX.match(text)
    admin_level = level if city else (p.level or level)
    prov = province_name(province, year)
    if admin_level in ("district", "commune", None) and p.name:
        found = admin_identity(p.name, admin_level, prov, year)
        if found:
            return found
    pid = province_id(prov)
    return UnitIdentity(
        p.name or text,
        None,
        admin_level,
        None if admin_level == "ministry" else prov,
        row_in(pid, year).gso_code if pid and admin_level != "ministry" else None,
    )


# ---------------------------------------------------------------- districts and communes


def admin_identity(name: str, level: str | None, province: str | None, year: int | None) -> UnitIdentity | None:
    """A district or commune (or, with no level, a district) from `vietnamadminunits`."""
    info = resolve_admin_unit(name, level, province, year)
    if not info.get("unit_code"):
        return None
    return UnitIdentity(
        info["unit"],
        info["unit_code"],
        level or "district",
        province_name(info.get("province"), year),
        info.get("province_code"),
        None,
        info.get("unit_2025"),
        info.get("unit_code_2025"),
        info.get("province_2025"),
        info.get("province_code_2025"),
    )


@functools.lru_cache(maxsize=4096)
def resolve_admin_unit(name: str, level: str | None, province: str | None, year: int | None = None) -> dict:
    """Official names and GSO codes of a district or commune: before the 2025
    reorganisation, or for a commune of 2025 or later, after it (the 34 provinces and
    their communes), with where a pre-2025 unit sits after it."""
    if level == "commune" and year and year >= REORGANISED:
        found = _commune_from_2025(name, province)
        if found:
            return found
    try:
        from vietnamadminunits import ParseMode, parse_address
    except ImportError:  # pragma: no cover
        return {}
    prefix = {"district": "huyện", "commune": "xã", "province": "tỉnh"}.get(level or "", "")
    addr = f"{prefix} {name}".strip() + (f", tỉnh {province}" if province else "")
    try:
        u = parse_address(addr, mode=ParseMode.LEGACY, level={"commune": 3, "province": 1}.get(level or "", 2))
    except Exception:
        return {}
    out = {"province": u.short_province, "province_code": u.province_code}
    district = None
    if level == "commune" and u.short_ward:
        out.update(unit=re.sub(r"\s*\([^)]*\)$", "", u.short_ward), unit_code=u.ward_code)
        district = u.short_district
    elif level == "commune" and u.province_code:
        found = _commune_in_province(name, u.province_code)
        district = found.pop("district", None)
        out.update(found)
    elif level in ("district", None) and u.short_district:
        # "Kỳ Anh (Huyện)": the library tells a district from a town of the same name
        out.update(unit=re.sub(r"\s*\([^)]*\)$", "", u.short_district), unit_code=u.district_code)
    if out.get("province"):
        out.update(after_2025(out.get("unit") if out.get("unit_code") else None, district, out["province"], level))
    return out


def _commune_from_2025(name: str, province: str | None) -> dict:
    """A commune of the 34 provinces (2025 or later), if the library knows one by that name."""
    from vietnamadminunits import ParseMode, parse_address

    addr = f"xã {name}" + (f", {province}" if province else "")
    try:
        u = parse_address(addr, mode=ParseMode.FROM_2025, level=2)
    except Exception:
        return {}
    if not u.ward_code:
        return {}
    return {
        "unit": u.short_ward,
        "unit_code": u.ward_code,
        "province": u.short_province,
        "province_code": u.province_code,
        "province_2025": u.short_province,
        "province_code_2025": u.province_code,
    }


def after_2025(unit: str | None, district: str | None, province: str, level: str | None) -> dict:
    """Where a pre-2025 unit sits after the 2025 reorganisation (provinces merged from 63 to
    34, districts abolished, communes merged): the new province and, for a commune, the new
    commune-level unit that took it in. A district has no successor of its own."""
    from vietnamadminunits import convert_address

    if level == "commune" and unit and district:
        addr = f"xã {unit}, huyện {district}, tỉnh {province}"
    elif level in ("district", None) and unit:
        addr = f"huyện {unit}, tỉnh {province}"
    else:
        addr = f"tỉnh {province}"
    try:
        u = convert_address(addr)
    except Exception:
        return {}
    out = {"province_2025": u.short_province, "province_code_2025": u.province_code}
    if level == "commune" and getattr(u, "ward_code", None):
        out.update(unit_2025=u.short_ward, unit_code_2025=u.ward_code)
    return out


def _commune_in_province(name: str, province_code: str) -> dict:
    """A commune named without its district: unique by name within its province?"""
    from vietnamadminunits.database import query

    key = re.sub(r"[^a-z0-9]", "", fold(name))
    if not province_code.isdigit():  # the query is built from text: only letters and digits reach it
        return {}
    rows = query(
        "SELECT DISTINCT wardShort, wardCode, districtShort FROM admin_units_legacy "
        f"WHERE provinceCode = '{province_code}' AND wardShortKey = '{key}'"
    )
    if len(rows) == 1:
        return {"unit": rows[0]["wardShort"], "unit_code": rows[0]["wardCode"], "district": rows[0]["districtShort"]}
    return {}


# ---------------------------------------------------------------- observations


@functools.lru_cache(maxsize=1 << 14)
def observed_identity(
    unit: str | None, code: str | None, level: str | None, province: str | None, year: int | None
) -> UnitIdentity:
    """Who an observation is about, from its own fields and the catalog only (no address
    lookup: it runs for every observation the audit and the panel read)."""
    if level == "group" or not unit:
        return UnitIdentity(unit or "", None, level, province_name(province, year))
    if code and code in load_units().rows_of:
        return catalog_identity(code, year, province)
    if level in (None, *CATALOG_LEVELS):
        match = _catalog_unit(unit, level)
        if match:
            return catalog_identity(match[0], year, match[1] or province)
        if level == "province" and code and (name := _province_by_code(code, year)):
            return catalog_identity(province_id(name), year)
    return UnitIdentity(unit, code, level, province_name(province, year))


def unit_identity(o: dict) -> tuple[str, ...]:
    """Which unit an observation is about, across documents, spellings and years: a
    department, ministry or province by its catalog id ("Sở TT&TT" and "Sở Thông tin và
    Truyền thông" are one; Thừa Thiên Huế 2024 and Huế 2025 are one), a district or
    commune by its GSO code and name, anything else by its name compared loosely
    (case, accents), with its province (Châu Thành is in seven) and level."""
    return observed_identity(
        o.get("unit") or o.get("printed_unit"),
        o.get("unit_code"),
        o.get("unit_level"),
        o.get("province"),
        _int_year(o.get("year")),
    ).key


def _int_year(value) -> int | None:
    """A year as an int; None for a missing one (None, NaN, pandas' NA)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# ---------------------------------------------------------------- names to look for


@functools.lru_cache(maxsize=1)
def _unit_names() -> tuple[tuple[str, str], ...]:
    seen: dict[tuple[str, str], None] = {}
    for rows in load_units().rows_of.values():
        for row in rows:
            for variant in (row.name, *row.aliases):
                seen[(variant, row.level)] = None
                seen[(tone_twin(variant), row.level)] = None
    return tuple(sorted(seen, key=lambda nl: (-len(nl[0]), nl)))


def unit_names() -> list[tuple[str, str]]:
    """Every printed variant of the departments, ministries and provinces (63 before
    2025, 34 after) in the catalog, with its level, longest first; each name also with
    the other tone placement ("Khánh Hoà")."""
    return list(_unit_names())


__all__ = [
    "AGENCY_START",
    "LEVEL_PREFIXES",
    "MINISTRY_START",
    "PrintedUnit",
    "UnitIdentity",
    "admin_identity",
    "after_2025",
    "canonical_unit",
    "catalog_identity",
    "identity_key",
    "load_units",
    "lookup",
    "name_key",
    "observed_identity",
    "province_id",
    "province_name",
    "resolve_admin_unit",
    "row_in",
    "split_unit_prefix",
    "tone_twin",
    "unit_identity",
    "unit_names",
]
