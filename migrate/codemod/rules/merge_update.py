"""PLM104: a partial PATCH that becomes GET + merge + full PUT is left for a human."""

from __future__ import annotations

from migrate.codemod.find.site import Site
from migrate.codemod.rule import Analysis, Rule, RuleFinding

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
    return RuleFinding(
        f"{op.legacy} ({op.id}) is a partial update; the new API replaces the whole record "
        f"({op.new}): read it first, merge the change, send it whole",
        op.docs,
        terminal=True,
    )
