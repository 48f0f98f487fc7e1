"""The coverage section: every catalogue operation, mapped or not, with what it loses."""

from __future__ import annotations

from typing import Any

from migrate.mapping import Catalogue


def coverage_section(catalogue: Catalogue) -> list[dict[str, Any]]:
    return [
        {
            "id": op.id,
            "resource": op.resource,
            "kind": op.kind,
            "legacy": str(op.legacy),
            "evidence": op.evidence,  # legacy-openapi.yml: documented | inferred
            "new": str(op.new) if op.new else None,
            "scopes": list(op.scopes),
            "losses": [
                {"field": loss.field or None, "reason": loss.reason}
                for loss in catalogue.losses(op)
            ],
            "gap": op.gap,
            "alternative": op.alternative,
            "docs": op.docs,
        }
        for op in catalogue
    ]
