"""PLM202 (compat): httpx clients that talk to the legacy API come from `migrate.compat`.

`httpx.Client(…)` → `legacy_client(…)` and `httpx.AsyncClient(…)` → `legacy_async_client(…)`
(arguments kept) for clients that legacy calls use or that have a legacy `base_url`;
`httpx.get(URL, …)` → `_pleo_client.get(URL, …)` with `_pleo_client = legacy_client()`.
"""

from __future__ import annotations

import ast

from migrate.codemod.rule import Analysis, ModulePlan, Rule
from migrate.codemod.rulekit import route_through
from migrate.codemod.text.edits import replace

RULE = Rule(
    "PLM202",
    "compat_httpx",
    "compat",
    "rewrite",
    "Route httpx clients that talk to the legacy API through migrate.compat: httpx.Client(…) → "
    "legacy_client(…), httpx.AsyncClient(…) → legacy_async_client(…).",
)

CLIENT = "_pleo_client"
MODULE = "migrate.compat"
FACTORIES = {"httpx.Client": "legacy_client", "httpx.AsyncClient": "legacy_async_client"}


def rewrite(analysis: Analysis, plan: ModulePlan) -> None:
    routed, made = route_through(analysis, plan, RULE.id, "httpx", CLIENT)
    finder = analysis.clients
    constructions: dict[ast.Call, str] = {}
    for made_call in made:
        factory = finder.factory_of(made_call)
        if factory in FACTORIES:
            constructions.setdefault(made_call, FACTORIES[factory or ""])
    for call in analysis.facts.calls:
        factory = finder.factory_of(call.node)
        base_url = next((k.value for k in call.node.keywords if k.arg == "base_url"), None)
        if (
            factory in FACTORIES
            and base_url is not None
            and analysis.evaluator.base_of(base_url, call.scope) is not None
        ):
            constructions.setdefault(call.node, FACTORIES[factory or ""])
    for construction, name in constructions.items():
        plan.add(replace(analysis.source, construction.func, RULE.id, name))
        plan.need_import(MODULE, name)
    if routed:
        plan.statements.append((f"{CLIENT} = legacy_client()", RULE.id))
        plan.need_import(MODULE, "legacy_client")
    if routed or constructions:
        plan.unused.append("httpx")

