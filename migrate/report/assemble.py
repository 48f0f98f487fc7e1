"""report.json assembled: every section as plain data, secrets scrubbed. The HTML is rendered
from exactly this data (plus chart geometry, charts.py)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from migrate import __version__
from migrate.mapping import Catalogue
from migrate.report.scrub import scrub
from migrate.report.sections import (
    call_sites,
    code_section,
    coverage_section,
    next_steps_section,
    parity_section,
    readiness_section,
    scopes_section,
    timeline_section,
)

SCHEMA_VERSION = 1


def build_report(
    catalogue: Catalogue,
    *,
    scan: Mapping[str, Any] | None,
    shadow_summary: Mapping[str, Any] | None,
    shadow_results: Iterable[Mapping[str, Any]] | None,
    timeline: Mapping[str, Any],
    secrets: Iterable[str],
    today: date,
    generated_at: str,
    sources: Mapping[str, str | None],
) -> dict[str, Any]:
    """report.json: every section as plain data, secrets scrubbed."""
    sites = call_sites(scan)
    parity = parity_section(shadow_summary, shadow_results)
    used = sorted({s["operation"] for s in sites if s["operation"]}) if scan is not None else None
    readiness = readiness_section(catalogue, sites, parity, scan is not None)
    scopes = scopes_section(catalogue, used)
    data = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "pleo-migrate", "version": __version__},
        "generated_at": generated_at,
        "sources": dict(sources),
        "next_steps": next_steps_section(readiness, scopes, scan is not None),
        "readiness": readiness,
        "coverage": coverage_section(catalogue),
        "scopes": scopes,
        "code": code_section(scan, sites) if scan is not None else None,
        "parity": parity,
        "timeline": timeline_section(timeline, today),
    }
    return dict(scrub(data, secrets))
