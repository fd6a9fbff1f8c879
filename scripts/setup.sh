#!/bin/sh
# Set up parindex in .venv (repo root) with the pinned dependencies of requirements.lock.
# Idempotent and quick when nothing changed: the lock's hash is remembered in the venv.
set -eu
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"

if [ ! -x .venv/bin/python ]; then
    echo "parindex setup: creating .venv with $($PYTHON --version 2>&1)" >&2
    "$PYTHON" -m venv .venv
fi

stamp=.venv/.parindex-installed
want="$(cat requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
    echo "parindex setup: installing pinned dependencies (requirements.lock)" >&2
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
    echo "$want" > "$stamp"
fi
