"""The synthetic benchmark corpus (benchmarks/corpus.py): documents that open in their
format and print the values their truth records, truth files in the SCHEMA.md format,
and injected inconsistencies that are exactly the ones an auditor finds in the truth."""
from __future__ import annotations

import collections
import importlib.util
import json
import re
import sys

import pytest

from normalizer.audit import agree  # SCHEMA.md's rounding rule, as the audit applies it

from conftest import ROOT

spec = importlib.util.spec_from_file_location("corpus", ROOT / "benchmarks" / "corpus.py")
corpus = importlib.util.module_from_spec(spec)
sys.modules.setdefault("corpus", corpus)  # dataclasses look their module up by name
spec.loader.exec_module(corpus)

SCHEMA_DOC = {"source", "kind", "level", "province", "unit", "facts", "inconsistencies"}
SCHEMA_FACT = {"unit", "year", "framework", "code", "name", "table", "max", "score", "self_score", "target",
               "percent", "rank", "rank_of", "delta"}
AGGREGATES = {"TOTAL", "ASSESSED", "SURVEY"}


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    out, truth = root / "docs", root / "docs-truth"
    formats = {"pdf": 2, "docx": 1, "html": 1, "xlsx": 1, "text": 1}
    results = corpus.generate(out, 6, seed=3, formats=formats, rate=0.5, workers=1)
    return {"out": out, "truth": truth, "results": results, "root": root}


def numbers_in(text: str) -> set[float]:
    """Every printed number ("9,52", "9.52", "1", "4/8" -> 4 and 8) as a float."""
    return {round(float(m.replace(",", ".")), 2) for m in re.findall(r"\d+(?:[.,]\d+)?", text)}


def document_text(path) -> str:
    suffix = path.suffix
    if suffix == ".pdf":
        import pdfplumber

        with pdfplumber.open(path) as pdf:
            assert len(pdf.pages) >= 1
            return "\n".join(page.extract_text() or "" for page in pdf.pages)
    if suffix == ".docx":
        import docx

        d = docx.Document(str(path))
        parts = [p.text for p in d.paragraphs]
        parts += [c.text for t in d.tables for row in t.rows for c in row.cells]
        assert d.tables, "a Word report without its table"
        return "\n".join(parts)
    if suffix == ".xlsx":
        import openpyxl

        wb = openpyxl.load_workbook(path)
        cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
        numbers = [c.value for c in cells if isinstance(c.value, (int, float))]
        assert len(numbers) >= 10, "numbers must be stored as numbers"
        return "\n".join(str(c.value) for c in cells)
    text = path.read_text(encoding="utf-8")
    if suffix == ".html":
        assert "<table" in text and "<thead>" in text
        text = re.sub(r"<[^>]+>", " ", text)
    return text


def test_files_open_and_print_what_their_truth_says(made):
    out, truth = made["out"], made["truth"]
    docs = sorted(out.iterdir())
    assert sorted(p.suffix for p in docs) == [".docx", ".html", ".pdf", ".pdf", ".txt", ".xlsx"]
    assert not list(out.glob("*.json")), "truth files must stay out of the document folder"
    for path in docs:
        t = json.loads((truth / f"{path.name.split('.')[0]}.json").read_text(encoding="utf-8"))
        assert t["source"] == path.name
        text = document_text(path)
        assert t["unit"] in text and str(t["facts"][0]["year"]) in text
        printed = numbers_in(text)
        for f in t["facts"]:
            if f["table"] >= 1:
                for k in ("max", "score", "percent", "rank", "rank_of"):
                    if f[k] is not None:
                        assert round(f[k], 2) in printed, (path.name, f["code"], k, f[k])


def test_truth_has_the_schema_fields(made):
    files = sorted(made["truth"].glob("*.json"))
    assert len(files) == 6
    assert (made["truth"] / "manifest.csv").is_file()
    for tf in files:
        t = json.loads(tf.read_text(encoding="utf-8"))
        assert set(t) == SCHEMA_DOC
        assert t["kind"] in ("criteria_table", "mixed") and t["level"] in ("district", "commune")
        assert t["facts"] and all(set(f) == SCHEMA_FACT for f in t["facts"])
        for f in t["facts"]:
            assert f["framework"] in ("PAR_INDEX", "SIPAS") and 2018 <= f["year"] <= 2025
            assert f["code"] in AGGREGATES or re.fullmatch(r"(?:\d+|I|II)(?:\.\d+)*", f["code"])
            assert all(f[k] is None or isinstance(f[k], (int, float)) for k in ("max", "score", "percent", "rank"))
        for inc in t["inconsistencies"]:
            assert set(inc) == {"rule", "year", "codes", "what"} and inc["rule"] in corpus.RULES
            assert inc["codes"] and isinstance(inc["year"], int)


def parent(code: str) -> str | None:
    return code.rsplit(".", 1)[0] if "." in code else None


