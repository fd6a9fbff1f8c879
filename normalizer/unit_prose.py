"""Sentences that name units: the results of many units read from one article.

"dẫn đầu là Sở Tài chính (89,83%); tiếp đến là Sở Nội vụ (88,76%)", "quận Cầu Giấy giữ
vị trí số một (95,24%)", "Hà Nội (91,43%, xếp thứ 3)", "TP.HCM và Quảng Ninh lần lượt
xếp thứ 2 và 3", "Điểm số trung bình của các sở, ban, ngành là 90,60".

A sentence is read in four steps:
1. `find_mentions`: where a unit is named (with its prefix: "UBND H.Cẩm Mỹ", "Sở TT-TT",
   "Văn phòng UBND tỉnh", "Bộ Tư pháp", a province or a district of the document's
   province printed bare) and where a group is named ("trung bình", "bình quân");
2. `find_tokens`: the figures and words that are results (a value with % or điểm, X/Y
   điểm, a rank in digits or words, a change of score or of rank, a grade), each with
   the index, part or domain and year it is for, leaving out what is not a result
   (thresholds "trên 80%", ranges, counts of units, gaps to the leader, streaks);
3. `owner_of`: which unit each token belongs to (a value in parentheses after a name; a
   rank word before "là <unit>"; else the last unit named before it in the clause; a
   fronted phrase's unit after it; a group's value);
4. records: one observation per unit, index, year and criterion, a new one when a field
   is printed again with another value (a regional rank beside the national one).

Ranks printed in words take their group size ("Trong số 19 cơ quan sở, ban, ngành")
from anywhere in the document (`group_sizes`): a last place ("đứng cuối bảng") is then
its group size.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Callable

from parindex.normalizer.units import canonical_unit, split_unit_prefix, unit_names
from parindex.schemas.columns import GROUP_LEVEL, VALUE_FIELDS
from parindex.schemas.observation import Observation, is_sentence
from parindex.vietnamese.folding import collapse, fold, fold_keep_length
from parindex.vietnamese.numbers import UNSIGNED_NUMBER_RE, number_value
from parindex.vietnamese.ranks import ORDINALS
from parindex.vietnamese.vocabulary import (
    COMMITTEE_PREFIXES,
    FRAMEWORK_PATTERNS,
    REFUSED_FRAMEWORKS,
    UNDOTTED_ABBREVIATIONS,
    UNIT_PREFIX_ABBREVIATIONS,
    UNIT_PREFIXES,
    unit_prefix_words,
)

NUM = UNSIGNED_NUMBER_RE

# -- unit mentions -----------------------------------------------------------------------

# a prefix in running text: the words in any case, a district's abbreviation only as
# printed in names ("TP.", "Tp.", "H.", "TP "): lower case, "h." and "q." are other words
_DISTRICT_ABBREVIATIONS = "|".join(
    dict.fromkeys(form for a in UNIT_PREFIX_ABBREVIATIONS["district"] for form in (a.upper(), a.capitalize()))
)
ADMIN_PREFIX = re.compile(
    rf"(?<![\w.])(?:(?:{'|'.join(COMMITTEE_PREFIXES)})\s+)?(?:các\s+)?"
    rf"(?P<prefix>(?i:{unit_prefix_words()})\s+|(?:{_DISTRICT_ABBREVIATIONS})\.\s*"
    rf"|(?:{'|'.join(a.upper() for a in UNDOTTED_ABBREVIATIONS)})\s+)"
)
AGENCY_START = re.compile(
    r"(?<![\w.])(?:Sở|SỞ|Văn phòng|Thanh tra|Ban|Bộ|Cục|Chi cục|Kho bạc|Bảo hiểm|Ngân hàng Nhà nước|Viện|Công an|Đài)"
    r"(?=[\s,;.)])"
)
# Bodies that announce or decide, never ranked: "Ban Chỉ đạo", "Bộ Chính trị"
NOT_RANKED = re.compile(
    r"^(?:ban chi dao|bo chinh tri|ban thuong vu|bo tieu chi|bo chi so|ban bien tap|vien kiem sat|"
    r"bo truong|thanh tra vien|ban hanh)"
)
# Agencies of the centre located in a province keep the place in their name ("Cục Thuế tỉnh Kiên Giang")
PLACE_KEPT = re.compile(r"^(?:cuc|chi cuc|kho bac|bao hiem|cong an)\b")
# words that end a unit's name
NAME_STOP = frozenset(
    "đạt là có với đứng xếp dẫn giữ tiếp được thì cùng lần lượt trong tại của năm về đã vẫn vươn trở nằm ở thuộc "
    "chỉ điểm cao thấp tăng giảm luôn liên tham hướng báo triển thực đối theo nhưng so từ trên dưới gồm như "
    "khi để đây này đó còn cũng đều tiếp nhận ghi duy sau trước vị hạng kết riêng nhóm bảng khối và bố".split()
)
# capitalized, these start the next sentence of a text whose full stop was lost ("… tỉnh Lai
# Châu Chỉ số PAR INDEX …"); other stop words capitalized are part of names ("Đại Từ")
SENTENCE_STARTS = frozenset("chỉ kết điểm theo trong đạt xếp với là được tại của".split())
# who speaks or is compared with, not who is ranked: "Giám đốc Sở Nội vụ", "Theo Bộ Nội vụ",
# "công bố của Bộ Nội vụ", "xếp hạng thứ 4 sau Than Uyên, Tân Uyên"
SPEAKER_BEFORE = re.compile(
    r"(?:\btheo|cong bo cua|bao cao cua|giam doc|bo truong|thu truong|chu tich|lanh dao|"
    r"truong ban|can bo|cong chuc|\bsau|\btruoc|\bkem|\bhon)\s*$"
)
DATELINE_AFTER = re.compile(r"\s*\((?:[A-ZĐ]{2,}|[A-ZĐ][a-zđ]+ [A-ZĐ]{2,})[^)]{0,20}\d{1,2}/\d{1,2}")
GROUP_MENTION = re.compile(r"\b(?:(?:diem so|diem|gia tri|muc|chi so)\s+)?(?:trung binh|binh quan)\b")
GROUP_NOT = re.compile(r"(?:loai|muc|nhom|dat)\s*$")
GROUP_WORDS = re.compile(r"\b(?:ca nuoc|toan quoc|trung binh|binh quan)\b")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    printed: str  # the unit as printed, prefix removed; a group's label
    level: str | None
    group: bool = False


def _is_capitalized(word: str) -> bool:
    return bool(word) and word[0].isupper()


_WORD = re.compile(r"[^\s,;:()“”\"'|.]+(?:\.[^\s,;:()“”\"'|.]+)*")


def _name_words(text: str, pos: int, agency: bool, max_words: int = 12) -> int:
    """End of a unit's name starting at `pos`: capitalized words (an agency's name also
    lower-case ones: "Sở Giao thông vận tải"), joined by spaces, "-", "&", ", " before a
    capitalized word, or "và" before one that does not start another unit."""
    end = pos
    words = 0
    i = pos
    while words < max_words:
        m = _WORD.match(text, i)
        if not m:
            break
        w = m.group(0)
        lw = w.lower()
        if lw in NAME_STOP and not (lw == "và" and agency) and (not _is_capitalized(w) or lw in SENTENCE_STARTS):
            break
        if lw == "và":
            nxt = _WORD.match(text, m.end() + 1)
            if (
                not nxt
                or (nxt.group(0).lower() in NAME_STOP and not _is_capitalized(nxt.group(0)))
                or nxt.group(0)[0].isdigit()
                or _starts_unit(text, nxt.start())
                or not (agency or _is_capitalized(nxt.group(0)))
            ):
                break
        elif (
            not _is_capitalized(w)
            and not (agency and words > 0 and w.replace("-", "").isalpha())
            and not w[0].isdigit()
            and not (words > 0 and _lower_inside_name(text, m.end()))
        ):
            break
        elif w[0].isdigit():
            break
        end = m.end()
        words += 1
        i = m.end()
        # connectors inside a name
        rest = text[i : i + 3]
        if rest.startswith(" - ") or rest.startswith(" – "):
            i += 3
            continue
        if rest.startswith("-") or rest.startswith("&"):
            i += 1
            continue
        if rest.startswith(", ") and agency:
            nxt = _WORD.match(text, i + 2)
            if (
                nxt
                and _is_capitalized(nxt.group(0))
                and nxt.group(0).lower() not in NAME_STOP
                and not _starts_unit(text, nxt.start())
                and nxt.group(0).isupper()
            ):
                i += 2  # "Văn phòng Đoàn ĐBQH, HĐND và UBND tỉnh"
                continue
            break
        if rest.startswith(" "):
            i += 1
            continue
        break
    return end


def _lower_inside_name(text: str, end: int) -> bool:
    """A lower-case word between two capitalized ones of a place's name: "Nông trường Mộc Châu"."""
    nxt = _WORD.match(text, end + 1) if text[end : end + 1] == " " else None
    return bool(nxt and _is_capitalized(nxt.group(0)) and nxt.group(0).lower() not in NAME_STOP)


