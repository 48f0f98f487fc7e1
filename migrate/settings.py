"""The one settings resolver: flags, environment variables and `[tool.pleo-migrate]`.

Precedence: a flag beats an environment variable, which beats the project file
(pyproject.toml). Credentials never come from the project file, and the new API's credential
is resolved as one unit: an API key or an OAuth token given as a flag wins over both
variables, and of the variables the API key wins. Secrets are kept out of `repr()` so a
settings object can be logged or shown in an error safely.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import Any, Final

from migrate import pleo
from migrate.errors import ConfigurationError

# The variable behind each plain setting; the new API's credential is resolved apart.
_ENV_VARS: Final = {
    "env": pleo.ENV_VAR,
    "company_id": pleo.COMPANY_ID_VAR,
    "new_base_url": pleo.NEW_URL_VAR,
    "legacy_base_url": pleo.LEGACY_URL_VAR,
    "legacy_token": pleo.LEGACY_TOKEN_VAR,
}
# In order of preference when both variables are set.
_CREDENTIAL_VARS: Final = {"api_key": pleo.API_KEY_VAR, "oauth_token": pleo.OAUTH_TOKEN_VAR}
_SECRETS: Final = frozenset({"legacy_token", "api_key", "oauth_token"})


@dataclass(frozen=True)
class Settings:
    """What one run (a command, a compat client) is configured with, resolved once."""

    env: pleo.Environment = "production"
    mappings: Path | None = None  # None: the catalogue shipped with pleo-migrate
    company_id: str | None = None
    new_base_url: str | None = None  # None: Pleo's new-API host for `env`
    legacy_base_url: str | None = None  # None: Pleo's legacy host for `env`
    legacy_token: str | None = field(default=None, repr=False)
    api_key: str | None = field(default=None, repr=False)  # at most one of api_key and
    oauth_token: str | None = field(default=None, repr=False)  # oauth_token is set
    project_file: Path | None = None
    timeline: Mapping[str, str] = field(default_factory=dict)  # [tool.pleo-migrate.timeline]


def find_project_file(start: Path) -> Path | None:
    """The nearest pyproject.toml at or above `start`."""
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def _project_table(path: Path | None) -> Mapping[str, Any]:
    if path is None:
        return {}
    import tomllib  # imported where used: a folder without a pyproject.toml never needs it

    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigurationError(f"{path}: cannot read [tool.pleo-migrate]: {exc}") from None
    table = document.get("tool", {}).get("pleo-migrate", {})
    if not isinstance(table, Mapping):
        raise ConfigurationError(f"{path}: [tool.pleo-migrate] must be a table")
    known = {f.name for f in fields(Settings)} - {"project_file", *_SECRETS}
    timeline = table.get("timeline", {})
    if not isinstance(timeline, Mapping) or not all(
        isinstance(value, str | date) for value in timeline.values()
    ):
        raise ConfigurationError(
            f"{path}: [tool.pleo-migrate.timeline] maps names to dates, e.g. "
            'legacy-sunset = "2026-01-01"'
        )
    for key in table:
        if key.replace("-", "_") not in known:
            raise ConfigurationError(
                f"{path}: unknown setting {key!r} in [tool.pleo-migrate] "
                f"(known: {', '.join(sorted(known))}; credentials only come from the environment)"
            )
    result = {key.replace("-", "_"): value for key, value in table.items()}
    result["timeline"] = {str(name): str(value) for name, value in timeline.items()}
    return result


def load_settings(
    flags: Mapping[str, Any] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    read_project: bool = True,
) -> Settings:
    """Settings for one run; `flags` holds only what the caller was actually given.

    `read_project=False` skips pyproject.toml: the compat library passes it, so a client's
    settings never depend on the directory the program happens to run in.
    """
    flags = {key: value for key, value in (flags or {}).items() if value is not None}
    environ = os.environ if environ is None else environ
    project_file = find_project_file(cwd or Path.cwd()) if read_project else None
    merged: dict[str, Any] = dict(_project_table(project_file))
    for name, variable in _ENV_VARS.items():
        if environ.get(variable):
            merged[name] = environ[variable]
    merged.update({key: value for key, value in flags.items() if key not in _CREDENTIAL_VARS})
    merged.update(_new_api_credential(flags, environ))
    env = pleo.require_environment(str(merged.get("env", "production")))
    mappings = merged.get("mappings")
    if mappings is not None:
        mappings = Path(mappings)
        if not mappings.is_absolute() and project_file is not None and "mappings" not in flags:
            mappings = project_file.parent / mappings
    return Settings(
        env=env,
        mappings=mappings,
        company_id=merged.get("company_id"),
        new_base_url=merged.get("new_base_url"),
        legacy_base_url=merged.get("legacy_base_url"),
        legacy_token=merged.get("legacy_token"),
        api_key=merged.get("api_key"),
        oauth_token=merged.get("oauth_token"),
        project_file=project_file,
        timeline=merged.get("timeline", {}),
    )


def _new_api_credential(flags: Mapping[str, Any], environ: Mapping[str, str]) -> dict[str, str]:
    """An API key or an OAuth token, never both: flags as a unit first, then the variables."""
    given = {name: str(flags[name]) for name in _CREDENTIAL_VARS if flags.get(name)}
    if len(given) > 1:
        raise ConfigurationError("give an API key or an OAuth token, not both")
    if given:
        return given
    for name, variable in _CREDENTIAL_VARS.items():
        if environ.get(variable):
            return {name: environ[variable]}
    return {}
