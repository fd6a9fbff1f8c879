"""What `parindex run` shows while it works and when it is done: the progress of a fake run
(a clock and documents we control, no Prefect), and the summary line."""

from __future__ import annotations

import io
import re
from types import SimpleNamespace

from rich.console import Console

from parindex.progress import RunProgress
from parindex.writer.summary import RunSummary, flags_text


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def wait(self, seconds: float) -> None:
        self.now += seconds


def _result(path: str, status: str = "ok", n_obs: int = 10, error: str | None = None):
    return SimpleNamespace(source=SimpleNamespace(path=path), status=status, count=lambda: n_obs, error=error)


def _terminal() -> tuple[io.StringIO, Console]:
    buf = io.StringIO()
    return buf, Console(file=buf, force_terminal=True, width=120, color_system=None)


def _bar(progress: RunProgress):
    return progress._bar.tasks[0]


# ----------------------------------------------------------------------------- the bar


def test_the_bar_advances_as_each_document_finishes():
    buf, console = _terminal()
    clock = FakeClock()
    with RunProgress("normal", console=console, clock=clock) as progress:
        assert _bar(progress).description.startswith("starting") and _bar(progress).total is None
        clock.wait(20)  # Prefect's temporary server starting, discovery, planning
        progress.unchanged(0)
        assert _bar(progress).description == "reading documents"
        for i in range(1, 5):
            clock.wait(2)
            progress(i, 4, _result(f"in/{i}.pdf"))
            assert (_bar(progress).completed, _bar(progress).total) == (i, 4)
    text = buf.getvalue()
    # each document's line is followed by the bar already counting it, never by "0/?"
    for i in range(1, 4):
        after = text[text.index(f"[{i}/4] ok") : text.index(f"[{i + 1}/4] ok")]
        assert f"{i}/4" in after.split("in/")[-1] and "0/?" not in after, after


def test_the_bar_knows_how_many_documents_will_be_read_when_reading_starts():
    buf, console = _terminal()
    with RunProgress("normal", console=console, clock=FakeClock()) as progress:
        progress.unchanged(2, to_read=7)
        assert (_bar(progress).completed, _bar(progress).total) == (0, 7)


def test_the_time_left_starts_when_reading_starts():
    clock = FakeClock()
    buf = io.StringIO()
    with RunProgress("normal", stream=buf, clock=clock) as progress:
        clock.wait(52)  # start-up: not a document's cost
        progress.unchanged(0)
        clock.wait(3)
        progress(1, 5, _result("in/a.docx"))
        clock.wait(1)  # read in parallel: the second finishes soon after
        progress(2, 5, _result("in/b.docx"))
        clock.wait(2)
        progress(5, 5, _result("in/c.docx"))
    left = [float(m) for m in re.findall(r"\(~(\d+)s left\)", buf.getvalue())]
    assert left == [12, 6, 0]  # 3 s per document, then 2 s per document on average


def test_the_time_left_without_a_planning_step_counts_from_the_start():
    clock = FakeClock()
    progress = RunProgress("silent", clock=clock)
    clock.wait(4)
    assert progress.seconds_left(2, 10) == 16


def test_progress_on_a_terminal_uses_a_bar_and_names_each_file():
    buf, console = _terminal()
    with RunProgress("normal", console=console) as progress:
        assert progress.rich
        progress(1, 2, _result("in/a.docx", "ok", 16))
        progress(2, 2, _result("in/b.pdf", "failed", 0, "in/b.pdf: cannot read as pdf: PDFSyntaxError: bad"))
    text = buf.getvalue()
    assert "ok" in text and "in/a.docx" in text and "16 obs" in text
    assert "[1/2] ok" in text and "[2/2] failed" in text
    assert "in/b.pdf — cannot read as pdf: PDFSyntaxError: bad" in text
    assert "in/b.pdf: cannot" not in text  # the path is not repeated
    assert "━" in text and "2/2" in text  # the bar, files done


def test_progress_elsewhere_is_plain_lines():
    buf = io.StringIO()
    with RunProgress("normal", stream=buf) as progress:
        assert not progress.rich
        progress.unchanged(3)
        progress(1, 2, _result("in/a.docx", "ok", 16))
        progress(2, 2, _result("in/b.pdf", "failed", 0, "in/b.pdf: page 3 has no text layer"))
    lines = buf.getvalue().splitlines()
    assert lines[0] == "3 documents unchanged since the last run into this folder: not read again"
    assert lines[1].startswith("[1/2] ok        16 obs  in/a.docx  (~") and lines[1].endswith("s left)")
    assert lines[2].startswith("[2/2] failed     0 obs  in/b.pdf — page 3 has no text layer  (~0s left)")
    quiet = io.StringIO()
    with RunProgress("quiet", stream=quiet) as progress:
        progress(1, 2, _result("in/a.docx", "partial", 0, "in/a.docx: no scores found"))
        progress(2, 2, _result("in/b.pdf", "failed", 0, "in/b.pdf: page 3 has no text layer"))
    assert quiet.getvalue() == "parindex: in/b.pdf: failed: page 3 has no text layer\n"


# ----------------------------------------------------------------------------- the summary line


def _totals(flag_counts: dict) -> dict:
    docs = [{"source": "a.pdf", "status": "ok"}, {"source": "b.pdf", "status": "failed"}]
    return {"documents": docs, "observations": 509, "flag_counts": flag_counts}


def test_the_summary_line_counts_flags_most_frequent_first_and_reads_the_same_every_run():
    counts = {
        ("sum_mismatch", "error"): 60,
        ("conflict", "warning"): 5,
        ("code_gap", "info"): 1,
        ("sum_mismatch", "warning"): 3,
        ("delta_mismatch", "warning"): 1,
        ("total_mismatch", "error"): 1,
    }
    line = RunSummary.of("out", _totals(counts), {}).line()
    assert line == (
        "2 documents (1 not ok), 509 observations, 71 flags: 63 sum_mismatch, 5 conflict, "
        "1 code_gap, 1 delta_mismatch, 1 total_mismatch -> out/ (parquet, csv, parindex.duckdb)"
    )
    shuffled = dict(reversed(list(counts.items())))
    summary = RunSummary.of("out/", _totals(shuffled), {})
    assert summary.line() == line and "{" not in line
    assert list(summary.flags_by_rule) == ["sum_mismatch", "conflict", "code_gap", "delta_mismatch", "total_mismatch"]


def test_a_run_without_flags_says_so():
    assert flags_text({}) == "0 flags"
    assert "509 observations, 0 flags -> out/" in RunSummary.of("out", _totals({}), {}).line()
