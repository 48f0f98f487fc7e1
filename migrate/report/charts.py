"""Bar geometry for the report's inline SVG charts: what only the HTML needs, derived from the
report data (so report.json and the page never disagree)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from migrate.shadow import OUTCOMES


def chart_rows(report: Mapping[str, Any], width: int = 320) -> dict[str, Any]:
    """Per operation, one bar split into parts (pixels): call sites, and parity outcomes."""
    readiness = [
        {"id": item["id"], "parts": _parts(item, ("automatic", "manual"),
                                           max(item["call_sites"], 1), width, keep_empty=True)}
        for item in report["readiness"]["operations"]
    ]
    parity = [
        {"id": op["id"], "parts": _parts(op["outcomes"], OUTCOMES, op["records"], width,
                                         keep_empty=False)}
        for op in (report.get("parity") or {}).get("operations", [])
        if not op["skipped"] and op["records"]
    ]
    return {"width": width, "readiness": readiness, "parity": parity}


def _parts(counts: Mapping[str, int], names: Iterable[str], total: int, width: int,
           keep_empty: bool) -> list[dict[str, Any]]:
    parts, x = [], 0.0
    for name in names:
        count = counts[name]
        if not count and not keep_empty:
            continue
        w = width * count / total
        parts.append({"class": name, "x": round(x, 1), "width": round(w, 1), "count": count})
        x += w
    return parts
