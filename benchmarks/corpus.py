#!/usr/bin/env python3
"""Deterministic synthetic corpus of PAR INDEX / SIPAS reports for bulk-import benchmarks.

    .venv/bin/python benchmarks/corpus.py OUT_DIR --n 1000 --seed 1
        [--shapes report,decision,lines,national,news]   (or ranking, all, weighted: report=30,ranking)
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

Most of a real archive ranks many units at once, so by default 70 % of the documents are
rankings (--shapes; `report` alone makes exactly the documents described above):
decision (a province's decision with an appendix table ranking its departments and
districts, or a district's offices and communes, in blocks "I. Các sở, ban, ngành",
"II. UBND các huyện, ..." with row numbers restarting; PDF continued over pages with the
header repeated, DOCX, XLSX, HTML, text), lines (the same table as text lines in a web
article), national (the 63 provinces, 34 from 2025, or the 17 ministries, as an appendix
or an article with its table) and news (articles quoting a ranking: "đứng đầu là ... với
88,10 điểm", "lần lượt là", "xếp cuối", "tăng 4 bậc", "thứ 3/13 tỉnh ĐBSCL", group
averages, distractor counts and dates). Their truth has a null top-level unit, one unit
per fact as printed without its prefix, `aggregate`, `rank_word`, `grade` and `group`,
and `groups` (each block's printed size and rows). A share of the ranking tables gets
rank_order, duplicate_rank, rank_out_of_range, block_size or grade_band. Every unit and
year prints the same result in every document, and a district a report describes gets the
report's total.

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
        if (
            len(a) >= 10
            and not a.isupper()
            and a not in out
            and "(Kết quả" not in a
            and abs(len(a) - len(name)) < 0.5 * len(name) + 12
        ):
            out.append(a)
    return tuple(out)


@functools.lru_cache(maxsize=1)
def catalog_rows() -> dict[str, list[dict]]:
    by: dict[str, list[dict]] = defaultdict(list)
    with open(CATALOG, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            by[r["version"]].append(r)
    return by


def _tree(
    version: str,
    key: str,
    kind: str,
    framework: str = "PAR_INDEX",
    how: str = "sum",
    survey=lambda code: False,
    fix_max=None,
    drop=(),
    renumber=None,
) -> Structure:
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
    s["laichau"] = _tree(
        "par-district-laichau-2023", "laichau", "detail", survey=lambda c: c in lc_survey or c.startswith("8.10.")
    )
    s["laichau"].split = True
    # Quảng Ngãi district 2024 (seed 000, table 3): the catalog keeps what the report printed,
    # with four parents that do not add up and a skipped 8.4. A generated report must add up,
    # so the printed oddities are repaired here (catalog README §5): 3.4.4 0.5, 4.4 3.0,
    # 5.5 2.0 (for the uncoded 1-point criterion), 7.1.4 dropped, 8.5 printed as 8.4.
    qn_survey = {"2.4", "3.6", "4.4", "5.7", "6.4", "7.4"}
    s["qn2024"] = _tree(
        "par-district-quangngai-673-2023",
        "qn2024",
        "detail",
        survey=lambda c: c in qn_survey,
        fix_max={"3.4.4": 50, "4.4": 300, "5.5": 200},
        drop=("7.1.4",),
        renumber={"8.5": "8.4"},
    )
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
    Family(
        "quangngai",
        "Quảng Ngãi",
        "district",
        "PAR_INDEX",
        {**{y: f"qnsum{y}" for y in QN_SUMMARY_MAX}, 2024: "qn2024"},
        34,
    ),
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

    rows = query(
        "SELECT DISTINCT provinceShort, districtShort, districtType, wardShort, wardType FROM admin_units_legacy"
    )
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

    return {
        r["provinceShort"]: r["province"][: -len(r["provinceShort"])].strip().lower()
        for r in query("SELECT DISTINCT province, provinceShort FROM admin_units_legacy")
    }


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

NAME_HEADERS = [
    "Lĩnh vực/Tiêu chí/Tiêu chí thành phần",
    "LĨNH VỰC / TIÊU CHÍ / TIÊU CHÍ THÀNH PHẦN",
    "Lĩnh vực, tiêu chí, tiêu chí thành phần",
    "Nội dung đánh giá",
    "Lĩnh vực/Tiêu chí",
]
CODE_HEADERS = ["STT", "TT", "Số TT"]
MAX_HEADERS = ["Điểm tối đa", "Điểm chuẩn", "Thang điểm"]
SCORE_HEADERS = ["Điểm đạt được", "Điểm thẩm định", "Kết quả", "Điểm HĐTD thẩm định"]
SELF_HEADERS = ["Điểm tự đánh giá", "Điểm tự chấm"]
RANK_HEADERS = ["Xếp hạng", "Vị thứ"]
TOTAL_LABELS = ["Tổng điểm", "TỔNG ĐIỂM CHỈ SỐ PAR INDEX", "Chỉ số PAR INDEX", "Kết quả tổng hợp chung", "Tổng cộng"]
TOTAL_LABEL_SPLIT = "TỔNG ĐIỂM CHỈ SỐ PAR INDEX (Điểm đánh giá và ĐTXHH)"  # seed 000
ASSESSED_LABELS = ["Điểm đánh giá", "Điểm thẩm định", "Điểm HĐTD"]
SURVEY_LABELS = ["ĐIỂM ĐIỀU TRA XHH", "Điểm điều tra xã hội học", "Điểm ĐTXHH"]
NOTES = [
    "Phòng Nội vụ",
    "Phòng Tư pháp",
    "Văn phòng HĐND và UBND",
    "Phòng Tài chính - Kế hoạch",
    "Phòng Văn hóa và Thông tin",
    "Phòng Nội vụ; Văn phòng HĐND và UBND",
]


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
    names = {
        "ASSESSED": spec.rng.choice(["Điểm HĐTD cấp tỉnh", "Điểm thẩm định", "Điểm đánh giá"]),
        "SURVEY": spec.rng.choice(["Điểm điều tra xã hội học", "Điểm ĐTXHH"]),
        "TOTAL": spec.rng.choice(["PAR INDEX (%)", "Chỉ số PAR INDEX", "Tổng điểm"]),
    }
    header = [
        ["Năm đánh giá", names["ASSESSED"], names["SURVEY"], names["TOTAL"], f"Xếp hạng (/{n_of} {units_word(unit)})"]
    ]
    cols = [
        Col("year"),
        Col("value", "score", agg="ASSESSED"),
        Col("value", "score", agg="SURVEY"),
        Col("value", "score", agg="TOTAL"),
        Col("value", "rank", agg="TOTAL"),
    ]
    agg_vals = {}
    for yy in years:
        sk = fam.years[yy]
        v = canonical(sk, unit, yy)
        agg_vals[yy] = {
            "ASSESSED": {"score": v.assessed},
            "SURVEY": {"score": v.survey},
            "TOTAL": {
                "score": v.total,
                "rank": ranking(sk, unit.province, unit.level, yy)[(unit.name, "TOTAL")],
                "rank_of": n_of,
            },
        }
    return LTable(
        header,
        [],
        cols,
        [],
        [3.0, 3.4, 3.6, 3.0, 4.4],
        kind="yearrows",
        year_rows=years,
        agg_vals=agg_vals,
        agg_names=names,
        rank_plain=True,
    )


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
    for k in kids[j - 1 :]:
        head, _, last = k.code.rpartition(".")
        mapping[k.code] = (head + "." if head else "") + str(int(last) + 1)

    def moved(code: str | None) -> str | None:
        for old, repl in mapping.items():
            if code == old or (code and code.startswith(old + ".")):
                return repl + code[len(old) :]
        return code

    for r in t.rows:
        if r.code is None or r.depth == 0:
            continue
        new = moved(r.code)
        if new != r.code:
            r.code, r.parent = new, moved(r.parent)
            r.pcode = printed_code(new, spec.style)
    missing = (parent + "." if parent else "") + str(j)
    spec.inconsistencies.append(
        {
            "rule": "code_gap",
            "year": spec.year,
            "codes": [missing],
            "what": f"table {t.index}: {missing} skipped in the numbering under {parent or 'the top level'}",
        }
    )
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
            if (
                r.depth < 2
                or r.parent not in parents
                or r.code not in leaves
                or r.code in spec.touched
                or r.parent in spec.touched
            ):
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
                        spec.inconsistencies.append(
                            {
                                "rule": "sum_mismatch",
                                "year": y,
                                "codes": [parent.code],
                                "what": f"table {t.index} {'percent' if sipas else 'score'}: children "
                                f"{'mean' if sipas else 'sum'} {round(new_agg / 100, 4):g} vs parent "
                                f"{value(parent.vals[y][f]):g} ({r.code} printed {value(new):g}, not {value(cur):g})",
                            }
                        )
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
            sibs = [
                s
                for s in t.rows
                if s is not r
                and s.depth == r.depth
                and s.parent == r.parent
                and s.code in leaves
                and s.code not in spec.touched
                and s.vals.get(y, {}).get("score", -1) >= inc
            ]
            if not sibs:
                continue
            s = rng.choice(sibs)
            cell["score"] += inc
            s.vals[y]["score"] -= inc
            spec.inconsistencies.append(
                {
                    "rule": "score_above_max",
                    "year": y,
                    "codes": [r.code],
                    "what": f"table {t.index}: {r.code} score {value(cell['score']):g} > max {value(cell['max']):g} "
                    f"({s.code} lowered by {value(inc):g}, so {r.parent or 'the total'} still adds up)",
                }
            )
            spec.touched.update({r.code, s.code, r.parent or "TOTAL"})
            return True
    return False


def inject_rank_out_of_range(spec: DocSpec) -> bool:
    rng = spec.rng
    for t in spec.tables:
        if t.kind != "criteria":
            continue
        cands = [
            (r, y)
            for r in t.rows
            if r.depth == 1 and r.code not in spec.touched
            for y in _years_of(t)
            if _has(t, "rank", y) and "rank" in r.vals.get(y, {})
        ]
        if not cands:
            continue
        r, y = rng.choice(cands)
        cell = r.vals[y]
        cell["rank"] = cell["rank_of"] + rng.randint(1, 3)
        spec.inconsistencies.append(
            {
                "rule": "rank_out_of_range",
                "year": y,
                "codes": [r.code],
                "what": f"table {t.index}: {r.code} ranked {cell['rank']}/{cell['rank_of']}",
            }
        )
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
    spec.inconsistencies.append(
        {
            "rule": "total_mismatch",
            "year": y,
            "codes": ["TOTAL"],
            "what": f"{what} {value(cur):g} but the total prints {value(new):g}",
        }
    )
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
    "code_gap": inject_code_gap,
    "sum_mismatch": inject_sum_mismatch,
    "score_above_max": inject_score_above_max,
    "rank_out_of_range": inject_rank_out_of_range,
    "total_mismatch": inject_total_mismatch,
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
SIGNERS = [
    "Nguyễn Văn An",
    "Trần Thị Bình",
    "Lê Văn Cường",
    "Phạm Minh Đức",
    "Hoàng Thị Hoa",
    "Võ Văn Hùng",
    "Đặng Quốc Khánh",
    "Bùi Thị Lan",
    "Đỗ Văn Minh",
    "Hồ Thị Ngọc",
]


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
        title2 = rng.choice(
            [
                f"Kết quả đo lường Chỉ số hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước (SIPAS) năm {y} của {U}, {P}",
                f"Kết quả Chỉ số SIPAS năm {y} của {U}, {P}",
            ]
        )
    else:
        title2 = rng.choice(
            [
                f"Kết quả Chỉ số cải cách hành chính năm {y} của {U}, {P}",
                f"Phân tích Chỉ số cải cách hành chính (PAR INDEX) năm {y} của {U}, {P}",
                f"KẾT QUẢ CHỈ SỐ PAR INDEX NĂM {y} CỦA {U.upper()}, {P.upper()}",
            ]
        )
    blocks.append(("title", "BÁO CÁO"))
    blocks.append(("title", title2))
    n_dec = rng.randint(100, 2400)
    d_day, d_month = rng.randint(1, 28), rng.randint(1, 6)
    if sipas:
        blocks.append(
            (
                "para",
                f"Thực hiện Kế hoạch số {n_dec}/KH-UBND ngày {d_day}/{d_month}/{y} của Ủy ban nhân dân "
                f"{P} về đo lường sự hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan "
                f"hành chính nhà nước năm {y}; Ủy ban nhân dân {U} báo cáo kết quả như sau.",
            )
        )
        pool = INTRO_SIPAS
    else:
        blocks.append(
            (
                "para",
                f"Thực hiện Quyết định số {n_dec}/QĐ-UBND ngày {d_day}/{d_month}/{y + 1} của Ủy ban nhân dân "
                f"{P} về việc công bố Chỉ số cải cách hành chính năm {y}; Ủy ban nhân dân {U} "
                f"báo cáo phân tích kết quả như sau.",
            )
        )
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
            spec.inconsistencies.append(
                {
                    "rule": "conflict",
                    "year": y,
                    "codes": ["TOTAL"],
                    "what": f"{'percent' if sipas else 'score'} printed as {value(total):g} "
                    f"(table {t_idx}) and {value(shown):g} (sentence)",
                }
            )
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
            text += (
                f", {'tăng' if delta > 0 else 'giảm'} {fmt_num(abs(delta), style, False)}{unit_tag} so với năm {y - 1}"
            )
            fact["delta"] = value(delta)
        text += (
            f", xếp vị trí thứ {rank}/{n_of} {words}." if rng.random() < 0.6 else f", xếp hạng {rank}/{n_of} {words}."
        )
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
                    spec.inconsistencies.append(
                        {
                            "rule": "conflict",
                            "year": y,
                            "codes": [row.code if row else code],
                            "what": f"score printed as {value(s):g} (table) and {value(s_shown):g} (sentence)",
                        }
                    )
                    s = s_shown
                pct_text, pct = fmt_pct(s, m, style)
                fact = {
                    "code": code,
                    "year": y,
                    "table": 0,
                    "score": value(s),
                    "max": value(m),
                    "percent": pct,
                    "rank": rank,
                    "rank_of": n_of,
                    "name": f"Chỉ số thành phần {name}",
                }
                if section_style and rng.random() < 0.6:
                    blocks.append(
                        (
                            "para",
                            f"Đạt {fmt_num(s, style, False)}/{fmt_num(m, style, True)} điểm (bằng {pct_text}%), "
                            f"xếp hạng thứ {rank}/{n_of} {words}.",
                        )
                    )
                else:
                    blocks.append(
                        (
                            "para",
                            f"Năm {y}, Chỉ số thành phần {name} đạt {fmt_num(s, style, False)}/"
                            f"{fmt_num(m, style, True)} điểm (bằng {pct_text}%), xếp hạng thứ {rank}/{n_of} {words}.",
                        )
                    )
                spec.prose_facts.append(fact)
            if section_style:
                for p in rng.sample(ANALYSIS_SIPAS if sipas else ANALYSIS, rng.randint(1, 3)):
                    blocks.append(("para", p, "filler"))
    blocks.append(("tables", 1))  # the criteria table goes here
    blocks.append(("heading", f"{'III' if has_part2 else 'II'}. TỒN TẠI, HẠN CHẾ"))
    for p in rng.sample(
        WEAK_SIPAS if sipas else WEAK_PAR, 1 if spec.compact else rng.randint(1, 3 if spec.landscape else 4)
    ):
        blocks.append(("bullet", "- " + p, "filler"))
    blocks.append(("heading", "NHIỆM VỤ, GIẢI PHÁP"))
    if spec.with_prose and rng.random() < 0.35:
        target = rng.choice([80, 82, 85, 87, 88, 90])
        name = "SIPAS" if sipas else "PAR INDEX"
        blocks.append(
            ("para", f"Phấn đấu Chỉ số {name} năm {y + 1} của {_short_prefix(unit)} đạt từ {target}% trở lên.")
        )
        spec.prose_facts.append(
            {"code": "TOTAL", "year": y + 1, "table": 0, "name": f"Chỉ số {name} năm {y + 1}", "target": float(target)}
        )
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
    style = Style(
        decimal="." if rng.random() < (0.3 if fmt == "html" else 0.08) else ",",
        fixed2=rng.random() < 0.7,
        code_style=rng.choices(["dot", "comma", "trailing"], [0.6, 0.25, 0.15])[0],
        docx_split=rng.random() < 0.3,
    )
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
            spec.narrative_domains = [
                c for c in spec.narrative_domains if c not in moved and str(int(c) - 1) not in moved
            ]
        for rule in rules:
            if len(done) == n:
                break
            if rule != "code_gap" and INJECTORS[rule](spec):
                done.append(rule)
        spec.narrative_domains = [
            c for c in spec.narrative_domains if c not in spec.touched or (spec.conflict and spec.conflict[0] == c)
        ]
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
                f = {
                    "unit": spec.unit.name,
                    "year": y,
                    "framework": fw,
                    "code": agg,
                    "name": t.agg_names[agg],
                    "table": t.index,
                    **{k: None for k in FACT_FIELDS},
                }
                f["score"] = value(vals["score"])
                if agg == "TOTAL":
                    f["rank"], f["rank_of"] = vals["rank"], vals["rank_of"]
                out.append(f)
        return out
    years = _years_of(t)
    for r in t.rows:
        for y in years:
            cell = r.vals.get(y, {})
            f = {
                "unit": spec.unit.name,
                "year": y,
                "framework": fw,
                "code": r.code,
                "name": r.name,
                "table": t.index,
                **{k: None for k in FACT_FIELDS},
            }
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
        f = {
            "unit": spec.unit.name,
            "year": p["year"],
            "framework": spec.struct.framework,
            "code": p["code"],
            "name": p.get("name"),
            "table": 0,
            **{k: None for k in FACT_FIELDS},
        }
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
            out.append(
                [
                    str(y),
                    fmt_num(v["ASSESSED"]["score"], st),
                    fmt_num(v["SURVEY"]["score"], st),
                    fmt_num(v["TOTAL"]["score"], st),
                    str(v["TOTAL"]["rank"]),
                ]
            )
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

    files = {
        "DejaVuSans": "DejaVuSans.ttf",
        "DejaVuSans-Bold": "DejaVuSans-Bold.ttf",
        "DejaVuSans-Oblique": "DejaVuSans-Oblique.ttf",
        "DejaVuSans-BoldOblique": "DejaVuSans-BoldOblique.ttf",
    }
    for name, fname in files.items():
        path = FONT_DIR / fname
        if not path.is_file():
            path = FONT_DIR / ("DejaVuSans-Bold.ttf" if "Bold" in name else "DejaVuSans.ttf")
        pdfmetrics.registerFont(TTFont(name, str(path)))
    for b, i, name in (
        (0, 0, "DejaVuSans"),
        (1, 0, "DejaVuSans-Bold"),
        (0, 1, "DejaVuSans-Oblique"),
        (1, 1, "DejaVuSans-BoldOblique"),
    ):
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
        "title": ParagraphStyle(
            "title",
            base,
            fontName="DejaVuSans-Bold",
            fontSize=11,
            leading=15,
            alignment=TA_CENTER,
            spaceBefore=4,
            spaceAfter=4,
        ),
        "heading": ParagraphStyle(
            "heading", base, fontName="DejaVuSans-Bold", fontSize=10.5, leading=14, spaceBefore=6, spaceAfter=4
        ),
        "para": ParagraphStyle("para", base, fontSize=10.5, leading=14, alignment=TA_JUSTIFY, spaceAfter=5),
        "bullet": ParagraphStyle("bullet", base, fontSize=10.5, leading=14, spaceAfter=3),
        "sign": ParagraphStyle(
            "sign",
            base,
            fontName="DejaVuSans-Bold",
            fontSize=10.5,
            leading=14,
            alignment=TA_CENTER,
            leftIndent=260,
            spaceBefore=6,
        ),
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
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
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
            story.append(
                Table(
                    [[left, right]], colWidths=[avail * 0.4, avail * 0.6], style=[("VALIGN", (0, 0), (-1, -1), "TOP")]
                )
            )
            story.append(Spacer(1, 0.2 * cm))
        elif kind == "tables":
            add_tables(b[1])
        elif kind == "sign":
            for x in b[1]:
                story.append(Paragraph(_esc(x), S["sign"]))
        else:
            story.append(Paragraph(_esc(b[1]), S[kind]))
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=pagesize,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=nfc(title_of(spec)),
        author="",
        subject="",
        creator="parindex benchmarks/corpus.py",
        invariant=1,
    )
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


# ======================================================================================
# scans: how archives look (issue 21)
# ======================================================================================


@dataclass(frozen=True)
class ScanTreatment:
    """How a page is scanned: resolution, skew, blur, ink over the table, compression."""

    name: str
    dpi: int = 200
    max_skew: float = 0.9  # degrees, either way
    blur: float = 0.6  # Gaussian radius at 200 dpi, scaled with the resolution
    seal: bool = True  # a red round seal on the first page, over the table's foot
    signature: bool = False  # a blue signature stroke across the last rows
    quality: int = 70  # JPEG quality
    photocopy: bool = False  # toner noise, specks, a dark margin band, uneven contrast


# the issue's archive scan, then each treatment pushed to the edge of what archives show
SCAN_TREATMENTS = {
    t.name: t
    for t in (
        ScanTreatment("archive"),
        ScanTreatment("skew", max_skew=1.5),
        ScanTreatment("blur", blur=1.0),
        ScanTreatment("seal_signature", signature=True),
        ScanTreatment("jpeg60", quality=60),
        ScanTreatment("dpi150", dpi=150),
        ScanTreatment("dpi300", dpi=300, quality=80),
        ScanTreatment("photocopy", photocopy=True, quality=65),
    )
}


def _seal(img, rng: random.Random, box: tuple[int, int, int, int], r: int) -> None:
    """A red round seal of radius `r` (two rings, a star, a ring of strokes) stamped
    inside `box`, multiplied onto the page like ink."""
    from PIL import Image, ImageChops, ImageDraw

    x0, y0, x1, y1 = box
    cx, cy = rng.randint(x0 + r, max(x0 + r, x1 - r)), rng.randint(y0 + r, max(y0 + r, y1 - r))
    ink = Image.new("RGB", img.size, (255, 255, 255))
    d = ImageDraw.Draw(ink)
    red = (rng.randint(190, 225), rng.randint(30, 70), rng.randint(40, 80))
    w = max(2, r // 18)
    d.ellipse((cx - r, cy - r, cx + r, cy + r), outline=red, width=w)
    d.ellipse((cx - int(r * 0.7), cy - int(r * 0.7), cx + int(r * 0.7), cy + int(r * 0.7)), outline=red, width=w)
    for k in range(36):  # the lettering round the rim
        a = 2 * math.pi * k / 36
        px, py = cx + 0.85 * r * math.cos(a), cy + 0.85 * r * math.sin(a)
        d.line(
            (px - w * 2 * math.sin(a), py + w * 2 * math.cos(a), px + w * 2 * math.sin(a), py - w * 2 * math.cos(a)),
            fill=red,
            width=w,
        )
    star = [
        (
            cx + (0.3 if k % 2 == 0 else 0.12) * r * math.cos(math.pi / 2 + k * math.pi / 5),
            cy - (0.3 if k % 2 == 0 else 0.12) * r * math.sin(math.pi / 2 + k * math.pi / 5),
        )
        for k in range(10)
    ]
    d.polygon(star, fill=red)
    img.paste(ImageChops.multiply(img, ink))


def _signature(img, rng: random.Random, box: tuple[int, int, int, int]) -> None:
    """A blue pen signature: a few loops and a long stroke across `box`."""
    from PIL import Image, ImageChops, ImageDraw

    x0, y0, x1, y1 = box
    ink = Image.new("RGB", img.size, (255, 255, 255))
    d = ImageDraw.Draw(ink)
    blue = (rng.randint(20, 60), rng.randint(40, 80), rng.randint(150, 200))
    w = max(2, (y1 - y0) // 40)
    points = []
    for k in range(60):
        t = k / 59
        points.append((x0 + t * (x1 - x0), (y0 + y1) / 2 + (y1 - y0) / 3 * math.sin(t * 9 + rng.random())))
    d.line(points, fill=blue, width=w, joint="curve")
    img.paste(ImageChops.multiply(img, ink))


def _photocopy(gray, rng: random.Random):
    """Toner noise, specks and a dark band at one margin, as a photocopier leaves them."""
    import numpy as np
    from PIL import Image

    a = np.asarray(gray).astype(np.int16)
    g = np.random.default_rng(rng.randrange(1 << 30))
    a = a + g.normal(0, 10, a.shape).astype(np.int16)
    specks = g.random(a.shape) < 0.0007
    a[specks] = g.integers(0, 90, int(specks.sum()))
    band = max(4, a.shape[1] // 60)
    a[:, :band] = np.minimum(a[:, :band], 70)
    a = (a * rng.uniform(0.88, 0.96)).clip(0, 255).astype(np.uint8)  # greyer paper, weaker blacks
    return Image.fromarray(a)


def scan_page(gray, treatment: ScanTreatment, rng: random.Random, first: bool):
    """One rendered page (grey PIL image at the treatment's dpi) as the scanner gives it:
    an RGB image before compression."""
    from PIL import Image, ImageFilter

    img = gray.rotate(rng.uniform(-treatment.max_skew, treatment.max_skew), resample=Image.BICUBIC, fillcolor=255)
    img = img.filter(ImageFilter.GaussianBlur(treatment.blur * treatment.dpi / 200))
    img = img.point(lambda v: 236 if v > 236 else v)  # paper tone
    if treatment.photocopy:
        img = _photocopy(img, rng)
    img = img.convert("RGB")
    w, h = img.size
    if treatment.seal and first:
        _seal(img, rng, (int(w * 0.45), int(h * 0.35), int(w * 0.85), int(h * 0.75)), int(0.8 * treatment.dpi))
    if treatment.signature:
        _signature(img, rng, (int(w * 0.35), int(h * 0.55), int(w * 0.9), int(h * 0.7)))
    return img


def scan_pdf(src: bytes, treatment: ScanTreatment | str = "archive", seed: object = 0) -> bytes:
    """A text PDF as an image-only PDF scanned with `treatment` (one JPEG per page)."""
    import pypdfium2 as pdfium
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    treatment = SCAN_TREATMENTS[treatment] if isinstance(treatment, str) else treatment
    rng = rng_for("scan", treatment.name, seed)
    pdf = pdfium.PdfDocument(src)
    out = io.BytesIO()
    c = None
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            w, h = page.get_size()
            gray = page.render(scale=treatment.dpi / 72, grayscale=True).to_pil().convert("L")
            page.close()
            jpg = io.BytesIO()
            scan_page(gray, treatment, rng, first=i == 0).save(jpg, "JPEG", quality=treatment.quality)
            if c is None:
                c = canvas.Canvas(out, pagesize=(w, h), invariant=1, pageCompression=1)
            c.setPageSize((w, h))
            c.drawImage(ImageReader(io.BytesIO(jpg.getvalue())), 0, 0, width=w, height=h)
            c.showPage()
    finally:
        pdf.close()
    c.save()
    return out.getvalue()


def render_scanned(spec, pdf=None) -> bytes:
    """The document as a short image-only PDF, scanned with one of SCAN_TREATMENTS picked
    by its index (`pdf` renders the text PDF first: a report's by default)."""
    names = sorted(SCAN_TREATMENTS)
    treatment = names[rng_for("scan", spec.index).randrange(len(names))]
    return scan_pdf((pdf or render_pdf)(spec), treatment, spec.index)


def _fix_zip(data: bytes, core_xml_fix: bool = True) -> bytes:
    """Fixed timestamps on zip members and in docProps/core.xml: byte-identical output."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            blob = src.read(info.filename)
            if core_xml_fix and info.filename == "docProps/core.xml":
                blob = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rb"\g<1>2025-01-01T00:00:00Z\g<2>", blob
                )
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_DATE)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            z.writestr(zi, blob)
    return out.getvalue()


def _docx_document(title: str, landscape: bool):
    """A Word document with A4 pages, 1.8 cm margins, Times New Roman 13 and fixed
    core properties (byte-identical output)."""
    import datetime as dt

    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    doc = Document()
    sec = doc.sections[0]
    if landscape:
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
    cp.title = nfc(title)
    cp.revision = 1
    return doc


def _docx_para(doc, text, bold=False, italic=False, align=None, size=None):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

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


def _docx_repeat_header(row) -> None:
    """Mark a table row to repeat at the top of every page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    trPr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trPr.append(el)


def _docx_merge(table, r0: int, c0: int, r1: int, c1: int) -> None:
    a = table.cell(r0, c0)
    keep = a.text
    a.merge(table.cell(r1, c1))
    # merge() joins the paragraphs of every merged cell: keep the origin's text only
    for extra in a.paragraphs[1:]:
        extra._p.getparent().remove(extra._p)
    if a.text != keep:
        a.paragraphs[0].text = keep


def render_docx(spec: DocSpec) -> bytes:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Cm, Pt

    doc = _docx_document(title_of(spec), spec.landscape)

    def para(text, bold=False, italic=False, align=None, size=None):
        return _docx_para(doc, text, bold, italic, align, size)

    mark_header = _docx_repeat_header

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
            _docx_merge(table, r0, c0, r1, c1)
        total = sum(t.widths)
        width = 27.0 if spec.landscape else 17.4
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
                    sub = LTable(
                        t.header,
                        t.spans,
                        t.cols,
                        [t.rows[i] for i in idx],
                        t.widths,
                        t.kind,
                        t.rank_plain,
                        t.year_rows,
                        t.agg_vals,
                        t.agg_names,
                        t.index,
                    )
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
    out = [
        "<!DOCTYPE html>",
        '<html lang="vi">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{_esc(title_of(spec))}</title>",
        "</head>",
        "<body>",
        '<nav class="menu"><ul><li>Trang chủ</li><li>Tin tức</li><li>Cải cách hành chính</li></ul></nav>',
        "<main>",
        '<article class="news-detail">',
    ]
    rng = rng_for("html", spec.index)
    y = spec.year

    def table_html(t: LTable) -> str:
        head = t.header
        covered = set()
        lines = [
            '<table class="tbl" border="1" cellspacing="0" cellpadding="4" style="border-collapse:collapse;width:100%">',
            "<thead>",
        ]
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
    out.append(
        f'<p class="date"><time>{rng.randint(1, 28):02d}/{rng.randint(2, 9):02d}/{y + 1} '
        f"{rng.randint(7, 17):02d}:{rng.randint(0, 59):02d}</time></p>"
    )
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
    out.append(
        '<aside class="news-extra"><p>Tổng số điểm của bài viết là: 0 trong 0 đánh giá</p>'
        "<h4>Những tin mới hơn</h4><h4>Những tin cũ hơn</h4></aside>"
    )
    out.append("</main>")
    out.append(
        f"<footer><p>Cổng thông tin điện tử {_esc(spec.unit.full)}, {_esc(province_full(spec.unit.province))}</p></footer>"
    )
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
        for i, line in enumerate(body):
            row = t.rows[i] if t.kind == "criteria" else None
            for j, text in enumerate(line):
                col = t.cols[j]
                v: object = nfc(text) if text else None
                fmt = None
                if text and col.kind == "value" and col.field not in ("rank", "frac"):
                    # numbers are stored as numbers; the sheet's format prints them
                    cell = row.vals.get(col.year, {}) if row is not None else {}
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
            ws.column_dimensions[get_column_letter(j + 1)].width = max(
                ws.column_dimensions[get_column_letter(j + 1)].width or 0, w * 5
            )

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


RENDERERS = {
    "pdf": render_pdf,
    "docx": render_docx,
    "html": render_html,
    "xlsx": render_xlsx,
    "text": render_text,
    "scanned": render_scanned,
}


# ======================================================================================
# documents about many units: who is ranked
# ======================================================================================
# Most of a real archive ranks many units at once (../shared/realdocs): a province's
# decision with an appendix table, the same table as text lines in a web article, the
# national rankings of provinces and ministries, and news articles quoting them. Their
# truth has a null top-level unit and one unit per fact, as printed without its prefix.

SHAPE_WEIGHTS = {"report": 30, "decision": 28, "lines": 7, "national": 10, "news": 25}
SHAPE_GROUPS = {"ranking": ("decision", "lines", "national", "news"), "all": tuple(SHAPE_WEIGHTS)}
# the formats each shape can be made in, with its default weights (0: only when asked for)
SHAPE_FORMATS = {
    "report": FORMAT_WEIGHTS,
    "decision": {"pdf": 55, "docx": 20, "xlsx": 12, "html": 8, "scanned": 3, "text": 2},
    "lines": {"html": 75, "text": 25, "docx": 0, "pdf": 0},
    "national": {"pdf": 30, "html": 35, "xlsx": 15, "docx": 10, "text": 10},
    "news": {"html": 80, "text": 20, "docx": 0, "pdf": 0},
}
RANKING_RULES = ("rank_order", "duplicate_rank", "rank_out_of_range", "block_size", "grade_band")
RANK_YEARS = range(2019, 2025)  # provinces' own rankings: before the 2025 reform
ROMAN = ("I", "II", "III", "IV")


@dataclass(frozen=True)
class Member:
    """Someone a ranking lists: a department, a central agency, a district office, a
    district, a commune, a province or a ministry."""

    name: str  # without prefix ("Gò Dầu", "Sở Tư pháp")
    kind: str  # department | central | office | district | commune | province | ministry
    prefix: str = ""  # districts, communes, provinces: huyện, thị xã, thành phố, quận, xã, phường, thị trấn, tỉnh
    abbrevs: tuple[str, ...] = ()  # how news and appendices shorten a department's name


# a province's departments in the order decisions list them, with their abbreviations;
# "{p}" is "tỉnh" or "thành phố"
CORE_DEPARTMENTS = (
    ("Văn phòng UBND {p}", ("VP UBND {p}",)),
    ("Thanh tra {p}", ()),
    ("Sở Nội vụ", ()),
    ("Sở Tư pháp", ()),
    ("Sở Kế hoạch và Đầu tư", ("Sở KH&ĐT", "Sở KHĐT")),
    ("Sở Tài chính", ()),
    ("Sở Công Thương", ()),
    ("Sở Nông nghiệp và Phát triển nông thôn", ("Sở NN&PTNT", "Sở NN-PTNT")),
    ("Sở Giao thông vận tải", ("Sở GTVT",)),
    ("Sở Xây dựng", ()),
    ("Sở Tài nguyên và Môi trường", ("Sở TN&MT", "Sở TNMT")),
    ("Sở Thông tin và Truyền thông", ("Sở TT&TT", "Sở TT-TT")),
    ("Sở Lao động - Thương binh và Xã hội", ("Sở LĐ-TB&XH", "Sở LĐTBXH")),
    ("Sở Văn hóa, Thể thao và Du lịch", ("Sở VH-TT&DL", "Sở VHTTDL")),
    ("Sở Khoa học và Công nghệ", ("Sở KH&CN",)),
    ("Sở Giáo dục và Đào tạo", ("Sở GD&ĐT",)),
    ("Sở Y tế", ()),
)
OPTIONAL_DEPARTMENTS = (
    "Văn phòng Đoàn ĐBQH và HĐND {p}",
    "Sở Ngoại vụ",
    "Ban Dân tộc",
    "Sở Du lịch",
    "Ban Quản lý Khu kinh tế {p}",
    "Ban Quản lý các khu công nghiệp {p}",
)
CENTRAL_AGENCIES = (
    "Cục Thuế {p}",
    "Kho bạc Nhà nước {p}",
    "Bảo hiểm xã hội {p}",
    "Công an {p}",
    "Cục Thống kê {p}",
    "Cục Quản lý thị trường {p}",
    "Cục Hải quan {p}",
)
# a district's offices; "{d}" is "huyện", "thị xã" or "thành phố"
DISTRICT_OFFICES = (
    "Văn phòng HĐND và UBND {d}",
    "Phòng Nội vụ",
    "Phòng Tư pháp",
    "Phòng Tài chính - Kế hoạch",
    "Phòng Kinh tế và Hạ tầng",
    "Phòng Nông nghiệp và Phát triển nông thôn",
    "Phòng Tài nguyên và Môi trường",
    "Phòng Lao động - Thương binh và Xã hội",
    "Phòng Văn hóa và Thông tin",
    "Phòng Giáo dục và Đào tạo",
    "Phòng Y tế",
    "Thanh tra {d}",
    "Phòng Dân tộc",
)
# the 17 ministries and ministry-level agencies the national PAR INDEX ranks (domain.md §1.1),
# and the two it lists without a rank
MINISTRIES = (
    ("Bộ Công Thương", ()),
    ("Bộ Giáo dục và Đào tạo", ("Bộ GD&ĐT",)),
    ("Bộ Giao thông vận tải", ("Bộ GTVT",)),
    ("Bộ Kế hoạch và Đầu tư", ("Bộ KH&ĐT",)),
    ("Bộ Khoa học và Công nghệ", ("Bộ KH&CN",)),
    ("Bộ Lao động - Thương binh và Xã hội", ("Bộ LĐ-TB&XH",)),
    ("Bộ Ngoại giao", ()),
    ("Bộ Nội vụ", ()),
    ("Bộ Nông nghiệp và Phát triển nông thôn", ("Bộ NN&PTNT",)),
    ("Bộ Tài chính", ()),
    ("Bộ Tài nguyên và Môi trường", ("Bộ TN&MT",)),
    ("Bộ Thông tin và Truyền thông", ("Bộ TT&TT",)),
    ("Bộ Tư pháp", ()),
    ("Bộ Văn hóa, Thể thao và Du lịch", ("Bộ VH-TT&DL",)),
    ("Bộ Xây dựng", ()),
    ("Bộ Y tế", ()),
    ("Ngân hàng Nhà nước Việt Nam", ("Ngân hàng Nhà nước", "NHNN")),
)
UNRANKED_MINISTRIES = ("Thanh tra Chính phủ", "Ủy ban Dân tộc")
# the six socio-economic regions (legacy provinces), for "thứ 3/13 tỉnh ĐBSCL"
REGIONS = {
    "Trung du và miền núi phía Bắc": (
        "Hà Giang",
        "Cao Bằng",
        "Bắc Kạn",
        "Tuyên Quang",
        "Lào Cai",
        "Điện Biên",
        "Lai Châu",
        "Sơn La",
        "Yên Bái",
        "Hòa Bình",
        "Thái Nguyên",
        "Lạng Sơn",
        "Bắc Giang",
        "Phú Thọ",
    ),
    "Đồng bằng sông Hồng": (
        "Hà Nội",
        "Vĩnh Phúc",
        "Bắc Ninh",
        "Quảng Ninh",
        "Hải Dương",
        "Hải Phòng",
        "Hưng Yên",
        "Thái Bình",
        "Hà Nam",
        "Nam Định",
        "Ninh Bình",
    ),
    "Bắc Trung Bộ và duyên hải miền Trung": (
        "Thanh Hóa",
        "Nghệ An",
        "Hà Tĩnh",
        "Quảng Bình",
        "Quảng Trị",
        "Huế",
        "Đà Nẵng",
        "Quảng Nam",
        "Quảng Ngãi",
        "Bình Định",
        "Phú Yên",
        "Khánh Hòa",
        "Ninh Thuận",
        "Bình Thuận",
    ),
    "Tây Nguyên": ("Kon Tum", "Gia Lai", "Đắk Lắk", "Đắk Nông", "Lâm Đồng"),
    "Đông Nam Bộ": ("Bình Phước", "Tây Ninh", "Bình Dương", "Đồng Nai", "Bà Rịa - Vũng Tàu", "Hồ Chí Minh"),
    "Đồng bằng sông Cửu Long": (
        "Long An",
        "Tiền Giang",
        "Bến Tre",
        "Trà Vinh",
        "Vĩnh Long",
        "Đồng Tháp",
        "An Giang",
        "Kiên Giang",
        "Cần Thơ",
        "Hậu Giang",
        "Sóc Trăng",
        "Bạc Liêu",
        "Cà Mau",
    ),
}
REGION_SHORT = {
    "Đồng bằng sông Cửu Long": "ĐBSCL",
    "Trung du và miền núi phía Bắc": "Trung du và miền núi phía Bắc",
    "Đồng bằng sông Hồng": "Đồng bằng sông Hồng",
    "Bắc Trung Bộ và duyên hải miền Trung": "Bắc Trung Bộ và duyên hải miền Trung",
    "Tây Nguyên": "Tây Nguyên",
    "Đông Nam Bộ": "Đông Nam Bộ",
}


def _p_word(province: str) -> str:
    return "thành phố" if province_types().get(province) == "thành phố" else "tỉnh"


@functools.lru_cache(maxsize=None)
def departments_of(province: str) -> tuple[Member, ...]:
    """The 17 standard departments and, for some provinces, a few of the optional ones."""
    p = _p_word(province)
    rng = rng_for("departments", province)
    out = [
        Member(name.format(p=p), "department", "", tuple(a.format(p=p) for a in abbrevs))
        for name, abbrevs in CORE_DEPARTMENTS
    ]
    extra = [Member(name.format(p=p), "department") for name in OPTIONAL_DEPARTMENTS if rng.random() < 0.35]
    return tuple(out[:2] + extra[:1] + out[2:] + extra[1:])


@functools.lru_cache(maxsize=None)
def central_agencies_of(province: str) -> tuple[Member, ...]:
    rng = rng_for("central", province)
    names = [n.format(p=_p_word(province)) for n in CENTRAL_AGENCIES]
    return tuple(Member(n, "central") for n in names[:4] + [n for n in names[4:] if rng.random() < 0.6])


@functools.lru_cache(maxsize=None)
def offices_of(province: str, district: str) -> tuple[Member, ...]:
    d = next(u.prefix for u in units_of(province, "district") if u.name == district)
    rng = rng_for("offices", province, district)
    names = [n.format(d=d) for n in DISTRICT_OFFICES[:-1]] + [DISTRICT_OFFICES[-1]] * (rng.random() < 0.4)
    return tuple(Member(n, "office") for n in names)


@functools.lru_cache(maxsize=1)
def _legacy_wards() -> dict[tuple[str, str], list[tuple[str, str]]]:
    from vietnamadminunits.database import query

    out: dict[tuple[str, str], set] = defaultdict(set)
    for r in query("SELECT DISTINCT provinceShort, districtShort, wardShort, wardType FROM admin_units_legacy"):
        if (
            r["wardShort"]
            and r["wardType"]
            and "(" not in r["wardShort"]
            and not any(ch.isdigit() for ch in r["wardShort"])
        ):
            out[(r["provinceShort"], r["districtShort"])].add((r["wardShort"], r["wardType"].lower()))
    return {k: sorted(v) for k, v in out.items()}


@functools.lru_cache(maxsize=None)
def communes_of(province: str, district: str) -> tuple[Member, ...]:
    """The communes of a district, each name once (a district's list never repeats a name)."""
    wards = _legacy_wards().get((province, district), [])
    counts = Counter(name for name, _ in wards)
    return tuple(Member(name, "commune", kind) for name, kind in wards if counts[name] == 1)


@functools.lru_cache(maxsize=1)
def complete_provinces() -> tuple[str, ...]:
    """Provinces whose every district has a printable name (no "Quận 3", no "Kỳ Anh (Huyện)"),
    so a province's ranking lists them all."""
    from vietnamadminunits.database import query

    every = defaultdict(set)
    for r in query("SELECT DISTINCT provinceShort, districtShort FROM admin_units_legacy"):
        every[r["provinceShort"]].add(r["districtShort"])
    return tuple(sorted(p for p, ds in every.items() if len(units_of(p, "district")) == len(ds) and len(ds) >= 5))


@functools.lru_cache(maxsize=None)
def provinces_in(year: int) -> tuple[Member, ...]:
    """The 63 provinces in their official order (34 from 2025), as members."""
    from vietnamadminunits.database import query

    table = "admin_units" if year >= 2025 else "admin_units_legacy"
    rows = query(f"SELECT DISTINCT province, provinceShort, provinceCode FROM {table} ORDER BY provinceCode")
    return tuple(
        Member(r["provinceShort"], "province", r["province"][: -len(r["provinceShort"])].strip().lower()) for r in rows
    )


def ministries() -> tuple[Member, ...]:
    return tuple(Member(n, "ministry", "", a) for n, a in MINISTRIES)


def region_of(province: str) -> str | None:
    return next((r for r, ps in REGIONS.items() if province in ps), None)


# ======================================================================================
# documents about many units: how a province scores, and every unit's values
# ======================================================================================


@dataclass(frozen=True)
class BlockDef:
    """One ranked group: a province's departments or districts, a district's offices or
    communes, the provinces or the ministries of the country."""

    kind: str  # department | central | office | district | commune | province | ministry
    province: str | None = None
    district: str | None = None
    framework: str = "PAR_INDEX"

    def members(self, year: int) -> tuple[Member, ...]:
        if self.kind == "department":
            return departments_of(self.province)
        if self.kind == "central":
            return central_agencies_of(self.province)
        if self.kind == "office":
            return offices_of(self.province, self.district)
        if self.kind == "district":
            return tuple(Member(u.name, "district", u.prefix) for u in units_of(self.province, "district"))
        if self.kind == "commune":
            return communes_of(self.province, self.district)
        if self.kind == "province":
            return provinces_in(year)
        return ministries()


@dataclass(frozen=True)
class Scheme:
    """How the units of a ranking are scored in a year; every document about that ranking
    prints the same scheme, so the same unit and year print the same values everywhere."""

    framework: str
    split: tuple[int, int] | None  # assessed / survey maxima (hundredths); None: not split
    domains: tuple[tuple[str, int], ...]  # (code, max); empty: no breakdown by domain
    domain_part: str  # what the domains add up to: total | assessed
    per_row_max: bool  # each unit has its own maximum and is ranked by the share of it
    grades: tuple[tuple[int, str], ...]  # (lowest percent in hundredths, grade), best first
    family: Family | None = None  # the report family whose values the districts take


DEFAULT_DOMAINS = (("1", 1000), ("2", 900), ("3", 1300), ("4", 900), ("5", 1100), ("6", 1000), ("7", 1300), ("8", 2500))
GRADE_SCALES = (
    ((9000, "Xuất sắc"), (8000, "Tốt"), (7000, "Khá"), (5000, "Trung bình"), (0, "Yếu")),
    ((8000, "Tốt"), (7000, "Khá"), (5000, "Trung bình"), (0, "Kém")),
    ((9000, "Xuất sắc"), (8000, "Tốt"), (6500, "Khá"), (5000, "Trung bình"), (0, "Kém")),
)
DDCI_GRADES = ((8000, "Rất tốt"), (7000, "Tốt"), (6000, "Khá"), (0, "Trung bình"))
# national splits: provinces 65/35 under 1150/QĐ-BNV, 68/32 under 876; ministries 63.5/36.5 then 68.5/31.5
NATIONAL_SPLIT = {
    "province": {2019: (6500, 3500), 2020: (6500, 3500), 2021: (6500, 3500)},
    "ministry": {2019: (6350, 3650), 2020: (6350, 3650), 2021: (6350, 3650)},
}
NATIONAL_SPLIT_LATER = {"province": (6800, 3200), "ministry": (6850, 3150)}


def report_family(province: str, level: str, year: int) -> Family | None:
    """The report family whose documents print this province's districts (communes) that
    year: a ranking of them must print the same totals."""
    return next(
        (
            f
            for f in FAMILIES
            if f.province == province and f.level == level and f.framework == "PAR_INDEX" and year in f.years
        ),
        None,
    )


@functools.lru_cache(maxsize=None)
def scheme_of(bd: BlockDef, year: int) -> Scheme:
    if bd.kind in ("province", "ministry"):
        if bd.framework == "SIPAS":
            return Scheme("SIPAS", None, (), "total", False, ())
        split = NATIONAL_SPLIT[bd.kind].get(year, NATIONAL_SPLIT_LATER[bd.kind])
        return Scheme("PAR_INDEX", split, (), "total", False, ())
    if bd.framework == "DDCI":
        return Scheme("DDCI", None, (), "total", False, DDCI_GRADES)
    rng = rng_for("scheme", bd.province, bd.district, year)
    grades = rng.choice(GRADE_SCALES)
    fam = report_family(bd.province, "district", year) if bd.district is None else None
    if fam:
        st = fam.structure(year)
        domains = tuple((d.code, d.max) for d in st.domains)
        if st.kind == "summary":  # domains are the appraised part; the survey is printed beside them
            return Scheme("PAR_INDEX", (st.assessed_max, st.survey_max), domains, "assessed", False, grades, fam)
        return Scheme("PAR_INDEX", None, domains, "total", False, grades, fam)
    per_row = rng.random() < 0.2
    split = (
        None if per_row or rng.random() < 0.2 else rng.choice([(6500, 3500), (7000, 3000), (6800, 3200), (6000, 4000)])
    )
    return Scheme("PAR_INDEX", split, () if per_row else DEFAULT_DOMAINS, "total", per_row, grades)


@dataclass(frozen=True)
class Standing:
    """One unit's result in one year."""

    member: Member
    total: int  # hundredths: the score, of 100 or of the unit's own maximum
    max: int  # the unit's maximum (hundredths)
    assessed: int | None = None
    survey: int | None = None
    domains: tuple[tuple[str, int], ...] = ()
    rank: int = 0

    @property
    def percent(self) -> int:
        """Hundredths of a percent: the value a ranking orders by."""
        return (self.total * 20000 + self.max) // (2 * self.max)


QUALITY = {
    "department": (0.72, 0.96),
    "central": (0.78, 0.97),
    "office": (0.70, 0.95),
    "district": (0.66, 0.93),
    "commune": (0.60, 0.92),
    "province": (0.80, 0.925),
    "ministry": (0.78, 0.915),
}


def _member_quality(bd: BlockDef, m: Member, year: int) -> float:
    lo, hi = QUALITY[m.kind]
    if bd.framework == "DDCI":
        lo, hi = lo - 0.12, hi - 0.08
    base = rng_for("mq", bd.framework, bd.province, bd.district, m.kind, m.name).uniform(lo, hi)
    r = rng_for("mqy", bd.framework, bd.province, bd.district, m.kind, m.name, year)
    q = base + r.gauss(0, 0.022)
    if m.kind not in ("province", "ministry") and r.random() < 0.04:
        q -= r.uniform(0.15, 0.35)  # a bad year ("Sở Y tế 49,07%")
    return min(0.99, max(0.42, q))


def _own_max(bd: BlockDef, m: Member, year: int) -> int:
    """A department's own maximum where some criteria do not apply to it (71,5 of 100)."""
    if m.kind in ("district", "commune"):
        return 10000
    return rng_for("own max", bd.province, m.name, year).choice([10000] * 5 + [9650, 9150, 8500, 7150])


def _family_values(bd: BlockDef, m: Member, year: int) -> tuple[int, Values | None] | None:
    """The total a district report prints for this unit and year (and its values), or the
    previous-year total its sentences compare with: a ranking prints the same."""
    if bd.kind != "district" or bd.framework != "PAR_INDEX":
        return None
    unit = Unit(m.name, m.prefix, bd.province, "district")
    fam = report_family(bd.province, "district", year)
    if fam:
        v = canonical(fam.years[year], unit, year)
        return v.total, v
    fam = report_family(bd.province, "district", year + 1)
    return (previous_total(fam, unit, year), None) if fam else None


def spread(target: int, maxima: list[int], rng: random.Random) -> list[int]:
    """Parts of `target`, each within its maximum, in proportion to the maxima with noise."""
    weights = [mx * rng.uniform(0.86, 1.14) for mx in maxima]
    parts = [min(mx, int(target * w / sum(weights))) for mx, w in zip(maxima, weights)]
    left = target - sum(parts)
    order = sorted(range(len(maxima)), key=lambda i: -weights[i])
    while left > 0:  # the rounding remainder goes where there is room
        for i in order:
            add = min(left, maxima[i] - parts[i])
            parts[i] += add
            left -= add
    return parts


def _parts(scheme: Scheme, total: int, rng: random.Random, values: Values | None = None) -> dict:
    """Assessed / survey split and domain scores of a total."""
    out: dict = {}
    if values is not None:  # a report family's values
        if scheme.split:
            out["assessed"], out["survey"] = values.assessed, values.survey
        out["domains"] = tuple((c, values.score[c]) for c, _ in scheme.domains)
        return out
    if scheme.split:
        a_max, s_max = scheme.split
        a = int(round(total * a_max / (a_max + s_max) + rng.gauss(0, 110)))
        a = max(total - s_max, 0, min(a_max, total, a))
        out["assessed"], out["survey"] = a, total - a
    if scheme.domains:
        target = out.get("assessed", total) if scheme.domain_part == "assessed" else total
        out["domains"] = tuple(
            zip([c for c, _ in scheme.domains], spread(target, [mx for _, mx in scheme.domains], rng))
        )
    return out


def competition_ranks(values: list[int]) -> list[int]:
    """1 + how many are strictly better: equal values share a rank (1, 2, 2, 4)."""
    return [1 + sum(1 for w in values if w > v) for v in values]


@functools.lru_cache(maxsize=None)
def standings(bd: BlockDef, year: int) -> tuple[Standing, ...]:
    """Every member's result, in the members' order, ranked within the group."""
    scheme = scheme_of(bd, year)
    members = bd.members(year)
    raw = []
    for m in members:
        fam = _family_values(bd, m, year)
        if fam:
            raw.append([m, fam[0], 10000, fam[1]])
            continue
        mx = _own_max(bd, m, year) if scheme.per_row_max else 10000
        raw.append([m, int(round(mx * _member_quality(bd, m, year))), mx, None])
    tie = rng_for("tie", bd, year)
    if not any(r[3] for r in raw) and tie.random() < 0.3 and len(raw) > 3:
        # two neighbours in the ranking with equal results: they share a rank
        order = sorted(range(len(raw)), key=lambda i: -raw[i][1] * 10000 // raw[i][2])
        k = tie.randrange(len(order) - 1)
        a, b = raw[order[k]], raw[order[k + 1]]
        b[1], b[2] = a[1], a[2]
    out = []
    for m, total, mx, values in raw:
        parts = _parts(scheme, total, rng_for("parts", bd, m.name, year), values)
        out.append(Standing(m, total, mx, parts.get("assessed"), parts.get("survey"), parts.get("domains", ())))
    fam = report_family(bd.province, "district", year) if bd.kind == "district" else None
    if fam and bd.framework == "PAR_INDEX":  # the reports' ranks: ties broken by name
        ranks = ranking(fam.years[year], bd.province, "district", year)
        return tuple(Standing(**{**s.__dict__, "rank": ranks[(s.member.name, "TOTAL")]}) for s in out)
    ranks = competition_ranks([s.percent for s in out])
    return tuple(Standing(**{**s.__dict__, "rank": r}) for s, r in zip(out, ranks))


def by_rank(sts) -> list[Standing]:
    return sorted(sts, key=lambda s: s.rank)


def grade_of(scheme: Scheme, percent: int) -> str | None:
    return next((g for lo, g in scheme.grades if percent >= lo), None)


def mean_of(values: list[int]) -> int:
    """The mean of hundredths, rounded half up to hundredths."""
    return (2 * sum(values) + len(values)) // (2 * len(values))


# ======================================================================================
# documents about many units: ranking tables
# ======================================================================================


@dataclass
class RCol:
    role: str  # stt | name | value | rank | grade | note
    header: str
    code: str | None = None  # value columns: TOTAL | ASSESSED | SURVEY | a domain code
    field: str | None = None  # value columns: score | percent | max | delta | rank_delta
    max: int | None = None  # a maximum printed in the header ("Điểm thẩm định (65)"), hundredths
    top: str | None = None  # a header cell spanning this column and its neighbours with the same top
    pct_sign: bool = False  # cells printed "96,85%"
    width: float = 2.0


@dataclass
class RRow:
    stt: str
    printed: str  # the unit as printed ("UBND huyện Gò Dầu")
    unit: str  # the unit as the truth names it ("Gò Dầu")
    cells: dict[tuple[str, str], int | None]  # (code, field) -> hundredths (rank: the rank)
    rank: int | None
    grade: str | None = None
    note: str = ""
    aggregate: bool = False  # a group's value ("Giá trị trung bình")


@dataclass
class RBlock:
    roman: str | None  # "I", "II": the block's heading row; None: no heading row
    label: str  # as printed, without the size
    printed_size: int | None  # the group size the heading (or the title) prints
    rows: list[RRow]
    size_word: str = "đơn vị"
    ranked: bool = True  # False: units listed without a rank ("không xếp hạng")
    bd: BlockDef | None = None  # what it ranks

    @property
    def heading(self) -> str:
        size = f" ({self.printed_size:02d} {self.size_word})" if self.printed_size and self.roman else ""
        return self.label + size

    def units(self) -> list[RRow]:
        return [r for r in self.rows if not r.aggregate]

    @property
    def number_ranked(self) -> int:
        """A rank's `rank_of` in a ranking table: the group size the heading or title prints,
        else the number of units the block ranks (the table lists them all)."""
        return self.printed_size or sum(1 for r in self.units() if r.rank is not None)


@dataclass
class RTable:
    index: int
    caption: str
    cols: list[RCol]
    blocks: list[RBlock]
    framework: str
    year: int
    scheme: Scheme

    def has(self, role: str) -> bool:
        return any(c.role == role for c in self.cols)

    def value_col(self) -> RCol:
        """The column a ranking orders by: the percent if printed, else the total."""
        tot = [c for c in self.cols if c.code == "TOTAL" and c.field in ("percent", "score")]
        return next((c for c in tot if c.field == "percent"), tot[0])


NAME_HEADERS_RANK = {
    "department": ["Tên đơn vị", "Tên cơ quan", "Cơ quan, đơn vị", "TÊN CƠ QUAN", "Đơn vị"],
    "province": ["Tỉnh, thành phố", "Địa phương", "Tên tỉnh, thành phố"],
    "ministry": ["Bộ, cơ quan ngang bộ", "Tên bộ, cơ quan ngang bộ"],
}
RANK_HEADERS_RANK = ["Xếp hạng", "Vị thứ", "Thứ hạng"]


def _hmax(v: int, style: Style) -> str:
    return fmt_num(v, style, False)


def total_column(scheme: Scheme, year: int, rng: random.Random) -> RCol:
    if scheme.framework == "SIPAS":
        return RCol(
            "value",
            rng.choice([f"Chỉ số SIPAS năm {year} (%)", "Chỉ số SIPAS (%)", "Mức độ hài lòng (%)"]),
            "TOTAL",
            "percent",
        )
    if scheme.framework == "DDCI":
        return RCol("value", rng.choice(["Điểm DDCI", f"Tổng điểm DDCI năm {year}", "Điểm số DDCI"]), "TOTAL", "score")
    if rng.random() < 0.45:
        return RCol(
            "value",
            rng.choice(["Chỉ số CCHC (%)", f"Chỉ số CCHC năm {year} (%)", f"PAR INDEX {year} (%)", "Tỷ lệ (%)"]),
            "TOTAL",
            "percent",
        )
    if rng.random() < 0.5:
        return RCol("value", "Tổng điểm (100)", "TOTAL", "score", max=10000)
    return RCol("value", rng.choice(["Tổng điểm", "Chỉ số CCHC", f"Điểm Chỉ số CCHC năm {year}"]), "TOTAL", "score")


def split_columns(scheme: Scheme, rng: random.Random, style: Style) -> list[RCol]:
    a, s = scheme.split
    if rng.random() < 0.6:
        return [
            RCol(
                "value",
                f"{rng.choice(['Điểm thẩm định', 'Điểm đánh giá', 'Điểm HĐTD thẩm định'])} ({_hmax(a, style)})",
                "ASSESSED",
                "score",
                max=a,
            ),
            RCol(
                "value",
                f"{rng.choice(['Điểm ĐTXHH', 'Điểm điều tra XHH', 'Điểm điều tra xã hội học'])} ({_hmax(s, style)})",
                "SURVEY",
                "score",
                max=s,
            ),
        ]
    return [
        RCol("value", rng.choice(["Điểm đánh giá", "Điểm thẩm định"]), "ASSESSED", "score"),
        RCol("value", rng.choice(["Điểm ĐTXHH", "Điểm điều tra XHH"]), "SURVEY", "score"),
    ]


def domain_columns(scheme: Scheme, rng: random.Random, style: Style) -> list[RCol]:
    form = rng.choice(["LV{k}", "Lĩnh vực {k}", "{k}"])
    with_max = rng.random() < 0.5
    top = rng.choice(["Điểm các lĩnh vực", "Điểm đạt được theo lĩnh vực", "Kết quả theo lĩnh vực"])
    cols = []
    for code, mx in scheme.domains:
        h = form.format(k=code) + (f" ({_hmax(mx, style)})" if with_max else "")
        cols.append(RCol("value", h, code, "score", max=mx if with_max else None, top=top, width=1.5))
    if scheme.domain_part == "assessed":  # the domains are the appraised part; the survey beside them
        s = scheme.split[1]
        cols.append(RCol("value", f"Điểm ĐTXHH ({_hmax(s, style)})", "SURVEY", "score", max=s))
    return cols


def ranking_columns(
    scheme: Scheme, kind: str, year: int, rng: random.Random, style: Style, national: bool = False
) -> list[RCol]:
    """A realistic column set for the scheme: points split in parts, the total alone, the
    domains, or each unit's own maximum and the share of it it reached."""
    name_h = rng.choice(NAME_HEADERS_RANK.get(kind, NAME_HEADERS_RANK["department"]))
    cols = [RCol("stt", rng.choice(["STT", "TT"]), width=1.0), RCol("name", name_h, width=6.0)]
    rank = RCol("rank", rng.choice(RANK_HEADERS_RANK), width=1.6)
    grade = RCol("grade", "Xếp loại", width=1.8)
    if scheme.per_row_max:
        pct_head = rng.choice(["Tỷ lệ đạt", "Tỷ lệ đạt (%)", "Chỉ số CCHC (%)"])
        cols += [
            RCol("value", rng.choice(["Điểm tối đa", "Điểm chuẩn"]), "TOTAL", "max"),
            RCol("value", rng.choice(["Điểm thẩm định", "Điểm đạt được"]), "TOTAL", "score"),
            RCol("value", pct_head, "TOTAL", "percent", pct_sign=pct_head == "Tỷ lệ đạt"),
        ]
        return cols + [grade] + ([rank] if rng.random() < 0.3 else [])
    layouts = ["total"] + ["split"] * 2 * bool(scheme.split) + ["domains"] * bool(scheme.domains and not national)
    layout = rng.choice(layouts)
    if layout == "split":
        cols += split_columns(scheme, rng, style)
    elif layout == "domains":
        cols += domain_columns(scheme, rng, style)
    total = total_column(scheme, year, rng)
    if layout == "domains" and total.field == "percent":
        total = RCol("value", "Tổng điểm", "TOTAL", "score")
    cols.append(total)
    if national and year < 2025 and rng.random() < 0.35:
        unit = "(%)" if total.field == "percent" else "(điểm)"
        cols.append(RCol("value", f"Tăng/giảm so với năm {year - 1} {unit}", "TOTAL", "delta"))
    if layout == "domains" or national or rng.random() < 0.8:
        cols.append(rank)
    if national and year < 2025 and rng.random() < 0.25:
        cols.append(RCol("value", f"Tăng/giảm thứ hạng so với năm {year - 1}", "TOTAL", "rank_delta", width=1.8))
    if scheme.grades and rng.random() < 0.6:
        cols.append(grade)
    if not national and rng.random() < 0.2:
        cols.append(RCol("note", "Ghi chú", width=3.0))  # mostly blank cells
    return cols


# -- units as printed --------------------------------------------------------------------

# what a "Ghi chú" cell says now and then (no result; one date as a distractor)
ROW_NOTES = ["Đơn vị mới thành lập", "Sáp nhập", "Có điểm thưởng", "Bị trừ điểm do báo cáo chậm", "Thành lập ngày 01/8"]
DISTRICT_ABBREV = {"huyện": "H.", "thị xã": "TX.", "thành phố": "TP.", "quận": "Q."}
COMMUNE_ABBREV = {"xã": "X.", "phường": "P.", "thị trấn": "TT."}


def old_tone(name: str) -> str:
    """The old tone placement some pages still use ("Hoà Thành" for "Hòa Thành")."""
    for new, old in (
        ("òa", "oà"),
        ("óa", "oá"),
        ("ỏa", "oả"),
        ("õa", "oã"),
        ("ọa", "oạ"),
        ("ủy", "uỷ"),
        ("ùy", "uỳ"),
        ("úy", "uý"),
        ("ụy", "uỵ"),
    ):
        name = name.replace(new, old)
    return name


def printed_unit(m: Member, form: str, rng: random.Random, year: int = 0) -> tuple[str, str]:
    """(as printed, as the truth names it) for one of a document's printing habits:
    full | ubnd | bare | abbrev (departments: full name or abbreviation)."""
    if m.kind in ("department", "ministry"):
        if m.abbrevs and form == "abbrev" and rng.random() < 0.7:
            text = rng.choice(m.abbrevs)
            return text, text
        return m.name, m.name
    if m.kind in ("central", "office"):
        return m.name, m.name
    if m.kind == "province":
        return _printed_province(m, form, year)
    name = m.name
    if form == "bare":
        return name, name
    if form == "abbrev":
        ab = (DISTRICT_ABBREV if m.kind == "district" else COMMUNE_ABBREV).get(m.prefix)
        if ab:
            return f"{ab}{name}" if rng.random() < 0.6 else f"{ab} {name}", name
    if form == "ubnd":
        return f"UBND {m.prefix} {name}", name
    return f"{m.prefix[:1].upper()}{m.prefix[1:]} {name}", name


def _printed_province(m: Member, form: str, year: int) -> tuple[str, str]:
    if m.name == "Huế" and year <= 2023:
        return "Thừa Thiên Huế", "Thừa Thiên Huế"
    if m.name == "Hồ Chí Minh":
        return {
            "full": ("TP. Hồ Chí Minh", "Hồ Chí Minh"),
            "ubnd": ("Thành phố Hồ Chí Minh", "Hồ Chí Minh"),
            "abbrev": ("TP.HCM", "TP.HCM"),
        }.get(form, ("Hồ Chí Minh", "Hồ Chí Minh"))
    if m.prefix == "thành phố" and form in ("full", "ubnd"):
        return f"TP. {m.name}", m.name
    return m.name, m.name


BLOCK_LABELS = {
    "department": [
        "Các sở, ban, ngành",
        "Các sở, ban, ngành tỉnh",
        "KHỐI SỞ, BAN, NGÀNH",
        "Sở, ban, ngành",
        "Các sở, cơ quan tương đương sở",
    ],
    "central": ["Các cơ quan Trung ương đóng trên địa bàn tỉnh", "Các cơ quan ngành dọc"],
    "office": ["Các cơ quan chuyên môn thuộc UBND {d}", "Các phòng, ban chuyên môn"],
}


def block_label(bd: BlockDef, rng: random.Random) -> str:
    if bd.kind == "district":
        words = units_word(Unit("", "huyện", bd.province, "district"))
        return rng.choice([f"UBND các {words}", f"UBND {words}", "KHỐI UBND CẤP HUYỆN", f"Các {words}"])
    if bd.kind == "commune":
        kinds = {m.prefix for m in bd.members(0)}
        words = ", ".join(k for k in ("xã", "phường", "thị trấn") if k in kinds)
        return rng.choice([f"UBND các {words}", f"UBND {words}", "KHỐI UBND CẤP XÃ"])
    d = next((u.prefix for u in units_of(bd.province, "district") if u.name == bd.district), "huyện")
    return rng.choice(BLOCK_LABELS[bd.kind]).format(d=d)


def ranked_rows(
    bd: BlockDef, year: int, cols: list[RCol], rng: random.Random, form: str, in_rank_order: bool
) -> list[RRow]:
    scheme = scheme_of(bd, year)
    sts = standings(bd, year)
    if in_rank_order:
        sts = by_rank(sts)
    prev = (
        {s.member: s for s in standings(bd, year - 1)} if any(c.field in ("delta", "rank_delta") for c in cols) else {}
    )
    rows = []
    for k, s in enumerate(sts, 1):
        printed, unit = printed_unit(s.member, form, rng, year)
        cells: dict[tuple[str, str], int | None] = {}
        for c in cols:
            if c.role == "value":
                cells[(c.code, c.field)] = cell_value(s, c, prev.get(s.member))
        note = rng.choice(ROW_NOTES) if any(c.role == "note" for c in cols) and rng.random() < 0.12 else ""
        rows.append(RRow(str(k), printed, unit, cells, s.rank, grade_of(scheme, s.percent), note))
    return rows


def cell_value(s: Standing, c: RCol, prev: Standing | None) -> int | None:
    if c.code == "TOTAL":
        if c.field == "max":
            return s.max
        if c.field == "percent":
            return s.percent
        if c.field == "delta":
            return (
                None
                if prev is None
                else (s.percent - prev.percent if c.header.endswith("(%)") else s.total - prev.total)
            )
        if c.field == "rank_delta":
            return None if prev is None else prev.rank - s.rank
        return s.total
    if c.code == "ASSESSED":
        return s.assessed
    if c.code == "SURVEY":
        return s.survey
    return dict(s.domains).get(c.code)


def average_row(rows: list[RRow], cols: list[RCol], label: str) -> RRow:
    """A group's mean of every value column ("Giá trị trung bình")."""
    cells = {}
    for c in cols:
        if c.role == "value" and c.field in ("score", "percent"):
            vals = [r.cells[(c.code, c.field)] for r in rows if r.cells.get((c.code, c.field)) is not None]
            cells[(c.code, c.field)] = mean_of(vals) if vals else None
        elif c.role == "value":
            cells[(c.code, c.field)] = None
    return RRow("", label, label, cells, None, None, aggregate=True)


# -- printing cells ----------------------------------------------------------------------------


def rank_cell_text(row: RRow, c: RCol, style: Style) -> str:
    if c.role == "stt":
        return row.stt
    if c.role == "name":
        return row.printed
    if c.role == "rank":
        return "" if row.aggregate else ("-" if row.rank is None else str(row.rank))
    if c.role == "grade":
        return row.grade or ""
    if c.role == "note":
        return row.note
    v = row.cells.get((c.code, c.field))
    if v is None:
        return "" if row.aggregate else "-"
    if c.field == "rank_delta":
        return f"+{v}" if v > 0 else str(v)
    if c.field == "delta":
        return ("+" if v > 0 else "") + fmt_num(v, style, True)
    if c.field == "max":
        return fmt_num(v, style, False)
    return fmt_num(v, style) + ("%" if c.pct_sign else "")


def rank_header_rows(t: RTable) -> tuple[list[list[str]], list[tuple[int, int, int, int]]]:
    """One header row, or two when some columns share a spanning top cell."""
    if not any(c.top for c in t.cols):
        return [[c.header for c in t.cols]], []
    top, sub, spans = [], [], []
    j = 0
    while j < len(t.cols):
        c = t.cols[j]
        if c.top:
            k = j
            while k + 1 < len(t.cols) and t.cols[k + 1].top == c.top:
                k += 1
            top += [c.top] + [""] * (k - j)
            sub += [t.cols[i].header for i in range(j, k + 1)]
            spans.append((0, j, 0, k))
            j = k + 1
        else:
            top.append(c.header)
            sub.append("")
            spans.append((0, j, 1, j))
            j += 1
    return [top, sub], spans


def rank_body(t: RTable, style: Style) -> list[tuple[str, list[str]]]:
    """(kind, cells) per body row: kind block | unit | average."""
    out = []
    for b in t.blocks:
        if b.roman:
            out.append(("block", [b.roman, b.heading] + [""] * (len(t.cols) - 2)))
        for r in b.rows:
            out.append(("average" if r.aggregate else "unit", [rank_cell_text(r, c, style) for c in t.cols]))
    return out


def rank_lines(t: RTable, style: Style, header: bool = True) -> list[str]:
    """The table as text lines, cells separated by one space, like a web page that lost its
    table markup (realdocs r01): "3 Sở Thông tin và Truyền thông 100 94.43 94.43% Tốt"."""
    head, _ = rank_header_rows(t)
    flat = [h2 or h1 for h1, h2 in zip(head[0], head[-1])] if len(head) > 1 else head[0]
    lines = [" ".join(flat)] if header else []
    for kind, cells in rank_body(t, style):
        lines.append(" ".join(cells) if kind != "block" else " ".join(cells[:2]) + " " * (len(cells) - 2))
    return lines


# ======================================================================================
# documents about many units: injected inconsistencies
# ======================================================================================


def _ranked_blocks(doc, need: str | None = None) -> list[tuple[RTable, RBlock]]:
    out = [
        (t, b)
        for t in doc.tables
        for b in t.blocks
        if b.ranked and (need is None or t.has(need)) and len(b.units()) >= 3
    ]
    doc.rng.shuffle(out)
    return out


def _val(t: RTable, r: RRow) -> int:
    c = t.value_col()
    return r.cells[(c.code, c.field)]


def _shown(t: RTable, r: RRow, style: Style) -> str:
    c = t.value_col()
    return fmt_num(_val(t, r), style) + ("%" if c.field == "percent" else "")


def _untied(b: RBlock, r: RRow) -> bool:
    return sum(1 for x in b.units() if x.rank == r.rank) == 1


def _record(doc, rule: str, t: RTable, b: RBlock, rows: list[RRow], what: str) -> None:
    doc.inconsistencies.append(
        {
            "rule": rule,
            "year": t.year,
            "codes": ["TOTAL"],
            "what": f"table {t.index}{', ' + b.label if b.label else ''}: {what}",
            "units": [r.unit for r in rows],
        }
    )
    doc.touched.update(id(r) for r in rows)
    doc.touched.add(id(b))


def inject_rank_order(doc) -> bool:
    """Two neighbours' ranks swapped: the higher score ranked lower."""
    for t, b in _ranked_blocks(doc, "rank"):
        order = sorted(b.units(), key=lambda r: r.rank)
        pairs = [
            (x, y)
            for x, y in zip(order, order[1:])
            if _val(t, x) > _val(t, y)
            and _untied(b, x)
            and _untied(b, y)
            and id(x) not in doc.touched
            and id(y) not in doc.touched
        ]
        if pairs:
            x, y = doc.rng.choice(pairs)
            x.rank, y.rank = y.rank, x.rank
            _record(
                doc,
                "rank_order",
                t,
                b,
                [x, y],
                f"{x.printed} {_shown(t, x, doc.style)} ranked {x.rank}, "
                f"below {y.printed} {_shown(t, y, doc.style)} ranked {y.rank}",
            )
            return True
    return False


def inject_duplicate_rank(doc) -> bool:
    """A unit printed with its better neighbour's rank although their scores differ."""
    for t, b in _ranked_blocks(doc, "rank"):
        order = sorted(b.units(), key=lambda r: r.rank)
        pairs = [
            (x, y)
            for x, y in zip(order, order[1:])
            if _val(t, x) != _val(t, y)
            and _untied(b, x)
            and _untied(b, y)
            and id(x) not in doc.touched
            and id(y) not in doc.touched
        ]
        if pairs:
            x, y = doc.rng.choice(pairs)
            y.rank = x.rank
            _record(
                doc,
                "duplicate_rank",
                t,
                b,
                [x, y],
                f"{x.printed} {_shown(t, x, doc.style)} and {y.printed} {_shown(t, y, doc.style)} both ranked {x.rank}",
            )
            return True
    return False


def inject_rank_out_of_range(doc) -> bool:
    """The last unit ranked beyond the number ranked ("23" of 21)."""
    for t, b in _ranked_blocks(doc, "rank"):
        last = max(b.units(), key=lambda r: r.rank)
        if not _untied(b, last) or id(last) in doc.touched or id(b) in doc.touched:
            continue
        n = max(len(b.units()), b.printed_size or 0)
        last.rank = n + doc.rng.randint(1, 3)
        _record(doc, "rank_out_of_range", t, b, [last], f"{last.printed} ranked {last.rank} of {n}")
        return True
    return False


def inject_block_size(doc) -> bool:
    """The group size printed with the block (or in the title) is not its number of rows."""
    blocks = [
        (t, b)
        for t in doc.tables
        for b in t.blocks
        if b.ranked and id(b) not in doc.touched and (b.roman or len(t.blocks) == 1)
    ]
    if not blocks:
        return False
    t, b = doc.rng.choice(blocks)
    b.printed_size = len(b.units()) + doc.rng.randint(1, 3)
    _record(doc, "block_size", t, b, [], f"the group prints {b.printed_size} units but lists {len(b.units())}")
    return True


def inject_grade_band(doc) -> bool:
    """A unit given the next worse grade while a unit with a lower result keeps the better one
    ("Tốt" with 93,10% above "Xuất sắc" with 90,20%)."""
    for t, b in _ranked_blocks(doc, "grade"):
        scale = [g for _, g in t.scheme.grades]
        cands = []
        for x in b.units():
            if id(x) in doc.touched or x.grade not in scale[:-1]:
                continue
            lower = [y for y in b.units() if y.grade == x.grade and _val(t, y) < _val(t, x)]
            if lower:
                cands.append((x, min(lower, key=lambda y: _val(t, y))))
        if cands:
            x, y = doc.rng.choice(cands)
            x.grade = scale[scale.index(x.grade) + 1]
            _record(
                doc,
                "grade_band",
                t,
                b,
                [x, y],
                f"{x.printed} graded {x.grade} with {_shown(t, x, doc.style)}, "
                f"{y.printed} graded {y.grade} with {_shown(t, y, doc.style)}",
            )
            return True
    return False


RANK_INJECTORS = {
    "rank_order": inject_rank_order,
    "duplicate_rank": inject_duplicate_rank,
    "rank_out_of_range": inject_rank_out_of_range,
    "block_size": inject_block_size,
    "grade_band": inject_grade_band,
}


def inject_rankings(doc, rate: float) -> None:
    """One or two inconsistencies in a share of the documents that print a ranking table."""
    if not doc.tables or doc.rng.random() >= rate:
        return
    n = 1 if doc.rng.random() < 0.7 else 2
    rules = list(RANKING_RULES)
    doc.rng.shuffle(rules)
    done = 0
    for rule in rules:
        if done == n:
            break
        done += RANK_INJECTORS[rule](doc)


# ======================================================================================
# documents about many units: the document model and its truth
# ======================================================================================


@dataclass
class RankDoc:
    """A decision, an article or a national appendix about many units."""

    index: int
    stem: str
    shape: str
    fmt: str
    rng: random.Random
    style: Style
    year: int = 0
    framework: str = "PAR_INDEX"
    province: str | None = None
    scope: str = ""  # what it ranks, for the manifest: "Tây Ninh departments, districts", "provinces"
    tables: list[RTable] = field(default_factory=list)
    blocks: list = field(
        default_factory=list
    )  # ("org"|"right"|"title"|"subtitle"|"para"|"heading"|"table"|"lines"|"sign"|"pagebreak", ...)
    facts: list[dict] = field(default_factory=list)  # sentence facts (table 0)
    inconsistencies: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    landscape: bool = False
    touched: set = field(default_factory=set)  # rows and blocks an injection changed
    levels: Counter = field(default_factory=Counter)  # units per level, for the truth's `level`
    pub: tuple[int, int, int] = (1, 1, 2000)  # news: the day, month and year the article tells of


LEVEL_OF_KIND = {
    "department": "department",
    "central": "department",
    "office": "department",
    "district": "district",
    "commune": "commune",
    "province": "province",
    "ministry": "national",
}
TRUTH_FIELDS = FACT_FIELDS + ("rank_delta",)


def _new_fact(unit: str, year: int, framework: str, code: str, name: str, table: int) -> dict:
    return {
        "unit": unit,
        "year": year,
        "framework": framework,
        "code": code,
        "name": name,
        "table": table,
        **{k: None for k in TRUTH_FIELDS},
    }


def rtable_facts(t: RTable) -> list[dict]:
    """One fact per unit row and code, with exactly the values the row prints."""
    out = []
    for b in t.blocks:
        group = b.heading if b.roman else None
        for r in b.rows:
            by_code: dict[str, dict] = {}
            names: dict[str, list[str]] = defaultdict(list)
            for c in t.cols:
                if c.role != "value":
                    continue
                f = by_code.setdefault(c.code, _new_fact(r.unit, t.year, t.framework, c.code, "", t.index))
                names[c.code].append(c.header)
                v = r.cells.get((c.code, c.field))
                if v is None:
                    continue
                if c.field == "rank_delta":
                    f["rank_delta"] = v
                else:
                    f[c.field] = value(v)
                if c.field == "score" and c.max is not None:
                    f["max"] = value(c.max)
            tot = by_code["TOTAL"]
            if t.has("rank") and b.ranked and r.rank is not None and not r.aggregate:
                tot["rank"], tot["rank_of"] = r.rank, b.number_ranked
            for code, f in by_code.items():
                f["name"] = " / ".join(names[code])
                if group:
                    f["group"] = group
                if r.aggregate:
                    f["aggregate"] = True
                if code == "TOTAL" and t.has("grade") and r.grade:
                    f["grade"] = r.grade
                if any(f[k] is not None for k in TRUTH_FIELDS):
                    out.append(f)
    return out


def rank_truth(doc: RankDoc) -> dict:
    facts = [f for t in doc.tables for f in rtable_facts(t)] + doc.facts
    kind = "narrative" if not doc.tables else ("mixed" if doc.facts else "ranking_table")
    groups = [
        {"table": t.index, "group": b.heading if b.roman else None, "size": b.printed_size, "rows": len(b.units())}
        for t in doc.tables
        for b in t.blocks
    ]
    return {
        "source": doc.stem + "." + EXTENSIONS[doc.fmt],
        "kind": kind,
        "level": doc.levels.most_common(1)[0][0] if doc.levels else None,
        "province": doc.province,
        "unit": None,
        "years": sorted({f["year"] for f in facts}),
        "facts": facts,
        "inconsistencies": doc.inconsistencies,
        "groups": groups,
        "notes": "; ".join(doc.notes),
    }


def say(
    doc: RankDoc,
    unit: str,
    name: str,
    year: int | None = None,
    framework: str | None = None,
    code: str = "TOTAL",
    **fields,
) -> dict:
    """A fact read from a sentence."""
    f = _new_fact(unit, year or doc.year, framework or doc.framework, code, name, 0)
    for k, v in fields.items():
        if v is not None:
            f[k] = v
    doc.facts.append(f)
    return f


def _date(rng: random.Random, year: int, early: bool = True) -> tuple[int, int, int]:
    """A publication date: December of the year, or early the next year."""
    if early and rng.random() < 0.75:
        return rng.randint(1, 28), rng.randint(1, 4), year + 1
    return rng.randint(10, 30), 12, year


def _nth(rng: random.Random, k: int) -> str:
    return f"{k:02d}" if rng.random() < 0.25 else str(k)


# ======================================================================================
# documents about many units: a province's decision and its appendix
# ======================================================================================

DECISION_BASES = [
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung một số điều của "
    "Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng 11 năm 2019;",
    "Căn cứ Nghị quyết số 76/NQ-CP ngày 15 tháng 7 năm 2021 của Chính phủ ban hành Chương trình tổng thể cải cách "
    "hành chính nhà nước giai đoạn 2021 - 2030;",
]
ARTICLES = [
    "Điều 2. Giao Sở Nội vụ chủ trì, phối hợp với các cơ quan, đơn vị liên quan theo dõi, hướng dẫn, đôn đốc các "
    "cơ quan, đơn vị khắc phục những tồn tại, hạn chế được chỉ ra qua kết quả xác định Chỉ số.",
    "Điều 3. Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng UBND {p}, Giám đốc Sở Nội vụ, Thủ trưởng "
    "các cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành Quyết định này./.",
]


def decision_blockdefs(rng: random.Random, province: str, year: int) -> tuple[list[BlockDef], str]:
    """A province's departments and districts (sometimes its central agencies too), or a
    district's offices and communes; and the DDCI's blocks now and then."""
    districts = [u for u in units_of(province, "district") if len(communes_of(province, u.name)) >= 6]
    if rng.random() < 0.15 and districts and not report_family(province, "commune", year):
        # communes with reports are ranked province-wide there: a district's ranking would disagree
        d = rng.choice(districts).name
        return [BlockDef("office", province, d), BlockDef("commune", province, d)], d
    fw = "DDCI" if rng.random() < 0.1 else "PAR_INDEX"
    bds = [BlockDef("department", province, framework=fw), BlockDef("district", province, framework=fw)]
    if fw == "PAR_INDEX" and rng.random() < 0.15:
        bds.append(BlockDef("central", province))
    return bds, ""


def build_ranking_table(
    doc: RankDoc, bds: list[BlockDef], index: int, kind: str, with_roman: bool, national: bool = False
) -> RTable:
    rng, y = doc.rng, doc.year
    scheme = scheme_of(bds[0], y)
    cols = ranking_columns(scheme, kind, y, rng, doc.style, national)
    in_order = not any(c.role == "rank" for c in cols) or rng.random() < (0.8 if national else 0.75)
    forms = {
        "department": "abbrev" if rng.random() < 0.3 else "full",
        "district": rng.choice(["ubnd", "ubnd", "full", "abbrev", "bare"]),
        "commune": rng.choice(["ubnd", "full", "bare", "abbrev"]),
        "province": rng.choice(["bare", "bare", "full", "abbrev"]),
    }
    blocks = []
    for k, bd in enumerate(bds):
        rows = ranked_rows(bd, y, cols, rng, forms.get(bd.kind, "full"), in_order)
        label = block_label(bd, rng) if bd.kind not in ("province", "ministry") else ""
        size = len(rows) if national or rng.random() < 0.45 else None
        blocks.append(
            RBlock(
                ROMAN[k] if with_roman else None,
                label,
                size,
                rows,
                rng.choice(["đơn vị", "cơ quan"]) if bd.kind in ("department", "central", "office") else "đơn vị",
                bd=bd,
            )
        )
        doc.levels[LEVEL_OF_KIND[bd.kind]] += len(rows)
    t = RTable(index, "", cols, blocks, scheme.framework, y, scheme)
    doc.landscape = doc.landscape or len(cols) > 8
    return t


def table_subject(t: RTable) -> str:
    """What a table ranks, as its caption and the decision say it ("các sở, ban, ngành và
    UBND các huyện, thị xã, thành phố"; "19 sở, ban, ngành" when the caption prints the size)."""
    parts = []
    for b in t.blocks:
        if not b.ranked or b.bd is None:
            continue
        size = b.printed_size if b.printed_size and not b.roman else None
        parts.append(subject_of(b.bd, size))
    return " và ".join(parts)


def subject_of(bd: BlockDef, size: int | None) -> str:
    n = f"{size} " if size else "các "
    if bd.kind == "department":
        return f"{n}sở, ban, ngành"
    if bd.kind == "central":
        return f"{n}cơ quan Trung ương đóng trên địa bàn"
    if bd.kind == "office":
        return f"{n}cơ quan chuyên môn thuộc UBND {bd.district}"
    if bd.kind == "district":
        return f"UBND {n}{units_word(Unit('', 'huyện', bd.province, 'district'))}"
    kinds = {m.prefix for m in bd.members(0)}
    return f"UBND {n}" + ", ".join(k for k in ("xã", "phường", "thị trấn") if k in kinds)


def index_title(framework: str, year: int) -> str:
    if framework == "DDCI":
        return f"kết quả đánh giá năng lực cạnh tranh cấp sở, ban, ngành và địa phương (DDCI) năm {year}"
    if framework == "SIPAS":
        return (
            f"Chỉ số hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước "
            f"(SIPAS) năm {year}"
        )
    return f"Chỉ số cải cách hành chính năm {year}"


def make_decision(doc: RankDoc, rate: float) -> None:
    rng = doc.rng
    province = rng.choice(complete_provinces())
    doc.year = rng.choice(list(RANK_YEARS))
    doc.province = province
    bds, district = decision_blockdefs(rng, province, doc.year)
    doc.framework = bds[0].framework
    split = rng.random() < 0.25
    if split:
        doc.tables = [build_ranking_table(doc, [bd], i, "department", False) for i, bd in enumerate(bds, 1)]
    else:
        doc.tables = [build_ranking_table(doc, bds, 1, "department", True)]
    doc.scope = f"{province}{' / ' + district if district else ''}: " + ", ".join(bd.kind for bd in bds)
    doc.notes.append(
        f"{'one table per block' if split else 'one table, blocks with row numbers restarting'}; "
        f"{'decimal comma' if doc.style.decimal == ',' else 'decimal dot'}"
    )
    inject_rankings(doc, rate)
    doc.blocks = decision_text(doc, province, district)


def decision_text(doc: RankDoc, province: str, district: str) -> list:
    rng, y = doc.rng, doc.year
    P = province_full(province)
    d_unit = next((u for u in units_of(province, "district") if u.name == district), None)
    issuer = d_unit.full if d_unit else P
    day, month, pub = _date(rng, y)
    number = f"{rng.randint(100, 3200)}/QĐ-UBND"
    subject = " và ".join(subject_of(b.bd, None) for t in doc.tables for b in t.blocks if b.ranked)
    where = f"thuộc {issuer}" if d_unit else f"trên địa bàn {P}"
    blocks = [
        (
            "org",
            ["ỦY BAN NHÂN DÂN", issuer.upper()],
            ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"],
        ),
        ("right", f"Số: {number}"),
        ("right", f"{(d_unit.name if d_unit else province)}, ngày {day} tháng {month} năm {pub}"),
        ("title", "QUYẾT ĐỊNH"),
        ("title", f"Về việc công bố {index_title(doc.framework, y)} của {subject} {where}"),
        ("title", f"CHỦ TỊCH ỦY BAN NHÂN DÂN {issuer.upper()}"),
    ]
    blocks += [("para", p) for p in DECISION_BASES]
    blocks.append(
        (
            "para",
            f"Căn cứ Quyết định số {rng.randint(100, 2900)}/QĐ-UBND ngày {rng.randint(1, 28)}/"
            f"{rng.randint(1, 12)}/{y - rng.randint(0, 2)} của UBND {P} ban hành Bộ chỉ số theo dõi, "
            f"đánh giá, xếp hạng kết quả thực hiện nhiệm vụ cải cách hành chính;",
        )
    )
    office = "Trưởng phòng Nội vụ" if d_unit else "Giám đốc Sở Nội vụ"
    blocks.append(
        (
            "para",
            f"Theo đề nghị của {office} tại Tờ trình số {rng.randint(10, 990)}/TTr-"
            f"{'PNV' if d_unit else 'SNV'} ngày {max(1, day - 3)}/{month}/{pub}.",
        )
    )
    blocks.append(("title", "QUYẾT ĐỊNH:"))
    blocks.append(
        (
            "para",
            f"Điều 1. Công bố {index_title(doc.framework, y)} của {subject} {where} (chi tiết tại Phụ lục kèm theo).",
        )
    )
    blocks += [("para", a.format(p="huyện" if d_unit else _p_word(province))) for a in ARTICLES]
    blocks.append(("sign", ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", rng.choice(SIGNERS)]))
    for t in doc.tables:
        blocks.append(("pagebreak",))
        roman = f" {ROMAN[t.index - 1]}" if len(doc.tables) > 1 else ""
        blocks.append(("title", f"PHỤ LỤC{roman}"))
        blocks.append(("title", f"KẾT QUẢ {index_title(doc.framework, y).upper()} CỦA {table_subject(t).upper()}"))
        blocks.append(
            (
                "subtitle",
                f"(Kèm theo Quyết định số {number} ngày {day}/{month}/{pub} của {'Chủ tịch ' if rng.random() < 0.5 else ''}UBND {issuer})",
            )
        )
        blocks.append(("table", t))
    return blocks


# ======================================================================================
# documents about many units: the same ranking as text lines in a web article
# ======================================================================================


def make_lines(doc: RankDoc, rate: float) -> None:
    """A portal article that lost the table's markup: one line per row (realdocs r01)."""
    rng = doc.rng
    province = rng.choice(complete_provinces())
    doc.year, doc.province = rng.choice(list(RANK_YEARS)), province
    bds = [BlockDef("department", province), BlockDef("district", province)]
    doc.tables = [build_ranking_table(doc, bds, 1, "department", True)]
    doc.scope = f"{province}: department, district"
    doc.notes.append("the ranking as text lines, cells separated by spaces, blank cells as double spaces")
    inject_rankings(doc, rate)
    y, P = doc.year, province_full(province)
    day, month, pub = _date(rng, y)
    subject = table_subject(doc.tables[0])
    title = f"{province} công bố {index_title(doc.framework, y)} đối với {subject}"
    doc.blocks = [
        ("title", title),
        (
            "date",
            f"{rng.choice(['Thứ hai', 'Thứ ba', 'Thứ tư', 'Thứ năm', 'Thứ sáu'])} - {day:02d}/{month:02d}/{pub} "
            f"{rng.randint(7, 21):02d}:{rng.randint(0, 59):02d}",
        ),
        (
            "para",
            f"Ngày {day}/{month}/{pub}, UBND {P} ban hành Quyết định số {rng.randint(100, 3200)}/QĐ-UBND "
            f"về việc công bố {index_title(doc.framework, y)} đối với {subject} trên địa bàn "
            f"{P}. Cụ thể như sau:",
        ),
        ("lines", rank_lines(doc.tables[0], doc.style)),
    ]
    if rng.random() < 0.5:
        doc.blocks.append(
            (
                "para",
                "Kết quả Chỉ số cải cách hành chính là cơ sở để các cơ quan, đơn vị rà soát, khắc phục "
                "những tồn tại, hạn chế, nâng cao chất lượng phục vụ người dân, doanh nghiệp.",
            )
        )


# ======================================================================================
# documents about many units: the national rankings
# ======================================================================================


def national_blockdefs(rng: random.Random) -> tuple[list[BlockDef], int, str]:
    scope = rng.choices(["province", "sipas", "ministry"], [55, 20, 25])[0]
    if scope == "ministry":
        return [BlockDef("ministry")], rng.choice(list(RANK_YEARS)), "ministry"
    if scope == "sipas":
        return [BlockDef("province", framework="SIPAS")], rng.choice(list(RANK_YEARS)), "province"
    return [BlockDef("province")], rng.choice(list(RANK_YEARS) + [2025]), "province"


def group_noun(kind: str, n: int) -> str:
    if kind == "ministry":
        return f"{n} bộ, cơ quan ngang bộ"
    return f"{n} tỉnh, thành phố trực thuộc Trung ương"


def unranked_block(doc: RankDoc, t: RTable) -> RBlock:
    """The two agencies the ministries' ranking lists without a rank (domain.md §1.1)."""
    rows = []
    for k, name in enumerate(UNRANKED_MINISTRIES, len(t.blocks[0].rows) + 1):
        m = Member(name, "ministry")
        q = _member_quality(BlockDef("ministry"), m, doc.year)
        total = int(round(10000 * q))
        parts = _parts(t.scheme, total, rng_for("parts", "unranked", name, doc.year))
        s = Standing(m, total, 10000, parts.get("assessed"), parts.get("survey"))
        cells = {
            (c.code, c.field): (cell_value(s, c, None) if c.field not in ("delta", "rank_delta") else None)
            for c in t.cols
            if c.role == "value"
        }
        rows.append(RRow(str(k), name, name, cells, None))
    return RBlock("II", "Các cơ quan không xếp hạng", None, rows, ranked=False)


def make_national(doc: RankDoc, rate: float) -> None:
    rng = doc.rng
    bds, doc.year, kind = national_blockdefs(rng)
    doc.framework = bds[0].framework
    t = build_ranking_table(doc, bds, 1, kind, False, national=True)
    if rng.random() < 0.4:
        b = t.blocks[0]
        b.rows.append(average_row(b.rows, t.cols, rng.choice(["Giá trị trung bình", "Trung bình", "Trung bình chung"])))
    if kind == "ministry" and rng.random() < 0.5:
        t.blocks[0].roman, t.blocks[0].label = "I", "Các bộ, cơ quan ngang bộ được xếp hạng"
        t.blocks.append(unranked_block(doc, t))
    doc.tables = [t]
    doc.scope = f"national {kind} {doc.framework}"
    doc.notes.append("national ranking; the group size is printed in the title")
    inject_rankings(doc, rate)
    n = t.blocks[0].printed_size
    subject = group_noun(kind, n)
    title = f"KẾT QUẢ {index_title(doc.framework, doc.year).upper()} CỦA {subject.upper()}"
    day, month, pub = _date(rng, doc.year)
    number = f"{rng.randint(100, 1500)}/QĐ-BNV"
    if doc.fmt in ("html", "text"):
        doc.blocks = national_article(doc, t, subject, (day, month, pub))
        return
    doc.blocks = [
        ("org", ["BỘ NỘI VỤ"], ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]),
        ("title", "PHỤ LỤC"),
        ("title", title),
        ("subtitle", f"(Kèm theo Quyết định số {number} ngày {day}/{month}/{pub} của Bộ trưởng Bộ Nội vụ)"),
        ("table", t),
    ]


def national_article(doc: RankDoc, t: RTable, subject: str, date: tuple[int, int, int]) -> list:
    """A news page: lead sentences quoting the ranking, then the whole table."""
    rng, y = doc.rng, doc.year
    day, month, pub = date
    b = t.blocks[0]
    ranked = sorted((r for r in b.units()), key=lambda r: (r.rank, r.stt))
    field_ = "percent" if (doc.framework == "SIPAS" or any(c.field == "percent" for c in t.cols)) else "score"
    unit_w = "%" if field_ == "percent" else " điểm"
    col = next(c for c in t.cols if c.code == "TOTAL" and c.field == field_)
    name = f"{'Chỉ số SIPAS' if doc.framework == 'SIPAS' else 'PAR INDEX'} {y}"
    lead = f"Ngày {day}/{month}/{pub}, Bộ Nội vụ công bố {index_title(doc.framework, y)} của {subject}."
    sentences = [lead]
    top = [r for r in ranked[:3] if _untied(b, r)]
    if top and top[0].rank == 1:

        def v(r):
            return fmt_num(r.cells[(col.code, col.field)], doc.style, True) + unit_w

        text = f"Dẫn đầu là {top[0].printed} với {v(top[0])}"
        say(
            doc,
            top[0].unit,
            name,
            rank=1,
            rank_of=b.printed_size,
            rank_word="dẫn đầu",
            **{field_: value(top[0].cells[(col.code, col.field)])},
        )
        rest = [r for r in top[1:] if r.rank == top.index(r) + 1]
        if rest:
            text += "; tiếp theo là " + ", ".join(f"{r.printed} ({v(r)}, xếp thứ {r.rank})" for r in rest)
            for r in rest:
                say(
                    doc,
                    r.unit,
                    name,
                    rank=r.rank,
                    rank_of=b.printed_size,
                    **{field_: value(r.cells[(col.code, col.field)])},
                )
        sentences.append(text + ".")
    sentences.append(rng.choice(["Chi tiết kết quả như sau:", "Kết quả cụ thể:", "Bảng xếp hạng cụ thể như sau:"]))
    doc.notes.append("lead sentences quote the table (facts from both, table 0 and table 1)")
    out = [
        ("title", f"Công bố {index_title(doc.framework, y)}"),
        ("date", f"{day:02d}/{month:02d}/{pub} {rng.randint(7, 21):02d}:{rng.randint(0, 59):02d}"),
    ]
    out += [("para", s) for s in sentences]
    out.append(("table", t))
    return out


# ======================================================================================
# documents about many units: news articles quoting a ranking
# ======================================================================================


@dataclass
class Group:
    """One ranked group as an article quotes it."""

    bd: BlockDef
    sts: list[Standing]  # by rank
    noun: str  # "sở, ban, ngành", "huyện, thị xã, thành phố", "tỉnh, thành phố", "bộ, cơ quan ngang bộ"
    member_noun: str  # "cơ quan", "địa phương", "tỉnh, thành phố"
    form: str  # how the article prints its units
    field: str  # score | percent: how the article quotes results
    size_printed: bool = False  # the article prints the group's size somewhere
    waiting: list = field(default_factory=list)  # facts whose rank_of (and last rank) need the size

    @property
    def n(self) -> int:
        return len(self.sts)

    def shown(self, s: Standing, style: Style, bare: bool = False) -> str:
        v = s.percent if self.field == "percent" else s.total
        return fmt_num(v, style, True) + ("" if bare else ("%" if self.field == "percent" else " điểm"))

    def val(self, s: Standing) -> float:
        return value(s.percent if self.field == "percent" else s.total)


def news_unit(doc: RankDoc, g: Group, s: Standing) -> tuple[str, str]:
    """A unit as a news page prints it: prefixed ("UBND huyện Gò Dầu", "tỉnh Quảng Ninh",
    "H.Cẩm Mỹ"), sometimes with the old tone placement ("Hoà Thành")."""
    m = s.member
    if m.kind == "province":
        printed, unit = _printed_province(m, g.form, doc.year)
        if printed == m.name and m.prefix == "tỉnh" and doc.rng.random() < 0.4:
            printed = f"tỉnh {m.name}"
    elif m.kind in ("district", "commune"):
        printed, unit = printed_unit(m, g.form, doc.rng)
        if g.form == "full":
            printed = printed[:1].lower() + printed[1:]
    else:
        printed, unit = printed_unit(m, g.form, doc.rng)
    if m.kind in ("district", "commune", "province") and doc.rng.random() < 0.15 and old_tone(unit) != unit:
        printed, unit = printed.replace(unit, old_tone(unit)), old_tone(unit)
    return printed, unit


def quote(
    doc: RankDoc, g: Group, s: Standing, name: str, rank: int | None = None, rank_word: str | None = None, **extra
) -> tuple[str, dict]:
    """A unit and its result as a sentence names them; the fact waits for the group size."""
    printed, unit = news_unit(doc, g, s)
    f = say(doc, unit, name, rank=rank, rank_word=rank_word, **{g.field: g.val(s)}, **extra)
    g.waiting.append(f)
    return printed, f


def untied(g: Group, s: Standing) -> bool:
    return sum(1 for x in g.sts if x.rank == s.rank) == 1


def leading(g: Group) -> list[Standing]:
    """The first units with ranks 1, 2, 3 and no tie among them."""
    out = []
    for k, s in enumerate(g.sts[:3], 1):
        if s.rank != k or not untied(g, s):
            break
        out.append(s)
    return out


TOP_PATTERNS = [
    (
        "Đứng đầu {g} là {a} với {va}",
        ", đứng thứ hai là {b} với {vb}",
        ", đứng thứ ba là {c} với {vc}",
        ("đứng đầu", "đứng thứ hai", "đứng thứ ba"),
    ),
    ("Dẫn đầu {g} là {a} ({va})", "; tiếp đến là {b} ({vb})", " và {c} ({vc})", ("dẫn đầu", "tiếp đến", "tiếp đến")),
    (
        "{A} là đơn vị đạt điểm cao nhất {g} ({va})",
        ", xếp thứ nhì là {b} ({vb})",
        ", xếp thứ ba là {c} ({vc})",
        ("điểm cao nhất", "thứ nhì", "thứ ba"),
    ),
    (
        "{A} xếp thứ nhất {g} với {va}",
        ", {b} xếp thứ nhì với {vb}",
        ", {c} xếp thứ ba với {vc}",
        ("xếp thứ nhất", "xếp thứ nhì", "xếp thứ ba"),
    ),
]


def top_sentence(doc: RankDoc, g: Group, phrase: str, name: str, mentioned: set) -> str | None:
    """ "Đứng đầu khối sở là A với 88,10 điểm, đứng thứ hai là B ..." or a tie at the top
    ("A và B cùng có số điểm cao nhất, đạt 91 điểm")."""
    first = [s for s in g.sts if s.rank == 1]
    if len(first) == 2:
        (pa, _), (pb, _) = (quote(doc, g, s, name, 1, "cùng có số điểm cao nhất") for s in first)
        mentioned.update(s.member for s in first)
        return f"{_upper_first(pa)} và {pb} cùng có số điểm cao nhất {phrase}, đạt {g.shown(first[0], doc.style)}."
    top = leading(g)
    if not top:
        return None
    head, second, third, words = doc.rng.choice(TOP_PATTERNS)
    parts = [head, second, third][: len(top)]
    text = ""
    for k, (s, part) in enumerate(zip(top, parts)):
        printed, _ = quote(doc, g, s, name, k + 1, words[k])
        key = "abc"[k]
        text += part.format(
            g=phrase, **{key: printed, key.upper(): _upper_first(printed), "v" + key: g.shown(s, doc.style)}
        )
        mentioned.add(s.member)
    return _upper_first(text) + "."


def last_sentence(doc: RankDoc, g: Group, phrase: str, name: str, mentioned: set) -> str | None:
    s = g.sts[-1]
    if not untied(g, s) or s.member in mentioned:
        return None
    pattern, word = doc.rng.choice(
        [
            ("Đứng cuối bảng {g} là {z} với {v}", "đứng cuối bảng"),
            ("{Z} xếp cuối {g} với {v}", "xếp cuối"),
            ("Thấp nhất {g} là {z} ({v})", "thấp nhất"),
        ]
    )
    printed, f = quote(doc, g, s, name, None, word)
    f["last"] = True  # its rank is the group size, when the article prints it
    mentioned.add(s.member)
    return pattern.format(g=phrase, z=printed, Z=_upper_first(printed), v=g.shown(s, doc.style)) + "."


def average_sentence(doc: RankDoc, g: Group, phrase: str, year: int | None = None) -> str:
    """ "Điểm trung bình của các sở, ban, ngành là 90,60": a group's value (an aggregate fact)."""
    y = year or doc.year
    sts = g.sts if year is None else by_rank(standings(g.bd, year))
    avg = mean_of([s.percent if g.field == "percent" else s.total for s in sts])
    label = f"Trung bình các {g.noun}"
    say(doc, label, f"Điểm trung bình {phrase}", year=y, aggregate=True, **{g.field: value(avg)})
    text = fmt_num(avg, doc.style, True) + ("%" if g.field == "percent" else "")
    if g.field == "percent":
        return doc.rng.choice(
            [f"Chỉ số trung bình của các {g.noun} đạt {text}.", f"Giá trị trung bình {phrase} là {text}."]
        )
    return doc.rng.choice(
        [f"Điểm số trung bình năm {y} của các {g.noun} là {text}.", f"Điểm trung bình của các {g.noun} là {text} điểm."]
    )


def count_sentence(doc: RankDoc, g: Group) -> str | None:
    """ "Trong số 19 cơ quan, có 14/19 cơ quan xếp loại xuất sắc ...": counts of units per
    grade, not results; it prints the group size."""
    scheme = scheme_of(g.bd, doc.year)
    if not scheme.grades:
        return None
    counts = Counter(grade_of(scheme, s.percent) for s in g.sts)
    parts = []
    for lo, grade in scheme.grades:
        if counts[grade]:
            c = _nth(doc.rng, counts[grade])
            parts.append(
                f"{c}/{g.n} {g.member_noun} xếp loại {grade.lower()}"
                if doc.rng.random() < 0.5
                else f"{c} {g.member_noun} xếp loại {grade.lower()}" + (f" (đạt từ {lo // 100}% trở lên)" if lo else "")
            )
    g.size_printed = True
    return f"Trong số {g.n} {g.noun}, có " + ", ".join(parts) + "."


def mover_sentence(doc: RankDoc, g: Group, name: str, mentioned: set) -> str | None:
    """ "Năm 2023, Chỉ số CCHC của huyện X đạt 87,16/100 điểm (tăng 6,22 điểm so với năm
    2022), xếp thứ 3/17 ..., tăng 4 bậc": a unit's result against last year."""
    prev = {s.member: s for s in standings(g.bd, doc.year - 1)}
    cands = [s for s in g.sts if s.member not in mentioned and s.member in prev and untied(g, s)]
    if not cands:
        return None
    s = doc.rng.choice(cands)
    p = prev[s.member]
    k = p.rank - s.rank
    d = (s.percent - p.percent) if g.field == "percent" else (s.total - p.total)
    out_of = doc.rng.random() < 0.4 and g.field == "score" and s.max == 10000
    printed, f = quote(
        doc, g, s, name, s.rank, None, delta=value(d) if d else None, rank_delta=k, max=100.0 if out_of else None
    )
    f["rank_of"] = g.n  # printed here: "3/17"
    g.size_printed = True
    mentioned.add(s.member)
    shown = g.shown(s, doc.style, bare=out_of) + ("/100 điểm" if out_of else "")
    unit_w = "%" if g.field == "percent" else " điểm"
    change = (
        f"{'tăng' if d > 0 else 'giảm'} {fmt_num(abs(d), doc.style, True)}{unit_w} so với năm {doc.year - 1}"
        if d
        else ""
    )
    moved = (
        f"tăng {_nth(doc.rng, k)} bậc" if k > 0 else f"giảm {-k} bậc" if k < 0 else "giữ nguyên vị trí"
    ) + f" so với năm {doc.year - 1}"
    text = f"Năm {doc.year}, {name} của {printed} đạt {shown}"
    text += f" ({change})" if change else ""
    return text + f", xếp thứ {s.rank}/{g.n} {g.noun}, {moved}."


def close_groups(groups: list[Group]) -> None:
    """What the group size printed anywhere in the article tells: rank_of, and the rank of
    the unit "xếp cuối" (realdocs r02, r28)."""
    for g in groups:
        for f in g.waiting:
            last = f.pop("last", False)
            if g.size_printed:
                f["rank_of"] = f["rank_of"] or g.n
                if last:
                    f["rank"] = g.n


def province_groups(doc: RankDoc, province: str) -> list[Group]:
    rng, y = doc.rng, doc.year
    scheme = scheme_of(BlockDef("department", province), y)
    field_ = "percent" if scheme.per_row_max or rng.random() < 0.5 else "score"
    dep, dis = BlockDef("department", province), BlockDef("district", province)
    words = units_word(Unit("", "huyện", province, "district"))
    return [
        Group(
            dep,
            by_rank(standings(dep, y)),
            "sở, ban, ngành",
            "cơ quan",
            "abbrev" if rng.random() < 0.3 else "full",
            field_,
        ),
        Group(dis, by_rank(standings(dis, y)), words, "địa phương", rng.choice(["ubnd", "full", "abbrev"]), field_),
    ]


def news_province(doc: RankDoc) -> list[str]:
    """A provincial paper on the province's decision: leaders, last units, averages, a mover."""
    rng, y = doc.rng, doc.year
    province = doc.province
    groups = province_groups(doc, province)
    name = rng.choice(["Chỉ số cải cách hành chính", "Chỉ số CCHC"])
    day, month, pub = doc.pub
    paras = [
        f"Ngày {day}/{month}/{pub}, UBND {province_full(province)} ban hành Quyết định số {rng.randint(100, 3200)}"
        f"/QĐ-UBND công bố {index_title('PAR_INDEX', y)} của các sở, ban, ngành và UBND các {groups[1].noun}."
    ]
    mentioned: set = set()
    phrases = [
        rng.choice(["khối sở, ban, ngành", "trong các sở, ban, ngành"]),
        rng.choice([f"khối {groups[1].noun}", "cấp huyện"]),
    ]
    both = rng.random() < 0.25 and all(untied(g, g.sts[0]) for g in groups)
    if both:  # "A và X ... cao nhất ..., lần lượt là 95,77% và 95,39%"
        (pa, _), (px, _) = (quote(doc, g, g.sts[0], name, 1, "cao nhất") for g in groups)
        mentioned.update(g.sts[0].member for g in groups)
        paras.append(
            f"{_upper_first(pa)} và {px} là hai đơn vị có {name} cao nhất "
            f"trong các sở, ban, ngành và {groups[1].noun}, lần lượt là {groups[0].shown(groups[0].sts[0], doc.style)} "
            f"và {groups[1].shown(groups[1].sts[0], doc.style)}."
        )
    for g, phrase in zip(groups, phrases):
        sentences = []
        if rng.random() < 0.55:
            sentences.append(count_sentence(doc, g))
        if rng.random() < 0.4:
            sentences.append(average_sentence(doc, g, f"các {g.noun}"))
        if not both:
            sentences.append(top_sentence(doc, g, phrase, name, mentioned))
        if rng.random() < 0.6:
            sentences.append(last_sentence(doc, g, phrase, name, mentioned))
        paras.append(" ".join(s for s in sentences if s))
    if rng.random() < 0.6:
        paras.append(mover_sentence(doc, groups[1], name, mentioned) or "")
    paras.append(
        rng.choice(
            [
                f"Đây là năm thứ {y - rng_for('first year', province).randint(2013, 2017) + 1} {province_full(province)} tổ chức "
                f"xác định Chỉ số cải cách hành chính đối với các cơ quan, đơn vị, địa phương.",
                "Kết quả Chỉ số là cơ sở để các cơ quan, đơn vị rà soát, khắc phục tồn tại, hạn chế trong năm tới.",
                f"Các đơn vị đạt từ {scheme_of(groups[0].bd, y).grades[0][0] // 100}% trở lên được xếp loại "
                f"{scheme_of(groups[0].bd, y).grades[0][1].lower()}.",
            ]
        )
    )
    close_groups(groups)
    doc.notes.append(
        f"results quoted as {'percentages' if groups[0].field == 'percent' else 'points'}; "
        f"group sizes {'printed' if any(g.size_printed for g in groups) else 'not printed'}"
    )
    return [p for p in paras if p]


def national_group(doc: RankDoc, bd: BlockDef, kind: str) -> Group:
    y = doc.year
    sts = by_rank(standings(bd, y))
    if kind == "ministry":
        return Group(
            bd, sts, "bộ, cơ quan ngang bộ", "bộ, ngành", "abbrev" if doc.rng.random() < 0.2 else "full", "percent"
        )
    field_ = "percent" if bd.framework == "SIPAS" or doc.rng.random() < 0.75 else "score"
    return Group(bd, sts, "tỉnh, thành phố", "tỉnh, thành phố", doc.rng.choice(["bare", "full"]), field_)


def news_national(doc: RankDoc, bd: BlockDef, kind: str) -> list[str]:
    """The national ranking of provinces or ministries in a national paper: the average,
    the leaders, ranks in parentheses, the last, units that moved."""
    rng, y = doc.rng, doc.year
    g = national_group(doc, bd, kind)
    sipas = bd.framework == "SIPAS"
    name = "Chỉ số SIPAS" if sipas else rng.choice(["PAR INDEX", "Chỉ số CCHC", "Chỉ số cải cách hành chính"])
    day, month, pub = doc.pub
    paras = [
        f"Ngày {day}/{month}/{pub}, Bộ Nội vụ công bố {index_title(bd.framework, y)} của các bộ, cơ quan ngang bộ "
        f"và UBND các tỉnh, thành phố trực thuộc Trung ương. Đây là {rng.choice(['năm thứ', 'lần thứ'])} {y - 2011} "
        f"Bộ Nội vụ công bố Chỉ số."
    ]
    if kind == "ministry" and rng.random() < 0.5:
        paras.append("Hai cơ quan đặc thù (Thanh tra Chính phủ và Ủy ban Dân tộc) không xếp hạng chung.")
    mentioned: set = set()
    first = []
    if rng.random() < 0.7:
        first.append(national_average(doc, g, name))
    where = "cả nước" if kind == "province" else "khối bộ, ngành"
    first.append(top_sentence(doc, g, where, name, mentioned))
    paras.append(" ".join(s for s in first if s))
    more = [s for s in g.sts[3:6] if untied(g, s) and s.member not in mentioned]
    if more and rng.random() < 0.6:
        items = []
        for s in more:
            printed, _ = quote(doc, g, s, name, s.rank)
            items.append(f"{printed} ({g.shown(s, doc.style)}, xếp thứ {s.rank})")
            mentioned.add(s.member)
        paras.append("Các vị trí tiếp theo là " + ", ".join(items) + ".")
    paras.append(last_sentence(doc, g, where, name, mentioned) or "")
    if y < 2025:
        for _ in range(rng.randint(1, 2)):
            paras.append(mover_sentence(doc, g, name, mentioned) or "")
        if kind == "province" and rng.random() < 0.5:
            paras.append(regional_sentence(doc, g, name, mentioned) or "")
    if rng.random() < 0.5:
        n90 = sum(1 for s in g.sts if s.percent >= 9000)
        paras.append(f"Có {n90}/{g.n} {g.member_noun} đạt từ 90% trở lên; nhóm còn lại đạt từ 80% đến dưới 90%.")
        g.size_printed = True
    close_groups([g])
    return [p for p in paras if p]


def national_average(doc: RankDoc, g: Group, name: str) -> str:
    """ "Giá trị trung bình ... của 63 tỉnh, thành phố đạt 88,37%, tăng 1,39% so với năm 2023"."""
    y = doc.year
    cur = mean_of([s.percent for s in g.sts])
    label = "cả nước" if g.bd.kind == "province" else f"{g.n} {g.noun}"
    text = f"Giá trị trung bình {name} năm {y} của {g.n} {g.noun} đạt {fmt_num(cur, doc.style, True)}%"
    delta = None
    if y < 2025 and mean_of([s.percent for s in standings(g.bd, y - 1)]) != cur:
        prev = mean_of([s.percent for s in standings(g.bd, y - 1)])
        delta = cur - prev
        text += f", {'tăng' if delta > 0 else 'giảm'} {fmt_num(abs(delta), doc.style, True)}% so với năm {y - 1}"
        if doc.rng.random() < 0.4:
            text += f" ({fmt_num(prev, doc.style, True)}%)"
            say(doc, label, f"giá trị trung bình {name} năm {y - 1}", year=y - 1, aggregate=True, percent=value(prev))
    say(
        doc,
        label,
        f"giá trị trung bình {name}",
        aggregate=True,
        percent=value(cur),
        delta=value(delta) if delta else None,
    )
    g.size_printed = True
    return text + "."


def regional_sentence(doc: RankDoc, g: Group, name: str, mentioned: set) -> str | None:
    """ "Trà Vinh xếp thứ 48/63, đứng thứ 7/13 tỉnh khu vực ĐBSCL": a national and a regional rank."""
    cands = [s for s in g.sts if s.member not in mentioned and region_of(s.member.name) and untied(g, s)]
    if not cands:
        return None
    s = doc.rng.choice(cands)
    region = region_of(s.member.name)
    peers = [x for x in g.sts if x.member.name in REGIONS[region]]
    rr = competition_ranks([x.percent for x in peers])[peers.index(s)]
    printed, f = quote(doc, g, s, name, s.rank)
    f["rank_of"] = g.n
    g.size_printed = True
    say(
        doc,
        f["unit"],
        f"{name} khu vực {REGION_SHORT[region]}",
        rank=rr,
        rank_of=len(peers),
        note=f"regional rank among the {len(peers)} provinces of {region}",
    )
    mentioned.add(s.member)
    return (
        f"Năm {doc.year}, {name} của {printed} đạt {g.shown(s, doc.style)}, xếp thứ {s.rank}/{g.n} cả nước và "
        f"đứng thứ {rr}/{len(peers)} tỉnh, thành phố khu vực {REGION_SHORT[region]}."
    )


def news_own_province(doc: RankDoc) -> list[str]:
    """A province's paper on its own national results: PAR INDEX and SIPAS, national and
    regional ranks, changes against last year (realdocs r19, r28, r29)."""
    rng, y = doc.rng, doc.year
    par, sipas = BlockDef("province"), BlockDef("province", framework="SIPAS")
    g = national_group(doc, par, "province")
    s = next(x for x in g.sts if x.member.name == doc.province)
    printed, unit = news_unit(doc, g, s)
    prev = {x.member: x for x in standings(par, y - 1)}[s.member]
    k = prev.rank - s.rank
    d = (s.percent - prev.percent) if g.field == "percent" else (s.total - prev.total)
    unit_w = "%" if g.field == "percent" else " điểm"
    moved = f"tăng {_nth(rng, k)} bậc" if k > 0 else (f"giảm {-k} bậc" if k < 0 else "giữ nguyên vị trí")
    change = (
        f"{'tăng' if d > 0 else 'giảm'} {fmt_num(abs(d), doc.style, True)}{unit_w} so với năm {y - 1}; " if d else ""
    )
    text = (
        f"Năm {y}, Chỉ số cải cách hành chính (PAR INDEX) của {printed} đạt {g.shown(s, doc.style)}, {change}"
        f"xếp thứ {s.rank}/{g.n} tỉnh, thành phố, {moved} so với năm {y - 1}"
    )
    say(
        doc,
        unit,
        "Chỉ số cải cách hành chính (PAR INDEX)",
        rank=s.rank,
        rank_of=g.n,
        rank_delta=k,
        delta=value(d) if d else None,
        **{g.field: g.val(s)},
    )
    region = region_of(doc.province)
    peers = [x for x in g.sts if x.member.name in REGIONS[region]]
    rr = competition_ranks([x.percent for x in peers])[peers.index(s)]
    text += f"; đứng thứ {rr}/{len(peers)} tỉnh, thành phố khu vực {REGION_SHORT[region]}."
    say(
        doc,
        unit,
        f"PAR INDEX khu vực {REGION_SHORT[region]}",
        rank=rr,
        rank_of=len(peers),
        note=f"regional rank among the {len(peers)} provinces of {region}",
    )
    paras = [text]
    ss = {x.member: x for x in standings(sipas, y)}[s.member]
    if rng.random() < 0.7:
        paras.append(
            f"Chỉ số hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước (SIPAS) "
            f"năm {y} của tỉnh đạt {fmt_num(ss.percent, doc.style, True)}%, xếp thứ {ss.rank}/{g.n}."
        )
        say(doc, unit, "Chỉ số SIPAS", framework="SIPAS", percent=value(ss.percent), rank=ss.rank, rank_of=g.n)
    paras.append(
        rng.choice(
            [
                "Kết quả trên ghi nhận nỗ lực của các cấp, các ngành trong công tác cải cách hành chính.",
                f"Tỉnh đặt mục tiêu đến năm {y + 2} nằm trong nhóm 20 địa phương dẫn đầu cả nước.",
            ]
        )
    )
    doc.notes.append("one province's national results; 'của tỉnh' refers back to it")
    return paras


def make_news(doc: RankDoc, rate: float) -> None:
    """News articles carry no injected inconsistency: they quote what the tables print."""
    rng = doc.rng
    scope = rng.choices(["province", "national", "ministry", "own"], [50, 20, 10, 20])[0]
    if scope == "province":
        doc.province = rng.choice(complete_provinces())
        doc.year = rng.choice(list(RANK_YEARS))
        doc.pub = _date(rng, doc.year)
        paras = news_province(doc)
        doc.levels.update({"department": 1})
        title = f"{doc.province} công bố {index_title('PAR_INDEX', doc.year)}"
    elif scope == "own":
        doc.province = rng.choice([p for p in complete_provinces() if region_of(p)])
        doc.year = rng.choice(list(RANK_YEARS)[1:])
        doc.pub = _date(rng, doc.year)
        paras = news_own_province(doc)
        doc.levels.update({"province": 1})
        title = f"{doc.province}: {index_title('PAR_INDEX', doc.year)}"
    else:
        kind = "ministry" if scope == "ministry" else "province"
        fw = "SIPAS" if kind == "province" and rng.random() < 0.25 else "PAR_INDEX"
        doc.framework = fw
        doc.year = rng.choice(list(RANK_YEARS) + ([2025] if kind == "province" and fw == "PAR_INDEX" else []))
        doc.pub = _date(rng, doc.year)
        paras = news_national(doc, BlockDef(kind, framework=fw), kind)
        doc.levels.update({LEVEL_OF_KIND[kind]: 1})
        title = f"Công bố {index_title(fw, doc.year)}"
    doc.scope = f"news {scope}"
    day, month, pub = doc.pub
    doc.blocks = [
        ("title", title),
        ("date", f"Cập nhật ngày: {day:02d}/{month:02d}/{pub} - {rng.randint(7, 21):02d}:{rng.randint(0, 59):02d}"),
    ]
    doc.blocks += [("para", p) for p in paras]
    doc.blocks.append(("para", rng.choice(SIGNERS)))


def _upper_first(s: str) -> str:
    return s[:1].upper() + s[1:]


# ======================================================================================
# documents about many units: renderers
# ======================================================================================


@functools.lru_cache(maxsize=1)
def _rank_styles() -> dict:
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle

    S = dict(_styles())
    S["subtitle"] = ParagraphStyle("subtitle", S["para"], fontName="DejaVuSans-Oblique", alignment=TA_CENTER)
    S["date"] = ParagraphStyle("date", S["para"], fontName="DejaVuSans-Oblique", fontSize=9)
    S["line"] = ParagraphStyle("line", S["para"], fontSize=9.5, leading=12, spaceAfter=1, alignment=0)
    return S


def _rank_pdf_table(t: RTable, style: Style, avail: float, S: dict):
    from reportlab.lib import colors
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, Table

    head, hspans = rank_header_rows(t)
    nh = len(head)
    data = [[Paragraph(_esc(c), S["head"]) if c else "" for c in row] for row in head]
    rules = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("FONTNAME", (0, nh), (-1, -1), "DejaVuSans"),
        ("FONTSIZE", (0, nh), (-1, -1), 8),
        ("ALIGN", (0, nh), (-1, -1), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    rules += [("SPAN", (c0, r0), (c1, r1)) for r0, c0, r1, c1 in hspans]
    for i, (kind, cells) in enumerate(rank_body(t, style)):
        r = nh + i
        if kind == "block":  # "I | Các sở, ban, ngành" across the table
            data.append([cells[0], Paragraph(_esc(cells[1]), S["cell_b"])] + [""] * (len(cells) - 2))
            rules += [("SPAN", (1, r), (-1, r)), ("FONTNAME", (0, r), (-1, r), "DejaVuSans-Bold")]
            continue
        data.append(
            [
                Paragraph(_esc(c), S["cell_b" if kind == "average" else "cell"]) if t.cols[j].role == "name" else nfc(c)
                for j, c in enumerate(cells)
            ]
        )
    total = sum(c.width for c in t.cols)
    widths = [c.width / total * min(avail, total * cm * 1.3) for c in t.cols]
    return Table(data, colWidths=widths, repeatRows=nh, style=rules, hAlign="CENTER")


def render_rank_pdf(doc: RankDoc) -> bytes:
    """Ruled tables continued over pages with their header repeated (reportlab repeatRows)."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import cm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table

    _fonts()
    S = _rank_styles()
    pagesize = landscape(A4) if doc.landscape else A4
    margin = 1.5 * cm
    avail = pagesize[0] - 2 * margin
    story: list = []
    for b in doc.blocks:
        kind = b[0]
        if kind == "org":
            cols = [[Paragraph(_esc(x), S["org"]) for x in side] for side in (b[1], b[2])]
            story += [
                Table([cols], colWidths=[avail * 0.4, avail * 0.6], style=[("VALIGN", (0, 0), (-1, -1), "TOP")]),
                Spacer(1, 0.2 * cm),
            ]
        elif kind == "table":
            story += [_rank_pdf_table(b[1], doc.style, avail, S), Spacer(1, 0.3 * cm)]
        elif kind == "lines":
            story += [Paragraph(_esc(line), S["line"]) for line in b[1]]
        elif kind == "pagebreak":
            story.append(PageBreak())
        elif kind == "sign":
            story += [Paragraph(_esc(x), S["sign"]) for x in b[1]]
        else:
            story.append(Paragraph(_esc(b[1]), S[kind]))
    buf = io.BytesIO()
    SimpleDocTemplate(
        buf,
        pagesize=pagesize,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=nfc(rank_title(doc)),
        author="",
        subject="",
        creator="parindex benchmarks/corpus.py",
        invariant=1,
    ).build(story)
    return buf.getvalue()


def rank_title(doc: RankDoc) -> str:
    titles = [b[1] for b in doc.blocks if b[0] == "title" and len(b[1]) > 12]
    return titles[0] if titles else doc.stem


def render_rank_scanned(doc: RankDoc) -> bytes:
    return render_scanned(doc, render_rank_pdf)


def render_rank_docx(doc: RankDoc) -> bytes:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Cm, Pt

    d = _docx_document(rank_title(doc), doc.landscape)
    width = 27.0 if doc.landscape else 17.4

    def word_table(t: RTable):
        head, hspans = rank_header_rows(t)
        body = rank_body(t, doc.style)
        table = d.add_table(rows=len(head) + len(body), cols=len(t.cols))
        table.style = "Table Grid"
        for i, line in enumerate(head + [cells for _, cells in body]):
            kind = "head" if i < len(head) else body[i - len(head)][0]
            for j, text in enumerate(line):
                if text:
                    run = table.rows[i].cells[j].paragraphs[0].add_run(nfc(text))
                    run.font.size, run.bold = Pt(10), kind in ("head", "block", "average")
                    if kind == "head" or t.cols[j].role != "name":
                        table.rows[i].cells[j].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        for i in range(len(head)):
            _docx_repeat_header(table.rows[i])
        merges = list(hspans) + [
            (len(head) + i, 1, len(head) + i, len(t.cols) - 1) for i, (kind, _) in enumerate(body) if kind == "block"
        ]
        for r0, c0, r1, c1 in merges:
            _docx_merge(table, r0, c0, r1, c1)
        total = sum(c.width for c in t.cols)
        for j, col in enumerate(table.columns):
            for cell in col.cells:
                cell.width = Cm(t.cols[j].width / total * width)

    for b in doc.blocks:
        kind = b[0]
        if kind == "org":
            for x in b[1] + b[2]:
                _docx_para(d, x, bold=True, align="center", size=12)
        elif kind in ("right", "date"):
            _docx_para(d, b[1], italic=True, align="right")
        elif kind == "title":
            _docx_para(d, b[1], bold=True, align="center")
        elif kind == "subtitle":
            _docx_para(d, b[1], italic=True, align="center")
        elif kind == "heading":
            _docx_para(d, b[1], bold=True)
        elif kind == "table":
            word_table(b[1])
            d.add_paragraph()
        elif kind == "lines":
            for line in b[1]:
                _docx_para(d, line)
        elif kind == "pagebreak":
            d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif kind == "sign":
            for x in b[1]:
                _docx_para(d, x, bold=True, align="right")
        else:
            _docx_para(d, b[1])
    buf = io.BytesIO()
    d.save(buf)
    return _fix_zip(buf.getvalue())


def _rank_html_table(t: RTable, style: Style) -> str:
    head, hspans = rank_header_rows(t)
    span_at = {(r0, c0): (r1 - r0 + 1, c1 - c0 + 1) for r0, c0, r1, c1 in hspans}
    covered = {(r, c) for r0, c0, r1, c1 in hspans for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)} - set(span_at)
    lines = [
        '<table class="tbl" border="1" cellspacing="0" cellpadding="4" style="border-collapse:collapse">',
        "<thead>",
    ]
    for i, row in enumerate(head):
        cells = []
        for j, text in enumerate(row):
            if (i, j) in covered:
                continue
            rs, cs = span_at.get((i, j), (1, 1))
            attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
            cells.append(f"<th{attrs}>{_esc(text)}</th>")
        lines.append("<tr>" + "".join(cells) + "</tr>")
    lines += ["</thead>", "<tbody>"]
    for kind, cells in rank_body(t, style):
        if kind == "block":
            lines.append(
                f'<tr><td style="text-align:center"><strong>{_esc(cells[0])}</strong></td>'
                f'<td colspan="{len(cells) - 1}"><strong>{_esc(cells[1])}</strong></td></tr>'
            )
            continue
        tds = []
        for j, text in enumerate(cells):
            content = _esc(text) if text else "&nbsp;"
            if kind == "average":
                content = f"<strong>{content}</strong>"
            align = "left" if t.cols[j].role == "name" else "center"
            tds.append(f'<td style="text-align:{align}">{content}</td>')
        lines.append("<tr>" + "".join(tds) + "</tr>")
    lines += ["</tbody>", "</table>"]
    return "\n".join(lines)


def render_rank_html(doc: RankDoc) -> bytes:
    """A portal page: the article (or the decision's text), its table or its lines."""
    out = [
        "<!DOCTYPE html>",
        '<html lang="vi">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{_esc(rank_title(doc))}</title>",
        "</head>",
        "<body>",
        '<nav class="menu"><ul><li>Trang chủ</li><li>Tin tức</li><li>Cải cách hành chính</li></ul></nav>',
        "<main>",
        '<article class="news-detail">',
    ]
    br_lines = rng_for("html lines", doc.index).random() < 0.5
    first_title = True
    for b in doc.blocks:
        kind = b[0]
        if kind in ("org", "sign", "pagebreak"):
            continue
        if kind == "title":
            out.append(f'<h1 class="title">{_esc(b[1])}</h1>' if first_title else f"<h3>{_esc(b[1])}</h3>")
            first_title = False
        elif kind == "date":
            out.append(f'<p class="date"><time>{_esc(b[1])}</time></p>')
        elif kind == "heading":
            out.append(f"<h3>{_esc(b[1])}</h3>")
        elif kind == "subtitle":
            out.append(f"<p><em>{_esc(b[1])}</em></p>")
        elif kind == "table":
            out.append(_rank_html_table(b[1], doc.style))
        elif kind == "lines":
            if br_lines:  # one paragraph, a line break per row
                out.append("<p>" + "<br>\n".join(_esc(x) for x in b[1]) + "</p>")
            else:
                out += [f"<p>{_esc(x)}</p>" for x in b[1]]
        else:
            out.append(f"<p>{_esc(b[1])}</p>")
    out += [
        "</article>",
        '<aside class="news-extra"><h4>Tin liên quan</h4><ul><li>Hội nghị triển khai nhiệm vụ '
        "cải cách hành chính năm 2024</li><li>Đẩy mạnh chuyển đổi số trong giải quyết thủ tục hành chính</li></ul>"
        "</aside>",
        "</main>",
        "<footer><p>Cổng thông tin điện tử</p></footer>",
        "</body>",
        "</html>",
    ]
    return nfc("\n".join(out) + "\n").encode("utf-8")


def render_rank_xlsx(doc: RankDoc) -> bytes:
    """The appendix as a workbook: numbers stored as numbers, percentages sometimes as a
    0.00% format, the heading rows merged across the table."""
    import datetime as dt

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "Phụ lục"
    fixed = dt.datetime(*FIXED_DATE)
    wb.properties.created = wb.properties.modified = fixed
    wb.properties.creator = ""
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    bold = Font(bold=True)
    n_cols = max(len(t.cols) for t in doc.tables)
    number_format = "0.00" if doc.style.fixed2 else "General"
    r = 1

    def text_row(text: str, is_bold: bool = False):
        nonlocal r
        ws.cell(row=r, column=1, value=nfc(text)).font = Font(bold=is_bold)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=n_cols)
        r += 1

    def sheet_table(t: RTable):
        nonlocal r
        head, hspans = rank_header_rows(t)
        top = r
        for line in head:
            for j, text in enumerate(line):
                c = ws.cell(row=r, column=j + 1, value=nfc(text) if text else None)
                c.font, c.border = bold, border
                c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            r += 1
        for r0, c0, r1, c1 in hspans:
            ws.merge_cells(start_row=top + r0, start_column=c0 + 1, end_row=top + r1, end_column=c1 + 1)
        for b in t.blocks:
            if b.roman:
                ws.cell(row=r, column=1, value=b.roman).font = bold
                ws.cell(row=r, column=2, value=nfc(b.heading)).font = bold
                ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=len(t.cols))
                r += 1
            for row in b.rows:
                for j, col in enumerate(t.cols):
                    v, fmt = xlsx_value(row, col, doc.style, number_format)
                    c = ws.cell(row=r, column=j + 1, value=v)
                    if fmt:
                        c.number_format = fmt
                    c.border = border
                    if row.aggregate:
                        c.font = bold
                r += 1
        for j, col in enumerate(t.cols):
            ws.column_dimensions[get_column_letter(j + 1)].width = col.width * 5

    for b in doc.blocks:
        kind = b[0]
        if kind == "org":
            text_row(" ".join(b[1]), True)
        elif kind in ("title", "subtitle", "heading"):
            text_row(b[1], kind == "title")
        elif kind == "para":
            text_row(b[1])
        elif kind == "table":
            r += 1
            sheet_table(b[1])
            r += 1
    buf = io.BytesIO()
    wb.save(buf)
    return _fix_zip(buf.getvalue())


def xlsx_value(row: RRow, col: RCol, style: Style, number_format: str) -> tuple[object, str | None]:
    """A cell's stored value and number format: numbers as numbers (a percent printed with
    its sign as 0.9685 under 0.00%)."""
    if col.role == "stt":
        return (int(row.stt) if row.stt.isdigit() else (row.stt or None)), None
    if col.role == "rank":
        if row.aggregate:
            return None, None
        return (row.rank if row.rank is not None else "-"), None
    if col.role != "value":
        text = rank_cell_text(row, col, style)
        return (nfc(text) if text else None), None
    v = row.cells.get((col.code, col.field))
    if v is None:
        return (None if row.aggregate else "-"), None
    if col.field == "rank_delta":
        return v, None
    if col.pct_sign:
        return round(v / 10000, 4), "0.00%"
    return round(v / 100, 2), number_format


def render_rank_text(doc: RankDoc) -> bytes:
    """Plain text: tables tab-separated like the seeds, lines as they are."""
    lines: list[str] = []
    for b in doc.blocks:
        kind = b[0]
        if kind == "org":
            lines += b[1] + [""] + b[2] + [""]
        elif kind == "table":
            t = b[1]
            head, _ = rank_header_rows(t)
            lines += [""] + ["\t".join(row) for row in head]
            lines += [
                "\t".join(cells[:2]) if k == "block" else "\t".join(cells) for k, cells in rank_body(t, doc.style)
            ]
            lines.append("")
        elif kind == "lines":
            lines += b[1] + [""]
        elif kind == "sign":
            lines += b[1]
        elif kind == "pagebreak":
            lines.append("")
        else:
            lines += [b[1], ""]
    return nfc("\n".join(lines) + "\n").encode("utf-8")


RANK_RENDERERS = {
    "pdf": render_rank_pdf,
    "docx": render_rank_docx,
    "html": render_rank_html,
    "xlsx": render_rank_xlsx,
    "text": render_rank_text,
    "scanned": render_rank_scanned,
}
RANK_MAKERS = {"decision": make_decision, "lines": make_lines, "national": make_national, "news": make_news}


def make_rank_doc(index: int, shape: str, fmt: str, rate: float) -> RankDoc:
    rng = rng_for("rank doc", index)
    style = Style(decimal="." if rng.random() < 0.25 else ",", fixed2=rng.random() < 0.75, code_style="dot")
    stem = f"{index:05d}_{hashlib.sha256(f'{_SEED}:{index}'.encode()).hexdigest()[:16]}"
    doc = RankDoc(index, stem, shape, fmt, rng, style)
    RANK_MAKERS[shape](doc, rate)
    return doc


# ======================================================================================
# driver
# ======================================================================================

# values drawn from the seed: cached per process, so forgotten when the seed changes
SEEDED_CACHES = (canonical, ranking, standings, scheme_of, departments_of, central_agencies_of, offices_of)


def _init(seed: int) -> None:
    global _SEED
    _SEED = seed
    for cached in SEEDED_CACHES:
        cached.cache_clear()
    structures()
    all_units()
    province_types()


def make_document(args: tuple) -> dict:
    index, shape, fmt, rate, out_dir = args
    if shape != "report":
        return make_ranking_document(index, shape, fmt, rate, out_dir)
    spec = make_spec(index, fmt, rate)
    data = RENDERERS[fmt](spec)
    name = spec.stem + "." + EXTENSIONS[fmt]
    (Path(out_dir) / name).write_bytes(data)
    truth = truth_of(spec)
    return {
        "name": name,
        "stem": spec.stem,
        "truth": truth,
        "format": fmt,
        "shape": shape,
        "version": spec.struct.version,
        "family": spec.family.key,
        "unit": spec.unit.name,
        "province": spec.unit.province,
        "year": spec.year,
        "tables": len(spec.tables),
        "rows": sum(len(t.rows) or len(t.year_rows) for t in spec.tables),
        "facts": len(truth["facts"]),
        "rules": "|".join(i["rule"] for i in truth["inconsistencies"]),
        "bytes": len(data),
        "pages": _pages(fmt, data),
    }


def make_ranking_document(index: int, shape: str, fmt: str, rate: float, out_dir: str) -> dict:
    doc = make_rank_doc(index, shape, fmt, rate)
    data = RANK_RENDERERS[fmt](doc)
    name = doc.stem + "." + EXTENSIONS[fmt]
    (Path(out_dir) / name).write_bytes(data)
    truth = rank_truth(doc)
    return {
        "name": name,
        "stem": doc.stem,
        "truth": truth,
        "format": fmt,
        "shape": shape,
        "version": doc.framework,
        "family": doc.scope,
        "unit": "",
        "province": doc.province or "",
        "year": doc.year,
        "tables": len(doc.tables),
        "rows": sum(len(b.rows) for t in doc.tables for b in t.blocks),
        "facts": len(truth["facts"]),
        "rules": "|".join(i["rule"] for i in truth["inconsistencies"]),
        "bytes": len(data),
        "pages": _pages(fmt, data),
    }


def _pages(fmt: str, data: bytes) -> int | None:
    return len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", data)) if fmt in ("pdf", "scanned") else None


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


def parse_shapes(text: str | None) -> dict[str, float]:
    """ "ranking" (every shape about many units), "report", "all", or a weighted list
    ("report=30,decision=70"); default: SHAPE_WEIGHTS."""
    if not text:
        return dict(SHAPE_WEIGHTS)
    out: dict[str, float] = {}
    for part in text.split(","):
        name, _, w = part.strip().lower().replace(":", "=").partition("=")
        if not name:
            continue
        names = SHAPE_GROUPS.get(name, (name,))
        for n in names:
            if n not in SHAPE_WEIGHTS:
                raise SystemExit(f"unknown shape {n!r} (choose from {', '.join(SHAPE_WEIGHTS)}, ranking, all)")
            out[n] = float(w) if w and len(names) == 1 else SHAPE_WEIGHTS[n]
    return out


def shape_formats(shape: str, formats: dict[str, float] | None) -> dict[str, float]:
    """The formats a shape is made in: its own default mix, or the formats asked for that it
    can be made in, with their weights."""
    own = SHAPE_FORMATS[shape]
    if formats is None:
        return {f: w for f, w in own.items() if w > 0}
    return {f: w for f, w in formats.items() if f in own and w > 0}


def weighted_plan(n: int, weights: dict[str, float], stream: str) -> list[str]:
    """Keys in proportion to the weights (largest remainder), then shuffled by the stream."""
    total = sum(weights.values())
    exact = {k: n * w / total for k, w in weights.items()}
    counts = {k: int(math.floor(v)) for k, v in exact.items()}
    for k in sorted(exact, key=lambda k: (-(exact[k] - counts[k]), k))[: n - sum(counts.values())]:
        counts[k] += 1
    plan = [k for k in sorted(counts) for _ in range(counts[k])]
    random.Random(stream).shuffle(plan)
    return plan


def format_plan(n: int, weights: dict[str, float], seed: int) -> list[str]:
    return weighted_plan(n, weights, f"{seed}:formats")


def document_plan(
    n: int, shapes: dict[str, float], formats: dict[str, float] | None, seed: int
) -> list[tuple[str, str]]:
    """(shape, format) per document. Reports alone are planned exactly as before shapes
    existed, so `--shapes report` makes the same files as earlier versions."""
    shapes = {s: w for s, w in shapes.items() if w > 0 and shape_formats(s, formats)}
    if not shapes:
        raise SystemExit("none of the shapes asked for can be made in the formats asked for")
    plan = weighted_plan(n, shapes, f"{seed}:shapes") if len(shapes) > 1 else [next(iter(shapes))] * n
    out: list[tuple[str, str]] = [("", "")] * n
    for shape in sorted(set(plan)):
        where = [i for i, s in enumerate(plan) if s == shape]
        stream = f"{seed}:formats" if shape == "report" else f"{seed}:formats:{shape}"
        for i, fmt in zip(where, weighted_plan(len(where), shape_formats(shape, formats), stream)):
            out[i] = (shape, fmt)
    return out


def generate(
    out_dir: Path,
    n: int,
    seed: int = 1,
    formats: dict[str, float] | None = None,
    truth_dir: Path | None = None,
    rate: float = 0.2,
    workers: int | None = None,
    quiet: bool = True,
    shapes: dict[str, float] | None = None,
) -> list[dict]:
    out_dir = Path(out_dir)
    truth_dir = Path(truth_dir) if truth_dir else out_dir.resolve().parent / f"{out_dir.resolve().name}-truth"
    if truth_dir.resolve() == out_dir.resolve() or out_dir.resolve() in truth_dir.resolve().parents:
        raise SystemExit("the truth directory must not be inside the document folder (parindex would read the JSONs)")
    out_dir.mkdir(parents=True, exist_ok=True)
    truth_dir.mkdir(parents=True, exist_ok=True)
    plan = document_plan(n, shapes or SHAPE_WEIGHTS, formats, seed)
    jobs = [(i, shape, fmt, rate, str(out_dir)) for i, (shape, fmt) in enumerate(plan)]
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
            json.dumps(res["truth"], ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    with open(truth_dir / "manifest.csv", "w", encoding="utf-8", newline="") as f:
        cols = [
            "name",
            "shape",
            "format",
            "family",
            "version",
            "province",
            "unit",
            "year",
            "tables",
            "rows",
            "facts",
            "pages",
            "bytes",
            "rules",
        ]
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
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("out", type=Path, help="folder for the documents")
    ap.add_argument("--n", type=int, default=1000, help="number of documents (default 1000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--formats",
        help="comma list of pdf, docx, html, xlsx, text, scanned, optionally weighted "
        "(pdf=60,docx=40); default pdf 50, docx 20, html 15, xlsx 11, scanned 2, text 2",
    )
    ap.add_argument(
        "--shapes",
        help="comma list of report, decision, lines, national, news, or ranking (the "
        "last four) or all, optionally weighted (report=30,ranking); default report 30, "
        "decision 28, lines 7, national 10, news 25",
    )
    ap.add_argument("--truth", type=Path, help="folder for the truth JSONs (default OUT/../<OUT name>-truth)")
    ap.add_argument("--rate", type=float, default=0.2, help="share of documents with injected inconsistencies (0.2)")
    ap.add_argument("--workers", type=int, default=None, help="processes (default: one per core)")
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args(argv)
    start = time.time()
    results = generate(
        a.out,
        a.n,
        a.seed,
        parse_formats(a.formats) if a.formats else None,
        a.truth,
        a.rate,
        a.workers,
        a.quiet,
        parse_shapes(a.shapes),
    )
    secs = time.time() - start
    truth_dir = a.truth or a.out.resolve().parent / f"{a.out.resolve().name}-truth"
    by_fmt = Counter(r["format"] for r in results)
    by_shape = Counter(r["shape"] for r in results)
    rules = Counter(x for r in results for x in r["rules"].split("|") if x)
    pages = [r["pages"] for r in results if r["pages"]]
    print(f"{len(results)} documents in {secs:.1f}s -> {a.out}  (truth: {truth_dir})")
    print("shapes: " + ", ".join(f"{k} {v}" for k, v in sorted(by_shape.items())))
    print("formats: " + ", ".join(f"{k} {v}" for k, v in sorted(by_fmt.items())))
    print(
        f"facts: {sum(r['facts'] for r in results)}, documents with injected inconsistencies: "
        f"{sum(1 for r in results if r['rules'])} ({', '.join(f'{k} {v}' for k, v in sorted(rules.items()))})"
    )
    if pages:
        print(
            f"PDF pages per document: mean {sum(pages) / len(pages):.1f}, max {max(pages)}; "
            f"size {sum(r['bytes'] for r in results) / 1e6:.1f} MB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