def _starts_unit(text: str, pos: int) -> bool:
    """Does a unit's name (not just a prefix: "UBND tỉnh có") start at `pos`?"""
    if AGENCY_START.match(text, pos):
        return _agency_name(text, pos) is not None
    m = ADMIN_PREFIX.match(text, pos)
    if not m:
        return False
    nxt = _WORD.match(text, m.end())
    return bool(nxt and _is_capitalized(nxt.group(0)))


@functools.lru_cache(maxsize=1)
def _province_names() -> tuple[str, ...]:
    try:
        from vietnamadminunits.database import query

        rows = query("SELECT DISTINCT provinceShort FROM admin_units_legacy")
        new = query("SELECT DISTINCT provinceShort FROM admin_units")
    except Exception:  # pragma: no cover - the package is a dependency
        return ()
    names = {r["provinceShort"] for r in rows} | {r["provinceShort"] for r in new}
    names |= {n.replace("Hòa", "Hoà").replace("Thủy", "Thuỷ") for n in names}
    return tuple(sorted(names, key=len, reverse=True))


@functools.lru_cache(maxsize=1)
def _districts_by_province() -> dict[str, tuple[str, ...]]:
    """The districts of each province (before 2025), by the province's folded name:
    one query for the whole country, not one per document's province."""
    try:
        from vietnamadminunits.database import query

        rows = query("SELECT DISTINCT districtShort, provinceShort FROM admin_units_legacy")
    except Exception:  # pragma: no cover
        return {}
    found: dict[str, set[str]] = {}
    for r in rows:
        found.setdefault(fold(r["provinceShort"]), set()).add(re.sub(r"\s*\([^)]*\)$", "", r["districtShort"]))
    return {
        key: tuple(sorted(names | {n.replace("Hòa", "Hoà") for n in names}, key=len, reverse=True))
        for key, names in found.items()
    }


def _district_names(province: str) -> tuple[str, ...]:
    return _districts_by_province().get(fold(province), ())


@functools.lru_cache(maxsize=128)
def _bare_names_re(province: str | None) -> re.Pattern | None:
    """Districts of the document's province printed without their prefix ("Tân Châu")."""
    names = list(_district_names(province)) if province else []
    if not names:
        return None
    alt = "|".join(re.escape(n) for n in sorted(set(names), key=len, reverse=True))
    return re.compile(rf"(?<![\w.])(?:{alt})(?![\w])")


@functools.lru_cache(maxsize=1)
def _known_levels() -> dict[str, str]:
    """Names of the units catalog: departments, ministries, provinces, with abbreviations."""
    return {name: level for name, level in unit_names() if level in ("department", "ministry", "province")}


@functools.lru_cache(maxsize=1)
def _known_names_re() -> re.Pattern:
    alt = "|".join(re.escape(n) for n in sorted(_known_levels(), key=len, reverse=True))
    return re.compile(rf"(?<![\w.&])(?:{alt})(?![\w&])")


def _agency_name(text: str, start: int) -> tuple[int, str] | None:
    end = _name_words(text, start, agency=True)
    raw = text[start:end]
    second = (
        raw.split()[2:3]
        if raw.startswith(("Văn phòng", "Thanh tra", "Kho bạc", "Bảo hiểm", "Chi cục", "Công an"))
        else raw.split()[1:2]
    )
    if second and not _is_capitalized(second[0]) and not raw.startswith(("Thanh tra", "Ngân hàng")):
        return None
    # a place printed after a department's name is not part of it: "Sở Tài chính TP Hà Nội"
    if not PLACE_KEPT.match(fold(raw)):
        cut = re.search(r"\s+(?:TP\.?|tỉnh|thành phố)\s+[A-ZĐÀ-Ỹ]", raw)
        if cut and cut.start() > 0:
            raw = raw[: cut.start()]
        else:
            for p in _province_names():
                if raw.endswith(" " + p) and len(raw) > len(p) + 6:
                    raw = raw[: -len(p) - 1]
                    break
    raw = raw.rstrip(" ,-&")
    if len(raw.split()) < 2 or NOT_RANKED.match(fold(raw)):
        return None
    return end, raw  # the mention spans the place printed after the name


