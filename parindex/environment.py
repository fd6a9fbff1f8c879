"""What `parindex run` needs from its environment, checked before Prefect starts, each
problem told in one line with what to do: a Prefect server named by PREFECT_API_URL
must answer; without one, Prefect's temporary server needs a writable PREFECT_HOME
(where it keeps its database while the run lasts)."""

from __future__ import annotations

import os
import pathlib
import tempfile
import urllib.error
import urllib.request

API_TIMEOUT_SECONDS = 5.0


def prefect_home() -> pathlib.Path:
    return pathlib.Path(os.environ.get("PREFECT_HOME") or "~/.prefect").expanduser()


def _home_problem(home: pathlib.Path) -> str | None:
    try:
        home.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=home):
            pass
    except OSError as exc:
        return (
            f"PREFECT_HOME={home} is not writable ({exc.strerror or exc}); set PREFECT_HOME to a writable "
            f"folder (Prefect's temporary server keeps its database there)"
        )
    return None


def _api_problem(url: str) -> str | None:
    try:
        with urllib.request.urlopen(f"{url.rstrip('/')}/health", timeout=API_TIMEOUT_SECONDS):
            return None
    except urllib.error.HTTPError:  # a server answered, if not this path: it is there
        return None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return (
            f"PREFECT_API_URL={url} does not answer ({reason}); start that Prefect server, "
            f"or unset PREFECT_API_URL to run with a temporary one"
        )


def prefect_problem() -> str | None:
    """What keeps Prefect from starting here, in one line; None when nothing does."""
    url = os.environ.get("PREFECT_API_URL")
    return _api_problem(url) if url else _home_problem(prefect_home())
