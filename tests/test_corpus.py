"""The synthetic benchmark corpus (benchmarks/corpus.py): documents that open in their
format and print the values their truth records, truth files in the SCHEMA.md format,
and injected inconsistencies that are exactly the ones an auditor finds in the truth."""

from __future__ import annotations

import collections
import json
import re

import pytest
from conftest import benchmark_corpus

from parindex.audit import agree  # SCHEMA.md's rounding rule, as the audit applies it

corpus = benchmark_corpus()

SCHEMA_DOC = {"source", "kind", "level", "province", "unit", "facts", "inconsistencies"}
SCHEMA_FACT = {
    "unit",
    "year",
    "framework",
    "code",
    "name",
    "table",
    "max",
    "score",
    "self_score",
    "target",
    "percent",
    "rank",
    "rank_of",
    "delta",
}
AGGREGATES = {"TOTAL", "ASSESSED", "SURVEY"}


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    out, truth = root / "docs", root / "docs-truth"
    formats = {"pdf": 2, "docx": 1, "html": 1, "xlsx": 1, "text": 1}
    results = corpus.generate(out, 6, seed=3, formats=formats, rate=0.5, workers=1, shapes={"report": 1})
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
                kids = [
                    k[field]
                    for c, k in codes.items()
                    if c not in AGGREGATES and parent(c) == code and k[field] is not None
                ]
                if (
                    code not in AGGREGATES
                    and kids
                    and f[field] is not None
                    and abs(agg(kids) - f[field]) > 0.011 * len(kids) + 1e-9
                ):
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
    again = corpus.generate(
        tmp_path / "docs",
        6,
        seed=3,
        formats={"pdf": 2, "docx": 1, "html": 1, "xlsx": 1, "text": 1},
        rate=0.5,
        workers=1,
        shapes={"report": 1},
    )
    assert [r["name"] for r in again] == [r["name"] for r in made["results"]]
    for r in again:
        assert (tmp_path / "docs" / r["name"]).read_bytes() == (made["out"] / r["name"]).read_bytes(), r["name"]


# ======================================================================================
# documents about many units: decisions, text lines, national rankings, news
# ======================================================================================

RANK_FORMATS = {
    "decision": ["pdf", "docx", "xlsx", "html", "text"],
    "lines": ["html", "text"],
    "national": ["pdf", "docx", "xlsx", "html", "text"],
    "news": ["html", "text"],
}
RANK_DOC = SCHEMA_DOC | {"years", "groups", "notes"}
RANK_FACT = SCHEMA_FACT | {"rank_delta"}
RANK_EXTRA = {"group", "grade", "aggregate", "rank_word", "note"}
GRADE_ORDER = {"Xuất sắc": 0, "Rất tốt": 0, "Tốt": 1, "Khá": 2, "Trung bình": 3, "Yếu": 4, "Kém": 4}


@pytest.fixture(scope="module")
def rankings(tmp_path_factory):
    """Two documents of every new shape in every format it is made in, half with injections."""
    root = tmp_path_factory.mktemp("rankings")
    made = {}
    for shape, formats in RANK_FORMATS.items():
        results = corpus.generate(
            root / shape,
            2 * len(formats),
            seed=4,
            formats={f: 1 for f in formats},
            rate=0.5,
            workers=1,
            shapes={shape: 1},
        )
        made[shape] = (root / shape, root / f"{shape}-truth", results)
    return made


def test_each_shape_is_made_in_each_of_its_formats(rankings):
    for shape, formats in RANK_FORMATS.items():
        out, truth, results = rankings[shape]
        assert sorted(r["format"] for r in results) == sorted(formats * 2), shape
        assert {r["shape"] for r in results} == {shape}
        for r in results:
            t = json.loads((truth / f"{r['stem']}.json").read_text(encoding="utf-8"))
            assert set(t) == RANK_DOC and t["unit"] is None and t["facts"], r["name"]
            assert t["kind"] == "narrative" if shape == "news" else t["kind"] in ("ranking_table", "mixed")
            for f in t["facts"]:
                assert RANK_FACT <= set(f) <= RANK_FACT | RANK_EXTRA, f
                assert f["unit"] and f["framework"] in ("PAR_INDEX", "SIPAS", "DDCI") and 2018 <= f["year"] <= 2025
                assert f["code"] in AGGREGATES or re.fullmatch(r"\d+", f["code"])
            for inc in t["inconsistencies"]:
                assert (
                    inc["rule"] in corpus.RANKING_RULES and inc["codes"] == ["TOTAL"] and isinstance(inc["year"], int)
                )


SENTENCE_END = re.compile(r"(?<!TP)(?<!TX)(?<!\bH)(?<!\bQ)(?<!\bP)(?<!TT)[.;:]\s+(?=[A-ZĐÀ-Ỹ])")