@functools.lru_cache(maxsize=4096)
def find_mentions(text: str, province: str | None = None) -> tuple[Mention, ...]:
    """Units and groups named in `text`, in order, without overlaps. Memoized: a
    paragraph is searched for the units it names, for the group sizes it states and for
    its figures' owners."""
    found: list[Mention] = []
    folded = fold_keep_length(text)
    for m in AGENCY_START.finditer(text):
        got = _agency_name(text, m.start())
        if got:
            end, raw = got
            found.append(Mention(m.start(), end, raw, split_unit_prefix(raw).level or "department"))
    for m in ADMIN_PREFIX.finditer(text):
        name_end = _name_words(text, m.end(), agency=False, max_words=5)
        if name_end <= m.end():
            continue
        raw = re.sub(r"^các\s+", "", text[m.start() : name_end])
        pu = split_unit_prefix(raw)
        if pu.name and pu.name[0].isupper():
            found.append(Mention(m.start(), name_end, pu.name, pu.level))
    for m in _known_names_re().finditer(text):  # catalog names and abbreviations: "NHNN", "Sở TT&TT"
        found.append(Mention(m.start(), m.end(), m.group(0), _known_levels()[m.group(0)]))
    bare = _bare_names_re(province)
    if bare is not None:
        for m in bare.finditer(text):
            found.append(Mention(m.start(), m.end(), m.group(0), "district"))
    # a name in a list before a value in parentheses: "…, Đống Đa (94,93%)"
    for m in re.finditer(r"(?:,|\bvà|:)\s+((?:[A-ZĐÀ-Ỹ][\wÀ-ỹ'’-]*\s?){1,4})\s*\(\s*\d", text):
        words = m.group(1).strip()
        if all(_is_capitalized(w) for w in words.split()) and words.lower().split()[0] not in NAME_STOP:
            s = m.start(1)
            found.append(Mention(s, s + len(words), words, None))
    for m in GROUP_MENTION.finditer(folded):
        if m.group(0).startswith(("trung", "binh")) and GROUP_NOT.search(folded[max(0, m.start() - 8) : m.start()]):
            continue
        found.append(Mention(m.start(), m.end(), collapse(text[m.start() : m.end()]), GROUP_LEVEL, group=True))
    # earliest first, then longest; drop what overlaps a kept mention and speakers
    found.sort(key=lambda x: (x.start, -(x.end - x.start)))
    kept: list[Mention] = []
    for mt in found:
        if kept and mt.start < kept[-1].end:
            continue
        if DATELINE_AFTER.match(text, mt.end):
            continue  # "Hà Nội (TTXVN 18/4/2024) …": where the news comes from
        if not mt.group and SPEAKER_BEFORE.search(folded[max(0, mt.start - 20) : mt.start]):
            continue
        kept.append(mt)
    # "huyện Tam Đường, tỉnh Lai Châu": a province after a unit is that unit's address
    kept = [
        mt
        for i, mt in enumerate(kept)
        if not (
            i
            and mt.level == "province"
            and not kept[i - 1].group
            and kept[i - 1].level != "province"
            and re.fullmatch(r"\s*,\s*", text[kept[i - 1].end : mt.start])
            and ADMIN_PREFIX.match(text, mt.start)
        )
    ]
    # a name without a prefix in a list takes the level of the unit before it
    out: list[Mention] = []
    for mt in kept:
        if mt.level is None:
            prev = next((p for p in reversed(out) if not p.group and p.level), None)
            mt = Mention(mt.start, mt.end, mt.printed, prev.level if prev else None)
        out.append(mt)
    return tuple(out)


# -- result tokens -------------------------------------------------------------------


@dataclass
class Token:
    start: int
    end: int
    values: dict  # observation fields
    kind: str = "value"  # value | rank | last | next | delta | rank_delta | grade
    region: bool = False  # a regional rank ("3/13 tỉnh khu vực ĐBSCL")


V_FRACTION = re.compile(rf"(?<![\d.,/])(?P<a>{NUM})\s*/\s*(?P<b>{NUM})\s*diem")
V_UNIT = re.compile(rf"(?<![\d.,/])(?P<v>{NUM})\s*(?P<mark>%|diem\b)")
V_BARE = re.compile(
    r"\b(?:la|dat|chi so|binh quan|trung binh|tham dinh|hoc la)\s+(?P<v>\d{1,3}[.,]\d{1,2})(?![\d%/]|\s*(?:%|diem|-|–|den)|[.,]\d)"
)
D_SIGNED = re.compile(rf"\(\s*(?P<sign>[+\-−–])\s?(?P<v>{NUM})\s*(?P<mark>%|diem)?\s*\)")
D_WORDS = re.compile(
    rf"(?P<dir>tang|giam|cao hon|thap hon)\s+(?:(?:manh nhat|nhieu nhat|it nhat|thap nhat|cao nhat|"
    rf"nam truoc do|so voi nam truoc)\s+)?(?:(?:voi|la|dat)\s+)?(?P<v>{NUM})\s*(?P<mark>%|diem)"
)
D_AFTER_RANK = re.compile(
    rf"(?P<dir>tang|giam|len|xuong)\s+\d{{1,2}}\s*(?:bac|hang)\s+va\s+(?P<v>{NUM})\s*(?P<mark>%|diem)"
)
RD_WORDS = re.compile(
    r"(?P<dir>tang|giam|len|xuong|tut)\s+(?P<n>\d{1,2}|" + "|".join(ORDINALS) + r"|mot)\s*(?:bac|hang)\b"
)
RD_SAME = re.compile(r"giu nguyen (?:vi tri|thu hang|hang)")
R_NUM = re.compile(
    r"\b(?:vi tri|xep hang|thu hang|hang|xep|dung)\s+(?:thu\s+|so\s+)?(?P<v>\d{1,2})(?:\s*/\s*(?P<of>\d{1,3}))?\b"
    r"(?!\s*(?:bac|nam\b|lan\b|%|[.,]\d|diem))"
)
_PLACE = r"(?:(?:vi tri|hang|thu hang)\s+)?(?:(?:thu|so)\s+)?"
R_MOVE = re.compile(
    rf"\btu\s+{_PLACE}(?P<a>\d{{1,2}})\s+(?:len|xuong)\s+{_PLACE}(?P<b>\d{{1,2}})"
    r"(?:\s*/\s*(?P<of>\d{1,3}))?\b"
)
R_OF_AFTER = re.compile(
    r"^\s*(?:tinh,? thanh(?: pho)?\s+)?(?:trong|tren)\s+(?:tong so\s+)?(?P<of>\d{1,3})\s+"
    r"(?:bo|tinh|co quan|don vi|so|huyen|xa|dia phuong)"
)
R_AND_NEXT = re.compile(r"^\s*va\s+(?:thu\s+)?(?P<v>\d{1,2})\b")
REGION = re.compile(
    r"khu vuc|\bvung\b|dbscl|dong bang|trung du|tay nguyen|mien (?:nui|trung|bac|nam|tay|dong)|bac trung bo|duyen hai"
)
RANK_WORDS: list[tuple[re.Pattern, str]] = [
    (re.compile(r"\b(?:dung dau|dan dau|ngoi dau|vi tri so mot|so mot|thu nhat|dau bang)\b"), "1"),
    (re.compile(r"\bcao nhat\b"), "1"),
    (re.compile(r"\b(?:thu nhi|thu hai)\b"), "2"),
    (re.compile(r"\bthu ba\b"), "3"),
    (re.compile(r"\b(?:dung cuoi|xep cuoi|cuoi bang|bet bang|thap nhat)\b"), "last"),
    (re.compile(r"\btiep (?:den|theo)\b"), "next"),
]
RANK_NOT_BEFORE = re.compile(
    r"(?:\d+\s+lan|\d+\s+nam|\blan|\bnhom|so voi(?: don vi| dia phuong)?|tang|giam|muc tang|"
    r"muc giam|\bkem)\s*$"
)
TOP_N_BEFORE = re.compile(r"\b\d{1,2}\s+(?:tinh|don vi|dia phuong|so|bo|huyen)\b[^.;()\d]{0,25}$")
SCORE_WORDS = re.compile(r"chi so|diem|ty le|thu hang|ket qua|hai long|xep hang")
GRADE = re.compile(r"xep loai\s+(?P<g>xuat sac|tot|kha|trung binh|yeu|kem)")
THRESHOLD_BEFORE = re.compile(r"(?:\btren|\bduoi|\btu|khoang|\bgan|\bhon|>|<|toi thieu|it nhat|\bden|[\d%]\s*[-–])\s*$")
THRESHOLD_AFTER = re.compile(r"^\s*(?:tro len|tro xuong|den\b|[-–]\s*\d)")
NOT_A_RESULT_AFTER = re.compile(
    r"^\s*(?:danh gia|dieu tra|tu danh gia|thuong|tru|la danh gia|so voi (?:don vi|dia phuong|tinh|bo)\b)"
)
GAP_BEFORE = re.compile(r"\bkem\b[^,;()]{0,40}$")
YEAR_MARK = re.compile(r"(?:\bnam\s+|(?:par ?index|sipas|ddci|dti|pci)\s+)(?P<y>(?:19|20)\d\d)\b")
COMPARISON = re.compile(r"(?<!chi )\bso(?:\s+voi)?\s*$")  # "so với năm 2022", not "Chỉ số SIPAS 2023"
# "… so với năm 2016", "(tăng 1 bậc so năm 2018)", "tăng 2 bậc và 2,79 điểm so với năm 2022"
COMPARED_WITH = re.compile(
    r"\s*(?:va\s+[\d.,]+\s*(?:%|diem)\s*)?\)?\s*,?\s*so(?:\s+voi)?\s+(?:nam\s+)?(?P<y>(?:19|20)\d\d)\b"
)
PERIOD_BEFORE = re.compile(r"(?:thang|dau|cuoi|giua|ngay|\btu|sau)\s*$")
PREVIOUS_YEAR_AFTER = re.compile(r"^\s*(?:cua\s+)?(?:mot\s+)?nam truoc\b")

