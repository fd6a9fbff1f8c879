#!/usr/bin/env python3
"""Deterministic synthetic corpus of PAR INDEX / SIPAS reports for bulk-import benchmarks.

    .venv/bin/python benchmarks/corpus.py OUT_DIR --n 1000 --seed 1
        [--formats pdf,docx,xlsx,html,text,scanned]   (or weighted: pdf=60,docx=40)
        [--truth TRUTH_DIR] [--rate 0.2] [--workers 2] [--quiet]

Writes N report documents into OUT_DIR and one ground-truth JSON per document into
TRUTH_DIR (default: OUT_DIR/../<OUT_DIR name>-truth), in the format of
../shared/truth/SCHEMA.md, so that

    .venv/bin/parindex run OUT_DIR --out OUT
    .venv/bin/python ../shared/tools/score.py OUT TRUTH_DIR

scores a parindex run on them. Truth files are named after the document's stem
(`00042_3f1c9a0b5e7d2c41.pdf` -> `00042_3f1c9a0b5e7d2c41.json`, the stem score.py uses);
TRUTH_DIR also gets `manifest.csv` (one row per document: format, catalog version,
unit, year, tables, facts, injected rules).

Every document is built from the criteria catalog (normalizer/catalog/criteria.csv) for
a real unit (vietnamadminunits' legacy database) of the province the catalog version
belongs to:

| family        | version                             | years     | table layout                                  |
|---------------|-------------------------------------|-----------|-----------------------------------------------|
| Lai Châu      | par-district-laichau-2023 (117 rows)| 2022-2023 | full criteria tree, or down to level 2         |
| Quảng Ngãi    | par-district-quangngai-673-2023     | 2024      | full criteria tree (84 rows), or level 2       |
| Quảng Ngãi    | par-district-quangngai-673-2019     | 2019-2023 | domains with Điểm đánh giá / ĐTXHH rows, 1-3 years (seed 000 table 1) |
| Bình Định     | par-district-binhdinh-2023          | 2023-2024 | 9 domains, 1-2 years                          |
| Quảng Ngãi xã | par-commune-quangngai-673-2023      | 2023-2024 | 8 domains, 1-2 years                          |
| any province  | sipas-2022 (percentages, means)     | 2022-2024 | groups I/II and their components, 1-2 years   |

Values are consistent: children sum to parents (SIPAS: means), domains to the total,
assessed + survey to the total, ranks come from ranking every unit of the province
in that year, and the same unit and year print the same numbers in every document.
A document prints a title naming unit, province and year, a criteria table, often a
year-row summary table (Điểm HĐTD / ĐTXHH / PAR INDEX / Xếp hạng), and narrative
sentences ("Chỉ số PAR INDEX năm 2023 của huyện X đạt 78,12 điểm, tăng 1,5 điểm so với
năm 2022, xếp vị trí thứ 4/8 huyện, thành phố", domain results "đạt 9,52/13,50 điểm
(bằng 70,5%), xếp hạng thứ 4/8 ...", targets "Phấn đấu ... đạt từ 85% trở lên").

A share of documents (--rate, default 0.2) gets one or two injected inconsistencies,
listed in the truth's `inconsistencies`: sum_mismatch (a child changed, its parent
no longer adds up), score_above_max (a score above its max, a sibling lowered so the
parent still adds up), rank_out_of_range ("10/8"), total_mismatch (the total changed
everywhere the document prints it), conflict (a sentence quotes a different value than
the table) and code_gap (siblings renumbered after a skipped code).

Formats (default mix pdf 50, docx 20, html 15, xlsx 11, scanned 2, text 2):
pdf (reportlab, DejaVu Sans, ruled tables, landscape for wide tables, header rows
repeated on every page), docx (python-docx, header row marked to repeat; sometimes one
Word table per page with the header repeated), html (article with <thead> rowspan /
colspan), xlsx (openpyxl, numbers stored as numbers with a number format, merged
headers), text (tab-separated rows, like the seeds) and scanned (a short PDF rendered at
200 dpi with pypdfium2 and wrapped as an image-only PDF).

The output is byte-identical for the same arguments: each document draws from its own
random stream (seed, index), PDFs use reportlab's invariant mode, and DOCX/XLSX zip
members and core properties carry a fixed date. Documents are made on all cores.
"""
from __future__ import annotations

import argparse
import csv
import functools
import hashlib
import html as htmlmod
import io
import json
import math
import multiprocessing
import os
import random
import re
import sys
import time
import unicodedata
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "normalizer" / "catalog" / "criteria.csv"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

FORMAT_WEIGHTS = {"pdf": 50, "docx": 20, "html": 15, "xlsx": 11, "scanned": 2, "text": 2}
EXTENSIONS = {"pdf": "pdf", "docx": "docx", "html": "html", "xlsx": "xlsx", "scanned": "pdf", "text": "txt"}
RULES = ("sum_mismatch", "score_above_max", "rank_out_of_range", "total_mismatch", "conflict", "code_gap")
FIXED_DATE = (2025, 1, 1, 0, 0, 0)
SCAN_DPI = 200
FACT_FIELDS = ("max", "score", "self_score", "target", "percent", "rank", "rank_of", "delta")


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


# ======================================================================================
# catalog structures
# ======================================================================================

@dataclass
class Node:
    code: str
    parent: str | None
    name: str
    names: tuple[str, ...]  # printable variants, canonical name first
    max: int | None  # hundredths of a point
    survey: bool = False  # part of the sociological-survey score

    @property
    def depth(self) -> int:
        return self.code.count(".") + 1


@dataclass
class Structure:
    key: str
    framework: str
    version: str
    nodes: list[Node]  # print order, aggregates excluded
    how: str = "sum"  # sum | mean
    total_max: int | None = 10000
    assessed_max: int | None = None  # a split printed as rows of the criteria table (summary layout)
    survey_max: int | None = None
    split: bool = False  # has an assessed / survey split at all (for the year-row table)
    kind: str = "detail"  # detail | summary | domains | sipas

    @functools.cached_property
    def by_code(self) -> dict[str, Node]:
        return {n.code: n for n in self.nodes}

    @functools.cached_property
    def children(self) -> dict[str | None, list[Node]]:
        out: dict[str | None, list[Node]] = defaultdict(list)
        for n in self.nodes:
            out[n.parent].append(n)
        return out

    @property
    def domains(self) -> list[Node]:
        return self.children[None]


def _cents(text: str) -> int | None:
    return int(round(float(text) * 100)) if text.strip() else None


def _name_variants(row: dict) -> tuple[str, ...]:
    name = row["name"]
    out = [name]
    for a in row["aliases"].split("|"):
        a = a.strip()
        if (len(a) >= 10 and not a.isupper() and a not in out and "(Kết quả" not in a
                and abs(len(a) - len(name)) < 0.5 * len(name) + 12):
            out.append(a)
    return tuple(out)


