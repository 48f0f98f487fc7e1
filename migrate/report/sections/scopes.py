"""The scopes section: the least API-key scopes for the operations the code uses."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from migrate.mapping import Catalogue, minimum_scopes


def scopes_section(catalogue: Catalogue, used: Iterable[str] | None) -> dict[str, Any]:
    """Every scope an operation in use needs; without a scan, every mapped operation's."""
    used_ids = set(used) if used is not None else {op.id for op in catalogue if op.mapped}
    needs = minimum_scopes({op.id: op.scopes for op in catalogue if op.id in used_ids})
    return {
        "basis": "code" if used is not None else "catalogue",
        "scopes": [{"scope": scope, "operations": list(ops)} for scope, ops in needs.items()],
    }
