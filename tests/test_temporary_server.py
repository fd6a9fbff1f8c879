"""Prefect's temporary server launched before Prefect is imported (flows/temporary_server.py)."""

from __future__ import annotations

import importlib.metadata
import json
import os
import pathlib
import subprocess
import sys

import pandas as pd
import pytest

from parindex.flows import temporary_server
from parindex.flows.temporary_server import TemporaryServer, serving

ROOT = pathlib.Path(__file__).resolve().parent.parent


def processes_with(marker: str) -> list[int]:
    """Pids of the processes whose environment holds `marker` (Linux)."""
    found = []
    for proc in pathlib.Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and marker.encode() in (proc / "environ").read_bytes():
                found.append(int(proc.name))
        except OSError:
            continue
    return found


def test_a_cold_run_from_the_shell_uses_the_server_launched_before_prefect(tmp_path):
    # Prefect's own temporary server is turned off: the run can only have used parindex's
    home = tmp_path / "prefect-home"
    # the run's own settings, not those earlier tests left in this process's environment
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_API_URL", "PREFECT_LOGGING"))}
    env.update(PREFECT_HOME=str(home), PREFECT_SERVER_EPHEMERAL_ENABLED="false", PREFECT_LOGGING_LEVEL="INFO")
    sample = ROOT / "samples" / "002_08e6fc9df459596f.docx"
    done = subprocess.run(
        [sys.executable, "-m", "parindex", "run", str(sample), "--out", str(tmp_path / "out"), "--verbose"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert "Beginning flow run" in done.stderr  # --verbose: the run's logs, sent to the server too,
    assert "Error logging to API" not in done.stderr  # all delivered before it stopped
    observations = pd.read_csv(tmp_path / "out" / "observations.csv")
    assert len(observations) == 16 and set(observations["year"]) == {2024}
    assert processes_with(f"PREFECT_HOME={home}") == []  # the server stopped with the run

    env["PREFECT_API_URL"] = ""  # and without parindex's server, Prefect's setting is what it is
    failed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from parindex.flows import temporary_server; temporary_server.start_early = lambda: None; "
            "from parindex.cli import main; sys.exit(main(sys.argv[1:]))",
            "run",
            str(sample),
            "--out",
            str(tmp_path / "out2"),
            "--quiet",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert failed.returncode != 0 and "No Prefect API URL provided" in failed.stderr


def test_serving_hands_the_server_to_prefect_and_stops_it(tmp_path, monkeypatch):
    from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_ENABLED, temporary_settings

    from parindex.flows.engine import events_have_a_recorder

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "prefect-home"))
    with temporary_settings(restore_defaults={PREFECT_API_URL}):
        server = TemporaryServer._current = TemporaryServer()
        process = server._process
        with serving():
            assert PREFECT_API_URL.value() == server.url and temporary_server._answers(server.url)
            # the server runs without a task-run recorder: no events are sent to it
            with temporary_settings(updates={PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_ENABLED: False}):
                assert not events_have_a_recorder()
        assert process.poll() is not None and TemporaryServer._current is None

    named = "http://127.0.0.1:9/api"
    with temporary_settings(updates={PREFECT_API_URL: named}):
        temporary_server.start_early()  # Prefect's settings name a server: none launched
        assert TemporaryServer._current is None
        server = TemporaryServer._current = TemporaryServer()
        with serving():  # the named server is used, the launched one stopped at once
            assert PREFECT_API_URL.value() == named and server._process is None


def test_a_server_that_cannot_start_is_told_with_what_it_printed(tmp_path, monkeypatch):
    # a database folder that cannot exist: the server's start fails, uvicorn exits with 3
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "prefect-home"))
    monkeypatch.setenv("PREFECT_API_DATABASE_CONNECTION_URL", f"sqlite+aiosqlite:///{blocker}/sub/prefect.db")
    server = TemporaryServer()
    with pytest.raises(RuntimeError, match=r"temporary server at http://127\.0\.0\.1:\d+/api: it stopped with exit"):
        server.wait(120)
    assert server._process is None and server._launches == temporary_server.LAUNCHES