def extracted_lines(path) -> tuple[list[str], list[str], str]:
    """(table rows and text lines, sentences, all text) of a built file as parindex reads it."""
    import parindex.extractors

    doc = parindex.extractors.extract(path)
    rows, sentences = [], []
    for b in doc.blocks:
        if hasattr(b, "rows"):
            rows += [" | ".join(c.text for c in r) for r in b.rows]
        else:
            rows += b.text.split("\n")
            sentences += [s for line in b.text.split("\n") for s in SENTENCE_END.split(line)]
    return rows, sentences, "\n".join(rows)


def mentions(line: str, unit: str, units: set[str]) -> bool:
    """The line names this unit, not a longer one that contains its name ("Châu Thành A")."""
    low = line.lower()
    return unit.lower() in low and not any(unit in u and u != unit and u.lower() in low for u in units)


def test_every_truth_value_is_printed_beside_its_unit(rankings):
    """Read back with parindex's extractors: a table fact's values are in the row that names
    its unit (a maximum or group size may sit in the header or title); a sentence fact's
    values are in a sentence that names its unit."""
    for shape, (out, truth, results) in rankings.items():
        for r in results:
            t = json.loads((truth / f"{r['stem']}.json").read_text(encoding="utf-8"))
            rows, sentences, text = extracted_lines(out / r["name"])
            printed = numbers_in(text)
            units = {f["unit"] for f in t["facts"] if not f.get("aggregate")}
            for f in t["facts"]:
                where = sentences if f["table"] == 0 else rows
                if f.get("aggregate"):
                    near = [s for s in where if "trung bình" in s.lower()]
                else:
                    near = [s for s in where if mentions(s, f["unit"], units)]
                assert near, (r["name"], f["unit"])
                beside = {k: f[k] for k in ("score", "percent", "delta", "rank_delta") if f[k] is not None}
                if f["rank"] is not None and not f.get("rank_word"):
                    beside["rank"] = f["rank"]
                ok = [
                    s
                    for s in near
                    if all(
                        round(abs(v), 2) in numbers_in(s) or (k == "rank_delta" and v == 0 and "giữ nguyên" in s)
                        for k, v in beside.items()
                    )
                    and (not f.get("grade") or f["grade"] in s)
                ]
                assert ok, (r["name"], f, near[:3])
                for k in ("max", "rank_of"):  # a rank in words ("đứng đầu", "thứ nhì") prints no digit
                    if f[k] is not None:
                        assert round(f[k], 2) in printed, (r["name"], f, k)
            for g in t["groups"]:
                if g["size"] is not None:
                    assert g["size"] in printed, (r["name"], g)


def ranking_audit(truth: dict) -> set[tuple[str, int, str]]:
    """What a careful auditor finds in a ranking's truth: parts that do not add up, and the
    five ranking rules within each printed group."""
    found: set[tuple[str, int, str]] = set()
    per_unit: dict[tuple, dict[str, dict]] = collections.defaultdict(dict)
    groups: dict[tuple, list[dict]] = collections.defaultdict(list)
    for f in truth["facts"]:
        if f["table"] >= 1 and not f.get("aggregate"):
            per_unit[(f["table"], f.get("group"), f["unit"], f["year"])][f["code"]] = f
            if f["code"] == "TOTAL":
                groups[(f["table"], f.get("group"), f["year"])].append(f)
    for (_, _, _, year), codes in per_unit.items():
        t, a, s = codes.get("TOTAL"), codes.get("ASSESSED"), codes.get("SURVEY")
        domains = [f["score"] for c, f in codes.items() if c not in AGGREGATES]
        parts = ([a["score"]] if a else []) + ([s["score"]] if s else []) + domains
        if t and t["score"] is not None and len(parts) >= 2 and abs(sum(parts) - t["score"]) > 0.011 * len(parts):
            found.add(("total_mismatch", year, "TOTAL"))
        if (
            t
            and None not in (t["max"], t["score"], t["percent"])
            and abs(t["score"] / t["max"] * 100 - t["percent"]) > 0.006
        ):
            found.add(("percent_mismatch", year, "TOTAL"))

    def val(f):
        return f["percent"] if f["percent"] is not None else f["score"]

    for (_, _, year), fs in groups.items():
        ranked = [f for f in fs if f["rank"] is not None]
        for f in ranked:
            if not 1 <= f["rank"] <= (f["rank_of"] or len(fs)):
                found.add(("rank_out_of_range", year, "TOTAL"))
        for x in fs:
            for y in fs:
                if x["rank"] is not None and y["rank"] is not None:
                    if val(x) > val(y) and x["rank"] > y["rank"]:
                        found.add(("rank_order", year, "TOTAL"))
                    if x["rank"] == y["rank"] and val(x) != val(y):
                        found.add(("duplicate_rank", year, "TOTAL"))
                if (
                    x.get("grade")
                    and y.get("grade")
                    and val(x) > val(y)
                    and GRADE_ORDER[x["grade"]] > GRADE_ORDER[y["grade"]]
                ):
                    found.add(("grade_band", year, "TOTAL"))
    for g in truth["groups"]:
        year = next(f["year"] for f in truth["facts"] if f["table"] == g["table"])
        if g["size"] is not None and g["size"] != g["rows"]:
            found.add(("block_size", year, "TOTAL"))
    return found


