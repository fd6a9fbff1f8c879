"""An opt-in Prefect server that later runs find: `parindex server start|stop|status`.

Without PREFECT_API_URL every `parindex run` starts Prefect's temporary server and stops
it at the end: several seconds per run, most of a run over a handful of documents.
`start` launches `prefect server start` on a free local port under a small supervisor
process, detached from the shell, and records where it listens in
`PREFECT_HOME/parindex-server.json`. A later run with no PREFECT_API_URL of its own
finds it there (`url_if_running`, called by `parindex.api.prefect_environment`), uses
it and so records its flow runs in it (its UI shows them at the URL). The supervisor
stops the server after `idle_minutes` without a run (a flow run still running counts
as use), or on `stop`. Nothing here imports Prefect.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import signal
import socket
import subprocess
import sys
import time
import urllib.request

DEFAULT_IDLE_MINUTES = 30.0
CHECK_SECONDS = 15.0  # how often the supervisor looks for use
START_SECONDS = 180.0  # how long `start` waits for the server to answer
# the services a server that only records runs has no work for (no schedules, no workers)
IDLE_SERVICES = (
    "CANCELLATION_CLEANUP",
    "FOREMAN",
    "LATE_RUNS",
    "SCHEDULER",
    "PAUSE_EXPIRATIONS",
    "REPOSSESSOR",
    "TRIGGERS",
)


def prefect_home() -> pathlib.Path:
    return pathlib.Path(os.environ.get("PREFECT_HOME") or pathlib.Path.home() / ".prefect").expanduser()


def state_file() -> pathlib.Path:
    return prefect_home() / "parindex-server.json"


def used_file() -> pathlib.Path:
    """Touched by each run that uses the server; its time is the last use."""
    return prefect_home() / "parindex-server.used"


def _state() -> dict | None:
    try:
        state = json.loads(state_file().read_text())
    except (OSError, ValueError):
        return None
    return state if isinstance(state, dict) and {"url", "pid"} <= state.keys() else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _healthy(url: str, timeout: float = 1.0) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=timeout) as response:
            return response.status == 200
    except OSError:
        return False


def url_if_running(touch: bool = True) -> str | None:
    """The API URL of the server `start` launched, if it answers (and its use noted)."""
    state = _state()
    if state is None or not _alive(int(state["pid"])) or not _healthy(state["url"]):
        return None
    if touch:
        used_file().touch()
    return state["url"]


def status() -> dict | None:
    """The running server's URL, supervisor pid and idle timeout, or None."""
    state = _state()
    return state if state is not None and url_if_running(touch=False) else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(idle_minutes: float = DEFAULT_IDLE_MINUTES, port: int | None = None) -> str:
    """Start the server (or find the one running) and return its API URL."""
    if not idle_minutes > 0:
        raise ValueError(f"the idle timeout must be a positive number of minutes, not {idle_minutes!r}")
    running = url_if_running()
    if running:
        return running
    home = prefect_home()
    home.mkdir(parents=True, exist_ok=True)
    log = open(home / "parindex-server.log", "ab")  # noqa: SIM115 - handed to the detached process
    port = port or _free_port()
    subprocess.Popen(
        [sys.executable, "-m", "parindex.flows.server", "--port", str(port), "--idle", str(idle_minutes)],
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=log,
        start_new_session=True,
        env={k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"},
    )
    log.close()
    url = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if url_if_running() == url:
            return url
        time.sleep(0.3)
    raise RuntimeError(
        f"the Prefect server did not answer at {url} within {START_SECONDS:.0f} s; see {home / 'parindex-server.log'}"
    )


def stop() -> bool:
    """Stop the server `start` launched; whether one was running."""
    state = _state()
    if state is None:
        return False
    pid = int(state["pid"])
    if _alive(pid):
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 30
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
    state_file().unlink(missing_ok=True)
    return True


def _runs_in_progress(url: str) -> bool:
    body = json.dumps({"flow_runs": {"state": {"type": {"any_": ["RUNNING", "PENDING"]}}}}).encode()
    request = urllib.request.Request(f"{url}/flow_runs/count", data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return int(json.loads(response.read())) > 0
    except (OSError, ValueError):
        return False


def _idle_for(url: str) -> float:
    """Seconds since the server was last used (0 while a flow run is in progress)."""
    if _runs_in_progress(url):
        used_file().touch()
        return 0.0
    try:
        return time.time() - used_file().stat().st_mtime
    except OSError:
        return 0.0


def serve(port: int, idle_minutes: float) -> int:
    """The supervisor: run `prefect server start`, record it, stop it when idle."""
    env = dict(
        os.environ,
        DO_NOT_TRACK="1",
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        **{f"PREFECT_SERVER_SERVICES_{s}_ENABLED": "false" for s in IDLE_SERVICES},
    )
    prefect = pathlib.Path(sys.executable).parent / "prefect"
    server = subprocess.Popen(
        [str(prefect), "server", "start", "--host", "127.0.0.1", "--port", str(port)], env=env, stdin=subprocess.DEVNULL
    )

    def on_stop(*_):
        raise SystemExit(0)  # through the finally below: the server stops with its supervisor

    signal.signal(signal.SIGTERM, on_stop)
    url = f"http://127.0.0.1:{port}/api"
    used_file().touch()
    state_file().write_text(json.dumps({"url": url, "pid": os.getpid(), "idle_minutes": idle_minutes}))
    try:
        check = min(CHECK_SECONDS, idle_minutes * 30)  # a short timeout is checked as often as it needs
        answered = False
        while server.poll() is None:
            healthy = _healthy(url, 0.5)
            if healthy and not answered:
                answered = True
                used_file().touch()  # idle time counts from when the server answers
            time.sleep(check if healthy else min(check, 1.0))
            if answered and _idle_for(url) > idle_minutes * 60:
                break
    finally:
        # the record goes first: from here on no run finds a server that is stopping, and
        # whoever sees the server gone also sees its record gone
        state = _state()
        if state is not None and state.get("pid") == os.getpid():
            state_file().unlink(missing_ok=True)
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="parindex's persistent Prefect server (started by `parindex server start`)"
    )
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--idle", type=float, default=DEFAULT_IDLE_MINUTES)
    args = ap.parse_args(argv)
    return serve(args.port, args.idle)


if __name__ == "__main__":
    sys.exit(main())