PART_MARKS: list[tuple[re.Pattern, str]] = [
    (re.compile(r"(?:diem|ket qua|phan)\s+(?:so\s+)?(?:tham dinh|hdtd)|\bdo [^,;()]{0,30}tham dinh"), "ASSESSED"),
    (
        re.compile(r"(?:diem|ket qua|phan)\s+(?:so\s+)?(?:dieu tra|khao sat|dtxhh)|dieu tra xa hoi hoc|\bdtxhh\b"),
        "SURVEY",
    ),
    (
        re.compile(r"\bchi so\b|\btong diem\b|par ?index|\bcchc\b|\bsipas\b|\bddci\b|\bdti\b|cai cach hanh chinh"),
        "TOTAL",
    ),
]
DOMAIN_QUOTED = re.compile(r"(?:chi so thanh phan|linh vuc|noi dung|tru cot)\s*[“\"'‘](?P<name>[^”\"'’]{4,90})[”\"'’]")
DTI_PILLAR = re.compile(r"\b(?:chinh quyen so|kinh te so|xa hoi so)\b")
# SIPAS printed without its name: "sự hài lòng của người dân, tổ chức đối với sự phục vụ"
SIPAS_PHRASE = re.compile(r"su hai long cua nguoi dan|nguoi dan hai long")


def _excluded_value(folded: str, start: int, end: int) -> bool:
    before, after = folded[max(0, start - 30) : start], folded[end : end + 40]
    return bool(
        THRESHOLD_BEFORE.search(before)
        or THRESHOLD_AFTER.match(after)
        or NOT_A_RESULT_AFTER.match(after)
        or GAP_BEFORE.search(before)
    )


def _value_field(mark: str | None) -> str:
    """The field of a value printed with `mark` after it: "%" a percent, else a score."""
    return "percent" if mark == "%" else "score"


