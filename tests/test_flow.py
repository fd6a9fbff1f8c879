"""The real Prefect flow on the real sample files: values, provenance, documents, panel,
idempotent re-runs and a bad document that does not stop the run."""

from __future__ import annotations

import os
import shutil

import pandas as pd
from conftest import SAMPLES, one, read_tables

from parindex.extractors import reading as extraction

BA_TO = "samples/000_65e2608f2289fc53.pdf"
PHONG_THO = "samples/001_af3bdc7e3d446662.docx"
BA_THANH = "samples/002_08e6fc9df459596f.docx"
TAM_DUONG = "samples/003_bcf6dc032df3fdf9.pdf"
TAY_SON = "samples/004_0dbbb814e2b5b046.html"


def test_every_sample_is_read_with_its_unit_level_province_and_code(sample_run):
    docs = sample_run["documents"].set_index("source")
    assert set(docs.index) == {BA_TO, PHONG_THO, BA_THANH, TAM_DUONG, TAY_SON}
    assert (docs["status"] == "ok").all()
    expected = {
        BA_TO: ("pdf", "Ba Tơ", "district", "Quảng Ngãi", "535", "2021,2022,2023,2024"),
        PHONG_THO: ("docx", "Phong Thổ", "district", "Lai Châu", "109", "2023"),
        BA_THANH: ("docx", "Ba Thành", "commune", "Quảng Ngãi", "21493", "2024"),
        TAM_DUONG: ("pdf", "Tam Đường", "district", "Lai Châu", "106", "2022,2023"),
        TAY_SON: ("html", "Tây Sơn", "district", "Bình Định", "547", "2023,2024"),
    }
    for source, (fmt, unit, level, province, code, years) in expected.items():
        d = docs.loc[source]
        assert (d["format"], d["unit"], d["unit_level"], d["province"], d["unit_code"], d["years"]) == (
            fmt,
            unit,
            level,
            province,
            code,
            years,
        ), source
    assert docs.loc[BA_TO, "pages"] == 7 and docs.loc[BA_TO, "tables"] == 3
    assert docs.loc[TAM_DUONG, "pages"] == 10


def test_pdf_table_values_keep_their_page_table_and_row(sample_run):
    obs = sample_run["observations"]
    # The Ba Tơ appendix prints criterion 1 for 2023 twice: 9,91 in the summary, 9,39 in the detail.
    summary = one(obs, source=BA_TO, table=1, code="1", year=2023)
    assert (
        summary["page"],
        summary["row"],
        summary["score"],
        summary["max_score"],
        summary["rank"],
        summary["rank_of"],
    ) == (1, 5, 9.91, 10.5, 6, 13)
    detail = one(obs, source=BA_TO, table=3, code="1", year=2023)
    assert (detail["page"], detail["row"], detail["score"]) == (3, 5, 9.39)
    total = one(obs, source=BA_TO, table=1, code="TOTAL", year=2021)
    assert (total["score"], total["max_score"], total["rank"], total["rank_of"]) == (72.77, 100.0, 12, 13)
    assert total["framework"] == "PAR_INDEX" and total["unit"] == "Ba Tơ"
    # the detailed table runs over pages 3-7 and is stitched into one table
    assert sorted(obs[(obs.source == BA_TO) & (obs.table == 3)]["page"].unique().tolist()) == [3, 4, 5, 6, 7]


def test_codes_are_normalized_and_names_matched(sample_run):
    obs = sample_run["observations"]
    row = one(obs, source=BA_TO, table=3, code="1.7", year=2024)
    assert row["printed_code"] == "1,7"
    assert row["criterion_id"] and row["match_score"] >= 85
    assert set(obs["framework"].dropna()) <= {"PAR_INDEX", "SIPAS", "DDCI", "DTI"}


def test_sentences_give_scores_percentages_ranks_and_targets(sample_run):
    obs = sample_run["observations"]
    sipas = one(obs, source=TAY_SON, table=0, framework="SIPAS", year=2023, code="TOTAL")
    assert (sipas["percent"], sipas["rank"], sipas["rank_of"], sipas["delta"]) == (73.84, 10, 11, -14.24)
    ddci = one(obs, source=TAY_SON, table=0, framework="DDCI", year=2023, code="TOTAL")
    assert ddci["score"] == 67.62
    target = one(obs, source=TAY_SON, table=0, framework="PAR_INDEX", year=2024, code="TOTAL")
    assert target["target"] == 85.0 and pd.isna(target["score"])
    # Ba Thành's narrative: "Điểm tự đánh giá: 111,5 điểm" is kept as printed
    self_scored = obs[(obs.source == BA_THANH) & (obs.code == "1") & obs.self_score.notna()]
    assert self_scored["self_score"].tolist() == [111.5]


