"""The canonical criteria catalog: versioned by framework, level, province and years.

Data lives in `normalizer/catalog/criteria.csv` and `abbreviations.csv`, editable by a
domain expert (see `normalizer/catalog/README.md`). This module only loads and selects.
"""

from __future__ import annotations

import csv
import functools
import pathlib
from dataclasses import dataclass

from parindex.vietnamese.folding import collapse, fold

CATALOG_DIR = pathlib.Path(__file__).parent / "catalog"


@dataclass(frozen=True)
class Criterion:
    framework: str
    version: str
    level: str
    province: str
    year_from: int | None
    year_to: int | None
    criterion_id: str
    code: str
    parent_code: str
    name: str
    aliases: tuple[str, ...]
    max_score: float | None
    aggregation: str

    @property
    def depth(self) -> int:
        return self.code.count(".") + 1


def _int(s: str) -> int | None:
    s = (s or "").strip()
    return int(s) if s.isdigit() else None


def _float(s: str) -> float | None:
    try:
        return float((s or "").strip())
    except ValueError:
        return None


@dataclass
class Catalog:
    criteria: list[Criterion]
    abbreviations: dict[str, str]

    def version_preference(self, c: Criterion, level: str | None, province: str | None, year: int | None) -> int:
        """Higher is a better fit of a catalog version to a document (memoized per version:
        every criterion of a version shares its province, level and years)."""
        memo = self.__dict__.setdefault("_preference_memo", {})
        key = (c.framework, c.version, level, province, year)
        pref = memo.get(key)
        if pref is None:
            pref = memo[key] = self._preference(c, level, province, year)
        return pref

    def _preference(self, c: Criterion, level: str | None, province: str | None, year: int | None) -> int:
        score = 0
        if c.province:
            score += 4 if province and fold(c.province) == fold(province) else -4
        if c.level:
            score += 2 if level and c.level == level else -2
        if year is not None:
            lo, hi = c.year_from or 0, c.year_to or 9999
            score += 1 if lo <= year <= hi else -1
        return score

    def for_framework(self, framework: str) -> list[Criterion]:
        cache = self.__dict__.setdefault("_by_framework", {})
        if framework not in cache:
            cache[framework] = [c for c in self.criteria if c.framework == framework]
        return cache[framework]


@functools.lru_cache(maxsize=4)
def load_catalog(directory: str | None = None) -> Catalog:
    d = pathlib.Path(directory) if directory else CATALOG_DIR
    rows: list[Criterion] = []
    path = d / "criteria.csv"
    if path.exists():
        with path.open(encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                rows.append(
                    Criterion(
                        framework=r["framework"].strip(),
                        version=r["version"].strip(),
                        level=(r.get("level") or "").strip(),
                        province=collapse(r.get("province")),
                        year_from=_int(r.get("year_from")),
                        year_to=_int(r.get("year_to")),
                        criterion_id=r["criterion_id"].strip(),
                        code=r["code"].strip(),
                        parent_code=(r.get("parent_code") or "").strip(),
                        name=collapse(r["name"]),
                        aliases=tuple(collapse(a) for a in (r.get("aliases") or "").split("|") if a.strip()),
                        max_score=_float(r.get("max_score")),
                        aggregation=(r.get("aggregation") or "").strip(),
                    )
                )
    abbreviations: dict[str, str] = {}
    apath = d / "abbreviations.csv"
    if apath.exists():
        with apath.open(encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                key = fold(r["abbreviation"])
                abbreviations.setdefault(key, fold(r["expansion"]))
    return Catalog(criteria=rows, abbreviations=abbreviations)
