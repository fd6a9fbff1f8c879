"""Publish a dataset into a SQL database a data team already runs (PostgreSQL, or any
SQLAlchemy URL, SQLite included): `parindex publish OUT --to postgresql://…`.

The four tables are created with the contract's types (schemas/columns.py) and keys, and
kept in step with the output folder incrementally. Each table is cut into slices that
change together: observations and documents by source file, flags and panel by unit (a
changed document, or a changed audit setting, changes the flags and panel of the units
it touches). A slice's content hash is recorded in the database (`parindex_published`);
a publish replaces the slices whose hash changed and deletes those that are gone, all in
one transaction, so a failure or a kill leaves the database as it was, and publishing
an unchanged dataset writes nothing. Column names are the contract's: `table` and `row`
are quoted where the database reserves them.

`SqlDatabase` is a sink (writer/sinks.py): it reads the dataset through the delivery's
tables and commits in its own transaction; `publish` delivers a committed output folder.
"""

from __future__ import annotations

import os
import pathlib
from dataclasses import dataclass, field
from typing import Callable

from parindex.schemas.columns import TABLES
from parindex.writer.sinks import Delivery
from parindex.writer.tables import Tables, q

METADATA = "parindex_published"
# the column a table is cut into slices by
SLICE_BY = {"documents": "source", "observations": "source", "flags": "unit", "panel": "unit"}
# keys of each table in the database (a primary key where the contract has one)
PRIMARY_KEYS = {"documents": ("source",), "flags": ("flag_id",)}
INDEXES = {"observations": ("source",), "panel": ("unit", "year"), "flags": ("unit",)}
BATCH_ROWS = 5_000


@dataclass
class PublishSummary:
    url: str
    replaced: dict[str, int] = field(default_factory=dict)  # table -> slices written
    deleted: dict[str, int] = field(default_factory=dict)  # table -> slices removed
    rows: dict[str, int] = field(default_factory=dict)  # table -> rows written

    @property
    def changed(self) -> bool:
        return any(self.replaced.values()) or any(self.deleted.values())

    def line(self) -> str:
        if not self.changed:
            return f"nothing to publish: {self.url} is up to date"
        parts = ", ".join(
            f"{t} {self.rows.get(t, 0)} rows ({self.replaced.get(t, 0)} replaced, {self.deleted.get(t, 0)} removed)"
            for t in TABLES
        )
        return f"published to {self.url}: {parts}"


def _sql_type(dtype: str):
    import sqlalchemy as sa

    return {"string": sa.Text(), "Int64": sa.BigInteger(), "Float64": sa.Float(precision=53)}[dtype]


def _metadata():
    """The database's tables as SQLAlchemy objects: the contract's columns and types."""
    import sqlalchemy as sa

    md = sa.MetaData()
    for name, columns in TABLES.items():
        keys = PRIMARY_KEYS.get(name, ())
        cols = [sa.Column(c, _sql_type(t), primary_key=c in keys, nullable=c not in keys) for c, t in columns.items()]
        table = sa.Table(name, md, *cols)
        for c in INDEXES.get(name, ()):
            sa.Index(f"ix_{name}_{c}", table.c[c])
    sa.Table(
        METADATA,
        md,
        sa.Column("table_name", sa.Text(), primary_key=True),
        sa.Column("slice", sa.Text(), primary_key=True),
        sa.Column("hash", sa.Text(), nullable=False),
    )
    return md


def _selected(con, name: str) -> list[str]:
    """The contract's columns as SQL over the output folder's table; NULL for a column
    that a dataset written by an older parindex does not have yet."""
    have = {r[0] for r in con.execute(f"DESCRIBE {q(name)}").fetchall()}
    return [q(c) if c in have else f"NULL AS {q(c)}" for c in TABLES[name]]


def _slice_hashes(con, name: str) -> dict[str, str]:
    """Each slice of a table of the output folder -> a hash of its rows' content."""
    cols = [c.rsplit(" AS ", 1)[0] for c in _selected(con, name)]
    by = SLICE_BY[name]
    row = "concat_ws('\x1f', " + ", ".join(f"coalesce(CAST({c} AS VARCHAR), '\x1e')" for c in cols) + ")"
    query = (
        f"SELECT coalesce({q(by)}, '') AS k, md5(string_agg({row}, '\x1d' ORDER BY {row})) FROM {q(name)} GROUP BY k"
    )
    return dict(con.execute(query).fetchall())