def test_flags_point_at_the_inconsistencies_in_the_samples(sample_run):
    flags = sample_run["flags"]
    f = one(flags, source=BA_TO, rule="sum_mismatch", codes="1", year=2023)
    assert (f["expected"], f["found"], f["page"], f["table"], f["row"], f["severity"]) == (
        "9.91",
        "9.39",
        3,
        3,
        5,
        "error",
    )
    f = one(flags, source=TAY_SON, rule="total_mismatch", year=2023)
    assert (f["expected"], f["found"]) == ("79.24", "80.24")
    f = one(flags, source=BA_THANH, rule="score_above_max")
    assert (f["found"], f["expected"]) == ("111.5", "<= 11.5")
    f = one(flags, source=BA_TO, rule="code_gap")
    assert f["codes"] == "8.4" and f["page"] == 7
    f = one(flags, source=TAM_DUONG, rule="delta_mismatch")
    assert (f["codes"], f["expected"], f["found"]) == ("6", "1.49", "-1.49")
    assert flags["flag_id"].is_unique
    assert set(flags["rule"]) <= {
        "sum_mismatch",
        "score_above_max",
        "rank_out_of_range",
        "total_mismatch",
        "delta_mismatch",
        "percent_mismatch",
        "conflict",
        "code_gap",
    }


def test_panel_prefers_the_official_decision_and_counts_disagreement(sample_run):
    panel = sample_run["panel"]
    row = one(panel, unit="Phong Thổ", year=2023, framework="PAR_INDEX", code="TOTAL")
    # the table sums to 79,24; the note quotes the province's decision, 79,27
    assert (row["score"], row["chosen_kind"], row["n_sources"], row["n_disagree"]) == (79.27, "decision", 2, 1)
    assert "79.24" in row["disagreements"]
    row = one(panel, unit="Ba Tơ", year=2023, framework="PAR_INDEX", code="1")
    assert (row["score"], row["n_sources"], row["n_disagree"]) == (9.91, 2, 1)
    keys = row["observation_keys"].split(";")
    assert len(keys) == 2 and all(k.startswith("c0a3c4a23ce9a101:") for k in keys)
    assert not panel.duplicated(["unit", "year", "framework", "code"]).any()


def test_outputs_open_in_csv_and_duckdb(sample_run):
    out = sample_run["out"]
    import duckdb

    csv = pd.read_csv(out / "observations.csv", encoding="utf-8-sig")
    assert len(csv) == len(sample_run["observations"])
    assert "Ba Tơ" in set(csv["unit"])
    con = duckdb.connect(str(out / "parindex.duckdb"), read_only=True)
    try:
        n = con.execute("SELECT count(*) FROM flags WHERE rule = 'sum_mismatch'").fetchone()[0]
        score = con.execute(
            "SELECT score FROM observations WHERE source = ? AND \"table\" = 1 AND code = '1' AND year = 2023", [BA_TO]
        ).fetchone()[0]
    finally:
        con.close()
    assert n == (sample_run["flags"]["rule"] == "sum_mismatch").sum() and score == 9.91
    assert not list(out.glob("*.tmp"))


def test_running_twice_gives_identical_tables(sample_run):
    from parindex.flows.ingest import ingest

    cwd = os.getcwd()
    os.chdir(sample_run["work"])
    try:
        ingest(["samples"], out="out")
    finally:
        os.chdir(cwd)
    again = read_tables(sample_run["out"])
    for name in ("observations", "flags", "documents", "panel"):
        pd.testing.assert_frame_equal(again[name], sample_run[name], obj=name)


