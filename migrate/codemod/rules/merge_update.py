"""PLM104: a partial PATCH that becomes GET + merge + full PUT is left for a human."""

from __future__ import annotations

from migrate.codemod.rule import Rule
from migrate.codemod.rulekit import flags_kind
from migrate.mapping import Operation

RULE = Rule(
    "PLM104",
    "merge_update",
    "native",
    "review",
    "Flag partial updates (PATCH) that the new API only accepts as a full replacement (PUT).",
)


def _message(op: Operation) -> str:
    return (
        f"{op.legacy} ({op.id}) is a partial update; the new API replaces the whole record "
        f"({op.new}): read it first, merge the change, send it whole"
    )


review = flags_kind("merge-update", _message)
