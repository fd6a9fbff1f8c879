"""What Prefect's settings say, read before Prefect is imported (importing it takes seconds).

Prefect takes its settings from the environment, the active profile
(`PREFECT_HOME/profiles.toml`, or PREFECT_PROFILES_PATH), and in the working folder
`.env`, `prefect.toml` and pyproject's `[tool.prefect]`. `says(environment_key,
toml_key)` tells whether any of them sets a setting: `environment_key(name)` picks the
environment-style names (`PREFECT_API_URL`), `toml_key(path)` the dotted paths of the
TOML files (`("api", "url")`). An unreadable file counts as saying it. Nothing here
imports Prefect.
"""

from __future__ import annotations

import os
import pathlib
import tomllib
from collections.abc import Callable, Iterator

from parindex.flows.server import prefect_home

DEFAULT_PROFILE = "ephemeral"  # Prefect's active profile when profiles.toml names none


class Unreadable(Exception):
    """A settings file exists but cannot be read or parsed."""


def _toml(path: pathlib.Path) -> dict | None:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise Unreadable(path) from exc


def _paths(mapping: dict, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    for key, value in mapping.items():
        path = (*prefix, str(key))
        yield path
        if isinstance(value, dict):
            yield from _paths(value, path)


def _environment_names() -> Iterator[str]:
    """The names set, to something, in the environment and in `.env`."""
    yield from (name for name, value in os.environ.items() if value)
    try:
        lines = pathlib.Path(".env").read_text(encoding="utf-8", errors="replace").splitlines()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise Unreadable(".env") from exc
    for line in lines:
        name, _, value = line.strip().removeprefix("export ").partition("=")
        if name.strip() and not name.startswith("#") and value.strip():
            yield name.strip()


def _profile_names() -> Iterator[str]:
    content = _toml(pathlib.Path(os.environ.get("PREFECT_PROFILES_PATH") or prefect_home() / "profiles.toml"))
    if content is None:
        return
    active = os.environ.get("PREFECT_PROFILE") or content.get("active") or DEFAULT_PROFILE
    profile = content.get("profiles", {}).get(active, {})
    yield from profile if isinstance(profile, dict) else ()


def _toml_paths() -> Iterator[tuple[str, ...]]:
    for path, section in ((pathlib.Path("prefect.toml"), ()), (pathlib.Path("pyproject.toml"), ("tool", "prefect"))):
        content = _toml(path)
        for key in section:
            content = content.get(key) if isinstance(content, dict) else None
        if isinstance(content, dict):
            yield from _paths(content)


def says(environment_key: Callable[[str], bool], toml_key: Callable[[tuple[str, ...]], bool]) -> bool:
    """Whether the environment or a settings file sets a setting (see the module docstring)."""
    try:
        return (
            any(environment_key(n) for n in _environment_names())
            or any(environment_key(n) for n in _profile_names())
            or any(toml_key(p) for p in _toml_paths())
        )
    except Unreadable:
        return True


def names_a_server() -> bool:
    """Whether Prefect's settings name an API server (PREFECT_API_URL, `api.url`)."""
    return says(lambda name: name == "PREFECT_API_URL", lambda path: path == ("api", "url"))
