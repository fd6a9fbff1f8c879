"""`parindex server`: a Prefect server that later runs find instead of starting a temporary
one (flows/server.py), stopped on request or after its idle timeout."""

from __future__ import annotations

import os
import time

import pytest

from parindex.cli import main
from parindex.flows import server


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "prefect-home"))
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    yield tmp_path / "prefect-home"
    server.stop()


def test_runs_find_the_server_until_it_is_stopped(home, monkeypatch, capsys):
    from parindex.api import prefect_environment

    assert main(["server", "status"]) == 1 and "not running" in capsys.readouterr().out
    assert main(["server", "start", "--idle-timeout", "10"]) == 0
    url = server.status()["url"]
    assert url.startswith("http://127.0.0.1:") and "stops after 10 minutes" in capsys.readouterr().out
    assert server.start() == url  # one server: a second start finds it
    prefect_environment()
    assert os.environ["PREFECT_API_URL"] == url  # a run uses it, no temporary server
    assert main(["server", "stop"]) == 0 and "stopped" in capsys.readouterr().out
    assert server.status() is None and not server.state_file().exists()
    monkeypatch.delenv("PREFECT_API_URL")
    prefect_environment()
    assert "PREFECT_API_URL" not in os.environ  # back to a temporary server per run


def test_the_server_stops_by_itself_after_its_idle_timeout(home):
    server.start(idle_minutes=0.05)  # 3 s
    assert server.status() is not None
    deadline = time.monotonic() + 90
    while server.status() is not None and time.monotonic() < deadline:
        time.sleep(1)
    assert server.status() is None and not server.state_file().exists()


def test_idle_timeout_is_validated(home):
    with pytest.raises(ValueError, match="positive number of minutes"):
        server.start(idle_minutes=float("nan"))
    assert main(["server", "start", "--idle-timeout", "0"]) == 2
