"""PLM101: a call whose path (or method) is chosen at run time is flagged, never guessed."""

from __future__ import annotations

from migrate.codemod.find.hosts import MIGRATION_DOCS
from migrate.codemod.find.site import Site
from migrate.codemod.rule import Analysis, Rule, RuleFinding

RULE = Rule(
    "PLM101",
    "dynamic_path",
    "native",
    "review",
    "Flag calls whose path or HTTP method is chosen at run time: the operation cannot be known.",
)


def review(site: Site, analysis: Analysis) -> RuleFinding | None:
    resolution = site.resolution
    if resolution.status == "dynamic":
        return RuleFinding(
            f"the path is chosen at run time ({resolution.display}), so the new endpoint is "
            "unknown; map every path it can take (`pleo-migrate mappings show ID`)",
            MIGRATION_DOCS,
            terminal=True,
        )
    if resolution.status == "unknown-method":
        return RuleFinding(
            "the HTTP method is chosen at run time, so the operation is unknown; "
            "map every method it can take (`pleo-migrate mappings list`)",
            MIGRATION_DOCS,
            terminal=True,
        )
    return None