@functools.lru_cache(maxsize=1)
def catalog_rows() -> dict[str, list[dict]]:
    by: dict[str, list[dict]] = defaultdict(list)
    with open(CATALOG, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            by[r["version"]].append(r)
    return by


def _tree(version: str, key: str, kind: str, framework: str = "PAR_INDEX", how: str = "sum",
          survey=lambda code: False, fix_max=None, drop=(), renumber=None) -> Structure:
    rows = [r for r in catalog_rows()[version] if r["code"] not in ("TOTAL", "ASSESSED", "SURVEY")]
    nodes = []
    for r in rows:
        if r["code"] in drop:
            continue
        code = (renumber or {}).get(r["code"], r["code"])
        mx = _cents(r["max_score"])
        if fix_max and r["code"] in fix_max:
            mx = fix_max[r["code"]]
        nodes.append(Node(code, r["parent_code"] or None, r["name"], _name_variants(r), mx, survey(r["code"])))
    return Structure(key, framework, version, nodes, how=how, kind=kind)


@functools.lru_cache(maxsize=None)
def structures() -> dict[str, Structure]:
    s: dict[str, Structure] = {}
    # Lai Châu district, 117 rows; survey = 8.1-8.6 and 8.10 (30 points), assessed 70
    lc_survey = {"8.1", "8.2", "8.3", "8.4", "8.5", "8.6", "8.10"}
    s["laichau"] = _tree("par-district-laichau-2023", "laichau", "detail",
                         survey=lambda c: c in lc_survey or c.startswith("8.10."))
    s["laichau"].split = True
    # Quảng Ngãi district 2024 (seed 000, table 3): the catalog keeps what the report printed,
    # with four parents that do not add up and a skipped 8.4. A generated report must add up,
    # so the printed oddities are repaired here (catalog README §5): 3.4.4 0.5, 4.4 3.0,
    # 5.5 2.0 (for the uncoded 1-point criterion), 7.1.4 dropped, 8.5 printed as 8.4.
    qn_survey = {"2.4", "3.6", "4.4", "5.7", "6.4", "7.4"}
    s["qn2024"] = _tree("par-district-quangngai-673-2023", "qn2024", "detail",
                        survey=lambda c: c in qn_survey,
                        fix_max={"3.4.4": 50, "4.4": 300, "5.5": 200}, drop=("7.1.4",), renumber={"8.5": "8.4"})
    s["qn2024"].split = True
    # Quảng Ngãi district 2019-2023: domains only (appraised part), assessed and survey rows
    for year, maxima in QN_SUMMARY_MAX.items():
        st = _tree("par-district-quangngai-673-2019", f"qnsum{year}", "summary")
        for node, mx in zip(st.nodes, maxima):
            node.max = int(round(mx * 100))
        st.assessed_max = sum(n.max for n in st.nodes)
        st.survey_max = 10000 - st.assessed_max
        st.split = True
        s[st.key] = st
    s["binhdinh"] = _tree("par-district-binhdinh-2023", "binhdinh", "domains")
    s["commune"] = _tree("par-commune-quangngai-673-2023", "commune", "domains")
    s["sipas"] = _tree("sipas-2022", "sipas", "sipas", framework="SIPAS", how="mean")
    s["sipas"].total_max = None
    for st in s.values():
        _check_structure(st)
    return s


# Quảng Ngãi district domain maxima of the appraised part per year (seed 000 table 1;
# 2019 and 2020 are not printed anywhere and reuse 2021's).
QN_SUMMARY_MAX = {
    2019: (9, 5, 14, 7.5, 10.5, 11, 11.5, 5),
    2020: (9, 5, 14, 7.5, 10.5, 11, 11.5, 5),
    2021: (9, 5, 14, 7.5, 10.5, 11, 11.5, 5),
    2022: (9.5, 5, 14.5, 7.5, 11, 10.5, 11, 5),
    2023: (10.5, 4.5, 12.5, 5, 10, 9, 14, 6.5),
}


def _check_structure(st: Structure) -> None:
    if st.how != "sum":
        return
    for code, kids in st.children.items():
        mx = st.by_code[code].max if code else (st.assessed_max if st.kind == "summary" else st.total_max)
        if mx is not None and all(k.max is not None for k in kids):
            assert sum(k.max for k in kids) == mx, (st.key, code, sum(k.max for k in kids), mx)
        nums = sorted(int(k.code.rsplit(".", 1)[-1]) for k in kids)
        assert nums == list(range(1, len(nums) + 1)), (st.key, code, nums)


@dataclass
class Family:
    key: str
    province: str | None  # None: any province (SIPAS)
    level: str
    framework: str
    years: dict[int, str]  # year -> structure key
    weight: float

    def structure(self, year: int) -> Structure | None:
        k = self.years.get(year)
        return structures()[k] if k else None


FAMILIES = [
    Family("laichau", "Lai Châu", "district", "PAR_INDEX", {2022: "laichau", 2023: "laichau"}, 27),
    Family("quangngai", "Quảng Ngãi", "district", "PAR_INDEX",
           {**{y: f"qnsum{y}" for y in QN_SUMMARY_MAX}, 2024: "qn2024"}, 34),
    Family("binhdinh", "Bình Định", "district", "PAR_INDEX", {2023: "binhdinh", 2024: "binhdinh"}, 12),
    Family("qn-commune", "Quảng Ngãi", "commune", "PAR_INDEX", {2023: "commune", 2024: "commune"}, 15),
    Family("sipas", None, "district", "SIPAS", {2022: "sipas", 2023: "sipas", 2024: "sipas"}, 15),
]
FAMILY = {f.key: f for f in FAMILIES}


# ======================================================================================
# units (vietnamadminunits, legacy boundaries)
# ======================================================================================

@dataclass(frozen=True)
class Unit:
    name: str  # short name, no prefix ("Tam Đường")
    prefix: str  # "huyện", "thị xã", "thành phố", "quận", "xã", "phường", "thị trấn"
    province: str
    level: str

    @property
    def full(self) -> str:
        return f"{self.prefix} {self.name}"


@functools.lru_cache(maxsize=1)
def all_units() -> dict[tuple[str, str], list[Unit]]:
    """(province, level) -> units, sorted by name; communes only where the name is unique
    in the province (a report names a commune without its district), and no unit whose name
    the database disambiguates with a parenthesis or that is only a number."""
    from vietnamadminunits.database import query

    rows = query("SELECT DISTINCT provinceShort, districtShort, districtType, wardShort, wardType "
                 "FROM admin_units_legacy")
    out: dict[tuple[str, str], set[Unit]] = defaultdict(set)
    ward_count: Counter = Counter()
    for r in rows:
        if r["wardShort"]:
            ward_count[(r["provinceShort"], r["wardShort"])] += 1
    for r in rows:
        p = r["provinceShort"]
        names = (r["districtShort"] or "") + (r["wardShort"] or "")
        if "(" in names or any(ch.isdigit() for ch in names):
            continue  # "Kỳ Anh (Huyện)" / "Kỳ Anh (Thị xã)" print the same name; "Quận 3" has none but its number
        if r["districtShort"]:
            out[(p, "district")].add(Unit(r["districtShort"], r["districtType"].lower(), p, "district"))
        if r["wardShort"] and ward_count[(p, r["wardShort"])] == 1 and r["wardType"]:
            out[(p, "commune")].add(Unit(r["wardShort"], r["wardType"].lower(), p, "commune"))
    return {k: sorted(v, key=lambda u: (u.name, u.prefix)) for k, v in out.items()}


@functools.lru_cache(maxsize=1)
def province_types() -> dict[str, str]:
    from vietnamadminunits.database import query

    return {r["provinceShort"]: r["province"][: -len(r["provinceShort"])].strip().lower()
            for r in query("SELECT DISTINCT province, provinceShort FROM admin_units_legacy")}


def province_full(province: str) -> str:
    return f"{province_types().get(province, 'tỉnh')} {province}"


def units_of(province: str, level: str) -> list[Unit]:
    return all_units().get((province, level), [])


@functools.lru_cache(maxsize=1)
def sipas_provinces() -> list[str]:
    return sorted(p for (p, lvl), us in all_units().items() if lvl == "district" and len(us) >= 4)


def units_word(unit: Unit) -> str:
    if unit.level == "commune":
        return "xã, phường, thị trấn"
    kinds = {u.prefix for u in units_of(unit.province, "district")}
    if "quận" in kinds:
        return "quận, huyện, thị xã, thành phố"
    if "thị xã" in kinds:
        return "huyện, thị xã, thành phố"
    return "huyện, thành phố"


# ======================================================================================
# canonical values: one set per (structure, unit, year), shared by every document
# ======================================================================================

_SEED = 1  # set in every process before documents are made


def rng_for(*parts) -> random.Random:
    return random.Random(":".join(str(p) for p in (_SEED,) + parts))


def _quality(unit: Unit, year: int) -> float:
    base = rng_for("q", unit.province, unit.level, unit.name).uniform(0.58, 0.93)
    drift = rng_for("qy", unit.province, unit.level, unit.name, year).gauss(0, 0.04)
    return min(0.97, max(0.45, base + drift))


@dataclass
class Values:
    score: dict[str, int]  # code -> hundredths (SIPAS: hundredths of a percent)
    self_score: dict[str, int]
    total: int
    assessed: int | None = None
    survey: int | None = None


def _quantize(v: float, step: int) -> int:
    return int(round(v / step)) * step


@functools.lru_cache(maxsize=None)
def canonical(struct_key: str, unit: Unit, year: int) -> Values:
    st = structures()[struct_key]
    rng = rng_for("v", struct_key, unit.province, unit.level, unit.name, year)
    q = _quality(unit, year)
    score: dict[str, int] = {}
    self_score: dict[str, int] = {}
    leaves = [n for n in st.nodes if not st.children.get(n.code)]
    for n in leaves:
        if st.how == "mean":  # SIPAS component, a percentage
            v = 100 * (58 + 38 * q + rng.gauss(0, 2.5))
            score[n.code] = int(min(9950, max(5000, round(v))))
            continue
        m = n.max
        if st.kind in ("summary", "domains") or n.survey:
            ratio = min(1.0, max(0.3, q + rng.gauss(0, 0.09)))
            s = int(round(m * ratio))
        else:
            u = rng.random()
            if u < q * 0.85:
                s = m
            elif u < q * 0.85 + 0.12:
                s = 0
            else:
                s = _quantize(m * rng.uniform(0.2, 0.95), 25 if m <= 200 else 1)
        s = min(m, max(0, s))
        score[n.code] = s
        extra = rng.choice((0, 0, 0, 0.5, 1.0))
        self_score[n.code] = min(m, s + _quantize((m - s) * extra, 25 if m <= 200 else 1))
    for n in sorted(st.nodes, key=lambda n: -n.depth):
        kids = st.children.get(n.code)
        if not kids:
            continue
        if st.how == "mean":
            score[n.code] = int(math.floor(sum(score[k.code] for k in kids) / len(kids) + 0.5))
        else:
            score[n.code] = sum(score[k.code] for k in kids)
            self_score[n.code] = sum(self_score[k.code] for k in kids)
    doms = [score[d.code] for d in st.domains]
    if st.how == "mean":
        total = int(math.floor(sum(doms) / len(doms) + 0.5))
        return Values(score, self_score, total)
    if st.kind == "summary":
        assessed = sum(doms)
        survey = int(round(st.survey_max * min(1.0, max(0.45, q - 0.05 + rng.gauss(0, 0.07)))))
        return Values(score, self_score, assessed + survey, assessed, survey)
    total = sum(doms)
    if st.split:
        survey = sum(score[n.code] for n in st.nodes if n.survey)
        return Values(score, self_score, total, total - survey, survey)
    return Values(score, self_score, total)


@functools.lru_cache(maxsize=None)
def ranking(struct_key: str, province: str, level: str, year: int) -> dict[tuple[str, str], int]:
    """(unit name, code) -> rank among the units of the province that year, for TOTAL and
    every domain (ties broken by name, like a published list)."""
    units = units_of(province, level)
    st = structures()[struct_key]
    out: dict[tuple[str, str], int] = {}
    codes = ["TOTAL"] + [d.code for d in st.domains]
    vals = {u: canonical(struct_key, u, year) for u in units}
    for code in codes:
        order = sorted(units, key=lambda u: (-(vals[u].total if code == "TOTAL" else vals[u].score[code]), u.name))
        for i, u in enumerate(order, 1):
            out[(u.name, code)] = i
    return out


def rank_of(unit: Unit) -> int:
    return len(units_of(unit.province, unit.level))


def previous_total(fam: Family, unit: Unit, year: int) -> int:
    """Last year's total, for "tăng 1,5 điểm so với năm 2022": the canonical one when the
    family has that year, else a plausible value no document prints."""
    if year in fam.years:
        return canonical(fam.years[year], unit, year).total
    cur = canonical(fam.years[year + 1], unit, year + 1).total
    return int(round(cur + 100 * rng_for("prev", fam.key, unit.name, year).gauss(0, 3.5)))


# ======================================================================================
# the document model
# ======================================================================================

@dataclass
class Row:
    code: str | None  # the code as printed, normalized ("1,2" -> "1.2"); TOTAL / ASSESSED / SURVEY
    cat: str | None  # catalog code (narrative look-ups)
    pcode: str  # printed code cell
    name: str
    depth: int  # 0 aggregate, 1 domain, 2+ criteria
    parent: str | None  # printed parent code (None: a domain)
    vals: dict[int, dict[str, int]] = field(default_factory=dict)  # year -> field -> value
    span_label: bool = False  # label spans the code and name columns


@dataclass
class Col:
    kind: str  # code | name | note | year | value
    field: str | None = None  # max | score | self_score | percent | rank | frac | delta
    year: int | None = None
    agg: str | None = None  # year-row tables: the aggregate the column holds


@dataclass
class LTable:
    header: list[list[str]]
    spans: list[tuple[int, int, int, int]]  # header spans (r0, c0, r1, c1)
    cols: list[Col]
    rows: list[Row]
    widths: list[float]
    kind: str = "criteria"  # criteria | yearrows
    rank_plain: bool = False  # ranks printed "4" under a "(/8 ...)" header
    year_rows: list[int] = field(default_factory=list)  # yearrows: the years, one per row
    agg_vals: dict[int, dict[str, dict[str, int]]] = field(default_factory=dict)  # yearrows: year -> agg -> field
    agg_names: dict[str, str] = field(default_factory=dict)
    index: int = 0  # 1-based in the document


@dataclass
class Style:
    decimal: str  # "," or "."
    fixed2: bool  # 9,50 / 1,00 rather than 9,5 / 1
    code_style: str  # dot | comma | trailing
    docx_split: bool = False


@dataclass
class DocSpec:
    index: int
    stem: str
    fmt: str
    family: Family
    struct: Structure
    unit: Unit
    year: int
    style: Style
    rng: random.Random
    blocks: list = field(default_factory=list)
    tables: list[LTable] = field(default_factory=list)
    prose_facts: list[dict] = field(default_factory=list)
    inconsistencies: list[dict] = field(default_factory=list)
    landscape: bool = False
    compact: bool = False  # a scan: one or two pages
    with_prose: bool = True
    narrative_domains: list[str] = field(default_factory=list)
    touched: set = field(default_factory=set)  # codes an injection changed
    printed_total: dict[int, int] = field(default_factory=dict)  # year -> total as the tables print it
    conflict: tuple[str, int] | None = None  # (code, offset) a sentence prints differently


def fmt_num(v: int, style: Style, fixed2: bool | None = None) -> str:
    """Hundredths -> printed number, Vietnamese style by default ("9,52", "1,00" or "1")."""
    fixed2 = style.fixed2 if fixed2 is None else fixed2
    neg = v < 0
    v = abs(v)
    text = f"{v // 100}.{v % 100:02d}"
    if not fixed2:
        text = text.rstrip("0").rstrip(".")
    return ("-" if neg else "") + text.replace(".", style.decimal)


def fmt_pct(score: int, mx: int, style: Style) -> tuple[str, float]:
    p = round(score * 100 / mx, 2) if mx else 0.0
    text = f"{p:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", style.decimal), float(text)


def printed_code(code: str, style: Style) -> str:
    parts = code.split(".")
    if parts[0] in ("I", "II"):  # SIPAS: components numbered under their group (seed 004), or I.1
        if len(parts) == 1:
            return code + ("." if style.code_style == "trailing" else "")
        return parts[1] if style.code_style != "dot" else code
    if style.code_style == "comma" and len(parts) == 2:
        return ",".join(parts)
    if style.code_style == "trailing":
        return code + "."
    return code


def value(v: int) -> float:
    return round(v / 100, 2)


# ======================================================================================
# building tables
# ======================================================================================

NAME_HEADERS = ["Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "LĨNH VỰC / TIÊU CHÍ / TIÊU CHÍ THÀNH PHẦN",
                "Lĩnh vực, tiêu chí, tiêu chí thành phần", "Nội dung đánh giá", "Lĩnh vực/Tiêu chí"]
CODE_HEADERS = ["STT", "TT", "Số TT"]
MAX_HEADERS = ["Điểm tối đa", "Điểm chuẩn", "Thang điểm"]
SCORE_HEADERS = ["Điểm đạt được", "Điểm thẩm định", "Kết quả", "Điểm HĐTD thẩm định"]
SELF_HEADERS = ["Điểm tự đánh giá", "Điểm tự chấm"]
RANK_HEADERS = ["Xếp hạng", "Vị thứ"]
TOTAL_LABELS = ["Tổng điểm", "TỔNG ĐIỂM CHỈ SỐ PAR INDEX", "Chỉ số PAR INDEX", "Kết quả tổng hợp chung",
                "Tổng cộng"]
