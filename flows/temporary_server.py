"""Prefect's temporary server for one run, started before Prefect is imported.

With no Prefect server configured, Prefect starts a temporary server the first time the
flow needs its API: after this process has imported Prefect, and only then does the
server's own process begin importing Prefect's server (most of its start). `start_early`
launches the same server (Prefect's own command: uvicorn over
`prefect.server.api.server:create_app`, no UI, the ephemeral services) from the CLI
before Prefect is imported here, so the two imports and the early reads
(`flows/early.py`) overlap. `serving` then hands it to the flow, unless Prefect's
settings (environment, profile, prefect.toml) name a server of their own, and stops it
at the end of the run like Prefect stops its own; where its database is known migrated
for the installed Prefect, it starts without Alembic's check (`flows/prefect_database.py`).
Prefect's `SubprocessASGIServer`, which starts that command, cannot be used for this:
importing it imports Prefect and its server, the seconds this saves. Nothing here
imports Prefect at module level.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator

from parindex.flows import prefect_config, prefect_database

STARTUP_FAILED = 3  # uvicorn's exit code when its port was taken meanwhile, or the app did not start
LAUNCHES = 3  # tries on other ports before that exit code is taken as the server's failure
STOP_SECONDS = 5.0  # as Prefect's SubprocessASGIServer: terminate, then kill
# Prefect's own environment for its temporary server (SubprocessASGIServer)
SERVER_ENVIRONMENT = {"PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=1.0) as response:
            return response.status == 200
    except OSError:
        return False


class TemporaryServer:
    """One Prefect server process for this run; see the module docstring."""

    _current: TemporaryServer | None = None

    def __init__(self) -> None:
        self._log = tempfile.TemporaryFile()  # what the server printed, for an error
        self._process: subprocess.Popen | None = None
        self.url = ""
        self._launches = 0
        # its database already migrated for this Prefect: the start skips Alembic's check
        self._migrates = prefect_database.migrations_needed()
        self._launch()
        atexit.register(self.stop)

    def _launch(self) -> None:
        self._launches += 1
        port = _free_port()
        self.url = f"http://127.0.0.1:{port}/api"
        self._process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "prefect.server.api.server:create_app"]
            + ["--host", "127.0.0.1", "--port", str(port), "--log-level", "error", "--lifespan", "on"],
            env={
                **{k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"},
                **SERVER_ENVIRONMENT,
                **({} if self._migrates else {"PREFECT_API_DATABASE_MIGRATE_ON_START": "false"}),
            },
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=self._log,
        )

    def wait(self, timeout: float) -> str:
        """The server's API URL once it answers; RuntimeError, with what it printed, if it
        stops or does not answer within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            code = self._process.poll() if self._process else -1
            if code == STARTUP_FAILED and self._launches < LAUNCHES:
                self._launch()
            elif code is not None:
                break
            elif _answers(self.url):
                if self._migrates:
                    prefect_database.record_migrated()
                return self.url
            time.sleep(0.05)
        self._log.seek(0)
        printed = self._log.read().decode(errors="replace").strip()[-2000:]
        code = self._process.poll() if self._process else None
        state = f"it stopped with exit code {code}" if code is not None else f"it did not answer within {timeout:.0f} s"
        self.stop()
        raise RuntimeError(
            f"Prefect's temporary server at {self.url}: {state}" + (f"; it printed: {printed}" if printed else "")
        )

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(STOP_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if TemporaryServer._current is self:
            TemporaryServer._current = None


def start_early() -> None:
    """Launch the temporary server now, if no server is named: in the environment (where
    `prefect_environment` names one `parindex server start` left running), Prefect's
    settings files, or, when this process has imported Prefect already, its settings."""
    if TemporaryServer._current is not None or prefect_config.names_a_server():
        return
    if "prefect.settings" in sys.modules:
        from prefect.settings import get_current_settings

        if get_current_settings().api.url:
            return
    TemporaryServer._current = TemporaryServer()


def serving_url() -> str | None:
    """The API URL of the server launched for this run, if there is one."""
    return TemporaryServer._current.url if TemporaryServer._current is not None else None


def stop_early() -> None:
    if TemporaryServer._current is not None:
        TemporaryServer._current.stop()


@contextlib.contextmanager
def serving() -> Iterator[None]:
    """Within: Prefect's API is the server `start_early` launched, if there is one and
    Prefect's settings name no other; the server stops on the way out."""
    early = TemporaryServer._current
    if early is None:
        yield
        return
    from prefect.settings import PREFECT_API_URL, get_current_settings, temporary_settings

    try:
        settings = get_current_settings()
        if settings.api.url:  # a server named in a profile or prefect.toml: that one
            early.stop()
            yield
            return
        url = early.wait(settings.server.ephemeral.startup_timeout_seconds)
        with temporary_settings(updates={PREFECT_API_URL: url}):
            try:
                yield
            finally:
                _deliver_logs()
    finally:
        early.stop()


def _deliver_logs() -> None:
    """Send the server the run's logs still queued for it (`--verbose` sends the run's
    INFO logs) before it stops: Prefect would try at exit and print an error."""
    from prefect.logging.handlers import APILogWorker

    APILogWorker.drain_all(timeout=5)
