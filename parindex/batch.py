"""An import batch: the documents of one run, staged beside the dataset, audited a few
thousand observations at a time and committed at once. Memory stays flat however large
the archive, and a run that adds or changes a few documents rewrites only what they
touch.

The dataset in an output folder (see README "Output"):

    parindex.duckdb             the store of record: tables observations, documents, panel
                                and the view flags (internal tables in schema
                                parindex_internal)
    observations.parquet/       one Parquet part per unit (unit-<hash>.parquet), plus a
    flags.parquet/              zero-row 00-schema.parquet, so pandas, pyarrow and DuckDB
    panel.parquet/              read each folder as one table
    documents.parquet           one file, one row per document
    *.csv                       every table as one CSV (UTF-8 with BOM, for Excel)

A batch works on a copy of parindex.duckdb in a `.staged-*` folder:
1. `plan`: a source whose path and bytes are already in the dataset, read by the same
   code (its cached result exists), is not read again;
2. `add`: each document read is appended to staging tables as it finishes (in slices
   of a few thousand rows), its observations dropped from memory;
3. `finish`: the documents replace what their sources gave before; each changed
   document is audited on its own, each unit it touches across documents, a few years
   of a few units at a time (`conflict` and the panel compare one unit and year;
   `max_change`, across years, gets each year's maxima); the Parquet parts of those
   units are streamed from DuckDB a slice at a time, the CSVs exported by DuckDB; then
   one journaled commit (parindex/store.py) moves the changed files into place.
A changed audit setting or code version re-audits every unit (documents are re-read
only if the code that reads them changed).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pathlib
import shlex
import shutil
import uuid
from collections import Counter
from dataclasses import asdict

import pandas as pd

from parindex import cache, store
from parindex.audit import Audit, AuditSettings
from parindex.normalizer.panel import build_panel
from parindex.schemas.columns import SORT_KEYS, TABLES

PART_TABLES = ("observations", "flags", "panel")  # one Parquet part per unit
SCHEMA_PART = "00-schema.parquet"
DATABASE = "parindex.duckdb"
INTERNAL = "parindex_internal"
SLICE_ROWS = 5_000  # observations buffered before they are appended to the staging table
CHUNK_ROWS = 40_000  # observations audited, and rows sorted to write parts, at a time, unless one key has more
# DuckDB's buffer; past it, the staged tables spill to the staging folder. No query sorts
# more than a chunk (CSVs are exported a chunk at a time), so a small buffer is enough:
# 64 MB kept the batch of 20,000 documents 50 MB lower than 128 MB, as fast.
DUCKDB_MEMORY = "64MB"
SQL_TYPES = {"string": "VARCHAR", "Int64": "BIGINT", "Float64": "DOUBLE"}
KEY = "coalesce(unit, '')"  # the unit a row belongs to; '' for rows without a unit
YEAR = "coalesce(year, -1)"  # its year; -1 for rows without one
YEARS = "unit-years"  # `_selected` by (KEY, YEAR) pairs
# names only parindex puts in an output folder: one of them marks a folder as a dataset
DATASET_MARKERS = {DATABASE, store.LOCK, store.JOURNAL, cache.CACHE_DIR, "documents.parquet"}


def dataset_files(out: str | os.PathLike) -> dict[str, str]:
    """The dataset's tables (Parquet) and database in `out`."""
    out = pathlib.Path(out)
    return {**{n: str(out / f"{n}.parquet") for n in TABLES}, "duckdb": str(out / DATABASE)}


def check_output_folder(out: str | os.PathLike, inputs: list[str | os.PathLike] = ()) -> None:
    """An output folder is parindex's: new, empty, or holding a parindex dataset, and
    none of the input folders (a dataset in an input folder would hide the reports added
    there later: discovery skips a folder that holds a dataset). Raises OutputNotOurs
    naming the folder and what to do."""
    from parindex.schemas.errors import OutputNotOurs

    out = pathlib.Path(out)
    for p in inputs:
        if pathlib.Path(p).is_dir() and out.exists() and os.path.samefile(p, out):
            raise OutputNotOurs(f"{out}: the output folder is also an input folder; give --out another folder")
    if not out.exists():
        return
    if not out.is_dir():
        raise OutputNotOurs(f"{out}: not a folder; give --out a new or empty folder")
    names = set(os.listdir(out))
    if names & DATASET_MARKERS:
        return
    # Another tool's files that parindex would overwrite are refused; any other file (the
    # run's own log: `parindex run … --out D > D/run.log`) is left where it is, untouched
    taken = sorted(names & _written_names())
    if taken:
        raise OutputNotOurs(
            f"{out}: holds files that are not a parindex dataset ({taken[0]}"
            f"{', ...' if len(taken) > 1 else ''}), which a run would overwrite; "
            f"give --out a new or empty folder"
        )


