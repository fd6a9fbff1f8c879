"""The command line mirrors the Python API (parindex/cli.py)."""

from __future__ import annotations

import json
import shutil

from conftest import SAMPLES

from parindex.cli import main


def test_run_json_summary(prefect_harness, tmp_path, capsys):
    shutil.copy(SAMPLES / "002_08e6fc9df459596f.docx", tmp_path / "ba_thanh.docx")
    assert main(["run", str(tmp_path / "ba_thanh.docx"), "--out", str(tmp_path / "out"), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["observations"] == 16 and summary["flags_by_rule"] == {"score_above_max": 1}
    assert summary["documents"][0]["unit"] == "Ba Thành"


def test_run_shows_progress_per_document(prefect_harness, tmp_path, capsys):
    shutil.copy(SAMPLES / "002_08e6fc9df459596f.docx", tmp_path / "a.docx")
    (tmp_path / "b.pdf").write_bytes(b"%PDF-1.4 broken")
    assert main(["run", str(tmp_path), "--out", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    import re

    # documents are reported as they finish, so in either order
    assert re.search(r"\[[12]/2\] ok +16 obs +\S*a\.docx", err) and re.search(
        r"\[[12]/2\] failed +0 obs +\S*b\.pdf", err
    )


def test_an_unchanged_rerun_answers_without_starting_prefect(prefect_harness, tmp_path, capsys, monkeypatch):
    import pytest

    import parindex.flows.ingest

    inbox, out = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    shutil.copy(SAMPLES / "002_08e6fc9df459596f.docx", inbox / "a.docx")
    assert main(["run", str(inbox), "--out", str(out)]) == 0
    capsys.readouterr()
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}

    def no_flow(*args, **kwargs):
        raise AssertionError("a Prefect flow was started")

    monkeypatch.setattr(parindex.flows.ingest, "run_ingest", no_flow)
    assert main(["run", str(inbox), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert "1 document unchanged since the last run into this folder" in captured.err
    assert "1 documents (0 not ok), 16 observations, 1 flags" in captured.out
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == before
    # a new file, or new audit settings: the flow runs
    shutil.copy(SAMPLES / "004_0dbbb814e2b5b046.html", inbox / "b.html")
    with pytest.raises(AssertionError, match="flow was started"):
        main(["run", str(inbox), "--out", str(out)])
    (inbox / "b.html").unlink()
    with pytest.raises(AssertionError, match="flow was started"):
        main(["run", str(inbox), "--out", str(out), "--rule-off", "conflict"])


def test_run_names_a_missing_path(capsys):
    assert main(["run", "does/not/exist", "--out", "x"]) == 2
    assert "does/not/exist" in capsys.readouterr().err


def test_flags_lists_errors_with_page_and_row(sample_run, capsys):
    assert main(["flags", str(sample_run["out"]), "--severity", "error", "--rule", "total_mismatch"]) == 0
    out = capsys.readouterr().out
    assert "samples/004_0dbbb814e2b5b046.html" in out and "80.24" in out and "79.24" in out
    assert "conflict" not in out


def test_catalog_suggest_lists_low_confidence_names(sample_run, capsys):
    assert main(["catalog", "suggest", str(sample_run["out"])]) == 0
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    obs = sample_run["observations"]
    assert len(rows) == len(
        obs[obs.match_decision != "accepted"].drop_duplicates(["framework", "code", "printed_name"])
    )
    for r in rows:
        assert r["decision"] in ("review", "no_match")
        assert r["proposed_row"].startswith(r["framework"] + ",<version>,")
        printed = obs[
            (obs.source == r["source"]) & (obs.row == int(r["row"])) & (obs.printed_name == r["printed_name"])
        ]
        assert len(printed) >= 1


def test_run_audit_settings_from_the_command_line(prefect_harness, tmp_path, capsys):
    shutil.copy(SAMPLES / "002_08e6fc9df459596f.docx", tmp_path / "ba_thanh.docx")
    out = tmp_path / "out"
    assert (
        main(
            [
                "run",
                str(tmp_path / "ba_thanh.docx"),
                "--out",
                str(out),
                "--quiet",
                "--rule-severity",
                "score_above_max=warning",
            ]
        )
        == 0
    )
    import pandas as pd

    flags = pd.read_parquet(out / "flags.parquet")
    assert flags[["rule", "severity"]].values.tolist() == [["score_above_max", "warning"]]
    assert (
        main(["run", str(tmp_path / "ba_thanh.docx"), "--out", str(out), "--quiet", "--rule-off", "score_above_max"])
        == 0
    )
    assert len(pd.read_parquet(out / "flags.parquet")) == 0
    assert main(["run", str(tmp_path), "--out", str(out), "--rule-off", "no_such_rule"]) == 2
    assert "no_such_rule" in capsys.readouterr().err


def test_run_per_document_time_limit(prefect_harness, tmp_path, capsys):
    import sys

    sys.path.insert(0, str(SAMPLES.parent / "tests" / "bad"))
    import build

    (tmp_path / "ba_to.pdf").write_bytes(build.big_pdf(3000))  # about 3 s to read here: 3 times the limit
    shutil.copy(SAMPLES / "002_08e6fc9df459596f.docx", tmp_path / "ba_thanh.docx")  # 0.2 s: a fifth of it
    out = tmp_path / "out"
    assert main(["run", str(tmp_path), "--out", str(out), "--quiet", "--timeout", "1"]) == 0
    import pandas as pd

    docs = pd.read_parquet(out / "documents.parquet").set_index("source")
    assert docs.loc[str(tmp_path / "ba_to.pdf"), "status"] == "failed"
    assert "longer than the limit of 1 s" in docs.loc[str(tmp_path / "ba_to.pdf"), "error"]
    assert docs.loc[str(tmp_path / "ba_thanh.docx"), "status"] == "ok"


def test_the_temporary_server_runs_without_idle_services(monkeypatch):
    import os

    from parindex.cli import EPHEMERAL_IDLE_SERVICES, _prefect_env

    for service in EPHEMERAL_IDLE_SERVICES:
        monkeypatch.delenv(f"PREFECT_SERVER_SERVICES_{service}_ENABLED", raising=False)
    monkeypatch.delenv("PREFECT_API_BLOCKS_REGISTER_ON_START", raising=False)
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:4200/api")  # a real server: left alone
    _prefect_env(verbose=False)
    assert "PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED" not in os.environ
    assert "PREFECT_API_BLOCKS_REGISTER_ON_START" not in os.environ
    monkeypatch.delenv("PREFECT_API_URL")
    _prefect_env(verbose=False)
    assert os.environ["PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED"] == "false"
    assert os.environ["PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_ENABLED"] == "false"
    assert os.environ["PREFECT_API_BLOCKS_REGISTER_ON_START"] == "false"  # a run uses no blocks
    for service in EPHEMERAL_IDLE_SERVICES:
        os.environ.pop(f"PREFECT_SERVER_SERVICES_{service}_ENABLED", None)
    for setting in ("PREFECT_API_BLOCKS_REGISTER_ON_START", "PREFECT_MEMOIZE_BLOCK_AUTO_REGISTRATION"):
        os.environ.pop(setting, None)


def test_numeric_options_are_validated(capsys):
    import pytest

    for option, value in (
        ("--child-tolerance", "nan"),
        ("--child-tolerance", "-0.5"),
        ("--timeout", "inf"),
        ("--timeout", "0"),
        ("--workers", "0"),
        ("--memory-mb", "lots"),
    ):
        with pytest.raises(SystemExit) as stopped:
            main(["run", str(SAMPLES), "--out", "unused", option, value])
        assert stopped.value.code == 2
        assert f"argument {option}:" in capsys.readouterr().err


def test_file_names_with_terminal_escape_codes_are_printed_escaped(prefect_harness, tmp_path, capsys):
    inbox = tmp_path / "in"
    inbox.mkdir()
    shutil.copy(SAMPLES / "002_08e6fc9df459596f.docx", inbox / "a\x1b[2J\x1b]0;owned\x07.docx")
    (inbox / "b\x1b[31m.pdf").write_bytes(b"%PDF-1.4 broken")
    assert main(["run", str(inbox), "--out", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err
    assert "a\\x1b[2J\\x1b]0;owned\\x07.docx" in err and "b\\x1b[31m.pdf" in err
