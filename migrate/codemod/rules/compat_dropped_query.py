"""PLM205 (compat): legacy query parameters that compat cannot send on the new API.

A legacy filter the catalogue does not carry (`types`, `accountId` on the expense list: the new
search has no such filter) is dropped on the way: the routed call answers, but with records the
legacy filter left out. Nothing fails, so nothing would tell. Each routed call that passes such
a parameter by name (`params={"types": …}`, a helper's keyword, the URL's query string) gets a
TODO naming it and the operation, so its records can be filtered in the code.
"""

from __future__ import annotations

from migrate.codemod.find.site import Site
from migrate.codemod.rule import Analysis, Rule, RuleFinding
from migrate.codemod.rulekit import docs

RULE = Rule(
    "PLM205",
    "compat_dropped_query",
    "compat",
    "review",
    "Flag legacy query parameters compat cannot send on the new API (filters it drops): the "
    "routed call answers with records the legacy filter left out.",
)


def review(site: Site, analysis: Analysis) -> RuleFinding | None:
    op = site.facts.operation if site.facts else None
    if op is None or not op.mapped or op.kind == "flow":
        return None
    from migrate.mapping import dropped_query  # the planner: the compat strategy's only

    dropped = dropped_query(op, tuple((item.key, str(item.literal)) for item in site.query.items))
    if not dropped:
        return None
    names = ", ".join(f"`{name}`" for name in dropped)
    return RuleFinding(
        f"{op.id}: {names} dropped, no new-API filter: filter the records here; the answer "
        "holds those the legacy filter left out",
        docs(site),
    )
