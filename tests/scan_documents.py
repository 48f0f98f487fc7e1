"""Scan documents for contract tests, written by the real writer (`codemod.scan.as_json`), so a
test's scan is exactly what `pleo-migrate scan -o json` would print for those call sites."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from migrate.codemod.file_results import CallSite
from migrate.codemod.scan import Inventory, as_json

SARIF = {
    "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
    "version": "2.1.0",
    "runs": [{"tool": {"driver": {"name": "pleo-migrate"}}, "results": []}],
}


def call_site(path: str, line: int, operation: str | None, method: str = "GET") -> CallSite:
    return CallSite(
        path=path, line=line, col=5, operation=operation, method=method,
        target=f"{method} /v1/…", url="literal URL", new=None, automatic=False, scopes=(),
        reasons=(), environment="production", fingerprint=f"{path}:{line}",
        status="matched" if operation else "dynamic",
    )


def scan_json(*sites: CallSite) -> dict[str, Any]:
    found = Inventory(
        sites=sites, credentials=(), references=(), problems=(), scopes=(),
        unresolved=sum(1 for site in sites if site.operation is None), examined=2,
    )
    return as_printed(as_json(found))


def as_printed(document: dict[str, Any]) -> dict[str, Any]:
    """The document as `scan -o json` prints it (tuples become lists)."""
    printed: dict[str, Any] = json.loads(json.dumps(document))
    return printed


def write_json(path: Path, document: Any) -> Path:
    path.write_text(json.dumps(document), encoding="utf-8")
    return path
