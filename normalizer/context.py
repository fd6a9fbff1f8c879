"""Who and when a document is about: the assessed unit, its level and province (with
official GSO codes from `vietnamadminunits`), the year the scores are FOR, the index it
reports on, and the size of the ranking it quotes."""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field

from parindex.normalizer.units import resolve_admin_unit, unit_names
from parindex.schemas import ExtractedDocument
from parindex.vietnamese.folding import collapse, fold, nfc
from parindex.vietnamese.vocabulary import FRAMEWORK_PATTERNS, unit_prefix_level, unit_prefix_words

# a district or commune named with its prefix: "huyện Ba Tơ", "Thị xã Trảng Bàng"
UNIT_RE = re.compile(
    rf"(?<![\w])({unit_prefix_words(('district', 'commune'))})\s+"
    r"((?:[A-ZÀ-ỸĐ][\wÀ-ỹđĐ'’-]*\s?){1,4})",
    re.IGNORECASE,
)
# a provincial department: "Sở Nội vụ", "SỞ TƯ PHÁP" (capital S: "cơ sở" is not a department)
DEPARTMENT_RE = re.compile(r"(?<![\w])(?:Sở|SỞ)\s+((?:[A-ZÀ-ỸĐ][\wÀ-ỹđĐ'’-]*\s?)(?:[\wÀ-ỹđĐ,'’-]+\s?){0,5})")
PROVINCE_RE = re.compile(r"(?<![\w])tỉnh\s+((?:[A-ZÀ-ỸĐ][\wÀ-ỹđĐ-]*\s?){1,3})", re.IGNORECASE)
# Words that end a unit's name, compared WITH their accents: "Nậm Nhùn", "Sơn Tịnh" and
# "Hà Tĩnh" are names, "năm", "tỉnh" are not (accent-folded, they would be the same).
# A department's name ("Sở Kế hoạch và Đầu tư") runs on over "và" and lower-case words.
_NAME_ENDS = frozenset("năm tỉnh về theo của tại báo cáo kết quả chỉ số có là trong trên được đạt xếp".split())
STOP_WORDS = _NAME_ENDS | frozenset(
    "giai đoạn và nhiệm vụ kèm ubnd huyện xã phân tích giảm tăng hạng như sau với đến các những một".split()
)
DEPARTMENT_STOP = _NAME_ENDS | frozenset("đã thực hiện".split())
YEAR_PHRASE = re.compile(r"\b(?:năm|par ?index|sipas|ddci|dti)\s+(\d{4})\b", re.IGNORECASE)
DATE_YEAR = re.compile(r"(?:ngày|tháng)[\s\d/.]*năm\s+\d{4}|\d{1,2}/\d{1,2}/\d{4}|/\d{4}\b", re.IGNORECASE)
RANGE_RE = re.compile(r"giai đoạn\s+(\d{4})\s*[-–]\s*(\d{4})", re.IGNORECASE)
LEGAL_BASIS = re.compile(r"^\W*(?:căn cứ|theo đề nghị|xét đề nghị)\b", re.IGNORECASE)
RANK_OF_RE = re.compile(r"\b\d{1,2}\s*/\s*(\d{1,2})\s+(?:huyện|xã|sở|đơn vị|địa phương|tỉnh|cơ quan)", re.IGNORECASE)


@dataclass
class DocumentContext:
    unit: str | None = None
    printed_unit: str | None = None  # the unit as the document prints it, prefix removed
    unit_level: str | None = None
    province: str | None = None
    unit_code: str | None = None
    province_code: str | None = None
    province_2025: str | None = None  # after the 2025 reorganisation
    province_code_2025: str | None = None
    unit_2025: str | None = None  # communes only: the new commune that took this one in
    unit_code_2025: str | None = None
    year: int | None = None
    years: list[int] = field(default_factory=list)
    framework: str = "PAR_INDEX"
    rank_of: int | None = None


def _clean_name(raw: str) -> str | None:
    words = []
    for w in raw.split():
        w = w.strip(",.;:()\"'“”")
        if not w or not w[0].isupper() or nfc(w).lower() in STOP_WORDS or any(ch.isdigit() for ch in w):
            break
        words.append(w)
    if not words:
        return None
    name = " ".join(words)
    if name.isupper():
        name = " ".join(x.capitalize() for x in name.lower().split())
    return name


def _department_name(raw: str) -> str | None:
    """ "Nội vụ đạt 88,5 điểm" -> "Nội vụ"; "KẾ HOẠCH VÀ ĐẦU TƯ" -> "Kế hoạch và Đầu tư"."""
    words = []
    for w in raw.split():
        bare = w.strip(",.;:()\"'“”")
        if not bare or nfc(bare).lower() in DEPARTMENT_STOP or any(ch.isdigit() for ch in bare):
            break
        words.append(bare)
        if bare != w:  # punctuation ends the name
            break
    if not words:
        return None
    name = " ".join(words)
    if name.isupper():
        name = name.capitalize()
        name = re.sub(r"\b(và)\s+(\w)", lambda m: m.group(1) + " " + m.group(2).upper(), name)
    return name


def frameworks_named(text: str) -> list[str]:
    f = fold(text)
    return [name for name, pat in FRAMEWORK_PATTERNS if pat.search(f)]


@functools.lru_cache(maxsize=512)
def resolve_unit(name: str, level: str | None, province: str | None) -> dict:
    """Official names and GSO codes for a unit (pre-2025 boundaries), with where it sits
    after the 2025 reorganisation: `normalizer.units.resolve_admin_unit`."""
    return resolve_admin_unit(name, level, province)


