"""PLM103: a legacy call that becomes several new calls (a named flow) is left for a human."""

from __future__ import annotations

from migrate.codemod.rule import Rule
from migrate.codemod.rulekit import flags_kind
from migrate.mapping import Operation

RULE = Rule(
    "PLM103",
    "export_flow",
    "native",
    "review",
    "Flag calls that become a multi-call flow on the new API (the expense export status).",
)


def _message(op: Operation) -> str:
    return (
        f"{op.legacy} ({op.id}) becomes several new-API calls (flow `{op.flow}`, starting with "
        f"{op.new}); port it by hand, or route it through migrate.compat"
    )


review = flags_kind("flow", _message)
