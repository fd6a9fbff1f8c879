"""Scores read from sentences of narrative reports.

Each paragraph is read in its section's context. What is recognised:
- an index result: "Chỉ số PAR INDEX năm 2023 của huyện đạt 80.24% (tăng 1,31% so với năm 2022,
  xếp vị trí 8/11 ..., bằng năm 2022)", one clause per index named (PAR INDEX, SIPAS, DDCI,
  DTI; PCI and PAPI are refused), targets when the sentence says "phấn đấu";
- a domain line: "- Lĩnh vực Cải cách thể chế: Điểm tự đánh giá: 6,00 điểm", "...: 6/11,00 điểm";
- a section result: under "2.1. Chỉ số thành phần công tác chỉ đạo điều hành",
  "Đạt 9,52/13,50 điểm (bằng 70,5%), tăng 9,99% so với năm 2022 xếp hạng thứ 4";
- a deduction: "Tiêu chí 1.2.1. ... (bị trừ 0,5 điểm)", or "bị trừ 0,02 điểm" in a section;
- an official figure: "Quyết định công bố của UBND tỉnh 79,27 điểm".
Values are kept as printed (a "giảm" makes a change negative even when a table says +).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from parindex.normalizer.unit_prose import UnitProseContext, find_mentions, read_unit_sentences
from parindex.schemas import Paragraph
from parindex.schemas.observation import SENTENCE_TABLE, Observation
from parindex.vietnamese.codes import criterion_code
from parindex.vietnamese.folding import collapse, fold_keep_length
from parindex.vietnamese.numbers import UNSIGNED_NUMBER_RE, number_value
from parindex.vietnamese.ranks import ORDINALS, parse_rank
from parindex.vietnamese.vocabulary import (
    FRAMEWORK_PATTERNS,
    PERCENT_FRAMEWORKS,
    REFUSED_FRAMEWORKS,
    unit_prefix_words,
)

NUM = UNSIGNED_NUMBER_RE
F_RESULT = re.compile(rf"\b(?:dat|dt|la)\s*(?:duoc\s+)?(?:muc\s+)?(?P<v>{NUM})\s*(?P<mark>%|diem)")
F_TARGET = re.compile(rf"\b(?:dat|dt)\s*(?:tu\s*|t\s*|tren\s+|it nhat\s+|toi thieu\s+)?(?P<v>{NUM})\s*(?P<mark>%|diem)")
F_FRACTION = re.compile(rf"(?P<a>{NUM})\s*/\s*(?P<b>{NUM})\s*diem")
F_POINTS = re.compile(rf"(?:dat|tu danh gia|:)\s*(?P<v>{NUM})\s*diem")
F_DELTA = re.compile(rf"(?P<dir>tang|giam|thap hon|cao hon)\s+(?P<v>{NUM})\s*(?P<mark>%|diem)")
F_RANK_DELTA = re.compile(rf"(?P<dir>tang|giam)\s+(?P<v>{NUM})\s*(?:hang|bac)\b")
F_SAME_RANK = re.compile(r"\bbang nam \d{4}")
F_RANK = re.compile(
    r"(?:xep|dung)\s*(?:o\s+)?(?:vi tri|hang|thu hang|thu)?\s*(?:thu|so)?\s*(?P<v>\d{1,3})(?:\s*/\s*(?P<of>\d{1,3}))?(?!\s*(?:den|-|–))"
)
F_RANK_WORD = re.compile(
    r"(?:xep|dung|dan)\s*(?:o\s+)?(?:vi tri|hang)?\s*(?:thu)?\s*(?P<w>"
    + "|".join(sorted(ORDINALS, key=len, reverse=True))
    + r"|dau|cuoi)\b"
)
F_TARGET_VERB = re.compile(r"ph\w{0,2}n\s*d\w{0,2}u|chi\s*tieu|muc tieu")
F_YEAR = re.compile(r"(?<!so voi )\bnam\s+(?P<y>\d{4})\b")
F_DEDUCT = re.compile(rf"(?:bi\s+)?(?:tru|mat)(?:\s+mat)?\s+(?P<v>{NUM})\s*diem")
F_CRITERION_LEAD = re.compile(r"^\W*tieu chi\s+(?P<code>\d+(?:[.,]\d+)*)")
F_DECISION = re.compile(rf"quyet dinh[^.;]{{0,80}}?(?P<v>{NUM})\s*diem")
F_SELF = re.compile(r"tu danh gia|tu cham")
F_HEADING_NUM = re.compile(r"^\W*(?:\d+(?:\.\d+)*\.?|[ivx]+\.)\s")
INDEX_LEAD = re.compile(r"(?:chi\s*so|ch\s*so|chso|diem\s*so|bo\s*chi\s*so|ket qua)\W*$")
ACRONYM = re.compile(r"par ?index")
RESULT_REACH = 70  # the result verb must follow the index's name within this many characters


@dataclass
class ProseContext:
    year: int | None
    framework: str = "PAR_INDEX"
    rank_of: int | None = None
    unit: str | None = None  # the document's own unit, when it is about one
    units: UnitProseContext | None = None  # for sentences that name other units


def _names_other_units(text: str, ctx: ProseContext) -> bool:
    """Does a paragraph name a unit (its own or another) or a group?"""
    if ctx.units is None:
        return False
    return bool(find_mentions(text, ctx.units.province))


def _num(text: str, m: re.Match, group: str = "v") -> float | None:
    return number_value(text[m.start(group) : m.end(group)])


def _framework_mentions(folded: str) -> list[tuple[int, str]]:
    hits: list[tuple[int, int, str]] = []
    for name, pat in FRAMEWORK_PATTERNS:
        for m in pat.finditer(folded):
            hits.append((m.start(), m.end(), name))
    hits.sort()
    merged: list[tuple[int, str]] = []
    last_end, last_name = -100, None
    for start, end, name in hits:
        if merged and start - last_end <= 12 and (name == last_name or folded[last_end:start].strip(" ()")):
            last_end = max(last_end, end)
            if name != last_name and last_name == "PAR_INDEX" and name != "PAR_INDEX":
                merged[-1] = (merged[-1][0], name)
                last_name = name
            continue
        merged.append((start, name))
        last_end, last_name = end, name
    return merged


def _rank(folded: str, values: dict, default_of: int | None) -> None:
    m = F_RANK.search(folded)
    if m:
        values["rank"] = int(m.group("v"))
        values["rank_of"] = int(m.group("of")) if m.group("of") else default_of
        return
    w = F_RANK_WORD.search(folded)
    if w:  # "xếp thứ nhì", "đứng đầu", "đứng cuối": the words ranks.py knows
        r = parse_rank(folded[w.start() : w.start() + 40], default_of)
        if r is not None and r.rank is not None:
            values["rank"], values["rank_of"] = r.rank, r.rank_of


def _clause_values(text: str, folded: str, ctx: ProseContext, target: bool) -> dict:
    values: dict = {}
    if target:
        m = F_TARGET.search(folded)
        if m and m.start() <= RESULT_REACH:
            values["target"] = _num(text, m)
        return values
    m = F_RESULT.search(folded)
    if not m or m.start() > RESULT_REACH:
        return values
    v = _num(text, m)
    values["percent" if m.group("mark") == "%" else "score"] = v
    rest_f, rest = folded[m.end() :], text[m.end() :]
    d = F_DELTA.search(rest_f)
    if d and ("so voi" in rest_f[d.end() : d.end() + 60] or "va" in rest_f[d.end() : d.end() + 6]):
        dv = _num(rest, d)
        values["delta"] = -dv if d.group("dir") in ("giam", "thap hon") else dv
        values["delta_basis"] = "percent" if d.group("mark") == "%" else "score"
    _rank(rest_f, values, ctx.rank_of)
    rd = F_RANK_DELTA.search(rest_f)
    if rd:
        rv = int(_num(rest, rd))
        values["rank_delta"] = -rv if rd.group("dir") == "giam" else rv
    elif "rank" in values and F_SAME_RANK.search(rest_f):
        values["rank_delta"] = 0
    return values


F_RESPECTIVELY = re.compile(
    rf"lan luot\s*(?:la|dat|duoc)?\s*:?\s*(?P<vals>{NUM}\s*(?:%|diem)?(?:\s*(?:,|;|va)\s*{NUM}\s*(?:%|diem)?)+)"
)
F_VALUE = re.compile(rf"(?P<v>{NUM})\s*(?P<mark>%|diem)?")
F_YEARS = re.compile(r"\b(?:nam\s+)?(?P<y>(?:19|20)\d\d)\b")
F_UNIT_RESULT = re.compile(
    rf"(?P<prefix>{unit_prefix_words(('district', 'commune'), folded=True)})\s+(?P<name>[^,;:.]{{2,40}}?)\s+(?:dat|dt)\s+(?P<v>{NUM})\s*(?P<mark>%|diem)"
)
F_DOMAIN_RESULT = re.compile(
    rf"^\W*(?P<label>[^.;:]{{6,160}}?)\s+(?:dat|dt)\s*(?:duoc\s+)?(?P<a>{NUM})\s*(?:/\s*(?P<b>{NUM}))?\s*diem"
)
F_CODE_LEAD = re.compile(r"^\W*(?P<code>\d{1,2}(?:[.,]\d{1,2}){1,3})\.?\s")


def _respectively(text: str, folded: str, ctx: ProseContext) -> list[Observation]:
    """ "PAR INDEX và SIPAS ... lần lượt là 87,61 và 86,70", or "năm 2022 và 2023 lần lượt
    là ...": values assigned in order to the indices or years named before them."""
    m = F_RESPECTIVELY.search(folded)
    if not m:
        return []
    vals = [
        (number_value(text[m.start("vals") + v.start("v") : m.start("vals") + v.end("v")]), v.group("mark"))
        for v in F_VALUE.finditer(m.group("vals"))
    ]
    before = folded[: m.start()]
    named = sorted((h.start(), fw) for fw, pat in FRAMEWORK_PATTERNS for h in pat.finditer(before))
    if any(fw in REFUSED_FRAMEWORKS for _, fw in named):
        return []
    names = list(dict.fromkeys(fw for _, fw in named))
    years = [int(y.group("y")) for y in F_YEARS.finditer(before)]
    if len(set(names)) == len(vals) and len(names) == len(vals):
        year = years[-1] if len(years) == 1 else (years[0] if years else ctx.year)
        assigned = [(fw, year, value) for fw, value in zip(names, vals)]
    elif len(years) == len(vals) and len(set(names)) <= 1:
        fw = names[0] if names else ctx.framework
        assigned = [(fw, y, value) for y, value in zip(years, vals)]
    else:
        return []
    rows: list[Observation] = []
    for fw, year, (v, mark) in assigned:
        is_percent = mark == "%" or (mark is None and fw in PERCENT_FRAMEWORKS)
        rows.append(
            {
                "year": year,
                "framework": fw,
                "code": "TOTAL",
                "printed_name": collapse(text[: m.start()])[-80:],
                ("percent" if is_percent else "score"): v,
            }
        )
    return rows


