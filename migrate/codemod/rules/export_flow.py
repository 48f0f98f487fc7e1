"""PLM103: a legacy call that becomes several new calls (a named flow) is left for a human."""

from __future__ import annotations

from migrate.codemod.find.site import Site
from migrate.codemod.rule import Analysis, Rule, RuleFinding

RULE = Rule(
    "PLM103",
    "export_flow",
    "native",
    "review",
    "Flag calls that become a multi-call flow on the new API (the expense export status).",
)


def review(site: Site, analysis: Analysis) -> RuleFinding | None:
    op = site.facts.operation if site.facts else None
    if op is None or op.kind != "flow":
        return None
    return RuleFinding(
        f"{op.legacy} ({op.id}) becomes several new-API calls (flow `{op.flow}`, starting with "
        f"{op.new}); port it by hand, or route it through migrate.compat",
        op.docs,
        terminal=True,
    )
