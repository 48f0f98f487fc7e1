"""PLM201 (compat): `requests` calls to the legacy API go through `migrate.compat`.

`requests.get(URL, …)` → `_pleo_session.get(URL, …)`, with `_pleo_session = legacy_session()`
once after the imports; a `requests.Session()` that legacy calls use → `legacy_session()`.
Paths, parameters and response handling stay as they are: the session serves legacy URLs
from the new API.
"""

from __future__ import annotations

import ast

from migrate.codemod.find.site import receiver_of
from migrate.codemod.rule import Analysis, ModulePlan, Rule
from migrate.codemod.text.edits import replace

RULE = Rule(
    "PLM201",
    "compat_requests",
    "compat",
    "rewrite",
    "Route requests calls to the legacy API through migrate.compat: requests.get(…) → "
    "_pleo_session.get(…), requests.Session() → legacy_session().",
)

SESSION = "_pleo_session"
MODULE = "migrate.compat"


def rewrite(analysis: Analysis, plan: ModulePlan) -> None:
    routed = False
    constructions: list[ast.Call] = []
    for site in analysis.sites:
        if site.kind != "http":
            continue
        func = site.node.func
        if site.client == "requests" and isinstance(func, ast.Attribute):
            plan.add(replace(analysis.source, func.value, RULE.id, SESSION))
            routed = True
        elif site.client == "function" and isinstance(func, ast.Name):
            origin = analysis.facts.imports.names.get(func.id)
            if origin and origin[0] == "requests":
                plan.add(replace(analysis.source, func, RULE.id, f"{SESSION}.{origin[1]}"))
                routed = True
        elif site.client == "object":
            for call in analysis.clients.constructions(receiver_of(site), site.call.scope):
                if (
                    analysis.clients.factory_of(call) == "requests.Session"
                    and call not in constructions
                ):
                    constructions.append(call)
    for call in constructions:
        plan.add(replace(analysis.source, call, RULE.id, "legacy_session()"))
    if routed:
        plan.statements.append((f"{SESSION} = legacy_session()", RULE.id))
    if routed or constructions:
        plan.need_import(MODULE, "legacy_session")
        plan.unused.append("requests")
