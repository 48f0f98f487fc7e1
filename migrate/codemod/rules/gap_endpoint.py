"""PLM102: a call to a legacy endpoint with no new-API equivalent gets the catalogue's reason."""

from __future__ import annotations

from migrate.codemod.find.site import Site
from migrate.codemod.rule import Analysis, Rule, RuleFinding

RULE = Rule(
    "PLM102",
    "gap_endpoint",
    "native",
    "review",
    "Flag calls to legacy endpoints that have no new-API equivalent, with the reason and an "
    "alternative.",
)


def review(site: Site, analysis: Analysis) -> RuleFinding | None:
    op = site.facts.operation if site.facts else None
    if op is None or op.kind != "gap":
        return None
    alternative = f" Alternative: {op.alternative}." if op.alternative else ""
    gap = (op.gap or "").rstrip(".")
    return RuleFinding(
        f"{op.legacy} ({op.id}) has no new-API equivalent: {gap}.{alternative}",
        op.docs,
        terminal=True,
    )
