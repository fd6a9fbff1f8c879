"""Latency of a small run: a cold `parindex run FOLDER --out X --no-cache` as a process from
the shell, with no server configured (Prefect's temporary server starts), against the
same run with a Prefect server already running (PREFECT_API_URL set), in one run.

    .venv/bin/python benchmarks/small_run.py [samples/] [--rounds 3] [--workdir /tmp/parindex-small]

Four ways, each run --rounds times in turn (early, prefect, persistent, server, early, ...),
so the machine's drift weighs on all alike:
- early: as shipped, Prefect's temporary server is launched before Prefect is imported
  (flows/temporary_server.py) and documents are read meanwhile (flows/early.py);
- prefect: the same, but Prefect starts its temporary server itself when the flow
  first needs it (`start_early` off), as before;
- persistent: after `parindex server start` (flows/server.py), no PREFECT_API_URL set:
  the run finds that server;
- server: PREFECT_API_URL set to a `prefect server start` of its own, started once
  before the rounds (the reference of issue 22).
It prints the median wall time of each and their ratios to the server's (target: cold
<= 1.3 x the server's).
"""

from __future__ import annotations

import argparse
import os
import pathlib
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent
PARINDEX = [sys.executable, "-m", "parindex"]
PREFECT_STARTS = [
    sys.executable,
    "-c",
    (
        "import sys; from parindex.flows import temporary_server; temporary_server.start_early = lambda: None; "
        "from parindex.cli import main; sys.exit(main(sys.argv[1:]))"
    ),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(home: pathlib.Path) -> tuple[subprocess.Popen, str]:
    """A Prefect server of its own (its own PREFECT_HOME), once it answers."""
    port = free_port()
    env = dict(os.environ, PREFECT_HOME=str(home), DO_NOT_TRACK="1")
    env.pop("PREFECT_API_URL", None)
    server = subprocess.Popen(
        [
            str(pathlib.Path(sys.executable).parent / "prefect"),
            "server",
            "start",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2):
                return server, url
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("the Prefect server did not start in 5 minutes")


def timed(command: list[str], folder: str, out: pathlib.Path, env: dict) -> float:
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    subprocess.run(
        [*command, "run", folder, "--out", str(out), "--no-cache", "--quiet"],
        check=True,
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", nargs="?", default="samples/")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--workdir", default="/tmp/parindex-small")
    args = ap.parse_args()
    work = pathlib.Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    cold_env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    cold_env["PREFECT_HOME"] = str(work / "prefect-home")  # warm: its database made once, as a user's is
    server, url = start_server(work / "server-home")
    server_env = dict(cold_env, PREFECT_API_URL=url)
    persistent_env = dict(cold_env, PREFECT_HOME=str(work / "persistent-home"))
    subprocess.run(
        [*PARINDEX, "server", "start", "--idle-timeout", "30"],
        check=True,
        env=persistent_env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    times: dict[str, list[float]] = {"early": [], "prefect": [], "persistent": [], "server": []}
    try:
        timed(PARINDEX, args.folder, work / "out", cold_env)  # the first run makes PREFECT_HOME's database
        timed(PARINDEX, args.folder, work / "out", server_env)
        timed(PARINDEX, args.folder, work / "out", persistent_env)
        for _ in range(max(1, args.rounds)):
            times["early"].append(timed(PARINDEX, args.folder, work / "out", cold_env))
            times["prefect"].append(timed(PREFECT_STARTS, args.folder, work / "out", cold_env))
            times["persistent"].append(timed(PARINDEX, args.folder, work / "out", persistent_env))
            times["server"].append(timed(PARINDEX, args.folder, work / "out", server_env))
    finally:
        subprocess.run(
            [*PARINDEX, "server", "stop"], env=persistent_env, cwd=ROOT, stdout=subprocess.DEVNULL, check=False
        )
        os.killpg(server.pid, 15)
        server.wait(30)
    median = {k: statistics.median(v) for k, v in times.items()}
    for k, v in times.items():
        print(f"{k:>6}: median {median[k]:.1f} s ({', '.join(f'{x:.1f}' for x in v)})")
    print(
        f"cold run / run against a running server: {median['early'] / median['server']:.2f} as shipped, "
        f"{median['prefect'] / median['server']:.2f} with Prefect starting its server (target <= 1.3); "
        "after `parindex server start`: "
        f"{median['persistent'] / median['server']:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
