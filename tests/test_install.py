"""A plain install works (issue 19): the wheel built from this repository, installed with
plain `pip install` into a fresh virtualenv (pip picks the newest versions the declared
bounds allow, as a user's would), runs `parindex run`, `export --xlsx` and `report` on the
samples, and puts nothing but `parindex` at the top of site-packages."""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys
import venv

from conftest import ROOT, SAMPLES


def run(cmd: list, **kw) -> subprocess.CompletedProcess:
    done = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kw)
    assert done.returncode == 0, f"{' '.join(map(str, cmd))}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


def test_the_wheel_installs_into_a_fresh_virtualenv_and_runs_on_the_samples(tmp_path):
    wheels = tmp_path / "wheels"
    run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",
            "--disable-pip-version-check",
            "-w",
            wheels,
            ROOT,
        ]
    )
    [wheel] = list(wheels.glob("parindex-*.whl"))
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py, exe = env_dir / "bin" / "python", env_dir / "bin" / "parindex"
    run([py, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", wheel], timeout=1200)
    site = pathlib.Path(run([py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    ours = sorted(
        p.name
        for p in site.iterdir()
        if p.name.startswith(("parindex", "flows", "extractors", "normalizer", "schemas"))
    )
    assert ours == ["parindex", f"{wheel.name.split('-')[0]}-{wheel.name.split('-')[1]}.dist-info"]
    assert {p.name for p in (site / "parindex").iterdir()} >= {"flows", "extractors", "normalizer", "schemas", "cli.py"}
    assert (site / "parindex" / "normalizer" / "catalog" / "criteria.csv").is_file()

    work = tmp_path / "work"
    shutil.copytree(SAMPLES, work / "samples")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "VIRTUAL_ENV", "PYTHONPATH"))}
    env["PREFECT_HOME"] = str(tmp_path / "prefect-home")
    env["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] = "600"
    done = run([exe, "run", "samples", "--out", "out", "--quiet"], cwd=work, env=env, timeout=1200)
    assert done.stderr == ""
    run([exe, "export", "out", "--xlsx", "out/parindex.xlsx"], cwd=work, env=env, timeout=600)
    run([exe, "report", "out"], cwd=work, env=env, timeout=600)
    assert (work / "out" / "parindex.xlsx").stat().st_size > 10_000
    assert "<html" in (work / "out" / "report.html").read_text(encoding="utf-8")[:200].lower()
    counted = run(
        [py, "-c", "import parindex; ds = parindex.load('out'); print(len(ds.observations), len(ds.flags))"],
        cwd=work,
        env=env,
    )
    n_obs, n_flags = map(int, counted.stdout.split())
    assert n_obs > 400 and n_flags > 50