def detect_context(doc: ExtractedDocument) -> DocumentContext:
    ctx = DocumentContext()
    paras = [b for b in doc.paragraphs if collapse(b.text)]
    head = paras[:25]
    texts = [p.text for p in paras] + [t.caption for t in doc.tables]
    # unit: most mentioned named unit, headings count double
    units: Counter = Counter()  # by folded name, so "BA TỜ" and "Ba Tờ" count together
    levels: dict[str, str] = {}
    printed: dict[str, Counter] = {}
    for i, p in enumerate(paras):
        weight = 3 if i < 12 or p.heading or p.text.isupper() else 1
        hits = [(m.group(1).lower(), m.group(2)) for m in UNIT_RE.finditer(p.text)]
        hits += [("sở", m.group(1)) for m in DEPARTMENT_RE.finditer(p.text)]
        for prefix, raw in hits:
            name = _department_name(raw) if prefix == "sở" else _clean_name(raw)
            if name and not (prefix == "thành phố" and fold(name) in ("ho chi minh", "ha noi")):
                key = fold(name)
                units[key] += weight
                levels.setdefault(key, "department" if prefix == "sở" else unit_prefix_level(prefix))
                printed.setdefault(key, Counter())[name] += 1 + (not name.istitle() and not name.isupper())
    if units:
        key = units.most_common(1)[0][0]
        ctx.unit = ctx.printed_unit = printed[key].most_common(1)[0][0]
        ctx.unit_level = levels[key]
    provinces: Counter = Counter()
    for t in texts:
        for m in PROVINCE_RE.finditer(t):
            name = _clean_name(m.group(1))
            if name:
                provinces[name] += 1
    if provinces:
        ctx.province = provinces.most_common(1)[0][0]
    if not ctx.province and paras:
        ctx.province = _province_in_title(paras[0].text)
    if not ctx.unit and ctx.province and any(fold(ctx.province) in fold(p.text) for p in paras[:2]):
        # a province's own report ("Bình Phước: Chỉ số cải cách hành chính năm 2020"): the unit is the province
        ctx.unit = ctx.printed_unit = ctx.province
        ctx.unit_level = "province"
    if ctx.unit and ctx.unit_level == "department" and ctx.province:
        info = resolve_unit(ctx.province, "province", None)
        ctx.province, ctx.province_code = info.get("province", ctx.province), info.get("province_code")
        for key in ("province_2025", "province_code_2025"):
            setattr(ctx, key, info.get(key))
    elif ctx.unit:
        info = resolve_unit(ctx.unit, ctx.unit_level, ctx.province)
        if info:
            ctx.unit = info.get("unit", ctx.unit)
            ctx.unit_code = info.get("unit_code")
            ctx.province = ctx.province or info.get("province")
            ctx.province_code = info.get("province_code")
            for key in ("province_2025", "province_code_2025", "unit_2025", "unit_code_2025"):
                setattr(ctx, key, info.get(key))
    # year the scores are for: the first "năm YYYY" of a title-like paragraph, not a date
    for p in head:
        if LEGAL_BASIS.match(p.text):
            continue  # "Căn cứ Nghị quyết … giai đoạn 2021 - 2030": what a decision rests on
        text = DATE_YEAR.sub(" ", p.text)
        m = YEAR_PHRASE.search(text)
        r = RANGE_RE.search(text)
        if (
            r
            and m
            and m.start() < r.start()
            and re.search(r"chỉ số|kết quả|par|ddci|sipas|dti", text[: m.start()], re.I)
        ):
            r = None  # the title's year comes first; a period cited later ("giai đoạn 2021 - 2030") is not it
        if r:
            ctx.years = list(range(int(r.group(1)), int(r.group(2)) + 1))
            ctx.year = ctx.year or int(r.group(2))
            break
        if m and (p.heading or p.bold or p.text.isupper() or re.search(r"chỉ số|kết quả|par|báo cáo", p.text, re.I)):
            ctx.year = int(m.group(1))
            break
    # index reported on: the most named in the head of the document
    named: Counter = Counter()
    for p in head:
        for fw in frameworks_named(p.text):
            named[fw] += 1
    if named and named.most_common(1)[0][0] in ("SIPAS", "DDCI", "DTI") and "PAR_INDEX" not in named:
        ctx.framework = named.most_common(1)[0][0]
    for t in texts:
        m = RANK_OF_RE.search(t)
        if m:
            ctx.rank_of = int(m.group(1))
            break
    return ctx


def _province_in_title(title: str) -> str | None:
    """A province printed bare in a title ("Bình Phước: Chỉ số cải cách hành chính năm 2020")."""
    folded = f" {fold(title)} "
    for name, level in unit_names():
        if level == "province" and len(name) > 3 and f" {fold(name)} " in folded.replace(":", " ").replace(",", " "):
            return name
    return None


def table_framework(caption: str, default: str) -> str:
    """The index a table reports, from the paragraph printed just before it."""
    named = [f for f in frameworks_named(caption) if f != "PAR_INDEX"]
    if len(named) == 1:
        return named[0]
    if "PAR_INDEX" in frameworks_named(caption) and not named:
        return "PAR_INDEX"
    return default


__all__ = ["DocumentContext", "detect_context", "frameworks_named", "resolve_unit", "table_framework"]