def _written_names() -> set[str]:
    """The names a run writes at the top of its output folder."""
    return {f"{n}.parquet" for n in TABLES} | {f"{n}.csv" for n in TABLES} | DATASET_MARKERS


def _checksum(path: pathlib.Path) -> str | None:
    """ "size:mtime_ns:sha256" of a file; None if it is missing or cannot be read."""
    h = hashlib.sha256()
    try:
        st = path.stat()
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    except OSError:
        return None
    return f"{st.st_size}:{st.st_mtime_ns}:{h.hexdigest()}"


def _matches(path: pathlib.Path, recorded: str | None) -> bool:
    """Whether the file is the one the manifest recorded: the same size and, unless its
    modification time is also unchanged (a file as parindex left it), the same sha256.
    Checking the time first keeps an unchanged run from reading every part."""
    if not isinstance(recorded, str) or recorded.count(":") != 2:
        return False
    size, mtime, sha = recorded.split(":")
    try:
        st = path.stat()
    except OSError:
        return False
    if str(st.st_size) != size:
        return False
    if str(st.st_mtime_ns) == mtime:
        return True
    now = _checksum(path)
    return now is not None and now.rsplit(":", 1)[1] == sha


def damaged_files(out: str | os.PathLike) -> list[str]:
    """The dataset files of `out` (relative paths) that differ from what its manifest
    recorded; [] when the folder has no database or no recorded checksums to compare."""
    import duckdb

    out = pathlib.Path(out)
    if not (out / DATABASE).exists():
        return []
    try:
        con = duckdb.connect(str(out / DATABASE), read_only=True)
    except duckdb.Error:
        return []
    try:
        recorded = _recorded_checksums(con)
    except duckdb.Error:
        recorded = None
    finally:
        con.close()
    if not isinstance(recorded, dict):
        return []
    return sorted(rel for rel in recorded if not _matches(out / rel, recorded[rel]))


def _recorded_checksums(con) -> dict[str, str] | None:
    """The checksums the manifest recorded, by file; None if it recorded none."""
    row = con.execute(f"SELECT value FROM {INTERNAL}.manifest WHERE key = 'files'").fetchone()
    try:
        recorded = json.loads(row[0]) if row else None
    except ValueError:
        return None
    return recorded if isinstance(recorded, dict) else None


def part_name(unit_key: str) -> str:
    return f"unit-{hashlib.md5(unit_key.encode('utf-8')).hexdigest()[:16]}.parquet"


def settings_fingerprint(settings: AuditSettings | None) -> str:
    return json.dumps(asdict(settings or AuditSettings()), sort_keys=True)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _columns(name: str) -> str:
    return ", ".join(f"{_q(c)} {SQL_TYPES[t]}" for c, t in TABLES[name].items())


def _order(name: str) -> str:
    """The table's sort keys, then every other column: rows that tie on the keys (two
    units in one sentence) come in the same order in every run, and so do the panel's
    choices between them."""
    rest = [c for c in TABLES[name] if c not in SORT_KEYS[name]]
    return ", ".join(f"{_q(c)} NULLS FIRST" for c in (*SORT_KEYS[name], *rest))


def _in_groups(sizes: list[tuple], rows: int = 0) -> list[list]:
    """The keys of `sizes` ((key, row count) pairs), in order, in consecutive groups of
    at most `rows` rows (CHUNK_ROWS by default), or one key alone if it has more."""
    rows = rows or CHUNK_ROWS
    groups, group, n = [], [], 0
    for key, size in sizes:
        if group and n + size > rows:
            groups.append(group)
            group, n = [], 0
        group.append(key)
        n += size
    return groups + [group] if group else groups


def records(df: pd.DataFrame) -> list[dict]:
    """Rows as dicts of plain Python values, missing values as None."""
    return df.astype(object).where(df.notna(), None).to_dict("records")