def find_tokens(text: str, folded: str) -> list[Token]:
    """The results printed in one sentence, in order, overlaps resolved."""
    toks: list[Token] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    def add(tok: Token) -> None:
        toks.append(tok)
        taken.append((tok.start, tok.end))

    for m in D_SIGNED.finditer(folded):
        v = number_value(text[m.start("v") : m.end("v")])
        if v is not None:
            v = -v if m.group("sign") in "-−–" else v
            add(
                Token(
                    m.start(),
                    m.end(),
                    {"delta": v, "delta_basis": "percent" if m.group("mark") == "%" else "score"},
                    "delta",
                )
            )
    for m in D_AFTER_RANK.finditer(folded):
        s = m.start("v")
        v = number_value(text[s : m.end("v")])
        if v is not None and free(s, m.end()):
            add(
                Token(
                    s,
                    m.end(),
                    {
                        "delta": -v if m.group("dir") in ("giam", "xuong") else v,
                        "delta_basis": "percent" if m.group("mark") == "%" else "score",
                    },
                    "delta",
                )
            )
    for m in D_WORDS.finditer(folded):
        after = folded[m.end() : m.end() + 40]
        if not free(m.start("v"), m.end()) or NOT_A_RESULT_AFTER.match(after):
            continue
        v = number_value(text[m.start("v") : m.end("v")])
        if v is not None:
            add(
                Token(
                    m.start(),
                    m.end(),
                    {
                        "delta": -v if m.group("dir") in ("giam", "thap hon") else v,
                        "delta_basis": "percent" if m.group("mark") == "%" else "score",
                    },
                    "delta",
                )
            )
    for m in RD_WORDS.finditer(folded):
        if not free(m.start(), m.end()):
            continue
        n = m.group("n")
        v = int(n) if n.isdigit() else (1 if n == "mot" else ORDINALS.get(n))
        if v is not None:
            add(
                Token(
                    m.start(),
                    m.end(),
                    {"rank_delta": -v if m.group("dir") in ("giam", "xuong", "tut") else v},
                    "rank_delta",
                )
            )
    for m in RD_SAME.finditer(folded):
        if free(m.start(), m.end()):
            add(Token(m.start(), m.end(), {"rank_delta": 0}, "rank_delta"))
    for m in V_FRACTION.finditer(folded):
        a, b = number_value(text[m.start("a") : m.end("a")]), number_value(text[m.start("b") : m.end("b")])
        if (
            a is not None
            and b is not None
            and free(m.start(), m.end())
            and a <= b
            and not _excluded_value(folded, m.start(), m.end())
        ):
            add(Token(m.start(), m.end(), {"score": a, "max_score": b}))
    for m in V_UNIT.finditer(folded):
        if not free(m.start(), m.end()) or _excluded_value(folded, m.start(), m.end()):
            continue
        v = number_value(text[m.start("v") : m.end("v")])
        if v is None or (m.group("mark") == "diem" and "." not in m.group("v") and "," not in m.group("v") and v > 100):
            continue
        add(Token(m.start(), m.end(), {_value_field(m.group("mark")): v}))
    for m in V_BARE.finditer(folded):
        if not free(m.start("v"), m.end("v")) or _excluded_value(folded, m.start("v"), m.end("v")):
            continue
        v = number_value(text[m.start("v") : m.end("v")])
        if v is not None and v <= 100:
            add(Token(m.start("v"), m.end("v"), {"score": v}))
    for m in R_MOVE.finditer(folded):  # "từ vị trí 63 lên 39/63": the rank now, and by how much it moved
        if free(m.start(), m.end()):
            before_rank, now = int(m.group("a")), int(m.group("b"))
            add(
                Token(
                    m.start(),
                    m.end(),
                    {
                        "rank": now,
                        "rank_of": int(m.group("of")) if m.group("of") else None,
                        "rank_delta": before_rank - now,
                    },
                    "rank",
                )
            )
    for m in R_NUM.finditer(folded):
        if not free(m.start("v"), m.end()):
            continue
        before = folded[max(0, m.start() - 20) : m.start()]
        if RANK_NOT_BEFORE.search(before) and not before.rstrip().endswith(("tang", "giam")):
            continue
        rank = int(m.group("v"))
        of = int(m.group("of")) if m.group("of") else None
        after = folded[m.end() : m.end() + 60]
        if of is None:
            ra = R_OF_AFTER.match(after)
            of = int(ra.group("of")) if ra else None
        region = bool(REGION.search(after[:45]))
        if rank < 1:
            continue
        add(Token(m.start(), m.end(), {"rank": rank, "rank_of": of}, "rank", region=region))
        nxt = R_AND_NEXT.match(after)
        if nxt:  # "xếp thứ 2 và 3"
            e = m.end() + nxt.end()
            add(Token(m.end() + nxt.start("v"), e, {"rank": int(nxt.group("v")), "rank_of": of}, "rank", region=region))
    for pat, what in RANK_WORDS:
        for m in pat.finditer(folded):
            if not free(m.start(), m.end()):
                continue
            before = folded[max(0, m.start() - 25) : m.start()]
            if RANK_NOT_BEFORE.search(before):
                continue
            if what == "1" and "cao nhat" in m.group(0) or what == "last" and "thap nhat" in m.group(0):
                near = folded[max(0, m.start() - 90) : m.start()]
                if TOP_N_BEFORE.search(near):
                    continue  # "nằm trong 5 tỉnh, thành phố cao nhất": a top group, not a rank
                if not (
                    SCORE_WORDS.search(near)
                    or re.match(r"(?:\s+[^\s.;]+){0,6}?\s+(?:la|thuoc ve)\b", folded[m.end() :])
                    or not folded[: m.start()].strip(" -–•*")
                ):
                    continue
            kind = {"last": "last", "next": "next"}.get(what, "rank")
            values = {"rank": int(what)} if what.isdigit() else {}
            add(Token(m.start(), m.end(), values, kind))
    for m in GRADE.finditer(folded):
        add(Token(m.start(), m.end(), {"grade": collapse(text[m.start("g") : m.end("g")]).capitalize()}, "grade"))
    for t in toks:
        if t.kind in ("delta", "rank_delta"):
            base = COMPARED_WITH.match(folded, t.end)
            if base:
                t.values["delta_from"] = int(base.group("y"))
    toks.sort(key=lambda t: t.start)
    return toks


# -- context of a token: index, part or domain, year ------------------------------------


def _framework_at(folded: str, pos: int, default: str) -> str:
    best, best_pos = default, -1
    for name, pat in FRAMEWORK_PATTERNS:
        for m in pat.finditer(folded, 0, pos):
            if m.start() > best_pos:
                best, best_pos = name, m.start()
    for m in SIPAS_PHRASE.finditer(folded, 0, pos):
        if m.start() > best_pos:
            best, best_pos = "SIPAS", m.start()
    return best


def _code_at(
    text: str, folded: str, start: int, pos: int, match_domain: Callable[[str], str | None]
) -> tuple[str | None, str]:
    """The criterion a token is for: the last part, domain or index named before it in its
    sentence (from `start`). Returns (code, printed name)."""
    best: tuple[int, int, str | None, str] = (-1, 0, "TOTAL", "")
    quoted = [(m.start(), m.end()) for m in DOMAIN_QUOTED.finditer(folded, start, pos)]
    for pat, code in PART_MARKS:
        for m in pat.finditer(folded, start, pos):
            if any(a < m.start() < b for a, b in quoted):
                continue  # words of a domain's quoted name
            best = max(best, (m.start(), 0, code, collapse(text[m.start() : m.end()])), key=lambda b: (b[0], b[1]))
    for m in DOMAIN_QUOTED.finditer(folded, start, pos):
        name = collapse(text[m.start("name") : m.end("name")])
        code = match_domain(name)
        best = max(best, (m.start(), 1, code, name), key=lambda b: (b[0], b[1]))
    for m in DTI_PILLAR.finditer(folded, start, pos):
        best = max(
            best,
            (m.start(), 1, match_domain(text[m.start() : m.end()]), collapse(text[m.start() : m.end()])),
            key=lambda b: (b[0], b[1]),
        )
    return best[2], best[3]


def _year_marks(folded: str) -> list[tuple[int, int, bool]]:
    """(position, year, is a comparison "so với năm 2022") of the years printed."""
    out = []
    for m in YEAR_MARK.finditer(folded):
        if (
            re.search(r"\d\s*[-–/]\s*$", folded[max(0, m.start() - 3) : m.start()])
            or re.match(r"\s*[-–]\s*\d{4}", folded[m.end() :])
            or re.search(r"giai doan\s*$", folded[: m.start()])
        ):
            continue  # a range or a period, not a result's year
        if PERIOD_BEFORE.search(folded[max(0, m.start() - 12) : m.start()]):
            continue  # "6 tháng đầu năm 2023": when, not what for
        comparison = bool(COMPARISON.search(folded[max(0, m.start() - 10) : m.start()]))
        out.append((m.start(), int(m.group("y")), comparison))
    return out


def _paren_span(text: str, pos: int) -> tuple[int, int] | None:
    """The parentheses `pos` sits in, if any."""
    open_at = text.rfind("(", 0, pos)
    if open_at < 0 or text.rfind(")", open_at, pos) >= 0:
        return None
    close = text.find(")", pos)
    return open_at, (close if close >= 0 else len(text))