TOTAL_LABEL_SPLIT = "TỔNG ĐIỂM CHỈ SỐ PAR INDEX (Điểm đánh giá và ĐTXHH)"  # seed 000
ASSESSED_LABELS = ["Điểm đánh giá", "Điểm thẩm định", "Điểm HĐTD"]
SURVEY_LABELS = ["ĐIỂM ĐIỀU TRA XHH", "Điểm điều tra xã hội học", "Điểm ĐTXHH"]
NOTES = ["Phòng Nội vụ", "Phòng Tư pháp", "Văn phòng HĐND và UBND", "Phòng Tài chính - Kế hoạch",
         "Phòng Văn hóa và Thông tin", "Phòng Nội vụ; Văn phòng HĐND và UBND"]


def criteria_rows(spec: DocSpec, st: Structure, years: list[int], max_depth: int, with_self: bool) -> list[Row]:
    rng, unit = spec.rng, spec.unit
    fam = spec.family
    n_of = rank_of(unit)
    rows: list[Row] = []
    for node in st.nodes:
        if node.depth > max_depth:
            continue
        name = node.names[0] if len(node.names) == 1 or rng.random() < 0.6 else rng.choice(node.names[1:])
        row = Row(node.code, node.code, printed_code(node.code, spec.style), name, node.depth, node.parent)
        for y in years:
            sk = fam.years[y]
            vals = canonical(sk, unit, y)
            cell: dict[str, int] = {}
            if st.how == "mean":
                cell["percent"] = vals.score[node.code]
            else:
                cell["max"] = structures()[sk].by_code[node.code].max
                cell["score"] = vals.score[node.code]
                if with_self:
                    cell["self_score"] = vals.self_score[node.code]
            if node.depth == 1:
                cell["rank"] = ranking(sk, unit.province, unit.level, y)[(unit.name, node.code)]
                cell["rank_of"] = n_of
            row.vals[y] = cell
        rows.append(row)
    return rows


def aggregate_row(spec: DocSpec, code: str, label: str, years: list[int], span: bool) -> Row:
    unit, fam = spec.unit, spec.family
    row = Row(code, code, "*" if code != "TOTAL" and not span else "", label, 0, None, span_label=span)
    for y in years:
        sk = fam.years[y]
        st, vals = structures()[sk], canonical(sk, unit, y)
        cell: dict[str, int] = {}
        if code == "TOTAL":
            if st.how == "mean":
                cell["percent"] = vals.total
            else:
                cell["max"], cell["score"] = st.total_max, vals.total
            cell["rank"] = ranking(sk, unit.province, unit.level, y)[(unit.name, "TOTAL")]
            cell["rank_of"] = rank_of(unit)
        elif code == "ASSESSED":
            cell["max"], cell["score"] = st.assessed_max, vals.assessed
        else:
            cell["max"], cell["score"] = st.survey_max, vals.survey
        row.vals[y] = cell
    return row


def criteria_table(spec: DocSpec, years: list[int]) -> LTable:
    rng, st = spec.rng, spec.struct
    multi = len(years) > 1
    sipas = st.how == "mean"
    kind = st.kind
    max_depth = 9 if kind != "detail" or rng.random() < 0.55 else 2
    with_self = kind == "detail" and not multi and rng.random() < 0.3
    with_rank = sipas or kind in ("summary", "domains") or rng.random() < 0.6
    with_note = kind == "detail" and not multi and rng.random() < 0.2
    frac = kind == "domains" and rng.random() < 0.35  # "9,52/13,50" cells (seed 003)
    with_delta = multi and (sipas or kind == "domains") and rng.random() < 0.5
    rank_plain = with_rank and not multi and rng.random() < 0.3

    rows = criteria_rows(spec, st, years, max_depth, with_self)
    total_first = kind == "summary" or rng.random() < 0.3
    labels = TOTAL_LABELS + [TOTAL_LABEL_SPLIT] * st.split
    label = rng.choice(labels if not sipas else ["Kết quả tổng hợp chung", "Tổng hợp chung", "Tổng cộng"])
    total = aggregate_row(spec, "TOTAL", label, years, span=total_first and rng.random() < 0.7)
    if kind == "summary":
        assessed = aggregate_row(spec, "ASSESSED", rng.choice(ASSESSED_LABELS), years, span=False)
        survey = aggregate_row(spec, "SURVEY", rng.choice(SURVEY_LABELS), years, span=False)
        rows = [total, assessed] + rows + [survey]
    elif total_first:
        rows = [total] + rows
    else:
        rows = rows + [total]
    if not with_rank:
        for r in rows:
            for cell in r.vals.values():
                cell.pop("rank", None)
                cell.pop("rank_of", None)

    n_of = rank_of(spec.unit)
    code_h, name_h = rng.choice(CODE_HEADERS), rng.choice(NAME_HEADERS)
    rank_h = rng.choice(RANK_HEADERS)
    # the columns one year gets
    sub: list[tuple[str, str]] = []
    if sipas:
        sub.append(("percent", "Kết quả (%)"))
    elif frac:
        sub.append(("frac", "Điểm đạt/điểm tối đa"))
    else:
        sub.append(("max", rng.choice(MAX_HEADERS)))
        if with_self:
            sub.append(("self_score", rng.choice(SELF_HEADERS)))
        sub.append(("score", rng.choice(SCORE_HEADERS)))
    if with_rank:
        sub.append(("rank", rank_h + (f" (/{n_of} {units_word(spec.unit)})" if rank_plain else "")))
    cols = [Col("code"), Col("name")]
    widths = [1.3, 11.0 if kind == "detail" else 8.0]
    spans: list[tuple[int, int, int, int]] = []
    if not multi:
        y = years[0]
        header = [[code_h, name_h]]
        for f, h in sub:
            cols.append(Col("value", f, y))
            if f == "percent":
                h = rng.choice([f"Kết quả năm {y} (%)", "Kết quả (%)", f"Chỉ số SIPAS năm {y} (%)"])
            elif f == "frac":
                h = f"Năm {y} (điểm đạt/điểm tối đa)"
            header[0].append(h)
        if with_note:
            cols.append(Col("note"))
            header[0].append(rng.choice(["Ghi chú", "Cơ quan chịu trách nhiệm"]))
    elif len(sub) == 1:
        f = sub[0][0]
        header = [[code_h, name_h]]
        for y in years:
            cols.append(Col("value", f, y))
            header[0].append(f"Kết quả năm {y} (%)" if f == "percent" else f"Năm {y} (điểm đạt/điểm tối đa)")
        if with_delta:
            cols.append(Col("value", "delta", years[-1]))
            header[0].append(f"Tăng/giảm so với năm {years[-2]}" + (" (%)" if sipas else ""))
    else:
        header = [[code_h, name_h], ["", ""]]
        spans = [(0, 0, 1, 0), (0, 1, 1, 1)]
        for y in years:
            start = len(cols)
            for f, h in sub:
                cols.append(Col("value", f, y))
                header[0].append(f"Năm {y}")
                header[1].append(h)
            spans.append((0, start, 0, start + len(sub) - 1))
        if with_delta:
            cols.append(Col("value", "delta", years[-1]))
            header[0].append(f"Tăng/giảm so với năm {years[-2]}" + (" (%)" if sipas else ""))
            header[1].append("")
            spans.append((0, len(cols) - 1, 1, len(cols) - 1))
    for c in cols[2:]:
        widths.append(4.0 if c.kind == "note" else (2.6 if c.field == "frac" else 2.0))
    return LTable(header, spans, cols, rows, widths, rank_plain=rank_plain)


def yearrow_table(spec: DocSpec) -> LTable | None:
    """Seed 003 table 1: one row per year, ASSESSED / SURVEY / TOTAL and the rank."""
    fam, unit, y = spec.family, spec.unit, spec.year
    years = [yy for yy in (y - 1, y) if yy in fam.years and structures()[fam.years[yy]].split]
    if not years:
        return None
    n_of = rank_of(unit)
    names = {"ASSESSED": spec.rng.choice(["Điểm HĐTD cấp tỉnh", "Điểm thẩm định", "Điểm đánh giá"]),
             "SURVEY": spec.rng.choice(["Điểm điều tra xã hội học", "Điểm ĐTXHH"]),
             "TOTAL": spec.rng.choice(["PAR INDEX (%)", "Chỉ số PAR INDEX", "Tổng điểm"])}
    header = [["Năm đánh giá", names["ASSESSED"], names["SURVEY"], names["TOTAL"],
               f"Xếp hạng (/{n_of} {units_word(unit)})"]]
    cols = [Col("year"), Col("value", "score", agg="ASSESSED"), Col("value", "score", agg="SURVEY"),
            Col("value", "score", agg="TOTAL"), Col("value", "rank", agg="TOTAL")]
    agg_vals = {}
    for yy in years:
        sk = fam.years[yy]
        v = canonical(sk, unit, yy)
        agg_vals[yy] = {"ASSESSED": {"score": v.assessed}, "SURVEY": {"score": v.survey},
                        "TOTAL": {"score": v.total, "rank": ranking(sk, unit.province, unit.level, yy)[(unit.name, "TOTAL")],
                                  "rank_of": n_of}}
    return LTable(header, [], cols, [], [3.0, 3.4, 3.6, 3.0, 4.4], kind="yearrows", year_rows=years,
                  agg_vals=agg_vals, agg_names=names, rank_plain=True)


# ======================================================================================
# injected inconsistencies
# ======================================================================================

def _years_of(t: LTable) -> list[int]:
    return sorted({c.year for c in t.cols if c.year is not None and c.field not in ("delta",)})


def _has(t: LTable, f: str, y: int) -> bool:
    return any(c.year == y and (c.field == f or (c.field == "frac" and f in ("max", "score"))) for c in t.cols)


def inject_code_gap(spec: DocSpec) -> bool:
    t = spec.tables[-1]
    groups: dict[str | None, list[Row]] = defaultdict(list)
    for r in t.rows:
        if r.depth >= 1:
            groups[r.parent].append(r)
    cands = [(p, kids) for p, kids in groups.items() if len(kids) >= 3 and spec.struct.how == "sum"]
    if not cands:
        return False
    parent, kids = spec.rng.choice(sorted(cands, key=lambda pk: str(pk[0])))
    j = spec.rng.randrange(2, len(kids) + 1)  # 1-based position of the first renumbered child
    mapping = {}
    for k in kids[j - 1:]:
        head, _, last = k.code.rpartition(".")
        mapping[k.code] = (head + "." if head else "") + str(int(last) + 1)
    def moved(code: str | None) -> str | None:
        for old, repl in mapping.items():
            if code == old or (code and code.startswith(old + ".")):
                return repl + code[len(old):]
        return code

    for r in t.rows:
        if r.code is None or r.depth == 0:
            continue
        new = moved(r.code)
        if new != r.code:
            r.code, r.parent = new, moved(r.parent)
            r.pcode = printed_code(new, spec.style)
    missing = (parent + "." if parent else "") + str(j)
    spec.inconsistencies.append({"rule": "code_gap", "year": spec.year, "codes": [missing],
                                 "what": f"table {t.index}: {missing} skipped in the numbering under {parent or 'the top level'}"})
    spec.touched.add(("gap", parent))
    return True


def _parents_in(t: LTable) -> dict[str, Row]:
    return {r.code: r for r in t.rows if r.code and r.depth >= 1}


def _leaves_in(t: LTable) -> set[str]:
    """Codes of rows with no child row printed in the table: changing one breaks only its parent."""
    parents = {r.parent for r in t.rows if r.parent}
    return {r.code for r in t.rows if r.code and r.depth >= 1 and r.code not in parents}


