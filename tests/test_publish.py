"""Publishing a dataset into a SQL database (writer/publish.py), against a real
PostgreSQL server started for these tests on a local port (`.ci/run` installs Debian's
postgresql), and SQLite."""

from __future__ import annotations

import glob
import os
import pathlib
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap

import pytest
from conftest import ROOT, SAMPLES, read_tables

sa = pytest.importorskip("sqlalchemy")


def _pg_bin(name: str) -> str:
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
    if not found:
        pytest.fail(f"PostgreSQL's {name} not found: install Debian's postgresql (.ci/run does)")
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def postgres_url():
    """A throwaway PostgreSQL cluster on 127.0.0.1 (run as the postgres user when the
    tests run as root, as CI does), stopped and removed at the end. Its folder is outside
    pytest's, which only root may enter."""
    data = pathlib.Path(tempfile.mkdtemp(prefix="parindex-pg-")) / "data"
    data.mkdir()
    as_user: list[str] = []
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        for p in (data.parent, data):
            os.chown(p, user.pw_uid, user.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    subprocess.run(
        as_user
        + [
            _pg_bin("initdb"),
            "-D",
            str(data),
            "-A",
            "trust",
            "-U",
            "parindex",
            "--no-sync",
            "-E",
            "UTF8",
            "--locale=C",
        ],
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
    subprocess.run(
        as_user + [_pg_bin("pg_ctl"), "-D", str(data), "-o", options, "-w", "-l", str(data / "log"), "start"],
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql+psycopg://parindex@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(as_user + [_pg_bin("pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(data.parent, ignore_errors=True)


@pytest.fixture
def fresh_db(postgres_url):
    """An empty database of the test server for one test."""
    name = f"t{os.getpid()}_{_free_port()}"
    admin = sa.create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    yield postgres_url.rsplit("/", 1)[0] + "/" + name


def counts(url: str) -> dict[str, int]:
    engine = sa.create_engine(url)
    with engine.connect() as c:
        got = {
            t: c.execute(sa.text(f'SELECT count(*) FROM "{t}"')).scalar()
            for t in ("observations", "flags", "documents", "panel")
        }
    engine.dispose()
    return got


def rows_written(url: str) -> dict[str, str]:
    """Each table's newest transaction id among its rows: unchanged when nothing was written."""
    engine = sa.create_engine(url)
    with engine.connect() as c:
        got = {
            t: c.execute(sa.text(f'SELECT max(xmin::text::bigint) FROM "{t}"')).scalar()
            for t in ("observations", "flags", "documents", "panel")
        }
    engine.dispose()
    return got


def test_the_four_tables_with_their_types_and_keys_and_a_republish_writes_nothing(sample_run, fresh_db):
    from parindex.writer.publish import publish

    first = publish(sample_run["out"], fresh_db)
    assert first.changed
    want = {name: len(sample_run[name]) for name in ("observations", "flags", "documents", "panel")}
    assert counts(fresh_db) == want
    engine = sa.create_engine(fresh_db)
    with engine.connect() as c:
        types = dict(
            c.execute(
                sa.text(
                    "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'observations'"
                )
            ).fetchall()
        )
        keys = c.execute(
            sa.text(
                "SELECT kcu.column_name FROM information_schema.table_constraints tc JOIN "
                "information_schema.key_column_usage kcu USING (constraint_name) WHERE "
                "tc.table_name = 'documents' AND tc.constraint_type = 'PRIMARY KEY'"
            )
        ).fetchall()
        row = c.execute(
            sa.text(
                'SELECT "table", "row", score, rank, rank_of, printed_code FROM observations '
                "WHERE unit = 'Ba Tơ' AND year = 2023 AND code = '1.7'"
            )
        ).fetchone()
    engine.dispose()
    assert (types["table"], types["row"], types["score"], types["unit"]) == (
        "bigint",
        "bigint",
        "double precision",
        "text",
    )
    assert keys == [("source",)]
    assert tuple(row) == (3, 14, 1.41, None, None, "1,7")
    before = rows_written(fresh_db)
    again = publish(sample_run["out"], fresh_db)
    assert not again.changed and again.line().startswith("nothing to publish")
    assert rows_written(fresh_db) == before


def test_a_changed_source_is_replaced_and_nothing_else_is_touched(prefect_harness, tmp_path, fresh_db):
    from parindex.flows.ingest import ingest
    from parindex.writer.publish import publish

    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("003_bcf6dc032df3fdf9.pdf", "004_0dbbb814e2b5b046.html"):
        shutil.copy(SAMPLES / name, folder / name)
    out = tmp_path / "out"
    ingest([str(folder)], out=str(out))
    publish(out, fresh_db)
    engine = sa.create_engine(fresh_db)

    def snapshot():
        with engine.connect() as c:
            return dict(
                c.execute(
                    sa.text("SELECT source, max(xmin::text::bigint) FROM observations GROUP BY source")
                ).fetchall()
            )

    before = snapshot()
    html = folder / "004_0dbbb814e2b5b046.html"
    html.write_text(html.read_text(encoding="utf-8").replace("80,24", "80,14"), encoding="utf-8")
    ingest([str(folder)], out=str(out))
    second = publish(out, fresh_db)
    after = snapshot()
    assert second.replaced["documents"] == 1 and second.deleted["documents"] == 0
    changed = [s for s in after if after[s] != before[s]]
    assert [pathlib.Path(s).name for s in changed] == ["004_0dbbb814e2b5b046.html"]
    with engine.connect() as c:
        assert c.execute(sa.text("SELECT count(*) FROM observations WHERE score = 80.14")).scalar() >= 1
    engine.dispose()
    assert counts(fresh_db) == {name: len(df) for name, df in read_tables(out).items()}


KILLED = textwrap.dedent("""
    import sys, time
    from parindex.writer.publish import publish
    def pause():
        print("deleted", flush=True)
        time.sleep(60)
    publish(sys.argv[1], sys.argv[2], after_delete=pause)
""")


def test_a_publish_killed_half_way_leaves_the_previous_state(sample_run, fresh_db, tmp_path):
    from parindex.writer.publish import publish

    small = tmp_path / "small"
    shutil.copytree(sample_run["out"], small)
    publish(small, fresh_db)
    before = counts(fresh_db)
    engine = sa.create_engine(fresh_db)
    with engine.begin() as c:  # the database's record says every slice changed: a publish deletes and rewrites all
        c.execute(sa.text("UPDATE parindex_published SET hash = 'old'"))
    engine.dispose()
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED, str(small), fresh_db], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    try:
        assert proc.stdout.readline().strip() == "deleted"  # inside its transaction, every row deleted
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert counts(fresh_db) == before
    assert publish(small, fresh_db).changed  # and the next publish finishes the job
    assert counts(fresh_db) == before


def test_sqlite_and_the_command_line(sample_run, tmp_path):
    url = f"sqlite:///{tmp_path / 'parindex.sqlite'}"
    done = subprocess.run(
        [sys.executable, "-m", "parindex", "publish", str(sample_run["out"]), "--to", url],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"published to {url}: observations {len(sample_run['observations'])} rows")
    assert counts(url)["observations"] == len(sample_run["observations"])
    refused = subprocess.run(
        [
            sys.executable,
            "-m",
            "parindex",
            "publish",
            str(sample_run["out"]),
            "--to",
            "postgresql+psycopg://nobody:secret@127.0.0.1:1/none",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert refused.returncode == 1
    assert refused.stderr.startswith(
        "parindex: publish to postgresql+psycopg://nobody:***@127.0.0.1:1/none failed, the database is as it was"
    )
    assert len(refused.stderr.strip().splitlines()) == 1 and "secret" not in refused.stderr
