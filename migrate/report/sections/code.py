"""The code section: the call sites a scan found, file by file, and hard-coded credentials.

The scan was checked against migrate/codemod/scan.schema.json when it was read (inputs.py),
so its keys are there and typed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any


def call_sites(scan: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """The scan's call sites as the report shows them, in file and line order."""
    if not scan:
        return []
    sites = [_site(item) for item in scan["call_sites"]]
    return sorted(sites, key=lambda s: (s["file"], s["line"], s["col"]))


def _site(item: Mapping[str, Any]) -> dict[str, Any]:
    reasons = item["reasons"]
    automatic = item["automatic"]
    if automatic:
        change = f"becomes {item['new']}" if item["new"] else None
    else:
        change = "; ".join(f"TODO: {r['message']}" for r in reasons) or None
    rules = dict.fromkeys(str(r["rule"]) for r in reasons if r["rule"])
    return {
        "file": item["path"] or "?",
        "line": item["line"],
        "col": item["col"],
        "operation": item["operation"] or None,
        "method": item["method"],
        "url": item["url"],
        "automatic": automatic,
        "rule": ", ".join(rules) or None,
        "change": change,
        "scopes": list(item["scopes"]),
    }


def code_section(scan: Mapping[str, Any], sites: list[dict[str, Any]]) -> dict[str, Any]:
    files: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for site in sites:
        files[site["file"]].append(site)
    credentials = [
        {"file": item["path"] or "?", "line": item["line"], "kind": item["kind"] or item["name"]
         or "credential"}
        for item in scan["credentials"]
    ]
    return {
        "files": [{"path": path, "sites": items} for path, items in sorted(files.items())],
        "credentials": credentials,
        "call_sites": len(sites),
        "automatic": sum(1 for s in sites if s["automatic"]),
        "manual": sum(1 for s in sites if not s["automatic"]),
    }
