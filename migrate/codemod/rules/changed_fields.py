"""PLM109: record fields that change between the APIs, read in the module that makes the call.

From the catalogue's model of the operation: fields renamed (`accountNumber` → `code`),
converted (money in minor units, rates as fractions, whole-second timestamps, enums) or gone
(`role`). Reads are string keys used with `[...]` or `.get(...)` anywhere in the module,
which errs on the side of flagging; reads in other modules are not seen.
"""

from __future__ import annotations

from migrate.codemod.find.site import Site
from migrate.codemod.rule import Analysis, Rule, RuleFinding
from migrate.codemod.rulekit import docs

RULE = Rule(
    "PLM109",
    "changed_fields",
    "native",
    "review",
    "Flag calls whose records are read (in the same module) through fields that the new API "
    "renames, converts or drops.",
)

MAX_LISTED = 4


def review(site: Site, analysis: Analysis) -> RuleFinding | None:
    facts = site.facts
    if facts is None or facts.operation.new is None:
        return None
    hits = [
        f"`{key}` {what}"
        for key, what in facts.changed_fields
        if key in analysis.key_reads and key not in facts.envelope_keys
    ]
    if not hits:
        return None
    more = f" and {len(hits) - MAX_LISTED} more" if len(hits) > MAX_LISTED else ""
    return RuleFinding(
        f"this module reads record fields that change on the new API: "
        f"{', '.join(hits[:MAX_LISTED])}{more}",
        docs(site),
    )