def _unit_results(text: str, folded: str) -> list[dict]:
    """Several units in one sentence: "huyện A đạt 80,1 điểm, xếp thứ 2; huyện B đạt 78,1 điểm"."""
    hits = list(F_UNIT_RESULT.finditer(folded))
    if len(hits) < 2:
        return []
    rows = []
    for i, h in enumerate(hits):
        seg_end = hits[i + 1].start() if i + 1 < len(hits) else len(folded)
        name = collapse(text[h.start("name") : h.end("name")])
        values = {("percent" if h.group("mark") == "%" else "score"): number_value(text[h.start("v") : h.end("v")])}
        _rank(folded[h.end() : seg_end], values, None)
        rows.append({"unit": name[:1].upper() + name[1:], **values})
    return rows


def _deduction_label(text: str, lead: re.Match | None) -> str:
    if lead is None:
        return text[:80]
    return (
        collapse(text[: text.find("(")] if "(" in text else text)[:80]
        if not F_CRITERION_LEAD.match(fold_keep_length(text))
        else "Tiêu chí " + lead.group("code")
    )


def _section_label(text: str, inline: re.Match | None, section_label: str) -> str:
    """A short label of what a sentence names: its domain as printed, not the sentence."""
    if inline is not None:
        return collapse(
            re.sub(
                r"^\W*(?:năm \d{4},?\s*)", "", text[inline.start("label") : inline.end("label")], flags=re.IGNORECASE
            )
        )[:80]
    return collapse(section_label)[:80] or text[:80]


