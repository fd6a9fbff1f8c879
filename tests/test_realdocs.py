"""The real documents about many units (../shared/realdocs: rankings of departments,
districts, provinces and ministries and the articles that quote them), each built into
HTML, Word, PDF and text with ../shared/tools/build_formats.py and read by the normalize
and match stages, scored against their hand-read truth with ../shared/tools/score.py.
Skipped where that folder is not beside the repository."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT

SHARED = ROOT.parent / "shared"
REALDOCS, TOOLS = SHARED / "realdocs", SHARED / "tools"
pytestmark = pytest.mark.skipif(
    not (REALDOCS / "raw").is_dir() or not (TOOLS / "score.py").is_file(),
    reason="../shared/realdocs not beside the repository",
)


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    """Every document in each of the four formats (four copies, one per format, with
    their truth), read in this process, then scored."""
    from parindex.extractors import extract
    from parindex.normalizer.matching import match_observations
    from parindex.normalizer.normalize import normalize_document
    from parindex.schemas.columns import OBSERVATION_COLUMNS

    work = tmp_path_factory.mktemp("realdocs")
    raw, truth, built, out = work / "raw", work / "truth", work / "built", work / "out"
    for d in (raw, truth, out):
        d.mkdir()
    for f in sorted((REALDOCS / "raw").glob("*.txt")):
        for k in range(4):  # build_formats picks the format by position: 4 copies give each format once
            shutil.copy(f, raw / f"{f.stem}_{k}.txt")
            shutil.copy(REALDOCS / "truth" / f"{f.stem}.json", truth / f"{f.stem}_{k}.json")
    subprocess.run(
        [sys.executable, str(TOOLS / "build_formats.py"), str(raw), str(built)], check=True, capture_output=True
    )
    rows = []
    for f in sorted(built.iterdir()):
        normalized = normalize_document(extract(f))
        ctx = normalized.context
        for o in match_observations(normalized.observations, ctx.unit_level, ctx.province):
            rows.append({**{c: o.get(c) for c in OBSERVATION_COLUMNS}, "source": str(f)})
    with open(out / "observations.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(OBSERVATION_COLUMNS))
        w.writeheader()
        w.writerows({k: "" if v is None else v for k, v in r.items()} for r in rows)
    (out / "flags.csv").write_text("rule,year,codes,source\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(TOOLS / "score.py"), str(out), str(truth), "--json"],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout)


def test_tables_and_sentences_about_many_units_are_read_in_every_format(scored):
    total = scored["total"]
    assert total["table"]["f1"] >= 0.95 and total["prose"]["f1"] >= 0.90, total


def test_every_document_in_every_format_is_read_above_half(scored):
    weak = {
        stem: (d["table"]["f1"], d["prose"]["f1"])
        for stem, d in scored["documents"].items()
        if min(d["table"]["f1"], d["prose"]["f1"]) <= 0.5
    }
    assert weak == {}


def test_the_formats_agree(scored):
    # the same document built as HTML, Word, PDF and text is read the same
    by_doc: dict[str, set] = {}
    for stem, d in scored["documents"].items():
        by_doc.setdefault(stem.rsplit("_", 1)[0], set()).add((round(d["table"]["f1"], 3), round(d["prose"]["f1"], 3)))
    assert {doc: got for doc, got in by_doc.items() if len(got) > 1} == {}