def test_a_database_known_migrated_for_this_prefect_skips_the_migrations(tmp_path, monkeypatch):
    import sqlite3

    from parindex.flows import prefect_database

    monkeypatch.chdir(tmp_path)  # no prefect.toml, .env or pyproject.toml here
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "prefect-home"))
    monkeypatch.delenv("PREFECT_PROFILES_PATH", raising=False)
    assert prefect_database.migrations_needed()  # a new database
    first = TemporaryServer()
    assert first._migrates
    first.wait(300)
    first.stop()
    record = tmp_path / "prefect-home" / prefect_database.RECORD
    noted = json.loads(record.read_text())
    assert noted["prefect"] == importlib.metadata.version("prefect") and noted["revisions"]
    assert not prefect_database.migrations_needed()
    second = TemporaryServer()  # starts without Alembic's check, and answers
    assert not second._migrates
    second.wait(300)
    second.stop()

    monkeypatch.setattr(prefect_database, "_prefect_version", lambda: "0.0.1")  # Prefect upgraded
    assert prefect_database.migrations_needed()
    monkeypatch.undo()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "prefect-home"))
    with sqlite3.connect(tmp_path / "prefect-home" / "prefect.db") as con:  # another tool moved the schema
        con.execute("UPDATE alembic_version SET version_num = 'elsewhere'")
    assert prefect_database.migrations_needed()


def test_a_database_chosen_by_the_user_always_migrates(tmp_path, monkeypatch):
    from parindex.flows import prefect_database

    home = tmp_path / "prefect-home"
    home.mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PREFECT_HOME", str(home))
    monkeypatch.delenv("PREFECT_PROFILES_PATH", raising=False)
    assert not prefect_database._configured_elsewhere()
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\ndescription = "a database of scores"\n')
    assert not prefect_database._configured_elsewhere()  # only [tool.prefect] is Prefect's
    (tmp_path / "pyproject.toml").write_text('[tool.prefect.server.database]\nconnection_url = "postgresql://x"\n')
    assert prefect_database._configured_elsewhere()
    (tmp_path / "pyproject.toml").unlink()
    (home / "profiles.toml").write_text(
        'active = "work"\n[profiles.work]\nPREFECT_API_DATABASE_CONNECTION_URL = "postgresql://x"\n'
    )
    assert prefect_database._configured_elsewhere()
    (home / "profiles.toml").unlink()
    monkeypatch.setenv("PREFECT_SERVER_DATABASE_CONNECTION_URL", "postgresql://x")
    assert prefect_database._configured_elsewhere() and prefect_database.migrations_needed()


def test_a_server_named_in_prefects_settings_files_gets_no_temporary_server(tmp_path, monkeypatch):
    from parindex.flows.prefect_config import names_a_server

    home = tmp_path / "prefect-home"
    home.mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PREFECT_HOME", str(home))
    for name in ("PREFECT_API_URL", "PREFECT_PROFILE", "PREFECT_PROFILES_PATH"):
        monkeypatch.delenv(name, raising=False)
    assert not names_a_server()
    profiles = home / "profiles.toml"
    profiles.write_text('active = "local"\n[profiles.local]\n[profiles.work]\nPREFECT_API_URL = "http://h:4200/api"\n')
    assert not names_a_server()  # only the active profile counts
    monkeypatch.setenv("PREFECT_PROFILE", "work")
    assert names_a_server()
    monkeypatch.delenv("PREFECT_PROFILE")
    (tmp_path / "prefect.toml").write_text('[api]\nurl = "http://h:4200/api"\n')
    assert names_a_server()
    (tmp_path / "prefect.toml").unlink()
    (tmp_path / ".env").write_text("# settings\nPREFECT_API_URL=http://h:4200/api\n")
    assert names_a_server()
    (tmp_path / ".env").write_text("PREFECT_API_URL=\n")
    assert not names_a_server()  # set to nothing is not set
    monkeypatch.setenv("PREFECT_API_URL", "http://h:4200/api")
    temporary_server.start_early()
    assert names_a_server() and TemporaryServer._current is None
    (tmp_path / "prefect.toml").write_text("[api\n")
    monkeypatch.delenv("PREFECT_API_URL")
    assert names_a_server()  # a file that cannot be read may name one
