"""PLM202 (compat): httpx clients that talk to the legacy API come from `migrate.compat`.

`httpx.Client(…)` → `legacy_client(…)` and `httpx.AsyncClient(…)` → `legacy_async_client(…)`
(arguments kept) for clients that legacy calls use or that have a legacy `base_url`;
`httpx.get(URL, …)` → `_pleo_client.get(URL, …)` with `_pleo_client = legacy_client()`.
"""

from __future__ import annotations

import ast

from migrate.codemod.find.site import Site, receiver_of
from migrate.codemod.rule import Analysis, ModulePlan, Rule
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
    routed = False
    constructions: dict[ast.Call, str] = {}
    finder = analysis.clients
    for site in analysis.sites:
        if site.kind != "http":
            continue
        func = site.node.func
        if site.client == "httpx" and isinstance(func, ast.Attribute):
            plan.add(replace(analysis.source, func.value, RULE.id, CLIENT))
            routed = True
        elif site.client == "function" and isinstance(func, ast.Name):
            origin = analysis.facts.imports.names.get(func.id)
            if origin and origin[0] == "httpx":
                plan.add(replace(analysis.source, func, RULE.id, f"{CLIENT}.{origin[1]}"))
                routed = True
        elif site.client == "object":
            _collect(
                site,
                finder.constructions(receiver_of(site), site.call.scope),
                analysis,
                constructions,
            )
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


def _collect(
    site: Site, calls: list[ast.Call], analysis: Analysis, into: dict[ast.Call, str]
) -> None:
    for call in calls:
        factory = analysis.clients.factory_of(call)
        if factory in FACTORIES:
            into.setdefault(call, FACTORIES[factory or ""])