def inject_sum_mismatch(spec: DocSpec) -> bool:
    rng = spec.rng
    sipas = spec.struct.how == "mean"
    for t in spec.tables:
        if t.kind != "criteria":
            continue
        parents = _parents_in(t)
        leaves = _leaves_in(t)
        cands = []
        for r in t.rows:
            if (r.depth < 2 or r.parent not in parents or r.code not in leaves or r.code in spec.touched
                    or r.parent in spec.touched):
                continue
            for y in _years_of(t):
                f = "percent" if sipas else "score"
                if not _has(t, f, y) or f not in r.vals.get(y, {}):
                    continue
                cands.append((r, y))
        if not cands:
            continue
        rng.shuffle(cands)
        for r, y in cands:
            cell = r.vals[y]
            f = "percent" if sipas else "score"
            cur = cell[f]
            hi = 10000 if sipas else cell["max"]
            steps = [200, 250, 300, 400, 500] if sipas else [25, 50, 75, 100, 125, 150]
            rng.shuffle(steps)
            for d in steps:
                for sign in rng.sample([1, -1], 2):
                    new = cur + sign * d
                    if 0 <= new <= hi:
                        parent = parents[r.parent]
                        kids = [k for k in t.rows if k.parent == r.parent and k.depth == r.depth]
                        old_sum = sum(k.vals[y][f] for k in kids)
                        cell[f] = new
                        new_agg = (old_sum + sign * d) / (len(kids) if sipas else 1)
                        spec.inconsistencies.append({
                            "rule": "sum_mismatch", "year": y, "codes": [parent.code],
                            "what": f"table {t.index} {'percent' if sipas else 'score'}: children "
                                    f"{'mean' if sipas else 'sum'} {round(new_agg / 100, 4):g} vs parent "
                                    f"{value(parent.vals[y][f]):g} ({r.code} printed {value(new):g}, not {value(cur):g})"})
                        spec.touched.update({r.code, r.parent})
                        return True
    return False


def inject_score_above_max(spec: DocSpec) -> bool:
    rng = spec.rng
    if spec.struct.how == "mean":
        return False
    for t in spec.tables:
        if t.kind != "criteria":
            continue
        leaves = _leaves_in(t)
        cands = []
        for r in t.rows:
            if r.depth < 1 or r.code not in leaves or r.code in spec.touched or r.parent in spec.touched:
                continue
            for y in _years_of(t):
                if _has(t, "score", y) and _has(t, "max", y) and "score" in r.vals.get(y, {}):
                    cands.append((r, y))
        rng.shuffle(cands)
        for r, y in cands:
            cell = r.vals[y]
            excess = rng.choice([25, 50, 100, 150, 200])
            inc = cell["max"] - cell["score"] + excess
            sibs = [s for s in t.rows if s is not r and s.depth == r.depth and s.parent == r.parent
                    and s.code in leaves and s.code not in spec.touched and s.vals.get(y, {}).get("score", -1) >= inc]
            if not sibs:
                continue
            s = rng.choice(sibs)
            cell["score"] += inc
            s.vals[y]["score"] -= inc
            spec.inconsistencies.append({
                "rule": "score_above_max", "year": y, "codes": [r.code],
                "what": f"table {t.index}: {r.code} score {value(cell['score']):g} > max {value(cell['max']):g} "
                        f"({s.code} lowered by {value(inc):g}, so {r.parent or 'the total'} still adds up)"})
            spec.touched.update({r.code, s.code, r.parent or "TOTAL"})
            return True
    return False


def inject_rank_out_of_range(spec: DocSpec) -> bool:
    rng = spec.rng
    for t in spec.tables:
        if t.kind != "criteria":
            continue
        cands = [(r, y) for r in t.rows if r.depth == 1 and r.code not in spec.touched
                 for y in _years_of(t) if _has(t, "rank", y) and "rank" in r.vals.get(y, {})]
        if not cands:
            continue
        r, y = rng.choice(cands)
        cell = r.vals[y]
        cell["rank"] = cell["rank_of"] + rng.randint(1, 3)
        spec.inconsistencies.append({"rule": "rank_out_of_range", "year": y, "codes": [r.code],
                                     "what": f"table {t.index}: {r.code} ranked {cell['rank']}/{cell['rank_of']}"})
        spec.touched.add(r.code)
        return True
    return False


def inject_total_mismatch(spec: DocSpec) -> bool:
    """The printed total of the document's year changed in every table that prints it."""
    y = spec.year
    if "TOTAL" in spec.touched:
        return False
    sipas = spec.struct.how == "mean"
    f = "percent" if sipas else "score"
    rows = [r for t in spec.tables if t.kind == "criteria" for r in t.rows if r.code == "TOTAL" and y in r.vals]
    if not rows:
        return False
    cur = rows[0].vals[y][f]
    d = spec.rng.choice([50, 75, 100, 150, 200, 300]) + spec.rng.randint(0, 9)
    new = cur - d if cur + d > 10000 or spec.rng.random() < 0.5 else cur + d
    for r in rows:
        r.vals[y][f] = new
    for t in spec.tables:
        if t.kind == "yearrows" and y in t.agg_vals:
            t.agg_vals[y]["TOTAL"]["score"] = new
    spec.printed_total[y] = new
    what = "domains mean" if sipas else ("assessed + survey" if spec.struct.kind == "summary" else "domains sum")
    spec.inconsistencies.append({"rule": "total_mismatch", "year": y, "codes": ["TOTAL"],
                                 "what": f"{what} {value(cur):g} but the total prints {value(new):g}"})
    spec.touched.add("TOTAL")
    return True


def inject_conflict(spec: DocSpec) -> bool:
    """Decided here, applied when the narrative is written: a sentence quotes a value the
    table does not print."""
    if spec.conflict is not None:
        return False
    doms = [c for c in spec.narrative_domains if c not in spec.touched]
    if doms and spec.rng.random() < 0.4:
        code = spec.rng.choice(doms)
    else:
        code = "TOTAL"
    d = spec.rng.choice([3, 5, 10, 20, 25, 50, 100, 120])
    spec.conflict = (code, d if spec.rng.random() < 0.5 else -d)
    if code != "TOTAL":
        spec.touched.add(code)  # no other change on that domain
    return True


def _decimals(v: int) -> int:
    """Decimals of a value read back as a float: 65,10 and 65,1 are 65.1 (1), 65,00 is 65.0 (0)."""
    return 0 if v % 100 == 0 else (1 if v % 10 == 0 else 2)


def agree(a: int, b: int) -> bool:
    """SCHEMA.md: values that agree once the finer is rounded (or cut) to the coarser precision
    (7,4 and 7,409) do not conflict. Precision is that of the value read back as a number."""
    if a == b:
        return True
    d = min(_decimals(a), _decimals(b))
    fine, coarse = (a, b) if _decimals(a) > _decimals(b) else (b, a)
    q = 10 ** (2 - d)
    # a half is rounded either way by different software: treat both as agreeing
    return abs(fine - coarse) * 2 <= q or (d >= 2 and fine // q * q == coarse)


def conflicting(v: int, offset: int, hi: int) -> int:
    """A value near v, within 0..hi, that does not agree with v."""
    for step in (offset, -offset, 2 * offset, -2 * offset, 60, -60, 110, -110, 150, -150):
        new = v + step
        if 0 <= new <= hi and not agree(v, new):
            return new
    raise AssertionError(f"no conflicting value near {v}")


INJECTORS = {
    "code_gap": inject_code_gap, "sum_mismatch": inject_sum_mismatch, "score_above_max": inject_score_above_max,
    "rank_out_of_range": inject_rank_out_of_range, "total_mismatch": inject_total_mismatch,
    "conflict": inject_conflict,
}


# ======================================================================================
# narrative
# ======================================================================================

INTRO_PAR = [
    "Chỉ số cải cách hành chính là công cụ quan trọng để theo dõi, đánh giá một cách thực chất, khách quan và công bằng "
    "kết quả thực hiện nhiệm vụ cải cách hành chính hằng năm của các cơ quan, đơn vị, địa phương.",
    "Thực hiện Kế hoạch cải cách hành chính của tỉnh, Ủy ban nhân dân {unit} đã ban hành các văn bản chỉ đạo, giao nhiệm "
    "vụ cụ thể cho từng cơ quan, đơn vị; đồng thời thường xuyên theo dõi, đôn đốc việc triển khai thực hiện.",
    "Trên cơ sở kết quả đánh giá, Ủy ban nhân dân {unit} tổ chức phân tích các chỉ số thành phần, chỉ rõ những mặt đạt "
    "được, những tồn tại, hạn chế và nguyên nhân để đề ra giải pháp khắc phục trong thời gian tới.",
]
INTRO_SIPAS = [
    "Việc đo lường sự hài lòng của người dân, tổ chức nhằm đánh giá khách quan chất lượng cung cấp dịch vụ hành chính công "
    "của cơ quan hành chính nhà nước, qua đó xác định những mặt được và chưa được để có giải pháp nâng cao chất lượng phục vụ.",
    "Ủy ban nhân dân {unit} đã phối hợp chặt chẽ với cơ quan tổ chức điều tra trong việc lập danh sách, chọn mẫu và "
    "hướng dẫn người dân, tổ chức tham gia trả lời phiếu khảo sát.",
]
WEAK_PAR = [
    "Một số tiêu chí, tiêu chí thành phần chưa đạt điểm tối đa do việc triển khai còn chậm, chưa bảo đảm thời gian theo quy định.",
    "Việc số hóa hồ sơ, kết quả giải quyết thủ tục hành chính còn hạn chế; tỷ lệ hồ sơ trực tuyến toàn trình chưa cao.",
    "Công tác tuyên truyền về cải cách hành chính có lúc, có nơi chưa thường xuyên, hình thức tuyên truyền chưa phong phú.",
    "Chất lượng tham mưu của một số cơ quan chuyên môn chưa cao, chưa chủ động đề xuất giải pháp khắc phục các tồn tại đã được chỉ ra.",
    "Cơ sở vật chất, trang thiết bị phục vụ Bộ phận Một cửa còn thiếu, chưa đáp ứng yêu cầu chuyển đổi số.",
    "Sự phối hợp giữa các cơ quan, đơn vị trong thực hiện nhiệm vụ cải cách hành chính có lúc chưa chặt chẽ, thiếu đồng bộ.",
    "Việc cập nhật, công khai thông tin trên Trang thông tin điện tử chưa kịp thời, một số nội dung còn chưa đầy đủ.",
]
ANALYSIS = [
    "Các nhiệm vụ của chỉ số thành phần này đã được triển khai đầy đủ, đúng tiến độ theo kế hoạch đề ra.",
    "Một số tiêu chí thành phần bị trừ điểm do thực hiện chưa đúng thời hạn hoặc chưa bảo đảm đầy đủ nội dung theo yêu cầu.",
    "Cơ quan được giao chủ trì đã chủ động tham mưu, phối hợp với các cơ quan, đơn vị liên quan trong tổ chức thực hiện.",
    "So với yêu cầu, kết quả thực hiện vẫn còn khoảng cách, cần tiếp tục có giải pháp cải thiện trong năm tiếp theo.",
    "Việc theo dõi, đánh giá và lưu trữ hồ sơ, tài liệu kiểm chứng được thực hiện tương đối đầy đủ, bảo đảm căn cứ chấm điểm.",
    "Nguyên nhân chủ yếu là do công tác phối hợp giữa các cơ quan, đơn vị chưa chặt chẽ, việc cập nhật văn bản hướng dẫn chưa kịp thời.",
    "Kết quả này phản ánh sự nỗ lực của các cơ quan, đơn vị trong việc khắc phục những tồn tại, hạn chế đã được chỉ ra ở kỳ đánh giá trước.",
    "Trong thời gian tới cần tập trung chỉ đạo khắc phục dứt điểm những nội dung bị trừ điểm, không để tái diễn.",
]
ANALYSIS_SIPAS = [
    "Người dân, tổ chức đánh giá cao thái độ phục vụ và sự hướng dẫn tận tình của công chức tại nơi tiếp nhận hồ sơ.",
    "Một số ý kiến cho rằng thông tin về chính sách chưa được phổ biến rộng rãi, kịp thời đến người dân ở vùng sâu, vùng xa.",
    "Mức độ hài lòng đối với các yếu tố thành phần tương đối đồng đều, không có sự chênh lệch lớn giữa các yếu tố.",
    "Cần tiếp tục cải thiện cơ sở vật chất và đẩy mạnh cung cấp dịch vụ công trực tuyến để giảm thời gian đi lại của người dân.",
]
WEAK_SIPAS = [
    "Một bộ phận người dân chưa hài lòng với thời gian chờ đợi tại Bộ phận Một cửa, nhất là vào những thời điểm đông người.",
    "Việc tiếp nhận, xử lý phản ánh, kiến nghị của người dân có lúc chưa kịp thời, thông tin phản hồi chưa đầy đủ.",
    "Cơ sở vật chất, trang thiết bị phục vụ người dân tại nơi tiếp nhận hồ sơ còn thiếu, chưa thật sự thuận tiện.",
    "Một số công chức trực tiếp giải quyết công việc chưa hướng dẫn đầy đủ, rõ ràng để người dân hoàn thiện hồ sơ.",
]
SOLUTIONS = [
    "Tăng cường vai trò, trách nhiệm của người đứng đầu trong chỉ đạo, điều hành và tổ chức thực hiện nhiệm vụ được giao.",
    "Tiếp tục rà soát, đơn giản hóa thủ tục hành chính; công khai, minh bạch thông tin về thủ tục hành chính trên Cổng Dịch vụ công.",
    "Đẩy mạnh ứng dụng công nghệ thông tin, chuyển đổi số trong hoạt động của cơ quan hành chính nhà nước.",
    "Nâng cao chất lượng đội ngũ cán bộ, công chức, viên chức, nhất là công chức làm việc tại Bộ phận Một cửa.",
    "Thường xuyên kiểm tra, đôn đốc việc thực hiện nhiệm vụ; kịp thời chấn chỉnh những tồn tại, hạn chế được phát hiện.",
    "Giao Phòng Nội vụ chủ trì, phối hợp với các cơ quan, đơn vị liên quan theo dõi, tổng hợp, báo cáo kết quả thực hiện.",
    "Đổi mới nội dung, hình thức tuyên truyền để người dân, tổ chức biết, tham gia và giám sát việc thực hiện.",
    "Bố trí đủ nguồn lực, kinh phí cho việc hiện đại hóa Bộ phận Một cửa và các hệ thống thông tin dùng chung.",
]
SIGNERS = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Minh Đức", "Hoàng Thị Hoa", "Võ Văn Hùng",
           "Đặng Quốc Khánh", "Bùi Thị Lan", "Đỗ Văn Minh", "Hồ Thị Ngọc"]


