"""Whether the temporary server's database is already migrated for the installed Prefect.

Each start of a Prefect server runs its database migrations (Alembic's `upgrade head`),
which loads every migration script even when there is nothing to do: about a third of
the CPU a temporary server takes to start, on the critical path of a small run. After a
temporary server has started with its migrations run, `record_migrated` notes in
`PREFECT_HOME/parindex-database.json` the Prefect version and the revision the database
is at; a later start skips the migrations (`migrations_needed` False) only while the
same Prefect version is installed and the database is still at that revision, which is
then exactly what `upgrade head` would leave it at.

Only for Prefect's default database, the SQLite file in PREFECT_HOME: if the
environment, the active profile, prefect.toml, .env or pyproject's [tool.prefect] say
anything about the database (`flows/prefect_config.py`), the migrations always run.
Nothing here imports Prefect.
"""

from __future__ import annotations

import importlib.metadata
import json
import pathlib
import sqlite3

from parindex.flows import prefect_config
from parindex.flows.server import prefect_home

RECORD = "parindex-database.json"


def _configured_elsewhere() -> bool:
    """Whether anything but Prefect's defaults may choose the database."""
    return prefect_config.says(
        lambda name: name.startswith("PREFECT_") and "DATABASE" in name,
        lambda path: any("database" in key.lower() for key in path),
    )


def _database() -> pathlib.Path:
    return prefect_home() / "prefect.db"


def _revisions(database: pathlib.Path) -> list[str] | None:
    """The Alembic revisions the database is at, or None if it cannot tell."""
    if not database.is_file():
        return None
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=1.0) as con:
            return sorted(r[0] for r in con.execute("SELECT version_num FROM alembic_version"))
    except sqlite3.Error:
        return None


def _prefect_version() -> str | None:
    try:
        return importlib.metadata.version("prefect")
    except importlib.metadata.PackageNotFoundError:
        return None


def _record() -> pathlib.Path:
    return prefect_home() / RECORD


def migrations_needed() -> bool:
    """False only when the default database is known migrated for this Prefect."""
    if _configured_elsewhere():
        return True
    try:
        noted = json.loads(_record().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return True
    revisions = _revisions(_database())
    return not (
        isinstance(noted, dict)
        and revisions
        and noted.get("prefect") == _prefect_version()
        and noted.get("revisions") == revisions
    )


def record_migrated() -> None:
    """Note that a server just started with its migrations run on the default database."""
    if _configured_elsewhere():
        return
    revisions, version = _revisions(_database()), _prefect_version()
    if revisions and version:
        try:
            _record().write_text(json.dumps({"prefect": version, "revisions": revisions}), encoding="utf-8")
        except OSError:
            pass  # the next start runs the migrations again