def test_a_bad_document_is_recorded_and_the_rest_go_on(prefect_harness, tmp_path):
    from parindex.flows.ingest import ingest

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SAMPLES / "002_08e6fc9df459596f.docx", inbox / "good.docx")
    (inbox / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n% truncated here")
    (inbox / "empty.docx").write_bytes(b"")
    ingest([str(inbox)], out=str(tmp_path / "out"))
    docs = read_tables(tmp_path / "out")["documents"].set_index("source")
    good, broken, empty = (docs.loc[str(inbox / n)] for n in ("good.docx", "broken.pdf", "empty.docx"))
    assert good["status"] == "ok" and good["observations"] == 16
    assert broken["status"] == "failed" and "broken.pdf" in broken["error"]
    assert empty["status"] == "failed" and "empty.docx" in empty["error"]
    obs = read_tables(tmp_path / "out")["observations"]
    assert set(obs["source"]) == {str(inbox / "good.docx")}


def test_reimporting_a_changed_file_replaces_only_its_rows(prefect_harness, tmp_path):
    from parindex.flows.ingest import ingest

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SAMPLES / "004_0dbbb814e2b5b046.html", inbox / "tay_son.html")
    shutil.copy(SAMPLES / "002_08e6fc9df459596f.docx", inbox / "ba_thanh.docx")
    out = str(tmp_path / "out")
    ingest([str(inbox)], out=out)
    before = read_tables(tmp_path / "out")["observations"]
    page = (inbox / "tay_son.html").read_text(encoding="utf-8").replace("80,24", "81,24", 1)
    (inbox / "tay_son.html").write_text(page, encoding="utf-8")
    ingest([str(inbox / "tay_son.html")], out=out)  # only the changed file
    after = read_tables(tmp_path / "out")["observations"]
    assert len(after) == len(before)
    ba_thanh = str(inbox / "ba_thanh.docx")
    pd.testing.assert_frame_equal(
        after[after.source == ba_thanh].reset_index(drop=True), before[before.source == ba_thanh].reset_index(drop=True)
    )
    tay_son = after[after.source == str(inbox / "tay_son.html")]
    assert (
        tay_son["document_id"].nunique() == 1
        and tay_son["document_id"].iloc[0]
        != before[before.source == str(inbox / "tay_son.html")]["document_id"].iloc[0]
    )
    assert 81.24 in set(tay_son["score"].dropna()) | set(tay_son["percent"].dropna())


def test_units_are_placed_after_the_2025_reorganisation(sample_run):
    docs = sample_run["documents"].set_index("source")
    # Bình Định merged into Gia Lai; Ba Thành commune merged into Ba Động; districts have no successor
    assert (docs.loc[TAY_SON, "province_2025"], docs.loc[TAY_SON, "province_code_2025"]) == ("Gia Lai", "52")
    assert (docs.loc[BA_THANH, "unit_2025"], docs.loc[BA_THANH, "unit_code_2025"]) == ("Ba Động", "21496")
    assert pd.isna(docs.loc[BA_TO, "unit_code_2025"]) and docs.loc[BA_TO, "province_2025"] == "Quảng Ngãi"
    obs = sample_run["observations"]
    assert set(obs[obs.source == TAY_SON]["unit_code"]) == {"547"}
    assert one(sample_run["panel"], unit="Ba Thành", year=2024, framework="PAR_INDEX", code="1")["unit_code"] == "21493"


def test_documents_are_read_a_window_at_a_time(prefect_harness, tmp_path, monkeypatch):
    """A run holds `in_flight` documents, not the archive: with one in flight, a document
    is extracted only when the one before it has gone through every stage."""
    from parindex.extractors.reading import extract_stage
    from parindex.flows.ingest import run_ingest

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in ("002_08e6fc9df459596f.docx", "003_bcf6dc032df3fdf9.pdf", "004_0dbbb814e2b5b046.html"):
        shutil.copy(SAMPLES / name, inbox / name)
    real_extract = extract_stage
    started, finished, busy_at_start = [], [], []

    def extract(src, limits=None):
        busy_at_start.append(len(started) - len(finished))
        started.append(src.path)
        return real_extract(src, limits)

    monkeypatch.setattr(extraction, "extract_stage", extract)
    run_ingest(
        [str(inbox)], out=str(tmp_path / "out"), in_flight=1, progress=lambda i, n, r: finished.append(r.source.path)
    )
    assert busy_at_start == [0, 0, 0]
    assert started == finished == sorted(str(p) for p in inbox.iterdir())


def test_a_read_document_leaves_nothing_in_the_flow_run_context(prefect_harness, tmp_path):
    """Prefect keeps each task result's state and each task run's assets in the flow run's
    context until the flow ends; memory would grow with the archive. Once a document has
    gone through its stages, none of its task runs are left there."""
    from prefect.context import FlowRunContext

    from parindex.flows.ingest import run_ingest

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in ("002_08e6fc9df459596f.docx", "004_0dbbb814e2b5b046.html"):
        shutil.copy(SAMPLES / name, inbox / name)
    left = []

    def progress(i, n, result):  # called in the flow, as each document is done
        ctx = FlowRunContext.get()
        left.append((len(ctx.task_run_assets), len(ctx.run_results)))

    run_ingest([str(inbox)], out=str(tmp_path / "out"), in_flight=1, use_cache=False, progress=progress)
    # what is left belongs to the run's first tasks (discover, plan), not to the documents
    assert len(left) == 2 and left[0] == left[1] and left[0][0] <= 2
