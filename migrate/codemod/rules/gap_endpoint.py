"""PLM102: a call to a legacy endpoint with no new-API equivalent gets the catalogue's reason."""

from __future__ import annotations

from migrate.codemod.rule import Rule
from migrate.codemod.rulekit import flags_kind
from migrate.mapping import Operation

RULE = Rule(
    "PLM102",
    "gap_endpoint",
    "native",
    "review",
    "Flag calls to legacy endpoints that have no new-API equivalent, with the reason and an "
    "alternative.",
)


def _message(op: Operation) -> str:
    alternative = f" Alternative: {op.alternative}." if op.alternative else ""
    gap = (op.gap or "").rstrip(".")
    return f"{op.legacy} ({op.id}) has no new-API equivalent: {gap}.{alternative}"


review = flags_kind("gap", _message)
