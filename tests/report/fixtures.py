"""Small, realistic inputs for report tests: a scan document and a shadow-run folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from migrate.shadow.classify import OUTCOMES

RUN_ID = "0f3c9a5e2b7d4e1f8a6c3b9d2e5f7a10"


def scan_document() -> dict[str, Any]:
    """The shape of `pleo-migrate scan -o json` (fields the report reads, and a few more)."""

    def site(
        path: str,
        line: int,
        operation: str | None,
        automatic: bool,
        new: str | None,
        reasons: list[dict[str, str]],
        scopes: list[str],
    ) -> dict[str, Any]:
        return {
            "path": path,
            "line": line,
            "col": 9,
            "operation": operation,
            "method": "GET",
            "target": "GET /v1/…",
            "url": "f-string on constant PLEO_API",
            "new": new,
            "automatic": automatic,
            "scopes": scopes,
            "reasons": reasons,
            "environment": "production",
            "fingerprint": f"{path}:{line}",
            "status": "matched",
            "label": operation or "dynamic path",
        }

    return {
        "schema_version": 1,
        "summary": {
            "files": 4,
            "call_sites": 3,
            "automatic": 1,
            "manual": 2,
            "unresolved": 1,
            "credentials": 1,
            "failed": 0,
        },
        "scopes": ["accounting-entries:read"],
        "call_sites": [
            site(
                "sync/client.py",
                12,
                "expenses.list",
                True,
                "POST /v1/accounting-entries:search",
                [],
                ["accounting-entries:read"],
            ),
            site(
                "sync/client.py",
                40,
                "employees.create",
                False,
                None,
                [
                    {
                        "rule": "PLM301",
                        "message": "no new equivalent (SCIM)",
                        "docs": "https://developers.pleo.io/docs/okta",
                    }
                ],
                [],
            ),
            site(
                "sync/report.py",
                7,
                None,
                False,
                None,
                [{"rule": "PLM201", "message": "path chosen at run time", "docs": "https://x"}],
                [],
            ),
        ],
        "credentials": [
            {
                "path": "sync/settings.py",
                "line": 3,
                "col": 1,
                "name": "TOKEN",
                "kind": "assignment",
                "length": 36,
                "fingerprint": "0123456789ab",
            }
        ],
        "references": [],
        "problems": [],
    }


def shadow_folder(folder: Path, results: list[dict[str, Any]] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    outcomes = dict.fromkeys(OUTCOMES, 0)
    summary = {
        "schema_version": 1,
        "run_id": RUN_ID,
        "run": {"legacy_url": "http://127.0.0.1:1/v1", "new_url": "http://127.0.0.1:2"},
        "totals": {
            "operations": 2,
            "records": 12,
            "parity": 91.67,
            "outcomes": {**outcomes, "match": 4, "expected": 7, "mismatch": 1},
        },
        "operations": [
            {
                "operation": "expenses.list",
                "status": "fail",
                "records": 10,
                "parity": 90.0,
                "outcomes": {**outcomes, "match": 2, "expected": 7, "mismatch": 1},
                "fields": [
                    {
                        "field": "amountOriginal",
                        "compared": 10,
                        "parity": 90.0,
                        "mismatch": 1,
                        "expected": 0,
                        "noise": 0,
                        "lag": 0,
                        "examples": ["e-1"],
                    },
                    {
                        "field": "lines[].tagIds[].id",
                        "compared": 10,
                        "parity": 100.0,
                        "mismatch": 0,
                        "expected": 0,
                        "noise": 0,
                        "lag": 0,
                    },
                ],
                "expected": [],
                "noise": {"fields": [], "envelope": [], "headers": []},
                "errors": [],
            },
            {
                "operation": "employees.get",
                "status": "pass",
                "records": 2,
                "parity": 100.0,
                "outcomes": {**outcomes, "match": 2},
                "fields": [],
                "expected": [],
                "noise": {"fields": [], "envelope": [], "headers": []},
                "errors": [],
            },
            {"operation": "teams.list", "status": "skipped", "skipped": "a gap"},
        ],
    }
    (folder / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    lines = (
        results
        if results is not None
        else [
            {
                "operation": "expenses.list",
                "id": "e-1",
                "outcome": "mismatch",
                "differences": [
                    {
                        "path": "amountOriginal.minors",
                        "field": "amountOriginal",
                        "change": "value",
                        "verdict": "mismatch",
                        "legacy": 12345,
                        "new": 12300,
                    }
                ],
            },
            {
                "operation": "expenses.list",
                "id": "e-2",
                "outcome": "expected",
                "differences": [
                    {
                        "path": "employeeCode",
                        "field": "employeeCode",
                        "change": "absent-in-new",
                        "verdict": "expected",
                        "legacy": "E-7",
                        "reason": "no employee code on entries",
                    }
                ],
            },
            {"operation": "employees.get", "id": "p-1", "outcome": "match"},
        ]
    )
    (folder / "results.jsonl").write_text(
        "".join(json.dumps({**line, "run_id": RUN_ID}) + "\n" for line in lines),
        encoding="utf-8",
    )
    return folder