def test_injected_ranking_inconsistencies_are_exactly_what_the_truth_shows():
    corpus._init(5)
    rules = collections.Counter()
    shapes = ["decision", "decision", "lines", "national"]
    for i in range(160):
        doc = corpus.make_rank_doc(i, shapes[i % 4], "pdf" if shapes[i % 4] != "lines" else "html", 1.0)
        t = corpus.rank_truth(doc)
        assert t["inconsistencies"], (i, doc.scope)
        assert ranking_audit(t) == listed(t), (i, doc.scope, t["inconsistencies"])
        rules.update(x["rule"] for x in t["inconsistencies"])
    assert set(rules) == set(corpus.RANKING_RULES), rules


def test_clean_rankings_add_up_and_tie_fairly():
    """Without injections: parts add up to the total, percentages are score / max, ranks
    follow the results (equal results share a rank), grades follow the thresholds, and some
    groups have ties."""
    corpus._init(11)
    ties = 0
    for i in range(120):
        shape = ("decision", "lines", "national", "news")[i % 4]
        doc = corpus.make_rank_doc(i, shape, "html", 0.0)
        t = corpus.rank_truth(doc)
        assert not t["inconsistencies"] and ranking_audit(t) == set(), (i, doc.scope, ranking_audit(t))
        ranks = collections.Counter(
            (f["table"], f.get("group"), f["rank"]) for f in t["facts"] if f["table"] >= 1 and f["rank"] is not None
        )
        ties += any(n > 1 for n in ranks.values())
    assert ties >= 3


def test_sentences_quote_the_same_values_as_the_tables():
    """A unit and year print the same result in every document: a province's news quotes
    what its decision prints."""
    corpus._init(7)
    printed: dict[tuple, set] = collections.defaultdict(set)
    for i in range(200):
        doc = corpus.make_rank_doc(i, ("decision", "news")[i % 2], "html", 0.0)
        if (doc.scope.startswith("news") and doc.scope != "news province") or " / " in doc.scope:
            continue  # the province "Thái Nguyên" is not the city, the commune "Kim Bôi" not the district
        for f in corpus.rank_truth(doc)["facts"]:
            if not f.get("aggregate") and f["code"] == "TOTAL" and f["framework"] == "PAR_INDEX":
                key = (doc.province, f["unit"], f["year"])
                for k in ("score", "percent"):
                    if f[k] is not None:
                        printed[key + (k,)].add(f[k])
    assert printed and all(len(v) == 1 for v in printed.values()), [k for k, v in printed.items() if len(v) > 1][:5]


def test_ranking_documents_are_deterministic(rankings, tmp_path):
    out, _, results = rankings["decision"]
    again = corpus.generate(
        tmp_path / "d",
        len(results),
        seed=4,
        formats={f: 1 for f in RANK_FORMATS["decision"]},
        rate=0.5,
        workers=1,
        shapes={"decision": 1},
    )
    for r in again:
        assert (tmp_path / "d" / r["name"]).read_bytes() == (out / r["name"]).read_bytes(), r["name"]


def test_shapes_mix_most_of_the_archive_is_rankings_and_reports_alone_are_unchanged():
    plan = corpus.document_plan(1000, corpus.SHAPE_WEIGHTS, None, 1)
    shares = collections.Counter(s for s, _ in plan)
    assert shares["report"] == 300 and sum(shares.values()) - shares["report"] == 700
    assert {f for s, f in plan if s == "news"} == {"html", "text"}
    reports = corpus.document_plan(50, corpus.parse_shapes("report"), None, 1)
    assert reports == [("report", f) for f in corpus.format_plan(50, corpus.FORMAT_WEIGHTS, 1)]
    assert set(corpus.parse_shapes("ranking")) == {"decision", "lines", "national", "news"}
    assert {s for s, _ in corpus.document_plan(20, corpus.parse_shapes("ranking"), {"pdf": 1}, 1)} <= {
        "decision",
        "lines",
        "national",
        "news",
    }
