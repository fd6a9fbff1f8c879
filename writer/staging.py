"""An import batch: the documents of one run, staged beside the dataset, audited a few
thousand observations at a time and committed at once. Memory stays flat however large
the archive, and a run that adds or changes a few documents rewrites only what they
touch.

A batch works on a copy of the dataset's parindex.duckdb in a `.staged-*` folder of the
output folder (writer/layout.py):
1. `plan`: a source whose path and bytes are already in the dataset, read by the same
   code (its result is cached under the read version, writer/cache.py), is not read
   again; `cached` gives the cached result of a source read before under another name;
2. `keep` (`add`): each document read is cached and appended to staging tables as it
   finishes (in slices of a few thousand rows), its observations dropped from memory;
3. `merge`: the documents replace what their sources gave before;
4. `audit`: the changed documents and the units they touch are audited (writer/audit_run.py);
5. `write`: the sinks stage the files of the changed units and the database
   (writer/sinks.py), and one journaled commit moves them into place (writer/commit.py).
A changed audit version (the audit's code or settings) re-audits and rewrites every unit
without reading a document; a changed read version reads every document again.
"""

from __future__ import annotations

import contextlib
import os
import pathlib
import shlex
import shutil
import uuid
from collections import Counter

import pandas as pd

from parindex.audit import AuditSettings
from parindex.extractors.isolation import stopped_by_a_limit
from parindex.schemas.columns import TABLES
from parindex.writer import cache, commit, manifest, tables
from parindex.writer.audit_run import DOCUMENT_FLAGS, UNIT_FLAGS, audit_run
from parindex.writer.layout import (
    DATABASE,
    INTERNAL,
    KEY,
    PART_TABLES,
    SCHEMA_PART,
    check_output_folder,
    dataset_files,
    part_names,
)
from parindex.writer.sinks import Delivery, folder_sinks
from parindex.writer.tables import SQL_TYPES, Tables, columns_sql, conform, q, records, to_frame

# DuckDB's buffer; past it, the staged tables spill to the staging folder. No query sorts
# more than a chunk (CSVs are exported a chunk at a time), so a small buffer is enough.
DUCKDB_MEMORY = "64MB"


