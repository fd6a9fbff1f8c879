"""A run's summary: the line `parindex run` prints, and Markdown (the Prefect artifact of
each ingest run) with the documents' status and counts and the flags counted by rule and
severity. Counts are listed most frequent first, then by name, so the same dataset always
reads the same."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from parindex.audit import RULES, report_order
from parindex.schemas.columns import SEVERITIES


def _md(v) -> str:
    """A Markdown table cell: missing as empty, pipes and line breaks escaped."""
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return ""
    return str(v).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def summary_markdown(documents: list[dict], flags: list[dict] | Counter) -> str:
    """`flags` as flag rows, or as counts by (rule, severity)."""
    counts = flags if isinstance(flags, Counter) else Counter((f.get("rule"), f.get("severity")) for f in flags)
    not_ok = sum(1 for d in documents if d.get("status") != "ok")
    n_obs = sum(int(d.get("observations") or 0) for d in documents)
    lines = [
        f"# parindex run: {len(documents)} documents ({not_ok} not ok), {n_obs} observations, "
        f"{sum(counts.values())} flags",
        "",
        "| document | status | unit | years | observations | error |",
        "|---|---|---|---|---:|---|",
    ]
    lines += [
        f"| {_md(d.get('source'))} | {_md(d.get('status'))} | {_md(d.get('unit'))} | {_md(d.get('years'))} "
        f"| {_md(d.get('observations'))} | {_md(d.get('error'))} |"
        for d in documents
    ]
    severities = [s for s in SEVERITIES if any(k[1] == s for k in counts)] + sorted(
        {k[1] for k in counts if k[1] not in SEVERITIES and k[1]}
    )
    rules = [r for r in report_order() if any(k[0] == r for k in counts)] + sorted(
        {k[0] for k in counts if k[0] not in RULES and k[0]}
    )
    lines += ["", "## Flags by rule and severity", ""]
    if not counts:
        return "\n".join(lines + ["No flags."])
    lines += ["| rule | " + " | ".join(severities) + " | total |", "|---|" + "---:|" * (len(severities) + 1)]
    for rule in rules:
        row = [counts.get((rule, s), 0) for s in severities]
        lines.append(f"| {_md(rule)} | " + " | ".join(str(n) for n in row) + f" | {sum(row)} |")
    totals = [sum(n for (r, s), n in counts.items() if s == sev) for sev in severities]
    lines.append("| **total** | " + " | ".join(str(n) for n in totals) + f" | {sum(totals)} |")
    return "\n".join(lines)


def by_count(counts: dict[str, int]) -> dict[str, int]:
    """The counts, most frequent first, ties by name."""
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def flags_text(counts: dict[str, int]) -> str:
    """ "71 flags: 32 conflict, 23 sum_mismatch, …" (most frequent first); "0 flags"."""
    parts = ", ".join(f"{n} {rule}" for rule, n in by_count(counts).items())
    return f"{sum(counts.values())} flags" + (f": {parts}" if parts else "")


@dataclass
class RunSummary:
    """What `parindex run` reports: this run's documents and the dataset's totals."""

    out: str
    documents: list[dict] = field(default_factory=list)
    observations: int = 0
    flags: int = 0
    flags_by_rule: dict[str, int] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, out, totals: dict, files: dict[str, str]) -> "RunSummary":
        """From `ImportBatch.summary()` (writer/staging.py)."""
        by_rule: dict[str, int] = {}
        for (rule, _), n in totals["flag_counts"].items():
            by_rule[rule] = by_rule.get(rule, 0) + n
        return cls(
            out=str(out),
            documents=totals["documents"],
            observations=totals["observations"],
            flags=sum(by_rule.values()),
            flags_by_rule=by_count(by_rule),
            files=files,
        )

    def line(self) -> str:
        """The one line `parindex run` ends with: documents, observations, flags by rule
        and where the dataset is."""
        not_ok = sum(1 for d in self.documents if d.get("status") != "ok")
        return (
            f"{len(self.documents)} documents ({not_ok} not ok), {self.observations} observations, "
            f"{flags_text(self.flags_by_rule)} -> {self.out.rstrip('/')}/ (parquet, csv, parindex.duckdb)"
        )