def _year_of(
    tok: Token, text: str, folded: str, marks: list[tuple[int, int, bool]], owner_start: int | None, default: int | None
) -> int | None:
    # a value in parentheses right after "so với năm 2022 (80,08%)" is that year's
    paren = _paren_span(text, tok.start)
    if paren:
        inside = [y for p, y, c in marks if paren[0] < p < tok.start and not c]
        if inside:
            return inside[-1]
        just_before = [y for p, y, c in marks if c and paren[0] - 12 <= p < paren[0]]
        if just_before and tok.kind == "value":
            return just_before[-1]
    if PREVIOUS_YEAR_AFTER.match(folded[tok.end : tok.end + 30]) and default:
        return default - 1
    outside = [(p, y) for p, y, c in marks if not c and not _paren_span(text, p)]
    fronted = [
        (p, y)
        for p, y in outside
        if p < tok.start and owner_start is not None and p < owner_start and _between_clause(text, p, tok.start)
    ]
    before = [
        (p, y)
        for p, y in outside
        if p < tok.start and (p, y) not in fronted and not SENTENCE_YEAR.match(folded[: p + 9])
    ]
    if before:
        return before[-1][1]
    # the next year printed; past a comma only when a fronted phrase held its own year
    after = [
        (p, y) for p, y in outside if p > tok.end and not re.search(r"[;.]" if fronted else r"[;.,]", text[tok.end : p])
    ]
    if after:
        return after[0][1]
    return default


def _between_clause(text: str, a: int, b: int) -> bool:
    """True when the year at `a` belongs to a fronted phrase of its own results before the
    unit ("Đứng vị trí thứ 2 … năm 2021, Bắc Trà My …"), not to the figures at `b`."""
    comma = text.find(",", a, b)
    if comma < 0:
        return False
    seg_start = max(text.rfind(",", 0, a), text.rfind(";", 0, a)) + 1
    return bool(FRONTED_RESULT.search(fold_keep_length(text[seg_start:comma])))


FRONTED_RESULT = re.compile(r"vi tri|\bxep\b|\bdung\b|\d+[.,]\d+|%")


# -- owners -----------------------------------------------------------------------------

CARRY_SUBJECT = re.compile(r"^\W*(?:trong do|cu the|ngoai ra|rieng|dong thoi|ben canh do)\b")
SENTENCE_YEAR = re.compile(r"^\W*nam\s+(?P<y>(?:19|20)\d\d)\s*,")
TRAILING_OF = re.compile(
    r"^[^;]*?\b(?:trong|tren)\s+(?:tong so\s+)?(?P<of>\d{1,3})\s+(?:bo|tinh|co quan|don vi|so|huyen|xa|"
    r"dia phuong)\b"
)
RESPECTIVELY = re.compile(r"\blan luot\b")


def _sentence_year(folded: str) -> int | None:
    """ "Năm 2023, theo kết quả …": the year of this sentence and the ones after it."""
    m = SENTENCE_YEAR.match(folded)
    return int(m.group("y")) if m else None


def _respectively(tokens: list[Token], mentions: list[Mention], text: str, folded: str) -> dict[int, list[Mention]]:
    """ "A và B … lần lượt là 95,77% và 95,39%", "TP.HCM và Quảng Ninh lần lượt xếp thứ 2 và 3":
    the figures after "lần lượt" go in order to the units joined before it."""
    out: dict[int, list[Mention]] = {}
    for m in RESPECTIVELY.finditer(folded):
        c0, c1 = _clause_bounds(text, m.start())
        before = [i for i, mt in enumerate(mentions) if c0 <= mt.start and mt.end <= m.start() and not mt.group]
        groups = [_joint_group(mentions, i, folded) for i in before]
        group = next((g for g in sorted(groups, key=len, reverse=True) if len(g) > 1), None)
        if not group:
            continue
        after = [t for t in tokens if m.end() <= t.start < c1]
        for kind in ("value", "rank"):
            same = [t for t in after if t.kind == kind]
            if len(same) == len(group):
                for t, mt in zip(same, group):
                    out[id(t)] = [mt]
        for t in tokens:  # what is said before "lần lượt" of them all: "cao nhất"
            if c0 <= t.start < m.start() and t.start > group[-1].end and id(t) not in out:
                out[id(t)] = list(group)
    return out


LINK_BEFORE_UNIT = re.compile(
    r"(?:\bla|\bthi|thuoc ve|tiep den|tiep theo)\s+(?:cac\s+)?(?:ubnd\s+|uy ban nhan dan\s+)?$"
)
JOINT = re.compile(r"^\s*(?:,|va)\s*$")
TOGETHER = re.compile(r"^\s*(?:cung|deu)\b")


