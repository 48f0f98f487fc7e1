"""Small, realistic inputs for report tests: a scan document and a shadow-run folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

OUTCOMES = (
    "match",
    "expected",
    "noise",
    "lag",
    "mismatch",
    "missing-in-new",
    "extra-in-new",
    "error",
)


def scan_document() -> dict[str, Any]:
    return {
        "sites": [
            {
                "file": "sync/client.py",
                "line": 12,
                "col": 8,
                "operation": "expenses.list",
                "method": "GET",
                "url": "f-string on a module constant",
                "automatic": True,
                "rule": "PLM101",
                "change": "POST /v1/accounting-entries:search",
                "scopes": ["accounting-entries:read"],
            },
            {
                "file": "sync/client.py",
                "line": 40,
                "col": 4,
                "operation": "employees.create",
                "method": "POST",
                "url": "literal",
                "automatic": False,
                "rule": "PLM301",
                "change": "TODO: no new equivalent (SCIM)",
                "scopes": [],
            },
            {
                "file": "sync/report.py",
                "line": 7,
                "col": 11,
                "operation": None,
                "method": "GET",
                "url": "dynamic path",
                "automatic": False,
                "rule": "PLM201",
                "change": "TODO: path chosen at run time",
                "scopes": [],
            },
        ],
        "credentials": [{"file": "sync/settings.py", "line": 3, "kind": "legacy token literal"}],
    }


def shadow_folder(folder: Path, results: list[dict[str, Any]] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    outcomes = dict.fromkeys(OUTCOMES, 0)
    summary = {
        "schema_version": 1,
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
        "".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8"
    )
    return folder