def _year(folded: str, default: int | None) -> int | None:
    m = F_YEAR.search(folded)
    return int(m.group("y")) if m else default


def read_paragraphs(
    paragraphs: list[Paragraph], ctx: ProseContext, match_domain: Callable[[str], str | None]
) -> list[Observation]:
    """Observations from prose. `match_domain(label)` returns a domain code or None."""
    out: list[Observation] = []
    section_code: str | None = None
    section_label = ""
    last_rank: dict = {}  # level -> the last rank read, for "tiếp đến là …"
    for p in paragraphs:
        text = collapse(p.text)
        if not text:
            continue
        folded = fold_keep_length(text)
        base: Observation = {"page": p.page, "table": SENTENCE_TABLE, "row": p.index + 1, "source_kind": "narrative"}
        has_figures = bool(re.search(r"\d+[.,]\d+\s*(?:điểm|%)|\d+\s*/\s*\d+", text))
        is_heading = (
            (p.heading > 0 and not has_figures)
            or (p.bold and len(text) < 160 and not has_figures)
            or (F_HEADING_NUM.match(folded) and len(text) < 120 and not text.endswith(".") and ":" not in text)
        )
        if is_heading and not F_CRITERION_LEAD.match(folded):
            section_label = re.sub(r"^\W*(?:\d+(?:\.\d+)*\.?|[IVX]+\.)\s*", "", text)
            section_code = match_domain(section_label)
            continue
        # deductions
        lead = F_CRITERION_LEAD.match(folded) or (F_CODE_LEAD.match(folded) if F_DEDUCT.search(folded) else None)
        ded = F_DEDUCT.search(folded)
        if lead or ded:
            code = criterion_code(lead.group("code")) if lead else section_code
            if ded and code:
                out.append(
                    {
                        **base,
                        "year": _year(folded, ctx.year),
                        "framework": ctx.framework,
                        "code": code,
                        "printed_code": lead.group("code") if lead else None,
                        "printed_name": _deduction_label(text, lead)
                        if lead
                        else (collapse(section_label)[:80] or text[:80]),
                        "deduction": _num(text, ded),
                    }
                )
            if lead:
                continue
        # official decision figure
        dm = F_DECISION.search(folded)
        if dm and not _framework_mentions(folded) and section_code is None:
            out.append(
                {
                    **base,
                    "year": ctx.year,
                    "framework": ctx.framework,
                    "code": "TOTAL",
                    "printed_name": text[max(0, dm.start()) : dm.end()][:80],
                    "score": _num(text, dm),
                    "source_kind": "decision",
                }
            )
            continue
        # domain line "label: ...: X/Y điểm"
        if ":" in text:
            label, rest = text.split(":", 1)
            code = match_domain(label) if len(label) < 200 else None
            if code:
                rest_f = fold_keep_length(rest)
                values: dict = {}
                fr = F_FRACTION.search(rest_f)
                pt = F_POINTS.search(rest_f)
                field = "self_score" if F_SELF.search(rest_f) else "score"
                if fr:
                    values[field] = _num(rest, fr, "a")
                    values["max_score"] = _num(rest, fr, "b")
                elif pt:
                    values[field] = _num(rest, pt)
                if values:
                    out.append(
                        {
                            **base,
                            "year": _year(fold_keep_length(label), ctx.year),
                            "framework": ctx.framework,
                            "code": code,
                            "printed_name": collapse(label.lstrip("-+•* ")),
                            **values,
                        }
                    )
                    continue
        # sentences that name other units: each figure to its own unit
        if section_code is None and _names_other_units(text, ctx):
            named = read_unit_sentences(text, ctx.units, match_domain, last_rank)
            if named:
                out.extend({**base, **o} for o in named)
                continue
        # index results, one clause per index named
        mentions = _framework_mentions(folded)
        listed = _respectively(text, folded, ctx)
        if listed:
            out.extend({**base, **r} for r in listed)
            continue
        several = _unit_results(text, folded)
        if several:
            fw = next((f for _, f in mentions if f not in REFUSED_FRAMEWORKS), None)
            if fw or not mentions:
                out.extend(
                    {
                        **base,
                        "year": _year(folded, ctx.year),
                        "framework": fw or ctx.framework,
                        "code": "TOTAL",
                        "printed_name": r["unit"],
                        **r,
                    }
                    for r in several
                )
                continue
        found_index_result = False
        if mentions:
            sentences_start = [0] + [m.end() for m in re.finditer(r"[.;!?](?=\s)", folded)]
            for i, (start, fw) in enumerate(mentions):
                end = mentions[i + 1][0] if i + 1 < len(mentions) else len(text)
                if fw in REFUSED_FRAMEWORKS:
                    continue
                sent_start = max(s for s in sentences_start if s <= start)
                if (
                    not INDEX_LEAD.search(folded[max(0, start - 16) : start])
                    and fw == "PAR_INDEX"
                    and not ACRONYM.match(folded[start : start + 9])
                ):
                    continue  # "kế hoạch CCHC" is not the index
                before = folded[sent_start:start]
                clause_f, clause = folded[start:end], text[start:end]
                is_target = bool(F_TARGET_VERB.search(before) or F_TARGET_VERB.search(clause_f[:40]))
                values = _clause_values(clause, clause_f, ctx, is_target)
                if not values:
                    continue
                year = _year(clause_f, None) or _year(before, None) or ctx.year
                name_end = re.search(r"\b(?:dat|dt)\b", clause_f)
                out.append(
                    {
                        **base,
                        "year": year,
                        "framework": fw,
                        "code": "TOTAL",
                        "printed_name": collapse(clause[: name_end.start() if name_end else 60]),
                        **values,
                    }
                )
                found_index_result = True
        if found_index_result:
            continue
        # a sentence that names its domain: "Lĩnh vực cải cách thể chế đạt 5/5 điểm ..."
        dr = F_DOMAIN_RESULT.match(folded)
        inline_code = None
        if dr:
            label = text[dr.start("label") : dr.end("label")]
            inline_code = match_domain(re.sub(r"^(?:năm \d{4},?\s*)", "", label, flags=re.IGNORECASE))
        # a result sentence inside a domain's section (or naming its domain)
        if inline_code or section_code:
            section_for_sentence = inline_code or section_code
            fr = F_FRACTION.search(folded)
            if fr and ("dat" in folded[max(0, fr.start() - 40) : fr.start()] or fr.start() < 30):
                values = {"score": _num(text, fr, "a"), "max_score": _num(text, fr, "b")}
                after, after_f = text[fr.end() :], folded[fr.end() :]
                pm = re.match(rf"\s*\((?:bang|dat)\s*(?P<v>{NUM})\s*%\)", after_f)
                if pm:
                    values["percent"] = _num(after, pm)
                d = F_DELTA.search(after_f)
                if d and "so voi" in after_f[d.end() : d.end() + 40]:
                    dv = _num(after, d)
                    values["delta"] = -dv if d.group("dir") in ("giam", "thap hon") else dv
                    values["delta_basis"] = "percent" if d.group("mark") == "%" else "score"
                _rank(after_f, values, ctx.rank_of)
                out.append(
                    {
                        **base,
                        "year": _year(folded[: fr.start()], ctx.year),
                        "framework": ctx.framework,
                        "code": section_for_sentence,
                        "printed_name": _section_label(text, dr if inline_code else None, section_label),
                        **values,
                    }
                )
    return out