def _clause_bounds(text: str, pos: int) -> tuple[int, int]:
    depth, start = 0, 0
    for i, ch in enumerate(text[:pos]):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch == ";" and depth == 0:
            start = i + 1
    end = len(text)
    depth = 0
    for i in range(pos, len(text)):
        ch = text[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch == ";" and depth == 0:
            end = i
            break
    return start, end


def _joint_group(mentions: list[Mention], idx: int, folded: str) -> list[Mention]:
    """ "A và B", "A, B và C": the mentions joined to mentions[idx], ending with it."""
    group = [mentions[idx]]
    j = idx
    while j > 0 and not mentions[j - 1].group and JOINT.match(folded[mentions[j - 1].end : group[0].start]):
        j -= 1
        group.insert(0, mentions[j])
    return group


def owners_of(tok: Token, mentions: list[Mention], text: str, folded: str, tokens: list[Token]) -> list[Mention]:
    """Which unit(s) a token's figures belong to (empty: none in this sentence)."""
    # 1. a value in parentheses right after a name: "Sở Tài chính (89,83%)"
    paren = _paren_span(text, tok.start)
    if paren:
        for mt in mentions:
            if 0 <= paren[0] - mt.end <= 3:
                return [mt]
    c_start, c_end = _clause_bounds(text, tok.start)
    after = [mt for mt in mentions if mt.start >= tok.end]
    # 2. a rank or value right before "là <unit>" / "thuộc về <unit>", nothing between
    for mt in after:
        if mt.start > c_end:
            break
        gap = folded[tok.end : mt.start]
        between = any(tok.end <= t.start and t.end <= mt.start for t in tokens)
        if tok.kind == "next" and re.fullmatch(r"\s*(?:la\s+)?", gap) and not between:
            return [mt]  # "tiếp đến các quận Long Biên (95,56%)"
        if LINK_BEFORE_UNIT.search(gap) and len(gap.split()) <= 12 and not re.search(r"[;.]|\d", gap) and not between:
            return [mt]
        break
    # 3. the last unit named before it in its clause (with the units joined to it)
    before = [i for i, mt in enumerate(mentions) if mt.end <= tok.start and mt.start >= c_start]
    if before:
        i = before[-1]
        group = _joint_group(mentions, i, folded)
        joined_after = folded[mentions[i].end : tok.start]
        if len(group) > 1 and (tok.kind in ("rank", "last") or TOGETHER.match(joined_after)):
            return group
        return [mentions[i]]
    # 4. a unit after a link word later in the sentence: "... chỉ số 92,76 thì Sở Tài chính"
    for mt in after:
        if LINK_BEFORE_UNIT.search(folded[max(0, mt.start - 30) : mt.start]):
            return [mt]
    # 5. the last unit named before it in the sentence
    earlier = [mt for mt in mentions if mt.end <= tok.start]
    if earlier:
        return [earlier[-1]]
    # 6. a fronted phrase: "Đứng vị trí thứ 2 …, Bắc Trà My tiếp tục …" (figures, not rank words)
    if after and tok.kind in ("value", "rank", "delta") and any(ch.isdigit() for ch in folded[tok.start : tok.end]):
        return [after[0]]
    return []


# -- reading a paragraph ------------------------------------------------------------------


@dataclass
class UnitProseContext:
    year: int | None
    framework: str = "PAR_INDEX"
    province: str | None = None
    group_sizes: dict = field(default_factory=dict)  # level -> number of units ranked
    fraction_sizes: dict = field(default_factory=dict)  # level -> N of a printed "x/N"


SENTENCE_END = re.compile(r"(?<=[.!?…|])\s+")
ABBREVIATION_BEFORE = re.compile(r"(?:\b[A-ZĐ]{1,2}|\bTp|\bTX)\.$")  # "TP. Hồ Chí Minh", "H. Cẩm Mỹ"


def sentences(text: str) -> list[tuple[int, str]]:
    out, start = [], 0
    for m in SENTENCE_END.finditer(text):
        if ABBREVIATION_BEFORE.search(text[max(0, m.start() - 4) : m.start()]):
            continue
        out.append((start, text[start : m.start()]))
        start = m.end()
    out.append((start, text[start:]))
    return [(s, t) for s, t in out if t.strip()]


GROUP_SIZE = re.compile(
    r"(?<![\d/.,])(?<!thu )(?<!lan )(?P<n>\d{1,3})\s+(?:ubnd\s+|uy ban nhan dan\s+)?(?:cac\s+)?(?:co quan\s+)?"
    r"(?P<noun>so|bo|huyen|quan|thi xa|xa|phuong|tinh|dia phuong|co quan|don vi)\b"
)
CLASS_COUNT = re.compile(r"\d{1,3}\s*/\s*(?P<n>\d{1,3})\s+(?P<noun>co quan|don vi|so|huyen|xa|dia phuong)")
MIN_GROUP = 5  # "2 đơn vị xếp cuối" counts units, it is not a group that is ranked
# a level named without a unit: "các sở, ban, ngành", "cấp huyện", "các bộ, cơ quan ngang bộ"
LEVEL_NOUNS = re.compile(r"\b(?:cac|cap|khoi)\s+(?:co quan\s+)?(?P<noun>so|bo|huyen|quan|xa|phuong|tinh)\b")
# the level a counted noun names: a unit's prefix word, or "sở", "bộ" (folded)
NOUN_LEVEL = {
    "so": "department",
    "bo": "ministry",
    **{fold(word): level for level, words in UNIT_PREFIXES.items() for word in words},
}
FRACTION_RANK = re.compile(r"\d{1,2}\s*/\s*(?P<n>\d{1,3})\s+(?P<noun>tinh|huyen|so|bo|xa|don vi|dia phuong|co quan)")


def group_sizes(texts: list[str], province: str | None = None) -> tuple[dict, dict]:
    """How many units of each level the document says are ranked ("Trong số 19 cơ quan
    sở", "Khối 23 sở … và 30 UBND quận", "14/21 cơ quan xếp loại xuất sắc"), and the N of
    rank fractions ("48/63 tỉnh") by level."""
    sizes: dict[str, int] = {}
    fractions: dict[str, int] = {}
    last_level: str | None = None
    for text in texts:
        folded = fold_keep_length(collapse(text))
        events = []
        for mt in find_mentions(collapse(text), province):
            if not mt.group and mt.level:
                events.append((mt.start, "mention", mt.level, 0))
        for m in LEVEL_NOUNS.finditer(folded):
            events.append((m.start(), "mention", NOUN_LEVEL.get(m.group("noun"), "department"), 0))
        for m in GROUP_SIZE.finditer(folded):
            events.append((m.start(), "size", m.group("noun"), int(m.group("n"))))
        for m in CLASS_COUNT.finditer(folded):
            events.append((m.start(), "size", m.group("noun"), int(m.group("n"))))
        for m in FRACTION_RANK.finditer(folded):
            events.append((m.start(), "fraction", m.group("noun"), int(m.group("n"))))
        for _, what, arg, n in sorted(events):
            if what == "mention":
                last_level = arg
                continue
            level = NOUN_LEVEL.get(arg)
            if arg == "dia phuong":
                level = "province" if last_level in ("province", "ministry") else "district"
            elif level is None:  # cơ quan, đơn vị: the units named last
                level = last_level or "department"
            target = sizes if what == "size" else fractions
            if n >= MIN_GROUP:
                target[level] = max(target.get(level, 0), n)
            if what == "size":
                last_level = level  # "Trong số 20 sở, …, có 15/20 cơ quan xếp loại tốt"
    return sizes, fractions


@dataclass
class _Record:
    owner: Mention
    framework: str
    year: int | None
    code: str | None
    name: str
    values: dict
    start: int
    region: bool = False


def _place(records: list[_Record], rec: _Record, tok: Token) -> None:
    """Put a token's fields into its unit's latest record, or a new one when a field is
    already printed with another value there (or a regional rank beside a national one)."""
    key = (rec.owner.printed, rec.framework, rec.year, rec.code, rec.name if rec.code is None else "")
    for r in reversed(records):
        if (r.owner.printed, r.framework, r.year, r.code, r.name if r.code is None else "") != key:
            continue
        clash = any(k in r.values and r.values[k] != v for k, v in rec.values.items() if v is not None)
        if tok.kind == "rank" and r.region != tok.region:
            clash = True  # a regional rank is an observation of its own, with the changes after it
        if not clash:
            r.values.update({k: v for k, v in rec.values.items() if v is not None or k not in r.values})
            r.region = r.region or tok.region
            return
        break
    records.append(rec)


def read_unit_sentences(
    text: str, ctx: UnitProseContext, match_domain: Callable[[str], str | None], last_rank: dict | None = None
) -> list[dict]:
    """Observations (with `printed_unit` and `unit_level`) from one paragraph's sentences
    that name units or groups; figures that belong to no named unit are left out."""
    text = collapse(text)
    folded_all = fold_keep_length(text)
    last_rank = {} if last_rank is None else last_rank
    records: list[_Record] = []
    para_default_year = next((y for _, y, c in _year_marks(folded_all) if not c), None) or ctx.year
    subject: Mention | None = None
    for s_start, sent in sentences(text):
        folded = folded_all[s_start : s_start + len(sent)]
        mentions = find_mentions(sent, ctx.province)
        toks = find_tokens(sent, folded)
        if not toks:
            subject = next((m for m in reversed(mentions) if not m.group), subject)
            continue
        marks = _year_marks(folded)
        sentence_year = _sentence_year(folded)
        if sentence_year:
            para_default_year = sentence_year
        carries = CARRY_SUBJECT.match(folded) is not None
        respectively = _respectively(toks, mentions, sent, folded)
        for tok in toks:
            owners = respectively.get(id(tok)) or owners_of(tok, mentions, sent, folded, toks)
            if not owners and subject is not None and carries:
                owners = [subject]
            if not owners:
                c0, c1 = _clause_bounds(sent, tok.start)
                g = GROUP_WORDS.search(folded[c0:c1])
                if g and tok.kind in ("value", "delta"):
                    owners = [
                        Mention(
                            c0 + g.start(),
                            c0 + g.end(),
                            collapse(sent[c0 + g.start() : c0 + g.end()]),
                            GROUP_LEVEL,
                            group=True,
                        )
                    ]
            for owner in owners:
                _add_token(
                    records,
                    tok,
                    owner,
                    sent,
                    folded,
                    s_start,
                    folded_all,
                    marks,
                    ctx,
                    match_domain,
                    para_default_year,
                    last_rank,
                    mentions,
                )
        subject = next((m for m in reversed(mentions) if not m.group), subject)
    return _observations(records, ctx)


def _add_token(
    records, tok, owner, sent, folded, s_start, folded_all, marks, ctx, match_domain, default_year, last_rank, mentions
) -> None:
    if owner.group and tok.kind in ("rank", "last", "next"):
        return  # a group is not ranked
    if tok.kind == "next" and (
        not re.match(r"\s*\(\s*\d", sent[owner.end : owner.end + 4]) or _own_rank_in_parentheses(folded, owner)
    ):
        return  # "tiếp đến là A, B, C…" without their figures (or with their own rank) gives no rank
    framework = _framework_at(folded_all, s_start + tok.start, ctx.framework)
    if framework in REFUSED_FRAMEWORKS:
        return
    code, name = _code_at(sent, folded, 0, tok.start, match_domain)
    year = _year_of(tok, sent, folded, marks, owner.start, default_year)
    level = owner.level
    values = dict(tok.values)
    if tok.kind == "rank" and values.get("rank_of") is None:
        c0, c1 = _clause_bounds(sent, tok.start)
        trailing = TRAILING_OF.search(folded[tok.end : c1])
        if trailing:  # "… ở vị trí thứ 12, … thứ 13 và … thứ 14 trong 63 tỉnh, thành phố"
            values["rank_of"] = int(trailing.group("of"))
    if tok.kind == "next":
        values = {"rank": last_rank.get(level, 0) + 1}
    elif tok.kind == "last":
        n = ctx.group_sizes.get(level) or ctx.fraction_sizes.get(level)
        if not n:
            return
        values = {"rank": n, "rank_of": n}
    if "rank" in values and tok.kind in ("rank", "next", "last") and code == "TOTAL":
        if values.get("rank_of") is None and tok.kind != "rank":
            values["rank_of"] = ctx.group_sizes.get(level)
        elif (
            values.get("rank_of") is None
            and tok.kind == "rank"
            and not any(ch.isdigit() for ch in folded[tok.start : tok.end])
        ):
            values["rank_of"] = ctx.group_sizes.get(level)
        if not tok.region:
            last_rank[level] = values["rank"]
    rec = _Record(owner, framework, year, code, name, values, tok.start, tok.region)
    _place(records, rec, tok)
    # a list after a ranked unit: "cao nhất là A (..), B (..), C (..)", "tiếp đến là A (..) và B (..)"
    if tok.kind in ("rank", "next") and "rank" in values and not tok.region and not owner.group:
        idx = next((i for i, m in enumerate(mentions) if m is owner), None)
        if idx is None:
            return
        rank = values["rank"]
        for j in range(idx + 1, len(mentions)):
            nxt, prev = mentions[j], mentions[j - 1]
            if nxt.group or not JOINT.match(re.sub(r"\([^)]*\)", "", folded[prev.end : nxt.start])):
                break
            if not re.match(r"\s*\(", sent[nxt.end : nxt.end + 3]) or _own_rank_in_parentheses(folded, nxt):
                break  # only units printed with their value (and no rank of their own) continue the order
            rank += 1
            vals = {"rank": rank, "rank_of": values.get("rank_of")}
            if vals["rank_of"] is None:
                vals.pop("rank_of")
            _place(
                records,
                _Record(nxt, framework, year, code, name, vals, nxt.start),
                Token(nxt.start, nxt.end, vals, "rank"),
            )
            last_rank[level] = rank


def _own_rank_in_parentheses(folded: str, mention: Mention) -> bool:
    """ "Quảng Ninh (94,61%, xếp thứ 2)": the unit's rank is printed beside its value."""
    m = re.match(r"\s*\(([^)]*)\)", folded[mention.end :])
    return bool(m and R_NUM.search(m.group(1)))


def _observations(records: list[_Record], ctx: UnitProseContext) -> list[Observation]:
    out = []
    for r in records:
        values = {k: v for k, v in r.values.items() if v is not None}
        if not any(k not in ("grade", "delta_basis", "rank_of", "delta_from") for k in values):
            continue
        out.append(
            {
                "year": r.year,
                "framework": r.framework,
                "code": r.code,
                "printed_name": r.name or None,
                "printed_unit": r.owner.printed,
                "unit_level": r.owner.level,
                **values,
            }
        )
    return out


def same_unit_names(observations: list[Observation], province: str | None) -> None:
    """One unit printed several ways in one article's sentences ("NHNN", "Ngân hàng Nhà
    nước", "Ngân hàng Nhà nước Việt Nam") is named by its longest form there."""
    forms: dict[tuple, set[str]] = {}
    for o in observations:
        if is_sentence(o) and o.get("printed_unit") and o.get("unit_level") != GROUP_LEVEL:
            key = canonical_unit(o["printed_unit"], o.get("unit_level"), province, o.get("year")).key
            forms.setdefault(key, set()).add(o["printed_unit"])
    longest = {name: max(names, key=len) for names in forms.values() for name in names}
    for o in observations:
        if is_sentence(o) and o.get("printed_unit") in longest:
            o["printed_unit"] = longest[o["printed_unit"]]


# the fields compared between two sentences' observations; a deduction is never repeated
REPEATED_FIGURES = frozenset(VALUE_FIELDS) - {"deduction"} | {"delta_from"}


def drop_repeated(observations: list[Observation]) -> list[Observation]:
    """A result printed twice (a headline and its article) is one observation: drop an
    observation whose figures are all in another one of the same unit, year and criterion."""

    def key(o):
        return (
            o.get("printed_unit"),
            o.get("unit_level") == GROUP_LEVEL,
            o.get("year"),
            o.get("framework"),
            o.get("code"),
            o.get("printed_name") if o.get("code") is None else None,
        )

    def figures(o):
        return {k: v for k, v in o.items() if k in REPEATED_FIGURES and v is not None}

    kept: list[Observation] = []
    for i, o in enumerate(observations):
        if not is_sentence(o) or not o.get("printed_unit"):
            kept.append(o)  # rows of tables are kept as printed; the audit compares them
            continue
        fo = figures(o)
        dup = False
        for j, p in enumerate(observations):
            if i == j or not is_sentence(p) or key(p) != key(o):
                continue
            fp = figures(p)
            if fo.items() <= fp.items() and (fo != fp or j < i):
                dup = True
                break
        if not dup:
            kept.append(o)
    return kept


__all__ = [
    "Mention",
    "Token",
    "UnitProseContext",
    "drop_repeated",
    "find_mentions",
    "find_tokens",
    "group_sizes",
    "owners_of",
    "read_unit_sentences",
    "same_unit_names",
    "sentences",
]