class ImportBatch:
    """One run's import into `out`. Use as a context manager: the output folder is
    locked for the run, and anything staged is removed if the run fails."""

    def __init__(self, out: str | os.PathLike, settings: AuditSettings | None = None, use_cache: bool = True):
        self.out = pathlib.Path(out)
        self.settings = settings or AuditSettings()
        self.use_cache = use_cache
        self.versions = {
            "read_version": cache.read_version(),
            "audit_version": cache.audit_version(self.settings),
        }
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
        self._lock = commit.lock(self.out)
        self._lock.__enter__()
        try:
            commit.recover(self.out)
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
        rebuilt = self.out / f"{commit.STAGED_PREFIX}rebuilt-{uuid.uuid4().hex[:12]}.duckdb"
        try:
            with contextlib.closing(duckdb.connect(str(rebuilt))) as con:
                parts = self.out / "observations.parquet"
                for name, source in (
                    ("observations", parts / "*.parquet" if parts.is_dir() else parts),
                    ("documents", self.out / "documents.parquet"),
                ):
                    con.execute(f"CREATE TABLE {q(name)} ({columns_sql(name)})")
                    cols = ", ".join(q(c) for c in TABLES[name])
                    con.execute(
                        f"INSERT INTO {q(name)} SELECT {cols} FROM read_parquet(?, union_by_name = true)",
                        [str(source)],
                    )
                con.execute("CHECKPOINT")
            commit.fsync_file(rebuilt)
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
            if (self.out / commit.JOURNAL).exists():  # stopped inside the commit: finish it, its files are staged
                commit.recover(self.out)
            if self.staging is not None:
                shutil.rmtree(self.staging, ignore_errors=True)
        finally:
            self._lock.__exit__(exc_type, exc, tb)

    def _connect(self):
        """The staged copy of the dataset's database, made on first use."""
        if self.con is not None:
            return self.con
        import duckdb

        self.staging = self.out / f"{commit.STAGED_PREFIX}{uuid.uuid4().hex[:12]}"
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

    @property
    def tables(self) -> Tables:
        """SQL over the staged tables."""
        return Tables(self._connect())

    def _ensure_schema(self) -> None:
        """The staged database in the shape this code writes: tables created, columns the
        contract added since the dataset was written added, a flags table of parindex
        before unit-by-unit audits replaced by the view over the two flag tables."""
        con = self.con
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {INTERNAL}")
        con.execute(f"CREATE TABLE IF NOT EXISTS {manifest.TABLE} (key VARCHAR PRIMARY KEY, value VARCHAR)")
        kinds = dict(
            con.execute(
                "SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'main'"
            ).fetchall()
        )
        if kinds.get("flags") == "BASE TABLE":  # written by parindex before unit-by-unit audits
            con.execute("DROP TABLE flags")
        for name in ("observations", "documents", "panel"):
            con.execute(f"CREATE TABLE IF NOT EXISTS {q(name)} ({columns_sql(name)})")
            have = {
                r[0]
                for r in con.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' AND table_name = ?",
                    [name],
                ).fetchall()
            }
            for c, t in TABLES[name].items():
                if c not in have:
                    con.execute(f"ALTER TABLE {q(name)} ADD COLUMN {q(c)} {SQL_TYPES[t]}")
        for table in (DOCUMENT_FLAGS, UNIT_FLAGS):
            con.execute(f"CREATE TABLE IF NOT EXISTS {table} ({columns_sql('flags')})")
        cols = ", ".join(q(c) for c in TABLES["flags"])
        # a flag found by a document's own rules and again across documents is kept once
        con.execute(
            f"CREATE OR REPLACE VIEW flags AS SELECT {cols} FROM ("
            f"SELECT *, 0 AS level FROM {DOCUMENT_FLAGS} UNION ALL "
            f"SELECT *, 1 AS level FROM {UNIT_FLAGS}) "
            f"QUALIFY row_number() OVER (PARTITION BY flag_id ORDER BY level) = 1"
        )
        for name in ("observations", "documents"):
            con.execute(f"CREATE OR REPLACE TABLE {INTERNAL}.new_{name} ({columns_sql(name)})")
        self.full_audit = not self._manifest_matches(con)

    def _manifest_matches(self, con) -> bool:
        """Whether the database was read and audited by this code, with these settings."""
        recorded = manifest.values(con)
        return all(recorded.get(k) == v for k, v in self.versions.items())

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
            return to_frame("documents", [])
        with self._committed() as con:
            try:
                return conform("documents", con.execute("SELECT * FROM documents").df())
            except duckdb.Error:
                return to_frame("documents", [])

    def _dataset_is_current(self) -> bool:
        """Whether the dataset was read and audited by this code with these settings, and
        every file it should have is there as written (else `finish` has work even with
        no document to read)."""
        import duckdb

        if not (self.out / DATABASE).exists():
            return False
        with self._committed() as con:
            try:
                if not self._manifest_matches(con) or manifest.damaged_in(self.out, con):
                    return False
                for name in PART_TABLES:
                    parts = set(part_names(Tables(con).keys(name)).values())
                    folder = self.out / f"{name}.parquet"
                    if parts | {SCHEMA_PART} != {p.name for p in folder.glob("*.parquet")}:
                        return False
            except duckdb.Error:
                return False
        return (
            all((self.out / f"{name}.csv").exists() for name in TABLES) and (self.out / "documents.parquet").is_file()
        )

    def plan(self, sources: list) -> tuple[list, list[dict]]:
        """(sources to read, document rows of the unchanged ones). Unchanged: the same
        path with the same bytes is in the dataset, and was read by this code (its result
        is cached under the read version) or recorded as a duplicate; a failure caused by
        a limit is tried again. With nothing to read, the dataset may still need auditing
        and writing again: audited by other code or settings (the audit version), or a
        file missing or damaged (`changed` then says so)."""
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
                and not (row["status"] == "failed" and stopped_by_a_limit(row["error"]))
                and (row["status"] == "duplicate" or cache.has(self.out, src.sha256))
            )
            (unchanged.append(row) if same else todo.append(src))
        self.needs_rewrite = not todo and not self._dataset_is_current()
        return todo, unchanged

    def cached(self, src):
        """The cached result of `src` (its bytes read before, maybe under another name),
        as the result of `src`; None if it must be read (no entry, the cache not used,
        or a duplicate of another source of this run)."""
        if not self.use_cache or getattr(src, "duplicate_of", None):
            return None
        return cache.load(self.out, src)

    # ------------------------------------------------------------------ 2. add
    def keep(self, result, use_cache: bool | None = None):
        """A finished document: cached for later runs (unless `use_cache` is False, by
        default the batch's setting), staged, and its observations dropped from memory
        (the count stays for progress and summaries). Returns `result`."""
        if self.use_cache if use_cache is None else use_cache:
            cache.store(self.out, result)
        self.add(result)
        result.observation_count = len(result.observations)
        result.observations = []
        result.normalized = None
        return result

    def add(self, result) -> None:
        """Stage one document's result."""
        self._connect()
        self._docs.append(result.document_row())
        self._obs.extend(result.observations)
        if len(self._obs) >= tables.SLICE_ROWS:
            self._flush()

    def _flush(self) -> None:
        con = self._connect()
        for name, rows in (("observations", self._obs), ("documents", self._docs)):
            if rows:
                frame = to_frame(name, rows)  # noqa: F841 (read by DuckDB by name)
                con.execute(f"INSERT INTO {INTERNAL}.new_{name} SELECT * FROM frame")
        self._obs, self._docs = [], []

    @property
    def changed(self) -> bool:
        """Whether `finish` has anything to write."""
        return self.con is not None or self.needs_rewrite

    # ------------------------------------------------------------------ 3. merge
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
            con.execute(f"DELETE FROM {q(table)} WHERE source IN {replaced}")
        con.execute(f"DELETE FROM {DOCUMENT_FLAGS} WHERE source IN {replaced}")
        con.execute(f"INSERT INTO observations SELECT * FROM {new_obs}")
        con.execute(f"INSERT INTO documents SELECT * FROM {new_docs}")
        documents = {r[0] for r in con.execute(f"SELECT DISTINCT document_id FROM {new_obs}").fetchall()}
        self.observation_units = set(units)  # units whose observations changed
        if self.full_audit:
            con.execute(f"DELETE FROM {DOCUMENT_FLAGS}")
            documents = {r[0] for r in con.execute("SELECT DISTINCT document_id FROM observations").fetchall()}
            units |= {r[0] for r in con.execute(f"SELECT DISTINCT {KEY} FROM observations").fetchall()}
            units |= {r[0] for r in con.execute(f"SELECT DISTINCT {KEY} FROM {UNIT_FLAGS}").fetchall()}
        return documents, units

    # ------------------------------------------------------------------ 4. audit
    def audit(self, documents: set[str], units: set[str]) -> None:
        """Audit the merged documents and units, and build their panel (writer/audit_run.py)."""
        audit_run(self.tables, self.settings, documents, units)

    # ------------------------------------------------------------------ 5. write
    def write(self, units: set[str]) -> dict[str, str]:
        """Stage the changed files through the output folder's sinks and commit them:
        the parts of `units` (and any part missing, damaged or left over),
        documents.parquet, the CSVs and the database with its manifest."""
        tbl = self.tables
        folder = commit.FolderCommit(self.out, self.staging)
        delivery = Delivery(
            out=self.out,
            tables=tbl,
            units=units,
            observation_units=self.observation_units,
            damaged=manifest.damaged_in(self.out, tbl.con),
            commit=folder,
        )
        entries = {**self.versions, "audit_settings": cache.settings_fingerprint(self.settings)}
        for sink in folder_sinks(self.staging / DATABASE, entries):
            sink.write(delivery)
        self.con = None  # the database sink closed it: the file is staged
        folder.apply()
        return dataset_files(self.out)

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
        nothing (every source unchanged, the dataset read and audited by this code with
        these settings, and complete), else None. Reads only; takes no lock."""
        b = cls(out, settings)
        if not (b.out / DATABASE).exists() or not b.database_opens():
            return None
        todo, _ = b.plan(sources)
        return None if todo or b.changed else b.summary()

    def summary(self) -> dict:
        """Counts of the dataset as committed, and this run's document rows."""
        with self._committed() as con:
            docs = conform("documents", con.execute("SELECT * FROM documents").df())
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
