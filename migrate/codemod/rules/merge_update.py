"""PLM104: a partial update that becomes GET + merge + full PUT, when PLM012 cannot write it as
a call of a generated function, is left for a human, with the reason PLM012 gives."""

from __future__ import annotations

from migrate.codemod.find.site import Site
from migrate.codemod.rule import Analysis, Rule, RuleFinding
from migrate.codemod.rules import flow_call

RULE = Rule(
    "PLM104",
    "merge_update",
    "native",
    "review",
    "Flag partial updates (PATCH) that the new API only accepts as a full replacement (PUT).",
)


def review(site: Site, analysis: Analysis) -> RuleFinding | None:
    op = site.facts.operation if site.facts else None
    if op is None or op.kind != "merge-update":
        return None
    reason = flow_call.refusal(site, analysis)
    if reason is None:
        return None
    return RuleFinding(
        f"{op.id}: {reason}; a partial update stays as is, as the new API replaces the whole "
        f"record ({op.new}): read it, merge the change, send it whole",
        op.docs,
        terminal=True,
    )