def _lower_first(s: str) -> str:
    return s[:1].lower() + s[1:] if s and not s[:2].isupper() else s


def _short_prefix(unit: Unit) -> str:
    return unit.prefix  # "Chỉ số PAR INDEX của huyện đạt ...", "... của thị xã ..."


def build_narrative(spec: DocSpec) -> list:
    """Blocks of the report around its tables; sentence facts go to spec.prose_facts."""
    rng, unit, y, fam = spec.rng, spec.unit, spec.year, spec.family
    st = spec.struct
    sipas = st.how == "mean"
    style = spec.style
    n_of = rank_of(unit)
    words = units_word(unit)
    blocks: list = []
    U = unit.full
    P = province_full(unit.province)  # "tỉnh Lai Châu", "thành phố Đà Nẵng"
    org = "ỦY BAN NHÂN DÂN"
    blocks.append(("org", [org, U.upper()], ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]))
    month, day = rng.randint(2, 9), rng.randint(1, 28)
    blocks.append(("right", f"Số: {rng.randint(12, 480)}/BC-UBND"))
    blocks.append(("right", f"{unit.name}, ngày {day} tháng {month} năm {y + 1}"))
    if sipas:
        title2 = rng.choice([
            f"Kết quả đo lường Chỉ số hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước (SIPAS) năm {y} của {U}, {P}",
            f"Kết quả Chỉ số SIPAS năm {y} của {U}, {P}",
        ])
    else:
        title2 = rng.choice([
            f"Kết quả Chỉ số cải cách hành chính năm {y} của {U}, {P}",
            f"Phân tích Chỉ số cải cách hành chính (PAR INDEX) năm {y} của {U}, {P}",
            f"KẾT QUẢ CHỈ SỐ PAR INDEX NĂM {y} CỦA {U.upper()}, {P.upper()}",
        ])
    blocks.append(("title", "BÁO CÁO"))
    blocks.append(("title", title2))
    n_dec = rng.randint(100, 2400)
    d_day, d_month = rng.randint(1, 28), rng.randint(1, 6)
    if sipas:
        blocks.append(("para", f"Thực hiện Kế hoạch số {n_dec}/KH-UBND ngày {d_day}/{d_month}/{y} của Ủy ban nhân dân "
                               f"{P} về đo lường sự hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan "
                               f"hành chính nhà nước năm {y}; Ủy ban nhân dân {U} báo cáo kết quả như sau."))
        pool = INTRO_SIPAS
    else:
        blocks.append(("para", f"Thực hiện Quyết định số {n_dec}/QĐ-UBND ngày {d_day}/{d_month}/{y + 1} của Ủy ban nhân dân "
                               f"{P} về việc công bố Chỉ số cải cách hành chính năm {y}; Ủy ban nhân dân {U} "
                               f"báo cáo phân tích kết quả như sau."))
        pool = INTRO_PAR
    for p in rng.sample(pool, 0 if spec.compact else rng.randint(1, len(pool))):
        blocks.append(("para", p.format(unit=U), "filler"))
    blocks.append(("heading", f"I. KẾT QUẢ {'CHỈ SỐ SIPAS' if sipas else 'CHỈ SỐ CẢI CÁCH HÀNH CHÍNH'} NĂM {y}"))

    # -- the total, as printed by the tables (after any injected change)
    total = spec.printed_total.get(y)
    conflict = spec.conflict
    if spec.with_prose:
        shown = total
        if conflict and conflict[0] == "TOTAL":
            shown = conflicting(total, conflict[1], 10000)
            t_idx = [t.index for t in spec.tables if t.kind == "criteria"]
            spec.inconsistencies.append({"rule": "conflict", "year": y, "codes": ["TOTAL"],
                                         "what": f"{'percent' if sipas else 'score'} printed as {value(total):g} "
                                                 f"(table {t_idx}) and {value(shown):g} (sentence)"})
        prev = spec.printed_total.get(y - 1)
        if prev is None:
            prev = previous_total(fam, unit, y - 1)
        rank = ranking(fam.years[y], unit.province, unit.level, y)[(unit.name, "TOTAL")]
        fact = {"code": "TOTAL", "year": y, "table": 0, "rank": rank, "rank_of": n_of}
        delta = shown - prev if prev is not None and rng.random() < 0.7 else None
        if delta == 0:
            delta = None
        unit_ref = rng.choice([U, f"{_short_prefix(unit)}"]) if rng.random() < 0.4 else U
        if sipas:
            text = f"Chỉ số SIPAS năm {y} của {unit_ref} đạt {fmt_num(shown, style, True)}%"
            fact.update(name=f"Chỉ số SIPAS năm {y} của {unit_ref}", percent=value(shown))
            unit_tag = "%"
        else:
            lead = rng.choice(["a", "b", "c"])
            if lead == "a":
                text = f"Chỉ số PAR INDEX năm {y} của {unit_ref} đạt {fmt_num(shown, style, True)} điểm"
                fact["name"] = f"Chỉ số PAR INDEX năm {y} của {unit_ref}"
            elif lead == "b":
                text = f"Năm {y}, Chỉ số PAR INDEX của {unit_ref} đạt {fmt_num(shown, style, True)} điểm"
                fact["name"] = f"Chỉ số PAR INDEX của {unit_ref}"
            else:
                text = f"Năm {y}, Chỉ số cải cách hành chính của {unit_ref} đạt {fmt_num(shown, style, True)} điểm"
                fact["name"] = f"Chỉ số cải cách hành chính của {unit_ref}"
            fact["score"] = value(shown)
            unit_tag = " điểm"
        if delta is not None:
            text += f", {'tăng' if delta > 0 else 'giảm'} {fmt_num(abs(delta), style, False)}{unit_tag} so với năm {y - 1}"
            fact["delta"] = value(delta)
        text += f", xếp vị trí thứ {rank}/{n_of} {words}." if rng.random() < 0.6 else f", xếp hạng {rank}/{n_of} {words}."
        blocks.append(("para", text))
        spec.prose_facts.append(fact)

    blocks.append(("tables", 0))  # the summary tables go here
    # -- domain results (PAR INDEX): inline sentences, or one section per domain (seed 003)
    analysis = not spec.compact and spec.fmt != "xlsx" and rng.random() < (0.45 if st.kind == "detail" else 0.75)
    has_part2 = bool((spec.narrative_domains and not sipas) or analysis)
    if has_part2:
        section_style = analysis or (spec.fmt != "xlsx" and rng.random() < 0.5)
        table_rows = {r.cat: r for t in spec.tables if t.kind == "criteria" for r in t.rows if r.depth == 1}
        blocks.append(("heading", "II. KẾT QUẢ CÁC CHỈ SỐ THÀNH PHẦN"))
        shown = [d.code for d in st.domains] if analysis else spec.narrative_domains
        for k, code in enumerate(shown, 1):
            node = st.by_code[code]
            name = _lower_first(node.names[0])
            if section_style:
                blocks.append(("heading", f"{k}. {'Chỉ số thành phần ' if not sipas else ''}{name}"))
            if code in spec.narrative_domains and not sipas:
                row = table_rows.get(code)
                cell = row.vals.get(y, {}) if row else {}
                s = cell.get("score", canonical(st.key, unit, y).score[code])
                m = node.max
                rank = ranking(st.key, unit.province, unit.level, y)[(unit.name, code)]
                if conflict and conflict[0] == code:
                    s_shown = conflicting(s, conflict[1], m)
                    spec.inconsistencies.append({"rule": "conflict", "year": y, "codes": [row.code if row else code],
                                                 "what": f"score printed as {value(s):g} (table) and {value(s_shown):g} (sentence)"})
                    s = s_shown
                pct_text, pct = fmt_pct(s, m, style)
                fact = {"code": code, "year": y, "table": 0, "score": value(s), "max": value(m), "percent": pct,
                        "rank": rank, "rank_of": n_of, "name": f"Chỉ số thành phần {name}"}
                if section_style and rng.random() < 0.6:
                    blocks.append(("para", f"Đạt {fmt_num(s, style, False)}/{fmt_num(m, style, True)} điểm (bằng {pct_text}%), "
                                           f"xếp hạng thứ {rank}/{n_of} {words}."))
                else:
                    blocks.append(("para", f"Năm {y}, Chỉ số thành phần {name} đạt {fmt_num(s, style, False)}/"
                                           f"{fmt_num(m, style, True)} điểm (bằng {pct_text}%), xếp hạng thứ {rank}/{n_of} {words}."))
                spec.prose_facts.append(fact)
            if section_style:
                for p in rng.sample(ANALYSIS_SIPAS if sipas else ANALYSIS, rng.randint(1, 3)):
                    blocks.append(("para", p, "filler"))
    blocks.append(("tables", 1))  # the criteria table goes here
    blocks.append(("heading", f"{'III' if has_part2 else 'II'}. TỒN TẠI, HẠN CHẾ"))
    for p in rng.sample(WEAK_SIPAS if sipas else WEAK_PAR, 1 if spec.compact else rng.randint(1, 3 if spec.landscape else 4)):
        blocks.append(("bullet", "- " + p, "filler"))
    blocks.append(("heading", "NHIỆM VỤ, GIẢI PHÁP"))
    if spec.with_prose and rng.random() < 0.35:
        target = rng.choice([80, 82, 85, 87, 88, 90])
        name = "SIPAS" if sipas else "PAR INDEX"
        blocks.append(("para", f"Phấn đấu Chỉ số {name} năm {y + 1} của {_short_prefix(unit)} đạt từ {target}% trở lên."))
        spec.prose_facts.append({"code": "TOTAL", "year": y + 1, "table": 0, "name": f"Chỉ số {name} năm {y + 1}",
                                 "target": float(target)})
    for p in rng.sample(SOLUTIONS, 1 if spec.compact else rng.randint(2, 4 if spec.landscape else 6)):
        blocks.append(("bullet", "- " + p, "filler"))
    blocks.append(("sign", ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", rng.choice(SIGNERS)]))
    return blocks


# ======================================================================================
# one document
# ======================================================================================

def choose(rng: random.Random, weights: dict[str, float]) -> str:
    keys = sorted(weights)
    return rng.choices(keys, [weights[k] for k in keys])[0]


def make_spec(index: int, fmt: str, rate: float) -> DocSpec:
    rng = rng_for("doc", index)
    fams = [f for f in FAMILIES if fmt != "scanned" or f.key != "laichau"]
    weights = {f.key: f.weight for f in fams}
    fam = FAMILY[choose(rng, weights)]
    years = sorted(fam.years)
    if fam.key == "quangngai":
        years += [2024, 2024]  # the full 2024 tree as often as the domain tables of earlier years
    if fam.key == "quangngai" and fmt == "scanned":
        years = [y for y in years if y != 2024]
    year = rng.choice(years)
    if fam.province:
        unit = rng.choice(units_of(fam.province, fam.level))
    else:
        unit = rng.choice(units_of(rng.choice(sipas_provinces()), "district"))
    st = fam.structure(year)
    style = Style(decimal="." if rng.random() < (0.3 if fmt == "html" else 0.08) else ",",
                  fixed2=rng.random() < 0.7,
                  code_style=rng.choices(["dot", "comma", "trailing"], [0.6, 0.25, 0.15])[0],
                  docx_split=rng.random() < 0.3)
    stem = f"{index:05d}_{hashlib.sha256(f'{_SEED}:{index}'.encode()).hexdigest()[:16]}"
    spec = DocSpec(index, stem, fmt, fam, st, unit, year, style, rng)
    spec.compact = fmt == "scanned"

    # -- tables
    prev_same = fam.years.get(year - 1) == st.key
    if st.kind == "summary":
        n_years = rng.choice([1, 1, 2, 2, 3])
        table_years = [yy for yy in range(year - n_years + 1, year + 1) if fam.years.get(yy, "").startswith("qnsum")]
    elif st.kind in ("domains", "sipas") and prev_same and rng.random() < 0.5:
        table_years = [year - 1, year]
    elif st.kind == "detail" and prev_same and rng.random() < 0.3:
        table_years = [year - 1, year]
    else:
        table_years = [year]
    if fmt == "scanned":
        table_years = table_years[-2:] if st.kind == "summary" else [year]
    summary = None
    if st.kind in ("detail", "summary") and fmt != "scanned" and rng.random() < 0.45:
        summary = yearrow_table(spec)
    main = criteria_table(spec, table_years)
    spec.tables = ([summary] if summary else []) + [main]
    for i, t in enumerate(spec.tables, 1):
        t.index = i
    spec.landscape = fmt != "scanned" and (st.kind == "detail" or len(main.cols) > 6)
    for t in spec.tables:
        for r in t.rows:
            if r.code == "TOTAL":
                for yy, cell in r.vals.items():
                    spec.printed_total[yy] = cell.get("percent", cell.get("score"))
        if t.kind == "yearrows":
            for yy, aggs in t.agg_vals.items():
                spec.printed_total.setdefault(yy, aggs["TOTAL"]["score"])

    # -- narrative choices
    spec.with_prose = rng.random() < 0.88 or fmt == "scanned"
    doms = [d.code for d in st.domains] if st.how == "sum" else []
    k = 0 if fmt == "scanned" else rng.choice([0, 0, 1, 2, 3])
    spec.narrative_domains = sorted(rng.sample(doms, min(k, len(doms))), key=int) if spec.with_prose else []

    # -- injected inconsistencies
    if rng.random() < rate:
        n = 1 if rng.random() < 0.7 else 2
        rules = [r for r in RULES if r != "conflict" or spec.with_prose]
        rng.shuffle(rules)
        done: list[str] = []
        # code_gap renumbers, so it goes first; the others work on the printed codes
        if "code_gap" in rules[:n] and inject_code_gap(spec):
            done.append("code_gap")
            # a renumbered domain's printed code is another domain's catalog code: sentences
            # only name the domains printed under their own code
            moved = {r.cat for t in spec.tables for r in t.rows if r.depth == 1 and r.code != r.cat}
            spec.narrative_domains = [c for c in spec.narrative_domains if c not in moved and str(int(c) - 1) not in moved]
        for rule in rules:
            if len(done) == n:
                break
            if rule != "code_gap" and INJECTORS[rule](spec):
                done.append(rule)
        spec.narrative_domains = [c for c in spec.narrative_domains
                                  if c not in spec.touched or (spec.conflict and spec.conflict[0] == c)]
    # deltas printed in tables: from the printed values, after any change
    for t in spec.tables:
        dcols = [c for c in t.cols if c.field == "delta"]
        if dcols:
            y1, y0 = dcols[0].year, dcols[0].year - 1
            f = "percent" if spec.struct.how == "mean" else "score"
            for r in t.rows:
                a, b = r.vals.get(y1, {}), r.vals.get(y0, {})
                if f in a and f in b:
                    a["delta"] = a[f] - b[f]
    spec.blocks = build_narrative(spec)
    return spec


# ======================================================================================
# truth
# ======================================================================================

def table_facts(spec: DocSpec, t: LTable) -> list[dict]:
    out = []
    fw = spec.struct.framework
    if t.kind == "yearrows":
        for y in t.year_rows:
            for agg in ("ASSESSED", "SURVEY", "TOTAL"):
                vals = t.agg_vals[y][agg]
                f = {"unit": spec.unit.name, "year": y, "framework": fw, "code": agg, "name": t.agg_names[agg],
                     "table": t.index, **{k: None for k in FACT_FIELDS}}
                f["score"] = value(vals["score"])
                if agg == "TOTAL":
                    f["rank"], f["rank_of"] = vals["rank"], vals["rank_of"]
                out.append(f)
        return out
    years = _years_of(t)
    for r in t.rows:
        for y in years:
            cell = r.vals.get(y, {})
            f = {"unit": spec.unit.name, "year": y, "framework": fw, "code": r.code, "name": r.name,
                 "table": t.index, **{k: None for k in FACT_FIELDS}}
            for c in t.cols:
                if c.year != y or c.kind != "value":
                    continue
                if c.field == "frac":
                    for k in ("max", "score"):
                        if k in cell:
                            f[k] = value(cell[k])
                elif c.field == "rank":
                    if "rank" in cell:
                        f["rank"], f["rank_of"] = cell["rank"], cell["rank_of"]
                elif c.field in cell:
                    f[c.field] = value(cell[c.field])
            if any(f[k] is not None for k in FACT_FIELDS):
                out.append(f)
    return out


def truth_of(spec: DocSpec) -> dict:
    facts = []
    for t in spec.tables:
        facts.extend(table_facts(spec, t))
    for p in spec.prose_facts:
        f = {"unit": spec.unit.name, "year": p["year"], "framework": spec.struct.framework, "code": p["code"],
             "name": p.get("name"), "table": 0, **{k: None for k in FACT_FIELDS}}
        for k in FACT_FIELDS:
            if p.get(k) is not None:
                f[k] = p[k]
        facts.append(f)
    return {
        "source": spec.stem + "." + EXTENSIONS[spec.fmt],
        "kind": "mixed" if spec.prose_facts else "criteria_table",
        "level": spec.unit.level,
        "province": spec.unit.province,
        "unit": spec.unit.name,
        "facts": facts,
        "inconsistencies": spec.inconsistencies,
    }


# ======================================================================================
# cells as printed
# ======================================================================================

def cell_texts(spec: DocSpec, t: LTable) -> list[list[str]]:
    """Body rows as printed strings (header excluded)."""
    st = spec.style
    out = []
    if t.kind == "yearrows":
        for y in t.year_rows:
            v = t.agg_vals[y]
            out.append([str(y), fmt_num(v["ASSESSED"]["score"], st), fmt_num(v["SURVEY"]["score"], st),
                        fmt_num(v["TOTAL"]["score"], st), str(v["TOTAL"]["rank"])])
        return out
    note_rng = rng_for("note", spec.index)
    for r in t.rows:
        line = []
        for c in t.cols:
            cell = r.vals.get(c.year, {}) if c.year else {}
            if c.kind == "code":
                line.append(r.name if r.span_label else r.pcode)
            elif c.kind == "name":
                line.append(r.name)
            elif c.kind == "note":
                line.append(note_rng.choice(NOTES) if r.depth == 1 else "")
            elif c.field == "frac":
                line.append(f"{fmt_num(cell['score'], st)}/{fmt_num(cell['max'], st)}" if "score" in cell else "")
            elif c.field == "rank":
                if "rank" in cell:
                    line.append(str(cell["rank"]) if t.rank_plain else f"{cell['rank']}/{cell['rank_of']}")
                else:
                    line.append("")
            elif c.field == "delta":
                d = cell.get("delta")
                line.append("" if d is None else ("+" if d > 0 else "") + fmt_num(d, st, False))
            else:
                v = cell.get(c.field)
                line.append("" if v is None else fmt_num(v, st))
        out.append(line)
    return out


def row_spans(t: LTable) -> list[tuple[int, int, int, int]]:
    """Spans in body coordinates (row index into body)."""
    return [(i, 0, i, 1) for i, r in enumerate(t.rows) if r.span_label]


def header_text_rows(t: LTable) -> list[list[str]]:
    """Header grid with spanned positions blank (the text sits at the span's origin)."""
    grid = [list(r) for r in t.header]
    for r0, c0, r1, c1 in t.spans:
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    grid[r][c] = ""
    return grid


def is_bold_row(r: Row) -> bool:
    return r.depth <= 1


# ======================================================================================
# renderers
# ======================================================================================

_FONTS_READY = False


def _fonts() -> None:
    global _FONTS_READY
    if _FONTS_READY:
        return
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    files = {"DejaVuSans": "DejaVuSans.ttf", "DejaVuSans-Bold": "DejaVuSans-Bold.ttf",
             "DejaVuSans-Oblique": "DejaVuSans-Oblique.ttf", "DejaVuSans-BoldOblique": "DejaVuSans-BoldOblique.ttf"}
    for name, fname in files.items():
        path = FONT_DIR / fname
        if not path.is_file():
            path = FONT_DIR / ("DejaVuSans-Bold.ttf" if "Bold" in name else "DejaVuSans.ttf")
        pdfmetrics.registerFont(TTFont(name, str(path)))
    for b, i, name in ((0, 0, "DejaVuSans"), (1, 0, "DejaVuSans-Bold"), (0, 1, "DejaVuSans-Oblique"),
                       (1, 1, "DejaVuSans-BoldOblique")):
        addMapping("DejaVuSans", b, i, name)
    _FONTS_READY = True


@functools.lru_cache(maxsize=1)
def _styles():
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    base = ParagraphStyle("base", fontName="DejaVuSans", fontSize=10, leading=13)
    return {
        "cell": ParagraphStyle("cell", base, fontSize=8, leading=9.6),
        "cell_b": ParagraphStyle("cell_b", base, fontName="DejaVuSans-Bold", fontSize=8, leading=9.6),
        "head": ParagraphStyle("head", base, fontName="DejaVuSans-Bold", fontSize=8, leading=9.6, alignment=TA_CENTER),
        "org": ParagraphStyle("org", base, fontName="DejaVuSans-Bold", fontSize=9.5, leading=12, alignment=TA_CENTER),
        "right": ParagraphStyle("right", base, fontSize=10, leading=13, alignment=TA_RIGHT),
        "title": ParagraphStyle("title", base, fontName="DejaVuSans-Bold", fontSize=11, leading=15, alignment=TA_CENTER,
                                spaceBefore=4, spaceAfter=4),
        "heading": ParagraphStyle("heading", base, fontName="DejaVuSans-Bold", fontSize=10.5, leading=14,
                                  spaceBefore=6, spaceAfter=4),
        "para": ParagraphStyle("para", base, fontSize=10.5, leading=14, alignment=TA_JUSTIFY, spaceAfter=5),
        "bullet": ParagraphStyle("bullet", base, fontSize=10.5, leading=14, spaceAfter=3),
        "sign": ParagraphStyle("sign", base, fontName="DejaVuSans-Bold", fontSize=10.5, leading=14, alignment=TA_CENTER,
                               leftIndent=260, spaceBefore=6),
    }


def _esc(s: str) -> str:
    return htmlmod.escape(nfc(s), quote=False)


def render_pdf(spec: DocSpec) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table

    _fonts()
    S = _styles()
    pagesize = landscape(A4) if spec.landscape else A4
    margin = 1.2 * cm if spec.landscape else 1.6 * cm
    avail = pagesize[0] - 2 * margin
    story: list = []

    def pdf_table(t: LTable):
        head = header_text_rows(t)
        body = cell_texts(spec, t)
        data = []
        for row in head:
            data.append([Paragraph(_esc(c), S["head"]) if c else "" for c in row])
        for i, row in enumerate(body):
            r = t.rows[i] if t.kind == "criteria" else None
            bold = r is not None and is_bold_row(r)
            cells = []
            for j, c in enumerate(row):
                kind = t.cols[j].kind
                if kind in ("name", "note") or (r is not None and r.span_label and j == 0):
                    cells.append(Paragraph(_esc(c), S["cell_b" if bold and kind != "note" else "cell"]) if c else "")
                else:
                    cells.append(nfc(c))
            data.append(cells)
        total_w = sum(t.widths)
        widths = [w / total_w * min(avail, total_w * cm * 1.25) for w in t.widths]
        nh = len(head)
        style = [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("FONTNAME", (0, nh), (-1, -1), "DejaVuSans"),
            ("FONTSIZE", (0, nh), (-1, -1), 8),
            ("ALIGN", (0, nh), (-1, -1), "CENTER"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
        style += [("SPAN", (c0, r0), (c1, r1)) for r0, c0, r1, c1 in t.spans]
        style += [("SPAN", (c0, r0 + nh), (c1, r1 + nh)) for r0, c0, r1, c1 in row_spans(t)]
        if t.kind == "criteria":
            for i, r in enumerate(t.rows):
                if is_bold_row(r):
                    style.append(("FONTNAME", (0, i + nh), (-1, i + nh), "DejaVuSans-Bold"))
        return Table(data, colWidths=widths, repeatRows=nh, style=style, hAlign="CENTER")

    def add_tables(which: int):
        tabs = [t for t in spec.tables if (t.kind == "yearrows") == (which == 0)]
        for t in tabs:
            story.append(Paragraph(_esc(caption(spec, t)), S["para"]))
            story.append(pdf_table(t))
            story.append(Spacer(1, 0.3 * cm))

    for b in spec.blocks:
        kind = b[0]
        if kind == "org":
            left = [Paragraph(_esc(x), S["org"]) for x in b[1]]
            right = [Paragraph(_esc(x), S["org"]) for x in b[2]]
            story.append(Table([[left, right]], colWidths=[avail * 0.4, avail * 0.6],
                               style=[("VALIGN", (0, 0), (-1, -1), "TOP")]))
            story.append(Spacer(1, 0.2 * cm))
        elif kind == "tables":
            add_tables(b[1])
        elif kind == "sign":
            for x in b[1]:
                story.append(Paragraph(_esc(x), S["sign"]))
        else:
            story.append(Paragraph(_esc(b[1]), S[kind]))
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=pagesize, leftMargin=margin, rightMargin=margin, topMargin=margin,
                            bottomMargin=margin, title=nfc(title_of(spec)), author="", subject="",
                            creator="parindex benchmarks/corpus.py", invariant=1)
    doc.build(story)
    return buf.getvalue()


def title_of(spec: DocSpec) -> str:
    titles = [b[1] for b in spec.blocks if b[0] == "title"]
    return titles[-1] if titles else spec.stem


def caption(spec: DocSpec, t: LTable) -> str:
    y = spec.year
    if t.kind == "yearrows":
        return f"Bảng {t.index}. Tổng hợp kết quả Chỉ số PAR INDEX của {spec.unit.full}"
    if spec.struct.how == "mean":
        return f"Bảng {t.index}. Kết quả các chỉ số thành phần Chỉ số SIPAS năm {y}"
    return f"Bảng {t.index}. Kết quả chi tiết các lĩnh vực, tiêu chí năm {y}"


def render_scanned(spec: DocSpec) -> bytes:
    """The document as a short PDF, each page rendered at 200 dpi and wrapped as an image."""
    import pypdfium2 as pdfium
    from PIL import Image
    from reportlab.pdfgen import canvas
    from reportlab.lib.utils import ImageReader

    src = render_pdf(spec)
    pdf = pdfium.PdfDocument(src)
    out = io.BytesIO()
    c = None
    rng = rng_for("scan", spec.index)
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            w, h = page.get_size()
            img = page.render(scale=SCAN_DPI / 72, grayscale=True).to_pil().convert("L")
            angle = rng.uniform(-0.35, 0.35)
            img = img.rotate(angle, resample=Image.BICUBIC, fillcolor=255)
            img = img.point(lambda v: 236 if v > 236 else v)  # paper tone
            jpg = io.BytesIO()
            img.save(jpg, "JPEG", quality=72, optimize=True)
            if c is None:
                c = canvas.Canvas(out, pagesize=(w, h), invariant=1, pageCompression=1)
            c.setPageSize((w, h))
            c.drawImage(ImageReader(io.BytesIO(jpg.getvalue())), 0, 0, width=w, height=h)
            c.showPage()
            page.close()
    finally:
        pdf.close()
    c.save()
    return out.getvalue()


def _fix_zip(data: bytes, core_xml_fix: bool = True) -> bytes:
    """Fixed timestamps on zip members and in docProps/core.xml: byte-identical output."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            blob = src.read(info.filename)
            if core_xml_fix and info.filename == "docProps/core.xml":
                blob = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rb"\g<1>2025-01-01T00:00:00Z\g<2>", blob)
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_DATE)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            z.writestr(zi, blob)
    return out.getvalue()


def render_docx(spec: DocSpec) -> bytes:
    import datetime as dt

    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = Document()
    sec = doc.sections[0]
    if spec.landscape:
        sec.orientation = WD_ORIENT.LANDSCAPE
        sec.page_width, sec.page_height = Cm(29.7), Cm(21.0)
    else:
        sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(sec, side, Cm(1.8))
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(13)
    cp = doc.core_properties
    fixed = dt.datetime(*FIXED_DATE)
    cp.created = cp.modified = cp.last_printed = fixed
    cp.author = cp.last_modified_by = ""
    cp.title = nfc(title_of(spec))
    cp.revision = 1

    def para(text, bold=False, italic=False, align=None, size=None):
        p = doc.add_paragraph()
        run = p.add_run(nfc(text))
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
        if align == "center":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif align == "right":
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        return p

    def mark_header(row):
        trPr = row._tr.get_or_add_trPr()
        el = OxmlElement("w:tblHeader")
        el.set(qn("w:val"), "true")
        trPr.append(el)

    def word_table(t: LTable, head, body, spans):
        n_cols = len(t.cols)
        table = doc.add_table(rows=len(head) + len(body), cols=n_cols)
        table.style = "Table Grid"
        rows = table.rows
        for i, line in enumerate(head + body):
            cells = rows[i].cells
            header = i < len(head)
            r = t.rows[i - len(head)] if (not header and t.kind == "criteria") else None
            bold = header or (r is not None and is_bold_row(r))
            for j, text in enumerate(line):
                if not text:
                    continue
                p = cells[j].paragraphs[0]
                run = p.add_run(nfc(text))
                run.font.size = Pt(10)
                if bold:
                    run.bold = True
                if header or t.cols[j].kind not in ("name", "note"):
                    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for i in range(len(head)):
            mark_header(rows[i])
        for r0, c0, r1, c1 in spans:
            a = table.cell(r0, c0)
            keep = a.text
            a.merge(table.cell(r1, c1))
            # merge() joins the paragraphs of every merged cell: keep the origin's text only
            for extra in a.paragraphs[1:]:
                extra._p.getparent().remove(extra._p)
            if a.text != keep:
                a.paragraphs[0].text = keep
        total = sum(t.widths)
        width = (27.0 if spec.landscape else 17.4)
        for j, col in enumerate(table.columns):
            for cell in col.cells:
                cell.width = Cm(t.widths[j] / total * width)
        return table

    def add_tables(which: int):
        for t in [t for t in spec.tables if (t.kind == "yearrows") == (which == 0)]:
            para(caption(spec, t), italic=True)
            head, body = header_text_rows(t), cell_texts(spec, t)
            bspans = row_spans(t)
            nh = len(head)
            if spec.style.docx_split and len(body) > 30:
                # one Word table per page, the header repeated (seed 001)
                chunk = 28 if spec.landscape else 36
                parts = [list(range(i, min(i + chunk, len(body)))) for i in range(0, len(body), chunk)]
                for k, idx in enumerate(parts):
                    sub = LTable(t.header, t.spans, t.cols, [t.rows[i] for i in idx], t.widths, t.kind,
                                 t.rank_plain, t.year_rows, t.agg_vals, t.agg_names, t.index)
                    sp = [(nh + r0 - idx[0], c0, nh + r1 - idx[0], c1) for r0, c0, r1, c1 in bspans if r0 in idx]
                    word_table(sub, head, [body[i] for i in idx], list(t.spans) + sp)
                    if k < len(parts) - 1:
                        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            else:
                word_table(t, head, body, list(t.spans) + [(nh + r0, c0, nh + r1, c1) for r0, c0, r1, c1 in bspans])
            doc.add_paragraph()

    for b in spec.blocks:
        kind = b[0]
        if kind == "org":
            for x in b[1]:
                para(x, bold=True, align="center", size=12)
            for x in b[2]:
                para(x, bold=True, align="center", size=12)
        elif kind == "right":
            para(b[1], italic=True, align="right")
        elif kind == "title":
            para(b[1], bold=True, align="center")
        elif kind == "heading":
            para(b[1], bold=True)
        elif kind == "tables":
            add_tables(b[1])
        elif kind == "sign":
            for x in b[1]:
                para(x, bold=True, align="right")
        else:
            para(b[1])
    buf = io.BytesIO()
    doc.save(buf)
    return _fix_zip(buf.getvalue())


def render_html(spec: DocSpec) -> bytes:
    out = ['<!DOCTYPE html>', '<html lang="vi">', '<head>', '<meta charset="utf-8">',
           f'<title>{_esc(title_of(spec))}</title>', '</head>', '<body>', '<nav class="menu"><ul><li>Trang chủ</li>'
           '<li>Tin tức</li><li>Cải cách hành chính</li></ul></nav>', '<main>', '<article class="news-detail">']
    rng = rng_for("html", spec.index)
    y = spec.year

    def table_html(t: LTable) -> str:
        head = t.header
        covered = set()
        lines = ['<table class="tbl" border="1" cellspacing="0" cellpadding="4" style="border-collapse:collapse;width:100%">',
                 "<thead>"]
        span_at = {(r0, c0): (r1 - r0 + 1, c1 - c0 + 1) for r0, c0, r1, c1 in t.spans}
        for r0, c0, r1, c1 in t.spans:
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    if (r, c) != (r0, c0):
                        covered.add((r, c))
        for i, row in enumerate(head):
            cells = []
            for j, text in enumerate(row):
                if (i, j) in covered:
                    continue
                rs, cs = span_at.get((i, j), (1, 1))
                attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
                cells.append(f"<th{attrs}>{_esc(text).replace('/', '/<br>', 1) if len(text) > 30 else _esc(text)}</th>")
            lines.append("<tr>" + "".join(cells) + "</tr>")
        lines.append("</thead>")
        lines.append("<tbody>")
        body = cell_texts(spec, t)
        for i, row in enumerate(body):
            r = t.rows[i] if t.kind == "criteria" else None
            bold = r is not None and is_bold_row(r)
            cells = []
            j = 0
            while j < len(row):
                text = row[j]
                if r is not None and r.span_label and j == 0:
                    cells.append(f'<td colspan="2" style="text-align:left"><strong>{_esc(text)}</strong></td>')
                    j += 2
                    continue
                kind = t.cols[j].kind
                align = "left" if kind in ("name", "note") else "center"
                content = _esc(text) if text else "&nbsp;"
                if bold and text and kind != "note":
                    content = f"<strong>{content}</strong>"
                cells.append(f'<td style="text-align:{align}">{content}</td>')
                j += 1
            lines.append("<tr>" + "".join(cells) + "</tr>")
        lines.append("</tbody>")
        lines.append("</table>")
        return "\n".join(lines)

    titles = [b[1] for b in spec.blocks if b[0] == "title"]
    out.append(f'<h1 class="title">{_esc(titles[-1])}</h1>')
    out.append(f'<p class="date"><time>{rng.randint(1, 28):02d}/{rng.randint(2, 9):02d}/{y + 1} '
               f'{rng.randint(7, 17):02d}:{rng.randint(0, 59):02d}</time></p>')
    for b in spec.blocks:
        kind = b[0]
        if kind in ("org", "right", "sign") or (kind == "title"):
            continue
        if kind == "heading":
            out.append(f"<h3>{_esc(b[1])}</h3>")
        elif kind == "tables":
            for t in [t for t in spec.tables if (t.kind == "yearrows") == (b[1] == 0)]:
                out.append(f"<p><em>{_esc(caption(spec, t))}</em></p>")
                out.append(table_html(t))
        else:
            out.append(f"<p>{_esc(b[1])}</p>")
    out.append("</article>")
    out.append('<aside class="news-extra"><p>Tổng số điểm của bài viết là: 0 trong 0 đánh giá</p>'
               '<h4>Những tin mới hơn</h4><h4>Những tin cũ hơn</h4></aside>')
    out.append("</main>")
    out.append(f'<footer><p>Cổng thông tin điện tử {_esc(spec.unit.full)}, {_esc(province_full(spec.unit.province))}</p></footer>')
    out.append("</body>")
    out.append("</html>")
    return nfc("\n".join(out) + "\n").encode("utf-8")


def render_xlsx(spec: DocSpec) -> bytes:
    import datetime as dt

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "Kết quả"
    fixed = dt.datetime(*FIXED_DATE)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    wb.properties.creator = ""
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    bold = Font(bold=True)
    n_cols = max(len(t.cols) for t in spec.tables)
    number_format = "0.00" if spec.style.fixed2 else "General"
    r = 1

    def text_row(text: str, is_bold: bool = False):
        nonlocal r
        ws.cell(row=r, column=1, value=nfc(text))
        if is_bold:
            ws.cell(row=r, column=1).font = bold
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=n_cols)
        r += 1

    def sheet_table(t: LTable):
        nonlocal r
        head = header_text_rows(t)
        body = cell_texts(spec, t)
        top = r
        for line in head:
            for j, text in enumerate(line):
                c = ws.cell(row=r, column=j + 1, value=nfc(text) if text else None)
                c.font = bold
                c.border = border
                c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            r += 1
        for r0, c0, r1, c1 in t.spans:
            ws.merge_cells(start_row=top + r0, start_column=c0 + 1, end_row=top + r1, end_column=c1 + 1)
        nh = len(head)
        for i, line in enumerate(body):
            row = t.rows[i] if t.kind == "criteria" else None
            for j, text in enumerate(line):
                col = t.cols[j]
                v: object = nfc(text) if text else None
                fmt = None
                if text and col.kind == "value" and col.field not in ("rank", "frac"):
                    # numbers are stored as numbers; the sheet's format prints them
                    cell = (row.vals.get(col.year, {}) if row is not None else {})
                    if row is not None and col.field in cell:
                        v = round(cell[col.field] / 100, 2)
                        fmt = number_format
                    elif t.kind == "yearrows":
                        agg = t.agg_vals[t.year_rows[i]][col.agg]
                        if col.field == "score":
                            v, fmt = round(agg["score"] / 100, 2), number_format
                        else:
                            v = agg["rank"]
                elif col.kind == "year" and text:
                    v = int(text)
                c = ws.cell(row=r, column=j + 1, value=v)
                if fmt:
                    c.number_format = fmt
                c.border = border
                if row is not None and is_bold_row(row):
                    c.font = bold
                if col.kind == "name":
                    c.alignment = Alignment(wrap_text=True, vertical="center")
            if row is not None and row.span_label:
                ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
            r += 1
        for j, w in enumerate(t.widths):
            ws.column_dimensions[get_column_letter(j + 1)].width = max(ws.column_dimensions[get_column_letter(j + 1)].width or 0, w * 5)

    for b in spec.blocks:
        kind = b[0]
        if kind == "org":
            text_row(f"{b[1][0]} {b[1][1]}", True)
        elif kind in ("right",):
            continue
        elif kind == "title":
            text_row(b[1], True)
        elif kind == "tables":
            for t in [t for t in spec.tables if (t.kind == "yearrows") == (b[1] == 0)]:
                r += 1
                text_row(caption(spec, t))
                sheet_table(t)
                r += 1
        elif kind == "sign":
            continue
        elif kind == "para" and len(b) < 3:  # a spreadsheet keeps the figures, not the prose around them
            text_row(b[1])
    buf = io.BytesIO()
    wb.save(buf)
    return _fix_zip(buf.getvalue())


def render_text(spec: DocSpec) -> bytes:
    lines: list[str] = []
    for b in spec.blocks:
        kind = b[0]
        if kind == "org":
            lines += [b[1][0], b[1][1], "", b[2][0], b[2][1], ""]
        elif kind == "title":
            lines.append(f"**{b[1]}**")
        elif kind == "heading":
            lines.append(f"**{b[1]}**")
        elif kind == "tables":
            for t in [t for t in spec.tables if (t.kind == "yearrows") == (b[1] == 0)]:
                lines.append("")
                lines.append(f"*{caption(spec, t)}*")
                lines.append("")
                for row in header_text_rows(t):
                    lines.append("\t".join(row))
                for i, row in enumerate(cell_texts(spec, t)):
                    r = t.rows[i] if t.kind == "criteria" else None
                    if r is not None and r.span_label:
                        row = [row[0], ""] + row[2:]
                    lines.append("\t".join(row))
                lines.append("")
        elif kind == "sign":
            lines += b[1]
        else:
            lines.append(b[1])
        if kind in ("para", "bullet", "heading", "title", "right"):
            lines.append("")
    return nfc("\n".join(lines) + "\n").encode("utf-8")


RENDERERS = {"pdf": render_pdf, "docx": render_docx, "html": render_html, "xlsx": render_xlsx,
             "text": render_text, "scanned": render_scanned}


# ======================================================================================
# driver
# ======================================================================================

def _init(seed: int) -> None:
    global _SEED
    _SEED = seed
    structures()
    all_units()
    province_types()


def make_document(args: tuple) -> dict:
    index, fmt, rate, out_dir = args
    spec = make_spec(index, fmt, rate)
    data = RENDERERS[fmt](spec)
    name = spec.stem + "." + EXTENSIONS[fmt]
    (Path(out_dir) / name).write_bytes(data)
    truth = truth_of(spec)
    pages = None
    if fmt in ("pdf", "scanned"):
        pages = len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", data))
    return {"name": name, "stem": spec.stem, "truth": truth, "format": fmt, "version": spec.struct.version,
            "family": spec.family.key, "unit": spec.unit.name, "province": spec.unit.province, "year": spec.year,
            "tables": len(spec.tables), "rows": sum(len(t.rows) or len(t.year_rows) for t in spec.tables),
            "facts": len(truth["facts"]), "rules": "|".join(i["rule"] for i in truth["inconsistencies"]),
            "bytes": len(data), "pages": pages}


def parse_formats(text: str | None) -> dict[str, float]:
    if not text:
        return dict(FORMAT_WEIGHTS)
    out: dict[str, float] = {}
    for part in text.split(","):
        part = part.strip().lower()
        if not part:
            continue
        name, _, w = part.replace(":", "=").partition("=")
        name = {"txt": "text", "scan": "scanned"}.get(name, name)
        if name not in FORMAT_WEIGHTS:
            raise SystemExit(f"unknown format {name!r} (choose from {', '.join(FORMAT_WEIGHTS)})")
        out[name] = float(w) if w else FORMAT_WEIGHTS[name]
    return out


def format_plan(n: int, weights: dict[str, float], seed: int) -> list[str]:
    """Formats in proportion to the weights (largest remainder), then shuffled by the seed."""
    total = sum(weights.values())
    exact = {k: n * w / total for k, w in weights.items()}
    counts = {k: int(math.floor(v)) for k, v in exact.items()}
    for k in sorted(exact, key=lambda k: (-(exact[k] - counts[k]), k))[: n - sum(counts.values())]:
        counts[k] += 1
    plan = [k for k in sorted(counts) for _ in range(counts[k])]
    random.Random(f"{seed}:formats").shuffle(plan)
    return plan


def generate(out_dir: Path, n: int, seed: int = 1, formats: dict[str, float] | None = None,
             truth_dir: Path | None = None, rate: float = 0.2, workers: int | None = None,
             quiet: bool = True) -> list[dict]:
    out_dir = Path(out_dir)
    truth_dir = Path(truth_dir) if truth_dir else out_dir.resolve().parent / f"{out_dir.resolve().name}-truth"
    if truth_dir.resolve() == out_dir.resolve() or out_dir.resolve() in truth_dir.resolve().parents:
        raise SystemExit("the truth directory must not be inside the document folder (parindex would read the JSONs)")
    out_dir.mkdir(parents=True, exist_ok=True)
    truth_dir.mkdir(parents=True, exist_ok=True)
    plan = format_plan(n, formats or FORMAT_WEIGHTS, seed)
    jobs = [(i, fmt, rate, str(out_dir)) for i, fmt in enumerate(plan)]
    workers = workers or min(len(jobs), os.cpu_count() or 1) or 1
    results: list[dict] = []
    start = time.time()
    if workers <= 1:
        _init(seed)
        it = map(make_document, jobs)
        results = _collect(it, n, quiet, start)
    else:
        ctx = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
        ctx = ctx or multiprocessing.get_context()
        with ctx.Pool(workers, initializer=_init, initargs=(seed,)) as pool:
            results = _collect(pool.imap(make_document, jobs, chunksize=4), n, quiet, start)
    for res in results:
        (truth_dir / f"{res['stem']}.json").write_text(
            json.dumps(res["truth"], ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    with open(truth_dir / "manifest.csv", "w", encoding="utf-8", newline="") as f:
        cols = ["name", "format", "family", "version", "province", "unit", "year", "tables", "rows", "facts",
                "pages", "bytes", "rules"]
        w = csv.DictWriter(f, cols, extrasaction="ignore")
        w.writeheader()
        w.writerows(results)
    return results


def _collect(it, n: int, quiet: bool, start: float) -> list[dict]:
    out = []
    for k, res in enumerate(it, 1):
        out.append(res)
        if not quiet and (k % 50 == 0 or k == n):
            print(f"  {k}/{n} documents ({time.time() - start:.1f}s)", file=sys.stderr)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path, help="folder for the documents")
    ap.add_argument("--n", type=int, default=1000, help="number of documents (default 1000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--formats", help="comma list of pdf, docx, html, xlsx, text, scanned, optionally weighted "
                                      "(pdf=60,docx=40); default pdf 50, docx 20, html 15, xlsx 11, scanned 2, text 2")
    ap.add_argument("--truth", type=Path, help="folder for the truth JSONs (default OUT/../<OUT name>-truth)")
    ap.add_argument("--rate", type=float, default=0.2, help="share of documents with injected inconsistencies (0.2)")
    ap.add_argument("--workers", type=int, default=None, help="processes (default: one per core)")
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args(argv)
    start = time.time()
    results = generate(a.out, a.n, a.seed, parse_formats(a.formats), a.truth, a.rate, a.workers, a.quiet)
    secs = time.time() - start
    truth_dir = a.truth or a.out.resolve().parent / f"{a.out.resolve().name}-truth"
    by_fmt = Counter(r["format"] for r in results)
    rules = Counter(x for r in results for x in r["rules"].split("|") if x)
    pages = [r["pages"] for r in results if r["pages"]]
    print(f"{len(results)} documents in {secs:.1f}s -> {a.out}  (truth: {truth_dir})")
    print("formats: " + ", ".join(f"{k} {v}" for k, v in sorted(by_fmt.items())))
    print(f"facts: {sum(r['facts'] for r in results)}, documents with injected inconsistencies: "
          f"{sum(1 for r in results if r['rules'])} ({', '.join(f'{k} {v}' for k, v in sorted(rules.items()))})")
    if pages:
        print(f"PDF pages per document: mean {sum(pages) / len(pages):.1f}, max {max(pages)}; "
              f"size {sum(r['bytes'] for r in results) / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