def _rows(con, name: str, slices: list[str]):
    """The rows of the given slices, a batch at a time, as dicts of the contract's columns."""
    cols = list(TABLES[name])
    by = SLICE_BY[name]
    con.execute("CREATE OR REPLACE TEMP TABLE publish_keys (k VARCHAR)")
    con.executemany("INSERT INTO publish_keys VALUES (?)", [(k,) for k in slices])
    cur = con.execute(
        f"SELECT {', '.join(_selected(con, name))} FROM {q(name)} "
        f"WHERE coalesce({q(by)}, '') IN (SELECT k FROM publish_keys)"
    )
    while True:
        batch = cur.fetchmany(BATCH_ROWS)
        if not batch:
            return
        yield [dict(zip(cols, r)) for r in batch]


class SqlDatabase:
    """The dataset kept in step in a SQL database (SQLAlchemy `url`), slice by slice.
    `after_delete` is called inside the transaction once the stale slices are deleted
    and before the new rows are written (for tests of a publish killed half-way). The
    last write's counts are in `summary`."""

    name = "sql"

    def __init__(self, url: str, after_delete: Callable[[], None] | None = None):
        self.url, self.after_delete = url, after_delete
        self.summary: PublishSummary | None = None

    def write(self, delivery: Delivery) -> None:
        import sqlalchemy as sa

        con = delivery.tables.con
        engine = sa.create_engine(self.url)
        self.summary = summary = PublishSummary(url=engine.url.render_as_string(hide_password=True))
        md = _metadata()
        meta = md.tables[METADATA]
        try:
            with engine.begin() as conn:  # one transaction: all of it, or nothing
                md.create_all(conn)
                published: dict[tuple[str, str], str] = {
                    (t, k): h for t, k, h in conn.execute(sa.select(meta.c.table_name, meta.c.slice, meta.c.hash))
                }
                plan = {}
                for name in TABLES:
                    now = _slice_hashes(con, name)
                    before = {k: h for (t, k), h in published.items() if t == name}
                    plan[name] = (
                        [k for k, h in now.items() if before.get(k) != h],
                        [k for k in before if k not in now],
                        now,
                    )
                if not any(changed or gone for changed, gone, _ in plan.values()):
                    return
                for name, (changed, gone, _) in plan.items():
                    table, column = md.tables[name], md.tables[name].c[SLICE_BY[name]]
                    for keys in _chunks(changed + gone):
                        stale = sa.func.coalesce(column, "").in_(keys)
                        conn.execute(table.delete().where(stale))
                        conn.execute(meta.delete().where(meta.c.table_name == name).where(meta.c.slice.in_(keys)))
                if self.after_delete is not None:
                    self.after_delete()
                for name, (changed, gone, now) in plan.items():
                    table = md.tables[name]
                    written = 0
                    for keys in _chunks(changed):
                        for batch in _rows(con, name, keys):
                            conn.execute(table.insert(), batch)
                            written += len(batch)
                        conn.execute(meta.insert(), [{"table_name": name, "slice": k, "hash": now[k]} for k in keys])
                    summary.replaced[name], summary.deleted[name], summary.rows[name] = len(changed), len(gone), written
        finally:
            engine.dispose()


def publish(out: str | os.PathLike, url: str, *, after_delete: Callable[[], None] | None = None) -> PublishSummary:
    """Bring the database at `url` in step with the dataset in `out` (see the module's
    docstring and `SqlDatabase`)."""
    from parindex.writer.read import connect

    out = pathlib.Path(out)
    sink = SqlDatabase(url, after_delete)
    with connect(out) as con:
        sink.write(Delivery(out=out, tables=Tables(con)))
    return sink.summary


def _chunks(keys: list[str], size: int = 500):
    for i in range(0, len(keys), size):
        yield keys[i : i + size]


__all__ = ["PublishSummary", "SqlDatabase", "publish"]
