"""The dataset's tables in the writer's hands: as DataFrames of the data contract
(schemas/columns.py) and as SQL over a DuckDB database, a few units, years or documents
at a time (`Tables`), so that no stage holds a whole table in memory.
"""

from __future__ import annotations

import pandas as pd

from parindex.schemas.columns import SORT_KEYS, TABLES
from parindex.writer.layout import KEY, YEAR

SLICE_ROWS = 5_000  # rows fetched, converted or appended at a time
CHUNK_ROWS = 40_000  # observations audited, and rows sorted to write parts, at a time, unless one key (part) has more
SQL_TYPES = {"string": "VARCHAR", "Int64": "BIGINT", "Float64": "DOUBLE"}
YEARS = "unit-years"  # the `column` of a selection by (unit key, year) pairs
WANTED_KEYS = "parindex_wanted_keys"  # the Arrow table of keys `Tables.wanted` hands DuckDB, by name


# ---------------------------------------------------------------------- DataFrames
def to_frame(name: str, rows: list[dict]) -> pd.DataFrame:
    """Rows of table `name` as a DataFrame of the contract's columns and dtypes."""
    cols = TABLES[name]
    return conform(name, pd.DataFrame(rows, columns=list(cols)) if rows else pd.DataFrame(columns=list(cols)))


def conform(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """`df` with exactly the contract's columns of table `name`, in order, in its dtypes."""
    cols = TABLES[name]
    df = df.reindex(columns=list(cols))
    for c, dtype in cols.items():
        if dtype == "Int64":
            df[c] = pd.to_numeric(df[c], errors="coerce").round().astype("Int64")
        elif dtype == "Float64":
            df[c] = pd.to_numeric(df[c], errors="coerce").astype("Float64")
        else:
            df[c] = df[c].astype("string")
    return df


def records(df: pd.DataFrame) -> list[dict]:
    """Rows as dicts of plain Python values, missing values as None."""
    return df.astype(object).where(df.notna(), None).to_dict("records")


# ---------------------------------------------------------------------- SQL
def q(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def columns_sql(name: str) -> str:
    """The column definitions of table `name` for CREATE TABLE."""
    return ", ".join(f"{q(c)} {SQL_TYPES[t]}" for c, t in TABLES[name].items())


def order(name: str) -> str:
    """The table's sort keys, then every other column: rows that tie on the keys (two
    units in one sentence) come in the same order in every run, and so do the panel's
    choices between them."""
    rest = [c for c in TABLES[name] if c not in SORT_KEYS[name]]
    return ", ".join(f"{q(c)} NULLS FIRST" for c in (*SORT_KEYS[name], *rest))


def in_groups(sizes: list[tuple], rows: int = 0) -> list[list]:
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


class Tables:
    """The dataset's tables in the DuckDB database `con` is connected to, selected by
    keys held in a temporary table (no SQL built from data)."""

    def __init__(self, con):
        self.con = con

    def wanted(self, keys: list) -> None:
        """A temporary table `wanted` of keys (or of (key, year) pairs) to select by."""
        import pyarrow as pa

        pairs = bool(keys) and isinstance(keys[0], tuple)
        # handed to DuckDB as one Arrow table: executemany inserts row by row, which was a
        # seventh of the import batch of documents about many units
        given = pa.table(
            {
                "k": pa.array([k for k, _ in keys] if pairs else keys, pa.string()),
                "y": pa.array([y for _, y in keys] if pairs else [None] * len(keys), pa.int64()),
            }
        )
        self.con.register(WANTED_KEYS, given)
        try:
            self.con.execute(f"CREATE OR REPLACE TEMP TABLE wanted AS SELECT k, y FROM {WANTED_KEYS}")
        finally:
            self.con.unregister(WANTED_KEYS)

    def query(self, name: str, column: str, keys: list, order_first: str = "") -> str:
        """The rows of table `name` whose `column` is one of `keys`, in the table's order
        (after `order_first`, if given), with the contract's columns. With column YEARS,
        `keys` are (unit key, year) pairs."""
        self.wanted(keys)
        where = (
            f"({KEY}, {YEAR}) IN (SELECT k, y FROM wanted)"
            if column == YEARS
            else f"{column} IN (SELECT k FROM wanted)"
        )
        return (
            f"SELECT {', '.join(q(c) for c in TABLES[name])} FROM {q(name)} "
            f"WHERE {where} ORDER BY {order_first}{order(name)}"
        )

    def select_records(self, name: str, column: str, keys: list) -> list[dict]:
        """Those rows as dicts of plain Python values (None for missing), without a
        DataFrame: a chunk is held once, not three times, while it is audited."""
        cur, names = self.con.execute(self.query(name, column, keys)), list(TABLES[name])
        rows: list[dict] = []
        while fetched := cur.fetchmany(SLICE_ROWS):
            rows += [dict(zip(names, r)) for r in fetched]
        return rows

    def keys(self, name: str, column: str = KEY) -> set:
        """The distinct values of `column` (the unit key by default) in table `name`."""
        return {r[0] for r in self.con.execute(f"SELECT DISTINCT {column} FROM {q(name)}").fetchall()}

    def chunks(self, column: str, keys: set, name: str = "observations", together: dict | None = None):
        """`keys` (values of `column` in table `name`) in groups of at most CHUNK_ROWS
        rows, or one key alone if it has more (`in_groups`). With `together` (a key's
        group, such as its Parquet part), the keys of a group always come in one chunk,
        and a group of more rows comes alone."""
        sizes = dict(self.con.execute(f"SELECT {column}, count(*) FROM {q(name)} GROUP BY 1").fetchall())
        members: dict = {}  # each group's keys, in order; without `together` a key is its own group
        for k in sorted(keys):
            members.setdefault(together[k] if together is not None else k, []).append(k)
        for chunk in in_groups([(g, sum(sizes.get(k, 0) for k in ks)) for g, ks in sorted(members.items())]):
            yield [k for g in chunk for k in members[g]]

    def unit_year_chunks(self, units: set[str]):
        """The (unit key, year) pairs of `units` in observations, in order, in groups of
        at most CHUNK_ROWS rows (a unit printed in hundreds of documents is split by
        years; only one year printed in more than CHUNK_ROWS rows comes alone)."""
        self.wanted(sorted(units))
        sizes = self.con.execute(
            f"SELECT {KEY}, {YEAR}, count(*) FROM observations "
            f"WHERE {KEY} IN (SELECT k FROM wanted) GROUP BY 1, 2 ORDER BY 1, 2"
        ).fetchall()
        yield from in_groups([((k, y), n) for k, y, n in sizes])

    def insert(self, table: str, name: str, rows: list[dict]) -> None:
        """Rows of contract table `name` appended to database table `table`."""
        if rows:
            frame = to_frame(name, rows)  # noqa: F841 (read by DuckDB by name)
            self.con.execute(f"INSERT INTO {table} SELECT * FROM frame")
