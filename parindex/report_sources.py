"""Where each value of the report was printed, and the link that opens it.

`SourceLinks` turns a document's recorded path into a link relative to the report's own
folder (`../samples/x.pdf#page=3`), so the report and the documents can be zipped and
mailed together and still open each other. A recorded path is relative to the folder
the run was started in, which the dataset does not record: it is looked for beside the
output folder, then in the current folder.

`ValueOrigins` answers, for one panel value (a unit, year, framework, criterion and
field), which observation printed it (source, page, table, row), which other values
were printed for it and where, and which flags point at those rows.
"""

from __future__ import annotations

import os
import pathlib
from dataclasses import dataclass, field
from urllib.parse import quote

import pandas as pd

from parindex.flag_targets import flagged_observations, severity_rank
from parindex.labels import Labels, missing
from parindex.schemas.columns import VALUE_FIELDS
from parindex.schemas.observation import SENTENCE_TABLE


class SourceLinks:
    """Links from a report at `report_dir` to the documents of the dataset in `out_dir`."""

    def __init__(
        self,
        report_dir: str | os.PathLike,
        out_dir: str | os.PathLike | None = None,
        formats: dict[str, str] | None = None,
    ):
        self.report_dir = pathlib.Path(report_dir).resolve()
        out = pathlib.Path(out_dir).resolve() if out_dir is not None else None
        self.bases = [b for b in (out.parent if out else None, pathlib.Path.cwd(), out) if b is not None]
        self.formats = formats or {}
        self._paths: dict[str, pathlib.Path] = {}

    def path(self, source: str) -> pathlib.Path:
        """The document's file: the first base it exists under, else under the first base."""
        if source not in self._paths:
            p = pathlib.Path(source)
            if not p.is_absolute():
                found = [b / p for b in self.bases if (b / p).exists()]
                p = found[0] if found else self.bases[0] / p
            self._paths[source] = p
        return self._paths[source]

    def href(self, source, page=None) -> str:
        """The file relative to the report, at its page for a PDF; empty without a source."""
        if missing(source) or not str(source):
            return ""
        target = self.path(str(source))
        try:
            link = quote(pathlib.Path(os.path.relpath(target, self.report_dir)).as_posix())
        except ValueError:  # another drive: only an absolute link reaches it
            link = target.as_uri()
        is_pdf = self.formats.get(str(source), "") == "pdf" or target.suffix.lower() == ".pdf"
        return f"{link}#page={int(page)}" if is_pdf and not missing(page) and int(page) > 0 else link


def where_text(labels: Labels, page, table, row) -> str:
    """Where a number was printed, as a reader looks for it: "p. 3 · table 3, row 5"."""
    parts = [] if missing(page) else [labels("where.page", page=int(page))]
    if not missing(table) and int(table) == SENTENCE_TABLE:
        parts.append(labels("where.sentence", row="" if missing(row) else int(row)))
    elif not missing(table):
        parts.append(labels("where.table", table=int(table), row="" if missing(row) else int(row)))
    return " · ".join(parts)


@dataclass(frozen=True)
class Printed:
    """One printed value: the value, its file and where in it."""

    value: float
    source: str
    page: object
    table: object
    row: object


@dataclass(frozen=True)
class FlagNote:
    rule: str
    severity: str
    message: str


@dataclass
class Origin:
    """Where a panel value came from, the other values printed for it, the flags on them."""

    printed: Printed | None
    others: list[Printed] = field(default_factory=list)
    flags: list[FlagNote] = field(default_factory=list)

    @property
    def severity(self) -> str:
        """The worst severity among the flags, or ""."""
        return min((f.severity for f in self.flags), key=severity_rank, default="")


WHERE = ("source", "page", "table", "row")  # where a value was printed, in Printed's order


def _key(document_id, table, row) -> str:
    """The "document_id:table:row" form of panel.observation_keys."""
    return f"{document_id}:{'None' if missing(table) else int(table)}:{'None' if missing(row) else int(row)}"


class ValueOrigins:
    """Index of the observations by panel key, and of the flags on each observation."""

    def __init__(self, observations: pd.DataFrame, flags: pd.DataFrame):
        # columns as lists, read by position: a value's origin is looked up for every
        # value drawn, and a DataFrame lookup each time would cost more than the page
        self._pos = {label: i for i, label in enumerate(observations.index)}
        self._col = {c: observations[c].tolist() for c in (*WHERE, "unit", "unit_code", *VALUE_FIELDS)}
        self._rows: dict[tuple, list] = {}
        for idx, d, t, r, y, fw, code in zip(
            observations.index,
            observations["document_id"],
            observations["table"],
            observations["row"],
            observations["year"],
            observations["framework"],
            observations["code"],
        ):
            if not missing(y):
                self._rows.setdefault((_key(d, t, r), int(y), fw, code), []).append(idx)
        self._flags: dict = {}
        pairs = flagged_observations(flags, observations)
        messages = dict(zip(flags["flag_id"], flags["message"])) if len(flags) else {}
        for idx, fid, rule, sev in zip(pairs["obs_index"], pairs["flag_id"], pairs["rule"], pairs["severity"]):
            self._flags.setdefault(idx, {})[fid] = FlagNote(
                rule, sev, "" if missing(messages.get(fid)) else str(messages[fid])
            )

    def _get(self, index, column: str):
        return self._col[column][self._pos[index]]

    def observation_rows(self, panel_row) -> list:
        """Index labels of the observations a panel row was built from: printed at one of
        its keys for its year, framework and criterion, and about its unit (a sentence or
        a ranking row names several units)."""
        keys = "" if missing(panel_row.get("observation_keys")) else str(panel_row["observation_keys"])
        year, fw, code = int(panel_row["year"]), panel_row["framework"], panel_row["code"]
        found: list = []
        for k in dict.fromkeys(keys.split(";")):
            found += [i for i in self._rows.get((k, year, fw, code), []) if self._same_unit(i, panel_row)]
        return found

    def _same_unit(self, index, panel_row) -> bool:
        unit, code = self._get(index, "unit"), self._get(index, "unit_code")
        if not missing(panel_row.get("unit_code")) and not missing(code):
            return code == panel_row["unit_code"]
        return unit == panel_row.get("unit")

    def origin(self, panel_row, measure: str) -> Origin:
        """The observation that printed the panel's `measure`, the others printed for it
        (each distinct value once, where it was first printed) and the flags on all of them."""
        chosen = panel_row.get(measure)
        chosen_source = panel_row.get("chosen_source")
        rows = sorted(self.observation_rows(panel_row), key=lambda i: self._get(i, "source") != chosen_source)
        printed, others, seen = None, [], set()
        flags: dict = {}
        for i in rows:
            flags.update(self._flags.get(i, {}))
            v = self._get(i, measure)
            if missing(v):
                continue
            p = Printed(float(v), *(self._get(i, c) for c in WHERE))
            if not missing(chosen) and abs(float(v) - float(chosen)) < 1e-9:
                printed = printed or p
            elif round(float(v), 6) not in seen:
                seen.add(round(float(v), 6))
                others.append(p)
        notes = sorted(flags.values(), key=lambda f: (severity_rank(f.severity), f.rule))
        return Origin(printed, others, notes)