def audit(truth: dict) -> set[tuple[str, int, str]]:
    """What a careful auditor finds in a truth file's facts: (rule, year, first code)."""
    found: set[tuple[str, int, str]] = set()
    doc_year = max(f["year"] for f in truth["facts"] if f["table"] >= 1)
    groups: dict[tuple, dict[str, dict]] = collections.defaultdict(dict)
    for f in truth["facts"]:
        if f["table"] >= 1:
            groups[(f["table"], f["year"])][f["code"]] = f
    for (table, year), codes in groups.items():
        mean = any(f["framework"] == "SIPAS" for f in codes.values())
        agg = (lambda xs: sum(xs) / len(xs)) if mean else sum
        for field in ("max", "score", "self_score", "percent"):
            for code, f in codes.items():
                kids = [k[field] for c, k in codes.items() if c not in AGGREGATES and parent(c) == code
                        and k[field] is not None]
                if code not in AGGREGATES and kids and f[field] is not None \
                        and abs(agg(kids) - f[field]) > 0.011 * len(kids) + 1e-9:
                    found.add(("sum_mismatch", year, code))
            doms = [f[field] for c, f in codes.items() if c not in AGGREGATES and "." not in c and f[field] is not None]
            t, a, s = (codes.get(c, {}).get(field) for c in ("TOTAL", "ASSESSED", "SURVEY"))
            if None not in (t, a, s) and abs(a + s - t) > 0.022 + 1e-9:
                found.add(("total_mismatch", year, "TOTAL"))
            target = a if a is not None else (t if s is None else None)
            if target is not None and len(doms) >= 2 and abs(agg(doms) - target) > 0.011 * len(doms) + 1e-9:
                found.add(("total_mismatch", year, "ASSESSED" if a is not None else "TOTAL"))
    for f in truth["facts"]:
        for field in ("score", "self_score"):
            if f["max"] is not None and f[field] is not None and f[field] > f["max"] + 1e-9:
                found.add(("score_above_max", f["year"], f["code"]))
        if f["rank"] is not None and not 1 <= f["rank"] <= f["rank_of"]:
            found.add(("rank_out_of_range", f["year"], f["code"]))
    by_table: dict[int, set[str]] = collections.defaultdict(set)
    for f in truth["facts"]:
        if f["table"] >= 1 and f["code"] not in AGGREGATES:
            by_table[f["table"]].add(f["code"])
    for codes in by_table.values():
        siblings = collections.defaultdict(list)
        for c in codes:
            siblings[parent(c)].append(c)
        for p, kids in siblings.items():
            nums = sorted(int(k.rsplit(".", 1)[-1]) for k in kids if k.rsplit(".", 1)[-1].isdigit())
            for a, b in zip(nums, nums[1:]):
                for missing in range(a + 1, b):
                    found.add(("code_gap", doc_year, f"{p}.{missing}" if p else str(missing)))
    printed: dict[tuple, dict[str, set]] = collections.defaultdict(lambda: collections.defaultdict(set))
    for f in truth["facts"]:
        for field in ("max", "score", "percent", "rank", "rank_of"):
            if f[field] is not None:
                printed[(f["year"], f["code"])][field].add(f[field])
    for (year, code), fields in printed.items():
        if any(not agree(a, b) for v in fields.values() for a in v for b in v):
            found.add(("conflict", year, code))
    return found


def listed(truth: dict) -> set[tuple[str, int, str]]:
    return {(i["rule"], i["year"], i["codes"][0]) for i in truth["inconsistencies"]}


def test_injected_inconsistencies_are_exactly_what_the_truth_lists():
    corpus._init(5)
    rules = collections.Counter()
    formats = sorted(corpus.FORMAT_WEIGHTS)
    for i in range(240):  # every document gets one or two; no rendering needed
        s = corpus.make_spec(i, formats[i % len(formats)], 1.0)
        t = corpus.truth_of(s)
        assert t["inconsistencies"], i
        assert audit(t) == listed(t), (i, s.family.key, t["inconsistencies"])
        rules.update(x["rule"] for x in t["inconsistencies"])
    assert set(rules) == set(corpus.RULES), rules


def test_clean_documents_add_up():
    """Without injections, every parent is the sum (SIPAS: mean) of its children, the total
    the sum of the domains (or assessed + survey), and sentences quote the tables."""
    corpus._init(11)
    families = collections.Counter()
    for i in range(60):
        s = corpus.make_spec(i, "docx", 0.0)
        t = corpus.truth_of(s)
        assert not t["inconsistencies"] and audit(t) == set(), (i, audit(t))
        families[s.family.key] += 1
        for table in {f["table"] for f in t["facts"] if f["table"] >= 1}:
            for year in {f["year"] for f in t["facts"] if f["table"] == table}:
                codes = {f["code"]: f for f in t["facts"] if f["table"] == table and f["year"] == year}
                if "TOTAL" in codes and codes["TOTAL"]["score"] is not None and "ASSESSED" not in codes:
                    domains = [f["score"] for c, f in codes.items() if c not in AGGREGATES and "." not in c]
                    if domains:
                        assert round(sum(domains), 2) == codes["TOTAL"]["score"]
        totals = {(f["year"], f["table"]): f for f in t["facts"] if f["code"] == "TOTAL"}
        for (year, table), f in totals.items():
            if table == 0 and f["score"] is not None:
                in_tables = [g["score"] for (y, tb), g in totals.items() if y == year and tb >= 1]
                assert all(v == f["score"] for v in in_tables)
    assert len(families) == len(corpus.FAMILIES)


def test_same_arguments_same_bytes(made, tmp_path):
    again = corpus.generate(tmp_path / "docs", 6, seed=3, formats={"pdf": 2, "docx": 1, "html": 1, "xlsx": 1, "text": 1},
                            rate=0.5, workers=1)
    assert [r["name"] for r in again] == [r["name"] for r in made["results"]]
    for r in again:
        assert (tmp_path / "docs" / r["name"]).read_bytes() == (made["out"] / r["name"]).read_bytes(), r["name"]
