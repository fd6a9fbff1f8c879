"""Printed criterion names -> catalog criteria, with rapidfuzz.

Names are compared accent-folded (damaged and unaccented text still match), with
abbreviations expanded (CCHC -> cải cách hành chính) and the responsible-office notes
("(Phòng Nội vụ)") and lead words ("Lĩnh vực", "Chỉ số thành phần") removed. A printed
code constrains the match; the decision is accepted / review / no_match.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from parindex.normalizer.criteria import Catalog, Criterion, load_catalog
from parindex.schemas.columns import AGGREGATE_CODES
from parindex.schemas.observation import Observation
from parindex.vietnamese.folding import fold

ACCEPT = 85.0
REVIEW = 65.0
OTHER_VERSION_PENALTY = 5.0  # a criterion from a version that fits the document less well
CODE_ONLY = re.compile(r"[\d\s.,]|\b(?:tieu chi|tc|chi so)\b")

LEAD_WORDS = re.compile(
    r"^(?:[-+•*]\s*)?(?:(?:ket qua )?chi so thanh phan|linh vuc|tieu chi(?: thanh phan)?|noi dung|danh gia)\s+"
)
OFFICE_NOTE = re.compile(r"\((?:[^()]*\b(?:phong|van phong|vp|so|trung tam|ubnd|ban|cac co quan)\b[^()]*)\)")
PUNCT = re.compile(r"[^\w\s]")


@dataclass
class Match:
    criterion: Criterion | None
    score: float
    decision: str  # accepted | review | no_match


def normalize_name(name: str, abbreviations: dict[str, str]) -> str:
    t = fold(name)
    t = OFFICE_NOTE.sub(" ", t)
    t = re.sub(r"^\d+(?:[.,]\d+)*\.?\s+", "", t)
    t = LEAD_WORDS.sub("", t)
    t = PUNCT.sub(" ", t.replace("-", " "))
    words = []
    for w in t.split():
        words.append(abbreviations.get(w, w))
    return " ".join(" ".join(words).split())


def name_similarity(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    # token_set_ratio is 100 whenever one name's words are a subset of the other's: trust it
    # only as far as the shorter name covers the longer one
    na, nb = len(a.split()), len(b.split())
    coverage = min(na, nb) / max(na, nb)
    subset_weight = 0.9 if coverage >= 0.5 else 0.9 * (0.5 + coverage)
    return max(fuzz.token_sort_ratio(a, b), subset_weight * fuzz.token_set_ratio(a, b), fuzz.ratio(a, b))


_DROPPABLE = re.compile(r"[^\x00-\x7fđĐ]")


def damaged_form(name: str) -> str:
    """The catalog name as a damaged extraction prints it: every accented letter but đ
    dropped ("Hạ tầng số" -> "h tng s", "Chỉ số" -> "ch s"), then folded."""
    return fold(_DROPPABLE.sub("", name))


def looks_damaged(printed: str) -> bool:
    """Printed text that lost its accented letters: Vietnamese words but no accents left."""
    words = re.findall(r"\w+", printed)
    return (
        bool(words)
        and not _DROPPABLE.search(printed)
        and any(len(w) >= 2 and not re.search(r"[aeiouy]", w.lower()) for w in words)
    )


@functools.lru_cache(maxsize=65536)
def _normalized(name: str, abbreviations_key: int) -> str:
    return normalize_name(name, _ABBREVIATIONS[abbreviations_key])


_ABBREVIATIONS: dict[int, dict[str, str]] = {}


def _norm(catalog: Catalog, name: str) -> str:
    key = id(catalog.abbreviations)
    _ABBREVIATIONS.setdefault(key, catalog.abbreviations)
    return _normalized(name, key)


_MEMO: dict[tuple, Match] = {}
_MEMO_MAX = 200_000  # entries of each memo below before it is emptied
_SIMILARITY: dict[tuple, float] = {}
_PAIRS: dict[tuple[str, str], float] = {}


def _similarity(catalog: Catalog, c: Criterion, target: str, damaged: str | None) -> float:
    """How like the criterion `c` (its name or an alias) the normalized name `target` is;
    memoized: documents of other provinces and years compare the same names again."""
    key = (id(catalog), id(c), target, damaged)
    sim = _SIMILARITY.get(key)
    if sim is None:
        sim = max(_pair_similarity(target, _norm(catalog, n)) for n in (c.name, *c.aliases))
        if damaged:  # secondary, accent-insensitive score for text that lost its accented letters
            sim = max(sim, 0.95 * max(fuzz.ratio(damaged, damaged_form(n)) for n in (c.name, *c.aliases)))
        if len(_SIMILARITY) >= _MEMO_MAX:
            _SIMILARITY.clear()
        _SIMILARITY[key] = sim
    return sim


def _pair_similarity(target: str, name: str) -> float:
    """`name_similarity`, memoized by the pair of names: the versions of a framework (by
    province, level and year) repeat most of their names, so a printed name is compared
    with each distinct catalog name once (PAR INDEX: 44 distinct names of 493 domain names)."""
    key = (target, name)
    sim = _PAIRS.get(key)
    if sim is None:
        if len(_PAIRS) >= _MEMO_MAX:
            _PAIRS.clear()
        sim = _PAIRS[key] = name_similarity(target, name)
    return sim


def _best(
    catalog: Catalog,
    rows: list[Criterion],
    target: str,
    code: str | None,
    level,
    province,
    year,
    damaged: str | None = None,
):
    best: tuple[float, int, Criterion] | None = None
    for c in rows:
        pref = catalog.version_preference(c, level, province, year)
        sim = _similarity(catalog, c, target, damaged)
        if code and c.code != code:
            sim -= 25  # a printed code outranks a similar name elsewhere in the tree
        if best is None or (sim, pref) > (best[0], best[1]):
            best = (sim, pref, c)
    return best


def match_criterion(
    catalog: Catalog,
    name: str | None,
    code: str | None,
    framework: str,
    level: str | None = None,
    province: str | None = None,
    year: int | None = None,
    domains_only: bool = False,
) -> Match:
    """The catalog criterion a printed name (and code) means. Pure, so memoized: an archive
    prints the same names in thousands of documents."""
    key = (id(catalog), name, code, framework, level, province, year, domains_only)
    m = _MEMO.get(key)
    if m is None:
        if len(_MEMO) >= _MEMO_MAX:
            _MEMO.clear()
        m = _MEMO[key] = _match_criterion(catalog, name, code, framework, level, province, year, domains_only)
    return m


def _match_criterion(
    catalog: Catalog,
    name: str | None,
    code: str | None,
    framework: str,
    level: str | None,
    province: str | None,
    year: int | None,
    domains_only: bool,
) -> Match:
    rows = catalog.for_framework(framework)
    if domains_only:
        rows = [c for c in rows if c.depth == 1 and c.code not in AGGREGATE_CODES]
    if not rows:
        return Match(None, 0.0, "no_match")
    if code in AGGREGATE_CODES:
        same = [c for c in rows if c.code == code]
        if same:
            best = max(same, key=lambda c: catalog.version_preference(c, level, province, year))
            return Match(best, 100.0, "accepted")
        return Match(None, 0.0, "no_match")
    target = _norm(catalog, name or "")
    if code and not CODE_ONLY.sub("", target):
        # "Tiêu chí 1.2.1": the name is only a reference to the code; the code decides
        same = [c for c in rows if c.code == code]
        if same:
            top = max(same, key=lambda c: catalog.version_preference(c, level, province, year))
            return Match(top, 100.0, "accepted")
        return Match(None, 0.0, "no_match")
    damaged = fold(name) if name and looks_damaged(name) else None
    # the versions that fit this document best come first: a name matched there wins
    # over an equally similar name from another province's or year's framework
    top_pref = max(catalog.version_preference(c, level, province, year) for c in rows)
    fitting = [c for c in rows if catalog.version_preference(c, level, province, year) == top_pref]
    best = None
    for pool in (fitting, rows):
        if code:
            same = [c for c in pool if c.code == code]
            cand = _best(catalog, same, target, code, level, province, year, damaged) if same else None
            if cand is not None and (best is None or cand[0] > best[0]):
                best = cand
        if best is None or best[0] < ACCEPT:
            cand = _best(catalog, pool, target, code, level, province, year, damaged)
            if cand is not None and pool is not fitting:
                cand = (cand[0] - OTHER_VERSION_PENALTY, cand[1], cand[2])
            if cand is not None and (best is None or cand[0] > best[0]):
                best = cand
        if best is not None and best[0] >= ACCEPT:
            break
    assert best is not None
    sim, _, crit = best
    sim = max(0.0, min(100.0, sim))
    if sim >= ACCEPT:
        return Match(crit, round(sim, 1), "accepted")
    if sim >= REVIEW:
        return Match(crit, round(sim, 1), "review")
    return Match(None, round(sim, 1), "no_match")


def match_observations(
    observations: list[Observation], level: str | None, province: str | None, catalog: Catalog | None = None
) -> list[Observation]:
    """The match stage: give every observation its catalog criterion, score and decision.
    Codes are never changed here: a row keeps the code it printed."""
    catalog = catalog or load_catalog()
    for o in observations:  # match_criterion is memoized: repeated names cost a lookup
        m = match_criterion(
            catalog,
            o.get("printed_name"),
            o.get("code"),
            o.get("framework") or "PAR_INDEX",
            level,
            province,
            o.get("year"),
        )
        o["criterion_id"] = m.criterion.criterion_id if m.criterion else None
        o["criterion_name"] = m.criterion.name if m.criterion else None
        o["match_score"] = m.score
        o["match_decision"] = m.decision
    return observations
