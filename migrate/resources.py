"""Finds the data folders that ship with pleo-migrate (mappings, specs).

In a wheel they live inside the package (`migrate/_bundled/…`, placed there by the build);
in a source checkout they are the top-level `mappings/` and `specs/` folders. Both layouts
are supported so the same code runs from a clone and from an installed wheel.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    inside = _PACKAGE_DIR / "_bundled" / name
    if inside.is_dir():
        return inside
    checkout = _PACKAGE_DIR.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(
        f"pleo-migrate's bundled {name!r} folder is missing; reinstall the package"
    )


def mappings_dir() -> Path:
    """The catalogue shipped with this version of pleo-migrate."""
    return _bundled("mappings")


def new_specs_dir() -> Path:
    """Pleo's published OpenAPI files for the new API, as shipped with pleo-migrate."""
    return _bundled("specs") / "new"


def legacy_endpoints_file() -> Path:
    """The reconstructed list of every known legacy endpoint."""
    return _bundled("specs") / "legacy" / "RECONSTRUCTED-legacy-endpoints.json"


def legacy_spec_file() -> Path:
    """Pleo's legacy API rebuilt as OpenAPI from its per-operation reference pages."""
    return _bundled("specs") / "legacy" / "legacy-openapi.yml"
