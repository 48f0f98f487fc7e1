"""Frozen settings from flags, environment variables and `[tool.pleo-migrate]` in pyproject.toml.

Precedence: a flag beats an environment variable, which beats the project file. Secrets are
kept out of `repr()` so a settings object can be logged or shown in an error safely.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import Any

from migrate.errors import ConfigurationError

ENVIRONMENTS = ("staging", "production")
_ENV_VARS = {
    "legacy_token": "PLEO_LEGACY_TOKEN",
    "api_key": "PLEO_API_KEY",
    "company_id": "PLEO_COMPANY_ID",
    "env": "PLEO_ENV",
}


@dataclass(frozen=True)
class Settings:
    env: str = "production"
    mappings: Path | None = None  # None: the catalogue shipped with pleo-migrate
    company_id: str | None = None
    legacy_token: str | None = field(default=None, repr=False)
    api_key: str | None = field(default=None, repr=False)
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
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigurationError(f"{path}: cannot read [tool.pleo-migrate]: {exc}") from None
    table = document.get("tool", {}).get("pleo-migrate", {})
    if not isinstance(table, Mapping):
        raise ConfigurationError(f"{path}: [tool.pleo-migrate] must be a table")
    known = {f.name for f in fields(Settings)} - {"project_file", "legacy_token", "api_key"}
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
) -> Settings:
    """Settings for one command run; `flags` holds only the flags the user actually gave."""
    environ = os.environ if environ is None else environ
    project_file = find_project_file(cwd or Path.cwd())
    merged: dict[str, Any] = dict(_project_table(project_file))
    for name, variable in _ENV_VARS.items():
        if environ.get(variable):
            merged[name] = environ[variable]
    merged.update({key: value for key, value in (flags or {}).items() if value is not None})
    env = str(merged.get("env", "production"))
    if env not in ENVIRONMENTS:
        raise ConfigurationError(f"environment must be staging or production, got {env!r}")
    mappings = merged.get("mappings")
    if mappings is not None:
        mappings = Path(mappings)
        if (
            not mappings.is_absolute()
            and project_file is not None
            and "mappings" not in (flags or {})
        ):
            mappings = project_file.parent / mappings
    return Settings(
        env=env,
        mappings=mappings,
        company_id=merged.get("company_id"),
        legacy_token=merged.get("legacy_token"),
        api_key=merged.get("api_key"),
        project_file=project_file,
        timeline=merged.get("timeline", {}),
    )
