"""SARIF 2.1.0 for code-scanning tools: one result per call site and per credential.

Rule ids are stable: the catalogue's operation ids (`employees.list`) for resolved calls, and
the codemod's rule ids for the rest (`PLM101` dynamic path, `PLM105` unknown path, `PLM010`
hard-coded credential). Fingerprints hash the file, the rule and the line's text (not its
number), so a result keeps its identity when code above it moves.
"""

from __future__ import annotations

import hashlib
from pathlib import PurePath
from typing import Any

from migrate import __version__
from migrate.codemod.find.hosts import MIGRATION_DOCS
from migrate.codemod.find.index import CatalogueIndex
from migrate.codemod.registry import BY_ID
from migrate.codemod.scan import Inventory

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT = "pleoMigrate/v1"


# Not a codemod rule (nothing rewrites these): a legacy host in Go, TypeScript, YAML, `.env`, …
NON_PYTHON_RULE: dict[str, Any] = {
    "id": "PLM301",
    "name": "non-python-legacy-host",
    "shortDescription": {
        "text": "A file that is not Python calls the legacy API: serve it through the local proxy "
        "(`pleo-migrate proxy`)."
    },
    "helpUri": MIGRATION_DOCS,
}


def sarif(found: Inventory, index: CatalogueIndex) -> dict[str, Any]:
    rules: dict[str, dict[str, Any]] = {}
    results = []
    for site in found.sites:
        rule_id = site.operation or (site.reasons[0].rule if site.reasons else "PLM101")
        if rule_id not in rules:
            rules[rule_id] = _rule(rule_id, index)
        level = "note" if site.automatic else "warning"
        if site.operation and index.catalogue.get(site.operation).kind == "gap":
            level = "error"
        why = "; ".join(f"{todo.rule}: {todo.message}" for todo in (*site.reasons, *site.notes))
        arrow = f" → {site.new}" if site.new else ""
        done = "rewritten automatically" + (f"; {why}" if site.notes else "")
        text = f"{site.target}{arrow} ({site.url}): " + (why if site.reasons else done)
        results.append(
            {
                "ruleId": rule_id,
                "level": level,
                "message": {"text": text},
                "locations": [_location(site.path, site.line, site.col)],
                "partialFingerprints": {FINGERPRINT: site.fingerprint},
                "properties": {
                    "automatic": site.automatic,
                    "scopes": list(site.scopes),
                    "method": site.method,
                    "notes": [f"{todo.rule}: {todo.message}" for todo in site.notes],
                },
            }
        )
    for credential in found.credentials:
        rule_id = "PLM010"
        rules.setdefault(rule_id, _rule(rule_id, index))
        digest = hashlib.sha256(
            f"{credential.path}|{credential.name}|{credential.fingerprint}".encode()
        ).hexdigest()[:32]
        results.append(
            {
                "ruleId": rule_id,
                "level": "error",
                "message": {
                    "text": f"hard-coded credential in {credential.name} ({credential.kind}, "
                    f"{credential.length} characters)"
                },
                "locations": [_location(credential.path, credential.line, credential.col)],
                "partialFingerprints": {FINGERPRINT: digest},
            }
        )
    for ref in found.non_python:
        rules.setdefault(NON_PYTHON_RULE["id"], NON_PYTHON_RULE)
        digest = hashlib.sha256(f"{ref.path}|{ref.line}|{ref.detail}".encode()).hexdigest()[:32]
        results.append(
            {
                "ruleId": NON_PYTHON_RULE["id"],
                "level": "warning",
                "message": {"text": ref.detail},
                "locations": [_location(ref.path, ref.line, ref.col)],
                "partialFingerprints": {FINGERPRINT: digest},
            }
        )
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "pleo-migrate",
                        "version": __version__,
                        "informationUri": MIGRATION_DOCS,
                        "rules": [rules[key] for key in sorted(rules)],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def _rule(rule_id: str, index: CatalogueIndex) -> dict[str, Any]:
    if rule_id in BY_ID:
        rule = BY_ID[rule_id]
        return {
            "id": rule_id,
            "name": rule.name,
            "shortDescription": {"text": rule.summary},
            "helpUri": MIGRATION_DOCS,
        }
    op = index.catalogue.get(rule_id)
    text = f"{op.legacy} → {op.new}" if op.new else f"{op.legacy}: no new-API equivalent"
    return {
        "id": rule_id,
        "name": rule_id.replace(".", "-"),
        "shortDescription": {"text": f"{op.summary}: {text}"},
        "fullDescription": {"text": op.gap or f"kind {op.kind}; scopes {', '.join(op.scopes)}"},
        "helpUri": op.docs,
        "properties": {"kind": op.kind, "scopes": list(op.scopes)},
    }


def _location(path: str, line: int, column: int) -> dict[str, Any]:
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": PurePath(path).as_posix()},
            "region": {"startLine": line, "startColumn": column},
        }
    }
