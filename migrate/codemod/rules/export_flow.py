"""PLM103: a legacy call that becomes several new calls (a named flow) and that PLM012 cannot
rewrite is left for a human, with the reason PLM012 gives."""

from __future__ import annotations

from migrate.codemod.find.site import Site
from migrate.codemod.rule import Analysis, Rule, RuleFinding
from migrate.codemod.rules import flow_call

RULE = Rule(
    "PLM103",
    "export_flow",
    "native",
    "review",
    "Flag calls that become a multi-call flow on the new API (tag writes, flow calls in "
    "shapes PLM012 does not rewrite), saying why.",
)


def review(site: Site, analysis: Analysis) -> RuleFinding | None:
    op = site.facts.operation if site.facts else None
    if op is None or op.kind != "flow":
        return None
    reason = flow_call.refusal(site, analysis)
    if reason is None:
        return None
    return RuleFinding(
        f"{op.id} (flow): {reason}; port by hand or use migrate.compat",
        op.docs,
        terminal=True,
    )