class PartWriter:
    """Parquet parts written from a stream of sorted slices: the rows of one unit go to
    its part, row group by row group, and a part is finished when the next unit starts.
    `staged(final)` gives the path to write `final` at, `done(path, final)` takes it."""

    def __init__(self, name: str, staged, done):
        self.name, self.staged, self.done = name, staged, done
        self.key = self.path = self.writer = None

    def add(self, frame: pd.DataFrame) -> None:
        """A slice of the table (its contract's columns and dtypes), sorted by unit."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        for key, part in frame.groupby(frame["unit"].fillna(""), sort=False):  # each unit's rows are together
            if key != self.key:
                self.close()
                self.key, self.path = key, self.staged(f"{self.name}.parquet/{part_name(key)}")
            table = pa.Table.from_pandas(part, preserve_index=False)
            self.writer = self.writer or pq.ParquetWriter(self.path, table.schema)
            self.writer.write_table(table)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.done(self.path, f"{self.name}.parquet/{part_name(self.key)}")
        self.key = self.path = self.writer = None


class ImportBatch:
    """One run's import into `out`. Use as a context manager: the output folder is
    locked for the run, and anything staged is removed if the run fails."""

    def __init__(self, out: str | os.PathLike, settings: AuditSettings | None = None, use_cache: bool = True):
        self.out = pathlib.Path(out)
        self.settings = settings or AuditSettings()
        self.use_cache = use_cache
        self.code_version = cache.code_version()
        self.staging: pathlib.Path | None = None
        self.con = None
        self._obs: list[dict] = []
        self._docs: list[dict] = []
        self._lock = None
        self.sources: list[str] = []  # every source of this run, read or not
        self.full_audit = False
        self.needs_rewrite = False
        self.observation_units: set[str] = set()

    # ------------------------------------------------------------------ life cycle
    def __enter__(self) -> "ImportBatch":
        check_output_folder(self.out)
        self._lock = store.lock(self.out)
        self._lock.__enter__()
        try:
            store.recover(self.out)
            self._heal_database()
        except BaseException:
            self._lock.__exit__(None, None, None)
            raise
        return self

    def database_opens(self) -> bool:
        """Whether the dataset's database is absent or opens (else it is damaged)."""
        import duckdb

        if not (self.out / DATABASE).exists():
            return True
        try:
            duckdb.connect(str(self.out / DATABASE), read_only=True).close()
        except duckdb.Error:
            return False
        return True

    def _heal_database(self) -> None:
        """A damaged or deleted parindex.duckdb rebuilt from the dataset's Parquet copies (its
        observations and documents; flags and panel follow from a full audit, since the
        rebuilt database has no manifest). Raises DatasetDamaged with the way out when
        the Parquet copies cannot be read either."""
        import duckdb

        from parindex.schemas.errors import DatasetDamaged

        if (self.out / DATABASE).exists() and self.database_opens():
            return
        if not (self.out / DATABASE).exists() and not (self.out / "documents.parquet").is_file():
            return  # a new dataset
        rebuilt = self.out / f"{store.STAGED_PREFIX}rebuilt-{uuid.uuid4().hex[:12]}.duckdb"
        try:
            with contextlib.closing(duckdb.connect(str(rebuilt))) as con:
                parts = self.out / "observations.parquet"
                for name, source in (
                    ("observations", parts / "*.parquet" if parts.is_dir() else parts),
                    ("documents", self.out / "documents.parquet"),
                ):
                    con.execute(f"CREATE TABLE {_q(name)} ({_columns(name)})")
                    cols = ", ".join(_q(c) for c in TABLES[name])
                    con.execute(
                        f"INSERT INTO {_q(name)} SELECT {cols} FROM read_parquet(?, union_by_name = true)",
                        [str(source)],
                    )
                con.execute("CHECKPOINT")
            store.fsync_file(rebuilt)
        except (duckdb.Error, OSError) as exc:
            rebuilt.unlink(missing_ok=True)
            out = shlex.quote(str(self.out))
            raise DatasetDamaged(
                f"{self.out / DATABASE}: damaged or missing, and its Parquet copies cannot be read to rebuild it "
                f"({str(exc).splitlines()[0]}); import again into a new folder: "
                f"mv {out} {shlex.quote(str(self.out) + '.damaged')} && parindex run YOUR_REPORTS --out {out}"
            ) from None
        os.replace(rebuilt, self.out / DATABASE)

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if self.con is not None:
                self.con.close()
                self.con = None
            if (self.out / store.JOURNAL).exists():  # stopped inside the commit: finish it, its files are staged
                store.recover(self.out)
            if self.staging is not None:
                shutil.rmtree(self.staging, ignore_errors=True)
        finally:
            self._lock.__exit__(exc_type, exc, tb)

    def _connect(self):
        """The staged copy of the dataset's database, made on first use."""
        if self.con is not None:
            return self.con
        import duckdb

        self.staging = self.out / f"{store.STAGED_PREFIX}{uuid.uuid4().hex[:12]}"
        self.staging.mkdir()
        db = self.staging / DATABASE
        if (self.out / DATABASE).exists():
            shutil.copyfile(self.out / DATABASE, db)
        self.con = duckdb.connect(
            str(db),
            config={"memory_limit": DUCKDB_MEMORY, "threads": 2, "temp_directory": str(self.staging / "duckdb.tmp")},
        )
        self._ensure_schema()
        return self.con

    def _ensure_schema(self) -> None:
        con = self.con
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {INTERNAL}")
        con.execute(f"CREATE TABLE IF NOT EXISTS {INTERNAL}.manifest (key VARCHAR PRIMARY KEY, value VARCHAR)")
        kinds = dict(
            con.execute(
                "SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'main'"
            ).fetchall()
        )
        if kinds.get("flags") == "BASE TABLE":  # written by parindex before unit-by-unit audits
            con.execute("DROP TABLE flags")
        for name in ("observations", "documents", "panel"):
            con.execute(f"CREATE TABLE IF NOT EXISTS {_q(name)} ({_columns(name)})")
            have = {
                r[0]
                for r in con.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' AND table_name = ?",
                    [name],
                ).fetchall()
            }
            for c, t in TABLES[name].items():
                if c not in have:
                    con.execute(f"ALTER TABLE {_q(name)} ADD COLUMN {_q(c)} {SQL_TYPES[t]}")
        for name in ("document_flags", "unit_flags"):
            con.execute(f"CREATE TABLE IF NOT EXISTS {INTERNAL}.{name} ({_columns('flags')})")
        cols = ", ".join(_q(c) for c in TABLES["flags"])
        # a flag found by a document's own rules and again across documents is kept once
        con.execute(
            f"CREATE OR REPLACE VIEW flags AS SELECT {cols} FROM ("
            f"SELECT *, 0 AS level FROM {INTERNAL}.document_flags UNION ALL "
            f"SELECT *, 1 AS level FROM {INTERNAL}.unit_flags) "
            f"QUALIFY row_number() OVER (PARTITION BY flag_id ORDER BY level) = 1"
        )
        for name in ("observations", "documents"):
            con.execute(f"CREATE OR REPLACE TABLE {INTERNAL}.new_{name} ({_columns(name)})")
        self.full_audit = not self._manifest_matches(con)

    def _manifest_matches(self, con) -> bool:
        """Whether the database was audited with these settings and read by this code."""
        manifest = dict(con.execute(f"SELECT key, value FROM {INTERNAL}.manifest").fetchall())
        return (
            manifest.get("audit_settings") == settings_fingerprint(self.settings)
            and manifest.get("code_version") == self.code_version
        )

    def _damaged_files(self, con) -> set[str]:
        """The dataset's files (relative paths) whose size or sha256 differs from what the
        manifest recorded when they were written: truncated, overwritten or damaged. A
        dataset written without checksums has every file counted as damaged once."""
        recorded = _recorded_checksums(con)
        present = {p.relative_to(self.out).as_posix() for p in self._data_files()}
        if not isinstance(recorded, dict):
            return present or {"documents.parquet"}
        return {rel for rel in present | set(recorded) if not _matches(self.out / rel, recorded.get(rel))}

    def _data_files(self) -> list[pathlib.Path]:
        """The files of the dataset besides its database: parts, documents.parquet, CSVs."""
        files = [p for name in PART_TABLES for p in (self.out / f"{name}.parquet").glob("*.parquet")]
        return files + [
            p for p in [self.out / "documents.parquet", *(self.out / f"{n}.csv" for n in TABLES)] if p.is_file()
        ]

    @contextlib.contextmanager
    def _committed(self):
        """A read-only connection to the committed database."""
        import duckdb

        con = duckdb.connect(str(self.out / DATABASE), read_only=True)
        try:
            yield con
        finally:
            con.close()

    # ------------------------------------------------------------------ 1. plan
    def existing_documents(self) -> pd.DataFrame:
        """The documents table of the dataset as it is now (empty if there is none)."""
        import duckdb

        if not (self.out / DATABASE).exists():
            return store.to_frame("documents", [])
        with self._committed() as con:
            try:
                return store.conform("documents", con.execute("SELECT * FROM documents").df())
            except duckdb.Error:
                return store.to_frame("documents", [])

    def _dataset_is_current(self) -> bool:
        """Whether the dataset was audited with these settings and this code, and every
        part file it should have is there (else `finish` has work even with no document
        to read)."""
        import duckdb

        if not (self.out / DATABASE).exists():
            return False
        with self._committed() as con:
            try:
                if not self._manifest_matches(con) or self._damaged_files(con):
                    return False
                for name in PART_TABLES:
                    keys = {r[0] for r in con.execute(f"SELECT DISTINCT {KEY} FROM {_q(name)}").fetchall()}
                    folder = self.out / f"{name}.parquet"
                    if {part_name(k) for k in keys} | {SCHEMA_PART} != {p.name for p in folder.glob("*.parquet")}:
                        return False
            except duckdb.Error:
                return False
        return (
            all((self.out / f"{name}.csv").exists() for name in TABLES) and (self.out / "documents.parquet").is_file()
        )

    def plan(self, sources: list) -> tuple[list, list[dict]]:
        """(sources to read, document rows of the unchanged ones). Unchanged: the same
        path with the same bytes is in the dataset, and was read by this code (its cached
        result exists) or recorded as a duplicate; a failure caused by a limit is tried
        again."""
        self.sources = [s.path for s in sources]
        existing = self.existing_documents()
        known = {r["source"]: r for r in records(existing)} if len(existing) else {}
        todo, unchanged = [], []
        for src in sources:
            row = known.get(src.path)
            same = (
                self.use_cache
                and row is not None
                and row["sha256"] == src.sha256
                and not (row["status"] == "failed" and "limit" in (row["error"] or ""))
                and (row["status"] == "duplicate" or cache.has(self.out, src.sha256))
            )
            (unchanged.append(row) if same else todo.append(src))
        # nothing to read, but the audit or the files may need redoing
        self.needs_rewrite = not todo and not self._dataset_is_current()
        return todo, unchanged

    # ------------------------------------------------------------------ 2. add
    def add(self, result) -> None:
        """Stage one document's result; its observations leave memory."""
        self._connect()
        self._docs.append(result.document_row())
        self._obs.extend(result.observations)
        if len(self._obs) >= SLICE_ROWS:
            self._flush()

    def _flush(self) -> None:
        con = self._connect()
        for name, rows in (("observations", self._obs), ("documents", self._docs)):
            if rows:
                frame = store.to_frame(name, rows)  # noqa: F841 (read by DuckDB by name)
                con.execute(f"INSERT INTO {INTERNAL}.new_{name} SELECT * FROM frame")
        self._obs, self._docs = [], []

    @property
    def changed(self) -> bool:
        """Whether `finish` has anything to write."""
        return self.con is not None or self.needs_rewrite

    # ------------------------------------------------------------------ 3. finish
    def merge(self) -> tuple[set[str], set[str]]:
        """The staged documents replace what their sources gave before. Returns the
        documents to audit and the units to audit across documents."""
        self._flush()
        con = self._connect()
        new_obs, new_docs = f"{INTERNAL}.new_observations", f"{INTERNAL}.new_documents"
        # a file imported before under another name: the first import is kept
        con.execute(f"""
            UPDATE {new_docs} AS s SET status = 'duplicate', observations = 0,
                   error = s.source || ': same content as ' || d.source || '; read once, under that name'
            FROM documents AS d
            WHERE d.sha256 = s.sha256 AND d.status <> 'duplicate' AND s.status <> 'duplicate'
              AND d.source NOT IN (SELECT source FROM {new_docs})""")
        con.execute(f"DELETE FROM {new_obs} WHERE source IN (SELECT source FROM {new_docs} WHERE status = 'duplicate')")
        replaced = f"(SELECT source FROM {new_docs})"
        units = {
            r[0]
            for r in con.execute(
                f"SELECT DISTINCT {KEY} FROM observations WHERE source IN {replaced} "
                f"UNION SELECT DISTINCT {KEY} FROM {new_obs}"
            ).fetchall()
        }
        for table in ("observations", "documents"):
            con.execute(f"DELETE FROM {_q(table)} WHERE source IN {replaced}")
        con.execute(f"DELETE FROM {INTERNAL}.document_flags WHERE source IN {replaced}")
        con.execute(f"INSERT INTO observations SELECT * FROM {new_obs}")
        con.execute(f"INSERT INTO documents SELECT * FROM {new_docs}")
        documents = {r[0] for r in con.execute(f"SELECT DISTINCT document_id FROM {new_obs}").fetchall()}
        self.observation_units = set(units)  # units whose observations changed
        if self.full_audit:
            con.execute(f"DELETE FROM {INTERNAL}.document_flags")
            documents = {r[0] for r in con.execute("SELECT DISTINCT document_id FROM observations").fetchall()}
            units |= {r[0] for r in con.execute(f"SELECT DISTINCT {KEY} FROM observations").fetchall()}
            units |= {r[0] for r in con.execute(f"SELECT DISTINCT {KEY} FROM {INTERNAL}.unit_flags").fetchall()}
        return documents, units

    def _chunks(self, column: str, keys: set[str]):
        """`keys` (values of `column` in observations) in groups of at most CHUNK_ROWS
        rows, or one key alone if it has more (`_in_groups`)."""
        sizes = dict(self.con.execute(f"SELECT {column}, count(*) FROM observations GROUP BY 1").fetchall())
        yield from _in_groups([(k, sizes.get(k, 0)) for k in sorted(keys)])

    def _unit_year_chunks(self, units: set[str]):
        """The (unit key, year) pairs of `units` in observations, in order, in groups of
        at most CHUNK_ROWS rows (a unit printed in hundreds of documents is split by
        years; only one year printed in more than CHUNK_ROWS rows comes alone)."""
        self._wanted(sorted(units))
        sizes = self.con.execute(
            f"SELECT {KEY}, {YEAR}, count(*) FROM observations "
            f"WHERE {KEY} IN (SELECT k FROM wanted) GROUP BY 1, 2 ORDER BY 1, 2"
        ).fetchall()
        yield from _in_groups([((k, y), n) for k, y, n in sizes])

    def _wanted(self, keys: list) -> None:
        """A temporary table of keys (or of (key, year) pairs) to select by (no SQL built
        from data)."""
        pairs = bool(keys) and isinstance(keys[0], tuple)
        self.con.execute("CREATE OR REPLACE TEMP TABLE wanted (k VARCHAR, y BIGINT)")
        if keys:
            self.con.executemany("INSERT INTO wanted VALUES (?, ?)", keys if pairs else [[k, None] for k in keys])

    def _selected(self, name: str, column: str, keys: list):
        """A cursor over the rows of table `name` whose `column` is one of `keys` (`_query`)."""
        return self.con.execute(self._query(name, column, keys))

    def _query(self, name: str, column: str, keys: list, order: str = "") -> str:
        """The rows of table `name` whose `column` is one of `keys`, in the table's order
        (after `order`, if given), with the contract's columns. With column YEARS, `keys`
        are (unit key, year) pairs."""
        self._wanted(keys)
        where = (
            f"({KEY}, {YEAR}) IN (SELECT k, y FROM wanted)"
            if column == YEARS
            else f"{column} IN (SELECT k FROM wanted)"
        )
        return (
            f"SELECT {', '.join(_q(c) for c in TABLES[name])} FROM {_q(name)} "
            f"WHERE {where} ORDER BY {order}{_order(name)}"
        )

    def _select_records(self, name: str, column: str, keys: list) -> list[dict]:
        """Those rows as dicts of plain Python values (None for missing), without a
        DataFrame: a chunk is held once, not three times, while it is audited."""
        cur, names = self._selected(name, column, keys), list(TABLES[name])
        rows: list[dict] = []
        while fetched := cur.fetchmany(SLICE_ROWS):
            rows += [dict(zip(names, r)) for r in fetched]
        return rows

    def audit(self, documents: set[str], units: set[str]) -> None:
        """The rules about one document over the changed documents, then the rules between
        documents and across years, and the panel, over the years of the touched units, a
        few thousand observations at a time (unit-years come in the order of their unit
        key, so a unit is finished once a chunk ends past it). Each chunk is audited in its
        own call, so its rows are gone before the next chunk is fetched."""
        auditor = Audit(self.settings)
        for chunk in self._chunks("document_id", documents):
            self._insert(
                f"{INTERNAL}.document_flags",
                "flags",
                auditor.documents(self._select_records("observations", "document_id", chunk)),
            )
        self._wanted(sorted(units))
        for table in (f"{INTERNAL}.unit_flags", "panel"):
            self.con.execute(f"DELETE FROM {table} WHERE {KEY} IN (SELECT k FROM wanted)")
        for chunk in self._unit_year_chunks(units):
            self._audit_unit_years(auditor, chunk)
            self._insert(f"{INTERNAL}.unit_flags", "flags", auditor.finished_units(before=chunk[-1][0]))
        self._insert(f"{INTERNAL}.unit_flags", "flags", auditor.finished_units())

    def _audit_unit_years(self, auditor: Audit, pairs: list[tuple[str, int | None]]) -> None:
        obs = self._select_records("observations", YEARS, pairs)
        self._insert(f"{INTERNAL}.unit_flags", "flags", auditor.unit_years(obs))
        self._insert("panel", "panel", build_panel(obs))

    def _insert(self, table: str, name: str, rows: list[dict]) -> None:
        if rows:
            frame = store.to_frame(name, rows)  # noqa: F841 (read by DuckDB by name)
            self.con.execute(f"INSERT INTO {table} SELECT * FROM frame")

    def write(self, units: set[str]) -> dict[str, str]:
        """Stage the changed files and commit them: the parts of `units` (and any part
        missing or left over), documents.parquet, the CSVs and the database."""
        con = self.con
        out, staging = self.out, self.staging
        moves: list[tuple[pathlib.Path, str]] = []
        deletes: list[str] = []

        def staged(final: str) -> pathlib.Path:
            tmp = staging / "files" / final
            tmp.parent.mkdir(parents=True, exist_ok=True)
            return tmp

        def done(tmp: pathlib.Path, final: str) -> None:
            store.fsync_file(tmp)
            moves.append((tmp, final))

        def stage(final: str, write) -> None:
            tmp = staged(final)
            write(tmp)
            done(tmp, final)

        damaged = self._damaged_files(con)
        for name in PART_TABLES:
            folder = out / f"{name}.parquet"
            if folder.is_file():  # a dataset written before parts: the whole table goes
                deletes.append(f"{name}.parquet")
            on_disk = {p.name for p in folder.glob("*.parquet")} if folder.is_dir() else set()
            # a damaged part is written again as if it were missing
            present = {p for p in on_disk if f"{name}.parquet/{p}" not in damaged}
            keys = {r[0] for r in con.execute(f"SELECT DISTINCT {KEY} FROM {_q(name)}").fetchall()}
            wanted = {part_name(k): k for k in keys}
            changed = self.observation_units if name == "observations" else units
            todo = {k for k in keys if k in changed or part_name(k) not in present}
            deletes += [f"{name}.parquet/{p}" for p in sorted(on_disk - set(wanted) - {SCHEMA_PART})]
            if SCHEMA_PART not in present:
                stage(
                    f"{name}.parquet/{SCHEMA_PART}", lambda p, n=name: store.to_frame(n, []).to_parquet(p, index=False)
                )
            for chunk in self._chunks(KEY, todo):  # a few units at a time, whatever the table
                self._write_parts(name, chunk, staged, done)
        docs = store.conform("documents", con.execute(f"SELECT * FROM documents ORDER BY {_order('documents')}").df())
        stage("documents.parquet", lambda p: docs.to_parquet(p, index=False))
        for name in TABLES:
            stage(f"{name}.csv", lambda p, n=name: self._export_csv(n, p))
        con.execute(
            f"INSERT OR REPLACE INTO {INTERNAL}.manifest VALUES ('audit_settings', ?), ('code_version', ?), "
            f"('files', ?)",
            [
                settings_fingerprint(self.settings),
                self.code_version,
                json.dumps(self._checksums_after(con, moves, deletes)),
            ],
        )
        for name in ("observations", "documents"):
            con.execute(f"DROP TABLE IF EXISTS {INTERNAL}.new_{name}")
        con.execute("CHECKPOINT")
        con.close()
        self.con = None
        db = staging / DATABASE
        store.fsync_file(db)
        moves.append((db, DATABASE))
        store.commit(out, moves, deletes)
        return dataset_files(out)

    def _checksums_after(self, con, moves: list[tuple[pathlib.Path, str]], deletes: list[str]) -> dict[str, str]:
        """The manifest's checksums once this commit is applied: the files staged now,
        and the ones it leaves as they were (as recorded, or as they are if unrecorded)."""
        recorded = _recorded_checksums(con) or {}
        kept = {p.relative_to(self.out).as_posix() for p in self._data_files()} - set(deletes)
        files = {
            rel: recorded[rel] if _matches(self.out / rel, recorded.get(rel)) else _checksum(self.out / rel)
            for rel in kept
        }
        files.update({final: _checksum(tmp) for tmp, final in moves})
        return {rel: c for rel, c in sorted(files.items()) if c is not None}

    def _write_parts(self, name: str, unit_keys: list[str], staged, done) -> None:
        """The Parquet part of each of `unit_keys` in table `name`, streamed from DuckDB
        SLICE_ROWS rows at a time: not even a unit printed in hundreds of documents is
        in memory whole."""
        parts = PartWriter(name, staged, done)
        for batch in self.con.sql(self._query(name, KEY, unit_keys, order=f"{KEY}, ")).to_arrow_reader(SLICE_ROWS):
            parts.add(store.conform(name, batch.to_pandas()))
        parts.close()

    def _export_csv(self, name: str, path: pathlib.Path) -> None:
        """One table as CSV, sorted, with the BOM Excel needs to read UTF-8. Exported a
        few thousand rows at a time, in order of the table's first sort key, so DuckDB
        never sorts the whole table at once (that needed more than its buffer)."""
        lead = f"coalesce({_q(SORT_KEYS[name][0])}, '')"  # NULL and '' both sort first
        sizes = self.con.execute(f"SELECT {lead}, count(*) FROM {_q(name)} GROUP BY 1 ORDER BY 1").fetchall()
        raw = path.with_suffix(".raw")
        target = str(raw).replace("'", "''")
        with open(path, "wb") as f:
            f.write("\ufeff".encode("utf-8"))
            for i, chunk in enumerate(_in_groups(sizes) or [[]]):
                self._wanted(chunk)
                self.con.execute(
                    f"COPY (SELECT * FROM {_q(name)} WHERE {lead} IN (SELECT k FROM wanted) "
                    f"ORDER BY {_order(name)}) TO '{target}' (HEADER {str(i == 0).upper()}, DELIMITER ',')"
                )
                with open(raw, "rb") as r:
                    shutil.copyfileobj(r, f, 1 << 20)
        raw.unlink()

    def finish(self) -> dict[str, str]:
        """Merge, audit and commit what was staged; nothing to do if nothing changed."""
        if not self.changed:
            return dataset_files(self.out)
        documents, units = self.merge()
        self.audit(documents, units)
        return self.write(units)

    # ------------------------------------------------------------------ after
    @classmethod
    def unchanged_summary(
        cls, out: str | os.PathLike, sources: list, settings: AuditSettings | None = None
    ) -> dict | None:
        """The summary of the dataset in `out` if a run over `sources` would change
        nothing (every source unchanged, the dataset audited with these settings and
        complete), else None. Reads only; takes no lock."""
        b = cls(out, settings)
        if not (b.out / DATABASE).exists() or not b.database_opens():
            return None
        todo, _ = b.plan(sources)
        return None if todo or b.changed else b.summary()

    def summary(self) -> dict:
        """Counts of the dataset as committed, and this run's document rows."""
        with self._committed() as con:
            docs = store.conform("documents", con.execute("SELECT * FROM documents").df())
            flag_counts = Counter(
                {
                    (r, s): n
                    for r, s, n in con.execute("SELECT rule, severity, count(*) FROM flags GROUP BY 1, 2").fetchall()
                }
            )
            n_obs = con.execute("SELECT count(*) FROM observations").fetchone()[0]
        mine = docs[docs["source"].isin(self.sources)]
        order = {s: i for i, s in enumerate(self.sources)}
        rows = sorted(records(mine), key=lambda d: order[d["source"]])
        return {"documents": rows, "observations": n_obs, "flag_counts": flag_counts}
